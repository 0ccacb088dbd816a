// BulkEdit against the in-process sandbox: one RecordEditService::update per
// deal with a one-key ChangeSet, sent by the SyncEngine; progress as rows leave the outbox; and
// the failure list (a deal refused locally, a deal the server parks with 404).

#include "domain/objectschema.h"
#include "edit/bulkedit.h"
#include "edit/recordeditservice.h"

#include "synctesthelpers.h"

#include <QSet>
#include <QStandardPaths>

using namespace SyncTest;

namespace {

ObjectSchema dealSchema(const Harness &h)
{
    const std::optional<StoredDefinitions> stored = h.store->definitions(kDeal);
    return stored ? ObjectSchema::fromDefinitionsJson(parseObject(stored->json)) : ObjectSchema();
}

QJsonValue serverField(const Harness &h, const QString &id, const QString &key)
{
    return h.serverRecord(id)
        .value(QStringLiteral("fields"))
        .toObject()
        .value(key)
        .toObject()
        .value(QStringLiteral("value"));
}

} // namespace

class TestBulkEdit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void editableFieldsAreWritableAndNotPerDeal();
    void refusesAFieldOrValueItCannotWrite();
    void hundredDealsSendHundredSingleKeyBodies();
    void failuresLandInTheFailureList();
};

void TestBulkEdit::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestBulkEdit::editableFieldsAreWritableAndNotPerDeal()
{
    const ObjectSchema schema
        = ObjectSchema::fromDefinitionsJson(SandboxSchema::opportunity().definitionsJson());
    QStringList keys;
    for (const FieldDefinition &field : BulkEdit::editableFields(schema))
        keys << field.key();
    for (const char *key : {"$stage", "$amount", "closeDate", "probability", "competitors",
             "forecastCategory", "isStrategic"})
        QVERIFY2(keys.contains(QString::fromLatin1(key)), key);
    for (const char *key : {"$name", "$opportunityStatus", "$summary", "$lastInteractionAt"})
        QVERIFY2(!keys.contains(QString::fromLatin1(key)), key);
}

void TestBulkEdit::refusesAFieldOrValueItCannotWrite()
{
    Harness h;
    QVERIFY(h.openStore());
    const ObjectSchema schema
        = ObjectSchema::fromDefinitionsJson(SandboxSchema::opportunity().definitionsJson());
    RecordEditService service(*h.store, *h.outbox);
    BulkEdit bulk(service);
    const QStringList ids {QStringLiteral("opp_a"), QStringLiteral("opp_b")};

    // A value of the wrong type, a read-only field, the name: nothing queued.
    QVERIFY(!bulk.apply(schema, ids, *schema.field(QStringLiteral("probability")),
        FieldValue::fromText(FieldType::Text, QStringLiteral("high"))));
    QVERIFY(!bulk.lastError().isEmpty());
    QVERIFY(!bulk.apply(schema, ids, *schema.field(QStringLiteral("$opportunityStatus")),
        FieldValue::fromText(FieldType::SingleSelect, QStringLiteral("opt_status_won"))));
    QVERIFY(!bulk.apply(schema, ids, *schema.field(QStringLiteral("$name")),
        FieldValue::fromText(FieldType::Text, QStringLiteral("Same name"))));
    QCOMPARE(bulk.total(), 0);
    QCOMPARE(h.outbox->rows().size(), 0);
}

