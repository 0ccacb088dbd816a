#pragma once

#include "editors/typedfieldeditor.h"

class QCheckBox;

/**
 * CHECKBOX: one QCheckBox; a click by the rep is one edit and a commit. An unset value shows
 * unchecked and stays null until the rep clicks.
 */
class CheckboxEditor final : public TypedFieldEditor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CheckboxEditor)

public:
    explicit CheckboxEditor(const FieldDefinition &definition, QWidget *parent = nullptr);
    ~CheckboxEditor() override;

    QCheckBox *checkBox() const { return m_check; }

protected:
    void applyValue(const FieldValue &value) override;
    FieldValue currentValue() const override;
    void applyReadOnly(bool readOnly) override;

private:
    QCheckBox *m_check = nullptr;
};
