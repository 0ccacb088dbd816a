// The small things a rep notices in the deals table: the deal count follows the search, the
// column menu stays open while ticking columns and opens from the header, the Name column stays
// in sight when the table scrolls sideways, a queued inline edit shows its pending mark and its
// old → new value in Pending Changes, and going online sends it once and clears the mark.

// Mouse events go through the window, as a real click does: a right click then also brings
// the context menu event, and hovering brings tooltips.
#define QTEST_QPA_MOUSE_HANDLING
#include "scenario.h"

#include "itemmodels/opportunityroles.h"
#include "syncui/pendingchangespanel.h"
#include "table/columnmenu.h"
#include "table/dealstableview.h"

#include <QApplication>
#include <QDockWidget>
#include <QImage>
#include <QLineEdit>
#include <QScrollBar>
#include <QToolTip>

#include <functional>

using namespace Scenario;

namespace {

int nameColumn(const QAbstractItemModel *model)
{
    for (int column = 0; column < model->columnCount(); ++column) {
        if (model->headerData(column, Qt::Horizontal, OpportunityRoles::ColumnKeyRole).toString()
            == QLatin1String("$name"))
            return column;
    }
    return -1;
}

int rowOfId(const QAbstractItemModel *model, const QString &id)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(OpportunityRoles::IdRole).toString() == id)
            return row;
    }
    return -1;
}

} // namespace

class TestTablePolish final : public QObject
{
    Q_OBJECT

private:
    App app;

    QLabel *countLabel() const { return app.find<QLabel>(QStringLiteral("dealCount")); }

    QTableView *frozen() const
    {
        return app.table()->findChild<QTableView *>(QStringLiteral("frozenNameColumn"));
    }

    /// The colour painted at the centre of row `row`'s sync mark in the frozen Name column.
    QColor markPixel(int row) const
    {
        QTableView *overlay = frozen();
        const QModelIndex index = overlay->model()->index(row, nameColumn(overlay->model()));
        const QRect mark = DealsTableView::syncMarkRect(overlay->visualRect(index));
        const QImage image = overlay->viewport()->grab().toImage();
        const qreal ratio = image.devicePixelRatio();
        return image.pixelColor(QPointF(mark.center()).toPoint() * ratio);
    }

    /// The tooltip shown after hovering row `row`'s Name cell ("" when none shows).
    QString hoverTooltip(int row) const
    {
        QToolTip::hideText();
        QTableView *overlay = frozen();
        const QModelIndex index = overlay->model()->index(row, nameColumn(overlay->model()));
        const QPoint at = DealsTableView::syncMarkRect(overlay->visualRect(index)).center();
        QTest::mouseMove(overlay->viewport(), at - QPoint(1, 1));
        QTest::mouseMove(overlay->viewport(), at);
        waitFor([] { return QToolTip::isVisible(); }, 3000);
        return QToolTip::isVisible() ? QToolTip::text() : QString();
    }

    /// Clicks into the table until it has the focus: opening a deal's form may take it away.
    void clickToFocus(const std::function<void()> &click) const
    {
        click();
        auto *form = app.find<QWidget>(QStringLiteral("dealForm"));
        waitFor(
            [this, form] {
                QWidget *focus = QApplication::focusWidget();
                return app.table()->hasFocus() && !(form && form->isAncestorOf(focus));
            },
            1500);
        if (!app.table()->hasFocus())
            click();
    }

    /// Clicks row `row`'s Name cell (in the frozen column, always in sight).
    void clickName(int row) const
    {
        QTableView *overlay = frozen();
        const QModelIndex index = overlay->model()->index(row, nameColumn(overlay->model()));
        QTest::mouseClick(
            overlay->viewport(), Qt::LeftButton, {}, overlay->visualRect(index).center());
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(app.start()); }

