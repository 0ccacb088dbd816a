#pragma once

#include "itemmodels/opportunityroles.h"

#include <QTableView>

class ColumnMenu;
class FrozenColumnView;

/**
 * The deals table: a QTableView whose Name column (the column whose ColumnKeyRole is `$name`,
 * else logical column 0) stays at the left edge while the table scrolls sideways, as a
 * spreadsheet's frozen first column.
 *
 * **Frozen column.** An overlay QTableView over the left edge shows only that column; it shares
 * the model, the selection model and the item delegate, follows the vertical scroll, the column
 * width, the row height and the sort indicator, and its header sorts and resizes the column
 * like the table's own. The Name column is kept first in visual order. Keyboard focus stays on
 * the table: an edit of a Name cell (F2, typing, double click) opens in the overlay, and
 * scrolling to a cell never leaves it under the overlay.
 *
 * **Sync marks.** The Name cell of a row with queued edits shows a small dot (pending), a
 * warning mark (conflict) or an error mark (refused by the server), from SyncStateRole; its
 * tooltip says which.
 *
 * **Header menu.** A right click on the header opens the column menu (ColumnMenu) with "Hide
 * this column" for the column clicked; resetColumnsRequested() asks for the default layout.
 */
class DealsTableView final : public QTableView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DealsTableView)

public:
    explicit DealsTableView(QWidget *parent = nullptr);
    ~DealsTableView() override;

    void setModel(QAbstractItemModel *model) override;
    void setSelectionModel(QItemSelectionModel *selectionModel) override;
    void scrollTo(const QModelIndex &index, ScrollHint hint = EnsureVisible) override;

    /// The overlay that shows the frozen column.
    QTableView *frozenView() const;
    /// The logical column kept frozen at the left; -1 without a model.
    int frozenColumn() const { return m_frozenColumn; }
    /// The column menu shown by a right click on the header (also View ▸ Columns).
    ColumnMenu *headerMenu() const { return m_headerMenu; }

    /// What a row's sync mark means, for its tooltip; empty for Synced.
    static QString syncStateText(OpportunityRoles::SyncState state);
    /// Where a Name cell (`cell`, in viewport coordinates) draws its sync mark.
    static QRect syncMarkRect(const QRect &cell);

Q_SIGNALS:
    /// "Reset columns" in the column menu: the default columns, order and widths.
    void resetColumnsRequested();

protected:
    bool edit(const QModelIndex &index, EditTrigger trigger, QEvent *event) override;
    void updateGeometries() override;
    void resizeEvent(QResizeEvent *event) override;

private:
    friend class FrozenColumnView;

    void updateFrozenColumn();
    void updateFrozenGeometry();
    void keepFrozenFirst();
    void showHeaderMenu(QHeaderView *header, const QPoint &pos);

    FrozenColumnView *m_frozen = nullptr;
    ColumnMenu *m_headerMenu = nullptr;
    int m_frozenColumn = -1;
};
