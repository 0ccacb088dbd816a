#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <optional>

class QSqlQuery;
class QThread;

/** Keys of the `meta` table shared by the app (values are strings). */
namespace StoreMeta {
/** The workspace the file belongs to; checked against the signed-in account at start-up. */
inline constexpr QLatin1String kBaseUrl("workspace/baseUrl");
inline constexpr QLatin1String kAccountIdentity("workspace/accountIdentity");
/** UTC ISO 8601 time at which the last complete sweep of opportunities finished. */
inline constexpr QLatin1String kLastFullSweepAt("sync/lastFullSweepAt");
/** The number of the last sweep started (StoredRecord::seenSweep). */
inline constexpr QLatin1String kSweepCounter("sync/sweepCounter");
/** How this workspace takes a cleared list field: "null" (the default) or "empty" (`[]`),
 *  learned by the Pusher from the server's answers (ChangeSet::ListClear). */
inline constexpr QLatin1String kListClearForm("writes/listClearForm");
/** The list clear form the server answered 400 to and no write has been accepted in since
 *  ("null", "empty" or absent): the Pusher swaps a refused form once, never back. */
inline constexpr QLatin1String kListClearRefused("writes/listClearRefused");
} // namespace StoreMeta

/** A record as cached: the server copy plus, while edits are queued, the local copy. */
struct StoredRecord
{
    QString objectType; ///< "opportunity", "account", "member", "contact", …
    QString id; ///< server id, or a temporary `local_…` id for an offline create
    QString updatedAt; ///< the server copy's `updatedAt`, as sent (may be empty)
    QByteArray json; ///< server copy, read shape; empty if none yet
    QByteArray localJson; ///< server copy with queued edits applied; empty when none queued
    bool deleted = false; ///< confirmed deleted on the server (kept until the sweep drops it)
    qint64 seenSweep = 0; ///< the last sweep that listed it (SyncEngine's deletion check)

    /** What the UI shows: the local copy when edits are queued, else the server copy. */
    const QByteArray &effectiveJson() const { return localJson.isEmpty() ? json : localJson; }
    /** True while the outbox holds edits for this record. */
    bool hasLocalChanges() const { return !localJson.isEmpty(); }
};

/** The raw definitions of one object type (`GET /v1/{type}/definitions`). */
struct StoredDefinitions
{
    QString objectType;
    QByteArray json;
    QDateTime fetchedAt;
};

/**
 * The SQLite cache of one workspace: definitions, records
 * (opportunities, accounts, members, contacts), the outbox and sync metadata, in **one file**
 * so that an edit and its outbox row commit atomically (docs/decisions/0004).
 *
 * **File.** WAL journal with `synchronous=FULL` (the outbox is the only copy of the user's
 * work); DELETE journal when WAL cannot be set (network file systems) or is not wanted;
 * `busy_timeout`; `foreign_keys=ON`. The path comes from WorkspacePaths::databasePath(), or is
 * `":memory:"` in tests.
 *
 * **open()** checks before it changes anything: a read-only probe reads `user_version` and runs
 * `PRAGMA quick_check`. A database newer than the app is refused untouched (TooNew). A file
 * SQLite cannot read, or that fails quick_check, is moved aside together with its `-wal`,
 * `-shm` and `-journal` files as `cache.sqlite.corrupt-<UTC time>` (never deleted) and an empty
 * cache is started (Quarantined: tell the user). A busy or locked file is *not* corrupt: open()
 * fails and leaves it alone. Then the schema is migrated step by step (Migrations) and every
 * outbox row left `inflight` by a previous run goes back to `pending`, to be resent with its
 * own Idempotency-Key — only with Options::requeueInFlight, which
 * the holder of the workspace's WriterLock sets. Options::readOnly opens without any of this.
 *
 * **Thread and ownership.** Not a QObject. One instance owns one QSqlDatabase connection,
 * named uniquely per instance, and must be used only from the thread that constructed it;
 * construct one LocalStore per thread that needs the file. Outbox borrows it.
 *
 * **Transactions.** Each write method is one transaction. Transaction is the RAII guard
 * the store and Outbox use; guards nest (an inner guard joins the outer one, and an inner
 * failure makes the whole transaction roll back). Every statement on the contents, reads
 * included, goes through exec(), which counts statements for the test-only fault hook
 * setFailAfter() (only the PRAGMAs that set up and describe the connection do not).
 *
 * Errors are returned as `false` / empty values, with lastError() describing the last one and
 * lastErrorKind() classifying it; bodies and field values never appear in lastError() or in
 * the log. A statement run through exec() / execSql() (including BEGIN and COMMIT) that finds
 * the file busy or locked after busy_timeout is tried again kBusyRetries times with a short,
 * doubling pause before it is reported (Busy): a second process or a checkpoint holding the
 * write lock a little longer must not cost the rep an edit or an acknowledgement. A full disk
 * (SQLITE_FULL) is reported as DiskFull with diskFullMessage(); the transaction rolls back,
 * so rows committed earlier stay intact.
 */
