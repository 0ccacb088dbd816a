#include "mainwindow.h"

#include "appinfo.h"
#include "domain/fieldtype.h"
#include "itemmodels/opportunityroles.h"
#include "itemmodels/opportunitysortfilterproxymodel.h"
#include "itemmodels/opportunitytablemodel.h"
#include "savedviewscontroller.h"
#include "settings/appsettings.h"
#include "table/columnmenu.h"
#include "table/dealcountlabel.h"
#include "table/dealstableview.h"

#include <QAbstractItemModel>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QScreen>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabBar>
#include <QTableView>
#include <QTabWidget>
#include <QTextEdit>
#include <QTimer>
#include <QToolBar>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace {
constexpr int kIdRole = Qt::UserRole + 1; ///< a list's id

/// Whether `object` is a text field that has typing of its own to undo (or redo) right now.
/// Such a field keeps Ctrl+Z; any other widget, or a field with nothing left, lets the window's
/// Undo have it, as a word processor's document undo does once a dialog field is exhausted.
bool hasOwnUndo(const QObject *object, bool redo)
{
    if (const auto *line = qobject_cast<const QLineEdit *>(object))
        return !line->isReadOnly() && (redo ? line->isRedoAvailable() : line->isUndoAvailable());
    if (const auto *text = qobject_cast<const QTextEdit *>(object)) {
        return !text->isReadOnly()
            && (redo ? text->document()->isRedoAvailable() : text->document()->isUndoAvailable());
    }
    if (const auto *plain = qobject_cast<const QPlainTextEdit *>(object)) {
        return !plain->isReadOnly()
            && (redo ? plain->document()->isRedoAvailable() : plain->document()->isUndoAvailable());
    }
    if (const auto *spin = qobject_cast<const QAbstractSpinBox *>(object))
        return hasOwnUndo(spin->findChild<QLineEdit *>(), redo);
    return false;
}

bool isRedoKey(const QKeyEvent *key)
{
    return key->matches(QKeySequence::Redo)
        || key->keyCombination()
        == QKeyCombination(Qt::ControlModifier | Qt::ShiftModifier, Qt::Key_Z);
}
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_settings(std::make_unique<AppSettings>())
{
    setObjectName(QStringLiteral("MainWindow"));

    createSidebar();
    createCentralArea();
    createSavedViews();
    m_sidebar->expandAll();
    createDetailPane();

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(m_sidebar);
    m_splitter->addWidget(m_pages->parentWidget());
    m_detailStack = new QStackedWidget(this);
    m_detailStack->setObjectName(QStringLiteral("detailStack"));
    m_detailStack->addWidget(m_detailPlaceholder);
    m_splitter->addWidget(m_detailStack);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 0);
    m_splitter->setCollapsible(1, false);
    connect(m_splitter, &QSplitter::splitterMoved, this, [this] {
        if (m_detailPaneAction)
            m_detailPaneAction->setChecked(isDetailPaneVisible());
    });
    setCentralWidget(m_splitter);

    createStatusBar();
    createMenus();
    resize(1280, 800);
    restoreLayout();
    fitToScreen();
    updateEmptyState();
    // Undo / redo reach the app from any widget of the window, unless the focused text field
    // still has typing of its own to undo (see eventFilter()).
    qApp->installEventFilter(this);
    m_table->installEventFilter(this);
    m_search->installEventFilter(this);
    m_detailStack->installEventFilter(this);
    m_keyColumnsTimer.setSingleShot(true);
    m_keyColumnsTimer.setInterval(150);
    connect(&m_keyColumnsTimer, &QTimer::timeout, this, &MainWindow::fitKeyColumns);
    connect(m_table->horizontalHeader(), &QHeaderView::sectionResized, this, [this](int logical) {
        // A width the rep chose is theirs: no more fitting of that column.
        if (!m_fittingColumns)
            m_resizedByRep.insert(columnKey(logical));
    });
}

MainWindow::~MainWindow()
{
    qApp->removeEventFilter(this);
}

void MainWindow::fitToScreen()
{
    // The default size and a restored geometry are in device-independent pixels: at 1.5× on a
    // small screen either can be larger than the screen.
    const QScreen *display = screen();
    if (!display)
        return;
    const QRect available = display->availableGeometry();
    const QSize frameExtra = frameGeometry().size() - geometry().size();
    const QSize room = available.size() - frameExtra;
    if (width() <= room.width() && height() <= room.height())
        return;
    resize(qMin(width(), room.width()), qMin(height(), room.height()));
    move(available.topLeft());
}

