#include "store/outbox.h"
#include "domain/json.h"
#include "domain/merge.h"
#include "domain/recordjson.h"

#include "logging.h"
#include "store/localstore.h"
#include "store/recordoverlay.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QUuid>

namespace {

const QString kTemporaryPrefix = QStringLiteral("local_");
const QString kRowColumns = Outbox::rowColumns();

OutboxRow::State stateFromName(const QString &name)
{
    if (name == QLatin1String("inflight"))
        return OutboxRow::State::InFlight;
    if (name == QLatin1String("parked"))
        return OutboxRow::State::Parked;
    if (name == QLatin1String("conflict"))
        return OutboxRow::State::Conflict;
    if (name == QLatin1String("mayexist"))
        return OutboxRow::State::MayExist;
    return OutboxRow::State::Pending;
}

qint64 msOrNow(const QDateTime &time)
{
    return time.isValid() ? time.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
}

QString newKey()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// An error text from the server or the transport may echo what we sent; the body (and so the
// user's field values) must never reach the database or the log this way.
QString withoutBody(QString error, const QByteArray &body)
{
    const QString bodyText = QString::fromUtf8(body);
    if (!bodyText.isEmpty())
        error.replace(bodyText, QStringLiteral("[body removed]"));
    const QString compactBody
        = QString::fromUtf8(QJsonDocument::fromJson(body).toJson(QJsonDocument::Compact));
    if (compactBody.size() > 2)
        error.replace(compactBody, QStringLiteral("[body removed]"));
    return error.left(500);
}

// An id, an array of ids or null (a base or a `replace`), as a set.
QSet<QString> idSet(const QJsonValue &value)
{
    QSet<QString> ids;
    if (value.isString() && !value.toString().isEmpty())
        ids.insert(value.toString());
    for (const QJsonValue &id : value.toArray()) {
        if (id.isString() && !id.toString().isEmpty())
            ids.insert(id.toString());
    }
    return ids;
}

// The undo rule: keys of `later` that the merged update body now sets back to the row's base
// (a field to its base value, a relationship operation that leaves the base ids as they are)
// leave the body and the bases: the user took that edit back before it was sent. `record` (read
// shape) gives the fields' valueTypes for the comparison. Returns true when a key was dropped.
bool dropKeysBackAtBase(
    QJsonObject *merged, QJsonObject *bases, const QJsonObject &later, const QJsonObject &record)
{
    bool dropped = false;
    const QString fieldsKey = QStringLiteral("fields");
    const QString relationshipsKey = QStringLiteral("relationships");
    QJsonObject fields = merged->value(fieldsKey).toObject();
    const QJsonObject laterFields = later.value(fieldsKey).toObject();
    for (auto it = laterFields.begin(); it != laterFields.end(); ++it) {
        if (!bases->contains(it.key()) || !fields.contains(it.key()))
            continue;
        if (RecordJson::sameValue(fields.value(it.key()), bases->value(it.key()),
                RecordJson::fieldValueType(record, it.key()))) {
            fields.remove(it.key());
            bases->remove(it.key());
            dropped = true;
        }
    }
    QJsonObject relationships = merged->value(relationshipsKey).toObject();
    const QJsonObject laterRelationships = later.value(relationshipsKey).toObject();
    for (auto it = laterRelationships.begin(); it != laterRelationships.end(); ++it) {
        const QJsonObject operation = relationships.value(it.key()).toObject();
        if (!bases->contains(it.key()) || operation.size() != 1)
            continue;
        // The ids the merged operation leaves, applied to the base: the base again → no-op.
        const QSet<QString> base = idSet(bases->value(it.key()));
        const QSet<QString> ids = idSet(operation.constBegin().value());
        QSet<QString> after = base;
        if (operation.contains(QLatin1String("replace")))
            after = ids;
        else if (operation.contains(QLatin1String("add")))
            after.unite(ids);
        else if (operation.contains(QLatin1String("remove")))
            after.subtract(ids);
        else
            continue;
        if (after == base) {
            relationships.remove(it.key());
            bases->remove(it.key());
            dropped = true;
        }
    }
    if (!dropped)
        return false;
    if (fields.isEmpty())
        merged->remove(fieldsKey);
    else
        merged->insert(fieldsKey, fields);
    if (relationships.isEmpty())
        merged->remove(relationshipsKey);
    else
        merged->insert(relationshipsKey, relationships);
    return true;
}

} // namespace

QString Outbox::rowColumns(bool withCheckedAt)
{
    const QString columns = QStringLiteral(
        "seq, idem_key, object_type, record_id, op, body, base_updated_at, base_values, state,"
        " attempts, next_attempt_at, created_at, last_error");
    return withCheckedAt ? columns + QStringLiteral(", checked_at") : columns;
}

