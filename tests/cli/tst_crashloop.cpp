// The crash loop: 200 offline edits (creates, field edits, stage moves)
// over 50 deals are queued with `lightfield-deals edit/create`; then `lightfield-deals sync
// --once` runs against the sandbox process and is SIGKILLed after a random delay, N times
// (LIGHTFIELD_CRASHLOOP_N, default 25), with PRAGMA integrity_check after every kill. When the
// queue empties before the last iteration, 50 more edits are queued, so the kills land on
// work in progress. Finally one sync runs to completion, and the sandbox must show every edit
// exactly once: each queued Idempotency-Key applied once, no key applied twice, every deal
// with its last queued values, every created deal present once; the queue is empty.
//
// One writer per workspace: while each killed sync runs, a second process runs an `edit`
// (handed to the sync when it holds the workspace, queued by itself when it got the lock
// first or took over the lock the killed sync left). Every such edit that exited 0 was
// accepted and must arrive like the others.
//
// Environment: LIGHTFIELD_CRASHLOOP_N (iterations), LIGHTFIELD_CRASHLOOP_SEED (replays a
// run; printed), LIGHTFIELD_CRASHLOOP_MAX_DELAY_MS (kill delay is uniform in [0, this]).

#include "clitesthelpers.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QHash>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace CliTest;

namespace {

int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok ? value : fallback;
}

/// "ok", or the first problem integrity_check reports; *inFlight = rows left in flight.
QString integrityCheck(const QString &path, int *inFlight = nullptr)
{
    QString result;
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.open()) {
            result = QStringLiteral("cannot open: ") + db.lastError().text();
        } else {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("PRAGMA integrity_check")) && query.next())
                result = query.value(0).toString();
            else
                result = QStringLiteral("query failed: ") + query.lastError().text();
            if (inFlight
                && query.exec(
                    QStringLiteral("SELECT COUNT(*) FROM outbox WHERE state = 'inflight'"))
                && query.next())
                *inFlight = query.value(0).toInt();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
    return result;
}

struct Expected
{
    QHash<QString, QString> stage; ///< deal id (server or temporary) → option id
    QHash<QString, QString> nextSteps;
    QHash<QString, double> amount;
};

} // namespace

class TestCrashLoop : public QObject
{
    Q_OBJECT

private:
    QStringList m_options;
    QProcessEnvironment m_env;
    QRandomGenerator m_random;
    QStringList m_stageIds; ///< option ids of $stage
    QStringList m_deals; ///< the 50 server deals
    QHash<QString, QString> m_roundStage; ///< the server's stage when the round was queued
    Expected m_expected;
    QHash<QString, QString> m_createdNames; ///< temporary id → name
    QString m_accountId;
    int m_edits = 0;
    int m_creates = 0;

    Result app(QStringList arguments)
    {
        arguments << m_options;
        return runApp(arguments, m_env);
    }

    /// One edit through the CLI; false when the CLI refused it.
    bool queueEdit(const QString &dealId, bool allowCreate)
    {
        const int kind = int(m_random.bounded(10));
        const int n = m_edits++;
        if (allowCreate && kind == 0 && m_creates < 20) {
            const QString name = QStringLiteral("Crash create %1").arg(n);
            const Result created = app({QStringLiteral("create"), QStringLiteral("$name=") + name,
                QStringLiteral("$stage=opt_stage_discovery"),
                QStringLiteral("$account=") + m_accountId});
            if (created.code != 0)
                return false;
            const QString id = QString::fromUtf8(created.out).trimmed();
            m_createdNames.insert(id, name);
            m_expected.stage.insert(id, QStringLiteral("opt_stage_discovery"));
            m_roundStage.insert(id, QStringLiteral("opt_stage_discovery"));
            ++m_creates;
            return true;
        }
        if (kind <= 5) {
            const QString steps = QStringLiteral("edit %1").arg(n);
            const double amount = 1000 + n;
            const Result edited
                = app({QStringLiteral("edit"), dealId, QStringLiteral("nextSteps=") + steps,
                    QStringLiteral("$amount=") + QString::number(amount, 'f', 0)});
            if (edited.code != 0)
                return false;
            m_expected.nextSteps.insert(dealId, steps);
            m_expected.amount.insert(dealId, amount);
            return true;
        }
        // A stage move to a stage neither the server nor the queue has for the deal now.
        QStringList choices = m_stageIds;
        choices.removeAll(m_roundStage.value(dealId));
        choices.removeAll(m_expected.stage.value(dealId, m_roundStage.value(dealId)));
        const QString stage = choices.at(int(m_random.bounded(qsizetype(choices.size()))));
        const Result moved
            = app({QStringLiteral("edit"), dealId, QStringLiteral("$stage=") + stage});
        if (moved.code != 0)
            return false;
        m_expected.stage.insert(dealId, stage);
        return true;
    }

