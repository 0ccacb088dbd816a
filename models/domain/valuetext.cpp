#include "domain/valuetext.h"

#include "domain/fielddefinition.h"
#include "domain/fieldvalue.h"
#include "domain/json.h"
#include "domain/moneytext.h"

#include <QJsonArray>
#include <QJsonObject>

namespace {

const qint64 kDayMs = 24LL * 60 * 60 * 1000;

QString idsText(const QJsonValue &value)
{
    return Json::ids(value).join(QStringLiteral(", "));
}

} // namespace

QString ValueText::field(
    const FieldDefinition *definition, const QJsonValue &value, const QLocale &locale)
{
    if (value.isUndefined() || value.isNull())
        return {};
    if (!definition)
        return Json::valueText(value);
    const FieldValue typed = FieldValue::fromJson(*definition, value);
    if (typed.isRaw())
        return Json::valueText(typed.rawJson());
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
    return Json::valueText(value);
}

QString ValueText::relationship(const QJsonValue &value)
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
