#pragma once

#include "mainwindow.h"
#include "settings/appsettings.h"
#include "settings/secretstore.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QSize>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class DemoSandbox;
class EditController;
class SettingsDialog;
class SignInDialog;
class WorkspaceSession;

/**
 * The composition root: creates the window and the services and wires them together.
 * It holds no business logic of its own.
 *
 * Start-up: with --demo the bundled sandbox is started and its workspace opened; otherwise the
 * key is read from the OS keychain (SecretStore) and the signed-in workspace opened, or the
 * sign-in dialog is shown. The key only ever lives in the keychain or, without one, in memory.
 */
class AppController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AppController)

public:
    struct Options
    {
        bool demo = false;
        /// With `demo`: the scopes of the demo key (e.g. {"opportunities:read"} shows the
        /// read-only window); empty = full access.
        QStringList demoScopes;
        QString screenshotPath; ///< when set: save a PNG of the main window, then quit
        /// "table" (at the first paint with data), or after the first sync: "form", "board",
        /// "charts".
        QString screenshotView = QStringLiteral("table");
        QSize screenshotSize; ///< the window's size for the screenshot; invalid = as it opens
        /// A workspace to open at once, instead of the demo or the keychain and sign-in: the
        /// scenario tests drive the wired-up window against an in-process sandbox with it.
        /// The key is used for this run only and never stored.
        struct Workspace
        {
            QUrl baseUrl;
            QString apiKey;
            QString identity = QStringLiteral("scenario");
            QString description = QStringLiteral("Test workspace");
            QString dataRoot; ///< the workspace's cache folder; AppDataLocation when empty
        };
        std::optional<Workspace> workspace;
        /// Where the keychain is (tests: a double, so no run touches the user's keychain);
        /// the OS keychain (QtKeychain) when empty.
        std::function<std::unique_ptr<SecretBackend>()> secretBackend;
        /// The workspaces' cache folder when no `workspace` is given; AppDataLocation when
        /// empty.
        QString dataRoot;
        /// The sync clock (WorkspaceSession::Settings::clock); the real one when empty.
        std::function<QDateTime()> clock;
    };

    explicit AppController(Options options, QObject *parent = nullptr);
    ~AppController() override;

    void start();
    /// The main window (created by start()).
    MainWindow *window() const { return m_window.get(); }

Q_SIGNALS:
    /// The app should end with `exitCode` (main() quits the event loop): e.g. a second launch
    /// on a workspace whose window is open raised that window and is not needed.
    void exitRequested(int exitCode);

private:
    /// The workspace's open notice (a damaged cache moved aside), non-modal, offering to
    /// recover its queued edits when there are any (EditController::recoverEdits()).
    void announceOpenNotice();
    void startDemo();
    void handleDemoReady(const QUrl &baseUrl);
    void handleDemoFailed(const QString &message);
    void showSignIn();
    void openWorkspace(const QUrl &baseUrl, const QString &apiKey, const QString &identity,
        const QString &description, const Capabilities &capabilities);
    void signOut();
    /// open() found the workspace held by another process: raise its window and exit, or ask
    /// a `sync` to yield and open the workspace once it has (tries until `deadlineMs` passed).
    void handleBusyWorkspace(const QUrl &baseUrl, const QString &apiKey, const QString &identity,
        const QString &description, const Capabilities &capabilities, qint64 holderPid,
        qint64 deadlineMs);
    /// Brings the window to the front (a second launch asked for it).
    void raiseWindow();
    void showSettings();
    /// The folder under which workspaces keep their caches.
    QString dataRoot() const;
    /// The deal's web link (httpLink), or an invalid URL after telling the user why not.
    QUrl dealLink(const QString &recordId);
    /// A sidebar list: no filter yet (saved views are applied by the window itself).
    void applySidebarEntry(MainWindow::SidebarEntry entry);
    void showAbout();
    /// Shows the view asked for with --screenshot-view, then takes the screenshot.
    void prepareScreenshotView();
    /// Saves the screenshot if one was asked for, then quits with exitCode.
    void finishScreenshot(int exitCode);

    Options m_options;
    AppSettings m_settings;
    std::unique_ptr<SecretStore> m_secrets;
    QString m_secretEntry;
    QString m_sessionHost;
    QUrl m_sessionUrl;
    QString m_dataFolder; ///< the open workspace's cache folder
    QPointer<SettingsDialog> m_settingsDialog;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<WorkspaceSession> m_session;
    std::unique_ptr<EditController> m_edit; ///< after m_session: destroyed first
    QPointer<DemoSandbox> m_sandbox;
    QPointer<SignInDialog> m_signIn;
    bool m_screenshotTaken = false;
};
