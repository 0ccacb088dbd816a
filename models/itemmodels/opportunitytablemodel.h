#pragma once

#include "domain/columnfilter.h"
#include "domain/fielddefinition.h"
#include "domain/fieldvalue.h"
#include "domain/objectschema.h"
#include "domain/record.h"
#include "itemmodels/namedirectory.h"
#include "itemmodels/opportunityroles.h"

#include <QAbstractTableModel>
#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QLocale>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

/**
 * The deals table: one row per opportunity, one column per
 * field and relationship definition of the organisation's schema.
 *
 * **Data layout.** A thin adapter over typed columns ("struct of arrays"): each record is
 * decoded once, when it arrives, into per-column cells — a numeric key where the type has one
 * (cents, milliseconds, option position, 0/1), the display string where it is the cell's own
 * text (names, formatted amounts and dates, markdown's first line), and the typed values a
 * display cannot give back (ids of lists and relationships, full markdown, addresses, names).
 * Displays that are shared data — option labels, account / member / contact names, list
 * values — are read from that data rather than copied into every cell (to save
 * memory), and related ids share one string per id. Each row also keeps one folded
 * (TextFold) UTF-8 search text that quick search scans, and a QHash id → row. data() only
 * reads these; it never parses JSON or touches the store. Text columns sort by a rank
 * computed once per column on the first sort and dropped when that column changes.
 *
 * **Columns** follow the schema: name, account, stage, status fields, CURRENCY fields,
 * DATETIME fields and owner first (DefaultVisibleRole true: the default set), then every other
 * field and relationship in schema order (the column chooser's).
 *
 * **Display per type:** CURRENCY with the field's ISO code (the locale's symbol when it is the
 * locale's own currency), with cents whenever there are any; DATETIME in the default QLocale
 * and the local time zone (a value at exactly midnight UTC is a date and shows as that date);
 * option labels for selects; multi-values joined with ", "; relationships as names from the
 * NameDirectory ("…" while unknown, never the raw id; sorting, filters and export still
 * use the id then; a count for tasks and notes); CHECKBOX as a check state;
 * MARKDOWN as its first non-empty line without markup; unknown types as their raw JSON.
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

    /** One column as derived from the schema. */
    struct Column
    {
        ColumnKind kind = ColumnKind::Field;
        QString key; ///< field or relationship key
        QString label; ///< header text
        FieldType type = FieldType::Unknown; ///< field columns
        FieldDefinition field; ///< field columns: the definition (options, currency)
        QString objectType; ///< relationship columns: "account", "member", "contact", …
        bool defaultVisible = false;
        bool numericSort = false; ///< sorted by a number (amounts, dates, counts, options)
        bool showsNames = false; ///< relationship to accounts / members / contacts
    };

    /** A ColumnFilter resolved against the current columns; see prepareFilter(). */
    struct PreparedFilter;

    explicit OpportunityTableModel(QObject *parent = nullptr);
    ~OpportunityTableModel() override;

    // --- schema and whole loads (model reset) ---

    /** Rebuilds the columns from `schema` and clears the rows (a model reset). */
    void setSchema(const ObjectSchema &schema);
    const ObjectSchema &schema() const { return m_schema; }
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
    const NameDirectory &nameDirectory() const { return m_names; }
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
    int rowForId(const QString &id) const { return m_rowById.value(id, -1); }
    /** Id of `row`; empty when out of range. */
    QString idAt(int row) const;
    SyncState syncStateAt(int row) const;
    /** Column of a field or relationship key, or -1. */
    int columnForKey(const QString &key) const;
    /** The column description; `column` must be valid. */
    const Column &columnAt(int column) const { return m_columns.at(std::size_t(column)); }
    /** The default set of visible columns, in display order. */
    QList<int> defaultColumns() const;
    /** Incremented on every change of rows or cells (lets the proxy reuse search results). */
    quint64 revision() const { return m_revision; }

    // --- fast paths for OpportunitySortFilterProxyModel (no QVariant, no allocation) ---

    /** The row's folded UTF-8 search text. `row` must be valid. */
    const QByteArray &searchKey(int row) const { return m_search[std::size_t(row)]; }
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
    struct ColumnData;

    void buildColumns();
    void clearRows();
    void appendRow(const Record &record, SyncState state);
    bool writeRow(std::size_t row, const Record &record);
    void writeCell(ColumnData &column, std::size_t row, const Record &record);
    QString cellText(std::size_t row, const ColumnData &column) const;
    /** What a relationship cell shows: names, "…" for ids whose name is not known yet. */
    QString shownNames(std::size_t row, const ColumnData &column) const;
    bool cellEmpty(std::size_t row, const ColumnData &column) const;
    QStringList sharedIds(const QStringList &ids);
    void rebuildSearch(std::size_t row);
    /// Rewrites the search text, sort ranks and signals of rows showing an id whose name changed.
    void refreshNameCells(const std::function<bool(const QString &)> &nameChanged);
    void resizeColumns(std::size_t rows);
    void invalidateRanks();
    void ensureRank(const ColumnData &column) const;
    void emitRowsChanged(
        const std::vector<int> &rows, const QList<int> &roles, int firstColumn, int lastColumn);
    QVariant rawValue(std::size_t row, const ColumnData &column) const;
    QVariant sortValue(std::size_t row, const ColumnData &column) const;
    void reindexFrom(std::size_t row);

    ObjectSchema m_schema;
    NameDirectory m_names;
    QLocale m_locale; ///< the default QLocale when the columns were built
    std::vector<Column> m_columns;
    std::vector<std::unique_ptr<ColumnData>> m_data;
    QHash<QString, int> m_columnByKey;
    std::vector<QString> m_ids;
    std::vector<QByteArray> m_search;
    std::vector<quint8> m_sync;
    QHash<QString, int> m_rowById;
    QHash<QString, QStringList> m_idLists; ///< id → a one-element list, shared by all cells
    quint64 m_revision = 0;

    Q_DISABLE_COPY_MOVE(OpportunityTableModel)
};