void MainWindow::resizeWithinScreen(const QSize &size)
{
    resize(size);
    fitToScreen();
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_splitterSized)
        return;
    m_splitterSized = true;
    fitToScreen(); // again, now that the frame's size is known
    if (!m_settings->splitterState().isEmpty()) {
        if (m_detailPaneAction)
            m_detailPaneAction->setChecked(isDetailPaneVisible());
        return;
    }
    // First run: the table gets the room; the pane is wide enough for one column of fields.
    const int total = m_splitter->width();
    const int sidebar = qBound(140, total * 12 / 100, 200);
    const int pane = qBound(300, total * 28 / 100, 440);
    m_splitter->setSizes({sidebar, qMax(200, total - sidebar - pane), pane});
}

void MainWindow::setWorkspaceDescription(const QString &text)
{
    m_workspace = text;
    // Qt appends the application's display name ("Demo workspace — Lightfield Deals"), and
    // shows it alone for an empty title.
    setWindowTitle(text);
    updateEmptyState();
}

void MainWindow::setSignedIn(bool signedIn)
{
    m_signedIn = signedIn;
    m_signInAction->setVisible(!signedIn);
    m_signOutAction->setVisible(signedIn);
    updateEmptyState();
    if (!signedIn && isVisible())
        m_signedOutSignIn->setFocus(Qt::OtherFocusReason);
}

void MainWindow::setConnectionState(const QString &text)
{
    m_connectionText = text;
    updateStatusLine();
}

void MainWindow::updateStatusLine()
{
    // One line: what sync is doing now, else the connection and when it last synced.
    QString text;
    if (m_syncTotal > 0 && m_syncDone < m_syncTotal) {
        text = tr("Syncing deals… %1 %")
                   .arg(QLocale().toString(
                       qBound(qint64(0), m_syncDone * 100 / m_syncTotal, qint64(100))));
    } else if (m_lastSync.isValid()) {
        text = tr("%1 · synced %2")
                   .arg(m_connectionText,
                       QLocale().toString(m_lastSync.toLocalTime().time(), QLocale::ShortFormat));
    } else {
        text = m_connectionText;
    }
    m_connectionLabel->setText(text);
}

void MainWindow::setWorkOffline(bool offline)
{
    if (auto *action = findChild<QAction *>(QStringLiteral("workOfflineAction"))) {
        const QSignalBlocker blocker(action);
        action->setChecked(offline);
    }
}

void MainWindow::setSyncCounts(int pending, int parked, int conflicts)
{
    QStringList parts {tr("%n pending", nullptr, pending)};
    if (parked > 0)
        parts << tr("%n failed", nullptr, parked);
    parts << tr("%n conflict(s)", nullptr, conflicts);
    m_countsLabel->setText(parts.join(QStringLiteral(" · ")));
    m_countsLabel->setToolTip(tr("Show the changes waiting to be sent"));
}

void MainWindow::setSyncCountsUnreadable(const QString &reason)
{
    m_countsLabel->setText(tr("Cache unreadable"));
    m_countsLabel->setToolTip(
        tr("The queued changes cannot be read from the offline cache: %1").arg(reason));
}

void MainWindow::setRecoverEditsAvailable(bool available)
{
    m_recoverEditsAction->setEnabled(available);
}

void MainWindow::setLastSync(const QDateTime &when)
{
    m_lastSync = when;
    updateStatusLine();
}

void MainWindow::setSyncProgress(qint64 done, qint64 total)
{
    m_syncDone = done;
    m_syncTotal = total;
    m_progress->setVisible(total > 0 && done < total);
    if (total > 0) {
        // QProgressBar takes int: scale to per mille so huge totals cannot overflow.
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(qBound(qint64(0), done * 1000 / total, qint64(1000))));
    }
    updateStatusLine();
}

void MainWindow::setCapabilityNotice(const QString &text)
{
    m_capabilityNotice->setText(text);
    m_capabilityNotice->setAccessibleName(text);
    m_capabilityNotice->setVisible(!text.isEmpty());
}

void MainWindow::setOpportunityLists(const QList<QPair<QString, QString>> &lists)
{
    qDeleteAll(m_listsRoot->takeChildren());
    for (const auto &[id, name] : lists) {
        auto *item = new QTreeWidgetItem(m_listsRoot, {name});
        item->setData(0, kIdRole, id);
    }
    m_listsRoot->setHidden(lists.isEmpty());
}

