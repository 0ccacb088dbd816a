#include "sync/syncengine.h"

#include "net/lightfieldclient.h"
#include "sync/connectivity.h"
#include "sync/puller.h"
#include "sync/pusher.h"

#include <utility>

namespace {

SyncEngine::OnlineState toOnlineState(Connectivity::State state)
{
    switch (state) {
    case Connectivity::State::Online:
        return SyncEngine::OnlineState::Online;
    case Connectivity::State::Offline:
        return SyncEngine::OnlineState::Offline;
    case Connectivity::State::WorkingOffline:
        return SyncEngine::OnlineState::WorkingOffline;
    case Connectivity::State::Unauthorized:
        return SyncEngine::OnlineState::Unauthorized;
    }
    return SyncEngine::OnlineState::Online;
}

} // namespace

SyncEngine::SyncEngine(
    LocalStore &store, Outbox &outbox, LightfieldClient &client, Options options, QObject *parent)
    : QObject(parent)
    , m_client(&client)
{
    // One clock for every part: the due times the pusher writes and the times the puller
    // stamps must read against the same "now".
    if (!options.clock)
        options.clock = [] { return QDateTime::currentDateTimeUtc(); };
    m_connectivity = std::make_unique<Connectivity>(client,
        Connectivity::Settings {options.offlineAfterFailures, options.probeIntervalMs,
            options.forbiddenAsUnauthorizedAfter, options.useNetworkInformation});
    m_pusher = std::make_unique<Pusher>(store, outbox, client, *m_connectivity,
        Pusher::Settings {options.maxWritesInFlight, options.retryBaseMs, options.retryCapMs,
            options.idempotencyRetentionMs, options.checkBeforeFirstSend, options.recheckAfterMs,
            options.clock, std::move(options.random)});
    m_puller = std::make_unique<Puller>(store, client, *m_connectivity,
        Puller::Settings {options.pagesInFlight, options.maxSweepRecords,
            std::move(options.pullTypes), std::move(options.clock)});

    // The parts call one another only through these connections; all are direct, so each
    // signal below is emitted where the part emits its own, and the order stays as documented.
    connect(
        m_connectivity.get(), &Connectivity::stateChanged, this, [this](Connectivity::State state) {
            Q_EMIT onlineStateChanged(toOnlineState(state));
            if (state == Connectivity::State::Online) {
                // Back online: everything waiting goes now, then the store catches up.
                m_pusher->pushAllNow();
                m_puller->pull();
            }
        });
    // Work offline or a refused key: nothing waits to go, no sweep runs on.
    connect(m_connectivity.get(), &Connectivity::halted, this, [this] {
        m_pusher->stopWaking();
        m_puller->cancelSweeps();
    });
    // Rows refused for permission under the old key get another chance under the new one.
    connect(m_connectivity.get(), &Connectivity::authResumed, m_pusher.get(),
        &Pusher::resumeForbiddenRows);
    connect(m_connectivity.get(), &Connectivity::authenticationRequired, this,
        &SyncEngine::authenticationRequired);

    connect(m_pusher.get(), &Pusher::rowParked, this, &SyncEngine::rowParked);
    connect(m_pusher.get(), &Pusher::conflictDetected, this, &SyncEngine::conflictDetected);
    connect(m_pusher.get(), &Pusher::rowMayExist, this, &SyncEngine::rowMayExist);
    connect(m_pusher.get(), &Pusher::rowSucceeded, this, &SyncEngine::rowSucceeded);
    connect(m_pusher.get(), &Pusher::drained, this, &SyncEngine::drained);

    connect(m_puller.get(), &Puller::pullStarted, this, &SyncEngine::pullStarted);
    connect(m_puller.get(), &Puller::pullProgress, this, &SyncEngine::pullProgress);
    connect(m_puller.get(), &Puller::pullFinished, this, &SyncEngine::pullFinished);
    connect(m_puller.get(), &Puller::definitionsStored, this, &SyncEngine::definitionsStored);
    connect(m_puller.get(), &Puller::recordsStored, this, &SyncEngine::recordsStored);
    connect(m_puller.get(), &Puller::recordsRemoved, this, &SyncEngine::recordsRemoved);
    connect(m_puller.get(), &Puller::recordsUnreadable, this, &SyncEngine::recordsUnreadable);
}

SyncEngine::~SyncEngine() = default;

void SyncEngine::start()
{
    if (m_connectivity->isStarted())
        return;
    m_connectivity->start();
    if (m_connectivity->isWorkingOffline())
        return;
    m_pusher->push();
    m_puller->pull();
}

void SyncEngine::pull()
{
    m_puller->pull();
}

void SyncEngine::push()
{
    m_pusher->push();
}

SyncEngine::OnlineState SyncEngine::onlineState() const
{
    return toOnlineState(m_connectivity->state());
}

bool SyncEngine::isPulling() const
{
    return m_puller->isPulling();
}

int SyncEngine::unreadableCount(const QString &objectType) const
{
    return m_puller->unreadableCount(objectType);
}

int SyncEngine::rowsInFlight() const
{
    return m_pusher->rowsInFlight();
}

void SyncEngine::setWorkOffline(bool offline)
{
    m_connectivity->setWorkOffline(offline);
}

bool SyncEngine::isWorkingOffline() const
{
    return m_connectivity->isWorkingOffline();
}

void SyncEngine::setApiKey(const QString &apiKey)
{
    if (m_client)
        m_client->setApiKey(apiKey);
    m_connectivity->resumeAfterNewKey();
}

bool SyncEngine::isPausedForAuth() const
{
    return m_connectivity->isPausedForAuth();
}

void SyncEngine::networkHint(bool reachable)
{
    m_connectivity->networkHint(reachable);
}
