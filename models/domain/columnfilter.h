#pragma once

#include "domain/fieldtype.h"

#include <QList>
#include <QString>
#include <QVariant>

/**
 * One typed filter on one column of the deals table, e.g. "Amount > 10,000", "Stage is not
 * Closed lost", "Competitors contains Salesforce", "Close date is empty". Applied locally by
 * OpportunitySortFilterProxyModel (all offline); several filters combine with AND, and with the
 * quick search.
 *
 * The column is named by its key ("$amount", "$account"), so a filter survives a schema reload.
 * `value` by column type:
 *  - NUMBER: a number; CURRENCY: an amount in major units (12.5 = 12.50), compared exactly in
 *    cents;
 *  - DATETIME: a QDate (compared with the day the table shows) or a QDateTime (exact instant);
 *  - CHECKBOX: a bool (an empty checkbox counts as unchecked);
 *  - SINGLE_SELECT / MULTI_SELECT: an option id or label, or a QStringList of them;
 *  - relationships: a related id or a list of ids for Equal / Contains; text for the others
 *    (matched against the names shown);
 *  - text-like types (TEXT, MARKDOWN, EMAIL, URL, TELEPHONE, SOCIAL_HANDLE, ADDRESS, FULL_NAME,
 *    unknown): a string, compared case- and accent-insensitively (TextFold).
 *
 * Operators by type (operatorsFor()):
 *  - Equal everywhere; for MULTI_SELECT, exactly that set of options;
 *  - GreaterThan / GreaterOrEqual / LessThan / LessOrEqual: NUMBER, CURRENCY, DATETIME;
 *  - StartsWith: text-like types, SINGLE_SELECT (label) and relationships (names);
 *  - Contains: text-like types (substring), SINGLE_SELECT (label substring), MULTI_SELECT and
 *    relationships (holds any of the given options / ids);
 *  - IsEmpty / IsNotEmpty everywhere.
 * `negate` inverts the result, so an empty cell passes "not contains x". An operator the type
 * does not support rejects every row (the UI offers only operatorsFor()).
 */
class ColumnFilter final
{
public:
    enum class Operator
    {
        Equal,
        GreaterThan,
        GreaterOrEqual,
        LessThan,
        LessOrEqual,
        StartsWith,
        Contains,
        IsEmpty,
        IsNotEmpty,
    };

    ColumnFilter() = default;
    ColumnFilter(
        const QString &columnKey, Operator op, const QVariant &value = {}, bool negate = false)
        : m_columnKey(columnKey)
        , m_value(value)
        , m_operator(op)
        , m_negate(negate)
    {
    }

    QString columnKey() const { return m_columnKey; }
    Operator op() const { return m_operator; }
    QVariant value() const { return m_value; }
    bool isNegated() const { return m_negate; }
    bool isValid() const { return !m_columnKey.isEmpty(); }

    /** The operators a field column of `type` supports, in menu order. */
    static QList<Operator> operatorsFor(FieldType type);
    /** The operators a relationship column supports. */
    static QList<Operator> relationshipOperators();
    /** True when the operator needs no value (IsEmpty, IsNotEmpty). */
    static bool isUnary(Operator op)
    {
        return op == Operator::IsEmpty || op == Operator::IsNotEmpty;
    }

    friend bool operator==(const ColumnFilter &, const ColumnFilter &) = default;

private:
    QString m_columnKey;
    QVariant m_value;
    Operator m_operator = Operator::Equal;
    bool m_negate = false;
};
