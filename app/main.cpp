#include "appcontroller.h"
#include "appinfo.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("lightfield-deals"));
    QApplication::setApplicationDisplayName(QString::fromLatin1(AppInfo::kName));
    QApplication::setApplicationVersion(QString::fromLatin1(AppInfo::kVersion));
    QApplication::setOrganizationName(QString::fromLatin1(AppInfo::kOrganization));
    QApplication::setOrganizationDomain(QString::fromLatin1(AppInfo::kOrganizationDomain));
    QApplication::setDesktopFileName(QString::fromLatin1(AppInfo::kAppId));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/lightfield-deals.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Browse and edit your Lightfield CRM deals, online or offline."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demoOption(
        QStringLiteral("demo"),
        QApplication::translate("main", "Open the demo workspace: a bundled sandbox on loopback "
                                        "with invented deals. Needs no key and no network."));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"),
        QApplication::translate("main", "Save a PNG of the main window to <path> once it shows "
                                        "its data, then exit."),
        QStringLiteral("path"));
    parser.addOption(demoOption);
    parser.addOption(screenshotOption);
    parser.process(app);

    AppController::Options options;
    options.demo = parser.isSet(demoOption);
    options.screenshotPath = parser.value(screenshotOption);

    AppController controller(options);
    controller.start();
    return QApplication::exec();
}
