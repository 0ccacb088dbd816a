// LocalStore: the file, its checks and its records.

#include "localstoretestaccess.h"
#include "storetesthelpers.h"

#include "store/localstore.h"
#include "store/migrations.h"
#include "store/workspacepaths.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace StoreTest;

namespace {

// A record created offline under a temporary id, a copy already stored under its server id
// (the sweep got there first), a deal linking to it (server and local copy) and one that
// does not: what LocalStore::rewriteRecordId() works on.
struct RewriteScene
{
    explicit RewriteScene(LocalStore &store)
    {
        const QString stamp = QStringLiteral("2026-04-20T10:00:00.000Z");
        QJsonObject created = object(serverRecord(temporary, QString(), QStringLiteral("Acme")));
        QVERIFY(store.setLocalCopy(account, temporary, QJsonDocument(created).toJson()));
        QVERIFY(
            store.upsertServerRecord(account, storedUnderNewId) == LocalStore::Upsert::Inserted);
        const QJsonObject link {{QStringLiteral("$account"),
            QJsonObject {{QStringLiteral("values"), QJsonArray {temporary}}}}};
        QVERIFY(store.upsertServerRecord(deal,
                    serverRecord(QStringLiteral("opp_1"), stamp, QStringLiteral("Deal"), link))
            == LocalStore::Upsert::Inserted);
        QVERIFY(store.setLocalCopy(deal, QStringLiteral("opp_1"),
            serverRecord(QStringLiteral("opp_1"), stamp, QStringLiteral("Deal, edited"), link)));
        QVERIFY(store.upsertServerRecord(deal, unrelated) == LocalStore::Upsert::Inserted);
    }
    QJsonArray linkedIds(const QByteArray &json) const
    {
        return object(json)
            .value(QLatin1String("relationships"))
            .toObject()
            .value(QLatin1String("$account"))
            .toObject()
            .value(QLatin1String("values"))
            .toArray();
    }

    const QString account = QStringLiteral("account");
    const QString deal = QStringLiteral("opportunity");
    const QString temporary = QStringLiteral("local_7f3a");
    const QByteArray storedUnderNewId = serverRecord(QStringLiteral("acc_new"),
        QStringLiteral("2026-04-21T08:00:00.000Z"), QStringLiteral("Acme (server)"));
    const QByteArray unrelated = serverRecord(QStringLiteral("opp_2"),
        QStringLiteral("2026-04-20T10:00:00.000Z"), QStringLiteral("Other"));
};

} // namespace