void TestBulkEdit::hundredDealsSendHundredSingleKeyBodies()
{
    Harness h;
    QVERIFY(h.startServer({}, 120));
    QVERIFY(h.open());
    QVERIFY(h.pullOnce());
    const ObjectSchema schema = dealSchema(h);
    const FieldDefinition *field = schema.field(QStringLiteral("probability"));
    QVERIFY(field && field->isWritable());
    const QStringList ids = h.dealIds().mid(0, 100);
    QCOMPARE(ids.size(), 100);
    const double probability = 73.25;
    for (const QString &id : ids)
        QVERIFY(serverField(h, id, field->key()) != QJsonValue(probability));
    const qsizetype writesBefore = h.writes().size();

    RecordEditService service(*h.store, *h.outbox);
    BulkEdit bulk(service);
    bulk.setEngine(h.engine.get());
    QSignalSpy finished(&bulk, &BulkEdit::finished);
    QSignalSpy progress(&bulk, &BulkEdit::progressChanged);
    QVERIFY2(bulk.apply(schema, ids, *field, FieldValue::fromNumber(probability)),
        qPrintable(bulk.lastError()));

    // All queued at once, one row per deal; nothing confirmed before the server answered.
    QCOMPARE(bulk.total(), 100);
    QCOMPARE(bulk.queued(), 100);
    QCOMPARE(bulk.confirmed(), 0);
    QCOMPARE(bulk.waitingRows().size(), 100);
    QCOMPARE(h.outbox->rows().size(), 100);

    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(bulk.confirmed(), 100);
    QVERIFY(bulk.failures().isEmpty());
    QVERIFY(bulk.isFinished());
    QVERIFY(progress.size() >= 100); // confirmations arrive one by one
    QVERIFY(h.waitIdle());
    QCOMPARE(h.outbox->rows().size(), 0);

    // The sandbox received exactly 100 update bodies, one per deal, each with one key.
    const QJsonArray writes = h.writes();
    QCOMPARE(writes.size() - writesBefore, 100);
    QSet<QString> written;
    for (qsizetype i = writesBefore; i < writes.size(); ++i) {
        const QJsonObject write = writes.at(i).toObject();
        const QString path = write.value(QStringLiteral("path")).toString();
        QVERIFY2(path.startsWith(QStringLiteral("/v1/opportunities/")), qPrintable(path));
        const QJsonObject body = write.value(QStringLiteral("body")).toObject();
        QCOMPARE(body.keys(), QStringList {QStringLiteral("fields")});
        const QJsonObject fields = body.value(QStringLiteral("fields")).toObject();
        QCOMPARE(fields.keys(), QStringList {field->key()});
        QCOMPARE(fields.value(field->key()).toDouble(), probability);
        written.insert(path.mid(QStringLiteral("/v1/opportunities/").size()));
    }
    QCOMPARE(written, QSet<QString>(ids.cbegin(), ids.cend()));
    for (const QString &id : ids)
        QCOMPARE(serverField(h, id, field->key()), QJsonValue(probability));
}

void TestBulkEdit::failuresLandInTheFailureList()
{
    Harness h;
    QVERIFY(h.startServer({}, 20));
    QVERIFY(h.open());
    QVERIFY(h.pullOnce());
    const ObjectSchema schema = dealSchema(h);
    const FieldDefinition *field = schema.field(QStringLiteral("probability"));
    QVERIFY(field);
    QStringList ids = h.dealIds().mid(0, 5);

    // A deal cached locally that the server no longer has (its update is parked with 404), and
    // a deal that is not in the local copy at all (refused before anything is queued).
    const QString ghost = QStringLiteral("opp_ghost0000000000000000");
    QJsonObject ghostJson = h.localRecord(ids.first());
    ghostJson.insert(QStringLiteral("id"), ghost);
    h.store->upsertServerRecord(kDeal, compactJson(ghostJson));
    const QString nowhere = QStringLiteral("opp_nowhere000000000000000");
    ids << ghost << nowhere;

    RecordEditService service(*h.store, *h.outbox);
    BulkEdit bulk(service);
    bulk.setEngine(h.engine.get());
    QSignalSpy finished(&bulk, &BulkEdit::finished);
    QSignalSpy failed(&bulk, &BulkEdit::failed);
    QVERIFY(bulk.apply(schema, ids, *field, FieldValue::fromNumber(61.5)));
    QCOMPARE(bulk.total(), 7);
    QCOMPARE(bulk.queued(), 6);
    QCOMPARE(bulk.failedCount(), 1);
    QCOMPARE(bulk.failures().first().recordId, nowhere);
    QCOMPARE(bulk.failures().first().seq, 0);
    QVERIFY(!bulk.failures().first().message.isEmpty());

    QVERIFY(finished.wait(60000));
    QCOMPARE(bulk.confirmed(), 5);
    QCOMPARE(bulk.failedCount(), 2);
    QCOMPARE(failed.size(), 2);
    const BulkEdit::Failure parked = bulk.failures().at(1);
    QCOMPARE(parked.recordId, ghost);
    QVERIFY(parked.seq > 0);
    QVERIFY(!parked.message.isEmpty());
    // The parked row waits in the outbox for the rep (retry or discard).
    const std::optional<OutboxRow> row = h.outbox->row(parked.seq);
    QVERIFY(row);
    QCOMPARE(row->state, OutboxRow::State::Parked);
    QCOMPARE(h.outbox->counts().parked, 1);
    for (const QString &id : ids.mid(0, 5))
        QCOMPARE(serverField(h, id, field->key()), QJsonValue(61.5));
}

QTEST_GUILESS_MAIN(TestBulkEdit)
#include "tst_bulkedit.moc"