class LocalStore final
{
public:
    enum class OpenStatus
    {
        Opened, ///< an existing cache, checked and migrated
        Created, ///< a new, empty cache
        Quarantined, ///< the old file was unreadable and moved aside; a new cache is open
        TooNew, ///< written by a newer app: refused, file untouched, store closed
        MigrationFailed, ///< a step failed and was rolled back; store closed
        Locked, ///< another process holds the file; nothing changed; store closed
        Failed, ///< cannot open or create the file; store closed
    };

    struct OpenResult
    {
        OpenStatus status = OpenStatus::Failed;
        QString message; ///< for the user when not Opened / Created
        QString quarantinedTo; ///< the moved-aside file, for Quarantined
        int fileVersion = 0; ///< user_version found in the file (0 for a new file)
        int appVersion = 0; ///< the schema version this build writes
        int requeuedInFlight = 0; ///< outbox rows put back from inflight to pending
        bool isOpen() const
        {
            return status == OpenStatus::Opened || status == OpenStatus::Created
                || status == OpenStatus::Quarantined;
        }
    };

    struct Options
    {
        bool preferWal = true; ///< false: DELETE journal (e.g. a network drive)
        int busyTimeoutMs = 5000;
        /** Test-only: migrate no further than this version (0 = the latest). */
        int targetVersion = 0;
        /**
         * Open with QSQLITE_OPEN_READONLY and change nothing: no migration, no quarantine, no
         * requeue, no journal switch. For readers (`status`, `export`) that may run while
         * another process writes; a file that needs an upgrade or repair is refused (Failed).
         */
        bool readOnly = false;
        /**
         * Put rows left `inflight` back to `pending`. Only the process holding the
         * workspace's WriterLock may do so: another process's inflight row may be on the wire.
         */
        bool requeueInFlight = true;
    };

    /** Outcome of upsertServerRecord(). */
    enum class Upsert
    {
        Inserted,
        Updated,
        SkippedOlder, ///< the cached server copy has a later `updatedAt`
        Error,
    };

    class Transaction;

    explicit LocalStore(const QString &path);
    LocalStore(const QString &path, const Options &options);
    ~LocalStore();

    /** Opens (creating, checking, migrating) the file. Calling it on an open store reopens. */
    OpenResult open();
    /** Closes the connection; a WAL file is checkpointed by SQLite. */
    void close();
    bool isOpen() const;

    QString path() const { return m_path; }
    /** "wal", or "delete" after the fallback ("memory" for ":memory:"). */
    QString journalMode() const;
    /** The `synchronous` setting read back from SQLite (2 = FULL). */
    int synchronousLevel() const;
    /** `user_version` of the open file. */
    int schemaVersion() const;
    /** " AND decode_error IS NULL" once the schema has the column, else empty. */
    QString decodableOnly() const;
    /** The schema version this build writes. */
    static int latestSchemaVersion();
    /** The last error, without bodies or values. */
    QString lastError() const { return m_lastError; }

