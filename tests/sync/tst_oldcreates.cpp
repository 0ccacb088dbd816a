// Creates past the server's Idempotency-Key retention (24 h): a new deal queued offline whose
// first send failed is never matched to a deal of the same name nor resent on a guess. It waits
// as "may already exist" (with the record's later rows) for the rep's answer: adopt a deal,
// create it anyway under a new key, or discard it.

#include "domain/recordjson.h"
#include "synctesthelpers.h"

#include "domain/moneytext.h"
#include "sync/createcandidatemodel.h"

#include <QAbstractItemModelTester>
#include <QStandardPaths>

using namespace SyncTest;

namespace {

const qint64 kDay = 24LL * 60 * 60 * 1000;

} // namespace

class TestOldCreates final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Harness> h;

    struct OldCreate
    {
        OutboxRow create;
        OutboxRow update;
        QString temporaryId;
        QString colleagueId; ///< the deal of the same name a colleague made
        int dealsBefore = 0;
        qsizetype writesBefore = 0; ///< the write log's size when the clock moved on
    };

    QList<QJsonObject> writesSince(qsizetype from) const { return h->server->writeLog().mid(from); }

    // A create queued while the sandbox fails every request, sent (and failed) once, a later
    // edit of it queued; a colleague makes a deal of the same name (`lookAlike`: with the same
    // values; otherwise with another amount); then the clock moves 25 h on and the engine
    // talks again.
    void makeOldCreate(bool lookAlike, OldCreate *out)
    {
        h = std::make_unique<Harness>();
        QVERIFY(h->dir.isValid());
        QVERIFY(h->startServer({}, 20));
        QVERIFY(h->open(false));
        QSignalSpy pulled(h->engine.get(), &SyncEngine::pullFinished);
        h->engine->start();
        QVERIFY(pulled.wait(30000));

        const QJsonObject sample = h->serverRecord(h->dealIds().at(0));
        const QJsonObject body {
            {QStringLiteral("fields"),
                QJsonObject {{QStringLiteral("$name"), QStringLiteral("Harbor expansion")},
                    {QStringLiteral("$stage"),
                        RecordJson::fieldValue(sample, QStringLiteral("$stage"))},
                    {QStringLiteral("$amount"), 12000}}},
            {QStringLiteral("relationships"),
                QJsonObject {{QStringLiteral("$account"),
                    RecordJson::relatedIds(sample, QStringLiteral("$account")).value(0)}}}};

        h->server->config().faults.rate500 = 1.0;
        out->temporaryId = Outbox::newTemporaryId();
        const auto create = h->outbox->enqueueCreate(
            kDeal, out->temporaryId, compactJson(body), {}, h->engineOptions.clock());
        QVERIFY(create);
        QVERIFY(waitFor(
            [&] {
                const auto row = h->outbox->row(create->seq);
                return row && row->attempts > 0 && row->state == OutboxRow::State::Pending;
            },
            10000));
        h->engine->setWorkOffline(true);
        h->server->config().faults.rate500 = 0;
        const auto update = h->edit(out->temporaryId, QStringLiteral("probability"), 55);
        QVERIFY(update);
        QVERIFY(update->seq != create->seq);
        out->create = *h->outbox->row(create->seq);
        out->update = *update;

        QJsonObject colleagueBody = body;
        if (!lookAlike) {
            QJsonObject fields = colleagueBody.value(QStringLiteral("fields")).toObject();
            fields.insert(QStringLiteral("$amount"), 99000);
            colleagueBody.insert(QStringLiteral("fields"), fields);
        }
        const auto made = h->server->store().create(kDeal, colleagueBody);
        QVERIFY(std::holds_alternative<QJsonObject>(made));
        out->colleagueId = std::get<QJsonObject>(made).value(QStringLiteral("id")).toString();
        out->dealsBefore = h->server->store().count(kDeal);
        out->writesBefore = h->server->writeLog().size();

        h->clockOffsetMs = kDay + 60LL * 60 * 1000;
        QSignalSpy mayExist(h->engine.get(), &SyncEngine::rowMayExist);
        QSignalSpy pulledAgain(h->engine.get(), &SyncEngine::pullFinished);
        h->engine->setWorkOffline(false);
        QVERIFY(pulledAgain.wait(30000));
        QVERIFY(waitFor([&] { return h->settled(); }, 10000));
        // Neither a second POST (a duplicate) nor a write to the colleague's deal.
        QCOMPARE(writesSince(out->writesBefore).size(), 0);
        QVERIFY(h->outbox->row(create->seq));
        QCOMPARE(Outbox::stateName(h->outbox->row(create->seq)->state), QStringLiteral("mayexist"));
        QCOMPARE(mayExist.count(), 1);
        QCOMPARE(mayExist.first().at(0).toLongLong(), create->seq);
    }

    // Nothing was written while the row waited, and the colleague's deal is untouched.
    void verifyNothingWritten(const OldCreate &old)
    {
        QCOMPARE(writesSince(old.writesBefore).size(), 0);
        QCOMPARE(h->server->store().count(kDeal), old.dealsBefore);
        QVERIFY(
            RecordJson::fieldValue(h->serverRecord(old.colleagueId), QStringLiteral("probability"))
                .toInt()
            != 55);
        const auto update = h->outbox->row(old.update.seq);
        QVERIFY(update);
        QCOMPARE(update->attempts, 0);
        QCOMPARE(update->recordId, old.temporaryId);
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void cleanup() { h.reset(); }

    void oldCreateIsNotResentWhenADealOfItsNameDiffers()
    {
        OldCreate old;
        makeOldCreate(false, &old);
        if (QTest::currentTestFailed())
            return;
        verifyNothingWritten(old);
        QCOMPARE(h->outbox->counts().mayExist, 1);
        QCOMPARE(h->outbox->counts().total(), 2);
        // The record stays local under its temporary id until the rep answers.
        QVERIFY(h->store->record(kDeal, old.temporaryId));
    }

    void lookAlikeDealIsNotAdoptedOnAGuess()
    {
        OldCreate old;
        makeOldCreate(true, &old);
        if (QTest::currentTestFailed())
            return;
        verifyNothingWritten(old);
        QVERIFY(h->store->record(kDeal, old.temporaryId));
    }

    void nothingIsSentForItAfterAReopen()
    {
        OldCreate old;
        makeOldCreate(false, &old);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(h->reopen());
        QVERIFY(h->pullOnce());
        QVERIFY(waitFor([&] { return h->settled(); }, 10000));
        verifyNothingWritten(old);
        QCOMPARE(h->outbox->row(old.create.seq)->state, OutboxRow::State::MayExist);
    }

    void adoptSendsLaterEditsToTheAdoptedDeal()
    {
        OldCreate old;
        makeOldCreate(false, &old);
        if (QTest::currentTestFailed())
            return;
        QSignalSpy replaced(h->outbox.get(), &Outbox::temporaryIdReplaced);
        QVERIFY2(h->outbox->adopt(old.create.seq, compactJson(h->serverRecord(old.colleagueId))),
            qPrintable(h->outbox->lastError()));
        QCOMPARE(replaced.count(), 1);
        QCOMPARE(replaced.first().at(1).toString(), old.colleagueId);
        QVERIFY(h->waitIdle());
        QCOMPARE(h->outbox->counts().total(), 0);
        const QList<QJsonObject> writes = writesSince(old.writesBefore);
        QCOMPARE(writes.size(), 1);
        QVERIFY(writes.first().value(QStringLiteral("path")).toString().endsWith(old.colleagueId));
        QCOMPARE(h->server->store().count(kDeal), old.dealsBefore);
        QCOMPARE(
            RecordJson::fieldValue(h->serverRecord(old.colleagueId), QStringLiteral("probability"))
                .toInt(),
            55);
        QVERIFY(!h->store->record(kDeal, old.temporaryId));
        QCOMPARE(
            RecordJson::fieldValue(h->localRecord(old.colleagueId), QStringLiteral("probability"))
                .toInt(),
            55);
    }

    void createAnywaySendsOnePostUnderANewKey()
    {
        OldCreate old;
        makeOldCreate(false, &old);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(h->outbox->createAnyway(old.create.seq, h->engineOptions.clock()));
        const auto pending = h->outbox->row(old.create.seq);
        QVERIFY(pending);
        // Sent at once (the outbox's change pushes): Pending or already in flight.
        QVERIFY(pending->state == OutboxRow::State::Pending
            || pending->state == OutboxRow::State::InFlight);
        QVERIFY(pending->idempotencyKey != old.create.idempotencyKey);
        QVERIFY(pending->attempts <= 1);
        QVERIFY(h->waitIdle());
        QCOMPARE(h->outbox->counts().total(), 0);
        QList<QJsonObject> posts;
        for (const QJsonObject &write : writesSince(old.writesBefore)) {
            if (write.value(QStringLiteral("path")).toString()
                == QLatin1String("/v1/opportunities"))
                posts << write;
        }
        QCOMPARE(posts.size(), 1);
        QCOMPARE(posts.first().value(QStringLiteral("idempotencyKey")).toString(),
            pending->idempotencyKey);
        QCOMPARE(h->server->store().count(kDeal), old.dealsBefore + 1);
        // The later edit went to the new deal, not to the colleague's.
        QVERIFY(
            RecordJson::fieldValue(h->serverRecord(old.colleagueId), QStringLiteral("probability"))
                .toInt()
            != 55);
        QVERIFY(!h->store->record(kDeal, old.temporaryId));
    }

    void discardDropsTheCreateAndItsLaterRows()
    {
        OldCreate old;
        makeOldCreate(false, &old);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(h->outbox->discard(old.create.seq));
        QCOMPARE(h->outbox->counts().total(), 0);
        QVERIFY(!h->outbox->row(old.update.seq));
        QVERIFY(!h->store->record(kDeal, old.temporaryId));
        h->engine->push();
        QVERIFY(waitFor([&] { return h->settled(); }, 5000));
        QCOMPARE(writesSince(old.writesBefore).size(), 0);
        QCOMPARE(h->server->store().count(kDeal), old.dealsBefore);
    }

    void candidatesAreFreshServerCopies()
    {
        OldCreate old;
        makeOldCreate(false, &old);
        if (QTest::currentTestFailed())
            return;
        const ObjectSchema schema
            = ObjectSchema::fromDefinitionsJson(parseObject(h->store->definitions(kDeal)->json));
        CreateCandidateModel model(schema,
            [](const QString &accountId) { return QStringLiteral("Account %1").arg(accountId); });
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QCOMPARE(model.columnCount(), int(CreateCandidateModel::ColumnCount));
        QCOMPARE(model.rowCount(), 0);

        // The colleague changes their deal after it was made: the rep sees it as it is now.
        QVERIFY(h->colleagueEdit(old.colleagueId, QStringLiteral("$amount"), 123456));
        QSignalSpy finished(&model, &CreateCandidateModel::finished);
        model.load(h->client.get(), parseObject(old.create.body));
        QVERIFY(model.isLoading());
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().at(0).toBool(), true);
        QVERIFY(!model.isLoading());
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.recordId(0), old.colleagueId);
        QCOMPARE(model.index(0, 0).data(CreateCandidateModel::IdRole).toString(), old.colleagueId);
        const QJsonObject fetched = parseObject(model.recordJson(0));
        QCOMPARE(RecordJson::fieldValue(fetched, QStringLiteral("$amount")).toDouble(), 123456.0);
        QCOMPARE(model.index(0, CreateCandidateModel::NameColumn).data().toString(),
            QStringLiteral("Harbor expansion"));
        // Money as everywhere in the app: "123,456 USD", not the index's amount.
        QCOMPARE(model.index(0, CreateCandidateModel::AmountColumn).data().toString(),
            MoneyText::format(
                QLocale(), 12345600, schema.field(QStringLiteral("$amount"))->currency()));
        QVERIFY(model.index(0, CreateCandidateModel::AccountColumn)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("Account ")));
        // Looking never wrote anything.
        QCOMPARE(writesSince(old.writesBefore).size(), 0);

        // A failed search: no rows and a reason, not a guess.
        h->server->config().faults.rate500 = 1.0;
        finished.clear();
        model.load(h->client.get(), parseObject(old.create.body));
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        QVERIFY(!finished.first().at(1).toString().isEmpty());
        QCOMPARE(model.rowCount(), 0);
        h->server->config().faults.rate500 = 0;
    }

    void answersNeedARowThatMayExist()
    {
        h = std::make_unique<Harness>();
        QVERIFY(h->openStore());
        const auto create = h->outbox->enqueueCreate(
            kDeal, Outbox::newTemporaryId(), QByteArrayLiteral(R"({"fields":{"$name":"A"}})"));
        QVERIFY(create);
        QVERIFY(!h->outbox->adopt(create->seq, QByteArrayLiteral(R"({"id":"opp_1"})")));
        QVERIFY(!h->outbox->createAnyway(create->seq));
        QCOMPARE(h->outbox->row(create->seq)->state, OutboxRow::State::Pending);
        QVERIFY(h->outbox->markMayExist(create->seq, QStringLiteral("test")));
        QCOMPARE(h->outbox->counts().mayExist, 1);
        QCOMPARE(h->outbox->row(create->seq)->state, OutboxRow::State::MayExist);
        // Not ready to send, and not a row the user can "retry" into the old key.
        QVERIFY(h->outbox->nextReady(QDateTime::currentDateTimeUtc().addDays(2)).isEmpty());
        QVERIFY(!h->outbox->resume(create->seq));
        QVERIFY(!h->outbox->adopt(create->seq, QByteArrayLiteral(R"({"id":"local_x"})")));
        // An update is never "may already exist".
        const auto update = h->outbox->enqueueUpdate(kDeal, QStringLiteral("opp_2"),
            QByteArrayLiteral(R"({"fields":{"$name":"B"}})"), QString(), QJsonObject());
        QVERIFY(update);
        QVERIFY(!h->outbox->markMayExist(update->seq, QStringLiteral("test")));
    }
};

QTEST_GUILESS_MAIN(TestOldCreates)
#include "tst_oldcreates.moc"
