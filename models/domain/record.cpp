#include "domain/record.h"

#include "domain/objectschema.h"

#include <QJsonValue>

namespace {

QDateTime readTimestamp(const QJsonValue &value)
{
    if (!value.isString())
        return {};
    const FieldValue parsed = FieldValue::fromJson(FieldType::DateTime, value);
    return parsed.toDateTime();
}

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonValue timestampOrNull(const QDateTime &at)
{
    if (!at.isValid())
        return QJsonValue(QJsonValue::Null);
    return at.toUTC().toString(Qt::ISODateWithMs);
}

FieldValue readField(const QString &key, const QJsonValue &entry, const ObjectSchema *schema)
{
    const FieldDefinition *definition = schema ? schema->field(key) : nullptr;
    // Tolerate a bare value where {valueType, value} is expected.
    const bool wrapped = entry.isObject()
        && (entry.toObject().contains(QLatin1String("value"))
            || entry.toObject().contains(QLatin1String("valueType")));
    const QJsonValue json = wrapped ? entry.toObject().value(QLatin1String("value")) : entry;
    const QString valueTypeName
        = wrapped ? entry.toObject().value(QLatin1String("valueType")).toString() : QString();

    if (valueTypeName.isEmpty()) {
        if (definition)
            return FieldValue::fromJson(*definition, json);
        return FieldValue::raw(json, FieldType::Unknown, FieldValue::Problem::UnknownType);
    }
    const FieldType recordType = fieldTypeFromName(valueTypeName);
    if (recordType == FieldType::Unknown) {
        return FieldValue::raw(json, definition ? definition->type() : FieldType::Unknown,
            FieldValue::Problem::UnknownType, valueTypeName);
    }
    if (!definition)
        return FieldValue::fromJson(recordType, json);
    if (definition->type() != recordType) {
        return FieldValue::raw(
            json, definition->type(), FieldValue::Problem::TypeMismatch, valueTypeName);
    }
    return FieldValue::fromJson(*definition, json);
}

} // namespace

Record::Record(const QString &id)
    : m_id(id)
{
}

Record Record::fromJson(const QJsonObject &json, const ObjectSchema &schema)
{
    return parse(json, &schema);
}

Record Record::fromJson(const QJsonObject &json)
{
    return parse(json, nullptr);
}

Record Record::parse(const QJsonObject &json, const ObjectSchema *schema)
{
    Record record;
    record.m_id = json.value(QLatin1String("id")).toString();
    record.m_createdAt = readTimestamp(json.value(QLatin1String("createdAt")));
    record.m_updatedAt = readTimestamp(json.value(QLatin1String("updatedAt")));
    record.m_httpLink = json.value(QLatin1String("httpLink")).toString();
    record.m_externalId = json.value(QLatin1String("externalId")).toString();

    const QJsonObject fields = json.value(QLatin1String("fields")).toObject();
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it)
        record.m_fields.insert(it.key(), readField(it.key(), it.value(), schema));

    const QJsonObject relationships = json.value(QLatin1String("relationships")).toObject();
    for (auto it = relationships.constBegin(); it != relationships.constEnd(); ++it) {
        if (it.value().isObject())
            record.m_relationships.insert(it.key(), Relationship::fromJson(it.value()));
    }
    return record;
}

QJsonObject Record::toJson() const
{
    QJsonObject fields;
    for (auto it = m_fields.constBegin(); it != m_fields.constEnd(); ++it) {
        const FieldValue &value = it.value();
        QJsonObject entry;
        QString valueTypeName
            = value.isRaw() ? value.rawValueTypeName() : fieldTypeName(value.type());
        if (value.isRaw() && valueTypeName.isEmpty())
            valueTypeName = fieldTypeName(value.type());
        entry.insert(QLatin1String("valueType"), textOrNull(valueTypeName));
        if (value.isNull())
            entry.insert(QLatin1String("value"), QJsonValue(QJsonValue::Null));
        else
            entry.insert(QLatin1String("value"), value.isRaw() ? value.rawJson() : value.toJson());
        fields.insert(it.key(), entry);
    }
    QJsonObject relationships;
    for (auto it = m_relationships.constBegin(); it != m_relationships.constEnd(); ++it)
        relationships.insert(it.key(), it.value().toJson());

    return QJsonObject {
        {QLatin1String("id"), m_id},
        {QLatin1String("createdAt"), timestampOrNull(m_createdAt)},
        {QLatin1String("updatedAt"), timestampOrNull(m_updatedAt)},
        {QLatin1String("httpLink"), textOrNull(m_httpLink)},
        {QLatin1String("externalId"), textOrNull(m_externalId)},
        {QLatin1String("fields"), fields},
        {QLatin1String("relationships"), relationships},
    };
}

QStringList Record::rawFieldKeys() const
{
    QStringList keys;
    for (auto it = m_fields.constBegin(); it != m_fields.constEnd(); ++it) {
        if (it.value().isRaw())
            keys.append(it.key());
    }
    return keys;
}
