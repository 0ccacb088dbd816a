#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

/**
 * Case- and accent-insensitive text for quick search, column filters and text sorting.
 *
 * fold() lower-cases (Unicode case folding), decomposes (NFD) and drops combining marks, and
 * maps the Latin letters NFD does not decompose (ø → o, ł → l, đ → d, ħ → h, ı → i, æ → ae,
 * œ → oe, ß → ss, þ → th): "Søren Núñez" and "SOREN NUNEZ" both fold to "soren nunez". Other
 * scripts (CJK, Cyrillic, …) are only case-folded. Pure ASCII takes a fast path with no
 * normalisation. Thread-safe (no state).
 */
namespace TextFold {

/** The folded form of `text` (see the namespace comment). */
QString fold(QStringView text);
/** fold() as UTF-8, the form quick search scans. */
QByteArray foldUtf8(QStringView text);
/** True when `text` is ASCII only (fold() is then a plain lower-casing). */
bool isAscii(QStringView text);

} // namespace TextFold
