#include "sync/puller.h"

#include "domain/json.h"
#include "logging.h"
#include "net/lightfieldclient.h"
#include "net/pager.h"
#include "store/localstore.h"
#include "sync/connectivity.h"
#include "sync/servertime.h"
#include "sync/sweep.h"

#include <algorithm>
#include <memory>
#include <utility>

namespace {

const QString kOpportunity = QStringLiteral("opportunity");

bool endpointFor(const QString &type, ListEndpoint *endpoint)
{
    if (type == kOpportunity)
        *endpoint = ListEndpoint::Opportunities;
    else if (type == QLatin1String("account"))
        *endpoint = ListEndpoint::Accounts;
    else if (type == QLatin1String("member"))
        *endpoint = ListEndpoint::Members;
    else if (type == QLatin1String("contact"))
        *endpoint = ListEndpoint::Contacts;
    else
        return false;
    return true;
}

bool hasDefinitions(const QString &type)
{
    return type == kOpportunity || type == QLatin1String("account")
        || type == QLatin1String("contact");
}

} // namespace

Puller::Puller(LocalStore &store, LightfieldClient &client, Connectivity &connectivity,
    Settings settings, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_client(&client)
    , m_connectivity(connectivity)
    , m_settings(std::move(settings))
{
    if (!m_settings.clock)
        m_settings.clock = [] { return QDateTime::currentDateTimeUtc(); };
}

Puller::~Puller() = default;

QDateTime Puller::now() const
{
    return m_settings.clock();
}

void Puller::pull()
{
    if (!m_connectivity.canTalk())
        return;
    if (m_pullRunning) {
        m_pullAgain = true;
        return;
    }
    m_pullRunning = true;
    m_pullAgain = false;
    m_pullOk = true;
    m_pullError.clear();
    m_progress.clear();
    m_unreadable.clear();
    m_schemas.clear();
    bool counterRead = false;
    m_sweep
        = m_store.meta(StoreMeta::kSweepCounter, &counterRead).value_or(QString()).toLongLong() + 1;
    // Every row the sweep stores is stamped with its number, and the deletion check trusts it:
    // a number not recorded would be taken again by the next sweep, whose check would count
    // this sweep's rows as listed and miss a record deleted in between.
    const bool numbered
        = counterRead && m_store.setMeta(StoreMeta::kSweepCounter, QString::number(m_sweep));
    qCInfo(lcSync) << "pull" << m_sweep << "started";
    Q_EMIT pullStarted();
    if (!numbered) {
        failPull(QStringLiteral("the sweep could not be numbered: %1").arg(m_store.lastError()));
        finishPull();
        return;
    }

    // Definitions first: the sweep decodes records with them.
    m_pendingSteps = 0;
    for (const QString &type : std::as_const(m_settings.pullTypes)) {
        if (!hasDefinitions(type))
            continue;
        ++m_pendingSteps;
        auto done = [this, type](const SchemaResult &result) {
            if (result.ok()) {
                m_connectivity.noteAnswer();
                const ObjectSchema &schema = result.value();
                m_schemas.insert(type, schema);
                const bool stored = m_store.putDefinitions(
                    type, Json::compact(schema.toDefinitionsJson()), now());
                if (m_client)
                    m_client->setSchema(schema);
                if (stored) {
                    Q_EMIT definitionsStored(type);
                } else {
                    // The next start would read the old definitions from the cache.
                    failPull(QStringLiteral("the definitions of %1 could not be stored: %2")
                                 .arg(type, m_store.lastError()));
                }
            } else {
                m_pullOk = false;
                if (m_pullError.isEmpty())
                    m_pullError = result.error().debugString();
                if (result.error().kind() == ErrorKind::Unauthorized)
                    m_connectivity.pauseForAuth();
                else if (result.error().httpStatus() == 0)
                    m_connectivity.noteNoAnswer();
            }
            if (--m_pendingSteps == 0) {
                if (m_pullOk && m_connectivity.canTalk())
                    startSweeps();
                else
                    finishPull();
            }
        };
        if (type == kOpportunity)
            m_client->opportunityDefinitions(this, done);
        else if (type == QLatin1String("account"))
            m_client->accountDefinitions(this, done);
        else
            m_client->contactDefinitions(this, done);
    }
    if (m_pendingSteps == 0)
        startSweeps();
}

void Puller::startSweeps()
{
    m_storeErrors.clear();
    for (const QString &type : std::as_const(m_settings.pullTypes)) {
        ListEndpoint endpoint;
        if (!endpointFor(type, &endpoint))
            continue;
        // Each page is stored as it arrives (before the Pager sees it): views change row by
        // row during a sweep instead of once at its end.
        auto sweepRef = std::make_shared<QPointer<Sweep>>();
        const QPointer<LightfieldClient> client = m_client;
        const qint64 sweepNumber = m_sweep;
        Sweep::FetchPage fetch
            = [this, client, endpoint, type, sweepNumber, sweepRef](const ListQuery &query,
                  QObject *context, LightfieldClient::PageCallback done) -> LightfieldCall * {
            if (!client)
                return nullptr;
            return client->listPage(endpoint, QString(), query, context,
                [this, type, sweepNumber, sweepRef, done = std::move(done)](
                    const PageResult &result) {
                    const Sweep *sweep = *sweepRef;
                    if (result.ok() && sweep && !sweep->isFinished() && sweepNumber == m_sweep
                        && !m_storeErrors.contains(type)
                        && !storePage(type, result.value(), sweepNumber)) {
                        m_storeErrors.insert(type, m_store.lastError());
                        if (*sweepRef)
                            (*sweepRef)->cancel(); // finishes the sweep (failed)
                    }
                    done(result);
                });
        };
        Sweep::Settings settings;
        settings.pager = Pager::Settings {ListQuery::kMaxLimit,
            std::max(1, m_settings.pagesInFlight), std::max(1, m_settings.maxSweepRecords)};
        settings.knownCap = m_knownCaps.value(type, -1);
        const auto schema = m_schemas.constFind(type);
        auto *sweep = new Sweep(std::move(fetch),
            schema == m_schemas.cend() ? std::nullopt : std::optional<ObjectSchema>(*schema),
            settings, this);
        *sweepRef = sweep;
        m_sweeps.insert(type, sweep);
        m_progress.insert(type, {0, 0});
        ++m_pendingSteps;
        connect(sweep, &Sweep::progress, this, [this, type](int received, int expected) {
            m_progress.insert(type, {received, std::max(received, expected)});
            int done = 0;
            int total = 0;
            for (const auto &[typeDone, typeTotal] : std::as_const(m_progress)) {
                done += typeDone;
                total += typeTotal;
            }
            Q_EMIT pullProgress(done, total);
        });
        connect(sweep, &Sweep::finished, this, [this, type, sweep](const SweepResult &result) {
            m_sweeps.remove(type);
            sweep->deleteLater();
            const QString storeError = m_storeErrors.take(type);
            if (const int unreadable = unreadableCount(type); unreadable > 0) {
                qCWarning(lcSync) << unreadable << type << "records could not be decoded";
                Q_EMIT recordsUnreadable(type, unreadable);
            }
            if (!storeError.isEmpty()) {
                finishSweep(type, false, storeError);
                return;
            }
            if (!result.ok()) {
                if (result.error && result.error->kind() == ErrorKind::Unauthorized)
                    m_connectivity.pauseForAuth();
                else if (result.error && result.error->httpStatus() == 0)
                    m_connectivity.noteNoAnswer();
                finishSweep(type, false,
                    result.error ? result.error->debugString() : QStringLiteral("cancelled"));
                return;
            }
            m_connectivity.noteAnswer();
            if (result.refusedOffset >= 0)
                m_knownCaps.insert(type, result.refusedOffset);
            qCInfo(lcSync) << "swept" << result.rows << type << "records in" << result.parts
                           << "queries";
            if (type == kOpportunity
                && !m_store.setMeta(
                    StoreMeta::kLastFullSweepAt, now().toString(Qt::ISODateWithMs))) {
                failPull(QStringLiteral("the time of the sweep could not be stored: %1")
                             .arg(m_store.lastError()));
            }
            confirmDeletions(type, m_sweep);
        });
        sweep->start();
    }
    if (m_pendingSteps == 0)
        finishPull();
}

bool Puller::storePage(const QString &type, const Page &page, qint64 sweep)
{
    // Undecodable rows first, as received: they count as listed by this sweep.
    for (const UndecodableRow &row : page.undecodable) {
        if (!m_store.storeUndecodable(type, row.key, row.json, row.reason, sweep))
            return false;
        m_unreadable[type].insert(row.key);
    }
    const QList<Record> &records = page.records;
    if (records.isEmpty())
        return true;
    QList<QByteArray> jsons;
    jsons.reserve(records.size());
    for (const Record &record : records)
        jsons << Json::compact(record.toJson());
    // What the store holds now: a copy with the same `updatedAt` is the same copy (the server
    // bumps it on every write), so re-listing an unchanged record reports nothing.
    QHash<QString, QDateTime> cached;
    {
        QStringList pageIds;
        pageIds.reserve(records.size());
        for (const Record &record : records)
            pageIds << record.id();
        const QHash<QString, QString> stored = m_store.updatedAtOf(type, pageIds);
        for (auto it = stored.constBegin(); it != stored.constEnd(); ++it)
            cached.insert(it.key(), parseServerTime(it.value()));
    }
    QList<LocalStore::Upsert> outcomes;
    if (!m_store.upsertServerRecords(type, jsons, sweep, &outcomes))
        return false;
    QStringList ids;
    ids.reserve(records.size());
    for (qsizetype i = 0; i < records.size() && i < outcomes.size(); ++i) {
        const Record &record = records.at(i);
        const auto before = cached.constFind(record.id());
        const bool same = before != cached.constEnd() && before->isValid()
            && record.updatedAt().isValid() && *before == record.updatedAt();
        if (!same
            && (outcomes.at(i) == LocalStore::Upsert::Inserted
                || outcomes.at(i) == LocalStore::Upsert::Updated)) {
            ids << record.id();
        }
    }
    if (!ids.isEmpty())
        Q_EMIT recordsStored(type, ids);
    return true;
}

void Puller::confirmDeletions(const QString &type, qint64 sweep)
{
    // Undecodable rows the complete sweep no longer listed are gone in that form.
    if (m_store.removeUndecodableNotSeenSince(type, sweep) < 0) {
        failPull(
            QStringLiteral("undecodable rows could not be dropped: %1").arg(m_store.lastError()));
    }
    // Offsets shift while a sweep runs: a missing record is deleted only when GET says 404.
    // A list that could not be read is not an empty one: the check did not happen.
    bool read = false;
    const QStringList missing = m_store.recordsNotSeenSince(type, sweep, &read);
    if (!read) {
        finishSweep(type, false,
            QStringLiteral("the deletion check could not read the cache: %1")
                .arg(m_store.lastError()));
        return;
    }
    if (missing.isEmpty() || !m_client) {
        finishSweep(type, true, QString());
        return;
    }
    struct Check
    {
        int remaining = 0;
        QStringList stored;
        QStringList removed;
    };
    auto check = std::make_shared<Check>();
    check->remaining = int(missing.size());
    for (const QString &id : missing) {
        auto done = [this, type, id, sweep, check](const RecordResult &result) {
            if (result.ok()) {
                const LocalStore::Upsert upsert = m_store.upsertServerRecord(
                    type, Json::compact(result.value().toJson()), sweep);
                if (upsert == LocalStore::Upsert::Inserted
                    || upsert == LocalStore::Upsert::Updated) {
                    check->stored << id;
                } else if (upsert == LocalStore::Upsert::Error) {
                    failPull(QStringLiteral("a %1 record could not be stored: %2")
                                 .arg(type, m_store.lastError()));
                }
            } else if (result.error().kind() == ErrorKind::NotFound) {
                qCInfo(lcSync) << "a" << type << "record was deleted on the server";
                if (m_store.markDeleted(type, id)) {
                    check->removed << id;
                } else {
                    failPull(QStringLiteral("a deleted %1 record could not be marked: %2")
                                 .arg(type, m_store.lastError()));
                }
            } else {
                m_pullOk = false; // unknown: keep the record, ask again next sweep
            }
            if (--check->remaining == 0) {
                if (!check->stored.isEmpty())
                    Q_EMIT recordsStored(type, check->stored);
                if (!check->removed.isEmpty())
                    Q_EMIT recordsRemoved(type, check->removed);
                finishSweep(type, true, QString());
            }
        };
        if (type == kOpportunity)
            m_client->retrieveOpportunity(id, this, done);
        else if (type == QLatin1String("account"))
            m_client->retrieveAccount(id, this, done);
        else if (type == QLatin1String("member"))
            m_client->retrieveMember(id, this, done);
        else
            m_client->retrieveContact(id, this, done);
    }
}

void Puller::failPull(const QString &error)
{
    qCWarning(lcSync).noquote() << "pull" << m_sweep << "fails:" << error;
    m_pullOk = false;
    if (m_pullError.isEmpty())
        m_pullError = error;
}

void Puller::finishSweep(const QString &type, bool ok, const QString &error)
{
    if (!ok) {
        qCInfo(lcSync) << "sweep of" << type << "failed:" << error;
        m_pullOk = false;
        if (m_pullError.isEmpty())
            m_pullError = error;
    }
    if (--m_pendingSteps == 0)
        finishPull();
}

void Puller::finishPull()
{
    m_pullRunning = false;
    qCInfo(lcSync) << "pull" << m_sweep << (m_pullOk ? "finished" : "failed");
    Q_EMIT pullFinished(m_pullOk, m_pullError);
    if (m_pullAgain)
        pull();
}

void Puller::cancelSweeps()
{
    // Each cancel() finishes its sweep (failed) through the Sweep's finished() handler.
    const QList<QPointer<Sweep>> sweeps = m_sweeps.values();
    for (const QPointer<Sweep> &sweep : sweeps) {
        if (sweep)
            sweep->cancel();
    }
}
