#include "domain/changeset.h"
#include "domain/objectschema.h"
#include "domain/record.h"
#include "modeltesthelpers.h"

#include <QStandardPaths>
#include <QtTest>

Q_DECLARE_METATYPE(ChangeSet::RelationshipMode)

namespace {

QDateTime utc(int year, int month, int day, int hour, int minute)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute), Qt::UTC);
}

FieldValue text(FieldType type, const char *value)
{
    return FieldValue::fromText(type, QString::fromUtf8(value));
}

FieldValue list(FieldType type, const QStringList &values)
{
    return FieldValue::fromStringList(type, values);
}

QStringList ids(std::initializer_list<const char *> values)
{
    QStringList result;
    for (const char *value : values)
        result.append(QString::fromLatin1(value));
    return result;
}

} // namespace

class TestChangeSet : public QObject
{
    Q_OBJECT

private:
    ObjectSchema m_schema;
    Record m_base;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_schema = ObjectSchema::fromDefinitionsJson(
            ModelTest::loadObject("models_opportunity_definitions.json"));
        m_base
            = Record::fromJson(ModelTest::loadObject("models_opportunity_record.json"), m_schema);
        QVERIFY(m_base.isValid());
    }

    void onlyChangedFieldsAreIncluded()
    {
        // A form hands back every value it shows; only real differences may be sent.
        QHash<QString, FieldValue> edited;
        for (auto it = m_base.fields().constBegin(); it != m_base.fields().constEnd(); ++it)
            edited.insert(it.key(), it.value());
        edited.insert(QStringLiteral("$stage"), text(FieldType::SingleSelect, "opt_9wLm3"));
        edited.insert(
            QStringLiteral("arr"), FieldValue::fromCents(12500050, QStringLiteral("EUR")));
        // Same values in another form: not changes.
        edited.insert(QStringLiteral("$closeDate"),
            FieldValue::fromDateTime(
                QDateTime(QDate(2026, 9, 30), QTime(19, 0), Qt::OffsetFromUTC, 7200)));
        edited.insert(QStringLiteral("riskNote"), text(FieldType::Markdown, ""));
        edited.insert(QStringLiteral("billingEmail"), list(FieldType::Email, {}));
        edited.insert(QStringLiteral("$amount"), FieldValue::fromCents(4800050));

        const ChangeSet changes = ChangeSet::fromEdits(m_schema, m_base, edited);
        QCOMPARE(
            changes.fieldKeys(), (QStringList {QStringLiteral("$stage"), QStringLiteral("arr")}));
        QVERIFY(changes.relationshipKeys().isEmpty());
        QVERIFY(changes.rejectedKeys().isEmpty());
        QCOMPARE(changes.toUpdateBody(),
            QByteArray(R"({"fields":{"$stage":"opt_9wLm3","arr":125000.5}})"));
    }

    void nothingChangedGivesAnEmptyBody()
    {
        QHash<QString, FieldValue> edited;
        for (auto it = m_base.fields().constBegin(); it != m_base.fields().constEnd(); ++it)
            edited.insert(it.key(), it.value());
        QHash<QString, QStringList> relationships;
        for (auto it = m_base.relationships().constBegin(); it != m_base.relationships().constEnd();
             ++it) {
            QStringList reversed = it.value().ids;
            std::reverse(reversed.begin(), reversed.end()); // order does not matter
            relationships.insert(it.key(), reversed);
        }
        const ChangeSet changes = ChangeSet::fromEdits(m_schema, m_base, edited, relationships);
        QVERIFY(changes.isEmpty());
        QVERIFY(changes.rejectedKeys().isEmpty());
        QCOMPARE(changes.toUpdateBody(), QByteArray("{}"));
        QCOMPARE(changes.toCreateBody(), QByteArray("{}"));
    }

    void updateBodyPerType_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<FieldValue>("value");
        QTest::addColumn<QByteArray>("fieldJson");

        const auto row
            = [](const char *name, const char *key, const FieldValue &value, const char *json) {
                  QTest::newRow(name) << QString::fromLatin1(key) << value << QByteArray(json);
              };
        row("TEXT", "$name", text(FieldType::Text, "Northwind – renewal FY28"),
            "\"Northwind – renewal FY28\"");
        row("NUMBER", "seats", FieldValue::fromNumber(20), "20");
        row("NUMBER decimals", "seats", FieldValue::fromNumber(20.75), "20.75");
        row("CHECKBOX", "isStrategic", FieldValue::fromBool(true), "true");
        row("CURRENCY", "$amount", FieldValue::fromCents(4999999), "49999.99");
        row("CURRENCY whole", "$amount", FieldValue::fromCents(5000000), "50000");
        row("DATETIME", "$closeDate", FieldValue::fromDateTime(utc(2026, 10, 1, 17, 0)),
            R"("2026-10-01T17:00:00+00:00")");
        row("EMAIL multiple", "contactEmails", list(FieldType::Email, ids({"cy@n.example"})),
            R"(["cy@n.example"])");
        row("EMAIL single", "$ownerEmail", list(FieldType::Email, ids({"bo@lightfield.example"})),
            R"("bo@lightfield.example")");
        row("EMAIL default single", "billingEmail", list(FieldType::Email, ids({"ap@n.example"})),
            R"("ap@n.example")");
        row("TELEPHONE multiple", "phones",
            list(FieldType::Telephone, ids({"+4930123456", "+1555"})),
            R"(["+4930123456","+1555"])");
        row("TELEPHONE default multiple", "mobile",
            list(FieldType::Telephone, ids({"+4915112345678"})), R"(["+4915112345678"])");
        row("URL single", "website", list(FieldType::Url, ids({"https://northwind.example/new"})),
            "\"https://northwind.example/new\"");
        Address address;
        address.city = QStringLiteral("Dallas");
        address.country = QStringLiteral("US");
        row("ADDRESS", "hqAddress", FieldValue::fromAddress(address),
            R"({"city":"Dallas","country":"US","latitude":null,"longitude":null,)"
            R"("postalCode":null,"state":null,"street":null,"street2":null})");
        row("FULL_NAME", "championName", FieldValue::fromFullName({QStringLiteral("Bo"), {}}),
            R"({"firstName":"Bo","lastName":null})");
        row("SOCIAL_HANDLE", "linkedIn",
            text(FieldType::SocialHandle, "https://linkedin.com/in/bo"),
            "\"https://linkedin.com/in/bo\"");
        row("SINGLE_SELECT", "$stage", text(FieldType::SingleSelect, "opt_7cWon"),
            R"("opt_7cWon")");
        row("MULTI_SELECT", "$industry", list(FieldType::MultiSelect, ids({"opt_cc3", "opt_aa1"})),
            R"(["opt_cc3","opt_aa1"])");
        row("MARKDOWN", "riskNote", text(FieldType::Markdown, "Budget *frozen*\n\n- ask CFO"),
            R"("Budget *frozen*\n\n- ask CFO")");
        // Clearing: null for every type, lists included (ListClear::Null, the default).
        row("clear NUMBER", "seats", FieldValue::null(FieldType::Number), "null");
        row("clear TEXT with empty string", "$name", text(FieldType::Text, ""), "null");
        row("clear CHECKBOX", "isStrategic", FieldValue::null(FieldType::Checkbox), "null");
        row("clear CURRENCY", "$amount", FieldValue(), "null");
        row("clear DATETIME", "$closeDate", FieldValue::null(FieldType::DateTime), "null");
        row("clear EMAIL multiple", "contactEmails", list(FieldType::Email, {}), "null");
        row("clear EMAIL single", "$ownerEmail", FieldValue::null(FieldType::Email), "null");
        row("clear TELEPHONE multiple", "phones", FieldValue::null(FieldType::Telephone), "null");
        row("clear URL single", "website", FieldValue::null(FieldType::Url), "null");
        row("clear ADDRESS", "hqAddress", FieldValue::fromAddress(Address()), "null");
        row("clear FULL_NAME", "championName", FieldValue::null(FieldType::FullName), "null");
        row("clear MULTI_SELECT", "$industry", FieldValue::null(FieldType::MultiSelect), "null");
        row("clear SINGLE_SELECT", "region", FieldValue::null(FieldType::SingleSelect), "null");
    }
    void updateBodyPerType()
    {
        QFETCH(QString, key);
        QFETCH(FieldValue, value);
        QFETCH(QByteArray, fieldJson);

        QVERIFY2(m_base.value(key) != value, "the row must be a change");
        const ChangeSet changes = ChangeSet::fromEdits(m_schema, m_base, {{key, value}});
        QCOMPARE(changes.fieldKeys(), QStringList {key});
        const QByteArray expected = "{\"fields\":{\"" + key.toUtf8() + "\":" + fieldJson + "}}";
        QCOMPARE(changes.toUpdateBody(), expected);
        // The body reads back into an equal ChangeSet with the same bytes (Outbox replay).
        const ChangeSet reread = ChangeSet::fromUpdateJson(
            m_schema, QJsonDocument::fromJson(changes.toUpdateBody()).object());
        QVERIFY(reread.rejectedKeys().isEmpty());
        QCOMPARE(reread, changes);
        QCOMPARE(reread.toUpdateBody(), expected);
    }

    // A workspace that wants `[]` for a list clear gets it for every list, and only there.
    void listClearFormsApplyToListsOnly()
    {
        ChangeSet changes;
        for (const char *key : {"contactEmails", "phones", "$industry", "$ownerEmail", "seats"})
            QVERIFY(changes.setValue(*m_schema.field(QLatin1String(key)), FieldValue()));
        const QJsonObject empty = changes.toUpdateJson(ChangeSet::ListClear::EmptyArray);
        const QJsonObject fields = empty.value(QStringLiteral("fields")).toObject();
        QCOMPARE(fields.value(QStringLiteral("contactEmails")), QJsonValue(QJsonArray()));
        QCOMPARE(fields.value(QStringLiteral("phones")), QJsonValue(QJsonArray()));
        QCOMPARE(fields.value(QStringLiteral("$industry")), QJsonValue(QJsonArray()));
        QVERIFY(fields.value(QStringLiteral("$ownerEmail")).isNull()); // single-valued
        QVERIFY(fields.value(QStringLiteral("seats")).isNull());
        const QStringList lists {
            QStringLiteral("$industry"), QStringLiteral("contactEmails"), QStringLiteral("phones")};
        QCOMPARE(ChangeSet::listClearKeys(m_schema, empty), lists);
        const QJsonObject null = changes.toUpdateJson();
        QCOMPARE(ChangeSet::listClearKeys(m_schema, null), lists);
        // Rewriting one form into the other touches the list clears only.
        QCOMPARE(
            ChangeSet::withListClears(m_schema, null, ChangeSet::ListClear::EmptyArray), empty);
        QCOMPARE(ChangeSet::withListClears(m_schema, empty, ChangeSet::ListClear::Null), null);
        QCOMPARE(ChangeSet::listClearFromName(
                     ChangeSet::listClearName(ChangeSet::ListClear::EmptyArray)),
            ChangeSet::ListClear::EmptyArray);
        QCOMPARE(
            ChangeSet::listClearFromName(QStringLiteral("garbage")), ChangeSet::ListClear::Null);
    }

    void createBodyMatchesTheDocumentedShape()
    {
        const ChangeSet changes = ChangeSet::forCreate(m_schema,
            {{QStringLiteral("$name"), text(FieldType::Text, "Northwind – renewal FY27")},
                {QStringLiteral("$stage"), text(FieldType::SingleSelect, "opt_4kQe1")},
                {QStringLiteral("$amount"), FieldValue::fromCents(4800000, QStringLiteral("USD"))},
                {QStringLiteral("$closeDate"), FieldValue::fromDateTime(utc(2026, 9, 30, 0, 0))},
                {QStringLiteral("riskNote"), FieldValue::null(FieldType::Markdown)},
                {QStringLiteral("contactEmails"), list(FieldType::Email, {})}},
            {{QStringLiteral("$account"), ids({"acc_81Pz"})},
                {QStringLiteral("$owner"), ids({"mem_07aa"})},
                {QStringLiteral("$champion"), ids({"con_5Tt2"})},
                {QStringLiteral("$evaluator"), QStringList()}});
        // The create body: bare values; HAS_ONE as one id, HAS_MANY as an array; nulls
        // and empty relationships are left out of a create.
        QCOMPARE(changes.toCreateBody(),
            QByteArray(R"({"fields":{"$amount":48000,"$closeDate":"2026-09-30T00:00:00+00:00",)"
                       R"("$name":"Northwind – renewal FY27","$stage":"opt_4kQe1"},)"
                       R"("relationships":{"$account":"acc_81Pz","$champion":["con_5Tt2"],)"
                       R"("$owner":"mem_07aa"}})"));
    }

    void updateBodyMatchesTheDocumentedExample()
    {
        Record base = m_base;
        base.setValue(QStringLiteral("riskNote"), text(FieldType::Markdown, "Legal review"));
        base.setRelationship(QStringLiteral("$evaluator"),
            Relationship {Cardinality::HasMany, QStringLiteral("contact"), {}});
        const ChangeSet changes = ChangeSet::fromEdits(m_schema, base,
            {{QStringLiteral("$stage"), text(FieldType::SingleSelect, "opt_9wLm3")},
                {QStringLiteral("riskNote"), FieldValue::null(FieldType::Markdown)}},
            {{QStringLiteral("$owner"), ids({"mem_19bc"})},
                {QStringLiteral("$evaluator"), ids({"con_11aa", "con_22bb"})},
                {QStringLiteral("$champion"), QStringList()}});
        // The update body, with HAS_MANY ids always as arrays.
        QCOMPARE(changes.toUpdateBody(),
            QByteArray(R"({"fields":{"$stage":"opt_9wLm3","riskNote":null},)"
                       R"("relationships":{"$champion":{"remove":["con_5Tt2"]},)"
                       R"("$evaluator":{"add":["con_11aa","con_22bb"]},)"
                       R"("$owner":{"replace":"mem_19bc"}}})"));
        QCOMPARE(changes.referencedIdCount(), 4);
    }

    void relationshipOperationsFollowCardinality_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QStringList>("before");
        QTest::addColumn<QStringList>("after");
        QTest::addColumn<ChangeSet::RelationshipMode>("mode");
        QTest::addColumn<QByteArray>("operation");

        const auto difference = ChangeSet::RelationshipMode::Difference;
        const auto replace = ChangeSet::RelationshipMode::Replace;
        QTest::newRow("HAS_ONE changed → replace")
            << "$owner" << ids({"mem_a"}) << ids({"mem_b"}) << difference
            << QByteArray(R"({"replace":"mem_b"})");
        QTest::newRow("HAS_ONE set → replace")
            << "$owner" << QStringList() << ids({"mem_b"}) << difference
            << QByteArray(R"({"replace":"mem_b"})");
        QTest::newRow("HAS_ONE cleared → remove old")
            << "$owner" << ids({"mem_a"}) << QStringList() << difference
            << QByteArray(R"({"remove":"mem_a"})");
        QTest::newRow("HAS_ONE cleared in replace mode → remove old")
            << "$owner" << ids({"mem_a"}) << QStringList() << replace
            << QByteArray(R"({"remove":"mem_a"})");
        QTest::newRow("HAS_ONE unchanged")
            << "$owner" << ids({"mem_a"}) << ids({"mem_a"}) << difference << QByteArray();
        QTest::newRow("HAS_MANY added → add the difference")
            << "$champion" << ids({"a"}) << ids({"a", "b", "c"}) << difference
            << QByteArray(R"({"add":["b","c"]})");
        QTest::newRow("HAS_MANY removed → remove the difference")
            << "$champion" << ids({"a", "b", "c"}) << ids({"b"}) << difference
            << QByteArray(R"({"remove":["a","c"]})");
        QTest::newRow("HAS_MANY added and removed → replace")
            << "$champion" << ids({"a", "b"}) << ids({"b", "c"}) << difference
            << QByteArray(R"({"replace":["b","c"]})");
        QTest::newRow("HAS_MANY reordered only")
            << "$champion" << ids({"a", "b"}) << ids({"b", "a"}) << difference << QByteArray();
        QTest::newRow("HAS_MANY duplicates collapse")
            << "$champion" << ids({"a"}) << ids({"a", "b", "b"}) << difference
            << QByteArray(R"({"add":["b"]})");
        QTest::newRow("HAS_MANY cleared → remove all")
            << "$champion" << ids({"a", "b"}) << QStringList() << difference
            << QByteArray(R"({"remove":["a","b"]})");
        QTest::newRow("HAS_MANY replace mode") << "$champion" << ids({"a"}) << ids({"a", "b"})
                                               << replace << QByteArray(R"({"replace":["a","b"]})");
        QTest::newRow("HAS_MANY cleared in replace mode")
            << "$champion" << ids({"a"}) << QStringList() << replace
            << QByteArray(R"({"replace":[]})");
        QTest::newRow("lower-case has_many custom")
            << "partners" << ids({"acc_p1"}) << ids({"acc_p1", "acc_p2"}) << difference
            << QByteArray(R"({"add":["acc_p2"]})");
        QTest::newRow("single id on HAS_MANY stays an array")
            << "$champion" << ids({"a", "b"}) << ids({"a"}) << difference
            << QByteArray(R"({"remove":["b"]})");
    }
    void relationshipOperationsFollowCardinality()
    {
        QFETCH(QString, key);
        QFETCH(QStringList, before);
        QFETCH(QStringList, after);
        QFETCH(ChangeSet::RelationshipMode, mode);
        QFETCH(QByteArray, operation);

        Record base(QStringLiteral("opp_1"));
        const RelationshipDefinition *definition = m_schema.relationship(key);
        QVERIFY(definition);
        base.setRelationship(
            key, Relationship {definition->cardinality(), definition->objectType(), before});
        const ChangeSet changes = ChangeSet::fromEdits(m_schema, base, {}, {{key, after}}, mode);
        QVERIFY(changes.rejectedKeys().isEmpty());
        if (operation.isEmpty()) {
            QVERIFY(changes.isEmpty());
            return;
        }
        QCOMPARE(changes.relationshipKeys(), QStringList {key});
        QCOMPARE(changes.toUpdateBody(),
            "{\"relationships\":{\"" + key.toUtf8() + "\":" + operation + "}}");
        // And it reads back to the same operation.
        const ChangeSet reread = ChangeSet::fromUpdateJson(
            m_schema, QJsonDocument::fromJson(changes.toUpdateBody()).object());
        QCOMPARE(reread.relationshipChange(key), changes.relationshipChange(key));
    }

    void unknownRawAndReadOnlyValuesAreNeverSent()
    {
        QHash<QString, FieldValue> edited {
            // Unchanged raw value handed back by a form: silently not a change.
            {QStringLiteral("geo"), m_base.value(QStringLiteral("geo"))},
            // Anything else that cannot be written is refused.
            {QStringLiteral("legacySummary"), text(FieldType::Markdown, "new text")},
            {QStringLiteral("$aiSummary"), text(FieldType::Markdown, "mine")},
            {QStringLiteral("$opportunityStatus"), text(FieldType::SingleSelect, "opt_won")},
            {QStringLiteral("seats"),
                FieldValue::raw(QJsonValue(QStringLiteral("12")), FieldType::Number,
                    FieldValue::Problem::WrongJsonShape)},
            {QStringLiteral("isStrategic"), text(FieldType::Text, "yes")},
            {QStringLiteral("notInSchema"), text(FieldType::Text, "x")},
            {QStringLiteral("$name"), text(FieldType::Text, "Renamed")},
        };
        ChangeSet changes = ChangeSet::fromEdits(m_schema, m_base, edited);
        QCOMPARE(changes.fieldKeys(), QStringList {QStringLiteral("$name")});
        QCOMPARE(changes.rejectedKeys(),
            (QStringList {QStringLiteral("$aiSummary"), QStringLiteral("$opportunityStatus"),
                QStringLiteral("isStrategic"), QStringLiteral("legacySummary"),
                QStringLiteral("notInSchema"), QStringLiteral("seats")}));
        QCOMPARE(changes.toUpdateBody(), QByteArray(R"({"fields":{"$name":"Renamed"}})"));

        // A changed raw value on an Unknown-type field is refused too.
        const FieldDefinition *geo = m_schema.field(QStringLiteral("geo"));
        const FieldValue movedGeo = FieldValue::raw(QJsonObject {{QStringLiteral("lat"), 1.0}},
            FieldType::Unknown, FieldValue::Problem::UnknownType, QStringLiteral("GEO_POINT"));
        QVERIFY(!changes.setValue(*geo, movedGeo));
        QVERIFY(!changes.setValue(*geo, FieldValue::null(FieldType::Unknown)));
        QVERIFY(!changes.containsValue(QStringLiteral("geo")));
        QVERIFY(changes.rejectedKeys().contains(QStringLiteral("geo")));
        QVERIFY(!changes.toUpdateBody().contains("geo"));
        QVERIFY(!changes.toCreateBody().contains("geo"));
    }

    void readOnlyAndUnknownRelationshipsAreRefused()
    {
        const ChangeSet changes = ChangeSet::fromEdits(m_schema, m_base, {},
            {{QStringLiteral("$task"), ids({"tsk_9"})}, {QStringLiteral("$nope"), ids({"x"})},
                {QStringLiteral("$owner"), ids({"mem_1", "mem_2"})},
                {QStringLiteral("$champion"), ids({"con_5Tt2", "con_9"})}});
        QCOMPARE(changes.relationshipKeys(), QStringList {QStringLiteral("$champion")});
        QCOMPARE(changes.rejectedKeys(),
            (QStringList {
                QStringLiteral("$nope"), QStringLiteral("$owner"), QStringLiteral("$task")}));
    }

    void serialisationIsDeterministic()
    {
        const QHash<QString, FieldValue> edited {
            {QStringLiteral("riskNote"), text(FieldType::Markdown, "a")},
            {QStringLiteral("$name"), text(FieldType::Text, "b")},
            {QStringLiteral("seats"), FieldValue::fromNumber(3)},
            {QStringLiteral("$industry"), list(FieldType::MultiSelect, ids({"opt_cc3"}))}};
        const ChangeSet fromHash = ChangeSet::fromEdits(
            m_schema, m_base, edited, {{QStringLiteral("partners"), ids({})}});

        // The same changes set one by one, in another order.
        ChangeSet byHand;
        const QStringList keys {QStringLiteral("seats"), QStringLiteral("$industry"),
            QStringLiteral("$name"), QStringLiteral("riskNote")};
        for (const QString &key : keys)
            QVERIFY(byHand.setValue(*m_schema.field(key), edited.value(key)));
        QVERIFY(byHand.setRelationship(*m_schema.relationship(QStringLiteral("partners")),
            ChangeSet::Operation::Remove, ids({"acc_p1", "acc_p2"})));

        QCOMPARE(byHand, fromHash);
        QCOMPARE(byHand.toUpdateBody(), fromHash.toUpdateBody());
        QCOMPARE(fromHash.toUpdateBody(), fromHash.toUpdateBody());
        QCOMPARE(fromHash.toUpdateBody(),
            QByteArray(
                R"({"fields":{"$industry":["opt_cc3"],"$name":"b","riskNote":"a",)"
                R"("seats":3},"relationships":{"partners":{"remove":["acc_p1","acc_p2"]}}})"));
    }

    void fromUpdateJsonRefusesWhatItCannotRead()
    {
        const QByteArray body = R"({"fields":{"$name":"ok","nope":1,"$aiSummary":"x","seats":"12"},
            "relationships":{"$owner":{"replace":"mem_1","add":"mem_2"},"$champion":{"move":["a"]},
            "$evaluator":{"add":[1]},"partners":{"add":"acc_9"},"$task":{"add":"tsk_1"}}})";
        const ChangeSet changes
            = ChangeSet::fromUpdateJson(m_schema, QJsonDocument::fromJson(body).object());
        QCOMPARE(changes.fieldKeys(), QStringList {QStringLiteral("$name")});
        QCOMPARE(changes.relationshipKeys(), QStringList {QStringLiteral("partners")});
        QCOMPARE(changes.relationshipChange(QStringLiteral("partners")).ids, ids({"acc_9"}));
        QCOMPARE(changes.rejectedKeys(),
            (QStringList {QStringLiteral("$aiSummary"), QStringLiteral("$champion"),
                QStringLiteral("$evaluator"), QStringLiteral("$owner"), QStringLiteral("$task"),
                QStringLiteral("nope"), QStringLiteral("seats")}));
    }

    void createBodyLeavesOutRemoveOperations()
    {
        ChangeSet changes;
        QVERIFY(changes.setRelationship(*m_schema.relationship(QStringLiteral("$champion")),
            ChangeSet::Operation::Remove, ids({"con_1"})));
        QVERIFY(changes.setRelationship(*m_schema.relationship(QStringLiteral("partners")),
            ChangeSet::Operation::Add, ids({"acc_1"})));
        QCOMPARE(changes.toCreateBody(), QByteArray(R"({"relationships":{"partners":["acc_1"]}})"));
    }

    void changesCanBeDropped()
    {
        ChangeSet changes = ChangeSet::fromEdits(m_schema, m_base,
            {{QStringLiteral("$name"), text(FieldType::Text, "x")}},
            {{QStringLiteral("$owner"), ids({"mem_x"})}});
        QVERIFY(!changes.isEmpty());
        QCOMPARE(changes.value(QStringLiteral("$name")).toText(), QStringLiteral("x"));
        changes.removeValue(QStringLiteral("$name"));
        changes.removeRelationship(QStringLiteral("$owner"));
        QVERIFY(changes.isEmpty());
        QVERIFY(changes.value(QStringLiteral("$name")).isNull());
        QCOMPARE(changes.toUpdateBody(), QByteArray("{}"));
    }

    void emptyAddOrRemoveIsNoOperation()
    {
        ChangeSet changes;
        const RelationshipDefinition *champion = m_schema.relationship(QStringLiteral("$champion"));
        QVERIFY(changes.setRelationship(*champion, ChangeSet::Operation::Add, ids({"a"})));
        QVERIFY(changes.setRelationship(*champion, ChangeSet::Operation::Add, {}));
        QVERIFY(!changes.containsRelationship(QStringLiteral("$champion")));
        QVERIFY(changes.setRelationship(*champion, ChangeSet::Operation::Replace, {}));
        QCOMPARE(changes.toUpdateBody(),
            QByteArray(R"({"relationships":{"$champion":{"replace":[]}}})"));
    }

    void referencedIdCountCountsEveryId()
    {
        ChangeSet changes;
        changes.setRelationship(*m_schema.relationship(QStringLiteral("$champion")),
            ChangeSet::Operation::Replace, ids({"a", "b", "c"}));
        changes.setRelationship(*m_schema.relationship(QStringLiteral("$owner")),
            ChangeSet::Operation::Replace, ids({"m"}));
        changes.setRelationship(*m_schema.relationship(QStringLiteral("partners")),
            ChangeSet::Operation::Remove, ids({"p", "p"}));
        QCOMPARE(changes.referencedIdCount(), 5);
    }
};

QTEST_GUILESS_MAIN(TestChangeSet)
#include "tst_changeset.moc"
