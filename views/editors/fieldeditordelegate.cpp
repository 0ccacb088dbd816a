#include "editors/fieldeditordelegate.h"

#include "editors/fieldeditorfactory.h"
#include "itemmodels/opportunityroles.h"
#include "itemmodels/opportunitytablemodel.h"

#include <QAbstractItemView>
#include <QAbstractProxyModel>
#include <QApplication>
#include <QKeyEvent>
#include <QPlainTextEdit>
#include <QToolTip>

FieldEditorDelegate::FieldEditorDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

FieldEditorDelegate::~FieldEditorDelegate() = default;

std::optional<FieldDefinition> FieldEditorDelegate::fieldAt(const QModelIndex &index)
{
    if (!index.isValid())
        return std::nullopt;
    const QAbstractItemModel *model = index.model();
    const auto kind
        = model->headerData(index.column(), Qt::Horizontal, OpportunityRoles::ColumnKindRole);
    if (!kind.isValid() || kind.toInt() != int(OpportunityRoles::ColumnKind::Field))
        return std::nullopt;
    const QString key
        = model->headerData(index.column(), Qt::Horizontal, OpportunityRoles::ColumnKeyRole)
              .toString();
    while (const auto *proxy = qobject_cast<const QAbstractProxyModel *>(model))
        model = proxy->sourceModel();
    const auto *table = qobject_cast<const OpportunityTableModel *>(model);
    if (!table || key.isEmpty())
        return std::nullopt;
    const int column = table->columnForKey(key);
    if (column < 0 || table->columnAt(column).kind != OpportunityRoles::ColumnKind::Field)
        return std::nullopt;
    return table->columnAt(column).field;
}

bool FieldEditorDelegate::isEditable(const QModelIndex &index)
{
    const auto field = fieldAt(index);
    if (!field || !field->isWritable())
        return false;
    const FieldValue value = index.data(OpportunityRoles::RawValueRole).value<FieldValue>();
    return !value.isRaw();
}

QWidget *FieldEditorDelegate::createEditor(
    QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    Q_UNUSED(option)
    if (!isEditable(index))
        return nullptr;
    FieldEditor *editor = FieldEditorFactory::create(*fieldAt(index), parent);
    editor->setAutoFillBackground(true);
    m_sessions.insert(editor, Session {QPersistentModelIndex(index), false, std::nullopt});
    connect(editor, &QObject::destroyed, this, [this, editor] { m_sessions.remove(editor); });
    // The view filters only the editor itself; keys and focus changes arrive at its inputs.
    // installEventFilter() needs a non-const filter object: the delegate's state it touches is
    // the mutable session table.
    auto *self = const_cast<FieldEditorDelegate *>(this);
    const QList<QWidget *> parts = editor->findChildren<QWidget *>();
    for (QWidget *part : parts)
        part->installEventFilter(self);
    return editor;
}

void FieldEditorDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *fieldEditor = qobject_cast<FieldEditor *>(editor);
    const auto session = m_sessions.find(fieldEditor);
    if (!fieldEditor || session == m_sessions.end()) {
        QStyledItemDelegate::setEditorData(editor, index);
        return;
    }
    // Only when the editor opens: a later dataChanged (a sync update) must not replace what the
    // rep is typing.
    if (session->loaded)
        return;
    session->loaded = true;
    fieldEditor->setValue(index.data(OpportunityRoles::RawValueRole).value<FieldValue>());
}

void FieldEditorDelegate::setModelData(
    QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    Q_UNUSED(model)
    auto *fieldEditor = qobject_cast<FieldEditor *>(editor);
    const auto session = m_sessions.find(fieldEditor);
    if (!fieldEditor || session == m_sessions.end() || fieldEditor->isReadOnly()
        || !fieldEditor->isAcceptable())
        return;
    const FieldValue value = fieldEditor->value();
    const FieldValue current = index.data(OpportunityRoles::RawValueRole).value<FieldValue>();
    if (value == current || (session->committed && *session->committed == value))
        return;
    session->committed = value;
    Q_EMIT const_cast<FieldEditorDelegate *>(this)->valueCommitted(
        index.data(OpportunityRoles::IdRole).toString(), fieldEditor->definition().key(), value);
}

