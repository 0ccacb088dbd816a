#pragma once

#include <QString>
#include <QStringList>
#include <QtGlobal>

/**
 * The colour of a pipeline stage, the same in the table, on the board and in the charts.
 *
 * A fixed palette assigned in the order of the `$stage` definition's options: the first stage
 * gets the first colour, the second the second, and so on (the palette repeats after
 * paletteSize() stages). Neighbouring colours are far apart in hue, so stages next to each
 * other on the board or stacked in a chart never look alike; a hash of the option id gave
 * similar hues to unrelated stages. A stage keeps its colour across runs and renames of its
 * label; it changes only when the definition's options are reordered.
 *
 * Every colour has the same mid relative luminance (about 0.23), which keeps a mark in it at
 * 3:1 or better against both a light (white, #efefef) and a dark (#353535) background, and black
 * text on it above 4.5:1.
 *
 * lightfield_models does not link QtGui: colours are QRgb-compatible 0xAARRGGBB values, which
 * views turn into a QColor (`QColor::fromRgba(...)`). "No stage" and option ids the definition
 * lacks are a neutral grey of the same luminance. Pure functions; any thread.
 */
namespace StageColors {

/** Number of colours before the palette repeats. */
int paletteSize();

/**
 * Opaque 0xAARRGGBB of the stage at `position` among the `$stage` options in definition order;
 * the neutral grey for a negative position (No stage, an unknown option).
 */
quint32 rgbaAt(int position);

/** rgbaAt() of `optionId`'s position in `optionIds` (the definition's option ids, in order). */
quint32 rgba(const QStringList &optionIds, const QString &optionId);

/** The neutral grey of No stage. */
quint32 noStageRgba();

} // namespace StageColors
