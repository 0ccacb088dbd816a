#include "net/errortext.h"

#include "domain/objectschema.h"

#include <QCoreApplication>

#include <cmath>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ErrorText", text);
}

QString sentence(const QString &text)
{
    QString result = text.trimmed();
    if (!result.isEmpty() && !result.endsWith(QLatin1Char('.'))
        && !result.endsWith(QLatin1Char('!')) && !result.endsWith(QLatin1Char('?')))
        result += QLatin1Char('.');
    return result;
}

QString fieldName(const LightfieldError &error, const ObjectSchema *schema)
{
    const QString key = ErrorText::fieldKey(error.param());
    if (key.isEmpty())
        return {};
    if (schema) {
        if (ErrorText::isRelationshipParam(error.param())) {
            if (const auto *relationship = schema->relationship(key))
                return relationship->label();
        } else if (const auto *field = schema->field(key)) {
            return field->label();
        }
    }
    // No schema: show the key without the system-field "$".
    return key.startsWith(QLatin1Char('$')) ? key.mid(1) : key;
}

QString validationMessage(const LightfieldError &error, const ObjectSchema *schema)
{
    const QString field = fieldName(error, schema);
    const QString code = error.code();
    const QString detail = sentence(error.message());
    if (code == QLatin1String("version_header"))
        return tr("This version of Lightfield Deals is no longer supported by the Lightfield "
                  "API. Please update the app.");
    if (code == QLatin1String("relationship_write_limit_exceeded"))
        return tr("Too many linked records were changed at once (Lightfield allows 25 per "
                  "save). Save the links in smaller steps.");
    if (code == QLatin1String("idempotency_key_too_long"))
        return tr("The app sent an invalid request (idempotency key too long). Please report "
                  "this problem.");
    if (field.isEmpty()) {
        if (detail.isEmpty())
            return tr("Lightfield rejected the request.");
        return tr("Lightfield rejected the request: %1").arg(detail);
    }
    if (code == QLatin1String("parameter_missing"))
        return tr("“%1” is required.").arg(field);
    if (code == QLatin1String("unknown_field") || code == QLatin1String("unknown_relationship"))
        return tr("“%1” no longer exists in Lightfield (the fields were changed). Reload and "
                  "try again.")
            .arg(field);
    if (code == QLatin1String("read_only_field") || code == QLatin1String("read_only_relationship"))
        return tr("“%1” can't be changed.").arg(field);
    if (code == QLatin1String("relationship_entity_missing")
        || code == QLatin1String("referenced_resource_missing"))
        return tr("The record linked in “%1” no longer exists.").arg(field);
    if (detail.isEmpty())
        return tr("Lightfield didn't accept the value of “%1”.").arg(field);
    return tr("Lightfield didn't accept the value of “%1”: %2").arg(field, detail);
}

} // namespace

QString ErrorText::userMessage(const LightfieldError &error, const ObjectSchema *schema)
{
    switch (error.kind()) {
    case ErrorKind::Offline:
        return tr("Can't reach Lightfield. Check your internet connection; the app will try "
                  "again.");
    case ErrorKind::Timeout:
        return tr("Lightfield took too long to answer. The app will try again.");
    case ErrorKind::Unauthorized:
        return tr("Lightfield didn't accept your API key. It may have been revoked; enter a "
                  "new key in Settings.");
    case ErrorKind::Forbidden:
        return tr("Your API key isn't allowed to do this. Ask a Lightfield admin for a key with "
                  "the right permissions.");
    case ErrorKind::NotFound:
        return tr("This record no longer exists in Lightfield. It may have been deleted.");
    case ErrorKind::Conflict:
        if (error.isIdempotencyConflict())
            return tr("Lightfield is still saving this change. The app will check again "
                      "shortly.");
        return tr("This record was changed elsewhere at the same time. Reload it and try "
                  "again.");
    case ErrorKind::Validation:
        return validationMessage(error, schema);
    case ErrorKind::RateLimited:
        if (error.retryAfterMs() > 0) {
            const int seconds = int(std::ceil(double(error.retryAfterMs()) / 1000.0));
            return QCoreApplication::translate(
                "ErrorText", "Lightfield is busy. Try again in %n second(s).", nullptr, seconds);
        }
        return tr("Lightfield is busy. Try again in a moment.");
    case ErrorKind::Server:
        if (error.httpStatus() > 0)
            return tr("Lightfield is having problems (error %1). Try again in a few minutes.")
                .arg(error.httpStatus());
        return tr("Lightfield is having problems. Try again in a few minutes.");
    case ErrorKind::BadResponse:
        break;
    }
    return tr("Lightfield sent an answer the app can't read. Try again; if it keeps happening, "
              "update the app.");
}

QString ErrorText::fieldKey(const QString &param)
{
    QString rest;
    if (param.startsWith(QLatin1String("fields.")))
        rest = param.mid(7);
    else if (param.startsWith(QLatin1String("relationships.")))
        rest = param.mid(14);
    else if (param.startsWith(QLatin1String("fields[")))
        rest = param.mid(7);
    else if (param.startsWith(QLatin1String("relationships[")))
        rest = param.mid(14);
    else
        return {};
    // The key ends where a nested member or index begins.
    qsizetype end = rest.size();
    for (const QChar stop : {QLatin1Char('.'), QLatin1Char('['), QLatin1Char(']')}) {
        const qsizetype at = rest.indexOf(stop);
        if (at >= 0)
            end = qMin(end, at);
    }
    return rest.left(end);
}

bool ErrorText::isRelationshipParam(const QString &param)
{
    return param.startsWith(QLatin1String("relationships"));
}
