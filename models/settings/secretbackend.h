#pragma once

#include <QString>

#include <functional>

/**
 * Where SecretStore keeps secrets: the OS keychain through QtKeychain (QtKeychainBackend), or a
 * test double. One implementation per platform service; SecretStore adds the queue, the
 * in-memory fallback and the signals.
 *
 * Contract: each call eventually invokes `done` exactly once, on the caller's thread, and never
 * from inside the call itself (QtKeychain finishes its jobs from the event loop). The secret is
 * never logged, and never written anywhere but the platform's secret service.
 */
class SecretBackend
{
public:
    enum class Status : quint8
    {
        Ok,
        NotFound, ///< read / delete: nothing stored under that name
        Unavailable, ///< no keychain service (no Secret Service / KWallet on D-Bus, …)
        Denied, ///< the user (or the OS) refused access
        Failed, ///< anything else; the message says what
    };

    struct Result
    {
        Status status = Status::Failed;
        QString secret; ///< read only
        QString
            message; ///< the backend's own text, for logs and details (never contains the secret)
    };

    using Callback = std::function<void(const Result &)>;

    SecretBackend() = default;
    virtual ~SecretBackend() = default;
    Q_DISABLE_COPY_MOVE(SecretBackend)

    virtual void read(const QString &service, const QString &name, Callback done) = 0;
    virtual void write(
        const QString &service, const QString &name, const QString &secret, Callback done)
        = 0;
    virtual void remove(const QString &service, const QString &name, Callback done) = 0;
};
