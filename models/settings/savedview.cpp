#include "settings/savedview.h"
#include "domain/json.h"

#include "logging.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

#include <array>
#include <utility>

using Op = ColumnFilter::Operator;

namespace {

// Operators are stored by name, never by number: the enum may be reordered.
constexpr std::array<std::pair<Op, const char *>, 9> kOperatorNames {{
    {Op::Equal, "equal"},
    {Op::GreaterThan, "greaterThan"},
    {Op::GreaterOrEqual, "greaterOrEqual"},
    {Op::LessThan, "lessThan"},
    {Op::LessOrEqual, "lessOrEqual"},
    {Op::StartsWith, "startsWith"},
    {Op::Contains, "contains"},
    {Op::IsEmpty, "isEmpty"},
    {Op::IsNotEmpty, "isNotEmpty"},
}};

const QString kThisMonth = QStringLiteral("thisMonth");

QString str(const char *latin1)
{
    return QString::fromLatin1(latin1);
}

QJsonObject valueToJson(const QVariant &value)
{
    QJsonObject json;
    const auto set = [&json](const QString &type, const QJsonValue &v) {
        json.insert(QStringLiteral("valueType"), type);
        json.insert(QStringLiteral("value"), v);
    };
    switch (value.typeId()) {
    case QMetaType::UnknownType:
        break;
    case QMetaType::QDate:
        set(QStringLiteral("date"), value.toDate().toString(Qt::ISODate));
        break;
    case QMetaType::QDateTime:
        set(QStringLiteral("dateTime"), value.toDateTime().toUTC().toString(Qt::ISODateWithMs));
        break;
    case QMetaType::Bool:
        set(QStringLiteral("bool"), value.toBool());
        break;
    case QMetaType::QStringList:
        set(QStringLiteral("strings"), QJsonArray::fromStringList(value.toStringList()));
        break;
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Double:
    case QMetaType::Float:
        set(QStringLiteral("number"), value.toDouble());
        break;
    default:
        set(QStringLiteral("string"), value.toString());
        break;
    }
    return json;
}

/** The typed value, or nullopt for an unknown or malformed value type. */
std::optional<QVariant> valueFromJson(const QJsonObject &json)
{
    if (!json.contains(QStringLiteral("valueType")))
        return QVariant();
    const QString type = json.value(QStringLiteral("valueType")).toString();
    const QJsonValue value = json.value(QStringLiteral("value"));
    if (type == QLatin1String("string") && value.isString())
        return QVariant(value.toString());
    if (type == QLatin1String("number") && value.isDouble())
        return QVariant(value.toDouble());
    if (type == QLatin1String("bool") && value.isBool())
        return QVariant(value.toBool());
    if (type == QLatin1String("date")) {
        const QDate date = QDate::fromString(value.toString(), Qt::ISODate);
        if (date.isValid())
            return QVariant(date);
    }
    if (type == QLatin1String("dateTime")) {
        const QDateTime when = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
        if (when.isValid())
            return QVariant(when);
    }
    if (type == QLatin1String("strings") && value.isArray()) {
        QStringList list;
        for (const QJsonValue &item : value.toArray()) {
            if (!item.isString())
                return std::nullopt;
            list.append(item.toString());
        }
        return QVariant(list);
    }
    return std::nullopt;
}

QString periodName(SavedView::Period period)
{
    switch (period) {
    case SavedView::Period::ThisMonth:
        break;
    }
    return kThisMonth;
}

QString translate(const char *text)
{
    return QCoreApplication::translate("SavedView", text);
}

} // namespace

SavedView SavedView::create(const QString &name)
{
    SavedView view;
    view.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    view.name = name;
    return view;
}

QList<ColumnFilter> SavedView::expand(
    const RelativeDateFilter &rule, const QDate &today, const ColumnResolver &resolve)
{
    QString key = rule.columnKey;
    if (key.isEmpty() && resolve && !rule.labelHint.isEmpty())
        key = resolve(rule.labelHint);
    if (key.isEmpty() || !today.isValid())
        return {};
    switch (rule.period) {
    case Period::ThisMonth: {
        const QDate first(today.year(), today.month(), 1);
        return {ColumnFilter(key, Op::GreaterOrEqual, first),
            ColumnFilter(key, Op::LessOrEqual, first.addMonths(1).addDays(-1))};
    }
    }
    return {};
}

