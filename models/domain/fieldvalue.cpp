#include "domain/fieldvalue.h"

#include "domain/json.h"

#include "domain/fielddefinition.h"

#include <QDebug>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <cmath>
#include <type_traits>

namespace {

// NUMBER and CURRENCY must stay within the safe-integer range.
constexpr double kMaxSafeInteger = 9007199254740991.0;

/**
 * The exact hundredths of a JSON number, from its shortest round-trip decimal form — the
 * decimal the server sent, as long as it had at most 17 significant digits. nullopt when the
 * number has more than two decimals (it would lose cents) or is out of range.
 */
std::optional<qint64> centsFromDouble(double amount)
{
    if (!std::isfinite(amount) || std::abs(amount) > kMaxSafeInteger)
        return std::nullopt;
    QString text = QString::number(amount, 'f', QLocale::FloatingPointShortest);
    const bool negative = text.startsWith(QLatin1Char('-'));
    if (negative)
        text.remove(0, 1);
    const qsizetype dot = text.indexOf(QLatin1Char('.'));
    const QString whole = dot < 0 ? text : text.left(dot);
    QString fraction = dot < 0 ? QString() : text.mid(dot + 1);
    if (fraction.size() > 2)
        return std::nullopt;
    while (fraction.size() < 2)
        fraction.append(QLatin1Char('0'));
    bool wholeOk = false;
    bool fractionOk = false;
    const qint64 units = whole.toLongLong(&wholeOk);
    const qint64 hundredths = fraction.toLongLong(&fractionOk);
    if (!wholeOk || !fractionOk)
        return std::nullopt;
    const qint64 cents = units * 100 + hundredths;
    return negative ? -cents : cents;
}

QDateTime parseDateTime(const QString &text)
{
    QDateTime dateTime = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (!dateTime.isValid())
        return {};
    // The API stores UTC; a string without an offset is read as UTC,
    // not as the machine's local time.
    if (dateTime.timeSpec() == Qt::LocalTime)
        dateTime = QDateTime(dateTime.date(), dateTime.time(), Qt::UTC);
    dateTime = dateTime.toUTC();
    // "9999-12-31T23:59:59-10:00" is valid ISO 8601 but lands in the year 10000 in UTC, which
    // formatDateTime() cannot write back in four digits: keep such a value raw.
    return FieldValue::isWritableDateTime(dateTime) ? dateTime : QDateTime();
}

QString formatDateTime(const QDateTime &dateTime)
{
    const QDateTime utc = dateTime.toUTC();
    QString text = utc.toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss"));
    if (utc.time().msec() != 0)
        text += utc.toString(QStringLiteral(".zzz"));
    return text + QLatin1String("+00:00");
}

QString formatCents(qint64 cents)
{
    const qint64 magnitude = cents < 0 ? -cents : cents;
    return QStringLiteral("%1%2.%3")
        .arg(cents < 0 ? QStringLiteral("-") : QString())
        .arg(magnitude / 100)
        .arg(magnitude % 100, 2, 10, QLatin1Char('0'));
}

QJsonValue centsToJson(qint64 cents)
{
    if (cents % 100 == 0)
        return QJsonValue(cents / 100);
    // The double nearest to the decimal, converted from its text: cents / 100.0 is not that
    // double once the cents pass 2^53 (e.g. 123456789012345.67), because the cents are rounded
    // to a double before the division. A decimal read from JSON (centsFromDouble()) is always
    // the shortest form of its double, so it comes back exactly.
    return QJsonValue(formatCents(cents).toDouble());
}

template<class... Ts> struct Overloaded : Ts...
{
    using Ts::operator()...;
};
template<class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

} // namespace

FieldValue FieldValue::null(FieldType type)
{
    FieldValue value;
    value.m_type = type;
    return value;
}

FieldValue FieldValue::fromText(FieldType type, const QString &text)
{
    FieldValue value = null(type);
    if (isTextType(type) && !text.isEmpty())
        value.m_data.emplace<QString>(text);
    return value;
}

