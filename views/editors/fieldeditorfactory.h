#pragma once

#include "editors/fieldeditor.h"

class FieldDefinition;
class QWidget;

/**
 * The only switch on FieldType in the views: one FieldEditor per value type,
 * built from its definition. A definition that is not writable gives a read-only editor; an
 * Unknown type gives a read-only editor that shows the raw value.
 */
class FieldEditorFactory final
{
public:
    FieldEditorFactory() = delete;

    /** A new editor for `definition`, owned by `parent`. Never nullptr. */
    static FieldEditor *create(const FieldDefinition &definition, QWidget *parent = nullptr);
};
