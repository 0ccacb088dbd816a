// OpportunitySortFilterProxyModel: quick search (folded, multi-word, narrowing), typed column
// filters per operator with negation and emptiness, MULTI_SELECT, and sorting on typed keys
// with empty cells last.

#include "domain/columnfilter.h"
#include "itemmodels/opportunityroles.h"
#include "itemmodels/opportunitysortfilterproxymodel.h"
#include "itemmodels/opportunitytablemodel.h"
#include "itemmodels/textfold.h"
#include "tabletesthelpers.h"

#include "sandboxclock.h"
#include "sandboxseed.h"
#include "sandboxstore.h"

#include <QAbstractItemModelTester>
#include <QStandardPaths>
#include <QTest>

#include <algorithm>
#include <ctime>
#include <memory>

using namespace OpportunityRoles;
using Op = ColumnFilter::Operator;
using TableTest::makeRecord;

namespace {

QList<Record> dealRecords(const ObjectSchema &schema)
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    return {
        makeRecord(schema, s("opp_1"),
            {{s("$name"), s("Northwind – renewal FY27")}, {s("$stage"), s("opt_stage_proposal")},
                {s("$amount"), 48000}, {s("closeDate"), s("2026-09-30T00:00:00.000Z")},
                {s("isStrategic"), true},
                {s("competitors"),
                    QJsonArray {s("opt_competitors_salesforce"), s("opt_competitors_hubspot")}},
                {s("billingEmail"), QJsonArray {s("billing@north.example")}},
                {s("probability"), 40}},
            {{s("$account"), {s("acc_north")}}, {s("$owner"), {s("mem_soren")}},
                {s("$champion"), {s("con_jose")}}}),
        makeRecord(schema, s("opp_2"),
            {{s("$name"), s("Ålesund pilot")}, {s("$stage"), s("opt_stage_discovery")},
                {s("$amount"), 12500.5}, {s("closeDate"), s("2026-10-12T00:00:00.000Z")},
                {s("isStrategic"), false},
                {s("competitors"), QJsonArray {s("opt_competitors_hubspot")}},
                {s("probability"), 20}},
            {{s("$account"), {s("acc_ale")}}, {s("$owner"), {s("mem_ana")}}}),
        makeRecord(schema, s("opp_3"),
            {{s("$name"), s("Zeta expansion")}, {s("$stage"), s("opt_stage_negotiation")},
                {s("forecastCategory"), s("opt_forecast_commit")},
                {s("nextSteps"), s("Call Zoë about the **NDA**")}},
            {{s("$account"), {s("acc_zeta")}}, {s("$owner"), {s("mem_ana")}},
                {s("$evaluator"), {s("con_zoe")}}}),
        makeRecord(schema, s("opp_4"),
            {{s("$name"), s("ACME upgrade")}, {s("$stage"), s("opt_stage_closed_won")},
                {s("$amount"), 1000},
                {s("competitors"), QJsonArray {s("opt_competitors_salesforce")}},
                {s("probability"), 100}}),
        makeRecord(schema, s("opp_5"),
            {{s("$name"), s("café olé roll-out")}, {s("$stage"), s("opt_stage_prospecting")},
                {s("$amount"), 250000}, {s("closeDate"), s("2027-01-05T00:00:00.000Z")}},
            {{s("$account"), {s("acc_north")}}}),
    };
}

/** The proxy's rows as ids, in proxy order. */
QString ids(const QAbstractItemModel &proxy)
{
    QStringList result;
    for (int row = 0; row < proxy.rowCount(); ++row)
        result.append(proxy.index(row, 0).data(IdRole).toString());
    return result.join(QLatin1Char(' '));
}

/** The proxy's rows as ids, sorted (for filters, where order is not the point). */
QString idSet(const QAbstractItemModel &proxy)
{
    QStringList result = ids(proxy).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    result.sort();
    return result.join(QLatin1Char(' '));
}

} // namespace

class TestOpportunityFilter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void foldingIgnoresCaseAndAccents();
    void searchMatchesEverythingARepTypes_data();
    void searchMatchesEverythingARepTypes();
    void typingOnNarrowsToTheSameResult();
    void columnFilters_data();
    void columnFilters();
    void filtersCombineWithSearch();
    void sortUsesTypedKeysWithEmptyLast_data();
    void sortUsesTypedKeysWithEmptyLast();
    void sourceUpdatesReachTheFilteredView();
    void operatorsPerType();

private:
    std::unique_ptr<OpportunityTableModel> m_model;
    std::unique_ptr<OpportunitySortFilterProxyModel> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_modelTester;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;
};

