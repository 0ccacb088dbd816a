#pragma once

#include "domain/changeset.h"
#include "domain/fieldvalue.h"
#include "domain/objectschema.h"
#include "domain/record.h"

#include <QHash>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <vector>

class FieldEditor;
#include "itemmodels/namelistmodel.h"
class QFormLayout;
class QHBoxLayout;
class QVBoxLayout;
class QLabel;
class QPushButton;
class QScrollArea;
class RelationshipEditor;

/**
 * The detail form of one deal: a read-only header (the deal's
 * name and an "Open in Lightfield" link), then one row per field and relationship of the schema,
 * in ObjectSchema's order (system fields first), in a scroll area, then Revert and Save.
 *
 * **Building.** setSchema() builds one FieldEditor per field with the editor factory
 * (FieldEditorFactory::create() unless setEditorFactory() says otherwise) and one
 * RelationshipEditor per relationship (names from the NameListModel given for its object type
 * with setNameModel()). Each editor's objectName is its key; its label is its
 * buddy and its accessible name. setRecord() fills the editors and keeps each value as the
 * field's *base*; it emits no edit signal of any kind.
 *
 * **Dirty tracking**. Only a user edit (an editor's edited()) can make a field
 * dirty: a field is dirty while its editor's value differs from the base, or while its input is
 * not acceptable. Each dirty field shows a marker next to its label. changeSet() is
 * ChangeSet::fromEdits() of the dirty keys only. Save is enabled while something is dirty and
 * every dirty editor is acceptable; it emits saveRequested() and nothing else — the caller
 * queues the change (RecordEditService through an undo command) and then calls setRecord() with
 * the new local copy (or markSaved()), which makes the saved fields clean. Revert puts the base
 * values back. The form never writes anywhere itself.
 *
 * **A newer copy of the same record** (setRecord() with the same id, e.g. after a sync): fields
 * the rep did not touch take the new values; dirty fields keep the rep's value against the new
 * base, and one the server also changed is marked Conflict.
 *
 * **Markers.** setFieldState() shows pending / conflict / error next to a field's label (an
 * icon with the message as tooltip); showFieldError() also shows the message under the field
 * and focuses it (a 422 with `param`).
 *
 * **Focus.** The first editable field takes the focus when the form is shown as its own window,
 * and on setRecord() of another record while the focus is already in the form; opening a deal
 * from the table does not take the keyboard from the table unless the caller asks with
 * focusFirstEditable() (e.g. on Enter).
 *
 * Signals: dirtyChanged(key, dirty) and modifiedChanged(modified) on every change of those
 * states (a user edit, revert(), markSaved(), or setRecord() of another record while dirty);
 * saveRequested() on Save.
 */
class DealForm final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DealForm)

public:
    enum class FieldState : quint8
    {
        None = 0,
        Pending, ///< an edit of this field is queued, not yet confirmed by the server
        Conflict, ///< the server and the rep both changed it
        Error, ///< the server refused the value
    };
    Q_ENUM(FieldState)

    /** Makes the editor of one field (default: FieldEditorFactory::create). Never nullptr. */
    using EditorFactory = std::function<FieldEditor *(const FieldDefinition &, QWidget *)>;

    explicit DealForm(QWidget *parent = nullptr);
    ~DealForm() override;

    /** Replaces the editor factory; takes effect at the next setSchema() that rebuilds. */
    void setEditorFactory(EditorFactory factory);
    /** The records offered by relationships to `objectType` (borrowed; may be nullptr). */
    void setNameModel(const QString &objectType, NameListModel *names);

    /** Builds the rows for `schema` (nothing happens when it equals the current one). */
    void setSchema(const ObjectSchema &schema);
    const ObjectSchema &schema() const { return m_schema; }

    /** Shows `record` (see the class comment for a newer copy of the same record). */
    void setRecord(const Record &record);
    /** The record as last given to setRecord() (the base values). */
    const Record &baseRecord() const { return m_base; }
    QString recordId() const { return m_base.id(); }
    /** Shows no record: empty, read-only editors, nothing dirty. */
    void clearRecord();
    /**
     * Read-only form (the key may not change deals): every editor shows its value and takes no
     * input, so nothing can become dirty. Off by default.
     */
    void setReadOnly(bool readOnly);
    bool isReadOnly() const { return m_readOnly; }
    /**
     * A note shown under every relationship editor to `objectType` (e.g. "member"), such as why
     * it shows ids instead of names; empty removes it. Kept across setSchema().
     */
    void setNamesNote(const QString &objectType, const QString &note);

    bool isModified() const;
    /** Keys of the dirty fields and relationships, in form order. */
    QStringList dirtyKeys() const;
    bool isDirty(const QString &key) const;
    /** True when Save would emit: something dirty, every dirty editor acceptable. */
    bool canSave() const;
    /** The dirty keys as a ChangeSet against the base record. */
    ChangeSet changeSet() const;

    void setFieldState(const QString &key, FieldState state, const QString &message = {});
    FieldState fieldState(const QString &key) const;
    QString fieldStateMessage(const QString &key) const;
    /** Puts every field's state back to None. */
    void clearFieldStates();
    /**
     * Marks `key` as Error with the server's `message`, shows the message under the field and
     * focuses it. `key` may be an error `param` ("fields.$amount", "relationships.$account");
     * an unknown key shows the message at the bottom of the form.
     */
    void showFieldError(const QString &key, const QString &message);

    FieldEditor *fieldEditor(const QString &key) const;
    RelationshipEditor *relationshipEditor(const QString &key) const;
    QPushButton *saveButton() const { return m_saveButton; }
    QPushButton *revertButton() const { return m_revertButton; }
    /** The line under the rows: what blocks Save, or an error without a field. */
    QString statusText() const;

