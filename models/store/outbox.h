#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include <optional>

class LocalStore;
class QSqlQuery;

/** One queued write. */
/**
 * Why a row was parked, as kept in OutboxRow::lastError: "<status>|<field key>|<message>".
 * The sync engine writes it when the server refuses a write (403, 404, 400, 422); the pending
 * changes, the form and the command line read it back to name the field and the reason.
 */
struct ParkedError
{
    int httpStatus = 0;
    QString fieldKey; ///< the field the server blamed ("$name"), or empty
    QString message; ///< for the user (ErrorText::userMessage())
    QString encode() const;
    /** A lastError that is not in this form reads as a message with no status and no field. */
    static ParkedError decode(const QString &lastError);
};

struct OutboxRow
{
    enum class Op
    {
        Create, ///< `POST /v1/{type}`; recordId is a temporary `local_…` id
        Update, ///< `POST /v1/{type}/{id}` with only the changed keys
    };
    enum class State
    {
        Pending, ///< waiting to be sent (at or after nextAttemptAt)
        InFlight, ///< being sent; back to Pending on the next open (same key)
        Parked, ///< failed for good (4xx): shown to the user, blocks later rows of its record
        Conflict, ///< the server changed the same fields: waits for the user's choice
        /// A create past the Idempotency-Key retention that was sent before: the server may
        /// already hold its record. Never sent or matched on a guess; waits for the user's
        /// answer (adopt(), createAnyway(), discard()) and blocks the record's later rows.
        MayExist,
    };

    qint64 seq = 0; ///< per-client order (AUTOINCREMENT, never reused)
    QString idempotencyKey; ///< UUID v4 minted at enqueue; sent on every attempt
    QString objectType;
    QString recordId;
    Op op = Op::Update;
    QByteArray body; ///< the exact bytes sent on every attempt
    QString baseUpdatedAt; ///< the server copy's `updatedAt` the edit was made against
    QJsonObject baseValues; ///< changed keys → their values before the edit
    State state = State::Pending;
    int attempts = 0; ///< sends started (markInFlight() calls)
    QDateTime nextAttemptAt; ///< not before this (UTC)
    QDateTime createdAt; ///< enqueue time (UTC): rows older than 24 h need a re-check
    /** When the row's record was last compared with a fresh server copy (a GET, or the
     *  response of a 2xx) (UTC); invalid: never. SyncEngine re-checks before sending when it
     *  is older than SyncEngine::Options::recheckAfterMs. */
    QDateTime checkedAt;
    QString lastError; ///< status and short reason; never the body
};

/**
 * The durable queue of the user's edits, kept in the
 * LocalStore's file so that an edit and its row commit together.
 *
 * **Enqueue is one transaction.** enqueueUpdate() / enqueueCreate() write the row *and* the
 * record's local copy (the optimistic value the UI shows) in one SQLite transaction, before
 * they return: an edit the UI shows is always in the queue, and a failed enqueue leaves both
 * untouched. The Idempotency-Key is minted there and never changed for the same body.
 *
 * **Merging.** While the newest row of a record is still Pending and was never sent
 * (attempts == 0), a new edit of that record is merged into it (its key kept: nothing was
 * sent under it); once a row was sent, later edits get rows of their own. Edits that cannot be
 * combined exactly (e.g. two `add`s on one relationship) also get their own row.
 * A merged edit that sets a key back to the row's base (a field to baseValues[key], compared
 * as values of the field's type; a relationship operation that leaves the base ids as they
 * are) takes that key out of the row: undoing an unsent edit leaves nothing to send. A row
 * left empty is deleted.
 *
 * **Order.** nextReady() returns, per record, only the oldest row, and only while it is
 * Pending and due: a record's later rows wait while an earlier one is pending, in flight,
 * parked or in conflict; other records go on in parallel. Rows whose body still references a
 * temporary id wait until rewriteTemporaryId() (done by markSucceeded() for creates).
 *
 * **Lifecycle** (SyncEngine drives it): nextReady → markInFlight → one of markSucceeded (row
 * deleted and the server's copy stored, in one transaction), markRetry (Pending again, later),
 * park, markConflict, markMayExist. resume() / resolveConflict() / discard() / adopt() /
 * createAnyway() are the user's answers.
 *
 * **Creates past the key's retention.** The server forgets an Idempotency-Key after 24 h: a
 * create that was sent (attempts > 0) and is older than that can no longer be resent safely,
 * and a record that looks like it may be a colleague's. Such a row becomes MayExist and only
 * the user decides: adopt() (it is that record), createAnyway() (a new key, sent once) or
 * discard().
 *
 * **Ownership and thread.** Borrows `store`, which must stay open and outlive it; same thread
 * as the store. changed() is emitted after each committed change, never inside a transaction.
 * Errors: `false` / `std::nullopt`, with lastError(); nothing partial is ever committed.
 */
class Outbox final : public QObject
{
    Q_OBJECT

public:
    using Op = OutboxRow::Op;
    using State = OutboxRow::State;

