#include "store/localstore.h"
#include "domain/json.h"

#include "logging.h"
#include "store/migrations.h"
#include "store/recordoverlay.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

namespace {

QAtomicInt s_connectionCounter;

const QString kDriver = QStringLiteral("QSQLITE");
const QString kMemory = QStringLiteral(":memory:");

// Primary SQLite result codes (sqlite3.h); QSQLITE reports them as the native error code.
constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteReadOnly = 8;
constexpr int kSqliteIoErr = 10;
constexpr int kSqliteCorrupt = 11;
constexpr int kSqliteFull = 13;
constexpr int kSqliteCantOpen = 14;
constexpr int kSqliteNotADatabase = 26;

int sqliteCode(const QSqlError &error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok);
    return ok ? (code & 0xff) : -1;
}

QString errorText(const QSqlError &error)
{
    const QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    return text.isEmpty() ? QStringLiteral("unknown SQLite error") : text;
}

struct Probe
{
    enum Kind
    {
        Ok,
        Corrupt,
        Locked,
        NeedsWriter, ///< a read-only connection cannot read it (e.g. a hot rollback journal)
        Unusable,
    };
    Kind kind = Ok;
    int version = 0;
    QString detail;
};

Probe::Kind classify(const QSqlError &error)
{
    switch (sqliteCode(error)) {
    case kSqliteBusy:
    case kSqliteLocked:
        return Probe::Locked;
    case kSqliteCorrupt:
    case kSqliteNotADatabase:
        return Probe::Corrupt;
    case kSqliteReadOnly:
    case kSqliteCantOpen:
        return Probe::NeedsWriter;
    default:
        return Probe::Unusable;
    }
}

// Reads user_version and runs quick_check on a separate, short-lived connection, so that a
// file we refuse (too new) or move aside (corrupt) is never written by us.
Probe probeFile(const QString &path, const QString &connection, int busyTimeoutMs, bool readOnly)
{
    Probe probe;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(kDriver, connection);
        db.setDatabaseName(path);
        QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(busyTimeoutMs);
        if (readOnly)
            options += QStringLiteral(";QSQLITE_OPEN_READONLY");
        db.setConnectOptions(options);
        if (!db.open()) {
            probe.kind = classify(db.lastError());
            probe.detail = errorText(db.lastError());
        } else {
            QSqlQuery query(db);
            if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next()) {
                probe.kind = classify(query.lastError());
                probe.detail = errorText(query.lastError());
            } else {
                probe.version = query.value(0).toInt();
                query.finish();
                if (probe.version <= Migrations::kLatestVersion) {
                    if (!query.exec(QStringLiteral("PRAGMA quick_check"))) {
                        probe.kind = classify(query.lastError());
                        probe.detail = errorText(query.lastError());
                    } else {
                        QStringList problems;
                        while (query.next() && problems.size() < 5)
                            problems << query.value(0).toString();
                        if (problems != QStringList {QStringLiteral("ok")}) {
                            probe.kind = Probe::Corrupt;
                            probe.detail = QStringLiteral("quick_check: ")
                                + problems.join(QStringLiteral("; ")).left(400);
                        }
                    }
                }
            }
            query.finish();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return probe;
}

QDateTime parseTimestamp(const QString &text)
{
    return text.isEmpty() ? QDateTime() : QDateTime::fromString(text, Qt::ISODateWithMs);
}

} // namespace

LocalStore::LocalStore(const QString &path)
    : LocalStore(path, Options())
{
}

LocalStore::LocalStore(const QString &path, const Options &options)
    : m_path(path)
    , m_options(options)
    , m_connectionName(
          QStringLiteral("lightfield-store-%1").arg(s_connectionCounter.fetchAndAddRelaxed(1)))
    , m_thread(QThread::currentThread())
{
}

LocalStore::~LocalStore()
{
    close();
}

int LocalStore::latestSchemaVersion()
{
    return Migrations::kLatestVersion;
}

void LocalStore::checkThread() const
{
    Q_ASSERT_X(QThread::currentThread() == m_thread, "LocalStore",
        "used from a thread other than the one that created it");
}

LocalStore::OpenResult LocalStore::open()
{
    checkThread();
    close();
    OpenResult result = openFile();
    if (!result.isOpen())
        close();
    if (!result.message.isEmpty())
        m_lastError = result.message;
    return result;
}

void LocalStore::close()
{
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
    m_transactionDepth = 0;
    m_rollbackOnly = false;
}

bool LocalStore::isOpen() const
{
    return QSqlDatabase::contains(m_connectionName) && database().isOpen();
}

QSqlDatabase LocalStore::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

