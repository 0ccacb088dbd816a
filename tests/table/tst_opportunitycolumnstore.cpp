// OpportunityColumnStore on its own, without the model: the id index through appends, updates
// and removals, typed sort keys and comparisons, folded search texts, names and sync states.

#include "itemmodels/opportunitycolumnstore.h"
#include "itemmodels/opportunityroles.h"
#include "tabletesthelpers.h"

#include <QStandardPaths>
#include <QTest>

#include <cmath>
#include <ctime>

using SyncState = OpportunityRoles::SyncState;
using TableTest::makeRecord;

namespace {

Record deal(const ObjectSchema &schema, const QString &id, const QString &name,
    const TableTest::Fields &more = {}, const TableTest::Relations &relationships = {})
{
    TableTest::Fields fields {{QStringLiteral("$name"), name}};
    fields.append(more);
    return makeRecord(schema, id, fields, relationships);
}

/** Appends `records` the way the model does: existing ids updated, new ones appended. */
std::vector<int> upsert(OpportunityColumnStore &store, const QList<Record> &records,
    const QHash<QString, SyncState> &syncStates = {})
{
    QList<Record> fresh;
    const std::vector<int> changed = store.updateRows(records, &fresh);
    store.appendRows(fresh, syncStates);
    return changed;
}

/** Every row's id, in row order, checked against the id index on the way. */
QString idsInOrder(const OpportunityColumnStore &store)
{
    QStringList ids;
    for (int row = 0; row < store.rowCount(); ++row) {
        if (store.rowForId(store.id(row)) != row)
            return QStringLiteral("index of %1 is %2, not %3")
                .arg(store.id(row))
                .arg(store.rowForId(store.id(row)))
                .arg(row);
        ids.append(store.id(row));
    }
    return ids.join(QLatin1Char(' '));
}

QString rowsText(const std::vector<int> &rows)
{
    QStringList text;
    for (const int row : rows)
        text.append(QString::number(row));
    return text.join(QLatin1Char(' '));
}

} // namespace

class TestOpportunityColumnStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void columnsFollowTheSchema();
    void appendsKeepTheIdIndex();
    void updatesReportOnlyRealChanges();
    void removalsKeepTheIdIndex();
    void removedRowsLeaveNoRawValueBehind();
    void loadMergesRepeatedIdsAndSkipsInvalidRecords();
    void sortKeysAreTyped();
    void lessThanPutsEmptyCellsLastInBothOrders();
    void textSortRankFollowsChanges();
    void searchKeysAreFoldedAccentInsensitive();
    void namesRewriteOnlyTheRowsShowingThem();
    void typedCellsForTheFilter();
    void syncStatesReportChangesOnly();

private:
    ObjectSchema m_schema;
    std::unique_ptr<OpportunityColumnStore> m_store;
};

void TestOpportunityColumnStore::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qputenv("TZ", "Pacific/Auckland");
    tzset();
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    m_schema = TableTest::opportunitySchema();
}

void TestOpportunityColumnStore::init()
{
    m_store = std::make_unique<OpportunityColumnStore>();
    m_store->setSchema(m_schema);
    m_store->setNames(TableTest::names());
}

void TestOpportunityColumnStore::columnsFollowTheSchema()
{
    const OpportunityColumnStore &store = *m_store;
    QCOMPARE(store.columnCount(), int(m_schema.fields().size() + m_schema.relationships().size()));
    QCOMPARE(store.columnForKey(QStringLiteral("$name")), 0);
    QCOMPARE(store.columnForKey(QStringLiteral("nope")), -1);
    const int account = store.columnForKey(QStringLiteral("$account"));
    QCOMPARE(store.columnAt(account).kind, OpportunityRoles::ColumnKind::Relationship);
    QVERIFY(store.columnAt(account).showsNames);
    QVERIFY(store.defaultColumns().contains(account));
    const int competitors = store.columnForKey(QStringLiteral("competitors"));
    QVERIFY(!store.defaultColumns().contains(competitors));
    QCOMPARE(store.columnAt(competitors).type, FieldType::MultiSelect);
    QVERIFY(store.columnAt(store.columnForKey(QStringLiteral("$amount"))).numericSort);
    QVERIFY(!store.columnAt(0).numericSort);

    // A new schema drops every row but keeps the names.
    upsert(*m_store, {deal(m_schema, QStringLiteral("opp_1"), QStringLiteral("One"))});
    m_store->setSchema(m_schema);
    QCOMPARE(store.rowCount(), 0);
    QCOMPARE(store.rowForId(QStringLiteral("opp_1")), -1);
    QCOMPARE(store.names().name(QStringLiteral("acc_north")), QStringLiteral("Northwind Labs"));
}

