#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

/**
 * The value of an ADDRESS field: eight members, each optional.
 *
 * An empty string means "unset" for the text members (the API's `null`); QString compares a
 * null and an empty string as equal, so the two never make a value look changed. `country` is
 * meant to be an ISO 3166-1 alpha-2 code; it is kept as read, validation is the editor's job.
 */
struct Address
{
    QString street;
    QString street2;
    QString city;
    QString state;
    QString postalCode;
    QString country;
    std::optional<double> latitude;
    std::optional<double> longitude;

    /** True when no member is set. A FieldValue stores an empty Address as null. */
    bool isEmpty() const;

    /**
     * Reads the read shape: every member a string / number or null, or absent. Unknown members
     * are ignored. Returns nullopt when a known member has the wrong JSON type (the caller then
     * keeps the whole value raw).
     */
    static std::optional<Address> fromJson(const QJsonObject &json);

    /**
     * The set members only, e.g. {"city":"Austin","country":"US"}, for displays and exports.
     * Clearing the whole address is a `null` value, written by FieldValue, not an empty object.
     */
    QJsonObject toJson() const;

    /**
     * What create and update bodies carry: all eight members, unset ones as `null`, e.g.
     * {"city":"Austin","country":"US","street":null,…}. Whether the server merges a written
     * address with the one it holds or replaces it is not documented; the whole object means
     * the same under both readings (docs/decisions/0006).
     */
    QJsonObject toWriteJson() const;

    /**
     * One line for people, as the table and the conflict dialog show it: street, street 2,
     * city, "state postal code", country — the set parts joined with ", ".
     */
    QString displayText() const;

    friend bool operator==(const Address &, const Address &) = default;
};
