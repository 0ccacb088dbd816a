#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

struct OutboxRow;

/**
 * What a queued row says about its record, for what the rep sees of it (the markers on the
 * form's fields, the line under a board card): the body's keys and, for a parked row, why the
 * server refused it. The body and the last error are the outbox's own formats; the widgets and
 * the app read them only through here.
 */
namespace OutboxRowReading {

/** The row's body as a JSON object; empty when it is not one. */
QJsonObject body(const OutboxRow &row);

/** The field and relationship keys the row's body writes. */
QStringList writtenKeys(const OutboxRow &row);

/** Why a parked row was refused, read from its last error. */
struct Refusal
{
    QString fieldKey; ///< the field the server blamed ("$amount"), or empty
    QString message; ///< the reason, for the rep
};
/** The refusal of a parked row; empty for a row in any other state. */
Refusal refusal(const OutboxRow &row);

/**
 * The keys a row's marker belongs on: the field a parked row's server blamed when it named
 * one (the other keys were not the problem), else writtenKeys().
 */
QStringList markedKeys(const OutboxRow &row);

} // namespace OutboxRowReading
