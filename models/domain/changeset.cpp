#include "domain/changeset.h"
#include "domain/json.h"

#include "domain/objectschema.h"
#include "domain/record.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>

namespace {

QLatin1String operationName(ChangeSet::Operation operation)
{
    switch (operation) {
    case ChangeSet::Operation::Add:
        return QLatin1String("add");
    case ChangeSet::Operation::Remove:
        return QLatin1String("remove");
    case ChangeSet::Operation::Replace:
        break;
    }
    return QLatin1String("replace");
}

QStringList withoutDuplicates(const QStringList &ids)
{
    QStringList result;
    result.reserve(ids.size());
    for (const QString &id : ids) {
        if (!id.isEmpty() && !result.contains(id))
            result.append(id);
    }
    return result;
}

QStringList minus(const QStringList &from, const QStringList &what)
{
    QStringList result;
    for (const QString &id : from) {
        if (!what.contains(id))
            result.append(id);
    }
    return result;
}

// HAS_ONE takes one id string; everything else an array (as the API documents it).
QJsonValue idsToJson(const QStringList &ids, Cardinality cardinality)
{
    if (cardinality == Cardinality::HasOne && ids.size() == 1)
        return ids.constFirst();
    return QJsonArray::fromStringList(ids);
}

std::optional<QStringList> idsFromJson(const QJsonValue &json)
{
    if (json.isString())
        return QStringList {json.toString()};
    if (json.isNull())
        return QStringList();
    if (!json.isArray())
        return std::nullopt;
    QStringList ids;
    for (const QJsonValue &entry : json.toArray()) {
        if (!entry.isString())
            return std::nullopt;
        ids.append(entry.toString());
    }
    return ids;
}

} // namespace

ChangeSet ChangeSet::fromEdits(const ObjectSchema &schema, const Record &base,
    const QHash<QString, FieldValue> &editedValues,
    const QHash<QString, QStringList> &editedRelationships, RelationshipMode mode)
{
    ChangeSet changes;
    for (auto it = editedValues.constBegin(); it != editedValues.constEnd(); ++it) {
        const FieldDefinition *definition = schema.field(it.key());
        if (!definition) {
            changes.reject(it.key());
            continue;
        }
        if (it.value() == base.value(it.key()))
            continue;
        changes.setValue(*definition, it.value());
    }

    for (auto it = editedRelationships.constBegin(); it != editedRelationships.constEnd(); ++it) {
        const RelationshipDefinition *definition = schema.relationship(it.key());
        if (!definition) {
            changes.reject(it.key());
            continue;
        }
        const QStringList before = base.relatedIds(it.key());
        const QStringList after = withoutDuplicates(it.value());
        const QStringList added = minus(after, before);
        const QStringList removed = minus(before, after);
        if (added.isEmpty() && removed.isEmpty())
            continue;

        switch (definition->cardinality()) {
        case Cardinality::HasOne:
            if (after.isEmpty())
                changes.setRelationship(*definition, Operation::Remove, before);
            else
                changes.setRelationship(*definition, Operation::Replace, after);
            break;
        case Cardinality::HasMany:
            if (mode == RelationshipMode::Replace || (!added.isEmpty() && !removed.isEmpty()))
                changes.setRelationship(*definition, Operation::Replace, after);
            else if (!added.isEmpty())
                changes.setRelationship(*definition, Operation::Add, added);
            else
                changes.setRelationship(*definition, Operation::Remove, removed);
            break;
        case Cardinality::Unknown:
            changes.setRelationship(*definition, Operation::Replace, after);
            break;
        }
    }
    return changes;
}

ChangeSet ChangeSet::forCreate(const ObjectSchema &schema, const QHash<QString, FieldValue> &values,
    const QHash<QString, QStringList> &relationships)
{
    return fromEdits(schema, Record(), values, relationships, RelationshipMode::Difference);
}

ChangeSet ChangeSet::fromUpdateJson(const ObjectSchema &schema, const QJsonObject &body)
{
    ChangeSet changes;
    const QJsonObject fields = body.value(QLatin1String("fields")).toObject();
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) {
        const FieldDefinition *definition = schema.field(it.key());
        if (!definition) {
            changes.reject(it.key());
            continue;
        }
        changes.setValue(*definition, FieldValue::fromJson(*definition, it.value()));
    }

    const QJsonObject relationships = body.value(QLatin1String("relationships")).toObject();
    for (auto it = relationships.constBegin(); it != relationships.constEnd(); ++it) {
        const RelationshipDefinition *definition = schema.relationship(it.key());
        const QJsonObject operationJson = it.value().toObject();
        if (!definition || operationJson.size() != 1) {
            changes.reject(it.key());
            continue;
        }
        const QString name = operationJson.constBegin().key();
        const std::optional<QStringList> ids = idsFromJson(operationJson.constBegin().value());
        std::optional<Operation> operation;
        for (const Operation candidate : {Operation::Add, Operation::Remove, Operation::Replace}) {
            if (name == operationName(candidate))
                operation = candidate;
        }
        if (!operation || !ids) {
            changes.reject(it.key());
            continue;
        }
        changes.setRelationship(*definition, *operation, *ids);
    }
    return changes;
}

bool ChangeSet::setValue(const FieldDefinition &definition, const FieldValue &value)
{
    const bool typeFits = value.isNull() || value.type() == definition.type();
    if (!definition.isWritable() || value.isRaw() || !typeFits) {
        reject(definition.key());
        return false;
    }
    m_fields.insert(definition.key(),
        FieldChange {definition, value.isNull() ? FieldValue::null(definition.type()) : value});
    return true;
}

