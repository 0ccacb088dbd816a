#pragma once

#include <QMetaType>
#include <QString>
#include <QStringView>

/**
 * How many records a relationship links. The numbers are stable
 * (they may be persisted).
 */
enum class Cardinality : quint8
{
    Unknown = 0,
    HasOne = 1,
    HasMany = 2,
};

/**
 * Parses "HAS_ONE" / "HAS_MANY" case-insensitively: definitions send upper case, the record
 * schema text says "has_one". "hasOne" and "has-one" are
 * accepted too. Anything else → Cardinality::Unknown.
 */
Cardinality cardinalityFromName(QStringView name);

/** "HAS_ONE", "HAS_MANY", or empty for Unknown. */
QString cardinalityName(Cardinality cardinality);

Q_DECLARE_METATYPE(Cardinality)
