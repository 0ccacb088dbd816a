#include "net/lightfieldclient.h"
#include "domain/json.h"

#include "appinfo.h"
#include "logging.h"
#include "net/pager.h"
#include "net/secretredactor.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSysInfo>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <memory>

namespace {

QString opportunitiesPath()
{
    return QStringLiteral("/v1/opportunities");
}

/** Network errors that mean "no usable answer arrived": worth another try for a read. */
bool isConnectionError(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
    case QNetworkReply::ProtocolFailure:
    case QNetworkReply::InternalServerError:
    case QNetworkReply::ServiceUnavailableError:
    case QNetworkReply::UnknownServerError:
        return true;
    default:
        return false;
    }
}

QByteArray rawHeader(const QNetworkReply *reply, const char *name)
{
    return reply->rawHeader(QByteArray(name));
}

/** `json` with every string passed through SecretRedactor::redact(). */
QJsonValue redactedJson(const QJsonValue &json)
{
    if (json.isString())
        return SecretRedactor::redact(json.toString());
    if (json.isArray()) {
        QJsonArray array = json.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            array.replace(i, redactedJson(array.at(i)));
        return array;
    }
    if (json.isObject()) {
        QJsonObject object = json.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            it.value() = redactedJson(it.value());
        return object;
    }
    return json;
}

} // namespace

