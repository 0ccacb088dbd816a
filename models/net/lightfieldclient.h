#pragma once

#include "domain/changeset.h"
#include "domain/objectschema.h"
#include "net/apiresult.h"
#include "net/baseurlpolicy.h"
#include "net/lightfieldcall.h"
#include "net/listquery.h"
#include "net/ratelimiter.h"
#include "net/retrypolicy.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <functional>
#include <variant>

class Pager;
class QNetworkAccessManager;
class QNetworkReply;

/** A retry the client is about to make; see LightfieldClient::retryScheduled(). */
struct RetryEvent
{
    QByteArray method;
    QString path;
    RateCategory category = RateCategory::Read;
    int attemptsMade = 0; ///< attempts already sent (1 before the first retry)
    qint64 delayMs = 0; ///< wait before the next attempt (pacing may add to it)
    LightfieldError error;
};

/** The list endpoints, for Pager (LightfieldClient::pageAll()). */
enum class ListEndpoint : quint8
{
    Opportunities,
    Accounts,
    Members,
    Contacts,
    Lists,
    OpportunitiesInList, ///< needs a list id
};

/**
 * The Lightfield REST API over one injected QNetworkAccessManager.
 *
 * **One request path.** Every call is built → paced → sent with a transfer timeout →
 * classified → decoded here, and nowhere else:
 *  - *build*: base URL (BaseUrlPolicy) + `/v1/…`; headers `Authorization: Bearer <key>`,
 *    `Lightfield-Version: 2026-03-01`, `Accept` / `Content-Type: application/json`,
 *    `User-Agent: lightfield-deals/<version> …`, a fresh `X-Request-ID` per attempt and, on
 *    writes, the caller's `Idempotency-Key`; redirects are not followed (a redirect would carry
 *    the key elsewhere) and are reported as BadResponse;
 *  - *pace*: RateLimiter, one bucket per RateCategory, corrected from `X-RateLimit-*`;
 *  - *send*: QNetworkRequest::setTransferTimeout(Options::transferTimeoutMs) on every attempt;
 *  - *cap*: a body past Options::maxResponseBytes (16 MiB) is aborted → BadResponse
 *    "response too large", not retried;
 *  - *classify* into LightfieldError: no response → Offline (connection refused / reset /
 *    dropped, or a body cut short — a write may then have been applied, so it stays transient)
 *    or Timeout; HTTP ≥ 400 → errorFromResponse() (both error envelopes, secrets redacted) plus
 *    `Retry-After`; 3xx, or a 2xx whose body is not the expected JSON → BadResponse;
 *  - *decode* into Record / Page / ObjectSchema / KeyInfo. Records are read with the schema
 *    registered for their object type (setSchema()), else by their own `valueType`s; an
 *    unknown `valueType` is kept raw, never an error. A list row that cannot be decoded at all
 *    (decodeProblem()) is kept raw in Page::undecodable; the page's end is decided by its raw
 *    row count (Page::isLast()), never by the rows decoded.
 *
 * **Retries (reads only, and only here).** GETs are retried after connection
 * errors, timeouts, 408, 429, 5xx and a 2xx whose body is not JSON (a garbled answer), up to
 * RetryPolicy::Settings::maxAttempts attempts, with capped exponential backoff and full jitter;
 * `Retry-After` (seconds or HTTP-date) is a floor, and a 429 also holds back every other request of
 * its category. Writes (create/update) are retried only when the server certainly did not run them
 * — 429, and 409 `idempotency_conflict` (the same key still in flight) — with the same bytes and
 * the same key. Everything ambiguous (timeouts, dropped connections, 5xx) is returned to the
 * caller, whose Outbox retries it with the same key later. The client never makes up an
 * Idempotency-Key, and refuses a write without one (Validation, nothing sent): Qt's HTTP stack
 * itself silently resends a request — POSTs included, up to twice — when the connection closes
 * before any answer, so a keyless write could be applied more than once.
 *
 * **Results are values.** Each method takes a context object and a callback that receives an
 * ApiResult exactly once, on this thread, unless the context is destroyed or the returned
 * LightfieldCall is abandoned first (a null context means the client itself). Calls never
 * complete synchronously.
 *
 * The API key is never logged (install SecretRedactor as the safety net) and SSL errors are
 * never ignored. Owns nothing but its calls: the QNetworkAccessManager must outlive it.
 * Not thread-safe: use from the thread that owns the QNetworkAccessManager.
 */
class LightfieldClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LightfieldClient)

