// The soak run: the sync engine against the in-process sandbox for a long time (an hour by
// default), with the load of a working day compressed: the rep edits deals through the edit
// service, colleagues edit the same deals on the server, faults are injected into the API, the
// network goes away (the sandbox stops listening and cuts its connections) and comes back on
// the same port every few minutes, and the rep answers the conflicts that follow. Every sample
// interval it records the process's RSS, its open descriptors, the cache file and its WAL, and
// the outbox. At the end it restores the network, switches the faults off, waits for the queue
// to drain, pulls once more and compares every field of every deal with the server.
//
// It writes soak.csv (one line per sample, written as it is taken), soak.png (the curves,
// drawn with Qt Charts) and summary.txt to --out, prints the summary with PASS or FAIL and
// the reason of each check, and exits 1 on FAIL. docs/reliability.md ("Soak") states the pass
// criteria; scripts/soak builds and runs it.

#include "domain/objectschema.h"
#include "domain/recordjson.h"
#include "edit/recordeditservice.h"
#include "sync/conflictresolution.h"
#include "synctesthelpers.h"

#include <QApplication>
#include <QAreaSeries>
#include <QChart>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QGraphicsScene>
#include <QImage>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLoggingCategory>
#include <QPainter>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTextStream>
#include <QTimer>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <vector>

Q_LOGGING_CATEGORY(lcSoak, "lightfield.soak")

using namespace SyncTest;

namespace {

struct Settings
{
    double minutes = 60;
    int deals = 10000;
    double sampleSeconds = 60;
    double warmupMinutes = -1; // -1: a sixth of the run
    double flapEverySeconds = 180;
    double outageSeconds = 30;
    double editEverySeconds = 2;
    double colleagueEverySeconds = 3;
    double pullEverySeconds = 300;
    int hotDeals = 50;
    quint32 seed = 20261206;
    double drainTimeoutSeconds = 900;
    qint64 retentionMs = 30LL * 60 * 1000;
    // Pass thresholds.
    double maxRssSlopeMiBPerMinute = 0.25;
    double rssMarginMiB = 16;
    int fdMargin = 4;
    double maxWalMiB = 32;
    QString outDir;
};

struct Sample
{
    double seconds = 0;
    qint64 rssKiB = 0;
    int fds = 0;
    qint64 cacheBytes = 0;
    qint64 walBytes = 0;
    Outbox::Counts counts;
    int onlineState = 0;
    bool networkUp = true;
    int edits = 0;
    int colleagueEdits = 0;
    int pullsOk = 0;
    int pullsFailed = 0;
    int conflictsAnswered = 0;
    int serverKeysHeld = 0;

    double rssMiB() const { return rssKiB / 1024.0; }
    double cacheMiB() const { return cacheBytes / 1048576.0; }
    double walMiB() const { return walBytes / 1048576.0; }
    double minutes() const { return seconds / 60.0; }
};

struct Outage
{
    double startSeconds = 0;
    double endSeconds = -1; // -1 while the network is down
};

qint64 rssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly | QIODevice::Text))
        return -1;
    // Files under /proc report a size of 0: read it whole rather than line by line to atEnd().
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

int openDescriptors()
{
    // The symlinks of /proc/self/fd; the one the listing itself opens is counted too, the
    // same one every time.
    return int(QDir(QStringLiteral("/proc/self/fd"))
                   .entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)
                   .size());
}

/** Least-squares slope of y over x; 0 with fewer than two points. */
double slope(const std::vector<std::pair<double, double>> &points)
{
    if (points.size() < 2)
        return 0;
    double sx = 0;
    double sy = 0;
    for (const auto &[x, y] : points) {
        sx += x;
        sy += y;
    }
    const double n = double(points.size());
    const double mx = sx / n;
    const double my = sy / n;
    double sxy = 0;
    double sxx = 0;
    for (const auto &[x, y] : points) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
    }
    return sxx > 0 ? sxy / sxx : 0;
}

/** Runs the event loop until `done()` (checked every 50 ms) or `timeoutMs`; true when done. */
bool runUntil(const std::function<bool()> &done, qint64 timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QElapsedTimer timer;
    timer.start();
    QTimer check;
    check.setInterval(50);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done() || timer.elapsed() >= timeoutMs)
            loop.quit();
    });
    check.start();
    loop.exec();
    return done();
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

QString mib(double value)
{
    return QString::number(value, 'f', 1) + QStringLiteral(" MiB");
}

class Soak final : public QObject
{
public:
    explicit Soak(Settings settings)
        : m_s(std::move(settings))
        , m_random(m_s.seed)
    {
    }

    int run();

private:
    bool setUp();
    void startLoad();
    void stopLoad();
    void appEdit();
    void colleagueEdit();
    void networkDown();
    void networkUp();
    void answerConflicts();
    void watchQueue();
    void sample();
    QString pickDeal();
    double elapsedSeconds() const { return m_clock.elapsed() / 1000.0; }
    bool finalPull();
    int compareStoreWithServer(QStringList *examples);
    bool writePlot(const QString &path, const QString &title) const;

