#include "itemmodels/namedirectory.h"

#include <QJsonArray>
#include <QJsonValue>

void NameDirectory::insert(const QString &id, const QString &name)
{
    if (id.isEmpty())
        return;
    if (name.isEmpty())
        m_names.remove(id);
    else
        m_names.insert(id, name);
}

QString NameDirectory::nameOf(const QJsonObject &record)
{
    const QJsonObject fields = record.value(QLatin1String("fields")).toObject();
    const QJsonValue name
        = fields.value(QLatin1String("$name")).toObject().value(QLatin1String("value"));
    if (name.isString())
        return name.toString().trimmed();
    if (name.isObject()) {
        const QJsonObject parts = name.toObject();
        const QString first = parts.value(QLatin1String("firstName")).toString().trimmed();
        const QString last = parts.value(QLatin1String("lastName")).toString().trimmed();
        if (!first.isEmpty() && !last.isEmpty())
            return first + QLatin1Char(' ') + last;
        if (!first.isEmpty() || !last.isEmpty())
            return first.isEmpty() ? last : first;
    }
    const QJsonValue email
        = fields.value(QLatin1String("$email")).toObject().value(QLatin1String("value"));
    if (email.isString())
        return email.toString();
    if (email.isArray())
        return email.toArray().at(0).toString();
    return {};
}
