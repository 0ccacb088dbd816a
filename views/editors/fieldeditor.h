#pragma once

#include "domain/fielddefinition.h"
#include "domain/fieldvalue.h"

#include <QString>
#include <QWidget>

/**
 * One typed editor for one field, built by FieldEditorFactory from its FieldDefinition
 * (one per value type). The detail form, the new-deal dialog and the table's inline
 * delegate all use these; nothing else switches on the value type.
 *
 * **Dirty tracking contract.** setValue() (code) never emits edited(); every distinct user edit
 * emits edited() exactly once (a keystroke burst in a line edit is one edit per change of the
 * committed text — editors emit on textEdited / activated / toggled-by-user, never on
 * programmatic changes). value() returns the typed value the editor now holds; when the input
 * cannot be turned into a value of the field's type, isAcceptable() is false, validationError()
 * says why in a sentence for the rep, and value() returns the last acceptable value.
 *
 * Read-only editors (the definition is not writable, or setReadOnly(true)) show the value and
 * never emit edited().
 */
class FieldEditor : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FieldEditor)

public:
    explicit FieldEditor(const FieldDefinition &definition, QWidget *parent = nullptr)
        : QWidget(parent)
        , m_definition(definition)
    {
    }
    ~FieldEditor() override = default;

    const FieldDefinition &definition() const { return m_definition; }

    /** The value the editor now holds (typed; the field's null when empty). */
    virtual FieldValue value() const = 0;
    /** Shows `value` without emitting edited(). */
    virtual void setValue(const FieldValue &value) = 0;
    /** False while the rep's input cannot be read as a value of this type. */
    virtual bool isAcceptable() const { return validationError().isEmpty(); }
    /** Why the input is not acceptable, for the rep; empty when it is. */
    virtual QString validationError() const { return {}; }
    /** Read-only display; a non-writable definition is always read-only. */
    virtual void setReadOnly(bool readOnly) = 0;
    virtual bool isReadOnly() const = 0;
    /** The widget that should take focus when the editor is focused (for the form and delegate). */
    virtual QWidget *focusTarget() { return this; }

Q_SIGNALS:
    /** The rep changed the value (never emitted for setValue()). */
    void edited();
    /** The rep committed the value (Enter / focus out / a choice made): for the inline delegate. */
    void committed();

private:
    FieldDefinition m_definition;
};
