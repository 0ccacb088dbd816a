#pragma once

#include "editors/typedfieldeditor.h"

class QDateTimeEdit;
class QLabel;
class QToolButton;

/**
 * DATETIME: a QDateTimeEdit in local time (the rep's time zone shown beside it, e.g. "CET"),
 * a calendar popup and a Clear button that sets the value to null. The value is stored in UTC.
 * While null, the edit shows "No date"; the first change by the rep starts from now.
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

protected:
    void applyValue(const FieldValue &value) override;
    FieldValue currentValue() const override;
    void applyReadOnly(bool readOnly) override;

private:
    void handleChanged();
    void handleClear();
    bool isNullShown() const;

    QDateTimeEdit *m_edit = nullptr;
    QLabel *m_zone = nullptr;
    QToolButton *m_clear = nullptr;
    bool m_wasNull = true; ///< "No date" was shown before the current change
};
