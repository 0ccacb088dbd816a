// One writer per workspace, at the store level: the WriterLock (a second holder is refused, a
// lock left by a dead process is taken over, a live holder's lock never goes stale by age),
// and LocalStore's read-only open, which leaves another process's inflight row inflight.

#include "store/localstore.h"
#include "store/outbox.h"
#include "store/writerlock.h"
#include "storetesthelpers.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString kDeal = QStringLiteral("opportunity");

QByteArray dealJson(const QString &id)
{
    return QJsonDocument(
        QJsonObject {{QStringLiteral("id"), id},
            {QStringLiteral("updatedAt"), QStringLiteral("2026-04-20T10:00:00.000Z")},
            {QStringLiteral("fields"),
                QJsonObject {{QStringLiteral("$name"),
                    QJsonObject {{QStringLiteral("value"), QStringLiteral("Northwind")}}}}}})
        .toJson(QJsonDocument::Compact);
}

QByteArray amountBody(int amount)
{
    return QJsonDocument(
        QJsonObject {{QStringLiteral("fields"), QJsonObject {{QStringLiteral("$amount"), amount}}}})
        .toJson(QJsonDocument::Compact);
}

/// A cache with one outbox row left inflight, as a process that is sending it leaves it.
qint64 cacheWithInflightRow(const QString &path)
{
    LocalStore store(path);
    if (!store.open().isOpen())
        return 0;
    Outbox outbox(store);
    if (store.upsertServerRecord(kDeal, dealJson(QStringLiteral("opp_1")))
        == LocalStore::Upsert::Error)
        return 0;
    const std::optional<OutboxRow> row
        = outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"), amountBody(48000), {}, {});
    if (!row || !outbox.markInFlight(row->seq))
        return 0;
    return row->seq;
}

QString rowState(const QString &path, qint64 seq)
{
    return StoreTest::scalar(
        path, QStringLiteral("SELECT state FROM outbox WHERE seq = %1").arg(seq))
        .toString();
}

} // namespace

class TestWriterLock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void secondHolderIsRefused()
    {
        QTemporaryDir dir;
        WriterLock first(dir.path());
        WriterLock second(dir.path());
        QVERIFY(first.tryLock());
        QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("writer.lock"))));
        QVERIFY(!second.tryLock());
        QVERIFY(!second.isLocked());
        QCOMPARE(second.holderPid(), QCoreApplication::applicationPid());
        first.unlock();
        QVERIFY(second.tryLock());
        QVERIFY(!first.tryLock());
    }

    void liveHolderNeverGoesStaleByAge()
    {
        // A window may stay open for days: an old lock file of a running process holds.
        QTemporaryDir dir;
        WriterLock holder(dir.path());
        QVERIFY(holder.tryLock());
        QFile file(holder.fileName());
        QVERIFY(file.open(QIODevice::ReadWrite));
        const QDateTime old = QDateTime::currentDateTimeUtc().addDays(-3);
        QVERIFY(file.setFileTime(old, QFileDevice::FileModificationTime));
        file.close();
        WriterLock other(dir.path());
        QVERIFY(!other.tryLock());
    }

    void staleLockOfADeadProcessIsTakenOver()
    {
        // What a crash leaves: the lock file naming a process that no longer runs.
        QProcess gone;
        gone.start(QStringLiteral("/bin/true"), {});
        QVERIFY(gone.waitForStarted());
        const qint64 deadPid = gone.processId();
        QVERIFY(gone.waitForFinished());
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("writer.lock")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray::number(deadPid) + "\nlightfield-deals\n"
            + QSysInfo::machineHostName().toUtf8() + '\n');
        file.close();

        WriterLock lock(dir.path());
        QCOMPARE(lock.holderPid(), deadPid);
        QVERIFY(lock.tryLock());
        QVERIFY(lock.isLocked());
        WriterLock second(dir.path());
        QVERIFY(!second.tryLock());
        QCOMPARE(second.holderPid(), QCoreApplication::applicationPid());
    }

    void readOnlyOpenLeavesAnInflightRowInflight()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cache.sqlite"));
        const qint64 seq = cacheWithInflightRow(path);
        QVERIFY(seq > 0);
        QCOMPARE(rowState(path, seq), QStringLiteral("inflight"));

        LocalStore::Options options;
        options.readOnly = true;
        options.requeueInFlight = false;
        LocalStore reader(path, options);
        const LocalStore::OpenResult opened = reader.open();
        QVERIFY2(opened.isOpen(), qPrintable(opened.message));
        QCOMPARE(opened.requeuedInFlight, 0);
        Outbox outbox(reader);
        QCOMPARE(outbox.counts().inFlight, 1);
        QCOMPARE(reader.recordCount(kDeal), 1);
        // Read-only in fact, not only by intent: a write is refused by SQLite.
        QVERIFY(!reader.setMeta(QStringLiteral("test/written"), QStringLiteral("yes")));
        reader.close();
        QCOMPARE(rowState(path, seq), QStringLiteral("inflight"));
        QVERIFY(!StoreTest::scalar(
            path, QStringLiteral("SELECT value FROM meta WHERE key = 'test/written'"))
                     .isValid());
    }

    void onlyTheHolderRequeues()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cache.sqlite"));
        const qint64 seq = cacheWithInflightRow(path);
        QVERIFY(seq > 0);
        LocalStore::Options notHolder;
        notHolder.requeueInFlight = false;
        {
            LocalStore store(path, notHolder);
            QVERIFY(store.open().isOpen());
        }
        QCOMPARE(rowState(path, seq), QStringLiteral("inflight"));
        {
            LocalStore holder(path);
            const LocalStore::OpenResult opened = holder.open();
            QVERIFY(opened.isOpen());
            QCOMPARE(opened.requeuedInFlight, 1);
        }
        QCOMPARE(rowState(path, seq), QStringLiteral("pending"));
    }

    void readOnlyOpenOfAMissingFileCreatesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("workspace/cache.sqlite"));
        LocalStore::Options options;
        options.readOnly = true;
        LocalStore reader(path, options);
        QVERIFY(!reader.open().isOpen());
        QVERIFY(!QFileInfo::exists(path));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("workspace"))));
    }
};

QTEST_GUILESS_MAIN(TestWriterLock)
#include "tst_writerlock.moc"
