#include "edit/recordeditservice.h"
#include "domain/json.h"

#include "logging.h"
#include "store/localstore.h"
#include "store/outbox.h"
#include "store/recordoverlay.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace {

const QString kFields = QStringLiteral("fields");
const QString kRelationships = QStringLiteral("relationships");

QString translate(const char *text)
{
    return QCoreApplication::translate("RecordEditService", text);
}

// The bare write shape of a value as it is now: what baseValues records per field key.
QJsonValue baseJson(const FieldValue &value, const FieldDefinition *definition)
{
    if (value.isRaw())
        return value.rawJson();
    const QJsonValue json = definition ? value.toJson(*definition) : value.toJson();
    return json.isUndefined() ? QJsonValue(QJsonValue::Null) : json;
}

// Related ids as baseValues records them: one id (or null) for HAS_ONE, else an array.
QJsonValue baseIds(const QStringList &ids, Cardinality cardinality)
{
    if (cardinality == Cardinality::HasOne)
        return ids.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(ids.constFirst());
    return QJsonArray::fromStringList(ids);
}

// The ids a relationship holds after `change` is applied to `before`.
QStringList applyChange(const QStringList &before, const ChangeSet::RelationshipChange &change)
{
    QStringList after = change.operation == ChangeSet::Operation::Replace ? QStringList() : before;
    if (change.operation == ChangeSet::Operation::Remove) {
        for (const QString &id : change.ids)
            after.removeAll(id);
        return after;
    }
    for (const QString &id : change.ids) {
        if (!after.contains(id))
            after.append(id);
    }
    return after;
}

bool sameIds(QStringList a, QStringList b)
{
    a.sort();
    b.sort();
    return a == b;
}

QString joinedLabels(const QStringList &labels)
{
    if (labels.size() <= 1)
        return labels.value(0);
    return translate("%1 and %2")
        .arg(labels.mid(0, labels.size() - 1).join(QStringLiteral(", ")), labels.constLast());
}

} // namespace

