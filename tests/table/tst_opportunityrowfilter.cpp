// OpportunityRowFilter on a bare OpportunityColumnStore: the substring scan of quick search,
// preparing column filters, and their edge cases — empty cells, unknown options and names,
// rejected operators, negation — without a model or a proxy.

#include "domain/columnfilter.h"
#include "itemmodels/opportunitycolumnstore.h"
#include "itemmodels/opportunityrowfilter.h"
#include "itemmodels/textfold.h"
#include "tabletesthelpers.h"

#include <QStandardPaths>
#include <QTest>

#include <ctime>

using Op = ColumnFilter::Operator;
using TableTest::makeRecord;

namespace {

QList<Record> records(const ObjectSchema &schema)
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    return {
        makeRecord(schema, s("opp_1"),
            {{s("$name"), s("Northwind – renewal")}, {s("$stage"), s("opt_stage_proposal")},
                {s("$amount"), 0}, {s("isStrategic"), false},
                {s("closeDate"), s("2026-09-30T00:00:00.000Z")},
                {s("competitors"),
                    QJsonArray {s("opt_competitors_hubspot"), s("opt_competitors_salesforce")}},
                {s("billingEmail"), QJsonArray {s("ap@north.example"), s("billing@north.example")}},
                {s("nextSteps"), s("# Plan\nSend the NDA")}},
            {{s("$account"), {s("acc_north")}}, {s("$champion"), {s("con_new")}}}),
        makeRecord(schema, s("opp_2"),
            {{s("$name"), s("Café Olé")}, {s("$stage"), s("opt_stage_gone")},
                {s("$amount"), 250.75}, {s("isStrategic"), true},
                {s("closeDate"), s("2026-10-01T06:30:00.000Z")},
                {s("competitors"), QJsonArray {s("x_unknown")}}},
            {{s("$account"), {s("local_7")}}, {s("$owner"), {s("mem_ana")}}}),
        // Everything empty but the id.
        makeRecord(schema, s("opp_3"), {}),
    };
}

} // namespace

class TestOpportunityRowFilter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void containsBytes_data();
    void containsBytes();
    void searchNeedsEveryWord_data();
    void searchNeedsEveryWord();
    void prepareSkipsUnknownColumns();
    void filterEdgeCases_data();
    void filterEdgeCases();
    void filtersAndSearchCombine();

private:
    /** The ids of the rows `filter` accepts, space-separated. */
    QString accepted(const OpportunityRowFilter &filter) const;
    QString matching(const ColumnFilter &filter) const;

    ObjectSchema m_schema;
    std::unique_ptr<OpportunityColumnStore> m_store;
};

void TestOpportunityRowFilter::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qputenv("TZ", "America/Los_Angeles");
    tzset();
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    m_schema = TableTest::opportunitySchema();
    m_store = std::make_unique<OpportunityColumnStore>();
    m_store->setSchema(m_schema);
    m_store->setNames(TableTest::names());
    QList<Record> fresh;
    m_store->updateRows(records(m_schema), &fresh);
    m_store->appendRows(fresh, {});
    QCOMPARE(m_store->rowCount(), 3);
}

QString TestOpportunityRowFilter::accepted(const OpportunityRowFilter &filter) const
{
    QStringList ids;
    for (int row = 0; row < m_store->rowCount(); ++row) {
        if (filter.accepts(*m_store, row))
            ids.append(m_store->id(row));
    }
    return ids.join(QLatin1Char(' '));
}

QString TestOpportunityRowFilter::matching(const ColumnFilter &filter) const
{
    const auto prepared = OpportunityRowFilter::prepare(*m_store, filter);
    if (!prepared)
        return QStringLiteral("(unprepared)");
    QStringList ids;
    for (int row = 0; row < m_store->rowCount(); ++row) {
        if (OpportunityRowFilter::matches(*m_store, row, *prepared))
            ids.append(m_store->id(row));
    }
    return ids.join(QLatin1Char(' '));
}

