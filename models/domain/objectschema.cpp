#include "domain/objectschema.h"

#include "domain/cardinality.h"
#include "domain/fieldtype.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QSet>

#include <algorithm>

namespace {

const QString kStageKey = QStringLiteral("$stage");
const QString kPipelineKey = QStringLiteral("$pipeline");

struct DocumentedRule
{
    const char *objectType;
    const char *key;
    bool relationship;
    bool required;
    bool readOnly;
    bool createOnly = false; ///< unless the definition says otherwise
};

// What the API documents about system keys that the definitions endpoint does not
// carry (it has no "required" member, and the read-only relationships have no flag).
constexpr DocumentedRule kDocumentedRules[] = {
    {"opportunity", "$name", false, true, false},
    {"opportunity", "$stage", false, true, false},
    {"opportunity", "$opportunityStatus", false, false, true},
    // Left out of the API's typed update schema: create-only unless the definition allows it.
    {"opportunity", "$account", true, true, false, true},
    {"opportunity", "$task", true, false, true},
    {"opportunity", "$note", true, false, true},
    // A write hint only: sent by the client with a `$stage` that changes pipeline, never edited.
    {"opportunity", "$pipeline", false, false, true},
    {"account", "$name", false, true, false},
    {"account", "$howTheyMakeMoney", false, false, true},
    {"account", "$accountStatus", false, false, true},
    {"account", "$opportunity", true, false, true},
    {"account", "$task", true, false, true},
    {"account", "$note", true, false, true},
};

enum SystemRole
{
    RoleName,
    RoleStage,
    RolePipeline,
    RoleStatus,
    RoleAmount,
    RoleDate,
    RoleOwner,
    RoleOther,
};

SystemRole systemRole(const FieldDefinition &definition)
{
    const QString key = definition.key().mid(1).toLower();
    if (key == QLatin1String("name") || key == QLatin1String("title"))
        return RoleName;
    if (key == QLatin1String("stage"))
        return RoleStage;
    if (key == QLatin1String("pipeline"))
        return RolePipeline;
    if (key.contains(QLatin1String("status")))
        return RoleStatus;
    if (key == QLatin1String("amount") || definition.type() == FieldType::Currency)
        return RoleAmount;
    if (definition.type() == FieldType::DateTime)
        return RoleDate;
    if (key.contains(QLatin1String("owner")) || key.contains(QLatin1String("assigned"))
        || key == QLatin1String("createdby")) {
        return RoleOwner;
    }
    return RoleOther;
}

// Sort key for fields: system first by role, custom after; then label, then key.
struct FieldOrder
{
    int group;
    QString label;
    QString key;

    friend bool operator<(const FieldOrder &a, const FieldOrder &b)
    {
        if (a.group != b.group)
            return a.group < b.group;
        if (const int byLabel = a.label.compare(b.label, Qt::CaseInsensitive); byLabel != 0)
            return byLabel < 0;
        return a.key < b.key;
    }
};

FieldOrder fieldOrder(const FieldDefinition &definition, bool keepCustomOrder)
{
    if (definition.isSystem())
        return {systemRole(definition), definition.label(), definition.key()};
    // Custom fields after every system role; with an array response, keep the server's order.
    if (keepCustomOrder)
        return {RoleOther + 1, QString(), QString()};
    return {RoleOther + 1, definition.label(), definition.key()};
}

int relationshipGroup(const RelationshipDefinition &definition)
{
    if (definition.key() == QLatin1String("$account"))
        return 0;
    if (definition.key() == QLatin1String("$owner"))
        return 1;
    return definition.isSystem() ? 2 : 3;
}

// Each section may be an object keyed by field key, or an array of objects carrying "key" (or
// "slug"). Returns (key, definition object) pairs, plus whether the order is the server's.
QList<std::pair<QString, QJsonObject>> entries(const QJsonValue &section, bool *ordered)
{
    QList<std::pair<QString, QJsonObject>> result;
    *ordered = section.isArray();
    if (section.isObject()) {
        const QJsonObject object = section.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (it.value().isObject() && !it.key().isEmpty())
                result.append({it.key(), it.value().toObject()});
        }
    } else if (section.isArray()) {
        for (const QJsonValue &entry : section.toArray()) {
            const QJsonObject object = entry.toObject();
            QString key = object.value(QLatin1String("key")).toString();
            if (key.isEmpty())
                key = object.value(QLatin1String("slug")).toString();
            if (!key.isEmpty())
                result.append({key, object});
        }
    }
    return result;
}

} // namespace

