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
    if (!m_finished && m_inFlight.isEmpty() && m_endOffset >= 0)
        complete();
}

void Pager::handlePage(int offset, const PageResult &result)
{
    m_inFlight.remove(offset);
    if (m_finished)
        return;
    ++m_result.requests;
    if (!result.ok()) {
        finishWith(result.error(), false);
        return;
    }
    const Page &page = result.value();
    if (m_endOffset >= 0 && offset >= m_endOffset)
        return; // beyond the end found meanwhile
    m_hintTotal = page.totalCount;
    m_result.lastTotalCount = page.totalCount;
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
    finishWith(std::nullopt, false);
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
