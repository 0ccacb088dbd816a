// Decoding speed of Record::fromJson.
//
// Seeds a sandbox store with N opportunities (default 10,000; --records N), serialises them as
// the API would send them — list pages of 25, {"object", "totalCount", "data"} — and times:
//   A. QJsonDocument::fromJson alone over all pages;
//   B. QJsonDocument::fromJson + Record::fromJson(record, opportunity schema) for every record.
// Each is run --runs times (default 7); the median is reported. Prints records/s for both and
// the ratio B / A (how much slower typed decoding is than JSON parsing alone).

#include "domain/objectschema.h"
#include "domain/record.h"

#include "sandboxclock.h"
#include "sandboxschema.h"
#include "sandboxseed.h"
#include "sandboxstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Times Record decoding against JSON parsing."));
    parser.addHelpOption();
    const QCommandLineOption recordsOption(QStringLiteral("records"),
        QStringLiteral("Opportunities to seed (default 10000)."), QStringLiteral("n"),
        QStringLiteral("10000"));
    const QCommandLineOption runsOption(QStringLiteral("runs"),
        QStringLiteral("Timed runs per variant (default 7)."), QStringLiteral("n"),
        QStringLiteral("7"));
    const QCommandLineOption seedOption(QStringLiteral("seed"),
        QStringLiteral("Seed of the data (default 1)."), QStringLiteral("n"), QStringLiteral("1"));
    parser.addOptions({recordsOption, runsOption, seedOption});
    parser.process(app);
    const int records = qMax(1, parser.value(recordsOption).toInt());
    const int runs = qMax(1, parser.value(runsOption).toInt());
    const quint64 seed = parser.value(seedOption).toULongLong();

    // The data, exactly as the list endpoint pages it.
    SandboxClock clock;
    SandboxStore store(&clock, seed);
    seedSandbox(store, {seed, records});
    const ObjectSchema schema
        = ObjectSchema::fromDefinitionsJson(SandboxSchema::opportunity().definitionsJson());
    std::vector<QByteArray> pages;
    qint64 bytes = 0;
    for (int offset = 0; offset < records; offset += 25) {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("limit"), QStringLiteral("25"));
        query.addQueryItem(QStringLiteral("offset"), QString::number(offset));
        const auto page = store.list(QStringLiteral("opportunity"), query, 0);
        const QJsonObject *json = std::get_if<QJsonObject>(&page);
        if (!json) {
            std::fprintf(stderr, "listing failed at offset %d\n", offset);
            return 1;
        }
        pages.push_back(QJsonDocument(*json).toJson(QJsonDocument::Compact));
        bytes += pages.back().size();
    }

    int decoded = 0;
    int raw = 0;
    auto parseOnly = [&pages]() {
        qsizetype rows = 0;
        for (const QByteArray &page : pages)
            rows += QJsonDocument::fromJson(page)
                        .object()
                        .value(QLatin1String("data"))
                        .toArray()
                        .size();
        return rows;
    };
    auto parseAndDecode = [&pages, &schema, &decoded, &raw]() {
        qsizetype rows = 0;
        decoded = 0;
        raw = 0;
        for (const QByteArray &page : pages) {
            const QJsonArray data
                = QJsonDocument::fromJson(page).object().value(QLatin1String("data")).toArray();
            for (const QJsonValue &row : data) {
                const Record record = Record::fromJson(row.toObject(), schema);
                decoded += record.isValid() ? 1 : 0;
                raw += int(record.rawFieldKeys().size());
                ++rows;
            }
        }
        return rows;
    };

    parseOnly(); // warm-up
    parseAndDecode();
    std::vector<double> parseSeconds;
    std::vector<double> decodeSeconds;
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        const qsizetype rowsA = parseOnly();
        parseSeconds.push_back(double(timer.nsecsElapsed()) / 1e9);
        timer.restart();
        const qsizetype rowsB = parseAndDecode();
        decodeSeconds.push_back(double(timer.nsecsElapsed()) / 1e9);
        if (rowsA != records || rowsB != records || decoded != records) {
            std::fprintf(stderr, "expected %d records, got %lld / %lld / %d decoded\n", records,
                qlonglong(rowsA), qlonglong(rowsB), decoded);
            return 1;
        }
    }
    const double a = median(parseSeconds);
    const double b = median(decodeSeconds);
#ifdef NDEBUG
    const char *build = "release";
#else
    const char *build = "debug (figures not representative)";
#endif
    std::printf("bench_recorddecode: %d opportunities (seed %llu), %zu pages, %.1f MiB JSON, "
                "median of %d runs, %s build\n",
        records, static_cast<unsigned long long>(seed), pages.size(),
        double(bytes) / (1024.0 * 1024.0), runs, build);
    std::printf("  QJsonDocument::fromJson only    : %8.1f ms  %10.0f records/s\n", a * 1000.0,
        records / a);
    std::printf("  fromJson + Record::fromJson     : %8.1f ms  %10.0f records/s\n", b * 1000.0,
        records / b);
    std::printf("  Record decoding alone           : %8.1f ms  %10.0f records/s\n",
        (b - a) * 1000.0, records / qMax(1e-9, b - a));
    std::printf("  ratio (fromJson+decode)/fromJson: %8.2f\n", b / a);
    std::printf("  raw (unreadable) values seen    : %d\n", raw);
    return 0;
}
