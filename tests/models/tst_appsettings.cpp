// AppSettings: typed getters and setters, stepwise schema migration, and the legacy API key
// that must leave the settings file.

#include "settings/appsettings.h"
#include "settings/settingskeys.h"

#include <algorithm>
#include <QFile>
#include <QLoggingCategory>
#include <QMutex>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

namespace {

const QString kKey = QStringLiteral("sk_lf_live_9Zt4LEGACYsecret0007");

QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log.append(message);
    }
    // Debug output is only checked, not echoed: with every category on it would drown the log.
    if (g_previousHandler && type != QtDebugMsg)
        g_previousHandler(type, context, message);
}

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

} // namespace

class TestAppSettings : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;

    QString path() const { return m_dir->filePath(QStringLiteral("lightfield-deals.conf")); }

    QString fileText() const
    {
        QFile file(path());
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QString::fromUtf8(file.readAll());
    }

    /** Writes raw values, as an older build would have. */
    void writeRaw(const QVariantMap &values)
    {
        QSettings raw(path(), QSettings::IniFormat);
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            raw.setValue(it.key(), it.value());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=true"));
        g_previousHandler = qInstallMessageHandler(captureMessage);
    }

    void cleanupTestCase()
    {
        qInstallMessageHandler(g_previousHandler);
        QMutexLocker lock(&g_logMutex);
        QVERIFY2(!g_log.isEmpty(), "the log capture saw nothing: the check would be vacuous");
        for (const QString &line : std::as_const(g_log))
            QVERIFY2(!line.contains(kKey), qPrintable(line));
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void typedValuesRoundTrip()
    {
        const QByteArray geometry("\x01\xd9\xd0\xcb\x00\x03", 6);
        {
            AppSettings settings(path());
            settings.migrate();
            settings.setBaseUrl(QStringLiteral("https://eu.api.lightfield.app"));
            settings.setLastWorkspaceId(QStringLiteral("ws_123"));
            settings.setWindowGeometry(geometry);
            settings.setWindowState(QByteArray("state"));
            settings.setSplitterState(QByteArray("splitter"));
            settings.setSavedViews({});
            settings.setColorScheme(AppSettings::ColorScheme::Dark);
        }
        AppSettings settings(path());
        QCOMPARE(settings.baseUrl(), QStringLiteral("https://eu.api.lightfield.app"));
        QCOMPARE(settings.lastWorkspaceId(), QStringLiteral("ws_123"));
        QCOMPARE(settings.windowGeometry(), geometry);
        QCOMPARE(settings.windowState(), QByteArray("state"));
        QCOMPARE(settings.splitterState(), QByteArray("splitter"));
        QVERIFY(settings.hasSavedViews());
        QVERIFY(settings.savedViews().isEmpty()); // deleting every view is kept
        QCOMPARE(settings.colorScheme(), AppSettings::ColorScheme::Dark);
        QCOMPARE(settings.schemaVersion(), AppSettings::kSchemaVersion);
    }

    void defaultsWhenUnset()
    {
        AppSettings settings(path());
        QCOMPARE(settings.baseUrl(), QString());
        QCOMPARE(settings.lastWorkspaceId(), QString());
        QCOMPARE(settings.windowGeometry(), QByteArray());
        QCOMPARE(settings.colorScheme(), AppSettings::ColorScheme::System);
        QCOMPARE(settings.schemaVersion(), 0);
    }

    void savedViewsRoundTripByKey()
    {
        SavedView view = SavedView::create(QStringLiteral("Big deals"));
        view.columns = {QStringLiteral("$name"), QStringLiteral("$amount")};
        view.widths = {{QStringLiteral("$amount"), 120}};
        view.sortColumn = QStringLiteral("$amount");
        view.sortOrder = Qt::DescendingOrder;
        view.filters = {
            ColumnFilter(QStringLiteral("$amount"), ColumnFilter::Operator::GreaterThan, 10000.0)};
        view.searchText = QStringLiteral("north");
        QList<SavedView> views = SavedView::defaultViews();
        views.append(view);
        {
            AppSettings settings(path());
            QVERIFY(!settings.hasSavedViews());
            settings.setSavedViews(views);
        }
        AppSettings settings(path());
        QVERIFY(settings.savedViews() == views);
        // Stored as a versioned JSON document under the documented key.
        const QByteArray raw
            = settings.settings().value(key(SettingsKeys::kSavedViews)).toByteArray();
        QVERIFY2(raw.startsWith("{\"version\":1,"), raw.constData());
        QVERIFY(raw.contains("\"op\":\"greaterThan\""));
    }

    void savedViewsDefaultOnFirstRunAndOnGarbage_data()
    {
        QTest::addColumn<QVariant>("stored");
        QTest::addColumn<bool>("logged");
        QTest::newRow("absent") << QVariant() << false;
        QTest::newRow("not json") << QVariant(QByteArray("\x01\x02garbage")) << true;
        QTest::newRow("a number") << QVariant(42) << true;
        QTest::newRow("a list") << QVariant(QStringList {QStringLiteral("a"), QStringLiteral("b")})
                                << true;
        QTest::newRow("json of another shape") << QVariant(QByteArray("{\"views\":{}}")) << true;
    }

    void savedViewsDefaultOnFirstRunAndOnGarbage()
    {
        QFETCH(QVariant, stored);
        QFETCH(bool, logged);
        if (stored.isValid())
            writeRaw({{key(SettingsKeys::kSavedViews), stored}});
        {
            QMutexLocker lock(&g_logMutex);
            g_log.clear();
        }
        AppSettings settings(path());
        QVERIFY(settings.savedViews() == SavedView::defaultViews());
        QMutexLocker lock(&g_logMutex);
        const bool sawLine = std::any_of(g_log.cbegin(), g_log.cend(), [](const QString &line) {
            return line.contains(QStringLiteral("Saved views unreadable"));
        });
        QCOMPARE(sawLine, logged);
    }

    void savedViewsHandEditedAsTextAreRead()
    {
        // A user editing the INI file by hand writes plain text rather than @ByteArray(...).
        {
            QFile file(path());
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(
                "[ui]\nsavedViews=\"{\\\"version\\\":1,\\\"views\\\":[{\\\"name\\\":\\\"Mine\\\"},"
                "{\\\"nope\\\":1}]}\"\n");
        }
        AppSettings settings(path());
        const QList<SavedView> views = settings.savedViews();
        QCOMPARE(views.size(), 1);
        QCOMPARE(views.constFirst().name, QStringLiteral("Mine"));
    }

    void emptyBaseUrlRemovesTheKey()
    {
        AppSettings settings(path());
        settings.setBaseUrl(QStringLiteral("https://eu.api.lightfield.app"));
        settings.setBaseUrl({});
        QVERIFY(!settings.settings().contains(key(SettingsKeys::kBaseUrl)));
    }

    void enumsAreStoredByName()
    {
        AppSettings settings(path());
        settings.setColorScheme(AppSettings::ColorScheme::Light);
        settings.sync();
        QVERIFY(fileText().contains(QStringLiteral("colorScheme=Light")));
        QCOMPARE(AppSettings::colorSchemeFromName(QStringLiteral("Neon")),
            AppSettings::ColorScheme::System);
    }

    void freshFileGetsTheCurrentSchema()
    {
        AppSettings settings(path());
        const AppSettings::MigrationReport report = settings.migrate();
        QCOMPARE(report.fromVersion, 0);
        QCOMPARE(report.toVersion, AppSettings::kSchemaVersion);
        QVERIFY(report.ok());
        QVERIFY(fileText().contains(QStringLiteral("schemaVersion=2")));
    }

    void schema0IsMigratedStepByStep()
    {
        writeRaw({{QStringLiteral("baseUrl"), QStringLiteral("https://eu.api.lightfield.app")},
            {QStringLiteral("workspaceId"), QStringLiteral("ws_9")},
            {QStringLiteral("geometry"), QByteArray("geo")},
            {QStringLiteral("windowState"), QByteArray("st")}, {QStringLiteral("ui/theme"), 2}});
        AppSettings settings(path());
        const AppSettings::MigrationReport report = settings.migrate();
        QCOMPARE(report.fromVersion, 0);
        QCOMPARE(report.toVersion, 2);
        QCOMPARE(settings.baseUrl(), QStringLiteral("https://eu.api.lightfield.app"));
        QCOMPARE(settings.lastWorkspaceId(), QStringLiteral("ws_9"));
        QCOMPARE(settings.windowGeometry(), QByteArray("geo"));
        QCOMPARE(settings.windowState(), QByteArray("st"));
        QCOMPARE(settings.colorScheme(), AppSettings::ColorScheme::Dark);
        const QStringList keys = settings.settings().allKeys();
        for (const char *old : {"baseUrl", "workspaceId", "geometry", "windowState", "ui/theme"})
            QVERIFY2(!keys.contains(key(old)), old);
    }

    void schema1ColorSchemeNumberBecomesAName_data()
    {
        QTest::addColumn<QVariant>("stored");
        QTest::addColumn<AppSettings::ColorScheme>("expected");
        QTest::newRow("0") << QVariant(0) << AppSettings::ColorScheme::System;
        QTest::newRow("1") << QVariant(1) << AppSettings::ColorScheme::Light;
        QTest::newRow("2") << QVariant(2) << AppSettings::ColorScheme::Dark;
        QTest::newRow("garbage") << QVariant(QStringLiteral("purple"))
                                 << AppSettings::ColorScheme::System;
    }

    void schema1ColorSchemeNumberBecomesAName()
    {
        QFETCH(QVariant, stored);
        QFETCH(AppSettings::ColorScheme, expected);
        writeRaw({{key(SettingsKeys::kSchemaVersion), 1}, {QStringLiteral("ui/theme"), stored},
            {QStringLiteral("baseUrl"), QStringLiteral("left alone: schema 1 had no such key")}});
        AppSettings settings(path());
        const AppSettings::MigrationReport report = settings.migrate();
        QCOMPARE(report.fromVersion, 1);
        QCOMPARE(settings.colorScheme(), expected);
        QVERIFY(!settings.settings().contains(QStringLiteral("ui/theme")));
        // Step 1 does not run again on a schema-1 file.
        QCOMPARE(settings.baseUrl(), QString());
    }

    void migrationKeepsAValueAlreadyUnderTheNewName()
    {
        writeRaw({{QStringLiteral("baseUrl"), QStringLiteral("https://old.example")},
            {key(SettingsKeys::kBaseUrl), QStringLiteral("https://new.example")}});
        AppSettings settings(path());
        settings.migrate();
        QCOMPARE(settings.baseUrl(), QStringLiteral("https://new.example"));
        QVERIFY(!settings.settings().contains(QStringLiteral("baseUrl")));
    }

    void migrationIsIdempotent()
    {
        writeRaw({{QStringLiteral("workspaceId"), QStringLiteral("ws_1")}});
        AppSettings settings(path());
        settings.migrate();
        const AppSettings::MigrationReport again = settings.migrate();
        QCOMPARE(again.fromVersion, AppSettings::kSchemaVersion);
        QCOMPARE(again.toVersion, AppSettings::kSchemaVersion);
        QCOMPARE(settings.lastWorkspaceId(), QStringLiteral("ws_1"));
    }

    void fileFromANewerAppIsLeftAlone()
    {
        writeRaw({{key(SettingsKeys::kSchemaVersion), 99}, {QStringLiteral("ui/theme"), 2},
            {QStringLiteral("future/thing"), true}});
        AppSettings settings(path());
        const AppSettings::MigrationReport report = settings.migrate();
        QVERIFY(report.newerThanApp);
        QVERIFY(report.ok());
        QCOMPARE(settings.schemaVersion(), 99);
        QVERIFY(settings.settings().contains(QStringLiteral("ui/theme")));
        QVERIFY(settings.settings().contains(QStringLiteral("future/thing")));
    }

    void legacyApiKeyIsFoundUnderEveryNameAndRemoved_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *name : SettingsKeys::Legacy::kApiKeyNames)
            QTest::newRow(name) << key(name);
    }

    void legacyApiKeyIsFoundUnderEveryNameAndRemoved()
    {
        QFETCH(QString, name);
        writeRaw({{name, kKey}, {QStringLiteral("workspaceId"), QStringLiteral("ws_1")}});
        QVERIFY(fileText().contains(kKey));
        AppSettings settings(path());
        settings.migrate();
        QVERIFY(settings.hasLegacyApiKey());
        QCOMPARE(settings.legacyApiKey(), kKey);
        // Migration steps never carry the key to a new name.
        for (const QString &k : settings.settings().allKeys()) {
            if (settings.settings().value(k).toString() == kKey)
                QCOMPARE(k, name);
        }

        settings.removeLegacyApiKeys();
        QVERIFY(!settings.hasLegacyApiKey());
        QCOMPARE(settings.legacyApiKey(), QString());
        QVERIFY(!fileText().contains(kKey)); // on disk at once, without waiting for sync()
        QCOMPARE(settings.lastWorkspaceId(), QStringLiteral("ws_1"));
    }

    void settingsNeverHoldTheKeyAfterOtherWrites()
    {
        writeRaw({{QStringLiteral("apiKey"), kKey}});
        AppSettings settings(path());
        settings.migrate();
        settings.removeLegacyApiKeys();
        settings.setLastWorkspaceId(QStringLiteral("ws_2"));
        settings.setSavedViews(SavedView::defaultViews());
        settings.sync();
        // A second instance on the same file (e.g. MainWindow's) must not bring it back.
        {
            QSettings other(path(), QSettings::IniFormat);
            other.setValue(QStringLiteral("ui/other"), 1);
        }
        settings.sync();
        QVERIFY(!fileText().contains(kKey));
        QVERIFY(fileText().contains(QStringLiteral("ws_2")));
    }
};

QTEST_GUILESS_MAIN(TestAppSettings)
#include "tst_appsettings.moc"
