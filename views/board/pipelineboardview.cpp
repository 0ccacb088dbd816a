#include "board/pipelineboardview.h"

#include "board/pipelineboarddelegate.h"
#include "domain/moneytext.h"

#include <QAction>
#include <QApplication>
#include <QDragEnterEvent>
#include <QDragMoveEvent>
#include <QDropEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListView>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollArea>
#include <QVBoxLayout>

#include <functional>

namespace {

constexpr int kColumnWidth = 280;

} // namespace

/**
 * One column of the board: a QListView rooted at its stage row. Accepts drops of board cards
 * (handing the ids to PipelineBoardView::dropIds()), passes plain Left / Right to the board
 * (next column) and draws "No deals" when the stage is empty.
 */
class PipelineStageListView final : public QListView
{
public:
    std::function<int(const QStringList &)> onDrop;
    std::function<void(int)> onSideways;
    /** The rep made `current` (a card of this column) current: a click or a key. */
    std::function<void(const QModelIndex &)> onPicked;
    /** Enter / Return or a double click on a card. */
    std::function<void(const QModelIndex &)> onOpened;
    /** True while the board itself moves the current card (model changes, restoring it). */
    std::function<bool()> isSyncing;

    explicit PipelineStageListView(QWidget *parent)
        : QListView(parent)
    {
        setSelectionMode(QAbstractItemView::SingleSelection);
        setSelectionBehavior(QAbstractItemView::SelectRows);
        setDragEnabled(true);
        setAcceptDrops(true);
        setDropIndicatorShown(false);
        setDragDropMode(QAbstractItemView::DragDrop);
        setDefaultDropAction(Qt::MoveAction);
        setUniformItemSizes(true); // all cards have one size: layout of 10,000s stays cheap
        setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
        setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        setEditTriggers(QAbstractItemView::NoEditTriggers);
        setMouseTracking(true);
    }

protected:
    void dragEnterEvent(QDragEnterEvent *event) override
    {
        if (PipelineBoardModel::idsFromMimeData(event->mimeData()).isEmpty()) {
            event->ignore();
            return;
        }
        event->setDropAction(Qt::MoveAction);
        event->accept();
    }

    void dragMoveEvent(QDragMoveEvent *event) override
    {
        if (PipelineBoardModel::idsFromMimeData(event->mimeData()).isEmpty()) {
            event->ignore();
            return;
        }
        event->setDropAction(Qt::MoveAction);
        event->accept();
    }

    void dropEvent(QDropEvent *event) override
    {
        const QStringList ids = PipelineBoardModel::idsFromMimeData(event->mimeData());
        if (ids.isEmpty() || !onDrop) {
            event->ignore();
            return;
        }
        onDrop(ids);
        // The board never removes the dragged rows itself: the table moves the card.
        event->setDropAction(Qt::MoveAction);
        event->accept();
    }

    // Rows of other stages do not change this column's layout (QListView would re-lay out).
    void rowsInserted(const QModelIndex &parent, int start, int end) override
    {
        if (parent == rootIndex())
            QListView::rowsInserted(parent, start, end);
        else
            QAbstractItemView::rowsInserted(parent, start, end);
    }

    void rowsAboutToBeRemoved(const QModelIndex &parent, int start, int end) override
    {
        if (parent == rootIndex())
            QListView::rowsAboutToBeRemoved(parent, start, end);
        else
            QAbstractItemView::rowsAboutToBeRemoved(parent, start, end);
    }

