#pragma once

#include "domain/fielddefinition.h"
#include "domain/objectschema.h"
#include "domain/record.h"
#include "itemmodels/namedirectory.h"
#include "itemmodels/opportunityroles.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QLocale>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <functional>
#include <memory>
#include <vector>

/**
 * The cells of the deals table, column by column: what OpportunityTableModel shows and sorts
 * and OpportunityRowFilter filters. No QAbstractItemModel and no signals — the model tells the
 * views what changed; this class only holds and rewrites the data.
 *
 * **Data layout.** Typed columns ("struct of arrays"): each record is decoded once, when it
 * arrives, into per-column cells — a numeric key where the type has one (cents, milliseconds,
 * option position, 0/1), the display string where it is the cell's own text (names, formatted
 * amounts and dates, markdown's first line), and the typed values a display cannot give back
 * (ids of lists and relationships, full markdown, addresses, names). Displays that are shared
 * data — option labels, account / member / contact names, list values — are read from that
 * data rather than copied into every cell (to save memory), and related ids share one string
 * per id. Each row also keeps one folded (TextFold) UTF-8 search text that quick search scans,
 * and a QHash id → row. Reading a cell never parses JSON or touches the store. Text columns
 * sort by a rank computed once per column on the first sort and dropped when that column
 * changes.
 *
 * **Columns** follow the schema: name, account, stage, status fields, CURRENCY fields,
 * DATETIME fields and owner first (Column::defaultVisible: the default set), then every other
 * field and relationship in schema order (the column chooser's).
 *
 * **Display per type:** CURRENCY with the field's ISO code (the locale's symbol when it is the
 * locale's own currency), with cents whenever there are any; DATETIME in the QLocale that was
 * the default when the columns were built and the local time zone (a value at exactly midnight
 * UTC is a date and shows as that date); option labels for selects; multi-values joined with
 * ", "; relationships as names from the NameDirectory ("…" while unknown, never the raw id;
 * sorting, filters and export still use the id then; a count for tasks and notes); CHECKBOX
 * without text (number() is 1 or 0: the model shows a check state); MARKDOWN as its first
 * non-empty line without markup; unknown types as their raw JSON.
 *
 * Rows and columns are ints like the model's; a `row` or `column` passed in must be valid
 * unless said otherwise. **Thread:** one thread at a time (the GUI thread). Not copyable.
 */
class OpportunityColumnStore final
{
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

    OpportunityColumnStore();
    ~OpportunityColumnStore();

    // --- columns ---

    /** Rebuilds the columns from `schema` and drops every row. The names are kept. */
    void setSchema(const ObjectSchema &schema);
    const ObjectSchema &schema() const { return m_schema; }
    int columnCount() const { return int(m_columns.size()); }
    const Column &columnAt(int column) const { return m_columns.at(std::size_t(column)); }
    /** Column of a field or relationship key, or -1. */
    int columnForKey(const QString &key) const { return m_columnByKey.value(key, -1); }
    /** The default set of visible columns, in display order. */
    QList<int> defaultColumns() const;

    // --- names (what relationship cells show) ---

    const NameDirectory &names() const { return m_names; }
    /**
     * Replaces the names. Returns the rows showing an id whose name changed, ascending; their
     * search texts and the sort ranks of their name columns are redone.
     */
    std::vector<int> setNames(const NameDirectory &names);
    /**
     * Sets the names of some ids (an empty name forgets the id); returns the rows showing an id
     * whose name changed, as setNames() does (none when no name changed).
     */
    std::vector<int> updateNames(const QHash<QString, QString> &names);

    // --- rows ---

    int rowCount() const { return int(m_ids.size()); }
    /** Row of `id`, or -1. O(1). */
    int rowForId(const QString &id) const { return m_rowById.value(id, -1); }
    /** The record id of `row`. */
    const QString &id(int row) const { return m_ids[std::size_t(row)]; }
    SyncState syncState(int row) const { return SyncState(m_sync[std::size_t(row)]); }
    /** The rows the storage has room for without reallocating. */
    std::size_t capacity() const { return m_ids.capacity(); }
    /** Makes room for `rows` rows in every column and in the id index. */
    void reserve(std::size_t rows);

