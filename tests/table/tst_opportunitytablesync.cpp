// OpportunityTableSync (rows change in place as sync pages arrive): a real SyncEngine
// sweep against the in-process sandbox streams pages into a model under
// QAbstractItemModelTester — rows are inserted per page with no reset during the sweep, a
// colleague's edit between two pulls changes its row in place, a deletion removes its row.

#include "itemmodels/opportunityroles.h"
#include "itemmodels/opportunitytableloader.h"
#include "itemmodels/opportunitytablemodel.h"
#include "itemmodels/opportunitytablesync.h"
#include "store/localstore.h"
#include "store/outbox.h"
#include "tabletesthelpers.h"

#include "synctesthelpers.h"

#include <QAbstractItemModelTester>
#include <QStandardPaths>
#include <QTest>

using namespace SyncTest;

namespace {

/** Every row's cells (display) and search text, by id. */
QMap<QString, QStringList> contents(const OpportunityTableModel &model)
{
    QMap<QString, QStringList> rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column < model.columnCount(); ++column)
            cells << model.index(row, column).data().toString();
        cells << QString::fromUtf8(model.searchKey(row));
        rows.insert(model.idAt(row), cells);
    }
    return rows;
}

} // namespace

class TestOpportunityTableSync final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void sweepStreamsPagesIntoTheModelWithoutReset()
    {
        Harness h;
        SandboxConfig config;
        config.faults.latencyMs = 15;
        QVERIFY(h.startServer(config, 130, 21));
        QVERIFY(h.open(false));

        OpportunityTableModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        // Wired as the app wires it.
        OpportunityTableSync sync(*h.store, model, h.outbox.get());
        connect(h.engine.get(), &SyncEngine::recordsStored, &sync, &OpportunityTableSync::apply);
        connect(h.engine.get(), &SyncEngine::recordsRemoved, &sync, &OpportunityTableSync::apply);
        connect(h.engine.get(), &SyncEngine::definitionsStored, &sync,
            &OpportunityTableSync::definitionsStored);
        int reloads = 0;
        connect(&sync, &OpportunityTableSync::schemaChanged, this, [&] {
            ++reloads;
            QVERIFY(OpportunityTableLoader::load(*h.store, model, h.outbox.get()).ok);
        });
        // The cached table before the first sync: nothing (no definitions yet).
        QVERIFY(!OpportunityTableLoader::load(*h.store, model, h.outbox.get()).ok);

        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy finished(h.engine.get(), &SyncEngine::pullFinished);
        // Rows present whenever a pull progress is reported: the table fills during the sweep.
        QList<int> rowsAtProgress;
        connect(h.engine.get(), &SyncEngine::pullProgress, this,
            [&] { rowsAtProgress << model.rowCount(); });
        h.engine->start();
        QVERIFY(finished.wait(30000));
        QVERIFY(finished.first().at(0).toBool());

        // One reset: the definitions' load, before any deal arrived. None during the sweep.
        QCOMPARE(reloads, 1);
        QCOMPARE(reset.count(), 1);
        // Deals arrived page by page (at most 25 each), appended.
        QVERIFY2(inserted.count() >= 130 / 25, qPrintable(TableTest::rowsText(inserted)));
        int total = 0;
        for (const QList<QVariant> &args : std::as_const(inserted)) {
            const int rows = args.at(2).toInt() - args.at(1).toInt() + 1;
            QVERIFY(rows <= 25);
            QCOMPARE(args.at(1).toInt(), total);
            total += rows;
        }
        QCOMPARE(total, 130);
        QCOMPARE(model.rowCount(), 130);
        QVERIFY(std::any_of(rowsAtProgress.cbegin(), rowsAtProgress.cend(),
            [](int rows) { return rows > 0 && rows < 130; }));
        // Names arrived with the account / member pages: cells show names, not ids.
        const int account = model.columnForKey(QStringLiteral("$account"));
        for (int row = 0; row < model.rowCount(); ++row)
            QVERIFY(!model.index(row, account).data().toString().startsWith(QLatin1String("acc_")));
        // The same table as a whole load from the store.
        OpportunityTableModel whole;
        QVERIFY(OpportunityTableLoader::load(*h.store, whole, h.outbox.get()).ok);
        QCOMPARE(contents(model), contents(whole));

        // A pull with nothing changed on the server touches no row.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        inserted.clear();
        QVERIFY(h.pullOnce());
        QCOMPARE(changed.count(), 0);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(removed.count(), 0);
        QCOMPARE(reset.count(), 1);

        // Between two pulls a colleague renames one deal and another is deleted on the server.
        const QString edited = h.dealIds().at(4);
        const QString gone = h.dealIds().at(9);
        QJsonObject root = h.server->store().toJson();
        QJsonObject objects = root.value(QStringLiteral("objects")).toObject();
        QJsonArray deals = objects.value(kDeal).toArray();
        for (qsizetype i = 0; i < deals.size(); ++i) {
            if (deals.at(i).toObject().value(QStringLiteral("id")).toString() == gone) {
                deals.removeAt(i);
                break;
            }
        }
        objects.insert(kDeal, deals);
        root.insert(QStringLiteral("objects"), objects);
        QString error;
        QVERIFY2(h.server->store().loadJson(root, &error), qPrintable(error));
        QVERIFY(
            h.colleagueEdit(edited, QStringLiteral("$name"), QStringLiteral("Renamed upstream")));
        const int editedRow = model.rowForId(edited);
        const int goneRow = model.rowForId(gone);
        QVERIFY(editedRow >= 0 && goneRow >= 0);

        QVERIFY(h.pullOnce());
        QCOMPARE(reset.count(), 1);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(TableTest::rowsText(removed), QStringLiteral("%1,%1").arg(goneRow));
        QCOMPARE(model.rowForId(gone), -1);
        QCOMPARE(model.rowCount(), 129);
        const int nowRow = model.rowForId(edited);
        QCOMPARE(nowRow, editedRow < goneRow ? editedRow : editedRow - 1);
        QCOMPARE(model.index(nowRow, 0).data().toString(), QStringLiteral("Renamed upstream"));
        QVERIFY(
            std::any_of(changed.cbegin(), changed.cend(), [editedRow](const QList<QVariant> &a) {
                return a.at(0).value<QModelIndex>().row() <= editedRow
                    && a.at(1).value<QModelIndex>().row() >= editedRow;
            }));
        QCOMPARE(changed.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestOpportunityTableSync)
#include "tst_opportunitytablesync.moc"
