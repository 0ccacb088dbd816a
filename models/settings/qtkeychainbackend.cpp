#include "settings/qtkeychainbackend.h"

#include <qt6keychain/keychain.h>

namespace {

SecretBackend::Result resultOf(const QKeychain::Job &job)
{
    SecretBackend::Result result;
    result.message = job.errorString();
    switch (job.error()) {
    case QKeychain::NoError:
        result.status = SecretBackend::Status::Ok;
        result.message.clear();
        break;
    case QKeychain::EntryNotFound:
        result.status = SecretBackend::Status::NotFound;
        break;
    case QKeychain::AccessDeniedByUser:
        result.status = SecretBackend::Status::Denied;
        break;
    case QKeychain::AccessDenied:
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        // On Linux these are what a missing or unreachable Secret Service / KWallet yields.
        result.status = SecretBackend::Status::Unavailable;
        break;
    case QKeychain::CouldNotDeleteEntry:
        result.status = SecretBackend::Status::Failed;
        break;
    }
    return result;
}

/** Never falls back to a plain file; deletes itself; reports through `done` exactly once. */
void run(QKeychain::Job *job, QObject *context, const QString &name,
    std::function<void(QKeychain::Job *)> done)
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(name);
    QObject::connect(job, &QKeychain::Job::finished, context, std::move(done));
    job->start();
}

} // namespace

QtKeychainBackend::QtKeychainBackend() = default;
QtKeychainBackend::~QtKeychainBackend() = default;

void QtKeychainBackend::read(const QString &service, const QString &name, Callback done)
{
    auto *job = new QKeychain::ReadPasswordJob(service, &m_context);
    run(job, &m_context, name, [done = std::move(done)](QKeychain::Job *finished) {
        Result result = resultOf(*finished);
        if (result.status == Status::Ok)
            result.secret = static_cast<QKeychain::ReadPasswordJob *>(finished)->textData();
        done(result);
    });
}

void QtKeychainBackend::write(
    const QString &service, const QString &name, const QString &secret, Callback done)
{
    auto *job = new QKeychain::WritePasswordJob(service, &m_context);
    job->setTextData(secret);
    run(job, &m_context, name,
        [done = std::move(done)](QKeychain::Job *finished) { done(resultOf(*finished)); });
}

void QtKeychainBackend::remove(const QString &service, const QString &name, Callback done)
{
    auto *job = new QKeychain::DeletePasswordJob(service, &m_context);
    run(job, &m_context, name,
        [done = std::move(done)](QKeychain::Job *finished) { done(resultOf(*finished)); });
}
