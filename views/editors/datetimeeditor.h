#pragma once

#include "editors/typedfieldeditor.h"

class QDateTimeEdit;
class QLabel;
class QToolButton;

/**
 * DATETIME: a QDateTimeEdit in local time (the rep's time zone shown beside it, e.g. "CET"),
 * a calendar popup and a Clear button that sets the value to null. The value is stored in UTC.
 *
 * A value at exactly midnight UTC is a date, as the table shows it: the edit then shows the date
 * alone (no time, no zone) and keeps the value at midnight UTC. An empty value is taken as a date
 * when the field's key or label names a date and not a time ("Close date", not "…At").
 *
 * While null, the edit shows "No date"; its calendar opens at today, Tab leaves it, and the
 * first key that edits (a digit, Up, Down) starts from today (and the current hour for a
 * date-time), the digits landing in the section typed into.
 */
class DateTimeEditor final : public TypedFieldEditor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DateTimeEditor)

public:
    explicit DateTimeEditor(const FieldDefinition &definition, QWidget *parent = nullptr);
    ~DateTimeEditor() override;

    QDateTimeEdit *dateTimeEdit() const { return m_edit; }
    QToolButton *clearButton() const { return m_clear; }
    /** The time zone label text (abbreviation and IANA id of the system zone). */
    QString timeZoneText() const;
    QLabel *timeZoneLabel() const { return m_zone; }
    /** True while the value is shown as a date alone. */
    bool isDateOnly() const { return m_dateOnly; }

protected:
    void applyValue(const FieldValue &value) override;
    FieldValue currentValue() const override;
    void applyReadOnly(bool readOnly) override;

private:
    void handleChanged();
    void handleClear();
    bool isNullShown() const;
    void setDateOnly(bool dateOnly);
    /** Turns "No date" into today (and this hour for a date-time) as a rep's edit. */
    void startFromToday();

    QDateTimeEdit *m_edit = nullptr;
    QLabel *m_zone = nullptr;
    QToolButton *m_clear = nullptr;
    bool m_wasNull = true; ///< "No date" was shown before the current change
    bool m_dateOnly = false;
};
