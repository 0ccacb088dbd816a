#pragma once

#include <QString>

/**
 * Telephone numbers in the API's write form (lightfield-api.md §9): E.164 ("+15125550100"),
 * with an extension as ";ext=12". Backed by libphonenumber; this is the only file that includes
 * it.
 */
namespace PhoneNumbers {

/** The ISO 3166-1 alpha-2 region for numbers typed without "+": the system locale's territory,
 * "US" when it has none (the API also tries US first). */
QString defaultRegion();

/**
 * `input` as E.164 (+ ";ext=…"), read in `region` when it has no "+". Returns an empty string
 * and sets `error` (a sentence for the rep) when it is not a possible number.
 */
QString normalise(const QString &input, const QString &region, QString *error);

} // namespace PhoneNumbers
