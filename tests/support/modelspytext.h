#pragma once

// Model signals as short text, so that a test compares a whole sequence of changes at once.

#include <QModelIndex>
#include <QSignalSpy>
#include <QStringList>

namespace ModelSpyText {

/** "first,last;first,last" of a rowsInserted / rowsRemoved spy. */
inline QString rowsText(const QSignalSpy &spy)
{
    QStringList parts;
    for (const QList<QVariant> &args : spy)
        parts.append(QStringLiteral("%1,%2").arg(args.at(1).toInt()).arg(args.at(2).toInt()));
    return parts.join(QLatin1Char(';'));
}

/** "top-bottom;…" rows of a dataChanged spy. */
inline QString changedRowsText(const QSignalSpy &spy)
{
    QStringList parts;
    for (const QList<QVariant> &args : spy) {
        const auto topLeft = args.at(0).value<QModelIndex>();
        const auto bottomRight = args.at(1).value<QModelIndex>();
        parts.append(QStringLiteral("%1-%2").arg(topLeft.row()).arg(bottomRight.row()));
    }
    return parts.join(QLatin1Char(';'));
}

} // namespace ModelSpyText
