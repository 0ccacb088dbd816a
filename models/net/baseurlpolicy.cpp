#include "net/baseurlpolicy.h"

#include <QHostAddress>
#include <QtGlobal>

QUrl BaseUrlPolicy::defaultUrl()
{
    return QUrl(QStringLiteral("https://api.lightfield.app"));
}

BaseUrlPolicy::Resolved BaseUrlPolicy::resolve(const QString &fromSettings)
{
    const QString fromEnvironment = qEnvironmentVariable(kEnvironmentVariable).trimmed();
    if (!fromEnvironment.isEmpty())
        return check(fromEnvironment, QStringLiteral("environment"));
    if (!fromSettings.trimmed().isEmpty())
        return check(fromSettings.trimmed(), QStringLiteral("settings"));
    return check(defaultUrl().toString(), QStringLiteral("default"));
}

BaseUrlPolicy::Resolved BaseUrlPolicy::check(const QString &candidate, const QString &source)
{
    Resolved result;
    result.source = source;
    auto refuse = [&result](const QString &why) {
        result.url = QUrl();
        result.error = why;
        return result;
    };

    const QUrl url(candidate.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.isRelative() || url.host().isEmpty())
        return refuse(QStringLiteral("“%1” is not a valid server address.").arg(candidate));
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("https") && scheme != QLatin1String("http"))
        return refuse(QStringLiteral("The server address must start with https:// (got “%1”).")
                          .arg(candidate));
    if (scheme == QLatin1String("http") && !isLoopbackHost(url.host()))
        return refuse(QStringLiteral("Refusing the unencrypted address “%1”: the API key would "
                                     "travel in clear text. Use https://.")
                          .arg(candidate));
    if (!url.userInfo().isEmpty() || url.hasQuery() || url.hasFragment())
        return refuse(QStringLiteral("The server address “%1” must not contain a user name, a "
                                     "query or a fragment.")
                          .arg(url.toDisplayString(QUrl::RemoveUserInfo)));

    QUrl normalised = url;
    normalised.setScheme(scheme);
    QString path = normalised.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    normalised.setPath(path);
    result.url = normalised;
    return result;
}

bool BaseUrlPolicy::isLoopbackHost(const QString &host)
{
    const QString lower = host.toLower();
    if (lower == QLatin1String("localhost") || lower.endsWith(QLatin1String(".localhost")))
        return true;
    QString bare = lower;
    if (bare.startsWith(QLatin1Char('[')) && bare.endsWith(QLatin1Char(']')))
        bare = bare.mid(1, bare.size() - 2);
    QHostAddress address;
    if (!address.setAddress(bare))
        return false;
    return address.isLoopback();
}
