// The lightfield-sandbox executable itself (tests/sandbox/main.cpp): its command line, the
// "listening" line the app's --demo mode waits for, real HTTP, and --data-file across restarts.

#include "sandboxtestclient.h"

#include <QDateTime>
#include <QFileSystemWatcher>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

#ifndef SANDBOX_EXECUTABLE
#error "SANDBOX_EXECUTABLE must name the lightfield-sandbox binary"
#endif

using SandboxTest::Client;
using SandboxTest::Options;
using SandboxTest::Reply;

namespace {

QString executable()
{
    return QString::fromLocal8Bit(SANDBOX_EXECUTABLE);
}

/// One lightfield-sandbox child process.
class SandboxProcess
{
public:
    SandboxProcess() { m_process.setProgram(executable()); }
    ~SandboxProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    /// Starts with `arguments` and waits (event loop) for the first stdout line; true when it
    /// is "listening http://127.0.0.1:<port>".
    bool start(const QStringList &arguments, int waitMs = 20000)
    {
        m_process.setArguments(arguments);
        m_process.start();
        QSignalSpy started(&m_process, &QProcess::started);
        if (m_process.state() != QProcess::Running && !started.wait(5000))
            return false;
        QElapsedTimer timer;
        timer.start();
        while (!m_stdout.contains('\n') && timer.elapsed() < waitMs
            && m_process.state() == QProcess::Running) {
            QSignalSpy ready(&m_process, &QProcess::readyReadStandardOutput);
            if (!m_process.bytesAvailable())
                ready.wait(int(qMax<qint64>(1, waitMs - timer.elapsed())));
            m_stdout += m_process.readAllStandardOutput();
        }
        m_firstLine = m_stdout.left(m_stdout.indexOf('\n'));
        static const QRegularExpression listening(
            QStringLiteral("^listening http://127\\.0\\.0\\.1:(\\d+)$"));
        const QRegularExpressionMatch match = listening.match(QString::fromUtf8(m_firstLine));
        if (!match.hasMatch())
            return false;
        m_port = match.captured(1).toUShort();
        return m_port != 0;
    }

    /// SIGTERM (QProcess::terminate) and wait for the exit; true on a clean exit with code 0.
    bool stop(int waitMs = 15000)
    {
        if (m_process.state() == QProcess::NotRunning)
            return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
        QSignalSpy finished(&m_process, &QProcess::finished);
        m_process.terminate();
        if (!finished.wait(waitMs))
            return false;
        return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
    }

    QUrl baseUrl() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)); }
    quint16 port() const { return m_port; }
    QByteArray firstLine() const { return m_firstLine; }
    QByteArray standardError() { return m_process.readAllStandardError(); }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QByteArray m_stdout;
    QByteArray m_firstLine;
    quint16 m_port = 0;
};

/// Runs the executable to completion (for --help, --version and bad flags).
struct Finished
{
    bool exited = false;
    int exitCode = -1;
    QProcess::ExitStatus status = QProcess::CrashExit;
    QByteArray out;
    QByteArray err;
};

Finished runToEnd(const QStringList &arguments, int waitMs = 15000)
{
    Finished result;
    QProcess process;
    process.start(executable(), arguments);
    QSignalSpy finished(&process, &QProcess::finished);
    if (process.state() != QProcess::NotRunning && !finished.wait(waitMs)) {
        process.kill();
        process.waitForFinished(5000);
        return result;
    }
    result.exited = true;
    result.exitCode = process.exitCode();
    result.status = process.exitStatus();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

const QString kOpportunitiesPath = QStringLiteral("/v1/opportunities");

} // namespace

class TestSandboxCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(QFileInfo(executable()).isExecutable(), qPrintable(executable()));
    }

    void helpNamesEverySwitch()
    {
        const Finished run = runToEnd({QStringLiteral("--help")});
        QVERIFY(run.exited);
        QCOMPARE(run.status, QProcess::NormalExit);
        QCOMPARE(run.exitCode, 0);
        const QString help = QString::fromUtf8(run.out + run.err);
        const QStringList switches {QStringLiteral("--port"), QStringLiteral("--api-key"),
            QStringLiteral("--seed"), QStringLiteral("--opportunities"),
            QStringLiteral("--index-lag-ms"), QStringLiteral("--rate-limit"),
            QStringLiteral("--rate-limit-read"), QStringLiteral("--rate-limit-write"),
            QStringLiteral("--rate-limit-search"), QStringLiteral("--latency-ms"),
            QStringLiteral("--jitter-ms"), QStringLiteral("--fault-seed"),
            QStringLiteral("--fault-500"), QStringLiteral("--fault-503"),
            QStringLiteral("--fault-408"), QStringLiteral("--fault-429"),
            QStringLiteral("--fault-drop-after-write"), QStringLiteral("--fault-hang"),
            QStringLiteral("--fault-truncate"), QStringLiteral("--fault-malformed"),
            QStringLiteral("--fault-unknown-valuetype"), QStringLiteral("--retry-after-date"),
            QStringLiteral("--data-file"), QStringLiteral("--auth-validate"),
            QStringLiteral("--error-envelope"), QStringLiteral("--address-write"),
            QStringLiteral("--multi-clear"), QStringLiteral("--account-update"),
            QStringLiteral("--list-order"), QStringLiteral("--max-offset"),
            QStringLiteral("--max-offset-empty"), QStringLiteral("--version"),
            QStringLiteral("--help")};
        for (const QString &name : switches) {
            // The switch as a whole word: "--rate-limit" must not be found only inside
            // "--rate-limit-read".
            const QRegularExpression word(
                QRegularExpression::escape(name) + QStringLiteral("(?![A-Za-z0-9-])"));
            QVERIFY2(word.match(help).hasMatch(), qPrintable(name));
        }
        QVERIFY(help.contains(QLatin1String("listening http://127.0.0.1:<port>")));
        QVERIFY(help.contains(QLatin1String("/__sandbox/stats")));
    }

    void pipelinesSwitchesAreListedAndServeTwoPipelines()
    {
        const Finished help = runToEnd({QStringLiteral("--help")});
        const QString text = QString::fromUtf8(help.out + help.err);
        for (const char *name :
            {"--pipelines", "--pipeline-on-read", "--pipeline-moves-need-hint"}) {
            const QRegularExpression word(QRegularExpression::escape(QString::fromLatin1(name))
                + QStringLiteral("(?![A-Za-z0-9-])"));
            QVERIFY2(word.match(text).hasMatch(), name);
        }
        const Finished alone = runToEnd({QStringLiteral("--pipeline-on-read")});
        QVERIFY(alone.exited);
        QVERIFY(alone.exitCode != 0);
        SandboxProcess sandbox;
        QVERIFY2(sandbox.start({QStringLiteral("--port"), QStringLiteral("0"),
                     QStringLiteral("--opportunities"), QStringLiteral("6"),
                     QStringLiteral("--pipelines"), QStringLiteral("--pipeline-on-read")}),
            sandbox.firstLine().constData());
        Client client(sandbox.baseUrl());
        const Reply definitions = client.get(QStringLiteral("/v1/opportunities/definitions"));
        QCOMPARE(definitions.status, 200);
        const QJsonObject fields
            = definitions.object().value(QStringLiteral("fieldDefinitions")).toObject();
        QVERIFY(fields.contains(QStringLiteral("$pipeline")));
        const Reply list = client.get(kOpportunitiesPath);
        const QJsonObject first = list.object()[QStringLiteral("data")].toArray().at(0).toObject();
        QVERIFY(
            first[QStringLiteral("fields")][QStringLiteral("$pipeline")][QStringLiteral("value")]
                .toString()
                .startsWith(QLatin1String("pd_")));
    }

    void versionNamesTheApiVersion()
    {
        const Finished run = runToEnd({QStringLiteral("--version")});
        QVERIFY(run.exited);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("2026-03-01"), run.out.constData());
    }

    void servesSeededDataOnAFreePort()
    {
        SandboxProcess sandbox;
        QVERIFY2(
            sandbox.start({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--seed"),
                QStringLiteral("3"), QStringLiteral("--opportunities"), QStringLiteral("40")}),
            sandbox.firstLine().constData());
        Client client(sandbox.baseUrl());
        const Reply list = client.get(kOpportunitiesPath);
        QVERIFY2(list.status == 200 && list.jsonOk, list.describe().constData());
        QCOMPARE(list.object().value(QStringLiteral("totalCount")).toInt(), 40);
        QCOMPARE(list.object().value(QStringLiteral("data")).toArray().size(), 25);
        const Reply validate = client.get(QStringLiteral("/v1/auth/validate"));
        QCOMPARE(validate.status, 200);
        QCOMPARE(validate.object().value(QStringLiteral("active")), QJsonValue(true));
        const Reply members = client.get(QStringLiteral("/v1/members"));
        QCOMPARE(members.object().value(QStringLiteral("totalCount")).toInt(), 8);
        const Reply stats = client.adminGet(QStringLiteral("/__sandbox/stats"));
        QCOMPARE(stats.status, 200);
        QCOMPARE(stats
                     .object()[QStringLiteral("requests")][QStringLiteral("GET /v1/opportunities")]
                              [QStringLiteral("200")]
                     .toInt(),
            1);
        QVERIFY(sandbox.stop());
    }

    void sameSeedGivesTheSameDataInEveryProcess()
    {
        const QStringList arguments {QStringLiteral("--seed"), QStringLiteral("5"),
            QStringLiteral("--opportunities"), QStringLiteral("30")};
        SandboxProcess a;
        SandboxProcess b;
        QVERIFY2(a.start(arguments), a.firstLine().constData());
        QVERIFY2(b.start(arguments), b.firstLine().constData());
        QVERIFY(a.port() != b.port());
        Client ca(a.baseUrl());
        Client cb(b.baseUrl());
        for (const QString &path :
            {kOpportunitiesPath, QStringLiteral("/v1/accounts"), QStringLiteral("/v1/lists")}) {
            const Reply ra = ca.get(path);
            const Reply rb = cb.get(path);
            QCOMPARE(ra.status, 200);
            QVERIFY2(ra.body == rb.body, qPrintable(path));
        }
        QVERIFY(a.stop());
        QVERIFY(b.stop());
    }

    void badFlagsExitWithAnError_data()
    {
        QTest::addColumn<QStringList>("arguments");
        const auto row = [](const char *name, std::initializer_list<const char *> args) {
            QStringList list;
            for (const char *arg : args)
                list.append(QString::fromUtf8(arg));
            QTest::newRow(name) << list;
        };
        row("opportunities not a number", {"--opportunities", "abc"});
        row("negative opportunities", {"--opportunities", "-5"});
        row("fault rate above 1", {"--fault-500", "2"});
        row("negative fault rate", {"--fault-hang", "-0.5"});
        row("fault rate not a number", {"--fault-truncate", "often"});
        row("port out of range", {"--port", "70000"});
        row("zero rate limit", {"--rate-limit", "0"});
        row("rate limit not a number", {"--rate-limit-search", "fast"});
        row("latency not a number", {"--latency-ms", "slow"});
        row("seed not a number", {"--seed", "x"});
        row("empty api key", {"--api-key", "=opportunities:read"});
        row("unknown switch", {"--bogus"});
        row("positional argument", {"extra"});
        row("missing value", {"--seed"});
        row("unknown auth-validate mode", {"--auth-validate", "sometimes"});
        row("unknown error envelope", {"--error-envelope", "boxed"});
        row("unknown address reading", {"--address-write", "patch"});
        row("unknown list clear", {"--multi-clear", "none"});
        row("unknown account reading", {"--account-update", "maybe"});
        row("unknown list order", {"--list-order", "sideways"});
        row("negative max offset", {"--max-offset", "-1"});
        row("max offset not a number", {"--max-offset", "deep"});
        row("empty answer without a cap", {"--max-offset-empty"});
    }
    void badFlagsExitWithAnError()
    {
        QFETCH(QStringList, arguments);
        // A small seed first, so a flag wrongly accepted costs little; the row's value comes
        // later and wins.
        const Finished run = runToEnd(
            QStringList {QStringLiteral("--opportunities"), QStringLiteral("5")} + arguments, 5000);
        QVERIFY2(run.exited, "the sandbox kept running on a bad flag");
        QCOMPARE(run.status, QProcess::NormalExit);
        QVERIFY2(run.exitCode != 0, run.out.constData());
        QVERIFY2(!run.err.trimmed().isEmpty(), "no message on stderr");
        QVERIFY(!run.out.contains("listening"));
    }

    void dataFileKeepsAWriteAcrossARestart()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString dataFile = dir.filePath(QStringLiteral("sandbox.json"));
        const QStringList arguments {QStringLiteral("--seed"), QStringLiteral("4"),
            QStringLiteral("--opportunities"), QStringLiteral("20"), QStringLiteral("--data-file"),
            dataFile};
        QString id;
        {
            SandboxProcess first;
            QVERIFY2(first.start(arguments), first.firstLine().constData());
            QVERIFY(QFile::exists(dataFile)); // written right after seeding
            Client client(first.baseUrl());
            const Reply list
                = client.get(kOpportunitiesPath, {{QStringLiteral("limit"), QStringLiteral("1")}});
            id = list.object()[QStringLiteral("data")][0][QStringLiteral("id")].toString();
            QVERIFY(id.startsWith(QLatin1String("opp_")));
            const Reply update = client.post(kOpportunitiesPath + QLatin1Char('/') + id,
                {{QStringLiteral("fields"),
                    QJsonObject {
                        {QStringLiteral("$name"), QStringLiteral("Survives restarts ✓")}}}});
            QVERIFY2(update.status == 200, update.describe().constData());
            const Reply created = client.post(kOpportunitiesPath,
                {{QStringLiteral("fields"),
                     QJsonObject {{QStringLiteral("$name"), QStringLiteral("Born before restart")},
                         {QStringLiteral("$stage"), QStringLiteral("Discovery")}}},
                    {QStringLiteral("relationships"),
                        QJsonObject {{QStringLiteral("$account"),
                            list.object()[QStringLiteral("data")][0]
                                         [QStringLiteral("relationships")]
                                         [QStringLiteral("$account")][QStringLiteral("values")][0]
                                             .toString()}}}});
            QVERIFY2(created.status == 200, created.describe().constData());
            QVERIFY2(first.stop(), first.standardError().constData()); // SIGTERM saves
        }
        SandboxProcess second;
        // A different seed and count: the data file wins over seeding.
        QVERIFY2(second.start({QStringLiteral("--seed"), QStringLiteral("99"),
                     QStringLiteral("--opportunities"), QStringLiteral("3"),
                     QStringLiteral("--data-file"), dataFile}),
            second.firstLine().constData());
        Client client(second.baseUrl());
        const Reply reply = client.get(kOpportunitiesPath + QLatin1Char('/') + id);
        QVERIFY2(reply.status == 200, reply.describe().constData());
        QCOMPARE(reply
                     .object()[QStringLiteral("fields")][QStringLiteral("$name")]
                              [QStringLiteral("value")]
                     .toString(),
            QStringLiteral("Survives restarts ✓"));
        const Reply list = client.get(kOpportunitiesPath);
        QCOMPARE(list.object().value(QStringLiteral("totalCount")).toInt(), 21);
        QVERIFY(second.stop());
    }

    void writesReachTheDataFileWithoutAnOrderlyExit()
    {
        // "written after every write" (debounced): a killed sandbox loses nothing once the
        // save has happened.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString dataFile = dir.filePath(QStringLiteral("sandbox.json"));
        const QStringList arguments {QStringLiteral("--opportunities"), QStringLiteral("12"),
            QStringLiteral("--data-file"), dataFile};
        QString id;
        {
            SandboxProcess first;
            QVERIFY2(first.start(arguments), first.firstLine().constData());
            Client client(first.baseUrl());
            const Reply list
                = client.get(kOpportunitiesPath, {{QStringLiteral("limit"), QStringLiteral("1")}});
            id = list.object()[QStringLiteral("data")][0][QStringLiteral("id")].toString();
            const Reply update = client.post(kOpportunitiesPath + QLatin1Char('/') + id,
                {{QStringLiteral("fields"),
                    QJsonObject {{QStringLiteral("$name"), QStringLiteral("Debounced save")}}}});
            QVERIFY2(update.status == 200, update.describe().constData());
            const auto saved = [&dataFile] {
                QFile file(dataFile);
                return file.open(QIODevice::ReadOnly) && file.readAll().contains("Debounced save");
            };
            // QSaveFile renames into place: watch the folder, no polling.
            QFileSystemWatcher watcher({dir.path()});
            QSignalSpy changed(&watcher, &QFileSystemWatcher::directoryChanged);
            QElapsedTimer timer;
            timer.start();
            while (!saved() && timer.elapsed() < 5000)
                changed.wait(int(5000 - timer.elapsed()));
            QVERIFY2(saved(), "the write did not reach the data file");
            QSignalSpy finished(&first.process(), &QProcess::finished);
            first.process().kill();
            QVERIFY(finished.wait(5000));
        }
        SandboxProcess second;
        QVERIFY2(second.start(arguments), second.firstLine().constData());
        Client client(second.baseUrl());
        const Reply reply = client.get(kOpportunitiesPath + QLatin1Char('/') + id);
        QCOMPARE(reply
                     .object()[QStringLiteral("fields")][QStringLiteral("$name")]
                              [QStringLiteral("value")]
                     .toString(),
            QStringLiteral("Debounced save"));
        QVERIFY(second.stop());
    }

    void scopedApiKeyCannotWrite()
    {
        SandboxProcess sandbox;
        QVERIFY2(sandbox.start({QStringLiteral("--opportunities"), QStringLiteral("10"),
                     QStringLiteral("--api-key"), QStringLiteral("k=opportunities:read"),
                     QStringLiteral("--api-key"), QStringLiteral("admin")}),
            sandbox.firstLine().constData());
        Client scoped(sandbox.baseUrl(), QStringLiteral("k"));
        const Reply list = scoped.get(kOpportunitiesPath);
        QVERIFY2(list.status == 200, list.describe().constData());
        const QString path = kOpportunitiesPath + QLatin1Char('/')
            + list.object()[QStringLiteral("data")][0][QStringLiteral("id")].toString();
        const QJsonObject body {{QStringLiteral("fields"),
            QJsonObject {{QStringLiteral("$name"), QStringLiteral("Nope")}}}};
        const Reply write = scoped.post(path, body);
        QCOMPARE(write.status, 403);
        QCOMPARE(write.errorType(), QStringLiteral("forbidden"));
        const Reply validate = scoped.get(QStringLiteral("/v1/auth/validate"));
        QCOMPARE(validate.object().value(QStringLiteral("scopes")).toArray(),
            QJsonArray {QStringLiteral("opportunities:read")});
        // The full-access key may write; the default demo key is gone once keys are given.
        Client admin(sandbox.baseUrl(), QStringLiteral("admin"));
        QCOMPARE(admin.post(path, body).status, 200);
        Client demo(sandbox.baseUrl());
        QCOMPARE(demo.get(kOpportunitiesPath).status, 401);
        QVERIFY(sandbox.stop());
    }

    void switchesReachTheServer()
    {
        SandboxProcess sandbox;
        QVERIFY2(
            sandbox.start({QStringLiteral("--opportunities"), QStringLiteral("10"),
                QStringLiteral("--index-lag-ms"), QStringLiteral("250"),
                QStringLiteral("--rate-limit"), QStringLiteral("40"),
                QStringLiteral("--rate-limit-read"), QStringLiteral("30"),
                QStringLiteral("--rate-limit-search"), QStringLiteral("2"),
                QStringLiteral("--latency-ms"), QStringLiteral("120"),
                QStringLiteral("--jitter-ms"), QStringLiteral("5"), QStringLiteral("--fault-seed"),
                QStringLiteral("77"), QStringLiteral("--fault-503"), QStringLiteral("0.25"),
                QStringLiteral("--fault-408"), QStringLiteral("0.125"),
                QStringLiteral("--fault-429"), QStringLiteral("0.0625"),
                QStringLiteral("--fault-drop-after-write"), QStringLiteral("0.5"),
                QStringLiteral("--fault-hang"), QStringLiteral("0.01"),
                QStringLiteral("--fault-truncate"), QStringLiteral("0.02"),
                QStringLiteral("--fault-malformed"), QStringLiteral("0.03"),
                QStringLiteral("--fault-unknown-valuetype"), QStringLiteral("0.04"),
                QStringLiteral("--retry-after-date")}),
            sandbox.firstLine().constData());
        Client client(sandbox.baseUrl());
        const Reply faults = client.adminGet(QStringLiteral("/__sandbox/faults"));
        QVERIFY2(faults.status == 200, faults.describe().constData());
        const QJsonObject expected {{QStringLiteral("seed"), 77},
            {QStringLiteral("latencyMs"), 120}, {QStringLiteral("jitterMs"), 5},
            {QStringLiteral("rate500"), 0}, {QStringLiteral("rate503"), 0.25},
            {QStringLiteral("rate408"), 0.125}, {QStringLiteral("rate429"), 0.0625},
            {QStringLiteral("rateDropAfterWrite"), 0.5}, {QStringLiteral("rateHang"), 0.01},
            {QStringLiteral("rateTruncate"), 0.02}, {QStringLiteral("rateMalformed"), 0.03},
            {QStringLiteral("rateUnknownValueType"), 0.04},
            {QStringLiteral("retryAfterAsDate"), true}};
        // Every switch given on the command line arrives; the others keep their defaults.
        for (auto it = expected.constBegin(); it != expected.constEnd(); ++it)
            QCOMPARE(faults.object().value(it.key()), it.value());
        const Reply config = client.adminGet(QStringLiteral("/__sandbox/config"));
        QCOMPARE(config.object().value(QStringLiteral("indexLagMs")).toInt(), 250);
        QCOMPARE(config.object().value(QStringLiteral("rateLimitRead")).toInt(), 30);
        QCOMPARE(config.object().value(QStringLiteral("rateLimitWrite")).toInt(), 40);
        QCOMPARE(config.object().value(QStringLiteral("rateLimitSearch")).toInt(), 2);
        QVERIFY(sandbox.stop());
    }

    void authValidateAndErrorEnvelopeSwitches()
    {
        // Default: validate answers, and a 429 comes unwrapped, as the rate-limit page shows it.
        {
            SandboxProcess sandbox;
            QVERIFY2(sandbox.start({QStringLiteral("--opportunities"), QStringLiteral("5"),
                         QStringLiteral("--rate-limit-search"), QStringLiteral("1")}),
                sandbox.firstLine().constData());
            Client client(sandbox.baseUrl());
            QCOMPARE(client.get(QStringLiteral("/v1/auth/validate")).status, 200);
            QCOMPARE(client.get(kOpportunitiesPath).status, 200);
            const Reply limited = client.get(kOpportunitiesPath);
            QCOMPARE(limited.status, 429);
            QCOMPARE(limited.object().value(QStringLiteral("type")).toString(),
                QStringLiteral("too_many_requests"));
            QVERIFY(!limited.object().contains(QStringLiteral("error")));
            QVERIFY(sandbox.stop());
        }
        // Absent and wrapped: validate is an unknown route, the 429 is inside "error".
        SandboxProcess sandbox;
        QVERIFY2(sandbox.start({QStringLiteral("--opportunities"), QStringLiteral("5"),
                     QStringLiteral("--rate-limit-search"), QStringLiteral("1"),
                     QStringLiteral("--auth-validate"), QStringLiteral("absent"),
                     QStringLiteral("--error-envelope"), QStringLiteral("wrapped")}),
            sandbox.firstLine().constData());
        Client client(sandbox.baseUrl());
        const Reply validate = client.get(QStringLiteral("/v1/auth/validate"));
        QCOMPARE(validate.status, 404);
        QCOMPARE(validate.errorType(), QStringLiteral("not_found"));
        QCOMPARE(client.get(kOpportunitiesPath).status, 200);
        const Reply limited = client.get(kOpportunitiesPath);
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.errorType(), QStringLiteral("too_many_requests"));
        QVERIFY(sandbox.stop());
    }

    // The write readings given on the command line are the ones the API answers by.
    void writeReadingSwitchesReachTheServer()
    {
        SandboxProcess sandbox;
        QVERIFY2(sandbox.start({QStringLiteral("--opportunities"), QStringLiteral("5"),
                     QStringLiteral("--multi-clear"), QStringLiteral("empty"),
                     QStringLiteral("--address-write"), QStringLiteral("replace"),
                     QStringLiteral("--account-update"), QStringLiteral("refused")}),
            sandbox.firstLine().constData());
        Client client(sandbox.baseUrl());
        const Reply list = client.get(kOpportunitiesPath);
        QVERIFY2(list.status == 200, list.describe().constData());
        const QString path = kOpportunitiesPath + QLatin1Char('/')
            + list.object()[QStringLiteral("data")][0][QStringLiteral("id")].toString();
        const auto field = [&](const char *key, const QJsonValue &value) {
            return client.post(
                path, {{QStringLiteral("fields"), QJsonObject {{QLatin1String(key), value}}}});
        };
        const Reply nullClear = field("competitors", QJsonValue());
        QCOMPARE(nullClear.status, 400);
        QCOMPARE(nullClear.object()[QStringLiteral("error")][QStringLiteral("code")].toString(),
            QStringLiteral("invalid_value"));
        QCOMPARE(field("competitors", QJsonArray()).status, 200);
        QCOMPARE(field("buyerPhones", QStringLiteral("+15125550100")).status, 400);
        QCOMPARE(field("deliveryAddress",
                     QJsonObject {{QStringLiteral("city"), QStringLiteral("Austin")}})
                     .status,
            200);
        const Reply replaced = field("deliveryAddress",
            QJsonObject {{QStringLiteral("street"), QStringLiteral("1 Main St")}});
        QCOMPARE(replaced.object()[QStringLiteral("fields")][QStringLiteral("deliveryAddress")]
                                  [QStringLiteral("value")][QStringLiteral("city")],
            QJsonValue()); // replaced, not merged
        const Reply account = client.post(path,
            {{QStringLiteral("relationships"),
                QJsonObject {{QStringLiteral("$account"),
                    QJsonObject {{QStringLiteral("replace"),
                        list.object()[QStringLiteral("data")][1][QStringLiteral("relationships")]
                                     [QStringLiteral("$account")][QStringLiteral("values")]
                                     [0]}}}}}});
        QCOMPARE(account.status, 400);
        QCOMPARE(account.object()[QStringLiteral("error")][QStringLiteral("param")].toString(),
            QStringLiteral("relationships.$account"));
        QVERIFY(sandbox.stop());
    }

    void sweepSwitchesReachTheServer()
    {
        SandboxProcess sandbox;
        QVERIFY2(sandbox.start({QStringLiteral("--opportunities"), QStringLiteral("40"),
                     QStringLiteral("--list-order"), QStringLiteral("shuffled-stable"),
                     QStringLiteral("--max-offset"), QStringLiteral("10"),
                     QStringLiteral("--max-offset-empty")}),
            sandbox.firstLine().constData());
        Client client(sandbox.baseUrl());
        const Reply config = client.adminGet(QStringLiteral("/__sandbox/config"));
        QCOMPARE(config.object().value(QStringLiteral("listOrder")).toString(),
            QStringLiteral("shuffled-stable"));
        QCOMPARE(config.object().value(QStringLiteral("maxOffset")).toInt(), 10);
        QCOMPARE(config.object().value(QStringLiteral("maxOffsetAnswer")).toString(),
            QStringLiteral("empty"));
        const Reply past
            = client.get(kOpportunitiesPath, {{QStringLiteral("offset"), QStringLiteral("25")}});
        QCOMPARE(past.status, 200);
        QCOMPARE(past.object().value(QStringLiteral("data")).toArray().size(), 0);
        QCOMPARE(past.object().value(QStringLiteral("totalCount")).toInt(), 40);
        QVERIFY(sandbox.stop());
    }

    void faultSwitchFailsRequests()
    {
        SandboxProcess sandbox;
        QVERIFY2(sandbox.start({QStringLiteral("--opportunities"), QStringLiteral("5"),
                     QStringLiteral("--fault-500"), QStringLiteral("1"),
                     QStringLiteral("--latency-ms"), QStringLiteral("150")}),
            sandbox.firstLine().constData());
        Client client(sandbox.baseUrl());
        const Reply reply = client.get(kOpportunitiesPath);
        QCOMPARE(reply.status, 500);
        QCOMPARE(reply.errorType(), QStringLiteral("internal_server_error"));
        QVERIFY2(reply.elapsedMs >= 150, qPrintable(QString::number(reply.elapsedMs)));
        QCOMPARE(client.adminGet(QStringLiteral("/__sandbox/stats")).status, 200);
        QVERIFY(sandbox.stop());
    }
};

QTEST_GUILESS_MAIN(TestSandboxCli)
#include "tst_sandboxcli.moc"
