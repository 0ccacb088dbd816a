#include "sync/connectivity.h"

#include "logging.h"
#include "net/lightfieldclient.h"

#include <QNetworkInformation>

#include <algorithm>

Connectivity::Connectivity(LightfieldClient &client, Settings settings, QObject *parent)
    : QObject(parent)
    , m_client(&client)
    , m_settings(settings)
{
    m_probeTimer.setSingleShot(true);
    connect(&m_probeTimer, &QTimer::timeout, this, &Connectivity::probe);
}

Connectivity::~Connectivity() = default;

void Connectivity::start()
{
    if (m_started)
        return;
    m_started = true;
    if (m_settings.useNetworkInformation
        && QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        // Only a hint to try sooner: the state itself comes from request outcomes.
        connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged, this,
            [this](QNetworkInformation::Reachability reachability) {
                networkHint(reachability == QNetworkInformation::Reachability::Online
                    || reachability == QNetworkInformation::Reachability::Site);
            });
    }
    if (m_workOffline)
        setState(State::WorkingOffline);
}

bool Connectivity::canTalk() const
{
    return m_started && m_client && !m_workOffline && !m_authPaused && m_state == State::Online;
}

void Connectivity::setState(State state)
{
    if (m_state == state)
        return;
    const State previous = m_state;
    m_state = state;
    qCInfo(lcSync) << "online state" << int(previous) << "->" << int(state);
    if (state == State::Online)
        m_probeTimer.stop();
    Q_EMIT stateChanged(state);
    // Armed after the signal: should a handler have moved on to another state meanwhile, the
    // probe finds nothing to do.
    if (state == State::Offline)
        startProbeTimer();
}

void Connectivity::startProbeTimer()
{
    m_probeTimer.start(int(std::min<qint64>(m_settings.probeIntervalMs, 3600000)));
}

void Connectivity::noteAnswer()
{
    m_noAnswerStreak = 0;
    if (m_state == State::Offline)
        setState(State::Online);
}

void Connectivity::noteNoAnswer()
{
    if (++m_noAnswerStreak >= m_settings.offlineAfterFailures && m_state == State::Online)
        setState(State::Offline);
}

bool Connectivity::noteForbidden()
{
    return ++m_forbiddenStreak >= m_settings.forbiddenAsUnauthorizedAfter;
}

void Connectivity::probe()
{
    if (!m_started || !m_client || m_workOffline || m_authPaused || m_state != State::Offline
        || m_probing) {
        return;
    }
    m_probing = true;
    m_client->validateKey(this, [this](const KeyInfoResult &result) {
        m_probing = false;
        const LightfieldError &error = result.error();
        if (result.ok() || error.httpStatus() > 0) {
            m_noAnswerStreak = 0;
            if (!result.ok() && error.kind() == ErrorKind::Unauthorized) {
                m_authPaused = true;
                setState(State::Unauthorized);
                Q_EMIT authenticationRequired();
                return;
            }
            setState(State::Online);
            return;
        }
        if (m_state == State::Offline)
            startProbeTimer();
    });
}

void Connectivity::networkHint(bool reachable)
{
    if (reachable && m_state == State::Offline) {
        m_probeTimer.stop();
        probe();
    }
}

void Connectivity::setWorkOffline(bool offline)
{
    if (m_workOffline == offline)
        return;
    m_workOffline = offline;
    if (offline) {
        m_probeTimer.stop();
        Q_EMIT halted();
        setState(State::WorkingOffline);
        return;
    }
    m_noAnswerStreak = 0;
    setState(m_authPaused ? State::Unauthorized : State::Online);
}

void Connectivity::pauseForAuth()
{
    if (m_authPaused)
        return;
    m_authPaused = true;
    Q_EMIT halted();
    qCWarning(lcSync) << "the server refused the API key: the queue is paused";
    setState(State::Unauthorized);
    Q_EMIT authenticationRequired();
}

void Connectivity::resumeAfterNewKey()
{
    if (!m_authPaused)
        return;
    m_authPaused = false;
    m_forbiddenStreak = 0;
    qCInfo(lcSync) << "new API key: the queue resumes";
    Q_EMIT authResumed();
    m_noAnswerStreak = 0;
    setState(m_workOffline ? State::WorkingOffline : State::Online);
}
