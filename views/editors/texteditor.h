#pragma once

#include "editors/typedfieldeditor.h"

class QLineEdit;

/**
 * TEXT: one QLineEdit. Every textEdited() is one edit; Enter commits. Empty text is the TEXT
 * null.
 */
class TextEditor final : public TypedFieldEditor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TextEditor)

public:
    explicit TextEditor(const FieldDefinition &definition, QWidget *parent = nullptr);
    ~TextEditor() override;

    QLineEdit *lineEdit() const { return m_edit; }

protected:
    void applyValue(const FieldValue &value) override;
    FieldValue currentValue() const override;
    void applyReadOnly(bool readOnly) override;

private:
    QLineEdit *m_edit = nullptr;
};
