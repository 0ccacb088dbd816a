// OutboxModel: one row per outbox row, refreshed in place on Outbox::changed()
// — inserts, merges, successes, parks, conflicts and discards — under QAbstractItemModelTester.

#include "syncuitesthelpers.h"

#include "itemmodels/outboxmodel.h"
#include "sync/syncengine.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QStandardPaths>
#include <QTest>

using namespace SyncUiTest;

namespace {

QString cell(const OutboxModel &model, int row, OutboxModel::Column column)
{
    return model.index(row, column).data().toString();
}

} // namespace

class TestOutboxModel final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Fixture> f;
    std::unique_ptr<OutboxModel> model;
    std::unique_ptr<QAbstractItemModelTester> tester;
    std::unique_ptr<QSignalSpy> inserted;
    std::unique_ptr<QSignalSpy> removed;
    std::unique_ptr<QSignalSpy> changed;
    std::unique_ptr<QSignalSpy> reset;

    // The model over an empty outbox, the tester attached before anything is queued.
    void makeModel()
    {
        model = std::make_unique<OutboxModel>(*f->outbox, *f->store);
        tester = std::make_unique<QAbstractItemModelTester>(
            model.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
        inserted = std::make_unique<QSignalSpy>(model.get(), &QAbstractItemModel::rowsInserted);
        removed = std::make_unique<QSignalSpy>(model.get(), &QAbstractItemModel::rowsRemoved);
        changed = std::make_unique<QSignalSpy>(model.get(), &QAbstractItemModel::dataChanged);
        reset = std::make_unique<QSignalSpy>(model.get(), &QAbstractItemModel::modelReset);
    }

    void clearSpies()
    {
        inserted->clear();
        removed->clear();
        changed->clear();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void init()
    {
        f = std::make_unique<Fixture>();
        QVERIFY(f->dir.isValid());
        QVERIFY(f->open());
        QVERIFY(f->seed(QStringLiteral("opp_1"), QStringLiteral("Acme renewal")));
        QVERIFY(f->seed(QStringLiteral("opp_2"), QStringLiteral("Globex pilot")));
        QVERIFY(f->seed(QStringLiteral("opp_3"), QStringLiteral("Initech expansion")));
        makeModel();
    }

    void cleanup()
    {
        tester.reset();
        inserted.reset();
        removed.reset();
        changed.reset();
        reset.reset();
        model.reset();
        f.reset();
    }

    void headersAndEmptyModel()
    {
        QCOMPARE(model->rowCount(), 0);
        QCOMPARE(model->columnCount(), int(OutboxModel::ColumnCount));
        QStringList headers;
        for (int c = 0; c < model->columnCount(); ++c)
            headers << model->headerData(c, Qt::Horizontal).toString();
        QCOMPARE(headers,
            QStringList(
                {QStringLiteral("Record"), QStringLiteral("Change"), QStringLiteral("Fields"),
                    QStringLiteral("Changes"), QStringLiteral("State"), QStringLiteral("Attempts"),
                    QStringLiteral("Last error"), QStringLiteral("Queued at")}));
        QVERIFY(model->roleNames().contains(OutboxModel::SeqRole));
    }

    void changesShowOldAndNewValuesForPeople()
    {
        // A deal at Discovery, owned by Ann; two members known to the store.
        QJsonObject deal = dealJson(QStringLiteral("opp_9"), QStringLiteral("Umbrella pilot"));
        QJsonObject fields = deal.value(QStringLiteral("fields")).toObject();
        fields.insert(QStringLiteral("$stage"),
            QJsonObject {{QStringLiteral("valueType"), QStringLiteral("SINGLE_SELECT")},
                {QStringLiteral("value"), QStringLiteral("opt_disc")}});
        deal.insert(QStringLiteral("fields"), fields);
        QVERIFY(f->store->upsertServerRecord(kDeal, compact(deal)) != LocalStore::Upsert::Error);
        for (const auto &[id, name] : {std::pair {"mem_ann", "Ann Lee"}, {"mem_bo", "Bo Chen"}}) {
            const QJsonObject member {{QStringLiteral("id"), QString::fromLatin1(id)},
                {QStringLiteral("fields"),
                    QJsonObject {{QStringLiteral("$name"),
                        QJsonObject {{QStringLiteral("valueType"), QStringLiteral("TEXT")},
                            {QStringLiteral("value"), QString::fromLatin1(name)}}}}}};
            QVERIFY(f->store->upsertServerRecord(QStringLiteral("member"), compact(member))
                != LocalStore::Upsert::Error);
        }

        const QByteArray body = compact(
            QJsonObject {{QStringLiteral("fields"),
                             QJsonObject {{QStringLiteral("$stage"), QStringLiteral("opt_prop")},
                                 {QStringLiteral("$name"), QStringLiteral("Umbrella rollout")},
                                 {QStringLiteral("nextSteps"), QJsonValue::Null}}},
                {QStringLiteral("relationships"),
                    QJsonObject {{QStringLiteral("$owner"),
                        QJsonObject {{QStringLiteral("replace"), QStringLiteral("mem_bo")}}}}}});
        const QJsonObject base {{QStringLiteral("$stage"), QStringLiteral("opt_disc")},
            {QStringLiteral("$name"), QStringLiteral("Umbrella pilot")},
            {QStringLiteral("nextSteps"), QStringLiteral("old")},
            {QStringLiteral("$owner"), QStringLiteral("mem_ann")}};
        QVERIFY(f->outbox->enqueueUpdate(kDeal, QStringLiteral("opp_9"), body,
            QStringLiteral("2026-04-20T10:00:00.000Z"), base, {}, kNow));
        QCOMPARE(model->rowCount(), 1);

        // Labels and display values in the form's order; the base kept as it was queued.
        const QStringList expected {QStringLiteral("Name: Umbrella pilot → Umbrella rollout"),
            QStringLiteral("Stage: Discovery → Proposal"),
            QStringLiteral("Next steps: old → (empty)"),
            QStringLiteral("Owner: Ann Lee → Bo Chen")};
        QCOMPARE(model->changeTexts(0), expected);
        QCOMPARE(cell(*model, 0, OutboxModel::ChangesColumn), expected.join(QStringLiteral("; ")));
        QCOMPARE(model->index(0, OutboxModel::ChangesColumn).data(Qt::ToolTipRole).toString(),
            expected.join(QLatin1Char('\n')));
        QCOMPARE(cell(*model, 0, OutboxModel::FieldsColumn),
            QStringLiteral("Name, Stage, Next steps, Owner"));

        // A later edit of the same unsent row: still from the first base to the newest value.
        QVERIFY(f->outbox->enqueueUpdate(kDeal, QStringLiteral("opp_9"),
            fieldsBody(QJsonObject {{QStringLiteral("$name"), QStringLiteral("Umbrella global")}}),
            QStringLiteral("2026-04-20T10:00:00.000Z"),
            QJsonObject {{QStringLiteral("$name"), QStringLiteral("Umbrella rollout")}}, {}, kNow));
        QCOMPARE(model->rowCount(), 1);
        QCOMPARE(model->changeTexts(0).constFirst(),
            QStringLiteral("Name: Umbrella pilot → Umbrella global"));

        // A create has no "before".
        QVERIFY(f->outbox->enqueueCreate(kDeal, Outbox::newTemporaryId(),
            fieldsBody(QJsonObject {{QStringLiteral("$name"), QStringLiteral("Brand new")},
                {QStringLiteral("$stage"), QStringLiteral("opt_disc")}}),
            {}, kNow));
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->changeTexts(1),
            QStringList({QStringLiteral("Name: Brand new"), QStringLiteral("Stage: Discovery")}));
    }

    void queuedRowsAreInsertedWithTheirCells()
    {
        const auto first = f->edit(QStringLiteral("opp_1"),
            QJsonObject {{QStringLiteral("$amount"), 48000},
                {QStringLiteral("nextSteps"), QStringLiteral("Call")}});
        QVERIFY(first);
        QCOMPARE(rowsText(*inserted), QStringLiteral("0,0"));
        const auto second = f->edit(QStringLiteral("opp_2"),
            QJsonObject {{QStringLiteral("$stage"), QStringLiteral("opt_prop")}});
        QVERIFY(second);
        QCOMPARE(rowsText(*inserted), QStringLiteral("0,0;1,1"));
        QCOMPARE(model->rowCount(), 2);

        QCOMPARE(cell(*model, 0, OutboxModel::RecordColumn), QStringLiteral("Acme renewal"));
        QCOMPARE(cell(*model, 0, OutboxModel::OperationColumn), QStringLiteral("Update"));
        QCOMPARE(cell(*model, 0, OutboxModel::FieldsColumn), QStringLiteral("Amount, Next steps"));
        QCOMPARE(cell(*model, 0, OutboxModel::StateColumn), QStringLiteral("Waiting"));
        QCOMPARE(cell(*model, 0, OutboxModel::AttemptsColumn), QStringLiteral("0"));
        QCOMPARE(cell(*model, 0, OutboxModel::LastErrorColumn), QString());
        QCOMPARE(cell(*model, 0, OutboxModel::QueuedAtColumn),
            QLocale().toString(kNow.toLocalTime(), QLocale::ShortFormat));
        QCOMPARE(cell(*model, 1, OutboxModel::FieldsColumn), QStringLiteral("Stage"));

        const QModelIndex index = model->index(1, 0);
        QCOMPARE(index.data(OutboxModel::SeqRole).toLongLong(), second->seq);
        QCOMPARE(index.data(OutboxModel::StateRole).toInt(), int(OutboxRow::State::Pending));
        QCOMPARE(index.data(OutboxModel::RecordIdRole).toString(), QStringLiteral("opp_2"));
        QCOMPARE(index.data(OutboxModel::ObjectTypeRole).toString(), kDeal);
        QCOMPARE(model->rowOfSeq(first->seq), 0);
        QCOMPARE(model->rowOfSeq(second->seq), 1);
        QCOMPARE(model->rowOfSeq(999), -1);
        QCOMPARE(reset->size(), 0);
    }

    void aMergedEditChangesItsRowInPlace()
    {
        const auto first
            = f->edit(QStringLiteral("opp_1"), QJsonObject {{QStringLiteral("$amount"), 5}});
        QVERIFY(f->edit(QStringLiteral("opp_2"), QJsonObject {{QStringLiteral("$amount"), 6}}));
        clearSpies();
        // Never sent: merged into the same row, whose record now shows the new name.
        const auto merged = f->edit(QStringLiteral("opp_1"),
            QJsonObject {{QStringLiteral("$name"), QStringLiteral("Acme 2027")}});
        QVERIFY(merged);
        QCOMPARE(merged->seq, first->seq);
        QCOMPARE(rowsText(*inserted), QString());
        QCOMPARE(rowsText(*removed), QString());
        QCOMPARE(changedRowsText(*changed), QStringLiteral("0-0"));
        QCOMPARE(cell(*model, 0, OutboxModel::FieldsColumn), QStringLiteral("Name, Amount"));
        QCOMPARE(cell(*model, 0, OutboxModel::RecordColumn), QStringLiteral("Acme 2027"));
        QCOMPARE(cell(*model, 1, OutboxModel::RecordColumn), QStringLiteral("Globex pilot"));
        QCOMPARE(reset->size(), 0);
    }

    void sendingAndSuccessUpdateAndRemoveTheRow()
    {
        const auto a
            = f->edit(QStringLiteral("opp_1"), QJsonObject {{QStringLiteral("$amount"), 5}});
        const auto b
            = f->edit(QStringLiteral("opp_2"), QJsonObject {{QStringLiteral("$amount"), 6}});
        const auto c
            = f->edit(QStringLiteral("opp_3"), QJsonObject {{QStringLiteral("$amount"), 7}});
        QVERIFY(a && b && c);
        clearSpies();
        QVERIFY(f->outbox->markInFlight(b->seq));
        QCOMPARE(changedRowsText(*changed), QStringLiteral("1-1"));
        QCOMPARE(cell(*model, 1, OutboxModel::StateColumn), QStringLiteral("Sending"));
        QCOMPARE(cell(*model, 1, OutboxModel::AttemptsColumn), QStringLiteral("1"));
        QCOMPARE(model->index(1, 0).data(OutboxModel::StateRole).toInt(),
            int(OutboxRow::State::InFlight));
        clearSpies();
        QVERIFY(f->outbox->markSucceeded(b->seq,
            compact(dealJson(QStringLiteral("opp_2"), QStringLiteral("Globex pilot"), 6,
                QStringLiteral("2026-04-21T10:00:00.000Z")))));
        QCOMPARE(rowsText(*removed), QStringLiteral("1,1"));
        QCOMPARE(rowsText(*inserted), QString());
        QCOMPARE(changedRowsText(*changed), QString());
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->rowOfSeq(c->seq), 1);
        QCOMPARE(model->rowOfSeq(b->seq), -1);
        QCOMPARE(reset->size(), 0);
    }

    void aParkedRowSaysWhatTheServerRefused()
    {
        const auto a
            = f->edit(QStringLiteral("opp_1"), QJsonObject {{QStringLiteral("$amount"), 5}});
        QVERIFY(a);
        QVERIFY(f->outbox->markInFlight(a->seq));
        clearSpies();
        QVERIFY(f->outbox->park(a->seq,
            ParkedError {
                422, QStringLiteral("$amount"), QStringLiteral("Use at most two decimals.")}
                .encode()));
        QCOMPARE(changedRowsText(*changed), QStringLiteral("0-0"));
        QCOMPARE(cell(*model, 0, OutboxModel::StateColumn), QStringLiteral("Refused"));
        QCOMPARE(
            model->index(0, 0).data(OutboxModel::StateRole).toInt(), int(OutboxRow::State::Parked));
        QCOMPARE(cell(*model, 0, OutboxModel::LastErrorColumn),
            QStringLiteral("The server refused “Amount”: Use at most two decimals."));
        QCOMPARE(model->index(0, OutboxModel::LastErrorColumn).data(Qt::ToolTipRole).toString(),
            cell(*model, 0, OutboxModel::LastErrorColumn));

        // Back to waiting (the user's retry): the error goes away.
        QVERIFY(f->outbox->resume(a->seq, kNow));
        QCOMPARE(cell(*model, 0, OutboxModel::StateColumn), QStringLiteral("Waiting"));
        QCOMPARE(cell(*model, 0, OutboxModel::LastErrorColumn), QString());
        QCOMPARE(changedRowsText(*changed), QStringLiteral("0-0;0-0"));
    }

    void errorSentences_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("lastError");
        QTest::addColumn<QString>("sentence");
        const int parked = int(OutboxRow::State::Parked);
        QTest::newRow("field") << parked << QStringLiteral("400|$stage|Pick a stage.")
                               << QStringLiteral("The server refused “Stage”: Pick a stage.");
        QTest::newRow("unknown field")
            << parked << QStringLiteral("422|colour|No such field.")
            << QStringLiteral("The server refused “colour”: No such field.");
        QTest::newRow("no field") << parked << QStringLiteral("404||The deal was deleted.")
                                  << QStringLiteral(
                                         "The server refused the change: The deal was deleted.");
        QTest::newRow("status only") << parked << QStringLiteral("403||")
                                     << QStringLiteral("The server refused the change (HTTP 403).");
        QTest::newRow("plain")
            << parked << QStringLiteral("links to a new record that was discarded")
            << QStringLiteral(
                   "The change cannot be sent: links to a new record that was discarded");
        QTest::newRow("conflict") << int(OutboxRow::State::Conflict)
                                  << QStringLiteral("conflict: $amount, $owner")
                                  << QStringLiteral("Someone else changed Amount, Owner too.");
        QTest::newRow("conflict, no keys")
            << int(OutboxRow::State::Conflict) << QStringLiteral("merged")
            << QStringLiteral("Someone else changed the same fields.");
        QTest::newRow("retry") << int(OutboxRow::State::Pending)
                               << QStringLiteral("503 unavailable")
                               << QStringLiteral("The last attempt failed (503 unavailable).");
        QTest::newRow("none") << int(OutboxRow::State::Pending) << QString() << QString();
    }

    void errorSentences()
    {
        QFETCH(int, state);
        QFETCH(QString, lastError);
        QFETCH(QString, sentence);
        OutboxRow row;
        row.state = OutboxRow::State(state);
        row.lastError = lastError;
        QCOMPARE(OutboxModel::errorSentence(row, dealSchema()), sentence);
    }

    void aConflictNamesTheFieldsAndKeepsItsRow()
    {
        const auto a
            = f->edit(QStringLiteral("opp_1"), QJsonObject {{QStringLiteral("$amount"), 5}});
        QVERIFY(a);
        QVERIFY(f->outbox->markInFlight(a->seq));
        clearSpies();
        QVERIFY(f->outbox->markConflict(a->seq, QStringLiteral("conflict: $amount"),
            compact(dealJson(QStringLiteral("opp_1"), QStringLiteral("Acme (theirs)"), 900,
                QStringLiteral("2026-04-22T10:00:00.000Z")))));
        QCOMPARE(rowsText(*inserted), QString());
        QCOMPARE(rowsText(*removed), QString());
        QVERIFY(!changed->isEmpty());
        QCOMPARE(cell(*model, 0, OutboxModel::StateColumn), QStringLiteral("Conflict"));
        QCOMPARE(cell(*model, 0, OutboxModel::LastErrorColumn),
            QStringLiteral("Someone else changed Amount too."));
        // The local copy was rebuilt on the server's: its new name shows.
        QCOMPARE(cell(*model, 0, OutboxModel::RecordColumn), QStringLiteral("Acme (theirs)"));
    }

    void discardingRemovesOnlyThatRow()
    {
        const auto a
            = f->edit(QStringLiteral("opp_1"), QJsonObject {{QStringLiteral("$amount"), 5}});
        const auto b
            = f->edit(QStringLiteral("opp_2"), QJsonObject {{QStringLiteral("$amount"), 6}});
        const auto c
            = f->edit(QStringLiteral("opp_3"), QJsonObject {{QStringLiteral("$amount"), 7}});
        QVERIFY(a && b && c);
        clearSpies();
        QVERIFY(f->outbox->discard(b->seq));
        QCOMPARE(rowsText(*removed), QStringLiteral("1,1"));
        QVERIFY(f->outbox->discard(a->seq));
        QCOMPARE(rowsText(*removed), QStringLiteral("1,1;0,0"));
        QVERIFY(f->outbox->discard(c->seq));
        QCOMPARE(rowsText(*removed), QStringLiteral("1,1;0,0;0,0"));
        QCOMPARE(rowsText(*inserted), QString());
        QCOMPARE(changedRowsText(*changed), QString());
        QCOMPARE(model->rowCount(), 0);
        QCOMPARE(reset->size(), 0);
    }

    void severalChangesAtOnceAreAppliedAsRunsInPlace()
    {
        QList<OutboxRow> rows;
        for (const char *id : {"opp_1", "opp_2", "opp_3"}) {
            const auto row
                = f->edit(QString::fromLatin1(id), QJsonObject {{QStringLiteral("$amount"), 1}});
            QVERIFY(row);
            rows << *row;
        }
        // A second row for opp_1 (the first was sent), queued in the same batch.
        QVERIFY(f->outbox->markInFlight(rows.at(0).seq));
        clearSpies();
        {
            // Changes committed together are announced once, after the commit: until then the
            // model shows what is stored, then it catches up in runs.
            LocalStore::Transaction transaction(*f->store);
            QVERIFY(transaction.isActive());
            QVERIFY(f->outbox->discard(rows.at(1).seq));
            QVERIFY(f->outbox->markRetry(rows.at(0).seq, kNow, QStringLiteral("timeout")));
            QVERIFY(f->edit(QStringLiteral("opp_1"),
                QJsonObject {{QStringLiteral("$name"), QStringLiteral("Later")}}));
            QVERIFY(f->edit(QStringLiteral("opp_2"), QJsonObject {{QStringLiteral("$amount"), 2}}));
            QCOMPARE(model->rowCount(), 3);
            QCOMPARE(rowsText(*removed) + rowsText(*inserted), QString());
            QVERIFY(transaction.commit());
        }
        QCOMPARE(rowsText(*removed), QStringLiteral("1,1"));
        QCOMPARE(rowsText(*inserted), QStringLiteral("2,3"));
        QCOMPARE(changedRowsText(*changed), QStringLiteral("0-0"));
        QCOMPARE(model->rowCount(), 4);
        QCOMPARE(cell(*model, 0, OutboxModel::LastErrorColumn),
            QStringLiteral("The last attempt failed (timeout)."));
        QCOMPARE(cell(*model, 2, OutboxModel::FieldsColumn), QStringLiteral("Name"));
        QCOMPARE(cell(*model, 3, OutboxModel::RecordColumn), QStringLiteral("Globex pilot"));
        for (int row = 0; row < model->rowCount(); ++row)
            QCOMPARE(model->rowOfSeq(model->outboxRow(row).seq), row);
        // Nothing changed since: a refresh is silent.
        clearSpies();
        model->refresh();
        QCOMPARE(rowsText(*removed) + rowsText(*inserted) + changedRowsText(*changed), QString());
        QCOMPARE(reset->size(), 0);
    }

    void aRecordWithoutANameShowsItsIdAndACreateSaysSo()
    {
        QVERIFY(
            f->edit(QStringLiteral("opp_uncached"), QJsonObject {{QStringLiteral("$amount"), 3}}));
        const QString temporaryId = Outbox::newTemporaryId();
        QVERIFY(f->outbox->enqueueCreate(kDeal, temporaryId,
            fieldsBody(QJsonObject {{QStringLiteral("$name"), QStringLiteral("Brand new")},
                {QStringLiteral("$stage"), QStringLiteral("opt_disc")}}),
            {}, kNow));
        QCOMPARE(rowsText(*inserted), QStringLiteral("0,0;1,1"));
        QCOMPARE(cell(*model, 0, OutboxModel::RecordColumn), QStringLiteral("opp_uncached"));
        QCOMPARE(cell(*model, 1, OutboxModel::OperationColumn), QStringLiteral("Create"));
        QCOMPARE(cell(*model, 1, OutboxModel::FieldsColumn), QStringLiteral("Name, Stage"));
        QCOMPARE(model->index(1, 0).data(OutboxModel::RecordIdRole).toString(), temporaryId);
        QCOMPARE(model->recordName(1), QStringLiteral("Brand new"));
        QCOMPARE(
            model->fieldLabels(1), QStringList({QStringLiteral("Name"), QStringLiteral("Stage")}));
    }

    void aSchemaGivenLaterRelabelsInPlace()
    {
        QVERIFY(f->edit(QStringLiteral("opp_1"), QJsonObject {{QStringLiteral("$amount"), 5}}));
        clearSpies();
        ObjectSchema schema = dealSchema();
        FieldDefinition amount = *schema.field(QStringLiteral("$amount"));
        amount.setLabel(QStringLiteral("Deal value"));
        schema.addField(amount);
        model->setSchema(schema);
        QCOMPARE(cell(*model, 0, OutboxModel::FieldsColumn), QStringLiteral("Deal value"));
        QCOMPARE(changedRowsText(*changed), QStringLiteral("0-0"));
        QCOMPARE(reset->size(), 0);
    }

    // A queue that cannot be read keeps the rows shown: an empty list would tell the rep that
    // their edits were sent.
    void anUnreadableQueueKeepsTheRowsShown()
    {
        const auto a
            = f->edit(QStringLiteral("opp_1"), QJsonObject {{QStringLiteral("$amount"), 5}});
        QVERIFY(a);
        QCOMPARE(model->rowCount(), 1);
        clearSpies();
        f->store->setFailAfter(1);
        model->refresh();
        QCOMPARE(model->rowCount(), 1);
        QCOMPARE(rowsText(*removed), QString());
        QVERIFY(!model->readError().isEmpty());
        f->store->setFailAfter(1);
        model->reload();
        QCOMPARE(model->rowCount(), 1);
        QVERIFY(!model->readError().isEmpty());
        model->refresh();
        QVERIFY(model->readError().isEmpty());
        QCOMPARE(model->rowCount(), 1);
    }

    void reloadResetsOnce()
    {
        QVERIFY(f->edit(QStringLiteral("opp_1"), QJsonObject {{QStringLiteral("$amount"), 5}}));
        model->reload();
        QCOMPARE(reset->size(), 1);
        QCOMPARE(model->rowCount(), 1);
        // A model made over a filled outbox shows its rows at once.
        OutboxModel second(*f->outbox, *f->store);
        QAbstractItemModelTester secondTester(
            &second, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QCOMPARE(second.rowCount(), 1);
        QCOMPARE(cell(second, 0, OutboxModel::RecordColumn), QStringLiteral("Acme renewal"));
    }
};

QTEST_GUILESS_MAIN(TestOutboxModel)
#include "tst_outboxmodel.moc"