    Settings m_s;
    QRandomGenerator m_random;
    Harness m_h;
    ObjectSchema m_schema;
    std::unique_ptr<RecordEditService> m_service;
    QStringList m_ids;
    QElapsedTimer m_clock;
    std::vector<Sample> m_samples;
    std::vector<Outage> m_outages;
    std::unique_ptr<QFile> m_csv;
    QTimer m_editTimer;
    QTimer m_colleagueTimer;
    QTimer m_flapTimer;
    QTimer m_pullTimer;
    QTimer m_sampleTimer;
    QTimer m_conflictTimer;
    QTimer m_queueTimer;
    int m_edits = 0;
    int m_editFailures = 0;
    int m_colleagueEdits = 0;
    int m_pullsOk = 0;
    int m_pullsFailed = 0;
    int m_conflicts = 0;
    int m_conflictsAnswered = 0;
    int m_parked = 0;
    int m_maxQueue = 0; ///< the outbox's largest size, looked at every 250 ms
    double m_drainSince = -1; ///< when the network came back, until nothing is left to send
    std::vector<double> m_drainSeconds; ///< per network loss: back → nothing left to send
    double m_initialPullSeconds = 0;
};

bool Soak::setUp()
{
    if (!m_h.dir.isValid())
        return false;
    SandboxConfig config;
    // The sandbox forgets a key after the retention, as the API does; the engine is told the
    // same retention so that it re-checks a row first sent longer ago before sending it again.
    // Half an hour, not a day, so that an hour's run reaches the steady state of the sandbox's
    // memory too (its RSS is part of this process's).
    config.idempotencyRetentionMs = m_s.retentionMs;
    QElapsedTimer seeding;
    seeding.start();
    if (!m_h.startServer(config, m_s.deals, m_s.seed)) {
        qCCritical(lcSoak) << "the sandbox did not start";
        return false;
    }
    qCInfo(lcSoak) << "sandbox on port" << m_h.port << "with" << m_s.deals << "deals, seeded in"
                   << seeding.elapsed() << "ms";

    // The client and the engine as the app makes them (app/workspacesession.cpp): default
    // options, real timeouts, backoff and probe interval, random jitter.
    m_h.nam = std::make_unique<QNetworkAccessManager>();
    LightfieldClient::Options clientOptions;
    clientOptions.baseUrl = m_h.baseUrl();
    clientOptions.apiKey = m_h.apiKey;
    m_h.client = std::make_unique<LightfieldClient>(m_h.nam.get(), clientOptions);
    if (!m_h.openStore()) {
        qCCritical(lcSoak) << "the store did not open";
        return false;
    }
    m_h.engineOptions = SyncEngine::Options();
    m_h.engineOptions.idempotencyRetentionMs = m_s.retentionMs;
    m_h.makeEngine(false);
    SyncEngine *engine = m_h.engine.get();
    connect(engine, &SyncEngine::pullFinished, this, [this](bool ok, const QString &error) {
        ++(ok ? m_pullsOk : m_pullsFailed);
        if (!ok)
            qCInfo(lcSoak) << "pull failed:" << error;
    });
    connect(engine, &SyncEngine::onlineStateChanged, this, [this](SyncEngine::OnlineState state) {
        qCInfo(lcSoak) << "engine" << state << "at" << qRound(elapsedSeconds()) << "s";
    });
    connect(engine, &SyncEngine::conflictDetected, this, [this] { ++m_conflicts; });
    connect(engine, &SyncEngine::rowParked, this,
        [this](qint64 seq, const QString &id, const QString &key, const QString &message) {
            ++m_parked;
            qCWarning(lcSoak) << "row parked" << seq << id << key << message;
        });

    m_clock.start();
    QElapsedTimer pulling;
    pulling.start();
    QSignalSpy pulled(engine, &SyncEngine::pullFinished);
    engine->start();
    if (!pulled.wait(15 * 60 * 1000) || !pulled.first().at(0).toBool()) {
        qCCritical(lcSoak) << "the first pull failed";
        return false;
    }
    m_initialPullSeconds = pulling.elapsed() / 1000.0;
    qCInfo(lcSoak) << "first pull:" << m_h.store->recordCount(kDeal) << "deals in"
                   << m_initialPullSeconds << "s";

    const std::optional<StoredDefinitions> definitions = m_h.store->definitions(kDeal);
    if (!definitions)
        return false;
    m_schema = ObjectSchema::fromDefinitionsJson(parseObject(definitions->json));
    for (const char *key : {"$name", "probability", "nextSteps"}) {
        if (!m_schema.field(QString::fromLatin1(key))) {
            qCCritical(lcSoak) << "the deal schema has no field" << key;
            return false;
        }
    }
    m_service = std::make_unique<RecordEditService>(*m_h.store, *m_h.outbox);
    m_ids = m_h.dealIds();
    return !m_ids.isEmpty();
}

QString Soak::pickDeal()
{
    // Most edits go to a small set of deals, so that the rep's and the colleagues' edits meet
    // (merges, conflicts); the rest are spread over all of them.
    const int hot = std::min<int>(m_s.hotDeals, int(m_ids.size()));
    if (hot > 0 && m_random.bounded(100) < 80)
        return m_ids.at(int(m_random.bounded(hot)));
    return m_ids.at(int(m_random.bounded(int(m_ids.size()))));
}

void Soak::appEdit()
{
    const QString id = pickDeal();
    ChangeSet changes;
    if (m_random.bounded(2) == 0) {
        changes.setValue(*m_schema.field(QStringLiteral("probability")),
            FieldValue::fromNumber(double(m_random.bounded(101))));
    } else {
        changes.setValue(*m_schema.field(QStringLiteral("$name")),
            FieldValue::fromText(FieldType::Text, QStringLiteral("Soak deal %1").arg(m_edits)));
    }
    const RecordEditService::Result result = m_service->update(m_schema, id, changes);
    if (result.ok) {
        ++m_edits;
    } else {
        ++m_editFailures;
        qCWarning(lcSoak) << "edit of" << id << "refused:" << result.error;
    }
}

