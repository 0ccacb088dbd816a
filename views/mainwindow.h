#pragma once

#include <QDateTime>
#include <QList>
#include <QMainWindow>
#include <QMetaObject>
#include <QPair>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>

class AppSettings;
class DealCountLabel;
class OpportunitySortFilterProxyModel;
class QAbstractItemModel;
class QAction;
class QLabel;
class QLineEdit;
class QMenu;
class QTabWidget;
class QProgressBar;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTableView;
class QTreeWidget;
class QTreeWidgetItem;
class SavedViewsController;

/**
 * The main window: a sidebar of views and lists, the deals table, the deal pane and the
 * status bar. The pane shows the widget the app gives it (the deal form) while a deal is open,
 * else a line asking the rep to select one.
 *
 * It knows nothing about the network or the store: AppController gives it a model
 * (setDealsModel()) and tells it what to show (setConnectionState(), setSyncCounts(), …), and
 * listens to its signals. Geometry, window state and splitter positions persist in QSettings.
 *
 * The sidebar's saved views, and what applying one does to the table, are a
 * SavedViewsController's (savedViews()); the window lends it the table, the search field and
 * the sidebar, and tells it of the model's resets.
 */
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    /// Sidebar entries; the second argument of sidebarEntryActivated() is the saved view's
    /// id (View) or the list id (List).
    enum class SidebarEntry
    {
        View,
        List,
    };
    Q_ENUM(SidebarEntry)

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// A one-line description of the workspace, e.g. "Demo workspace".
    void setWorkspaceDescription(const QString &text);
    /// Signed out: the central area says so and offers Sign In… and the demo (signInRequested(),
    /// demoRequested()), and File ▸ Sign In… replaces Sign Out. Signed in by default.
    void setSignedIn(bool signedIn);
    bool isSignedIn() const { return m_signedIn; }
    /// The connection part of the status bar, e.g. "● Online" or "Offline · no network". The
    /// status line shows it with the last sync time ("● Online · synced 14:05"), or, while a
    /// sync runs, how far it is ("Syncing deals… 54 %").
    void setConnectionState(const QString &text);
    /// Checks Sync ▸ Work Offline without emitting workOfflineToggled().
    void setWorkOffline(bool offline);
    /// Pending / parked / conflicting edits, shown in the status bar.
    void setSyncCounts(int pending, int parked, int conflicts);
    /// The queue could not be read: the counts say "Cache unreadable", `reason` in the tooltip
    /// (never "0 pending", which would tell the rep their edits are gone or sent).
    void setSyncCountsUnreadable(const QString &reason);
    /// Enables File ▸ Recover Edits from a Damaged Cache… (recoverEditsRequested()).
    void setRecoverEditsAvailable(bool available);
    /// Time of the last completed sync; invalid = never.
    void setLastSync(const QDateTime &when);
    /// Sweep progress; total 0 hides the bar.
    void setSyncProgress(qint64 done, qint64 total);
    /// One sentence above the deals about what the workspace's key may not do (e.g. "This key
    /// can only read deals, so editing is off. …"); empty hides it.
    void setCapabilityNotice(const QString &text);
    /// The organisation's opportunity lists: (id, name) pairs.
    void setOpportunityLists(const QList<QPair<QString, QString>> &lists);

    /// The deals table's model (usually a sort/filter proxy). Not owned.
    void setDealsModel(QAbstractItemModel *model);
    QTableView *dealsView() const { return m_table; }
    /// The record ids of the selected table rows, in view order.
    QStringList selectedDealIds() const;

    /// The menus other parts of the app add their actions to.
    enum class Menu
    {
        File,
        Edit,
        View,
        Deal,
        Sync,
    };
    QMenu *menu(Menu which) const;
    /**
     * Adds a page beside the table ("Board", "Charts"): the central area becomes tabs
     * (Table | Board | …), switched with Ctrl+Alt+1, 2, 3 … in the View menu.
     */
    void addWorkspacePage(QWidget *page, const QString &title);
    /// Shows `page` (the table or one added with addWorkspacePage(), or a widget inside one).
    void showWorkspacePage(QWidget *page);
    QWidget *currentWorkspacePage() const;
    /// Puts `widget` (the deal form) in the deal pane and shows it; not owned before, owned after.
    void setDetailWidget(QWidget *widget);
    /// Shows the widget given to setDetailWidget() (true) or the "select a deal" line (false).
    void setDetailWidgetShown(bool shown);
    QLineEdit *searchField() const { return m_search; }

    // --- The current deal ------------------------------------------------------------------
    /**
     * The deal the rep selected, by record id. It stays selected (and in the detail pane)
     * across searches, sorts, view changes, edits and sync pages: after every change of the
     * model's rows the table's current row is put back on it. While a search or a view hides
     * it, nothing is selected and currentDealChanged() reports an invalid index; it is
     * selected again when it shows again, unless the rep picked another deal meanwhile.
     */
    QString currentDealId() const { return m_currentId; }
    /// Selects the deal `recordId` (a new deal, a card picked on the board) and scrolls to it.
    void selectDeal(const QString &recordId);
    /// A deal's id changed (a create's temporary id became the server's): keep it selected.
    void replaceDealId(const QString &oldId, const QString &newId);
    /// Resizes the window, keeping it within the screen's available area.
    void resizeWithinScreen(const QSize &size);
    /// Shows or collapses the detail pane (View ▸ Deal Pane, F9); its width is remembered.
    void setDetailPaneVisible(bool visible);
    bool isDetailPaneVisible() const;

    // --- Saved views -----------------------------------------------------------------------
    /// The sidebar's saved views: select, apply, save, update, rename and delete them.
    SavedViewsController &savedViews() const { return *m_savedViews; }

