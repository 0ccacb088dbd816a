#include "net/ratelimiter.h"

#include "net/retrypolicy.h"

#include <cmath>

RateLimiter::RateLimiter(int ratePerSecond)
{
    const int rate = qMax(1, ratePerSecond);
    for (Bucket &bucket : m_buckets) {
        bucket.rate = rate;
        bucket.capacity = capacityFor(rate);
        bucket.tokens = bucket.capacity;
    }
}

double RateLimiter::capacityFor(int rate)
{
    // The margin absorbs uneven network delay (see the class comment).
    const int margin = qMax(1, rate / 5);
    return qMax(1, rate - margin);
}

RateLimiter::Bucket &RateLimiter::bucket(RateCategory category)
{
    return m_buckets[std::size_t(category)];
}

const RateLimiter::Bucket &RateLimiter::bucket(RateCategory category) const
{
    return m_buckets[std::size_t(category)];
}

void RateLimiter::refill(Bucket &bucket, qint64 nowMs)
{
    if (!bucket.started) {
        bucket.started = true;
        bucket.lastMs = nowMs;
        return;
    }
    if (nowMs <= bucket.lastMs)
        return;
    bucket.tokens = qMin(
        bucket.capacity, bucket.tokens + double(nowMs - bucket.lastMs) * bucket.rate / 1000.0);
    bucket.lastMs = nowMs;
}

qint64 RateLimiter::reserve(RateCategory category, qint64 nowMs)
{
    Bucket &b = bucket(category);
    refill(b, nowMs);
    b.tokens -= 1.0;
    if (b.tokens >= 0)
        return 0;
    return qint64(std::ceil(-b.tokens * 1000.0 / b.rate));
}

void RateLimiter::updateFromHeaders(
    RateCategory category, qint64 nowMs, const QByteArray &limit, const QByteArray &remaining)
{
    Bucket &b = bucket(category);
    refill(b, nowMs);
    bool ok = false;
    const int newRate = limit.trimmed().toInt(&ok);
    if (ok && newRate > 0 && newRate != b.rate) {
        b.rate = newRate;
        b.capacity = capacityFor(newRate);
        b.tokens = qMin(b.tokens, b.capacity);
    }
    const int left = remaining.trimmed().toInt(&ok);
    if (ok && left >= 0) {
        // Keep the jitter margin below what the server says is left. Tokens already taken for
        // requests still in flight stay taken: the server has not counted those yet.
        const double margin = b.rate - b.capacity;
        b.tokens = qMin(b.tokens, double(left) - margin);
    }
}

void RateLimiter::block(RateCategory category, qint64 nowMs, qint64 retryAfterMs)
{
    Bucket &b = bucket(category);
    refill(b, nowMs);
    // Empty the bucket and owe the tokens that refill during the wait: the next reservation
    // waits exactly Retry-After, and pacing resumes at the rate after it.
    // A server's delay is clamped like every other (RetryPolicy::kMaxServerDelayMs).
    const qint64 waitMs = qBound<qint64>(0, retryAfterMs, RetryPolicy::kMaxServerDelayMs);
    b.tokens = qMin(b.tokens, 0.0) + 1.0 - double(waitMs) * b.rate / 1000.0;
}

int RateLimiter::rate(RateCategory category) const
{
    return bucket(category).rate;
}

double RateLimiter::capacity(RateCategory category) const
{
    return bucket(category).capacity;
}

double RateLimiter::tokens(RateCategory category, qint64 nowMs)
{
    Bucket &b = bucket(category);
    refill(b, nowMs);
    return b.tokens;
}
