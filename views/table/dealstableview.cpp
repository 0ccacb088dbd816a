#include "table/dealstableview.h"

#include "table/columnmenu.h"

#include <QApplication>
#include <QHeaderView>
#include <QHelpEvent>
#include <QPainter>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QStyle>
#include <QToolTip>

namespace {

constexpr int kMark = 8; ///< the pending dot; the warning and error marks take 6 px more
const QLatin1String kNameKey("$name");

} // namespace

/**
 * The overlay showing the frozen column. It never keeps the keyboard focus (the table is its
 * focus proxy), uses the table's delegate and edit triggers, and hands edits and cursor moves of
 * other columns back to the table.
 */
class FrozenColumnView final : public QTableView
{
    Q_DISABLE_COPY_MOVE(FrozenColumnView)

public:
    explicit FrozenColumnView(DealsTableView *table)
        : QTableView(table)
        , m_table(table)
    {
    }

    bool editCell(const QModelIndex &index, EditTrigger trigger, QEvent *event)
    {
        return edit(index, trigger, event);
    }

    /// The table's delegate and edit triggers (the app sets them on the table at any time).
    void followTable()
    {
        if (itemDelegate() != m_table->itemDelegate())
            setItemDelegate(m_table->itemDelegate());
        if (editTriggers() != m_table->editTriggers())
            setEditTriggers(m_table->editTriggers());
    }

protected:
    bool edit(const QModelIndex &index, EditTrigger trigger, QEvent *event) override
    {
        if (index.isValid() && index.column() != m_table->frozenColumn())
            return m_table->edit(index, trigger, event);
        followTable();
        return QTableView::edit(index, trigger, event);
    }

    // Tab and Shift+Tab after an edit move through the table's columns, not the overlay's one.
    QModelIndex moveCursor(CursorAction action, Qt::KeyboardModifiers modifiers) override
    {
        return m_table->moveCursor(action, modifiers);
    }

    void paintEvent(QPaintEvent *event) override
    {
        followTable();
        QTableView::paintEvent(event);
        const int column = m_table->frozenColumn();
        if (!model() || column < 0 || model()->rowCount() == 0)
            return;
        const int first = qMax(0, rowAt(0));
        int last = rowAt(viewport()->height() - 1);
        if (last < 0)
            last = model()->rowCount() - 1;
        QPainter painter(viewport());
        painter.setRenderHint(QPainter::Antialiasing);
        for (int row = first; row <= last; ++row) {
            const QModelIndex index = model()->index(row, column);
            const auto state
                = OpportunityRoles::SyncState(index.data(OpportunityRoles::SyncStateRole).toInt());
            const QRect mark = DealsTableView::syncMarkRect(visualRect(index));
            switch (state) {
            case OpportunityRoles::SyncState::Synced:
                break;
            case OpportunityRoles::SyncState::Pending:
                painter.setPen(Qt::NoPen);
                painter.setBrush(palette().color(QPalette::Highlight));
                painter.drawEllipse(mark.adjusted(3, 3, -3, -3));
                break;
            case OpportunityRoles::SyncState::Failed:
            case OpportunityRoles::SyncState::Conflict:
                style()
                    ->standardIcon(state == OpportunityRoles::SyncState::Failed
                            ? QStyle::SP_MessageBoxCritical
                            : QStyle::SP_MessageBoxWarning,
                        nullptr, this)
                    .paint(&painter, mark);
                break;
            }
        }
    }

    bool viewportEvent(QEvent *event) override
    {
        if (event->type() == QEvent::ToolTip) {
            const auto *help = static_cast<QHelpEvent *>(event);
            const QModelIndex index = indexAt(help->pos());
            const QString text = DealsTableView::syncStateText(
                OpportunityRoles::SyncState(index.data(OpportunityRoles::SyncStateRole).toInt()));
            if (!text.isEmpty()) {
                QToolTip::showText(help->globalPos(), text, viewport(), visualRect(index));
                return true;
            }
        }
        return QTableView::viewportEvent(event);
    }

private:
    DealsTableView *m_table;
};

