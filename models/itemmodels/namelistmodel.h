#pragma once

#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QSortFilterProxyModel>
#include <QString>
#include <QStringList>

class LocalStore;

/** One record a relationship picker can offer: its id and display name. */
struct NamedRecord
{
    QString id;
    QString name;

    friend bool operator==(const NamedRecord &, const NamedRecord &) = default;
};

/**
 * The records of one object type a relationship picker offers (accounts, members, contacts),
 * as {id, name} rows sorted by name. Filled by the caller — usually from the
 * local mirror with fromStore(), so pickers work offline — and shared by every picker of that
 * type (the deal form, the new-deal dialog).
 *
 * A thin adapter over a vector: the folded form of each name (TextFold) is
 * computed once when rows arrive, so searching never folds names again. Rows are found by id
 * through a hash. setRecords() is one model reset.
 *
 * Roles: Qt::DisplayRole / Qt::EditRole the name (the id when the name is empty),
 * IdRole the id, FoldedNameRole the folded name.
 */
class NameListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NameListModel)

public:
    enum Role
    {
        IdRole = Qt::UserRole,
        FoldedNameRole,
    };

    explicit NameListModel(QObject *parent = nullptr);
    ~NameListModel() override;

    /** Replaces the rows (one reset); entries without an id are skipped, duplicates keep the last.
     */
    void setRecords(const QList<NamedRecord> &records);
    QList<NamedRecord> records() const;

    /**
     * {id, name} of every record of `objectType` in the store (not deleted), named by
     * NameDirectory::nameOf() on the copy the rep sees (queued edits included).
     */
    static QList<NamedRecord> fromStore(const LocalStore &store, const QString &objectType);

    /** The name of `id`, or a null string when the model does not hold it. */
    QString nameOf(const QString &id) const;
    /** The name of `id`, or `id` itself when unknown (what a picker shows). */
    QString displayName(const QString &id) const;
    bool contains(const QString &id) const { return m_rowOfId.contains(id); }
    /** The row of `id`, or -1. */
    int rowOfId(const QString &id) const { return m_rowOfId.value(id, -1); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    struct Row
    {
        QString id;
        QString name;
        QString folded;
    };

    QList<Row> m_rows;
    QHash<QString, int> m_rowOfId;
};

/**
 * The rows of a NameListModel whose name contains a search text, compared case- and
 * accent-insensitively ("sao" finds "São Paulo Imports"), minus a set of excluded ids (a
 * HAS_MANY picker hides what is already chosen). An empty search matches every row.
 */
class NameFilterProxyModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NameFilterProxyModel)

public:
    explicit NameFilterProxyModel(QObject *parent = nullptr);
    ~NameFilterProxyModel() override;

    /** Sets the text to search for; folded here. */
    void setSearchText(const QString &text);
    QString searchText() const { return m_search; }
    void setExcludedIds(const QStringList &ids);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_search;
    QString m_folded;
    QStringList m_excluded;
};
