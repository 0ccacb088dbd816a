#pragma once

#include <QDialog>
#include <QString>
#include <QUrl>

class QCheckBox;
class QLabel;
class QPushButton;

/**
 * Edit ▸ Settings… (Ctrl+,): what the app can already change or show, in one small dialog.
 *
 * - **Workspace**: its description and server address (or that it is the bundled demo).
 * - **Data**: the folder of the local cache and how much it holds (measured when shown).
 * - **Work offline**: the same switch as Sync ▸ Work Offline (workOfflineToggled()).
 * - **Sign Out**: closes the dialog and emits signOutRequested().
 *
 * The dialog changes nothing by itself: the caller applies the signals. Close (or Esc) closes.
 */
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    struct Workspace
    {
        QString description; ///< e.g. "Demo workspace"; empty when signed out
        QUrl baseUrl;
        bool demo = false;
        QString dataFolder; ///< the folder of the local cache
    };

    explicit SettingsDialog(
        const Workspace &workspace, bool workOffline, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    /** Follows the Work Offline switch when it is changed elsewhere. */
    void setWorkOffline(bool offline);

    /** "12.4 MB in 3 files": the size of everything under `folder`. */
    static QString folderSizeText(const QString &folder);

Q_SIGNALS:
    void workOfflineToggled(bool offline);
    void signOutRequested();

private:
    QCheckBox *m_workOffline = nullptr;
};
