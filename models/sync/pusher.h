#pragma once

#include "api/lightfielderror.h"
#include "domain/merge.h"
#include "domain/objectschema.h"
#include "net/retrypolicy.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QTimer>

#include <functional>

class Connectivity;
class ObjectSchema;
class LightfieldClient;
class LocalStore;
class Outbox;
struct OutboxRow;

/**
 * Drains the Outbox into the server: the push half of SyncEngine, whose documentation
 * describes the behaviour as callers see it (what each answer does to a row, the checks and
 * merges before a send, the compare-and-set, the signals).
 *
 * push() takes ready rows (Outbox::nextReady()) up to Settings::maxWritesInFlight and works on
 * each until its outcome is recorded: a row is *busy* (rowsInFlight()) from nextReady() until
 * then, and a busy row is never taken again. An update goes through checkThenSend() (fetch,
 * Merge::threeWay(), applyMerge()) when it needs a check, then send(); every answer ends in
 * handleWriteResult(). push() runs again on every Outbox::changed() and when a slot frees; a
 * timer wakes it when the earliest row due later (Outbox::nextDueAt()) comes due.
 *
 * A transient failure is retried with the same key after RetryPolicy's capped exponential
 * backoff with full jitter: retry n of a row waits uniform(0, min(retryCapMs,
 * retryBaseMs · 2^(n-1))), one draw of Settings::random, with the server's `Retry-After` as a
 * floor, and an `idempotency_conflict` (the same key still being processed) waits at least
 * retryBaseMs. The count n is per row and per session. Every outcome is recorded through
 * settle(): when the store refuses the write, the row stays busy and the write is tried again
 * after the un-jittered backoff, so an outcome is never dropped nor the row resent meanwhile.
 * A queue the store cannot read (nextReady(), nextDueAt(), the counts before drained()) is
 * read again after the same backoff: no change of the queue would wake the push otherwise.
 *
 * Talks only while Connectivity::canTalk(), and tells it what each request got: any answer,
 * none (transport failure), a 401 or a streak of 403s (Connectivity::pauseForAuth()).
 *
 * Borrows the store, the outbox, the client and the connectivity, which must outlive it; GUI
 * thread only. Destroying it abandons its calls (rows in flight stay InFlight in the database).
 */
class Pusher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Pusher)

public:
    /** The members of SyncEngine::Options of the same names. */
    struct Settings
    {
        int maxWritesInFlight = 4;
        qint64 retryBaseMs = 2000;
        qint64 retryCapMs = 5 * 60 * 1000;
        qint64 idempotencyRetentionMs = 24LL * 60 * 60 * 1000;
        bool checkBeforeFirstSend = true;
        qint64 recheckAfterMs = 30000;
        /** "Now" in UTC; default QDateTime::currentDateTimeUtc(). */
        std::function<QDateTime()> clock;
        /** Uniform [0, 1) for jitter; default QRandomGenerator::global(). */
        RetryPolicy::RandomSource random;
    };

    Pusher(LocalStore &store, Outbox &outbox, LightfieldClient &client, Connectivity &connectivity,
        Settings settings, QObject *parent = nullptr);
    ~Pusher() override;

    /** Sends what is ready now (also called on every Outbox::changed()). */
    void push();
    /** Everything waiting is due now (Outbox::resetBackoff()), then push(): back online. */
    void pushAllNow();
    /** No wake-up until the next push(): traffic has stopped. */
    void stopWaking() { m_wakeTimer.stop(); }
    /** Rows parked for a 403 go back to Pending: a new key may be allowed what the old was not. */
    void resumeForbiddenRows();

    /** Rows being worked on (fetched for a merge, or sent). */
    int rowsInFlight() const { return int(m_busy.size()); }

Q_SIGNALS:
    /** As the SyncEngine signals of the same names. */
    void rowParked(
        qint64 seq, const QString &recordId, const QString &fieldKey, const QString &message);
    void conflictDetected(
        qint64 seq, const QString &recordId, const QList<Merge::FieldConflict> &conflicts);
    void rowMayExist(qint64 seq, const QString &recordId);
    void rowSucceeded(qint64 seq, const QString &recordId);
    void drained();

private:
    QDateTime now() const;
    void scheduleWake();
    /** The queue could not be read: push() again after the backoff of the failures so far. */
    void readAgainLater();
    void process(const OutboxRow &row);
    void checkThenSend(const OutboxRow &row, bool recheckApplied);
    void applyMerge(const OutboxRow &checked, const QJsonObject &theirs, bool recheckApplied);
    void send(const OutboxRow &checked);
    /**
     * The bytes sent for `row`: its body, plus the `$pipeline` hint when the body moves the deal
     * to a stage of another pipeline than the one of the stage it was edited from
     * (ObjectSchema::pipelineHint() of baseValues' `$stage` and the body's). Only the wire
     * carries the hint: the outbox keeps the body as queued (no merge, undo or conflict ever
     * sees a `$pipeline` alone), and the same row always gives the same bytes (its key stands
     * for one body).
     */
    QByteArray wireBody(const OutboxRow &row);
    void handleWriteResult(
        const OutboxRow &sent, bool ok, const QByteArray &serverJson, const LightfieldError &error);
    bool retryLater(qint64 seq, const LightfieldError &error);
    /** The cached schema of `objectType` (empty when none is cached). */
    ObjectSchema schemaFor(const QString &objectType) const;
    /** What the rep reads for a row parked on `error`. */
    QString parkMessage(const OutboxRow &sent, const LightfieldError &error) const;
    /**
     * A 400 naming a list field the update clears: the row, still the one sent, is resent at
     * once with its list clears in the other form (`null` ↔ `[]`) under a new key, and the
     * workspace remembers the refused form (StoreMeta::kListClearRefused) and the form to use
     * (StoreMeta::kListClearForm). False — park it — when that form was refused already.
     */
    bool resendWithOtherListClear(const OutboxRow &sent, const LightfieldError &error);
    /** An accepted update that cleared a list: its form is the workspace's from now on. */
    void noteListClearAccepted(const OutboxRow &sent);
    bool settle(qint64 seq, const char *what, const std::function<bool()> &write,
        const std::function<void()> &then = {});
    void release(qint64 seq);
    void checkDrained();

    LocalStore &m_store;
    Outbox &m_outbox;
    QPointer<LightfieldClient> m_client;
    Connectivity &m_connectivity;
    Settings m_settings;
    RetryPolicy m_retry;
    bool m_pushing = false;
    bool m_pushAgain = false;
    bool m_drainedReported = true;
    QSet<qint64> m_busy; ///< rows between nextReady() and their outcome
    QHash<qint64, int> m_failures; ///< transient failures per row this session (backoff)
    QSet<qint64> m_mergeFirst; ///< rows to merge before their next attempt (after a 409)
    QHash<qint64, int> m_settleFailures; ///< outbox writes the store refused, per row
    int m_readFailures = 0; ///< reads of the queue that failed in a row
    QTimer m_wakeTimer;
    QByteArray m_schemaJson; ///< the stored definitions m_schema was parsed from
    ObjectSchema m_schema; ///< of the rows' object type, for wireBody()
};
