#pragma once

#include <QLockFile>
#include <QString>

/**
 * The one-writer-per-workspace lock: a QLockFile `writer.lock` in the workspace's folder
 * (next to cache.sqlite). The process that drives a workspace — the app's window, a
 * `lightfield-deals sync`, or an `edit` / `create` while it queues — holds it for as long as it
 * may send or requeue outbox rows. Anyone else only reads the cache (LocalStore::Options::
 * readOnly) or hands its work to the holder (InstanceChannel).
 *
 * Why a lock file and not SQLite's own locking: SQLite serialises single statements, but an
 * outbox row marked `inflight` by one process looks abandoned to another one's
 * LocalStore::open(), which would requeue and resend it. Only the holder may requeue.
 *
 * **Stale locks.** The stale time is 0: a holder may run for days, so age never makes the lock
 * stale. A lock left by a crash is still taken over: QLockFile::tryLock() checks the pid,
 * process name and host written in the file and removes the file when that process is gone;
 * tryLock() here then repeats that check explicitly (getLockInfo() + removeStaleLockFile()),
 * as QLockFile documents for locks whose owner died.
 *
 * Not thread-safe; one object per holder. Destruction releases the lock.
 */
class WriterLock final
{
public:
    /** `workspaceFolder`: the folder of cache.sqlite (see folderOf()). */
    explicit WriterLock(const QString &workspaceFolder);
    ~WriterLock();

    /** The lock of the workspace whose cache is `databasePath`. */
    static QString folderOf(const QString &databasePath);

    /** Takes the lock without waiting; true when this object now holds it. */
    bool tryLock();
    void unlock();
    bool isLocked() const { return m_file.isLocked(); }
    /** The holder's pid as the lock file says (0 when unknown or not locked by anyone). */
    qint64 holderPid() const;
    QString fileName() const { return m_fileName; }
    QString folder() const { return m_folder; }

private:
    QString m_folder;
    QString m_fileName;
    QLockFile m_file;
    Q_DISABLE_COPY_MOVE(WriterLock)
};
