// The error of an HTTP response, as LightfieldClient builds it (errorFromResponse()): status,
// Retry-After headers and a body in either error envelope, then the text a rep reads
// (ErrorText::userMessage()).
//
// Input, as an HTTP response without the protocol:
//     <status>\n
//     <Header>: <value>\n        (any number; Retry-After and Retry-After-Ms are read)
//     \n
//     <body>
//
// Properties:
//  - the kind is the status's (or, for status 0, the body `type`'s), one of the defined kinds;
//  - type / message / code / param / extra are the body's, from either envelope, with every
//    string passed through SecretRedactor::redact();
//  - the server's wait is what RetryPolicy::parseRetryAfter() gives: absent, or in
//    [0, kMaxServerDelayMs];
//  - the user message is never empty, with or without a schema;
//  - the API key — one of the usual shape and one registered with SecretRedactor — never
//    appears in the user message, the message or the debug string (which reach the screen,
//    the outbox's parked reasons and the logs), whatever the server echoes back.

#include "api/lightfielderror.h"
#include "fuzzsupport.h"
#include "net/errortext.h"
#include "net/lightfieldclient.h"
#include "net/retrypolicy.h"
#include "net/secretredactor.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>

namespace {

// A key of the usual shape, and one that is not: the redactor knows the second only because
// it was registered (as SecretStore does when it reads or writes a key).
const QString kShapedKey = QStringLiteral("sk_lf_FuzzKey7Qm2xR");
const QString kRegisteredKey = QStringLiteral("fz-Secret-91x7Kw");

struct Response
{
    int status = 0;
    QByteArray retryAfter;
    QByteArray retryAfterMs;
    QByteArray body;
};

Response parse(const QByteArray &input)
{
    Response response;
    qsizetype at = 0;
    const auto nextLine = [&input, &at] {
        qsizetype end = input.indexOf('\n', at);
        if (end < 0)
            end = input.size();
        QByteArray line = input.mid(at, end - at);
        at = end + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        return line;
    };
    response.status = nextLine().trimmed().toInt();
    while (at < input.size()) {
        const QByteArray line = nextLine();
        if (line.isEmpty())
            break;
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1);
        if (name == "retry-after")
            response.retryAfter = value;
        else if (name == "retry-after-ms")
            response.retryAfterMs = value;
    }
    if (at < input.size())
        response.body = input.mid(at);
    return response;
}

QJsonValue redacted(const QJsonValue &json)
{
    if (json.isString())
        return SecretRedactor::redact(json.toString());
    if (json.isArray()) {
        QJsonArray array;
        for (const QJsonValue &entry : json.toArray())
            array.append(redacted(entry));
        return array;
    }
    if (json.isObject()) {
        QJsonObject object = json.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            it.value() = redacted(it.value());
        return object;
    }
    return json;
}

bool holdsKey(const QString &text)
{
    return text.contains(kShapedKey) || text.contains(kRegisteredKey);
}

void checkNoKey(const QString &text, const char *what)
{
    CHECK_MSG(!holdsKey(text), QStringLiteral("%1: %2").arg(QLatin1String(what), text));
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    SecretRedactor::addSecret(kRegisteredKey);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const Response response = parse(FuzzSupport::bytes(data, size));
    const QDateTime now(QDate(2026, 11, 23), QTime(10, 0, 0), Qt::UTC);
    const LightfieldError error = LightfieldClient::errorFromResponse(
        response.status, response.body, response.retryAfter, response.retryAfterMs, now);

    // The kind.
    const int kind = int(error.kind());
    CHECK(kind >= int(ErrorKind::Offline) && kind <= int(ErrorKind::BadResponse));
    CHECK(error.httpStatus() == response.status);
    if (response.status != 0)
        CHECK(error.kind() == LightfieldError::fromHttpStatus(response.status));
    else
        CHECK(error.kind() == LightfieldError::fromErrorType(error.type()));
    CHECK(!LightfieldError::kindName(error.kind()).isEmpty());

    // The details, from either envelope, each string as the redactor leaves it.
    const QJsonObject body = redacted(QJsonDocument::fromJson(response.body).object()).toObject();
    QJsonObject details = body;
    const QJsonValue wrapped = body.value(QLatin1String("error"));
    if (wrapped.isObject())
        details = wrapped.toObject();
    else if (wrapped.isString())
        details = QJsonObject {{QStringLiteral("message"), wrapped}};
    const auto member = [&details](const char *key) {
        const QJsonValue value = details.take(QLatin1String(key));
        return value.isString() ? value.toString() : QString();
    };
    CHECK(error.type() == member("type"));
    CHECK(error.message() == member("message"));
    CHECK(error.code() == member("code"));
    CHECK(error.param() == member("param"));
    CHECK(error.extra() == details);

    // The wait.
    const std::optional<qint64> wait
        = RetryPolicy::parseRetryAfter(response.retryAfter, response.retryAfterMs, now);
    CHECK(error.retryAfterMs() == (wait ? *wait : -1));
    CHECK(error.retryAfterMs() == -1
        || (error.retryAfterMs() >= 0 && error.retryAfterMs() <= RetryPolicy::kMaxServerDelayMs));

    // What the rep reads, what is logged: never empty, never the key.
    const QString message = ErrorText::userMessage(error);
    const QString withLabels = ErrorText::userMessage(error, &FuzzSupport::schema());
    CHECK(!message.trimmed().isEmpty());
    CHECK(!withLabels.trimmed().isEmpty());
    checkNoKey(message, "user message");
    checkNoKey(withLabels, "user message with labels");
    checkNoKey(error.message(), "message");
    checkNoKey(error.debugString(), "debug string");
    CHECK(!error.debugString().isEmpty());
    return 0;
}
