#include "sandboxseed.h"
#include "sandboxstore.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QtTest>

#include <ctime>
#include <memory>

namespace {

constexpr qint64 kDayMs = 24LL * 60 * 60 * 1000;

QString describe(const SandboxStore::Result &result)
{
    if (const auto *error = std::get_if<ApiError>(&result)) {
        return QStringLiteral("%1 %2 (%3): %4")
            .arg(error->status)
            .arg(error->code, error->param, error->message);
    }
    return QStringLiteral("success");
}

QString compact(const QJsonValue &value)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray {value}).toJson(QJsonDocument::Compact));
}

qint64 msOf(const QJsonValue &timestamp)
{
    return QDateTime::fromString(timestamp.toString(), Qt::ISODateWithMs).toMSecsSinceEpoch();
}

QJsonValue fieldValue(const QJsonObject &record, const QString &key)
{
    return record[QStringLiteral("fields")][key][QStringLiteral("value")];
}

QStringList relationshipIds(const QJsonObject &record, const QString &key)
{
    QStringList ids;
    const QJsonArray values
        = record[QStringLiteral("relationships")][key][QStringLiteral("values")].toArray();
    for (const QJsonValue &value : values)
        ids.append(value.toString());
    return ids;
}

QStringList idsOf(const QJsonObject &page)
{
    QStringList ids;
    const QJsonArray data = page[QStringLiteral("data")].toArray();
    for (const QJsonValue &record : data)
        ids.append(record[QStringLiteral("id")].toString());
    return ids;
}

bool hasNonLatin1(const QString &text)
{
    return std::any_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() > 0xFF; });
}

} // namespace

class TestSandboxStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();

    // Create
    void createReturnsTheFullReadShape();
    void createNormalizesValuesAndAcceptsLabels();
    void createAcceptsCreateOnlyRelationships();
    void opportunityStatusFollowsTheStage_data();
    void opportunityStatusFollowsTheStage();
    void createRejectsInvalidBodies_data();
    void createRejectsInvalidBodies();
    void errorMessagesNameTheKeyAndTheType();
    void failedWritesChangeNothing();
    void membersAndListsAreReadOnly_data();
    void membersAndListsAreReadOnly();

    // Update
    void updateChangesOnlyTheGivenKeys();
    void updateAppliesRelationshipOperations_data();
    void updateAppliesRelationshipOperations();
    void updateRejectsInvalidBodies_data();
    void updateRejectsInvalidBodies();
    void updateOfAnUnknownRecordIsNotFound();
    void updatedAtIncreasesStrictlyAcrossWrites();
    void accountOpportunitiesFollowTheOpportunityAccount();
    void accountContactsStayInStepWithContactAccount();
    void addressUpdateMergesOrReplaces_data();
    void addressUpdateMergesOrReplaces();
    void accountOnUpdateFollowsTheSwitch_data();
    void accountOnUpdateFollowsTheSwitch();

    // Read
    void retrieveReturnsTheCurrentRecord();
    void listPaginationBounds_data();
    void listPaginationBounds();
    void listPagesWalkEveryRecordOnceInCreationOrder();
    void listAppliesFilters_data();
    void listAppliesFilters();
    void listOrderServesNewestFirstOrAStableShuffle();
    void placeAtHeadListsARecordFirstInEveryOrder();
    void offsetsPastTheCapAreRefused();
    void listOfAnUnknownTypeIsNotFound();
    void indexLagHidesRecordsCreatedWithinTheWindow();
    void indexLagListsTheVersionFromLagAgo();
    void versionsBeyondTheHorizonArePruned_data();
    void versionsBeyondTheHorizonArePruned();
    void listOpportunitiesInListPagesTheMembers();
    void listOpportunitiesInListRejectsOtherLists();
    void listReadShapeHidesMembership();

    // Ids, seeding, persistence
    void generatedIdsAreReproducibleForASeed();
    void insertRecordKeepsOrAssignsIdAndTimestamps();
    void snapshotRoundTripRestoresEverything();
    void loadJsonRejectsMalformedSnapshots_data();
    void loadJsonRejectsMalformedSnapshots();
    void seedIsDeterministic();
    void seedCountsFollowTheOptions_data();
    void seedCountsFollowTheOptions();
    void seededRecordsAreValidAndConsistent();
    void seedCoversEveryValueTypeWithRealisticValues();
    void seedListsHaveMembers();
    void seedScalesToOneHundredThousandOpportunities();

private:
    QJsonObject body(QString text) const;
    QJsonObject mustCreate(const QString &objectType, const QString &bodyText);
    QString createOpportunity(const QString &name, double amount, const QString &stage);

    SandboxClock m_clock;
    std::unique_ptr<SandboxStore> m_store;
    QHash<QString, QString> m_ids; ///< ACC_A, ACC_B, MEM_1, MEM_2, CON_1…CON_30
};

void TestSandboxStore::init()
{
    m_clock = SandboxClock();
    m_store = std::make_unique<SandboxStore>(&m_clock, 42);
    m_ids.clear();
    for (int i = 1; i <= 2; ++i) {
        const auto field = [](const char *valueType, const QJsonValue &value) {
            return QJsonObject {{QStringLiteral("valueType"), QString::fromUtf8(valueType)},
                {QStringLiteral("value"), value}};
        };
        const QJsonObject fields {{QStringLiteral("$email"),
                                      field("EMAIL", QStringLiteral("m%1@sandbox.example").arg(i))},
            {QStringLiteral("$name"),
                field("FULL_NAME",
                    QJsonObject {{QStringLiteral("firstName"), QStringLiteral("M%1").arg(i)},
                        {QStringLiteral("lastName"), QJsonValue()}})},
            {QStringLiteral("$profileImage"), field("URL", QJsonValue())},
            {QStringLiteral("$role"), field("TEXT", QStringLiteral("Account Executive"))}};
        const QString id = m_store->insertRecord(QStringLiteral("member"),
            {{QStringLiteral("fields"), fields}, {QStringLiteral("relationships"), QJsonObject()}});
        m_ids.insert(QStringLiteral("MEM_%1").arg(i), id);
    }
    m_ids.insert(QStringLiteral("ACC_A"),
        mustCreate(QStringLiteral("account"),
            QStringLiteral("{\"fields\": {\"$name\": \"Northwind\"}}"))[QStringLiteral("id")]
            .toString());
    m_ids.insert(QStringLiteral("ACC_B"),
        mustCreate(QStringLiteral("account"),
            QStringLiteral("{\"fields\": {\"$name\": \"Globex\"}}"))[QStringLiteral("id")]
            .toString());
    for (int i = 1; i <= 30; ++i) {
        const QString id = mustCreate(QStringLiteral("contact"),
            QStringLiteral("{\"fields\": {\"$name\": {\"firstName\": \"C%1\"}}}")
                .arg(i))[QStringLiteral("id")]
                               .toString();
        m_ids.insert(QStringLiteral("CON_%1").arg(i), id);
    }
}

/// Parses a JSON object after replacing @ACC_A, @MEM_1, @CON_7 … with quoted ids and @CONS_26
/// with an array of 26 contact ids.
QJsonObject TestSandboxStore::body(QString text) const
{
    QStringList many;
    for (int i = 1; i <= 26; ++i)
        many.append(
            QLatin1Char('"') + m_ids.value(QStringLiteral("CON_%1").arg(i)) + QLatin1Char('"'));
    text.replace(QStringLiteral("@CONS_26"),
        QLatin1Char('[') + many.join(QLatin1Char(',')) + QLatin1Char(']'));
    // Longest tokens first, so @CON_1 does not eat the start of @CON_12.
    QStringList tokens = m_ids.keys();
    std::sort(tokens.begin(), tokens.end(),
        [](const QString &a, const QString &b) { return a.size() > b.size(); });
    for (const QString &token : std::as_const(tokens))
        text.replace(
            QLatin1Char('@') + token, QLatin1Char('"') + m_ids.value(token) + QLatin1Char('"'));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (!document.isObject())
        qFatal("bad JSON body in test: %s", qPrintable(text));
    return document.object();
}

QJsonObject TestSandboxStore::mustCreate(const QString &objectType, const QString &bodyText)
{
    const auto result = m_store->create(objectType, body(bodyText));
    if (const auto *error = std::get_if<ApiError>(&result))
        qFatal("create failed: %s", qPrintable(error->message));
    return std::get<QJsonObject>(result);
}

QString TestSandboxStore::createOpportunity(
    const QString &name, double amount, const QString &stage)
{
    QJsonObject request = body(QStringLiteral("{\"relationships\": {\"$account\": @ACC_A}}"));
    request.insert(QStringLiteral("fields"),
        QJsonObject {{QStringLiteral("$name"), name}, {QStringLiteral("$amount"), amount},
            {QStringLiteral("$stage"), stage}});
    const auto result = m_store->create(QStringLiteral("opportunity"), request);
    if (const auto *error = std::get_if<ApiError>(&result))
        qFatal("create failed: %s", qPrintable(error->message));
    return std::get<QJsonObject>(result)[QStringLiteral("id")].toString();
}

