#pragma once

#include "store/outbox.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

class LocalStore;

/**
 * Gets the rep's queued edits out of a cache that LocalStore::open() moved aside as damaged
 * (`cache.sqlite.corrupt-<UTC time>`), so that a quarantine never silently drops work.
 *
 * **Reading.** list() opens the quarantined file read-only (never writing it; when SQLite
 * cannot open it read-only, a temporary copy is read instead) and reads the outbox row by row:
 * a damaged page costs the rows on it, which are reported in Listing::unreadable, not the whole
 * list. Each item carries the deal's name (from the quarantined records when they can be read,
 * else from a create's own body), the keys it changes and when it was queued.
 *
 * **Re-queueing.** requeue() puts the picked rows into the current cache through
 * Outbox::requeueRecovered(), in their original order and WITH THEIR ORIGINAL Idempotency-Keys:
 * an edit the server already applied before the damage is then recognised and not applied a
 * second time. A key already present in the current queue is skipped and reported.
 *
 * **Marking.** The quarantined file is never deleted. After a recovery markRecovered() writes a
 * `<file>.recovered` note beside it (what was re-queued, when); quarantinedFiles() leaves such
 * files out, so the app stops offering them (the CLI's --file still reads them).
 *
 * Stateless; call from the thread that owns the LocalStore passed to requeue().
 */
class CacheRecovery final
{
public:
    struct Item
    {
        OutboxRow row; ///< as stored in the damaged cache (key, body, bases, created_at)
        /// The server copy's name (which deal it is, even for a rename), else the local copy's,
        /// else a create's own; empty when none can be read.
        QString dealName;
        QStringList changedKeys; ///< field and relationship keys the body sets
        QByteArray serverJson; ///< the record's server copy in the damaged cache, if readable
    };

    struct Listing
    {
        bool ok = false; ///< the file could be opened and its outbox found
        QString error; ///< why not, when !ok
        QString file;
        QList<Item> items; ///< readable rows in seq order
        QStringList unreadable; ///< one line per row (or range) that could not be read
    };

    struct Outcome
    {
        QList<qint64> requeued; ///< seqs (in the damaged cache) now queued again
        QList<qint64> skippedDuplicates; ///< their key is already in the current queue
        QStringList failed; ///< "#seq: reason" for rows that could not be queued
        QList<qint64> missing; ///< picked seqs that the listing does not hold
    };

    /** Quarantined caches of `databasePath`, newest first, without the recovered ones. */
    static QStringList quarantinedFiles(const QString &databasePath, bool includeRecovered = false);
    static QString recoveredMarkerPath(const QString &quarantinedFile);
    static bool isRecovered(const QString &quarantinedFile);
    /** Writes the `.recovered` note; false (and *error) when it cannot be written. */
    static bool markRecovered(
        const QString &quarantinedFile, const Outcome &outcome, QString *error = nullptr);

    static Listing list(const QString &quarantinedFile);
    /** Re-queues the rows of `listing` whose seq is in `seqs` into `outbox` (see above). */
    static Outcome requeue(
        const Listing &listing, const QList<qint64> &seqs, LocalStore &store, Outbox &outbox);

private:
    CacheRecovery() = delete;
};
