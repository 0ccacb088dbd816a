// EditRecordCommand and CreateRecordCommand on a bare QUndoStack, against the
// in-process sandbox: texts, undo / redo before and after the edit was sent, and a create that
// can no longer be undone once it is on the server.

#include "domain/recordjson.h"
#include "edittesthelpers.h"

#include "edit/createrecordcommand.h"
#include "edit/editrecordcommand.h"

#include <QStandardPaths>
#include <QUndoStack>

using namespace EditTest;

class TestUndoCommands final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Fixture> f;

    void start(bool offline)
    {
        f = std::make_unique<Fixture>();
        QVERIFY(f->start(offline));
    }

    FieldValue nameValue(const QString &name) const
    {
        return FieldValue::fromText(FieldType::Text, name);
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void cleanup() { f.reset(); }

    void textsNameTheEdit()
    {
        start(true);
        const ObjectSchema &schema = f->schema;
        QCOMPARE(EditRecordCommand::describe(
                     schema, f->set(QStringLiteral("$amount"), FieldValue::fromCents(4200))),
            QStringLiteral("Edit Amount"));
        const QString proposal = f->optionId(QStringLiteral("$stage"), QStringLiteral("Proposal"));
        QVERIFY(!proposal.isEmpty());
        QCOMPARE(EditRecordCommand::describe(schema,
                     f->set(QStringLiteral("$stage"),
                         FieldValue::fromText(FieldType::SingleSelect, proposal))),
            QStringLiteral("Change Stage to Proposal"));
        QCOMPARE(EditRecordCommand::describe(schema,
                     f->set(QStringLiteral("closeDate"), FieldValue::null(FieldType::DateTime))),
            QStringLiteral("Clear Close date"));
        QCOMPARE(EditRecordCommand::describe(
                     schema, f->set(QStringLiteral("isStrategic"), FieldValue::fromBool(true))),
            QStringLiteral("Check Strategic"));
        ChangeSet account;
        account.setRelationship(f->relationship(QStringLiteral("$account")),
            ChangeSet::Operation::Replace, {QStringLiteral("acc_1")});
        QCOMPARE(EditRecordCommand::describe(schema, account), QStringLiteral("Change Account"));
        ChangeSet three = f->set(QStringLiteral("$name"), nameValue(QStringLiteral("X")));
        three.setValue(f->field(QStringLiteral("probability")), FieldValue::fromNumber(3));
        three.setRelationship(f->relationship(QStringLiteral("$account")),
            ChangeSet::Operation::Replace, {QStringLiteral("acc_1")});
        QCOMPARE(EditRecordCommand::describe(schema, three), QStringLiteral("Edit 3 fields"));
        QCOMPARE(CreateRecordCommand::describe(schema, f->newDeal(QStringLiteral("Acme renewal"))),
            QStringLiteral("Create deal “Acme renewal”"));

        // The stack shows them.
        QUndoStack stack;
        const QString id = f->h.dealIds().at(0);
        stack.push(new EditRecordCommand(*f->service, schema, id,
            f->set(QStringLiteral("$amount"), FieldValue::fromCents(4200))));
        QCOMPARE(stack.undoText(), QStringLiteral("Edit Amount"));
        QVERIFY(!stack.canRedo());
        stack.undo();
        QCOMPARE(stack.redoText(), QStringLiteral("Edit Amount"));
        QVERIFY(!stack.canUndo());
    }

    void undoAndRedoBeforeSync()
    {
        start(true);
        const QString id = f->h.dealIds().at(1);
        const Record before = f->current(id);
        QUndoStack stack;
        auto *command = new EditRecordCommand(*f->service, f->schema, id,
            f->set(QStringLiteral("$name"), nameValue(QStringLiteral("One"))));
        stack.push(command);
        QCOMPARE(stack.count(), 1);
        QCOMPARE(f->h.outbox->counts().total(), 1);
        QCOMPARE(f->current(id).value(QStringLiteral("$name")).toText(), QStringLiteral("One"));
        QCOMPARE(command->inverse().value(QStringLiteral("$name")),
            before.value(QStringLiteral("$name")));
        stack.push(new EditRecordCommand(*f->service, f->schema, id,
            f->set(QStringLiteral("probability"), FieldValue::fromNumber(91))));
        QCOMPARE(f->h.outbox->counts().total(), 1); // merged into the unsent row

        stack.undo();
        stack.undo();
        QCOMPARE(stack.index(), 0);
        QCOMPARE(f->h.outbox->counts().total(), 0);
        QVERIFY(!f->h.store->record(kDeal, id)->hasLocalChanges());
        QCOMPARE(f->current(id), before);

        stack.redo();
        QCOMPARE(f->h.outbox->counts().total(), 1);
        QCOMPARE(f->current(id).value(QStringLiteral("$name")).toText(), QStringLiteral("One"));
        stack.undo();
        QCOMPARE(f->h.outbox->counts().total(), 0);

        QVERIFY(f->syncNow());
        QVERIFY(f->h.writes().isEmpty());
        QCOMPARE(stack.count(), 2);
    }

    void undoAndRedoAfterSync()
    {
        start(false);
        const QString id = f->h.dealIds().at(2);
        const QString oldName = f->current(id).value(QStringLiteral("$name")).toText();
        QUndoStack stack;
        stack.push(new EditRecordCommand(*f->service, f->schema, id,
            f->set(QStringLiteral("$name"), nameValue(QStringLiteral("Two")))));
        QVERIFY(f->h.waitIdle());
        QCOMPARE(RecordJson::fieldValue(f->h.serverRecord(id), QStringLiteral("$name")).toString(),
            QStringLiteral("Two"));
        stack.undo();
        QVERIFY(f->h.waitIdle());
        QCOMPARE(RecordJson::fieldValue(f->h.serverRecord(id), QStringLiteral("$name")).toString(),
            oldName);
        stack.redo();
        QVERIFY(f->h.waitIdle());
        QCOMPARE(RecordJson::fieldValue(f->h.serverRecord(id), QStringLiteral("$name")).toString(),
            QStringLiteral("Two"));
        const QList<QJsonObject> bodies = f->writeBodies();
        QCOMPARE(bodies.size(), 3);
        QCOMPARE(bodies.at(1).value(QStringLiteral("fields")).toObject(),
            (QJsonObject {{QStringLiteral("$name"), oldName}}));
        QCOMPARE(stack.count(), 1);
    }

    void alreadyAppliedEditSkipsTheFirstRedo()
    {
        start(true);
        const QString id = f->h.dealIds().at(3);
        const RecordEditService::Result applied = f->service->update(
            f->schema, id, f->set(QStringLiteral("probability"), FieldValue::fromNumber(12)));
        QVERIFY(applied.ok);
        const OutboxRow rowBefore = f->h.outbox->rows().value(0);
        QUndoStack stack;
        stack.push(new EditRecordCommand(*f->service, f->schema, applied));
        QCOMPARE(stack.undoText(), QStringLiteral("Edit Probability (%)"));
        QCOMPARE(f->h.outbox->rows().size(), 1);
        QCOMPARE(f->h.outbox->rows().first().body, rowBefore.body);
        stack.undo();
        QCOMPARE(f->h.outbox->counts().total(), 0);
    }

    void createUndoBeforeSyncAndRedo()
    {
        start(true);
        QUndoStack stack;
        auto *command = new CreateRecordCommand(
            *f->service, f->schema, f->newDeal(QStringLiteral("Undoable")));
        stack.push(command);
        const QString first = command->recordId();
        QVERIFY(Outbox::isTemporaryId(first));
        QVERIFY(f->h.store->record(kDeal, first));
        QCOMPARE(f->h.outbox->counts().total(), 1);
        stack.undo();
        QCOMPARE(f->h.outbox->counts().total(), 0);
        QVERIFY(!f->h.store->record(kDeal, first));
        QVERIFY(command->lastError().isEmpty());
        stack.redo();
        QCOMPARE(f->h.outbox->counts().total(), 1);
        QVERIFY(f->h.store->record(kDeal, command->recordId()));
        stack.undo();
        QVERIFY(f->syncNow());
        QVERIFY(f->h.writes().isEmpty());
        QVERIFY(f->serverDealsNamed(QStringLiteral("Undoable")).isEmpty());
    }

    void createOnTheServerCannotBeUndone()
    {
        start(true);
        QUndoStack stack;
        auto *create = new CreateRecordCommand(
            *f->service, f->schema, f->newDeal(QStringLiteral("Sent deal")));
        stack.push(create);
        const QString temporary = create->recordId();
        // An edit of the new deal while it still has its temporary id.
        stack.push(new EditRecordCommand(*f->service, f->schema, temporary,
            f->set(QStringLiteral("probability"), FieldValue::fromNumber(64))));
        QVERIFY(f->syncNow());
        const QStringList created = f->serverDealsNamed(QStringLiteral("Sent deal"));
        QCOMPARE(created.size(), 1);
        QCOMPARE(create->recordId(), created.first());

        QSignalSpy failed(f->service.get(), &RecordEditService::undoFailed);
        // The edit still undoes, against the server's id.
        stack.undo();
        QVERIFY(f->h.waitIdle());
        QCOMPARE(failed.size(), 0);
        QCOMPARE(RecordJson::fieldValue(
                     f->h.serverRecord(created.first()), QStringLiteral("probability")),
            QJsonValue(QJsonValue::Null));
        // The create does not: the command goes, the deal stays.
        QCOMPARE(stack.count(), 2);
        stack.undo();
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().at(0).toString(),
            QStringLiteral("This deal is already on the server and can't be undone."));
        QCOMPARE(stack.count(), 1);
        QCOMPARE(stack.index(), 0);
        QVERIFY(f->h.store->record(kDeal, created.first()));
        QCOMPARE(f->serverDealsNamed(QStringLiteral("Sent deal")).size(), 1);
    }

    void failedCreateIsNotKept()
    {
        start(true);
        QUndoStack stack;
        QSignalSpy failed(f->service.get(), &RecordEditService::undoFailed);
        stack.push(new CreateRecordCommand(*f->service, f->schema,
            ChangeSet::forCreate(
                f->schema, {{QStringLiteral("$name"), nameValue(QStringLiteral("No stage"))}})));
        QCOMPARE(stack.count(), 0);
        QCOMPARE(failed.size(), 1);
        QVERIFY(failed.first().at(0).toString().contains(QLatin1String("Stage")));
        QCOMPARE(f->h.outbox->counts().total(), 0);
    }

    void editOfAMissingRecordIsNotKept()
    {
        start(true);
        QUndoStack stack;
        QSignalSpy failed(f->service.get(), &RecordEditService::undoFailed);
        stack.push(new EditRecordCommand(*f->service, f->schema, QStringLiteral("opp_gone"),
            f->set(QStringLiteral("probability"), FieldValue::fromNumber(1))));
        QCOMPARE(stack.count(), 0);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(f->h.outbox->counts().total(), 0);
    }
};

QTEST_MAIN(TestUndoCommands)
#include "tst_undocommands.moc"