OutboxRow Outbox::rowFromQuery(const QSqlQuery &query)
{
    OutboxRow row;
    row.seq = query.value(0).toLongLong();
    row.idempotencyKey = query.value(1).toString();
    row.objectType = query.value(2).toString();
    row.recordId = query.value(3).toString();
    row.op = query.value(4).toString() == QLatin1String("create") ? OutboxRow::Op::Create
                                                                  : OutboxRow::Op::Update;
    row.body = query.value(5).toByteArray();
    row.baseUpdatedAt = query.value(6).toString();
    row.baseValues = QJsonDocument::fromJson(query.value(7).toByteArray()).object();
    row.state = stateFromName(query.value(8).toString());
    row.attempts = query.value(9).toInt();
    row.nextAttemptAt = QDateTime::fromMSecsSinceEpoch(query.value(10).toLongLong(), Qt::UTC);
    row.createdAt = QDateTime::fromMSecsSinceEpoch(query.value(11).toLongLong(), Qt::UTC);
    row.lastError = query.value(12).toString();
    if (query.record().count() > 13 && !query.value(13).isNull())
        row.checkedAt = QDateTime::fromMSecsSinceEpoch(query.value(13).toLongLong(), Qt::UTC);
    return row;
}

Outbox::Outbox(LocalStore &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
}

Outbox::~Outbox() = default;

QString Outbox::newTemporaryId()
{
    return kTemporaryPrefix + QUuid::createUuid().toString(QUuid::Id128);
}

bool Outbox::isTemporaryId(const QString &id)
{
    return id.startsWith(kTemporaryPrefix);
}

QString Outbox::stateName(State state)
{
    switch (state) {
    case State::Pending:
        return QStringLiteral("pending");
    case State::InFlight:
        return QStringLiteral("inflight");
    case State::Parked:
        return QStringLiteral("parked");
    case State::Conflict:
        return QStringLiteral("conflict");
    case State::MayExist:
        return QStringLiteral("mayexist");
    }
    return QStringLiteral("pending");
}

QString Outbox::opName(Op op)
{
    return op == Op::Create ? QStringLiteral("create") : QStringLiteral("update");
}

void Outbox::notifyChanged()
{
    // Listeners read the store: only tell them once the outermost transaction committed,
    // once however many changes it held.
    if (!m_store.inTransaction()) {
        Q_EMIT changed();
        return;
    }
    m_changeAnnounced = true;
    m_store.runAfterCommit([self = QPointer<Outbox>(this)] {
        // Several changes in one transaction: the first hook announces them all.
        if (self && std::exchange(self->m_changeAnnounced, false))
            Q_EMIT self->changed();
    });
}

QString Outbox::lastError() const
{
    return m_store.lastError();
}

std::optional<OutboxRow> Outbox::enqueueUpdate(const QString &objectType, const QString &recordId,
    const QByteArray &body, const QString &baseUpdatedAt, const QJsonObject &baseValues,
    const QByteArray &optimisticRecord, const QDateTime &now)
{
    return enqueue(
        Op::Update, objectType, recordId, body, baseUpdatedAt, baseValues, optimisticRecord, now);
}

std::optional<OutboxRow> Outbox::enqueueCreate(const QString &objectType,
    const QString &temporaryId, const QByteArray &body, const QByteArray &optimisticRecord,
    const QDateTime &now)
{
    if (!isTemporaryId(temporaryId)) {
        m_store.setError(QStringLiteral("a create needs a temporary id (Outbox::newTemporaryId)"));
        return std::nullopt;
    }
    return enqueue(
        Op::Create, objectType, temporaryId, body, QString(), QJsonObject(), optimisticRecord, now);
}

std::optional<OutboxRow> Outbox::readRow(qint64 seq, bool *error)
{
    QSqlQuery query(m_store.database());
    *error = true;
    if (!m_store.prepare(
            query, QStringLiteral("SELECT %1 FROM outbox WHERE seq = ?").arg(kRowColumns)))
        return std::nullopt;
    query.addBindValue(seq);
    if (!m_store.exec(query))
        return std::nullopt;
    *error = false;
    if (!query.next())
        return std::nullopt;
    return Outbox::rowFromQuery(query);
}

