#include "editors/texteditor.h"

#include <QHBoxLayout>
#include <QLineEdit>

TextEditor::TextEditor(const FieldDefinition &definition, QWidget *parent)
    : TypedFieldEditor(definition, parent)
    , m_edit(new QLineEdit(content()))
{
    auto *layout = new QHBoxLayout(content());
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit);
    setInput(m_edit);

    connect(m_edit, &QLineEdit::textEdited, this, &TextEditor::userEdited);
    connect(m_edit, &QLineEdit::returnPressed, this, &TextEditor::userCommitted);
    applyReadOnly(isReadOnly());
}

TextEditor::~TextEditor() = default;

void TextEditor::applyValue(const FieldValue &value)
{
    m_edit->setText(value.toText());
}

FieldValue TextEditor::currentValue() const
{
    return FieldValue::fromText(FieldType::Text, m_edit->text());
}

void TextEditor::applyReadOnly(bool readOnly)
{
    m_edit->setReadOnly(readOnly);
}
