#include "exporter.h"

#include "domain/objectschema.h"
#include "domain/record.h"
#include "store/localstore.h"
#include "store/outbox.h"
#include "valueparser.h"

#include <QHash>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QUrl>

namespace {

ObjectSchema schemaFor(LocalStore &store, const QString &type)
{
    const std::optional<StoredDefinitions> stored = store.definitions(type);
    if (!stored)
        return ObjectSchema(type);
    return ObjectSchema::fromDefinitionsJson(QJsonDocument::fromJson(stored->json).object());
}

QString isoUtc(const QDateTime &at)
{
    if (!at.isValid())
        return {};
    const QDateTime utc = at.toUTC();
    return utc.toString(utc.time().msec() != 0 ? Qt::ISODateWithMs : Qt::ISODate);
}

QString compactJson(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    if (value.isString())
        return value.toString();
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble())
        return QString::number(value.toDouble(), 'f', QLocale::FloatingPointShortest);
    return {};
}

QString centsText(qint64 cents)
{
    const bool negative = cents < 0;
    const qint64 magnitude = negative ? -cents : cents;
    QString text = QString::number(magnitude / 100);
    const qint64 fraction = magnitude % 100;
    if (fraction != 0) {
        text += QLatin1Char('.') + QStringLiteral("%1").arg(fraction, 2, 10, QLatin1Char('0'));
        if (text.endsWith(QLatin1Char('0')))
            text.chop(1);
    }
    return negative ? QLatin1Char('-') + text : text;
}

/// The plain, machine-readable text of one value (see the header).
QString plainValue(const FieldDefinition &definition, const FieldValue &value)
{
    if (value.isRaw())
        return compactJson(value.rawJson());
    if (value.isNull())
        return {};
    switch (value.type()) {
    case FieldType::Text:
    case FieldType::Markdown:
    case FieldType::SocialHandle:
        return value.toText();
    case FieldType::SingleSelect:
        return definition.optionLabel(value.toText());
    case FieldType::Number:
        return QString::number(value.toDouble(), 'f', QLocale::FloatingPointShortest);
    case FieldType::Currency:
        return centsText(value.toCents());
    case FieldType::Checkbox:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case FieldType::DateTime:
        return isoUtc(value.toDateTime());
    case FieldType::MultiSelect: {
        QStringList labels;
        for (const QString &id : value.toStringList())
            labels << definition.optionLabel(id);
        return labels.join(QLatin1String("; "));
    }
    case FieldType::Email:
    case FieldType::Telephone:
    case FieldType::Url:
        return value.toStringList().join(QLatin1String("; "));
    case FieldType::Address:
        return compactJson(value.toAddress().toJson());
    case FieldType::FullName:
        return compactJson(value.toFullName().toJson());
    case FieldType::Unknown:
        break;
    }
    return compactJson(value.toJson(definition));
}

/// The queued rows per record ("type\nid" → rows in seq order).
QHash<QString, QList<OutboxRow>> rowsByRecord(Outbox &outbox)
{
    QHash<QString, QList<OutboxRow>> result;
    const QList<OutboxRow> rows = outbox.rows();
    for (const OutboxRow &row : rows)
        result[row.objectType + QLatin1Char('\n') + row.recordId].append(row);
    return result;
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
    const bool quote = text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"'))
        || text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r'))
        || text.startsWith(QLatin1Char(' ')) || text.endsWith(QLatin1Char(' '));
    if (!quote)
        return text;
    QString escaped = text;
    escaped.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

bool writeJson(LocalStore &store, Outbox &outbox, const QUrl &baseUrl, const QStringList &types,
    QIODevice &device, QString *error, int *count)
{
    *count = 0;
    const QHash<QString, QList<OutboxRow>> rows = rowsByRecord(outbox);
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
    const QHash<QString, QList<OutboxRow>> rows = rowsByRecord(outbox);
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
        header << field.key();
    for (const RelationshipDefinition &relationship : schema.relationships())
        header << relationship.key() << relationship.key() + QLatin1String(".id");
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
        QStringList cells {storedRecord.id};
        for (const FieldDefinition &field : schema.fields())
            cells << plainValue(field, record.value(field.key()));
        for (const RelationshipDefinition &relationship : schema.relationships()) {
            const QStringList ids = record.relatedIds(relationship.key());
            QStringList names;
            for (const QString &id : ids) {
                const QString name = nameOf(relationship.objectType(), id);
                names << (name.isEmpty() ? id : name);
            }
            cells << names.join(QLatin1String("; ")) << ids.join(QLatin1String("; "));
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