std::optional<OutboxRow> Outbox::enqueue(Op op, const QString &objectType, const QString &recordId,
    const QByteArray &body, const QString &baseUpdatedAt, const QJsonObject &baseValues,
    const QByteArray &optimisticRecord, const QDateTime &now)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (!document.isObject() || objectType.isEmpty() || recordId.isEmpty()) {
        m_store.setError(QStringLiteral("an outbox body must be a JSON object with a type and id"));
        return std::nullopt;
    }
    LocalStore::Transaction transaction(m_store);
    if (!transaction.isActive())
        return std::nullopt;

    // The newest row of this record: merge into it while nothing was sent under its key.
    QSqlQuery latest(m_store.database());
    if (!m_store.prepare(latest,
            QStringLiteral("SELECT %1 FROM outbox WHERE object_type = ?"
                           " AND record_id = ? ORDER BY seq DESC LIMIT 1")
                .arg(kRowColumns))) {
        return std::nullopt;
    }
    latest.addBindValue(objectType);
    latest.addBindValue(recordId);
    if (!m_store.exec(latest))
        return std::nullopt;
    const std::optional<OutboxRow> newest
        = latest.next() ? std::optional<OutboxRow>(Outbox::rowFromQuery(latest)) : std::nullopt;
    latest.finish();

    qint64 seq = 0;
    QJsonObject merged;
    bool backToBase = false;
    if (op == Op::Update && newest && newest->state == State::Pending && newest->attempts == 0
        && RecordOverlay::mergeBodies(QJsonDocument::fromJson(newest->body).object(),
            document.object(), newest->op == Op::Create, &merged)) {
        // The earliest base of each key stays: it is what the server had before any of these.
        QJsonObject bases = newest->baseValues;
        for (auto it = baseValues.begin(); it != baseValues.end(); ++it) {
            if (!bases.contains(it.key()))
                bases.insert(it.key(), it.value());
        }
        // Undo of an unsent edit: keys set back to their base leave the row.
        if (newest->op == Op::Update) {
            bool read = false;
            const std::optional<StoredRecord> cached = m_store.record(objectType, recordId, &read);
            if (!read)
                return std::nullopt;
            const QJsonObject record = cached
                ? QJsonDocument::fromJson(cached->effectiveJson()).object()
                : QJsonObject();
            backToBase = dropKeysBackAtBase(&merged, &bases, document.object(), record);
        }
        if (backToBase && merged.isEmpty()) {
            // Nothing left to send: the row goes, and the local copy is the queue's again.
            QSqlQuery remove(m_store.database());
            if (!m_store.prepare(remove,
                    QStringLiteral("DELETE FROM outbox WHERE seq = ? AND state = 'pending'"
                                   " AND attempts = 0"))) {
                return std::nullopt;
            }
            remove.addBindValue(newest->seq);
            if (!m_store.exec(remove))
                return std::nullopt;
            remove.finish();
            if (!m_store.rebuildLocalCopy(objectType, recordId) || !transaction.commit())
                return std::nullopt;
            qCDebug(lcOutbox) << "edit took unsent row" << newest->seq << "back to its base";
            notifyChanged();
            OutboxRow emptied = *newest;
            emptied.seq = 0;
            emptied.body = QByteArrayLiteral("{}");
            emptied.baseValues = QJsonObject();
            return emptied;
        }
        QSqlQuery update(m_store.database());
        if (!m_store.prepare(update,
                QStringLiteral("UPDATE outbox SET body = ?, base_values = ?"
                               " WHERE seq = ? AND state = 'pending'"
                               " AND attempts = 0"))) {
            return std::nullopt;
        }
        update.addBindValue(Json::compact(merged));
        update.addBindValue(newest->op == Op::Create ? QVariant() : QVariant(Json::compact(bases)));
        update.addBindValue(newest->seq);
        if (!m_store.exec(update))
            return std::nullopt;
        // Read and written under one BEGIN IMMEDIATE: the row cannot have been sent meanwhile.
        if (update.numRowsAffected() != 1) {
            m_store.setError(QStringLiteral("outbox row %1 was sent meanwhile").arg(newest->seq));
            return std::nullopt;
        }
        update.finish();
        seq = newest->seq;
        qCDebug(lcOutbox) << "edit merged into unsent row" << seq;
    } else {
        QSqlQuery insert(m_store.database());
        if (!m_store.prepare(insert,
                QStringLiteral("INSERT INTO outbox(idem_key, object_type, record_id,"
                               " op, body, base_updated_at, base_values, state,"
                               " attempts, next_attempt_at, created_at)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, 0, ?)"))) {
            return std::nullopt;
        }
        insert.addBindValue(newKey());
        insert.addBindValue(objectType);
        insert.addBindValue(recordId);
        insert.addBindValue(opName(op));
        insert.addBindValue(body);
        insert.addBindValue(baseUpdatedAt.isEmpty() ? QVariant() : QVariant(baseUpdatedAt));
        insert.addBindValue(op == Op::Create ? QVariant() : QVariant(Json::compact(baseValues)));
        insert.addBindValue(msOrNow(now));
        if (!m_store.exec(insert))
            return std::nullopt;
        seq = insert.lastInsertId().toLongLong();
        qCDebug(lcOutbox) << "edit queued as row" << seq;
    }
    // After a key went back to its base, the queue is rebuilt rather than trusting the caller.
    if (!writeLocalCopy(objectType, recordId, backToBase ? QByteArray() : optimisticRecord))
        return std::nullopt;
    bool error = false;
    std::optional<OutboxRow> stored = readRow(seq, &error);
    if (error || !stored || !transaction.commit())
        return std::nullopt;
    notifyChanged();
    return stored;
}

bool Outbox::writeLocalCopy(
    const QString &objectType, const QString &recordId, const QByteArray &optimisticRecord)
{
    return optimisticRecord.isEmpty()
        ? m_store.rebuildLocalCopy(objectType, recordId)
        : m_store.setLocalCopy(objectType, recordId, optimisticRecord);
}

QList<OutboxRow> Outbox::select(const QString &where, const QVariantList &binds, bool *ok) const
{
    QList<OutboxRow> result;
    if (ok)
        *ok = false;
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    if (!m_store.prepare(query,
            QStringLiteral("SELECT %1 FROM outbox o %2 ORDER BY seq").arg(kRowColumns, where))) {
        return result;
    }
    for (const QVariant &bind : binds)
        query.addBindValue(bind);
    if (!m_store.exec(query))
        return result;
    while (query.next())
        result << Outbox::rowFromQuery(query);
    // A step that fails part-way ends next() early: the list would look short, not failed.
    if (query.lastError().isValid()) {
        m_store.setReadError(query);
        return {};
    }
    if (ok)
        *ok = true;
    return result;
}

