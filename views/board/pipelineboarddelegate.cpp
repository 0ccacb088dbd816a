#include "board/pipelineboarddelegate.h"

#include "itemmodels/pipelineboardmodel.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QStyle>
#include <QTextLayout>
#include <QToolTip>

namespace {

constexpr int kMargin = 4; // around the panel, inside the item rect
constexpr int kPadding = 6; // inside the panel
constexpr int kStripe = 4; // stage colour stripe on the left
constexpr int kMark = 8; // pending dot / mark size
constexpr int kNameLines = 2; // the name wraps to this many lines before it is elided
constexpr int kLines = kNameLines + 2; // name, account … amount, owner … close date

QFont boldFont(const QFont &font)
{
    QFont bold = font;
    bold.setBold(true);
    return bold;
}

/** The text area of a card drawn in `rect`. */
QRect textRect(const QRect &rect)
{
    const QRect panel = rect.adjusted(kMargin, kMargin, -kMargin, -kMargin);
    return panel.adjusted(kStripe + kPadding, kPadding, -kPadding, -kPadding);
}

/** The width the name has on each of its lines (the sync mark sits at the right of line 1). */
int nameWidth(const QRect &text)
{
    return text.width() - kMark - kPadding;
}

/**
 * `text` wrapped at word boundaries (anywhere inside a word too long for a line) into at most
 * `maxLines` lines of `width`, the last one elided when the rest does not fit.
 */
QStringList wrapped(const QString &text, const QFont &font, int width, int maxLines)
{
    QStringList lines;
    if (text.isEmpty() || width <= 0)
        return lines;
    const QFontMetrics metrics(font);
    QTextLayout layout(text, font);
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout.setTextOption(option);
    layout.beginLayout();
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(width);
        if (lines.size() == maxLines - 1) {
            lines << metrics.elidedText(
                text.mid(line.textStart()).trimmed(), Qt::ElideRight, width);
            break;
        }
        lines << text.mid(line.textStart(), line.textLength()).trimmed();
    }
    layout.endLayout();
    return lines;
}

} // namespace

PipelineCardDelegate::PipelineCardDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

QSize PipelineCardDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    // One size for every card (uniform item sizes): the name always has its two lines.
    const int line
        = qMax(QFontMetrics(option.font).height(), QFontMetrics(boldFont(option.font)).height());
    const int height = kLines * line + 2 * kPadding + 2 * kMargin + 2;
    return {qMax(160, option.rect.width()), height};
}

QStringList PipelineCardDelegate::nameLines(
    const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return wrapped(index.data(PipelineBoardModel::NameRole).toString(), boldFont(option.font),
        nameWidth(textRect(option.rect)), kNameLines);
}

QString PipelineCardDelegate::toolTip(
    const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    using Board = PipelineBoardModel;
    QStringList parts;
    const QString name = index.data(Board::NameRole).toString();
    if (nameLines(option, index).join(QLatin1Char(' ')) != name.simplified())
        parts << name;
    // Account and owner share their lines with the amount and the date: the tooltip names them
    // when they were cut.
    const QRect text = textRect(option.rect);
    const QFontMetrics metrics(option.font);
    const auto cut = [&](int role, int otherRole) {
        const QString value = index.data(role).toString();
        const QString other = index.data(otherRole).toString();
        const int room
            = text.width() - (other.isEmpty() ? 0 : metrics.horizontalAdvance(other) + kPadding);
        if (metrics.horizontalAdvance(value) > room)
            parts << value;
    };
    cut(Board::AccountRole, Board::AmountTextRole);
    cut(Board::OwnerRole, Board::CloseDateTextRole);
    const QString status = index.data(Qt::ToolTipRole).toString();
    if (!status.isEmpty())
        parts << status;
    return parts.join(QLatin1Char('\n'));
}

bool PipelineCardDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
    const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() != QEvent::ToolTip || !index.isValid())
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    const QString text = toolTip(option, index);
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPos(), text, view->viewport(), option.rect);
    return true;
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
    const QColor stage = QColor::fromRgba(index.data(Board::StageColorRole).toUInt());
    painter->setClipPath(path);
    painter->fillRect(QRect(panel.left(), panel.top(), kStripe, panel.height()), stage);
    painter->setClipping(false);

    const QRect text = textRect(option.rect);
    const QFontMetrics metrics(option.font);
    const int line = qMax(metrics.height(), QFontMetrics(boldFont(option.font)).height());

    // Lines 1–2: the name, wrapped, in bold.
    painter->setPen(palette.color(QPalette::Text));
    painter->setFont(boldFont(option.font));
    const QStringList name = nameLines(option, index);
    for (qsizetype i = 0; i < name.size(); ++i) {
        painter->drawText(QRect(text.left(), text.top() + int(i) * line, nameWidth(text), line),
            Qt::AlignLeft | Qt::AlignVCenter, name.at(i));
    }
    painter->setFont(option.font);
    // Line 3: account … amount (right-aligned). Line 4: owner … close date.
    const auto pair = [&](int row, const QString &left, const QString &right,
                          const QColor &leftColor) {
        const int top = text.top() + row * line;
        const int rightWidth = right.isEmpty() ? 0 : metrics.horizontalAdvance(right) + kPadding;
        const QRect leftRect(text.left(), top, text.width() - rightWidth, line);
        painter->setPen(leftColor);
        painter->drawText(leftRect, Qt::AlignLeft | Qt::AlignVCenter,
            metrics.elidedText(left, Qt::ElideRight, leftRect.width()));
        if (!right.isEmpty()) {
            painter->setPen(palette.color(QPalette::Text));
            painter->drawText(QRect(text.right() - rightWidth + 1, top, rightWidth, line),
                Qt::AlignRight | Qt::AlignVCenter, right);
        }
    };
    const QColor secondary = palette.color(QPalette::PlaceholderText);
    pair(kNameLines, index.data(Board::AccountRole).toString(),
        index.data(Board::AmountTextRole).toString(), secondary);
    pair(kNameLines + 1, index.data(Board::OwnerRole).toString(),
        index.data(Board::CloseDateTextRole).toString(), secondary);

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
