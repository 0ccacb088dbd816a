#include "sandboxschema.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QStandardPaths>
#include <QtTest>

namespace {

/// Parses one JSON value from text ("42", "\"x\"", "{...}", "null").
QJsonValue json(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(
        (QStringLiteral("[") + text + QStringLiteral("]")).toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad JSON in test data: %s", qPrintable(text));
    return document.array().at(0);
}

QString compact(const QJsonValue &value)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray {value}).toJson(QJsonDocument::Compact));
}

SandboxSchema schemaFor(const QString &objectType)
{
    if (objectType == QLatin1String("account"))
        return SandboxSchema::account();
    if (objectType == QLatin1String("contact"))
        return SandboxSchema::contact();
    if (objectType == QLatin1String("member"))
        return SandboxSchema::member();
    if (objectType == QLatin1String("list"))
        return SandboxSchema::list();
    return SandboxSchema::opportunity();
}

/// "opportunity:$amount", "member:$email", or a bare opportunity key; "facebook" and
/// "instagram" are handle services no built-in schema uses.
SandboxFieldDef fieldDef(const QString &spec)
{
    if (spec == QLatin1String("facebook") || spec == QLatin1String("instagram")) {
        SandboxFieldDef def;
        def.key = spec;
        def.valueType = QStringLiteral("SOCIAL_HANDLE");
        def.typeConfiguration.insert(QStringLiteral("handleService"), spec.toUpper());
        return def;
    }
    const qsizetype colon = spec.indexOf(QLatin1Char(':'));
    const SandboxSchema schema = schemaFor(colon < 0 ? QString() : spec.left(colon));
    const SandboxFieldDef *def = schema.field(colon < 0 ? spec : spec.mid(colon + 1));
    if (!def)
        qFatal("no field %s", qPrintable(spec));
    return *def;
}

/// One opportunity key per value type, so the filter tests run on the real schema.
const QHash<QString, QString> &keyForType()
{
    static const QHash<QString, QString> keys {
        {QStringLiteral("TEXT"), QStringLiteral("$name")},
        {QStringLiteral("NUMBER"), QStringLiteral("probability")},
        {QStringLiteral("CHECKBOX"), QStringLiteral("isStrategic")},
        {QStringLiteral("CURRENCY"), QStringLiteral("$amount")},
        {QStringLiteral("DATETIME"), QStringLiteral("closeDate")},
        {QStringLiteral("EMAIL"), QStringLiteral("billingEmail")},
        {QStringLiteral("TELEPHONE"), QStringLiteral("buyerPhones")},
        {QStringLiteral("URL"), QStringLiteral("dealRoom")},
        {QStringLiteral("ADDRESS"), QStringLiteral("deliveryAddress")},
        {QStringLiteral("FULL_NAME"), QStringLiteral("economicBuyer")},
        {QStringLiteral("SOCIAL_HANDLE"), QStringLiteral("buyerLinkedIn")},
        {QStringLiteral("SINGLE_SELECT"), QStringLiteral("$stage")},
        {QStringLiteral("MULTI_SELECT"), QStringLiteral("competitors")},
        {QStringLiteral("MARKDOWN"), QStringLiteral("nextSteps")},
    };
    return keys;
}

/// A value that parses for the type, so only the operator decides.
QString validFilterValue(const QString &valueType)
{
    if (valueType == QLatin1String("NUMBER") || valueType == QLatin1String("CURRENCY"))
        return QStringLiteral("10");
    if (valueType == QLatin1String("DATETIME"))
        return QStringLiteral("2026-03-01T00:00:00.000Z");
    if (valueType == QLatin1String("CHECKBOX"))
        return QStringLiteral("true");
    if (valueType == QLatin1String("SINGLE_SELECT"))
        return QStringLiteral("opt_stage_discovery");
    return QStringLiteral("x");
}

const QStringList &allOperators()
{
    static const QStringList ops {QStringLiteral("equal"), QStringLiteral("greaterThan"),
        QStringLiteral("greaterThanOrEqual"), QStringLiteral("lessThan"),
        QStringLiteral("lessThanOrEqual"), QStringLiteral("startsWith"),
        QStringLiteral("contains")};
    return ops;
}

/// The operators the API allows per value type, written out independently of the code.
bool documentedAllowed(const QString &valueType, const QString &op)
{
    static const QHash<QString, QStringList> table {
        {QStringLiteral("NUMBER"), allOperators().mid(0, 5)},
        {QStringLiteral("CURRENCY"), allOperators().mid(0, 5)},
        {QStringLiteral("DATETIME"), allOperators().mid(0, 5)},
        {QStringLiteral("TEXT"), {QStringLiteral("equal"), QStringLiteral("startsWith")}},
        {QStringLiteral("FULL_NAME"), {QStringLiteral("equal"), QStringLiteral("startsWith")}},
        {QStringLiteral("SOCIAL_HANDLE"), {QStringLiteral("equal"), QStringLiteral("startsWith")}},
        {QStringLiteral("ADDRESS"), {QStringLiteral("equal"), QStringLiteral("startsWith")}},
        {QStringLiteral("CHECKBOX"), {QStringLiteral("equal")}},
        {QStringLiteral("SINGLE_SELECT"), {QStringLiteral("equal")}},
        {QStringLiteral("EMAIL"), {QStringLiteral("contains")}},
        {QStringLiteral("TELEPHONE"), {QStringLiteral("contains")}},
        {QStringLiteral("URL"), {QStringLiteral("contains")}},
    };
    return table.value(valueType).contains(op);
}

QJsonObject wrapped(const QString &valueType, const QJsonValue &value)
{
    return {{QStringLiteral("valueType"), valueType}, {QStringLiteral("value"), value}};
}

/// An opportunity in read shape: "full" has a value in most fields, "empty" only the required.
QJsonObject fixtureRecord(const QString &which)
{
    const SandboxSchema schema = SandboxSchema::opportunity();
    QJsonObject fields;
    for (const SandboxFieldDef &def : schema.fields)
        fields.insert(def.key, wrapped(def.valueType, QJsonValue()));
    QJsonObject relationships;
    for (const SandboxRelationshipDef &def : schema.relationships) {
        relationships.insert(def.key,
            QJsonObject {{QStringLiteral("cardinality"), def.cardinality},
                {QStringLiteral("objectType"), def.objectType},
                {QStringLiteral("values"), QJsonArray()}});
    }
    const auto set = [&](const char *key, const QString &valueJson) {
        const QString k = QString::fromUtf8(key);
        fields.insert(k, wrapped(schema.field(k)->valueType, json(valueJson)));
    };
    const auto relate = [&](const char *key, const QStringList &ids) {
        QJsonObject rel = relationships.value(QString::fromUtf8(key)).toObject();
        rel.insert(QStringLiteral("values"), QJsonArray::fromStringList(ids));
        relationships.insert(QString::fromUtf8(key), rel);
    };
    set("$name", QStringLiteral("\"Northwind – Renewal FY27\""));
    set("$stage", QStringLiteral("\"opt_stage_proposal\""));
    relate("$account", {QStringLiteral("acc_1")});
    if (which == QLatin1String("full")) {
        set("$amount", QStringLiteral("48000.5"));
        set("closeDate", QStringLiteral("\"2026-09-30T00:00:00.000Z\""));
        set("probability", QStringLiteral("40"));
        set("isStrategic", QStringLiteral("true"));
        set("billingEmail",
            QStringLiteral("[\"billing@northwind.example\", \"ap@northwind.example\"]"));
        set("dealRoom", QStringLiteral("\"https://rooms.example/r/abc\""));
        set("buyerPhones", QStringLiteral("[\"+15125550100;ext=12\"]"));
        set("deliveryAddress",
            QStringLiteral("{\"street\": \"1 Main St\", \"street2\": null, \"city\": \"Austin\", "
                           "\"state\": \"TX\", \"postalCode\": \"78701\", \"country\": \"US\", "
                           "\"latitude\": 30.27, \"longitude\": -97.74}"));
        set("economicBuyer", QStringLiteral("{\"firstName\": \"Zoë\", \"lastName\": \"Brontë\"}"));
        set("buyerLinkedIn", QStringLiteral("\"https://linkedin.com/in/zoe-bronte\""));
        relate("$evaluator", {QStringLiteral("con_1"), QStringLiteral("con_2")});
    }
    return {{QStringLiteral("id"), QStringLiteral("opp_1")}, {QStringLiteral("fields"), fields},
        {QStringLiteral("relationships"), relationships}};
}

} // namespace

