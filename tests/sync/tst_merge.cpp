// Merge: the pure three-way merge of a queued update against the server's record
// (rules in docs/decisions/0005-merge-rules.md).

#include "domain/merge.h"
#include "domain/objectschema.h"
#include "domain/recordjson.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTest>

namespace {

QJsonObject field(const QString &type, const QJsonValue &value)
{
    return QJsonObject {{QStringLiteral("valueType"), type}, {QStringLiteral("value"), value}};
}

// A server record (read shape) with a few fields and an $account relationship.
QJsonObject theirs(const QJsonObject &fields, const QStringList &account = {})
{
    QJsonObject relationships;
    relationships.insert(QStringLiteral("$account"),
        QJsonObject {{QStringLiteral("cardinality"), QStringLiteral("HAS_ONE")},
            {QStringLiteral("objectType"), QStringLiteral("account")},
            {QStringLiteral("values"), QJsonArray::fromStringList(account)}});
    return QJsonObject {{QStringLiteral("id"), QStringLiteral("opp_1")},
        {QStringLiteral("updatedAt"), QStringLiteral("2026-04-20T10:00:00.000Z")},
        {QStringLiteral("fields"), fields}, {QStringLiteral("relationships"), relationships}};
}

QJsonObject body(const QJsonObject &fields, const QJsonObject &relationships = {})
{
    QJsonObject result;
    if (!fields.isEmpty())
        result.insert(QStringLiteral("fields"), fields);
    if (!relationships.isEmpty())
        result.insert(QStringLiteral("relationships"), relationships);
    return result;
}

const QString kText = QStringLiteral("TEXT");
const QString kName = QStringLiteral("$name");
const QString kAmount = QStringLiteral("amount");

} // namespace

