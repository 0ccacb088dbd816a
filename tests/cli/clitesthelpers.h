#pragma once

// Shared by tst_cli and tst_crashloop: run the real lightfield-deals and lightfield-sandbox
// executables (paths from CMake) and read the sandbox over HTTP.

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>

namespace CliTest {

inline const QString kApiKey = QStringLiteral("sk_cli_test_key");

struct Result
{
    int code = -1;
    QByteArray out;
    QByteArray err;
    bool crashed = false;
};

/// The environment of every app run: settings and data under `home`, the test key, no
/// LIGHTFIELD_BASE_URL from the caller.
inline QProcessEnvironment environment(const QString &home, bool withKey = true)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("LIGHTFIELD_BASE_URL"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/cache"));
    if (withKey)
        env.insert(QStringLiteral("LIGHTFIELD_API_KEY"), kApiKey);
    else
        env.remove(QStringLiteral("LIGHTFIELD_API_KEY"));
    return env;
}

/// Runs lightfield-deals with `arguments` to completion.
inline Result runApp(
    const QStringList &arguments, const QProcessEnvironment &env, int timeoutMs = 120'000)
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(LIGHTFIELD_DEALS_EXECUTABLE), arguments);
    Result result;
    if (!process.waitForStarted(30'000))
        return result;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
    }
    result.crashed = process.exitStatus() != QProcess::NormalExit;
    result.code = result.crashed ? -1 : process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

/// The value of the `name: value` line of a command's output (`status`, `sync`), or empty.
inline QString statusValue(const Result &status, const QString &name)
{
    const QStringList lines = QString::fromUtf8(status.out).split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (line.startsWith(name + QLatin1String(": ")))
            return line.mid(name.size() + 2);
    }
    return {};
}

/// A lightfield-sandbox child process on loopback.
class Sandbox
{
public:
    ~Sandbox() { stop(); }

    bool start(const QStringList &extraArguments, quint16 port = 0)
    {
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        QStringList arguments {
            QStringLiteral("--port"), QString::number(port), QStringLiteral("--api-key"), kApiKey};
        arguments << extraArguments;
        m_process.start(QStringLiteral(SANDBOX_EXECUTABLE), arguments);
        if (!m_process.waitForStarted(30'000))
            return false;
        static const QRegularExpression listening(QStringLiteral("listening (http://\\S+)"));
        QByteArray seen;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 30'000) {
            if (!m_process.waitForReadyRead(1000) && m_process.state() != QProcess::Running)
                return false;
            seen += m_process.readAllStandardOutput();
            const QRegularExpressionMatch match = listening.match(QString::fromUtf8(seen));
            if (match.hasMatch()) {
                m_url = QUrl(match.captured(1));
                return true;
            }
        }
        return false;
    }

    /// SIGTERM: the sandbox writes its data file, then exits.
    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(15'000)) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }

    QUrl url() const { return m_url; }
    quint16 port() const { return quint16(m_url.port()); }

    /// GET `path` (admin or /v1 with the test key); the JSON document, or an empty one.
    QJsonDocument get(const QString &path)
    {
        QNetworkRequest request(QUrl(m_url.toString() + path));
        request.setRawHeader("Authorization", "Bearer " + kApiKey.toUtf8());
        request.setRawHeader("Lightfield-Version", "2026-03-01");
        request.setTransferTimeout(30'000);
        QNetworkReply *reply = m_nam.get(request);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        const QByteArray body = reply->readAll();
        reply->deleteLater();
        return QJsonDocument::fromJson(body);
    }

    /// POST a JSON body to `path` (e.g. /__sandbox/faults); the JSON document answered.
    QJsonDocument post(const QString &path, const QJsonObject &body)
    {
        QNetworkRequest request(QUrl(m_url.toString() + path));
        request.setRawHeader("Content-Type", "application/json");
        request.setTransferTimeout(30'000);
        QNetworkReply *reply = m_nam.post(request, QJsonDocument(body).toJson());
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        const QByteArray answer = reply->readAll();
        reply->deleteLater();
        return QJsonDocument::fromJson(answer);
    }

    /// Every opportunity on the server (paged).
    QJsonArray opportunities()
    {
        QJsonArray all;
        for (int offset = 0;; offset += 25) {
            const QJsonObject page
                = get(QStringLiteral("/v1/opportunities?limit=25&offset=%1").arg(offset)).object();
            const QJsonArray data = page.value(QLatin1String("data")).toArray();
            for (const QJsonValue &record : data)
                all.append(record);
            if (data.size() < 25)
                break;
        }
        return all;
    }

private:
    QProcess m_process;
    QUrl m_url;
    QNetworkAccessManager m_nam;
};

/// The first id of relationship `key` in a read-shape record (e.g. a deal's `$account`), or empty.
inline QString firstRelatedId(const QJsonObject &record, const QString &key)
{
    return record.value(QLatin1String("relationships"))
        .toObject()
        .value(key)
        .toObject()
        .value(QLatin1String("values"))
        .toArray()
        .at(0)
        .toString();
}

/// The value of field `key` in a read-shape record.
inline QJsonValue fieldValue(const QJsonObject &record, const QString &key)
{
    return record.value(QLatin1String("fields"))
        .toObject()
        .value(key)
        .toObject()
        .value(QLatin1String("value"));
}

/// Minimal RFC 4180 reader: rows of cells.
inline QList<QStringList> parseCsv(const QString &text)
{
    QList<QStringList> rows;
    QStringList row;
    QString cell;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                    cell += c;
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                cell += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            row << cell;
            cell.clear();
        } else if (c == QLatin1Char('\r')) {
            continue;
        } else if (c == QLatin1Char('\n')) {
            row << cell;
            cell.clear();
            rows << row;
            row.clear();
        } else {
            cell += c;
        }
    }
    if (!cell.isEmpty() || !row.isEmpty()) {
        row << cell;
        rows << row;
    }
    return rows;
}

} // namespace CliTest
