#pragma once

#include <QString>
#include <QStringList>

#include <initializer_list>

namespace TestStrings {

/** A QStringList of UTF-8 literals (the build forbids implicit casts from char strings). */
inline QStringList strings(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out << QString::fromUtf8(item);
    return out;
}

} // namespace TestStrings
