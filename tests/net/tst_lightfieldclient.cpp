// LightfieldClient end to end against the in-process sandbox (tests/sandbox): every endpoint,
// every value type both ways, every fault, pacing against the sandbox's rate limits, the
// paging helper, the error taxonomy and the redaction of the key in logs.
//
// Retry waits are shortened (base 20 ms, cap 200 ms) and the jitter draw is fixed at 0.5, so
// every scheduled delay is exact; Retry-After waits are the sandbox's real ones (1 s).

#include "appinfo.h"
#include "domain/changeset.h"
#include "domain/objectschema.h"
#include "domain/record.h"
#include "logging.h"
#include "net/errortext.h"
#include "net/lightfieldclient.h"
#include "net/pager.h"
#include "net/secretredactor.h"

#include "sandboxseed.h"
#include "sandboxserver.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <memory>
#include <optional>

namespace {

constexpr char kKey[] = "sk_lf_demo";
constexpr int kSeedOpportunities = 250;

/** A real QNetworkAccessManager that remembers every request it was asked to send. */
class RecordingNam final : public QNetworkAccessManager
{
public:
    QList<QNetworkRequest> requests;

protected:
    QNetworkReply *createRequest(
        Operation op, const QNetworkRequest &request, QIODevice *outgoingData) override
    {
        requests.append(request);
        return QNetworkAccessManager::createRequest(op, request, outgoingData);
    }
};

QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void captureHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_log.append(
        QString::fromLatin1(context.category ? context.category : "") + QLatin1Char(' ') + message);
    Q_UNUSED(type);
}

} // namespace

