// OpportunityTableLoadJob: the first screenful in one reset, the rest in
// chunks appended without a reset, and the same table as a whole load at the end.

#include "itemmodels/opportunityroles.h"
#include "itemmodels/opportunitytableloader.h"
#include "itemmodels/opportunitytableloadjob.h"
#include "itemmodels/opportunitytablemodel.h"
#include "store/localstore.h"
#include "store/outbox.h"
#include "tabletesthelpers.h"

#include "sandboxclock.h"
#include "sandboxseed.h"
#include "sandboxstore.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace OpportunityRoles;

namespace {

const QString kDeal = QStringLiteral("opportunity");

/** A LocalStore filled from a seeded sandbox: definitions, names and opportunities. */
void fillStore(LocalStore &store, SandboxStore &sandbox)
{
    store.putDefinitions(kDeal,
        QJsonDocument(SandboxSchema::opportunity().definitionsJson())
            .toJson(QJsonDocument::Compact),
        QDateTime::currentDateTimeUtc());
    for (const QString &type :
        {QStringLiteral("account"), QStringLiteral("member"), QStringLiteral("contact"), kDeal}) {
        QList<QByteArray> jsons;
        const QStringList ids = sandbox.ids(type);
        for (const QString &id : ids)
            jsons.append(QJsonDocument(*sandbox.retrieve(type, id)).toJson(QJsonDocument::Compact));
        QVERIFY(store.upsertServerRecords(type, jsons));
    }
}

/** Every row's id, sync state, search text and the display of every cell, by id. */
QMap<QString, QStringList> contents(const OpportunityTableModel &model)
{
    QMap<QString, QStringList> rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column < model.columnCount(); ++column)
            cells << model.index(row, column).data().toString();
        cells << QString::number(int(model.syncStateAt(row)))
              << QString::fromUtf8(model.searchKey(row));
        rows.insert(model.idAt(row), cells);
    }
    return rows;
}

} // namespace

