#include "signindialog.h"

#include "net/baseurlpolicy.h"
#include "net/errortext.h"
#include "net/lightfieldclient.h"

#include <QAction>
#include <QColor>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPalette>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

std::unique_ptr<LightfieldClient> defaultClient(
    QNetworkAccessManager *nam, const QUrl &baseUrl, const QString &apiKey)
{
    LightfieldClient::Options options;
    options.baseUrl = baseUrl;
    options.apiKey = apiKey;
    // The user is waiting for an answer: one quick retry, then say what happened.
    options.transferTimeoutMs = 15000;
    options.retry.maxAttempts = 2;
    options.retry.baseDelayMs = 250;
    options.retry.maxDelayMs = 1000;
    return std::make_unique<LightfieldClient>(nam, std::move(options));
}

} // namespace

SignInDialog::SignInDialog(QWidget *parent)
    : QDialog(parent)
    , m_nam(new QNetworkAccessManager(this))
    , m_factory(defaultClient)
{
    setObjectName(QStringLiteral("signInDialog"));
    setWindowTitle(tr("Sign in to Lightfield"));
    buildUi();
    updateButtons();
}

SignInDialog::~SignInDialog()
{
    // The check borrows m_client: it goes first.
    delete m_check.data();
}

void SignInDialog::buildUi()
{
    auto *intro = new QLabel(tr("Paste an API key from Lightfield (Settings → API keys), or try "
                                "the app with invented data first."),
        this);
    intro->setObjectName(QStringLiteral("introLabel"));
    intro->setWordWrap(true);

    m_keyEdit = new QLineEdit(this);
    m_keyEdit->setObjectName(QStringLiteral("apiKeyEdit"));
    m_keyEdit->setEchoMode(QLineEdit::Password);
    m_keyEdit->setPlaceholderText(QStringLiteral("sk_lf_…"));
    m_keyEdit->setAccessibleName(tr("API key"));
    m_keyEdit->setClearButtonEnabled(true);
    // No completion, no undo history of the key kept beyond the field itself.
    m_keyEdit->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhSensitiveData
        | Qt::ImhNoPredictiveText | Qt::ImhNoAutoUppercase);

    m_showKeyAction = new QAction(tr("Show"), this);
    m_showKeyAction->setObjectName(QStringLiteral("showKeyAction"));
    m_showKeyAction->setCheckable(true);
    m_showKeyAction->setIcon(QIcon::fromTheme(QStringLiteral("view-visible")));
    m_showKeyAction->setToolTip(tr("Show the key"));
    connect(m_showKeyAction, &QAction::toggled, this, [this](bool shown) {
        m_keyEdit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_showKeyAction->setText(shown ? tr("Hide") : tr("Show"));
        m_showKeyAction->setToolTip(shown ? tr("Hide the key") : tr("Show the key"));
    });
    auto *showKeyButton = new QToolButton(this);
    showKeyButton->setObjectName(QStringLiteral("showKeyButton"));
    showKeyButton->setDefaultAction(m_showKeyAction);
    showKeyButton->setToolButtonStyle(Qt::ToolButtonTextOnly);

    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_keyEdit, 1);
    keyRow->addWidget(showKeyButton);

    m_storageNotice = new QLabel(this);
    m_storageNotice->setObjectName(QStringLiteral("keyStorageNotice"));
    m_storageNotice->setWordWrap(true);
    setKeyStorageNotice({});

    m_advancedToggle = new QToolButton(this);
    m_advancedToggle->setObjectName(QStringLiteral("advancedToggle"));
    m_advancedToggle->setText(tr("Ad&vanced"));
    m_advancedToggle->setCheckable(true);
    m_advancedToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_advancedToggle->setArrowType(Qt::RightArrow);
    m_advancedToggle->setAutoRaise(true);
    connect(m_advancedToggle, &QToolButton::toggled, this, &SignInDialog::setAdvancedVisible);

    m_advancedPanel = new QWidget(this);
    m_advancedPanel->setObjectName(QStringLiteral("advancedPanel"));
    m_baseUrlEdit = new QLineEdit(m_advancedPanel);
    m_baseUrlEdit->setObjectName(QStringLiteral("baseUrlEdit"));
    m_baseUrlEdit->setPlaceholderText(BaseUrlPolicy::defaultUrl().toString());
    m_baseUrlEdit->setAccessibleName(tr("Server address"));
    m_baseUrlError = new QLabel(m_advancedPanel);
    m_baseUrlError->setObjectName(QStringLiteral("baseUrlError"));
    m_baseUrlError->setWordWrap(true);
    QPalette errorPalette = m_baseUrlError->palette();
    errorPalette.setColor(QPalette::WindowText, QColor(0xb0, 0x1c, 0x1c));
    m_baseUrlError->setPalette(errorPalette);
    m_baseUrlError->hide();
    auto *advancedForm = new QFormLayout(m_advancedPanel);
    advancedForm->setContentsMargins(0, 0, 0, 0);
    advancedForm->addRow(tr("Server &address:"), m_baseUrlEdit);
    advancedForm->addRow(QString(), m_baseUrlError);
    m_advancedPanel->hide();

    m_resultLabel = new QLabel(this);
    m_resultLabel->setObjectName(QStringLiteral("resultLabel"));
    m_resultLabel->setWordWrap(true);
    m_resultLabel->setTextFormat(Qt::PlainText);
    m_resultLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_demoButton = new QPushButton(tr("Try the &demo workspace"), this);
    m_demoButton->setObjectName(QStringLiteral("demoButton"));
    m_demoButton->setToolTip(
        tr("Starts a sandbox on this computer with invented deals; nothing is sent anywhere."));

    m_buttons = new QDialogButtonBox(this);
    m_buttons->setObjectName(QStringLiteral("buttonBox"));
    m_signInButton = m_buttons->addButton(tr("&Sign In"), QDialogButtonBox::AcceptRole);
    m_signInButton->setObjectName(QStringLiteral("signInButton"));
    m_cancelButton = m_buttons->addButton(QDialogButtonBox::Cancel);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));

    // Enter always means Sign In, wherever the focus is; no button takes the default just by
    // having focus.
    for (QPushButton *button : {m_demoButton, m_signInButton, m_cancelButton})
        button->setAutoDefault(false);
    m_signInButton->setDefault(true);

    // The label is made here, not by QFormLayout::addRow(text, layout): a row given a layout
    // gets a label without a buddy, which shows the "&" instead of a mnemonic.
    auto *keyLabel = new QLabel(tr("API &key:"), this);
    keyLabel->setObjectName(QStringLiteral("apiKeyLabel"));
    keyLabel->setBuddy(m_keyEdit);
    auto *form = new QFormLayout;
    form->addRow(keyLabel, keyRow);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_storageNotice);
    layout->addWidget(m_advancedToggle, 0, Qt::AlignLeft);
    layout->addWidget(m_advancedPanel);
    layout->addWidget(m_resultLabel);
    layout->addSpacing(8);
    layout->addWidget(m_demoButton, 0, Qt::AlignLeft);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_keyEdit, &QLineEdit::textEdited, this, &SignInDialog::handleInputEdited);
    connect(m_baseUrlEdit, &QLineEdit::textEdited, this, &SignInDialog::handleBaseUrlEdited);
    connect(m_demoButton, &QPushButton::clicked, this, &SignInDialog::handleDemo);
    connect(m_signInButton, &QPushButton::clicked, this, &SignInDialog::signIn);
    connect(m_cancelButton, &QPushButton::clicked, this, &QDialog::reject);

    m_keyEdit->setFocus();
}

