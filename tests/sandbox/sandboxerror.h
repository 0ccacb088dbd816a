#pragma once

#include <QJsonObject>
#include <QString>

/**
 * One API error, as the API documents it:
 * `{"error": {"type", "message", "code"?, "param"?}}` with the HTTP status beside it.
 *
 * `extra` holds additional members placed inside "error" (e.g. `candidates` for stage errors).
 */
struct ApiError
{
    int status = 400;
    QString type; ///< bad_request, unauthorized, forbidden, not_found, conflict, ...
    QString message; ///< human text
    QString code; ///< unknown_field, invalid_type, parameter_missing, ... (may be empty)
    QString
        param; ///< fields.$name, relationships.$owner, limit, Idempotency-Key, ... (may be empty)
    QJsonObject extra;

    QJsonObject toJson() const
    {
        QJsonObject inner = extra;
        inner.insert(QStringLiteral("type"), type);
        inner.insert(QStringLiteral("message"), message);
        if (!code.isEmpty())
            inner.insert(QStringLiteral("code"), code);
        if (!param.isEmpty())
            inner.insert(QStringLiteral("param"), param);
        return QJsonObject {{QStringLiteral("error"), inner}};
    }

    static ApiError badRequest(
        const QString &code, const QString &message, const QString &param = {})
    {
        return {400, QStringLiteral("bad_request"), message, code, param, {}};
    }
    static ApiError unprocessable(
        const QString &code, const QString &message, const QString &param = {})
    {
        return {422, QStringLiteral("unprocessable_content"), message, code, param, {}};
    }
    static ApiError notFound(const QString &message)
    {
        return {404, QStringLiteral("not_found"), message, {}, {}, {}};
    }
};