    /**
     * Rows per state, for the status bar. When the queue could not be read, `readable` is
     * false, `error` says why and the numbers mean nothing: never show them as "0 pending".
     */
    struct Counts
    {
        int pending = 0;
        int inFlight = 0;
        int parked = 0;
        int conflict = 0;
        int mayExist = 0;
        bool readable = true;
        QString error;
        int total() const { return pending + inFlight + parked + conflict + mayExist; }
        bool operator==(const Counts &) const = default;
    };

    explicit Outbox(LocalStore &store, QObject *parent = nullptr);
    ~Outbox() override;

    /** A new temporary id for an offline create: `local_` + a UUID. */
    static QString newTemporaryId();
    static bool isTemporaryId(const QString &id);

    /**
     * Queues an update of `recordId` (server or temporary id). `body` is the update body
     * (the API's update shape), a JSON object, stored byte for byte unless merged. `baseValues`
     * maps each changed key to its value before the edit. `optimisticRecord` is the record as
     * the UI should now show it; empty: derived from the cached copy plus the queued bodies.
     * Returns the row as stored (merged or new). When the edit took every key of an unsent
     * row back to its base, that row is deleted (see Merging) and the result has seq 0, body
     * `{}` and no base values.
     */
    std::optional<OutboxRow> enqueueUpdate(const QString &objectType, const QString &recordId,
        const QByteArray &body, const QString &baseUpdatedAt, const QJsonObject &baseValues,
        const QByteArray &optimisticRecord = {}, const QDateTime &now = {});
    /** Queues a create under `temporaryId` (see newTemporaryId()); otherwise as above. */
    std::optional<OutboxRow> enqueueCreate(const QString &objectType, const QString &temporaryId,
        const QByteArray &body, const QByteArray &optimisticRecord = {}, const QDateTime &now = {});

    /**
     * Up to `limit` rows to send now, oldest first, at most one per record (see Order). On a
     * read error the list is empty and `*ok` (when given) is false, with lastError().
     */
    QList<OutboxRow> nextReady(const QDateTime &now, int limit = 25, bool *ok = nullptr) const;
    /**
     * When the next row can go: the earliest due time among the Pending rows that are the
     * oldest row of their record (see Order), possibly in the past (due now). A record whose
     * oldest row is in flight, parked, in conflict or MayExist adds nothing, however many
     * Pending rows wait behind it. A row whose body still references a temporary id counts
     * by its due time, although nextReady() holds it back until the id is known.
     * std::nullopt when no row qualifies, or on a read error: then `*ok` (when given) is
     * false, with lastError().
     */
    std::optional<QDateTime> nextDueAt(bool *ok = nullptr) const;
    std::optional<OutboxRow> row(qint64 seq) const;
    /**
     * All rows in seq order. On a read error the list is empty and `*ok` (when given) is set
     * to false, with lastError(): an unreadable queue is not an empty one.
     */
    QList<OutboxRow> rows(bool *ok = nullptr) const;
    /** The rows of one record, in seq order. */
    QList<OutboxRow> rowsFor(const QString &objectType, const QString &recordId) const;
    Counts counts() const;

