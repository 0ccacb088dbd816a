#pragma once

#include "domain/columnfilter.h"
#include "itemmodels/opportunityrowfilter.h"
#include "itemmodels/opportunitytablemodel.h"

#include <QList>
#include <QPointer>
#include <QSortFilterProxyModel>
#include <QString>

#include <vector>

/**
 * Sorting, quick search and column filters over an OpportunityTableModel — all local, all
 * offline (fast at 100,000 rows; figures in docs/benchmarks.md).
 *
 * **Quick search** (setSearchText()): the query is folded like the rows' search texts
 * (TextFold: case- and accent-insensitive) and split at white space; a row passes when every
 * word occurs in its precomputed search text (name, account, owner, contacts, option labels,
 * text fields). No regular expression and no data() call: one substring scan of one UTF-8
 * string per row. When the query only grows (typing on) and the rows did not change, only the
 * rows that passed the previous query are scanned again.
 *
 * **Column filters** (setColumnFilter()): typed ColumnFilter objects, one per column key,
 * combined with AND and with the search. Both are evaluated by OpportunityRowFilter on the
 * model's column store.
 *
 * **Sorting** runs on the model's typed sort keys (OpportunityRoles::SortRole semantics)
 * through a fast path that compares the cells directly; empty cells sort last in both orders;
 * ties keep the model's order (stable).
 *
 * A filter change re-maps the rows in one layout change (layoutAboutToBeChanged /
 * layoutChanged) rather than as per-row removals, which is what keeps a keystroke over 100,000
 * rows cheap. Source rows changing (sync pages, outbox results) are handled incrementally as
 * usual by QSortFilterProxyModel (dynamic sort and filter stay on).
 *
 * The source must be an OpportunityTableModel; another model is accepted but then only the
 * plain QSortFilterProxyModel behaviour applies (no search, no column filters). GUI thread only.
 */
class OpportunitySortFilterProxyModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_PROPERTY(QString searchText READ searchText WRITE setSearchText NOTIFY searchTextChanged)

public:
    explicit OpportunitySortFilterProxyModel(QObject *parent = nullptr);
    ~OpportunitySortFilterProxyModel() override;

    void setSourceModel(QAbstractItemModel *sourceModel) override;
    /** The source as an OpportunityTableModel, or nullptr. */
    OpportunityTableModel *tableModel() const { return m_table; }

    QString searchText() const { return m_searchText; }
    /** Sets the quick-search query (as typed); an empty or blank query shows every row. */
    void setSearchText(const QString &text);

    QList<ColumnFilter> columnFilters() const { return m_filters; }
    /**
     * Adds a filter, replacing the one on the same column key. A filter whose column the
     * current schema lacks is kept but has no effect until a schema with that column loads.
     */
    void setColumnFilter(const ColumnFilter &filter);
    /** Replaces all column filters. */
    void setColumnFilters(const QList<ColumnFilter> &filters);
    /** Removes the filter on this column key (if any). */
    void removeColumnFilter(const QString &columnKey);
    void clearColumnFilters();

    /** True when `sourceRow` passes the search and the column filters right now. */
    bool acceptsSourceRow(int sourceRow) const;

Q_SIGNALS:
    void searchTextChanged(const QString &text);
    void columnFiltersChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void prepareFilters();
    void refilter(bool narrowing);

    QPointer<OpportunityTableModel> m_table;
    QString m_searchText;
    QString m_foldedQuery;
    QList<ColumnFilter> m_filters;
    /** The search words and the filters prepared against the table's current columns. */
    OpportunityRowFilter m_rowFilter;
    /** Result of the last refilter() per source row, valid while the model's revision holds. */
    std::vector<quint8> m_accepted;
    quint64 m_acceptedRevision = 0;
    bool m_acceptedValid = false;

    Q_DISABLE_COPY_MOVE(OpportunitySortFilterProxyModel)
};
