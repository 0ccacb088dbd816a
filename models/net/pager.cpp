#include "net/pager.h"

#include "logging.h"
#include "net/lightfieldcall.h"

#include <QHash>
#include <QSet>

Pager::Pager(FetchPage fetch, Settings settings, QObject *parent)
    : QObject(parent)
    , m_fetch(std::move(fetch))
    , m_settings(settings)
{
}

Pager::~Pager()
{
    for (const QPointer<LightfieldCall> &call : std::as_const(m_inFlight)) {
        if (call)
            call->abandon();
    }
    if (m_rereadCall)
        m_rereadCall->abandon();
}

namespace {

/** A 400 that names the offset: the server will not skip that many rows. */
bool refusesOffset(const LightfieldError &error)
{
    if (error.httpStatus() != 400)
        return false;
    const QLatin1String offset("offset");
    return error.param().compare(offset, Qt::CaseInsensitive) == 0
        || error.code().contains(offset, Qt::CaseInsensitive)
        || error.message().contains(offset, Qt::CaseInsensitive);
}

constexpr int kMaxRereadRounds = 3;

} // namespace

void Pager::noteSeen(const Page &page, int *newRows)
{
    int added = 0;
    for (const Record &record : page.records) {
        if (!m_seen.contains(record.id())) {
            m_seen.insert(record.id());
            ++added;
        }
    }
    for (const UndecodableRow &row : page.undecodable) {
        if (!m_seen.contains(row.key)) {
            m_seen.insert(row.key);
            ++added;
        }
    }
    if (newRows)
        *newRows = added;
}

void Pager::refuseFrom(int offset, const LightfieldError &error)
{
    if (m_refusedAt < 0 || offset < m_refusedAt) {
        m_refusedAt = offset;
        m_refusal = error;
    }
    qCInfo(lcNet).noquote() << "The server refuses offset" << offset << ":" << error.debugString();
    for (auto it = m_inFlight.begin(); it != m_inFlight.end();) {
        if (it.key() >= m_refusedAt) {
            if (it.value())
                it.value()->abandon();
            it = m_inFlight.erase(it);
        } else {
            ++it;
        }
    }
    launchMore();
}

void Pager::start()
{
    if (m_started)
        return;
    m_started = true;
    m_settings.pageSize = qBound(1, m_settings.pageSize, 25);
    m_settings.maxInFlight = qMax(1, m_settings.maxInFlight);
    m_settings.maxRecords = qMax(1, m_settings.maxRecords);
    launchMore();
}

void Pager::cancel()
{
    if (!m_started || m_finished)
        return;
    finishWith(std::nullopt, true);
}

int Pager::receivedCount() const
{
    int count = 0;
    for (const QList<Record> &page : m_pages)
        count += int(page.size());
    for (const QList<UndecodableRow> &rows : m_undecodable)
        count += int(rows.size());
    return count;
}

void Pager::launchMore()
{
    const int limit = m_settings.pageSize;
    while (!m_finished && m_inFlight.size() < m_settings.maxInFlight) {
        const int offset = m_nextOffset;
        if (m_endOffset >= 0 && offset >= m_endOffset)
            break;
        if (m_refusedAt >= 0 && offset >= m_refusedAt)
            break;
        // The page at maxRecords is the last one asked for: it must be short (handlePage()).
        if (offset > m_settings.maxRecords)
            break;
        // Before the first answer there is no hint: one request. After it, stay within the
        // hint (plus the page that confirms the end) or just past the highest full page.
        const bool allowed
            = m_hintTotal < 0 ? offset == 0 : offset <= qMax(m_hintTotal, m_highestFullEnd);
        if (!allowed)
            break;
        m_nextOffset += limit;
        QPointer<Pager> self(this);
        LightfieldCall *call = m_fetch(offset, limit, this, [self, offset](const PageResult &r) {
            if (self)
                self->handlePage(offset, r);
        });
        if (!call) {
            finishWith(
                LightfieldError(ErrorKind::Offline, QStringLiteral("The client is gone.")), false);
            return;
        }
        m_inFlight.insert(offset, call);
        m_maxInFlightSeen = qMax(m_maxInFlightSeen, int(m_inFlight.size()));
    }
    if (m_finished || !m_inFlight.isEmpty())
        return;
    if (m_endOffset >= 0) {
        complete();
    } else if (m_refusedAt >= 0) {
        m_result.offsetRefusedAt = m_reportedRefusal >= 0 ? m_reportedRefusal : m_refusedAt;
        finishWith(LightfieldError(ErrorKind::BadResponse,
                       QStringLiteral("The server refuses to list past offset %1 (%2).")
                           .arg(m_refusedAt)
                           .arg(m_refusal ? m_refusal->message() : QString()),
                       m_refusal ? m_refusal->httpStatus() : 200),
            false);
    }
}