LightfieldClient::LightfieldClient(QNetworkAccessManager *nam, Options options, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_apiKey(options.apiKey)
    , m_transferTimeoutMs(qMax(1, options.transferTimeoutMs))
    , m_maxResponseBytes(qMax<qint64>(1, options.maxResponseBytes))
    , m_retry(options.retry, options.random)
    , m_limiter(options.ratePerSecond)
    , m_monotonic(std::move(options.monotonicClock))
    , m_wallClock(std::move(options.wallClock))
{
    Q_ASSERT(nam);
    if (!m_monotonic) {
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        m_monotonic = [timer] { return timer->elapsed(); };
    }
    if (!m_wallClock)
        m_wallClock = [] { return QDateTime::currentDateTimeUtc(); };
    setBaseUrl(options.baseUrl);
}

LightfieldClient::~LightfieldClient()
{
    // Abandon the calls while the members their clean-up touches still exist.
    const auto calls = findChildren<LightfieldCall *>(Qt::FindDirectChildrenOnly);
    for (LightfieldCall *call : calls)
        delete call;
}

bool LightfieldClient::setBaseUrl(const QUrl &url)
{
    const BaseUrlPolicy::Resolved checked
        = BaseUrlPolicy::check(url.toString(QUrl::FullyEncoded), QStringLiteral("options"));
    m_baseUrl = checked.url;
    m_baseUrlError = checked.error;
    if (!checked.isValid())
        qCWarning(lcNet).noquote() << "Base URL refused:" << checked.error;
    return checked.isValid();
}

void LightfieldClient::setApiKey(const QString &apiKey)
{
    m_apiKey = apiKey;
}

void LightfieldClient::setSchema(const ObjectSchema &schema)
{
    m_schemas.insert(schema.objectType(), schema);
}

QByteArray LightfieldClient::userAgent()
{
    return QByteArray(AppInfo::kExecutable) + '/' + AppInfo::kVersion + " (" + AppInfo::kName
        + "; Qt " + qVersion() + "; " + QSysInfo::kernelType().toLatin1() + ')';
}

// ---------------------------------------------------------------------------------------------
// The request path
// ---------------------------------------------------------------------------------------------

LightfieldCall *LightfieldClient::start(
    const Spec &spec, QObject *context, OutcomeHandler handler, const QString &refusal)
{
    auto *call = new LightfieldCall(spec.method, spec.path, spec.category, this);
    call->m_query = spec.query;
    call->m_body = spec.body;
    call->m_idempotencyKey = spec.idempotencyKey;
    call->m_isWrite = spec.method == "POST";
    call->m_retryGarbled = spec.retryGarbled && !call->m_isWrite;
    m_handlers.insert(call, std::move(handler));
    connect(call, &QObject::destroyed, this, [this, call] { m_handlers.remove(call); });
    if (context && context != this)
        connect(context, &QObject::destroyed, call, &LightfieldCall::abandon);

    // Calls never complete synchronously: even a refused base URL answers from the event loop.
    QTimer::singleShot(0, call, [this, call, refusal] {
        if (!refusal.isEmpty()) {
            finish(call, LightfieldError(ErrorKind::Validation, refusal));
            return;
        }
        if (!m_baseUrl.isValid()) {
            finish(call, LightfieldError(ErrorKind::Validation, m_baseUrlError));
            return;
        }
        attempt(call);
    });
    return call;
}

void LightfieldClient::attempt(LightfieldCall *call)
{
    const qint64 waitMs = m_limiter.reserve(call->m_category, nowMs());
    if (waitMs <= 0) {
        send(call);
        return;
    }
    qCDebug(lcNet).noquote() << call->m_method << call->m_path << "paced for" << waitMs << "ms";
    QTimer::singleShot(
        std::chrono::milliseconds(waitMs), Qt::PreciseTimer, call, [this, call] { send(call); });
}

void LightfieldClient::send(LightfieldCall *call)
{
    if (!m_nam) {
        finish(call, LightfieldError::offline(QStringLiteral("No network access manager.")));
        return;
    }
    QUrl url = m_baseUrl;
    url.setPath(m_baseUrl.path() + call->m_path);
    if (!call->m_query.isEmpty())
        url.setQuery(QString::fromLatin1(call->m_query), QUrl::StrictMode);

    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + m_apiKey.toUtf8());
    request.setRawHeader("Lightfield-Version", kApiVersion);
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("User-Agent", userAgent());
    request.setRawHeader("X-Request-ID", QUuid::createUuid().toByteArray(QUuid::WithoutBraces));
    if (call->m_isWrite) {
        request.setRawHeader("Content-Type", "application/json");
        if (!call->m_idempotencyKey.isEmpty())
            request.setRawHeader("Idempotency-Key", call->m_idempotencyKey.toUtf8());
    }
    request.setTransferTimeout(m_transferTimeoutMs);
    // A redirect would carry the Authorization header to wherever it points.
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(
        QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);

    ++call->m_attempts;
    call->m_tooLarge = false;
    QNetworkReply *reply
        = call->m_isWrite ? m_nam->post(request, call->m_body) : m_nam->get(request);
    call->m_reply = reply;
    // The body cap: checked on the announced length and on every chunk, so a server that never
    // stops sending is cut off without buffering more than the cap.
    const qint64 cap = m_maxResponseBytes;
    auto tooLarge = [call, reply] {
        if (call->m_tooLarge)
            return;
        call->m_tooLarge = true;
        reply->abort();
    };
    connect(reply, &QNetworkReply::metaDataChanged, call, [reply, cap, tooLarge] {
        bool ok = false;
        const qint64 length = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&ok);
        if (ok && length > cap)
            tooLarge();
    });
    connect(reply, &QNetworkReply::downloadProgress, call,
        [cap, tooLarge](qint64 received, qint64 total) {
            if (received > cap || total > cap)
                tooLarge();
        });
    connect(
        reply, &QNetworkReply::finished, call, [this, call, reply] { handleReply(call, reply); });
}

bool LightfieldClient::shouldRetry(
    const LightfieldCall *call, const LightfieldError &error, bool noResponse) const
{
    if (!m_retry.canRetry(call->m_attempts))
        return false;
    if (error.kind() == ErrorKind::RateLimited)
        return !m_retry.retryAfterTooLong(
            error.retryAfterMs() >= 0 ? std::optional<qint64>(error.retryAfterMs()) : std::nullopt);
    if (call->m_isWrite) {
        // The server certainly did not run the write: safe to send the same bytes and key again.
        return error.kind() == ErrorKind::Conflict && error.isIdempotencyConflict()
            && !call->m_idempotencyKey.isEmpty();
    }
    if (noResponse)
        return true;
    const int status = error.httpStatus();
    return status == 408 || (status >= 500 && status < 600);
}