class TestLocalStore : public QObject
{
    Q_OBJECT

private:
    QString freshPath(QTemporaryDir &dir) const
    {
        return dir.filePath(QStringLiteral("ws/cache.sqlite"));
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void workspacePathIsStableAndKeyless()
    {
        const QUrl url(QStringLiteral("https://API.lightfield.app/"));
        const QString id = WorkspacePaths::workspaceId(url, QStringLiteral("org_1/mem_1"));
        QCOMPARE(id.size(), 32);
        QCOMPARE(WorkspacePaths::workspaceId(QUrl(QStringLiteral("https://api.lightfield.app:443")),
                     QStringLiteral("org_1/mem_1")),
            id);
        QVERIFY(WorkspacePaths::workspaceId(url, QStringLiteral("org_1/mem_2")) != id);
        QVERIFY(WorkspacePaths::workspaceId(
                    QUrl(QStringLiteral("http://127.0.0.1:8080")), QStringLiteral("org_1/mem_1"))
            != id);
        const QString path = WorkspacePaths::databasePath(
            url, QStringLiteral("org_1/mem_1"), QStringLiteral("/root"));
        QCOMPARE(path, QStringLiteral("/root/workspaces/%1/cache.sqlite").arg(id));
        const QString defaultPath
            = WorkspacePaths::databasePath(url, QStringLiteral("org_1/mem_1"));
        QVERIFY(defaultPath.startsWith(
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
    }

    void createsNewCacheWithFullSchema()
    {
        QTemporaryDir dir;
        const QString path = freshPath(dir);
        LocalStore store(path);
        const LocalStore::OpenResult result = store.open();
        QCOMPARE(result.status, LocalStore::OpenStatus::Created);
        QVERIFY(result.isOpen());
        QVERIFY(store.isOpen());
        QVERIFY(QFile::exists(path));
        QCOMPARE(store.schemaVersion(), Migrations::kLatestVersion);
        QCOMPARE(result.appVersion, Migrations::kLatestVersion);
        store.close();
        QCOMPARE(userVersion(path), Migrations::kLatestVersion);
        const QStringList objects = schemaObjects(path);
        for (const char *name : {"meta", "definitions", "records", "outbox", "outbox_ready",
                 "outbox_record", "records_local", "records_sweep"}) {
            QVERIFY2(objects.contains(QLatin1String(name)), name);
        }
    }

    void walAndSynchronousFullAreSet()
    {
        QTemporaryDir dir;
        const QString path = freshPath(dir);
        LocalStore store(path);
        QVERIFY(store.open().isOpen());
        QCOMPARE(store.journalMode(), QStringLiteral("wal"));
        QCOMPARE(store.synchronousLevel(), 2); // FULL
        // journal_mode=WAL is persistent: another connection sees it in the file.
        QCOMPARE(
            scalar(path, QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
        QCOMPARE(scalar(path, QStringLiteral("PRAGMA foreign_keys")).toInt(), 0); // per connection
    }

    void deleteJournalWhenWalIsNotWanted()
    {
        QTemporaryDir dir;
        LocalStore::Options options;
        options.preferWal = false;
        LocalStore store(freshPath(dir), options);
        QVERIFY(store.open().isOpen());
        QCOMPARE(store.journalMode(), QStringLiteral("delete"));
        QCOMPARE(store.synchronousLevel(), 2);
        QVERIFY(store.setMeta(QStringLiteral("k"), QStringLiteral("v")));
    }

    void inMemoryStoreWorks()
    {
        LocalStore store(QStringLiteral(":memory:"));
        QCOMPARE(store.open().status, LocalStore::OpenStatus::Created);
        QVERIFY(store.setMeta(QStringLiteral("k"), QStringLiteral("v")));
        QCOMPARE(store.meta(QStringLiteral("k")).value_or(QString()), QStringLiteral("v"));
    }

    void reopensExistingCache()
    {
        QTemporaryDir dir;
        const QString path = freshPath(dir);
        {
            LocalStore store(path);
            QVERIFY(store.open().isOpen());
            QVERIFY(store.setMeta(QStringLiteral("workspace"), QStringLiteral("Acme")));
            QVERIFY(
                store.setMeta(StoreMeta::kLastFullSweepAt, QStringLiteral("2026-04-20T10:00:00Z")));
        }
        LocalStore store(path);
        const LocalStore::OpenResult result = store.open();
        QCOMPARE(result.status, LocalStore::OpenStatus::Opened);
        QCOMPARE(result.fileVersion, Migrations::kLatestVersion);
        QCOMPARE(
            store.meta(QStringLiteral("workspace")).value_or(QString()), QStringLiteral("Acme"));
        QVERIFY(!store.meta(QStringLiteral("missing")).has_value());
        QCOMPARE(store.meta(StoreMeta::kLastFullSweepAt).value_or(QString()),
            QStringLiteral("2026-04-20T10:00:00Z"));
        QVERIFY(store.removeMeta(QStringLiteral("workspace")));
        QVERIFY(!store.meta(QStringLiteral("workspace")).has_value());
    }

    void migratesFromAnOlderVersionKeepingData()
    {
        QTemporaryDir dir;
        const QString path = freshPath(dir);
        {
            LocalStore::Options options;
            options.targetVersion = 1;
            LocalStore store(path, options);
            QVERIFY(store.open().isOpen());
            QCOMPARE(store.schemaVersion(), 1);
            QCOMPARE(
                store.upsertServerRecord(QStringLiteral("opportunity"),
                    serverRecord(QStringLiteral("opp_1"),
                        QStringLiteral("2026-04-20T10:00:00.000Z"), QStringLiteral("Northwind"))),
                LocalStore::Upsert::Inserted);
        }
        QVERIFY(!schemaObjects(path).contains(QStringLiteral("outbox")));
        LocalStore store(path);
        const LocalStore::OpenResult result = store.open();
        QCOMPARE(result.status, LocalStore::OpenStatus::Opened);
        QCOMPARE(result.fileVersion, 1);
        QCOMPARE(store.schemaVersion(), Migrations::kLatestVersion);
        QVERIFY(store.record(QStringLiteral("opportunity"), QStringLiteral("opp_1")).has_value());
        store.close();
        QVERIFY(schemaObjects(path).contains(QStringLiteral("outbox")));
    }

    // Version 3 rebuilds the outbox (a new state in its CHECK): a queued edit survives the
    // rebuild with its key, body and order, and the new columns start empty.
    void migrationToThreeKeepsQueuedEdits()
    {
        QTemporaryDir dir;
        const QString path = freshPath(dir);
        {
            LocalStore::Options options;
            options.targetVersion = 2;
            LocalStore store(path, options);
            QVERIFY(store.open().isOpen());
            QCOMPARE(store.schemaVersion(), 2);
            QVERIFY(store.execSql(QStringLiteral(
                "INSERT INTO outbox (idem_key, object_type, record_id, op, body, state,"
                " attempts, created_at) VALUES ('key-1', 'opportunity', 'opp_1', 'update',"
                " '{\"fields\":{\"$name\":\"A\"}}', 'parked', 2, 1000)")));
        }
        LocalStore store(path);
        const LocalStore::OpenResult result = store.open();
        QCOMPARE(result.fileVersion, 2);
        QCOMPARE(store.schemaVersion(), 3);
        QSqlQuery query(LocalStoreTestAccess::database(store));
        QVERIFY(query.exec(
            QStringLiteral("SELECT seq, idem_key, body, state, attempts, checked_at FROM outbox")));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toLongLong(), 1);
        QCOMPARE(query.value(1).toString(), QStringLiteral("key-1"));
        QCOMPARE(query.value(2).toByteArray(), QByteArray(R"({"fields":{"$name":"A"}})"));
        QCOMPARE(query.value(3).toString(), QStringLiteral("parked"));
        QCOMPARE(query.value(4).toInt(), 2);
        QVERIFY(query.value(5).isNull());
        QVERIFY(!query.next());
        // The new state is accepted, an unknown one still refused.
        QVERIFY(store.execSql(QStringLiteral("UPDATE outbox SET state = 'mayexist'")));
        QVERIFY(!store.execSql(QStringLiteral("UPDATE outbox SET state = 'bogus'")));
        QVERIFY(query.exec(QStringLiteral("SELECT decode_error FROM records")));
    }

    // Every statement of the migrations is made to fail once: the file is
    // then exactly at the last version that committed, with nothing of the failed step, and
    // the next open without a fault converges to the full schema.
    void failedMigrationRollsBackAndStops()
    {
        const QStringList v1 {QStringLiteral("definitions"), QStringLiteral("meta"),
            QStringLiteral("records"), QStringLiteral("records_local"),
            QStringLiteral("records_sweep")};
        int migrationFailures = 0;
        for (int n = 1; n < 100; ++n) {
            QTemporaryDir dir;
            const QString path = freshPath(dir);
            LocalStore store(path);
            store.setFailAfter(n);
            const LocalStore::OpenResult result = store.open();
            if (result.isOpen()) {
                QVERIFY2(migrationFailures >= 10, "too few statements exercised");
                QCOMPARE(result.status, LocalStore::OpenStatus::Created);
                return;
            }
            QVERIFY(!store.isOpen());
            const int version = userVersion(path);
            if (result.status == LocalStore::OpenStatus::MigrationFailed) {
                ++migrationFailures;
                QVERIFY2(
                    result.message.contains(QStringLiteral("schema version %1").arg(version + 1)),
                    qPrintable(result.message));
                QVERIFY(version >= 0 && version < Migrations::kLatestVersion);
                if (version <= 1)
                    QCOMPARE(schemaObjects(path), version == 0 ? QStringList() : v1);
                else // nothing of the failed outbox rebuild is left behind
                    QVERIFY(!schemaObjects(path).contains(QStringLiteral("outbox_v3")));
            } else {
                // The fault hit the start-up recovery after the migrations: all committed.
                QCOMPARE(result.status, LocalStore::OpenStatus::Failed);
                QCOMPARE(version, Migrations::kLatestVersion);
            }
            LocalStore again(path);
            QVERIFY(again.open().isOpen());
            QCOMPARE(again.schemaVersion(), Migrations::kLatestVersion);
        }
        QFAIL("the fault loop did not end");
    }

    void newerDatabaseIsRefusedUntouched()
    {
        QTemporaryDir dir;
        const QString path = freshPath(dir);
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        withConnection(path, [](QSqlDatabase &db) {
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral("CREATE TABLE future (x)")));
            QVERIFY(query.exec(QStringLiteral("INSERT INTO future VALUES (42)")));
            QVERIFY(query.exec(QStringLiteral("PRAGMA user_version = 99")));
        });
        const QByteArray before = sha256(path);
        const QStringList filesBefore = QDir(QFileInfo(path).absolutePath()).entryList(QDir::Files);

        LocalStore store(path);
        const LocalStore::OpenResult result = store.open();
        QCOMPARE(result.status, LocalStore::OpenStatus::TooNew);
        QVERIFY(!result.isOpen());
        QVERIFY(!store.isOpen());
        QCOMPARE(result.fileVersion, 99);
        QVERIFY2(result.message.contains(QLatin1String("99"))
                && result.message.contains(QString::number(Migrations::kLatestVersion)),
            qPrintable(result.message));
        QCOMPARE(sha256(path), before);
        QCOMPARE(userVersion(path), 99);
        QCOMPARE(QDir(QFileInfo(path).absolutePath()).entryList(QDir::Files), filesBefore);
    }

    void unreadableFileIsQuarantinedWithItsSidecars_data()
    {
        QTest::addColumn<bool>("damagePages");
        QTest::newRow("not a database") << false;
        QTest::newRow("damaged b-tree pages") << true;
    }

    void unreadableFileIsQuarantinedWithItsSidecars()
    {
        QFETCH(bool, damagePages);
        QTemporaryDir dir;
        const QString path = freshPath(dir);
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        if (damagePages) {
            {
                LocalStore store(path);
                QVERIFY(store.open().isOpen());
                QList<QByteArray> page;
                for (int i = 0; i < 300; ++i) {
                    page << serverRecord(QStringLiteral("opp_%1").arg(i),
                        QStringLiteral("2026-04-20T10:00:00.000Z"), QString(200, QLatin1Char('x')));
                }
                QVERIFY(store.upsertServerRecords(QStringLiteral("opportunity"), page));
            } // closing checkpoints the WAL into the file
            QByteArray bytes = fileBytes(path);
            QVERIFY(bytes.size() > 6 * 4096);
            for (qsizetype i = 2 * 4096; i < 5 * 4096; ++i)
                bytes[i] = char(0xAB);
            QVERIFY(writeFile(path, bytes));
        } else {
            QVERIFY(
                writeFile(path, QByteArray("this is not a database, just text. ").repeated(200)));
        }
        QVERIFY(writeFile(path + QStringLiteral("-wal"), QByteArray("stale wal bytes")));
        QVERIFY(writeFile(path + QStringLiteral("-shm"), QByteArray("stale shm bytes")));
        const QByteArray mainBytes = fileBytes(path);

        LocalStore store(path);
        const LocalStore::OpenResult result = store.open();
        QCOMPARE(result.status, LocalStore::OpenStatus::Quarantined);
        QVERIFY(result.isOpen());
        QVERIFY(!result.message.isEmpty());
        QVERIFY(result.quarantinedTo.startsWith(path + QStringLiteral(".corrupt-")));
        // All three moved together, the file and its WAL byte for byte; nothing deleted. The
        // -shm is SQLite's shared-memory index, rebuilt from the WAL by any reader (the
        // read-only check included), so only its move is checked.
        QCOMPARE(fileBytes(result.quarantinedTo), mainBytes);
        QCOMPARE(fileBytes(result.quarantinedTo + QStringLiteral("-wal")),
            QByteArray("stale wal bytes"));
        QVERIFY(QFile::exists(result.quarantinedTo + QStringLiteral("-shm")));
        QCOMPARE(QDir(QFileInfo(path).absolutePath())
                     .entryList({QStringLiteral("*.corrupt-*")}, QDir::Files)
                     .size(),
            3);
        // And a fresh, working cache in its place.
        QCOMPARE(store.schemaVersion(), Migrations::kLatestVersion);
        QCOMPARE(store.recordCount(QStringLiteral("opportunity")), 0);
        QVERIFY(store.setMeta(QStringLiteral("k"), QStringLiteral("v")));
        store.close();
        QCOMPARE(
            scalar(path, QStringLiteral("PRAGMA quick_check")).toString(), QStringLiteral("ok"));
    }

    void lockedFileIsNotQuarantined()
    {
        QTemporaryDir dir;
        const QString path = freshPath(dir);
        {
            LocalStore::Options options;
            options.preferWal = false;
            LocalStore store(path, options);
            QVERIFY(store.open().isOpen());
        }
        const QString name = QStringLiteral("locker");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral("BEGIN EXCLUSIVE")));

            LocalStore::Options options;
            options.busyTimeoutMs = 50;
            LocalStore store(path, options);
            const LocalStore::OpenResult result = store.open();
            QCOMPARE(result.status, LocalStore::OpenStatus::Locked);
            QVERIFY(!result.message.isEmpty());
            QVERIFY(result.quarantinedTo.isEmpty());
            QVERIFY(QDir(QFileInfo(path).absolutePath())
                        .entryList({QStringLiteral("*.corrupt-*")}, QDir::Files)
                        .isEmpty());
            QVERIFY(query.exec(QStringLiteral("ROLLBACK")));
            query.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
        LocalStore store(path);
        QCOMPARE(store.open().status, LocalStore::OpenStatus::Opened);
    }

