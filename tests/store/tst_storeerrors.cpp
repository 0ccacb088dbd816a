// Store errors surfaced instead of swallowed: writes retried while another connection holds
// the file, a queue that cannot be read reported as unreadable (not as empty), and a full disk
// reported as such with every earlier row intact.

#include "localstoretestaccess.h"
#include "storetesthelpers.h"

#include "store/localstore.h"
#include "store/outbox.h"

#include <QSemaphore>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

using namespace StoreTest;

namespace {

const QString kDeal = QStringLiteral("opportunity");
const QString kDiskFull
    = QStringLiteral("The disk is full: your edit was not saved. Free some space and try again.");

QByteArray fieldsBody(const QString &key, const QJsonValue &value)
{
    return QJsonDocument(QJsonObject {{QStringLiteral("fields"), QJsonObject {{key, value}}}})
        .toJson(QJsonDocument::Compact);
}

// A second connection, on a thread of its own, that holds the write lock of `path` from
// start() until release() (or for `holdMs` when given).
class LockHolder
{
public:
    LockHolder(const QString &path, int holdMs = -1)
    {
        m_thread.reset(QThread::create([this, path, holdMs] {
            const QString name = QStringLiteral("lock-holder");
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
                db.setDatabaseName(path);
                if (db.open()) {
                    QSqlQuery query(db);
                    m_locked = query.exec(QStringLiteral("BEGIN IMMEDIATE"));
                    m_started.release();
                    if (holdMs >= 0)
                        QThread::msleep(holdMs);
                    else
                        m_release.acquire();
                    query.exec(QStringLiteral("COMMIT"));
                } else {
                    m_started.release();
                }
                db.close();
            }
            QSqlDatabase::removeDatabase(name);
        }));
        m_thread->start();
        m_started.acquire();
    }
    ~LockHolder()
    {
        release();
        m_thread->wait();
    }
    bool locked() const { return m_locked; }
    void release()
    {
        if (!m_released)
            m_release.release();
        m_released = true;
    }

private:
    std::unique_ptr<QThread> m_thread;
    QSemaphore m_started;
    QSemaphore m_release;
    bool m_locked = false;
    bool m_released = false;
};

LocalStore::Options quickBusyTimeout()
{
    LocalStore::Options options;
    options.busyTimeoutMs = 20;
    return options;
}

} // namespace

class TestStoreErrors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void writeIsRetriedWhileAnotherConnectionHoldsTheLock()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cache.sqlite"));
        LocalStore store(path, quickBusyTimeout());
        QVERIFY(store.open().isOpen());
        // Held well past busy_timeout (20 ms) but within the retries' pauses.
        LockHolder holder(path, 120);
        QVERIFY(holder.locked());
        QVERIFY2(
            store.setMeta(QStringLiteral("k"), QStringLiteral("v")), qPrintable(store.lastError()));
        QCOMPARE(store.meta(QStringLiteral("k")).value_or(QString()), QStringLiteral("v"));
    }

    void writeStillLockedIsReportedAsBusy()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cache.sqlite"));
        LocalStore store(path, quickBusyTimeout());
        QVERIFY(store.open().isOpen());
        Outbox outbox(store);
        LockHolder holder(path);
        QVERIFY(holder.locked());
        QVERIFY(!outbox.enqueueUpdate(
            kDeal, QStringLiteral("d1"), fieldsBody(QStringLiteral("dealSize"), 5), QString(), {}));
        QCOMPARE(store.lastErrorKind(), LocalStore::ErrorKind::Busy);
        QVERIFY2(store.lastError().contains(QLatin1String("busy")), qPrintable(store.lastError()));
        holder.release();
        QCOMPARE(outbox.rows().size(), 0);
    }

    void countsOfAnUnreadableQueueAreNotZero()
    {
        LocalStore store(QStringLiteral(":memory:"));
        QVERIFY(store.open().isOpen());
        Outbox outbox(store);
        QVERIFY(outbox.enqueueUpdate(
            kDeal, QStringLiteral("d1"), fieldsBody(QStringLiteral("dealSize"), 5), QString(), {}));
        QCOMPARE(outbox.counts().pending, 1);
        QVERIFY(outbox.counts().readable);

        store.setFailAfter(1);
        const Outbox::Counts counts = outbox.counts();
        QVERIFY(!counts.readable);
        QVERIFY(counts.error.contains(QLatin1String("injected")));
        QVERIFY(counts != Outbox::Counts());

        store.setFailAfter(1);
        bool ok = true;
        QVERIFY(outbox.rows(&ok).isEmpty());
        QVERIFY(!ok);
        QVERIFY(!outbox.lastError().isEmpty());
        QVERIFY(outbox.rows(&ok).size() == 1 && ok);
    }

    void countsOfAMissingTableAreUnreadable()
    {
        // A real read error, not an injected one: the queue's table cannot be read.
        LocalStore store(QStringLiteral(":memory:"));
        QVERIFY(store.open().isOpen());
        Outbox outbox(store);
        QVERIFY(store.execSql(QStringLiteral("DROP TABLE outbox")));
        const Outbox::Counts counts = outbox.counts();
        QVERIFY2(counts != Outbox::Counts(), "an unreadable queue counts as an empty one");
        QVERIFY(!counts.readable);
        QVERIFY(counts.error.contains(QLatin1String("outbox")));
        bool ok = true;
        outbox.rows(&ok);
        QVERIFY(!ok);
    }

    void fullDiskKeepsEarlierRowsAndSaysSo()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cache.sqlite"));
        {
            LocalStore store(path);
            QVERIFY(store.open().isOpen());
            Outbox outbox(store);
            QVERIFY(store.upsertServerRecord(kDeal,
                        serverRecord(QStringLiteral("d1"), QStringLiteral("2026-04-20T10:00:00Z"),
                            QStringLiteral("Northwind")))
                != LocalStore::Upsert::Error);
            const std::optional<OutboxRow> first = outbox.enqueueUpdate(kDeal, QStringLiteral("d1"),
                fieldsBody(QStringLiteral("dealSize"), 5), QString(), {});
            QVERIFY(first);
            QVERIFY(outbox.markInFlight(first->seq)); // sent: later edits get rows of their own

            QSqlQuery pages(LocalStoreTestAccess::database(store));
            QVERIFY(pages.exec(QStringLiteral("PRAGMA page_count")) && pages.next());
            const int pageCount = pages.value(0).toInt();
            pages.finish();
            QVERIFY(store.execSql(QStringLiteral("PRAGMA max_page_count = %1").arg(pageCount)));

            const QString large(200'000, QLatin1Char('x'));
            QVERIFY(!outbox.enqueueUpdate(kDeal, QStringLiteral("d1"),
                fieldsBody(QStringLiteral("notes"), large), QString(), {}));
            QCOMPARE(store.lastErrorKind(), LocalStore::ErrorKind::DiskFull);
            QCOMPARE(outbox.lastError(), kDiskFull);
            const QList<OutboxRow> rows = outbox.rows();
            QCOMPARE(rows.size(), 1);
            QCOMPARE(rows.first().idempotencyKey, first->idempotencyKey);
            QVERIFY(!store.record(kDeal, QStringLiteral("d1"))->effectiveJson().contains("xxxx"));
        }
        LocalStore reopened(path);
        QVERIFY(reopened.open().isOpen());
        Outbox outbox(reopened);
        QCOMPARE(outbox.rows().size(), 1);
        QCOMPARE(outbox.rows().first().body, fieldsBody(QStringLiteral("dealSize"), 5));
    }
};

QTEST_GUILESS_MAIN(TestStoreErrors)
#include "tst_storeerrors.moc"
