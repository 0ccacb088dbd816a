#pragma once

#include "sandboxclock.h"
#include "sandboxerror.h"
#include "sandboxschema.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QRandomGenerator64>
#include <QString>
#include <QUrlQuery>

#include <optional>
#include <variant>

/**
 * The pipelines beta of opportunities (sandbox --pipelines and its two companions). Off by
 * default: the default schema has no `$pipeline`.
 *
 * With `enabled`, the opportunity schema is SandboxSchema::opportunityWithPipelines() and every
 * opportunity write follows the documented pipeline rules:
 *  - `$pipeline` (a pipeline id or name) is a hint for `$stage`: sent without a `$stage`
 *    → 400 parameter_missing "fields.$stage"; not a pipeline → 422 unknown_pipeline
 *    (`activePipelineIds`); never stored;
 *  - a `$stage` option id names its pipeline; with a `$pipeline` that does not own it → 422
 *    stage_unresolved_in_pipeline (`pipelineId`, `candidates`);
 *  - a `$stage` label (case-insensitive) is looked up in the hinted pipeline, else in every
 *    pipeline: in several → 422 ambiguous_stage_label with `candidates` of {stageOptionId,
 *    stageLabel, pipelineId, pipelineName};
 *  - `movesNeedHint`: a `$stage` of another pipeline than the deal's current one, without
 *    `$pipeline`, → 422 stage_unresolved_in_pipeline (the documentation says the option id alone
 *    moves the deal; this switch plays the stricter server).
 * Records read back carry no `$pipeline`, unless `onRead`: then `$pipeline` is the pipeline of
 * the record's stage (SINGLE_SELECT, `pd_…`).
 */
struct SandboxPipelines
{
    bool enabled = false;
    bool onRead = false;
    bool movesNeedHint = false;
};

/**
 * The sandbox's in-memory data: records of every object type, with the write rules of
 * the API and its lagging list index.
 *
 * Records are kept in their read shape: id, createdAt, updatedAt, httpLink, externalId,
 * fields {key: {valueType, value}} (every defined field present, null when unset) and
 * relationships {key: {cardinality, objectType, values[]}} (every defined relationship
 * present). Lists keep only id, createdAt, fields, httpLink (as documented); members have no
 * externalId and `relationships` is {}.
 *
 * List order: creation order by default; setListOrder() serves newest first or in a stable
 * shuffle instead (a real search index promises no order), and placeAtHead() puts a record first
 * whatever the order. setMaxOffset() refuses deep offsets as a search index may. Not
 * thread-safe: the sandbox is single-threaded.
 */
class SandboxStore final
{
public:
    using Result = std::variant<QJsonObject, ApiError>;

    /// The order list() serves records in (see setListOrder()).
    enum class ListOrder
    {
        Oldest, ///< creation order (the default)
        Newest, ///< newest first: a record created during a sweep shifts every later page
        /// A fixed pseudo-random order by a hash of the id: an insert or a deletion shifts the
        /// records after it, wherever it falls.
        ShuffledStable,
    };
    /// "oldest", "newest", "shuffled-stable" → the order; nullopt for anything else.
    static std::optional<ListOrder> listOrderFromName(const QString &name);
    static QString listOrderName(ListOrder order);

    /// idSeed makes generated ids reproducible (same seed → same ids in the same order).
    explicit SandboxStore(const SandboxClock *clock, quint64 idSeed = 0);

    bool hasObjectType(const QString &objectType) const;
    const SandboxSchema &schema(const QString &objectType) const;

    /**
     * POST /v1/{type}: body {"fields": {...}, "relationships": {...}} with bare values.
     * Checks, in order, each reported as the documented error:
     *  - body not an object, or a top-level key other than fields / relationships
     *    → 400 unknown_field (param = that key); fields / relationships not objects → 400
     * invalid_type;
     *  - unknown field → 400 unknown_field "fields.<key>"; read-only field → 400 read_only_field;
     *  - values through normalizeFieldWrite();
     *  - unknown relationship → 400 unknown_relationship "relationships.<key>"; read-only one →
     *    400 read_only_relationship; value not an id string or array of id strings → 400
     * invalid_type; HAS_ONE given more than one id → 400 invalid_type; an id that does not exist as
     * the target object type → 400 relationship_entity_missing;
     *  - more than 25 ids across the body → 422 relationship_write_limit_exceeded;
     *  - required fields / relationships missing (opportunity: $name, $stage, $account;
     *    account: $name; contact: $name) → 400 parameter_missing "fields.$name".
     * Members are read-only (POST → 404 not_found is the server's job; here: 400).
     * On success returns the new record; createdAt = updatedAt = now.
     */
    Result create(const QString &objectType, const QJsonObject &body);

