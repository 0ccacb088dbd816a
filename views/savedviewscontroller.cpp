#include "savedviewscontroller.h"

#include "domain/fieldtype.h"
#include "itemmodels/opportunityroles.h"
#include "itemmodels/opportunitysortfilterproxymodel.h"
#include "settings/appsettings.h"

#include <QAbstractItemModel>
#include <QAction>
#include <QHeaderView>
#include <QInputDialog>
#include <QKeySequence>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QTreeWidget>

#include <algorithm>
#include <utility>

namespace {
constexpr int kViewIdRole = Qt::UserRole + 1;
} // namespace

SavedViewsController::SavedViewsController(AppSettings &settings, QTableView &table,
    QLineEdit &search, QTreeWidget &sidebar, QTreeWidgetItem &viewsRoot, QWidget &dialogParent,
    QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_table(table)
    , m_search(search)
    , m_sidebar(sidebar)
    , m_viewsRoot(viewsRoot)
    , m_dialogParent(dialogParent)
    , m_views(settings.savedViews())
    , m_currentDate([] { return QDate::currentDate(); })
{
    rebuildViewItems(m_views.isEmpty() ? QString() : m_views.constFirst().id);
    connect(&m_sidebar, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        updateViewActions();
        if (!item || item->parent() != &m_viewsRoot)
            return;
        const QString id = item->data(0, kViewIdRole).toString();
        selectView(id);
        Q_EMIT viewChosen(id);
    });
    // Enter or a double click on the current view applies it again (undoing later tweaks).
    connect(&m_sidebar, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        if (item && item == m_sidebar.currentItem() && item->parent() == &m_viewsRoot)
            selectView(item->data(0, kViewIdRole).toString());
    });
}

SavedViewsController::~SavedViewsController() = default;

void SavedViewsController::createActions(QMenu &viewMenu)
{
    QAction *saveViewAs
        = viewMenu.addAction(tr("&Save View As…"), this, &SavedViewsController::promptSaveViewAs);
    saveViewAs->setObjectName(QStringLiteral("saveViewAsAction"));
    saveViewAs->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+S")));
    m_updateViewAction
        = viewMenu.addAction(tr("&Update View"), this, [this] { updateView(currentViewId()); });
    m_updateViewAction->setObjectName(QStringLiteral("updateViewAction"));
    m_renameViewAction
        = viewMenu.addAction(tr("&Rename View…"), this, &SavedViewsController::promptRenameView);
    m_renameViewAction->setObjectName(QStringLiteral("renameViewAction"));
    m_deleteViewAction
        = viewMenu.addAction(tr("&Delete View…"), this, &SavedViewsController::promptDeleteView);
    m_deleteViewAction->setObjectName(QStringLiteral("deleteViewAction"));
    viewMenu.addSeparator();
    QAction *focusSidebar = viewMenu.addAction(tr("Go to Saved &Views"), this, [this] {
        m_sidebar.setFocus(Qt::ShortcutFocusReason);
        if (!m_sidebar.currentItem() && m_viewsRoot.childCount() > 0)
            m_sidebar.setCurrentItem(m_viewsRoot.child(0));
    });
    focusSidebar->setObjectName(QStringLiteral("focusSidebarAction"));
    focusSidebar->setShortcut(QKeySequence(QStringLiteral("Ctrl+1")));

    // The sidebar's context menu: the same commands with the tree's own keys (F2, Delete), only
    // while the sidebar has focus so Delete in the search field stays a text edit.
    const auto sidebarAction
        = [this](const QString &text, const QKeySequence &key, QAction *menuAction) {
              auto *action = new QAction(text, &m_sidebar);
              action->setShortcut(key);
              action->setShortcutContext(Qt::WidgetShortcut);
              connect(action, &QAction::triggered, menuAction, &QAction::trigger);
              m_sidebar.addAction(action);
              m_sidebarViewActions.append(action);
              return action;
          };
    sidebarAction(tr("Update View"), {}, m_updateViewAction);
    sidebarAction(tr("Rename View…"), QKeySequence(Qt::Key_F2), m_renameViewAction);
    sidebarAction(tr("Delete View…"), QKeySequence(QKeySequence::Delete), m_deleteViewAction);
    auto *separator = new QAction(&m_sidebar);
    separator->setSeparator(true);
    m_sidebar.addAction(separator);
    m_sidebar.addAction(saveViewAs);
    m_sidebar.setContextMenuPolicy(Qt::ActionsContextMenu);
    updateViewActions();
}

