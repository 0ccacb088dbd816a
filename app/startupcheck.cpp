#include "startupcheck.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QMessageBox>
#include <QSqlDatabase>
#include <QSslSocket>
#include <QSysInfo>

#include <cstdio>

namespace StartupCheck {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("StartupCheck", text);
}

enum class Platform
{
    Debian,
    Fedora,
    OpenSuse,
    Flatpak,
    OtherLinux,
    Windows,
    MacOS,
    Other,
};

Platform platform()
{
#if defined(Q_OS_WIN)
    return Platform::Windows;
#elif defined(Q_OS_MACOS)
    return Platform::MacOS;
#elif defined(Q_OS_LINUX)
    if (QFileInfo::exists(QStringLiteral("/.flatpak-info")))
        return Platform::Flatpak;
    const QString os = QSysInfo::productType();
    if (os == QLatin1String("debian") || os == QLatin1String("ubuntu")
        || os == QLatin1String("linuxmint") || os == QLatin1String("pop"))
        return Platform::Debian;
    if (os == QLatin1String("fedora") || os == QLatin1String("rhel")
        || os == QLatin1String("centos") || os == QLatin1String("rocky")
        || os == QLatin1String("almalinux"))
        return Platform::Fedora;
    if (os.startsWith(QLatin1String("opensuse")) || os == QLatin1String("sles"))
        return Platform::OpenSuse;
    return Platform::OtherLinux;
#else
    return Platform::Other;
#endif
}

// Package names per distribution: packaging/cpack.cmake depends on the same ones.
QString tlsRemedy()
{
    switch (platform()) {
    case Platform::Debian:
        return tr(
            "Install the packages libqt6network6 (it ships the TLS plug-in "
            "tls/libqopensslbackend.so) and libssl3: sudo apt install libqt6network6 libssl3");
    case Platform::Fedora:
        return tr("Install the packages qt6-qtbase (it ships the TLS plug-in) and openssl-libs: "
                  "sudo dnf install qt6-qtbase openssl-libs");
    case Platform::OpenSuse:
        return tr("Install the packages qt6-network-tls and libopenssl3: "
                  "sudo zypper install qt6-network-tls libopenssl3");
    case Platform::Flatpak:
        return tr("The Flatpak runtime lacks Qt's TLS plug-in: update it with flatpak update.");
    case Platform::Windows:
        return tr("The installation is incomplete: plugins\\tls\\qschannelbackend.dll is missing. "
                  "Reinstall Lightfield Deals.");
    case Platform::MacOS:
        return tr("The application bundle is incomplete: Contents/PlugIns/tls is missing. "
                  "Reinstall Lightfield Deals.");
    case Platform::OtherLinux:
    case Platform::Other:
        break;
    }
    return tr("Install the TLS plug-in of your Qt 6 (plugins/tls/libqopensslbackend.so) and "
              "OpenSSL 3.");
}

QString sqliteRemedy()
{
    switch (platform()) {
    case Platform::Debian:
        return tr("Install the package libqt6sql6-sqlite: sudo apt install libqt6sql6-sqlite");
    case Platform::Fedora:
        return tr("Install the package qt6-qtbase (it ships the SQLite driver): "
                  "sudo dnf install qt6-qtbase");
    case Platform::OpenSuse:
        return tr("Install the package qt6-sql-sqlite: sudo zypper install qt6-sql-sqlite");
    case Platform::Flatpak:
        return tr("The Flatpak runtime lacks Qt's SQLite driver: update it with flatpak update.");
    case Platform::Windows:
        return tr("The installation is incomplete: plugins\\sqldrivers\\qsqlite.dll is missing. "
                  "Reinstall Lightfield Deals.");
    case Platform::MacOS:
        return tr("The application bundle is incomplete: "
                  "Contents/PlugIns/sqldrivers/libqsqlite.dylib is missing. "
                  "Reinstall Lightfield Deals.");
    case Platform::OtherLinux:
    case Platform::Other:
        break;
    }
    return tr("Install the SQLite driver of your Qt 6 (plugins/sqldrivers/libqsqlite.so).");
}

} // namespace

bool Result::fatal() const
{
    for (const Problem &problem : problems) {
        if (problem.fatal)
            return true;
    }
    return false;
}

QString Result::report() const
{
    const QString none = tr("none");
    QString text;
    text += tr("TLS backend:   %1 (loaded: %2)%3\n")
                .arg(activeTlsBackend.isEmpty() ? none : activeTlsBackend,
                    tlsBackends.isEmpty() ? none : tlsBackends.join(QLatin1String(", ")),
                    tlsLibrary.isEmpty() ? QString() : QStringLiteral(", ") + tlsLibrary);
    text += tr("SQLite driver: %1\n").arg(sqliteDriver ? tr("QSQLITE available") : none);
    text += tr("Plug-in paths: %1\n").arg(pluginPaths.join(QLatin1String(", ")));
    for (const Problem &problem : problems) {
        text += QLatin1Char('\n')
            + tr("Missing: %1. %2\n  %3\n").arg(problem.component, problem.effect, problem.remedy);
    }
    text += ok() ? tr("Self-check passed.\n") : tr("Self-check failed.\n");
    return text;
}

QString Result::problemsHtml() const
{
    QString html;
    for (const Problem &problem : problems) {
        html += QStringLiteral("<p><b>%1</b><br>%2</p><p>%3</p>")
                    .arg(problem.component.toHtmlEscaped(), problem.effect.toHtmlEscaped(),
                        problem.remedy.toHtmlEscaped());
    }
    return html;
}

Result run()
{
    Result result;
    result.pluginPaths = QCoreApplication::libraryPaths();
    result.tlsBackends = QSslSocket::availableBackends();
    // supportsSsl() also fails when the OpenSSL plug-in loaded but could not load libssl.
    if (QSslSocket::supportsSsl()) {
        result.activeTlsBackend = QSslSocket::activeBackend();
        result.tlsLibrary = QSslSocket::sslLibraryVersionString();
    } else {
        result.problems.append({
            tr("TLS backend (HTTPS)"),
            tr("Without it no connection to the Lightfield API can be made; the demo workspace "
               "still works."),
            tlsRemedy(),
            false,
        });
    }
    result.sqliteDriver = QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"));
    if (!result.sqliteDriver) {
        result.problems.append({
            tr("SQLite driver for Qt (QSQLITE)"),
            tr("Without it the local copy of your deals and the queue of unsent edits cannot be "
               "opened, so the app cannot start."),
            sqliteRemedy(),
            true,
        });
    }
    return result;
}

void reportProblems(const Result &result, bool interactive)
{
    if (result.ok())
        return;
    std::fputs(qPrintable(result.report()), stderr);
    std::fflush(stderr);
    if (!interactive)
        return;
    QMessageBox box(result.fatal() ? QMessageBox::Critical : QMessageBox::Warning,
        QCoreApplication::translate("StartupCheck", "Lightfield Deals"),
        result.fatal() ? tr("Lightfield Deals cannot start: a part of Qt it needs is missing.")
                       : tr("A part of Qt that Lightfield Deals needs is missing."));
    box.setInformativeText(result.problemsHtml());
    box.setTextFormat(Qt::PlainText);
    box.exec();
}

} // namespace StartupCheck
