#pragma once

#include "domain/cardinality.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

/**
 * One relationship of a record, as read: `{cardinality, objectType, values[]}`.
 * `ids` are the related records' ids, in the server's order, without
 * duplicates or empty strings.
 */
struct Relationship
{
    Cardinality cardinality = Cardinality::Unknown;
    QString objectType;
    QStringList ids;

    /**
     * Tolerant read: `cardinality` in any case, `values` as an array, a single id string, or
     * null / missing (no ids); array entries that are objects contribute their "id". Anything
     * that is not an object gives an empty relationship.
     */
    static Relationship fromJson(const QJsonValue &json);

    /** The read shape, with upper-case cardinality ("HAS_ONE"). */
    QJsonObject toJson() const;

    friend bool operator==(const Relationship &, const Relationship &) = default;
};
