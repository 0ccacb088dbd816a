#pragma once

#include "domain/changeset.h"
#include "domain/fieldvalue.h"
#include "domain/objectschema.h"

#include <QDialog>
#include <QHash>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <vector>

class FieldEditor;
class NameListModel;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QPushButton;
class QScrollArea;
class RelationshipEditor;

/**
 * "New deal": one row per *writable* field and relationship of the schema, in
 * ObjectSchema's order, built with the same editors as DealForm. Required keys (ObjectSchema
 * marks opportunity `$name`, `$stage` and `$account`) carry a "*" and must be set before Save;
 * while one is missing, or an input cannot be read, Save is disabled and a line says what is
 * missing.
 *
 * The result is a ChangeSet::forCreate() of the values set (createChanges()); Save emits
 * createRequested() with it and accepts the dialog. The caller queues it
 * (RecordEditService::create() through an undo command). The dialog makes no network call and
 * needs no store, so it works offline; relationship names come from the NameListModels given
 * with setNameModel().
 */
class NewDealDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NewDealDialog)

public:
    /** Makes the editor of one field (default: FieldEditorFactory::create). Never nullptr. */
    using EditorFactory = std::function<FieldEditor *(const FieldDefinition &, QWidget *)>;

    explicit NewDealDialog(QWidget *parent = nullptr);
    ~NewDealDialog() override;

    /** Replaces the editor factory; takes effect at the next setSchema(). */
    void setEditorFactory(EditorFactory factory);
    /** The records offered by relationships to `objectType` (borrowed; may be nullptr). */
    void setNameModel(const QString &objectType, NameListModel *names);
    /** Builds the rows (writable fields and relationships only) and clears every value. */
    void setSchema(const ObjectSchema &schema);
    const ObjectSchema &schema() const { return m_schema; }

    /** Prefills a value without counting it as an edit (e.g. the stage of a board column). */
    void setInitialValue(const QString &key, const FieldValue &value);
    /** Prefills related ids (e.g. the owner = the signed-in member). */
    void setInitialIds(const QString &key, const QStringList &ids);

    /** Labels of the required keys still empty, in form order. */
    QStringList missingRequired() const;
    /** True when Save would accept: nothing required missing, every input acceptable. */
    bool canCreate() const;
    /** The create body of the values set now. */
    ChangeSet createChanges() const;

    FieldEditor *fieldEditor(const QString &key) const;
    RelationshipEditor *relationshipEditor(const QString &key) const;
    QPushButton *saveButton() const { return m_saveButton; }
    /** The line above the buttons: what is missing or cannot be read. */
    QString statusText() const;

public Q_SLOTS:
    /** Same as clicking Save: emits createRequested() and accepts when canCreate(). */
    void save();

Q_SIGNALS:
    void createRequested(const ChangeSet &changes);

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct Row
    {
        QString key;
        QString label;
        bool required = false;
        FieldEditor *field = nullptr;
        RelationshipEditor *relation = nullptr;
    };

    void rebuild();
    bool isSet(const Row &row) const;
    bool isAcceptable(const Row &row) const;
    void updateButtons();
    const Row *row(const QString &key) const;

    EditorFactory m_factory;
    QHash<QString, QPointer<NameListModel>> m_names;
    ObjectSchema m_schema;
    std::vector<Row> m_rows;
    QHash<QString, int> m_rowOfKey;

    QScrollArea *m_scroll = nullptr;
    QLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_saveButton = nullptr;
};
