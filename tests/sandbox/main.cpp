// lightfield-sandbox: the Lightfield API double as a program, for --demo, curl and benchmarks.
// Prints "listening http://127.0.0.1:<port>" on stdout once it accepts connections.

#include "sandboxseed.h"
#include "sandboxserver.h"
#include "sandboxstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>

#include <limits>

#include <cstdio>
#include <functional>

#ifdef Q_OS_UNIX
#include <csignal>
#include <QSocketNotifier>
#include <sys/socket.h>
#include <unistd.h>

namespace {
int g_signalPipe[2] = {-1, -1};

void handleTerminationSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

/// SIGTERM / SIGINT quit the event loop, so the data file is written before exit.
void installTerminationHandler(QCoreApplication *app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, app);
    QObject::connect(notifier, &QSocketNotifier::activated, app, [] {
        char byte;
        [[maybe_unused]] const auto got = ::read(g_signalPipe[0], &byte, 1);
        QCoreApplication::quit();
    });
    struct sigaction action = {};
    action.sa_handler = handleTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}
} // namespace
#else
namespace {
void installTerminationHandler(QCoreApplication *) { }
} // namespace
#endif

namespace {

[[noreturn]] void failUsage(const QString &message)
{
    std::fprintf(
        stderr, "lightfield-sandbox: %s\nSee lightfield-sandbox --help.\n", qPrintable(message));
    std::exit(2);
}

qint64 intOption(const QCommandLineParser &parser, const QCommandLineOption &option, qint64 minimum,
    qint64 maximum, qint64 fallback)
{
    if (!parser.isSet(option))
        return fallback;
    bool ok = false;
    const qint64 value = parser.value(option).toLongLong(&ok);
    if (!ok || value < minimum || value > maximum)
        failUsage(QStringLiteral("--%1 takes a whole number from %2 to %3, not '%4'.")
                      .arg(option.names().constFirst())
                      .arg(minimum)
                      .arg(maximum)
                      .arg(parser.value(option)));
    return value;
}

double rateOption(const QCommandLineParser &parser, const QCommandLineOption &option)
{
    if (!parser.isSet(option))
        return 0;
    bool ok = false;
    const double value = parser.value(option).toDouble(&ok);
    if (!ok || value < 0 || value > 1)
        failUsage(QStringLiteral("--%1 takes a rate from 0 to 1, not '%2'.")
                      .arg(option.names().constFirst(), parser.value(option)));
    return value;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("lightfield-sandbox"));
    QCoreApplication::setApplicationVersion(QStringLiteral("2026-03-01"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "A faithful double of the Lightfield CRM REST API (Lightfield-Version 2026-03-01) for "
        "tests, benchmarks and the app's demo mode. Listens on 127.0.0.1 only and prints "
        "'listening http://127.0.0.1:<port>' when ready.\n\n"
        "Admin routes (no auth): GET /__sandbox/stats, POST /__sandbox/stats/reset, "
        "GET|POST /__sandbox/faults, GET|POST /__sandbox/config, POST /__sandbox/clock "
        "{\"advanceMs\":N}, GET /__sandbox/writes, POST /__sandbox/records/{type}/{id}, "
        "POST /__sandbox/records/{type}[?at=head] (a colleague creates a record; at=head lists "
        "it first), DELETE /__sandbox/records/{type}/{id} (a colleague deletes one)."));
    parser.addHelpOption();
    parser.addVersionOption();

