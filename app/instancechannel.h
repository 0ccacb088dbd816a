#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

class QLocalServer;
class QLocalSocket;
class QTimer;

/**
 * How a second Lightfield Deals process talks to the one that holds a workspace's WriterLock
 * (the window, or a `lightfield-deals sync`): a QLocalServer the holder listens on, named
 * after the workspace folder (serverName()), so a second window raises the first and a
 * command line `edit`, `create` or `sync` hands its work to the holder instead of writing the
 * cache beside it.
 *
 * **Protocol, version 1 (JSON lines).** The client connects, writes ONE request — a compact
 * JSON object on one line, UTF-8, ended by "\n" — and reads ONE reply line; then the server
 * closes the connection. Every request has `"v": 1` and `"op"`:
 *   - `raise`: show and activate the window. Reply `ok` true from a window, false from a sync.
 *   - `yield`: a `sync` holder finishes the sends it has on the wire and exits, releasing the
 *     lock (what a window launched beside it asks). `ok` false from a window.
 *   - `edit` with `"id"` and `"assignments"` (the KEY=VALUE strings) and `create` with
 *     `"assignments"`: queued by the holder through the command line's own code (one Outbox
 *     transaction). Reply `code` (CommandLine::ExitCode), `out` and `err` (what the command
 *     would have printed).
 *   - `sync` with `"wait"` (bool): push and pull now; with `wait` the reply comes once the
 *     pull finished (`code` as `sync --once` would exit), else at once.
 * Every reply has `"v": 1`, `"ok"`, `"pid"` (the holder's process id), `"holder"` ("window" or
 * "sync") and, for edit / create / sync, `"code"`, `"out"`, `"err"`. A request with another
 * `v` is answered `ok` false, code 2 (Usage). Clients must ignore unknown reply keys.
 *
 * The socket is per user (the name includes the user id, and the server allows only its
 * user); a socket file left by a crashed holder is removed by the next holder, which may do so
 * because it holds the lock.
 */
namespace InstanceChannel {

inline constexpr int kProtocolVersion = 1;

/** The server name of a workspace: a hash of the user and the workspace folder's path. */
QString serverName(const QString &workspaceFolder);

/**
 * Sends `request` to the holder and waits (running a local event loop) up to `timeoutMs` for
 * its reply. nullopt when no one answered; *connected then tells whether a holder accepted the
 * connection (so it exists but did not answer in time) or no one listens.
 */
std::optional<QJsonObject> ask(const QString &serverName, const QJsonObject &request, int timeoutMs,
    bool *connected = nullptr);

} // namespace InstanceChannel

/** The holder's end: answers requests through a handler (which may reply later). */
class InstanceServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InstanceServer)

public:
    /// Sends the reply (the server adds "v", "pid" and "holder"); call it once.
    using Reply = std::function<void(QJsonObject reply)>;
    using Handler = std::function<void(const QJsonObject &request, const Reply &reply)>;

    /** `role`: "window" or "sync", reported in every reply. */
    InstanceServer(QString role, Handler handler, QObject *parent = nullptr);
    ~InstanceServer() override;

    /** Listens on `name`, replacing a socket file left by a crashed holder. */
    bool listen(const QString &name);
    QString errorString() const;

private:
    void accept();
    void readRequest(QLocalSocket *socket);

    QString m_role;
    Handler m_handler;
    QLocalServer *m_server = nullptr;
};

/** A client that does not block: for the window, whose own event loop must keep running. */
class InstanceClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InstanceClient)

public:
    explicit InstanceClient(QObject *parent = nullptr);
    ~InstanceClient() override;

    /** Sends one request; answered() or failed() follows, once. */
    void send(const QString &serverName, const QJsonObject &request, int timeoutMs);

Q_SIGNALS:
    void answered(const QJsonObject &reply);
    /// No reply: `connected` false when no one listens, true when the holder did not answer.
    void failed(bool connected);

private:
    void finish(std::optional<QJsonObject> reply);

    QLocalSocket *m_socket = nullptr;
    QTimer *m_timer = nullptr;
    QByteArray m_request;
    QByteArray m_buffer;
    bool m_connected = false;
    bool m_done = false;
};
