// SecretStore: the API key in the keychain, or in memory for the run when there is none
// (never in a file or the settings). A fake backend stands in for
// QtKeychain so both paths run without D-Bus; one test also drives the real backend.

#include "settings/appsettings.h"
#include "settings/secretbackend.h"
#include "settings/secretstore.h"

#include <QDirIterator>
#include <QFile>
#include <QLoggingCategory>
#include <QMutex>
#include <QPointer>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <memory>
#include <optional>

namespace {

using Status = SecretBackend::Status;

const QString kKey = QStringLiteral("sk_lf_live_7Qm2ZxTESTsecret0042");
/// Not shaped like a Lightfield key, so SecretRedactor's pattern cannot be what hides it.
const QString kOddKey = QStringLiteral("correct-horse-battery-staple-4711");
const QString kEntry = QStringLiteral("api.lightfield.app/ws_test/apiKey");

/** What the fake keychain holds and how it behaves; shared with the test after the move. */
struct FakeKeychain
{
    QHash<QString, QString> stored; ///< "service|entry" → secret
    std::optional<Status> failAll; ///< every call fails with this
    std::optional<Status> failWrite;
    std::optional<Status> failRemove;
    QString failMessage = QStringLiteral("org.freedesktop.secrets: no such service");
    int calls = 0;
    int inFlight = 0;
    int maxInFlight = 0;
};

class FakeBackend final : public SecretBackend
{
public:
    explicit FakeBackend(std::shared_ptr<FakeKeychain> state)
        : m_state(std::move(state))
    {
    }

    void read(const QString &service, const QString &name, Callback done) override
    {
        const QString id = service + QLatin1Char('|') + name;
        later(m_state->failAll, std::move(done), [this, id] {
            if (!m_state->stored.contains(id))
                return Result {Status::NotFound, {}, QStringLiteral("not found")};
            return Result {Status::Ok, m_state->stored.value(id), {}};
        });
    }

    void write(
        const QString &service, const QString &name, const QString &secret, Callback done) override
    {
        const QString id = service + QLatin1Char('|') + name;
        later(m_state->failAll ? m_state->failAll : m_state->failWrite, std::move(done),
            [this, id, secret] {
                m_state->stored.insert(id, secret);
                return Result {Status::Ok, {}, {}};
            });
    }

    void remove(const QString &service, const QString &name, Callback done) override
    {
        const QString id = service + QLatin1Char('|') + name;
        later(
            m_state->failAll ? m_state->failAll : m_state->failRemove, std::move(done), [this, id] {
                if (m_state->stored.remove(id) == 0)
                    return Result {Status::NotFound, {}, QStringLiteral("not found")};
                return Result {Status::Ok, {}, {}};
            });
    }

private:
    /** Like QtKeychain: the answer always comes from the event loop, never from the call. */
    void later(std::optional<Status> failure, Callback done, std::function<Result()> succeed)
    {
        ++m_state->calls;
        ++m_state->inFlight;
        m_state->maxInFlight = std::max(m_state->maxInFlight, m_state->inFlight);
        QTimer::singleShot(1, &m_context, [this, failure, done = std::move(done), succeed] {
            --m_state->inFlight;
            if (failure)
                done(Result {*failure, {}, m_state->failMessage});
            else
                done(succeed());
        });
    }

    std::shared_ptr<FakeKeychain> m_state;
    QObject m_context;
};

/** Every message of every category and level, for the "never logged" checks. */
QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log.append(QString::fromLatin1(context.category ? context.category : "")
            + QLatin1Char(' ') + message);
    }
    // Debug output is only checked, not echoed: with every category on it would drown the log.
    if (g_previousHandler && type != QtDebugMsg)
        g_previousHandler(type, context, message);
}

QStringList capturedLog()
{
    QMutexLocker lock(&g_logMutex);
    return g_log;
}

/** Every file under `dir` whose bytes contain `needle` (UTF-8 or UTF-16). */
QStringList filesContaining(const QString &dir, const QString &needle)
{
    QStringList hits;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QByteArray bytes = file.readAll();
        const QByteArray utf16(reinterpret_cast<const char *>(needle.utf16()),
            needle.size() * qsizetype(sizeof(char16_t)));
        if (bytes.contains(needle.toUtf8()) || bytes.contains(utf16))
            hits.append(path);
    }
    return hits;
}

QString fileText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

} // namespace

