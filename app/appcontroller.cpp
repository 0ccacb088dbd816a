#include "appcontroller.h"

#include "appinfo.h"
#include "demosandbox.h"
#include "logging.h"
#include "mainwindow.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QPixmap>
#include <QTimer>
#include <QUrl>

#include <cstdio>

AppController::AppController(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
}

AppController::~AppController() = default;

void AppController::start()
{
    m_window = std::make_unique<MainWindow>();
    connect(m_window.get(), &MainWindow::aboutRequested, this, &AppController::showAbout);
    m_window->show();

    if (m_options.demo) {
        startDemo();
    } else {
        m_window->setWorkspaceDescription(tr("Not signed in"));
        m_window->setConnectionState(tr("Offline · not signed in"));
        if (!m_options.screenshotPath.isEmpty())
            QTimer::singleShot(0, this, [this] { finishScreenshot(0); });
    }
}

void AppController::startDemo()
{
    m_window->setWorkspaceDescription(tr("Demo workspace"));
    m_window->setConnectionState(tr("Starting the demo sandbox…"));
    m_sandbox = new DemoSandbox(this);
    connect(m_sandbox, &DemoSandbox::ready, this, &AppController::handleDemoReady);
    connect(m_sandbox, &DemoSandbox::failed, this, &AppController::handleDemoFailed);
    m_sandbox->start();
}

void AppController::handleDemoReady(const QUrl &baseUrl)
{
    m_window->setConnectionState(
        tr("Online · demo sandbox at %1").arg(baseUrl.toString(QUrl::RemoveUserInfo)));
    if (!m_options.screenshotPath.isEmpty())
        QTimer::singleShot(0, this, [this] { finishScreenshot(0); });
}

void AppController::handleDemoFailed(const QString &message)
{
    m_window->setConnectionState(tr("Offline · %1").arg(message));
    if (!m_options.screenshotPath.isEmpty()) {
        QTimer::singleShot(0, this, [this] { finishScreenshot(1); });
        return;
    }
    QMessageBox::warning(m_window.get(), tr("Demo workspace"), message);
}

void AppController::showAbout()
{
    QMessageBox::about(m_window.get(), tr("About %1").arg(QString::fromLatin1(AppInfo::kName)),
                       tr("<h3>%1 %2</h3><p>Browse and edit your Lightfield deals, online or "
                          "offline.</p><p>Built with Qt %3.</p>")
                           .arg(QString::fromLatin1(AppInfo::kName),
                                QString::fromLatin1(AppInfo::kVersion),
                                QString::fromLatin1(qVersion())));
}

void AppController::finishScreenshot(int exitCode)
{
    // Make sure everything pending is laid out and painted before grabbing.
    QApplication::processEvents();
    const QPixmap pixmap = m_window->grab();
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
