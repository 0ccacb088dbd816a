#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

/**
 * The one place JSON becomes text. Every layer stores, compares and shows JSON through these,
 * so one raw value reads the same in the table, the conflict dialog, the pending changes and
 * the CSV export.
 *
 * Numbers are written in fixed notation with the fewest digits that read back as the same
 * double: `0.1` stays "0.1" (not "0.10000000000000001"), `100000` stays "100000" (not
 * "1e+05"), which a spreadsheet and a rep read alike.
 */
namespace Json {

/** Compact JSON text (what the cache stores and what is sent). */
QByteArray compact(const QJsonObject &object);
QByteArray compact(const QJsonArray &array);

/** A number as text: fixed notation, shortest exact form (see the namespace comment). */
QString numberText(double number);

/**
 * A value as a person reads it: a string bare, a number by numberText(), "true"/"false",
 * an array or object as compact JSON, null or absent as "".
 */
QString valueText(const QJsonValue &value);

/** A value as JSON text: a string quoted and escaped, anything else as valueText() would. */
QString literal(const QJsonValue &value);

/** The ids in a JSON id or array of ids (other entries and empty strings skipped). */
QStringList ids(const QJsonValue &value);

} // namespace Json