void TestOpportunityFilter::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qputenv("TZ", "America/Los_Angeles");
    tzset();
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestOpportunityFilter::init()
{
    m_model = std::make_unique<OpportunityTableModel>();
    m_proxy = std::make_unique<OpportunitySortFilterProxyModel>();
    m_modelTester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    m_proxy->setSourceModel(m_model.get());
    m_proxyTester = std::make_unique<QAbstractItemModelTester>(
        m_proxy.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    const ObjectSchema schema = TableTest::opportunitySchema();
    m_model->setSchema(schema);
    m_model->setNameDirectory(TableTest::names());
    m_model->upsertRecords(dealRecords(schema));
}

void TestOpportunityFilter::cleanup()
{
    m_proxyTester.reset();
    m_modelTester.reset();
    m_proxy.reset();
    m_model.reset();
}

void TestOpportunityFilter::foldingIgnoresCaseAndAccents()
{
    QCOMPARE(TextFold::fold(u"Søren NÚÑEZ"), QStringLiteral("soren nunez"));
    QCOMPARE(TextFold::fold(u"Łódź Œuvre Straße Þórsmörk"),
        QStringLiteral("lodz oeuvre strasse thorsmork"));
    QCOMPARE(TextFold::fold(u"Café Olé"), TextFold::fold(u"CAFE OLE"));
    QCOMPARE(TextFold::fold(u"山田商事"), QStringLiteral("山田商事"));
    QCOMPARE(TextFold::fold(u"Zoë"), QStringLiteral("zoe"));
    QCOMPARE(TextFold::foldUtf8(u"ÅLESUND"), QByteArrayLiteral("alesund"));
}

void TestOpportunityFilter::searchMatchesEverythingARepTypes_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty shows all")
        << QString() << QStringLiteral("opp_1 opp_2 opp_3 opp_4 opp_5");
    QTest::newRow("blank shows all")
        << QStringLiteral("   ") << QStringLiteral("opp_1 opp_2 opp_3 opp_4 opp_5");
    QTest::newRow("name and account, any case")
        << QStringLiteral("NORTH") << QStringLiteral("opp_1 opp_5");
    QTest::newRow("owner without accents") << QStringLiteral("soren") << QStringLiteral("opp_1");
    QTest::newRow("contact (champion)") << QStringLiteral("nunez") << QStringLiteral("opp_1");
    QTest::newRow("contact (evaluator) and markdown")
        << QStringLiteral("zoe") << QStringLiteral("opp_3");
    QTest::newRow("accented query") << QStringLiteral("ÅLESUND") << QStringLiteral("opp_2");
    QTest::newRow("several words") << QStringLiteral("cafe  ole") << QStringLiteral("opp_5");
    QTest::newRow("words anywhere in the row")
        << QStringLiteral("north proposal") << QStringLiteral("opp_1");
    QTest::newRow("stage label") << QStringLiteral("Proposal") << QStringLiteral("opp_1");
    QTest::newRow("multi-select labels")
        << QStringLiteral("hubspot") << QStringLiteral("opp_1 opp_2");
    QTest::newRow("select label") << QStringLiteral("commit") << QStringLiteral("opp_3");
    QTest::newRow("markdown text") << QStringLiteral("nda") << QStringLiteral("opp_3");
    QTest::newRow("email") << QStringLiteral("billing@") << QStringLiteral("opp_1");
    QTest::newRow("no match") << QStringLiteral("zzzq") << QString();
    QTest::newRow("numbers are not text") << QStringLiteral("48000") << QString();
}

void TestOpportunityFilter::searchMatchesEverythingARepTypes()
{
    QFETCH(QString, query);
    QFETCH(QString, expected);
    QSignalSpy changed(m_proxy.get(), &OpportunitySortFilterProxyModel::searchTextChanged);
    m_proxy->setSearchText(query);
    QCOMPARE(changed.count(), query.isEmpty() ? 0 : 1);
    QCOMPARE(idSet(*m_proxy), expected);
}

