#include "editors/typedfieldeditor.h"

#include "editors/editorsupport.h"

#include <QLineEdit>
#include <QStackedLayout>

TypedFieldEditor::TypedFieldEditor(const FieldDefinition &definition, QWidget *parent)
    : FieldEditor(definition, parent)
    , m_content(new QWidget(this))
    , m_stack(new QStackedLayout(this))
    , m_value(FieldValue::null(definition.type()))
{
    m_stack->setContentsMargins(0, 0, 0, 0);
    m_stack->addWidget(m_content);
    EditorSupport::name(this, nullptr);
}

TypedFieldEditor::~TypedFieldEditor() = default;

FieldValue TypedFieldEditor::value() const
{
    return m_value;
}

void TypedFieldEditor::setValue(const FieldValue &value)
{
    m_value = value;
    m_error.clear();
    EditorSupport::showError(this, m_input, {});
    m_raw = value.isRaw();
    if (m_raw) {
        if (!m_rawDisplay) {
            m_rawDisplay = new QLineEdit(this);
            m_rawDisplay->setReadOnly(true);
            m_rawDisplay->setObjectName(QStringLiteral("raw"));
            m_rawDisplay->setAccessibleName(definition().label());
            m_stack->addWidget(m_rawDisplay);
        }
        const QString text = value.jsonText();
        m_rawDisplay->setText(text);
        m_rawDisplay->setCursorPosition(0);
        m_rawDisplay->setToolTip(text);
        m_stack->setCurrentWidget(m_rawDisplay);
        setFocusProxy(m_rawDisplay);
    } else {
        m_stack->setCurrentWidget(m_content);
        setFocusProxy(m_input);
        m_applying = true;
        applyValue(value);
        m_applying = false;
    }
    applyReadOnly(isReadOnly());
}

QString TypedFieldEditor::validationError() const
{
    return m_raw ? QString() : m_error;
}

void TypedFieldEditor::setReadOnly(bool readOnly)
{
    m_readOnlyRequested = readOnly;
    applyReadOnly(isReadOnly());
}

bool TypedFieldEditor::isReadOnly() const
{
    return m_readOnlyRequested || m_raw || !definition().isWritable();
}

QWidget *TypedFieldEditor::focusTarget()
{
    if (m_raw && m_rawDisplay)
        return m_rawDisplay;
    return m_input ? m_input : this;
}

void TypedFieldEditor::setInput(QWidget *input)
{
    m_input = input;
    setFocusProxy(input);
    EditorSupport::name(this, input);
}

void TypedFieldEditor::setError(const QString &message)
{
    m_error = message;
    EditorSupport::showError(this, m_input, message);
}

void TypedFieldEditor::userEdited()
{
    if (m_applying || isReadOnly())
        return;
    if (m_error.isEmpty())
        m_value = currentValue();
    Q_EMIT edited();
}

void TypedFieldEditor::userCommitted()
{
    if (m_applying || isReadOnly())
        return;
    Q_EMIT committed();
}
