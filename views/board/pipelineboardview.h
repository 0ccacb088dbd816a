#pragma once

#include "itemmodels/pipelineboardmodel.h"

#include <QLocale>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

class QAction;
class QHBoxLayout;
class QLabel;
class QListView;
class QScrollArea;
class PipelineCardDelegate;
class PipelineStageListView;

/**
 * The pipeline board: one column per stage of a
 * PipelineBoardModel, each a QListView rooted at its stage row (setRootIndex) with cards drawn
 * by PipelineCardDelegate — item views, never a widget per card, so 100,000 deals stay smooth.
 *
 * Each column has a header under a stripe in the stage's colour (StageColors): the stage name
 * in bold on its own line(s), then "count · sums per currency" (headerText() without the name);
 * the whole text is the header's tooltip. Cards show name, account, owner, amount, close date and a
 * pending dot / conflict or error mark, with the reason as a tooltip.
 *
 * **Moving a deal.** Dragging a card onto another column, or moveLeftAction() /
 * moveRightAction() on the current card, emits moveRequested(recordId, stageOptionId); the
 * board changes nothing itself. The app queues the `$stage` change (RecordEditService, as an
 * undoable command); the optimistic local copy changes the table row and the board follows the
 * table, so the card stays in the new column — and goes back only if the server rejects the
 * edit (then it shows the Failed mark and the reason).
 *
 * **The current card** is the one the rep last picked (click, arrow keys, selectId(), the card
 * they dragged); currentDealChanged() reports only those picks. It stays the one selected card
 * through moves, the server's answers and refreshes: wherever the card is shown after a model
 * change, it is selected (and current) again, and its column takes the keyboard when the board
 * had it. The neighbour a list view would make current when the card leaves its column is
 * never picked.
 *
 * **Keyboard:** Up / Down move between cards of a column, Left / Right to the nearest card of
 * the neighbouring non-empty column; Enter (or a double click) emits dealActivated();
 * Ctrl+Left / Ctrl+Right (Cmd on macOS) move the current deal one stage left / right, never
 * over into the neighbouring column of another pipeline (the
 * actions are children of the board, shortcut context WidgetWithChildrenShortcut; the app also
 * lists them in its Deal menu). Focusing the board focuses its current column.
 *
 * Borrows the model (must outlive the view or be reset with setModel(nullptr)).
 */
class PipelineBoardView final : public QWidget
{
    Q_OBJECT

public:
    explicit PipelineBoardView(QWidget *parent = nullptr);
    ~PipelineBoardView() override;

    void setModel(PipelineBoardModel *model);
    PipelineBoardModel *model() const { return m_model; }

    /** "Move Deal to Previous Stage" (Ctrl+Left). */
    QAction *moveLeftAction() const { return m_moveLeft; }
    /** "Move Deal to Next Stage" (Ctrl+Right). */
    QAction *moveRightAction() const { return m_moveRight; }

    /** The record id of the current card, or empty. */
    QString currentId() const;
    /** Makes the card of `recordId` current (and focused); false when it is not shown. */
    bool selectId(const QString &recordId);

    /** Number of stage columns shown. */
    int columnCount() const { return int(m_columns.size()); }
    /** The list view of column `stageRow` (tests, accessibility). */
    QListView *columnView(int stageRow) const;
    /** The header text of column `stageRow` (its title and summary lines, as headerText()). */
    QString columnHeaderText(int stageRow) const;

    /**
     * The drop path of drag and drop: emits moveRequested for each of `ids` whose card is not
     * already in `stageRow`. Returns the number of moves requested. A drop on "No stage" moves
     * nothing (a stage is required).
     */
    int dropIds(const QStringList &ids, int stageRow);

    /** "Proposal · 3 · USD 48,000.00 · EUR 12,500.50" in `locale`; sums in code order. */
    static QString headerText(const QString &label, int count, const CurrencyTotals &totals,
        const QLocale &locale = QLocale());
    /** One amount with its code (the locale's own symbol for the locale's currency). */
    static QString formatMoney(
        qint64 cents, const QString &code, const QLocale &locale = QLocale());

Q_SIGNALS:
    /** The rep asked to move `recordId` to the stage option `stageOptionId`. */
    void moveRequested(const QString &recordId, const QString &stageOptionId);
    /**
     * The rep picked another card (a click, the arrow keys, selectId()); the deal form follows
     * it. Never emitted for the board's own changes: a card moving, a refresh.
     */
    void currentDealChanged(const QString &recordId);
    /** The rep pressed Enter or double-clicked the card of `recordId` (to edit it). */
    void dealActivated(const QString &recordId);

protected:
    void focusInEvent(QFocusEvent *event) override;

private:
    struct Column
    {
        QWidget *frame = nullptr;
        QWidget *stripe = nullptr;
        QLabel *title = nullptr; ///< the stage name
        QLabel *header = nullptr; ///< count · sums
        PipelineStageListView *list = nullptr;
    };

    void rebuildColumns();
    void updateHeader(int stageRow);
    void updateHeaders(int first, int last);
    void moveCurrent(int direction);
    void focusNeighbour(PipelineStageListView *from, int direction);
    void pick(PipelineStageListView *list, const QModelIndex &card);
    void scheduleRestore();
    void restoreSelection();
    bool hasBoardFocus() const;
    int columnOf(const PipelineStageListView *list) const;
    void updateActions();

    QPointer<PipelineBoardModel> m_model;
    QList<QMetaObject::Connection> m_connections;
    QScrollArea *m_scroll = nullptr;
    QWidget *m_strip = nullptr;
    QHBoxLayout *m_layout = nullptr;
    PipelineCardDelegate *m_delegate = nullptr;
    std::vector<Column> m_columns;
    QAction *m_moveLeft = nullptr;
    QAction *m_moveRight = nullptr;
    int m_active = -1; ///< column of the current card
    /// The rep's card: what they last picked. Kept across moves and refreshes (the card is
    /// selected again wherever it is shown), changed only by the rep.
    QString m_currentId;
    int m_changing = 0; ///< model changes under way (about-to signal seen, done not yet)
    bool m_restorePending = false; ///< restoreSelection() is queued
    bool m_restoring = false; ///< the board itself is changing the lists' selection
    bool m_scrollPending = false; ///< scroll the current card into view on the next restore
    bool m_focusPending = false; ///< give the current card's column the keyboard on restore
};
