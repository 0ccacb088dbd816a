#include "mainwindow.h"

#include "appinfo.h"

#include <QAction>
#include <QCloseEvent>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QVBoxLayout>

namespace {
constexpr auto kWindowGeometry = "ui/mainWindow/geometry";
constexpr auto kWindowState = "ui/mainWindow/state";
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(QString::fromLatin1(AppInfo::kName));
    setObjectName(QStringLiteral("MainWindow"));

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_emptyState = new QLabel(central);
    m_emptyState->setObjectName(QStringLiteral("emptyState"));
    m_emptyState->setAlignment(Qt::AlignCenter);
    m_emptyState->setWordWrap(true);
    m_emptyState->setText(tr("No deals to show yet."));
    layout->addWidget(m_emptyState);
    setCentralWidget(central);

    m_connectionLabel = new QLabel(this);
    m_connectionLabel->setObjectName(QStringLiteral("connectionState"));
    statusBar()->addWidget(m_connectionLabel, 1);
    setConnectionState(tr("Offline"));

    createMenus();
    resize(1200, 760);
    restoreLayout();
}

MainWindow::~MainWindow() = default;

void MainWindow::setWorkspaceDescription(const QString &text)
{
    setWindowTitle(text.isEmpty() ? QString::fromLatin1(AppInfo::kName)
                                  : tr("%1 — %2").arg(QString::fromLatin1(AppInfo::kName), text));
    m_emptyState->setText(tr("%1\n\nNo deals to show yet.").arg(text));
}

void MainWindow::setConnectionState(const QString &text)
{
    m_connectionLabel->setText(text);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    event->accept();
}

void MainWindow::createMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    menuBar()->addMenu(tr("&Edit"));
    menuBar()->addMenu(tr("&View"));
    menuBar()->addMenu(tr("&Deal"));
    menuBar()->addMenu(tr("&Sync"));

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *about = helpMenu->addAction(tr("&About Lightfield Deals"), this,
                                         &MainWindow::aboutRequested);
    about->setMenuRole(QAction::AboutRole);
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(QLatin1String(kWindowGeometry)).toByteArray());
    restoreState(settings.value(QLatin1String(kWindowState)).toByteArray());
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(QLatin1String(kWindowGeometry), saveGeometry());
    settings.setValue(QLatin1String(kWindowState), saveState());
}