void ChangeSet::removeValue(const QString &key)
{
    m_fields.remove(key);
}

bool ChangeSet::setRelationship(
    const RelationshipDefinition &definition, Operation operation, const QStringList &ids)
{
    const QStringList unique = withoutDuplicates(ids);
    if (!definition.isValid() || definition.isReadOnly()
        || (definition.cardinality() == Cardinality::HasOne && unique.size() > 1)) {
        reject(definition.key());
        return false;
    }
    if (operation != Operation::Replace && unique.isEmpty()) {
        m_relationships.remove(definition.key());
        return true;
    }
    m_relationships.insert(
        definition.key(), RelationshipChange {operation, unique, definition.cardinality()});
    return true;
}

void ChangeSet::removeRelationship(const QString &key)
{
    m_relationships.remove(key);
}

FieldValue ChangeSet::value(const QString &key) const
{
    const auto it = m_fields.constFind(key);
    return it == m_fields.constEnd() ? FieldValue() : it->value;
}

int ChangeSet::referencedIdCount() const
{
    qsizetype count = 0;
    for (const RelationshipChange &change : m_relationships)
        count += change.ids.size();
    return static_cast<int>(count);
}

QStringList ChangeSet::rejectedKeys() const
{
    QStringList keys = m_rejectedKeys;
    keys.sort();
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
}

void ChangeSet::reject(const QString &key)
{
    m_rejectedKeys.append(key);
}

QJsonObject ChangeSet::fieldsJson(ListClear listClear) const
{
    QJsonObject fields;
    for (auto it = m_fields.constBegin(); it != m_fields.constEnd(); ++it) {
        QJsonValue json = it->value.toJson(it->definition);
        if (json.isNull() && listClear == ListClear::EmptyArray && it->definition.writesArray())
            json = QJsonArray();
        if (!json.isUndefined())
            fields.insert(it.key(), json);
    }
    return fields;
}

QString ChangeSet::listClearName(ListClear form)
{
    return form == ListClear::EmptyArray ? QStringLiteral("empty") : QStringLiteral("null");
}

ChangeSet::ListClear ChangeSet::listClearFromName(const QString &name)
{
    return name == QLatin1String("empty") ? ListClear::EmptyArray : ListClear::Null;
}

QStringList ChangeSet::listClearKeys(const ObjectSchema &schema, const QJsonObject &body)
{
    QStringList keys;
    const QJsonObject fields = body.value(QLatin1String("fields")).toObject();
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) {
        const FieldDefinition *definition = schema.field(it.key());
        const bool clears
            = it.value().isNull() || (it.value().isArray() && it.value().toArray().isEmpty());
        if (definition && definition->writesArray() && clears)
            keys << it.key();
    }
    return keys;
}

QJsonObject ChangeSet::withListClears(
    const ObjectSchema &schema, const QJsonObject &body, ListClear form)
{
    const QStringList keys = listClearKeys(schema, body);
    if (keys.isEmpty())
        return body;
    QJsonObject fields = body.value(QLatin1String("fields")).toObject();
    for (const QString &key : keys) {
        fields.insert(key,
            form == ListClear::EmptyArray ? QJsonValue(QJsonArray())
                                          : QJsonValue(QJsonValue::Null));
    }
    QJsonObject result = body;
    result.insert(QLatin1String("fields"), fields);
    return result;
}

QJsonObject ChangeSet::toUpdateJson(ListClear listClear) const
{
    QJsonObject body;
    const QJsonObject fields = fieldsJson(listClear);
    if (!fields.isEmpty())
        body.insert(QLatin1String("fields"), fields);
    QJsonObject relationships;
    for (auto it = m_relationships.constBegin(); it != m_relationships.constEnd(); ++it) {
        relationships.insert(it.key(),
            QJsonObject {{operationName(it->operation), idsToJson(it->ids, it->cardinality)}});
    }
    if (!relationships.isEmpty())
        body.insert(QLatin1String("relationships"), relationships);
    return body;
}

QByteArray ChangeSet::toUpdateBody(ListClear listClear) const
{
    return Json::compact(toUpdateJson(listClear));
}

QJsonObject ChangeSet::toCreateJson() const
{
    QJsonObject body;
    const QJsonObject fields = fieldsJson();
    if (!fields.isEmpty())
        body.insert(QLatin1String("fields"), fields);
    QJsonObject relationships;
    for (auto it = m_relationships.constBegin(); it != m_relationships.constEnd(); ++it) {
        if (it->operation == Operation::Remove)
            continue;
        relationships.insert(it.key(), idsToJson(it->ids, it->cardinality));
    }
    if (!relationships.isEmpty())
        body.insert(QLatin1String("relationships"), relationships);
    return body;
}

QByteArray ChangeSet::toCreateBody() const
{
    return Json::compact(toCreateJson());
}

bool operator==(const ChangeSet &a, const ChangeSet &b)
{
    if (a.m_relationships != b.m_relationships || a.m_fields.size() != b.m_fields.size())
        return false;
    for (auto it = a.m_fields.constBegin(); it != a.m_fields.constEnd(); ++it) {
        const auto other = b.m_fields.constFind(it.key());
        if (other == b.m_fields.constEnd() || !(other->value == it->value))
            return false;
    }
    return true;
}
