// The sandbox server over real HTTP: every documented rule of the API (headers, error
// envelope, record shapes, the 14 value types, relationships, pagination, filtering, index lag,
// idempotency, rate limits) plus the fault switches and admin routes of sandboxserver.h.
// Each test starts its own in-process server on a free loopback port with a small seed.

#include "sandboxseed.h"
#include "sandboxserver.h"
#include "sandboxstore.h"
#include "sandboxtestclient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <functional>
#include <limits>
#include <memory>

using SandboxTest::Client;
using SandboxTest::Options;
using SandboxTest::Reply;

namespace {

constexpr quint64 kSeed = 7;
constexpr int kOpportunities = 60;
const QString kOpportunitiesPath = QStringLiteral("/v1/opportunities");

/// Generous limits: only the rate-limit tests want the documented 25/s.
SandboxConfig testConfig()
{
    SandboxConfig config;
    config.rateLimitRead = 100000;
    config.rateLimitWrite = 100000;
    config.rateLimitSearch = 100000;
    return config;
}

/// One in-process sandbox, seeded and listening, with a client pointed at it.
struct Sandbox
{
    explicit Sandbox(SandboxConfig config = testConfig(), quint64 seed = kSeed,
        int opportunities = kOpportunities)
        : server(std::make_unique<SandboxServer>(std::move(config)))
    {
        seedSandbox(server->store(), {seed, opportunities});
        port = server->listenLoopback(0);
        client = std::make_unique<Client>(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    }

    SandboxServer *operator->() { return server.get(); }
    Client &api() { return *client; }
    QString id(const QString &objectType, int index = 0) const
    {
        return server->store().ids(objectType).value(index);
    }
    QString opportunityPath(int index = 0) const
    {
        return kOpportunitiesPath + QLatin1Char('/') + id(QStringLiteral("opportunity"), index);
    }
    QJsonObject stats() { return api().adminGet(QStringLiteral("/__sandbox/stats")).object(); }

    std::unique_ptr<SandboxServer> server;
    quint16 port = 0;
    std::unique_ptr<Client> client; // declared last: its replies go before the server
};

QJsonObject parseObject(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

QJsonValue parseValue(const QByteArray &json)
{
    // Wrapped, so scalars and null parse too.
    return QJsonDocument::fromJson("[" + json + "]").array().at(0);
}

QJsonValue fieldOf(const QJsonObject &record, const QString &key)
{
    return record.value(QStringLiteral("fields"))
        .toObject()
        .value(key)
        .toObject()
        .value(QStringLiteral("value"));
}

QString valueTypeOf(const QJsonObject &record, const QString &key)
{
    return record.value(QStringLiteral("fields"))
        .toObject()
        .value(key)
        .toObject()
        .value(QStringLiteral("valueType"))
        .toString();
}

QStringList relationshipOf(const QJsonObject &record, const QString &key)
{
    QStringList ids;
    const QJsonArray values = record.value(QStringLiteral("relationships"))
                                  .toObject()
                                  .value(key)
                                  .toObject()
                                  .value(QStringLiteral("values"))
                                  .toArray();
    for (const QJsonValue &value : values)
        ids.append(value.toString());
    return ids;
}

QStringList idsOf(const QJsonObject &listBody)
{
    QStringList ids;
    const QJsonArray data = listBody.value(QStringLiteral("data")).toArray();
    for (const QJsonValue &record : data)
        ids.append(record[QStringLiteral("id")].toString());
    return ids;
}

QStringList sortedKeys(const QJsonObject &object)
{
    QStringList keys = object.keys();
    keys.sort();
    return keys;
}

QByteArray compact(const QJsonValue &value)
{
    return QJsonDocument(QJsonArray {value}).toJson(QJsonDocument::Compact);
}

/// A minimal valid create body for an opportunity of the sandbox.
QJsonObject newOpportunityBody(Sandbox &sandbox, const QString &name)
{
    return {{QStringLiteral("fields"),
                QJsonObject {{QStringLiteral("$name"), name},
                    {QStringLiteral("$stage"), QStringLiteral("Discovery")}}},
        {QStringLiteral("relationships"),
            QJsonObject {{QStringLiteral("$account"), sandbox.id(QStringLiteral("account"))}}}};
}

/// Checks the wrapped error envelope of the API and the status, type, code and
/// param it carries (an empty expectation is not checked).
void checkError(const Reply &reply, int status, const QString &type, const QString &code = {},
    const QString &param = {})
{
    QVERIFY2(reply.finished, reply.describe().constData());
    QVERIFY2(reply.status == status, reply.describe().constData());
    QVERIFY2(reply.jsonOk && reply.json.isObject(), reply.describe().constData());
    QCOMPARE(reply.object().keys(), QStringList {QStringLiteral("error")});
    const QJsonObject error = reply.errorObject();
    QCOMPARE(error.value(QStringLiteral("type")).toString(), type);
    QVERIFY2(
        !error.value(QStringLiteral("message")).toString().isEmpty(), reply.describe().constData());
    if (!code.isEmpty())
        QCOMPARE(reply.errorCode(), code);
    if (!param.isEmpty())
        QCOMPARE(reply.errorParam(), param);
}

/// Checks the unwrapped envelope the rate-limit and idempotency pages show, `{type, message}`
/// (SandboxConfig::ErrorEnvelope::Documented, the default for 429 and the 409 conflict).
void checkDocumentedError(const Reply &reply, int status, const QString &type)
{
    QVERIFY2(reply.finished, reply.describe().constData());
    QVERIFY2(reply.status == status, reply.describe().constData());
    QVERIFY2(reply.jsonOk && reply.json.isObject(), reply.describe().constData());
    QCOMPARE(
        reply.object().keys(), QStringList({QStringLiteral("message"), QStringLiteral("type")}));
    QCOMPARE(reply.object().value(QStringLiteral("type")).toString(), type);
    QVERIFY2(!reply.object().value(QStringLiteral("message")).toString().isEmpty(),
        reply.describe().constData());
}

void checkOk(const Reply &reply)
{
    QVERIFY2(reply.finished && reply.status == 200 && reply.jsonOk, reply.describe().constData());
}

/// Walks every page of a list with `limit`, collecting the ids in order (empty on failure).
void walkPages(Client &client, const QString &path, QList<std::pair<QString, QString>> query,
    int limit, QStringList *ids, int *totalCount)
{
    ids->clear();
    *totalCount = -1;
    for (int offset = 0;; offset += limit) {
        QList<std::pair<QString, QString>> page = query;
        page.append({QStringLiteral("limit"), QString::number(limit)});
        page.append({QStringLiteral("offset"), QString::number(offset)});
        const Reply reply = client.get(path, page);
        QVERIFY2(reply.status == 200 && reply.jsonOk, reply.describe().constData());
        const int total = reply.object().value(QStringLiteral("totalCount")).toInt(-1);
        QVERIFY(total >= 0);
        if (*totalCount >= 0)
            QCOMPARE(total, *totalCount);
        *totalCount = total;
        const QStringList got = idsOf(reply.object());
        QVERIFY(got.size() <= limit);
        *ids += got;
        if (got.size() < limit)
            return;
        QVERIFY2(offset < 100000, "runaway pagination");
    }
}

/// The text a TEXT-like filter compares: FULL_NAME "first last", ADDRESS "street, …, country".
QString filterTextOf(const QString &valueType, const QJsonValue &value)
{
    QStringList parts;
    if (valueType == QLatin1String("FULL_NAME")) {
        for (const char *member : {"firstName", "lastName"}) {
            const QString part = value[QLatin1String(member)].toString();
            if (!part.isEmpty())
                parts.append(part);
        }
        return parts.join(QLatin1Char(' '));
    }
    if (valueType == QLatin1String("ADDRESS")) {
        for (const char *member : {"street", "street2", "city", "state", "postalCode", "country"}) {
            const QString part = value[QLatin1String(member)].toString();
            if (!part.isEmpty())
                parts.append(part);
        }
        return parts.join(QStringLiteral(", "));
    }
    if (value.isArray())
        return value.toArray().at(0).toString();
    return value.toString();
}

qint64 filterDateMs(const QString &text)
{
    QDateTime at = QDateTime::fromString(
        text.size() == 10 ? text + QStringLiteral("T00:00:00Z") : text, Qt::ISODateWithMs);
    return at.isValid() ? at.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min();
}

bool compareWith(int cmp, const QString &op)
{
    if (op == QLatin1String("equal"))
        return cmp == 0;
    if (op == QLatin1String("greaterThan"))
        return cmp > 0;
    if (op == QLatin1String("greaterThanOrEqual"))
        return cmp >= 0;
    if (op == QLatin1String("lessThan"))
        return cmp < 0;
    if (op == QLatin1String("lessThanOrEqual"))
        return cmp <= 0;
    return false;
}

/// The API's filter rules, restated independently of the sandbox: does `record` pass
/// `key[op]=value` (op already without "-"; an omitted op resolved by the caller)?
bool expectedMatch(const SandboxSchema &schema, const QJsonObject &record, const QString &key,
    const QString &op, const QString &value)
{
    if (const SandboxRelationshipDef *rel = schema.relationshipBySlug(key))
        return relationshipOf(record, rel->key).contains(value);
    const SandboxFieldDef *def = schema.field(key);
    if (!def)
        return false;
    const QJsonValue v = fieldOf(record, key);
    const QString &type = def->valueType;
    if (type == QLatin1String("NUMBER") || type == QLatin1String("CURRENCY")) {
        if (!v.isDouble())
            return false;
        const double wanted = value.toDouble();
        return compareWith(v.toDouble() < wanted ? -1 : (v.toDouble() > wanted ? 1 : 0), op);
    }
    if (type == QLatin1String("DATETIME")) {
        if (!v.isString())
            return false;
        const qint64 have = filterDateMs(v.toString());
        const qint64 wanted = filterDateMs(value);
        return compareWith(have < wanted ? -1 : (have > wanted ? 1 : 0), op);
    }
    if (type == QLatin1String("CHECKBOX"))
        return v.isBool() && v.toBool() == (value == QLatin1String("true"));
    if (type == QLatin1String("SINGLE_SELECT")) {
        if (!v.isString())
            return false;
        if (v.toString() == value)
            return true;
        const QJsonArray options = def->typeConfiguration[QStringLiteral("options")].toArray();
        for (const QJsonValue &option : options) {
            if (option[QStringLiteral("id")].toString() == v.toString())
                return option[QStringLiteral("label")].toString().compare(
                           value, Qt::CaseInsensitive)
                    == 0;
        }
        return false;
    }
    if (type == QLatin1String("EMAIL") || type == QLatin1String("TELEPHONE")
        || type == QLatin1String("URL")) {
        QStringList items;
        if (v.isString())
            items.append(v.toString());
        for (const QJsonValue &item : v.toArray())
            items.append(item.toString());
        if (value.isEmpty())
            return !items.isEmpty();
        return std::any_of(items.cbegin(), items.cend(),
            [&value](const QString &item) { return item.contains(value, Qt::CaseInsensitive); });
    }
    const QString text = v.isNull() ? QString() : filterTextOf(type, v);
    if (op == QLatin1String("startsWith"))
        return value.isEmpty() ? !text.isEmpty() : text.startsWith(value, Qt::CaseInsensitive);
    return !v.isNull() && text.compare(value, Qt::CaseInsensitive) == 0;
}

/// Resolves a row's "{kind:key:n}" placeholder against the first record that has the value.
QString sampleValue(
    const SandboxSchema &schema, const QList<QJsonObject> &records, const QString &pattern)
{
    if (!pattern.startsWith(QLatin1Char('{')))
        return pattern;
    const QStringList parts = pattern.mid(1, pattern.size() - 2).split(QLatin1Char(':'));
    const QString &kind = parts.at(0);
    const QString &key = parts.at(1);
    const int length = parts.size() > 2 ? parts.at(2).toInt() : 0;
    for (const QJsonObject &record : records) {
        if (kind == QLatin1String("rel")) {
            const QStringList ids = relationshipOf(record, key);
            if (!ids.isEmpty())
                return ids.first();
            continue;
        }
        const QJsonValue v = fieldOf(record, key);
        if (v.isNull() || (v.isArray() && v.toArray().isEmpty()))
            continue;
        if (kind == QLatin1String("value"))
            return v.isDouble() ? QString::number(v.toDouble(), 'f', 2) : v.toString();
        if (kind == QLatin1String("date"))
            return v.toString().left(10);
        const QString text = filterTextOf(schema.field(key)->valueType, v);
        const QString cut = length > 0 ? text.left(length) : text;
        return kind == QLatin1String("lower") ? cut.toLower() : cut;
    }
    return QStringLiteral("<no sample for %1>").arg(pattern);
}

} // namespace

#define SANDBOX(name, ...)                                                                         \
    Sandbox name {__VA_ARGS__};                                                                    \
    QVERIFY(name.port != 0)
#define CHECK_ERROR(...)                                                                           \
    do {                                                                                           \
        checkError(__VA_ARGS__);                                                                   \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)
#define CHECK_DOCUMENTED_ERROR(...)                                                                \
    do {                                                                                           \
        checkDocumentedError(__VA_ARGS__);                                                         \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)
#define CHECK_OK(reply)                                                                            \
    do {                                                                                           \
        checkOk(reply);                                                                            \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)

class TestSandboxServer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // --- Headers and routes ----------------------------------------------------------------------

    void requestWithoutValidBearerKeyIsUnauthorized_data()
    {
        QTest::addColumn<bool>("sendAuth");
        QTest::addColumn<QByteArray>("authorization");
        QTest::newRow("missing") << false << QByteArray();
        QTest::newRow("unknown key") << true << QByteArray("Bearer sk_lf_nope");
        QTest::newRow("empty bearer") << true << QByteArray("Bearer ");
        QTest::newRow("basic scheme") << true << QByteArray("Basic c2tfbGZfZGVtbzo=");
        QTest::newRow("key without scheme") << true << QByteArray("sk_lf_demo");
    }
    void requestWithoutValidBearerKeyIsUnauthorized()
    {
        QFETCH(bool, sendAuth);
        QFETCH(QByteArray, authorization);
        SANDBOX(sandbox);
        Options options;
        options.sendAuth = sendAuth;
        options.authorization = authorization;
        const Reply list = sandbox.api().get(kOpportunitiesPath, {}, options);
        CHECK_ERROR(list, 401, QStringLiteral("unauthorized"));
        const Reply write = sandbox.api().post(sandbox.opportunityPath(), {}, options);
        CHECK_ERROR(write, 401, QStringLiteral("unauthorized"));
        QVERIFY2(!list.body.contains("sk_lf_nope"), "the key must not be echoed");
        QCOMPARE(sandbox->stats().value(QStringLiteral("writesApplied")).toInt(), 0);
    }

    void missingOrWrongVersionHeaderIsRejected_data()
    {
        QTest::addColumn<bool>("sendVersion");
        QTest::addColumn<QByteArray>("version");
        QTest::newRow("missing") << false << QByteArray();
        QTest::newRow("older date") << true << QByteArray("2025-01-01");
        QTest::newRow("garbage") << true << QByteArray("latest");
        QTest::newRow("trailing text") << true << QByteArray("2026-03-01x");
    }
    void missingOrWrongVersionHeaderIsRejected()
    {
        QFETCH(bool, sendVersion);
        QFETCH(QByteArray, version);
        SANDBOX(sandbox);
        Options options;
        options.sendVersion = sendVersion;
        options.version = version;
        CHECK_ERROR(sandbox.api().get(kOpportunitiesPath, {}, options), 400,
            QStringLiteral("bad_request"), QStringLiteral("version_header"));
        CHECK_ERROR(sandbox.api().get(QStringLiteral("/v1/auth/validate"), {}, options), 400,
            QStringLiteral("bad_request"), QStringLiteral("version_header"));
        CHECK_ERROR(sandbox.api().post(sandbox.opportunityPath(), {}, options), 400,
            QStringLiteral("bad_request"), QStringLiteral("version_header"));
    }

