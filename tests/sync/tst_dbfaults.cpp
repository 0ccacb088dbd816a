// Database faults at engine level. During a push and during a pull, the statements the store
// runs fail in turn, once each: n = 1 … the statements of a clean run, with SQLITE_BUSY (still
// busy after every retry), SQLITE_IOERR and SQLITE_FULL (LocalStore::setFailAfter()). The same
// engine carries on, and it must converge: every queued edit reaches the server exactly once
// (the sandbox's appliedByIdempotencyKey and its write log), nothing is lost or doubled, and
// the store equals the server.
//
// Push: five rows, one per path of the pusher: a plain update, a create, an update a
// colleague's change of the same field makes a conflict (answered "mine" after the run), an
// update whose other key a colleague set alike (sent under a new key without it) and one a
// colleague made exactly (nothing to send). Pull: a colleague's edit, a new deal, a deleted
// deal and an edit of the deal whose queued row waits in conflict (its local copy rebuilt). A
// pull that failed must succeed when run again; a pull that says ok must have stored
// everything. Then one more clean pull, after more changes on the server, must leave the store
// equal to the server: a fault must leave nothing behind that breaks the run after it.
//
// While a fault is armed the test runs no statement of its own (they would count, and could
// take the fault): it waits for the engine's signals and reads the store afterwards.
// Each round is cheap (a few deals, no rate limit, one write in flight, so that a run's
// statements come in the same order every time); the loop itself is kept whole.

#include "domain/recordjson.h"
#include "synctesthelpers.h"

#include "sync/conflictresolution.h"

#include <QElapsedTimer>
#include <QStandardPaths>

#include <algorithm>

using namespace SyncTest;

namespace {

const QString kName = QStringLiteral("$name");
const QString kProbability = QStringLiteral("probability");
const QString kNextSteps = QStringLiteral("nextSteps");

/** How long one run may take to finish after its fault. */
constexpr int kRunTimeoutMs = 15000;

const char *faultName(LocalStore::InjectedFault fault)
{
    switch (fault) {
    case LocalStore::InjectedFault::Generic:
        return "generic";
    case LocalStore::InjectedFault::Busy:
        return "SQLITE_BUSY";
    case LocalStore::InjectedFault::IoError:
        return "SQLITE_IOERR";
    case LocalStore::InjectedFault::DiskFull:
        return "SQLITE_FULL";
    }
    return "?";
}

/** A deal body for a create, valid for the sandbox: name, a stage and an account. */
QJsonObject newDealBody(const QJsonObject &sample, const QString &name)
{
    return {
        {QStringLiteral("fields"),
            QJsonObject {{kName, name},
                {QStringLiteral("$stage"),
                    RecordJson::fieldValue(sample, QStringLiteral("$stage"))}}},
        {QStringLiteral("relationships"),
            QJsonObject {{QStringLiteral("$account"),
                RecordJson::relatedIds(sample, QStringLiteral("$account")).value(0)}}},
    };
}

} // namespace