void SavedViewsController::setModel(QAbstractItemModel *model)
{
    m_model = model;
    m_pendingView.reset();
    m_resetSnapshot.reset();
    if (!model || !proxyModel())
        return;
    if (const SavedView *view = findView(currentViewId()))
        applyFiltersAndSearch(*view);
}

SavedView *SavedViewsController::findView(const QString &id)
{
    const auto it = std::find_if(
        m_views.begin(), m_views.end(), [&id](const SavedView &v) { return v.id == id; });
    return it == m_views.end() ? nullptr : &*it;
}

void SavedViewsController::rebuildViewItems(const QString &currentId)
{
    const QSignalBlocker blocker(&m_sidebar);
    qDeleteAll(m_viewsRoot.takeChildren());
    QTreeWidgetItem *current = nullptr;
    for (const SavedView &view : std::as_const(m_views)) {
        auto *item = new QTreeWidgetItem(&m_viewsRoot, {view.name});
        item->setData(0, kViewIdRole, view.id);
        item->setToolTip(0, view.description.isEmpty() ? view.name : view.description);
        item->setData(0, Qt::AccessibleDescriptionRole, view.description);
        if (view.id == currentId)
            current = item;
    }
    m_viewsRoot.setExpanded(true);
    if (current)
        m_sidebar.setCurrentItem(current);
    else if (m_sidebar.currentItem() && m_sidebar.currentItem()->parent() == &m_viewsRoot)
        m_sidebar.setCurrentItem(nullptr);
    updateViewActions();
}

QString SavedViewsController::currentViewId() const
{
    const QTreeWidgetItem *item = m_sidebar.currentItem();
    if (!item || item->parent() != &m_viewsRoot)
        return {};
    return item->data(0, kViewIdRole).toString();
}

bool SavedViewsController::selectView(const QString &id)
{
    const SavedView *view = findView(id);
    if (!view)
        return false;
    if (currentViewId() != id) {
        const QSignalBlocker blocker(&m_sidebar);
        for (int i = 0; i < m_viewsRoot.childCount(); ++i) {
            if (m_viewsRoot.child(i)->data(0, kViewIdRole).toString() == id)
                m_sidebar.setCurrentItem(m_viewsRoot.child(i));
        }
        updateViewActions();
    }
    applyView(*view);
    return true;
}

void SavedViewsController::setCurrentDateProvider(std::function<QDate()> provider)
{
    m_currentDate = provider ? std::move(provider) : [] { return QDate::currentDate(); };
}

void SavedViewsController::updateViewActions()
{
    const bool onView = !currentViewId().isEmpty();
    for (QAction *action : {m_updateViewAction, m_renameViewAction, m_deleteViewAction}) {
        if (action)
            action->setEnabled(onView);
    }
    for (QAction *action : std::as_const(m_sidebarViewActions))
        action->setEnabled(onView);
}

void SavedViewsController::persistViews()
{
    m_settings.setSavedViews(m_views);
    Q_EMIT savedViewsChanged();
}

QString SavedViewsController::saveCurrentViewAs(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return {};
    const bool taken
        = std::any_of(m_views.cbegin(), m_views.cend(), [&trimmed](const SavedView &v) {
              return v.name.compare(trimmed, Qt::CaseInsensitive) == 0;
          });
    if (taken) {
        Q_EMIT statusMessage(
            tr("A view named “%1” already exists — select it and use Update View.").arg(trimmed),
            8000);
        return {};
    }
    SavedView view = currentState();
    const SavedView fresh = SavedView::create(trimmed);
    view.id = fresh.id;
    view.name = fresh.name;
    m_views.append(view);
    persistViews();
    rebuildViewItems(view.id);
    Q_EMIT statusMessage(tr("View “%1” saved.").arg(trimmed), 3000);
    return view.id;
}

bool SavedViewsController::updateView(const QString &id)
{
    SavedView *view = findView(id);
    if (id.isEmpty() || !view)
        return false;
    SavedView state = currentState();
    state.id = view->id;
    state.name = view->name;
    state.description = view->description;
    *view = state;
    persistViews();
    Q_EMIT statusMessage(tr("View “%1” updated.").arg(state.name), 3000);
    return true;
}