FieldValue FieldValue::fromNumber(double number)
{
    FieldValue value = null(FieldType::Number);
    if (std::isfinite(number))
        value.m_data.emplace<double>(number);
    return value;
}

FieldValue FieldValue::fromBool(bool checked)
{
    FieldValue value = null(FieldType::Checkbox);
    value.m_data.emplace<bool>(checked);
    return value;
}

FieldValue FieldValue::fromCents(qint64 cents, const QString &currencyCode)
{
    FieldValue value = null(FieldType::Currency);
    value.m_data.emplace<Money>(Money {cents, currencyCode});
    return value;
}

bool FieldValue::isWritableDateTime(const QDateTime &dateTime)
{
    if (!dateTime.isValid())
        return false;
    const int year = dateTime.toUTC().date().year();
    return year >= 1 && year <= 9999;
}

FieldValue FieldValue::fromDateTime(const QDateTime &dateTime)
{
    FieldValue value = null(FieldType::DateTime);
    if (dateTime.isValid())
        value.m_data.emplace<QDateTime>(dateTime.toUTC());
    return value;
}

FieldValue FieldValue::fromStringList(FieldType type, const QStringList &values)
{
    FieldValue value = null(type);
    if (!isStringListType(type))
        return value;
    QStringList kept;
    kept.reserve(values.size());
    for (const QString &entry : values) {
        if (!entry.isEmpty())
            kept.append(entry);
    }
    if (!kept.isEmpty())
        value.m_data.emplace<QStringList>(kept);
    return value;
}

FieldValue FieldValue::fromAddress(const Address &address)
{
    FieldValue value = null(FieldType::Address);
    if (!address.isEmpty())
        value.m_data.emplace<std::shared_ptr<const Address>>(std::make_shared<Address>(address));
    return value;
}

FieldValue FieldValue::fromFullName(const FullName &name)
{
    FieldValue value = null(FieldType::FullName);
    if (!name.isEmpty())
        value.m_data.emplace<std::shared_ptr<const FullName>>(std::make_shared<FullName>(name));
    return value;
}

FieldValue FieldValue::raw(
    const QJsonValue &json, FieldType type, Problem problem, const QString &valueTypeName)
{
    FieldValue value = null(type);
    if (json.isNull() || json.isUndefined())
        return value;
    value.m_problem = problem == Problem::None ? Problem::UnknownType : problem;
    value.m_data.emplace<std::shared_ptr<const Raw>>(
        std::make_shared<Raw>(Raw {json, valueTypeName}));
    return value;
}

FieldValue FieldValue::fromJson(const FieldDefinition &definition, const QJsonValue &json)
{
    if (definition.type() == FieldType::Unknown)
        return raw(json, FieldType::Unknown, Problem::UnknownType, definition.valueTypeName());
    return parse(definition.type(), json, definition.currency());
}

FieldValue FieldValue::fromJson(FieldType type, const QJsonValue &json)
{
    return parse(type, json, QString());
}

