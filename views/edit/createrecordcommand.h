#pragma once

#include "domain/changeset.h"
#include "domain/objectschema.h"
#include "edit/recordeditservice.h"

#include <QPointer>
#include <QString>
#include <QUndoCommand>

/**
 * One undoable create: redo() queues the new record through
 * RecordEditService::create() under a new temporary id (a redo after an undo creates it again,
 * under a new id); undo() takes it back with RecordEditService::undoCreate() while it was never
 * sent.
 *
 * A create that already reached the server cannot be undone: undo() then makes the command
 * obsolete (QUndoStack drops it and the record stays), keeps "This deal is already on the
 * server and can't be undone" in lastError() and reports it through
 * RecordEditService::undoFailed(). A create that fails (required fields missing) also makes the
 * command obsolete, with the service's message, so QUndoStack::push() drops it; callers check
 * RecordEditService::missingRequired() first.
 *
 * Text: "Create deal “Acme renewal”" (or "Create record"). No widget.
 */
class CreateRecordCommand final : public QUndoCommand
{
public:
    /** The record is queued by the first redo() (QUndoStack::push()). */
    CreateRecordCommand(RecordEditService &service, const ObjectSchema &schema,
        const ChangeSet &changes, QUndoCommand *parent = nullptr);
    /** For a create already queued through service.create(): the first redo() does nothing. */
    CreateRecordCommand(RecordEditService &service, const ObjectSchema &schema,
        const ChangeSet &changes, const RecordEditService::Result &created,
        QUndoCommand *parent = nullptr);

    void undo() override;
    void redo() override;

    /** The temporary id of the last redo (the server's id once acknowledged); empty before. */
    QString recordId() const;
    QString lastError() const { return m_lastError; }

    static QString describe(const ObjectSchema &schema, const ChangeSet &changes);

private:
    void fail(const QString &error);

    QPointer<RecordEditService> m_service;
    ObjectSchema m_schema;
    ChangeSet m_changes;
    QString m_temporaryId;
    QString m_lastError;
    bool m_skipNextRedo = false;
};
