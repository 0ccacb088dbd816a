// Sweeps against a list that behaves like a real search index: newest-first and shuffled
// orders, records created and deleted while the pages are read, a cap on the offset, and a
// garbled page. Every sweep is a real pull (SyncEngine, LightfieldClient, LocalStore) against
// the in-process sandbox; the sandbox's list-page hook changes its store at a known page.

#include "localstoretestaccess.h"
#include "sync/sweep.h"
#include "synctesthelpers.h"

#include <QStandardPaths>
#include <QUrlQuery>

using namespace SyncTest;

Q_DECLARE_METATYPE(SandboxStore::ListOrder)

namespace {

/** A deal the API would accept, on the first account of the sandbox. */
QJsonObject newDealBody(SandboxStore &store, const QString &name)
{
    const QJsonObject definitions = store.schema(kDeal).definitionsJson();
    const QString stage = definitions.value(QStringLiteral("fieldDefinitions"))
                              .toObject()
                              .value(QStringLiteral("$stage"))
                              .toObject()
                              .value(QStringLiteral("typeConfiguration"))
                              .toObject()
                              .value(QStringLiteral("options"))
                              .toArray()
                              .first()
                              .toObject()
                              .value(QStringLiteral("id"))
                              .toString();
    return QJsonObject {
        {QStringLiteral("fields"),
            QJsonObject {{QStringLiteral("$name"), name}, {QStringLiteral("$stage"), stage}}},
        {QStringLiteral("relationships"),
            QJsonObject {
                {QStringLiteral("$account"), store.ids(QStringLiteral("account")).constFirst()}}},
    };
}

int offsetOf(const QUrlQuery &query)
{
    return query.queryItemValue(QStringLiteral("offset")).toInt();
}

} // namespace

