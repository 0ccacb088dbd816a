#include "workspacesession.h"

#include "cli/commandline.h"
#include "instancechannel.h"
#include "itemmodels/opportunitysortfilterproxymodel.h"
#include "itemmodels/opportunitytableloader.h"
#include "itemmodels/opportunitytableloadjob.h"
#include "itemmodels/opportunitytablemodel.h"
#include "itemmodels/opportunitytablesync.h"
#include "logging.h"
#include "net/lightfieldclient.h"
#include "store/localstore.h"
#include "store/outbox.h"
#include "store/workspacepaths.h"
#include "store/writerlock.h"
#include "sync/syncengine.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
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
    m_channel.reset();
    m_tableSync.reset();
    m_loadJob.reset();
    m_sync.reset();
    m_client.reset();
    m_outbox.reset();
    if (m_store)
        m_store->close();
    m_lock.reset(); // last: nobody else may write until the store is closed
}

bool WorkspaceSession::open()
{
    const QString root = m_settings.dataRoot.isEmpty()
        ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        : m_settings.dataRoot;
    const QString path
        = WorkspacePaths::databasePath(m_settings.baseUrl, m_settings.accountIdentity, root);
    m_folder = WriterLock::folderOf(path);
    QDir().mkpath(m_folder);
    m_lock = std::make_unique<WriterLock>(m_folder);
    if (!m_lock->tryLock()) {
        m_busy = true;
        m_holderPid = m_lock->holderPid();
        m_error = tr("Another Lightfield Deals process (pid %1) is using this workspace.")
                      .arg(m_holderPid);
        m_lock.reset();
        return false;
    }
    // The lock holder alone may put rows left in flight back to pending.
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
    syncOptions.pullTypes.clear();
    for (const QString &type : {QStringLiteral("account"), QStringLiteral("member"),
             QStringLiteral("contact"), QStringLiteral("opportunity")}) {
        // A type the key may not read is left out, not asked for and refused on every pull:
        // its ids stay ids (docs/decisions/0006-where-the-api-is-silent.md).
        if (type == QLatin1String("opportunity") || m_settings.capabilities.canReadObjectType(type))
            syncOptions.pullTypes.append(type);
    }
    m_sync = std::make_unique<SyncEngine>(*m_store, *m_outbox, *m_client, syncOptions);
    wireSync();
    startChannel();
    return true;
}

