#include "net/secretredactor.h"

#include <QMutex>
#include <QMutexLocker>
#include <QRegularExpression>
#include <QStringList>

#include <cstdio>

namespace {

struct RedactorState
{
    QMutex mutex;
    bool installed = false;
    QtMessageHandler previous = nullptr;
    QStringList secrets;
};

RedactorState &state()
{
    static RedactorState instance;
    return instance;
}

void redactingHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString clean = SecretRedactor::redact(message);
    QtMessageHandler previous = nullptr;
    {
        QMutexLocker locker(&state().mutex);
        previous = state().previous;
    }
    if (previous) {
        previous(type, context, clean);
        return;
    }
    const QString line = qFormatLogMessage(type, context, clean);
    std::fprintf(stderr, "%s\n", line.toLocal8Bit().constData());
    std::fflush(stderr);
}

} // namespace

void SecretRedactor::install()
{
    QMutexLocker locker(&state().mutex);
    if (state().installed)
        return;
    state().installed = true;
    state().previous = qInstallMessageHandler(redactingHandler);
}

void SecretRedactor::uninstall()
{
    QMutexLocker locker(&state().mutex);
    if (!state().installed)
        return;
    qInstallMessageHandler(state().previous);
    state().previous = nullptr;
    state().installed = false;
}

bool SecretRedactor::isInstalled()
{
    QMutexLocker locker(&state().mutex);
    return state().installed;
}

void SecretRedactor::addSecret(const QString &secret)
{
    // Very short strings would blank out ordinary words; keys are far longer.
    if (secret.size() < 8)
        return;
    QMutexLocker locker(&state().mutex);
    if (!state().secrets.contains(secret))
        state().secrets.append(secret);
}

void SecretRedactor::clearSecrets()
{
    QMutexLocker locker(&state().mutex);
    state().secrets.clear();
}

QString SecretRedactor::redact(const QString &text)
{
    // thread_local: the handler runs on whichever thread logs.
    thread_local const QRegularExpression authorization(
        QStringLiteral(
            R"(((?:authorization|x-api-key|api[_-]?key)["']?\s*[:=,]\s*["']?)(?:(?:bearer|basic|token)\s+)?[^\s"',)&]+)"),
        QRegularExpression::CaseInsensitiveOption);
    thread_local const QRegularExpression bearer(
        QStringLiteral(R"(\b(bearer\s+)[^\s"',)]+)"), QRegularExpression::CaseInsensitiveOption);
    thread_local const QRegularExpression key(QStringLiteral(R"(sk_lf_[A-Za-z0-9_\-]+)"));

    QString result = text;
    QStringList secrets;
    {
        QMutexLocker locker(&state().mutex);
        secrets = state().secrets;
    }
    for (const QString &secret : std::as_const(secrets))
        result.replace(secret, QStringLiteral("[redacted]"));
    if (result.contains(QLatin1String("uthorization"), Qt::CaseInsensitive)
        || result.contains(QLatin1String("key"), Qt::CaseInsensitive))
        result.replace(authorization, QStringLiteral("\\1[redacted]"));
    if (result.contains(QLatin1String("earer"), Qt::CaseInsensitive))
        result.replace(bearer, QStringLiteral("\\1[redacted]"));
    if (result.contains(QLatin1String("sk_lf_")))
        result.replace(key, QStringLiteral("sk_lf_[redacted]"));
    return result;
}
