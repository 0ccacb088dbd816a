#include "itemmodels/opportunitytablemodel.h"

#include <QVariant>

using namespace OpportunityRoles;

namespace {

const QList<int> &valueRoles()
{
    static const QList<int> roles {Qt::DisplayRole, Qt::EditRole, Qt::CheckStateRole,
        OpportunityRoles::SortRole, OpportunityRoles::RawValueRole,
        OpportunityRoles::SearchTextRole};
    return roles;
}

const QList<int> &syncRoles()
{
    static const QList<int> roles {OpportunityRoles::SyncStateRole, OpportunityRoles::PendingRole,
        OpportunityRoles::ConflictRole};
    return roles;
}

bool isCheckbox(const OpportunityTableModel::Column &column)
{
    return column.kind == ColumnKind::Field && column.type == FieldType::Checkbox;
}

/** Numbers, money and dates are right-aligned (not option positions or check boxes). */
QVariant alignment(const OpportunityTableModel::Column &column)
{
    if (column.numericSort && column.type != FieldType::SingleSelect
        && column.type != FieldType::Checkbox)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

} // namespace

OpportunityTableModel::OpportunityTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

OpportunityTableModel::~OpportunityTableModel() = default;

void OpportunityTableModel::setSchema(const ObjectSchema &schema)
{
    beginResetModel();
    m_store.setSchema(schema);
    ++m_revision;
    endResetModel();
}

void OpportunityTableModel::reload(const ObjectSchema &schema, const NameDirectory &names,
    qsizetype count, const std::function<Record(qsizetype)> &recordAt,
    const QHash<QString, SyncState> &syncStates)
{
    beginResetModel();
    m_store.setSchema(schema);
    m_store.setNames(names); // no rows yet: nothing to rewrite
    m_store.load(count, recordAt, syncStates);
    ++m_revision;
    endResetModel();
}

void OpportunityTableModel::setNameDirectory(const NameDirectory &names)
{
    cellsChanged(m_store.setNames(names));
}

void OpportunityTableModel::updateNames(const QHash<QString, QString> &names)
{
    cellsChanged(m_store.updateNames(names));
}

void OpportunityTableModel::upsertRecords(const QList<Record> &records)
{
    upsertRecords(records, {});
}

void OpportunityTableModel::upsertRecords(
    const QList<Record> &records, const QHash<QString, SyncState> &syncStates)
{
    QList<Record> fresh;
    cellsChanged(m_store.updateRows(records, &fresh));
    if (fresh.isEmpty())
        return;
    const int first = rowCount();
    beginInsertRows({}, first, first + int(fresh.size()) - 1);
    m_store.appendRows(fresh, syncStates);
    ++m_revision;
    endInsertRows();
}

void OpportunityTableModel::reserveRows(int rows)
{
    if (rows <= 0 || std::size_t(rows) <= m_store.capacity())
        return;
    m_store.reserve(std::size_t(rows));
}

void OpportunityTableModel::removeRecords(const QStringList &ids)
{
    const std::vector<int> rows = m_store.rowsOf(ids);
    // Last run first, so earlier row numbers stay valid.
    auto end = rows.size();
    while (end > 0) {
        std::size_t begin = end - 1;
        while (begin > 0 && rows[begin - 1] == rows[begin] - 1)
            --begin;
        const int first = rows[begin];
        const int last = rows[end - 1];
        beginRemoveRows({}, first, last);
        m_store.removeRows(first, last);
        ++m_revision;
        endRemoveRows();
        end = begin;
    }
}

void OpportunityTableModel::setSyncState(const QString &id, SyncState state)
{
    const int row = rowForId(id);
    if (row < 0 || !m_store.setSyncState(row, state))
        return;
    emit dataChanged(index(row, 0), index(row, columnCount() - 1), syncRoles());
}

void OpportunityTableModel::setSyncStates(const QHash<QString, SyncState> &states)
{
    emitRowsChanged(m_store.setSyncStates(states), syncRoles());
}

void OpportunityTableModel::cellsChanged(const std::vector<int> &rows)
{
    if (rows.empty())
        return;
    ++m_revision;
    emitRowsChanged(rows, valueRoles());
}

void OpportunityTableModel::emitRowsChanged(const std::vector<int> &rows, const QList<int> &roles)
{
    const int lastColumn = columnCount() - 1;
    if (rows.empty() || lastColumn < 0)
        return;
    // More than half of the rows: one signal is cheaper for every view and proxy.
    if (rows.size() * 2 > std::size_t(rowCount())) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, lastColumn), roles);
        return;
    }
    for (const int row : rows)
        emit dataChanged(index(row, 0), index(row, lastColumn), roles);
}

