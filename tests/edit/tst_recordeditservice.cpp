// RecordEditService: the one path from a ChangeSet to the outbox, against the
// in-process sandbox. What the server receives is read from its /__sandbox/writes log.

#include "domain/recordjson.h"
#include "edittesthelpers.h"

#include <QStandardPaths>

using namespace EditTest;

class TestRecordEditService final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Fixture> f;

    void start(bool offline)
    {
        f = std::make_unique<Fixture>();
        QVERIFY(f->start(offline));
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void cleanup() { f.reset(); }

    void updateQueuesExactlyTheChangedKeys()
    {
        start(true);
        const QString id = f->h.dealIds().at(0);
        const Record before = f->current(id);
        QVERIFY(before.isValid());
        const QString contact = f->contactOtherThan(before.relatedIds(QStringLiteral("$champion")));
        QVERIFY(!contact.isEmpty());
        // Probability is "edited" to the value it has: it is no change and is left out.
        const ChangeSet changes = ChangeSet::fromEdits(f->schema, before,
            {{QStringLiteral("$name"),
                 FieldValue::fromText(FieldType::Text, QStringLiteral("Renamed"))},
                {QStringLiteral("nextSteps"),
                    FieldValue::fromText(FieldType::Markdown, QStringLiteral("Send the MSA"))},
                {QStringLiteral("probability"), before.value(QStringLiteral("probability"))}},
            {{QStringLiteral("$champion"), {contact}}});
        QCOMPARE(changes.fieldKeys(),
            (QStringList {QStringLiteral("$name"), QStringLiteral("nextSteps")}));
        QSignalSpy changed(f->service.get(), &RecordEditService::recordChanged);

        const RecordEditService::Result result = f->service->update(f->schema, id, changes);
        QVERIFY2(result.ok, qPrintable(result.error));
        QCOMPARE(result.recordId, id);
        QCOMPARE(result.applied, changes);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(1).toString(), id);

        const QList<OutboxRow> rows = f->h.outbox->rows();
        QCOMPARE(rows.size(), 1);
        const OutboxRow &row = rows.first();
        QCOMPARE(row.seq, result.seq);
        QCOMPARE(row.body, changes.toUpdateBody());
        const QJsonObject body = parseObject(row.body);
        QCOMPARE(body.value(QStringLiteral("fields")).toObject().keys(),
            (QStringList {QStringLiteral("$name"), QStringLiteral("nextSteps")}));
        QCOMPARE(body.value(QStringLiteral("relationships")).toObject().keys(),
            QStringList {QStringLiteral("$champion")});
        QCOMPARE(row.baseUpdatedAt, f->h.storedUpdatedAt(id));
        // Bases: each changed key as it was, in the bare write shape.
        QCOMPARE(row.baseValues.keys(),
            (QStringList {QStringLiteral("$champion"), QStringLiteral("$name"),
                QStringLiteral("nextSteps")}));
        QCOMPARE(row.baseValues.value(QStringLiteral("$name")).toString(),
            before.value(QStringLiteral("$name")).toText());
        QCOMPARE(row.baseValues.value(QStringLiteral("nextSteps")),
            before.value(QStringLiteral("nextSteps"))
                .toJson(f->field(QStringLiteral("nextSteps"))));
        const QStringList championBefore = before.relatedIds(QStringLiteral("$champion"));
        QCOMPARE(row.baseValues.value(QStringLiteral("$champion")),
            championBefore.isEmpty() ? QJsonValue(QJsonValue::Null)
                                     : QJsonValue(championBefore.first()));

        // The optimistic copy is what the store shows now.
        const std::optional<StoredRecord> stored = f->h.store->record(kDeal, id);
        QVERIFY(stored && stored->hasLocalChanges());
        const Record shown = Record::fromJson(parseObject(stored->effectiveJson()), f->schema);
        QCOMPARE(shown.value(QStringLiteral("$name")).toText(), QStringLiteral("Renamed"));
        QCOMPARE(shown.value(QStringLiteral("nextSteps")).toText(), QStringLiteral("Send the MSA"));
        QCOMPARE(shown.relatedIds(QStringLiteral("$champion")), QStringList {contact});
        QCOMPARE(shown.value(QStringLiteral("$amount")), before.value(QStringLiteral("$amount")));

        // The inverse puts every changed key back.
        QCOMPARE(result.inverse.fieldKeys(), changes.fieldKeys());
        QCOMPARE(
            result.inverse.value(QStringLiteral("$name")), before.value(QStringLiteral("$name")));
        QCOMPARE(result.inverse.value(QStringLiteral("nextSteps")),
            before.value(QStringLiteral("nextSteps")));
        QVERIFY(result.inverse.containsRelationship(QStringLiteral("$champion")));
        const ChangeSet::RelationshipChange back
            = result.inverse.relationshipChange(QStringLiteral("$champion"));
        if (championBefore.isEmpty()) {
            QCOMPARE(back.operation, ChangeSet::Operation::Remove);
            QCOMPARE(back.ids, QStringList {contact});
        } else {
            QCOMPARE(back.operation, ChangeSet::Operation::Replace);
            QCOMPARE(back.ids, championBefore);
        }
    }

    void aKeyThatHadNoValueRecordsANullBase()
    {
        start(false);
        // A colleague empties the deal's next steps; the cache learns it on the next pull.
        const QString id = f->h.dealIds().at(0);
        const QString key = QStringLiteral("nextSteps");
        QVERIFY(f->h.colleagueEdit(id, key, QJsonValue(QJsonValue::Null)));
        QVERIFY(f->h.pullOnce());
        f->h.engine->setWorkOffline(true);
        const Record before = f->current(id);
        QVERIFY(before.value(key).isNull());

        const ChangeSet changes = ChangeSet::fromEdits(f->schema, before,
            {{key, FieldValue::fromText(FieldType::Markdown, QStringLiteral("First value"))}}, {});
        const RecordEditService::Result result = f->service->update(f->schema, id, changes);
        QVERIFY2(result.ok, qPrintable(result.error));
        const std::optional<OutboxRow> row = f->h.outbox->row(result.seq);
        QVERIFY(row);
        // Recorded as null, not left out: "the server had nothing" is a base like any other,
        // so a colleague who fills the field meanwhile makes a conflict.
        QVERIFY2(row->baseValues.contains(key), qPrintable(key));
        QCOMPARE(row->baseValues.value(key), QJsonValue(QJsonValue::Null));
    }

    void emptyChangeSetQueuesNothing()
    {
        start(true);
        const QString id = f->h.dealIds().at(1);
        QSignalSpy changed(f->service.get(), &RecordEditService::recordChanged);
        const RecordEditService::Result result = f->service->update(f->schema, id, ChangeSet());
        QVERIFY(result.ok);
        QCOMPARE(result.seq, 0);
        QVERIFY(result.inverse.isEmpty());
        QCOMPARE(f->h.outbox->counts().total(), 0);
        QVERIFY(!f->h.store->record(kDeal, id)->hasLocalChanges());
        QCOMPARE(changed.size(), 0);
    }

    void updateOfAnUnknownRecordIsRefused()
    {
        start(true);
        const RecordEditService::Result result
            = f->service->update(f->schema, QStringLiteral("opp_does_not_exist"),
                f->set(QStringLiteral("probability"), FieldValue::fromNumber(5)));
        QVERIFY(!result.ok);
        QVERIFY(!result.error.isEmpty());
        QCOMPARE(f->service->lastError(), result.error);
        QCOMPARE(f->h.outbox->counts().total(), 0);
    }

    void createRefusesMissingRequiredFields()
    {
        start(true);
        const ChangeSet onlyName = ChangeSet::forCreate(f->schema,
            {{QStringLiteral("$name"),
                FieldValue::fromText(FieldType::Text, QStringLiteral("Half"))}});
        QCOMPARE(RecordEditService::missingRequired(f->schema, onlyName),
            (QStringList {QStringLiteral("Stage"), QStringLiteral("Account")}));
        QSignalSpy changed(f->service.get(), &RecordEditService::recordChanged);
        const RecordEditService::Result result = f->service->create(f->schema, onlyName);
        QVERIFY(!result.ok);
        QVERIFY2(result.error.contains(QLatin1String("Stage"))
                && result.error.contains(QLatin1String("Account")),
            qPrintable(result.error));
        QVERIFY(!result.error.contains(QLatin1String("Name")));
        QCOMPARE(f->h.outbox->counts().total(), 0);
        QCOMPARE(changed.size(), 0);
        QVERIFY(RecordEditService::missingRequired(f->schema, f->newDeal(QStringLiteral("Whole")))
                    .isEmpty());
    }

    void createGivesATemporaryIdAndAnOptimisticRecord()
    {
        start(true);
        const int before = f->h.store->recordCount(kDeal);
        const ChangeSet changes = f->newDeal(QStringLiteral("Fresh deal"));
        const RecordEditService::Result result = f->service->create(f->schema, changes);
        QVERIFY2(result.ok, qPrintable(result.error));
        QVERIFY(Outbox::isTemporaryId(result.recordId));
        const std::optional<OutboxRow> row = f->h.outbox->row(result.seq);
        QVERIFY(row);
        QCOMPARE(row->op, Outbox::Op::Create);
        QCOMPARE(row->recordId, result.recordId);
        QCOMPARE(row->body, changes.toCreateBody());
        QCOMPARE(f->h.store->recordCount(kDeal), before + 1);
        const std::optional<StoredRecord> stored = f->h.store->record(kDeal, result.recordId);
        QVERIFY(stored && stored->hasLocalChanges());
        const Record shown = Record::fromJson(parseObject(stored->effectiveJson()), f->schema);
        QCOMPARE(shown.id(), result.recordId);
        QVERIFY(shown.createdAt().isValid());
        QCOMPARE(shown.value(QStringLiteral("$name")).toText(), QStringLiteral("Fresh deal"));
        QCOMPARE(shown.value(QStringLiteral("$amount")).toCents(), 1500000);
        QCOMPARE(shown.value(QStringLiteral("$stage")), changes.value(QStringLiteral("$stage")));
        QCOMPARE(shown.relatedIds(QStringLiteral("$account")),
            changes.relationshipChange(QStringLiteral("$account")).ids);
        QCOMPARE(shown.relationship(QStringLiteral("$account")).cardinality, Cardinality::HasOne);
        // Undo before it was sent: row and record go.
        QVERIFY(f->service->undoCreate(kDeal, result.recordId));
        QCOMPARE(f->h.outbox->counts().total(), 0);
        QVERIFY(!f->h.store->record(kDeal, result.recordId));
    }

    // Every writable value type: one edit through the service reaches the server as exactly
    // that one key under "fields", and the server then holds the value.
    void eachWritableTypeSendsOnlyItsKey_data()
    {
        QTest::addColumn<QString>("typeName");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("first");
        QTest::addColumn<QJsonValue>("second"); // used when the deal already holds `first`
        auto row = [](const char *type, const char *key, const QJsonValue &a, const QJsonValue &b) {
            QTest::newRow(type) << QString::fromLatin1(type) << QString::fromLatin1(key) << a << b;
        };
        row("TEXT", "$name", QStringLiteral("Renamed deal"), QStringLiteral("Renamed again"));
        row("MARKDOWN", "nextSteps", QStringLiteral("**Call** Bob"), QStringLiteral("_Wait_"));
        row("NUMBER", "probability", 37, 38);
        row("CURRENCY", "$amount", 12345.5, 777);
        row("CHECKBOX", "isStrategic", true, false);
        row("DATETIME", "closeDate", QStringLiteral("2027-01-15T12:00:00+00:00"),
            QStringLiteral("2027-02-15T12:00:00+00:00"));
        row("EMAIL", "billingEmail", QJsonArray {QStringLiteral("ap@example.com")},
            QJsonArray {QStringLiteral("billing@example.com")});
        row("URL", "dealRoom", QStringLiteral("https://rooms.example.com/acme"),
            QStringLiteral("https://rooms.example.com/other"));
        row("TELEPHONE", "buyerPhones", QJsonArray {QStringLiteral("+14155550123")},
            QJsonArray {QStringLiteral("+14155550199")});
        row("SINGLE_SELECT", "forecastCategory", QStringLiteral("Commit"),
            QStringLiteral("Best case"));
        row("MULTI_SELECT", "competitors", QJsonArray {QStringLiteral("Attio")},
            QJsonArray {QStringLiteral("HubSpot"), QStringLiteral("Pipedrive")});
        row("ADDRESS", "deliveryAddress",
            QJsonObject {{QStringLiteral("street"), QStringLiteral("1 Main St")},
                {QStringLiteral("city"), QStringLiteral("Springfield")},
                {QStringLiteral("country"), QStringLiteral("US")}},
            QJsonObject {{QStringLiteral("city"), QStringLiteral("Lyon")},
                {QStringLiteral("country"), QStringLiteral("FR")}});
        row("FULL_NAME", "economicBuyer",
            QJsonObject {{QStringLiteral("firstName"), QStringLiteral("Ada")},
                {QStringLiteral("lastName"), QStringLiteral("Lovelace")}},
            QJsonObject {{QStringLiteral("firstName"), QStringLiteral("Grace")},
                {QStringLiteral("lastName"), QStringLiteral("Hopper")}});
        row("SOCIAL_HANDLE", "buyerLinkedIn", QStringLiteral("https://linkedin.com/in/ada"),
            QStringLiteral("https://linkedin.com/in/grace"));
    }

    void eachWritableTypeSendsOnlyItsKey()
    {
        QFETCH(QString, typeName);
        QFETCH(QString, key);
        QFETCH(QJsonValue, first);
        QFETCH(QJsonValue, second);
        start(false);
        const FieldDefinition &definition = f->field(key);
        QCOMPARE(fieldTypeName(definition.type()), typeName);
        QVERIFY(definition.isWritable());
        // Select values are written as option ids, looked up by label.
        auto toOptionIds = [&](const QJsonValue &labels) -> QJsonValue {
            if (definition.type() == FieldType::SingleSelect)
                return f->optionId(key, labels.toString());
            if (definition.type() != FieldType::MultiSelect)
                return labels;
            QJsonArray ids;
            for (const QJsonValue &label : labels.toArray())
                ids.append(f->optionId(key, label.toString()));
            return ids;
        };
        const QString id = f->h.dealIds().at(3);
        const Record before = f->current(id);
        FieldValue value = FieldValue::fromJson(definition, toOptionIds(first));
        if (value == before.value(key))
            value = FieldValue::fromJson(definition, toOptionIds(second));
        QVERIFY(!value.isNull() && !value.isRaw());
        QVERIFY(!(value == before.value(key)));
        const qsizetype writesBefore = f->h.writes().size();

        const RecordEditService::Result result
            = f->service->update(f->schema, id, f->set(key, value));
        QVERIFY2(result.ok, qPrintable(result.error));
        QVERIFY(result.seq > 0);
        QVERIFY(f->h.waitIdle());

        const QJsonArray writes = f->h.writes();
        QCOMPARE(writes.size(), writesBefore + 1);
        const QJsonObject write = writes.last().toObject();
        QCOMPARE(write.value(QStringLiteral("path")).toString(),
            QStringLiteral("/v1/opportunities/") + id);
        QCOMPARE(write.value(QStringLiteral("status")).toInt(), 200);
        const QJsonObject body = write.value(QStringLiteral("body")).toObject();
        QCOMPARE(body.keys(), QStringList {QStringLiteral("fields")});
        const QJsonObject fields = body.value(QStringLiteral("fields")).toObject();
        QCOMPARE(fields.keys(), QStringList {key});
        QCOMPARE(fields.value(key), value.toJson(definition));
        // The server holds it, and so does the store (no local changes left).
        const QJsonObject server = f->h.serverRecord(id);
        QVERIFY2(RecordJson::sameValue(
                     RecordJson::fieldValue(server, key), value.toJson(definition), typeName),
            qPrintable(QString::fromUtf8(compactJson(server))));
        QVERIFY(!f->h.store->record(kDeal, id)->hasLocalChanges());
        QCOMPARE(f->current(id).value(key),
            FieldValue::fromJson(definition, RecordJson::fieldValue(server, key)));
    }

    void offlineCreateReachesTheServerOnce()
    {
        start(true);
        const int serverBefore = f->h.server->store().count(kDeal);
        const ChangeSet changes = f->newDeal(QStringLiteral("Made offline"));
        const RecordEditService::Result result = f->service->create(f->schema, changes);
        QVERIFY2(result.ok, qPrintable(result.error));
        const QString temporary = result.recordId;
        QVERIFY(f->h.store->record(kDeal, temporary));
        QCOMPARE(f->h.server->store().count(kDeal), serverBefore);
        QVERIFY(f->h.writes().isEmpty());

        QVERIFY(f->syncNow());
        QCOMPARE(f->h.server->store().count(kDeal), serverBefore + 1);
        const QStringList created = f->serverDealsNamed(QStringLiteral("Made offline"));
        QCOMPARE(created.size(), 1);
        const QString serverId = created.first();
        QCOMPARE(f->h.writes().size(), 1);
        QCOMPARE(f->h.writes().first().toObject().value(QStringLiteral("path")).toString(),
            QStringLiteral("/v1/opportunities"));
        // The temporary id is gone locally; the server's id took its place.
        QVERIFY(!f->h.store->record(kDeal, temporary));
        QVERIFY(f->h.store->record(kDeal, serverId));
        QVERIFY(!f->h.store->record(kDeal, serverId)->hasLocalChanges());
        QCOMPARE(f->service->resolvedId(temporary), serverId);
        QCOMPARE(f->current(temporary).id(), serverId);
        const QJsonObject server = f->h.serverRecord(serverId);
        QCOMPARE(RecordJson::fieldValue(server, QStringLiteral("$amount")).toDouble(), 15000.0);
        // Too late to take back.
        QVERIFY(!f->service->undoCreate(kDeal, temporary));
        QVERIFY(f->service->lastError().contains(QLatin1String("already on the server")));
        QCOMPARE(f->h.server->store().count(kDeal), serverBefore + 1);
    }

    // Undo before the edit was sent: the inverse takes it out of the outbox; nothing reaches
    // the server, for fields and relationships alike.
    void undoBeforeSyncSendsNothing()
    {
        start(true);
        const QString id = f->h.dealIds().at(4);
        const Record before = f->current(id);
        const QStringList evaluators = before.relatedIds(QStringLiteral("$evaluator"));
        const QString champion
            = f->contactOtherThan(before.relatedIds(QStringLiteral("$champion")));
        const QString evaluator = f->contactOtherThan(evaluators);
        const ChangeSet changes = ChangeSet::fromEdits(f->schema, before,
            {{QStringLiteral("$amount"),
                 FieldValue::fromCents(before.value(QStringLiteral("$amount")).toCents() + 100)},
                {QStringLiteral("closeDate"), FieldValue()}},
            {{QStringLiteral("$champion"), {champion}},
                {QStringLiteral("$evaluator"), evaluators + QStringList {evaluator}}});
        QCOMPARE(changes.relationshipKeys().size(), 2);
        const RecordEditService::Result edit = f->service->update(f->schema, id, changes);
        QVERIFY2(edit.ok, qPrintable(edit.error));
        QCOMPARE(f->h.outbox->counts().total(), 1);
        // A second, separate edit of the same deal merges into the same unsent row.
        const RecordEditService::Result rename = f->service->update(f->schema, id,
            f->set(QStringLiteral("$name"),
                FieldValue::fromText(FieldType::Text, QStringLiteral("Tmp"))));
        QVERIFY(rename.ok);
        QCOMPARE(rename.seq, edit.seq);

        const RecordEditService::Result undoRename
            = f->service->update(f->schema, id, rename.inverse);
        QVERIFY(undoRename.ok);
        QCOMPARE(undoRename.seq, edit.seq);
        QVERIFY(!parseObject(f->h.outbox->row(edit.seq)->body)
                     .value(QStringLiteral("fields"))
                     .toObject()
                     .contains(QLatin1String("$name")));
        const RecordEditService::Result undo = f->service->update(f->schema, id, edit.inverse);
        QVERIFY2(undo.ok, qPrintable(undo.error));
        QCOMPARE(undo.seq, 0);
        QCOMPARE(f->h.outbox->counts().total(), 0);
        QVERIFY(!f->h.store->record(kDeal, id)->hasLocalChanges());
        QCOMPARE(f->current(id), before);

        QVERIFY(f->syncNow());
        QVERIFY(f->h.writes().isEmpty());
        QCOMPARE(differingFields(f->h.serverRecord(id), f->h.localRecord(id)), QStringList());
        QCOMPARE(RecordJson::relatedIds(f->h.serverRecord(id), QStringLiteral("$evaluator")),
            evaluators);
    }

    // Undo after the edit was sent: a compensating update with the old values.
    void undoAfterSyncSendsTheOldValues()
    {
        start(false);
        const QString id = f->h.dealIds().at(5);
        const Record before = f->current(id);
        const QString oldName = before.value(QStringLiteral("$name")).toText();
        const QStringList oldChampion = before.relatedIds(QStringLiteral("$champion"));
        const QString newChampion = f->contactOtherThan(oldChampion);
        ChangeSet changes = f->set(QStringLiteral("$name"),
            FieldValue::fromText(FieldType::Text, QStringLiteral("Sent then undone")));
        changes.setRelationship(f->relationship(QStringLiteral("$champion")),
            ChangeSet::Operation::Replace, {newChampion});
        const RecordEditService::Result edit = f->service->update(f->schema, id, changes);
        QVERIFY(edit.ok);
        QVERIFY(f->h.waitIdle());
        QCOMPARE(RecordJson::fieldValue(f->h.serverRecord(id), QStringLiteral("$name")).toString(),
            QStringLiteral("Sent then undone"));
        QCOMPARE(f->h.writes().size(), 1);

        const RecordEditService::Result undo = f->service->update(f->schema, id, edit.inverse);
        QVERIFY(undo.ok);
        QVERIFY(undo.seq > edit.seq);
        QVERIFY(f->h.waitIdle());
        const QList<QJsonObject> bodies = f->writeBodies();
        QCOMPARE(bodies.size(), 2);
        QCOMPARE(bodies.last().value(QStringLiteral("fields")).toObject(),
            (QJsonObject {{QStringLiteral("$name"), oldName}}));
        const QJsonObject champion = bodies.last()
                                         .value(QStringLiteral("relationships"))
                                         .toObject()
                                         .value(QStringLiteral("$champion"))
                                         .toObject();
        const QJsonObject expectedChampion = oldChampion.isEmpty()
            ? QJsonObject {{QStringLiteral("remove"), newChampion}}
            : QJsonObject {{QStringLiteral("replace"), oldChampion.first()}};
        QCOMPARE(champion, expectedChampion);
        const QJsonObject server = f->h.serverRecord(id);
        QCOMPARE(RecordJson::fieldValue(server, QStringLiteral("$name")).toString(), oldName);
        QCOMPARE(RecordJson::relatedIds(server, QStringLiteral("$champion")), oldChampion);
        QCOMPARE(f->current(id).value(QStringLiteral("$name")).toText(), oldName);
    }
};

QTEST_GUILESS_MAIN(TestRecordEditService)
#include "tst_recordeditservice.moc"
