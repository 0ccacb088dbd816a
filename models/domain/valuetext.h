#pragma once

#include <QCoreApplication>
#include <QJsonValue>
#include <QLocale>
#include <QString>

class FieldDefinition;

/**
 * Values as a rep reads them, wherever a raw JSON value of a record is shown outside its
 * editor: the conflict dialog, the pending changes and their details.
 */
class ValueText final
{
    Q_DECLARE_TR_FUNCTIONS(ValueText)

public:
    /**
     * A field value for people (bare write or read value): option labels for selects, money
     * with its currency, dates and times in `locale` (a value at midnight UTC is a date),
     * numbers in `locale`, Yes / No for checkboxes, lists joined with ", ". Empty for an unset
     * value; compact JSON for a value the definition cannot read or when `definition` is null.
     */
    static QString field(const FieldDefinition *definition, const QJsonValue &value,
        const QLocale &locale = QLocale());
    /**
     * A relationship value for people: a bare id or array of ids joined with ", ", or an
     * operation object ("Add …", "Remove …", the ids of "replace"). Empty when there is none.
     */
    static QString relationship(const QJsonValue &value);
};