void LightfieldClient::handleReply(LightfieldCall *call, QNetworkReply *reply)
{
    call->m_reply = nullptr;
    reply->deleteLater();

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError networkError = reply->error();
    const QByteArray body = reply->isReadable() ? reply->readAll() : QByteArray();
    const qint64 now = nowMs();

    // Correct the pacing from every response that has the headers, errors included.
    if (status > 0) {
        m_limiter.updateFromHeaders(call->m_category, now, rawHeader(reply, "X-RateLimit-Limit"),
            rawHeader(reply, "X-RateLimit-Remaining"));
    }
    qCDebug(lcNet).noquote() << call->m_method << call->m_path << "->" << status << "attempt"
                             << call->m_attempts << "request id" << rawHeader(reply, "X-Request-Id")
                             << "network error" << int(networkError);

    Outcome outcome;
    bool noResponse = false;
    bool garbled = false; ///< a 2xx whose body is not JSON: a read may come right next time
    if (call->m_tooLarge) {
        // Not retried: the same request would bring the same body.
        outcome = LightfieldError(ErrorKind::BadResponse,
            QStringLiteral("The response is too large (more than %1 bytes).")
                .arg(m_maxResponseBytes),
            status);
    } else if (status >= 400) {
        outcome = errorFromResponse(status, body, rawHeader(reply, "Retry-After"),
            rawHeader(reply, "Retry-After-Ms"), m_wallClock());
    } else if (networkError != QNetworkReply::NoError) {
        // No status, or a 2xx whose body was cut short: the connection failed. A cut-short write
        // response may follow an applied write, so this stays transient (Offline), never
        // BadResponse: the Outbox then resends with the same key and the server replays.
        noResponse = true;
        if (networkError == QNetworkReply::TimeoutError
            || networkError == QNetworkReply::OperationCanceledError) {
            outcome = LightfieldError::timeout(
                QStringLiteral("No answer within %1 ms.").arg(m_transferTimeoutMs));
        } else if (isConnectionError(networkError) || status > 0) {
            outcome = LightfieldError::offline(reply->errorString());
        } else {
            // TLS failures and the like: no retry will fix them.
            noResponse = false;
            outcome = LightfieldError::offline(reply->errorString());
        }
    } else if (status < 200 || status >= 300) {
        outcome = LightfieldError(ErrorKind::BadResponse,
            QStringLiteral("Unexpected HTTP status %1.").arg(status), status);
    } else {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
            outcome = LightfieldError(ErrorKind::BadResponse,
                QStringLiteral("The response is not a JSON object (%1 at offset %2).")
                    .arg(parseError.errorString())
                    .arg(parseError.offset),
                status);
            // A proxy or a cut connection can garble one answer: a read is safe to repeat
            // (through the same retry policy). A write is not: it may have been applied.
            garbled = call->m_retryGarbled;
        } else {
            outcome = document.object();
        }
    }

    if (const auto *error = std::get_if<LightfieldError>(&outcome)) {
        if (error->kind() == ErrorKind::RateLimited) {
            m_limiter.block(call->m_category, now,
                error->retryAfterMs() >= 0 ? error->retryAfterMs() : m_retry.backoffCeilingMs(1));
        }
        if (shouldRetry(call, *error, noResponse || garbled)) {
            std::optional<qint64> retryAfter = error->retryAfterMs() >= 0
                ? std::optional<qint64>(error->retryAfterMs())
                : std::nullopt;
            // The same key is still being processed: give it at least the base delay rather
            // than a jittered near-zero wait that would only conflict again.
            if (error->isIdempotencyConflict())
                retryAfter = qMax(retryAfter.value_or(0), m_retry.settings().baseDelayMs);
            const qint64 delay = m_retry.delayMs(call->m_attempts, retryAfter);
            qCInfo(lcNet).noquote()
                << call->m_method << call->m_path << "failed (" << error->debugString()
                << "); retry" << call->m_attempts << "in" << delay << "ms";
            Q_EMIT retryScheduled(RetryEvent {
                call->m_method, call->m_path, call->m_category, call->m_attempts, delay, *error});
            QTimer::singleShot(std::chrono::milliseconds(delay), Qt::PreciseTimer, call,
                [this, call] { attempt(call); });
            return;
        }
    }
    finish(call, outcome);
}