class TestSandboxSchema : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // Definitions
    void opportunityFieldsAreInTheDocumentedOrder();
    void opportunitySchemaCoversEveryValueType_data();
    void opportunitySchemaCoversEveryValueType();
    void fieldsHaveTheDocumentedTypeAndFlags_data();
    void fieldsHaveTheDocumentedTypeAndFlags();
    void relationshipsHaveTheDocumentedShape_data();
    void relationshipsHaveTheDocumentedShape();
    void definitionIdsAreStableAndUnique_data();
    void definitionIdsAreStableAndUnique();
    void selectOptionsHaveDeterministicIdsAndDescriptions();
    void typeConfigurationMatchesTheDocs();
    void definitionsJsonHasTheDocumentedShape();
    void onlyRecordTypesHaveADefinitionsEndpoint_data();
    void onlyRecordTypesHaveADefinitionsEndpoint();
    void lookupsFindByKeyAndBySlug();

    // Writes
    void validWritesAreNormalized_data();
    void validWritesAreNormalized();
    void invalidWritesAreRejected_data();
    void invalidWritesAreRejected();
    void listClearFormsFollowTheSwitch_data();
    void listClearFormsFollowTheSwitch();
    void nullClearsAnOptionalField_data();
    void nullClearsAnOptionalField();
    void nullOnARequiredFieldIsParameterMissing_data();
    void nullOnARequiredFieldIsParameterMissing();
    void unknownValueTypeIsInvalidType();
    void writeErrorsAreSpecific();

    // Filter parsing
    void operatorsFollowTheValueType_data();
    void operatorsFollowTheValueType();
    void negationPrefixIsParsed_data();
    void negationPrefixIsParsed();
    void missingOperatorDefaultsToEqualOrContains_data();
    void missingOperatorDefaultsToEqualOrContains();
    void badFiltersAreRejected_data();
    void badFiltersAreRejected();
    void limitAndOffsetAreNotFilters();
    void percentEncodedKeysAndValuesAreDecoded();

    // Filter matching
    void filtersMatchRecords_data();
    void filtersMatchRecords();
    void filtersAreAnded();
};

void TestSandboxSchema::opportunityFieldsAreInTheDocumentedOrder()
{
    const SandboxSchema schema = SandboxSchema::opportunity();
    QStringList keys;
    for (const SandboxFieldDef &def : schema.fields)
        keys.append(def.key);
    const QStringList expected {QStringLiteral("$name"), QStringLiteral("$stage"),
        QStringLiteral("$opportunityStatus"), QStringLiteral("$amount"),
        QStringLiteral("closeDate"), QStringLiteral("$summary"),
        QStringLiteral("$lastInteractionAt"), QStringLiteral("nextSteps"),
        QStringLiteral("probability"), QStringLiteral("isStrategic"), QStringLiteral("competitors"),
        QStringLiteral("forecastCategory"), QStringLiteral("billingEmail"),
        QStringLiteral("dealRoom"), QStringLiteral("buyerPhones"),
        QStringLiteral("deliveryAddress"), QStringLiteral("economicBuyer"),
        QStringLiteral("buyerLinkedIn"), QStringLiteral("arrEur")};
    QCOMPARE(keys, expected);

    QStringList relationshipKeys;
    for (const SandboxRelationshipDef &def : schema.relationships)
        relationshipKeys.append(def.key);
    QCOMPARE(relationshipKeys,
        QStringList({QStringLiteral("$account"), QStringLiteral("$owner"),
            QStringLiteral("$createdBy"), QStringLiteral("$champion"), QStringLiteral("$evaluator"),
            QStringLiteral("$task"), QStringLiteral("$note")}));
    QCOMPARE(schema.objectType, QStringLiteral("opportunity"));
    QCOMPARE(schema.idPrefix, QStringLiteral("opp_"));
}

void TestSandboxSchema::opportunitySchemaCoversEveryValueType_data()
{
    QTest::addColumn<QString>("valueType");
    const QStringList types = sandboxValueTypes();
    for (const QString &type : types)
        QTest::newRow(qPrintable(type)) << type;
}

void TestSandboxSchema::opportunitySchemaCoversEveryValueType()
{
    QFETCH(QString, valueType);
    QCOMPARE(sandboxValueTypes().size(), 14);
    const SandboxSchema schema = SandboxSchema::opportunity();
    const bool covered = std::any_of(schema.fields.cbegin(), schema.fields.cend(),
        [&](const SandboxFieldDef &def) { return def.valueType == valueType; });
    QVERIFY2(covered, qPrintable(valueType));
    QCOMPARE(schema.field(keyForType().value(valueType))->valueType, valueType);
}

void TestSandboxSchema::fieldsHaveTheDocumentedTypeAndFlags_data()
{
    QTest::addColumn<QString>("objectType");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("valueType");
    QTest::addColumn<QString>("label");
    QTest::addColumn<bool>("readOnly");
    QTest::addColumn<bool>("required");

    const auto row = [](const char *type, const char *key, const char *valueType, const char *label,
                         bool readOnly, bool required) {
        QTest::addRow("%s %s", type, key)
            << QString::fromUtf8(type) << QString::fromUtf8(key) << QString::fromUtf8(valueType)
            << QString::fromUtf8(label) << readOnly << required;
    };
    row("opportunity", "$name", "TEXT", "Name", false, true);
    row("opportunity", "$stage", "SINGLE_SELECT", "Stage", false, true);
    row("opportunity", "$opportunityStatus", "SINGLE_SELECT", "Status", true, false);
    row("opportunity", "$amount", "CURRENCY", "Amount", false, false);
    row("opportunity", "closeDate", "DATETIME", "Close date", false, false);
    row("opportunity", "$summary", "MARKDOWN", "AI summary", true, false);
    row("opportunity", "$lastInteractionAt", "DATETIME", "Last interaction", true, false);
    row("opportunity", "nextSteps", "MARKDOWN", "Next steps", false, false);
    row("opportunity", "probability", "NUMBER", "Probability (%)", false, false);
    row("opportunity", "isStrategic", "CHECKBOX", "Strategic", false, false);
    row("opportunity", "arrEur", "CURRENCY", "ARR (EUR)", false, false);
    row("account", "$name", "TEXT", "Name", false, true);
    row("account", "$website", "URL", "Website", false, false);
    row("account", "$industry", "MULTI_SELECT", "Industry", false, false);
    row("account", "$headcount", "SINGLE_SELECT", "Headcount", false, false);
    row("account", "$primaryAddress", "ADDRESS", "Primary address", false, false);
    row("account", "$linkedIn", "SOCIAL_HANDLE", "LinkedIn", false, false);
    row("account", "twitter", "SOCIAL_HANDLE", "X (Twitter)", false, false);
    row("account", "$howTheyMakeMoney", "MARKDOWN", "How they make money", true, false);
    row("account", "$accountStatus", "SINGLE_SELECT", "Account status", true, false);
    row("contact", "$name", "FULL_NAME", "Name", false, true);
    row("contact", "$email", "EMAIL", "Email", false, false);
    row("contact", "$phone", "TELEPHONE", "Phone", false, false);
    row("contact", "$title", "TEXT", "Title", false, false);
    row("contact", "$linkedIn", "SOCIAL_HANDLE", "LinkedIn", false, false);
    row("member", "$email", "EMAIL", "Email", true, false);
    row("member", "$name", "FULL_NAME", "Name", true, false);
    row("member", "$profileImage", "URL", "Profile image", true, false);
    row("member", "$role", "TEXT", "Role", true, false);
    row("list", "$name", "TEXT", "Name", false, true);
    row("list", "$objectType", "TEXT", "Object type", false, true);
}

void TestSandboxSchema::fieldsHaveTheDocumentedTypeAndFlags()
{
    QFETCH(QString, objectType);
    QFETCH(QString, key);
    QFETCH(QString, valueType);
    QFETCH(QString, label);
    QFETCH(bool, readOnly);
    QFETCH(bool, required);
    const SandboxSchema schema = schemaFor(objectType);
    const SandboxFieldDef *def = schema.field(key);
    QVERIFY(def);
    QCOMPARE(def->valueType, valueType);
    QCOMPARE(def->label, label);
    QCOMPARE(def->readOnly, readOnly);
    QCOMPARE(def->required, required);
}

