#pragma once

// The harness shared by the SyncEngine tests: the in-process sandbox on loopback, a real
// QNetworkAccessManager and LightfieldClient, a LocalStore file in a QTemporaryDir, its Outbox
// and a SyncEngine with short retry waits. crash() drops the engine, the client's calls, the
// outbox and the store without any goodbye (rows in flight stay InFlight in the file), and
// reopen() starts them again as the app would after a crash.

#include "domain/fieldtype.h"
#include "domain/merge.h"
#include "domain/recordjson.h"
#include "net/lightfieldclient.h"
#include "store/localstore.h"
#include "store/outbox.h"
#include "sync/syncengine.h"

#include "sandboxseed.h"
#include "sandboxserver.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

namespace SyncTest {

inline const QString kDeal = QStringLiteral("opportunity");
inline const QString kKey = QStringLiteral("sk_lf_demo");

inline QJsonObject parseObject(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

inline QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

/** Runs the event loop until `done()` or `timeoutMs` (QTest::qWait slices; no sleeping). */
template<typename Done> bool waitFor(Done done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QTest::qWait(5);
    }
    return true;
}

/** Keys whose values differ between two read-shape records (compared by value and type). */
inline QStringList differingFields(
    const QJsonObject &a, const QJsonObject &b, bool ignoreUnknownTypes = false)
{
    QStringList keys = a.value(QStringLiteral("fields")).toObject().keys();
    keys += b.value(QStringLiteral("fields")).toObject().keys();
    keys.removeDuplicates();
    QStringList differing;
    for (const QString &key : std::as_const(keys)) {
        QString type = RecordJson::fieldValueType(a, key);
        if (type.isEmpty())
            type = RecordJson::fieldValueType(b, key);
        // The fault run's "unknown valueType" fault adds a field to one response only.
        if (ignoreUnknownTypes && fieldTypeFromName(type) == FieldType::Unknown)
            continue;
        if (!RecordJson::sameValue(
                RecordJson::fieldValue(a, key), RecordJson::fieldValue(b, key), type))
            differing << key;
    }
    return differing;
}

struct Harness
{
    QTemporaryDir dir;
    std::unique_ptr<SandboxServer> server;
    quint16 port = 0;
    std::unique_ptr<QNetworkAccessManager> nam;
    std::unique_ptr<LightfieldClient> client;
    std::unique_ptr<LocalStore> store;
    std::unique_ptr<Outbox> outbox;
    std::unique_ptr<SyncEngine> engine;
    qint64 clockOffsetMs = 0;
    SyncEngine::Options engineOptions;
    int transferTimeoutMs = 3000;
    QString apiKey = kKey;
    /** The store in memory: no file and no fsync per commit, for tests that run thousands of
        them and never crash() (reopen() would start an empty store). */
    bool inMemoryStore = false;

    Harness()
    {
        engineOptions.retryBaseMs = 20;
        engineOptions.retryCapMs = 300;
        engineOptions.probeIntervalMs = 100;
        engineOptions.pagesInFlight = 3;
        engineOptions.clock
            = [this] { return QDateTime::currentDateTimeUtc().addMSecs(clockOffsetMs); };
        engineOptions.random = [] { return 0.5; };
    }

    bool startServer(SandboxConfig config = {}, int opportunities = 40, quint64 seed = 7)
    {
        server = std::make_unique<SandboxServer>(std::move(config));
        seedSandbox(server->store(), {seed, opportunities});
        port = server->listenLoopback(port);
        return port != 0;
    }

