#pragma once

#include <QDateTime>
#include <QString>

/**
 * A timestamp of the server (`updatedAt`, `createdAt`: ISO 8601, with or without milliseconds)
 * as a UTC QDateTime; invalid when the text is not one. The pusher compares an edit's base
 * with the cached copy and the puller compares a page's copy with the cached one: both must
 * read the text the same way, or one of them would see a change that is not there.
 */
QDateTime parseServerTime(const QString &text);
