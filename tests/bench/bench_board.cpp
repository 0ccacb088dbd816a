// The pipeline board at scale.
//
// Builds the deals table with N opportunities (default 100,000; --records N) over 10 stages
// through OpportunityTableModel::reload() — the path OpportunityTableLoader::load() takes, with
// the records decoded one at a time from generated read-shape JSON (the sandbox's opportunity
// schema with ten `$stage` options, amounts in USD and EUR, names for accounts and owners) —
// then times, over --runs repetitions (median and p95):
//   1. first paint of the board: PipelineBoardModel built over the proxy + PipelineBoardView
//      created, shown, and its last column's first paint processed;
//   2. re-total after a move: one deal's `$stage` changed through
//      OpportunityTableModel::upsertRecords() (the optimistic copy's path) with the board
//      attached — table update + proxy + card move + both stages re-totalled — against the same
//      upsert with no board, so the board's own share is the difference;
//   3. a quick-search keystroke with the board attached (the board re-groups every card).
// Run on the offscreen platform: QT_QPA_PLATFORM=offscreen build-rel/tests/bench/bench_board

#include "board/pipelineboardview.h"
#include "domain/objectschema.h"
#include "domain/record.h"
#include "itemmodels/namedirectory.h"
#include "itemmodels/opportunitysortfilterproxymodel.h"
#include "itemmodels/opportunitytablemodel.h"
#include "itemmodels/pipelineboardmodel.h"

#include "sandboxschema.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QListView>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

