// Writes that mean the same under either reading of what the API documentation leaves open,
// against the sandbox under each reading (its switches, one QTest data row per value): ADDRESS
// merge or replace, which form clears a list, TELEPHONE's write shape, HAS_MANY undo and
// `$account` on update. What the server received is read from its /__sandbox/writes log.

#include "domain/recordjson.h"
#include "edittesthelpers.h"

#include <QStandardPaths>

using namespace EditTest;

Q_DECLARE_METATYPE(SandboxWriteRules::AddressWrite)
Q_DECLARE_METATYPE(SandboxWriteRules::MultiClear)

namespace {

const QString kAddress = QStringLiteral("deliveryAddress");
const QString kCompetitors = QStringLiteral("competitors");
const QString kBillingEmail = QStringLiteral("billingEmail");
const QString kEvaluator = QStringLiteral("$evaluator");
const QString kDeskPhone = QStringLiteral("deskPhone");

QJsonObject bodyOf(const QJsonValue &write)
{
    return write.toObject().value(QStringLiteral("body")).toObject();
}

int statusOf(const QJsonValue &write)
{
    return write.toObject().value(QStringLiteral("status")).toInt();
}

/** The writes received after the first `from` of them. */
QJsonArray writesSince(const QJsonArray &writes, qsizetype from)
{
    QJsonArray result;
    for (qsizetype i = from; i < writes.size(); ++i)
        result.append(writes.at(i));
    return result;
}

} // namespace