void MainWindow::setDealsModel(QAbstractItemModel *model)
{
    if (m_model) {
        disconnect(m_model, nullptr, this, nullptr);
        disconnect(m_model, nullptr, m_savedViews, nullptr);
    }
    disconnect(m_searchConnection);
    m_model = model;
    if (model) {
        // Connected before the view and its selection model connect theirs, so that the flag is
        // up before Qt moves the current row off a row that goes away.
        for (auto signal : {&QAbstractItemModel::rowsAboutToBeRemoved,
                 &QAbstractItemModel::rowsAboutToBeInserted}) {
            connect(model, signal, this, [this] { m_followingModel = true; });
        }
        connect(model, &QAbstractItemModel::layoutAboutToBeChanged, this,
            [this] { m_followingModel = true; });
        connect(model, &QAbstractItemModel::modelAboutToBeReset, this,
            [this] { m_followingModel = true; });
    }
    m_table->setModel(model);
    m_dealCount->setModel(model);
    if (model) {
        for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved}) {
            connect(model, signal, this, &MainWindow::updateEmptyState);
        }
        connect(model, &QAbstractItemModel::modelAboutToBeReset, m_savedViews,
            &SavedViewsController::rememberLayout);
        connect(model, &QAbstractItemModel::modelReset, this, &MainWindow::updateEmptyState);
        // A schema reload keeps the layout by key; a new model's columns are laid out afresh.
        connect(model, &QAbstractItemModel::modelReset, this, [this] {
            if (!m_savedViews->restoreAfterReset())
                applyDefaultColumns();
        });
        connect(model, &QAbstractItemModel::layoutChanged, this, &MainWindow::updateEmptyState);
        // After the view and the selection model have taken the change in.
        for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved}) {
            connect(model, signal, this, &MainWindow::followCurrentDeal);
        }
        connect(model, &QAbstractItemModel::layoutChanged, this, &MainWindow::followCurrentDeal);
        connect(model, &QAbstractItemModel::modelReset, this, &MainWindow::followCurrentDeal);
        connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (m_followingModel)
                    return;
                // The pane shows the current row, so the current row is always selected
                // (focus-in and Ctrl+arrows make a row current without selecting it).
                if (current.isValid() && !m_table->selectionModel()->isRowSelected(current.row())) {
                    const QScopedValueRollback following(m_followingModel, true);
                    m_table->selectionModel()->select(
                        current, QItemSelectionModel::Select | QItemSelectionModel::Rows);
                }
                m_currentId = current.isValid() ? current.data(OpportunityRoles::IdRole).toString()
                                                : QString();
                reportCurrentDeal(current);
            });
        m_headerRestored
            = m_table->horizontalHeader()->restoreState(m_settings->dealsHeaderState());
        applyDefaultColumns();
        connect(model, &QAbstractItemModel::rowsInserted, &m_keyColumnsTimer,
            qOverload<>(&QTimer::start));
        connect(model, &QAbstractItemModel::dataChanged, &m_keyColumnsTimer,
            qOverload<>(&QTimer::start));
        connect(model, &QAbstractItemModel::modelReset, &m_keyColumnsTimer,
            qOverload<>(&QTimer::start));
        m_keyColumnsTimer.start();
        if (OpportunitySortFilterProxyModel *proxy = proxyModel()) {
            m_searchConnection = connect(m_search, &QLineEdit::textChanged, proxy,
                &OpportunitySortFilterProxyModel::setSearchText);
            proxy->setSearchText(m_search->text());
        }
    } else {
        m_currentId.clear();
        m_reportedId.clear();
        m_followingModel = false;
    }
    m_savedViews->setModel(model);
    updateEmptyState();
}

QModelIndex MainWindow::indexOfDeal(const QString &recordId) const
{
    if (!m_model || recordId.isEmpty())
        return {};
    if (const OpportunitySortFilterProxyModel *proxy = proxyModel()) {
        // O(1) through the table model's id index, instead of a scan of every row.
        if (const OpportunityTableModel *table = proxy->tableModel()) {
            const int sourceRow = table->rowForId(recordId);
            return sourceRow < 0 ? QModelIndex() : proxy->mapFromSource(table->index(sourceRow, 0));
        }
    }
    const QModelIndexList found = m_model->match(
        m_model->index(0, 0), OpportunityRoles::IdRole, recordId, 1, Qt::MatchExactly);
    return found.value(0);
}

