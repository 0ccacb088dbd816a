#pragma once

#include "itemmodels/opportunityroles.h"
#include "itemmodels/opportunitytableloader.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>

class LocalStore;
class OpportunityTableModel;
class Outbox;

/**
 * Loads the deals table from LocalStore in steps, so the first screenful paints at once at
 * 100,000 cached deals (target: cold start ≤ 500 ms) and the GUI stays responsive while
 * the rest arrives.
 *
 * start() runs synchronously: the definitions, the outbox's sync states, the first
 * Options::firstRows deals in store order (by id) and the names those rows show — then one
 * OpportunityTableModel::reload() (the only model reset). Then, on the GUI thread, in timer
 * slices of about Options::sliceMs: every account, member and contact name (applied with
 * OpportunityTableModel::updateNames(), which rewrites only the rows showing a changed name),
 * then the remaining deals, read Options::chunkRows at a time (keyset paging on the id, one
 * short query per chunk: nothing stays open on the connection between slices) and appended with
 * OpportunityTableModel::upsertRecords() — one beginInsertRows() per chunk. data() never
 * reads the store or parses anything: every row is decoded before it is inserted.
 *
 * Rows that SyncEngine pages or outbox results insert meanwhile (OpportunityTableLoader::
 * refresh()) are fine: the store is the single source of truth, so when the job reaches such a
 * record its row is updated in place (normally with the same values) instead of added twice; a
 * record deleted meanwhile is no longer read. Search, sort and filters cover every row once
 * finished() was emitted (the proxy re-filters inserted rows as they arrive).
 *
 * Signals: progress(loaded, total) after each chunk (for "Loading deals… 40 %"), finished()
 * once, after the last chunk or when the job stops on a store error. cancel() stops without
 * finished(). The store and model must outlive the job (or the job be cancelled first). GUI
 * thread only.
 */
class OpportunityTableLoadJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OpportunityTableLoadJob)

public:
    using Result = OpportunityTableLoader::Result;
    using SyncState = OpportunityRoles::SyncState;

    struct Options
    {
        int firstRows = 200; ///< deals loaded by start(): several screenfuls
        int chunkRows = 200; ///< deals read per query (names: four times as many)
        int sliceMs = 25; ///< GUI time per timer slice before yielding to the event loop
    };

    /** `outbox` may be null (all rows Synced). */
    OpportunityTableLoadJob(const LocalStore &store, OpportunityTableModel &model,
        const Outbox *outbox = nullptr, QObject *parent = nullptr);
    OpportunityTableLoadJob(const LocalStore &store, OpportunityTableModel &model,
        const Outbox *outbox, Options options, QObject *parent = nullptr);
    ~OpportunityTableLoadJob() override;

    /**
     * Loads the first screenful (one model reset) and schedules the rest. Returns the outcome
     * of that first step: !ok when the store is closed or holds no definitions (then nothing
     * is scheduled and finished() is not emitted). Restarts a running job.
     */
    Result start();
    /** Stops loading (rows loaded so far stay); finished() is not emitted. */
    void cancel();
    /** Loads everything left synchronously (tests, the command line); emits finished(). */
    void finishNow();

    bool isRunning() const { return m_running; }
    /** Deals in the model from this job so far. */
    int loadedRows() const { return m_loaded; }
    /** Deals the store held when the job started (the progress total). */
    int totalRows() const { return m_total; }
    /** 0–100, by deals (names count as the first few percent). */
    int percent() const;

Q_SIGNALS:
    /** After each step: deals loaded so far and the total (the store's count at start). */
    void progress(int loaded, int total);
    /** Once, when every deal was loaded (result.ok) or a store read failed (result.error). */
    void finished(const OpportunityTableLoadJob::Result &result);

private:
    enum class Phase
    {
        Names,
        Deals,
        Done,
    };

    void runSlice();
    bool step();
    bool loadNameChunk();
    bool loadDealChunk();
    void finish(bool ok, const QString &error);

    const LocalStore &m_store;
    OpportunityTableModel &m_model;
    const Outbox *m_outbox = nullptr;
    Options m_options;
    QTimer m_timer;
    bool m_running = false;
    Phase m_phase = Phase::Done;
    int m_nameType = 0; ///< index into the name types being read
    QString m_nameCursor; ///< last id read of the current name type
    QString m_dealCursor; ///< last deal id read
    bool m_moreDeals = false; ///< the last deal chunk was full: there may be more
    QHash<QString, QString> m_pendingNames; ///< names read, applied when the phase ends
    QHash<QString, SyncState> m_states;
    int m_loaded = 0;
    int m_total = 0;
    int m_undecodable = 0;
};
