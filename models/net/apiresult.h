#pragma once

#include "api/lightfielderror.h"
#include "domain/objectschema.h"
#include "domain/record.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

/**
 * The outcome of one API call as a value: either a value or a LightfieldError,
 * plus how many HTTP attempts it took. Cheap to copy (implicitly shared members).
 */
template<typename T> class ApiResult
{
public:
    /** A failure (the default: BadResponse with no details). */
    ApiResult() = default;
    ApiResult(T value, int attempts = 1)
        : m_value(std::move(value))
        , m_attempts(attempts)
    {
    }
    ApiResult(LightfieldError error, int attempts = 1)
        : m_error(std::move(error))
        , m_attempts(attempts)
    {
    }

    bool ok() const { return m_value.has_value(); }
    /** The value; only meaningful when ok(). */
    const T &value() const { return *m_value; }
    /** The error; a default (BadResponse) LightfieldError when ok(). */
    const LightfieldError &error() const { return m_error; }
    /** HTTP attempts made (1 when the first try settled it, 0 when none was sent). */
    int attempts() const { return m_attempts; }

private:
    std::optional<T> m_value;
    LightfieldError m_error;
    int m_attempts = 0;
};

/**
 * A row of a list the client could not decode into a Record (not a JSON object, no string
 * `id`, `fields` or `relationships` not an object). Kept as received, never dropped: the
 * caller stores it and reports it.
 */
struct UndecodableRow
{
    /** The row's string `id`, or "undecodable:<SHA-1 of json>" when it has none. */
    QString key;
    QByteArray json; ///< the row as received (compact JSON text)
    QString reason; ///< why it could not be decoded, in English, for logs and the cache
};

/** One page of a list endpoint: `{object: "list", totalCount, data}`. */
struct Page
{
    QList<Record> records; ///< the rows that decoded, in order
    QList<UndecodableRow> undecodable; ///< the rows that did not, in order
    /** Rows in the response's `data` array as received; -1: records + undecodable. */
    int rowCount = -1;
    int totalCount = 0; ///< as the server said for this page; may change between pages
    int offset = 0; ///< the request's offset
    int limit = 25; ///< the request's limit
    /** The raw row count: decoded or not, every row the server sent counts. */
    int rows() const { return rowCount >= 0 ? rowCount : int(records.size() + undecodable.size()); }
    /**
     * The documented end condition: fewer *raw* rows than asked for. A row that could not be
     * decoded still counts, or one bad record would end the list early.
     */
    bool isLast() const { return rows() < limit; }
};

/** `GET /v1/auth/validate`. */
struct KeyInfo
{
    bool active = false;
    QStringList scopes; ///< empty = full access
    QString subjectType; ///< "user" or "workspace"
    QString tokenType; ///< "api_key"
};

using RecordResult = ApiResult<Record>;
using PageResult = ApiResult<Page>;
using SchemaResult = ApiResult<ObjectSchema>;
using KeyInfoResult = ApiResult<KeyInfo>;
