#pragma once

#include <QMenu>

class DealsTableView;

/**
 * The column chooser of the deals table (View ▸ Columns and the header's context menu): every
 * column of the model in schema order, checked when shown. Ticking a column keeps the menu open
 * (mouse click or Space), as a spreadsheet's column list does, so several can be chosen in one
 * go; the frozen Name column cannot be hidden.
 *
 * With a section set (setSection(), the header's right click) the menu also offers "Hide this
 * column" and "Fit column to contents" for it. "Reset columns" asks the table for its default
 * layout (DealsTableView::resetColumnsRequested()).
 */
class ColumnMenu final : public QMenu
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ColumnMenu)

public:
    ColumnMenu(DealsTableView *table, QWidget *parent = nullptr);
    ~ColumnMenu() override;

    /// The logical column the menu was opened on; -1 for none (View ▸ Columns).
    void setSection(int logical) { m_section = logical; }
    int section() const { return m_section; }

protected:
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void rebuild();

    DealsTableView *m_table;
    int m_section = -1;
};