class TestSweeps final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Harness> h;

    /** A sandbox of `deals` deals with fast limits, and an engine that pulls deals only. */
    void open(SandboxConfig config, int deals, int pagesInFlight = 3)
    {
        h = std::make_unique<Harness>();
        h->inMemoryStore = true;
        h->engineOptions.pagesInFlight = pagesInFlight;
        config.rateLimitSearch = 100000;
        config.rateLimitRead = 100000;
        h->engineOptions.pullTypes = {kDeal};
        QVERIFY(h->startServer(std::move(config), deals));
        QVERIFY(h->open(false));
    }

    /** The first pull (the engine's start); true when it finished ok. */
    bool firstPull(QString *error = nullptr)
    {
        QSignalSpy finished(h->engine.get(), &SyncEngine::pullFinished);
        h->engine->start();
        if (!finished.wait(60000))
            return false;
        if (error)
            *error = finished.first().at(1).toString();
        return finished.first().at(0).toBool();
    }

    /** The ids of the deals the cache holds (not deleted), sorted. */
    QStringList cachedIds() const
    {
        QStringList ids;
        for (const StoredRecord &record : h->store->records(kDeal))
            ids << record.id;
        ids.sort();
        return ids;
    }

    QStringList serverIds() const
    {
        QStringList ids = h->dealIds();
        ids.sort();
        return ids;
    }

    /** Requests the sandbox answered on a route since its stats were reset. */
    int requests(const QString &route) const
    {
        const QJsonObject byStatus = h->server->stats()
                                         .value(QStringLiteral("requests"))
                                         .toObject()
                                         .value(route)
                                         .toObject();
        int count = 0;
        for (auto it = byStatus.constBegin(); it != byStatus.constEnd(); ++it)
            count += it.value().toInt();
        return count;
    }

    static void orderRows(const QList<SandboxStore::ListOrder> &orders)
    {
        QTest::addColumn<SandboxStore::ListOrder>("order");
        for (const SandboxStore::ListOrder order : orders)
            QTest::newRow(qPrintable(SandboxStore::listOrderName(order))) << order;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qRegisterMetaType<SandboxStore::ListOrder>();
    }
    void cleanup() { h.reset(); }

    // --- Shifts while a sweep runs ---------------------------------------------------------

    void aDealCreatedAtTheHeadDuringASweepIsMirroredByIt_data()
    {
        orderRows({SandboxStore::ListOrder::Newest, SandboxStore::ListOrder::Oldest});
    }

    void aDealCreatedAtTheHeadDuringASweepIsMirroredByIt()
    {
        QFETCH(SandboxStore::ListOrder, order);
        SandboxConfig config;
        config.listOrder = order;
        open(config, 400);
        // Once the page at offset 50 is served (pages 0 and 25 already read), a colleague
        // creates a deal listed first: every later page shifts by one row.
        QString created;
        h->server->setListPageHook([&](const QString &type, const QUrlQuery &query) {
            if (type != kDeal || offsetOf(query) != 50 || !created.isEmpty())
                return;
            auto result = h->server->store().create(
                kDeal, newDealBody(h->server->store(), QStringLiteral("Created mid-sweep")));
            QVERIFY(std::holds_alternative<QJsonObject>(result));
            created = std::get<QJsonObject>(result).value(QStringLiteral("id")).toString();
            QVERIFY(h->server->store().placeAtHead(kDeal, created));
        });
        QString error;
        QVERIFY2(firstPull(&error), qPrintable(error));
        QVERIFY(!created.isEmpty());
        QCOMPARE(h->store->recordCount(kDeal), 401);
        QCOMPARE(cachedIds(), serverIds());
        QVERIFY(h->store->record(kDeal, created).has_value());
    }

    void deletionsDuringASweepSkipNothing_data()
    {
        orderRows({SandboxStore::ListOrder::ShuffledStable, SandboxStore::ListOrder::Newest});
    }

    void deletionsDuringASweepSkipNothing()
    {
        QFETCH(SandboxStore::ListOrder, order);
        SandboxConfig config;
        config.listOrder = order;
        open(config, 100, 1); // one page at a time: every page after the hook's is read later
        // Once the page at offset 25 is served, two deals the first page listed are deleted:
        // every row after them moves up two places, past the boundaries of pages not read yet.
        QStringList deleted;
        h->server->setListPageHook([&](const QString &type, const QUrlQuery &query) {
            if (type != kDeal || offsetOf(query) != 25 || !deleted.isEmpty())
                return;
            const QStringList served = h->server->store().servedIds(kDeal);
            deleted = {served.at(3), served.at(10)};
            for (const QString &id : std::as_const(deleted))
                QVERIFY(h->server->store().remove(kDeal, id));
        });
        QString error;
        QVERIFY2(firstPull(&error), qPrintable(error));
        QCOMPARE(deleted.size(), 2);
        // Every deal still on the server is mirrored by that first sweep; the two deleted ones
        // were listed before they went, so they are cached too.
        QStringList expected = serverIds() + deleted;
        expected.sort();
        QCOMPARE(cachedIds(), expected);

        // The next sweep no longer lists them: a GET each says 404 and they are removed, and
        // no other deal costs a GET.
        h->server->setListPageHook({});
        h->server->resetStats();
        QSignalSpy removed(h->engine.get(), &SyncEngine::recordsRemoved);
        QVERIFY(h->pullOnce());
        QCOMPARE(requests(QStringLiteral("GET /v1/opportunities/{id}")), 2);
        QCOMPARE(removed.size(), 1);
        QStringList removedIds = removed.first().at(1).toStringList();
        removedIds.sort();
        deleted.sort();
        QCOMPARE(removedIds, deleted);
        QCOMPARE(cachedIds(), serverIds());
        for (const QString &id : std::as_const(deleted))
            QVERIFY(h->store->record(kDeal, id)->deleted);
    }

    // --- A capped offset ---------------------------------------------------------------------

    void aCappedListIsSweptInParts()
    {
        SandboxConfig config;
        config.maxOffset = 1000;
        open(config, 5000);
        QString error;
        QVERIFY2(firstPull(&error), qPrintable(error));
        QCOMPARE(h->store->recordCount(kDeal), 5000);
        QCOMPARE(cachedIds(), serverIds());
        // Every deal was listed: none needed a GET, and at least one offset was refused.
        QCOMPARE(requests(QStringLiteral("GET /v1/opportunities/{id}")), 0);
        const QJsonObject listed = h->server->stats()
                                       .value(QStringLiteral("requests"))
                                       .toObject()
                                       .value(QStringLiteral("GET /v1/opportunities"))
                                       .toObject();
        QVERIFY2(listed.value(QStringLiteral("400")).toInt() >= 1,
            QJsonDocument(listed).toJson(QJsonDocument::Compact).constData());
    }

    void aCappedListDetectsDeletions_data()
    {
        QTest::addColumn<bool>("answerEmpty");
        QTest::newRow("400 past the cap") << false;
        QTest::newRow("empty page past the cap") << true;
    }

    void aCappedListDetectsDeletions()
    {
        QFETCH(bool, answerEmpty);
        SandboxConfig config;
        config.maxOffset = 50;
        config.maxOffsetAnswersEmpty = answerEmpty;
        config.listOrder = SandboxStore::ListOrder::ShuffledStable;
        open(config, 200);
        QString error;
        QVERIFY2(firstPull(&error), qPrintable(error));
        QCOMPARE(cachedIds(), serverIds());
        QCOMPARE(h->store->recordCount(kDeal), 200);

        // Two deals deleted between sweeps: the partitioned sweep is complete, so its deletion
        // check asks about exactly those two, and removes them.
        const QStringList gone {h->dealIds().at(7), h->dealIds().at(150)};
        for (const QString &id : gone)
            QVERIFY(h->server->store().remove(kDeal, id));
        h->server->resetStats();
        QSignalSpy removed(h->engine.get(), &SyncEngine::recordsRemoved);
        QVERIFY(h->pullOnce());
        QCOMPARE(requests(QStringLiteral("GET /v1/opportunities/{id}")), 2);
        QCOMPARE(cachedIds(), serverIds());
        for (const QString &id : gone)
            QVERIFY(h->store->record(kDeal, id)->deleted);
    }

    void aPartIsSplitWithDocumentedOperatorsOnly()
    {
        SandboxClock clock;
        SandboxStore store(&clock, 3);
        seedSandbox(store, {3, 60});
        const ObjectSchema schema
            = ObjectSchema::fromDefinitionsJson(store.schema(kDeal).definitionsJson());
        QList<Record> sample;
        for (const QString &id : store.ids(kDeal))
            sample << Record::fromJson(*store.retrieve(kDeal, id), schema);
        const QStringList documented {QStringLiteral("equal"), QStringLiteral("greaterThan"),
            QStringLiteral("greaterThanOrEqual"), QStringLiteral("lessThan"),
            QStringLiteral("lessThanOrEqual"), QStringLiteral("startsWith"),
            QStringLiteral("contains")};
        const auto checkOperators = [&documented](const QList<ListQuery> &parts) {
            for (const ListQuery &part : parts) {
                for (const ListQuery::Filter &filter : part.filters) {
                    QString op = filter.op;
                    if (op.startsWith(QLatin1Char('-')))
                        op.remove(0, 1);
                    QVERIFY2(documented.contains(op), qPrintable(filter.op));
                }
            }
        };

        // First by stage: one part per option, and the rest (every option negated).
        const QList<SelectOption> stages = schema.field(QStringLiteral("$stage"))->options();
        const QList<ListQuery> byStage = Sweep::split(ListQuery(), sample, schema);
        QCOMPARE(byStage.size(), stages.size() + 1);
        checkOperators(byStage);
        QCOMPARE(byStage.first().filters,
            (QList<ListQuery::Filter> {
                {QStringLiteral("$stage"), QStringLiteral("equal"), stages.first().id}}));
        QCOMPARE(byStage.last().filters.size(), stages.size());
        for (const ListQuery::Filter &filter : byStage.last().filters)
            QCOMPARE(filter.op, QStringLiteral("-equal"));

        // Once every select field is used, by a range: below, from, and unset.
        ListQuery narrowed;
        for (const FieldDefinition &field : schema.fields()) {
            if (field.type() == FieldType::SingleSelect && !field.options().isEmpty())
                narrowed.where(field.key(), QStringLiteral("equal"), field.options().first().id);
        }
        const QList<ListQuery> byRange = Sweep::split(narrowed, sample, schema);
        QCOMPARE(byRange.size(), 3);
        checkOperators(byRange);
        const ListQuery::Filter below = byRange.at(0).filters.constLast();
        QCOMPARE(below.op, QStringLiteral("lessThan"));
        QCOMPARE(byRange.at(1).filters.constLast(),
            (ListQuery::Filter {below.key, QStringLiteral("greaterThanOrEqual"), below.value}));
        QCOMPARE(byRange.at(2).filters.mid(narrowed.filters.size()),
            (QList<ListQuery::Filter> {{below.key, QStringLiteral("-lessThan"), below.value},
                {below.key, QStringLiteral("-greaterThanOrEqual"), below.value}}));
        // A part already bounded on that field has no "unset" part.
        QCOMPARE(Sweep::split(byRange.at(0), sample, schema).size(), 2);

        // Nothing to split with: no parts (the sweep then fails with a message).
        QVERIFY(Sweep::split(ListQuery(), sample, ObjectSchema()).isEmpty());
    }

    // --- A garbled page ----------------------------------------------------------------------

    void aMalformedPageIsRetriedAndThePullSucceeds()
    {
        open({}, 60);
        h->server->config().faults.malformedListPages = 1;
        QString error;
        QVERIFY2(firstPull(&error), qPrintable(error));
        QCOMPARE(h->server->stats()
                     .value(QStringLiteral("faults"))
                     .toObject()
                     .value(QStringLiteral("malformed"))
                     .toInt(),
            1);
        QCOMPARE(h->server->config().faults.malformedListPages, 0);
        QCOMPARE(cachedIds(), serverIds());
    }
};

QTEST_GUILESS_MAIN(TestSweeps)
#include "tst_sweeps.moc"
