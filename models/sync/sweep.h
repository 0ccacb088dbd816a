#pragma once

#include "domain/objectschema.h"
#include "net/apiresult.h"
#include "net/listquery.h"
#include "net/pager.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>
#include <optional>

class LightfieldCall;

/** What a Sweep ended with. */
struct SweepResult
{
    /** Set when a page failed, or a refused offset could not be got round with filters. */
    std::optional<LightfieldError> error;
    bool cancelled = false;
    int rows = 0; ///< distinct rows listed (ids, and the keys of undecodable rows)
    int parts = 0; ///< queries run: 1 unless the list had to be split
    int requests = 0; ///< page requests that completed
    int refusedOffset = -1; ///< the first offset the server refused; -1: none
    bool ok() const { return !error && !cancelled; }
};

/**
 * Lists every record of one type, even where the server refuses deep offsets (docs/sync.md,
 * "Partitioned sweeps").
 *
 * A Sweep runs one Pager per *part*, one part at a time. The first part is the whole list.
 * A part whose Pager meets a refused offset (PagerResult::capped()) is replaced by narrower
 * parts built only from documented filter operators, AND-ed to the part's own filters:
 *
 *  1. a SINGLE_SELECT field not used by the part yet (`$stage` first): one part per option
 *     (`key[equal]=option`), plus one for every other value, unset included
 *     (`key[-equal]=option` for every option);
 *  2. else a NUMBER, CURRENCY or DATETIME field, the one whose values in the rows the capped
 *     Pager did receive are most varied: split at the median of those values
 *     (`key[lessThan]=m`, `key[greaterThanOrEqual]=m`), plus, unless the part already
 *     bounds that field, the rows where it is unset
 * (`key[-lessThan]=m&key[-greaterThanOrEqual]=m`).
 *
 * The parts are run depth first. Every row of the whole list matches exactly one leaf part,
 * provided the server's negation matches the rows where the field is unset (a plain NOT); the
 * deletion check (a GET before any deletion) keeps even a row missed otherwise. A part that
 * cannot be split (no such field, or every sampled value the same) or more parts than
 * Settings::maxParts fail the sweep with a message that says so.
 *
 * Once an offset was refused (or Settings::knownCap says one was, in an earlier sweep), a part
 * whose first page counts more rows than that is split right away. Each Pager also re-reads
 * the head of its part when rows shifted under it (see Pager).
 * `finished()` exactly once; GUI thread only. The Sweep does not delete itself.
 */
class Sweep final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Sweep)

public:
    /** Requests one page of `query` (its offset and limit set); nullptr when it cannot. */
    using FetchPage = std::function<LightfieldCall *(
        const ListQuery &query, QObject *context, std::function<void(const PageResult &)>)>;

    struct Settings
    {
        Pager::Settings pager;
        int maxParts = 4096; ///< queries one sweep may run
        /** An offset the server refused in an earlier sweep (-1: none): see Pager::Settings. */
        int knownCap = -1;
    };

    /** `schema`: the type's definitions, needed only to split a capped list. */
    Sweep(FetchPage fetch, std::optional<ObjectSchema> schema, Settings settings,
        QObject *parent = nullptr);
    ~Sweep() override;

    void start();
    /** Abandons the running part; finishes with `cancelled`. No-op once finished. */
    void cancel();
    bool isFinished() const { return m_finished; }

    /**
     * The narrower parts that together hold every row of `part` (see the class comment), or
     * an empty list when it cannot be split. `sample`: rows of `part` received so far.
     */
    static QList<ListQuery> split(
        const ListQuery &part, const QList<Record> &sample, const ObjectSchema &schema);

Q_SIGNALS:
    /** Rows listed so far and the total the whole list is expected to reach. */
    void progress(int received, int expectedTotal);
    void finished(const SweepResult &result);

private:
    void runNext();
    void partFinished(const ListQuery &part, const PagerResult &result);
    void finishWith(std::optional<LightfieldError> error, bool cancelled);

    FetchPage m_fetch;
    std::optional<ObjectSchema> m_schema;
    Settings m_settings;
    bool m_started = false;
    bool m_finished = false;
    QList<ListQuery> m_queue;
    QPointer<Pager> m_pager;
    QSet<QString> m_listed; ///< rows of the finished (uncapped) parts
    int m_wholeTotal = -1; ///< totalCount of the unfiltered list
    int m_cap = -1; ///< the lowest offset refused so far (or known before)
    SweepResult m_result;
};