void Pager::handlePage(int offset, const PageResult &result)
{
    m_inFlight.remove(offset);
    if (m_finished)
        return;
    ++m_result.requests;
    if (m_refusedAt >= 0 && offset >= m_refusedAt)
        return; // past a refused offset: not needed
    if (!result.ok()) {
        if (offset > 0 && refusesOffset(result.error())) {
            refuseFrom(offset, result.error());
            return;
        }
        finishWith(result.error(), false);
        return;
    }
    const Page &page = result.value();
    if (m_endOffset >= 0 && offset >= m_endOffset)
        return; // beyond the end found meanwhile
    if (page.rows() == 0 && offset > 0 && page.totalCount > offset) {
        // No rows where the same answer counts more: the index will not go this deep.
        refuseFrom(offset,
            LightfieldError(ErrorKind::BadResponse,
                QStringLiteral("An empty page at offset %1 of %2 rows.")
                    .arg(offset)
                    .arg(page.totalCount),
                200));
        return;
    }
    if (offset == 0 && m_firstTotal < 0 && m_settings.knownCap >= 0
        && page.totalCount > m_settings.knownCap && !page.isLast()) {
        // More rows than the server lists for one query: no use reading down to the cap.
        m_result.lastTotalCount = page.totalCount;
        m_reportedRefusal = m_settings.knownCap;
        noteSeen(page);
        m_pages.insert(offset, page.records);
        if (!page.undecodable.isEmpty())
            m_undecodable.insert(offset, page.undecodable);
        refuseFrom(offset + page.limit,
            LightfieldError(ErrorKind::BadResponse,
                QStringLiteral("%1 rows, more than the server lists for one query")
                    .arg(page.totalCount),
                200));
        return;
    }
    if (m_firstTotal < 0)
        m_firstTotal = page.totalCount;
    else if (page.totalCount != m_firstTotal)
        m_totalChanged = true;
    // Fewer rows than an earlier page said: something was deleted meanwhile, and the rows after
    // it moved up, possibly past a page boundary already read.
    if (page.totalCount < m_maxTotal)
        m_totalShrank = true;
    m_maxTotal = qMax(m_maxTotal, page.totalCount);
    m_hintTotal = page.totalCount;
    m_result.lastTotalCount = page.totalCount;
    noteSeen(page);
    m_pages.insert(offset, page.records);
    if (!page.undecodable.isEmpty())
        m_undecodable.insert(offset, page.undecodable);
    if (!page.isLast() && offset + page.rows() > m_settings.maxRecords) {
        finishWith(LightfieldError(ErrorKind::BadResponse,
                       QStringLiteral("The server kept sending full pages past %1 records.")
                           .arg(m_settings.maxRecords),
                       200),
            false);
        return;
    }
    if (page.isLast()) {
        const int end = offset + page.rows();
        m_endOffset = m_endOffset < 0 ? end : qMin(m_endOffset, end);
        // Pages past the end are not needed.
        for (auto it = m_inFlight.begin(); it != m_inFlight.end();) {
            if (it.key() >= m_endOffset) {
                if (it.value())
                    it.value()->abandon();
                it = m_inFlight.erase(it);
            } else {
                ++it;
            }
        }
        for (auto it = m_pages.begin(); it != m_pages.end();) {
            it = it.key() > offset ? m_pages.erase(it) : std::next(it);
        }
        for (auto it = m_undecodable.begin(); it != m_undecodable.end();) {
            it = it.key() > offset ? m_undecodable.erase(it) : std::next(it);
        }
    } else {
        m_highestFullEnd = qMax(m_highestFullEnd, offset + page.limit);
    }
    const int received = receivedCount();
    // A server's totalCount is only a hint: never promise more than the cap.
    const int expected = m_endOffset >= 0 ? m_endOffset : qMin(m_hintTotal, m_settings.maxRecords);
    Q_EMIT progress(received, qMax(received, expected), QPrivateSignal());
    launchMore();
}

void Pager::complete()
{
    // Rows shifted while the pages were read: read the head again (see the class comment).
    const bool shifted = m_totalChanged || int(m_seen.size()) < m_result.lastTotalCount;
    if (!shifted || m_settings.maxRereadPages == 0) {
        finishWith(std::nullopt, false);
        return;
    }
    m_rereading = true;
    m_rereadOffset = 0;
    m_rereadRounds = 1;
    m_rereadRoundTotal = m_result.lastTotalCount;
    m_rereadBudget = m_settings.maxRereadPages > 0
        ? m_settings.maxRereadPages
        : qMin(m_result.lastTotalCount, m_settings.maxRecords) / m_settings.pageSize + 2;
    qCInfo(lcNet) << "the list shifted while it was read (" << m_seen.size() << "of"
                  << m_result.lastTotalCount << "rows seen): reading its head again";
    rereadNext();
}

