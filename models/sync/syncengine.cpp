#include "sync/syncengine.h"

#include "domain/json.h"

#include "logging.h"
#include "net/errortext.h"
#include "net/lightfieldclient.h"
#include "net/pager.h"
#include "store/localstore.h"
#include "store/outbox.h"
#include "sync/connectivity.h"
#include "sync/servertime.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <algorithm>
#include <memory>
#include <utility>

namespace {

const QString kOpportunity = QStringLiteral("opportunity");

QJsonObject parse(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

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

// --- construction and state ---

namespace {

SyncEngine::OnlineState toOnlineState(Connectivity::State state)
{
    switch (state) {
    case Connectivity::State::Online:
        return SyncEngine::OnlineState::Online;
    case Connectivity::State::Offline:
        return SyncEngine::OnlineState::Offline;
    case Connectivity::State::WorkingOffline:
        return SyncEngine::OnlineState::WorkingOffline;
    case Connectivity::State::Unauthorized:
        return SyncEngine::OnlineState::Unauthorized;
    }
    return SyncEngine::OnlineState::Online;
}

} // namespace

SyncEngine::SyncEngine(
    LocalStore &store, Outbox &outbox, LightfieldClient &client, Options options, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_outbox(outbox)
    , m_client(&client)
    , m_options(std::move(options))
{
    if (!m_options.clock)
        m_options.clock = [] { return QDateTime::currentDateTimeUtc(); };
    if (!m_options.random)
        m_options.random = [] { return QRandomGenerator::global()->generateDouble(); };
    m_options.maxWritesInFlight = std::max(1, m_options.maxWritesInFlight);
    m_connectivity = std::make_unique<Connectivity>(client,
        Connectivity::Settings {m_options.offlineAfterFailures, m_options.probeIntervalMs,
            m_options.forbiddenAsUnauthorizedAfter, m_options.useNetworkInformation});
    m_wakeTimer.setSingleShot(true);
    connect(&m_wakeTimer, &QTimer::timeout, this, &SyncEngine::push);
    connect(&m_outbox, &Outbox::changed, this, &SyncEngine::push);

    connect(
        m_connectivity.get(), &Connectivity::stateChanged, this, [this](Connectivity::State state) {
            Q_EMIT onlineStateChanged(toOnlineState(state));
            if (state == Connectivity::State::Online) {
                // Back online: everything waiting goes now, then the store catches up.
                m_outbox.resetBackoff(now());
                push();
                pull();
            }
        });
    // Work offline or a refused key: nothing waits to go, no sweep runs on.
    connect(m_connectivity.get(), &Connectivity::halted, this, [this] {
        m_wakeTimer.stop();
        cancelSweeps();
    });
    connect(m_connectivity.get(), &Connectivity::authResumed, this, [this] {
        // Rows refused for permission under the old key get another chance under the new one.
        for (const OutboxRow &row : m_outbox.rows()) {
            if (row.state == OutboxRow::State::Parked
                && ParkedError::decode(row.lastError).httpStatus == 403) {
                m_outbox.resume(row.seq, now());
            }
        }
    });
    connect(m_connectivity.get(), &Connectivity::authenticationRequired, this,
        &SyncEngine::authenticationRequired);
}

SyncEngine::~SyncEngine() = default;

QDateTime SyncEngine::now() const
{
    return m_options.clock();
}

bool SyncEngine::canTalk() const
{
    return m_connectivity->canTalk();
}

SyncEngine::OnlineState SyncEngine::onlineState() const
{
    return toOnlineState(m_connectivity->state());
}

bool SyncEngine::isWorkingOffline() const
{
    return m_connectivity->isWorkingOffline();
}

bool SyncEngine::isPausedForAuth() const
{
    return m_connectivity->isPausedForAuth();
}

void SyncEngine::start()
{
    if (m_connectivity->isStarted())
        return;
    m_connectivity->start();
    if (m_connectivity->isWorkingOffline())
        return;
    push();
    pull();
}

void SyncEngine::networkHint(bool reachable)
{
    m_connectivity->networkHint(reachable);
}

void SyncEngine::setWorkOffline(bool offline)
{
    m_connectivity->setWorkOffline(offline);
}

void SyncEngine::setApiKey(const QString &apiKey)
{
    if (m_client)
        m_client->setApiKey(apiKey);
    m_connectivity->resumeAfterNewKey();
}

// --- push ---

void SyncEngine::push()
{
    if (!canTalk())
        return;
    if (m_pushing) {
        m_pushAgain = true; // an Outbox::changed() from inside this loop
        return;
    }
    m_pushing = true;
    do {
        m_pushAgain = false;
        const int capacity = m_options.maxWritesInFlight - int(m_busy.size());
        if (capacity <= 0)
            break;
        const QList<OutboxRow> ready = m_outbox.nextReady(now(), capacity + int(m_busy.size()));
        int launched = 0;
        for (const OutboxRow &row : ready) {
            if (launched >= capacity || !canTalk())
                break;
            if (m_busy.contains(row.seq))
                continue;
            m_busy.insert(row.seq);
            m_drainedReported = false;
            ++launched;
            process(row);
        }
    } while (m_pushAgain && canTalk());
    m_pushing = false;
    scheduleWake();
    checkDrained();
}

void SyncEngine::scheduleWake()
{
    if (!canTalk())
        return;
    // The earliest due time among the rows that head their record (only those can go next).
    const std::optional<QDateTime> due = m_outbox.nextDueAt();
    if (!due)
        return;
    const qint64 waitMs = due->toMSecsSinceEpoch() - now().toMSecsSinceEpoch();
    if (waitMs <= 0)
        return; // due now: sent as soon as a slot frees (or blocked by a temporary id)
    const int interval = int(std::min<qint64>(waitMs + 1, 3600000));
    if (!m_wakeTimer.isActive() || m_wakeTimer.remainingTime() > interval)
        m_wakeTimer.start(interval);
}

void SyncEngine::checkDrained()
{
    if (m_drainedReported || !m_busy.isEmpty())
        return;
    const Outbox::Counts counts = m_outbox.counts();
    // An unreadable queue is not an empty one: "drained" would end a `sync --once` as done.
    if (!counts.readable || counts.pending + counts.inFlight > 0)
        return;
    m_drainedReported = true;
    qCInfo(lcOutbox) << "outbox drained; parked" << counts.parked << "conflicts" << counts.conflict;
    Q_EMIT drained();
}

void SyncEngine::release(qint64 seq)
{
    m_busy.remove(seq);
    push();
}

void SyncEngine::process(const OutboxRow &row)
{
    if (row.objectType != kOpportunity) {
        // The client writes opportunities only; say so instead of waiting.
        const qint64 seq = row.seq;
        const QString recordId = row.recordId;
        const bool parked = settle(
            seq, "park",
            [this, seq] {
                return m_outbox.park(seq,
                    ParkedError {
                        0, QString(), tr("Saving this kind of record is not supported yet.")}
                        .encode());
            },
            [this, seq, recordId] {
                Q_EMIT rowParked(seq, recordId, QString(), tr("Not supported"));
            });
        if (parked)
            m_busy.remove(row.seq);
        return;
    }
    const qint64 ageMs = row.createdAt.msecsTo(now());
    const bool pastRetention = row.attempts > 0 && ageMs > m_options.idempotencyRetentionMs;
    if (row.op == OutboxRow::Op::Create) {
        if (pastRetention) {
            checkThenSend(row, true); // sets it aside for the rep: nothing is sent
            return;
        }
        send(row);
        return;
    }
    // The store's copy may predate a colleague's edit made while we were offline: a fresh
    // GET before the first send is what makes the per-field merge reliable.
    // A re-send goes out whenever the backoff says, possibly hours after the row was last
    // compared with the server: without a fresh check a colleague's edit made meanwhile would
    // be overwritten instead of becoming a conflict.
    const bool checkedRecently
        = row.checkedAt.isValid() && row.checkedAt.msecsTo(now()) <= m_options.recheckAfterMs;
    bool stale = m_mergeFirst.contains(row.seq) || pastRetention
        || ((row.attempts > 0 || m_options.checkBeforeFirstSend) && !checkedRecently);
    if (!stale && !row.baseUpdatedAt.isEmpty()) {
        const std::optional<StoredRecord> stored = m_store.record(row.objectType, row.recordId);
        if (stored && !stored->updatedAt.isEmpty())
            stale = parseServerTime(stored->updatedAt) > parseServerTime(row.baseUpdatedAt);
    }
    if (stale)
        checkThenSend(row, pastRetention);
    else
        send(row);
}

void SyncEngine::checkThenSend(const OutboxRow &row, bool recheckApplied)
{
    qCDebug(lcOutbox) << "row" << row.seq << "checked against the server before sending";
    if (row.op == OutboxRow::Op::Create) {
        // A create whose key the server has forgotten. Its record may exist (the lost answer
        // of a send that worked) or not, and a deal of the same name may be a colleague's:
        // neither matching nor resending is safe, so the rep decides (Outbox::adopt(),
        // createAnyway(), discard()). The row blocks the record's later rows meanwhile.
        const QString reason = QStringLiteral("key expired after %1 attempts").arg(row.attempts);
        if (m_outbox.markMayExist(row.seq, reason))
            Q_EMIT rowMayExist(row.seq, row.recordId);
        else
            qCWarning(lcOutbox) << "row" << row.seq
                                << "could not be set aside:" << m_outbox.lastError();
        m_failures.remove(row.seq);
        m_busy.remove(row.seq);
        checkDrained();
        return;
    }
    m_client->retrieveOpportunity(
        row.recordId, this, [this, row, recheckApplied](const RecordResult &result) {
            if (!result.ok()) {
                handleWriteResult(row, false, {}, result.error());
                return;
            }
            m_connectivity->noteAnswer();
            applyMerge(row, result.value().toJson(), recheckApplied);
        });
}

void SyncEngine::applyMerge(
    const OutboxRow &checked, const QJsonObject &theirs, bool recheckApplied)
{
    const std::optional<OutboxRow> current = m_outbox.row(checked.seq);
    if (!current || current->state != OutboxRow::State::Pending) {
        release(checked.seq);
        return;
    }
    const OutboxRow &row = *current; // with any edit merged into it meanwhile
    m_mergeFirst.remove(row.seq);
    const Merge::Result merge = Merge::threeWay(parse(row.body), row.baseValues, theirs);
    const QByteArray theirsJson = Json::compact(theirs);
    const QDateTime checkedAt = now();
    if (merge.hasConflicts()) {
        QStringList keys;
        for (const Merge::FieldConflict &conflict : merge.conflicts)
            keys << conflict.key;
        qCInfo(lcOutbox) << "row" << row.seq << "conflicts on" << keys.size() << "keys";
        const qint64 seq = row.seq;
        const QString recordId = row.recordId;
        const QString reason = QStringLiteral("conflict: %1").arg(keys.join(QLatin1String(", ")));
        const QList<Merge::FieldConflict> conflicts = merge.conflicts;
        const bool marked = settle(
            seq, "conflict",
            [this, seq, reason, theirsJson, checkedAt] {
                LocalStore::Transaction transaction(m_store);
                return transaction.isActive() && m_outbox.markConflict(seq, reason, theirsJson)
                    && m_outbox.markChecked(seq, checkedAt) && transaction.commit();
            },
            [this, seq, recordId, conflicts] {
                Q_EMIT conflictDetected(seq, recordId, conflicts);
            });
        if (!marked)
            return; // busy until the store takes it
        m_busy.remove(row.seq);
        checkDrained();
        push();
        return;
    }
    if (merge.nothingToSend()) {
        // The server already shows every change (ours applied before, or a colleague's alike).
        qCInfo(lcOutbox) << "row" << row.seq << "already applied on the server; not sent"
                         << (recheckApplied ? "(past the key's retention)" : "");
        m_failures.remove(row.seq);
        const qint64 seq = row.seq;
        const QString recordId = row.recordId;
        const QString key = row.idempotencyKey;
        const QByteArray body = row.body;
        if (settle(
                seq, "acknowledgement",
                [this, seq, key, body, theirsJson, checkedAt] {
                    return m_outbox.markSucceeded(seq, key, body, theirsJson, checkedAt);
                },
                [this, seq, recordId] { Q_EMIT rowSucceeded(seq, recordId); })) {
            release(seq);
        }
        return;
    }
    if (merge.unchanged) {
        m_store.upsertServerRecord(row.objectType, theirsJson);
        if (!m_outbox.markChecked(row.seq, checkedAt)) {
            qCWarning(lcOutbox) << "row" << row.seq << "check not recorded:" << m_store.lastError();
        }
        send(row);
        return;
    }
    // Fewer keys than queued: a new body, so a new key (a key always stands for one body).
    const bool wasPushing = std::exchange(m_pushing, true); // no sends inside the transaction
    LocalStore::Transaction transaction(m_store);
    const QString theirsUpdatedAt = theirs.value(QLatin1String("updatedAt")).toString();
    const bool ok = transaction.isActive()
        && m_outbox.markConflict(row.seq, QStringLiteral("merged"), theirsJson)
        && m_outbox.resolveConflict(
            row.seq, Json::compact(merge.body), theirsUpdatedAt, merge.baseValues)
        && m_outbox.markChecked(row.seq, checkedAt) && transaction.commit();
    if (!ok) {
        qCWarning(lcOutbox) << "row" << row.seq << "could not be merged:" << m_store.lastError();
        transaction.rollback();
    } else {
        qCDebug(lcOutbox) << "row" << row.seq << "merged; dropped" << merge.dropped.size()
                          << "keys";
    }
    m_pushing = wasPushing;
    release(row.seq);
}

void SyncEngine::send(const OutboxRow &checked)
{
    // Compare-and-set: marked in flight only while the row still holds the key and body that
    // were checked; an edit merged in meanwhile sends it back through the loop (checked again).
    // From markInFlight() on, nothing merges into it any more.
    const std::optional<OutboxRow> marked
        = canTalk() ? m_outbox.markInFlight(checked) : std::nullopt;
    if (!marked) {
        release(checked.seq); // gone, changed or not now: the loop decides
        return;
    }
    const OutboxRow row = *marked;
    auto done = [this, row](const RecordResult &result) {
        handleWriteResult(row, result.ok(),
            result.ok() ? Json::compact(result.value().toJson()) : QByteArray(), result.error());
    };
    qCDebug(lcOutbox) << "sending row" << row.seq << "attempt" << row.attempts;
    if (row.op == OutboxRow::Op::Create)
        m_client->createOpportunity(row.body, row.idempotencyKey, this, done);
    else
        m_client->updateOpportunity(row.recordId, row.body, row.idempotencyKey, this, done);
}

bool SyncEngine::settle(qint64 seq, const char *what, const std::function<bool()> &write,
    const std::function<void()> &then)
{
    if (write()) {
        m_settleFailures.remove(seq);
        if (then)
            then();
        return true;
    }
    // The outcome is known but the store refused to record it (busy, full): keep the row busy
    // here so that nothing resends or forgets it, and record it again after a backoff.
    const int failures = ++m_settleFailures[seq];
    const qint64 delay = std::min<qint64>(
        m_options.retryCapMs, m_options.retryBaseMs * (qint64(1) << std::min(failures - 1, 20)));
    qCWarning(lcOutbox) << "row" << seq << what << "not recorded:" << m_store.lastError()
                        << "- trying again in" << delay << "ms";
    m_busy.insert(seq);
    QTimer::singleShot(std::chrono::milliseconds(delay), this, [this, seq, what, write, then] {
        if (settle(seq, what, write, then))
            release(seq);
    });
    return false;
}

void SyncEngine::handleWriteResult(
    const OutboxRow &sent, bool ok, const QByteArray &serverJson, const LightfieldError &error)
{
    const qint64 seq = sent.seq;
    const QString recordId = sent.recordId;
    if (ok) {
        m_connectivity->noteAnswer();
        m_connectivity->noteWriteAccepted();
        m_failures.remove(seq);
        // Only the key and body that were sent are acknowledged: a row that changed meanwhile
        // keeps what the server does not show yet.
        const QString key = sent.idempotencyKey;
        const QByteArray body = sent.body;
        const QDateTime at = now();
        if (settle(
                seq, "acknowledgement",
                [this, seq, key, body, serverJson, at] {
                    return m_outbox.markSucceeded(seq, key, body, serverJson, at);
                },
                [this, seq, recordId] { Q_EMIT rowSucceeded(seq, recordId); })) {
            release(seq);
        }
        return;
    }
    qCInfo(lcOutbox) << "row" << seq << "failed:" << LightfieldError::kindName(error.kind())
                     << error.httpStatus() << error.type();
    bool settled = true;
    switch (error.kind()) {
    case ErrorKind::Unauthorized: {
        m_connectivity->noteAnswer();
        // Due again at once and no backoff step: the key, not the row, was the problem.
        const QDateTime at = now();
        m_connectivity->pauseForAuth();
        settled = settle(seq, "retry", [this, seq, at] {
            return m_outbox.markRetry(seq, at, QStringLiteral("401 unauthorized"));
        });
        break;
    }
    case ErrorKind::Forbidden:
        if (m_connectivity->noteForbidden()) {
            // Every write refused: the key was revoked or scoped down, not this row's fault.
            m_connectivity->noteAnswer();
            const QDateTime at = now();
            m_connectivity->pauseForAuth();
            settled = settle(seq, "retry", [this, seq, at] {
                return m_outbox.markRetry(seq, at, QStringLiteral("403 forbidden"));
            });
            break;
        }
        [[fallthrough]];
    case ErrorKind::NotFound:
    case ErrorKind::Validation: {
        m_connectivity->noteAnswer();
        const QString field = ErrorText::fieldKey(error.param());
        const QString message = ErrorText::userMessage(error);
        const QString reason = ParkedError {error.httpStatus(), field, message}.encode();
        m_failures.remove(seq);
        settled = settle(
            seq, "park", [this, seq, reason] { return m_outbox.park(seq, reason); },
            [this, seq, recordId, field, message] {
                Q_EMIT rowParked(seq, recordId, field, message);
            });
        break;
    }
    case ErrorKind::Conflict:
        m_connectivity->noteAnswer();
        if (!error.isIdempotencyConflict())
            m_mergeFirst.insert(seq); // a concurrent update: merge before trying again
        settled = retryLater(seq, error);
        break;
    case ErrorKind::Offline:
    case ErrorKind::Timeout:
        if (error.httpStatus() == 0)
            m_connectivity->noteNoAnswer();
        else
            m_connectivity->noteAnswer();
        settled = retryLater(seq, error);
        break;
    case ErrorKind::RateLimited:
    case ErrorKind::Server:
    case ErrorKind::BadResponse:
        // An unreadable 2xx may have been applied: the same key makes the resend safe.
        m_connectivity->noteAnswer();
        settled = retryLater(seq, error);
        break;
    }
    if (!settled)
        return; // stays busy until the store takes the outcome
    m_busy.remove(seq);
    checkDrained();
    push();
}

bool SyncEngine::retryLater(qint64 seq, const LightfieldError &error)
{
    const int failures = ++m_failures[seq];
    const int exponent = std::min(failures - 1, 30);
    const qint64 ceiling
        = std::min<qint64>(m_options.retryCapMs, m_options.retryBaseMs * (qint64(1) << exponent));
    qint64 delay = qint64(m_options.random() * double(ceiling));
    delay = std::max(delay, error.retryAfterMs());
    if (error.isIdempotencyConflict())
        delay = std::max(delay, m_options.retryBaseMs);
    const QString reason = QStringLiteral("%1 %2")
                               .arg(error.httpStatus())
                               .arg(LightfieldError::kindName(error.kind()));
    const QDateTime due = now().addMSecs(delay);
    return settle(
        seq, "retry", [this, seq, due, reason] { return m_outbox.markRetry(seq, due, reason); });
}

// --- pull ---

void SyncEngine::pull()
{
    if (!canTalk())
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
    m_sweep = m_store.meta(StoreMeta::kSweepCounter).value_or(QString()).toLongLong() + 1;
    m_store.setMeta(StoreMeta::kSweepCounter, QString::number(m_sweep));
    qCInfo(lcSync) << "pull" << m_sweep << "started";
    Q_EMIT pullStarted();

    // Definitions first: the sweep decodes records with them.
    m_pendingSteps = 0;
    for (const QString &type : std::as_const(m_options.pullTypes)) {
        if (!hasDefinitions(type))
            continue;
        ++m_pendingSteps;
        auto done = [this, type](const SchemaResult &result) {
            if (result.ok()) {
                m_connectivity->noteAnswer();
                const ObjectSchema &schema = result.value();
                const bool stored = m_store.putDefinitions(
                    type, Json::compact(schema.toDefinitionsJson()), now());
                if (m_client)
                    m_client->setSchema(schema);
                if (stored)
                    Q_EMIT definitionsStored(type);
            } else {
                m_pullOk = false;
                if (m_pullError.isEmpty())
                    m_pullError = result.error().debugString();
                if (result.error().kind() == ErrorKind::Unauthorized)
                    m_connectivity->pauseForAuth();
                else if (result.error().httpStatus() == 0)
                    m_connectivity->noteNoAnswer();
            }
            if (--m_pendingSteps == 0) {
                if (m_pullOk && canTalk())
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

void SyncEngine::startSweeps()
{
    m_storeErrors.clear();
    for (const QString &type : std::as_const(m_options.pullTypes)) {
        ListEndpoint endpoint;
        if (!endpointFor(type, &endpoint))
            continue;
        // The client's pageAll(), with each page stored as it arrives (before the Pager sees
        // it): views change row by row during a sweep instead of once at its end.
        auto pagerRef = std::make_shared<QPointer<Pager>>();
        const QPointer<LightfieldClient> client = m_client;
        const qint64 sweep = m_sweep;
        Pager::FetchPage fetch
            = [this, client, endpoint, type, sweep, pagerRef](int offset, int limit,
                  QObject *context, LightfieldClient::PageCallback done) -> LightfieldCall * {
            if (!client)
                return nullptr;
            return client->listPage(endpoint, QString(), ListQuery().atPage(offset, limit), context,
                [this, type, sweep, pagerRef, done = std::move(done)](const PageResult &result) {
                    const Pager *pager = *pagerRef;
                    if (result.ok() && pager && !pager->isFinished() && sweep == m_sweep
                        && !m_storeErrors.contains(type)
                        && !storePage(type, result.value(), sweep)) {
                        m_storeErrors.insert(type, m_store.lastError());
                        if (*pagerRef)
                            (*pagerRef)->cancel(); // finishes the sweep (failed)
                    }
                    done(result);
                });
        };
        auto *pager = new Pager(std::move(fetch),
            Pager::Settings {ListQuery::kMaxLimit, std::max(1, m_options.pagesInFlight),
                std::max(1, m_options.maxSweepRecords)},
            this);
        *pagerRef = pager;
        m_pagers.insert(type, pager);
        m_progress.insert(type, {0, 0});
        ++m_pendingSteps;
        connect(pager, &Pager::progress, this, [this, type](int received, int expected) {
            m_progress.insert(type, {received, std::max(received, expected)});
            int done = 0;
            int total = 0;
            for (const auto &[typeDone, typeTotal] : std::as_const(m_progress)) {
                done += typeDone;
                total += typeTotal;
            }
            Q_EMIT pullProgress(done, total);
        });
        connect(pager, &Pager::finished, this, [this, type, pager](const PagerResult &result) {
            m_pagers.remove(type);
            pager->deleteLater();
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
                    m_connectivity->pauseForAuth();
                else if (result.error && result.error->httpStatus() == 0)
                    m_connectivity->noteNoAnswer();
                finishSweep(type, false,
                    result.error ? result.error->debugString() : QStringLiteral("cancelled"));
                return;
            }
            m_connectivity->noteAnswer();
            qCInfo(lcSync) << "swept" << result.records.size() << type << "records";
            if (type == kOpportunity) {
                m_store.setMeta(StoreMeta::kLastFullSweepAt, now().toString(Qt::ISODateWithMs));
            }
            confirmDeletions(type, m_sweep);
        });
        pager->start();
    }
    if (m_pendingSteps == 0)
        finishPull();
}

bool SyncEngine::storePage(const QString &type, const Page &page, qint64 sweep)
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

void SyncEngine::confirmDeletions(const QString &type, qint64 sweep)
{
    // Undecodable rows the complete sweep no longer listed are gone in that form.
    m_store.removeUndecodableNotSeenSince(type, sweep);
    // Offsets shift while a sweep runs: a missing record is deleted only when GET says 404.
    const QStringList missing = m_store.recordsNotSeenSince(type, sweep);
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
                }
            } else if (result.error().kind() == ErrorKind::NotFound) {
                qCInfo(lcSync) << "a" << type << "record was deleted on the server";
                if (m_store.markDeleted(type, id))
                    check->removed << id;
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

void SyncEngine::finishSweep(const QString &type, bool ok, const QString &error)
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

void SyncEngine::finishPull()
{
    m_pullRunning = false;
    qCInfo(lcSync) << "pull" << m_sweep << (m_pullOk ? "finished" : "failed");
    Q_EMIT pullFinished(m_pullOk, m_pullError);
    if (m_pullAgain)
        pull();
}

void SyncEngine::cancelSweeps()
{
    // Each cancel() finishes its sweep (failed) through the Pager's finished() handler.
    const QList<QPointer<Pager>> pagers = m_pagers.values();
    for (const QPointer<Pager> &pager : pagers) {
        if (pager)
            pager->cancel();
    }
}
