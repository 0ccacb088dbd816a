#include "demosandbox.h"

#include "logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTimer>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>
#endif

namespace {
// The sandbox prints this line once it listens (tests/sandbox/main.cpp).
constexpr QByteArrayView kListeningPrefix = "listening ";
constexpr int kStartTimeoutMs = 30'000;
} // namespace

DemoSandbox::DemoSandbox(QObject *parent)
    : QObject(parent)
{
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &DemoSandbox::handleStdout);
    connect(&m_process, &QProcess::finished, this, &DemoSandbox::handleFinished);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            fail(tr("The demo sandbox could not be started (%1): %2")
                     .arg(m_process.program(), m_process.errorString()));
    });
}

DemoSandbox::~DemoSandbox()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(3000))
            m_process.kill();
    }
}

QString DemoSandbox::locateExecutable()
{
    const QString fromEnv = qEnvironmentVariable("LIGHTFIELD_SANDBOX");
    if (!fromEnv.isEmpty())
        return fromEnv;
    const QDir appDir(QCoreApplication::applicationDirPath());
    const QString name = QStringLiteral("lightfield-sandbox");
    const QStringList candidates {
        appDir.filePath(name),
        appDir.filePath(QStringLiteral(LIGHTFIELD_LIBEXEC_RELATIVE "/") + name),
    };
    for (const QString &candidate : candidates) {
        const QFileInfo info(candidate);
        if (info.isFile() && info.isExecutable())
            return info.canonicalFilePath();
    }
    return {};
}

void DemoSandbox::start()
{
    const QString program = locateExecutable();
    if (program.isEmpty()) {
        // Report asynchronously so callers can connect after start(), as with every other path.
        QTimer::singleShot(0, this, [this] {
            fail(tr("The demo sandbox (lightfield-sandbox) is not installed beside the app."));
        });
        return;
    }
    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QStringLiteral("/demo");
    QDir().mkpath(dataDir);
    const QStringList arguments {
        QStringLiteral("--port"),
        QStringLiteral("0"),
        QStringLiteral("--api-key"),
        QString::fromLatin1(kDemoApiKey)
            + (m_scopes.isEmpty() ? QString() : QLatin1Char('=') + m_scopes.join(QLatin1Char(','))),
        QStringLiteral("--seed"),
        QStringLiteral("7"),
        QStringLiteral("--opportunities"),
        QStringLiteral("250"),
        QStringLiteral("--data-file"),
        dataDir + QStringLiteral("/sandbox.json"),
    };
#ifdef Q_OS_LINUX
    // The sandbox dies with the app even when the app cannot stop it (SIGKILL, a crash): the
    // kernel sends it SIGTERM when its parent goes. If the parent went before prctl() took
    // effect, the child has been re-parented already and ends itself.
    m_process.setChildProcessModifier([parent = ::getpid()] {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(1);
    });
#endif
    qCInfo(lcApp) << "starting demo sandbox" << program;
    m_process.start(program, arguments, QIODevice::ReadOnly);
    QTimer::singleShot(kStartTimeoutMs, this, [this] {
        if (!m_reported)
            fail(tr("The demo sandbox did not start within %1 seconds.")
                     .arg(kStartTimeoutMs / 1000));
    });
}

void DemoSandbox::handleStdout()
{
    m_stdout += m_process.readAllStandardOutput();
    if (m_reported)
        return;
    qsizetype newline;
    while ((newline = m_stdout.indexOf('\n')) >= 0) {
        const QByteArray line = m_stdout.left(newline).trimmed();
        m_stdout.remove(0, newline + 1);
        if (line.startsWith(kListeningPrefix)) {
            m_baseUrl = QUrl(QString::fromUtf8(line.mid(kListeningPrefix.size())));
            m_reported = true;
            qCInfo(lcApp) << "demo sandbox ready at" << m_baseUrl.toString();
            Q_EMIT ready(m_baseUrl);
            return;
        }
    }
}

void DemoSandbox::handleFinished(int exitCode, QProcess::ExitStatus status)
{
    if (status == QProcess::CrashExit)
        fail(tr("The demo sandbox stopped unexpectedly."));
    else
        fail(tr("The demo sandbox exited with code %1.").arg(exitCode));
}

void DemoSandbox::fail(const QString &message)
{
    if (m_reported)
        return;
    m_reported = true;
    qCWarning(lcApp).noquote() << message;
    Q_EMIT failed(message);
}
