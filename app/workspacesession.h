#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class LightfieldClient;
class LocalStore;
class OpportunitySortFilterProxyModel;
class OpportunityTableLoadJob;
class OpportunityTableModel;
class OpportunityTableSync;
class Outbox;
class QNetworkAccessManager;
class SyncEngine;

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
        QString apiKey;          ///< kept in memory only; never written anywhere
        QString accountIdentity; ///< names the workspace's database (never the key)
        QString dataRoot;        ///< AppDataLocation by default
        bool workOffline = false; ///< start with the rep's Work Offline switch on (sends nothing)
        /// "Now" (UTC) for the sync engine and the outbox; the real clock when empty (tests
        /// move it past the server's 24 h key retention).
        std::function<QDateTime()> clock;
    };

    explicit WorkspaceSession(Settings settings, QObject *parent = nullptr);
    ~WorkspaceSession() override;

    /// Opens the database and loads the table; false (and errorMessage()) when it cannot.
    bool open();
    QString errorMessage() const { return m_error; }
    /// A notice for the user from opening (e.g. a damaged cache was moved aside); may be empty.
    QString openNotice() const { return m_notice; }

    LocalStore &store() { return *m_store; }
    Outbox &outbox() { return *m_outbox; }
    LightfieldClient &client() { return *m_client; }
    SyncEngine &sync() { return *m_sync; }
    OpportunityTableModel *tableModel() const { return m_table.get(); }
    OpportunitySortFilterProxyModel *proxyModel() const { return m_proxy.get(); }

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
    void syncProgress(qint64 done, qint64 total);
    void syncFinished(bool ok, const QString &message);
    void onlineChanged(bool online, const QString &reason);
    /// While the table fills from the store: deals loaded so far of `total` (for the status
    /// bar's "Loading deals… 40 %"). Emitted after each chunk, and once with loaded == total.
    void tableLoadProgress(int loaded, int total);
    /// The table holds every cached deal (search, sort and filters cover them all).
    void tableLoadFinished();

private:
    void wireSync();
    void emitCounts();

    Settings m_settings;
    QString m_error;
    QString m_notice;
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