void LightfieldClient::finish(LightfieldCall *call, const Outcome &outcome)
{
    if (call->m_finished || call->m_abandoned)
        return;
    call->m_finished = true;
    if (const auto *error = std::get_if<LightfieldError>(&outcome)) {
        qCInfo(lcNet).noquote() << call->m_method << call->m_path << "failed after"
                                << call->m_attempts << "attempt(s):" << error->debugString();
        Q_EMIT callFailed(*error);
    }
    const OutcomeHandler handler = m_handlers.take(call);
    if (handler)
        handler(outcome, call->m_attempts);
    Q_EMIT call->finished(LightfieldCall::QPrivateSignal());
    call->deleteLater();
}

// ---------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------

QString LightfieldClient::decodeProblem(const QJsonValue &row)
{
    if (!row.isObject())
        return QStringLiteral("not a JSON object");
    const QJsonObject object = row.toObject();
    const QJsonValue id = object.value(QLatin1String("id"));
    if (!id.isString() || id.toString().isEmpty())
        return QStringLiteral("no id");
    for (const QLatin1String member : {QLatin1String("fields"), QLatin1String("relationships")}) {
        const QJsonValue value = object.value(member);
        if (!value.isUndefined() && !value.isNull() && !value.isObject())
            return QStringLiteral("'%1' is not an object").arg(member);
    }
    return {};
}

LightfieldError LightfieldClient::errorFromResponse(int httpStatus, const QByteArray &body,
    const QByteArray &retryAfter, const QByteArray &retryAfterMs, const QDateTime &nowUtc)
{
    // A server or proxy that echoes the request ("invalid header Authorization: Bearer sk_lf_…")
    // must not put the key into the error: its message reaches the rep, the outbox's parked
    // reasons (on disk) and the logs. Redacted after parsing, so that a key spelled with JSON
    // escapes is caught too.
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    const QJsonObject details
        = document.isObject() ? redactedJson(document.object()).toObject() : QJsonObject();
    LightfieldError error = LightfieldError::fromJson(httpStatus, details);
    const auto wait = RetryPolicy::parseRetryAfter(retryAfter, retryAfterMs, nowUtc);
    if (wait)
        error.setRetryAfterMs(*wait);
    return error;
}

Record LightfieldClient::decodeRecord(const QJsonObject &json, const QString &objectType) const
{
    const auto schema = m_schemas.constFind(objectType);
    if (schema != m_schemas.constEnd())
        return Record::fromJson(json, *schema);
    return Record::fromJson(json);
}

LightfieldClient::OutcomeHandler LightfieldClient::recordHandler(
    QObject *context, const QString &objectType, RecordCallback done) const
{
    return [this, guard = QPointer<QObject>(context), objectType, done = std::move(done)](
               const Outcome &outcome, int attempts) {
        if (!guard)
            return;
        if (const auto *error = std::get_if<LightfieldError>(&outcome)) {
            done(RecordResult(*error, attempts));
            return;
        }
        const QJsonObject json = std::get<QJsonObject>(outcome);
        const QString problem = decodeProblem(json);
        if (!problem.isEmpty()) {
            done(RecordResult(
                LightfieldError(ErrorKind::BadResponse,
                    QStringLiteral("A record that cannot be read (%1).").arg(problem), 200),
                attempts));
            return;
        }
        const Record record = decodeRecord(json, objectType);
        done(RecordResult(record, attempts));
    };
}

LightfieldCall *LightfieldClient::getRecord(
    const QString &path, const QString &objectType, QObject *context, RecordCallback done)
{
    context = context ? context : this;
    return start({"GET", path, {}, {}, {}, RateCategory::Read}, context,
        recordHandler(context, objectType, std::move(done)));
}

