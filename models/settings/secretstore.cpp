#include "settings/secretstore.h"

#include "logging.h"
#include "net/secretredactor.h"
#include "settings/appsettings.h"
#include "settings/qtkeychainbackend.h"

#include <QMetaObject>
#include <QPointer>

QString SecretStore::entryName(const QUrl &baseUrl, const QString &accountId)
{
    const QString account = accountId.isEmpty() ? QStringLiteral("default") : accountId;
    return QStringLiteral("%1/%2/apiKey").arg(baseUrl.host(), account);
}

QString SecretStore::memoryModeMessage()
{
    return tr("No keychain is available on this computer, so your API key is kept in memory "
              "for this session only. You will be asked for it again next time.");
}

SecretStore::SecretStore(QObject *parent)
    : SecretStore(std::make_unique<QtKeychainBackend>(), parent)
{
}

SecretStore::SecretStore(std::unique_ptr<SecretBackend> backend, QObject *parent)
    : QObject(parent)
    , m_backend(std::move(backend))
{
}

SecretStore::~SecretStore() = default;

void SecretStore::readKey(const QString &entry)
{
    enqueue({OpType::Read, entry, {}, {}});
}

void SecretStore::writeKey(const QString &entry, const QString &apiKey)
{
    SecretRedactor::addSecret(apiKey);
    enqueue({OpType::Write, entry, apiKey, {}});
}

void SecretStore::deleteKey(const QString &entry)
{
    enqueue({OpType::Delete, entry, {}, {}});
}

bool SecretStore::importLegacyKey(AppSettings &settings, const QString &entry)
{
    const QString legacy = settings.legacyApiKey();
    if (legacy.isEmpty()) {
        settings.removeLegacyApiKeys();
        return false;
    }
    SecretRedactor::addSecret(legacy);
    enqueue({OpType::Write, entry, legacy, [&settings] { settings.removeLegacyApiKeys(); }});
    return true;
}

void SecretStore::enqueue(Op op)
{
    m_queue.push_back(std::move(op));
    scheduleNext();
}

void SecretStore::scheduleNext()
{
    if (m_inFlight || m_scheduled || m_queue.empty())
        return;
    // Never start a job from inside the previous one's handler (QtKeychain is not re-entrant
    // there), and never settle synchronously inside the caller.
    m_scheduled = true;
    QMetaObject::invokeMethod(this, &SecretStore::startNext, Qt::QueuedConnection);
}

void SecretStore::startNext()
{
    m_scheduled = false;
    if (m_inFlight || m_queue.empty())
        return;
    m_current = std::move(m_queue.front());
    m_queue.pop_front();
    m_inFlight = true;

    if (m_mode == Mode::Memory) {
        settleInMemory();
        return;
    }
    QPointer<SecretStore> self(this);
    auto done = [self](const SecretBackend::Result &result) {
        if (self)
            self->handleResult(result);
    };
    const QString service = QString::fromLatin1(kService);
    switch (m_current.type) {
    case OpType::Read:
        m_backend->read(service, m_current.entry, std::move(done));
        break;
    case OpType::Write:
        m_backend->write(service, m_current.entry, m_current.secret, std::move(done));
        break;
    case OpType::Delete:
        m_backend->remove(service, m_current.entry, std::move(done));
        break;
    }
}

void SecretStore::handleResult(const SecretBackend::Result &result)
{
    if (!m_inFlight)
        return;
    using Status = SecretBackend::Status;
    const QString &entry = m_current.entry;
    switch (result.status) {
    case Status::Unavailable:
    case Status::Denied:
        enterMemoryMode(result.status, result.message);
        settleInMemory();
        return;
    case Status::Ok:
    case Status::NotFound:
        if (m_current.type == OpType::Read) {
            // A key kept in memory after a failed write is newer than anything in the keychain.
            const QString value = m_memory.contains(entry)
                ? m_memory.value(entry)
                : (result.status == Status::Ok ? result.secret : QString());
            finishCurrent(value);
            return;
        }
        if (m_current.type == OpType::Write && result.status == Status::Ok) {
            m_memory.remove(entry);
            finishCurrent();
            return;
        }
        if (m_current.type == OpType::Delete) {
            m_memory.remove(entry);
            finishCurrent();
            return;
        }
        break; // NotFound on a write: a backend failure
    case Status::Failed:
        break;
    }

    qCWarning(lcApp) << "Keychain operation failed:" << result.message;
    switch (m_current.type) {
    case OpType::Read:
        Q_EMIT secretError(ErrorKind::Failed,
            tr("Your API key could not be read from the keychain (%1).").arg(result.message));
        finishCurrent(m_memory.value(entry));
        return;
    case OpType::Write:
        m_memory.insert(entry, m_current.secret);
        Q_EMIT secretError(ErrorKind::Failed,
            tr("Your API key could not be saved in the keychain (%1), so it is kept in memory "
               "for this session only.")
                .arg(result.message));
        finishCurrent();
        return;
    case OpType::Delete:
        m_memory.remove(entry);
        Q_EMIT secretError(ErrorKind::Failed,
            tr("Your API key could not be removed from the keychain (%1). Remove the entry "
               "\"%2\" of \"%3\" with your keychain manager.")
                .arg(result.message, entry, QString::fromLatin1(kService)));
        finishCurrent();
        return;
    }
}

void SecretStore::enterMemoryMode(SecretBackend::Status status, const QString &backendMessage)
{
    if (m_mode == Mode::Memory)
        return;
    m_mode = Mode::Memory;
    qCWarning(lcApp) << "No usable keychain; the API key is kept in memory for this run:"
                     << backendMessage;
    const bool denied = status == SecretBackend::Status::Denied;
    Q_EMIT modeChanged(m_mode);
    Q_EMIT secretError(denied ? ErrorKind::Denied : ErrorKind::Unavailable,
        denied ? tr("Access to the keychain was refused, so your API key is kept in memory "
                    "for this session only. You will be asked for it again next time.")
               : memoryModeMessage());
}

void SecretStore::settleInMemory()
{
    switch (m_current.type) {
    case OpType::Read:
        finishCurrent(m_memory.value(m_current.entry));
        return;
    case OpType::Write:
        m_memory.insert(m_current.entry, m_current.secret);
        finishCurrent();
        return;
    case OpType::Delete:
        m_memory.remove(m_current.entry);
        finishCurrent();
        return;
    }
}

void SecretStore::finishCurrent(const QString &readValue)
{
    Op op = std::move(m_current);
    m_current = {};
    m_inFlight = false;
    switch (op.type) {
    case OpType::Read:
        if (!readValue.isEmpty())
            SecretRedactor::addSecret(readValue);
        Q_EMIT keyRead(op.entry, readValue);
        break;
    case OpType::Write:
        if (op.afterWrite)
            op.afterWrite();
        Q_EMIT keyWritten(op.entry);
        break;
    case OpType::Delete:
        Q_EMIT keyDeleted(op.entry);
        break;
    }
    scheduleNext();
}