    /**
     * Fills the store (after setSchema()) from `count` records read one at a time from
     * `recordAt(i)`, with their sync states (absent ids → Synced). Invalid records are skipped;
     * a record whose id is already in the store is merged into its row.
     */
    void load(qsizetype count, const std::function<Record(qsizetype)> &recordAt,
        const QHash<QString, SyncState> &syncStates);
    /**
     * Writes the records whose ids are in the store into their rows. Returns the rows whose
     * cells or search text changed (ascending, once each); the records with new ids go to
     * `fresh` once each, the last one of an id winning, in the order the ids first came.
     * Invalid records are skipped.
     */
    std::vector<int> updateRows(const QList<Record> &records, QList<Record> *fresh);
    /** Appends one row per record (new ids, as updateRows() gives them), absent ids → Synced. */
    void appendRows(const QList<Record> &records, const QHash<QString, SyncState> &syncStates);
    /** The rows of these ids, ascending, once each (unknown ids are skipped). */
    std::vector<int> rowsOf(const QStringList &ids) const;
    /** Removes rows `first` … `last`; the rows after them move up and the id index follows. */
    void removeRows(int first, int last);
    /** Sets the sync state of `row`; false when it already had it. */
    bool setSyncState(int row, SyncState state);
    /** Sets every row's sync state from `states` (absent ids → Synced); the rows that changed. */
    std::vector<int> setSyncStates(const QHash<QString, SyncState> &states);

    // --- cells ---

    /** The row's folded UTF-8 search text (what quick search scans). */
    const QByteArray &searchKey(int row) const { return m_search[std::size_t(row)]; }
    /** The cell as text: relationships as names, or the id while its name is unknown. */
    QString text(int row, int column) const;
    /** What the cell shows: text(), but "…" for an id whose name is not known yet. */
    QString displayText(int row, int column) const;
    /**
     * The typed value (OpportunityRoles::RawValueRole): a FieldValue for field columns, the
     * QStringList of related ids for relationship columns; a raw value as it was read.
     */
    QVariant rawValue(int row, int column) const;
    /** The typed sort key (OpportunityRoles::SortRole); invalid for an empty cell. */
    QVariant sortValue(int row, int column) const;
    /** True when the cell is empty (sorted last in either order). */
    bool isEmpty(int row, int column) const;
    /**
     * The comparison of a sort in `order`: typed keys, empty cells last in either order (for a
     * descending sort QSortFilterProxyModel swaps the arguments, so "less" means "later" there).
     * A text column's rank is computed here on its first comparison.
     */
    bool lessThan(int column, int rowA, int rowB, Qt::SortOrder order) const;

    // --- typed cells, read by OpportunityRowFilter ---

    /**
     * The numeric key: the number, cents, milliseconds since the epoch, 0 / 1 for a checkbox,
     * the option position for a single select (-1 for an option the definitions lack), the
     * count of a relationship without names. NaN when empty or the column has none.
     */
    double number(int row, int column) const;
    /** DATETIME: the Julian day the cell shows; 0 otherwise. */
    qint32 shownDay(int row, int column) const;
    /**
     * The list a cell holds: related ids, MULTI_SELECT option ids, EMAIL / URL / TELEPHONE
     * values; an empty list for other columns (see holdsList()).
     */
    const QStringList &list(int row, int column) const;
    /** True for the columns whose cells are lists (list() gives them). */
    bool holdsList(int column) const;
    /** MARKDOWN: the whole text (text() is its first line); empty otherwise. */
    const QString &markdown(int row, int column) const;
    /** The position of a select option by id, or -1. */
    int optionPosition(int column, const QString &optionId) const;
    /** The option ids and labels of a select column, by position (shared strings). */
    const QStringList &optionIds(int column) const;
    const QStringList &optionLabels(int column) const;

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
    bool hasRaw(std::size_t row, const ColumnData &column) const;
    QStringList sharedIds(const QStringList &ids);
    void rebuildSearch(std::size_t row);
    /// Rewrites the search text and sort ranks of rows showing an id whose name changed.
    std::vector<int> refreshNameCells(const std::function<bool(const QString &)> &nameChanged);
    void ensureRank(const ColumnData &column) const;
    void reserveColumns(std::size_t rows);
    void reindexFrom(std::size_t row);
    const ColumnData &data(int column) const { return *m_data[std::size_t(column)]; }

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

    Q_DISABLE_COPY_MOVE(OpportunityColumnStore)
};
