// ConflictResolution: the body and base a conflict dialog queues for "all
// mine", "all theirs" and mixed choices, applying it to a real Outbox, and values for people.

#include "domain/recordjson.h"
#include "domain/valuetext.h"
#include "syncuitesthelpers.h"

#include "sync/conflictresolution.h"

#include <QJsonArray>
#include <QLocale>
#include <QStandardPaths>
#include <QTest>

using namespace SyncUiTest;

namespace {

using Choice = ConflictResolution::Choice;

const QString kTheirsUpdatedAt = QStringLiteral("2026-04-22T10:00:00.000Z");

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

// Mine: name and amount (both also changed on the server: conflicts) and next steps (only
// mine: always sent). Theirs: another name, another amount, next steps untouched.
QJsonObject mineBody()
{
    return QJsonObject {{QStringLiteral("fields"),
        QJsonObject {{QStringLiteral("$name"), QStringLiteral("Mine")},
            {QStringLiteral("$amount"), 500},
            {QStringLiteral("nextSteps"), QStringLiteral("Call")}}}};
}

QJsonObject mineBase()
{
    return QJsonObject {{QStringLiteral("$name"), QStringLiteral("Base")},
        {QStringLiteral("$amount"), 100}, {QStringLiteral("nextSteps"), QStringLiteral("old")}};
}

QJsonObject theirs()
{
    return dealJson(QStringLiteral("opp_1"), QStringLiteral("Theirs"), 900, kTheirsUpdatedAt);
}

} // namespace