void TestOpportunityRowFilter::containsBytes_data()
{
    QTest::addColumn<QByteArray>("haystack");
    QTest::addColumn<QByteArray>("needle");
    QTest::addColumn<bool>("expected");
    const QByteArray longText = QByteArray(40, 'a') + "northwind labs\nsoren" + QByteArray(33, 'b');
    QTest::newRow("empty needle") << QByteArray("abc") << QByteArray() << true;
    QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
    QTest::newRow("empty haystack") << QByteArray() << QByteArray("a") << false;
    QTest::newRow("needle longer") << QByteArray("ab") << QByteArray("abc") << false;
    QTest::newRow("one byte, present") << QByteArray("xyz") << QByteArray("z") << true;
    QTest::newRow("one byte, absent") << QByteArray("xyz") << QByteArray("q") << false;
    QTest::newRow("two bytes") << QByteArray("xyz") << QByteArray("yz") << true;
    QTest::newRow("whole text") << QByteArray("north") << QByteArray("north") << true;
    QTest::newRow("long, in the middle") << longText << QByteArray("northwind") << true;
    QTest::newRow("long, across a line") << longText << QByteArray("labs\nsor") << true;
    QTest::newRow("long, at the end") << longText << QByteArray("bbbbb") << true;
    QTest::newRow("long, at the start") << longText << QByteArray("aaaan") << true;
    // First and last bytes match at many places, the middle never does.
    QTest::newRow("long, only the ends match") << QByteArray(64, 'a') << QByteArray("aba") << false;
    QTest::newRow("long, a 16-byte boundary")
        << (QByteArray(15, '.') + "needle" + QByteArray(20, '.')) << QByteArray("needle") << true;
    QTest::newRow("UTF-8") << QStringLiteral("山田商事 tokyo").toUtf8()
                           << QStringLiteral("商事").toUtf8() << true;
    QTest::newRow("case matters (both are folded first)")
        << QByteArray("North") << QByteArray("north") << false;
}

void TestOpportunityRowFilter::containsBytes()
{
    QFETCH(QByteArray, haystack);
    QFETCH(QByteArray, needle);
    QFETCH(bool, expected);
    QCOMPARE(OpportunityRowFilter::containsBytes(haystack, needle), expected);
    // Whatever the fast path does, it agrees with the plain search.
    QCOMPARE(OpportunityRowFilter::containsBytes(haystack, needle),
        needle.isEmpty() || haystack.contains(needle));
}

void TestOpportunityRowFilter::searchNeedsEveryWord_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QString() << QStringLiteral("opp_1 opp_2 opp_3");
    QTest::newRow("blank") << QStringLiteral("   ") << QStringLiteral("opp_1 opp_2 opp_3");
    QTest::newRow("folded accents") << QStringLiteral("CAFÉ") << QStringLiteral("opp_2");
    QTest::newRow("any order") << QStringLiteral("labs north") << QStringLiteral("opp_1");
    QTest::newRow("one word missing") << QStringLiteral("north zzz") << QString();
    QTest::newRow("owner name") << QStringLiteral("ruiz") << QStringLiteral("opp_2");
    QTest::newRow("unknown option, as its id") << QStringLiteral("gone") << QStringLiteral("opp_2");
    QTest::newRow("markdown beyond its first line")
        << QStringLiteral("nda") << QStringLiteral("opp_1");
    QTest::newRow("not a name: an id") << QStringLiteral("con_new") << QString();
    QTest::newRow("not a number") << QStringLiteral("250") << QString();
}

void TestOpportunityRowFilter::searchNeedsEveryWord()
{
    QFETCH(QString, query);
    QFETCH(QString, expected);
    OpportunityRowFilter filter;
    filter.setSearch(TextFold::fold(query));
    QCOMPARE(filter.hasSearch(), !query.trimmed().isEmpty());
    QCOMPARE(accepted(filter), expected);
}

