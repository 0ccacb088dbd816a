#pragma once

#include "domain/fieldvalue.h"
#include "domain/relationship.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

class ObjectSchema;

/**
 * One record (an opportunity, account, contact, …) in the common read shape of
 * the API: id, timestamps, links, typed field values and relationships.
 * A plain, copyable value type with no I/O.
 *
 * Parsing (fromJson) never fails and never throws:
 *  - `updatedAt`, `httpLink`, `externalId` may be missing or null (older schema) → invalid
 *    QDateTime / empty string;
 *  - a field may be absent (hasField() false) or present with `value: null` (hasField() true,
 *    value().isNull());
 *  - each field is read with its definition when a schema is given: an unknown `valueType`
 *    is kept raw (FieldValue::Problem::UnknownType), a `valueType` that disagrees with the
 *    definition is kept raw (Problem::TypeMismatch), JSON that contradicts the type is kept raw
 *    (Problem::WrongJsonShape); a missing `valueType` falls back to the definition's type;
 *  - relationships: `{cardinality, objectType, values}` with any cardinality casing
 *    (Relationship::fromJson()).
 * A JSON without a string `id` gives a record with isValid() false.
 */
class Record final
{
public:
    Record() = default;
    explicit Record(const QString &id);

    /** Parses a record, reading each field with its definition from `schema`. */
    static Record fromJson(const QJsonObject &json, const ObjectSchema &schema);
    /** Parses a record with no schema: each field by its own `valueType`. */
    static Record fromJson(const QJsonObject &json);

    /**
     * The read shape: all top-level keys (null when unset), fields as {valueType, value}
     * (raw values with their JSON and `valueType` as read), relationships as
     * {cardinality, objectType, values}. fromJson(toJson(), schema) gives an equal record.
     */
    QJsonObject toJson() const;

    bool isValid() const { return !m_id.isEmpty(); }
    QString id() const { return m_id; }
    /** Creation time in UTC; invalid when missing. */
    QDateTime createdAt() const { return m_createdAt; }
    /** Last update in UTC; invalid when missing (pre-2026-04-17 responses). */
    QDateTime updatedAt() const { return m_updatedAt; }
    QString httpLink() const { return m_httpLink; }
    QString externalId() const { return m_externalId; }

    void setId(const QString &id) { m_id = id; }
    void setCreatedAt(const QDateTime &at) { m_createdAt = at.toUTC(); }
    void setUpdatedAt(const QDateTime &at) { m_updatedAt = at.toUTC(); }
    void setHttpLink(const QString &link) { m_httpLink = link; }
    void setExternalId(const QString &externalId) { m_externalId = externalId; }

    /** All fields that were present in the JSON (or set), by key. */
    const QMap<QString, FieldValue> &fields() const { return m_fields; }
    /** True when the field was present (even with a null value). */
    bool hasField(const QString &key) const { return m_fields.contains(key); }
    /** The field's value; the untyped null when absent. */
    FieldValue value(const QString &key) const { return m_fields.value(key); }
    void setValue(const QString &key, const FieldValue &value) { m_fields.insert(key, value); }
    void removeField(const QString &key) { m_fields.remove(key); }
    /** Keys of the fields kept raw (FieldValue::isRaw()), sorted. */
    QStringList rawFieldKeys() const;

    /** All relationships by key. */
    const QMap<QString, Relationship> &relationships() const { return m_relationships; }
    bool hasRelationship(const QString &key) const { return m_relationships.contains(key); }
    /** The relationship; an empty one when absent. */
    Relationship relationship(const QString &key) const { return m_relationships.value(key); }
    /** Shortcut for relationship(key).ids. */
    QStringList relatedIds(const QString &key) const { return m_relationships.value(key).ids; }
    void setRelationship(const QString &key, const Relationship &relationship)
    {
        m_relationships.insert(key, relationship);
    }

    friend bool operator==(const Record &, const Record &) = default;

private:
    static Record parse(const QJsonObject &json, const ObjectSchema *schema);

    QString m_id;
    QDateTime m_createdAt;
    QDateTime m_updatedAt;
    QString m_httpLink;
    QString m_externalId;
    QMap<QString, FieldValue> m_fields;
    QMap<QString, Relationship> m_relationships;
};

Q_DECLARE_METATYPE(Record)