FieldValue FieldValue::parse(FieldType type, const QJsonValue &json, const QString &currencyCode)
{
    if (json.isNull() || json.isUndefined())
        return null(type);
    const auto wrongShape
        = [&] { return raw(json, type, Problem::WrongJsonShape, fieldTypeName(type)); };

    switch (type) {
    case FieldType::Unknown:
        return raw(json, type, Problem::UnknownType);
    case FieldType::Text:
    case FieldType::Markdown:
    case FieldType::SocialHandle:
    case FieldType::SingleSelect:
        return json.isString() ? fromText(type, json.toString()) : wrongShape();
    case FieldType::Number:
        if (!json.isDouble() || std::abs(json.toDouble()) > kMaxSafeInteger)
            return wrongShape();
        return fromNumber(json.toDouble());
    case FieldType::Checkbox:
        return json.isBool() ? fromBool(json.toBool()) : wrongShape();
    case FieldType::Currency: {
        if (!json.isDouble())
            return wrongShape();
        const std::optional<qint64> cents = centsFromDouble(json.toDouble());
        return cents ? fromCents(*cents, currencyCode) : wrongShape();
    }
    case FieldType::DateTime: {
        if (!json.isString())
            return wrongShape();
        if (json.toString().trimmed().isEmpty())
            return null(type);
        const QDateTime dateTime = parseDateTime(json.toString());
        return dateTime.isValid() ? fromDateTime(dateTime) : wrongShape();
    }
    case FieldType::Email:
    case FieldType::Telephone:
    case FieldType::Url:
    case FieldType::MultiSelect: {
        // EMAIL / TELEPHONE / URL are read as a string or an array;
        // MULTI_SELECT only as an array.
        if (json.isString() && type != FieldType::MultiSelect)
            return fromStringList(type, {json.toString()});
        if (!json.isArray())
            return wrongShape();
        QStringList values;
        const QJsonArray array = json.toArray();
        values.reserve(array.size());
        for (const QJsonValue &entry : array) {
            if (!entry.isString())
                return wrongShape();
            values.append(entry.toString());
        }
        return fromStringList(type, values);
    }
    case FieldType::Address: {
        if (!json.isObject())
            return wrongShape();
        const std::optional<Address> address = Address::fromJson(json.toObject());
        return address ? fromAddress(*address) : wrongShape();
    }
    case FieldType::FullName: {
        if (!json.isObject())
            return wrongShape();
        const std::optional<FullName> name = FullName::fromJson(json.toObject());
        return name ? fromFullName(*name) : wrongShape();
    }
    }
    return raw(json, type, Problem::UnknownType);
}

QJsonValue FieldValue::writeStringList(const QStringList &values, bool multiple)
{
    if (multiple || values.size() > 1)
        return QJsonArray::fromStringList(values);
    if (values.isEmpty())
        return QJsonValue(QJsonValue::Null);
    return values.constFirst();
}

QJsonValue FieldValue::toJson(const FieldDefinition &definition) const
{
    if (isRaw())
        return QJsonValue(QJsonValue::Undefined);
    const FieldType type = isNull() && m_type == FieldType::Unknown ? definition.type() : m_type;
    // TELEPHONE is written as `string[]` whatever `multipleValues` says: that is its only
    // documented write shape.
    const bool multiple = type == definition.type()
        ? definition.writesArray()
        : (type == FieldType::MultiSelect || type == FieldType::Telephone);
    // A clear is `null` for every type, lists included: what the documentation says clears.
    // ChangeSet::ListClear writes `[]` instead for a workspace that refuses `null`.
    if (isNull())
        return QJsonValue(QJsonValue::Null);
    return std::visit(
        Overloaded {
            [](const std::monostate &) { return QJsonValue(QJsonValue::Null); },
            [](const QString &text) { return QJsonValue(text); },
            [](double number) { return QJsonValue(number); },
            [](bool checked) { return QJsonValue(checked); },
            [](const Money &money) { return centsToJson(money.cents); },
            [](const QDateTime &dateTime) { return QJsonValue(formatDateTime(dateTime)); },
            [multiple](const QStringList &values) { return writeStringList(values, multiple); },
            [](const std::shared_ptr<const Address> &address) {
                return QJsonValue(address->toWriteJson());
            },
            [](const std::shared_ptr<const FullName> &name) { return QJsonValue(name->toJson()); },
            [](const std::shared_ptr<const Raw> &) { return QJsonValue(QJsonValue::Undefined); },
        },
        m_data);
}

QJsonValue FieldValue::toJson() const
{
    FieldDefinition definition(QString(), m_type);
    definition.setMultipleValues(true);
    return toJson(definition);
}

