#pragma once

#include "domain/fieldvalue.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

class FieldDefinition;
class RelationshipDefinition;
struct StoredRecord;

/**
 * Turns the text of a command-line `KEY=VALUE` into a typed value, by the field's type
 * so that `edit` and `create` queue exactly what the form would:
 *  - TEXT, MARKDOWN: the text as given;
 *  - SOCIAL_HANDLE: a handle ("ana", "@ana") or a profile URL of the definition's service,
 *    written as that service's profile URL — SocialHandle::profileUrl(), the form's rules;
 *  - NUMBER: a decimal with a dot, at most two decimals; CURRENCY: the same, in major units;
 *    either refused when a JSON number (a double) would not carry it exactly;
 *  - CHECKBOX: true/false, yes/no, on/off, 1/0;
 *  - DATETIME: ISO 8601 — a date (midnight UTC), or a date and time with `Z` or an offset;
 *    a time without a zone is read as UTC; the UTC year must be 1–9999;
 *  - SINGLE_SELECT: an option label (case-insensitive) or an option id; a `$stage` label that
 *    several pipelines share must be given as "Pipeline / Stage" (or by id): the bare label
 *    is refused with every choice listed;
 *  - MULTI_SELECT, EMAIL, TELEPHONE, URL: one value, several joined by ";", or a JSON array;
 *  - ADDRESS: a JSON object (street, street2, city, state, postalCode, country, latitude,
 *    longitude); FULL_NAME: a JSON object {"firstName", "lastName"}.
 * An empty value (`KEY=`) or `null` clears the field. Pure functions; errors are complete
 * sentences naming the field, never anything secret.
 */
namespace ValueParser {

/** The typed value of `text` for `definition`, or nullopt with *error set. */
std::optional<FieldValue> parseField(
    const FieldDefinition &definition, const QString &text, QString *error);

/**
 * The related ids named by `text` for `definition`: ids, or record names (case-insensitive),
 * several joined by ";", looked up in `candidates` (the cached records of the related type).
 * An empty text means "none". Nullopt with *error for an unknown or ambiguous name.
 */
std::optional<QStringList> parseRelationship(const RelationshipDefinition &definition,
    const QString &text, const QList<StoredRecord> &candidates, QString *error);

/** Splits a list value at ";" (or reads a JSON array); trims and drops empty items. */
QStringList splitList(const QString &text);

/** A record's display name from its read-shape JSON: `$name` text or full name; else empty. */
QString displayName(const QByteArray &recordJson);

} // namespace ValueParser