class TestSecretStore : public QObject
{
    Q_OBJECT

private:
    std::shared_ptr<FakeKeychain> m_keychain;
    std::unique_ptr<SecretStore> m_store;

    void makeStore()
    {
        m_store.reset();
        m_keychain = std::make_shared<FakeKeychain>();
        m_store = std::make_unique<SecretStore>(std::make_unique<FakeBackend>(m_keychain));
    }

    QString storedKey(const QString &entry) const
    {
        return m_keychain->stored.value(
            QString::fromLatin1(SecretStore::kService) + QLatin1Char('|') + entry);
    }

    /** Reads `entry` and returns what keyRead() delivered. */
    QString readBack(const QString &entry)
    {
        QSignalSpy read(m_store.get(), &SecretStore::keyRead);
        m_store->readKey(entry);
        if (!read.wait(5000))
            return QStringLiteral("<no keyRead>");
        if (read.at(0).at(0).toString() != entry)
            return QStringLiteral("<wrong entry>");
        return read.at(0).at(1).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qRegisterMetaType<SecretStore::ErrorKind>();
        qRegisterMetaType<SecretStore::Mode>();
        // Every category at every level, so "never logged" also covers debug output.
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=true"));
        g_previousHandler = qInstallMessageHandler(captureMessage);
    }

    void cleanupTestCase()
    {
        qInstallMessageHandler(g_previousHandler);
        const QStringList log = capturedLog();
        QVERIFY2(!log.isEmpty(), "the log capture saw nothing: the check below would be vacuous");
        for (const QString &line : log) {
            QVERIFY2(!line.contains(kKey), qPrintable(line));
            QVERIFY2(!line.contains(kOddKey), qPrintable(line));
        }
    }

    void init() { makeStore(); }
    void cleanup() { m_store.reset(); }

    void entryNameIsHostAccountApiKey()
    {
        QCOMPARE(SecretStore::entryName(
                     QUrl(QStringLiteral("https://api.lightfield.app")), QStringLiteral("ws_42")),
            QStringLiteral("api.lightfield.app/ws_42/apiKey"));
        QCOMPARE(SecretStore::entryName(QUrl(QStringLiteral("http://127.0.0.1:8080/base")), {}),
            QStringLiteral("127.0.0.1/default/apiKey"));
        QCOMPARE(QString::fromLatin1(SecretStore::kService), QStringLiteral("lightfield-deals"));
    }

    void keychainWorksWriteReadDelete()
    {
        QSignalSpy errors(m_store.get(), &SecretStore::secretError);
        QSignalSpy written(m_store.get(), &SecretStore::keyWritten);
        m_store->writeKey(kEntry, kKey);
        QVERIFY(written.wait(5000));
        QCOMPARE(written.at(0).at(0).toString(), kEntry);
        QCOMPARE(storedKey(kEntry), kKey);
        QCOMPARE(readBack(kEntry), kKey);

        // Sign out forgets it.
        QSignalSpy deleted(m_store.get(), &SecretStore::keyDeleted);
        m_store->deleteKey(kEntry);
        QVERIFY(deleted.wait(5000));
        QVERIFY(m_keychain->stored.isEmpty());
        QCOMPARE(readBack(kEntry), QString());

        QCOMPARE(m_store->mode(), SecretStore::Mode::Keychain);
        QCOMPARE(errors.count(), 0);
    }

    void readOfAMissingKeyIsEmptyNotAnError()
    {
        QSignalSpy errors(m_store.get(), &SecretStore::secretError);
        QCOMPARE(readBack(kEntry), QString());
        QSignalSpy deleted(m_store.get(), &SecretStore::keyDeleted);
        m_store->deleteKey(kEntry);
        QVERIFY(deleted.wait(5000));
        QCOMPARE(errors.count(), 0);
    }

