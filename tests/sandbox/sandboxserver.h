#pragma once

#include "sandboxclock.h"
#include "sandboxerror.h"
#include "sandboxstore.h"

#include <QAbstractHttpServer>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QPointer>
#include <QRandomGenerator>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>

class QTcpServer;
class QTcpSocket;

/// Fault switches. Rates are probabilities 0…1 drawn per request
/// from a generator seeded with `seed`, so a run is reproducible.
struct SandboxFaults
{
    quint32 seed = 1;
    int latencyMs = 0; ///< added to every /v1 response
    int jitterMs = 0; ///< plus uniform [0, jitterMs]
    double rate500 = 0; ///< 500 internal_server_error, write not applied
    double rate503 = 0; ///< 503 service_unavailable with Retry-After: 1, write not applied
    double rate408 = 0; ///< 408 request timeout, write not applied
    double rate429 = 0; ///< 429 too_many_requests with Retry-After: 1 (beyond the real limiter)
    double rateDropAfterWrite = 0; ///< writes only: apply, then drop the connection unanswered
    double rateHang = 0; ///< never answer (the connection stays open until the client gives up)
    double rateTruncate = 0; ///< 200 with a Content-Length longer than the body sent, then close
    double rateMalformed = 0; ///< 200 with a body that is not JSON
    double rateUnknownValueType
        = 0; ///< a record in the response gets a field of valueType "HOLOGRAM"
    /// Injected 429 / 503 say Retry-After as an HTTP date (RFC 9110) instead of seconds.
    bool retryAfterAsDate = false;
    /// When not empty, injected 429 / 503 send this `Retry-After` verbatim ("1e300", "-5", …).
    QString retryAfterValue;
    /// When not empty, injected 429 / 503 also send this `Retry-After-Ms` verbatim.
    QString retryAfterMsValue;
    /// List pages serve the records with these ids with `"fields"` as a string: rows a client
    /// cannot decode, in place (the page keeps its length).
    QStringList undecodableIds;
    /// List pages serve the records with these ids with `"id": null` (rows without an id).
    QStringList idlessIds;
    /// List pages are never short: a page is filled up to its limit with made-up records (ids
    /// "<first id>_endless_<position>") and totalCount always promises one more.
    bool endlessPages = false;
    /// Successful /v1 bodies get a "padding" member of this many bytes (an oversized response).
    int oversizeBodyBytes = 0;
    /// The next N list pages that would answer 200 are sent with a body that is not JSON, one
    /// by one (a deterministic, one-shot rateMalformed); counts down to 0.
    int malformedListPages = 0;
    /// The rates above apply to API writes only (reads always answer): a write can fail
    /// while the check before it succeeds.
    bool writesOnly = false;

    QJsonObject toJson() const;
    /// Applies the members present in json; false (and *error) on a bad member.
    bool updateFromJson(const QJsonObject &json, QString *error);
};

struct SandboxConfig
{
    /// Accepted API keys → scopes ("opportunities:read", ...). Empty scopes = full access.
    QHash<QString, QStringList> apiKeys {{QStringLiteral("sk_lf_demo"), {}}};
    QString versionHeader = QStringLiteral("2026-03-01");
    int rateLimitRead = 25; ///< requests per second, per category
    int rateLimitWrite = 25;
    int rateLimitSearch = 25;
    qint64 indexLagMs = 0;
    qint64 idempotencyRetentionMs = 24LL * 60 * 60 * 1000;
    SandboxFaults faults;
    QString dataFile; ///< when set: load at start, save after writes (debounced) and at exit
    QString workspaceName = QStringLiteral("Sandbox workspace");
    SandboxPipelines pipelines; ///< the `$pipeline` beta (--pipelines); applied at construction

    /// GET /v1/auth/validate. The route is documented but newer than the SDKs, so a server may
    /// lack it or answer it in another shape. Present: as documented. Absent: 404 not_found, as
    /// any unknown route. Malformed: 200 with a JSON object without `active` or `scopes`.
    /// Html: 200 with an HTML page (what a web front end's catch-all route sends).
    enum class AuthValidate : quint8
    {
        Present,
        Absent,
        Malformed,
        Html,
    };
    AuthValidate authValidate = AuthValidate::Present;
    /// The body of a 429 and of a 409 idempotency conflict. Documented: unwrapped,
    /// `{"type": "too_many_requests" | "idempotency_conflict", "message"}`, as the rate-limit
    /// and idempotency pages show them. Wrapped: `{"error": {…}}` like every other error (the
    /// 409 then as type "conflict", code "idempotency_conflict"). Other errors are always
    /// wrapped.
    enum class ErrorEnvelope : quint8
    {
        Documented,
        Wrapped,
    };
    ErrorEnvelope errorEnvelope = ErrorEnvelope::Documented;
    /// Readings of write rules the documentation leaves open (--address-write, --multi-clear,
    /// --account-update).
    SandboxWriteRules writeRules;
    /// List order and offset cap (SandboxStore::setListOrder(), setMaxOffset()); applied to
    /// the store at construction and on every request, so a test may change them at run time.
    SandboxStore::ListOrder listOrder = SandboxStore::ListOrder::Oldest;
    qint64 maxOffset = -1; ///< -1: no cap
    bool maxOffsetAnswersEmpty = false; ///< past the cap: 200 with no rows, not 400
};

