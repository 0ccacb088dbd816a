// Pusher's retry waits against the in-process sandbox: every failed write is due again after
// RetryPolicy's capped exponential backoff with full jitter (one draw of the injected random
// source per retry), with the server's Retry-After as a floor. The clock is fixed and moved by
// the test, so each due time is known to the millisecond.

#include "sync/connectivity.h"
#include "sync/pusher.h"
#include "synctesthelpers.h"

#include <QStandardPaths>

using namespace SyncTest;

class TestPusher final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Harness> h;
    std::unique_ptr<Connectivity> connectivity;
    std::unique_ptr<Pusher> pusher;
    QDateTime clock;
    QList<double> draws; ///< what the random source returns, in order
    int drawn = 0; ///< how many times it was called

    /** A sandbox, its deal `id` in the store, and a started Pusher with this base and cap. */
    void startPusher(qint64 baseMs, qint64 capMs)
    {
        h = std::make_unique<Harness>();
        QVERIFY(h->startServer({}, 5));
        h->makeClient();
        QVERIFY(h->openStore());
        const QString id = h->dealIds().at(0);
        QVERIFY(h->store->upsertServerRecord(kDeal, compactJson(h->serverRecord(id)))
            != LocalStore::Upsert::Error);
        // Ahead of the real time the harness queues edits at, so that they are due at once.
        clock = QDateTime::currentDateTimeUtc().addSecs(60);
        connectivity = std::make_unique<Connectivity>(*h->client, Connectivity::Settings {});
        Pusher::Settings settings;
        settings.retryBaseMs = baseMs;
        settings.retryCapMs = capMs;
        settings.clock = [this] { return clock; };
        settings.random = [this] { return draws.value(drawn++, 0.5); };
        pusher = std::make_unique<Pusher>(
            *h->store, *h->outbox, *h->client, *connectivity, std::move(settings));
        connectivity->start();
    }

    /** Waits until the row has failed `attempts` times and waits; its wait from now in ms. */
    qint64 waitAfterAttempt(qint64 seq, int attempts)
    {
        const bool failed = waitFor(
            [&] {
                const auto row = h->outbox->row(seq);
                return row && row->state == OutboxRow::State::Pending && row->attempts == attempts
                    && pusher->rowsInFlight() == 0;
            },
            10000);
        if (!failed)
            return -1;
        return clock.msecsTo(h->outbox->row(seq)->nextAttemptAt);
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void cleanup()
    {
        pusher.reset();
        connectivity.reset();
        h.reset();
        draws.clear();
        drawn = 0;
    }

    void retryWaitsAreJitteredDoublingAndCapped()
    {
        // Binary fractions, so that every product below is exact.
        draws = {0.5, 0.25, 0.875, 0.75, 0.0625};
        startPusher(10000, 35000);
        h->server->config().faults.rate500 = 1;
        h->server->config().faults.writesOnly = true;
        const auto row
            = h->edit(h->dealIds().at(0), QStringLiteral("$name"), QStringLiteral("Retried"));
        QVERIFY(row);
        // Retry n waits draw · min(cap, base · 2^(n-1)), rounded down.
        const QList<qint64> expected {
            5000, // 0.5 · 10000
            5000, // 0.25 · 20000
            30625, // 0.875 · 35000 (the cap, not 40000)
            26250, // 0.75 · 35000
            2187, // 0.0625 · 35000 = 2187.5
        };
        for (int attempt = 1; attempt <= int(expected.size()); ++attempt) {
            const qint64 wait = waitAfterAttempt(row->seq, attempt);
            QCOMPARE(wait, expected.at(attempt - 1));
            QCOMPARE(drawn, attempt); // one draw per retry, none elsewhere
            // Not due a millisecond early, due when the wait is over.
            clock = clock.addMSecs(wait - 1);
            QVERIFY(h->outbox->nextReady(clock, 1).isEmpty());
            clock = clock.addMSecs(1);
            QCOMPARE(h->outbox->nextReady(clock, 1).size(), 1);
            if (attempt < int(expected.size()))
                pusher->push();
        }
        // Still queued, the same key every time: only the outcome of each attempt was recorded.
        const auto after = h->outbox->row(row->seq);
        QVERIFY(after);
        QCOMPARE(after->idempotencyKey, row->idempotencyKey);
        QCOMPARE(h->server->stats().value(QStringLiteral("writesApplied")).toInt(), 0);
    }

    void retryAfterIsAFloorForTheJitteredWait()
    {
        startPusher(100000, 150000);
        SandboxFaults &faults = h->server->config().faults;
        faults.rate503 = 1;
        faults.writesOnly = true;
        faults.retryAfterValue = QStringLiteral("60"); // seconds
        const auto row
            = h->edit(h->dealIds().at(0), QStringLiteral("$name"), QStringLiteral("Floored"));
        QVERIFY(row);
        // Retry 1: the jitter (0.5 · 100000) is shorter than the server asked for.
        qint64 wait = waitAfterAttempt(row->seq, 1);
        QCOMPARE(wait, 60000);
        QCOMPARE(drawn, 1); // drawn all the same
        clock = clock.addMSecs(wait);
        pusher->push();
        // Retry 2: the jitter (0.5 · 150000, the cap) is longer; the floor adds nothing.
        wait = waitAfterAttempt(row->seq, 2);
        QCOMPARE(wait, 75000);
        QCOMPARE(drawn, 2);
        // A server asking for more than the cap is still waited for.
        faults.retryAfterValue = QStringLiteral("540");
        clock = clock.addMSecs(wait);
        pusher->push();
        wait = waitAfterAttempt(row->seq, 3);
        QCOMPARE(wait, 540000);
    }
};

QTEST_GUILESS_MAIN(TestPusher)
#include "tst_pusher.moc"
