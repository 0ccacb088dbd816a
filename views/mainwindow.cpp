#include "mainwindow.h"

#include "appinfo.h"
#include "settings/appsettings.h"
#include "table/opportunityroles.h"

#include <QAbstractItemModel>
#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFormLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QProgressBar>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {
constexpr int kEntryRole = Qt::UserRole;
constexpr int kListIdRole = Qt::UserRole + 1;
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(QString::fromLatin1(AppInfo::kName));

    createSidebar();
    createCentralArea();
    createDetailPane();

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(m_sidebar);
    m_splitter->addWidget(m_centralStack->parentWidget());
    m_splitter->addWidget(m_detailPane);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 0);
    m_splitter->setSizes({200, 760, 300});
    setCentralWidget(m_splitter);

    createStatusBar();
    createMenus();
    resize(1280, 800);
    restoreLayout();
    updateEmptyState();
}

MainWindow::~MainWindow() = default;

void MainWindow::setWorkspaceDescription(const QString &text)
{
    m_workspace = text;
    setWindowTitle(text.isEmpty() ? QString::fromLatin1(AppInfo::kName)
                                  : tr("%1 — %2").arg(QString::fromLatin1(AppInfo::kName), text));
    updateEmptyState();
}

void MainWindow::setConnectionState(const QString &text)
{
    m_connectionLabel->setText(text);
}

void MainWindow::setSyncCounts(int pending, int parked, int conflicts)
{
    QStringList parts{tr("%n pending", nullptr, pending)};
    if (parked > 0)
        parts << tr("%n failed", nullptr, parked);
    parts << tr("%n conflict(s)", nullptr, conflicts);
    m_countsLabel->setText(parts.join(QStringLiteral(" · ")));
}

void MainWindow::setLastSync(const QDateTime &when)
{
    m_lastSyncLabel->setText(
        when.isValid() ? tr("synced %1").arg(QLocale().toString(when.toLocalTime().time(),
                                                                QLocale::ShortFormat))
                       : tr("not synced yet"));
}

void MainWindow::setSyncProgress(qint64 done, qint64 total)
{
    m_progress->setVisible(total > 0 && done < total);
    if (total > 0) {
        // QProgressBar takes int: scale to per mille so huge totals cannot overflow.
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(qBound(qint64(0), done * 1000 / total, qint64(1000))));
        m_progress->setFormat(tr("sweep %p%"));
    }
}

void MainWindow::setOpportunityLists(const QList<QPair<QString, QString>> &lists)
{
    qDeleteAll(m_listsRoot->takeChildren());
    for (const auto &[id, name] : lists) {
        auto *item = new QTreeWidgetItem(m_listsRoot, {name});
        item->setData(0, kEntryRole, QVariant::fromValue(SidebarEntry::List));
        item->setData(0, kListIdRole, id);
    }
    m_listsRoot->setHidden(lists.isEmpty());
}

void MainWindow::setDealsModel(QAbstractItemModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    m_table->setModel(model);
    if (model) {
        for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved}) {
            connect(model, signal, this, &MainWindow::updateEmptyState);
        }
        connect(model, &QAbstractItemModel::modelReset, this, &MainWindow::updateEmptyState);
        connect(model, &QAbstractItemModel::modelReset, this, &MainWindow::applyDefaultColumns);
        connect(model, &QAbstractItemModel::layoutChanged, this, &MainWindow::updateEmptyState);
        connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                [this](const QModelIndex &current) {
                    showDetails(current);
                    Q_EMIT currentDealChanged(current);
                });
        m_headerRestored
            = m_table->horizontalHeader()->restoreState(AppSettings().dealsHeaderState());
        applyDefaultColumns();
    }
    updateEmptyState();
}

