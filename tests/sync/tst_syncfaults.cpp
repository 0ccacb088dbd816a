// The fault run and the randomised model test of SyncEngine against the in-process sandbox.
//
// Fault run: a seeded mix of every fault kind the sandbox has, LIGHTFIELD_FAULT_EDITS edits
// (default 500); every edit is applied exactly once (appliedByIdempotencyKey all 1) and the
// server ends as the edits say. Model test: LIGHTFIELD_MODEL_SEEDS seeds (default 4) of
// LIGHTFIELD_MODEL_STEPS random steps (default 150) of local edits, colleagues' edits,
// work-offline toggles, crashes and waits; then drain, answering each conflict "mine" or
// "theirs" at random, and check: exactly once, order per deal (re-keyed bodies included), the
// expected final value of every edit (below) and store == server. A failing run prints its
// seed; LIGHTFIELD_SEED replays one.
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
                QVERIFY2(RecordJson::sameValue(RecordJson::fieldValue(server, field.key()),
                             field.value(), RecordJson::fieldValueType(server, field.key())),
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
