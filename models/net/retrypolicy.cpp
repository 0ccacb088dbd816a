#include "net/retrypolicy.h"

#include <QLocale>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStringList>
#include <QTimeZone>

#include <cmath>
#include <limits>

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
    // Callers may pass a delay that did not come from parseRetryAfter(): clamp it the same way.
    return retryAfterMs ? qMax(backoff, qBound<qint64>(0, *retryAfterMs, kMaxServerDelayMs))
                        : backoff;
}

namespace {

/**
 * A server's delay in milliseconds as a double, clamped to [0, max] before it becomes an
 * integer: converting a double outside qint64's range is undefined behaviour. NaN: nullopt.
 */
std::optional<qint64> clampedDelay(double ms)
{
    if (std::isnan(ms))
        return std::nullopt;
    const double max = double(RetryPolicy::kMaxServerDelayMs);
    return qint64(std::ceil(qBound(0.0, ms, max)));
}

/** "1e300", "-5", "inf", "99999999999999999999": any decimal or float; false on garbage. */
bool readNumber(const QByteArray &text, double *value)
{
    bool ok = false;
    *value = text.toDouble(&ok);
    if (ok)
        return true;
    // QByteArray::toDouble() refuses an overflowing number; strtod-like readers give ±inf.
    const QByteArray lower = text.toLower();
    if (lower == "inf" || lower == "+inf" || lower == "infinity" || lower == "+infinity") {
        *value = std::numeric_limits<double>::infinity();
        return true;
    }
    if (lower == "-inf" || lower == "-infinity") {
        *value = -std::numeric_limits<double>::infinity();
        return true;
    }
    if (lower == "nan") {
        *value = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    // Only digits with an optional sign (and at most one point) left: too big for a double.
    static const QRegularExpression digits(QStringLiteral("^[+-]?[0-9]+(\\.[0-9]*)?$"));
    if (digits.match(QString::fromLatin1(text)).hasMatch()) {
        *value = text.startsWith('-') ? -std::numeric_limits<double>::infinity()
                                      : std::numeric_limits<double>::infinity();
        return true;
    }
    return false;
}

} // namespace

std::optional<qint64> RetryPolicy::parseRetryAfter(
    const QByteArray &retryAfter, const QByteArray &retryAfterMs, const QDateTime &nowUtc)
{
    double value = 0;
    const QByteArray ms = retryAfterMs.trimmed();
    if (!ms.isEmpty() && readNumber(ms, &value)) {
        if (const auto delay = clampedDelay(value))
            return delay;
    }
    const QByteArray text = retryAfter.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    if (readNumber(text, &value))
        return clampedDelay(value * 1000.0); // inf · 1000 stays inf; NaN stays NaN
    const QDateTime at = parseHttpDate(text, nowUtc);
    if (!at.isValid())
        return std::nullopt;
    return clampedDelay(double(nowUtc.msecsTo(at)));
}

QDateTime RetryPolicy::parseHttpDate(const QByteArray &value, const QDateTime &nowUtc)
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

    // RFC 850's two-digit year is read relative to now, as RFC 9110 says: the year with those
    // digits that is not more than 50 years ahead. (A fixed 1970–2069 window puts "70" in the
    // past from 2026 on.) The full year goes into the text before parsing, because QLocale
    // would read "yy" as 19yy and refuse 29-Feb-00 (1900 was no leap year).
    static const QRegularExpression rfc850(
        QStringLiteral("^(\\d{2}-[A-Za-z]{3}-)(\\d{2})( \\d{2}:\\d{2}:\\d{2} GMT)$"));
    if (const QRegularExpressionMatch match = rfc850.match(text); match.hasMatch()) {
        const int thisYear = nowUtc.date().year();
        int year = thisYear - thisYear % 100 + match.captured(2).toInt();
        if (year > thisYear + 50)
            year -= 100;
        else if (year <= thisYear - 50)
            year += 100;
        text = match.captured(1) + QString::number(year) + match.captured(3);
    }
    static const QStringList formats {
        QStringLiteral("dd MMM yyyy HH:mm:ss 'GMT'"), // IMF-fixdate
        QStringLiteral("dd-MMM-yyyy HH:mm:ss 'GMT'"), // RFC 850, its year made whole above
        QStringLiteral("MMM d HH:mm:ss yyyy"), // asctime
    };
    const QLocale c = QLocale::c();
    for (const QString &format : formats) {
        QDateTime parsed = c.toDateTime(text, format);
        if (parsed.isValid()) {
            parsed.setTimeZone(QTimeZone::utc());
            return parsed;
        }
    }
    return {};
}
