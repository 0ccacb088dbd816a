#include "store/recordoverlay.h"

#include <optional>

#include <QJsonArray>

namespace RecordOverlay {
namespace {

const QString kFields = QStringLiteral("fields");
const QString kRelationships = QStringLiteral("relationships");
const QString kValues = QStringLiteral("values");
const QString kValue = QStringLiteral("value");
const QString kAdd = QStringLiteral("add");
const QString kRemove = QStringLiteral("remove");
const QString kReplace = QStringLiteral("replace");
const QString kId = QStringLiteral("id");

// An id, an array of ids, or null, as an array.
QJsonArray idList(const QJsonValue &value)
{
    if (value.isArray())
        return value.toArray();
    if (value.isString())
        return QJsonArray {value};
    return {};
}

QJsonArray applyOperation(QJsonArray values, const QJsonObject &operation)
{
    if (operation.contains(kReplace))
        values = idList(operation.value(kReplace));
    const QJsonArray removed = idList(operation.value(kRemove));
    for (const QJsonValue &id : removed) {
        for (qsizetype i = values.size() - 1; i >= 0; --i) {
            if (values.at(i) == id)
                values.removeAt(i);
        }
    }
    const QJsonArray added = idList(operation.value(kAdd));
    for (const QJsonValue &id : added) {
        if (!values.contains(id))
            values.append(id);
    }
    return values;
}

QJsonValue replaceString(
    const QJsonValue &value, const QString &from, const QString &to, bool *changed)
{
    if (value.isString()) {
        if (value.toString() == from) {
            *changed = true;
            return to;
        }
        return value;
    }
    if (value.isArray()) {
        QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            array.replace(i, replaceString(array.at(i), from, to, changed));
        return array;
    }
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            it.value() = replaceString(it.value(), from, to, changed);
        return object;
    }
    return value;
}

bool hasStringWithPrefix(const QJsonValue &value, const QString &prefix)
{
    if (value.isString())
        return value.toString().startsWith(prefix);
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (const QJsonValue &item : array) {
            if (hasStringWithPrefix(item, prefix))
                return true;
        }
        return false;
    }
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (hasStringWithPrefix(it.value(), prefix))
                return true;
        }
    }
    return false;
}

} // namespace

QJsonObject applyUpdate(QJsonObject record, const QJsonObject &body)
{
    const QJsonObject bodyFields = body.value(kFields).toObject();
    if (!bodyFields.isEmpty()) {
        QJsonObject fields = record.value(kFields).toObject();
        for (auto it = bodyFields.begin(); it != bodyFields.end(); ++it) {
            QJsonObject field = fields.value(it.key()).toObject(); // keeps valueType
            field.insert(kValue, it.value());
            fields.insert(it.key(), field);
        }
        record.insert(kFields, fields);
    }
    const QJsonObject bodyRelationships = body.value(kRelationships).toObject();
    if (!bodyRelationships.isEmpty()) {
        QJsonObject relationships = record.value(kRelationships).toObject();
        for (auto it = bodyRelationships.begin(); it != bodyRelationships.end(); ++it) {
            QJsonObject relationship = relationships.value(it.key()).toObject();
            const QJsonArray values = relationship.value(kValues).toArray();
            relationship.insert(kValues,
                it.value().isObject() ? applyOperation(values, it.value().toObject())
                                      : idList(it.value()));
            relationships.insert(it.key(), relationship);
        }
        record.insert(kRelationships, relationships);
    }
    return record;
}

QJsonObject recordFromCreate(const QString &id, const QJsonObject &body)
{
    QJsonObject record {{kId, id}, {kFields, QJsonObject()}, {kRelationships, QJsonObject()}};
    return applyUpdate(record, body);
}

QJsonObject rewriteId(QJsonObject object, const QString &from, const QString &to, bool *changed)
{
    bool didChange = false;
    if (object.value(kId).toString() == from) {
        object.insert(kId, to);
        didChange = true;
    }
    if (object.contains(kRelationships)) {
        bool relationshipsChanged = false;
        const QJsonValue rewritten
            = replaceString(object.value(kRelationships), from, to, &relationshipsChanged);
        if (relationshipsChanged) {
            object.insert(kRelationships, rewritten);
            didChange = true;
        }
    }
    if (changed)
        *changed = didChange;
    return object;
}