class TestOpportunityTableLoadJob final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_store = std::make_unique<LocalStore>(m_dir->filePath(QStringLiteral("cache.sqlite")));
        QVERIFY(m_store->open().isOpen());
        m_sandbox = std::make_unique<SandboxStore>(&m_clock, 11);
        seedSandbox(*m_sandbox, {11, 230});
        fillStore(*m_store, *m_sandbox);
        m_outbox = std::make_unique<Outbox>(*m_store);
    }

    void cleanup()
    {
        m_outbox.reset();
        m_store.reset();
        m_sandbox.reset();
        m_dir.reset();
    }

    void firstScreenfulInOneResetThenChunks()
    {
        // A deal past the first screenful with a queued edit: Pending once its chunk lands.
        const QString edited = m_sandbox->ids(kDeal).constLast();
        QVERIFY(m_outbox->enqueueUpdate(kDeal, edited,
            QByteArrayLiteral("{\"fields\":{\"$name\":\"Edited offline\"}}"), QString(),
            QJsonObject {{QStringLiteral("$name"), QStringLiteral("old")}}));

        OpportunityTableModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        OpportunityTableLoadJob job(*m_store, model, m_outbox.get(), {40, 30, 0});
        QSignalSpy progress(&job, &OpportunityTableLoadJob::progress);
        QSignalSpy finished(&job, &OpportunityTableLoadJob::finished);

        const auto first = job.start();
        QVERIFY2(first.ok, qPrintable(first.error));
        QCOMPARE(first.rows, 40);
        QCOMPARE(model.rowCount(), 40);
        QCOMPARE(reset.count(), 1);
        QVERIFY(job.isRunning());
        QCOMPARE(job.totalRows(), 230);
        // The first rows already show names, not ids.
        const int account = model.columnForKey(QStringLiteral("$account"));
        for (int row = 0; row < model.rowCount(); ++row)
            QVERIFY(!model.index(row, account).data().toString().startsWith(QLatin1String("acc_")));

        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.count(), 1);
        QVERIFY(finished.first().at(0).value<OpportunityTableLoadJob::Result>().ok);
        QVERIFY(!job.isRunning());
        QCOMPARE(reset.count(), 1); // no reset after the first screenful
        QCOMPARE(model.rowCount(), 230);
        // 190 rows in chunks of 30: seven inserts, contiguous at the end.
        QCOMPARE(TableTest::rowsText(inserted),
            QStringLiteral("40,69;70,99;100,129;130,159;160,189;190,219;220,229"));
        QCOMPARE(progress.constLast().at(0).toInt(), 230);
        QCOMPARE(progress.constLast().at(1).toInt(), 230);
        QCOMPARE(job.percent(), 100);
        QCOMPARE(model.syncStateAt(model.rowForId(edited)), SyncState::Pending);
        QCOMPARE(model.index(model.rowForId(edited), 0).data().toString(),
            QStringLiteral("Edited offline"));

        // The same table as a whole load in one go.
        OpportunityTableModel whole;
        QVERIFY(OpportunityTableLoader::load(*m_store, whole, m_outbox.get()).ok);
        QCOMPARE(model.columnCount(), whole.columnCount());
        QCOMPARE(contents(model), contents(whole));
    }

    void rowsAddedMeanwhileAreUpdatedNotDuplicated()
    {
        OpportunityTableModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        OpportunityTableLoadJob job(*m_store, model, nullptr, {25, 50, 0});
        QVERIFY(job.start().ok);
        QCOMPARE(model.rowCount(), 25);
        // A sync page stores a deal the job has not reached yet: the page's refresh appends it.
        QStringList ids = m_sandbox->ids(kDeal);
        std::sort(ids.begin(), ids.end());
        const QString late = ids.at(200);
        QJsonObject json = *m_sandbox->retrieve(kDeal, late);
        QJsonObject fields = json.value(QStringLiteral("fields")).toObject();
        fields.insert(QStringLiteral("$name"),
            QJsonObject {{QStringLiteral("valueType"), QStringLiteral("TEXT")},
                {QStringLiteral("value"), QStringLiteral("Renamed during the load")}});
        json.insert(QStringLiteral("fields"), fields);
        json.insert(QStringLiteral("updatedAt"), QStringLiteral("2099-01-01T00:00:00.000Z"));
        QCOMPARE(m_store->upsertServerRecord(kDeal, QJsonDocument(json).toJson()),
            LocalStore::Upsert::Updated);
        OpportunityTableLoader::refresh(*m_store, model, {late});
        QCOMPARE(model.rowCount(), 26);
        QCOMPARE(model.rowForId(late), 25);
        // …and one deleted before the job reaches it is never read.
        const QString gone = ids.at(150);
        QVERIFY(m_store->markDeleted(kDeal, gone));

        job.finishNow();
        QVERIFY(!job.isRunning());
        QCOMPARE(model.rowCount(), 229);
        QCOMPARE(model.rowForId(gone), -1);
        QCOMPARE(model.rowForId(late), 25);
        QCOMPARE(model.index(25, 0).data().toString(), QStringLiteral("Renamed during the load"));
        QSet<QString> seen;
        for (int row = 0; row < model.rowCount(); ++row)
            seen.insert(model.idAt(row));
        QCOMPARE(seen.size(), qsizetype(229));
    }

    void withoutDefinitionsNothingIsScheduled()
    {
        QTemporaryDir dir;
        LocalStore empty(dir.filePath(QStringLiteral("empty.sqlite")));
        QVERIFY(empty.open().isOpen());
        OpportunityTableModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        OpportunityTableLoadJob job(empty, model);
        QSignalSpy finished(&job, &OpportunityTableLoadJob::finished);
        const auto result = job.start();
        QVERIFY(!result.ok);
        QVERIFY(!result.error.isEmpty());
        QVERIFY(!job.isRunning());
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(finished.count(), 0);
    }

    void fewerDealsThanAScreenfulFinishAtOnce()
    {
        OpportunityTableModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        OpportunityTableLoadJob job(*m_store, model, nullptr, {500, 100, 0});
        QSignalSpy finished(&job, &OpportunityTableLoadJob::finished);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QVERIFY(job.start().ok);
        QCOMPARE(model.rowCount(), 230);
        QVERIFY(finished.wait(5000));
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(model.rowCount(), 230);
        // Names arrive for every relationship cell (the whole directory is applied).
        QCOMPARE(model.nameDirectory().size(),
            qsizetype(m_sandbox->count(QStringLiteral("account"))
                + m_sandbox->count(QStringLiteral("member"))
                + m_sandbox->count(QStringLiteral("contact"))));
    }

private:
    SandboxClock m_clock;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<LocalStore> m_store;
    std::unique_ptr<SandboxStore> m_sandbox;
    std::unique_ptr<Outbox> m_outbox;
};

QTEST_GUILESS_MAIN(TestOpportunityTableLoadJob)
#include "tst_opportunitytableloadjob.moc"
