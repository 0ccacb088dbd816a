#include "export/plainvalues.h"
#include "domain/json.h"

#include "domain/fielddefinition.h"
#include "domain/fieldvalue.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QStringList>

namespace PlainValues {

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

QString neutralised(const QString &text)
{
    if (text.isEmpty())
        return text;
    switch (text.front().unicode()) {
    case u'=':
    case u'+':
    case u'-':
    case u'@':
    case u'\t':
    case u'\r':
        return QLatin1Char('\'') + text;
    default:
        return text;
    }
}

bool isNumber(const FieldValue &value)
{
    return !value.isNull() && !value.isRaw()
        && (value.type() == FieldType::Number || value.type() == FieldType::Currency);
}

QString isoUtc(const QDateTime &at)
{
    if (!at.isValid())
        return {};
    const QDateTime utc = at.toUTC();
    return utc.toString(utc.time().msec() != 0 ? Qt::ISODateWithMs : Qt::ISODate);
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

QString value(const FieldDefinition &definition, const FieldValue &value)
{
    if (value.isRaw())
        return Json::valueText(value.rawJson());
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
        return Json::valueText(value.toAddress().toJson());
    case FieldType::FullName:
        return Json::valueText(value.toFullName().toJson());
    case FieldType::Unknown:
        break;
    }
    return Json::valueText(value.toJson(definition));
}

} // namespace PlainValues
