#include "domain/cardinality.h"
#include "domain/objectschema.h"
#include "modeltesthelpers.h"

#include <QJsonDocument>
#include <QStandardPaths>
#include <QtTest>

class TestObjectSchema : public QObject
{
    Q_OBJECT

private:
    ObjectSchema m_schema;

    const FieldDefinition &field(const char *key) const
    {
        const FieldDefinition *definition = m_schema.field(QLatin1String(key));
        if (!definition)
            qFatal("fixture has no field %s", key);
        return *definition;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_schema = ObjectSchema::fromDefinitionsJson(
            ModelTest::loadObject("models_opportunity_definitions.json"));
        QVERIFY(!m_schema.isEmpty());
    }

    void readsObjectTypeAndEveryDefinition()
    {
        QCOMPARE(m_schema.objectType(), QStringLiteral("opportunity"));
        const QJsonObject json = ModelTest::loadObject("models_opportunity_definitions.json");
        QCOMPARE(m_schema.fields().size(),
            json.value(QStringLiteral("fieldDefinitions")).toObject().size());
        QCOMPARE(m_schema.relationships().size(),
            json.value(QStringLiteral("relationshipDefinitions")).toObject().size());
    }

    void systemFieldsComeFirstInRoleOrderThenCustomFieldsByLabel()
    {
        const QStringList expected {
            // name, stage, pipeline, status, amount, dates, owner-like, other system by label
            QStringLiteral("$name"), QStringLiteral("$stage"), QStringLiteral("$pipeline"),
            QStringLiteral("$opportunityStatus"), QStringLiteral("$amount"),
            QStringLiteral("$closeDate"), QStringLiteral("$lastInteractionAt"),
            QStringLiteral("$ownerEmail"), QStringLiteral("$industry"),
            QStringLiteral("$nextSteps"), QStringLiteral("$aiSummary"),
            // custom fields by label, case-insensitively
            QStringLiteral("arr"), QStringLiteral("billingEmail"), QStringLiteral("championName"),
            QStringLiteral("contactEmails"), QStringLiteral("hqAddress"),
            QStringLiteral("legacySummary"), QStringLiteral("linkedIn"), QStringLiteral("geo"),
            QStringLiteral("mobile"), QStringLiteral("phones"), QStringLiteral("region"),
            QStringLiteral("riskNote"), QStringLiteral("seats"), QStringLiteral("isStrategic"),
            QStringLiteral("subRegion"), QStringLiteral("website")};
        QCOMPARE(m_schema.fieldKeys(), expected);
    }

    void customFieldLabelsAreSortedWhateverTheirKeys()
    {
        QStringList labels;
        bool customStarted = false;
        for (const FieldDefinition &definition : m_schema.fields()) {
            if (!definition.isSystem()) {
                customStarted = true;
                labels.append(definition.label());
            } else {
                QVERIFY2(!customStarted, "a system field follows a custom field");
            }
        }
        QStringList sorted = labels;
        std::sort(sorted.begin(), sorted.end(), [](const QString &a, const QString &b) {
            return a.compare(b, Qt::CaseInsensitive) < 0;
        });
        QCOMPARE(labels, sorted);
    }

    void indexAndLookupAgreeWithOrder()
    {
        for (qsizetype i = 0; i < m_schema.fields().size(); ++i) {
            const QString key = m_schema.fields().at(i).key();
            QCOMPARE(m_schema.indexOfField(key), i);
            QCOMPARE(m_schema.field(key), &m_schema.fields().at(i));
        }
        QCOMPARE(m_schema.field(QStringLiteral("doesNotExist")), nullptr);
        QCOMPARE(m_schema.indexOfField(QStringLiteral("doesNotExist")), qsizetype(-1));
        QCOMPARE(m_schema.relationship(QStringLiteral("$nothing")), nullptr);
    }

    void readsLabelDescriptionAndId()
    {
        const FieldDefinition &stage = field("$stage");
        QCOMPARE(stage.id(), QStringLiteral("ad_0011"));
        QCOMPARE(stage.label(), QStringLiteral("Stage"));
        QCOMPARE(stage.description(), QStringLiteral("Where the deal is"));
        QCOMPARE(stage.type(), FieldType::SingleSelect);
        QCOMPARE(stage.valueTypeName(), QStringLiteral("SINGLE_SELECT"));
        QVERIFY(stage.isSystem());
        QCOMPARE(field("$amount").description(), QString()); // JSON null
        QVERIFY(!field("seats").isSystem());
    }

