#pragma once

#include "domain/changeset.h"
#include "domain/objectschema.h"
#include "domain/record.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QString>

#include <optional>

class LocalStore;
class Outbox;

/**
 * The one way the UI writes (docs/decisions/0004): turns a ChangeSet into an outbox row *and* the
 * optimistic local copy in one transaction (Outbox::enqueueUpdate / enqueueCreate), and
 * produces what undo needs to take the change back.
 *
 * Every caller — the deal form, the new-deal dialog, the inline table delegate, the board's
 * drag and drop, bulk edit, the conflict dialog — goes through here, so "nothing the user
 * accepted is lost" holds in one place.
 *
 * **update()**: the base is the record as the rep sees it now (server copy plus queued edits);
 * baseValues are that record's values of the changed keys (bare write shape); the optimistic
 * copy is that record with the changes applied. An empty ChangeSet queues nothing and succeeds.
 *
 * **create()**: a new `local_…` temporary id; the optimistic copy carries the values, so the new
 * deal shows in the table at once, marked pending.
 *
 * **Undo** (views/edit): Result::inverse is the ChangeSet that puts the changed keys back to
 * their values before the edit. Queuing it while the edit's row is still unsent merges into that
 * row, and the outbox drops keys that return to the row's base (and deletes a row left empty):
 * an unsent edit is taken out of the outbox. Once sent, the inverse is a normal compensating
 * update. undoCreate() discards a create that was not sent yet; a create already on the server
 * cannot be undone (false, with lastError()).
 *
 * Borrows the store and outbox (same thread, must outlive it). No network.
 */
class RecordEditService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecordEditService)

public:
    struct Result
    {
        bool ok = false;
        QString error; ///< for the rep, when !ok
        qint64 seq = 0; ///< the outbox row written or merged into; 0 when nothing queued
        QString recordId; ///< the record (a temporary id for a create)
        ChangeSet applied; ///< what was queued (the input, minus rejected keys)
        ChangeSet inverse; ///< puts the changed keys back to their values before (undo)
    };

    RecordEditService(LocalStore &store, Outbox &outbox, QObject *parent = nullptr);
    ~RecordEditService() override;

    /** The record as the rep sees it (server copy + queued edits), or nullopt when unknown. */
    std::optional<Record> currentRecord(const ObjectSchema &schema, const QString &recordId) const;

    /**
     * Queues `changes` to `recordId` of schema.objectType(); see the class comment. A temporary
     * id whose create was acknowledged is resolved (resolvedId()). Refused (ok false, error)
     * when the record is not in the store or is deleted there.
     */
    Result update(const ObjectSchema &schema, const QString &recordId, const ChangeSet &changes);
    /**
     * Queues a new record of schema.objectType() under a new temporary id; refused (ok false,
     * error naming them) while missingRequired() is not empty. Result::inverse is empty: a
     * create is undone with undoCreate().
     */
    Result create(const ObjectSchema &schema, const ChangeSet &changes);
    /** Takes back an unsent create (its row and local record); false once it was sent. */
    bool undoCreate(const QString &objectType, const QString &temporaryId);

    QString lastError() const { return m_lastError; }

    /**
     * The id a record has now: the server's id once the create of temporary id `id` was
     * acknowledged (Outbox::temporaryIdReplaced()), else `id`. update() resolves its recordId
     * this way, so undo of an edit made to a new record still works after it was sent.
     */
    QString resolvedId(const QString &id) const { return m_serverIds.value(id, id); }

    /**
     * Labels of the required fields and relationships (FieldDefinition::isRequired(),
     * RelationshipDefinition::isRequired()) that `changes` leaves empty: create() refuses
     * while this is not empty. In schema order.
     */
    static QStringList missingRequired(const ObjectSchema &schema, const ChangeSet &changes);

    /** Emits undoFailed(): the undo commands (views/edit) report through the service. */
    void reportUndoFailure(const QString &message) { Q_EMIT undoFailed(message); }

Q_SIGNALS:
    /** A record's local copy changed through this service (after the commit). */
    void recordChanged(const QString &objectType, const QString &recordId);
    /** An undo or redo could not be done (e.g. a create already on the server); for the rep. */
    void undoFailed(const QString &message);

private:
    LocalStore &m_store;
    Outbox &m_outbox;
    QString m_lastError;
    QHash<QString, QString> m_serverIds; ///< temporary id → server id, this session
};
