#include "domain/relationshipdefinition.h"

#include <QJsonValue>

RelationshipDefinition::RelationshipDefinition(
    const QString &key, Cardinality cardinality, const QString &objectType, const QString &label)
    : m_key(key)
    , m_label(label)
    , m_objectType(objectType)
    , m_cardinality(cardinality)
{
}

RelationshipDefinition RelationshipDefinition::fromJson(const QString &key, const QJsonObject &json)
{
    const auto text = [&json](const char *member) {
        const QJsonValue value = json.value(QLatin1String(member));
        return value.isString() ? value.toString() : QString();
    };
    RelationshipDefinition definition;
    definition.m_key = key;
    definition.m_id = text("id");
    definition.m_label = text("label");
    definition.m_description = text("description");
    definition.m_objectType = text("objectType");
    definition.m_slug = text("slug");
    definition.m_cardinality = cardinalityFromName(text("cardinality"));
    definition.m_readOnly = json.value(QLatin1String("readOnly")).toBool(false);
    definition.m_required = json.value(QLatin1String("required")).toBool(false);
    if (const QJsonValue createOnly = json.value(QLatin1String("createOnly")); createOnly.isBool())
        definition.m_createOnly = createOnly.toBool();
    else if (const QJsonValue updatable = json.value(QLatin1String("updatable"));
             updatable.isBool())
        definition.m_createOnly = !updatable.toBool();
    // The label label() answers, so that the definition read back from the cached JSON
    // (ObjectSchema::toDefinitionsJson()) is equal to this one.
    if (definition.m_label.isEmpty())
        definition.m_label = key;
    return definition;
}
