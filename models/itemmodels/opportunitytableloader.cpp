#include "itemmodels/opportunitytableloader.h"

#include "domain/objectschema.h"
#include "domain/record.h"
#include "itemmodels/opportunitytablemodel.h"
#include "logging.h"
#include "store/localstore.h"
#include "store/outbox.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace {

const QString kOpportunity = QStringLiteral("opportunity");

QJsonObject parseObject(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    return error.error == QJsonParseError::NoError ? document.object() : QJsonObject();
}

int severity(OpportunityRoles::SyncState state)
{
    return int(state);
}

} // namespace

ObjectSchema OpportunityTableLoader::loadSchema(const LocalStore &store)
{
    const auto definitions = store.definitions(kOpportunity);
    if (!definitions)
        return {};
    return ObjectSchema::fromDefinitionsJson(parseObject(definitions->json));
}

NameDirectory OpportunityTableLoader::loadNames(const LocalStore &store)
{
    NameDirectory names;
    for (const QString &type :
        {QStringLiteral("account"), QStringLiteral("member"), QStringLiteral("contact")}) {
        const QList<StoredRecord> records = store.records(type);
        for (const StoredRecord &record : records)
            names.insert(record.id, NameDirectory::nameOf(parseObject(record.effectiveJson())));
    }
    return names;
}

OpportunityTableLoader::SyncState OpportunityTableLoader::syncStateOf(const QList<OutboxRow> &rows)
{
    SyncState worst = SyncState::Synced;
    for (const OutboxRow &row : rows) {
        SyncState state = SyncState::Pending;
        if (row.state == OutboxRow::State::Conflict)
            state = SyncState::Conflict;
        else if (row.state == OutboxRow::State::Parked)
            state = SyncState::Failed;
        if (severity(state) > severity(worst))
            worst = state;
    }
    return worst;
}

QHash<QString, OpportunityTableLoader::SyncState> OpportunityTableLoader::syncStates(
    const Outbox &outbox)
{
    QHash<QString, QList<OutboxRow>> byRecord;
    const QList<OutboxRow> rows = outbox.rows();
    for (const OutboxRow &row : rows) {
        if (row.objectType == kOpportunity)
            byRecord[row.recordId].append(row);
    }
    QHash<QString, SyncState> states;
    for (auto it = byRecord.cbegin(); it != byRecord.cend(); ++it)
        states.insert(it.key(), syncStateOf(it.value()));
    return states;
}

OpportunityTableLoader::Result OpportunityTableLoader::load(
    const LocalStore &store, OpportunityTableModel &model, const Outbox *outbox)
{
    Result result;
    if (!store.isOpen()) {
        result.error = QObject::tr("The local cache is not open.");
        return result;
    }
    const ObjectSchema schema = loadSchema(store);
    if (schema.isEmpty()) {
        result.error
            = QObject::tr("No deal fields are cached yet; they arrive with the first sync.");
        model.setSchema(schema);
        return result;
    }
    const NameDirectory names = loadNames(store);
    const QHash<QString, SyncState> states
        = outbox ? syncStates(*outbox) : QHash<QString, SyncState>();
    QList<StoredRecord> records = store.records(kOpportunity);
    int undecodable = 0;
    model.reload(
        schema, names, records.size(),
        [&records, &schema, &undecodable](qsizetype i) {
            StoredRecord &stored = records[i];
            const QJsonObject json = parseObject(stored.effectiveJson());
            // Release the bytes now: 100,000 records are ~140 MB of JSON.
            stored.json = QByteArray();
            stored.localJson = QByteArray();
            Record record = Record::fromJson(json, schema);
            if (!record.isValid())
                ++undecodable;
            return record;
        },
        states);
    if (undecodable > 0)
        qCWarning(lcModels) << "deals table: skipped" << undecodable << "undecodable records";
    result.ok = true;
    result.rows = model.rowCount();
    result.undecodable = undecodable;
    return result;
}

void OpportunityTableLoader::refresh(const LocalStore &store, OpportunityTableModel &model,
    const QStringList &ids, const Outbox *outbox)
{
    QList<Record> upserts;
    QStringList removals;
    for (const QString &id : ids) {
        const auto stored = store.record(kOpportunity, id);
        if (!stored || stored->deleted) {
            removals.append(id);
            continue;
        }
        Record record = Record::fromJson(parseObject(stored->effectiveJson()), model.schema());
        if (record.isValid())
            upserts.append(record);
    }
    model.upsertRecords(upserts);
    model.removeRecords(removals);
    if (outbox) {
        for (const Record &record : std::as_const(upserts))
            model.setSyncState(
                record.id(), syncStateOf(outbox->rowsFor(kOpportunity, record.id())));
    }
}

void OpportunityTableLoader::refreshNames(const LocalStore &store, OpportunityTableModel &model,
    const QString &objectType, const QStringList &ids)
{
    QHash<QString, QString> names;
    names.reserve(ids.size());
    for (const QString &id : ids) {
        const auto stored = store.record(objectType, id);
        names.insert(id,
            stored && !stored->deleted ? NameDirectory::nameOf(parseObject(stored->effectiveJson()))
                                       : QString());
    }
    model.updateNames(names);
}