void TestOpportunityColumnStore::appendsKeepTheIdIndex()
{
    QList<Record> fresh;
    const std::vector<int> changed = m_store->updateRows(
        {deal(m_schema, QStringLiteral("opp_b"), QStringLiteral("B")),
            deal(m_schema, QStringLiteral("opp_a"), QStringLiteral("A")), Record(),
            deal(m_schema, QStringLiteral("opp_b"), QStringLiteral("B again"))},
        &fresh);
    QVERIFY(changed.empty());
    // New ids once each, in the order they first came, the later copy winning.
    QCOMPARE(fresh.size(), 2);
    QCOMPARE(fresh.at(0).id(), QStringLiteral("opp_b"));
    QCOMPARE(fresh.at(1).id(), QStringLiteral("opp_a"));
    QCOMPARE(m_store->rowCount(), 0); // nothing appended until appendRows()
    m_store->appendRows(fresh, {{QStringLiteral("opp_a"), SyncState::Pending}});
    QCOMPARE(idsInOrder(*m_store), QStringLiteral("opp_b opp_a"));
    QCOMPARE(m_store->text(0, 0), QStringLiteral("B again"));
    QCOMPARE(m_store->syncState(0), SyncState::Synced);
    QCOMPARE(m_store->syncState(1), SyncState::Pending);

    // Growing past the capacity many times over keeps every row findable.
    QList<Record> many;
    for (int i = 0; i < 300; ++i)
        many.append(
            deal(m_schema, QStringLiteral("opp_%1").arg(i), QStringLiteral("Deal %1").arg(i)));
    upsert(*m_store, many);
    QCOMPARE(m_store->rowCount(), 302);
    QVERIFY(m_store->capacity() >= 302);
    QVERIFY(!idsInOrder(*m_store).startsWith(QLatin1String("index")));
    QCOMPARE(m_store->rowForId(QStringLiteral("opp_299")), 301);
    QCOMPARE(m_store->text(301, 0), QStringLiteral("Deal 299"));

    // reserve() makes room without adding rows.
    m_store->reserve(1000);
    QVERIFY(m_store->capacity() >= 1000);
    QCOMPARE(m_store->rowCount(), 302);
}

void TestOpportunityColumnStore::updatesReportOnlyRealChanges()
{
    const QList<Record> records {deal(m_schema, QStringLiteral("opp_1"), QStringLiteral("One"),
                                     {{QStringLiteral("$amount"), 10}}),
        deal(m_schema, QStringLiteral("opp_2"), QStringLiteral("Two")),
        deal(m_schema, QStringLiteral("opp_3"), QStringLiteral("Three"))};
    upsert(*m_store, records);
    // The same page again changes nothing.
    QVERIFY(upsert(*m_store, records).empty());
    // Changed rows ascending, once each, however often and in whatever order they came.
    const std::vector<int> changed = upsert(*m_store,
        {deal(m_schema, QStringLiteral("opp_3"), QStringLiteral("Three"),
             {{QStringLiteral("probability"), 5}}),
            deal(m_schema, QStringLiteral("opp_1"), QStringLiteral("One"),
                {{QStringLiteral("$amount"), 11}}),
            deal(m_schema, QStringLiteral("opp_3"), QStringLiteral("Three"),
                {{QStringLiteral("probability"), 6}}),
            deal(m_schema, QStringLiteral("opp_2"), QStringLiteral("Two"))});
    QCOMPARE(rowsText(changed), QStringLiteral("0 2"));
    QCOMPARE(m_store->number(0, m_store->columnForKey(QStringLiteral("$amount"))), 1100.0);
    QCOMPARE(m_store->text(2, m_store->columnForKey(QStringLiteral("probability"))),
        QStringLiteral("6"));
    // A value that goes away empties the cell.
    upsert(*m_store, {deal(m_schema, QStringLiteral("opp_1"), QStringLiteral("One"))});
    QVERIFY(m_store->isEmpty(0, m_store->columnForKey(QStringLiteral("$amount"))));
    QCOMPARE(idsInOrder(*m_store), QStringLiteral("opp_1 opp_2 opp_3"));
}

