#pragma once

#include <QMainWindow>

class QLabel;

/**
 * The main window: menus, the central area and the status bar.
 *
 * It knows nothing about the network: AppController tells it what to show through
 * setWorkspaceDescription() and setConnectionState(). Its geometry and state persist in
 * QSettings between runs.
 */
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// A one-line description of the workspace, e.g. "Demo workspace (sandbox)".
    void setWorkspaceDescription(const QString &text);
    /// The connection line of the status bar, e.g. "Online · sandbox on 127.0.0.1:41234".
    void setConnectionState(const QString &text);

Q_SIGNALS:
    void aboutRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void restoreLayout();
    void saveLayout() const;

    QLabel *m_emptyState = nullptr;
    QLabel *m_connectionLabel = nullptr;
};
