// ChangeSet: edits of a record, turned into the update and create bodies the API receives,
// applied to the cached record the way the outbox does (RecordOverlay) and read back.
//
// Input, a JSON object:
//     {"base": <record, read shape>,
//      "edits": {key: <write-shape value> | {"valueType": T, "value": v}},
//      "relationships": {key: [ids] | "id"},
//      "mode": "replace" | anything (Difference)}
// An edit in the {valueType, value} form is read by that type, not the field's, so values of
// the wrong type reach ChangeSet too.
//
// Properties:
//  - fromEdits() keeps exactly the edits that differ from the base and are writable, with the
//    edited value; refuses the others (rejectedKeys());
//  - the update body read back (fromUpdateJson()) is an equal ChangeSet with the same bytes;
//  - the body applied to the base record (RecordOverlay::applyUpdate()) and read back with the
//    schema gives the edited values and the edited relationship ids, and leaves every other
//    field as it was (except a field whose server copy carries an unknown or contradicting
//    `valueType`, see checkApplied());
//  - a create body applied to an empty record (RecordOverlay::recordFromCreate()) reads back
//    as the values and ids created.

#include "domain/changeset.h"
#include "domain/json.h"
#include "domain/record.h"
#include "fuzzsupport.h"
#include "store/recordoverlay.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace {

QSet<QString> asSet(const QStringList &ids)
{
    return QSet<QString>(ids.cbegin(), ids.cend());
}

QStringList idsOf(const QJsonValue &json)
{
    QStringList ids;
    if (json.isString())
        ids.append(json.toString());
    for (const QJsonValue &entry : json.toArray())
        ids.append(entry.toString());
    return ids;
}

QStringList withoutEmpty(const QStringList &ids)
{
    QStringList result;
    for (const QString &id : ids) {
        if (!id.isEmpty())
            result.append(id);
    }
    return result;
}

QString body(const ChangeSet &changes)
{
    return QString::fromUtf8(changes.toUpdateBody());
}

void checkBodyRoundTrip(const ChangeSet &changes, const ObjectSchema &schema)
{
    const QByteArray bytes = changes.toUpdateBody();
    const ChangeSet read
        = ChangeSet::fromUpdateJson(schema, QJsonDocument::fromJson(bytes).object());
    CHECK_MSG(read == changes,
        QString::fromUtf8(bytes) + QStringLiteral(" read back as ")
            + QString::fromUtf8(read.toUpdateBody()));
    CHECK_MSG(read.toUpdateBody() == bytes, QString::fromUtf8(bytes));
    CHECK_MSG(read.rejectedKeys().isEmpty(), read.rejectedKeys().join(QLatin1Char(',')));
}

void checkApplied(const ChangeSet &changes, const Record &base, const ObjectSchema &schema)
{
    const QJsonObject applied = RecordOverlay::applyUpdate(base.toJson(), changes.toUpdateJson());
    const Record after = Record::fromJson(applied, schema);
    const QString context
        = body(changes) + QStringLiteral(" on ") + QString::fromUtf8(Json::compact(base.toJson()));

    for (const QString &key : changes.fieldKeys()) {
        // RecordOverlay works on JSON alone and keeps the server copy's `valueType`. When that
        // type is unknown or disagrees with the definition, the edited value reads back raw
        // until the server answers with its own copy: known and left as it is (see
        // docs/reliability.md, "Fuzzing").
        const FieldValue::Problem before = base.value(key).problem();
        if (before == FieldValue::Problem::UnknownType
            || before == FieldValue::Problem::TypeMismatch) {
            continue;
        }
        CHECK_MSG(after.value(key) == changes.value(key),
            context
                + QStringLiteral("\n%1 reads back as %2, edited %3")
                      .arg(key, after.value(key).debugString(), changes.value(key).debugString()));
    }
    for (auto it = base.fields().constBegin(); it != base.fields().constEnd(); ++it) {
        if (!changes.containsValue(it.key()))
            CHECK_MSG(after.value(it.key()) == it.value(), context + QLatin1Char('\n') + it.key());
    }
    for (const QString &key : changes.relationshipKeys()) {
        const ChangeSet::RelationshipChange change = changes.relationshipChange(key);
        QSet<QString> expected = asSet(base.relatedIds(key));
        switch (change.operation) {
        case ChangeSet::Operation::Add:
            expected.unite(asSet(change.ids));
            break;
        case ChangeSet::Operation::Remove:
            expected.subtract(asSet(change.ids));
            break;
        case ChangeSet::Operation::Replace:
            expected = asSet(change.ids);
            break;
        }
        CHECK_MSG(asSet(after.relatedIds(key)) == expected, context + QLatin1Char('\n') + key);
    }
}