    void countFollowsTheSearch()
    {
        QLabel *count = countLabel();
        QVERIFY(count);
        QVERIFY(count->isVisible());
        QCOMPARE(count->text(), QStringLiteral("60 deals"));

        QTest::keyClick(app.window(), Qt::Key_F, Qt::ControlModifier);
        QLineEdit *search = app.window()->searchField();
        QTRY_VERIFY(search->hasFocus());
        // A word of the first deal's name: some deals match, not all.
        const QString word
            = app.cellText(0, QStringLiteral("Name")).split(QLatin1Char(' ')).constFirst();
        QTest::keyClicks(search, word);
        QAbstractItemModel *model = app.table()->model();
        QTRY_VERIFY(model->rowCount() < 60 && model->rowCount() > 0);
        QTRY_COMPARE(count->text(), QStringLiteral("%1 of 60 deals").arg(model->rowCount()));

        QTest::keyClick(search, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClick(search, Qt::Key_Backspace);
        QTRY_COMPARE(model->rowCount(), 60);
        QTRY_COMPARE(count->text(), QStringLiteral("60 deals"));
    }

    void headerRightClickOpensTheColumnMenuThatStaysOpen()
    {
        QTableView *table = app.table();
        QHeaderView *header = table->horizontalHeader();
        const int clicked = header->logicalIndex(2);
        const QPoint at(header->sectionViewportPosition(clicked) + header->sectionSize(clicked) / 2,
            header->height() / 2);
        QTest::mouseClick(header->viewport(), Qt::RightButton, {}, at);
        QMenu *menu = nullptr;
        QVERIFY(waitFor(
            [&menu] {
                menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
                return menu != nullptr;
            },
            5000));
        QCOMPARE(menu->objectName(), QStringLiteral("headerColumnMenu"));
        auto *hide = menu->findChild<QAction *>(QStringLiteral("hideColumnAction"));
        QVERIFY(hide);
        QVERIFY(
            hide->text().contains(table->model()->headerData(clicked, Qt::Horizontal).toString()));

        // Two hidden columns, ticked one after the other in the same opening.
        QList<QAction *> unticked;
        for (QAction *action : menu->actions()) {
            if (action->isCheckable() && !action->isChecked() && action->isEnabled())
                unticked << action;
        }
        QVERIFY(unticked.size() >= 2);
        for (int i = 0; i < 2; ++i) {
            QAction *action = unticked.at(i);
            const QString key = action->objectName().mid(QStringLiteral("column:").size());
            int logical = -1;
            for (int c = 0; c < table->model()->columnCount(); ++c) {
                if (table->model()
                        ->headerData(c, Qt::Horizontal, OpportunityRoles::ColumnKeyRole)
                        .toString()
                    == key)
                    logical = c;
            }
            QVERIFY(logical >= 0);
            QVERIFY(header->isSectionHidden(logical));
            QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(action).center());
            QVERIFY(action->isChecked());
            QVERIFY(!header->isSectionHidden(logical));
            QVERIFY2(menu->isVisible(), "the column menu closed after a tick");
            QCOMPARE(QApplication::activePopupWidget(), menu);
        }
        QTest::keyClick(menu, Qt::Key_Escape);
        QTRY_VERIFY(!menu->isVisible());
    }

    void viewColumnsMenuStaysOpenWhileTicking()
    {
        QMenuBar *bar = app.window()->menuBar();
        QMenu *view = app.window()->menu(MainWindow::Menu::View);
        auto *columns = app.find<QMenu>(QStringLiteral("columnsMenu"));
        QVERIFY(columns);
        QTest::mouseClick(
            bar, Qt::LeftButton, {}, bar->actionGeometry(view->menuAction()).center());
        QTRY_VERIFY(view->isVisible());
        QTest::mouseClick(
            view, Qt::LeftButton, {}, view->actionGeometry(columns->menuAction()).center());
        QTRY_VERIFY(columns->isVisible());
        QAction *shown = nullptr;
        for (QAction *action : columns->actions()) {
            if (action->isCheckable() && action->isChecked() && action->isEnabled())
                shown = action;
        }
        QVERIFY(shown);
        QTest::mouseClick(columns, Qt::LeftButton, {}, columns->actionGeometry(shown).center());
        QVERIFY(!shown->isChecked());
        QVERIFY2(columns->isVisible(), "View ▸ Columns closed after a tick");
        QTest::mouseClick(columns, Qt::LeftButton, {}, columns->actionGeometry(shown).center());
        QVERIFY(shown->isChecked());
        QVERIFY(columns->isVisible());
        QTest::keyClick(columns, Qt::Key_Escape);
        QTest::keyClick(view, Qt::Key_Escape);
        QTRY_VERIFY(!view->isVisible());
    }

