#pragma once

#include "editors/fieldeditor.h"

class QLineEdit;
class QStackedLayout;

/**
 * The base of every typed editor: owns the dirty-tracking contract so each type
 * only builds its widgets and converts values.
 *
 * A subclass lays its widgets out in content(), names its main input with setInput(), and
 * implements applyValue() (show a value; called with edits suppressed), currentValue() (read
 * the widgets) and applyReadOnly(). Its user-edit handlers call userEdited(), after
 * setError() when they validate. value() is the value last set or last acceptably edited, so an
 * untouched editor returns exactly what setValue() was given.
 *
 * A raw value (FieldValue::isRaw()) is shown as compact JSON, read-only, and returned unchanged.
 */
class TypedFieldEditor : public FieldEditor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TypedFieldEditor)

public:
    ~TypedFieldEditor() override;

    FieldValue value() const final;
    void setValue(const FieldValue &value) final;
    QString validationError() const final;
    void setReadOnly(bool readOnly) final;
    bool isReadOnly() const final;
    QWidget *focusTarget() override;

protected:
    TypedFieldEditor(const FieldDefinition &definition, QWidget *parent);

    /** The widget subclasses put their inputs in (give it a layout). */
    QWidget *content() const { return m_content; }
    /** The main input: focus target, accessible name, error display. */
    void setInput(QWidget *input);
    QWidget *input() const { return m_input; }

    /** Shows `value` in the widgets. Edits are suppressed while it runs. */
    virtual void applyValue(const FieldValue &value) = 0;
    /** The value the widgets hold now (only called when there is no error). */
    virtual FieldValue currentValue() const = 0;
    /** Makes the widgets read-only (or editable again). */
    virtual void applyReadOnly(bool readOnly) = 0;

    /** True while applyValue() runs: handlers of programmatic changes return early. */
    bool isApplying() const { return m_applying; }
    /** Sets (or clears, with an empty message) the validation error and shows it. */
    void setError(const QString &message);
    /**
     * A user edit happened: records currentValue() when acceptable and emits edited() once.
     * Ignored while applying or read-only.
     */
    void userEdited();
    /** The rep committed (Enter, a choice): emits committed() unless read-only. */
    void userCommitted();

private:
    QWidget *m_content = nullptr;
    QWidget *m_input = nullptr;
    QLineEdit *m_rawDisplay = nullptr;
    QStackedLayout *m_stack = nullptr;
    FieldValue m_value;
    QString m_error;
    bool m_applying = false;
    bool m_readOnlyRequested = false;
    bool m_raw = false;
};
