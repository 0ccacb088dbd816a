// The fault run and the randomised model test of SyncEngine (issue 4, item 8; reliability.md
// T2 and T4) against the in-process sandbox.
//
// Fault run: a seeded mix of every fault kind the sandbox has, LIGHTFIELD_FAULT_EDITS edits
// (default 500); every edit is applied exactly once (appliedByIdempotencyKey all 1) and the
// server ends as the edits say. Model test: LIGHTFIELD_MODEL_SEEDS seeds (default 4) of
// LIGHTFIELD_MODEL_STEPS random steps (default 150) of local edits, colleagues' edits,
// work-offline toggles, crashes and waits; then drain and check exactly once, order per deal
// and store == server. A failing run prints its seed; LIGHTFIELD_SEED replays one.

#include "synctesthelpers.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QStandardPaths>

using namespace SyncTest;

namespace {

int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok && value > 0 ? value : fallback;
}

} // namespace

class TestSyncFaults final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void faultRunAppliesEveryEditExactlyOnce()
    {
        const int edits = envInt("LIGHTFIELD_FAULT_EDITS", 500);
        const quint32 seed = quint32(envInt("LIGHTFIELD_SEED", 20261123));
        qInfo("fault run: seed %u, %d edits", seed, edits);
        Harness h;
        h.transferTimeoutMs = 1000; // a hung request gives up after 1 s
        QVERIFY(h.startServer({}, 60));
        QVERIFY(h.open(false));
        QSignalSpy pulled(h.engine.get(), &SyncEngine::pullFinished);
        h.engine->start();
        QVERIFY(pulled.wait(30000));

        SandboxFaults &faults = h.server->config().faults;
        faults.seed = seed;
        faults.rate500 = 0.05;
        faults.rate503 = 0.03;
        faults.rate408 = 0.03;
        faults.rate429 = 0.03;
        faults.rateDropAfterWrite = 0.05;
        faults.rateHang = 0.01;
        faults.rateTruncate = 0.03;
        faults.rateMalformed = 0.02;
        faults.rateUnknownValueType = 0.02;

        QRandomGenerator random(seed);
        const QStringList deals = h.dealIds().mid(0, 50);
        QHash<QString, QHash<QString, QJsonValue>> expected;
        QSet<QString> keys;
        QElapsedTimer timer;
        timer.start();
        // An edit of a deal whose newest row was not sent yet would merge into that row; each
        // edit here waits for a deal without one, so that every edit is a write of its own.
        const auto hasUnsentRow = [&h](const QString &id) {
            const QList<OutboxRow> rows = h.outbox->rowsFor(kDeal, id);
            return !rows.isEmpty() && rows.last().attempts == 0
                && rows.last().state == OutboxRow::State::Pending;
        };
        for (int i = 0; i < edits; ++i) {
            QString id = deals.at(int(random.bounded(deals.size())));
            QVERIFY(waitFor(
                [&] {
                    for (int tries = 0; tries < 8 && hasUnsentRow(id); ++tries)
                        id = deals.at(int(random.bounded(deals.size())));
                    return !hasUnsentRow(id);
                },
                60000));
            const bool name = random.bounded(2) == 0;
            const QString key = name ? QStringLiteral("$name") : QStringLiteral("probability");
            const QJsonValue value
                = name ? QJsonValue(QStringLiteral("Edit %1").arg(i)) : QJsonValue(i + 0.5);
            const auto row = h.edit(id, key, value);
            QVERIFY2(row, qPrintable(h.store->lastError()));
            keys.insert(row->idempotencyKey);
            expected[id][key] = value;
            if (random.bounded(8) == 0)
                QTest::qWait(int(random.bounded(20)));
        }
        QVERIFY2(h.waitIdle(240000), qPrintable(QStringLiteral("seed %1").arg(seed)));
        const qint64 drainMs = timer.elapsed();
        faults = SandboxFaults();

        const Outbox::Counts counts = h.outbox->counts();
        QCOMPARE(counts.total(), 0);
        const QJsonObject stats = h.server->stats();
        const QJsonObject applied
            = stats.value(QStringLiteral("appliedByIdempotencyKey")).toObject();
        for (auto it = applied.begin(); it != applied.end(); ++it)
            QVERIFY2(it.value().toInt() == 1, qPrintable(it.key()));
        int appliedOfOurs = 0;
        for (const QString &key : std::as_const(keys))
            appliedOfOurs += applied.value(key).toInt();
        QCOMPARE(stats.value(QStringLiteral("idempotencyMismatches")).toInt(), 0);
        for (auto deal = expected.begin(); deal != expected.end(); ++deal) {
            const QJsonObject server = h.serverRecord(deal.key());
            for (auto field = deal->begin(); field != deal->end(); ++field) {
                QVERIFY2(Merge::sameValue(Merge::fieldValue(server, field.key()), field.value(),
                             Merge::fieldValueType(server, field.key())),
                    qPrintable(deal.key() + QLatin1Char(' ') + field.key()));
            }
            QCOMPARE(differingFields(h.localRecord(deal.key()), server, true), QStringList());
        }
        qInfo().noquote() << QStringLiteral(
            "fault run: %1 edits -> %2 rows (keys), %3 applied by key, writesApplied %4,"
            " replays %5, idempotency conflicts %6, drained in %7 ms")
                                 .arg(edits)
                                 .arg(keys.size())
                                 .arg(appliedOfOurs)
                                 .arg(stats.value(QStringLiteral("writesApplied")).toInt())
                                 .arg(stats.value(QStringLiteral("idempotentReplays")).toInt())
                                 .arg(stats.value(QStringLiteral("idempotencyConflicts")).toInt())
                                 .arg(drainMs);
        qInfo().noquote() << "fault run: faults injected"
                          << QJsonDocument(stats.value(QStringLiteral("faults")).toObject())
                                 .toJson(QJsonDocument::Compact);
        // Values are unique, so every row's key was applied, once; one row per edit.
        QCOMPARE(appliedOfOurs, int(keys.size()));
        QCOMPARE(int(keys.size()), edits);
    }

    void randomisedEditsServerChangesReconnectsAndCrashes_data()
    {
        QTest::addColumn<quint32>("seed");
        const int replay = envInt("LIGHTFIELD_SEED", 0);
        if (replay > 0) {
            QTest::newRow("replay") << quint32(replay);
            return;
        }
        const int seeds = envInt("LIGHTFIELD_MODEL_SEEDS", 4);
        for (int i = 0; i < seeds; ++i)
            QTest::newRow(qPrintable(QStringLiteral("seed %1").arg(1000 + i))) << quint32(1000 + i);
    }

    void randomisedEditsServerChangesReconnectsAndCrashes()
    {
        QFETCH(quint32, seed);
        const int steps = envInt("LIGHTFIELD_MODEL_STEPS", 150);
        QRandomGenerator random(seed);
        Harness h;
        h.transferTimeoutMs = 1000;
        QVERIFY(h.startServer({}, 20, seed));
        QVERIFY(h.open(false));
        QSignalSpy pulled(h.engine.get(), &SyncEngine::pullFinished);
        h.engine->start();
        QVERIFY(pulled.wait(30000));
        SandboxFaults &faults = h.server->config().faults;
        faults.seed = seed;
        faults.rate500 = 0.05;
        faults.rateDropAfterWrite = 0.05;
        faults.rateTruncate = 0.02;

        const QStringList deals = h.dealIds().mid(0, 8);
        QHash<QString, QStringList> keysPerDeal; // in enqueue order
        int crashes = 0;
        int offlineToggles = 0;
        int colleagueEdits = 0;
        for (int step = 0; step < steps; ++step) {
            const int dice = int(random.bounded(100));
            const QString id = deals.at(int(random.bounded(deals.size())));
            if (dice < 45) {
                const bool name = random.bounded(2) == 0;
                const auto row = name ? h.edit(id, QStringLiteral("$name"),
                                     QStringLiteral("s%1 e%2").arg(seed).arg(step))
                                      : h.edit(id, QStringLiteral("probability"), step + 0.25);
                QVERIFY2(row, qPrintable(QStringLiteral("seed %1").arg(seed)));
                if (!keysPerDeal[id].contains(row->idempotencyKey))
                    keysPerDeal[id] << row->idempotencyKey;
            } else if (dice < 57) {
                QVERIFY(h.colleagueEdit(
                    id, QStringLiteral("nextSteps"), QStringLiteral("c%1").arg(step)));
                ++colleagueEdits;
            } else if (dice < 62) {
                QVERIFY(h.colleagueEdit(
                    id, QStringLiteral("$name"), QStringLiteral("colleague %1").arg(step)));
                ++colleagueEdits;
            } else if (dice < 70) {
                h.engine->setWorkOffline(!h.engine->isWorkingOffline());
                ++offlineToggles;
            } else if (dice < 75) {
                const bool offline = h.engine->isWorkingOffline();
                QVERIFY(h.reopen(false));
                h.engine->setWorkOffline(offline);
                h.engine->start();
                ++crashes;
            } else {
                QTest::qWait(int(random.bounded(40)));
            }
        }

        // Drain: back online, the user answers every conflict with "theirs".
        faults = SandboxFaults();
        h.engine->setWorkOffline(false);
        for (int round = 0; round < 20; ++round) {
            QVERIFY2(waitFor([&h] { return h.settled(); }, 60000),
                qPrintable(QStringLiteral("seed %1").arg(seed)));
            bool answered = false;
            for (const OutboxRow &row : h.outbox->rows()) {
                if (row.state == OutboxRow::State::Conflict) {
                    QVERIFY(h.outbox->discard(row.seq));
                    answered = true;
                }
            }
            if (!answered)
                break;
        }
        QVERIFY(h.waitIdle(60000));
        QVERIFY(h.pullOnce());
        QCOMPARE(h.outbox->counts().total(), 0);

        // Exactly once.
        const QJsonObject stats = h.server->stats();
        const QJsonObject applied
            = stats.value(QStringLiteral("appliedByIdempotencyKey")).toObject();
        for (auto it = applied.begin(); it != applied.end(); ++it)
            QVERIFY2(it.value().toInt() == 1, qPrintable(QStringLiteral("seed %1").arg(seed)));
        QCOMPARE(stats.value(QStringLiteral("idempotencyMismatches")).toInt(), 0);
        // Order per deal: applied writes follow enqueue order.
        QHash<QString, QStringList> appliedPerPath;
        for (const QJsonValue &write : h.writes()) {
            const QJsonObject w = write.toObject();
            if (w.value(QStringLiteral("applied")).toBool()) {
                appliedPerPath
                        [w.value(QStringLiteral("path")).toString().section(QLatin1Char('/'), -1)]
                    << w.value(QStringLiteral("idempotencyKey")).toString();
            }
        }
        for (auto it = appliedPerPath.begin(); it != appliedPerPath.end(); ++it) {
            const QStringList order = keysPerDeal.value(it.key());
            qsizetype last = -1;
            for (const QString &key : std::as_const(it.value())) {
                const qsizetype index = order.indexOf(key);
                if (index < 0)
                    continue; // a body re-keyed by a merge
                QVERIFY2(index > last,
                    qPrintable(QStringLiteral("seed %1 deal %2").arg(seed).arg(it.key())));
                last = index;
            }
        }
        // Store equals server.
        for (const QString &id : deals) {
            QVERIFY(!h.store->record(kDeal, id)->hasLocalChanges());
            QCOMPARE(differingFields(h.localRecord(id), h.serverRecord(id)), QStringList());
        }
        qInfo("model seed %u: %d steps, %d crashes, %d offline toggles, %d colleague edits,"
              " %d writes applied",
            seed, steps, crashes, offlineToggles, colleagueEdits,
            stats.value(QStringLiteral("writesApplied")).toInt());
    }
};

QTEST_GUILESS_MAIN(TestSyncFaults)
#include "tst_syncfaults.moc"
