#pragma once

#include "api/lightfielderror.h"
#include "domain/merge.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>

class Connectivity;
class LightfieldClient;
class LocalStore;
class Outbox;
class Puller;
class Pusher;

/**
 * Keeps the LocalStore in step with the server: **pull**
 * fills the store from the API, **push** drains the Outbox into it.
 *
 * **Parts.** A façade over three parts it owns and wires: Puller (the pull), Pusher (the push)
 * and Connectivity (the online state below, which the other two consult before any request
 * and tell what each request got). Their headers describe how each works; this one is the
 * contract. The parts' signals are re-emitted here as they happen, in the order described.
 *
 * **Pull** (pull()): the definitions of opportunities, accounts and contacts first (stored and
 * registered with the client), then a full sweep of opportunities, accounts, members and
 * contacts, every type at once, each with Options::pagesInFlight page requests in flight (the
 * client paces them at the Search rate). Pages are merged by `updatedAt` (LocalStore never lets
 * an older list copy win; queued edits stay on top). After a *complete* sweep of a type, a
 * record no page listed is fetched with `GET`: only a 404 marks it deleted. A sweep is complete
 * only when every page arrived and the list ended with a short page (counted in raw rows, see
 * Pager); a list that never ends (Options::maxSweepRecords) fails the sweep. A row that cannot
 * be decoded is kept as received (LocalStore::storeUndecodable()), reported with
 * recordsUnreadable(), and is no deletion candidate. Each page is stored
 * as it arrives (one transaction per page), so views can change row by row while a sweep runs.
 * Signals: pullStarted(); definitionsStored(type) after each type's definitions are stored;
 * recordsStored(type, ids) after each page is stored (and after the deletion check re-stored
 * records a page missed); pullProgress(done, total) after each page; recordsRemoved(type, ids)
 * once the deletion check of a complete sweep confirmed deletions; pullFinished(ok) once. A
 * pull finishes ok only when the store took everything (the sweep's number, definitions,
 * pages, the deletion check): a refused write or an unread list fails it, and the next pull
 * does it again.
 *
 * **Push** (push(), and on every Outbox::changed()): ready rows (Outbox::nextReady(): per
 * record strictly in seq order) go out, different records in parallel, at most
 * Options::maxWritesInFlight at a time, each with its stored Idempotency-Key and stored bytes.
 *  - 2xx: Outbox::markSucceeded() (the server's copy stored, the row deleted, in one
 *    transaction; a create's temporary id replaced everywhere).
 *  - Offline, Timeout, 429, 5xx, an unreadable 2xx (the write may have been applied): retried
 *    with the same key after capped exponential backoff with full jitter (RetryPolicy,
 *    Options::retryBaseMs … retryCapMs), `Retry-After` as a floor.
 *    409 `idempotency_conflict`: retried the same way.
 *  - 401: the row goes back to Pending, due at once, and the **whole queue pauses**
 *    (authenticationRequired()); setApiKey() resumes it. A 401 never grows a row's backoff.
 *  - 403, 404, 400, 422: Outbox::park() with a message naming the field (a ParkedError on the
 *    row), and rowParked(). Options::forbiddenAsUnauthorizedAfter 403s in a row pause the queue
 *    as a 401 does; setApiKey() resumes the rows parked for a 403.
 *  - Other 409 (a concurrent update): the row is merged again before its next attempt.
 * Before the first send of an update (Options::checkBeforeFirstSend), before every re-send
 * whose last check (OutboxRow::checkedAt) is older than Options::recheckAfterMs, when its base
 * `updatedAt` is older than the cached server copy, or after a 409, the record is fetched and
 * merged (Merge::threeWay()): keys only we changed are sent, keys both changed alike are dropped,
 * keys both changed differently make the row a Conflict (conflictDetected()). A changed body is
 * stored under a new Idempotency-Key (a key always stands for one body). A row first sent more than
 * Options::idempotencyRetentionMs ago is re-checked the same way before it is sent again: a record
 * that already shows the edit completes the row without a second write. An old create is never
 * matched or resent on a guess: a list search by name lags and a colleague's deal may look the
 * same, so the row becomes Outbox MayExist (rowMayExist()) and waits, with the record's later
 * rows, for the rep's answer (Outbox::adopt(), createAnyway(), discard()).
 *
 * A send is a compare-and-set (Outbox::markInFlight(const OutboxRow &)): the row is marked in
 * flight only if it still holds the key and body that were checked, and the 2xx acknowledges
 * exactly that key and body (Outbox::markSucceeded()), so an edit merged in meanwhile stays
 * queued. When the store refuses a bookkeeping write (ack, retry, park, conflict), the error is
 * logged, the row stays busy here (never resent meanwhile) and the write is tried again after
 * the retry backoff: an outcome is never dropped.
 *
 * **Signal order.** Per pull: pullStarted(), pullProgress()…, pullFinished() — always paired.
 * Per row, exactly one outcome per attempt: rowSucceeded(), rowParked(), conflictDetected() or
 * rowMayExist()
 * (retries are silent); after the last Pending / InFlight row settles, drained(). A 401 emits
 * onlineStateChanged(Unauthorized), then authenticationRequired(). Signals are emitted after
 * the Outbox change they report has committed.
 *
 * **Online state** comes from request outcomes: any HTTP response means Online; transport
 * failures (no response) on Options::offlineAfterFailures requests in a row mean Offline, and
 * then a probe (`GET /v1/auth/validate`) runs every Options::probeIntervalMs. A network hint
 * (networkHint(), e.g. from QNetworkInformation) only makes the probe run sooner. setWorkOffline()
 * stops all traffic until turned off (a running sweep is cancelled; the pull then fails).
 * Coming back online pushes, then pulls.
 *
 * **Clock.** Options::clock gives "now" (UTC) for backoff, the re-check bound, checkedAt and the
 * retention check; timers wait for the real difference. Jitter uses Options::random.
 *
 * **Ownership and thread.** Borrows the store, the outbox and the client, which must outlive
 * it; GUI thread only. Destroying the engine abandons its calls (rows in flight stay InFlight
 * in the database and are resent with their key after the next open, like after a crash).
 * Logs go to lcSync / lcOutbox, never with bodies or values.
 */
