#include "mainwindow.h"

#include <QLabel>
#include <QMenuBar>
#include <QStandardPaths>
#include <QStatusBar>
#include <QtTest>

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void titleNamesTheAppAndWorkspace()
    {
        MainWindow window;
        QCOMPARE(window.windowTitle(), QStringLiteral("Lightfield Deals"));
        window.setWorkspaceDescription(QStringLiteral("Demo workspace"));
        QCOMPARE(window.windowTitle(), QStringLiteral("Lightfield Deals — Demo workspace"));
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
        QCOMPARE(titles, (QStringList{QStringLiteral("File"), QStringLiteral("Edit"),
                                      QStringLiteral("View"), QStringLiteral("Deal"),
                                      QStringLiteral("Sync"), QStringLiteral("Help")}));
    }

    void quitHasThePlatformShortcut()
    {
        MainWindow window;
        QMenu *file = window.menuBar()->actions().constFirst()->menu();
        QVERIFY(file);
        const QList<QAction *> actions = file->actions();
        const auto quit = std::find_if(actions.cbegin(), actions.cend(), [](QAction *a) {
            return a->shortcut() == QKeySequence(QKeySequence::Quit);
        });
        QVERIFY(quit != actions.cend());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
