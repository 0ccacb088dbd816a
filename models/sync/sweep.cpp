#include "sync/sweep.h"

#include "logging.h"

#include <QDateTime>

#include <algorithm>
#include <map>

namespace {

bool usesKey(const ListQuery &query, const QString &key, bool positiveOnly = false)
{
    return std::any_of(query.filters.cbegin(), query.filters.cend(), [&](const auto &filter) {
        return filter.key == key && !(positiveOnly && filter.op.startsWith(QLatin1Char('-')));
    });
}

/** A range field's value as a number to sort by and the text to filter with; nullopt: unset. */
std::optional<std::pair<double, QString>> rangeValue(const Record &record, const QString &key)
{
    const FieldValue value = record.value(key);
    if (value.isNull() || value.isRaw())
        return std::nullopt;
    switch (value.type()) {
    case FieldType::Number:
    case FieldType::Currency: {
        const double number = value.toDouble();
        return std::pair {number, QString::number(number, 'g', 17)};
    }
    case FieldType::DateTime: {
        const QDateTime at = value.toDateTime();
        if (!at.isValid())
            return std::nullopt;
        return std::pair {double(at.toMSecsSinceEpoch()), at.toString(Qt::ISODateWithMs)};
    }
    default:
        return std::nullopt;
    }
}

} // namespace

Sweep::Sweep(
    FetchPage fetch, std::optional<ObjectSchema> schema, Settings settings, QObject *parent)
    : QObject(parent)
    , m_fetch(std::move(fetch))
    , m_schema(std::move(schema))
    , m_settings(settings)
{
}

Sweep::~Sweep()
{
    delete m_pager;
}

void Sweep::start()
{
    if (m_started)
        return;
    m_started = true;
    m_cap = m_settings.knownCap;
    m_queue = {ListQuery()};
    runNext();
}

void Sweep::cancel()
{
    if (!m_started || m_finished)
        return;
    finishWith(std::nullopt, true);
}

QList<ListQuery> Sweep::split(
    const ListQuery &part, const QList<Record> &sample, const ObjectSchema &schema)
{
    // 1. A select field the part does not use yet: one part per option, one for the rest.
    QList<const FieldDefinition *> selects;
    if (const FieldDefinition *stage = schema.field(QStringLiteral("$stage")))
        selects << stage;
    for (const FieldDefinition &field : schema.fields()) {
        if (field.key() != QLatin1String("$stage"))
            selects << &field;
    }
    for (const FieldDefinition *field : std::as_const(selects)) {
        if (field->type() != FieldType::SingleSelect || field->options().isEmpty()
            || usesKey(part, field->key()))
            continue;
        QList<ListQuery> parts;
        ListQuery rest = part;
        for (const SelectOption &option : field->options()) {
            parts << ListQuery(part).where(field->key(), QStringLiteral("equal"), option.id);
            rest.where(field->key(), QStringLiteral("-equal"), option.id);
        }
        parts << rest;
        return parts;
    }

    // 2. A range field, split at the median of the rows received so far.
    QString bestKey;
    std::map<double, QString> bestValues;
    for (const FieldDefinition &field : schema.fields()) {
        if (field.type() != FieldType::Number && field.type() != FieldType::Currency
            && field.type() != FieldType::DateTime)
            continue;
        std::map<double, QString> values;
        for (const Record &record : sample) {
            if (const auto value = rangeValue(record, field.key()))
                values.emplace(value->first, value->second);
        }
        if (values.size() >= 2 && values.size() > bestValues.size()) {
            bestKey = field.key();
            bestValues = std::move(values);
        }
    }
    if (bestKey.isEmpty())
        return {};
    // The median of the sample's rows, never its smallest value: both halves hold rows.
    QList<double> sorted;
    for (const Record &record : sample) {
        if (const auto value = rangeValue(record, bestKey))
            sorted << value->first;
    }
    std::sort(sorted.begin(), sorted.end());
    double median = sorted.at(sorted.size() / 2);
    if (median <= bestValues.begin()->first)
        median = std::next(bestValues.begin())->first;
    const QString at = bestValues.at(median);
    QList<ListQuery> parts {
        ListQuery(part).where(bestKey, QStringLiteral("lessThan"), at),
        ListQuery(part).where(bestKey, QStringLiteral("greaterThanOrEqual"), at),
    };
    if (!usesKey(part, bestKey, true)) {
        parts << ListQuery(part)
                     .where(bestKey, QStringLiteral("-lessThan"), at)
                     .where(bestKey, QStringLiteral("-greaterThanOrEqual"), at);
    }
    return parts;
}

