#pragma once

#include <QString>

/**
 * Telephone numbers in the API's write form: E.164 ("+15125550100"),
 * with an extension as ";ext=12". Backed by libphonenumber; this is the only file that includes
 * it.
 */
namespace PhoneNumbers {

/**
 * The ISO 3166-1 alpha-2 region for numbers typed without "+" when the deal gives none: the
 * territory of the default locale (the system's unless the application set another). Empty when
 * the locale has no territory: no country is guessed then.
 */
QString defaultRegion();

/**
 * `input` as E.164 (+ ";ext=…"), read in `region` (defaultRegion() when empty) when it has no
 * "+". Returns an empty string and sets `error` (a sentence for the rep) when it is not a
 * possible number, or when it has no "+" and there is no region to read it in.
 */
QString normalise(const QString &input, const QString &region, QString *error);

} // namespace PhoneNumbers
