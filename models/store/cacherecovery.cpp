#include "store/cacherecovery.h"

#include "logging.h"
#include "store/localstore.h"

#include <QAtomicInt>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>

namespace {

QAtomicInt s_connectionCounter;

const QString kMarkerSuffix = QStringLiteral(".recovered");
// Without checked_at: a damaged file may be of an older schema.
const QString kRowColumns = Outbox::rowColumns(false);

QString sqlText(const QSqlError &error)
{
    const QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    return text.isEmpty() ? QStringLiteral("unknown SQLite error") : text;
}

OutboxRow readRow(const QSqlQuery &query)
{
    // Queued again as new here: due now, whatever state it was in there.
    OutboxRow row = Outbox::rowFromQuery(query);
    row.state = OutboxRow::State::Pending;
    row.nextAttemptAt = QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
    return row;
}

QString nameFromRecord(const QByteArray &json)
{
    const QJsonValue name = QJsonDocument::fromJson(json)
                                .object()
                                .value(QLatin1String("fields"))
                                .toObject()
                                .value(QLatin1String("$name"));
    return name.isObject() ? name.toObject().value(QLatin1String("value")).toString()
                           : name.toString();
}

QStringList changedKeys(const QByteArray &body)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    QStringList keys = object.value(QLatin1String("fields")).toObject().keys();
    keys += object.value(QLatin1String("relationships")).toObject().keys();
    return keys;
}

// The records lookup goes through the primary-key index first; a damaged index is then
// bypassed with a table scan, which is slow but reads whatever pages are still intact.
void readRecordCopy(QSqlDatabase &db, CacheRecovery::Item *item)
{
    for (const QString &hint : {QString(), QStringLiteral(" NOT INDEXED")}) {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        if (!query.prepare(QStringLiteral("SELECT json, local_json FROM records%1"
                                          " WHERE object_type = ? AND id = ?")
                               .arg(hint))) {
            continue;
        }
        query.addBindValue(item->row.objectType);
        query.addBindValue(item->row.recordId);
        if (!query.exec())
            continue;
        if (query.next()) {
            item->serverJson = query.value(0).toByteArray();
            // The server's name says which deal it is, even when the edit renames it.
            const QString name = nameFromRecord(item->serverJson);
            item->dealName = name.isEmpty() ? nameFromRecord(query.value(1).toByteArray()) : name;
        }
        if (!query.lastError().isValid())
            return;
    }
}

bool openReadOnly(const QString &path, const QString &name, QString *error)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=2000"));
    if (!db.open()) {
        *error = sqlText(db.lastError());
        return false;
    }
    QSqlQuery probe(db);
    if (!probe.exec(QStringLiteral("SELECT COUNT(*) FROM sqlite_master")) || !probe.next()) {
        *error = sqlText(probe.lastError());
        return false;
    }
    return true;
}

void listFrom(QSqlDatabase &db, CacheRecovery::Listing *listing)
{
    QList<qint64> seqs;
    {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        if (!query.exec(QStringLiteral("SELECT seq FROM outbox ORDER BY seq"))) {
            listing->error
                = QStringLiteral("its queue cannot be read: %1").arg(sqlText(query.lastError()));
            return;
        }
        while (query.next())
            seqs << query.value(0).toLongLong();
        if (query.lastError().isValid()) {
            // The rows before the damaged page were listed; the rest cannot be reached in order.
            listing->unreadable << QStringLiteral("edits after #%1: %2")
                                       .arg(seqs.isEmpty() ? 0 : seqs.last())
                                       .arg(sqlText(query.lastError()));
        }
    }
    listing->ok = true;
    for (const qint64 seq : std::as_const(seqs)) {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        query.prepare(QStringLiteral("SELECT %1 FROM outbox WHERE seq = ?").arg(kRowColumns));
        query.addBindValue(seq);
        if (!query.exec() || !query.next()) {
            listing->unreadable
                << QStringLiteral("edit #%1: %2").arg(seq).arg(sqlText(query.lastError()));
            continue;
        }
        CacheRecovery::Item item;
        item.row = readRow(query);
        query.finish();
        if (!QJsonDocument::fromJson(item.row.body).isObject()
            || item.row.idempotencyKey.isEmpty()) {
            listing->unreadable << QStringLiteral("edit #%1: its body is damaged").arg(seq);
            continue;
        }
        item.changedKeys = changedKeys(item.row.body);
        readRecordCopy(db, &item);
        if (item.dealName.isEmpty() && item.row.op == OutboxRow::Op::Create)
            item.dealName = QJsonDocument::fromJson(item.row.body)
                                .object()
                                .value(QLatin1String("fields"))
                                .toObject()
                                .value(QLatin1String("$name"))
                                .toString();
        listing->items << item;
    }
}

} // namespace

QString CacheRecovery::recoveredMarkerPath(const QString &quarantinedFile)
{
    return quarantinedFile + kMarkerSuffix;
}

