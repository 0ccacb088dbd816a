#include "edit/bulkedit.h"

#include "domain/changeset.h"
#include "edit/recordeditservice.h"
#include "logging.h"
#include "sync/syncengine.h"

#include <QCoreApplication>
#include <QSet>

BulkEdit::BulkEdit(RecordEditService &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{
}

BulkEdit::~BulkEdit() = default;

void BulkEdit::setEngine(SyncEngine *engine)
{
    for (const QMetaObject::Connection &connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    m_engine = engine;
    if (!engine)
        return;
    m_connections << connect(engine, &SyncEngine::rowSucceeded, this,
        [this](qint64 seq, const QString &) { handleSucceeded(seq); });
    m_connections << connect(engine, &SyncEngine::rowParked, this, &BulkEdit::handleParked);
    m_connections << connect(engine, &SyncEngine::conflictDetected, this,
        [this](qint64 seq, const QString &recordId, const QList<Merge::FieldConflict> &) {
            handleConflict(seq, recordId);
        });
}

QList<FieldDefinition> BulkEdit::editableFields(const ObjectSchema &schema)
{
    QList<FieldDefinition> fields;
    for (const FieldDefinition &field : schema.fields()) {
        if (!field.isWritable() || field.isUnique() || field.key() == QLatin1String("$name"))
            continue;
        fields << field;
    }
    return fields;
}

bool BulkEdit::apply(const ObjectSchema &schema, const QStringList &recordIds,
    const FieldDefinition &field, const FieldValue &value)
{
    m_waiting.clear();
    m_failures.clear();
    m_lastError.clear();
    m_total = 0;
    m_queued = 0;
    m_confirmed = 0;
    m_finishedReported = false;

    bool editable = false;
    for (const FieldDefinition &candidate : editableFields(schema))
        editable = editable || candidate.key() == field.key();
    ChangeSet changes;
    if (!editable || !changes.setValue(field, value)) {
        m_lastError = editable
            ? tr("This value cannot be written to %1.").arg(field.label())
            : tr("%1 cannot be changed on several deals at once.").arg(field.label());
        Q_EMIT progressChanged();
        return false;
    }

    QStringList ids = recordIds;
    ids.removeDuplicates();
    m_total = int(ids.size());
    qCInfo(lcOutbox) << "bulk edit of" << field.key() << "on" << m_total << "deals";
    for (const QString &id : std::as_const(ids)) {
        const RecordEditService::Result result = m_service.update(schema, id, changes);
        if (!result.ok) {
            Failure failure;
            failure.recordId = id;
            failure.message = result.error.isEmpty() ? m_service.lastError() : result.error;
            addFailure(failure);
            continue;
        }
        ++m_queued;
        if (result.seq == 0)
            ++m_confirmed; // nothing to send: the deal already had this value
        else
            m_waiting.insert(result.seq, id);
    }
    Q_EMIT progressChanged();
    checkFinished();
    return true;
}

void BulkEdit::handleSucceeded(qint64 seq)
{
    if (!m_waiting.remove(seq))
        return;
    ++m_confirmed;
    Q_EMIT progressChanged();
    checkFinished();
}

void BulkEdit::handleParked(
    qint64 seq, const QString &recordId, const QString &fieldKey, const QString &message)
{
    if (!m_waiting.remove(seq))
        return;
    addFailure({recordId, seq, fieldKey, message});
    Q_EMIT progressChanged();
    checkFinished();
}

void BulkEdit::handleConflict(qint64 seq, const QString &recordId)
{
    if (!m_waiting.remove(seq))
        return;
    addFailure({recordId, seq, QString(),
        tr("Someone changed this field on the server too; choose which value to keep in "
           "Pending changes.")});
    Q_EMIT progressChanged();
    checkFinished();
}

void BulkEdit::addFailure(const Failure &failure)
{
    m_failures << failure;
    Q_EMIT failed(failure.recordId, failure.message);
}

void BulkEdit::checkFinished()
{
    if (m_finishedReported || !isFinished())
        return;
    m_finishedReported = true;
    Q_EMIT finished();
}
