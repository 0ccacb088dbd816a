#pragma once

// Every QSettings key the app uses, in one place. AppSettings is the only code
// that reads or writes them. Renaming a key means a new schema version and a migration step in
// AppSettings::migrate(); never reuse a name for a value of another type.
//
// The API key is deliberately absent: it lives in the OS keychain (SecretStore), never here
// (docs/architecture.md, Promises).
namespace SettingsKeys {

/// int: the layout version of this file (AppSettings::kSchemaVersion).
inline constexpr char kSchemaVersion[] = "meta/schemaVersion";

/// QString: the base URL the user chose under "Advanced" (empty = the default).
inline constexpr char kBaseUrl[] = "connection/baseUrl";
/// bool: Sync ▸ Work Offline, kept across restarts as a mail client keeps it.
inline constexpr char kWorkOffline[] = "connection/workOffline";
/// QString: the workspace (account) id of the last session; part of the keychain entry name.
inline constexpr char kLastWorkspaceId[] = "connection/lastWorkspaceId";

/// QString (compact JSON, Capabilities::toJson()): what a workspace's API key may do, as the
/// last sign-in found; `%1` is AppSettings::workspaceKey(). Never the key itself.
inline constexpr char kWorkspaceCapabilities[] = "workspaces/%1/capabilities";

/// QByteArray: QWidget::saveGeometry() of the main window (the names MainWindow already uses).
inline constexpr char kWindowGeometry[] = "ui/mainWindow/geometry";
/// QByteArray: QMainWindow::saveState().
inline constexpr char kWindowState[] = "ui/mainWindow/state";
/// QByteArray: QSplitter::saveState() of the list / detail splitter.
inline constexpr char kSplitterState[] = "ui/mainWindow/splitter";
/// QByteArray: QHeaderView::saveState() of the deals table (order, widths, hidden columns).
inline constexpr char kDealsHeaderState[] = "ui/mainWindow/dealsHeader";
/// QByteArray: the saved views (columns, sort, filters, search), a versioned JSON document
/// written by SavedView::documentFromViews().
inline constexpr char kSavedViews[] = "ui/savedViews";
/// QString: an AppSettings::ColorScheme enumerator name ("System", "Light", "Dark").
inline constexpr char kColorScheme[] = "ui/colorScheme";

/// Schema 0 (before meta/schemaVersion existed) kept these at the top level.
namespace Legacy {
inline constexpr char kBaseUrlV0[] = "baseUrl";
inline constexpr char kLastWorkspaceV0[] = "workspaceId";
inline constexpr char kGeometryV0[] = "geometry";
inline constexpr char kWindowStateV0[] = "windowState";
/// Schema 1 stored the colour scheme as an int (0 System, 1 Light, 2 Dark).
inline constexpr char kColorSchemeV1[] = "ui/theme";

/// Names under which an API key was (or might have been) written by older builds or by hand.
/// AppSettings::legacyApiKey() looks for all of them at every start.
inline constexpr const char *kApiKeyNames[] = {
    "apiKey",
    "api_key",
    "auth/apiKey",
    "auth/key",
    "connection/apiKey",
    "General/apiKey",
};

} // namespace Legacy
} // namespace SettingsKeys