    void upsertKeepsTheNewerServerCopy()
    {
        LocalStore store(QStringLiteral(":memory:"));
        QVERIFY(store.open().isOpen());
        const QString type = QStringLiteral("opportunity");
        const QByteArray v1 = serverRecord(QStringLiteral("opp_1"),
            QStringLiteral("2026-04-20T10:00:00.000Z"), QStringLiteral("First"));
        const QByteArray v2 = serverRecord(QStringLiteral("opp_1"),
            QStringLiteral("2026-04-20T11:00:00Z"), QStringLiteral("Second"));
        QCOMPARE(store.upsertServerRecord(type, v1), LocalStore::Upsert::Inserted);
        QCOMPARE(store.upsertServerRecord(type, v2), LocalStore::Upsert::Updated);
        // An older copy (a lagging list page) never overwrites a newer one.
        QCOMPARE(store.upsertServerRecord(type, v1, 7), LocalStore::Upsert::SkippedOlder);
        const std::optional<StoredRecord> stored = store.record(type, QStringLiteral("opp_1"));
        QVERIFY(stored.has_value());
        QCOMPARE(stored->json, v2);
        QCOMPARE(stored->effectiveJson(), v2);
        QVERIFY(!stored->hasLocalChanges());
        QCOMPARE(stored->updatedAt, QStringLiteral("2026-04-20T11:00:00Z"));
        QCOMPARE(stored->seenSweep, 7); // listed by sweep 7 even though skipped
        QCOMPARE(store.upsertServerRecord(type, QByteArray("{\"fields\":{}}")),
            LocalStore::Upsert::Error);
        QVERIFY(!store.lastError().isEmpty());
    }

