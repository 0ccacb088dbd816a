// OpportunityTableModel: columns from the schema, display per type, typed sort and raw roles,
// incremental updates with precise signals, and the LocalStore loader.

#include "itemmodels/opportunityroles.h"
#include "itemmodels/opportunitytableloader.h"
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
#include <QUrlQuery>

#include <ctime>

using namespace OpportunityRoles;
using TableTest::makeRecord;

namespace {

Record richRecord(const ObjectSchema &schema)
{
    const QJsonObject address {{QStringLiteral("street"), QStringLiteral("1 Main St")},
        {QStringLiteral("street2"), QJsonValue()},
        {QStringLiteral("city"), QStringLiteral("Austin")},
        {QStringLiteral("state"), QStringLiteral("TX")},
        {QStringLiteral("postalCode"), QStringLiteral("78701")},
        {QStringLiteral("country"), QStringLiteral("US")}};
    return makeRecord(schema, QStringLiteral("opp_rich"),
        {{QStringLiteral("$name"), QStringLiteral("Northwind – renewal FY27")},
            {QStringLiteral("$stage"), QStringLiteral("opt_stage_proposal")},
            {QStringLiteral("$opportunityStatus"), QStringLiteral("opt_status_open")},
            {QStringLiteral("$amount"), 48000}, {QStringLiteral("arrEur"), 12500.5},
            {QStringLiteral("closeDate"), QStringLiteral("2026-09-30T00:00:00.000Z")},
            {QStringLiteral("$lastInteractionAt"), QStringLiteral("2026-11-20T13:05:00.000Z")},
            {QStringLiteral("probability"), 12.5}, {QStringLiteral("isStrategic"), true},
            {QStringLiteral("competitors"),
                QJsonArray {QStringLiteral("opt_competitors_salesforce"),
                    QStringLiteral("opt_competitors_hubspot")}},
            {QStringLiteral("forecastCategory"), QStringLiteral("opt_forecast_commit")},
            {QStringLiteral("billingEmail"),
                QJsonArray {
                    QStringLiteral("billing@north.example"), QStringLiteral("ap@north.example")}},
            {QStringLiteral("dealRoom"), QStringLiteral("https://room.example/north")},
            {QStringLiteral("buyerPhones"), QJsonArray {QStringLiteral("+15125550100")}},
            {QStringLiteral("deliveryAddress"), address},
            {QStringLiteral("economicBuyer"),
                QJsonObject {{QStringLiteral("firstName"), QStringLiteral("Ana")},
                    {QStringLiteral("lastName"), QStringLiteral("Ruiz")}}},
            {QStringLiteral("buyerLinkedIn"), QStringLiteral("https://linkedin.com/in/ana")},
            {QStringLiteral("nextSteps"),
                QStringLiteral("\n- [ ] Send the **revised** proposal\n- [ ] Book the review")},
            {QStringLiteral("$summary"), QStringLiteral("## Summary\n\nBody text")},
            {QStringLiteral("geo"), QJsonObject {{QStringLiteral("lat"), 1}}}},
        {{QStringLiteral("$account"), {QStringLiteral("acc_north")}},
            {QStringLiteral("$owner"), {QStringLiteral("mem_soren")}},
            {QStringLiteral("$evaluator"),
                {QStringLiteral("con_jose"), QStringLiteral("con_gone")}},
            {QStringLiteral("$task"),
                {QStringLiteral("tsk_1"), QStringLiteral("tsk_2"), QStringLiteral("tsk_3")}}});
}

ObjectSchema schemaWithUnknown()
{
    ObjectSchema schema = TableTest::opportunitySchema();
    schema.addField(
        FieldDefinition(QStringLiteral("geo"), FieldType::Unknown, QStringLiteral("Geo")));
    return schema;
}

Record named(const ObjectSchema &schema, const QString &id, const QString &name, double amount)
{
    return makeRecord(schema, id,
        {{QStringLiteral("$name"), name}, {QStringLiteral("$amount"), amount},
            {QStringLiteral("$stage"), QStringLiteral("opt_stage_discovery")}},
        {{QStringLiteral("$account"), {QStringLiteral("acc_north")}}});
}

} // namespace

class TestOpportunityTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void columnsFollowTheSchemaWithADefaultSet();
    void displayIsFormattedPerType();
    void displayOfEmptyAndUnknownValues();
    void sortRoleIsTyped();
    void rawValueRoleGivesBackEveryDecodedValue();
    void upsertAppendsNewRowsInOneInsert();
    void upsertChangesRowsInPlace();
    void upsertOfMostRowsEmitsOneRangeSignal();
    void removeRecordsRemovesContiguousRuns();
    void syncStatesEmitOnlySyncRoles();
    void nameDirectoryUpdatesRelationshipCells();
    void updateNamesRewritesOnlyRowsShowingAChangedName();
    void loaderFillsTheModelFromLocalStore();
    void loaderRefreshAppliesStoreChangesWithoutReset();
};

void TestOpportunityTableModel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qputenv("TZ", "Europe/Berlin");
    tzset();
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestOpportunityTableModel::columnsFollowTheSchemaWithADefaultSet()
{
    OpportunityTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSchema(TableTest::opportunitySchema());

    QStringList defaults;
    for (const int column : model.defaultColumns())
        defaults.append(model.headerData(column, Qt::Horizontal, ColumnKeyRole).toString());
    QCOMPARE(defaults.join(QLatin1Char(' ')),
        QStringLiteral("$name $account $stage $opportunityStatus $amount arrEur "
                       "$lastInteractionAt closeDate $owner"));
    // Every other field and relationship is in the column chooser.
    const ObjectSchema schema = TableTest::opportunitySchema();
    QCOMPARE(model.columnCount(), int(schema.fields().size() + schema.relationships().size()));
    const int competitors = model.columnForKey(QStringLiteral("competitors"));
    QVERIFY(competitors > 0);
    QCOMPARE(model.headerData(competitors, Qt::Horizontal, DefaultVisibleRole).toBool(), false);
    QCOMPARE(
        model.headerData(competitors, Qt::Horizontal).toString(), QStringLiteral("Competitors"));
    QCOMPARE(model.headerData(competitors, Qt::Horizontal, ColumnTypeRole).toInt(),
        int(FieldType::MultiSelect));
    const int account = model.columnForKey(QStringLiteral("$account"));
    QCOMPARE(model.headerData(account, Qt::Horizontal, ColumnKindRole).toInt(),
        int(ColumnKind::Relationship));
    QCOMPARE(model.headerData(account, Qt::Horizontal, ColumnTypeRole).toInt(), -1);
}