    /**
     * POST /v1/{type}/{id}: only the keys present change. Relationship values are operation
     * objects with exactly one of add / remove / replace (single id or array; replace [] or
     * null empties a relationship unless it is required). Unknown id → 404 not_found.
     * createOnly relationships are rejected (read_only_relationship). updatedAt advances on
     * every successful write, strictly (at least 1 ms past the previous write of any record).
     */
    Result update(const QString &objectType, const QString &id, const QJsonObject &body);

    /**
     * A record deleted by someone else (the API has no delete route): it is gone from lists
     * and GET answers 404. The other side of its two-way relationships loses it, as after an
     * update that removed it, and so do the lists that held it. False when there is no such
     * record.
     */
    bool remove(const QString &objectType, const QString &id);

    // --- Sweeps against a real index: order, offset cap, head inserts -------------------

    void setListOrder(ListOrder order) { m_listOrder = order; }
    ListOrder listOrder() const { return m_listOrder; }
    /**
     * Offsets past `maxOffset` are refused (-1: no cap): list() answers 400 bad_request, code
     * "offset_too_large", param "offset" — or, with `answerEmpty`, a 200 page with no rows whose
     * totalCount still counts every match (the two ways a search index may refuse).
     */
    void setMaxOffset(qint64 maxOffset, bool answerEmpty = false)
    {
        m_maxOffset = maxOffset;
        m_maxOffsetEmpty = answerEmpty;
    }
    qint64 maxOffset() const { return m_maxOffset; }
    bool maxOffsetAnswersEmpty() const { return m_maxOffsetEmpty; }
    /// Lists `id` first from now on, before every other record, whatever the list order (the
    /// newest such record first). False when there is no such record.
    bool placeAtHead(const QString &objectType, const QString &id);
    /// The ids in the order list() serves them (head records, then the list order).
    QStringList servedIds(const QString &objectType) const;

    /// GET /v1/{type}/{id}: the current record (never lagged), or nullopt.
    std::optional<QJsonObject> retrieve(const QString &objectType, const QString &id) const;

    /**
     * GET /v1/{type}: {"object": "list", "totalCount": N, "data": [...]}. `limit` must be an
     * integer 1–25 (default 25), `offset` an integer ≥ 0 (default 0), else 400 invalid_type
     * with param "limit" / "offset". Other query items are filters (parseFilters()).
     *
     * Index lag: each record is listed as it was indexLagMs ago — the newest version written
     * at or before now − indexLagMs; a record created within the lag window is not listed yet.
     * Filters apply to that listed version. indexLagMs 0 lists current records.
     */
    Result list(const QString &objectType, const QUrlQuery &query, qint64 indexLagMs) const;

    /// GET /v1/lists/{listId}/opportunities: the opportunities of an opportunity list, paged
    /// like list(). Unknown list → 404; a list of another $objectType → 400 invalid_type.
    Result listOpportunitiesInList(
        const QString &listId, const QUrlQuery &query, qint64 indexLagMs) const;

    /// Inserts a fully formed record (read shape) as seeding does: no validation, keeps its
    /// id and timestamps if present, else assigns them. Returns the id. A list record may carry
    /// its members as "relationships": {"$opportunities": {"values": [ids]}}; they are kept
    /// apart from the list's read shape (toJson() writes them back the same way).
    QString insertRecord(const QString &objectType, QJsonObject record);

    /// Turns the pipelines beta on or off (SandboxPipelines); call before seeding.
    void setPipelines(const SandboxPipelines &pipelines);
    const SandboxPipelines &pipelines() const { return m_pipelines; }
    /// Seeding with pipelines: every third deal goes to Renewals, the others to New Business,
    /// each at the stage of that pipeline nearest to the one the seed gave it.
    void assignSeedPipelines();

    /// A fresh id for the type: prefix + 12 base62 characters from the seeded generator.
    QString newId(const QString &objectType);

