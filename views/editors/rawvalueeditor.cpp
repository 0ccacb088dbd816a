#include "editors/rawvalueeditor.h"

#include "editors/editorsupport.h"

#include <QHBoxLayout>
#include <QLineEdit>

RawValueEditor::RawValueEditor(const FieldDefinition &definition, QWidget *parent)
    : FieldEditor(definition, parent)
    , m_edit(new QLineEdit(this))
    , m_value(FieldValue::null(definition.type()))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit);
    setFocusProxy(m_edit);
    EditorSupport::name(this, m_edit);
    m_edit->setReadOnly(true);
    m_edit->setFrame(false);
}

RawValueEditor::~RawValueEditor() = default;

void RawValueEditor::setValue(const FieldValue &value)
{
    m_value = value;
    const QString text = value.jsonText();
    m_edit->setText(text);
    m_edit->setCursorPosition(0);
    m_edit->setToolTip(text);
}

void RawValueEditor::setReadOnly(bool readOnly)
{
    Q_UNUSED(readOnly)
}

QWidget *RawValueEditor::focusTarget()
{
    return m_edit;
}

QString RawValueEditor::displayText() const
{
    return m_edit->text();
}