void TestSandboxSchema::relationshipsHaveTheDocumentedShape_data()
{
    QTest::addColumn<QString>("objectType");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("cardinality");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("slug");
    QTest::addColumn<bool>("readOnly");
    QTest::addColumn<bool>("required");
    QTest::addColumn<bool>("createOnly");

    const auto row
        = [](const char *type, const char *key, const char *cardinality, const char *target,
              const char *slug, bool readOnly, bool required, bool createOnly) {
              QTest::addRow("%s %s", type, key)
                  << QString::fromUtf8(type) << QString::fromUtf8(key)
                  << QString::fromUtf8(cardinality) << QString::fromUtf8(target)
                  << QString::fromUtf8(slug) << readOnly << required << createOnly;
          };
    row("opportunity", "$account", "HAS_ONE", "account", "$opportunity-account", false, true,
        false);
    row("opportunity", "$owner", "HAS_ONE", "member", "$opportunity-owner", false, false, false);
    row("opportunity", "$createdBy", "HAS_ONE", "member", "$opportunity-createdBy", false, false,
        true);
    row("opportunity", "$champion", "HAS_ONE", "contact", "$opportunity-champion", false, false,
        false);
    row("opportunity", "$evaluator", "HAS_MANY", "contact", "$opportunity-evaluator", false, false,
        false);
    row("opportunity", "$task", "HAS_MANY", "task", "$opportunity-task", true, false, false);
    row("opportunity", "$note", "HAS_MANY", "note", "$opportunity-note", true, false, false);
    row("account", "$owner", "HAS_ONE", "member", "$account-owner", false, false, false);
    row("account", "$contact", "HAS_MANY", "contact", "$account-contact", false, false, false);
    row("account", "$opportunity", "HAS_MANY", "opportunity", "$account-opportunity", true, false,
        false);
    row("account", "$task", "HAS_MANY", "task", "$account-task", true, false, false);
    row("account", "$note", "HAS_MANY", "note", "$account-note", true, false, false);
    row("contact", "$account", "HAS_ONE", "account", "$contact-account", false, false, false);
    row("contact", "$owner", "HAS_ONE", "member", "$contact-owner", false, false, false);
}

void TestSandboxSchema::relationshipsHaveTheDocumentedShape()
{
    QFETCH(QString, objectType);
    QFETCH(QString, key);
    QFETCH(QString, cardinality);
    QFETCH(QString, target);
    QFETCH(QString, slug);
    QFETCH(bool, readOnly);
    QFETCH(bool, required);
    QFETCH(bool, createOnly);
    const SandboxSchema schema = schemaFor(objectType);
    const SandboxRelationshipDef *def = schema.relationship(key);
    QVERIFY(def);
    QCOMPARE(def->cardinality, cardinality);
    QCOMPARE(def->objectType, target);
    QCOMPARE(def->slug, slug);
    QCOMPARE(def->readOnly, readOnly);
    QCOMPARE(def->required, required);
    QCOMPARE(def->createOnly, createOnly);
    QVERIFY2(def->id.isEmpty(), "system relationships have a null id");
    QVERIFY(!def->label.isEmpty());
}

void TestSandboxSchema::definitionIdsAreStableAndUnique_data()
{
    QTest::addColumn<QString>("objectType");
    QTest::addColumn<QString>("idPrefix");
    QTest::addColumn<int>("fieldCount");
    QTest::addColumn<int>("relationshipCount");
    QTest::newRow("opportunity") << QStringLiteral("opportunity") << QStringLiteral("opp_") << 19
                                 << 7;
    QTest::newRow("account") << QStringLiteral("account") << QStringLiteral("acc_") << 9 << 5;
    QTest::newRow("contact") << QStringLiteral("contact") << QStringLiteral("con_") << 5 << 2;
    QTest::newRow("member") << QStringLiteral("member") << QStringLiteral("mem_") << 4 << 0;
    QTest::newRow("list") << QStringLiteral("list") << QStringLiteral("lst_") << 2 << 0;
}

void TestSandboxSchema::definitionIdsAreStableAndUnique()
{
    QFETCH(QString, objectType);
    QFETCH(QString, idPrefix);
    QFETCH(int, fieldCount);
    QFETCH(int, relationshipCount);
    const SandboxSchema schema = schemaFor(objectType);
    QCOMPARE(schema.objectType, objectType);
    QCOMPARE(schema.idPrefix, idPrefix);
    QCOMPARE(schema.fields.size(), fieldCount);
    QCOMPARE(schema.relationships.size(), relationshipCount);

    // Ids are unique across every schema, not only within one.
    QSet<QString> allIds;
    for (const QString &type : {QStringLiteral("opportunity"), QStringLiteral("account"),
             QStringLiteral("contact"), QStringLiteral("member"), QStringLiteral("list")}) {
        for (const SandboxFieldDef &def : schemaFor(type).fields) {
            QVERIFY2(def.id.startsWith(QLatin1String("ad_")), qPrintable(def.id));
            QVERIFY2(!allIds.contains(def.id), qPrintable(def.id));
            allIds.insert(def.id);
        }
    }
    // Built twice, the schema is identical: ids never depend on run or order.
    QCOMPARE(schemaFor(objectType).definitionsJson(), schema.definitionsJson());
    QCOMPARE(schema.field(schema.fields.first().key)->id, schemaFor(objectType).fields.first().id);
}

void TestSandboxSchema::selectOptionsHaveDeterministicIdsAndDescriptions()
{
    const SandboxSchema schema = SandboxSchema::opportunity();
    const QJsonArray stages = schema.field(QStringLiteral("$stage"))
                                  ->typeConfiguration[QStringLiteral("options")]
                                  .toArray();
    QStringList ids;
    QStringList labels;
    for (const QJsonValue &option : stages) {
        ids.append(option[QStringLiteral("id")].toString());
        labels.append(option[QStringLiteral("label")].toString());
        QVERIFY2(option[QStringLiteral("description")].isString(),
            "every stage option has a description");
    }
    QCOMPARE(labels,
        QStringList({QStringLiteral("Prospecting"), QStringLiteral("Discovery"),
            QStringLiteral("Proposal"), QStringLiteral("Negotiation"), QStringLiteral("Closed Won"),
            QStringLiteral("Closed Lost")}));
    QCOMPARE(ids,
        QStringList({QStringLiteral("opt_stage_prospecting"), QStringLiteral("opt_stage_discovery"),
            QStringLiteral("opt_stage_proposal"), QStringLiteral("opt_stage_negotiation"),
            QStringLiteral("opt_stage_closed_won"), QStringLiteral("opt_stage_closed_lost")}));

    QSet<QString> allOptionIds;
    for (const QString &type : {QStringLiteral("opportunity"), QStringLiteral("account")}) {
        for (const SandboxFieldDef &def : schemaFor(type).fields) {
            const QJsonArray options = def.typeConfiguration[QStringLiteral("options")].toArray();
            const bool select = def.valueType.endsWith(QLatin1String("_SELECT"));
            QCOMPARE(!options.isEmpty(), select);
            for (const QJsonValue &option : options) {
                const QString id = option[QStringLiteral("id")].toString();
                QVERIFY2(id.startsWith(QLatin1String("opt_")), qPrintable(id));
                QVERIFY2(!allOptionIds.contains(id), qPrintable(id));
                allOptionIds.insert(id);
            }
        }
    }
    for (const QString &key : {QStringLiteral("competitors"), QStringLiteral("forecastCategory")}) {
        const QJsonArray options
            = schema.field(key)->typeConfiguration[QStringLiteral("options")].toArray();
        QVERIFY(options.size() >= 4);
        for (const QJsonValue &option : options)
            QVERIFY2(option[QStringLiteral("description")].isString(), qPrintable(key));
    }
    const QJsonArray statuses = schema.field(QStringLiteral("$opportunityStatus"))
                                    ->typeConfiguration[QStringLiteral("options")]
                                    .toArray();
    QCOMPARE(statuses.size(), 3);
    QCOMPARE(statuses.at(1)[QStringLiteral("id")].toString(), QStringLiteral("opt_status_won"));
    QVERIFY(statuses.at(0)[QStringLiteral("description")].isNull());
}

