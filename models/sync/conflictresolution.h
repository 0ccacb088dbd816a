#pragma once

#include "domain/merge.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QLocale>
#include <QString>
#include <QStringList>

class FieldDefinition;
class Outbox;
class RelationshipDefinition;

/**
 * The user's answer to a conflicting outbox row, as a value: what ConflictDialog
 * shows and what it queues, kept free of widgets so that it can be tested on its own.
 *
 * **Rules.** resolve() merges the row again against the server's copy (Merge::threeWay()):
 * keys only we changed stay in the body (their base becomes the server's value), keys both
 * sides set alike are dropped, and each key in conflict follows the user's Choice — **Mine**
 * keeps my value (field) or operation (relationship) with the server's value as its new base,
 * **Theirs** drops the key. A key in conflict without a choice is listed in unresolved() and
 * apply() refuses the resolution. baseUpdatedAt is the server copy's `updatedAt`.
 *
 * **Applying.** apply(): when the body still has keys, Outbox::resolveConflict() (the row is
 * queued again as a normal update under a new Idempotency-Key); when every key took theirs,
 * Outbox::discard() (the local copy falls back to the server's).
 *
 * A plain copyable value type; no I/O except apply(), which writes through the Outbox.
 */
class ConflictResolution final
{

public:
    enum class Choice : quint8
    {
        Mine, ///< keep my value: the key is sent again, against the server's value as base
        Theirs, ///< take the server's value: the key is dropped from the body
    };

    ConflictResolution() = default;

    /**
     * Resolves an update `body` with its `baseValues` against `theirs` (the server's record,
     * read shape) with one Choice per conflicting key. Keys of `choices` that are not in
     * conflict are ignored.
     */
    static ConflictResolution resolve(const QJsonObject &body, const QJsonObject &baseValues,
        const QJsonObject &theirs, const QHash<QString, Choice> &choices);
    /** The same choice for every key in conflict ("All mine" / "All theirs"). */
    static ConflictResolution resolveAll(const QJsonObject &body, const QJsonObject &baseValues,
        const QJsonObject &theirs, Choice choice);

    /**
     * Queues the resolution for outbox row `seq`, which must be in conflict: resolveConflict()
     * when something is left to send, discard() when not. False (nothing changed) when the row
     * is not in conflict, a key is unresolved, or the outbox fails (see Outbox::lastError()).
     */
    static bool apply(Outbox &outbox, qint64 seq, const ConflictResolution &resolution);

    /** The update body to queue: the original's keys minus dropped and "theirs" keys. */
    QJsonObject body() const { return m_body; }
    /** body() as compact JSON bytes (what the outbox stores and sends). */
    QByteArray bodyJson() const;
    /** Each key of body() → the server's value now. */
    QJsonObject baseValues() const { return m_baseValues; }
    /** The server copy's `updatedAt` the resolution was made against. */
    QString baseUpdatedAt() const { return m_baseUpdatedAt; }
    /** The keys that were in conflict, sorted, with base / mine / theirs. */
    QList<Merge::FieldConflict> conflicts() const { return m_conflicts; }
    /** Keys in conflict with no choice given (apply() refuses while any are left). */
    QStringList unresolved() const { return m_unresolved; }
    /** True when nothing is left to send: apply() discards the row. */
    bool isDiscard() const;

private:
    QJsonObject m_body;
    QJsonObject m_baseValues;
    QString m_baseUpdatedAt;
    QList<Merge::FieldConflict> m_conflicts;
    QStringList m_unresolved;
};
