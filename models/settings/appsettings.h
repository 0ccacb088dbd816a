#pragma once

#include "net/capabilities.h"
#include "settings/savedview.h"

#include <QByteArray>
#include <QList>
#include <QSettings>
#include <QString>
#include <QUrl>

#include <memory>

/**
 * The app's settings, typed and versioned. Keys are in settingskeys.h.
 *
 * **Never the API key.** The key lives in the OS keychain (SecretStore). An older build, or a
 * user editing the file, may have left one here under a legacy name: legacyApiKey() finds
 * it so SecretStore::importLegacyKey() can move it to the keychain and then remove it
 * (removeLegacyApiKeys()).
 *
 * **Versioning.** `meta/schemaVersion` says which layout the file has; migrate() upgrades it
 * step by step (migrateTo1(), migrateTo2(), …). A file written by a newer app is left as it is
 * and read as far as its keys are known.
 *
 * Backed by the default QSettings (organisation and application names of QCoreApplication) or
 * by an INI file (tests). Not thread-safe; use from the GUI thread. Setters write through at
 * once (QSettings syncs on destruction and from the event loop).
 */
class AppSettings final
{
    Q_DISABLE_COPY_MOVE(AppSettings)

public:
    /** The layout this build writes. */
    static constexpr int kSchemaVersion = 2;

    /** Stored by name, never by number. */
    enum class ColorScheme : quint8
    {
        System,
        Light,
        Dark,
    };

    /** The platform's default settings store for this application. */
    AppSettings();
    /** An INI file at `fileName` (tests, portable installs). */
    explicit AppSettings(const QString &fileName);
    ~AppSettings();

    struct MigrationReport
    {
        int fromVersion = 0;
        int toVersion = 0;
        bool newerThanApp = false; ///< the file was written by a newer app; left untouched
        bool ok() const { return toVersion == kSchemaVersion || newerThanApp; }
    };

    /** Upgrades the file to kSchemaVersion, one step at a time. Run once at startup. */
    MigrationReport migrate();
    int schemaVersion() const;

    // --- Connection ------------------------------------------------------------------------
    /** The base URL the user chose; empty = none (BaseUrlPolicy::resolve() picks the default). */
    QString baseUrl() const;
    void setBaseUrl(const QString &url);
    QString lastWorkspaceId() const;
    void setLastWorkspaceId(const QString &id);
    /** The rep's "Work Offline" switch; false when never set. */
    bool workOffline() const;
    void setWorkOffline(bool offline);

    /**
     * What the API key of the workspace at `baseUrl` with `workspaceId` may do, as the last
     * sign-in found it (stored so that the app opens from its cache with the same limits, also
     * offline); Capabilities() (everything assumed) when never stored or unreadable. The key
     * itself is never stored here.
     */
    Capabilities capabilities(const QUrl &baseUrl, const QString &workspaceId) const;
    void setCapabilities(
        const QUrl &baseUrl, const QString &workspaceId, const Capabilities &capabilities);
    /** The settings group name of a workspace: its base URL and id, percent-encoded. */
    static QString workspaceKey(const QUrl &baseUrl, const QString &workspaceId);

    // --- Window ----------------------------------------------------------------------------
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);
    QByteArray splitterState() const;
    void setSplitterState(const QByteArray &state);
    QByteArray dealsHeaderState() const;
    void setDealsHeaderState(const QByteArray &state);
    /**
     * The saved views of the deals table (SavedView, a versioned JSON document). With nothing
     * saved yet, or a document that cannot be read at all (logged), the built-in
     * SavedView::defaultViews(); a corrupt entry is skipped (logged), the rest are kept.
     */
    QList<SavedView> savedViews() const;
    /** Replaces every saved view (an empty list is kept: the defaults do not come back). */
    void setSavedViews(const QList<SavedView> &views);
    /** True when views were ever saved (even an empty list). */
    bool hasSavedViews() const;
    ColorScheme colorScheme() const;
    void setColorScheme(ColorScheme scheme);

    static QString colorSchemeName(ColorScheme scheme);
    /** System for an unknown name. */
    static ColorScheme colorSchemeFromName(const QString &name);

    // --- Legacy API key --------------------------------------------------------------------
    /**
     * The first non-empty value stored under a legacy API key name (SettingsKeys::Legacy),
     * or an empty string. Leaves the file alone; see removeLegacyApiKeys().
     */
    QString legacyApiKey() const;
    /** True when any legacy API key name is present (even with an empty value). */
    bool hasLegacyApiKey() const;
    /** Removes every legacy API key name and syncs the file at once. */
    void removeLegacyApiKeys();

    /** Writes pending changes to disk now. */
    void sync();
    /** The file behind these settings (an INI path on Linux). */
    QString fileName() const;
    /** For code that needs the raw store (e.g. QWidget state helpers). Never store secrets. */
    QSettings &settings() { return *m_settings; }

private:
    void migrateTo1();
    void migrateTo2();
    /** Moves `from` to `to` unless `to` already has a value. */
    void rename(const char *from, const char *to);

    std::unique_ptr<QSettings> m_settings;
};
