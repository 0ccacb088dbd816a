#include "edit/createrecordcommand.h"

#include <QCoreApplication>

namespace {

QString translate(const char *text)
{
    return QCoreApplication::translate("CreateRecordCommand", text);
}

} // namespace

CreateRecordCommand::CreateRecordCommand(RecordEditService &service, const ObjectSchema &schema,
    const ChangeSet &changes, QUndoCommand *parent)
    : QUndoCommand(describe(schema, changes), parent)
    , m_service(&service)
    , m_schema(schema)
    , m_changes(changes)
{
}

CreateRecordCommand::CreateRecordCommand(RecordEditService &service, const ObjectSchema &schema,
    const ChangeSet &changes, const RecordEditService::Result &created, QUndoCommand *parent)
    : QUndoCommand(describe(schema, changes), parent)
    , m_service(&service)
    , m_schema(schema)
    , m_changes(changes)
    , m_temporaryId(created.recordId)
    , m_skipNextRedo(created.ok)
{
}

QString CreateRecordCommand::recordId() const
{
    return m_service ? m_service->resolvedId(m_temporaryId) : m_temporaryId;
}

void CreateRecordCommand::fail(const QString &error)
{
    m_lastError = error;
    setObsolete(true);
    if (m_service)
        m_service->reportUndoFailure(error);
}

void CreateRecordCommand::redo()
{
    if (m_skipNextRedo) {
        m_skipNextRedo = false;
        return;
    }
    m_lastError.clear();
    if (!m_service) {
        fail(translate("The workspace was closed."));
        return;
    }
    const RecordEditService::Result result = m_service->create(m_schema, m_changes);
    if (!result.ok) {
        fail(result.error);
        return;
    }
    m_temporaryId = result.recordId;
}

void CreateRecordCommand::undo()
{
    m_lastError.clear();
    if (!m_service) {
        fail(translate("The workspace was closed."));
        return;
    }
    if (!m_service->undoCreate(m_schema.objectType(), m_temporaryId))
        fail(m_service->lastError());
}

QString CreateRecordCommand::describe(const ObjectSchema &schema, const ChangeSet &changes)
{
    const QString name = changes.value(QStringLiteral("$name")).toText();
    const bool deal = schema.objectType() == QLatin1String("opportunity");
    if (name.isEmpty())
        return deal ? translate("Create deal") : translate("Create record");
    return (deal ? translate("Create deal “%1”") : translate("Create “%1”")).arg(name);
}