LocalStore::OpenResult LocalStore::openFile()
{
    OpenResult result;
    const int target = m_options.targetVersion > 0
        ? qMin(m_options.targetVersion, Migrations::kLatestVersion)
        : Migrations::kLatestVersion;
    result.appVersion = Migrations::kLatestVersion;
    const bool inMemory = m_path == kMemory;
    const bool readOnly = m_options.readOnly && !inMemory;
    bool existed = false;
    if (readOnly && !QFileInfo::exists(m_path)) {
        result.message = QStringLiteral("The offline cache %1 does not exist yet.")
                             .arg(QDir::toNativeSeparators(m_path));
        return result;
    }
    if (!inMemory && !readOnly) {
        const QFileInfo info(m_path);
        if (!QDir().mkpath(info.absolutePath())) {
            result.message = QStringLiteral("Cannot create the folder for the offline cache: %1")
                                 .arg(QDir::toNativeSeparators(info.absolutePath()));
            return result;
        }
        // Committed data may sit in the -wal alone (e.g. a new file after a crash).
        existed = (info.exists() && info.size() > 0)
            || QFileInfo(m_path + QStringLiteral("-wal")).size() > 0;
    }
    if (existed) {
        const QString probeName = m_connectionName + QStringLiteral("-probe");
        Probe probe = probeFile(m_path, probeName, m_options.busyTimeoutMs, true);
        if (probe.kind == Probe::NeedsWriter && !readOnly)
            probe = probeFile(m_path, probeName, m_options.busyTimeoutMs, false);
        result.fileVersion = probe.version;
        switch (probe.kind) {
        case Probe::Ok:
            break;
        case Probe::Locked:
            result.status = OpenStatus::Locked;
            result.message = QStringLiteral("The offline cache %1 is in use by another program "
                                            "(%2). Close it and try again.")
                                 .arg(QDir::toNativeSeparators(m_path), probe.detail);
            return result;
        case Probe::Corrupt:
            if (readOnly) {
                // A reader never moves the file aside; the writer will when it opens it.
                result.status = OpenStatus::Failed;
                result.message = QStringLiteral("The offline cache %1 is damaged (%2); open "
                                                "the app or run 'sync' to repair it.")
                                     .arg(QDir::toNativeSeparators(m_path), probe.detail);
                return result;
            }
            if (!quarantine(probe.detail, &result))
                return result;
            existed = false;
            break;
        case Probe::NeedsWriter:
        case Probe::Unusable:
            result.status = OpenStatus::Failed;
            result.message = QStringLiteral("The offline cache %1 cannot be opened: %2")
                                 .arg(QDir::toNativeSeparators(m_path), probe.detail);
            return result;
        }
        if (probe.kind == Probe::Ok && probe.version > Migrations::kLatestVersion) {
            result.status = OpenStatus::TooNew;
            result.message
                = QStringLiteral("The offline cache %1 was written by a newer version of "
                                 "Lightfield Deals (cache schema version %2; this version "
                                 "supports up to %3). Update the app to use it. The file was "
                                 "not changed.")
                      .arg(QDir::toNativeSeparators(m_path))
                      .arg(probe.version)
                      .arg(Migrations::kLatestVersion);
            qCWarning(lcCache) << "refusing cache with schema version" << probe.version;
            return result;
        }
    }

    {
        QSqlDatabase db = QSqlDatabase::addDatabase(kDriver, m_connectionName);
        db.setDatabaseName(m_path);
        QString connectOptions
            = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(m_options.busyTimeoutMs);
        if (readOnly)
            connectOptions += QStringLiteral(";QSQLITE_OPEN_READONLY");
        db.setConnectOptions(connectOptions);
        if (!db.open()) {
            const bool locked = classify(db.lastError()) == Probe::Locked;
            result.status = locked ? OpenStatus::Locked : OpenStatus::Failed;
            result.message = QStringLiteral("The offline cache %1 cannot be opened: %2")
                                 .arg(QDir::toNativeSeparators(m_path), errorText(db.lastError()));
            return result;
        }
    }
    QString error;
    if (!configureConnection(&error)) {
        result.status
            = error.contains(QLatin1String("locked")) ? OpenStatus::Locked : OpenStatus::Failed;
        result.message = QStringLiteral("The offline cache %1 cannot be set up: %2")
                             .arg(QDir::toNativeSeparators(m_path), error);
        return result;
    }
    const int version = schemaVersion();
    if (existed)
        result.fileVersion = version;
    if (version > Migrations::kLatestVersion) { // written by a newer app since the probe
        result.status = OpenStatus::TooNew;
        result.message = QStringLiteral("The offline cache %1 has schema version %2; this "
                                        "version of Lightfield Deals supports up to %3.")
                             .arg(QDir::toNativeSeparators(m_path))
                             .arg(version)
                             .arg(Migrations::kLatestVersion);
        return result;
    }
    if (readOnly && version < target) {
        result.status = OpenStatus::Failed;
        result.message = QStringLiteral("The offline cache %1 has schema version %2 and needs "
                                        "an upgrade; open the app or run 'sync' first.")
                             .arg(QDir::toNativeSeparators(m_path))
                             .arg(version);
        return result;
    }
    if (version < target && !Migrations::migrate(*this, version, target, &error)) {
        result.status = OpenStatus::MigrationFailed;
        result.message = QStringLiteral("The offline cache %1 could not be upgraded. %2")
                             .arg(QDir::toNativeSeparators(m_path), error);
        qCWarning(lcCache).noquote() << result.message;
        return result;
    }
    if (!readOnly && m_options.requeueInFlight && schemaVersion() >= 2
        && !requeueInFlight(&result.requeuedInFlight)) {
        result.status = OpenStatus::Failed;
        result.message = QStringLiteral("The offline cache %1 could not be read: %2")
                             .arg(QDir::toNativeSeparators(m_path), m_lastError);
        return result;
    }
    if (result.status != OpenStatus::Quarantined)
        result.status = existed ? OpenStatus::Opened : OpenStatus::Created;
    qCDebug(lcCache) << "cache open, schema" << schemaVersion() << "journal" << journalMode()
                     << "requeued" << result.requeuedInFlight;
    return result;
}

