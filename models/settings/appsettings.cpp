#include "settings/appsettings.h"

#include "logging.h"
#include "settings/settingskeys.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace {

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

} // namespace

AppSettings::AppSettings()
    : m_settings(std::make_unique<QSettings>())
{
}

AppSettings::AppSettings(const QString &fileName)
    : m_settings(std::make_unique<QSettings>(fileName, QSettings::IniFormat))
{
}

AppSettings::~AppSettings() = default;

int AppSettings::schemaVersion() const
{
    return m_settings->value(key(SettingsKeys::kSchemaVersion), 0).toInt();
}

AppSettings::MigrationReport AppSettings::migrate()
{
    MigrationReport report;
    report.fromVersion = schemaVersion();
    report.toVersion = report.fromVersion;
    if (report.fromVersion > kSchemaVersion) {
        // Written by a newer app: rewriting it would break that app; read what we know.
        report.newerThanApp = true;
        qCWarning(lcApp) << "Settings schema" << report.fromVersion << "is newer than"
                         << kSchemaVersion << "- left unchanged";
        return report;
    }
    // Each step upgrades from the previous version; fall through to the newest.
    switch (report.fromVersion) {
    case 0:
        migrateTo1();
        [[fallthrough]];
    case 1:
        migrateTo2();
        [[fallthrough]];
    default:
        break;
    }
    m_settings->setValue(key(SettingsKeys::kSchemaVersion), kSchemaVersion);
    m_settings->sync();
    report.toVersion = kSchemaVersion;
    if (report.fromVersion != report.toVersion)
        qCInfo(lcApp) << "Settings migrated from schema" << report.fromVersion << "to"
                      << report.toVersion;
    return report;
}

void AppSettings::rename(const char *from, const char *to)
{
    const QString fromKey = key(from);
    if (!m_settings->contains(fromKey))
        return;
    if (!m_settings->contains(key(to)))
        m_settings->setValue(key(to), m_settings->value(fromKey));
    m_settings->remove(fromKey);
}

void AppSettings::migrateTo1()
{
    // Schema 0 kept everything at the top level.
    using namespace SettingsKeys;
    rename(Legacy::kBaseUrlV0, kBaseUrl);
    rename(Legacy::kLastWorkspaceV0, kLastWorkspaceId);
    rename(Legacy::kGeometryV0, kWindowGeometry);
    rename(Legacy::kWindowStateV0, kWindowState);
}

void AppSettings::migrateTo2()
{
    // Schema 1 stored the colour scheme as a number; enums are stored by name.
    using namespace SettingsKeys;
    const QString oldKey = key(Legacy::kColorSchemeV1);
    if (!m_settings->contains(oldKey))
        return;
    bool ok = false;
    const int number = m_settings->value(oldKey).toInt(&ok);
    ColorScheme scheme = ColorScheme::System;
    if (ok && number == 1)
        scheme = ColorScheme::Light;
    else if (ok && number == 2)
        scheme = ColorScheme::Dark;
    if (!m_settings->contains(key(kColorScheme)))
        m_settings->setValue(key(kColorScheme), colorSchemeName(scheme));
    m_settings->remove(oldKey);
}

QString AppSettings::baseUrl() const
{
    return m_settings->value(key(SettingsKeys::kBaseUrl)).toString();
}

void AppSettings::setBaseUrl(const QString &url)
{
    if (url.isEmpty())
        m_settings->remove(key(SettingsKeys::kBaseUrl));
    else
        m_settings->setValue(key(SettingsKeys::kBaseUrl), url);
}

QString AppSettings::lastWorkspaceId() const
{
    return m_settings->value(key(SettingsKeys::kLastWorkspaceId)).toString();
}

void AppSettings::setLastWorkspaceId(const QString &id)
{
    m_settings->setValue(key(SettingsKeys::kLastWorkspaceId), id);
}

QByteArray AppSettings::windowGeometry() const
{
    return m_settings->value(key(SettingsKeys::kWindowGeometry)).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray &geometry)
{
    m_settings->setValue(key(SettingsKeys::kWindowGeometry), geometry);
}

QByteArray AppSettings::windowState() const
{
    return m_settings->value(key(SettingsKeys::kWindowState)).toByteArray();
}

void AppSettings::setWindowState(const QByteArray &state)
{
    m_settings->setValue(key(SettingsKeys::kWindowState), state);
}

bool AppSettings::workOffline() const
{
    return m_settings->value(key(SettingsKeys::kWorkOffline), false).toBool();
}

void AppSettings::setWorkOffline(bool offline)
{
    m_settings->setValue(key(SettingsKeys::kWorkOffline), offline);
}

QString AppSettings::workspaceKey(const QUrl &baseUrl, const QString &workspaceId)
{
    const QString id = workspaceId.isEmpty() ? QStringLiteral("default") : workspaceId;
    // Percent-encoded whole, "/" included: one group name per workspace.
    return QString::fromLatin1(QUrl::toPercentEncoding(
        baseUrl.adjusted(QUrl::StripTrailingSlash).toString() + QLatin1Char('|') + id));
}

