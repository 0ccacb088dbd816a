#include "api/lightfielderror.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

LightfieldError::LightfieldError(ErrorKind kind, const QString &message, int httpStatus)
    : m_message(message)
    , m_httpStatus(httpStatus)
    , m_kind(kind)
{
}

LightfieldError LightfieldError::offline(const QString &message)
{
    return LightfieldError(ErrorKind::Offline, message);
}

LightfieldError LightfieldError::timeout(const QString &message)
{
    return LightfieldError(ErrorKind::Timeout, message);
}

LightfieldError LightfieldError::fromHttpResponse(int httpStatus, const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    return fromJson(httpStatus, document.isObject() ? document.object() : QJsonObject());
}

LightfieldError LightfieldError::fromJson(int httpStatus, const QJsonObject &body)
{
    // The errors page wraps the error in "error"; the rate-limit and idempotency pages show it
    // unwrapped. Some proxies send {"error": "text"}.
    QJsonObject details = body;
    const QJsonValue wrapped = body.value(QLatin1String("error"));
    if (wrapped.isObject())
        details = wrapped.toObject();
    else if (wrapped.isString())
        details = QJsonObject {{QLatin1String("message"), wrapped}};

    const auto take = [&details](const char *key) {
        const QJsonValue value = details.take(QLatin1String(key));
        return value.isString() ? value.toString() : QString();
    };

    LightfieldError error;
    error.m_httpStatus = httpStatus;
    error.m_type = take("type");
    error.m_message = take("message");
    error.m_code = take("code");
    error.m_param = take("param");
    error.m_extra = details;
    error.m_kind = httpStatus == 0 ? fromErrorType(error.m_type) : fromHttpStatus(httpStatus);
    return error;
}

ErrorKind LightfieldError::fromHttpStatus(int httpStatus)
{
    switch (httpStatus) {
    case 401:
        return ErrorKind::Unauthorized;
    case 403:
        return ErrorKind::Forbidden;
    case 404:
    case 410:
        return ErrorKind::NotFound;
    case 408:
    case 504:
        return ErrorKind::Timeout;
    case 409:
    case 412:
        return ErrorKind::Conflict;
    case 429:
        return ErrorKind::RateLimited;
    default:
        break;
    }
    if (httpStatus >= 400 && httpStatus < 500)
        return ErrorKind::Validation;
    if (httpStatus >= 500 && httpStatus < 600)
        return ErrorKind::Server;
    return ErrorKind::BadResponse;
}

ErrorKind LightfieldError::fromErrorType(const QString &type)
{
    struct Entry
    {
        const char *type;
        ErrorKind kind;
    };
    // The `type` values the API documents for its errors.
    static constexpr Entry kTypes[] = {
        {"bad_request", ErrorKind::Validation},
        {"unauthorized", ErrorKind::Unauthorized},
        {"forbidden", ErrorKind::Forbidden},
        {"not_found", ErrorKind::NotFound},
        {"conflict", ErrorKind::Conflict},
        {"idempotency_conflict", ErrorKind::Conflict},
        {"unsupported_media_type", ErrorKind::Validation},
        {"unprocessable_content", ErrorKind::Validation},
        {"too_many_requests", ErrorKind::RateLimited},
        {"internal_server_error", ErrorKind::Server},
        {"service_unavailable", ErrorKind::Server},
    };
    for (const Entry &entry : kTypes) {
        if (type == QLatin1String(entry.type))
            return entry.kind;
    }
    return ErrorKind::BadResponse;
}

bool LightfieldError::isTransient(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Offline:
    case ErrorKind::Timeout:
    case ErrorKind::RateLimited:
    case ErrorKind::Server:
        return true;
    case ErrorKind::Unauthorized:
    case ErrorKind::Forbidden:
    case ErrorKind::NotFound:
    case ErrorKind::Conflict:
    case ErrorKind::Validation:
    case ErrorKind::BadResponse:
        break;
    }
    return false;
}

QString LightfieldError::kindName(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Offline:
        return QStringLiteral("Offline");
    case ErrorKind::Timeout:
        return QStringLiteral("Timeout");
    case ErrorKind::Unauthorized:
        return QStringLiteral("Unauthorized");
    case ErrorKind::Forbidden:
        return QStringLiteral("Forbidden");
    case ErrorKind::NotFound:
        return QStringLiteral("NotFound");
    case ErrorKind::Conflict:
        return QStringLiteral("Conflict");
    case ErrorKind::Validation:
        return QStringLiteral("Validation");
    case ErrorKind::RateLimited:
        return QStringLiteral("RateLimited");
    case ErrorKind::Server:
        return QStringLiteral("Server");
    case ErrorKind::BadResponse:
        break;
    }
    return QStringLiteral("BadResponse");
}

bool LightfieldError::isIdempotencyConflict() const
{
    return m_type == QLatin1String("idempotency_conflict")
        || m_code == QLatin1String("idempotency_conflict");
}

QString LightfieldError::debugString() const
{
    QString text = kindName(m_kind);
    if (m_httpStatus != 0)
        text += QLatin1Char(' ') + QString::number(m_httpStatus);
    if (!m_type.isEmpty())
        text += QLatin1Char(' ') + m_type;
    if (!m_code.isEmpty())
        text += QLatin1Char('/') + m_code;
    if (!m_param.isEmpty())
        text += QLatin1String(" (") + m_param + QLatin1Char(')');
    if (!m_message.isEmpty())
        text += QLatin1String(": ") + m_message;
    return text;
}