    QUrl baseUrl() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)); }

    void makeClient()
    {
        nam = std::make_unique<QNetworkAccessManager>();
        LightfieldClient::Options o;
        o.baseUrl = baseUrl();
        o.apiKey = apiKey;
        o.transferTimeoutMs = transferTimeoutMs;
        o.retry = {3, 20, 200, 2500};
        o.random = [] { return 0.5; };
        client = std::make_unique<LightfieldClient>(nam.get(), o);
    }

    bool openStore()
    {
        store = std::make_unique<LocalStore>(inMemoryStore
                ? QStringLiteral(":memory:")
                : dir.filePath(QStringLiteral("cache.sqlite")));
        if (!store->open().isOpen())
            return false;
        outbox = std::make_unique<Outbox>(*store);
        return true;
    }

    void makeEngine(bool start = true)
    {
        engine = std::make_unique<SyncEngine>(*store, *outbox, *client, engineOptions);
        if (start)
            engine->start();
    }

    /** Client, store, outbox and engine, started. */
    bool open(bool start = true)
    {
        makeClient();
        if (!openStore())
            return false;
        makeEngine(start);
        return true;
    }

    /** Everything but the server goes away at once, as in a crash. */
    void crash()
    {
        engine.reset();
        client.reset();
        nam.reset();
        outbox.reset();
        store.reset();
    }

    bool reopen(bool start = true)
    {
        crash();
        return open(start);
    }

    bool pullOnce(int timeoutMs = 30000)
    {
        QSignalSpy finished(engine.get(), &SyncEngine::pullFinished);
        engine->pull();
        // A pull that fails at once finishes inside pull(), before wait() would see it.
        return (!finished.isEmpty() || finished.wait(timeoutMs)) && finished.first().at(0).toBool();
    }

    /** Nothing Pending or InFlight, nothing being worked on. */
    bool idle() const
    {
        const Outbox::Counts counts = outbox->counts();
        return counts.pending == 0 && counts.inFlight == 0 && engine->rowsInFlight() == 0;
    }

    /** Nothing in flight and nothing that could go now: what is left waits for the user. */
    bool settled() const
    {
        return engine->rowsInFlight() == 0 && outbox->counts().inFlight == 0
            && outbox->nextReady(QDateTime::currentDateTimeUtc().addSecs(3600), 1).isEmpty();
    }

    bool waitIdle(int timeoutMs = 30000)
    {
        if (waitFor([this] { return idle(); }, timeoutMs))
            return true;
        qWarning("not idle: engine state %d, busy %d, paused %d", int(engine->onlineState()),
            engine->rowsInFlight(), int(engine->isPausedForAuth()));
        for (const OutboxRow &row : outbox->rows()) {
            qWarning("row %lld %s %s attempts %d due %s error %s", row.seq,
                qPrintable(row.recordId), qPrintable(Outbox::stateName(row.state)), row.attempts,
                qPrintable(row.nextAttemptAt.toString(Qt::ISODateWithMs)),
                qPrintable(row.lastError));
        }
        return false;
    }

    QJsonObject serverRecord(const QString &id) const
    {
        return server->store().retrieve(kDeal, id).value_or(QJsonObject());
    }

    QJsonObject localRecord(const QString &id) const
    {
        const std::optional<StoredRecord> stored = store->record(kDeal, id);
        return stored ? parseObject(stored->effectiveJson()) : QJsonObject();
    }

    QString storedUpdatedAt(const QString &id) const
    {
        const std::optional<StoredRecord> stored = store->record(kDeal, id);
        return stored ? stored->updatedAt : QString();
    }

    /** The user edits one field of a deal, as the form would queue it. */
    std::optional<OutboxRow> edit(const QString &id, const QString &key, const QJsonValue &value)
    {
        const QJsonObject body {{QStringLiteral("fields"), QJsonObject {{key, value}}}};
        const QJsonObject base {{key, RecordJson::fieldValue(localRecord(id), key)}};
        return outbox->enqueueUpdate(
            kDeal, id, compactJson(body), storedUpdatedAt(id), base, {}, engineOptions.clock());
    }

    /** A colleague's edit, straight into the sandbox (no idempotency, advances updatedAt). */
    bool colleagueEdit(const QString &id, const QString &key, const QJsonValue &value)
    {
        const auto result = server->store().update(
            kDeal, id, QJsonObject {{QStringLiteral("fields"), QJsonObject {{key, value}}}});
        return std::holds_alternative<QJsonObject>(result);
    }

    QStringList dealIds() const { return server->store().ids(kDeal); }

    /** GET on an admin route of the sandbox (/__sandbox/...). */
    QJsonDocument admin(const QString &path)
    {
        QNetworkAccessManager adminNam;
        QNetworkRequest request(QUrl(baseUrl().toString() + path));
        QNetworkReply *reply = adminNam.get(request);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        const QJsonDocument document = QJsonDocument::fromJson(reply->readAll());
        reply->deleteLater();
        return document;
    }

    /** The sandbox's log of API writes received (oldest first). */
    QJsonArray writes()
    {
        return admin(QStringLiteral("/__sandbox/writes"))
            .object()
            .value(QStringLiteral("writes"))
            .toArray();
    }

    /** appliedByIdempotencyKey of the sandbox's stats. */
    QJsonObject appliedByKey() const
    {
        return server->stats().value(QStringLiteral("appliedByIdempotencyKey")).toObject();
    }
};

} // namespace SyncTest
