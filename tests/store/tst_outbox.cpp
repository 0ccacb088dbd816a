// Outbox: the durable edit queue.

#include "storetesthelpers.h"

#include "store/localstore.h"
#include "store/outbox.h"

#include <QDir>
#include <QJsonArray>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <cstdlib>

using namespace StoreTest;

namespace {

const QString kDeal = QStringLiteral("opportunity");
const QString kAccount = QStringLiteral("account");
const QDateTime kNow = QDateTime::fromMSecsSinceEpoch(1'776'000'000'000, Qt::UTC);

QByteArray fieldsBody(const QString &key, const QJsonValue &value)
{
    return QJsonDocument(QJsonObject {{QStringLiteral("fields"), QJsonObject {{key, value}}}})
        .toJson(QJsonDocument::Compact);
}

QJsonObject base(const QString &key, const QJsonValue &value)
{
    return QJsonObject {{key, value}};
}

// A store with one cached deal per id, open on `path` (or in memory).
struct Fixture
{
    explicit Fixture(const QString &path = QStringLiteral(":memory:"))
        : store(path)
        , outbox(store)
    {
        opened = store.open();
    }
    void seed(const QString &id, const QString &name = QStringLiteral("Northwind"))
    {
        QVERIFY(store.upsertServerRecord(
                    kDeal, serverRecord(id, QStringLiteral("2026-04-20T10:00:00.000Z"), name))
            != LocalStore::Upsert::Error);
    }
    LocalStore store;
    Outbox outbox;
    LocalStore::OpenResult opened;
};

} // namespace

class TestOutbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void changesInsideATransactionAreAnnouncedOnceAfterItsCommit()
    {
        Fixture f;
        QVERIFY(f.opened.isOpen());
        f.seed(QStringLiteral("opp_1"));
        f.seed(QStringLiteral("opp_2"));
        QSignalSpy changed(&f.outbox, &Outbox::changed);
        const auto enqueue = [&f](const QString &id, const QString &name) {
            return f.outbox.enqueueUpdate(kDeal, id,
                "{\"fields\":{\"$name\":\"" + name.toUtf8() + "\"}}",
                QStringLiteral("2026-04-20T10:00:00.000Z"),
                base(QStringLiteral("$name"), QStringLiteral("Northwind")),
                serverRecord(id, QStringLiteral("2026-04-20T10:00:00.000Z"), name), kNow);
        };
        {
            // Listeners read the store: they hear of a change only once it is committed, and
            // once for the whole transaction.
            LocalStore::Transaction transaction(f.store);
            QVERIFY(transaction.isActive());
            QVERIFY(enqueue(QStringLiteral("opp_1"), QStringLiteral("One")));
            QVERIFY(enqueue(QStringLiteral("opp_2"), QStringLiteral("Two")));
            QCOMPARE(changed.size(), 0);
            int rowsSeenByListener = -1;
            QObject::connect(&f.outbox, &Outbox::changed, &f.outbox,
                [&] { rowsSeenByListener = int(f.outbox.rows().size()); });
            QVERIFY(transaction.commit());
            QCOMPARE(changed.size(), 1);
            QCOMPARE(rowsSeenByListener, 2);
        }
        changed.clear();
        {
            // Rolled back: nothing was stored, so nothing is announced.
            LocalStore::Transaction transaction(f.store);
            QVERIFY(enqueue(QStringLiteral("opp_1"), QStringLiteral("Three")));
            transaction.rollback();
        }
        QCOMPARE(changed.size(), 0);
        QCOMPARE(f.outbox.rows().size(), 2);
    }

    void enqueueUpdateStoresRowAndLocalCopy()
    {
        Fixture f;
        QVERIFY(f.opened.isOpen());
        f.seed(QStringLiteral("opp_1"));
        QSignalSpy changed(&f.outbox, &Outbox::changed);
        // Odd spacing, key order and non-ASCII text: the stored bytes must be these bytes.
        const QByteArray body("{ \"fields\" : {\"zeta\": 1, \"$name\": \"Ünïcødé – ✓\"} }");
        const QByteArray optimistic = serverRecord(QStringLiteral("opp_1"),
            QStringLiteral("2026-04-20T10:00:00.000Z"), QStringLiteral("Ünïcødé – ✓"));
        const std::optional<OutboxRow> row = f.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"),
            body, QStringLiteral("2026-04-20T10:00:00.000Z"),
            base(QStringLiteral("$name"), QStringLiteral("Northwind")), optimistic, kNow);
        QVERIFY2(row.has_value(), qPrintable(f.outbox.lastError()));
        QCOMPARE(changed.size(), 1);
        QVERIFY(row->seq > 0);
        QCOMPARE(row->body, body);
        QCOMPARE(row->op, Outbox::Op::Update);
        QCOMPARE(row->state, Outbox::State::Pending);
        QCOMPARE(row->attempts, 0);
        QCOMPARE(row->createdAt, kNow);
        QCOMPARE(row->baseUpdatedAt, QStringLiteral("2026-04-20T10:00:00.000Z"));
        QCOMPARE(row->baseValues, base(QStringLiteral("$name"), QStringLiteral("Northwind")));
        QCOMPARE(QUuid::fromString(row->idempotencyKey).version(), QUuid::Random);
        QVERIFY(row->lastError.isEmpty());
        const std::optional<StoredRecord> stored = f.store.record(kDeal, QStringLiteral("opp_1"));
        QCOMPARE(stored->localJson, optimistic);
        QVERIFY(stored->hasLocalChanges());
        QCOMPARE(fieldValue(stored->json, QStringLiteral("$name")).toString(),
            QStringLiteral("Northwind")); // the server copy stays as it was
        QCOMPARE(f.outbox.counts(), (Outbox::Counts {1, 0, 0, 0}));
    }

    void derivedLocalCopyWhenNoneGiven()
    {
        Fixture f;
        f.seed(QStringLiteral("opp_1"));
        QVERIFY(f.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"),
            fieldsBody(QStringLiteral("$name"), QStringLiteral("Renamed")), {}, {}));
        const QByteArray local = f.store.record(kDeal, QStringLiteral("opp_1"))->localJson;
        QCOMPARE(fieldValue(local, QStringLiteral("$name")).toString(), QStringLiteral("Renamed"));
        // The value type of the server copy is kept.
        QCOMPARE(
            object(
                local)[QLatin1String("fields")][QLatin1String("$name")][QLatin1String("valueType")]
                .toString(),
            QStringLiteral("TEXT"));
    }

    void rejectsBodiesThatAreNotObjects()
    {
        Fixture f;
        QVERIFY(
            !f.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"), QByteArray("[1,2]"), {}, {}));
        QVERIFY(!f.outbox.enqueueCreate(kDeal, QStringLiteral("opp_x"), QByteArray("{}")));
        QCOMPARE(f.outbox.counts().total(), 0);
    }

    // Nothing accepted is lost: make each statement of an enqueue fail in turn.
    // Whichever fails — the row insert, the record write, the commit — neither is left.
    void enqueueIsOneTransaction()
    {
        int failures = 0;
        for (int n = 1; n < 100; ++n) {
            Fixture f;
            f.seed(QStringLiteral("opp_1"));
            const QByteArray before = f.store.record(kDeal, QStringLiteral("opp_1"))->json;
            f.store.setFailAfter(n);
            const std::optional<OutboxRow> row
                = f.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"),
                    fieldsBody(QStringLiteral("$name"), QStringLiteral("Mine")), {}, {},
                    serverRecord(QStringLiteral("opp_1"),
                        QStringLiteral("2026-04-20T10:00:00.000Z"), QStringLiteral("Mine")));
            f.store.setFailAfter(0); // reads count too: the checks below must not be failed
            const std::optional<StoredRecord> stored
                = f.store.record(kDeal, QStringLiteral("opp_1"));
            if (row) {
                QCOMPARE(f.outbox.rows().size(), 1);
                QVERIFY(stored->hasLocalChanges());
                QVERIFY2(failures >= 4, "the insert, the record write and the commit must fail");
                return;
            }
            ++failures;
            QVERIFY(!f.store.inTransaction());
            QCOMPARE(f.outbox.rows().size(), 0);
            QVERIFY(!stored->hasLocalChanges());
            QCOMPARE(stored->json, before);
        }
        QFAIL("the fault loop did not end");
    }

    // The same for a create and for an update of a record not cached yet: no orphan record.
    void failedCreateLeavesNoRecord()
    {
        int failures = 0;
        for (int n = 1; n < 100; ++n) {
            Fixture f;
            const QString id = Outbox::newTemporaryId();
            f.store.setFailAfter(n);
            const bool created = bool(f.outbox.enqueueCreate(
                kAccount, id, fieldsBody(QStringLiteral("$name"), QStringLiteral("Acme"))));
            f.store.setFailAfter(0); // reads count too: the checks below must not be failed
            if (created) {
                QVERIFY(f.store.record(kAccount, id).has_value());
                QVERIFY(failures >= 3);
                return;
            }
            ++failures;
            QVERIFY(!f.store.record(kAccount, id).has_value());
            QCOMPARE(f.outbox.rows().size(), 0);
        }
        QFAIL("the fault loop did not end");
    }

    void idempotencyKeyIsStableAcrossReopen()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cache.sqlite"));
        const QByteArray body = fieldsBody(QStringLiteral("amount"), 48000);
        QString key;
        qint64 seq = 0;
        {
            Fixture f(path);
            f.seed(QStringLiteral("opp_1"));
            const std::optional<OutboxRow> row
                = f.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"), body, {}, {});
            QVERIFY(row);
            key = row->idempotencyKey;
            seq = row->seq;
            QVERIFY(f.outbox.markInFlight(seq));
        }
        Fixture f(path);
        QCOMPARE(f.opened.status, LocalStore::OpenStatus::Opened);
        QCOMPARE(f.opened.requeuedInFlight, 1);
        const std::optional<OutboxRow> row = f.outbox.row(seq);
        QVERIFY(row);
        QCOMPARE(row->idempotencyKey, key);
        QCOMPARE(row->body, body);
        QCOMPARE(row->state, Outbox::State::Pending); // resent, with the same key
        QCOMPARE(row->attempts, 1);
        QCOMPARE(f.outbox.nextReady(kNow).size(), 1);
        QCOMPARE(f.outbox.nextReady(kNow).first().idempotencyKey, key);
    }

    void editsMergeWhileNothingWasSent()
    {
        Fixture f;
        f.seed(QStringLiteral("opp_1"));
        const std::optional<OutboxRow> first = f.outbox.enqueueUpdate(kDeal,
            QStringLiteral("opp_1"), fieldsBody(QStringLiteral("$name"), QStringLiteral("A")),
            QStringLiteral("2026-04-20T10:00:00.000Z"),
            base(QStringLiteral("$name"), QStringLiteral("Northwind")));
        const std::optional<OutboxRow> second = f.outbox.enqueueUpdate(kDeal,
            QStringLiteral("opp_1"), fieldsBody(QStringLiteral("$name"), QStringLiteral("B")),
            QStringLiteral("2026-04-20T10:00:00.000Z"),
            base(QStringLiteral("$name"), QStringLiteral("A")));
        const std::optional<OutboxRow> third = f.outbox.enqueueUpdate(kDeal,
            QStringLiteral("opp_1"), fieldsBody(QStringLiteral("amount"), 5),
            QStringLiteral("2026-04-20T10:00:00.000Z"), base(QStringLiteral("amount"), 1));
        QVERIFY(first && second && third);
        QCOMPARE(f.outbox.rows().size(), 1);
        QCOMPARE(second->seq, first->seq);
        QCOMPARE(third->seq, first->seq);
        QCOMPARE(third->idempotencyKey, first->idempotencyKey); // nothing sent under it yet
        const QJsonObject fields = object(third->body)[QLatin1String("fields")].toObject();
        QCOMPARE(fields[QLatin1String("$name")].toString(), QStringLiteral("B"));
        QCOMPARE(fields[QLatin1String("amount")].toInt(), 5);
        // The base is what the server had before the first of them.
        QCOMPARE(third->baseValues[QLatin1String("$name")].toString(), QStringLiteral("Northwind"));
        QCOMPARE(third->baseValues[QLatin1String("amount")].toInt(), 1);
    }

    // Undo of an unsent edit: keys merged back to their base leave the row, and a
    // row left empty is deleted, with the local copy rebuilt from the queue.
    void editsBackToTheirBaseLeaveTheRow()
    {
        Fixture f;
        f.seed(QStringLiteral("opp_1"));
        const QString id = QStringLiteral("opp_1");
        const QString updatedAt = QStringLiteral("2026-04-20T10:00:00.000Z");
        const std::optional<OutboxRow> first = f.outbox.enqueueUpdate(kDeal, id,
            fieldsBody(QStringLiteral("$name"), QStringLiteral("A")), updatedAt,
            base(QStringLiteral("$name"), QStringLiteral("Northwind")));
        const std::optional<OutboxRow> second
            = f.outbox.enqueueUpdate(kDeal, id, fieldsBody(QStringLiteral("probability"), 40),
                updatedAt, base(QStringLiteral("probability"), QJsonValue::Null));
        QVERIFY(first && second);
        QSignalSpy changed(&f.outbox, &Outbox::changed);
        // The name goes back: the row keeps only the probability.
        const std::optional<OutboxRow> undoName = f.outbox.enqueueUpdate(kDeal, id,
            fieldsBody(QStringLiteral("$name"), QStringLiteral("Northwind")), updatedAt,
            base(QStringLiteral("$name"), QStringLiteral("A")));
        QVERIFY(undoName);
        QCOMPARE(undoName->seq, first->seq);
        QCOMPARE(object(undoName->body), object(fieldsBody(QStringLiteral("probability"), 40)));
        QCOMPARE(undoName->baseValues, base(QStringLiteral("probability"), QJsonValue::Null));
        QCOMPARE(fieldValue(f.store.record(kDeal, id)->localJson, QStringLiteral("$name")),
            QJsonValue(QStringLiteral("Northwind")));
        // The probability goes back to empty (null and a cleared value are the same): no row.
        const std::optional<OutboxRow> undoProbability = f.outbox.enqueueUpdate(kDeal, id,
            fieldsBody(QStringLiteral("probability"), QJsonValue::Null), updatedAt,
            base(QStringLiteral("probability"), 40));
        QVERIFY(undoProbability);
        QCOMPARE(undoProbability->seq, 0);
        QCOMPARE(undoProbability->body, QByteArray("{}"));
        QCOMPARE(f.outbox.counts().total(), 0);
        QVERIFY(!f.outbox.row(first->seq));
        QVERIFY(!f.store.record(kDeal, id)->hasLocalChanges());
        QCOMPARE(changed.size(), 2);
        // A later edit starts a new row with a new key.
        const std::optional<OutboxRow> again = f.outbox.enqueueUpdate(kDeal, id,
            fieldsBody(QStringLiteral("$name"), QStringLiteral("C")), updatedAt,
            base(QStringLiteral("$name"), QStringLiteral("Northwind")));
        QVERIFY(again && again->seq > first->seq);
        QVERIFY(again->idempotencyKey != first->idempotencyKey);
    }

    void backToBaseComparesValuesByType()
    {
        Fixture f;
        const QString id = QStringLiteral("opp_1");
        QJsonObject record = object(serverRecord(
            id, QStringLiteral("2026-04-20T10:00:00.000Z"), QStringLiteral("Northwind")));
        QJsonObject fields = record.value(QLatin1String("fields")).toObject();
        fields.insert(QStringLiteral("closeDate"),
            QJsonObject {{QStringLiteral("valueType"), QStringLiteral("DATETIME")},
                {QStringLiteral("value"), QStringLiteral("2026-06-30T00:00:00.000Z")}});
        record.insert(QStringLiteral("fields"), fields);
        QVERIFY(f.store.upsertServerRecord(kDeal, QJsonDocument(record).toJson())
            != LocalStore::Upsert::Error);
        QVERIFY(f.outbox.enqueueUpdate(kDeal, id,
            fieldsBody(QStringLiteral("closeDate"), QStringLiteral("2026-07-31T00:00:00+00:00")),
            {}, base(QStringLiteral("closeDate"), QStringLiteral("2026-06-30T00:00:00.000Z"))));
        // The same instant in another spelling is the base.
        const std::optional<OutboxRow> back = f.outbox.enqueueUpdate(kDeal, id,
            fieldsBody(QStringLiteral("closeDate"), QStringLiteral("2026-06-30T00:00:00+00:00")),
            {}, base(QStringLiteral("closeDate"), QStringLiteral("2026-07-31T00:00:00+00:00")));
        QVERIFY(back);
        QCOMPARE(back->seq, 0);
        QCOMPARE(f.outbox.counts().total(), 0);
    }

    void relationshipReplaceBackToBaseLeavesTheRow()
    {
        Fixture f;
        f.seed(QStringLiteral("opp_1"));
        const QString id = QStringLiteral("opp_1");
        auto operation = [](const QString &key, const char *op, const QJsonValue &ids) {
            return QJsonDocument(QJsonObject {{QStringLiteral("relationships"),
                                     QJsonObject {{key, QJsonObject {{QLatin1String(op), ids}}}}}})
                .toJson(QJsonDocument::Compact);
        };
        // HAS_ONE from empty to con_3, then removed again (undo of "set the champion").
        QVERIFY(f.outbox.enqueueUpdate(kDeal, id,
            operation(QStringLiteral("$champion"), "replace", QStringLiteral("con_3")), {},
            base(QStringLiteral("$champion"), QJsonValue::Null)));
        // HAS_MANY from [con_1, con_2] to [con_1], then replaced back (order ignored).
        QVERIFY(f.outbox.enqueueUpdate(kDeal, id,
            operation(
                QStringLiteral("$evaluator"), "replace", QJsonArray {QStringLiteral("con_1")}),
            {},
            base(QStringLiteral("$evaluator"),
                QJsonArray {QStringLiteral("con_1"), QStringLiteral("con_2")})));
        QCOMPARE(f.outbox.rows().size(), 1);
        const std::optional<OutboxRow> undoChampion = f.outbox.enqueueUpdate(kDeal, id,
            operation(QStringLiteral("$champion"), "remove", QStringLiteral("con_3")), {},
            base(QStringLiteral("$champion"), QStringLiteral("con_3")));
        QVERIFY(undoChampion && undoChampion->seq != 0);
        QCOMPARE(object(undoChampion->body)[QLatin1String("relationships")].toObject().keys(),
            QStringList {QStringLiteral("$evaluator")});
        QVERIFY(!undoChampion->baseValues.contains(QLatin1String("$champion")));
        const std::optional<OutboxRow> undoEvaluators = f.outbox.enqueueUpdate(kDeal, id,
            operation(QStringLiteral("$evaluator"), "replace",
                QJsonArray {QStringLiteral("con_2"), QStringLiteral("con_1")}),
            {}, base(QStringLiteral("$evaluator"), QJsonArray {QStringLiteral("con_1")}));
        QVERIFY(undoEvaluators);
        QCOMPARE(undoEvaluators->seq, 0);
        QCOMPARE(f.outbox.counts().total(), 0);
        QVERIFY(!f.store.record(kDeal, id)->hasLocalChanges());
    }

    void backToBaseAfterASendIsACompensatingRow()
    {
        Fixture f;
        f.seed(QStringLiteral("opp_1"));
        const QString id = QStringLiteral("opp_1");
        const std::optional<OutboxRow> first = f.outbox.enqueueUpdate(kDeal, id,
            fieldsBody(QStringLiteral("$name"), QStringLiteral("A")), {},
            base(QStringLiteral("$name"), QStringLiteral("Northwind")));
        QVERIFY(first && f.outbox.markInFlight(first->seq));
        const std::optional<OutboxRow> back = f.outbox.enqueueUpdate(kDeal, id,
            fieldsBody(QStringLiteral("$name"), QStringLiteral("Northwind")), {},
            base(QStringLiteral("$name"), QStringLiteral("A")));
        QVERIFY(back && back->seq > first->seq);
        QCOMPARE(back->body, fieldsBody(QStringLiteral("$name"), QStringLiteral("Northwind")));
        QCOMPARE(f.outbox.rows().size(), 2);
    }

    // A create merged with an update setting a value "back" is not an undo: creates keep it.
    void createRowsKeepEveryKey()
    {
        Fixture f;
        const QString temporary = Outbox::newTemporaryId();
        QVERIFY(f.outbox.enqueueCreate(
            kDeal, temporary, fieldsBody(QStringLiteral("$name"), QStringLiteral("New"))));
        const std::optional<OutboxRow> merged = f.outbox.enqueueUpdate(kDeal, temporary,
            fieldsBody(QStringLiteral("$name"), QStringLiteral("Newer")), {},
            base(QStringLiteral("$name"), QStringLiteral("Newer")));
        QVERIFY(merged && merged->seq != 0);
        QCOMPARE(object(merged->body)[QLatin1String("fields")][QLatin1String("$name")].toString(),
            QStringLiteral("Newer"));
    }

    void editsAfterASendGetTheirOwnRow_data()
    {
        QTest::addColumn<QString>("sent");
        QTest::newRow("in flight") << QStringLiteral("inflight");
        QTest::newRow("retry scheduled") << QStringLiteral("retry");
        QTest::newRow("parked") << QStringLiteral("parked");
    }

    void editsAfterASendGetTheirOwnRow()
    {
        QFETCH(QString, sent);
        Fixture f;
        f.seed(QStringLiteral("opp_1"));
        const std::optional<OutboxRow> first
            = f.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"),
                fieldsBody(QStringLiteral("$name"), QStringLiteral("A")), {}, {});
        QVERIFY(f.outbox.markInFlight(first->seq));
        if (sent == QLatin1String("retry"))
            QVERIFY(f.outbox.markRetry(first->seq, kNow.addSecs(10), QStringLiteral("HTTP 503")));
        else if (sent == QLatin1String("parked"))
            QVERIFY(f.outbox.park(first->seq, QStringLiteral("HTTP 422")));
        const std::optional<OutboxRow> second
            = f.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"),
                fieldsBody(QStringLiteral("$name"), QStringLiteral("B")), {}, {});
        QVERIFY(second);
        QVERIFY(second->seq > first->seq);
        QVERIFY(second->idempotencyKey != first->idempotencyKey);
        QCOMPARE(f.outbox.row(first->seq)->body, first->body); // the sent body never changes
        QCOMPARE(f.outbox.rows().size(), 2);
        // The local copy shows both, in order.
        QCOMPARE(fieldValue(f.store.record(kDeal, QStringLiteral("opp_1"))->localJson,
                     QStringLiteral("$name"))
                     .toString(),
            QStringLiteral("B"));
    }

    void relationshipOperationsThatCannotMergeAppend()
    {
        Fixture f;
        f.seed(QStringLiteral("opp_1"));
        auto addContact = [](const QString &id) {
            return QJsonDocument(QJsonObject {{QStringLiteral("relationships"),
                                     QJsonObject {{QStringLiteral("$champion"),
                                         QJsonObject {{QStringLiteral("add"), id}}}}}})
                .toJson(QJsonDocument::Compact);
        };
        QVERIFY(f.outbox.enqueueUpdate(
            kDeal, QStringLiteral("opp_1"), addContact(QStringLiteral("con_1")), {}, {}));
        QVERIFY(f.outbox.enqueueUpdate(
            kDeal, QStringLiteral("opp_1"), addContact(QStringLiteral("con_2")), {}, {}));
        QCOMPARE(f.outbox.rows().size(), 2);
        const QJsonArray values
            = object(f.store.record(kDeal, QStringLiteral("opp_1"))->localJson)[QLatin1String(
                "relationships")][QLatin1String("$champion")][QLatin1String("values")]
                  .toArray();
        QCOMPARE(values, (QJsonArray {QStringLiteral("con_1"), QStringLiteral("con_2")}));
    }

    void nextReadyIsFifoPerRecordAndParallelAcrossRecords()
    {
        Fixture f;
        f.seed(QStringLiteral("opp_a"));
        f.seed(QStringLiteral("opp_b"));
        f.seed(QStringLiteral("opp_c"));
        const qint64 a1 = f.outbox
                              .enqueueUpdate(kDeal, QStringLiteral("opp_a"),
                                  fieldsBody(QStringLiteral("x"), 1), {}, {})
                              ->seq;
        QVERIFY(f.outbox.markInFlight(a1));
        QVERIFY(f.outbox.markRetry(a1, kNow, QStringLiteral("HTTP 500")));
        const qint64 a2 = f.outbox
                              .enqueueUpdate(kDeal, QStringLiteral("opp_a"),
                                  fieldsBody(QStringLiteral("x"), 2), {}, {})
                              ->seq;
        const qint64 b1 = f.outbox
                              .enqueueUpdate(kDeal, QStringLiteral("opp_b"),
                                  fieldsBody(QStringLiteral("x"), 3), {}, {})
                              ->seq;
        const qint64 c1 = f.outbox
                              .enqueueUpdate(kDeal, QStringLiteral("opp_c"),
                                  fieldsBody(QStringLiteral("x"), 4), {}, {})
                              ->seq;
        QVERIFY(a2 != a1);
        auto seqs = [&](const QDateTime &now, int limit = 25) {
            QList<qint64> result;
            for (const OutboxRow &row : f.outbox.nextReady(now, limit))
                result << row.seq;
            return result;
        };
        QCOMPARE(seqs(kNow), (QList<qint64> {a1, b1, c1}));
        QCOMPARE(seqs(kNow, 2), (QList<qint64> {a1, b1}));
        // A record's head in flight, parked or in conflict holds back its later rows only.
        QVERIFY(f.outbox.markInFlight(a1));
        QCOMPARE(seqs(kNow), (QList<qint64> {b1, c1}));
        QVERIFY(f.outbox.park(a1, QStringLiteral("HTTP 422")));
        QCOMPARE(seqs(kNow), (QList<qint64> {b1, c1}));
        QVERIFY(f.outbox.resume(a1, kNow));
        QVERIFY(f.outbox.markInFlight(a1));
        QVERIFY(f.outbox.markConflict(a1, QStringLiteral("$name changed on the server")));
        QCOMPARE(seqs(kNow), (QList<qint64> {b1, c1}));
        // Back-off: a row waits until its next attempt time.
        QVERIFY(f.outbox.markInFlight(b1));
        QVERIFY(f.outbox.markRetry(b1, kNow.addSecs(60), QStringLiteral("HTTP 503")));
        QCOMPARE(seqs(kNow), (QList<qint64> {c1}));
        QCOMPARE(seqs(kNow.addSecs(60)), (QList<qint64> {b1, c1}));
        QVERIFY(f.outbox.resetBackoff(kNow));
        QCOMPARE(seqs(kNow), (QList<qint64> {b1, c1}));
        QVERIFY(!f.outbox.markInFlight(a2 + 1000));
    }

    // The wake-up time: the earliest due Pending row among the oldest rows of each record.
    void nextDueAtIsTheEarliestSendableHead()
    {
        Fixture f;
        QVERIFY(f.opened.isOpen());
        for (const char *id : {"opp_a", "opp_b", "opp_c"})
            f.seed(QString::fromLatin1(id));
        bool ok = false;
        QVERIFY(!f.outbox.nextDueAt(&ok)); // an empty queue
        QVERIFY(ok);

        const auto enqueue = [&f](const char *id, int value) {
            return f.outbox
                .enqueueUpdate(
                    kDeal, QString::fromLatin1(id), fieldsBody(QStringLiteral("x"), value), {}, {})
                ->seq;
        };
        // A new row is due at once (at the epoch, i.e. in the past).
        const qint64 a1 = enqueue("opp_a", 1);
        QCOMPARE(f.outbox.nextDueAt(), QDateTime::fromMSecsSinceEpoch(0, Qt::UTC));
        // In flight it is no candidate, and neither is the row queued behind it.
        QVERIFY(f.outbox.markInFlight(a1));
        const qint64 a2 = enqueue("opp_a", 2);
        QVERIFY(a2 != a1);
        QVERIFY(!f.outbox.nextDueAt(&ok));
        QVERIFY(ok);
        // A retry in the future is the next due time.
        QVERIFY(f.outbox.markRetry(a1, kNow.addSecs(60), QStringLiteral("HTTP 503")));
        QCOMPARE(f.outbox.nextDueAt(), kNow.addSecs(60));
        // The earliest of several records' heads wins.
        const qint64 b1 = enqueue("opp_b", 3);
        QVERIFY(f.outbox.markInFlight(b1));
        QVERIFY(f.outbox.markRetry(b1, kNow.addSecs(30), QStringLiteral("HTTP 503")));
        QCOMPARE(f.outbox.nextDueAt(), kNow.addSecs(30));
        // A parked head counts for nothing, nor does the due row waiting behind it.
        QVERIFY(f.outbox.markInFlight(b1));
        QVERIFY(f.outbox.park(b1, QStringLiteral("HTTP 422")));
        enqueue("opp_b", 4);
        QCOMPARE(f.outbox.nextDueAt(), kNow.addSecs(60));
        // Nor does a head in conflict: with both records blocked nothing is due.
        QVERIFY(f.outbox.markInFlight(a1));
        QVERIFY(f.outbox.markConflict(a1, QStringLiteral("$name changed on the server")));
        QVERIFY(!f.outbox.nextDueAt(&ok));
        QVERIFY(ok);
        QVERIFY(f.outbox.nextReady(kNow.addDays(1)).isEmpty()); // agrees with nextReady()
        // The user's retry makes the parked head due again.
        QVERIFY(f.outbox.resume(b1, kNow.addSecs(5)));
        QCOMPARE(f.outbox.nextDueAt(), kNow.addSecs(5));
        const qint64 c1 = enqueue("opp_c", 5);
        QCOMPARE(f.outbox.nextDueAt(), QDateTime::fromMSecsSinceEpoch(0, Qt::UTC));
        QVERIFY(f.outbox.markInFlight(c1));
        QCOMPARE(f.outbox.nextDueAt(), kNow.addSecs(5));

        // An unreadable queue says so instead of looking empty.
        f.store.setFailAfter(1);
        ok = true;
        QVERIFY(!f.outbox.nextDueAt(&ok));
        QVERIFY(!ok);
        QVERIFY(!f.outbox.lastError().isEmpty());
        QCOMPARE(f.outbox.nextDueAt(&ok), kNow.addSecs(5));
        QVERIFY(ok);
    }

    void stateCounts()
    {
        Fixture f;
        QList<qint64> seqs;
        for (int i = 0; i < 5; ++i) {
            const QString id = QStringLiteral("opp_%1").arg(i);
            f.seed(id);
            seqs << f.outbox.enqueueUpdate(kDeal, id, fieldsBody(QStringLiteral("x"), i), {}, {})
                        ->seq;
        }
        QCOMPARE(f.outbox.counts(), (Outbox::Counts {5, 0, 0, 0}));
        QVERIFY(f.outbox.markInFlight(seqs[0]));
        QVERIFY(f.outbox.markInFlight(seqs[1]));
        QVERIFY(f.outbox.park(seqs[1], QStringLiteral("HTTP 403")));
        QVERIFY(f.outbox.markInFlight(seqs[2]));
        QVERIFY(f.outbox.markConflict(seqs[2], QStringLiteral("both changed $name")));
        const Outbox::Counts counts = f.outbox.counts();
        QCOMPARE(counts, (Outbox::Counts {2, 1, 1, 1}));
        QCOMPARE(counts.total(), 5);
    }

    void markSucceededStoresServerCopyAndDropsRow()
    {
        Fixture f;
        f.seed(QStringLiteral("opp_1"));
        const qint64 first
            = f.outbox
                  .enqueueUpdate(kDeal, QStringLiteral("opp_1"),
                      fieldsBody(QStringLiteral("$name"), QStringLiteral("Mine")), {}, {})
                  ->seq;
        QVERIFY(f.outbox.markInFlight(first));
        const qint64 second = f.outbox
                                  .enqueueUpdate(kDeal, QStringLiteral("opp_1"),
                                      fieldsBody(QStringLiteral("amount"), 7), {}, {})
                                  ->seq;
        const QByteArray server = serverRecord(QStringLiteral("opp_1"),
            QStringLiteral("2026-04-21T08:00:00.000Z"), QStringLiteral("Mine"));
        QVERIFY(f.outbox.markSucceeded(first, server));
        QVERIFY(!f.outbox.row(first));
        std::optional<StoredRecord> stored = f.store.record(kDeal, QStringLiteral("opp_1"));
        QCOMPARE(stored->json, server);
        QCOMPARE(stored->updatedAt, QStringLiteral("2026-04-21T08:00:00.000Z"));
        // The later row is still applied on top of the new server copy.
        QCOMPARE(fieldValue(stored->localJson, QStringLiteral("amount")).toInt(), 7);
        QCOMPARE(fieldValue(stored->localJson, QStringLiteral("$name")).toString(),
            QStringLiteral("Mine"));
        QVERIFY(f.outbox.markInFlight(second));
        QVERIFY(f.outbox.markSucceeded(second, server));
        stored = f.store.record(kDeal, QStringLiteral("opp_1"));
        QVERIFY(!stored->hasLocalChanges()); // nothing queued: the server copy is the truth
        QCOMPARE(f.outbox.counts().total(), 0);
    }

    // A send is compare-and-set: an edit merged into the row between the sender's read and
    // markInFlight() must not go out under the old body (its ack would delete the merged edit).
    void inFlightIsRefusedWhenTheBodyChangedSinceTheRead()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cache.sqlite"));
        Fixture sender(path);
        QVERIFY(sender.opened.isOpen());
        sender.seed(QStringLiteral("opp_1"));
        QVERIFY(sender.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"),
            fieldsBody(QStringLiteral("$name"), QStringLiteral("Mine")), {},
            base(QStringLiteral("$name"), QStringLiteral("Northwind"))));
        const QList<OutboxRow> read = sender.outbox.nextReady(kNow);
        QCOMPARE(read.size(), 1);
        // Another process (the CLI) merges an edit into the unsent row meanwhile.
        {
            Fixture other(path);
            QVERIFY(other.opened.isOpen());
            QVERIFY(other.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"),
                fieldsBody(QStringLiteral("amount"), 7), {}, base(QStringLiteral("amount"), {})));
        }
        QVERIFY(!sender.outbox.markInFlight(read.first()));
        const OutboxRow now = *sender.outbox.row(read.first().seq);
        QCOMPARE(now.state, OutboxRow::State::Pending);
        QCOMPARE(now.attempts, 0);
        QVERIFY(now.body.contains("amount"));
        // A different key is refused the same way.
        OutboxRow otherKey = now;
        otherKey.idempotencyKey = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QVERIFY(!sender.outbox.markInFlight(otherKey));
        // Read again, the row goes out with both edits.
        const std::optional<OutboxRow> marked = sender.outbox.markInFlight(now);
        QVERIFY2(marked.has_value(), qPrintable(sender.outbox.lastError()));
        QCOMPARE(marked->state, OutboxRow::State::InFlight);
        QCOMPARE(marked->attempts, 1);
        QCOMPARE(marked->body, now.body);
        QCOMPARE(sender.outbox.row(now.seq)->state, OutboxRow::State::InFlight);
        // Marked once: a second compare-and-set of the same read fails.
        QVERIFY(!sender.outbox.markInFlight(now));
    }

    // The ack names the key and body that were sent: a row that holds more than that keeps
    // the rest, re-keyed (a key stands for one body), against the server's values as bases.
    void staleAcknowledgementKeepsTheMergedEdit()
    {
        Fixture f;
        f.seed(QStringLiteral("opp_1"));
        const OutboxRow sent = *f.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"),
            fieldsBody(QStringLiteral("$name"), QStringLiteral("Mine")), {},
            base(QStringLiteral("$name"), QStringLiteral("Northwind")));
        const OutboxRow merged = *f.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"),
            fieldsBody(QStringLiteral("amount"), 7), {}, base(QStringLiteral("amount"), {}));
        QCOMPARE(merged.seq, sent.seq);
        QVERIFY(merged.body != sent.body);
        const QByteArray server = serverRecord(QStringLiteral("opp_1"),
            QStringLiteral("2026-04-21T08:00:00.000Z"), QStringLiteral("Mine"));
        QVERIFY2(f.outbox.markSucceeded(sent.seq, sent.idempotencyKey, sent.body, server, kNow),
            qPrintable(f.outbox.lastError()));
        const std::optional<OutboxRow> left = f.outbox.row(sent.seq);
        QVERIFY2(left.has_value(), "the merged edit was deleted with the stale ack");
        QCOMPARE(left->state, OutboxRow::State::Pending);
        QVERIFY(left->idempotencyKey != sent.idempotencyKey);
        const QJsonObject fields = QJsonDocument::fromJson(left->body)
                                       .object()
                                       .value(QStringLiteral("fields"))
                                       .toObject();
        QCOMPARE(fields.keys(), QStringList {QStringLiteral("amount")});
        QCOMPARE(fields.value(QStringLiteral("amount")).toInt(), 7);
        QVERIFY(left->baseValues.contains(QStringLiteral("amount")));
        QVERIFY(left->baseValues.value(QStringLiteral("amount")).isNull());
        QCOMPARE(left->checkedAt, kNow);
        // The server copy is stored, and the kept edit is still shown on top of it.
        const std::optional<StoredRecord> stored = f.store.record(kDeal, QStringLiteral("opp_1"));
        QCOMPARE(stored->json, server);
        QCOMPARE(fieldValue(stored->localJson, QStringLiteral("amount")).toInt(), 7);
        // The re-keyed row is acknowledged under its own key and body.
        const std::optional<OutboxRow> marked = f.outbox.markInFlight(*left);
        QVERIFY(marked.has_value());
        QVERIFY(f.outbox.markSucceeded(marked->seq, marked->idempotencyKey, marked->body, server));
        QCOMPARE(f.outbox.counts().total(), 0);
    }

    // A row edited after its send keeps its key and body; the edit gets a row and key of its
    // own that waits until the sent one is settled, so an older body never overtakes it.
    void editAfterSendWaitsBehindTheSentBody()
    {
        Fixture f;
        f.seed(QStringLiteral("opp_1"));
        const OutboxRow first = *f.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"),
            fieldsBody(QStringLiteral("$name"), QStringLiteral("One")), {},
            base(QStringLiteral("$name"), QStringLiteral("Northwind")));
        const std::optional<OutboxRow> sent = f.outbox.markInFlight(first);
        QVERIFY(sent);
        const OutboxRow second = *f.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"),
            fieldsBody(QStringLiteral("$name"), QStringLiteral("Two")), {},
            base(QStringLiteral("$name"), QStringLiteral("One")));
        QVERIFY(second.seq > first.seq);
        QVERIFY(second.idempotencyKey != first.idempotencyKey);
        QCOMPARE(f.outbox.row(first.seq)->body, first.body);
        QCOMPARE(f.outbox.row(first.seq)->idempotencyKey, first.idempotencyKey);
        QVERIFY(f.outbox.nextReady(kNow).isEmpty()); // waits behind the one in flight
        QVERIFY(f.outbox.markRetry(first.seq, kNow, QStringLiteral("500 server")));
        QCOMPARE(f.outbox.nextReady(kNow).size(), 1);
        QCOMPARE(f.outbox.nextReady(kNow).first().seq, first.seq); // the retry goes first
        QVERIFY(f.outbox.markInFlight(*f.outbox.row(first.seq)));
        QVERIFY(f.outbox.markSucceeded(first.seq, first.idempotencyKey, first.body,
            serverRecord(QStringLiteral("opp_1"), QStringLiteral("2026-04-21T08:00:00.000Z"),
                QStringLiteral("One"))));
        QCOMPARE(f.outbox.nextReady(kNow).first().seq, second.seq);
        QCOMPARE(f.outbox.nextReady(kNow).first().body, second.body);
    }

    void markSucceededIsAtomic()
    {
        int failures = 0;
        for (int n = 1; n < 100; ++n) {
            Fixture f;
            f.seed(QStringLiteral("opp_1"));
            const QByteArray before = f.store.record(kDeal, QStringLiteral("opp_1"))->json;
            const qint64 seq
                = f.outbox
                      .enqueueUpdate(kDeal, QStringLiteral("opp_1"),
                          fieldsBody(QStringLiteral("$name"), QStringLiteral("Mine")), {}, {})
                      ->seq;
            QVERIFY(f.outbox.markInFlight(seq));
            const QByteArray local = f.store.record(kDeal, QStringLiteral("opp_1"))->localJson;
            const QByteArray server = serverRecord(QStringLiteral("opp_1"),
                QStringLiteral("2026-04-21T08:00:00.000Z"), QStringLiteral("Mine"));
            f.store.setFailAfter(n);
            const bool ok = f.outbox.markSucceeded(seq, server);
            f.store.setFailAfter(0); // reads count too: the checks below must not be failed
            const std::optional<StoredRecord> stored
                = f.store.record(kDeal, QStringLiteral("opp_1"));
            if (ok) {
                QVERIFY(!f.outbox.row(seq));
                QCOMPARE(stored->json, server);
                QVERIFY(failures >= 4);
                return;
            }
            ++failures;
            QVERIFY(!f.store.inTransaction());
            QCOMPARE(f.outbox.row(seq)->state, Outbox::State::InFlight);
            QCOMPARE(stored->json, before);
            QCOMPARE(stored->localJson, local);
        }
        QFAIL("the fault loop did not end");
    }

    // An offline create, an update of the new record, and another deal pointing at it: once
    // the server assigns the id, every row, body and cached record uses it.
    void temporaryIdIsRewrittenEverywhere()
    {
        Fixture f;
        const QString temporary = Outbox::newTemporaryId();
        QVERIFY(Outbox::isTemporaryId(temporary));
        const qint64 create = f.outbox
                                  .enqueueCreate(kAccount, temporary,
                                      fieldsBody(QStringLiteral("$name"), QStringLiteral("Acme")))
                                  ->seq;
        QCOMPARE(f.outbox.row(create)->op, Outbox::Op::Create);
        QVERIFY(f.store.record(kAccount, temporary)->hasLocalChanges());
        QVERIFY(f.outbox.markInFlight(create));
        const qint64 update
            = f.outbox
                  .enqueueUpdate(kAccount, temporary,
                      fieldsBody(QStringLiteral("website"), QStringLiteral("acme.example")), {}, {})
                  ->seq;
        f.seed(QStringLiteral("opp_1"));
        const QByteArray link
            = QJsonDocument(QJsonObject {{QStringLiteral("relationships"),
                                QJsonObject {{QStringLiteral("$account"),
                                    QJsonObject {{QStringLiteral("replace"), temporary}}}}}})
                  .toJson(QJsonDocument::Compact);
        const qint64 deal
            = f.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"), link, {}, {})->seq;
        // The update waits for its create; the deal waits for the account's real id.
        QVERIFY(f.outbox.nextReady(kNow).isEmpty());

        const QByteArray server = serverRecord(QStringLiteral("acc_new"),
            QStringLiteral("2026-04-21T08:00:00.000Z"), QStringLiteral("Acme"));
        QVERIFY2(f.outbox.markSucceeded(create, server), qPrintable(f.outbox.lastError()));

        QCOMPARE(f.outbox.row(update)->recordId, QStringLiteral("acc_new"));
        const QByteArray dealBody = f.outbox.row(deal)->body;
        QVERIFY(dealBody.contains("acc_new"));
        QVERIFY(!dealBody.contains(temporary.toUtf8()));
        QVERIFY(!f.store.record(kAccount, temporary));
        const std::optional<StoredRecord> account
            = f.store.record(kAccount, QStringLiteral("acc_new"));
        QVERIFY(account);
        QCOMPARE(account->json, server);
        QCOMPARE(fieldValue(account->localJson, QStringLiteral("website")).toString(),
            QStringLiteral("acme.example"));
        QCOMPARE(
            object(account->localJson)[QLatin1String("id")].toString(), QStringLiteral("acc_new"));
        const QByteArray dealLocal = f.store.record(kDeal, QStringLiteral("opp_1"))->localJson;
        QCOMPARE(object(dealLocal)[QLatin1String("relationships")][QLatin1String("$account")]
                                  [QLatin1String("values")]
                                      .toArray(),
            QJsonArray {QStringLiteral("acc_new")});
        QVERIFY(!dealLocal.contains(temporary.toUtf8()));
        QList<qint64> ready;
        for (const OutboxRow &row : f.outbox.nextReady(kNow))
            ready << row.seq;
        QCOMPARE(ready, (QList<qint64> {update, deal}));
    }

    void bodiesComeBackByteIdentical_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("spaces and order") << QByteArray("{\"fields\":{\"b\":1,  \"a\":2}}\n");
        QTest::newRow("unicode escapes")
            << QByteArray("{\"fields\":{\"$name\":\"\\u00e9t\\u00e9 \\ud83d\\ude00\"}}");
        QTest::newRow("number forms") << QByteArray("{\"fields\":{\"amount\":4.80e4,\"n\":-0.0}}");
        QTest::newRow("null and nested")
            << QByteArray("{ \"fields\": { \"riskNote\": null },"
                          " \"relationships\": { \"$owner\": { \"replace\": \"mem_19bc\" } } }");
    }

    void bodiesComeBackByteIdentical()
    {
        QFETCH(QByteArray, body);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cache.sqlite"));
        qint64 seq = 0;
        {
            Fixture f(path);
            f.seed(QStringLiteral("opp_1"));
            const std::optional<OutboxRow> row
                = f.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"), body, {}, {});
            QVERIFY(row);
            QCOMPARE(row->body, body);
            seq = row->seq;
            QVERIFY(f.outbox.markInFlight(seq));
            QVERIFY(f.outbox.markRetry(seq, kNow, QStringLiteral("timeout")));
        }
        Fixture f(path);
        QCOMPARE(f.outbox.row(seq)->body, body);
        QCOMPARE(f.outbox.nextReady(kNow).value(0).body, body);
    }

    void lastErrorNeverHoldsTheBody()
    {
        Fixture f;
        f.seed(QStringLiteral("opp_1"));
        const QByteArray body("{\"fields\":{\"riskNote\":\"secret negotiation notes\"}}");
        const qint64 seq
            = f.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"), body, {}, {})->seq;
        QVERIFY(f.outbox.markInFlight(seq));
        const QString echo = QStringLiteral("HTTP 422 invalid request: ") + QString::fromUtf8(body);
        QVERIFY(f.outbox.markRetry(seq, kNow, echo));
        QString stored = f.outbox.row(seq)->lastError;
        QVERIFY(stored.startsWith(QStringLiteral("HTTP 422")));
        QVERIFY(!stored.contains(QStringLiteral("secret negotiation notes")));
        QVERIFY(f.outbox.markInFlight(seq));
        QVERIFY(f.outbox.park(seq, echo + QString(2000, QLatin1Char('x'))));
        stored = f.outbox.row(seq)->lastError;
        QVERIFY(!stored.contains(QStringLiteral("secret negotiation notes")));
        QVERIFY(stored.size() <= 500);
    }

    void conflictIsResolvedWithANewKey()
    {
        Fixture f;
        f.seed(QStringLiteral("opp_1"));
        const std::optional<OutboxRow> row = f.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"),
            fieldsBody(QStringLiteral("$name"), QStringLiteral("Mine")),
            QStringLiteral("2026-04-20T10:00:00.000Z"),
            base(QStringLiteral("$name"), QStringLiteral("Northwind")));
        QVERIFY(f.outbox.markInFlight(row->seq));
        const QByteArray theirs = serverRecord(QStringLiteral("opp_1"),
            QStringLiteral("2026-04-21T09:00:00.000Z"), QStringLiteral("Theirs"));
        QVERIFY(
            f.outbox.markConflict(row->seq, QStringLiteral("$name changed on both sides"), theirs));
        std::optional<StoredRecord> stored = f.store.record(kDeal, QStringLiteral("opp_1"));
        QCOMPARE(stored->json, theirs);
        QCOMPARE(fieldValue(stored->localJson, QStringLiteral("$name")).toString(),
            QStringLiteral("Mine"));
        QCOMPARE(f.outbox.row(row->seq)->state, Outbox::State::Conflict);
        QVERIFY(!f.outbox.resolveConflict(row->seq + 99, QByteArray("{}"), {}, {}));

        const QByteArray chosen = fieldsBody(QStringLiteral("$name"), QStringLiteral("Merged"));
        QVERIFY(
            f.outbox.resolveConflict(row->seq, chosen, QStringLiteral("2026-04-21T09:00:00.000Z"),
                base(QStringLiteral("$name"), QStringLiteral("Theirs"))));
        const std::optional<OutboxRow> resolved = f.outbox.row(row->seq);
        QCOMPARE(resolved->state, Outbox::State::Pending);
        QCOMPARE(resolved->body, chosen);
        QCOMPARE(resolved->attempts, 0);
        QVERIFY(resolved->idempotencyKey != row->idempotencyKey); // a new payload, a new key
        QCOMPARE(fieldValue(f.store.record(kDeal, QStringLiteral("opp_1"))->localJson,
                     QStringLiteral("$name"))
                     .toString(),
            QStringLiteral("Merged"));
    }

    void discardRestoresTheServerCopy()
    {
        Fixture f;
        f.seed(QStringLiteral("opp_1"));
        const qint64 seq
            = f.outbox
                  .enqueueUpdate(kDeal, QStringLiteral("opp_1"),
                      fieldsBody(QStringLiteral("$name"), QStringLiteral("Mine")), {}, {})
                  ->seq;
        QVERIFY(f.outbox.discard(seq));
        QVERIFY(!f.store.record(kDeal, QStringLiteral("opp_1"))->hasLocalChanges());
        const QString temporary = Outbox::newTemporaryId();
        const qint64 create = f.outbox
                                  .enqueueCreate(kDeal, temporary,
                                      fieldsBody(QStringLiteral("$name"), QStringLiteral("New")))
                                  ->seq;
        QVERIFY(f.outbox.discard(create));
        QVERIFY(!f.store.record(kDeal, temporary));
        QCOMPARE(f.outbox.counts().total(), 0);
    }

    void updateOfAnUnsentCreateFoldsIntoIt()
    {
        Fixture f;
        const QString temporary = Outbox::newTemporaryId();
        const std::optional<OutboxRow> create = f.outbox.enqueueCreate(kAccount, temporary,
            QByteArray(
                "{\"fields\":{\"$name\":\"Acme\"},\"relationships\":{\"$owner\":\"mem_1\"}}"));
        const QByteArray update("{\"fields\":{\"website\":\"acme.example\"},"
                                "\"relationships\":{\"$owner\":{\"replace\":\"mem_2\"},"
                                "\"$contacts\":{\"add\":[\"con_1\"]}}}");
        const std::optional<OutboxRow> merged
            = f.outbox.enqueueUpdate(kAccount, temporary, update, {}, {});
        QVERIFY(create && merged);
        QCOMPARE(merged->seq, create->seq);
        QCOMPARE(merged->op, Outbox::Op::Create);
        QCOMPARE(merged->idempotencyKey, create->idempotencyKey);
        const QJsonObject body = object(merged->body);
        QCOMPARE(body[QLatin1String("fields")][QLatin1String("$name")].toString(),
            QStringLiteral("Acme"));
        QCOMPARE(body[QLatin1String("fields")][QLatin1String("website")].toString(),
            QStringLiteral("acme.example"));
        // A create takes bare ids: the operations are folded into them.
        QCOMPARE(body[QLatin1String("relationships")][QLatin1String("$owner")].toString(),
            QStringLiteral("mem_2"));
        QCOMPARE(body[QLatin1String("relationships")][QLatin1String("$contacts")].toArray(),
            QJsonArray {QStringLiteral("con_1")});
    }

    void overlayAppliesRelationshipOperations()
    {
        Fixture f;
        f.seed(QStringLiteral("opp_1"));
        auto operation = [](const char *op, const QJsonValue &ids) {
            return QJsonDocument(QJsonObject {{QStringLiteral("relationships"),
                                     QJsonObject {{QStringLiteral("$evaluator"),
                                         QJsonObject {{QLatin1String(op), ids}}}}}})
                .toJson(QJsonDocument::Compact);
        };
        auto values = [&] {
            return object(f.store.record(kDeal, QStringLiteral("opp_1"))->localJson)[QLatin1String(
                "relationships")][QLatin1String("$evaluator")][QLatin1String("values")]
                .toArray();
        };
        QVERIFY(f.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"),
            operation("replace", QJsonArray {QStringLiteral("con_1"), QStringLiteral("con_2")}), {},
            {}));
        QCOMPARE(values(), (QJsonArray {QStringLiteral("con_1"), QStringLiteral("con_2")}));
        QVERIFY(f.outbox.enqueueUpdate(
            kDeal, QStringLiteral("opp_1"), operation("add", QStringLiteral("con_3")), {}, {}));
        QVERIFY(f.outbox.enqueueUpdate(
            kDeal, QStringLiteral("opp_1"), operation("remove", QStringLiteral("con_1")), {}, {}));
        QCOMPARE(values(), (QJsonArray {QStringLiteral("con_2"), QStringLiteral("con_3")}));
        // Nothing was sent: the add and the remove fold into the replace.
        QCOMPARE(f.outbox.rows().size(), 1);
        QCOMPARE(object(f.outbox.rows().first().body)[QLatin1String("relationships")][QLatin1String(
                     "$evaluator")][QLatin1String("replace")]
                     .toArray(),
            (QJsonArray {QStringLiteral("con_2"), QStringLiteral("con_3")}));
    }

    // Each statement of the create acknowledgement (which also rewrites the temporary id
    // everywhere) made to fail in turn: either all of it happened, or none of it.
    void createAcknowledgementIsAtomic()
    {
        int failures = 0;
        for (int n = 1; n < 200; ++n) {
            Fixture f;
            const QString temporary = Outbox::newTemporaryId();
            const qint64 create
                = f.outbox
                      .enqueueCreate(kAccount, temporary,
                          fieldsBody(QStringLiteral("$name"), QStringLiteral("Acme")))
                      ->seq;
            QVERIFY(f.outbox.markInFlight(create));
            const qint64 update = f.outbox
                                      .enqueueUpdate(kAccount, temporary,
                                          fieldsBody(QStringLiteral("x"), 1), {}, {})
                                      ->seq;
            f.seed(QStringLiteral("opp_1"));
            const QByteArray link
                = QJsonDocument(QJsonObject {{QStringLiteral("relationships"),
                                    QJsonObject {{QStringLiteral("$account"),
                                        QJsonObject {{QStringLiteral("replace"), temporary}}}}}})
                      .toJson(QJsonDocument::Compact);
            const qint64 deal
                = f.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"), link, {}, {})->seq;
            f.store.setFailAfter(n);
            const bool ok = f.outbox.markSucceeded(create,
                serverRecord(QStringLiteral("acc_9"), QStringLiteral("2026-04-21T08:00:00Z"),
                    QStringLiteral("Acme")));
            f.store.setFailAfter(0);
            const QString expected = ok ? QStringLiteral("acc_9") : temporary;
            QCOMPARE(f.outbox.row(create).has_value(), !ok);
            QCOMPARE(f.outbox.row(update)->recordId, expected);
            QVERIFY(f.outbox.row(deal)->body.contains(expected.toUtf8()));
            QVERIFY(f.store.record(kAccount, expected).has_value());
            QVERIFY(
                !f.store.record(kAccount, ok ? temporary : QStringLiteral("acc_9")).has_value());
            QVERIFY(f.store.record(kDeal, QStringLiteral("opp_1"))
                        ->localJson.contains(expected.toUtf8()));
            if (ok) {
                QVERIFY(failures >= 8);
                return;
            }
            ++failures;
        }
        QFAIL("the fault loop did not end");
    }

    void discardingACreateParksRowsThatLinkToIt()
    {
        Fixture f;
        const QString temporary = Outbox::newTemporaryId();
        const qint64 create = f.outbox
                                  .enqueueCreate(kAccount, temporary,
                                      fieldsBody(QStringLiteral("$name"), QStringLiteral("Acme")))
                                  ->seq;
        f.seed(QStringLiteral("opp_1"));
        const QByteArray link
            = QJsonDocument(QJsonObject {{QStringLiteral("relationships"),
                                QJsonObject {{QStringLiteral("$account"),
                                    QJsonObject {{QStringLiteral("replace"), temporary}}}}}})
                  .toJson(QJsonDocument::Compact);
        const qint64 deal
            = f.outbox.enqueueUpdate(kDeal, QStringLiteral("opp_1"), link, {}, {})->seq;
        QVERIFY(f.outbox.discard(create));
        QCOMPARE(f.outbox.row(deal)->state, Outbox::State::Parked);
        QVERIFY(!f.outbox.row(deal)->lastError.isEmpty());
    }

    // Run as a child process by killedProcessLosesNoQueuedEdit(): queue edits, then wait to
    // be killed with SIGKILL — no destructor, no close, no checkpoint.
    void crashChildQueuesThenWaits()
    {
        const QString path = qEnvironmentVariable("LIGHTFIELD_TST_CRASH_DB");
        if (path.isEmpty())
            QSKIP("runs only as the child of killedProcessLosesNoQueuedEdit");
        auto *store = new LocalStore(path); // never deleted: the process is killed
        QVERIFY(store->open().isOpen());
        auto *outbox = new Outbox(*store);
        for (int i = 0; i < 20; ++i) {
            const QString id = QStringLiteral("opp_%1").arg(i);
            QVERIFY(store->upsertServerRecord(kDeal,
                        serverRecord(
                            id, QStringLiteral("2026-04-20T10:00:00Z"), QStringLiteral("Deal")))
                != LocalStore::Upsert::Error);
            const std::optional<OutboxRow> row
                = outbox->enqueueUpdate(kDeal, id, fieldsBody(QStringLiteral("n"), i), {}, {});
            QVERIFY(row);
            if (i == 0)
                QVERIFY(outbox->markInFlight(row->seq));
        }
        std::fputs("QUEUED\n", stdout);
        std::fflush(stdout);
        QTest::qWait(60'000);
        QFAIL("the parent did not kill this process");
    }

    void killedProcessLosesNoQueuedEdit()
    {
#ifndef Q_OS_UNIX
        QSKIP("uses SIGKILL");
#endif
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cache.sqlite"));
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LIGHTFIELD_TST_CRASH_DB"), path);
        child.setProcessEnvironment(env);
        child.setProcessChannelMode(QProcess::MergedChannels);
        child.start(
            QCoreApplication::applicationFilePath(), {QStringLiteral("crashChildQueuesThenWaits")});
        QVERIFY(child.waitForStarted());
        QByteArray output;
        while (!output.contains("QUEUED\n") && child.state() == QProcess::Running) {
            child.waitForReadyRead(1000);
            output += child.readAll();
        }
        QVERIFY2(output.contains("QUEUED\n"), output.constData());
        child.kill(); // SIGKILL
        QVERIFY(child.waitForFinished(10'000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        QVERIFY(QFileInfo(path + QStringLiteral("-wal")).size() > 0); // never checkpointed

        Fixture f(path);
        QCOMPARE(f.opened.status, LocalStore::OpenStatus::Opened);
        QCOMPARE(f.opened.requeuedInFlight, 1);
        const QList<OutboxRow> rows = f.outbox.rows();
        QCOMPARE(rows.size(), 20);
        QSet<QString> keys;
        for (const OutboxRow &row : rows) {
            keys.insert(row.idempotencyKey);
            QCOMPARE(row.state, Outbox::State::Pending);
            QVERIFY(f.store.record(kDeal, row.recordId)->hasLocalChanges());
        }
        QCOMPARE(keys.size(), 20);
        QCOMPARE(f.outbox.nextReady(kNow, 100).size(), 20);
        f.store.close();
        QCOMPARE(scalar(path, QStringLiteral("PRAGMA integrity_check")).toString(),
            QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestOutbox)
#include "tst_outbox.moc"
