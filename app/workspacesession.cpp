#include "workspacesession.h"

#include "logging.h"
#include "net/lightfieldclient.h"
#include "store/localstore.h"
#include "store/outbox.h"
#include "store/workspacepaths.h"
#include "sync/syncengine.h"
#include "table/opportunitysortfilterproxymodel.h"
#include "table/opportunitytableloader.h"
#include "table/opportunitytableloadjob.h"
#include "table/opportunitytablesync.h"
#include "table/opportunitytablemodel.h"

#include <QDir>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkInformation>
#include <QStandardPaths>

WorkspaceSession::WorkspaceSession(Settings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
{
}

WorkspaceSession::~WorkspaceSession()
{
    // Stop the engine and the table's loading before the store and client they borrow go away.
    m_tableSync.reset();
    m_loadJob.reset();
    m_sync.reset();
    m_client.reset();
    m_outbox.reset();
    if (m_store)
        m_store->close();
}

bool WorkspaceSession::open()
{
    const QString root = m_settings.dataRoot.isEmpty()
                             ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                             : m_settings.dataRoot;
    const QString path = WorkspacePaths::databasePath(m_settings.baseUrl,
                                                      m_settings.accountIdentity, root);
    QDir().mkpath(QFileInfo(path).absolutePath());
    m_store = std::make_unique<LocalStore>(path);
    const LocalStore::OpenResult opened = m_store->open();
    if (!opened.isOpen()) {
        m_error = opened.message.isEmpty() ? tr("The local deal cache could not be opened.")
                                           : opened.message;
        return false;
    }
    if (opened.status == LocalStore::OpenStatus::Quarantined)
        m_notice = opened.message;
    qCInfo(lcApp) << "workspace cache" << path << "requeued" << opened.requeuedInFlight;

    m_outbox = std::make_unique<Outbox>(*m_store);
    m_nam = std::make_unique<QNetworkAccessManager>();
    LightfieldClient::Options clientOptions;
    clientOptions.baseUrl = m_settings.baseUrl;
    clientOptions.apiKey = m_settings.apiKey;
    m_client = std::make_unique<LightfieldClient>(m_nam.get(), clientOptions);

    m_table = std::make_unique<OpportunityTableModel>();
    m_proxy = std::make_unique<OpportunitySortFilterProxyModel>();
    m_proxy->setSourceModel(m_table.get());
    m_loadJob = std::make_unique<OpportunityTableLoadJob>(*m_store, *m_table, m_outbox.get());
    connect(m_loadJob.get(), &OpportunityTableLoadJob::progress, this,
            &WorkspaceSession::tableLoadProgress);
    connect(m_loadJob.get(), &OpportunityTableLoadJob::finished, this,
            [this](const OpportunityTableLoadJob::Result &result) {
                if (!result.ok)
                    qCWarning(lcApp) << "deals table only partly loaded:" << result.error;
                Q_EMIT tableLoadFinished();
            });
    reloadTable();

    // Names first: the pages of accounts and members are asked for before the deals that
    // point to them, so a first sync shows names rather than placeholders for as short a time
    // as possible.
    SyncEngine::Options syncOptions;
    syncOptions.clock = m_settings.clock;
    syncOptions.pullTypes = {QStringLiteral("account"), QStringLiteral("member"),
                             QStringLiteral("contact"), QStringLiteral("opportunity")};
    m_sync = std::make_unique<SyncEngine>(*m_store, *m_outbox, *m_client, syncOptions);
    wireSync();
    return true;
}

void WorkspaceSession::wireSync()
{
    connect(m_outbox.get(), &Outbox::changed, this, &WorkspaceSession::emitCounts);
    connect(m_sync.get(), &SyncEngine::pullProgress, this,
            [this](int done, int total) { Q_EMIT syncProgress(done, total); });
    connect(m_sync.get(), &SyncEngine::pullFinished, this,
            [this](bool ok, const QString &error) {
                Q_EMIT syncProgress(0, 0);
                Q_EMIT syncFinished(ok, error);
            });
    // Rows change in place as pages are stored; only a different schema reloads the table.
    m_tableSync = std::make_unique<OpportunityTableSync>(*m_sync, *m_store, *m_table,
                                                         m_outbox.get());
    connect(m_tableSync.get(), &OpportunityTableSync::schemaChanged, this,
            &WorkspaceSession::reloadTable);
    connect(m_sync.get(), &SyncEngine::rowSucceeded, this,
            [this](qint64, const QString &recordId) {
                OpportunityTableLoader::refresh(*m_store, *m_table, {recordId}, m_outbox.get());
            });
    connect(m_sync.get(), &SyncEngine::onlineStateChanged, this,
            [this](SyncEngine::OnlineState state) {
                switch (state) {
                case SyncEngine::OnlineState::Online:
                    Q_EMIT onlineChanged(true, tr("Online"));
                    break;
                case SyncEngine::OnlineState::Offline:
                    Q_EMIT onlineChanged(false, tr("Offline · no answer from the server"));
                    break;
                case SyncEngine::OnlineState::WorkingOffline:
                    Q_EMIT onlineChanged(false, tr("Working offline"));
                    break;
                case SyncEngine::OnlineState::Unauthorized:
                    Q_EMIT onlineChanged(false, tr("Paused · the API key was refused"));
                    break;
                }
            });
    // Reachability is only a hint to try sooner; request outcomes decide the online state.
    if (QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged, this,
                [this](QNetworkInformation::Reachability reachability) {
                    m_sync->networkHint(reachability == QNetworkInformation::Reachability::Online);
                });
    }
    m_sync->setWorkOffline(m_settings.workOffline);
    m_sync->start();
    emitCounts();
}

void WorkspaceSession::syncNow()
{
    m_sync->push();
    m_sync->pull();
}

void WorkspaceSession::reloadTable()
{
    const auto result = m_loadJob->start();
    if (!result.ok)
        qCInfo(lcApp) << "deals table not loaded yet:" << result.error;
}

bool WorkspaceSession::isTableLoading() const
{
    return m_loadJob && m_loadJob->isRunning();
}

void WorkspaceSession::emitCounts()
{
    const Outbox::Counts counts = m_outbox->counts();
    Q_EMIT countsChanged(counts.pending + counts.inFlight, counts.parked, counts.conflict);
}
