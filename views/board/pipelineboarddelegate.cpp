#include "board/pipelineboarddelegate.h"

#include "board/pipelineboardmodel.h"
#include "board/stagecolors.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>
#include <QStyle>

namespace {

constexpr int kMargin = 4; // around the panel, inside the item rect
constexpr int kPadding = 6; // inside the panel
constexpr int kStripe = 4; // stage colour stripe on the left
constexpr int kMark = 8; // pending dot / mark size

} // namespace

PipelineCardDelegate::PipelineCardDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

QSize PipelineCardDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics metrics(option.font);
    const int height = 3 * metrics.height() + 2 * kPadding + 2 * kMargin + 2;
    return {qMax(160, option.rect.width()), height};
}

QStringList PipelineCardDelegate::nameLines(
    const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QRect panel = option.rect.adjusted(kMargin, kMargin, -kMargin, -kMargin);
    const QRect text = panel.adjusted(kStripe + kPadding, kPadding, -kPadding, -kPadding);
    const QFontMetrics metrics(option.font);
    QFont bold = option.font;
    bold.setBold(true);
    const QString amount = index.data(PipelineBoardModel::AmountTextRole).toString();
    const int amountWidth = amount.isEmpty() ? 0 : metrics.horizontalAdvance(amount) + kPadding;
    const int markWidth = kMark + kPadding;
    return {QFontMetrics(bold).elidedText(index.data(PipelineBoardModel::NameRole).toString(),
        Qt::ElideRight, text.width() - amountWidth - markWidth)};
}

void PipelineCardDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    using Board = PipelineBoardModel;
    const QPalette &palette = option.palette;
    const bool selected = option.state.testFlag(QStyle::State_Selected);
    const bool focused = option.state.testFlag(QStyle::State_HasFocus);
    const QRect panel = option.rect.adjusted(kMargin, kMargin, -kMargin, -kMargin);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    QPainterPath path;
    path.addRoundedRect(QRectF(panel).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
    painter->fillPath(path, palette.brush(QPalette::Base));
    painter->setPen(
        QPen(selected ? palette.color(QPalette::Highlight) : palette.color(QPalette::Mid),
            selected || focused ? 2 : 1));
    painter->drawPath(path);
    // The stage colour stripe.
    const QColor stage
        = QColor::fromRgba(StageColors::rgba(index.data(Board::StageIdRole).toString()));
    painter->setClipPath(path);
    painter->fillRect(QRect(panel.left(), panel.top(), kStripe, panel.height()), stage);
    painter->setClipping(false);

    const QRect text = panel.adjusted(kStripe + kPadding, kPadding, -kPadding, -kPadding);
    const QFontMetrics metrics(option.font);
    const int line = metrics.height();
    QFont bold = option.font;
    bold.setBold(true);
    const QFontMetrics boldMetrics(bold);

    // Line 1: name … amount (right-aligned, tabular figures where the font has them).
    const QString amount = index.data(Board::AmountTextRole).toString();
    const int amountWidth = amount.isEmpty() ? 0 : metrics.horizontalAdvance(amount) + kPadding;
    const int markWidth = kMark + kPadding;
    QRect first(text.left(), text.top(), text.width() - amountWidth - markWidth, line);
    painter->setPen(palette.color(QPalette::Text));
    painter->setFont(bold);
    painter->drawText(first, Qt::AlignLeft | Qt::AlignVCenter,
        boldMetrics.elidedText(
            index.data(Board::NameRole).toString(), Qt::ElideRight, first.width()));
    painter->setFont(option.font);
    if (!amount.isEmpty()) {
        painter->drawText(
            QRect(text.right() - markWidth - amountWidth, text.top(), amountWidth, line),
            Qt::AlignRight | Qt::AlignVCenter, amount);
    }
    // Line 2: account. Line 3: owner … close date.
    painter->setPen(palette.color(QPalette::PlaceholderText));
    const QRect second(text.left(), text.top() + line, text.width(), line);
    painter->drawText(second, Qt::AlignLeft | Qt::AlignVCenter,
        metrics.elidedText(
            index.data(Board::AccountRole).toString(), Qt::ElideRight, second.width()));
    const QString date = index.data(Board::CloseDateTextRole).toString();
    const int dateWidth = date.isEmpty() ? 0 : metrics.horizontalAdvance(date) + kPadding;
    const QRect third(text.left(), text.top() + 2 * line, text.width() - dateWidth, line);
    painter->drawText(third, Qt::AlignLeft | Qt::AlignVCenter,
        metrics.elidedText(index.data(Board::OwnerRole).toString(), Qt::ElideRight, third.width()));
    if (!date.isEmpty()) {
        painter->drawText(QRect(text.right() - dateWidth, text.top() + 2 * line, dateWidth, line),
            Qt::AlignRight | Qt::AlignVCenter, date);
    }

    // Sync state at the top right: a dot while pending, a mark for an error or a conflict.
    const auto state = OpportunityRoles::SyncState(index.data(Board::SyncStateRole).toInt());
    const QRect mark(text.right() - kMark, text.top() + (line - kMark) / 2, kMark, kMark);
    QStyle *style = option.widget ? option.widget->style() : QApplication::style();
    switch (state) {
    case OpportunityRoles::SyncState::Synced:
        break;
    case OpportunityRoles::SyncState::Pending:
        painter->setPen(Qt::NoPen);
        painter->setBrush(palette.color(QPalette::Highlight));
        painter->drawEllipse(mark);
        break;
    case OpportunityRoles::SyncState::Failed:
    case OpportunityRoles::SyncState::Conflict: {
        const QStyle::StandardPixmap which = state == OpportunityRoles::SyncState::Failed
            ? QStyle::SP_MessageBoxCritical
            : QStyle::SP_MessageBoxWarning;
        const QRect big = mark.adjusted(-3, -3, 3, 3);
        style->standardIcon(which, nullptr, option.widget).paint(painter, big);
        break;
    }
    }
    painter->restore();
}