void Pager::rereadNext()
{
    if (m_finished)
        return;
    if (m_rereadBudget <= 0) {
        qCInfo(lcNet) << "head re-read stopped with" << m_seen.size() << "of"
                      << m_result.lastTotalCount << "rows seen; the next sweep reads the rest";
        finishWith(std::nullopt, false);
        return;
    }
    --m_rereadBudget;
    const int offset = m_rereadOffset;
    QPointer<Pager> self(this);
    m_rereadCall = m_fetch(offset, m_settings.pageSize, this, [self, offset](const PageResult &r) {
        if (self)
            self->handleReread(offset, r);
    });
    if (!m_rereadCall)
        finishWith(
            LightfieldError(ErrorKind::Offline, QStringLiteral("The client is gone.")), false);
}

void Pager::handleReread(int offset, const PageResult &result)
{
    m_rereadCall = nullptr;
    if (m_finished)
        return;
    ++m_result.requests;
    ++m_result.rereadPages;
    if (!result.ok()) {
        if (offset > 0 && refusesOffset(result.error())) {
            finishWith(std::nullopt, false); // as deep as the index goes; the sweep stands
            return;
        }
        finishWith(result.error(), false);
        return;
    }
    const Page &page = result.value();
    int added = 0;
    noteSeen(page, &added);
    m_rereadPages.append(page.records);
    m_rereadUndecodable.append(page.undecodable);
    m_result.lastTotalCount = page.totalCount;
    const int seen = int(m_seen.size());
    Q_EMIT progress(seen, qMax(seen, page.totalCount), QPrivateSignal());
    if (page.isLast() || page.rows() == 0) {
        finishWith(std::nullopt, false);
        return;
    }
    if (page.totalCount < m_maxTotal)
        m_totalShrank = true;
    m_maxTotal = qMax(m_maxTotal, page.totalCount);
    // After a deletion the ids seen include the deleted row, so counting cannot tell whether a
    // row was skipped: the whole list is read again. Otherwise the head is enough once a page
    // brings nothing new and every row is accounted for.
    if (!m_totalShrank && added == 0 && seen >= page.totalCount) {
        finishWith(std::nullopt, false); // stable: every row is accounted for
        return;
    }
    if (page.totalCount > m_rereadRoundTotal && offset > 0 && m_rereadRounds < kMaxRereadRounds) {
        // It grew again behind us: a new round from the head.
        ++m_rereadRounds;
        m_rereadRoundTotal = page.totalCount;
        m_rereadOffset = 0;
    } else {
        m_rereadOffset = offset + page.limit;
    }
    rereadNext();
}

void Pager::finishWith(std::optional<LightfieldError> error, bool cancelled)
{
    if (m_finished)
        return;
    m_finished = true;
    for (const QPointer<LightfieldCall> &call : std::as_const(m_inFlight)) {
        if (call)
            call->abandon();
    }
    m_inFlight.clear();
    if (m_rereadCall)
        m_rereadCall->abandon();
    m_rereadCall = nullptr;
    for (const QList<Record> &page : std::as_const(m_rereadPages))
        m_pages.insert(m_pages.isEmpty() ? 0 : m_pages.lastKey() + 1, page);
    for (const QList<UndecodableRow> &rows : std::as_const(m_rereadUndecodable))
        m_undecodable.insert(m_undecodable.isEmpty() ? 0 : m_undecodable.lastKey() + 1, rows);

    // Offset order; a record seen twice (shifted by an insert) keeps its newer copy, at the
    // position it was first seen.
    QHash<QString, qsizetype> position;
    for (const QList<Record> &page : std::as_const(m_pages)) {
        for (const Record &record : page) {
            const auto seen = position.constFind(record.id());
            if (seen == position.constEnd()) {
                position.insert(record.id(), m_result.records.size());
                m_result.records.append(record);
            } else if (record.updatedAt() > m_result.records.at(*seen).updatedAt()) {
                m_result.records[*seen] = record;
            }
        }
    }
    QSet<QString> undecodableKeys;
    for (const QList<UndecodableRow> &rows : std::as_const(m_undecodable)) {
        for (const UndecodableRow &row : rows) {
            if (!undecodableKeys.contains(row.key)) {
                undecodableKeys.insert(row.key);
                m_result.undecodable.append(row);
            }
        }
    }
    m_result.error = std::move(error);
    m_result.cancelled = cancelled;
    if (m_result.error)
        qCInfo(lcNet).noquote() << "Paging stopped:" << m_result.error->debugString();
    Q_EMIT finished(m_result, QPrivateSignal());
}