void TestOpportunityColumnStore::removalsKeepTheIdIndex()
{
    QList<Record> records;
    for (int i = 0; i < 8; ++i)
        records.append(
            deal(m_schema, QStringLiteral("opp_%1").arg(i), QStringLiteral("Deal %1").arg(i)));
    upsert(*m_store, records);

    // rowsOf(): ascending, once each, unknown ids skipped.
    QCOMPARE(rowsText(m_store->rowsOf({QStringLiteral("opp_6"), QStringLiteral("opp_nope"),
                 QStringLiteral("opp_2"), QStringLiteral("opp_6"), QStringLiteral("opp_3")})),
        QStringLiteral("2 3 6"));
    QVERIFY(m_store->rowsOf({}).empty());

    m_store->removeRows(2, 3);
    QCOMPARE(idsInOrder(*m_store), QStringLiteral("opp_0 opp_1 opp_4 opp_5 opp_6 opp_7"));
    QCOMPARE(m_store->rowForId(QStringLiteral("opp_2")), -1);
    QCOMPARE(m_store->rowForId(QStringLiteral("opp_3")), -1);
    QCOMPARE(m_store->text(2, 0), QStringLiteral("Deal 4"));
    QCOMPARE(m_store->searchKey(2), QByteArrayLiteral("deal 4\n"));

    m_store->removeRows(5, 5); // the last row
    m_store->removeRows(0, 0); // the first row
    QCOMPARE(idsInOrder(*m_store), QStringLiteral("opp_1 opp_4 opp_5 opp_6"));

    // A removed id comes back as a new row at the end.
    upsert(*m_store, {deal(m_schema, QStringLiteral("opp_0"), QStringLiteral("Back"))});
    QCOMPARE(idsInOrder(*m_store), QStringLiteral("opp_1 opp_4 opp_5 opp_6 opp_0"));
    QCOMPARE(m_store->text(4, 0), QStringLiteral("Back"));

    m_store->removeRows(0, m_store->rowCount() - 1);
    QCOMPARE(m_store->rowCount(), 0);
    QCOMPARE(m_store->rowForId(QStringLiteral("opp_0")), -1);
}

void TestOpportunityColumnStore::removedRowsLeaveNoRawValueBehind()
{
    // An option the definitions lack is kept raw, by record id: it must go with its row.
    const int stage = m_store->columnForKey(QStringLiteral("$stage"));
    upsert(*m_store,
        {deal(m_schema, QStringLiteral("opp_1"), QStringLiteral("One"),
             {{QStringLiteral("$stage"), QStringLiteral("opt_gone")}}),
            deal(m_schema, QStringLiteral("opp_2"), QStringLiteral("Two"),
                {{QStringLiteral("$stage"), QStringLiteral("opt_stage_proposal")}})});
    QCOMPARE(m_store->text(0, stage), QStringLiteral("opt_gone"));
    QCOMPARE(m_store->number(0, stage), -1.0);
    m_store->removeRows(0, 0);
    upsert(*m_store,
        {deal(m_schema, QStringLiteral("opp_1"), QStringLiteral("One"),
            {{QStringLiteral("$stage"), QStringLiteral("opt_stage_discovery")}})});
    QCOMPARE(m_store->rowForId(QStringLiteral("opp_1")), 1);
    QCOMPARE(m_store->text(1, stage), QStringLiteral("Discovery"));
    QCOMPARE(m_store->rawValue(1, stage).value<FieldValue>().toText(),
        QStringLiteral("opt_stage_discovery"));
    QCOMPARE(m_store->text(0, stage), QStringLiteral("Proposal"));
}

