#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <array>

/**
 * The three rate categories of the Lightfield API. Each has its own
 * bucket on the server, so each has its own bucket here.
 */
enum class RateCategory : quint8
{
    Read = 0, ///< retrieve, definitions, auth/validate
    Write = 1, ///< create, update
    Search = 2, ///< every list endpoint, including the opportunities of a list
};

/**
 * Client-side pacing: one token bucket per RateCategory, mirroring the server's buckets so
 * that a burst of requests is spread out instead of being answered with 429s.
 *
 * A bucket of rate r refills r tokens per second up to its capacity. The capacity is r minus
 * a margin of a fifth (at least one token): requests reach the server later than they leave,
 * and by unevenly different amounts, so the client keeps that margin for jitter of up to
 * margin / r seconds (200 ms at 25/s). reserve() takes a token even when none is left, which
 * pushes the bucket below zero and returns how long the caller must wait: callers are served
 * first come, first served.
 *
 * The rate starts at 25/s (the documented default) and is corrected from every response's
 * `X-RateLimit-Limit` and `X-RateLimit-Remaining` headers; a 429 blocks the category until its
 * `Retry-After` has passed. `X-RateLimit-Reset` (whole seconds until the bucket is *full*) adds
 * nothing for a continuously refilled bucket and is ignored.
 *
 * A plain value type with no clock of its own: every call takes the current time in
 * monotonic milliseconds, so tests drive it exactly. Not thread-safe.
 */
class RateLimiter final
{
public:
    static constexpr int kDefaultRate = 25;

    explicit RateLimiter(int ratePerSecond = kDefaultRate);

    /**
     * Takes one token of `category` at `nowMs` and returns how many milliseconds the caller must
     * wait before sending (0 = send now). The token is taken even when the wait is positive.
     */
    qint64 reserve(RateCategory category, qint64 nowMs);

    /**
     * Corrects `category` from a response's headers (raw values, as received; empty = absent).
     * A new `X-RateLimit-Limit` changes the rate and capacity; `X-RateLimit-Remaining` lowers
     * the tokens when the server has fewer than the client thinks (e.g. another client of the
     * same organisation is busy). Unparseable values are ignored.
     */
    void updateFromHeaders(
        RateCategory category, qint64 nowMs, const QByteArray &limit, const QByteArray &remaining);

    /**
     * A 429: the next reservation in `category` waits retryAfterMs (more if others are queued),
     * and the ones after it are paced at the rate again. retryAfterMs is clamped to
     * [0, RetryPolicy::kMaxServerDelayMs].
     */
    void block(RateCategory category, qint64 nowMs, qint64 retryAfterMs);

    int rate(RateCategory category) const;
    double capacity(RateCategory category) const;
    /** Tokens at nowMs (negative while reservations are queued). */
    double tokens(RateCategory category, qint64 nowMs);

private:
    struct Bucket
    {
        int rate = kDefaultRate;
        double capacity = kDefaultRate;
        double tokens = kDefaultRate;
        qint64 lastMs = 0;
        bool started = false;
    };

    static double capacityFor(int rate);
    Bucket &bucket(RateCategory category);
    const Bucket &bucket(RateCategory category) const;
    static void refill(Bucket &bucket, qint64 nowMs);

    std::array<Bucket, 3> m_buckets;
};
