#include "sandboxschema.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <cmath>

namespace {

constexpr double kMaxSafeInteger = 9007199254740991.0;

QString str(const char *utf8)
{
    return QString::fromUtf8(utf8);
}

QString quoted(const QString &text)
{
    return QLatin1Char('\'') + text + QLatin1Char('\'');
}

/// "Closed Won" → "closed_won", "1–10" → "1_10": option ids derived from labels stay stable.
QString slugify(const QString &text)
{
    QString out;
    bool separator = false;
    for (const QChar c : text.toLower()) {
        if ((c >= QLatin1Char('a') && c <= QLatin1Char('z'))
            || (c >= QLatin1Char('0') && c <= QLatin1Char('9'))) {
            if (separator && !out.isEmpty())
                out += QLatin1Char('_');
            out += c;
            separator = false;
        } else {
            separator = true;
        }
    }
    return out;
}

struct OptionSpec
{
    const char *label;
    const char *description;
};

QJsonObject selectOptions(const QString &optionGroup, std::initializer_list<OptionSpec> specs)
{
    QJsonArray options;
    for (const OptionSpec &spec : specs) {
        const QString label = str(spec.label);
        options.append(QJsonObject {
            {QStringLiteral("id"),
                QStringLiteral("opt_") + optionGroup + QLatin1Char('_') + slugify(label)},
            {QStringLiteral("label"), label},
            {QStringLiteral("description"),
                spec.description ? QJsonValue(str(spec.description)) : QJsonValue()},
        });
    }
    return {{QStringLiteral("options"), options}};
}

QJsonObject config(std::initializer_list<QPair<const char *, QJsonValue>> members)
{
    QJsonObject out;
    for (const auto &[key, value] : members)
        out.insert(str(key), value);
    return out;
}

/// Builds one schema with ids derived from the type and the key, so they never change.
class SchemaBuilder
{
public:
    SchemaBuilder(const char *objectType, const char *idPrefix, const char *idStem)
        : m_stem(str(idStem))
    {
        m_schema.objectType = str(objectType);
        m_schema.idPrefix = str(idPrefix);
    }

    SandboxFieldDef &field(const char *key, const char *label, const char *valueType,
        QJsonObject typeConfiguration = {}, const char *description = nullptr)
    {
        SandboxFieldDef def;
        def.key = str(key);
        def.id = QStringLiteral("ad_") + m_stem + QLatin1Char('_') + bareKey(def.key);
        def.label = str(label);
        def.description = description ? str(description) : QString();
        def.valueType = str(valueType);
        def.typeConfiguration = std::move(typeConfiguration);
        m_schema.fields.append(def);
        return m_schema.fields.last();
    }

    SandboxRelationshipDef &relationship(const char *key, const char *label,
        const char *cardinality, const char *objectType, const char *description = nullptr)
    {
        SandboxRelationshipDef def;
        def.key = str(key);
        const bool system = def.key.startsWith(QLatin1Char('$'));
        if (!system)
            def.id = QStringLiteral("rd_") + m_stem + QLatin1Char('_') + def.key;
        def.label = str(label);
        def.description = description ? str(description) : QString();
        def.cardinality = str(cardinality);
        def.objectType = str(objectType);
        def.slug = (system ? QStringLiteral("$") : QString()) + m_schema.objectType
            + QLatin1Char('-') + bareKey(def.key);
        m_schema.relationships.append(def);
        return m_schema.relationships.last();
    }

    SandboxSchema take(bool hasDefinitionsEndpoint = true)
    {
        m_schema.hasDefinitionsEndpoint = hasDefinitionsEndpoint;
        return std::move(m_schema);
    }

private:
    static QString bareKey(const QString &key)
    {
        return key.startsWith(QLatin1Char('$')) ? key.mid(1) : key;
    }

