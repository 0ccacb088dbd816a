// One writer per workspace, with the real window open: a command line `edit` on the same data
// folder (the real lightfield-deals binary) is handed to the window, which queues it, shows it
// in the table and sends it once; a second launch of the app on the workspace brings the first
// window to the front and ends with exit code 0.

#include "scenario.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QSettings>
#include <QSignalSpy>

using namespace Scenario;

namespace {
const QString kName = QStringLiteral("$name");
}

class TestOneWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void commandLineEditIsHandedToTheWindow()
    {
        App app;
        QVERIFY(app.start());
        const QString oldName = app.cellText(0, QStringLiteral("Name"));
        const QString id = app.dealIdByName(oldName);
        QVERIFY(!id.isEmpty());
        const QString newName = QStringLiteral("Handed over from the command line");

        // The command line as a rep's script runs it: its own settings name the same
        // workspace as the window's, the same data folder, the same server.
        QTemporaryDir home;
        {
            QSettings settings(
                home.filePath(QStringLiteral("config/Lightfield/lightfield-deals.conf")),
                QSettings::IniFormat);
            settings.setValue(
                QStringLiteral("connection/lastWorkspaceId"), QStringLiteral("scenario"));
        }
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("LIGHTFIELD_API_KEY"), kKey);
        env.remove(QStringLiteral("LIGHTFIELD_BASE_URL"));
        QProcess cli;
        cli.setProcessEnvironment(env);
        cli.start(QStringLiteral(LIGHTFIELD_DEALS_EXECUTABLE),
            {QStringLiteral("edit"), id, kName + QLatin1Char('=') + newName,
                QStringLiteral("--data-dir"), app.dir.path(), QStringLiteral("--base-url"),
                app.baseUrl().toString()});
        QVERIFY(cli.waitForStarted());
        // The window's event loop must run while the command waits for its answer.
        QVERIFY(waitFor([&] { return cli.state() == QProcess::NotRunning; }, 60'000));
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
        QVERIFY2(cli.exitCode() == 0, qPrintable(err));
        QVERIFY2(
            err.contains(QStringLiteral("Handed to the running Lightfield Deals window (pid %1)")
                             .arg(QCoreApplication::applicationPid())),
            qPrintable(err));
        QCOMPARE(QString::fromUtf8(cli.readAllStandardOutput()).trimmed(), id);

        // The window's table shows it, and the sandbox gets it once.
        QVERIFY(waitFor([&] { return app.rowOfName(newName) >= 0; }, 10'000));
        QCOMPARE(app.rowOfName(oldName), -1);
        QVERIFY(waitFor(
            [&] {
                return app.serverDeal(id)
                           .value(QStringLiteral("fields"))
                           .toObject()
                           .value(kName)
                           .toObject()
                           .value(QStringLiteral("value"))
                           .toString()
                    == newName;
            },
            20'000));
        QVERIFY(app.waitForIdle());
        int withName = 0;
        for (const QJsonObject &body : app.writesTo(id)) {
            if (body.value(QStringLiteral("fields")).toObject().value(kName).toString() == newName)
                ++withName;
        }
        QCOMPARE(withName, 1);
    }

    void secondLaunchRaisesTheFirstWindow()
    {
        App app;
        QVERIFY(app.start());
        MainWindow *first = app.window();
        // The rep minimised the window and forgot it, then starts the app again.
        first->showMinimized();
        QVERIFY(waitFor([&] { return first->isMinimized(); }, 5000));

        AppController second(app.workspaceOptions());
        QSignalSpy exits(&second, &AppController::exitRequested);
        second.start();
        QVERIFY(waitFor([&] { return exits.count() == 1; }, 15'000));
        QCOMPARE(exits.at(0).at(0).toInt(), 0);
        QVERIFY(waitFor([&] { return !first->isMinimized() && first->isVisible(); }, 5000));
        QVERIFY(waitFor([&] { return QApplication::activeWindow() == first; }, 5000));
        // The first window keeps its workspace; the second opened none.
        QCOMPARE(app.table()->model()->rowCount(), 60);
        QCOMPARE(second.window()->dealsView()->model(), nullptr);
    }
};

QTEST_MAIN(TestOneWriter)
#include "tst_onewriter.moc"
