#include "domain/json.h"

#include <QJsonDocument>
#include <QLocale>

namespace Json {

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray compact(const QJsonArray &array)
{
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

QString numberText(double number)
{
    return QString::number(number, 'f', QLocale::FloatingPointShortest);
}

QString valueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double:
        return numberText(value.toDouble());
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Array:
        return QString::fromUtf8(compact(value.toArray()));
    case QJsonValue::Object:
        return QString::fromUtf8(compact(value.toObject()));
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

QString literal(const QJsonValue &value)
{
    if (!value.isString())
        return valueText(value);
    // QJsonDocument escapes strings only inside a container: write ["…"] and strip the brackets.
    const QByteArray wrapped = compact(QJsonArray {value});
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

QStringList ids(const QJsonValue &value)
{
    QStringList result;
    if (value.isString()) {
        if (!value.toString().isEmpty())
            result << value.toString();
    } else if (value.isArray()) {
        for (const QJsonValue &id : value.toArray()) {
            if (id.isString())
                result << id.toString();
        }
    }
    return result;
}

} // namespace Json
