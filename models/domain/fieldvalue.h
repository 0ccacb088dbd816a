#pragma once

#include "domain/address.h"
#include "domain/fieldtype.h"
#include "domain/fullname.h"

#include <QDateTime>
#include <QJsonValue>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <memory>
#include <variant>

class FieldDefinition;
class QDebug;

/**
 * One typed field value: one of the 14 value types of a
 * typed null, or a raw value kept as read.
 *
 * Data held per type:
 *  - TEXT, MARKDOWN, SOCIAL_HANDLE, SINGLE_SELECT (option id): QString — toText();
 *  - NUMBER: double — toDouble();
 *  - CHECKBOX: bool — toBool();
 *  - CURRENCY: the amount in hundredths of the major unit (cents; the API allows at most two
 *    decimals, whatever the currency's ISO exponent) — toCents(), plus the ISO 4217 code copied
 *    from the definition — currencyCode();
 *  - DATETIME: QDateTime in UTC — toDateTime();
 *  - EMAIL, TELEPHONE, URL, MULTI_SELECT (option ids): QStringList — toStringList(), whatever
 *    the wire shape (a single string is read as a one-element list);
 *  - ADDRESS: Address — toAddress(); FULL_NAME: FullName — toFullName().
 *
 * Normalisation (so that == is a reliable dirty check): an empty string, an empty list, an
 * empty Address / FullName, an invalid QDateTime and a non-finite number are all stored as the
 * typed null of their type; any two nulls compare equal whatever their types.
 *
 * Raw values: a value whose `valueType` is unknown (Problem::UnknownType), whose JSON
 * contradicts its type (Problem::WrongJsonShape, e.g. a string for NUMBER or a CURRENCY amount
 * with three decimals) or whose record `valueType` disagrees with the definition
 * (Problem::TypeMismatch) keeps its JSON untouched in rawJson(). It is shown read-only and never
 * written back: toJson() returns an undefined QJsonValue and ChangeSet refuses it.
 *
 * A cheap value type: at most one implicitly shared Qt container or a shared_ptr to immutable
 * data (Address, FullName, raw JSON), so copies are O(1). Not thread-safe for concurrent writes
 * to the same instance; const use from several threads is fine.
 */
class FieldValue final
{
public:
    /** Why a value is kept raw. Numbers are stable (they may be persisted). */
    enum class Problem : quint8
    {
        None = 0,
        UnknownType = 1, ///< the `valueType` is not one of the 14 known types
        WrongJsonShape = 2, ///< the JSON does not fit the `valueType`
        TypeMismatch = 3, ///< the record's `valueType` disagrees with the field definition
    };

    /** The untyped null: FieldType::Unknown, isNull(). */
    FieldValue() = default;

    /** The null of `type` (an unset field of that type). */
    static FieldValue null(FieldType type);
    /** TEXT, MARKDOWN, SOCIAL_HANDLE or SINGLE_SELECT; empty text → null. Other types → null(type).
     */
    static FieldValue fromText(FieldType type, const QString &text);
    /** NUMBER; a non-finite number → null. */
    static FieldValue fromNumber(double number);
    /** CHECKBOX. */
    static FieldValue fromBool(bool checked);
    /** CURRENCY from hundredths of the major unit (4800000 = 48,000.00). */
    static FieldValue fromCents(qint64 cents, const QString &currencyCode = {});
    /** DATETIME; stored in UTC; an invalid QDateTime → null. */
    static FieldValue fromDateTime(const QDateTime &dateTime);
    /**
     * True when `dateTime` can be written as a DATETIME value: valid, with a UTC year from 1 to
     * 9999 (the four digits of the API's ISO 8601 form). fromJson() keeps any other date raw
     * (Problem::WrongJsonShape); input parsers refuse it.
     */
    static bool isWritableDateTime(const QDateTime &dateTime);
    /** EMAIL, TELEPHONE, URL or MULTI_SELECT; an empty list → null. Other types → null(type). */
    static FieldValue fromStringList(FieldType type, const QStringList &values);
    /** ADDRESS; an empty address → null. */
    static FieldValue fromAddress(const Address &address);
    /** FULL_NAME; an empty name → null. */
    static FieldValue fromFullName(const FullName &name);
    /**
     * A raw value: `json` kept as is, flagged with `problem` (must not be Problem::None, which is
     * treated as UnknownType). `valueTypeName` is the `valueType` as read, for display and
     * for Record::toJson(). A null / undefined `json` gives null(type) instead.
     */
    static FieldValue raw(
        const QJsonValue &json, FieldType type, Problem problem, const QString &valueTypeName = {});