QString OpportunityTableModel::idAt(int row) const
{
    return row >= 0 && row < m_store.rowCount() ? m_store.id(row) : QString();
}

OpportunityTableModel::SyncState OpportunityTableModel::syncStateAt(int row) const
{
    return row >= 0 && row < m_store.rowCount() ? m_store.syncState(row) : SyncState::Synced;
}

int OpportunityTableModel::columnForKey(const QString &key) const
{
    return m_store.columnForKey(key);
}

QList<int> OpportunityTableModel::defaultColumns() const
{
    return m_store.defaultColumns();
}

bool OpportunityTableModel::isEmptyCell(int row, int column) const
{
    return m_store.isEmpty(row, column);
}

bool OpportunityTableModel::lessThan(int column, int rowA, int rowB, Qt::SortOrder order) const
{
    return m_store.lessThan(column, rowA, rowB, order);
}

std::shared_ptr<const OpportunityTableModel::PreparedFilter> OpportunityTableModel::prepareFilter(
    const ColumnFilter &filter) const
{
    return OpportunityRowFilter::prepare(m_store, filter);
}

bool OpportunityTableModel::matches(int row, const PreparedFilter &filter) const
{
    return OpportunityRowFilter::matches(m_store, row, filter);
}

QModelIndex OpportunityTableModel::index(int row, int column, const QModelIndex &parent) const
{
    // No virtual rowCount() / columnCount() round trip: the proxy calls this for every
    // comparison while sorting 100,000 rows.
    if (parent.isValid() || row < 0 || column < 0 || row >= m_store.rowCount()
        || column >= m_store.columnCount())
        return {};
    return createIndex(row, column);
}

int OpportunityTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_store.rowCount();
}

int OpportunityTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_store.columnCount();
}

QVariant OpportunityTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this || index.row() >= rowCount()
        || index.column() >= columnCount())
        return {};
    const int row = index.row();
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        if (isCheckbox(columnAt(column)))
            return {};
        return m_store.displayText(row, column);
    case Qt::EditRole:
    case RawValueRole:
        return m_store.rawValue(row, column);
    case SortRole:
        return m_store.sortValue(row, column);
    case Qt::CheckStateRole:
        if (isCheckbox(columnAt(column)))
            return m_store.number(row, column) == 1 ? Qt::Checked : Qt::Unchecked;
        return {};
    case Qt::TextAlignmentRole:
        return alignment(columnAt(column));
    case IdRole:
        return m_store.id(row);
    case SyncStateRole:
        return int(m_store.syncState(row));
    case PendingRole:
        return m_store.syncState(row) == SyncState::Pending;
    case ConflictRole:
        return m_store.syncState(row) == SyncState::Conflict;
    case SearchTextRole:
        return QString::fromUtf8(m_store.searchKey(row));
    default:
        return {};
    }
}

QVariant OpportunityTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return {};
    const Column &column = columnAt(section);
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return column.label;
    case Qt::TextAlignmentRole:
        return alignment(column);
    case ColumnKeyRole:
        return column.key;
    case ColumnTypeRole:
        return column.kind == ColumnKind::Field ? int(column.type) : -1;
    case ColumnKindRole:
        return int(column.kind);
    case DefaultVisibleRole:
        return column.defaultVisible;
    default:
        return {};
    }
}

Qt::ItemFlags OpportunityTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    // Editable marks the cells FieldEditorDelegate may open an editor on; the
    // edit itself goes to the outbox, never through setData().
    const Column &column = columnAt(index.column());
    if (column.kind == ColumnKind::Field && column.field.isWritable())
        flags |= Qt::ItemIsEditable;
    return flags;
}

QHash<int, QByteArray> OpportunityTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(IdRole, "recordId");
    names.insert(SortRole, "sortValue");
    names.insert(SyncStateRole, "syncState");
    names.insert(RawValueRole, "rawValue");
    names.insert(PendingRole, "pending");
    names.insert(ConflictRole, "conflict");
    names.insert(SearchTextRole, "searchText");
    return names;
}
