#include "appcontroller.h"
#include "appinfo.h"
#include "cli/commandline.h"
#include "net/secretredactor.h"
#include "quitsignals.h"
#include "startupcheck.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

#include <cstdio>

int main(int argc, char *argv[])
{
    // Before anything can log: redact the API key (and anything shaped like one) everywhere.
    SecretRedactor::install();
    // sync / status / edit / create / export run without widgets (QCoreApplication).
    if (CommandLine::isCommand(argc, argv))
        return CommandLine::run(argc, argv);
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
        QApplication::translate(
            "main", "Browse and edit your Lightfield CRM deals, online or offline.")
        + QLatin1String("\n\n") + CommandLine::summary());
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demoOption(QStringLiteral("demo"),
        QApplication::translate("main",
            "Open the demo workspace: a bundled sandbox on loopback "
            "with invented deals. Needs no key and no network."));
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
        QApplication::translate("main",
            "Save a PNG of the main window to <path> once it shows "
            "its data, then exit."),
        QStringLiteral("path"));
    const QCommandLineOption screenshotViewOption(QStringLiteral("screenshot-view"),
        QApplication::translate("main",
            "With --screenshot: what to show, once the first sync "
            "has finished: table (the default, at the first paint "
            "with data), form (the first deal opened), board or "
            "charts; or signin (the sign-in dialog, without a workspace)."),
        QStringLiteral("view"), QStringLiteral("table"));
    const QCommandLineOption screenshotSizeOption(QStringLiteral("screenshot-size"),
        QApplication::translate("main",
            "With --screenshot: the window's size, as WIDTHxHEIGHT "
            "(kept within the screen)."),
        QStringLiteral("size"));
    const QCommandLineOption selfCheckOption(QStringLiteral("self-check"),
        QApplication::translate("main",
            "Check for the parts of Qt loaded at run time (TLS "
            "backend, SQLite driver), print the result and exit: "
            "0 if all are there, 1 if not."));
    const QCommandLineOption demoScopesOption(QStringLiteral("demo-scopes"),
        QApplication::translate("main",
            "With --demo: give the demo key only these scopes, comma-separated (e.g. "
            "opportunities:read shows the window as a read-only key sees it)."),
        QStringLiteral("scopes"));
    parser.addOption(demoOption);
    parser.addOption(demoScopesOption);
    parser.addOption(screenshotOption);
    parser.addOption(screenshotViewOption);
    parser.addOption(screenshotSizeOption);
    parser.addOption(selfCheckOption);
    parser.process(app);

    // A missing plug-in is reported once, by name, instead of failing every request later.
    const StartupCheck::Result check = StartupCheck::run();
    if (parser.isSet(selfCheckOption)) {
        std::fputs(qPrintable(check.report()), stdout);
        return check.ok() ? 0 : 1;
    }
    StartupCheck::reportProblems(check, !parser.isSet(screenshotOption));
    if (check.fatal())
        return StartupCheck::kMissingComponentExitCode;

    AppController::Options options;
    options.demo = parser.isSet(demoOption);
    options.demoScopes = parser.value(demoScopesOption).split(QLatin1Char(','), Qt::SkipEmptyParts);
    options.screenshotPath = parser.value(screenshotOption);
    options.screenshotView = parser.value(screenshotViewOption);
    if (parser.isSet(screenshotSizeOption)) {
        const QStringList parts = parser.value(screenshotSizeOption).split(QLatin1Char('x'));
        options.screenshotSize
            = parts.size() == 2 ? QSize(parts.at(0).toInt(), parts.at(1).toInt()) : QSize();
        if (options.screenshotSize.isEmpty()) {
            std::fprintf(stderr,
                "Invalid --screenshot-size \"%s\": use WIDTHxHEIGHT, e.g. 1600x1000.\n",
                qPrintable(parser.value(screenshotSizeOption)));
            return 64;
        }
    }
    static const QStringList views {QStringLiteral("table"), QStringLiteral("form"),
        QStringLiteral("board"), QStringLiteral("charts"), QStringLiteral("signin")};
    if (!views.contains(options.screenshotView)) {
        std::fprintf(stderr,
            "Unknown --screenshot-view \"%s\": use table, form, board, charts or signin.\n",
            qPrintable(options.screenshotView));
        return 64;
    }

    // SIGTERM / SIGINT / SIGHUP quit through the event loop, so the controller below is
    // destroyed and stops the demo sandbox.
    const QuitSignals quitSignals;
    AppController controller(options);
    // A second launch on an open workspace raises the first window and ends here.
    QObject::connect(&controller, &AppController::exitRequested, &app, &QCoreApplication::exit,
        Qt::QueuedConnection);
    controller.start();
    return QApplication::exec();
}