public:
    /** The only API version there is. */
    static constexpr char kApiVersion[] = "2026-03-01";
    /** The default cap on a response body (Options::maxResponseBytes): 16 MiB. */
    static constexpr qint64 kDefaultMaxResponseBytes = 16LL * 1024 * 1024;

    struct Options
    {
        /** Checked with BaseUrlPolicy::check(); resolve it with BaseUrlPolicy::resolve(). */
        QUrl baseUrl = BaseUrlPolicy::defaultUrl();
        QString apiKey;
        /** No byte for this long aborts the attempt (QNetworkRequest::setTransferTimeout). */
        int transferTimeoutMs = 30000;
        /**
         * A response body longer than this (announced by Content-Length or counted while it
         * arrives) is aborted: the call fails with a BadResponse "response too large", not
         * retried. 16 MiB is some 10,000 records; a page of 25 is well under 100 KiB.
         */
        qint64 maxResponseBytes = kDefaultMaxResponseBytes;
        RetryPolicy::Settings retry;
        /** Initial rate of every category until the server's headers say otherwise. */
        int ratePerSecond = RateLimiter::kDefaultRate;
        /** Monotonic milliseconds for pacing; default: a QElapsedTimer. */
        std::function<qint64()> monotonicClock;
        /** Wall-clock "now" in UTC, for HTTP-date Retry-After; default: current time. */
        std::function<QDateTime()> wallClock;
        /** Uniform [0, 1) for jitter; default: QRandomGenerator::global(). */
        RetryPolicy::RandomSource random;
    };

    using RecordCallback = std::function<void(const RecordResult &)>;
    using PageCallback = std::function<void(const PageResult &)>;
    using SchemaCallback = std::function<void(const SchemaResult &)>;
    using KeyInfoCallback = std::function<void(const KeyInfoResult &)>;

    /**
     * `nam` is borrowed and must outlive the client. An invalid Options::baseUrl (see
     * BaseUrlPolicy) leaves the client unusable: every call fails with a Validation error that
     * says why (baseUrlError()).
     */
    LightfieldClient(QNetworkAccessManager *nam, Options options, QObject *parent = nullptr);
    ~LightfieldClient() override;

    /** Replaces the base URL; false (and the reason in baseUrlError()) when the policy refuses it.
     */
    bool setBaseUrl(const QUrl &url);
    QUrl baseUrl() const { return m_baseUrl; }
    QString baseUrlError() const { return m_baseUrlError; }

    /** Takes effect for the next attempt, retries included. Never logged. */
    void setApiKey(const QString &apiKey);
    bool hasApiKey() const { return !m_apiKey.isEmpty(); }

    /** Records of schema.objectType() ("opportunity", …) are decoded with this schema from now on.
     */
    void setSchema(const ObjectSchema &schema);
    /** The registered schema, or an empty one. */
    ObjectSchema schema(const QString &objectType) const { return m_schemas.value(objectType); }

    /** "lightfield-deals/0.1.0 (Lightfield Deals; Qt 6.4.2; linux)". */
    static QByteArray userAgent();

    // --- Opportunities -------------------------------------------------------------------
    LightfieldCall *listOpportunities(const ListQuery &query, QObject *context, PageCallback done);
    LightfieldCall *retrieveOpportunity(const QString &id, QObject *context, RecordCallback done);
    /** `body` is sent byte for byte (e.g. ChangeSet::toCreateBody() as stored by the Outbox). */
    LightfieldCall *createOpportunity(const QByteArray &body, const QString &idempotencyKey,
        QObject *context, RecordCallback done);
    LightfieldCall *createOpportunity(const ChangeSet &changes, const QString &idempotencyKey,
        QObject *context, RecordCallback done);
    /** `body` is sent byte for byte (e.g. ChangeSet::toUpdateBody()). */
    LightfieldCall *updateOpportunity(const QString &id, const QByteArray &body,
        const QString &idempotencyKey, QObject *context, RecordCallback done);
    LightfieldCall *updateOpportunity(const QString &id, const ChangeSet &changes,
        const QString &idempotencyKey, QObject *context, RecordCallback done);
    LightfieldCall *opportunityDefinitions(QObject *context, SchemaCallback done);

    // --- Accounts ------------------------------------------------------------------------
    LightfieldCall *listAccounts(const ListQuery &query, QObject *context, PageCallback done);
    LightfieldCall *retrieveAccount(const QString &id, QObject *context, RecordCallback done);
    LightfieldCall *accountDefinitions(QObject *context, SchemaCallback done);

    // --- Members -------------------------------------------------------------------------
    LightfieldCall *listMembers(const ListQuery &query, QObject *context, PageCallback done);
    LightfieldCall *retrieveMember(const QString &id, QObject *context, RecordCallback done);

    // --- Contacts ------------------------------------------------------------------------
    LightfieldCall *listContacts(const ListQuery &query, QObject *context, PageCallback done);
    LightfieldCall *retrieveContact(const QString &id, QObject *context, RecordCallback done);
    LightfieldCall *contactDefinitions(QObject *context, SchemaCallback done);

    // --- Lists ---------------------------------------------------------------------------
    LightfieldCall *listLists(const ListQuery &query, QObject *context, PageCallback done);
    /** `GET /v1/lists/{listId}/opportunities`: full opportunity records. */
    LightfieldCall *listOpportunitiesInList(
        const QString &listId, const ListQuery &query, QObject *context, PageCallback done);

    // --- Auth ----------------------------------------------------------------------------
    LightfieldCall *validateKey(QObject *context, KeyInfoCallback done);

    // --- Generic -------------------------------------------------------------------------
    /** One page of any list endpoint (`listId` only for OpportunitiesInList). */
    LightfieldCall *listPage(ListEndpoint endpoint, const QString &listId, const ListQuery &query,
        QObject *context, PageCallback done);

    /**
     * A Pager over every page of `endpoint` with `filters` (its offset and limit are ignored),
     * not started yet; the caller owns it (`parent`). See Pager.
     */
    Pager *pageAll(ListEndpoint endpoint, const ListQuery &filters, QObject *parent,
        const QString &listId = {});

    /**
     * Why a list row cannot be decoded into a Record: not a JSON object, no non-empty string
     * `id`, `fields` or `relationships` present but not an object. Empty when it can.
     */
    static QString decodeProblem(const QJsonValue &row);

    /**
     * The error of an HTTP response with status ≥ 400, exactly as every call classifies it: the
     * kind and details from the status and the body in either envelope
     * (LightfieldError::fromJson()), every string of the body passed through
     * SecretRedactor::redact() first, and the server's wait from the raw `Retry-After` /
     * `Retry-After-Ms` header values relative to `nowUtc` (RetryPolicy::parseRetryAfter()).
     * Pure apart from the redactor's registered secrets: the unit tests and the fuzzer in
     * tests/fuzz reach the real path without a network.
     */
    static LightfieldError errorFromResponse(int httpStatus, const QByteArray &body,
        const QByteArray &retryAfter, const QByteArray &retryAfterMs, const QDateTime &nowUtc);

    /** The pacing state, for diagnostics and tests. */
    const RateLimiter &rateLimiter() const { return m_limiter; }
    const RetryPolicy &retryPolicy() const { return m_retry; }

