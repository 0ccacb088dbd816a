#include "domain/objectschema.h"
#include "domain/record.h"
#include "modeltesthelpers.h"

#include <QStandardPaths>
#include <QtTest>

namespace {

QJsonObject parseObject(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

QDateTime utc(int year, int month, int day, int hour, int minute, int second = 0)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second), Qt::UTC);
}

} // namespace

class TestRecord : public QObject
{
    Q_OBJECT

private:
    ObjectSchema m_schema;
    QJsonObject m_recordJson;

    /** A record whose single field `key` is `entry` (the {valueType, value} object). */
    Record recordWithField(const QString &key, const QByteArray &entry) const
    {
        QJsonObject json {{QStringLiteral("id"), QStringLiteral("opp_1")}};
        json.insert(QStringLiteral("fields"), QJsonObject {{key, ModelTest::parseValue(entry)}});
        return Record::fromJson(json, m_schema);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_schema = ObjectSchema::fromDefinitionsJson(
            ModelTest::loadObject("models_opportunity_definitions.json"));
        m_recordJson = ModelTest::loadObject("models_opportunity_record.json");
        QVERIFY(!m_schema.isEmpty());
        QVERIFY(!m_recordJson.isEmpty());
    }

    void parsesTopLevelProperties()
    {
        const Record record = Record::fromJson(m_recordJson, m_schema);
        QVERIFY(record.isValid());
        QCOMPARE(record.id(), QStringLiteral("opp_2Jx7d"));
        QCOMPARE(record.createdAt(), utc(2026, 4, 2, 9, 15));
        QCOMPARE(record.updatedAt(), utc(2026, 4, 20, 17, 41, 12));
        QCOMPARE(record.updatedAt().timeSpec(), Qt::UTC);
        QCOMPARE(record.httpLink(),
            QStringLiteral("https://crm.lightfield.app/crm/opportunities/opp_2Jx7d"));
        QCOMPARE(record.externalId(), QString());
    }

    void parsesTypedFieldValues()
    {
        const Record record = Record::fromJson(m_recordJson, m_schema);
        QCOMPARE(record.value(QStringLiteral("$name")).toText(),
            QStringLiteral("Northwind – renewal FY27"));
        QCOMPARE(record.value(QStringLiteral("$stage")).toText(), QStringLiteral("opt_4kQe1"));
        QCOMPARE(record.value(QStringLiteral("$amount")).toCents(), qint64(4800050));
        QCOMPARE(record.value(QStringLiteral("$amount")).currencyCode(), QStringLiteral("USD"));
        QCOMPARE(record.value(QStringLiteral("arr")).currencyCode(), QStringLiteral("EUR"));
        QCOMPARE(record.value(QStringLiteral("$closeDate")).toDateTime(), utc(2026, 9, 30, 17, 0));
        QCOMPARE(record.value(QStringLiteral("seats")).toDouble(), 12.5);
        QCOMPARE(record.value(QStringLiteral("isStrategic")), FieldValue::fromBool(false));
        QCOMPARE(record.value(QStringLiteral("contactEmails")).toStringList().size(), 2);
        QCOMPARE(record.value(QStringLiteral("$ownerEmail")).toStringList(),
            QStringList {QStringLiteral("ana@lightfield.example")});
        QCOMPARE(
            record.value(QStringLiteral("hqAddress")).toAddress().city, QStringLiteral("Austin"));
        QCOMPARE(record.value(QStringLiteral("hqAddress")).toAddress().latitude, 30.27);
        QCOMPARE(record.value(QStringLiteral("championName")).toFullName().displayName(),
            QStringLiteral("Ana Ruiz"));
        QCOMPARE(record.value(QStringLiteral("$industry")).toStringList(),
            (QStringList {QStringLiteral("opt_aa1"), QStringLiteral("opt_bb2")}));
        QCOMPARE(record.value(QStringLiteral("legacySummary")).type(), FieldType::Markdown);
        QVERIFY(!record.value(QStringLiteral("legacySummary")).isRaw());
    }

    void everyKnownFieldOfTheFixtureParsesCleanly()
    {
        const Record record = Record::fromJson(m_recordJson, m_schema);
        QCOMPARE(record.rawFieldKeys(), QStringList {QStringLiteral("geo")});
        for (auto it = record.fields().constBegin(); it != record.fields().constEnd(); ++it) {
            const FieldDefinition *definition = m_schema.field(it.key());
            QVERIFY2(definition, qPrintable(it.key()));
            QCOMPARE(it.value().type(), definition->type());
        }
    }

