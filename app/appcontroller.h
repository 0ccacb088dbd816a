#pragma once

#include "mainwindow.h"
#include "settings/appsettings.h"
#include "settings/secretstore.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <memory>

class DemoSandbox;
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
        QString screenshotPath; ///< when set: save a PNG of the main window, then quit
    };

    explicit AppController(Options options, QObject *parent = nullptr);
    ~AppController() override;

    void start();

private:
    void startDemo();
    void handleDemoReady(const QUrl &baseUrl);
    void handleDemoFailed(const QString &message);
    void showSignIn();
    void openWorkspace(const QUrl &baseUrl, const QString &apiKey, const QString &identity,
                       const QString &description);
    void signOut();
    /// The deal's web link (httpLink), or an invalid URL after telling the user why not.
    QUrl dealLink(const QString &recordId);
    /// The sidebar's built-in views as column filters on the deals table.
    void applySidebarEntry(MainWindow::SidebarEntry entry);
    void showAbout();
    /// Saves the screenshot if one was asked for, then quits with exitCode.
    void finishScreenshot(int exitCode);

    Options m_options;
    AppSettings m_settings;
    SecretStore m_secrets;
    QString m_secretEntry;
    QString m_sessionHost;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<WorkspaceSession> m_session;
    QPointer<DemoSandbox> m_sandbox;
    QPointer<SignInDialog> m_signIn;
    bool m_screenshotTaken = false;
};
