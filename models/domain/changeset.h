#pragma once

#include "domain/fielddefinition.h"
#include "domain/fieldvalue.h"
#include "domain/relationshipdefinition.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

class ObjectSchema;
class Record;

/**
 * The changes of one write: field values to set and relationship operations, serialised to
 * the exact create or update body the API expects (bare values, no {valueType, value}
 * wrapper). A plain value type with no I/O; the Outbox stores its bytes.
 *
 * Invariants, enforced by every way of adding a change:
 *  - only writable fields: known type, not read-only, value not raw and of the field's type
 *    (or null) — anything else is refused and its key listed in rejectedKeys();
 *  - at most one relationship operation per key (the API leaves two undefined), never on a
 *    read-only relationship;
 *  - each change carries a copy of its definition, so serialising needs no schema.
 *
 * Serialisation is deterministic: the same ChangeSet gives the same bytes (QJsonObject keeps
 * its keys sorted; ids keep their order).
 */
class ChangeSet final
{
public:
    /** A relationship operation of an update body. */
    enum class Operation : quint8
    {
        Add = 0,
        Remove = 1,
        Replace = 2,
    };

    /** How HAS_MANY edits are expressed. */
    enum class RelationshipMode : quint8
    {
        /**
         * The difference: `add` the new ids when only ids were added, `remove` when only ids were
         * removed; when both happened, `replace` with the whole new list (one operation per key
         * is all the API defines).
         */
        Difference = 0,
        /** Always `replace` with the whole new list. */
        Replace = 1,
    };

    /**
     * How a list field (FieldDefinition::writesArray()) is cleared. The documentation says
     * `null` clears a field; whether a server also (or only) takes `[]` for a list is not
     * documented. Null is the default; a workspace found to refuse it is written `[]`
     * (the Pusher learns which, StoreMeta::kListClearForm).
     */
    enum class ListClear : quint8
    {
        Null = 0,
        EmptyArray = 1,
    };

    /** One relationship operation. */
    struct RelationshipChange
    {
        Operation operation = Operation::Replace;
        QStringList ids;
        Cardinality cardinality = Cardinality::Unknown;

        friend bool operator==(const RelationshipChange &, const RelationshipChange &) = default;
    };

    ChangeSet() = default;

    /**
     * The changes that turn `base` into the edited state, for an update:
     *  - a field is included only when its edited value differs from base.value(key)
     *    (FieldValue ==, so null and an empty string are the same);
     *  - a relationship edit is the full new list of related ids. HAS_ONE: a new id →
     *    `replace`; no id → `remove` of the old one. HAS_MANY: per `mode`; unchanged sets
     *    (order ignored) give nothing. Unknown cardinality → `replace`.
     * Keys not in `schema`, read-only or Unknown-type fields, raw values, values of the wrong
     * type and HAS_ONE edits with several ids are left out and listed in rejectedKeys().
     */
    static ChangeSet fromEdits(const ObjectSchema &schema, const Record &base,
        const QHash<QString, FieldValue> &editedValues,
        const QHash<QString, QStringList> &editedRelationships = {},
        RelationshipMode mode = RelationshipMode::Difference);

    /**
     * The changes of a new record: fromEdits() against an empty record, so null values and
     * empty relationships are left out. Serialise with toCreateJson() / toCreateBody().
     */
    static ChangeSet forCreate(const ObjectSchema &schema, const QHash<QString, FieldValue> &values,
        const QHash<QString, QStringList> &relationships = {});

    /**
     * Reads an update body back (e.g. from the Outbox) against `schema`: field values through
     * FieldValue::fromJson(), relationship operation objects with exactly one of add / remove /
     * replace. What cannot be read or is not writable is listed in rejectedKeys().
     * toUpdateBody() of the result equals the original bytes when they came from toUpdateBody().
     */
    static ChangeSet fromUpdateJson(const ObjectSchema &schema, const QJsonObject &body);

    /**
     * Sets a field change (null clears). Returns false, and records the key in rejectedKeys(),
     * when the field is not writable, the value is raw, or the value's type is not the field's.
     */
    bool setValue(const FieldDefinition &definition, const FieldValue &value);
    /** Drops a field change (e.g. the user took "theirs" in a conflict). */
    void removeValue(const QString &key);

    /**
     * Sets the relationship operation for definition.key(), replacing any previous one. Ids are
     * de-duplicated, order kept. Returns false (and records the key) for a read-only or invalid
     * relationship, or an `add` / `replace` of several ids on HAS_ONE.
     */
    bool setRelationship(
        const RelationshipDefinition &definition, Operation operation, const QStringList &ids);
    void removeRelationship(const QString &key);

    bool isEmpty() const { return m_fields.isEmpty() && m_relationships.isEmpty(); }
    /** Keys of the field changes, sorted. */
    QStringList fieldKeys() const { return m_fields.keys(); }
    bool containsValue(const QString &key) const { return m_fields.contains(key); }
    /** The new value of a changed field; the untyped null when the key has no change. */
    FieldValue value(const QString &key) const;
    /** Keys of the relationship changes, sorted. */
    QStringList relationshipKeys() const { return m_relationships.keys(); }
    bool containsRelationship(const QString &key) const { return m_relationships.contains(key); }
    /** The operation for a key; a default (Replace, no ids) when absent. */
    RelationshipChange relationshipChange(const QString &key) const
    {
        return m_relationships.value(key);
    }
    /**
     * Entity ids the body references across all relationship operations. The API allows at
     * most 25 per request (422 relationship_write_limit_exceeded).
     */
    int referencedIdCount() const;
    /** Keys that were edited but could not be included, sorted, without duplicates. */
    QStringList rejectedKeys() const;

    /**
     * The update body: {"fields": {key: bare value}, "relationships": {key: {op: ids}}},
     * each section only when non-empty. Ids: a single string for HAS_ONE, an array otherwise.
     */
    QJsonObject toUpdateJson(ListClear listClear = ListClear::Null) const;
    /** toUpdateJson() as compact UTF-8 JSON bytes. */
    QByteArray toUpdateBody(ListClear listClear = ListClear::Null) const;

    /** The meta value of a form ("null", "empty") and back (anything else → Null). */
    static QString listClearName(ListClear form);
    static ListClear listClearFromName(const QString &name);
    /**
     * The keys of `body`'s `fields` that clear a list field of `schema` (a `null` or an empty
     * array for a field that writesArray()), sorted.
     */
    static QStringList listClearKeys(const ObjectSchema &schema, const QJsonObject &body);
    /**
     * `body` with every list clear (listClearKeys()) written in `form`; other members untouched.
     */
    static QJsonObject withListClears(
        const ObjectSchema &schema, const QJsonObject &body, ListClear form);
    /**
     * The create body: {"fields": {…}, "relationships": {key: id or [ids]}}: HAS_ONE as
     * one id string, otherwise an array; `remove` operations have no meaning here and are left
     * out.
     */
    QJsonObject toCreateJson() const;
    /** toCreateJson() as compact UTF-8 JSON bytes. */
    QByteArray toCreateBody() const;

    /** Equal when both carry the same field values and relationship operations. */
    friend bool operator==(const ChangeSet &a, const ChangeSet &b);

private:
    struct FieldChange
    {
        FieldDefinition definition;
        FieldValue value;
    };

    QJsonObject fieldsJson(ListClear listClear = ListClear::Null) const;
    void reject(const QString &key);

    QMap<QString, FieldChange> m_fields;
    QMap<QString, RelationshipChange> m_relationships;
    QStringList m_rejectedKeys;
};

Q_DECLARE_METATYPE(ChangeSet)