ObjectSchema::ObjectSchema(const QString &objectType)
    : m_objectType(objectType)
{
}

ObjectSchema ObjectSchema::fromDefinitionsJson(const QJsonObject &json)
{
    ObjectSchema schema(json.value(QLatin1String("objectType")).toString());

    bool fieldsOrdered = false;
    for (const auto &[key, object] :
        entries(json.value(QLatin1String("fieldDefinitions")), &fieldsOrdered)) {
        schema.m_fields.append(FieldDefinition::fromJson(key, object));
    }
    bool relationshipsOrdered = false;
    for (const auto &[key, object] :
        entries(json.value(QLatin1String("relationshipDefinitions")), &relationshipsOrdered)) {
        schema.m_relationships.append(RelationshipDefinition::fromJson(key, object));
    }

    for (const DocumentedRule &rule : kDocumentedRules) {
        if (schema.m_objectType != QLatin1String(rule.objectType))
            continue;
        const QString key = QLatin1String(rule.key);
        if (rule.relationship) {
            for (RelationshipDefinition &definition : schema.m_relationships) {
                if (definition.key() != key)
                    continue;
                definition.setRequired(definition.isRequired() || rule.required);
                definition.setReadOnly(definition.isReadOnly() || rule.readOnly);
                if (rule.createOnly && !definition.saysCreateOnly())
                    definition.setCreateOnly(true);
            }
        } else {
            for (FieldDefinition &definition : schema.m_fields) {
                if (definition.key() != key)
                    continue;
                definition.setRequired(definition.isRequired() || rule.required);
                definition.setReadOnly(definition.isReadOnly() || rule.readOnly);
            }
        }
    }

    // `$createdBy` (the member who created the record) is create-only on every object type.
    for (RelationshipDefinition &definition : schema.m_relationships) {
        if (definition.key() == QLatin1String("$createdBy") && !definition.saysCreateOnly())
            definition.setCreateOnly(true);
        // Held as answered, so that the schema read back from the cache equals this one.
        definition.setCreateOnly(definition.isCreateOnly());
    }

    std::stable_sort(schema.m_fields.begin(), schema.m_fields.end(),
        [fieldsOrdered](const FieldDefinition &a, const FieldDefinition &b) {
            return fieldOrder(a, fieldsOrdered) < fieldOrder(b, fieldsOrdered);
        });
    std::stable_sort(schema.m_relationships.begin(), schema.m_relationships.end(),
        [relationshipsOrdered](const RelationshipDefinition &a, const RelationshipDefinition &b) {
            const int groupA = relationshipGroup(a);
            const int groupB = relationshipGroup(b);
            if (groupA != groupB)
                return groupA < groupB;
            if (relationshipsOrdered && groupA == 3)
                return false;
            const int byLabel = a.label().compare(b.label(), Qt::CaseInsensitive);
            return byLabel != 0 ? byLabel < 0 : a.key() < b.key();
        });
    schema.reindex();
    schema.resolvePipelines();
    return schema;
}

QStringList ObjectSchema::fieldKeys() const
{
    QStringList keys;
    keys.reserve(m_fields.size());
    for (const FieldDefinition &definition : m_fields)
        keys.append(definition.key());
    return keys;
}

const FieldDefinition *ObjectSchema::field(const QString &key) const
{
    const qsizetype index = m_fieldIndex.value(key, -1);
    return index < 0 ? nullptr : &m_fields.at(index);
}

