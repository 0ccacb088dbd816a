#include "editors/fieldeditorfactory.h"

#include "editors/checkboxeditor.h"
#include "editors/compositeeditors.h"
#include "editors/contactlisteditor.h"
#include "editors/datetimeeditor.h"
#include "editors/markdowneditor.h"
#include "editors/numbereditor.h"
#include "editors/rawvalueeditor.h"
#include "editors/selecteditors.h"
#include "editors/texteditor.h"

FieldEditor *FieldEditorFactory::create(const FieldDefinition &definition, QWidget *parent)
{
    FieldEditor *editor = nullptr;
    switch (definition.type()) {
    case FieldType::Text:
        editor = new TextEditor(definition, parent);
        break;
    case FieldType::Markdown:
        editor = new MarkdownEditor(definition, parent);
        break;
    case FieldType::Number:
        editor = new NumberEditor(definition, parent);
        break;
    case FieldType::Currency:
        editor = new CurrencyEditor(definition, parent);
        break;
    case FieldType::Checkbox:
        editor = new CheckboxEditor(definition, parent);
        break;
    case FieldType::DateTime:
        editor = new DateTimeEditor(definition, parent);
        break;
    case FieldType::Email:
    case FieldType::Url:
    case FieldType::Telephone:
        editor = new ContactListEditor(definition, parent);
        break;
    case FieldType::SingleSelect:
        editor = new SingleSelectEditor(definition, parent);
        break;
    case FieldType::MultiSelect:
        editor = new MultiSelectEditor(definition, parent);
        break;
    case FieldType::Address:
        editor = new AddressEditor(definition, parent);
        break;
    case FieldType::FullName:
        editor = new FullNameEditor(definition, parent);
        break;
    case FieldType::SocialHandle:
        editor = new SocialHandleEditor(definition, parent);
        break;
    case FieldType::Unknown:
        editor = new RawValueEditor(definition, parent);
        break;
    }
    if (!editor)
        editor = new RawValueEditor(definition, parent);
    editor->setReadOnly(!definition.isWritable());
    return editor;
}