void TestOpportunityFilter::typingOnNarrowsToTheSameResult()
{
    SandboxClock clock;
    SandboxStore sandbox(&clock, 11);
    seedSandbox(sandbox, {11, 400});
    const ObjectSchema schema = TableTest::opportunitySchema();
    QList<Record> records;
    const QStringList seeded = sandbox.ids(QStringLiteral("opportunity"));
    for (const QString &id : seeded)
        records.append(
            Record::fromJson(*sandbox.retrieve(QStringLiteral("opportunity"), id), schema));
    m_model->upsertRecords(records);
    m_proxy->sort(m_model->columnForKey(QStringLiteral("$name")));

    OpportunitySortFilterProxyModel fresh;
    fresh.setSourceModel(m_model.get());
    fresh.sort(m_model->columnForKey(QStringLiteral("$name")));
    for (const QString &query :
        {QStringLiteral("n"), QStringLiteral("no"), QStringLiteral("nor"), QStringLiteral("nort"),
            QStringLiteral("north"), QStringLiteral("north r"), QStringLiteral("north re"),
            QStringLiteral("nort"), QStringLiteral("s"), QStringLiteral("sø"),
            QStringLiteral("søren"), QStringLiteral("zzq"), QStringLiteral("labs"),
            QStringLiteral("renewal fy27"), QStringLiteral("ab"), QStringLiteral("salesforce"),
            QStringLiteral("a very long query that never matches")}) {
        m_proxy->setSearchText(query);
        fresh.setSearchText(QStringLiteral("#reset"));
        fresh.setSearchText(query);
        QCOMPARE(ids(*m_proxy), ids(fresh));
        // Exactly the rows whose search text holds every word (a plain QString scan).
        const QStringList words = TextFold::fold(query).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        int expected = 0;
        for (int row = 0; row < m_model->rowCount(); ++row) {
            const QString text = m_model->index(row, 0).data(SearchTextRole).toString();
            const bool all = std::all_of(words.cbegin(), words.cend(),
                [&text](const QString &word) { return text.contains(word); });
            QCOMPARE(m_proxy->acceptsSourceRow(row), all);
            expected += all ? 1 : 0;
        }
        QCOMPARE(m_proxy->rowCount(), expected);
    }
}