class SyncEngine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyncEngine)

public:
    enum class OnlineState
    {
        Online, ///< the last request got an answer
        Offline, ///< requests fail without an answer; probing
        WorkingOffline, ///< the user's switch: no traffic at all
        Unauthorized, ///< 401: paused until setApiKey()
    };
    Q_ENUM(OnlineState)

    struct Options
    {
        int maxWritesInFlight = 4;
        int pagesInFlight = 3;
        /**
         * A sweep whose list is still sending full pages past this many rows fails (the server
         * never sends the short page that ends it); see Pager::Settings::maxRecords.
         */
        int maxSweepRecords = 100000;
        /** Object types swept by pull(), in this order; definitions for those that have them. */
        QStringList pullTypes {QStringLiteral("opportunity"), QStringLiteral("account"),
            QStringLiteral("member"), QStringLiteral("contact")};
        qint64 retryBaseMs = 2000;
        qint64 retryCapMs = 5 * 60 * 1000;
        /** Idempotency-Key retention of the server (docs/decisions/0003-idempotency-keys.md). */
        qint64 idempotencyRetentionMs = 24LL * 60 * 60 * 1000;
        /** Transport failures in a row that mean Offline. */
        int offlineAfterFailures = 2;
        qint64 probeIntervalMs = 5000;
        /** Fetch and merge before the first send of every update, not only when the cached
         *  server copy is newer than the edit's base (costs one Read per update). */
        bool checkBeforeFirstSend = true;
        /** A send (first or re-send) whose record was last compared with the server longer
         *  ago than this fetches and merges it again first. A retry after a 5xx, a timeout
         *  or an offline spell may go out hours after its check; a colleague's edit of the
         *  same field meanwhile must become a Conflict, not be overwritten. Seconds: the
         *  re-check costs one Read, and 30 s is shorter than any offline spell worth a
         *  conflict while the backoff of a burst of failures stays below it. */
        qint64 recheckAfterMs = 30000;
        /** This many 403s in a row (no success between) mean the key lost its scope: the
         *  queue pauses as for a 401 instead of parking more rows. */
        int forbiddenAsUnauthorizedAfter = 3;
        /** Load QNetworkInformation at start() and feed its reachability to networkHint(). */
        bool useNetworkInformation = false;
        /** "Now" in UTC; default QDateTime::currentDateTimeUtc(). */
        std::function<QDateTime()> clock;
        /** Uniform [0, 1) for jitter; default QRandomGenerator::global(). */
        std::function<double()> random;
    };

    SyncEngine(LocalStore &store, Outbox &outbox, LightfieldClient &client, Options options,
        QObject *parent = nullptr);
    ~SyncEngine() override;

    /** Starts pushing (and probing) — then pulls. Call once after construction. */
    void start();
    /** Starts a pull unless one runs or the engine cannot talk to the server. */
    void pull();
    /** Sends what is ready now (also called on every Outbox::changed()). */
    void push();

    OnlineState onlineState() const;
    bool isOnline() const { return onlineState() == OnlineState::Online; }
    bool isPulling() const;
    /** Rows of `objectType` the last (or running) pull could not decode. */
    int unreadableCount(const QString &objectType) const;
    /** Rows being worked on (fetched for a merge, or sent). */
    int rowsInFlight() const;

    /** The user's "work offline" switch; turning it off pushes, then pulls. */
    void setWorkOffline(bool offline);
    bool isWorkingOffline() const;

    /** A new key after a 401: hands it to the client and resumes the queue (push, then pull). */
    void setApiKey(const QString &apiKey);
    /** True while a 401 holds the queue. */
    bool isPausedForAuth() const;

    /** A reachability hint (QNetworkInformation): reachable → probe now when offline. */
    void networkHint(bool reachable);

