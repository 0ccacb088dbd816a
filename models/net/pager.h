#pragma once

#include "net/apiresult.h"

#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>
#include <optional>

class LightfieldCall;

/** What a Pager ended with. */
struct PagerResult
{
    /** Every record, in offset order, each id once (the later-updated copy wins). */
    QList<Record> records;
    /** Every row that could not be decoded, as received, each key once. */
    QList<UndecodableRow> undecodable;
    /** Set when a page failed after the client's retries; records then hold what arrived. */
    std::optional<LightfieldError> error;
    bool cancelled = false;
    int requests = 0; ///< page requests that completed
    int lastTotalCount = 0; ///< the newest `totalCount` seen
    /**
     * The lowest offset the server refused (-1: none): a 400 about the offset, or an empty page
     * while its totalCount says more rows follow. `error` is then set too, so a caller that does
     * not narrow its query never takes the rows for the whole list.
     */
    int offsetRefusedAt = -1;
    int rereadPages = 0; ///< head pages read again after the sweep (see Pager)
    bool ok() const { return !error && !cancelled; }
    bool capped() const { return offsetRefusedAt >= 0; }
};

/**
 * Fetches every page of a list endpoint with several requests in flight (see
 * docs/sync.md).
 *
 * Stopping rule: the documented one — the first page shorter than the limit (possibly empty)
 * ends the list; pages beyond it are abandoned or dropped. "Shorter" counts the *raw* rows of
 * the response's `data` (Page::rows()): a row the client could not decode still counts, so one
 * bad record never ends the list early (it is returned in PagerResult::undecodable). The API
 * has no `hasMore`; `totalCount` is read as a hint only (below), and a response without it
 * counts the rows received so far.
 *
 * Cap: a list that is still sending full pages past Settings::maxRecords rows (100,000 by
 * default: 4,000 pages, nearly three minutes at 25 requests/s) fails with a BadResponse "the
 * server kept sending full pages past N records" instead of being paged forever; the result is
 * then not ok(), so a caller never takes it for a complete list. `totalCount` is only a *hint* for
 * how far ahead to request: it may change between pages (records are created and deleted
 * meanwhile). Pages are requested in offset order, at most Settings::maxInFlight at a time,
 * never beyond max(newest totalCount, end of the highest full page) — so one request past a
 * hint that is a multiple of the page size confirms the end, and a list that grows mid-way is
 * followed page by page. Records shifted across a page boundary may arrive twice; they are
 * de-duplicated by id. Pacing and retries are the client's (every page is a Search request).
 *
 * Shifts: a record created at the head of the list while the pages are read pushes every later
 * row one place down (a row is then read twice, and the new one not at all); a record deleted
 * before a page boundary pulls the rows after it one place up (a row is then skipped). So when
 * the list has ended and `totalCount` changed during the sweep, or fewer distinct rows arrived
 * than the last `totalCount`, the head is read again, one page at a time from offset 0: while a
 * page brings rows not seen yet, or fewer rows are seen than `totalCount`, the next page is read.
 * When `totalCount` went down at some point (a deletion), counting cannot show a skipped row
 * (the deleted row was counted), so the whole list is read again. Either way at most
 * Settings::maxRereadPages pages (default: one more pass over the list), in at most three rounds
 * (a round starts again at the head when `totalCount` grew meanwhile). What is still missing
 * after that is left to the next sweep.
 *
 * Offset cap: a search index may refuse deep offsets. A 400 about the offset (its `param`,
 * `code` or message names "offset"), or an empty page at an offset below the page's
 * `totalCount`, stops the paging at that offset: the pages below it are still awaited, then the
 * Pager finishes with PagerResult::offsetRefusedAt set (and an error), so that the caller can
 * narrow the query with filters (see Sweep).
 *
 * Lifecycle: start() once; `progress()` after each page; `finished()` exactly once — on the
 * end, on the first page that fails (after the client's retries; the other pages are then
 * abandoned) or on cancel(). The Pager does not delete itself; its parent owns it. GUI thread only.
 */
