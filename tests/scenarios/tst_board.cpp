// A rep works the pipeline on the board: opens deals by clicking or arrowing to their cards,
// moves them with Ctrl+] / Ctrl+Right and by dragging, and reads every deal's full name.

#include "scenario.h"

#include "board/pipelineboarddelegate.h"
#include "board/pipelineboardview.h"
#include "form/dealform.h"
#include "itemmodels/pipelineboardmodel.h"

#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QListView>
#include <QMimeData>
#include <QStackedWidget>
#include <QStyleOptionViewItem>

#include <algorithm>
#include <memory>

namespace {

const QString kStageKey = QStringLiteral("$stage");

struct Board
{
    Scenario::App &app;
    PipelineBoardView *view = nullptr;
    DealForm *form = nullptr;

    PipelineBoardModel *model() const { return view->model(); }

    /** The record id of card `row` of column `stageRow`. */
    QString cardId(int stageRow, int row) const
    {
        return model()
            ->index(row, 0, model()->index(stageRow, 0))
            .data(PipelineBoardModel::IdRole)
            .toString();
    }

    /** The column that shows the card of `id`, or -1. */
    int columnOfId(const QString &id) const
    {
        const QModelIndex card = model()->indexForId(id);
        return card.isValid() ? card.parent().row() : -1;
    }

    /** The selected card of each column: the ids of all selected cards of the board. */
    QStringList selectedIds() const
    {
        QStringList ids;
        for (int s = 0; s < view->columnCount(); ++s) {
            const QModelIndexList selected
                = view->columnView(s)->selectionModel()->selectedIndexes();
            for (const QModelIndex &index : selected)
                ids << index.data(PipelineBoardModel::IdRole).toString();
        }
        return ids;
    }

    /** Clicks the centre of the card of `id` (it must be on screen). */
    void click(const QString &id) const
    {
        QListView *list = view->columnView(columnOfId(id));
        const QRect rect = list->visualRect(model()->indexForId(id));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
    }

    QWidget *pane() const
    {
        return app.find<QStackedWidget>(QStringLiteral("detailStack"))->currentWidget();
    }

    /** The card of `id` is the one selected card, current in its column, with the keyboard. */
    bool holds(const QString &id) const
    {
        const int c = columnOfId(id);
        if (c < 0 || view->currentId() != id || selectedIds() != QStringList {id})
            return false;
        QListView *list = view->columnView(c);
        return list->currentIndex().data(PipelineBoardModel::IdRole).toString() == id
            && QApplication::focusWidget() == list;
    }

    /** The pane shows the deal form with `id`. */
    bool paneShows(const QString &id) const { return pane() == form && form->recordId() == id; }
};

QString stageOf(const QJsonObject &body)
{
    return body.value(QStringLiteral("fields")).toObject().value(kStageKey).toString();
}

/** The body of a stage move: `$stage` and nothing else. */
bool onlyStage(const QJsonObject &body, const QString &optionId)
{
    const QJsonObject fields = body.value(QStringLiteral("fields")).toObject();
    return body.keys() == QStringList {QStringLiteral("fields")}
    && fields.keys() == QStringList {kStageKey} && stageOf(body) == optionId;
}

using Scenario::describeWrites;

} // namespace

class TestBoardScenario final : public QObject
{
    Q_OBJECT

private:
    /** Starts the app and switches to the board with Ctrl+Alt+2. */
    bool openBoard(Scenario::App &app, Board &board)
    {
        if (!app.start())
            return false;
        QTest::keyClick(app.window(), Qt::Key_2, Qt::ControlModifier | Qt::AltModifier);
        board.view = app.find<PipelineBoardView>(QStringLiteral("pipelineBoard"));
        board.form = app.find<DealForm>(QStringLiteral("dealForm"));
        return board.view && board.form && Scenario::waitFor([&board] {
            return board.view->isVisible() && board.view->columnCount() >= 6
                && board.model()->cardCount(0) >= 2 && board.model()->cardCount(3) >= 2
                && board.view->columnView(0)->viewport()->width() > 200; // laid out
        });
    }

private Q_SLOTS:
    void clickOpensTheCardAndNextStageMovesThatDealTwice()
    {
        Scenario::App app;
        Board board {app};
        QVERIFY(openBoard(app, board));
        QCOMPARE(board.model()->stageId(0), QStringLiteral("opt_stage_prospecting"));
        // The sandbox's deals have no pipelines: nothing to choose above the board, and the
        // keyboard went straight to the cards with the page.
        auto *pipelines = app.find<QComboBox>(QStringLiteral("pipelineSelector"));
        QVERIFY(pipelines && !pipelines->isVisible());
        QVERIFY(board.view->isAncestorOf(QApplication::focusWidget()));

        const QString id = board.cardId(0, 0);
        const QString neighbour = board.cardId(0, 1);
        board.click(id);
        QTRY_VERIFY2(board.paneShows(id), qPrintable(board.form->recordId()));
        QVERIFY(board.holds(id)); // the keyboard stays on the board

        QTest::keyClick(QApplication::focusWidget(), Qt::Key_BracketRight, Qt::ControlModifier);
        QTRY_COMPARE(board.columnOfId(id), 1);
        QTRY_VERIFY(board.holds(id));
        QVERIFY(board.paneShows(id));
        // The first move reaches the server before the second is asked for (unsent edits to
        // one deal are sent as one).
        QTRY_COMPARE(app.writesTo(id).size(), 1);
        QVERIFY(app.waitForIdle());
        QVERIFY(board.holds(id));
        QVERIFY(board.paneShows(id));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_BracketRight, Qt::ControlModifier);
        QTRY_COMPARE(board.columnOfId(id), 2);
        QVERIFY(app.waitForIdle());
        QTRY_COMPARE(app.serverDeal(id)
                         .value(QStringLiteral("fields"))
                         .toObject()
                         .value(kStageKey)
                         .toObject()
                         .value(QStringLiteral("value"))
                         .toString(),
            QStringLiteral("opt_stage_proposal"));

