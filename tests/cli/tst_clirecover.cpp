// The command line on a cache in trouble, as a real process against the sandbox process:
// `status` on an unreadable cache, `recover` after a damaged cache was moved aside, and the
// CSV export's formula guard.

#include "clitesthelpers.h"

#include "storetesthelpers.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLockFile>
#include <QTemporaryDir>
#include <QTest>

using namespace CliTest;

class TestCliRecover : public QObject
{
    Q_OBJECT

private:
    struct Workspace
    {
        std::unique_ptr<QTemporaryDir> dir;
        QProcessEnvironment env;
        QStringList options;
        QString dataDir() const { return dir->path() + QStringLiteral("/lf"); }
        QString cachePath() const
        {
            QDirIterator it(
                dataDir(), {QStringLiteral("*.sqlite")}, QDir::Files, QDirIterator::Subdirectories);
            return it.hasNext() ? it.next() : QString();
        }
    };

    Workspace syncedWorkspace()
    {
        Workspace workspace;
        workspace.dir = std::make_unique<QTemporaryDir>();
        workspace.env = environment(workspace.dir->path());
        workspace.options = QStringList {QStringLiteral("--data-dir"), workspace.dataDir(),
            QStringLiteral("--base-url"), m_sandbox.url().toString()};
        const Result sync = app(workspace, {QStringLiteral("sync"), QStringLiteral("--once")});
        if (sync.code != 0)
            qWarning() << sync.err;
        return workspace;
    }

    Result app(const Workspace &workspace, QStringList arguments)
    {
        arguments << workspace.options;
        return runApp(arguments, workspace.env);
    }

    QJsonObject deal(int index)
    {
        return m_sandbox.get(QStringLiteral("/v1/opportunities?limit=5"))
            .object()
            .value(QLatin1String("data"))
            .toArray()
            .at(index)
            .toObject();
    }

    /// The Idempotency-Keys of the queued edits, from the raw (json) export.
    QStringList queuedKeys(const Workspace &workspace)
    {
        const Result exported = app(workspace,
            {QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("json"),
                QStringLiteral("--output"), QStringLiteral("-")});
        QStringList keys;
        const QJsonArray deals = QJsonDocument::fromJson(exported.out)
                                     .object()
                                     .value(QLatin1String("objectTypes"))
                                     .toObject()
                                     .value(QLatin1String("opportunity"))
                                     .toArray();
        for (const QJsonValue &deal : deals) {
            const QJsonArray edits = deal.toObject()
                                         .value(QLatin1String("localState"))
                                         .toObject()
                                         .value(QLatin1String("edits"))
                                         .toArray();
            for (const QJsonValue &edit : edits)
                keys << edit.toObject().value(QLatin1String("idempotencyKey")).toString();
        }
        keys.sort();
        return keys;
    }