void FieldEditorDelegate::updateEditorGeometry(
    QWidget *editor, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    Q_UNUSED(index)
    // Multi-part editors (address, lists, Markdown) need more than a row: grow down and right
    // from the cell, staying inside the viewport.
    QRect rect = option.rect;
    const QSize hint = editor->minimumSizeHint();
    rect.setHeight(std::max(rect.height(), hint.height()));
    rect.setWidth(std::max(rect.width(), hint.width()));
    if (const QWidget *viewport = editor->parentWidget()) {
        if (rect.bottom() > viewport->height() && rect.height() < viewport->height())
            rect.moveBottom(viewport->height() - 1);
        if (rect.right() > viewport->width() && rect.width() < viewport->width())
            rect.moveRight(viewport->width() - 1);
    }
    editor->setGeometry(rect);
}

FieldEditor *FieldEditorDelegate::editorOf(QObject *watched) const
{
    for (QObject *object = watched; object; object = object->parent()) {
        auto *editor = qobject_cast<FieldEditor *>(object);
        if (editor && m_sessions.contains(editor))
            return editor;
    }
    return nullptr;
}

bool FieldEditorDelegate::eventFilter(QObject *watched, QEvent *event)
{
    // Only open sessions: a closed editor still gets a FocusOut while the view releases it, and
    // QStyledItemDelegate's own filter would commit it a second time.
    FieldEditor *editor = editorOf(watched);
    if (!editor)
        return false;

    switch (event->type()) {
    case QEvent::ShortcutOverride:
    case QEvent::KeyPress: {
        auto *key = static_cast<QKeyEvent *>(event);
        const bool multiLine = qobject_cast<QPlainTextEdit *>(watched) != nullptr;
        const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
        // In a multi-line editor Enter is a new line; Ctrl+Enter commits.
        const bool commitKey = (enter && (!multiLine || key->modifiers() & Qt::ControlModifier))
            || key->key() == Qt::Key_Tab || key->key() == Qt::Key_Backtab
            || key->key() == Qt::Key_Escape;
        if (!commitKey)
            return false;
        if (event->type() == QEvent::ShortcutOverride) {
            // Claim the key so no shortcut of the window takes it from the editor.
            event->accept();
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            m_sessions.remove(editor);
            Q_EMIT closeEditor(editor, QAbstractItemDelegate::RevertModelCache);
            return true;
        }
        if (key->key() == Qt::Key_Tab)
            return finish(editor, Move::Next);
        if (key->key() == Qt::Key_Backtab)
            return finish(editor, Move::Previous);
        return finish(editor, Move::Down);
    }
    case QEvent::FocusOut: {
        if (static_cast<QFocusEvent *>(event)->reason() == Qt::PopupFocusReason)
            return false;
        // The view closed the editor itself (current index changed): it already committed, and
        // hides the editor before deleting it, which moves the focus.
        if (!editor->isVisible()) {
            m_sessions.remove(editor);
            return false;
        }
        // Focus moving inside the editor (or to one of its popups) is not leaving it.
        for (QWidget *w = QApplication::focusWidget(); w; w = w->parentWidget()) {
            if (w == editor)
                return false;
        }
        if (!QApplication::focusWidget() && editor->isActiveWindow())
            return false;
        if (editor->isAcceptable())
            finish(editor, Move::None);
        return false;
    }
    default:
        return false;
    }
}

bool FieldEditorDelegate::finish(FieldEditor *editor, Move move)
{
    if (!editor->isAcceptable()) {
        reject(editor);
        return true;
    }
    const QPersistentModelIndex index = m_sessions.value(editor).index;
    auto *view = editor->parentWidget()
        ? qobject_cast<QAbstractItemView *>(editor->parentWidget()->parentWidget())
        : nullptr;
    Q_EMIT commitData(editor);
    m_sessions.remove(editor);
    switch (move) {
    case Move::Next:
        Q_EMIT closeEditor(editor, QAbstractItemDelegate::EditNextItem);
        break;
    case Move::Previous:
        Q_EMIT closeEditor(editor, QAbstractItemDelegate::EditPreviousItem);
        break;
    case Move::Down:
    case Move::None:
        Q_EMIT closeEditor(editor, QAbstractItemDelegate::NoHint);
        break;
    }
    // Enter moves down like a spreadsheet; the closed editor is deleted later by the view.
    if (move == Move::Down && view && index.isValid()) {
        const QModelIndex below = index.sibling(index.row() + 1, index.column());
        if (below.isValid())
            view->setCurrentIndex(below);
    }
    return true;
}

void FieldEditorDelegate::reject(FieldEditor *editor)
{
    const QString message = editor->validationError();
    QWidget *target = editor->focusTarget();
    QToolTip::showText(
        editor->mapToGlobal(QPoint(0, editor->height())), message, editor, {}, 10000);
    Q_EMIT inputRejected(editor->definition().key(), message);
    if (target)
        target->setFocus(Qt::OtherFocusReason);
}