    void nameColumnStaysInSightWhenScrollingSideways()
    {
        QTableView *table = app.table();
        QAbstractItemModel *model = table->model();
        const int name = nameColumn(model);
        QVERIFY(name >= 0);
        clickToFocus(
            [this, table] { app.clickCell(3, table->horizontalHeader()->logicalIndex(2)); });
        QTRY_VERIFY(table->hasFocus());
        QTest::keyClick(table, Qt::Key_End);
        QTRY_VERIFY(table->horizontalScrollBar()->value() > 0);
        // The table's own Name cells scrolled away to the left …
        QVERIFY(table->columnViewportPosition(name) < 0);
        // … and the frozen column shows the names at the left edge.
        QTableView *overlay = frozen();
        QVERIFY(overlay);
        QVERIFY(overlay->isVisible());
        QCOMPARE(overlay->x(), table->frameWidth());
        QVERIFY(overlay->width() > 50);
        for (int row : {0, 3}) {
            const QPoint inCell(8, overlay->rowViewportPosition(row) + overlay->rowHeight(row) / 2);
            const QModelIndex shown = overlay->indexAt(inCell);
            QCOMPARE(shown.column(), name);
            QCOMPARE(shown.data().toString(), app.cellText(row, QStringLiteral("Name")));
            QVERIFY(!shown.data().toString().isEmpty());
        }
        // The current cell is not hidden under it.
        QVERIFY(table->visualRect(table->currentIndex()).left() >= overlay->width());

        // Sorting from the frozen header sorts the table.
        const Qt::SortOrder before = table->horizontalHeader()->sortIndicatorOrder();
        QCOMPARE(table->horizontalHeader()->sortIndicatorSection(), name);
        QTest::mouseClick(overlay->horizontalHeader()->viewport(), Qt::LeftButton, {},
            QPoint(20, overlay->horizontalHeader()->height() / 2));
        QTRY_VERIFY(table->horizontalHeader()->sortIndicatorOrder() != before);
        QTest::mouseClick(overlay->horizontalHeader()->viewport(), Qt::LeftButton, {},
            QPoint(20, overlay->horizontalHeader()->height() / 2));
        QTRY_COMPARE(table->horizontalHeader()->sortIndicatorOrder(), before);
    }