DealsTableView::DealsTableView(QWidget *parent)
    : QTableView(parent)
    , m_frozen(new FrozenColumnView(this))
    , m_headerMenu(new ColumnMenu(this, this))
{
    m_headerMenu->setObjectName(QStringLiteral("headerColumnMenu"));
    // Sideways by pixels, so a column half under the frozen one can be brought out exactly.
    setHorizontalScrollMode(ScrollPerPixel);

    m_frozen->setObjectName(QStringLiteral("frozenNameColumn"));
    m_frozen->setFocusPolicy(Qt::ClickFocus);
    m_frozen->setFocusProxy(this);
    m_frozen->setFrameShape(QFrame::NoFrame);
    m_frozen->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_frozen->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_frozen->verticalHeader()->hide();
    m_frozen->setTabKeyNavigation(false);
    QHeaderView *frozenHeader = m_frozen->horizontalHeader();
    frozenHeader->setSectionsClickable(true);
    frozenHeader->setSectionsMovable(false);
    frozenHeader->setHighlightSections(false);
    frozenHeader->setSortIndicatorShown(true);
    frozenHeader->setContextMenuPolicy(Qt::CustomContextMenu);
    viewport()->stackUnder(m_frozen);
    m_frozen->hide();

    QHeaderView *header = horizontalHeader();
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QWidget::customContextMenuRequested, this,
        [this](const QPoint &pos) { showHeaderMenu(horizontalHeader(), pos); });
    connect(frozenHeader, &QWidget::customContextMenuRequested, this,
        [this](const QPoint &pos) { showHeaderMenu(m_frozen->horizontalHeader(), pos); });

    connect(header, &QHeaderView::sectionResized, this, [this](int logical, int, int size) {
        if (logical == m_frozenColumn) {
            m_frozen->setColumnWidth(logical, size);
            updateFrozenGeometry();
        }
    });
    connect(frozenHeader, &QHeaderView::sectionResized, this, [this](int logical, int, int size) {
        if (logical == m_frozenColumn)
            setColumnWidth(logical, size);
    });
    connect(header, &QHeaderView::sectionMoved, this, &DealsTableView::keepFrozenFirst);
    // One sort indicator: the table's. A click on the overlay's header sorts the table.
    connect(
        header, &QHeaderView::sortIndicatorChanged, this, [this](int section, Qt::SortOrder order) {
            const QSignalBlocker blocker(m_frozen->horizontalHeader());
            m_frozen->horizontalHeader()->setSortIndicator(section, order);
        });
    connect(frozenHeader, &QHeaderView::sortIndicatorChanged, this,
        [this](int section, Qt::SortOrder order) {
            if (isSortingEnabled())
                sortByColumn(section, order);
            else
                horizontalHeader()->setSortIndicator(section, order);
        });
    connect(verticalHeader(), &QHeaderView::sectionResized, this,
        [this](int row, int, int size) { m_frozen->setRowHeight(row, size); });
    connect(verticalScrollBar(), &QAbstractSlider::valueChanged, m_frozen->verticalScrollBar(),
        &QAbstractSlider::setValue);
    connect(m_frozen->verticalScrollBar(), &QAbstractSlider::valueChanged, verticalScrollBar(),
        &QAbstractSlider::setValue);
}

DealsTableView::~DealsTableView() = default;

QTableView *DealsTableView::frozenView() const
{
    return m_frozen;
}

void DealsTableView::setModel(QAbstractItemModel *model)
{
    if (QAbstractItemModel *old = this->model())
        disconnect(old, nullptr, this, nullptr);
    // The overlay first: the table's new selection model is handed to it in setSelectionModel().
    m_frozen->setModel(model);
    QTableView::setModel(model);
    if (model) {
        connect(model, &QAbstractItemModel::modelReset, this, &DealsTableView::updateFrozenColumn);
        for (auto signal :
            {&QAbstractItemModel::columnsInserted, &QAbstractItemModel::columnsRemoved}) {
            connect(model, signal, this, &DealsTableView::updateFrozenColumn);
        }
    }
    updateFrozenColumn();
}

void DealsTableView::setSelectionModel(QItemSelectionModel *selectionModel)
{
    QTableView::setSelectionModel(selectionModel);
    if (selectionModel && m_frozen->model() == selectionModel->model())
        m_frozen->setSelectionModel(selectionModel);
}

void DealsTableView::updateFrozenColumn()
{
    const QAbstractItemModel *model = this->model();
    m_frozenColumn = -1;
    if (model && model->columnCount() > 0) {
        m_frozenColumn = 0;
        for (int column = 0; column < model->columnCount(); ++column) {
            if (model->headerData(column, Qt::Horizontal, OpportunityRoles::ColumnKeyRole)
                == kNameKey) {
                m_frozenColumn = column;
                break;
            }
        }
        for (int column = 0; column < model->columnCount(); ++column)
            m_frozen->setColumnHidden(column, column != m_frozenColumn);
        m_frozen->setColumnWidth(m_frozenColumn, columnWidth(m_frozenColumn));
    }
    m_frozen->setSelectionBehavior(selectionBehavior());
    m_frozen->setSelectionMode(selectionMode());
    m_frozen->setAlternatingRowColors(alternatingRowColors());
    m_frozen->setWordWrap(wordWrap());
    m_frozen->setTextElideMode(textElideMode());
    m_frozen->setShowGrid(showGrid());
    m_frozen->setGridStyle(gridStyle());
    m_frozen->setVerticalScrollMode(verticalScrollMode());
    m_frozen->followTable();
    {
        const QSignalBlocker blocker(m_frozen->horizontalHeader());
        m_frozen->horizontalHeader()->setSortIndicator(
            horizontalHeader()->sortIndicatorSection(), horizontalHeader()->sortIndicatorOrder());
    }
    keepFrozenFirst();
    updateFrozenGeometry();
}

