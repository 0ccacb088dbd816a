#pragma once

#include <QLocale>
#include <QString>

#include <optional>

class FieldEditor;
class FieldValue;
class QWidget;

/** Small helpers shared by the typed editors (not part of the public editor API). */
namespace EditorSupport {

/**
 * Sets `editor`'s objectName to the field key and the accessible name of `editor` and of its
 * `input` widget (may be nullptr) to the field label, with the description as the tooltip.
 */
void name(FieldEditor *editor, QWidget *input);

/**
 * Shows `message` on `input` (tooltip and a red text colour); an empty message restores the
 * normal look and the field description as tooltip.
 */
void showError(FieldEditor *editor, QWidget *input, const QString &message);

/**
 * Reads a decimal number typed by the rep: in `locale` first, with or without its group
 * separators (a plain space stands for a no-break one), then in the C locale (a "12.5" typed
 * under a comma locale), ignoring surrounding spaces. nullopt when neither reads it.
 */
std::optional<double> parseDecimal(const QString &text, const QLocale &locale);

/** `number` in `locale`: shortest exact form, digits grouped ("17,775.94", "17 775,94"). */
QString formatDecimal(double number, const QLocale &locale);

/**
 * An amount of `cents` hundredths in `locale`, digits grouped, computed on integers so no
 * binary rounding shows: whole amounts without decimals ("48,000"), others with two
 * ("17,775.94", "12.50").
 */
QString formatCents(qint64 cents, const QLocale &locale);

/** Largest integer a JSON number holds exactly (2^53 − 1): the API's safe-integer range. */
inline constexpr double kMaxSafeInteger = 9007199254740991.0;

/** Empty when `text` is an acceptable e-mail address, else why not (for the rep). */
QString emailError(const QString &text);

/**
 * An http(s) URL typed by the rep, normalised ("example.com" → "https://example.com"); sets
 * `error` and returns an empty string when it is not one.
 */
QString normaliseUrl(const QString &text, QString *error);

} // namespace EditorSupport
