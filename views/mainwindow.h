#pragma once

#include <QDateTime>
#include <QMainWindow>
#include <QPointer>

class QAbstractItemModel;
class QFormLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QSplitter;
class QStackedWidget;
class QTableView;
class QTreeWidget;
class QTreeWidgetItem;

/**
 * The main window (design.md §3b): a sidebar of views and lists, the deals table, a read-only
 * detail pane and the status bar.
 *
 * It knows nothing about the network or the store: AppController gives it a model
 * (setDealsModel()) and tells it what to show (setConnectionState(), setSyncCounts(), …), and
 * listens to its signals. Geometry, window state and splitter positions persist in QSettings.
 */
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    /// Sidebar entries; ListView carries the list id in Qt::UserRole + 1.
    enum class SidebarEntry {
        AllDeals,
        MyDeals,
        MyOpenDeals,
        ClosingThisMonth,
        List,
    };
    Q_ENUM(SidebarEntry)

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// A one-line description of the workspace, e.g. "Demo workspace".
    void setWorkspaceDescription(const QString &text);
    /// The connection part of the status bar, e.g. "Online" or "Offline · no network".
    void setConnectionState(const QString &text);
    /// Pending / parked / conflicting edits, shown in the status bar.
    void setSyncCounts(int pending, int parked, int conflicts);
    /// Time of the last completed sync; invalid = never.
    void setLastSync(const QDateTime &when);
    /// Sweep progress; total 0 hides the bar.
    void setSyncProgress(qint64 done, qint64 total);
    /// The organisation's opportunity lists: (id, name) pairs.
    void setOpportunityLists(const QList<QPair<QString, QString>> &lists);

    /// The deals table's model (usually a sort/filter proxy). Not owned.
    void setDealsModel(QAbstractItemModel *model);
    QTableView *dealsView() const { return m_table; }
    QLineEdit *searchField() const { return m_search; }

Q_SIGNALS:
    void aboutRequested();
    void syncRequested();
    /// The user's "Work Offline" switch (Sync menu).
    void workOfflineToggled(bool offline);
    void settingsRequested();
    void signOutRequested();
    void searchTextChanged(const QString &text);
    void sidebarEntryActivated(MainWindow::SidebarEntry entry, const QString &listId);
    void currentDealChanged(const QModelIndex &index);
    /// "Open in Lightfield" / "Copy link" on the deal with this record id.
    void openInLightfieldRequested(const QString &recordId);
    void copyLinkRequested(const QString &recordId);
    /// The first rows with data have been painted (for --screenshot).
    void firstDataPainted();

protected:
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createMenus();
    void createSidebar();
    void createCentralArea();
    void createDetailPane();
    void createStatusBar();
    void updateEmptyState();
    QString currentDealId() const;
    void applyDefaultColumns();
    void showDetails(const QModelIndex &index);
    void restoreLayout();
    void saveLayout() const;

    QSplitter *m_splitter = nullptr;
    QTreeWidget *m_sidebar = nullptr;
    QTreeWidgetItem *m_listsRoot = nullptr;
    QLineEdit *m_search = nullptr;
    QStackedWidget *m_centralStack = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_emptyState = nullptr;
    QWidget *m_detailPane = nullptr;
    QLabel *m_detailTitle = nullptr;
    QFormLayout *m_detailForm = nullptr;
    QLabel *m_connectionLabel = nullptr;
    QLabel *m_countsLabel = nullptr;
    QLabel *m_lastSyncLabel = nullptr;
    QProgressBar *m_progress = nullptr;
    QPointer<QAbstractItemModel> m_model;
    QString m_workspace;
    bool m_dataPainted = false;
    bool m_headerRestored = false;
};
