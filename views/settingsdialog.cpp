#include "settingsdialog.h"

#include <QCheckBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace {

QLabel *valueLabel(const QString &text, const char *objectName, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setObjectName(QString::fromLatin1(objectName));
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setWordWrap(true);
    return label;
}

} // namespace

SettingsDialog::SettingsDialog(const Workspace &workspace, bool workOffline, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));

    auto *workspaceBox = new QGroupBox(tr("Workspace"), this);
    auto *workspaceForm = new QFormLayout(workspaceBox);
    const bool signedIn = !workspace.description.isEmpty();
    workspaceForm->addRow(tr("Workspace:"),
        valueLabel(signedIn ? workspace.description : tr("Not signed in"), "workspaceDescription",
            workspaceBox));
    QString server;
    if (workspace.demo)
        server = tr("The demo sandbox on this computer (%1)").arg(workspace.baseUrl.toString());
    else if (workspace.baseUrl.isValid())
        server = workspace.baseUrl.toString();
    else
        server = tr("None");
    workspaceForm->addRow(tr("Server address:"), valueLabel(server, "serverAddress", workspaceBox));
    auto *signOut = new QPushButton(tr("Sign &Out"), workspaceBox);
    signOut->setObjectName(QStringLiteral("settingsSignOutButton"));
    signOut->setAutoDefault(false);
    signOut->setEnabled(signedIn);
    connect(signOut, &QPushButton::clicked, this, [this] {
        accept();
        Q_EMIT signOutRequested();
    });
    workspaceForm->addRow(QString(), signOut);

    auto *dataBox = new QGroupBox(tr("Data on this computer"), this);
    auto *dataForm = new QFormLayout(dataBox);
    const QString folder = QDir::toNativeSeparators(workspace.dataFolder);
    dataForm->addRow(tr("Folder:"), valueLabel(folder, "dataFolder", dataBox));
    dataForm->addRow(
        tr("Size:"), valueLabel(folderSizeText(workspace.dataFolder), "dataFolderSize", dataBox));
    auto *openFolder = new QPushButton(tr("Open &Folder"), dataBox);
    openFolder->setObjectName(QStringLiteral("openDataFolderButton"));
    openFolder->setAutoDefault(false);
    openFolder->setEnabled(QFileInfo(workspace.dataFolder).isDir());
    connect(openFolder, &QPushButton::clicked, this,
        [path = workspace.dataFolder] { QDesktopServices::openUrl(QUrl::fromLocalFile(path)); });
    dataForm->addRow(QString(), openFolder);

    m_workOffline = new QCheckBox(tr("&Work offline"), this);
    m_workOffline->setObjectName(QStringLiteral("workOfflineCheck"));
    m_workOffline->setToolTip(tr("Keep edits on this computer and send nothing until this is "
                                 "switched off (also in the Sync menu)."));
    m_workOffline->setChecked(workOffline);
    m_workOffline->setEnabled(signedIn);
    connect(m_workOffline, &QCheckBox::toggled, this, &SettingsDialog::workOfflineToggled);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->setObjectName(QStringLiteral("buttonBox"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(workspaceBox);
    layout->addWidget(dataBox);
    layout->addWidget(m_workOffline);
    layout->addStretch(1);
    layout->addWidget(buttons);
    resize(520, sizeHint().height());
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::setWorkOffline(bool offline)
{
    const QSignalBlocker block(m_workOffline);
    m_workOffline->setChecked(offline);
}

QString SettingsDialog::folderSizeText(const QString &folder)
{
    qint64 bytes = 0;
    int files = 0;
    QDirIterator it(
        folder, QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        bytes += it.fileInfo().size();
        ++files;
    }
    return tr("%1 in %n file(s)", nullptr, files).arg(QLocale().formattedDataSize(bytes));
}
