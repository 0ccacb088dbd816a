#include "sync/conflictresolution.h"
#include "domain/json.h"

#include "logging.h"
#include "store/outbox.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <optional>

namespace {

const QLatin1String kFields("fields");
const QLatin1String kRelationships("relationships");

} // namespace

ConflictResolution ConflictResolution::resolve(const QJsonObject &body,
    const QJsonObject &baseValues, const QJsonObject &theirs, const QHash<QString, Choice> &choices)
{
    const Merge::Result merge = Merge::threeWay(body, baseValues, theirs);
    ConflictResolution resolution;
    resolution.m_conflicts = merge.conflicts;
    resolution.m_baseValues = merge.baseValues;
    resolution.m_baseUpdatedAt = theirs.value(QLatin1String("updatedAt")).toString();
    QJsonObject fields = merge.body.value(kFields).toObject();
    QJsonObject relationships = merge.body.value(kRelationships).toObject();
    for (const Merge::FieldConflict &conflict : merge.conflicts) {
        const auto choice = choices.constFind(conflict.key);
        if (choice == choices.constEnd()) {
            resolution.m_unresolved << conflict.key;
            continue;
        }
        if (*choice == Choice::Theirs)
            continue;
        (conflict.relationship ? relationships : fields).insert(conflict.key, conflict.mine);
        resolution.m_baseValues.insert(conflict.key, conflict.theirs);
    }
    resolution.m_body = merge.body;
    resolution.m_body.remove(kFields);
    resolution.m_body.remove(kRelationships);
    if (!fields.isEmpty())
        resolution.m_body.insert(kFields, fields);
    if (!relationships.isEmpty())
        resolution.m_body.insert(kRelationships, relationships);
    return resolution;
}

ConflictResolution ConflictResolution::resolveAll(const QJsonObject &body,
    const QJsonObject &baseValues, const QJsonObject &theirs, Choice choice)
{
    QHash<QString, Choice> choices;
    for (const Merge::FieldConflict &conflict :
        Merge::threeWay(body, baseValues, theirs).conflicts) {
        choices.insert(conflict.key, choice);
    }
    return resolve(body, baseValues, theirs, choices);
}

QByteArray ConflictResolution::bodyJson() const
{
    return Json::compact(m_body);
}

bool ConflictResolution::isDiscard() const
{
    return m_body.value(kFields).toObject().isEmpty()
        && m_body.value(kRelationships).toObject().isEmpty();
}

bool ConflictResolution::apply(Outbox &outbox, qint64 seq, const ConflictResolution &resolution)
{
    if (!resolution.m_unresolved.isEmpty()) {
        qCWarning(lcOutbox) << "conflict of row" << seq
                            << "not applied:" << resolution.m_unresolved.size()
                            << "keys without a choice";
        return false;
    }
    const std::optional<OutboxRow> row = outbox.row(seq);
    if (!row || row->state != OutboxRow::State::Conflict)
        return false;
    if (resolution.isDiscard()) {
        qCInfo(lcOutbox) << "conflict of row" << seq << "resolved: the server's values kept";
        return outbox.discard(seq);
    }
    qCInfo(lcOutbox) << "conflict of row" << seq << "resolved; queued again";
    return outbox.resolveConflict(
        seq, resolution.bodyJson(), resolution.m_baseUpdatedAt, resolution.m_baseValues);
}
