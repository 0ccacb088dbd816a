#include "domain/relationship.h"

#include <QJsonArray>

namespace {

void appendId(QStringList *ids, const QJsonValue &entry)
{
    QString id;
    if (entry.isString())
        id = entry.toString();
    else if (entry.isObject())
        id = entry.toObject().value(QLatin1String("id")).toString();
    if (!id.isEmpty() && !ids->contains(id))
        ids->append(id);
}

} // namespace

Relationship Relationship::fromJson(const QJsonValue &json)
{
    Relationship relationship;
    if (!json.isObject())
        return relationship;
    const QJsonObject object = json.toObject();
    relationship.cardinality
        = cardinalityFromName(object.value(QLatin1String("cardinality")).toString());
    relationship.objectType = object.value(QLatin1String("objectType")).toString();
    const QJsonValue values = object.value(QLatin1String("values"));
    if (values.isArray()) {
        for (const QJsonValue &entry : values.toArray())
            appendId(&relationship.ids, entry);
    } else {
        appendId(&relationship.ids, values);
    }
    return relationship;
}

QJsonObject Relationship::toJson() const
{
    QJsonObject json;
    const QString name = cardinalityName(cardinality);
    json.insert(QLatin1String("cardinality"),
        name.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(name));
    json.insert(QLatin1String("objectType"),
        objectType.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(objectType));
    json.insert(QLatin1String("values"), QJsonArray::fromStringList(ids));
    return json;
}
