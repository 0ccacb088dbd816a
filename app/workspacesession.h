#pragma once

#include "net/capabilities.h"

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class InstanceServer;
class LightfieldClient;
class LocalStore;
class OpportunitySortFilterProxyModel;
class OpportunityTableLoadJob;
class OpportunityTableModel;
class OpportunityTableSync;
class Outbox;
class QNetworkAccessManager;
class SyncEngine;
class WriterLock;

/**
 * One open workspace: the local mirror, its outbox, the API client, the sync engine and the
 * deals table's models, created and wired together. AppController owns one at a time; closing
 * it (destruction) stops sync and closes the database.
 *
 * The table is loaded from the store at once (cached deals show before any network reply):
 * the first screenful synchronously in open(), the rest in the background
 * (OpportunityTableLoadJob; tableLoadProgress() / tableLoadFinished()). Then SyncEngine's pages
 * and push results change it row by row, without a reset: each stored page of opportunities is
 * upserted (SyncEngine::recordsStored()), deletions confirmed at the end of a sweep are removed
 * (SyncEngine::recordsRemoved()), and pages of accounts, members and contacts update the names
 * the table shows. Only new definitions that differ from the table's schema reload it whole.
 */
class WorkspaceSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkspaceSession)

public:
    struct Settings
    {
        QUrl baseUrl;
        QString apiKey; ///< kept in memory only; never written anywhere
        QString accountIdentity; ///< names the workspace's database (never the key)
        QString dataRoot; ///< AppDataLocation by default
        bool workOffline = false; ///< start with the rep's Work Offline switch on (sends nothing)
        /// Who holds the workspace, as handed-over commands are told: "window" or "sync".
        QString role = QStringLiteral("window");
        /// "Now" (UTC) for the sync engine and the outbox; the real clock when empty (tests
        /// move it past the server's 24 h key retention).
        std::function<QDateTime()> clock;
        /// What the key may do (AppSettings::capabilities()): types it cannot read are not
        /// synced (a 403 on them would fail every pull).
        Capabilities capabilities;
    };

    explicit WorkspaceSession(Settings settings, QObject *parent = nullptr);
    ~WorkspaceSession() override;

    /// Opens the database and loads the table; false (and errorMessage()) when it cannot.
    bool open();
    QString errorMessage() const { return m_error; }
    /// After a failed open(): another process holds the workspace's WriterLock.
    bool isBusy() const { return m_busy; }
    /// After a failed open() with isBusy(): the holder's pid (0 when unknown).
    qint64 holderPid() const { return m_holderPid; }
    /// The workspace's folder (cache.sqlite, writer.lock); set by open().
    QString folder() const { return m_folder; }
    /// A notice for the user from opening (e.g. a damaged cache was moved aside); may be empty.
    QString openNotice() const { return m_notice; }

    LocalStore &store() { return *m_store; }
    Outbox &outbox() { return *m_outbox; }
    LightfieldClient &client() { return *m_client; }
    SyncEngine &sync() { return *m_sync; }
    OpportunityTableModel *tableModel() const { return m_table.get(); }
    OpportunitySortFilterProxyModel *proxyModel() const { return m_proxy.get(); }
    const Capabilities &capabilities() const { return m_settings.capabilities; }

    /// Settings::clock's "now" (UTC).
    QDateTime now() const
    {
        return m_settings.clock ? m_settings.clock() : QDateTime::currentDateTimeUtc();
    }

    /// Pulls now (and pushes queued edits first).
    void syncNow();
    /// Emits countsChanged() with the outbox's counts now (for a window connected after open()).
    void refreshCounts() { emitCounts(); }
    /// Reloads the whole table from the store (after definitions changed): the first
    /// screenful at once (one reset), the rest in the background.
    void reloadTable();
    /// True while the table is still being filled from the store.
    bool isTableLoading() const;

Q_SIGNALS:
    void countsChanged(int pending, int parked, int conflicts);
    /// The queue could not be read (instead of countsChanged()): `reason` for the tooltip.
    void countsUnreadable(const QString &reason);
    void syncProgress(qint64 done, qint64 total);
    void syncFinished(bool ok, const QString &message);
    /// After a sync that went through: `count` (> 0) deals the server sent could not be read.
    /// They are kept as received in the cache and not shown in the table.
    void dealsUnreadable(int count);
    void onlineChanged(bool online, const QString &reason);
    /// While the table fills from the store: deals loaded so far of `total` (for the status
    /// bar's "Loading deals… 40 %"). Emitted after each chunk, and once with loaded == total.
    void tableLoadProgress(int loaded, int total);
    /// The table holds every cached deal (search, sort and filters cover them all).
    void tableLoadFinished();
    /// A second launch of the app on this workspace asked the window to come to the front.
    void raiseRequested();
    /// A window launched beside this `sync` holder asks it to finish and release the lock.
    void yieldRequested();
    /// A command line `edit` or `create` was queued here (`recordId`, its outbox `seq`).
    void handedOverWrite(const QString &recordId, qint64 seq);

private:
    void wireSync();
    void emitCounts();
    void startChannel();

    Settings m_settings;
    QString m_error;
    QString m_notice;
    QString m_folder;
    bool m_busy = false;
    qint64 m_holderPid = 0;
    std::unique_ptr<WriterLock> m_lock;
    std::unique_ptr<InstanceServer> m_channel;
    std::unique_ptr<LocalStore> m_store;
    std::unique_ptr<Outbox> m_outbox;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<LightfieldClient> m_client;
    std::unique_ptr<SyncEngine> m_sync;
    std::unique_ptr<OpportunityTableModel> m_table;
    std::unique_ptr<OpportunitySortFilterProxyModel> m_proxy;
    std::unique_ptr<OpportunityTableLoadJob> m_loadJob;
    std::unique_ptr<OpportunityTableSync> m_tableSync;
};
