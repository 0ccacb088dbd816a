// SavedView: JSON round trip by column key and operator name, tolerance of
// corrupt documents and entries, and the relative "this month" rule expanded against a clock.

#include "settings/savedview.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QtTest>

using Op = ColumnFilter::Operator;

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

/** A view using every part of the format. */
SavedView fullView()
{
    SavedView view = SavedView::create(s("Big Nordic deals"));
    view.description = s("Over 10k, Nordic accounts");
    view.columns = {s("$name"), s("$amount"), s("closeDate"), s("$account")};
    view.widths = {{s("$name"), 240}, {s("$amount"), 110}, {s("closeDate"), 95}};
    view.sortColumn = s("$amount");
    view.sortOrder = Qt::DescendingOrder;
    view.filters = {
        ColumnFilter(s("$amount"), Op::GreaterThan, 10000.5),
        ColumnFilter(s("$stage"), Op::Equal, s("Closed Lost"), true),
        ColumnFilter(s("closeDate"), Op::LessOrEqual, QDate(2026, 12, 31)),
        ColumnFilter(s("$lastInteractionAt"), Op::GreaterOrEqual,
            QDateTime(QDate(2026, 3, 1), QTime(9, 30, 0, 250), Qt::UTC)),
        ColumnFilter(s("isStrategic"), Op::Equal, true),
        ColumnFilter(s("competitors"), Op::Contains, QStringList {s("Salesforce"), s("HubSpot")}),
        ColumnFilter(s("$account"), Op::StartsWith, s("Ålesund")),
        ColumnFilter(s("nextSteps"), Op::IsEmpty),
    };
    view.relativeFilters = {
        {s("closeDate"), QString(), SavedView::Period::ThisMonth},
        {QString(), s("renewal"), SavedView::Period::ThisMonth},
    };
    view.searchText = s("nor  wind");
    return view;
}

} // namespace