void WorkspaceSession::startChannel()
{
    const bool window = m_settings.role == QLatin1String("window");
    m_channel = std::make_unique<InstanceServer>(m_settings.role,
        [this, window](const QJsonObject &request, const InstanceServer::Reply &reply) {
            const QString op = request.value(QStringLiteral("op")).toString();
            if (op == QLatin1String("raise")) {
                reply({{QStringLiteral("ok"), window}});
                if (window)
                    Q_EMIT raiseRequested();
                return;
            }
            if (op == QLatin1String("yield")) {
                reply({{QStringLiteral("ok"), !window}});
                if (!window)
                    Q_EMIT yieldRequested();
                return;
            }
            if (op == QLatin1String("edit") || op == QLatin1String("create")) {
                QStringList assignments;
                for (const QJsonValue &value :
                    request.value(QStringLiteral("assignments")).toArray())
                    assignments << value.toString();
                const QString id = op == QLatin1String("edit")
                    ? request.value(QStringLiteral("id")).toString()
                    : QString();
                if (op == QLatin1String("edit") && id.isEmpty()) {
                    reply({{QStringLiteral("ok"), false},
                        {QStringLiteral("code"), CommandLine::Usage},
                        {QStringLiteral("err"),
                            QStringLiteral("lightfield-deals: edit needs an id.\n")}});
                    return;
                }
                const CommandLine::WriteOutcome outcome
                    = CommandLine::queueWrite(*m_store, *m_outbox, id, assignments);
                if (outcome.seq > 0) {
                    OpportunityTableLoader::refresh(
                        *m_store, *m_table, {outcome.recordId}, m_outbox.get());
                    Q_EMIT handedOverWrite(outcome.recordId, outcome.seq);
                }
                reply({{QStringLiteral("ok"), outcome.code == CommandLine::Ok},
                    {QStringLiteral("code"), outcome.code}, {QStringLiteral("out"), outcome.out},
                    {QStringLiteral("err"), outcome.err}});
                return;
            }
            if (op == QLatin1String("sync")) {
                if (!request.value(QStringLiteral("wait")).toBool()) {
                    syncNow();
                    reply(
                        {{QStringLiteral("ok"), true}, {QStringLiteral("code"), CommandLine::Ok}});
                    return;
                }
                connect(
                    m_sync.get(), &SyncEngine::pullFinished, this,
                    [this, reply](bool ok, const QString &error) {
                        const Outbox::Counts counts = m_outbox->counts();
                        int code = CommandLine::Ok;
                        QString err;
                        if (!ok) {
                            code = CommandLine::Incomplete;
                            err = QStringLiteral("lightfield-deals: The refresh failed: %1\n")
                                      .arg(error);
                        } else if (counts.parked + counts.conflict > 0) {
                            code = CommandLine::NeedsAttention;
                        }
                        reply({{QStringLiteral("ok"), code == CommandLine::Ok},
                            {QStringLiteral("code"), code},
                            {QStringLiteral("out"),
                                QStringLiteral("pending: %1\nparked: %2\nconflicts: %3\n")
                                    .arg(counts.pending + counts.inFlight)
                                    .arg(counts.parked)
                                    .arg(counts.conflict)},
                            {QStringLiteral("err"), err}});
                    },
                    Qt::SingleShotConnection);
                syncNow();
                return;
            }
            reply({{QStringLiteral("ok"), false}, {QStringLiteral("code"), CommandLine::Usage},
                {QStringLiteral("err"),
                    QStringLiteral("lightfield-deals: unknown request \"%1\".\n").arg(op)}});
        });
    if (!m_channel->listen(InstanceChannel::serverName(m_folder)))
        qCWarning(lcApp) << "no instance channel:" << m_channel->errorString();
}

void WorkspaceSession::wireSync()
{
    connect(m_outbox.get(), &Outbox::changed, this, &WorkspaceSession::emitCounts);
    connect(m_sync.get(), &SyncEngine::pullProgress, this,
        [this](int done, int total) { Q_EMIT syncProgress(done, total); });
    connect(m_sync.get(), &SyncEngine::pullFinished, this, [this](bool ok, const QString &error) {
        Q_EMIT syncProgress(0, 0);
        Q_EMIT syncFinished(ok, error);
        const int unreadable = m_sync->unreadableCount(QStringLiteral("opportunity"));
        if (ok && unreadable > 0)
            Q_EMIT dealsUnreadable(unreadable);
    });
    // Rows change in place as pages are stored; only a different schema reloads the table.
    m_tableSync = std::make_unique<OpportunityTableSync>(*m_store, *m_table, m_outbox.get());
    connect(
        m_sync.get(), &SyncEngine::recordsStored, m_tableSync.get(), &OpportunityTableSync::apply);
    connect(
        m_sync.get(), &SyncEngine::recordsRemoved, m_tableSync.get(), &OpportunityTableSync::apply);
    connect(m_sync.get(), &SyncEngine::definitionsStored, m_tableSync.get(),
        &OpportunityTableSync::definitionsStored);
    connect(m_tableSync.get(), &OpportunityTableSync::schemaChanged, this,
        &WorkspaceSession::reloadTable);
    connect(m_sync.get(), &SyncEngine::rowSucceeded, this, [this](qint64, const QString &recordId) {
        OpportunityTableLoader::refresh(*m_store, *m_table, {recordId}, m_outbox.get());
    });
    connect(
        m_sync.get(), &SyncEngine::onlineStateChanged, this, [this](SyncEngine::OnlineState state) {
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
    if (!counts.readable) {
        Q_EMIT countsUnreadable(counts.error);
        return;
    }
    Q_EMIT countsChanged(counts.pending + counts.inFlight, counts.parked, counts.conflict);
}
