#pragma once

#include "domain/cardinality.h"

#include <QJsonObject>
#include <QString>

#include <optional>

/**
 * One relationship of an object type, from `relationshipDefinitions` of the definitions
 * endpoint. A plain value type.
 *
 * Parsing is tolerant like FieldDefinition's: unknown members ignored, missing / null members
 * defaulted, `cardinality` in any case.
 */
class RelationshipDefinition final
{
public:
    RelationshipDefinition() = default;
    RelationshipDefinition(const QString &key, Cardinality cardinality, const QString &objectType,
        const QString &label = {});

    /** Parses one entry of `relationshipDefinitions` (`key` is its map key, e.g. "$account"). */
    static RelationshipDefinition fromJson(const QString &key, const QJsonObject &json);

    bool isValid() const { return !m_key.isEmpty(); }
    /** The key used in a record's `relationships` map and in write bodies ("$account"). */
    QString key() const { return m_key; }
    /** "rd_…"; empty for system relationships, whose id the docs show as null. */
    QString id() const { return m_id; }
    /** Display label; falls back to the key. */
    QString label() const { return m_label.isEmpty() ? m_key : m_label; }
    QString description() const { return m_description; }
    Cardinality cardinality() const { return m_cardinality; }
    /** The related object type ("account", "member", "contact", …). */
    QString objectType() const { return m_objectType; }
    /**
     * The filter slug ("$opportunity-account") when the server sends one (docs prose; not in
     * the Go SDK; an open question, see docs/decisions/0006); else empty.
     */
    QString slug() const { return m_slug; }
    bool isSystem() const { return m_key.startsWith(QLatin1Char('$')); }
    /**
     * Read-only: the server's `readOnly` member if sent, or a documented read-only system
     * relationship (opportunity `$task` / `$note`, set by ObjectSchema).
     */
    bool isReadOnly() const { return m_readOnly; }
    /** Required on create (opportunity `$account`, set by ObjectSchema). */
    bool isRequired() const { return m_required; }
    /**
     * Set on create only, never changed on update. The server's say when the definition
     * carries it — `"createOnly": true|false`, or `"updatable": false|true` — else the
     * documented default ObjectSchema applies: `$createdBy` and opportunity `$account` (the
     * API's typed update schema leaves them out) are create-only; any other relationship is
     * not. See docs/decisions/0006.
     */
    bool isCreateOnly() const { return m_createOnly.value_or(false); }
    /** Writable on an existing record: neither read-only nor create-only. */
    bool isUpdatable() const { return isValid() && !m_readOnly && !isCreateOnly(); }
    /** True when the definition said whether it is create-only (createOnly / updatable). */
    bool saysCreateOnly() const { return m_createOnly.has_value(); }

    void setId(const QString &id) { m_id = id; }
    void setLabel(const QString &label) { m_label = label; }
    void setDescription(const QString &description) { m_description = description; }
    void setSlug(const QString &slug) { m_slug = slug; }
    void setReadOnly(bool readOnly) { m_readOnly = readOnly; }
    void setRequired(bool required) { m_required = required; }
    void setCreateOnly(bool createOnly) { m_createOnly = createOnly; }

    friend bool operator==(const RelationshipDefinition &, const RelationshipDefinition &)
        = default;

private:
    QString m_key;
    QString m_id;
    QString m_label;
    QString m_description;
    QString m_objectType;
    QString m_slug;
    Cardinality m_cardinality = Cardinality::Unknown;
    bool m_readOnly = false;
    bool m_required = false;
    std::optional<bool> m_createOnly; ///< unset: the definition did not say
};