const RelationshipDefinition *ObjectSchema::relationship(const QString &key) const
{
    const qsizetype index = m_relationshipIndex.value(key, -1);
    return index < 0 ? nullptr : &m_relationships.at(index);
}

void ObjectSchema::addField(const FieldDefinition &definition)
{
    const qsizetype index = m_fieldIndex.value(definition.key(), -1);
    if (index >= 0) {
        m_fields[index] = definition;
    } else {
        m_fieldIndex.insert(definition.key(), m_fields.size());
        m_fields.append(definition);
    }
    if (definition.key() == kStageKey || definition.key() == kPipelineKey)
        resolvePipelines();
}

void ObjectSchema::resolvePipelines()
{
    const qsizetype stageIndex = m_fieldIndex.value(kStageKey, -1);
    if (stageIndex < 0)
        return;
    QHash<QString, QString> names;
    if (const FieldDefinition *pipeline = field(kPipelineKey)) {
        for (const SelectOption &option : pipeline->options())
            names.insert(option.id, option.label.isEmpty() ? option.id : option.label);
    }
    FieldDefinition &stage = m_fields[stageIndex];
    const QString parentKey = stage.parentFieldKey();
    QList<SelectOption> options = stage.options();
    bool changed = false;
    for (SelectOption &option : options) {
        QString id = option.pipelineId;
        // A dependent select whose parent is `$pipeline`: the parent option is the pipeline.
        const bool parentIsPipeline = parentKey == kPipelineKey
            || (parentKey.isEmpty()
                && (names.contains(option.parentId)
                    || option.parentId.startsWith(QLatin1String("pd_"))));
        if (id.isEmpty() && parentIsPipeline)
            id = option.parentId;
        const QString label = id.isEmpty() ? QString() : names.value(id, option.pipelineLabel);
        if (id != option.pipelineId || label != option.pipelineLabel) {
            option.pipelineId = id;
            option.pipelineLabel = label;
            changed = true;
        }
    }
    if (changed)
        stage.setOptions(options);
}

bool ObjectSchema::acceptsPipelineHint() const
{
    return field(kPipelineKey) != nullptr;
}

QList<SelectOption> ObjectSchema::pipelines() const
{
    QList<SelectOption> result;
    QSet<QString> seen;
    if (const FieldDefinition *pipeline = field(kPipelineKey)) {
        for (const SelectOption &option : pipeline->options()) {
            if (!seen.contains(option.id)) {
                seen.insert(option.id);
                result.append(option);
            }
        }
    }
    if (const FieldDefinition *stage = field(kStageKey)) {
        for (const SelectOption &option : stage->options()) {
            if (option.pipelineId.isEmpty() || seen.contains(option.pipelineId))
                continue;
            seen.insert(option.pipelineId);
            SelectOption pipeline;
            pipeline.id = option.pipelineId;
            pipeline.label
                = option.pipelineLabel.isEmpty() ? option.pipelineId : option.pipelineLabel;
            result.append(pipeline);
        }
    }
    return result;
}

QString ObjectSchema::stagePipeline(const QString &stageOptionId) const
{
    const FieldDefinition *stage = field(kStageKey);
    if (!stage || stageOptionId.isEmpty())
        return {};
    const std::optional<SelectOption> option = stage->option(stageOptionId);
    return option ? option->pipelineId : QString();
}

QString ObjectSchema::pipelineHint(const QString &fromStage, const QString &toStage) const
{
    if (!acceptsPipelineHint())
        return {};
    const QString to = stagePipeline(toStage);
    if (to.isEmpty())
        return {};
    return stagePipeline(fromStage) == to ? QString() : to;
}

void ObjectSchema::addRelationship(const RelationshipDefinition &definition)
{
    const qsizetype index = m_relationshipIndex.value(definition.key(), -1);
    if (index >= 0) {
        m_relationships[index] = definition;
        return;
    }
    m_relationshipIndex.insert(definition.key(), m_relationships.size());
    m_relationships.append(definition);
}