    void keyPressEvent(QKeyEvent *event) override
    {
        const bool plain = (event->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier;
        if (plain && (event->key() == Qt::Key_Left || event->key() == Qt::Key_Right)
            && onSideways) {
            onSideways(event->key() == Qt::Key_Left ? -1 : 1);
            event->accept();
            return;
        }
        if (plain && (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter)
            && currentIndex().isValid() && onOpened) {
            onOpened(currentIndex());
            event->accept();
            return;
        }
        QListView::keyPressEvent(event);
    }

    void mouseDoubleClickEvent(QMouseEvent *event) override
    {
        QListView::mouseDoubleClickEvent(event);
        const QModelIndex card = indexAt(event->position().toPoint());
        if (card.isValid() && onOpened)
            onOpened(card);
    }

    // Only the rep's own moves pick a card: when a card leaves this column, QAbstractItemView
    // makes its neighbour current, which must not open that deal or become the board's card.
    void currentChanged(const QModelIndex &current, const QModelIndex &previous) override
    {
        QListView::currentChanged(current, previous);
        if (current.isValid() && current.parent() == rootIndex() && onPicked
            && !(isSyncing && isSyncing()))
            onPicked(current);
    }

    void paintEvent(QPaintEvent *event) override
    {
        QListView::paintEvent(event);
        if (model() && rootIndex().isValid() && model()->rowCount(rootIndex()) == 0) {
            QPainter painter(viewport());
            painter.setPen(palette().color(QPalette::PlaceholderText));
            painter.drawText(viewport()->rect().adjusted(8, 16, -8, -8),
                Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap,
                PipelineBoardView::tr("No deals"));
        }
    }
};

PipelineBoardView::PipelineBoardView(QWidget *parent)
    : QWidget(parent)
    , m_delegate(new PipelineCardDelegate(this))
{
    setAccessibleName(tr("Pipeline board"));
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_strip = new QWidget(m_scroll);
    m_layout = new QHBoxLayout(m_strip);
    m_layout->setContentsMargins(6, 6, 6, 6);
    m_layout->setSpacing(8);
    m_layout->addStretch(1);
    m_scroll->setWidget(m_strip);
    outer->addWidget(m_scroll);

    m_moveLeft = new QAction(tr("Move Deal to &Previous Stage"), this);
    m_moveLeft->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Left));
    m_moveLeft->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_moveLeft->setStatusTip(tr("Move the selected deal one stage to the left"));
    m_moveRight = new QAction(tr("Move Deal to &Next Stage"), this);
    m_moveRight->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Right));
    m_moveRight->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_moveRight->setStatusTip(tr("Move the selected deal one stage to the right"));
    addAction(m_moveLeft);
    addAction(m_moveRight);
    connect(m_moveLeft, &QAction::triggered, this, [this] { moveCurrent(-1); });
    connect(m_moveRight, &QAction::triggered, this, [this] { moveCurrent(+1); });
    updateActions();
}

PipelineBoardView::~PipelineBoardView()
{
    // The lists go with the widget tree; disconnect first so no signal reaches a half-destroyed
    // board.
    for (const QMetaObject::Connection &connection : std::as_const(m_connections))
        disconnect(connection);
}

void PipelineBoardView::setModel(PipelineBoardModel *model)
{
    for (const QMetaObject::Connection &connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    m_model = model;
    m_changing = 0;
    if (m_model) {
        // Connected before the columns' own connections (rebuildColumns() comes after), so the
        // board knows a change is under way before the lists react to it.
        const auto begin = [this] { ++m_changing; };
        const auto end = [this] {
            m_changing = qMax(0, m_changing - 1);
            scheduleRestore();
        };
        m_connections << connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, begin);
        m_connections << connect(m_model, &QAbstractItemModel::modelReset, this, [this, end] {
            end();
            rebuildColumns();
        });
        m_connections << connect(m_model, &QAbstractItemModel::rowsAboutToBeInserted, this, begin);
        m_connections << connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this, end](const QModelIndex &parent) {
                end();
                if (!parent.isValid())
                    rebuildColumns();
            });
        m_connections << connect(m_model, &QAbstractItemModel::rowsAboutToBeRemoved, this, begin);
        m_connections << connect(m_model, &QAbstractItemModel::rowsRemoved, this,
            [this, end](const QModelIndex &parent) {
                end();
                if (!parent.isValid())
                    rebuildColumns();
            });
        m_connections << connect(m_model, &QAbstractItemModel::rowsAboutToBeMoved, this, begin);
        m_connections << connect(m_model, &QAbstractItemModel::rowsMoved, this, end);
        m_connections << connect(m_model, &QAbstractItemModel::layoutAboutToBeChanged, this, begin);
        m_connections << connect(m_model, &QAbstractItemModel::layoutChanged, this, [this, end] {
            end();
            if (columnCount() != m_model->stageCount())
                rebuildColumns();
        });
        m_connections << connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                if (topLeft.isValid() && !topLeft.parent().isValid())
                    updateHeaders(topLeft.row(), bottomRight.row());
            });
    }
    rebuildColumns();
}