bool CacheRecovery::isRecovered(const QString &quarantinedFile)
{
    return QFileInfo::exists(recoveredMarkerPath(quarantinedFile));
}

QStringList CacheRecovery::quarantinedFiles(const QString &databasePath, bool includeRecovered)
{
    const QFileInfo info(databasePath);
    QDir dir = info.absoluteDir();
    const QString prefix = info.fileName() + QStringLiteral(".corrupt-");
    QStringList files;
    const QStringList names
        = dir.entryList({prefix + QLatin1Char('*')}, QDir::Files, QDir::Name | QDir::Reversed);
    for (const QString &name : names) {
        // The moved -wal / -shm / -journal travel with their database; the note is ours.
        const QString stamp = name.mid(prefix.size());
        if (stamp.contains(QLatin1Char('.')) || stamp.endsWith(QLatin1String("-wal"))
            || stamp.endsWith(QLatin1String("-shm")) || stamp.endsWith(QLatin1String("-journal"))) {
            continue;
        }
        const QString path = dir.filePath(name);
        if (!includeRecovered && isRecovered(path))
            continue;
        files << path;
    }
    return files; // the time stamp sorts: newest first
}

bool CacheRecovery::markRecovered(
    const QString &quarantinedFile, const Outcome &outcome, QString *error)
{
    QSaveFile file(recoveredMarkerPath(quarantinedFile));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    QStringList requeued;
    for (const qint64 seq : outcome.requeued)
        requeued << QString::number(seq);
    QStringList skipped;
    for (const qint64 seq : outcome.skippedDuplicates)
        skipped << QString::number(seq);
    const QString text
        = QStringLiteral("recovered at: %1\nrequeued: %2\nskipped (already queued): %3\n")
              .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate),
                  requeued.join(QLatin1Char(' ')), skipped.join(QLatin1Char(' ')));
    file.write(text.toUtf8());
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

CacheRecovery::Listing CacheRecovery::list(const QString &quarantinedFile)
{
    Listing listing;
    listing.file = quarantinedFile;
    if (!QFileInfo::exists(quarantinedFile)) {
        listing.error
            = QStringLiteral("%1 does not exist").arg(QDir::toNativeSeparators(quarantinedFile));
        return listing;
    }
    const QString name
        = QStringLiteral("lightfield-recovery-%1").arg(s_connectionCounter.fetchAndAddRelaxed(1));
    QTemporaryDir copyDir;
    {
        QString error;
        bool opened = openReadOnly(quarantinedFile, name, &error);
        if (!opened) {
            // E.g. a moved -wal without the -shm SQLite needs to read it read-only: read a copy
            // of the set, so the quarantined files themselves stay as they were.
            QSqlDatabase::removeDatabase(name);
            const QString copy = copyDir.filePath(QStringLiteral("copy.sqlite"));
            bool copied = copyDir.isValid() && QFile::copy(quarantinedFile, copy);
            for (const QString &suffix : {QStringLiteral("-wal"), QStringLiteral("-journal")}) {
                if (copied && QFileInfo::exists(quarantinedFile + suffix))
                    copied = QFile::copy(quarantinedFile + suffix, copy + suffix);
            }
            QString copyError;
            opened = copied && openReadOnly(copy, name, &copyError);
            if (!opened)
                listing.error = QStringLiteral("it cannot be opened: %1").arg(error);
        }
        if (opened) {
            QSqlDatabase db = QSqlDatabase::database(name, false);
            listFrom(db, &listing);
        }
        QSqlDatabase::database(name, false).close();
    }
    QSqlDatabase::removeDatabase(name);
    qCInfo(lcCache) << "damaged cache listed:" << listing.items.size() << "edits readable,"
                    << listing.unreadable.size() << "unreadable";
    return listing;
}

CacheRecovery::Outcome CacheRecovery::requeue(
    const Listing &listing, const QList<qint64> &seqs, LocalStore &store, Outbox &outbox)
{
    Outcome outcome;
    QList<qint64> picked = seqs;
    std::sort(picked.begin(), picked.end());
    picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
    for (const qint64 seq : std::as_const(picked)) {
        const auto found = std::find_if(listing.items.cbegin(), listing.items.cend(),
            [seq](const Item &item) { return item.row.seq == seq; });
        if (found == listing.items.cend()) {
            outcome.missing << seq;
            continue;
        }
        bool duplicate = false;
        if (!outbox.requeueRecovered(found->row, found->serverJson, &duplicate)) {
            if (duplicate)
                outcome.skippedDuplicates << seq;
            else
                outcome.failed << QStringLiteral("#%1: %2").arg(seq).arg(store.lastError());
            continue;
        }
        outcome.requeued << seq;
    }
    qCInfo(lcOutbox) << "recovered edits requeued:" << outcome.requeued.size() << "skipped"
                     << outcome.skippedDuplicates.size() << "failed" << outcome.failed.size();
    return outcome;
}