QList<OutboxRow> Outbox::nextReady(const QDateTime &now, int limit, bool *ok) const
{
    // Only the oldest row of each record can go; every other state of it blocks the rest.
    const QList<OutboxRow> heads = select(
        QStringLiteral("WHERE o.state = 'pending' AND o.next_attempt_at <= ? AND NOT EXISTS"
                       " (SELECT 1 FROM outbox p WHERE p.object_type = o.object_type"
                       " AND p.record_id = o.record_id AND p.seq < o.seq)"),
        {msOrNow(now)}, ok);
    QList<OutboxRow> ready;
    for (const OutboxRow &row : heads) {
        if (ready.size() >= limit)
            break;
        // A reference to a record still waiting for its server id cannot be sent yet.
        if (RecordOverlay::referencesIdWithPrefix(
                QJsonDocument::fromJson(row.body).object(), kTemporaryPrefix)) {
            continue;
        }
        ready << row;
    }
    return ready;
}

std::optional<QDateTime> Outbox::nextDueAt(bool *ok) const
{
    if (ok)
        *ok = false;
    // The same heads as nextReady(), whatever their due time: a record's later rows wait
    // behind its oldest one in any state, so only a Pending head can become sendable.
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    if (!m_store.prepare(query,
            QStringLiteral("SELECT MIN(o.next_attempt_at) FROM outbox o WHERE o.state = 'pending'"
                           " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE"
                           " p.object_type = o.object_type AND p.record_id = o.record_id"
                           " AND p.seq < o.seq)"))
        || !m_store.exec(query)) {
        return std::nullopt;
    }
    if (!query.next()) {
        m_store.setReadError(query);
        return std::nullopt;
    }
    if (ok)
        *ok = true;
    if (query.value(0).isNull())
        return std::nullopt;
    return QDateTime::fromMSecsSinceEpoch(query.value(0).toLongLong(), Qt::UTC);
}

std::optional<OutboxRow> Outbox::row(qint64 seq) const
{
    const QList<OutboxRow> found = select(QStringLiteral("WHERE seq = ?"), {seq});
    return found.isEmpty() ? std::nullopt : std::optional<OutboxRow>(found.first());
}

QList<OutboxRow> Outbox::rows(bool *ok) const
{
    return select(QString(), {}, ok);
}

QList<OutboxRow> Outbox::rowsFor(const QString &objectType, const QString &recordId) const
{
    return select(
        QStringLiteral("WHERE object_type = ? AND record_id = ?"), {objectType, recordId});
}

Outbox::Counts Outbox::counts() const
{
    Counts counts;
    const auto unreadable = [this] {
        Counts failed;
        failed.readable = false;
        failed.error = m_store.lastError();
        return failed;
    };
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    if (!m_store.prepare(query, QStringLiteral("SELECT state, COUNT(*) FROM outbox GROUP BY state"))
        || !m_store.exec(query)) {
        return unreadable();
    }
    while (query.next()) {
        const int n = query.value(1).toInt();
        switch (stateFromName(query.value(0).toString())) {
        case State::Pending:
            counts.pending += n;
            break;
        case State::InFlight:
            counts.inFlight += n;
            break;
        case State::Parked:
            counts.parked += n;
            break;
        case State::Conflict:
            counts.conflict += n;
            break;
        case State::MayExist:
            counts.mayExist += n;
            break;
        }
    }
    if (query.lastError().isValid()) {
        m_store.setReadError(query);
        return unreadable();
    }
    return counts;
}

std::optional<OutboxRow> Outbox::markInFlight(const OutboxRow &expected)
{
    LocalStore::Transaction transaction(m_store);
    if (!transaction.isActive())
        return std::nullopt;
    bool readError = false;
    std::optional<OutboxRow> current = readRow(expected.seq, &readError);
    if (readError)
        return std::nullopt;
    // What is sent must be what the row holds: an edit merged into it between the caller's read
    // and this point would otherwise be acknowledged (and deleted) without ever being sent.
    if (!current || current->state != State::Pending
        || current->idempotencyKey != expected.idempotencyKey || current->body != expected.body) {
        m_store.setError(QStringLiteral("outbox row %1 changed before its send").arg(expected.seq));
        return std::nullopt;
    }
    QSqlQuery query(m_store.database());
    if (!m_store.prepare(query,
            QStringLiteral("UPDATE outbox SET state = 'inflight',"
                           " attempts = attempts + 1"
                           " WHERE seq = ? AND state = 'pending'"
                           " AND idem_key = ? AND body = ?"))) {
        return std::nullopt;
    }
    query.addBindValue(expected.seq);
    query.addBindValue(expected.idempotencyKey);
    query.addBindValue(expected.body);
    if (!m_store.exec(query))
        return std::nullopt;
    if (query.numRowsAffected() != 1) {
        m_store.setError(QStringLiteral("outbox row %1 changed before its send").arg(expected.seq));
        return std::nullopt;
    }
    query.finish();
    if (!transaction.commit())
        return std::nullopt;
    notifyChanged();
    current->state = State::InFlight;
    ++current->attempts;
    return current;
}

bool Outbox::markInFlight(qint64 seq)
{
    const std::optional<OutboxRow> current = row(seq);
    if (!current) {
        m_store.setError(QStringLiteral("outbox row %1 does not exist").arg(seq));
        return false;
    }
    return markInFlight(*current).has_value();
}