void PipelineBoardView::rebuildColumns()
{
    // Hiding the column that has the keyboard would hand it to a widget outside the board.
    m_focusPending = m_focusPending || hasBoardFocus();
    for (Column &column : m_columns) {
        column.list->setModel(nullptr);
        column.frame->hide();
        column.frame->deleteLater(); // may run inside one of the model's signals
    }
    m_columns.clear();
    m_active = -1;
    const int stages = m_model ? m_model->stageCount() : 0;
    for (int s = 0; s < stages; ++s) {
        Column column;
        column.frame = new QWidget(m_strip);
        column.frame->setFixedWidth(kColumnWidth);
        auto *layout = new QVBoxLayout(column.frame);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(2);
        column.stripe = new QWidget(column.frame);
        column.stripe->setFixedHeight(4);
        column.stripe->setAutoFillBackground(true);
        QPalette stripe = column.stripe->palette();
        stripe.setColor(QPalette::Window, QColor::fromRgba(m_model->stageColor(s)));
        column.stripe->setPalette(stripe);
        // The stage name on a line of its own (wrapped, never elided), the count and sums under
        // it.
        column.title = new QLabel(column.frame);
        column.title->setObjectName(QStringLiteral("stageTitle"));
        column.title->setWordWrap(true);
        column.title->setTextFormat(Qt::PlainText);
        QFont bold = column.title->font();
        bold.setBold(true);
        column.title->setFont(bold);
        column.header = new QLabel(column.frame);
        column.header->setObjectName(QStringLiteral("stageSummary"));
        column.header->setWordWrap(true);
        column.header->setTextFormat(Qt::PlainText);
        auto *list = new PipelineStageListView(column.frame);
        column.list = list;
        list->setItemDelegate(m_delegate);
        list->setModel(m_model);
        list->setRootIndex(m_model->index(s, 0));
        column.title->setBuddy(list);
        list->onDrop
            = [this, list](const QStringList &ids) { return dropIds(ids, columnOf(list)); };
        list->onSideways = [this, list](int direction) { focusNeighbour(list, direction); };
        list->onPicked = [this, list](const QModelIndex &card) { pick(list, card); };
        list->onOpened = [this](const QModelIndex &card) {
            Q_EMIT dealActivated(card.data(PipelineBoardModel::IdRole).toString());
        };
        list->isSyncing = [this] { return m_changing > 0 || m_restorePending || m_restoring; };
        layout->addWidget(column.stripe);
        layout->addWidget(column.title);
        layout->addWidget(column.header);
        layout->addWidget(list, 1);
        m_layout->insertWidget(s, column.frame);
        m_columns.push_back(column);
        updateHeader(s);
    }
    // The word-wrapped headers make the strip a height-for-width widget, which QScrollArea keeps
    // at its viewport's width when the columns change: the columns then overlap and cut each
    // other's headers and cards. A minimum width keeps them side by side (the board scrolls).
    // (The new frames are not shown yet, so the layout does not count them.)
    const QMargins margins = m_layout->contentsMargins();
    m_strip->setMinimumWidth(margins.left() + margins.right() + stages * kColumnWidth
        + qMax(0, stages - 1) * m_layout->spacing());
    m_scrollPending = true;
    restoreSelection();
}

void PipelineBoardView::updateHeaders(int first, int last)
{
    for (int s = first; s <= last; ++s)
        updateHeader(s);
}

void PipelineBoardView::updateHeader(int stageRow)
{
    if (!m_model || stageRow < 0 || stageRow >= columnCount())
        return;
    const QString label = m_model->stageLabel(stageRow);
    const QString text = headerText(label, m_model->cardCount(stageRow), m_model->totals(stageRow));
    const Column &column = m_columns[std::size_t(stageRow)];
    column.title->setText(label);
    column.header->setText(text.mid(label.size() + 3)); // after "label · "
    column.title->setToolTip(text);
    column.header->setToolTip(text);
    column.list->setAccessibleName(text);
    column.list->setAccessibleDescription(tr("Deals in the stage %1; drag a deal to another "
                                             "column or press Ctrl+Left / Ctrl+Right to move it")
                                              .arg(m_model->stageLabel(stageRow)));
}

