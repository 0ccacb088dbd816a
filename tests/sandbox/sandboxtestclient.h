#pragma once

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

#include <optional>
#include <utility>

/**
 * Test-only HTTP client for the sandbox (tst_sandboxserver, tst_sandboxcli): sends a request
 * with the documented headers through a real QNetworkAccessManager and
 * waits for it with an event loop, so an in-process server keeps serving meanwhile.
 *
 * Not thread-safe; use from the thread that runs the server (or any thread for an external one).
 */
namespace SandboxTest {

inline constexpr char kVersion[] = "2026-03-01";

/// What came back: an HTTP status (0 when there was none), headers, raw body and parsed JSON.
struct Reply
{
    bool finished = false; ///< false: still unanswered when the wait ran out
    int status = 0; ///< HTTP status; 0 on a network error without a response
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorString;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    QJsonDocument json;
    bool jsonOk = false;
    qint64 elapsedMs = 0;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    bool hasHeader(const QByteArray &name) const
    {
        for (const auto &pair : headers) {
            if (pair.first.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
    QJsonObject object() const { return json.object(); }
    QJsonObject errorObject() const { return object().value(QLatin1String("error")).toObject(); }
    QString errorType() const { return errorObject().value(QLatin1String("type")).toString(); }
    QString errorCode() const { return errorObject().value(QLatin1String("code")).toString(); }
    QString errorParam() const { return errorObject().value(QLatin1String("param")).toString(); }

    /// One line for failure messages: status, network error and the start of the body.
    QByteArray describe() const
    {
        QByteArray text = "HTTP " + QByteArray::number(status);
        if (!finished)
            text += " (no reply in time)";
        if (error != QNetworkReply::NoError)
            text += " network error " + QByteArray::number(int(error)) + ' ' + errorString.toUtf8();
        text += " body: " + body.left(400);
        return text;
    }
};

/// Per-request deviations from the documented headers.
struct Options
{
    bool sendAuth = true;
    QByteArray authorization; ///< raw Authorization value; empty → "Bearer <apiKey>"
    QString apiKey; ///< empty → the client's key
    bool sendVersion = true;
    QByteArray version = kVersion;
    QByteArray contentType = "application/json"; ///< for requests with a body; empty → none
    QByteArray idempotencyKey; ///< empty → no Idempotency-Key header
    QList<std::pair<QByteArray, QByteArray>> headers;
    int transferTimeoutMs = 0; ///< QNetworkRequest::setTransferTimeout; 0 → none
    int waitMs = 15000; ///< how long wait() lets the request run
};

/// The result of a raw socket exchange (requests QNetworkAccessManager will not send as-is).
struct RawReply
{
    bool connected = false;
    bool closedByPeer = false;
    bool complete = false; ///< a whole response (headers + Content-Length bytes) arrived
    QByteArray bytes; ///< everything received
    int status = 0; ///< from the status line; 0 when none arrived
    QByteArray body; ///< after the header block
    QJsonDocument json;
    bool jsonOk = false;
};

class Client
{
public:
    explicit Client(QUrl baseUrl, QString apiKey = QStringLiteral("sk_lf_demo"))
        : m_base(std::move(baseUrl))
        , m_apiKey(std::move(apiKey))
    {
        m_nam.setProxy(QNetworkProxy::NoProxy);
    }

    const QUrl &baseUrl() const { return m_base; }
    QNetworkAccessManager &nam() { return m_nam; }

    /// "key=value&…" with both sides percent-encoded (so "$stage[equal]" travels as
    /// %24stage%5Bequal%5D).
    static QByteArray encodeQuery(const QList<std::pair<QString, QString>> &items)
    {
        QByteArray out;
        for (const auto &[key, value] : items) {
            if (!out.isEmpty())
                out += '&';
            out += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
        }
        return out;
    }

    /// Base URL + an already encoded path and query, e.g. "/v1/opportunities?limit=5".
    QUrl url(const QByteArray &encodedPathAndQuery) const
    {
        QByteArray base = m_base.toEncoded();
        if (base.endsWith('/'))
            base.chop(1);
        return QUrl::fromEncoded(base + encodedPathAndQuery, QUrl::TolerantMode);
    }
    QUrl url(const QString &path, const QList<std::pair<QString, QString>> &query = {}) const
    {
        QByteArray encoded = path.toUtf8();
        if (!query.isEmpty())
            encoded += '?' + encodeQuery(query);
        return url(encoded);
    }

    /// Starts a request; the caller owns the reply (wait() deletes it).
    QNetworkReply *start(const QByteArray &verb, const QUrl &url,
        const std::optional<QByteArray> &body, const Options &options = {})
    {
        QNetworkRequest request(url);
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        request.setAttribute(
            QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        if (options.sendAuth) {
            const QByteArray value = options.authorization.isEmpty()
                ? "Bearer " + (options.apiKey.isEmpty() ? m_apiKey : options.apiKey).toUtf8()
                : options.authorization;
            request.setRawHeader("Authorization", value);
        }
        if (options.sendVersion)
            request.setRawHeader("Lightfield-Version", options.version);
        request.setRawHeader("Accept", "application/json");
        if (body && !options.contentType.isEmpty())
            request.setRawHeader("Content-Type", options.contentType);
        if (!options.idempotencyKey.isEmpty())
            request.setRawHeader("Idempotency-Key", options.idempotencyKey);
        for (const auto &[name, value] : options.headers)
            request.setRawHeader(name, value);
        if (options.transferTimeoutMs > 0)
            request.setTransferTimeout(options.transferTimeoutMs);
        if (body)
            return m_nam.sendCustomRequest(request, verb, *body);
        return m_nam.sendCustomRequest(request, verb);
    }

    /// Waits (event loop, no sleeping) for a reply started by start() and collects it.
    static Reply wait(QNetworkReply *reply, int waitMs = 15000)
    {
        Reply result;
        if (!reply->isFinished()) {
            QSignalSpy spy(reply, &QNetworkReply::finished);
            spy.wait(waitMs);
        }
        result.finished = reply->isFinished();
        if (!result.finished) {
            // Let the reply go without a dangling connection; the caller asserts on finished.
            QObject::disconnect(reply, nullptr, nullptr, nullptr);
            reply->abort();
        }
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.error = reply->error();
        result.errorString = reply->errorString();
        result.headers = reply->rawHeaderPairs();
        result.body = reply->isOpen() ? reply->readAll() : QByteArray();
        QJsonParseError parseError {};
        result.json = QJsonDocument::fromJson(result.body, &parseError);
        result.jsonOk = parseError.error == QJsonParseError::NoError && !result.body.isEmpty();
        reply->deleteLater();
        return result;
    }

    Reply send(const QByteArray &verb, const QUrl &url, const std::optional<QByteArray> &body,
        const Options &options = {})
    {
        QElapsedTimer timer;
        timer.start();
        QNetworkReply *reply = start(verb, url, body, options);
        Reply result = wait(reply, options.waitMs);
        result.elapsedMs = timer.elapsed();
        return result;
    }

    Reply get(const QString &path, const QList<std::pair<QString, QString>> &query = {},
        const Options &options = {})
    {
        return send("GET", url(path, query), std::nullopt, options);
    }
    Reply getEncoded(const QByteArray &encodedPathAndQuery, const Options &options = {})
    {
        return send("GET", url(encodedPathAndQuery), std::nullopt, options);
    }
    Reply post(const QString &path, const QJsonObject &body, const Options &options = {})
    {
        return send("POST", url(path), QJsonDocument(body).toJson(QJsonDocument::Compact), options);
    }
    Reply postRaw(const QString &path, const QByteArray &body, const Options &options = {})
    {
        return send("POST", url(path), body, options);
    }

    /// Admin routes take no auth and no version header.
    Reply adminGet(const QString &path)
    {
        Options options;
        options.sendAuth = false;
        options.sendVersion = false;
        options.waitMs = 5000;
        return get(path, {}, options);
    }
    Reply adminPost(const QString &path, const QJsonObject &body)
    {
        Options options;
        options.sendAuth = false;
        options.sendVersion = false;
        options.waitMs = 5000;
        return post(path, body, options);
    }

    /// Writes `request` on a fresh TCP connection and collects what comes back until a whole
    /// response arrived, the peer closed, or waitMs passed. Event loop only, no blocking waits.
    RawReply raw(const QByteArray &request, int waitMs = 3000) const
    {
        RawReply result;
        QTcpSocket socket;
        QEventLoop loop;
        QTimer timeout;
        timeout.setSingleShot(true);
        QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
        QObject::connect(&socket, &QTcpSocket::connected, &loop, [&] {
            result.connected = true;
            socket.write(request);
        });
        QObject::connect(&socket, &QTcpSocket::readyRead, &loop, [&] {
            result.bytes += socket.readAll();
            if (isCompleteResponse(result.bytes)) {
                result.complete = true;
                loop.quit();
            }
        });
        QObject::connect(&socket, &QTcpSocket::disconnected, &loop, [&] {
            if (socket.isOpen())
                result.bytes += socket.readAll();
            result.closedByPeer = true;
            loop.quit();
        });
        QObject::connect(
            &socket, &QTcpSocket::errorOccurred, &loop, [&](QAbstractSocket::SocketError error) {
                if (error == QAbstractSocket::RemoteHostClosedError)
                    result.closedByPeer = true;
                if (socket.isOpen())
                    result.bytes += socket.readAll();
                loop.quit();
            });
        timeout.start(waitMs);
        socket.connectToHost(m_base.host(), quint16(m_base.port()));
        loop.exec();
        result.complete = result.complete || isCompleteResponse(result.bytes);
        const qsizetype lineEnd = result.bytes.indexOf("\r\n");
        if (result.bytes.startsWith("HTTP/1.") && lineEnd > 0) {
            const QList<QByteArray> parts = result.bytes.left(lineEnd).split(' ');
            if (parts.size() >= 2)
                result.status = parts.at(1).toInt();
        }
        const qsizetype headerEnd = result.bytes.indexOf("\r\n\r\n");
        if (headerEnd >= 0)
            result.body = result.bytes.mid(headerEnd + 4);
        QJsonParseError parseError {};
        result.json = QJsonDocument::fromJson(result.body, &parseError);
        result.jsonOk = parseError.error == QJsonParseError::NoError && !result.body.isEmpty();
        socket.abort();
        return result;
    }

    /// A minimal HTTP/1.1 request with the documented headers (for raw()).
    QByteArray rawRequest(const QByteArray &method, const QByteArray &target,
        const QByteArray &body = {}, const QList<std::pair<QByteArray, QByteArray>> &headers = {},
        bool withAuth = true) const
    {
        QByteArray out = method + ' ' + target + " HTTP/1.1\r\n";
        out += "Host: " + m_base.host().toLatin1() + ':' + QByteArray::number(m_base.port())
            + "\r\n";
        if (withAuth) {
            out += "Authorization: Bearer " + m_apiKey.toUtf8() + "\r\n";
            out += QByteArray("Lightfield-Version: ") + kVersion + "\r\n";
        }
        for (const auto &[name, value] : headers)
            out += name + ": " + value + "\r\n";
        if (!body.isEmpty() || method == "POST")
            out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        out += "\r\n" + body;
        return out;
    }

private:
    static bool isCompleteResponse(const QByteArray &bytes)
    {
        const qsizetype headerEnd = bytes.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return false;
        const QByteArray head = bytes.left(headerEnd).toLower();
        const qsizetype at = head.indexOf("\r\ncontent-length:");
        if (at < 0)
            return false; // read until the peer closes
        const qsizetype valueStart = at + int(sizeof("\r\ncontent-length:")) - 1;
        const qsizetype valueEnd = head.indexOf("\r\n", valueStart);
        const qint64 length = head.mid(valueStart, valueEnd < 0 ? -1 : valueEnd - valueStart)
                                  .trimmed()
                                  .toLongLong();
        return bytes.size() - (headerEnd + 4) >= length;
    }

    QNetworkAccessManager m_nam;
    QUrl m_base;
    QString m_apiKey;
};

} // namespace SandboxTest
