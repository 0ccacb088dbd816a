#pragma once

// Helpers shared by the LocalStore and Outbox tests: look at a cache file from the outside,
// on a connection of its own, so that what the store claims is checked independently.

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStringList>

#include <functional>

namespace StoreTest {

/** Runs `body` on a fresh QSQLITE connection to `path`, then closes it. */
inline void withConnection(const QString &path, const std::function<void(QSqlDatabase &)> &body)
{
    static int counter = 0;
    const QString name = QStringLiteral("store-test-%1").arg(++counter);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open())
            body(db);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

/** First column of the first row of `sql`, or an invalid QVariant. */
inline QVariant scalar(const QString &path, const QString &sql)
{
    QVariant result;
    withConnection(path, [&](QSqlDatabase &db) {
        QSqlQuery query(db);
        if (query.exec(sql) && query.next())
            result = query.value(0);
    });
    return result;
}

inline int userVersion(const QString &path)
{
    return scalar(path, QStringLiteral("PRAGMA user_version")).toInt();
}

/** Names of the tables and indexes in the file, sorted (SQLite's own excluded). */
inline QStringList schemaObjects(const QString &path)
{
    QStringList names;
    withConnection(path, [&](QSqlDatabase &db) {
        QSqlQuery query(db);
        query.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
                                  " ORDER BY name"));
        while (query.next())
            names << query.value(0).toString();
    });
    return names;
}

inline QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        && file.write(bytes) == bytes.size();
}

inline QByteArray sha256(const QString &path)
{
    return QCryptographicHash::hash(fileBytes(path), QCryptographicHash::Sha256).toHex();
}

/** A server copy in the API's read shape. */
inline QByteArray serverRecord(const QString &id, const QString &updatedAt, const QString &name,
    const QJsonObject &relationships = {})
{
    QJsonObject record {
        {QStringLiteral("id"), id},
        {QStringLiteral("createdAt"), QStringLiteral("2026-04-02T09:15:00.000Z")},
        {QStringLiteral("updatedAt"), updatedAt},
        {QStringLiteral("fields"),
            QJsonObject {{QStringLiteral("$name"),
                QJsonObject {{QStringLiteral("valueType"), QStringLiteral("TEXT")},
                    {QStringLiteral("value"), name}}}}},
        {QStringLiteral("relationships"), relationships},
    };
    return QJsonDocument(record).toJson(QJsonDocument::Compact);
}

inline QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

/** The `value` of field `key` in a read-shape record. */
inline QJsonValue fieldValue(const QByteArray &record, const QString &key)
{
    return object(record)
        .value(QLatin1String("fields"))
        .toObject()
        .value(key)
        .toObject()
        .value(QLatin1String("value"));
}

/**
 * Damages the file at `path` the way a torn write does: the root page of the index `index`
 * is overwritten with garbage, so that quick_check fails (and LocalStore::open() quarantines
 * the file) while the outbox table itself stays readable. The file must be closed.
 */
inline bool damageIndex(const QString &path, const QString &index)
{
    qint64 root = 0;
    qint64 pageSize = 0;
    withConnection(path, [&](QSqlDatabase &db) {
        QSqlQuery query(db);
        if (query.exec(QStringLiteral("PRAGMA page_size")) && query.next())
            pageSize = query.value(0).toLongLong();
        query.finish();
        query.prepare(QStringLiteral("SELECT rootpage FROM sqlite_master WHERE name = ?"));
        query.addBindValue(index);
        if (query.exec() && query.next())
            root = query.value(0).toLongLong();
    });
    if (root <= 1 || pageSize <= 0)
        return false;
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite) || !file.seek((root - 1) * pageSize))
        return false;
    return file.write(QByteArray(int(pageSize), '\xff')) == pageSize;
}

} // namespace StoreTest