class TestLightfieldClient final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<RecordingNam> m_nam;
    std::unique_ptr<LightfieldClient> m_client;
    quint16 m_port = 0;

    QUrl baseUrl() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)); }

    LightfieldClient::Options options() const
    {
        LightfieldClient::Options o;
        o.baseUrl = baseUrl();
        o.apiKey = QString::fromLatin1(kKey);
        o.transferTimeoutMs = 5000;
        o.retry = {3, 20, 200, 5000};
        o.random = [] { return 0.5; };
        return o;
    }

    void startServer(SandboxConfig config = {}, int opportunities = kSeedOpportunities)
    {
        m_client.reset();
        m_server = std::make_unique<SandboxServer>(config);
        seedSandbox(m_server->store(), {7, opportunities});
        m_port = m_server->listenLoopback(0);
        QVERIFY(m_port != 0);
        m_client = std::make_unique<LightfieldClient>(m_nam.get(), options());
    }

    void remakeClient(const LightfieldClient::Options &o)
    {
        m_client = std::make_unique<LightfieldClient>(m_nam.get(), o);
    }

    SandboxFaults &faults() { return m_server->config().faults; }

    /** Runs one call to its end and returns what the callback received. */
    template<typename Result, typename Start> Result run(Start start, int timeoutMs = 15000)
    {
        std::optional<Result> result;
        int callbacks = 0;
        LightfieldCall *call = start([&result, &callbacks](const Result &r) {
            result = r;
            ++callbacks;
        });
        if (!call)
            return Result(LightfieldError(ErrorKind::BadResponse, QStringLiteral("no call")));
        QSignalSpy finished(call, &LightfieldCall::finished);
        if (!finished.wait(timeoutMs))
            return Result(LightfieldError(ErrorKind::Timeout, QStringLiteral("test wait ran out")));
        if (callbacks != 1)
            return Result(
                LightfieldError(ErrorKind::BadResponse, QStringLiteral("callback count")));
        return *result;
    }

    RecordResult retrieve(const QString &id)
    {
        return run<RecordResult>(
            [&](auto done) { return m_client->retrieveOpportunity(id, this, done); });
    }

    SchemaResult opportunitySchema()
    {
        return run<SchemaResult>(
            [&](auto done) { return m_client->opportunityDefinitions(this, done); });
    }

    QString firstOpportunityId() const
    {
        return m_server->store().ids(QStringLiteral("opportunity")).first();
    }

    QJsonObject stats() const { return m_server->stats(); }
    int statusCount(const QString &route, int status) const
    {
        return stats()[QLatin1String("requests")][route][QString::number(status)].toInt();
    }

    static QString describe(const LightfieldError &error) { return error.debugString(); }

    /** The sandbox's log of write requests (GET /__sandbox/writes), oldest first. */
    QJsonArray serverWrites()
    {
        QNetworkAccessManager admin;
        admin.setProxy(QNetworkProxy::NoProxy);
        QNetworkReply *reply = admin.get(QNetworkRequest(
            QUrl(QStringLiteral("http://127.0.0.1:%1/__sandbox/writes").arg(m_port))));
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!done.wait(5000))
            return {};
        reply->deleteLater();
        return QJsonDocument::fromJson(reply->readAll())
            .object()
            .value(QLatin1String("writes"))
            .toArray();
    }

    static void envelopes()
    {
        QTest::addColumn<bool>("wrapped");
        QTest::newRow("documented") << false;
        QTest::newRow("wrapped") << true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qRegisterMetaType<RetryEvent>();
        qRegisterMetaType<PagerResult>();
    }

    void init()
    {
        m_nam = std::make_unique<RecordingNam>();
        m_nam->setProxy(QNetworkProxy::NoProxy);
        startServer();
    }

    void cleanup()
    {
        m_client.reset();
        m_server.reset();
        m_nam.reset();
    }

    // --- Endpoints -----------------------------------------------------------------------

    void validateKeyReportsTheKey()
    {
        const auto result
            = run<KeyInfoResult>([&](auto done) { return m_client->validateKey(this, done); });
        QVERIFY2(result.ok(), qPrintable(describe(result.error())));
        QVERIFY(result.value().active);
        QVERIFY(result.value().scopes.isEmpty());
        QCOMPARE(result.value().subjectType, QStringLiteral("user"));
        QCOMPARE(result.value().tokenType, QStringLiteral("api_key"));
    }

    void everyEndpointAnswers()
    {
        // Opportunities: list, retrieve, create, update, definitions.
        const auto schema = opportunitySchema();
        QVERIFY2(schema.ok(), qPrintable(describe(schema.error())));
        QCOMPARE(schema.value().objectType(), QStringLiteral("opportunity"));
        QVERIFY(schema.value().field(QStringLiteral("$stage")));
        m_client->setSchema(schema.value());

        const auto page = run<PageResult>(
            [&](auto done) { return m_client->listOpportunities({}, this, done); });
        QVERIFY2(page.ok(), qPrintable(describe(page.error())));
        QCOMPARE(page.value().records.size(), 25);
        QCOMPARE(page.value().totalCount, kSeedOpportunities);
        QVERIFY(!page.value().isLast());
        const QString oppId = page.value().records.first().id();
        QVERIFY(oppId.startsWith(QLatin1String("opp_")));

        const auto one = retrieve(oppId);
        QVERIFY2(one.ok(), qPrintable(describe(one.error())));
        QCOMPARE(one.value().id(), oppId);
        QCOMPARE(
            one.value().value(QStringLiteral("$amount")).currencyCode(), QStringLiteral("USD"));

        const QString accountId = one.value().relatedIds(QStringLiteral("$account")).value(0);
        QVERIFY(accountId.startsWith(QLatin1String("acc_")));
        const QString stageId
            = schema.value().field(QStringLiteral("$stage"))->options().first().id;
        const QByteArray createBody = QJsonDocument(
            QJsonObject {
                {QStringLiteral("fields"),
                    QJsonObject {{QStringLiteral("$name"), QStringLiteral("New deal")},
                        {QStringLiteral("$stage"), stageId}}},
                {QStringLiteral("relationships"),
                    QJsonObject {{QStringLiteral("$account"), accountId}}},
            })
                                          .toJson(QJsonDocument::Compact);
        const auto created = run<RecordResult>([&](auto done) {
            return m_client->createOpportunity(createBody, QStringLiteral("create-1"), this, done);
        });
        QVERIFY2(created.ok(), qPrintable(describe(created.error())));
        QCOMPARE(
            created.value().value(QStringLiteral("$name")).toText(), QStringLiteral("New deal"));

        const QByteArray updateBody = R"({"fields": {"$name": "Renamed deal"}})";
        const auto updated = run<RecordResult>([&](auto done) {
            return m_client->updateOpportunity(
                created.value().id(), updateBody, QStringLiteral("update-1"), this, done);
        });
        QVERIFY2(updated.ok(), qPrintable(describe(updated.error())));
        QCOMPARE(updated.value().value(QStringLiteral("$name")).toText(),
            QStringLiteral("Renamed deal"));

        // Accounts: list, retrieve, definitions.
        const auto accounts
            = run<PageResult>([&](auto done) { return m_client->listAccounts({}, this, done); });
        QVERIFY2(accounts.ok(), qPrintable(describe(accounts.error())));
        QVERIFY(!accounts.value().records.isEmpty());
        const auto account = run<RecordResult>(
            [&](auto done) { return m_client->retrieveAccount(accountId, this, done); });
        QVERIFY2(account.ok(), qPrintable(describe(account.error())));
        QCOMPARE(account.value().id(), accountId);
        const auto accountSchema = run<SchemaResult>(
            [&](auto done) { return m_client->accountDefinitions(this, done); });
        QVERIFY2(accountSchema.ok(), qPrintable(describe(accountSchema.error())));
        QVERIFY(accountSchema.value().field(QStringLiteral("$website")));

        // Members: list, retrieve.
        const auto members
            = run<PageResult>([&](auto done) { return m_client->listMembers({}, this, done); });
        QVERIFY2(members.ok(), qPrintable(describe(members.error())));
        QCOMPARE(members.value().records.size(), 8);
        QVERIFY(members.value().isLast());
        const QString memberId = members.value().records.first().id();
        const auto member = run<RecordResult>(
            [&](auto done) { return m_client->retrieveMember(memberId, this, done); });
        QVERIFY2(member.ok(), qPrintable(describe(member.error())));
        QVERIFY(memberId.startsWith(QLatin1String("mem_")));

        // Contacts: list, retrieve, definitions.
        const auto contacts
            = run<PageResult>([&](auto done) { return m_client->listContacts({}, this, done); });
        QVERIFY2(contacts.ok(), qPrintable(describe(contacts.error())));
        const QString contactId = contacts.value().records.first().id();
        const auto contact = run<RecordResult>(
            [&](auto done) { return m_client->retrieveContact(contactId, this, done); });
        QVERIFY2(contact.ok(), qPrintable(describe(contact.error())));
        QCOMPARE(contact.value().value(QStringLiteral("$name")).type(), FieldType::FullName);
        const auto contactSchema = run<SchemaResult>(
            [&](auto done) { return m_client->contactDefinitions(this, done); });
        QVERIFY2(contactSchema.ok(), qPrintable(describe(contactSchema.error())));

        // Lists: list, opportunities in a list.
        const auto lists
            = run<PageResult>([&](auto done) { return m_client->listLists({}, this, done); });
        QVERIFY2(lists.ok(), qPrintable(describe(lists.error())));
        QString opportunityListId;
        for (const Record &list : lists.value().records) {
            if (list.value(QStringLiteral("$objectType")).toText()
                == QLatin1String("opportunity")) {
                opportunityListId = list.id();
                break;
            }
        }
        QVERIFY2(!opportunityListId.isEmpty(), "no opportunity list in the seed");
        const auto inList = run<PageResult>([&](auto done) {
            return m_client->listOpportunitiesInList(opportunityListId, {}, this, done);
        });
        QVERIFY2(inList.ok(), qPrintable(describe(inList.error())));
        QVERIFY(!inList.value().records.isEmpty());
        QVERIFY(inList.value().records.first().id().startsWith(QLatin1String("opp_")));
    }

    void sendsTheDocumentedHeaders()
    {
        const auto result = run<RecordResult>([&](auto done) {
            return m_client->updateOpportunity(firstOpportunityId(),
                QByteArray(R"({"fields": {}})"), QStringLiteral("key-headers"), this, done);
        });
        QVERIFY2(result.ok(), qPrintable(describe(result.error())));
        QCOMPARE(m_nam->requests.size(), 1);
        const QNetworkRequest &request = m_nam->requests.first();
        QCOMPARE(request.rawHeader("Authorization"), QByteArray("Bearer sk_lf_demo"));
        QCOMPARE(request.rawHeader("Lightfield-Version"), QByteArray("2026-03-01"));
        QCOMPARE(request.rawHeader("Accept"), QByteArray("application/json"));
        QCOMPARE(request.rawHeader("Content-Type"), QByteArray("application/json"));
        QCOMPARE(request.rawHeader("Idempotency-Key"), QByteArray("key-headers"));
        QVERIFY(request.rawHeader("User-Agent")
                    .startsWith(QByteArray("lightfield-deals/") + AppInfo::kVersion));
        QVERIFY(!request.rawHeader("X-Request-ID").isEmpty());
        QCOMPARE(request.transferTimeout(), 5000);
        QCOMPARE(request.url().path(), QStringLiteral("/v1/opportunities/") + firstOpportunityId());
    }

    void filtersReachTheServer()
    {
        const auto schema = opportunitySchema();
        QVERIFY(schema.ok());
        const SelectOption stage
            = schema.value().field(QStringLiteral("$stage"))->options().first();
        ListQuery query;
        query.where(QStringLiteral("$stage"), QStringLiteral("equal"), stage.id);
        const auto page = run<PageResult>(
            [&](auto done) { return m_client->listOpportunities(query, this, done); });
        QVERIFY2(page.ok(), qPrintable(describe(page.error())));
        QVERIFY(page.value().totalCount > 0);
        QVERIFY(page.value().totalCount < kSeedOpportunities);
        for (const Record &record : page.value().records)
            QCOMPARE(record.value(QStringLiteral("$stage")).toText(), stage.id);
    }

    void refusesPlainHttpToRemoteHosts()
    {
        auto o = options();
        o.baseUrl = QUrl(QStringLiteral("http://api.lightfield.app"));
        remakeClient(o);
        QVERIFY(!m_client->baseUrlError().isEmpty());
        const auto result
            = run<KeyInfoResult>([&](auto done) { return m_client->validateKey(this, done); });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind(), ErrorKind::Validation);
        QCOMPARE(result.attempts(), 0);
        QVERIFY(m_nam->requests.isEmpty());
    }

    // --- Value types ---------------------------------------------------------------------

    void everyValueTypeRoundTrips()
    {
        const auto schemaResult = opportunitySchema();
        QVERIFY(schemaResult.ok());
        const ObjectSchema schema = schemaResult.value();
        m_client->setSchema(schema);
        const QString id = firstOpportunityId();
        const auto base = retrieve(id);
        QVERIFY(base.ok());

        auto option = [&schema](const QString &key, int index) {
            return schema.field(key)->options().at(index).id;
        };
        Address address;
        address.street = QStringLiteral("1 Main St");
        address.city = QStringLiteral("Austin");
        address.state = QStringLiteral("TX");
        address.postalCode = QStringLiteral("78701");
        address.country = QStringLiteral("US");
        address.latitude = 30.27;
        address.longitude = -97.74;

        struct Case
        {
            QString key;
            FieldValue written;
            FieldValue expected; ///< as the server normalises it
        };
        const QDateTime close(QDate(2026, 9, 30), QTime(17, 0), Qt::UTC);
        const QList<Case> cases {
            {QStringLiteral("$name"),
                FieldValue::fromText(FieldType::Text, QStringLiteral("Café 東京 – 🚀 renewal")), {}},
            {QStringLiteral("probability"), FieldValue::fromNumber(42.5), {}},
            {QStringLiteral("isStrategic"),
                FieldValue::fromBool(!base.value().value(QStringLiteral("isStrategic")).toBool()),
                {}},
            {QStringLiteral("$amount"), FieldValue::fromCents(4800050, QStringLiteral("USD")), {}},
            {QStringLiteral("arrEur"), FieldValue::fromCents(1299, QStringLiteral("EUR")), {}},
            {QStringLiteral("closeDate"), FieldValue::fromDateTime(close), {}},
            {QStringLiteral("billingEmail"),
                FieldValue::fromStringList(FieldType::Email,
                    {QStringLiteral("ap@northwind.example"),
                        QStringLiteral("cfo@northwind.example")}),
                {}},
            {QStringLiteral("buyerPhones"),
                FieldValue::fromStringList(
                    FieldType::Telephone, {QStringLiteral("+15125550100 x12")}),
                FieldValue::fromStringList(
                    FieldType::Telephone, {QStringLiteral("+15125550100;ext=12")})},
            {QStringLiteral("dealRoom"),
                FieldValue::fromStringList(
                    FieldType::Url, {QStringLiteral("https://rooms.example/northwind")}),
                {}},
            {QStringLiteral("deliveryAddress"), FieldValue::fromAddress(address), {}},
            {QStringLiteral("economicBuyer"),
                FieldValue::fromFullName({QStringLiteral("Ana"), QStringLiteral("Ruiz")}), {}},
            {QStringLiteral("buyerLinkedIn"),
                FieldValue::fromText(
                    FieldType::SocialHandle, QStringLiteral("https://linkedin.com/in/ana-ruiz")),
                {}},
            {QStringLiteral("forecastCategory"),
                FieldValue::fromText(
                    FieldType::SingleSelect, option(QStringLiteral("forecastCategory"), 2)),
                {}},
            {QStringLiteral("competitors"),
                FieldValue::fromStringList(FieldType::MultiSelect,
                    {option(QStringLiteral("competitors"), 3),
                        option(QStringLiteral("competitors"), 0)}),
                {}},
            {QStringLiteral("nextSteps"),
                FieldValue::fromText(
                    FieldType::Markdown, QStringLiteral("**Call** the CFO\n- send the deck")),
                {}},
        };
        QSet<FieldType> covered;
        for (const Case &c : cases)
            covered.insert(c.written.type());
        QCOMPARE(covered.size(), 14);

        // Write each value on its own, so that a failure names the type.
        Record current = base.value();
        int n = 0;
        for (const Case &c : cases) {
            const FieldValue expected = c.expected.isNull() ? c.written : c.expected;
            const ChangeSet changes = ChangeSet::fromEdits(schema, current, {{c.key, c.written}});
            QVERIFY2(changes.rejectedKeys().isEmpty(), qPrintable(c.key));
            QVERIFY2(
                changes.containsValue(c.key), qPrintable(c.key + QLatin1String(" unchanged?")));
            const auto written = run<RecordResult>([&](auto done) {
                return m_client->updateOpportunity(
                    id, changes, QStringLiteral("types-%1").arg(++n), this, done);
            });
            QVERIFY2(
                written.ok(), qPrintable(c.key + QLatin1String(": ") + describe(written.error())));
            QVERIFY2(written.value().value(c.key) == expected,
                qPrintable(c.key + QLatin1String(" echoed ")
                    + written.value().value(c.key).debugString() + QLatin1String(", meant ")
                    + expected.debugString()));
            const auto reread = retrieve(id);
            QVERIFY(reread.ok());
            QVERIFY2(reread.value().value(c.key) == expected,
                qPrintable(c.key + QLatin1String(" read back ")
                    + reread.value().value(c.key).debugString()));
            current = reread.value();
        }

        // And back to empty: every optional field cleared in one update.
        QHash<QString, FieldValue> cleared;
        for (const Case &c : cases) {
            if (c.key != QLatin1String("$name"))
                cleared.insert(c.key, FieldValue::null(c.written.type()));
        }
        const ChangeSet clearing = ChangeSet::fromEdits(schema, current, cleared);
        QVERIFY(clearing.rejectedKeys().isEmpty());
        const auto afterClear = run<RecordResult>([&](auto done) {
            return m_client->updateOpportunity(
                id, clearing, QStringLiteral("types-clear"), this, done);
        });
        QVERIFY2(afterClear.ok(), qPrintable(describe(afterClear.error())));
        const auto reread = retrieve(id);
        QVERIFY(reread.ok());
        for (auto it = cleared.cbegin(); it != cleared.cend(); ++it) {
            if (it.value().type() == FieldType::Checkbox)
                continue; // CHECKBOX null reads back as null or false, both "unchecked"
            QVERIFY2(reread.value().value(it.key()).isNull(),
                qPrintable(it.key() + QLatin1String(" not cleared: ")
                    + reread.value().value(it.key()).debugString()));
        }
    }

    // --- Faults --------------------------------------------------------------------------

    void aTransientStatusIsRetriedThenSucceeds_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("kind");
        QTest::newRow("500") << QStringLiteral("rate500") << 500 << int(ErrorKind::Server);
        QTest::newRow("408") << QStringLiteral("rate408") << 408 << int(ErrorKind::Timeout);
    }
    void aTransientStatusIsRetriedThenSucceeds()
    {
        QFETCH(QString, fault);
        QFETCH(int, status);
        QFETCH(int, kind);
        auto setRate = [this, fault](double rate) {
            QString error;
            QVERIFY(faults().updateFromJson({{fault, rate}}, &error));
        };
        setRate(1.0);
        QList<RetryEvent> events;
        connect(m_client.get(), &LightfieldClient::retryScheduled, this, [&](const RetryEvent &e) {
            events.append(e);
            setRate(0.0);
        });
        const auto result = retrieve(firstOpportunityId());
        QVERIFY2(result.ok(), qPrintable(describe(result.error())));
        QCOMPARE(result.attempts(), 2);
        QCOMPARE(events.size(), 1);
        QCOMPARE(int(events.first().error.kind()), kind);
        QCOMPARE(events.first().error.httpStatus(), status);
        QCOMPARE(events.first().attemptsMade, 1);
        QCOMPARE(events.first().delayMs, 10); // 0.5 × min(200, 20 × 2^0)
    }

    void backoffGrowsUntilAttemptsRunOut()
    {
        faults().rate500 = 1.0;
        QList<qint64> delays;
        connect(m_client.get(), &LightfieldClient::retryScheduled, this,
            [&](const RetryEvent &e) { delays.append(e.delayMs); });
        QSignalSpy failed(m_client.get(), &LightfieldClient::callFailed);
        const auto result = retrieve(firstOpportunityId());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind(), ErrorKind::Server);
        QVERIFY(result.error().isTransient());
        QCOMPARE(result.attempts(), 3);
        QCOMPARE(delays, (QList<qint64> {10, 20}));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(statusCount(QStringLiteral("GET /v1/opportunities/{id}"), 500), 3);
    }

    void honoursRetryAfterSecondsOn503()
    {
        faults().rate503 = 1.0;
        QList<RetryEvent> events;
        connect(m_client.get(), &LightfieldClient::retryScheduled, this, [&](const RetryEvent &e) {
            events.append(e);
            faults().rate503 = 0.0;
        });
        QElapsedTimer timer;
        timer.start();
        const auto result = retrieve(firstOpportunityId());
        QVERIFY2(result.ok(), qPrintable(describe(result.error())));
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().error.httpStatus(), 503);
        QCOMPARE(events.first().error.retryAfterMs(), 1000);
        QCOMPARE(events.first().delayMs, 1000);
        QVERIFY(timer.elapsed() >= 990);
    }

    void honoursRetryAfterHttpDateOn429()
    {
        faults().rate429 = 1.0;
        faults().retryAfterAsDate = true;
        QList<RetryEvent> events;
        connect(m_client.get(), &LightfieldClient::retryScheduled, this, [&](const RetryEvent &e) {
            events.append(e);
            faults().rate429 = 0.0;
        });
        const auto result = run<PageResult>(
            [&](auto done) { return m_client->listOpportunities({}, this, done); });
        QVERIFY2(result.ok(), qPrintable(describe(result.error())));
        QCOMPARE(result.attempts(), 2);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().error.kind(), ErrorKind::RateLimited);
        // "now + 1 s" as a whole-second HTTP date: between 0 and 1 s from now.
        QVERIFY2(
            events.first().error.retryAfterMs() >= 0 && events.first().error.retryAfterMs() <= 1000,
            qPrintable(QString::number(events.first().error.retryAfterMs())));
        QCOMPARE(events.first().delayMs, qMax<qint64>(10, events.first().error.retryAfterMs()));
    }

    void aRetryAfterTooLongIsReturnedNotWaited()
    {
        // The HTTP date is read against the injected wall clock: 70 s slow here, so the
        // sandbox's "now + 1 s" is ~71 s away, more than the 5 s this client waits for.
        auto o = options();
        o.wallClock = [] { return QDateTime::currentDateTimeUtc().addSecs(-70); };
        remakeClient(o);
        faults().rate429 = 1.0;
        faults().retryAfterAsDate = true;
        QSignalSpy retries(m_client.get(), &LightfieldClient::retryScheduled);
        const auto result = retrieve(firstOpportunityId());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind(), ErrorKind::RateLimited);
        QCOMPARE(result.attempts(), 1);
        QCOMPARE(retries.size(), 0);
        QVERIFY2(result.error().retryAfterMs() >= 70000 && result.error().retryAfterMs() <= 71500,
            qPrintable(QString::number(result.error().retryAfterMs())));
        QVERIFY(ErrorText::userMessage(result.error()).contains(QLatin1String("second")));
    }

    void aHangingRequestTimesOut()
    {
        auto o = options();
        o.transferTimeoutMs = 300;
        o.retry.maxAttempts = 2;
        remakeClient(o);
        faults().rateHang = 1.0;
        QList<RetryEvent> events;
        connect(m_client.get(), &LightfieldClient::retryScheduled, this,
            [&](const RetryEvent &e) { events.append(e); });
        QElapsedTimer timer;
        timer.start();
        const auto result = retrieve(firstOpportunityId());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind(), ErrorKind::Timeout);
        QCOMPARE(result.attempts(), 2);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().error.kind(), ErrorKind::Timeout);
        // Two 300 ms transfer timeouts; QTimer may fire up to 5 % early.
        QVERIFY2(timer.elapsed() >= 540, qPrintable(QString::number(timer.elapsed())));
        QVERIFY(timer.elapsed() < 5000);
    }

    void aTruncatedBodyIsRetriedForReads()
    {
        faults().rateTruncate = 1.0;
        QList<RetryEvent> events;
        connect(m_client.get(), &LightfieldClient::retryScheduled, this, [&](const RetryEvent &e) {
            events.append(e);
            faults().rateTruncate = 0.0;
        });
        const auto result = run<PageResult>(
            [&](auto done) { return m_client->listOpportunities({}, this, done); });
        QVERIFY2(result.ok(), qPrintable(describe(result.error())));
        QCOMPARE(result.value().records.size(), 25);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().error.kind(), ErrorKind::Offline);
    }

    void aTruncatedWriteIsTransientAndTheResendIsAppliedOnce()
    {
        faults().rateTruncate = 1.0;
        const QString key = QStringLiteral("trunc-key-1");
        const QByteArray body = R"({"fields": {"probability": 10}})";
        const auto first = run<RecordResult>([&](auto done) {
            return m_client->updateOpportunity(firstOpportunityId(), body, key, this, done);
        });
        QVERIFY(!first.ok());
        QCOMPARE(first.error().kind(), ErrorKind::Offline);
        QVERIFY(first.error().isTransient()); // the Outbox will resend with the same key
        QCOMPARE(first.attempts(), 1); // ambiguous: the client does not retry a write

        // The caller (the Outbox) resends the same bytes with the same key: a replay.
        faults().rateTruncate = 0.0;
        const auto second = run<RecordResult>([&](auto done) {
            return m_client->updateOpportunity(firstOpportunityId(), body, key, this, done);
        });
        QVERIFY2(second.ok(), qPrintable(describe(second.error())));
        QCOMPARE(second.value().value(QStringLiteral("probability")).toDouble(), 10.0);
        const QJsonObject s = stats();
        QCOMPARE(s[QLatin1String("appliedByIdempotencyKey")][key].toInt(), 1);
        QCOMPARE(s[QLatin1String("idempotentReplays")].toInt(), 1);
        const QJsonArray writes = serverWrites();
        QCOMPARE(writes.size(), 2);
        for (const QJsonValue &write : writes)
            QCOMPARE(write[QLatin1String("idempotencyKey")].toString(), key);
    }

    void malformedJsonIsABadResponse()
    {
        // A read is retried (a garbled answer may come right next time), then given up.
        faults().rateMalformed = 1.0;
        const auto result = retrieve(firstOpportunityId());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind(), ErrorKind::BadResponse);
        QCOMPARE(result.attempts(), options().retry.maxAttempts);
        QVERIFY(!ErrorText::userMessage(result.error()).isEmpty());
    }

    void aMalformedPageIsRetriedOnce()
    {
        faults().malformedListPages = 1;
        QList<RetryEvent> events;
        connect(m_client.get(), &LightfieldClient::retryScheduled, this,
            [&](const RetryEvent &e) { events.append(e); });
        const auto result = run<PageResult>(
            [&](auto done) { return m_client->listOpportunities({}, this, done); });
        QVERIFY2(result.ok(), qPrintable(describe(result.error())));
        QCOMPARE(result.attempts(), 2);
        QCOMPARE(result.value().records.size(), 25);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().error.kind(), ErrorKind::BadResponse);
    }

    void aMalformedWriteAnswerIsNotRetried()
    {
        faults().rateMalformed = 1.0;
        const auto result = run<RecordResult>([&](auto done) {
            return m_client->updateOpportunity(firstOpportunityId(),
                R"({"fields": {"probability": 12}})", QStringLiteral("garbled-key"), this, done);
        });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind(), ErrorKind::BadResponse);
        QCOMPARE(result.attempts(), 1); // applied once; the Outbox decides what comes next
    }

    void pagerStopsAtARefusedOffset_data()
    {
        QTest::addColumn<bool>("answerEmpty");
        QTest::newRow("400 past the cap") << false;
        QTest::newRow("empty page past the cap") << true;
    }

    void pagerStopsAtARefusedOffset()
    {
        QFETCH(bool, answerEmpty);
        SandboxConfig config;
        config.maxOffset = 50;
        config.maxOffsetAnswersEmpty = answerEmpty;
        startServer(config, 120);
        std::unique_ptr<Pager> pager(m_client->pageAll(ListEndpoint::Opportunities, {}, nullptr));
        QSignalSpy finished(pager.get(), &Pager::finished);
        pager->start();
        QVERIFY(finished.wait(20000));
        const PagerResult result = pager->result();
        // Not a complete list: the rows below the cap, and an error for a caller that does not
        // narrow its query.
        QVERIFY(!result.ok());
        QVERIFY(result.capped());
        QCOMPARE(result.offsetRefusedAt, 75);
        QCOMPARE(result.records.size(), 75);
        QVERIFY(result.error.has_value());
    }

    void anUnknownValueTypeIsKeptRaw()
    {
        const auto schema = opportunitySchema();
        QVERIFY(schema.ok());
        m_client->setSchema(schema.value());
        faults().rateUnknownValueType = 1.0;
        const auto result = retrieve(firstOpportunityId());
        QVERIFY2(result.ok(), qPrintable(describe(result.error())));
        const FieldValue strange = result.value().value(QStringLiteral("hologram"));
        QVERIFY(strange.isRaw());
        QCOMPARE(strange.problem(), FieldValue::Problem::UnknownType);
        QCOMPARE(strange.rawValueTypeName(), QStringLiteral("HOLOGRAM"));
        QVERIFY(result.value().rawFieldKeys().contains(QStringLiteral("hologram")));
        // The known fields are still typed.
        QCOMPARE(result.value().value(QStringLiteral("$name")).type(), FieldType::Text);
    }

    void aRefusedConnectionIsOffline()
    {
        m_server.reset(); // nothing listens on the port any more
        const auto result
            = run<KeyInfoResult>([&](auto done) { return m_client->validateKey(this, done); });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind(), ErrorKind::Offline);
        QCOMPARE(result.attempts(), 3);
    }

    // --- Writes and idempotency ----------------------------------------------------------

    void aDroppedWriteIsResentWithTheSameKeyAndAppliedOnce()
    {
        // The sandbox applies the write, then closes the connection without an answer. Qt's HTTP
        // stack resends such a request by itself (same headers, so the same key); the server
        // answers the resend with the stored response. Applied once either way.
        faults().rateDropAfterWrite = 1.0;
        const QString key = QStringLiteral("drop-key-1");
        const QByteArray body = R"({"fields": {"probability": 33}})";
        const auto result = run<RecordResult>([&](auto done) {
            return m_client->updateOpportunity(firstOpportunityId(), body, key, this, done);
        });
        if (!result.ok()) {
            // Had the connection failed for good, the caller would resend with the same key.
            QCOMPARE(result.error().kind(), ErrorKind::Offline);
            faults().rateDropAfterWrite = 0.0;
            const auto again = run<RecordResult>([&](auto done) {
                return m_client->updateOpportunity(firstOpportunityId(), body, key, this, done);
            });
            QVERIFY2(again.ok(), qPrintable(describe(again.error())));
        }
        QCOMPARE(m_server->store()
                     .retrieve(QStringLiteral("opportunity"), firstOpportunityId())
                     ->value(QLatin1String(
                         "fields"))[QLatin1String("probability")][QLatin1String("value")]
                     .toDouble(),
            33.0);
        const QJsonObject s = stats();
        QCOMPARE(s[QLatin1String("appliedByIdempotencyKey")][key].toInt(), 1);
        QVERIFY(s[QLatin1String("idempotentReplays")].toInt() >= 1);
        const QJsonArray writes = serverWrites();
        QVERIFY(writes.size() >= 2);
        for (const QJsonValue &write : writes) {
            QCOMPARE(write[QLatin1String("idempotencyKey")].toString(), key);
            QCOMPARE(write[QLatin1String("rawBody")].toString().toUtf8(), body);
        }
    }

    void aWriteWithoutAKeyIsRefused()
    {
        const auto result = run<RecordResult>([&](auto done) {
            return m_client->updateOpportunity(
                firstOpportunityId(), QByteArray(R"({"fields": {}})"), QString(), this, done);
        });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind(), ErrorKind::Validation);
        QCOMPARE(result.attempts(), 0);
        QVERIFY(m_nam->requests.isEmpty());
    }

    void aRateLimitedWriteIsRetriedWithTheSameKeyAndBytes_data() { envelopes(); }
    void aRateLimitedWriteIsRetriedWithTheSameKeyAndBytes()
    {
        // The 429 in either envelope: unwrapped as the rate-limit page shows it, or wrapped.
        QFETCH(bool, wrapped);
        m_server->config().errorEnvelope = wrapped ? SandboxConfig::ErrorEnvelope::Wrapped
                                                   : SandboxConfig::ErrorEnvelope::Documented;
        faults().rate429 = 1.0;
        connect(m_client.get(), &LightfieldClient::retryScheduled, this,
            [&](const RetryEvent &) { faults().rate429 = 0.0; });
        const QString key = QStringLiteral("limited-key-1");
        const QByteArray body = R"({"fields": {"probability": 44}})";
        const auto result = run<RecordResult>([&](auto done) {
            return m_client->updateOpportunity(firstOpportunityId(), body, key, this, done);
        });
        QVERIFY2(result.ok(), qPrintable(describe(result.error())));
        QCOMPARE(result.attempts(), 2);
        QCOMPARE(m_nam->requests.size(), 2);
        for (const QNetworkRequest &request : std::as_const(m_nam->requests))
            QCOMPARE(request.rawHeader("Idempotency-Key"), key.toUtf8());
        QCOMPARE(stats()[QLatin1String("appliedByIdempotencyKey")][key].toInt(), 1);
        const QJsonArray writes = serverWrites();
        QCOMPARE(writes.size(), 2);
        QCOMPARE(writes.at(0)[QLatin1String("status")].toInt(), 429);
        QCOMPARE(writes.at(1)[QLatin1String("status")].toInt(), 200);
        for (const QJsonValue &write : writes) {
            QCOMPARE(write[QLatin1String("idempotencyKey")].toString(), key);
            QCOMPARE(write[QLatin1String("rawBody")].toString().toUtf8(), body);
        }
    }

    void anIdempotencyConflictWaitsAndReusesTheKey_data() { envelopes(); }
    void anIdempotencyConflictWaitsAndReusesTheKey()
    {
        // The 409 in either envelope: `{"type": "idempotency_conflict"}` as the idempotency
        // page shows it, or wrapped as type "conflict", code "idempotency_conflict".
        QFETCH(bool, wrapped);
        m_server->config().errorEnvelope = wrapped ? SandboxConfig::ErrorEnvelope::Wrapped
                                                   : SandboxConfig::ErrorEnvelope::Documented;
        // The first request is held for 300 ms; a second one with the same key arrives while
        // it is in flight (409 idempotency_conflict), waits, and then gets the replay.
        faults().latencyMs = 300;
        const QString key = QStringLiteral("conflict-key-1");
        const QByteArray body = R"({"fields": {"probability": 55}})";
        std::optional<RecordResult> a;
        std::optional<RecordResult> b;
        LightfieldCall *first = m_client->updateOpportunity(
            firstOpportunityId(), body, key, this, [&a](const RecordResult &r) { a = r; });
        QSignalSpy firstDone(first, &LightfieldCall::finished);
        auto o = options();
        o.retry = {4, 200, 800, 5000};
        LightfieldClient second(m_nam.get(), o);
        LightfieldCall *other = second.updateOpportunity(
            firstOpportunityId(), body, key, this, [&b](const RecordResult &r) { b = r; });
        QSignalSpy otherDone(other, &LightfieldCall::finished);
        QVERIFY(firstDone.wait(5000) || firstDone.size() == 1);
        QVERIFY(otherDone.size() == 1 || otherDone.wait(5000));
        QVERIFY(a && a->ok());
        QVERIFY2(b && b->ok(), b ? qPrintable(describe(b->error())) : "no result");
        QVERIFY(b->attempts() >= 2);
        const QJsonObject s = stats();
        QVERIFY(s[QLatin1String("idempotencyConflicts")].toInt() >= 1);
        QCOMPARE(s[QLatin1String("appliedByIdempotencyKey")][key].toInt(), 1);
        for (const QNetworkRequest &request : std::as_const(m_nam->requests))
            QCOMPARE(request.rawHeader("Idempotency-Key"), key.toUtf8());
    }

    // --- Error taxonomy ------------------------------------------------------------------

    void errorsAreClassified()
    {
        // 404
        const auto missing = retrieve(QStringLiteral("opp_doesnotexist"));
        QCOMPARE(missing.error().kind(), ErrorKind::NotFound);
        QCOMPARE(missing.attempts(), 1);

        // 400 with param → field key
        const auto unknown = run<RecordResult>([&](auto done) {
            return m_client->updateOpportunity(firstOpportunityId(),
                QByteArray(R"({"fields": {"noSuchField": 1}})"), QStringLiteral("bad-1"), this,
                done);
        });
        QCOMPARE(unknown.error().kind(), ErrorKind::Validation);
        QCOMPARE(unknown.error().code(), QStringLiteral("unknown_field"));
        QCOMPARE(ErrorText::fieldKey(unknown.error().param()), QStringLiteral("noSuchField"));
        QCOMPARE(unknown.attempts(), 1);

        const auto required = run<RecordResult>([&](auto done) {
            return m_client->createOpportunity(
                QByteArray(R"({"fields": {}})"), QStringLiteral("bad-2"), this, done);
        });
        QCOMPARE(required.error().kind(), ErrorKind::Validation);
        QVERIFY(!ErrorText::fieldKey(required.error().param()).isEmpty());

        // 401
        auto o = options();
        o.apiKey = QStringLiteral("sk_lf_wrong_key_123");
        remakeClient(o);
        const auto unauthorized
            = run<KeyInfoResult>([&](auto done) { return m_client->validateKey(this, done); });
        QCOMPARE(unauthorized.error().kind(), ErrorKind::Unauthorized);
        QCOMPARE(unauthorized.attempts(), 1);

        // 403: a key with only opportunities:read
        m_server->config().apiKeys.insert(
            QStringLiteral("sk_lf_readonly_opps"), {QStringLiteral("opportunities:read")});
        o.apiKey = QStringLiteral("sk_lf_readonly_opps");
        remakeClient(o);
        const auto forbidden
            = run<PageResult>([&](auto done) { return m_client->listAccounts({}, this, done); });
        QCOMPARE(forbidden.error().kind(), ErrorKind::Forbidden);
        const auto allowed = run<PageResult>(
            [&](auto done) { return m_client->listOpportunities({}, this, done); });
        QVERIFY(allowed.ok());

        for (const LightfieldError &error :
            {missing.error(), unknown.error(), unauthorized.error(), forbidden.error()})
            QVERIFY(!ErrorText::userMessage(error).isEmpty());
    }

    // --- Pacing --------------------------------------------------------------------------

    void aBurstOf200ListCallsGetsNo429()
    {
        QElapsedTimer timer;
        timer.start();
        int done = 0;
        int failures = 0;
        ListQuery query;
        query.limit = 1;
        for (int i = 0; i < 200; ++i) {
            m_client->listOpportunities(query, this, [&](const PageResult &r) {
                ++done;
                if (!r.ok())
                    ++failures;
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(done, 200, 30000);
        QCOMPARE(failures, 0);
        QCOMPARE(stats()[QLatin1String("rateLimited")].toInt(), 0);
        QCOMPARE(statusCount(QStringLiteral("GET /v1/opportunities"), 200), 200);
        // 200 requests at 25/s after a burst of 20: at least 7.2 s.
        QVERIFY2(timer.elapsed() >= 7000, qPrintable(QString::number(timer.elapsed())));
        qInfo("200 list calls in %lld ms, no 429", timer.elapsed());
    }

    void learnsALowerLimitFromTheHeaders()
    {
        m_server->config().rateLimitSearch = 5;
        const auto first = run<PageResult>(
            [&](auto done) { return m_client->listOpportunities({}, this, done); });
        QVERIFY(first.ok());
        QCOMPARE(m_client->rateLimiter().rate(RateCategory::Search), 5);
        int done = 0;
        for (int i = 0; i < 12; ++i)
            m_client->listOpportunities({}, this, [&done](const PageResult &) { ++done; });
        QTRY_COMPARE_WITH_TIMEOUT(done, 12, 15000);
        QCOMPARE(stats()[QLatin1String("rateLimited")].toInt(), 0);
        // The other categories keep their own rate.
        QCOMPARE(m_client->rateLimiter().rate(RateCategory::Read), 25);
    }

    // --- Paging --------------------------------------------------------------------------

    void pagerFetchesEveryPage()
    {
        std::unique_ptr<Pager> pager(m_client->pageAll(ListEndpoint::Opportunities, {}, nullptr));
        QSignalSpy progress(pager.get(), &Pager::progress);
        QSignalSpy finished(pager.get(), &Pager::finished);
        pager->start();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.size(), 1);
        const PagerResult result = pager->result();
        QVERIFY(result.ok());
        QCOMPARE(result.records.size(), kSeedOpportunities);
        QSet<QString> ids;
        for (const Record &record : result.records)
            ids.insert(record.id());
        QCOMPARE(ids.size(), kSeedOpportunities);
        QCOMPARE(ids,
            QSet<QString>(m_server->store().ids(QStringLiteral("opportunity")).cbegin(),
                m_server->store().ids(QStringLiteral("opportunity")).cend()));
        QCOMPARE(result.requests, 11); // 10 full pages and the empty one that confirms the end
        QVERIFY(pager->maxInFlightSeen() >= 2);
        QVERIFY(progress.size() >= 10);
        QCOMPARE(progress.last().at(0).toInt(), kSeedOpportunities);
    }

    void pagerFollowsAListThatGrows()
    {
        startServer({}, 60);
        std::unique_ptr<Pager> pager(m_client->pageAll(ListEndpoint::Opportunities, {}, nullptr));
        pager->setSettings({25, 1});
        bool grown = false;
        connect(pager.get(), &Pager::progress, this, [&](int received, int) {
            if (grown || received < 25)
                return;
            grown = true;
            const QString templateId = firstOpportunityId();
            for (int i = 0; i < 40; ++i) {
                QJsonObject copy
                    = *m_server->store().retrieve(QStringLiteral("opportunity"), templateId);
                copy.remove(QStringLiteral("id"));
                m_server->store().insertRecord(QStringLiteral("opportunity"), copy);
            }
        });
        QSignalSpy finished(pager.get(), &Pager::finished);
        pager->start();
        QVERIFY(finished.wait(20000));
        QVERIFY(grown);
        QVERIFY(pager->result().ok());
        QCOMPARE(pager->result().records.size(), 100);
        QCOMPARE(pager->result().lastTotalCount, 100);
    }

    void pagerStopsOnAShortPageWhenTheListShrinks()
    {
        // Page through the non-strategic deals while a colleague flags all of them strategic:
        // later pages come back short (or empty) and the pager ends there, with no error.
        const QString strategicFilter = QStringLiteral("isStrategic");
        ListQuery filter;
        filter.where(strategicFilter, QStringLiteral("equal"), QStringLiteral("false"));
        const auto before = run<PageResult>(
            [&](auto done) { return m_client->listOpportunities(filter, this, done); });
        QVERIFY(before.ok());
        const int initialTotal = before.value().totalCount;
        QVERIFY2(initialTotal > 50, qPrintable(QString::number(initialTotal)));

        std::unique_ptr<Pager> pager(
            m_client->pageAll(ListEndpoint::Opportunities, filter, nullptr));
        pager->setSettings({25, 1});
        bool shrunk = false;
        connect(pager.get(), &Pager::progress, this, [&](int, int) {
            if (shrunk)
                return;
            shrunk = true;
            const QStringList ids = m_server->store().ids(QStringLiteral("opportunity"));
            for (const QString &id : ids) {
                const QJsonObject record
                    = *m_server->store().retrieve(QStringLiteral("opportunity"), id);
                if (record[QLatin1String("fields")][strategicFilter][QLatin1String("value")]
                    == QJsonValue(false))
                    m_server->store().update(QStringLiteral("opportunity"), id,
                        QJsonObject {
                            {QStringLiteral("fields"), QJsonObject {{strategicFilter, true}}}});
            }
        });
        QSignalSpy finished(pager.get(), &Pager::finished);
        pager->start();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.size(), 1);
        QVERIFY(pager->result().ok());
        QVERIFY(pager->result().records.size() >= 25);
        QVERIFY(pager->result().records.size() < initialTotal);
        QVERIFY(pager->result().lastTotalCount < initialTotal);
    }

    void pagerCountsRawRowsNotDecodedOnes()
    {
        startServer({}, 60);
        // A row of the first page that cannot be decoded: the page still has 25 rows, so the
        // list goes on.
        const auto first = run<PageResult>(
            [&](auto done) { return m_client->listOpportunities({}, this, done); });
        QVERIFY(first.ok());
        const QString broken = first.value().records.at(3).id();
        faults().undecodableIds = {broken};
        const auto page = run<PageResult>(
            [&](auto done) { return m_client->listOpportunities({}, this, done); });
        QVERIFY(page.ok());
        QCOMPARE(page.value().records.size(), 24);
        QCOMPARE(page.value().undecodable.size(), 1);
        QCOMPARE(page.value().rows(), 25);
        QVERIFY(!page.value().isLast());

        std::unique_ptr<Pager> pager(m_client->pageAll(ListEndpoint::Opportunities, {}, nullptr));
        QSignalSpy finished(pager.get(), &Pager::finished);
        pager->start();
        QVERIFY(finished.wait(20000));
        const PagerResult result = pager->result();
        QVERIFY(result.ok());
        QCOMPARE(result.records.size(), 59);
        QCOMPARE(result.undecodable.size(), 1);
        QCOMPARE(result.undecodable.first().key, broken);
        QVERIFY2(result.undecodable.first().reason.contains(QLatin1String("fields")),
            qPrintable(result.undecodable.first().reason));
        // Kept as received.
        QCOMPARE(QJsonDocument::fromJson(result.undecodable.first().json)
                     .object()
                     .value(QStringLiteral("fields")),
            QJsonValue(QStringLiteral("<unreadable>")));
    }

    void pagerKeepsARowWithoutAnIdUnderAMadeUpKey()
    {
        startServer({}, 60);
        const auto first = run<PageResult>(
            [&](auto done) { return m_client->listOpportunities({}, this, done); });
        QVERIFY(first.ok());
        faults().idlessIds = {first.value().records.at(0).id()};
        std::unique_ptr<Pager> pager(m_client->pageAll(ListEndpoint::Opportunities, {}, nullptr));
        QSignalSpy finished(pager.get(), &Pager::finished);
        pager->start();
        QVERIFY(finished.wait(20000));
        QVERIFY(pager->result().ok());
        QCOMPARE(pager->result().records.size(), 59);
        QCOMPARE(pager->result().undecodable.size(), 1);
        QVERIFY(pager->result().undecodable.first().key.startsWith(QLatin1String("undecodable:")));
        QCOMPARE(pager->result().undecodable.first().reason, QStringLiteral("no id"));
    }

    void pagerFailsWhenPagesNeverEnd()
    {
        startServer({}, 60);
        faults().endlessPages = true;
        std::unique_ptr<Pager> pager(m_client->pageAll(ListEndpoint::Opportunities, {}, nullptr));
        pager->setSettings({25, 3, 100});
        QSignalSpy finished(pager.get(), &Pager::finished);
        pager->start();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.size(), 1);
        const PagerResult result = pager->result();
        QVERIFY(!result.ok());
        QVERIFY(result.error);
        QVERIFY2(result.error->message().contains(
                     QLatin1String("kept sending full pages past 100 records")),
            qPrintable(result.error->message()));
        QVERIFY(result.requests <= 8);
    }

    void responseBodyIsCapped()
    {
        auto o = options();
        o.maxResponseBytes = 256 * 1024;
        remakeClient(o);
        faults().oversizeBodyBytes = 1024 * 1024;
        const auto page = run<PageResult>(
            [&](auto done) { return m_client->listOpportunities({}, this, done); });
        QVERIFY(!page.ok());
        QCOMPARE(page.error().kind(), ErrorKind::BadResponse);
        QVERIFY2(page.error().message().contains(QLatin1String("too large")),
            qPrintable(page.error().message()));
        QCOMPARE(page.attempts(), 1); // the same request would bring the same body
        // Under the cap, the same padding is fine.
        faults().oversizeBodyBytes = 1024;
        const auto small = run<PageResult>(
            [&](auto done) { return m_client->listOpportunities({}, this, done); });
        QVERIFY(small.ok());
    }

    void absurdRetryAfterIsClamped_data()
    {
        QTest::addColumn<QString>("retryAfter");
        QTest::addColumn<QString>("retryAfterMs");
        QTest::addColumn<qint64>("expected");
        const qint64 max = RetryPolicy::kMaxServerDelayMs;
        QTest::newRow("1e300 s") << QStringLiteral("1e300") << QString() << max;
        QTest::newRow("1e300 ms") << QStringLiteral("1") << QStringLiteral("1e300") << max;
        QTest::newRow("inf") << QStringLiteral("inf") << QString() << max;
        QTest::newRow("huge integer")
            << QStringLiteral("99999999999999999999999") << QString() << max;
    }
    void absurdRetryAfterIsClamped()
    {
        QFETCH(QString, retryAfter);
        QFETCH(QString, retryAfterMs);
        QFETCH(qint64, expected);
        faults().rate429 = 1.0;
        faults().retryAfterValue = retryAfter;
        faults().retryAfterMsValue = retryAfterMs;
        const auto result = run<RecordResult>([&](auto done) {
            return m_client->retrieveOpportunity(firstOpportunityId(), this, done);
        });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind(), ErrorKind::RateLimited);
        QCOMPARE(result.error().retryAfterMs(), expected);
        QCOMPARE(result.attempts(), 1); // longer than maxRetryAfterMs: not waited for
    }

    void pagerCancelStopsAtOnce()
    {
        std::unique_ptr<Pager> pager(m_client->pageAll(ListEndpoint::Opportunities, {}, nullptr));
        QSignalSpy finished(pager.get(), &Pager::finished);
        connect(pager.get(), &Pager::progress, pager.get(), [&pager] { pager->cancel(); });
        pager->start();
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.size(), 1);
        QVERIFY(pager->result().cancelled);
        QVERIFY(!pager->result().error);
        const qsizetype sent = m_nam->requests.size();
        // Nothing else arrives or is sent afterwards.
        QVERIFY(!finished.wait(300));
        QCOMPARE(m_nam->requests.size(), sent);
        QCOMPARE(finished.size(), 1);
    }

    void pagerReportsAFailedPage()
    {
        auto o = options();
        o.retry.maxAttempts = 1;
        remakeClient(o);
        faults().rate500 = 1.0;
        std::unique_ptr<Pager> pager(m_client->pageAll(ListEndpoint::Accounts, {}, nullptr));
        QSignalSpy finished(pager.get(), &Pager::finished);
        pager->start();
        QVERIFY(finished.wait(10000));
        QVERIFY(pager->result().error);
        QCOMPARE(pager->result().error->kind(), ErrorKind::Server);
    }

    // --- Lifecycle -----------------------------------------------------------------------

    void callLifecycle_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<int>("callbacks");
        QTest::addColumn<int>("finished");
        QTest::newRow("succeeds") << QStringLiteral("succeed") << 1 << 1;
        QTest::newRow("fails") << QStringLiteral("fail") << 1 << 1;
        QTest::newRow("abandoned before sending") << QStringLiteral("abandonAtOnce") << 0 << 0;
        QTest::newRow("abandoned in flight") << QStringLiteral("abandonInFlight") << 0 << 0;
        QTest::newRow("context destroyed") << QStringLiteral("dropContext") << 0 << 0;
        QTest::newRow("client destroyed") << QStringLiteral("dropClient") << 0 << 0;
    }
    void callLifecycle()
    {
        QFETCH(QString, how);
        QFETCH(int, callbacks);
        QFETCH(int, finished);
        faults().latencyMs = 200; // keeps the reply in flight for a while
        auto context = std::make_unique<QObject>();
        int called = 0;
        const QString id
            = how == QLatin1String("fail") ? QStringLiteral("opp_missing") : firstOpportunityId();
        QPointer<LightfieldCall> call = m_client->retrieveOpportunity(
            id, context.get(), [&called](const RecordResult &) { ++called; });
        QSignalSpy finishedSpy(call.data(), &LightfieldCall::finished);
        if (how == QLatin1String("abandonAtOnce")) {
            call->abandon();
        } else if (how == QLatin1String("abandonInFlight")) {
            QTRY_VERIFY(!m_nam->requests.isEmpty());
            call->abandon();
        } else if (how == QLatin1String("dropContext")) {
            QTRY_VERIFY(!m_nam->requests.isEmpty());
            context.reset();
        } else if (how == QLatin1String("dropClient")) {
            QTRY_VERIFY(!m_nam->requests.isEmpty());
            m_client.reset();
        }
        QTRY_VERIFY_WITH_TIMEOUT(call.isNull(), 5000); // it always deletes itself
        QVERIFY(!finishedSpy.wait(400)); // and nothing arrives later
        QCOMPARE(called, callbacks);
        QCOMPARE(finishedSpy.size(), finished);
    }

    // --- Secrets -------------------------------------------------------------------------

    void theKeyNeverReachesTheLog()
    {
        g_log.clear();
        g_previousHandler = qInstallMessageHandler(captureHandler);
        SecretRedactor::install();
        QLoggingCategory::setFilterRules(QStringLiteral("lightfield.*.debug=true"));

        faults().rate500 = 1.0;
        connect(m_client.get(), &LightfieldClient::retryScheduled, this,
            [&](const RetryEvent &) { faults().rate500 = 0.0; });
        QVERIFY(retrieve(firstOpportunityId()).ok());
        auto o = options();
        o.apiKey = QStringLiteral("sk_lf_wrong_key_456");
        remakeClient(o);
        QVERIFY(
            !run<KeyInfoResult>([&](auto done) { return m_client->validateKey(this, done); }).ok());
        // Something careless elsewhere: the safety net catches it.
        for (const QNetworkRequest &request : std::as_const(m_nam->requests))
            qCDebug(lcNet) << "request headers" << request.rawHeaderList()
                           << request.rawHeader("Authorization");
        qWarning() << "retrying with key" << QStringLiteral("sk_lf_demo");

        QLoggingCategory::setFilterRules(QStringLiteral("lightfield.*.debug=false"));
        SecretRedactor::uninstall();
        qInstallMessageHandler(g_previousHandler);

        const QString all = g_log.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QLatin1String("lightfield.net")), "no client log captured");
        QVERIFY2(!all.contains(QLatin1String("sk_lf_demo")), qPrintable(all));
        QVERIFY2(!all.contains(QLatin1String("sk_lf_wrong_key_456")), qPrintable(all));
        QVERIFY2(!all.contains(QLatin1String("Bearer sk")), qPrintable(all));
    }
};

QTEST_GUILESS_MAIN(TestLightfieldClient)
#include "tst_lightfieldclient.moc"
