#include "domain/merge.h"

#include "domain/json.h"
#include "domain/recordjson.h"

#include <QJsonArray>
#include <QSet>

#include <algorithm>

namespace {

const QLatin1String kFields("fields");
const QLatin1String kRelationships("relationships");

QStringList idsOf(const QJsonValue &value)
{
    return Json::ids(value);
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

using RecordJson::fieldValue;
using RecordJson::fieldValueType;
using RecordJson::relatedIds;
using RecordJson::sameValue;

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

} // namespace Merge