    void selectOptionsKeepServerOrderAndDetails()
    {
        const QList<SelectOption> options = field("$stage").options();
        QCOMPARE(options.size(), 3);
        QCOMPARE(options.at(0).id, QStringLiteral("opt_4kQe1"));
        QCOMPARE(options.at(0).label, QStringLiteral("Discovery"));
        QCOMPARE(options.at(0).description, QString());
        QCOMPARE(options.at(1).id, QStringLiteral("opt_9wLm3"));
        QCOMPARE(options.at(1).description, QStringLiteral("Quote sent"));
        QCOMPARE(options.at(2).label, QStringLiteral("Closed Won"));

        QCOMPARE(
            field("$stage").optionLabel(QStringLiteral("opt_9wLm3")), QStringLiteral("Proposal"));
        QCOMPARE(
            field("$stage").optionLabel(QStringLiteral("opt_gone")), QStringLiteral("opt_gone"));
        QVERIFY(!field("$stage").option(QStringLiteral("opt_gone")));
        QCOMPARE(field("$industry").options().size(), 3);
        QVERIFY(field("seats").options().isEmpty());
    }

    void dependentSelectKeepsParentKeyAndOptionParents()
    {
        const FieldDefinition &subRegion = field("subRegion");
        QCOMPARE(subRegion.parentFieldKey(), QStringLiteral("region"));
        QCOMPARE(subRegion.option(QStringLiteral("opt_usw"))->parentId, QStringLiteral("opt_amer"));
        QCOMPARE(
            subRegion.option(QStringLiteral("opt_dach"))->parentId, QStringLiteral("opt_emea"));
        QCOMPARE(field("region").parentFieldKey(), QString());
    }

    void typeConfiguration_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("currency");
        QTest::addColumn<QString>("handleService");
        QTest::addColumn<bool>("multipleValues");
        QTest::addColumn<bool>("unique");

