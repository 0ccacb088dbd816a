#include "form/relationshipeditor.h"

#include "form/recordchipseditor.h"
#include "form/recordpicker.h"
#include "form/relatedrecordsview.h"

RelationshipEditor::RelationshipEditor(const RelationshipDefinition &definition, QWidget *parent)
    : QWidget(parent)
    , m_definition(definition)
{
}

RelationshipEditor::~RelationshipEditor() = default;

RelationshipEditor *RelationshipEditor::create(
    const RelationshipDefinition &definition, NameListModel *names, QWidget *parent)
{
    RelationshipEditor *editor = nullptr;
    if (definition.isReadOnly())
        editor = new RelatedRecordsView(definition, parent);
    else if (definition.cardinality() == Cardinality::HasOne)
        editor = new RecordPicker(definition, parent);
    else
        editor = new RecordChipsEditor(definition, parent);
    editor->setObjectName(definition.key());
    editor->setNameModel(names);
    return editor;
}