bool Outbox::markChecked(qint64 seq, const QDateTime &at)
{
    LocalStore::Transaction transaction(m_store);
    QSqlQuery query(m_store.database());
    if (!transaction.isActive()
        || !m_store.prepare(
            query, QStringLiteral("UPDATE outbox SET checked_at = ? WHERE seq = ?")))
        return false;
    query.addBindValue(msOrNow(at));
    query.addBindValue(seq);
    if (!m_store.exec(query))
        return false;
    query.finish();
    if (!transaction.commit())
        return false;
    notifyChanged();
    return true;
}

bool Outbox::setState(qint64 seq, State state, const QString &error, const QStringList &fromStates,
    qint64 nextAttemptAt)
{
    LocalStore::Transaction transaction(m_store);
    if (!transaction.isActive())
        return false;
    bool readError = false;
    const std::optional<OutboxRow> current = readRow(seq, &readError);
    if (readError)
        return false;
    if (!current || !fromStates.contains(stateName(current->state))) {
        m_store.setError(QStringLiteral("outbox row %1 is missing or in another state").arg(seq));
        return false;
    }
    QSqlQuery query(m_store.database());
    if (!m_store.prepare(query,
            QStringLiteral("UPDATE outbox SET state = ?, last_error = ?,"
                           " next_attempt_at = COALESCE(?, next_attempt_at)"
                           " WHERE seq = ?"))) {
        return false;
    }
    query.addBindValue(stateName(state));
    query.addBindValue(error.isNull() ? QVariant() : QVariant(withoutBody(error, current->body)));
    query.addBindValue(nextAttemptAt >= 0 ? QVariant(nextAttemptAt) : QVariant());
    query.addBindValue(seq);
    if (!m_store.exec(query))
        return false;
    query.finish();
    if (!transaction.commit())
        return false;
    notifyChanged();
    return true;
}

bool Outbox::markRetry(qint64 seq, const QDateTime &nextAttemptAt, const QString &error)
{
    return setState(seq, State::Pending, error.isNull() ? QStringLiteral("") : error,
        {QStringLiteral("inflight"), QStringLiteral("pending")}, msOrNow(nextAttemptAt));
}

bool Outbox::park(qint64 seq, const QString &error)
{
    qCInfo(lcOutbox) << "outbox row" << seq << "parked";
    return setState(seq, State::Parked, error.isNull() ? QStringLiteral("") : error,
        {QStringLiteral("inflight"), QStringLiteral("pending")});
}

bool Outbox::markConflict(qint64 seq, const QString &reason, const QByteArray &serverRecord)
{
    LocalStore::Transaction transaction(m_store);
    if (!transaction.isActive())
        return false;
    if (!setState(seq, State::Conflict, reason.isNull() ? QStringLiteral("") : reason,
            {QStringLiteral("inflight"), QStringLiteral("pending")})) {
        return false;
    }
    if (!serverRecord.isEmpty()) {
        const std::optional<OutboxRow> current = row(seq);
        if (!current
            || m_store.upsertServerRecord(current->objectType, serverRecord)
                == LocalStore::Upsert::Error
            || !m_store.rebuildLocalCopy(current->objectType, current->recordId)) {
            return false;
        }
    }
    if (!transaction.commit())
        return false;
    notifyChanged();
    return true;
}

bool Outbox::markMayExist(qint64 seq, const QString &reason)
{
    const std::optional<OutboxRow> current = row(seq);
    if (!current || current->op != Op::Create) {
        m_store.setError(QStringLiteral("outbox row %1 is not a create").arg(seq));
        return false;
    }
    qCInfo(lcOutbox) << "outbox row" << seq << "may already exist on the server";
    return setState(seq, State::MayExist, reason.isNull() ? QStringLiteral("") : reason,
        {QStringLiteral("inflight"), QStringLiteral("pending")});
}

std::optional<OutboxRow> Outbox::readMayExistCreate(qint64 seq)
{
    bool readError = false;
    std::optional<OutboxRow> current = readRow(seq, &readError);
    if (readError)
        return std::nullopt;
    if (!current || current->op != Op::Create || current->state != State::MayExist) {
        m_store.setError(QStringLiteral("outbox row %1 is not a create that may exist").arg(seq));
        return std::nullopt;
    }
    return current;
}

bool Outbox::adopt(qint64 seq, const QByteArray &serverRecord)
{
    const QJsonObject server = QJsonDocument::fromJson(serverRecord).object();
    const QString serverId = server.value(QLatin1String("id")).toString();
    if (serverId.isEmpty() || isTemporaryId(serverId)) {
        m_store.setError(QStringLiteral("the server's record has no id"));
        return false;
    }
    LocalStore::Transaction transaction(m_store);
    const std::optional<OutboxRow> current
        = transaction.isActive() ? readMayExistCreate(seq) : std::nullopt;
    if (!current)
        return false;
    QSqlQuery remove(m_store.database());
    if (!m_store.prepare(remove, QStringLiteral("DELETE FROM outbox WHERE seq = ?")))
        return false;
    remove.addBindValue(seq);
    if (!m_store.exec(remove))
        return false;
    remove.finish();
    // As for an acknowledged create: the ids first, then the server's copy over the local one.
    if (!rewriteTemporaryId(current->recordId, serverId)
        || m_store.upsertServerRecord(current->objectType, serverRecord)
            == LocalStore::Upsert::Error
        || !m_store.rebuildLocalCopy(current->objectType, serverId) || !transaction.commit()) {
        return false;
    }
    qCInfo(lcOutbox) << "outbox row" << seq << "adopted an existing record";
    notifyChanged();
    if (!m_store.inTransaction())
        Q_EMIT temporaryIdReplaced(current->recordId, serverId);
    return true;
}