void TestSandboxSchema::typeConfigurationMatchesTheDocs()
{
    const SandboxSchema opportunity = SandboxSchema::opportunity();
    const auto config = [&](const char *key) {
        return opportunity.field(QString::fromUtf8(key))->typeConfiguration;
    };
    QCOMPARE(config("$amount"), QJsonObject({{QStringLiteral("currency"), QStringLiteral("USD")}}));
    QCOMPARE(config("arrEur"), QJsonObject({{QStringLiteral("currency"), QStringLiteral("EUR")}}));
    QCOMPARE(config("billingEmail"),
        QJsonObject({{QStringLiteral("multipleValues"), true}, {QStringLiteral("unique"), false}}));
    QCOMPARE(config("dealRoom"), QJsonObject({{QStringLiteral("multipleValues"), false}}));
    QCOMPARE(config("buyerPhones"), QJsonObject({{QStringLiteral("multipleValues"), true}}));
    QCOMPARE(config("buyerLinkedIn"),
        QJsonObject({{QStringLiteral("handleService"), QStringLiteral("LINKEDIN")}}));
    QCOMPARE(SandboxSchema::account().field(QStringLiteral("twitter"))->typeConfiguration,
        QJsonObject({{QStringLiteral("handleService"), QStringLiteral("TWITTER")}}));
    QVERIFY(SandboxSchema::account()
                .field(QStringLiteral("$website"))
                ->typeConfiguration[QStringLiteral("multipleValues")]
                .toBool());
    QVERIFY(SandboxSchema::contact()
                .field(QStringLiteral("$email"))
                ->typeConfiguration[QStringLiteral("multipleValues")]
                .toBool());
    QVERIFY(!SandboxSchema::member()
                 .field(QStringLiteral("$email"))
                 ->typeConfiguration[QStringLiteral("multipleValues")]
                 .toBool());
}

void TestSandboxSchema::definitionsJsonHasTheDocumentedShape()
{
    const QJsonObject json = SandboxSchema::opportunity().definitionsJson();
    QCOMPARE(json.keys(),
        QStringList({QStringLiteral("fieldDefinitions"), QStringLiteral("objectType"),
            QStringLiteral("relationshipDefinitions")}));
    QCOMPARE(json[QStringLiteral("objectType")].toString(), QStringLiteral("opportunity"));
    const QJsonObject fields = json[QStringLiteral("fieldDefinitions")].toObject();
    QCOMPARE(fields.size(), 19);

    const QJsonObject stage = fields[QStringLiteral("$stage")].toObject();
    QCOMPARE(stage.keys(),
        QStringList({QStringLiteral("description"), QStringLiteral("id"), QStringLiteral("label"),
            QStringLiteral("readOnly"), QStringLiteral("typeConfiguration"),
            QStringLiteral("valueType")}));
    QCOMPARE(stage[QStringLiteral("id")].toString(), QStringLiteral("ad_opp_stage"));
    QCOMPARE(stage[QStringLiteral("valueType")].toString(), QStringLiteral("SINGLE_SELECT"));
    QCOMPARE(stage[QStringLiteral("readOnly")].toBool(), false);
    QCOMPARE(
        stage[QStringLiteral("typeConfiguration")][QStringLiteral("options")].toArray().size(), 6);
    QCOMPARE(fields[QStringLiteral("$summary")][QStringLiteral("readOnly")].toBool(), true);
    QVERIFY(fields[QStringLiteral("closeDate")][QStringLiteral("description")].isNull());
    QVERIFY(fields[QStringLiteral("nextSteps")][QStringLiteral("typeConfiguration")].isObject());

    const QJsonObject relationships = json[QStringLiteral("relationshipDefinitions")].toObject();
    QCOMPARE(relationships.size(), 7);
    const QJsonObject account = relationships[QStringLiteral("$account")].toObject();
    QVERIFY(account[QStringLiteral("id")].isNull());
    QCOMPARE(account[QStringLiteral("cardinality")].toString(), QStringLiteral("HAS_ONE"));
    QCOMPARE(account[QStringLiteral("objectType")].toString(), QStringLiteral("account"));
    QCOMPARE(account[QStringLiteral("slug")].toString(), QStringLiteral("$opportunity-account"));
    QCOMPARE(account[QStringLiteral("label")].toString(), QStringLiteral("Account"));
    QVERIFY(account[QStringLiteral("description")].isNull());
    QCOMPARE(relationships[QStringLiteral("$task")][QStringLiteral("readOnly")].toBool(), true);
    QCOMPARE(relationships[QStringLiteral("$owner")][QStringLiteral("description")].toString(),
        QStringLiteral("The member who owns the deal"));
}

void TestSandboxSchema::onlyRecordTypesHaveADefinitionsEndpoint_data()
{
    QTest::addColumn<QString>("objectType");
    QTest::addColumn<bool>("hasEndpoint");
    QTest::newRow("opportunity") << QStringLiteral("opportunity") << true;
    QTest::newRow("account") << QStringLiteral("account") << true;
    QTest::newRow("contact") << QStringLiteral("contact") << true;
    QTest::newRow("member") << QStringLiteral("member") << false;
    QTest::newRow("list") << QStringLiteral("list") << false;
}

void TestSandboxSchema::onlyRecordTypesHaveADefinitionsEndpoint()
{
    QFETCH(QString, objectType);
    QFETCH(bool, hasEndpoint);
    QCOMPARE(schemaFor(objectType).hasDefinitionsEndpoint, hasEndpoint);
}

void TestSandboxSchema::lookupsFindByKeyAndBySlug()
{
    const SandboxSchema schema = SandboxSchema::opportunity();
    QCOMPARE(schema.field(QStringLiteral("closeDate"))->label, QStringLiteral("Close date"));
    QVERIFY(!schema.field(QStringLiteral("$closeDate")));
    QVERIFY(!schema.field(QStringLiteral("$account")));
    QCOMPARE(schema.relationship(QStringLiteral("$account"))->slug,
        QStringLiteral("$opportunity-account"));
    QCOMPARE(schema.relationshipBySlug(QStringLiteral("$opportunity-account"))->key,
        QStringLiteral("$account"));
    QVERIFY(!schema.relationshipBySlug(QStringLiteral("$account")));
    QVERIFY(!schema.relationship(QStringLiteral("$opportunity-account")));
}

