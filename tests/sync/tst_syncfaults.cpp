// The fault run and the randomised model test of SyncEngine against the in-process sandbox.
//
// Fault run: LIGHTFIELD_FAULT_SEEDS seeds (default 4, consecutive from LIGHTFIELD_SEED, else
// from 20261123) of LIGHTFIELD_FAULT_EDITS edits each (default 40), under a seeded mix of every
// fault kind the sandbox has, while colleagues edit the same deals through the sandbox (some of
// our edits then end as conflicts, answered "mine"). Every edit is applied exactly once by its
// Idempotency-Key or ends as a conflict, nothing goes over a colleague's change silently, the
// server ends as the edits say and the store equals the server. A failing seed says how to
// replay it; the summary at the end counts seeds, edits, conflicts and faults by kind. QtTest's
// watchdog times the whole function, every seed of it: a long run needs QTEST_FUNCTION_TIMEOUT
// raised (scripts/faults does it). Model test:
// LIGHTFIELD_MODEL_SEEDS seeds (default 4) of LIGHTFIELD_MODEL_STEPS random steps (default 150) of
// local edits, colleagues' edits, work-offline toggles, crashes and waits; then drain, answering
// each conflict "mine" or "theirs" at random, and check: exactly once, order per deal (re-keyed
// bodies included), the expected final value of every edit (below) and store == server. A failing
// run prints its seed; LIGHTFIELD_SEED replays one.
//
// The model's expectations, per deal: `probability` (only the rep edits it) ends as the rep's
// last value; `nextSteps` (only colleagues edit it) as the colleagues' last value, never
// overwritten by the rep's writes; `$name` (both edit it) as the answer to its last conflict
// ("mine": the rep's last value; "theirs": the server's value when answered), and without a
// conflict as whichever came last on the server: the rep's last write, which must carry the
// rep's last value, or a colleague's change made after it.

#include "domain/recordjson.h"
#include "synctesthelpers.h"

#include "sync/conflictresolution.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QScopeGuard>
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