    void recordsPagesSweepsAndDeletion()
    {
        LocalStore store(QStringLiteral(":memory:"));
        QVERIFY(store.open().isOpen());
        const QString type = QStringLiteral("account");
        QList<QByteArray> page;
        for (int i = 0; i < 25; ++i) {
            page << serverRecord(QStringLiteral("acc_%1").arg(i, 2, 10, QLatin1Char('0')),
                QStringLiteral("2026-04-20T10:00:00.000Z"), QStringLiteral("Account %1").arg(i));
        }
        QList<LocalStore::Upsert> outcomes;
        QVERIFY(store.upsertServerRecords(type, page, 1, &outcomes));
        QCOMPARE(outcomes.size(), 25);
        QCOMPARE(outcomes.count(LocalStore::Upsert::Inserted), 25);
        QCOMPARE(store.recordCount(type), 25);
        QCOMPARE(store.recordCount(QStringLiteral("opportunity")), 0);
        const QList<StoredRecord> all = store.records(type);
        QCOMPARE(all.size(), 25);
        QCOMPARE(all.first().id, QStringLiteral("acc_00"));
        QCOMPARE(all.first().json, page.first());

        QVERIFY(store.upsertServerRecords(type, page.mid(0, 20), 2));
        QCOMPARE(store.recordsNotSeenSince(type, 2),
            (QStringList {QStringLiteral("acc_20"), QStringLiteral("acc_21"),
                QStringLiteral("acc_22"), QStringLiteral("acc_23"), QStringLiteral("acc_24")}));
        QVERIFY(store.markDeleted(type, QStringLiteral("acc_24")));
        QCOMPARE(store.recordCount(type), 24);
        QCOMPARE(store.records(type, true).size(), 25);
        QVERIFY(store.record(type, QStringLiteral("acc_24"))->deleted);
        QVERIFY(store.removeRecord(type, QStringLiteral("acc_24")));
        QVERIFY(!store.record(type, QStringLiteral("acc_24")).has_value());
    }

