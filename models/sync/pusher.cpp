#include "sync/pusher.h"

#include "domain/changeset.h"
#include "domain/json.h"
#include "domain/objectschema.h"
#include "logging.h"
#include "net/errortext.h"
#include "net/lightfieldclient.h"
#include "store/localstore.h"
#include "store/outbox.h"
#include "sync/connectivity.h"
#include "sync/servertime.h"

#include <QJsonDocument>

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

namespace {

RetryPolicy::Settings retrySettings(const Pusher::Settings &settings)
{
    // Attempts are not counted here: a row is retried until it settles, however long it takes.
    RetryPolicy::Settings retry;
    retry.maxAttempts = std::numeric_limits<int>::max();
    retry.baseDelayMs = settings.retryBaseMs;
    retry.maxDelayMs = settings.retryCapMs;
    retry.maxRetryAfterMs = RetryPolicy::kMaxServerDelayMs;
    return retry;
}

} // namespace

Pusher::Pusher(LocalStore &store, Outbox &outbox, LightfieldClient &client,
    Connectivity &connectivity, Settings settings, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_outbox(outbox)
    , m_client(&client)
    , m_connectivity(connectivity)
    , m_settings(std::move(settings))
    , m_retry(retrySettings(m_settings), m_settings.random)
{
    if (!m_settings.clock)
        m_settings.clock = [] { return QDateTime::currentDateTimeUtc(); };
    m_settings.maxWritesInFlight = std::max(1, m_settings.maxWritesInFlight);
    m_wakeTimer.setSingleShot(true);
    connect(&m_wakeTimer, &QTimer::timeout, this, &Pusher::push);
    connect(&m_outbox, &Outbox::changed, this, &Pusher::push);
}

Pusher::~Pusher() = default;

QDateTime Pusher::now() const
{
    return m_settings.clock();
}

void Pusher::pushAllNow()
{
    m_outbox.resetBackoff(now());
    push();
}

void Pusher::resumeForbiddenRows()
{
    for (const OutboxRow &row : m_outbox.rows()) {
        if (row.state == OutboxRow::State::Parked
            && ParkedError::decode(row.lastError).httpStatus == 403) {
            m_outbox.resume(row.seq, now());
        }
    }
}

void Pusher::push()
{
    if (!m_connectivity.canTalk())
        return;
    if (m_pushing) {
        m_pushAgain = true; // an Outbox::changed() from inside this loop
        return;
    }
    m_pushing = true;
    do {
        m_pushAgain = false;
        const int capacity = m_settings.maxWritesInFlight - int(m_busy.size());
        if (capacity <= 0)
            break;
        bool readable = false;
        const QList<OutboxRow> ready
            = m_outbox.nextReady(now(), capacity + int(m_busy.size()), &readable);
        if (!readable) {
            readAgainLater();
            break;
        }
        m_readFailures = 0;
        int launched = 0;
        for (const OutboxRow &row : ready) {
            if (launched >= capacity || !m_connectivity.canTalk())
                break;
            if (m_busy.contains(row.seq))
                continue;
            m_busy.insert(row.seq);
            m_drainedReported = false;
            ++launched;
            process(row);
        }
    } while (m_pushAgain && m_connectivity.canTalk());
    m_pushing = false;
    scheduleWake();
    checkDrained();
}

void Pusher::readAgainLater()
{
    // Nothing else may wake the push: an unread queue changes no row, so no Outbox::changed()
    // follows, and the rows due now would wait for the next edit. No jitter, as in settle().
    const qint64 delay = m_retry.backoffCeilingMs(std::min(++m_readFailures, 21));
    qCWarning(lcOutbox) << "outbox not readable:" << m_store.lastError() << "- reading again in"
                        << delay << "ms";
    if (!m_wakeTimer.isActive() || m_wakeTimer.remainingTime() > delay)
        m_wakeTimer.start(int(std::min<qint64>(delay, 3600000)));
}

void Pusher::scheduleWake()
{
    if (!m_connectivity.canTalk())
        return;
    // The earliest due time among the rows that head their record (only those can go next).
    bool readable = false;
    const std::optional<QDateTime> due = m_outbox.nextDueAt(&readable);
    if (!readable) {
        readAgainLater();
        return;
    }
    if (!due)
        return;
    const qint64 waitMs = due->toMSecsSinceEpoch() - now().toMSecsSinceEpoch();
    if (waitMs <= 0)
        return; // due now: sent as soon as a slot frees (or blocked by a temporary id)
    const int interval = int(std::min<qint64>(waitMs + 1, 3600000));
    if (!m_wakeTimer.isActive() || m_wakeTimer.remainingTime() > interval)
        m_wakeTimer.start(interval);
}

void Pusher::checkDrained()
{
    if (m_drainedReported || !m_busy.isEmpty())
        return;
    const Outbox::Counts counts = m_outbox.counts();
    // An unreadable queue is not an empty one: "drained" would end a `sync --once` as done.
    // Nor is it a reason to stay silent: the last row may have settled already, and then
    // nothing but this wake-up (push() checks again) would report it.
    if (!counts.readable) {
        readAgainLater();
        return;
    }
    if (counts.pending + counts.inFlight > 0)
        return;
    m_drainedReported = true;
    qCInfo(lcOutbox) << "outbox drained; parked" << counts.parked << "conflicts" << counts.conflict;
    Q_EMIT drained();
}

void Pusher::release(qint64 seq)
{
    m_busy.remove(seq);
    push();
}

void Pusher::process(const OutboxRow &row)
{
    if (row.objectType != QLatin1String("opportunity")) {
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
    const bool pastRetention = row.attempts > 0 && ageMs > m_settings.idempotencyRetentionMs;
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
        = row.checkedAt.isValid() && row.checkedAt.msecsTo(now()) <= m_settings.recheckAfterMs;
    bool stale = m_mergeFirst.contains(row.seq) || pastRetention
        || ((row.attempts > 0 || m_settings.checkBeforeFirstSend) && !checkedRecently);
    if (!stale && !row.baseUpdatedAt.isEmpty()) {
        // A cached copy that could not be read may be newer: check rather than guess.
        bool read = false;
        const std::optional<StoredRecord> stored
            = m_store.record(row.objectType, row.recordId, &read);
        if (!read)
            stale = true;
        else if (stored && !stored->updatedAt.isEmpty())
            stale = parseServerTime(stored->updatedAt) > parseServerTime(row.baseUpdatedAt);
    }
    if (stale)
        checkThenSend(row, pastRetention);
    else
        send(row);
}

void Pusher::checkThenSend(const OutboxRow &row, bool recheckApplied)
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
            m_connectivity.noteAnswer();
            applyMerge(row, result.value().toJson(), recheckApplied);
        });
}