bool LocalStore::configureConnection(QString *error)
{
    QSqlQuery query(database());
    auto pragma = [&](const QString &sql) -> QString {
        if (!query.exec(sql)) {
            *error = errorText(query.lastError());
            return {};
        }
        const QString value = query.next() ? query.value(0).toString() : QStringLiteral("-");
        query.finish();
        return value;
    };
    if (pragma(QStringLiteral("PRAGMA foreign_keys = ON")).isNull())
        return false;
    if (pragma(QStringLiteral("PRAGMA busy_timeout = %1").arg(m_options.busyTimeoutMs)).isNull())
        return false;
    if (m_options.readOnly && m_path != kMemory)
        return true; // the journal mode and synchronous belong to the writer
    if (m_path != kMemory) {
        QString mode;
        if (m_options.preferWal) {
            mode = pragma(QStringLiteral("PRAGMA journal_mode = WAL"));
            if (mode.isNull())
                return false;
        }
        // Nextcloud's lesson: WAL needs shared memory, which network file systems lack.
        if (mode.compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
            if (m_options.preferWal)
                qCWarning(lcCache) << "WAL not available here, using a DELETE journal";
            if (pragma(QStringLiteral("PRAGMA journal_mode = DELETE")).isNull())
                return false;
        }
    }
    // FULL: the outbox holds the only copy of the user's work.
    if (pragma(QStringLiteral("PRAGMA synchronous = FULL")).isNull())
        return false;
    if (synchronousLevel() != 2) {
        *error = QStringLiteral("synchronous=FULL could not be set");
        return false;
    }
    return true;
}

QString LocalStore::journalMode() const
{
    QSqlQuery query(database());
    if (!query.exec(QStringLiteral("PRAGMA journal_mode")) || !query.next())
        return {};
    return query.value(0).toString().toLower();
}

int LocalStore::synchronousLevel() const
{
    QSqlQuery query(database());
    if (!query.exec(QStringLiteral("PRAGMA synchronous")) || !query.next())
        return -1;
    return query.value(0).toInt();
}

int LocalStore::schemaVersion() const
{
    QSqlQuery query(database());
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return -1;
    return query.value(0).toInt();
}

bool LocalStore::requeueInFlight(int *count)
{
    // A row left inflight may or may not have reached the server; resending it with the same
    // Idempotency-Key is safe either way.
    Transaction transaction(*this);
    QSqlQuery query(database());
    if (!transaction.isActive()
        || !prepare(query,
            QStringLiteral("UPDATE outbox SET state = 'pending'"
                           " WHERE state = 'inflight'"))
        || !exec(query)) {
        return false;
    }
    *count = query.numRowsAffected();
    query.finish();
    if (!transaction.commit())
        return false;
    if (*count > 0)
        qCInfo(lcOutbox) << *count << "interrupted outbox rows put back to pending";
    return true;
}

