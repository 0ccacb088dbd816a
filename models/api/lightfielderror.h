#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

/**
 * What went wrong with a request, for callers that branch on it. The numbers are
 * stable: the Outbox persists them with a failed row.
 */
enum class ErrorKind : quint8
{
    Offline = 0, ///< no connection (no HTTP response at all)
    Timeout = 1, ///< the request timed out (client side, or 408 / 504)
    Unauthorized = 2, ///< 401: missing or invalid API key
    Forbidden = 3, ///< 403: the key lacks the scope
    NotFound = 4, ///< 404 / 410: record or type missing (or deleted)
    Conflict = 5, ///< 409 / 412: concurrent update, duplicate, idempotency_conflict
    Validation = 6, ///< other 4xx (400, 415, 422, …): the request itself is wrong
    RateLimited = 7, ///< 429: honour Retry-After
    Server = 8, ///< 5xx (other than 504)
    BadResponse = 9, ///< a response we cannot use: wrong status class, unreadable body
};

/**
 * One API or transport error as a value: the kind, the HTTP status, and the members of the
 * Lightfield error body: `type` (always sent by the server; branch on
 * it), `message` (human text, not a contract), optional `code` and `param`, plus any further
 * members (e.g. `candidates` of stage errors) in extra().
 *
 * Both body shapes are read (docs/decisions/0006): the documented wrapped form
 * `{"error": {"type", "message", "code", "param"}}` and the unwrapped `{"type", "message"}` of
 * the rate-limit and idempotency pages. Never logs and never holds the API key.
 */
class LightfieldError final
{
public:
    /** A BadResponse error with no details. */
    LightfieldError() = default;
    LightfieldError(ErrorKind kind, const QString &message, int httpStatus = 0);

    /** No connection; `message` is the transport's text (QNetworkReply::errorString()). */
    static LightfieldError offline(const QString &message = {});
    /** The request timed out on our side. */
    static LightfieldError timeout(const QString &message = {});

    /**
     * The error of an HTTP response: the kind from the status (fromHttpStatus()), the details
     * from the body when it is a JSON error object in either shape. A body that is empty, not
     * JSON or of another shape keeps the kind from the status and an empty type / message.
     * Status 0 (unknown) takes the kind from the body's `type` instead.
     */
    static LightfieldError fromHttpResponse(int httpStatus, const QByteArray &body);
    /** As above, with the body already parsed. */
    static LightfieldError fromJson(int httpStatus, const QJsonObject &body);

    /**
     * The kind for an HTTP status: 401 Unauthorized, 403 Forbidden, 404 / 410 NotFound,
     * 408 / 504 Timeout, 409 / 412 Conflict, 429 RateLimited, other 4xx Validation, other 5xx
     * Server, anything else (1xx–3xx, 0, out of range) BadResponse.
     */
    static ErrorKind fromHttpStatus(int httpStatus);
    /**
     * The kind for an API `type` ("bad_request", "too_many_requests", …); BadResponse for an
     * unknown or empty type.
     */
    static ErrorKind fromErrorType(const QString &type);
    /** True only for Offline, Timeout, RateLimited and Server. */
    static bool isTransient(ErrorKind kind);
    /** The enumerator's name ("RateLimited"), for logs. */
    static QString kindName(ErrorKind kind);

    ErrorKind kind() const { return m_kind; }
    /** The HTTP status, or 0 when there was no response. */
    int httpStatus() const { return m_httpStatus; }
    /** The API's `type` ("unprocessable_content"); empty when not sent. */
    QString type() const { return m_type; }
    /** The API's `code` ("unknown_field"); empty when not sent. */
    QString code() const { return m_code; }
    /** The API's `param` ("fields.$name"); empty when not sent. */
    QString param() const { return m_param; }
    /** Human text from the server or the transport; may be empty. */
    QString message() const { return m_message; }
    /** Other members of the error object (`candidates`, `pipelineId`, …). */
    QJsonObject extra() const { return m_extra; }
    /** The wait the server asked for (Retry-After / Retry-After-Ms), in ms; -1 when none. */
    qint64 retryAfterMs() const { return m_retryAfterMs; }
    void setRetryAfterMs(qint64 ms) { m_retryAfterMs = ms; }

    /** isTransient(kind()): worth retrying later with the same request. */
    bool isTransient() const { return isTransient(m_kind); }
    /**
     * A 409 `idempotency_conflict`: the same key is still in flight. Not transient by kind, but
     * the API says to retry after a pause with the same key.
     */
    bool isIdempotencyConflict() const;

    /** "RateLimited 429 too_many_requests: <message>", for logs (no field values, no key). */
    QString debugString() const;

    friend bool operator==(const LightfieldError &, const LightfieldError &) = default;

private:
    QString m_type;
    QString m_code;
    QString m_param;
    QString m_message;
    QJsonObject m_extra;
    qint64 m_retryAfterMs = -1;
    int m_httpStatus = 0;
    ErrorKind m_kind = ErrorKind::BadResponse;
};

Q_DECLARE_METATYPE(ErrorKind)
Q_DECLARE_METATYPE(LightfieldError)