void MainWindow::followCurrentDeal()
{
    m_followingModel = false;
    QItemSelectionModel *selection = m_table->selectionModel();
    if (!selection || !m_model)
        return;
    if (m_currentId.isEmpty()) {
        // Nothing chosen by the rep: a row Qt made current on its own is not a choice either.
        if (selection->currentIndex().isValid())
            reportCurrentDeal(QModelIndex());
        return;
    }
    const QModelIndex index = indexOfDeal(m_currentId);
    const QScopedValueRollback following(m_followingModel, true);
    if (!index.isValid()) {
        // Hidden by the search or the view (or gone): the pane shows no other deal instead.
        if (selection->currentIndex().isValid() || selection->hasSelection())
            selection->clear();
        reportCurrentDeal(QModelIndex());
        return;
    }
    const QModelIndex current = selection->currentIndex();
    if (!current.isValid() || current.row() != index.row()) {
        const QModelIndex target = index.siblingAtColumn(current.isValid() ? current.column() : 0);
        selection->setCurrentIndex(
            target, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    } else if (!selection->isRowSelected(index.row())) {
        selection->select(index, QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
    reportCurrentDeal(index);
}

void MainWindow::reportCurrentDeal(const QModelIndex &index)
{
    const QString id
        = index.isValid() ? index.data(OpportunityRoles::IdRole).toString() : QString();
    // Rows without an id (a model other than the deals table) are reported on every change.
    if (id == m_reportedId && (!id.isEmpty() || !index.isValid()))
        return;
    m_reportedId = id;
    Q_EMIT currentDealChanged(index);
}

void MainWindow::selectDeal(const QString &recordId)
{
    m_currentId = recordId;
    const QModelIndex index = indexOfDeal(recordId);
    if (index.isValid()) {
        const QScopedValueRollback following(m_followingModel, true);
        m_table->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_table->scrollTo(index);
    } else if (!recordId.isEmpty()) {
        statusBar()->showMessage(
            tr("The deal is hidden by the search or the view: clear them to see it."), 8000);
        if (m_table->selectionModel())
            m_table->selectionModel()->clear();
    }
    reportCurrentDeal(index);
}

void MainWindow::replaceDealId(const QString &oldId, const QString &newId)
{
    if (m_currentId == oldId)
        m_currentId = newId;
    if (m_reportedId == oldId)
        m_reportedId = newId;
}

void MainWindow::setDetailPaneVisible(bool visible)
{
    // Collapsed through the splitter (width 0) rather than hidden, so that the splitter's saved
    // state remembers it, and dragging the pane shut is the same thing as F9.
    QList<int> sizes = m_splitter->sizes();
    if (visible != isDetailPaneVisible() && sizes.size() == 3) {
        if (visible) {
            const int pane = m_paneWidth > 0 ? m_paneWidth : qBound(300, width() * 28 / 100, 440);
            sizes[1] = qMax(200, sizes[1] - pane);
            sizes[2] = pane;
        } else {
            m_paneWidth = sizes[2];
            sizes[1] += sizes[2];
            sizes[2] = 0;
        }
        m_splitter->setSizes(sizes);
    }
    if (m_detailPaneAction)
        m_detailPaneAction->setChecked(isDetailPaneVisible());
}

bool MainWindow::isDetailPaneVisible() const
{
    const QList<int> sizes = m_splitter->sizes();
    return sizes.size() < 3 || sizes[2] > 0;
}

void MainWindow::fitKeyColumns()
{
    if (!m_model || m_model->rowCount() == 0)
        return;
    // The name, the stage and the amounts are what a rep reads in every row: they show their
    // whole text (up to a cap, past which the name elides with a tooltip) unless the rep set a
    // width by hand. Widen only: a fit never squeezes a column the rep widened. Every other
    // column is at least as wide as its header text, so a width squashed in a small window
    // recovers at the next start.
    QHeaderView *header = m_table->horizontalHeader();
    const QScopedValueRollback fitting(m_fittingColumns, true);
    for (int column = 0; column < m_model->columnCount(); ++column) {
        if (header->isSectionHidden(column))
            continue;
        const QString key = columnKey(column);
        const QVariant type
            = m_model->headerData(column, Qt::Horizontal, OpportunityRoles::ColumnTypeRole);
        const bool keyColumn = column == 0 || key == QLatin1String("$stage")
            || (type.isValid() && type.toInt() == int(FieldType::Currency));
        const int width = header->sectionSize(column);
        int wanted = header->sectionSizeHint(column);
        if (keyColumn && !m_resizedByRep.contains(key)) {
            m_table->resizeColumnToContents(column); // the first 1,000 rows
            wanted = qMax(wanted, qMin(header->sectionSize(column), column == 0 ? 420 : 240));
        }
        header->resizeSection(column, qMax(width, wanted));
    }
}

void MainWindow::applyDefaultColumns()
{
    // A saved layout wins; otherwise show the model's default set, the rest in the chooser.
    if (!m_model || m_headerRestored || m_model->columnCount() == 0)
        return;
    applyDefaultLayout();
}

void MainWindow::applyDefaultLayout()
{
    if (!m_model || m_model->columnCount() == 0)
        return;
    QHeaderView *header = m_table->horizontalHeader();
    for (int column = 0; column < m_model->columnCount(); ++column)
        header->moveSection(header->visualIndex(column), column);
    for (int column = 0; column < m_model->columnCount(); ++column) {
        const QVariant visible
            = m_model->headerData(column, Qt::Horizontal, OpportunityRoles::DefaultVisibleRole);
        header->setSectionHidden(column, visible.isValid() && !visible.toBool());
    }
    const QScopedValueRollback fitting(m_fittingColumns, true);
    header->resizeSection(0, 260);
    for (int column = 1; column < m_model->columnCount(); ++column) {
        if (header->isSectionHidden(column))
            continue;
        m_table->resizeColumnToContents(column); // measures the first rows only
        header->resizeSection(column, qBound(90, header->sectionSize(column), 220));
    }
}

OpportunitySortFilterProxyModel *MainWindow::proxyModel() const
{
    return qobject_cast<OpportunitySortFilterProxyModel *>(m_model.data());
}

QString MainWindow::columnKey(int logical) const
{
    return m_model
        ? m_model->headerData(logical, Qt::Horizontal, OpportunityRoles::ColumnKeyRole).toString()
        : QString();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    event->accept();
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride) {
        // A text field claims Ctrl+Z even when it has nothing to undo, which would swallow the
        // window's Undo: refuse the claim for fields of this window that have nothing left.
        auto *key = static_cast<QKeyEvent *>(event);
        const bool redo = isRedoKey(key);
        const bool undo = !redo && key->matches(QKeySequence::Undo);
        auto *widget = qobject_cast<QWidget *>(watched);
        if ((undo || redo) && widget && widget->window() == this && !hasOwnUndo(widget, redo)
            && (qobject_cast<QLineEdit *>(widget) || qobject_cast<QTextEdit *>(widget)
                || qobject_cast<QPlainTextEdit *>(widget)
                || qobject_cast<QAbstractSpinBox *>(widget))) {
            event->ignore();
            return true;
        }
        return false;
    }
    if (watched == m_table && event->type() == QEvent::KeyPress && m_table->hasFocus()) {
        // Enter on a deal opens it for editing in the pane: the only way (with a click) that
        // focus leaves the table, so arrow keys keep browsing. (An inline editor has the
        // keyboard while it is open: its Enter, passed up to the table, is not this.)
        const auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
            && key->modifiers() == Qt::NoModifier && !m_currentId.isEmpty()) {
            setDetailPaneVisible(true);
            Q_EMIT detailFocusRequested();
            return true;
        }
    }
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        // Down or Enter in the search field goes to the results, as in a mail client: to the
        // selected deal if it is among them, else to the first.
        const auto *key = static_cast<QKeyEvent *>(event);
        const bool toResults = key->modifiers() == Qt::NoModifier
            && (key->key() == Qt::Key_Down || key->key() == Qt::Key_Return
                || key->key() == Qt::Key_Enter);
        if (toResults && m_model && m_model->rowCount() > 0) {
            showWorkspacePage(m_centralStack);
            if (!m_table->currentIndex().isValid())
                m_table->setCurrentIndex(m_model->index(0, 0));
            return true;
        }
    }
    if (watched == m_detailStack && event->type() == QEvent::KeyPress) {
        // Escape that no editor in the pane used takes the rep back to the deals.
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape && key->modifiers() == Qt::NoModifier) {
            QWidget *page = m_pages->currentWidget();
            if (page == m_centralStack)
                m_table->setFocus(Qt::ShortcutFocusReason);
            else if (page)
                page->setFocus(Qt::ShortcutFocusReason);
            return true;
        }
    }
    if (watched == m_table->viewport() && event->type() == QEvent::Paint && !m_dataPainted
        && m_model && m_model->rowCount() > 0) {
        m_dataPainted = true;
        // Let this paint finish before anyone grabs the window.
        QTimer::singleShot(0, this, &MainWindow::firstDataPainted);
    }
    if (watched == m_countsLabel && event->type() == QEvent::MouseButtonRelease)
        Q_EMIT pendingChangesRequested();
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::createMenus()
{
    QMenu *fileMenu = m_menus[int(Menu::File)] = menuBar()->addMenu(tr("&File"));
    m_signInAction = fileMenu->addAction(tr("Sign &In…"), this, &MainWindow::signInRequested);
    m_signInAction->setObjectName(QStringLiteral("signInAction"));
    m_signInAction->setVisible(!m_signedIn);
    m_signOutAction = fileMenu->addAction(tr("Sign &Out"), this, &MainWindow::signOutRequested);
    m_signOutAction->setObjectName(QStringLiteral("signOutAction"));
    m_signOutAction->setVisible(m_signedIn);
    fileMenu->addSeparator();
    m_recoverEditsAction = fileMenu->addAction(
        tr("&Recover Edits from a Damaged Cache…"), this, &MainWindow::recoverEditsRequested);
    m_recoverEditsAction->setObjectName(QStringLiteral("recoverEditsAction"));
    m_recoverEditsAction->setEnabled(false);
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *editMenu = m_menus[int(Menu::Edit)] = menuBar()->addMenu(tr("&Edit"));
    QAction *find = editMenu->addAction(tr("&Search Deals"), this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    find->setShortcut(QKeySequence::Find);
    find->setObjectName(QStringLiteral("findAction"));
    editMenu->addSeparator();
    QAction *settings = editMenu->addAction(tr("&Settings…"), this, &MainWindow::settingsRequested);
    settings->setObjectName(QStringLiteral("settingsAction"));
    // The platform's Preferences key, and Ctrl+, where the platform has none or another.
    QList<QKeySequence> settingsKeys = QKeySequence::keyBindings(QKeySequence::Preferences);
    if (!settingsKeys.contains(QKeySequence(Qt::CTRL | Qt::Key_Comma)))
        settingsKeys.append(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    settings->setShortcuts(settingsKeys);
    settings->setMenuRole(QAction::PreferencesRole);

    QMenu *viewMenu = m_menus[int(Menu::View)] = menuBar()->addMenu(tr("&View"));
    auto *columnsMenu = new ColumnMenu(static_cast<DealsTableView *>(m_table), viewMenu);
    columnsMenu->setObjectName(QStringLiteral("columnsMenu"));
    columnsMenu->setTitle(tr("&Columns"));
    viewMenu->addMenu(columnsMenu);
    m_detailPaneAction = viewMenu->addAction(tr("Deal &Pane"));
    m_detailPaneAction->setObjectName(QStringLiteral("detailPaneAction"));
    m_detailPaneAction->setCheckable(true);
    m_detailPaneAction->setChecked(true);
    m_detailPaneAction->setShortcut(QKeySequence(Qt::Key_F9));
    connect(m_detailPaneAction, &QAction::toggled, this, &MainWindow::setDetailPaneVisible);
    viewMenu->addSeparator();
    m_savedViews->createActions(*viewMenu);

    QMenu *dealMenu = m_menus[int(Menu::Deal)] = menuBar()->addMenu(tr("&Deal"));
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

    QMenu *syncMenu = m_menus[int(Menu::Sync)] = menuBar()->addMenu(tr("&Sync"));
    QAction *syncNow = syncMenu->addAction(tr("Sync &Now"), this, &MainWindow::syncRequested);
    syncNow->setShortcut(QKeySequence::Refresh);
    syncNow->setObjectName(QStringLiteral("syncNowAction"));
    QAction *workOffline = syncMenu->addAction(tr("Work &Offline"));
    workOffline->setObjectName(QStringLiteral("workOfflineAction"));
    workOffline->setCheckable(true);
    connect(workOffline, &QAction::toggled, this, &MainWindow::workOfflineToggled);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *about
        = helpMenu->addAction(tr("&About Lightfield Deals"), this, &MainWindow::aboutRequested);
    about->setMenuRole(QAction::AboutRole);
}

void MainWindow::createSidebar()
{
    m_sidebar = new QTreeWidget(this);
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setAccessibleName(tr("Saved views and lists"));
    m_sidebar->setHeaderHidden(true);
    m_sidebar->setRootIsDecorated(false);
    m_sidebar->setIndentation(12);
    m_sidebar->setFocusPolicy(Qt::StrongFocus);
    m_viewsRoot = new QTreeWidgetItem(m_sidebar, {tr("Saved views")});
    m_viewsRoot->setFlags(Qt::ItemIsEnabled);
    m_listsRoot = new QTreeWidgetItem(m_sidebar, {tr("Lists")});
    m_listsRoot->setFlags(Qt::ItemIsEnabled);
    m_listsRoot->setHidden(true);
}

void MainWindow::createSavedViews()
{
    m_savedViews = new SavedViewsController(
        *m_settings, *m_table, *m_search, *m_sidebar, *m_viewsRoot, *this, this);
    connect(m_savedViews, &SavedViewsController::viewChosen, this,
        [this](const QString &id) { Q_EMIT sidebarEntryActivated(SidebarEntry::View, id); });
    connect(m_savedViews, &SavedViewsController::defaultLayoutRequested, this,
        &MainWindow::applyDefaultLayout);
    connect(
        m_savedViews, &SavedViewsController::statusMessage, statusBar(), &QStatusBar::showMessage);
    // Lists are the app's to apply; the views' entries are handled by m_savedViews, which
    // connected first.
    connect(m_sidebar, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (!item || item->parent() != m_listsRoot)
            return;
        Q_EMIT sidebarEntryActivated(SidebarEntry::List, item->data(0, kIdRole).toString());
    });
}

void MainWindow::createCentralArea()
{
    auto *area = new QWidget(this);
    auto *layout = new QVBoxLayout(area);
    layout->setContentsMargins(0, 0, 0, 0);

    m_search = new QLineEdit(area);
    m_search->setObjectName(QStringLiteral("searchField"));
    m_search->setPlaceholderText(
        tr("Search deals…  (%1)")
            .arg(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText)));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search deals"));
    connect(m_search, &QLineEdit::textChanged, this, &MainWindow::searchTextChanged);
    connect(m_search, &QLineEdit::textChanged, this, &MainWindow::updateEmptyState);
    m_capabilityNotice = new QLabel(area);
    m_capabilityNotice->setObjectName(QStringLiteral("capabilityNotice"));
    m_capabilityNotice->setWordWrap(true);
    m_capabilityNotice->setTextFormat(Qt::PlainText);
    m_capabilityNotice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_capabilityNotice->setFrameShape(QFrame::StyledPanel);
    m_capabilityNotice->setMargin(6);
    m_capabilityNotice->setAutoFillBackground(true);
    m_capabilityNotice->setBackgroundRole(QPalette::ToolTipBase);
    m_capabilityNotice->setForegroundRole(QPalette::ToolTipText);
    m_capabilityNotice->hide();
    layout->addWidget(m_capabilityNotice);
    layout->addWidget(m_search);

    m_centralStack = new QStackedWidget(area);
    m_centralStack->setObjectName(QStringLiteral("dealsStack"));
    auto *table = new DealsTableView(m_centralStack);
    connect(table, &DealsTableView::resetColumnsRequested, this, &MainWindow::applyDefaultLayout);
    m_table = table;
    m_table->setObjectName(QStringLiteral("dealsTable"));
    m_table->setAccessibleName(tr("Deals"));
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

    // Signed out (e.g. after Cancel in the sign-in dialog), as a mail client without an
    // account: say so and offer the way in, instead of an empty table.
    m_signedOutPage = new QWidget(m_centralStack);
    m_signedOutPage->setObjectName(QStringLiteral("signedOutPage"));
    auto *signedOutText = new QLabel(
        tr("<h3>You're not signed in</h3><p>Sign in with an API key from Lightfield to see "
           "your deals, or open the demo workspace to try the app with invented data.</p>"),
        m_signedOutPage);
    signedOutText->setObjectName(QStringLiteral("signedOutText"));
    signedOutText->setWordWrap(true);
    signedOutText->setAlignment(Qt::AlignCenter);
    m_signedOutSignIn = new QPushButton(tr("Sign &In…"), m_signedOutPage);
    m_signedOutSignIn->setObjectName(QStringLiteral("signedOutSignInButton"));
    m_signedOutSignIn->setDefault(true);
    auto *signedOutDemo = new QPushButton(tr("Open De&mo Workspace"), m_signedOutPage);
    signedOutDemo->setObjectName(QStringLiteral("signedOutDemoButton"));
    connect(m_signedOutSignIn, &QPushButton::clicked, this, &MainWindow::signInRequested);
    connect(signedOutDemo, &QPushButton::clicked, this, &MainWindow::demoRequested);
    auto *signedOutButtons = new QHBoxLayout;
    signedOutButtons->addStretch(1);
    signedOutButtons->addWidget(m_signedOutSignIn);
    signedOutButtons->addWidget(signedOutDemo);
    signedOutButtons->addStretch(1);
    auto *signedOutLayout = new QVBoxLayout(m_signedOutPage);
    signedOutLayout->addStretch(1);
    signedOutLayout->addWidget(signedOutText);
    signedOutLayout->addLayout(signedOutButtons);
    signedOutLayout->addStretch(2);

    m_centralStack->addWidget(m_table);
    m_centralStack->addWidget(m_emptyState);
    m_centralStack->addWidget(m_signedOutPage);
    m_pages = new QTabWidget(area);
    m_pages->setObjectName(QStringLiteral("workspacePages"));
    m_pages->setDocumentMode(true);
    m_pages->tabBar()->setAutoHide(true); // tabs only once there is more than the table
    m_pages->addTab(m_centralStack, tr("Table"));
    connect(m_pages, &QTabWidget::currentChanged, this,
        [this](int index) { Q_EMIT workspacePageChanged(m_pages->widget(index)); });
    layout->addWidget(m_pages, 1);
}