QString PipelineBoardView::formatMoney(qint64 cents, const QString &code, const QLocale &locale)
{
    return MoneyText::format(locale, cents, code);
}

QString PipelineBoardView::headerText(
    const QString &label, int count, const CurrencyTotals &totals, const QLocale &locale)
{
    QStringList parts {label, locale.toString(count)};
    for (auto it = totals.cbegin(); it != totals.cend(); ++it)
        parts.append(formatMoney(it.value(), it.key(), locale));
    return parts.join(QStringLiteral(" · "));
}

QListView *PipelineBoardView::columnView(int stageRow) const
{
    return stageRow >= 0 && stageRow < columnCount() ? m_columns[std::size_t(stageRow)].list
                                                     : nullptr;
}

QString PipelineBoardView::columnHeaderText(int stageRow) const
{
    return stageRow >= 0 && stageRow < columnCount()
        ? m_columns[std::size_t(stageRow)].title->text() + QStringLiteral(" · ")
            + m_columns[std::size_t(stageRow)].header->text()
        : QString();
}

int PipelineBoardView::columnOf(const PipelineStageListView *list) const
{
    for (std::size_t c = 0; c < m_columns.size(); ++c) {
        if (m_columns[c].list == list)
            return int(c);
    }
    return -1;
}

QString PipelineBoardView::currentId() const
{
    return m_model && m_model->indexForId(m_currentId).isValid() ? m_currentId : QString();
}

bool PipelineBoardView::selectId(const QString &recordId)
{
    if (!m_model || !m_model->indexForId(recordId).isValid())
        return false;
    const bool changed = recordId != m_currentId;
    m_currentId = recordId;
    m_scrollPending = true;
    m_focusPending = isVisible();
    restoreSelection();
    if (changed)
        Q_EMIT currentDealChanged(recordId);
    return true;
}

void PipelineBoardView::pick(PipelineStageListView *list, const QModelIndex &card)
{
    const int c = columnOf(list);
    const QString id = card.data(PipelineBoardModel::IdRole).toString();
    if (c < 0 || id.isEmpty())
        return;
    m_restoring = true;
    for (int other = 0; other < columnCount(); ++other) {
        QItemSelectionModel *selection = m_columns[std::size_t(other)].list->selectionModel();
        if (other != c && (selection->hasSelection() || selection->currentIndex().isValid()))
            selection->clear();
    }
    if (!list->selectionModel()->isSelected(card))
        list->selectionModel()->select(card, QItemSelectionModel::ClearAndSelect);
    m_restoring = false;
    m_active = c;
    // The actions follow the card just picked (not the one before it): Ctrl+Right right after
    // the first click on a card moves that card.
    const bool changed = id != m_currentId;
    m_currentId = id;
    updateActions();
    if (changed)
        Q_EMIT currentDealChanged(id);
}

void PipelineBoardView::scheduleRestore()
{
    if (m_restorePending)
        return;
    m_restorePending = true;
    // After every list has seen the change (their slots run after the board's).
    QMetaObject::invokeMethod(this, &PipelineBoardView::restoreSelection, Qt::QueuedConnection);
}

bool PipelineBoardView::hasBoardFocus() const
{
    const QWidget *focus = QApplication::focusWidget();
    return focus && isAncestorOf(focus);
}