    /** What kind of failure lastError() describes, for callers that must tell the user. */
    enum class ErrorKind
    {
        None,
        /** Another connection held the file past busy_timeout and every retry (SQLITE_BUSY /
            SQLITE_LOCKED): nothing was written; trying again later may work. */
        Busy,
        /** SQLITE_FULL: the disk (or the file's page limit) is full; nothing was written. */
        DiskFull,
        /** A read failed (I/O error, damaged page, …): results are unknown, not empty. */
        ReadFailed,
        Other,
    };
    ErrorKind lastErrorKind() const { return m_lastErrorKind; }
    /** The user-facing text for a full disk (lastError() when lastErrorKind() is DiskFull). */
    static QString diskFullMessage();
    /**
     * How often a statement that failed with SQLITE_BUSY / SQLITE_LOCKED is tried again after
     * busy_timeout ran out, with a doubling pause (kBusyBackoffMs, then twice that, …) between.
     */
    static constexpr int kBusyRetries = 5;
    static constexpr int kBusyBackoffMs = 25;

    // --- meta (sync metadata: workspace identity, last full sweep, …) ---
    /** The value under `key`; nullopt when there is none, or on a read error: then `*ok`
        (when given) is false, with lastError(). */
    std::optional<QString> meta(const QString &key, bool *ok = nullptr) const;
    bool setMeta(const QString &key, const QString &value);
    bool removeMeta(const QString &key);

    // --- definitions ---
    bool putDefinitions(
        const QString &objectType, const QByteArray &json, const QDateTime &fetchedAt);
    std::optional<StoredDefinitions> definitions(const QString &objectType) const;