void Pusher::applyMerge(const OutboxRow &checked, const QJsonObject &theirs, bool recheckApplied)
{
    const std::optional<OutboxRow> current = m_outbox.row(checked.seq);
    if (!current || current->state != OutboxRow::State::Pending) {
        release(checked.seq);
        return;
    }
    const OutboxRow &row = *current; // with any edit merged into it meanwhile
    m_mergeFirst.remove(row.seq);
    const Merge::Result merge
        = Merge::threeWay(QJsonDocument::fromJson(row.body).object(), row.baseValues, theirs);
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

void Pusher::send(const OutboxRow &checked)
{
    // Compare-and-set: marked in flight only while the row still holds the key and body that
    // were checked; an edit merged in meanwhile sends it back through the loop (checked again).
    // From markInFlight() on, nothing merges into it any more.
    const std::optional<OutboxRow> marked
        = m_connectivity.canTalk() ? m_outbox.markInFlight(checked) : std::nullopt;
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
        m_client->updateOpportunity(row.recordId, wireBody(row), row.idempotencyKey, this, done);
}

QByteArray Pusher::wireBody(const OutboxRow &row)
{
    static const QString kStage = QStringLiteral("$stage");
    static const QString kPipeline = QStringLiteral("$pipeline");
    if (row.op != OutboxRow::Op::Update || !row.body.contains("$stage"))
        return row.body;
    QJsonObject body = QJsonDocument::fromJson(row.body).object();
    QJsonObject fields = body.value(QLatin1String("fields")).toObject();
    const QJsonValue stage = fields.value(kStage);
    if (!stage.isString() || fields.contains(kPipeline))
        return row.body;
    if (const std::optional<StoredDefinitions> stored = m_store.definitions(row.objectType)) {
        if (stored->json != m_schemaJson) {
            m_schemaJson = stored->json;
            m_schema
                = ObjectSchema::fromDefinitionsJson(QJsonDocument::fromJson(m_schemaJson).object());
        }
    }
    const QString hint = m_schema.objectType() == row.objectType
        ? m_schema.pipelineHint(row.baseValues.value(kStage).toString(), stage.toString())
        : QString();
    if (hint.isEmpty())
        return row.body;
    fields.insert(kPipeline, hint);
    body.insert(QStringLiteral("fields"), fields);
    return Json::compact(body);
}

bool Pusher::settle(qint64 seq, const char *what, const std::function<bool()> &write,
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
    // No jitter: the store is local, there is no crowd of clients to spread out. The exponent
    // stops at 20 (a million times the base), far past any cap worth setting.
    const int failures = ++m_settleFailures[seq];
    const qint64 delay = m_retry.backoffCeilingMs(std::min(failures, 21));
    qCWarning(lcOutbox) << "row" << seq << what << "not recorded:" << m_store.lastError()
                        << "- trying again in" << delay << "ms";
    m_busy.insert(seq);
    QTimer::singleShot(std::chrono::milliseconds(delay), this, [this, seq, what, write, then] {
        if (settle(seq, what, write, then))
            release(seq);
    });
    return false;
}

void Pusher::handleWriteResult(
    const OutboxRow &sent, bool ok, const QByteArray &serverJson, const LightfieldError &error)
{
    const qint64 seq = sent.seq;
    const QString recordId = sent.recordId;
    if (ok) {
        m_connectivity.noteAnswer();
        m_connectivity.noteWriteAccepted();
        m_failures.remove(seq);
        // Only the key and body that were sent are acknowledged: a row that changed meanwhile
        // keeps what the server does not show yet.
        const QString key = sent.idempotencyKey;
        const QByteArray body = sent.body;
        const QDateTime at = now();
        if (sent.op == OutboxRow::Op::Update)
            noteListClearAccepted(sent);
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
        m_connectivity.noteAnswer();
        // Due again at once and no backoff step: the key, not the row, was the problem.
        const QDateTime at = now();
        m_connectivity.pauseForAuth();
        settled = settle(seq, "retry", [this, seq, at] {
            return m_outbox.markRetry(seq, at, QStringLiteral("401 unauthorized"));
        });
        break;
    }
    case ErrorKind::Forbidden:
        if (m_connectivity.noteForbidden()) {
            // Every write refused: the key was revoked or scoped down, not this row's fault.
            m_connectivity.noteAnswer();
            const QDateTime at = now();
            m_connectivity.pauseForAuth();
            settled = settle(seq, "retry", [this, seq, at] {
                return m_outbox.markRetry(seq, at, QStringLiteral("403 forbidden"));
            });
            break;
        }
        [[fallthrough]];
    case ErrorKind::NotFound:
    case ErrorKind::Validation: {
        m_connectivity.noteAnswer();
        if (error.kind() == ErrorKind::Validation && resendWithOtherListClear(sent, error))
            return;
        const QString field = ErrorText::fieldKey(error.param());
        const QString message = parkMessage(sent, error);
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
        m_connectivity.noteAnswer();
        if (!error.isIdempotencyConflict())
            m_mergeFirst.insert(seq); // a concurrent update: merge before trying again
        settled = retryLater(seq, error);
        break;
    case ErrorKind::Offline:
    case ErrorKind::Timeout:
        if (error.httpStatus() == 0)
            m_connectivity.noteNoAnswer();
        else
            m_connectivity.noteAnswer();
        settled = retryLater(seq, error);
        break;
    case ErrorKind::RateLimited:
    case ErrorKind::Server:
    case ErrorKind::BadResponse:
        // An unreadable 2xx may have been applied: the same key makes the resend safe.
        m_connectivity.noteAnswer();
        settled = retryLater(seq, error);
        break;
    }
    if (!settled)
        return; // stays busy until the store takes the outcome
    m_busy.remove(seq);
    checkDrained();
    push();
}

bool Pusher::retryLater(qint64 seq, const LightfieldError &error)
{
    const int failures = ++m_failures[seq];
    const std::optional<qint64> retryAfter
        = error.retryAfterMs() >= 0 ? std::optional<qint64>(error.retryAfterMs()) : std::nullopt;
    qint64 delay = m_retry.delayMs(failures, retryAfter);
    if (error.isIdempotencyConflict())
        delay = std::max(delay, m_settings.retryBaseMs);
    const QString reason = QStringLiteral("%1 %2")
                               .arg(error.httpStatus())
                               .arg(LightfieldError::kindName(error.kind()));
    const QDateTime due = now().addMSecs(delay);
    return settle(
        seq, "retry", [this, seq, due, reason] { return m_outbox.markRetry(seq, due, reason); });
}

ObjectSchema Pusher::schemaFor(const QString &objectType) const
{
    const std::optional<StoredDefinitions> definitions = m_store.definitions(objectType);
    if (!definitions)
        return ObjectSchema(objectType);
    return ObjectSchema::fromDefinitionsJson(QJsonDocument::fromJson(definitions->json).object());
}

QString Pusher::parkMessage(const OutboxRow &sent, const LightfieldError &error) const
{
    const ObjectSchema schema = schemaFor(sent.objectType);
    const QString key = ErrorText::fieldKey(error.param());
    if (sent.op == OutboxRow::Op::Update && error.kind() == ErrorKind::Validation
        && ErrorText::isRelationshipParam(error.param())
        && error.code() == QLatin1String("read_only_relationship")) {
        // Most likely a create-only relationship (`$account`) changed in an update: whether the
        // API allows that is not documented, and this server does not.
        const RelationshipDefinition *definition = schema.relationship(key);
        const QString label = definition ? definition->label() : key;
        return tr("Lightfield does not allow changing “%1” on an existing deal. Discard this "
                  "change, or make it in Lightfield itself.")
            .arg(label);
    }
    return ErrorText::userMessage(error, schema.isEmpty() ? nullptr : &schema);
}

bool Pusher::resendWithOtherListClear(const OutboxRow &sent, const LightfieldError &error)
{
    // A 400 naming a field this update clears as a list: the workspace may take the other
    // form of a list clear (`null` ↔ `[]`; which one the API wants is not documented). The
    // refused form is remembered; a form is swapped to once, never back, so a row is resent
    // at most once this way and a field the server refuses either way is parked.
    if (sent.op != OutboxRow::Op::Update || ErrorText::isRelationshipParam(error.param())
        || error.code() == QLatin1String("parameter_missing"))
        return false;
    const QString key = ErrorText::fieldKey(error.param());
    if (key.isEmpty())
        return false;
    const std::optional<OutboxRow> current = m_outbox.row(sent.seq);
    if (!current || current->state != OutboxRow::State::InFlight
        || current->idempotencyKey != sent.idempotencyKey || current->body != sent.body)
        return false;
    const ObjectSchema schema = schemaFor(sent.objectType);
    const QJsonObject body = QJsonDocument::fromJson(sent.body).object();
    if (!ChangeSet::listClearKeys(schema, body).contains(key))
        return false;
    const bool sentNull = body.value(QLatin1String("fields")).toObject().value(key).isNull();
    const ChangeSet::ListClear refused
        = sentNull ? ChangeSet::ListClear::Null : ChangeSet::ListClear::EmptyArray;
    const ChangeSet::ListClear other
        = sentNull ? ChangeSet::ListClear::EmptyArray : ChangeSet::ListClear::Null;
    bool read = false;
    const std::optional<QString> refusedBefore = m_store.meta(StoreMeta::kListClearRefused, &read);
    if (!read || refusedBefore.value_or(QString()) == ChangeSet::listClearName(other))
        return false; // the other form was refused already: the field itself is the problem
    const QByteArray resent = Json::compact(ChangeSet::withListClears(schema, body, other));

    // The 400 means the server applied nothing under the old key: the new body goes out once,
    // under a new key of its own (a key stands for one body), in the same row.
    const bool wasPushing = std::exchange(m_pushing, true); // no sends inside the transaction
    LocalStore::Transaction transaction(m_store);
    const bool ok = transaction.isActive()
        && m_outbox.markConflict(sent.seq, QStringLiteral("list clear form refused"))
        && m_outbox.resolveConflict(sent.seq, resent, current->baseUpdatedAt, current->baseValues)
        && m_store.setMeta(StoreMeta::kListClearRefused, ChangeSet::listClearName(refused))
        && m_store.setMeta(StoreMeta::kListClearForm, ChangeSet::listClearName(other))
        && transaction.commit();
    if (!ok)
        transaction.rollback();
    m_pushing = wasPushing;
    if (!ok) {
        qCWarning(lcOutbox) << "row" << sent.seq
                            << "could not be rewritten for a list clear:" << m_store.lastError();
        return false; // parked with the server's message instead
    }
    qCInfo(lcOutbox) << "row" << sent.seq << "list clear refused as"
                     << ChangeSet::listClearName(refused) << "- sending it again as"
                     << ChangeSet::listClearName(other) << "under a new key";
    m_failures.remove(sent.seq);
    release(sent.seq);
    return true;
}

void Pusher::noteListClearAccepted(const OutboxRow &sent)
{
    // Cheap test first: most bodies clear nothing.
    if (!sent.body.contains("null") && !sent.body.contains("[]"))
        return;
    const ObjectSchema schema = schemaFor(sent.objectType);
    const QJsonObject body = QJsonDocument::fromJson(sent.body).object();
    const QStringList keys = ChangeSet::listClearKeys(schema, body);
    if (keys.isEmpty())
        return;
    const bool sentNull
        = body.value(QLatin1String("fields")).toObject().value(keys.constFirst()).isNull();
    const QString accepted = ChangeSet::listClearName(
        sentNull ? ChangeSet::ListClear::Null : ChangeSet::ListClear::EmptyArray);
    bool read = false;
    const QString form = m_store.meta(StoreMeta::kListClearForm, &read).value_or(QString());
    const QString refused = m_store.meta(StoreMeta::kListClearRefused).value_or(QString());
    if (!read)
        return;
    if (form != accepted && !m_store.setMeta(StoreMeta::kListClearForm, accepted))
        qCWarning(lcOutbox) << "list clear form not recorded:" << m_store.lastError();
    if (refused == accepted && !m_store.removeMeta(StoreMeta::kListClearRefused))
        qCWarning(lcOutbox) << "list clear form not recorded:" << m_store.lastError();
}