    void definitionsRoundTrip()
    {
        LocalStore store(QStringLiteral(":memory:"));
        QVERIFY(store.open().isOpen());
        const QByteArray json("{\"fieldDefinitions\":{\"$name\":{\"valueType\":\"TEXT\"}}}");
        const QDateTime fetched = QDateTime::fromMSecsSinceEpoch(1'776'000'000'123, Qt::UTC);
        QVERIFY(store.putDefinitions(QStringLiteral("opportunity"), json, fetched));
        const std::optional<StoredDefinitions> stored
            = store.definitions(QStringLiteral("opportunity"));
        QVERIFY(stored.has_value());
        QCOMPARE(stored->json, json);
        QCOMPARE(stored->fetchedAt, fetched);
        QVERIFY(!store.definitions(QStringLiteral("account")).has_value());
    }

    // A page is written whole or not at all, whichever statement fails.
    void faultInPageWriteLeavesNothing()
    {
        const QString type = QStringLiteral("opportunity");
        QList<QByteArray> page;
        for (int i = 0; i < 3; ++i) {
            page << serverRecord(QStringLiteral("opp_%1").arg(i),
                QStringLiteral("2026-04-20T10:00:00.000Z"), QStringLiteral("Deal %1").arg(i));
        }
        int failures = 0;
        for (int n = 1; n < 100; ++n) {
            LocalStore store(QStringLiteral(":memory:"));
            QVERIFY(store.open().isOpen());
            store.setFailAfter(n);
            const bool written = store.upsertServerRecords(type, page);
            store.setFailAfter(0); // reads count too: the checks below must not be failed
            if (written) {
                QCOMPARE(store.recordCount(type), 3);
                QVERIFY(failures >= 5);
                return;
            }
            ++failures;
            QVERIFY(!store.inTransaction());
            QCOMPARE(store.recordCount(type), 0);
            QVERIFY(store.upsertServerRecords(type, page)); // the store still works
            QCOMPARE(store.recordCount(type), 3);
        }
        QFAIL("the fault loop did not end");
    }

