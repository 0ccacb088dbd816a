#pragma once

#include <QList>
#include <QString>

class QAbstractItemModel;
class QIODevice;

/**
 * "Export what is on screen": the current view of the deals table — usually
 * an OpportunitySortFilterProxyModel — as CSV.
 *
 * **Rows and columns.** Every row of `view` in its current order (search, column filters and
 * sort applied; all of them, not only those scrolled into sight), and the columns the caller
 * names, in the caller's order: pass the visible logical columns in visual order
 * (`QHeaderView::logicalIndex(visual)` for each visual position whose section is not hidden).
 * The first line is the header. Relationship columns come out as names.
 *
 * **Values.** Options::values chooses:
 *  - Formatted: each cell's Qt::DisplayRole text, exactly as the table shows it (locale numbers,
 *    money with its symbol, local dates, names joined by ", "); CHECKBOX cells, which draw a
 *    check box and have no text, as "Yes" / "No" (translated, context "ViewExport").
 *  - Raw: machine values (PlainValues): numbers with a '.' decimal point; money as the plain
 *    amount ("48000.5") with the field's ISO code added to the *header* ("Amount (USD)", unless
 *    the label already names it) — a field has one currency, so the code would repeat on every
 *    row, and a bare number is what a spreadsheet can sum; dates ISO 8601 UTC; option labels;
 *    multi-values joined by "; "; relationships as names joined by "; " (the id when a name is
 *    unknown; ids for tasks and notes, which have no names); `true` / `false` for check boxes.
 *    Raw needs the OpportunityTableModel under `view` (found through proxy models) for the
 *    definitions and names; without one, cells fall back to their plain typed value.
 *
 * **Format.** RFC 4180: fields quoted when they hold a comma, quote, line break or edge spaces,
 * quotes doubled, lines ended by CRLF. Cells that could run as a spreadsheet formula (first
 * character `=`, `+`, `-`, `@`, tab or CR) get a leading apostrophe in both modes, headers
 * included, unless the cell is a number by type (PlainValues::neutralised(), isNumber()): a
 * negative amount stays a number. UTF-8, optionally with a byte order mark (Options::
 * byteOrderMark) so that Excel reads it as UTF-8.
 *
 * save() writes through QSaveFile: the file appears complete or not at all, and an existing
 * file is left untouched on failure; the error names the file and the reason.
 *
 * Reads the model through data() / headerData() only; GUI thread (the model's).
 */
namespace ViewExport {

/** How cells are written (see the namespace comment). */
enum class Values
{
    Formatted = 0,
    Raw = 1,
};

struct Options
{
    /** Logical columns of the view, in the order to write; empty: every column in order. */
    QList<int> columns;
    Values values = Values::Formatted;
    /** Start with the UTF-8 byte order mark (EF BB BF), for Excel. */
    bool byteOrderMark = false;
};

struct Result
{
    bool ok = false;
    QString error; ///< for the user, when !ok
    int rows = 0; ///< data rows written (the header not counted)
    int columns = 0;
};

/** Writes the CSV to an open device. */
Result write(const QAbstractItemModel &view, const Options &options, QIODevice &device);

/** Writes the CSV to `filePath` atomically (QSaveFile). */
Result save(const QAbstractItemModel &view, const Options &options, const QString &filePath);

/** The header text of one column as write() puts it. */
QString headerText(const QAbstractItemModel &view, int column, Values values);

/** The text of one cell as write() puts it (before CSV quoting). */
QString cellText(const QAbstractItemModel &view, int row, int column, Values values);

} // namespace ViewExport
