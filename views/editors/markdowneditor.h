#pragma once

#include "editors/typedfieldeditor.h"

class QPlainTextEdit;
class QStackedWidget;
class QTextBrowser;
class QToolButton;

/**
 * MARKDOWN: the source in a plain-text QPlainTextEdit (never rich text or HTML input) and a
 * rendered, read-only preview (QTextDocument::setMarkdown). A "Preview" toggle switches between
 * the two; read-only fields open on the preview. Each text change by the rep is one edit;
 * Ctrl+Enter commits (Enter is a new line).
 */
class MarkdownEditor final : public TypedFieldEditor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MarkdownEditor)

public:
    explicit MarkdownEditor(const FieldDefinition &definition, QWidget *parent = nullptr);
    ~MarkdownEditor() override;

    /** Shows the rendered preview (true) or the source (false). */
    void setPreviewVisible(bool visible);
    bool isPreviewVisible() const;

    QPlainTextEdit *sourceEdit() const { return m_source; }
    QTextBrowser *preview() const { return m_preview; }

protected:
    void applyValue(const FieldValue &value) override;
    FieldValue currentValue() const override;
    void applyReadOnly(bool readOnly) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void renderPreview();

    QPlainTextEdit *m_source = nullptr;
    QTextBrowser *m_preview = nullptr;
    QStackedWidget *m_stack = nullptr;
    QToolButton *m_toggle = nullptr;
};