bool Outbox::createAnyway(qint64 seq, const QDateTime &now)
{
    LocalStore::Transaction transaction(m_store);
    const std::optional<OutboxRow> current
        = transaction.isActive() ? readMayExistCreate(seq) : std::nullopt;
    if (!current)
        return false;
    QSqlQuery query(m_store.database());
    if (!m_store.prepare(query,
            QStringLiteral("UPDATE outbox SET idem_key = ?, state = 'pending', attempts = 0,"
                           " next_attempt_at = ?, created_at = ?, last_error = NULL"
                           " WHERE seq = ?"))) {
        return false;
    }
    query.addBindValue(newKey());
    query.addBindValue(msOrNow(now));
    query.addBindValue(msOrNow(now));
    query.addBindValue(seq);
    if (!m_store.exec(query))
        return false;
    query.finish();
    if (!transaction.commit())
        return false;
    qCInfo(lcOutbox) << "outbox row" << seq << "will be created anyway under a new key";
    notifyChanged();
    return true;
}

bool Outbox::resume(qint64 seq, const QDateTime &now)
{
    return setState(seq, State::Pending, QString(),
        {QStringLiteral("parked"), QStringLiteral("conflict")}, msOrNow(now));
}

bool Outbox::resolveConflict(
    qint64 seq, const QByteArray &body, const QString &baseUpdatedAt, const QJsonObject &baseValues)
{
    if (!QJsonDocument::fromJson(body).isObject()) {
        m_store.setError(QStringLiteral("an outbox body must be a JSON object"));
        return false;
    }
    LocalStore::Transaction transaction(m_store);
    if (!transaction.isActive())
        return false;
    bool readError = false;
    const std::optional<OutboxRow> current = readRow(seq, &readError);
    if (readError)
        return false;
    if (!current || current->state != State::Conflict) {
        m_store.setError(QStringLiteral("outbox row %1 is not in conflict").arg(seq));
        return false;
    }
    QSqlQuery query(m_store.database());
    if (!m_store.prepare(query,
            QStringLiteral("UPDATE outbox SET body = ?, base_updated_at = ?,"
                           " base_values = ?, idem_key = ?, state = 'pending',"
                           " attempts = 0, next_attempt_at = 0, last_error = NULL"
                           " WHERE seq = ?"))) {
        return false;
    }
    query.addBindValue(body);
    query.addBindValue(baseUpdatedAt.isEmpty() ? QVariant() : QVariant(baseUpdatedAt));
    query.addBindValue(Json::compact(baseValues));
    query.addBindValue(newKey());
    query.addBindValue(seq);
    if (!m_store.exec(query))
        return false;
    query.finish();
    if (!m_store.rebuildLocalCopy(current->objectType, current->recordId)
        || !transaction.commit()) {
        return false;
    }
    notifyChanged();
    return true;
}

bool Outbox::discard(qint64 seq)
{
    LocalStore::Transaction transaction(m_store);
    if (!transaction.isActive())
        return false;
    bool readError = false;
    const std::optional<OutboxRow> current = readRow(seq, &readError);
    if (readError)
        return false;
    if (!current) {
        m_store.setError(QStringLiteral("outbox row %1 does not exist").arg(seq));
        return false;
    }
    QSqlQuery query(m_store.database());
    const bool isCreate = current->op == Op::Create;
    // Without its create, the later rows of a temporary record have nothing to update.
    if (!m_store.prepare(query,
            isCreate ? QStringLiteral("DELETE FROM outbox WHERE"
                                      " object_type = ? AND record_id = ?")
                     : QStringLiteral("DELETE FROM outbox WHERE seq = ?"))) {
        return false;
    }
    if (isCreate) {
        query.addBindValue(current->objectType);
        query.addBindValue(current->recordId);
    } else {
        query.addBindValue(seq);
    }
    if (!m_store.exec(query))
        return false;
    query.finish();
    if (isCreate) {
        // Rows elsewhere that link to the discarded record can never be sent as they are:
        // park them so that the user sees them, instead of leaving them waiting forever.
        QSqlQuery dependents(m_store.database());
        if (!m_store.prepare(dependents,
                QStringLiteral("UPDATE outbox SET state = 'parked',"
                               " last_error = ? WHERE instr(body, ?) > 0"))) {
            return false;
        }
        dependents.addBindValue(QStringLiteral("links to a new record that was discarded"));
        dependents.addBindValue(current->recordId.toUtf8());
        if (!m_store.exec(dependents))
            return false;
    }
    const bool ok = isCreate ? m_store.removeRecord(current->objectType, current->recordId)
                             : m_store.rebuildLocalCopy(current->objectType, current->recordId);
    if (!ok || !transaction.commit())
        return false;
    qCInfo(lcOutbox) << "outbox row" << seq << "discarded by the user";
    notifyChanged();
    if (!m_store.inTransaction())
        Q_EMIT recordDiscarded(current->objectType, current->recordId);
    return true;
}

