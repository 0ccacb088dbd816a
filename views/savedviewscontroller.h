#pragma once

#include "settings/savedview.h"

#include <QDate>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>

#include <functional>
#include <optional>

class AppSettings;
class OpportunitySortFilterProxyModel;
class QAbstractItemModel;
class QAction;
class QLineEdit;
class QMenu;
class QTableView;
class QTreeWidget;
class QTreeWidgetItem;
class QWidget;

/**
 * The saved views of the deals table: the sidebar's "Saved views" section lists the SavedView
 * objects of AppSettings::savedViews() (the built-in three on a first run). Selecting one
 * applies its columns (order, widths), sort, column filters and quick search to the table and,
 * when the model is an OpportunitySortFilterProxyModel, to the proxy — all by column key; keys
 * the schema lacks are skipped. View ▸ Save View As… / Update View / Rename View… / Delete View
 * (also on the sidebar's context menu; F2 and Delete there) change the list, which is written
 * back at once. A relative rule ("closing this month") is expanded against the current date
 * provider when applied and kept as a rule when the view is updated. On a model reset (schema
 * reload) the current layout is re-applied by key.
 *
 * The window owns the widgets and lends them: the table, its search field, the sidebar with the
 * item under which the views are listed, and the widget the dialogs open on. The window also
 * passes on its model and the model's resets (setModel(), rememberLayout(),
 * restoreAfterReset()): the order of the reactions to a reset matters (the layout first, then
 * the current deal), and only the window sees all of them.
 */
class SavedViewsController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SavedViewsController)

public:
    SavedViewsController(AppSettings &settings, QTableView &table, QLineEdit &search,
        QTreeWidget &sidebar, QTreeWidgetItem &viewsRoot, QWidget &dialogParent,
        QObject *parent = nullptr);
    ~SavedViewsController() override;

    /// Adds Save View As…, Update View, Rename View…, Delete View… and Go to Saved Views to
    /// `viewMenu`, and the same commands to the sidebar's context menu.
    void createActions(QMenu &viewMenu);

    /// Every saved view, in sidebar order.
    QList<SavedView> views() const { return m_views; }
    /// The saved view selected in the sidebar; empty when none is.
    QString currentViewId() const;
    /// Selects (and so applies) a saved view; false for an unknown id.
    bool selectView(const QString &id);
    /// Applies a view to the table and the proxy (does not select it in the sidebar).
    void applyView(const SavedView &view);
    /// The table's current columns, widths, sort, filters and search as an unnamed view.
    SavedView currentState() const;
    /// Saves currentState() under `name` and selects it; the new id, or empty when the name is
    /// blank or taken (a status message says which).
    QString saveCurrentViewAs(const QString &name);
    /// Replaces the view's state with currentState(), keeping its id, name and description.
    bool updateView(const QString &id);
    bool renameView(const QString &id, const QString &name);
    bool deleteView(const QString &id);
    /// "Today" for relative rules; QDate::currentDate by default (tests pass a fixed clock).
    void setCurrentDateProvider(std::function<QDate()> provider);

    /// The table's new model: forgets a view waiting for columns and a layout kept across a
    /// reset, and applies the selected view's filters and search to it (the sidebar's selection
    /// must be true of the new model). The layout stays as it is (the rep's last arrangement).
    void setModel(QAbstractItemModel *model);
    /// Before a model reset: keeps the current layout, to be re-applied by key afterwards.
    void rememberLayout();
    /// After a model reset: applies a view that waited for the columns, or the layout kept by
    /// rememberLayout(). False when neither applied a layout (the window then lays the columns
    /// out as for a new model).
    bool restoreAfterReset();

Q_SIGNALS:
    /// The saved views were added to, changed, renamed or deleted (already persisted).
    void savedViewsChanged();
    /// A saved view was chosen in the sidebar (by the rep, not by selectView()).
    void viewChosen(const QString &id);
    /// A view without columns was applied: the table takes the model's default columns.
    void defaultLayoutRequested();
    /// A line for the status bar.
    void statusMessage(const QString &text, int timeoutMs);

private:
    void applyLayout(const SavedView &view);
    /// The view's filters (relative rules expanded) and search, not its layout.
    void applyFiltersAndSearch(const SavedView &view);
    OpportunitySortFilterProxyModel *proxyModel() const;
    QString columnKey(int logical) const;
    int logicalForKey(const QString &key) const;
    QString dateColumnForHint(const QString &labelHint) const;
    /// The view `id` in m_views, or nullptr.
    SavedView *findView(const QString &id);
    void rebuildViewItems(const QString &currentId);
    void persistViews();
    void updateViewActions();
    void promptSaveViewAs();
    void promptRenameView();
    void promptDeleteView();

    AppSettings &m_settings;
    QTableView &m_table;
    QLineEdit &m_search;
    QTreeWidget &m_sidebar;
    QTreeWidgetItem &m_viewsRoot;
    QWidget &m_dialogParent;
    QPointer<QAbstractItemModel> m_model;
    QList<SavedView> m_views;
    /// The relative rules of the last applied view with the filters they expanded to.
    QList<QPair<SavedView::RelativeDateFilter, QList<ColumnFilter>>> m_appliedRules;
    /// A view selected while the model had no columns yet: applied at the next reset (with
    /// its layout when m_pendingLayout).
    std::optional<SavedView> m_pendingView;
    bool m_pendingLayout = false;
    /// The layout before a model reset, re-applied by key afterwards.
    std::optional<SavedView> m_resetSnapshot;
    std::function<QDate()> m_currentDate;
    QAction *m_updateViewAction = nullptr;
    QAction *m_renameViewAction = nullptr;
    QAction *m_deleteViewAction = nullptr;
    QList<QAction *> m_sidebarViewActions;
};