QList<ColumnFilter> SavedView::effectiveFilters(
    const QDate &today, const ColumnResolver &resolve) const
{
    QList<ColumnFilter> result = filters;
    for (const RelativeDateFilter &rule : relativeFilters)
        result += expand(rule, today, resolve);
    return result;
}

QString SavedView::operatorName(ColumnFilter::Operator op)
{
    for (const auto &[known, name] : kOperatorNames) {
        if (known == op)
            return str(name);
    }
    return {};
}

std::optional<ColumnFilter::Operator> SavedView::operatorFromName(const QString &name)
{
    for (const auto &[op, known] : kOperatorNames) {
        if (name == QLatin1String(known))
            return op;
    }
    return std::nullopt;
}

QJsonObject SavedView::filterToJson(const ColumnFilter &filter)
{
    QJsonObject json = valueToJson(filter.value());
    json.insert(QStringLiteral("column"), filter.columnKey());
    json.insert(QStringLiteral("op"), operatorName(filter.op()));
    if (filter.isNegated())
        json.insert(QStringLiteral("negate"), true);
    return json;
}

std::optional<ColumnFilter> SavedView::filterFromJson(const QJsonObject &json)
{
    const QString column = json.value(QStringLiteral("column")).toString();
    const std::optional<Op> op = operatorFromName(json.value(QStringLiteral("op")).toString());
    if (column.isEmpty() || !op)
        return std::nullopt;
    const std::optional<QVariant> value = valueFromJson(json);
    if (!value)
        return std::nullopt;
    return ColumnFilter(column, *op, *value, json.value(QStringLiteral("negate")).toBool());
}

QJsonObject SavedView::toJson() const
{
    QJsonObject json {
        {QStringLiteral("id"), id},
        {QStringLiteral("name"), name},
    };
    if (!description.isEmpty())
        json.insert(QStringLiteral("description"), description);
    if (!columns.isEmpty())
        json.insert(QStringLiteral("columns"), QJsonArray::fromStringList(columns));
    if (!widths.isEmpty()) {
        QJsonObject widthJson;
        for (auto it = widths.cbegin(); it != widths.cend(); ++it)
            widthJson.insert(it.key(), it.value());
        json.insert(QStringLiteral("widths"), widthJson);
    }
    if (!sortColumn.isEmpty()) {
        json.insert(QStringLiteral("sort"),
            QJsonObject {{QStringLiteral("column"), sortColumn},
                {QStringLiteral("order"),
                    sortOrder == Qt::DescendingOrder ? QStringLiteral("descending")
                                                     : QStringLiteral("ascending")}});
    }
    QJsonArray filterJson;
    for (const ColumnFilter &filter : filters)
        filterJson.append(filterToJson(filter));
    for (const RelativeDateFilter &rule : relativeFilters) {
        QJsonObject ruleJson {{QStringLiteral("op"), periodName(rule.period)}};
        if (!rule.columnKey.isEmpty())
            ruleJson.insert(QStringLiteral("column"), rule.columnKey);
        if (!rule.labelHint.isEmpty())
            ruleJson.insert(QStringLiteral("columnHint"), rule.labelHint);
        filterJson.append(ruleJson);
    }
    if (!filterJson.isEmpty())
        json.insert(QStringLiteral("filters"), filterJson);
    if (!searchText.isEmpty())
        json.insert(QStringLiteral("search"), searchText);
    return json;
}