void TestOpportunityTableModel::displayIsFormattedPerType()
{
    const ObjectSchema schema = schemaWithUnknown();
    OpportunityTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.reload(
        schema, TableTest::names(), 1, [&schema](qsizetype) { return richRecord(schema); });
    QCOMPARE(model.rowCount(), 1);
    const auto display = [&model](const char *key) {
        return model.index(0, model.columnForKey(QLatin1String(key))).data().toString();
    };
    QCOMPARE(display("$name"), QStringLiteral("Northwind – renewal FY27"));
    QCOMPARE(display("$stage"), QStringLiteral("Proposal"));
    QCOMPARE(display("$opportunityStatus"), QStringLiteral("Open"));
    // The locale's own currency with its symbol; another with its ISO code; cents kept.
    QCOMPARE(display("$amount"), QStringLiteral("$48,000"));
    QCOMPARE(
        display("arrEur"), QStringLiteral("12,500.50") + QChar(0x00A0) + QStringLiteral("EUR"));
    // A date-only value keeps its day in any time zone (Berlin here, UTC+1/+2).
    QCOMPARE(display("closeDate"), QStringLiteral("9/30/26"));
    // A time: converted to local time (13:05 UTC = 14:05 in Berlin in November).
    QCOMPARE(display("$lastInteractionAt"),
        QLocale().toString(QDateTime(QDate(2026, 11, 20), QTime(14, 5)), QLocale::ShortFormat));
    QVERIFY(display("$lastInteractionAt").contains(QLatin1String("2:05")));
    QCOMPARE(display("probability"), QStringLiteral("12.5"));
    QCOMPARE(display("competitors"), QStringLiteral("Salesforce, HubSpot"));
    QCOMPARE(display("forecastCategory"), QStringLiteral("Commit"));
    QCOMPARE(display("billingEmail"), QStringLiteral("billing@north.example, ap@north.example"));
    QCOMPARE(display("buyerPhones"), QStringLiteral("+15125550100"));
    QCOMPARE(display("dealRoom"), QStringLiteral("https://room.example/north"));
    QCOMPARE(display("deliveryAddress"), QStringLiteral("1 Main St, Austin, TX 78701, US"));
    QCOMPARE(display("economicBuyer"), QStringLiteral("Ana Ruiz"));
    QCOMPARE(display("buyerLinkedIn"), QStringLiteral("https://linkedin.com/in/ana"));
    QCOMPARE(display("nextSteps"), QStringLiteral("Send the revised proposal"));
    QCOMPARE(display("$summary"), QStringLiteral("Summary"));
    QCOMPARE(display("geo"), QStringLiteral("{\"lat\":1}"));
    // Relationships: names from the mirror, a placeholder (never the id) when unknown, a count
    // for tasks.
    QCOMPARE(display("$account"), QStringLiteral("Northwind Labs"));
    QCOMPARE(display("$owner"), QStringLiteral("Søren Kierkegaard"));
    QCOMPARE(display("$evaluator"), QStringLiteral("José Núñez, …"));
    QCOMPARE(display("$task"), QStringLiteral("3"));
    // Checkbox: a check state, no text.
    const QModelIndex strategic = model.index(0, model.columnForKey(QStringLiteral("isStrategic")));
    QCOMPARE(strategic.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
    QVERIFY(!strategic.data(Qt::DisplayRole).isValid());
    // Numbers and money are right-aligned, text is not.
    QCOMPARE(model.index(0, model.columnForKey(QStringLiteral("$amount")))
                 .data(Qt::TextAlignmentRole)
                 .toInt(),
        int(Qt::AlignRight | Qt::AlignVCenter));
    QVERIFY(!model.index(0, 0).data(Qt::TextAlignmentRole).isValid());
    QCOMPARE(model.index(0, 3).data(IdRole).toString(), QStringLiteral("opp_rich"));
}

void TestOpportunityTableModel::displayOfEmptyAndUnknownValues()
{
    const ObjectSchema schema = TableTest::opportunitySchema();
    OpportunityTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSchema(schema);
    model.upsertRecords({makeRecord(schema, QStringLiteral("opp_empty"),
        {{QStringLiteral("$name"), QStringLiteral("Bare")},
            {QStringLiteral("$stage"), QStringLiteral("opt_unknown_option")},
            {QStringLiteral("$amount"), QJsonValue()},
            {QStringLiteral("probability"), QStringLiteral("not a number")},
            {QStringLiteral("arrEur"), 10.25}})});
    const auto index = [&model](const char *key) {
        return model.index(0, model.columnForKey(QLatin1String(key)));
    };
    QCOMPARE(index("$stage").data().toString(), QStringLiteral("opt_unknown_option"));
    QCOMPARE(index("$amount").data().toString(), QString());
    QVERIFY(!index("$amount").data(SortRole).isValid());
    QCOMPARE(index("isStrategic").data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);
    QCOMPARE(index("$owner").data().toString(), QString());
    QCOMPARE(index("arrEur").data().toString(),
        QStringLiteral("10.25") + QChar(0x00A0) + QStringLiteral("EUR"));
    // A value that contradicts its type is shown as read and kept raw.
    QCOMPARE(index("probability").data().toString(), QStringLiteral("not a number"));
    QVERIFY(index("probability").data(RawValueRole).value<FieldValue>().isRaw());
    QVERIFY(!index("probability").data(SortRole).isValid());
}

void TestOpportunityTableModel::sortRoleIsTyped()
{
    const ObjectSchema schema = schemaWithUnknown();
    OpportunityTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.reload(
        schema, TableTest::names(), 1, [&schema](qsizetype) { return richRecord(schema); });
    const auto sortKey = [&model](const char *key) {
        return model.index(0, model.columnForKey(QLatin1String(key))).data(SortRole);
    };
    QCOMPARE(sortKey("$amount").typeId(), QMetaType::LongLong);
    QCOMPARE(sortKey("$amount").toLongLong(), 4'800'000LL);
    QCOMPARE(sortKey("arrEur").toLongLong(), 1'250'050LL);
    QCOMPARE(sortKey("probability").typeId(), QMetaType::Double);
    QCOMPARE(sortKey("probability").toDouble(), 12.5);
    QCOMPARE(sortKey("closeDate").typeId(), QMetaType::QDateTime);
    QCOMPARE(
        sortKey("closeDate").toDateTime(), QDateTime(QDate(2026, 9, 30), QTime(0, 0), Qt::UTC));
    QCOMPARE(sortKey("isStrategic").typeId(), QMetaType::Bool);
    QCOMPARE(sortKey("isStrategic").toBool(), true);
    // Stages sort in pipeline order (the option's position), not by label.
    QCOMPARE(sortKey("$stage").typeId(), QMetaType::Int);
    QCOMPARE(sortKey("$stage").toInt(), 2);
    QCOMPARE(sortKey("$name").toString(), QStringLiteral("northwind – renewal fy27"));
    QCOMPARE(sortKey("$owner").toString(), QStringLiteral("soren kierkegaard"));
    QCOMPARE(sortKey("$task").toInt(), 3);
    QVERIFY(!sortKey("$champion").isValid());
}

void TestOpportunityTableModel::rawValueRoleGivesBackEveryDecodedValue()
{
    // Seeded records cover all 14 types with nulls and non-ASCII text: what the cells keep
    // must give back exactly what Record decoded.
    SandboxClock clock;
    SandboxStore sandbox(&clock, 7);
    seedSandbox(sandbox, {7, 300});
    const ObjectSchema schema = TableTest::opportunitySchema();
    const QStringList ids = sandbox.ids(QStringLiteral("opportunity"));
    QList<Record> records;
    for (const QString &id : ids)
        records.append(
            Record::fromJson(*sandbox.retrieve(QStringLiteral("opportunity"), id), schema));

    OpportunityTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSchema(schema);
    model.upsertRecords(records);
    QCOMPARE(model.rowCount(), int(records.size()));
    for (int row = 0; row < model.rowCount(); ++row) {
        const Record &record = records.at(row);
        QCOMPARE(model.idAt(row), record.id());
        for (const FieldDefinition &field : schema.fields()) {
            const QModelIndex index = model.index(row, model.columnForKey(field.key()));
            const auto value = index.data(Qt::EditRole).value<FieldValue>();
            if (!(value == record.value(field.key())))
                QFAIL(qPrintable(QStringLiteral("%1 %2: %3 != %4")
                                     .arg(record.id(), field.key(), value.debugString(),
                                         record.value(field.key()).debugString())));
            QCOMPARE(index.data(RawValueRole).value<FieldValue>(), value);
        }
        for (const RelationshipDefinition &relationship : schema.relationships()) {
            const QModelIndex index = model.index(row, model.columnForKey(relationship.key()));
            QCOMPARE(
                index.data(RawValueRole).toStringList(), record.relatedIds(relationship.key()));
        }
    }
}

void TestOpportunityTableModel::upsertAppendsNewRowsInOneInsert()
{
    const ObjectSchema schema = TableTest::opportunitySchema();
    OpportunityTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSchema(schema);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    model.upsertRecords({named(schema, QStringLiteral("opp_a"), QStringLiteral("A"), 1),
        named(schema, QStringLiteral("opp_b"), QStringLiteral("B"), 2),
        named(schema, QStringLiteral("opp_a"), QStringLiteral("A2"), 3)});
    QCOMPARE(TableTest::rowsText(inserted), QStringLiteral("0,1"));
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("A2")); // the later copy wins
    model.upsertRecords({named(schema, QStringLiteral("opp_c"), QStringLiteral("C"), 4),
        named(schema, QStringLiteral("opp_d"), QStringLiteral("D"), 5),
        named(schema, QStringLiteral("opp_e"), QStringLiteral("E"), 6)});
    QCOMPARE(TableTest::rowsText(inserted), QStringLiteral("0,1;2,4"));
    QCOMPARE(model.rowForId(QStringLiteral("opp_e")), 4);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(reset.count(), 0);
}

