#include "quitsignals.h"

#include "logging.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace {
#ifdef Q_OS_UNIX
int g_pipe[2] = {-1, -1}; ///< [0] read by the notifier, [1] written by the handler
constexpr int kSignals[] = {SIGTERM, SIGINT, SIGHUP};

void writeSignal(int signal)
{
    const char byte = char(signal);
    const int savedErrno = errno;
    // Non-blocking: when the pair is full a quit is pending anyway.
    [[maybe_unused]] const ssize_t written = ::write(g_pipe[1], &byte, 1);
    errno = savedErrno;
}
#endif
} // namespace

QuitSignals::QuitSignals(QObject *parent)
    : QObject(parent)
{
#ifdef Q_OS_UNIX
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, g_pipe) != 0) {
        qCWarning(lcApp) << "quit signals not handled: socketpair failed";
        return;
    }
    m_notifier = new QSocketNotifier(g_pipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &QuitSignals::handleSignal);
    struct sigaction action = {};
    action.sa_handler = writeSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int signal : kSignals)
        ::sigaction(signal, &action, nullptr);
#endif
}

QuitSignals::~QuitSignals()
{
#ifdef Q_OS_UNIX
    if (!m_notifier)
        return;
    struct sigaction action = {};
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    for (int signal : kSignals)
        ::sigaction(signal, &action, nullptr);
    delete m_notifier;
    m_notifier = nullptr;
    ::close(g_pipe[0]);
    ::close(g_pipe[1]);
    g_pipe[0] = g_pipe[1] = -1;
#endif
}

void QuitSignals::handleSignal()
{
#ifdef Q_OS_UNIX
    char byte = 0;
    while (::read(g_pipe[0], &byte, 1) == 1) { }
    qCInfo(lcApp) << "quit signal" << int(byte) << "received: quitting";
    QCoreApplication::quit();
#endif
}
