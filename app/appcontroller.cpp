#include "appcontroller.h"

#include "appinfo.h"
#include "board/dealcharts.h"
#include "board/pipelineboardview.h"
#include "demosandbox.h"
#include "editcontroller.h"
#include "instancechannel.h"
#include "itemmodels/opportunitysortfilterproxymodel.h"
#include "logging.h"
#include "mainwindow.h"
#include "net/baseurlpolicy.h"
#include "net/keycheck.h"
#include "net/lightfieldclient.h"
#include "net/secretredactor.h"
#include "settingsdialog.h"
#include "signindialog.h"
#include "store/localstore.h"
#include "store/workspacepaths.h"
#include "sync/syncengine.h"
#include "workspacesession.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QUrl>

#include <cstdio>

namespace {
// How long --screenshot waits for the first painted rows before it saves what is there.
constexpr int kScreenshotDeadlineMs = 60'000;
// A window opened while a `sync` holds the workspace waits this long for it to hand over (it
// finishes the requests on the wire first, up to 15 s), asking again every kBusyRetryMs.
constexpr qint64 kBusyWaitMs = 30'000;
constexpr int kBusyRetryMs = 250;
} // namespace

AppController::AppController(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_secrets(m_options.secretBackend ? std::make_unique<SecretStore>(m_options.secretBackend())
                                        : std::make_unique<SecretStore>())
{
}

AppController::~AppController()
{
    // The editing wiring takes its widgets out of the window; the session's models are shown
    // by the window: drop the wiring, then the window, then the session.
    m_edit.reset();
    m_window.reset();
    m_session.reset();
}

void AppController::start()
{
    m_settings.migrate();
    m_window = std::make_unique<MainWindow>();
    connect(m_window.get(), &MainWindow::aboutRequested, this, &AppController::showAbout);
    connect(m_window.get(), &MainWindow::signOutRequested, this, &AppController::signOut);
    connect(m_window.get(), &MainWindow::signInRequested, this, &AppController::showSignIn);
    connect(m_window.get(), &MainWindow::demoRequested, this, &AppController::startDemo);
    connect(m_window.get(), &MainWindow::settingsRequested, this, &AppController::showSettings);
    connect(m_window.get(), &MainWindow::syncRequested, this, [this] {
        if (m_session)
            m_session->syncNow();
    });
    connect(
        m_window.get(), &MainWindow::openInLightfieldRequested, this, [this](const QString &id) {
            if (const QUrl link = dealLink(id); link.isValid())
                QDesktopServices::openUrl(link);
        });
    connect(m_window.get(), &MainWindow::copyLinkRequested, this, [this](const QString &id) {
        if (const QUrl link = dealLink(id); link.isValid()) {
            QGuiApplication::clipboard()->setText(link.toString());
            m_window->statusBar()->showMessage(tr("Link copied."), 3000);
        }
    });
    connect(m_window.get(), &MainWindow::workOfflineToggled, this, [this](bool offline) {
        m_settings.setWorkOffline(offline);
        if (m_session)
            m_session->sync().setWorkOffline(offline);
    });
    connect(m_window.get(), &MainWindow::firstDataPainted, this, [this] {
        if (m_options.screenshotPath.isEmpty())
            return;
        if (m_options.screenshotView == QLatin1String("table") || !m_session) {
            finishScreenshot(0);
            return;
        }
        // The other views are shown once the first sync has brought every deal in.
        connect(
            m_session.get(), &WorkspaceSession::syncFinished, this,
            [this] { prepareScreenshotView(); }, Qt::SingleShotConnection);
    });
    connect(m_secrets.get(), &SecretStore::secretError, this,
        [this](SecretStore::ErrorKind, const QString &message) {
            m_window->statusBar()->showMessage(message, 15'000);
            if (m_signIn)
                m_signIn->setKeyStorageNotice(message);
        });
    if (m_options.screenshotSize.isValid())
        m_window->resizeWithinScreen(m_options.screenshotSize);
    m_window->show();

    if (!m_options.screenshotPath.isEmpty()) {
        QTimer::singleShot(kScreenshotDeadlineMs, this, [this] { finishScreenshot(1); });
    }

    if (m_options.screenshotView == QLatin1String("signin")) {
        // What a rep sees before any workspace: the signed-out window and the sign-in dialog
        // (the keychain is not read).
        m_window->setWorkspaceDescription(tr("Not signed in"));
        m_window->setSignedIn(false);
        showSignIn();
        QTimer::singleShot(1000, this, [this] { finishScreenshot(0); });
        return;
    }
    if (m_options.workspace) {
        const Options::Workspace &w = *m_options.workspace;
        openWorkspace(w.baseUrl, w.apiKey, w.identity, w.description,
            m_settings.capabilities(w.baseUrl, w.identity));
        return;
    }
    if (m_options.demo) {
        startDemo();
        return;
    }
    const BaseUrlPolicy::Resolved base = BaseUrlPolicy::resolve(m_settings.baseUrl());
    if (!base.isValid()) {
        m_window->setConnectionState(tr("Not signed in · %1").arg(base.error));
        showSignIn();
        return;
    }
    m_secretEntry = SecretStore::entryName(base.url, m_settings.lastWorkspaceId());
    connect(m_secrets.get(), &SecretStore::keyRead, this,
        [this, url = base.url](const QString &entry, const QString &key) {
            if (entry != m_secretEntry || m_session)
                return;
            if (key.isEmpty())
                showSignIn();
            else
                // What the last sign-in found the key may do: the app opens from its cache
                // with the same limits, online or not.
                openWorkspace(url, key, m_settings.lastWorkspaceId(), url.host(),
                    m_settings.capabilities(url, m_settings.lastWorkspaceId()));
        });
    m_secrets->importLegacyKey(m_settings, m_secretEntry);
    m_secrets->readKey(m_secretEntry);
    if (!m_options.screenshotPath.isEmpty()) {
        // Nothing to wait for without a key: show the signed-out window.
        m_window->setWorkspaceDescription(tr("Not signed in"));
        QTimer::singleShot(500, this, [this] {
            if (!m_session)
                finishScreenshot(0);
        });
    }
}

void AppController::startDemo()
{
    m_window->setSignedIn(true);
    m_window->setWorkspaceDescription(tr("Demo workspace"));
    m_window->setConnectionState(tr("Starting the demo sandbox…"));
    if (m_sandbox) {
        // Still running from before a sign-out: open it again; still starting: ready() will.
        if (m_sandbox->baseUrl().isValid())
            handleDemoReady(m_sandbox->baseUrl());
        return;
    }
    m_sandbox = new DemoSandbox(this);
    m_sandbox->setApiKeyScopes(m_options.demoScopes);
    connect(m_sandbox, &DemoSandbox::ready, this, &AppController::handleDemoReady);
    connect(m_sandbox, &DemoSandbox::failed, this, &AppController::handleDemoFailed);
    m_sandbox->start();
}

void AppController::handleDemoReady(const QUrl &baseUrl)
{
    // The demo key guards an invented workspace on loopback: it is not a secret, and it is
    // never written to the keychain. It is checked as any key is, so a demo whose key has
    // fewer scopes (--demo-scopes) shows the window as such a key would.
    const QString key = QString::fromLatin1(DemoSandbox::kDemoApiKey);
    // One holder, whose children go in this order: the check, the client, then their QNAM.
    auto *holder = new QObject(this);
    auto *nam = new QNetworkAccessManager;
    LightfieldClient::Options options;
    options.baseUrl = baseUrl;
    options.apiKey = key;
    options.transferTimeoutMs = 15000;
    auto *client = new LightfieldClient(nam, options);
    auto *check = new KeyCheck(*client, holder);
    client->setParent(holder);
    nam->setParent(holder);
    connect(check, &KeyCheck::finished, this,
        [this, holder, baseUrl, key](const KeyCheck::Result &result) {
            holder->deleteLater();
            if (m_session)
                return;
            openWorkspace(baseUrl, key, QStringLiteral("demo"), tr("Demo workspace"),
                result.outcome == KeyCheck::Outcome::Works ? result.capabilities : Capabilities());
        });
    check->start();
}

void AppController::handleDemoFailed(const QString &message)
{
    m_window->setConnectionState(tr("Offline · %1").arg(message));
    if (m_sandbox)
        m_sandbox->deleteLater(); // a later "Open Demo Workspace" starts a new one
    m_sandbox = nullptr;
    if (!m_session) {
        m_window->setWorkspaceDescription(tr("Not signed in"));
        m_window->setSignedIn(false);
    }
    if (!m_options.screenshotPath.isEmpty()) {
        QTimer::singleShot(0, this, [this] { finishScreenshot(1); });
        return;
    }
    QMessageBox::warning(m_window.get(), tr("Demo workspace"), message);
}

void AppController::showSignIn()
{
    if (m_signIn) {
        m_signIn->raise();
        m_signIn->activateWindow();
        return;
    }
    if (!m_options.screenshotPath.isEmpty() && m_options.screenshotView != QLatin1String("signin"))
        return;
    if (!m_session) {
        // Behind the dialog, and after Cancel: the window says so and offers the way back.
        m_window->setWorkspaceDescription(tr("Not signed in"));
        m_window->setSignedIn(false);
    }
    m_window->setConnectionState(tr("Not signed in"));
    auto *dialog = new SignInDialog(m_window.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setBaseUrl(m_settings.baseUrl());
    if (m_secrets->mode() == SecretStore::Mode::Memory)
        dialog->setKeyStorageNotice(SecretStore::memoryModeMessage());
    connect(
        dialog, &SignInDialog::signedIn, this, [this, dialog](const QUrl &url, const QString &key) {
            m_settings.setBaseUrl(url == BaseUrlPolicy::defaultUrl() ? QString() : url.toString());
            m_secretEntry = SecretStore::entryName(url, m_settings.lastWorkspaceId());
            m_secrets->writeKey(m_secretEntry, key);
            // What the key may do is kept with the workspace (never the key): the next start
            // opens from the cache with the same limits, until the next sign-in checks again.
            const Capabilities capabilities = dialog->capabilities();
            m_settings.setCapabilities(url, m_settings.lastWorkspaceId(), capabilities);
            openWorkspace(url, key, m_settings.lastWorkspaceId(), url.host(), capabilities);
        });
    connect(dialog, &SignInDialog::demoRequested, this, &AppController::startDemo);
    connect(dialog, &QDialog::rejected, this, [this] {
        // Cancelled: back to the window, its Sign In… button focused.
        if (m_session)
            return;
        m_window->activateWindow();
        m_window->setSignedIn(false);
    });
    m_signIn = dialog;
    dialog->open();
}

void AppController::openWorkspace(const QUrl &baseUrl, const QString &apiKey,
    const QString &identity, const QString &description, const Capabilities &capabilities)
{
    SecretRedactor::addSecret(apiKey);
    m_edit.reset();
    m_window->setDealsModel(nullptr);
    m_session.reset();
    WorkspaceSession::Settings settings {
        baseUrl, apiKey, identity, dataRoot(), m_settings.workOffline()};
    settings.clock = m_options.clock;
    settings.capabilities = capabilities;
    auto session = std::make_unique<WorkspaceSession>(std::move(settings));
    if (!session->open()) {
        if (session->isBusy()) {
            handleBusyWorkspace(baseUrl, apiKey, identity, description, capabilities,
                session->holderPid(), QDateTime::currentMSecsSinceEpoch() + kBusyWaitMs);
            return;
        }
        m_window->setConnectionState(tr("Offline · %1").arg(session->errorMessage()));
        if (m_options.screenshotPath.isEmpty())
            QMessageBox::critical(m_window.get(), tr("Lightfield Deals"), session->errorMessage());
        return;
    }
    m_session = std::move(session);
    m_sessionHost = baseUrl.host();
    m_sessionUrl = baseUrl;
    m_dataFolder
        = QFileInfo(WorkspacePaths::databasePath(baseUrl, identity, dataRoot())).absolutePath();
    m_window->setSignedIn(true);
    // The rep's Work Offline switch outlives a restart: nothing is sent until they turn it off
    // (the session started its engine with it).
    m_window->setWorkOffline(m_settings.workOffline());

    m_window->setWorkspaceDescription(description);
    m_window->setConnectionState(tr("Connecting to %1…").arg(baseUrl.host()));
    m_window->setDealsModel(m_session->proxyModel());
    m_window->dealsView()->sortByColumn(0, Qt::AscendingOrder);
    m_edit = std::make_unique<EditController>(*m_session, *m_window);
    if (!m_session->openNotice().isEmpty() && m_options.screenshotPath.isEmpty())
        announceOpenNotice();
    connect(m_session.get(), &WorkspaceSession::tableLoadProgress, m_window.get(),
        [this](int loaded, int total) {
            if (loaded < total && total > 0)
                m_window->statusBar()->showMessage(
                    tr("Loading deals… %1 %").arg(qint64(loaded) * 100 / total));
            else
                m_window->statusBar()->clearMessage();
        });
    connect(m_window.get(), &MainWindow::sidebarEntryActivated, this,
        &AppController::applySidebarEntry, Qt::UniqueConnection);
    connect(m_session.get(), &WorkspaceSession::countsChanged, m_window.get(),
        &MainWindow::setSyncCounts);
    connect(m_session.get(), &WorkspaceSession::countsUnreadable, m_window.get(),
        &MainWindow::setSyncCountsUnreadable);
    connect(m_session.get(), &WorkspaceSession::raiseRequested, this, &AppController::raiseWindow);
    connect(m_session.get(), &WorkspaceSession::handedOverWrite, m_window.get(),
        [this](const QString &, qint64 seq) {
            m_window->statusBar()->showMessage(
                tr("Queued edit #%1 from the command line.").arg(seq), 5000);
        });
    // The counts of a queue left by the last run, which open() announced before this connect.
    m_session->refreshCounts();
    connect(m_session.get(), &WorkspaceSession::syncProgress, m_window.get(),
        &MainWindow::setSyncProgress);
    connect(m_session.get(), &WorkspaceSession::onlineChanged, m_window.get(),
        [this, host = baseUrl.host()](bool online, const QString &text) {
            m_window->setConnectionState(online ? tr("● Online") : tr("○ %1").arg(text));
            m_window->statusBar()->setToolTip(tr("Connected to %1").arg(host));
        });
    connect(m_session.get(), &WorkspaceSession::syncFinished, this,
        [this](bool ok, const QString &message) {
            if (ok) {
                m_window->setLastSync(QDateTime::currentDateTimeUtc());
                m_window->setConnectionState(tr("● Online"));
            } else
                m_window->statusBar()->showMessage(tr("Sync failed: %1").arg(message), 15'000);
        });
    // Until the next message: the rep should know the table is missing deals.
    connect(m_session.get(), &WorkspaceSession::dealsUnreadable, m_window.get(), [this](int count) {
        m_window->statusBar()->showMessage(count == 1
                ? tr("1 deal could not be read; it is kept in the cache as received")
                : tr("%1 deals could not be read; they are kept in the cache as "
                     "received")
                      .arg(count));
    });
}

void AppController::announceOpenNotice()
{
    // Opened, not exec'd: the window stays usable, and the rep can also recover later from
    // File ▸ Recover Edits from a Damaged Cache….
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Lightfield Deals"),
        m_session->openNotice(), QMessageBox::Close, m_window.get());
    box->setObjectName(QStringLiteral("openNotice"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    if (m_edit->hasEditsToRecover()) {
        box->setInformativeText(tr("Its queued edits can be recovered: File ▸ Recover Edits "
                                   "from a Damaged Cache…"));
        QPushButton *recover = box->addButton(tr("&Recover Edits…"), QMessageBox::AcceptRole);
        recover->setObjectName(QStringLiteral("recoverEditsButton"));
        box->setDefaultButton(recover);
        connect(recover, &QPushButton::clicked, m_edit.get(), &EditController::recoverEdits);
    }
    box->open();
}

void AppController::handleBusyWorkspace(const QUrl &baseUrl, const QString &apiKey,
    const QString &identity, const QString &description, const Capabilities &capabilities,
    qint64 holderPid, qint64 deadlineMs)
{
    const QString folder
        = QFileInfo(WorkspacePaths::databasePath(baseUrl, identity, dataRoot())).absolutePath();
    const auto retry
        = [this, baseUrl, apiKey, identity, description, capabilities, holderPid, deadlineMs] {
              if (QDateTime::currentMSecsSinceEpoch() > deadlineMs) {
                  const QString message
                      = tr("Another Lightfield Deals process (pid %1) is using this workspace and "
                           "does not hand it over. Close it, then sign in again.")
                            .arg(holderPid);
                  m_window->setConnectionState(tr("Offline · %1").arg(message));
                  if (m_options.screenshotPath.isEmpty())
                      QMessageBox::critical(m_window.get(), tr("Lightfield Deals"), message);
                  return;
              }
              QTimer::singleShot(
                  kBusyRetryMs, this, [this, baseUrl, apiKey, identity, description, capabilities] {
                      if (!m_session)
                          openWorkspace(baseUrl, apiKey, identity, description, capabilities);
                  });
          };
    auto *client = new InstanceClient(this);
    connect(client, &InstanceClient::answered, this,
        [this, client, folder, retry](const QJsonObject &reply) {
            client->deleteLater();
            if (reply.value(QStringLiteral("holder")).toString() == QLatin1String("window")) {
                // A second launch, as desktop apps do: the first window comes to the front.
                Q_EMIT exitRequested(0);
                return;
            }
            // A `sync` drives the workspace: it finishes its sends and exits when asked.
            m_window->setConnectionState(
                tr("Waiting for 'lightfield-deals sync' (pid %1) to hand over…")
                    .arg(reply.value(QStringLiteral("pid")).toInteger()));
            auto *yield = new InstanceClient(this);
            connect(yield, &InstanceClient::answered, yield, &QObject::deleteLater);
            connect(yield, &InstanceClient::failed, yield, &QObject::deleteLater);
            yield->send(InstanceChannel::serverName(folder),
                QJsonObject {{QStringLiteral("op"), QStringLiteral("yield")}}, kBusyRetryMs * 4);
            retry();
        });
    connect(client, &InstanceClient::failed, this, [client, retry](bool) {
        // The holder is starting or ending: look again shortly.
        client->deleteLater();
        retry();
    });
    client->send(InstanceChannel::serverName(folder),
        QJsonObject {{QStringLiteral("op"), QStringLiteral("raise")}}, kBusyRetryMs * 4);
}

void AppController::raiseWindow()
{
    m_window->setWindowState((m_window->windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    m_window->show();
    m_window->raise();
    m_window->activateWindow();
}

void AppController::applySidebarEntry(MainWindow::SidebarEntry entry)
{
    // Saved views apply themselves (MainWindow::applyView()); a list shows every deal until
    // list membership is cached.
    if (!m_session || entry != MainWindow::SidebarEntry::List)
        return;
    m_session->proxyModel()->clearColumnFilters();
}

QUrl AppController::dealLink(const QString &recordId)
{
    const std::optional<StoredRecord> stored = m_session
        ? m_session->store().record(QStringLiteral("opportunity"), recordId)
        : std::nullopt;
    const QString link = stored ? QJsonDocument::fromJson(stored->json)
                                      .object()
                                      .value(QStringLiteral("httpLink"))
                                      .toString()
                                : QString();
    const QUrl url(link);
    // Only web links leave the app; a deal created offline has none until it is sent.
    if (link.isEmpty()
        || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))) {
        m_window->statusBar()->showMessage(
            tr("This deal has no Lightfield link yet (it is created when the deal is sent)."),
            5000);
        return {};
    }
    return url;
}

QString AppController::dataRoot() const
{
    const QString root = m_options.workspace ? m_options.workspace->dataRoot : m_options.dataRoot;
    return root.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                          : root;
}

void AppController::showSettings()
{
    if (m_settingsDialog) {
        m_settingsDialog->raise();
        m_settingsDialog->activateWindow();
        return;
    }
    auto *offlineAction = m_window->findChild<QAction *>(QStringLiteral("workOfflineAction"));
    SettingsDialog::Workspace workspace;
    if (m_session) {
        workspace.description = m_window->windowTitle();
        workspace.baseUrl = m_sessionUrl;
        workspace.demo = m_sandbox && m_sandbox->baseUrl() == m_sessionUrl;
        workspace.dataFolder = m_dataFolder;
    } else {
        workspace.dataFolder = dataRoot();
    }
    auto *dialog = new SettingsDialog(
        workspace, offlineAction && offlineAction->isChecked(), m_window.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // One switch: the dialog's check box and Sync ▸ Work Offline follow each other.
    if (offlineAction) {
        connect(dialog, &SettingsDialog::workOfflineToggled, offlineAction, &QAction::setChecked);
        connect(offlineAction, &QAction::toggled, dialog, &SettingsDialog::setWorkOffline);
    }
    connect(dialog, &SettingsDialog::signOutRequested, this, &AppController::signOut);
    m_settingsDialog = dialog;
    dialog->open();
}

void AppController::signOut()
{
    m_edit.reset();
    m_window->setDealsModel(nullptr);
    m_session.reset();
    m_sessionUrl.clear();
    m_dataFolder.clear();
    m_window->setLastSync({});
    if (!m_secretEntry.isEmpty())
        m_secrets->deleteKey(m_secretEntry);
    m_window->setWorkspaceDescription(tr("Not signed in"));
    showSignIn();
}

void AppController::showAbout()
{
    QMessageBox::about(m_window.get(), tr("About %1").arg(QString::fromLatin1(AppInfo::kName)),
        tr("<h3>%1 %2</h3><p>Browse and edit your Lightfield deals, online or "
           "offline.</p><p>Built with Qt %3.</p>")
            .arg(QString::fromLatin1(AppInfo::kName), QString::fromLatin1(AppInfo::kVersion),
                QString::fromLatin1(qVersion())));
}

void AppController::prepareScreenshotView()
{
    if (!m_edit)
        return;
    const QString &view = m_options.screenshotView;
    if (view == QLatin1String("board")) {
        m_window->showWorkspacePage(m_edit->board());
    } else if (view == QLatin1String("charts")) {
        m_window->showWorkspacePage(m_edit->charts());
    } else if (view == QLatin1String("form")) {
        QTableView *table = m_window->dealsView();
        table->setCurrentIndex(table->model()->index(0, 0));
    }
    // Charts redraw on a short timer and the form fetches a fresh copy: let both settle.
    QTimer::singleShot(1500, this, [this] { finishScreenshot(0); });
}

void AppController::finishScreenshot(int exitCode)
{
    if (m_screenshotTaken)
        return;
    m_screenshotTaken = true;
    // Make sure everything pending is laid out and painted before grabbing.
    QApplication::processEvents();
    QPixmap pixmap = m_window->grab();
    if (m_signIn && m_signIn->isVisible()) {
        // The dialog is a window of its own: drawn where it stands over the main window.
        // A top-level's grab has no background of its own (the window system paints it).
        const QRect rect(
            m_signIn->geometry().topLeft() - m_window->geometry().topLeft(), m_signIn->size());
        QPainter painter(&pixmap);
        painter.fillRect(rect, m_signIn->palette().window());
        painter.drawPixmap(rect.topLeft(), m_signIn->grab());
        painter.setPen(m_signIn->palette().color(QPalette::Mid));
        painter.drawRect(rect.adjusted(0, 0, -1, -1));
    }
    const QFileInfo target(m_options.screenshotPath);
    QDir().mkpath(target.absolutePath());
    if (!pixmap.save(target.absoluteFilePath(), "PNG")) {
        std::fprintf(stderr, "Could not write the screenshot to %s\n",
            qPrintable(QDir::toNativeSeparators(target.absoluteFilePath())));
        QApplication::exit(2);
        return;
    }
    std::fprintf(stdout, "Screenshot written to %s\n",
        qPrintable(QDir::toNativeSeparators(target.absoluteFilePath())));
    std::fflush(stdout);
    QApplication::exit(exitCode);
}