LightfieldCall *LightfieldClient::writeRecord(const QString &path, const QString &objectType,
    const QByteArray &body, const QString &idempotencyKey, QObject *context, RecordCallback done)
{
    context = context ? context : this;
    // Qt itself resends a request whose connection closed before the answer (up to twice, POSTs
    // included): without a key that could apply the write several times.
    const QString refusal = idempotencyKey.trimmed().isEmpty()
        ? QStringLiteral("A write needs an Idempotency-Key.")
        : QString();
    return start({"POST", path, {}, body, idempotencyKey, RateCategory::Write}, context,
        recordHandler(context, objectType, std::move(done)), refusal);
}

LightfieldCall *LightfieldClient::getPage(const QString &path, const QString &objectType,
    const ListQuery &query, QObject *context, PageCallback done)
{
    context = context ? context : this;
    QPointer<QObject> guard(context);
    const int limit = qBound(1, query.limit, ListQuery::kMaxLimit);
    const int offset = qMax(0, query.offset);
    return start({"GET", path, query.toQueryString(), {}, {}, RateCategory::Search}, context,
        [this, guard, objectType, limit, offset, done = std::move(done)](
            const Outcome &outcome, int attempts) {
            if (!guard)
                return;
            if (const auto *error = std::get_if<LightfieldError>(&outcome)) {
                done(PageResult(*error, attempts));
                return;
            }
            const QJsonObject json = std::get<QJsonObject>(outcome);
            const QJsonValue data = json.value(QLatin1String("data"));
            if (!data.isArray()) {
                done(PageResult(LightfieldError(ErrorKind::BadResponse,
                                    QStringLiteral("A list without 'data'."), 200),
                    attempts));
                return;
            }
            Page page;
            page.offset = offset;
            page.limit = limit;
            const QJsonArray rows = data.toArray();
            page.rowCount = int(rows.size());
            page.records.reserve(rows.size());
            for (const QJsonValue &row : rows) {
                const QString problem = decodeProblem(row);
                if (problem.isEmpty()) {
                    page.records.append(decodeRecord(row.toObject(), objectType));
                    continue;
                }
                // Kept as received: dropping it would shorten the page (read as the last one)
                // and hide the record from the user.
                UndecodableRow raw;
                const QByteArray wrapped = Json::compact(QJsonArray {row});
                raw.json = wrapped.mid(1, wrapped.size() - 2);
                const QJsonValue id = row.toObject().value(QLatin1String("id"));
                raw.key = id.isString() && !id.toString().isEmpty() ? id.toString()
                                                                    : QStringLiteral("undecodable:")
                        + QString::fromLatin1(
                            QCryptographicHash::hash(raw.json, QCryptographicHash::Sha1).toHex());
                raw.reason = problem;
                qCWarning(lcNet).noquote()
                    << "a" << objectType << "row could not be decoded:" << problem;
                page.undecodable.append(std::move(raw));
            }
            // Without a readable totalCount, the rows received so far are the only hint.
            page.totalCount = json.value(QLatin1String("totalCount")).toInt(-1);
            if (page.totalCount < 0)
                page.totalCount = offset + page.rowCount;
            done(PageResult(page, attempts));
        });
}

LightfieldCall *LightfieldClient::getDefinitions(
    const QString &path, QObject *context, SchemaCallback done)
{
    context = context ? context : this;
    QPointer<QObject> guard(context);
    return start({"GET", path, {}, {}, {}, RateCategory::Read}, context,
        [guard, done = std::move(done)](const Outcome &outcome, int attempts) {
            if (!guard)
                return;
            if (const auto *error = std::get_if<LightfieldError>(&outcome)) {
                done(SchemaResult(*error, attempts));
                return;
            }
            const QJsonObject json = std::get<QJsonObject>(outcome);
            if (!json.value(QLatin1String("fieldDefinitions")).isObject()
                && !json.value(QLatin1String("fieldDefinitions")).isArray()) {
                done(SchemaResult(
                    LightfieldError(ErrorKind::BadResponse,
                        QStringLiteral("Definitions without 'fieldDefinitions'."), 200),
                    attempts));
                return;
            }
            done(SchemaResult(ObjectSchema::fromDefinitionsJson(json), attempts));
        });
}

