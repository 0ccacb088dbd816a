#include "domain/address.h"

#include <QJsonValue>
#include <QStringList>

#include <cmath>

namespace {

bool readText(const QJsonObject &json, QLatin1String key, QString *out)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isString())
        return false;
    *out = value.toString();
    return true;
}

bool readNumber(const QJsonObject &json, QLatin1String key, std::optional<double> *out)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isDouble())
        return false;
    *out = value.toDouble();
    return true;
}

} // namespace

bool Address::isEmpty() const
{
    return street.isEmpty() && street2.isEmpty() && city.isEmpty() && state.isEmpty()
        && postalCode.isEmpty() && country.isEmpty() && !latitude && !longitude;
}

std::optional<Address> Address::fromJson(const QJsonObject &json)
{
    Address address;
    const bool ok = readText(json, QLatin1String("street"), &address.street)
        && readText(json, QLatin1String("street2"), &address.street2)
        && readText(json, QLatin1String("city"), &address.city)
        && readText(json, QLatin1String("state"), &address.state)
        && readText(json, QLatin1String("postalCode"), &address.postalCode)
        && readText(json, QLatin1String("country"), &address.country)
        && readNumber(json, QLatin1String("latitude"), &address.latitude)
        && readNumber(json, QLatin1String("longitude"), &address.longitude);
    if (!ok)
        return std::nullopt;
    return address;
}

QJsonObject Address::toJson() const
{
    QJsonObject json;
    const auto putText = [&json](const char *key, const QString &value) {
        if (!value.isEmpty())
            json.insert(QLatin1String(key), value);
    };
    putText("street", street);
    putText("street2", street2);
    putText("city", city);
    putText("state", state);
    putText("postalCode", postalCode);
    putText("country", country);
    if (latitude && std::isfinite(*latitude))
        json.insert(QLatin1String("latitude"), *latitude);
    if (longitude && std::isfinite(*longitude))
        json.insert(QLatin1String("longitude"), *longitude);
    return json;
}

QJsonObject Address::toWriteJson() const
{
    // Every member, unset ones as null: the API may merge an address written on update with the
    // one it holds (a member left out keeps its old value) or replace it (a member left out is
    // cleared). Written whole, the object means the same under both readings.
    QJsonObject json = toJson();
    for (const char *key :
        {"street", "street2", "city", "state", "postalCode", "country", "latitude", "longitude"}) {
        if (!json.contains(QLatin1String(key)))
            json.insert(QLatin1String(key), QJsonValue(QJsonValue::Null));
    }
    return json;
}

QString Address::displayText() const
{
    QStringList parts;
    for (const QString &part : {street, street2, city}) {
        if (!part.isEmpty())
            parts.append(part);
    }
    QString region = state;
    if (!postalCode.isEmpty())
        region += (region.isEmpty() ? QString() : QStringLiteral(" ")) + postalCode;
    if (!region.isEmpty())
        parts.append(region);
    if (!country.isEmpty())
        parts.append(country);
    return parts.join(QStringLiteral(", "));
}
