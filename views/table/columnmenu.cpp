#include "table/columnmenu.h"

#include "table/dealstableview.h"

#include <QHeaderView>
#include <QKeyEvent>
#include <QMouseEvent>

ColumnMenu::ColumnMenu(DealsTableView *table, QWidget *parent)
    : QMenu(parent)
    , m_table(table)
{
    connect(this, &QMenu::aboutToShow, this, &ColumnMenu::rebuild);
}

ColumnMenu::~ColumnMenu() = default;

void ColumnMenu::rebuild()
{
    clear();
    const QAbstractItemModel *model = m_table->model();
    if (!model || model->columnCount() == 0)
        return;
    QHeaderView *header = m_table->horizontalHeader();
    const int frozen = m_table->frozenColumn();
    if (m_section >= 0 && m_section < model->columnCount()) {
        const QString title = model->headerData(m_section, Qt::Horizontal).toString();
        QAction *hide = addAction(tr("Hide “%1”").arg(title), header,
            [header, section = m_section] { header->setSectionHidden(section, true); });
        hide->setObjectName(QStringLiteral("hideColumnAction"));
        hide->setEnabled(m_section != frozen);
        QAction *fit = addAction(tr("Fit “%1” to Contents").arg(title), m_table,
            [table = m_table, section = m_section] { table->resizeColumnToContents(section); });
        fit->setObjectName(QStringLiteral("fitColumnAction"));
        addSeparator();
    }
    for (int column = 0; column < model->columnCount(); ++column) {
        QAction *action = addAction(model->headerData(column, Qt::Horizontal).toString());
        action->setObjectName(
            QStringLiteral("column:%1")
                .arg(model->headerData(column, Qt::Horizontal, OpportunityRoles::ColumnKeyRole)
                         .toString()));
        action->setCheckable(true);
        action->setChecked(!header->isSectionHidden(column));
        action->setEnabled(column != frozen); // the name always stays
        connect(action, &QAction::toggled, header,
            [header, column](bool shown) { header->setSectionHidden(column, !shown); });
    }
    addSeparator();
    QAction *reset = addAction(
        tr("Reset Columns"), m_table, [table = m_table] { Q_EMIT table->resetColumnsRequested(); });
    reset->setObjectName(QStringLiteral("resetColumnsAction"));
}

void ColumnMenu::mouseReleaseEvent(QMouseEvent *event)
{
    // A tick keeps the menu open; commands close it as usual.
    QAction *action = actionAt(event->position().toPoint());
    if (event->button() == Qt::LeftButton && action && action->isCheckable()
        && action->isEnabled()) {
        action->trigger();
        event->accept();
        return;
    }
    QMenu::mouseReleaseEvent(event);
}

void ColumnMenu::keyPressEvent(QKeyEvent *event)
{
    QAction *action = activeAction();
    if (event->key() == Qt::Key_Space && action && action->isCheckable() && action->isEnabled()) {
        action->trigger();
        event->accept();
        return;
    }
    QMenu::keyPressEvent(event);
}