void PipelineBoardView::restoreSelection()
{
    m_restorePending = false;
    if (!m_model || m_changing > 0)
        return;
    const QModelIndex card
        = m_currentId.isEmpty() ? QModelIndex() : m_model->indexForId(m_currentId);
    const int c = card.isValid() ? card.parent().row() : -1;
    const bool focus = m_focusPending || hasBoardFocus();
    m_restoring = true;
    for (int other = 0; other < columnCount(); ++other) {
        if (other == c)
            continue;
        QItemSelectionModel *selection = m_columns[std::size_t(other)].list->selectionModel();
        if (selection->hasSelection() || selection->currentIndex().isValid())
            selection->clear();
    }
    if (c >= 0 && c < columnCount()) {
        QListView *list = m_columns[std::size_t(c)].list;
        QItemSelectionModel *selection = list->selectionModel();
        if (selection->currentIndex() != card || !selection->isSelected(card)
            || selection->selectedIndexes().size() != 1)
            selection->setCurrentIndex(card, QItemSelectionModel::ClearAndSelect);
        if (c != m_active || m_scrollPending) {
            list->scrollTo(card);
            if (isVisible())
                m_scroll->ensureWidgetVisible(m_columns[std::size_t(c)].frame);
        }
        m_active = c;
        if (focus && isVisible() && !list->hasFocus())
            list->setFocus(Qt::OtherFocusReason);
        m_scrollPending = false;
        m_focusPending = false;
    } else if (!card.isValid() && focus && isVisible() && m_active >= 0
        && m_active < columnCount()) {
        // The card is gone (filtered out, or between leaving a column and entering the next):
        // keep the keyboard on the board.
        m_columns[std::size_t(m_active)].list->setFocus(Qt::OtherFocusReason);
    }
    m_restoring = false;
    updateActions();
}

void PipelineBoardView::focusInEvent(QFocusEvent *event)
{
    QWidget::focusInEvent(event);
    // The board itself takes no keys: its current column does (or the first one).
    int c = m_active;
    if (c < 0 || c >= columnCount()) {
        c = 0;
        while (c < columnCount() && m_model && m_model->cardCount(c) == 0)
            ++c;
    }
    if (c >= 0 && c < columnCount())
        m_columns[std::size_t(c)].list->setFocus(event->reason());
}

void PipelineBoardView::focusNeighbour(PipelineStageListView *from, int direction)
{
    const int c = columnOf(from);
    if (!m_model || c < 0)
        return;
    const int row = qMax(0, from->currentIndex().row());
    for (int next = c + direction; next >= 0 && next < columnCount(); next += direction) {
        const int cards = m_model->cardCount(next);
        if (cards == 0)
            continue;
        const QModelIndex card = m_model->index(qMin(row, cards - 1), 0, m_model->index(next, 0));
        selectId(card.data(PipelineBoardModel::IdRole).toString());
        return;
    }
}

void PipelineBoardView::moveCurrent(int direction)
{
    const QString id = currentId();
    if (!m_model || id.isEmpty())
        return;
    const QModelIndex card = m_model->indexForId(id);
    if (!card.isValid())
        return;
    const int target = card.parent().row() + direction;
    const QString stage = m_model->stageId(target);
    if (stage.isEmpty()) // out of range, or No stage (a stage is required)
        return;
    // The next stage is the next one of the deal's pipeline: with every pipeline shown, the
    // keys never carry a deal over into the neighbouring pipeline's first or last column.
    const QString from = m_model->stagePipeline(card.parent().row());
    const QString to = m_model->stagePipeline(target);
    if (!from.isEmpty() && !to.isEmpty() && from != to)
        return;
    // The card stays the board's current one: it is selected again in its new column once
    // the table has moved it (restoreSelection()).
    Q_EMIT moveRequested(id, stage);
}

int PipelineBoardView::dropIds(const QStringList &ids, int stageRow)
{
    const QString stage = m_model ? m_model->stageId(stageRow) : QString();
    if (stage.isEmpty())
        return 0;
    // The dragged card is the rep's card: it stays selected in the column it lands in.
    if (ids.size() == 1 && ids.first() != m_currentId
        && m_model->indexForId(ids.first()).isValid()) {
        m_currentId = ids.first();
        Q_EMIT currentDealChanged(m_currentId);
    }
    int requested = 0;
    for (const QString &id : ids) {
        const QModelIndex card = m_model->indexForId(id);
        if (card.isValid() && card.parent().row() == stageRow)
            continue;
        ++requested;
        Q_EMIT moveRequested(id, stage);
    }
    scheduleRestore();
    return requested;
}

void PipelineBoardView::updateActions()
{
    const QString id = currentId();
    const QModelIndex card = m_model && !id.isEmpty() ? m_model->indexForId(id) : QModelIndex();
    const int s = card.isValid() ? card.parent().row() : -1;
    m_moveLeft->setEnabled(s >= 0 && !m_model->stageId(s - 1).isEmpty());
    m_moveRight->setEnabled(s >= 0 && !m_model->stageId(s + 1).isEmpty());
}
