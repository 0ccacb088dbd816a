#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QtGlobal>

#include <functional>
#include <optional>

/**
 * When and how long to wait before retrying a request.
 *
 * Backoff is capped exponential with *full jitter* (AWS architecture blog): before retry n
 * (n = 1 for the first retry) wait uniform(0, min(cap, base · 2^(n-1))). A server's
 * `Retry-After-Ms` / `Retry-After` (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) is a floor:
 * the wait is max(jittered backoff, Retry-After). A Retry-After longer than maxRetryAfterMs is not
 * waited for; the request fails as rate limited instead and the caller decides.
 *
 * Which failures are retried is the client's decision (LightfieldClient); this class only does
 * the arithmetic. The random source is injected: `random()` must return a double in [0, 1).
 * Pure and cheap to copy; not thread-safe only in the sense that `random` is called.
 */
class RetryPolicy final
{
public:
    /**
     * The longest delay a server can ask for: every `Retry-After` / `Retry-After-Ms` is clamped
     * to [0, 10 min] when parsed. A value past it (1e300, "inf", a date in 9999, a number too
     * big for an integer) would otherwise overflow the conversion to milliseconds; NaN and
     * garbage count as absent.
     */
    static constexpr qint64 kMaxServerDelayMs = 10 * 60 * 1000;

    struct Settings
    {
        int maxAttempts = 4; ///< first try included, so at most 3 retries
        qint64 baseDelayMs = 500;
        qint64 maxDelayMs = 8000; ///< the cap of the exponential part
        qint64 maxRetryAfterMs = 60000; ///< a longer Retry-After is not waited for
    };

    /** A uniform double in [0, 1). */
    using RandomSource = std::function<double()>;

    /** Default settings, QRandomGenerator::global() as the random source. */
    RetryPolicy();
    /** With no random source, QRandomGenerator::global() is used. */
    explicit RetryPolicy(Settings settings, RandomSource random = {});

    const Settings &settings() const { return m_settings; }

    /** True while another attempt is allowed after `attemptsMade` attempts. */
    bool canRetry(int attemptsMade) const { return attemptsMade < m_settings.maxAttempts; }

    /** The upper bound of the jittered wait before retry n (n ≥ 1): min(cap, base · 2^(n-1)). */
    qint64 backoffCeilingMs(int retry) const;

    /** The jittered wait before retry n (n ≥ 1): uniform(0, backoffCeilingMs(n)), one draw. */
    qint64 backoffMs(int retry) const;

    /**
     * The wait before retry n given the server's advice (nullopt = none): max(backoffMs(n),
     * retryAfterMs). Draws one random number.
     */
    qint64 delayMs(int retry, std::optional<qint64> retryAfterMs) const;

    /** True when the server's Retry-After is too long to wait for (see maxRetryAfterMs). */
    bool retryAfterTooLong(std::optional<qint64> retryAfterMs) const
    {
        return retryAfterMs && *retryAfterMs > m_settings.maxRetryAfterMs;
    }

    /**
     * Parses the server's advice from raw header values (empty = absent), relative to `nowUtc`:
     * `Retry-After-Ms` (float milliseconds) wins over `Retry-After` (float seconds, else an
     * RFC 1123 / RFC 850 / asctime HTTP-date). A date in the past gives 0; garbage and NaN give
     * nullopt (a NaN `Retry-After-Ms` falls back to `Retry-After`). Every result is clamped to
     * [0, kMaxServerDelayMs]: negative → 0, huge or infinite → the maximum.
     */
    static std::optional<qint64> parseRetryAfter(
        const QByteArray &retryAfter, const QByteArray &retryAfterMs, const QDateTime &nowUtc);

    /**
     * Parses an HTTP-date (RFC 9110 §5.6.7, all three forms); invalid QDateTime on failure. The
     * two-digit year of the RFC 850 form is read relative to `nowUtc`: the year with those
     * digits that is at most 50 years ahead of it.
     */
    static QDateTime parseHttpDate(const QByteArray &value, const QDateTime &nowUtc);

private:
    Settings m_settings;
    RandomSource m_random;
};