/**
 * The Lightfield API double on QtHttpServer, listening on loopback only.
 *
 * Routes (all JSON):
 *   GET  /v1/auth/validate
 *   GET  /v1/{opportunities|accounts|contacts}            list (Search)
 *   POST /v1/{opportunities|accounts|contacts}            create (Write, idempotent)
 *   GET  /v1/{opportunities|accounts|contacts}/definitions (Read)
 *   GET  /v1/{opportunities|accounts|contacts}/{id}       retrieve (Read)
 *   POST /v1/{opportunities|accounts|contacts}/{id}       update (Write, idempotent)
 *   GET  /v1/members, /v1/members/{id}
 *   GET  /v1/lists, /v1/lists/{id}, /v1/lists/{id}/opportunities
 * Admin (no auth, no rate limit, no faults), under the reserved prefix /__sandbox/:
 *   GET  /__sandbox/stats          counters (see stats())
 *   POST /__sandbox/stats/reset
 *   GET|POST /__sandbox/faults     read / change SandboxFaults (members as in toJson())
 *   GET|POST /__sandbox/config     indexLagMs, rateLimitRead/Write/Search, idempotencyRetentionMs,
 *                                  listOrder, maxOffset, maxOffsetAnswer ("error" | "empty")
 *   POST /__sandbox/clock          {"advanceMs": N}
 *   POST /__sandbox/records/{type}/{id}   an update made "by a colleague": same body rules as
 *                                  the API, no idempotency, counted apart from API writes
 *   POST /__sandbox/records/{type}[?at=head]  a record created "by a colleague" (API create
 *                                  rules); at=head lists it first whatever the list order
 *   DELETE /__sandbox/records/{type}/{id}  a record deleted "by a colleague" (gone from lists,
 *                                  GET answers 404)
 *   GET  /__sandbox/writes         the last 1000 API write requests received:
 *                                  [{method, path, idempotencyKey, body (parsed JSON), status,
 * applied}]
 *
 * Every /v1 response carries X-RateLimit-Limit / -Remaining / -Reset and X-Request-Id.
 */
class SandboxServer final : public QAbstractHttpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SandboxServer)

public:
    explicit SandboxServer(SandboxConfig config, QObject *parent = nullptr);
    ~SandboxServer() override;

    SandboxStore &store() { return *m_store; }
    SandboxClock &clock() { return m_clock; }
    SandboxConfig &config() { return m_config; }

    /// Loads config().dataFile if it exists; false (and *error) when it exists but is unreadable.
    bool loadDataFile(QString *error);
    /// Writes config().dataFile now (atomically, through QSaveFile).
    bool saveDataFile(QString *error) const;

    /// Listens on 127.0.0.1; port 0 picks a free one. Returns the port, 0 on failure.
    quint16 listenLoopback(quint16 port = 0);
    /// A network loss as a client sees it: stops listening (new connections are refused) and
    /// aborts every open connection, hung ones included. The state and the port are kept.
    void suspendListening();
    /// Listens again on the port(s) suspendListening() closed; false when one cannot be bound.
    bool resumeListening();
    bool isListeningSuspended() const;

    /// {"requests": {"GET /v1/opportunities": {"200": n, ...}, ...}, "writesApplied": n,
    ///  "idempotentReplays": n, "idempotencyConflicts": n, "idempotencyMismatches": n,
    ///  "idempotencyKeysHeld": n (keys remembered now),
    ///  "rateLimited": n, "colleagueWrites": n, "faults": {"500": n, "hang": n, ...},
    ///  "appliedByIdempotencyKey": {"<key>": n}}
    QJsonObject stats() const;
    /// Requests of one route ("GET /v1/auth/validate") answered with any status since the
    /// counters were last reset.
    int requestCount(const QString &route) const;
    void resetStats();
    /// The API writes received (oldest first, the last 1,000), as GET /__sandbox/writes lists them.
    QList<QJsonObject> writeLog() const { return m_writeLog; }
    /// Every API request answered so far (tests wait for the client to fall quiet with it).
    quint64 requestCount() const { return m_requestCounter; }

    /// Called after each list page (GET /v1/{type}) is computed, before it is sent: tests change
    /// the store there to create or delete records at a known point of a client's sweep.
    using ListPageHook = std::function<void(const QString &objectType, const QUrlQuery &query)>;
    void setListPageHook(ListPageHook hook) { m_listPageHook = std::move(hook); }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Response;
    struct IdempotencyEntry;
    class TokenBucket;

    // Implemented in sandboxserver.cpp.
    Response dispatchApi(const QHttpServerRequest &request, const QString &route);
    Response dispatchAdmin(const QHttpServerRequest &request);
    void send(QTcpSocket *socket, const Response &response, int delayMs);
    void writeResponse(QTcpSocket *socket, const Response &response);
    void scheduleSave();
    /// Drops the keys older than the retention whose request finished (at most once a second).
    void forgetExpiredIdempotencyKeys(qint64 nowMs);

    SandboxConfig m_config;
    SandboxClock m_clock;
    std::unique_ptr<SandboxStore> m_store;
    QRandomGenerator m_faultRandom;
    QHash<QString, std::shared_ptr<TokenBucket>> m_buckets;
    QHash<QString, std::shared_ptr<IdempotencyEntry>> m_idempotency;
    QList<QPointer<QTcpSocket>> m_hungSockets;
    QTimer m_saveTimer;
    quint64 m_requestCounter = 0;
    qint64 m_lastIdempotencySweepMs = 0;
    QHash<QTcpServer *, quint16> m_suspendedPorts; ///< listeners closed by suspendListening()
    ListPageHook m_listPageHook;
    void applyListSettings();

    // Counters reported by stats().
    QMap<QString, QMap<int, int>> m_requestsByRoute;
    int m_writesApplied = 0;
    int m_idempotentReplays = 0;
    int m_idempotencyConflicts = 0;
    int m_idempotencyMismatches = 0;
    int m_rateLimited = 0;
    int m_colleagueWrites = 0;
    QMap<QString, int> m_faultCounts;
    QHash<QString, int> m_appliedByKey;
    QList<QJsonObject> m_writeLog;
};