    // The keyset page reader: id order, strictly after the given id, at most `limit` rows,
    // deleted, undecodable and other types' rows left out, the local copy alongside the
    // server copy.
    void recordsAfterReadsKeysetPages()
    {
        LocalStore store(QStringLiteral(":memory:"));
        QVERIFY(store.open().isOpen());
        const QString type = QStringLiteral("account");
        const QString stamp = QStringLiteral("2026-04-20T10:00:00.000Z");
        // Stored out of order: the page order must come from the ids, not from the inserts.
        for (const char *id : {"acc_3", "acc_1", "acc_5", "acc_2", "acc_4"}) {
            QCOMPARE(store.upsertServerRecord(type,
                         serverRecord(QString::fromLatin1(id), stamp, QString::fromLatin1(id))),
                LocalStore::Upsert::Inserted);
        }
        QCOMPARE(store.upsertServerRecord(QStringLiteral("opportunity"),
                     serverRecord(QStringLiteral("acc_0"), stamp, QStringLiteral("Deal"))),
            LocalStore::Upsert::Inserted);
        QVERIFY(store.markDeleted(type, QStringLiteral("acc_4")));
        QVERIFY(store.storeUndecodable(type, QStringLiteral("acc_35"), QByteArray("{\"x\":1}"),
            QStringLiteral("no fields"), 1));
        const QByteArray local
            = serverRecord(QStringLiteral("acc_2"), stamp, QStringLiteral("Edited"));
        QVERIFY(store.setLocalCopy(type, QStringLiteral("acc_2"), local));

        const auto ids = [](const QList<StoredRecord> &page) {
            QStringList result;
            for (const StoredRecord &record : page)
                result << record.id;
            return result;
        };
        bool ok = false;
        const QList<StoredRecord> first = store.recordsAfter(type, QString(), 2, &ok);
        QVERIFY(ok);
        QCOMPARE(ids(first), (QStringList {QStringLiteral("acc_1"), QStringLiteral("acc_2")}));
        QCOMPARE(first.at(0).objectType, type);
        QCOMPARE(first.at(0).updatedAt, stamp);
        QVERIFY(first.at(0).localJson.isEmpty());
        QCOMPARE(first.at(1).json,
            serverRecord(QStringLiteral("acc_2"), stamp, QStringLiteral("acc_2")));
        QCOMPARE(first.at(1).localJson, local);
        QCOMPARE(first.at(1).effectiveJson(), local);
        // An empty id starts at the beginning just like a null one.
        QCOMPARE(ids(store.recordsAfter(type, QStringLiteral(""), 2)), ids(first));

        // Strictly after: the row named is not read again; the deleted acc_4 and the
        // undecodable acc_35 are skipped.
        QCOMPARE(ids(store.recordsAfter(type, QStringLiteral("acc_2"), 2, &ok)),
            (QStringList {QStringLiteral("acc_3"), QStringLiteral("acc_5")}));
        QVERIFY(ok);
        // An id that is not stored still positions the page.
        QCOMPARE(ids(store.recordsAfter(type, QStringLiteral("acc_30"), 10)),
            (QStringList {QStringLiteral("acc_5")}));
        ok = false;
        QVERIFY(store.recordsAfter(type, QStringLiteral("acc_5"), 2, &ok).isEmpty());
        QVERIFY(ok); // the end, not an error

        // Walking the type one row at a time meets every record records() lists, once.
        QStringList walked;
        for (QString after;;) {
            const QList<StoredRecord> page = store.recordsAfter(type, after, 1);
            QVERIFY(page.size() <= 1);
            if (page.isEmpty())
                break;
            after = page.first().id;
            walked << after;
        }
        QCOMPARE(walked, ids(store.records(type)));
        QCOMPARE(walked.size(), 4);

        // The read goes through the store's statement path: the fault hook reaches it, and
        // an unreadable page is reported, not taken for the end of the records.
        store.setFailAfter(1);
        ok = true;
        QVERIFY(store.recordsAfter(type, QString(), 2, &ok).isEmpty());
        QVERIFY(!ok);
        QVERIFY(!store.lastError().isEmpty());
        QCOMPARE(ids(store.recordsAfter(type, QString(), 2, &ok)), ids(first));
        QVERIFY(ok);
    }

    void updatedAtOfReportsTheCachedServerCopies()
    {
        LocalStore store(QStringLiteral(":memory:"));
        QVERIFY(store.open().isOpen());
        const QString type = QStringLiteral("opportunity");
        QVERIFY(store.upsertServerRecord(type,
                    serverRecord(QStringLiteral("opp_1"), QStringLiteral("2026-04-20T10:00:00Z"),
                        QStringLiteral("One")))
            == LocalStore::Upsert::Inserted);
        QVERIFY(store.upsertServerRecord(type,
                    serverRecord(QStringLiteral("opp_2"), QStringLiteral("2026-04-21T10:00:00Z"),
                        QStringLiteral("Two")))
            == LocalStore::Upsert::Inserted);
        QVERIFY(store.upsertServerRecord(type,
                    serverRecord(QStringLiteral("opp_3"), QStringLiteral("2026-04-22T10:00:00Z"),
                        QStringLiteral("Three")))
            == LocalStore::Upsert::Inserted);
        QVERIFY(store.markDeleted(type, QStringLiteral("opp_3")));
        // A record created offline has no server copy yet, so no `updatedAt`.
        QVERIFY(store.setLocalCopy(type, QStringLiteral("local_1"), QByteArray("{}")));
        QVERIFY(store.upsertServerRecord(QStringLiteral("account"),
                    serverRecord(QStringLiteral("opp_4"), QStringLiteral("2026-04-23T10:00:00Z"),
                        QStringLiteral("Not a deal")))
            == LocalStore::Upsert::Inserted);

        const QHash<QString, QString> found = store.updatedAtOf(type,
            {QStringLiteral("opp_1"), QStringLiteral("opp_2"), QStringLiteral("opp_3"),
                QStringLiteral("opp_4"), QStringLiteral("opp_9"), QStringLiteral("local_1")});
        QCOMPARE(found.size(), 3);
        QCOMPARE(found.value(QStringLiteral("opp_1")), QStringLiteral("2026-04-20T10:00:00Z"));
        QCOMPARE(found.value(QStringLiteral("opp_2")), QStringLiteral("2026-04-21T10:00:00Z"));
        QVERIFY(found.contains(QStringLiteral("local_1")));
        QVERIFY(found.value(QStringLiteral("local_1")).isEmpty());
        QVERIFY(store.updatedAtOf(type, {}).isEmpty());

        store.setFailAfter(1);
        QVERIFY(store.updatedAtOf(type, {QStringLiteral("opp_1")}).isEmpty());
        QVERIFY(!store.lastError().isEmpty());
    }