void MainWindow::applyDefaultColumns()
{
    // A saved layout wins; otherwise show the model's default set, the rest in the chooser.
    if (!m_model || m_headerRestored || m_model->columnCount() == 0)
        return;
    QHeaderView *header = m_table->horizontalHeader();
    for (int column = 0; column < m_model->columnCount(); ++column) {
        const QVariant visible
            = m_model->headerData(column, Qt::Horizontal, OpportunityRoles::DefaultVisibleRole);
        header->setSectionHidden(column, visible.isValid() && !visible.toBool());
    }
    header->resizeSection(0, 260);
    for (int column = 1; column < m_model->columnCount(); ++column) {
        if (header->isSectionHidden(column))
            continue;
        m_table->resizeColumnToContents(column); // measures the first rows only
        header->resizeSection(column, qBound(90, header->sectionSize(column), 220));
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    event->accept();
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table->viewport() && event->type() == QEvent::Paint && !m_dataPainted
        && m_model && m_model->rowCount() > 0) {
        m_dataPainted = true;
        // Let this paint finish before anyone grabs the window.
        QTimer::singleShot(0, this, &MainWindow::firstDataPainted);
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::createMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *signOut = fileMenu->addAction(tr("Sign &Out"), this, &MainWindow::signOutRequested);
    signOut->setObjectName(QStringLiteral("signOutAction"));
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *editMenu = menuBar()->addMenu(tr("&Edit"));
    QAction *find = editMenu->addAction(tr("&Search Deals"), this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    find->setShortcut(QKeySequence::Find);
    find->setObjectName(QStringLiteral("findAction"));
    editMenu->addSeparator();
    QAction *settings = editMenu->addAction(tr("&Settings…"), this,
                                            &MainWindow::settingsRequested);
    settings->setShortcut(QKeySequence(QStringLiteral("Ctrl+,")));
    settings->setMenuRole(QAction::PreferencesRole);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    QMenu *columnsMenu = viewMenu->addMenu(tr("&Columns"));
    columnsMenu->setObjectName(QStringLiteral("columnsMenu"));
    // The column chooser: every column of the model, checked when shown.
    connect(columnsMenu, &QMenu::aboutToShow, this, [this, columnsMenu] {
        columnsMenu->clear();
        if (!m_model)
            return;
        QHeaderView *header = m_table->horizontalHeader();
        for (int column = 0; column < m_model->columnCount(); ++column) {
            QAction *action = columnsMenu->addAction(
                m_model->headerData(column, Qt::Horizontal).toString());
            action->setCheckable(true);
            action->setChecked(!header->isSectionHidden(column));
            action->setEnabled(column != 0); // the name always stays
            connect(action, &QAction::toggled, header, [header, column](bool shown) {
                header->setSectionHidden(column, !shown);
            });
        }
    });
    QMenu *dealMenu = menuBar()->addMenu(tr("&Deal"));
    QAction *openInLightfield = dealMenu->addAction(tr("&Open in Lightfield"), this, [this] {
        if (const QString id = currentDealId(); !id.isEmpty())
            Q_EMIT openInLightfieldRequested(id);
    });
    openInLightfield->setObjectName(QStringLiteral("openInLightfieldAction"));
    openInLightfield->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+O")));
    QAction *copyLink = dealMenu->addAction(tr("&Copy Link"), this, [this] {
        if (const QString id = currentDealId(); !id.isEmpty())
            Q_EMIT copyLinkRequested(id);
    });
    copyLink->setObjectName(QStringLiteral("copyLinkAction"));
    copyLink->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+C")));
    // The same actions on the table's context menu.
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_table->addAction(openInLightfield);
    m_table->addAction(copyLink);

    QMenu *syncMenu = menuBar()->addMenu(tr("&Sync"));
    QAction *syncNow = syncMenu->addAction(tr("Sync &Now"), this, &MainWindow::syncRequested);
    syncNow->setShortcut(QKeySequence::Refresh);
    syncNow->setObjectName(QStringLiteral("syncNowAction"));
    QAction *workOffline = syncMenu->addAction(tr("Work &Offline"));
    workOffline->setObjectName(QStringLiteral("workOfflineAction"));
    workOffline->setCheckable(true);
    connect(workOffline, &QAction::toggled, this, &MainWindow::workOfflineToggled);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *about = helpMenu->addAction(tr("&About Lightfield Deals"), this,
                                         &MainWindow::aboutRequested);
    about->setMenuRole(QAction::AboutRole);
}

void MainWindow::createSidebar()
{
    m_sidebar = new QTreeWidget(this);
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setHeaderHidden(true);
    m_sidebar->setRootIsDecorated(false);
    m_sidebar->setIndentation(12);
    auto addEntry = [this](QTreeWidgetItem *parent, const QString &text, SidebarEntry entry) {
        auto *item = parent ? new QTreeWidgetItem(parent, {text})
                            : new QTreeWidgetItem(m_sidebar, {text});
        item->setData(0, kEntryRole, QVariant::fromValue(entry));
        return item;
    };
    QTreeWidgetItem *all = addEntry(nullptr, tr("All deals"), SidebarEntry::AllDeals);
    addEntry(nullptr, tr("My deals"), SidebarEntry::MyDeals);
    auto *views = new QTreeWidgetItem(m_sidebar, {tr("Saved views")});
    views->setFlags(Qt::ItemIsEnabled);
    addEntry(views, tr("My open deals"), SidebarEntry::MyOpenDeals);
    addEntry(views, tr("Closing this month"), SidebarEntry::ClosingThisMonth);
    m_listsRoot = new QTreeWidgetItem(m_sidebar, {tr("Lists")});
    m_listsRoot->setFlags(Qt::ItemIsEnabled);
    m_listsRoot->setHidden(true);
    m_sidebar->expandAll();
    m_sidebar->setCurrentItem(all);
    connect(m_sidebar, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (!item || !item->data(0, kEntryRole).isValid())
            return;
        Q_EMIT sidebarEntryActivated(item->data(0, kEntryRole).value<SidebarEntry>(),
                                     item->data(0, kListIdRole).toString());
    });
}

void MainWindow::createCentralArea()
{
    auto *area = new QWidget(this);
    auto *layout = new QVBoxLayout(area);
    layout->setContentsMargins(0, 0, 0, 0);

    m_search = new QLineEdit(area);
    m_search->setObjectName(QStringLiteral("searchField"));
    m_search->setPlaceholderText(tr("Search deals…  (%1)")
                                     .arg(QKeySequence(QKeySequence::Find)
                                              .toString(QKeySequence::NativeText)));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, this, &MainWindow::searchTextChanged);
    connect(m_search, &QLineEdit::textChanged, this, &MainWindow::updateEmptyState);
    layout->addWidget(m_search);

    m_centralStack = new QStackedWidget(area);
    m_table = new QTableView(m_centralStack);
    m_table->setObjectName(QStringLiteral("dealsTable"));
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->viewport()->installEventFilter(this);

    m_emptyState = new QLabel(m_centralStack);
    m_emptyState->setObjectName(QStringLiteral("emptyState"));
    m_emptyState->setAlignment(Qt::AlignCenter);
    m_emptyState->setWordWrap(true);
    m_emptyState->setTextFormat(Qt::RichText);
    connect(m_emptyState, &QLabel::linkActivated, m_search, &QLineEdit::clear);

    m_centralStack->addWidget(m_table);
    m_centralStack->addWidget(m_emptyState);
    layout->addWidget(m_centralStack, 1);
}