void MainWindow::addWorkspacePage(QWidget *page, const QString &title)
{
    m_pages->addTab(page, title);
    QAction *show = m_menus[int(Menu::View)]->addAction(tr("Show %1").arg(title));
    show->setObjectName(QStringLiteral("show%1Action").arg(title));
    show->setShortcut(QKeySequence(QStringLiteral("Ctrl+Alt+%1").arg(m_pages->count())));
    connect(show, &QAction::triggered, page, [this, page] { showWorkspacePage(page); });
    // A page's action goes with it (a new session's EditController adds its pages again).
    connect(page, &QObject::destroyed, this,
        [action = QPointer<QAction>(show)] { delete action.data(); });
    if (m_pages->count() == 2 && !findChild<QAction *>(QStringLiteral("showTableAction"))) {
        // The table gets its own entry once there is something to switch to.
        QAction *table = new QAction(tr("Show Table"), this);
        table->setObjectName(QStringLiteral("showTableAction"));
        table->setShortcut(QKeySequence(QStringLiteral("Ctrl+Alt+1")));
        connect(table, &QAction::triggered, this, [this] { showWorkspacePage(m_centralStack); });
        m_menus[int(Menu::View)]->insertSeparator(show);
        m_menus[int(Menu::View)]->insertAction(show, table);
    }
}