bool LocalStore::quarantine(const QString &reason, OpenResult *result)
{
    const QString stamp
        = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    const QString target = m_path + QStringLiteral(".corrupt-") + stamp;
    // The sidecars move with the file and keep their suffixes, so the quarantined set can be
    // opened as one database for export; moving only some of them would corrupt it further.
    const QStringList suffixes {
        QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal")};
    QStringList moved;
    for (const QString &suffix : suffixes) {
        if (!QFile::exists(m_path + suffix))
            continue;
        if (QFile::exists(target + suffix) || !QFile::rename(m_path + suffix, target + suffix)) {
            for (const QString &back : std::as_const(moved))
                QFile::rename(target + back, m_path + back);
            result->status = OpenStatus::Failed;
            result->message = QStringLiteral("The offline cache %1 is damaged (%2) and could not "
                                             "be moved aside. Nothing was deleted.")
                                  .arg(QDir::toNativeSeparators(m_path), reason);
            return false;
        }
        moved << suffix;
    }
    qCWarning(lcCache).noquote() << "damaged cache moved aside:" << reason;
    result->status = OpenStatus::Quarantined;
    result->quarantinedTo = target;
    result->message = QStringLiteral("The offline cache could not be read (%1). It was moved "
                                     "aside to %2 and a new, empty cache was started; edits "
                                     "queued in the old cache were not sent.")
                          .arg(reason, QDir::toNativeSeparators(target));
    return true;
}

void LocalStore::setFailAfter(int n, InjectedFault fault)
{
    m_failCountdown = qMax(0, n);
    m_injectedFault = fault;
}

bool LocalStore::failInjected(const QString &sql) const
{
    ++m_statements;
    if (m_failCountdown <= 0 || --m_failCountdown > 0)
        return false;
    // A statement that reads (a SELECT or a PRAGMA query) fails as a read would.
    const QString statement = sql.trimmed();
    const bool read = statement.startsWith(QLatin1String("SELECT"), Qt::CaseInsensitive)
        || (statement.startsWith(QLatin1String("PRAGMA"), Qt::CaseInsensitive)
            && !statement.contains(QLatin1Char('=')));
    const QString text = QStringLiteral("injected fault (setFailAfter)");
    switch (m_injectedFault) {
    case InjectedFault::Generic:
        m_lastError = text;
        m_lastErrorKind = ErrorKind::Other;
        break;
    case InjectedFault::Busy:
        recordFailure(kSqliteBusy, text, read);
        break;
    case InjectedFault::IoError:
        recordFailure(kSqliteIoErr, text, read);
        break;
    case InjectedFault::DiskFull:
        recordFailure(kSqliteFull, text, read);
        break;
    }
    return true;
}

bool LocalStore::exec(QSqlQuery &query) const
{
    checkThread();
    if (failInjected(query.lastQuery()))
        return false;
    return runWithRetry(query, [&query] { return query.exec(); });
}

bool LocalStore::execSql(const QString &sql)
{
    checkThread();
    if (failInjected(sql))
        return false;
    QSqlQuery query(database());
    return runWithRetry(query, [&query, &sql] { return query.exec(sql); });
}

bool LocalStore::runWithRetry(QSqlQuery &query, const std::function<bool()> &run) const
{
    int pauseMs = kBusyBackoffMs;
    for (int attempt = 0;; ++attempt) {
        if (run())
            return true;
        const QSqlError error = query.lastError();
        const int code = sqliteCode(error);
        const bool busy = code == kSqliteBusy || code == kSqliteLocked;
        if (busy && attempt < kBusyRetries) {
            // busy_timeout already waited; a checkpoint or another process may still be
            // finishing, and giving up here would lose an edit or an acknowledgement.
            query.finish();
            QThread::msleep(pauseMs);
            pauseMs *= 2;
            continue;
        }
        recordFailure(code, errorText(error), query.isSelect());
        return false;
    }
}

void LocalStore::recordFailure(int code, const QString &text, bool read) const
{
    if (code == kSqliteBusy || code == kSqliteLocked) {
        m_lastErrorKind = ErrorKind::Busy;
        m_lastError = QStringLiteral("the offline cache stayed busy (locked by another "
                                     "connection) after %1 retries: %2")
                          .arg(kBusyRetries)
                          .arg(text);
        qCWarning(lcCache).noquote() << m_lastError;
    } else if (code == kSqliteFull) {
        m_lastErrorKind = ErrorKind::DiskFull;
        m_lastError = diskFullMessage();
        qCWarning(lcCache) << "disk full:" << text;
    } else {
        m_lastErrorKind = read ? ErrorKind::ReadFailed : ErrorKind::Other;
        m_lastError = text;
    }
}

QString LocalStore::diskFullMessage()
{
    return QCoreApplication::translate(
        "LocalStore", "The disk is full: your edit was not saved. Free some space and try again.");
}

void LocalStore::setReadError(const QSqlQuery &query) const
{
    m_lastErrorKind = ErrorKind::ReadFailed;
    m_lastError = errorText(query.lastError());
}

bool LocalStore::prepare(QSqlQuery &query, const QString &sql) const
{
    checkThread();
    if (!query.prepare(sql)) {
        m_lastError = errorText(query.lastError());
        m_lastErrorKind = ErrorKind::Other;
        return false;
    }
    return true;
}

void LocalStore::setError(const QString &error)
{
    m_lastError = error;
    m_lastErrorKind = ErrorKind::Other;
}

// --- Transaction ---

LocalStore::Transaction::Transaction(LocalStore &store)
    : m_store(store)
{
    if (!store.isOpen()) {
        store.m_lastError = QStringLiteral("the offline cache is not open");
        return;
    }
    if (store.m_transactionDepth > 0) {
        ++store.m_transactionDepth;
        m_active = true;
        return;
    }
    if (store.execSql(QStringLiteral("BEGIN IMMEDIATE"))) {
        store.m_transactionDepth = 1;
        store.m_rollbackOnly = false;
        m_active = true;
        m_outer = true;
    }
}

LocalStore::Transaction::~Transaction()
{
    rollback();
}

bool LocalStore::Transaction::commit()
{
    if (!m_active)
        return false;
    if (!m_outer) {
        m_active = false;
        --m_store.m_transactionDepth;
        return !m_store.m_rollbackOnly;
    }
    if (m_store.m_rollbackOnly || !m_store.execSql(QStringLiteral("COMMIT"))) {
        rollback();
        return false;
    }
    m_active = false;
    m_store.m_transactionDepth = 0;
    // Run after the commit, outside any transaction: a hook may read or write the store.
    const QList<std::function<void()>> hooks = std::exchange(m_store.m_afterCommit, {});
    for (const std::function<void()> &hook : hooks)
        hook();
    return true;
}

void LocalStore::Transaction::rollback()
{
    if (!m_active)
        return;
    m_active = false;
    if (!m_outer) {
        --m_store.m_transactionDepth;
        m_store.m_rollbackOnly = true;
        return;
    }
    // Never fault-injected, and its own error (e.g. SQLite already rolled back) is irrelevant.
    QSqlQuery query(m_store.database());
    query.exec(QStringLiteral("ROLLBACK"));
    m_store.m_transactionDepth = 0;
    m_store.m_rollbackOnly = false;
    m_store.m_afterCommit.clear(); // nothing was committed: nothing to announce
}

void LocalStore::runAfterCommit(std::function<void()> hook)
{
    if (m_transactionDepth > 0)
        m_afterCommit.append(std::move(hook));
    else
        hook();
}

// --- meta ---

std::optional<QString> LocalStore::meta(const QString &key, bool *ok) const
{
    if (ok)
        *ok = false;
    QSqlQuery query(database());
    if (!prepare(query, QStringLiteral("SELECT value FROM meta WHERE key = ?")))
        return std::nullopt;
    query.addBindValue(key);
    if (!exec(query))
        return std::nullopt;
    const bool found = query.next();
    if (!found && query.lastError().isValid()) {
        setReadError(query);
        return std::nullopt;
    }
    if (ok)
        *ok = true;
    return found ? std::optional<QString>(query.value(0).toString()) : std::nullopt;
}

bool LocalStore::setMeta(const QString &key, const QString &value)
{
    Transaction transaction(*this);
    QSqlQuery query(database());
    if (!transaction.isActive()
        || !prepare(query,
            QStringLiteral("INSERT INTO meta(key, value) VALUES (?, ?)"
                           " ON CONFLICT(key) DO UPDATE SET value = excluded.value"))) {
        return false;
    }
    query.addBindValue(key);
    query.addBindValue(value);
    return exec(query) && transaction.commit();
}

bool LocalStore::removeMeta(const QString &key)
{
    Transaction transaction(*this);
    QSqlQuery query(database());
    if (!transaction.isActive()
        || !prepare(query, QStringLiteral("DELETE FROM meta WHERE key = ?"))) {
        return false;
    }
    query.addBindValue(key);
    return exec(query) && transaction.commit();
}

// --- definitions ---

bool LocalStore::putDefinitions(
    const QString &objectType, const QByteArray &json, const QDateTime &fetchedAt)
{
    Transaction transaction(*this);
    QSqlQuery query(database());
    if (!transaction.isActive()
        || !prepare(query,
            QStringLiteral("INSERT INTO definitions(object_type, json, fetched_at)"
                           " VALUES (?, ?, ?) ON CONFLICT(object_type) DO UPDATE"
                           " SET json = excluded.json,"
                           " fetched_at = excluded.fetched_at"))) {
        return false;
    }
    query.addBindValue(objectType);
    query.addBindValue(json);
    query.addBindValue(fetchedAt.toMSecsSinceEpoch());
    return exec(query) && transaction.commit();
}

std::optional<StoredDefinitions> LocalStore::definitions(const QString &objectType) const
{
    QSqlQuery query(database());
    if (!prepare(query,
            QStringLiteral("SELECT json, fetched_at FROM definitions WHERE object_type = ?")))
        return std::nullopt;
    query.addBindValue(objectType);
    if (!exec(query) || !query.next())
        return std::nullopt;
    return StoredDefinitions {objectType, query.value(0).toByteArray(),
        QDateTime::fromMSecsSinceEpoch(query.value(1).toLongLong(), Qt::UTC)};
}

// --- records ---

namespace {

const QString kRecordColumns
    = QStringLiteral("object_type, id, updated_at, json, local_json, deleted, seen_sweep");

/** Schema 3 added records.decode_error (rows kept as received, see storeUndecodable()). */
constexpr int kDecodeErrorSchema = 3;

StoredRecord readRecord(const QSqlQuery &query)
{
    StoredRecord record;
    record.objectType = query.value(0).toString();
    record.id = query.value(1).toString();
    record.updatedAt = query.value(2).toString();
    record.json = query.value(3).toByteArray();
    record.localJson = query.value(4).toByteArray();
    record.deleted = query.value(5).toBool();
    record.seenSweep = query.value(6).toLongLong();
    return record;
}

} // namespace

LocalStore::Upsert LocalStore::upsertServerRecord(
    const QString &objectType, const QByteArray &json, qint64 sweep)
{
    QList<Upsert> outcomes;
    if (!upsertServerRecords(objectType, {json}, sweep, &outcomes))
        return Upsert::Error;
    return outcomes.value(0, Upsert::Error);
}

bool LocalStore::upsertServerRecords(const QString &objectType, const QList<QByteArray> &jsons,
    qint64 sweep, QList<Upsert> *outcomes)
{
    QList<Upsert> results;
    Transaction transaction(*this);
    if (!transaction.isActive())
        return false;
    const int version = schemaVersion();
    const bool hasOutbox = version >= 2;
    // A readable copy replaces a row kept undecodable: its reason goes with it.
    const QString clearDecodeError
        = version >= kDecodeErrorSchema ? QStringLiteral(", decode_error = NULL") : QString();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const QByteArray &json : jsons) {
        const QJsonObject object = QJsonDocument::fromJson(json).object();
        const QString id = object.value(QLatin1String("id")).toString();
        if (id.isEmpty()) {
            m_lastError = QStringLiteral("a %1 record without an id").arg(objectType);
            return false;
        }
        const QString updatedAt = object.value(QLatin1String("updatedAt")).toString();
        QSqlQuery existing(database());
        if (!prepare(existing,
                QStringLiteral("SELECT updated_at, local_json IS NOT NULL"
                               " FROM records WHERE object_type = ? AND id = ?"))) {
            return false;
        }
        existing.addBindValue(objectType);
        existing.addBindValue(id);
        if (!exec(existing))
            return false;
        const bool found = existing.next();
        const QDateTime cachedTime
            = found ? parseTimestamp(existing.value(0).toString()) : QDateTime();
        const bool hasLocal = found && existing.value(1).toBool();
        existing.finish();
        const QDateTime incomingTime = parseTimestamp(updatedAt);
        QSqlQuery write(database());
        if (found && cachedTime.isValid() && incomingTime.isValid() && incomingTime < cachedTime) {
            // Lists come from a lagging index: never let an older copy win.
            results << Upsert::SkippedOlder;
            if (sweep <= 0)
                continue;
            if (!prepare(write,
                    QStringLiteral("UPDATE records SET seen_sweep = MAX(seen_sweep, ?)"
                                   " WHERE object_type = ? AND id = ?"))) {
                return false;
            }
            write.addBindValue(sweep);
            write.addBindValue(objectType);
            write.addBindValue(id);
            if (!exec(write))
                return false;
            continue;
        }
        if (!prepare(write,
                QStringLiteral("INSERT INTO records(object_type, id, updated_at, json, deleted,"
                               " seen_sweep, stored_at) VALUES (?, ?, ?, ?, 0, ?, ?)"
                               " ON CONFLICT(object_type, id) DO UPDATE SET"
                               " updated_at = excluded.updated_at, json = excluded.json,"
                               " deleted = 0, seen_sweep = MAX(seen_sweep, excluded.seen_sweep),"
                               " stored_at = excluded.stored_at%1")
                    .arg(clearDecodeError))) {
            return false;
        }
        write.addBindValue(objectType);
        write.addBindValue(id);
        write.addBindValue(updatedAt.isEmpty() ? QVariant() : QVariant(updatedAt));
        write.addBindValue(json);
        write.addBindValue(qMax<qint64>(0, sweep));
        write.addBindValue(now);
        if (!exec(write))
            return false;
        if (hasLocal && hasOutbox && !rebuildLocalCopy(objectType, id))
            return false;
        results << (found ? Upsert::Updated : Upsert::Inserted);
    }
    if (!transaction.commit())
        return false;
    if (outcomes)
        *outcomes = results;
    return true;
}