void TestSandboxStore::createReturnsTheFullReadShape()
{
    const qint64 before = m_clock.nowMs();
    const QJsonObject record = mustCreate(QStringLiteral("opportunity"),
        QStringLiteral("{\"fields\": {\"$name\": \"Northwind – FY27\", \"$stage\": "
                       "\"opt_stage_discovery\"}, \"relationships\": {\"$account\": @ACC_A}}"));
    QCOMPARE(record.keys(),
        QStringList({QStringLiteral("createdAt"), QStringLiteral("externalId"),
            QStringLiteral("fields"), QStringLiteral("httpLink"), QStringLiteral("id"),
            QStringLiteral("relationships"), QStringLiteral("updatedAt")}));
    const QString id = record[QStringLiteral("id")].toString();
    QVERIFY2(QRegularExpression(QStringLiteral("^opp_[0-9A-Za-z]{12}$")).match(id).hasMatch(),
        qPrintable(id));
    QCOMPARE(record[QStringLiteral("httpLink")].toString(),
        QStringLiteral("https://crm.lightfield.app/crm/opportunities/") + id);
    QVERIFY(record[QStringLiteral("externalId")].isNull());
    const QRegularExpression iso(
        QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$"));
    QVERIFY(iso.match(record[QStringLiteral("createdAt")].toString()).hasMatch());
    QCOMPARE(record[QStringLiteral("updatedAt")], record[QStringLiteral("createdAt")]);
    QVERIFY(msOf(record[QStringLiteral("createdAt")]) >= before);
    // Writes within one millisecond are spread a millisecond apart, so the write clock may run
    // a little ahead of the wall clock after init()'s 32 writes.
    QVERIFY(msOf(record[QStringLiteral("createdAt")]) <= m_clock.nowMs() + 100);

    const SandboxSchema &schema = m_store->schema(QStringLiteral("opportunity"));
    const QJsonObject fields = record[QStringLiteral("fields")].toObject();
    QCOMPARE(fields.size(), schema.fields.size());
    for (const SandboxFieldDef &def : schema.fields) {
        const QJsonObject field = fields[def.key].toObject();
        QCOMPARE(field.keys(), QStringList({QStringLiteral("value"), QStringLiteral("valueType")}));
        QCOMPARE(field[QStringLiteral("valueType")].toString(), def.valueType);
    }
    QCOMPARE(
        fieldValue(record, QStringLiteral("$name")).toString(), QStringLiteral("Northwind – FY27"));
    QCOMPARE(fieldValue(record, QStringLiteral("$opportunityStatus")).toString(),
        QStringLiteral("opt_status_open"));
    QVERIFY(fieldValue(record, QStringLiteral("$amount")).isNull());
    QVERIFY(fieldValue(record, QStringLiteral("competitors")).isNull());

    const QJsonObject relationships = record[QStringLiteral("relationships")].toObject();
    QCOMPARE(relationships.size(), schema.relationships.size());
    for (const SandboxRelationshipDef &def : schema.relationships) {
        const QJsonObject rel = relationships[def.key].toObject();
        QCOMPARE(rel[QStringLiteral("cardinality")].toString(), def.cardinality);
        QCOMPARE(rel[QStringLiteral("objectType")].toString(), def.objectType);
        QVERIFY(rel[QStringLiteral("values")].isArray());
    }
    QCOMPARE(relationshipIds(record, QStringLiteral("$account")),
        QStringList {m_ids.value(QStringLiteral("ACC_A"))});
    QVERIFY(relationshipIds(record, QStringLiteral("$task")).isEmpty());

    QCOMPARE(m_store->retrieve(QStringLiteral("opportunity"), id), record);
    QCOMPARE(m_store->count(QStringLiteral("opportunity")), 1);
}

void TestSandboxStore::createNormalizesValuesAndAcceptsLabels()
{
    const QJsonObject record = mustCreate(QStringLiteral("opportunity"),
        QStringLiteral(
            "{\"fields\": {\"$name\": \"Deal\", \"$stage\": \"closed won\", "
            "\"closeDate\": \"2026-09-30T19:00:00+02:00\", \"buyerPhones\": [\"512 555 0100 x7\"], "
            "\"competitors\": [\"HubSpot\", \"hubspot\", \"Attio\"], \"billingEmail\": "
            "\"ap@x.example\", \"deliveryAddress\": {\"city\": \"Zürich\", \"country\": \"ch\"}}, "
            "\"relationships\": {\"$account\": [@ACC_A], \"$evaluator\": [@CON_1, @CON_2, "
            "@CON_1]}}"));
    QCOMPARE(fieldValue(record, QStringLiteral("$stage")).toString(),
        QStringLiteral("opt_stage_closed_won"));
    QCOMPARE(fieldValue(record, QStringLiteral("$opportunityStatus")).toString(),
        QStringLiteral("opt_status_won"));
    QCOMPARE(fieldValue(record, QStringLiteral("closeDate")).toString(),
        QStringLiteral("2026-09-30T17:00:00.000Z"));
    QCOMPARE(compact(fieldValue(record, QStringLiteral("buyerPhones"))),
        QStringLiteral("[[\"+15125550100;ext=7\"]]"));
    QCOMPARE(compact(fieldValue(record, QStringLiteral("competitors"))),
        QStringLiteral("[[\"opt_competitors_hubspot\",\"opt_competitors_attio\"]]"));
    QCOMPARE(compact(fieldValue(record, QStringLiteral("billingEmail"))),
        QStringLiteral("[[\"ap@x.example\"]]"));
    QCOMPARE(
        fieldValue(record, QStringLiteral("deliveryAddress"))[QStringLiteral("country")].toString(),
        QStringLiteral("CH"));
    QCOMPARE(relationshipIds(record, QStringLiteral("$evaluator")),
        QStringList({m_ids.value(QStringLiteral("CON_1")), m_ids.value(QStringLiteral("CON_2"))}));
}

void TestSandboxStore::createAcceptsCreateOnlyRelationships()
{
    const QJsonObject record = mustCreate(QStringLiteral("opportunity"),
        QStringLiteral("{\"fields\": {\"$name\": \"Deal\", \"$stage\": \"Proposal\"}, "
                       "\"relationships\": {\"$account\": @ACC_A, \"$createdBy\": @MEM_1, "
                       "\"$owner\": @MEM_2}}"));
    QCOMPARE(relationshipIds(record, QStringLiteral("$createdBy")),
        QStringList {m_ids.value(QStringLiteral("MEM_1"))});
    QCOMPARE(relationshipIds(record, QStringLiteral("$owner")),
        QStringList {m_ids.value(QStringLiteral("MEM_2"))});
}

void TestSandboxStore::opportunityStatusFollowsTheStage_data()
{
    QTest::addColumn<QString>("stage");
    QTest::addColumn<QString>("status");
    QTest::newRow("Prospecting") << QStringLiteral("Prospecting")
                                 << QStringLiteral("opt_status_open");
    QTest::newRow("Discovery") << QStringLiteral("Discovery") << QStringLiteral("opt_status_open");
    QTest::newRow("Proposal") << QStringLiteral("Proposal") << QStringLiteral("opt_status_open");
    QTest::newRow("Negotiation") << QStringLiteral("Negotiation")
                                 << QStringLiteral("opt_status_open");
    QTest::newRow("Closed Won") << QStringLiteral("Closed Won") << QStringLiteral("opt_status_won");
    QTest::newRow("Closed Lost") << QStringLiteral("opt_stage_closed_lost")
                                 << QStringLiteral("opt_status_lost");
}

void TestSandboxStore::opportunityStatusFollowsTheStage()
{
    QFETCH(QString, stage);
    QFETCH(QString, status);
    const QString id = createOpportunity(QStringLiteral("Deal"), 1000, stage);
    QCOMPARE(fieldValue(*m_store->retrieve(QStringLiteral("opportunity"), id),
                 QStringLiteral("$opportunityStatus"))
                 .toString(),
        status);

    // And on update, from a stage with another status.
    const QString other = status == QLatin1String("opt_status_won") ? QStringLiteral("Closed Lost")
                                                                    : QStringLiteral("Closed Won");
    const QString second = createOpportunity(QStringLiteral("Deal 2"), 1000, other);
    const auto updated = m_store->update(QStringLiteral("opportunity"), second,
        QJsonObject {{QStringLiteral("fields"), QJsonObject {{QStringLiteral("$stage"), stage}}}});
    QVERIFY2(std::holds_alternative<QJsonObject>(updated), qPrintable(describe(updated)));
    QCOMPARE(
        fieldValue(std::get<QJsonObject>(updated), QStringLiteral("$opportunityStatus")).toString(),
        status);
}

void TestSandboxStore::createRejectsInvalidBodies_data()
{
    QTest::addColumn<QString>("objectType");
    QTest::addColumn<QString>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("param");

    const auto row = [](const char *name, const char *type, const char *body, int status,
                         const char *code, const char *param) {
        QTest::newRow(name) << QString::fromUtf8(type) << QString::fromUtf8(body) << status
                            << QString::fromUtf8(code) << QString::fromUtf8(param);
    };
    row("unknown top-level key", "opportunity", "{\"fields\": {\"$name\": \"Deal\"}, \"extra\": 1}",
        400, "unknown_field", "extra");
    row("fields not an object", "opportunity", "{\"fields\": []}", 400, "invalid_type", "fields");
    row("relationships not an object", "opportunity", "{\"relationships\": \"acc\"}", 400,
        "invalid_type", "relationships");
    row("unknown field", "opportunity",
        "{\"fields\": {\"$name\": \"Deal\", \"$stage\": \"Discovery\", \"foo\": 1}, "
        "\"relationships\": {\"$account\": @ACC_A}}",
        400, "unknown_field", "fields.foo");
    row("unknown field before missing required", "opportunity", "{\"fields\": {\"foo\": 1}}", 400,
        "unknown_field", "fields.foo");
    row("read-only field", "opportunity",
        "{\"fields\": {\"$name\": \"Deal\", \"$stage\": \"Discovery\", \"$summary\": \"x\"}, "
        "\"relationships\": {\"$account\": @ACC_A}}",
        400, "read_only_field", "fields.$summary");
    row("derived status", "opportunity", "{\"fields\": {\"$opportunityStatus\": \"Won\"}}", 400,
        "read_only_field", "fields.$opportunityStatus");
    row("read-only account field", "account",
        "{\"fields\": {\"$name\": \"A\", \"$accountStatus\": \"Customer\"}}", 400,
        "read_only_field", "fields.$accountStatus");
    row("invalid value", "opportunity",
        "{\"fields\": {\"$name\": \"Deal\", \"$stage\": \"Discovery\", \"$amount\": \"lots\"}, "
        "\"relationships\": {\"$account\": @ACC_A}}",
        400, "invalid_type", "fields.$amount");
    row("null required field", "opportunity",
        "{\"fields\": {\"$name\": null, \"$stage\": \"Discovery\"}, "
        "\"relationships\": {\"$account\": @ACC_A}}",
        400, "parameter_missing", "fields.$name");
    row("field errors before relationship errors", "opportunity",
        "{\"fields\": {\"$amount\": \"x\"}, \"relationships\": {\"$nope\": @ACC_A}}", 400,
        "invalid_type", "fields.$amount");
    row("unknown relationship", "opportunity",
        "{\"fields\": {\"$name\": \"Deal\", \"$stage\": \"Discovery\"}, "
        "\"relationships\": {\"$account\": @ACC_A, \"$partner\": @ACC_B}}",
        400, "unknown_relationship", "relationships.$partner");
    row("read-only relationship", "opportunity",
        "{\"fields\": {\"$name\": \"Deal\", \"$stage\": \"Discovery\"}, "
        "\"relationships\": {\"$account\": @ACC_A, \"$task\": []}}",
        400, "read_only_relationship", "relationships.$task");
    row("read-only account relationship", "account",
        "{\"fields\": {\"$name\": \"A\"}, \"relationships\": {\"$opportunity\": []}}", 400,
        "read_only_relationship", "relationships.$opportunity");
    row("relationship value a number", "opportunity",
        "{\"fields\": {\"$name\": \"Deal\", \"$stage\": \"Discovery\"}, "
        "\"relationships\": {\"$account\": @ACC_A, \"$owner\": 42}}",
        400, "invalid_type", "relationships.$owner");
    row("relationship value an operation", "opportunity",
        "{\"fields\": {\"$name\": \"Deal\", \"$stage\": \"Discovery\"}, "
        "\"relationships\": {\"$account\": {\"replace\": @ACC_A}}}",
        400, "invalid_type", "relationships.$account");
    row("relationship array with a number", "opportunity",
        "{\"fields\": {\"$name\": \"Deal\", \"$stage\": \"Discovery\"}, "
        "\"relationships\": {\"$account\": @ACC_A, \"$evaluator\": [@CON_1, 7]}}",
        400, "invalid_type", "relationships.$evaluator");
    row("HAS_ONE with two ids", "opportunity",
        "{\"fields\": {\"$name\": \"Deal\", \"$stage\": \"Discovery\"}, "
        "\"relationships\": {\"$account\": @ACC_A, \"$owner\": [@MEM_1, @MEM_2]}}",
        400, "invalid_type", "relationships.$owner");
    row("missing entity", "opportunity",
        "{\"fields\": {\"$name\": \"Deal\", \"$stage\": \"Discovery\"}, "
        "\"relationships\": {\"$account\": @ACC_A, \"$owner\": \"mem_doesnotexist\"}}",
        400, "relationship_entity_missing", "relationships.$owner");
    row("entity of the wrong type", "opportunity",
        "{\"fields\": {\"$name\": \"Deal\", \"$stage\": \"Discovery\"}, "
        "\"relationships\": {\"$account\": @CON_1}}",
        400, "relationship_entity_missing", "relationships.$account");
    row("more than 25 ids", "opportunity",
        "{\"fields\": {\"$name\": \"Deal\", \"$stage\": \"Discovery\"}, "
        "\"relationships\": {\"$account\": @ACC_A, \"$evaluator\": @CONS_26}}",
        422, "relationship_write_limit_exceeded", "");
    row("missing $name", "opportunity",
        "{\"fields\": {\"$stage\": \"Discovery\"}, \"relationships\": {\"$account\": @ACC_A}}", 400,
        "parameter_missing", "fields.$name");
    row("missing $stage", "opportunity",
        "{\"fields\": {\"$name\": \"Deal\"}, \"relationships\": {\"$account\": @ACC_A}}", 400,
        "parameter_missing", "fields.$stage");
    row("missing $account", "opportunity",
        "{\"fields\": {\"$name\": \"Deal\", \"$stage\": \"Discovery\"}}", 400, "parameter_missing",
        "relationships.$account");
    row("empty $account", "opportunity",
        "{\"fields\": {\"$name\": \"Deal\", \"$stage\": \"Discovery\"}, "
        "\"relationships\": {\"$account\": []}}",
        400, "parameter_missing", "relationships.$account");
    row("empty body", "opportunity", "{}", 400, "parameter_missing", "fields.$name");
    row("account without $name", "account", "{\"fields\": {\"twitter\": null}}", 400,
        "parameter_missing", "fields.$name");
    row("contact without $name", "contact", "{\"relationships\": {\"$account\": @ACC_A}}", 400,
        "parameter_missing", "fields.$name");
    row("contact name as a string", "contact", "{\"fields\": {\"$name\": \"Ana Ruiz\"}}", 400,
        "invalid_type", "fields.$name");
    row("unknown object type", "widget", "{}", 404, "", "");
}

void TestSandboxStore::createRejectsInvalidBodies()
{
    QFETCH(QString, objectType);
    QFETCH(QString, body);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QString, param);
    const int before = m_store->count(objectType);
    const auto result = m_store->create(objectType, this->body(body));
    const auto *error = std::get_if<ApiError>(&result);
    QVERIFY2(error, "accepted");
    QCOMPARE(error->status, status);
    QCOMPARE(error->type,
        status == 404       ? QStringLiteral("not_found")
            : status == 422 ? QStringLiteral("unprocessable_content")
                            : QStringLiteral("bad_request"));
    QCOMPARE(error->code, code);
    QCOMPARE(error->param, param);
    QVERIFY(!error->message.isEmpty());
    QCOMPARE(m_store->count(objectType), before);
}