void MainWindow::showWorkspacePage(QWidget *page)
{
    // `page` may be a widget inside a page (the board inside its page with the pipeline row).
    QWidget *tab = page;
    while (tab && m_pages->indexOf(tab) < 0)
        tab = tab->parentWidget();
    if (!tab)
        return;
    m_pages->setCurrentWidget(tab);
    if (page == m_centralStack)
        m_table->setFocus(Qt::ShortcutFocusReason);
    else
        page->setFocus(Qt::ShortcutFocusReason);
}

QWidget *MainWindow::currentWorkspacePage() const
{
    return m_pages->currentWidget();
}

QMenu *MainWindow::menu(Menu which) const
{
    return m_menus[int(which)];
}

void MainWindow::setDetailWidget(QWidget *widget)
{
    m_detailStack->addWidget(widget);
    m_detailStack->setCurrentWidget(widget);
}

void MainWindow::setDetailWidgetShown(bool shown)
{
    if (shown && m_detailStack->count() > 1)
        m_detailStack->setCurrentIndex(m_detailStack->count() - 1);
    else
        m_detailStack->setCurrentWidget(m_detailPlaceholder);
}

QStringList MainWindow::selectedDealIds() const
{
    QStringList ids;
    if (!m_table->selectionModel())
        return ids;
    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
        [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    for (const QModelIndex &index : std::as_const(rows))
        ids << index.data(OpportunityRoles::IdRole).toString();
    return ids;
}

void MainWindow::createDetailPane()
{
    // Until the app gives the pane a deal to show (setDetailWidget()), and whenever no deal is
    // open, it says how to get one.
    m_detailPlaceholder = new QLabel(tr("Select a deal to see its details."), this);
    m_detailPlaceholder->setObjectName(QStringLiteral("detailPlaceholder"));
    m_detailPlaceholder->setAlignment(Qt::AlignCenter);
    m_detailPlaceholder->setWordWrap(true);
    m_detailPlaceholder->setMargin(12);
}

void MainWindow::createStatusBar()
{
    m_connectionLabel = new QLabel(this);
    m_connectionLabel->setObjectName(QStringLiteral("connectionState"));
    m_countsLabel = new QLabel(this);
    m_countsLabel->setObjectName(QStringLiteral("syncCounts"));
    m_countsLabel->setToolTip(tr("Show the changes waiting to be sent"));
    m_countsLabel->setCursor(Qt::PointingHandCursor);
    m_countsLabel->installEventFilter(this);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("syncProgress"));
    m_progress->setMaximumWidth(220);
    m_progress->setVisible(false);
    m_progress->setTextVisible(false); // the connection label says how far
    statusBar()->addWidget(m_connectionLabel);
    statusBar()->addWidget(m_countsLabel, 1);
    statusBar()->addPermanentWidget(m_progress);
    m_dealCount = new DealCountLabel(this);
    statusBar()->addPermanentWidget(m_dealCount);
    setConnectionState(tr("Offline"));
    setLastSync({});
    setSyncCounts(0, 0, 0);
}

void MainWindow::updateEmptyState()
{
    if (!m_signedIn) {
        m_centralStack->setCurrentWidget(m_signedOutPage);
        return;
    }
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
                : tr("%1<br><br>No deals to show yet.").arg(m_workspace.toHtmlEscaped()));
    }
    m_centralStack->setCurrentWidget(m_emptyState);
}

void MainWindow::restoreLayout()
{
    restoreGeometry(m_settings->windowGeometry());
    restoreState(m_settings->windowState());
    m_splitter->restoreState(m_settings->splitterState());
}

void MainWindow::saveLayout() const
{
    m_settings->setWindowGeometry(saveGeometry());
    m_settings->setWindowState(saveState());
    m_settings->setSplitterState(m_splitter->saveState());
    if (m_model)
        m_settings->setDealsHeaderState(m_table->horizontalHeader()->saveState());
}