    /// Adds (or replaces) a field definition of `objectType`, for tests that need a field the
    /// built-in schemas lack. Records written before read it as absent (null).
    void addField(const QString &objectType, const SandboxFieldDef &def);

    /// The readings of undocumented write rules in force (sandbox switches).
    void setWriteRules(const SandboxWriteRules &rules);
    const SandboxWriteRules &writeRules() const { return m_writeRules; }

    /// How far back a lagged list may look. Versions that no list within this horizon can
    /// show are dropped on the next write. Set it to the largest index lag in use.
    void setVersionHorizonMs(qint64 ms) { m_maxLagMs = ms; }

    int count(const QString &objectType) const;
    QStringList ids(const QString &objectType) const; ///< in creation order

    /// Whole-store snapshot for --data-file persistence (current versions only).
    QJsonObject toJson() const;
    /// Replaces the contents with a snapshot from toJson(); false (and *error) when malformed.
    bool loadJson(const QJsonObject &snapshot, QString *error);

private:
    // Seeding (sandboxseed.cpp) reads the clock and formats timestamps as the store does.
    friend class SandboxSeeder;

    /// ms since the epoch → "yyyy-MM-ddTHH:mm:ss.zzzZ" (UTC), the stored timestamp form.
    static QString isoFromMs(qint64 ms);

    struct Version
    {
        qint64 writtenAtMs = 0;
        QJsonObject record;
    };
    struct Entry
    {
        QList<Version> versions; ///< oldest first; the last is current
    };
    struct Table
    {
        SandboxSchema schema;
        QHash<QString, Entry> entries;
        QStringList order; ///< ids in creation order
        QStringList head; ///< ids placeAtHead() put first, newest first
    };

    struct RelationshipChange
    {
        const SandboxRelationshipDef *def = nullptr;
        QStringList before;
        QStringList after;
    };

    qint64 nextWriteTimeMs();
    void pruneVersions(Entry &entry) const;
    const QJsonObject *listedVersion(const Entry &entry, qint64 cutoffMs) const;
    /// everyIdExists: `ids` name current records only (a fast path when nothing is filtered).
    Result page(const Table &table, const QStringList &ids, const QUrlQuery &query,
        qint64 indexLagMs, bool everyIdExists = false) const;

    bool exists(const QString &objectType, const QString &id) const;
    const QJsonObject *current(const QString &objectType, const QString &id) const;
    /// Appends a version and makes it current; the record's updatedAt must already be set.
    void commit(Table &table, const QString &id, const QJsonObject &record, qint64 writeMs);
    /// Keeps the other side of a two-way relationship (account.$opportunity ↔
    /// opportunity.$account, account.$contact ↔ contact.$account) in step with a change.
    void syncInverse(const QString &objectType, const QString &id, const RelationshipChange &change,
        qint64 writeMs);
    void setRelationshipValues(const QString &objectType, const QString &id, const QString &key,
        const QStringList &values, qint64 writeMs);
    std::optional<ApiError> checkWritableType(const QString &objectType) const;
    /// The pipeline rules of one opportunity write (SandboxPipelines); rewrites `body` to the
    /// stage's option id, without `$pipeline`. `existing`: the record updated, or nullptr.
    std::optional<ApiError> applyPipelineRules(
        const QString &objectType, const QJsonObject *existing, QJsonObject *body) const;
    /// `$pipeline` of a stored opportunity: removed, or the stage's pipeline with `onRead`.
    void decoratePipeline(const QString &objectType, QJsonObject &record) const;

    const SandboxClock *m_clock;
    QRandomGenerator64 m_idRandom;
    QHash<QString, Table> m_tables;
    qint64 m_lastWriteMs = 0;
    qint64 m_maxLagMs = 0; ///< versions older than this (plus the newest older one) are pruned
    /// List id → member ids in insertion order. Not part of a list's read shape, so kept
    /// beside it; insertRecord() and toJson() carry it as "relationships" of the list record.
    QHash<QString, QStringList> m_listMembers;
    SandboxPipelines m_pipelines;
    SandboxWriteRules m_writeRules;
    ListOrder m_listOrder = ListOrder::Oldest;
    qint64 m_maxOffset = -1;
    bool m_maxOffsetEmpty = false;
    QStringList servedOrder(const Table &table) const;
};
