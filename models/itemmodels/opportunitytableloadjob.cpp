#include "itemmodels/opportunitytableloadjob.h"

#include "domain/objectschema.h"
#include "domain/record.h"
#include "itemmodels/opportunitytablemodel.h"
#include "logging.h"
#include "store/localstore.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <utility>

namespace {

const QString kOpportunity = QStringLiteral("opportunity");

const QStringList &nameTypes()
{
    static const QStringList types {
        QStringLiteral("account"), QStringLiteral("member"), QStringLiteral("contact")};
    return types;
}

QJsonObject parseObject(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    return error.error == QJsonParseError::NoError ? document.object() : QJsonObject();
}

/** One keyset page of (id, effective JSON); false on a database error. */
bool readChunk(const LocalStore &store, const QString &type, const QString &after, int limit,
    QList<std::pair<QString, QByteArray>> *rows, QString *error)
{
    // Rows kept undecodable are not deals the table can show: the store leaves them out.
    bool ok = false;
    QList<StoredRecord> page = store.recordsAfter(type, after, limit, &ok);
    if (!ok) {
        *error = store.lastError();
        return false;
    }
    rows->reserve(rows->size() + page.size());
    for (StoredRecord &record : page) {
        rows->append({std::move(record.id),
            record.localJson.isEmpty() ? std::move(record.json) : std::move(record.localJson)});
    }
    return true;
}

} // namespace

OpportunityTableLoadJob::OpportunityTableLoadJob(
    const LocalStore &store, OpportunityTableModel &model, const Outbox *outbox, QObject *parent)
    : OpportunityTableLoadJob(store, model, outbox, Options {}, parent)
{
}

OpportunityTableLoadJob::OpportunityTableLoadJob(const LocalStore &store,
    OpportunityTableModel &model, const Outbox *outbox, Options options, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_model(model)
    , m_outbox(outbox)
    , m_options(options)
{
    m_options.firstRows = std::max(1, m_options.firstRows);
    m_options.chunkRows = std::max(1, m_options.chunkRows);
    m_timer.setSingleShot(true);
    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, &OpportunityTableLoadJob::runSlice);
}

OpportunityTableLoadJob::~OpportunityTableLoadJob() = default;

int OpportunityTableLoadJob::percent() const
{
    if (!m_running)
        return m_phase == Phase::Done && m_total > 0 ? 100 : 0;
    if (m_total <= 0)
        return 0;
    return int(qint64(std::min(m_loaded, m_total)) * 100 / m_total);
}

OpportunityTableLoadJob::Result OpportunityTableLoadJob::start()
{
    cancel();
    Result result;
    m_phase = Phase::Done;
    m_loaded = 0;
    m_total = 0;
    m_undecodable = 0;
    m_nameType = 0;
    m_nameCursor.clear();
    m_dealCursor.clear();
    m_moreDeals = false;
    m_pendingNames.clear();
    if (!m_store.isOpen()) {
        result.error = tr("The local cache is not open.");
        return result;
    }
    const ObjectSchema schema = OpportunityTableLoader::loadSchema(m_store);
    if (schema.isEmpty()) {
        result.error = tr("No deal fields are cached yet; they arrive with the first sync.");
        m_model.setSchema(schema);
        return result;
    }
    m_states
        = m_outbox ? OpportunityTableLoader::syncStates(*m_outbox) : QHash<QString, SyncState>();
    m_total = m_store.recordCount(kOpportunity);

    // The first screenful, decoded before the reset.
    QList<std::pair<QString, QByteArray>> rows;
    QString error;
    if (!readChunk(m_store, kOpportunity, QString(), m_options.firstRows, &rows, &error)) {
        result.error = tr("The local cache could not be read: %1").arg(error);
        return result;
    }
    QList<Record> first;
    first.reserve(rows.size());
    for (const auto &[id, json] : std::as_const(rows)) {
        m_dealCursor = id;
        Record record = Record::fromJson(parseObject(json), schema);
        if (record.isValid())
            first.append(std::move(record));
        else
            ++m_undecodable;
    }
    const bool more = rows.size() >= m_options.firstRows;
    rows.clear();

    // Only the names these rows show: the whole directory follows in the background.
    NameDirectory names;
    QSet<QString> looked;
    for (const RelationshipDefinition &definition : schema.relationships()) {
        const QString type = definition.objectType().toLower();
        if (!nameTypes().contains(type))
            continue;
        for (const Record &record : std::as_const(first)) {
            for (const QString &id : record.relatedIds(definition.key())) {
                if (looked.contains(id))
                    continue;
                looked.insert(id);
                if (const auto stored = m_store.record(type, id); stored && !stored->deleted)
                    names.insert(id, NameDirectory::nameOf(parseObject(stored->effectiveJson())));
            }
        }
    }
    m_model.reload(
        schema, names, first.size(), [&first](qsizetype i) { return first.at(i); }, m_states);
    m_loaded = m_model.rowCount();
    m_total = std::max(m_total, m_loaded);
    // One allocation for every column now, not a copy of them all when a chunk outgrows it.
    m_model.reserveRows(m_total + m_total / 16);

    result.ok = true;
    result.rows = m_model.rowCount();
    result.undecodable = m_undecodable;
    m_running = true;
    m_phase = Phase::Names;
    m_moreDeals = more;
    Q_EMIT progress(m_loaded, m_total);
    m_timer.start();
    return result;
}