void SignInDialog::setClientFactory(ClientFactory factory)
{
    m_factory = factory ? std::move(factory) : ClientFactory(defaultClient);
}

void SignInDialog::setBaseUrl(const QString &url)
{
    m_baseUrlEdit->setText(url);
    handleBaseUrlEdited();
    // A non-default address is shown, so the user sees where the key will go.
    if (!url.isEmpty())
        m_advancedToggle->setChecked(true);
}

QString SignInDialog::baseUrlText() const
{
    return m_baseUrlEdit->text().trimmed();
}

void SignInDialog::setApiKey(const QString &apiKey)
{
    m_keyEdit->setText(apiKey);
    handleInputEdited();
}

void SignInDialog::setKeyStorageNotice(const QString &text, bool warning)
{
    if (text.isEmpty()) {
        m_storageNotice->setText(
            tr("The key is kept in your system keychain, never in a file or a log."));
    } else {
        m_storageNotice->setText(text);
    }
    QFont font = m_storageNotice->font();
    font.setBold(!text.isEmpty() && warning);
    m_storageNotice->setFont(font);
    fitToContents();
}

void SignInDialog::fitToContents()
{
    // A shown dialog keeps its height when a wrapped label gets more lines (the window's
    // minimum size ignores height-for-width), so the notice would be squeezed over the key
    // field: grow to the height the layout needs at this width.
    if (!isVisible() || !layout())
        return;
    layout()->activate();
    const int needed = layout()->totalHeightForWidth(width());
    if (needed > height())
        resize(width(), needed);
}

QString SignInDialog::validationText() const
{
    return m_resultLabel->text();
}

void SignInDialog::setAdvancedVisible(bool visible)
{
    m_advancedToggle->setArrowType(visible ? Qt::DownArrow : Qt::RightArrow);
    m_advancedPanel->setVisible(visible);
    fitToContents();
    if (m_advancedToggle->isChecked() != visible)
        m_advancedToggle->setChecked(visible);
}

void SignInDialog::handleInputEdited()
{
    // Any edit invalidates the last answer, and drops the one still on its way.
    ++m_generation;
    // Its calls are abandoned when it goes: its answer would be stale. (Never called from
    // inside the check's own finished().)
    delete m_check.data();
    m_check = nullptr;
    m_capabilities = Capabilities();
    if (m_validation != Validation::None)
        setValidation(Validation::None, {});
    updateButtons();
}