    // --- records ---
    /**
     * Stores a server copy (read shape, must have `id`). A copy older than the cached one (by
     * `updatedAt`) is skipped: list results lag writes. When the outbox holds
     * edits for the record, its local copy is rebuilt as this copy plus those edits.
     * `sweep` > 0 records that a sweep listed it.
     */
    Upsert upsertServerRecord(const QString &objectType, const QByteArray &json, qint64 sweep = 0);
    /** Stores a page of server copies in one transaction; false (nothing written) on error. */
    bool upsertServerRecords(const QString &objectType, const QList<QByteArray> &jsons,
        qint64 sweep = 0, QList<Upsert> *outcomes = nullptr);
    /**
     * Keeps a listed row the client could not decode, as received, under `key` (its id, or a
     * made-up "undecodable:…" key when it has none), with `reason` in `decode_error` and
     * `sweep` as the sweep that listed it. Such a row is no deletion candidate and is left out
     * of records(), recordCount() and recordsNotSeenSince(): no view shows it as a record.
     * When the outbox holds edits for that id, the last readable copy stays their base and only
     * the sweep is recorded. A later readable copy (upsertServerRecords()) clears the reason.
     */
    bool storeUndecodable(const QString &objectType, const QString &key, const QByteArray &json,
        const QString &reason, qint64 sweep);
    /** Rows of a type kept undecodable (storeUndecodable()), not deleted ones. */
    int undecodableCount(const QString &objectType) const;
    /**
     * After a complete sweep: drops the undecodable rows of a type that no sweep since `sweep`
     * listed (the server no longer sends them in that form); returns how many, -1 on error.
     */
    int removeUndecodableNotSeenSince(const QString &objectType, qint64 sweep);
    /**
     * The row, undecodable ones included (see storeUndecodable()); nullopt when there is none,
     * or on a read error: then `*ok` (when given) is false, with lastError().
     */
    std::optional<StoredRecord> record(
        const QString &objectType, const QString &id, bool *ok = nullptr) const;
    /**
     * Every decodable record of a type, not deleted ones unless asked, ordered by id. On a
     * read error the list is empty and `*ok` (when given) is false, with lastError().
     */
    QList<StoredRecord> records(
        const QString &objectType, bool includeDeleted = false, bool *ok = nullptr) const;
    /**
     * One keyset page of records(): up to `limit` decodable, not deleted records of a type
     * whose id sorts after `afterId` (empty or null: from the first), ordered by id. A reader
     * walking a whole type passes the last id of one page as `afterId` of the next, so that
     * nothing stays open on the connection between pages and rows written meanwhile are
     * neither skipped nor read twice. On a read error the list is empty and `*ok` (when
     * given) is false, with lastError(): an unreadable page is not the end of the records.
     */
    QList<StoredRecord> recordsAfter(
        const QString &objectType, const QString &afterId, int limit, bool *ok = nullptr) const;
    /**
     * The cached server copy's `updatedAt` (as stored; empty when it has none) of each of `ids`
     * held as a not deleted record of the type; ids not held are left out. Empty on a read
     * error (lastError()).
     */
    QHash<QString, QString> updatedAtOf(const QString &objectType, const QStringList &ids) const;
    /** Decodable records of a type, not deleted ones. */
    int recordCount(const QString &objectType) const;
    /**
     * Ids of decodable records of a type that no sweep since `sweep` listed (deletion
     * candidates). On a read error the list is empty and `*ok` (when given) is false, with
     * lastError(): an unread list is not "none missing".
     */
    QStringList recordsNotSeenSince(
        const QString &objectType, qint64 sweep, bool *ok = nullptr) const;
    /** Marks a record deleted on the server (after a 404 confirmed it). */
    bool markDeleted(const QString &objectType, const QString &id);
    /** Removes a record for good. Refused while the outbox holds rows for it. */
    bool removeRecord(const QString &objectType, const QString &id);
    /**
     * Recomputes the local copy of a record from its server copy and its outbox rows, in seq
     * order (RecordOverlay). Called by the store and Outbox inside their transactions.
     */
    bool rebuildLocalCopy(const QString &objectType, const QString &id);
    /**
     * Stores `localJson` as the record's local copy (the optimistic value the UI shows while
     * edits are queued), creating the row without a server copy when there is none yet (an
     * offline create). The server copy is left alone. One transaction, or part of the
     * caller's (Outbox writes the local copy together with the outbox row).
     */
    bool setLocalCopy(const QString &objectType, const QString &id, const QByteArray &localJson);
    /**
     * Gives the record cached under `oldId` the id `newId` (a record created offline under a
     * temporary id, once the server named it). A row already held under `newId` of the same
     * type (a sweep may have stored the server's copy first) is replaced. Every cached copy
     * that references `oldId` — a relationship, or the record's own `id` in its local copy —
     * is rewritten to `newId` as well. One transaction, or part of the caller's: Outbox
     * rewrites its rows in the same one, and a rollback there undoes this too.
     */
    bool rewriteRecordId(const QString &oldId, const QString &newId);

    // --- low level: schema steps (Migrations) and tests only ---
    /** Executes one SQL statement; counts it for setFailAfter(). */
    bool execSql(const QString &sql);
    /** True while a Transaction is active on this store. */
    bool inTransaction() const { return m_transactionDepth > 0; }
    /**
     * Runs `hook` once the outermost Transaction has committed (at once when none is active);
     * dropped when it rolls back. Lets a change made inside a caller's transaction be announced
     * only when it is really stored.
     */
    void runAfterCommit(std::function<void()> hook);
    /** Sets lastError() (for callers that detect a logical error). */
    void setError(const QString &error);

    /** What the statement setFailAfter() fails returns instead of running (test-only). */
    enum class InjectedFault
    {
        /** An unnamed error ("injected fault"), reported as Other. */
        Generic,
        /** SQLITE_BUSY still there after busy_timeout and every retry, reported as Busy. The
            retries and their pauses are skipped: a loop that fails every statement in turn
            would wait almost a second for each, and the retries have tests of their own. */
        Busy,
        /** SQLITE_IOERR, reported as a real one: ReadFailed for a read, Other for a write. */
        IoError,
        /** SQLITE_FULL, reported as DiskFull with diskFullMessage(). */
        DiskFull,
    };

