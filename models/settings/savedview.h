#pragma once

#include "domain/columnfilter.h"

#include <QByteArray>
#include <QDate>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

/**
 * A saved view of the deals table: which columns show, in which order and how
 * wide, the sort, the column filters and the quick-search text — everything by column **key**
 * ("$amount", "closeDate"), never by column index, so a view survives a schema reload; a key the
 * current schema lacks is skipped when the view is applied.
 *
 * **Relative date rules.** A filter like "close date in the current month" must not freeze the
 * month it was saved in. Such a rule is kept as a RelativeDateFilter and expanded to concrete
 * ColumnFilter bounds (GreaterOrEqual first day, LessOrEqual last day) only when the view is
 * applied (effectiveFilters()), against the caller's "today". The rule may name its column by
 * key or, for the built-in views created before any schema is known, by a label hint matched
 * against the DATETIME columns (every organisation names its close date differently).
 *
 * **JSON** (toJson() / fromJson()): one object per view; filters as
 * `{"column", "op", "value", "valueType", "negate"}` with the operator by name
 * ("greaterOrEqual"), and relative rules as `{"column" | "columnHint", "op": "thisMonth"}`.
 * Unknown operators, value types and malformed entries are skipped with a log line
 * (lcApp); a view without a name is rejected. The whole list is stored by
 * AppSettings::setSavedViews() as `{"version": 1, "views": [...]}` (documentFromViews() /
 * viewsFromDocument()).
 *
 * A plain value type; thread-agnostic.
 */
class SavedView final
{
public:
    /** The layout version of the saved-views document this build writes. */
    static constexpr int kDocumentVersion = 1;

    /** A date range relative to "today". */
    enum class Period
    {
        ThisMonth,
    };

    /** "The date column is within Period", expanded at apply time. */
    struct RelativeDateFilter
    {
        QString columnKey; ///< the DATETIME column; empty = found by labelHint
        QString labelHint; ///< part of the column label, case-insensitive (e.g. "close")
        Period period = Period::ThisMonth;

        friend bool operator==(const RelativeDateFilter &, const RelativeDateFilter &) = default;
    };

    /** Resolves a label hint to a DATETIME column key (empty when there is none). */
    using ColumnResolver = std::function<QString(const QString &labelHint)>;

    QString id; ///< stable identity (renames keep it); "default-…" for the built-in views
    QString name;
    QString description; ///< shown as the sidebar entry's tooltip
    /** Visible column keys in display order; empty = the model's default columns. */
    QStringList columns;
    /** Section widths in pixels by column key (only for keys the view knows). */
    QHash<QString, int> widths;
    /** Sort column key; empty = unsorted (the model's order). */
    QString sortColumn;
    Qt::SortOrder sortOrder = Qt::AscendingOrder;
    QList<ColumnFilter> filters;
    QList<RelativeDateFilter> relativeFilters;
    QString searchText;

    friend bool operator==(const SavedView &, const SavedView &) = default;

    /** A new view with a fresh id. */
    static SavedView create(const QString &name);

    /**
     * filters plus every relative rule expanded for `today`. A rule naming its column by hint
     * is resolved through `resolve`; a rule whose column cannot be resolved is dropped.
     */
    QList<ColumnFilter> effectiveFilters(
        const QDate &today, const ColumnResolver &resolve = {}) const;
    /** The concrete filters one rule expands to (empty when its column is unknown). */
    static QList<ColumnFilter> expand(
        const RelativeDateFilter &rule, const QDate &today, const ColumnResolver &resolve = {});

    QJsonObject toJson() const;
    /** The view, or nullopt (logged) when `json` has no usable name. Bad filters are skipped. */
    static std::optional<SavedView> fromJson(const QJsonObject &json);

    /** One filter as JSON; by key and operator name. */
    static QJsonObject filterToJson(const ColumnFilter &filter);
    /** The filter, or nullopt for an unknown operator, value type or a missing column. */
    static std::optional<ColumnFilter> filterFromJson(const QJsonObject &json);

    static QString operatorName(ColumnFilter::Operator op);
    static std::optional<ColumnFilter::Operator> operatorFromName(const QString &name);

    /** The stored document: `{"version": kDocumentVersion, "views": [...]}`, compact UTF-8. */
    static QByteArray documentFromViews(const QList<SavedView> &views);
    /**
     * The views of a stored document, or nullopt when the document itself is unreadable (not
     * JSON, not an object, no "views" array). Corrupt entries are skipped with a log line; a
     * document from a newer version is read as far as its entries are understood.
     */
    static std::optional<QList<SavedView>> viewsFromDocument(const QByteArray &document);

    /**
     * The views a first run starts with: "All deals" (default columns, no filter), "My open
     * deals" (status Open: the API does not say which member the key belongs to, so "my"
     * cannot mean the owner — the tooltip says so) and "Closing this month" (a ThisMonth rule
     * on the DATETIME column whose label contains "close"). All sorted by name.
     */
    static QList<SavedView> defaultViews();
};