void ObjectSchema::reindex()
{
    // A key sent twice in an array response: the first definition wins.
    QList<FieldDefinition> fields;
    m_fieldIndex.clear();
    for (const FieldDefinition &definition : std::as_const(m_fields)) {
        if (m_fieldIndex.contains(definition.key()))
            continue;
        m_fieldIndex.insert(definition.key(), fields.size());
        fields.append(definition);
    }
    m_fields = fields;
    QList<RelationshipDefinition> relationships;
    m_relationshipIndex.clear();
    for (const RelationshipDefinition &definition : std::as_const(m_relationships)) {
        if (m_relationshipIndex.contains(definition.key()))
            continue;
        m_relationshipIndex.insert(definition.key(), relationships.size());
        relationships.append(definition);
    }
    m_relationships = relationships;
}

QJsonObject ObjectSchema::toDefinitionsJson() const
{
    QJsonArray fields;
    for (const FieldDefinition &definition : this->fields()) {
        QJsonObject configuration;
        if (!definition.options().isEmpty()) {
            QJsonArray options;
            for (const SelectOption &option : definition.options()) {
                QJsonObject entry {
                    {QStringLiteral("id"), option.id}, {QStringLiteral("label"), option.label}};
                if (!option.description.isEmpty())
                    entry.insert(QStringLiteral("description"), option.description);
                if (!option.parentId.isEmpty())
                    entry.insert(QStringLiteral("parentId"), option.parentId);
                if (!option.pipelineId.isEmpty())
                    entry.insert(QStringLiteral("pipelineId"), option.pipelineId);
                if (!option.pipelineLabel.isEmpty())
                    entry.insert(QStringLiteral("pipelineName"), option.pipelineLabel);
                options.append(entry);
            }
            configuration.insert(QStringLiteral("options"), options);
        }
        if (!definition.currency().isEmpty())
            configuration.insert(QStringLiteral("currency"), definition.currency());
        if (!definition.handleService().isEmpty())
            configuration.insert(QStringLiteral("handleService"), definition.handleService());
        if (isStringListType(definition.type()))
            configuration.insert(QStringLiteral("multipleValues"), definition.hasMultipleValues());
        if (definition.isUnique())
            configuration.insert(QStringLiteral("unique"), true);
        if (!definition.parentFieldKey().isEmpty())
            configuration.insert(QStringLiteral("parentFieldKey"), definition.parentFieldKey());
        QJsonObject entry {{QStringLiteral("key"), definition.key()},
            {QStringLiteral("id"), definition.id()}, {QStringLiteral("label"), definition.label()},
            {QStringLiteral("description"), definition.description()},
            {QStringLiteral("valueType"), definition.valueTypeName()},
            {QStringLiteral("system"),
                definition.isSystem() && !definition.key().startsWith(QLatin1Char('$'))},
            {QStringLiteral("readOnly"), definition.isReadOnly()},
            {QStringLiteral("required"), definition.isRequired()},
            {QStringLiteral("typeConfiguration"), configuration}};
        fields.append(entry);
    }
    QJsonArray relationships;
    for (const RelationshipDefinition &definition : this->relationships()) {
        relationships.append(QJsonObject {{QStringLiteral("key"), definition.key()},
            {QStringLiteral("id"), definition.id()}, {QStringLiteral("label"), definition.label()},
            {QStringLiteral("description"), definition.description()},
            {QStringLiteral("objectType"), definition.objectType()},
            {QStringLiteral("slug"), definition.slug()},
            {QStringLiteral("cardinality"), cardinalityName(definition.cardinality())},
            {QStringLiteral("readOnly"), definition.isReadOnly()},
            {QStringLiteral("required"), definition.isRequired()},
            {QStringLiteral("createOnly"), definition.isCreateOnly()}});
    }
    return QJsonObject {{QStringLiteral("objectType"), objectType()},
        {QStringLiteral("fieldDefinitions"), fields},
        {QStringLiteral("relationshipDefinitions"), relationships}};
}
