#include "itemmodels/stagecolors.h"

#include <array>

namespace {

// Hues about 215, 30, 130, 0, 270, 180, 55 and 320 degrees, in an order that puts the stages
// met first (and neighbours) far apart; each at relative luminance 0.23 ± 0.005.
constexpr std::array<quint32, 8> kPalette {
    0xFF4283DEU, // blue
    0xFFBE7022U, // orange
    0xFF1B9830U, // green
    0xFFE15252U, // red
    0xFFA464E4U, // purple
    0xFF1A9292U, // teal
    0xFF8F8519U, // olive
    0xFFDE44ABU, // magenta
};
constexpr quint32 kNoStage = 0xFF858585U;

} // namespace

namespace StageColors {

int paletteSize()
{
    return int(kPalette.size());
}

quint32 rgbaAt(int position)
{
    return position < 0 ? kNoStage : kPalette[std::size_t(position) % kPalette.size()];
}

quint32 rgba(const QStringList &optionIds, const QString &optionId)
{
    return rgbaAt(optionId.isEmpty() ? -1 : int(optionIds.indexOf(optionId)));
}

quint32 noStageRgba()
{
    return kNoStage;
}

} // namespace StageColors
