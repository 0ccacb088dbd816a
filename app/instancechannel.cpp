#include "instancechannel.h"
#include "domain/json.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QEventLoop>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QPointer>
#include <QTimer>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace {

/// A request or reply line is small; a longer one is not ours.
constexpr qsizetype kMaxLine = 1 << 20;

QString userKey()
{
#ifdef Q_OS_UNIX
    return QString::number(::getuid());
#else
    return qEnvironmentVariable("USERNAME");
#endif
}

QByteArray line(const QJsonObject &object)
{
    return Json::compact(object) + '\n';
}

} // namespace

namespace InstanceChannel {

QString serverName(const QString &workspaceFolder)
{
    const QString folder = QDir(workspaceFolder).absolutePath();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QByteArrayLiteral("lightfield-instance-v1\n"));
    hash.addData(userKey().toUtf8());
    hash.addData(QByteArrayLiteral("\n"));
    hash.addData(folder.toUtf8());
    // Short enough for a Unix socket path under any temporary folder.
    return QStringLiteral("lightfield-deals-%1")
        .arg(QString::fromLatin1(hash.result().toHex().left(24)));
}

std::optional<QJsonObject> ask(
    const QString &serverName, const QJsonObject &request, int timeoutMs, bool *connected)
{
    InstanceClient client;
    std::optional<QJsonObject> result;
    bool wasConnected = false;
    bool done = false; // a refused connection fails at once, inside send()
    QEventLoop loop;
    QObject::connect(&client, &InstanceClient::answered, &loop, [&](const QJsonObject &reply) {
        result = reply;
        wasConnected = true;
        done = true;
        loop.quit();
    });
    QObject::connect(&client, &InstanceClient::failed, &loop, [&](bool wasAccepted) {
        wasConnected = wasAccepted;
        done = true;
        loop.quit();
    });
    client.send(serverName, request, timeoutMs);
    if (!done)
        loop.exec();
    if (connected)
        *connected = wasConnected;
    return result;
}

} // namespace InstanceChannel

InstanceServer::InstanceServer(QString role, Handler handler, QObject *parent)
    : QObject(parent)
    , m_role(std::move(role))
    , m_handler(std::move(handler))
    , m_server(new QLocalServer(this))
{
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    connect(m_server, &QLocalServer::newConnection, this, &InstanceServer::accept);
}

InstanceServer::~InstanceServer()
{
    m_server->close();
}

bool InstanceServer::listen(const QString &name)
{
    if (m_server->listen(name))
        return true;
    if (m_server->serverError() != QAbstractSocket::AddressInUseError)
        return false;
    // Only the lock holder listens, so a socket already there was left by a crash.
    QLocalServer::removeServer(name);
    return m_server->listen(name);
}

QString InstanceServer::errorString() const
{
    return m_server->errorString();
}

void InstanceServer::accept()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { readRequest(socket); });
        if (socket->bytesAvailable() > 0)
            readRequest(socket);
    }
}

void InstanceServer::readRequest(QLocalSocket *socket)
{
    if (socket->property("lightfield.handled").toBool())
        return;
    if (!socket->canReadLine()) {
        if (socket->bytesAvailable() > kMaxLine)
            socket->abort();
        return;
    }
    socket->setProperty("lightfield.handled", true);
    const QJsonObject request = QJsonDocument::fromJson(socket->readLine().trimmed()).object();
    const QPointer<QLocalSocket> guard(socket);
    const Reply reply = [guard, role = m_role](QJsonObject answer) {
        if (!guard)
            return; // the client gave up
        answer.insert(QStringLiteral("v"), InstanceChannel::kProtocolVersion);
        answer.insert(QStringLiteral("pid"), QCoreApplication::applicationPid());
        answer.insert(QStringLiteral("holder"), role);
        guard->write(line(answer));
        guard->flush();
        guard->disconnectFromServer();
    };
    if (request.value(QStringLiteral("v")).toInt() != InstanceChannel::kProtocolVersion) {
        reply(QJsonObject {{QStringLiteral("ok"), false}, {QStringLiteral("code"), 2},
            {QStringLiteral("err"),
                QStringLiteral("lightfield-deals: the running process speaks protocol version "
                               "%1.\n")
                    .arg(InstanceChannel::kProtocolVersion)}});
        return;
    }
    m_handler(request, reply);
}

InstanceClient::InstanceClient(QObject *parent)
    : QObject(parent)
    , m_socket(new QLocalSocket(this))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] { finish(std::nullopt); });
    connect(m_socket, &QLocalSocket::connected, this, [this] {
        m_connected = true;
        m_socket->write(m_request);
        m_socket->flush();
    });
    connect(m_socket, &QLocalSocket::readyRead, this, [this] {
        m_buffer += m_socket->readAll();
        const qsizetype end = m_buffer.indexOf('\n');
        if (end >= 0) {
            finish(QJsonDocument::fromJson(m_buffer.left(end)).object());
        } else if (m_buffer.size() > kMaxLine) {
            finish(std::nullopt);
        }
    });
    const auto closed = [this] {
        // A closed connection may still hold the reply line.
        if (m_socket->isOpen())
            m_buffer += m_socket->readAll();
        const qsizetype end = m_buffer.indexOf('\n');
        finish(end >= 0 ? std::optional(QJsonDocument::fromJson(m_buffer.left(end)).object())
                        : std::nullopt);
    };
    connect(m_socket, &QLocalSocket::errorOccurred, this, closed);
    connect(m_socket, &QLocalSocket::disconnected, this, closed);
}

InstanceClient::~InstanceClient()
{
    m_done = true;
    m_socket->abort();
}

void InstanceClient::send(const QString &serverName, const QJsonObject &request, int timeoutMs)
{
    QJsonObject versioned = request;
    versioned.insert(QStringLiteral("v"), InstanceChannel::kProtocolVersion);
    m_request = line(versioned);
    m_buffer.clear();
    m_connected = false;
    m_done = false;
    m_timer->start(timeoutMs);
    m_socket->connectToServer(serverName);
}

void InstanceClient::finish(std::optional<QJsonObject> reply)
{
    if (m_done)
        return;
    m_done = true;
    m_timer->stop();
    // Not from inside the socket's own signal: close it once that signal has returned.
    m_socket->disconnect(this);
    QMetaObject::invokeMethod(m_socket, &QLocalSocket::abort, Qt::QueuedConnection);
    if (reply && !reply->isEmpty())
        Q_EMIT answered(*reply);
    else
        Q_EMIT failed(m_connected);
}