    void setLocalCopyLeavesTheServerCopyAlone()
    {
        LocalStore store(QStringLiteral(":memory:"));
        QVERIFY(store.open().isOpen());
        const QString type = QStringLiteral("opportunity");
        const QByteArray server = serverRecord(
            QStringLiteral("opp_1"), QStringLiteral("2026-04-20T10:00:00Z"), QStringLiteral("A"));
        QVERIFY(store.upsertServerRecord(type, server) == LocalStore::Upsert::Inserted);
        const QByteArray local = serverRecord(
            QStringLiteral("opp_1"), QStringLiteral("2026-04-20T10:00:00Z"), QStringLiteral("B"));
        QVERIFY(store.setLocalCopy(type, QStringLiteral("opp_1"), local));
        std::optional<StoredRecord> stored = store.record(type, QStringLiteral("opp_1"));
        QVERIFY(stored);
        QCOMPARE(stored->json, server);
        QCOMPARE(stored->localJson, local);
        QCOMPARE(stored->updatedAt, QStringLiteral("2026-04-20T10:00:00Z"));
        // No row yet (an offline create): one is made with the local copy only.
        QVERIFY(store.setLocalCopy(type, QStringLiteral("local_1"), local));
        stored = store.record(type, QStringLiteral("local_1"));
        QVERIFY(stored);
        QVERIFY(stored->json.isEmpty());
        QCOMPARE(stored->localJson, local);
    }

    void rewriteRecordIdReKeysTheRecordAndItsReferences()
    {
        LocalStore store(QStringLiteral(":memory:"));
        QVERIFY(store.open().isOpen());
        RewriteScene scene(store);
        QVERIFY(!store.rewriteRecordId(QString(), QStringLiteral("acc_new")));
        QVERIFY(!store.rewriteRecordId(scene.temporary, scene.temporary));

        QVERIFY2(store.rewriteRecordId(scene.temporary, QStringLiteral("acc_new")),
            qPrintable(store.lastError()));
        QVERIFY(!store.inTransaction());
        QVERIFY(!store.record(scene.account, scene.temporary));
        // The re-keyed row replaced the copy stored under the new id, and its own `id` follows.
        const std::optional<StoredRecord> account
            = store.record(scene.account, QStringLiteral("acc_new"));
        QVERIFY(account);
        QVERIFY(account->json.isEmpty());
        QCOMPARE(object(account->localJson).value(QLatin1String("id")).toString(),
            QStringLiteral("acc_new"));
        QCOMPARE(fieldValue(account->localJson, QStringLiteral("$name")).toString(),
            QStringLiteral("Acme"));
        // A deal's relationship to it, in its server and its local copy.
        const std::optional<StoredRecord> deal = store.record(scene.deal, QStringLiteral("opp_1"));
        QVERIFY(deal);
        QCOMPARE(scene.linkedIds(deal->json), QJsonArray {QStringLiteral("acc_new")});
        QCOMPARE(scene.linkedIds(deal->localJson), QJsonArray {QStringLiteral("acc_new")});
        QVERIFY(!deal->json.contains(scene.temporary.toUtf8()));
        // A deal without the link is not touched, byte for byte.
        QCOMPARE(store.record(scene.deal, QStringLiteral("opp_2"))->json, scene.unrelated);
        QCOMPARE(store.recordCount(scene.account), 1);
    }