void TestSandboxSchema::validWritesAreNormalized_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("stored");

    const auto row
        = [](const char *name, const char *field, const char *input, const char *stored) {
              QTest::newRow(name) << QString::fromUtf8(field) << QString::fromUtf8(input)
                                  << QString::fromUtf8(stored);
          };
    row("TEXT", "$name", "\"Acme – FY27 🚀\"", "\"Acme – FY27 🚀\"");
    row("TEXT empty", "$name", "\"\"", "\"\"");
    row("MARKDOWN", "nextSteps", "\"- [ ] **call** José\"", "\"- [ ] **call** José\"");
    row("NUMBER integer", "probability", "42", "42");
    row("NUMBER negative decimals", "probability", "-3.25", "-3.25");
    row("NUMBER one decimal", "probability", "0.1", "0.1");
    row("NUMBER max safe integer", "probability", "9007199254740991", "9007199254740991");
    row("NUMBER min safe integer", "probability", "-9007199254740991", "-9007199254740991");
    row("CURRENCY whole", "$amount", "48000", "48000");
    row("CURRENCY cents", "$amount", "1234.56", "1234.56");
    row("CURRENCY binary-unfriendly cents", "arrEur", "0.29", "0.29");
    row("CURRENCY zero", "$amount", "0", "0");
    row("CHECKBOX true", "isStrategic", "true", "true");
    row("CHECKBOX false", "isStrategic", "false", "false");
    row("DATETIME Z", "closeDate", "\"2026-09-30T17:00:00Z\"", "\"2026-09-30T17:00:00.000Z\"");
    row("DATETIME +00:00", "closeDate", "\"2026-09-30T17:00:00+00:00\"",
        "\"2026-09-30T17:00:00.000Z\"");
    row("DATETIME positive offset", "closeDate", "\"2026-09-30T19:30:00+02:30\"",
        "\"2026-09-30T17:00:00.000Z\"");
    row("DATETIME offset without colon", "closeDate", "\"2026-09-30T12:00:00-0500\"",
        "\"2026-09-30T17:00:00.000Z\"");
    row("DATETIME year rollover", "closeDate", "\"2026-12-31T23:30:00-01:00\"",
        "\"2027-01-01T00:30:00.000Z\"");
    row("DATETIME milliseconds", "closeDate", "\"2026-04-20T17:41:12.5Z\"",
        "\"2026-04-20T17:41:12.500Z\"");
    row("DATETIME microseconds truncated", "closeDate", "\"2026-04-20T17:41:12.123456Z\"",
        "\"2026-04-20T17:41:12.123Z\"");
    row("DATETIME leap day", "closeDate", "\"2028-02-29T00:00:00Z\"",
        "\"2028-02-29T00:00:00.000Z\"");
    row("DATETIME without seconds", "closeDate", "\"2026-03-01T08:15Z\"",
        "\"2026-03-01T08:15:00.000Z\"");
    row("EMAIL multi from string", "billingEmail", "\"ana@northwind.example\"",
        "[\"ana@northwind.example\"]");
    row("EMAIL multi from array", "billingEmail",
        "[\"ana@northwind.example\", \"ap@northwind.example\"]",
        "[\"ana@northwind.example\", \"ap@northwind.example\"]");
    row("EMAIL single", "member:$email", "\"zoe@sandbox.example\"", "\"zoe@sandbox.example\"");
    row("EMAIL trimmed", "contact:$email", "\" ana@x.example \"", "[\"ana@x.example\"]");
    row("URL single", "dealRoom", "\"https://rooms.example/r/1?tab=docs\"",
        "\"https://rooms.example/r/1?tab=docs\"");
    row("URL http", "dealRoom", "\"http://rooms.example\"", "\"http://rooms.example\"");
    row("URL multi from string", "account:$website", "\"https://northwind.example\"",
        "[\"https://northwind.example\"]");
    row("TELEPHONE E.164", "buyerPhones", "[\"+15125550100\"]", "[\"+15125550100\"]");
    row("TELEPHONE US ten digits", "buyerPhones", "[\"(512) 555-0100\"]", "[\"+15125550100\"]");
    row("TELEPHONE x extension", "buyerPhones", "[\"512-555-0100 x12\"]",
        "[\"+15125550100;ext=12\"]");
    row("TELEPHONE ext: extension", "buyerPhones", "[\"512.555.0100 ext:7\"]",
        "[\"+15125550100;ext=7\"]");
    row("TELEPHONE ext. extension", "buyerPhones", "[\"+44 20 7946 0958 ext. 100\"]",
        "[\"+442079460958;ext=100\"]");
    row("TELEPHONE # extension", "buyerPhones", "[\"555 0100 #9\"]", "[\"5550100;ext=9\"]");
    row("TELEPHONE local", "buyerPhones", "[\"1234 5678\"]", "[\"12345678\"]");
    row("TELEPHONE stored form", "buyerPhones", "[\"+15125550100;ext=12\"]",
        "[\"+15125550100;ext=12\"]");
    row("TELEPHONE array", "contact:$phone", "[\"+4930123456\", \"5125550100\"]",
        "[\"+4930123456\", \"+15125550100\"]");
    row("ADDRESS partial", "deliveryAddress",
        "{\"city\": \"Austin\", \"state\": \"TX\", \"country\": \"us\"}",
        "{\"street\": null, \"street2\": null, \"city\": \"Austin\", \"state\": \"TX\", "
        "\"postalCode\": null, \"country\": \"US\", \"latitude\": null, \"longitude\": null}");
    row("ADDRESS full", "account:$primaryAddress",
        "{\"street\": \"1 Main St\", \"street2\": \"Floor 2\", \"city\": \"Austin\", "
        "\"state\": \"TX\", \"postalCode\": \"78701\", \"country\": \"US\", "
        "\"latitude\": 30.27, \"longitude\": -97.74}",
        "{\"street\": \"1 Main St\", \"street2\": \"Floor 2\", \"city\": \"Austin\", "
        "\"state\": \"TX\", \"postalCode\": \"78701\", \"country\": \"US\", "
        "\"latitude\": 30.27, \"longitude\": -97.74}");
    row("ADDRESS empty", "deliveryAddress", "{}",
        "{\"street\": null, \"street2\": null, \"city\": null, \"state\": null, "
        "\"postalCode\": null, \"country\": null, \"latitude\": null, \"longitude\": null}");
    row("FULL_NAME first only", "economicBuyer", "{\"firstName\": \"Zoë\"}",
        "{\"firstName\": \"Zoë\", \"lastName\": null}");
    row("FULL_NAME CJK", "contact:$name", "{\"firstName\": \"太郎\", \"lastName\": \"山田\"}",
        "{\"firstName\": \"太郎\", \"lastName\": \"山田\"}");
    row("FULL_NAME explicit nulls", "economicBuyer", "{\"firstName\": null, \"lastName\": null}",
        "{\"firstName\": null, \"lastName\": null}");
    row("SOCIAL_HANDLE linkedin in", "buyerLinkedIn", "\"https://linkedin.com/in/ana-ruiz\"",
        "\"https://linkedin.com/in/ana-ruiz\"");
    row("SOCIAL_HANDLE linkedin company www", "account:$linkedIn",
        "\"https://www.linkedin.com/company/northwind/\"",
        "\"https://www.linkedin.com/company/northwind/\"");
    row("SOCIAL_HANDLE x.com", "account:twitter", "\"https://x.com/northwind\"",
        "\"https://x.com/northwind\"");
    row("SOCIAL_HANDLE twitter.com", "account:twitter", "\"https://twitter.com/north_wind\"",
        "\"https://twitter.com/north_wind\"");
    row("SOCIAL_HANDLE facebook", "facebook", "\"https://facebook.com/northwind\"",
        "\"https://facebook.com/northwind\"");
    row("SOCIAL_HANDLE instagram", "instagram", "\"https://www.instagram.com/northwind\"",
        "\"https://www.instagram.com/northwind\"");
    row("SINGLE_SELECT id", "$stage", "\"opt_stage_discovery\"", "\"opt_stage_discovery\"");
    row("SINGLE_SELECT label", "$stage", "\"Closed Won\"", "\"opt_stage_closed_won\"");
    row("SINGLE_SELECT label any case", "$stage", "\"PROPOSAL\"", "\"opt_stage_proposal\"");
    row("SINGLE_SELECT label with spaces", "forecastCategory", "\"best case\"",
        "\"opt_forecast_best_case\"");
    row("MULTI_SELECT ids and labels, deduplicated", "competitors",
        "[\"Salesforce\", \"opt_competitors_attio\", \"salesforce\"]",
        "[\"opt_competitors_salesforce\", \"opt_competitors_attio\"]");
    row("MULTI_SELECT order kept", "competitors", "[\"In-house\", \"HubSpot\"]",
        "[\"opt_competitors_in_house\", \"opt_competitors_hubspot\"]");
}

void TestSandboxSchema::validWritesAreNormalized()
{
    QFETCH(QString, field);
    QFETCH(QString, input);
    QFETCH(QString, stored);
    const auto result = normalizeFieldWrite(fieldDef(field), json(input));
    if (const auto *error = std::get_if<ApiError>(&result))
        QFAIL(qPrintable(error->message));
    QCOMPARE(compact(std::get<QJsonValue>(result)), compact(json(stored)));
    // The stored form is itself a valid write that stores the same value.
    const auto again = normalizeFieldWrite(fieldDef(field), std::get<QJsonValue>(result));
    QVERIFY(std::holds_alternative<QJsonValue>(again));
    QCOMPARE(compact(std::get<QJsonValue>(again)), compact(json(stored)));
}

void TestSandboxSchema::listClearFormsFollowTheSwitch_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("mode");
    QTest::addColumn<bool>("nullClears");
    QTest::addColumn<bool>("emptyClears");
    for (const char *field : {"competitors", "billingEmail", "buyerPhones", "contact:$phone"}) {
        QTest::addRow("%s null", field) << QString::fromUtf8(field) << "null" << true << false;
        QTest::addRow("%s empty", field) << QString::fromUtf8(field) << "empty" << false << true;
        QTest::addRow("%s both", field) << QString::fromUtf8(field) << "both" << true << true;
    }
}

void TestSandboxSchema::listClearFormsFollowTheSwitch()
{
    QFETCH(QString, field);
    QFETCH(QString, mode);
    QFETCH(bool, nullClears);
    QFETCH(bool, emptyClears);
    SandboxWriteRules rules;
    rules.multiClear = *SandboxWriteRules::multiClearFromName(mode);
    QCOMPARE(SandboxWriteRules::multiClearName(rules.multiClear), mode);
    const SandboxFieldDef def = fieldDef(field);
    QVERIFY(sandboxWritesArray(def));
    for (const QJsonValue &clear : {QJsonValue(QJsonValue::Null), QJsonValue(QJsonArray())}) {
        const auto result = normalizeFieldWrite(def, clear, rules);
        const bool accepted = clear.isNull() ? nullClears : emptyClears;
        if (accepted) {
            QVERIFY(std::holds_alternative<QJsonValue>(result));
            QVERIFY(std::get<QJsonValue>(result).isNull()); // stored as null either way
        } else {
            QVERIFY(std::holds_alternative<ApiError>(result));
            const ApiError error = std::get<ApiError>(result);
            QCOMPARE(error.status, 400);
            QCOMPARE(error.code, QStringLiteral("invalid_value"));
            QCOMPARE(error.param, QStringLiteral("fields.") + def.key);
            QVERIFY2(error.message.contains(
                         clear.isNull() ? QStringLiteral("with []") : QStringLiteral("with null")),
                qPrintable(error.message));
        }
    }
    // A single-valued field is no list: null clears it whatever the switch says.
    QVERIFY(!sandboxWritesArray(fieldDef(QStringLiteral("dealRoom"))));
    QVERIFY(std::holds_alternative<QJsonValue>(
        normalizeFieldWrite(fieldDef(QStringLiteral("dealRoom")), QJsonValue(), rules)));
}

