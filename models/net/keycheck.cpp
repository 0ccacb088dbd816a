#include "net/keycheck.h"

#include "logging.h"
#include "net/lightfieldcall.h"
#include "net/lightfieldclient.h"

#include <QTimer>

namespace {

bool noAnswer(const LightfieldError &error)
{
    return error.kind() == ErrorKind::Offline || error.kind() == ErrorKind::Timeout;
}

} // namespace

KeyCheck::KeyCheck(LightfieldClient &client, QObject *parent)
    : QObject(parent)
    , m_client(&client)
{
}

KeyCheck::~KeyCheck()
{
    for (const QPointer<LightfieldCall> &call : std::as_const(m_calls)) {
        if (call)
            call->abandon();
    }
}

void KeyCheck::start()
{
    if (m_running || !m_client)
        return;
    m_running = true;
    m_calls.append(
        m_client->validateKey(this, [this](const KeyInfoResult &reply) { handleValidate(reply); }));
}

void KeyCheck::handleValidate(const KeyInfoResult &reply)
{
    if (!reply.ok()) {
        const LightfieldError &error = reply.error();
        if (noAnswer(error)) {
            finish({Outcome::NoNetwork, {}, error, false, {}});
            return;
        }
        if (error.httpStatus() == 0 && m_client && !m_client->baseUrlError().isEmpty()) {
            finish({Outcome::BadUrl, {}, error, false, {}});
            return;
        }
        // The route may be missing (it is documented, but newer than the SDKs), answered by a
        // front end, or refuse what the key itself may do: the deals list decides.
        fallBack(error.httpStatus() > 0
                ? QStringLiteral("validate answered HTTP %1 (%2)")
                      .arg(error.httpStatus())
                      .arg(LightfieldError::kindName(error.kind()))
                : QStringLiteral("validate failed (%1)").arg(error.debugString()));
        return;
    }
    const KeyInfo &info = reply.value();
    if (!info.active) {
        m_inactive = true;
        fallBack(QStringLiteral("validate said the key is not active"));
        return;
    }
    const Capabilities capabilities = Capabilities::fromScopes(info.scopes);
    if (!capabilities.canReadDeals()) {
        fallBack(QStringLiteral("validate listed no opportunities:read"));
        return;
    }
    finish({Outcome::Works, capabilities, {}, false, {}});
}

void KeyCheck::fallBack(const QString &problem)
{
    m_problem = problem;
    qCInfo(lcNet).noquote() << "key check:" << problem << "- trying the deals list";
    if (!m_client) {
        finish({Outcome::Failed, {}, LightfieldError(), true, m_problem});
        return;
    }
    ListQuery query;
    query.limit = 1;
    m_calls.append(m_client->listOpportunities(query, this, [this](const PageResult &page) {
        if (page.ok()) {
            probeReads();
            return;
        }
        const LightfieldError &error = page.error();
        Outcome outcome = Outcome::Failed;
        if (noAnswer(error))
            outcome = Outcome::NoNetwork;
        else if (error.kind() == ErrorKind::Unauthorized)
            outcome = m_inactive ? Outcome::Inactive : Outcome::WrongKey;
        else if (error.kind() == ErrorKind::Forbidden)
            outcome = Outcome::CannotReadDeals;
        finish({outcome, {}, error, true, m_problem});
    }));
}

void KeyCheck::probeReads()
{
    // The scopes are unknown: try each read the app makes once. Only the server's "no" (403,
    // or 404 for a route it lacks) counts; anything else leaves the read assumed.
    const QList<std::pair<QString, ListEndpoint>> reads {
        {QStringLiteral("accounts"), ListEndpoint::Accounts},
        {QStringLiteral("members"), ListEndpoint::Members},
        {QStringLiteral("contacts"), ListEndpoint::Contacts},
        {QStringLiteral("lists"), ListEndpoint::Lists},
    };
    m_probesLeft = int(reads.size());
    ListQuery query;
    query.limit = 1;
    for (const auto &[type, endpoint] : reads) {
        m_calls.append(m_client->listPage(
            endpoint, {}, query, this, [this, type = type](const PageResult &page) {
                const ErrorKind kind = page.ok() ? ErrorKind::BadResponse : page.error().kind();
                if (!page.ok() && (kind == ErrorKind::Forbidden || kind == ErrorKind::NotFound))
                    m_unreadable.append(type);
                if (--m_probesLeft > 0)
                    return;
                // In a fixed order, whatever order the answers came in.
                QStringList unreadable;
                for (const QString &known : Capabilities::readTypes()) {
                    if (m_unreadable.contains(known))
                        unreadable.append(known);
                }
                finish({Outcome::Works, Capabilities::fromProbes(unreadable), {}, true, m_problem});
            }));
    }
}

void KeyCheck::finish(Result result)
{
    if (!m_running)
        return;
    m_running = false;
    m_calls.clear();
    qCInfo(lcNet) << "key check:" << result.outcome
                  << (result.usedFallback ? "(by the deals list)" : "(by auth/validate)");
    // Always from the event loop, never from inside start().
    QTimer::singleShot(0, this, [this, result] { Q_EMIT finished(result); });
}
