#pragma once

#include "domain/fielddefinition.h"
#include "domain/relationshipdefinition.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

/**
 * The schema of one object type ("opportunity", …): its field and relationship definitions in
 * display order, parsed from `GET /v1/{type}/definitions`.
 *
 * Field order (what the form and the table's default columns follow):
 *  1. system fields (key "$…") in a fixed, sensible order by role —
 *     name / title, stage, pipeline, status fields, amount and other CURRENCY fields,
 *     DATETIME fields, owner-like fields (key containing "owner", "assigned", "createdBy"),
 *     then all other system fields; within a role by label (case-insensitive), then key;
 *  2. custom fields by label (case-insensitive), then key. The server's order is not
 *     recoverable: `fieldDefinitions` is a JSON object and QJsonObject sorts its keys. When the
 *     server sends `fieldDefinitions` as an array, that order is kept for the custom fields.
 * Relationships: `$account`, `$owner`, then other system relationships by label, then custom
 * ones by label (array order when sent as an array).
 *
 * Documented rules the definitions endpoint does not carry are applied here
 * (docs/decisions/0006): opportunity `$name`, `$stage` and `$account` are required on create,
 * `$opportunityStatus` is read-only, `$task` / `$note` relationships are read-only; account
 * `$name` required, `$howTheyMakeMoney`, `$accountStatus`, `$opportunity`, `$task`, `$note`
 * read-only. Opportunity `$pipeline` is read-only too: it is a hint sent with a `$stage`, never
 * a field of its own (it is not stored, and rejected alone).
 *
 * **Pipelines.** Which pipeline a `$stage` option belongs to is read from the option: its own
 * `pipelineId` (and `pipelineName`), or its `parentId` when `$stage` depends on `$pipeline`
 * (`typeConfiguration.parentFieldKey`, or a parent id that is a `$pipeline` option). Both
 * readings land in SelectOption::pipelineId / pipelineLabel (resolved on parse and on
 * addField()); nothing is taken from a record's own `$pipeline`.
 * read-only. Create-only (RelationshipDefinition::isCreateOnly()) unless the definition says
 * `"createOnly": false` or `"updatable": true`: opportunity `$account` and `$createdBy` of any
 * type, which the API's typed update schema leaves out.
 *
 * Pointers returned by field() / relationship() point into this object and stay valid until
 * it is modified or destroyed. A plain, copyable value type.
 */
class ObjectSchema final
{
public:
    ObjectSchema() = default;
    explicit ObjectSchema(const QString &objectType);

    /**
     * Parses a definitions response: {"objectType", "fieldDefinitions", "relationshipDefinitions"}.
     * Tolerant: missing or malformed sections give no definitions; entries that are not objects
     * are skipped; an unknown `valueType` gives a read-only FieldType::Unknown field.
     */
    static ObjectSchema fromDefinitionsJson(const QJsonObject &json);
    /**
     * The definitions JSON (`{objectType, fieldDefinitions: [...], relationshipDefinitions:
     * [...]}`) that fromDefinitionsJson() reads back into an equal schema: what the cache keeps,
     * since the client hands out parsed schemas only.
     */
    QJsonObject toDefinitionsJson() const;

    QString objectType() const { return m_objectType; }
    bool isEmpty() const { return m_fields.isEmpty() && m_relationships.isEmpty(); }

    /** Field definitions in display order (see the class comment). */
    const QList<FieldDefinition> &fields() const { return m_fields; }
    /** Relationship definitions in display order. */
    const QList<RelationshipDefinition> &relationships() const { return m_relationships; }
    /** The keys of fields(), in the same order. */
    QStringList fieldKeys() const;

    /** The field with this key, or nullptr. */
    const FieldDefinition *field(const QString &key) const;
    /** The relationship with this key, or nullptr. */
    const RelationshipDefinition *relationship(const QString &key) const;
    /** Position of the field in fields(), or -1. */
    qsizetype indexOfField(const QString &key) const { return m_fieldIndex.value(key, -1); }

    // --- pipelines (the `$pipeline` beta; docs/decisions/0006) ---

    /**
     * True when `$pipeline` is among the definitions: the organisation has the pipelines beta,
     * and a `$pipeline` hint may be written (with a `$stage`, never alone).
     */
    bool acceptsPipelineHint() const;
    /**
     * The pipelines: the `$pipeline` options in their order, then any pipeline named only by a
     * `$stage` option. Empty for an organisation without pipelines.
     */
    QList<SelectOption> pipelines() const;
    /** The pipeline of a `$stage` option (SelectOption::pipelineId), or empty. */
    QString stagePipeline(const QString &stageOptionId) const;
    /**
     * The `$pipeline` hint a move from stage `fromStage` to `toStage` is sent with: toStage's
     * pipeline when it is not fromStage's (or fromStage is unknown or empty); empty for a move
     * within a pipeline, to a stage of no known pipeline, or when !acceptsPipelineHint().
     */
    QString pipelineHint(const QString &fromStage, const QString &toStage) const;

    /** Appends (or replaces, same key) a field at the end; no re-sorting. */
    void addField(const FieldDefinition &definition);
    /** Appends (or replaces, same key) a relationship at the end; no re-sorting. */
    void addRelationship(const RelationshipDefinition &definition);

    friend bool operator==(const ObjectSchema &a, const ObjectSchema &b)
    {
        return a.m_objectType == b.m_objectType && a.m_fields == b.m_fields
            && a.m_relationships == b.m_relationships;
    }

private:
    void reindex();
    void resolvePipelines();

    QString m_objectType;
    QList<FieldDefinition> m_fields;
    QList<RelationshipDefinition> m_relationships;
    QHash<QString, qsizetype> m_fieldIndex;
    QHash<QString, qsizetype> m_relationshipIndex;
};
