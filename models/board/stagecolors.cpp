#include "board/stagecolors.h"

#include <algorithm>
#include <cmath>

namespace {

// Chosen so that labels in either palette stay legible on the bar (about 4.5:1 for black text
// on the lightest hues, white on the darkest).
constexpr double kSaturation = 0.55;
constexpr double kValue = 0.80;
constexpr quint32 kNoStage = 0xFF9E9E9EU;

quint32 channel(double unit)
{
    return quint32(std::lround(std::clamp(unit, 0.0, 1.0) * 255.0));
}

} // namespace

namespace StageColors {

int hue(const QString &optionId)
{
    if (optionId.isEmpty())
        return -1;
    quint32 hash = 2166136261U;
    for (const char c : optionId.toUtf8()) {
        hash ^= quint8(c);
        hash *= 16777619U;
    }
    return int(hash % 360U);
}

quint32 rgba(const QString &optionId)
{
    const int h = hue(optionId);
    return h < 0 ? kNoStage : rgbaForHue(h);
}

quint32 rgbaForHue(int hue)
{
    const double h = double(((hue % 360) + 360) % 360) / 60.0;
    const double c = kValue * kSaturation;
    const double x = c * (1.0 - std::fabs(std::fmod(h, 2.0) - 1.0));
    const double m = kValue - c;
    double r = 0;
    double g = 0;
    double b = 0;
    switch (int(h)) {
    case 0:
        r = c;
        g = x;
        break;
    case 1:
        r = x;
        g = c;
        break;
    case 2:
        g = c;
        b = x;
        break;
    case 3:
        g = x;
        b = c;
        break;
    case 4:
        r = x;
        b = c;
        break;
    default:
        r = c;
        b = x;
        break;
    }
    return 0xFF000000U | (channel(r + m) << 16) | (channel(g + m) << 8) | channel(b + m);
}

} // namespace StageColors
