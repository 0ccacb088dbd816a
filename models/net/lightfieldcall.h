#pragma once

#include "net/ratelimiter.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>

class LightfieldClient;
class QNetworkReply;

/**
 * One logical API call made by LightfieldClient: every HTTP attempt of it, the pacing waits
 * and the retry waits in between.
 *
 * Lifecycle: created and started by a LightfieldClient method, which returns it; it is a child
 * of the client. When the outcome is known the caller's callback runs (if its context object
 * is still alive), then `finished()` is emitted exactly once, then the call deletes itself
 * (deleteLater). `abandon()` cancels silently: the in-flight reply is aborted, no callback,
 * no `finished()`. Destroying the client or the callback's context abandons it too.
 *
 * Keep it in a QPointer if you may abandon it later. GUI thread only.
 */
class LightfieldCall final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LightfieldCall)

public:
    ~LightfieldCall() override;

    /** "GET" or "POST". */
    QByteArray method() const { return m_method; }
    /** The path without the base URL, e.g. "/v1/opportunities". */
    QString path() const { return m_path; }
    RateCategory category() const { return m_category; }
    /** HTTP attempts sent so far. */
    int attempts() const { return m_attempts; }
    bool isFinished() const { return m_finished; }

    /** Cancels silently (see the class comment). Safe to call more than once. */
    void abandon();

Q_SIGNALS:
    /** After the callback; exactly once unless abandoned. */
    void finished(QPrivateSignal);

private:
    friend class LightfieldClient;

    LightfieldCall(QByteArray method, QString path, RateCategory category, QObject *parent);

    QByteArray m_method;
    QString m_path;
    QByteArray m_query;
    QByteArray m_body;
    QString m_idempotencyKey;
    RateCategory m_category = RateCategory::Read;
    bool m_isWrite = false;
    bool m_retryGarbled = true; ///< a read's non-JSON 2xx is retried (LightfieldClient::Spec)
    int m_attempts = 0;
    bool m_finished = false;
    bool m_abandoned = false;
    bool m_tooLarge = false; ///< this attempt's body passed Options::maxResponseBytes
    QPointer<QNetworkReply> m_reply;
};
