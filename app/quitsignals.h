#pragma once

#include <QObject>

class QSocketNotifier;

/**
 * Turns the quit signals of Unix (SIGTERM, SIGINT, SIGHUP) into QCoreApplication::quit(), so
 * that main() returns and every destructor runs: the demo sandbox child is stopped, the local
 * cache is closed. Without it the default action ends the process at once and leaves the
 * sandbox running.
 *
 * The handler only writes a byte to a socket pair (all a signal handler may safely do); a
 * QSocketNotifier on the other end quits from the event loop. A second signal while quitting
 * is ignored. One instance per process, created after the application object; does nothing on
 * other platforms.
 */
class QuitSignals final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuitSignals)

public:
    explicit QuitSignals(QObject *parent = nullptr);
    ~QuitSignals() override;

private:
    void handleSignal();

    QSocketNotifier *m_notifier = nullptr;
};