namespace {

constexpr int kStages = 10;
constexpr int kAccounts = 2000;
constexpr int kMembers = 40;

double msSince(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    // Nearest rank.
    const double rank = std::ceil(p * double(values.size()));
    const auto index = std::size_t(std::clamp(rank, 1.0, double(values.size()))) - 1;
    return values[index];
}

void report(const char *what, const std::vector<double> &times, const char *unit = "ms")
{
    std::printf("%-44s median %8.3f %s   p95 %8.3f %s   (n = %zu)\n", what, percentile(times, 0.5),
        unit, percentile(times, 0.95), unit, times.size());
}

/** The sandbox's opportunity schema with ten `$stage` options. */
ObjectSchema boardSchema()
{
    QJsonObject definitions = SandboxSchema::opportunity().definitionsJson();
    QJsonObject fields = definitions[QStringLiteral("fieldDefinitions")].toObject();
    QJsonObject stage = fields[QStringLiteral("$stage")].toObject();
    QJsonArray options;
    for (int i = 0; i < kStages; ++i) {
        options.append(QJsonObject {{QStringLiteral("id"), QStringLiteral("opt_stage_%1").arg(i)},
            {QStringLiteral("label"), QStringLiteral("Stage %1").arg(i + 1)}});
    }
    stage[QStringLiteral("typeConfiguration")] = QJsonObject {{QStringLiteral("options"), options}};
    fields[QStringLiteral("$stage")] = stage;
    definitions[QStringLiteral("fieldDefinitions")] = fields;
    return ObjectSchema::fromDefinitionsJson(definitions);
}

QJsonObject typed(const char *type, const QJsonValue &value)
{
    return {
        {QStringLiteral("valueType"), QString::fromLatin1(type)}, {QStringLiteral("value"), value}};
}

QJsonObject related(const char *objectType, const QString &id)
{
    return {{QStringLiteral("cardinality"), QStringLiteral("HAS_ONE")},
        {QStringLiteral("objectType"), QString::fromLatin1(objectType)},
        {QStringLiteral("values"), QJsonArray {id}}};
}

/** Deal `i` in the read shape, in `stage`. */
Record dealRecord(const ObjectSchema &schema, int i, int stage)
{
    QJsonObject fields {{QStringLiteral("$name"), typed("TEXT", QStringLiteral("Deal %1").arg(i))},
        {QStringLiteral("$stage"),
            typed("SINGLE_SELECT", QStringLiteral("opt_stage_%1").arg(stage))},
        {QStringLiteral("closeDate"),
            typed("DATETIME",
                QDateTime(QDate(2026, 1, 1).addDays(i % 365), QTime(0, 0), Qt::UTC)
                    .toString(Qt::ISODateWithMs))}};
    if (i % 5 == 0)
        fields.insert(QStringLiteral("arrEur"), typed("CURRENCY", double(1000 + i % 9000)));
    else
        fields.insert(
            QStringLiteral("$amount"), typed("CURRENCY", double(500 + (i * 37) % 100000)));
    const QJsonObject json {
        {QStringLiteral("id"), QStringLiteral("opp_%1").arg(i, 6, 10, QLatin1Char('0'))},
        {QStringLiteral("createdAt"), QStringLiteral("2026-01-01T00:00:00.000Z")},
        {QStringLiteral("updatedAt"), QStringLiteral("2026-01-02T00:00:00.000Z")},
        {QStringLiteral("fields"), fields},
        {QStringLiteral("relationships"),
            QJsonObject {{QStringLiteral("$account"),
                             related("account", QStringLiteral("acc_%1").arg(i % kAccounts))},
                {QStringLiteral("$owner"),
                    related("member", QStringLiteral("mem_%1").arg(i % kMembers))}}}};
    return Record::fromJson(json, schema);
}

/** Shows `view` and returns once `list` (its last column) has painted. */
class PaintWatcher final : public QObject
{
public:
    bool painted = false;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            painted = true;
        return QObject::eventFilter(watched, event);
    }
};

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Times the pipeline board at scale."));
    parser.addHelpOption();
    const QCommandLineOption recordsOption(QStringLiteral("records"),
        QStringLiteral("Deals (default 100000)."), QStringLiteral("n"), QStringLiteral("100000"));
    const QCommandLineOption runsOption(QStringLiteral("runs"),
        QStringLiteral("Repetitions of the first paint (default 15)."), QStringLiteral("n"),
        QStringLiteral("15"));
    const QCommandLineOption movesOption(QStringLiteral("moves"),
        QStringLiteral("Moves timed (default 400)."), QStringLiteral("n"), QStringLiteral("400"));
    parser.addOptions({recordsOption, runsOption, movesOption});
    parser.process(app);
    const int records = qMax(kStages, parser.value(recordsOption).toInt());
    const int runs = qMax(1, parser.value(runsOption).toInt());
    const int moves = qMax(1, parser.value(movesOption).toInt());

    const ObjectSchema schema = boardSchema();
    NameDirectory names;
    for (int i = 0; i < kAccounts; ++i)
        names.insert(QStringLiteral("acc_%1").arg(i), QStringLiteral("Account %1 GmbH").arg(i));
    for (int i = 0; i < kMembers; ++i)
        names.insert(QStringLiteral("mem_%1").arg(i), QStringLiteral("Rep %1").arg(i));

    OpportunityTableModel table;
    QElapsedTimer timer;
    timer.start();
    table.reload(schema, names, records, [&](qsizetype i) {
        // Uneven stages, like a real funnel: early stages hold more deals.
        const int r = int(i);
        return dealRecord(schema, r, (r * 7 + r / 3) % kStages); // as stageOf below
    });
    std::printf("table: %d deals, %d stages, built in %.0f ms\n", table.rowCount(), kStages,
        msSince(timer));
    OpportunitySortFilterProxyModel proxy;
    proxy.setSourceModel(&table);

    // 1. First paint: board model built, view shown, last column painted.
    std::vector<double> modelTimes;
    std::vector<double> paintTimes;
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer t;
        t.start();
        auto board = std::make_unique<PipelineBoardModel>();
        board->setAmountFieldKeys({QStringLiteral("$amount"), QStringLiteral("arrEur")});
        board->setSourceModel(&proxy);
        modelTimes.push_back(msSince(t));
        auto view = std::make_unique<PipelineBoardView>();
        view->setModel(board.get());
        view->resize(kStages * 290, 900);
        PaintWatcher watcher;
        QListView *last = view->columnView(view->columnCount() - 1);
        last->viewport()->installEventFilter(&watcher);
        view->show();
        while (!watcher.painted)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        paintTimes.push_back(msSince(t));
        if (run == 0) {
            std::printf("board: %d columns; first column %d cards; header \"%s\"\n",
                board->stageCount(), board->cardCount(0), qPrintable(view->columnHeaderText(0)));
        }
        last->viewport()->removeEventFilter(&watcher);
        view.reset();
        board.reset();
        QCoreApplication::processEvents();
    }
    report("board model built (setSourceModel)", modelTimes);
    report("first paint (model + view shown + painted)", paintTimes);

    // 2. Re-total after a move, with and without the board attached.
    std::vector<double> withRepaint;
    std::vector<int> stageOf(static_cast<std::size_t>(records));
    for (int r = 0; r < records; ++r)
        stageOf[std::size_t(r)] = (r * 7 + r / 3) % kStages;
    const auto timeMoves = [&](PipelineBoardModel *board) {
        std::vector<double> times;
        for (int m = 0; m < moves; ++m) {
            const int i = (m * 7919) % records;
            // Always another stage than the deal's current one.
            const int stage = (stageOf[std::size_t(i)] + 1 + m % (kStages - 1)) % kStages;
            stageOf[std::size_t(i)] = stage;
            const Record moved = dealRecord(schema, i, stage);
            QElapsedTimer t;
            t.start();
            table.upsertRecords({moved});
            times.push_back(msSince(t));
            if (!board)
                continue;
            // Then the views' delayed layouts and the repaint of the shown board.
            QCoreApplication::processEvents();
            withRepaint.push_back(msSince(t));
            if (board->stageId(board->indexForId(moved.id()).parent().row())
                != QStringLiteral("opt_stage_%1").arg(stage)) {
                std::fprintf(stderr, "the card of %s did not move\n", qPrintable(moved.id()));
                return std::vector<double>();
            }
        }
        return times;
    };
    const std::vector<double> bare = timeMoves(nullptr);
    PipelineBoardModel board;
    board.setAmountFieldKeys({QStringLiteral("$amount"), QStringLiteral("arrEur")});
    board.setSourceModel(&proxy);
    PipelineBoardView view;
    view.setModel(&board);
    view.resize(kStages * 290, 900);
    view.show();
    QCoreApplication::processEvents();
    const std::vector<double> withBoard = timeMoves(&board);
    if (withBoard.empty())
        return 1;
    report("move: table upsert, no board", bare);
    report("move: table upsert + board move + re-total", withBoard);
    report("move: ... + views laid out and repainted", withRepaint);
    std::printf("board share of a move (difference of medians): %.3f ms\n",
        percentile(withBoard, 0.5) - percentile(bare, 0.5));

    // 3. Quick search with the board attached (one re-group per keystroke).
    std::vector<double> search;
    const QStringList typedQueries {QStringLiteral("d"), QStringLiteral("de"),
        QStringLiteral("deal 1"), QStringLiteral("deal 12"), QString(), QStringLiteral("rep 3"),
        QString()};
    for (int run = 0; run < 3; ++run) {
        for (const QString &query : typedQueries) {
            QElapsedTimer t;
            t.start();
            proxy.setSearchText(query);
            search.push_back(msSince(t));
        }
    }
    report("search keystroke with the board attached", search);
    return 0;
}
