#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

/**
 * Reading a record's JSON without decoding it: the accessors the outbox, the merge and the sync
 * engine share. A record may be in the read shape (`{"fields": {key: {"value", "valueType"}},
 * "relationships": {key: {"values": [ids]}}}`) or the write shape (bare values and ids).
 */
namespace RecordJson {

/**
 * True when two bare values are the same value of type `valueType` (a read-shape name such as
 * "DATETIME"; empty or unknown: JSON equality, with null, "" and [] alike).
 */
bool sameValue(const QJsonValue &a, const QJsonValue &b, const QString &valueType);

/** The bare value of a field in a read-shape record (null when absent). */
QJsonValue fieldValue(const QJsonObject &record, const QString &key);
/** The `valueType` of a field in a read-shape record (empty when absent). */
QString fieldValueType(const QJsonObject &record, const QString &key);
/** The related ids of a read-shape record's relationship (empty when absent). */
QStringList relatedIds(const QJsonObject &record, const QString &key);

} // namespace RecordJson
