#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

/**
 * Applies queued write bodies to cached records, on JSON only (no schema needed), so that
 * the local copy of a record can always be rebuilt as "server copy + outbox rows in seq order"
 * (the queue is the truth, the local copy is derived; docs/decisions/0004).
 *
 * Bodies are the API's write shapes: `fields` hold bare values,
 * `relationships` hold an id or an array of ids (create) or one `add` / `remove` / `replace`
 * operation per key (update). Records are in the API's read shape. Pure functions.
 */
namespace RecordOverlay {

/** `record` with an update body applied: field values set (valueType kept), relationship
 *  operations applied to `values`. */
QJsonObject applyUpdate(QJsonObject record, const QJsonObject &body);

/** The read-shape record an offline create will produce, as far as the body tells. */
QJsonObject recordFromCreate(const QString &id, const QJsonObject &body);

/** Replaces the id `from` by `to` in the record's `id` and in every relationship reference
 *  (read or write shape). Field values are never touched. `changed` reports whether it did. */
QJsonObject rewriteId(
    QJsonObject object, const QString &from, const QString &to, bool *changed = nullptr);

/** True when a body's relationships reference an id starting with `prefix` (temporary ids). */
bool referencesIdWithPrefix(const QJsonObject &body, const QString &prefix);

/**
 * Merges `later` into `earlier` (two update bodies of one record, neither sent) when the
 * result means exactly "earlier, then later": later field values win; a later relationship
 * `replace` supersedes, and later operations fold into an earlier `replace`; an `add` and a
 * `remove` fold where one operation means the same on any server set (add A then remove
 * B ⊇ A, remove A then add B ⊇ A: an undo); any other operation on a key the earlier body
 * already touches cannot be merged (returns false, `merged` untouched). `earlierIsCreate`:
 * `earlier` is a create body, so field values and `replace` fold into its bare values.
 */
bool mergeBodies(const QJsonObject &earlier, const QJsonObject &later, bool earlierIsCreate,
    QJsonObject *merged);

} // namespace RecordOverlay
