#include "domain/fullname.h"

#include <QJsonValue>

namespace {

bool readPart(const QJsonObject &json, QLatin1String key, QString *out)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isString())
        return false;
    *out = value.toString();
    return true;
}

QJsonValue partToJson(const QString &part)
{
    return part.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(part);
}

} // namespace

QString FullName::displayName() const
{
    if (firstName.isEmpty())
        return lastName;
    if (lastName.isEmpty())
        return firstName;
    return firstName + QLatin1Char(' ') + lastName;
}

std::optional<FullName> FullName::fromJson(const QJsonObject &json)
{
    FullName name;
    if (!readPart(json, QLatin1String("firstName"), &name.firstName)
        || !readPart(json, QLatin1String("lastName"), &name.lastName)) {
        return std::nullopt;
    }
    return name;
}

QJsonObject FullName::toJson() const
{
    return QJsonObject {{QLatin1String("firstName"), partToJson(firstName)},
        {QLatin1String("lastName"), partToJson(lastName)}};
}