Q_SIGNALS:
    void aboutRequested();
    void syncRequested();
    /// The user's "Work Offline" switch (Sync menu).
    void workOfflineToggled(bool offline);
    void settingsRequested();
    void signOutRequested();
    /// "Sign In…" (File menu, or the signed-out page).
    void signInRequested();
    /// File ▸ Recover Edits from a Damaged Cache…
    void recoverEditsRequested();
    /// "Open Demo Workspace" on the signed-out page.
    void demoRequested();
    void searchTextChanged(const QString &text);
    void sidebarEntryActivated(MainWindow::SidebarEntry entry, const QString &id);
    void currentDealChanged(const QModelIndex &index);
    /// The rep asked to work in the detail pane (Enter on the table): focus its first field.
    void detailFocusRequested();
    /// "Open in Lightfield" / "Copy link" on the deal with this record id.
    void openInLightfieldRequested(const QString &recordId);
    void copyLinkRequested(const QString &recordId);
    /// The page shown in the central area changed (the table's page, or one added with
    /// addWorkspacePage()).
    void workspacePageChanged(QWidget *page);
    /// The rep clicked the pending / conflict counts in the status bar.
    void pendingChangesRequested();
    /// The first rows with data have been painted (for --screenshot).
    void firstDataPainted();

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createMenus();
    void createSidebar();
    /// The saved views in the sidebar (needs the sidebar, the table and the search field).
    void createSavedViews();
    void createCentralArea();
    void createDetailPane();
    void createStatusBar();
    void updateEmptyState();
    /// Puts the table's current row back on m_currentId after the model's rows changed.
    void followCurrentDeal();
    /// Reports `index` (or no deal) as the current deal, once per change of deal.
    void reportCurrentDeal(const QModelIndex &index);
    QModelIndex indexOfDeal(const QString &recordId) const;
    /// Fits the sections of the columns the rep reads first to their contents, widens any
    /// section squashed below its header text, and keeps the rest.
    void fitKeyColumns();
    /// Keeps the window within the screen's available area (at any scale factor).
    void fitToScreen();
    void updateStatusLine();
    void applyDefaultColumns();
    void applyDefaultLayout();
    OpportunitySortFilterProxyModel *proxyModel() const;
    QString columnKey(int logical) const;
    void restoreLayout();
    void saveLayout() const;

    /// Read and written by the window's layout and by m_savedViews.
    std::unique_ptr<AppSettings> m_settings;
    QSplitter *m_splitter = nullptr;
    QTreeWidget *m_sidebar = nullptr;
    QTreeWidgetItem *m_listsRoot = nullptr;
    QTreeWidgetItem *m_viewsRoot = nullptr;
    SavedViewsController *m_savedViews = nullptr;
    QMetaObject::Connection m_searchConnection;
    QLineEdit *m_search = nullptr;
    QStackedWidget *m_centralStack = nullptr;
    QTabWidget *m_pages = nullptr; ///< Table | Board | Charts (tabs shown once a page is added)
    QMenu *m_menus[5] = {};
    QStackedWidget *m_detailStack = nullptr; ///< the "select a deal" line, or the deal form
    QTableView *m_table = nullptr;
    QLabel *m_emptyState = nullptr;
    QLabel *m_capabilityNotice = nullptr;
    QLabel *m_detailPlaceholder = nullptr;
    QLabel *m_connectionLabel = nullptr;
    QLabel *m_countsLabel = nullptr;
    QString m_connectionText;
    QDateTime m_lastSync;
    qint64 m_syncDone = 0;
    qint64 m_syncTotal = 0;
    bool m_signedIn = true;
    QWidget *m_signedOutPage = nullptr;
    QPushButton *m_signedOutSignIn = nullptr;
    QAction *m_signInAction = nullptr;
    QAction *m_signOutAction = nullptr;
    QAction *m_recoverEditsAction = nullptr;
    QProgressBar *m_progress = nullptr;
    DealCountLabel *m_dealCount = nullptr;
    QPointer<QAbstractItemModel> m_model;
    QString m_workspace;
    bool m_dataPainted = false;
    bool m_headerRestored = false;
    /// The deal the rep selected (see currentDealId()), and the one last reported.
    QString m_currentId;
    QString m_reportedId;
    /// True while the model changes its rows: the current-row moves Qt makes then are not the
    /// rep's choice, followCurrentDeal() decides afterwards.
    bool m_followingModel = false;
    bool m_splitterSized = false;
    /// Column keys whose width the rep set by hand; fitKeyColumns() leaves them alone.
    QSet<QString> m_resizedByRep;
    bool m_fittingColumns = false;
    QTimer m_keyColumnsTimer;
    QAction *m_detailPaneAction = nullptr;
    int m_paneWidth = 0; ///< the pane's width before F9 collapsed it
};
