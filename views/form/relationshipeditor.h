#pragma once

#include "domain/relationshipdefinition.h"

#include <QString>
#include <QStringList>
#include <QWidget>

class NameListModel;

/**
 * The editor of one relationship of a record: the related ids, shown by name.
 * The relationship counterpart of FieldEditor, with the same dirty-tracking contract:
 * setIds() (code) never emits edited(); every distinct user change (a record picked, a chip
 * removed, the picker cleared) emits edited() exactly once; ids() returns the ids now held.
 *
 * Names come from a NameListModel of the relationship's object type, borrowed and filled by the
 * caller from the local mirror (NameListModel::fromStore()), so editors never use the network.
 * An id the model does not know is shown as the id.
 *
 * create() picks the editor: HAS_ONE → RecordPicker, HAS_MANY (or unknown) → RecordChipsEditor,
 * read-only ($task, $note) → RelatedRecordsView.
 */
class RelationshipEditor : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelationshipEditor)

public:
    explicit RelationshipEditor(
        const RelationshipDefinition &definition, QWidget *parent = nullptr);
    ~RelationshipEditor() override;

    /** A new editor for `definition`, owned by `parent`; `names` may be nullptr. Never nullptr. */
    static RelationshipEditor *create(
        const RelationshipDefinition &definition, NameListModel *names, QWidget *parent = nullptr);

    const RelationshipDefinition &definition() const { return m_definition; }

    /** The related ids now held, in order. */
    virtual QStringList ids() const = 0;
    /** Shows `ids` without emitting edited(). */
    virtual void setIds(const QStringList &ids) = 0;
    /** The records offered and used for names (borrowed; nullptr = none known). */
    virtual void setNameModel(NameListModel *names) = 0;
    /** False while the rep's input cannot be read (text typed that names no record). */
    virtual bool isAcceptable() const { return validationError().isEmpty(); }
    virtual QString validationError() const { return {}; }
    virtual void setReadOnly(bool readOnly) = 0;
    virtual bool isReadOnly() const = 0;
    /** The widget that takes focus when the editor is focused. */
    virtual QWidget *focusTarget() { return this; }

Q_SIGNALS:
    /** The rep changed the related records (never emitted for setIds()). */
    void edited();

private:
    RelationshipDefinition m_definition;
};
