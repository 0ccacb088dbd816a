#include "export/valueparser.h"

#include "domain/address.h"
#include "domain/fielddefinition.h"
#include "domain/fullname.h"
#include "domain/relationshipdefinition.h"
#include "domain/socialhandle.h"
#include "store/localstore.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QTimeZone>

#include <cmath>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ValueParser", text);
}

QString fieldName(const FieldDefinition &definition)
{
    return definition.key();
}

bool isClear(const QString &text)
{
    return text.trimmed().isEmpty() || text.trimmed() == QLatin1String("null");
}

/// "-12.5" → 1250 hundredths; at most two decimals, a dot, no exponent or separators.
std::optional<qint64> parseHundredths(const QString &text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^([-+]?)(\\d{1,15})(?:\\.(\\d{0,2}))?$"));
    const QRegularExpressionMatch match = pattern.match(text.trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 whole = match.captured(2).toLongLong();
    QString fraction = match.captured(3);
    while (fraction.size() < 2)
        fraction.append(QLatin1Char('0'));
    const qint64 value = whole * 100 + fraction.toLongLong();
    return match.captured(1) == QLatin1String("-") ? -value : value;
}

/**
 * The number a JSON body carries for these hundredths, or nullopt when a double cannot hold
 * them apart from their neighbours (more than 15 to 17 significant digits): the server would
 * receive another number than the one typed ("999999999999999.99" arrives as 1e15).
 */
std::optional<double> exactNumber(qint64 hundredths)
{
    const qint64 magnitude = hundredths < 0 ? -hundredths : hundredths;
    const QString text = QStringLiteral("%1%2.%3")
                             .arg(hundredths < 0 ? QStringLiteral("-") : QString())
                             .arg(magnitude / 100)
                             .arg(magnitude % 100, 2, 10, QLatin1Char('0'));
    const double number = text.toDouble();
    if (parseHundredths(QString::number(number, 'f', QLocale::FloatingPointShortest))
        != hundredths) {
        return std::nullopt;
    }
    return number;
}

std::optional<bool> parseBool(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("true") || t == QLatin1String("yes") || t == QLatin1String("on")
        || t == QLatin1String("1"))
        return true;
    if (t == QLatin1String("false") || t == QLatin1String("no") || t == QLatin1String("off")
        || t == QLatin1String("0"))
        return false;
    return std::nullopt;
}

QDateTime parseDateTime(const QString &text)
{
    const QString t = text.trimmed();
    static const QRegularExpression dateOnly(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    if (dateOnly.match(t).hasMatch()) {
        const QDate date = QDate::fromString(t, Qt::ISODate);
        return date.isValid() ? QDateTime(date, QTime(0, 0), QTimeZone::utc()) : QDateTime();
    }
    static const QRegularExpression dateTime(QStringLiteral(
        "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:?\\d{2})?$"));
    const QRegularExpressionMatch match = dateTime.match(t);
    if (!match.hasMatch())
        return {};
    QDateTime parsed = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!parsed.isValid())
        return {};
    if (match.captured(3).isEmpty())
        parsed = QDateTime(parsed.date(), parsed.time(), QTimeZone::utc());
    parsed = parsed.toUTC();
    // "9999-12-31T23:00-05:00" is the year 10000 in UTC, which the API's format cannot carry.
    return FieldValue::isWritableDateTime(parsed) ? parsed : QDateTime();
}

QString folded(const QString &text)
{
    return text.simplified().toCaseFolded();
}

/** The pipeline name of an option, as "Pipeline / Stage" names it (its id when unnamed). */
QString pipelineName(const SelectOption &option)
{
    return option.pipelineLabel.isEmpty() ? option.pipelineId : option.pipelineLabel;
}

/**
 * The option `text` names: an id; "Pipeline / Stage" (pipeline name or id, case-insensitive)
 * for an option of a pipeline; or a label, which must then name one option only. A label that
 * several pipelines share sets *ambiguous to those options and matches none.
 */