    /// The Idempotency-Keys of every queued row, from the app's own export.
    QSet<QString> queuedKeys()
    {
        const Result exported = app({QStringLiteral("export"), QStringLiteral("--format"),
            QStringLiteral("json"), QStringLiteral("--output"), QStringLiteral("-")});
        QSet<QString> keys;
        const QJsonObject types = QJsonDocument::fromJson(exported.out)
                                      .object()
                                      .value(QLatin1String("objectTypes"))
                                      .toObject();
        for (auto type = types.begin(); type != types.end(); ++type) {
            for (const QJsonValue &record : type.value().toArray()) {
                const QJsonArray edits = record.toObject()
                                             .value(QLatin1String("localState"))
                                             .toObject()
                                             .value(QLatin1String("edits"))
                                             .toArray();
                for (const QJsonValue &edit : edits)
                    keys.insert(edit.toObject().value(QLatin1String("idempotencyKey")).toString());
            }
        }
        return keys;
    }

    static int pendingCount(const Result &status)
    {
        const QStringList lines = QString::fromUtf8(status.out).split(QLatin1Char('\n'));
        for (const QString &line : lines) {
            if (line.startsWith(QLatin1String("pending: ")))
                return line.mid(9).toInt();
        }
        return -1;
    }

private Q_SLOTS:
    void crashLoopLosesAndDuplicatesNothing()
    {
        const int iterations = envInt("LIGHTFIELD_CRASHLOOP_N", 25);
        const int maxDelayMs = envInt("LIGHTFIELD_CRASHLOOP_MAX_DELAY_MS", 700);
        const quint32 seed = quint32(envInt(
            "LIGHTFIELD_CRASHLOOP_SEED", int(QRandomGenerator::global()->bounded(1, 1'000'000))));
        qInfo("crashloop: N=%d seed=%u max delay %d ms (replay: LIGHTFIELD_CRASHLOOP_SEED=%u)",
            iterations, seed, maxDelayMs, seed);
        m_random.seed(seed);
        QElapsedTimer clock;
        clock.start();

        Sandbox sandbox;
        QVERIFY(sandbox.start({QStringLiteral("--seed"), QString::number(seed % 1000 + 1),
            QStringLiteral("--opportunities"), QStringLiteral("50"), QStringLiteral("--latency-ms"),
            QStringLiteral("10")}));
        QTemporaryDir home;
        m_env = environment(home.path());
        const QString dataDir = home.path() + QStringLiteral("/lf");
        m_options = QStringList {QStringLiteral("--data-dir"), dataDir,
            QStringLiteral("--base-url"), sandbox.url().toString()};
        Result sync = app({QStringLiteral("sync"), QStringLiteral("--once")});
        QVERIFY2(sync.code == 0, sync.err.constData());
        QDirIterator files(
            dataDir, {QStringLiteral("cache.sqlite")}, QDir::Files, QDirIterator::Subdirectories);
        QVERIFY(files.hasNext());
        const QString databasePath = files.next();

        const QJsonObject definitions
            = sandbox.get(QStringLiteral("/v1/opportunities/definitions")).object();
        const QJsonArray options = definitions.value(QLatin1String("fieldDefinitions"))
                                       .toObject()
                                       .value(QLatin1String("$stage"))
                                       .toObject()
                                       .value(QLatin1String("typeConfiguration"))
                                       .toObject()
                                       .value(QLatin1String("options"))
                                       .toArray();
        for (const QJsonValue &option : options)
            m_stageIds << option.toObject().value(QLatin1String("id")).toString();
        QVERIFY(m_stageIds.size() >= 3);
        const QJsonArray initial = sandbox.opportunities();
        QCOMPARE(initial.size(), 50);
        for (const QJsonValue &value : initial) {
            const QJsonObject deal = value.toObject();
            const QString id = deal.value(QLatin1String("id")).toString();
            m_deals << id;
            m_roundStage.insert(id, fieldValue(deal, QStringLiteral("$stage")).toString());
            if (m_accountId.isEmpty()) {
                m_accountId = firstRelatedId(deal, QStringLiteral("$account"));
            }
        }

        // 200 offline edits: the first pass touches every deal, then random ones (and, now and
        // then, a deal created in this batch, by its temporary id).
        for (int i = 0; i < 200; ++i) {
            QString target = m_deals.at(i < 50 ? i : int(m_random.bounded(qsizetype(50))));
            if (i >= 50 && !m_createdNames.isEmpty() && m_random.bounded(8) == 0)
                target = m_createdNames.keys().at(
                    int(m_random.bounded(qsizetype(m_createdNames.size()))));
            QVERIFY2(queueEdit(target, true), qPrintable(target));
        }
        QSet<QString> expectedKeys = queuedKeys();
        const int firstRows = int(expectedKeys.size());
        Result status = app({QStringLiteral("status")});
        QCOMPARE(pendingCount(status), firstRows);
        qInfo("crashloop: queued %d edits (%d creates) as %d outbox rows in %.1f s", m_edits,
            m_creates, firstRows, clock.elapsed() / 1000.0);

        int killed = 0;
        int completed = 0;
        int refills = 0;
        int killedInFlight = 0; ///< kills that left rows in flight (sent, not yet acknowledged)
        QStringList integrityFailures;
        QSet<QString> parallelSteps; ///< nextSteps of the edits run beside a sync
        int handedOver = 0;
        for (int i = 0; i < iterations; ++i) {
            QProcess process;
            process.setProcessEnvironment(m_env);
            process.setStandardOutputFile(QProcess::nullDevice());
            process.setStandardErrorFile(QProcess::nullDevice());
            process.start(QStringLiteral(LIGHTFIELD_DEALS_EXECUTABLE),
                QStringList {QStringLiteral("sync"), QStringLiteral("--once")} + m_options);
            QVERIFY(process.waitForStarted());
            // The second process: an edit while the sync drives the workspace.
            const QString editDeal = m_deals.at(int(m_random.bounded(qsizetype(50))));
            const int editNumber = m_edits++;
            const QString editSteps = QStringLiteral("parallel %1").arg(editNumber);
            const double editAmount = 1000 + editNumber;
            QProcess editor;
            editor.setProcessEnvironment(m_env);
            editor.start(QStringLiteral(LIGHTFIELD_DEALS_EXECUTABLE),
                QStringList {QStringLiteral("edit"), editDeal,
                    QStringLiteral("nextSteps=") + editSteps,
                    QStringLiteral("$amount=") + QString::number(editAmount, 'f', 0)}
                    + m_options);
            QVERIFY(editor.waitForStarted());
            const int delay = int(m_random.bounded(maxDelayMs + 1));
            bool drained = false;
            if (process.waitForFinished(delay)) {
                ++completed;
                drained = process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
            } else {
                process.kill(); // SIGKILL
                process.waitForFinished();
                ++killed;
            }
            QVERIFY(editor.waitForFinished(60'000));
            const QByteArray editorErr = editor.readAllStandardError();
            QVERIFY2(editor.exitStatus() == QProcess::NormalExit && editor.exitCode() == 0,
                editorErr.constData());
            m_expected.nextSteps.insert(editDeal, editSteps);
            m_expected.amount.insert(editDeal, editAmount);
            parallelSteps.insert(editSteps);
            if (editorErr.contains("Handed to"))
                ++handedOver;
            int inFlight = 0;
            const QString integrity = integrityCheck(databasePath, &inFlight);
            if (inFlight > 0)
                ++killedInFlight;
            if (integrity != QLatin1String("ok"))
                integrityFailures << QStringLiteral("iteration %1: %2").arg(i).arg(integrity);
            if ((i + 1) % 100 == 0) {
                qInfo("crashloop: %d iterations, %d killed (%d in flight), %d integrity failures, "
                      "%.0f s",
                    i + 1, killed, killedInFlight, int(integrityFailures.size()),
                    clock.elapsed() / 1000.0);
            }
            expectedKeys.unite(queuedKeys());
            if (drained && i + 1 < iterations) {
                // Keep the kills on live work: queue 50 more edits over the server deals.
                for (const QString &id : std::as_const(m_deals))
                    m_roundStage.insert(id, m_expected.stage.value(id, m_roundStage.value(id)));
                for (int k = 0; k < 50; ++k)
                    QVERIFY(queueEdit(m_deals.at(int(m_random.bounded(qsizetype(50)))), false));
                expectedKeys.unite(queuedKeys());
                ++refills;
            }
        }

        // Let it finish.
        for (int attempt = 0; attempt < 5; ++attempt) {
            sync = app({QStringLiteral("sync"), QStringLiteral("--once")});
            if (sync.code == 0)
                break;
        }
        QVERIFY2(sync.code == 0, sync.err.constData());
        status = app({QStringLiteral("status")});
        const QString statusText = QString::fromUtf8(status.out);
        QVERIFY2(statusText.contains(QLatin1String("pending: 0\nparked: 0\nconflicts: 0\n")),
            qPrintable(statusText));
        const QString finalIntegrity = integrityCheck(databasePath);
        if (finalIntegrity != QLatin1String("ok"))
            integrityFailures << QStringLiteral("final: ") + finalIntegrity;

        // A parallel edit handed to a sync may have been sent before any export saw its row:
        // its key is known by its write (the log), and expected like the others.
        const QJsonArray writes = sandbox.get(QStringLiteral("/__sandbox/writes"))
                                      .object()
                                      .value(QLatin1String("writes"))
                                      .toArray();
        for (const QJsonValue &value : writes) {
            const QJsonObject write = value.toObject();
            const QString steps = write.value(QLatin1String("body"))
                                      .toObject()
                                      .value(QLatin1String("fields"))
                                      .toObject()
                                      .value(QLatin1String("nextSteps"))
                                      .toString();
            if (parallelSteps.contains(steps))
                expectedKeys.insert(write.value(QLatin1String("idempotencyKey")).toString());
        }
        qInfo("crashloop: %d edits beside a running sync, %d of them handed to it",
            int(parallelSteps.size()), handedOver);

        // Counted by key.
        const QJsonObject stats = sandbox.get(QStringLiteral("/__sandbox/stats")).object();
        const QJsonObject applied
            = stats.value(QLatin1String("appliedByIdempotencyKey")).toObject();
        int duplicatedKeys = 0;
        int unexpectedKeys = 0;
        for (auto it = applied.begin(); it != applied.end(); ++it) {
            if (it.value().toInt() != 1)
                ++duplicatedKeys;
            if (!expectedKeys.contains(it.key()))
                ++unexpectedKeys;
        }
        int lostKeys = 0;
        for (const QString &key : std::as_const(expectedKeys)) {
            if (applied.value(key).toInt() < 1)
                ++lostKeys;
        }

        // Counted by value: every deal shows its last queued values; each create exists once.
        const QJsonArray final = sandbox.opportunities();
        QHash<QString, QJsonObject> byId;
        QHash<QString, QList<QJsonObject>> byName;
        for (const QJsonValue &value : final) {
            const QJsonObject deal = value.toObject();
            byId.insert(deal.value(QLatin1String("id")).toString(), deal);
            byName[fieldValue(deal, QStringLiteral("$name")).toString()].append(deal);
        }
        int lostCreates = 0;
        int duplicatedCreates = 0;
        QHash<QString, QString> serverId; // temporary id → server id
        for (auto it = m_createdNames.begin(); it != m_createdNames.end(); ++it) {
            const qsizetype copies = byName.value(it.value()).size();
            if (copies == 0)
                ++lostCreates;
            else if (copies > 1)
                ++duplicatedCreates;
            else
                serverId.insert(it.key(),
                    byName.value(it.value()).constFirst().value(QLatin1String("id")).toString());
        }
        int lostValues = 0;
        QStringList examples;
        const auto checkValue = [&](const QString &deal, const QString &key,
                                    const QJsonValue &want) {
            const QString id = serverId.value(deal, deal);
            const QJsonValue have = fieldValue(byId.value(id), key);
            const bool same = want.isDouble() ? have.toDouble() == want.toDouble() : have == want;
            if (!same) {
                ++lostValues;
                if (examples.size() < 5)
                    examples << QStringLiteral("%1 %2").arg(id, key);
            }
        };
        for (auto it = m_expected.stage.begin(); it != m_expected.stage.end(); ++it)
            checkValue(it.key(), QStringLiteral("$stage"), it.value());
        for (auto it = m_expected.nextSteps.begin(); it != m_expected.nextSteps.end(); ++it)
            checkValue(it.key(), QStringLiteral("nextSteps"), it.value());
        for (auto it = m_expected.amount.begin(); it != m_expected.amount.end(); ++it)
            checkValue(it.key(), QStringLiteral("$amount"), it.value());
        QCOMPARE(final.size(), 50 + m_creates - lostCreates + duplicatedCreates);

        qInfo("crashloop: iterations %d (killed %d, %d of them with writes in flight; finished "
              "before the kill %d; refills %d; idempotent replays %d); "
              "integrity failures %d; edits %d in %d rows (keys); lost: keys %d, values %d, "
              "creates %d; duplicated: keys %d, creates %d; keys applied that were never "
              "queued %d; writes applied %d; %.1f s; seed %u",
            iterations, killed, killedInFlight, completed, refills,
            stats.value(QLatin1String("idempotentReplays")).toInt(), int(integrityFailures.size()),
            m_edits, int(expectedKeys.size()), lostKeys, lostValues, lostCreates, duplicatedKeys,
            duplicatedCreates, unexpectedKeys, stats.value(QLatin1String("writesApplied")).toInt(),
            clock.elapsed() / 1000.0, seed);
        QVERIFY2(
            integrityFailures.isEmpty(), qPrintable(integrityFailures.join(QLatin1String("; "))));
        QCOMPARE(lostKeys, 0);
        QVERIFY2(lostValues == 0, qPrintable(examples.join(QLatin1String(", "))));
        QCOMPARE(lostCreates, 0);
        QCOMPARE(duplicatedKeys, 0);
        QCOMPARE(duplicatedCreates, 0);
        QCOMPARE(unexpectedKeys, 0);
        QCOMPARE(stats.value(QLatin1String("writesApplied")).toInt(), int(expectedKeys.size()));
    }
};

int main(int argc, char *argv[])
{
    // N = 1000 runs for many minutes: lift QTest's 5-minute limit per function (unless set).
    if (!qEnvironmentVariableIsSet("QTEST_FUNCTION_TIMEOUT"))
        qputenv("QTEST_FUNCTION_TIMEOUT", "14400000");
    QCoreApplication app(argc, argv);
    TestCrashLoop test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_crashloop.moc"