void TestOpportunityFilter::columnFilters_data()
{
    TableTest::addColumnFilterColumns();
    const auto row = &TableTest::addColumnFilterRow;
    // CURRENCY: exact cents, empty cells never compare.
    row("amount >", "$amount", Op::GreaterThan, 12500, false, "opp_1 opp_2 opp_5");
    row("amount >= cents", "$amount", Op::GreaterOrEqual, 12500.5, false, "opp_1 opp_2 opp_5");
    row("amount = cents", "$amount", Op::Equal, 12500.5, false, "opp_2");
    row("amount <", "$amount", Op::LessThan, 12500.5, false, "opp_4");
    row("amount <=", "$amount", Op::LessOrEqual, 1000, false, "opp_4");
    row("amount not >", "$amount", Op::GreaterThan, 12500, true, "opp_3 opp_4");
    row("amount empty", "$amount", Op::IsEmpty, QVariant(), false, "opp_3");
    row("amount not empty", "$amount", Op::IsNotEmpty, QVariant(), false,
        "opp_1 opp_2 opp_4 opp_5");
    row("amount negated empty", "$amount", Op::IsEmpty, QVariant(), true,
        "opp_1 opp_2 opp_4 opp_5");
    // NUMBER.
    row("probability >=", "probability", Op::GreaterOrEqual, 40, false, "opp_1 opp_4");
    row("probability =", "probability", Op::Equal, 20, false, "opp_2");
    // DATETIME by the day shown (date-only values keep their day in Los Angeles too).
    row("close date =", "closeDate", Op::Equal, QDate(2026, 9, 30), false, "opp_1");
    row("close date >", "closeDate", Op::GreaterThan, QDate(2026, 10, 1), false, "opp_2 opp_5");
    row("close date <=", "closeDate", Op::LessOrEqual, QDate(2026, 10, 12), false, "opp_1 opp_2");
    row("close date empty", "closeDate", Op::IsEmpty, QVariant(), false, "opp_3 opp_4");
    row("close date instant", "closeDate", Op::LessThan,
        QDateTime(QDate(2026, 10, 1), QTime(0, 0), Qt::UTC), false, "opp_1");
    // CHECKBOX: unset counts as unchecked.
    row("strategic", "isStrategic", Op::Equal, true, false, "opp_1");
    row("not strategic", "isStrategic", Op::Equal, false, false, "opp_2 opp_3 opp_4 opp_5");
    row("strategic unset", "isStrategic", Op::IsEmpty, QVariant(), false, "opp_3 opp_4 opp_5");
    // SINGLE_SELECT: by label or id, any of a list, label text.
    row("stage = label", "$stage", Op::Equal, QStringLiteral("proposal"), false, "opp_1");
    row("stage = id", "$stage", Op::Equal, QStringLiteral("opt_stage_discovery"), false, "opp_2");
    row("stage any of", "$stage", Op::Equal,
        QStringList {QStringLiteral("opt_stage_proposal"), QStringLiteral("Negotiation")}, false,
        "opp_1 opp_3");
    row("stage not", "$stage", Op::Equal, QStringLiteral("Proposal"), true,
        "opp_2 opp_3 opp_4 opp_5");
    row("stage starts with", "$stage", Op::StartsWith, QStringLiteral("clo"), false, "opp_4");
    row("stage contains", "$stage", Op::Contains, QStringLiteral("PECT"), false, "opp_5");
    row("forecast empty", "forecastCategory", Op::IsNotEmpty, QVariant(), false, "opp_3");
    // MULTI_SELECT: contains any of, equal as a set, negation, emptiness.
    row("competitors has id", "competitors", Op::Contains,
        QStringLiteral("opt_competitors_hubspot"), false, "opp_1 opp_2");
    row("competitors has label", "competitors", Op::Contains, QStringLiteral("salesforce"), false,
        "opp_1 opp_4");
    row("competitors any of", "competitors", Op::Contains,
        QStringList {QStringLiteral("Salesforce"), QStringLiteral("HubSpot")}, false,
        "opp_1 opp_2 opp_4");
    row("competitors exactly", "competitors", Op::Equal, QStringList {QStringLiteral("HubSpot")},
        false, "opp_2");
    row("competitors exactly, any order", "competitors", Op::Equal,
        QStringList {QStringLiteral("HubSpot"), QStringLiteral("Salesforce")}, false, "opp_1");
    row("competitors lacks", "competitors", Op::Contains, QStringLiteral("HubSpot"), true,
        "opp_3 opp_4 opp_5");
    row("competitors empty", "competitors", Op::IsEmpty, QVariant(), false, "opp_3 opp_5");
    // TEXT: folded.
    row("name starts with", "$name", Op::StartsWith, QStringLiteral("ZETA"), false, "opp_3");
    row("name contains", "$name", Op::Contains, QStringLiteral("renewal"), false, "opp_1");
    row("name contains accents", "$name", Op::Contains, QStringLiteral("OLE"), false, "opp_5");
    row("name equal", "$name", Op::Equal, QStringLiteral("acme UPGRADE"), false, "opp_4");
    row("name not contains", "$name", Op::Contains, QStringLiteral("N"), true, "opp_4 opp_5");
    row("name greater (unsupported)", "$name", Op::GreaterThan, QStringLiteral("a"), false, "");
    row("email equal one of", "billingEmail", Op::Equal, QStringLiteral("BILLING@north.example"),
        false, "opp_1");
    row("markdown contains", "nextSteps", Op::Contains, QStringLiteral("nda"), false, "opp_3");
    // Relationships: ids or names.
    row("account = id", "$account", Op::Equal, QStringLiteral("acc_north"), false, "opp_1 opp_5");
    row("account name contains", "$account", Op::Contains, QStringLiteral("NORTH"), false,
        "opp_1 opp_5");
    row("account starts with", "$account", Op::StartsWith, QStringLiteral("ale"), false, "opp_2");
    row("account empty", "$account", Op::IsEmpty, QVariant(), false, "opp_4");
    row("owner not", "$owner", Op::Equal, QStringLiteral("mem_ana"), true, "opp_1 opp_4 opp_5");
    row("unknown column: no effect", "nope", Op::Equal, 1, false, "opp_1 opp_2 opp_3 opp_4 opp_5");
}

void TestOpportunityFilter::columnFilters()
{
    QFETCH(QString, key);
    QFETCH(int, op);
    QFETCH(QVariant, value);
    QFETCH(bool, negate);
    QFETCH(QString, expected);
    QSignalSpy changed(m_proxy.get(), &OpportunitySortFilterProxyModel::columnFiltersChanged);
    m_proxy->setColumnFilter(ColumnFilter(key, Op(op), value, negate));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(idSet(*m_proxy), expected);
    m_proxy->removeColumnFilter(key);
    QCOMPARE(m_proxy->rowCount(), 5);
}

void TestOpportunityFilter::filtersCombineWithSearch()
{
    m_proxy->setSearchText(QStringLiteral("north"));
    m_proxy->setColumnFilter(ColumnFilter(QStringLiteral("$amount"), Op::GreaterThan, 100000));
    QCOMPARE(idSet(*m_proxy), QStringLiteral("opp_5"));
    m_proxy->setColumnFilter(ColumnFilter(QStringLiteral("$amount"), Op::GreaterThan, 1000));
    m_proxy->setColumnFilter(ColumnFilter(QStringLiteral("isStrategic"), Op::Equal, true));
    QCOMPARE(idSet(*m_proxy), QStringLiteral("opp_1"));
    QCOMPARE(m_proxy->columnFilters().size(), 2);
    m_proxy->clearColumnFilters();
    QCOMPARE(idSet(*m_proxy), QStringLiteral("opp_1 opp_5"));
}