    void distinguishesAbsentFromNullFields()
    {
        const Record record = Record::fromJson(m_recordJson, m_schema);
        QVERIFY(record.hasField(QStringLiteral("riskNote")));
        QVERIFY(record.value(QStringLiteral("riskNote")).isNull());
        QCOMPARE(record.value(QStringLiteral("riskNote")).type(), FieldType::Markdown);
        QVERIFY(!record.hasField(QStringLiteral("billingEmail")));
        QVERIFY(record.value(QStringLiteral("billingEmail")).isNull());
        // Both are "no value" for dirty tracking.
        QCOMPARE(record.value(QStringLiteral("billingEmail")), FieldValue::null(FieldType::Email));
    }

    void toleratesMissingOrNullOptionalProperties_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("setNull");
        for (const char *key : {"updatedAt", "externalId", "httpLink", "fields", "relationships"}) {
            QTest::newRow(qPrintable(QStringLiteral("%1 missing").arg(QLatin1String(key))))
                << QString::fromLatin1(key) << false;
            QTest::newRow(qPrintable(QStringLiteral("%1 null").arg(QLatin1String(key))))
                << QString::fromLatin1(key) << true;
        }
    }
    void toleratesMissingOrNullOptionalProperties()
    {
        QFETCH(QString, key);
        QFETCH(bool, setNull);
        QJsonObject json = m_recordJson;
        if (setNull)
            json.insert(key, QJsonValue(QJsonValue::Null));
        else
            json.remove(key);

        const Record record = Record::fromJson(json, m_schema);
        QVERIFY(record.isValid());
        QCOMPARE(record.createdAt(), utc(2026, 4, 2, 9, 15));
        if (key == QLatin1String("updatedAt"))
            QVERIFY(!record.updatedAt().isValid());
        if (key == QLatin1String("httpLink"))
            QCOMPARE(record.httpLink(), QString());
        if (key == QLatin1String("fields"))
            QVERIFY(record.fields().isEmpty());
        else
            QVERIFY(!record.fields().isEmpty());
        if (key == QLatin1String("relationships"))
            QVERIFY(record.relationships().isEmpty());
        else
            QCOMPARE(record.relatedIds(QStringLiteral("$account")),
                QStringList {QStringLiteral("acc_81Pz")});
    }

    void recordWithoutStringIdIsInvalid_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("empty") << QByteArray("{}");
        QTest::newRow("numeric id") << QByteArray(R"({"id":5})");
        QTest::newRow("null id") << QByteArray(R"({"id":null,"fields":{}})");
    }
    void recordWithoutStringIdIsInvalid()
    {
        QFETCH(QByteArray, json);
        QVERIFY(!Record::fromJson(parseObject(json), m_schema).isValid());
    }

    void relationshipCardinalityAnyCase_data()
    {
        QTest::addColumn<QString>("cardinality");
        QTest::addColumn<Cardinality>("expected");
        QTest::newRow("HAS_ONE") << "HAS_ONE" << Cardinality::HasOne;
        QTest::newRow("has_one") << "has_one" << Cardinality::HasOne;
        QTest::newRow("HAS_MANY") << "HAS_MANY" << Cardinality::HasMany;
        QTest::newRow("has_many") << "has_many" << Cardinality::HasMany;
        QTest::newRow("unknown") << "some" << Cardinality::Unknown;
    }
    void relationshipCardinalityAnyCase()
    {
        QFETCH(QString, cardinality);
        QFETCH(Cardinality, expected);
        const QJsonObject json {{QStringLiteral("id"), QStringLiteral("opp_1")},
            {QStringLiteral("relationships"),
                QJsonObject {{QStringLiteral("$owner"),
                    QJsonObject {{QStringLiteral("cardinality"), cardinality},
                        {QStringLiteral("objectType"), QStringLiteral("member")},
                        {QStringLiteral("values"), QJsonArray {QStringLiteral("mem_07aa")}}}}}}};
        const Relationship owner = Record::fromJson(json).relationship(QStringLiteral("$owner"));
        QCOMPARE(owner.cardinality, expected);
        QCOMPARE(owner.objectType, QStringLiteral("member"));
        QCOMPARE(owner.ids, QStringList {QStringLiteral("mem_07aa")});
    }

    void relationshipValuesAreReadTolerantly_data()
    {
        QTest::addColumn<QByteArray>("relationship");
        QTest::addColumn<QStringList>("ids");
        QTest::newRow("array") << QByteArray(R"({"cardinality":"HAS_MANY","values":["a","b"]})")
                               << QStringList {QStringLiteral("a"), QStringLiteral("b")};
        QTest::newRow("empty array")
            << QByteArray(R"({"cardinality":"HAS_MANY","values":[]})") << QStringList();
        QTest::newRow("values missing")
            << QByteArray(R"({"cardinality":"HAS_ONE"})") << QStringList();
        QTest::newRow("values null")
            << QByteArray(R"({"cardinality":"HAS_ONE","values":null})") << QStringList();
        QTest::newRow("single string") << QByteArray(R"({"cardinality":"HAS_ONE","values":"a"})")
                                       << QStringList {QStringLiteral("a")};
        QTest::newRow("duplicates and blanks dropped")
            << QByteArray(R"({"values":["a","","a","b",null,7]})")
            << QStringList {QStringLiteral("a"), QStringLiteral("b")};
        QTest::newRow("objects with id") << QByteArray(R"({"values":[{"id":"a"},{"name":"x"}]})")
                                         << QStringList {QStringLiteral("a")};
    }
    void relationshipValuesAreReadTolerantly()
    {
        QFETCH(QByteArray, relationship);
        QFETCH(QStringList, ids);
        QJsonObject json {{QStringLiteral("id"), QStringLiteral("opp_1")}};
        json.insert(QStringLiteral("relationships"),
            QJsonObject {{QStringLiteral("$champion"), parseObject(relationship)}});
        const Record record = Record::fromJson(json, m_schema);
        QVERIFY(record.hasRelationship(QStringLiteral("$champion")));
        QCOMPARE(record.relatedIds(QStringLiteral("$champion")), ids);
    }

    void fieldReadingAgainstTheDefinition_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QByteArray>("entry");
        QTest::addColumn<FieldType>("type");
        QTest::addColumn<FieldValue::Problem>("problem");
        QTest::addColumn<QString>("rawValueType");

        QTest::newRow("agrees") << "seats" << QByteArray(R"({"valueType":"NUMBER","value":3})")
                                << FieldType::Number << FieldValue::Problem::None << "";
        QTest::newRow("lower-case valueType agrees")
            << "seats" << QByteArray(R"({"valueType":"number","value":3})") << FieldType::Number
            << FieldValue::Problem::None << "";
        QTest::newRow("disagrees with definition")
            << "seats" << QByteArray(R"({"valueType":"TEXT","value":"three"})") << FieldType::Number
            << FieldValue::Problem::TypeMismatch << "TEXT";
        QTest::newRow("disagrees but JSON would fit")
            << "seats" << QByteArray(R"({"valueType":"CURRENCY","value":3})") << FieldType::Number
            << FieldValue::Problem::TypeMismatch << "CURRENCY";
        QTest::newRow("unknown valueType on a known field")
            << "seats" << QByteArray(R"({"valueType":"BIG_NUMBER","value":"3e400"})")
            << FieldType::Number << FieldValue::Problem::UnknownType << "BIG_NUMBER";
        QTest::newRow("unknown type in definition and record")
            << "geo" << QByteArray(R"({"valueType":"GEO_POINT","value":{"lat":1}})")
            << FieldType::Unknown << FieldValue::Problem::UnknownType << "GEO_POINT";
        QTest::newRow("JSON contradicts type")
            << "isStrategic" << QByteArray(R"({"valueType":"CHECKBOX","value":"yes"})")
            << FieldType::Checkbox << FieldValue::Problem::WrongJsonShape << "CHECKBOX";
        QTest::newRow("valueType missing uses definition")
            << "seats" << QByteArray(R"({"value":4})") << FieldType::Number
            << FieldValue::Problem::None << "";
        QTest::newRow("bare value instead of wrapper uses definition")
            << "seats" << QByteArray("5") << FieldType::Number << FieldValue::Problem::None << "";
        QTest::newRow("field missing from schema uses own valueType")
            << "brandNew" << QByteArray(R"({"valueType":"TEXT","value":"hi"})") << FieldType::Text
            << FieldValue::Problem::None << "";
        QTest::newRow("field missing from schema without valueType")
            << "brandNew" << QByteArray(R"({"value":"hi"})") << FieldType::Unknown
            << FieldValue::Problem::UnknownType << "";
    }
    void fieldReadingAgainstTheDefinition()
    {
        QFETCH(QString, key);
        QFETCH(QByteArray, entry);
        QFETCH(FieldType, type);
        QFETCH(FieldValue::Problem, problem);
        QFETCH(QString, rawValueType);

        const Record record = recordWithField(key, entry);
        QVERIFY(record.hasField(key));
        const FieldValue value = record.value(key);
        QCOMPARE(value.type(), type);
        QCOMPARE(value.problem(), problem);
        QCOMPARE(value.isRaw(), problem != FieldValue::Problem::None);
        QCOMPARE(value.rawValueTypeName(), rawValueType);
        QCOMPARE(record.rawFieldKeys().contains(key), value.isRaw());
        if (value.isRaw()) {
            const QJsonValue json = ModelTest::parseValue(entry);
            const QJsonValue expectedRaw
                = json.isObject() ? json.toObject().value(QStringLiteral("value")) : json;
            QCOMPARE(value.rawJson(), expectedRaw);
        }
    }

    void withoutSchemaEachFieldUsesItsOwnValueType()
    {
        const Record record = Record::fromJson(m_recordJson);
        QCOMPARE(record.value(QStringLiteral("$amount")).toCents(), qint64(4800050));
        QCOMPARE(record.value(QStringLiteral("$amount")).currencyCode(), QString());
        QCOMPARE(record.value(QStringLiteral("$stage")).type(), FieldType::SingleSelect);
        QCOMPARE(record.value(QStringLiteral("geo")).problem(), FieldValue::Problem::UnknownType);
        QCOMPARE(record.rawFieldKeys(), QStringList {QStringLiteral("geo")});
    }

    void unknownTopLevelKeysAreIgnored()
    {
        QJsonObject json = m_recordJson;
        json.remove(QStringLiteral("someFutureKey"));
        QVERIFY(Record::fromJson(json, m_schema) == Record::fromJson(m_recordJson, m_schema));
    }

    void toJsonRoundTripsThroughFromJson()
    {
        const Record record = Record::fromJson(m_recordJson, m_schema);
        const QJsonObject json = record.toJson();
        const Record again = Record::fromJson(json, m_schema);
        QVERIFY(again == record);
        // The raw value goes out exactly as it came in.
        const QJsonObject geo = json.value(QStringLiteral("fields"))
                                    .toObject()
                                    .value(QStringLiteral("geo"))
                                    .toObject();
        QCOMPARE(geo.value(QStringLiteral("valueType")).toString(), QStringLiteral("GEO_POINT"));
        QCOMPARE(geo.value(QStringLiteral("value")),
            m_recordJson.value(QStringLiteral("fields"))
                .toObject()
                .value(QStringLiteral("geo"))
                .toObject()
                .value(QStringLiteral("value")));
        QCOMPARE(json.value(QStringLiteral("externalId")), QJsonValue(QJsonValue::Null));
        QCOMPARE(json.value(QStringLiteral("updatedAt")).toString(),
            QStringLiteral("2026-04-20T17:41:12.000Z"));
        QCOMPARE(json.value(QStringLiteral("relationships"))
                     .toObject()
                     .value(QStringLiteral("$owner"))
                     .toObject()
                     .value(QStringLiteral("cardinality"))
                     .toString(),
            QStringLiteral("HAS_ONE"));
    }

    void settersBuildARecord()
    {
        Record record(QStringLiteral("opp_new"));
        QVERIFY(record.isValid());
        record.setValue(QStringLiteral("$name"),
            FieldValue::fromText(FieldType::Text, QStringLiteral("Acme pilot")));
        record.setRelationship(QStringLiteral("$account"),
            Relationship {
                Cardinality::HasOne, QStringLiteral("account"), {QStringLiteral("acc_1")}});
        record.setUpdatedAt(QDateTime(QDate(2026, 1, 1), QTime(1, 0), Qt::OffsetFromUTC, 3600));
        QCOMPARE(record.updatedAt(), utc(2026, 1, 1, 0, 0));
        QCOMPARE(record.value(QStringLiteral("$name")).toText(), QStringLiteral("Acme pilot"));
        QCOMPARE(
            record.relatedIds(QStringLiteral("$account")), QStringList {QStringLiteral("acc_1")});
        record.removeField(QStringLiteral("$name"));
        QVERIFY(!record.hasField(QStringLiteral("$name")));
        QVERIFY(record.relatedIds(QStringLiteral("$nothing")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRecord)
#include "tst_record.moc"
