#include "domain/recordjson.h"

#include "domain/fieldtype.h"
#include "domain/fieldvalue.h"
#include "domain/json.h"

namespace {

const QLatin1String kFields("fields");
const QLatin1String kRelationships("relationships");

bool isEmptyish(const QJsonValue &value)
{
    return value.isNull() || value.isUndefined() || (value.isString() && value.toString().isEmpty())
        || (value.isArray() && value.toArray().isEmpty())
        || (value.isObject() && value.toObject().isEmpty());
}

} // namespace

namespace RecordJson {

QJsonValue fieldValue(const QJsonObject &record, const QString &key)
{
    const QJsonValue entry = record.value(kFields).toObject().value(key);
    if (entry.isObject() && entry.toObject().contains(QLatin1String("value")))
        return entry.toObject().value(QLatin1String("value"));
    if (entry.isUndefined() || entry.isObject())
        return QJsonValue(QJsonValue::Null);
    return entry; // a bare value (write shape)
}

QString fieldValueType(const QJsonObject &record, const QString &key)
{
    return record.value(kFields)
        .toObject()
        .value(key)
        .toObject()
        .value(QLatin1String("valueType"))
        .toString();
}

QStringList relatedIds(const QJsonObject &record, const QString &key)
{
    const QJsonValue entry = record.value(kRelationships).toObject().value(key);
    if (entry.isObject())
        return Json::ids(entry.toObject().value(QLatin1String("values")));
    return Json::ids(entry);
}

bool sameValue(const QJsonValue &a, const QJsonValue &b, const QString &valueType)
{
    if (isEmptyish(a) && isEmptyish(b))
        return true;
    const FieldType type = fieldTypeFromName(valueType);
    if (type != FieldType::Unknown) {
        const FieldValue left = FieldValue::fromJson(type, a);
        const FieldValue right = FieldValue::fromJson(type, b);
        if (!left.isRaw() && !right.isRaw())
            return left == right;
    }
    return a == b;
}

} // namespace RecordJson