class Pager final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Pager)

public:
    /** The default of Settings::maxRecords. */
    static constexpr int kDefaultMaxRecords = 100000;

    /** Requests one page; returns the call (nullptr when it could not be made). */
    using FetchPage = std::function<LightfieldCall *(
        int offset, int limit, QObject *context, std::function<void(const PageResult &)>)>;

    struct Settings
    {
        int pageSize = 25; ///< 1–25
        int maxInFlight = 3; ///< page requests at a time
        /** A full page ending past this many rows fails the paging (see the class comment). */
        int maxRecords = kDefaultMaxRecords;
        /** Head pages read again after a shifted sweep; -1: as many as one pass over the list. */
        int maxRereadPages = -1;
        /**
         * The lowest offset the server refused before (-1: unknown). A first page whose
         * totalCount is above it ends the paging at once as refused at that offset, with that
         * page's rows, instead of reading down to the cap again.
         */
        int knownCap = -1;
    };

    Pager(FetchPage fetch, Settings settings, QObject *parent = nullptr);
    ~Pager() override;

    void setSettings(Settings settings) { m_settings = settings; }
    Settings settings() const { return m_settings; }

    /** Starts fetching; does nothing when already started. */
    void start();
    /** Abandons the pages in flight and finishes with `cancelled`. No-op once finished. */
    void cancel();

    bool isRunning() const { return m_started && !m_finished; }
    bool isFinished() const { return m_finished; }
    /** The result; complete once finished() was emitted. */
    const PagerResult &result() const { return m_result; }
    /** The most page requests that were in flight at once. */
    int maxInFlightSeen() const { return m_maxInFlightSeen; }

Q_SIGNALS:
    /** After each page: records received so far, and the total they are expected to reach. */
    void progress(int received, int expectedTotal, QPrivateSignal);
    void finished(const PagerResult &result, QPrivateSignal);

private:
    void launchMore();
    void handlePage(int offset, const PageResult &result);
    void complete();
    void finishWith(std::optional<LightfieldError> error, bool cancelled);
    int receivedCount() const;
    void noteSeen(const Page &page, int *newRows = nullptr);
    void refuseFrom(int offset, const LightfieldError &error);
    void rereadNext();
    void handleReread(int offset, const PageResult &result);

    FetchPage m_fetch;
    Settings m_settings;
    bool m_started = false;
    bool m_finished = false;
    int m_nextOffset = 0;
    int m_hintTotal = -1; ///< newest totalCount; -1 before the first page
    int m_highestFullEnd = 0; ///< offset + limit of the highest full page
    int m_endOffset = -1; ///< where the list ends; -1 until a short page arrived
    int m_maxInFlightSeen = 0;
    QMap<int, QPointer<LightfieldCall>> m_inFlight; ///< by offset
    QMap<int, QList<Record>> m_pages; ///< by offset
    QMap<int, QList<UndecodableRow>> m_undecodable; ///< by offset
    PagerResult m_result;
    QSet<QString> m_seen; ///< ids (and undecodable keys) of every row received
    int m_firstTotal = -1; ///< totalCount of the first page answered
    bool m_totalChanged = false;
    bool m_totalShrank = false; ///< a page counted fewer rows than an earlier one
    int m_maxTotal = 0;
    int m_refusedAt = -1; ///< lowest refused offset; -1: none
    int m_reportedRefusal = -1; ///< the known cap, when the first page already exceeded it
    std::optional<LightfieldError> m_refusal;
    // The head re-read (see the class comment).
    bool m_rereading = false;
    int m_rereadOffset = 0;
    int m_rereadBudget = 0;
    int m_rereadRounds = 0;
    int m_rereadRoundTotal = 0; ///< totalCount when the round started
    QPointer<LightfieldCall> m_rereadCall;
    QList<QList<Record>> m_rereadPages;
    QList<QList<UndecodableRow>> m_rereadUndecodable;
};
