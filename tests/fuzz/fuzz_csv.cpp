// ViewExport::write(): a table of arbitrary cells written as CSV and read back with a strict
// RFC 4180 reader.
//
// Input: one flags byte, then the table as UTF-8: rows separated by 0x1E, cells by 0x1F; the
// first row is the header, shorter rows are padded with empty cells. Flags: bit 0 the byte
// order mark, bit 1 Raw values (else Formatted), bits 2–7 which of the first six columns hold
// numbers (a NUMBER FieldValue behind the cell, as in the deals table).
//
// Properties:
//  - the output is RFC 4180: every field plain or quoted with doubled quotes, every line ended
//    by CRLF, the BOM only when asked for;
//  - reading it back gives exactly the cells, except as the writer documents: a cell that is
//    not a number by type gets a leading apostrophe when it starts with = + - @ tab or CR
//    (headers included), and a Raw number cell is the number's plain text;
//  - no cell read back starts with a formula character unless it is a number by type;
//  - Result counts the data rows and columns written.

#include "domain/fieldvalue.h"
#include "export/plainvalues.h"
#include "export/viewexport.h"
#include "fuzzsupport.h"
#include "itemmodels/opportunityroles.h"

#include <QAbstractTableModel>
#include <QBuffer>
#include <QLocale>
#include <QStringDecoder>

#include <cmath>
#include <optional>

namespace {

constexpr int kMaxColumns = 64;
constexpr int kMaxRows = 256;

/** A plain table: the header row and the data rows, each cell a text. */
class Table final : public QAbstractTableModel
{
public:
    Table(QList<QStringList> rows, int columns, quint8 numericColumns)
        : m_rows(std::move(rows))
        , m_columns(columns)
        , m_numericColumns(numericColumns)
    {
    }

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size()) - 1;
    }
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : m_columns;
    }
    QVariant data(const QModelIndex &index, int role) const override
    {
        const QString text = cell(index.row() + 1, index.column());
        if (role == Qt::DisplayRole)
            return text;
        if (role == OpportunityRoles::RawValueRole) {
            return QVariant::fromValue(isNumeric(index.column())
                    ? FieldValue::fromNumber(number(text))
                    : FieldValue::fromText(FieldType::Text, text));
        }
        return {};
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation == Qt::Horizontal && role == Qt::DisplayRole)
            return cell(0, section);
        return {};
    }

    QString cell(int row, int column) const { return m_rows.at(row).value(column); }
    bool isNumeric(int column) const { return column < 6 && (m_numericColumns >> column) & 1; }
    /** The number behind a numeric cell: the text's value, else its length. */
    static double number(const QString &text)
    {
        bool ok = false;
        const double value = text.toDouble(&ok);
        return ok && std::isfinite(value) ? value : double(text.size());
    }

private:
    QList<QStringList> m_rows;
    int m_columns;
    quint8 m_numericColumns;
};

/**
 * A strict RFC 4180 reader: fields plain (no quote, comma, CR or LF) or quoted (quotes
 * doubled inside), records ended by CRLF, the last one too. Nullopt on anything else.
 */
std::optional<QList<QStringList>> readCsv(const QByteArray &csv)
{
    QList<QStringList> records;
    qsizetype at = 0;
    while (at < csv.size()) {
        QStringList record;
        while (true) {
            QByteArray field;
            if (csv.at(at) == '"') {
                ++at;
                while (true) {
                    if (at >= csv.size())
                        return std::nullopt; // unterminated quote
                    if (csv.at(at) == '"') {
                        if (at + 1 < csv.size() && csv.at(at + 1) == '"') {
                            field.append('"');
                            at += 2;
                            continue;
                        }
                        ++at;
                        break;
                    }
                    field.append(csv.at(at++));
                }
            } else {
                while (at < csv.size() && csv.at(at) != ',' && csv.at(at) != '\r'
                    && csv.at(at) != '\n') {
                    if (csv.at(at) == '"')
                        return std::nullopt; // a quote inside a plain field
                    field.append(csv.at(at++));
                }
            }
            // Decoded as is: QString::fromUtf8() would drop a cell's leading U+FEFF as a BOM.
            QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom);
            record.append(utf8.decode(field));
            if (at < csv.size() && csv.at(at) == ',') {
                ++at;
                continue;
            }
            if (csv.mid(at, 2) == "\r\n") {
                at += 2;
                break;
            }
            return std::nullopt; // a bare CR or LF, text after a closing quote, or no CRLF
        }
        records.append(record);
    }
    return records;
}

bool startsLikeAFormula(const QString &text)
{
    return !text.isEmpty() && QStringView(u"=+-@\t\r").contains(text.front());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return -1;
    const quint8 flags = data[0];
    const QString text = QString::fromUtf8(FuzzSupport::bytes(data + 1, size - 1));

    QList<QStringList> rows;
    int columns = 1;
    for (const QString &line : text.split(QChar(0x1E))) {
        if (rows.size() == kMaxRows)
            break;
        QStringList cells = line.split(QChar(0x1F)).mid(0, kMaxColumns);
        columns = qMax(columns, int(cells.size()));
        rows.append(cells);
    }
    for (QStringList &cells : rows) {
        while (cells.size() < columns)
            cells.append(QString());
    }
    const Table table(rows, columns, quint8(flags >> 2));

    ViewExport::Options options;
    options.byteOrderMark = flags & 1;
    options.values = flags & 2 ? ViewExport::Values::Raw : ViewExport::Values::Formatted;

    QByteArray csv;
    QBuffer buffer(&csv);
    buffer.open(QIODevice::WriteOnly);
    const ViewExport::Result result = ViewExport::write(table, options, buffer);
    CHECK(result.ok);
    CHECK(result.rows == table.rowCount());
    CHECK(result.columns == columns);

    const QByteArray bom("\xEF\xBB\xBF");
    CHECK(csv.startsWith(bom) == options.byteOrderMark);
    const std::optional<QList<QStringList>> read
        = readCsv(options.byteOrderMark ? csv.mid(bom.size()) : csv);
    CHECK_MSG(read.has_value(), QString::fromUtf8(csv));
    CHECK_MSG(read->size() == rows.size(), QString::fromUtf8(csv));

    for (qsizetype row = 0; row < rows.size(); ++row) {
        const QStringList &cells = read->at(row);
        CHECK_MSG(cells.size() == columns, QString::fromUtf8(csv));
        for (int column = 0; column < columns; ++column) {
            const QString &written = rows.at(row).at(column);
            const bool numeric = row > 0 && table.isNumeric(column);
            QString expected = written;
            if (numeric && options.values == ViewExport::Values::Raw) {
                expected
                    = QString::number(Table::number(written), 'f', QLocale::FloatingPointShortest);
            }
            if (!numeric)
                expected = PlainValues::neutralised(expected);
            CHECK_MSG(cells.at(column) == expected,
                QStringLiteral("row %1 column %2: wrote \"%3\", read \"%4\", expected \"%5\"")
                    .arg(row)
                    .arg(column)
                    .arg(written, cells.at(column), expected));
            if (!numeric)
                CHECK(!startsLikeAFormula(cells.at(column)));
        }
    }
    return 0;
}
