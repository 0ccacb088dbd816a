#pragma once

#include <QObject>
#include <QProcess>
#include <QUrl>

/**
 * Runs the bundled Lightfield sandbox (`lightfield-sandbox`) as a child process on loopback,
 * for --demo and "Try the demo workspace".
 *
 * start() returns at once; ready(url) or failed(message) follows exactly once. The child is
 * stopped when this object is destroyed. The sandbox keeps its edits in a file under the app
 * data location, so the demo workspace survives restarts.
 */
class DemoSandbox final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoSandbox)

public:
    /// The key the sandbox accepts in demo mode. It guards nothing: the sandbox listens on
    /// loopback only and holds invented data.
    static constexpr char kDemoApiKey[] = "sk_lf_demo";

    explicit DemoSandbox(QObject *parent = nullptr);
    ~DemoSandbox() override;

    /// The sandbox executable: $LIGHTFIELD_SANDBOX, else beside the app, else under libexec.
    static QString locateExecutable();

    /// The scopes the demo key gets (e.g. {"opportunities:read"} for a read-only demo); empty,
    /// the default: full access. Before start().
    void setApiKeyScopes(const QStringList &scopes) { m_scopes = scopes; }

    void start();
    QUrl baseUrl() const { return m_baseUrl; }

Q_SIGNALS:
    void ready(const QUrl &baseUrl);
    void failed(const QString &message);

private:
    void handleStdout();
    void handleFinished(int exitCode, QProcess::ExitStatus status);
    void fail(const QString &message);

    QProcess m_process;
    QByteArray m_stdout;
    QUrl m_baseUrl;
    QStringList m_scopes;
    bool m_reported = false;
};