void TestOpportunityTableModel::upsertChangesRowsInPlace()
{
    const ObjectSchema schema = TableTest::opportunitySchema();
    OpportunityTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSchema(schema);
    QList<Record> records;
    for (int i = 0; i < 6; ++i)
        records.append(
            named(schema, QStringLiteral("opp_%1").arg(i), QStringLiteral("Deal %1").arg(i), i));
    model.upsertRecords(records);

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
    // A page that repeats what the table already shows changes nothing.
    model.upsertRecords(records);
    QCOMPARE(changed.count(), 0);
    // One changed record (amount), one new: one row signal, one insert.
    model.upsertRecords({named(schema, QStringLiteral("opp_4"), QStringLiteral("Deal 4"), 400),
        named(schema, QStringLiteral("opp_new"), QStringLiteral("New"), 1)});
    QCOMPARE(TableTest::changedRowsText(changed), QStringLiteral("4-4"));
    const QList<QVariant> args = changed.first();
    QCOMPARE(args.at(0).value<QModelIndex>().column(), 0);
    QCOMPARE(args.at(1).value<QModelIndex>().column(), model.columnCount() - 1);
    const auto roles = args.at(2).value<QList<int>>();
    QVERIFY(roles.contains(Qt::DisplayRole));
    QVERIFY(roles.contains(SortRole));
    QVERIFY(!roles.contains(SyncStateRole));
    QCOMPARE(TableTest::rowsText(inserted), QStringLiteral("6,6"));
    QCOMPARE(model.index(4, model.columnForKey(QStringLiteral("$amount"))).data().toString(),
        QStringLiteral("$400"));
    QCOMPARE(reset.count(), 0);
    QCOMPARE(layout.count(), 0);
}

