#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

/**
 * The value of a FULL_NAME field, e.g. a contact's or member's `$name`.
 * An empty string means "unset" (the API's `null`).
 */
struct FullName
{
    QString firstName;
    QString lastName;

    /** True when neither part is set. A FieldValue stores an empty FullName as null. */
    bool isEmpty() const { return firstName.isEmpty() && lastName.isEmpty(); }

    /** "First Last", or whichever part is set. */
    QString displayName() const;

    /**
     * Reads {"firstName", "lastName"} (each a string, null or absent; other members ignored).
     * Returns nullopt when a part has the wrong JSON type.
     */
    static std::optional<FullName> fromJson(const QJsonObject &json);

    /** The write shape: always both members, `null` for an unset part. */
    QJsonObject toJson() const;

    friend bool operator==(const FullName &, const FullName &) = default;
};
