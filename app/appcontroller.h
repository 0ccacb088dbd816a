#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>

class MainWindow;
class DemoSandbox;

/**
 * The composition root: creates the window and the services and wires them together.
 * It holds no business logic of its own.
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
    void showAbout();
    /// Saves the screenshot if one was asked for, then quits with exitCode.
    void finishScreenshot(int exitCode);

    Options m_options;
    std::unique_ptr<MainWindow> m_window;
    QPointer<DemoSandbox> m_sandbox;
};
