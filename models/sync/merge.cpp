#include "sync/merge.h"

#include "domain/cardinality.h"
#include "domain/fieldtype.h"
#include "domain/fieldvalue.h"
#include "domain/objectschema.h"

#include <QJsonArray>
#include <QSet>

#include <algorithm>

namespace {

const QLatin1String kFields("fields");
const QLatin1String kRelationships("relationships");

bool isEmptyish(const QJsonValue &value)
{
    return value.isNull() || value.isUndefined() || (value.isString() && value.toString().isEmpty())
        || (value.isArray() && value.toArray().isEmpty())
        || (value.isObject() && value.toObject().isEmpty());
}

QStringList idsOf(const QJsonValue &value)
{
    QStringList ids;
    if (value.isString()) {
        if (!value.toString().isEmpty())
            ids << value.toString();
    } else if (value.isArray()) {
        for (const QJsonValue &id : value.toArray()) {
            if (id.isString())
                ids << id.toString();
        }
    }
    return ids;
}

QSet<QString> setOf(const QStringList &ids)
{
    return QSet<QString>(ids.begin(), ids.end());
}

QJsonArray arrayOf(const QStringList &ids)
{
    return QJsonArray::fromStringList(ids);
}

} // namespace

namespace Merge {

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
        return idsOf(entry.toObject().value(QLatin1String("values")));
    return idsOf(entry);
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

Result threeWay(const QJsonObject &body, const QJsonObject &baseValues, const QJsonObject &theirs)
{
    Result result;
    QJsonObject fields;
    const QJsonObject mineFields = body.value(kFields).toObject();
    for (auto it = mineFields.begin(); it != mineFields.end(); ++it) {
        const QString &key = it.key();
        const QJsonValue mine = it.value();
        const QJsonValue theirsValue = fieldValue(theirs, key);
        const QString type = fieldValueType(theirs, key);
        if (sameValue(theirsValue, mine, type)) {
            result.dropped << key;
            continue;
        }
        const bool hasBase = baseValues.contains(key);
        const QJsonValue base = baseValues.value(key);
        if (!hasBase || sameValue(theirsValue, base, type)) {
            fields.insert(key, mine);
            result.baseValues.insert(key, theirsValue);
            result.sent << key;
            continue;
        }
        result.conflicts << FieldConflict {key, false, base, mine, theirsValue};
    }

    QJsonObject relationships;
    const QJsonObject mineRelationships = body.value(kRelationships).toObject();
    for (auto it = mineRelationships.begin(); it != mineRelationships.end(); ++it) {
        const QString &key = it.key();
        const QJsonObject operation = it.value().toObject();
        const QStringList theirsIds = relatedIds(theirs, key);
        const QSet<QString> theirsSet = setOf(theirsIds);
        bool drop = false;
        bool conflict = false;
        if (operation.contains(QLatin1String("add"))) {
            const QSet<QString> wanted = setOf(idsOf(operation.value(QLatin1String("add"))));
            drop = theirsSet.contains(wanted);
        } else if (operation.contains(QLatin1String("remove"))) {
            const QSet<QString> unwanted = setOf(idsOf(operation.value(QLatin1String("remove"))));
            drop = !theirsSet.intersects(unwanted);
        } else {
            const QSet<QString> target = setOf(idsOf(operation.value(QLatin1String("replace"))));
            drop = theirsSet == target;
            conflict = !drop && baseValues.contains(key)
                && setOf(idsOf(baseValues.value(key))) != theirsSet;
        }
        if (drop) {
            result.dropped << key;
        } else if (conflict) {
            result.conflicts << FieldConflict {
                key, true, baseValues.value(key), operation, arrayOf(theirsIds)};
        } else {
            relationships.insert(key, operation);
            result.baseValues.insert(key, arrayOf(theirsIds));
            result.sent << key;
        }
    }

    if (!fields.isEmpty())
        result.body.insert(kFields, fields);
    if (!relationships.isEmpty())
        result.body.insert(kRelationships, relationships);
    // Anything else of the body (the API documents nothing else) is kept as it was.
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (it.key() != kFields && it.key() != kRelationships)
            result.body.insert(it.key(), it.value());
    }
    result.sent.sort();
    result.dropped.sort();
    std::sort(result.conflicts.begin(), result.conflicts.end(),
        [](const FieldConflict &a, const FieldConflict &b) { return a.key < b.key; });
    result.unchanged = result.dropped.isEmpty() && result.conflicts.isEmpty();
    return result;
}

bool recordShows(const QJsonObject &record, const QJsonObject &body, bool isCreate)
{
    const QJsonObject fields = body.value(kFields).toObject();
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (!sameValue(fieldValue(record, it.key()), it.value(), fieldValueType(record, it.key())))
            return false;
    }
    const QJsonObject relationships = body.value(kRelationships).toObject();
    for (auto it = relationships.begin(); it != relationships.end(); ++it) {
        const QSet<QString> have = setOf(relatedIds(record, it.key()));
        if (isCreate) {
            if (have != setOf(idsOf(it.value())))
                return false;
            continue;
        }
        const QJsonObject operation = it.value().toObject();
        if (operation.contains(QLatin1String("add"))) {
            if (!have.contains(setOf(idsOf(operation.value(QLatin1String("add"))))))
                return false;
        } else if (operation.contains(QLatin1String("remove"))) {
            if (have.intersects(setOf(idsOf(operation.value(QLatin1String("remove"))))))
                return false;
        } else if (have != setOf(idsOf(operation.value(QLatin1String("replace"))))) {
            return false;
        }
    }
    return true;
}

QJsonObject definitionsJson(const ObjectSchema &schema)
{
    QJsonArray fields;
    for (const FieldDefinition &definition : schema.fields()) {
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
    for (const RelationshipDefinition &definition : schema.relationships()) {
        relationships.append(QJsonObject {{QStringLiteral("key"), definition.key()},
            {QStringLiteral("id"), definition.id()}, {QStringLiteral("label"), definition.label()},
            {QStringLiteral("description"), definition.description()},
            {QStringLiteral("objectType"), definition.objectType()},
            {QStringLiteral("slug"), definition.slug()},
            {QStringLiteral("cardinality"), cardinalityName(definition.cardinality())},
            {QStringLiteral("readOnly"), definition.isReadOnly()},
            {QStringLiteral("required"), definition.isRequired()}});
    }
    return QJsonObject {{QStringLiteral("objectType"), schema.objectType()},
        {QStringLiteral("fieldDefinitions"), fields},
        {QStringLiteral("relationshipDefinitions"), relationships}};
}

} // namespace Merge
