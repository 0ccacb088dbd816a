#include "itemmodels/opportunitysortfilterproxymodel.h"

#include "itemmodels/textfold.h"

#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace {

/**
 * Substring test on UTF-8 bytes (a folded word in a folded row text). A keystroke scans all
 * 100,000 rows (~35 MB), so the common case compares 16 bytes at a time against the word's
 * first and last byte and checks only the candidates (the "generic SIMD" substring search);
 * glibc's memmem is about five times slower here.
 */
bool containsBytes(const QByteArray &haystack, const QByteArray &needle)
{
    const char *h = haystack.constData();
    const char *w = needle.constData();
    const auto n = std::size_t(haystack.size());
    const auto m = std::size_t(needle.size());
    if (m == 0)
        return true;
    if (m > n)
        return false;
    if (m == 1)
        return std::memchr(h, w[0], n) != nullptr;
    std::size_t i = 0;
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
    const __m128i first = _mm_set1_epi8(w[0]);
    const __m128i last = _mm_set1_epi8(w[m - 1]);
    for (; i + m - 1 + 16 <= n; i += 16) {
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(h + i));
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i *>(h + i + m - 1));
        auto mask = unsigned(
            _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last))));
        while (mask != 0) {
            const auto bit = std::size_t(__builtin_ctz(mask));
            if (std::memcmp(h + i + bit + 1, w + 1, m - 2) == 0)
                return true;
            mask &= mask - 1;
        }
    }
#endif
    return std::string_view(h + i, n - i).find(std::string_view(w, m)) != std::string_view::npos;
}

} // namespace

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
    m_words.clear();
    const QStringList words = folded.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &word : words)
        m_words.append(word.toUtf8());
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
    m_prepared.clear();
    if (!m_table)
        return;
    for (const ColumnFilter &filter : std::as_const(m_filters)) {
        if (auto prepared = m_table->prepareFilter(filter))
            m_prepared.push_back(std::move(prepared));
    }
}

bool OpportunitySortFilterProxyModel::acceptsSourceRow(int sourceRow) const
{
    if (!m_table || sourceRow < 0 || sourceRow >= m_table->rowCount())
        return false;
    if (!m_words.isEmpty()) {
        const QByteArray &text = m_table->searchKey(sourceRow);
        for (const QByteArray &word : m_words) {
            if (!containsBytes(text, word))
                return false;
        }
    }
    for (const auto &filter : m_prepared) {
        if (!m_table->matches(sourceRow, *filter))
            return false;
    }
    return true;
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