void TestSandboxSchema::invalidWritesAreRejected_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("input");

    const auto row = [](const char *name, const char *field, const char *input) {
        QTest::newRow(name) << QString::fromUtf8(field) << QString::fromUtf8(input);
    };
    row("TEXT number", "$name", "42");
    row("TEXT array", "$name", "[\"a\"]");
    row("MARKDOWN object", "nextSteps", "{}");
    row("NUMBER string", "probability", "\"42\"");
    row("NUMBER boolean", "probability", "true");
    row("NUMBER three decimals", "probability", "12.345");
    row("NUMBER beyond safe integer", "probability", "9007199254740992");
    row("NUMBER huge", "probability", "-1e300");
    row("CURRENCY string", "$amount", "\"1000\"");
    row("CURRENCY sub-cent", "$amount", "0.001");
    row("CHECKBOX string", "isStrategic", "\"true\"");
    row("CHECKBOX number", "isStrategic", "1");
    row("DATETIME date only", "closeDate", "\"2026-09-30\"");
    row("DATETIME without offset", "closeDate", "\"2026-09-30T17:00:00\"");
    row("DATETIME impossible day", "closeDate", "\"2026-02-30T00:00:00Z\"");
    row("DATETIME hour 25", "closeDate", "\"2026-09-30T25:00:00Z\"");
    row("DATETIME words", "closeDate", "\"next friday\"");
    row("DATETIME epoch number", "closeDate", "1700000000");
    row("EMAIL malformed", "billingEmail", "\"not-an-email\"");
    row("EMAIL non-string item", "billingEmail", "[\"ok@x.example\", 5]");
    row("EMAIL number", "billingEmail", "5");
    row("EMAIL array on single", "member:$email", "[\"a@b.example\"]");
    row("URL ftp", "dealRoom", "\"ftp://files.example/x\"");
    row("URL without scheme", "dealRoom", "\"rooms.example/r/1\"");
    row("URL array on single", "dealRoom", "[\"https://a.example\"]");
    row("URL bad item in multi", "account:$website", "[\"https://a.example\", \"nope\"]");
    row("TELEPHONE + then zero", "buyerPhones", "[\"+0123456789\"]");
    row("TELEPHONE too short", "buyerPhones", "[\"12345\"]");
    row("TELEPHONE letters", "buyerPhones", "[\"555-CALL-NOW\"]");
    row("TELEPHONE sixteen digits", "buyerPhones", "[\"+1234567890123456\"]");
    row("TELEPHONE boolean", "buyerPhones", "true");
    row("TELEPHONE bare string", "buyerPhones", "\"+15125550100\"");
    row("TELEPHONE bare string, contact", "contact:$phone", "\"+4930123456\"");
    row("ADDRESS string", "deliveryAddress", "\"1 Main St, Austin\"");
    row("ADDRESS unknown member", "deliveryAddress", "{\"zip\": \"78701\"}");
    row("ADDRESS three-letter country", "deliveryAddress", "{\"country\": \"USA\"}");
    row("ADDRESS numeric city", "deliveryAddress", "{\"city\": 5}");
    row("ADDRESS latitude as string", "deliveryAddress", "{\"latitude\": \"30.2\"}");
    row("ADDRESS latitude out of range", "deliveryAddress", "{\"latitude\": 91}");
    row("FULL_NAME string", "contact:$name", "\"Ana Ruiz\"");
    row("FULL_NAME unknown member", "economicBuyer", "{\"middleName\": \"Q\"}");
    row("FULL_NAME number member", "economicBuyer", "{\"firstName\": 5}");
    row("SOCIAL_HANDLE other service", "buyerLinkedIn", "\"https://x.com/ana\"");
    row("SOCIAL_HANDLE plain http", "buyerLinkedIn", "\"http://linkedin.com/in/ana\"");
    row("SOCIAL_HANDLE without scheme", "buyerLinkedIn", "\"linkedin.com/in/ana\"");
    row("SOCIAL_HANDLE linkedin without in/company", "buyerLinkedIn",
        "\"https://linkedin.com/ana\"");
    row("SOCIAL_HANDLE twitter handle too long", "account:twitter",
        "\"https://x.com/this_handle_is_far_too_long\"");
    row("SOCIAL_HANDLE facebook on instagram", "instagram", "\"https://facebook.com/northwind\"");
    row("SOCIAL_HANDLE number", "buyerLinkedIn", "42");
    row("SINGLE_SELECT unknown label", "$stage", "\"Won\"");
    row("SINGLE_SELECT option of another field", "$stage", "\"opt_status_won\"");
    row("SINGLE_SELECT number", "$stage", "3");
    row("MULTI_SELECT string", "competitors", "\"Salesforce\"");
    row("MULTI_SELECT unknown option", "competitors", "[\"Oracle\"]");
    row("MULTI_SELECT number item", "competitors", "[1]");
}

void TestSandboxSchema::invalidWritesAreRejected()
{
    QFETCH(QString, field);
    QFETCH(QString, input);
    const SandboxFieldDef def = fieldDef(field);
    const auto result = normalizeFieldWrite(def, json(input));
    const auto *error = std::get_if<ApiError>(&result);
    if (!error)
        QFAIL(qPrintable(QStringLiteral("accepted as ") + compact(std::get<QJsonValue>(result))));
    QCOMPARE(error->status, 400);
    QCOMPARE(error->type, QStringLiteral("bad_request"));
    QCOMPARE(error->code, QStringLiteral("invalid_type"));
    QCOMPARE(error->param, QStringLiteral("fields.") + def.key);
    QVERIFY2(error->message.contains(def.key), qPrintable(error->message));
}

void TestSandboxSchema::nullClearsAnOptionalField_data()
{
    QTest::addColumn<QString>("valueType");
    const QStringList types = sandboxValueTypes();
    for (const QString &type : types)
        QTest::newRow(qPrintable(type)) << type;
}

void TestSandboxSchema::nullClearsAnOptionalField()
{
    QFETCH(QString, valueType);
    SandboxFieldDef def = fieldDef(keyForType().value(valueType));
    def.required = false;
    for (const QJsonValue &value : {QJsonValue(), QJsonValue(QJsonValue::Undefined)}) {
        const auto result = normalizeFieldWrite(def, value);
        QVERIFY(std::holds_alternative<QJsonValue>(result));
        QVERIFY(std::get<QJsonValue>(result).isNull());
    }
}

void TestSandboxSchema::nullOnARequiredFieldIsParameterMissing_data()
{
    QTest::addColumn<QString>("field");
    QTest::newRow("opportunity $name") << QStringLiteral("$name");
    QTest::newRow("opportunity $stage") << QStringLiteral("$stage");
    QTest::newRow("account $name") << QStringLiteral("account:$name");
    QTest::newRow("contact $name") << QStringLiteral("contact:$name");
}

void TestSandboxSchema::nullOnARequiredFieldIsParameterMissing()
{
    QFETCH(QString, field);
    const SandboxFieldDef def = fieldDef(field);
    QVERIFY(def.required);
    const auto result = normalizeFieldWrite(def, QJsonValue());
    const auto *error = std::get_if<ApiError>(&result);
    QVERIFY(error);
    QCOMPARE(error->status, 400);
    QCOMPARE(error->code, QStringLiteral("parameter_missing"));
    QCOMPARE(error->param, QStringLiteral("fields.") + def.key);
}

void TestSandboxSchema::unknownValueTypeIsInvalidType()
{
    SandboxFieldDef def;
    def.key = QStringLiteral("hologram");
    def.valueType = QStringLiteral("HOLOGRAM");
    const auto result = normalizeFieldWrite(def, QJsonValue(QStringLiteral("x")));
    const auto *error = std::get_if<ApiError>(&result);
    QVERIFY(error);
    QCOMPARE(error->code, QStringLiteral("invalid_type"));
    QCOMPARE(error->param, QStringLiteral("fields.hologram"));
    QVERIFY(error->message.contains(QLatin1String("HOLOGRAM")));
}