void Soak::colleagueEdit()
{
    const QString id = pickDeal();
    const bool name = m_random.bounded(2) == 0;
    const QString key = name ? QStringLiteral("$name") : QStringLiteral("nextSteps");
    const QString value = name ? QStringLiteral("Colleague's name %1").arg(m_colleagueEdits)
                               : QStringLiteral("Call back (note %1)").arg(m_colleagueEdits);
    if (m_h.colleagueEdit(id, key, value))
        ++m_colleagueEdits;
    else
        qCWarning(lcSoak) << "colleague's edit of" << id << "refused";
}

void Soak::networkDown()
{
    if (m_h.server->isListeningSuspended())
        return;
    m_h.server->suspendListening();
    m_outages.push_back({elapsedSeconds(), -1});
    qCInfo(lcSoak) << "network down at" << qRound(elapsedSeconds()) << "s";
    QTimer::singleShot(qRound(m_s.outageSeconds * 1000), this, [this] { networkUp(); });
}

void Soak::networkUp()
{
    if (!m_h.server->isListeningSuspended())
        return;
    if (!m_h.server->resumeListening()) {
        // The port may be taken meanwhile; try again shortly rather than give up the run.
        QTimer::singleShot(1000, this, [this] { networkUp(); });
        return;
    }
    if (!m_outages.empty())
        m_outages.back().endSeconds = elapsedSeconds();
    m_drainSince = elapsedSeconds();
    qCInfo(lcSoak) << "network back at" << qRound(elapsedSeconds()) << "s";
}

void Soak::answerConflicts()
{
    // The rep answers each conflict as the conflict dialog would, against the server copy the
    // store holds: "mine" and "theirs" in turn.
    for (const OutboxRow &row : m_h.outbox->rows()) {
        if (row.state != OutboxRow::State::Conflict)
            continue;
        const std::optional<StoredRecord> stored = m_h.store->record(row.objectType, row.recordId);
        const QJsonObject theirs = stored ? parseObject(stored->json) : QJsonObject();
        const auto choice = m_conflictsAnswered % 2 == 0 ? ConflictResolution::Choice::Mine
                                                         : ConflictResolution::Choice::Theirs;
        const ConflictResolution resolution
            = ConflictResolution::resolveAll(parseObject(row.body), row.baseValues, theirs, choice);
        if (ConflictResolution::apply(*m_h.outbox, row.seq, resolution))
            ++m_conflictsAnswered;
        else
            qCWarning(lcSoak) << "conflict of row" << row.seq
                              << "not answered:" << m_h.outbox->lastError();
    }
}

void Soak::watchQueue()
{
    // Between samples too: the deepest queue, and how long the queue takes after each network
    // loss to have nothing left to send (conflicts wait for the rep, not for the network).
    const Outbox::Counts counts = m_h.outbox->counts();
    m_maxQueue = std::max(m_maxQueue, counts.total());
    if (m_drainSince >= 0 && m_h.server->isListeningSuspended())
        m_drainSince = -1;
    if (m_drainSince >= 0 && counts.pending == 0 && counts.inFlight == 0
        && m_h.engine->rowsInFlight() == 0) {
        m_drainSeconds.push_back(elapsedSeconds() - m_drainSince);
        m_drainSince = -1;
    }
}

void Soak::sample()
{
    Sample s;
    s.seconds = elapsedSeconds();
    s.rssKiB = rssKiB();
    s.fds = openDescriptors();
    const QString cache = m_h.store->path();
    s.cacheBytes = QFileInfo(cache).size();
    s.walBytes = QFileInfo(cache + QStringLiteral("-wal")).size();
    s.counts = m_h.outbox->counts();
    s.onlineState = int(m_h.engine->onlineState());
    s.networkUp = !m_h.server->isListeningSuspended();
    s.edits = m_edits;
    s.colleagueEdits = m_colleagueEdits;
    s.pullsOk = m_pullsOk;
    s.pullsFailed = m_pullsFailed;
    s.conflictsAnswered = m_conflictsAnswered;
    s.serverKeysHeld = m_h.server->stats().value(QStringLiteral("idempotencyKeysHeld")).toInt();
    m_maxQueue = std::max(m_maxQueue, s.counts.total());
    m_samples.push_back(s);

    if (m_csv) {
        QTextStream out(m_csv.get());
        out << QString::number(s.seconds, 'f', 1) << ',' << QString::number(s.minutes(), 'f', 3)
            << ',' << s.rssKiB << ',' << s.fds << ',' << s.cacheBytes << ',' << s.walBytes << ','
            << s.counts.total() << ',' << s.counts.pending << ',' << s.counts.inFlight << ','
            << s.counts.conflict << ',' << s.counts.parked << ',' << s.counts.mayExist << ','
            << s.onlineState << ',' << (s.networkUp ? 1 : 0) << ',' << s.edits << ','
            << s.colleagueEdits << ',' << s.pullsOk << ',' << s.pullsFailed << ','
            << s.conflictsAnswered << ',' << s.serverKeysHeld << '\n';
        out.flush();
        m_csv->flush();
    }
    qCInfo(lcSoak).noquote() << QStringLiteral(
        "t=%1 min rss=%2 fds=%3 cache=%4 wal=%5 outbox=%6 (pending %7, conflict %8) edits=%9"
        " colleague=%10 pulls=%11/%12 net=%13")
                                    .arg(s.minutes(), 0, 'f', 1)
                                    .arg(mib(s.rssMiB()))
                                    .arg(s.fds)
                                    .arg(mib(s.cacheMiB()), mib(s.walMiB()))
                                    .arg(s.counts.total())
                                    .arg(s.counts.pending)
                                    .arg(s.counts.conflict)
                                    .arg(s.edits)
                                    .arg(s.colleagueEdits)
                                    .arg(s.pullsOk)
                                    .arg(s.pullsOk + s.pullsFailed)
                                    .arg(s.networkUp ? QStringLiteral("up")
                                                     : QStringLiteral("down"));
}