void TestOpportunityColumnStore::loadMergesRepeatedIdsAndSkipsInvalidRecords()
{
    const QList<Record> records {deal(m_schema, QStringLiteral("opp_1"), QStringLiteral("First")),
        Record(), deal(m_schema, QStringLiteral("opp_2"), QStringLiteral("Second")),
        deal(m_schema, QStringLiteral("opp_1"), QStringLiteral("First, later"))};
    int asked = 0;
    m_store->load(records.size(),
        [&records, &asked](qsizetype i) {
            ++asked;
            return records.at(i);
        },
        {{QStringLiteral("opp_2"), SyncState::Conflict}});
    QCOMPARE(asked, 4);
    QCOMPARE(idsInOrder(*m_store), QStringLiteral("opp_1 opp_2"));
    QCOMPARE(m_store->text(0, 0), QStringLiteral("First, later"));
    QCOMPARE(m_store->syncState(0), SyncState::Synced);
    QCOMPARE(m_store->syncState(1), SyncState::Conflict);
}

void TestOpportunityColumnStore::sortKeysAreTyped()
{
    upsert(*m_store,
        {deal(m_schema, QStringLiteral("opp_1"), QStringLiteral("Ålesund Pilot"),
             {{QStringLiteral("$amount"), 12500.5}, {QStringLiteral("probability"), 12.5},
                 {QStringLiteral("closeDate"), QStringLiteral("2026-09-30T00:00:00.000Z")},
                 {QStringLiteral("isStrategic"), false},
                 {QStringLiteral("$stage"), QStringLiteral("opt_stage_proposal")}},
             {{QStringLiteral("$account"), {QStringLiteral("acc_ale")}},
                 {QStringLiteral("$task"), {QStringLiteral("tsk_1"), QStringLiteral("tsk_2")}}}),
            deal(m_schema, QStringLiteral("opp_2"), QString())});
    const auto key = [this](int row, const char *column) {
        return m_store->sortValue(row, m_store->columnForKey(QLatin1String(column)));
    };
    QCOMPARE(key(0, "$amount").typeId(), QMetaType::LongLong);
    QCOMPARE(key(0, "$amount").toLongLong(), 1'250'050LL);
    QCOMPARE(key(0, "probability").typeId(), QMetaType::Double);
    QCOMPARE(key(0, "probability").toDouble(), 12.5);
    QCOMPARE(key(0, "closeDate").typeId(), QMetaType::QDateTime);
    QCOMPARE(key(0, "closeDate").toDateTime(), QDateTime(QDate(2026, 9, 30), QTime(0, 0), Qt::UTC));
    // An unchecked box is a value (false), not an empty cell.
    QCOMPARE(key(0, "isStrategic").typeId(), QMetaType::Bool);
    QCOMPARE(key(0, "isStrategic").toBool(), false);
    QCOMPARE(key(0, "$stage").typeId(), QMetaType::Int);
    QCOMPARE(key(0, "$stage").toInt(), 2);
    QCOMPARE(key(0, "$name").toString(), QStringLiteral("alesund pilot"));
    QCOMPARE(key(0, "$account").toString(), QStringLiteral("alesund shipping"));
    QCOMPARE(key(0, "$task").typeId(), QMetaType::Int);
    QCOMPARE(key(0, "$task").toInt(), 2);
    // Empty cells have no key at all.
    for (const char *column : {"$name", "$amount", "probability", "closeDate", "isStrategic",
             "$stage", "$account", "$task", "competitors", "nextSteps"})
        QVERIFY2(!key(1, column).isValid(), column);
    QVERIFY(std::isnan(m_store->number(1, m_store->columnForKey(QStringLiteral("$amount")))));
}

