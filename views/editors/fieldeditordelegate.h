#pragma once

#include "domain/fielddefinition.h"
#include "domain/fieldvalue.h"

#include <QHash>
#include <QPersistentModelIndex>
#include <QStyledItemDelegate>

#include <optional>

class FieldEditor;

/**
 * The deals table's inline editor: opens a FieldEditor from
 * FieldEditorFactory on a field cell of OpportunityTableModel (directly or through proxies) and
 * reports the rep's value with valueCommitted(); it never calls setData(). The app turns the
 * signal into an undoable outbox edit.
 *
 * Keys, like a spreadsheet: Enter commits and the current index moves one row down; Tab /
 * Shift+Tab commit and move right / left (the next editable cell opens); Esc cancels. Leaving
 * the editor (clicking elsewhere) commits. Input the editor does not accept is never committed:
 * Enter and Tab keep the editor open with the message shown as a tooltip and sent with
 * inputRejected(). An unchanged value commits nothing.
 *
 * Not editable through it: relationship columns, read-only definitions, Unknown types and raw
 * values (createEditor() returns nullptr). The cell's editor data is set once when it opens; a
 * sync update of the row does not overwrite what the rep is typing.
 */
class FieldEditorDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FieldEditorDelegate)

public:
    explicit FieldEditorDelegate(QObject *parent = nullptr);
    ~FieldEditorDelegate() override;

    /**
     * The field definition of `index`'s column, found through any proxies from the header's
     * ColumnKeyRole; nullopt for relationship columns and models that are not an
     * OpportunityTableModel.
     */
    static std::optional<FieldDefinition> fieldAt(const QModelIndex &index);
    /** True when the delegate opens an editor on `index`. */
    static bool isEditable(const QModelIndex &index);

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(
        QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;
    void updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;

Q_SIGNALS:
    /** The rep committed `newValue` for `fieldKey` of record `recordId` (once per change). */
    void valueCommitted(
        const QString &recordId, const QString &fieldKey, const FieldValue &newValue);
    /** A commit was refused because the input is not acceptable; `message` says why. */
    void inputRejected(const QString &fieldKey, const QString &message);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    enum class Move
    {
        None,
        Down,
        Next,
        Previous,
    };
    struct Session
    {
        QPersistentModelIndex index;
        bool loaded = false;
        std::optional<FieldValue> committed;
    };

    FieldEditor *editorOf(QObject *watched) const;
    bool finish(FieldEditor *editor, Move move);
    void reject(FieldEditor *editor);

    mutable QHash<const FieldEditor *, Session> m_sessions;
};