void checkCreate(const QHash<QString, FieldValue> &values,
    const QHash<QString, QStringList> &relationships, const ObjectSchema &schema)
{
    const ChangeSet changes = ChangeSet::forCreate(schema, values, relationships);
    const QJsonObject created = RecordOverlay::recordFromCreate(
        QStringLiteral("tmp_fuzz"), QJsonDocument::fromJson(changes.toCreateBody()).object());
    const Record record = Record::fromJson(created, schema);
    const QString context = QString::fromUtf8(changes.toCreateBody());
    for (const QString &key : changes.fieldKeys()) {
        CHECK_MSG(record.value(key) == changes.value(key),
            context
                + QStringLiteral("\n%1 reads back as %2")
                      .arg(key, record.value(key).debugString()));
    }
    for (const QString &key : changes.relationshipKeys()) {
        CHECK_MSG(asSet(record.relatedIds(key)) == asSet(changes.relationshipChange(key).ids),
            context + QLatin1Char('\n') + key);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QJsonDocument document = QJsonDocument::fromJson(FuzzSupport::bytes(data, size));
    if (!document.isObject())
        return -1;
    const QJsonObject input = document.object();
    const ObjectSchema &schema = FuzzSupport::schema();
    const Record base = Record::fromJson(input.value(QLatin1String("base")).toObject(), schema);

    QHash<QString, FieldValue> edited;
    const QJsonObject edits = input.value(QLatin1String("edits")).toObject();
    for (auto it = edits.constBegin(); it != edits.constEnd(); ++it) {
        const QJsonObject wrapped = it.value().toObject();
        const FieldDefinition *definition = schema.field(it.key());
        if (wrapped.contains(QLatin1String("valueType"))) {
            const FieldType type
                = fieldTypeFromName(wrapped.value(QLatin1String("valueType")).toString());
            edited.insert(
                it.key(), FieldValue::fromJson(type, wrapped.value(QLatin1String("value"))));
        } else if (definition) {
            edited.insert(it.key(), FieldValue::fromJson(*definition, it.value()));
        } else {
            edited.insert(it.key(), FieldValue::fromJson(FieldType::Text, it.value()));
        }
    }
    QHash<QString, QStringList> editedRelationships;
    const QJsonObject relationships = input.value(QLatin1String("relationships")).toObject();
    for (auto it = relationships.constBegin(); it != relationships.constEnd(); ++it)
        editedRelationships.insert(it.key(), idsOf(it.value()));
    const ChangeSet::RelationshipMode mode
        = input.value(QLatin1String("mode")).toString() == QLatin1String("replace")
        ? ChangeSet::RelationshipMode::Replace
        : ChangeSet::RelationshipMode::Difference;

    const ChangeSet changes = ChangeSet::fromEdits(schema, base, edited, editedRelationships, mode);

    // Exactly the writable edits that change something, with the edited value.
    const QStringList rejected = changes.rejectedKeys();
    for (auto it = edited.constBegin(); it != edited.constEnd(); ++it) {
        const FieldDefinition *definition = schema.field(it.key());
        const FieldValue &value = it.value();
        if (!definition) {
            CHECK(!changes.containsValue(it.key()) && rejected.contains(it.key()));
            continue;
        }
        if (value == base.value(it.key())) {
            CHECK(!changes.containsValue(it.key()));
            continue;
        }
        const bool writable = definition->isWritable() && !value.isRaw()
            && (value.isNull() || value.type() == definition->type());
        CHECK_MSG(changes.containsValue(it.key()) == writable, it.key());
        if (writable)
            CHECK_MSG(
                changes.value(it.key()) == value, it.key() + QLatin1Char(' ') + body(changes));
        else
            CHECK(rejected.contains(it.key()));
    }
    for (const QString &key : changes.relationshipKeys()) {
        CHECK(editedRelationships.contains(key));
        // The edit's result, whatever operation expresses it.
        QSet<QString> expected = asSet(withoutEmpty(editedRelationships.value(key)));
        const ChangeSet::RelationshipChange change = changes.relationshipChange(key);
        QSet<QString> result = asSet(base.relatedIds(key));
        if (change.operation == ChangeSet::Operation::Add)
            result.unite(asSet(change.ids));
        else if (change.operation == ChangeSet::Operation::Remove)
            result.subtract(asSet(change.ids));
        else
            result = asSet(change.ids);
        CHECK_MSG(result == expected, key + QLatin1Char(' ') + body(changes));
    }

    checkBodyRoundTrip(changes, schema);
    checkApplied(changes, base, schema);
    checkCreate(edited, editedRelationships, schema);
    return 0;
}