Capabilities AppSettings::capabilities(const QUrl &baseUrl, const QString &workspaceId) const
{
    const QString name
        = key(SettingsKeys::kWorkspaceCapabilities).arg(workspaceKey(baseUrl, workspaceId));
    const QByteArray text = m_settings->value(name).toString().toUtf8();
    if (text.isEmpty())
        return {};
    const QJsonDocument document = QJsonDocument::fromJson(text);
    const std::optional<Capabilities> stored
        = document.isObject() ? Capabilities::fromJson(document.object()) : std::nullopt;
    if (!stored) {
        qCWarning(lcApp) << "unreadable stored capabilities under" << name << "- assuming all";
        return {};
    }
    return *stored;
}

void AppSettings::setCapabilities(
    const QUrl &baseUrl, const QString &workspaceId, const Capabilities &capabilities)
{
    m_settings->setValue(
        key(SettingsKeys::kWorkspaceCapabilities).arg(workspaceKey(baseUrl, workspaceId)),
        QString::fromUtf8(QJsonDocument(capabilities.toJson()).toJson(QJsonDocument::Compact)));
}

QByteArray AppSettings::splitterState() const
{
    return m_settings->value(key(SettingsKeys::kSplitterState)).toByteArray();
}

void AppSettings::setSplitterState(const QByteArray &state)
{
    m_settings->setValue(key(SettingsKeys::kSplitterState), state);
}

QByteArray AppSettings::dealsHeaderState() const
{
    return m_settings->value(key(SettingsKeys::kDealsHeaderState)).toByteArray();
}

void AppSettings::setDealsHeaderState(const QByteArray &state)
{
    m_settings->setValue(key(SettingsKeys::kDealsHeaderState), state);
}

QList<SavedView> AppSettings::savedViews() const
{
    if (!hasSavedViews())
        return SavedView::defaultViews();
    const QVariant stored = m_settings->value(key(SettingsKeys::kSavedViews));
    // A hand-edited INI file may hold a plain string rather than @ByteArray(...).
    const QByteArray document
        = stored.typeId() == QMetaType::QString ? stored.toString().toUtf8() : stored.toByteArray();
    return SavedView::viewsFromDocument(document).value_or(SavedView::defaultViews());
}

void AppSettings::setSavedViews(const QList<SavedView> &views)
{
    m_settings->setValue(key(SettingsKeys::kSavedViews), SavedView::documentFromViews(views));
}

bool AppSettings::hasSavedViews() const
{
    return m_settings->contains(key(SettingsKeys::kSavedViews));
}

AppSettings::ColorScheme AppSettings::colorScheme() const
{
    return colorSchemeFromName(m_settings->value(key(SettingsKeys::kColorScheme)).toString());
}

void AppSettings::setColorScheme(ColorScheme scheme)
{
    m_settings->setValue(key(SettingsKeys::kColorScheme), colorSchemeName(scheme));
}

QString AppSettings::colorSchemeName(ColorScheme scheme)
{
    switch (scheme) {
    case ColorScheme::Light:
        return QStringLiteral("Light");
    case ColorScheme::Dark:
        return QStringLiteral("Dark");
    case ColorScheme::System:
        break;
    }
    return QStringLiteral("System");
}

AppSettings::ColorScheme AppSettings::colorSchemeFromName(const QString &name)
{
    if (name == QLatin1String("Light"))
        return ColorScheme::Light;
    if (name == QLatin1String("Dark"))
        return ColorScheme::Dark;
    return ColorScheme::System;
}

QString AppSettings::legacyApiKey() const
{
    for (const char *name : SettingsKeys::Legacy::kApiKeyNames) {
        const QString value = m_settings->value(key(name)).toString().trimmed();
        if (!value.isEmpty())
            return value;
    }
    return {};
}

bool AppSettings::hasLegacyApiKey() const
{
    for (const char *name : SettingsKeys::Legacy::kApiKeyNames) {
        if (m_settings->contains(key(name)))
            return true;
    }
    return false;
}

void AppSettings::removeLegacyApiKeys()
{
    bool removed = false;
    for (const char *name : SettingsKeys::Legacy::kApiKeyNames) {
        const QString k = key(name);
        if (m_settings->contains(k)) {
            m_settings->remove(k);
            removed = true;
        }
    }
    if (!removed)
        return;
    // At once, not at the next event loop turn: the plaintext copy must not outlive this call.
    m_settings->sync();
    qCInfo(lcApp)
        << "Removed a plaintext API key from the settings file (moved to the secret store)";
}

void AppSettings::sync()
{
    m_settings->sync();
}

QString AppSettings::fileName() const
{
    return m_settings->fileName();
}