void TestSandboxSchema::writeErrorsAreSpecific()
{
    const auto messageFor = [](const char *field, const char *input) {
        const auto result = normalizeFieldWrite(
            fieldDef(QString::fromUtf8(field)), json(QString::fromUtf8(input)));
        const auto *error = std::get_if<ApiError>(&result);
        return error ? error->message : QString();
    };
    QCOMPARE(messageFor("$amount", "\"lots\""),
        QStringLiteral("Field '$amount' (CURRENCY) expects a number, got a string."));
    QVERIFY(messageFor("$stage", "\"Won\"").contains(QLatin1String("Prospecting, Discovery")));
    QVERIFY(messageFor("probability", "1.005").contains(QLatin1String("2 decimal places")));
    QVERIFY(messageFor("closeDate", "\"2026-09-30\"").contains(QLatin1String("offset")));
    QVERIFY(messageFor("deliveryAddress", "{\"zip\": \"1\"}").contains(QLatin1String("'zip'")));
}

void TestSandboxSchema::operatorsFollowTheValueType_data()
{
    QTest::addColumn<QString>("valueType");
    QTest::addColumn<QString>("op");
    QTest::addColumn<bool>("allowed");
    const QStringList types = sandboxValueTypes();
    for (const QString &type : types) {
        for (const QString &op : allOperators()) {
            QTest::addRow("%s %s", qPrintable(type), qPrintable(op))
                << type << op << documentedAllowed(type, op);
        }
    }
}

void TestSandboxSchema::operatorsFollowTheValueType()
{
    QFETCH(QString, valueType);
    QFETCH(QString, op);
    QFETCH(bool, allowed);
    const QString key = keyForType().value(valueType);
    QUrlQuery query;
    query.addQueryItem(key + QLatin1Char('[') + op + QLatin1Char(']'), validFilterValue(valueType));
    const auto result = parseFilters(SandboxSchema::opportunity(), query);
    if (allowed) {
        QVERIFY(std::holds_alternative<QList<SandboxFilter>>(result));
        const QList<SandboxFilter> filters = std::get<QList<SandboxFilter>>(result);
        QCOMPARE(filters.size(), 1);
        QCOMPARE(filters.first().key, key);
        QCOMPARE(filters.first().op, op);
        QCOMPARE(filters.first().negate, false);
        QCOMPARE(filters.first().value, validFilterValue(valueType));
    } else {
        const auto *error = std::get_if<ApiError>(&result);
        QVERIFY(error);
        QCOMPARE(error->status, 400);
        QCOMPARE(error->code, QStringLiteral("invalid_filter"));
        QCOMPARE(error->param, key);
    }
}

void TestSandboxSchema::negationPrefixIsParsed_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("op");
    QTest::addColumn<QString>("value");
    for (const QString &op : allOperators()) {
        for (const QString &type : sandboxValueTypes()) {
            if (documentedAllowed(type, op)) {
                QTest::addRow("-%s on %s", qPrintable(op), qPrintable(type))
                    << keyForType().value(type) << op << validFilterValue(type);
                break;
            }
        }
    }
    QTest::newRow("-equal on a relationship") << QStringLiteral("$opportunity-owner")
                                              << QStringLiteral("equal") << QStringLiteral("mem_1");
    QTest::newRow("-contains on a relationship")
        << QStringLiteral("$opportunity-evaluator") << QStringLiteral("contains")
        << QStringLiteral("con_1");
}

void TestSandboxSchema::negationPrefixIsParsed()
{
    QFETCH(QString, key);
    QFETCH(QString, op);
    QFETCH(QString, value);
    QUrlQuery query;
    query.addQueryItem(key + QStringLiteral("[-") + op + QLatin1Char(']'), value);
    const auto result = parseFilters(SandboxSchema::opportunity(), query);
    QVERIFY(std::holds_alternative<QList<SandboxFilter>>(result));
    const SandboxFilter filter = std::get<QList<SandboxFilter>>(result).value(0);
    QCOMPARE(filter.key, key);
    QCOMPARE(filter.op, op);
    QCOMPARE(filter.negate, true);
    QCOMPARE(filter.value, value);
}

void TestSandboxSchema::missingOperatorDefaultsToEqualOrContains_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("op");
    QTest::newRow("TEXT") << QStringLiteral("$name") << QStringLiteral("x")
                          << QStringLiteral("equal");
    QTest::newRow("CURRENCY") << QStringLiteral("$amount") << QStringLiteral("5")
                              << QStringLiteral("equal");
    QTest::newRow("SINGLE_SELECT")
        << QStringLiteral("$stage") << QStringLiteral("Proposal") << QStringLiteral("equal");
    QTest::newRow("EMAIL") << QStringLiteral("billingEmail") << QStringLiteral("x")
                           << QStringLiteral("contains");
    QTest::newRow("TELEPHONE") << QStringLiteral("buyerPhones") << QStringLiteral("555")
                               << QStringLiteral("contains");
    QTest::newRow("URL") << QStringLiteral("dealRoom") << QStringLiteral("rooms")
                         << QStringLiteral("contains");
    QTest::newRow("relationship") << QStringLiteral("$opportunity-account")
                                  << QStringLiteral("acc_1") << QStringLiteral("equal");
}

void TestSandboxSchema::missingOperatorDefaultsToEqualOrContains()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, op);
    QUrlQuery query;
    query.addQueryItem(key, value);
    const auto result = parseFilters(SandboxSchema::opportunity(), query);
    QVERIFY(std::holds_alternative<QList<SandboxFilter>>(result));
    const SandboxFilter filter = std::get<QList<SandboxFilter>>(result).value(0);
    QCOMPARE(filter.key, key);
    QCOMPARE(filter.op, op);
    QCOMPARE(filter.negate, false);
}

void TestSandboxSchema::badFiltersAreRejected_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("param");

    const auto row = [](const char *name, const char *key, const char *value, const char *code,
                         const char *param) {
        QTest::newRow(name) << QString::fromUtf8(key) << QString::fromUtf8(value)
                            << QString::fromUtf8(code) << QString::fromUtf8(param);
    };
    row("unknown field", "foo", "1", "unknown_field", "foo");
    row("unknown field with operator", "foo[equal]", "1", "unknown_field", "foo");
    row("relationship key instead of slug", "$account", "acc_1", "unknown_field", "$account");
    row("record property", "updatedAt[greaterThan]", "2026-01-01T00:00:00Z", "unknown_field",
        "updatedAt");
    row("MULTI_SELECT", "competitors", "Attio", "invalid_filter", "competitors");
    row("MULTI_SELECT contains", "competitors[contains]", "Attio", "invalid_filter", "competitors");
    row("MARKDOWN", "nextSteps[contains]", "call", "invalid_filter", "nextSteps");
    row("read-only MARKDOWN", "$summary[startsWith]", "x", "invalid_filter", "$summary");
    row("unknown operator", "$name[like]", "x", "invalid_filter", "$name");
    row("empty operator", "$name[]", "x", "invalid_filter", "$name");
    row("bare negation", "$name[-]", "x", "invalid_filter", "$name");
    row("relationship startsWith", "$opportunity-account[startsWith]", "acc", "invalid_filter",
        "$opportunity-account");
    row("CURRENCY not a number", "$amount", "lots", "invalid_type", "$amount");
    row("NUMBER not a number", "probability[greaterThan]", "abc", "invalid_type", "probability");
    row("NUMBER empty", "probability[lessThan]", "", "invalid_type", "probability");
    row("DATETIME words", "closeDate[lessThan]", "next week", "invalid_type", "closeDate");
    row("DATETIME month 13", "closeDate", "2026-13-01", "invalid_type", "closeDate");
    row("CHECKBOX yes", "isStrategic", "yes", "invalid_type", "isStrategic");
    row("SINGLE_SELECT unknown option", "$stage", "Won", "invalid_type", "$stage");
}

void TestSandboxSchema::badFiltersAreRejected()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, code);
    QFETCH(QString, param);
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("limit"), QStringLiteral("5"));
    query.addQueryItem(key, value);
    const auto result = parseFilters(SandboxSchema::opportunity(), query);
    const auto *error = std::get_if<ApiError>(&result);
    QVERIFY(error);
    QCOMPARE(error->status, 400);
    QCOMPARE(error->type, QStringLiteral("bad_request"));
    QCOMPARE(error->code, code);
    QCOMPARE(error->param, param);
    QVERIFY2(error->message.contains(param), qPrintable(error->message));
}