void SignInDialog::handleBaseUrlEdited()
{
    const QString text = baseUrlText();
    const BaseUrlPolicy::Resolved checked = text.isEmpty()
        ? BaseUrlPolicy::check(BaseUrlPolicy::defaultUrl().toString(), QStringLiteral("default"))
        : BaseUrlPolicy::check(text, QStringLiteral("settings"));
    m_baseUrlError->setText(checked.error);
    m_baseUrlError->setVisible(!checked.isValid());
    handleInputEdited();
}

void SignInDialog::signIn()
{
    if (m_validation == Validation::Validating)
        return;
    handleInputEdited();
    const QString key = m_keyEdit->text().trimmed();
    const QString urlText = baseUrlText();
    const BaseUrlPolicy::Resolved resolved = urlText.isEmpty()
        ? BaseUrlPolicy::check(BaseUrlPolicy::defaultUrl().toString(), QStringLiteral("default"))
        : BaseUrlPolicy::check(urlText, QStringLiteral("settings"));
    if (!resolved.isValid()) {
        m_baseUrlError->setText(resolved.error);
        m_baseUrlError->show();
        setAdvancedVisible(true);
        setValidation(Validation::BadUrl,
            tr("Check the server address under Advanced: %1").arg(resolved.error));
        m_baseUrlEdit->setFocus();
        return;
    }
    if (key.isEmpty()) {
        setValidation(Validation::EmptyKey, tr("Enter your API key first."));
        m_keyEdit->setFocus();
        return;
    }

    setValidation(Validation::Validating, tr("Checking the key with %1…").arg(resolved.url.host()));
    if (m_client)
        m_client.reset();
    m_client = m_factory(m_nam, resolved.url, key);
    const quint64 generation = m_generation;
    const QUrl url = resolved.url;
    m_check = new KeyCheck(*m_client, this);
    connect(m_check, &KeyCheck::finished, this,
        [this, generation, url, check = m_check.data()](const KeyCheck::Result &result) {
            check->deleteLater();
            if (generation != m_generation)
                return;
            m_check = nullptr;
            handleChecked(result, url);
        });
    m_check->start();
    updateButtons();
}

void SignInDialog::handleChecked(const KeyCheck::Result &result, const QUrl &baseUrl)
{
    switch (result.outcome) {
    case KeyCheck::Outcome::Works:
        break;
    case KeyCheck::Outcome::WrongKey:
        setValidation(Validation::WrongKey,
            tr("Lightfield didn't accept this API key. Check that you copied all of it, or "
               "create a new key in Lightfield (Settings → API keys)."));
        break;
    case KeyCheck::Outcome::Inactive:
        setValidation(Validation::WrongKey,
            tr("This API key is no longer active. Create a new key in Lightfield (Settings → "
               "API keys)."));
        break;
    case KeyCheck::Outcome::CannotReadDeals:
        setValidation(Validation::MissingScopes,
            tr("Lightfield accepted this API key but won't let it read deals. Ask a Lightfield "
               "admin for a key with the opportunities:read scope."));
        break;
    case KeyCheck::Outcome::NoNetwork:
        setValidation(Validation::NoNetwork,
            tr("Can't reach %1. Check your internet connection (and the server address "
               "under Advanced), then try again.")
                .arg(baseUrl.host()));
        break;
    case KeyCheck::Outcome::BadUrl:
        setValidation(Validation::BadUrl,
            m_client && !m_client->baseUrlError().isEmpty() ? m_client->baseUrlError()
                                                            : result.error.message());
        break;
    case KeyCheck::Outcome::Failed:
        setValidation(Validation::Failed, ErrorText::userMessage(result.error));
        break;
    }
    if (result.outcome != KeyCheck::Outcome::Works) {
        updateButtons();
        // The dialog stays, with the key, for the user to fix it or try again.
        m_keyEdit->setFocus();
        return;
    }

    m_capabilities = result.capabilities;
    m_validatedUrl = baseUrl;
    QString text;
    if (m_capabilities.isFullAccess()) {
        text = tr("The key is valid, with full access.");
    } else if (m_capabilities.source() == Capabilities::Source::Scopes) {
        text = tr("The key is valid (scopes: %1).")
                   .arg(m_capabilities.scopes().join(QStringLiteral(", ")));
    } else {
        text = tr("The key works. Lightfield didn't list its permissions, so the app will find "
                  "out what it may change as it goes.");
    }
    if (!m_capabilities.editingNotice().isEmpty())
        text += QLatin1Char(' ') + m_capabilities.editingNotice();
    setValidation(Validation::Valid, text);
    updateButtons();
    Q_EMIT signedIn(m_validatedUrl, m_keyEdit->text().trimmed());
    accept();
}

void SignInDialog::handleDemo()
{
    handleInputEdited();
    Q_EMIT demoRequested();
    done(DemoResult);
}

void SignInDialog::setValidation(Validation validation, const QString &text)
{
    m_resultLabel->setText(text);
    fitToContents();
    if (m_validation == validation)
        return;
    m_validation = validation;
    Q_EMIT validationChanged(validation);
}

void SignInDialog::updateButtons()
{
    // One request at a time: the button comes back with the answer.
    m_signInButton->setEnabled(m_validation != Validation::Validating);
}