bool SavedViewsController::renameView(const QString &id, const QString &name)
{
    const QString trimmed = name.trimmed();
    SavedView *view = findView(id);
    if (trimmed.isEmpty() || !view)
        return false;
    const bool taken = std::any_of(m_views.cbegin(), m_views.cend(), [&](const SavedView &v) {
        return v.id != id && v.name.compare(trimmed, Qt::CaseInsensitive) == 0;
    });
    if (taken) {
        Q_EMIT statusMessage(tr("A view named “%1” already exists.").arg(trimmed), 8000);
        return false;
    }
    view->name = trimmed;
    persistViews();
    rebuildViewItems(currentViewId());
    return true;
}

bool SavedViewsController::deleteView(const QString &id)
{
    const qsizetype removed = m_views.removeIf([&id](const SavedView &v) { return v.id == id; });
    if (id.isEmpty() || removed == 0)
        return false;
    m_appliedRules.clear();
    persistViews();
    rebuildViewItems(currentViewId());
    return true;
}

void SavedViewsController::promptSaveViewAs()
{
    auto *dialog = new QInputDialog(&m_dialogParent);
    dialog->setObjectName(QStringLiteral("saveViewDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Save View"));
    dialog->setLabelText(tr("Name of the new view (columns, sort, filters and search):"));
    dialog->setTextValue(QString());
    connect(dialog, &QInputDialog::textValueSelected, this,
        [this](const QString &name) { saveCurrentViewAs(name); });
    dialog->open();
}

void SavedViewsController::promptRenameView()
{
    const QString id = currentViewId();
    const SavedView *view = findView(id);
    if (!view)
        return;
    auto *dialog = new QInputDialog(&m_dialogParent);
    dialog->setObjectName(QStringLiteral("renameViewDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Rename View"));
    dialog->setLabelText(tr("New name for “%1”:").arg(view->name));
    dialog->setTextValue(view->name);
    connect(dialog, &QInputDialog::textValueSelected, this,
        [this, id](const QString &name) { renameView(id, name); });
    dialog->open();
}

void SavedViewsController::promptDeleteView()
{
    const QString id = currentViewId();
    const SavedView *view = findView(id);
    if (!view)
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Delete View"),
        tr("Delete the view “%1”? The deals themselves are not changed.").arg(view->name),
        QMessageBox::Cancel, &m_dialogParent);
    box->setObjectName(QStringLiteral("deleteViewDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *remove = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::buttonClicked, this, [this, id, remove](QAbstractButton *button) {
        if (button == remove)
            deleteView(id);
    });
    box->open();
}

OpportunitySortFilterProxyModel *SavedViewsController::proxyModel() const
{
    return qobject_cast<OpportunitySortFilterProxyModel *>(m_model.data());
}

QString SavedViewsController::columnKey(int logical) const
{
    return m_model
        ? m_model->headerData(logical, Qt::Horizontal, OpportunityRoles::ColumnKeyRole).toString()
        : QString();
}

int SavedViewsController::logicalForKey(const QString &key) const
{
    if (!m_model || key.isEmpty())
        return -1;
    for (int column = 0; column < m_model->columnCount(); ++column) {
        if (columnKey(column) == key)
            return column;
    }
    return -1;
}

QString SavedViewsController::dateColumnForHint(const QString &labelHint) const
{
    // By type and label, never by a hard-coded custom key: every organisation names its close
    // date differently.
    if (!m_model)
        return {};
    for (int column = 0; column < m_model->columnCount(); ++column) {
        const QVariant type
            = m_model->headerData(column, Qt::Horizontal, OpportunityRoles::ColumnTypeRole);
        if (type.isValid() && type.toInt() == int(FieldType::DateTime)
            && m_model->headerData(column, Qt::Horizontal)
                   .toString()
                   .contains(labelHint, Qt::CaseInsensitive))
            return columnKey(column);
    }
    return {};
}

void SavedViewsController::applyView(const SavedView &view)
{
    m_pendingView.reset();
    applyFiltersAndSearch(view);
    if (m_model && m_model->columnCount() > 0) {
        applyLayout(view);
    } else {
        m_pendingView = view;
        m_pendingLayout = true;
    }
}

