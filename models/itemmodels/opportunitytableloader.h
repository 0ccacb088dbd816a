#pragma once

#include "itemmodels/namedirectory.h"
#include "itemmodels/opportunityroles.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

class LocalStore;
class ObjectSchema;
class OpportunityTableModel;
class Outbox;
struct OutboxRow;

/**
 * Fills an OpportunityTableModel from LocalStore (the store is the UI's single
 * source of truth), and refreshes single rows when sync pages or outbox results land.
 *
 * load() reads, in one go: the opportunity definitions, the names of every account, member and
 * contact (NameDirectory), every opportunity's effective copy (the server copy with queued
 * edits applied) and the outbox's states, then calls OpportunityTableModel::reload() — one
 * model reset. Records are decoded one at a time and their JSON released as it goes, so no
 * second copy of all records is ever held.
 *
 * OpportunityTableLoadJob loads the same in steps (first screenful at once, the rest in the
 * background); the app uses it at start.
 *
 * All functions run on the store's thread (the GUI thread) and block while they read; none
 * writes. Stateless: static functions only.
 */
class OpportunityTableLoader final
{
public:
    using SyncState = OpportunityRoles::SyncState;

    struct Result
    {
        bool ok = false;
        QString error; ///< for the user when !ok (no definitions cached yet, store closed)
        int rows = 0; ///< rows in the model afterwards
        int undecodable = 0; ///< stored copies that are not a JSON object with an id (skipped)
    };

    OpportunityTableLoader() = delete;

    /** Loads everything into `model` (one reset). `outbox` may be null (all rows Synced). */
    static Result load(
        const LocalStore &store, OpportunityTableModel &model, const Outbox *outbox = nullptr);

    /**
     * Re-reads `ids` from the store and applies them without a reset: present records are
     * upserted, deleted or missing ones removed, and their sync states updated from `outbox`.
     * What SyncEngine's page and outbox-result handlers call.
     */
    static void refresh(const LocalStore &store, OpportunityTableModel &model,
        const QStringList &ids, const Outbox *outbox = nullptr);

    /**
     * Re-reads the names of `ids` (accounts, members or contacts of `objectType`) and applies
     * them with OpportunityTableModel::updateNames(): only rows showing a changed name are
     * rewritten. Deleted or missing records lose their name (the cells show the id).
     */
    static void refreshNames(const LocalStore &store, OpportunityTableModel &model,
        const QString &objectType, const QStringList &ids);

    /** The cached opportunity schema; empty when no definitions are cached. */
    static ObjectSchema loadSchema(const LocalStore &store);
    /** Names of every cached account, member and contact. */
    static NameDirectory loadNames(const LocalStore &store);
    /** Each record with queued edits → its worst state (Conflict > Failed > Pending). */
    static QHash<QString, SyncState> syncStates(const Outbox &outbox);
    /** The worst state of one record's outbox rows (Synced for none). */
    static SyncState syncStateOf(const QList<OutboxRow> &rows);
};