    // Inside the caller's transaction the rewrite commits nothing of its own; rolling the
    // transaction back leaves every row as it was.
    void rewriteRecordIdJoinsTheCallersTransaction()
    {
        QTemporaryDir dir;
        const QString path = freshPath(dir);
        LocalStore store(path);
        QVERIFY(store.open().isOpen());
        RewriteScene scene(store);
        const QList<StoredRecord> accounts = store.records(scene.account);
        const QList<StoredRecord> deals = store.records(scene.deal);
        const qint64 committedDeals = scalar(path,
            QStringLiteral("SELECT COUNT(*) FROM records WHERE instr(json, '%1') > 0")
                .arg(scene.temporary))
                                          .toLongLong();
        QCOMPARE(committedDeals, 1);
        {
            LocalStore::Transaction transaction(store);
            QVERIFY(transaction.isActive());
            QVERIFY(store.rewriteRecordId(scene.temporary, QStringLiteral("acc_new")));
            QVERIFY(store.inTransaction());
            // Seen on the store's own connection …
            QVERIFY(store.record(scene.account, QStringLiteral("acc_new")));
            QVERIFY(!store.record(scene.account, scene.temporary));
            // … but not committed: another connection still reads the old ids.
            QCOMPARE(scalar(path,
                         QStringLiteral("SELECT COUNT(*) FROM records WHERE id = '%1'")
                             .arg(scene.temporary))
                         .toLongLong(),
                1);
            transaction.rollback();
        }
        QVERIFY(!store.inTransaction());
        QCOMPARE(store.records(scene.account).size(), accounts.size());
        for (qsizetype i = 0; i < accounts.size(); ++i) {
            const StoredRecord now = store.records(scene.account).at(i);
            QCOMPARE(now.id, accounts.at(i).id);
            QCOMPARE(now.json, accounts.at(i).json);
            QCOMPARE(now.localJson, accounts.at(i).localJson);
        }
        const QList<StoredRecord> dealsAfter = store.records(scene.deal);
        QCOMPARE(dealsAfter.size(), deals.size());
        for (qsizetype i = 0; i < deals.size(); ++i) {
            QCOMPARE(dealsAfter.at(i).json, deals.at(i).json);
            QCOMPARE(dealsAfter.at(i).localJson, deals.at(i).localJson);
        }
    }

    // Whichever of its statements fails, the rewrite leaves nothing half done.
    void rewriteRecordIdIsAtomic()
    {
        int failures = 0;
        for (int n = 1; n < 100; ++n) {
            LocalStore store(QStringLiteral(":memory:"));
            QVERIFY(store.open().isOpen());
            RewriteScene scene(store);
            store.setFailAfter(n);
            const bool rewritten
                = store.rewriteRecordId(scene.temporary, QStringLiteral("acc_new"));
            store.setFailAfter(0); // reads count too: the checks below must not be failed
            if (rewritten) {
                QVERIFY(store.record(scene.account, QStringLiteral("acc_new")));
                // BEGIN, the re-key, the search, two rewrites (the deal, the record's own
                // local copy) and COMMIT each failed once.
                QCOMPARE(failures, 6);
                return;
            }
            ++failures;
            QVERIFY(!store.inTransaction());
            QVERIFY(store.record(scene.account, scene.temporary));
            const std::optional<StoredRecord> server
                = store.record(scene.account, QStringLiteral("acc_new"));
            QVERIFY(server);
            QCOMPARE(server->json, scene.storedUnderNewId);
            const std::optional<StoredRecord> deal
                = store.record(scene.deal, QStringLiteral("opp_1"));
            QVERIFY(deal);
            QCOMPARE(scene.linkedIds(deal->json), QJsonArray {scene.temporary});
            QCOMPARE(scene.linkedIds(deal->localJson), QJsonArray {scene.temporary});
        }
        QFAIL("the fault loop did not end");
    }

    // Copying a live WAL database with its -wal (what a backup or a crash leaves behind)
    // still opens with every committed write.
    void copyOfOpenCacheKeepsCommittedWrites()
    {
        QTemporaryDir dir;
        const QString path = freshPath(dir);
        const QString copy = dir.filePath(QStringLiteral("copy/cache.sqlite"));
        QVERIFY(QDir().mkpath(QFileInfo(copy).absolutePath()));
        LocalStore store(path);
        QVERIFY(store.open().isOpen());
        for (int i = 0; i < 10; ++i) {
            QCOMPARE(store.upsertServerRecord(QStringLiteral("opportunity"),
                         serverRecord(QStringLiteral("opp_%1").arg(i),
                             QStringLiteral("2026-04-20T10:00:00Z"), QStringLiteral("Deal"))),
                LocalStore::Upsert::Inserted);
        }
        QVERIFY(QFileInfo(path + QStringLiteral("-wal")).size() > 0);
        for (const QString &suffix : {QString(), QStringLiteral("-wal")})
            QVERIFY(QFile::copy(path + suffix, copy + suffix));

        LocalStore reopened(copy);
        const LocalStore::OpenResult result = reopened.open();
        QCOMPARE(result.status, LocalStore::OpenStatus::Opened);
        QCOMPARE(reopened.recordCount(QStringLiteral("opportunity")), 10);
        QCOMPARE(scalar(copy, QStringLiteral("PRAGMA integrity_check")).toString(),
            QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestLocalStore)
#include "tst_localstore.moc"
