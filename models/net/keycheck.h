#pragma once

#include "api/lightfielderror.h"
#include "net/apiresult.h"
#include "net/capabilities.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>

class LightfieldCall;
class LightfieldClient;

/**
 * Checks an API key by what it can do, for sign-in: never refuses a key that can read deals.
 *
 * 1. `GET /v1/auth/validate`. An answer with `active: true` and a `scopes` list that allows
 *    reading deals settles it: Works, with Capabilities::fromScopes().
 * 2. Anything else that came from the server — the route missing (404, 405), a body that is
 *    not JSON or lacks `active`/`scopes`, `active: false`, scopes without
 *    `opportunities:read`, a 401/403 or another error status — falls back to what the key is
 *    for: `GET /v1/opportunities?limit=1`.
 *    - 200: Works. Then the other reads the app makes (accounts, members, contacts, lists) are
 *      tried the same way, all at once; a 403 or 404 marks that type unreadable
 *      (Capabilities::fromProbes(); writes are assumed allowed).
 *    - 401: WrongKey (Inactive when validate said `active: false`).
 *    - 403: CannotReadDeals.
 *    - no answer: NoNetwork; any other error: Failed.
 * 3. No answer to validate (connection refused, timeout): NoNetwork at once; a base URL the
 *    client refuses: BadUrl.
 *
 * So a key is refused only when the server refused it twice (validate and the deals list).
 * finished() is emitted exactly once, from the event loop, unless the check is destroyed first
 * (which abandons its calls). Borrows the client, which must outlive it. GUI thread only.
 */
class KeyCheck final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyCheck)

public:
    enum class Outcome : quint8
    {
        Works,
        WrongKey, ///< 401 on validate and on the deals list
        Inactive, ///< validate said `active: false`, and the deals list said 401
        CannotReadDeals, ///< the deals list said 403
        NoNetwork, ///< no answer (connection failed, timeout)
        BadUrl, ///< the client refused the base URL (nothing was sent)
        Failed, ///< any other answer (server error, unreadable)
    };
    Q_ENUM(Outcome)

    struct Result
    {
        Outcome outcome = Outcome::Failed;
        Capabilities capabilities; ///< meaningful when Works
        LightfieldError error; ///< the error that decided, when not Works
        /// Validate did not settle it; the deals list (and the read probes) did.
        bool usedFallback = false;
        /// Why validate did not settle it (for logs; English), empty when it did.
        QString validateProblem;
    };

    explicit KeyCheck(LightfieldClient &client, QObject *parent = nullptr);
    ~KeyCheck() override;

    /** Starts the check (once). */
    void start();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void finished(const KeyCheck::Result &result);

private:
    void handleValidate(const KeyInfoResult &reply);
    void fallBack(const QString &problem);
    void probeReads();
    void finish(Result result);

    QPointer<LightfieldClient> m_client;
    QList<QPointer<LightfieldCall>> m_calls;
    bool m_running = false;
    bool m_inactive = false;
    QString m_problem;
    int m_probesLeft = 0;
    QStringList m_unreadable;
};