bool Outbox::requeueRecovered(const OutboxRow &row, const QByteArray &serverJson, bool *duplicate)
{
    *duplicate = false;
    if (!QJsonDocument::fromJson(row.body).isObject() || row.idempotencyKey.isEmpty()
        || row.objectType.isEmpty() || row.recordId.isEmpty()) {
        m_store.setError(QStringLiteral("a recovered row needs a key, a type, an id and a body"));
        return false;
    }
    LocalStore::Transaction transaction(m_store);
    if (!transaction.isActive())
        return false;
    QSqlQuery existing(m_store.database());
    if (!m_store.prepare(
            existing, QStringLiteral("SELECT COUNT(*) FROM outbox WHERE idem_key = ?")))
        return false;
    existing.addBindValue(row.idempotencyKey);
    if (!m_store.exec(existing) || !existing.next())
        return false;
    if (existing.value(0).toInt() > 0) {
        *duplicate = true;
        m_store.setError(QStringLiteral("this edit is already queued"));
        return false;
    }
    existing.finish();
    if (!serverJson.isEmpty() && !m_store.record(row.objectType, row.recordId)
        && m_store.upsertServerRecord(row.objectType, serverJson) == LocalStore::Upsert::Error) {
        return false;
    }
    QSqlQuery insert(m_store.database());
    if (!m_store.prepare(insert,
            QStringLiteral("INSERT INTO outbox(idem_key, object_type, record_id, op, body,"
                           " base_updated_at, base_values, state, attempts, next_attempt_at,"
                           " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, 0, ?)"))) {
        return false;
    }
    insert.addBindValue(row.idempotencyKey);
    insert.addBindValue(row.objectType);
    insert.addBindValue(row.recordId);
    insert.addBindValue(opName(row.op));
    insert.addBindValue(row.body);
    insert.addBindValue(row.baseUpdatedAt.isEmpty() ? QVariant() : QVariant(row.baseUpdatedAt));
    insert.addBindValue(
        row.op == Op::Create ? QVariant() : QVariant(Json::compact(row.baseValues)));
    // Attempts stay: a row that was sent must not take later edits into its body (Merging).
    insert.addBindValue(row.attempts);
    insert.addBindValue(msOrNow(row.createdAt));
    if (!m_store.exec(insert))
        return false;
    insert.finish();
    if (!m_store.rebuildLocalCopy(row.objectType, row.recordId) || !transaction.commit())
        return false;
    notifyChanged();
    return true;
}

bool Outbox::resetBackoff(const QDateTime &now)
{
    LocalStore::Transaction transaction(m_store);
    QSqlQuery query(m_store.database());
    if (!transaction.isActive()
        || !m_store.prepare(query,
            QStringLiteral("UPDATE outbox SET next_attempt_at = ?"
                           " WHERE state = 'pending'"
                           " AND next_attempt_at > ?"))) {
        return false;
    }
    query.addBindValue(msOrNow(now));
    query.addBindValue(msOrNow(now));
    if (!m_store.exec(query))
        return false;
    query.finish();
    if (!transaction.commit())
        return false;
    notifyChanged();
    return true;
}

bool Outbox::markSucceeded(qint64 seq, const QByteArray &serverRecord)
{
    const std::optional<OutboxRow> current = row(seq);
    if (!current) {
        m_store.setError(QStringLiteral("outbox row %1 does not exist").arg(seq));
        return false;
    }
    return markSucceeded(seq, current->idempotencyKey, current->body, serverRecord);
}

bool Outbox::markSucceeded(qint64 seq, const QString &sentKey, const QByteArray &sentBody,
    const QByteArray &serverRecord, const QDateTime &now)
{
    const QJsonObject server = QJsonDocument::fromJson(serverRecord).object();
    const QString serverId = server.value(QLatin1String("id")).toString();
    if (serverId.isEmpty()) {
        m_store.setError(QStringLiteral("the server's record has no id"));
        return false;
    }
    LocalStore::Transaction transaction(m_store);
    if (!transaction.isActive())
        return false;
    bool readError = false;
    const std::optional<OutboxRow> current = readRow(seq, &readError);
    if (readError)
        return false;
    if (!current) {
        m_store.setError(QStringLiteral("outbox row %1 does not exist").arg(seq));
        return false;
    }
    if (!acknowledge(*current, sentKey, sentBody, serverRecord, now) || !transaction.commit())
        return false;
    qCDebug(lcOutbox) << "outbox row" << seq << "acknowledged";
    notifyChanged();
    if (current->op == Op::Create && current->recordId != serverId && !m_store.inTransaction())
        Q_EMIT temporaryIdReplaced(current->recordId, serverId);
    return true;
}