class TestDbFaults final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Harness> h;
    QStringList m_deals;
    int m_round = 0;

    /** A sandbox without rate limits, a store filled by a first pull, no engine. */
    bool setUpHarness(int deals)
    {
        h = std::make_unique<Harness>();
        h->inMemoryStore = true;
        h->engineOptions.maxWritesInFlight = 1;
        // A store write that failed is recorded again after 2, 4, … 50 ms.
        h->engineOptions.retryBaseMs = 2;
        h->engineOptions.retryCapMs = 50;
        h->engineOptions.pullTypes = {kDeal};
        SandboxConfig config;
        config.rateLimitRead = 10000;
        config.rateLimitWrite = 10000;
        config.rateLimitSearch = 10000;
        if (!h->startServer(config, deals) || !h->open(false))
            return false;
        QSignalSpy pulled(h->engine.get(), &SyncEngine::pullFinished);
        h->engine->start();
        if (!pulled.wait(30000) || !pulled.first().at(0).toBool())
            return false;
        h->engine.reset();
        m_deals = h->dealIds();
        m_round = 0;
        return true;
    }

    /** Starts the engine with the fault armed at statement `n` (0: none); the count before. */
    qint64 startArmed(int n, LocalStore::InjectedFault fault)
    {
        const qint64 before = h->store->statementCount();
        h->store->setFailAfter(n, fault);
        h->engine->start();
        return before;
    }

    /** An edit of several fields of a deal, as the form queues it. */
    std::optional<OutboxRow> editFields(const QString &id, const QJsonObject &fields)
    {
        const QJsonObject local = h->localRecord(id);
        QJsonObject base;
        for (auto it = fields.begin(); it != fields.end(); ++it)
            base.insert(it.key(), RecordJson::fieldValue(local, it.key()));
        return h->outbox->enqueueUpdate(kDeal, id,
            compactJson(QJsonObject {{QStringLiteral("fields"), fields}}), h->storedUpdatedAt(id),
            base, {}, h->engineOptions.clock());
    }

    /** The server's value of `key` of deal `id` is `expected`. */
    bool serverHas(const QString &id, const QString &key, const QJsonValue &expected)
    {
        const QJsonObject server = h->serverRecord(id);
        return RecordJson::sameValue(
            RecordJson::fieldValue(server, key), expected, RecordJson::fieldValueType(server, key));
    }

    /** The store's effective copy of deal `id` equals the server's, with nothing queued. */
    QString storeMatchesServer(const QString &id)
    {
        const std::optional<StoredRecord> stored = h->store->record(kDeal, id);
        if (!stored)
            return QStringLiteral("%1 is not in the store").arg(id);
        if (stored->hasLocalChanges())
            return QStringLiteral("%1 still has a local copy").arg(id);
        const QStringList differing
            = differingFields(parseObject(stored->json), h->serverRecord(id));
        if (!differing.isEmpty())
            return QStringLiteral("%1 differs in %2").arg(id, differing.join(QLatin1Char(',')));
        return {};
    }

    // --- push ---

    struct PushRound
    {
        qint64 statements = 0; ///< the run's statements until it drained
        bool fired = false; ///< the fault hit one of them
    };

    /**
     * Queues the five rows (no engine), runs a fresh engine with the fault armed at statement
     * `n` until it drained, answers the conflict "mine", and checks what reached the server.
     */
    void pushRound(int n, LocalStore::InjectedFault fault, PushRound *out)
    {
        const QString where = QStringLiteral("%1 at statement %2 of the push")
                                  .arg(QLatin1String(faultName(fault)))
                                  .arg(n);
        const int round = ++m_round;
        const QString plain = m_deals.at(0);
        const QString conflicting = m_deals.at(1);
        const QString partly = m_deals.at(2);
        const QString alike = m_deals.at(3);
        h->server->resetStats();

        const QJsonValue plainName = QStringLiteral("plain %1").arg(round);
        const auto plainRow = h->edit(plain, kName, plainName);
        QVERIFY(plainRow);
        const QJsonValue mine = QStringLiteral("mine %1").arg(round);
        const auto conflictRow = h->edit(conflicting, kName, mine);
        QVERIFY(conflictRow);
        QVERIFY(h->colleagueEdit(conflicting, kName, QStringLiteral("theirs %1").arg(round)));
        const QJsonValue partlyName = QStringLiteral("partly %1").arg(round);
        const QJsonValue partlyProbability = double(round % 90) + 0.5;
        const auto partlyRow
            = editFields(partly, {{kName, partlyName}, {kProbability, partlyProbability}});
        QVERIFY(partlyRow);
        QVERIFY(h->colleagueEdit(partly, kProbability, partlyProbability));
        const QJsonValue alikeName = QStringLiteral("alike %1").arg(round);
        QVERIFY(h->edit(alike, kName, alikeName));
        QVERIFY(h->colleagueEdit(alike, kName, alikeName));
        const QString createdName = QStringLiteral("created %1").arg(round);
        const QString temporaryId = Outbox::newTemporaryId();
        const auto createRow = h->outbox->enqueueCreate(kDeal, temporaryId,
            compactJson(newDealBody(h->serverRecord(plain), createdName)), {},
            h->engineOptions.clock());
        QVERIFY(createRow);

        h->makeEngine(false);
        QSignalSpy drained(h->engine.get(), &SyncEngine::drained);
        const qint64 before = startArmed(n, fault);
        QVERIFY2(waitFor([&] { return !drained.isEmpty() && h->engine->rowsInFlight() == 0; },
                     kRunTimeoutMs),
            qPrintable(
                where + QStringLiteral(": the engine did not drain; ") + h->store->lastError()));
        h->store->setFailAfter(0);
        out->statements = h->store->statementCount() - before;
        out->fired = n > 0 && out->statements >= n;

        // The rep answers the conflict "mine" (if the fault did not keep it from happening,
        // the row was sent as it is: then there is nothing to answer and no write of it).
        QVERIFY2(h->waitIdle(kRunTimeoutMs), qPrintable(where));
        int conflicts = 0;
        for (const OutboxRow &row : h->outbox->rows()) {
            QVERIFY2(row.state == OutboxRow::State::Conflict && row.recordId == conflicting,
                qPrintable(where
                    + QStringLiteral(": row %1 of %2 left %3")
                          .arg(row.seq)
                          .arg(row.recordId, Outbox::stateName(row.state))));
            const ConflictResolution resolution
                = ConflictResolution::resolveAll(parseObject(row.body), row.baseValues,
                    h->serverRecord(row.recordId), ConflictResolution::Choice::Mine);
            QVERIFY(ConflictResolution::apply(*h->outbox, row.seq, resolution));
            ++conflicts;
        }
        QCOMPARE(conflicts, 1);
        QVERIFY2(h->waitIdle(kRunTimeoutMs), qPrintable(where));
        QCOMPARE(h->outbox->counts().total(), 0);

        // Exactly once: four writes (the plain update, the create, the conflict answered, the
        // rest of the partly alike one), each under a key of its own, applied once; the one a
        // colleague made alike is not written at all.
        const QJsonObject stats = h->server->stats();
        const QJsonObject applied
            = stats.value(QStringLiteral("appliedByIdempotencyKey")).toObject();
        for (auto it = applied.begin(); it != applied.end(); ++it)
            QVERIFY2(it.value().toInt() == 1,
                qPrintable(
                    where + QStringLiteral(": key applied %1 times").arg(it.value().toInt())));
        QCOMPARE(stats.value(QStringLiteral("idempotencyMismatches")).toInt(), 0);
        QVERIFY2(stats.value(QStringLiteral("writesApplied")).toInt() == 4,
            qPrintable(where
                + QStringLiteral(": %1 writes applied")
                      .arg(stats.value(QStringLiteral("writesApplied")).toInt())));
        QCOMPARE(applied.size(), 4);
        QHash<QString, QString> keyOf; // deal (or "create") → the key of its applied write
        for (const QJsonObject &write : h->server->writeLog()) {
            if (!write.value(QStringLiteral("applied")).toBool())
                continue;
            const QString path = write.value(QStringLiteral("path")).toString();
            const QString deal = path.section(QLatin1Char('/'), -1);
            keyOf.insert(
                path.endsWith(QLatin1String("/opportunities")) ? QStringLiteral("create") : deal,
                write.value(QStringLiteral("idempotencyKey")).toString());
        }
        QCOMPARE(keyOf.value(plain), plainRow->idempotencyKey);
        QCOMPARE(keyOf.value(QStringLiteral("create")), createRow->idempotencyKey);
        QVERIFY(
            keyOf.contains(conflicting) && keyOf.value(conflicting) != conflictRow->idempotencyKey);
        QVERIFY(keyOf.contains(partly) && keyOf.value(partly) != partlyRow->idempotencyKey);
        QVERIFY(!keyOf.contains(alike));

        // Nothing lost: every edit shows on the server, and the store shows the server.
        QVERIFY2(serverHas(plain, kName, plainName), qPrintable(where));
        QVERIFY2(serverHas(conflicting, kName, mine), qPrintable(where));
        QVERIFY2(serverHas(partly, kName, partlyName), qPrintable(where));
        QVERIFY2(serverHas(partly, kProbability, partlyProbability), qPrintable(where));
        QVERIFY2(serverHas(alike, kName, alikeName), qPrintable(where));
        QStringList created;
        for (const QString &id : h->dealIds()) {
            if (RecordJson::fieldValue(h->serverRecord(id), kName).toString() == createdName)
                created << id;
        }
        QCOMPARE(created.size(), 1);
        QVERIFY2(!h->store->record(kDeal, temporaryId), qPrintable(where));
        for (const QString &id : {plain, conflicting, partly, alike, created.first()}) {
            const QString mismatch = storeMatchesServer(id);
            QVERIFY2(mismatch.isEmpty(), qPrintable(where + QStringLiteral(": ") + mismatch));
        }
        h->engine.reset();
    }

    // --- pull ---

    QStringList m_serverCreated; ///< deals made on the server by the rounds, oldest first

    /** Changes on the server between two pulls: edits, a new deal, a deleted deal. */
    void changeServer(const QString &tag)
    {
        const QString queued = m_deals.at(0); // its row waits in conflict: a local copy
        QVERIFY(h->colleagueEdit(m_deals.at(1), kName, QStringLiteral("colleague %1").arg(tag)));
        QVERIFY(h->colleagueEdit(queued, kNextSteps, QStringLiteral("colleague %1").arg(tag)));
        const auto created = h->server->store().create(
            kDeal, newDealBody(h->serverRecord(queued), QStringLiteral("server %1").arg(tag)));
        QVERIFY(std::holds_alternative<QJsonObject>(created));
        m_serverCreated << std::get<QJsonObject>(created).value(QStringLiteral("id")).toString();
        if (m_serverCreated.size() > 1)
            QVERIFY(h->server->store().remove(kDeal, m_serverCreated.takeFirst()));
    }

    /** The store holds the server's deals, as the server has them, and no deleted one. */
    QString storeEqualsServer()
    {
        QStringList server = h->dealIds();
        server.sort();
        QStringList stored;
        for (const StoredRecord &record : h->store->records(kDeal))
            stored << record.id;
        stored.sort();
        if (stored != server) {
            return QStringLiteral("the store holds %1, the server %2")
                .arg(stored.join(QLatin1Char(' ')), server.join(QLatin1Char(' ')));
        }
        for (const QString &id : std::as_const(server)) {
            const std::optional<StoredRecord> record = h->store->record(kDeal, id);
            const QJsonObject serverCopy = h->serverRecord(id);
            if (record->updatedAt != serverCopy.value(QStringLiteral("updatedAt")).toString())
                return QStringLiteral("%1 is stored as of %2").arg(id, record->updatedAt);
            QStringList differing = differingFields(parseObject(record->json), serverCopy);
            if (!differing.isEmpty())
                return QStringLiteral("%1 differs in %2").arg(id, differing.join(QLatin1Char(',')));
            // The deal with a queued edit shows the server's copy with that edit on top.
            const QStringList expectedLocal
                = id == m_deals.at(0) ? QStringList {kName} : QStringList();
            differing = record->hasLocalChanges()
                ? differingFields(parseObject(record->localJson), serverCopy)
                : QStringList();
            if (differing != expectedLocal || record->hasLocalChanges() != !expectedLocal.isEmpty())
                return QStringLiteral(
                    "the local copy of %1 is not the server's with its queued edit")
                    .arg(id);
        }
        return {};
    }

    /**
     * Changes the server, runs a fresh engine with the fault armed at statement `n` until its
     * pull finished, pulls again if it failed, then changes the server once more and pulls
     * once more; the store must equal the server after each pull that says ok.
     */
    void pullRound(int n, LocalStore::InjectedFault fault, qint64 *statements)
    {
        const QString where = QStringLiteral("%1 at statement %2 of the pull")
                                  .arg(QLatin1String(faultName(fault)))
                                  .arg(n);
        const int round = ++m_round;
        changeServer(QStringLiteral("%1").arg(round));
        h->makeEngine(false);
        QSignalSpy pulled(h->engine.get(), &SyncEngine::pullFinished);
        const QDateTime startedAt = h->engineOptions.clock();
        const qint64 before = startArmed(n, fault);
        QVERIFY2(waitFor([&] { return !pulled.isEmpty(); }, kRunTimeoutMs),
            qPrintable(where + QStringLiteral(": no end")));
        QVERIFY2(waitFor([&] { return h->engine->rowsInFlight() == 0; }, kRunTimeoutMs),
            qPrintable(where));
        h->store->setFailAfter(0);
        *statements = h->store->statementCount() - before;
        if (pulled.first().at(0).toBool()) {
            // Ok means stored: the definitions and the time of the sweep as well.
            const std::optional<StoredDefinitions> definitions = h->store->definitions(kDeal);
            QVERIFY2(definitions && definitions->fetchedAt >= startedAt,
                qPrintable(where + QStringLiteral(": the pull said ok, but kept old definitions")));
            QVERIFY2(QDateTime::fromString(
                         h->store->meta(StoreMeta::kLastFullSweepAt).value_or(QString()),
                         Qt::ISODateWithMs)
                    >= startedAt,
                qPrintable(where + QStringLiteral(": the pull said ok, but not when it swept")));
            const QString mismatch = storeEqualsServer();
            QVERIFY2(mismatch.isEmpty(),
                qPrintable(where + QStringLiteral(": the pull said ok, but ") + mismatch));
        } else {
            QVERIFY2(h->pullOnce(), qPrintable(where + QStringLiteral(": the next pull failed")));
            const QString mismatch = storeEqualsServer();
            QVERIFY2(mismatch.isEmpty(),
                qPrintable(where + QStringLiteral(": after the next pull, ") + mismatch));
        }
        // The run after: nothing the fault left behind may keep it from converging.
        changeServer(QStringLiteral("%1 after").arg(round));
        QVERIFY2(h->pullOnce(), qPrintable(where + QStringLiteral(": the pull after failed")));
        const QString mismatch = storeEqualsServer();
        QVERIFY2(mismatch.isEmpty(),
            qPrintable(where + QStringLiteral(": the pull after: ") + mismatch));
        h->engine.reset();
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void faults_data()
    {
        QTest::addColumn<int>("fault");
        QTest::newRow("busy") << int(LocalStore::InjectedFault::Busy);
        QTest::newRow("ioerr") << int(LocalStore::InjectedFault::IoError);
        QTest::newRow("full") << int(LocalStore::InjectedFault::DiskFull);
    }

    void pushConvergesAfterEachStatementFails_data() { faults_data(); }

    void pushConvergesAfterEachStatementFails()
    {
        QFETCH(int, fault);
        const auto kind = LocalStore::InjectedFault(fault);
        QVERIFY(setUpHarness(6));
        h->engineOptions.pullTypes = {}; // the push alone
        QElapsedTimer timer;
        timer.start();
        PushRound clean;
        pushRound(0, kind, &clean);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(clean.statements > 20);
        int fired = 0;
        for (int n = 1; n <= clean.statements; ++n) {
            PushRound round;
            pushRound(n, kind, &round);
            if (QTest::currentTestFailed()) {
                qWarning("push: %s at statement %d of %lld failed", faultName(kind), n,
                    clean.statements);
                return;
            }
            fired += round.fired ? 1 : 0;
        }
        qInfo("push, %s: %lld statements in a clean run, each failed in turn (%d fired), %lld ms",
            faultName(kind), clean.statements, fired, timer.elapsed());
        QCOMPARE(fired, int(clean.statements));
    }

    void pullConvergesAfterEachStatementFails_data() { faults_data(); }

    void pullConvergesAfterEachStatementFails()
    {
        QFETCH(int, fault);
        const auto kind = LocalStore::InjectedFault(fault);
        QVERIFY(setUpHarness(6));
        m_serverCreated.clear();
        // A queued edit waits in conflict through every pull: the deal keeps a local copy.
        const auto queued = h->edit(m_deals.at(0), kName, QStringLiteral("queued"));
        QVERIFY(queued);
        QVERIFY(h->outbox->markConflict(queued->seq, QStringLiteral("conflict: $name")));
        QElapsedTimer timer;
        timer.start();
        // The first round deletes nothing yet (no deal of a round to delete): count the second.
        qint64 clean = 0;
        pullRound(0, kind, &clean);
        pullRound(0, kind, &clean);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(clean > 10);
        int fired = 0;
        for (int n = 1; n <= clean; ++n) {
            qint64 statements = 0;
            pullRound(n, kind, &statements);
            if (QTest::currentTestFailed()) {
                qWarning("pull: %s at statement %d of %lld failed", faultName(kind), n, clean);
                return;
            }
            fired += statements >= n ? 1 : 0;
        }
        qInfo("pull, %s: %lld statements in a clean run, each failed in turn (%d fired), %lld ms",
            faultName(kind), clean, fired, timer.elapsed());
        QCOMPARE(fired, int(clean));
    }
};

QTEST_GUILESS_MAIN(TestDbFaults)
#include "tst_dbfaults.moc"