void Soak::startLoad()
{
    SandboxFaults &faults = m_h.server->config().faults;
    faults.seed = m_s.seed;
    faults.rate500 = 0.02;
    faults.rate503 = 0.01;
    faults.rate408 = 0.01;
    faults.rate429 = 0.01;
    faults.rateDropAfterWrite = 0.02;
    faults.rateHang = 0.002;
    faults.rateTruncate = 0.01;
    // A 200 whose body is not JSON is not retried (BadResponse): a list page like that ends
    // the whole sweep. At 1 % a sweep of 10,000 deals and their contacts (some 600 pages) would
    // almost never finish; at 0.1 % about half of them do.
    faults.rateMalformed = 0.001;
    // Not the unknown-valueType fault: it makes a response differ from the server's state on
    // purpose, which the final store == server comparison would then report.

    const auto every = [this](QTimer &timer, double seconds, void (Soak::*slot)()) {
        if (seconds <= 0)
            return;
        timer.setInterval(std::max(1, qRound(seconds * 1000)));
        connect(&timer, &QTimer::timeout, this, slot);
        timer.start();
    };
    every(m_editTimer, m_s.editEverySeconds, &Soak::appEdit);
    every(m_colleagueTimer, m_s.colleagueEverySeconds, &Soak::colleagueEdit);
    every(m_flapTimer, m_s.flapEverySeconds, &Soak::networkDown);
    every(m_conflictTimer, 5, &Soak::answerConflicts);
    every(m_queueTimer, 0.25, &Soak::watchQueue);
    if (m_s.pullEverySeconds > 0) {
        m_pullTimer.setInterval(qRound(m_s.pullEverySeconds * 1000));
        connect(&m_pullTimer, &QTimer::timeout, this, [this] { m_h.engine->pull(); });
        m_pullTimer.start();
    }
}

void Soak::stopLoad()
{
    m_editTimer.stop();
    m_colleagueTimer.stop();
    m_flapTimer.stop();
    m_pullTimer.stop();
    networkUp();
    m_h.server->config().faults = SandboxFaults();
}

bool Soak::finalPull()
{
    for (int attempt = 0; attempt < 3; ++attempt) {
        // A pull already running may have started while the faults were on: let it end first.
        runUntil([this] { return !m_h.engine->isPulling(); }, 15 * 60 * 1000);
        if (m_h.pullOnce(15 * 60 * 1000))
            return true;
        qCWarning(lcSoak) << "final pull failed, again";
    }
    return false;
}

int Soak::compareStoreWithServer(QStringList *examples)
{
    int differing = 0;
    const auto note = [&](const QString &text) {
        ++differing;
        if (examples->size() < 10)
            examples->append(text);
    };
    const QStringList currentServerIds = m_h.dealIds();
    const QSet<QString> serverIds(currentServerIds.cbegin(), currentServerIds.cend());
    QSet<QString> storeIds;
    for (const StoredRecord &stored : m_h.store->records(kDeal)) {
        storeIds.insert(stored.id);
        if (!serverIds.contains(stored.id)) {
            note(stored.id + QStringLiteral(": in the store only"));
            continue;
        }
        if (stored.hasLocalChanges())
            note(stored.id + QStringLiteral(": still has local changes"));
        const QJsonObject local = parseObject(stored.effectiveJson());
        const QJsonObject server = m_h.serverRecord(stored.id);
        const QStringList fields = differingFields(local, server);
        if (!fields.isEmpty())
            note(stored.id + QStringLiteral(": fields ") + fields.join(QStringLiteral(", ")));
        if (local.value(QStringLiteral("relationships"))
            != server.value(QStringLiteral("relationships")))
            note(stored.id + QStringLiteral(": relationships"));
    }
    for (const QString &id : std::as_const(serverIds)) {
        if (!storeIds.contains(id))
            note(id + QStringLiteral(": on the server only"));
    }
    return differing;
}

