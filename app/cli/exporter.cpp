#include "exporter.h"

#include "domain/objectschema.h"
#include "domain/record.h"
#include "export/plainvalues.h"
#include "export/valueparser.h"
#include "store/localstore.h"
#include "store/outbox.h"

#include <QHash>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QUrl>

namespace {

using PlainValues::isoUtc;

ObjectSchema schemaFor(LocalStore &store, const QString &type)
{
    const std::optional<StoredDefinitions> stored = store.definitions(type);
    if (!stored)
        return ObjectSchema(type);
    return ObjectSchema::fromDefinitionsJson(QJsonDocument::fromJson(stored->json).object());
}

/// The queued rows per record ("type\nid" → rows in seq order); false when the queue cannot be
/// read (every record would otherwise be exported as "synced").
bool rowsByRecord(Outbox &outbox, QHash<QString, QList<OutboxRow>> *result, QString *error)
{
    bool ok = false;
    const QList<OutboxRow> rows = outbox.rows(&ok);
    if (!ok) {
        *error = QStringLiteral("the queued edits cannot be read: %1").arg(outbox.lastError());
        return false;
    }
    for (const OutboxRow &row : rows)
        (*result)[row.objectType + QLatin1Char('\n') + row.recordId].append(row);
    return true;
}

QString localStateName(const QList<OutboxRow> &rows)
{
    bool parked = false;
    bool conflict = false;
    for (const OutboxRow &row : rows) {
        parked = parked || row.state == OutboxRow::State::Parked;
        conflict = conflict || row.state == OutboxRow::State::Conflict;
    }
    if (conflict)
        return QStringLiteral("conflict");
    if (parked)
        return QStringLiteral("parked");
    return rows.isEmpty() ? QStringLiteral("synced") : QStringLiteral("pending");
}

QJsonObject localState(const QList<OutboxRow> &rows)
{
    QJsonArray edits;
    for (const OutboxRow &row : rows) {
        QJsonObject edit;
        edit.insert(QLatin1String("seq"), double(row.seq));
        edit.insert(QLatin1String("op"), Outbox::opName(row.op));
        edit.insert(QLatin1String("state"), Outbox::stateName(row.state));
        edit.insert(QLatin1String("attempts"), row.attempts);
        edit.insert(QLatin1String("idempotencyKey"), row.idempotencyKey);
        edit.insert(QLatin1String("createdAt"), isoUtc(row.createdAt));
        edit.insert(QLatin1String("lastError"),
            row.lastError.isEmpty() ? QJsonValue() : QJsonValue(row.lastError));
        edit.insert(QLatin1String("body"), QJsonDocument::fromJson(row.body).object());
        edits.append(edit);
    }
    QJsonObject state;
    state.insert(QLatin1String("state"), localStateName(rows));
    state.insert(QLatin1String("edits"), edits);
    return state;
}

bool writeAll(QIODevice &device, const QByteArray &bytes, QString *error)
{
    if (device.write(bytes) != bytes.size()) {
        *error = device.errorString();
        return false;
    }
    return true;
}

} // namespace

namespace Exporter {

QStringList objectTypes()
{
    return {QStringLiteral("opportunity"), QStringLiteral("account"), QStringLiteral("contact"),
        QStringLiteral("member")};
}

QString csvField(const QString &text)
{
    return PlainValues::csvField(text);
}

bool writeJson(LocalStore &store, Outbox &outbox, const QUrl &baseUrl, const QStringList &types,
    QIODevice &device, QString *error, int *count)
{
    *count = 0;
    QHash<QString, QList<OutboxRow>> rows;
    if (!rowsByRecord(outbox, &rows, error))
        return false;
    QJsonObject byType;
    for (const QString &type : types) {
        QJsonArray records;
        const QList<StoredRecord> stored = store.records(type);
        for (const StoredRecord &record : stored) {
            QJsonObject json = QJsonDocument::fromJson(record.effectiveJson()).object();
            if (json.isEmpty())
                json.insert(QLatin1String("id"), record.id);
            json.insert(QLatin1String("localState"),
                localState(rows.value(type + QLatin1Char('\n') + record.id)));
            records.append(json);
            ++*count;
        }
        byType.insert(type, records);
    }
    QJsonObject root;
    root.insert(QLatin1String("exportedAt"), isoUtc(QDateTime::currentDateTimeUtc()));
    root.insert(QLatin1String("baseUrl"), baseUrl.toString());
    root.insert(QLatin1String("objectTypes"), byType);
    return writeAll(device, QJsonDocument(root).toJson(QJsonDocument::Indented), error);
}

bool writeCsv(LocalStore &store, Outbox &outbox, const QString &type, QIODevice &device,
    QString *error, int *count)
{
    *count = 0;
    const ObjectSchema schema = schemaFor(store, type);
    QHash<QString, QList<OutboxRow>> rows;
    if (!rowsByRecord(outbox, &rows, error))
        return false;
    QHash<QString, QHash<QString, QString>> namesByType; // related type → id → name
    const auto nameOf = [&store, &namesByType](const QString &relatedType, const QString &id) {
        auto it = namesByType.find(relatedType);
        if (it == namesByType.end()) {
            QHash<QString, QString> names;
            const QList<StoredRecord> related = store.records(relatedType);
            for (const StoredRecord &record : related)
                names.insert(record.id, ValueParser::displayName(record.effectiveJson()));
            it = namesByType.insert(relatedType, names);
        }
        return it->value(id);
    };

    QStringList header {QStringLiteral("id")};
    for (const FieldDefinition &field : schema.fields())
        header << PlainValues::neutralised(field.key());
    for (const RelationshipDefinition &relationship : schema.relationships()) {
        header << PlainValues::neutralised(relationship.key())
               << PlainValues::neutralised(relationship.key() + QLatin1String(".id"));
    }
    header << QStringLiteral("createdAt") << QStringLiteral("updatedAt")
           << QStringLiteral("localState");
    const auto line = [](const QStringList &cells) {
        QStringList quoted;
        for (const QString &cell : cells)
            quoted << csvField(cell);
        return (quoted.join(QLatin1Char(',')) + QLatin1String("\r\n")).toUtf8();
    };
    if (!writeAll(device, line(header), error))
        return false;

    const QList<StoredRecord> stored = store.records(type);
    for (const StoredRecord &storedRecord : stored) {
        const Record record = Record::fromJson(
            QJsonDocument::fromJson(storedRecord.effectiveJson()).object(), schema);
        // Every cell but a number (by its field's type) is guarded against running as a formula.
        QStringList cells {PlainValues::neutralised(storedRecord.id)};
        for (const FieldDefinition &field : schema.fields()) {
            const FieldValue value = record.value(field.key());
            const QString text = PlainValues::value(field, value);
            cells << (PlainValues::isNumber(value) ? text : PlainValues::neutralised(text));
        }
        for (const RelationshipDefinition &relationship : schema.relationships()) {
            const QStringList ids = record.relatedIds(relationship.key());
            QStringList names;
            for (const QString &id : ids) {
                const QString name = nameOf(relationship.objectType(), id);
                names << (name.isEmpty() ? id : name);
            }
            cells << PlainValues::neutralised(names.join(QLatin1String("; ")))
                  << PlainValues::neutralised(ids.join(QLatin1String("; ")));
        }
        cells << isoUtc(record.createdAt()) << isoUtc(record.updatedAt())
              << localStateName(rows.value(type + QLatin1Char('\n') + storedRecord.id));
        if (!writeAll(device, line(cells), error))
            return false;
        ++*count;
    }
    return true;
}

} // namespace Exporter