void DealsTableView::keepFrozenFirst()
{
    // Frozen means first: a column dragged in front of the name goes behind it.
    QHeaderView *header = horizontalHeader();
    if (m_frozenColumn < 0 || m_frozenColumn >= header->count())
        return;
    if (const int visual = header->visualIndex(m_frozenColumn); visual > 0)
        header->moveSection(visual, 0);
}

void DealsTableView::updateFrozenGeometry()
{
    if (!model() || m_frozenColumn < 0 || m_frozenColumn >= model()->columnCount()
        || isColumnHidden(m_frozenColumn)) {
        m_frozen->hide();
        return;
    }
    const int headerHeight = horizontalHeader()->isHidden() ? 0 : horizontalHeader()->height();
    if (m_frozen->horizontalHeader()->height() != headerHeight)
        m_frozen->horizontalHeader()->setFixedHeight(headerHeight);
    m_frozen->horizontalHeader()->setHidden(horizontalHeader()->isHidden());
    const int rowHeight = verticalHeader()->defaultSectionSize();
    if (m_frozen->verticalHeader()->defaultSectionSize() != rowHeight)
        m_frozen->verticalHeader()->setDefaultSectionSize(rowHeight);
    const int left = frameWidth() + (verticalHeader()->isHidden() ? 0 : verticalHeader()->width());
    m_frozen->setGeometry(
        left, frameWidth(), columnWidth(m_frozenColumn), viewport()->height() + headerHeight);
    m_frozen->verticalScrollBar()->setValue(verticalScrollBar()->value());
    m_frozen->show();
}

void DealsTableView::updateGeometries()
{
    QTableView::updateGeometries();
    keepFrozenFirst();
    updateFrozenGeometry();
}

void DealsTableView::resizeEvent(QResizeEvent *event)
{
    QTableView::resizeEvent(event);
    updateFrozenGeometry();
}

bool DealsTableView::edit(const QModelIndex &index, EditTrigger trigger, QEvent *event)
{
    // The table's own cell lies under the overlay: the overlay opens the editor on top.
    if (index.isValid() && index.column() == m_frozenColumn && !m_frozen->isHidden())
        return m_frozen->editCell(index, trigger, event);
    return QTableView::edit(index, trigger, event);
}

void DealsTableView::scrollTo(const QModelIndex &index, ScrollHint hint)
{
    if (!index.isValid() || m_frozen->isHidden()) {
        QTableView::scrollTo(index, hint);
        return;
    }
    if (index.column() == m_frozenColumn) {
        // Always in sight: scroll vertically only.
        const int sideways = horizontalScrollBar()->value();
        QTableView::scrollTo(index, hint);
        horizontalScrollBar()->setValue(sideways);
        return;
    }
    QTableView::scrollTo(index, hint);
    // Not under the frozen column either.
    const int covered = m_frozen->width();
    const QRect rect = visualRect(index);
    if (rect.left() < covered)
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() + rect.left() - covered);
}

void DealsTableView::showHeaderMenu(QHeaderView *header, const QPoint &pos)
{
    m_headerMenu->setSection(header->logicalIndexAt(pos));
    m_headerMenu->popup(header->viewport()->mapToGlobal(pos));
}

QString DealsTableView::syncStateText(OpportunityRoles::SyncState state)
{
    switch (state) {
    case OpportunityRoles::SyncState::Synced:
        break;
    case OpportunityRoles::SyncState::Pending:
        return tr("Changes wait to be sent");
    case OpportunityRoles::SyncState::Failed:
        return tr("The server refused a change — see Pending Changes");
    case OpportunityRoles::SyncState::Conflict:
        return tr("A change is in conflict with a colleague's edit — see Pending Changes");
    }
    return {};
}

QRect DealsTableView::syncMarkRect(const QRect &cell)
{
    // At the right end of the name, where a spreadsheet puts a cell's note marker.
    const int size = qMax(kMark, qMin(kMark + 6, cell.height() - 2));
    return QRect(cell.right() - size - 2, cell.top() + (cell.height() - size) / 2, size, size);
}