class TestWriteReadings final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Fixture> f;

    void start(
        bool offline, SandboxConfig config = {}, std::function<void(SandboxServer &)> prepare = {})
    {
        f = std::make_unique<Fixture>();
        f->prepare = std::move(prepare);
        QVERIFY(f->start(offline, 6, std::move(config)));
    }

    RecordEditService::Result edit(const QString &id, const QString &key, const FieldValue &value)
    {
        return f->service->update(f->schema, id, f->set(key, value));
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void cleanup() { f.reset(); }

    void clearingOneAddressPartReachesTheServer_data()
    {
        QTest::addColumn<SandboxWriteRules::AddressWrite>("reading");
        QTest::newRow("merge") << SandboxWriteRules::AddressWrite::Merge;
        QTest::newRow("replace") << SandboxWriteRules::AddressWrite::Replace;
    }

    void clearingOneAddressPartReachesTheServer()
    {
        QFETCH(SandboxWriteRules::AddressWrite, reading);
        SandboxConfig config;
        config.writeRules.addressWrite = reading;
        start(false, config);
        const QString id = f->h.dealIds().at(1);
        Address full;
        full.street = QStringLiteral("1 Main St");
        full.street2 = QStringLiteral("Suite 400");
        full.city = QStringLiteral("Austin");
        full.country = QStringLiteral("US");
        QVERIFY(edit(id, kAddress, FieldValue::fromAddress(full)).ok);
        QVERIFY(f->h.waitIdle());

        Address cleared = full;
        cleared.street2.clear();
        const qsizetype before = f->h.writes().size();
        const RecordEditService::Result result
            = edit(id, kAddress, FieldValue::fromAddress(cleared));
        QVERIFY2(result.ok, qPrintable(result.error));
        QVERIFY(f->h.waitIdle());

        const QJsonArray writes = writesSince(f->h.writes(), before);
        QCOMPARE(writes.size(), 1);
        QCOMPARE(statusOf(writes.first()), 200);
        // The whole object goes out, the cleared part as null: the same under both readings.
        const QJsonObject sent = bodyOf(writes.first())
                                     .value(QStringLiteral("fields"))
                                     .toObject()
                                     .value(kAddress)
                                     .toObject();
        QCOMPARE(sent.size(), 8);
        QVERIFY(sent.contains(QStringLiteral("street2")));
        QVERIFY(sent.value(QStringLiteral("street2")).isNull());
        const QJsonObject server
            = RecordJson::fieldValue(f->h.serverRecord(id), kAddress).toObject();
        QVERIFY(server.value(QStringLiteral("street2")).isNull());
        QCOMPARE(server.value(QStringLiteral("street")).toString(), full.street);
        QCOMPARE(server.value(QStringLiteral("city")).toString(), full.city);
        QCOMPARE(f->current(id).value(kAddress).toAddress(), cleared);
    }

    void clearingAListWorksAndTheFormIsRemembered_data()
    {
        QTest::addColumn<SandboxWriteRules::MultiClear>("reading");
        QTest::addColumn<QString>("learned");
        QTest::newRow("null") << SandboxWriteRules::MultiClear::Null << QStringLiteral("null");
        QTest::newRow("empty") << SandboxWriteRules::MultiClear::Empty << QStringLiteral("empty");
        QTest::newRow("both") << SandboxWriteRules::MultiClear::Both << QStringLiteral("null");
    }

    void clearingAListWorksAndTheFormIsRemembered()
    {
        QFETCH(SandboxWriteRules::MultiClear, reading);
        QFETCH(QString, learned);
        SandboxConfig config;
        config.writeRules.multiClear = reading;
        start(false, config);
        const QString first = f->h.dealIds().at(2);
        const QString second = f->h.dealIds().at(3);
        QVERIFY(edit(first, kCompetitors,
            FieldValue::fromStringList(
                FieldType::MultiSelect, {f->optionId(kCompetitors, QStringLiteral("Attio"))}))
                    .ok);
        QVERIFY(edit(second, kBillingEmail,
            FieldValue::fromStringList(FieldType::Email, {QStringLiteral("ap@example.com")}))
                    .ok);
        QVERIFY(f->h.waitIdle());
        const int appliedBefore
            = f->h.server->stats().value(QStringLiteral("writesApplied")).toInt();

        // The first clear: `null`, as documented; a workspace that refuses it gets `[]` once,
        // in the same outbox row under a new key.
        qsizetype before = f->h.writes().size();
        QSignalSpy succeeded(f->h.engine.get(), &SyncEngine::rowSucceeded);
        QSignalSpy parked(f->h.engine.get(), &SyncEngine::rowParked);
        const RecordEditService::Result clear
            = edit(first, kCompetitors, FieldValue::null(FieldType::MultiSelect));
        QVERIFY2(clear.ok, qPrintable(clear.error));
        QVERIFY(f->h.waitIdle());
        QCOMPARE(f->h.outbox->counts().total(), 0);
        // One row, the one queued, settled once: the resend did not take a row of its own.
        QCOMPARE(succeeded.size(), 1);
        QCOMPARE(succeeded.first().at(0).toLongLong(), clear.seq);
        QCOMPARE(parked.size(), 0);
        QJsonArray writes = writesSince(f->h.writes(), before);
        const bool refusesNull = reading == SandboxWriteRules::MultiClear::Empty;
        QCOMPARE(writes.size(), refusesNull ? 2 : 1);
        QVERIFY(bodyOf(writes.first())[QStringLiteral("fields")][kCompetitors].isNull());
        if (refusesNull) {
            QCOMPARE(statusOf(writes.at(0)), 400);
            QCOMPARE(statusOf(writes.at(1)), 200);
            QCOMPARE(bodyOf(writes.at(1))[QStringLiteral("fields")][kCompetitors],
                QJsonValue(QJsonArray()));
            // A new body, a new key: the refused key is never reused for it.
            QVERIFY(writes.at(0)[QStringLiteral("idempotencyKey")]
                != writes.at(1)[QStringLiteral("idempotencyKey")]);
        }
        QCOMPARE(writes.last()[QStringLiteral("status")].toInt(), 200);
        QVERIFY(RecordJson::fieldValue(f->h.serverRecord(first), kCompetitors).isNull());
        QCOMPARE(f->h.store->meta(StoreMeta::kListClearForm).value_or(QString()), learned);

        // The next clear (another field, another deal) goes out in that form at once.
        before = f->h.writes().size();
        QVERIFY(edit(second, kBillingEmail, FieldValue::null(FieldType::Email)).ok);
        QVERIFY(f->h.waitIdle());
        writes = writesSince(f->h.writes(), before);
        QCOMPARE(writes.size(), 1);
        QCOMPARE(statusOf(writes.first()), 200);
        const QJsonValue sent = bodyOf(writes.first())[QStringLiteral("fields")][kBillingEmail];
        QCOMPARE(sent, refusesNull ? QJsonValue(QJsonArray()) : QJsonValue(QJsonValue::Null));
        QVERIFY(RecordJson::fieldValue(f->h.serverRecord(second), kBillingEmail).isNull());

        // Exactly once: two clears, two writes applied, no key reused for another body.
        const QJsonObject stats = f->h.server->stats();
        QCOMPARE(stats.value(QStringLiteral("writesApplied")).toInt(), appliedBefore + 2);
        QCOMPARE(stats.value(QStringLiteral("idempotencyMismatches")).toInt(), 0);
    }

    // The form is swapped once, never back: a field refused in both forms is parked.
    void aListClearRefusedBothWaysIsParked()
    {
        SandboxConfig config;
        config.writeRules.multiClear = SandboxWriteRules::MultiClear::Empty;
        start(false, config);
        const QString id = f->h.dealIds().at(2);
        QVERIFY(edit(id, kCompetitors,
            FieldValue::fromStringList(
                FieldType::MultiSelect, {f->optionId(kCompetitors, QStringLiteral("Attio"))}))
                    .ok);
        QVERIFY(f->h.waitIdle());
        // As if `[]` had been refused before (by this workspace, for another reason).
        QVERIFY(f->h.store->setMeta(StoreMeta::kListClearRefused, QStringLiteral("empty")));
        const qsizetype before = f->h.writes().size();
        QSignalSpy parked(f->h.engine.get(), &SyncEngine::rowParked);
        QVERIFY(edit(id, kCompetitors, FieldValue::null(FieldType::MultiSelect)).ok);
        QVERIFY(parked.wait(10000));
        const QJsonArray writes = writesSince(f->h.writes(), before);
        QCOMPARE(writes.size(), 1);
        QCOMPARE(statusOf(writes.first()), 400);
        QCOMPARE(f->h.outbox->counts().parked, 1);
        QCOMPARE(parked.first().at(2).toString(), kCompetitors);
        QVERIFY(!RecordJson::fieldValue(f->h.serverRecord(id), kCompetitors).isNull());
    }

    void undoOfTheFirstContactAddLeavesNone_data()
    {
        QTest::addColumn<bool>("sentFirst");
        QTest::newRow("undone before it was sent") << false;
        QTest::newRow("undone after it was sent") << true;
    }

    void undoOfTheFirstContactAddLeavesNone()
    {
        QFETCH(bool, sentFirst);
        // A deal with no evaluators yet.
        start(!sentFirst, {}, [](SandboxServer &server) {
            const QString id = server.store().ids(kDeal).at(4);
            const auto result = server.store().update(kDeal, id,
                QJsonObject {{QStringLiteral("relationships"),
                    QJsonObject {
                        {kEvaluator, QJsonObject {{QStringLiteral("replace"), QJsonArray()}}}}}});
            QVERIFY(std::holds_alternative<QJsonObject>(result));
        });
        const QString id = f->h.dealIds().at(4);
        QVERIFY(f->current(id).relatedIds(kEvaluator).isEmpty());
        const QString contact = f->contactOtherThan({});
        const qsizetype before = f->h.writes().size();

        const ChangeSet add = ChangeSet::fromEdits(
            f->schema, f->current(id), {}, {{kEvaluator, QStringList {contact}}});
        const RecordEditService::Result added = f->service->update(f->schema, id, add);
        QVERIFY2(added.ok, qPrintable(added.error));
        if (sentFirst)
            QVERIFY(f->h.waitIdle());
        // The inverse takes the added id back; it never empties the list with `replace: []`.
        QCOMPARE(
            added.inverse.relationshipChange(kEvaluator).operation, ChangeSet::Operation::Remove);
        QCOMPARE(added.inverse.relationshipChange(kEvaluator).ids, QStringList {contact});
        const RecordEditService::Result undone = f->service->update(f->schema, id, added.inverse);
        QVERIFY2(undone.ok, qPrintable(undone.error));
        if (!sentFirst) {
            QCOMPARE(undone.seq, 0); // the unsent add is taken out of the outbox
            QCOMPARE(f->h.outbox->counts().total(), 0);
        }
        QVERIFY(f->syncNow());

        QVERIFY(RecordJson::relatedIds(f->h.serverRecord(id), kEvaluator).isEmpty());
        QVERIFY(f->current(id).relatedIds(kEvaluator).isEmpty());
        const QJsonArray writes = writesSince(f->h.writes(), before);
        QCOMPARE(writes.size(), sentFirst ? 2 : 0);
        for (const QJsonValue &write : writes) {
            const QJsonObject operation
                = bodyOf(write)[QStringLiteral("relationships")][kEvaluator].toObject();
            QVERIFY2(!operation.contains(QStringLiteral("replace")),
                qPrintable(QString::fromUtf8(QJsonDocument(operation).toJson())));
        }
    }

    void telephoneIsWrittenAsAnArray_data()
    {
        QTest::addColumn<QJsonValue>("multipleValues");
        QTest::newRow("multipleValues false") << QJsonValue(false);
        QTest::newRow("multipleValues absent") << QJsonValue(QJsonValue::Undefined);
    }

    void telephoneIsWrittenAsAnArray()
    {
        QFETCH(QJsonValue, multipleValues);
        start(false, {}, [multipleValues](SandboxServer &server) {
            SandboxFieldDef phone;
            phone.key = kDeskPhone;
            phone.id = QStringLiteral("ad_deskphone");
            phone.label = QStringLiteral("Desk phone");
            phone.valueType = QStringLiteral("TELEPHONE");
            if (!multipleValues.isUndefined())
                phone.typeConfiguration.insert(QStringLiteral("multipleValues"), multipleValues);
            server.store().addField(kDeal, phone);
        });
        const FieldDefinition &definition = f->field(kDeskPhone);
        QVERIFY(definition.isWritable());
        const QString id = f->h.dealIds().at(5);
        qsizetype before = f->h.writes().size();
        QVERIFY(edit(id, kDeskPhone,
            FieldValue::fromStringList(FieldType::Telephone, {QStringLiteral("+15125550100")}))
                    .ok);
        QVERIFY(f->h.waitIdle());
        QJsonArray writes = writesSince(f->h.writes(), before);
        QCOMPARE(writes.size(), 1);
        QCOMPARE(statusOf(writes.first()), 200);
        QCOMPARE(bodyOf(writes.first())[QStringLiteral("fields")][kDeskPhone],
            QJsonValue(QJsonArray {QStringLiteral("+15125550100")}));
        // Read back (a string from this single-valued field) as the same one number.
        QVERIFY(f->h.pullOnce());
        QCOMPARE(f->current(id).value(kDeskPhone).toStringList(),
            QStringList {QStringLiteral("+15125550100")});
        QVERIFY(!f->h.store->record(kDeal, id)->hasLocalChanges());

        before = f->h.writes().size();
        QVERIFY(edit(id, kDeskPhone, FieldValue::null(FieldType::Telephone)).ok);
        QVERIFY(f->h.waitIdle());
        writes = writesSince(f->h.writes(), before);
        QCOMPARE(writes.size(), 1);
        QCOMPARE(statusOf(writes.first()), 200);
        QVERIFY(RecordJson::fieldValue(f->h.serverRecord(id), kDeskPhone).isNull());
    }

    void accountOnUpdate_data()
    {
        QTest::addColumn<bool>("allowed");
        QTest::newRow("allowed") << true;
        QTest::newRow("refused") << false;
    }

    // `$account` is editable on an existing deal only when its definition says so; a row that
    // changes it anyway (queued by an earlier version) and is refused is parked with a message.
    void accountOnUpdate()
    {
        QFETCH(bool, allowed);
        SandboxConfig config;
        config.writeRules.accountOnUpdate = allowed;
        start(false, config);
        const RelationshipDefinition &account = f->relationship(QStringLiteral("$account"));
        QCOMPARE(account.isCreateOnly(), !allowed);
        QCOMPARE(account.isUpdatable(), allowed);

        const QString id = f->h.dealIds().at(0);
        const QString oldAccount = f->current(id).relatedIds(QStringLiteral("$account")).value(0);
        QString newAccount;
        for (const QString &candidate : f->h.server->store().ids(QStringLiteral("account"))) {
            if (candidate != oldAccount)
                newAccount = candidate;
        }
        ChangeSet move;
        move.setRelationship(account, ChangeSet::Operation::Replace, {newAccount});
        const RecordEditService::Result moved = f->service->update(f->schema, id, move);
        QCOMPARE(moved.ok, allowed);
        if (!allowed) {
            QVERIFY(moved.error.contains(QStringLiteral("Account")));
            QCOMPARE(f->h.outbox->counts().total(), 0);
            // What an earlier version queued: the server refuses it, the row is parked.
            QSignalSpy parked(f->h.engine.get(), &SyncEngine::rowParked);
            const QJsonObject body {{QStringLiteral("relationships"),
                QJsonObject {{QStringLiteral("$account"),
                    QJsonObject {{QStringLiteral("replace"), newAccount}}}}}};
            QVERIFY(f->h.outbox->enqueueUpdate(kDeal, id, compactJson(body),
                f->h.storedUpdatedAt(id), QJsonObject {{QStringLiteral("$account"), oldAccount}}));
            QVERIFY(parked.wait(10000));
            QCOMPARE(parked.first().at(2).toString(), QStringLiteral("$account"));
            const QString message = parked.first().at(3).toString();
            QVERIFY2(message.contains(QStringLiteral("“Account”"))
                    && message.contains(QStringLiteral("existing deal")),
                qPrintable(message));
            const QList<OutboxRow> rows = f->h.outbox->rows();
            QCOMPARE(rows.size(), 1);
            QCOMPARE(rows.first().state, OutboxRow::State::Parked);
            QCOMPARE(ParkedError::decode(rows.first().lastError).message, message);
            QCOMPARE(ParkedError::decode(rows.first().lastError).httpStatus, 400);
        } else {
            QVERIFY(f->h.waitIdle());
        }
        QCOMPARE(RecordJson::relatedIds(f->h.serverRecord(id), QStringLiteral("$account")),
            QStringList {allowed ? newAccount : oldAccount});
    }
};

QTEST_GUILESS_MAIN(TestWriteReadings)
#include "tst_writereadings.moc"
