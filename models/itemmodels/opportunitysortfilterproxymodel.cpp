#include "itemmodels/opportunitysortfilterproxymodel.h"

#include "itemmodels/textfold.h"

OpportunitySortFilterProxyModel::OpportunitySortFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(OpportunityRoles::SortRole);
    setDynamicSortFilter(true);
}

OpportunitySortFilterProxyModel::~OpportunitySortFilterProxyModel() = default;

void OpportunitySortFilterProxyModel::setSourceModel(QAbstractItemModel *sourceModel)
{
    if (m_table)
        disconnect(m_table, nullptr, this, nullptr);
    m_table = qobject_cast<OpportunityTableModel *>(sourceModel);
    m_acceptedValid = false;
    if (m_table) {
        // Connected before QSortFilterProxyModel's own handlers, so the filters point at the
        // new columns before the proxy maps any row again.
        connect(m_table, &QAbstractItemModel::modelReset, this, [this] {
            m_acceptedValid = false;
            prepareFilters();
        });
    }
    prepareFilters();
    QSortFilterProxyModel::setSourceModel(sourceModel);
}

void OpportunitySortFilterProxyModel::setSearchText(const QString &text)
{
    if (text == m_searchText)
        return;
    const QString folded = TextFold::fold(text).simplified();
    // Typing on can only remove rows (every word of the old query is a prefix of the new
    // query's matching words), so only the rows that passed before need scanning again.
    const bool narrowing = !m_foldedQuery.isEmpty() && folded.startsWith(m_foldedQuery)
        && !m_foldedQuery.endsWith(QLatin1Char(' '));
    m_searchText = text;
    m_foldedQuery = folded;
    m_rowFilter.setSearch(folded);
    refilter(narrowing);
    emit searchTextChanged(m_searchText);
}

void OpportunitySortFilterProxyModel::setColumnFilter(const ColumnFilter &filter)
{
    if (!filter.isValid())
        return;
    QList<ColumnFilter> filters = m_filters;
    filters.removeIf(
        [&filter](const ColumnFilter &f) { return f.columnKey() == filter.columnKey(); });
    filters.append(filter);
    setColumnFilters(filters);
}

void OpportunitySortFilterProxyModel::setColumnFilters(const QList<ColumnFilter> &filters)
{
    if (filters == m_filters)
        return;
    m_filters = filters;
    prepareFilters();
    refilter(false);
    emit columnFiltersChanged();
}

void OpportunitySortFilterProxyModel::removeColumnFilter(const QString &columnKey)
{
    QList<ColumnFilter> filters = m_filters;
    filters.removeIf([&columnKey](const ColumnFilter &f) { return f.columnKey() == columnKey; });
    setColumnFilters(filters);
}

void OpportunitySortFilterProxyModel::clearColumnFilters()
{
    setColumnFilters({});
}

void OpportunitySortFilterProxyModel::prepareFilters()
{
    m_rowFilter.setColumnFilters(m_table ? &m_table->columnStore() : nullptr, m_filters);
}

bool OpportunitySortFilterProxyModel::acceptsSourceRow(int sourceRow) const
{
    if (!m_table || sourceRow < 0 || sourceRow >= m_table->rowCount())
        return false;
    return m_rowFilter.accepts(m_table->columnStore(), sourceRow);
}

void OpportunitySortFilterProxyModel::refilter(bool narrowing)
{
    if (!m_table) {
        invalidateRowsFilter();
        return;
    }
    const auto rows = std::size_t(m_table->rowCount());
    const bool reuse = narrowing && m_acceptedValid && m_accepted.size() == rows
        && m_acceptedRevision == m_table->revision();
    std::vector<quint8> accepted(rows, 0);
    for (std::size_t row = 0; row < rows; ++row) {
        if (reuse && !m_accepted[row])
            continue;
        accepted[row] = acceptsSourceRow(int(row)) ? 1 : 0;
    }
    m_accepted.swap(accepted);
    m_acceptedRevision = m_table->revision();
    m_acceptedValid = true;
    // One layout change: QSortFilterProxyModel's row-by-row path (invalidateRowsFilter) removes
    // scattered rows one interval at a time, quadratic over 100,000 rows.
    invalidate();
}

bool OpportunitySortFilterProxyModel::filterAcceptsRow(
    int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    if (!m_table)
        return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
    if (m_acceptedValid && m_acceptedRevision == m_table->revision()
        && std::size_t(sourceRow) < m_accepted.size())
        return m_accepted[std::size_t(sourceRow)] != 0;
    return acceptsSourceRow(sourceRow);
}

bool OpportunitySortFilterProxyModel::lessThan(
    const QModelIndex &left, const QModelIndex &right) const
{
    if (!m_table || left.model() != m_table || right.model() != m_table)
        return QSortFilterProxyModel::lessThan(left, right);
    return m_table->lessThan(left.column(), left.row(), right.row(), sortOrder());
}
