#pragma once

#include <QString>
#include <QtGlobal>

/**
 * The stable colour of a pipeline stage (design.md §3b: "Stages keep a stable color derived
 * from their option id, used in the table, on the board and in charts").
 *
 * The hue is a fixed hash of the option id (FNV-1a over its UTF-8 bytes — the same hue as
 * PipelineBoardModel::stageHue() — not qHash(), whose seed and algorithm may change between
 * runs and Qt versions), so a stage keeps its colour
 * across runs, machines and renames of its label. Saturation and value are fixed, so every stage
 * reads equally well on a light or a dark background.
 *
 * lightfield_models does not link QtGui: colours are returned as a hue or as a QRgb-compatible
 * 0xAARRGGBB value, which views turn into a QColor (`QColor::fromRgba(StageColors::rgba(id))`).
 * An empty id ("No stage") is a neutral grey. Pure functions; any thread.
 */
namespace StageColors {

/** Hue 0–359 of a stage option id; -1 for an empty id. */
int hue(const QString &optionId);

/** Opaque 0xAARRGGBB (QRgb layout) of a stage option id; mid grey for an empty id. */
quint32 rgba(const QString &optionId);

/** Opaque 0xAARRGGBB of `hue` (0–359) at the stage colours' saturation and value. */
quint32 rgbaForHue(int hue);

} // namespace StageColors