        QTest::newRow("currency USD") << "$amount"
                                      << "USD"
                                      << "" << false << false;
        QTest::newRow("currency upper-cased") << "arr"
                                              << "EUR"
                                              << "" << false << false;
        QTest::newRow("social handle") << "linkedIn"
                                       << ""
                                       << "LINKEDIN" << false << false;
        QTest::newRow("email multi unique") << "contactEmails"
                                            << ""
                                            << "" << true << true;
        QTest::newRow("email explicitly single") << "$ownerEmail"
                                                 << ""
                                                 << "" << false << false;
        QTest::newRow("email with null configuration") << "billingEmail"
                                                       << ""
                                                       << "" << false << false;
        QTest::newRow("telephone explicit multi") << "phones"
                                                  << ""
                                                  << "" << true << false;
        QTest::newRow("telephone without configuration") << "mobile"
                                                         << ""
                                                         << "" << true << false;
        QTest::newRow("url single unique") << "website"
                                           << ""
                                           << "" << false << true;
        QTest::newRow("multi-select always multi") << "$industry"
                                                   << ""
                                                   << "" << true << false;
        QTest::newRow("text never multi") << "$name"
                                          << ""
                                          << "" << false << false;
    }
    void typeConfiguration()
    {
        QFETCH(QString, key);
        QFETCH(QString, currency);
        QFETCH(QString, handleService);
        QFETCH(bool, multipleValues);
        QFETCH(bool, unique);
        const FieldDefinition *definition = m_schema.field(key);
        QVERIFY(definition);
        QCOMPARE(definition->currency(), currency);
        QCOMPARE(definition->handleService(), handleService);
        QCOMPARE(definition->hasMultipleValues(), multipleValues);
        QCOMPARE(definition->isUnique(), unique);
    }

    void readOnlyFlags_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("readOnly");
        QTest::newRow("readOnly true") << "$aiSummary" << true;
        QTest::newRow("readOnly on a datetime") << "$lastInteractionAt" << true;
        QTest::newRow("legacy READONLY_MARKDOWN") << "legacySummary" << true;
        QTest::newRow("unknown type") << "geo" << true;
        QTest::newRow("documented read-only status") << "$opportunityStatus" << true;
        QTest::newRow("readOnly false") << "$stage" << false;
        QTest::newRow("readOnly absent") << "riskNote" << false;
        QTest::newRow("custom text-like") << "linkedIn" << false;
    }
    void readOnlyFlags()
    {
        QFETCH(QString, key);
        QFETCH(bool, readOnly);
        const FieldDefinition *definition = m_schema.field(key);
        QVERIFY(definition);
        QCOMPARE(definition->isReadOnly(), readOnly);
        QCOMPARE(definition->isWritable(), !readOnly);
    }

    void legacyReadOnlyMarkdownIsMarkdown()
    {
        QCOMPARE(field("legacySummary").type(), FieldType::Markdown);
        QCOMPARE(field("legacySummary").valueTypeName(), QStringLiteral("READONLY_MARKDOWN"));
    }

    void unknownValueTypeIsReadOnlyUnknown()
    {
        const FieldDefinition &geo = field("geo");
        QCOMPARE(geo.type(), FieldType::Unknown);
        QCOMPARE(geo.valueTypeName(), QStringLiteral("GEO_POINT"));
        QCOMPARE(geo.label(), QStringLiteral("Location"));
        QVERIFY(!geo.isWritable());
    }

    void requiredKeysFollowTheDocs_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("required");
        QTest::newRow("$name") << "$name" << true;
        QTest::newRow("$stage") << "$stage" << true;
        QTest::newRow("$amount") << "$amount" << false;
        QTest::newRow("custom") << "seats" << false;
    }
    void requiredKeysFollowTheDocs()
    {
        QFETCH(QString, key);
        QFETCH(bool, required);
        QCOMPARE(m_schema.field(key)->isRequired(), required);
    }

    void documentedRulesApplyOnlyToTheirObjectType()
    {
        QJsonObject json = ModelTest::loadObject("models_opportunity_definitions.json");
        json.insert(QStringLiteral("objectType"), QStringLiteral("contact"));
        const ObjectSchema contact = ObjectSchema::fromDefinitionsJson(json);
        QVERIFY(!contact.field(QStringLiteral("$name"))->isRequired());
        QVERIFY(!contact.field(QStringLiteral("$opportunityStatus"))->isReadOnly());
        QVERIFY(!contact.relationship(QStringLiteral("$task"))->isReadOnly());
    }

    void relationshipCardinalityAcceptsAnyCase_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<Cardinality>("cardinality");
        QTest::addColumn<QString>("objectType");
        QTest::newRow("HAS_ONE") << "$account" << Cardinality::HasOne << "account";
        QTest::newRow("has_one") << "$owner" << Cardinality::HasOne << "member";
        QTest::newRow("HAS_MANY") << "$champion" << Cardinality::HasMany << "contact";
        QTest::newRow("Has_Many") << "$evaluator" << Cardinality::HasMany << "contact";
        QTest::newRow("has_many custom") << "partners" << Cardinality::HasMany << "account";
    }
    void relationshipCardinalityAcceptsAnyCase()
    {
        QFETCH(QString, key);
        QFETCH(Cardinality, cardinality);
        QFETCH(QString, objectType);
        const RelationshipDefinition *definition = m_schema.relationship(key);
        QVERIFY(definition);
        QCOMPARE(definition->cardinality(), cardinality);
        QCOMPARE(definition->objectType(), objectType);
    }

    void relationshipsAreOrderedAccountOwnerSystemCustom()
    {
        QStringList keys;
        for (const RelationshipDefinition &definition : m_schema.relationships())
            keys.append(definition.key());
        QCOMPARE(keys,
            (QStringList {QStringLiteral("$account"), QStringLiteral("$owner"),
                QStringLiteral("$champion"), QStringLiteral("$createdBy"),
                QStringLiteral("$evaluator"), QStringLiteral("$note"), QStringLiteral("$task"),
                QStringLiteral("partners")}));
    }

    void relationshipDetails()
    {
        const RelationshipDefinition *account = m_schema.relationship(QStringLiteral("$account"));
        QCOMPARE(account->id(), QString()); // null for system relationships
        QCOMPARE(account->label(), QStringLiteral("Account"));
        QCOMPARE(account->slug(), QStringLiteral("$opportunity-account"));
        QVERIFY(account->isRequired());
        QVERIFY(!account->isReadOnly());
        const RelationshipDefinition *partners = m_schema.relationship(QStringLiteral("partners"));
        QCOMPARE(partners->id(), QStringLiteral("rd_0201"));
        QVERIFY(!partners->isSystem());
        QVERIFY(m_schema.relationship(QStringLiteral("$task"))->isReadOnly());
        QVERIFY(m_schema.relationship(QStringLiteral("$note"))->isReadOnly());
        QVERIFY(!m_schema.relationship(QStringLiteral("$champion"))->isReadOnly());
    }

    // Create-only: the definition's say (createOnly / updatable) wins; without it the documented
    // rule: `$createdBy` and opportunity `$account`, which the typed update schema leaves out.
    void createOnlyRelationships_data()
    {
        QTest::addColumn<QString>("objectType");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonObject>("members");
        QTest::addColumn<bool>("createOnly");
        const QJsonObject none;
        const auto row = [](const char *name, const char *type, const char *key,
                             const QJsonObject &members, bool createOnly) {
            QTest::newRow(name) << QString::fromLatin1(type) << QString::fromLatin1(key) << members
                                << createOnly;
        };
        row("$account, nothing said", "opportunity", "$account", none, true);
        row("$account, readOnly false says nothing", "opportunity", "$account",
            {{QStringLiteral("readOnly"), false}}, true);
        row("$account, createOnly false", "opportunity", "$account",
            {{QStringLiteral("createOnly"), false}}, false);
        row("$account, updatable true", "opportunity", "$account",
            {{QStringLiteral("updatable"), true}}, false);
        row("$account of a contact", "contact", "$account", none, false);
        row("$createdBy, nothing said", "opportunity", "$createdBy", none, true);
        row("$createdBy of a task", "task", "$createdBy", none, true);
        row("$createdBy, updatable true", "opportunity", "$createdBy",
            {{QStringLiteral("updatable"), true}}, false);
        row("$owner, nothing said", "opportunity", "$owner", none, false);
        row("$owner, createOnly true", "opportunity", "$owner",
            {{QStringLiteral("createOnly"), true}}, true);
        row("$owner, updatable false", "opportunity", "$owner",
            {{QStringLiteral("updatable"), false}}, true);
    }
    void createOnlyRelationships()
    {
        QFETCH(QString, objectType);
        QFETCH(QString, key);
        QFETCH(QJsonObject, members);
        QFETCH(bool, createOnly);
        QJsonObject definition {{QStringLiteral("cardinality"), QStringLiteral("HAS_ONE")},
            {QStringLiteral("objectType"), QStringLiteral("member")}};
        for (auto it = members.begin(); it != members.end(); ++it)
            definition.insert(it.key(), it.value());
        const ObjectSchema schema
            = ObjectSchema::fromDefinitionsJson({{QStringLiteral("objectType"), objectType},
                {QStringLiteral("relationshipDefinitions"), QJsonObject {{key, definition}}}});
        const RelationshipDefinition *relationship = schema.relationship(key);
        QVERIFY(relationship);
        QCOMPARE(relationship->isCreateOnly(), createOnly);
        QCOMPARE(relationship->isUpdatable(), !createOnly);
        // The cached copy reads back the same.
        QCOMPARE(ObjectSchema::fromDefinitionsJson(schema.toDefinitionsJson()), schema);
    }

    void cardinalityNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<Cardinality>("expected");
        QTest::newRow("HAS_ONE") << "HAS_ONE" << Cardinality::HasOne;
        QTest::newRow("has_one") << "has_one" << Cardinality::HasOne;
        QTest::newRow("hasOne") << "hasOne" << Cardinality::HasOne;
        QTest::newRow("has-many") << "has-many" << Cardinality::HasMany;
        QTest::newRow("HAS_MANY") << "HAS_MANY" << Cardinality::HasMany;
        QTest::newRow("empty") << "" << Cardinality::Unknown;
        QTest::newRow("MANY_TO_MANY") << "MANY_TO_MANY" << Cardinality::Unknown;
    }
    void cardinalityNames()
    {
        QFETCH(QString, name);
        QFETCH(Cardinality, expected);
        QCOMPARE(cardinalityFromName(name), expected);
        if (expected != Cardinality::Unknown)
            QCOMPARE(cardinalityFromName(cardinalityName(expected)), expected);
    }

    void malformedDefinitionsNeverCrash_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("fieldCount");
        QTest::addColumn<int>("relationshipCount");
        QTest::newRow("empty object") << QByteArray("{}") << 0 << 0;
        QTest::newRow("sections of wrong type")
            << QByteArray(R"({"fieldDefinitions":5,"relationshipDefinitions":"x"})") << 0 << 0;
        QTest::newRow("entries of wrong type")
            << QByteArray(R"({"fieldDefinitions":{"a":3,"b":null,"c":{"valueType":"TEXT"}}})") << 1
            << 0;
        QTest::newRow("null members")
            << QByteArray(R"({"fieldDefinitions":{"a":{"label":null,"valueType":null,)"
                          R"("readOnly":null,"typeConfiguration":{"options":null}}}})")
            << 1 << 0;
        QTest::newRow("relationship without cardinality")
            << QByteArray(R"({"relationshipDefinitions":{"$x":{"objectType":"account"}}})") << 0
            << 1;
    }
    void malformedDefinitionsNeverCrash()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, fieldCount);
        QFETCH(int, relationshipCount);
        const ObjectSchema schema
            = ObjectSchema::fromDefinitionsJson(QJsonDocument::fromJson(json).object());
        QCOMPARE(schema.fields().size(), fieldCount);
        QCOMPARE(schema.relationships().size(), relationshipCount);
        for (const FieldDefinition &definition : schema.fields()) {
            // A missing label falls back to the key; a missing type is Unknown and read-only.
            QVERIFY(!definition.label().isEmpty());
            if (definition.valueTypeName().isEmpty())
                QVERIFY(definition.isReadOnly());
        }
    }

    void arrayFormKeepsServerOrderForCustomFields()
    {
        const QByteArray json = R"({"objectType":"opportunity","fieldDefinitions":[
            {"key":"zeta","label":"Zeta","valueType":"TEXT"},
            {"key":"$name","label":"Name","valueType":"TEXT"},
            {"key":"alpha","label":"Alpha","valueType":"NUMBER"},
            {"slug":"mid","label":"Mid","valueType":"CHECKBOX"},
            {"label":"no key is skipped","valueType":"TEXT"}]})";
        const ObjectSchema schema
            = ObjectSchema::fromDefinitionsJson(QJsonDocument::fromJson(json).object());
        QCOMPARE(schema.fieldKeys(),
            (QStringList {QStringLiteral("$name"), QStringLiteral("zeta"), QStringLiteral("alpha"),
                QStringLiteral("mid")}));
    }

    void addFieldAppendsOrReplaces()
    {
        ObjectSchema schema(QStringLiteral("opportunity"));
        schema.addField(FieldDefinition(QStringLiteral("b"), FieldType::Text));
        schema.addField(FieldDefinition(QStringLiteral("a"), FieldType::Number));
        schema.addField(FieldDefinition(QStringLiteral("b"), FieldType::Markdown));
        QCOMPARE(schema.fieldKeys(), (QStringList {QStringLiteral("b"), QStringLiteral("a")}));
        QCOMPARE(schema.field(QStringLiteral("b"))->type(), FieldType::Markdown);
        schema.addRelationship(RelationshipDefinition(
            QStringLiteral("$owner"), Cardinality::HasOne, QStringLiteral("member")));
        QCOMPARE(
            schema.relationship(QStringLiteral("$owner"))->objectType(), QStringLiteral("member"));
    }

    void parsingTwiceGivesEqualSchemas()
    {
        const ObjectSchema again = ObjectSchema::fromDefinitionsJson(
            ModelTest::loadObject("models_opportunity_definitions.json"));
        QVERIFY(again == m_schema);
    }

    // Found by tests/fuzz/fuzz_objectschema: a definition without a label, a `$` key without
    // `system`, an Unknown type without `readOnly` or a list without `multipleValues` was
    // written with the answers of its accessors and read back unequal, so the cached schema
    // never equalled the one from the server.
    void definitionsWrittenAndReadBackAreEqual_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("the fixture") << QByteArray();
        QTest::newRow("relationship without a label")
            << QByteArray(R"({"relationshipDefinitions":{"$x":{"objectType":"account"}}})");
        QTest::newRow("field without a label")
            << QByteArray(R"({"fieldDefinitions":{"seats":{"valueType":"NUMBER"}}})");
        QTest::newRow("unknown type without readOnly")
            << QByteArray(R"({"fieldDefinitions":{"geo":{"valueType":"GEO_POINT"}}})");
        QTest::newRow("system key without system")
            << QByteArray(R"({"fieldDefinitions":{"$x":{"valueType":"TEXT","system":true}}})");
        QTest::newRow("telephone without multipleValues")
            << QByteArray(R"({"fieldDefinitions":{"mobile":{"valueType":"TELEPHONE"}}})");
        QTest::newRow("multipleValues on a text field")
            << QByteArray(R"({"fieldDefinitions":{"t":{"valueType":"TEXT",)"
                          R"("typeConfiguration":{"multipleValues":true}}}})");
    }
    void definitionsWrittenAndReadBackAreEqual()
    {
        QFETCH(QByteArray, json);
        const ObjectSchema schema = json.isEmpty()
            ? m_schema
            : ObjectSchema::fromDefinitionsJson(QJsonDocument::fromJson(json).object());
        const ObjectSchema again = ObjectSchema::fromDefinitionsJson(schema.toDefinitionsJson());
        QVERIFY(again == schema);
        QCOMPARE(again.toDefinitionsJson(), schema.toDefinitionsJson());
    }

    void readBackKeepsWhatTheAccessorsAnswered()
    {
        const ObjectSchema schema = ObjectSchema::fromDefinitionsJson(QJsonDocument::fromJson(R"({
            "fieldDefinitions":{"mobile":{"valueType":"TELEPHONE"},"geo":{"valueType":"GEO_POINT"}},
            "relationshipDefinitions":{"$x":{"cardinality":"HAS_ONE"}}})")
                                                                          .object());
        QCOMPARE(schema.field(QStringLiteral("mobile"))->label(), QStringLiteral("mobile"));
        QVERIFY(schema.field(QStringLiteral("mobile"))->hasMultipleValues());
        QVERIFY(schema.field(QStringLiteral("geo"))->isReadOnly());
        QCOMPARE(schema.relationship(QStringLiteral("$x"))->label(), QStringLiteral("$x"));
    }

    // --- pipelines: which pipeline a stage option belongs to ---

    void stagePipelinesFromEitherReading_data()
    {
        QTest::addColumn<QByteArray>("definitions");
        // Reading A: `$stage` depends on `$pipeline`; each option's parentId is its pipeline.
        QTest::newRow("parentId of a dependent select") << QByteArray(R"({
            "objectType": "opportunity", "fieldDefinitions": {
              "$pipeline": {"label": "Pipeline", "valueType": "SINGLE_SELECT",
                "typeConfiguration": {"options": [{"id": "pd_nb", "label": "New Business"},
                                                  {"id": "pd_rn", "label": "Renewals"}]}},
              "$stage": {"label": "Stage", "valueType": "SINGLE_SELECT",
                "typeConfiguration": {"parentFieldKey": "$pipeline", "options": [
                  {"id": "opt_1", "label": "Lead", "parentId": "pd_nb"},
                  {"id": "opt_2", "label": "Qualified", "parentId": "pd_nb"},
                  {"id": "opt_3", "label": "Won", "parentId": "pd_nb"},
                  {"id": "opt_4", "label": "Lead", "parentId": "pd_rn"},
                  {"id": "opt_5", "label": "won", "parentId": "pd_rn"}]}}}})");
        // Reading B: the options carry pipelineId (and pipelineName) as the stage errors'
        // candidates do; no parentFieldKey.
        QTest::newRow("pipelineId on the option") << QByteArray(R"({
            "objectType": "opportunity", "fieldDefinitions": {
              "$pipeline": {"label": "Pipeline", "valueType": "SINGLE_SELECT",
                "typeConfiguration": {"options": [{"id": "pd_nb", "label": "New Business"},
                                                  {"id": "pd_rn", "label": "Renewals"}]}},
              "$stage": {"label": "Stage", "valueType": "SINGLE_SELECT",
                "typeConfiguration": {"options": [
                  {"id": "opt_1", "label": "Lead", "pipelineId": "pd_nb"},
                  {"id": "opt_2", "label": "Qualified", "pipelineId": "pd_nb"},
                  {"id": "opt_3", "label": "Won", "pipelineId": "pd_nb"},
                  {"id": "opt_4", "label": "Lead", "pipelineId": "pd_rn",
                   "pipelineName": "Renewals"},
                  {"id": "opt_5", "label": "won", "pipelineId": "pd_rn"}]}}}})");
        // A parent id without parentFieldKey that is a `$pipeline` option still counts.
        QTest::newRow("parentId naming a pipeline option") << QByteArray(R"({
            "objectType": "opportunity", "fieldDefinitions": {
              "$pipeline": {"label": "Pipeline", "valueType": "SINGLE_SELECT",
                "typeConfiguration": {"options": [{"id": "pd_nb", "label": "New Business"},
                                                  {"id": "pd_rn", "label": "Renewals"}]}},
              "$stage": {"label": "Stage", "valueType": "SINGLE_SELECT",
                "typeConfiguration": {"options": [
                  {"id": "opt_1", "label": "Lead", "parentId": "pd_nb"},
                  {"id": "opt_2", "label": "Qualified", "parentId": "pd_nb"},
                  {"id": "opt_3", "label": "Won", "parentId": "pd_nb"},
                  {"id": "opt_4", "label": "Lead", "parentId": "pd_rn"},
                  {"id": "opt_5", "label": "won", "parentId": "pd_rn"}]}}}})");
    }

    void stagePipelinesFromEitherReading()
    {
        QFETCH(QByteArray, definitions);
        const ObjectSchema schema
            = ObjectSchema::fromDefinitionsJson(QJsonDocument::fromJson(definitions).object());
        QVERIFY(schema.acceptsPipelineHint());
        QCOMPARE(schema.pipelines().size(), 2);
        QCOMPARE(schema.pipelines().at(1).label, QStringLiteral("Renewals"));
        QCOMPARE(schema.stagePipeline(QStringLiteral("opt_2")), QStringLiteral("pd_nb"));
        QCOMPARE(schema.stagePipeline(QStringLiteral("opt_5")), QStringLiteral("pd_rn"));
        QCOMPARE(schema.stagePipeline(QStringLiteral("opt_unknown")), QString());
        // `$pipeline` is a hint, never a field of its own.
        QVERIFY(!schema.field(QStringLiteral("$pipeline"))->isWritable());
        // Repeated labels (case-insensitive) are told apart by their pipeline; unique ones not.
        const FieldDefinition *stage = schema.field(QStringLiteral("$stage"));
        QCOMPARE(
            stage->optionDisplayLabel(QStringLiteral("opt_4")), QStringLiteral("Renewals / Lead"));
        QCOMPARE(stage->optionDisplayLabel(QStringLiteral("opt_3")),
            QStringLiteral("New Business / Won"));
        QCOMPARE(
            stage->optionDisplayLabel(QStringLiteral("opt_5")), QStringLiteral("Renewals / won"));
        QCOMPARE(stage->optionDisplayLabel(QStringLiteral("opt_2")), QStringLiteral("Qualified"));
        // The hint: only for a move into another pipeline (or from no known stage).
        QCOMPARE(schema.pipelineHint(QStringLiteral("opt_1"), QStringLiteral("opt_4")),
            QStringLiteral("pd_rn"));
        QCOMPARE(schema.pipelineHint(QStringLiteral("opt_1"), QStringLiteral("opt_3")), QString());
        QCOMPARE(schema.pipelineHint(QString(), QStringLiteral("opt_2")), QStringLiteral("pd_nb"));
        QCOMPARE(schema.pipelineHint(QStringLiteral("opt_1"), QStringLiteral("opt_x")), QString());
        // The cached copy reads back equal.
        QCOMPARE(ObjectSchema::fromDefinitionsJson(schema.toDefinitionsJson()), schema);
    }

    void noPipelinesWithoutThem()
    {
        // The fixture's stages name no pipeline: no hint is ever sent, labels stay as they are.
        QVERIFY(m_schema.stagePipeline(QStringLiteral("opt_4kQe1")).isEmpty());
        QVERIFY(m_schema.pipelineHint(QStringLiteral("opt_4kQe1"), QStringLiteral("opt_9wLm3"))
                    .isEmpty());
        QCOMPARE(field("$stage").optionDisplayLabel(QStringLiteral("opt_9wLm3")),
            QStringLiteral("Proposal"));
        ObjectSchema plain(QStringLiteral("opportunity"));
        plain.addField(field("$stage"));
        QVERIFY(!plain.acceptsPipelineHint());
        QVERIFY(plain.pipelines().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestObjectSchema)
#include "tst_objectschema.moc"