void TestOpportunityFilter::sortUsesTypedKeysWithEmptyLast_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("ascending");
    QTest::addColumn<QString>("expected");
    QTest::newRow("amount asc") << QStringLiteral("$amount") << true
                                << QStringLiteral("opp_4 opp_2 opp_1 opp_5 opp_3");
    QTest::newRow("amount desc") << QStringLiteral("$amount") << false
                                 << QStringLiteral("opp_5 opp_1 opp_2 opp_4 opp_3");
    QTest::newRow("name folded") << QStringLiteral("$name") << true
                                 << QStringLiteral("opp_4 opp_2 opp_5 opp_1 opp_3");
    QTest::newRow("stage in pipeline order")
        << QStringLiteral("$stage") << true << QStringLiteral("opp_5 opp_2 opp_1 opp_3 opp_4");
    QTest::newRow("close date, ties stable")
        << QStringLiteral("closeDate") << true << QStringLiteral("opp_1 opp_2 opp_5 opp_3 opp_4");
    QTest::newRow("close date desc")
        << QStringLiteral("closeDate") << false << QStringLiteral("opp_5 opp_2 opp_1 opp_3 opp_4");
    QTest::newRow("account names")
        << QStringLiteral("$account") << true << QStringLiteral("opp_2 opp_1 opp_5 opp_3 opp_4");
    QTest::newRow("checkbox") << QStringLiteral("isStrategic") << false
                              << QStringLiteral("opp_1 opp_2 opp_3 opp_4 opp_5");
}

void TestOpportunityFilter::sortUsesTypedKeysWithEmptyLast()
{
    QFETCH(QString, key);
    QFETCH(bool, ascending);
    QFETCH(QString, expected);
    m_proxy->sort(m_model->columnForKey(key), ascending ? Qt::AscendingOrder : Qt::DescendingOrder);
    QCOMPARE(ids(*m_proxy), expected);
}

void TestOpportunityFilter::sourceUpdatesReachTheFilteredView()
{
    const ObjectSchema schema = TableTest::opportunitySchema();
    m_proxy->sort(m_model->columnForKey(QStringLiteral("$amount")));
    m_proxy->setSearchText(QStringLiteral("north"));
    QCOMPARE(ids(*m_proxy), QStringLiteral("opp_1 opp_5"));
    QSignalSpy reset(m_proxy.get(), &QAbstractItemModel::modelReset);
    // A sync page renames one deal into the search and moves another out of it.
    m_model->upsertRecords({makeRecord(schema, QStringLiteral("opp_2"),
                                {{QStringLiteral("$name"), QStringLiteral("North star pilot")},
                                    {QStringLiteral("$amount"), 99}}),
        makeRecord(schema, QStringLiteral("opp_5"),
            {{QStringLiteral("$name"), QStringLiteral("Café")}},
            {{QStringLiteral("$account"), {QStringLiteral("acc_zeta")}}}),
        makeRecord(schema, QStringLiteral("opp_6"),
            {{QStringLiteral("$name"), QStringLiteral("Northern lights")},
                {QStringLiteral("$amount"), 50000}})});
    QCOMPARE(ids(*m_proxy), QStringLiteral("opp_2 opp_1 opp_6"));
    QCOMPARE(reset.count(), 0);
    m_model->removeRecords({QStringLiteral("opp_1")});
    QCOMPARE(ids(*m_proxy), QStringLiteral("opp_2 opp_6"));
}

void TestOpportunityFilter::operatorsPerType()
{
    QVERIFY(ColumnFilter::operatorsFor(FieldType::Currency).contains(Op::GreaterThan));
    QVERIFY(!ColumnFilter::operatorsFor(FieldType::Text).contains(Op::GreaterThan));
    QVERIFY(ColumnFilter::operatorsFor(FieldType::Text).contains(Op::StartsWith));
    QVERIFY(ColumnFilter::operatorsFor(FieldType::MultiSelect).contains(Op::Contains));
    QVERIFY(!ColumnFilter::operatorsFor(FieldType::MultiSelect).contains(Op::StartsWith));
    for (const FieldType type : knownFieldTypes()) {
        QVERIFY(ColumnFilter::operatorsFor(type).contains(Op::IsEmpty));
        QVERIFY(ColumnFilter::operatorsFor(type).contains(Op::Equal));
    }
    QVERIFY(ColumnFilter::isUnary(Op::IsNotEmpty));
}

QTEST_GUILESS_MAIN(TestOpportunityFilter)
#include "tst_opportunityfilter.moc"