void TestOpportunityTableModel::upsertOfMostRowsEmitsOneRangeSignal()
{
    const ObjectSchema schema = TableTest::opportunitySchema();
    OpportunityTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSchema(schema);
    QList<Record> records;
    for (int i = 0; i < 10; ++i)
        records.append(
            named(schema, QStringLiteral("opp_%1").arg(i), QStringLiteral("Deal %1").arg(i), i));
    model.upsertRecords(records);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QList<Record> update;
    for (int i = 0; i < 6; ++i)
        update.append(named(
            schema, QStringLiteral("opp_%1").arg(i), QStringLiteral("Deal %1").arg(i), i + 100));
    model.upsertRecords(update);
    QCOMPARE(TableTest::changedRowsText(changed), QStringLiteral("0-9"));
    changed.clear();
    update = {update.at(1), update.at(3)};
    update[0] = named(schema, QStringLiteral("opp_1"), QStringLiteral("Renamed"), 1);
    update[1] = named(schema, QStringLiteral("opp_3"), QStringLiteral("Renamed too"), 3);
    model.upsertRecords(update);
    QCOMPARE(TableTest::changedRowsText(changed), QStringLiteral("1-1;3-3"));
}

void TestOpportunityTableModel::removeRecordsRemovesContiguousRuns()
{
    const ObjectSchema schema = TableTest::opportunitySchema();
    OpportunityTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSchema(schema);
    QList<Record> records;
    for (int i = 0; i < 8; ++i)
        records.append(
            named(schema, QStringLiteral("opp_%1").arg(i), QStringLiteral("Deal %1").arg(i), i));
    model.upsertRecords(records);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.removeRecords({QStringLiteral("opp_1"), QStringLiteral("opp_2"), QStringLiteral("opp_6"),
        QStringLiteral("opp_unknown")});
    QCOMPARE(TableTest::rowsText(removed), QStringLiteral("6,6;1,2"));
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.rowForId(QStringLiteral("opp_7")), 4);
    QCOMPARE(model.rowForId(QStringLiteral("opp_3")), 1);
    QCOMPARE(model.rowForId(QStringLiteral("opp_2")), -1);
    QCOMPARE(model.index(4, 0).data().toString(), QStringLiteral("Deal 7"));
}

void TestOpportunityTableModel::syncStatesEmitOnlySyncRoles()
{
    const ObjectSchema schema = TableTest::opportunitySchema();
    OpportunityTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSchema(schema);
    QList<Record> records;
    for (int i = 0; i < 4; ++i)
        records.append(
            named(schema, QStringLiteral("opp_%1").arg(i), QStringLiteral("Deal %1").arg(i), i));
    model.upsertRecords(records);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setSyncState(QStringLiteral("opp_2"), SyncState::Pending);
    model.setSyncState(QStringLiteral("opp_2"), SyncState::Pending); // no change, no signal
    QCOMPARE(TableTest::changedRowsText(changed), QStringLiteral("2-2"));
    const auto roles = changed.first().at(2).value<QList<int>>();
    QCOMPARE(roles, (QList<int> {SyncStateRole, PendingRole, ConflictRole}));
    QCOMPARE(model.index(2, 5).data(PendingRole).toBool(), true);
    QCOMPARE(model.index(2, 5).data(SyncStateRole).toInt(), int(SyncState::Pending));
    changed.clear();
    model.setSyncStates({{QStringLiteral("opp_3"), SyncState::Conflict}});
    QCOMPARE(TableTest::changedRowsText(changed), QStringLiteral("2-2;3-3"));
    QCOMPARE(model.index(3, 0).data(ConflictRole).toBool(), true);
    QCOMPARE(model.index(2, 0).data(PendingRole).toBool(), false);
}