bool Soak::writePlot(const QString &path, const QString &title) const
{
    constexpr int kPanelWidth = 800;
    constexpr int kPanelHeight = 440;
    constexpr int kTitleHeight = 44;
    double endMinutes = 1;
    for (const Sample &s : m_samples)
        endMinutes = std::max(endMinutes, s.minutes());
    const double warmup = m_s.warmupMinutes;

    struct Line
    {
        QString name;
        std::function<double(const Sample &)> value;
    };
    struct Panel
    {
        QString title;
        QString yTitle;
        QList<Line> lines;
    };
    const QList<Panel> panels {
        {QStringLiteral("Resident memory"), QStringLiteral("RSS (MiB)"),
            {{QStringLiteral("RSS"), [](const Sample &s) { return s.rssMiB(); }}}},
        {QStringLiteral("Open file descriptors"), QStringLiteral("descriptors"),
            {{QStringLiteral("open fds"), [](const Sample &s) { return double(s.fds); }}}},
        {QStringLiteral("Cache file and WAL"), QStringLiteral("size (MiB)"),
            {{QStringLiteral("cache + WAL"),
                 [](const Sample &s) { return s.cacheMiB() + s.walMiB(); }},
                {QStringLiteral("cache"), [](const Sample &s) { return s.cacheMiB(); }},
                {QStringLiteral("WAL"), [](const Sample &s) { return s.walMiB(); }}}},
        {QStringLiteral("Outbox"), QStringLiteral("rows"),
            {{QStringLiteral("outbox rows"),
                [](const Sample &s) { return double(s.counts.total()); }}}},
    };

    QImage image(QSize(2 * kPanelWidth, kTitleHeight + 2 * kPanelHeight), QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    QFont titleFont = painter.font();
    titleFont.setPointSize(14);
    titleFont.setBold(true);
    painter.setFont(titleFont);
    painter.drawText(QRect(0, 0, image.width(), kTitleHeight), Qt::AlignCenter, title);

    for (int i = 0; i < panels.size(); ++i) {
        const Panel &panel = panels.at(i);
        QGraphicsScene scene;
        auto *chart = new QChart;
        scene.addItem(chart); // the scene owns the chart, which owns its series and axes
        chart->setTitle(panel.title);
        chart->resize(kPanelWidth, kPanelHeight);
        chart->legend()->setAlignment(Qt::AlignBottom);
        auto *axisX = new QValueAxis;
        axisX->setTitleText(QStringLiteral("minutes"));
        // Whole ticks just past the last sample (a nice-numbers range may add a third more).
        const double step = endMinutes > 30 ? 10 : endMinutes > 10 ? 5 : endMinutes > 2 ? 1 : 0.5;
        const double xMax = std::ceil(endMinutes / step) * step;
        axisX->setRange(0, xMax);
        axisX->setTickCount(int(std::lround(xMax / step)) + 1);
        axisX->setLabelFormat(QStringLiteral("%g"));
        auto *axisY = new QValueAxis;
        axisY->setTitleText(panel.yTitle);
        chart->addAxis(axisX, Qt::AlignBottom);
        chart->addAxis(axisY, Qt::AlignLeft);
        double top = 0;
        for (const Line &line : panel.lines) {
            auto *series = new QLineSeries;
            series->setName(line.name);
            for (const Sample &s : m_samples) {
                const double y = line.value(s);
                series->append(s.minutes(), y);
                top = std::max(top, y);
            }
            chart->addSeries(series);
            series->attachAxis(axisX);
            series->attachAxis(axisY);
        }
        top = top > 0 ? top * 1.15 : 1;
        axisY->setRange(0, top);
        axisY->applyNiceNumbers();
        top = axisY->max();
        // The network losses as grey bands, the end of the warm-up as a dashed line.
        bool first = true;
        for (const Outage &outage : m_outages) {
            auto *upper = new QLineSeries;
            auto *lower = new QLineSeries;
            const double end = outage.endSeconds < 0 ? endMinutes : outage.endSeconds / 60.0;
            upper->append(outage.startSeconds / 60.0, top);
            upper->append(end, top);
            lower->append(outage.startSeconds / 60.0, 0);
            lower->append(end, 0);
            auto *band = new QAreaSeries(upper, lower);
            upper->setParent(band); // the area series does not own its boundaries
            lower->setParent(band);
            band->setName(QStringLiteral("network down"));
            band->setColor(QColor(128, 128, 128, 70));
            band->setBorderColor(Qt::transparent);
            chart->addSeries(band);
            band->attachAxis(axisX);
            band->attachAxis(axisY);
            if (!first)
                chart->legend()->markers(band).value(0)->setVisible(false);
            first = false;
        }
        auto *warm = new QLineSeries;
        warm->setName(QStringLiteral("end of warm-up"));
        warm->append(warmup, 0);
        warm->append(warmup, top);
        QPen pen(Qt::darkGray);
        pen.setStyle(Qt::DashLine);
        warm->setPen(pen);
        chart->addSeries(warm);
        warm->attachAxis(axisX);
        warm->attachAxis(axisY);

        QCoreApplication::processEvents(); // lets the chart lay itself out
        const QRectF target((i % 2) * kPanelWidth, kTitleHeight + (i / 2) * kPanelHeight,
            kPanelWidth, kPanelHeight);
        scene.render(&painter, target, QRectF(0, 0, kPanelWidth, kPanelHeight));
    }
    painter.end();
    return image.save(path);
}

int Soak::run()
{
    if (m_s.warmupMinutes < 0)
        m_s.warmupMinutes = m_s.minutes / 6;
    QDir().mkpath(m_s.outDir);
    const QString csvPath = QDir(m_s.outDir).filePath(QStringLiteral("soak.csv"));
    m_csv = std::make_unique<QFile>(csvPath);
    if (!m_csv->open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        qCCritical(lcSoak) << "cannot write" << csvPath;
        return 2;
    }
    m_csv->write("seconds,minutes,rss_kib,fds,cache_bytes,wal_bytes,outbox_rows,pending,"
                 "in_flight,conflict,parked,may_exist,online_state,network_up,app_edits,"
                 "colleague_edits,pulls_ok,pulls_failed,conflicts_answered,"
                 "sandbox_keys_held\n");
    qCInfo(lcSoak).noquote() << QStringLiteral(
        "soak: %1 min, %2 deals, a sample every %3 s, warm-up %4 min, network down %5 s every"
        " %6 s, an edit every %7 s, a colleague's every %8 s, a pull every %9 s; data in %10")
                                    .arg(m_s.minutes)
                                    .arg(m_s.deals)
                                    .arg(m_s.sampleSeconds)
                                    .arg(m_s.warmupMinutes)
                                    .arg(m_s.outageSeconds)
                                    .arg(m_s.flapEverySeconds)
                                    .arg(m_s.editEverySeconds)
                                    .arg(m_s.colleagueEverySeconds)
                                    .arg(m_s.pullEverySeconds)
                                    .arg(m_h.dir.path());
    if (!setUp())
        return 2;

    sample();
    m_sampleTimer.setInterval(std::max(1, qRound(m_s.sampleSeconds * 1000)));
    connect(&m_sampleTimer, &QTimer::timeout, this, &Soak::sample);
    m_sampleTimer.start();
    startLoad();
    const qint64 endMs = qint64(m_s.minutes * 60 * 1000);
    runUntil([this, endMs] { return m_clock.elapsed() >= endMs; }, endMs + 1000);

    // The end: the network back, the faults off, no more edits; the rep goes on answering
    // conflicts until the queue is empty.
    stopLoad();
    const double loadEnd = elapsedSeconds();
    double lastFlapEnd = 0;
    for (const Outage &outage : m_outages)
        lastFlapEnd = std::max(lastFlapEnd, outage.endSeconds);
    qCInfo(lcSoak) << "load stopped at" << qRound(loadEnd) << "s; draining";
    const bool drained = runUntil(
        [this] { return m_h.outbox->counts().total() == 0 && m_h.engine->rowsInFlight() == 0; },
        qint64(m_s.drainTimeoutSeconds * 1000));
    const double drainedAt = elapsedSeconds();
    m_conflictTimer.stop();
    m_queueTimer.stop();
    const bool pulled = finalPull();
    m_sampleTimer.stop();
    sample();
    m_csv->close();

    QStringList examples;
    const int differing = pulled ? compareStoreWithServer(&examples) : -1;
    const QJsonObject stats = m_h.server->stats();
    const QJsonObject applied = stats.value(QStringLiteral("appliedByIdempotencyKey")).toObject();
    int appliedTwice = 0;
    for (auto it = applied.begin(); it != applied.end(); ++it)
        appliedTwice += it.value().toInt() > 1 ? 1 : 0;
    const int mismatches = stats.value(QStringLiteral("idempotencyMismatches")).toInt();

    // The checks.
    const double half = m_samples.back().seconds / 2;
    const double warmupSeconds = m_s.warmupMinutes * 60;
    std::vector<std::pair<double, double>> rssSecondHalf;
    std::vector<std::pair<double, double>> fdSecondHalf;
    std::vector<std::pair<double, double>> cacheSecondHalf;
    double rssWarmupMax = 0;
    int fdWarmupMax = 0;
    int fdSecondHalfMax = 0;
    double walMax = 0;
    double walAfterWarmupMax = 0;
    const Sample *afterWarmup = nullptr;
    for (const Sample &s : m_samples) {
        if (s.seconds <= warmupSeconds) {
            rssWarmupMax = std::max(rssWarmupMax, s.rssMiB());
            fdWarmupMax = std::max(fdWarmupMax, s.fds);
        } else {
            if (!afterWarmup)
                afterWarmup = &s;
            walAfterWarmupMax = std::max(walAfterWarmupMax, s.walMiB());
        }
        walMax = std::max(walMax, s.walMiB());
        if (s.seconds >= half) {
            rssSecondHalf.emplace_back(s.minutes(), s.rssMiB());
            fdSecondHalf.emplace_back(s.minutes(), s.fds);
            cacheSecondHalf.emplace_back(s.minutes(), s.cacheMiB() + s.walMiB());
            fdSecondHalfMax = std::max(fdSecondHalfMax, s.fds);
        }
    }
    const Sample &start = m_samples.front();
    const Sample &end = m_samples.back();
    if (!afterWarmup)
        afterWarmup = &end;
    const double rssSlope = slope(rssSecondHalf);
    const double fdSlope = slope(fdSecondHalf);
    const double cacheSlope = slope(cacheSecondHalf);
    const double rssLimit = rssWarmupMax + std::max(m_s.rssMarginMiB, rssWarmupMax * 0.10);
    const int fdLimit = fdWarmupMax + m_s.fdMargin;

    QStringList report;
    bool pass = true;
    const auto check = [&](bool ok, const QString &text) {
        report << QStringLiteral("  %1  %2")
                      .arg(ok ? QStringLiteral("ok  ") : QStringLiteral("FAIL"), text);
        pass = pass && ok;
    };
    check(rssSlope <= m_s.maxRssSlopeMiBPerMinute,
        QStringLiteral("RSS slope over the second half %1 MiB/min (limit %2)")
            .arg(rssSlope, 0, 'f', 3)
            .arg(m_s.maxRssSlopeMiBPerMinute));
    check(end.rssMiB() <= rssLimit,
        QStringLiteral("RSS at the end %1 <= warm-up peak %2 + margin = %3")
            .arg(mib(end.rssMiB()), mib(rssWarmupMax), mib(rssLimit)));
    check(fdSecondHalfMax <= fdLimit && end.fds <= fdLimit,
        QStringLiteral("descriptors: second-half max %1, end %2 <= warm-up max %3 + %4"
                       " (second-half slope %5/min)")
            .arg(fdSecondHalfMax)
            .arg(end.fds)
            .arg(fdWarmupMax)
            .arg(m_s.fdMargin)
            .arg(fdSlope, 0, 'f', 3));
    check(walMax <= m_s.maxWalMiB,
        QStringLiteral("WAL never above %1 (max %2, after warm-up %3, end %4)")
            .arg(mib(m_s.maxWalMiB), mib(walMax), mib(walAfterWarmupMax), mib(end.walMiB())));
    check(drained && end.counts.total() == 0,
        drained ? QStringLiteral("queue drained %1 s after the load stopped, %2 s after the last"
                                 " network loss ended (max depth %3 rows)")
                      .arg(drainedAt - loadEnd, 0, 'f', 1)
                      .arg(lastFlapEnd > 0 ? drainedAt - lastFlapEnd : 0, 0, 'f', 1)
                      .arg(m_maxQueue)
                : QStringLiteral("queue NOT drained after %1 s: %2 pending, %3 in flight, %4"
                                 " conflict, %5 parked, %6 may exist")
                      .arg(m_s.drainTimeoutSeconds)
                      .arg(end.counts.pending)
                      .arg(end.counts.inFlight)
                      .arg(end.counts.conflict)
                      .arg(end.counts.parked)
                      .arg(end.counts.mayExist));
    check(pulled && differing == 0,
        pulled ? QStringLiteral("store == server: %1 deals compared, %2 differing%3")
                     .arg(m_h.store->recordCount(kDeal))
                     .arg(differing)
                     .arg(examples.isEmpty()
                             ? QString()
                             : QStringLiteral(" (") + examples.join(QStringLiteral("; ")) + u')')
               : QStringLiteral("the final pull failed"));
    check(appliedTwice == 0 && mismatches == 0,
        QStringLiteral("exactly once: %1 keys applied, %2 applied twice, %3 key/body mismatches")
            .arg(applied.size())
            .arg(appliedTwice)
            .arg(mismatches));

    QStringList figures;
    const auto figure = [&](const QString &name, const Sample &s) {
        figures << QStringLiteral("  %1 (%2 min): RSS %3, %4 fds, cache %5, WAL %6, outbox %7")
                       .arg(name)
                       .arg(s.minutes(), 0, 'f', 1)
                       .arg(mib(s.rssMiB()))
                       .arg(s.fds)
                       .arg(mib(s.cacheMiB()), mib(s.walMiB()))
                       .arg(s.counts.total());
    };
    figure(QStringLiteral("start"), start);
    figure(QStringLiteral("after warm-up"), *afterWarmup);
    figure(QStringLiteral("end"), end);
    figures << QStringLiteral("  slopes over the second half: RSS %1 MiB/min, fds %2/min,"
                              " cache+WAL %3 MiB/min")
                   .arg(rssSlope, 0, 'f', 3)
                   .arg(fdSlope, 0, 'f', 3)
                   .arg(cacheSlope, 0, 'f', 3);
    if (!m_drainSeconds.empty()) {
        figures << QStringLiteral("  after a network loss, nothing left to send in: max %1 s,"
                                  " median %2 s, after the last one %3 s (%4 losses measured)")
                       .arg(*std::max_element(m_drainSeconds.cbegin(), m_drainSeconds.cend()), 0,
                           'f', 1)
                       .arg(median(m_drainSeconds), 0, 'f', 1)
                       .arg(m_drainSeconds.back(), 0, 'f', 1)
                       .arg(m_drainSeconds.size());
    }
    figures << QStringLiteral("  load: %1 edits by the app (%2 refused), %3 by colleagues, %4"
                              " conflicts (%5 answered), %6 parked, %7 network losses, pulls %8"
                              " ok / %9 failed, first pull %10 s")
                   .arg(m_edits)
                   .arg(m_editFailures)
                   .arg(m_colleagueEdits)
                   .arg(m_conflicts)
                   .arg(m_conflictsAnswered)
                   .arg(m_parked)
                   .arg(m_outages.size())
                   .arg(m_pullsOk)
                   .arg(m_pullsFailed)
                   .arg(m_initialPullSeconds, 0, 'f', 1);
    figures << QStringLiteral("  sandbox: %1 writes applied, %2 replays, faults %3")
                   .arg(stats.value(QStringLiteral("writesApplied")).toInt())
                   .arg(stats.value(QStringLiteral("idempotentReplays")).toInt())
                   .arg(QString::fromUtf8(
                       QJsonDocument(stats.value(QStringLiteral("faults")).toObject())
                           .toJson(QJsonDocument::Compact)));

    const QString verdict = pass ? QStringLiteral("PASS") : QStringLiteral("FAIL");
    const QString title = QStringLiteral("Lightfield Deals soak: %1 deals, %2 min, %3")
                              .arg(m_s.deals)
                              .arg(m_s.minutes)
                              .arg(verdict);
    const QString pngPath = QDir(m_s.outDir).filePath(QStringLiteral("soak.png"));
    if (!writePlot(pngPath, title))
        qCWarning(lcSoak) << "could not write" << pngPath;
    QString summary;
    QTextStream text(&summary);
    text << title << '\n'
         << QStringLiteral("figures:\n") << figures.join(u'\n') << '\n'
         << QStringLiteral("checks:\n") << report.join(u'\n') << '\n'
         << verdict << '\n'
         << QStringLiteral("samples: %1\nplot: %2\n").arg(csvPath, pngPath);
    text.flush();
    QFile summaryFile(QDir(m_s.outDir).filePath(QStringLiteral("summary.txt")));
    if (summaryFile.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        summaryFile.write(summary.toUtf8());
    QTextStream(stdout) << summary;
    return pass ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    // Qt Charts draws through QGraphicsScene, which needs a QApplication; nothing is shown.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("lightfield_soak"));
    QStandardPaths::setTestModeEnabled(true);

    Settings s;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Soak run of the sync engine against the in-process sandbox: edits, colleagues' edits,"
        " API faults and network losses; samples RSS, descriptors, cache/WAL size and the"
        " outbox; PASS or FAIL at the end (exit code 1 on FAIL)."));
    parser.addHelpOption();
    const auto option = [&parser](const char *name, const QString &help, const QString &value) {
        const QCommandLineOption o(QString::fromLatin1(name), help, QStringLiteral("n"), value);
        parser.addOption(o);
        return o;
    };
    const auto minutes = option(
        "minutes", QStringLiteral("Length of the load phase."), QString::number(s.minutes));
    const auto deals
        = option("deals", QStringLiteral("Deals seeded in the sandbox."), QString::number(s.deals));
    const auto sampleEvery = option("sample-every", QStringLiteral("Seconds between samples."),
        QString::number(s.sampleSeconds));
    const auto warmup = option(
        "warmup", QStringLiteral("Warm-up in minutes (default: a sixth of the run)."), QString());
    const auto flapEvery
        = option("flap-every", QStringLiteral("Seconds between network losses (0: none)."),
            QString::number(s.flapEverySeconds));
    const auto outage = option("outage", QStringLiteral("Seconds each network loss lasts."),
        QString::number(s.outageSeconds));
    const auto editEvery = option("edit-every", QStringLiteral("Seconds between the rep's edits."),
        QString::number(s.editEverySeconds));
    const auto colleagueEvery
        = option("colleague-every", QStringLiteral("Seconds between colleagues' edits."),
            QString::number(s.colleagueEverySeconds));
    const auto pullEvery = option("pull-every",
        QStringLiteral("Seconds between pulls the rep asks for (0: only the engine's own)."),
        QString::number(s.pullEverySeconds));
    const auto hot
        = option("hot-deals", QStringLiteral("Deals most edits go to (so that edits meet)."),
            QString::number(s.hotDeals));
    const auto seed = option("seed", QStringLiteral("Seed of the data, the edits and the faults."),
        QString::number(s.seed));
    const auto drain
        = option("drain-timeout", QStringLiteral("Seconds the queue may take to drain at the end."),
            QString::number(s.drainTimeoutSeconds));
    const auto rssSlope = option("max-rss-slope",
        QStringLiteral("Pass: RSS slope over the second half, MiB per minute."),
        QString::number(s.maxRssSlopeMiBPerMinute));
    const auto rssMargin = option("rss-margin",
        QStringLiteral("Pass: RSS at the end at most the warm-up peak plus this many MiB (or"
                       " 10%, whichever is more)."),
        QString::number(s.rssMarginMiB));
    const auto fdMargin = option("fd-margin",
        QStringLiteral("Pass: descriptors after the first half at most the warm-up max plus"
                       " this."),
        QString::number(s.fdMargin));
    const auto maxWal = option("max-wal",
        QStringLiteral("Pass: the WAL never above this many MiB."), QString::number(s.maxWalMiB));
    const QCommandLineOption out(QStringLiteral("out"),
        QStringLiteral("Folder for soak.csv, soak.png and summary.txt."), QStringLiteral("dir"),
        QStringLiteral("soak-out"));
    parser.addOption(out);
    parser.process(app);

    bool ok = true;
    const auto number = [&parser, &ok](const QCommandLineOption &o, double fallback) {
        const QString text = parser.value(o);
        if (text.isEmpty())
            return fallback;
        bool valid = false;
        const double value = text.toDouble(&valid);
        if (!valid || value < 0 || !std::isfinite(value)) {
            qCCritical(lcSoak).noquote()
                << QStringLiteral("--") + o.names().constFirst() << "wants a number >= 0";
            ok = false;
        }
        return value;
    };
    s.minutes = number(minutes, s.minutes);
    s.deals = int(number(deals, s.deals));
    s.sampleSeconds = number(sampleEvery, s.sampleSeconds);
    s.warmupMinutes = number(warmup, -1);
    s.flapEverySeconds = number(flapEvery, s.flapEverySeconds);
    s.outageSeconds = number(outage, s.outageSeconds);
    s.editEverySeconds = number(editEvery, s.editEverySeconds);
    s.colleagueEverySeconds = number(colleagueEvery, s.colleagueEverySeconds);
    s.pullEverySeconds = number(pullEvery, s.pullEverySeconds);
    s.hotDeals = int(number(hot, s.hotDeals));
    s.seed = quint32(number(seed, s.seed));
    s.drainTimeoutSeconds = number(drain, s.drainTimeoutSeconds);
    s.maxRssSlopeMiBPerMinute = number(rssSlope, s.maxRssSlopeMiBPerMinute);
    s.rssMarginMiB = number(rssMargin, s.rssMarginMiB);
    s.fdMargin = int(number(fdMargin, s.fdMargin));
    s.maxWalMiB = number(maxWal, s.maxWalMiB);
    s.outDir = parser.value(out);
    if (!ok || s.deals < 1 || s.minutes <= 0 || s.sampleSeconds <= 0)
        return 2;

    Soak soak(s);
    return soak.run();
}
