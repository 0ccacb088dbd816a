#pragma once

#include <QString>
#include <QStringList>

class LocalStore;
class Outbox;
class QIODevice;
class QUrl;

/**
 * `lightfield-deals export`: the cached records of a workspace, as the user
 * sees them (queued edits applied), written to a device.
 *
 * **JSON:** `{"exportedAt", "baseUrl", "objectTypes": {"opportunity": [record, …], …}}`; each
 * record in the API's read shape plus `localState`:
 * `{"state": "synced"|"pending"|"parked"|"conflict", "edits": [{seq, op, state, attempts,
 * idempotencyKey, createdAt, lastError, body}]}` — the queued rows of that record, in order.
 *
 * **CSV** (RFC 4180, UTF-8, CRLF): one row per record of one type; columns `id`, one per field
 * (the field key as header), two per relationship (`<key>` with the related records' names,
 * `<key>.id` with their ids), then `createdAt`, `updatedAt`, `localState`. Values are plain and
 * machine-readable: numbers with a dot, dates ISO 8601 UTC, option labels, list values joined
 * by "; ", addresses and names as compact JSON, unset fields empty.
 *
 * Reads only; same thread as the store.
 */
namespace Exporter {

/** The object types a workspace caches, in export order. */
QStringList objectTypes();

/**
 * Writes the JSON export of `types` — the raw export: values exactly as stored, nothing
 * escaped; false with *error (also when the queued edits cannot be read, rather than calling
 * every record "synced"). *count = records written.
 */
bool writeJson(LocalStore &store, Outbox &outbox, const QUrl &baseUrl, const QStringList &types,
    QIODevice &device, QString *error, int *count);

/**
 * Writes the CSV export of one type; false with *error. *count = records written. Cells that a
 * spreadsheet would run as a formula get a leading apostrophe (PlainValues::neutralised()),
 * except numbers by their field's type.
 */
bool writeCsv(LocalStore &store, Outbox &outbox, const QString &type, QIODevice &device,
    QString *error, int *count);

/** One CSV field, quoted when it holds a comma, quote, line break or edge spaces. */
QString csvField(const QString &text);

} // namespace Exporter
