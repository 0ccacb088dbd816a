#pragma once

#include "sandboxerror.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QUrlQuery>

#include <optional>
#include <variant>

/**
 * The sandbox's schema: field and relationship definitions per object type, the write rules of
 * the 14 value types and list filtering.
 *
 * Object types (the `objectType` strings of the API): "opportunity", "account", "contact",
 * "member", "list". Definitions endpoints exist for opportunity, account and contact only.
 */

/// One field definition.
struct SandboxFieldDef
{
    QString key; ///< "$name", "$stage", or a custom slug such as "closeDate"
    QString id; ///< "ad_…"
    QString label;
    QString description; ///< empty → JSON null
    QString valueType; ///< one of the 14 value types
    bool readOnly = false;
    bool required = false; ///< required on create; may not be set to null on update
    QJsonObject typeConfiguration;
};

/// One relationship definition.
struct SandboxRelationshipDef
{
    QString key; ///< "$account", "$owner", "$champion", ...
    QString id; ///< "rd_…", empty → JSON null (system relationships)
    QString label;
    QString description;
    QString cardinality; ///< "HAS_ONE" or "HAS_MANY"
    QString objectType; ///< target object type: "account", "member", "contact", "task", "note"
    QString slug; ///< filter key, e.g. "$opportunity-account"
    bool readOnly = false; ///< $task, $note: rejected on create and update
    bool required = false; ///< $account on opportunities: required on create
    bool createOnly = false; ///< $createdBy: accepted on create, rejected on update
    /// The definition carries `createOnly` (false: it leaves it out, as the documented
    /// definitions do, and a client must fall back on the documented rule).
    bool advertisesCreateOnly = true;
};

/**
 * Readings of write rules the API documentation leaves open, one per sandbox switch
 * (--address-write, --multi-clear, --account-update). The defaults are the strictest readings
 * that a client writing what every reading agrees on passes.
 */
struct SandboxWriteRules
{
    /// ADDRESS on update. Merge: members left out keep their old value, null clears one.
    /// Replace: the object written replaces the old (members left out are cleared).
    enum class AddressWrite
    {
        Merge,
        Replace,
    };
    /// Which forms clear a list field (MULTI_SELECT, TELEPHONE, multi-valued EMAIL / URL): the
    /// other answers 400 invalid_value.
    enum class MultiClear
    {
        Null,
        Empty,
        Both,
    };
    AddressWrite addressWrite = AddressWrite::Merge;
    MultiClear multiClear = MultiClear::Null;
    /// Opportunity `$account` on update: accepted (its definition says `"createOnly": false`)
    /// or refused with 400 read_only_relationship (its definition says nothing).
    bool accountOnUpdate = true;

    static std::optional<AddressWrite> addressWriteFromName(const QString &name);
    static std::optional<MultiClear> multiClearFromName(const QString &name);
    static QString addressWriteName(AddressWrite value);
    static QString multiClearName(MultiClear value);
};

/// Which filter operator, after the optional "-" negation prefix.
struct SandboxFilter
{
    QString key; ///< field key or relationship slug
    QString op; ///< equal, greaterThan, greaterThanOrEqual, lessThan, lessThanOrEqual, startsWith,
                ///< contains
    bool negate = false;
    QString value; ///< as sent, URL-decoded
};

class SandboxSchema final
{
public:
    QString objectType; ///< "opportunity", ...
    QString idPrefix; ///< "opp_", "acc_", "con_", "mem_", "lst_"
    QList<SandboxFieldDef> fields; ///< in definition order: system fields first
    QList<SandboxRelationshipDef> relationships;
    bool hasDefinitionsEndpoint = true;

    const SandboxFieldDef *field(const QString &key) const;
    const SandboxRelationshipDef *relationship(const QString &key) const;
    const SandboxRelationshipDef *relationshipBySlug(const QString &slug) const;

    /// The body of GET /v1/{type}/definitions:
    /// {"objectType", "fieldDefinitions": {key: {...}}, "relationshipDefinitions": {key: {...}}}.
    /// Relationship definitions carry "slug" (the docs' prose shows one) as well.
    QJsonObject definitionsJson() const;