bool Outbox::acknowledge(const OutboxRow &current, const QString &sentKey,
    const QByteArray &sentBody, const QByteArray &serverRecord, const QDateTime &now)
{
    const QJsonObject server = QJsonDocument::fromJson(serverRecord).object();
    const QString serverId = server.value(QLatin1String("id")).toString();
    const bool sameRow = current.idempotencyKey == sentKey && current.body == sentBody;
    // What is left of a row that changed while its older body was on the wire: the keys the
    // server does not show yet, each against the server's value now (our own write made it).
    std::optional<Merge::Result> rest;
    if (!sameRow) {
        QJsonObject bases;
        const QJsonObject body = QJsonDocument::fromJson(current.body).object();
        for (const QString &group : {QStringLiteral("fields"), QStringLiteral("relationships")}) {
            const QJsonObject keys = body.value(group).toObject();
            for (auto it = keys.begin(); it != keys.end(); ++it) {
                bases.insert(it.key(),
                    group == QLatin1String("fields")
                        ? RecordJson::fieldValue(server, it.key())
                        : QJsonValue(
                            QJsonArray::fromStringList(RecordJson::relatedIds(server, it.key()))));
            }
        }
        rest = Merge::threeWay(body, bases, server);
    }
    QSqlQuery query(m_store.database());
    if (sameRow || rest->nothingToSend()) {
        if (!m_store.prepare(query, QStringLiteral("DELETE FROM outbox WHERE seq = ?")))
            return false;
        query.addBindValue(current.seq);
    } else {
        // A key stands for one body: the rest goes out under a new one, as an update.
        if (!m_store.prepare(query,
                QStringLiteral("UPDATE outbox SET body = ?, base_values = ?, base_updated_at = ?,"
                               " idem_key = CASE WHEN idem_key = ? THEN ? ELSE idem_key END,"
                               " op = 'update', record_id = ?, state = 'pending',"
                               " attempts = 0, next_attempt_at = 0, last_error = NULL,"
                               " checked_at = ? WHERE seq = ?"))) {
            return false;
        }
        query.addBindValue(Json::compact(rest->body));
        query.addBindValue(Json::compact(rest->baseValues));
        const QString updatedAt = server.value(QLatin1String("updatedAt")).toString();
        query.addBindValue(updatedAt.isEmpty() ? QVariant() : QVariant(updatedAt));
        query.addBindValue(sentKey);
        query.addBindValue(newKey());
        query.addBindValue(serverId);
        query.addBindValue(msOrNow(now));
        query.addBindValue(current.seq);
    }
    if (!m_store.exec(query))
        return false;
    query.finish();
    if (!sameRow) {
        qCInfo(lcOutbox) << "outbox row" << current.seq
                         << "changed while in flight; what is left stays queued";
    }
    if (current.op == Op::Create && current.recordId != serverId
        && !rewriteTemporaryId(current.recordId, serverId)) {
        return false;
    }
    // The write's response is the newest copy there is.
    return m_store.upsertServerRecord(current.objectType, serverRecord) != LocalStore::Upsert::Error
        && m_store.rebuildLocalCopy(current.objectType, serverId);
}

bool Outbox::rewriteTemporaryId(const QString &temporaryId, const QString &serverId)
{
    if (!isTemporaryId(temporaryId) || serverId.isEmpty() || isTemporaryId(serverId)) {
        m_store.setError(QStringLiteral("not a temporary id / server id pair"));
        return false;
    }
    LocalStore::Transaction transaction(m_store);
    if (!transaction.isActive())
        return false;
    QSqlQuery rows(m_store.database());
    if (!m_store.prepare(rows,
            QStringLiteral("UPDATE outbox SET record_id = ?"
                           " WHERE record_id = ?"))) {
        return false;
    }
    rows.addBindValue(serverId);
    rows.addBindValue(temporaryId);
    if (!m_store.exec(rows))
        return false;
    rows.finish();

    // Bodies that reference the new record (e.g. a deal whose $account was created offline).
    // The byte search only preselects; the rewrite itself parses and touches relationships.
    QSqlQuery bodies(m_store.database());
    if (!m_store.prepare(bodies,
            QStringLiteral("SELECT seq, body FROM outbox"
                           " WHERE instr(body, ?) > 0"))) {
        return false;
    }
    bodies.addBindValue(temporaryId.toUtf8());
    if (!m_store.exec(bodies))
        return false;
    QList<std::pair<qint64, QByteArray>> rewrittenBodies;
    while (bodies.next()) {
        bool changed = false;
        const QJsonObject body = RecordOverlay::rewriteId(
            QJsonDocument::fromJson(bodies.value(1).toByteArray()).object(), temporaryId, serverId,
            &changed);
        if (changed)
            rewrittenBodies.append({bodies.value(0).toLongLong(), Json::compact(body)});
    }
    bodies.finish();
    for (const auto &[seq, body] : std::as_const(rewrittenBodies)) {
        QSqlQuery update(m_store.database());
        if (!m_store.prepare(update, QStringLiteral("UPDATE outbox SET body = ? WHERE seq = ?")))
            return false;
        update.addBindValue(body);
        update.addBindValue(seq);
        if (!m_store.exec(update))
            return false;
    }

    // The record itself and the cached records that point at it.
    if (!m_store.rewriteRecordId(temporaryId, serverId))
        return false;
    if (!transaction.commit())
        return false;
    qCDebug(lcOutbox) << "temporary id replaced by the server's";
    notifyChanged();
    if (!m_store.inTransaction())
        Q_EMIT temporaryIdReplaced(temporaryId, serverId);
    return true;
}

QString ParkedError::encode() const
{
    return QStringLiteral("%1|%2|%3").arg(httpStatus).arg(fieldKey, message);
}

ParkedError ParkedError::decode(const QString &lastError)
{
    ParkedError error;
    const qsizetype first = lastError.indexOf(QLatin1Char('|'));
    const qsizetype second = first < 0 ? -1 : lastError.indexOf(QLatin1Char('|'), first + 1);
    if (second < 0) {
        error.message = lastError;
        return error;
    }
    error.httpStatus = lastError.left(first).toInt();
    error.fieldKey = lastError.mid(first + 1, second - first - 1);
    error.message = lastError.mid(second + 1);
    return error;
}
