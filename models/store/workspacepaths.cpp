#include "store/workspacepaths.h"

#include <QCryptographicHash>
#include <QDir>
#include <QStandardPaths>

namespace WorkspacePaths {

QString workspaceId(const QUrl &baseUrl, const QString &accountIdentity)
{
    QUrl url = baseUrl.adjusted(QUrl::StripTrailingSlash | QUrl::NormalizePathSegments
        | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo);
    if (url.path() == QLatin1String("/"))
        url.setPath(QString());
    url.setScheme(url.scheme().toLower());
    url.setHost(url.host().toLower());
    if ((url.scheme() == QLatin1String("https") && url.port() == 443)
        || (url.scheme() == QLatin1String("http") && url.port() == 80)) {
        url.setPort(-1);
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    // The prefix versions the scheme, so a future change cannot collide with old folders.
    hash.addData(QByteArrayLiteral("lightfield-workspace-v1\n"));
    hash.addData(url.toString(QUrl::FullyEncoded).toUtf8());
    hash.addData(QByteArrayLiteral("\n"));
    hash.addData(accountIdentity.toUtf8());
    return QString::fromLatin1(hash.result().toHex().left(32));
}

QString databasePath(const QUrl &baseUrl, const QString &accountIdentity, const QString &root)
{
    const QString base
        = root.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) : root;
    return QDir(base).filePath(
        QStringLiteral("workspaces/%1/cache.sqlite").arg(workspaceId(baseUrl, accountIdentity)));
}

} // namespace WorkspacePaths
