#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

/**
 * The three-way merge of one queued update against the server's current record
 * (docs/decisions/0005-merge-rules.md). Pure functions on JSON: no I/O, no Qt event loop.
 *
 * Inputs per row: `body` (the update body as queued), `baseValues`
 * (each changed key → its value before the edit, bare write shape; relationship keys → an id or
 * an array of ids) and `theirs` (the server's record, in its read shape).
 *
 * Per field key of the body, with base = baseValues[key], mine = body value, theirs = the
 * server's value (absent = null), compared by value (FieldValue == for the field's valueType,
 * so `"…+00:00"` equals `"….000Z"` and null equals an empty string):
 *  - theirs == mine → **drop** (both changed it to the same value, or ours already applied);
 *  - theirs == base, or no base was recorded → **send** (only we changed it);
 *  - otherwise → **conflict** (base / mine / theirs for the user).
 *
 * Per relationship key: `add` / `remove` are dropped when the server already satisfies them
 * and sent otherwise (they commute with a colleague's edit); `replace` follows the field rules
 * on the id sets (order ignored).
 */
namespace Merge {

/** One key both sides changed to different values. */
struct FieldConflict
{
    QString key;
    bool relationship = false;
    QJsonValue base; ///< undefined when no base was recorded
    QJsonValue mine; ///< our value (field) or operation object (relationship)
    QJsonValue theirs; ///< the server's value, or its array of ids
    friend bool operator==(const FieldConflict &, const FieldConflict &) = default;
};

/** What to do with one queued update. */
struct Result
{
    /** The body to send: the original keys minus dropped and conflicting ones. */
    QJsonObject body;
    /** Each kept key → the server's value now: the base to record with `body`. */
    QJsonObject baseValues;
    QStringList sent; ///< keys kept (fields and relationships), sorted
    QStringList dropped; ///< keys both sides set to the same value, sorted
    QList<FieldConflict> conflicts; ///< sorted by key
    /** True when `body` holds every key of the original (nothing dropped, no conflict). */
    bool unchanged = true;
    /** True when nothing is left to send (every key dropped or in conflict). */
    bool nothingToSend() const
    {
        return body.value(QLatin1String("fields")).toObject().isEmpty()
            && body.value(QLatin1String("relationships")).toObject().isEmpty();
    }
    bool hasConflicts() const { return !conflicts.isEmpty(); }
};

/** Merges one update body; see the namespace comment for the rules. */
Result threeWay(const QJsonObject &body, const QJsonObject &baseValues, const QJsonObject &theirs);

/**
 * True when `record` (read shape) already shows every change of `body` (an update or create
 * body): used to tell whether a write older than the server's idempotency retention was
 * applied before re-sending it.
 */
bool recordShows(const QJsonObject &record, const QJsonObject &body, bool isCreate);

} // namespace Merge

Q_DECLARE_METATYPE(Merge::FieldConflict)