// ---------------------------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------------------------

LightfieldCall *LightfieldClient::listOpportunities(
    const ListQuery &query, QObject *context, PageCallback done)
{
    return getPage(
        opportunitiesPath(), QStringLiteral("opportunity"), query, context, std::move(done));
}

LightfieldCall *LightfieldClient::retrieveOpportunity(
    const QString &id, QObject *context, RecordCallback done)
{
    return getRecord(
        opportunitiesPath() + QLatin1Char('/') + QString::fromLatin1(QUrl::toPercentEncoding(id)),
        QStringLiteral("opportunity"), context, std::move(done));
}

LightfieldCall *LightfieldClient::createOpportunity(
    const QByteArray &body, const QString &idempotencyKey, QObject *context, RecordCallback done)
{
    return writeRecord(opportunitiesPath(), QStringLiteral("opportunity"), body, idempotencyKey,
        context, std::move(done));
}

LightfieldCall *LightfieldClient::createOpportunity(
    const ChangeSet &changes, const QString &idempotencyKey, QObject *context, RecordCallback done)
{
    return createOpportunity(changes.toCreateBody(), idempotencyKey, context, std::move(done));
}

LightfieldCall *LightfieldClient::updateOpportunity(const QString &id, const QByteArray &body,
    const QString &idempotencyKey, QObject *context, RecordCallback done)
{
    return writeRecord(
        opportunitiesPath() + QLatin1Char('/') + QString::fromLatin1(QUrl::toPercentEncoding(id)),
        QStringLiteral("opportunity"), body, idempotencyKey, context, std::move(done));
}

LightfieldCall *LightfieldClient::updateOpportunity(const QString &id, const ChangeSet &changes,
    const QString &idempotencyKey, QObject *context, RecordCallback done)
{
    return updateOpportunity(id, changes.toUpdateBody(), idempotencyKey, context, std::move(done));
}

LightfieldCall *LightfieldClient::opportunityDefinitions(QObject *context, SchemaCallback done)
{
    return getDefinitions(
        QStringLiteral("/v1/opportunities/definitions"), context, std::move(done));
}

LightfieldCall *LightfieldClient::listAccounts(
    const ListQuery &query, QObject *context, PageCallback done)
{
    return getPage(
        QStringLiteral("/v1/accounts"), QStringLiteral("account"), query, context, std::move(done));
}

LightfieldCall *LightfieldClient::retrieveAccount(
    const QString &id, QObject *context, RecordCallback done)
{
    return getRecord(
        QStringLiteral("/v1/accounts/") + QString::fromLatin1(QUrl::toPercentEncoding(id)),
        QStringLiteral("account"), context, std::move(done));
}

LightfieldCall *LightfieldClient::accountDefinitions(QObject *context, SchemaCallback done)
{
    return getDefinitions(QStringLiteral("/v1/accounts/definitions"), context, std::move(done));
}

LightfieldCall *LightfieldClient::listMembers(
    const ListQuery &query, QObject *context, PageCallback done)
{
    return getPage(
        QStringLiteral("/v1/members"), QStringLiteral("member"), query, context, std::move(done));
}

LightfieldCall *LightfieldClient::retrieveMember(
    const QString &id, QObject *context, RecordCallback done)
{
    return getRecord(
        QStringLiteral("/v1/members/") + QString::fromLatin1(QUrl::toPercentEncoding(id)),
        QStringLiteral("member"), context, std::move(done));
}

LightfieldCall *LightfieldClient::listContacts(
    const ListQuery &query, QObject *context, PageCallback done)
{
    return getPage(
        QStringLiteral("/v1/contacts"), QStringLiteral("contact"), query, context, std::move(done));
}

LightfieldCall *LightfieldClient::retrieveContact(
    const QString &id, QObject *context, RecordCallback done)
{
    return getRecord(
        QStringLiteral("/v1/contacts/") + QString::fromLatin1(QUrl::toPercentEncoding(id)),
        QStringLiteral("contact"), context, std::move(done));
}