void TestSandboxStore::errorMessagesNameTheKeyAndTheType()
{
    const auto messageOf = [this](const QString &type, const QString &text) {
        const auto result = m_store->create(type, body(text));
        return std::get<ApiError>(result).message;
    };
    QCOMPARE(messageOf(QStringLiteral("opportunity"), QStringLiteral("{\"fields\": {\"foo\": 1}}")),
        QStringLiteral("Unrecognized field 'foo' for 'opportunities'."));
    QCOMPARE(messageOf(QStringLiteral("account"),
                 QStringLiteral("{\"relationships\": {\"$champion\": []}}")),
        QStringLiteral("Unrecognized relationship '$champion' for 'accounts'."));
    QVERIFY(messageOf(QStringLiteral("opportunity"),
        QStringLiteral("{\"fields\": {\"$name\": \"D\", \"$stage\": \"Proposal\"}, "
                       "\"relationships\": {\"$account\": \"acc_nope\"}}"))
                .contains(QLatin1String("'acc_nope'")));
}

void TestSandboxStore::failedWritesChangeNothing()
{
    const QString id = createOpportunity(QStringLiteral("Deal"), 5000, QStringLiteral("Proposal"));
    const QJsonObject before = *m_store->retrieve(QStringLiteral("opportunity"), id);
    const QJsonObject account
        = *m_store->retrieve(QStringLiteral("account"), m_ids.value(QStringLiteral("ACC_A")));
    // The field is valid, the relationship is not: nothing of the request may stick.
    const auto result = m_store->update(QStringLiteral("opportunity"), id,
        body(QStringLiteral("{\"fields\": {\"$amount\": 9}, \"relationships\": {\"$account\": "
                            "{\"replace\": \"acc_missing\"}}}")));
    QVERIFY(std::holds_alternative<ApiError>(result));
    QCOMPARE(*m_store->retrieve(QStringLiteral("opportunity"), id), before);
    QCOMPARE(*m_store->retrieve(QStringLiteral("account"), m_ids.value(QStringLiteral("ACC_A"))),
        account);
    QCOMPARE(m_store->count(QStringLiteral("opportunity")), 1);
}

void TestSandboxStore::membersAndListsAreReadOnly_data()
{
    QTest::addColumn<QString>("objectType");
    QTest::newRow("member") << QStringLiteral("member");
    QTest::newRow("list") << QStringLiteral("list");
}

void TestSandboxStore::membersAndListsAreReadOnly()
{
    QFETCH(QString, objectType);
    const int before = m_store->count(objectType);
    const auto created = m_store->create(objectType, {});
    QVERIFY(std::holds_alternative<ApiError>(created));
    QCOMPARE(std::get<ApiError>(created).status, 400);
    QCOMPARE(m_store->count(objectType), before);
    const QString existing = objectType == QLatin1String("member")
        ? m_ids.value(QStringLiteral("MEM_1"))
        : m_store->insertRecord(QStringLiteral("list"), {});
    const auto updated = m_store->update(objectType, existing, {});
    QVERIFY(std::holds_alternative<ApiError>(updated));
    QCOMPARE(std::get<ApiError>(updated).status, 400);
}

void TestSandboxStore::updateChangesOnlyTheGivenKeys()
{
    const QString id = createOpportunity(QStringLiteral("Deal"), 5000, QStringLiteral("Proposal"));
    const QJsonObject before = *m_store->retrieve(QStringLiteral("opportunity"), id);
    m_clock.advance(10);
    const qint64 writtenNoEarlierThan = m_clock.nowMs();
    const auto result = m_store->update(QStringLiteral("opportunity"), id,
        body(QStringLiteral("{\"fields\": {\"$amount\": 7500.25, \"nextSteps\": \"Call\"}, "
                            "\"relationships\": {\"$owner\": {\"replace\": @MEM_1}}}")));
    QVERIFY2(std::holds_alternative<QJsonObject>(result), qPrintable(describe(result)));
    const QJsonObject after = std::get<QJsonObject>(result);
    QCOMPARE(after, *m_store->retrieve(QStringLiteral("opportunity"), id));
    QCOMPARE(fieldValue(after, QStringLiteral("$amount")).toDouble(), 7500.25);
    QCOMPARE(fieldValue(after, QStringLiteral("nextSteps")).toString(), QStringLiteral("Call"));
    QCOMPARE(relationshipIds(after, QStringLiteral("$owner")),
        QStringList {m_ids.value(QStringLiteral("MEM_1"))});
    QCOMPARE(after[QStringLiteral("createdAt")], before[QStringLiteral("createdAt")]);
    QVERIFY(msOf(after[QStringLiteral("updatedAt")]) > msOf(before[QStringLiteral("updatedAt")]));
    QVERIFY(msOf(after[QStringLiteral("updatedAt")]) >= writtenNoEarlierThan);

    // Everything not named in the request is as it was.
    QJsonObject fieldsBefore = before[QStringLiteral("fields")].toObject();
    QJsonObject fieldsAfter = after[QStringLiteral("fields")].toObject();
    for (const QString &key : {QStringLiteral("$amount"), QStringLiteral("nextSteps")}) {
        fieldsBefore.remove(key);
        fieldsAfter.remove(key);
    }
    QCOMPARE(fieldsAfter, fieldsBefore);
    QCOMPARE(relationshipIds(after, QStringLiteral("$account")),
        relationshipIds(before, QStringLiteral("$account")));

    // Explicit null clears an optional field.
    const auto cleared = m_store->update(QStringLiteral("opportunity"), id,
        body(QStringLiteral("{\"fields\": {\"$amount\": null}}")));
    QVERIFY(fieldValue(std::get<QJsonObject>(cleared), QStringLiteral("$amount")).isNull());
    QCOMPARE(fieldValue(std::get<QJsonObject>(cleared), QStringLiteral("nextSteps")).toString(),
        QStringLiteral("Call"));
}

void TestSandboxStore::updateAppliesRelationshipOperations_data()
{
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QStringList>("expected");
    const auto ids = [](std::initializer_list<int> numbers) {
        QStringList out;
        for (int n : numbers)
            out.append(QStringLiteral("CON_%1").arg(n));
        return out;
    };
    // The evaluators start as CON_1, CON_2.
    QTest::newRow("add one") << QStringLiteral("{\"add\": @CON_3}") << ids({1, 2, 3});
    QTest::newRow("add several") << QStringLiteral("{\"add\": [@CON_4, @CON_3]}")
                                 << ids({1, 2, 4, 3});
    QTest::newRow("add an existing id") << QStringLiteral("{\"add\": [@CON_2]}") << ids({1, 2});
    QTest::newRow("remove one") << QStringLiteral("{\"remove\": @CON_1}") << ids({2});
    QTest::newRow("remove all") << QStringLiteral("{\"remove\": [@CON_1, @CON_2]}") << ids({});
    QTest::newRow("remove an absent id")
        << QStringLiteral("{\"remove\": \"con_gone\"}") << ids({1, 2});
    QTest::newRow("replace") << QStringLiteral("{\"replace\": [@CON_5, @CON_6]}") << ids({5, 6});
    QTest::newRow("replace with one id") << QStringLiteral("{\"replace\": @CON_7}") << ids({7});
    QTest::newRow("replace with []") << QStringLiteral("{\"replace\": []}") << ids({});
    QTest::newRow("replace with null") << QStringLiteral("{\"replace\": null}") << ids({});
}

void TestSandboxStore::updateAppliesRelationshipOperations()
{
    QFETCH(QString, operation);
    QFETCH(QStringList, expected);
    const QString id = mustCreate(QStringLiteral("opportunity"),
        QStringLiteral("{\"fields\": {\"$name\": \"D\", \"$stage\": "
                       "\"Proposal\"}, \"relationships\": {\"$account\": "
                       "@ACC_A, \"$evaluator\": [@CON_1, @CON_2]}}"))[QStringLiteral("id")]
                           .toString();
    const auto result = m_store->update(QStringLiteral("opportunity"), id,
        body(QStringLiteral("{\"relationships\": {\"$evaluator\": %1}}").arg(operation)));
    QVERIFY2(std::holds_alternative<QJsonObject>(result), qPrintable(describe(result)));
    QStringList expectedIds;
    for (const QString &token : std::as_const(expected))
        expectedIds.append(m_ids.value(token));
    QCOMPARE(
        relationshipIds(std::get<QJsonObject>(result), QStringLiteral("$evaluator")), expectedIds);
}

void TestSandboxStore::updateRejectsInvalidBodies_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("param");

    const auto row
        = [](const char *name, const char *body, int status, const char *code, const char *param) {
              QTest::newRow(name) << QString::fromUtf8(body) << status << QString::fromUtf8(code)
                                  << QString::fromUtf8(param);
          };
    row("unknown top-level key", "{\"field\": {}}", 400, "unknown_field", "field");
    row("fields not an object", "{\"fields\": 5}", 400, "invalid_type", "fields");
    row("unknown field", "{\"fields\": {\"amount\": 5}}", 400, "unknown_field", "fields.amount");
    row("read-only field", "{\"fields\": {\"$lastInteractionAt\": \"2026-01-01T00:00:00Z\"}}", 400,
        "read_only_field", "fields.$lastInteractionAt");
    row("required field nulled", "{\"fields\": {\"$name\": null}}", 400, "parameter_missing",
        "fields.$name");
    row("stage nulled", "{\"fields\": {\"$stage\": null}}", 400, "parameter_missing",
        "fields.$stage");
    row("invalid value", "{\"fields\": {\"closeDate\": \"soon\"}}", 400, "invalid_type",
        "fields.closeDate");
    row("unknown relationship", "{\"relationships\": {\"$contact\": {\"add\": @CON_1}}}", 400,
        "unknown_relationship", "relationships.$contact");
    row("read-only relationship", "{\"relationships\": {\"$note\": {\"add\": \"n_1\"}}}", 400,
        "read_only_relationship", "relationships.$note");
    row("create-only relationship", "{\"relationships\": {\"$createdBy\": {\"replace\": @MEM_2}}}",
        400, "read_only_relationship", "relationships.$createdBy");
    row("bare id instead of an operation", "{\"relationships\": {\"$owner\": @MEM_1}}", 400,
        "invalid_type", "relationships.$owner");
    row("two operations",
        "{\"relationships\": {\"$evaluator\": {\"add\": @CON_3, \"remove\": "
        "@CON_1}}}",
        400, "invalid_type", "relationships.$evaluator");
    row("unknown operation", "{\"relationships\": {\"$evaluator\": {\"set\": [@CON_3]}}}", 400,
        "invalid_type", "relationships.$evaluator");
    row("empty operation", "{\"relationships\": {\"$evaluator\": {}}}", 400, "invalid_type",
        "relationships.$evaluator");
    row("add null", "{\"relationships\": {\"$evaluator\": {\"add\": null}}}", 400, "invalid_type",
        "relationships.$evaluator");
    row("operand a number", "{\"relationships\": {\"$evaluator\": {\"add\": 3}}}", 400,
        "invalid_type", "relationships.$evaluator");
    row("required relationship emptied", "{\"relationships\": {\"$account\": {\"replace\": []}}}",
        400, "parameter_missing", "relationships.$account");
    row("required relationship nulled", "{\"relationships\": {\"$account\": {\"replace\": null}}}",
        400, "parameter_missing", "relationships.$account");
    row("required relationship removed",
        "{\"relationships\": {\"$account\": {\"remove\": @ACC_A}}}", 400, "parameter_missing",
        "relationships.$account");
    row("second id on HAS_ONE", "{\"relationships\": {\"$owner\": {\"add\": @MEM_2}}}", 400,
        "invalid_type", "relationships.$owner");
    row("missing entity", "{\"relationships\": {\"$champion\": {\"add\": \"con_gone\"}}}", 400,
        "relationship_entity_missing", "relationships.$champion");
    row("more than 25 ids", "{\"relationships\": {\"$evaluator\": {\"add\": @CONS_26}}}", 422,
        "relationship_write_limit_exceeded", "");
    row("25 ids across keys plus one",
        "{\"relationships\": {\"$evaluator\": {\"replace\": @CONS_26}, \"$owner\": {\"remove\": "
        "@MEM_1}}}",
        422, "relationship_write_limit_exceeded", "");
}

