// The client's parts in isolation, with exact clocks and random sources: pacing arithmetic,
// backoff with full jitter, Retry-After parsing, the base URL policy, key redaction, the
// rep-facing error texts and the query encoding.

#include "api/lightfielderror.h"
#include "domain/objectschema.h"
#include "net/baseurlpolicy.h"
#include "net/errortext.h"
#include "net/lightfieldclient.h"
#include "net/listquery.h"
#include "net/ratelimiter.h"
#include "net/retrypolicy.h"
#include "net/secretredactor.h"

#include <QJsonDocument>

#include <limits>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QTest>

namespace {

QStringList g_captured;

void captureHandler(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_captured.append(message);
}

} // namespace

class TestNetParts final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // --- RateLimiter ---------------------------------------------------------------------
    void limiterAllowsBurstOfCapacityThenPacesAtRate()
    {
        RateLimiter limiter(25);
        QCOMPARE(limiter.capacity(RateCategory::Search), 20.0);
        for (int i = 0; i < 20; ++i)
            QCOMPARE(limiter.reserve(RateCategory::Search, 1000), 0);
        // Each further request waits one more 1/25 s.
        QCOMPARE(limiter.reserve(RateCategory::Search, 1000), 40);
        QCOMPARE(limiter.reserve(RateCategory::Search, 1000), 80);
        // Other categories have their own bucket.
        QCOMPARE(limiter.reserve(RateCategory::Read, 1000), 0);
        // After the waits, one token per 40 ms.
        QCOMPARE(limiter.reserve(RateCategory::Search, 1080), 40);
    }

    void limiterLearnsTheLimitFromHeaders()
    {
        RateLimiter limiter(25);
        QCOMPARE(limiter.reserve(RateCategory::Write, 0), 0);
        limiter.updateFromHeaders(RateCategory::Write, 0, "5", "4");
        QCOMPARE(limiter.rate(RateCategory::Write), 5);
        QCOMPARE(limiter.capacity(RateCategory::Write), 4.0);
        // Remaining 4 minus the margin of 1 → 3 tokens left.
        QCOMPARE(limiter.tokens(RateCategory::Write, 0), 3.0);
        QCOMPARE(limiter.reserve(RateCategory::Write, 0), 0);
        QCOMPARE(limiter.reserve(RateCategory::Write, 0), 0);
        QCOMPARE(limiter.reserve(RateCategory::Write, 0), 0);
        QCOMPARE(limiter.reserve(RateCategory::Write, 0), 200);
        // Garbage is ignored.
        limiter.updateFromHeaders(RateCategory::Write, 0, "lots", "");
        QCOMPARE(limiter.rate(RateCategory::Write), 5);
    }

    void limiterRemainingOnlyLowersTokens()
    {
        RateLimiter limiter(25);
        limiter.updateFromHeaders(RateCategory::Read, 0, "25", "25");
        QCOMPARE(limiter.tokens(RateCategory::Read, 0), 20.0);
        limiter.updateFromHeaders(RateCategory::Read, 0, "25", "10"); // someone else is busy
        QCOMPARE(limiter.tokens(RateCategory::Read, 0), 5.0);
    }

    void limiterBlockWaitsExactlyRetryAfter()
    {
        RateLimiter limiter(25);
        limiter.block(RateCategory::Search, 500, 1000);
        QCOMPARE(limiter.reserve(RateCategory::Search, 500), 1000);
        QCOMPARE(limiter.reserve(RateCategory::Search, 500), 1040);
    }

    // --- RetryPolicy ---------------------------------------------------------------------
    void backoffIsCappedExponentialWithFullJitter_data()
    {
        QTest::addColumn<double>("draw");
        QTest::addColumn<int>("retry");
        QTest::addColumn<qint64>("expected");
        // base 500 ms, cap 8 s: ceilings 500, 1000, 2000, 4000, 8000, 8000
        QTest::newRow("first retry, top") << 0.999999 << 1 << qint64(499);
        QTest::newRow("first retry, half") << 0.5 << 1 << qint64(250);
        QTest::newRow("second retry, half") << 0.5 << 2 << qint64(500);
        QTest::newRow("third retry, quarter") << 0.25 << 3 << qint64(500);
        QTest::newRow("fifth retry, half (cap)") << 0.5 << 5 << qint64(4000);
        QTest::newRow("tenth retry, half (cap)") << 0.5 << 10 << qint64(4000);
        QTest::newRow("zero draw") << 0.0 << 4 << qint64(0);
    }
    void backoffIsCappedExponentialWithFullJitter()
    {
        QFETCH(double, draw);
        QFETCH(int, retry);
        QFETCH(qint64, expected);
        const RetryPolicy policy({4, 500, 8000, 60000}, [draw] { return draw; });
        QCOMPARE(policy.backoffMs(retry), expected);
        QVERIFY(policy.backoffCeilingMs(retry) <= 8000);
    }

    void serverDelaysAreClampedEverywhere()
    {
        RetryPolicy policy(RetryPolicy::Settings {}, [] { return 0.0; });
        QCOMPARE(
            policy.delayMs(1, std::numeric_limits<qint64>::max()), RetryPolicy::kMaxServerDelayMs);
        QCOMPARE(policy.delayMs(1, qint64(-5)), qint64(0));
        RateLimiter limiter(25);
        limiter.reserve(RateCategory::Search, 0);
        limiter.block(RateCategory::Search, 0, std::numeric_limits<qint64>::max());
        QCOMPARE(limiter.reserve(RateCategory::Search, 0), RetryPolicy::kMaxServerDelayMs);
        RateLimiter negative(25);
        negative.block(RateCategory::Read, 0, -5);
        QCOMPARE(negative.reserve(RateCategory::Read, 0), qint64(0));
    }

    void retryAfterIsAFloor()
    {
        const RetryPolicy policy({4, 500, 8000, 60000}, [] { return 0.5; });
        QCOMPARE(policy.delayMs(1, std::nullopt), 250);
        QCOMPARE(policy.delayMs(1, qint64(1000)), 1000);
        QCOMPARE(policy.delayMs(4, qint64(1000)), 2000);
        QVERIFY(policy.retryAfterTooLong(qint64(60001)));
        QVERIFY(!policy.retryAfterTooLong(qint64(60000)));
        QVERIFY(!policy.retryAfterTooLong(std::nullopt));
        QVERIFY(policy.canRetry(3));
        QVERIFY(!policy.canRetry(4));
    }

    void parsesRetryAfter_data()
    {
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<QByteArray>("retryAfterMs");
        QTest::addColumn<qint64>("expected"); // -1 = nullopt
        QTest::newRow("seconds") << QByteArray("1") << QByteArray() << qint64(1000);
        QTest::newRow("fractional seconds") << QByteArray(" 2.5 ") << QByteArray() << qint64(2500);
        QTest::newRow("ms wins") << QByteArray("5") << QByteArray("120.2") << qint64(121);
        QTest::newRow("IMF date") << QByteArray("Mon, 23 Nov 2026 10:00:03 GMT") << QByteArray()
                                  << qint64(3000);
        QTest::newRow("RFC 850 date")
            << QByteArray("Monday, 23-Nov-26 10:00:02 GMT") << QByteArray() << qint64(2000);
        QTest::newRow("asctime date")
            << QByteArray("Mon Nov 23 10:00:01 2026") << QByteArray() << qint64(1000);
        QTest::newRow("past date")
            << QByteArray("Mon, 23 Nov 2026 09:00:00 GMT") << QByteArray() << qint64(0);
        QTest::newRow("negative") << QByteArray("-3") << QByteArray() << qint64(0);
        QTest::newRow("garbage") << QByteArray("soon") << QByteArray() << qint64(-1);
        QTest::newRow("absent") << QByteArray() << QByteArray() << qint64(-1);
        // Server-given delays are clamped to [0, RetryPolicy::kMaxServerDelayMs]: no overflow.
        const qint64 max = 10 * 60 * 1000;
        QTest::newRow("ms 1e300") << QByteArray() << QByteArray("1e300") << max;
        QTest::newRow("ms -1e300") << QByteArray() << QByteArray("-1e300") << qint64(0);
        QTest::newRow("ms -5") << QByteArray() << QByteArray("-5") << qint64(0);
        QTest::newRow("ms inf") << QByteArray() << QByteArray("inf") << max;
        QTest::newRow("ms -inf") << QByteArray() << QByteArray("-inf") << qint64(0);
        QTest::newRow("ms nan falls back to seconds")
            << QByteArray("2") << QByteArray("nan") << qint64(2000);
        QTest::newRow("ms huge integer")
            << QByteArray() << QByteArray("99999999999999999999999999") << max;
        QTest::newRow("seconds 1e300") << QByteArray("1e300") << QByteArray() << max;
        QTest::newRow("seconds 1e18") << QByteArray("1e18") << QByteArray() << max;
        QTest::newRow("seconds -5") << QByteArray("-5") << QByteArray() << qint64(0);
        QTest::newRow("seconds inf") << QByteArray("inf") << QByteArray() << max;
        QTest::newRow("seconds NaN") << QByteArray("NaN") << QByteArray() << qint64(-1);
        QTest::newRow("seconds huge integer")
            << QByteArray("9223372036854775808000") << QByteArray() << max;
        QTest::newRow("seconds just under the cap")
            << QByteArray("599.5") << QByteArray() << qint64(599500);
        QTest::newRow("date far ahead")
            << QByteArray("Fri, 31 Dec 9999 23:59:59 GMT") << QByteArray() << max;
        // Found by tests/fuzz/fuzz_retryafter: RFC 850's two-digit year is read relative to now
        // (RFC 9110 §5.6.7), not in a fixed 1970–2069 window; "70" is 2070 from 2026 on.
        QTest::newRow("RFC 850 year 44 years ahead")
            << QByteArray("Sunday, 23-Nov-70 10:00:00 GMT") << QByteArray() << max;
        QTest::newRow("RFC 850 leap day of 2000")
            << QByteArray("Tuesday, 29-Feb-00 10:00:00 GMT") << QByteArray() << qint64(0);
    }
    void parsesRetryAfter()
    {
        QFETCH(QByteArray, retryAfter);
        QFETCH(QByteArray, retryAfterMs);
        QFETCH(qint64, expected);
        const QDateTime now(QDate(2026, 11, 23), QTime(10, 0, 0), Qt::UTC);
        const auto parsed = RetryPolicy::parseRetryAfter(retryAfter, retryAfterMs, now);
        if (expected < 0) {
            QVERIFY(!parsed.has_value());
        } else {
            QVERIFY(parsed.has_value());
            QCOMPARE(*parsed, expected);
        }
    }

    void rfc850YearIsReadRelativeToNow_data()
    {
        QTest::addColumn<int>("nowYear");
        QTest::addColumn<QByteArray>("date");
        QTest::addColumn<int>("year");
        QTest::newRow("2026, 94 is past")
            << 2026 << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT") << 1994;
        QTest::newRow("2026, 76 is 50 years ahead")
            << 2026 << QByteArray("Monday, 23-Nov-76 10:00:00 GMT") << 2076;
        QTest::newRow("2026, 77 is past")
            << 2026 << QByteArray("Tuesday, 23-Nov-77 10:00:00 GMT") << 1977;
        QTest::newRow("2143, 83 is ahead (found by the fuzzer)")
            << 2143 << QByteArray("Saturday, 18-Jan-83 22:36:09 GMT") << 2183;
    }
    void rfc850YearIsReadRelativeToNow()
    {
        QFETCH(int, nowYear);
        QFETCH(QByteArray, date);
        QFETCH(int, year);
        const QDateTime now(QDate(nowYear, 6, 1), QTime(12, 0), Qt::UTC);
        const QDateTime parsed = RetryPolicy::parseHttpDate(date, now);
        QVERIFY(parsed.isValid());
        QCOMPARE(parsed.date().year(), year);
    }

    // --- BaseUrlPolicy -------------------------------------------------------------------
    void baseUrlPolicy_data()
    {
        QTest::addColumn<QString>("candidate");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<QString>("normalised");
        QTest::newRow("default") << QStringLiteral("https://api.lightfield.app") << true
                                 << QStringLiteral("https://api.lightfield.app");
        QTest::newRow("trailing slash") << QStringLiteral("https://api.lightfield.app/") << true
                                        << QStringLiteral("https://api.lightfield.app");
        QTest::newRow("path prefix") << QStringLiteral("https://gw.example.com/lightfield/") << true
                                     << QStringLiteral("https://gw.example.com/lightfield");
        QTest::newRow("http loopback v4") << QStringLiteral("http://127.0.0.1:8080") << true
                                          << QStringLiteral("http://127.0.0.1:8080");
        QTest::newRow("http loopback 127/8")
            << QStringLiteral("http://127.3.4.5:1") << true << QStringLiteral("http://127.3.4.5:1");
        QTest::newRow("http localhost")
            << QStringLiteral("HTTP://LocalHost:9") << true << QStringLiteral("http://localhost:9");
        QTest::newRow("http ::1") << QStringLiteral("http://[::1]:9") << true
                                  << QStringLiteral("http://[::1]:9");
        QTest::newRow("http remote")
            << QStringLiteral("http://api.lightfield.app") << false << QString();
        QTest::newRow("http lookalike")
            << QStringLiteral("http://127.0.0.1.evil.example") << false << QString();
        QTest::newRow("http private LAN")
            << QStringLiteral("http://192.168.1.2") << false << QString();
        QTest::newRow("ftp") << QStringLiteral("ftp://api.lightfield.app") << false << QString();
        QTest::newRow("no scheme") << QStringLiteral("api.lightfield.app") << false << QString();
        QTest::newRow("user info")
            << QStringLiteral("https://me:pw@api.lightfield.app") << false << QString();
        QTest::newRow("query") << QStringLiteral("https://api.lightfield.app/?x=1") << false
                               << QString();
    }
    void baseUrlPolicy()
    {
        QFETCH(QString, candidate);
        QFETCH(bool, accepted);
        QFETCH(QString, normalised);
        const auto result = BaseUrlPolicy::check(candidate, QStringLiteral("test"));
        QCOMPARE(result.isValid(), accepted);
        if (accepted)
            QCOMPARE(result.url.toString(), normalised);
        else
            QVERIFY(!result.error.isEmpty());
    }

    void baseUrlEnvironmentOverridesSettings()
    {
        qunsetenv(BaseUrlPolicy::kEnvironmentVariable);
        QCOMPARE(BaseUrlPolicy::resolve({}).url, BaseUrlPolicy::defaultUrl());
        QCOMPARE(BaseUrlPolicy::resolve({}).source, QStringLiteral("default"));
        QCOMPARE(BaseUrlPolicy::resolve(QStringLiteral("https://eu.lightfield.app")).url,
            QUrl(QStringLiteral("https://eu.lightfield.app")));
        qputenv(BaseUrlPolicy::kEnvironmentVariable, "http://127.0.0.1:4010");
        const auto fromEnv = BaseUrlPolicy::resolve(QStringLiteral("https://eu.lightfield.app"));
        QCOMPARE(fromEnv.source, QStringLiteral("environment"));
        QCOMPARE(fromEnv.url, QUrl(QStringLiteral("http://127.0.0.1:4010")));
        qputenv(BaseUrlPolicy::kEnvironmentVariable, "http://attacker.example");
        QVERIFY(!BaseUrlPolicy::resolve({}).isValid()); // refused, not silently replaced
        qunsetenv(BaseUrlPolicy::kEnvironmentVariable);
    }

    // --- SecretRedactor ------------------------------------------------------------------
    void redactsKeysAndAuthorization_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("header line") << QStringLiteral("Authorization: Bearer sk_lf_0_abcDEF123")
                                     << QStringLiteral("Authorization: [redacted]");
        QTest::newRow("json header") << QStringLiteral(R"({"authorization": "Bearer xyz.abc"})")
                                     << QStringLiteral(R"({"authorization": "[redacted]"})");
        QTest::newRow("qdebug pair") << QStringLiteral(R"(("Authorization", "Bearer tok"))")
                                     << QStringLiteral(R"(("Authorization", "[redacted]"))");
        QTest::newRow("bare bearer") << QStringLiteral("sent bearer abc123 ok")
                                     << QStringLiteral("sent bearer [redacted] ok");
        QTest::newRow("bare key") << QStringLiteral("key=sk_lf_demo, next")
                                  << QStringLiteral("key=sk_lf_[redacted], next");
        QTest::newRow("key with dash")
            << QStringLiteral("sk_lf_0_a-b_c") << QStringLiteral("sk_lf_[redacted]");
        QTest::newRow("x-api-key")
            << QStringLiteral("X-Api-Key: abc.def") << QStringLiteral("X-Api-Key: [redacted]");
        QTest::newRow("query param") << QStringLiteral("GET /x?api_key=abc123&limit=5")
                                     << QStringLiteral("GET /x?api_key=[redacted]&limit=5");
        QTest::newRow("idempotency key kept") << QStringLiteral("Idempotency-Key: 1234-5678")
                                              << QStringLiteral("Idempotency-Key: 1234-5678");
        QTest::newRow("harmless") << QStringLiteral("GET /v1/opportunities -> 200")
                                  << QStringLiteral("GET /v1/opportunities -> 200");
    }
    void redactsKeysAndAuthorization()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(SecretRedactor::redact(text), expected);
    }

    void redactorFiltersEveryLogMessage()
    {
        g_captured.clear();
        const QtMessageHandler before = qInstallMessageHandler(captureHandler);
        SecretRedactor::install();
        SecretRedactor::install(); // idempotent
        SecretRedactor::addSecret(QStringLiteral("custom-secret-value"));
        qWarning("Authorization: Bearer %s", "sk_lf_topsecret");
        qInfo() << "key is" << QStringLiteral("custom-secret-value");
        QLoggingCategory category("lightfield.test");
        qCWarning(category) << "token sk_lf_abc_123 leaked";
        SecretRedactor::uninstall();
        SecretRedactor::clearSecrets();
        qInstallMessageHandler(before);

        QCOMPARE(g_captured.size(), 3);
        const QString all = g_captured.join(QLatin1Char('\n'));
        QVERIFY2(!all.contains(QLatin1String("topsecret")), qPrintable(all));
        QVERIFY2(!all.contains(QLatin1String("custom-secret-value")), qPrintable(all));
        QVERIFY2(!all.contains(QLatin1String("abc_123")), qPrintable(all));
        QVERIFY(all.contains(QLatin1String("[redacted]")));
    }

    // --- ErrorText -----------------------------------------------------------------------
    void mapsParamBackToFieldKey_data()
    {
        QTest::addColumn<QString>("param");
        QTest::addColumn<QString>("key");
        QTest::newRow("system field") << QStringLiteral("fields.$name") << QStringLiteral("$name");
        QTest::newRow("custom field")
            << QStringLiteral("fields.dealSize") << QStringLiteral("dealSize");
        QTest::newRow("nested member") << QStringLiteral("fields.$primaryAddress.country")
                                       << QStringLiteral("$primaryAddress");
        QTest::newRow("indexed") << QStringLiteral("fields.phones[1]") << QStringLiteral("phones");
        QTest::newRow("bracket form")
            << QStringLiteral("fields[icp-score]") << QStringLiteral("icp-score");
        QTest::newRow("relationship")
            << QStringLiteral("relationships.$owner") << QStringLiteral("$owner");
        QTest::newRow("header") << QStringLiteral("Idempotency-Key") << QString();
        QTest::newRow("query") << QStringLiteral("limit") << QString();
    }
    void mapsParamBackToFieldKey()
    {
        QFETCH(QString, param);
        QFETCH(QString, key);
        QCOMPARE(ErrorText::fieldKey(param), key);
    }

    void everyKindHasARepMessage()
    {
        for (int k = 0; k <= int(ErrorKind::BadResponse); ++k) {
            const LightfieldError error(ErrorKind(k), QStringLiteral("raw text"), 0);
            const QString text = ErrorText::userMessage(error);
            QVERIFY2(!text.isEmpty(), qPrintable(LightfieldError::kindName(ErrorKind(k))));
            QVERIFY(!text.contains(QLatin1String("sk_lf_")));
        }
    }

    void validationMessageNamesTheFieldByLabel()
    {
        const QByteArray definitions = R"({"objectType": "opportunity",
            "fieldDefinitions": {"dealSize": {"label": "Deal size", "valueType": "CURRENCY"},
                                 "$name": {"label": "Name", "valueType": "TEXT"}},
            "relationshipDefinitions": {"$owner": {"label": "Owner", "cardinality": "HAS_ONE",
                                                   "objectType": "member"}}})";
        const ObjectSchema schema
            = ObjectSchema::fromDefinitionsJson(QJsonDocument::fromJson(definitions).object());
        const LightfieldError invalid = LightfieldError::fromHttpResponse(
            400, R"({"error": {"type": "bad_request", "code": "invalid_type",
                     "param": "fields.dealSize", "message": "Expected a number"}})");
        QCOMPARE(ErrorText::fieldKey(invalid.param()), QStringLiteral("dealSize"));
        const QString text = ErrorText::userMessage(invalid, &schema);
        QVERIFY2(text.contains(QLatin1String("Deal size")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("Expected a number")), qPrintable(text));

        const LightfieldError missing = LightfieldError::fromHttpResponse(
            400, R"({"error": {"type": "bad_request", "code": "parameter_missing",
                     "param": "fields.$name", "message": "x"}})");
        QCOMPARE(ErrorText::userMessage(missing, &schema), QStringLiteral("“Name” is required."));
        const LightfieldError owner = LightfieldError::fromHttpResponse(
            400, R"({"error": {"type": "bad_request", "code": "relationship_entity_missing",
                     "param": "relationships.$owner", "message": "x"}})");
        QVERIFY(ErrorText::userMessage(owner, &schema).contains(QLatin1String("Owner")));
        // Without a schema the key is shown without its "$".
        QVERIFY(ErrorText::userMessage(missing).contains(QStringLiteral("“name”")));
    }

    void idempotencyConflictHasItsOwnMessage()
    {
        const LightfieldError conflict = LightfieldError::fromHttpResponse(
            409, R"({"type": "idempotency_conflict", "message": "in flight"})");
        QCOMPARE(conflict.kind(), ErrorKind::Conflict);
        QVERIFY(conflict.isIdempotencyConflict());
        QVERIFY(ErrorText::userMessage(conflict).contains(QLatin1String("still saving")));
        LightfieldError limited(ErrorKind::RateLimited, {}, 429);
        limited.setRetryAfterMs(2500);
        QVERIFY(ErrorText::userMessage(limited).contains(QLatin1String("3")));
    }

    // Found by tests/fuzz/fuzz_lightfielderror: a server or proxy that echoed the request put
    // the API key into the error's message, which the rep reads, the outbox stores with a
    // parked row and the logs print.
    void errorFromResponseRedactsEchoedKeys_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("bearer in a wrapped message")
            << 401
            << QByteArray(R"({"error":{"type":"unauthorized",)"
                          R"("message":"Invalid header Authorization: Bearer sk_lf_Echoed123"}})");
        QTest::newRow("registered key in a validation message")
            << 422
            << QByteArray(R"({"type":"unprocessable_content","message":"key registered-secret-42",)"
                          R"("param":"fields.registered-secret-42"})");
        QTest::newRow("key in code") << 400
                                     << QByteArray(R"({"error":{"type":"bad_request",)"
                                                   R"("code":"sk_lf_Echoed123"}})");
        QTest::newRow("proxy's plain string")
            << 403 << QByteArray(R"({"error":"denied sk_lf_Echoed123"})");
        QTest::newRow("key spelled with a JSON escape")
            << 400
            << QByteArray(R"({"error":{"type":"bad_request","message":"sk\u005flf_Echoed123"}})");
    }
    void errorFromResponseRedactsEchoedKeys()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        SecretRedactor::addSecret(QStringLiteral("registered-secret-42"));
        const QDateTime now(QDate(2026, 11, 23), QTime(10, 0, 0), Qt::UTC);
        const LightfieldError error
            = LightfieldClient::errorFromResponse(status, body, QByteArray(), QByteArray(), now);
        const QStringList texts {error.message(), error.code(), error.param(), error.debugString(),
            ErrorText::userMessage(error)};
        SecretRedactor::clearSecrets();
        QCOMPARE(error.kind(), LightfieldError::fromHttpStatus(status));
        for (const QString &text : texts) {
            QVERIFY2(!text.contains(QLatin1String("sk_lf_Echoed123")), qPrintable(text));
            QVERIFY2(!text.contains(QLatin1String("registered-secret-42")), qPrintable(text));
        }
    }

    void errorFromResponseReadsTheEnvelopeAndTheWait()
    {
        const QDateTime now(QDate(2026, 11, 23), QTime(10, 0, 0), Qt::UTC);
        const LightfieldError limited = LightfieldClient::errorFromResponse(
            429, R"({"type":"too_many_requests","message":"Slow down"})", "2", QByteArray(), now);
        QCOMPARE(limited.kind(), ErrorKind::RateLimited);
        QCOMPARE(limited.type(), QStringLiteral("too_many_requests"));
        QCOMPARE(limited.message(), QStringLiteral("Slow down"));
        QCOMPARE(limited.retryAfterMs(), 2000);
        const LightfieldError unreadable
            = LightfieldClient::errorFromResponse(502, "<html>", QByteArray(), QByteArray(), now);
        QCOMPARE(unreadable.kind(), ErrorKind::Server);
        QCOMPARE(unreadable.retryAfterMs(), -1);
    }

    // --- ListQuery -----------------------------------------------------------------------
    void encodesFiltersSafely()
    {
        ListQuery query;
        query.offset = 50;
        query.where(QStringLiteral("$stage"), QStringLiteral("equal"), QStringLiteral("opt_9aQ"))
            .where(QStringLiteral("$name"), QStringLiteral("-startsWith"), QStringLiteral("A&B+C"))
            .where(QStringLiteral("$amount"), QString(), QStringLiteral("10000"));
        QCOMPARE(query.toQueryString(),
            QByteArray("limit=25&offset=50&%24stage%5Bequal%5D=opt_9aQ"
                       "&%24name%5B-startsWith%5D=A%26B%2BC&%24amount=10000"));
        ListQuery clamped;
        clamped.limit = 100;
        clamped.offset = -5;
        QCOMPARE(clamped.toQueryString(), QByteArray("limit=25&offset=0"));
    }
};

QTEST_GUILESS_MAIN(TestNetParts)
#include "tst_netparts.moc"