    /**
     * Reads the `value` of a `{valueType, value}` pair (read shape)
     * for the field `definition`. Undefined or null → null(definition.type()). The currency code
     * is taken from the definition. Never fails: JSON that does not fit the type is kept raw
     * (Problem::WrongJsonShape); an Unknown type gives Problem::UnknownType. Also accepts the
     * write shape, so a stored update body can be read back (ChangeSet::fromUpdateJson()).
     */
    static FieldValue fromJson(const FieldDefinition &definition, const QJsonValue &json);
    /** As above, without a definition (no currency code). */
    static FieldValue fromJson(FieldType type, const QJsonValue &json);

    /**
     * The write shape for a create or update body, as the definition
     * wants it:
     *  - null → `null`, for every type (lists too: ChangeSet::ListClear turns a list clear
     *    into `[]` for a workspace that wants that form);
     *  - TELEPHONE → always an array (its only documented write shape); EMAIL / URL → an
     *    array when multi-valued, else one string (an array if the value somehow holds several
     *    strings: values are never dropped silently);
     *  - CURRENCY → the amount as a JSON number (48000, 12.5); NUMBER → number; CHECKBOX → bool;
     *  - DATETIME → "yyyy-MM-ddTHH:mm:ss[.zzz]+00:00" (milliseconds only when non-zero);
     *  - ADDRESS → the whole object, unset members as `null` (Address::toWriteJson());
     *    FULL_NAME → {"firstName","lastName"};
     *  - a raw value → an undefined QJsonValue (never sent back).
     */
    QJsonValue toJson(const FieldDefinition &definition) const;
    /** The write shape with no definition: lists are always written as arrays. */
    QJsonValue toJson() const;

    FieldType type() const { return m_type; }
    bool isNull() const { return std::holds_alternative<std::monostate>(m_data); }
    /** True when the value is kept raw (problem() != None): read-only, never written. */
    bool isRaw() const { return m_problem != Problem::None; }
    Problem problem() const { return m_problem; }
    /** The JSON as read, for raw values; undefined otherwise. */
    QJsonValue rawJson() const;
    /** The `valueType` name as read, for raw values; empty otherwise. */
    QString rawValueTypeName() const;

    /** Text of TEXT / MARKDOWN / SOCIAL_HANDLE / SINGLE_SELECT; empty otherwise. */
    QString toText() const;
    /** NUMBER, or a CURRENCY amount in major units; 0 otherwise. */
    double toDouble() const;
    /** CHECKBOX; false otherwise (including null). */
    bool toBool() const;
    /** CURRENCY amount in hundredths; 0 otherwise. */
    qint64 toCents() const;
    /** CURRENCY ISO 4217 code (from the definition); empty otherwise. */
    QString currencyCode() const;
    /** DATETIME in UTC; invalid otherwise. */
    QDateTime toDateTime() const;
    /** EMAIL / TELEPHONE / URL / MULTI_SELECT; empty otherwise. */
    QStringList toStringList() const;
    /** ADDRESS; empty otherwise. */
    Address toAddress() const;
    /** FULL_NAME; empty otherwise. */
    FullName toFullName() const;

    /**
     * Equality for dirty tracking: both null; or same type, same problem and same data. The
     * currency code is metadata from the definition and is not compared (only the amount is
     * sent). Raw values compare their JSON.
     */
    friend bool operator==(const FieldValue &a, const FieldValue &b);

    /**
     * The value as one line of compact JSON: the JSON as read for a raw value, else the write
     * shape (toJson()); empty for null. For read-only displays of values the app can't edit.
     */
    QString jsonText() const;

    /** A short, unlocalised description for logs and test failures ("CURRENCY 480.00 USD"). */
    QString debugString() const;

private:
    struct Money
    {
        qint64 cents = 0;
        QString code;
    };
    struct Raw
    {
        QJsonValue json;
        QString valueTypeName;
    };
    using Data = std::variant<std::monostate, QString, double, bool, Money, QDateTime, QStringList,
        std::shared_ptr<const Address>, std::shared_ptr<const FullName>,
        std::shared_ptr<const Raw>>;

    static FieldValue parse(FieldType type, const QJsonValue &json, const QString &currencyCode);
    static QJsonValue writeStringList(const QStringList &values, bool multiple);

    Data m_data;
    FieldType m_type = FieldType::Unknown;
    Problem m_problem = Problem::None;
};

QDebug operator<<(QDebug debug, const FieldValue &value);

Q_DECLARE_METATYPE(FieldValue)
