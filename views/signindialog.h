#pragma once

#include "net/capabilities.h"
#include "net/keycheck.h"

#include <QDialog>
#include <QPointer>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <memory>

class LightfieldClient;
class QAction;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;
class QToolButton;
class QWidget;

/**
 * First-run sign-in: the API key (hidden, with a show/hide toggle), the base
 * URL under "Advanced", "Try the demo workspace", Sign In and Cancel.
 *
 * **Flow.** Sign In (also Enter, wherever the focus is) is one step: it checks the URL with
 * BaseUrlPolicy (https only; http only to loopback), checks the key by what it can do
 * (KeyCheck: `GET /v1/auth/validate`, and when that cannot tell, the deals list) and, when the
 * key can read deals, emits signedIn() and closes with Accepted; capabilities() then says what
 * else it may do (a key that may only read signs in, and the window turns editing off). A key
 * is refused only when the server refused it on both requests. Otherwise the result label
 * under the fields says why, and the dialog stays open with the key as typed, for the user to
 * fix it. validation() is the state of the last attempt (any edit starts over). "Try the demo
 * workspace" emits demoRequested() and closes with DemoResult; Esc cancels.
 *
 * **The key.** The dialog never stores or logs it: it is handed out once, in signedIn(), for
 * the caller to put in the SecretStore. setKeyStorageNotice() shows where it will be kept
 * (e.g. SecretStore::memoryModeMessage() when there is no keychain).
 *
 * **Network.** Each validation makes a LightfieldClient with the ClientFactory (default: the
 * dialog's own QNetworkAccessManager, a 15 s timeout and one retry); tests inject one. A reply
 * to an older validation is dropped.
 */
class SignInDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignInDialog)

public:
    /** done() code after "Try the demo workspace" (Accepted = signed in, Rejected = cancel). */
    static constexpr int DemoResult = 2;

    enum class Validation : quint8
    {
        None, ///< not validated yet (or edited since)
        Validating,
        Valid, ///< the key can read deals (capabilities() says what else)
        MissingScopes, ///< the server refused to list deals with this key (403)
        WrongKey, ///< 401, or a key the server says is inactive
        NoNetwork, ///< no connection, or a timeout
        BadUrl, ///< BaseUrlPolicy refused the base URL
        EmptyKey,
        Failed, ///< anything else (server error, unreadable answer)
    };
    Q_ENUM(Validation)

    /** Makes the client for one validation; `nam` is the dialog's and outlives the client. */
    using ClientFactory = std::function<std::unique_ptr<LightfieldClient>(
        QNetworkAccessManager *nam, const QUrl &baseUrl, const QString &apiKey)>;

    explicit SignInDialog(QWidget *parent = nullptr);
    ~SignInDialog() override;

    void setClientFactory(ClientFactory factory);

    /** Prefills the base URL (e.g. AppSettings::baseUrl()); empty = the default. */
    void setBaseUrl(const QString &url);
    /** The base URL field as typed (empty = the default). */
    QString baseUrlText() const;
    /** Prefills the key field (e.g. after a 401, to let the user fix it). */
    void setApiKey(const QString &apiKey);

    /** A line under the key about where it will be kept; empty restores the default text. */
    void setKeyStorageNotice(const QString &text, bool warning = true);

    Validation validation() const { return m_validation; }
    /** The text shown for validation(). */
    QString validationText() const;
    /** The scopes the server reported in the last successful validation (empty: full access,
     *  or not reported). */
    QStringList grantedScopes() const { return m_capabilities.scopes(); }
    /** What the key may do, from the last successful validation (for signedIn()). */
    Capabilities capabilities() const { return m_capabilities; }

public Q_SLOTS:
    /** Same as clicking Sign In: checks the key, and signs in when it works. */
    void signIn();

Q_SIGNALS:
    /** The key works: the dialog is closing with Accepted. `baseUrl` is normalised. */
    void signedIn(const QUrl &baseUrl, const QString &apiKey);
    void demoRequested();
    /** Every change of validation(). */
    void validationChanged(SignInDialog::Validation validation);

private:
    void buildUi();
    void handleInputEdited();
    void handleBaseUrlEdited();
    void handleChecked(const KeyCheck::Result &result, const QUrl &baseUrl);
    void handleDemo();
    void setAdvancedVisible(bool visible);
    void setValidation(Validation validation, const QString &text);
    /** Grows the shown dialog to the height its wrapped texts need at its width. */
    void fitToContents();
    void updateButtons();

    QNetworkAccessManager *m_nam = nullptr;
    ClientFactory m_factory;
    std::unique_ptr<LightfieldClient> m_client;
    QPointer<KeyCheck> m_check;
    quint64 m_generation = 0;

    Validation m_validation = Validation::None;
    QUrl m_validatedUrl;
    Capabilities m_capabilities;

    QLineEdit *m_keyEdit = nullptr;
    QAction *m_showKeyAction = nullptr;
    QLabel *m_storageNotice = nullptr;
    QToolButton *m_advancedToggle = nullptr;
    QWidget *m_advancedPanel = nullptr;
    QLineEdit *m_baseUrlEdit = nullptr;
    QLabel *m_baseUrlError = nullptr;
    QLabel *m_resultLabel = nullptr;
    QPushButton *m_demoButton = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_signInButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
};
