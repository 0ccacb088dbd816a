#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

class LightfieldClient;

/**
 * Whether the sync engine may talk to the server: the online state machine of SyncEngine
 * (its documentation describes the behaviour as callers see it).
 *
 * The state comes from request outcomes, which the pusher and the puller report: any HTTP
 * response is noteAnswer(), a request that failed without one is noteNoAnswer().
 * Settings::offlineAfterFailures transport failures in a row turn Online into Offline; while
 * Offline a probe (`GET /v1/auth/validate`) runs every Settings::probeIntervalMs, and the first
 * answer turns it Online again: any HTTP answer, so a server without that route (404 / 405) or
 * one that answers it in another shape is reachable too; only a 401 pauses for the key.
 * networkHint() (fed by QNetworkInformation when Settings::useNetworkInformation is set) only makes
 * the probe run sooner: a reachable network is no proof that the server answers.
 *
 * Two holds stop all traffic whatever the network does: the user's setWorkOffline(), and a
 * pause for the key (pauseForAuth(): a 401, or Settings::forbiddenAsUnauthorizedAfter 403s in
 * a row, counted by noteForbidden()) that only resumeAfterNewKey() ends. canTalk() is false
 * while either holds, before start() and while Offline.
 *
 * Knows nothing of the outbox or the sweeps. halted() asks the parts that own traffic to stop
 * it (emitted after the hold is set, so that nothing they do in response starts new traffic,
 * and before the state changes); authResumed() lets them take back what the old key was
 * refused; stateChanged() reports every change. SyncEngine wires these.
 *
 * Borrows the client, which must outlive it; GUI thread only.
 */
class Connectivity final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Connectivity)

public:
    /** As SyncEngine::OnlineState. */
    enum class State
    {
        Online, ///< the last request got an answer
        Offline, ///< requests fail without an answer; probing
        WorkingOffline, ///< the user's switch: no traffic at all
        Unauthorized, ///< 401: paused until resumeAfterNewKey()
    };
    Q_ENUM(State)

    /** The members of SyncEngine::Options of the same names. */
    struct Settings
    {
        int offlineAfterFailures = 2;
        qint64 probeIntervalMs = 5000;
        int forbiddenAsUnauthorizedAfter = 3;
        bool useNetworkInformation = false;
    };

    Connectivity(LightfieldClient &client, Settings settings, QObject *parent = nullptr);
    ~Connectivity() override;

    /** Allows traffic (unless a hold is set) and loads QNetworkInformation if asked to. */
    void start();
    bool isStarted() const { return m_started; }

    State state() const { return m_state; }
    /** Started, with a client, no hold, and Online. */
    bool canTalk() const;

    /** A request got an HTTP response (any status): Offline becomes Online. */
    void noteAnswer();
    /** A request failed without a response: the failure streak grows and may mean Offline. */
    void noteNoAnswer();
    /**
     * A write was refused with 403. True when that makes Settings::forbiddenAsUnauthorizedAfter
     * in a row: the key, not the row, is the problem, and the caller should pauseForAuth().
     */
    bool noteForbidden();
    /** A write succeeded: a 403 before it was about that row alone. */
    void noteWriteAccepted() { m_forbiddenStreak = 0; }

    /** The server refused the key: halted(), Unauthorized, authenticationRequired(). Once. */
    void pauseForAuth();
    bool isPausedForAuth() const { return m_authPaused; }
    /** A new key: ends a pause for the key (authResumed(), then Online or WorkingOffline). */
    void resumeAfterNewKey();

    /** The user's switch: on halts all traffic, off goes Online (or back to Unauthorized). */
    void setWorkOffline(bool offline);
    bool isWorkingOffline() const { return m_workOffline; }

    /** A reachability hint: reachable → probe now when Offline. */
    void networkHint(bool reachable);

Q_SIGNALS:
    /** The state changed. Emitted after the new state is set. */
    void stateChanged(Connectivity::State state);
    /** Traffic must stop now (work offline, or a pause for the key); the hold is already set. */
    void halted();
    /** A pause for the key ended; the parts may resume what the old key was refused. */
    void authResumed();
    /** The server refused the key; emitted once per pause, after stateChanged(Unauthorized). */
    void authenticationRequired();

private:
    void setState(State state);
    void startProbeTimer();
    void probe();

    QPointer<LightfieldClient> m_client;
    Settings m_settings;
    State m_state = State::Online;
    bool m_started = false;
    bool m_workOffline = false;
    bool m_authPaused = false;
    bool m_probing = false;
    int m_noAnswerStreak = 0;
    int m_forbiddenStreak = 0;
    QTimer m_probeTimer;
};
