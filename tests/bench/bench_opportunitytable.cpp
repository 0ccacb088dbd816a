// Deals table at scale (issue 5, items 3–4; design.md §4 targets).
//
// Seeds a sandbox with N opportunities (default 100,000; --records N) plus their accounts,
// members and contacts, writes them into a LocalStore in a temporary folder, frees the sandbox,
// then times:
//   1. OpportunityTableLoader::load() — store → model, one reset — and the resident memory it
//      adds (VmRSS from /proc/self/status, after malloc_trim so freed JSON is not counted);
//   2. quick-search keystrokes through OpportunitySortFilterProxyModel, typing "n", "no", …,
//      "northwind", a non-matching query and clearing, unsorted and sorted by name, each
//      keystroke including the proxy's re-mapping (rowCount()); --runs rounds, median reported;
//   3. a sort of the whole table on each default column and a few others (first sort of a text
//      column includes computing its rank).
// Targets: keystroke ≤ 16 ms median, sort ≤ 150 ms, ≤ 300 MB RSS for the loaded rows.

#include "store/localstore.h"
#include "table/opportunitysortfilterproxymodel.h"
#include "table/opportunitytableloader.h"
#include "table/opportunitytablemodel.h"

#include "sandboxclock.h"
#include "sandboxschema.h"
#include "sandboxseed.h"
#include "sandboxstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

/** Resident set size in MiB (Linux), after returning freed heap to the system. */
double residentMiB()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return -1;
}

double msSince(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

bool fillStore(LocalStore &store, int records, quint64 seed)
{
    SandboxClock clock;
    auto sandbox = std::make_unique<SandboxStore>(&clock, seed);
    seedSandbox(*sandbox, {seed, records});
    store.putDefinitions(QStringLiteral("opportunity"),
        QJsonDocument(SandboxSchema::opportunity().definitionsJson())
            .toJson(QJsonDocument::Compact),
        QDateTime::currentDateTimeUtc());
    for (const QString &type : {QStringLiteral("account"), QStringLiteral("member"),
             QStringLiteral("contact"), QStringLiteral("opportunity")}) {
        const QStringList ids = sandbox->ids(type);
        QList<QByteArray> page;
        for (const QString &id : ids) {
            page.append(QJsonDocument(*sandbox->retrieve(type, id)).toJson(QJsonDocument::Compact));
            if (page.size() == 1000) {
                if (!store.upsertServerRecords(type, page))
                    return false;
                page.clear();
            }
        }
        if (!page.isEmpty() && !store.upsertServerRecords(type, page))
            return false;
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Times the deals table at scale."));
    parser.addHelpOption();
    const QCommandLineOption recordsOption(QStringLiteral("records"),
        QStringLiteral("Opportunities to seed (default 100000)."), QStringLiteral("n"),
        QStringLiteral("100000"));
    const QCommandLineOption runsOption(QStringLiteral("runs"),
        QStringLiteral("Rounds of the typed sequence (default 5)."), QStringLiteral("n"),
        QStringLiteral("5"));
    parser.addOptions({recordsOption, runsOption});
    parser.process(app);
    const int records = qMax(1, parser.value(recordsOption).toInt());
    const int runs = qMax(1, parser.value(runsOption).toInt());

    QTemporaryDir dir;
    LocalStore store(dir.filePath(QStringLiteral("cache.sqlite")));
    if (!store.open().isOpen()) {
        std::fprintf(stderr, "cannot open the store\n");
        return 1;
    }
    QElapsedTimer timer;
    timer.start();
    if (!fillStore(store, records, 1)) {
        std::fprintf(stderr, "filling the store failed: %s\n", qPrintable(store.lastError()));
        return 1;
    }
    std::printf("store filled with %d deals in %.1f s\n", records, msSince(timer) / 1000);

    const double rssBefore = residentMiB();
    OpportunityTableModel model;
    timer.restart();
    const auto result = OpportunityTableLoader::load(store, model);
    const double loadMs = msSince(timer);
    const double rssAfter = residentMiB();
    if (!result.ok) {
        std::fprintf(stderr, "load failed: %s\n", qPrintable(result.error));
        return 1;
    }
    std::printf("load: %d rows, %d columns in %.0f ms\n", result.rows, model.columnCount(), loadMs);
    std::printf(
        "RSS: %.1f MiB before load, %.1f MiB after (+%.1f MiB for the rows; target <= 300)\n",
        rssBefore, rssAfter, rssAfter - rssBefore);

    OpportunitySortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    const QStringList typed {QStringLiteral("n"), QStringLiteral("no"), QStringLiteral("nor"),
        QStringLiteral("nort"), QStringLiteral("north"), QStringLiteral("northw"),
        QStringLiteral("northwi"), QStringLiteral("northwin"), QStringLiteral("northwind"),
        QStringLiteral("northwind r"), QStringLiteral("northwind re"), QString(),
        QStringLiteral("s"), QStringLiteral("sø"), QStringLiteral("sør"), QStringLiteral("søre"),
        QStringLiteral("søren"), QStringLiteral("zzq"), QString()};
    const auto keystrokes = [&](const char *label) {
        std::vector<double> times;
        double worst = 0;
        for (int run = 0; run < runs; ++run) {
            for (const QString &query : typed) {
                QElapsedTimer t;
                t.start();
                proxy.setSearchText(query);
                const int rows = proxy.rowCount();
                const double ms = msSince(t);
                times.push_back(ms);
                worst = std::max(worst, ms);
                if (run == 0)
                    std::printf("  %-14s %7d rows %7.2f ms\n",
                        qPrintable(QLatin1Char('"') + query + QLatin1Char('"')), rows, ms);
            }
        }
        std::printf("search keystroke (%s): median %.2f ms, max %.2f ms over %zu keystrokes "
                    "(target <= 16 ms median)\n",
            label, median(times), worst, times.size());
    };
    std::printf("search, unsorted:\n");
    keystrokes("unsorted");
    const int nameColumn = model.columnForKey(QStringLiteral("$name"));
    proxy.sort(nameColumn, Qt::AscendingOrder);
    std::printf("search, sorted by name:\n");
    keystrokes("sorted by name");

    proxy.setSearchText(QString());
    proxy.sort(-1);
    QList<int> columns = model.defaultColumns();
    for (const char *extra :
        {"probability", "competitors", "economicBuyer", "isStrategic", "$evaluator"})
        columns.append(model.columnForKey(QLatin1String(extra)));
    double worstSort = 0;
    for (const int column : std::as_const(columns)) {
        if (column < 0)
            continue;
        QElapsedTimer t;
        t.start();
        proxy.sort(column, Qt::AscendingOrder);
        const double first = msSince(t);
        t.restart();
        proxy.sort(column, Qt::DescendingOrder);
        const double again = msSince(t);
        worstSort = std::max({worstSort, first, again});
        std::printf("sort %-22s first %7.1f ms, reverse %7.1f ms\n",
            qPrintable(model.headerData(column, Qt::Horizontal).toString()), first, again);
    }
    std::printf("sort: worst %.1f ms (target <= 150 ms)\n", worstSort);
    return 0;
}
