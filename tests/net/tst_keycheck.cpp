// KeyCheck against the in-process sandbox: every key and every reading of the key check route
// the sandbox can play (validate present, absent, malformed, an HTML page), and what each one
// signs in with — or why it is refused. A key is refused only when the server refused it twice.

#include "net/keycheck.h"
#include "net/lightfieldclient.h"

#include "sandboxseed.h"
#include "sandboxserver.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QtTest>

#include <memory>

namespace {

const QString kFull = QStringLiteral("sk_lf_full");
const QString kReadOnly = QStringLiteral("sk_lf_read");
const QString kNoLists = QStringLiteral("sk_lf_nolists");
const QString kNoNames = QStringLiteral("sk_lf_nonames");
const QString kNoDeals = QStringLiteral("sk_lf_nodeals");
const QString kWrong = QStringLiteral("sk_lf_wrong");

const QString kRead = QStringLiteral("opportunities:read");

using Outcome = KeyCheck::Outcome;
using Validate = SandboxConfig::AuthValidate;

int requestsOf(const SandboxServer &server, const QString &route)
{
    return server.requestCount(route);
}

} // namespace

class TestKeyCheck final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SandboxServer> m_server;
    QNetworkAccessManager m_nam;
    QUrl m_url;

    KeyCheck::Result check(const QString &key, const QUrl &url = {})
    {
        LightfieldClient::Options options;
        options.baseUrl = url.isValid() ? url : m_url;
        options.apiKey = key;
        options.transferTimeoutMs = 5000;
        options.retry = {2, 10, 10, 1000};
        LightfieldClient client(&m_nam, options);
        KeyCheck keyCheck(client);
        QSignalSpy finished(&keyCheck, &KeyCheck::finished);
        KeyCheck::Result result;
        connect(&keyCheck, &KeyCheck::finished, this,
            [&result](const KeyCheck::Result &r) { result = r; });
        keyCheck.start();
        if (!finished.wait(10000))
            qWarning("the key check did not finish");
        QTest::qWait(20);
        if (finished.size() != 1)
            qWarning("finished %d times", int(finished.size()));
        return result;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_nam.setProxy(QNetworkProxy::NoProxy);
        SandboxConfig config;
        config.apiKeys = {{kFull, {}}, {kReadOnly, {kRead}},
            {kNoLists,
                {kRead, QStringLiteral("opportunities:update"),
                    QStringLiteral("opportunities:create"), QStringLiteral("accounts:read"),
                    QStringLiteral("members:read"), QStringLiteral("contacts:read")}},
            {kNoNames,
                {kRead, QStringLiteral("opportunities:update"),
                    QStringLiteral("opportunities:create"), QStringLiteral("accounts:read"),
                    QStringLiteral("lists:read")}},
            {kNoDeals, {QStringLiteral("accounts:read")}}};
        m_server = std::make_unique<SandboxServer>(config);
        seedSandbox(m_server->store(), {3, 5});
        const quint16 port = m_server->listenLoopback(0);
        QVERIFY(port != 0);
        m_url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    }

    void init()
    {
        m_server->config().authValidate = Validate::Present;
        m_server->resetStats();
    }

    void scopesFromValidate_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("readOnly");
        QTest::addColumn<bool>("lists");
        QTest::addColumn<bool>("members");
        QTest::addColumn<bool>("contacts");
        QTest::newRow("full") << kFull << false << true << true << true;
        QTest::newRow("opportunities:read only") << kReadOnly << true << false << false << false;
        QTest::newRow("no lists:read") << kNoLists << false << false << true << true;
        QTest::newRow("no members/contacts read") << kNoNames << false << true << false << false;
    }
    void scopesFromValidate()
    {
        QFETCH(QString, key);
        QFETCH(bool, readOnly);
        QFETCH(bool, lists);
        QFETCH(bool, members);
        QFETCH(bool, contacts);
        const KeyCheck::Result result = check(key);
        QCOMPARE(result.outcome, Outcome::Works);
        QVERIFY(!result.usedFallback);
        QCOMPARE(result.capabilities.source(), Capabilities::Source::Scopes);
        QCOMPARE(result.capabilities.isReadOnly(), readOnly);
        QCOMPARE(result.capabilities.canRead(QStringLiteral("lists")), lists);
        QCOMPARE(result.capabilities.canReadObjectType(QStringLiteral("member")), members);
        QCOMPARE(result.capabilities.canReadObjectType(QStringLiteral("contact")), contacts);
        // One request: validate settled it.
        QCOMPARE(requestsOf(*m_server, QStringLiteral("GET /v1/auth/validate")), 1);
        QCOMPARE(requestsOf(*m_server, QStringLiteral("GET /v1/opportunities")), 0);
    }

    void withoutValidateTheDealsListDecides_data()
    {
        QTest::addColumn<int>("validate");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QStringList>("unreadable");
        QTest::newRow("absent, full") << int(Validate::Absent) << kFull << QStringList();
        QTest::newRow("absent, read only")
            << int(Validate::Absent) << kReadOnly
            << QStringList {QStringLiteral("accounts"), QStringLiteral("members"),
                   QStringLiteral("contacts"), QStringLiteral("lists")};
        QTest::newRow("absent, no names")
            << int(Validate::Absent) << kNoNames
            << QStringList {QStringLiteral("members"), QStringLiteral("contacts")};
        QTest::newRow("malformed, no lists")
            << int(Validate::Malformed) << kNoLists << QStringList {QStringLiteral("lists")};
        QTest::newRow("html, full") << int(Validate::Html) << kFull << QStringList();
    }
    void withoutValidateTheDealsListDecides()
    {
        QFETCH(int, validate);
        QFETCH(QString, key);
        QFETCH(QStringList, unreadable);
        m_server->config().authValidate = Validate(validate);
        const KeyCheck::Result result = check(key);
        QCOMPARE(result.outcome, Outcome::Works);
        QVERIFY(result.usedFallback);
        QVERIFY(!result.validateProblem.isEmpty());
        QVERIFY(result.capabilities == Capabilities::fromProbes(unreadable));
        // Reads probed; writes cannot be, so they are assumed (a refused write is parked).
        QVERIFY(!result.capabilities.isReadOnly());
        QCOMPARE(requestsOf(*m_server, QStringLiteral("GET /v1/opportunities")), 1);
        for (const QString &type : {QStringLiteral("accounts"), QStringLiteral("members"),
                 QStringLiteral("contacts"), QStringLiteral("lists")})
            QCOMPARE(requestsOf(*m_server, QStringLiteral("GET /v1/") + type), 1);
        // Nothing was written to find out.
        QCOMPARE(m_server->stats().value(QStringLiteral("writesApplied")).toInt(), 0);
        QVERIFY(m_server->writeLog().isEmpty());
    }

    void aWrongKeyIsRefusedOnlyWhenBothSay401_data()
    {
        QTest::addColumn<int>("validate");
        QTest::newRow("present") << int(Validate::Present);
        QTest::newRow("absent") << int(Validate::Absent);
        QTest::newRow("malformed") << int(Validate::Malformed);
    }
    void aWrongKeyIsRefusedOnlyWhenBothSay401()
    {
        QFETCH(int, validate);
        m_server->config().authValidate = Validate(validate);
        const KeyCheck::Result result = check(kWrong);
        QCOMPARE(result.outcome, Outcome::WrongKey);
        QVERIFY(result.usedFallback);
        QCOMPARE(result.error.kind(), ErrorKind::Unauthorized);
        QCOMPARE(requestsOf(*m_server, QStringLiteral("GET /v1/opportunities")), 1);
    }

    void aKeyThatCannotReadDealsIsRefusedByThe403()
    {
        // Validate lists no opportunities:read; the deals list confirms it with 403.
        const KeyCheck::Result result = check(kNoDeals);
        QCOMPARE(result.outcome, Outcome::CannotReadDeals);
        QVERIFY(result.usedFallback);
        QCOMPARE(result.error.kind(), ErrorKind::Forbidden);
        m_server->config().authValidate = Validate::Absent;
        QCOMPARE(check(kNoDeals).outcome, Outcome::CannotReadDeals);
    }

    void noServerIsNoNetworkWithoutAFallback()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const QUrl closed(QStringLiteral("http://127.0.0.1:%1").arg(probe.serverPort()));
        probe.close();
        const KeyCheck::Result result = check(kFull, closed);
        QCOMPARE(result.outcome, Outcome::NoNetwork);
        QVERIFY(!result.usedFallback);
    }

    void aRefusedBaseUrlSendsNothing()
    {
        const KeyCheck::Result result = check(kFull, QUrl(QStringLiteral("http://example.com")));
        QCOMPARE(result.outcome, Outcome::BadUrl);
        QCOMPARE(requestsOf(*m_server, QStringLiteral("GET /v1/opportunities")), 0);
    }

    void aServerErrorOnTheFallbackIsAFailureNotARefusal()
    {
        m_server->config().authValidate = Validate::Absent;
        m_server->config().faults.rate500 = 1.0;
        const KeyCheck::Result result = check(kFull);
        m_server->config().faults.rate500 = 0;
        QCOMPARE(result.outcome, Outcome::Failed);
        QCOMPARE(result.error.kind(), ErrorKind::Server);
    }
};

QTEST_GUILESS_MAIN(TestKeyCheck)
#include "tst_keycheck.moc"
