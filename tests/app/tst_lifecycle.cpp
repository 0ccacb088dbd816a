// The real executable's lifecycle on Linux: `lightfield-deals --demo` starts the sandbox as a
// child process; SIGTERM, SIGINT or SIGHUP to the app ends both (the app quits through its
// event loop, so its destructors stop the child), and even SIGKILL of the app takes the child
// with it. Settings and data go to a scratch folder, as for app_demo_screenshot.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/types.h>

namespace {

/** The pids of the direct children of `pid`, from /proc/<pid>/task/<tid>/children. */
QList<qint64> childrenOf(qint64 pid)
{
    QList<qint64> children;
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(pid));
    const QStringList tids = tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &tid : tids) {
        QFile file(tasks.filePath(tid + QStringLiteral("/children")));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> parts = file.readAll().simplified().split(' ');
        for (const QByteArray &part : parts) {
            bool ok = false;
            const qint64 child = part.toLongLong(&ok);
            if (ok)
                children << child;
        }
    }
    return children;
}

/** True while `pid` exists and is not a zombie. */
bool isRunning(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = stat.readAll();
    // "pid (comm) S …": the state follows the last ')'.
    const qsizetype close = text.lastIndexOf(')');
    return close > 0 && close + 2 < text.size() && text.at(close + 2) != 'Z';
}

QByteArray commandLine(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/cmdline").arg(pid));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/** The sandbox child of `pid` once it listens on loopback (it has printed its URL). */
qint64 sandboxChild(qint64 pid)
{
    const QList<qint64> children = childrenOf(pid);
    for (qint64 child : children) {
        if (commandLine(child).contains("lightfield-sandbox"))
            return child;
    }
    return 0;
}

/** True once `pid` has a socket open. */
bool hasSocket(qint64 pid)
{
    const QDir fds(QStringLiteral("/proc/%1/fd").arg(pid));
    const QStringList names = fds.entryList(QDir::System | QDir::NoDotAndDotDot);
    for (const QString &name : names) {
        if (QFile::symLinkTarget(fds.filePath(name)).contains(QLatin1String("socket:")))
            return true;
    }
    return false;
}

} // namespace

class TestLifecycle : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    std::unique_ptr<QProcess> m_app;
    qint64 m_appPid = 0;
    qint64 m_sandboxPid = 0;

    /** Starts `lightfield-deals --demo` and waits until its sandbox child is up. */
    void startDemo()
    {
        QVERIFY(m_home.isValid());
        m_app = std::make_unique<QProcess>();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_home.filePath(QStringLiteral("cache")));
        m_app->setProcessEnvironment(env);
        m_app->setProcessChannelMode(QProcess::ForwardedChannels);
        m_app->start(QStringLiteral(LIGHTFIELD_APP_BINARY), {QStringLiteral("--demo")});
        QVERIFY2(m_app->waitForStarted(10000), qPrintable(m_app->errorString()));
        m_appPid = m_app->processId();
        QTRY_VERIFY_WITH_TIMEOUT((m_sandboxPid = sandboxChild(m_appPid)) != 0, 30000);
        // Up: it has opened its listening socket (it prints its URL right after).
        QTRY_VERIFY_WITH_TIMEOUT(hasSocket(m_sandboxPid), 10000);
        QVERIFY(isRunning(m_appPid));
    }

private Q_SLOTS:
    void cleanup()
    {
        // Never leave a process behind, whatever failed.
        if (m_sandboxPid && isRunning(m_sandboxPid))
            ::kill(pid_t(m_sandboxPid), SIGKILL);
        if (m_app && m_app->state() != QProcess::NotRunning) {
            m_app->kill();
            m_app->waitForFinished(5000);
        }
        m_app.reset();
        m_appPid = 0;
        m_sandboxPid = 0;
    }

    void quitSignalStopsAppAndSandbox_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
        QTest::newRow("SIGHUP") << int(SIGHUP);
    }

    void quitSignalStopsAppAndSandbox()
    {
        QFETCH(int, signal);
        startDemo();
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(::kill(pid_t(m_appPid), signal), 0);
        QVERIFY(m_app->waitForFinished(10000));
        // Quit through the event loop: a normal exit, not killed by the signal.
        QCOMPARE(m_app->exitStatus(), QProcess::NormalExit);
        QCOMPARE(m_app->exitCode(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!isRunning(m_sandboxPid), 5000);
    }

    void killedAppTakesTheSandboxWithIt()
    {
        startDemo();
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(::kill(pid_t(m_appPid), SIGKILL), 0);
        QVERIFY(m_app->waitForFinished(10000));
        QCOMPARE(m_app->exitStatus(), QProcess::CrashExit);
        QTRY_VERIFY_WITH_TIMEOUT(!isRunning(m_sandboxPid), 5000);
    }
};

QTEST_GUILESS_MAIN(TestLifecycle)
#include "tst_lifecycle.moc"