std::optional<QString> matchOption(const FieldDefinition &definition, const QString &text,
    QList<SelectOption> *ambiguous = nullptr)
{
    const QString wanted = text.trimmed();
    const QList<SelectOption> options = definition.options();
    for (const SelectOption &option : options) {
        if (option.id == wanted)
            return option.id;
    }
    const QString key = folded(wanted);
    for (const SelectOption &option : options) {
        if (option.pipelineId.isEmpty())
            continue;
        for (const QString &pipeline : {pipelineName(option), option.pipelineId}) {
            if (folded(FieldDefinition::pipelineQualified(pipeline, option.label)) == key)
                return option.id;
        }
    }
    QList<SelectOption> matches;
    for (const SelectOption &option : options) {
        if (folded(option.label) == key)
            matches.append(option);
    }
    if (matches.size() == 1)
        return matches.constFirst().id;
    if (matches.size() > 1 && ambiguous)
        *ambiguous = matches;
    return std::nullopt;
}

QString optionLabels(const FieldDefinition &definition)
{
    QStringList labels;
    for (const SelectOption &option : definition.options())
        labels << definition.optionDisplayLabel(option);
    return labels.join(QLatin1String(", "));
}

/** The sentence for a label several pipelines share: every choice, named and by id. */
QString ambiguityError(
    const FieldDefinition &definition, const QString &text, const QList<SelectOption> &choices)
{
    QStringList named;
    for (const SelectOption &option : choices) {
        named << tr("\"%1\" (%2)")
                     .arg(FieldDefinition::pipelineQualified(pipelineName(option), option.label),
                         option.id);
    }
    return tr("%1 \"%2\" is a stage of several pipelines: give one of %3.")
        .arg(fieldName(definition), text.trimmed(), named.join(QLatin1String(", ")));
}

std::optional<QJsonObject> parseObject(const QString &text, const QStringList &allowedKeys,
    const FieldDefinition &definition, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.trimmed().toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = tr("%1 takes a JSON object, e.g. %2.")
                     .arg(fieldName(definition),
                         definition.type() == FieldType::Address
                             ? QStringLiteral("{\"city\":\"Austin\",\"country\":\"US\"}")
                             : QStringLiteral("{\"firstName\":\"Ana\",\"lastName\":\"Ruiz\"}"));
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!allowedKeys.contains(it.key())) {
            *error
                = tr("%1 has no member \"%2\" (members: %3).")
                      .arg(fieldName(definition), it.key(), allowedKeys.join(QLatin1String(", ")));
            return std::nullopt;
        }
    }
    return object;
}

} // namespace