class TestSavedView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void jsonRoundTripKeepsEveryPart()
    {
        const SavedView view = fullView();
        const std::optional<SavedView> back = SavedView::fromJson(view.toJson());
        QVERIFY(back);
        QCOMPARE(back->filters, view.filters);
        QCOMPARE(back->relativeFilters, view.relativeFilters);
        QCOMPARE(back->widths, view.widths);
        QVERIFY(*back == view);
        // The stored value types survive, not just equal-comparing ones.
        QCOMPARE(back->filters.at(2).value().typeId(), int(QMetaType::QDate));
        QCOMPARE(back->filters.at(3).value().typeId(), int(QMetaType::QDateTime));
        QCOMPARE(back->filters.at(4).value().typeId(), int(QMetaType::Bool));
        QCOMPARE(back->filters.at(5).value().typeId(), int(QMetaType::QStringList));
        QVERIFY(!back->filters.at(7).value().isValid());
        QVERIFY(back->filters.at(1).isNegated());
    }

    void documentRoundTripKeepsOrderAndDefaults()
    {
        QList<SavedView> views = SavedView::defaultViews();
        views.insert(1, fullView());
        const QByteArray document = SavedView::documentFromViews(views);
        const QJsonObject root = QJsonDocument::fromJson(document).object();
        QCOMPARE(root.value(s("version")).toInt(), SavedView::kDocumentVersion);
        const std::optional<QList<SavedView>> back = SavedView::viewsFromDocument(document);
        QVERIFY(back);
        QCOMPARE(back->size(), 4);
        QVERIFY(*back == views);
    }

    void filtersAreStoredByKeyAndOperatorName()
    {
        // Every operator by name: a renumbered enum must not change what a stored view means.
        const QList<Op> all {Op::Equal, Op::GreaterThan, Op::GreaterOrEqual, Op::LessThan,
            Op::LessOrEqual, Op::StartsWith, Op::Contains, Op::IsEmpty, Op::IsNotEmpty};
        QStringList names;
        for (Op op : all) {
            const QString name = SavedView::operatorName(op);
            QVERIFY(!name.isEmpty());
            QVERIFY(!names.contains(name));
            names << name;
            QCOMPARE(SavedView::operatorFromName(name), std::optional<Op>(op));
        }
        const QJsonObject json
            = SavedView::filterToJson(ColumnFilter(s("$amount"), Op::GreaterOrEqual, 5000));
        QCOMPARE(json.value(s("column")).toString(), s("$amount"));
        QCOMPARE(json.value(s("op")).toString(), s("greaterOrEqual"));
        QCOMPARE(json.value(s("valueType")).toString(), s("number"));
        QCOMPARE(json.value(s("value")).toDouble(), 5000.0);
        // An int and the double read back compare equal (the proxy's filter list compares so).
        QCOMPARE(SavedView::filterFromJson(json)->value(), QVariant(5000));
    }

    void corruptEntriesAreSkippedWithALogLine()
    {
        const QJsonArray views {
            QJsonValue(42),
            QJsonObject {{s("id"), s("nameless")}},
            QJsonObject {{s("id"), s("good")}, {s("name"), s("Good")},
                {s("columns"), QJsonArray {s("$name"), 7, s("$name"), s("$amount")}},
                {s("widths"),
                    QJsonObject {{s("$name"), -3}, {s("$amount"), s("wide")}, {s("$stage"), 120}}},
                {s("sort"), QJsonObject {{s("column"), s("$amount")}, {s("order"), s("sideways")}}},
                {s("filters"),
                    QJsonArray {
                        QJsonObject {{s("column"), s("$amount")}, {s("op"), s("approximately")}},
                        QJsonObject {{s("column"), s("$amount")}, {s("op"), s("greaterThan")},
                            {s("valueType"), s("complex")}, {s("value"), 1}},
                        QJsonObject {{s("op"), s("equal")}, {s("valueType"), s("string")},
                            {s("value"), s("x")}},
                        QJsonObject {{s("column"), s("closeDate")}, {s("op"), s("equal")},
                            {s("valueType"), s("date")}, {s("value"), s("2026-02-30")}},
                        QJsonObject {{s("op"), s("thisMonth")}},
                        s("not an object"),
                        QJsonObject {{s("column"), s("$stage")}, {s("op"), s("isNotEmpty")}},
                    }},
                {s("search"), 17}},
            QJsonObject {{s("id"), s("good")}, {s("name"), s("Same id again")}},
        };
        const QByteArray document
            = QJsonDocument(QJsonObject {{s("version"), 1}, {s("views"), views}}).toJson();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(s("Saved view 0 is not an object")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(s("Saved view without a name")));
        for (int i = 0; i < 6; ++i)
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(s("unreadable filter skipped")));
        const std::optional<QList<SavedView>> read = SavedView::viewsFromDocument(document);
        QVERIFY(read);
        QCOMPARE(read->size(), 2);
        const SavedView &good = read->at(0);
        QCOMPARE(good.name, s("Good"));
        QCOMPARE(good.columns, (QStringList {s("$name"), s("$amount")}));
        QCOMPARE(good.widths, (QHash<QString, int> {{s("$stage"), 120}}));
        QCOMPARE(good.sortOrder, Qt::AscendingOrder);
        QCOMPARE(good.filters, (QList<ColumnFilter> {ColumnFilter(s("$stage"), Op::IsNotEmpty)}));
        QVERIFY(good.relativeFilters.isEmpty());
        QVERIFY(good.searchText.isEmpty());
        // Ids stay unique so the sidebar can tell the views apart.
        QCOMPARE(read->at(1).name, s("Same id again"));
        QVERIFY(read->at(1).id != good.id);
    }

    void unreadableDocumentsGiveNothing_data()
    {
        QTest::addColumn<QByteArray>("document");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("not json") << QByteArray("views = all of them");
        QTest::newRow("truncated") << QByteArray("{\"version\":1,\"views\":[{\"name\":\"A\"");
        QTest::newRow("array") << QByteArray("[]");
        QTest::newRow("views not an array") << QByteArray("{\"version\":1,\"views\":5}");
        QTest::newRow("binary") << QByteArray("\x00\xff\xfe{", 4);
    }

    void unreadableDocumentsGiveNothing()
    {
        QFETCH(QByteArray, document);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(s("Saved views unreadable")));
        QVERIFY(!SavedView::viewsFromDocument(document));
    }

    void newerDocumentIsReadAsFarAsKnown()
    {
        const QByteArray document = "{\"version\":7,\"views\":[{\"id\":\"v\",\"name\":\"Later\","
                                    "\"grouping\":{\"by\":\"$stage\"},\"search\":\"acme\"}]}";
        QTest::ignoreMessage(QtInfoMsg, QRegularExpression(s("newer app")));
        const auto read = SavedView::viewsFromDocument(document);
        QVERIFY(read);
        QCOMPARE(read->size(), 1);
        QCOMPARE(read->constFirst().name, s("Later"));
        QCOMPARE(read->constFirst().searchText, s("acme"));
    }

    void thisMonthExpandsAgainstTheClock_data()
    {
        QTest::addColumn<QDate>("today");
        QTest::addColumn<QDate>("first");
        QTest::addColumn<QDate>("last");
        QTest::newRow("mid month")
            << QDate(2026, 11, 23) << QDate(2026, 11, 1) << QDate(2026, 11, 30);
        QTest::newRow("first day") << QDate(2026, 1, 1) << QDate(2026, 1, 1) << QDate(2026, 1, 31);
        QTest::newRow("last day of year")
            << QDate(2026, 12, 31) << QDate(2026, 12, 1) << QDate(2026, 12, 31);
        QTest::newRow("february") << QDate(2026, 2, 14) << QDate(2026, 2, 1) << QDate(2026, 2, 28);
        QTest::newRow("leap february")
            << QDate(2028, 2, 29) << QDate(2028, 2, 1) << QDate(2028, 2, 29);
    }

    void thisMonthExpandsAgainstTheClock()
    {
        QFETCH(QDate, today);
        QFETCH(QDate, first);
        QFETCH(QDate, last);
        const SavedView::RelativeDateFilter rule {
            s("closeDate"), QString(), SavedView::Period::ThisMonth};
        QCOMPARE(SavedView::expand(rule, today),
            (QList<ColumnFilter> {ColumnFilter(s("closeDate"), Op::GreaterOrEqual, first),
                ColumnFilter(s("closeDate"), Op::LessOrEqual, last)}));
    }

    void relativeRulesAreExpandedWhenApplied()
    {
        SavedView view = SavedView::defaultViews().at(2);
        view.filters = {ColumnFilter(s("$amount"), Op::GreaterThan, 100)};
        QStringList asked;
        const auto resolve = [&asked](const QString &hint) {
            asked << hint;
            return hint == QLatin1String("close") ? s("closeDate") : QString();
        };
        // The stored view holds the rule, not dates: the same view gives another month later.
        const QList<ColumnFilter> november = view.effectiveFilters(QDate(2026, 11, 5), resolve);
        const QList<ColumnFilter> december = view.effectiveFilters(QDate(2026, 12, 5), resolve);
        QCOMPARE(asked, (QStringList {s("close"), s("close")}));
        QCOMPARE(november.size(), 3);
        QCOMPARE(november.at(0), view.filters.at(0));
        QCOMPARE(november.at(1).value().toDate(), QDate(2026, 11, 1));
        QCOMPARE(november.at(2).value().toDate(), QDate(2026, 11, 30));
        QCOMPARE(december.at(1).value().toDate(), QDate(2026, 12, 1));
        QCOMPARE(december.at(2).value().toDate(), QDate(2026, 12, 31));
        // No date column in this schema: the rule drops out rather than filtering everything.
        QCOMPARE(
            view.effectiveFilters(QDate(2026, 11, 5), [](const QString &) { return QString(); }),
            view.filters);
        QCOMPARE(view.effectiveFilters(QDate(2026, 11, 5)), view.filters);
    }

    void defaultViewsAreTheBuiltInThree()
    {
        const QList<SavedView> views = SavedView::defaultViews();
        QCOMPARE(views.size(), 3);
        QCOMPARE(views.at(0).name, s("All deals"));
        QVERIFY(views.at(0).columns.isEmpty()); // the model's default columns
        QVERIFY(views.at(0).filters.isEmpty() && views.at(0).relativeFilters.isEmpty());
        QCOMPARE(views.at(1).name, s("My open deals"));
        QCOMPARE(views.at(1).filters,
            (QList<ColumnFilter> {ColumnFilter(s("$opportunityStatus"), Op::Equal, s("Open"))}));
        QVERIFY2(
            views.at(1).description.contains(s("API key")), qPrintable(views.at(1).description));
        QCOMPARE(views.at(2).name, s("Closing this month"));
        QVERIFY(views.at(2).filters.isEmpty());
        QCOMPARE(views.at(2).relativeFilters.size(), 1);
        QCOMPARE(views.at(2).relativeFilters.constFirst().labelHint, s("close"));
        QStringList ids;
        for (const SavedView &view : views)
            ids << view.id;
        ids.removeDuplicates();
        QCOMPARE(ids.size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestSavedView)
#include "tst_savedview.moc"
