#pragma once

#include "domain/columnfilter.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>
#include <vector>

class OpportunityColumnStore;

/**
 * Which rows of the deals table pass quick search and the column filters: the filter engine
 * behind OpportunitySortFilterProxyModel. It reads the typed cells and search texts of an
 * OpportunityColumnStore directly — no data(), no QVariant, no allocation per row.
 *
 * **Quick search** (setSearch()): the query, folded like the rows' search texts (TextFold:
 * case- and accent-insensitive), is split at white space; a row passes when every word occurs
 * in its search text — one substring scan of one UTF-8 string per word and row.
 *
 * **Column filters** (setColumnFilters(), or prepare() and matches() for one): each ColumnFilter
 * is first resolved against the store's columns (column position, operator allowed for the
 * type, value as cents, a day, option positions or ids), then tested per row on the typed
 * cells: numbers, amounts and instants by their keys, DATETIME against a QDate by the day shown,
 * a checkbox (unset = unchecked), single selects by option (id or label, any of a list),
 * multi-selects and relationships by ids (Equal: the same set; Contains: any of them), text by
 * its folded form (Equal, StartsWith, Contains; a list field equals when one of its values
 * does, markdown contains in its whole text). Relationships match names as text unless the
 * value looks like ids (a list, or ids the names know or "local_…" ones). An empty cell never
 * compares; an operator the type does not allow passes no row; IsEmpty / IsNotEmpty test
 * emptiness; negation inverts the result. Filters combine with AND, and with the search.
 *
 * A value class; a prepared filter holds a column position, so prepare again after the store's
 * columns change (a schema change).
 */
class OpportunityRowFilter final
{
public:
    /** A ColumnFilter resolved against a store's current columns; see prepare(). */
    struct Prepared;

    /** Resolves `filter` against the columns of `store`; nullptr for an unknown column. */
    static std::shared_ptr<const Prepared> prepare(
        const OpportunityColumnStore &store, const ColumnFilter &filter);
    /** True when `row` (valid) of `store` passes the prepared filter. */
    static bool matches(const OpportunityColumnStore &store, int row, const Prepared &filter);
    /** True when the UTF-8 bytes of `needle` occur in `haystack` (an empty needle always does). */
    static bool containsBytes(const QByteArray &haystack, const QByteArray &needle);

    /**
     * Sets the quick-search query, already folded (TextFold::fold()); its words are what a row
     * must contain. An empty or blank query passes every row.
     */
    void setSearch(const QString &foldedQuery);
    /** True when there is at least one word to search. */
    bool hasSearch() const { return !m_words.isEmpty(); }
    /**
     * Prepares `filters` against `store` (none when `store` is null); filters on columns the
     * store lacks are dropped.
     */
    void setColumnFilters(const OpportunityColumnStore *store, const QList<ColumnFilter> &filters);
    /** True when `row` (valid) of `store` passes the search and every prepared filter. */
    bool accepts(const OpportunityColumnStore &store, int row) const;

private:
    QList<QByteArray> m_words;
    std::vector<std::shared_ptr<const Prepared>> m_prepared;
};