void TestOpportunityRowFilter::prepareSkipsUnknownColumns()
{
    QVERIFY(!OpportunityRowFilter::prepare(
        *m_store, ColumnFilter(QStringLiteral("nope"), Op::Equal, 1)));
    QVERIFY(OpportunityRowFilter::prepare(
        *m_store, ColumnFilter(QStringLiteral("$amount"), Op::Equal, 1)));

    OpportunityRowFilter filter;
    // A filter on a column the store lacks is dropped, the others apply.
    filter.setColumnFilters(m_store.get(),
        {ColumnFilter(QStringLiteral("nope"), Op::Equal, 1),
            ColumnFilter(QStringLiteral("isStrategic"), Op::Equal, true)});
    QCOMPARE(accepted(filter), QStringLiteral("opp_2"));
    // Without a store nothing is prepared: every row passes.
    filter.setColumnFilters(
        nullptr, {ColumnFilter(QStringLiteral("isStrategic"), Op::Equal, true)});
    QCOMPARE(accepted(filter), QStringLiteral("opp_1 opp_2 opp_3"));
    filter.setColumnFilters(m_store.get(), {});
    QCOMPARE(accepted(filter), QStringLiteral("opp_1 opp_2 opp_3"));
}

void TestOpportunityRowFilter::filterEdgeCases_data()
{
    TableTest::addColumnFilterColumns();
    const auto row = &TableTest::addColumnFilterRow;
    // Numbers: an empty cell never compares, so it passes only negated; zero is a value.
    row("amount = 0", "$amount", Op::Equal, 0, false, "opp_1");
    row("amount <= 0", "$amount", Op::LessOrEqual, 0, false, "opp_1");
    row("amount not < 1000", "$amount", Op::LessThan, 1000, true, "opp_3");
    row("amount = cents", "$amount", Op::Equal, 250.75, false, "opp_2");
    row("amount empty", "$amount", Op::IsEmpty, QVariant(), false, "opp_3");
    row("amount not not-empty", "$amount", Op::IsNotEmpty, QVariant(), true, "opp_3");
    // An operator the type lacks rejects every row, negated or not.
    row("text > (rejected)", "$name", Op::GreaterThan, QStringLiteral("a"), false, "");
    row("text not > (still rejected)", "$name", Op::GreaterThan, QStringLiteral("a"), true, "");
    row("checkbox starts with (rejected)", "isStrategic", Op::StartsWith, QStringLiteral("t"), true,
        "");
    // CHECKBOX: unset is unchecked, but empty.
    row("unchecked", "isStrategic", Op::Equal, false, false, "opp_1 opp_3");
    row("checked", "isStrategic", Op::Equal, true, false, "opp_2");
    row("checkbox unset", "isStrategic", Op::IsEmpty, QVariant(), false, "opp_3");
    // DATETIME: by the day shown in Los Angeles (06:30 UTC on Oct 1 is Sep 30 there), or by
    // the instant.
    row("day shown", "closeDate", Op::Equal, QDate(2026, 9, 30), false, "opp_1 opp_2");
    row("after the day", "closeDate", Op::GreaterThan, QDate(2026, 9, 30), false, "");
    row("instant", "closeDate", Op::GreaterThan,
        QDateTime(QDate(2026, 10, 1), QTime(0, 0), Qt::UTC), false, "opp_2");
    // Text: folded; an empty cell never matches, so it passes negated.
    row("name equal folded", "$name", Op::Equal, QStringLiteral("CAFE OLE"), false, "opp_2");
    row("name starts with", "$name", Op::StartsWith, QStringLiteral("north"), false, "opp_1");
    row("name contains nothing", "$name", Op::Contains, QString(), false, "opp_1 opp_2");
    row("name not contains", "$name", Op::Contains, QStringLiteral("ole"), true, "opp_1 opp_3");
    // SINGLE_SELECT: label or id; an option the definitions lack matches its id.
    row("stage label any case", "$stage", Op::Equal, QStringLiteral("PROPOSAL"), false, "opp_1");
    row("stage unknown option", "$stage", Op::Equal, QStringLiteral("opt_stage_gone"), false,
        "opp_2");
    row("stage unknown value", "$stage", Op::Equal, QStringLiteral("Nowhere"), false, "");
    row("stage not proposal", "$stage", Op::Equal, QStringLiteral("Proposal"), true, "opp_2 opp_3");
    // MULTI_SELECT: exactly the set (any order), or any of; unknown options by id.
    row("competitors exactly", "competitors", Op::Equal,
        QStringList {QStringLiteral("Salesforce"), QStringLiteral("opt_competitors_hubspot")},
        false, "opp_1");
    row("competitors not exactly a subset", "competitors", Op::Equal,
        QStringList {QStringLiteral("HubSpot")}, false, "");
    row("competitors unknown id", "competitors", Op::Contains, QStringLiteral("x_unknown"), false,
        "opp_2");
    row("competitors none of", "competitors", Op::Contains,
        QStringList {QStringLiteral("Attio"), QStringLiteral("Pipedrive")}, true,
        "opp_1 opp_2 opp_3");
    // Lists of values: Equal when one value equals; other operators on the joined text.
    row("email equals one", "billingEmail", Op::Equal, QStringLiteral("Billing@North.example"),
        false, "opp_1");
    row("email starts with the first", "billingEmail", Op::StartsWith, QStringLiteral("ap@"), false,
        "opp_1");
    row("email starts with the second", "billingEmail", Op::StartsWith, QStringLiteral("billing"),
        false, "");
    // MARKDOWN: Contains reads the whole text, StartsWith the first line shown.
    row("markdown contains", "nextSteps", Op::Contains, QStringLiteral("nda"), false, "opp_1");
    row("markdown starts with", "nextSteps", Op::StartsWith, QStringLiteral("plan"), false,
        "opp_1");
    row("markdown equal needs the first line", "nextSteps", Op::Equal, QStringLiteral("plan"),
        false, "opp_1");
    // Relationships: ids (known, "local_" or a list) or names as text; an id whose name is
    // unknown is its text.
    row("account id", "$account", Op::Equal, QStringLiteral("acc_north"), false, "opp_1");
    row("account local id", "$account", Op::Equal, QStringLiteral("local_7"), false, "opp_2");
    row("account ids", "$account", Op::Contains,
        QStringList {QStringLiteral("local_7"), QStringLiteral("acc_zeta")}, false, "opp_2");
    row("account name", "$account", Op::Equal, QStringLiteral("northwind LABS"), false, "opp_1");
    row("champion unknown name", "$champion", Op::Contains, QStringLiteral("con_new"), false,
        "opp_1");
    row("owner empty", "$owner", Op::IsEmpty, QVariant(), false, "opp_1 opp_3");
    row("owner not ana", "$owner", Op::Equal, QStringLiteral("mem_ana"), true, "opp_1 opp_3");
}