    /// The built-in schemas. The opportunity schema covers all 14 value types, custom fields,
    /// select options with descriptions, a read-only AI summary and HAS_ONE / HAS_MANY
    /// relationships; see sandboxschema.cpp for the full list.
    static SandboxSchema opportunity();
    /// The opportunity schema of an organisation with the pipelines beta (sandbox
    /// --pipelines): a `$pipeline` select of two pipelines, "New Business" (pd_new_business:
    /// Lead, Qualified, Proposal, Won, Lost) and "Renewals" (pd_renewals: Lead, Proposal, Won,
    /// Lost), and `$stage` options that depend on it (`parentFieldKey` "$pipeline", each option's
    /// `parentId` its pipeline). The labels repeat across pipelines; the option ids never do.
    static SandboxSchema opportunityWithPipelines();
    static SandboxSchema account();
    static SandboxSchema contact();
    static SandboxSchema member();
    static SandboxSchema list();
};

/// Milliseconds since the epoch as the stored timestamp form "yyyy-MM-ddTHH:mm:ss.zzzZ" (UTC),
/// which compares correctly as a string. Hand-rolled because seeding 100,000 deals formats
/// millions of them and QDateTime::toString is the bottleneck there.
QString sandboxIsoFromMs(qint64 ms);

/// The 14 value types, in the order the API documentation lists them.
QStringList sandboxValueTypes();

/**
 * Validates one written field value (the bare value of a create or update body) and returns
 * the value as it is then stored and read back (the `value` inside {valueType, value}), or the
 * documented error with `param` = "fields.<key>".
 *
 *  - null clears (→ stored null), except for required fields (400 parameter_missing);
 *  - wrong JSON type → 400 invalid_type;
 *  - NUMBER / CURRENCY: finite, |x| ≤ 2^53-1, at most 2 decimals;
 *  - DATETIME: ISO 8601 with an offset (Z or ±hh:mm) → stored as UTC "yyyy-MM-ddTHH:mm:ss.zzzZ";
 *  - EMAIL / URL: string or array (array only when multipleValues; each validated) → stored as
 *    an array when multipleValues, else a string;
 *  - TELEPHONE: only the documented `string[]` (a bare string → 400 invalid_type; more than
 *    one number for a single-valued field → 400), each normalised: "+…" must be E.164;
 *    otherwise 10 digits → US (+1…), else 7–15 digits kept as local; extensions "x100",
 *    "ext:100", "ext. 100", "#100" → ";ext=100"; stored like EMAIL;
 *  - a list field (sandboxWritesArray()) is cleared by null or [] as rules.multiClear allows;
 *    the other form → 400 invalid_value;
 *  - ADDRESS: object with only street, street2, city, state, postalCode, country (exactly two
 *    letters, upper-cased), latitude, longitude; the stored object has all eight members;
 *  - FULL_NAME: object with firstName / lastName only (strings or null);
 *  - SOCIAL_HANDLE: URL of the definition's handleService (x.com or twitter.com, linkedin.com/in
 *    or /company, facebook.com, instagram.com; https, optional "www.");
 *  - SINGLE_SELECT: option id, or option label (case-insensitive) → stored as the option id;
 *  - MULTI_SELECT: array of ids or labels → array of ids, duplicates removed, order kept;
 *  - MARKDOWN, TEXT: string;
 *  - an unknown valueType in the definition: 400 invalid_type.
 * Read-only fields are rejected by the caller, not here.
 */
std::variant<QJsonValue, ApiError> normalizeFieldWrite(
    const SandboxFieldDef &def, const QJsonValue &value, const SandboxWriteRules &rules = {});

/// True when the field's write shape is an array: MULTI_SELECT, TELEPHONE, and EMAIL / URL
/// with multipleValues. Their clear form is SandboxWriteRules::multiClear.
bool sandboxWritesArray(const SandboxFieldDef &def);

/**
 * Parses the filter parameters of a list request: every query item except `limit` and
 * `offset`, in the form `key[operator]=value`, `key[-operator]=value` or `key=value` (then
 * equal if the type allows it, else contains). Errors: unknown key → 400 unknown_field
 * (param = key); operator not allowed for the type, MULTI_SELECT / MARKDOWN keys →
 * 400 invalid_filter; a value that does not parse for the type (number, date, checkbox) →
 * 400 invalid_type. Relationship filters use the relationship's slug, with equal / contains.
 */
std::variant<QList<SandboxFilter>, ApiError> parseFilters(
    const SandboxSchema &schema, const QUrlQuery &query);

/// True when the record (read shape) satisfies every filter (AND). Text comparisons are
/// case-insensitive; startsWith "" means "set and non-empty".
bool matchesFilters(
    const SandboxSchema &schema, const QJsonObject &record, const QList<SandboxFilter> &filters);