    Sandbox m_sandbox;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sandbox.start({QStringLiteral("--seed"), QStringLiteral("5"),
                     QStringLiteral("--opportunities"), QStringLiteral("8")}),
            "the sandbox did not start");
    }

    void statusOnAnUnreadableCacheSaysSo()
    {
        Workspace workspace = syncedWorkspace();
        const QString path = workspace.cachePath();
        QVERIFY(!path.isEmpty());
        // Another program holds the file exclusively: nothing can be read from it.
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("holder"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        {
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral("PRAGMA journal_mode = DELETE")));
            query.finish();
            QVERIFY(query.exec(QStringLiteral("BEGIN EXCLUSIVE")));
        }
        const Result status = app(workspace, {QStringLiteral("status")});
        {
            QSqlQuery query(db);
            query.exec(QStringLiteral("ROLLBACK"));
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("holder"));

        QCOMPARE(status.code, 4);
        QVERIFY2(status.out.startsWith("cache unreadable: "), status.out.constData());
        QVERIFY2(!status.out.contains("pending"), status.out.constData());
    }

    void recoverRequeuesEditsOfADamagedCacheWithTheirKeys()
    {
        Workspace workspace = syncedWorkspace();
        const QString first = deal(0).value(QLatin1String("id")).toString();
        const QString second = deal(1).value(QLatin1String("id")).toString();
        const QString firstName = fieldValue(deal(0), QStringLiteral("$name")).toString();
        // Queued (edit never sends): the edits stay in the cache until a sync.
        QVERIFY(
            app(workspace, {QStringLiteral("edit"), first, QStringLiteral("probability=31")}).code
            == 0);
        QVERIFY(
            app(workspace, {QStringLiteral("edit"), second, QStringLiteral("probability=32")}).code
            == 0);
        const QStringList keys = queuedKeys(workspace);
        QCOMPARE(keys.size(), 2);

        const QString path = workspace.cachePath();
        QVERIFY(StoreTest::damageIndex(path, QStringLiteral("records_sweep")));
        // status only reads: it reports the damage and moves nothing.
        Result status = app(workspace, {QStringLiteral("status")});
        QCOMPARE(status.code, 4);
        QVERIFY2(status.out.startsWith("cache unreadable: "), status.out.constData());
        QVERIFY(QFileInfo::exists(path));
        // The next writer (here a sync) moves the damaged file aside and starts a new cache.
        const Result fresh = app(workspace, {QStringLiteral("sync"), QStringLiteral("--once")});
        QVERIFY2(fresh.code == 0, fresh.err.constData());
        QVERIFY2(fresh.err.contains("moved"), fresh.err.constData());
        status = app(workspace, {QStringLiteral("status")});
        QCOMPARE(status.code, 0);
        QCOMPARE(statusValue(status, QStringLiteral("pending")), QStringLiteral("0"));
        const QString damaged = statusValue(status, QStringLiteral("damaged cache"));
        QVERIFY2(damaged.contains(QLatin1String(".corrupt-")), status.out.constData());

        Result listed = app(workspace, {QStringLiteral("recover"), QStringLiteral("--list")});
        QCOMPARE(listed.code, 0);
        const QString listing = QString::fromUtf8(listed.out);
        QVERIFY2(listing.contains(QLatin1String("#1\t")), listed.out.constData());
        QVERIFY(listing.contains(QLatin1String("#2\t")));
        QVERIFY(listing.contains(firstName));
        QVERIFY(listing.contains(QLatin1String("probability")));
        QVERIFY(listing.contains(keys.at(0)) && listing.contains(keys.at(1)));

        // While another process holds the workspace, recover queues nothing: exit 8 (busy).
        {
            QLockFile holder(QFileInfo(path).absolutePath() + QStringLiteral("/writer.lock"));
            holder.setStaleLockTime(0);
            QVERIFY(holder.tryLock());
            const Result refused = app(workspace, {QStringLiteral("recover"), QStringLiteral("1")});
            QCOMPARE(refused.code, 8);
            QVERIFY2(refused.err.contains("nothing was queued"), refused.err.constData());
            status = app(workspace, {QStringLiteral("status")});
            QCOMPARE(statusValue(status, QStringLiteral("pending")), QStringLiteral("0"));
        }

        Result recovered = app(workspace, {QStringLiteral("recover"), QStringLiteral("1")});
        QVERIFY2(recovered.code == 0, recovered.err.constData());
        QVERIFY(recovered.out.contains("requeued: #1"));
        // The file is marked: no longer offered, but still there and readable with --file.
        QVERIFY(QFileInfo::exists(damaged));
        QVERIFY(QFileInfo::exists(damaged + QStringLiteral(".recovered")));
        status = app(workspace, {QStringLiteral("status")});
        QCOMPARE(statusValue(status, QStringLiteral("pending")), QStringLiteral("1"));
        QVERIFY(statusValue(status, QStringLiteral("damaged cache")).isEmpty());
        recovered = app(workspace,
            {QStringLiteral("recover"), QStringLiteral("--file"), damaged, QStringLiteral("1"),
                QStringLiteral("2")});
        QVERIFY2(recovered.code == 0, recovered.err.constData());
        QVERIFY2(recovered.out.contains("skipped (already queued): #1"), recovered.out.constData());
        QVERIFY(recovered.out.contains("requeued: #2"));
        QCOMPARE(queuedKeys(workspace), keys);

        const Result sync = app(workspace, {QStringLiteral("sync"), QStringLiteral("--once")});
        QVERIFY2(sync.code == 0, sync.err.constData());
        const QJsonObject applied = m_sandbox.get(QStringLiteral("/__sandbox/stats"))
                                        .object()
                                        .value(QLatin1String("appliedByIdempotencyKey"))
                                        .toObject();
        for (const QString &key : keys)
            QCOMPARE(applied.value(key).toInt(), 1);
        QCOMPARE(fieldValue(m_sandbox.get(QStringLiteral("/v1/opportunities/") + second).object(),
                     QStringLiteral("probability"))
                     .toDouble(),
            32.0);
    }

    void statusAndSyncNameNewDealsThatMayAlreadyExist()
    {
        Workspace workspace = syncedWorkspace();
        const QString accountId = firstRelatedId(deal(0), QStringLiteral("$account"));
        QVERIFY(!accountId.isEmpty());
        const Result create = app(workspace,
            {QStringLiteral("create"), QStringLiteral("$name=Held create"),
                QStringLiteral("$stage=opt_stage_discovery"),
                QStringLiteral("$account=") + accountId});
        QVERIFY2(create.code == 0, create.err.constData());
        // As the engine leaves a create sent over a day ago without an answer: held for the rep.
        const QString path = workspace.cachePath();
        QVERIFY(!path.isEmpty());
        StoreTest::withConnection(path, [](QSqlDatabase &db) {
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral(
                "UPDATE outbox SET state = 'mayexist', attempts = 1 WHERE op = 'create'")));
            QCOMPARE(query.numRowsAffected(), 1);
        });

        Result status = app(workspace, {QStringLiteral("status")});
        QCOMPARE(status.code, 0);
        QCOMPARE(statusValue(status, QStringLiteral("pending")), QStringLiteral("0"));
        QCOMPARE(statusValue(status, QStringLiteral("may already exist")), QStringLiteral("1"));

        // sync never sends it on its own: it ends as "needs attention" and keeps the row.
        const auto named = [this] {
            int count = 0;
            for (const QJsonValue &record : m_sandbox.opportunities()) {
                if (fieldValue(record.toObject(), QStringLiteral("$name"))
                    == QJsonValue(QStringLiteral("Held create")))
                    ++count;
            }
            return count;
        };
        QCOMPARE(named(), 0);
        const Result sync = app(workspace, {QStringLiteral("sync"), QStringLiteral("--once")});
        QCOMPARE(sync.code, 7);
        QCOMPARE(statusValue(sync, QStringLiteral("may already exist")), QStringLiteral("1"));
        QCOMPARE(named(), 0);
        status = app(workspace, {QStringLiteral("status")});
        QCOMPARE(statusValue(status, QStringLiteral("may already exist")), QStringLiteral("1"));
    }

    void csvExportNeutralisesFormulasButKeepsNumbers()
    {
        Workspace workspace = syncedWorkspace();
        const QString id = deal(2).value(QLatin1String("id")).toString();
        const QString formula = QStringLiteral("=HYPERLINK(\"http://x.invalid\",\"open\")");
        const Result edit = app(workspace,
            {QStringLiteral("edit"), id, QStringLiteral("$name=") + formula,
                QStringLiteral("$amount=-1200.5")});
        QVERIFY2(edit.code == 0, edit.err.constData());
        const Result csv = app(workspace,
            {QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("csv"),
                QStringLiteral("--output"), QStringLiteral("-")});
        QCOMPARE(csv.code, 0);
        const QList<QStringList> rows = parseCsv(QString::fromUtf8(csv.out));
        const QStringList header = rows.constFirst();
        bool found = false;
        for (const QStringList &row : rows.mid(1)) {
            if (row.constFirst() != id)
                continue;
            found = true;
            QCOMPARE(
                row.value(header.indexOf(QStringLiteral("$name"))), QLatin1Char('\'') + formula);
            QCOMPARE(
                row.value(header.indexOf(QStringLiteral("$amount"))), QStringLiteral("-1200.5"));
        }
        QVERIFY(found);
        // The raw (json) export keeps the exact value.
        const Result json = app(workspace,
            {QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("json"),
                QStringLiteral("--output"), QStringLiteral("-")});
        QVERIFY(json.out.contains(QJsonDocument(QJsonObject {{QStringLiteral("v"), formula}})
                                      .toJson(QJsonDocument::Compact)
                                      .mid(5)
                                      .chopped(1)));
        const Result help = app(workspace, {QStringLiteral("export"), QStringLiteral("--help")});
        QVERIFY(help.out.contains("apostrophe"));
    }
};

QTEST_GUILESS_MAIN(TestCliRecover)
#include "tst_clirecover.moc"