QString LocalStore::decodableOnly() const
{
    return schemaVersion() >= kDecodeErrorSchema ? QStringLiteral(" AND decode_error IS NULL")
                                                 : QString();
}

std::optional<StoredRecord> LocalStore::record(
    const QString &objectType, const QString &id, bool *ok) const
{
    if (ok)
        *ok = false;
    QSqlQuery query(database());
    if (!prepare(query,
            QStringLiteral("SELECT %1 FROM records WHERE object_type = ? AND id = ?")
                .arg(kRecordColumns))) {
        return std::nullopt;
    }
    query.addBindValue(objectType);
    query.addBindValue(id);
    if (!exec(query))
        return std::nullopt;
    if (!query.next()) {
        if (query.lastError().isValid()) {
            setReadError(query);
            return std::nullopt;
        }
        if (ok)
            *ok = true;
        return std::nullopt;
    }
    if (ok)
        *ok = true;
    return readRecord(query);
}

bool LocalStore::storeUndecodable(const QString &objectType, const QString &key,
    const QByteArray &json, const QString &reason, qint64 sweep)
{
    if (schemaVersion() < kDecodeErrorSchema) {
        m_lastError = QStringLiteral("the cache has no place for undecodable records");
        return false;
    }
    Transaction transaction(*this);
    if (!transaction.isActive())
        return false;
    QSqlQuery existing(database());
    if (!prepare(existing,
            QStringLiteral("SELECT local_json IS NOT NULL FROM records"
                           " WHERE object_type = ? AND id = ?"))) {
        return false;
    }
    existing.addBindValue(objectType);
    existing.addBindValue(key);
    if (!exec(existing))
        return false;
    const bool hasLocal = existing.next() && existing.value(0).toBool();
    existing.finish();
    QSqlQuery write(database());
    if (hasLocal) {
        // Queued edits need a readable base: keep it, and only note that the sweep listed it.
        if (!prepare(write,
                QStringLiteral("UPDATE records SET seen_sweep = MAX(seen_sweep, ?)"
                               " WHERE object_type = ? AND id = ?"))) {
            return false;
        }
        write.addBindValue(qMax<qint64>(0, sweep));
        write.addBindValue(objectType);
        write.addBindValue(key);
    } else {
        if (!prepare(write,
                QStringLiteral("INSERT INTO records(object_type, id, updated_at, json, deleted,"
                               " seen_sweep, stored_at, decode_error)"
                               " VALUES (?, ?, NULL, ?, 0, ?, ?, ?)"
                               " ON CONFLICT(object_type, id) DO UPDATE SET"
                               " updated_at = NULL, json = excluded.json, deleted = 0,"
                               " seen_sweep = MAX(seen_sweep, excluded.seen_sweep),"
                               " stored_at = excluded.stored_at,"
                               " decode_error = excluded.decode_error"))) {
            return false;
        }
        write.addBindValue(objectType);
        write.addBindValue(key);
        write.addBindValue(json);
        write.addBindValue(qMax<qint64>(0, sweep));
        write.addBindValue(QDateTime::currentMSecsSinceEpoch());
        write.addBindValue(reason.isEmpty() ? QStringLiteral("undecodable") : reason);
    }
    if (!exec(write))
        return false;
    return transaction.commit();
}

