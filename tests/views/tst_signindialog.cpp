// SignInDialog against the in-process sandbox (tests/sandbox): every validation outcome the
// user can see (valid with full or fewer scopes, a key that cannot read deals, wrong key, no
// network, bad URL; the key check route present, absent or malformed), the one-step Sign In
// (the dialog stays open with the key when it fails), the show/hide toggle, "Advanced", the
// demo button, the layout and the keyboard.

#include "net/lightfieldclient.h"
#include "settings/secretstore.h"
#include "signindialog.h"

#include "sandboxseed.h"
#include "sandboxserver.h"

#include <QAction>
#include <QDeadlineTimer>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMutex>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QToolButton>
#include <QtTest>

#include <memory>

namespace {

const QString kFullKey = QStringLiteral("sk_lf_demo");
const QString kReadOnlyKey = QStringLiteral("sk_lf_ro");
const QString kScopedKey = QStringLiteral("sk_lf_scoped_Xq81");
const QString kWrongKey = QStringLiteral("sk_lf_wrong_Pz00");
const QString kNoListsKey = QStringLiteral("sk_lf_nolists_Lq20");
const QString kNoNamesKey = QStringLiteral("sk_lf_nonames_Nm31");
const QString kNoDealsKey = QStringLiteral("sk_lf_nodeals_Dd42");

const QStringList kEveryScope {QStringLiteral("opportunities:read"),
    QStringLiteral("opportunities:update"), QStringLiteral("opportunities:create"),
    QStringLiteral("accounts:read"), QStringLiteral("members:read"),
    QStringLiteral("contacts:read"), QStringLiteral("lists:read")};

QStringList without(QStringList scopes, const QStringList &left)
{
    for (const QString &scope : left)
        scopes.removeAll(scope);
    return scopes;
}

QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log.append(message);
    }
    // Debug output is only checked, not echoed: with every category on it would drown the log.
    if (g_previousHandler && type != QtDebugMsg)
        g_previousHandler(type, context, message);
}

} // namespace