LightfieldCall *LightfieldClient::contactDefinitions(QObject *context, SchemaCallback done)
{
    return getDefinitions(QStringLiteral("/v1/contacts/definitions"), context, std::move(done));
}

LightfieldCall *LightfieldClient::listLists(
    const ListQuery &query, QObject *context, PageCallback done)
{
    return getPage(
        QStringLiteral("/v1/lists"), QStringLiteral("list"), query, context, std::move(done));
}

LightfieldCall *LightfieldClient::listOpportunitiesInList(
    const QString &listId, const ListQuery &query, QObject *context, PageCallback done)
{
    return getPage(QStringLiteral("/v1/lists/")
            + QString::fromLatin1(QUrl::toPercentEncoding(listId))
            + QStringLiteral("/opportunities"),
        QStringLiteral("opportunity"), query, context, std::move(done));
}

LightfieldCall *LightfieldClient::validateKey(QObject *context, KeyInfoCallback done)
{
    context = context ? context : this;
    QPointer<QObject> guard(context);
    // A garbled answer is not retried: it already says what the key check and the connectivity
    // probe need to know (the server answered, not in the documented shape).
    return start(
        {"GET", QStringLiteral("/v1/auth/validate"), {}, {}, {}, RateCategory::Read, false},
        context, [guard, done = std::move(done)](const Outcome &outcome, int attempts) {
            if (!guard)
                return;
            if (const auto *error = std::get_if<LightfieldError>(&outcome)) {
                done(KeyInfoResult(*error, attempts));
                return;
            }
            const QJsonObject json = std::get<QJsonObject>(outcome);
            // Without both members the answer says nothing about the key: a missing `scopes`
            // must not read as the empty list, which the API documents as full access.
            const QJsonValue active = json.value(QLatin1String("active"));
            const QJsonValue scopesValue = json.value(QLatin1String("scopes"));
            const QJsonArray scopes = scopesValue.toArray();
            const bool scopesAreStrings = scopesValue.isArray()
                && std::all_of(scopes.begin(), scopes.end(),
                    [](const QJsonValue &scope) { return scope.isString(); });
            if (!active.isBool() || !scopesAreStrings) {
                done(KeyInfoResult(LightfieldError(ErrorKind::BadResponse,
                                       QStringLiteral("The key check answered without a boolean "
                                                      "'active' and a 'scopes' list."),
                                       200),
                    attempts));
                return;
            }
            KeyInfo info;
            info.active = active.toBool();
            for (const QJsonValue &scope : scopes)
                info.scopes.append(scope.toString());
            info.subjectType = json.value(QLatin1String("subjectType")).toString();
            info.tokenType = json.value(QLatin1String("tokenType")).toString();
            done(KeyInfoResult(info, attempts));
        });
}

LightfieldCall *LightfieldClient::listPage(ListEndpoint endpoint, const QString &listId,
    const ListQuery &query, QObject *context, PageCallback done)
{
    switch (endpoint) {
    case ListEndpoint::Opportunities:
        return listOpportunities(query, context, std::move(done));
    case ListEndpoint::Accounts:
        return listAccounts(query, context, std::move(done));
    case ListEndpoint::Members:
        return listMembers(query, context, std::move(done));
    case ListEndpoint::Contacts:
        return listContacts(query, context, std::move(done));
    case ListEndpoint::Lists:
        return listLists(query, context, std::move(done));
    case ListEndpoint::OpportunitiesInList:
        break;
    }
    return listOpportunitiesInList(listId, query, context, std::move(done));
}

Pager *LightfieldClient::pageAll(
    ListEndpoint endpoint, const ListQuery &filters, QObject *parent, const QString &listId)
{
    QPointer<LightfieldClient> self(this);
    auto fetch = [self, endpoint, listId, filters](int offset, int limit, QObject *context,
                     PageCallback done) -> LightfieldCall * {
        if (!self)
            return nullptr;
        return self->listPage(
            endpoint, listId, filters.atPage(offset, limit), context, std::move(done));
    };
    return new Pager(std::move(fetch), Pager::Settings {}, parent);
}