void TestOpportunityColumnStore::lessThanPutsEmptyCellsLastInBothOrders()
{
    upsert(*m_store,
        {deal(m_schema, QStringLiteral("opp_1"), QStringLiteral("b"),
             {{QStringLiteral("$amount"), -5}}),
            deal(m_schema, QStringLiteral("opp_2"), QString()),
            deal(m_schema, QStringLiteral("opp_3"), QStringLiteral("A"),
                {{QStringLiteral("$amount"), 0}})});
    const int amount = m_store->columnForKey(QStringLiteral("$amount"));
    QVERIFY(m_store->lessThan(amount, 0, 2, Qt::AscendingOrder)); // -5 < 0
    QVERIFY(!m_store->lessThan(amount, 2, 0, Qt::AscendingOrder));
    QVERIFY(m_store->lessThan(amount, 2, 1, Qt::AscendingOrder)); // values before empty
    QVERIFY(!m_store->lessThan(amount, 1, 2, Qt::AscendingOrder));
    // Descending: the proxy swaps the arguments, so the empty cell must be "less".
    QVERIFY(m_store->lessThan(amount, 1, 2, Qt::DescendingOrder));
    QVERIFY(!m_store->lessThan(amount, 2, 1, Qt::DescendingOrder));
    // Two empty cells are equal either way.
    upsert(*m_store, {deal(m_schema, QStringLiteral("opp_4"), QStringLiteral("c"))});
    QVERIFY(!m_store->lessThan(amount, 1, 3, Qt::AscendingOrder));
    QVERIFY(!m_store->lessThan(amount, 3, 1, Qt::AscendingOrder));
    // Text: folded, so case does not decide; empty last.
    QVERIFY(m_store->lessThan(0, 2, 0, Qt::AscendingOrder)); // "A" < "b"
    QVERIFY(m_store->lessThan(0, 3, 1, Qt::AscendingOrder)); // "c" before empty
    QVERIFY(m_store->lessThan(0, 1, 3, Qt::DescendingOrder));
}

void TestOpportunityColumnStore::textSortRankFollowsChanges()
{
    upsert(*m_store,
        {deal(m_schema, QStringLiteral("opp_1"), QStringLiteral("Beta")),
            deal(m_schema, QStringLiteral("opp_2"), QStringLiteral("Gamma"))});
    QVERIFY(m_store->lessThan(0, 0, 1, Qt::AscendingOrder)); // computes the rank
    upsert(*m_store, {deal(m_schema, QStringLiteral("opp_1"), QStringLiteral("Zeta"))});
    QVERIFY(m_store->lessThan(0, 1, 0, Qt::AscendingOrder));
    // Appended and removed rows are ranked too.
    upsert(*m_store, {deal(m_schema, QStringLiteral("opp_3"), QStringLiteral("Alpha"))});
    QVERIFY(m_store->lessThan(0, 2, 1, Qt::AscendingOrder));
    m_store->removeRows(1, 1);
    QVERIFY(m_store->lessThan(0, 1, 0, Qt::AscendingOrder)); // Alpha < Zeta
    // Relationship names: a renamed account moves.
    upsert(*m_store,
        {deal(m_schema, QStringLiteral("opp_1"), QStringLiteral("Zeta"), {},
             {{QStringLiteral("$account"), {QStringLiteral("acc_north")}}}),
            deal(m_schema, QStringLiteral("opp_3"), QStringLiteral("Alpha"), {},
                {{QStringLiteral("$account"), {QStringLiteral("acc_zeta")}}})});
    const int account = m_store->columnForKey(QStringLiteral("$account"));
    QVERIFY(m_store->lessThan(account, 0, 1, Qt::AscendingOrder)); // Northwind < Zeta
    m_store->updateNames({{QStringLiteral("acc_north"), QStringLiteral("Zulu Traders")}});
    QVERIFY(m_store->lessThan(account, 1, 0, Qt::AscendingOrder)); // Zeta < Zulu
}

