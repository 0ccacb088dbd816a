#include "itemmodels/opportunitytablesync.h"

#include "domain/objectschema.h"
#include "itemmodels/opportunitytableloader.h"
#include "itemmodels/opportunitytablemodel.h"

OpportunityTableSync::OpportunityTableSync(
    const LocalStore &store, OpportunityTableModel &model, const Outbox *outbox, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_model(model)
    , m_outbox(outbox)
{
}

OpportunityTableSync::~OpportunityTableSync() = default;

void OpportunityTableSync::apply(const QString &objectType, const QStringList &ids)
{
    if (m_model.schema().isEmpty() || ids.isEmpty())
        return;
    if (objectType == QLatin1String("opportunity")) {
        OpportunityTableLoader::refresh(m_store, m_model, ids, m_outbox);
    } else if (objectType == QLatin1String("account") || objectType == QLatin1String("member")
        || objectType == QLatin1String("contact")) {
        OpportunityTableLoader::refreshNames(m_store, m_model, objectType, ids);
    }
}

void OpportunityTableSync::definitionsStored(const QString &objectType)
{
    if (objectType == QLatin1String("opportunity")
        && OpportunityTableLoader::loadSchema(m_store) != m_model.schema()) {
        Q_EMIT schemaChanged();
    }
}