RecordEditService::RecordEditService(LocalStore &store, Outbox &outbox, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_outbox(outbox)
{
    connect(&m_outbox, &Outbox::temporaryIdReplaced, this,
        [this](const QString &temporaryId, const QString &serverId) {
            m_serverIds.insert(temporaryId, serverId);
        });
}

RecordEditService::~RecordEditService() = default;

std::optional<Record> RecordEditService::currentRecord(
    const ObjectSchema &schema, const QString &recordId) const
{
    const std::optional<StoredRecord> stored
        = m_store.record(schema.objectType(), resolvedId(recordId));
    if (!stored || stored->effectiveJson().isEmpty())
        return std::nullopt;
    const QJsonDocument document = QJsonDocument::fromJson(stored->effectiveJson());
    if (!document.isObject())
        return std::nullopt;
    Record record = Record::fromJson(document.object(), schema);
    if (!record.isValid())
        return std::nullopt;
    return record;
}

RecordEditService::Result RecordEditService::update(
    const ObjectSchema &schema, const QString &requestedId, const ChangeSet &changes)
{
    const QString recordId = resolvedId(requestedId);
    Result result;
    result.recordId = recordId;
    result.applied = changes;
    m_lastError.clear();
    if (changes.isEmpty()) {
        result.ok = true;
        return result;
    }
    const QString objectType = schema.objectType();
    const std::optional<StoredRecord> stored = m_store.record(objectType, recordId);
    const std::optional<Record> current = currentRecord(schema, recordId);
    if (!stored || !current || stored->deleted) {
        result.error = translate("This record is no longer in the local copy of the workspace; "
                                 "sync and try again.");
        m_lastError = result.error;
        qCWarning(lcModels) << "edit of an unknown record refused";
        return result;
    }

    // Create-only relationships (`$createdBy`, `$account` unless the definition allows it)
    // are never sent in an update: the server would refuse the whole write.
    QStringList createOnly;
    for (const QString &key : changes.relationshipKeys()) {
        const RelationshipDefinition *definition = schema.relationship(key);
        if (definition && definition->isCreateOnly())
            createOnly << definition->label();
    }
    if (!createOnly.isEmpty()) {
        result.error = translate("%1 can only be set when a record is created; it can't be "
                                 "changed on an existing one.")
                           .arg(joinedLabels(createOnly));
        m_lastError = result.error;
        return result;
    }

    // Bases and the inverse: each changed key as it is now.
    QJsonObject baseValues;
    for (const QString &key : changes.fieldKeys()) {
        const FieldDefinition *definition = schema.field(key);
        const FieldValue before = current->value(key);
        baseValues.insert(key, baseJson(before, definition));
        if (definition && !before.isRaw())
            result.inverse.setValue(*definition, before);
    }
    for (const QString &key : changes.relationshipKeys()) {
        const ChangeSet::RelationshipChange change = changes.relationshipChange(key);
        const RelationshipDefinition *definition = schema.relationship(key);
        const Cardinality cardinality = definition ? definition->cardinality() : change.cardinality;
        const QStringList before = current->relatedIds(key);
        baseValues.insert(key, baseIds(before, cardinality));
        const QStringList after = applyChange(before, change);
        if (!definition || sameIds(before, after))
            continue;
        if (cardinality == Cardinality::HasOne) {
            if (before.isEmpty())
                result.inverse.setRelationship(*definition, ChangeSet::Operation::Remove, after);
            else
                result.inverse.setRelationship(*definition, ChangeSet::Operation::Replace, before);
            continue;
        }
        // HAS_MANY: the difference taken back, never `replace: []` (whether an empty replace
        // empties a relationship is not documented). Only when ids went both ways is the old
        // list replaced — and then it holds at least the removed ids.
        QStringList added;
        QStringList removed;
        for (const QString &id : after) {
            if (!before.contains(id))
                added << id;
        }
        for (const QString &id : before) {
            if (!after.contains(id))
                removed << id;
        }
        if (removed.isEmpty())
            result.inverse.setRelationship(*definition, ChangeSet::Operation::Remove, added);
        else if (added.isEmpty())
            result.inverse.setRelationship(*definition, ChangeSet::Operation::Add, removed);
        else
            result.inverse.setRelationship(*definition, ChangeSet::Operation::Replace, before);
    }

    // A cleared list goes out in the form this workspace takes (the Pusher learns it).
    const ChangeSet::ListClear listClear
        = ChangeSet::listClearFromName(m_store.meta(StoreMeta::kListClearForm).value_or(QString()));

    // The optimistic copy: the record as the rep sees it, with the changes applied.
    const QJsonObject body = changes.toUpdateJson(listClear);
    QJsonObject optimistic = RecordOverlay::applyUpdate(
        QJsonDocument::fromJson(stored->effectiveJson()).object(), body);
    QJsonObject fields = optimistic.value(kFields).toObject();
    for (const QString &key : changes.fieldKeys()) {
        QJsonObject field = fields.value(key).toObject();
        const FieldDefinition *definition = schema.field(key);
        if (definition && !field.contains(QLatin1String("valueType"))) {
            field.insert(QStringLiteral("valueType"), fieldTypeName(definition->type()));
            fields.insert(key, field);
        }
    }
    optimistic.insert(kFields, fields);
    QJsonObject relationships = optimistic.value(kRelationships).toObject();
    for (const QString &key : changes.relationshipKeys()) {
        QJsonObject relationship = relationships.value(key).toObject();
        const RelationshipDefinition *definition = schema.relationship(key);
        if (definition && !relationship.contains(QLatin1String("objectType"))) {
            relationship.insert(
                QStringLiteral("cardinality"), cardinalityName(definition->cardinality()));
            relationship.insert(QStringLiteral("objectType"), definition->objectType());
            relationships.insert(key, relationship);
        }
    }
    if (!relationships.isEmpty())
        optimistic.insert(kRelationships, relationships);

    const std::optional<OutboxRow> row = m_outbox.enqueueUpdate(objectType, recordId,
        Json::compact(body), stored->updatedAt, baseValues, Json::compact(optimistic));
    if (!row) {
        // A full disk has its own, complete sentence: what happened and what to do.
        result.error = m_store.lastErrorKind() == LocalStore::ErrorKind::DiskFull
            ? LocalStore::diskFullMessage()
            : translate("The change could not be saved: %1").arg(m_outbox.lastError());
        m_lastError = result.error;
        result.inverse = ChangeSet();
        return result;
    }
    result.ok = true;
    result.seq = row->seq;
    Q_EMIT recordChanged(objectType, recordId);
    return result;
}

QStringList RecordEditService::missingRequired(const ObjectSchema &schema, const ChangeSet &changes)
{
    QStringList missing;
    for (const FieldDefinition &definition : schema.fields()) {
        if (definition.isRequired()
            && (!changes.containsValue(definition.key())
                || changes.value(definition.key()).isNull())) {
            missing << definition.label();
        }
    }
    for (const RelationshipDefinition &definition : schema.relationships()) {
        const ChangeSet::RelationshipChange change = changes.relationshipChange(definition.key());
        if (definition.isRequired()
            && (!changes.containsRelationship(definition.key())
                || change.operation == ChangeSet::Operation::Remove || change.ids.isEmpty())) {
            missing << definition.label();
        }
    }
    return missing;
}

RecordEditService::Result RecordEditService::create(
    const ObjectSchema &schema, const ChangeSet &changes)
{
    Result result;
    result.applied = changes;
    m_lastError.clear();
    const QStringList missing = missingRequired(schema, changes);
    if (!missing.isEmpty()) {
        result.error = translate("Fill in %1 to create it.").arg(joinedLabels(missing));
        m_lastError = result.error;
        return result;
    }

    const QString objectType = schema.objectType();
    const QString temporaryId = Outbox::newTemporaryId();
    Record record(temporaryId);
    record.setCreatedAt(QDateTime::currentDateTimeUtc());
    for (const QString &key : changes.fieldKeys())
        record.setValue(key, changes.value(key));
    for (const QString &key : changes.relationshipKeys()) {
        const ChangeSet::RelationshipChange change = changes.relationshipChange(key);
        if (change.operation == ChangeSet::Operation::Remove)
            continue;
        const RelationshipDefinition *definition = schema.relationship(key);
        Relationship relationship;
        relationship.cardinality = definition ? definition->cardinality() : change.cardinality;
        relationship.objectType = definition ? definition->objectType() : QString();
        relationship.ids = change.ids;
        record.setRelationship(key, relationship);
    }

    const std::optional<OutboxRow> row = m_outbox.enqueueCreate(
        objectType, temporaryId, changes.toCreateBody(), Json::compact(record.toJson()));
    if (!row) {
        result.error = m_store.lastErrorKind() == LocalStore::ErrorKind::DiskFull
            ? LocalStore::diskFullMessage()
            : translate("The new record could not be saved: %1").arg(m_outbox.lastError());
        m_lastError = result.error;
        return result;
    }
    result.ok = true;
    result.seq = row->seq;
    result.recordId = temporaryId;
    Q_EMIT recordChanged(objectType, temporaryId);
    return result;
}

bool RecordEditService::undoCreate(const QString &objectType, const QString &temporaryId)
{
    m_lastError.clear();
    const QList<OutboxRow> rows = m_outbox.rowsFor(objectType, temporaryId);
    const OutboxRow *create = nullptr;
    for (const OutboxRow &row : rows) {
        if (row.op == Outbox::Op::Create)
            create = &row;
    }
    if (!Outbox::isTemporaryId(temporaryId) || !create || create->attempts > 0
        || create->state != Outbox::State::Pending) {
        m_lastError = objectType == QLatin1String("opportunity")
            ? translate("This deal is already on the server and can't be undone.")
            : translate("This record is already on the server and can't be undone.");
        return false;
    }
    if (!m_outbox.discard(create->seq)) {
        m_lastError
            = translate("The new record could not be removed: %1").arg(m_outbox.lastError());
        return false;
    }
    Q_EMIT recordChanged(objectType, temporaryId);
    return true;
}