void TestOpportunityRowFilter::filterEdgeCases()
{
    QFETCH(QString, key);
    QFETCH(int, op);
    QFETCH(QVariant, value);
    QFETCH(bool, negate);
    QFETCH(QString, expected);
    const ColumnFilter columnFilter(key, Op(op), value, negate);
    QCOMPARE(matching(columnFilter), expected);
    // The same through a whole filter.
    OpportunityRowFilter filter;
    filter.setColumnFilters(m_store.get(), {columnFilter});
    QCOMPARE(accepted(filter), expected);
}

void TestOpportunityRowFilter::filtersAndSearchCombine()
{
    OpportunityRowFilter filter;
    filter.setColumnFilters(m_store.get(),
        {ColumnFilter(QStringLiteral("$amount"), Op::IsNotEmpty, QVariant()),
            ColumnFilter(QStringLiteral("isStrategic"), Op::Equal, false)});
    QCOMPARE(accepted(filter), QStringLiteral("opp_1"));
    filter.setSearch(TextFold::fold(u"café"));
    QCOMPARE(accepted(filter), QString());
    filter.setColumnFilters(m_store.get(), {});
    QCOMPARE(accepted(filter), QStringLiteral("opp_2"));
    filter.setSearch(QString());
    QVERIFY(!filter.hasSearch());
    QCOMPARE(accepted(filter), QStringLiteral("opp_1 opp_2 opp_3"));
}

QTEST_GUILESS_MAIN(TestOpportunityRowFilter)
#include "tst_opportunityrowfilter.moc"