void TestOpportunityColumnStore::searchKeysAreFoldedAccentInsensitive()
{
    upsert(*m_store,
        {deal(m_schema, QStringLiteral("opp_1"), QStringLiteral("Café OLÉ"),
            {{QStringLiteral("$amount"), 48000}, {QStringLiteral("isStrategic"), true},
                {QStringLiteral("closeDate"), QStringLiteral("2026-09-30T00:00:00.000Z")},
                {QStringLiteral("$stage"), QStringLiteral("opt_stage_proposal")},
                {QStringLiteral("nextSteps"), QStringLiteral("\n# Plan\nCall Zoë")}},
            {{QStringLiteral("$account"), {QStringLiteral("acc_ale")}},
                {QStringLiteral("$owner"), {QStringLiteral("mem_soren")}},
                {QStringLiteral("$champion"), {QStringLiteral("con_unknown")}},
                {QStringLiteral("$task"), {QStringLiteral("tsk_1")}}})});
    const QByteArray key = m_store->searchKey(0);
    // Pieces one per line, folded: no case, no accents.
    const QList<QByteArray> pieces = key.split('\n');
    QVERIFY(pieces.contains("cafe ole"));
    QVERIFY(pieces.contains("proposal"));
    QVERIFY(pieces.contains("alesund shipping"));
    QVERIFY(pieces.contains("soren kierkegaard"));
    QVERIFY(key.contains("# plan\ncall zoe")); // markdown: the whole text, not the first line
    QVERIFY(key.endsWith('\n'));
    // Numbers, money, dates, checkboxes and ids are nothing a rep types.
    QVERIFY(!key.contains("48"));
    QVERIFY(!key.contains("2026"));
    QVERIFY(!key.contains("con_unknown"));
    QVERIFY(!key.contains("tsk_1"));
    QVERIFY(!key.contains("é"));
    QVERIFY(!key.contains("C"));
    // An empty row has an empty search text.
    upsert(*m_store, {deal(m_schema, QStringLiteral("opp_2"), QString())});
    QVERIFY(m_store->searchKey(1).isEmpty());
}

void TestOpportunityColumnStore::namesRewriteOnlyTheRowsShowingThem()
{
    const int champion = m_store->columnForKey(QStringLiteral("$champion"));
    upsert(*m_store,
        {deal(m_schema, QStringLiteral("opp_1"), QStringLiteral("One"), {},
             {{QStringLiteral("$champion"),
                 {QStringLiteral("con_new"), QStringLiteral("con_jose")}}}),
            deal(m_schema, QStringLiteral("opp_2"), QStringLiteral("Two"), {},
                {{QStringLiteral("$owner"), {QStringLiteral("mem_ana")}}})});
    // Unknown name: the id as text, a placeholder on display.
    QCOMPARE(m_store->text(0, champion), QStringLiteral("con_new, José Núñez"));
    QCOMPARE(m_store->displayText(0, champion), QStringLiteral("…, José Núñez"));
    QCOMPARE(m_store->list(0, champion),
        QStringList({QStringLiteral("con_new"), QStringLiteral("con_jose")}));

    // The same names again: nothing to rewrite.
    QVERIFY(
        m_store->updateNames({{QStringLiteral("mem_ana"), QStringLiteral("Ana Ruiz")}}).empty());
    QVERIFY(m_store->updateNames({{QStringLiteral("con_absent"), QString()}}).empty());

    QCOMPARE(
        rowsText(m_store->updateNames({{QStringLiteral("con_new"), QStringLiteral("Ngozi Ádá")}})),
        QStringLiteral("0"));
    QCOMPARE(m_store->displayText(0, champion), QStringLiteral("Ngozi Ádá, José Núñez"));
    QVERIFY(m_store->searchKey(0).split('\n').contains("ngozi ada"));

    // setNames(): the rows whose names differ from the old directory.
    NameDirectory names = m_store->names();
    names.insert(QStringLiteral("mem_ana"), QStringLiteral("Ana Ruiz-Pérez"));
    QCOMPARE(rowsText(m_store->setNames(names)), QStringLiteral("1"));
    QVERIFY(m_store->searchKey(1).split('\n').contains("ana ruiz-perez"));
    names.remove(QStringLiteral("con_new"));
    QCOMPARE(rowsText(m_store->setNames(names)), QStringLiteral("0"));
    QCOMPARE(m_store->displayText(0, champion), QStringLiteral("…, José Núñez"));
    QVERIFY(!m_store->searchKey(0).contains("ngozi"));
}

