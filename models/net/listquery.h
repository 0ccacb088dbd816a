#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

/**
 * The query of a list request: paging (`limit` 1–25, `offset` ≥ 0) and filters
 * `key[operator]=value`. A plain value type.
 *
 * Filters are AND-ed by the server. `key` is a field key (`$name`, `icp-score`) or a
 * relationship *slug* (`$opportunity-account`); `op` is one of equal, greaterThan,
 * greaterThanOrEqual, lessThan, lessThanOrEqual, startsWith, contains, optionally prefixed
 * with `-` to negate; an empty `op` sends `key=value` (the server picks equal or contains).
 */
struct ListQuery
{
    static constexpr int kMaxLimit = 25;

    struct Filter
    {
        QString key;
        QString op;
        QString value;
        friend bool operator==(const Filter &, const Filter &) = default;
    };

    int offset = 0;
    int limit = kMaxLimit;
    QList<Filter> filters;

    /** Adds a filter and returns *this, for chaining. */
    ListQuery &where(const QString &key, const QString &op, const QString &value)
    {
        filters.append({key, op, value});
        return *this;
    }

    /** The same filters at another page. */
    ListQuery atPage(int pageOffset, int pageLimit) const
    {
        ListQuery copy = *this;
        copy.offset = pageOffset;
        copy.limit = pageLimit;
        return copy;
    }

    /**
     * The percent-encoded query string (without "?"): limit and offset first (limit clamped to
     * 1–25, offset to ≥ 0), then the filters in order. Every character outside RFC 3986's
     * unreserved set is encoded, so `$`, `[`, `]`, `+` and `&` in keys and values reach the
     * server intact.
     */
    QByteArray toQueryString() const;

    friend bool operator==(const ListQuery &, const ListQuery &) = default;
};