void TestSandboxStore::updateRejectsInvalidBodies()
{
    QFETCH(QString, body);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QString, param);
    const QString id = mustCreate(QStringLiteral("opportunity"),
        QStringLiteral("{\"fields\": {\"$name\": \"D\", \"$stage\": "
                       "\"Proposal\"}, \"relationships\": {\"$account\": "
                       "@ACC_A, \"$owner\": @MEM_1, \"$evaluator\": "
                       "[@CON_1, @CON_2]}}"))[QStringLiteral("id")]
                           .toString();
    const QJsonObject before = *m_store->retrieve(QStringLiteral("opportunity"), id);
    const auto result = m_store->update(QStringLiteral("opportunity"), id, this->body(body));
    const auto *error = std::get_if<ApiError>(&result);
    QVERIFY2(error, "accepted");
    QCOMPARE(error->status, status);
    QCOMPARE(error->code, code);
    QCOMPARE(error->param, param);
    QCOMPARE(*m_store->retrieve(QStringLiteral("opportunity"), id), before);
}

void TestSandboxStore::updateOfAnUnknownRecordIsNotFound()
{
    for (const auto &[type, id] :
        {std::pair {QStringLiteral("opportunity"), QStringLiteral("opp_doesnotexist")},
            std::pair {QStringLiteral("opportunity"), m_ids.value(QStringLiteral("ACC_A"))},
            std::pair {QStringLiteral("widget"), QStringLiteral("w_1")}}) {
        const auto result = m_store->update(type, id, {});
        const auto *error = std::get_if<ApiError>(&result);
        QVERIFY(error);
        QCOMPARE(error->status, 404);
        QCOMPARE(error->type, QStringLiteral("not_found"));
    }
}

void TestSandboxStore::updatedAtIncreasesStrictlyAcrossWrites()
{
    const QString first = createOpportunity(QStringLiteral("A"), 1000, QStringLiteral("Proposal"));
    const QString second = createOpportunity(QStringLiteral("B"), 1000, QStringLiteral("Proposal"));
    qint64 previous = msOf(
        (*m_store->retrieve(QStringLiteral("opportunity"), second))[QStringLiteral("updatedAt")]);
    // Far more writes than milliseconds pass: every one still gets a later timestamp.
    for (int i = 0; i < 200; ++i) {
        const auto result = m_store->update(QStringLiteral("opportunity"), i % 2 ? first : second,
            QJsonObject {
                {QStringLiteral("fields"), QJsonObject {{QStringLiteral("probability"), i}}}});
        QVERIFY2(std::holds_alternative<QJsonObject>(result), qPrintable(describe(result)));
        const qint64 updatedAt = msOf(std::get<QJsonObject>(result)[QStringLiteral("updatedAt")]);
        QVERIFY2(updatedAt > previous, qPrintable(QString::number(i)));
        previous = updatedAt;
    }
    const QJsonObject created
        = mustCreate(QStringLiteral("account"), QStringLiteral("{\"fields\": {\"$name\": \"Z\"}}"));
    QVERIFY(msOf(created[QStringLiteral("createdAt")]) > previous);
}

void TestSandboxStore::accountOpportunitiesFollowTheOpportunityAccount()
{
    const QString accountA = m_ids.value(QStringLiteral("ACC_A"));
    const QString accountB = m_ids.value(QStringLiteral("ACC_B"));
    const auto opportunitiesOf = [this](const QString &account) {
        return relationshipIds(
            *m_store->retrieve(QStringLiteral("account"), account), QStringLiteral("$opportunity"));
    };
    const QString first = createOpportunity(QStringLiteral("A"), 1000, QStringLiteral("Proposal"));
    const QString second = createOpportunity(QStringLiteral("B"), 1000, QStringLiteral("Proposal"));
    QCOMPARE(opportunitiesOf(accountA), QStringList({first, second}));
    QVERIFY(opportunitiesOf(accountB).isEmpty());

    const qint64 beforeMove = msOf(
        (*m_store->retrieve(QStringLiteral("account"), accountB))[QStringLiteral("updatedAt")]);
    const auto moved = m_store->update(QStringLiteral("opportunity"), first,
        body(QStringLiteral("{\"relationships\": {\"$account\": {\"replace\": @ACC_B}}}")));
    QVERIFY2(std::holds_alternative<QJsonObject>(moved), qPrintable(describe(moved)));
    QCOMPARE(opportunitiesOf(accountA), QStringList {second});
    QCOMPARE(opportunitiesOf(accountB), QStringList {first});
    const QJsonObject accountBRecord = *m_store->retrieve(QStringLiteral("account"), accountB);
    QVERIFY(msOf(accountBRecord[QStringLiteral("updatedAt")]) > beforeMove);
    QCOMPARE(accountBRecord[QStringLiteral("updatedAt")],
        std::get<QJsonObject>(moved)[QStringLiteral("updatedAt")]);
}

void TestSandboxStore::accountContactsStayInStepWithContactAccount()
{
    const QString accountA = m_ids.value(QStringLiteral("ACC_A"));
    const QString accountB = m_ids.value(QStringLiteral("ACC_B"));
    const auto contactsOf = [this](const QString &account) {
        return relationshipIds(
            *m_store->retrieve(QStringLiteral("account"), account), QStringLiteral("$contact"));
    };
    const auto accountOf = [this](const QString &contact) {
        return relationshipIds(
            *m_store->retrieve(QStringLiteral("contact"), contact), QStringLiteral("$account"));
    };
    const QString contact = mustCreate(QStringLiteral("contact"),
        QStringLiteral("{\"fields\": {\"$name\": {\"firstName\": "
                       "\"Ana\"}}, \"relationships\": "
                       "{\"$account\": @ACC_A}}"))[QStringLiteral("id")]
                                .toString();
    QCOMPARE(contactsOf(accountA), QStringList {contact});

    // Adding the contact to another account moves it: a contact has one account.
    const auto added = m_store->update(QStringLiteral("account"), accountB,
        QJsonObject {{QStringLiteral("relationships"),
            QJsonObject {
                {QStringLiteral("$contact"), QJsonObject {{QStringLiteral("add"), contact}}}}}});
    QVERIFY2(std::holds_alternative<QJsonObject>(added), qPrintable(describe(added)));
    QCOMPARE(accountOf(contact), QStringList {accountB});
    QVERIFY(contactsOf(accountA).isEmpty());
    QCOMPARE(contactsOf(accountB), QStringList {contact});

    const auto removed = m_store->update(QStringLiteral("account"), accountB,
        QJsonObject {{QStringLiteral("relationships"),
            QJsonObject {
                {QStringLiteral("$contact"), QJsonObject {{QStringLiteral("remove"), contact}}}}}});
    QVERIFY(std::holds_alternative<QJsonObject>(removed));
    QVERIFY(accountOf(contact).isEmpty());

    const auto reassigned = m_store->update(QStringLiteral("contact"), contact,
        body(QStringLiteral("{\"relationships\": {\"$account\": {\"replace\": @ACC_A}}}")));
    QVERIFY(std::holds_alternative<QJsonObject>(reassigned));
    QCOMPARE(contactsOf(accountA), QStringList {contact});
    QVERIFY(contactsOf(accountB).isEmpty());
}

void TestSandboxStore::retrieveReturnsTheCurrentRecord()
{
    QVERIFY(!m_store->retrieve(QStringLiteral("opportunity"), QStringLiteral("opp_nope")));
    QVERIFY(!m_store->retrieve(QStringLiteral("widget"), QStringLiteral("opp_nope")));
    QVERIFY(
        !m_store->retrieve(QStringLiteral("opportunity"), m_ids.value(QStringLiteral("ACC_A"))));
    m_store->setVersionHorizonMs(60'000);
    const QString id = createOpportunity(QStringLiteral("A"), 1000, QStringLiteral("Proposal"));
    m_store->update(QStringLiteral("opportunity"), id,
        QJsonObject {{QStringLiteral("fields"),
            QJsonObject {{QStringLiteral("$name"), QStringLiteral("B")}}}});
    // Retrieve never lags, whatever the index does.
    QCOMPARE(
        fieldValue(*m_store->retrieve(QStringLiteral("opportunity"), id), QStringLiteral("$name"))
            .toString(),
        QStringLiteral("B"));
    const QJsonObject member
        = *m_store->retrieve(QStringLiteral("member"), m_ids.value(QStringLiteral("MEM_1")));
    QVERIFY(!member.contains(QStringLiteral("externalId")));
    QCOMPARE(member[QStringLiteral("relationships")].toObject(), QJsonObject());
    QCOMPARE(member[QStringLiteral("httpLink")].toString(),
        QStringLiteral("https://crm.lightfield.app/crm/members/")
            + m_ids.value(QStringLiteral("MEM_1")));
}

void TestSandboxStore::listPaginationBounds_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("param"); ///< empty: success
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("first"); ///< index in creation order of the first row

    QTest::newRow("defaults") << QString() << QString() << 25 << 0;
    QTest::newRow("limit 1") << QStringLiteral("limit=1") << QString() << 1 << 0;
    QTest::newRow("limit 25") << QStringLiteral("limit=25") << QString() << 25 << 0;
    QTest::newRow("second page") << QStringLiteral("limit=10&offset=10") << QString() << 10 << 10;
    QTest::newRow("partial last page")
        << QStringLiteral("limit=10&offset=25") << QString() << 5 << 25;
    QTest::newRow("offset at the end") << QStringLiteral("offset=30") << QString() << 0 << -1;
    QTest::newRow("offset far beyond") << QStringLiteral("offset=100000") << QString() << 0 << -1;
    QTest::newRow("offset 0") << QStringLiteral("offset=0&limit=3") << QString() << 3 << 0;
    QTest::newRow("limit 0") << QStringLiteral("limit=0") << QStringLiteral("limit") << 0 << -1;
    QTest::newRow("limit 26") << QStringLiteral("limit=26") << QStringLiteral("limit") << 0 << -1;
    QTest::newRow("limit 100") << QStringLiteral("limit=100") << QStringLiteral("limit") << 0 << -1;
    QTest::newRow("limit negative")
        << QStringLiteral("limit=-1") << QStringLiteral("limit") << 0 << -1;
    QTest::newRow("limit words") << QStringLiteral("limit=ten") << QStringLiteral("limit") << 0
                                 << -1;
    QTest::newRow("limit fraction")
        << QStringLiteral("limit=2.5") << QStringLiteral("limit") << 0 << -1;
    QTest::newRow("limit empty") << QStringLiteral("limit=") << QStringLiteral("limit") << 0 << -1;
    QTest::newRow("offset negative")
        << QStringLiteral("offset=-1") << QStringLiteral("offset") << 0 << -1;
    QTest::newRow("offset fraction")
        << QStringLiteral("offset=1.5") << QStringLiteral("offset") << 0 << -1;
    QTest::newRow("offset words") << QStringLiteral("offset=x") << QStringLiteral("offset") << 0
                                  << -1;
    QTest::newRow("offset absurd")
        << QStringLiteral("offset=99999999999999999999") << QStringLiteral("offset") << 0 << -1;
}

void TestSandboxStore::listPaginationBounds()
{
    QFETCH(QString, query);
    QFETCH(QString, param);
    QFETCH(int, rows);
    QFETCH(int, first);
    QStringList created;
    for (int i = 0; i < 30; ++i)
        created.append(createOpportunity(
            QStringLiteral("Deal %1").arg(i), 1000 + i, QStringLiteral("Proposal")));
    const auto result = m_store->list(QStringLiteral("opportunity"), QUrlQuery(query), 0);
    if (!param.isEmpty()) {
        const auto *error = std::get_if<ApiError>(&result);
        QVERIFY2(error, "accepted");
        QCOMPARE(error->status, 400);
        QCOMPARE(error->code, QStringLiteral("invalid_type"));
        QCOMPARE(error->param, param);
        return;
    }
    QVERIFY2(std::holds_alternative<QJsonObject>(result), qPrintable(describe(result)));
    const QJsonObject page = std::get<QJsonObject>(result);
    QCOMPARE(page[QStringLiteral("object")].toString(), QStringLiteral("list"));
    QCOMPARE(page[QStringLiteral("totalCount")].toInt(), 30);
    const QStringList ids = idsOf(page);
    QCOMPARE(ids.size(), rows);
    if (first >= 0)
        QCOMPARE(ids, created.mid(first, rows));
}