void OpportunityTableLoadJob::cancel()
{
    m_timer.stop();
    m_running = false;
}

void OpportunityTableLoadJob::finishNow()
{
    m_timer.stop();
    while (m_running && step()) { }
}

void OpportunityTableLoadJob::runSlice()
{
    if (!m_running)
        return;
    QElapsedTimer slice;
    slice.start();
    do {
        if (!step())
            return;
    } while (slice.elapsed() < m_options.sliceMs);
    m_timer.start();
}

bool OpportunityTableLoadJob::step()
{
    switch (m_phase) {
    case Phase::Names:
        return loadNameChunk();
    case Phase::Deals:
        return loadDealChunk();
    case Phase::Done:
        break;
    }
    return false;
}

bool OpportunityTableLoadJob::loadNameChunk()
{
    if (m_nameType >= nameTypes().size()) {
        // Names the model already shows came from a fresher read (the first rows' lookup,
        // or a sync page applied meanwhile): keep those.
        const NameDirectory &known = m_model.nameDirectory();
        for (auto it = m_pendingNames.begin(); it != m_pendingNames.end();)
            it = known.contains(it.key()) ? m_pendingNames.erase(it) : std::next(it);
        m_model.updateNames(m_pendingNames);
        m_pendingNames.clear();
        m_phase = Phase::Deals;
        return true;
    }
    const QString &type = nameTypes().at(m_nameType);
    QList<std::pair<QString, QByteArray>> rows;
    QString error;
    if (!readChunk(m_store, type, m_nameCursor, m_options.chunkRows * 4, &rows, &error)) {
        finish(false, error);
        return false;
    }
    for (const auto &[id, json] : std::as_const(rows)) {
        const QString name = NameDirectory::nameOf(parseObject(json));
        if (!name.isEmpty())
            m_pendingNames.insert(id, name);
        m_nameCursor = id;
    }
    if (rows.size() < m_options.chunkRows * 4) {
        ++m_nameType;
        m_nameCursor.clear();
    }
    return true;
}

bool OpportunityTableLoadJob::loadDealChunk()
{
    if (!m_moreDeals) {
        finish(true, QString());
        return false;
    }
    QList<std::pair<QString, QByteArray>> rows;
    QString error;
    if (!readChunk(m_store, kOpportunity, m_dealCursor, m_options.chunkRows, &rows, &error)) {
        finish(false, error);
        return false;
    }
    const ObjectSchema &schema = m_model.schema();
    QList<Record> records;
    records.reserve(rows.size());
    for (auto &[id, json] : rows) {
        m_dealCursor = id;
        Record record = Record::fromJson(parseObject(json), schema);
        json = QByteArray();
        if (record.isValid())
            records.append(std::move(record));
        else
            ++m_undecodable;
    }
    m_model.upsertRecords(records, m_states);
    m_loaded += int(records.size());
    m_total = std::max(m_total, m_loaded);
    if (rows.size() < m_options.chunkRows) {
        finish(true, QString());
        return false;
    }
    Q_EMIT progress(m_loaded, m_total);
    return true;
}

void OpportunityTableLoadJob::finish(bool ok, const QString &error)
{
    m_timer.stop();
    m_running = false;
    m_phase = Phase::Done;
    m_states.clear();
    Result result;
    result.ok = ok;
    result.rows = m_model.rowCount();
    result.undecodable = m_undecodable;
    if (!ok) {
        result.error = tr("The local cache could not be read: %1").arg(error);
        qCWarning(lcModels) << "deals table: loading stopped:" << error;
    } else if (m_undecodable > 0) {
        qCWarning(lcModels) << "deals table: skipped" << m_undecodable << "undecodable records";
    }
    m_total = std::max(m_total, m_loaded);
    if (ok)
        m_loaded = m_total;
    Q_EMIT progress(m_loaded, m_total);
    Q_EMIT finished(result);
}
