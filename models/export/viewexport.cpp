#include "export/viewexport.h"

#include "domain/fielddefinition.h"
#include "domain/fieldvalue.h"
#include "export/plainvalues.h"
#include "itemmodels/opportunityroles.h"
#include "itemmodels/opportunitytablemodel.h"
#include "itemmodels/tablelookup.h"

#include <QAbstractItemModel>
#include <QCoreApplication>
#include <QIODevice>
#include <QSaveFile>
#include <QStringList>

namespace {

using OpportunityRoles::ColumnKind;
using TableLookup::tableUnder;

/// What a column needs to write its cells, resolved once per export.
struct ColumnInfo
{
    int column = 0;
    QString header;
    ColumnKind kind = ColumnKind::Field;
    FieldDefinition field; ///< field columns (raw); invalid when unknown
    bool showsNames = false; ///< relationship columns to named objects
};

ColumnInfo resolve(const QAbstractItemModel &view, const OpportunityTableModel *table, int column,
    ViewExport::Values values)
{
    ColumnInfo info;
    info.column = column;
    info.header = view.headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
    const QVariant kind = view.headerData(column, Qt::Horizontal, OpportunityRoles::ColumnKindRole);
    info.kind = kind.isValid() ? ColumnKind(kind.toInt()) : ColumnKind::Field;
    const QString key
        = view.headerData(column, Qt::Horizontal, OpportunityRoles::ColumnKeyRole).toString();
    if (table && !key.isEmpty()) {
        const int tableColumn = table->columnForKey(key);
        if (tableColumn >= 0) {
            const OpportunityTableModel::Column &spec = table->columnAt(tableColumn);
            info.field = spec.field;
            info.showsNames = spec.showsNames;
        }
    }
    if (values == ViewExport::Values::Raw && info.kind == ColumnKind::Field
        && info.field.type() == FieldType::Currency && !info.field.currency().isEmpty()
        && !info.header.contains(info.field.currency(), Qt::CaseInsensitive)) {
        info.header += QStringLiteral(" (%1)").arg(info.field.currency());
    }
    return info;
}

QString formattedCell(const QModelIndex &index)
{
    const QVariant display = index.data(Qt::DisplayRole);
    if (display.isValid())
        return display.toString();
    const QVariant check = index.data(Qt::CheckStateRole);
    if (check.isValid()) {
        return check.toInt() == Qt::Unchecked ? QCoreApplication::translate("ViewExport", "No")
                                              : QCoreApplication::translate("ViewExport", "Yes");
    }
    return {};
}

QString rawCell(
    const QModelIndex &index, const ColumnInfo &info, const OpportunityTableModel *table)
{
    const QVariant raw = index.data(OpportunityRoles::RawValueRole);
    if (raw.metaType() == QMetaType::fromType<FieldValue>()) {
        const FieldValue value = raw.value<FieldValue>();
        const FieldDefinition definition
            = info.field.isValid() ? info.field : FieldDefinition(QString(), value.type());
        return PlainValues::value(definition, value);
    }
    if (raw.metaType() == QMetaType::fromType<QStringList>()) {
        const QStringList ids = raw.toStringList();
        if (!info.showsNames || !table)
            return ids.join(QLatin1String("; "));
        QStringList names;
        names.reserve(ids.size());
        for (const QString &id : ids) {
            const QString name = table->nameDirectory().name(id);
            names << (name.isEmpty() ? id : name);
        }
        return names.join(QLatin1String("; "));
    }
    // Not a deals table: the typed value as plain text, or what it displays.
    if (raw.isValid())
        return raw.toString();
    return formattedCell(index);
}

// Decided by the value's type, not its text: a number field's text is the app's own
// formatting of a number, so its leading '-' (or a locale's minus sign) is a sign.
bool isNumericCell(const QModelIndex &index)
{
    const QVariant raw = index.data(OpportunityRoles::RawValueRole);
    if (raw.metaType() == QMetaType::fromType<FieldValue>())
        return PlainValues::isNumber(raw.value<FieldValue>());
    switch (raw.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Double:
        return true;
    default:
        return false;
    }
}

QString cell(const QAbstractItemModel &view, int row, const ColumnInfo &info,
    const OpportunityTableModel *table, ViewExport::Values values)
{
    const QModelIndex index = view.index(row, info.column);
    const QString text
        = values == ViewExport::Values::Raw ? rawCell(index, info, table) : formattedCell(index);
    return isNumericCell(index) ? text : PlainValues::neutralised(text);
}

QByteArray csvLine(const QStringList &cells)
{
    QString line;
    for (qsizetype i = 0; i < cells.size(); ++i) {
        if (i > 0)
            line += QLatin1Char(',');
        line += PlainValues::csvField(cells.at(i));
    }
    line += QLatin1String("\r\n");
    return line.toUtf8();
}

QList<int> columnsToWrite(const QAbstractItemModel &view, const ViewExport::Options &options)
{
    if (!options.columns.isEmpty())
        return options.columns;
    QList<int> all;
    for (int column = 0; column < view.columnCount(); ++column)
        all << column;
    return all;
}

} // namespace

namespace ViewExport {

QString headerText(const QAbstractItemModel &view, int column, Values values)
{
    return resolve(view, tableUnder(&view), column, values).header;
}

QString cellText(const QAbstractItemModel &view, int row, int column, Values values)
{
    const OpportunityTableModel *table = tableUnder(&view);
    return cell(view, row, resolve(view, table, column, values), table, values);
}

Result write(const QAbstractItemModel &view, const Options &options, QIODevice &device)
{
    Result result;
    const OpportunityTableModel *table = tableUnder(&view);
    const QList<int> columns = columnsToWrite(view, options);
    QList<ColumnInfo> infos;
    QStringList header;
    for (const int column : columns) {
        if (column < 0 || column >= view.columnCount()) {
            result.error = QCoreApplication::translate(
                "ViewExport", "The view has no column %1; nothing was exported.")
                               .arg(column);
            return result;
        }
        infos << resolve(view, table, column, options.values);
        header << PlainValues::neutralised(infos.constLast().header);
    }
    const auto put = [&device, &result](const QByteArray &bytes) {
        if (device.write(bytes) == bytes.size())
            return true;
        result.error = device.errorString();
        return false;
    };
    if (options.byteOrderMark && !put(QByteArrayLiteral("\xEF\xBB\xBF")))
        return result;
    if (!put(csvLine(header)))
        return result;
    const int rows = view.rowCount();
    QStringList cells;
    for (int row = 0; row < rows; ++row) {
        cells.clear();
        for (const ColumnInfo &info : std::as_const(infos))
            cells << cell(view, row, info, table, options.values);
        if (!put(csvLine(cells)))
            return result;
        ++result.rows;
    }
    result.columns = int(infos.size());
    result.ok = true;
    return result;
}

Result save(const QAbstractItemModel &view, const Options &options, const QString &filePath)
{
    QSaveFile file(filePath);
    const auto failed = [&filePath](const QString &reason) {
        Result result;
        result.error = QCoreApplication::translate("ViewExport", "Could not write %1: %2")
                           .arg(filePath, reason);
        return result;
    };
    if (!file.open(QIODevice::WriteOnly))
        return failed(file.errorString());
    Result result = write(view, options, file);
    if (!result.ok) {
        file.cancelWriting();
        return failed(result.error);
    }
    if (!file.commit())
        return failed(file.errorString());
    return result;
}

} // namespace ViewExport