bool referencesIdWithPrefix(const QJsonObject &body, const QString &prefix)
{
    return hasStringWithPrefix(body.value(kRelationships), prefix);
}

namespace {

QStringList opIds(const QJsonValue &value)
{
    QStringList ids;
    for (const QJsonValue &id : idList(value)) {
        if (!ids.contains(id.toString()))
            ids << id.toString();
    }
    return ids;
}

/**
 * An `add` and a `remove` on one key as one operation, when it means exactly "the earlier,
 * then the later" on any set the server holds: add A then remove B with A ⊆ B → remove B (what
 * was added goes again: the undo of an add); remove A then add B with A ⊆ B → add B. Nullopt
 * otherwise.
 */
std::optional<QJsonObject> foldSetOperations(const QJsonObject &earlier, const QJsonObject &later)
{
    const QString add = QStringLiteral("add");
    const QString remove = QStringLiteral("remove");
    if (earlier.size() != 1 || later.size() != 1)
        return std::nullopt;
    const QString first = earlier.constBegin().key();
    const QString second = later.constBegin().key();
    if ((first != add && first != remove) || (second != add && second != remove))
        return std::nullopt;
    const QStringList a = opIds(earlier.constBegin().value());
    const QStringList b = opIds(later.constBegin().value());
    if (first == second)
        return std::nullopt; // kept as two rows, in order
    for (const QString &id : a) {
        if (!b.contains(id))
            return std::nullopt;
    }
    return QJsonObject {{second, QJsonArray::fromStringList(b)}};
}

} // namespace

bool mergeBodies(
    const QJsonObject &earlier, const QJsonObject &later, bool earlierIsCreate, QJsonObject *merged)
{
    for (auto it = later.begin(); it != later.end(); ++it) {
        if (it.key() != kFields && it.key() != kRelationships)
            return false; // a body member we do not know how to combine
    }
    QJsonObject out = earlier;
    const QJsonObject laterFields = later.value(kFields).toObject();
    if (!laterFields.isEmpty()) {
        QJsonObject fields = earlier.value(kFields).toObject();
        for (auto it = laterFields.begin(); it != laterFields.end(); ++it)
            fields.insert(it.key(), it.value());
        out.insert(kFields, fields);
    }
    const QJsonObject laterRelationships = later.value(kRelationships).toObject();
    if (!laterRelationships.isEmpty()) {
        QJsonObject relationships = earlier.value(kRelationships).toObject();
        for (auto it = laterRelationships.begin(); it != laterRelationships.end(); ++it) {
            if (!it.value().isObject())
                return false;
            const QJsonObject operation = it.value().toObject();
            const bool isReplace = operation.size() == 1 && operation.contains(kReplace);
            if (earlierIsCreate) {
                // A create sets the whole relationship, so any later operation folds into it.
                const QJsonValue before = relationships.value(it.key());
                const QJsonArray after = applyOperation(idList(before), operation);
                if (before.isString() && after.size() == 1)
                    relationships.insert(it.key(), after.at(0));
                else
                    relationships.insert(it.key(), after);
            } else if (isReplace || !relationships.contains(it.key())) {
                relationships.insert(it.key(), operation);
            } else if (const QJsonObject before = relationships.value(it.key()).toObject();
                       before.size() == 1 && before.contains(kReplace)) {
                // A replace fixes the whole set, so later operations fold into it exactly.
                const QJsonValue ids = before.value(kReplace);
                const QJsonArray after = applyOperation(idList(ids), operation);
                relationships.insert(it.key(),
                    QJsonObject {{kReplace,
                        ids.isString() && after.size() == 1 ? after.at(0) : QJsonValue(after)}});
            } else if (const std::optional<QJsonObject> folded
                = foldSetOperations(relationships.value(it.key()).toObject(), operation)) {
                relationships.insert(it.key(), *folded);
            } else {
                return false; // e.g. add after remove of other ids: keep both rows, in order
            }
        }
        out.insert(kRelationships, relationships);
    }
    *merged = out;
    return true;
}

} // namespace RecordOverlay
