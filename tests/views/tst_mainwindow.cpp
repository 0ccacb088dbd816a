#include "itemmodels/opportunityroles.h"
#include "mainwindow.h"

#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QProgressBar>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTreeWidget>
#include <QtTest>

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void titleNamesTheAppAndWorkspace()
    {
        // The window's own title is the workspace alone: Qt appends the application's display
        // name once ("Demo workspace — Lightfield Deals"), and shows it alone for an empty title.
        MainWindow window;
        QCOMPARE(window.windowTitle(), QString());
        window.setWorkspaceDescription(QStringLiteral("Demo workspace"));
        QCOMPARE(window.windowTitle(), QStringLiteral("Demo workspace"));
    }

    void statusBarShowsConnectionState()
    {
        MainWindow window;
        window.setConnectionState(QStringLiteral("Online · demo sandbox"));
        auto *label = window.statusBar()->findChild<QLabel *>(QStringLiteral("connectionState"));
        QVERIFY(label);
        QCOMPARE(label->text(), QStringLiteral("Online · demo sandbox"));
    }

    void menusFollowTheDesign()
    {
        MainWindow window;
        QStringList titles;
        for (QAction *action : window.menuBar()->actions())
            titles << action->text().remove(QLatin1Char('&'));
        QCOMPARE(titles,
            (QStringList {QStringLiteral("File"), QStringLiteral("Edit"), QStringLiteral("View"),
                QStringLiteral("Deal"), QStringLiteral("Sync"), QStringLiteral("Help")}));
    }

    void quitHasThePlatformShortcut()
    {
        MainWindow window;
        QMenu *file = window.menuBar()->actions().constFirst()->menu();
        QVERIFY(file);
        const QList<QAction *> actions = file->actions();
        const auto quit = std::find_if(actions.cbegin(), actions.cend(),
            [](QAction *a) { return a->shortcut() == QKeySequence(QKeySequence::Quit); });
        QVERIFY(quit != actions.cend());
    }

    void emptyStateNamesTheSearchAndOffersToClearIt()
    {
        MainWindow window;
        QStandardItemModel model;
        window.setDealsModel(&model);
        auto *empty = window.findChild<QLabel *>(QStringLiteral("emptyState"));
        auto *stack = window.findChild<QStackedWidget *>(QStringLiteral("dealsStack"));
        QVERIFY(empty && stack);
        QCOMPARE(stack->currentWidget(), empty);
        window.searchField()->setText(QStringLiteral("zeta"));
        QVERIFY(empty->text().contains(QStringLiteral("zeta")));
        QVERIFY(empty->text().contains(QStringLiteral("clear search")));
        Q_EMIT empty->linkActivated(QStringLiteral("clear"));
        QVERIFY(window.searchField()->text().isEmpty());

        model.appendRow(new QStandardItem(QStringLiteral("Northwind renewal")));
        QCOMPARE(stack->currentWidget(), window.dealsView());
    }

    void searchFieldEmitsEveryKeystroke()
    {
        MainWindow window;
        QSignalSpy spy(&window, &MainWindow::searchTextChanged);
        QTest::keyClicks(window.searchField(), QStringLiteral("nor"));
        QCOMPARE(spy.count(), 3);
        QCOMPARE(spy.last().at(0).toString(), QStringLiteral("nor"));
    }

    void detailPaneShowsTheDealWidgetOrAsksForADeal()
    {
        // The window reports the current row; the pane shows what the app opens for it (the
        // deal form), and asks for a deal while nothing is open.
        MainWindow window;
        QStandardItemModel model(0, 2);
        model.setHorizontalHeaderLabels({QStringLiteral("Name"), QStringLiteral("Stage")});
        model.appendRow({new QStandardItem(QStringLiteral("Acme pilot")),
            new QStandardItem(QStringLiteral("Discovery"))});
        window.setDealsModel(&model);
        auto *stack = window.findChild<QStackedWidget *>(QStringLiteral("detailStack"));
        auto *placeholder = window.findChild<QLabel *>(QStringLiteral("detailPlaceholder"));
        QVERIFY(stack && placeholder);
        QCOMPARE(stack->currentWidget(), placeholder);
        QVERIFY(placeholder->text().contains(QStringLiteral("Select a deal")));

        QSignalSpy current(&window, &MainWindow::currentDealChanged);
        window.dealsView()->setCurrentIndex(model.index(0, 1));
        QCOMPARE(current.count(), 1);
        const auto index = qvariant_cast<QModelIndex>(current.last().at(0));
        QCOMPARE(index.siblingAtColumn(0).data().toString(), QStringLiteral("Acme pilot"));

        auto *form = new QLabel(QStringLiteral("Acme pilot"));
        window.setDetailWidget(form);
        QCOMPARE(stack->currentWidget(), form);
        window.setDetailWidgetShown(false);
        QCOMPARE(stack->currentWidget(), placeholder);
        window.setDetailWidgetShown(true);
        QCOMPARE(stack->currentWidget(), form);
    }

    void firstDataPaintIsSignalledOnce()
    {
        MainWindow window;
        QStandardItemModel model;
        model.appendRow(new QStandardItem(QStringLiteral("Deal")));
        window.setDealsModel(&model);
        QSignalSpy spy(&window, &MainWindow::firstDataPainted);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(spy.wait(2000));
        window.dealsView()->viewport()->repaint();
        QTest::qWait(50);
        QCOMPARE(spy.count(), 1);
    }

    void statusBarShowsCountsAndProgress()
    {
        MainWindow window;
        window.show();
        window.setSyncCounts(3, 1, 0);
        auto *counts = window.findChild<QLabel *>(QStringLiteral("syncCounts"));
        QCOMPARE(counts->text(), QStringLiteral("3 pending · 1 failed · 0 conflict(s)"));
        auto *progress = window.findChild<QProgressBar *>(QStringLiteral("syncProgress"));
        window.setSyncProgress(62, 100);
        QVERIFY(progress->isVisible());
        QCOMPARE(progress->value(), 620);
        window.setSyncProgress(100, 100);
        QVERIFY(!progress->isVisible());
    }

    // An unreadable queue is never shown as "0 pending".
    void statusBarSaysWhenTheCacheIsUnreadable()
    {
        MainWindow window;
        window.show();
        window.setSyncCounts(2, 0, 0);
        auto *counts = window.findChild<QLabel *>(QStringLiteral("syncCounts"));
        window.setSyncCountsUnreadable(QStringLiteral("disk I/O error"));
        QCOMPARE(counts->text(), QStringLiteral("Cache unreadable"));
        QVERIFY(counts->toolTip().contains(QLatin1String("disk I/O error")));
        window.setSyncCounts(0, 0, 0);
        QCOMPARE(counts->text(), QStringLiteral("0 pending · 0 conflict(s)"));
        QVERIFY(!counts->toolTip().contains(QLatin1String("disk I/O error")));
    }

    void sidebarListsTheOrganisationsLists()
    {
        MainWindow window;
        QSignalSpy spy(&window, &MainWindow::sidebarEntryActivated);
        window.setOpportunityLists({{QStringLiteral("lst_1"), QStringLiteral("Q4 focus")}});
        auto *sidebar = window.findChild<QTreeWidget *>(QStringLiteral("sidebar"));
        const QList<QTreeWidgetItem *> found
            = sidebar->findItems(QStringLiteral("Q4 focus"), Qt::MatchExactly | Qt::MatchRecursive);
        QCOMPARE(found.size(), 1);
        sidebar->setCurrentItem(found.constFirst());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(
            spy.last().at(0).value<MainWindow::SidebarEntry>(), MainWindow::SidebarEntry::List);
        QCOMPARE(spy.last().at(1).toString(), QStringLiteral("lst_1"));
    }

    void dealActionsNameTheCurrentDeal()
    {
        MainWindow window;
        QStandardItemModel model;
        auto *item = new QStandardItem(QStringLiteral("Northwind renewal"));
        item->setData(QStringLiteral("opp_123"), OpportunityRoles::IdRole);
        model.appendRow(item);
        window.setDealsModel(&model);
        QSignalSpy open(&window, &MainWindow::openInLightfieldRequested);
        QSignalSpy copy(&window, &MainWindow::copyLinkRequested);
        auto *openAction = window.findChild<QAction *>(QStringLiteral("openInLightfieldAction"));
        auto *copyAction = window.findChild<QAction *>(QStringLiteral("copyLinkAction"));
        QVERIFY(openAction && copyAction);
        openAction->trigger(); // no current deal yet: nothing to open
        QCOMPARE(open.count(), 0);
        window.dealsView()->setCurrentIndex(model.index(0, 0));
        openAction->trigger();
        copyAction->trigger();
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.first().at(0).toString(), QStringLiteral("opp_123"));
        QCOMPARE(copy.first().at(0).toString(), QStringLiteral("opp_123"));
        QVERIFY(window.dealsView()->actions().contains(openAction));
    }

    void workOfflineIsACheckableSyncAction()
    {
        MainWindow window;
        QSignalSpy spy(&window, &MainWindow::workOfflineToggled);
        auto *action = window.findChild<QAction *>(QStringLiteral("workOfflineAction"));
        QVERIFY(action && action->isCheckable());
        action->trigger();
        action->trigger();
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.at(0).at(0).toBool(), true);
        QCOMPARE(spy.at(1).at(0).toBool(), false);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