int LocalStore::undecodableCount(const QString &objectType) const
{
    if (schemaVersion() < kDecodeErrorSchema)
        return 0;
    QSqlQuery query(database());
    if (!prepare(query,
            QStringLiteral("SELECT COUNT(*) FROM records WHERE object_type = ?"
                           " AND deleted = 0 AND decode_error IS NOT NULL"))) {
        return -1;
    }
    query.addBindValue(objectType);
    if (!exec(query) || !query.next())
        return -1;
    return query.value(0).toInt();
}

int LocalStore::removeUndecodableNotSeenSince(const QString &objectType, qint64 sweep)
{
    if (schemaVersion() < kDecodeErrorSchema)
        return 0;
    Transaction transaction(*this);
    QSqlQuery query(database());
    if (!transaction.isActive()
        || !prepare(query,
            QStringLiteral("DELETE FROM records WHERE object_type = ? AND seen_sweep < ?"
                           " AND decode_error IS NOT NULL AND local_json IS NULL"))) {
        return -1;
    }
    query.addBindValue(objectType);
    query.addBindValue(sweep);
    if (!exec(query))
        return -1;
    const int removed = query.numRowsAffected();
    return transaction.commit() ? removed : -1;
}

QList<StoredRecord> LocalStore::records(
    const QString &objectType, bool includeDeleted, bool *ok) const
{
    QList<StoredRecord> result;
    if (ok)
        *ok = false;
    QSqlQuery query(database());
    query.setForwardOnly(true);
    if (!prepare(query,
            QStringLiteral("SELECT %1 FROM records WHERE object_type = ?%2%3 ORDER BY id")
                .arg(kRecordColumns,
                    includeDeleted ? QString() : QStringLiteral(" AND deleted = 0"),
                    decodableOnly()))) {
        return result;
    }
    query.addBindValue(objectType);
    if (!exec(query))
        return result;
    while (query.next())
        result << readRecord(query);
    // A step that fails part-way ends next() early: the list would look short, not failed.
    if (query.lastError().isValid()) {
        setReadError(query);
        return {};
    }
    if (ok)
        *ok = true;
    return result;
}