void TestSandboxStore::listPagesWalkEveryRecordOnceInCreationOrder()
{
    for (int i = 0; i < 23; ++i)
        createOpportunity(QStringLiteral("Deal %1").arg(i), 1000, QStringLiteral("Discovery"));
    QStringList walked;
    for (int offset = 0;; offset += 7) {
        const auto result = m_store->list(QStringLiteral("opportunity"),
            QUrlQuery(QStringLiteral("limit=7&offset=%1").arg(offset)), 0);
        const QStringList page = idsOf(std::get<QJsonObject>(result));
        walked += page;
        if (page.size() < 7)
            break;
    }
    QCOMPARE(walked, m_store->ids(QStringLiteral("opportunity")));
    QCOMPARE(QSet<QString>(walked.cbegin(), walked.cend()).size(), 23);

    // Accounts and contacts list in their own creation order too.
    const auto accounts = m_store->list(QStringLiteral("account"), {}, 0);
    QCOMPARE(idsOf(std::get<QJsonObject>(accounts)),
        QStringList({m_ids.value(QStringLiteral("ACC_A")), m_ids.value(QStringLiteral("ACC_B"))}));
    const auto members = m_store->list(QStringLiteral("member"), {}, 0);
    QCOMPARE(std::get<QJsonObject>(members)[QStringLiteral("totalCount")].toInt(), 2);
}

namespace {

QStringList walk(SandboxStore &store, int pageSize = 7)
{
    QStringList walked;
    for (int offset = 0;; offset += pageSize) {
        const auto result = store.list(QStringLiteral("opportunity"),
            QUrlQuery(QStringLiteral("limit=%1&offset=%2").arg(pageSize).arg(offset)), 0);
        const QStringList page = idsOf(std::get<QJsonObject>(result));
        walked += page;
        if (page.size() < pageSize)
            break;
    }
    return walked;
}

} // namespace

void TestSandboxStore::listOrderServesNewestFirstOrAStableShuffle()
{
    for (int i = 0; i < 23; ++i)
        createOpportunity(QStringLiteral("Deal %1").arg(i), 1000, QStringLiteral("Discovery"));
    const QStringList created = m_store->ids(QStringLiteral("opportunity"));
    QCOMPARE(m_store->listOrder(), SandboxStore::ListOrder::Oldest);
    QCOMPARE(walk(*m_store), created);

    m_store->setListOrder(SandboxStore::ListOrder::Newest);
    QStringList newest = created;
    std::reverse(newest.begin(), newest.end());
    QCOMPARE(walk(*m_store), newest);
    QCOMPARE(m_store->servedIds(QStringLiteral("opportunity")), newest);

    m_store->setListOrder(SandboxStore::ListOrder::ShuffledStable);
    const QStringList shuffled = walk(*m_store);
    QVERIFY(shuffled != created && shuffled != newest);
    QStringList sorted = shuffled;
    sorted.sort();
    QStringList expected = created;
    expected.sort();
    QCOMPARE(sorted, expected);
    // Stable: the same order again, and a deletion only closes its gap.
    QCOMPARE(walk(*m_store), shuffled);
    QVERIFY(m_store->remove(QStringLiteral("opportunity"), shuffled.at(5)));
    QStringList without = shuffled;
    without.removeAt(5);
    QCOMPARE(walk(*m_store), without);

    QVERIFY(SandboxStore::listOrderFromName(QStringLiteral("shuffled-stable"))
        == SandboxStore::ListOrder::ShuffledStable);
    QCOMPARE(
        SandboxStore::listOrderName(SandboxStore::ListOrder::Newest), QStringLiteral("newest"));
    QVERIFY(!SandboxStore::listOrderFromName(QStringLiteral("sideways")));
}

void TestSandboxStore::placeAtHeadListsARecordFirstInEveryOrder()
{
    for (int i = 0; i < 10; ++i)
        createOpportunity(QStringLiteral("Deal %1").arg(i), 1000, QStringLiteral("Discovery"));
    const QString first
        = createOpportunity(QStringLiteral("Head 1"), 5, QStringLiteral("Discovery"));
    const QString second
        = createOpportunity(QStringLiteral("Head 2"), 5, QStringLiteral("Discovery"));
    QVERIFY(m_store->placeAtHead(QStringLiteral("opportunity"), first));
    QVERIFY(m_store->placeAtHead(QStringLiteral("opportunity"), second));
    QVERIFY(!m_store->placeAtHead(QStringLiteral("opportunity"), QStringLiteral("opp_nothere")));
    for (const auto order : {SandboxStore::ListOrder::Oldest, SandboxStore::ListOrder::Newest,
             SandboxStore::ListOrder::ShuffledStable}) {
        m_store->setListOrder(order);
        const QStringList walked = walk(*m_store, 5);
        QCOMPARE(walked.size(), 12);
        QCOMPARE(walked.mid(0, 2), QStringList({second, first}));
    }
    // A deleted head record is simply gone.
    QVERIFY(m_store->remove(QStringLiteral("opportunity"), second));
    QCOMPARE(walk(*m_store, 5).constFirst(), first);
}

void TestSandboxStore::offsetsPastTheCapAreRefused()
{
    for (int i = 0; i < 30; ++i)
        createOpportunity(QStringLiteral("Deal %1").arg(i), 1000, QStringLiteral("Discovery"));
    m_store->setMaxOffset(10);
    const auto atCap = m_store->list(
        QStringLiteral("opportunity"), QUrlQuery(QStringLiteral("limit=5&offset=10")), 0);
    QCOMPARE(idsOf(std::get<QJsonObject>(atCap)).size(), 5);
    const auto past = m_store->list(
        QStringLiteral("opportunity"), QUrlQuery(QStringLiteral("limit=5&offset=11")), 0);
    const auto *error = std::get_if<ApiError>(&past);
    QVERIFY2(error, qPrintable(describe(past)));
    QCOMPARE(error->status, 400);
    QCOMPARE(error->code, QStringLiteral("offset_too_large"));
    QCOMPARE(error->param, QStringLiteral("offset"));

    // The other reading: a page with no rows, its totalCount still counting every match.
    m_store->setMaxOffset(10, true);
    const auto empty = m_store->list(
        QStringLiteral("opportunity"), QUrlQuery(QStringLiteral("limit=5&offset=15")), 0);
    QVERIFY2(std::holds_alternative<QJsonObject>(empty), qPrintable(describe(empty)));
    QCOMPARE(idsOf(std::get<QJsonObject>(empty)).size(), 0);
    QCOMPARE(std::get<QJsonObject>(empty)[QStringLiteral("totalCount")].toInt(), 30);

    m_store->setMaxOffset(-1);
    const auto uncapped = m_store->list(
        QStringLiteral("opportunity"), QUrlQuery(QStringLiteral("limit=5&offset=25")), 0);
    QCOMPARE(idsOf(std::get<QJsonObject>(uncapped)).size(), 5);
}

void TestSandboxStore::listAppliesFilters_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("totalCount");
    QTest::addColumn<QString>("errorCode");
    QTest::newRow("no filter") << QString() << 5 << QString();
    QTest::newRow("amount range") << QStringLiteral(
        "$amount[greaterThan]=2000&$amount[lessThanOrEqual]=40000")
                                  << 2 << QString();
    QTest::newRow("stage label") << QStringLiteral("$stage=closed won") << 2 << QString();
    QTest::newRow("negated stage") << QStringLiteral("$stage[-equal]=Closed Won") << 3 << QString();
    QTest::newRow("status") << QStringLiteral("$opportunityStatus=Won") << 2 << QString();
    QTest::newRow("name prefix") << QStringLiteral("$name[startsWith]=North") << 2 << QString();
    QTest::newRow("account slug") << QStringLiteral("$opportunity-account=@ACC_A") << 5
                                  << QString();
    QTest::newRow("account slug, other account")
        << QStringLiteral("$opportunity-account[contains]=@ACC_B") << 0 << QString();
    QTest::newRow("filters with paging")
        << QStringLiteral("$amount[greaterThan]=0&limit=1&offset=1") << 5 << QString();
    QTest::newRow("unknown key") << QStringLiteral("$amount2=5") << 0
                                 << QStringLiteral("unknown_field");
    QTest::newRow("bad operator") << QStringLiteral("$amount[startsWith]=5") << 0
                                  << QStringLiteral("invalid_filter");
    QTest::newRow("bad value") << QStringLiteral("$amount[lessThan]=many") << 0
                               << QStringLiteral("invalid_type");
}

void TestSandboxStore::listAppliesFilters()
{
    QFETCH(QString, query);
    QFETCH(int, totalCount);
    QFETCH(QString, errorCode);
    createOpportunity(QStringLiteral("Northwind – A"), 1000, QStringLiteral("Discovery"));
    createOpportunity(QStringLiteral("Northwind – B"), 2500.5, QStringLiteral("Closed Won"));
    createOpportunity(QStringLiteral("Globex – C"), 40000, QStringLiteral("Proposal"));
    createOpportunity(QStringLiteral("Globex – D"), 40000.01, QStringLiteral("Closed Won"));
    createOpportunity(QStringLiteral("Initech – E"), 2'000'000, QStringLiteral("Negotiation"));
    QString resolved = query;
    resolved.replace(QStringLiteral("@ACC_A"), m_ids.value(QStringLiteral("ACC_A")));
    resolved.replace(QStringLiteral("@ACC_B"), m_ids.value(QStringLiteral("ACC_B")));
    const auto result = m_store->list(QStringLiteral("opportunity"), QUrlQuery(resolved), 0);
    if (!errorCode.isEmpty()) {
        QVERIFY(std::holds_alternative<ApiError>(result));
        QCOMPARE(std::get<ApiError>(result).code, errorCode);
        return;
    }
    QVERIFY2(std::holds_alternative<QJsonObject>(result), qPrintable(describe(result)));
    const QJsonObject page = std::get<QJsonObject>(result);
    QCOMPARE(page[QStringLiteral("totalCount")].toInt(), totalCount);
    const QUrlQuery parsed(resolved);
    const int limit = parsed.hasQueryItem(QStringLiteral("limit"))
        ? parsed.queryItemValue(QStringLiteral("limit")).toInt()
        : 25;
    const int offset = parsed.queryItemValue(QStringLiteral("offset")).toInt();
    QCOMPARE(idsOf(page).size(), std::clamp(totalCount - offset, 0, limit));
}

void TestSandboxStore::listOfAnUnknownTypeIsNotFound()
{
    const auto result = m_store->list(QStringLiteral("widget"), {}, 0);
    QVERIFY(std::holds_alternative<ApiError>(result));
    QCOMPARE(std::get<ApiError>(result).status, 404);
    QVERIFY(!m_store->hasObjectType(QStringLiteral("widget")));
    QVERIFY(m_store->hasObjectType(QStringLiteral("list")));
    QVERIFY(m_store->schema(QStringLiteral("widget")).fields.isEmpty());
}

void TestSandboxStore::indexLagHidesRecordsCreatedWithinTheWindow()
{
    const QString id = createOpportunity(QStringLiteral("Fresh"), 1000, QStringLiteral("Proposal"));
    const auto listed = [this](qint64 lag) {
        return idsOf(std::get<QJsonObject>(m_store->list(QStringLiteral("opportunity"), {}, lag)));
    };
    QCOMPARE(listed(0), QStringList {id});
    QVERIFY(listed(5000).isEmpty());
    const auto lagged = m_store->list(QStringLiteral("opportunity"), {}, 5000);
    QCOMPARE(std::get<QJsonObject>(lagged)[QStringLiteral("totalCount")].toInt(), 0);
    QVERIFY(m_store->retrieve(QStringLiteral("opportunity"), id));

    m_clock.advance(4000);
    QVERIFY(listed(5000).isEmpty());
    m_clock.advance(1500);
    QCOMPARE(listed(5000), QStringList {id});
}

void TestSandboxStore::indexLagListsTheVersionFromLagAgo()
{
    m_store->setVersionHorizonMs(5000);
    const QString id = createOpportunity(QStringLiteral("Deal"), 1000, QStringLiteral("Proposal"));
    m_clock.advance(6000);
    const auto updated = m_store->update(QStringLiteral("opportunity"), id,
        QJsonObject {{QStringLiteral("fields"), QJsonObject {{QStringLiteral("$amount"), 9000}}}});
    QVERIFY(std::holds_alternative<QJsonObject>(updated));

    const auto amountListed = [this](qint64 lag, const QString &query) {
        const QJsonObject page = std::get<QJsonObject>(
            m_store->list(QStringLiteral("opportunity"), QUrlQuery(query), lag));
        const QJsonArray data = page[QStringLiteral("data")].toArray();
        return data.isEmpty()
            ? -1.0
            : fieldValue(data.first().toObject(), QStringLiteral("$amount")).toDouble();
    };
    QCOMPARE(amountListed(0, QString()), 9000.0);
    QCOMPARE(amountListed(5000, QString()), 1000.0);
    // Filters see the listed version, not the current one.
    QCOMPARE(amountListed(5000, QStringLiteral("$amount=9000")), -1.0);
    QCOMPARE(amountListed(5000, QStringLiteral("$amount=1000")), 1000.0);
    QCOMPARE(amountListed(0, QStringLiteral("$amount=1000")), -1.0);

    m_clock.advance(5000);
    QCOMPARE(amountListed(5000, QString()), 9000.0);
    QCOMPARE(amountListed(5000, QStringLiteral("$amount=9000")), 9000.0);
}

