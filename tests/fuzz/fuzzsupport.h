#pragma once

// What the fuzz targets share: the CHECK macros that turn a broken property into a crash
// libFuzzer records, and the schema the record-shaped targets read with.

#include "domain/objectschema.h"
#include "fuzzdefinitions.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace FuzzSupport {

/** Prints what failed and aborts, which libFuzzer reports as a crash with its input saved. */
[[noreturn]] inline void fail(
    const char *condition, const char *file, int line, const QString &detail = {})
{
    std::fprintf(stderr, "\n%s:%d: CHECK(%s) failed\n", file, line, condition);
    if (!detail.isEmpty())
        std::fprintf(stderr, "%s\n", detail.toUtf8().constData());
    std::fflush(stderr);
    std::abort();
}

/** The fuzz input as bytes, without a copy. */
inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
}

/** Compact JSON of a value of any kind, for failure details. */
inline QString jsonText(const QJsonValue &value)
{
    const QJsonObject wrapper {{QStringLiteral("v"), value}};
    return QString::fromUtf8(QJsonDocument(wrapper).toJson(QJsonDocument::Compact));
}

/**
 * The opportunity schema of the unit tests (tests/data), parsed once: all 14 value types,
 * an unknown type, read-only fields, single- and multi-valued lists, every cardinality.
 */
inline const ObjectSchema &schema()
{
    static const ObjectSchema parsed = ObjectSchema::fromDefinitionsJson(
        QJsonDocument::fromJson(QByteArray(kFuzzDefinitionsJson)).object());
    return parsed;
}

} // namespace FuzzSupport

/** Aborts when `condition` is false. */
#define CHECK(condition)                                                                           \
    do {                                                                                           \
        if (!(condition))                                                                          \
            FuzzSupport::fail(#condition, __FILE__, __LINE__);                                     \
    } while (false)

/** Aborts when `condition` is false, printing `detail` (a QString) first. */
#define CHECK_MSG(condition, detail)                                                               \
    do {                                                                                           \
        if (!(condition))                                                                          \
            FuzzSupport::fail(#condition, __FILE__, __LINE__, (detail));                           \
    } while (false)