QJsonValue FieldValue::rawJson() const
{
    if (const auto *raw = std::get_if<std::shared_ptr<const Raw>>(&m_data))
        return (*raw)->json;
    return QJsonValue(QJsonValue::Undefined);
}

QString FieldValue::rawValueTypeName() const
{
    if (const auto *raw = std::get_if<std::shared_ptr<const Raw>>(&m_data))
        return (*raw)->valueTypeName;
    return {};
}

QString FieldValue::toText() const
{
    const auto *text = std::get_if<QString>(&m_data);
    return text ? *text : QString();
}

double FieldValue::toDouble() const
{
    if (const auto *number = std::get_if<double>(&m_data))
        return *number;
    if (const auto *money = std::get_if<Money>(&m_data))
        return static_cast<double>(money->cents) / 100.0;
    return 0.0;
}

bool FieldValue::toBool() const
{
    const auto *checked = std::get_if<bool>(&m_data);
    return checked && *checked;
}

qint64 FieldValue::toCents() const
{
    const auto *money = std::get_if<Money>(&m_data);
    return money ? money->cents : 0;
}

QString FieldValue::currencyCode() const
{
    const auto *money = std::get_if<Money>(&m_data);
    return money ? money->code : QString();
}

QDateTime FieldValue::toDateTime() const
{
    const auto *dateTime = std::get_if<QDateTime>(&m_data);
    return dateTime ? *dateTime : QDateTime();
}

QStringList FieldValue::toStringList() const
{
    const auto *values = std::get_if<QStringList>(&m_data);
    return values ? *values : QStringList();
}

Address FieldValue::toAddress() const
{
    const auto *address = std::get_if<std::shared_ptr<const Address>>(&m_data);
    return address ? **address : Address();
}

FullName FieldValue::toFullName() const
{
    const auto *name = std::get_if<std::shared_ptr<const FullName>>(&m_data);
    return name ? **name : FullName();
}

bool operator==(const FieldValue &a, const FieldValue &b)
{
    if (a.isNull() || b.isNull())
        return a.isNull() && b.isNull();
    if (a.m_type != b.m_type || a.m_problem != b.m_problem || a.m_data.index() != b.m_data.index())
        return false;
    return std::visit(
        [&b](const auto &left) -> bool {
            using T = std::decay_t<decltype(left)>;
            const T &right = std::get<T>(b.m_data);
            if constexpr (std::is_same_v<T, FieldValue::Money>) {
                return left.cents == right.cents;
            } else if constexpr (std::is_same_v<T, std::shared_ptr<const FieldValue::Raw>>) {
                return left->json == right->json && left->valueTypeName == right->valueTypeName;
            } else if constexpr (
                std::is_same_v<T,
                    std::shared_ptr<
                        const Address>> || std::is_same_v<T, std::shared_ptr<const FullName>>) {
                return *left == *right;
            } else {
                return left == right;
            }
        },
        a.m_data);
}

QString FieldValue::jsonText() const
{
    if (isNull())
        return {};
    return Json::literal(isRaw() ? rawJson() : toJson());
}

QString FieldValue::debugString() const
{
    QString name = fieldTypeName(m_type);
    if (name.isEmpty())
        name = QStringLiteral("UNKNOWN");
    if (isNull())
        return name + QLatin1String(" null");
    if (isRaw()) {
        return QStringLiteral("%1 raw(%2, problem %3) %4")
            .arg(name, rawValueTypeName())
            .arg(static_cast<int>(m_problem))
            .arg(Json::literal(rawJson()));
    }
    if (m_type == FieldType::Currency)
        return QStringLiteral("%1 %2 %3").arg(name, formatCents(toCents()), currencyCode());
    if (m_type == FieldType::DateTime)
        return name + QLatin1Char(' ') + formatDateTime(toDateTime());
    return name + QLatin1Char(' ') + Json::literal(toJson());
}

QDebug operator<<(QDebug debug, const FieldValue &value)
{
    const QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "FieldValue(" << value.debugString() << ')';
    return debug;
}
