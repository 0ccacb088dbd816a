#include "net/capabilities.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Capabilities", text);
}

QStringList stringsOf(const QJsonValue &value, bool *ok)
{
    QStringList list;
    if (!value.isArray()) {
        *ok = false;
        return list;
    }
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isString()) {
            *ok = false;
            return {};
        }
        list.append(item.toString());
    }
    return list;
}

} // namespace

QStringList Capabilities::readTypes()
{
    return {QStringLiteral("opportunities"), QStringLiteral("accounts"), QStringLiteral("members"),
        QStringLiteral("contacts"), QStringLiteral("lists")};
}

Capabilities Capabilities::fromScopes(const QStringList &scopes)
{
    Capabilities capabilities;
    capabilities.m_source = Source::Scopes;
    for (const QString &scope : scopes) {
        const QString trimmed = scope.trimmed();
        if (!trimmed.isEmpty() && !capabilities.m_scopes.contains(trimmed))
            capabilities.m_scopes.append(trimmed);
    }
    return capabilities;
}

Capabilities Capabilities::fromProbes(const QStringList &unreadable)
{
    Capabilities capabilities;
    capabilities.m_source = Source::Probed;
    capabilities.m_unreadable = unreadable;
    capabilities.m_unreadable.removeDuplicates();
    return capabilities;
}

bool Capabilities::has(const QString &scope) const
{
    switch (m_source) {
    case Source::Assumed:
        return true;
    case Source::Scopes:
        // The API documents an empty list as full access.
        return m_scopes.isEmpty() || m_scopes.contains(scope);
    case Source::Probed:
        break;
    }
    if (!scope.endsWith(QLatin1String(":read")))
        return true; // writes cannot be probed: the server's 403 parks the write instead
    return !m_unreadable.contains(scope.left(scope.indexOf(QLatin1Char(':'))));
}

bool Capabilities::canReadObjectType(const QString &objectType) const
{
    static const QHash<QString, QString> plural {
        {QStringLiteral("opportunity"), QStringLiteral("opportunities")},
        {QStringLiteral("account"), QStringLiteral("accounts")},
        {QStringLiteral("member"), QStringLiteral("members")},
        {QStringLiteral("contact"), QStringLiteral("contacts")},
        {QStringLiteral("list"), QStringLiteral("lists")},
    };
    return canRead(plural.value(objectType, objectType));
}

QString Capabilities::editingNotice() const
{
    const bool edit = canEditDeals();
    const bool create = canCreateDeals();
    if (edit && create)
        return {};
    if (!edit && !create) {
        return tr("This key can only read deals, so editing is off. Sign in with a key that has "
                  "opportunities:update to edit.");
    }
    if (!edit) {
        return tr("This key can add deals but not change them, so editing is off. Sign in with a "
                  "key that has opportunities:update to edit.");
    }
    return tr("This key can change deals but not add them, so New Deal is off. Sign in with a "
              "key that has opportunities:create to add deals.");
}

QString Capabilities::writeRefusal(bool create) const
{
    if (create && !canCreateDeals()) {
        return tr("This workspace's API key can't create deals (it lacks the "
                  "opportunities:create scope); nothing was queued. Sign in with a key that has "
                  "it.");
    }
    if (!create && !canEditDeals()) {
        return tr("This workspace's API key can only read deals (it lacks the "
                  "opportunities:update scope); nothing was queued. Sign in with a key that has "
                  "it.");
    }
    return {};
}

QString Capabilities::namesNote(const QString &objectType) const
{
    if (canReadObjectType(objectType))
        return {};
    static const QHash<QString, QString> scopes {
        {QStringLiteral("account"), QStringLiteral("accounts:read")},
        {QStringLiteral("member"), QStringLiteral("members:read")},
        {QStringLiteral("contact"), QStringLiteral("contacts:read")},
    };
    return tr("Shown by id: this key can't read their names (it lacks %1).")
        .arg(scopes.value(objectType, objectType + QStringLiteral(":read")));
}

QJsonObject Capabilities::toJson() const
{
    QJsonObject json;
    switch (m_source) {
    case Source::Assumed:
        json.insert(QStringLiteral("source"), QStringLiteral("assumed"));
        break;
    case Source::Scopes:
        json.insert(QStringLiteral("source"), QStringLiteral("scopes"));
        json.insert(QStringLiteral("scopes"), QJsonArray::fromStringList(m_scopes));
        break;
    case Source::Probed:
        json.insert(QStringLiteral("source"), QStringLiteral("probed"));
        json.insert(QStringLiteral("unreadable"), QJsonArray::fromStringList(m_unreadable));
        break;
    }
    return json;
}

std::optional<Capabilities> Capabilities::fromJson(const QJsonObject &json)
{
    const QString source = json.value(QLatin1String("source")).toString();
    bool ok = true;
    if (source == QLatin1String("assumed"))
        return Capabilities();
    if (source == QLatin1String("scopes")) {
        const QStringList scopes = stringsOf(json.value(QLatin1String("scopes")), &ok);
        return ok ? std::optional<Capabilities>(fromScopes(scopes)) : std::nullopt;
    }
    if (source == QLatin1String("probed")) {
        const QStringList unreadable = stringsOf(json.value(QLatin1String("unreadable")), &ok);
        return ok ? std::optional<Capabilities>(fromProbes(unreadable)) : std::nullopt;
    }
    return std::nullopt;
}
