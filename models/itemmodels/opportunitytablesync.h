#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class LocalStore;
class OpportunityTableModel;
class Outbox;

/**
 * Keeps an OpportunityTableModel in step with the sync engine's pulls, page by page and without
 * a reset (rows change in place as sync pages arrive). app/ connects the engine's signals to
 * apply() and definitionsStored(), so the item models never depend on the sync layer:
 *  - SyncEngine::recordsStored() / recordsRemoved() of opportunities →
 *    OpportunityTableLoader::refresh() (upserted in place, new rows appended in one insert,
 *    deleted rows removed, sync states from the outbox);
 *  - the same of accounts, members and contacts → OpportunityTableLoader::refreshNames()
 *    (only rows showing a changed name are rewritten);
 *  - SyncEngine::definitionsStored() of opportunities whose schema differs from the model's →
 *    schemaChanged(): the owner reloads the table (the only full reload).
 * Nothing is applied while the model has no schema (the load after the definitions reads it
 * all). The store reads are the engine's own committed writes; nothing here writes.
 *
 * Borrows everything it is given (they must outlive it). GUI thread only.
 */
class OpportunityTableSync final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OpportunityTableSync)

public:
    /** `outbox` may be null (new rows Synced). */
    OpportunityTableSync(const LocalStore &store, OpportunityTableModel &model,
        const Outbox *outbox = nullptr, QObject *parent = nullptr);
    ~OpportunityTableSync() override;

    /** Applies records of `objectType` as stored now (what the engine's signals call). */
    void apply(const QString &objectType, const QStringList &ids);
    /** Definitions of `objectType` were stored: schemaChanged() when the table's now differ. */
    void definitionsStored(const QString &objectType);

Q_SIGNALS:
    /** New opportunity definitions differ from the model's schema: reload the table. */
    void schemaChanged();

private:
    const LocalStore &m_store;
    OpportunityTableModel &m_model;
    const Outbox *m_outbox = nullptr;
};
