// RetryPolicy::parseRetryAfter() (Retry-After / Retry-After-Ms) and the X-RateLimit-* pacing
// of RateLimiter.
//
// The input drives, through FuzzedDataProvider: a "now", raw header values, well-formed
// values built from numbers (delay-seconds, milliseconds, an HTTP-date in each of the three
// forms of RFC 9110 §5.6.7) and a sequence of limiter events.
//
// Properties:
//  - any header text gives no delay or a delay in [0, kMaxServerDelayMs], never more;
//  - delay-seconds n gives min(n · 1000, max) ms, Retry-After-Ms m gives min(m, max) and wins
//    over Retry-After; a valid HTTP-date gives the milliseconds from now to it, clamped (a
//    two-digit RFC 850 year is read as RFC 9110 says, relative to now);
//  - RateLimiter: whatever the headers and 429s, a wait is never negative, a rate never below 1.

#include "fuzzsupport.h"
#include "net/ratelimiter.h"
#include "net/retrypolicy.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>

#include <fuzzer/FuzzedDataProvider.h>

#include <limits>
#include <optional>

namespace {

constexpr qint64 kMax = RetryPolicy::kMaxServerDelayMs;

QByteArray take(FuzzedDataProvider &input, size_t length)
{
    const std::string text = input.ConsumeRandomLengthString(length);
    return QByteArray(text.data(), qsizetype(text.size()));
}

QString describe(const QByteArray &retryAfter, const QByteArray &retryAfterMs, const QDateTime &now)
{
    return QStringLiteral("Retry-After \"%1\", Retry-After-Ms \"%2\", now %3")
        .arg(QString::fromLatin1(retryAfter), QString::fromLatin1(retryAfterMs),
            now.toString(Qt::ISODateWithMs));
}

void checkBounded(
    const QByteArray &retryAfter, const QByteArray &retryAfterMs, const QDateTime &now)
{
    const std::optional<qint64> delay = RetryPolicy::parseRetryAfter(retryAfter, retryAfterMs, now);
    CHECK_MSG(!delay || (*delay >= 0 && *delay <= kMax), describe(retryAfter, retryAfterMs, now));
}

void checkExact(const QByteArray &retryAfter, const QByteArray &retryAfterMs, const QDateTime &now,
    qint64 expected)
{
    const std::optional<qint64> delay = RetryPolicy::parseRetryAfter(retryAfter, retryAfterMs, now);
    CHECK_MSG(delay == std::optional<qint64>(expected),
        describe(retryAfter, retryAfterMs, now)
            + QStringLiteral(": got %1, expected %2")
                  .arg(delay ? QString::number(*delay) : QStringLiteral("none"))
                  .arg(expected));
}

qint64 clamped(qint64 ms)
{
    return qBound<qint64>(0, ms, kMax);
}

// The three HTTP-date forms (RFC 9110 §5.6.7), written the way servers write them.
QByteArray imfFixdate(const QDateTime &at)
{
    return QLocale::c().toString(at, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
}

QByteArray rfc850(const QDateTime &at)
{
    return QLocale::c().toString(at, QStringLiteral("dddd, dd-MMM-yy HH:mm:ss 'GMT'")).toLatin1();
}

QByteArray asctime(const QDateTime &at)
{
    // asctime pads a one-digit day with a space: "Sun Nov  6 08:49:37 1994".
    const QLocale c = QLocale::c();
    return (c.toString(at, QStringLiteral("ddd MMM "))
        + QStringLiteral("%1").arg(at.date().day(), 2)
        + c.toString(at, QStringLiteral(" HH:mm:ss yyyy")))
        .toLatin1();
}

/**
 * The year RFC 9110 gives a two-digit RFC 850 year at `now`: the year with those last two
 * digits that is not more than 50 years in the future.
 */
int rfc850Year(int twoDigits, const QDateTime &now)
{
    const int thisYear = now.date().year();
    int year = thisYear - thisYear % 100 + twoDigits;
    if (year > thisYear + 50)
        year -= 100;
    else if (year <= thisYear - 50)
        year += 100;
    return year;
}

void checkLimiter(FuzzedDataProvider &input)
{
    RateLimiter limiter(input.ConsumeIntegralInRange<int>(-5, 1000));
    qint64 now = input.ConsumeIntegralInRange<qint64>(0, qint64(1) << 40);
    const int events = input.ConsumeIntegralInRange<int>(0, 64);
    for (int i = 0; i < events && input.remaining_bytes() > 0; ++i) {
        const RateCategory category = RateCategory(input.ConsumeIntegralInRange<int>(0, 2));
        now += input.ConsumeIntegralInRange<qint64>(0, 120000);
        switch (input.ConsumeIntegralInRange<int>(0, 2)) {
        case 0: {
            const qint64 wait = limiter.reserve(category, now);
            CHECK_MSG(wait >= 0, QString::number(wait));
            break;
        }
        case 1:
            limiter.updateFromHeaders(category, now, take(input, 12), take(input, 12));
            break;
        case 2:
            limiter.block(category, now, input.ConsumeIntegral<qint64>());
            break;
        }
        CHECK(limiter.rate(category) >= 1);
        CHECK(limiter.capacity(category) >= 1.0);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzedDataProvider input(data, size);
    // "Now" anywhere from 1950 to 2150, to the millisecond.
    const qint64 from = QDateTime(QDate(1950, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    const qint64 to = QDateTime(QDate(2150, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    const QDateTime now
        = QDateTime::fromMSecsSinceEpoch(input.ConsumeIntegralInRange(from, to), Qt::UTC);

    // Any text at all.
    const QByteArray retryAfter = take(input, 48);
    const QByteArray retryAfterMs = take(input, 32);
    checkBounded(retryAfter, retryAfterMs, now);
    checkBounded(retryAfter, QByteArray(), now);

    // delay-seconds, with the blanks a header value may carry around it.
    const quint32 seconds = input.ConsumeIntegral<quint32>();
    const QByteArray padded = QByteArray(input.ConsumeIntegralInRange(0, 2), ' ')
        + QByteArray::number(seconds) + QByteArray(input.ConsumeIntegralInRange(0, 2), ' ');
    checkExact(padded, QByteArray(), now, clamped(qint64(seconds) * 1000));

    // Retry-After-Ms wins over whatever Retry-After says.
    const quint32 ms = input.ConsumeIntegral<quint32>();
    checkExact(retryAfter, QByteArray::number(ms), now, clamped(ms));

    // An HTTP-date up to 200 years away, in whole seconds.
    const qint64 offset
        = input.ConsumeIntegralInRange<qint64>(-200LL * 365 * 24 * 3600, 200LL * 365 * 24 * 3600);
    const QDateTime at
        = QDateTime::fromSecsSinceEpoch(now.toSecsSinceEpoch() + offset, QTimeZone::utc());
    if (at.date().year() >= 1000 && at.date().year() <= 9999) {
        const qint64 expected = clamped(now.msecsTo(at));
        checkExact(imfFixdate(at), QByteArray(), now, expected);
        checkExact(asctime(at), QByteArray(), now, expected);
        // Only dates whose two-digit year stands for their own year are exact in RFC 850.
        if (rfc850Year(at.date().year() % 100, now) == at.date().year())
            checkExact(rfc850(at), QByteArray(), now, expected);
        else
            checkBounded(rfc850(at), QByteArray(), now);
    }

    checkLimiter(input);
    return 0;
}