class TestSignInDialog : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SandboxServer> m_server;
    QUrl m_sandboxUrl;
    QUrl m_closedUrl;
    int m_clientsMade = 0;
    std::unique_ptr<SignInDialog> m_dialog;

    template<typename T> T *child(const char *name) const
    {
        auto *widget = m_dialog->findChild<T *>(QString::fromLatin1(name));
        if (!widget)
            qWarning("no child named %s", name);
        return widget;
    }

    QLineEdit *keyEdit() const { return child<QLineEdit>("apiKeyEdit"); }
    QLineEdit *urlEdit() const { return child<QLineEdit>("baseUrlEdit"); }
    QPushButton *signInButton() const { return child<QPushButton>("signInButton"); }
    QLabel *resultLabel() const { return child<QLabel>("resultLabel"); }

    /** Types the key and URL as a user would, then clicks Sign In and waits for the answer. */
    SignInDialog::Validation validateWith(const QString &key, const QUrl &url)
    {
        keyEdit()->clear();
        QTest::keyClicks(keyEdit(), key);
        urlEdit()->clear();
        QTest::keyClicks(urlEdit(), url.toString());
        QTest::mouseClick(signInButton(), Qt::LeftButton);
        QDeadlineTimer deadline(10000);
        while (m_dialog->validation() == SignInDialog::Validation::Validating
            && !deadline.hasExpired()) {
            QSignalSpy changes(m_dialog.get(), &SignInDialog::validationChanged);
            changes.wait(int(std::max<qint64>(1, deadline.remainingTime())));
        }
        return m_dialog->validation();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qRegisterMetaType<SignInDialog::Validation>();
        // Everything on the client side at every level; the sandbox's own request dump
        // (qt.httpserver) is the server's log, not the app's.
        QLoggingCategory::setFilterRules(
            QStringLiteral("*.debug=true\nqt.httpserver*.debug=false\nqt.widgets*.debug=false"));
        g_previousHandler = qInstallMessageHandler(captureMessage);

        SandboxConfig config;
        config.apiKeys = {{kFullKey, {}}, {kReadOnlyKey, {QStringLiteral("opportunities:read")}},
            {kScopedKey, kEveryScope + QStringList {QStringLiteral("lists:update")}},
            {kNoListsKey, without(kEveryScope, {QStringLiteral("lists:read")})},
            {kNoNamesKey,
                without(kEveryScope,
                    {QStringLiteral("members:read"), QStringLiteral("contacts:read")})},
            {kNoDealsKey, {QStringLiteral("accounts:read")}}};
        m_server = std::make_unique<SandboxServer>(config);
        seedSandbox(m_server->store(), {1, 10});
        const quint16 port = m_server->listenLoopback(0);
        QVERIFY(port != 0);
        m_sandboxUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));

        // A port that was free a moment ago and has nothing listening now: connection refused.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        m_closedUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(probe.serverPort()));
        probe.close();
    }

    void cleanupTestCase()
    {
        m_server.reset();
        qInstallMessageHandler(g_previousHandler);
        QMutexLocker lock(&g_logMutex);
        for (const QString &line : std::as_const(g_log)) {
            for (const QString &key : {kFullKey, kReadOnlyKey, kScopedKey, kWrongKey, kNoListsKey,
                     kNoNamesKey, kNoDealsKey})
                QVERIFY2(!line.contains(key), qPrintable(line));
        }
    }

    void init()
    {
        m_server->config().authValidate = SandboxConfig::AuthValidate::Present;
        m_clientsMade = 0;
        m_dialog = std::make_unique<SignInDialog>();
        m_dialog->setClientFactory(
            [this](QNetworkAccessManager *nam, const QUrl &baseUrl, const QString &apiKey) {
                ++m_clientsMade;
                LightfieldClient::Options options;
                options.baseUrl = baseUrl;
                options.apiKey = apiKey;
                options.transferTimeoutMs = 5000;
                options.retry = {1, 10, 10, 1000};
                return std::make_unique<LightfieldClient>(nam, options);
            });
        m_dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
    }

    void cleanup() { m_dialog.reset(); }

    void everyControlHasAnObjectName()
    {
        for (const char *name : {"apiKeyEdit", "showKeyButton", "keyStorageNotice",
                 "advancedToggle", "advancedPanel", "baseUrlEdit", "baseUrlError", "apiKeyLabel",
                 "resultLabel", "demoButton", "signInButton", "cancelButton"})
            QVERIFY2(m_dialog->findChild<QWidget *>(QString::fromLatin1(name)), name);
        QVERIFY(child<QAction>("showKeyAction"));
    }

    void keyIsHiddenUntilTheUserShowsIt()
    {
        QCOMPARE(keyEdit()->echoMode(), QLineEdit::Password);
        auto *toggle = child<QAction>("showKeyAction");
        QVERIFY(toggle->isCheckable());
        QTest::mouseClick(child<QToolButton>("showKeyButton"), Qt::LeftButton);
        QCOMPARE(keyEdit()->echoMode(), QLineEdit::Normal);
        QCOMPARE(toggle->text(), QStringLiteral("Hide"));
        toggle->trigger();
        QCOMPARE(keyEdit()->echoMode(), QLineEdit::Password);
    }

    void advancedIsCollapsedUntilOpened()
    {
        auto *panel = child<QWidget>("advancedPanel");
        QVERIFY(!panel->isVisible());
        QTest::mouseClick(child<QToolButton>("advancedToggle"), Qt::LeftButton);
        QVERIFY(panel->isVisible());
        QTest::mouseClick(child<QToolButton>("advancedToggle"), Qt::LeftButton);
        QVERIFY(!panel->isVisible());
    }

    void keyLabelIsTheFieldsBuddy()
    {
        auto *label = child<QLabel>("apiKeyLabel");
        QCOMPARE(label->buddy(), keyEdit());
        QCOMPARE(label->text(), QStringLiteral("API &key:"));
        QTest::keyClick(m_dialog.get(), Qt::Key_V, Qt::AltModifier);
        QTRY_VERIFY(urlEdit()->isVisible());
        QTest::keyClick(m_dialog.get(), Qt::Key_K, Qt::AltModifier);
        QTRY_COMPARE(QApplication::focusWidget(), keyEdit());
    }

    void signInIsTheOneDefaultButton()
    {
        QVERIFY(signInButton()->isEnabled());
        QVERIFY(signInButton()->isDefault());
        QCOMPARE(signInButton()->text(), QStringLiteral("&Sign In"));
        const QList<QPushButton *> buttons = m_dialog->findChildren<QPushButton *>();
        for (QPushButton *button : buttons)
            QVERIFY2(button == signInButton() || !button->isDefault(), qPrintable(button->text()));
        QVERIFY(!m_dialog->findChild<QWidget *>(QStringLiteral("validateButton")));
    }

    void noticeSitsBelowTheKeyField()
    {
        m_dialog->setKeyStorageNotice(SecretStore::memoryModeMessage());
        QTest::qWait(0);
        auto *notice = child<QLabel>("keyStorageNotice");
        const QRect key(keyEdit()->mapTo(m_dialog.get(), QPoint()), keyEdit()->size());
        const QRect shown(notice->mapTo(m_dialog.get(), QPoint()), notice->size());
        QVERIFY(!key.intersects(shown));
        QVERIFY(shown.top() >= key.bottom());
        QVERIFY(notice->height() >= notice->heightForWidth(notice->width()));
    }

    void validKeyWithFullAccessSignsInInOneStep()
    {
        QSignalSpy signedIn(m_dialog.get(), &SignInDialog::signedIn);
        QCOMPARE(validateWith(kFullKey, m_sandboxUrl), SignInDialog::Validation::Valid);
        QVERIFY2(resultLabel()->text().contains(QStringLiteral("full access")),
            qPrintable(resultLabel()->text()));
        QCOMPARE(signedIn.count(), 1);
        QCOMPARE(signedIn.at(0).at(0).toUrl(), m_sandboxUrl);
        QCOMPARE(signedIn.at(0).at(1).toString(), kFullKey);
        QCOMPARE(m_dialog->result(), int(QDialog::Accepted));
        QVERIFY(!m_dialog->isVisible());
    }

    void validKeyWithEveryNeededScopeListsThem()
    {
        QSignalSpy signedIn(m_dialog.get(), &SignInDialog::signedIn);
        QCOMPARE(validateWith(kScopedKey, m_sandboxUrl), SignInDialog::Validation::Valid);
        QVERIFY(resultLabel()->text().contains(QStringLiteral("accounts:read")));
        QVERIFY(m_dialog->grantedScopes().contains(QStringLiteral("lists:update")));
        QCOMPARE(signedIn.count(), 1);
    }

    void aReadOnlyKeySignsInWithEditingOff()
    {
        // A key that can read deals is never refused: it signs in, and says editing is off.
        QSignalSpy signedIn(m_dialog.get(), &SignInDialog::signedIn);
        QCOMPARE(validateWith(kReadOnlyKey, m_sandboxUrl), SignInDialog::Validation::Valid);
        QCOMPARE(signedIn.count(), 1);
        const Capabilities can = m_dialog->capabilities();
        QVERIFY(can.isReadOnly());
        QVERIFY(!can.canRead(QStringLiteral("lists")));
        QVERIFY2(resultLabel()->text().contains(QStringLiteral("can only read deals")),
            qPrintable(resultLabel()->text()));
        QVERIFY(!m_dialog->isVisible());
    }

    void fewerScopesSignInWithTheirCapabilities_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("lists");
        QTest::addColumn<bool>("names");
        QTest::newRow("no lists:read") << kNoListsKey << false << true;
        QTest::newRow("no members/contacts read") << kNoNamesKey << true << false;
    }
    void fewerScopesSignInWithTheirCapabilities()
    {
        QFETCH(QString, key);
        QFETCH(bool, lists);
        QFETCH(bool, names);
        QCOMPARE(validateWith(key, m_sandboxUrl), SignInDialog::Validation::Valid);
        const Capabilities can = m_dialog->capabilities();
        QVERIFY(!can.isReadOnly());
        QCOMPARE(can.canRead(QStringLiteral("lists")), lists);
        QCOMPARE(can.canReadObjectType(QStringLiteral("member")), names);
        QCOMPARE(can.canReadObjectType(QStringLiteral("contact")), names);
    }

    void aKeyThatCannotReadDealsIsRefused()
    {
        QCOMPARE(validateWith(kNoDealsKey, m_sandboxUrl), SignInDialog::Validation::MissingScopes);
        const QString text = resultLabel()->text();
        QVERIFY2(text.contains(QStringLiteral("opportunities:read")), qPrintable(text));
        QVERIFY(m_dialog->isVisible());
        QCOMPARE(keyEdit()->text(), kNoDealsKey);
    }

    void withoutTheKeyCheckRouteTheDealsListDecides_data()
    {
        QTest::addColumn<int>("validate");
        QTest::newRow("validate answers 404") << int(SandboxConfig::AuthValidate::Absent);
        QTest::newRow("validate malformed") << int(SandboxConfig::AuthValidate::Malformed);
        QTest::newRow("validate is an HTML page") << int(SandboxConfig::AuthValidate::Html);
    }
    void withoutTheKeyCheckRouteTheDealsListDecides()
    {
        QFETCH(int, validate);
        m_server->config().authValidate = SandboxConfig::AuthValidate(validate);
        QSignalSpy signedIn(m_dialog.get(), &SignInDialog::signedIn);
        QCOMPARE(validateWith(kNoNamesKey, m_sandboxUrl), SignInDialog::Validation::Valid);
        QCOMPARE(signedIn.count(), 1);
        const Capabilities can = m_dialog->capabilities();
        QCOMPARE(can.source(), Capabilities::Source::Probed);
        QVERIFY(!can.canReadObjectType(QStringLiteral("member")));
        QVERIFY(can.canRead(QStringLiteral("lists")));
        QVERIFY2(resultLabel()->text().contains(QStringLiteral("didn't list its permissions")),
            qPrintable(resultLabel()->text()));
    }

    void withoutTheKeyCheckRouteAWrongKeyIsStillRefused()
    {
        // Validate answers 404 whatever the key; the deals list's 401 refuses it.
        m_server->config().authValidate = SandboxConfig::AuthValidate::Absent;
        QCOMPARE(validateWith(kWrongKey, m_sandboxUrl), SignInDialog::Validation::WrongKey);
        QVERIFY2(resultLabel()->text().contains(QStringLiteral("didn't accept this API key")),
            qPrintable(resultLabel()->text()));
        QVERIFY(m_dialog->isVisible());
        m_server->config().authValidate = SandboxConfig::AuthValidate::Present;
    }

    void wrongKeyIsSaidSo()
    {
        QCOMPARE(validateWith(kWrongKey, m_sandboxUrl), SignInDialog::Validation::WrongKey);
        QVERIFY2(resultLabel()->text().contains(QStringLiteral("didn't accept this API key")),
            qPrintable(resultLabel()->text()));
        QVERIFY(!resultLabel()->text().contains(kWrongKey));
        // Still open, the key kept and focused for the user to fix it, Sign In ready again.
        QVERIFY(m_dialog->isVisible());
        QCOMPARE(keyEdit()->text(), kWrongKey);
        QCOMPARE(QApplication::focusWidget(), keyEdit());
        QVERIFY(signInButton()->isEnabled());
    }

    void noServerMeansNoNetwork()
    {
        QCOMPARE(validateWith(kFullKey, m_closedUrl), SignInDialog::Validation::NoNetwork);
        QVERIFY2(resultLabel()->text().contains(QStringLiteral("Can't reach 127.0.0.1")),
            qPrintable(resultLabel()->text()));
        QVERIFY(m_dialog->isVisible());
        QVERIFY(signInButton()->isEnabled()); // the user can try again
    }

    void plainHttpToARemoteHostIsRefusedInline()
    {
        QTest::mouseClick(child<QToolButton>("advancedToggle"), Qt::LeftButton);
        QTest::keyClicks(urlEdit(), QStringLiteral("http://api.lightfield.app"));
        auto *error = child<QLabel>("baseUrlError");
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains(QStringLiteral("https://")), qPrintable(error->text()));

        QTest::keyClicks(keyEdit(), kFullKey);
        QTest::mouseClick(signInButton(), Qt::LeftButton);
        QCOMPARE(m_dialog->validation(), SignInDialog::Validation::BadUrl);
        QVERIFY(resultLabel()->text().contains(QStringLiteral("server address")));
        QCOMPARE(m_clientsMade, 0); // nothing was sent
        QVERIFY(m_dialog->isVisible());

        // Loopback http (the sandbox) is fine, and the inline error goes away.
        urlEdit()->clear();
        QTest::keyClicks(urlEdit(), m_sandboxUrl.toString());
        QVERIFY(!error->isVisible());
    }

    void badUrlOpensAdvancedAndSaysWhy()
    {
        QTest::keyClicks(keyEdit(), kFullKey);
        m_dialog->setBaseUrl(QStringLiteral("ftp://api.lightfield.app"));
        child<QToolButton>("advancedToggle")->setChecked(false);
        m_dialog->signIn();
        QCOMPARE(m_dialog->validation(), SignInDialog::Validation::BadUrl);
        QVERIFY(child<QWidget>("advancedPanel")->isVisible());
        QCOMPARE(m_clientsMade, 0);
    }

    void emptyKeyIsSaidSo()
    {
        urlEdit()->setText(m_sandboxUrl.toString());
        m_dialog->signIn();
        QCOMPARE(m_dialog->validation(), SignInDialog::Validation::EmptyKey);
        QVERIFY(!resultLabel()->text().isEmpty());
        QCOMPARE(m_clientsMade, 0);
    }

    void anEditAfterAFailedSignInStartsOver()
    {
        QCOMPARE(validateWith(kWrongKey, m_sandboxUrl), SignInDialog::Validation::WrongKey);
        QTest::keyClick(keyEdit(), Qt::Key_X);
        QCOMPARE(m_dialog->validation(), SignInDialog::Validation::None);
        QVERIFY(signInButton()->isEnabled());
        QVERIFY(resultLabel()->text().isEmpty());
    }

    void anOlderAnswerIsDropped()
    {
        QSignalSpy changes(m_dialog.get(), &SignInDialog::validationChanged);
        QTest::keyClicks(keyEdit(), kWrongKey);
        urlEdit()->setText(m_sandboxUrl.toString());
        m_dialog->signIn();
        QCOMPARE(m_dialog->validation(), SignInDialog::Validation::Validating);
        // Edited before the 401 came back: that answer belongs to another key.
        keyEdit()->clear();
        QTest::keyClicks(keyEdit(), kFullKey);
        m_dialog->signIn();
        QTRY_COMPARE_WITH_TIMEOUT(m_dialog->validation(), SignInDialog::Validation::Valid, 10000);
        QTest::qWait(100);
        for (const QList<QVariant> &change : std::as_const(changes))
            QVERIFY(change.at(0).value<SignInDialog::Validation>()
                != SignInDialog::Validation::WrongKey);
        QCOMPARE(m_dialog->validation(), SignInDialog::Validation::Valid);
    }

    void enterSignsInInOneStep()
    {
        urlEdit()->setText(m_sandboxUrl.toString());
        keyEdit()->setFocus();
        QTest::keyClicks(keyEdit(), kFullKey);
        QSignalSpy signedIn(m_dialog.get(), &SignInDialog::signedIn);
        QTest::keyClick(keyEdit(), Qt::Key_Return);
        QVERIFY(m_dialog->validation() == SignInDialog::Validation::Validating
            || m_dialog->validation() == SignInDialog::Validation::Valid);
        QTRY_COMPARE_WITH_TIMEOUT(m_dialog->validation(), SignInDialog::Validation::Valid, 10000);
        QCOMPARE(signedIn.count(), 1);
        QCOMPARE(signedIn.at(0).at(1).toString(), kFullKey);
        QCOMPARE(m_dialog->result(), int(QDialog::Accepted));
    }

    void escapeCancels()
    {
        QTest::keyClicks(keyEdit(), kFullKey);
        QSignalSpy signedIn(m_dialog.get(), &SignInDialog::signedIn);
        QSignalSpy rejected(m_dialog.get(), &QDialog::rejected);
        QTest::keyClick(keyEdit(), Qt::Key_Escape);
        QCOMPARE(rejected.count(), 1);
        QCOMPARE(signedIn.count(), 0);
        QVERIFY(!m_dialog->isVisible());
    }

    void demoButtonAsksForTheDemo()
    {
        QSignalSpy demo(m_dialog.get(), &SignInDialog::demoRequested);
        QSignalSpy signedIn(m_dialog.get(), &SignInDialog::signedIn);
        QTest::mouseClick(child<QPushButton>("demoButton"), Qt::LeftButton);
        QCOMPARE(demo.count(), 1);
        QCOMPARE(signedIn.count(), 0);
        QCOMPARE(m_dialog->result(), SignInDialog::DemoResult);
    }

    void noKeychainNoticeIsShown()
    {
        auto *notice = child<QLabel>("keyStorageNotice");
        QVERIFY(notice->text().contains(QStringLiteral("keychain")));
        m_dialog->setKeyStorageNotice(SecretStore::memoryModeMessage());
        QCOMPARE(notice->text(), SecretStore::memoryModeMessage());
        QVERIFY(notice->text().contains(QStringLiteral("this session only")));
        m_dialog->setKeyStorageNotice({});
        QVERIFY(!notice->text().contains(QStringLiteral("this session only")));
    }
};

QTEST_MAIN(TestSignInDialog)
#include "tst_signindialog.moc"