    void offlineInlineEditShowsPendingThenSendsOnce()
    {
        QTableView *table = app.table();
        QAbstractItemModel *model = table->model();
        const int name = nameColumn(model);
        QVERIFY(frozen()); // where the Name cells and their marks are drawn
        QVERIFY(app.chooseMenuItem(QStringLiteral("workOfflineAction")));
        QTRY_VERIFY(app.find<QAction>(QStringLiteral("workOfflineAction"))->isChecked());

        const int row = 3;
        const QString oldName = app.cellText(row, QStringLiteral("Name"));
        const QString id = app.dealIdByName(oldName);
        QVERIFY(!id.isEmpty());
        const int writesBefore = int(app.writesTo(id).size());
        // Another row current, so that this one is drawn unselected.
        clickName(row + 2);
        QTRY_COMPARE(table->currentIndex().row(), row + 2);
        QVERIFY(markPixel(row) != frozen()->palette().color(QPalette::Highlight));
        QCOMPARE(hoverTooltip(row), QString());

        // A click on the frozen Name cell (the table is still scrolled sideways), then End and
        // Home: back on the Name cell without scrolling; F2 edits it there.
        clickToFocus([this, row] { clickName(row); });
        QTRY_VERIFY(table->hasFocus());
        QCOMPARE(table->currentIndex().row(), row);
        QTest::keyClick(table, Qt::Key_End);
        QTRY_VERIFY(table->currentIndex().column() != name);
        const int sideways = table->horizontalScrollBar()->value();
        QVERIFY(sideways > 0);
        QTest::keyClick(table, Qt::Key_Home);
        QTRY_COMPARE(table->currentIndex().column(), name);
        QCOMPARE(table->currentIndex().row(), row);
        QCOMPARE(table->horizontalScrollBar()->value(), sideways);
        QTest::keyClick(table, Qt::Key_F2);
        QWidget *editor = nullptr;
        QVERIFY(waitFor(
            [&editor, this] {
                editor = QApplication::focusWidget();
                return editor && editor != app.table() && frozen()->isAncestorOf(editor);
            },
            5000));
        QTest::keyClick(editor, Qt::Key_End);
        QTest::keyClicks(editor, QStringLiteral(" (pilot)"));
        QTest::keyClick(editor, Qt::Key_Return);
        const QString newName = oldName + QStringLiteral(" (pilot)");

        const int edited = rowOfId(model, id);
        QVERIFY(edited >= 0);
        QTRY_COMPARE(model->index(edited, name).data().toString(), newName);
        QTRY_COMPARE(model->index(edited, name).data(OpportunityRoles::SyncStateRole).toInt(),
            int(OpportunityRoles::SyncState::Pending));
        // The Enter moved the current row down: the mark is drawn on the row's own background.
        QVERIFY(table->currentIndex().row() != edited);
        QTRY_COMPARE(markPixel(edited), frozen()->palette().color(QPalette::Highlight));
        QCOMPARE(hoverTooltip(edited), QStringLiteral("Changes wait to be sent"));
        QCOMPARE(int(app.writesTo(id).size()), writesBefore);

        // Pending Changes: the row says what changes, old → new.
        QTest::keyClick(app.window(), Qt::Key_P, Qt::ControlModifier | Qt::ShiftModifier);
        auto *panel = app.find<PendingChangesPanel>(QStringLiteral("pendingChanges"));
        QVERIFY(panel);
        QTRY_VERIFY(panel->isVisible());
        QTableView *outbox = panel->view();
        QTRY_COMPARE(outbox->model()->rowCount(), 1);
        QString shown;
        for (int c = 0; c < outbox->model()->columnCount(); ++c) {
            if (!outbox->isColumnHidden(c))
                shown += outbox->model()->index(0, c).data().toString() + QLatin1Char('|');
        }
        QVERIFY2(shown.contains(QStringLiteral("Name: %1 → %2").arg(oldName, newName)),
            qPrintable(shown));

        // Online: sent once, the mark goes.
        QVERIFY(app.chooseMenuItem(QStringLiteral("workOfflineAction")));
        QTRY_VERIFY_WITH_TIMEOUT(app.writesTo(id).size() == writesBefore + 1, 20000);
        QVERIFY(app.waitForIdle());
        QCOMPARE(int(app.writesTo(id).size()), writesBefore + 1);
        QCOMPARE(app.writesTo(id)
                     .constLast()
                     .value(QStringLiteral("fields"))
                     .toObject()
                     .value(QStringLiteral("$name"))
                     .toString(),
            newName);
        QCOMPARE(app.dealIdByName(newName), id);
        const int after = rowOfId(model, id);
        QTRY_COMPARE(model->index(after, name).data(OpportunityRoles::SyncStateRole).toInt(),
            int(OpportunityRoles::SyncState::Synced));
        QTRY_VERIFY(markPixel(after) != frozen()->palette().color(QPalette::Highlight));
        QCOMPARE(hoverTooltip(after), QString());
        QTRY_COMPARE(outbox->model()->rowCount(), 0);
    }
};

QTEST_MAIN(TestTablePolish)
#include "tst_tablepolish.moc"