void TestOpportunityColumnStore::typedCellsForTheFilter()
{
    upsert(*m_store,
        {deal(m_schema, QStringLiteral("opp_1"), QStringLiteral("One"),
            {{QStringLiteral("closeDate"), QStringLiteral("2026-09-30T00:00:00.000Z")},
                {QStringLiteral("$lastInteractionAt"), QStringLiteral("2026-11-20T13:05:00.000Z")},
                {QStringLiteral("isStrategic"), true},
                {QStringLiteral("competitors"),
                    QJsonArray {QStringLiteral("opt_competitors_hubspot"), QStringLiteral("x")}},
                {QStringLiteral("billingEmail"), QJsonArray {QStringLiteral("a@b.example")}},
                {QStringLiteral("nextSteps"), QStringLiteral("- [ ] **First**\nSecond")}})});
    const auto column
        = [this](const char *key) { return m_store->columnForKey(QLatin1String(key)); };
    // A date-only value shows its own day even in a zone far ahead of UTC; an instant shows
    // the local day (13:05 UTC is already the next day in Auckland).
    QCOMPARE(m_store->shownDay(0, column("closeDate")), qint32(QDate(2026, 9, 30).toJulianDay()));
    QCOMPARE(m_store->shownDay(0, column("$lastInteractionAt")),
        qint32(QDate(2026, 11, 21).toJulianDay()));
    QCOMPARE(m_store->shownDay(0, 0), 0);
    QCOMPARE(m_store->number(0, column("isStrategic")), 1.0);
    QVERIFY(std::isnan(m_store->number(0, 0))); // text has no number
    QVERIFY(m_store->holdsList(column("competitors")));
    QVERIFY(m_store->holdsList(column("billingEmail")));
    QVERIFY(m_store->holdsList(column("$account")));
    QVERIFY(!m_store->holdsList(0));
    QCOMPARE(m_store->list(0, column("competitors")),
        QStringList({QStringLiteral("opt_competitors_hubspot"), QStringLiteral("x")}));
    QVERIFY(m_store->list(0, 0).isEmpty());
    QCOMPARE(m_store->text(0, column("competitors")), QStringLiteral("HubSpot, x"));
    QCOMPARE(m_store->markdown(0, column("nextSteps")), QStringLiteral("- [ ] **First**\nSecond"));
    QCOMPARE(m_store->text(0, column("nextSteps")), QStringLiteral("First"));
    QVERIFY(m_store->markdown(0, 0).isEmpty());
    const int stage = column("$stage");
    QCOMPARE(m_store->optionPosition(stage, QStringLiteral("opt_stage_proposal")), 2);
    QCOMPARE(m_store->optionPosition(stage, QStringLiteral("Proposal")), -1); // ids, not labels
    QCOMPARE(m_store->optionIds(stage).at(2), QStringLiteral("opt_stage_proposal"));
    QCOMPARE(m_store->optionLabels(stage).at(2), QStringLiteral("Proposal"));
    QVERIFY(m_store->optionIds(0).isEmpty());
}

void TestOpportunityColumnStore::syncStatesReportChangesOnly()
{
    upsert(*m_store,
        {deal(m_schema, QStringLiteral("opp_1"), QStringLiteral("One")),
            deal(m_schema, QStringLiteral("opp_2"), QStringLiteral("Two")),
            deal(m_schema, QStringLiteral("opp_3"), QStringLiteral("Three"))});
    QVERIFY(m_store->setSyncState(1, SyncState::Failed));
    QVERIFY(!m_store->setSyncState(1, SyncState::Failed));
    QCOMPARE(m_store->syncState(1), SyncState::Failed);
    // Absent ids go back to Synced; only rows that moved are reported.
    QCOMPARE(rowsText(m_store->setSyncStates({{QStringLiteral("opp_3"), SyncState::Pending},
                 {QStringLiteral("opp_gone"), SyncState::Conflict}})),
        QStringLiteral("1 2"));
    QCOMPARE(m_store->syncState(0), SyncState::Synced);
    QCOMPARE(m_store->syncState(1), SyncState::Synced);
    QCOMPARE(m_store->syncState(2), SyncState::Pending);
    QVERIFY(m_store->setSyncStates({{QStringLiteral("opp_3"), SyncState::Pending}}).empty());
}

QTEST_GUILESS_MAIN(TestOpportunityColumnStore)
#include "tst_opportunitycolumnstore.moc"
