#include "edit/editrecordcommand.h"

#include <QCoreApplication>

namespace {

QString translate(const char *text, int n = -1)
{
    return QCoreApplication::translate("EditRecordCommand", text, nullptr, n);
}

} // namespace

EditRecordCommand::EditRecordCommand(RecordEditService &service, const ObjectSchema &schema,
    const QString &recordId, const ChangeSet &changes, QUndoCommand *parent)
    : QUndoCommand(describe(schema, changes), parent)
    , m_service(&service)
    , m_schema(schema)
    , m_recordId(recordId)
    , m_changes(changes)
{
}

EditRecordCommand::EditRecordCommand(RecordEditService &service, const ObjectSchema &schema,
    const RecordEditService::Result &applied, QUndoCommand *parent)
    : QUndoCommand(describe(schema, applied.applied), parent)
    , m_service(&service)
    , m_schema(schema)
    , m_recordId(applied.recordId)
    , m_changes(applied.applied)
    , m_inverse(applied.inverse)
    , m_skipNextRedo(applied.ok)
{
}

QString EditRecordCommand::recordId() const
{
    return m_service ? m_service->resolvedId(m_recordId) : m_recordId;
}

bool EditRecordCommand::apply(const ChangeSet &changes, bool keepInverse)
{
    m_lastError.clear();
    if (!m_service) {
        m_lastError = translate("The workspace was closed.");
        setObsolete(true);
        return false;
    }
    const RecordEditService::Result result = m_service->update(m_schema, m_recordId, changes);
    if (!result.ok) {
        m_lastError = result.error;
        setObsolete(true);
        m_service->reportUndoFailure(m_lastError);
        return false;
    }
    m_recordId = result.recordId;
    if (keepInverse)
        m_inverse = result.inverse;
    return true;
}

void EditRecordCommand::redo()
{
    if (m_skipNextRedo) {
        m_skipNextRedo = false;
        return;
    }
    apply(m_changes, true);
}

void EditRecordCommand::undo()
{
    apply(m_inverse, false);
}

QString EditRecordCommand::describe(const ObjectSchema &schema, const ChangeSet &changes)
{
    const QStringList fieldKeys = changes.fieldKeys();
    const QStringList relationshipKeys = changes.relationshipKeys();
    const qsizetype count = fieldKeys.size() + relationshipKeys.size();
    if (count == 1 && fieldKeys.size() == 1) {
        const QString &key = fieldKeys.constFirst();
        const FieldDefinition *definition = schema.field(key);
        const QString label = definition ? definition->label() : key;
        const FieldValue value = changes.value(key);
        if (value.isNull())
            return translate("Clear %1").arg(label);
        if (definition && definition->type() == FieldType::SingleSelect)
            return translate("Change %1 to %2").arg(label, definition->optionLabel(value.toText()));
        if (definition && definition->type() == FieldType::Checkbox) {
            return value.toBool() ? translate("Check %1").arg(label)
                                  : translate("Uncheck %1").arg(label);
        }
        return translate("Edit %1").arg(label);
    }
    if (count == 1) {
        const QString &key = relationshipKeys.constFirst();
        const RelationshipDefinition *definition = schema.relationship(key);
        return translate("Change %1").arg(definition ? definition->label() : key);
    }
    return translate("Edit %n fields", int(count));
}
