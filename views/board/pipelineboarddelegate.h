#pragma once

#include <QStyledItemDelegate>

/**
 * Draws one card of the pipeline board (PipelineBoardModel card rows): a panel with a stripe in
 * the stage's colour, the deal name in bold on the first two lines (wrapped at word boundaries,
 * elided only past the second line), account … amount on the third, owner … close date on the
 * fourth, and at the top right a small dot while edits are pending, an error mark when the
 * server rejected one (Failed) or a warning mark for a conflict.
 *
 * The tooltip names whatever the card had to cut (the name, account or owner in full), then the
 * model's Qt::ToolTipRole (the reason of a rejected edit).
 *
 * Every card has the same size (sizeHint() depends only on the font), which lets the column
 * views lay out 10,000s of cards with uniform item sizes. Stateless apart from the style.
 */
class PipelineCardDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit PipelineCardDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    /** The deal name as the card draws it in `option`, line by line (the last may be elided). */
    QStringList nameLines(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    /** The card's tooltip in `option`: the texts it cut, in full, then the sync state's reason. */
    QString toolTip(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
        const QModelIndex &index) override;
};
