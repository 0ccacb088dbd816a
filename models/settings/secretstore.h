#pragma once

#include "settings/secretbackend.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QUrl>

#include <deque>
#include <functional>
#include <memory>

class AppSettings;

/**
 * Keeps the API key in the OS keychain, never in a file, the settings or a log
 * (docs/architecture.md, Promises).
 *
 * **Where.** Service `lightfield-deals`, entry `"<host>/<accountId>/apiKey"` (entryName()),
 * through QtKeychain with its insecure (plain-file) fallback off. When the keychain cannot be
 * used — no Secret Service / KWallet on D-Bus, NoBackendAvailable, AccessDenied, OtherError, or
 * the user refusing access — the store switches to **memory mode** for the rest of the run:
 * it says so once through secretError() (memoryModeMessage()), then keeps keys in this
 * object only, so the user is asked again next run. The key is never written to QSettings, a
 * file or a log; every key read or written is also registered with SecretRedactor.
 *
 * **Order and threads.** Calls return at once and are queued; one backend job runs at a time
 * and the next starts through a queued call, never from inside the previous job's handler
 * (QtKeychain jobs must not be started re-entrantly). Each call settles with exactly one of
 * keyRead(), keyWritten() or keyDeleted(), in call order, preceded by secretError() when
 * something went wrong. Never settles synchronously. GUI thread only.
 *
 * **Ownership.** Owns its backend (QtKeychainBackend by default; tests inject a double).
 */
class SecretStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretStore)

public:
    static constexpr char kService[] = "lightfield-deals";

    enum class Mode : quint8
    {
        Keychain, ///< keys go to the OS keychain
        Memory, ///< no usable keychain: kept in this object for this run only
    };
    Q_ENUM(Mode)

    enum class ErrorKind : quint8
    {
        Unavailable, ///< no keychain on this machine: now in memory mode
        Denied, ///< access refused: now in memory mode
        Failed, ///< one operation failed (the message says which); the mode is unchanged
    };
    Q_ENUM(ErrorKind)

    /** `"<host>/<accountId>/apiKey"`; an empty account id becomes `default`. */
    static QString entryName(const QUrl &baseUrl, const QString &accountId);

    /** The message of the switch to memory mode, for a banner or the sign-in dialog. */
    static QString memoryModeMessage();

    /** Uses the OS keychain (QtKeychainBackend). */
    explicit SecretStore(QObject *parent = nullptr);
    /** Uses `backend` (tests). */
    explicit SecretStore(std::unique_ptr<SecretBackend> backend, QObject *parent = nullptr);
    ~SecretStore() override;

    /** Settles with keyRead(entry, key); an empty key means none is stored (or unreadable). */
    void readKey(const QString &entry);
    /** Settles with keyWritten(entry): stored in the keychain, or in memory (see mode()). */
    void writeKey(const QString &entry, const QString &apiKey);
    /** Sign out. Settles with keyDeleted(entry); the in-memory copy is always forgotten. */
    void deleteKey(const QString &entry);

    /**
     * Moves an API key left in `settings` under a legacy name (AppSettings::legacyApiKey())
     * to `entry`, then removes every legacy name from the settings — also when the keychain
     * is unavailable (the key then lives in memory for this run). Returns false, after
     * removing any empty legacy name, when there is nothing to move; else settles like
     * writeKey(). `settings` must outlive the write (AppController owns both).
     */
    bool importLegacyKey(AppSettings &settings, const QString &entry);

    Mode mode() const { return m_mode; }
    /** True while calls are queued or running. */
    bool isBusy() const { return m_inFlight || !m_queue.empty(); }

Q_SIGNALS:
    void keyRead(const QString &entry, const QString &apiKey);
    void keyWritten(const QString &entry);
    void keyDeleted(const QString &entry);
    /** For the user: `message` is a complete, translated sentence without the key. */
    void secretError(SecretStore::ErrorKind kind, const QString &message);
    void modeChanged(SecretStore::Mode mode);

private:
    enum class OpType : quint8
    {
        Read,
        Write,
        Delete,
    };
    struct Op
    {
        OpType type = OpType::Read;
        QString entry;
        QString secret;
        std::function<void()> afterWrite; ///< runs once the write settled, before keyWritten
    };

    void enqueue(Op op);
    void scheduleNext();
    void startNext();
    void handleResult(const SecretBackend::Result &result);
    void enterMemoryMode(SecretBackend::Status status, const QString &backendMessage);
    /** Settles m_current from m_memory (memory mode, or a fallback after a failed write). */
    void settleInMemory();
    /** Emits m_current's settling signal (`readValue` for a read) and moves on. */
    void finishCurrent(const QString &readValue = {});

    std::unique_ptr<SecretBackend> m_backend;
    std::deque<Op> m_queue;
    Op m_current;
    QHash<QString, QString> m_memory;
    Mode m_mode = Mode::Keychain;
    bool m_inFlight = false;
    bool m_scheduled = false;
};
