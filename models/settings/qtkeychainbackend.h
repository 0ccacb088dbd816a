#pragma once

#include "settings/secretbackend.h"

#include <QObject>

/**
 * SecretBackend over QtKeychain's Read/Write/DeletePasswordJob (macOS Keychain, Windows
 * Credential Store, Secret Service / KWallet over D-Bus).
 *
 * Insecure fallback is off on every job: QtKeychain must never write the secret to a plain
 * file. Jobs delete themselves. Error mapping:
 * NoBackendAvailable, NotImplemented, OtherError and AccessDenied (which the Linux backends
 * report when the service cannot be reached) → Unavailable; AccessDeniedByUser → Denied;
 * EntryNotFound → NotFound; CouldNotDeleteEntry → Failed.
 */
class QtKeychainBackend final : public SecretBackend
{
public:
    QtKeychainBackend();
    ~QtKeychainBackend() override;
    Q_DISABLE_COPY_MOVE(QtKeychainBackend)

    void read(const QString &service, const QString &name, Callback done) override;
    void write(
        const QString &service, const QString &name, const QString &secret, Callback done) override;
    void remove(const QString &service, const QString &name, Callback done) override;

private:
    /** Parent of the jobs in flight, so that destroying the backend cancels their callbacks. */
    QObject m_context;
};