void TestOpportunityTableModel::nameDirectoryUpdatesRelationshipCells()
{
    const ObjectSchema schema = TableTest::opportunitySchema();
    OpportunityTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSchema(schema);
    model.upsertRecords({named(schema, QStringLiteral("opp_1"), QStringLiteral("One"), 1),
        makeRecord(
            schema, QStringLiteral("opp_2"), {{QStringLiteral("$name"), QStringLiteral("Two")}})});
    const int account = model.columnForKey(QStringLiteral("$account"));
    QCOMPARE(model.index(0, account).data().toString(), QStringLiteral("…"));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setNameDirectory(TableTest::names());
    QCOMPARE(TableTest::changedRowsText(changed), QStringLiteral("0-0"));
    QCOMPARE(model.index(0, account).data().toString(), QStringLiteral("Northwind Labs"));
    QVERIFY(model.index(0, 0)
                .data(SearchTextRole)
                .toString()
                .contains(QLatin1String("northwind labs")));
}

void TestOpportunityTableModel::updateNamesRewritesOnlyRowsShowingAChangedName()
{
    const ObjectSchema schema = TableTest::opportunitySchema();
    OpportunityTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSchema(schema);
    model.setNameDirectory(TableTest::names());
    model.upsertRecords({named(schema, QStringLiteral("opp_1"), QStringLiteral("One"), 1),
        makeRecord(
            schema, QStringLiteral("opp_2"), {{QStringLiteral("$name"), QStringLiteral("Two")}}),
        named(schema, QStringLiteral("opp_3"), QStringLiteral("Three"), 1),
        makeRecord(
            schema, QStringLiteral("opp_4"), {{QStringLiteral("$name"), QStringLiteral("Four")}})});
    const int account = model.columnForKey(QStringLiteral("$account"));
    QCOMPARE(model.index(2, account).data().toString(), QStringLiteral("Northwind Labs"));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    // The same name, and a name no row shows: nothing to repaint.
    model.updateNames({{QStringLiteral("acc_north"), QStringLiteral("Northwind Labs")},
        {QStringLiteral("acc_zeta"), QStringLiteral("Zeta Renamed")}});
    QCOMPARE(changed.count(), 0);
    QCOMPARE(
        model.nameDirectory().name(QStringLiteral("acc_zeta")), QStringLiteral("Zeta Renamed"));
    // A page of accounts renames the one rows 0 and 2 show (half the rows: one signal each).
    model.updateNames({{QStringLiteral("acc_north"), QStringLiteral("Northwind Holdings")}});
    QCOMPARE(TableTest::changedRowsText(changed), QStringLiteral("0-0;2-2"));
    QCOMPARE(model.index(0, account).data().toString(), QStringLiteral("Northwind Holdings"));
    QVERIFY(model.index(2, 0)
                .data(SearchTextRole)
                .toString()
                .contains(QLatin1String("northwind holdings")));
    QVERIFY(!model.index(2, 0)
                 .data(SearchTextRole)
                 .toString()
                 .contains(QLatin1String("northwind labs")));
    // An account deleted on the server: its cells fall back to the placeholder, not the id.
    changed.clear();
    model.updateNames({{QStringLiteral("acc_north"), QString()}});
    QCOMPARE(TableTest::changedRowsText(changed), QStringLiteral("0-0;2-2"));
    QCOMPARE(model.index(0, account).data().toString(), QStringLiteral("…"));
}

namespace {

/** A LocalStore filled from a seeded sandbox: definitions, names and opportunities. */
void fillStore(LocalStore &store, SandboxStore &sandbox)
{
    store.putDefinitions(QStringLiteral("opportunity"),
        QJsonDocument(SandboxSchema::opportunity().definitionsJson())
            .toJson(QJsonDocument::Compact),
        QDateTime::currentDateTimeUtc());
    for (const QString &type : {QStringLiteral("account"), QStringLiteral("member"),
             QStringLiteral("contact"), QStringLiteral("opportunity")}) {
        QList<QByteArray> jsons;
        const QStringList ids = sandbox.ids(type);
        for (const QString &id : ids)
            jsons.append(QJsonDocument(*sandbox.retrieve(type, id)).toJson(QJsonDocument::Compact));
        QVERIFY(store.upsertServerRecords(type, jsons));
    }
}

} // namespace

