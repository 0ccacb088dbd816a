#pragma once

#include "domain/objectschema.h"
#include "edit/bulkedit.h"

#include <QDialog>
#include <QHash>
#include <QPointer>
#include <QString>
#include <QStringList>

class FieldEditor;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTreeWidget;
class QVBoxLayout;
class RecordEditService;
class SyncEngine;

/**
 * "Edit N deals…": one field, one value, the selected deals.
 *
 * The rep picks a field among BulkEdit::editableFields() (objectName "bulkField"), enters the
 * value in that field's FieldEditorFactory editor and presses Apply ("bulkApply"): BulkEdit
 * queues one single-key update per deal through the RecordEditService (undo-able like any other
 * edit, sent by the SyncEngine at the write limit). The dialog then shows the progress — deals
 * queued, then confirmed as their rows leave the outbox — and a failure list ("bulkFailures":
 * deal name and reason, for deals refused locally, parked by the server or in conflict). The
 * dialog may be closed at any time: the edits stay queued; the pending-changes panel has them.
 *
 * Borrows the service and the engine (QPointer); GUI thread.
 */
class BulkEditDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BulkEditDialog)

public:
    /**
     * `recordIds` are the selected deals; `names` maps their ids to the names shown in the
     * failure list (an id without a name shows as the id).
     */
    BulkEditDialog(const ObjectSchema &schema, const QStringList &recordIds,
        RecordEditService &service, SyncEngine *engine, const QHash<QString, QString> &names = {},
        QWidget *parent = nullptr);
    ~BulkEditDialog() override;

    /** The field chosen now (invalid when the schema has no editable field). */
    FieldDefinition currentField() const;
    /** Chooses the field with this key; false when it cannot be bulk edited. */
    bool setCurrentField(const QString &key);
    /** The editor of the current field, or nullptr. */
    FieldEditor *editor() const { return m_editor; }
    /** The batch (progress and failures). */
    const BulkEdit &bulkEdit() const { return m_bulk; }

public Q_SLOTS:
    /** Applies the editor's value to every selected deal (the Apply button). */
    void apply();

private:
    void showEditor();
    void updateState();
    void updateProgress();
    void addFailureRow(const QString &recordId, const QString &message);

    ObjectSchema m_schema;
    QStringList m_recordIds;
    QHash<QString, QString> m_names;
    QList<FieldDefinition> m_fields;
    BulkEdit m_bulk;
    bool m_applied = false;

    QComboBox *m_fieldBox = nullptr;
    QVBoxLayout *m_editorArea = nullptr;
    FieldEditor *m_editor = nullptr;
    QLabel *m_hint = nullptr;
    QPushButton *m_applyButton = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QTreeWidget *m_failures = nullptr;
};
