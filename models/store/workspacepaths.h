#pragma once

#include <QString>
#include <QUrl>

/**
 * Where a workspace's cache lives: one SQLite file per workspace under
 * `AppDataLocation/workspaces/<workspace id>/cache.sqlite`.
 *
 * A workspace is a base URL plus the account identity (organisation and member id, as the
 * server reports them) — never the API key, which may be rotated and must not leave the
 * keychain. Pure functions; safe from any thread.
 */
namespace WorkspacePaths {

/**
 * A stable, file-name-safe id: the first 32 hex digits of SHA-256 over the normalised base
 * URL (lower-case scheme and host, default port dropped, no trailing slash) and the account
 * identity. Equal inputs give equal ids on every platform.
 */
QString workspaceId(const QUrl &baseUrl, const QString &accountIdentity);

/**
 * The cache file of a workspace: `<root>/workspaces/<workspaceId()>/cache.sqlite`. `root`
 * defaults to QStandardPaths::writableLocation(AppDataLocation); tests pass a QTemporaryDir.
 * The folder is not created here (LocalStore::open() does that).
 */
QString databasePath(
    const QUrl &baseUrl, const QString &accountIdentity, const QString &root = QString());

} // namespace WorkspacePaths