void TestOpportunityTableModel::loaderFillsTheModelFromLocalStore()
{
    QTemporaryDir dir;
    LocalStore store(dir.filePath(QStringLiteral("cache.sqlite")));
    QVERIFY(store.open().isOpen());
    SandboxClock clock;
    SandboxStore sandbox(&clock, 3);
    seedSandbox(sandbox, {3, 60});
    fillStore(store, sandbox);
    Outbox outbox(store);
    const QString edited = sandbox.ids(QStringLiteral("opportunity")).at(5);
    QVERIFY(outbox.enqueueUpdate(QStringLiteral("opportunity"), edited,
        QByteArrayLiteral("{\"fields\":{\"$name\":\"Edited offline\"}}"), QString(),
        QJsonObject {{QStringLiteral("$name"), QStringLiteral("old")}}));

    OpportunityTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    const auto result = OpportunityTableLoader::load(store, model, &outbox);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.rows, 60);
    QCOMPARE(reset.count(), 1);
    // The effective copy (queued edit applied) and its pending state.
    const int row = model.rowForId(edited);
    QVERIFY(row >= 0);
    QCOMPARE(model.index(row, 0).data().toString(), QStringLiteral("Edited offline"));
    QCOMPARE(model.index(row, 0).data(PendingRole).toBool(), true);
    // Every account and owner cell shows a name from the mirror, never an id.
    const int account = model.columnForKey(QStringLiteral("$account"));
    const int owner = model.columnForKey(QStringLiteral("$owner"));
    for (int r = 0; r < model.rowCount(); ++r) {
        QVERIFY(!model.index(r, account).data().toString().startsWith(QLatin1String("acc_")));
        const QString ownerName = model.index(r, owner).data().toString();
        QVERIFY(ownerName.isEmpty() || !ownerName.startsWith(QLatin1String("mem_")));
    }
    QCOMPARE(OpportunityTableLoader::loadNames(store).size(),
        sandbox.count(QStringLiteral("account")) + sandbox.count(QStringLiteral("member"))
            + sandbox.count(QStringLiteral("contact")));
}

void TestOpportunityTableModel::loaderRefreshAppliesStoreChangesWithoutReset()
{
    QTemporaryDir dir;
    LocalStore store(dir.filePath(QStringLiteral("cache.sqlite")));
    QVERIFY(store.open().isOpen());
    SandboxClock clock;
    SandboxStore sandbox(&clock, 4);
    seedSandbox(sandbox, {4, 20});
    fillStore(store, sandbox);
    OpportunityTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QVERIFY(OpportunityTableLoader::load(store, model).ok);

    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    const QStringList ids = sandbox.ids(QStringLiteral("opportunity"));
    const int changedRow = model.rowForId(ids.at(2));
    const int removedRow = model.rowForId(ids.at(7));
    QJsonObject json = *sandbox.retrieve(QStringLiteral("opportunity"), ids.at(2));
    QJsonObject fields = json.value(QStringLiteral("fields")).toObject();
    fields.insert(QStringLiteral("$name"),
        QJsonObject {{QStringLiteral("valueType"), QStringLiteral("TEXT")},
            {QStringLiteral("value"), QStringLiteral("Renamed by a colleague")}});
    json.insert(QStringLiteral("fields"), fields);
    json.insert(QStringLiteral("updatedAt"), QStringLiteral("2099-01-01T00:00:00.000Z"));
    QCOMPARE(store.upsertServerRecord(
                 QStringLiteral("opportunity"), QJsonDocument(json).toJson(QJsonDocument::Compact)),
        LocalStore::Upsert::Updated);
    QVERIFY(store.removeRecord(QStringLiteral("opportunity"), ids.at(7)));

    OpportunityTableLoader::refresh(store, model, {ids.at(2), ids.at(7)});
    QCOMPARE(reset.count(), 0);
    QCOMPARE(TableTest::changedRowsText(changed), QStringLiteral("%1-%1").arg(changedRow));
    QCOMPARE(TableTest::rowsText(removed), QStringLiteral("%1,%1").arg(removedRow));
    QCOMPARE(model.index(model.rowForId(ids.at(2)), 0).data().toString(),
        QStringLiteral("Renamed by a colleague"));
}

QTEST_GUILESS_MAIN(TestOpportunityTableModel)
#include "tst_opportunitytablemodel.moc"