    const QCommandLineOption port(QStringLiteral("port"),
        QStringLiteral("TCP port on 127.0.0.1; 0 picks a free one "
                       "(default 0)."),
        QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption apiKey(QStringLiteral("api-key"),
        QStringLiteral("An accepted API key, as KEY (full access) or KEY=scope1,scope2 "
                       "(e.g. opportunities:read). Repeatable. Default: sk_lf_demo."),
        QStringLiteral("key"));
    const QCommandLineOption seed(QStringLiteral("seed"),
        QStringLiteral("Seed of the generated data and ids (default 1)."), QStringLiteral("n"),
        QStringLiteral("1"));
    const QCommandLineOption opportunities(QStringLiteral("opportunities"),
        QStringLiteral("How many opportunities to generate (default 250)."), QStringLiteral("k"),
        QStringLiteral("250"));
    const QCommandLineOption indexLag(QStringLiteral("index-lag-ms"),
        QStringLiteral("List results show records as they were up to this many ms ago, like the "
                       "real search index (default 0)."),
        QStringLiteral("ms"));
    const QCommandLineOption rateLimit(QStringLiteral("rate-limit"),
        QStringLiteral("Requests per second in each category: Read, Write, Search (default 25)."),
        QStringLiteral("n"));
    const QCommandLineOption rateRead(QStringLiteral("rate-limit-read"),
        QStringLiteral("Read requests per second."), QStringLiteral("n"));
    const QCommandLineOption rateWrite(QStringLiteral("rate-limit-write"),
        QStringLiteral("Write requests per second."), QStringLiteral("n"));
    const QCommandLineOption rateSearch(QStringLiteral("rate-limit-search"),
        QStringLiteral("Search (list) requests per second."), QStringLiteral("n"));
    const QCommandLineOption latency(QStringLiteral("latency-ms"),
        QStringLiteral("Delay every API response by this many ms."), QStringLiteral("ms"));
    const QCommandLineOption jitter(QStringLiteral("jitter-ms"),
        QStringLiteral("Plus a uniform random 0…ms of jitter."), QStringLiteral("ms"));
    const QCommandLineOption faultSeed(QStringLiteral("fault-seed"),
        QStringLiteral(
            "Seed of the fault draws, so a faulty run replays exactly (default: --seed)."),
        QStringLiteral("n"));
    const QCommandLineOption fault500(QStringLiteral("fault-500"),
        QStringLiteral("Rate 0–1 of 500 responses (write not applied)."), QStringLiteral("rate"));
    const QCommandLineOption fault503(QStringLiteral("fault-503"),
        QStringLiteral("Rate 0–1 of 503 responses with Retry-After: 1 (write not applied)."),
        QStringLiteral("rate"));
    const QCommandLineOption fault408(QStringLiteral("fault-408"),
        QStringLiteral("Rate 0–1 of 408 responses (write not applied)."), QStringLiteral("rate"));
    const QCommandLineOption fault429(QStringLiteral("fault-429"),
        QStringLiteral("Rate 0–1 of extra 429 responses with Retry-After: 1."),
        QStringLiteral("rate"));
    const QCommandLineOption faultDrop(QStringLiteral("fault-drop-after-write"),
        QStringLiteral("Rate 0–1 of writes applied and then answered by a dropped connection."),
        QStringLiteral("rate"));
    const QCommandLineOption faultHang(QStringLiteral("fault-hang"),
        QStringLiteral("Rate 0–1 of requests never answered."), QStringLiteral("rate"));
    const QCommandLineOption faultTruncate(QStringLiteral("fault-truncate"),
        QStringLiteral("Rate 0–1 of responses cut off halfway (connection closed)."),
        QStringLiteral("rate"));
    const QCommandLineOption faultMalformed(QStringLiteral("fault-malformed"),
        QStringLiteral("Rate 0–1 of 200 responses whose body is not JSON."),
        QStringLiteral("rate"));
    const QCommandLineOption faultUnknownType(QStringLiteral("fault-unknown-valuetype"),
        QStringLiteral("Rate 0–1 of responses whose first record gains a field of valueType "
                       "HOLOGRAM."),
        QStringLiteral("rate"));
    const QCommandLineOption retryAfterDate(QStringLiteral("retry-after-date"),
        QStringLiteral("Injected 429 and 503 responses give Retry-After as an HTTP date."));
    const QCommandLineOption dataFile(QStringLiteral("data-file"),
        QStringLiteral("Keep the data in this JSON file: loaded at start (instead of seeding) if "
                       "it exists, written after every write and at exit."),
        QStringLiteral("path"));
    // Sweeps against a real search index: its order and its offset cap.
    const QCommandLineOption listOrder(QStringLiteral("list-order"),
        QStringLiteral("Order of list results: oldest (creation order, the default), newest "
                       "(newest first) or shuffled-stable (a fixed order by a hash of the id)."),
        QStringLiteral("order"), QStringLiteral("oldest"));
    const QCommandLineOption maxOffset(QStringLiteral("max-offset"),
        QStringLiteral("Refuse list offsets past N with 400 bad_request, code offset_too_large, "
                       "param offset (default: no cap)."),
        QStringLiteral("n"));
    const QCommandLineOption maxOffsetEmpty(QStringLiteral("max-offset-empty"),
        QStringLiteral("With --max-offset: answer offsets past N with 200 and no rows (totalCount "
                       "still counts every match) instead of 400."));
    parser.addOptions({listOrder, maxOffset, maxOffsetEmpty});
    parser.addOptions({port, apiKey, seed, opportunities, indexLag, rateLimit, rateRead, rateWrite,
        rateSearch, latency, jitter, faultSeed, fault500, fault503, fault408, fault429, faultDrop,
        faultHang, faultTruncate, faultMalformed, faultUnknownType, retryAfterDate, dataFile});
    // Pipelines (the `$pipeline` beta): off by default, the default schema has none.
    const QCommandLineOption pipelines(QStringLiteral("pipelines"),
        QStringLiteral("Opportunities have two pipelines whose stage labels repeat: New Business "
                       "(Lead, Qualified, Proposal, Won, Lost) and Renewals (Lead, Proposal, Won, "
                       "Lost); $pipeline is a write hint for $stage (rejected without one, never "
                       "stored)."));
    const QCommandLineOption pipelineOnRead(QStringLiteral("pipeline-on-read"),
        QStringLiteral("With --pipelines: records read back carry $pipeline (their stage's "
                       "pipeline)."));
    const QCommandLineOption pipelineMovesNeedHint(QStringLiteral("pipeline-moves-need-hint"),
        QStringLiteral("With --pipelines: a $stage of another pipeline than the deal's is "
                       "refused (422 stage_unresolved_in_pipeline) unless $pipeline comes with "
                       "it."));
    parser.addOptions({pipelines, pipelineOnRead, pipelineMovesNeedHint});
    // How the server answers what the API documentation leaves open (key check, error shapes).
    const QCommandLineOption authValidate(QStringLiteral("auth-validate"),
        QStringLiteral("GET /v1/auth/validate: present (as documented), absent (404, as an "
                       "unknown route), malformed (200 without active/scopes) or html (200 with "
                       "an HTML page). Default: present."),
        QStringLiteral("mode"), QStringLiteral("present"));
    const QCommandLineOption errorEnvelope(QStringLiteral("error-envelope"),
        QStringLiteral("Body of 429 and of 409 idempotency_conflict: documented (unwrapped "
                       "{type, message}, as the rate-limit and idempotency pages show) or "
                       "wrapped ({\"error\": {...}}, like every other error). Default: "
                       "documented."),
        QStringLiteral("shape"), QStringLiteral("documented"));
    parser.addOptions({authValidate, errorEnvelope});
    // Readings of write rules the API documentation leaves open.
    const QCommandLineOption addressWrite(QStringLiteral("address-write"),
        QStringLiteral("ADDRESS on update: 'merge' (members left out keep their value, null "
                       "clears one; default) or 'replace' (the object replaces the old one)."),
        QStringLiteral("merge|replace"));
    const QCommandLineOption multiClear(QStringLiteral("multi-clear"),
        QStringLiteral("What clears a list field (MULTI_SELECT, TELEPHONE, multi-valued EMAIL / "
                       "URL): 'null' (default), 'empty' ([]) or 'both'; the other form answers "
                       "400 invalid_value."),
        QStringLiteral("null|empty|both"));
    const QCommandLineOption accountUpdate(QStringLiteral("account-update"),
        QStringLiteral("Opportunity $account on update: 'allowed' (its definition says "
                       "\"createOnly\": false; default) or 'refused' (400 "
                       "read_only_relationship; its definition says nothing)."),
        QStringLiteral("allowed|refused"));
    parser.addOptions({addressWrite, multiClear, accountUpdate});
    parser.process(app);
    if (!parser.positionalArguments().isEmpty())
        failUsage(QStringLiteral("unexpected argument '%1'.")
                      .arg(parser.positionalArguments().constFirst()));

    SandboxConfig config;
    if (parser.isSet(apiKey)) {
        config.apiKeys.clear();
        const QStringList values = parser.values(apiKey);
        for (const QString &value : values) {
            const qsizetype eq = value.indexOf(QLatin1Char('='));
            const QString key = eq < 0 ? value : value.left(eq);
            if (key.trimmed().isEmpty())
                failUsage(QStringLiteral("--api-key needs a key."));
            QStringList scopes;
            if (eq >= 0)
                scopes = value.mid(eq + 1).split(QLatin1Char(','), Qt::SkipEmptyParts);
            config.apiKeys.insert(key.trimmed(), scopes);
        }
    }
    const qint64 dataSeed = intOption(parser, seed, 0, std::numeric_limits<qint32>::max(), 1);
    const qint64 count = intOption(parser, opportunities, 0, 2'000'000, 250);
    config.indexLagMs = intOption(parser, indexLag, 0, 3'600'000, 0);
    const qint64 allRates = intOption(parser, rateLimit, 1, 1'000'000, 25);
    config.rateLimitRead = int(intOption(parser, rateRead, 1, 1'000'000, allRates));
    config.rateLimitWrite = int(intOption(parser, rateWrite, 1, 1'000'000, allRates));
    config.rateLimitSearch = int(intOption(parser, rateSearch, 1, 1'000'000, allRates));
    config.faults.seed
        = quint32(intOption(parser, faultSeed, 0, std::numeric_limits<qint32>::max(), dataSeed));
    config.faults.latencyMs = int(intOption(parser, latency, 0, 600'000, 0));
    config.faults.jitterMs = int(intOption(parser, jitter, 0, 600'000, 0));
    config.faults.rate500 = rateOption(parser, fault500);
    config.faults.rate503 = rateOption(parser, fault503);
    config.faults.rate408 = rateOption(parser, fault408);
    config.faults.rate429 = rateOption(parser, fault429);
    config.faults.rateDropAfterWrite = rateOption(parser, faultDrop);
    config.faults.rateHang = rateOption(parser, faultHang);
    config.faults.rateTruncate = rateOption(parser, faultTruncate);
    config.faults.rateMalformed = rateOption(parser, faultMalformed);
    config.faults.rateUnknownValueType = rateOption(parser, faultUnknownType);
    config.faults.retryAfterAsDate = parser.isSet(retryAfterDate);
    config.dataFile = parser.value(dataFile);
    {
        const QString mode = parser.value(authValidate);
        if (mode == QLatin1String("present"))
            config.authValidate = SandboxConfig::AuthValidate::Present;
        else if (mode == QLatin1String("absent"))
            config.authValidate = SandboxConfig::AuthValidate::Absent;
        else if (mode == QLatin1String("malformed"))
            config.authValidate = SandboxConfig::AuthValidate::Malformed;
        else if (mode == QLatin1String("html"))
            config.authValidate = SandboxConfig::AuthValidate::Html;
        else
            failUsage(QStringLiteral("--auth-validate takes present, absent, malformed or html, "
                                     "not '%1'.")
                          .arg(mode));
        const QString shape = parser.value(errorEnvelope);
        if (shape == QLatin1String("documented"))
            config.errorEnvelope = SandboxConfig::ErrorEnvelope::Documented;
        else if (shape == QLatin1String("wrapped"))
            config.errorEnvelope = SandboxConfig::ErrorEnvelope::Wrapped;
        else
            failUsage(QStringLiteral("--error-envelope takes documented or wrapped, not '%1'.")
                          .arg(shape));
    }
    if (parser.isSet(addressWrite)) {
        const auto rule = SandboxWriteRules::addressWriteFromName(parser.value(addressWrite));
        if (!rule)
            failUsage(QStringLiteral("--address-write takes merge or replace, not '%1'.")
                          .arg(parser.value(addressWrite)));
        config.writeRules.addressWrite = *rule;
    }
    if (parser.isSet(multiClear)) {
        const auto rule = SandboxWriteRules::multiClearFromName(parser.value(multiClear));
        if (!rule)
            failUsage(QStringLiteral("--multi-clear takes null, empty or both, not '%1'.")
                          .arg(parser.value(multiClear)));
        config.writeRules.multiClear = *rule;
    }
    if (parser.isSet(accountUpdate)) {
        const QString value = parser.value(accountUpdate);
        if (value != QLatin1String("allowed") && value != QLatin1String("refused"))
            failUsage(
                QStringLiteral("--account-update takes allowed or refused, not '%1'.").arg(value));
        config.writeRules.accountOnUpdate = value == QLatin1String("allowed");
    }
    if (const auto order = SandboxStore::listOrderFromName(parser.value(listOrder)))
        config.listOrder = *order;
    else
        failUsage(QStringLiteral("--list-order takes oldest, newest or shuffled-stable, not '%1'.")
                      .arg(parser.value(listOrder)));
    config.maxOffset = intOption(parser, maxOffset, 0, std::numeric_limits<qint32>::max(), -1);
    config.maxOffsetAnswersEmpty = parser.isSet(maxOffsetEmpty);
    if (config.maxOffsetAnswersEmpty && config.maxOffset < 0)
        failUsage(QStringLiteral("--max-offset-empty needs --max-offset."));
    const quint16 listenPort = quint16(intOption(parser, port, 0, 65535, 0));
    if (!parser.isSet(pipelines)
        && (parser.isSet(pipelineOnRead) || parser.isSet(pipelineMovesNeedHint))) {
        failUsage(QStringLiteral("--pipeline-on-read and --pipeline-moves-need-hint need "
                                 "--pipelines."));
    }
    config.pipelines = {
        parser.isSet(pipelines), parser.isSet(pipelineOnRead), parser.isSet(pipelineMovesNeedHint)};

    SandboxServer server(config);
    bool loaded = false;
    if (!config.dataFile.isEmpty() && QFile::exists(config.dataFile)) {
        QString error;
        if (!server.loadDataFile(&error)) {
            std::fprintf(stderr, "lightfield-sandbox: %s\n", qPrintable(error));
            return 1;
        }
        loaded = true;
        std::fprintf(stderr, "lightfield-sandbox: loaded %d opportunities from %s\n",
            server.store().count(QStringLiteral("opportunity")), qPrintable(config.dataFile));
    }
    if (!loaded) {
        QElapsedTimer timer;
        timer.start();
        seedSandbox(server.store(), {quint64(dataSeed), int(count)});
        std::fprintf(stderr,
            "lightfield-sandbox: seeded %lld opportunities in %lld ms (seed %lld)\n", count,
            timer.elapsed(), dataSeed);
        QString error;
        if (!config.dataFile.isEmpty() && !server.saveDataFile(&error)) {
            std::fprintf(stderr, "lightfield-sandbox: %s\n", qPrintable(error));
            return 1;
        }
    }

    const quint16 actualPort = server.listenLoopback(listenPort);
    if (actualPort == 0) {
        std::fprintf(stderr, "lightfield-sandbox: cannot listen on 127.0.0.1:%u\n", listenPort);
        return 1;
    }
    installTerminationHandler(&app);
    std::fprintf(stdout, "listening http://127.0.0.1:%u\n", actualPort);
    std::fflush(stdout);
    const int code = QCoreApplication::exec();
    QString error;
    if (!server.saveDataFile(&error))
        std::fprintf(stderr, "lightfield-sandbox: %s\n", qPrintable(error));
    return code;
}
