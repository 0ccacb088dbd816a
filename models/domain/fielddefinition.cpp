#include "domain/fielddefinition.h"

#include <QJsonArray>
#include <QJsonValue>

namespace {

QString stringMember(const QJsonObject &json, QLatin1String key)
{
    const QJsonValue value = json.value(key);
    return value.isString() ? value.toString() : QString();
}

// Booleans are sometimes serialised as strings by hand-written doubles; accept "true" too.
std::optional<bool> boolMember(const QJsonObject &json, QLatin1String key)
{
    const QJsonValue value = json.value(key);
    if (value.isBool())
        return value.toBool();
    if (value.isString())
        return value.toString().compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
    return std::nullopt;
}

QList<SelectOption> parseOptions(const QJsonValue &value)
{
    QList<SelectOption> options;
    const QJsonArray array = value.toArray();
    options.reserve(array.size());
    for (const QJsonValue &entry : array) {
        SelectOption option;
        if (entry.isString()) {
            option.id = entry.toString();
            option.label = option.id;
        } else {
            const QJsonObject object = entry.toObject();
            option.id = stringMember(object, QLatin1String("id"));
            option.label = stringMember(object, QLatin1String("label"));
            option.description = stringMember(object, QLatin1String("description"));
            option.parentId = stringMember(object, QLatin1String("parentId"));
            option.pipelineId = stringMember(object, QLatin1String("pipelineId"));
            option.pipelineLabel = stringMember(object, QLatin1String("pipelineName"));
        }
        if (!option.id.isEmpty())
            options.append(option);
    }
    return options;
}

} // namespace

FieldDefinition::FieldDefinition(const QString &key, FieldType type, const QString &label)
    : m_key(key)
    , m_label(label)
    , m_valueTypeName(fieldTypeName(type))
    , m_type(type)
{
}

FieldDefinition FieldDefinition::fromJson(const QString &key, const QJsonObject &json)
{
    FieldDefinition definition;
    definition.m_key = key;
    definition.m_id = stringMember(json, QLatin1String("id"));
    definition.m_label = stringMember(json, QLatin1String("label"));
    definition.m_description = stringMember(json, QLatin1String("description"));
    definition.m_valueTypeName = stringMember(json, QLatin1String("valueType"));
    definition.m_type = fieldTypeFromName(definition.m_valueTypeName);
    definition.m_system = boolMember(json, QLatin1String("system")).value_or(false);
    definition.m_readOnly = boolMember(json, QLatin1String("readOnly")).value_or(false);
    definition.m_required = boolMember(json, QLatin1String("required")).value_or(false);
    // READONLY_MARKDOWN was renamed MARKDOWN + readOnly on 2026-03-20.
    if (definition.m_valueTypeName.compare(QLatin1String("READONLY_MARKDOWN"), Qt::CaseInsensitive)
        == 0) {
        definition.m_readOnly = true;
    }

    const QJsonObject config = json.value(QLatin1String("typeConfiguration")).toObject();
    definition.m_options = parseOptions(config.value(QLatin1String("options")));
    definition.m_currency = stringMember(config, QLatin1String("currency")).toUpper();
    definition.m_handleService = stringMember(config, QLatin1String("handleService")).toUpper();
    definition.m_multipleValues = boolMember(config, QLatin1String("multipleValues"));
    definition.m_unique = boolMember(config, QLatin1String("unique")).value_or(false);
    definition.m_parentFieldKey = stringMember(config, QLatin1String("parentFieldKey"));

    // Hold what the accessors answer, not which members were sent: ObjectSchema writes the
    // answers (toDefinitionsJson()), and the cached schema read back must equal this one, or
    // every comparison with it (the deal form's, for one) sees a change that is not there.
    if (definition.m_label.isEmpty())
        definition.m_label = key;
    definition.m_system = definition.isSystem();
    definition.m_readOnly = definition.isReadOnly();
    definition.m_multipleValues = isStringListType(definition.m_type)
        ? std::optional<bool>(definition.hasMultipleValues())
        : std::nullopt;
    return definition;
}

std::optional<SelectOption> FieldDefinition::option(QStringView optionId) const
{
    for (const SelectOption &option : m_options) {
        if (option.id == optionId)
            return option;
    }
    return std::nullopt;
}

QString FieldDefinition::optionLabel(const QString &optionId) const
{
    const std::optional<SelectOption> found = option(optionId);
    return found && !found->label.isEmpty() ? found->label : optionId;
}

QString FieldDefinition::optionDisplayLabel(const QString &optionId) const
{
    const std::optional<SelectOption> found = option(optionId);
    if (!found)
        return optionId;
    return optionDisplayLabel(*found);
}

QString FieldDefinition::optionDisplayLabel(const SelectOption &option) const
{
    const QString label = option.label.isEmpty() ? option.id : option.label;
    if (option.pipelineId.isEmpty())
        return label;
    for (const SelectOption &other : m_options) {
        if (other.pipelineId != option.pipelineId
            && other.label.compare(label, Qt::CaseInsensitive) == 0) {
            const QString pipeline
                = option.pipelineLabel.isEmpty() ? option.pipelineId : option.pipelineLabel;
            return pipelineQualified(pipeline, label);
        }
    }
    return label;
}

QString FieldDefinition::pipelineQualified(const QString &pipeline, const QString &label)
{
    return pipeline + QStringLiteral(" / ") + label;
}

bool FieldDefinition::hasMultipleValues() const
{
    switch (m_type) {
    case FieldType::MultiSelect:
        return true;
    case FieldType::Telephone:
        return m_multipleValues.value_or(true);
    case FieldType::Email:
    case FieldType::Url:
        return m_multipleValues.value_or(false);
    default:
        return false;
    }
}

bool FieldDefinition::writesArray() const
{
    return m_type == FieldType::MultiSelect || m_type == FieldType::Telephone
        || (isStringListType(m_type) && hasMultipleValues());
}
