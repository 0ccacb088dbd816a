// Sync throughput against the 25 requests/s limit:
//  - a full sweep of N deals (default 10,000) against a sandbox limited to 25 req/s with
//    50 ms latency, as deals/s and as a fraction of the bound 25 pages/s × 25 deals = 625/s,
//    with several pages in flight and, beside it, one page at a time;
//  - draining M queued updates (default 1,000, one per deal) at 25 writes/s, as a fraction of
//    the bound.
// Prints figures; asserts nothing. Run from a Release build:
//   build/release/tests/bench/bench_sync [--deals N] [--edits M] [--latency-ms L]

#include "synctesthelpers.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>

using namespace SyncTest;

namespace {

int argValue(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype at = args.indexOf(name);
    return at >= 0 && at + 1 < args.size() ? args.at(at + 1).toInt() : fallback;
}

SandboxConfig limitedConfig(int latencyMs)
{
    SandboxConfig config;
    config.rateLimitRead = 25;
    config.rateLimitWrite = 25;
    config.rateLimitSearch = 25;
    config.faults.latencyMs = latencyMs;
    return config;
}

/// One sweep of the opportunities only; returns seconds, or -1 on failure.
double sweep(Harness &harness, int pagesInFlight)
{
    harness.engineOptions.pullTypes = {kDeal};
    harness.engineOptions.pagesInFlight = pagesInFlight;
    if (!harness.open(false))
        return -1;
    harness.makeEngine(true);
    QElapsedTimer timer;
    timer.start();
    if (!harness.pullOnce(30 * 60 * 1000))
        return -1;
    return timer.elapsed() / 1000.0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int deals = argValue(args, QStringLiteral("--deals"), 10'000);
    const int edits = argValue(args, QStringLiteral("--edits"), 1'000);
    const int latency = argValue(args, QStringLiteral("--latency-ms"), 50);
    const double bound = 25.0 * 25.0;

    std::printf("sync benchmark: %d deals, %d edits, 25 req/s per category, %d ms latency\n", deals,
        edits, latency);
    for (const int inFlight : {3, 1}) {
        Harness harness;
        if (!harness.startServer(limitedConfig(latency), deals, 11)) {
            std::fprintf(stderr, "cannot start the sandbox\n");
            return 1;
        }
        const double seconds = sweep(harness, inFlight);
        if (seconds < 0) {
            std::fprintf(stderr, "sweep failed\n");
            return 1;
        }
        const int stored = harness.store->recordCount(kDeal);
        std::printf("sweep, %d page(s) in flight: %d deals in %.1f s = %.0f deals/s = %.2f of "
                    "the %.0f deals/s bound\n",
            inFlight, stored, seconds, stored / seconds, stored / seconds / bound, bound);
    }

    // Drain: one update per deal, so no two edits merge into one row. Measured without and
    // with the read-and-merge before each first send (the app's default, one Read per update).
    for (const bool checkFirst : {false, true}) {
        Harness harness;
        if (!harness.startServer(limitedConfig(latency), qMax(edits, 25), 12)) {
            std::fprintf(stderr, "cannot start the sandbox\n");
            return 1;
        }
        harness.engineOptions.pullTypes = {kDeal};
        harness.engineOptions.checkBeforeFirstSend = checkFirst;
        if (!harness.open(false)) {
            std::fprintf(stderr, "cannot open the store\n");
            return 1;
        }
        harness.makeEngine(true);
        if (!harness.pullOnce(30 * 60 * 1000)) {
            std::fprintf(stderr, "initial pull failed\n");
            return 1;
        }
        harness.engine->setWorkOffline(true);
        const QStringList ids = harness.dealIds().mid(0, edits);
        for (const QString &id : ids) {
            if (!harness.edit(
                    id, QStringLiteral("nextSteps"), QStringLiteral("Call back — bench"))) {
                std::fprintf(stderr, "enqueue failed\n");
                return 1;
            }
        }
        const int writesBefore
            = harness.server->stats().value(QStringLiteral("writesApplied")).toInt();
        QElapsedTimer timer;
        timer.start();
        harness.engine->setWorkOffline(false);
        if (!harness.waitIdle(30 * 60 * 1000)) {
            std::fprintf(stderr, "the queue did not drain\n");
            return 1;
        }
        const double seconds = timer.elapsed() / 1000.0;
        const int applied
            = harness.server->stats().value(QStringLiteral("writesApplied")).toInt() - writesBefore;
        std::printf("drain (%s): %d updates applied in %.1f s = %.1f writes/s = %.2f of the 25 "
                    "writes/s bound\n",
            checkFirst ? "read and merge before each send" : "no read before send", applied,
            seconds, applied / seconds, applied / seconds / 25.0);
    }
    return 0;
}
