#pragma once

#include "domain/columnfilter.h"
#include "domain/fielddefinition.h"
#include "domain/fieldvalue.h"
#include "domain/objectschema.h"
#include "domain/record.h"
#include "itemmodels/namedirectory.h"
#include "itemmodels/opportunitycolumnstore.h"
#include "itemmodels/opportunityroles.h"
#include "itemmodels/opportunityrowfilter.h"

#include <QAbstractTableModel>
#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

/**
 * The deals table: one row per opportunity, one column per
 * field and relationship definition of the organisation's schema.
 *
 * **Parts.** A thin Qt adapter: the cells live in an OpportunityColumnStore (typed columns,
 * decoded once when a record arrives; its header describes the layout, the columns and the
 * display per type) and the filter engine is OpportunityRowFilter. This class turns their
 * cells into roles (OpportunityRoles), keeps the sync states' roles, counts revisions and
 * emits the signals of every change. data() only reads the store; it never parses JSON or
 * touches LocalStore.
 *
 * **Columns** follow the schema (OpportunityColumnStore): name, account, stage, status, money,
 * dates and owner first (DefaultVisibleRole true: the default set), then every other field and
 * relationship in schema order (the column chooser's). A CHECKBOX shows a check state and no
 * text; relationships to accounts, members and contacts show names ("…" while unknown).
 *
 * **Updates** (from the loader, SyncEngine pages and outbox results) change rows in place:
 * upsertRecords() emits dataChanged per changed row (one whole-range signal when more than
 * half of the rows change) and appends new rows in one contiguous beginInsertRows();
 * removeRecords() removes each contiguous run in one begin/endRemoveRows; sync-state changes
 * emit dataChanged with the sync roles only. A model reset happens only in setSchema() and
 * reload().
 *
 * **Thread:** GUI thread only, like every QAbstractItemModel. Not copyable.
 */
class OpportunityTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    using SyncState = OpportunityRoles::SyncState;
    using ColumnKind = OpportunityRoles::ColumnKind;

    /** One column as derived from the schema (OpportunityColumnStore::Column). */
    using Column = OpportunityColumnStore::Column;
    /** A ColumnFilter resolved against the current columns; see prepareFilter(). */
    using PreparedFilter = OpportunityRowFilter::Prepared;

    explicit OpportunityTableModel(QObject *parent = nullptr);
    ~OpportunityTableModel() override;

    // --- schema and whole loads (model reset) ---

    /** Rebuilds the columns from `schema` and clears the rows (a model reset). */
    void setSchema(const ObjectSchema &schema);
    const ObjectSchema &schema() const { return m_store.schema(); }
    /**
     * Replaces everything in one model reset: columns from `schema`, names, then `count` rows
     * decoded one at a time from `recordAt(i)` (so no list of all records is ever held) with
     * their sync states (absent ids are Synced). Records with an id already seen are merged.
     */
    void reload(const ObjectSchema &schema, const NameDirectory &names, qsizetype count,
        const std::function<Record(qsizetype)> &recordAt,
        const QHash<QString, SyncState> &syncStates = {});

    /**
     * Replaces the names that relationship cells show; rewrites those cells and the search
     * texts, and emits dataChanged for the relationship columns whose text changed.
     */
    void setNameDirectory(const NameDirectory &names);
    const NameDirectory &nameDirectory() const { return m_store.names(); }
    /**
     * Sets the names of some ids (an empty name forgets the id) — what a sync page of
     * accounts, members or contacts changes. Only rows showing an id whose name changed are
     * rewritten (dataChanged for them, and their search texts); nothing is emitted when no name
     * changed.
     */
    void updateNames(const QHash<QString, QString> &names);

    // --- incremental updates (no reset) ---

    /**
     * Inserts or updates records (decoded with this schema). Existing rows change in place;
     * new ones are appended at the end in one contiguous insert. Invalid records are ignored.
     */
    void upsertRecords(const QList<Record> &records);
    /** The same, with the sync states of the rows it appends (absent ids → Synced). */
    void upsertRecords(const QList<Record> &records, const QHash<QString, SyncState> &syncStates);
    /** Reserves room for `rows` rows (an incremental load that knows its total). No signal. */
    void reserveRows(int rows);
    /** Removes the rows of these ids (unknown ids are ignored). */
    void removeRecords(const QStringList &ids);
    /** Sets one row's sync state; dataChanged with the sync roles when it changed. */
    void setSyncState(const QString &id, SyncState state);
    /** Sets every row's sync state from `states` (absent ids → Synced); signals changes only. */
    void setSyncStates(const QHash<QString, SyncState> &states);

    // --- lookup ---

    /** Row of `id`, or -1. O(1). */
    int rowForId(const QString &id) const { return m_store.rowForId(id); }
    /** Id of `row`; empty when out of range. */
    QString idAt(int row) const;
    SyncState syncStateAt(int row) const;
    /** Column of a field or relationship key, or -1. */
    int columnForKey(const QString &key) const;
    /** The column description; `column` must be valid. */
    const Column &columnAt(int column) const { return m_store.columnAt(column); }
    /** The default set of visible columns, in display order. */
    QList<int> defaultColumns() const;
    /** Incremented on every change of rows or cells (lets the proxy reuse search results). */
    quint64 revision() const { return m_revision; }
    /** The cells, read-only (what OpportunityRowFilter and the proxy read directly). */
    const OpportunityColumnStore &columnStore() const { return m_store; }

    // --- fast paths for OpportunitySortFilterProxyModel (no QVariant, no allocation) ---

    /** The row's folded UTF-8 search text. `row` must be valid. */
    const QByteArray &searchKey(int row) const { return m_store.searchKey(row); }
    /** True when the cell is empty (sorted last in either order). */
    bool isEmptyCell(int row, int column) const;
    /**
     * The proxy's comparison for a sort in `order`: typed keys, empty cells last in either
     * order (for a descending sort QSortFilterProxyModel swaps the arguments, so "less" means
     * "later" there).
     */
    bool lessThan(int column, int rowA, int rowB, Qt::SortOrder order) const;
    /** Resolves a filter against the current columns; nullptr for an unknown column. */
    std::shared_ptr<const PreparedFilter> prepareFilter(const ColumnFilter &filter) const;
    /** True when `row` passes the prepared filter. */
    bool matches(int row, const PreparedFilter &filter) const;

    // --- QAbstractItemModel ---

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    /** dataChanged for `rows` in every column: per row, or once when most rows changed. */
    void emitRowsChanged(const std::vector<int> &rows, const QList<int> &roles);
    /** A change of the cells of `rows`: a new revision and dataChanged (nothing when empty). */
    void cellsChanged(const std::vector<int> &rows);

    OpportunityColumnStore m_store;
    quint64 m_revision = 0;

    Q_DISABLE_COPY_MOVE(OpportunityTableModel)
};