class TestMerge final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void keyOnlyWeChangedIsSent()
    {
        const auto result = Merge::threeWay(body({{kName, QStringLiteral("Mine")}}),
            {{kName, QStringLiteral("Base")}},
            theirs({{kName, field(kText, QStringLiteral("Base"))}}));
        QCOMPARE(result.sent, QStringList {kName});
        QVERIFY(result.unchanged);
        QVERIFY(!result.hasConflicts());
        QCOMPARE(result.body, body({{kName, QStringLiteral("Mine")}}));
    }

    void keyBothChangedDifferentlyIsAConflict()
    {
        const auto result = Merge::threeWay(body({{kName, QStringLiteral("Mine")}}),
            {{kName, QStringLiteral("Base")}},
            theirs({{kName, field(kText, QStringLiteral("Theirs"))}}));
        QCOMPARE(result.conflicts.size(), 1);
        const Merge::FieldConflict &conflict = result.conflicts.first();
        QCOMPARE(conflict.key, kName);
        QCOMPARE(conflict.base, QJsonValue(QStringLiteral("Base")));
        QCOMPARE(conflict.mine, QJsonValue(QStringLiteral("Mine")));
        QCOMPARE(conflict.theirs, QJsonValue(QStringLiteral("Theirs")));
        QVERIFY(result.nothingToSend());
        QVERIFY(!result.unchanged);
    }

    void keyBothChangedAlikeIsDropped()
    {
        const auto result = Merge::threeWay(body({{kName, QStringLiteral("Same")}, {kAmount, 5}}),
            {{kName, QStringLiteral("Base")}, {kAmount, 1}},
            theirs({{kName, field(kText, QStringLiteral("Same"))},
                {kAmount, field(QStringLiteral("CURRENCY"), 1)}}));
        QCOMPARE(result.dropped, QStringList {kName});
        QCOMPARE(result.sent, QStringList {kAmount});
        QCOMPARE(result.body, body({{kAmount, 5}}));
        QCOMPARE(result.baseValues, QJsonObject({{kAmount, 1}}));
        QVERIFY(!result.unchanged);
    }

    void everythingAlreadyAppliedLeavesNothingToSend()
    {
        const auto result = Merge::threeWay(body({{kName, QStringLiteral("Mine")}}),
            {{kName, QStringLiteral("Base")}},
            theirs({{kName, field(kText, QStringLiteral("Mine"))}}));
        QVERIFY(result.nothingToSend());
        QVERIFY(!result.hasConflicts());
    }

    void valuesCompareByType_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QJsonValue>("a");
        QTest::addColumn<QJsonValue>("b");
        QTest::addColumn<bool>("same");
        QTest::newRow("datetime offset vs Z")
            << QStringLiteral("DATETIME") << QJsonValue(QStringLiteral("2026-09-30T00:00:00+00:00"))
            << QJsonValue(QStringLiteral("2026-09-30T00:00:00.000Z")) << true;
        QTest::newRow("null vs empty text")
            << kText << QJsonValue(QJsonValue::Null) << QJsonValue(QString()) << true;
        QTest::newRow("different text")
            << kText << QJsonValue(QStringLiteral("a")) << QJsonValue(QStringLiteral("b")) << false;
        QTest::newRow("currency 48000 vs 48000.0")
            << QStringLiteral("CURRENCY") << QJsonValue(48000) << QJsonValue(48000.0) << true;
        QTest::newRow("url string vs array")
            << QStringLiteral("URL") << QJsonValue(QStringLiteral("https://a.example"))
            << QJsonValue(QJsonArray {QStringLiteral("https://a.example")}) << true;
        QTest::newRow("unknown type, JSON equality")
            << QStringLiteral("HOLOGRAM") << QJsonValue(1) << QJsonValue(2) << false;
    }
    void valuesCompareByType()
    {
        QFETCH(QString, type);
        QFETCH(QJsonValue, a);
        QFETCH(QJsonValue, b);
        QFETCH(bool, same);
        QCOMPARE(RecordJson::sameValue(a, b, type), same);
    }

    void noBaseRecordedMeansSend()
    {
        const auto result = Merge::threeWay(body({{kName, QStringLiteral("Mine")}}), {},
            theirs({{kName, field(kText, QStringLiteral("Theirs"))}}));
        QCOMPARE(result.sent, QStringList {kName});
    }

    void relationshipReplaceFollowsFieldRules()
    {
        const QString key = QStringLiteral("$account");
        const QJsonObject replace {{QStringLiteral("replace"), QStringLiteral("acc_new")}};
        // Only we changed it.
        auto result = Merge::threeWay(body({}, {{key, replace}}),
            {{key, QJsonArray {QStringLiteral("acc_old")}}},
            theirs({}, {QStringLiteral("acc_old")}));
        QCOMPARE(result.sent, QStringList {key});
        // Both, alike.
        result = Merge::threeWay(body({}, {{key, replace}}),
            {{key, QJsonArray {QStringLiteral("acc_old")}}},
            theirs({}, {QStringLiteral("acc_new")}));
        QCOMPARE(result.dropped, QStringList {key});
        // Both, differently.
        result = Merge::threeWay(body({}, {{key, replace}}),
            {{key, QJsonArray {QStringLiteral("acc_old")}}}, theirs({}, {QStringLiteral("acc_x")}));
        QCOMPARE(result.conflicts.size(), 1);
        QVERIFY(result.conflicts.first().relationship);
    }

    void relationshipAddAndRemoveCommute()
    {
        const QString key = QStringLiteral("$account");
        auto result = Merge::threeWay(
            body({}, {{key, QJsonObject {{QStringLiteral("add"), QStringLiteral("acc_1")}}}}), {},
            theirs({}, {QStringLiteral("acc_1")}));
        QCOMPARE(result.dropped, QStringList {key});
        result = Merge::threeWay(
            body({}, {{key, QJsonObject {{QStringLiteral("remove"), QStringLiteral("acc_1")}}}}),
            {}, theirs({}, {QStringLiteral("acc_1")}));
        QCOMPARE(result.sent, QStringList {key});
    }

    void recordShowsAppliedUpdateAndCreate()
    {
        const QJsonObject record
            = theirs({{kName, field(kText, QStringLiteral("Mine"))}}, {QStringLiteral("acc_1")});
        QVERIFY(Merge::recordShows(record, body({{kName, QStringLiteral("Mine")}}), false));
        QVERIFY(!Merge::recordShows(record, body({{kName, QStringLiteral("Other")}}), false));
        QVERIFY(Merge::recordShows(record,
            body({{kName, QStringLiteral("Mine")}},
                {{QStringLiteral("$account"), QStringLiteral("acc_1")}}),
            true));
    }

    void definitionsJsonRoundTrips()
    {
        QFile file(QStringLiteral(LIGHTFIELD_TEST_DATA "/models_opportunity_definitions.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const ObjectSchema schema
            = ObjectSchema::fromDefinitionsJson(QJsonDocument::fromJson(file.readAll()).object());
        QVERIFY(!schema.isEmpty());
        const ObjectSchema again = ObjectSchema::fromDefinitionsJson(schema.toDefinitionsJson());
        QCOMPARE(again.fieldKeys(), schema.fieldKeys());
        // What the app reads of a definition survives the trip.
        for (qsizetype i = 0; i < schema.fields().size(); ++i) {
            const FieldDefinition &a = again.fields().at(i);
            const FieldDefinition &b = schema.fields().at(i);
            QCOMPARE(a.label(), b.label());
            QCOMPARE(a.type(), b.type());
            QCOMPARE(a.isReadOnly(), b.isReadOnly());
            QCOMPARE(a.isRequired(), b.isRequired());
            QCOMPARE(a.isSystem(), b.isSystem());
            QCOMPARE(a.options(), b.options());
            QCOMPARE(a.currency(), b.currency());
            QCOMPARE(a.hasMultipleValues(), b.hasMultipleValues());
        }
        QCOMPARE(again.relationships(), schema.relationships());
    }
};

QTEST_GUILESS_MAIN(TestMerge)
#include "tst_merge.moc"