void SavedViewsController::applyFiltersAndSearch(const SavedView &view)
{
    m_search.setText(view.searchText);
    OpportunitySortFilterProxyModel *proxy = proxyModel();
    if (!proxy)
        return;
    const QDate today = m_currentDate();
    const auto resolve = [this](const QString &hint) { return dateColumnForHint(hint); };
    QList<ColumnFilter> filters = view.filters;
    bool resolved = true;
    m_appliedRules.clear();
    for (const SavedView::RelativeDateFilter &rule : view.relativeFilters) {
        const QList<ColumnFilter> expanded = SavedView::expand(rule, today, resolve);
        if (expanded.isEmpty()) {
            resolved = false;
            if (proxy->columnCount() > 0)
                Q_EMIT statusMessage(
                    tr("“%1”: this workspace has no matching date field.").arg(view.name), 5000);
            continue;
        }
        m_appliedRules.append({rule, expanded});
        filters += expanded;
    }
    proxy->setColumnFilters(filters);
    if (!resolved && proxy->columnCount() == 0) {
        // No schema yet: resolve the rule when the columns arrive.
        m_pendingView = view;
        m_pendingLayout = false;
    }
}

void SavedViewsController::applyLayout(const SavedView &view)
{
    if (!m_model || m_model->columnCount() == 0)
        return;
    QHeaderView *header = m_table.horizontalHeader();
    if (view.columns.isEmpty()) {
        Q_EMIT defaultLayoutRequested();
    } else {
        QList<int> shown;
        for (const QString &key : view.columns) {
            const int logical = logicalForKey(key);
            if (logical >= 0 && !shown.contains(logical))
                shown.append(logical);
        }
        if (!shown.contains(0))
            shown.prepend(0); // the name always stays (as in the column chooser)
        for (int column = 0; column < m_model->columnCount(); ++column)
            header->setSectionHidden(column, !shown.contains(column));
        for (int i = 0; i < shown.size(); ++i)
            header->moveSection(header->visualIndex(shown.at(i)), i);
    }
    for (auto it = view.widths.cbegin(); it != view.widths.cend(); ++it) {
        if (const int logical = logicalForKey(it.key()); logical >= 0)
            header->resizeSection(logical, it.value());
    }
    m_table.sortByColumn(logicalForKey(view.sortColumn), view.sortOrder);
}

SavedView SavedViewsController::currentState() const
{
    SavedView state;
    state.searchText = m_search.text();
    if (m_model) {
        const QHeaderView *header = m_table.horizontalHeader();
        for (int visual = 0; visual < header->count(); ++visual) {
            const int logical = header->logicalIndex(visual);
            const QString key = columnKey(logical);
            if (header->isSectionHidden(logical) || key.isEmpty())
                continue;
            state.columns.append(key);
            state.widths.insert(key, header->sectionSize(logical));
        }
        const int sorted = header->sortIndicatorSection();
        if (sorted >= 0 && sorted < m_model->columnCount()) {
            state.sortColumn = columnKey(sorted);
            state.sortOrder = header->sortIndicatorOrder();
        }
    }
    if (const OpportunitySortFilterProxyModel *proxy = proxyModel()) {
        QList<ColumnFilter> filters = proxy->columnFilters();
        // A rule still in force stays a rule, so "this month" keeps moving with the calendar.
        for (const auto &[rule, expanded] : m_appliedRules) {
            const bool inForce = std::all_of(expanded.cbegin(), expanded.cend(),
                [&filters](const ColumnFilter &f) { return filters.contains(f); });
            if (!inForce)
                continue;
            for (const ColumnFilter &f : expanded)
                filters.removeOne(f);
            state.relativeFilters.append(rule);
        }
        state.filters = filters;
    }
    return state;
}

void SavedViewsController::rememberLayout()
{
    if (m_model && m_model->columnCount() > 0) {
        SavedView layout = currentState();
        layout.filters.clear();
        layout.relativeFilters.clear();
        m_resetSnapshot = layout;
    }
}

bool SavedViewsController::restoreAfterReset()
{
    std::optional<SavedView> snapshot = std::exchange(m_resetSnapshot, std::nullopt);
    if (m_pendingView && m_model && m_model->columnCount() > 0) {
        const SavedView view = *std::exchange(m_pendingView, std::nullopt);
        const bool layout = m_pendingLayout;
        applyFiltersAndSearch(view);
        if (layout) {
            applyLayout(view);
            return true;
        }
    }
    if (snapshot && !snapshot->columns.isEmpty()) {
        applyLayout(*snapshot);
        return true;
    }
    return false;
}
