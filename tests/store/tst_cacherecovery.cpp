// CacheRecovery: the queued edits of a cache that open() moved aside as damaged are listed
// (read-only, row by row) and re-queued with their original Idempotency-Keys.

#include "storetesthelpers.h"

#include "store/cacherecovery.h"
#include "store/localstore.h"
#include "store/outbox.h"

#include <QDir>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace StoreTest;

namespace {

const QString kDeal = QStringLiteral("opportunity");

QByteArray fieldsBody(const QString &key, const QJsonValue &value)
{
    return QJsonDocument(QJsonObject {{QStringLiteral("fields"), QJsonObject {{key, value}}}})
        .toJson(QJsonDocument::Compact);
}

struct Prepared
{
    QString path;
    QString quarantined;
    QStringList keys; // of the queued rows, in order
};

// A cache with two deals, an edit of each and one row whose body was torn, then damaged and
// reopened (so that open() quarantines it and starts an empty cache).
bool prepare(const QString &dirPath, Prepared *prepared)
{
    prepared->path = QDir(dirPath).filePath(QStringLiteral("cache.sqlite"));
    {
        LocalStore store(prepared->path);
        if (!store.open().isOpen())
            return false;
        Outbox outbox(store);
        for (const auto &[id, name] :
            {std::pair {QStringLiteral("d1"), QStringLiteral("Northwind")},
                std::pair {QStringLiteral("d2"), QStringLiteral("Contoso")}}) {
            if (store.upsertServerRecord(
                    kDeal, serverRecord(id, QStringLiteral("2026-04-20T10:00:00.000Z"), name))
                == LocalStore::Upsert::Error) {
                return false;
            }
        }
        const auto first = outbox.enqueueUpdate(kDeal, QStringLiteral("d1"),
            fieldsBody(QStringLiteral("dealSize"), 1200), QString(),
            QJsonObject {{QStringLiteral("dealSize"), 1000}});
        const auto second = outbox.enqueueUpdate(kDeal, QStringLiteral("d2"),
            fieldsBody(QStringLiteral("$stage"), QStringLiteral("won")), QString(), {});
        const auto torn = outbox.enqueueUpdate(
            kDeal, QStringLiteral("d3"), fieldsBody(QStringLiteral("dealSize"), 7), QString(), {});
        if (!first || !second || !torn)
            return false;
        prepared->keys = {first->idempotencyKey, second->idempotencyKey};
        if (!store.execSql(
                QStringLiteral("UPDATE outbox SET body = x'7b2266' WHERE seq = %1").arg(torn->seq)))
            return false;
    }
    if (!damageIndex(prepared->path, QStringLiteral("records_sweep")))
        return false;
    LocalStore reopened(prepared->path);
    const LocalStore::OpenResult result = reopened.open();
    if (result.status != LocalStore::OpenStatus::Quarantined)
        return false;
    prepared->quarantined = result.quarantinedTo;
    return true;
}

} // namespace

class TestCacheRecovery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void listsTheQueuedEditsOfAQuarantinedCache()
    {
        QTemporaryDir dir;
        Prepared prepared;
        QVERIFY(prepare(dir.path(), &prepared));
        QCOMPARE(CacheRecovery::quarantinedFiles(prepared.path), {prepared.quarantined});
        const QByteArray before = sha256(prepared.quarantined);

        const CacheRecovery::Listing listing = CacheRecovery::list(prepared.quarantined);
        QVERIFY2(listing.ok, qPrintable(listing.error));
        QCOMPARE(listing.items.size(), 2);
        QCOMPARE(listing.items.at(0).dealName, QStringLiteral("Northwind"));
        QCOMPARE(listing.items.at(0).changedKeys, QStringList {QStringLiteral("dealSize")});
        QCOMPARE(listing.items.at(0).row.idempotencyKey, prepared.keys.at(0));
        QVERIFY(listing.items.at(0).row.createdAt.isValid());
        QCOMPARE(listing.items.at(1).dealName, QStringLiteral("Contoso"));
        QCOMPARE(listing.items.at(1).changedKeys, QStringList {QStringLiteral("$stage")});
        // The torn row is reported, not dropped silently.
        QCOMPARE(listing.unreadable.size(), 1);
        QVERIFY(listing.unreadable.first().startsWith(QLatin1String("edit #3")));
        QCOMPARE(sha256(prepared.quarantined), before); // read-only
    }

    void requeuesWithOriginalKeysAndSkipsDuplicates()
    {
        QTemporaryDir dir;
        Prepared prepared;
        QVERIFY(prepare(dir.path(), &prepared));
        const CacheRecovery::Listing listing = CacheRecovery::list(prepared.quarantined);
        QVERIFY(listing.ok);

        LocalStore store(prepared.path);
        QVERIFY(store.open().isOpen());
        Outbox outbox(store);
        QSignalSpy changed(&outbox, &Outbox::changed);
        CacheRecovery::Outcome outcome = CacheRecovery::requeue(listing, {1, 2, 9}, store, outbox);
        QCOMPARE(outcome.requeued, (QList<qint64> {1, 2}));
        QCOMPARE(outcome.missing, (QList<qint64> {9}));
        QVERIFY(outcome.failed.isEmpty());
        QVERIFY(changed.count() >= 2);
        const QList<OutboxRow> rows = outbox.rows();
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows.at(0).idempotencyKey, prepared.keys.at(0));
        QCOMPARE(rows.at(1).idempotencyKey, prepared.keys.at(1));
        QCOMPARE(rows.at(0).baseValues.value(QLatin1String("dealSize")).toInt(), 1000);
        QCOMPARE(rows.at(0).state, OutboxRow::State::Pending);
        // The deal is back in this cache, with the edit applied.
        QCOMPARE(fieldValue(store.record(kDeal, QStringLiteral("d1"))->effectiveJson(),
                     QStringLiteral("dealSize"))
                     .toInt(),
            1200);
        QCOMPARE(fieldValue(store.record(kDeal, QStringLiteral("d1"))->effectiveJson(),
                     QStringLiteral("$name"))
                     .toString(),
            QStringLiteral("Northwind"));

        outcome = CacheRecovery::requeue(listing, {1}, store, outbox);
        QVERIFY(outcome.requeued.isEmpty());
        QCOMPARE(outcome.skippedDuplicates, (QList<qint64> {1}));
        QCOMPARE(outbox.rows().size(), 2);

        QVERIFY(CacheRecovery::markRecovered(prepared.quarantined, outcome));
        QVERIFY(CacheRecovery::quarantinedFiles(prepared.path).isEmpty());
        QCOMPARE(CacheRecovery::quarantinedFiles(prepared.path, true), {prepared.quarantined});
        QVERIFY(QFileInfo::exists(prepared.quarantined)); // kept
    }

    void missingFileIsAnError()
    {
        const CacheRecovery::Listing listing
            = CacheRecovery::list(QStringLiteral("/nonexistent/cache.sqlite.corrupt-x"));
        QVERIFY(!listing.ok);
        QVERIFY(!listing.error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCacheRecovery)
#include "tst_cacherecovery.moc"