QList<StoredRecord> LocalStore::recordsAfter(
    const QString &objectType, const QString &afterId, int limit, bool *ok) const
{
    QList<StoredRecord> result;
    if (ok)
        *ok = false;
    QSqlQuery query(database());
    query.setForwardOnly(true);
    // The UNIQUE (object_type, id) index serves both the range and the order.
    if (!prepare(query,
            QStringLiteral("SELECT %1 FROM records WHERE object_type = ? AND deleted = 0"
                           " AND id > ?%2 ORDER BY id LIMIT ?")
                .arg(kRecordColumns, decodableOnly()))) {
        return result;
    }
    query.addBindValue(objectType);
    // "" sorts before every id; a NULL bound here would match nothing.
    query.addBindValue(afterId.isNull() ? QStringLiteral("") : afterId);
    query.addBindValue(limit);
    if (!exec(query))
        return result;
    while (query.next())
        result << readRecord(query);
    // A step that fails part-way ends next() early: the page would look short, not failed.
    if (query.lastError().isValid()) {
        setReadError(query);
        return {};
    }
    if (ok)
        *ok = true;
    return result;
}

QHash<QString, QString> LocalStore::updatedAtOf(
    const QString &objectType, const QStringList &ids) const
{
    QHash<QString, QString> result;
    if (ids.isEmpty())
        return result;
    QSqlQuery query(database());
    query.setForwardOnly(true);
    QString marks;
    for (qsizetype i = 0; i < ids.size(); ++i)
        marks += i == 0 ? QStringLiteral("?") : QStringLiteral(",?");
    if (!prepare(query,
            QStringLiteral("SELECT id, updated_at FROM records WHERE object_type = ?"
                           " AND deleted = 0 AND id IN (%1)")
                .arg(marks))) {
        return result;
    }
    query.addBindValue(objectType);
    for (const QString &id : ids)
        query.addBindValue(id);
    if (!exec(query))
        return result;
    while (query.next())
        result.insert(query.value(0).toString(), query.value(1).toString());
    if (query.lastError().isValid()) {
        setReadError(query);
        return {};
    }
    return result;
}

int LocalStore::recordCount(const QString &objectType) const
{
    QSqlQuery query(database());
    if (!prepare(query,
            QStringLiteral("SELECT COUNT(*) FROM records WHERE object_type = ?"
                           " AND deleted = 0%1")
                .arg(decodableOnly()))) {
        return -1;
    }
    query.addBindValue(objectType);
    if (!exec(query) || !query.next())
        return -1;
    return query.value(0).toInt();
}

QStringList LocalStore::recordsNotSeenSince(const QString &objectType, qint64 sweep, bool *ok) const
{
    QStringList ids;
    if (ok)
        *ok = false;
    QSqlQuery query(database());
    query.setForwardOnly(true);
    // Records created offline (temporary ids) were never listed by the server.
    // Nor are rows kept undecodable: the sweep listed them, in a form that cannot be read.
    if (!prepare(query,
            QStringLiteral("SELECT id FROM records WHERE object_type = ? AND deleted = 0"
                           " AND seen_sweep < ? AND json IS NOT NULL%1 ORDER BY id")
                .arg(decodableOnly()))) {
        return ids;
    }
    query.addBindValue(objectType);
    query.addBindValue(sweep);
    if (!exec(query))
        return ids;
    while (query.next())
        ids << query.value(0).toString();
    if (query.lastError().isValid()) {
        setReadError(query);
        return {};
    }
    if (ok)
        *ok = true;
    return ids;
}

bool LocalStore::markDeleted(const QString &objectType, const QString &id)
{
    Transaction transaction(*this);
    QSqlQuery query(database());
    if (!transaction.isActive()
        || !prepare(query,
            QStringLiteral("UPDATE records SET deleted = 1"
                           " WHERE object_type = ? AND id = ?"))) {
        return false;
    }
    query.addBindValue(objectType);
    query.addBindValue(id);
    return exec(query) && transaction.commit();
}

bool LocalStore::removeRecord(const QString &objectType, const QString &id)
{
    Transaction transaction(*this);
    if (!transaction.isActive())
        return false;
    if (schemaVersion() >= 2) {
        QSqlQuery rows(database());
        if (!prepare(rows,
                QStringLiteral("SELECT COUNT(*) FROM outbox"
                               " WHERE object_type = ? AND record_id = ?"))) {
            return false;
        }
        rows.addBindValue(objectType);
        rows.addBindValue(id);
        if (!exec(rows) || !rows.next())
            return false;
        if (rows.value(0).toInt() > 0) {
            m_lastError = QStringLiteral("the record has queued edits");
            return false;
        }
    }
    QSqlQuery query(database());
    if (!prepare(query, QStringLiteral("DELETE FROM records WHERE object_type = ? AND id = ?")))
        return false;
    query.addBindValue(objectType);
    query.addBindValue(id);
    return exec(query) && transaction.commit();
}

