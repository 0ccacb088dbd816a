#pragma once

#include "domain/objectschema.h"

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QList>
#include <QPointer>
#include <QString>

#include <functional>

class LightfieldClient;

/**
 * The deals a create set aside as "may already exist" (Outbox MayExist) might have become:
 * what the rep chooses from before answering "It is this one".
 *
 * **Loading** (load()): a list search for the create's `$name` (`equal`; the search index lags
 * and may hold an older copy), then a fresh `GET /v1/opportunities/{id}` of every deal it
 * found, so that each row shows the record as it is now, not the index's copy. A deal the GET
 * no longer finds (404) is left out. When the create names an `$account`, deals of that
 * account come first. finished(ok, error) once per load(); rows appear only then (one reset).
 * A failed search or GET (offline, 5xx…) gives ok = false and no rows: the rep can still
 * create anyway, discard or answer later.
 *
 * **Columns:** Name, Account, Amount, Stage, Created (DisplayRole; Created in local time and
 * the default QLocale). Roles: IdRole (the server id), RecordJsonRole (QByteArray, the fetched
 * record, read shape: what Outbox::adopt() stores).
 *
 * **Ownership.** Borrows the client (watched with QPointer; calls are abandoned when the model
 * goes). `accountName` maps an account id to its display name (the app reads its cache); ids
 * are shown when it is empty or returns nothing.
 */
class CreateCandidateModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CreateCandidateModel)

public:
    enum Column
    {
        NameColumn,
        AccountColumn,
        AmountColumn,
        StageColumn,
        CreatedColumn,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1, ///< QString: the deal's server id
        RecordJsonRole, ///< QByteArray: the freshly fetched record
    };

    using AccountName = std::function<QString(const QString &accountId)>;

    CreateCandidateModel(
        const ObjectSchema &schema, AccountName accountName, QObject *parent = nullptr);
    ~CreateCandidateModel() override;

    /** Looks for the deals `createBody` (a create's body) may have made; see Loading. */
    void load(LightfieldClient *client, const QJsonObject &createBody);
    bool isLoading() const { return m_loading; }

    /** The fetched record of `row` (read shape), or empty. */
    QByteArray recordJson(int row) const;
    QString recordId(int row) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    /** A load() ended: ok with 0…n rows, or not (`error` for the user). */
    void finished(bool ok, const QString &error);

private:
    struct Row
    {
        QString id;
        QJsonObject record;
        QStringList cells;
    };
    Row makeRow(const QJsonObject &record) const;
    void finish(
        bool ok, const QString &error, QList<QJsonObject> records, const QString &preferredAccount);

    ObjectSchema m_schema;
    AccountName m_accountName;
    QList<Row> m_rows;
    bool m_loading = false;
    quint64 m_generation = 0; ///< answers of an older load() are ignored
};
