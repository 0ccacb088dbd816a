#pragma once

#include "domain/fielddefinition.h"
#include "domain/fieldvalue.h"
#include "domain/objectschema.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

class RecordEditService;
class SyncEngine;

/**
 * Bulk edit of deals, without widgets: one field, one value, many deals.
 *
 * apply() queues **one RecordEditService::update() per deal, each with a one-key ChangeSet**,
 * so every deal is its own outbox row (and its own request: the SyncEngine sends them at the
 * write limit, retries them one by one, and one bad deal never blocks the others). Nothing is
 * sent from here.
 *
 * **Progress.** total() deals; queued() rose as the rows were written (all during apply());
 * confirmed() counts the rows the server acknowledged (SyncEngine::rowSucceeded), and deals
 * whose update queued nothing (the value was already there); failures() lists the deals that
 * will not get the value without the user: the update was refused locally (unknown deal, store
 * error), the row was parked (SyncEngine::rowParked: 400/403/404/422, with the server's reason)
 * or is in conflict (SyncEngine::conflictDetected). A parked row stays in the outbox, where the
 * pending-changes panel offers retry and discard. finished() is emitted once, when every deal
 * is confirmed or failed; retries in between are silent, as in the engine.
 *
 * A row the rep's later edits merge into still reports under its seq. Signals of rows that are
 * not this batch's are ignored. Without an engine (setEngine(nullptr), e.g. offline at start)
 * progress stops at queued until an engine is set.
 *
 * **Signals:** progressChanged() after each change of the counts; failed(recordId, message)
 * once per failed deal; finished() once per apply() when all are settled.
 *
 * Borrows the service (and the engine, held by QPointer); GUI thread. One batch at a time: a
 * second apply() starts a new batch and forgets the first one's progress.
 */
class BulkEdit final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BulkEdit)

public:
    /** One deal that did not get the value. */
    struct Failure
    {
        QString recordId;
        qint64 seq = 0; ///< its outbox row; 0 when nothing was queued
        QString fieldKey; ///< the field the server blamed, or empty
        QString message; ///< for the rep

        friend bool operator==(const Failure &, const Failure &) = default;
    };

    explicit BulkEdit(RecordEditService &service, QObject *parent = nullptr);
    ~BulkEdit() override;

    /** Watches this engine's row outcomes (nullptr: none). */
    void setEngine(SyncEngine *engine);

    /**
     * The fields a bulk edit may set: writable ones (known type, not read-only), in schema
     * order. Fields with a unique constraint are left out (one value on many deals would break
     * it), and so is `$name` (one display name on many deals is never what a bulk edit means).
     */
    static QList<FieldDefinition> editableFields(const ObjectSchema &schema);

    /**
     * Queues `value` for `field` on every deal of `recordIds` (duplicates once). Returns false,
     * with lastError(), and queues nothing when the field is not in editableFields() or the value
     * cannot be written to it (wrong type, raw). Otherwise true — even if some deals failed to
     * queue: those are in failures() at once.
     */
    bool apply(const ObjectSchema &schema, const QStringList &recordIds,
        const FieldDefinition &field, const FieldValue &value);

    int total() const { return m_total; }
    int queued() const { return m_queued; }
    int confirmed() const { return m_confirmed; }
    int failedCount() const { return int(m_failures.size()); }
    /** True when every deal is confirmed or failed. */
    bool isFinished() const { return m_total > 0 && m_confirmed + failedCount() == m_total; }
    QList<Failure> failures() const { return m_failures; }
    /** The outbox rows still waiting for an outcome, seq → deal id. */
    QHash<qint64, QString> waitingRows() const { return m_waiting; }
    QString lastError() const { return m_lastError; }

Q_SIGNALS:
    void progressChanged();
    void failed(const QString &recordId, const QString &message);
    void finished();

private:
    void handleSucceeded(qint64 seq);
    void handleParked(
        qint64 seq, const QString &recordId, const QString &fieldKey, const QString &message);
    void handleConflict(qint64 seq, const QString &recordId);
    void addFailure(const Failure &failure);
    void checkFinished();

    RecordEditService &m_service;
    QPointer<SyncEngine> m_engine;
    QList<QMetaObject::Connection> m_connections;
    QHash<qint64, QString> m_waiting;
    QList<Failure> m_failures;
    QString m_lastError;
    int m_total = 0;
    int m_queued = 0;
    int m_confirmed = 0;
    bool m_finishedReported = false;
};