bool LocalStore::rebuildLocalCopy(const QString &objectType, const QString &id)
{
    Transaction transaction(*this);
    if (!transaction.isActive())
        return false;
    QSqlQuery rows(database());
    if (!prepare(rows,
            QStringLiteral("SELECT op, body FROM outbox WHERE object_type = ?"
                           " AND record_id = ? ORDER BY seq"))) {
        return false;
    }
    rows.addBindValue(objectType);
    rows.addBindValue(id);
    if (!exec(rows))
        return false;
    QList<std::pair<bool, QJsonObject>> edits; // (is create, body)
    while (rows.next()) {
        edits.append({rows.value(0).toString() == QLatin1String("create"),
            QJsonDocument::fromJson(rows.value(1).toByteArray()).object()});
    }
    rows.finish();

    QSqlQuery write(database());
    if (edits.isEmpty()) {
        if (!prepare(write,
                QStringLiteral("UPDATE records SET local_json = NULL"
                               " WHERE object_type = ? AND id = ?"))) {
            return false;
        }
        write.addBindValue(objectType);
        write.addBindValue(id);
        return exec(write) && transaction.commit();
    }
    // An unread server copy is not a missing one: the local copy would lose every field the
    // queued edits do not set.
    bool read = false;
    const std::optional<StoredRecord> stored = record(objectType, id, &read);
    if (!read)
        return false;
    QJsonObject local = stored ? QJsonDocument::fromJson(stored->json).object() : QJsonObject();
    for (const auto &[isCreate, body] : std::as_const(edits)) {
        local = isCreate ? RecordOverlay::recordFromCreate(id, body)
                         : RecordOverlay::applyUpdate(local, body);
    }
    if (!local.contains(QLatin1String("id")))
        local.insert(QStringLiteral("id"), id);
    return setLocalCopy(objectType, id, Json::compact(local)) && transaction.commit();
}

bool LocalStore::setLocalCopy(
    const QString &objectType, const QString &id, const QByteArray &localJson)
{
    Transaction transaction(*this);
    QSqlQuery write(database());
    if (!transaction.isActive()
        || !prepare(write,
            QStringLiteral("INSERT INTO records(object_type, id, local_json, stored_at)"
                           " VALUES (?, ?, ?, ?) ON CONFLICT(object_type, id)"
                           " DO UPDATE SET local_json = excluded.local_json"))) {
        return false;
    }
    write.addBindValue(objectType);
    write.addBindValue(id);
    write.addBindValue(localJson);
    write.addBindValue(QDateTime::currentMSecsSinceEpoch());
    return exec(write) && transaction.commit();
}

bool LocalStore::rewriteRecordId(const QString &oldId, const QString &newId)
{
    if (oldId.isEmpty() || newId.isEmpty() || oldId == newId) {
        setError(QStringLiteral("a record id can only be rewritten to another, non-empty id"));
        return false;
    }
    Transaction transaction(*this);
    if (!transaction.isActive())
        return false;
    // The record itself; a copy the sweep may already have stored under the new id yields.
    QSqlQuery record(database());
    if (!prepare(record, QStringLiteral("UPDATE OR REPLACE records SET id = ? WHERE id = ?")))
        return false;
    record.addBindValue(newId);
    record.addBindValue(oldId);
    if (!exec(record))
        return false;
    record.finish();

    // Cached records that point at it (and its own `id` inside its local copy). The byte
    // search only preselects; the rewrite parses the JSON and touches ids and relationships.
    QSqlQuery referencing(database());
    if (!prepare(referencing,
            QStringLiteral("SELECT rowid, json, local_json FROM records"
                           " WHERE instr(json, ?) > 0 OR instr(local_json, ?) > 0"))) {
        return false;
    }
    referencing.addBindValue(oldId.toUtf8());
    referencing.addBindValue(oldId.toUtf8());
    if (!exec(referencing))
        return false;
    struct Rewrite
    {
        qint64 rowid;
        QVariant json;
        QVariant localJson;
    };
    QList<Rewrite> rewrites;
    while (referencing.next()) {
        Rewrite rewrite {
            referencing.value(0).toLongLong(), referencing.value(1), referencing.value(2)};
        for (QVariant *value : {&rewrite.json, &rewrite.localJson}) {
            if (value->isNull())
                continue;
            bool changed = false;
            const QJsonObject rewritten = RecordOverlay::rewriteId(
                QJsonDocument::fromJson(value->toByteArray()).object(), oldId, newId, &changed);
            if (changed)
                *value = Json::compact(rewritten);
        }
        rewrites << rewrite;
    }
    referencing.finish();
    for (const Rewrite &rewrite : std::as_const(rewrites)) {
        QSqlQuery update(database());
        if (!prepare(update,
                QStringLiteral("UPDATE records SET json = ?, local_json = ? WHERE rowid = ?"))) {
            return false;
        }
        update.addBindValue(rewrite.json);
        update.addBindValue(rewrite.localJson);
        update.addBindValue(rewrite.rowid);
        if (!exec(update))
            return false;
    }
    return transaction.commit();
}