    void postWithoutJsonContentTypeIsUnsupportedMediaType_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        QTest::newRow("text/plain") << QByteArray("text/plain") << 415;
        QTest::newRow("form") << QByteArray("application/x-www-form-urlencoded") << 415;
        QTest::newRow("xml") << QByteArray("application/xml") << 415;
        QTest::newRow("json with charset") << QByteArray("application/json; charset=utf-8") << 200;
        QTest::newRow("json") << QByteArray("application/json") << 200;
    }
    void postWithoutJsonContentTypeIsUnsupportedMediaType()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        SANDBOX(sandbox);
        Options options;
        options.contentType = contentType;
        const QJsonObject body {{QStringLiteral("fields"),
            QJsonObject {{QStringLiteral("$name"), QStringLiteral("X")}}}};
        const Reply reply = sandbox.api().post(sandbox.opportunityPath(), body, options);
        if (status == 415) {
            CHECK_ERROR(reply, 415, QStringLiteral("unsupported_media_type"));
            QCOMPARE(sandbox->stats().value(QStringLiteral("writesApplied")).toInt(), 0);
        } else {
            CHECK_OK(reply);
        }
    }

    void scopedKeyMayReadButNotWrite_data()
    {
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::newRow("list") << QByteArray("GET") << QStringLiteral("/v1/opportunities") << 200;
        QTest::newRow("retrieve") << QByteArray("GET") << QStringLiteral("{opp}") << 200;
        QTest::newRow("definitions")
            << QByteArray("GET") << QStringLiteral("/v1/opportunities/definitions") << 200;
        QTest::newRow("validate") << QByteArray("GET") << QStringLiteral("/v1/auth/validate")
                                  << 200;
        QTest::newRow("create") << QByteArray("POST") << QStringLiteral("/v1/opportunities") << 403;
        QTest::newRow("update") << QByteArray("POST") << QStringLiteral("{opp}") << 403;
        QTest::newRow("other type") << QByteArray("GET") << QStringLiteral("/v1/accounts") << 403;
        QTest::newRow("list members needs lists:read")
            << QByteArray("GET") << QStringLiteral("{list}/opportunities") << 403;
    }
    void scopedKeyMayReadButNotWrite()
    {
        QFETCH(QByteArray, verb);
        QFETCH(QString, path);
        QFETCH(int, status);
        SandboxConfig config = testConfig();
        config.apiKeys = {{QStringLiteral("sk_lf_ro"), {QStringLiteral("opportunities:read")}}};
        SANDBOX(sandbox, config);
        path.replace(QStringLiteral("{opp}"), sandbox.opportunityPath());
        path.replace(QStringLiteral("{list}"),
            QStringLiteral("/v1/lists/") + sandbox.id(QStringLiteral("list")));
        Options options;
        options.apiKey = QStringLiteral("sk_lf_ro");
        const QJsonObject body {{QStringLiteral("fields"),
            QJsonObject {{QStringLiteral("$name"), QStringLiteral("X")}}}};
        const Reply reply = verb == "POST" ? sandbox.api().post(path, body, options)
                                           : sandbox.api().get(path, {}, options);
        if (status == 200) {
            CHECK_OK(reply);
        } else {
            CHECK_ERROR(reply, 403, QStringLiteral("forbidden"));
        }
        QCOMPARE(sandbox->stats().value(QStringLiteral("writesApplied")).toInt(), 0);
        // The default demo key is not accepted once keys are configured.
        CHECK_ERROR(sandbox.api().get(kOpportunitiesPath), 401, QStringLiteral("unauthorized"));
    }

    void authValidateDescribesTheKey_data()
    {
        QTest::addColumn<QStringList>("scopes");
        QTest::newRow("full access") << QStringList();
        QTest::newRow("scoped") << QStringList {
            QStringLiteral("opportunities:read"), QStringLiteral("lists:read")};
    }
    void authValidateDescribesTheKey()
    {
        QFETCH(QStringList, scopes);
        SandboxConfig config = testConfig();
        config.apiKeys = {{QStringLiteral("sk_lf_k"), scopes}};
        SANDBOX(sandbox, config);
        Options options;
        options.apiKey = QStringLiteral("sk_lf_k");
        const Reply reply = sandbox.api().get(QStringLiteral("/v1/auth/validate"), {}, options);
        CHECK_OK(reply);
        const QJsonObject body = reply.object();
        QCOMPARE(sortedKeys(body),
            (QStringList {QStringLiteral("active"), QStringLiteral("scopes"),
                QStringLiteral("subjectType"), QStringLiteral("tokenType")}));
        QCOMPARE(body.value(QStringLiteral("active")), QJsonValue(true));
        QVERIFY(body.value(QStringLiteral("scopes")).isArray());
        QStringList got;
        const QJsonArray array = body.value(QStringLiteral("scopes")).toArray();
        for (const QJsonValue &scope : array)
            got.append(scope.toString());
        QCOMPARE(got, scopes);
        const QString subject = body.value(QStringLiteral("subjectType")).toString();
        QVERIFY2(subject == QLatin1String("user") || subject == QLatin1String("workspace"),
            qPrintable(subject));
        QCOMPARE(body.value(QStringLiteral("tokenType")).toString(), QStringLiteral("api_key"));
    }

    void authValidateCanBeAbsentOrMalformed()
    {
        SANDBOX(sandbox);
        const QString path = QStringLiteral("/v1/auth/validate");
        sandbox->config().authValidate = SandboxConfig::AuthValidate::Absent;
        const Reply absent = sandbox.api().get(path);
        CHECK_ERROR(absent, 404, QStringLiteral("not_found"));
        // Exactly as an unknown route: whatever the key.
        Options wrongKey;
        wrongKey.apiKey = QStringLiteral("sk_lf_nobody");
        CHECK_ERROR(sandbox.api().get(path, {}, wrongKey), 404, QStringLiteral("not_found"));
        CHECK_OK(sandbox.api().get(kOpportunitiesPath));

        sandbox->config().authValidate = SandboxConfig::AuthValidate::Malformed;
        const Reply malformed = sandbox.api().get(path);
        CHECK_OK(malformed);
        QVERIFY(!malformed.object().contains(QStringLiteral("scopes")));
        QVERIFY(!malformed.object().contains(QStringLiteral("active")));
        // Still checked like the documented route.
        QCOMPARE(sandbox.api().get(path, {}, wrongKey).status, 401);

        sandbox->config().authValidate = SandboxConfig::AuthValidate::Html;
        const Reply html = sandbox.api().get(path);
        QCOMPARE(html.status, 200);
        QVERIFY(!html.jsonOk);
        QVERIFY(html.header("Content-Type").startsWith("text/html"));

        sandbox->config().authValidate = SandboxConfig::AuthValidate::Present;
        CHECK_OK(sandbox.api().get(path));
    }

    void unknownRouteIsNotFound_data()
    {
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<QString>("path");
        QTest::newRow("unknown type") << QByteArray("GET") << QStringLiteral("/v1/widgets");
        QTest::newRow("unknown version")
            << QByteArray("GET") << QStringLiteral("/v2/opportunities");
        QTest::newRow("root") << QByteArray("GET") << QStringLiteral("/");
        QTest::newRow("too deep") << QByteArray("GET") << QStringLiteral("/v1/opportunities/x/y/z");
        QTest::newRow("members definitions")
            << QByteArray("GET") << QStringLiteral("/v1/members/definitions");
        QTest::newRow("lists definitions")
            << QByteArray("GET") << QStringLiteral("/v1/lists/definitions");
        QTest::newRow("create member") << QByteArray("POST") << QStringLiteral("/v1/members");
        QTest::newRow("delete") << QByteArray("DELETE") << QStringLiteral("{opp}");
        QTest::newRow("put") << QByteArray("PUT") << QStringLiteral("{opp}");
        QTest::newRow("unknown opportunity")
            << QByteArray("GET") << QStringLiteral("/v1/opportunities/opp_doesNotExist");
        QTest::newRow("unknown admin route")
            << QByteArray("GET") << QStringLiteral("/__sandbox/nothing");
    }
    void unknownRouteIsNotFound()
    {
        QFETCH(QByteArray, verb);
        QFETCH(QString, path);
        SANDBOX(sandbox);
        path.replace(QStringLiteral("{opp}"), sandbox.opportunityPath());
        const QByteArray body = "{}";
        const Reply reply = sandbox.api().send(verb, sandbox.api().url(path),
            verb == "GET" ? std::nullopt : std::optional<QByteArray>(body));
        CHECK_ERROR(reply, 404, QStringLiteral("not_found"));
        // The record is still there after a DELETE or PUT that the API does not route.
        CHECK_OK(sandbox.api().get(sandbox.opportunityPath()));
    }

    // --- Record shapes and definitions ----------------------------------------------------------

    void recordsHaveTheDocumentedShape_data()
    {
        QTest::addColumn<QString>("plural");
        QTest::addColumn<QString>("objectType");
        QTest::addColumn<QString>("idPrefix");
        QTest::addColumn<QStringList>("keys");
        const QStringList full {QStringLiteral("createdAt"), QStringLiteral("externalId"),
            QStringLiteral("fields"), QStringLiteral("httpLink"), QStringLiteral("id"),
            QStringLiteral("relationships"), QStringLiteral("updatedAt")};
        QTest::newRow("opportunities")
            << QStringLiteral("opportunities") << QStringLiteral("opportunity")
            << QStringLiteral("opp_") << full;
        QTest::newRow("accounts") << QStringLiteral("accounts") << QStringLiteral("account")
                                  << QStringLiteral("acc_") << full;
        QTest::newRow("contacts") << QStringLiteral("contacts") << QStringLiteral("contact")
                                  << QStringLiteral("con_") << full;
        QTest::newRow("members") << QStringLiteral("members") << QStringLiteral("member")
                                 << QStringLiteral("mem_")
                                 << QStringList {QStringLiteral("createdAt"),
                                        QStringLiteral("fields"), QStringLiteral("httpLink"),
                                        QStringLiteral("id"), QStringLiteral("relationships"),
                                        QStringLiteral("updatedAt")};
        QTest::newRow("lists") << QStringLiteral("lists") << QStringLiteral("list")
                               << QStringLiteral("lst_")
                               << QStringList {QStringLiteral("createdAt"),
                                      QStringLiteral("fields"), QStringLiteral("httpLink"),
                                      QStringLiteral("id")};
    }
    void recordsHaveTheDocumentedShape()
    {
        QFETCH(QString, plural);
        QFETCH(QString, objectType);
        QFETCH(QString, idPrefix);
        QFETCH(QStringList, keys);
        SANDBOX(sandbox);
        const SandboxSchema &schema = sandbox->store().schema(objectType);
        const Reply list = sandbox.api().get(QStringLiteral("/v1/") + plural);
        CHECK_OK(list);
        QCOMPARE(sortedKeys(list.object()),
            (QStringList {
                QStringLiteral("data"), QStringLiteral("object"), QStringLiteral("totalCount")}));
        QCOMPARE(list.object().value(QStringLiteral("object")).toString(), QStringLiteral("list"));
        QCOMPARE(list.object().value(QStringLiteral("totalCount")).toInt(),
            sandbox->store().count(objectType));
        const QJsonArray data = list.object().value(QStringLiteral("data")).toArray();
        QVERIFY(!data.isEmpty());
        for (const QJsonValue &item : data) {
            const QJsonObject record = item.toObject();
            QCOMPARE(sortedKeys(record), keys);
            const QString id = record.value(QStringLiteral("id")).toString();
            QVERIFY2(id.startsWith(idPrefix), qPrintable(id));
            QVERIFY(QDateTime::fromString(
                record.value(QStringLiteral("createdAt")).toString(), Qt::ISODateWithMs)
                        .isValid());
            if (record.contains(QStringLiteral("updatedAt")))
                QVERIFY(record.value(QStringLiteral("updatedAt")).toString()
                    >= record.value(QStringLiteral("createdAt")).toString());
            QVERIFY(record.value(QStringLiteral("httpLink"))
                        .toString()
                        .startsWith(QLatin1String("https://")));
            if (record.contains(QStringLiteral("externalId")))
                QVERIFY(record.value(QStringLiteral("externalId")).isNull());
            // Every defined field is present as {valueType, value}.
            const QJsonObject fields = record.value(QStringLiteral("fields")).toObject();
            QCOMPARE(fields.size(), schema.fields.size());
            for (const SandboxFieldDef &def : schema.fields) {
                const QJsonObject field = fields.value(def.key).toObject();
                QCOMPARE(sortedKeys(field),
                    (QStringList {QStringLiteral("value"), QStringLiteral("valueType")}));
                QCOMPARE(field.value(QStringLiteral("valueType")).toString(), def.valueType);
            }
            if (objectType == QLatin1String("member")) {
                QVERIFY(record.value(QStringLiteral("relationships")).toObject().isEmpty());
                QVERIFY(fieldOf(record, QStringLiteral("$email")).isString());
                QVERIFY(fieldOf(record, QStringLiteral("$name")).isObject());
            } else if (record.contains(QStringLiteral("relationships"))) {
                const QJsonObject relationships
                    = record.value(QStringLiteral("relationships")).toObject();
                QCOMPARE(relationships.size(), schema.relationships.size());
                for (const SandboxRelationshipDef &def : schema.relationships) {
                    const QJsonObject rel = relationships.value(def.key).toObject();
                    QCOMPARE(sortedKeys(rel),
                        (QStringList {QStringLiteral("cardinality"), QStringLiteral("objectType"),
                            QStringLiteral("values")}));
                    QCOMPARE(rel.value(QStringLiteral("cardinality")).toString(), def.cardinality);
                    QCOMPARE(rel.value(QStringLiteral("objectType")).toString(), def.objectType);
                    QVERIFY(rel.value(QStringLiteral("values")).isArray());
                    if (def.cardinality == QLatin1String("HAS_ONE"))
                        QVERIFY(rel.value(QStringLiteral("values")).toArray().size() <= 1);
                }
            }
        }
        // Retrieve returns the same record as the (unlagged) list.
        const QJsonObject first = data.first().toObject();
        const Reply one = sandbox.api().get(
            QStringLiteral("/v1/%1/%2").arg(plural, first.value(QStringLiteral("id")).toString()));
        CHECK_OK(one);
        QCOMPARE(one.object(), first);
    }

    void opportunitiesOfAListArePagedRecords()
    {
        SANDBOX(sandbox);
        QString opportunityList;
        QString accountList;
        const QStringList lists = sandbox->store().ids(QStringLiteral("list"));
        for (const QString &id : lists) {
            const auto record = sandbox->store().retrieve(QStringLiteral("list"), id);
            const QString type = fieldOf(*record, QStringLiteral("$objectType")).toString();
            if (type == QLatin1String("opportunity") && opportunityList.isEmpty())
                opportunityList = id;
            if (type == QLatin1String("account"))
                accountList = id;
        }
        QVERIFY(!opportunityList.isEmpty() && !accountList.isEmpty());
        const Reply reply
            = sandbox.api().get(QStringLiteral("/v1/lists/%1/opportunities").arg(opportunityList),
                {{QStringLiteral("limit"), QStringLiteral("5")}});
        CHECK_OK(reply);
        QCOMPARE(reply.object().value(QStringLiteral("object")).toString(), QStringLiteral("list"));
        const QJsonArray data = reply.object().value(QStringLiteral("data")).toArray();
        QVERIFY(data.size() <= 5);
        QVERIFY(reply.object().value(QStringLiteral("totalCount")).toInt() >= data.size());
        for (const QJsonValue &record : data) {
            QVERIFY(record[QStringLiteral("id")].toString().startsWith(QLatin1String("opp_")));
            QVERIFY(record[QStringLiteral("fields")].isObject());
            QVERIFY(record[QStringLiteral("relationships")].isObject());
        }
        CHECK_ERROR(
            sandbox.api().get(QStringLiteral("/v1/lists/%1/opportunities").arg(accountList)), 400,
            QStringLiteral("bad_request"), QStringLiteral("invalid_type"));
        CHECK_ERROR(sandbox.api().get(QStringLiteral("/v1/lists/lst_nope/opportunities")), 404,
            QStringLiteral("not_found"));
    }

    void definitionsDescribeEveryField_data()
    {
        QTest::addColumn<QString>("plural");
        QTest::addColumn<QString>("objectType");
        QTest::newRow("opportunities")
            << QStringLiteral("opportunities") << QStringLiteral("opportunity");
        QTest::newRow("accounts") << QStringLiteral("accounts") << QStringLiteral("account");
        QTest::newRow("contacts") << QStringLiteral("contacts") << QStringLiteral("contact");
    }
    void definitionsDescribeEveryField()
    {
        QFETCH(QString, plural);
        QFETCH(QString, objectType);
        SANDBOX(sandbox);
        const Reply reply = sandbox.api().get(QStringLiteral("/v1/%1/definitions").arg(plural));
        CHECK_OK(reply);
        const QJsonObject body = reply.object();
        QCOMPARE(body.value(QStringLiteral("objectType")).toString(), objectType);
        const QJsonObject fields = body.value(QStringLiteral("fieldDefinitions")).toObject();
        const QJsonObject relationships
            = body.value(QStringLiteral("relationshipDefinitions")).toObject();
        QVERIFY(!fields.isEmpty());
        QVERIFY(!relationships.isEmpty());
        const QStringList valueTypes = sandboxValueTypes();
        QCOMPARE(valueTypes.size(), 14);
        for (auto it = fields.begin(); it != fields.end(); ++it) {
            const QJsonObject def = it.value().toObject();
            QVERIFY2(def.value(QStringLiteral("id")).toString().startsWith(QLatin1String("ad_")),
                qPrintable(it.key()));
            QVERIFY(!def.value(QStringLiteral("label")).toString().isEmpty());
            QVERIFY(def.value(QStringLiteral("description")).isString()
                || def.value(QStringLiteral("description")).isNull());
            QVERIFY(def.value(QStringLiteral("readOnly")).isBool());
            QVERIFY(def.value(QStringLiteral("typeConfiguration")).isObject());
            const QString type = def.value(QStringLiteral("valueType")).toString();
            QVERIFY2(valueTypes.contains(type), qPrintable(type));
            const QJsonObject config = def.value(QStringLiteral("typeConfiguration")).toObject();
            if (type == QLatin1String("SINGLE_SELECT") || type == QLatin1String("MULTI_SELECT")) {
                const QJsonArray options = config.value(QStringLiteral("options")).toArray();
                QVERIFY2(!options.isEmpty(), qPrintable(it.key()));
                for (const QJsonValue &option : options) {
                    QVERIFY(
                        option[QStringLiteral("id")].toString().startsWith(QLatin1String("opt_")));
                    QVERIFY(!option[QStringLiteral("label")].toString().isEmpty());
                    QVERIFY(option.toObject().contains(QStringLiteral("description")));
                }
            }
            if (type == QLatin1String("CURRENCY"))
                QCOMPARE(config.value(QStringLiteral("currency")).toString().size(), 3);
            if (type == QLatin1String("SOCIAL_HANDLE"))
                QVERIFY((QStringList {QStringLiteral("TWITTER"), QStringLiteral("LINKEDIN"),
                             QStringLiteral("FACEBOOK"), QStringLiteral("INSTAGRAM")})
                            .contains(config.value(QStringLiteral("handleService")).toString()));
            if (type == QLatin1String("EMAIL") || type == QLatin1String("URL")
                || type == QLatin1String("TELEPHONE"))
                QVERIFY2(
                    config.value(QStringLiteral("multipleValues")).isBool(), qPrintable(it.key()));
        }
        for (auto it = relationships.begin(); it != relationships.end(); ++it) {
            const QJsonObject def = it.value().toObject();
            QVERIFY(it.key().startsWith(QLatin1Char('$'))
                    ? def.value(QStringLiteral("id")).isNull()
                    : def.value(QStringLiteral("id")).toString().startsWith(QLatin1String("rd_")));
            const QString cardinality = def.value(QStringLiteral("cardinality")).toString();
            QVERIFY(cardinality == QLatin1String("HAS_ONE")
                || cardinality == QLatin1String("HAS_MANY"));
            QVERIFY(!def.value(QStringLiteral("objectType")).toString().isEmpty());
            QVERIFY(!def.value(QStringLiteral("slug")).toString().isEmpty());
        }
        // The definitions are the schema the store validates against.
        QCOMPARE(fields.size(), sandbox->store().schema(objectType).fields.size());
    }

    void opportunityDefinitionsCoverEveryValueType()
    {
        SANDBOX(sandbox);
        const Reply reply = sandbox.api().get(QStringLiteral("/v1/opportunities/definitions"));
        CHECK_OK(reply);
        const QJsonObject fields
            = reply.object().value(QStringLiteral("fieldDefinitions")).toObject();
        QSet<QString> types;
        for (const QJsonValue &def : fields)
            types.insert(def[QStringLiteral("valueType")].toString());
        const QStringList all = sandboxValueTypes();
        QCOMPARE(types, QSet<QString>(all.cbegin(), all.cend()));

        const QJsonObject stage = fields.value(QStringLiteral("$stage")).toObject();
        QCOMPARE(
            stage.value(QStringLiteral("valueType")).toString(), QStringLiteral("SINGLE_SELECT"));
        const QJsonArray stages
            = stage[QStringLiteral("typeConfiguration")][QStringLiteral("options")].toArray();
        QVERIFY(stages.size() >= 4);
        for (const QJsonValue &option : stages)
            QVERIFY(!option[QStringLiteral("description")].toString().isEmpty());
        QCOMPARE(fields[QStringLiteral("$amount")][QStringLiteral("typeConfiguration")]
                       [QStringLiteral("currency")]
                           .toString(),
            QStringLiteral("USD"));
        QCOMPARE(fields[QStringLiteral("buyerLinkedIn")][QStringLiteral("typeConfiguration")]
                       [QStringLiteral("handleService")]
                           .toString(),
            QStringLiteral("LINKEDIN"));
        QCOMPARE(fields[QStringLiteral("billingEmail")][QStringLiteral("typeConfiguration")]
                       [QStringLiteral("multipleValues")],
            QJsonValue(true));
        QCOMPARE(fields[QStringLiteral("dealRoom")][QStringLiteral("typeConfiguration")]
                       [QStringLiteral("multipleValues")],
            QJsonValue(false));
        const QJsonObject summary = fields.value(QStringLiteral("$summary")).toObject();
        QCOMPARE(summary.value(QStringLiteral("valueType")).toString(), QStringLiteral("MARKDOWN"));
        QCOMPARE(summary.value(QStringLiteral("readOnly")), QJsonValue(true));
        QCOMPARE(fields[QStringLiteral("$opportunityStatus")][QStringLiteral("readOnly")],
            QJsonValue(true));
        QCOMPARE(fields[QStringLiteral("$name")][QStringLiteral("readOnly")], QJsonValue(false));

        const QJsonObject relationships
            = reply.object().value(QStringLiteral("relationshipDefinitions")).toObject();
        QCOMPARE(
            relationships[QStringLiteral("$account")][QStringLiteral("cardinality")].toString(),
            QStringLiteral("HAS_ONE"));
        QCOMPARE(relationships[QStringLiteral("$account")][QStringLiteral("objectType")].toString(),
            QStringLiteral("account"));
        QCOMPARE(relationships[QStringLiteral("$account")][QStringLiteral("slug")].toString(),
            QStringLiteral("$opportunity-account"));
        QCOMPARE(
            relationships[QStringLiteral("$evaluator")][QStringLiteral("cardinality")].toString(),
            QStringLiteral("HAS_MANY"));
        QCOMPARE(relationships[QStringLiteral("$owner")][QStringLiteral("objectType")].toString(),
            QStringLiteral("member"));
        QCOMPARE(
            relationships[QStringLiteral("$task")][QStringLiteral("readOnly")], QJsonValue(true));
    }

    // --- The 14 value types: write shape in, read shape out ----------------------------------

    void everyValueTypeRoundTrips_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QByteArray>("written");
        QTest::addColumn<QByteArray>("read");
        QTest::newRow("TEXT") << QStringLiteral("$name") << QByteArray("\"Ærø – 取引 🚀\"")
                              << QByteArray("\"Ærø – 取引 🚀\"");
        QTest::newRow("NUMBER two decimals")
            << QStringLiteral("probability") << QByteArray("12.5") << QByteArray("12.5");
        QTest::newRow("NUMBER integer")
            << QStringLiteral("probability") << QByteArray("-40") << QByteArray("-40");
        QTest::newRow("CHECKBOX") << QStringLiteral("isStrategic") << QByteArray("true")
                                  << QByteArray("true");
        QTest::newRow("CURRENCY") << QStringLiteral("$amount") << QByteArray("48000.25")
                                  << QByteArray("48000.25");
        QTest::newRow("CURRENCY EUR")
            << QStringLiteral("arrEur") << QByteArray("1200") << QByteArray("1200");
        QTest::newRow("DATETIME offset → UTC")
            << QStringLiteral("closeDate") << QByteArray("\"2026-09-30T17:00:00+02:00\"")
            << QByteArray("\"2026-09-30T15:00:00.000Z\"");
        QTest::newRow("DATETIME negative offset crosses midnight")
            << QStringLiteral("closeDate") << QByteArray("\"2026-12-31T22:30:00-05:00\"")
            << QByteArray("\"2027-01-01T03:30:00.000Z\"");
        QTest::newRow("DATETIME Z with millis")
            << QStringLiteral("closeDate") << QByteArray("\"2026-01-02T03:04:05.678Z\"")
            << QByteArray("\"2026-01-02T03:04:05.678Z\"");
        QTest::newRow("EMAIL single → array when multipleValues")
            << QStringLiteral("billingEmail") << QByteArray("\"ap@northwind.example\"")
            << QByteArray("[\"ap@northwind.example\"]");
        QTest::newRow("EMAIL array")
            << QStringLiteral("billingEmail")
            << QByteArray("[\"ap@northwind.example\",\"cfo@northwind.example\"]")
            << QByteArray("[\"ap@northwind.example\",\"cfo@northwind.example\"]");
        QTest::newRow("TELEPHONE US with extension")
            << QStringLiteral("buyerPhones") << QByteArray("[\"(512) 555-0100 x12\"]")
            << QByteArray("[\"+15125550100;ext=12\"]");
        QTest::newRow("TELEPHONE local 7 digits and ext. ")
            << QStringLiteral("buyerPhones") << QByteArray("[\"555-0100\", \"555 0101 ext. 100\"]")
            << QByteArray("[\"5550100\",\"5550101;ext=100\"]");
        QTest::newRow("TELEPHONE E.164 and ext:")
            << QStringLiteral("buyerPhones")
            << QByteArray("[\"+44 20 7946 0958\", \"+1 512 555 0199 ext:7\", \"512.555.0101 #3\"]")
            << QByteArray("[\"+442079460958\",\"+15125550199;ext=7\",\"+15125550101;ext=3\"]");
        QTest::newRow("URL single-valued stays a string")
            << QStringLiteral("dealRoom") << QByteArray("\"https://deals.example/room/1\"")
            << QByteArray("\"https://deals.example/room/1\"");
        QTest::newRow("ADDRESS partial → all eight members")
            << QStringLiteral("deliveryAddress")
            << QByteArray(
                   "{\"city\":\"Austin\",\"state\":\"TX\",\"country\":\"us\",\"latitude\":30.27}")
            << QByteArray(
                   "{\"street\":null,\"street2\":null,\"city\":\"Austin\",\"state\":\"TX\","
                   "\"postalCode\":null,\"country\":\"US\",\"latitude\":30.27,\"longitude\":null}");
        QTest::newRow("FULL_NAME partial")
            << QStringLiteral("economicBuyer") << QByteArray("{\"firstName\":\"Ana\"}")
            << QByteArray("{\"firstName\":\"Ana\",\"lastName\":null}");
        QTest::newRow("SOCIAL_HANDLE LinkedIn")
            << QStringLiteral("buyerLinkedIn") << QByteArray("\"https://linkedin.com/in/ana-ruiz\"")
            << QByteArray("\"https://linkedin.com/in/ana-ruiz\"");
        QTest::newRow("SINGLE_SELECT by id")
            << QStringLiteral("forecastCategory") << QByteArray("\"opt_forecast_commit\"")
            << QByteArray("\"opt_forecast_commit\"");
        QTest::newRow("SINGLE_SELECT by label, any case")
            << QStringLiteral("forecastCategory") << QByteArray("\"best CASE\"")
            << QByteArray("\"opt_forecast_best_case\"");
        QTest::newRow("stage by label") << QStringLiteral("$stage") << QByteArray("\"Proposal\"")
                                        << QByteArray("\"opt_stage_proposal\"");
        QTest::newRow("MULTI_SELECT labels → ids, duplicates dropped")
            << QStringLiteral("competitors")
            << QByteArray("[\"HubSpot\",\"opt_competitors_attio\",\"hubspot\"]")
            << QByteArray("[\"opt_competitors_hubspot\",\"opt_competitors_attio\"]");
        QTest::newRow("MARKDOWN") << QStringLiteral("nextSteps")
                                  << QByteArray("\"**Call** the CFO\\n- send deck\"")
                                  << QByteArray("\"**Call** the CFO\\n- send deck\"");
        QTest::newRow("null clears NUMBER")
            << QStringLiteral("probability") << QByteArray("null") << QByteArray("null");
        QTest::newRow("null clears MULTI_SELECT")
            << QStringLiteral("competitors") << QByteArray("null") << QByteArray("null");
        QTest::newRow("null clears ADDRESS")
            << QStringLiteral("deliveryAddress") << QByteArray("null") << QByteArray("null");
    }
    void everyValueTypeRoundTrips()
    {
        QFETCH(QString, key);
        QFETCH(QByteArray, written);
        QFETCH(QByteArray, read);
        SANDBOX(sandbox);
        const QJsonValue in = parseValue(written);
        const QJsonValue expected = parseValue(read);
        QVERIFY2(!in.isUndefined() && !expected.isUndefined(), "bad test row JSON");
        const QString path = sandbox.opportunityPath(3);
        if (expected.isNull()) {
            // Make sure there is something to clear first.
            const QJsonObject seed {{QStringLiteral("probability"), 55},
                {QStringLiteral("competitors"), QJsonArray {QStringLiteral("Attio")}},
                {QStringLiteral("deliveryAddress"),
                    QJsonObject {{QStringLiteral("city"), QStringLiteral("Oslo")}}}};
            CHECK_OK(sandbox.api().post(path, {{QStringLiteral("fields"), seed}}));
        }
        const Reply update
            = sandbox.api().post(path, {{QStringLiteral("fields"), QJsonObject {{key, in}}}});
        CHECK_OK(update);
        QCOMPARE(compact(fieldOf(update.object(), key)), compact(expected));
        QCOMPARE(valueTypeOf(update.object(), key),
            sandbox->store().schema(QStringLiteral("opportunity")).field(key)->valueType);
        const Reply retrieve = sandbox.api().get(path);
        CHECK_OK(retrieve);
        QCOMPARE(compact(fieldOf(retrieve.object(), key)), compact(expected));
        QCOMPARE(retrieve.object(), update.object());

        // The same value on create reads back the same way.
        if (key != QLatin1String("$name") && key != QLatin1String("$stage") && !expected.isNull()) {
            QJsonObject body = newOpportunityBody(sandbox, QStringLiteral("Round trip"));
            QJsonObject fields = body.value(QStringLiteral("fields")).toObject();
            fields.insert(key, in);
            body.insert(QStringLiteral("fields"), fields);
            const Reply created = sandbox.api().post(kOpportunitiesPath, body);
            CHECK_OK(created);
            QCOMPARE(compact(fieldOf(created.object(), key)), compact(expected));
        }
    }

    void createReturnsTheFullRecordWithEveryField()
    {
        SANDBOX(sandbox);
        const QString account = sandbox.id(QStringLiteral("account"), 2);
        const QString owner = sandbox.id(QStringLiteral("member"), 1);
        const QString contact = sandbox.id(QStringLiteral("contact"), 0);
        const QJsonObject body = parseObject(
            "{\"fields\": { "
            "\"$name\": \"Northwind – renewal FY27\", \"$stage\": \"opt_stage_discovery\", "
            "\"$amount\": 48000, \"closeDate\": \"2026-09-30T00:00:00+00:00\", "
            "\"probability\": 40.5, \"isStrategic\": false, \"competitors\": [\"Salesforce\"], "
            "\"forecastCategory\": \"Pipeline\", \"billingEmail\": [\"ap@northwind.example\"], "
            "\"dealRoom\": \"https://deals.example/nw\", \"buyerPhones\": [\"+15125550100 x12\"], "
            "\"deliveryAddress\": {\"street\": \"1 Main St\", \"city\": \"Austin\", \"country\": "
            "\"US\"}, "
            "\"economicBuyer\": {\"firstName\": \"Ana\", \"lastName\": \"Ruiz\"}, "
            "\"buyerLinkedIn\": \"https://www.linkedin.com/company/northwind\", "
            "\"nextSteps\": \"Send the MSA\", \"arrEur\": 1000.5}}");
        QJsonObject withRelationships = body;
        withRelationships.insert(QStringLiteral("relationships"),
            QJsonObject {{QStringLiteral("$account"), account}, {QStringLiteral("$owner"), owner},
                {QStringLiteral("$createdBy"), owner},
                {QStringLiteral("$evaluator"), QJsonArray {contact}}});
        const int before = sandbox->store().count(QStringLiteral("opportunity"));
        const Reply created = sandbox.api().post(kOpportunitiesPath, withRelationships);
        CHECK_OK(created);
        const QJsonObject record = created.object();
        QCOMPARE(sandbox->store().count(QStringLiteral("opportunity")), before + 1);
        QVERIFY(record.value(QStringLiteral("id")).toString().startsWith(QLatin1String("opp_")));
        QCOMPARE(
            record.value(QStringLiteral("createdAt")), record.value(QStringLiteral("updatedAt")));
        QVERIFY(record.value(QStringLiteral("createdAt")).toString().endsWith(QLatin1Char('Z')));
        QCOMPARE(record.value(QStringLiteral("fields")).toObject().size(),
            sandbox->store().schema(QStringLiteral("opportunity")).fields.size());
        QVERIFY(fieldOf(record, QStringLiteral("$summary")).isNull());
        QCOMPARE(fieldOf(record, QStringLiteral("$opportunityStatus")).toString(),
            QStringLiteral("opt_status_open"));
        QCOMPARE(fieldOf(record, QStringLiteral("forecastCategory")).toString(),
            QStringLiteral("opt_forecast_pipeline"));
        QCOMPARE(relationshipOf(record, QStringLiteral("$account")), QStringList {account});
        QCOMPARE(relationshipOf(record, QStringLiteral("$owner")), QStringList {owner});
        QCOMPARE(relationshipOf(record, QStringLiteral("$createdBy")), QStringList {owner});
        QCOMPARE(relationshipOf(record, QStringLiteral("$evaluator")), QStringList {contact});
        QVERIFY(relationshipOf(record, QStringLiteral("$task")).isEmpty());
        const Reply retrieved = sandbox.api().get(
            kOpportunitiesPath + QLatin1Char('/') + record.value(QStringLiteral("id")).toString());
        CHECK_OK(retrieved);
        QCOMPARE(retrieved.object(), record);
        // The account's read-only $opportunity side follows.
        const Reply accountReply = sandbox.api().get(QStringLiteral("/v1/accounts/") + account);
        CHECK_OK(accountReply);
        QVERIFY(relationshipOf(accountReply.object(), QStringLiteral("$opportunity"))
                    .contains(record.value(QStringLiteral("id")).toString()));
    }

    // --- Write errors --------------------------------------------------------------------------

    void invalidUpdatesAreRejectedWithCodeAndParam_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("param");
        const auto row = [](const char *name, const char *body, const char *code, const char *param,
                             int status = 400) {
            QTest::newRow(name) << QByteArray(body) << status << QString::fromLatin1(code)
                                << QString::fromLatin1(param);
        };
        row("unknown field", "{\"fields\":{\"foo\":1}}", "unknown_field", "fields.foo");
        row("unknown top-level key", "{\"field\":{}}", "unknown_field", "field");
        row("fields not an object", "{\"fields\":[]}", "invalid_type", "fields");
        row("NUMBER with 3 decimals", "{\"fields\":{\"probability\":1.234}}", "invalid_type",
            "fields.probability");
        row("NUMBER as string", "{\"fields\":{\"probability\":\"12\"}}", "invalid_type",
            "fields.probability");
        row("NUMBER beyond 2^53", "{\"fields\":{\"probability\":9007199254740993}}", "invalid_type",
            "fields.probability");
        row("CURRENCY 3 decimals", "{\"fields\":{\"$amount\":10.001}}", "invalid_type",
            "fields.$amount");
        row("CHECKBOX as string", "{\"fields\":{\"isStrategic\":\"yes\"}}", "invalid_type",
            "fields.isStrategic");
        row("DATETIME without offset", "{\"fields\":{\"closeDate\":\"2026-09-30T17:00:00\"}}",
            "invalid_type", "fields.closeDate");
        row("DATETIME date only", "{\"fields\":{\"closeDate\":\"2026-09-30\"}}", "invalid_type",
            "fields.closeDate");
        row("DATETIME impossible day", "{\"fields\":{\"closeDate\":\"2026-02-30T00:00:00Z\"}}",
            "invalid_type", "fields.closeDate");
        row("EMAIL malformed", "{\"fields\":{\"billingEmail\":\"not-an-email\"}}", "invalid_type",
            "fields.billingEmail");
        row("URL array on single-valued field",
            "{\"fields\":{\"dealRoom\":[\"https://a.example\"]}}", "invalid_type",
            "fields.dealRoom");
        row("URL without scheme", "{\"fields\":{\"dealRoom\":\"deals.example\"}}", "invalid_type",
            "fields.dealRoom");
        row("TELEPHONE E.164 too long", "{\"fields\":{\"buyerPhones\":[\"+1234567890123456\"]}}",
            "invalid_type", "fields.buyerPhones");
        row("TELEPHONE letters", "{\"fields\":{\"buyerPhones\":[\"call me\"]}}", "invalid_type",
            "fields.buyerPhones");
        row("ADDRESS three-letter country",
            "{\"fields\":{\"deliveryAddress\":{\"country\":\"USA\"}}}", "invalid_type",
            "fields.deliveryAddress");
        row("ADDRESS unknown member", "{\"fields\":{\"deliveryAddress\":{\"zip\":\"78701\"}}}",
            "invalid_type", "fields.deliveryAddress");
        row("FULL_NAME as string", "{\"fields\":{\"economicBuyer\":\"Ana Ruiz\"}}", "invalid_type",
            "fields.economicBuyer");
        row("SOCIAL_HANDLE wrong service", "{\"fields\":{\"buyerLinkedIn\":\"https://x.com/ana\"}}",
            "invalid_type", "fields.buyerLinkedIn");
        row("SINGLE_SELECT unknown option", "{\"fields\":{\"forecastCategory\":\"Maybe\"}}",
            "invalid_type", "fields.forecastCategory");
        row("MULTI_SELECT not an array", "{\"fields\":{\"competitors\":\"HubSpot\"}}",
            "invalid_type", "fields.competitors");
        row("MULTI_SELECT unknown option", "{\"fields\":{\"competitors\":[\"Oracle\"]}}",
            "invalid_type", "fields.competitors");
        row("TEXT as number", "{\"fields\":{\"$name\":42}}", "invalid_type", "fields.$name");
        row("required field nulled", "{\"fields\":{\"$name\":null}}", "parameter_missing",
            "fields.$name");
        row("stage nulled", "{\"fields\":{\"$stage\":null}}", "parameter_missing", "fields.$stage");
        row("$opportunityStatus is read-only",
            "{\"fields\":{\"$opportunityStatus\":\"opt_status_won\"}}", "read_only_field",
            "fields.$opportunityStatus");
        row("$summary is read-only", "{\"fields\":{\"$summary\":\"Nice deal\"}}", "read_only_field",
            "fields.$summary");
        row("$lastInteractionAt is read-only",
            "{\"fields\":{\"$lastInteractionAt\":\"2026-01-01T00:00:00Z\"}}", "read_only_field",
            "fields.$lastInteractionAt");
        row("$task is read-only", "{\"relationships\":{\"$task\":{\"add\":\"tsk_1\"}}}",
            "read_only_relationship", "relationships.$task");
        row("$note is read-only", "{\"relationships\":{\"$note\":{\"replace\":[]}}}",
            "read_only_relationship", "relationships.$note");
        row("$createdBy only on create",
            "{\"relationships\":{\"$createdBy\":{\"replace\":\"{mem}\"}}}",
            "read_only_relationship", "relationships.$createdBy");
        row("unknown relationship", "{\"relationships\":{\"$contacts\":{\"add\":\"{con}\"}}}",
            "unknown_relationship", "relationships.$contacts");
        row("missing owner", "{\"relationships\":{\"$owner\":{\"replace\":\"mem_doesNotExist\"}}}",
            "relationship_entity_missing", "relationships.$owner");
        row("contact id given as owner", "{\"relationships\":{\"$owner\":{\"replace\":\"{con}\"}}}",
            "relationship_entity_missing", "relationships.$owner");
        row("missing evaluator",
            "{\"relationships\":{\"$evaluator\":{\"add\":[\"{con}\",\"con_nope\"]}}}",
            "relationship_entity_missing", "relationships.$evaluator");
        row("bare id instead of operation", "{\"relationships\":{\"$evaluator\":\"{con}\"}}",
            "invalid_type", "relationships.$evaluator");
        row("two operations",
            "{\"relationships\":{\"$evaluator\":{\"add\":\"{con}\",\"remove\":\"{con}\"}}}",
            "invalid_type", "relationships.$evaluator");
        row("HAS_ONE replaced by two",
            "{\"relationships\":{\"$owner\":{\"replace\":[\"{mem}\",\"{mem2}\"]}}}", "invalid_type",
            "relationships.$owner");
        row("required relationship emptied", "{\"relationships\":{\"$account\":{\"replace\":[]}}}",
            "parameter_missing", "relationships.$account");
    }
    void invalidUpdatesAreRejectedWithCodeAndParam()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, param);
        SANDBOX(sandbox);
        body.replace("{con}", sandbox.id(QStringLiteral("contact"), 1).toUtf8());
        body.replace("{mem2}", sandbox.id(QStringLiteral("member"), 2).toUtf8());
        body.replace("{mem}", sandbox.id(QStringLiteral("member"), 1).toUtf8());
        QVERIFY2(QJsonDocument::fromJson(body).isObject(), body.constData());
        const QString path = sandbox.opportunityPath(5);
        const QJsonObject before = *sandbox->store().retrieve(
            QStringLiteral("opportunity"), sandbox.id(QStringLiteral("opportunity"), 5));
        const Reply reply = sandbox.api().postRaw(path, body);
        CHECK_ERROR(reply, status,
            status == 422 ? QStringLiteral("unprocessable_content") : QStringLiteral("bad_request"),
            code, param);
        // Nothing changed, nothing counted as applied.
        const Reply after = sandbox.api().get(path);
        CHECK_OK(after);
        QCOMPARE(after.object(), before);
        QCOMPARE(sandbox->stats().value(QStringLiteral("writesApplied")).toInt(), 0);
    }

    void invalidCreatesAreRejectedWithCodeAndParam_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("param");
        const auto row
            = [](const char *name, const char *body, const char *code, const char *param) {
                  QTest::newRow(name) << QByteArray(body) << QString::fromLatin1(code)
                                      << QString::fromLatin1(param);
              };
        row("without $name",
            "{\"fields\":{\"$stage\":\"Discovery\"},\"relationships\":{\"$account\":\"{acc}\"}}",
            "parameter_missing", "fields.$name");
        row("without $stage",
            "{\"fields\":{\"$name\":\"X\"},\"relationships\":{\"$account\":\"{acc}\"}}",
            "parameter_missing", "fields.$stage");
        row("without $account", "{\"fields\":{\"$name\":\"X\",\"$stage\":\"Discovery\"}}",
            "parameter_missing", "relationships.$account");
        row("empty body", "{}", "parameter_missing", "fields.$name");
        row("unknown field",
            "{\"fields\":{\"$name\":\"X\",\"$stage\":\"Discovery\",\"foo\":1},"
            "\"relationships\":{\"$account\":\"{acc}\"}}",
            "unknown_field", "fields.foo");
        row("$opportunityStatus",
            "{\"fields\":{\"$name\":\"X\",\"$stage\":\"Discovery\",\"$opportunityStatus\":\"opt_"
            "status_won\"},"
            "\"relationships\":{\"$account\":\"{acc}\"}}",
            "read_only_field", "fields.$opportunityStatus");
        row("$summary",
            "{\"fields\":{\"$name\":\"X\",\"$stage\":\"Discovery\",\"$summary\":\"x\"},"
            "\"relationships\":{\"$account\":\"{acc}\"}}",
            "read_only_field", "fields.$summary");
        row("$task",
            "{\"fields\":{\"$name\":\"X\",\"$stage\":\"Discovery\"},"
            "\"relationships\":{\"$account\":\"{acc}\",\"$task\":[]}}",
            "read_only_relationship", "relationships.$task");
        row("unknown relationship",
            "{\"fields\":{\"$name\":\"X\",\"$stage\":\"Discovery\"},"
            "\"relationships\":{\"$account\":\"{acc}\",\"$buddy\":\"{acc}\"}}",
            "unknown_relationship", "relationships.$buddy");
        row("missing account",
            "{\"fields\":{\"$name\":\"X\",\"$stage\":\"Discovery\"},"
            "\"relationships\":{\"$account\":\"acc_doesNotExist\"}}",
            "relationship_entity_missing", "relationships.$account");
        row("HAS_ONE with two ids",
            "{\"fields\":{\"$name\":\"X\",\"$stage\":\"Discovery\"},"
            "\"relationships\":{\"$account\":[\"{acc}\",\"{acc2}\"]}}",
            "invalid_type", "relationships.$account");
        row("unknown stage",
            "{\"fields\":{\"$name\":\"X\",\"$stage\":\"Won-ish\"},"
            "\"relationships\":{\"$account\":\"{acc}\"}}",
            "invalid_type", "fields.$stage");
    }
    void invalidCreatesAreRejectedWithCodeAndParam()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        QFETCH(QString, param);
        SANDBOX(sandbox);
        body.replace("{acc2}", sandbox.id(QStringLiteral("account"), 1).toUtf8());
        body.replace("{acc}", sandbox.id(QStringLiteral("account"), 0).toUtf8());
        const int before = sandbox->store().count(QStringLiteral("opportunity"));
        CHECK_ERROR(sandbox.api().postRaw(kOpportunitiesPath, body), 400,
            QStringLiteral("bad_request"), code, param);
        QCOMPARE(sandbox->store().count(QStringLiteral("opportunity")), before);
    }

    void moreThan25RelationshipIdsIsUnprocessable()
    {
        SANDBOX(sandbox);
        const QStringList contacts = sandbox->store().ids(QStringLiteral("contact"));
        QVERIFY(contacts.size() >= 26);
        QJsonArray ids;
        for (int i = 0; i < 26; ++i)
            ids.append(contacts.at(i));
        const QJsonObject update {{QStringLiteral("relationships"),
            QJsonObject {
                {QStringLiteral("$evaluator"), QJsonObject {{QStringLiteral("replace"), ids}}}}}};
        CHECK_ERROR(sandbox.api().post(sandbox.opportunityPath(), update), 422,
            QStringLiteral("unprocessable_content"),
            QStringLiteral("relationship_write_limit_exceeded"));
        QJsonObject create = newOpportunityBody(sandbox, QStringLiteral("Too many"));
        QJsonObject relationships = create.value(QStringLiteral("relationships")).toObject();
        ids.removeLast();
        relationships.insert(QStringLiteral("$evaluator"), ids); // 25 + the account = 26
        create.insert(QStringLiteral("relationships"), relationships);
        CHECK_ERROR(sandbox.api().post(kOpportunitiesPath, create), 422,
            QStringLiteral("unprocessable_content"),
            QStringLiteral("relationship_write_limit_exceeded"));
        // Exactly 25 is fine.
        const QJsonObject allowed {{QStringLiteral("relationships"),
            QJsonObject {
                {QStringLiteral("$evaluator"), QJsonObject {{QStringLiteral("replace"), ids}}}}}};
        const Reply ok = sandbox.api().post(sandbox.opportunityPath(), allowed);
        CHECK_OK(ok);
        QCOMPARE(relationshipOf(ok.object(), QStringLiteral("$evaluator")).size(), 25);
    }

    // --- Relationship operations, updatedAt, derived status -------------------------------------

    void hasManyRelationshipTakesAddRemoveReplace()
    {
        SANDBOX(sandbox);
        const QString path = sandbox.opportunityPath(2);
        const QString c1 = sandbox.id(QStringLiteral("contact"), 1);
        const QString c2 = sandbox.id(QStringLiteral("contact"), 2);
        const QString c3 = sandbox.id(QStringLiteral("contact"), 3);
        const auto operate = [&](const QString &op, const QJsonValue &operand) {
            return sandbox.api().post(path,
                {{QStringLiteral("relationships"),
                    QJsonObject {{QStringLiteral("$evaluator"), QJsonObject {{op, operand}}}}}});
        };
        struct Step
        {
            QString op;
            QJsonValue operand;
            QStringList expected;
        };
        const QList<Step> steps {
            {QStringLiteral("replace"), QJsonArray {c1}, {c1}},
            {QStringLiteral("add"), QJsonArray {c2, c3}, {c1, c2, c3}},
            {QStringLiteral("add"), c2, {c1, c2, c3}},
            {QStringLiteral("remove"), c2, {c1, c3}},
            {QStringLiteral("remove"), QJsonArray {c1, QStringLiteral("con_notThere")}, {c3}},
            {QStringLiteral("replace"), c2, {c2}},
            {QStringLiteral("replace"), QJsonArray {}, {}},
            {QStringLiteral("add"), c1, {c1}},
            {QStringLiteral("replace"), QJsonValue(QJsonValue::Null), {}},
        };
        for (const Step &step : steps) {
            const Reply reply = operate(step.op, step.operand);
            CHECK_OK(reply);
            QCOMPARE(relationshipOf(reply.object(), QStringLiteral("$evaluator")), step.expected);
            const Reply current = sandbox.api().get(path);
            QCOMPARE(relationshipOf(current.object(), QStringLiteral("$evaluator")), step.expected);
        }
    }

    void hasOneRelationshipTakesAddRemoveReplace()
    {
        SANDBOX(sandbox);
        const QString path = sandbox.opportunityPath(2);
        const QString m1 = sandbox.id(QStringLiteral("member"), 1);
        const QString m2 = sandbox.id(QStringLiteral("member"), 2);
        const auto operate = [&](const QString &op, const QJsonValue &operand) {
            return sandbox.api().post(path,
                {{QStringLiteral("relationships"),
                    QJsonObject {{QStringLiteral("$owner"), QJsonObject {{op, operand}}}}}});
        };
        Reply reply = operate(QStringLiteral("replace"), m1);
        CHECK_OK(reply);
        QCOMPARE(relationshipOf(reply.object(), QStringLiteral("$owner")), QStringList {m1});
        reply = operate(QStringLiteral("replace"), QJsonArray {m2});
        CHECK_OK(reply);
        QCOMPARE(relationshipOf(reply.object(), QStringLiteral("$owner")), QStringList {m2});
        // Adding a second owner would break HAS_ONE.
        CHECK_ERROR(operate(QStringLiteral("add"), m1), 400, QStringLiteral("bad_request"),
            QStringLiteral("invalid_type"), QStringLiteral("relationships.$owner"));
        reply = operate(QStringLiteral("add"), m2);
        CHECK_OK(reply);
        QCOMPARE(relationshipOf(reply.object(), QStringLiteral("$owner")), QStringList {m2});
        reply = operate(QStringLiteral("remove"), m2);
        CHECK_OK(reply);
        QVERIFY(relationshipOf(reply.object(), QStringLiteral("$owner")).isEmpty());
        reply = operate(QStringLiteral("add"), m1);
        CHECK_OK(reply);
        QCOMPARE(relationshipOf(reply.object(), QStringLiteral("$owner")), QStringList {m1});
        reply = operate(QStringLiteral("replace"), QJsonValue(QJsonValue::Null));
        CHECK_OK(reply);
        QVERIFY(
            relationshipOf(sandbox.api().get(path).object(), QStringLiteral("$owner")).isEmpty());
    }

    void movingTheAccountUpdatesBothSides()
    {
        SANDBOX(sandbox);
        const QString id = sandbox.id(QStringLiteral("opportunity"), 4);
        const QJsonObject before = *sandbox->store().retrieve(QStringLiteral("opportunity"), id);
        const QString oldAccount = relationshipOf(before, QStringLiteral("$account")).value(0);
        QString newAccount;
        for (const QString &account : sandbox->store().ids(QStringLiteral("account"))) {
            if (account != oldAccount) {
                newAccount = account;
                break;
            }
        }
        const Reply reply = sandbox.api().post(sandbox.opportunityPath(4),
            {{QStringLiteral("relationships"),
                QJsonObject {{QStringLiteral("$account"),
                    QJsonObject {{QStringLiteral("replace"), newAccount}}}}}});
        CHECK_OK(reply);
        QCOMPARE(
            relationshipOf(reply.object(), QStringLiteral("$account")), QStringList {newAccount});
        const Reply gained = sandbox.api().get(QStringLiteral("/v1/accounts/") + newAccount);
        QVERIFY(relationshipOf(gained.object(), QStringLiteral("$opportunity")).contains(id));
        const Reply lost = sandbox.api().get(QStringLiteral("/v1/accounts/") + oldAccount);
        QVERIFY(!relationshipOf(lost.object(), QStringLiteral("$opportunity")).contains(id));
    }

    void updatedAtStrictlyAdvancesOnEveryWrite()
    {
        SANDBOX(sandbox);
        const QString path = sandbox.opportunityPath(1);
        const Reply first = sandbox.api().get(path);
        CHECK_OK(first);
        const QString createdAt = first.object().value(QStringLiteral("createdAt")).toString();
        QString previous = first.object().value(QStringLiteral("updatedAt")).toString();
        for (int i = 0; i < 8; ++i) {
            const Reply reply = sandbox.api().post(
                i % 2 ? path : sandbox.opportunityPath(2), // writes to other records count too
                {{QStringLiteral("fields"), QJsonObject {{QStringLiteral("probability"), i}}}});
            CHECK_OK(reply);
            if (i % 2 == 0)
                continue;
            const QString updatedAt = reply.object().value(QStringLiteral("updatedAt")).toString();
            QVERIFY2(
                updatedAt > previous, qPrintable(updatedAt + QLatin1String(" <= ") + previous));
            QVERIFY(QDateTime::fromString(updatedAt, Qt::ISODateWithMs).isValid());
            QCOMPARE(updatedAt.size(), 24); // yyyy-MM-ddTHH:mm:ss.zzzZ
            QCOMPARE(reply.object().value(QStringLiteral("createdAt")).toString(), createdAt);
            previous = updatedAt;
        }
        // An empty update is still a write.
        const Reply empty = sandbox.api().post(path, QJsonObject {});
        CHECK_OK(empty);
        QVERIFY(empty.object().value(QStringLiteral("updatedAt")).toString() > previous);
    }

    void opportunityStatusFollowsStage_data()
    {
        QTest::addColumn<QString>("stage");
        QTest::addColumn<QString>("status");
        QTest::newRow("won") << QStringLiteral("Closed Won") << QStringLiteral("opt_status_won");
        QTest::newRow("lost") << QStringLiteral("opt_stage_closed_lost")
                              << QStringLiteral("opt_status_lost");
        QTest::newRow("open") << QStringLiteral("Negotiation") << QStringLiteral("opt_status_open");
    }
    void opportunityStatusFollowsStage()
    {
        QFETCH(QString, stage);
        QFETCH(QString, status);
        SANDBOX(sandbox);
        const QString path = sandbox.opportunityPath(6);
        for (const QString &value : {QStringLiteral("Prospecting"), stage}) {
            const Reply reply = sandbox.api().post(path,
                {{QStringLiteral("fields"), QJsonObject {{QStringLiteral("$stage"), value}}}});
            CHECK_OK(reply);
        }
        const Reply reply = sandbox.api().get(path);
        QCOMPARE(fieldOf(reply.object(), QStringLiteral("$opportunityStatus")).toString(), status);
    }

    // --- Pagination
    // ------------------------------------------------------------------------

    void invalidPaginationParametersAreRejected_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::newRow("limit 0") << QStringLiteral("limit") << QStringLiteral("0");
        QTest::newRow("limit 26") << QStringLiteral("limit") << QStringLiteral("26");
        QTest::newRow("limit 100") << QStringLiteral("limit") << QStringLiteral("100");
        QTest::newRow("limit abc") << QStringLiteral("limit") << QStringLiteral("abc");
        QTest::newRow("limit -1") << QStringLiteral("limit") << QStringLiteral("-1");
        QTest::newRow("limit 2.5") << QStringLiteral("limit") << QStringLiteral("2.5");
        QTest::newRow("limit empty") << QStringLiteral("limit") << QString();
        QTest::newRow("limit huge")
            << QStringLiteral("limit") << QStringLiteral("99999999999999999999");
        QTest::newRow("offset -1") << QStringLiteral("offset") << QStringLiteral("-1");
        QTest::newRow("offset abc") << QStringLiteral("offset") << QStringLiteral("abc");
    }
    void invalidPaginationParametersAreRejected()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        SANDBOX(sandbox);
        for (const QString &path :
            {kOpportunitiesPath, QStringLiteral("/v1/members"), QStringLiteral("/v1/lists")}) {
            CHECK_ERROR(sandbox.api().get(path, {{name, value}}), 400,
                QStringLiteral("bad_request"), QString(), name);
        }
    }

    void listDefaultsTo25RowsAndCountsAll()
    {
        SANDBOX(sandbox);
        const Reply reply = sandbox.api().get(kOpportunitiesPath);
        CHECK_OK(reply);
        QCOMPARE(reply.object().value(QStringLiteral("data")).toArray().size(), 25);
        QCOMPARE(reply.object().value(QStringLiteral("totalCount")).toInt(), kOpportunities);
        const Reply limited = sandbox.api().get(kOpportunitiesPath,
            {{QStringLiteral("limit"), QStringLiteral("1")},
                {QStringLiteral("offset"), QStringLiteral("0")}});
        CHECK_OK(limited);
        QCOMPARE(idsOf(limited.object()), QStringList {sandbox.id(QStringLiteral("opportunity"))});
        const Reply beyond = sandbox.api().get(
            kOpportunitiesPath, {{QStringLiteral("offset"), QStringLiteral("5000")}});
        CHECK_OK(beyond);
        QVERIFY(idsOf(beyond.object()).isEmpty());
        QCOMPARE(beyond.object().value(QStringLiteral("totalCount")).toInt(), kOpportunities);
    }

    void walkingPagesYieldsEveryRecordOnce_data()
    {
        QTest::addColumn<QString>("objectType");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("limit");
        QTest::newRow("opportunities by 7")
            << QStringLiteral("opportunity") << QStringLiteral("/v1/opportunities") << 7;
        QTest::newRow("opportunities by 25")
            << QStringLiteral("opportunity") << QStringLiteral("/v1/opportunities") << 25;
        QTest::newRow("opportunities by 1")
            << QStringLiteral("opportunity") << QStringLiteral("/v1/opportunities") << 1;
        QTest::newRow("accounts by 10")
            << QStringLiteral("account") << QStringLiteral("/v1/accounts") << 10;
        QTest::newRow("contacts by 25")
            << QStringLiteral("contact") << QStringLiteral("/v1/contacts") << 25;
        QTest::newRow("members by 3")
            << QStringLiteral("member") << QStringLiteral("/v1/members") << 3;
        QTest::newRow("lists by 2") << QStringLiteral("list") << QStringLiteral("/v1/lists") << 2;
    }
    void walkingPagesYieldsEveryRecordOnce()
    {
        QFETCH(QString, objectType);
        QFETCH(QString, path);
        QFETCH(int, limit);
        SANDBOX(sandbox);
        QStringList ids;
        int total = 0;
        walkPages(sandbox.api(), path, {}, limit, &ids, &total);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(total, sandbox->store().count(objectType));
        QCOMPARE(ids.size(), total);
        QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), total);
        QCOMPARE(ids, sandbox->store().ids(objectType));
    }

    // --- Filtering ----------------------------------------------------------------------------

    void filtersSelectExactlyTheMatchingRecords_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("op"); // empty: omitted, "-x": negated
        QTest::addColumn<QString>("value");
        const auto row = [](const char *name, const char *key, const char *op, const char *value) {
            QTest::newRow(name) << QString::fromUtf8(key) << QString::fromUtf8(op)
                                << QString::fromUtf8(value);
        };
        row("CURRENCY gte", "$amount", "greaterThanOrEqual", "50000");
        row("CURRENCY gt sample", "$amount", "greaterThan", "{value:$amount}");
        row("CURRENCY equal sample", "$amount", "equal", "{value:$amount}");
        row("CURRENCY -lessThan (nulls too)", "$amount", "-lessThan", "50000");
        row("CURRENCY omitted → equal", "$amount", "", "{value:$amount}");
        row("NUMBER lte", "probability", "lessThanOrEqual", "50");
        row("NUMBER lt decimal", "probability", "lessThan", "20.5");
        row("DATETIME gt sample", "closeDate", "greaterThan", "{value:closeDate}");
        row("DATETIME lte sample", "closeDate", "lessThanOrEqual", "{value:closeDate}");
        row("DATETIME equal sample", "closeDate", "equal", "{value:closeDate}");
        row("DATETIME lt date only", "closeDate", "lessThan", "{date:closeDate}");
        row("DATETIME read-only field gte", "$lastInteractionAt", "greaterThanOrEqual",
            "{value:$lastInteractionAt}");
        row("TEXT startsWith", "$name", "startsWith", "{text:$name:3}");
        row("TEXT startsWith ignores case", "$name", "startsWith", "{lower:$name:4}");
        row("TEXT startsWith empty = set", "$name", "startsWith", "");
        row("TEXT equal ignores case", "$name", "equal", "{lower:$name:0}");
        row("TEXT omitted → equal", "$name", "", "{text:$name:0}");
        row("TEXT -equal", "$name", "-equal", "{text:$name:0}");
        row("TEXT -startsWith", "$name", "-startsWith", "{text:$name:3}");
        row("FULL_NAME startsWith", "economicBuyer", "startsWith", "{text:economicBuyer:2}");
        row("FULL_NAME equal", "economicBuyer", "equal", "{text:economicBuyer:0}");
        row("ADDRESS startsWith", "deliveryAddress", "startsWith", "{text:deliveryAddress:4}");
        row("SOCIAL_HANDLE startsWith", "buyerLinkedIn", "startsWith", "{text:buyerLinkedIn:22}");
        row("CHECKBOX true", "isStrategic", "equal", "true");
        row("CHECKBOX -equal true", "isStrategic", "-equal", "true");
        row("SINGLE_SELECT id", "$stage", "equal", "opt_stage_discovery");
        row("SINGLE_SELECT label", "$stage", "equal", "Discovery");
        row("SINGLE_SELECT omitted, label any case", "$stage", "", "proposal");
        row("SINGLE_SELECT -equal", "$stage", "-equal", "opt_stage_discovery");
        row("SINGLE_SELECT sample", "forecastCategory", "equal", "{value:forecastCategory}");
        row("EMAIL contains", "billingEmail", "contains", "{text:billingEmail:4}");
        row("EMAIL omitted → contains", "billingEmail", "", "@");
        row("EMAIL -contains", "billingEmail", "-contains", "{text:billingEmail:4}");
        row("TELEPHONE contains", "buyerPhones", "contains", "+1");
        row("URL contains", "dealRoom", "contains", "https");
        row("relationship slug equal", "$opportunity-account", "equal", "{rel:$account}");
        row("relationship slug contains", "$opportunity-account", "contains", "{rel:$account}");
        row("relationship slug omitted", "$opportunity-account", "", "{rel:$account}");
        row("relationship slug -equal", "$opportunity-account", "-equal", "{rel:$account}");
        row("HAS_MANY slug contains", "$opportunity-evaluator", "contains", "{rel:$evaluator}");
        row("owner slug", "$opportunity-owner", "equal", "{rel:$owner}");
        row("HAS_MANY slug equal", "$opportunity-evaluator", "equal", "{rel:$evaluator}");
        row("HAS_MANY slug -contains", "$opportunity-evaluator", "-contains", "{rel:$evaluator}");
        row("DATETIME value with offset", "closeDate", "greaterThanOrEqual",
            "2026-11-23T02:00:00+02:00");
        row("DATETIME value without Z", "closeDate", "lessThan", "2026-06-01T00:00:00");
    }
    void filtersSelectExactlyTheMatchingRecords()
    {
        QFETCH(QString, key);
        QFETCH(QString, op);
        QFETCH(QString, value);
        SANDBOX(sandbox);
        const SandboxSchema &schema = sandbox->store().schema(QStringLiteral("opportunity"));
        QList<QJsonObject> records;
        for (const QString &id : sandbox->store().ids(QStringLiteral("opportunity")))
            records.append(*sandbox->store().retrieve(QStringLiteral("opportunity"), id));
        value = sampleValue(schema, records, value);
        QVERIFY2(!value.startsWith(QLatin1String("<no sample")), qPrintable(value));

        bool negate = op.startsWith(QLatin1Char('-'));
        QString bareOp = negate ? op.mid(1) : op;
        if (bareOp.isEmpty()) {
            const SandboxFieldDef *def = schema.field(key);
            const QString type = def ? def->valueType : QString();
            bareOp = (type == QLatin1String("EMAIL") || type == QLatin1String("TELEPHONE")
                         || type == QLatin1String("URL"))
                ? QStringLiteral("contains")
                : QStringLiteral("equal");
        }
        QStringList expected;
        for (const QJsonObject &record : std::as_const(records)) {
            if (expectedMatch(schema, record, key, bareOp, value) != negate)
                expected.append(record.value(QStringLiteral("id")).toString());
        }
        QVERIFY2(!expected.isEmpty(), "the row should select something in the seeded data");

        const QString parameter
            = op.isEmpty() ? key : key + QLatin1Char('[') + op + QLatin1Char(']');
        QStringList got;
        int total = 0;
        walkPages(sandbox.api(), kOpportunitiesPath, {{parameter, value}}, 25, &got, &total);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(total, expected.size());
        QCOMPARE(got, expected);
    }

    void filtersAreAndedAndNegationComplements()
    {
        SANDBOX(sandbox);
        const QList<std::pair<QString, QString>> stage {
            {QStringLiteral("$stage[equal]"), QStringLiteral("opt_stage_discovery")}};
        const QList<std::pair<QString, QString>> amount {
            {QStringLiteral("$amount[greaterThanOrEqual]"), QStringLiteral("20000")}};
        QStringList byStage, byAmount, both, notStage;
        int total = 0;
        walkPages(sandbox.api(), kOpportunitiesPath, stage, 25, &byStage, &total);
        walkPages(sandbox.api(), kOpportunitiesPath, amount, 25, &byAmount, &total);
        walkPages(sandbox.api(), kOpportunitiesPath, stage + amount, 25, &both, &total);
        walkPages(sandbox.api(), kOpportunitiesPath,
            {{QStringLiteral("$stage[-equal]"), QStringLiteral("opt_stage_discovery")}}, 25,
            &notStage, &total);
        if (QTest::currentTestFailed())
            return;
        QStringList intersection;
        for (const QString &id : std::as_const(byStage)) {
            if (byAmount.contains(id))
                intersection.append(id);
        }
        QCOMPARE(both, intersection);
        QCOMPARE(byStage.size() + notStage.size(), kOpportunities);
        for (const QString &id : std::as_const(notStage))
            QVERIFY(!byStage.contains(id));
        // Filters combine with pagination.
        const Reply page = sandbox.api().get(kOpportunitiesPath,
            stage
                + QList<std::pair<QString, QString>> {
                    {QStringLiteral("limit"), QStringLiteral("2")}});
        CHECK_OK(page);
        QCOMPARE(page.object().value(QStringLiteral("totalCount")).toInt(), byStage.size());
        QCOMPARE(idsOf(page.object()), byStage.mid(0, 2));
    }

    void badFiltersAreRejected_data()
    {
        QTest::addColumn<QString>("parameter");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("param");
        const auto row = [](const char *name, const char *parameter, const char *value,
                             const char *code, const char *param) {
            QTest::newRow(name) << QString::fromUtf8(parameter) << QString::fromUtf8(value)
                                << QString::fromLatin1(code) << QString::fromUtf8(param);
        };
        row("unknown key", "foo[equal]", "1", "unknown_field", "foo");
        row("unknown key without operator", "colour", "red", "unknown_field", "colour");
        row("relationship key instead of slug", "$account[equal]", "acc_x", "unknown_field",
            "$account");
        row("MULTI_SELECT", "competitors[equal]", "opt_competitors_hubspot", "invalid_filter",
            "competitors");
        row("MULTI_SELECT without operator", "competitors", "HubSpot", "invalid_filter",
            "competitors");
        row("MARKDOWN", "nextSteps[contains]", "call", "invalid_filter", "nextSteps");
        row("startsWith on CURRENCY", "$amount[startsWith]", "1", "invalid_filter", "$amount");
        row("contains on TEXT", "$name[contains]", "a", "invalid_filter", "$name");
        row("greaterThan on TEXT", "$name[greaterThan]", "a", "invalid_filter", "$name");
        row("equal on EMAIL", "billingEmail[equal]", "a@b.c", "invalid_filter", "billingEmail");
        row("greaterThan on CHECKBOX", "isStrategic[greaterThan]", "true", "invalid_filter",
            "isStrategic");
        row("startsWith on SINGLE_SELECT", "$stage[startsWith]", "Dis", "invalid_filter", "$stage");
        row("unknown operator", "$name[like]", "a", "invalid_filter", "$name");
        row("negated unknown operator", "$name[-like]", "a", "invalid_filter", "$name");
        row("greaterThan on relationship", "$opportunity-account[greaterThan]", "acc_x",
            "invalid_filter", "$opportunity-account");
        row("NUMBER not a number", "$amount[equal]", "lots", "invalid_type", "$amount");
        row("DATETIME not a date", "closeDate[lessThan]", "yesterday", "invalid_type", "closeDate");
        row("CHECKBOX not a bool", "isStrategic", "maybe", "invalid_type", "isStrategic");
        row("SINGLE_SELECT unknown option", "$stage", "Daydreaming", "invalid_type", "$stage");
    }
    void badFiltersAreRejected()
    {
        QFETCH(QString, parameter);
        QFETCH(QString, value);
        QFETCH(QString, code);
        QFETCH(QString, param);
        SANDBOX(sandbox);
        CHECK_ERROR(sandbox.api().get(kOpportunitiesPath, {{parameter, value}}), 400,
            QStringLiteral("bad_request"), code, param);
    }

    // --- Index lag ------------------------------------------------------------------------------

    void listLagsBehindWritesButRetrieveDoesNot_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("SandboxConfig at construction") << QStringLiteral("construction");
        QTest::newRow("config() of a running server") << QStringLiteral("config()");
        QTest::newRow("POST /__sandbox/config") << QStringLiteral("admin");
    }
    void listLagsBehindWritesButRetrieveDoesNot()
    {
        QFETCH(QString, how);
        SandboxConfig config = testConfig();
        if (how == QLatin1String("construction"))
            config.indexLagMs = 500;
        SANDBOX(sandbox, config);
        if (how == QLatin1String("config()"))
            sandbox->config().indexLagMs = 500;
        if (how == QLatin1String("admin"))
            CHECK_OK(sandbox.api().adminPost(
                QStringLiteral("/__sandbox/config"), {{QStringLiteral("indexLagMs"), 500}}));
        const QString id = sandbox.id(QStringLiteral("opportunity"));
        const QList<std::pair<QString, QString>> firstRow {
            {QStringLiteral("limit"), QStringLiteral("1")}};
        const Reply before = sandbox.api().get(kOpportunitiesPath, firstRow);
        CHECK_OK(before);
        const QString oldName = fieldOf(
            before.object()[QStringLiteral("data")][0].toObject(), QStringLiteral("$name"))
                                    .toString();
        const QString newName = QStringLiteral("Renamed just now");
        CHECK_OK(sandbox.api().post(sandbox.opportunityPath(),
            {{QStringLiteral("fields"), QJsonObject {{QStringLiteral("$name"), newName}}}}));
        const Reply created = sandbox.api().post(
            kOpportunitiesPath, newOpportunityBody(sandbox, QStringLiteral("Fresh")));
        CHECK_OK(created);
        const QString newId = created.object().value(QStringLiteral("id")).toString();

        // Within the lag: the list still shows the old version and not the new record ...
        Reply listed = sandbox.api().get(kOpportunitiesPath, firstRow);
        CHECK_OK(listed);
        const QJsonObject stale = listed.object()[QStringLiteral("data")][0].toObject();
        // config() is public and mutable, so a lag set there must work like one set at start.
        QVERIFY2(stale.value(QStringLiteral("id")).toString() == id,
            "the record updated within the lag is missing from the list: its older version "
            "was not kept for the lagged index");
        QCOMPARE(fieldOf(stale, QStringLiteral("$name")).toString(), oldName);
        QCOMPARE(listed.object().value(QStringLiteral("totalCount")).toInt(), kOpportunities);
        Reply filtered
            = sandbox.api().get(kOpportunitiesPath, {{QStringLiteral("$name"), newName}});
        CHECK_OK(filtered);
        QCOMPARE(filtered.object().value(QStringLiteral("totalCount")).toInt(), 0);
        // ... while retrieve is current.
        const Reply current = sandbox.api().get(sandbox.opportunityPath());
        CHECK_OK(current);
        QCOMPARE(fieldOf(current.object(), QStringLiteral("$name")).toString(), newName);
        CHECK_OK(sandbox.api().get(kOpportunitiesPath + QLatin1Char('/') + newId));

        sandbox->clock().advance(600);
        listed = sandbox.api().get(kOpportunitiesPath, firstRow);
        CHECK_OK(listed);
        QCOMPARE(
            fieldOf(listed.object()[QStringLiteral("data")][0].toObject(), QStringLiteral("$name"))
                .toString(),
            newName);
        QCOMPARE(listed.object().value(QStringLiteral("totalCount")).toInt(), kOpportunities + 1);
        filtered = sandbox.api().get(kOpportunitiesPath, {{QStringLiteral("$name"), newName}});
        QCOMPARE(idsOf(filtered.object()), QStringList {id});
    }

    void indexLagIsAdjustableThroughTheAdminRoute()
    {
        SANDBOX(sandbox);
        const Reply set = sandbox.api().adminPost(
            QStringLiteral("/__sandbox/config"), {{QStringLiteral("indexLagMs"), 1000}});
        CHECK_OK(set);
        QCOMPARE(set.object().value(QStringLiteral("indexLagMs")).toInt(), 1000);
        CHECK_OK(sandbox.api().post(sandbox.opportunityPath(),
            {{QStringLiteral("fields"),
                QJsonObject {{QStringLiteral("$name"), QStringLiteral("Lagged")}}}}));
        Reply listed = sandbox.api().get(
            kOpportunitiesPath, {{QStringLiteral("$name"), QStringLiteral("Lagged")}});
        QCOMPARE(listed.object().value(QStringLiteral("totalCount")).toInt(), 0);
        const Reply clock = sandbox.api().adminPost(
            QStringLiteral("/__sandbox/clock"), {{QStringLiteral("advanceMs"), 1001}});
        CHECK_OK(clock);
        listed = sandbox.api().get(
            kOpportunitiesPath, {{QStringLiteral("$name"), QStringLiteral("Lagged")}});
        QCOMPARE(listed.object().value(QStringLiteral("totalCount")).toInt(), 1);
    }

    // --- Idempotency ----------------------------------------------------------------------------

    void replayedCreateReturnsTheFirstResponse()
    {
        SANDBOX(sandbox);
        Options options;
        options.idempotencyKey = "0b6f3c1e-7d4a-4c7e-9a55-create";
        const QJsonObject body = newOpportunityBody(sandbox, QStringLiteral("Once only"));
        const int before = sandbox->store().count(QStringLiteral("opportunity"));
        const Reply first = sandbox.api().post(kOpportunitiesPath, body, options);
        CHECK_OK(first);
        const Reply second = sandbox.api().post(kOpportunitiesPath, body, options);
        CHECK_OK(second);
        QCOMPARE(second.body, first.body);
        QCOMPARE(sandbox->store().count(QStringLiteral("opportunity")), before + 1);
        QCOMPARE(sandbox.stats().value(QStringLiteral("idempotentReplays")).toInt(), 1);
        QCOMPARE(sandbox
                     .stats()[QStringLiteral("appliedByIdempotencyKey")]
                             [QString::fromLatin1(options.idempotencyKey)]
                     .toInt(),
            1);
        // Same key, different body: still the old response, and it is noticed.
        const Reply third = sandbox.api().post(
            kOpportunitiesPath, newOpportunityBody(sandbox, QStringLiteral("Other")), options);
        CHECK_OK(third);
        QCOMPARE(third.body, first.body);
        QCOMPARE(sandbox->store().count(QStringLiteral("opportunity")), before + 1);
        const QJsonObject stats = sandbox.stats();
        QCOMPARE(stats.value(QStringLiteral("idempotentReplays")).toInt(), 2);
        QCOMPARE(stats.value(QStringLiteral("idempotencyMismatches")).toInt(), 1);
        QCOMPARE(stats.value(QStringLiteral("writesApplied")).toInt(), 1);
        QCOMPARE(stats[QStringLiteral("appliedByIdempotencyKey")]
                      [QString::fromLatin1(options.idempotencyKey)]
                          .toInt(),
            1);
    }

    void replayedUpdateIsNotAppliedTwice()
    {
        SANDBOX(sandbox);
        Options options;
        options.idempotencyKey = "update-key-1";
        const QJsonObject body {{QStringLiteral("relationships"),
            QJsonObject {{QStringLiteral("$evaluator"),
                QJsonObject {{QStringLiteral("add"), sandbox.id(QStringLiteral("contact"), 7)}}}}}};
        const Reply first = sandbox.api().post(sandbox.opportunityPath(), body, options);
        CHECK_OK(first);
        // A colleague changes the record meanwhile; the replay still returns the first answer.
        CHECK_OK(sandbox.api().adminPost(QStringLiteral("/__sandbox/records/opportunities/")
                + sandbox.id(QStringLiteral("opportunity")),
            {{QStringLiteral("fields"),
                QJsonObject {{QStringLiteral("$name"), QStringLiteral("Colleague")}}}}));
        const Reply second = sandbox.api().post(sandbox.opportunityPath(), body, options);
        CHECK_OK(second);
        QCOMPARE(second.body, first.body);
        QCOMPARE(sandbox.stats().value(QStringLiteral("writesApplied")).toInt(), 1);
        QCOMPARE(sandbox.stats().value(QStringLiteral("idempotentReplays")).toInt(), 1);
    }

    void sameKeyForCreateAndUpdateDoesNotCollide()
    {
        SANDBOX(sandbox);
        Options options;
        options.idempotencyKey = "shared-key";
        const Reply created = sandbox.api().post(
            kOpportunitiesPath, newOpportunityBody(sandbox, QStringLiteral("Created")), options);
        CHECK_OK(created);
        const Reply updated = sandbox.api().post(sandbox.opportunityPath(),
            {{QStringLiteral("fields"),
                QJsonObject {{QStringLiteral("$name"), QStringLiteral("Updated")}}}},
            options);
        CHECK_OK(updated);
        QVERIFY(updated.body != created.body);
        QCOMPARE(fieldOf(updated.object(), QStringLiteral("$name")).toString(),
            QStringLiteral("Updated"));
        // The key is per operation and entity type, not per record: an update of another
        // opportunity under the same key gets the first update's answer and changes nothing.
        const Reply otherRecord = sandbox.api().post(sandbox.opportunityPath(1),
            {{QStringLiteral("fields"),
                QJsonObject {{QStringLiteral("$name"), QStringLiteral("Other")}}}},
            options);
        CHECK_OK(otherRecord);
        QCOMPARE(otherRecord.body, updated.body);
        QVERIFY(
            fieldOf(sandbox.api().get(sandbox.opportunityPath(1)).object(), QStringLiteral("$name"))
                .toString()
            != QLatin1String("Other"));
        CHECK_OK(sandbox.api().adminPost(QStringLiteral("/__sandbox/stats/reset"), {}));
        // Another entity type's create with the same key is separate too.
        const Reply account = sandbox.api().post(QStringLiteral("/v1/accounts"),
            {{QStringLiteral("fields"),
                QJsonObject {{QStringLiteral("$name"), QStringLiteral("Acme")}}}},
            options);
        CHECK_OK(account);
        QVERIFY(account.object()
                    .value(QStringLiteral("id"))
                    .toString()
                    .startsWith(QLatin1String("acc_")));
        QCOMPARE(
            sandbox.stats()[QStringLiteral("appliedByIdempotencyKey")][QStringLiteral("shared-key")]
                .toInt(),
            1);
        QCOMPARE(sandbox.stats().value(QStringLiteral("idempotentReplays")).toInt(), 0);
    }

    void overlongIdempotencyKeyIsRejected()
    {
        SANDBOX(sandbox);
        Options options;
        options.idempotencyKey = QByteArray(256, 'k');
        CHECK_ERROR(sandbox.api().post(kOpportunitiesPath,
                        newOpportunityBody(sandbox, QStringLiteral("Long")), options),
            400, QStringLiteral("bad_request"), QStringLiteral("idempotency_key_too_long"),
            QStringLiteral("Idempotency-Key"));
        CHECK_ERROR(sandbox.api().post(sandbox.opportunityPath(), QJsonObject {}, options), 400,
            QStringLiteral("bad_request"), QStringLiteral("idempotency_key_too_long"),
            QStringLiteral("Idempotency-Key"));
        QCOMPARE(sandbox.stats().value(QStringLiteral("writesApplied")).toInt(), 0);
        options.idempotencyKey = QByteArray(255, 'k');
        CHECK_OK(sandbox.api().post(
            kOpportunitiesPath, newOpportunityBody(sandbox, QStringLiteral("Long")), options));
    }

    void duplicateInFlightIsAConflict_data()
    {
        QTest::addColumn<bool>("wrapped");
        QTest::newRow("documented") << false;
        QTest::newRow("wrapped") << true;
    }
    void duplicateInFlightIsAConflict()
    {
        QFETCH(bool, wrapped);
        SandboxConfig config = testConfig();
        config.faults.latencyMs = 300;
        if (wrapped)
            config.errorEnvelope = SandboxConfig::ErrorEnvelope::Wrapped;
        SANDBOX(sandbox, config);
        Options options;
        options.idempotencyKey = "in-flight";
        const QByteArray body
            = QJsonDocument(newOpportunityBody(sandbox, QStringLiteral("Concurrent"))).toJson();
        Client &api = sandbox.api();
        QNetworkReply *a = api.start("POST", api.url(kOpportunitiesPath), body, options);
        QNetworkReply *b = api.start("POST", api.url(kOpportunitiesPath), body, options);
        const Reply ra = Client::wait(a);
        const Reply rb = Client::wait(b);
        const Reply &ok = ra.status == 200 ? ra : rb;
        const Reply &conflict = ra.status == 200 ? rb : ra;
        CHECK_OK(ok);
        if (wrapped) {
            CHECK_ERROR(
                conflict, 409, QStringLiteral("conflict"), QStringLiteral("idempotency_conflict"));
        } else {
            CHECK_DOCUMENTED_ERROR(conflict, 409, QStringLiteral("idempotency_conflict"));
        }
        QCOMPARE(sandbox.stats().value(QStringLiteral("idempotencyConflicts")).toInt(), 1);
        // Once the first has been answered, the same key replays it.
        const Reply retry = sandbox.api().postRaw(kOpportunitiesPath, body, options);
        CHECK_OK(retry);
        QCOMPARE(retry.body, ok.body);
        QCOMPARE(sandbox.stats().value(QStringLiteral("writesApplied")).toInt(), 1);
    }

    void failedRequestIsNotStoredUnderItsKey()
    {
        SANDBOX(sandbox);
        Options options;
        options.idempotencyKey = "fix-and-retry";
        QJsonObject body = newOpportunityBody(sandbox, QStringLiteral("Retry me"));
        body.insert(QStringLiteral("relationships"), QJsonObject {});
        CHECK_ERROR(sandbox.api().post(kOpportunitiesPath, body, options), 400,
            QStringLiteral("bad_request"), QStringLiteral("parameter_missing"),
            QStringLiteral("relationships.$account"));
        const Reply fixed = sandbox.api().post(
            kOpportunitiesPath, newOpportunityBody(sandbox, QStringLiteral("Retry me")), options);
        CHECK_OK(fixed);
        QCOMPARE(fieldOf(fixed.object(), QStringLiteral("$name")).toString(),
            QStringLiteral("Retry me"));
        QCOMPARE(sandbox.stats().value(QStringLiteral("idempotentReplays")).toInt(), 0);
        QCOMPARE(sandbox.stats().value(QStringLiteral("writesApplied")).toInt(), 1);
    }

    void expiredKeysAreForgottenWithoutBeingUsedAgain()
    {
        SANDBOX(sandbox);
        Options options;
        options.idempotencyKey = "used-once";
        CHECK_OK(sandbox.api().post(
            kOpportunitiesPath, newOpportunityBody(sandbox, QStringLiteral("Once")), options));
        QCOMPARE(sandbox.stats().value(QStringLiteral("idempotencyKeysHeld")).toInt(), 1);
        // A day later another write comes: the old key, never sent again, is dropped.
        sandbox->clock().advance(24LL * 60 * 60 * 1000 + 1000);
        options.idempotencyKey = "next-day";
        CHECK_OK(sandbox.api().post(
            kOpportunitiesPath, newOpportunityBody(sandbox, QStringLiteral("Next")), options));
        QCOMPARE(sandbox.stats().value(QStringLiteral("idempotencyKeysHeld")).toInt(), 1);
    }

    void suspendedListenerRefusesConnectionsThenServesOnTheSamePort()
    {
        SANDBOX(sandbox);
        CHECK_OK(sandbox.api().get(sandbox.opportunityPath()));
        // A raw connection stays open across the suspension: it must be cut.
        QTcpSocket open;
        open.connectToHost(QHostAddress::LocalHost, sandbox.port);
        QVERIFY(open.waitForConnected(5000));
        sandbox->suspendListening();
        QVERIFY(sandbox->isListeningSuspended());
        QVERIFY(
            open.state() == QAbstractSocket::UnconnectedState || open.waitForDisconnected(5000));
        QTcpSocket refused;
        refused.connectToHost(QHostAddress::LocalHost, sandbox.port);
        QVERIFY(!refused.waitForConnected(5000));
        QCOMPARE(refused.error(), QAbstractSocket::ConnectionRefusedError);
        const Reply lost = sandbox.api().get(sandbox.opportunityPath());
        QCOMPARE(lost.status, 0);
        QVERIFY(lost.error != QNetworkReply::NoError);

        QVERIFY(sandbox->resumeListening());
        QVERIFY(!sandbox->isListeningSuspended());
        QCOMPARE(sandbox->servers().size(), 1);
        QCOMPARE(sandbox->servers().constFirst()->serverPort(), sandbox.port);
        CHECK_OK(sandbox.api().get(sandbox.opportunityPath()));
    }

    void keyExpiresAfter24Hours()
    {
        SANDBOX(sandbox);
        Options options;
        options.idempotencyKey = "day-old";
        const QJsonObject body = newOpportunityBody(sandbox, QStringLiteral("Daily"));
        const Reply first = sandbox.api().post(kOpportunitiesPath, body, options);
        CHECK_OK(first);
        sandbox->clock().advance(24LL * 60 * 60 * 1000 - 1000);
        const Reply withinDay = sandbox.api().post(kOpportunitiesPath, body, options);
        QCOMPARE(withinDay.body, first.body);
        sandbox->clock().advance(1000 + 1);
        const Reply later = sandbox.api().post(kOpportunitiesPath, body, options);
        CHECK_OK(later);
        QVERIFY(later.object().value(QStringLiteral("id"))
            != first.object().value(QStringLiteral("id")));
        QCOMPARE(
            sandbox.stats()[QStringLiteral("appliedByIdempotencyKey")][QStringLiteral("day-old")]
                .toInt(),
            2);
    }

    // --- Rate limits ----------------------------------------------------------------------------

    void everyApiResponseCarriesRateLimitHeaders_data()
    {
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("auth");
        QTest::addColumn<int>("status");
        QTest::newRow("list") << QByteArray("GET") << QStringLiteral("/v1/opportunities") << true
                              << 200;
        QTest::newRow("retrieve") << QByteArray("GET") << QStringLiteral("{opp}") << true << 200;
        QTest::newRow("update") << QByteArray("POST") << QStringLiteral("{opp}") << true << 200;
        QTest::newRow("validate") << QByteArray("GET") << QStringLiteral("/v1/auth/validate")
                                  << true << 200;
        QTest::newRow("401") << QByteArray("GET") << QStringLiteral("/v1/opportunities") << false
                             << 401;
        QTest::newRow("404") << QByteArray("GET") << QStringLiteral("/v1/opportunities/opp_none")
                             << true << 404;
        QTest::newRow("400") << QByteArray("GET") << QStringLiteral("/v1/opportunities?limit=0")
                             << true << 400;
    }
    void everyApiResponseCarriesRateLimitHeaders()
    {
        QFETCH(QByteArray, verb);
        QFETCH(QString, path);
        QFETCH(bool, auth);
        QFETCH(int, status);
        SandboxConfig config;
        config.rateLimitRead = 20;
        config.rateLimitWrite = 10;
        config.rateLimitSearch = 5;
        SANDBOX(sandbox, config);
        path.replace(QStringLiteral("{opp}"), sandbox.opportunityPath());
        Options options;
        options.sendAuth = auth;
        const Reply reply = sandbox.api().send(verb, sandbox.api().url(path.toUtf8()),
            verb == "POST" ? std::optional<QByteArray>("{}") : std::nullopt, options);
        QVERIFY2(reply.status == status, reply.describe().constData());
        const QByteArray limit = reply.header("X-RateLimit-Limit");
        QVERIFY2(!limit.isEmpty(), reply.describe().constData());
        const int expectedLimit = verb == "POST" ? 10
            : (path.endsWith(QLatin1String("/v1/opportunities")) || path.contains(QLatin1Char('?')))
            ? 5
            : 20;
        QCOMPARE(limit.toInt(), expectedLimit);
        bool ok = false;
        const int remaining = reply.header("X-RateLimit-Remaining").toInt(&ok);
        QVERIFY(ok && remaining >= 0 && remaining < expectedLimit + 1);
        const qint64 reset = reply.header("X-RateLimit-Reset").toLongLong(&ok);
        QVERIFY(ok);
        const qint64 nowSeconds = QDateTime::currentSecsSinceEpoch();
        QVERIFY2(reset >= nowSeconds && reset <= nowSeconds + 5, reply.header("X-RateLimit-Reset"));
        QVERIFY(!reply.header("X-Request-Id").isEmpty());
        const Reply again = sandbox.api().get(QStringLiteral("/v1/auth/validate"));
        QVERIFY(!again.header("X-Request-Id").isEmpty());
        QVERIFY(again.header("X-Request-Id") != reply.header("X-Request-Id"));
    }

    void searchBeyondItsLimitIsTooManyRequests_data()
    {
        QTest::addColumn<bool>("wrapped");
        QTest::newRow("documented") << false;
        QTest::newRow("wrapped") << true;
    }
    void searchBeyondItsLimitIsTooManyRequests()
    {
        QFETCH(bool, wrapped);
        SandboxConfig config = testConfig();
        config.rateLimitSearch = 3;
        if (wrapped)
            config.errorEnvelope = SandboxConfig::ErrorEnvelope::Wrapped;
        const auto checkLimited = [wrapped](const Reply &reply) {
            if (wrapped)
                checkError(reply, 429, QStringLiteral("too_many_requests"));
            else
                checkDocumentedError(reply, 429, QStringLiteral("too_many_requests"));
            return !QTest::currentTestFailed();
        };
        SANDBOX(sandbox, config);
        for (int i = 0; i < 3; ++i) {
            const Reply reply = sandbox.api().get(kOpportunitiesPath);
            CHECK_OK(reply);
            QCOMPARE(reply.header("X-RateLimit-Limit"), QByteArray("3"));
            QCOMPARE(reply.header("X-RateLimit-Remaining").toInt(), 2 - i);
        }
        const Reply limited = sandbox.api().get(kOpportunitiesPath);
        QVERIFY(checkLimited(limited));
        bool ok = false;
        QVERIFY(limited.header("Retry-After").toInt(&ok) >= 1 && ok);
        QCOMPARE(limited.header("X-RateLimit-Remaining"), QByteArray("0"));
        QVERIFY(
            limited.header("X-RateLimit-Reset").toLongLong() >= QDateTime::currentSecsSinceEpoch());
        // The other categories have their own buckets.
        CHECK_OK(sandbox.api().get(sandbox.opportunityPath()));
        CHECK_OK(sandbox.api().get(QStringLiteral("/v1/opportunities/definitions")));
        CHECK_OK(sandbox.api().post(sandbox.opportunityPath(), QJsonObject {}));
        QVERIFY(checkLimited(sandbox.api().get(QStringLiteral("/v1/members"))));
        QCOMPARE(sandbox.stats().value(QStringLiteral("rateLimited")).toInt(), 2);
        // A second later the bucket is full again.
        sandbox->clock().advance(1000);
        for (int i = 0; i < 3; ++i)
            CHECK_OK(sandbox.api().get(kOpportunitiesPath));
    }

    void writesAndReadsHaveTheirOwnLimits_data()
    {
        QTest::addColumn<QString>("category");
        QTest::newRow("write") << QStringLiteral("write");
        QTest::newRow("read") << QStringLiteral("read");
    }
    void writesAndReadsHaveTheirOwnLimits()
    {
        QFETCH(QString, category);
        SandboxConfig config = testConfig();
        (category == QLatin1String("write") ? config.rateLimitWrite : config.rateLimitRead) = 2;
        SANDBOX(sandbox, config);
        const auto request = [&] {
            return category == QLatin1String("write")
                ? sandbox.api().post(sandbox.opportunityPath(), QJsonObject {})
                : sandbox.api().get(sandbox.opportunityPath());
        };
        CHECK_OK(request());
        CHECK_OK(request());
        const Reply limited = request();
        CHECK_DOCUMENTED_ERROR(limited, 429, QStringLiteral("too_many_requests"));
        QVERIFY(limited.header("Retry-After").toInt() >= 1);
        CHECK_OK(sandbox.api().get(kOpportunitiesPath)); // search is unaffected
        if (category == QLatin1String("write"))
            QCOMPARE(sandbox.stats().value(QStringLiteral("writesApplied")).toInt(), 2);
        sandbox->clock().advance(1000);
        CHECK_OK(request());
    }

    void rateLimitsAreAdjustableThroughTheAdminRoute()
    {
        SANDBOX(sandbox);
        const Reply set = sandbox.api().adminPost(
            QStringLiteral("/__sandbox/config"), {{QStringLiteral("rateLimitSearch"), 1}});
        CHECK_OK(set);
        QCOMPARE(set.object().value(QStringLiteral("rateLimitSearch")).toInt(), 1);
        CHECK_OK(sandbox.api().get(kOpportunitiesPath));
        CHECK_DOCUMENTED_ERROR(
            sandbox.api().get(kOpportunitiesPath), 429, QStringLiteral("too_many_requests"));
        const Reply config = sandbox.api().adminGet(QStringLiteral("/__sandbox/config"));
        CHECK_OK(config);
        QCOMPARE(config.object().value(QStringLiteral("rateLimitSearch")).toInt(), 1);
        CHECK_ERROR(sandbox.api().adminPost(QStringLiteral("/__sandbox/config"),
                        {{QStringLiteral("rateLimitSearch"), 0}}),
            400, QStringLiteral("bad_request"));
        CHECK_ERROR(sandbox.api().adminPost(
                        QStringLiteral("/__sandbox/config"), {{QStringLiteral("colour"), 1}}),
            400, QStringLiteral("bad_request"));
    }

    void sweepSwitchesAndColleagueInsertsAndDeletes()
    {
        SANDBOX(sandbox);
        // List order and offset cap through the admin route.
        const Reply set = sandbox.api().adminPost(QStringLiteral("/__sandbox/config"),
            {{QStringLiteral("listOrder"), QStringLiteral("newest")},
                {QStringLiteral("maxOffset"), 25}});
        CHECK_OK(set);
        QCOMPARE(
            set.object().value(QStringLiteral("listOrder")).toString(), QStringLiteral("newest"));
        QCOMPARE(set.object().value(QStringLiteral("maxOffset")).toInt(), 25);
        QCOMPARE(set.object().value(QStringLiteral("maxOffsetAnswer")).toString(),
            QStringLiteral("error"));
        const QStringList created = sandbox->store().ids(QStringLiteral("opportunity"));
        const Reply first = sandbox.api().get(kOpportunitiesPath);
        CHECK_OK(first);
        QCOMPARE(first.object()
                     .value(QStringLiteral("data"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("id"))
                     .toString(),
            created.constLast());
        CHECK_OK(sandbox.api().get(
            kOpportunitiesPath, {{QStringLiteral("offset"), QStringLiteral("25")}}));
        const Reply refused = sandbox.api().get(
            kOpportunitiesPath, {{QStringLiteral("offset"), QStringLiteral("50")}});
        CHECK_ERROR(refused, 400, QStringLiteral("bad_request"));
        QVERIFY(refused.body.contains("offset_too_large"));
        CHECK_OK(sandbox.api().adminPost(QStringLiteral("/__sandbox/config"),
            {{QStringLiteral("maxOffsetAnswer"), QStringLiteral("empty")}}));
        const Reply empty = sandbox.api().get(
            kOpportunitiesPath, {{QStringLiteral("offset"), QStringLiteral("50")}});
        CHECK_OK(empty);
        QCOMPARE(empty.object().value(QStringLiteral("data")).toArray().size(), 0);
        QCOMPARE(empty.object().value(QStringLiteral("totalCount")).toInt(), int(created.size()));
        for (const auto &[key, value] : {std::pair {"listOrder", QJsonValue(QStringLiteral("up"))},
                 std::pair {"maxOffset", QJsonValue(-2)},
                 std::pair {"maxOffsetAnswer", QJsonValue(QStringLiteral("maybe"))}}) {
            CHECK_ERROR(sandbox.api().adminPost(QStringLiteral("/__sandbox/config"),
                            {{QString::fromLatin1(key), value}}),
                400, QStringLiteral("bad_request"));
        }
        CHECK_OK(sandbox.api().adminPost(QStringLiteral("/__sandbox/config"),
            {{QStringLiteral("listOrder"), QStringLiteral("oldest")},
                {QStringLiteral("maxOffset"), -1}}));

        // A colleague creates a deal listed first, even in creation order.
        const Reply inserted
            = sandbox.api().adminPost(QStringLiteral("/__sandbox/records/opportunities?at=head"),
                newOpportunityBody(sandbox, QStringLiteral("At the head")));
        CHECK_OK(inserted);
        const QString headId = inserted.object().value(QStringLiteral("id")).toString();
        QCOMPARE(sandbox->store().servedIds(QStringLiteral("opportunity")).constFirst(), headId);
        const Reply tail
            = sandbox.api().adminPost(QStringLiteral("/__sandbox/records/opportunities"),
                newOpportunityBody(sandbox, QStringLiteral("At the tail")));
        CHECK_OK(tail);
        QCOMPARE(sandbox->store().servedIds(QStringLiteral("opportunity")).constLast(),
            tail.object().value(QStringLiteral("id")).toString());
        CHECK_ERROR(
            sandbox.api().adminPost(QStringLiteral("/__sandbox/records/opportunities?at=middle"),
                newOpportunityBody(sandbox, QStringLiteral("Nowhere"))),
            400, QStringLiteral("bad_request"));
        CHECK_ERROR(sandbox.api().adminPost(QStringLiteral("/__sandbox/records/opportunities"),
                        {{QStringLiteral("fields"), QJsonObject()}}),
            400, QStringLiteral("bad_request"));

        // … and deletes one: gone from lists, GET says 404, a second delete says 404 too.
        Options admin;
        admin.sendAuth = false;
        admin.sendVersion = false;
        const QString deletePath = QStringLiteral("/__sandbox/records/opportunities/") + headId;
        CHECK_OK(sandbox.api().send("DELETE", sandbox.api().url(deletePath), std::nullopt, admin));
        CHECK_ERROR(sandbox.api().get(kOpportunitiesPath + QLatin1Char('/') + headId), 404,
            QStringLiteral("not_found"));
        QVERIFY(!sandbox->store().servedIds(QStringLiteral("opportunity")).contains(headId));
        CHECK_ERROR(
            sandbox.api().send("DELETE", sandbox.api().url(deletePath), std::nullopt, admin), 404,
            QStringLiteral("not_found"));
        QCOMPARE(sandbox.stats().value(QStringLiteral("colleagueWrites")).toInt(), 3);
    }

    void aOneShotMalformedListPage()
    {
        SANDBOX(sandbox);
        CHECK_OK(sandbox.api().adminPost(
            QStringLiteral("/__sandbox/faults"), {{QStringLiteral("malformedListPages"), 1}}));
        const Reply garbled = sandbox.api().get(kOpportunitiesPath);
        QCOMPARE(garbled.status, 200);
        QVERIFY(!garbled.jsonOk);
        CHECK_OK(sandbox.api().get(kOpportunitiesPath));
        QCOMPARE(sandbox->config().faults.malformedListPages, 0);
        CHECK_ERROR(sandbox.api().adminPost(QStringLiteral("/__sandbox/faults"),
                        {{QStringLiteral("malformedListPages"), -1}}),
            400, QStringLiteral("bad_request"));
    }

    // --- Fault switches (sandboxserver.h SandboxFaults) ----------------------------------------

    void statusFaultsFailTheRequestWithoutApplyingIt_data()
    {
        QTest::addColumn<QString>("switchName");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("type");
        QTest::addColumn<bool>("retryAfter");
        QTest::newRow("500") << QStringLiteral("rate500") << 500
                             << QStringLiteral("internal_server_error") << false;
        QTest::newRow("503") << QStringLiteral("rate503") << 503
                             << QStringLiteral("service_unavailable") << true;
        QTest::newRow("408") << QStringLiteral("rate408") << 408
                             << QStringLiteral("request_timeout") << false;
        QTest::newRow("429") << QStringLiteral("rate429") << 429
                             << QStringLiteral("too_many_requests") << true;
    }
    void statusFaultsFailTheRequestWithoutApplyingIt()
    {
        QFETCH(QString, switchName);
        QFETCH(int, status);
        QFETCH(QString, type);
        QFETCH(bool, retryAfter);
        SANDBOX(sandbox);
        const Reply set
            = sandbox.api().adminPost(QStringLiteral("/__sandbox/faults"), {{switchName, 1.0}});
        CHECK_OK(set);
        QCOMPARE(set.object().value(switchName).toDouble(), 1.0);
        const Reply read = sandbox.api().get(sandbox.opportunityPath());
        // A 429 comes in the rate-limit page's unwrapped shape (the default envelope).
        const auto check = [status, type](const Reply &reply) {
            if (status == 429)
                checkDocumentedError(reply, status, type);
            else
                checkError(reply, status, type);
            return !QTest::currentTestFailed();
        };
        QVERIFY(check(read));
        const Reply write = sandbox.api().post(sandbox.opportunityPath(),
            {{QStringLiteral("fields"),
                QJsonObject {{QStringLiteral("$name"), QStringLiteral("Nope")}}}});
        QVERIFY(check(write));
        if (retryAfter) {
            QCOMPARE(read.header("Retry-After"), QByteArray("1"));
            QCOMPARE(write.header("Retry-After"), QByteArray("1"));
        }
        QVERIFY(!read.header("X-RateLimit-Limit").isEmpty());
        const QJsonObject stats = sandbox.stats();
        QCOMPARE(stats.value(QStringLiteral("writesApplied")).toInt(), 0);
        QCOMPARE(stats[QStringLiteral("faults")][QString::number(status)].toInt(), 2);
        CHECK_OK(sandbox.api().adminPost(QStringLiteral("/__sandbox/faults"), {{switchName, 0}}));
        const Reply after = sandbox.api().get(sandbox.opportunityPath());
        CHECK_OK(after);
        QVERIFY(
            fieldOf(after.object(), QStringLiteral("$name")).toString() != QLatin1String("Nope"));
    }

    void retryAfterCanBeAnHttpDate_data()
    {
        QTest::addColumn<QString>("switchName");
        QTest::newRow("503") << QStringLiteral("rate503");
        QTest::newRow("429") << QStringLiteral("rate429");
    }
    void retryAfterCanBeAnHttpDate()
    {
        QFETCH(QString, switchName);
        SandboxConfig config = testConfig();
        config.faults.retryAfterAsDate = true;
        (switchName == QLatin1String("rate503") ? config.faults.rate503 : config.faults.rate429)
            = 1.0;
        SANDBOX(sandbox, config);
        const Reply reply = sandbox.api().get(kOpportunitiesPath);
        QVERIFY2(reply.status == 503 || reply.status == 429, reply.describe().constData());
        const QByteArray value = reply.header("Retry-After");
        static const QRegularExpression httpDate(
            QStringLiteral("^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} "
                           "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                           "\\d{4} \\d{2}:\\d{2}:\\d{2} GMT$"));
        QVERIFY2(httpDate.match(QString::fromLatin1(value)).hasMatch(), value.constData());
        QDateTime at = QLocale::c().toDateTime(
            QString::fromLatin1(value), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
        at.setTimeSpec(Qt::UTC);
        QVERIFY2(at.isValid(), value.constData());
        const qint64 delta = at.toSecsSinceEpoch() - QDateTime::currentSecsSinceEpoch();
        QVERIFY2(delta >= 0 && delta <= 3, qPrintable(QString::number(delta)));
    }

    void hangingRequestTimesOutOnTheClient()
    {
        SandboxConfig config = testConfig();
        config.faults.rateHang = 1.0;
        SANDBOX(sandbox, config);
        Options options;
        options.transferTimeoutMs = 500;
        options.waitMs = 5000;
        const Reply reply = sandbox.api().get(kOpportunitiesPath, {}, options);
        QVERIFY2(reply.finished, reply.describe().constData());
        QCOMPARE(reply.error, QNetworkReply::OperationCanceledError);
        QCOMPARE(reply.status, 0);
        QVERIFY(reply.elapsedMs >= 450);
        QCOMPARE(sandbox.stats()[QStringLiteral("faults")][QStringLiteral("hang")].toInt(), 1);
        // The server itself keeps answering (admin routes are never faulted).
        CHECK_OK(sandbox.api().adminGet(QStringLiteral("/__sandbox/stats")));
    }

    void truncatedResponseIsNotTheWholeBody()
    {
        SandboxConfig config = testConfig();
        config.faults.rateTruncate = 1.0;
        SANDBOX(sandbox, config);
        const Reply reply = sandbox.api().get(sandbox.opportunityPath());
        QVERIFY2(reply.finished, reply.describe().constData());
        QVERIFY2(!reply.jsonOk, reply.describe().constData());
        QVERIFY2(reply.error != QNetworkReply::NoError, reply.describe().constData());
        const QByteArray full
            = QJsonDocument(*sandbox->store().retrieve(QStringLiteral("opportunity"),
                                sandbox.id(QStringLiteral("opportunity"))))
                  .toJson(QJsonDocument::Compact);
        QVERIFY(reply.body.size() < full.size());
        QCOMPARE(sandbox.stats()[QStringLiteral("faults")][QStringLiteral("truncate")].toInt(), 1);
    }

    void malformedResponseIsOkButNotJson()
    {
        SandboxConfig config = testConfig();
        config.faults.rateMalformed = 1.0;
        SANDBOX(sandbox, config);
        const Reply reply = sandbox.api().get(kOpportunitiesPath);
        QVERIFY2(reply.finished && reply.status == 200, reply.describe().constData());
        QCOMPARE(reply.error, QNetworkReply::NoError);
        QVERIFY(!reply.body.isEmpty());
        QVERIFY2(!reply.jsonOk, reply.describe().constData());
    }

    void unknownValueTypeAppearsInRecords_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("retrieve") << QStringLiteral("{opp}");
        QTest::newRow("list") << QStringLiteral("/v1/opportunities");
        QTest::newRow("update") << QStringLiteral("POST {opp}");
    }
    void unknownValueTypeAppearsInRecords()
    {
        QFETCH(QString, path);
        SandboxConfig config = testConfig();
        config.faults.rateUnknownValueType = 1.0;
        SANDBOX(sandbox, config);
        const bool post = path.startsWith(QLatin1String("POST "));
        path.replace(QStringLiteral("POST "), QString());
        path.replace(QStringLiteral("{opp}"), sandbox.opportunityPath());
        const Reply reply
            = post ? sandbox.api().post(path, QJsonObject {}) : sandbox.api().get(path);
        CHECK_OK(reply);
        QJsonObject record = reply.object();
        if (record.value(QStringLiteral("object")) == QLatin1String("list"))
            record = record[QStringLiteral("data")][0].toObject();
        const QJsonObject strange = record.value(QStringLiteral("fields"))
                                        .toObject()
                                        .value(QStringLiteral("hologram"))
                                        .toObject();
        QCOMPARE(strange.value(QStringLiteral("valueType")).toString(), QStringLiteral("HOLOGRAM"));
        QVERIFY(strange.contains(QStringLiteral("value")));
        QVERIFY(!sandboxValueTypes().contains(QStringLiteral("HOLOGRAM")));
        // The rest of the record is intact.
        QVERIFY(fieldOf(record, QStringLiteral("$name")).isString());
    }

    void undecodableAndIdlessRowsKeepThePageLength()
    {
        SANDBOX(sandbox);
        const QString broken = sandbox.id(QStringLiteral("opportunity"), 0);
        const QString idless = sandbox.id(QStringLiteral("opportunity"), 1);
        CHECK_OK(sandbox.api().adminPost(QStringLiteral("/__sandbox/faults"),
            {{QStringLiteral("undecodableIds"), QJsonArray {broken}},
                {QStringLiteral("idlessIds"), QJsonArray {idless}}}));
        const Reply list = sandbox.api().get(
            kOpportunitiesPath, {{QStringLiteral("limit"), QStringLiteral("25")}});
        CHECK_OK(list);
        const QJsonArray data = list.object().value(QStringLiteral("data")).toArray();
        QCOMPARE(data.size(), 25);
        int unreadable = 0;
        int withoutId = 0;
        for (const QJsonValue &row : data) {
            if (row[QStringLiteral("id")].toString() == broken) {
                ++unreadable;
                QCOMPARE(row[QStringLiteral("fields")].toString(), QStringLiteral("<unreadable>"));
            }
            if (row[QStringLiteral("id")].isNull())
                ++withoutId;
        }
        QCOMPARE(unreadable, 1);
        QCOMPARE(withoutId, 1);
        // Only lists: a retrieve is intact.
        const Reply one = sandbox.api().get(sandbox.opportunityPath(0));
        CHECK_OK(one);
        QVERIFY(one.object().value(QStringLiteral("fields")).isObject());
    }

    void endlessPagesAreNeverShort()
    {
        SANDBOX(sandbox);
        CHECK_OK(sandbox.api().adminPost(
            QStringLiteral("/__sandbox/faults"), {{QStringLiteral("endlessPages"), true}}));
        const Reply far = sandbox.api().get(kOpportunitiesPath,
            {{QStringLiteral("limit"), QStringLiteral("25")},
                {QStringLiteral("offset"), QStringLiteral("5000")}});
        CHECK_OK(far);
        const QJsonArray data = far.object().value(QStringLiteral("data")).toArray();
        QCOMPARE(data.size(), 25);
        QSet<QString> ids;
        for (const QJsonValue &row : data)
            ids.insert(row[QStringLiteral("id")].toString());
        QCOMPARE(ids.size(), 25);
        QVERIFY(far.object().value(QStringLiteral("totalCount")).toInt() > 5025);
    }

    void oversizedBodyIsPadded()
    {
        SANDBOX(sandbox);
        CHECK_OK(sandbox.api().adminPost(QStringLiteral("/__sandbox/faults"),
            {{QStringLiteral("oversizeBodyBytes"), 2 * 1024 * 1024}}));
        const Reply one = sandbox.api().get(sandbox.opportunityPath(0));
        CHECK_OK(one);
        QVERIFY(one.body.size() > 2 * 1024 * 1024);
        QVERIFY(one.object().value(QStringLiteral("id")).isString());
    }

    void retryAfterCanBeAnyText()
    {
        SandboxConfig config = testConfig();
        config.faults.rate429 = 1.0;
        config.faults.retryAfterValue = QStringLiteral("1e300");
        config.faults.retryAfterMsValue = QStringLiteral("-5");
        SANDBOX(sandbox, config);
        const Reply reply = sandbox.api().get(kOpportunitiesPath);
        QCOMPARE(reply.status, 429);
        QCOMPARE(reply.header("Retry-After"), QByteArray("1e300"));
        QCOMPARE(reply.header("Retry-After-Ms"), QByteArray("-5"));
    }

    void droppedAfterWriteIsAppliedAndReplayedOnRetry()
    {
        SANDBOX(sandbox);
        CHECK_OK(sandbox.api().adminPost(
            QStringLiteral("/__sandbox/faults"), {{QStringLiteral("rateDropAfterWrite"), 1.0}}));
        Options options;
        options.idempotencyKey = "dropped-write";
        const QJsonObject body {{QStringLiteral("fields"),
            QJsonObject {{QStringLiteral("$name"), QStringLiteral("Dropped")}}}};
        // On the wire (a raw socket: QNetworkAccessManager would resend, see
        // qnamResendsADroppedPost): the write is applied, the connection closes unanswered.
        const SandboxTest::RawReply dropped = sandbox.api().raw(sandbox.api().rawRequest("POST",
            sandbox.opportunityPath().toUtf8(), QJsonDocument(body).toJson(QJsonDocument::Compact),
            {{"Content-Type", "application/json"}, {"Idempotency-Key", options.idempotencyKey}}));
        QVERIFY(dropped.connected);
        QVERIFY(dropped.closedByPeer);
        QVERIFY2(dropped.bytes.isEmpty() && dropped.status == 0, dropped.bytes.constData());
        QJsonObject stats = sandbox.stats();
        QCOMPARE(stats.value(QStringLiteral("writesApplied")).toInt(), 1);
        QCOMPARE(stats[QStringLiteral("faults")][QStringLiteral("dropAfterWrite")].toInt(), 1);
        // Reads are never dropped, and the write is there.
        const Reply current = sandbox.api().get(sandbox.opportunityPath());
        CHECK_OK(current);
        QCOMPARE(fieldOf(current.object(), QStringLiteral("$name")).toString(),
            QStringLiteral("Dropped"));
        // The client retries with the same key: replayed, not applied again.
        CHECK_OK(sandbox.api().adminPost(
            QStringLiteral("/__sandbox/faults"), {{QStringLiteral("rateDropAfterWrite"), 0}}));
        const Reply retry = sandbox.api().post(sandbox.opportunityPath(), body, options);
        CHECK_OK(retry);
        QCOMPARE(
            fieldOf(retry.object(), QStringLiteral("$name")).toString(), QStringLiteral("Dropped"));
        QCOMPARE(retry.object().value(QStringLiteral("updatedAt")),
            current.object().value(QStringLiteral("updatedAt")));
        stats = sandbox.stats();
        QCOMPARE(stats.value(QStringLiteral("writesApplied")).toInt(), 1);
        QCOMPARE(stats.value(QStringLiteral("idempotentReplays")).toInt(), 1);
        QCOMPARE(stats[QStringLiteral("appliedByIdempotencyKey")][QStringLiteral("dropped-write")]
                     .toInt(),
            1);
    }

    void qnamResendsADroppedPost_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::newRow("with Idempotency-Key") << QByteArray("qnam-drop");
        QTest::newRow("without key") << QByteArray();
    }
    void qnamResendsADroppedPost()
    {
        // Qt 6.4's QNetworkAccessManager resends a request whose connection closes before any
        // response byte (QHttpNetworkConnectionChannel reconnect attempts), POST included. With
        // an Idempotency-Key the resend is replayed and the caller sees the first answer; without
        // one, every attempt is applied (and dropped) again until QNAM gives up.
        QFETCH(QByteArray, key);
        SandboxConfig config = testConfig();
        config.faults.rateDropAfterWrite = 1.0;
        SANDBOX(sandbox, config);
        Options options;
        options.idempotencyKey = key;
        Client fresh(sandbox.api().baseUrl());
        const Reply reply = fresh.post(sandbox.opportunityPath(),
            {{QStringLiteral("fields"), QJsonObject {{QStringLiteral("probability"), 7}}}},
            options);
        QVERIFY2(reply.finished, reply.describe().constData());
        const QJsonArray writes = sandbox.api()
                                      .adminGet(QStringLiteral("/__sandbox/writes"))
                                      .object()[QStringLiteral("writes")]
                                      .toArray();
        QVERIFY2(writes.size() >= 2, "QNAM sent the POST only once");
        QCOMPARE(writes.at(0)[QStringLiteral("applied")], QJsonValue(true));
        const QJsonObject stats = sandbox.stats();
        if (key.isEmpty()) {
            QVERIFY2(reply.status == 0 && reply.error != QNetworkReply::NoError,
                reply.describe().constData());
            QCOMPARE(stats.value(QStringLiteral("writesApplied")).toInt(), int(writes.size()));
        } else {
            CHECK_OK(reply);
            QCOMPARE(fieldOf(reply.object(), QStringLiteral("probability")).toInt(), 7);
            QCOMPARE(stats.value(QStringLiteral("writesApplied")).toInt(), 1);
            QCOMPARE(writes.at(1)[QStringLiteral("replayed")], QJsonValue(true));
            QCOMPARE(writes.at(1)[QStringLiteral("idempotencyKey")].toString(),
                QString::fromLatin1(key));
        }
        const Reply current = sandbox.api().get(sandbox.opportunityPath());
        QCOMPARE(fieldOf(current.object(), QStringLiteral("probability")).toInt(), 7);
    }

    void latencyDelaysEveryApiResponse()
    {
        SandboxConfig config = testConfig();
        config.faults.latencyMs = 300;
        SANDBOX(sandbox, config);
        const Reply read = sandbox.api().get(sandbox.opportunityPath());
        CHECK_OK(read);
        QVERIFY2(read.elapsedMs >= 300, qPrintable(QString::number(read.elapsedMs)));
        const Reply error = sandbox.api().get(QStringLiteral("/v1/opportunities/opp_none"));
        QCOMPARE(error.status, 404);
        QVERIFY(error.elapsedMs >= 300);
        // Admin routes are immediate.
        QElapsedTimer timer;
        timer.start();
        CHECK_OK(sandbox.api().adminGet(QStringLiteral("/__sandbox/stats")));
        QVERIFY2(timer.elapsed() < 300, qPrintable(QString::number(timer.elapsed())));
    }

    void jitterStaysWithinItsBound()
    {
        SandboxConfig config = testConfig();
        config.faults.latencyMs = 50;
        config.faults.jitterMs = 100;
        SANDBOX(sandbox, config);
        for (int i = 0; i < 3; ++i) {
            const Reply reply = sandbox.api().get(sandbox.opportunityPath());
            CHECK_OK(reply);
            QVERIFY2(reply.elapsedMs >= 50, qPrintable(QString::number(reply.elapsedMs)));
            QVERIFY2(
                reply.elapsedMs < 50 + 100 + 1000, qPrintable(QString::number(reply.elapsedMs)));
        }
    }

    void sameFaultSeedGivesTheSameSequence()
    {
        const auto run = [](quint32 seed) {
            SandboxConfig config = testConfig();
            config.faults.seed = seed;
            config.faults.rate500 = 0.3;
            config.faults.rate503 = 0.2;
            config.faults.rate408 = 0.1;
            Sandbox sandbox(config);
            QList<int> statuses;
            for (int i = 0; i < 30; ++i)
                statuses.append(sandbox.api().get(sandbox.opportunityPath(i % 5)).status);
            return statuses;
        };
        const QList<int> first = run(42);
        QCOMPARE(first.size(), 30);
        QCOMPARE(run(42), first);
        QVERIFY(first.contains(200) && first.contains(500));
        QVERIFY(run(43) != first);

        // Re-seeding through the admin route replays the sequence on a running server.
        SandboxConfig config = testConfig();
        config.faults.rate500 = 0.5;
        SANDBOX(sandbox, config);
        const auto sequence = [&] {
            CHECK_OK(sandbox.api().adminPost(
                QStringLiteral("/__sandbox/faults"), {{QStringLiteral("seed"), 9}}));
        };
        QList<int> a, b;
        sequence();
        for (int i = 0; i < 20; ++i)
            a.append(sandbox.api().get(sandbox.opportunityPath()).status);
        sequence();
        for (int i = 0; i < 20; ++i)
            b.append(sandbox.api().get(sandbox.opportunityPath()).status);
        QCOMPARE(a, b);
    }

    void adminRoutesAreNeverFaulted()
    {
        SandboxConfig config = testConfig();
        config.faults.rate500 = 1.0;
        SANDBOX(sandbox, config);
        CHECK_ERROR(
            sandbox.api().get(kOpportunitiesPath), 500, QStringLiteral("internal_server_error"));
        CHECK_OK(sandbox.api().adminGet(QStringLiteral("/__sandbox/stats")));
        CHECK_OK(sandbox.api().adminGet(QStringLiteral("/__sandbox/faults")));
        CHECK_OK(sandbox.api().adminGet(QStringLiteral("/__sandbox/config")));
        CHECK_OK(sandbox.api().adminGet(QStringLiteral("/__sandbox/writes")));
        CHECK_OK(sandbox.api().adminPost(
            QStringLiteral("/__sandbox/clock"), {{QStringLiteral("advanceMs"), 0}}));
        CHECK_OK(sandbox.api().adminPost(QStringLiteral("/__sandbox/records/opportunities/")
                + sandbox.id(QStringLiteral("opportunity")),
            QJsonObject {}));
        CHECK_OK(sandbox.api().adminPost(QStringLiteral("/__sandbox/stats/reset"), {}));
        for (const char *name : {"rateHang", "rateTruncate", "rateMalformed", "rate503"}) {
            CHECK_OK(sandbox.api().adminPost(QStringLiteral("/__sandbox/faults"),
                {{QStringLiteral("rate500"), 0}, {QLatin1String(name), 1.0}}));
            const Reply stats = sandbox.api().adminGet(QStringLiteral("/__sandbox/stats"));
            CHECK_OK(stats);
            CHECK_OK(sandbox.api().adminPost(
                QStringLiteral("/__sandbox/faults"), {{QLatin1String(name), 0}}));
        }
    }

    void faultSwitchesAreValidated_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("rate above 1") << QByteArray("{\"rate500\":1.5}");
        QTest::newRow("negative rate") << QByteArray("{\"rateHang\":-0.1}");
        QTest::newRow("rate as string") << QByteArray("{\"rate503\":\"0.5\"}");
        QTest::newRow("unknown switch") << QByteArray("{\"rate418\":1}");
        QTest::newRow("negative latency") << QByteArray("{\"latencyMs\":-5}");
        QTest::newRow("fractional latency") << QByteArray("{\"latencyMs\":2.5}");
        QTest::newRow("date flag not bool") << QByteArray("{\"retryAfterAsDate\":1}");
        QTest::newRow("endless not bool") << QByteArray("{\"endlessPages\":1}");
        QTest::newRow("ids not strings") << QByteArray("{\"undecodableIds\":[1]}");
        QTest::newRow("ids not array") << QByteArray("{\"idlessIds\":\"opp_1\"}");
        QTest::newRow("oversize negative") << QByteArray("{\"oversizeBodyBytes\":-1}");
        QTest::newRow("retry-after not text") << QByteArray("{\"retryAfterValue\":5}");
        QTest::newRow("not json") << QByteArray("rate500=1");
    }
    void faultSwitchesAreValidated()
    {
        QFETCH(QByteArray, body);
        SANDBOX(sandbox);
        const QJsonObject before
            = sandbox.api().adminGet(QStringLiteral("/__sandbox/faults")).object();
        Options options;
        options.sendAuth = false;
        options.sendVersion = false;
        CHECK_ERROR(sandbox.api().postRaw(QStringLiteral("/__sandbox/faults"), body, options), 400,
            QStringLiteral("bad_request"));
        QCOMPARE(sandbox.api().adminGet(QStringLiteral("/__sandbox/faults")).object(), before);
        CHECK_OK(sandbox.api().get(sandbox.opportunityPath()));
    }

    // --- Admin routes ---------------------------------------------------------------------------

    void statsCountRequestsByRouteAndStatus()
    {
        SANDBOX(sandbox);
        CHECK_OK(sandbox.api().get(kOpportunitiesPath));
        CHECK_OK(sandbox.api().get(
            kOpportunitiesPath, {{QStringLiteral("limit"), QStringLiteral("3")}}));
        CHECK_OK(sandbox.api().get(sandbox.opportunityPath()));
        QCOMPARE(sandbox.api().get(QStringLiteral("/v1/opportunities/opp_none")).status, 404);
        QCOMPARE(sandbox.api()
                     .get(QStringLiteral("/v1/accounts"),
                         {{QStringLiteral("limit"), QStringLiteral("0")}})
                     .status,
            400);
        CHECK_OK(sandbox.api().post(sandbox.opportunityPath(), QJsonObject {}));
        QCOMPARE(sandbox.api().get(QStringLiteral("/v1/widgets")).status, 404);
        const QJsonObject requests = sandbox.stats().value(QStringLiteral("requests")).toObject();
        QCOMPARE(
            requests[QStringLiteral("GET /v1/opportunities")][QStringLiteral("200")].toInt(), 2);
        QCOMPARE(
            requests[QStringLiteral("GET /v1/opportunities/{id}")][QStringLiteral("200")].toInt(),
            1);
        QCOMPARE(
            requests[QStringLiteral("GET /v1/opportunities/{id}")][QStringLiteral("404")].toInt(),
            1);
        QCOMPARE(requests[QStringLiteral("GET /v1/accounts")][QStringLiteral("400")].toInt(), 1);
        QCOMPARE(
            requests[QStringLiteral("POST /v1/opportunities/{id}")][QStringLiteral("200")].toInt(),
            1);
        QVERIFY(!requests.contains(QStringLiteral("GET /__sandbox/stats")));
        const QJsonObject stats = sandbox.stats();
        for (const char *key : {"requests", "writesApplied", "idempotentReplays",
                 "idempotencyConflicts", "idempotencyMismatches", "rateLimited", "colleagueWrites",
                 "faults", "appliedByIdempotencyKey"})
            QVERIFY2(stats.contains(QLatin1String(key)), key);
        QCOMPARE(stats.value(QStringLiteral("writesApplied")).toInt(), 1);

        const Reply reset = sandbox.api().adminPost(QStringLiteral("/__sandbox/stats/reset"), {});
        CHECK_OK(reset);
        QVERIFY(reset.object().value(QStringLiteral("requests")).toObject().isEmpty());
        QCOMPARE(reset.object().value(QStringLiteral("writesApplied")).toInt(), 0);
        QVERIFY(sandbox.stats().value(QStringLiteral("requests")).toObject().isEmpty());
        QVERIFY(sandbox.api()
                    .adminGet(QStringLiteral("/__sandbox/writes"))
                    .object()[QStringLiteral("writes")]
                    .toArray()
                    .isEmpty());
    }

    void writeLogRecordsEveryApiWrite()
    {
        SANDBOX(sandbox);
        Options options;
        options.idempotencyKey = "logged";
        const QJsonObject body {
            {QStringLiteral("fields"), QJsonObject {{QStringLiteral("probability"), 33}}}};
        CHECK_OK(sandbox.api().post(sandbox.opportunityPath(), body, options));
        CHECK_ERROR(sandbox.api().postRaw(sandbox.opportunityPath(), "{\"fields\":{\"foo\":1}}"),
            400, QStringLiteral("bad_request"));
        CHECK_OK(sandbox.api().get(sandbox.opportunityPath())); // reads are not logged
        const Reply reply = sandbox.api().adminGet(QStringLiteral("/__sandbox/writes"));
        CHECK_OK(reply);
        const QJsonArray writes = reply.object().value(QStringLiteral("writes")).toArray();
        QCOMPARE(writes.size(), 2);
        const QJsonObject first = writes.at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("method")).toString(), QStringLiteral("POST"));
        QCOMPARE(first.value(QStringLiteral("path")).toString(), sandbox.opportunityPath());
        QCOMPARE(
            first.value(QStringLiteral("idempotencyKey")).toString(), QStringLiteral("logged"));
        QCOMPARE(first.value(QStringLiteral("body")).toObject(), body);
        QCOMPARE(first.value(QStringLiteral("status")).toInt(), 200);
        QCOMPARE(first.value(QStringLiteral("applied")), QJsonValue(true));
        const QJsonObject second = writes.at(1).toObject();
        QVERIFY(second.value(QStringLiteral("idempotencyKey")).isNull());
        QCOMPARE(second.value(QStringLiteral("status")).toInt(), 400);
        QCOMPARE(second.value(QStringLiteral("applied")), QJsonValue(false));
    }

    void colleagueWriteChangesTheRecordOutsideTheApi()
    {
        SANDBOX(sandbox);
        const Reply before = sandbox.api().get(sandbox.opportunityPath());
        CHECK_OK(before);
        const Reply colleague
            = sandbox.api().adminPost(QStringLiteral("/__sandbox/records/opportunities/")
                    + sandbox.id(QStringLiteral("opportunity")),
                {{QStringLiteral("fields"),
                    QJsonObject {{QStringLiteral("$name"), QStringLiteral("Edited by Bo")}}}});
        CHECK_OK(colleague);
        const Reply after = sandbox.api().get(sandbox.opportunityPath());
        CHECK_OK(after);
        QCOMPARE(fieldOf(after.object(), QStringLiteral("$name")).toString(),
            QStringLiteral("Edited by Bo"));
        QVERIFY(after.object().value(QStringLiteral("updatedAt")).toString()
            > before.object().value(QStringLiteral("updatedAt")).toString());
        const QJsonObject stats = sandbox.stats();
        QCOMPARE(stats.value(QStringLiteral("colleagueWrites")).toInt(), 1);
        QCOMPARE(stats.value(QStringLiteral("writesApplied")).toInt(), 0);
        QVERIFY(sandbox.api()
                    .adminGet(QStringLiteral("/__sandbox/writes"))
                    .object()[QStringLiteral("writes")]
                    .toArray()
                    .isEmpty());
        // Same body rules as the API.
        CHECK_ERROR(sandbox.api().adminPost(QStringLiteral("/__sandbox/records/opportunities/")
                            + sandbox.id(QStringLiteral("opportunity")),
                        {{QStringLiteral("fields"), QJsonObject {{QStringLiteral("foo"), 1}}}}),
            400, QStringLiteral("bad_request"), QStringLiteral("unknown_field"),
            QStringLiteral("fields.foo"));
        CHECK_ERROR(sandbox.api().adminPost(
                        QStringLiteral("/__sandbox/records/opportunities/opp_none"), {}),
            404, QStringLiteral("not_found"));
        CHECK_ERROR(sandbox.api().adminPost(QStringLiteral("/__sandbox/records/members/")
                            + sandbox.id(QStringLiteral("member")),
                        {}),
            404, QStringLiteral("not_found"));
    }

    void clockAndConfigAdminRoutes()
    {
        SANDBOX(sandbox);
        const Reply clock = sandbox.api().adminPost(
            QStringLiteral("/__sandbox/clock"), {{QStringLiteral("advanceMs"), 5000}});
        CHECK_OK(clock);
        QCOMPARE(clock.object().value(QStringLiteral("offsetMs")).toInteger(), 5000);
        QCOMPARE(sandbox->clock().offsetMs(), 5000);
        const qint64 nowMs = clock.object().value(QStringLiteral("nowMs")).toInteger();
        QVERIFY(qAbs(nowMs - (QDateTime::currentMSecsSinceEpoch() + 5000)) < 2000);
        // A write after the jump is stamped with the sandbox's time.
        const Reply write = sandbox.api().post(sandbox.opportunityPath(), QJsonObject {});
        const qint64 stamped = QDateTime::fromString(
            write.object().value(QStringLiteral("updatedAt")).toString(), Qt::ISODateWithMs)
                                   .toMSecsSinceEpoch();
        QVERIFY(stamped >= QDateTime::currentMSecsSinceEpoch() + 4000);
        CHECK_ERROR(sandbox.api().adminPost(
                        QStringLiteral("/__sandbox/clock"), {{QStringLiteral("advanceMs"), -1}}),
            400, QStringLiteral("bad_request"));
        CHECK_ERROR(sandbox.api().adminPost(QStringLiteral("/__sandbox/clock"), {}), 400,
            QStringLiteral("bad_request"));

        const Reply config = sandbox.api().adminGet(QStringLiteral("/__sandbox/config"));
        CHECK_OK(config);
        QCOMPARE(sortedKeys(config.object()),
            (QStringList {QStringLiteral("idempotencyRetentionMs"), QStringLiteral("indexLagMs"),
                QStringLiteral("listOrder"), QStringLiteral("maxOffset"),
                QStringLiteral("maxOffsetAnswer"), QStringLiteral("rateLimitRead"),
                QStringLiteral("rateLimitSearch"), QStringLiteral("rateLimitWrite")}));
        const Reply changed = sandbox.api().adminPost(QStringLiteral("/__sandbox/config"),
            {{QStringLiteral("idempotencyRetentionMs"), 1000}});
        CHECK_OK(changed);
        QCOMPARE(sandbox->config().idempotencyRetentionMs, 1000);
        const Reply faults = sandbox.api().adminGet(QStringLiteral("/__sandbox/faults"));
        CHECK_OK(faults);
        QCOMPARE(faults.object(), SandboxFaults().toJson());
    }

    // --- Robustness -----------------------------------------------------------------------------

    void badBodiesAreRejected_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        QTest::newRow("invalid JSON")
            << QByteArray("{\"fields\": {") << QStringLiteral("invalid_json");
        QTest::newRow("trailing garbage") << QByteArray("{}x") << QStringLiteral("invalid_json");
        QTest::newRow("empty body") << QByteArray() << QStringLiteral("invalid_json");
        QTest::newRow("array body") << QByteArray("[]") << QString();
        QTest::newRow("string body") << QByteArray("\"fields\"") << QString();
        QTest::newRow("number body") << QByteArray("42") << QString();
        QTest::newRow("binary") << QByteArray("\x00\xff\xfe{", 4) << QStringLiteral("invalid_json");
        QTest::newRow("deep nesting") << QByteArray(5000, '[') << QStringLiteral("invalid_json");
    }
    void badBodiesAreRejected()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        SANDBOX(sandbox);
        for (const QString &path : {kOpportunitiesPath, sandbox.opportunityPath()}) {
            const Reply reply = sandbox.api().postRaw(path, body);
            CHECK_ERROR(reply, 400, QStringLiteral("bad_request"), code);
        }
        QCOMPARE(sandbox.stats().value(QStringLiteral("writesApplied")).toInt(), 0);
        CHECK_OK(sandbox.api().get(QStringLiteral("/v1/auth/validate")));
    }

    void oddRequestsNeverCrashOrHang_data()
    {
        QTest::addColumn<QByteArray>("target"); // already encoded
        QTest::addColumn<int>("status");
        QTest::newRow("empty parameters") << QByteArray("/v1/opportunities?&&&=&") << 400;
        QTest::newRow("bare key") << QByteArray("/v1/opportunities?limit") << 400;
        QTest::newRow("duplicate limit") << QByteArray("/v1/opportunities?limit=2&limit=3") << 200;
        QTest::newRow("bad percent escape")
            << QByteArray("/v1/opportunities?%24name%5Bequal=%zz") << 400;
        QTest::newRow("unbalanced bracket") << QByteArray("/v1/opportunities?%24name%5B=x") << 400;
        QTest::newRow("empty operator") << QByteArray("/v1/opportunities?%24name%5B%5D=x") << 400;
        QTest::newRow("nested brackets")
            << QByteArray("/v1/opportunities?a%5Bb%5D%5Bc%5D=1") << 400;
        QTest::newRow("unicode filter")
            << QByteArray("/v1/opportunities?%24name=%E2%9C%93%F0%9F%9A%80") << 200;
        QTest::newRow("huge offset") << QByteArray("/v1/opportunities?offset=999999999999") << 200;
        QTest::newRow("unknown type path") << QByteArray("/v1/tasks") << 404;
        QTest::newRow("encoded slash in id") << QByteArray("/v1/opportunities/opp_a%2Fb") << 404;
        QTest::newRow("account id as opportunity") << QByteArray("{acc-as-opp}") << 404;
        QTest::newRow("opportunity id as contact") << QByteArray("{opp-as-con}") << 404;
        QTest::newRow("long path")
            << QByteArray("/v1/opportunities/") + QByteArray(4000, 'x') << 404;
        QTest::newRow("double slash") << QByteArray("/v1//opportunities") << 200;
    }
    void oddRequestsNeverCrashOrHang()
    {
        QFETCH(QByteArray, target);
        QFETCH(int, status);
        SANDBOX(sandbox);
        target.replace(
            "{acc-as-opp}", "/v1/opportunities/" + sandbox.id(QStringLiteral("account")).toUtf8());
        target.replace(
            "{opp-as-con}", "/v1/contacts/" + sandbox.id(QStringLiteral("opportunity")).toUtf8());
        Options options;
        options.waitMs = 5000;
        const Reply reply = sandbox.api().getEncoded(target, options);
        QVERIFY2(
            reply.finished && reply.status == status && reply.jsonOk, reply.describe().constData());
        if (status != 200)
            QVERIFY(reply.object().contains(QStringLiteral("error")));
        CHECK_OK(sandbox.api().get(QStringLiteral("/v1/auth/validate")));
    }

    void garbageOnTheWireLeavesTheServerServing()
    {
        SANDBOX(sandbox);
        for (const QByteArray &garbage :
            {QByteArray("GARBAGE\r\n\r\n"), QByteArray("\x16\x03\x01\x02\x00\x01\x00", 7),
                QByteArray("GET / HTTP/9.9\r\n\r\n"),
                QByteArray("POST /v1/opportunities HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n{"),
                QByteArray(20000, 'A')}) {
            const SandboxTest::RawReply raw = sandbox.api().raw(garbage, 300);
            QVERIFY(raw.connected);
            CHECK_OK(sandbox.api().get(QStringLiteral("/v1/auth/validate")));
        }
    }

    // --- Seed determinism and persistence -------------------------------------------------------

    void sameSeedGivesIdenticalData()
    {
        Sandbox a(testConfig(), 11, 40);
        Sandbox b(testConfig(), 11, 40);
        Sandbox c(testConfig(), 12, 40);
        QVERIFY(a.port && b.port && c.port);
        for (const QString &path : {QStringLiteral("/v1/opportunities"),
                 QStringLiteral("/v1/accounts"), QStringLiteral("/v1/contacts"),
                 QStringLiteral("/v1/members"), QStringLiteral("/v1/lists")}) {
            for (const QString &offset : {QStringLiteral("0"), QStringLiteral("25")}) {
                const QList<std::pair<QString, QString>> query {{QStringLiteral("offset"), offset}};
                const Reply ra = a.api().get(path, query);
                const Reply rb = b.api().get(path, query);
                CHECK_OK(ra);
                CHECK_OK(rb);
                QVERIFY2(ra.body == rb.body, qPrintable(path));
            }
        }
        const Reply ra = a.api().get(kOpportunitiesPath);
        const Reply rc = c.api().get(kOpportunitiesPath);
        CHECK_OK(rc);
        QCOMPARE(rc.object().value(QStringLiteral("totalCount")).toInt(), 40);
        QVERIFY(ra.body != rc.body);
    }

    void dataFileKeepsWritesAcrossRestarts()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        SandboxConfig config = testConfig();
        config.dataFile = dir.filePath(QStringLiteral("sandbox.json"));
        QString id;
        QString accountId;
        {
            SANDBOX(first, config);
            id = first.id(QStringLiteral("opportunity"), 3);
            CHECK_OK(first.api().post(first.opportunityPath(3),
                {{QStringLiteral("fields"),
                    QJsonObject {{QStringLiteral("$name"), QStringLiteral("Persisted ✓")}}}}));
            const Reply created = first.api().post(QStringLiteral("/v1/accounts"),
                {{QStringLiteral("fields"),
                    QJsonObject {{QStringLiteral("$name"), QStringLiteral("Saved Inc")}}}});
            CHECK_OK(created);
            accountId = created.object().value(QStringLiteral("id")).toString();
            QString error;
            QVERIFY2(first->saveDataFile(&error), qPrintable(error));
            QVERIFY(QFile::exists(config.dataFile));
        }
        SandboxServer second(config);
        QString error;
        QVERIFY2(second.loadDataFile(&error), qPrintable(error));
        QCOMPARE(second.store().count(QStringLiteral("opportunity")), kOpportunities);
        const quint16 port = second.listenLoopback(0);
        QVERIFY(port != 0);
        Client client(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
        const Reply reply = client.get(kOpportunitiesPath + QLatin1Char('/') + id);
        CHECK_OK(reply);
        QCOMPARE(fieldOf(reply.object(), QStringLiteral("$name")).toString(),
            QStringLiteral("Persisted ✓"));
        CHECK_OK(client.get(QStringLiteral("/v1/accounts/") + accountId));
        // A later write is newer than anything in the file.
        const Reply again = client.post(kOpportunitiesPath + QLatin1Char('/') + id, QJsonObject {});
        CHECK_OK(again);
        QVERIFY(again.object().value(QStringLiteral("updatedAt")).toString()
            > reply.object().value(QStringLiteral("updatedAt")).toString());
    }

    void unreadableDataFileIsReported()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        SandboxConfig config = testConfig();
        config.dataFile = dir.filePath(QStringLiteral("broken.json"));
        QFile file(config.dataFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"format\": \"something else\"}");
        file.close();
        SandboxServer server(config);
        QString error;
        QVERIFY(!server.loadDataFile(&error));
        QVERIFY(!error.isEmpty());
    }

    // --- Accounts and contacts follow the same write rules -------------------------------------

    void accountAndContactWritesFollowTheirSchemas_data()
    {
        QTest::addColumn<QString>("plural");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("param");
        QTest::addColumn<QString>("key"); // field checked on success
        QTest::addColumn<QByteArray>("read"); // its read value
        const auto row = [](const char *name, const char *plural, const char *body, int status,
                             const char *code, const char *param, const char *key = "",
                             const char *read = "") {
            QTest::newRow(name) << QString::fromLatin1(plural) << QByteArray(body) << status
                                << QString::fromLatin1(code) << QString::fromUtf8(param)
                                << QString::fromUtf8(key) << QByteArray(read);
        };
        row("account with only a name", "accounts", "{\"fields\":{\"$name\":\"Acme\"}}", 200, "",
            "", "$name", "\"Acme\"");
        row("account website string → array", "accounts",
            "{\"fields\":{\"$name\":\"Acme\",\"$website\":\"https://acme.example\"}}", 200, "", "",
            "$website", "[\"https://acme.example\"]");
        row("account industry labels", "accounts",
            "{\"fields\":{\"$name\":\"Acme\",\"$industry\":[\"software\",\"Retail\"]}}", 200, "",
            "", "$industry", "[\"opt_industry_software\",\"opt_industry_retail\"]");
        row("account twitter handle", "accounts",
            "{\"fields\":{\"$name\":\"Acme\",\"twitter\":\"https://twitter.com/acme_hq\"}}", 200,
            "", "", "twitter", "\"https://twitter.com/acme_hq\"");
        row("account without name", "accounts", "{\"fields\":{}}", 400, "parameter_missing",
            "fields.$name");
        row("account read-only status", "accounts",
            "{\"fields\":{\"$name\":\"A\",\"$accountStatus\":\"Customer\"}}", 400,
            "read_only_field", "fields.$accountStatus");
        row("account read-only summary", "accounts",
            "{\"fields\":{\"$name\":\"A\",\"$howTheyMakeMoney\":\"Ads\"}}", 400, "read_only_field",
            "fields.$howTheyMakeMoney");
        row("account read-only opportunities", "accounts",
            "{\"fields\":{\"$name\":\"A\"},\"relationships\":{\"$opportunity\":[]}}", 400,
            "read_only_relationship", "relationships.$opportunity");
        row("account linkedIn of a person", "accounts",
            "{\"fields\":{\"$name\":\"A\",\"$linkedIn\":\"https://facebook.com/a\"}}", 400,
            "invalid_type", "fields.$linkedIn");
        row("contact full name", "contacts",
            "{\"fields\":{\"$name\":{\"firstName\":\"Zoë\",\"lastName\":\"Ng\"}}}", 200, "", "",
            "$name", "{\"firstName\":\"Zoë\",\"lastName\":\"Ng\"}");
        row("contact email string → array", "contacts",
            "{\"fields\":{\"$name\":{\"firstName\":\"Z\"},\"$email\":\"z@ng.example\"}}", 200, "",
            "", "$email", "[\"z@ng.example\"]");
        row("contact phone normalised", "contacts",
            "{\"fields\":{\"$name\":{\"lastName\":\"Ng\"},\"$phone\":[\"+1 (415) 555-0100 #9\"]}}",
            200, "", "", "$phone", "[\"+14155550100;ext=9\"]");
        row("contact name as string", "contacts", "{\"fields\":{\"$name\":\"Zoë Ng\"}}", 400,
            "invalid_type", "fields.$name");
        row("contact without name", "contacts", "{\"fields\":{\"$title\":\"CFO\"}}", 400,
            "parameter_missing", "fields.$name");
        row("contact unknown field", "contacts",
            "{\"fields\":{\"$name\":{\"firstName\":\"Z\"},\"$company\":\"X\"}}", 400,
            "unknown_field", "fields.$company");
    }
    void accountAndContactWritesFollowTheirSchemas()
    {
        QFETCH(QString, plural);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, param);
        QFETCH(QString, key);
        QFETCH(QByteArray, read);
        SANDBOX(sandbox);
        const Reply reply = sandbox.api().postRaw(QStringLiteral("/v1/") + plural, body);
        if (status != 200) {
            CHECK_ERROR(reply, status, QStringLiteral("bad_request"), code, param);
            return;
        }
        CHECK_OK(reply);
        QCOMPARE(compact(fieldOf(reply.object(), key)), compact(parseValue(read)));
        const QString id = reply.object().value(QStringLiteral("id")).toString();
        const Reply retrieved = sandbox.api().get(QStringLiteral("/v1/%1/%2").arg(plural, id));
        CHECK_OK(retrieved);
        QCOMPARE(retrieved.object(), reply.object());
        // An update with the same body keeps the value.
        const Reply updated
            = sandbox.api().postRaw(QStringLiteral("/v1/%1/%2").arg(plural, id), body);
        CHECK_OK(updated);
        QCOMPARE(compact(fieldOf(updated.object(), key)), compact(parseValue(read)));
    }

    void contactAccountKeepsTheAccountSideInStep()
    {
        SANDBOX(sandbox);
        const QString account = sandbox.id(QStringLiteral("account"), 3);
        const Reply created = sandbox.api().post(QStringLiteral("/v1/contacts"),
            {{QStringLiteral("fields"),
                 QJsonObject {{QStringLiteral("$name"),
                     QJsonObject {{QStringLiteral("firstName"), QStringLiteral("Kai")}}}}},
                {QStringLiteral("relationships"),
                    QJsonObject {{QStringLiteral("$account"), account}}}});
        CHECK_OK(created);
        const QString contact = created.object().value(QStringLiteral("id")).toString();
        Reply accountReply = sandbox.api().get(QStringLiteral("/v1/accounts/") + account);
        QVERIFY(
            relationshipOf(accountReply.object(), QStringLiteral("$contact")).contains(contact));
        // And from the account side: removing the contact clears the contact's $account.
        const Reply removed = sandbox.api().post(QStringLiteral("/v1/accounts/") + account,
            {{QStringLiteral("relationships"),
                QJsonObject {{QStringLiteral("$contact"),
                    QJsonObject {{QStringLiteral("remove"), contact}}}}}});
        CHECK_OK(removed);
        const Reply contactReply = sandbox.api().get(QStringLiteral("/v1/contacts/") + contact);
        QVERIFY(relationshipOf(contactReply.object(), QStringLiteral("$account")).isEmpty());
        QVERIFY(contactReply.object().value(QStringLiteral("updatedAt")).toString()
            > created.object().value(QStringLiteral("updatedAt")).toString());
    }

    void seededOpportunitiesUseEveryValueType()
    {
        SANDBOX(sandbox);
        QStringList ids;
        int total = 0;
        walkPages(sandbox.api(), kOpportunitiesPath, {}, 25, &ids, &total);
        if (QTest::currentTestFailed())
            return;
        QSet<QString> typesWithValues;
        QSet<QString> keysWithNull;
        bool nonAscii = false;
        for (int offset = 0; offset < total; offset += 25) {
            const Reply page = sandbox.api().get(
                kOpportunitiesPath, {{QStringLiteral("offset"), QString::number(offset)}});
            CHECK_OK(page);
            nonAscii = nonAscii || std::any_of(page.body.cbegin(), page.body.cend(), [](char c) {
                return static_cast<unsigned char>(c) >= 0x80;
            });
            for (const QJsonValue &record : page.object()[QStringLiteral("data")].toArray()) {
                const QJsonObject fields = record[QStringLiteral("fields")].toObject();
                for (auto it = fields.begin(); it != fields.end(); ++it) {
                    if (it.value()[QStringLiteral("value")].isNull())
                        keysWithNull.insert(it.key());
                    else
                        typesWithValues.insert(it.value()[QStringLiteral("valueType")].toString());
                }
            }
        }
        const QStringList all = sandboxValueTypes();
        QCOMPARE(typesWithValues, QSet<QString>(all.cbegin(), all.cend()));
        QVERIFY2(!keysWithNull.isEmpty(), "some optional fields should be left null");
        QVERIFY(!keysWithNull.contains(QStringLiteral("$name")));
        QVERIFY(!keysWithNull.contains(QStringLiteral("$stage")));
        QVERIFY2(nonAscii, "the seed should include non-ASCII text");
    }
};

QTEST_GUILESS_MAIN(TestSandboxServer)
#include "tst_sandboxserver.moc"
