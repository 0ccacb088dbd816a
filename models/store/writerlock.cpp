#include "store/writerlock.h"

#include <QDir>
#include <QFileInfo>
#include <QSysInfo>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <csignal>
#endif

namespace {

QString lockFileName(const QString &folder)
{
    return QDir(folder).filePath(QStringLiteral("writer.lock"));
}

/// True when no process with this pid runs on this machine any more.
bool processIsGone(qint64 pid)
{
#ifdef Q_OS_UNIX
    return pid > 0 && ::kill(pid_t(pid), 0) != 0 && errno == ESRCH;
#else
    Q_UNUSED(pid);
    return false; // QLockFile's own check in tryLock() covers the other platforms
#endif
}

} // namespace

WriterLock::WriterLock(const QString &workspaceFolder)
    : m_folder(workspaceFolder)
    , m_fileName(lockFileName(workspaceFolder))
    , m_file(m_fileName)
{
    // A holder runs for as long as the window is open: never call a lock stale by its age.
    m_file.setStaleLockTime(0);
}

WriterLock::~WriterLock()
{
    unlock();
}

QString WriterLock::folderOf(const QString &databasePath)
{
    return QFileInfo(databasePath).absolutePath();
}

bool WriterLock::tryLock()
{
    if (m_file.isLocked())
        return true;
    QDir().mkpath(m_folder);
    if (m_file.tryLock(0))
        return true;
    if (m_file.error() != QLockFile::LockFailedError)
        return false;
    // tryLock() already removes a lock whose process is gone; this covers a lock file
    // written on this host by a process that died but whose name check did not match.
    qint64 pid = 0;
    QString host;
    QString application;
    if (m_file.getLockInfo(&pid, &host, &application)
        && (host.isEmpty() || host == QSysInfo::machineHostName()) && processIsGone(pid)
        && m_file.removeStaleLockFile()) {
        return m_file.tryLock(0);
    }
    return false;
}

void WriterLock::unlock()
{
    if (m_file.isLocked())
        m_file.unlock();
}

qint64 WriterLock::holderPid() const
{
    if (m_file.isLocked())
        return 0;
    qint64 pid = 0;
    QString host;
    QString application;
    return m_file.getLockInfo(&pid, &host, &application) ? pid : 0;
}