    QString m_stem;
    SandboxSchema m_schema;
};

QJsonValue nullIfEmpty(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

ApiError fieldError(const SandboxFieldDef &def, const QString &message)
{
    return ApiError::badRequest(
        QStringLiteral("invalid_type"), message, QStringLiteral("fields.") + def.key);
}

QString jsonTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

ApiError wrongType(const SandboxFieldDef &def, const QString &expected, const QJsonValue &got)
{
    return fieldError(def,
        QStringLiteral("Field %1 (%2) expects %3, got %4.")
            .arg(quoted(def.key), def.valueType, expected, jsonTypeName(got)));
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2 ? 1 : 0;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<qint64>(doe) - 719468;
}

bool isLeapYear(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int daysInMonth(int y, int m)
{
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeapYear(y) ? 29 : kDays[m - 1];
}

/// ISO 8601 → ms since the epoch. Without requireOffset a missing time means midnight and a
/// missing offset means UTC (filters); writes need both.
std::optional<qint64> parseIsoDateTime(const QString &text, bool requireOffset)
{
    static const QRegularExpression re(QStringLiteral(
        "^(\\d{4})-(\\d{2})-(\\d{2})(?:[Tt](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?"
        "([Zz]|[+-]\\d{2}(?::?\\d{2})?)?$"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const bool hasTime = m.capturedLength(4) > 0;
    const QString offset = m.captured(8);
    if (requireOffset && (!hasTime || offset.isEmpty()))
        return std::nullopt;
    const int year = m.captured(1).toInt();
    const int month = m.captured(2).toInt();
    const int day = m.captured(3).toInt();
    const int hour = hasTime ? m.captured(4).toInt() : 0;
    const int minute = hasTime ? m.captured(5).toInt() : 0;
    const int second = m.capturedLength(6) > 0 ? m.captured(6).toInt() : 0;
    const int millis
        = m.capturedLength(7) > 0 ? (m.captured(7) + QStringLiteral("00")).left(3).toInt() : 0;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23
        || minute > 59 || second > 59)
        return std::nullopt;
    qint64 offsetMinutes = 0;
    if (offset.size() > 1) {
        const QString digits = QString(offset.mid(1)).remove(QLatin1Char(':'));
        const int oh = digits.left(2).toInt();
        const int om = digits.size() > 2 ? digits.mid(2).toInt() : 0;
        if (oh > 23 || om > 59)
            return std::nullopt;
        offsetMinutes = (oh * 60 + om) * (offset.startsWith(QLatin1Char('-')) ? -1 : 1);
    }
    const qint64 days
        = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    return ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60'000 + second * 1000LL + millis;
}

/// The stored form "yyyy-MM-ddTHH:mm:ss.zzzZ", which compares correctly as a string.
bool isCanonicalDateTime(const QString &text)
{
    return text.size() == 24 && text.at(10) == QLatin1Char('T') && text.at(19) == QLatin1Char('.')
        && text.at(23) == QLatin1Char('Z');
}

/// Option id for an id or a case-insensitive label; empty when neither matches.
QString resolveOption(const SandboxFieldDef &def, const QString &idOrLabel)
{
    const QJsonArray options = def.typeConfiguration.value(QStringLiteral("options")).toArray();
    for (const QJsonValue &option : options) {
        if (option[QStringLiteral("id")].toString() == idOrLabel)
            return idOrLabel;
    }
    for (const QJsonValue &option : options) {
        if (option[QStringLiteral("label")].toString().compare(idOrLabel, Qt::CaseInsensitive) == 0)
            return option[QStringLiteral("id")].toString();
    }
    return {};
}

QString optionLabels(const SandboxFieldDef &def)
{
    QStringList labels;
    const QJsonArray options = def.typeConfiguration.value(QStringLiteral("options")).toArray();
    for (const QJsonValue &option : options)
        labels.append(option[QStringLiteral("label")].toString());
    return labels.join(QStringLiteral(", "));
}

bool isMultiValued(const SandboxFieldDef &def)
{
    return def.typeConfiguration.value(QStringLiteral("multipleValues")).toBool();
}

using Normalized = std::variant<QJsonValue, ApiError>;
using ItemCheck = std::optional<QString> (*)(const QString &);

std::optional<QString> checkEmail(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$"));
    const QString trimmed = text.trimmed();
    return re.match(trimmed).hasMatch() ? std::optional<QString>(trimmed) : std::nullopt;
}

std::optional<QString> checkUrl(const QString &text)
{
    const QString trimmed = text.trimmed();
    const QUrl url(trimmed, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        || url.host().isEmpty())
        return std::nullopt;
    return trimmed;
}

/// "+1 (512) 555-0100 x12" → "+15125550100;ext=12".
std::optional<QString> checkTelephone(const QString &text)
{
    static const QRegularExpression extension(
        QStringLiteral("\\s*(?:;ext=|x|ext\\.?:?|#)\\s*(\\d{1,6})\\s*$"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression separators(QStringLiteral("[\\s().\\-/]"));
    static const QRegularExpression digitsOnly(QStringLiteral("^\\d+$"));
    QString main = text.trimmed();
    QString ext;
    const QRegularExpressionMatch m = extension.match(main);
    if (m.hasMatch()) {
        ext = m.captured(1);
        main.truncate(m.capturedStart());
    }
    const bool international = main.startsWith(QLatin1Char('+'));
    QString digits = (international ? main.mid(1) : main).remove(separators);
    if (!digitsOnly.match(digits).hasMatch())
        return std::nullopt;
    QString number;
    if (international) {
        if (digits.size() < 7 || digits.size() > 15 || digits.startsWith(QLatin1Char('0')))
            return std::nullopt;
        number = QLatin1Char('+') + digits;
    } else if (digits.size() == 10) {
        number = QStringLiteral("+1") + digits;
    } else if (digits.size() >= 7 && digits.size() <= 15) {
        number = digits;
    } else {
        return std::nullopt;
    }
    return ext.isEmpty() ? number : number + QStringLiteral(";ext=") + ext;
}

Normalized normalizeStrings(
    const SandboxFieldDef &def, const QJsonValue &value, ItemCheck check, const QString &what)
{
    const bool multi = isMultiValued(def);
    const bool telephone = def.valueType == QLatin1String("TELEPHONE");
    QJsonArray items;
    if (telephone && !value.isArray()) {
        // The only documented write shape of TELEPHONE, single-valued or not.
        return wrongType(def, QStringLiteral("an array of phone number strings"), value);
    }
    if (telephone && !multi && value.toArray().size() > 1) {
        return fieldError(def,
            QStringLiteral("Field %1 holds a single phone number; send an array of one.")
                .arg(quoted(def.key)));
    }
    if (value.isString()) {
        items.append(value);
    } else if (value.isArray()) {
        if (!multi && !telephone) {
            return fieldError(def,
                QStringLiteral("Field %1 holds a single %2; send a string, "
                               "not an array.")
                    .arg(quoted(def.key), what));
        }
        items = value.toArray();
    } else {
        return wrongType(def,
            multi ? QStringLiteral("a string or an array of strings") : QStringLiteral("a string"),
            value);
    }
    QJsonArray out;
    for (const QJsonValue &item : std::as_const(items)) {
        if (!item.isString())
            return wrongType(def, QStringLiteral("strings in its array"), item);
        const std::optional<QString> normalized = check(item.toString());
        if (!normalized) {
            return fieldError(def,
                QStringLiteral("%1 is not a valid %2 for field %3.")
                    .arg(quoted(item.toString()), what, quoted(def.key)));
        }
        out.append(*normalized);
    }
    if (multi)
        return QJsonValue(out);
    return out.first();
}

Normalized normalizeNumber(const SandboxFieldDef &def, const QJsonValue &value)
{
    if (!value.isDouble())
        return wrongType(def, QStringLiteral("a number"), value);
    const double x = value.toDouble();
    if (!std::isfinite(x) || std::abs(x) > kMaxSafeInteger) {
        return fieldError(
            def, QStringLiteral("Field %1 must be within ±9007199254740991.").arg(quoted(def.key)));
    }
    // Exact: a value with at most two decimals survives a round trip through "%.2f".
    if (QString::number(x, 'f', 2).toDouble() != x) {
        return fieldError(def,
            QStringLiteral("Field %1 allows at most 2 decimal places, got %2.")
                .arg(quoted(def.key), QString::number(x, 'g', 17)));
    }
    return value;
}

Normalized normalizeDateTime(const SandboxFieldDef &def, const QJsonValue &value)
{
    if (!value.isString())
        return wrongType(def, QStringLiteral("an ISO 8601 string"), value);
    const std::optional<qint64> ms = parseIsoDateTime(value.toString(), true);
    if (!ms) {
        return fieldError(def,
            QStringLiteral("Field %1 expects an ISO 8601 date and time with an "
                           "offset, such as 2026-09-30T17:00:00+00:00; got %2.")
                .arg(quoted(def.key), quoted(value.toString())));
    }
    return QJsonValue(sandboxIsoFromMs(*ms));
}

Normalized normalizeAddress(const SandboxFieldDef &def, const QJsonValue &value)
{
    if (!value.isObject())
        return wrongType(def, QStringLiteral("an address object"), value);
    static const QStringList textMembers {QStringLiteral("street"), QStringLiteral("street2"),
        QStringLiteral("city"), QStringLiteral("state"), QStringLiteral("postalCode"),
        QStringLiteral("country")};
    static const QStringList numberMembers {
        QStringLiteral("latitude"), QStringLiteral("longitude")};
    const QJsonObject in = value.toObject();
    for (auto it = in.begin(); it != in.end(); ++it) {
        if (!textMembers.contains(it.key()) && !numberMembers.contains(it.key())) {
            return fieldError(def,
                QStringLiteral("Unknown address member %1 in field %2; allowed: "
                               "street, street2, city, state, postalCode, "
                               "country, latitude, longitude.")
                    .arg(quoted(it.key()), quoted(def.key)));
        }
    }
    QJsonObject out;
    for (const QString &member : textMembers) {
        const QJsonValue v = in.value(member);
        if (v.isUndefined() || v.isNull()) {
            out.insert(member, QJsonValue());
            continue;
        }
        if (!v.isString()) {
            return fieldError(def,
                QStringLiteral("Address member %1 of field %2 must be a string "
                               "or null, got %3.")
                    .arg(quoted(member), quoted(def.key), jsonTypeName(v)));
        }
        QString text = v.toString();
        if (member == QLatin1String("country")) {
            static const QRegularExpression twoLetters(QStringLiteral("^[A-Za-z]{2}$"));
            if (!twoLetters.match(text).hasMatch()) {
                return fieldError(def,
                    QStringLiteral("Address country of field %1 must be an ISO "
                                   "3166-1 alpha-2 code (two letters), got %2.")
                        .arg(quoted(def.key), quoted(text)));
            }
            text = text.toUpper();
        }
        out.insert(member, text);
    }
    for (const QString &member : numberMembers) {
        const QJsonValue v = in.value(member);
        if (v.isUndefined() || v.isNull()) {
            out.insert(member, QJsonValue());
            continue;
        }
        const double limit = member == QLatin1String("latitude") ? 90 : 180;
        if (!v.isDouble() || std::abs(v.toDouble()) > limit) {
            return fieldError(def,
                QStringLiteral("Address member %1 of field %2 must be a number "
                               "between -%3 and %3.")
                    .arg(quoted(member), quoted(def.key))
                    .arg(limit));
        }
        out.insert(member, v);
    }
    return QJsonValue(out);
}

Normalized normalizeFullName(const SandboxFieldDef &def, const QJsonValue &value)
{
    if (!value.isObject())
        return wrongType(def, QStringLiteral("an object with firstName and lastName"), value);
    const QJsonObject in = value.toObject();
    QJsonObject out {
        {QStringLiteral("firstName"), QJsonValue()}, {QStringLiteral("lastName"), QJsonValue()}};
    for (auto it = in.begin(); it != in.end(); ++it) {
        if (!out.contains(it.key())) {
            return fieldError(def,
                QStringLiteral("Unknown member %1 in field %2; a full name has "
                               "only firstName and lastName.")
                    .arg(quoted(it.key()), quoted(def.key)));
        }
        if (!it.value().isString() && !it.value().isNull()) {
            return fieldError(def,
                QStringLiteral("%1 of field %2 must be a string or null, got %3.")
                    .arg(it.key(), quoted(def.key), jsonTypeName(it.value())));
        }
        out.insert(it.key(), it.value());
    }
    return QJsonValue(out);
}

Normalized normalizeSocialHandle(const SandboxFieldDef &def, const QJsonValue &value)
{
    if (!value.isString())
        return wrongType(def, QStringLiteral("a profile URL string"), value);
    static const QRegularExpression twitter(
        QStringLiteral("^https://(www\\.)?(x|twitter)\\.com/[A-Za-z0-9_]{1,15}/?$"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression linkedIn(
        QStringLiteral("^https://(www\\.)?linkedin\\.com/(in|company)/[^/?#\\s]+/?$"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression facebook(
        QStringLiteral("^https://(www\\.)?facebook\\.com/[^/?#\\s]+/?$"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression instagram(
        QStringLiteral("^https://(www\\.)?instagram\\.com/[^/?#\\s]+/?$"),
        QRegularExpression::CaseInsensitiveOption);
    const QString service = def.typeConfiguration.value(QStringLiteral("handleService")).toString();
    const QString text = value.toString().trimmed();
    bool ok = false;
    QString example;
    if (service == QLatin1String("TWITTER")) {
        ok = twitter.match(text).hasMatch();
        example = QStringLiteral("https://x.com/handle");
    } else if (service == QLatin1String("LINKEDIN")) {
        ok = linkedIn.match(text).hasMatch();
        example = QStringLiteral("https://linkedin.com/in/name or /company/name");
    } else if (service == QLatin1String("FACEBOOK")) {
        ok = facebook.match(text).hasMatch();
        example = QStringLiteral("https://facebook.com/name");
    } else if (service == QLatin1String("INSTAGRAM")) {
        ok = instagram.match(text).hasMatch();
        example = QStringLiteral("https://instagram.com/name");
    } else {
        ok = twitter.match(text).hasMatch() || linkedIn.match(text).hasMatch()
            || facebook.match(text).hasMatch() || instagram.match(text).hasMatch();
        example = QStringLiteral("a social profile URL");
    }
    if (!ok) {
        return fieldError(def,
            QStringLiteral("Field %1 expects %2, got %3.")
                .arg(quoted(def.key), example, quoted(text)));
    }
    return QJsonValue(text);
}

Normalized normalizeSingleSelect(const SandboxFieldDef &def, const QJsonValue &value)
{
    if (!value.isString())
        return wrongType(def, QStringLiteral("an option id or label"), value);
    const QString id = resolveOption(def, value.toString());
    if (id.isEmpty()) {
        return fieldError(def,
            QStringLiteral("Unknown option %1 for field %2; options: %3.")
                .arg(quoted(value.toString()), quoted(def.key), optionLabels(def)));
    }
    return QJsonValue(id);
}

Normalized normalizeMultiSelect(const SandboxFieldDef &def, const QJsonValue &value)
{
    if (!value.isArray())
        return wrongType(def, QStringLiteral("an array of option ids or labels"), value);
    QJsonArray out;
    QSet<QString> seen;
    const QJsonArray items = value.toArray();
    for (const QJsonValue &item : items) {
        if (!item.isString())
            return wrongType(def, QStringLiteral("option ids or labels in its array"), item);
        const QString id = resolveOption(def, item.toString());
        if (id.isEmpty()) {
            return fieldError(def,
                QStringLiteral("Unknown option %1 for field %2; options: %3.")
                    .arg(quoted(item.toString()), quoted(def.key), optionLabels(def)));
        }
        if (!seen.contains(id)) {
            seen.insert(id);
            out.append(id);
        }
    }
    return QJsonValue(out);
}

// Filtering.

const QStringList &operatorNames()
{
    static const QStringList names {QStringLiteral("equal"), QStringLiteral("greaterThan"),
        QStringLiteral("greaterThanOrEqual"), QStringLiteral("lessThan"),
        QStringLiteral("lessThanOrEqual"), QStringLiteral("startsWith"),
        QStringLiteral("contains")};
    return names;
}

QStringList operatorsFor(const QString &valueType)
{
    const QStringList &all = operatorNames();
    if (valueType == QLatin1String("NUMBER") || valueType == QLatin1String("CURRENCY")
        || valueType == QLatin1String("DATETIME"))
        return all.mid(0, 5);
    if (valueType == QLatin1String("TEXT") || valueType == QLatin1String("FULL_NAME")
        || valueType == QLatin1String("SOCIAL_HANDLE") || valueType == QLatin1String("ADDRESS"))
        return {all.at(0), all.at(5)};
    if (valueType == QLatin1String("CHECKBOX") || valueType == QLatin1String("SINGLE_SELECT"))
        return {all.at(0)};
    if (valueType == QLatin1String("EMAIL") || valueType == QLatin1String("TELEPHONE")
        || valueType == QLatin1String("URL"))
        return {all.at(6)};
    return {};
}

std::optional<bool> parseCheckbox(const QString &text)
{
    if (text.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0)
        return true;
    if (text.compare(QLatin1String("false"), Qt::CaseInsensitive) == 0)
        return false;
    return std::nullopt;
}

std::optional<double> parseNumber(const QString &text)
{
    bool ok = false;
    const double x = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(x))
        return std::nullopt;
    return x;
}

/// The text a TEXT-like filter compares against.
QString filterText(const QString &valueType, const QJsonValue &value)
{
    if (valueType == QLatin1String("FULL_NAME")) {
        QStringList parts;
        for (const QString &member : {QStringLiteral("firstName"), QStringLiteral("lastName")}) {
            const QString part = value[member].toString();
            if (!part.isEmpty())
                parts.append(part);
        }
        return parts.join(QLatin1Char(' '));
    }
    if (valueType == QLatin1String("ADDRESS")) {
        // Coordinates are left out: nobody types them into a text filter.
        QStringList parts;
        for (const QString &member :
            {QStringLiteral("street"), QStringLiteral("street2"), QStringLiteral("city"),
                QStringLiteral("state"), QStringLiteral("postalCode"), QStringLiteral("country")}) {
            const QString part = value[member].toString();
            if (!part.isEmpty())
                parts.append(part);
        }
        return parts.join(QStringLiteral(", "));
    }
    return value.toString();
}

bool compareOrdered(int cmp, const QString &op)
{
    if (op == QLatin1String("equal"))
        return cmp == 0;
    if (op == QLatin1String("greaterThan"))
        return cmp > 0;
    if (op == QLatin1String("greaterThanOrEqual"))
        return cmp >= 0;
    if (op == QLatin1String("lessThan"))
        return cmp < 0;
    if (op == QLatin1String("lessThanOrEqual"))
        return cmp <= 0;
    return false;
}

bool matchField(const SandboxFieldDef &def, const QJsonValue &value, const SandboxFilter &filter)
{
    const QString &type = def.valueType;
    const QString &op = filter.op;
    if (type == QLatin1String("NUMBER") || type == QLatin1String("CURRENCY")) {
        const std::optional<double> wanted = parseNumber(filter.value);
        if (!value.isDouble() || !wanted)
            return false;
        const double x = value.toDouble();
        return compareOrdered(x < *wanted ? -1 : (x > *wanted ? 1 : 0), op);
    }
    if (type == QLatin1String("DATETIME")) {
        if (!value.isString())
            return false;
        QString wanted = filter.value;
        if (!isCanonicalDateTime(wanted)) {
            const std::optional<qint64> ms = parseIsoDateTime(wanted, false);
            if (!ms)
                return false;
            wanted = sandboxIsoFromMs(*ms);
        }
        return compareOrdered(value.toString().compare(wanted), op);
    }
    if (type == QLatin1String("CHECKBOX")) {
        const std::optional<bool> wanted = parseCheckbox(filter.value);
        return wanted && value.toBool(false) == *wanted;
    }
    if (type == QLatin1String("SINGLE_SELECT")) {
        if (!value.isString())
            return false;
        const QString stored = value.toString();
        return stored == filter.value || stored == resolveOption(def, filter.value);
    }
    if (type == QLatin1String("EMAIL") || type == QLatin1String("TELEPHONE")
        || type == QLatin1String("URL")) {
        QStringList items;
        if (value.isString()) {
            items.append(value.toString());
        } else {
            const QJsonArray array = value.toArray();
            for (const QJsonValue &item : array)
                items.append(item.toString());
        }
        if (filter.value.isEmpty())
            return !items.isEmpty();
        for (const QString &item : std::as_const(items)) {
            if (item.contains(filter.value, Qt::CaseInsensitive))
                return true;
        }
        return false;
    }
    const QString text = value.isNull() ? QString() : filterText(type, value);
    if (op == QLatin1String("startsWith")) {
        if (filter.value.isEmpty())
            return !text.isEmpty();
        return text.startsWith(filter.value, Qt::CaseInsensitive);
    }
    return text.compare(filter.value, Qt::CaseInsensitive) == 0;
}

} // namespace

const SandboxFieldDef *SandboxSchema::field(const QString &key) const
{
    for (const SandboxFieldDef &def : fields) {
        if (def.key == key)
            return &def;
    }
    return nullptr;
}

const SandboxRelationshipDef *SandboxSchema::relationship(const QString &key) const
{
    for (const SandboxRelationshipDef &def : relationships) {
        if (def.key == key)
            return &def;
    }
    return nullptr;
}

const SandboxRelationshipDef *SandboxSchema::relationshipBySlug(const QString &slug) const
{
    for (const SandboxRelationshipDef &def : relationships) {
        if (def.slug == slug)
            return &def;
    }
    return nullptr;
}

QJsonObject SandboxSchema::definitionsJson() const
{
    QJsonObject fieldDefinitions;
    for (const SandboxFieldDef &def : fields) {
        fieldDefinitions.insert(def.key,
            QJsonObject {
                {QStringLiteral("id"), def.id},
                {QStringLiteral("label"), def.label},
                {QStringLiteral("description"), nullIfEmpty(def.description)},
                {QStringLiteral("valueType"), def.valueType},
                {QStringLiteral("readOnly"), def.readOnly},
                {QStringLiteral("typeConfiguration"), def.typeConfiguration},
            });
    }
    QJsonObject relationshipDefinitions;
    for (const SandboxRelationshipDef &def : relationships) {
        relationshipDefinitions.insert(def.key,
            QJsonObject {
                {QStringLiteral("id"), nullIfEmpty(def.id)},
                {QStringLiteral("label"), def.label},
                {QStringLiteral("description"), nullIfEmpty(def.description)},
                {QStringLiteral("cardinality"), def.cardinality},
                {QStringLiteral("objectType"), def.objectType},
                {QStringLiteral("slug"), def.slug},
                {QStringLiteral("readOnly"), def.readOnly},
            });
        if (def.advertisesCreateOnly) {
            QJsonObject entry = relationshipDefinitions.value(def.key).toObject();
            entry.insert(QStringLiteral("createOnly"), def.createOnly);
            relationshipDefinitions.insert(def.key, entry);
        }
    }
    return {
        {QStringLiteral("objectType"), objectType},
        {QStringLiteral("fieldDefinitions"), fieldDefinitions},
        {QStringLiteral("relationshipDefinitions"), relationshipDefinitions},
    };
}

SandboxSchema SandboxSchema::opportunity()
{
    SchemaBuilder b("opportunity", "opp_", "opp");
    b.field("$name", "Name", "TEXT", {}, "The deal's display name").required = true;
    b.field("$stage", "Stage", "SINGLE_SELECT",
         selectOptions(QStringLiteral("stage"),
             {{"Prospecting", "Qualifying interest; no meeting held yet"},
                 {"Discovery", "Understanding the buyer's problem and process"},
                 {"Proposal", "A priced proposal has been sent"},
                 {"Negotiation", "Terms and paperwork in review"}, {"Closed Won", "Signed"},
                 {"Closed Lost", "The buyer decided against us"}}),
         "Where the deal is in the sales process")
        .required
        = true;
    b.field("$opportunityStatus", "Status", "SINGLE_SELECT",
         selectOptions(
             QStringLiteral("status"), {{"Open", nullptr}, {"Won", nullptr}, {"Lost", nullptr}}),
         "Derived from the stage")
        .readOnly
        = true;
    b.field("$amount", "Amount", "CURRENCY", config({{"currency", QStringLiteral("USD")}}));
    b.field("closeDate", "Close date", "DATETIME");
    b.field("$summary", "AI summary", "MARKDOWN", {}, "Generated by Lightfield from activity")
        .readOnly
        = true;
    b.field("$lastInteractionAt", "Last interaction", "DATETIME").readOnly = true;
    b.field("nextSteps", "Next steps", "MARKDOWN");
    b.field("probability", "Probability (%)", "NUMBER");
    b.field("isStrategic", "Strategic", "CHECKBOX");
    b.field("competitors", "Competitors", "MULTI_SELECT",
        selectOptions(QStringLiteral("competitors"),
            {{"Salesforce", "Sales Cloud, usually Enterprise edition"}, {"HubSpot", "Sales Hub"},
                {"Pipedrive", "Pipeline-first CRM for small teams"},
                {"Attio", "Data-model-first CRM"},
                {"In-house", "A spreadsheet or a tool built by the buyer"}}));
    b.field("forecastCategory", "Forecast category", "SINGLE_SELECT",
        selectOptions(QStringLiteral("forecast"),
            {{"Pipeline", "Early; not counted in the forecast"},
                {"Best case", "Could close this period with some luck"},
                {"Commit", "Will close this period"}, {"Omitted", "Excluded from the forecast"}}));
    b.field("billingEmail", "Billing email", "EMAIL",
        config({{"multipleValues", true}, {"unique", false}}));
    b.field("dealRoom", "Deal room", "URL", config({{"multipleValues", false}}));
    b.field("buyerPhones", "Buyer phones", "TELEPHONE", config({{"multipleValues", true}}));
    b.field("deliveryAddress", "Delivery address", "ADDRESS");
    b.field("economicBuyer", "Economic buyer", "FULL_NAME");
    b.field("buyerLinkedIn", "Buyer LinkedIn", "SOCIAL_HANDLE",
        config({{"handleService", QStringLiteral("LINKEDIN")}}));
    b.field("arrEur", "ARR (EUR)", "CURRENCY", config({{"currency", QStringLiteral("EUR")}}));

    b.relationship("$account", "Account", "HAS_ONE", "account").required = true;
    b.relationship("$owner", "Owner", "HAS_ONE", "member", "The member who owns the deal");
    b.relationship("$createdBy", "Created by", "HAS_ONE", "member").createOnly = true;
    b.relationship("$champion", "Champion", "HAS_ONE", "contact", "The buyer's internal champion");
    b.relationship("$evaluator", "Evaluators", "HAS_MANY", "contact");
    b.relationship("$task", "Tasks", "HAS_MANY", "task").readOnly = true;
    b.relationship("$note", "Notes", "HAS_MANY", "note").readOnly = true;
    return b.take();
}

SandboxSchema SandboxSchema::opportunityWithPipelines()
{
    SandboxSchema schema = opportunity();
    struct PipelineSpec
    {
        const char *id;
        const char *name;
        const char *stem;
        QStringList stages;
    };
    const PipelineSpec pipelines[] = {
        {"pd_new_business", "New Business", "nb",
            {QStringLiteral("Lead"), QStringLiteral("Qualified"), QStringLiteral("Proposal"),
                QStringLiteral("Won"), QStringLiteral("Lost")}},
        {"pd_renewals", "Renewals", "rn",
            {QStringLiteral("Lead"), QStringLiteral("Proposal"), QStringLiteral("Won"),
                QStringLiteral("Lost")}},
    };
    QJsonArray pipelineOptions;
    QJsonArray stageOptions;
    for (const PipelineSpec &pipeline : pipelines) {
        pipelineOptions.append(QJsonObject {{QStringLiteral("id"), str(pipeline.id)},
            {QStringLiteral("label"), str(pipeline.name)},
            {QStringLiteral("description"), QJsonValue()}});
        for (const QString &stage : pipeline.stages) {
            stageOptions.append(QJsonObject {
                {QStringLiteral("id"),
                    QStringLiteral("opt_stage_%1_%2").arg(str(pipeline.stem), slugify(stage))},
                {QStringLiteral("label"), stage}, {QStringLiteral("description"), QJsonValue()},
                {QStringLiteral("parentId"), str(pipeline.id)}});
        }
    }
    for (SandboxFieldDef &def : schema.fields) {
        if (def.key == QLatin1String("$stage")) {
            def.typeConfiguration = QJsonObject {{QStringLiteral("options"), stageOptions},
                {QStringLiteral("parentFieldKey"), QStringLiteral("$pipeline")}};
        }
    }
    SandboxFieldDef pipeline;
    pipeline.key = QStringLiteral("$pipeline");
    pipeline.id = QStringLiteral("ad_opp_pipeline");
    pipeline.label = QStringLiteral("Pipeline");
    pipeline.description = QStringLiteral("Write hint for $stage; not stored");
    pipeline.valueType = QStringLiteral("SINGLE_SELECT");
    pipeline.typeConfiguration = QJsonObject {{QStringLiteral("options"), pipelineOptions}};
    schema.fields.insert(2, pipeline);
    return schema;
}

SandboxSchema SandboxSchema::account()
{
    SchemaBuilder b("account", "acc_", "acc");
    b.field("$name", "Name", "TEXT").required = true;
    b.field("$website", "Website", "URL", config({{"multipleValues", true}, {"unique", true}}),
        "Writing it starts background enrichment");
    b.field("$industry", "Industry", "MULTI_SELECT",
        selectOptions(QStringLiteral("industry"),
            {{"Software", nullptr}, {"Financial services", "Banks, insurers, fintech"},
                {"Healthcare", nullptr}, {"Manufacturing", nullptr}, {"Retail", nullptr},
                {"Logistics", nullptr}, {"Energy", nullptr}, {"Media", nullptr},
                {"Public sector", "Government and education"}}));
    b.field("$headcount", "Headcount", "SINGLE_SELECT",
        selectOptions(QStringLiteral("headcount"),
            {{"1–10", nullptr}, {"11–50", nullptr}, {"51–200", nullptr}, {"201–1000", nullptr},
                {"1001–5000", nullptr}, {"5000+", nullptr}}));
    b.field("$primaryAddress", "Primary address", "ADDRESS");
    b.field("$linkedIn", "LinkedIn", "SOCIAL_HANDLE",
        config({{"handleService", QStringLiteral("LINKEDIN")}}));
    b.field("twitter", "X (Twitter)", "SOCIAL_HANDLE",
        config({{"handleService", QStringLiteral("TWITTER")}}));
    b.field("$howTheyMakeMoney", "How they make money", "MARKDOWN", {},
         "Generated by Lightfield from public sources")
        .readOnly
        = true;
    b.field("$accountStatus", "Account status", "SINGLE_SELECT",
         selectOptions(QStringLiteral("accountstatus"),
             {{"Prospect", "No signed deal yet"}, {"Customer", "At least one won deal"},
                 {"Churned", "Was a customer"}}))
        .readOnly
        = true;

    b.relationship("$owner", "Owner", "HAS_ONE", "member");
    b.relationship("$contact", "Contacts", "HAS_MANY", "contact");
    b.relationship("$opportunity", "Opportunities", "HAS_MANY", "opportunity").readOnly = true;
    b.relationship("$task", "Tasks", "HAS_MANY", "task").readOnly = true;
    b.relationship("$note", "Notes", "HAS_MANY", "note").readOnly = true;
    return b.take();
}

SandboxSchema SandboxSchema::contact()
{
    SchemaBuilder b("contact", "con_", "con");
    b.field("$name", "Name", "FULL_NAME").required = true;
    b.field("$email", "Email", "EMAIL", config({{"multipleValues", true}, {"unique", true}}));
    b.field("$phone", "Phone", "TELEPHONE", config({{"multipleValues", true}}));
    b.field("$title", "Title", "TEXT");
    b.field("$linkedIn", "LinkedIn", "SOCIAL_HANDLE",
        config({{"handleService", QStringLiteral("LINKEDIN")}}));

    b.relationship("$account", "Account", "HAS_ONE", "account");
    b.relationship("$owner", "Owner", "HAS_ONE", "member");
    return b.take();
}

SandboxSchema SandboxSchema::member()
{
    SchemaBuilder b("member", "mem_", "mem");
    b.field("$email", "Email", "EMAIL", config({{"multipleValues", false}})).readOnly = true;
    b.field("$name", "Name", "FULL_NAME").readOnly = true;
    b.field("$profileImage", "Profile image", "URL", config({{"multipleValues", false}})).readOnly
        = true;
    b.field("$role", "Role", "TEXT").readOnly = true;
    return b.take(false);
}

SandboxSchema SandboxSchema::list()
{
    SchemaBuilder b("list", "lst_", "lst");
    b.field("$name", "Name", "TEXT").required = true;
    b.field("$objectType", "Object type", "TEXT").required = true;
    return b.take(false);
}

QStringList sandboxValueTypes()
{
    return {QStringLiteral("TEXT"), QStringLiteral("NUMBER"), QStringLiteral("CHECKBOX"),
        QStringLiteral("CURRENCY"), QStringLiteral("DATETIME"), QStringLiteral("EMAIL"),
        QStringLiteral("TELEPHONE"), QStringLiteral("URL"), QStringLiteral("ADDRESS"),
        QStringLiteral("FULL_NAME"), QStringLiteral("SOCIAL_HANDLE"),
        QStringLiteral("SINGLE_SELECT"), QStringLiteral("MULTI_SELECT"),
        QStringLiteral("MARKDOWN")};
}

bool sandboxWritesArray(const SandboxFieldDef &def)
{
    const QString &type = def.valueType;
    return type == QLatin1String("MULTI_SELECT") || type == QLatin1String("TELEPHONE")
        || ((type == QLatin1String("EMAIL") || type == QLatin1String("URL")) && isMultiValued(def));
}

std::optional<SandboxWriteRules::AddressWrite> SandboxWriteRules::addressWriteFromName(
    const QString &name)
{
    if (name == QLatin1String("merge"))
        return AddressWrite::Merge;
    if (name == QLatin1String("replace"))
        return AddressWrite::Replace;
    return std::nullopt;
}

std::optional<SandboxWriteRules::MultiClear> SandboxWriteRules::multiClearFromName(
    const QString &name)
{
    if (name == QLatin1String("null"))
        return MultiClear::Null;
    if (name == QLatin1String("empty"))
        return MultiClear::Empty;
    if (name == QLatin1String("both"))
        return MultiClear::Both;
    return std::nullopt;
}

QString SandboxWriteRules::addressWriteName(AddressWrite value)
{
    return value == AddressWrite::Merge ? QStringLiteral("merge") : QStringLiteral("replace");
}

QString SandboxWriteRules::multiClearName(MultiClear value)
{
    switch (value) {
    case MultiClear::Null:
        return QStringLiteral("null");
    case MultiClear::Empty:
        return QStringLiteral("empty");
    case MultiClear::Both:
        break;
    }
    return QStringLiteral("both");
}

std::variant<QJsonValue, ApiError> normalizeFieldWrite(
    const SandboxFieldDef &def, const QJsonValue &value, const SandboxWriteRules &rules)
{
    // A list clear: which of null and [] clears is a reading (--multi-clear); the other form is
    // refused, as a strict server would.
    const bool emptyArray = value.isArray() && value.toArray().isEmpty();
    if (sandboxWritesArray(def) && !def.required && (value.isNull() || emptyArray)) {
        const bool nullAccepted = rules.multiClear != SandboxWriteRules::MultiClear::Empty;
        const bool emptyAccepted = rules.multiClear != SandboxWriteRules::MultiClear::Null;
        if (value.isNull() ? nullAccepted : emptyAccepted)
            return QJsonValue();
        return ApiError::badRequest(QStringLiteral("invalid_value"),
            value.isNull() ? QStringLiteral("Field %1 is a list: clear it with [], not null.")
                                 .arg(quoted(def.key))
                           : QStringLiteral("Field %1 is a list: clear it with null, not [].")
                                 .arg(quoted(def.key)),
            QStringLiteral("fields.") + def.key);
    }
    if (value.isNull() || value.isUndefined()) {
        if (def.required) {
            return ApiError::badRequest(QStringLiteral("parameter_missing"),
                QStringLiteral("Field %1 is required and cannot be null.").arg(quoted(def.key)),
                QStringLiteral("fields.") + def.key);
        }
        return QJsonValue();
    }
    const QString &type = def.valueType;
    if (type == QLatin1String("TEXT") || type == QLatin1String("MARKDOWN")) {
        if (!value.isString())
            return wrongType(def, QStringLiteral("a string"), value);
        return value;
    }
    if (type == QLatin1String("NUMBER") || type == QLatin1String("CURRENCY"))
        return normalizeNumber(def, value);
    if (type == QLatin1String("CHECKBOX")) {
        if (!value.isBool())
            return wrongType(def, QStringLiteral("true or false"), value);
        return value;
    }
    if (type == QLatin1String("DATETIME"))
        return normalizeDateTime(def, value);
    if (type == QLatin1String("EMAIL"))
        return normalizeStrings(def, value, checkEmail, QStringLiteral("email address"));
    if (type == QLatin1String("URL"))
        return normalizeStrings(def, value, checkUrl, QStringLiteral("http(s) URL"));
    if (type == QLatin1String("TELEPHONE"))
        return normalizeStrings(def, value, checkTelephone, QStringLiteral("phone number"));
    if (type == QLatin1String("ADDRESS"))
        return normalizeAddress(def, value);
    if (type == QLatin1String("FULL_NAME"))
        return normalizeFullName(def, value);
    if (type == QLatin1String("SOCIAL_HANDLE"))
        return normalizeSocialHandle(def, value);
    if (type == QLatin1String("SINGLE_SELECT"))
        return normalizeSingleSelect(def, value);
    if (type == QLatin1String("MULTI_SELECT"))
        return normalizeMultiSelect(def, value);
    return fieldError(def,
        QStringLiteral("Field %1 has the unsupported value type %2.")
            .arg(quoted(def.key), quoted(type)));
}

std::variant<QList<SandboxFilter>, ApiError> parseFilters(
    const SandboxSchema &schema, const QUrlQuery &query)
{
    QList<SandboxFilter> filters;
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto &[rawKey, value] : items) {
        if (rawKey == QLatin1String("limit") || rawKey == QLatin1String("offset"))
            continue;
        SandboxFilter filter;
        filter.key = rawKey;
        filter.value = value;
        bool explicitOperator = false;
        const qsizetype open = rawKey.lastIndexOf(QLatin1Char('['));
        if (rawKey.endsWith(QLatin1Char(']')) && open > 0) {
            filter.key = rawKey.left(open);
            filter.op = rawKey.mid(open + 1, rawKey.size() - open - 2);
            explicitOperator = true;
            if (filter.op.startsWith(QLatin1Char('-'))) {
                filter.negate = true;
                filter.op.remove(0, 1);
            }
        }

        const SandboxFieldDef *def = schema.field(filter.key);
        const SandboxRelationshipDef *rel = def ? nullptr : schema.relationshipBySlug(filter.key);
        if (!def && !rel) {
            QString message = QStringLiteral("Unrecognized filter key %1 for '%2'.")
                                  .arg(quoted(filter.key), schema.objectType);
            if (const SandboxRelationshipDef *byKey = schema.relationship(filter.key)) {
                message += QStringLiteral(" Relationships are filtered by their slug, here %1.")
                               .arg(quoted(byKey->slug));
            }
            return ApiError::badRequest(QStringLiteral("unknown_field"), message, filter.key);
        }
        const QStringList allowed = def
            ? operatorsFor(def->valueType)
            : QStringList {QStringLiteral("equal"), QStringLiteral("contains")};
        if (allowed.isEmpty()) {
            return ApiError::badRequest(QStringLiteral("invalid_filter"),
                QStringLiteral("Field %1 (%2) cannot be filtered.")
                    .arg(quoted(filter.key), def->valueType),
                filter.key);
        }
        if (!explicitOperator) {
            filter.op = allowed.contains(QLatin1String("equal")) ? QStringLiteral("equal")
                                                                 : QStringLiteral("contains");
        }
        if (!operatorNames().contains(filter.op)) {
            return ApiError::badRequest(QStringLiteral("invalid_filter"),
                QStringLiteral("Unknown filter operator %1 on %2; "
                               "operators: %3.")
                    .arg(quoted(filter.op), quoted(filter.key),
                        operatorNames().join(QStringLiteral(", "))),
                filter.key);
        }
        if (!allowed.contains(filter.op)) {
            return ApiError::badRequest(QStringLiteral("invalid_filter"),
                QStringLiteral("Operator %1 is not supported for %2 "
                               "(%3); use %4.")
                    .arg(quoted(filter.op), quoted(filter.key),
                        def ? def->valueType : QStringLiteral("relationship"),
                        allowed.join(QStringLiteral(", "))),
                filter.key);
        }

        if (def) {
            const QString &type = def->valueType;
            QString expected;
            if ((type == QLatin1String("NUMBER") || type == QLatin1String("CURRENCY"))
                && !parseNumber(value)) {
                expected = QStringLiteral("a number");
            } else if (type == QLatin1String("DATETIME") && !parseIsoDateTime(value, false)) {
                expected = QStringLiteral("an ISO 8601 date, such as 2026-03-01T00:00:00.000Z");
            } else if (type == QLatin1String("CHECKBOX") && !parseCheckbox(value)) {
                expected = QStringLiteral("true or false");
            } else if (type == QLatin1String("SINGLE_SELECT")
                && resolveOption(*def, value).isEmpty()) {
                expected = QStringLiteral("an option id or label (%1)").arg(optionLabels(*def));
            }
            if (!expected.isEmpty()) {
                return ApiError::badRequest(QStringLiteral("invalid_type"),
                    QStringLiteral("Filter %1 expects %2, got %3.")
                        .arg(quoted(filter.key), expected, quoted(value)),
                    filter.key);
            }
        }
        filters.append(filter);
    }
    return filters;
}

bool matchesFilters(
    const SandboxSchema &schema, const QJsonObject &record, const QList<SandboxFilter> &filters)
{
    if (filters.isEmpty())
        return true;
    const QJsonObject fields = record.value(QStringLiteral("fields")).toObject();
    const QJsonObject relationships = record.value(QStringLiteral("relationships")).toObject();
    for (const SandboxFilter &filter : filters) {
        bool matched = false;
        if (const SandboxFieldDef *def = schema.field(filter.key)) {
            matched = matchField(*def, fields.value(filter.key)[QStringLiteral("value")], filter);
        } else if (const SandboxRelationshipDef *rel = schema.relationshipBySlug(filter.key)) {
            const QJsonArray values
                = relationships.value(rel->key)[QStringLiteral("values")].toArray();
            matched = values.contains(QJsonValue(filter.value));
        }
        if (matched == filter.negate)
            return false;
    }
    return true;
}

QString sandboxIsoFromMs(qint64 ms)
{
    qint64 days = ms >= 0 ? ms / 86'400'000 : -((-ms + 86'399'999) / 86'400'000);
    const qint64 rest = ms - days * 86'400'000;
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const auto doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const qint64 y = static_cast<qint64>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
    QChar text[24] = {u'0', u'0', u'0', u'0', u'-', u'0', u'0', u'-', u'0', u'0', u'T', u'0', u'0',
        u':', u'0', u'0', u':', u'0', u'0', u'.', u'0', u'0', u'0', u'Z'};
    const auto put = [&text](int position, qint64 value, int width) {
        for (int i = width - 1; i >= 0; --i, value /= 10)
            text[position + i] = QChar(char16_t(u'0' + value % 10));
    };
    put(0, y, 4);
    put(5, m, 2);
    put(8, d, 2);
    put(11, rest / 3'600'000, 2);
    put(14, rest / 60'000 % 60, 2);
    put(17, rest / 1000 % 60, 2);
    put(20, rest % 1000, 3);
    return QString(text, 24);
}
