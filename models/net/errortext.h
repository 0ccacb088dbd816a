#pragma once

#include "api/lightfielderror.h"

#include <QString>

class ObjectSchema;

/**
 * What a sales rep reads when a request fails: one sentence per ErrorKind (and per documented
 * `code` where that helps), translatable, never the raw server text alone and never the key.
 * The Validation wording names the field by its label when a schema is given.
 */
class ErrorText final
{
public:
    ErrorText() = delete;

    /**
     * The message for `error`. `schema` (optional) turns the field key of a validation error
     * into its label ("Deal size" instead of "dealSize").
     */
    static QString userMessage(const LightfieldError &error, const ObjectSchema *schema = nullptr);

    /**
     * The field (or relationship) key a validation `param` points at: "fields.$name" → "$name",
     * "fields.$primaryAddress.country" → "$primaryAddress", "relationships.$owner" → "$owner",
     * "fields[dealSize]" → "dealSize". Empty for other params ("limit", "Idempotency-Key").
     */
    static QString fieldKey(const QString &param);

    /** True when `param` points into `relationships` rather than `fields`. */
    static bool isRelationshipParam(const QString &param);
};
