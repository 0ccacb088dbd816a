#include "editors/markdowneditor.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>

MarkdownEditor::MarkdownEditor(const FieldDefinition &definition, QWidget *parent)
    : TypedFieldEditor(definition, parent)
    , m_source(new QPlainTextEdit(content()))
    , m_preview(new QTextBrowser(content()))
    , m_stack(new QStackedWidget(content()))
    , m_toggle(new QToolButton(content()))
{
    m_source->setTabChangesFocus(true);
    m_source->setObjectName(QStringLiteral("source"));
    // The preview renders the Markdown only; links are not followed inside the editor.
    m_preview->setOpenLinks(false);
    m_preview->setOpenExternalLinks(false);
    m_preview->setObjectName(QStringLiteral("preview"));
    m_stack->addWidget(m_source);
    m_stack->addWidget(m_preview);

    m_toggle->setText(tr("Preview"));
    m_toggle->setCheckable(true);
    m_toggle->setToolTip(tr("Show the formatted text"));
    m_toggle->setAutoRaise(true);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addStretch();
    bar->addWidget(m_toggle);
    auto *layout = new QVBoxLayout(content());
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_stack);
    setInput(m_source);
    m_preview->setAccessibleName(tr("%1 (preview)").arg(definition.label()));

    connect(m_toggle, &QToolButton::toggled, this, &MarkdownEditor::setPreviewVisible);
    connect(m_source, &QPlainTextEdit::textChanged, this, &MarkdownEditor::userEdited);
    m_source->installEventFilter(this);
    applyReadOnly(isReadOnly());
}

MarkdownEditor::~MarkdownEditor() = default;

void MarkdownEditor::applyValue(const FieldValue &value)
{
    m_source->setPlainText(value.toText());
    if (isPreviewVisible())
        renderPreview();
}

FieldValue MarkdownEditor::currentValue() const
{
    return FieldValue::fromText(FieldType::Markdown, m_source->toPlainText());
}

void MarkdownEditor::applyReadOnly(bool readOnly)
{
    m_source->setReadOnly(readOnly);
    if (readOnly)
        setPreviewVisible(true);
}

void MarkdownEditor::setPreviewVisible(bool visible)
{
    if (visible)
        renderPreview();
    m_stack->setCurrentWidget(visible ? static_cast<QWidget *>(m_preview) : m_source);
    if (m_toggle->isChecked() != visible) {
        const QSignalBlocker blocker(m_toggle);
        m_toggle->setChecked(visible);
    }
    m_toggle->setText(visible ? tr("Edit") : tr("Preview"));
}

bool MarkdownEditor::isPreviewVisible() const
{
    return m_stack->currentWidget() == m_preview;
}

bool MarkdownEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_source && event->type() == QEvent::KeyPress && !isReadOnly()) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
            && key->modifiers().testFlag(Qt::ControlModifier)) {
            userCommitted();
            return true;
        }
    }
    return TypedFieldEditor::eventFilter(watched, event);
}

void MarkdownEditor::renderPreview()
{
    // setMarkdown, never setHtml; and HTML embedded in the Markdown is shown as text.
    m_preview->document()->setMarkdown(m_source->toPlainText(),
        QTextDocument::MarkdownFeatures(
            QTextDocument::MarkdownDialectGitHub | QTextDocument::MarkdownNoHTML));
}
