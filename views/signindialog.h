#pragma once

#include "net/apiresult.h"

#include <QDialog>
#include <QPointer>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <memory>

class LightfieldCall;
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
 * BaseUrlPolicy (https only; http only to loopback), asks the server about the key
 * (`GET /v1/auth/validate`) and, when the key works with every scope needed, emits signedIn()
 * and closes with Accepted. Otherwise the result label under the fields says why, and the
 * dialog stays open with the key as typed, for the user to fix it. validation() is the state
 * of the last attempt (any edit starts over). "Try the demo workspace" emits demoRequested()
 * and closes with DemoResult; Esc cancels.
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
        Valid, ///< the key works and has every scope in requiredScopes()
        MissingScopes, ///< the key works but lacks scopes (or the server answered 403)
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

    /** The scopes the app needs (an empty scope list from the server means full access). */
    static QStringList requiredScopes();

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
    /** The scopes the server reported in the last successful validation. */
    QStringList grantedScopes() const { return m_grantedScopes; }

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
    void handleValidated(const KeyInfoResult &reply, const QUrl &baseUrl);
    void handleDemo();
    void setAdvancedVisible(bool visible);
    void setValidation(Validation validation, const QString &text);
    /** Grows the shown dialog to the height its wrapped texts need at its width. */
    void fitToContents();
    void updateButtons();

    QNetworkAccessManager *m_nam = nullptr;
    ClientFactory m_factory;
    std::unique_ptr<LightfieldClient> m_client;
    QPointer<LightfieldCall> m_call;
    quint64 m_generation = 0;

    Validation m_validation = Validation::None;
    QUrl m_validatedUrl;
    QStringList m_grantedScopes;

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
