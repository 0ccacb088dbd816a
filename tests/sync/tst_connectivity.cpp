// Connectivity, the online state machine of SyncEngine, against the in-process sandbox: the
// failure streak that means Offline, the probe and its interval, the network hint, the user's
// work-offline switch and the pause for the key.

#include "sync/connectivity.h"
#include "synctesthelpers.h"

#include <QElapsedTimer>
#include <QStandardPaths>

using namespace SyncTest;

namespace {

using State = Connectivity::State;

/** Requests of one route the sandbox answered (any status) since its stats were reset. */
int answered(const SandboxServer &server, const QString &route)
{
    return server.requestCount(route);
}

int probes(const SandboxServer &server)
{
    return answered(server, QStringLiteral("GET /v1/auth/validate"));
}

} // namespace

class TestConnectivity final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Harness> h;
    std::unique_ptr<Connectivity> connectivity;
    QStringList events; ///< the signals of `connectivity`, in order

    /** A sandbox, a client and a started Connectivity with these settings; Online. */
    void startConnectivity(Connectivity::Settings settings)
    {
        h = std::make_unique<Harness>();
        QVERIFY(h->startServer({}, 5));
        h->makeClient();
        connectivity = std::make_unique<Connectivity>(*h->client, settings);
        events.clear();
        connect(connectivity.get(), &Connectivity::stateChanged, this,
            [this](State state) { events << QStringLiteral("state %1").arg(int(state)); });
        connect(connectivity.get(), &Connectivity::halted, this,
            [this] { events << QStringLiteral("halted"); });
        connect(connectivity.get(), &Connectivity::authResumed, this,
            [this] { events << QStringLiteral("authResumed"); });
        connect(connectivity.get(), &Connectivity::authenticationRequired, this,
            [this] { events << QStringLiteral("authenticationRequired"); });
        QVERIFY(!connectivity->canTalk()); // not before start()
        connectivity->start();
        QCOMPARE(connectivity->state(), State::Online);
        QVERIFY(connectivity->canTalk());
    }

    static QString stateEvent(State state) { return QStringLiteral("state %1").arg(int(state)); }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void cleanup()
    {
        connectivity.reset();
        h.reset();
    }

    void transportFailuresInARowMeanOffline()
    {
        Connectivity::Settings settings;
        settings.offlineAfterFailures = 2;
        settings.probeIntervalMs = 60000; // no probe during this test
        startConnectivity(settings);
        connectivity->noteNoAnswer();
        QCOMPARE(connectivity->state(), State::Online);
        // An answer between two failures ends the streak.
        connectivity->noteAnswer();
        connectivity->noteNoAnswer();
        QCOMPARE(connectivity->state(), State::Online);
        QVERIFY(connectivity->canTalk());
        connectivity->noteNoAnswer();
        QCOMPARE(connectivity->state(), State::Offline);
        QVERIFY(!connectivity->canTalk());
        QCOMPARE(events, QStringList {stateEvent(State::Offline)});
        // Any answer brings it back.
        connectivity->noteAnswer();
        QCOMPARE(connectivity->state(), State::Online);
        QCOMPARE(events, QStringList({stateEvent(State::Offline), stateEvent(State::Online)}));
    }

    void probeRunsAtItsIntervalAndItsAnswerMeansOnline()
    {
        Connectivity::Settings settings;
        settings.probeIntervalMs = 600;
        startConnectivity(settings);
        h->server->resetStats();
        connectivity->noteNoAnswer();
        connectivity->noteNoAnswer();
        QElapsedTimer offline;
        offline.start();
        QCOMPARE(connectivity->state(), State::Offline);
        QTest::qWait(200);
        QCOMPARE(probes(*h->server), 0); // not before the interval
        QCOMPARE(connectivity->state(), State::Offline);
        QVERIFY(waitFor([this] { return connectivity->state() == State::Online; }, 10000));
        QVERIFY2(offline.elapsed() >= 550, qPrintable(QString::number(offline.elapsed())));
        QCOMPARE(probes(*h->server), 1);
        QVERIFY(connectivity->canTalk());
        // Online: no more probes.
        QTest::qWait(800);
        QCOMPARE(probes(*h->server), 1);
    }

    void anyAnswerToTheProbeMeansOnline_data()
    {
        // A server without the key check route (or one that answers it in another shape) is
        // still a server that answers: reachable.
        QTest::addColumn<int>("validate");
        QTest::addColumn<QString>("route");
        QTest::newRow("validate answers 404")
            << int(SandboxConfig::AuthValidate::Absent) << QStringLiteral("GET unmatched");
        QTest::newRow("validate malformed") << int(SandboxConfig::AuthValidate::Malformed)
                                            << QStringLiteral("GET /v1/auth/validate");
        QTest::newRow("validate is an HTML page")
            << int(SandboxConfig::AuthValidate::Html) << QStringLiteral("GET /v1/auth/validate");
    }
    void anyAnswerToTheProbeMeansOnline()
    {
        QFETCH(int, validate);
        QFETCH(QString, route);
        Connectivity::Settings settings;
        settings.probeIntervalMs = 100;
        startConnectivity(settings);
        h->server->config().authValidate = SandboxConfig::AuthValidate(validate);
        h->server->resetStats();
        connectivity->noteNoAnswer();
        connectivity->noteNoAnswer();
        QCOMPARE(connectivity->state(), State::Offline);
        QVERIFY(waitFor([this] { return connectivity->state() == State::Online; }, 10000));
        QCOMPARE(answered(*h->server, route), 1);
        QVERIFY(connectivity->canTalk());
        QVERIFY(!connectivity->isPausedForAuth());
    }

    void probeWithoutAnswerTriesAgainUntilTheServerIsBack()
    {
        Connectivity::Settings settings;
        settings.probeIntervalMs = 100;
        startConnectivity(settings);
        const quint16 port = h->port;
        h->server.reset(); // connection refused from now on
        connectivity->noteNoAnswer();
        connectivity->noteNoAnswer();
        QCOMPARE(connectivity->state(), State::Offline);
        QTest::qWait(500); // several probes fail meanwhile
        QCOMPARE(connectivity->state(), State::Offline);
        QVERIFY(h->startServer());
        QCOMPARE(h->port, port);
        QVERIFY(waitFor([this] { return connectivity->state() == State::Online; }, 10000));
        QCOMPARE(probes(*h->server), 1);
    }

    void networkHintProbesSooner()
    {
        Connectivity::Settings settings;
        settings.probeIntervalMs = 60000;
        startConnectivity(settings);
        h->server->resetStats();
        // While online a hint changes nothing.
        connectivity->networkHint(true);
        QTest::qWait(100);
        QCOMPARE(probes(*h->server), 0);
        connectivity->noteNoAnswer();
        connectivity->noteNoAnswer();
        QCOMPARE(connectivity->state(), State::Offline);
        // "Unreachable" does not probe either.
        connectivity->networkHint(false);
        QTest::qWait(100);
        QCOMPARE(probes(*h->server), 0);
        QCOMPARE(connectivity->state(), State::Offline);
        // "Reachable": the probe runs now, not a minute later.
        QElapsedTimer timer;
        timer.start();
        connectivity->networkHint(true);
        QVERIFY(waitFor([this] { return connectivity->state() == State::Online; }, 10000));
        QVERIFY(timer.elapsed() < 10000);
        QCOMPARE(probes(*h->server), 1);
    }

    void workOfflineHaltsFirstAndStopsTheProbe()
    {
        Connectivity::Settings settings;
        settings.probeIntervalMs = 100;
        startConnectivity(settings);
        h->server->resetStats();
        connectivity->noteNoAnswer();
        connectivity->noteNoAnswer();
        QCOMPARE(connectivity->state(), State::Offline);
        events.clear();
        connectivity->setWorkOffline(true);
        QCOMPARE(
            events, QStringList({QStringLiteral("halted"), stateEvent(State::WorkingOffline)}));
        QVERIFY(connectivity->isWorkingOffline());
        QVERIFY(!connectivity->canTalk());
        // Neither failures, answers, hints nor the probe interval leave the switch's state.
        connectivity->noteNoAnswer();
        connectivity->noteNoAnswer();
        connectivity->noteAnswer();
        connectivity->networkHint(true);
        QTest::qWait(400);
        QCOMPARE(probes(*h->server), 0);
        QCOMPARE(connectivity->state(), State::WorkingOffline);
        // Turned off: online at once (the next request decides whether that holds).
        events.clear();
        connectivity->setWorkOffline(false);
        QCOMPARE(connectivity->state(), State::Online);
        QVERIFY(connectivity->canTalk());
        QCOMPARE(events, QStringList {stateEvent(State::Online)});
    }

    void workOfflineStopsAllTrafficOfTheEngine()
    {
        h = std::make_unique<Harness>();
        QVERIFY(h->startServer({}, 10));
        QVERIFY(h->open(false));
        QSignalSpy pulled(h->engine.get(), &SyncEngine::pullFinished);
        h->engine->start();
        QVERIFY(pulled.wait(30000));
        QVERIFY(h->waitIdle());
        h->engine->setWorkOffline(true);
        const quint64 requestsBefore = h->server->requestCount();
        QVERIFY(h->edit(h->dealIds().at(0), QStringLiteral("probability"), 12));
        h->engine->push();
        h->engine->pull();
        h->engine->networkHint(true);
        QTest::qWait(400);
        QCOMPARE(h->server->requestCount(), requestsBefore);
        QCOMPARE(h->outbox->counts().pending, 1);
        QVERIFY(!h->engine->isPulling());
        h->engine->setWorkOffline(false);
        QVERIFY(waitFor([this] { return h->idle() && !h->engine->isPulling(); }, 20000));
        QVERIFY(h->server->requestCount() > requestsBefore);
        QCOMPARE(RecordJson::fieldValue(
                     h->serverRecord(h->dealIds().at(0)), QStringLiteral("probability"))
                     .toInt(),
            12);
    }

    void unauthorizedProbePausesUntilANewKey()
    {
        Connectivity::Settings settings;
        settings.probeIntervalMs = 50;
        startConnectivity(settings);
        h->server->config().apiKeys.clear();
        h->server->config().apiKeys.insert(QStringLiteral("sk_lf_rotated"), {});
        connectivity->noteNoAnswer();
        connectivity->noteNoAnswer();
        events.clear();
        QVERIFY(waitFor([this] { return connectivity->state() == State::Unauthorized; }, 10000));
        QCOMPARE(events,
            QStringList(
                {stateEvent(State::Unauthorized), QStringLiteral("authenticationRequired")}));
        QVERIFY(connectivity->isPausedForAuth());
        QVERIFY(!connectivity->canTalk());
        // Working offline and back does not end the pause.
        connectivity->setWorkOffline(true);
        connectivity->setWorkOffline(false);
        QCOMPARE(connectivity->state(), State::Unauthorized);
        events.clear();
        connectivity->resumeAfterNewKey();
        QCOMPARE(events, QStringList({QStringLiteral("authResumed"), stateEvent(State::Online)}));
        QVERIFY(connectivity->canTalk());
    }

    void pauseForAuthHaltsThenReportsOnce()
    {
        startConnectivity({});
        connectivity->pauseForAuth();
        connectivity->pauseForAuth();
        QCOMPARE(events,
            QStringList({QStringLiteral("halted"), stateEvent(State::Unauthorized),
                QStringLiteral("authenticationRequired")}));
        QVERIFY(!connectivity->canTalk());
        // A new key while working offline: the pause ends, the switch still holds.
        connectivity->setWorkOffline(true);
        connectivity->resumeAfterNewKey();
        QCOMPARE(connectivity->state(), State::WorkingOffline);
        QVERIFY(!connectivity->isPausedForAuth());
        connectivity->setWorkOffline(false);
        QCOMPARE(connectivity->state(), State::Online);
    }

    void forbiddenStreakEndsWithASuccessOrANewKey()
    {
        Connectivity::Settings settings;
        settings.forbiddenAsUnauthorizedAfter = 3;
        startConnectivity(settings);
        QVERIFY(!connectivity->noteForbidden());
        QVERIFY(!connectivity->noteForbidden());
        connectivity->noteWriteAccepted();
        QVERIFY(!connectivity->noteForbidden());
        QVERIFY(!connectivity->noteForbidden());
        QVERIFY(connectivity->noteForbidden());
        connectivity->pauseForAuth();
        connectivity->resumeAfterNewKey();
        QVERIFY(!connectivity->noteForbidden());
        QVERIFY(!connectivity->noteForbidden());
        QVERIFY(connectivity->noteForbidden());
    }
};

QTEST_GUILESS_MAIN(TestConnectivity)
#include "tst_connectivity.moc"
