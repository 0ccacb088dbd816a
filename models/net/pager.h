#pragma once

#include "net/apiresult.h"

#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class LightfieldCall;

/** What a Pager ended with. */
struct PagerResult
{
    /** Every record, in offset order, each id once (the later-updated copy wins). */
    QList<Record> records;
    /** Set when a page failed after the client's retries; records then hold what arrived. */
    std::optional<LightfieldError> error;
    bool cancelled = false;
    int requests = 0; ///< page requests that completed
    int lastTotalCount = 0; ///< the newest `totalCount` seen
    bool ok() const { return !error && !cancelled; }
};

/**
 * Fetches every page of a list endpoint with several requests in flight (lightfield-api.md
 * §6.1).
 *
 * Stopping rule: the documented one — the first page shorter than the limit (possibly empty)
 * ends the list; pages beyond it are abandoned or dropped. `totalCount` is only a *hint* for
 * how far ahead to request: it may change between pages (records are created and deleted
 * meanwhile). Pages are requested in offset order, at most Settings::maxInFlight at a time,
 * never beyond max(newest totalCount, end of the highest full page) — so one request past a
 * hint that is a multiple of the page size confirms the end, and a list that grows mid-way is
 * followed page by page. Records shifted across a page boundary may arrive twice; they are
 * de-duplicated by id. Pacing and retries are the client's (every page is a Search request).
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
    /** Requests one page; returns the call (nullptr when it could not be made). */
    using FetchPage = std::function<LightfieldCall *(
        int offset, int limit, QObject *context, std::function<void(const PageResult &)>)>;

    struct Settings
    {
        int pageSize = 25; ///< 1–25
        int maxInFlight = 3; ///< page requests at a time
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
    PagerResult m_result;
};