class TestConflictResolution final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void allMineKeepsEveryKeyAgainstTheirValues()
    {
        const ConflictResolution r
            = ConflictResolution::resolveAll(mineBody(), mineBase(), theirs(), Choice::Mine);
        QCOMPARE(r.bodyJson(),
            QByteArray(R"({"fields":{"$amount":500,"$name":"Mine","nextSteps":"Call"}})"));
        QCOMPARE(r.baseValues(),
            (QJsonObject {{QStringLiteral("$name"), QStringLiteral("Theirs")},
                {QStringLiteral("$amount"), 900},
                {QStringLiteral("nextSteps"), QStringLiteral("old")}}));
        QCOMPARE(r.baseUpdatedAt(), kTheirsUpdatedAt);
        QVERIFY(r.unresolved().isEmpty());
        QVERIFY(!r.isDiscard());
        QCOMPARE(r.conflicts().size(), 2);
        QCOMPARE(r.conflicts().at(0).key, QStringLiteral("$amount"));
        QCOMPARE(r.conflicts().at(1).key, QStringLiteral("$name"));
    }

    void allTheirsDropsTheConflictingKeys()
    {
        const ConflictResolution r
            = ConflictResolution::resolveAll(mineBody(), mineBase(), theirs(), Choice::Theirs);
        QCOMPARE(r.bodyJson(), QByteArray(R"({"fields":{"nextSteps":"Call"}})"));
        QCOMPARE(
            r.baseValues(), (QJsonObject {{QStringLiteral("nextSteps"), QStringLiteral("old")}}));
        QVERIFY(!r.isDiscard());
    }

    void mixedChoicesKeepOnlyTheMineKeys()
    {
        const ConflictResolution r = ConflictResolution::resolve(mineBody(), mineBase(), theirs(),
            {{QStringLiteral("$name"), Choice::Mine}, {QStringLiteral("$amount"), Choice::Theirs},
                {QStringLiteral("notInConflict"), Choice::Mine}});
        QCOMPARE(r.bodyJson(), QByteArray(R"({"fields":{"$name":"Mine","nextSteps":"Call"}})"));
        QCOMPARE(r.baseValues(),
            (QJsonObject {{QStringLiteral("$name"), QStringLiteral("Theirs")},
                {QStringLiteral("nextSteps"), QStringLiteral("old")}}));
        QVERIFY(r.unresolved().isEmpty());
    }

    void allTheirsWithNothingElseIsADiscard()
    {
        QJsonObject body = mineBody();
        QJsonObject fields = body.value(QStringLiteral("fields")).toObject();
        fields.remove(QStringLiteral("nextSteps"));
        body.insert(QStringLiteral("fields"), fields);
        const ConflictResolution r
            = ConflictResolution::resolveAll(body, mineBase(), theirs(), Choice::Theirs);
        QVERIFY(r.isDiscard());
        QCOMPARE(r.bodyJson(), QByteArray("{}"));
        QVERIFY(r.baseValues().isEmpty());
    }

    void keysSetAlikeAreDroppedWhateverTheChoice()
    {
        QJsonObject body = mineBody();
        QJsonObject fields = body.value(QStringLiteral("fields")).toObject();
        fields.insert(QStringLiteral("$amount"), 900); // the colleague set the same amount
        body.insert(QStringLiteral("fields"), fields);
        const ConflictResolution r
            = ConflictResolution::resolveAll(body, mineBase(), theirs(), Choice::Mine);
        QCOMPARE(r.bodyJson(), QByteArray(R"({"fields":{"$name":"Mine","nextSteps":"Call"}})"));
        QCOMPARE(r.conflicts().size(), 1);
    }

    void aKeyWithoutAChoiceIsUnresolvedAndNotApplied()
    {
        const ConflictResolution r = ConflictResolution::resolve(
            mineBody(), mineBase(), theirs(), {{QStringLiteral("$name"), Choice::Mine}});
        QCOMPARE(r.unresolved(), QStringList {QStringLiteral("$amount")});
        Fixture f;
        QVERIFY(f.open());
        QVERIFY(!ConflictResolution::apply(*f.outbox, 1, r));
    }

    void relationshipsFollowTheChoiceToo()
    {
        const QJsonObject body {{QStringLiteral("relationships"),
            QJsonObject {{QStringLiteral("$owner"),
                QJsonObject {
                    {QStringLiteral("replace"), QJsonArray {QStringLiteral("mem_me")}}}}}}};
        const QJsonObject base {{QStringLiteral("$owner"), QJsonArray {QStringLiteral("mem_old")}}};
        QJsonObject server = theirs();
        server.insert(QStringLiteral("relationships"),
            QJsonObject {{QStringLiteral("$owner"),
                QJsonObject {{QStringLiteral("cardinality"), QStringLiteral("HAS_ONE")},
                    {QStringLiteral("objectType"), QStringLiteral("member")},
                    {QStringLiteral("values"), QJsonArray {QStringLiteral("mem_them")}}}}});
        const ConflictResolution mine
            = ConflictResolution::resolveAll(body, base, server, Choice::Mine);
        QCOMPARE(
            mine.bodyJson(), QByteArray(R"({"relationships":{"$owner":{"replace":["mem_me"]}}})"));
        QCOMPARE(mine.baseValues(),
            (QJsonObject {{QStringLiteral("$owner"), QJsonArray {QStringLiteral("mem_them")}}}));
        QVERIFY(mine.conflicts().first().relationship);
        QVERIFY(ConflictResolution::resolveAll(body, base, server, Choice::Theirs).isDiscard());
        QCOMPARE(ValueText::relationship(mine.conflicts().first().mine), QStringLiteral("mem_me"));
        QCOMPARE(ValueText::relationship(QJsonObject {{QStringLiteral("add"),
                     QJsonArray {QStringLiteral("con_a"), QStringLiteral("con_b")}}}),
            QStringLiteral("Add con_a, con_b"));
    }

    void applyQueuesTheResolvedBodyUnderANewKey()
    {
        Fixture f;
        QVERIFY(f.open());
        QVERIFY(f.seed(QStringLiteral("opp_1"), QStringLiteral("Base"), 100));
        const auto row = f.outbox->enqueueUpdate(kDeal, QStringLiteral("opp_1"),
            compact(mineBody()), QStringLiteral("2026-04-20T10:00:00.000Z"), mineBase(), {}, kNow);
        QVERIFY(row);
        QVERIFY(f.outbox->markInFlight(row->seq));
        // Not in conflict yet: refused.
        const ConflictResolution early
            = ConflictResolution::resolveAll(mineBody(), mineBase(), theirs(), Choice::Mine);
        QVERIFY(!ConflictResolution::apply(*f.outbox, row->seq, early));
        QVERIFY(f.outbox->markConflict(
            row->seq, QStringLiteral("conflict: $amount, $name"), compact(theirs())));

        const ConflictResolution r = ConflictResolution::resolve(mineBody(), mineBase(), theirs(),
            {{QStringLiteral("$name"), Choice::Mine}, {QStringLiteral("$amount"), Choice::Theirs}});
        QVERIFY(ConflictResolution::apply(*f.outbox, row->seq, r));
        const auto stored = f.outbox->row(row->seq);
        QVERIFY(stored);
        QCOMPARE(stored->state, OutboxRow::State::Pending);
        QCOMPARE(stored->body, r.bodyJson());
        QCOMPARE(stored->baseValues, r.baseValues());
        QCOMPARE(stored->baseUpdatedAt, kTheirsUpdatedAt);
        QCOMPARE(stored->attempts, 0);
        QVERIFY(stored->idempotencyKey != row->idempotencyKey);
        // The local copy shows my name over their amount.
        const QJsonObject local
            = object(f.store->record(kDeal, QStringLiteral("opp_1"))->effectiveJson());
        QCOMPARE(RecordJson::fieldValue(local, QStringLiteral("$name")).toString(),
            QStringLiteral("Mine"));
        QCOMPARE(RecordJson::fieldValue(local, QStringLiteral("$amount")).toInt(), 900);
    }

    void applyDiscardsWhenTheirsWinsEverywhere()
    {
        Fixture f;
        QVERIFY(f.open());
        QVERIFY(f.seed(QStringLiteral("opp_1"), QStringLiteral("Base"), 100));
        const QJsonObject body {{QStringLiteral("fields"),
            QJsonObject {{QStringLiteral("$name"), QStringLiteral("Mine")}}}};
        const QJsonObject base {{QStringLiteral("$name"), QStringLiteral("Base")}};
        const auto row = f.outbox->enqueueUpdate(
            kDeal, QStringLiteral("opp_1"), compact(body), QString(), base, {}, kNow);
        QVERIFY(row);
        QVERIFY(f.outbox->markInFlight(row->seq));
        QVERIFY(
            f.outbox->markConflict(row->seq, QStringLiteral("conflict: $name"), compact(theirs())));
        const ConflictResolution r
            = ConflictResolution::resolveAll(body, base, theirs(), Choice::Theirs);
        QVERIFY(r.isDiscard());
        QVERIFY(ConflictResolution::apply(*f.outbox, row->seq, r));
        QVERIFY(!f.outbox->row(row->seq));
        const auto record = f.store->record(kDeal, QStringLiteral("opp_1"));
        QVERIFY(!record->hasLocalChanges());
        QCOMPARE(RecordJson::fieldValue(object(record->effectiveJson()), QStringLiteral("$name"))
                     .toString(),
            QStringLiteral("Theirs"));
    }

    void valuesAreWrittenForPeople_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("text");
        const QString nbsp(QChar(0x00A0));
        QTest::newRow("text") << QStringLiteral("$name") << QJsonValue(QStringLiteral("Acme"))
                              << QStringLiteral("Acme");
        QTest::newRow("null") << QStringLiteral("$name") << QJsonValue() << QString();
        QTest::newRow("option label")
            << QStringLiteral("$stage") << QJsonValue(QStringLiteral("opt_prop"))
            << QStringLiteral("Proposal");
        QTest::newRow("unknown option")
            << QStringLiteral("$stage") << QJsonValue(QStringLiteral("opt_gone"))
            << QStringLiteral("opt_gone");
        QTest::newRow("own currency")
            << QStringLiteral("$amount") << QJsonValue(48000) << QStringLiteral("$48,000");
        QTest::newRow("cents") << QStringLiteral("$amount") << QJsonValue(12.5)
                               << QStringLiteral("$12.50");
        QTest::newRow("other currency") << QStringLiteral("arrEur") << QJsonValue(1500)
                                        << QStringLiteral("1,500") + nbsp + QStringLiteral("EUR");
        QTest::newRow("date") << QStringLiteral("closeDate")
                              << QJsonValue(QStringLiteral("2026-03-01T00:00:00.000Z"))
                              << QLocale(QLocale::English, QLocale::UnitedStates)
                                     .toString(QDate(2026, 3, 1), QLocale::ShortFormat);
        QTest::newRow("checkbox") << QStringLiteral("isStrategic") << QJsonValue(true)
                                  << QStringLiteral("Yes");
        QTest::newRow("number") << QStringLiteral("probability") << QJsonValue(1234.5)
                                << QStringLiteral("1,234.5");
        QTest::newRow("wrong shape")
            << QStringLiteral("probability") << QJsonValue(QStringLiteral("lots"))
            << QStringLiteral("lots");
        QTest::newRow("no definition")
            << QStringLiteral("mystery") << QJsonValue(7) << QStringLiteral("7");
    }

    void valuesAreWrittenForPeople()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QFETCH(QString, text);
        ObjectSchema schema = dealSchema();
        FieldDefinition eur(QStringLiteral("arrEur"), FieldType::Currency, QStringLiteral("ARR"));
        eur.setCurrency(QStringLiteral("EUR"));
        schema.addField(eur);
        schema.addField(FieldDefinition(QStringLiteral("closeDate"), FieldType::DateTime));
        schema.addField(FieldDefinition(QStringLiteral("isStrategic"), FieldType::Checkbox));
        schema.addField(FieldDefinition(QStringLiteral("probability"), FieldType::Number));
        QCOMPARE(ValueText::field(
                     schema.field(key), value, QLocale(QLocale::English, QLocale::UnitedStates)),
            text);
    }
};

QTEST_GUILESS_MAIN(TestConflictResolution)
#include "tst_conflictresolution.moc"