namespace ValueParser {

QStringList splitList(const QString &text)
{
    const QString trimmed = text.trimmed();
    QStringList items;
    if (trimmed.startsWith(QLatin1Char('['))) {
        const QJsonDocument document = QJsonDocument::fromJson(trimmed.toUtf8());
        if (document.isArray()) {
            for (const QJsonValue &value : document.array()) {
                const QString item = value.toString().trimmed();
                if (!item.isEmpty())
                    items << item;
            }
            return items;
        }
    }
    for (const QString &part : trimmed.split(QLatin1Char(';'))) {
        const QString item = part.trimmed();
        if (!item.isEmpty())
            items << item;
    }
    return items;
}

std::optional<FieldValue> parseField(
    const FieldDefinition &definition, const QString &text, QString *error)
{
    const FieldType type = definition.type();
    if (isClear(text) && type != FieldType::Checkbox)
        return FieldValue::null(type);
    switch (type) {
    case FieldType::Text:
    case FieldType::Markdown:
        return FieldValue::fromText(type, text);
    case FieldType::SocialHandle: {
        // The form's rules exactly: a handle or a profile URL of the definition's service.
        QString reason;
        const QString url = SocialHandle::profileUrl(definition.handleService(), text, &reason);
        if (url.isEmpty()) {
            *error = tr("%1: %2").arg(fieldName(definition), reason);
            return std::nullopt;
        }
        return FieldValue::fromText(type, url);
    }
    case FieldType::Number: {
        const std::optional<qint64> hundredths = parseHundredths(text);
        if (!hundredths) {
            *error = tr(
                "%1 takes a number with a dot and at most two decimals (e.g. 12.5), not \"%2\".")
                         .arg(fieldName(definition), text);
            return std::nullopt;
        }
        const std::optional<double> number = exactNumber(*hundredths);
        if (!number) {
            *error = tr("%1: \"%2\" has more digits than Lightfield keeps for a number.")
                         .arg(fieldName(definition), text);
            return std::nullopt;
        }
        return FieldValue::fromNumber(*number);
    }
    case FieldType::Currency: {
        const std::optional<qint64> cents = parseHundredths(text);
        if (!cents) {
            *error = tr("%1 takes an amount with a dot and at most two decimals (e.g. 48000 or "
                        "1250.50), not \"%2\".")
                         .arg(fieldName(definition), text);
            return std::nullopt;
        }
        // The amount travels as a JSON number: refuse one that would arrive as another amount.
        if (!exactNumber(*cents)) {
            *error = tr("%1: \"%2\" has more digits than Lightfield keeps for an amount.")
                         .arg(fieldName(definition), text);
            return std::nullopt;
        }
        return FieldValue::fromCents(*cents, definition.currency());
    }
    case FieldType::Checkbox: {
        if (isClear(text))
            return FieldValue::null(type);
        const std::optional<bool> value = parseBool(text);
        if (!value) {
            *error = tr("%1 takes true or false, not \"%2\".").arg(fieldName(definition), text);
            return std::nullopt;
        }
        return FieldValue::fromBool(*value);
    }
    case FieldType::DateTime: {
        const QDateTime value = parseDateTime(text);
        if (!value.isValid()) {
            *error = tr("%1 takes an ISO 8601 date or date and time (e.g. 2026-09-30 or "
                        "2026-09-30T17:00:00Z), not \"%2\".")
                         .arg(fieldName(definition), text);
            return std::nullopt;
        }
        return FieldValue::fromDateTime(value);
    }
    case FieldType::SingleSelect: {
        QList<SelectOption> ambiguous;
        const std::optional<QString> id = matchOption(definition, text, &ambiguous);
        if (!id && !ambiguous.isEmpty()) {
            *error = ambiguityError(definition, text, ambiguous);
            return std::nullopt;
        }
        if (!id) {
            *error = tr("%1 has no option \"%2\" (options: %3).")
                         .arg(fieldName(definition), text.trimmed(), optionLabels(definition));
            return std::nullopt;
        }
        return FieldValue::fromText(type, *id);
    }
    case FieldType::MultiSelect: {
        QStringList ids;
        for (const QString &item : splitList(text)) {
            const std::optional<QString> id = matchOption(definition, item);
            if (!id) {
                *error = tr("%1 has no option \"%2\" (options: %3).")
                             .arg(fieldName(definition), item, optionLabels(definition));
                return std::nullopt;
            }
            if (!ids.contains(*id))
                ids << *id;
        }
        return FieldValue::fromStringList(type, ids);
    }
    case FieldType::Email:
    case FieldType::Url:
    case FieldType::Telephone: {
        const QStringList items = splitList(text);
        for (const QString &item : items) {
            bool ok = true;
            if (type == FieldType::Email) {
                static const QRegularExpression email(
                    QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"));
                ok = email.match(item).hasMatch();
            } else if (type == FieldType::Url) {
                const QUrl url(item, QUrl::StrictMode);
                ok = url.isValid() && !url.host().isEmpty()
                    && (url.scheme() == QLatin1String("https")
                        || url.scheme() == QLatin1String("http"));
            } else {
                static const QRegularExpression phone(QStringLiteral("\\d"));
                ok = phone.match(item).hasMatch();
            }
            if (!ok) {
                *error = tr("%1: \"%2\" is not a valid %3.")
                             .arg(fieldName(definition), item,
                                 type == FieldType::Email     ? tr("e-mail address")
                                     : type == FieldType::Url ? tr("http(s) URL")
                                                              : tr("telephone number"));
                return std::nullopt;
            }
        }
        if (items.size() > 1 && !definition.hasMultipleValues()) {
            *error = tr("%1 holds one value, not %2.").arg(fieldName(definition)).arg(items.size());
            return std::nullopt;
        }
        return FieldValue::fromStringList(type, items);
    }
    case FieldType::Address: {
        const std::optional<QJsonObject> object = parseObject(text,
            {QStringLiteral("street"), QStringLiteral("street2"), QStringLiteral("city"),
                QStringLiteral("state"), QStringLiteral("postalCode"), QStringLiteral("country"),
                QStringLiteral("latitude"), QStringLiteral("longitude")},
            definition, error);
        if (!object)
            return std::nullopt;
        const std::optional<Address> address = Address::fromJson(*object);
        if (!address) {
            *error = tr("%1: text members take strings and latitude / longitude numbers.")
                         .arg(fieldName(definition));
            return std::nullopt;
        }
        if (!address->country.isEmpty() && address->country.size() != 2) {
            *error = tr("%1: country takes a two-letter ISO 3166-1 code (e.g. US), not \"%2\".")
                         .arg(fieldName(definition), address->country);
            return std::nullopt;
        }
        return FieldValue::fromAddress(*address);
    }
    case FieldType::FullName: {
        const std::optional<QJsonObject> object = parseObject(
            text, {QStringLiteral("firstName"), QStringLiteral("lastName")}, definition, error);
        if (!object)
            return std::nullopt;
        const std::optional<FullName> name = FullName::fromJson(*object);
        if (!name) {
            *error = tr("%1: firstName and lastName take strings.").arg(fieldName(definition));
            return std::nullopt;
        }
        return FieldValue::fromFullName(*name);
    }
    case FieldType::Unknown:
        break;
    }
    *error = tr("%1 cannot be written (its type is not known to this version).")
                 .arg(fieldName(definition));
    return std::nullopt;
}

std::optional<QStringList> parseRelationship(const RelationshipDefinition &definition,
    const QString &text, const QList<StoredRecord> &candidates, QString *error)
{
    QStringList ids;
    for (const QString &item : splitList(text)) {
        QString found;
        for (const StoredRecord &record : candidates) {
            if (record.id == item) {
                found = record.id;
                break;
            }
        }
        if (found.isEmpty()) {
            QStringList matches;
            for (const StoredRecord &record : candidates) {
                if (displayName(record.effectiveJson()).compare(item, Qt::CaseInsensitive) == 0)
                    matches << record.id;
            }
            if (matches.size() > 1) {
                *error = tr("%1: \"%2\" names %3 records (%4); give the id.")
                             .arg(definition.key(), item)
                             .arg(matches.size())
                             .arg(matches.join(QLatin1String(", ")));
                return std::nullopt;
            }
            if (matches.size() == 1)
                found = matches.constFirst();
        }
        if (found.isEmpty()) {
            *error = tr("%1: no cached %2 has the id or name \"%3\".")
                         .arg(definition.key(), definition.objectType(), item);
            return std::nullopt;
        }
        if (!ids.contains(found))
            ids << found;
    }
    return ids;
}

QString displayName(const QByteArray &recordJson)
{
    const QJsonObject record = QJsonDocument::fromJson(recordJson).object();
    const QJsonValue name = record.value(QLatin1String("fields"))
                                .toObject()
                                .value(QLatin1String("$name"))
                                .toObject()
                                .value(QLatin1String("value"));
    if (name.isString())
        return name.toString();
    if (name.isObject()) {
        const std::optional<FullName> full = FullName::fromJson(name.toObject());
        if (full)
            return full->displayName();
    }
    return {};
}

} // namespace ValueParser
