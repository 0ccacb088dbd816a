#pragma once

#include <QDateTime>
#include <QtGlobal>

/**
 * The sandbox's notion of "now", in milliseconds since the epoch.
 *
 * Everything time-dependent in the sandbox (updatedAt, index lag, rate-limit buckets, the 24 h
 * idempotency retention) reads this clock, so a test can jump forward a day without sleeping:
 * the admin endpoint POST /__sandbox/clock {"advanceMs": N} calls advance().
 */
class SandboxClock final
{
public:
    qint64 nowMs() const { return QDateTime::currentMSecsSinceEpoch() + m_offsetMs; }
    void advance(qint64 ms) { m_offsetMs += ms; }
    qint64 offsetMs() const { return m_offsetMs; }

private:
    qint64 m_offsetMs = 0;
};