        // Exactly two writes, both to that deal, each only its stage.
        const QList<QJsonObject> writes = app.writes();
        QVERIFY2(writes.size() == 2, qPrintable(describeWrites(writes)));
        const QList<QJsonObject> bodies = app.writesTo(id);
        QVERIFY2(bodies.size() == 2, qPrintable(describeWrites(writes)));
        QVERIFY2(onlyStage(bodies.at(0), QStringLiteral("opt_stage_discovery")),
            qPrintable(describeWrites(writes)));
        QVERIFY2(onlyStage(bodies.at(1), QStringLiteral("opt_stage_proposal")),
            qPrintable(describeWrites(writes)));
        QVERIFY(app.writesTo(neighbour).isEmpty());

        // After the server's answers the deal is still the selected card and the open deal.
        QVERIFY(board.holds(id));
        QVERIFY(board.paneShows(id));
        QCOMPARE(board.columnOfId(neighbour), 0);
    }

    void dragMovesThatDealOnlyAndKeepsItSelected()
    {
        Scenario::App app;
        Board board {app};
        QVERIFY(openBoard(app, board));
        QCOMPARE(board.model()->stageId(4), QStringLiteral("opt_stage_closed_won"));

        const QString id = board.cardId(3, 0);
        QListView *from = board.view->columnView(3);
        QListView *to = board.view->columnView(4);
        const QPoint start = from->visualRect(board.model()->indexForId(id)).center();
        const QPoint end = to->viewport()->rect().center();
        QTest::mousePress(from->viewport(), Qt::LeftButton, {}, start);
        QTRY_VERIFY(board.paneShows(id));
        const QPoint away = start + QPoint(QApplication::startDragDistance() + 10, 5);
        QTest::mouseMove(from->viewport(), start + QPoint(0, 5));
        QTest::mouseMove(from->viewport(), away); // starts the drag
        QTest::mouseRelease(from->viewport(), Qt::LeftButton, {}, away);
        // The offscreen platform ends every QDrag at once: its part of the gesture (enter, move
        // and drop over the target column, carrying what the dragged selection carries) is
        // delivered here as a window system would.
        const std::unique_ptr<QMimeData> mime(
            board.model()->mimeData(from->selectionModel()->selectedIndexes()));
        QVERIFY(mime);
        QDragEnterEvent enter(end, Qt::MoveAction, mime.get(), Qt::LeftButton, {});
        QApplication::sendEvent(to->viewport(), &enter);
        QVERIFY(enter.isAccepted());
        QDragMoveEvent move(end, Qt::MoveAction, mime.get(), Qt::LeftButton, {});
        QApplication::sendEvent(to->viewport(), &move);
        QVERIFY(move.isAccepted());
        QDropEvent drop(QPointF(end), Qt::MoveAction, mime.get(), Qt::LeftButton, {});
        QApplication::sendEvent(to->viewport(), &drop);
        QVERIFY(drop.isAccepted());

        QTRY_COMPARE(board.columnOfId(id), 4);
        QVERIFY(app.waitForIdle());
        const QList<QJsonObject> writes = app.writes();
        QVERIFY2(writes.size() == 1, qPrintable(describeWrites(writes)));
        QCOMPARE(app.writesTo(id).size(), 1);
        QVERIFY2(onlyStage(app.writesTo(id).at(0), QStringLiteral("opt_stage_closed_won")),
            qPrintable(describeWrites(writes)));
        QTRY_VERIFY(board.holds(id));
        QVERIFY(board.paneShows(id));
    }

    void keyboardWalksTheCardsAndThePaneFollows()
    {
        Scenario::App app;
        Board board {app};
        QVERIFY(openBoard(app, board));

        const QString first = board.cardId(0, 0);
        board.click(first);
        QTRY_VERIFY(board.paneShows(first));

        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Down);
        const QString second = board.cardId(0, 1);
        QTRY_VERIFY2(board.paneShows(second), qPrintable(board.form->recordId()));
        QVERIFY(board.holds(second));

        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Right);
        QTRY_COMPARE(board.columnOfId(board.view->currentId()), 1);
        const QString right = board.view->currentId();
        QTRY_VERIFY2(board.paneShows(right), qPrintable(board.form->recordId()));
        QVERIFY(board.holds(right));

        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Right, Qt::ControlModifier);
        QTRY_COMPARE(board.columnOfId(right), 2);
        QVERIFY(app.waitForIdle());
        const QList<QJsonObject> writes = app.writes();
        QVERIFY2(writes.size() == 1, qPrintable(describeWrites(writes)));
        QCOMPARE(app.writesTo(right).size(), 1);
        QVERIFY(onlyStage(app.writesTo(right).at(0), QStringLiteral("opt_stage_proposal")));
        QTRY_VERIFY(board.holds(right));
        QVERIFY(board.paneShows(right));

        // Enter hands the keyboard to the deal form.
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        QTRY_VERIFY(board.form->isAncestorOf(QApplication::focusWidget()));
        QVERIFY(board.paneShows(right));
    }

    void cardsAndHeadersShowFullNames()
    {
        Scenario::App app;
        Board board {app};
        QVERIFY(openBoard(app, board));
        QCOMPARE(app.window()->width(), 1600);

        int checked = 0;
        for (int s = 0; s < board.view->columnCount(); ++s) {
            QListView *list = board.view->columnView(s);
            auto *delegate = qobject_cast<PipelineCardDelegate *>(list->itemDelegate());
            QVERIFY(delegate);
            const QModelIndex stage = board.model()->index(s, 0);
            for (int row = 0; row < board.model()->rowCount(stage); ++row) {
                const QModelIndex card = board.model()->index(row, 0, stage);
                QStyleOptionViewItem option;
                option.initFrom(list->viewport());
                option.font = list->font();
                option.rect = list->visualRect(card);
                const QString name = card.data(PipelineBoardModel::NameRole).toString();
                const QStringList lines = delegate->nameLines(option, card);
                QVERIFY2(lines.join(QLatin1Char(' ')) == name,
                    qPrintable(lines.join(QLatin1Char('|')) + QStringLiteral(" ≠ ") + name));
                ++checked;
            }
            const QString label = board.model()->stageLabel(s);
            const QString header = board.view->columnHeaderText(s);
            QVERIFY2(header.startsWith(label + QStringLiteral(" · ")), qPrintable(header));
        }
        QCOMPARE(checked, 60);

        // Side by side, never over each other (the board scrolls sideways instead).
        for (int s = 1; s < board.view->columnCount(); ++s) {
            const QListView *left = board.view->columnView(s - 1);
            const QListView *right = board.view->columnView(s);
            const int leftEdge = left->mapTo(board.view, QPoint(left->width(), 0)).x();
            QVERIFY2(right->mapTo(board.view, QPoint()).x() >= leftEdge,
                qPrintable(QStringLiteral("column %1 starts at %2, column %3 ends at %4")
                               .arg(s)
                               .arg(right->mapTo(board.view, QPoint()).x())
                               .arg(s - 1)
                               .arg(leftEdge)));
        }

        // Each column's title is the full stage name on a line of its own, with room to spare.
        QList<QLabel *> titles;
        for (QLabel *title : board.view->findChildren<QLabel *>(QStringLiteral("stageTitle"))) {
            if (title->isVisibleTo(board.view))
                titles << title;
        }
        std::sort(titles.begin(), titles.end(), [](QLabel *a, QLabel *b) {
            return a->mapTo(a->window(), QPoint()).x() < b->mapTo(b->window(), QPoint()).x();
        });
        QCOMPARE(titles.size(), board.view->columnCount());
        for (int s = 0; s < board.view->columnCount(); ++s) {
            QLabel *title = titles.at(s);
            QCOMPARE(title->text(), board.model()->stageLabel(s));
            QVERIFY(title->fontMetrics().horizontalAdvance(title->text())
                <= title->contentsRect().width());
            QVERIFY(title->toolTip().startsWith(title->text()));
        }
        app.window()->grab().save(QDir::temp().filePath(QStringLiteral("tst_board.png")));
    }
};

QTEST_MAIN(TestBoardScenario)
#include "tst_board.moc"
