#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringView>

/**
 * The value type of a field: one of the 14 `valueType`s of or Unknown.
 *
 * The numbers are persisted (local cache, outbox) and are never renumbered; a new server type
 * gets the next free number. Unknown stands for any `valueType` this build does not know: such
 * a field is shown read-only with its raw JSON and never written back.
 */
enum class FieldType : quint8
{
    Unknown = 0,
    Text = 1,
    Number = 2,
    Checkbox = 3,
    Currency = 4,
    DateTime = 5,
    Email = 6,
    Telephone = 7,
    Url = 8,
    Address = 9,
    FullName = 10,
    SocialHandle = 11,
    SingleSelect = 12,
    MultiSelect = 13,
    Markdown = 14,
};

/** The wire name of a type ("TEXT", "SINGLE_SELECT", …); empty for FieldType::Unknown. */
QString fieldTypeName(FieldType type);

/**
 * Parses a wire name, case-insensitively. The pre-2026-03-20 name "READONLY_MARKDOWN"
 * maps to Markdown; callers that care about its read-only meaning check
 * the name themselves (FieldDefinition does). Anything else unknown maps to FieldType::Unknown.
 */
FieldType fieldTypeFromName(QStringView name);

/** The 14 known types, in the API documentation's order (Unknown excluded). */
QList<FieldType> knownFieldTypes();

/**
 * True for the types whose value is a list of strings: EMAIL, TELEPHONE, URL and MULTI_SELECT.
 * Their FieldValue holds a QStringList whatever the wire shape.
 */
bool isStringListType(FieldType type);

/** True for the types whose value is one string: TEXT, MARKDOWN, SOCIAL_HANDLE, SINGLE_SELECT. */
bool isTextType(FieldType type);

Q_DECLARE_METATYPE(FieldType)