void MainWindow::createDetailPane()
{
    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("detailPane"));
    scroll->setWidgetResizable(true);
    auto *content = new QWidget(scroll);
    auto *layout = new QVBoxLayout(content);
    m_detailTitle = new QLabel(tr("Select a deal to see its details."), content);
    m_detailTitle->setObjectName(QStringLiteral("detailTitle"));
    m_detailTitle->setWordWrap(true);
    QFont titleFont = m_detailTitle->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_detailTitle->setFont(titleFont);
    layout->addWidget(m_detailTitle);
    m_detailForm = new QFormLayout();
    m_detailForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->addLayout(m_detailForm);
    layout->addStretch(1);
    scroll->setWidget(content);
    m_detailPane = scroll;
}

void MainWindow::createStatusBar()
{
    m_connectionLabel = new QLabel(this);
    m_connectionLabel->setObjectName(QStringLiteral("connectionState"));
    m_countsLabel = new QLabel(this);
    m_countsLabel->setObjectName(QStringLiteral("syncCounts"));
    m_lastSyncLabel = new QLabel(this);
    m_lastSyncLabel->setObjectName(QStringLiteral("lastSync"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("syncProgress"));
    m_progress->setMaximumWidth(220);
    m_progress->setVisible(false);
    statusBar()->addWidget(m_connectionLabel);
    statusBar()->addWidget(m_lastSyncLabel);
    statusBar()->addWidget(m_countsLabel, 1);
    statusBar()->addPermanentWidget(m_progress);
    setConnectionState(tr("Offline"));
    setLastSync({});
    setSyncCounts(0, 0, 0);
}

void MainWindow::updateEmptyState()
{
    const bool hasRows = m_model && m_model->rowCount() > 0;
    if (hasRows) {
        m_centralStack->setCurrentWidget(m_table);
        return;
    }
    const QString search = m_search->text().trimmed();
    if (!search.isEmpty()) {
        m_emptyState->setText(tr("No deals match “%1” — <a href=\"clear\">clear search</a>")
                                  .arg(search.toHtmlEscaped()));
    } else {
        m_emptyState->setText(m_workspace.isEmpty()
                                  ? tr("No deals to show yet.")
                                  : tr("%1<br><br>No deals to show yet.")
                                        .arg(m_workspace.toHtmlEscaped()));
    }
    m_centralStack->setCurrentWidget(m_emptyState);
}

QString MainWindow::currentDealId() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? current.data(OpportunityRoles::IdRole).toString() : QString();
}

void MainWindow::showDetails(const QModelIndex &index)
{
    while (m_detailForm->rowCount() > 0)
        m_detailForm->removeRow(0);
    if (!index.isValid() || !m_model) {
        m_detailTitle->setText(tr("Select a deal to see its details."));
        return;
    }
    const QAbstractItemModel *model = index.model();
    m_detailTitle->setText(model->index(index.row(), 0).data().toString());
    for (int column = 1; column < model->columnCount(); ++column) {
        const QString header = model->headerData(column, Qt::Horizontal).toString();
        const QString value = model->index(index.row(), column).data().toString();
        auto *label = new QLabel(value.isEmpty() ? QStringLiteral("—") : value);
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_detailForm->addRow(header, label);
    }
}

void MainWindow::restoreLayout()
{
    const AppSettings settings;
    restoreGeometry(settings.windowGeometry());
    restoreState(settings.windowState());
    m_splitter->restoreState(settings.splitterState());
}

void MainWindow::saveLayout() const
{
    AppSettings settings;
    settings.setWindowGeometry(saveGeometry());
    settings.setWindowState(saveState());
    settings.setSplitterState(m_splitter->saveState());
    if (m_model)
        settings.setDealsHeaderState(m_table->horizontalHeader()->saveState());
}