    /**
     * Compare-and-set Pending → InFlight, attempts + 1, in one transaction that reads the row
     * again: only while the row `expected.seq` is Pending with the same Idempotency-Key and the
     * same body bytes as `expected` (what the caller is about to send). Returns the row as
     * marked; std::nullopt when it changed (an edit merged into it, another process marked it)
     * or on a store error (lastError() says which).
     */
    std::optional<OutboxRow> markInFlight(const OutboxRow &expected);
    /** Pending → InFlight for whatever the row holds now (a send about to read it afterwards,
     *  or a test simulating a send before a crash). False if the row is not Pending. */
    bool markInFlight(qint64 seq);
    /**
     * The server accepted `sentBody` under `sentKey` for row `seq`: in one transaction, stores
     * `serverRecord` (the response, read shape) as the record's server copy, and
     *  - when the row still holds that key and body: deletes it, rebuilds the local copy from
     *    the remaining rows and, for a create, replaces the temporary id by the server's
     *    everywhere;
     *  - when the row changed meanwhile (another edit merged into it): keeps it, Pending, with
     *    the keys the server does not show yet, their bases taken from `serverRecord`, under a
     *    NEW Idempotency-Key (a key always stands for one body); deleted when nothing is left.
     * `now` sets checked_at of a kept row (the response is a fresh server copy).
     */
    bool markSucceeded(qint64 seq, const QString &sentKey, const QByteArray &sentBody,
        const QByteArray &serverRecord, const QDateTime &now = {});
    /** As above for the body and key the row holds now (a record found already showing it). */
    bool markSucceeded(qint64 seq, const QByteArray &serverRecord);
    /** The row's record was compared with a fresh server copy at `at` (sets checkedAt). */
    bool markChecked(qint64 seq, const QDateTime &at);
    /** Back to Pending, not before `nextAttemptAt`; `error` is kept without the body. */
    bool markRetry(qint64 seq, const QDateTime &nextAttemptAt, const QString &error);
    /** Failed for good: Parked with `error` (without the body). */
    bool park(qint64 seq, const QString &error);
    /** Conflict with `reason`; a fetched `serverRecord` is stored as the server copy. */
    bool markConflict(qint64 seq, const QString &reason, const QByteArray &serverRecord = {});
    /**
     * A create past the key's retention → MayExist (from Pending or InFlight) with `reason`.
     * Nothing is sent for it, nor for the record's later rows, until the user answers.
     */
    bool markMayExist(qint64 seq, const QString &reason);
    /**
     * The user's "It is this one" for a MayExist create: in one transaction the row goes, the
     * temporary id becomes `serverRecord`'s id everywhere (rewriteTemporaryId(): later rows
     * then update that record) and `serverRecord` (read shape, freshly fetched) is stored as
     * its server copy. False when the row is not a MayExist create.
     */
    bool adopt(qint64 seq, const QByteArray &serverRecord);
    /**
     * The user's "Create it anyway" for a MayExist create: Pending now under a new
     * Idempotency-Key (the old one has expired; a new key is sent once and then retried under
     * itself), attempts and the retention clock (createdAt) restart at `now`.
     */
    bool createAnyway(qint64 seq, const QDateTime &now = {});
    /** Parked or Conflict → Pending now, same body and key (the user's "retry"). */
    bool resume(qint64 seq, const QDateTime &now = {});
    /**
     * The user's answer to a conflict: a new body (and base) for the row. A new payload takes
     * a new Idempotency-Key (a reused key would replay the old result); attempts restart.
     */
    bool resolveConflict(qint64 seq, const QByteArray &body, const QString &baseUpdatedAt,
        const QJsonObject &baseValues);
    /**
     * Drops a row the user gave up on and rebuilds the record's local copy. Discarding a
     * create drops the record's later rows and its local record too.
     */
    bool discard(qint64 seq);
    /**
     * Puts a row recovered from a damaged cache (CacheRecovery) back in the queue as Pending,
     * keeping its Idempotency-Key, body, bases, attempts and enqueue time, and rebuilds the
     * record's local copy. `serverJson` (the record's server copy from the damaged cache) is
     * stored only when this cache has no copy yet, so the table can show the deal before the
     * next sweep. False with `*duplicate` set when the key is already queued here.
     */
    bool requeueRecovered(const OutboxRow &row, const QByteArray &serverJson, bool *duplicate);
    /** Makes every Pending row due now (connectivity came back). */
    bool resetBackoff(const QDateTime &now = {});

    /**
     * Replaces a temporary id by the server's in later rows' record ids, inside their bodies'
     * relationship references and in cached records (ids and relationships), in one
     * transaction.
     */
    bool rewriteTemporaryId(const QString &temporaryId, const QString &serverId);

    QString lastError() const;

    static QString stateName(State state);
    /** The columns rowFromQuery() reads, in its order; without `checked_at` for a file of an
     *  older schema (CacheRecovery reads damaged files of any version). */
    static QString rowColumns(bool withCheckedAt = true);
    /** An OutboxRow from the current row of a query that selected rowColumns(). */
    static OutboxRow rowFromQuery(const QSqlQuery &query);
    static QString opName(Op op);

Q_SIGNALS:
    /** After every committed change of the queue. */
    void changed();
    /**
     * The user discarded a row of `recordId` (discard()): its local copy was rebuilt, or, for a
     * create, removed. Views showing the record re-read it (after commit).
     */
    void recordDiscarded(const QString &objectType, const QString &recordId);
    /** A create was acknowledged: `temporaryId` is now `serverId` everywhere (after commit). */
    void temporaryIdReplaced(const QString &temporaryId, const QString &serverId);

private:
    void notifyChanged();
    bool setState(qint64 seq, State state, const QString &error, const QStringList &fromStates,
        qint64 nextAttemptAt = -1);
    bool writeLocalCopy(
        const QString &objectType, const QString &recordId, const QByteArray &optimisticRecord);
    std::optional<OutboxRow> enqueue(Op op, const QString &objectType, const QString &recordId,
        const QByteArray &body, const QString &baseUpdatedAt, const QJsonObject &baseValues,
        const QByteArray &optimisticRecord, const QDateTime &now);
    std::optional<OutboxRow> readRow(qint64 seq, bool *error);
    /** The row `seq` if it is a create waiting as MayExist; else nullopt with lastError set. */
    std::optional<OutboxRow> readMayExistCreate(qint64 seq);
    bool acknowledge(const OutboxRow &current, const QString &sentKey, const QByteArray &sentBody,
        const QByteArray &serverRecord, const QDateTime &now);
    /** Rows matching `where`; `*ok` false (and lastError()) when the query failed. */
    QList<OutboxRow> select(
        const QString &where, const QVariantList &binds, bool *ok = nullptr) const;

    LocalStore &m_store;
    bool m_changeAnnounced = false; ///< a changed() waits for the outer transaction's commit

    Q_DISABLE_COPY_MOVE(Outbox)
};