public Q_SLOTS:
    /** Same as clicking Save: emits saveRequested() when canSave(). */
    void save();
    /** Puts every field back to its base value; nothing stays dirty. */
    void revert();
    /** Takes the current values of the dirty fields as their base (after a successful queue). */
    void markSaved();
    /** Focuses the first editable field. */
    void focusFirstEditable();

Q_SIGNALS:
    void saveRequested(const QString &recordId, const ChangeSet &changes);
    void dirtyChanged(const QString &key, bool dirty);
    void modifiedChanged(bool modified);

protected:
    void showEvent(QShowEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /// Forgets the undo history of the text fields inside `editor` (after a save).
    static void clearTypingHistory(QWidget *editor);
    /// Labels beside or above the fields, whichever fits the pane's width.
    void updateRowWrap();
    struct Row
    {
        QString key;
        QString label;
        FieldEditor *field = nullptr;
        RelationshipEditor *relation = nullptr;
        QLabel *labelWidget = nullptr;
        QLabel *dirtyMark = nullptr; ///< made on first use
        QLabel *stateIcon = nullptr; ///< made on first use
        QLabel *message = nullptr; ///< made on first use
        QWidget *editor = nullptr; ///< field or relation, as a widget
        // Layouts, not widgets: a hundred rows open noticeably faster (bench_dealform).
        QHBoxLayout *labelLayout = nullptr; ///< [state icon] label [dirty mark]
        QVBoxLayout *cellLayout = nullptr; ///< the editor, then its message
        FieldValue base;
        QStringList baseIds;
        bool dirty = false;
        FieldState state = FieldState::None;
        QString stateMessage;
        QString errorMessage;
    };

    void rebuild();
    void addRow(Row row, QWidget *editor);
    void fillRow(Row &row);
    /// Read-only when there is no record, the form is, or the definition says so.
    void applyReadOnly(Row &row);
    void applyNamesNote(Row &row);
    void handleEdited(int index);
    void updatePhoneRegion();
    bool computeDirty(const Row &row) const;
    bool isAcceptable(const Row &row) const;
    QString validationError(const Row &row) const;
    QWidget *focusTargetOf(const Row &row) const;
    bool isEditable(const Row &row) const;
    void setDirty(Row &row, bool dirty);
    void showMessage(Row &row);
    void updateStateIcon(Row &row);
    void updateHeader();
    void updateButtons();
    Row *row(const QString &key);
    const Row *row(const QString &key) const;

    EditorFactory m_factory;
    QHash<QString, QPointer<NameListModel>> m_names;
    ObjectSchema m_schema;
    Record m_base;
    std::vector<Row> m_rows;
    QHash<QString, int> m_rowOfKey;
    bool m_modified = false;
    bool m_readOnly = false;
    QHash<QString, QString> m_namesNotes; ///< objectType → note
    QString m_orphanError;

    QLabel *m_title = nullptr;
    QLabel *m_link = nullptr;
    QScrollArea *m_scroll = nullptr;
    QWidget *m_content = nullptr;
    QFormLayout *m_layout = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_revertButton = nullptr;
    QPushButton *m_saveButton = nullptr;
};