    /**
     * Test-only fault hook: the n-th statement executed
     * through exec()/execSql() from now on fails once, with `fault`, without running; the
     * error is recorded as that error from SQLite would be. 0 turns it off. ROLLBACK is never
     * failed.
     */
    void setFailAfter(int n, InjectedFault fault = InjectedFault::Generic);
    /** Statements executed through exec()/execSql() so far (for fault-injection loops). */
    qint64 statementCount() const { return m_statements; }

private:
    // The connection and the statement helpers are private so that SQL on the cache lives in
    // two classes only: this one, which owns `records`, `definitions` and `meta`, and Outbox,
    // which owns `outbox` (the store reads the queue only to rebuild a local copy, to refuse
    // removing a record with queued edits and to requeue interrupted rows on open). Outbox
    // must share this connection, since an edit and its queue row commit in one transaction,
    // so it is a friend; other classes go through the methods above, and with them through
    // the busy retry and the fault hook. execSql() stays public because the schema steps in
    // Migrations are free functions that cannot be friends. LocalStoreTestAccess
    // (tests/support) lets tests read raw columns on this connection, the only way into an
    // in-memory store.
    friend class Outbox;
    friend struct LocalStoreTestAccess;

    /** The connection; valid while open. */
    QSqlDatabase database() const;
    /** Executes a prepared query with the busy retry; counts it for setFailAfter(). */
    bool exec(QSqlQuery &query) const;
    /** Prepares a query on this connection (not counted); false on a prepare error. */
    bool prepare(QSqlQuery &query, const QString &sql) const;
    /** Records a failed read (e.g. a step of next() that failed) as lastError(), ReadFailed. */
    void setReadError(const QSqlQuery &query) const;

    OpenResult openFile();
    bool configureConnection(QString *error);
    bool requeueInFlight(int *count);
    bool quarantine(const QString &reason, OpenResult *result);
    /** Counts the statement `sql`; true when the armed fault fails it (error recorded). */
    bool failInjected(const QString &sql) const;
    /** Runs `run` (a statement) again while it fails busy/locked, then records the error. */
    bool runWithRetry(QSqlQuery &query, const std::function<bool()> &run) const;
    /** Records a failed statement as lastError() / lastErrorKind(), by SQLite result code. */
    void recordFailure(int code, const QString &text, bool read) const;
    void checkThread() const;

    QString m_path;
    Options m_options;
    QString m_connectionName;
    // The last error, the statement count and the armed fault describe the connection's
    // history, not the cache's contents: a const read runs through exec() like a write, so a
    // failed read is reported and retried the same way and the fault hook reaches it.
    mutable QString m_lastError;
    mutable ErrorKind m_lastErrorKind = ErrorKind::None;
    QThread *m_thread = nullptr;
    mutable int m_failCountdown = 0;
    InjectedFault m_injectedFault = InjectedFault::Generic;
    mutable qint64 m_statements = 0;
    int m_transactionDepth = 0;
    bool m_rollbackOnly = false;
    QList<std::function<void()>> m_afterCommit;

    friend class Transaction;
    Q_DISABLE_COPY_MOVE(LocalStore)
};

/**
 * One write transaction (`BEGIN IMMEDIATE`, so a writer never waits to upgrade a read lock).
 * Rolls back on destruction unless commit() succeeded. A guard created while another is
 * active joins it: its commit() only reports, its rollback marks the outer transaction
 * rollback-only, so nothing is ever half-written.
 */
class LocalStore::Transaction final
{
public:
    explicit Transaction(LocalStore &store);
    ~Transaction();
    /** False when BEGIN failed; then do nothing and return. */
    bool isActive() const { return m_active; }
    /** Commits (outermost guard) — false, after rolling back, if anything failed. */
    bool commit();
    /** Rolls back now (outermost) or marks the outer transaction rollback-only. */
    void rollback();

private:
    LocalStore &m_store;
    bool m_active = false;
    bool m_outer = false;
    Q_DISABLE_COPY_MOVE(Transaction)
};