void TestSandboxStore::versionsBeyondTheHorizonArePruned_data()
{
    QTest::addColumn<qint64>("horizonMs");
    QTest::addColumn<bool>("originalStillListed");
    QTest::newRow("short horizon prunes") << qint64(1000) << false;
    QTest::newRow("long horizon keeps") << qint64(60'000) << true;
}

void TestSandboxStore::versionsBeyondTheHorizonArePruned()
{
    QFETCH(qint64, horizonMs);
    QFETCH(bool, originalStillListed);
    m_store->setVersionHorizonMs(horizonMs);
    const QString id = createOpportunity(QStringLiteral("v0"), 1000, QStringLiteral("Proposal"));
    for (const char *name : {"v1", "v2"}) {
        m_clock.advance(2000);
        m_store->update(QStringLiteral("opportunity"), id,
            QJsonObject {{QStringLiteral("fields"),
                QJsonObject {{QStringLiteral("$name"), QString::fromUtf8(name)}}}});
    }
    // 3.5 s ago only the original existed; with a short horizon it is gone.
    const QJsonObject page
        = std::get<QJsonObject>(m_store->list(QStringLiteral("opportunity"), {}, 3500));
    const QJsonArray data = page[QStringLiteral("data")].toArray();
    QCOMPARE(!data.isEmpty(), originalStillListed);
    if (originalStillListed)
        QCOMPARE(fieldValue(data.first().toObject(), QStringLiteral("$name")).toString(),
            QStringLiteral("v0"));
    // The version 1.5 s ago survives either way.
    const QJsonObject recent
        = std::get<QJsonObject>(m_store->list(QStringLiteral("opportunity"), {}, 1000));
    QCOMPARE(fieldValue(recent[QStringLiteral("data")][0].toObject(), QStringLiteral("$name"))
                 .toString(),
        QStringLiteral("v1"));
}

void TestSandboxStore::listOpportunitiesInListPagesTheMembers()
{
    QStringList deals;
    for (int i = 0; i < 30; ++i)
        deals.append(createOpportunity(
            QStringLiteral("Deal %1").arg(i), 1000 * (i + 1), QStringLiteral("Proposal")));
    // Membership order is the list's, not creation order.
    QStringList members = deals.mid(0, 28);
    std::reverse(members.begin(), members.end());
    const QString listId = m_store->insertRecord(QStringLiteral("list"),
        {{QStringLiteral("fields"),
             QJsonObject {{QStringLiteral("$name"),
                              QJsonObject {{QStringLiteral("valueType"), QStringLiteral("TEXT")},
                                  {QStringLiteral("value"), QStringLiteral("Q4 focus")}}},
                 {QStringLiteral("$objectType"),
                     QJsonObject {{QStringLiteral("valueType"), QStringLiteral("TEXT")},
                         {QStringLiteral("value"), QStringLiteral("opportunity")}}}}},
            {QStringLiteral("relationships"),
                QJsonObject {{QStringLiteral("$opportunities"),
                    QJsonObject {
                        {QStringLiteral("values"), QJsonArray::fromStringList(members)}}}}}});
    QVERIFY(listId.startsWith(QLatin1String("lst_")));

    const auto first = m_store->listOpportunitiesInList(listId, {}, 0);
    QVERIFY2(std::holds_alternative<QJsonObject>(first), qPrintable(describe(first)));
    QCOMPARE(std::get<QJsonObject>(first)[QStringLiteral("totalCount")].toInt(), 28);
    QCOMPARE(idsOf(std::get<QJsonObject>(first)), members.mid(0, 25));
    const auto second
        = m_store->listOpportunitiesInList(listId, QUrlQuery(QStringLiteral("offset=25")), 0);
    QCOMPARE(idsOf(std::get<QJsonObject>(second)), members.mid(25));
    const auto filtered = m_store->listOpportunitiesInList(
        listId, QUrlQuery(QStringLiteral("$amount[lessThanOrEqual]=3000")), 0);
    QCOMPARE(idsOf(std::get<QJsonObject>(filtered)),
        QStringList({deals.at(2), deals.at(1), deals.at(0)}));
    const auto badLimit
        = m_store->listOpportunitiesInList(listId, QUrlQuery(QStringLiteral("limit=50")), 0);
    QCOMPARE(std::get<ApiError>(badLimit).param, QStringLiteral("limit"));
    // The index lag applies to the member records as well.
    QCOMPARE(std::get<QJsonObject>(
                 m_store->listOpportunitiesInList(listId, {}, 60'000))[QStringLiteral("totalCount")]
                 .toInt(),
        0);
}

void TestSandboxStore::listOpportunitiesInListRejectsOtherLists()
{
    const auto unknown = m_store->listOpportunitiesInList(QStringLiteral("lst_nope"), {}, 0);
    QVERIFY(std::holds_alternative<ApiError>(unknown));
    QCOMPARE(std::get<ApiError>(unknown).status, 404);

    const QString accountList = m_store->insertRecord(QStringLiteral("list"),
        {{QStringLiteral("fields"),
            QJsonObject {{QStringLiteral("$name"),
                             QJsonObject {{QStringLiteral("valueType"), QStringLiteral("TEXT")},
                                 {QStringLiteral("value"), QStringLiteral("Targets")}}},
                {QStringLiteral("$objectType"),
                    QJsonObject {{QStringLiteral("valueType"), QStringLiteral("TEXT")},
                        {QStringLiteral("value"), QStringLiteral("account")}}}}}});
    const auto wrongType = m_store->listOpportunitiesInList(accountList, {}, 0);
    QVERIFY(std::holds_alternative<ApiError>(wrongType));
    QCOMPARE(std::get<ApiError>(wrongType).status, 400);
    QCOMPARE(std::get<ApiError>(wrongType).code, QStringLiteral("invalid_type"));
}

void TestSandboxStore::listReadShapeHidesMembership()
{
    const QString deal = createOpportunity(QStringLiteral("D"), 1000, QStringLiteral("Proposal"));
    const QString listId = m_store->insertRecord(QStringLiteral("list"),
        {{QStringLiteral("fields"), QJsonObject()},
            {QStringLiteral("relationships"),
                QJsonObject {{QStringLiteral("$opportunities"), QJsonArray {deal}}}}});
    const QJsonObject list = *m_store->retrieve(QStringLiteral("list"), listId);
    QCOMPARE(list.keys(),
        QStringList({QStringLiteral("createdAt"), QStringLiteral("fields"),
            QStringLiteral("httpLink"), QStringLiteral("id")}));
    QCOMPARE(list[QStringLiteral("httpLink")].toString(),
        QStringLiteral("https://crm.lightfield.app/crm/lists/") + listId);
    const auto listed = m_store->list(QStringLiteral("list"), {}, 0);
    QCOMPARE(std::get<QJsonObject>(listed)[QStringLiteral("data")][0].toObject(), list);
}

void TestSandboxStore::generatedIdsAreReproducibleForASeed()
{
    const auto sequence = [](quint64 seed) {
        SandboxClock clock;
        SandboxStore store(&clock, seed);
        QStringList ids;
        for (const QString &type : {QStringLiteral("opportunity"), QStringLiteral("account"),
                 QStringLiteral("contact"), QStringLiteral("member"), QStringLiteral("list")}) {
            for (int i = 0; i < 20; ++i)
                ids.append(store.newId(type));
        }
        return ids;
    };
    const QStringList a = sequence(7);
    QCOMPARE(sequence(7), a);
    QVERIFY(sequence(8) != a);
    QVERIFY(sequence(7ULL << 32) != sequence(0));
    QCOMPARE(QSet<QString>(a.cbegin(), a.cend()).size(), a.size());
    const QRegularExpression shape(QStringLiteral("^(opp|acc|con|mem|lst)_[0-9A-Za-z]{12}$"));
    for (const QString &id : a)
        QVERIFY2(shape.match(id).hasMatch(), qPrintable(id));
    QVERIFY(a.first().startsWith(QLatin1String("opp_")));
    QVERIFY(a.last().startsWith(QLatin1String("lst_")));
    QVERIFY(m_store->newId(QStringLiteral("widget")).isEmpty());
}

void TestSandboxStore::insertRecordKeepsOrAssignsIdAndTimestamps()
{
    const QJsonObject given {{QStringLiteral("id"), QStringLiteral("acc_given")},
        {QStringLiteral("createdAt"), QStringLiteral("2025-01-02T03:04:05.006Z")},
        {QStringLiteral("updatedAt"), QStringLiteral("2025-02-02T03:04:05.006Z")},
        {QStringLiteral("httpLink"),
            QStringLiteral("https://crm.lightfield.app/crm/accounts/acc_given")},
        {QStringLiteral("fields"), QJsonObject()},
        {QStringLiteral("relationships"), QJsonObject()}};
    QCOMPARE(m_store->insertRecord(QStringLiteral("account"), given), QStringLiteral("acc_given"));
    QCOMPARE(*m_store->retrieve(QStringLiteral("account"), QStringLiteral("acc_given")), given);
    QCOMPARE(m_store->ids(QStringLiteral("account")).last(), QStringLiteral("acc_given"));
    // A record written long ago is listed even through a long lag.
    const auto lagged = m_store->list(
        QStringLiteral("account"), QUrlQuery(QStringLiteral("$name[-startsWith]=")), 60'000);
    QVERIFY(idsOf(std::get<QJsonObject>(lagged)).contains(QStringLiteral("acc_given")));

    const qint64 before = m_clock.nowMs();
    const QString assigned = m_store->insertRecord(
        QStringLiteral("contact"), {{QStringLiteral("fields"), QJsonObject()}});
    QVERIFY(assigned.startsWith(QLatin1String("con_")));
    const QJsonObject record = *m_store->retrieve(QStringLiteral("contact"), assigned);
    QVERIFY(msOf(record[QStringLiteral("createdAt")]) >= before);
    QCOMPARE(record[QStringLiteral("updatedAt")], record[QStringLiteral("createdAt")]);
    QCOMPARE(record[QStringLiteral("httpLink")].toString(),
        QStringLiteral("https://crm.lightfield.app/crm/contacts/") + assigned);
    QVERIFY(m_store->insertRecord(QStringLiteral("widget"), {}).isEmpty());
}

void TestSandboxStore::addressUpdateMergesOrReplaces_data()
{
    QTest::addColumn<QString>("reading");
    QTest::addColumn<QString>("written");
    QTest::addColumn<QString>("street");
    QTest::addColumn<QString>("street2");
    QTest::addColumn<QString>("city");
    // The old address: 1 Main St, Suite 4, Austin.
    QTest::newRow("merge: a member left out is kept") << "merge"
                                                      << "{\"city\": \"Dallas\"}"
                                                      << "1 Main St"
                                                      << "Suite 4"
                                                      << "Dallas";
    QTest::newRow("merge: null clears a member") << "merge"
                                                 << "{\"street2\": null}"
                                                 << "1 Main St"
                                                 << ""
                                                 << "Austin";
    QTest::newRow("replace: a member left out is cleared") << "replace"
                                                           << "{\"city\": \"Dallas\"}"
                                                           << ""
                                                           << ""
                                                           << "Dallas";
    QTest::newRow("replace: null clears a member")
        << "replace"
        << "{\"street\": \"1 Main St\", \"street2\": null, \"city\": \"Austin\"}"
        << "1 Main St"
        << ""
        << "Austin";
}

void TestSandboxStore::addressUpdateMergesOrReplaces()
{
    QFETCH(QString, reading);
    QFETCH(QString, written);
    QFETCH(QString, street);
    QFETCH(QString, street2);
    QFETCH(QString, city);
    SandboxWriteRules rules;
    rules.addressWrite = *SandboxWriteRules::addressWriteFromName(reading);
    QCOMPARE(SandboxWriteRules::addressWriteName(rules.addressWrite), reading);
    m_store->setWriteRules(rules);
    const QString deal
        = createOpportunity(QStringLiteral("Address"), 10, QStringLiteral("Proposal"));
    const auto first = m_store->update(QStringLiteral("opportunity"), deal,
        body(QStringLiteral("{\"fields\": {\"deliveryAddress\": {\"street\": \"1 Main St\", "
                            "\"street2\": \"Suite 4\", \"city\": \"Austin\"}}}")));
    QVERIFY2(std::holds_alternative<QJsonObject>(first), qPrintable(describe(first)));
    const auto second = m_store->update(QStringLiteral("opportunity"), deal,
        body(QStringLiteral("{\"fields\": {\"deliveryAddress\": %1}}").arg(written)));
    QVERIFY2(std::holds_alternative<QJsonObject>(second), qPrintable(describe(second)));
    const QJsonValue address
        = fieldValue(std::get<QJsonObject>(second), QStringLiteral("deliveryAddress"));
    QCOMPARE(address[QStringLiteral("street")].toString(), street);
    QCOMPARE(address[QStringLiteral("street2")].toString(), street2);
    QCOMPARE(address[QStringLiteral("city")].toString(), city);
    // A whole object written with nulls means the same under both readings.
    const auto whole = m_store->update(QStringLiteral("opportunity"), deal,
        body(QStringLiteral("{\"fields\": {\"deliveryAddress\": {\"street\": null, "
                            "\"street2\": null, \"city\": \"Reno\", \"state\": null, "
                            "\"postalCode\": null, \"country\": null, \"latitude\": null, "
                            "\"longitude\": null}}}")));
    QVERIFY(std::holds_alternative<QJsonObject>(whole));
    const QJsonValue after
        = fieldValue(std::get<QJsonObject>(whole), QStringLiteral("deliveryAddress"));
    QVERIFY(after[QStringLiteral("street")].isNull());
    QCOMPARE(after[QStringLiteral("city")].toString(), QStringLiteral("Reno"));
}

void TestSandboxStore::accountOnUpdateFollowsTheSwitch_data()
{
    QTest::addColumn<bool>("allowed");
    QTest::newRow("allowed") << true;
    QTest::newRow("refused") << false;
}

void TestSandboxStore::accountOnUpdateFollowsTheSwitch()
{
    QFETCH(bool, allowed);
    SandboxWriteRules rules;
    rules.accountOnUpdate = allowed;
    m_store->setWriteRules(rules);
    const QString deal
        = createOpportunity(QStringLiteral("Moving"), 10, QStringLiteral("Proposal"));
    const auto moved = m_store->update(QStringLiteral("opportunity"), deal,
        body(QStringLiteral("{\"relationships\": {\"$account\": {\"replace\": @ACC_B}}}")));
    QCOMPARE(std::holds_alternative<QJsonObject>(moved), allowed);
    if (!allowed) {
        const ApiError error = std::get<ApiError>(moved);
        QCOMPARE(error.status, 400);
        QCOMPARE(error.code, QStringLiteral("read_only_relationship"));
        QCOMPARE(error.param, QStringLiteral("relationships.$account"));
    }
    // The definition says so when allowed, and nothing when refused (as documented).
    const QJsonObject account = m_store->schema(QStringLiteral("opportunity"))
                                    .definitionsJson()[QStringLiteral("relationshipDefinitions")]
                                                      [QStringLiteral("$account")]
                                    .toObject();
    QCOMPARE(account.contains(QStringLiteral("createOnly")), allowed);
    if (allowed)
        QCOMPARE(account.value(QStringLiteral("createOnly")), QJsonValue(false));
    // Creating with it works either way.
    QVERIFY(!createOpportunity(QStringLiteral("New"), 1, QStringLiteral("Proposal")).isEmpty());
}

void TestSandboxStore::snapshotRoundTripRestoresEverything()
{
    seedSandbox(*m_store, {3, 60});
    const QString deal
        = createOpportunity(QStringLiteral("Round trip 🚀"), 1234.56, QStringLiteral("Negotiation"));
    m_store->update(QStringLiteral("opportunity"), deal,
        body(QStringLiteral("{\"fields\": {\"buyerPhones\": [\"512 555 0100\"]}, "
                            "\"relationships\": {\"$evaluator\": {\"add\": @CON_3}}}")));
    const QJsonObject snapshot = m_store->toJson();
    // Through bytes, as the --data-file does.
    const QJsonObject reread
        = QJsonDocument::fromJson(QJsonDocument(snapshot).toJson(QJsonDocument::Compact)).object();

    SandboxStore restored(&m_clock, 999);
    QString error;
    QVERIFY2(restored.loadJson(reread, &error), qPrintable(error));
    QCOMPARE(restored.toJson(), snapshot);
    for (const QString &type : {QStringLiteral("opportunity"), QStringLiteral("account"),
             QStringLiteral("contact"), QStringLiteral("member"), QStringLiteral("list")}) {
        QCOMPARE(restored.ids(type), m_store->ids(type));
        for (const QString &id : m_store->ids(type))
            QCOMPARE(restored.retrieve(type, id), m_store->retrieve(type, id));
    }
    for (const QString &listId : m_store->ids(QStringLiteral("list"))) {
        const auto query = QUrlQuery(QStringLiteral("limit=25"));
        const auto original = m_store->listOpportunitiesInList(listId, query, 0);
        const auto copy = restored.listOpportunitiesInList(listId, query, 0);
        QCOMPARE(describe(copy), describe(original));
        if (const auto *page = std::get_if<QJsonObject>(&original))
            QCOMPARE(std::get<QJsonObject>(copy), *page);
    }
    // Writes after loading still move updatedAt forward past everything loaded.
    const qint64 lastBefore = msOf(
        (*m_store->retrieve(QStringLiteral("opportunity"), deal))[QStringLiteral("updatedAt")]);
    const auto written = restored.update(QStringLiteral("opportunity"), deal,
        QJsonObject {{QStringLiteral("fields"), QJsonObject {{QStringLiteral("probability"), 5}}}});
    QVERIFY(std::holds_alternative<QJsonObject>(written));
    QVERIFY(msOf(std::get<QJsonObject>(written)[QStringLiteral("updatedAt")]) > lastBefore);

    // Records saved before a field existed read that field as unset.
    QJsonObject old = snapshot;
    QJsonObject objects = old[QStringLiteral("objects")].toObject();
    QJsonArray opportunities = objects[QStringLiteral("opportunity")].toArray();
    QJsonObject first = opportunities.at(0).toObject();
    QJsonObject fields = first[QStringLiteral("fields")].toObject();
    fields.remove(QStringLiteral("arrEur"));
    first.insert(QStringLiteral("fields"), fields);
    opportunities.replace(0, first);
    objects.insert(QStringLiteral("opportunity"), opportunities);
    old.insert(QStringLiteral("objects"), objects);
    SandboxStore migrated(&m_clock, 1);
    QVERIFY(migrated.loadJson(old, &error));
    const QJsonObject migratedRecord
        = *migrated.retrieve(QStringLiteral("opportunity"), first[QStringLiteral("id")].toString());
    QCOMPARE(migratedRecord[QStringLiteral("fields")][QStringLiteral("arrEur")].toObject(),
        QJsonObject({{QStringLiteral("valueType"), QStringLiteral("CURRENCY")},
            {QStringLiteral("value"), QJsonValue()}}));
}

void TestSandboxStore::loadJsonRejectsMalformedSnapshots_data()
{
    QTest::addColumn<QString>("snapshot");
    const auto row = [](const char *name, const char *objects) {
        QTest::newRow(name) << QStringLiteral(
            "{\"format\": \"lightfield-sandbox\", \"version\": 1, "
            "\"objects\": %1}")
                                   .arg(QString::fromUtf8(objects));
    };
    QTest::newRow("empty object") << QStringLiteral("{}");
    QTest::newRow("other format") << QStringLiteral(
        "{\"format\": \"something\", \"version\": 1, \"objects\": {}}");
    QTest::newRow("newer version")
        << QStringLiteral("{\"format\": \"lightfield-sandbox\", \"version\": 2, \"objects\": {}}");
    row("objects not an object", "[]");
    row("unknown object type", "{\"widget\": []}");
    row("records not an array", "{\"opportunity\": {}}");
    row("record not an object", "{\"opportunity\": [5]}");
    row("record without id",
        "{\"account\": [{\"createdAt\": \"2026-01-01T00:00:00.000Z\", "
        "\"fields\": {}}]}");
    row("id of another type",
        "{\"opportunity\": [{\"id\": \"acc_1\", \"createdAt\": "
        "\"2026-01-01T00:00:00.000Z\", \"fields\": {}}]}");
    row("bare prefix as id",
        "{\"account\": [{\"id\": \"acc_\", \"createdAt\": "
        "\"2026-01-01T00:00:00.000Z\", \"fields\": {}}]}");
    row("duplicate id",
        "{\"account\": [{\"id\": \"acc_1\", \"createdAt\": "
        "\"2026-01-01T00:00:00.000Z\", \"fields\": {}}, {\"id\": \"acc_1\", "
        "\"createdAt\": \"2026-01-01T00:00:00.000Z\", \"fields\": {}}]}");
    row("bad createdAt",
        "{\"account\": [{\"id\": \"acc_1\", \"createdAt\": \"yesterday\", "
        "\"fields\": {}}]}");
    row("fields not an object",
        "{\"account\": [{\"id\": \"acc_1\", \"createdAt\": "
        "\"2026-01-01T00:00:00.000Z\", \"fields\": []}]}");
    row("relationships not an object",
        "{\"account\": [{\"id\": \"acc_1\", \"createdAt\": "
        "\"2026-01-01T00:00:00.000Z\", \"fields\": {}, "
        "\"relationships\": []}]}");
    row("second type broken",
        "{\"account\": [{\"id\": \"acc_1\", \"createdAt\": "
        "\"2026-01-01T00:00:00.000Z\", \"fields\": {}}], \"contact\": [7]}");
}

void TestSandboxStore::loadJsonRejectsMalformedSnapshots()
{
    QFETCH(QString, snapshot);
    const QString deal
        = createOpportunity(QStringLiteral("Keep me"), 1000, QStringLiteral("Proposal"));
    const QJsonObject before = m_store->toJson();
    QString error;
    QVERIFY(!m_store->loadJson(QJsonDocument::fromJson(snapshot.toUtf8()).object(), &error));
    QVERIFY(!error.isEmpty());
    // A failed load leaves the store exactly as it was, and usable.
    QCOMPARE(m_store->toJson(), before);
    QVERIFY(m_store->retrieve(QStringLiteral("opportunity"), deal));
    const auto written = m_store->update(QStringLiteral("opportunity"), deal,
        QJsonObject {{QStringLiteral("fields"), QJsonObject {{QStringLiteral("probability"), 1}}}});
    QVERIFY(std::holds_alternative<QJsonObject>(written));
    QVERIFY(!m_store->loadJson({}, nullptr));
}

void TestSandboxStore::seedIsDeterministic()
{
    const auto seeded = [this](quint64 seed, int opportunities) {
        SandboxStore store(&m_clock, 5);
        seedSandbox(store, {seed, opportunities});
        return store.toJson();
    };
    const QJsonObject a = seeded(11, 300);
    QCOMPARE(seeded(11, 300), a);
    QVERIFY(seeded(12, 300) != a);
    QVERIFY(seeded(11ULL << 33, 300) != seeded(0, 300));
}

void TestSandboxStore::seedCountsFollowTheOptions_data()
{
    QTest::addColumn<int>("opportunities");
    QTest::addColumn<int>("accounts");
    QTest::newRow("none") << 0 << 20;
    QTest::newRow("few") << 40 << 20;
    QTest::newRow("default") << 250 << 50;
    QTest::newRow("thousand") << 1000 << 200;
}

void TestSandboxStore::seedCountsFollowTheOptions()
{
    QFETCH(int, opportunities);
    QFETCH(int, accounts);
    SandboxStore store(&m_clock, 1);
    seedSandbox(store, {1, opportunities});
    QCOMPARE(store.count(QStringLiteral("opportunity")), opportunities);
    QCOMPARE(store.count(QStringLiteral("account")), accounts);
    QCOMPARE(store.count(QStringLiteral("member")), 8);
    QCOMPARE(store.count(QStringLiteral("list")), 4);
    const int contacts = store.count(QStringLiteral("contact"));
    QVERIFY2(contacts >= 2 * accounts && contacts <= 3 * accounts,
        qPrintable(QString::number(contacts)));
    for (const QString &accountId : store.ids(QStringLiteral("account"))) {
        const auto perAccount = relationshipIds(
            *store.retrieve(QStringLiteral("account"), accountId), QStringLiteral("$contact"))
                                    .size();
        QVERIFY(perAccount == 2 || perAccount == 3);
    }
}

void TestSandboxStore::seededRecordsAreValidAndConsistent()
{
    SandboxStore store(&m_clock, 1);
    seedSandbox(store, {4, 400});
    const qint64 now = m_clock.nowMs();
    QHash<QString, QString> accountOfOpportunity;
    for (const QString &type : {QStringLiteral("opportunity"), QStringLiteral("account"),
             QStringLiteral("contact"), QStringLiteral("member")}) {
        const SandboxSchema &schema = store.schema(type);
        for (const QString &id : store.ids(type)) {
            const QJsonObject record = *store.retrieve(type, id);
            QVERIFY(id.startsWith(schema.idPrefix));
            QCOMPARE(
                record[QStringLiteral("httpLink")].toString().section(QLatin1Char('/'), -1), id);
            const qint64 created = msOf(record[QStringLiteral("createdAt")]);
            const qint64 updated = msOf(record[QStringLiteral("updatedAt")]);
            QVERIFY(created > 0 && created <= updated && updated <= now);
            QCOMPARE(
                record.contains(QStringLiteral("externalId")), type != QLatin1String("member"));

            const QJsonObject fields = record[QStringLiteral("fields")].toObject();
            QCOMPARE(fields.size(), schema.fields.size());
            for (const SandboxFieldDef &def : schema.fields) {
                QCOMPARE(fields[def.key][QStringLiteral("valueType")].toString(), def.valueType);
                const QJsonValue value = fields[def.key][QStringLiteral("value")];
                if (def.required)
                    QVERIFY2(!value.isNull(), qPrintable(id + QLatin1Char(' ') + def.key));
                if (value.isNull())
                    continue;
                // Every seeded value is exactly what a write of it would store.
                SandboxFieldDef writable = def;
                writable.required = false;
                const auto normalized = normalizeFieldWrite(writable, value);
                if (const auto *error = std::get_if<ApiError>(&normalized))
                    QFAIL(qPrintable(id + QLatin1Char(' ') + error->message));
                QCOMPARE(compact(std::get<QJsonValue>(normalized)), compact(value));
            }

            const QJsonObject relationships = record[QStringLiteral("relationships")].toObject();
            QCOMPARE(relationships.size(), schema.relationships.size());
            for (const SandboxRelationshipDef &def : schema.relationships) {
                const QStringList targets = relationshipIds(record, def.key);
                QCOMPARE(relationships[def.key][QStringLiteral("cardinality")].toString(),
                    def.cardinality);
                if (def.cardinality == QLatin1String("HAS_ONE"))
                    QVERIFY(targets.size() <= 1);
                if (def.required)
                    QCOMPARE(targets.size(), 1);
                for (const QString &target : targets)
                    QVERIFY2(store.retrieve(def.objectType, target), qPrintable(target));
            }
            if (type == QLatin1String("opportunity")) {
                accountOfOpportunity.insert(
                    id, relationshipIds(record, QStringLiteral("$account")).value(0));
                const QString stage = fieldValue(record, QStringLiteral("$stage")).toString();
                const QString status
                    = fieldValue(record, QStringLiteral("$opportunityStatus")).toString();
                QCOMPARE(status,
                    stage == QLatin1String("opt_stage_closed_won")
                        ? QStringLiteral("opt_status_won")
                        : stage == QLatin1String("opt_stage_closed_lost")
                        ? QStringLiteral("opt_status_lost")
                        : QStringLiteral("opt_status_open"));
            }
        }
    }
    // Two-way relationships agree from both ends.
    int listed = 0;
    for (const QString &accountId : store.ids(QStringLiteral("account"))) {
        const QJsonObject account = *store.retrieve(QStringLiteral("account"), accountId);
        for (const QString &opportunity :
            relationshipIds(account, QStringLiteral("$opportunity"))) {
            QCOMPARE(accountOfOpportunity.value(opportunity), accountId);
            ++listed;
        }
        for (const QString &contact : relationshipIds(account, QStringLiteral("$contact"))) {
            QCOMPARE(relationshipIds(*store.retrieve(QStringLiteral("contact"), contact),
                         QStringLiteral("$account")),
                QStringList {accountId});
        }
    }
    QCOMPARE(listed, 400);
}

void TestSandboxStore::seedCoversEveryValueTypeWithRealisticValues()
{
    SandboxStore store(&m_clock, 1);
    seedSandbox(store, {9, 1000});
    const qint64 anchor = m_clock.nowMs();
    const SandboxSchema &schema = store.schema(QStringLiteral("opportunity"));
    QHash<QString, int> nonNull;
    QHash<QString, int> stages;
    QSet<QString> typesSeen;
    int cents = 0;
    int small = 0;
    int large = 0;
    int emoji = 0;
    for (const QString &id : store.ids(QStringLiteral("opportunity"))) {
        const QJsonObject record = *store.retrieve(QStringLiteral("opportunity"), id);
        for (const SandboxFieldDef &def : schema.fields) {
            if (!fieldValue(record, def.key).isNull()) {
                ++nonNull[def.key];
                typesSeen.insert(def.valueType);
            }
        }
        ++stages[fieldValue(record, QStringLiteral("$stage")).toString()];
        const QJsonValue amount = fieldValue(record, QStringLiteral("$amount"));
        if (!amount.isNull()) {
            const double x = amount.toDouble();
            QVERIFY2(x >= 1000 && x <= 2'000'000, qPrintable(QString::number(x)));
            cents += x != std::floor(x) ? 1 : 0;
            small += x < 10'000 ? 1 : 0;
            large += x > 500'000 ? 1 : 0;
        }
        const QJsonValue closeDate = fieldValue(record, QStringLiteral("closeDate"));
        if (!closeDate.isNull()) {
            const qint64 ms = msOf(closeDate);
            QVERIFY(ms >= anchor - 275 * kDayMs && ms <= anchor + 275 * kDayMs);
        }
        const QString name = fieldValue(record, QStringLiteral("$name")).toString();
        emoji += std::any_of(name.cbegin(), name.cend(), [](QChar c) { return c.isSurrogate(); })
            ? 1
            : 0;
    }
    QCOMPARE(typesSeen.size(), 14);
    for (const SandboxFieldDef &def : schema.fields) {
        QVERIFY2(nonNull.value(def.key) > 0, qPrintable(def.key));
        // Optional fields are sometimes left empty, as in a real workspace.
        if (!def.required && def.key != QLatin1String("$opportunityStatus"))
            QVERIFY2(nonNull.value(def.key) < 1000, qPrintable(def.key));
    }
    QCOMPARE(stages.size(), 6);
    for (auto it = stages.cbegin(); it != stages.cend(); ++it)
        QVERIFY2(it.value() >= 50, qPrintable(it.key()));
    QVERIFY(cents >= 50);
    QVERIFY(small >= 100);
    QVERIFY(large >= 50);
    QVERIFY(emoji >= 5);
    QVERIFY(nonNull.value(QStringLiteral("$summary")) >= 200);

    // People and companies are not all ASCII.
    int nonAsciiContacts = 0;
    int cjkContacts = 0;
    for (const QString &id : store.ids(QStringLiteral("contact"))) {
        const QJsonValue name
            = fieldValue(*store.retrieve(QStringLiteral("contact"), id), QStringLiteral("$name"));
        const QString full = name[QStringLiteral("firstName")].toString()
            + name[QStringLiteral("lastName")].toString();
        nonAsciiContacts
            += std::any_of(full.cbegin(), full.cend(), [](QChar c) { return c.unicode() > 0x7F; })
            ? 1
            : 0;
        cjkContacts += hasNonLatin1(full) && full.at(0).unicode() >= 0x3000 ? 1 : 0;
    }
    QVERIFY(nonAsciiContacts >= 50);
    QVERIFY(cjkContacts >= 3);
    QStringList memberNames;
    for (const QString &id : store.ids(QStringLiteral("member"))) {
        const QJsonValue name
            = fieldValue(*store.retrieve(QStringLiteral("member"), id), QStringLiteral("$name"));
        memberNames.append(name[QStringLiteral("firstName")].toString() + QLatin1Char(' ')
            + name[QStringLiteral("lastName")].toString());
    }
    QVERIFY(memberNames.contains(QStringLiteral("José Núñez")));
    QVERIFY(memberNames.contains(QStringLiteral("Zoë Brontë")));
    QVERIFY(memberNames.contains(QStringLiteral("太郎 山田")));
}

void TestSandboxStore::seedListsHaveMembers()
{
    SandboxStore store(&m_clock, 1);
    seedSandbox(store, {2, 1000});
    QHash<QString, QString> listByName;
    for (const QString &id : store.ids(QStringLiteral("list"))) {
        const QJsonObject list = *store.retrieve(QStringLiteral("list"), id);
        listByName.insert(fieldValue(list, QStringLiteral("$name")).toString(), id);
    }
    QCOMPARE(listByName.size(), 4);
    const auto members = [&store](const QString &listId) {
        QList<QJsonObject> out;
        for (int offset = 0;; offset += 25) {
            const auto page = store.listOpportunitiesInList(
                listId, QUrlQuery(QStringLiteral("offset=%1").arg(offset)), 0);
            const QJsonArray data = std::get<QJsonObject>(page)[QStringLiteral("data")].toArray();
            for (const QJsonValue &record : data)
                out.append(record.toObject());
            if (data.size() < 25)
                return out;
        }
    };
    const QList<QJsonObject> q4 = members(listByName.value(QStringLiteral("Q4 focus")));
    QVERIFY(q4.size() >= 10);
    for (const QJsonObject &deal : q4) {
        QCOMPARE(fieldValue(deal, QStringLiteral("$opportunityStatus")).toString(),
            QStringLiteral("opt_status_open"));
    }
    const QList<QJsonObject> strategic
        = members(listByName.value(QStringLiteral("Strategic accounts")));
    QVERIFY(strategic.size() > 25);
    for (const QJsonObject &deal : strategic)
        QCOMPARE(fieldValue(deal, QStringLiteral("isStrategic")).toBool(), true);
    const QList<QJsonObject> renewals = members(listByName.value(QStringLiteral("Renewals")));
    QVERIFY(renewals.size() >= 10);
    for (const QJsonObject &deal : renewals) {
        QVERIFY(fieldValue(deal, QStringLiteral("$name"))
                    .toString()
                    .contains(QLatin1String("renewal"), Qt::CaseInsensitive));
    }
    const QString accounts = listByName.value(QStringLiteral("Target accounts"));
    QCOMPARE(
        fieldValue(*store.retrieve(QStringLiteral("list"), accounts), QStringLiteral("$objectType"))
            .toString(),
        QStringLiteral("account"));
    QCOMPARE(std::get<ApiError>(store.listOpportunitiesInList(accounts, {}, 0)).code,
        QStringLiteral("invalid_type"));
    const QJsonObject snapshotList
        = store.toJson()[QStringLiteral("objects")][QStringLiteral("list")]
              .toArray()
              .last()
              .toObject();
    QVERIFY(!snapshotList[QStringLiteral("relationships")][QStringLiteral("$accounts")]
                         [QStringLiteral("values")]
                             .toArray()
                             .isEmpty());
}

void TestSandboxStore::seedScalesToOneHundredThousandOpportunities()
{
    // Timed in a release build: LIGHTFIELD_SEED_BENCHMARK=100000 tst_sandboxstore <this test>.
    const int count = qEnvironmentVariableIntValue("LIGHTFIELD_SEED_BENCHMARK");
    if (count <= 0)
        QSKIP("set LIGHTFIELD_SEED_BENCHMARK=<opportunities> to run");
    SandboxStore store(&m_clock, 1);
    QElapsedTimer timer;
    timer.start();
    const std::clock_t cpuStart = std::clock();
    seedSandbox(store, {1, count});
    const qint64 seedMs = timer.elapsed();
    const auto seedCpuMs = qint64((std::clock() - cpuStart) * 1000 / CLOCKS_PER_SEC);
    timer.restart();
    const auto filtered = store.list(QStringLiteral("opportunity"),
        QUrlQuery(QStringLiteral("$amount[greaterThan]=100000&closeDate[lessThan]=2030-01-01")), 0);
    const qint64 listMs = timer.elapsed();
    QVERIFY(std::holds_alternative<QJsonObject>(filtered));
    qInfo("seeded %d opportunities in %lld ms (%lld ms CPU); one filtered list over all of them "
          "took %lld ms",
        count, seedMs, seedCpuMs, listMs);
    QCOMPARE(store.count(QStringLiteral("opportunity")), count);
    QVERIFY(seedMs < 10'000);
}

QTEST_GUILESS_MAIN(TestSandboxStore)
#include "tst_sandboxstore.moc"