    void callsSettleInOrderOneJobAtATimeNeverSynchronously()
    {
        QStringList order;
        connect(m_store.get(), &SecretStore::keyWritten, this,
            [&order](const QString &) { order << QStringLiteral("written"); });
        connect(m_store.get(), &SecretStore::keyRead, this,
            [&order](const QString &, const QString &key) {
                order << (key.isEmpty() ? QStringLiteral("read:none") : QStringLiteral("read:key"));
            });
        connect(m_store.get(), &SecretStore::keyDeleted, this,
            [&order](const QString &) { order << QStringLiteral("deleted"); });

        m_store->writeKey(kEntry, kKey);
        m_store->readKey(kEntry);
        m_store->deleteKey(kEntry);
        m_store->readKey(kEntry);
        QVERIFY(order.isEmpty()); // nothing settles inside the call
        QVERIFY(m_store->isBusy());
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 4, 5000);
        QCOMPARE(
            order.join(QLatin1Char(',')), QStringLiteral("written,read:key,deleted,read:none"));
        QCOMPARE(m_keychain->maxInFlight, 1);
        QVERIFY(!m_store->isBusy());
    }

    void noKeychainKeepsTheKeyInMemoryAndSaysSo_data()
    {
        QTest::addColumn<Status>("failure");
        QTest::addColumn<SecretStore::ErrorKind>("kind");
        QTest::newRow("no backend") << Status::Unavailable << SecretStore::ErrorKind::Unavailable;
        QTest::newRow("access refused") << Status::Denied << SecretStore::ErrorKind::Denied;
    }

    void noKeychainKeepsTheKeyInMemoryAndSaysSo()
    {
        QFETCH(Status, failure);
        QFETCH(SecretStore::ErrorKind, kind);
        m_keychain->failAll = failure;
        QSignalSpy errors(m_store.get(), &SecretStore::secretError);
        QSignalSpy modes(m_store.get(), &SecretStore::modeChanged);
        QSignalSpy written(m_store.get(), &SecretStore::keyWritten);

        m_store->writeKey(kEntry, kKey);
        QVERIFY(written.wait(5000));
        QCOMPARE(m_store->mode(), SecretStore::Mode::Memory);
        QCOMPARE(modes.count(), 1);
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.at(0).at(0).value<SecretStore::ErrorKind>(), kind);
        const QString message = errors.at(0).at(1).toString();
        QVERIFY2(
            message.contains(QStringLiteral("memory for this session only")), qPrintable(message));
        QVERIFY(!message.contains(kKey));
        if (failure == Status::Unavailable)
            QCOMPARE(message, SecretStore::memoryModeMessage());

        // The rest of the run uses memory only, and says nothing more.
        QCOMPARE(readBack(kEntry), kKey);
        QCOMPARE(m_keychain->calls, 1);
        QSignalSpy deleted(m_store.get(), &SecretStore::keyDeleted);
        m_store->deleteKey(kEntry);
        QVERIFY(deleted.wait(5000));
        QCOMPARE(readBack(kEntry), QString());
        QCOMPARE(errors.count(), 1);
        QCOMPARE(m_keychain->calls, 1);
        QVERIFY(m_keychain->stored.isEmpty());
    }

    void noKeychainWritesNothingToDisk()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        AppSettings settings(dir.filePath(QStringLiteral("lightfield-deals.conf")));
        settings.migrate();
        settings.setBaseUrl(QStringLiteral("https://api.lightfield.app"));
        settings.setLastWorkspaceId(QStringLiteral("ws_test"));

        m_keychain->failAll = Status::Unavailable;
        QSignalSpy written(m_store.get(), &SecretStore::keyWritten);
        m_store->writeKey(kEntry, kKey);
        m_store->writeKey(kEntry, kOddKey);
        QTRY_COMPARE_WITH_TIMEOUT(written.count(), 2, 5000);
        QCOMPARE(readBack(kEntry), kOddKey);
        settings.sync();

        const QString text = fileText(settings.fileName());
        QVERIFY(text.contains(QStringLiteral("ws_test"))); // the file was written at all
        QVERIFY(!text.contains(kKey));
        QVERIFY(!text.contains(kOddKey));
        QCOMPARE(filesContaining(dir.path(), kKey), QStringList());
        QCOMPARE(filesContaining(dir.path(), kOddKey), QStringList());
        const QString config
            = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
        QCOMPARE(filesContaining(config, kKey), QStringList());
        QCOMPARE(filesContaining(config, kOddKey), QStringList());
    }

    void failedWriteIsReportedAndKeptForTheRun()
    {
        m_keychain->failWrite = Status::Failed;
        m_keychain->failMessage = QStringLiteral("Could not store data in settings");
        QSignalSpy errors(m_store.get(), &SecretStore::secretError);
        QSignalSpy written(m_store.get(), &SecretStore::keyWritten);
        m_store->writeKey(kEntry, kOddKey);
        QVERIFY(written.wait(5000));
        QCOMPARE(errors.count(), 1);
        QCOMPARE(
            errors.at(0).at(0).value<SecretStore::ErrorKind>(), SecretStore::ErrorKind::Failed);
        QVERIFY(errors.at(0).at(1).toString().contains(QStringLiteral("could not be saved")));
        QCOMPARE(m_store->mode(), SecretStore::Mode::Keychain);
        QVERIFY(m_keychain->stored.isEmpty());
        QCOMPARE(readBack(kEntry), kOddKey); // memory wins over the keychain's "not found"
    }

    void failedDeleteIsReportedAndForgetsTheMemoryCopy()
    {
        QSignalSpy written(m_store.get(), &SecretStore::keyWritten);
        m_store->writeKey(kEntry, kKey);
        QVERIFY(written.wait(5000));
        m_keychain->failRemove = Status::Failed;
        QSignalSpy errors(m_store.get(), &SecretStore::secretError);
        QSignalSpy deleted(m_store.get(), &SecretStore::keyDeleted);
        m_store->deleteKey(kEntry);
        QVERIFY(deleted.wait(5000));
        QCOMPARE(errors.count(), 1);
        const QString message = errors.at(0).at(1).toString();
        QVERIFY2(message.contains(kEntry), qPrintable(message)); // says what to remove by hand
        QVERIFY(!message.contains(kKey));
    }

    void legacyKeyIsMovedToTheKeychainThenRemovedFromSettings_data()
    {
        QTest::addColumn<bool>("keychainWorks");
        QTest::newRow("keychain") << true;
        QTest::newRow("no keychain") << false;
    }

    void legacyKeyIsMovedToTheKeychainThenRemovedFromSettings()
    {
        QFETCH(bool, keychainWorks);
        if (!keychainWorks)
            m_keychain->failAll = Status::Unavailable;
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("lightfield-deals.conf"));
        {
            QSettings old(path, QSettings::IniFormat);
            old.setValue(QStringLiteral("auth/apiKey"), kKey);
            old.setValue(QStringLiteral("baseUrl"), QStringLiteral("https://api.lightfield.app"));
        }
        AppSettings settings(path);
        settings.migrate();
        QVERIFY(fileText(path).contains(kKey));

        QSignalSpy errors(m_store.get(), &SecretStore::secretError);
        QSignalSpy written(m_store.get(), &SecretStore::keyWritten);
        QVERIFY(m_store->importLegacyKey(settings, kEntry));
        QVERIFY(settings.hasLegacyApiKey()); // moved first, removed after
        QVERIFY(written.wait(5000));

        QVERIFY(!settings.hasLegacyApiKey());
        QVERIFY(!fileText(path).contains(kKey));
        QCOMPARE(
            QSettings(path, QSettings::IniFormat).value(QStringLiteral("auth/apiKey")), QVariant());
        QCOMPARE(settings.baseUrl(), QStringLiteral("https://api.lightfield.app"));
        QCOMPARE(readBack(kEntry), kKey);
        QCOMPARE(storedKey(kEntry), keychainWorks ? kKey : QString());
        QCOMPARE(errors.count(), keychainWorks ? 0 : 1);

        // Nothing left to move next time.
        QVERIFY(!m_store->importLegacyKey(settings, kEntry));
    }

    void realBackendOnThisMachine()
    {
        // The real QtKeychain. On CI there is no Secret Service, so the fallback must be what
        // happens, with the user told; on a desktop with a keychain the round trip must work.
        SecretStore store;
        const QString entry = QStringLiteral("test.invalid/tst_secretstore/apiKey");
        QSignalSpy errors(&store, &SecretStore::secretError);
        QSignalSpy written(&store, &SecretStore::keyWritten);
        store.writeKey(entry, kOddKey);
        QVERIFY(written.wait(60000));
        QSignalSpy read(&store, &SecretStore::keyRead);
        store.readKey(entry);
        QVERIFY(read.wait(60000));
        QCOMPARE(read.at(0).at(1).toString(), kOddKey);
        QSignalSpy deleted(&store, &SecretStore::keyDeleted);
        store.deleteKey(entry);
        QVERIFY(deleted.wait(60000));

        if (store.mode() == SecretStore::Mode::Memory) {
            QCOMPARE(errors.count(), 1);
            QVERIFY(errors.at(0).at(1).toString().contains(QStringLiteral("this session only")));
            qInfo("No keychain on this machine: the in-memory fallback was used, as expected");
        } else {
            QCOMPARE(errors.count(), 0);
        }
        const QString config
            = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
        QCOMPARE(filesContaining(config, kOddKey), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