Q_SIGNALS:
    /** A retry was scheduled (for a status line: "Lightfield is busy, retrying…"). */
    void retryScheduled(const RetryEvent &event);
    /** A call settled with an error after all its retries (for an offline / auth banner). */
    void callFailed(const LightfieldError &error);

private:
    struct Spec
    {
        QByteArray method;
        QString path;
        QByteArray query;
        QByteArray body;
        QString idempotencyKey;
        RateCategory category = RateCategory::Read;
        /// A read whose 2xx body is not JSON is tried again, unless the unexpected shape is
        /// itself the answer (the key check: a server without the route may send a web page).
        bool retryGarbled = true;
    };
    /** What an attempt sequence ended with: a JSON object or an error. */
    using Outcome = std::variant<QJsonObject, LightfieldError>;
    using OutcomeHandler = std::function<void(const Outcome &, int attempts)>;

    /** A non-empty `refusal` settles the call with that Validation error, nothing sent. */
    LightfieldCall *start(
        const Spec &spec, QObject *context, OutcomeHandler handler, const QString &refusal = {});
    void attempt(LightfieldCall *call);
    void send(LightfieldCall *call);
    void handleReply(LightfieldCall *call, QNetworkReply *reply);
    void finish(LightfieldCall *call, const Outcome &outcome);
    bool shouldRetry(
        const LightfieldCall *call, const LightfieldError &error, bool noResponse) const;

    OutcomeHandler recordHandler(
        QObject *context, const QString &objectType, RecordCallback done) const;
    LightfieldCall *getRecord(
        const QString &path, const QString &objectType, QObject *context, RecordCallback done);
    LightfieldCall *writeRecord(const QString &path, const QString &objectType,
        const QByteArray &body, const QString &idempotencyKey, QObject *context,
        RecordCallback done);
    LightfieldCall *getPage(const QString &path, const QString &objectType, const ListQuery &query,
        QObject *context, PageCallback done);
    LightfieldCall *getDefinitions(const QString &path, QObject *context, SchemaCallback done);

    Record decodeRecord(const QJsonObject &json, const QString &objectType) const;
    qint64 nowMs() const { return m_monotonic(); }

    QPointer<QNetworkAccessManager> m_nam;
    QUrl m_baseUrl;
    QString m_baseUrlError;
    QString m_apiKey;
    int m_transferTimeoutMs;
    qint64 m_maxResponseBytes;
    RetryPolicy m_retry;
    RateLimiter m_limiter;
    std::function<qint64()> m_monotonic;
    std::function<QDateTime()> m_wallClock;
    QHash<QString, ObjectSchema> m_schemas;
    QHash<LightfieldCall *, OutcomeHandler> m_handlers;
};