std::optional<SavedView> SavedView::fromJson(const QJsonObject &json)
{
    SavedView view;
    view.name = json.value(QStringLiteral("name")).toString().trimmed();
    if (view.name.isEmpty()) {
        qCWarning(lcApp) << "Saved view without a name skipped";
        return std::nullopt;
    }
    view.id = json.value(QStringLiteral("id")).toString();
    if (view.id.isEmpty())
        view.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    view.description = json.value(QStringLiteral("description")).toString();
    for (const QJsonValue &column : json.value(QStringLiteral("columns")).toArray()) {
        if (column.isString() && !column.toString().isEmpty()
            && !view.columns.contains(column.toString()))
            view.columns.append(column.toString());
    }
    const QJsonObject widthJson = json.value(QStringLiteral("widths")).toObject();
    for (auto it = widthJson.constBegin(); it != widthJson.constEnd(); ++it) {
        const int width = it.value().toInt(-1);
        if (width > 0 && width < 100'000)
            view.widths.insert(it.key(), width);
    }
    const QJsonObject sortJson = json.value(QStringLiteral("sort")).toObject();
    view.sortColumn = sortJson.value(QStringLiteral("column")).toString();
    view.sortOrder
        = sortJson.value(QStringLiteral("order")).toString() == QLatin1String("descending")
        ? Qt::DescendingOrder
        : Qt::AscendingOrder;
    for (const QJsonValue &entry : json.value(QStringLiteral("filters")).toArray()) {
        const QJsonObject filterJson = entry.toObject();
        if (filterJson.value(QStringLiteral("op")).toString() == kThisMonth) {
            RelativeDateFilter rule;
            rule.columnKey = filterJson.value(QStringLiteral("column")).toString();
            rule.labelHint = filterJson.value(QStringLiteral("columnHint")).toString();
            if (!rule.columnKey.isEmpty() || !rule.labelHint.isEmpty()) {
                view.relativeFilters.append(rule);
                continue;
            }
        } else if (const std::optional<ColumnFilter> filter = filterFromJson(filterJson)) {
            view.filters.append(*filter);
            continue;
        }
        // Keys only, never values: filter values are user data.
        qCWarning(lcApp) << "Saved view" << view.id << "- unreadable filter skipped: column"
                         << filterJson.value(QStringLiteral("column")).toString() << "op"
                         << filterJson.value(QStringLiteral("op")).toString();
    }
    view.searchText = json.value(QStringLiteral("search")).toString();
    return view;
}

QByteArray SavedView::documentFromViews(const QList<SavedView> &views)
{
    QJsonArray array;
    for (const SavedView &view : views)
        array.append(view.toJson());
    const QJsonObject document {
        {QStringLiteral("version"), kDocumentVersion},
        {QStringLiteral("views"), array},
    };
    return Json::compact(document);
}

std::optional<QList<SavedView>> SavedView::viewsFromDocument(const QByteArray &document)
{
    QJsonParseError error;
    const QJsonDocument parsed = QJsonDocument::fromJson(document, &error);
    if (error.error != QJsonParseError::NoError || !parsed.isObject()
        || !parsed.object().value(QStringLiteral("views")).isArray()) {
        qCWarning(lcApp) << "Saved views unreadable (" << error.errorString()
                         << ") - using the built-in views";
        return std::nullopt;
    }
    const QJsonObject root = parsed.object();
    const int version = root.value(QStringLiteral("version")).toInt(0);
    if (version > kDocumentVersion)
        qCInfo(lcApp) << "Saved views written by a newer app (version" << version
                      << ") - reading what this build understands";
    QList<SavedView> views;
    QStringList ids;
    const QJsonArray array = root.value(QStringLiteral("views")).toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isObject()) {
            qCWarning(lcApp) << "Saved view" << i << "is not an object - skipped";
            continue;
        }
        std::optional<SavedView> view = fromJson(array.at(i).toObject());
        if (!view)
            continue;
        if (ids.contains(view->id)) {
            // A hand-edited file may repeat an id; the sidebar needs them unique.
            view->id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        }
        ids.append(view->id);
        views.append(*view);
    }
    return views;
}

QList<SavedView> SavedView::defaultViews()
{
    const QString name = QStringLiteral("$name");
    SavedView all;
    all.id = QStringLiteral("default-all");
    all.name = translate("All deals");
    all.description = translate("Every deal, default columns, no filter");
    all.sortColumn = name;

    SavedView open;
    open.id = QStringLiteral("default-open");
    open.name = translate("My open deals");
    open.description = translate("Deals whose status is Open. Lightfield does not say which "
                                 "member an API key belongs to, so this shows every open deal, "
                                 "not only yours.");
    open.sortColumn = name;
    open.filters
        = {ColumnFilter(QStringLiteral("$opportunityStatus"), Op::Equal, QStringLiteral("Open"))};

    SavedView closing;
    closing.id = QStringLiteral("default-closing");
    closing.name = translate("Closing this month");
    closing.description = translate("Deals whose close date falls in the current month");
    closing.sortColumn = name;
    closing.relativeFilters
        = {RelativeDateFilter {QString(), QStringLiteral("close"), Period::ThisMonth}};
    return {all, open, closing};
}
