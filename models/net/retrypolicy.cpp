#include "net/retrypolicy.h"

#include <QLocale>
#include <QRandomGenerator>
#include <QStringList>
#include <QTimeZone>

#include <cmath>

RetryPolicy::RetryPolicy()
    : RetryPolicy(Settings {}, {})
{
}

RetryPolicy::RetryPolicy(Settings settings, RandomSource random)
    : m_settings(settings)
    , m_random(std::move(random))
{
    if (!m_random)
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
}

qint64 RetryPolicy::backoffCeilingMs(int retry) const
{
    const int exponent = qBound(0, retry - 1, 30);
    const double ceiling = double(m_settings.baseDelayMs) * std::ldexp(1.0, exponent);
    return qint64(qMin(ceiling, double(m_settings.maxDelayMs)));
}

qint64 RetryPolicy::backoffMs(int retry) const
{
    const double draw = qBound(0.0, m_random(), 1.0);
    return qint64(std::floor(draw * double(backoffCeilingMs(retry))));
}

qint64 RetryPolicy::delayMs(int retry, std::optional<qint64> retryAfterMs) const
{
    const qint64 backoff = backoffMs(retry);
    return retryAfterMs ? qMax(backoff, *retryAfterMs) : backoff;
}

std::optional<qint64> RetryPolicy::parseRetryAfter(
    const QByteArray &retryAfter, const QByteArray &retryAfterMs, const QDateTime &nowUtc)
{
    bool ok = false;
    const QByteArray ms = retryAfterMs.trimmed();
    if (!ms.isEmpty()) {
        const double value = ms.toDouble(&ok);
        if (ok && std::isfinite(value))
            return qMax<qint64>(0, qint64(std::ceil(value)));
    }
    const QByteArray text = retryAfter.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    const double seconds = text.toDouble(&ok);
    if (ok && std::isfinite(seconds))
        return qMax<qint64>(0, qint64(std::ceil(seconds * 1000.0)));
    const QDateTime at = parseHttpDate(text);
    if (!at.isValid())
        return std::nullopt;
    return qMax<qint64>(0, nowUtc.msecsTo(at));
}

QDateTime RetryPolicy::parseHttpDate(const QByteArray &value)
{
    // RFC 9110 §5.6.7: IMF-fixdate is what servers send; the obsolete RFC 850 and asctime
    // forms must still be accepted by recipients.
    // The weekday is dropped before parsing: it is redundant, and QLocale would reject a date
    // whose two-digit year it reads in the wrong century because the weekday then disagrees.
    QString text = QString::fromLatin1(value.simplified());
    const qsizetype space = text.indexOf(QLatin1Char(' '));
    if (space > 0 && text.at(0).isLetter()
        && (text.at(space - 1) == QLatin1Char(',') || space == 3))
        text = text.mid(space + 1);
    static const QStringList formats {
        QStringLiteral("dd MMM yyyy HH:mm:ss 'GMT'"), // IMF-fixdate
        QStringLiteral("dd-MMM-yy HH:mm:ss 'GMT'"), // RFC 850
        QStringLiteral("MMM d HH:mm:ss yyyy"), // asctime
    };
    const QLocale c = QLocale::c();
    for (const QString &format : formats) {
        QDateTime parsed = c.toDateTime(text, format);
        if (parsed.isValid()) {
            parsed.setTimeZone(QTimeZone::utc());
            // RFC 850's two-digit year: QLocale reads "yy" as 19yy; RFC 9110 says a year more
            // than 50 years in the future is in the past century, so move it forward.
            if (format.contains(QLatin1String("-yy ")) && parsed.date().year() < 1970)
                parsed = parsed.addYears(100);
            return parsed;
        }
    }
    return {};
}