void TestSandboxSchema::limitAndOffsetAreNotFilters()
{
    const auto result = parseFilters(
        SandboxSchema::opportunity(), QUrlQuery(QStringLiteral("limit=5&offset=10&$name=x")));
    QVERIFY(std::holds_alternative<QList<SandboxFilter>>(result));
    QCOMPARE(std::get<QList<SandboxFilter>>(result).size(), 1);
    const auto none = parseFilters(
        SandboxSchema::opportunity(), QUrlQuery(QStringLiteral("limit=abc&offset=x")));
    QVERIFY(std::holds_alternative<QList<SandboxFilter>>(none));
    QVERIFY(std::get<QList<SandboxFilter>>(none).isEmpty());
}

void TestSandboxSchema::percentEncodedKeysAndValuesAreDecoded()
{
    const QUrl url(QStringLiteral(
        "https://api.example/v1/opportunities?limit=25&%24stage%5Bequal%5D=opt_stage_discovery"
        "&%24amount%5BgreaterThanOrEqual%5D=10000&economicBuyer%5B-startsWith%5D=Zo%C3%AB"
        "&%24opportunity-account=acc_%2B1"));
    const auto result = parseFilters(SandboxSchema::opportunity(), QUrlQuery(url));
    QVERIFY(std::holds_alternative<QList<SandboxFilter>>(result));
    const QList<SandboxFilter> filters = std::get<QList<SandboxFilter>>(result);
    QCOMPARE(filters.size(), 4);
    QCOMPARE(filters.at(0).key, QStringLiteral("$stage"));
    QCOMPARE(filters.at(0).op, QStringLiteral("equal"));
    QCOMPARE(filters.at(1).key, QStringLiteral("$amount"));
    QCOMPARE(filters.at(1).op, QStringLiteral("greaterThanOrEqual"));
    QCOMPARE(filters.at(1).value, QStringLiteral("10000"));
    QCOMPARE(filters.at(2).key, QStringLiteral("economicBuyer"));
    QCOMPARE(filters.at(2).negate, true);
    QCOMPARE(filters.at(2).value, QStringLiteral("Zoë"));
    QCOMPARE(filters.at(3).value, QStringLiteral("acc_+1"));
}

void TestSandboxSchema::filtersMatchRecords_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("matches");

    const auto row = [](const char *fixture, const char *key, const char *value, bool matches) {
        QTest::addRow("%s: %s=%s", fixture, key, value)
            << QString::fromUtf8(fixture) << QString::fromUtf8(key) << QString::fromUtf8(value)
            << matches;
    };
    // TEXT
    row("full", "$name", "northwind – renewal fy27", true);
    row("full", "$name[equal]", "Northwind", false);
    row("full", "$name[-equal]", "Northwind – Renewal FY27", false);
    row("full", "$name[startsWith]", "NORTH", true);
    row("full", "$name[startsWith]", "", true);
    row("full", "$name[-startsWith]", "South", true);
    row("full", "$name[startsWith]", "Renewal", false);
    // CURRENCY and NUMBER
    row("full", "$amount", "48000.50", true);
    row("full", "$amount[equal]", "48000", false);
    row("full", "$amount[greaterThan]", "48000", true);
    row("full", "$amount[greaterThan]", "48000.5", false);
    row("full", "$amount[greaterThanOrEqual]", "48000.5", true);
    row("full", "$amount[lessThan]", "48001", true);
    row("full", "$amount[lessThanOrEqual]", "48000", false);
    row("full", "$amount[-greaterThan]", "50000", true);
    row("full", "arrEur[greaterThan]", "0", false);
    row("full", "arrEur[-greaterThan]", "0", true);
    row("full", "probability", "40", true);
    row("full", "probability[lessThan]", "40", false);
    row("full", "probability[-lessThan]", "40", true);
    // DATETIME
    row("full", "closeDate", "2026-09-30T00:00:00Z", true);
    row("full", "closeDate[greaterThan]", "2026-09-29T23:59:59.999Z", true);
    row("full", "closeDate[greaterThanOrEqual]", "2026-09-30", true);
    row("full", "closeDate[greaterThan]", "2026-09-30", false);
    row("full", "closeDate[lessThan]", "2026-09-30T02:00:00+02:00", false);
    row("full", "closeDate[lessThanOrEqual]", "2026-09-30T02:00:00+02:00", true);
    row("full", "closeDate[-lessThan]", "2026-10-01T00:00:00.000Z", false);
    row("empty", "closeDate[lessThan]", "2030-01-01T00:00:00.000Z", false);
    // CHECKBOX
    row("full", "isStrategic", "true", true);
    row("full", "isStrategic", "FALSE", false);
    row("full", "isStrategic[-equal]", "false", true);
    row("empty", "isStrategic", "false", true);
    row("empty", "isStrategic", "true", false);
    // SINGLE_SELECT
    row("full", "$stage", "Proposal", true);
    row("full", "$stage", "opt_stage_proposal", true);
    row("full", "$stage", "discovery", false);
    row("full", "$stage[-equal]", "Discovery", true);
    // EMAIL, TELEPHONE, URL
    row("full", "billingEmail[contains]", "AP@", true);
    row("full", "billingEmail", "northwind", true);
    row("full", "billingEmail[contains]", "acme", false);
    row("full", "billingEmail[-contains]", "acme", true);
    row("full", "billingEmail[contains]", "", true);
    row("empty", "billingEmail[contains]", "", false);
    row("full", "buyerPhones[contains]", "555", true);
    row("full", "buyerPhones[contains]", "ext=12", true);
    row("full", "buyerPhones[contains]", "+44", false);
    row("full", "dealRoom[contains]", "ROOMS.example", true);
    row("empty", "dealRoom[-contains]", "rooms", true);
    // ADDRESS, FULL_NAME, SOCIAL_HANDLE
    row("full", "deliveryAddress[startsWith]", "1 main st, austin", true);
    row("full", "deliveryAddress", "1 Main St, Austin, TX, 78701, US", true);
    row("full", "deliveryAddress[startsWith]", "Austin", false);
    row("empty", "deliveryAddress[startsWith]", "", false);
    row("full", "economicBuyer", "zoë brontë", true);
    row("full", "economicBuyer[startsWith]", "Zo", true);
    row("full", "economicBuyer[startsWith]", "Brontë", false);
    row("full", "buyerLinkedIn[startsWith]", "https://linkedin.com/in/zoe", true);
    row("empty", "buyerLinkedIn[startsWith]", "", false);
    row("empty", "buyerLinkedIn[-startsWith]", "", true);
    // Relationships
    row("full", "$opportunity-account", "acc_1", true);
    row("full", "$opportunity-account[contains]", "acc_2", false);
    row("full", "$opportunity-evaluator[contains]", "con_2", true);
    row("full", "$opportunity-evaluator", "con_2", true);
    row("full", "$opportunity-evaluator[-contains]", "con_2", false);
    row("full", "$opportunity-owner[-equal]", "mem_1", true);
    row("empty", "$opportunity-evaluator", "con_1", false);
}

void TestSandboxSchema::filtersMatchRecords()
{
    QFETCH(QString, fixture);
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(bool, matches);
    const SandboxSchema schema = SandboxSchema::opportunity();
    QUrlQuery query;
    query.addQueryItem(key, value);
    const auto parsed = parseFilters(schema, query);
    if (const auto *error = std::get_if<ApiError>(&parsed))
        QFAIL(qPrintable(error->message));
    QCOMPARE(matchesFilters(schema, fixtureRecord(fixture), std::get<QList<SandboxFilter>>(parsed)),
        matches);
}

void TestSandboxSchema::filtersAreAnded()
{
    const SandboxSchema schema = SandboxSchema::opportunity();
    const QJsonObject record = fixtureRecord(QStringLiteral("full"));
    const auto matches = [&](const char *queryText) {
        const auto parsed = parseFilters(schema, QUrlQuery(QString::fromUtf8(queryText)));
        return matchesFilters(schema, record, std::get<QList<SandboxFilter>>(parsed));
    };
    QVERIFY(matches("$amount[greaterThan]=1000&$stage=Proposal"));
    QVERIFY(!matches("$amount[greaterThan]=1000&$stage=Discovery"));
    QVERIFY(!matches("$amount[greaterThan]=100000&$stage=Proposal"));
    QVERIFY(matches("$amount[greaterThan]=1000&$amount[lessThan]=50000"));
    QVERIFY(!matches("$amount[greaterThan]=1000&$amount[-lessThan]=50000"));
    QVERIFY(matchesFilters(schema, record, {}));
}

QTEST_GUILESS_MAIN(TestSandboxSchema)
#include "tst_sandboxschema.moc"
