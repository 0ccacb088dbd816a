#pragma once

#include "domain/fieldtype.h"
#include "domain/selectoption.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

/**
 * One field of an object type, parsed once from `GET /v1/{type}/definitions`.
 * A plain value type: copyable, no I/O, no QObject.
 *
 * Invariants: key() is non-empty for a valid definition; type() is FieldType::Unknown for any
 * `valueType` this build does not know, and such a field is never writable. Parsing is
 * tolerant: unknown members are ignored, missing / null members take their defaults, and
 * `typeConfiguration` may be the older free-form map or the typed object — the same keys are
 * read from both.
 */
class FieldDefinition final
{
public:
    /** An invalid definition (empty key, Unknown type). */
    FieldDefinition() = default;
    /** A definition built in code, e.g. by tests or for a field missing from the schema. */
    FieldDefinition(const QString &key, FieldType type, const QString &label = {});

    /**
     * Parses one entry of `fieldDefinitions`: `key` is the map key ("$stage", "dealSize"),
     * `json` its object. "READONLY_MARKDOWN" (the pre-2026-03-20 name) gives a read-only
     * MARKDOWN field. A non-object `json` gives a read-only Unknown field with that key.
     */
    static FieldDefinition fromJson(const QString &key, const QJsonObject &json);

    bool isValid() const { return !m_key.isEmpty(); }

    /** The field key: "$name" for system fields, a bare slug for custom ones. */
    QString key() const { return m_key; }
    /** The definition id ("ad_…"); may be empty. */
    QString id() const { return m_id; }
    /** The display label; falls back to the key when the server sent none. */
    QString label() const { return m_label.isEmpty() ? m_key : m_label; }
    QString description() const { return m_description; }
    FieldType type() const { return m_type; }
    /** The `valueType` as sent ("SINGLE_SELECT", or e.g. "GEO_POINT" for an Unknown type). */
    QString valueTypeName() const { return m_valueTypeName; }

    /** True for system fields: the key starts with "$" (or the server said `system: true`). */
    bool isSystem() const { return m_system || m_key.startsWith(QLatin1Char('$')); }
    /** The server's `readOnly` flag, the documented read-only system keys, or an Unknown type. */
    bool isReadOnly() const { return m_readOnly || m_type == FieldType::Unknown; }
    /** True when a ChangeSet may carry a value for this field. */
    bool isWritable() const { return isValid() && !isReadOnly(); }
    /**
     * Required on create. The definitions endpoint does not send this; ObjectSchema sets it for
     * the keys the API documents as required (opportunity `$name`, `$stage`; account
     * `$name`), and a `required` member is honoured if a server ever sends one.
     */
    bool isRequired() const { return m_required; }

    /** Select options in the server's order (SINGLE_SELECT / MULTI_SELECT), else empty. */
    QList<SelectOption> options() const { return m_options; }
    /** The option with this id, or nullopt. */
    std::optional<SelectOption> option(QStringView optionId) const;
    /** The option's label, or the id itself when no option has that id. */
    QString optionLabel(const QString &optionId) const;
    /**
     * The label a rep can tell apart: "Renewals / Won" when another option of another pipeline
     * has the same label (case-insensitive), else the label; the id when no option has it.
     */
    QString optionDisplayLabel(const QString &optionId) const;
    QString optionDisplayLabel(const SelectOption &option) const;
    /** "Pipeline / Stage": how a stage is named together with its pipeline. */
    static QString pipelineQualified(const QString &pipeline, const QString &label);

    /** ISO 4217 code of a CURRENCY field (`typeConfiguration.currency`), e.g. "USD". */
    QString currency() const { return m_currency; }
    /** SOCIAL_HANDLE service as sent: "TWITTER", "LINKEDIN", "FACEBOOK", "INSTAGRAM" or empty. */
    QString handleService() const { return m_handleService; }
    /**
     * Whether an EMAIL / TELEPHONE / URL field holds several values (`multipleValues`), which
     * decides the write shape (array vs single string). When the server leaves it out:
     * TELEPHONE → true (its only documented write shape is `string[]`), EMAIL / URL → false
     * (a single string is accepted by every EMAIL / URL field). Always true for MULTI_SELECT,
     * false for other types.
     */
    bool hasMultipleValues() const;
    /**
     * True when the field's write shape is an array: MULTI_SELECT, TELEPHONE (its only
     * documented write shape is `string[]`, whatever `multipleValues` says) and multi-valued
     * EMAIL / URL. Clearing such a field is the "list clear" whose form (`null` or `[]`) a
     * workspace may insist on (ChangeSet::ListClear, docs/decisions/0006).
     */
    bool writesArray() const;
    /** `typeConfiguration.unique` (EMAIL, TELEPHONE, URL); false when absent. */
    bool isUnique() const { return m_unique; }
    /** `typeConfiguration.parentFieldKey` of a dependent SINGLE_SELECT, else empty. */
    QString parentFieldKey() const { return m_parentFieldKey; }

    void setId(const QString &id) { m_id = id; }
    void setLabel(const QString &label) { m_label = label; }
    void setDescription(const QString &description) { m_description = description; }
    void setReadOnly(bool readOnly) { m_readOnly = readOnly; }
    void setRequired(bool required) { m_required = required; }
    void setOptions(const QList<SelectOption> &options) { m_options = options; }
    void setCurrency(const QString &code) { m_currency = code; }
    void setHandleService(const QString &service) { m_handleService = service; }
    void setMultipleValues(bool multiple) { m_multipleValues = multiple; }
    void setUnique(bool unique) { m_unique = unique; }
    void setParentFieldKey(const QString &key) { m_parentFieldKey = key; }

    friend bool operator==(const FieldDefinition &, const FieldDefinition &) = default;

private:
    QString m_key;
    QString m_id;
    QString m_label;
    QString m_description;
    QString m_valueTypeName;
    QList<SelectOption> m_options;
    QString m_currency;
    QString m_handleService;
    QString m_parentFieldKey;
    std::optional<bool> m_multipleValues;
    FieldType m_type = FieldType::Unknown;
    bool m_system = false;
    bool m_readOnly = false;
    bool m_required = false;
    bool m_unique = false;
};
