#pragma once

#include <QDateTime>
#include <QJsonValue>
#include <QString>

class FieldDefinition;
class FieldValue;

/**
 * Machine-readable text of values, shared by every CSV the app writes — the CLI's `export`
 * (app/cli/exporter.h) and the "export what is on screen" of the deals view (ViewExport) — so
 * that both spell a value the same way:
 *  - numbers with a '.' decimal point and no grouping, shortest exact form ("1234.5");
 *  - CURRENCY as the amount only, the same way ("48000", "12.5"); the ISO code belongs to the
 *    field (its definition), not to the value, so callers put it in the column header;
 *  - DATETIME as ISO 8601 in UTC, with milliseconds only when there are any;
 *  - CHECKBOX as `true` / `false`; option labels for selects; list values joined by "; ";
 *  - addresses and full names as compact JSON; raw (unreadable) values as their JSON;
 *  - a null value as the empty string.
 * Pure functions; any thread.
 */
namespace PlainValues {

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, line break or edge spaces. */
QString csvField(const QString &text);

/**
 * Formula-injection guard for CSV cells that a spreadsheet opens: text whose first character
 * is `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, which Excel,
 * LibreOffice and Google Sheets show as text instead of evaluating ("=HYPERLINK(…)" typed into
 * a deal by a colleague must not run on the rep's machine). Apply it to every cell that is not
 * a number by type (see isNumber()); numbers keep their sign ("-1200.5" stays a number).
 */
QString neutralised(const QString &text);

/**
 * True when `value` is a NUMBER or CURRENCY value held as a number (not null, not raw JSON):
 * its text is the app's own formatting of a number, so a leading '-' is a sign, not a formula.
 */
bool isNumber(const FieldValue &value);

/** The plain text of `value` of a field defined by `definition` (see the namespace comment). */
QString value(const FieldDefinition &definition, const FieldValue &value);

/** ISO 8601 in UTC ("2026-09-30T00:00:00Z", with ".123" when there are milliseconds). */
QString isoUtc(const QDateTime &at);

/** Hundredths as a plain decimal: 4800050 → "48000.5", -5 → "-0.05". */
QString centsText(qint64 cents);

/** Compact JSON of an object or array; a string as is; numbers and booleans as above. */
QString compactJson(const QJsonValue &value);

} // namespace PlainValues
