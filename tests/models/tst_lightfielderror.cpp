#include "api/lightfielderror.h"
#include "modeltesthelpers.h"

#include <QStandardPaths>
#include <QtTest>

class TestLightfieldError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void readsTheWrappedEnvelope()
    {
        // The wrapped envelope, as the API's errors page shows it.
        const QByteArray body = R"({"error":{"type":"bad_request",
            "message":"Unrecognized field 'foo' for 'opportunities'.",
            "code":"unknown_field","param":"fields.foo"}})";
        const LightfieldError error = LightfieldError::fromHttpResponse(400, body);
        QCOMPARE(error.kind(), ErrorKind::Validation);
        QCOMPARE(error.httpStatus(), 400);
        QCOMPARE(error.type(), QStringLiteral("bad_request"));
        QCOMPARE(error.message(), QStringLiteral("Unrecognized field 'foo' for 'opportunities'."));
        QCOMPARE(error.code(), QStringLiteral("unknown_field"));
        QCOMPARE(error.param(), QStringLiteral("fields.foo"));
        QVERIFY(error.extra().isEmpty());
        QVERIFY(!error.isTransient());
    }

    void readsTheUnwrappedEnvelope_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<QString>("type");
        QTest::newRow("rate limit page")
            << 429 << QByteArray(R"({"type":"too_many_requests","message":"Slow down"})")
            << ErrorKind::RateLimited << "too_many_requests";
        QTest::newRow("idempotency page")
            << 409
            << QByteArray(R"({"type":"idempotency_conflict","message":"A request is in flight"})")
            << ErrorKind::Conflict << "idempotency_conflict";
    }
    void readsTheUnwrappedEnvelope()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(ErrorKind, kind);
        QFETCH(QString, type);
        const LightfieldError error = LightfieldError::fromHttpResponse(status, body);
        QCOMPARE(error.kind(), kind);
        QCOMPARE(error.type(), type);
        QVERIFY(!error.message().isEmpty());
        QCOMPARE(error.code(), QString());
    }

    void bothEnvelopesGiveTheSameError()
    {
        const QJsonObject inner {{QStringLiteral("type"), QStringLiteral("unprocessable_content")},
            {QStringLiteral("message"), QStringLiteral("Too many links")},
            {QStringLiteral("code"), QStringLiteral("relationship_write_limit_exceeded")}};
        const LightfieldError wrapped
            = LightfieldError::fromJson(422, QJsonObject {{QStringLiteral("error"), inner}});
        const LightfieldError unwrapped = LightfieldError::fromJson(422, inner);
        QCOMPARE(wrapped, unwrapped);
        QCOMPARE(wrapped.code(), QStringLiteral("relationship_write_limit_exceeded"));
    }

    void keepsExtraMembersOfTheError()
    {
        const QByteArray body = R"({"error":{"type":"bad_request","message":"Ambiguous",
            "code":"ambiguous_stage_label","param":"fields.$stage","truncated":false,
            "candidates":[{"stageOptionId":"opt_1","stageLabel":"Proposal",
                           "pipelineId":"pd_1","pipelineName":"New business"}]}})";
        const LightfieldError error = LightfieldError::fromHttpResponse(400, body);
        QCOMPARE(error.code(), QStringLiteral("ambiguous_stage_label"));
        QCOMPARE(error.extra().keys(),
            (QStringList {QStringLiteral("candidates"), QStringLiteral("truncated")}));
        QCOMPARE(error.extra()
                     .value(QStringLiteral("candidates"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("stageOptionId"))
                     .toString(),
            QStringLiteral("opt_1"));
    }

    void unusableBodiesKeepTheStatusKind_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty 503") << 503 << QByteArray() << ErrorKind::Server << "";
        QTest::newRow("html 502") << 502 << QByteArray("<html>Bad gateway</html>")
                                  << ErrorKind::Server << "";
        QTest::newRow("array 404") << 404 << QByteArray("[1,2]") << ErrorKind::NotFound << "";
        QTest::newRow("truncated JSON 401")
            << 401 << QByteArray(R"({"error":{"type":)") << ErrorKind::Unauthorized << "";
        QTest::newRow("error as plain string")
            << 403 << QByteArray(R"({"error":"Forbidden by proxy"})") << ErrorKind::Forbidden
            << "Forbidden by proxy";
        QTest::newRow("members of wrong type")
            << 400 << QByteArray(R"({"error":{"type":5,"message":["x"]}})") << ErrorKind::Validation
            << "";
    }
    void unusableBodiesKeepTheStatusKind()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(ErrorKind, kind);
        QFETCH(QString, message);
        const LightfieldError error = LightfieldError::fromHttpResponse(status, body);
        QCOMPARE(error.kind(), kind);
        QCOMPARE(error.httpStatus(), status);
        QCOMPARE(error.type(), QString());
        QCOMPARE(error.message(), message);
    }

    void statusMapsToKind_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<ErrorKind>("kind");
        QTest::newRow("400") << 400 << ErrorKind::Validation;
        QTest::newRow("401") << 401 << ErrorKind::Unauthorized;
        QTest::newRow("403") << 403 << ErrorKind::Forbidden;
        QTest::newRow("404") << 404 << ErrorKind::NotFound;
        QTest::newRow("405") << 405 << ErrorKind::Validation;
        QTest::newRow("408") << 408 << ErrorKind::Timeout;
        QTest::newRow("409") << 409 << ErrorKind::Conflict;
        QTest::newRow("410") << 410 << ErrorKind::NotFound;
        QTest::newRow("412") << 412 << ErrorKind::Conflict;
        QTest::newRow("413") << 413 << ErrorKind::Validation;
        QTest::newRow("415") << 415 << ErrorKind::Validation;
        QTest::newRow("422") << 422 << ErrorKind::Validation;
        QTest::newRow("429") << 429 << ErrorKind::RateLimited;
        QTest::newRow("500") << 500 << ErrorKind::Server;
        QTest::newRow("502") << 502 << ErrorKind::Server;
        QTest::newRow("503") << 503 << ErrorKind::Server;
        QTest::newRow("504") << 504 << ErrorKind::Timeout;
        QTest::newRow("599") << 599 << ErrorKind::Server;
        QTest::newRow("200") << 200 << ErrorKind::BadResponse;
        QTest::newRow("302") << 302 << ErrorKind::BadResponse;
        QTest::newRow("0") << 0 << ErrorKind::BadResponse;
        QTest::newRow("600") << 600 << ErrorKind::BadResponse;
        QTest::newRow("-1") << -1 << ErrorKind::BadResponse;
    }
    void statusMapsToKind()
    {
        QFETCH(int, status);
        QFETCH(ErrorKind, kind);
        QCOMPARE(LightfieldError::fromHttpStatus(status), kind);
        if (status != 0)
            QCOMPARE(LightfieldError::fromHttpResponse(status, QByteArray()).kind(), kind);
    }

    void onlyOfflineTimeoutRateLimitedAndServerAreTransient_data()
    {
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<bool>("transient");
        QTest::newRow("Offline") << ErrorKind::Offline << true;
        QTest::newRow("Timeout") << ErrorKind::Timeout << true;
        QTest::newRow("Unauthorized") << ErrorKind::Unauthorized << false;
        QTest::newRow("Forbidden") << ErrorKind::Forbidden << false;
        QTest::newRow("NotFound") << ErrorKind::NotFound << false;
        QTest::newRow("Conflict") << ErrorKind::Conflict << false;
        QTest::newRow("Validation") << ErrorKind::Validation << false;
        QTest::newRow("RateLimited") << ErrorKind::RateLimited << true;
        QTest::newRow("Server") << ErrorKind::Server << true;
        QTest::newRow("BadResponse") << ErrorKind::BadResponse << false;
    }
    void onlyOfflineTimeoutRateLimitedAndServerAreTransient()
    {
        QFETCH(ErrorKind, kind);
        QFETCH(bool, transient);
        QCOMPARE(LightfieldError::isTransient(kind), transient);
        QCOMPARE(LightfieldError(kind, QString()).isTransient(), transient);
        QCOMPARE(LightfieldError::kindName(kind), QString::fromLatin1(QTest::currentDataTag()));
    }

    void statusZeroTakesTheKindFromTheType_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<ErrorKind>("kind");
        QTest::newRow("bad_request") << "bad_request" << ErrorKind::Validation;
        QTest::newRow("unauthorized") << "unauthorized" << ErrorKind::Unauthorized;
        QTest::newRow("forbidden") << "forbidden" << ErrorKind::Forbidden;
        QTest::newRow("not_found") << "not_found" << ErrorKind::NotFound;
        QTest::newRow("conflict") << "conflict" << ErrorKind::Conflict;
        QTest::newRow("idempotency_conflict") << "idempotency_conflict" << ErrorKind::Conflict;
        QTest::newRow("unsupported_media_type")
            << "unsupported_media_type" << ErrorKind::Validation;
        QTest::newRow("unprocessable_content") << "unprocessable_content" << ErrorKind::Validation;
        QTest::newRow("too_many_requests") << "too_many_requests" << ErrorKind::RateLimited;
        QTest::newRow("internal_server_error") << "internal_server_error" << ErrorKind::Server;
        QTest::newRow("service_unavailable") << "service_unavailable" << ErrorKind::Server;
        QTest::newRow("unknown") << "teapot" << ErrorKind::BadResponse;
    }
    void statusZeroTakesTheKindFromTheType()
    {
        QFETCH(QString, type);
        QFETCH(ErrorKind, kind);
        QCOMPARE(LightfieldError::fromErrorType(type), kind);
        const LightfieldError error
            = LightfieldError::fromJson(0, QJsonObject {{QStringLiteral("type"), type}});
        QCOMPARE(error.kind(), kind);
    }

    void statusWinsOverTheBodyType()
    {
        const LightfieldError error
            = LightfieldError::fromHttpResponse(503, R"({"type":"bad_request","message":"odd"})");
        QCOMPARE(error.kind(), ErrorKind::Server);
        QCOMPARE(error.type(), QStringLiteral("bad_request"));
    }

    void idempotencyConflictIsRecognised_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("idempotency");
        QTest::newRow("type, unwrapped")
            << QByteArray(R"({"type":"idempotency_conflict","message":"in flight"})") << true;
        QTest::newRow("type, wrapped")
            << QByteArray(R"({"error":{"type":"idempotency_conflict","message":"in flight"}})")
            << true;
        QTest::newRow("code") << QByteArray(
            R"({"error":{"type":"conflict","message":"x","code":"idempotency_conflict"}})")
                              << true;
        QTest::newRow("plain conflict")
            << QByteArray(R"({"error":{"type":"conflict","message":"locked"}})") << false;
    }
    void idempotencyConflictIsRecognised()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, idempotency);
        const LightfieldError error = LightfieldError::fromHttpResponse(409, body);
        QCOMPARE(error.kind(), ErrorKind::Conflict);
        QCOMPARE(error.isIdempotencyConflict(), idempotency);
        QVERIFY(!error.isTransient());
    }

    void transportFactories()
    {
        const LightfieldError offline = LightfieldError::offline(QStringLiteral("refused"));
        QCOMPARE(offline.kind(), ErrorKind::Offline);
        QCOMPARE(offline.httpStatus(), 0);
        QCOMPARE(offline.message(), QStringLiteral("refused"));
        QVERIFY(offline.isTransient());
        QCOMPARE(LightfieldError::timeout().kind(), ErrorKind::Timeout);
        QCOMPARE(LightfieldError().kind(), ErrorKind::BadResponse);
    }

    void retryAfterIsUnsetUntilGiven()
    {
        LightfieldError error = LightfieldError::fromHttpResponse(429, QByteArray());
        QCOMPARE(error.retryAfterMs(), qint64(-1));
        error.setRetryAfterMs(1500);
        QCOMPARE(error.retryAfterMs(), qint64(1500));
    }

    void debugStringNamesKindStatusTypeCodeAndParam()
    {
        const LightfieldError error = LightfieldError::fromHttpResponse(422,
            R"({"error":{"type":"unprocessable_content","message":"Too many",)"
            R"("code":"relationship_write_limit_exceeded","param":"relationships.$champion"}})");
        QCOMPARE(error.debugString(),
            QStringLiteral("Validation 422 unprocessable_content/"
                           "relationship_write_limit_exceeded (relationships.$champion): "
                           "Too many"));
    }

    void kindNumbersAreStable()
    {
        // Persisted with failed Outbox rows.
        QCOMPARE(static_cast<int>(ErrorKind::Offline), 0);
        QCOMPARE(static_cast<int>(ErrorKind::Validation), 6);
        QCOMPARE(static_cast<int>(ErrorKind::BadResponse), 9);
    }
};

QTEST_GUILESS_MAIN(TestLightfieldError)
#include "tst_lightfielderror.moc"