private:
    // The fault runs' totals over every seed, for the summary at the end.
    int m_seedsRun = 0;
    int m_editsRun = 0;
    int m_colleagueEdits = 0;
    int m_conflicts = 0;
    int m_writes = 0;
    int m_replays = 0;
    int m_faults = 0;
    QMap<QString, int> m_faultsByKind;
    QElapsedTimer m_wallTime;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_wallTime.start();
    }

    void cleanupTestCase()
    {
        if (m_seedsRun == 0)
            return;
        QStringList kinds;
        for (auto it = m_faultsByKind.cbegin(); it != m_faultsByKind.cend(); ++it)
            kinds << QStringLiteral("%1 %2").arg(it.key()).arg(it.value());
        qInfo().noquote() << QStringLiteral(
            "fault run total: %1 seeds x %2 edits, %3 colleague edits, %4 conflicts, %5 writes"
            " applied, %6 replays, %7 faults injected (%8), %9 s in all")
                                 .arg(m_seedsRun)
                                 .arg(m_editsRun / m_seedsRun)
                                 .arg(m_colleagueEdits)
                                 .arg(m_conflicts)
                                 .arg(m_writes)
                                 .arg(m_replays)
                                 .arg(m_faults)
                                 .arg(kinds.join(QStringLiteral(", ")))
                                 .arg(m_wallTime.elapsed() / 1000);
    }

    void faultRunAppliesEveryEditExactlyOnce_data()
    {
        QTest::addColumn<quint32>("seed");
        const int seeds = envInt("LIGHTFIELD_FAULT_SEEDS", 4);
        const quint32 base = quint32(envInt("LIGHTFIELD_SEED", 20261123));
        for (int i = 0; i < seeds; ++i) {
            const quint32 seed = base + quint32(i);
            QTest::newRow(qPrintable(QStringLiteral("seed %1").arg(seed))) << seed;
        }
    }

    void faultRunAppliesEveryEditExactlyOnce()
    {
        QFETCH(quint32, seed);
        const int edits = envInt("LIGHTFIELD_FAULT_EDITS", 40);
        qInfo("fault run: seed %u, %d edits", seed, edits);
        // Whatever fails below, the seed to replay is the last thing said about it.
        const auto replayHint = qScopeGuard([seed, edits] {
            if (QTest::currentTestFailed()) {
                qWarning("fault run failed: replay with LIGHTFIELD_SEED=%u LIGHTFIELD_FAULT_SEEDS=1"
                         " LIGHTFIELD_FAULT_EDITS=%d",
                    seed, edits);
            }
        });
        QElapsedTimer timer;
        timer.start();
        Harness h;
        h.transferTimeoutMs = 1000; // a hung request gives up after 1 s
        SandboxConfig config;
        config.faults.seed = seed; // the fault schedule's generator is seeded once, here
        QVERIFY(h.startServer(config, 30, seed));
        QVERIFY(h.open(false));
        QSignalSpy pulled(h.engine.get(), &SyncEngine::pullFinished);
        h.engine->start();
        QVERIFY(pulled.wait(30000));

        SandboxFaults &faults = h.server->config().faults;
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
        // Few deals, so that colleagues often change one whose edit is still queued.
        const QStringList deals = h.dealIds().mid(0, 12);
        // Every Idempotency-Key the queue ever held → its row (a row is re-keyed when a conflict
        // answer or a merge changes its body).
        QHash<QString, qint64> rowOfKey;
        const auto noteKeys = [&h, &rowOfKey] {
            for (const OutboxRow &row : h.outbox->rows())
                rowOfKey.insert(row.idempotencyKey, row.seq);
        };
        QObject::connect(h.outbox.get(), &Outbox::changed, h.outbox.get(), noteKeys);
        QHash<qint64, int> editOfRow; // one row per edit
        QSet<qint64> conflicted; // rows that ended as a conflict (then answered "mine")
        QHash<QString, QJsonValue> myName; // the rep's last value, per deal
        QHash<QString, QJsonValue> myProbability;
        QHash<QString, QJsonValue> colleagueName; // the colleagues' last value, per deal
        QHash<QString, int> colleagueNameAfter; // the server's applied writes before it
        QHash<QString, QList<std::pair<int, int>>> colleagueNames; // {edit, writes before it}
        QHash<QString, QJsonValue> colleagueNextSteps;
        int colleagueEdits = 0;
        const auto writesApplied
            = [&h] { return h.server->stats().value(QStringLiteral("writesApplied")).toInt(); };
        // The rep answers every conflict "mine" as soon as it shows: a row in conflict blocks
        // the later rows of its deal.
        const auto answerConflicts = [&] {
            for (const OutboxRow &row : h.outbox->rows()) {
                if (row.state != OutboxRow::State::Conflict)
                    continue;
                const ConflictResolution resolution
                    = ConflictResolution::resolveAll(parseObject(row.body), row.baseValues,
                        h.serverRecord(row.recordId), ConflictResolution::Choice::Mine);
                for (const Merge::FieldConflict &conflict : resolution.conflicts()) {
                    QVERIFY2(conflict.key == QLatin1String("$name"),
                        qPrintable(QStringLiteral("seed %1: a conflict on %2, which only one "
                                                  "side edits")
                                       .arg(seed)
                                       .arg(conflict.key)));
                }
                QVERIFY2(ConflictResolution::apply(*h.outbox, row.seq, resolution),
                    qPrintable(h.outbox->lastError()));
                conflicted.insert(row.seq);
            }
        };
        // An edit of a deal whose newest row was not sent yet would merge into that row; each
        // edit here waits for a deal without one, so that every edit is a row of its own.
        const auto hasUnsentRow = [&h](const QString &id) {
            const QList<OutboxRow> rows = h.outbox->rowsFor(kDeal, id);
            return !rows.isEmpty() && rows.last().attempts == 0
                && rows.last().state == OutboxRow::State::Pending;
        };
        for (int i = 0; i < edits; ++i) {
            QString id = deals.at(int(random.bounded(deals.size())));
            QVERIFY(waitFor(
                [&] {
                    answerConflicts();
                    for (int tries = 0; tries < 8 && hasUnsentRow(id); ++tries)
                        id = deals.at(int(random.bounded(deals.size())));
                    return QTest::currentTestFailed() || !hasUnsentRow(id);
                },
                60000));
            if (QTest::currentTestFailed())
                return;
            const bool name = random.bounded(2) == 0;
            const QString key = name ? QStringLiteral("$name") : QStringLiteral("probability");
            const QJsonValue value
                = name ? QJsonValue(QStringLiteral("Edit %1").arg(i)) : QJsonValue(i + 0.5);
            const auto row = h.edit(id, key, value);
            QVERIFY2(row, qPrintable(h.store->lastError()));
            QVERIFY2(!editOfRow.contains(row->seq),
                qPrintable(
                    QStringLiteral("seed %1: edit %2 merged into a queued row").arg(seed).arg(i)));
            editOfRow.insert(row->seq, i);
            noteKeys();
            (name ? myName : myProbability).insert(id, value);

            // A colleague changes a deal too, most often one whose edit is still queued: its
            // name (both sides edit it: a conflict when ours was not sent yet) or its next
            // steps (only colleagues edit it: merged). Only while none of ours is being checked
            // or sent (a change between our GET and our PATCH cannot be seen by any client,
            // the API has no conditional write), and past the re-check bound of our last check.
            if (random.bounded(3) == 0
                && waitFor([&h] { return h.engine->rowsInFlight() == 0; }, 2000)) {
                QString target = deals.at(int(random.bounded(deals.size())));
                if (random.bounded(4) != 0) {
                    for (const OutboxRow &queued : h.outbox->rows()) {
                        if (queued.state == OutboxRow::State::Pending) {
                            target = queued.recordId;
                            break;
                        }
                    }
                }
                h.clockOffsetMs += h.engineOptions.recheckAfterMs + 1000;
                if (random.bounded(4) != 0) {
                    const QJsonValue theirs = QStringLiteral("colleague %1").arg(i);
                    QVERIFY(h.colleagueEdit(target, QStringLiteral("$name"), theirs));
                    colleagueName.insert(target, theirs);
                    colleagueNameAfter.insert(target, writesApplied());
                    colleagueNames[target] << std::pair {i, writesApplied()};
                } else {
                    const QJsonValue theirs = QStringLiteral("next %1").arg(i);
                    QVERIFY(h.colleagueEdit(target, QStringLiteral("nextSteps"), theirs));
                    colleagueNextSteps.insert(target, theirs);
                }
                ++colleagueEdits;
            }
            if (random.bounded(8) == 0)
                QTest::qWait(int(random.bounded(20)));
        }
        QVERIFY2(waitFor(
                     [&] {
                         answerConflicts();
                         return QTest::currentTestFailed() || h.idle();
                     },
                     240000),
            qPrintable(QStringLiteral("seed %1: the outbox did not drain").arg(seed)));
        if (QTest::currentTestFailed())
            return;
        const qint64 drainMs = timer.elapsed();
        const QJsonObject stats = h.server->stats();
        faults = SandboxFaults();
        // The colleagues' changes that no write of ours brought back reach the store by a pull.
        QVERIFY2(
            h.pullOnce(), qPrintable(QStringLiteral("seed %1: the last pull failed").arg(seed)));
        QCOMPARE(h.outbox->counts().total(), 0);

        // Exactly once: no key applied twice, every applied key one the queue held, and each
        // edit's row applied under exactly one key, or two when it ended as a conflict (its own
        // write applied before a colleague's change, then the answer "mine" under a new key).
        const QJsonObject applied
            = stats.value(QStringLiteral("appliedByIdempotencyKey")).toObject();
        QHash<qint64, int> appliedOfRow;
        for (auto it = applied.begin(); it != applied.end(); ++it) {
            QVERIFY2(it.value().toInt() == 1,
                qPrintable(QStringLiteral("seed %1: key %2 applied %3 times")
                               .arg(seed)
                               .arg(it.key())
                               .arg(it.value().toInt())));
            QVERIFY2(rowOfKey.contains(it.key()),
                qPrintable(
                    QStringLiteral("seed %1: key %2 was never queued").arg(seed).arg(it.key())));
            ++appliedOfRow[rowOfKey.value(it.key())];
        }
        QCOMPARE(stats.value(QStringLiteral("idempotencyMismatches")).toInt(), 0);
        QCOMPARE(int(editOfRow.size()), edits);
        for (auto row = editOfRow.cbegin(); row != editOfRow.cend(); ++row) {
            const int times = appliedOfRow.value(row.key());
            const bool ok = conflicted.contains(row.key()) ? times >= 1 && times <= 2 : times == 1;
            QVERIFY2(ok,
                qPrintable(QStringLiteral("seed %1: edit %2 (row %3%4) applied under %5 keys")
                               .arg(seed)
                               .arg(row.value())
                               .arg(row.key())
                               .arg(conflicted.contains(row.key()) ? QStringLiteral(", a conflict")
                                                                   : QString())
                               .arg(times)));
        }

        // Never silently over a colleague: a write of the rep's name made after a colleague's
        // name (and before the write) replaces it only as the answer "mine" to a conflict.
        QHash<QString, QJsonValue> myLastNameWrite;
        QHash<QString, int> myLastNameWriteAt; // its ordinal among the applied writes
        int ordinal = 0;
        QHash<QString, int> previousWriteOf; // the ordinal of the deal's previous name write
        for (const QJsonObject &write : h.server->writeLog()) {
            if (!write.value(QStringLiteral("applied")).toBool())
                continue;
            ++ordinal;
            const QString deal
                = write.value(QStringLiteral("path")).toString().section(QLatin1Char('/'), -1);
            const QJsonObject fields = write.value(QStringLiteral("body"))
                                           .toObject()
                                           .value(QStringLiteral("fields"))
                                           .toObject();
            QVERIFY2(!fields.contains(QStringLiteral("nextSteps")),
                qPrintable(QStringLiteral("seed %1: the rep never edits nextSteps").arg(seed)));
            if (!fields.contains(QStringLiteral("$name")))
                continue;
            const qint64 row
                = rowOfKey.value(write.value(QStringLiteral("idempotencyKey")).toString(), -1);
            const int previousWrite = previousWriteOf.value(deal, 0);
            for (const auto &[colleagueEdit, appliedBefore] : colleagueNames.value(deal)) {
                const bool replaced = appliedBefore >= previousWrite && appliedBefore < ordinal;
                QVERIFY2(!replaced || editOfRow.value(row, -1) > colleagueEdit
                        || conflicted.contains(row),
                    qPrintable(QStringLiteral("seed %1 deal %2: write %3 went over the colleague's "
                                              "name of edit %4 without a conflict")
                                   .arg(seed)
                                   .arg(deal)
                                   .arg(ordinal)
                                   .arg(colleagueEdit)));
            }
            previousWriteOf.insert(deal, ordinal);
            myLastNameWrite.insert(deal, fields.value(QStringLiteral("$name")));
            myLastNameWriteAt.insert(deal, ordinal);
        }
        QCOMPARE(ordinal, stats.value(QStringLiteral("writesApplied")).toInt());

        // The server ends as the edits say, and the store equals the server.
        for (const QString &id : deals) {
            const QString where = QStringLiteral("seed %1 deal %2").arg(seed).arg(id);
            const QJsonObject server = h.serverRecord(id);
            const auto has = [&server](const QString &key, const QJsonValue &expected) {
                return RecordJson::sameValue(RecordJson::fieldValue(server, key), expected,
                    RecordJson::fieldValueType(server, key));
            };
            if (myProbability.contains(id)) {
                QVERIFY2(has(QStringLiteral("probability"), myProbability.value(id)),
                    qPrintable(where + QStringLiteral(": probability")));
            }
            if (colleagueNextSteps.contains(id)) {
                QVERIFY2(has(QStringLiteral("nextSteps"), colleagueNextSteps.value(id)),
                    qPrintable(where + QStringLiteral(": nextSteps")));
            }
            if (myName.contains(id)) {
                // Every conflict was answered "mine": the rep's last name went out, last.
                QVERIFY2(myLastNameWrite.value(id) == myName.value(id),
                    qPrintable(where + QStringLiteral(": the rep's last name was not sent")));
            }
            const bool colleagueLast = colleagueName.contains(id)
                && (!myLastNameWriteAt.contains(id)
                    || colleagueNameAfter.value(id) >= myLastNameWriteAt.value(id));
            if (colleagueLast || myName.contains(id)) {
                const QJsonValue expected
                    = colleagueLast ? colleagueName.value(id) : myName.value(id);
                QVERIFY2(has(QStringLiteral("$name"), expected),
                    qPrintable(where + QStringLiteral(": $name is ")
                        + RecordJson::fieldValue(server, QStringLiteral("$name")).toString()
                        + QStringLiteral(", expected ") + expected.toString()));
            }
            const std::optional<StoredRecord> stored = h.store->record(kDeal, id);
            QVERIFY2(stored && !stored->hasLocalChanges(), qPrintable(where));
            QVERIFY2(differingFields(h.localRecord(id), server, true).isEmpty(),
                qPrintable(where + QStringLiteral(": the store differs from the server in ")
                    + differingFields(h.localRecord(id), server, true).join(QLatin1Char(','))));
        }

        const QJsonObject injected = stats.value(QStringLiteral("faults")).toObject();
        int faultCount = 0;
        for (auto it = injected.begin(); it != injected.end(); ++it) {
            faultCount += it.value().toInt();
            m_faultsByKind[it.key()] += it.value().toInt();
        }
        ++m_seedsRun;
        m_editsRun += edits;
        m_conflicts += int(conflicted.size());
        m_colleagueEdits += colleagueEdits;
        m_faults += faultCount;
        m_writes += stats.value(QStringLiteral("writesApplied")).toInt();
        m_replays += stats.value(QStringLiteral("idempotentReplays")).toInt();
        qInfo().noquote() << QStringLiteral(
            "fault run seed %1: %2 edits, %3 colleague edits, %4 conflicts (answered mine),"
            " %5 writes applied, %6 replays, %7 faults %8, drained in %9 ms")
                                 .arg(seed)
                                 .arg(edits)
                                 .arg(colleagueEdits)
                                 .arg(conflicted.size())
                                 .arg(stats.value(QStringLiteral("writesApplied")).toInt())
                                 .arg(stats.value(QStringLiteral("idempotentReplays")).toInt())
                                 .arg(faultCount)
                                 .arg(QString::fromUtf8(
                                     QJsonDocument(injected).toJson(QJsonDocument::Compact)))
                                 .arg(drainMs);
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
        const QStringList deals = h.dealIds().mid(0, 8);
        // Every Idempotency-Key the queue ever held → (its row's seq, the order it was first
        // seen): rows are sent in seq order, and a row's bodies in the order they got keys.
        QHash<QString, std::pair<qint64, int>> keyOrder;
        int keysSeen = 0;
        const auto noteKeys = [&h, &keyOrder, &keysSeen] {
            for (const OutboxRow &row : h.outbox->rows()) {
                if (!keyOrder.contains(row.idempotencyKey))
                    keyOrder.insert(row.idempotencyKey, {row.seq, keysSeen++});
            }
        };
        const auto watchKeys = [&h, &noteKeys] {
            QObject::connect(h.outbox.get(), &Outbox::changed, h.outbox.get(), noteKeys);
        };
        watchKeys();
        QHash<QString, QJsonValue> myName; // the rep's last value, per deal
        QHash<QString, QJsonValue> myProbability;
        QHash<QString, QJsonValue> colleagueNextSteps; // the colleagues' last value
        QHash<QString, QJsonValue> colleagueName;
        QHash<QString, int> colleagueNameAfter; // how many writes the server had applied then
        const auto writesApplied
            = [&h] { return h.server->stats().value(QStringLiteral("writesApplied")).toInt(); };
        int crashes = 0;
        int offlineToggles = 0;
        int colleagueEdits = 0;
        int outages = 0;
        // The colleagues' `$name` changes of each deal: {step, writes the server had applied}.
        QHash<QString, QList<std::pair<int, int>>> colleagueNames;
        const auto baseFaults = [&faults, seed] {
            faults = SandboxFaults();
            faults.seed = seed;
            faults.rate500 = 0.05;
            faults.rateDropAfterWrite = 0.05;
            faults.rateTruncate = 0.02;
        };
        baseFaults();
        bool outage = false;
        for (int step = 0; step < steps; ++step) {
            const int dice = int(random.bounded(100));
            const QString id = deals.at(int(random.bounded(deals.size())));
            // A colleague's change lands while none of ours is being checked or sent (the API
            // has no conditional write, so a change between our GET and our PATCH cannot be
            // seen by any client), and at least the re-check bound after our last check.
            const bool colleagueStep = dice >= 45 && dice < 62;
            if (colleagueStep && !waitFor([&h] { return h.engine->rowsInFlight() == 0; }, 2000)) {
                continue;
            }
            if (dice < 45) {
                const bool name = random.bounded(2) == 0;
                const QJsonValue value = name
                    ? QJsonValue(QStringLiteral("s%1 e%2").arg(seed).arg(step))
                    : QJsonValue(step + 0.25);
                const auto row = h.edit(
                    id, name ? QStringLiteral("$name") : QStringLiteral("probability"), value);
                QVERIFY2(row, qPrintable(QStringLiteral("seed %1").arg(seed)));
                (name ? myName : myProbability).insert(id, value);
                noteKeys();
            } else if (dice < 55) {
                h.clockOffsetMs += h.engineOptions.recheckAfterMs + 1000;
                const QJsonValue value = QStringLiteral("c%1").arg(step);
                QVERIFY(h.colleagueEdit(id, QStringLiteral("nextSteps"), value));
                colleagueNextSteps.insert(id, value);
                ++colleagueEdits;
            } else if (dice < 62) {
                h.clockOffsetMs += h.engineOptions.recheckAfterMs + 1000;
                const QJsonValue value = QStringLiteral("colleague %1").arg(step);
                QVERIFY(h.colleagueEdit(id, QStringLiteral("$name"), value));
                colleagueName.insert(id, value);
                colleagueNameAfter.insert(id, writesApplied());
                colleagueNames[id] << std::pair {step, writesApplied()};
                ++colleagueEdits;
            } else if (dice < 68) {
                h.engine->setWorkOffline(!h.engine->isWorkingOffline());
                ++offlineToggles;
            } else if (dice < 72) {
                const bool offline = h.engine->isWorkingOffline();
                QVERIFY(h.reopen(false));
                watchKeys();
                noteKeys();
                h.engine->setWorkOffline(offline);
                h.engine->start();
                ++crashes;
            } else if (dice < 76) {
                // The server refuses every write for a while (reads still answer): sends fail
                // and wait for their retry while colleagues go on.
                outage = !outage;
                if (outage) {
                    faults.writesOnly = true;
                    faults.rate500 = 1.0;
                    ++outages;
                } else {
                    baseFaults();
                }
            } else if (dice < 80) {
                h.clockOffsetMs += 60LL * 60 * 1000; // an hour passes
            } else {
                QTest::qWait(int(random.bounded(40)));
            }
        }

        // Drain: back online, the rep answers each conflict "mine" or "theirs" (all its keys
        // alike, as the dialog's All mine / All theirs), as the seed says.
        faults = SandboxFaults();
        h.engine->setWorkOffline(false);
        QHash<QString, ConflictResolution::Choice> nameAnswer; // the last answer, per deal
        QHash<QString, QJsonValue> nameTheirs; // the server's $name when it was answered
        QSet<QString> answeredMine; // the rep's `$name` values kept by a "mine" answer
        int mine = 0;
        int theirs = 0;
        for (int round = 0; round < 40; ++round) {
            QVERIFY2(waitFor([&h] { return h.settled(); }, 60000),
                qPrintable(QStringLiteral("seed %1").arg(seed)));
            bool answered = false;
            for (const OutboxRow &row : h.outbox->rows()) {
                if (row.state != OutboxRow::State::Conflict)
                    continue;
                const auto choice = random.bounded(2) == 0 ? ConflictResolution::Choice::Mine
                                                           : ConflictResolution::Choice::Theirs;
                const QJsonObject server = h.serverRecord(row.recordId);
                const ConflictResolution resolution = ConflictResolution::resolveAll(
                    parseObject(row.body), row.baseValues, server, choice);
                for (const Merge::FieldConflict &conflict : resolution.conflicts()) {
                    QVERIFY2(conflict.key == QLatin1String("$name"),
                        qPrintable(QStringLiteral("seed %1: a conflict on %2, which only one "
                                                  "side edits")
                                       .arg(seed)
                                       .arg(conflict.key)));
                    nameAnswer.insert(row.recordId, choice);
                    if (choice == ConflictResolution::Choice::Mine)
                        answeredMine.insert(conflict.mine.toString());
                    nameTheirs.insert(row.recordId, RecordJson::fieldValue(server, conflict.key));
                }
                QVERIFY2(ConflictResolution::apply(*h.outbox, row.seq, resolution),
                    qPrintable(h.outbox->lastError()));
                ++(choice == ConflictResolution::Choice::Mine ? mine : theirs);
                answered = true;
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
        // Order per deal: applied writes follow the rows' order, re-keyed bodies included;
        // every key sent was one the queue held. Also: the rep's last applied `$name` write.
        QHash<QString, std::pair<qint64, int>> lastApplied;
        QHash<QString, QJsonValue> myLastNameWrite;
        QHash<QString, int> myLastNameWriteAt; // its ordinal among the server's applied writes
        QHash<QString, QList<std::pair<int, QString>>> myNameWrites; // {ordinal, value}
        int appliedOrdinal = 0;
        for (const QJsonValue &write : h.writes()) {
            const QJsonObject w = write.toObject();
            if (!w.value(QStringLiteral("applied")).toBool())
                continue;
            ++appliedOrdinal;
            const QString deal
                = w.value(QStringLiteral("path")).toString().section(QLatin1Char('/'), -1);
            const QString key = w.value(QStringLiteral("idempotencyKey")).toString();
            const auto order = keyOrder.constFind(key);
            QVERIFY2(order != keyOrder.constEnd(),
                qPrintable(QStringLiteral("seed %1: key %2 was never queued").arg(seed).arg(key)));
            if (lastApplied.contains(deal)) {
                QVERIFY2(*order > lastApplied.value(deal),
                    qPrintable(QStringLiteral("seed %1 deal %2: key %3 out of order")
                                   .arg(seed)
                                   .arg(deal, key)));
            }
            lastApplied.insert(deal, *order);
            const QJsonObject fields = w.value(QStringLiteral("body"))
                                           .toObject()
                                           .value(QStringLiteral("fields"))
                                           .toObject();
            QVERIFY2(!fields.contains(QStringLiteral("nextSteps")),
                qPrintable(QStringLiteral("seed %1: the rep never edits nextSteps").arg(seed)));
            if (fields.contains(QStringLiteral("$name"))) {
                const QString value = fields.value(QStringLiteral("$name")).toString();
                myLastNameWrite.insert(deal, value);
                myLastNameWriteAt.insert(deal, appliedOrdinal);
                myNameWrites[deal] << std::pair {appliedOrdinal, value};
            }
        }
        QCOMPARE(appliedOrdinal, stats.value(QStringLiteral("writesApplied")).toInt());
        // Never silently over a colleague: when the server's name was last set by a colleague
        // after the rep typed theirs (step N), the rep's name may replace it only after a
        // "mine". (Over a name our own write set, as after a "mine", it goes out as usual.)
        for (auto deal = myNameWrites.cbegin(); deal != myNameWrites.cend(); ++deal) {
            int previousWrite = 0;
            for (const auto &[ordinal, value] : deal.value()) {
                const int editStep = value.section(QStringLiteral(" e"), 1).toInt();
                for (const auto &[colleagueStep, appliedBefore] :
                    colleagueNames.value(deal.key())) {
                    const bool replacedByThisWrite
                        = appliedBefore >= previousWrite && appliedBefore < ordinal;
                    QVERIFY2(!replacedByThisWrite || colleagueStep < editStep
                            || answeredMine.contains(value),
                        qPrintable(QStringLiteral("seed %1 deal %2: \"%3\" was written over "
                                                  "the colleague's change of step %4")
                                       .arg(seed)
                                       .arg(deal.key(), value)
                                       .arg(colleagueStep)));
                }
                previousWrite = ordinal;
            }
        }

        // The expected final value of every field.
        for (const QString &id : deals) {
            const QString where = QStringLiteral("seed %1 deal %2").arg(seed).arg(id);
            const QJsonObject server = h.serverRecord(id);
            const auto expectField = [&](const QString &key, const QJsonValue &expected) {
                const QJsonValue actual = RecordJson::fieldValue(server, key);
                return RecordJson::sameValue(
                    actual, expected, RecordJson::fieldValueType(server, key));
            };
            if (myProbability.contains(id)) {
                QVERIFY2(expectField(QStringLiteral("probability"), myProbability.value(id)),
                    qPrintable(where + QStringLiteral(": probability")));
            }
            if (colleagueNextSteps.contains(id)) {
                QVERIFY2(expectField(QStringLiteral("nextSteps"), colleagueNextSteps.value(id)),
                    qPrintable(where + QStringLiteral(": nextSteps")));
            }
            std::optional<QJsonValue> expectedName; // none: nobody changed it
            if (nameAnswer.contains(id)) {
                expectedName = nameAnswer.value(id) == ConflictResolution::Choice::Mine
                    ? myName.value(id)
                    : nameTheirs.value(id);
            } else {
                if (myName.contains(id)) {
                    // Not answered "theirs": the rep's last value went out, in the last write.
                    QVERIFY2(myLastNameWrite.value(id) == myName.value(id),
                        qPrintable(where + QStringLiteral(": the rep's last name was not sent")));
                }
                const bool colleagueLast = colleagueName.contains(id)
                    && (!myLastNameWriteAt.contains(id)
                        || colleagueNameAfter.value(id) >= myLastNameWriteAt.value(id));
                if (colleagueLast)
                    expectedName = colleagueName.value(id);
                else if (myName.contains(id))
                    expectedName = myName.value(id);
            }
            if (expectedName) {
                QVERIFY2(expectField(QStringLiteral("$name"), *expectedName),
                    qPrintable(where + QStringLiteral(": $name is ")
                        + RecordJson::fieldValue(server, QStringLiteral("$name")).toString()
                        + QStringLiteral(", expected ") + expectedName->toString()));
            }
            // Store equals server.
            QVERIFY(!h.store->record(kDeal, id)->hasLocalChanges());
            QCOMPARE(differingFields(h.localRecord(id), h.serverRecord(id)), QStringList());
        }
        qInfo("model seed %u: %d steps, %d crashes, %d offline toggles, %d colleague edits,"
              " %d write outages, %d writes applied, %d conflicts answered mine, %d theirs,"
              " %d keys",
            seed, steps, crashes, offlineToggles, colleagueEdits, outages,
            stats.value(QStringLiteral("writesApplied")).toInt(), mine, theirs, keysSeen);
    }
};

QTEST_GUILESS_MAIN(TestSyncFaults)
#include "tst_syncfaults.moc"
