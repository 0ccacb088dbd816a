#include "store/migrations.h"

#include "logging.h"
#include "store/localstore.h"

#include <QStringList>

namespace Migrations {
namespace {

QStringList migrateTo1()
{
    return {
        QStringLiteral("CREATE TABLE meta ("
                       " key   TEXT PRIMARY KEY NOT NULL,"
                       " value TEXT)"),
        QStringLiteral("CREATE TABLE definitions ("
                       " object_type TEXT PRIMARY KEY NOT NULL,"
                       " json        BLOB NOT NULL,"
                       " fetched_at  INTEGER NOT NULL)"),
        // json: the server copy as read; local_json: with queued edits applied (NULL when
        // none). A rowid table: rows of ~1.5 KB are too wide for WITHOUT ROWID.
        QStringLiteral("CREATE TABLE records ("
                       " object_type TEXT NOT NULL,"
                       " id          TEXT NOT NULL,"
                       " updated_at  TEXT,"
                       " json        BLOB,"
                       " local_json  BLOB,"
                       " deleted     INTEGER NOT NULL DEFAULT 0,"
                       " seen_sweep  INTEGER NOT NULL DEFAULT 0,"
                       " stored_at   INTEGER NOT NULL,"
                       " UNIQUE (object_type, id))"),
        QStringLiteral("CREATE INDEX records_local ON records(object_type)"
                       " WHERE local_json IS NOT NULL"),
        QStringLiteral("CREATE INDEX records_sweep ON records(object_type, seen_sweep)"),
    };
}

QStringList migrateTo2()
{
    return {
        // The durable edit queue. body: the exact bytes sent on every attempt; base_values: JSON
        // object of the changed fields' values before the edit (three-way merge).
        QStringLiteral("CREATE TABLE outbox ("
                       " seq             INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " idem_key        TEXT NOT NULL UNIQUE,"
                       " object_type     TEXT NOT NULL,"
                       " record_id       TEXT NOT NULL,"
                       " op              TEXT NOT NULL CHECK (op IN ('create', 'update')),"
                       " body            BLOB NOT NULL,"
                       " base_updated_at TEXT,"
                       " base_values     BLOB,"
                       " state           TEXT NOT NULL DEFAULT 'pending'"
                       "   CHECK (state IN ('pending', 'inflight', 'parked', 'conflict')),"
                       " attempts        INTEGER NOT NULL DEFAULT 0,"
                       " next_attempt_at INTEGER NOT NULL DEFAULT 0,"
                       " created_at      INTEGER NOT NULL,"
                       " last_error      TEXT)"),
        QStringLiteral("CREATE INDEX outbox_ready ON outbox(state, next_attempt_at, seq)"),
        QStringLiteral("CREATE INDEX outbox_record ON outbox(object_type, record_id, seq)"),
    };
}

QStringList migrateTo3()
{
    return {
        // SQLite cannot change a CHECK constraint in place: the outbox is rebuilt with the
        // 'mayexist' state (a create past its key's retention, waiting for the user to say
        // whether the server already holds it) and checked_at, the time (ms since the epoch,
        // UTC) the row's record was last compared with a fresh server copy (NULL: never).
        QStringLiteral("CREATE TABLE outbox_v3 ("
                       " seq             INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " idem_key        TEXT NOT NULL UNIQUE,"
                       " object_type     TEXT NOT NULL,"
                       " record_id       TEXT NOT NULL,"
                       " op              TEXT NOT NULL CHECK (op IN ('create', 'update')),"
                       " body            BLOB NOT NULL,"
                       " base_updated_at TEXT,"
                       " base_values     BLOB,"
                       " state           TEXT NOT NULL DEFAULT 'pending'"
                       "   CHECK (state IN ('pending', 'inflight', 'parked', 'conflict',"
                       "                    'mayexist')),"
                       " attempts        INTEGER NOT NULL DEFAULT 0,"
                       " next_attempt_at INTEGER NOT NULL DEFAULT 0,"
                       " created_at      INTEGER NOT NULL,"
                       " last_error      TEXT,"
                       " checked_at      INTEGER)"),
        QStringLiteral("INSERT INTO outbox_v3 (seq, idem_key, object_type, record_id, op, body,"
                       " base_updated_at, base_values, state, attempts, next_attempt_at,"
                       " created_at, last_error)"
                       " SELECT seq, idem_key, object_type, record_id, op, body,"
                       " base_updated_at, base_values, state, attempts, next_attempt_at,"
                       " created_at, last_error FROM outbox"),
        QStringLiteral("DROP TABLE outbox"),
        QStringLiteral("ALTER TABLE outbox_v3 RENAME TO outbox"),
        QStringLiteral("CREATE INDEX outbox_ready ON outbox(state, next_attempt_at, seq)"),
        QStringLiteral("CREATE INDEX outbox_record ON outbox(object_type, record_id, seq)"),
        // A listed record the client could not decode is kept as received, with the reason,
        // instead of being dropped: the sweep stays complete and the user is told.
        QStringLiteral("ALTER TABLE records ADD COLUMN decode_error TEXT"),
    };
}

bool runStep(LocalStore &store, int version, const QStringList &statements, QString *error)
{
    LocalStore::Transaction transaction(store);
    if (!transaction.isActive()) {
        *error = QStringLiteral("Migration to schema version %1 could not start: %2")
                     .arg(version)
                     .arg(store.lastError());
        return false;
    }
    int index = 0;
    for (const QString &statement : statements) {
        ++index;
        if (!store.execSql(statement)) {
            *error = QStringLiteral("Migration to schema version %1 failed at statement %2: %3")
                         .arg(version)
                         .arg(index)
                         .arg(store.lastError());
            transaction.rollback();
            return false;
        }
    }
    if (!store.execSql(QStringLiteral("PRAGMA user_version = %1").arg(version))
        || !transaction.commit()) {
        *error = QStringLiteral("Migration to schema version %1 failed to commit: %2")
                     .arg(version)
                     .arg(store.lastError());
        transaction.rollback();
        return false;
    }
    qCInfo(lcCache) << "cache schema migrated to version" << version;
    return true;
}

} // namespace

bool migrate(LocalStore &store, int fromVersion, int toVersion, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (fromVersion > kLatestVersion) {
        *error = QStringLiteral("The cache has schema version %1, newer than version %2 that "
                                "this app supports.")
                     .arg(fromVersion)
                     .arg(kLatestVersion);
        return false;
    }
    if (toVersion <= 0 || toVersion > kLatestVersion)
        toVersion = kLatestVersion;
    switch (fromVersion) {
    case 0:
        if (!runStep(store, 1, migrateTo1(), error))
            return false;
        [[fallthrough]];
    case 1:
        if (toVersion < 2)
            return true;
        if (!runStep(store, 2, migrateTo2(), error))
            return false;
        [[fallthrough]];
    case 2:
        if (toVersion < 3)
            return true;
        if (!runStep(store, 3, migrateTo3(), error))
            return false;
        [[fallthrough]];
    case kLatestVersion:
        break;
    default:
        *error = QStringLiteral("The cache has an invalid schema version %1.").arg(fromVersion);
        return false;
    }
    return true;
}

} // namespace Migrations
