// The InstanceChannel between a workspace's holder and a second process: one JSON line each
// way, versioned; a client learns whether no one listens or the holder did not answer.

#include "instancechannel.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QTemporaryDir>
#include <QTest>

class TestInstanceChannel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void serverNameIsStablePerFolder()
    {
        QTemporaryDir a;
        QTemporaryDir b;
        QCOMPARE(InstanceChannel::serverName(a.path()), InstanceChannel::serverName(a.path()));
        QVERIFY(InstanceChannel::serverName(a.path()) != InstanceChannel::serverName(b.path()));
        QVERIFY(
            InstanceChannel::serverName(a.path()).startsWith(QLatin1String("lightfield-deals-")));
        QVERIFY(!InstanceChannel::serverName(a.path()).contains(a.path()));
    }

    void requestAndReply()
    {
        QTemporaryDir dir;
        const QString name = InstanceChannel::serverName(dir.path());
        QJsonObject seen;
        InstanceServer server(QStringLiteral("window"),
            [&seen](const QJsonObject &request, const InstanceServer::Reply &reply) {
                seen = request;
                reply({{QStringLiteral("ok"), true}, {QStringLiteral("code"), 0},
                    {QStringLiteral("out"), request.value(QStringLiteral("id"))}});
            });
        QVERIFY(server.listen(name));
        bool connected = false;
        const std::optional<QJsonObject> reply = InstanceChannel::ask(name,
            {{QStringLiteral("op"), QStringLiteral("edit")},
                {QStringLiteral("id"), QStringLiteral("opp_1")}},
            5000, &connected);
        QVERIFY(reply);
        QVERIFY(connected);
        QCOMPARE(seen.value(QStringLiteral("v")).toInt(), InstanceChannel::kProtocolVersion);
        QCOMPARE(seen.value(QStringLiteral("op")).toString(), QStringLiteral("edit"));
        QCOMPARE(reply->value(QStringLiteral("v")).toInt(), InstanceChannel::kProtocolVersion);
        QCOMPARE(reply->value(QStringLiteral("out")).toString(), QStringLiteral("opp_1"));
        QCOMPARE(reply->value(QStringLiteral("holder")).toString(), QStringLiteral("window"));
        QCOMPARE(
            reply->value(QStringLiteral("pid")).toInteger(), QCoreApplication::applicationPid());
    }

    void anotherProtocolVersionIsRefused()
    {
        QTemporaryDir dir;
        const QString name = InstanceChannel::serverName(dir.path());
        bool handled = false;
        InstanceServer server(QStringLiteral("sync"),
            [&handled](const QJsonObject &, const InstanceServer::Reply &reply) {
                handled = true;
                reply({{QStringLiteral("ok"), true}});
            });
        QVERIFY(server.listen(name));
        QLocalSocket socket;
        socket.connectToServer(name);
        QTRY_VERIFY(socket.state() == QLocalSocket::ConnectedState);
        socket.write("{\"v\":99,\"op\":\"edit\"}\n");
        QByteArray line;
        QTRY_VERIFY((line += socket.readAll()).contains('\n'));
        const QJsonObject reply = QJsonDocument::fromJson(line.trimmed()).object();
        QVERIFY(!handled);
        QCOMPARE(reply.value(QStringLiteral("ok")).toBool(), false);
        QCOMPARE(reply.value(QStringLiteral("code")).toInt(), 2);
        QCOMPARE(reply.value(QStringLiteral("v")).toInt(), 1);
    }

    void noOneListens()
    {
        QTemporaryDir dir;
        bool connected = true;
        const std::optional<QJsonObject> reply
            = InstanceChannel::ask(InstanceChannel::serverName(dir.path()),
                {{QStringLiteral("op"), QStringLiteral("raise")}}, 2000, &connected);
        QVERIFY(!reply);
        QVERIFY(!connected);
    }

    void aHolderThatDoesNotAnswer()
    {
        QTemporaryDir dir;
        const QString name = InstanceChannel::serverName(dir.path());
        InstanceServer server(
            QStringLiteral("window"), [](const QJsonObject &, const InstanceServer::Reply &) {});
        QVERIFY(server.listen(name));
        bool connected = false;
        const std::optional<QJsonObject> reply = InstanceChannel::ask(
            name, {{QStringLiteral("op"), QStringLiteral("raise")}}, 300, &connected);
        QVERIFY(!reply);
        QVERIFY(connected);
    }

    void aNewHolderReplacesALeftoverSocket()
    {
        // After a crash the socket file stays; the next lock holder listens all the same.
        QTemporaryDir dir;
        const QString name = InstanceChannel::serverName(dir.path());
        InstanceServer old(
            QStringLiteral("window"), [](const QJsonObject &, const InstanceServer::Reply &reply) {
                reply({{QStringLiteral("ok"), false}});
            });
        QVERIFY(old.listen(name));
        InstanceServer next(
            QStringLiteral("sync"), [](const QJsonObject &, const InstanceServer::Reply &reply) {
                reply({{QStringLiteral("ok"), true}});
            });
        QVERIFY2(next.listen(name), qPrintable(next.errorString()));
        const std::optional<QJsonObject> reply
            = InstanceChannel::ask(name, {{QStringLiteral("op"), QStringLiteral("yield")}}, 5000);
        QVERIFY(reply);
        QCOMPARE(reply->value(QStringLiteral("holder")).toString(), QStringLiteral("sync"));
    }
};

QTEST_GUILESS_MAIN(TestInstanceChannel)
#include "tst_instancechannel.moc"