Q_SIGNALS:
    void onlineStateChanged(SyncEngine::OnlineState state);
    void pullStarted();
    /** Records received so far and the total they are expected to reach, over all types. */
    void pullProgress(int done, int total);
    /** Once per pullStarted(); `error` is empty when ok. */
    void pullFinished(bool ok, const QString &error);
    /**
     * A pull stored the definitions of `objectType` (they may equal the cached ones). Emitted
     * before that type's sweep starts.
     */
    void definitionsStored(const QString &objectType);
    /**
     * A page (or the deletion check of a sweep) stored these records of `objectType`: the ids
     * whose server copy was inserted or replaced by a different one (another `updatedAt`), in
     * page order. Copies skipped as older than the cached one, and a record listed again
     * unchanged, are not listed; no signal when nothing changed. Emitted after the page's
     * transaction committed, before the pullProgress() of that page.
     */
    void recordsStored(const QString &objectType, const QStringList &ids);
    /**
     * The deletion check at the end of a complete sweep confirmed (404) that these records of
     * `objectType` were deleted on the server; the store has marked them deleted.
     */
    void recordsRemoved(const QString &objectType, const QStringList &ids);
    /**
     * The sweep of `objectType` listed `count` (> 0) rows that could not be decoded. They are
     * kept as received (LocalStore::storeUndecodable()), not shown, never deletion candidates,
     * and do not make the sweep incomplete. Emitted when the sweep's pages are in, before
     * pullFinished().
     */
    void recordsUnreadable(const QString &objectType, int count);
    /** A 401: the queue is paused until setApiKey(). Emitted once per pause. */
    void authenticationRequired();
    /** A row was parked (403/404/400/422); `fieldKey` is empty when no field was named. */
    void rowParked(
        qint64 seq, const QString &recordId, const QString &fieldKey, const QString &message);
    /** A row became a Conflict: the keys both sides changed differently. */
    void conflictDetected(
        qint64 seq, const QString &recordId, const QList<Merge::FieldConflict> &conflicts);
    /**
     * A create past the key's retention was set aside as "may already exist": nothing is sent
     * for `recordId` (a temporary id) until the user answers.
     */
    void rowMayExist(qint64 seq, const QString &recordId);
    /** A row was acknowledged by the server (or found already applied). */
    void rowSucceeded(qint64 seq, const QString &recordId);
    /** The queue has nothing Pending or InFlight left (parked / conflict rows may remain). */
    void drained();

private:
    QPointer<LightfieldClient> m_client;
    // Declared in the order they are built and wired; destroyed in reverse, so the puller and
    // the pusher (whose calls go with them) before the connectivity they refer to.
    std::unique_ptr<Connectivity> m_connectivity;
    std::unique_ptr<Pusher> m_pusher;
    std::unique_ptr<Puller> m_puller;
};
