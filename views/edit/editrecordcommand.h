#pragma once

#include "domain/changeset.h"
#include "domain/objectschema.h"
#include "edit/recordeditservice.h"

#include <QPointer>
#include <QString>
#include <QUndoCommand>

/**
 * One undoable edit of one record, for the workspace's single QUndoStack. No widget:
 * it only talks to RecordEditService, so tests drive it on a bare QUndoStack.
 *
 * redo() queues the changes through RecordEditService::update() (the first redo, when pushed,
 * applies the edit; later redos queue the same changes again) and keeps the Result's inverse;
 * undo() queues that inverse. While the edit is unsent, the inverse merges into its outbox row
 * and the outbox drops the keys that are back at their base, so nothing reaches the server;
 * once sent, the inverse is a compensating update.
 *
 * A redo or undo that fails (the record is gone, the store refused) makes the command obsolete
 * (QUndoStack then drops it), keeps the reason in lastError() and reports it through
 * RecordEditService::undoFailed().
 *
 * Text: "Edit Amount", "Change Stage to Proposal", "Clear Close date", "Change Account",
 * "Edit 3 fields". Borrows the service (a QPointer: a command outliving it becomes obsolete).
 */
class EditRecordCommand final : public QUndoCommand
{
public:
    /** The edit is queued by the first redo() (QUndoStack::push()). */
    EditRecordCommand(RecordEditService &service, const ObjectSchema &schema,
        const QString &recordId, const ChangeSet &changes, QUndoCommand *parent = nullptr);
    /**
     * For an edit already queued through service.update(): `applied` is its Result (ok), so
     * the first redo() does nothing.
     */
    EditRecordCommand(RecordEditService &service, const ObjectSchema &schema,
        const RecordEditService::Result &applied, QUndoCommand *parent = nullptr);

    void undo() override;
    void redo() override;

    /** The record (its server id once a create of a temporary id was acknowledged). */
    QString recordId() const;
    ChangeSet changes() const { return m_changes; }
    /** What undo() will queue (valid after a successful redo). */
    ChangeSet inverse() const { return m_inverse; }
    /** Why the last undo / redo failed; empty when it did not. */
    QString lastError() const { return m_lastError; }

    /** The command text for `changes` of a record of `schema` (see the class comment). */
    static QString describe(const ObjectSchema &schema, const ChangeSet &changes);

private:
    bool apply(const ChangeSet &changes, bool keepInverse);

    QPointer<RecordEditService> m_service;
    ObjectSchema m_schema;
    QString m_recordId;
    ChangeSet m_changes;
    ChangeSet m_inverse;
    QString m_lastError;
    bool m_skipNextRedo = false;
};
