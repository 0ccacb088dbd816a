#include "itemmodels/namelistmodel.h"

#include "itemmodels/namedirectory.h"
#include "itemmodels/textfold.h"
#include "store/localstore.h"

#include <QCollator>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

NameListModel::NameListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

NameListModel::~NameListModel() = default;

void NameListModel::setRecords(const QList<NamedRecord> &records)
{
    QHash<QString, QString> byId;
    byId.reserve(records.size());
    for (const NamedRecord &record : records) {
        if (!record.id.isEmpty())
            byId.insert(record.id, record.name);
    }

    QList<Row> rows;
    rows.reserve(byId.size());
    for (auto it = byId.cbegin(); it != byId.cend(); ++it) {
        const QString shown = it.value().isEmpty() ? it.key() : it.value();
        rows.append({it.key(), it.value(), TextFold::fold(shown)});
    }
    QCollator collator;
    collator.setCaseSensitivity(Qt::CaseInsensitive);
    std::sort(rows.begin(), rows.end(), [&collator](const Row &a, const Row &b) {
        const int order = collator.compare(a.folded, b.folded);
        return order != 0 ? order < 0 : a.id < b.id;
    });

    beginResetModel();
    m_rows = std::move(rows);
    m_rowOfId.clear();
    m_rowOfId.reserve(m_rows.size());
    for (int row = 0; row < m_rows.size(); ++row)
        m_rowOfId.insert(m_rows.at(row).id, row);
    endResetModel();
}

QList<NamedRecord> NameListModel::records() const
{
    QList<NamedRecord> out;
    out.reserve(m_rows.size());
    for (const Row &row : m_rows)
        out.append({row.id, row.name});
    return out;
}

QList<NamedRecord> NameListModel::fromStore(const LocalStore &store, const QString &objectType)
{
    QList<NamedRecord> out;
    const QList<StoredRecord> stored = store.records(objectType);
    out.reserve(stored.size());
    for (const StoredRecord &record : stored) {
        const QJsonObject json = QJsonDocument::fromJson(record.effectiveJson()).object();
        out.append({record.id, NameDirectory::nameOf(json)});
    }
    return out;
}

QString NameListModel::nameOf(const QString &id) const
{
    const int row = rowOfId(id);
    return row < 0 ? QString() : m_rows.at(row).name;
}

QString NameListModel::displayName(const QString &id) const
{
    const QString name = nameOf(id);
    return name.isEmpty() ? id : name;
}

int NameListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant NameListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
    case Qt::AccessibleTextRole:
        return row.name.isEmpty() ? row.id : row.name;
    case IdRole:
        return row.id;
    case FoldedNameRole:
        return row.folded;
    default:
        return {};
    }
}

QHash<int, QByteArray> NameListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(IdRole, "recordId");
    names.insert(FoldedNameRole, "foldedName");
    return names;
}

NameFilterProxyModel::NameFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
}

NameFilterProxyModel::~NameFilterProxyModel() = default;

void NameFilterProxyModel::setSearchText(const QString &text)
{
    const QString folded = TextFold::fold(QStringView(text).trimmed());
    m_search = text;
    if (folded == m_folded)
        return;
    m_folded = folded;
    invalidateRowsFilter();
}

void NameFilterProxyModel::setExcludedIds(const QStringList &ids)
{
    if (ids == m_excluded)
        return;
    m_excluded = ids;
    invalidateRowsFilter();
}

bool NameFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_excluded.isEmpty() && m_excluded.contains(index.data(NameListModel::IdRole).toString()))
        return false;
    if (m_folded.isEmpty())
        return true;
    return index.data(NameListModel::FoldedNameRole).toString().contains(m_folded);
}
