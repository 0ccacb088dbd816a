#include "editors/checkboxeditor.h"

#include <QCheckBox>
#include <QHBoxLayout>

CheckboxEditor::CheckboxEditor(const FieldDefinition &definition, QWidget *parent)
    : TypedFieldEditor(definition, parent)
    , m_check(new QCheckBox(content()))
{
    auto *layout = new QHBoxLayout(content());
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_check);
    layout->addStretch();
    setInput(m_check);
    // clicked() is emitted for the rep's clicks and key presses only, never for setChecked().
    connect(m_check, &QCheckBox::clicked, this, [this] {
        userEdited();
        userCommitted();
    });
    applyReadOnly(isReadOnly());
}

CheckboxEditor::~CheckboxEditor() = default;

void CheckboxEditor::applyValue(const FieldValue &value)
{
    m_check->setChecked(value.toBool());
}

FieldValue CheckboxEditor::currentValue() const
{
    return FieldValue::fromBool(m_check->isChecked());
}

void CheckboxEditor::applyReadOnly(bool readOnly)
{
    // A disabled check box cannot be toggled by mouse or keyboard; it still shows its state.
    m_check->setEnabled(!readOnly);
}
