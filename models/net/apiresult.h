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
 * The outcome of one API call as a value (style.md §20): either a value or a LightfieldError,
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

/** One page of a list endpoint: `{object: "list", totalCount, data}` (lightfield-api.md §6.1). */
struct Page
{
    QList<Record> records;
    int totalCount = 0; ///< as the server said for this page; may change between pages
    int offset = 0; ///< the request's offset
    int limit = 25; ///< the request's limit
    /** The documented end condition: fewer rows than asked for. */
    bool isLast() const { return records.size() < limit; }
};

/** `GET /v1/auth/validate` (lightfield-api.md §2). */
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