void Sweep::runNext()
{
    if (m_finished)
        return;
    if (m_queue.isEmpty()) {
        finishWith(std::nullopt, false);
        return;
    }
    if (m_result.parts >= m_settings.maxParts) {
        finishWith(LightfieldError(ErrorKind::BadResponse,
                       QStringLiteral("The list had to be split into more than %1 parts.")
                           .arg(m_settings.maxParts),
                       200),
            false);
        return;
    }
    const ListQuery part = m_queue.takeFirst();
    ++m_result.parts;
    Pager::Settings pagerSettings = m_settings.pager;
    pagerSettings.knownCap = m_cap;
    const FetchPage fetch = m_fetch;
    auto *pager = new Pager(
        [fetch, part](
            int offset, int limit, QObject *context, std::function<void(const PageResult &)> done) {
            return fetch(part.atPage(offset, limit), context, std::move(done));
        },
        pagerSettings, this);
    m_pager = pager;
    connect(pager, &Pager::progress, this, [this](int received, int expected) {
        if (m_wholeTotal < 0 && m_result.parts == 1)
            m_wholeTotal = expected;
        const int listed = int(m_listed.size()) + (m_result.parts == 1 ? received : 0);
        Q_EMIT progress(listed, qMax(listed, m_wholeTotal));
    });
    connect(pager, &Pager::finished, this,
        [this, part](const PagerResult &result) { partFinished(part, result); });
    pager->start();
}

void Sweep::partFinished(const ListQuery &part, const PagerResult &result)
{
    if (m_pager)
        m_pager->deleteLater();
    m_pager = nullptr;
    m_result.requests += result.requests;
    if (result.cancelled) {
        finishWith(std::nullopt, true);
        return;
    }
    if (m_result.parts == 1 && (m_wholeTotal < 0 || result.capped()))
        m_wholeTotal = result.lastTotalCount;
    if (result.capped()) {
        if (m_result.refusedOffset < 0)
            m_result.refusedOffset = result.offsetRefusedAt;
        m_cap = m_cap < 0 ? result.offsetRefusedAt : qMin(m_cap, result.offsetRefusedAt);
        const QList<ListQuery> parts
            = m_schema ? split(part, result.records, *m_schema) : QList<ListQuery>();
        if (parts.isEmpty()) {
            finishWith(LightfieldError(ErrorKind::BadResponse,
                           QStringLiteral("The server lists no further than offset %1, and "
                                          "the %2 rows of this query cannot be split further "
                                          "with filters.")
                               .arg(result.offsetRefusedAt)
                               .arg(result.lastTotalCount),
                           200),
                false);
            return;
        }
        qCInfo(lcSync) << "offset" << result.offsetRefusedAt << "refused: splitting a query of"
                       << result.lastTotalCount << "rows in" << parts.size();
        m_queue = parts + m_queue;
        runNext();
        return;
    }
    if (!result.ok()) {
        finishWith(result.error, false);
        return;
    }
    for (const Record &record : result.records)
        m_listed.insert(record.id());
    for (const UndecodableRow &row : result.undecodable)
        m_listed.insert(row.key);
    const int listed = int(m_listed.size());
    Q_EMIT progress(listed, qMax(listed, m_wholeTotal));
    runNext();
}

void Sweep::finishWith(std::optional<LightfieldError> error, bool cancelled)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_pager) {
        Pager *pager = m_pager;
        m_pager = nullptr;
        pager->disconnect(this);
        pager->cancel();
        pager->deleteLater();
    }
    m_result.error = std::move(error);
    m_result.cancelled = cancelled;
    m_result.rows = int(m_listed.size());
    Q_EMIT finished(m_result);
}
