#include "sync/conflictresolution.h"

#include "domain/fielddefinition.h"
#include "domain/fieldvalue.h"
#include "domain/moneytext.h"
#include "logging.h"
#include "store/outbox.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <optional>

namespace {

const QLatin1String kFields("fields");
const QLatin1String kRelationships("relationships");
const qint64 kDayMs = 24LL * 60 * 60 * 1000;

QString compactText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 15);
    return {};
}

QString idsText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    QStringList ids;
    for (const QJsonValue &id : value.toArray()) {
        if (id.isString() && !id.toString().isEmpty())
            ids << id.toString();
    }
    return ids.join(QStringLiteral(", "));
}

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
    return QJsonDocument(m_body).toJson(QJsonDocument::Compact);
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

QString ConflictResolution::valueText(
    const FieldDefinition *definition, const QJsonValue &value, const QLocale &locale)
{
    if (value.isUndefined() || value.isNull())
        return {};
    if (!definition)
        return compactText(value);
    const FieldValue typed = FieldValue::fromJson(*definition, value);
    if (typed.isRaw())
        return compactText(typed.rawJson());
    if (typed.isNull())
        return {};
    switch (definition->type()) {
    case FieldType::Text:
    case FieldType::Markdown:
    case FieldType::SocialHandle:
        return typed.toText();
    case FieldType::SingleSelect:
        return definition->optionLabel(typed.toText());
    case FieldType::MultiSelect: {
        QStringList labels;
        for (const QString &id : typed.toStringList())
            labels << definition->optionLabel(id);
        return labels.join(QStringLiteral(", "));
    }
    case FieldType::Number:
        return locale.toString(typed.toDouble(), 'f', QLocale::FloatingPointShortest);
    case FieldType::Checkbox:
        return typed.toBool() ? tr("Yes") : tr("No");
    case FieldType::Currency:
        return MoneyText::format(locale, typed.toCents(), definition->currency());
    case FieldType::DateTime: {
        const QDateTime utc = typed.toDateTime().toUTC();
        // A date without a time (a close date): the day as stored, in any time zone.
        if (utc.toMSecsSinceEpoch() % kDayMs == 0)
            return locale.toString(utc.date(), QLocale::ShortFormat);
        return locale.toString(utc.toLocalTime(), QLocale::ShortFormat);
    }
    case FieldType::Email:
    case FieldType::Telephone:
    case FieldType::Url:
        return typed.toStringList().join(QStringLiteral(", "));
    case FieldType::Address:
        return typed.toAddress().displayText();
    case FieldType::FullName:
        return typed.toFullName().displayName();
    case FieldType::Unknown:
        break;
    }
    return compactText(value);
}

QString ConflictResolution::relationshipText(const QJsonValue &value)
{
    if (!value.isObject())
        return idsText(value);
    const QJsonObject operation = value.toObject();
    if (operation.contains(QLatin1String("add")))
        return tr("Add %1").arg(idsText(operation.value(QLatin1String("add"))));
    if (operation.contains(QLatin1String("remove")))
        return tr("Remove %1").arg(idsText(operation.value(QLatin1String("remove"))));
    return idsText(operation.value(QLatin1String("replace")));
}
