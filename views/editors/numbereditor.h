#pragma once

#include "editors/typedfieldeditor.h"

class QLabel;
class QLineEdit;

/**
 * NUMBER: a QLineEdit read in the editor's locale (then the C locale), at most two decimals and
 * within the safe-integer range. Text that is not such a number keeps the
 * last acceptable value and sets validationError(). Empty text is the NUMBER null. The number
 * is shown with the locale's group separators; the rep may type it with or without them, and
 * leaving the field groups what was typed (as a spreadsheet cell does), which is no edit.
 */
class NumberEditor final : public TypedFieldEditor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NumberEditor)

public:
    explicit NumberEditor(const FieldDefinition &definition, QWidget *parent = nullptr);
    ~NumberEditor() override;

    QLineEdit *lineEdit() const { return m_edit; }

protected:
    void applyValue(const FieldValue &value) override;
    FieldValue currentValue() const override;
    void applyReadOnly(bool readOnly) override;

private:
    void handleTextEdited();
    void regroup();

    QLineEdit *m_edit = nullptr;
};

/**
 * CURRENCY: the amount in a QLineEdit beside the currency of the definition (its symbol and ISO
 * 4217 code). Read like NUMBER; at most two decimals; the value is FieldValue::fromCents() with
 * the definition's code. Empty text is the CURRENCY null. Shown and regrouped like NUMBER.
 */
class CurrencyEditor final : public TypedFieldEditor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CurrencyEditor)

public:
    explicit CurrencyEditor(const FieldDefinition &definition, QWidget *parent = nullptr);
    ~CurrencyEditor() override;

    QLineEdit *lineEdit() const { return m_edit; }
    /** The currency shown beside the amount ("$ USD", or the code alone). */
    QString currencyText() const;

    /** The symbol of an ISO 4217 code ("USD" → "$"), from the locales that use it; empty if none.
     */
    static QString currencySymbol(const QString &isoCode);

protected:
    void applyValue(const FieldValue &value) override;
    FieldValue currentValue() const override;
    void applyReadOnly(bool readOnly) override;

private:
    void handleTextEdited();
    void regroup();

    QLineEdit *m_edit = nullptr;
    QLabel *m_currency = nullptr;
    qint64 m_cents = 0;
};
