#pragma once

#include <QList>
#include <QString>
#include <QStringList>

/**
 * The start-up self-check: the pieces of Qt that are loaded at run time as plug-ins, so that
 * no linker, no dpkg-shlibdeps and no deploy tool is guaranteed to notice when one is missing.
 *
 *  - a TLS backend (plugins/tls): without it every HTTPS request to the Lightfield API fails;
 *  - the QSQLITE driver (plugins/sqldrivers): without it the local store cannot open.
 *
 * run() must be called after the QApplication exists, because the plug-in paths come from it.
 * What the app does with the result (main.cpp): `--self-check` prints report() and exits 0 or 1.
 * A normal start prints every problem to stderr and, when interactive, shows it in a message box;
 * a fatal problem (no SQLite driver) then ends the app with kMissingComponentExitCode, a missing
 * TLS backend does not (the demo workspace talks plain HTTP on loopback and still works).
 */
namespace StartupCheck {

/// Exit code of the app when a fatal component is missing.
inline constexpr int kMissingComponentExitCode = 3;

struct Problem
{
    QString component; ///< what is missing, e.g. "TLS backend (HTTPS)"
    QString effect; ///< what does not work without it
    QString remedy; ///< what to install on this system
    bool fatal = false; ///< the app cannot work at all without it
};

struct Result
{
    QString activeTlsBackend; ///< empty when there is none
    QStringList tlsBackends; ///< every backend Qt loaded, e.g. "openssl", "cert-only"
    QString tlsLibrary; ///< e.g. "OpenSSL 3.0.11 19 Sep 2023"; empty without TLS
    bool sqliteDriver = false;
    QStringList pluginPaths; ///< where Qt looked for plug-ins
    QList<Problem> problems;

    bool ok() const { return problems.isEmpty(); }
    bool fatal() const;
    /// One line per check, then one paragraph per problem; for the terminal.
    QString report() const;
    /// The problems as rich text, for a message box.
    QString problemsHtml() const;
};

Result run();

/// Prints every problem to stderr and, when interactive, shows them in a (modal) message box.
void reportProblems(const Result &result, bool interactive);

} // namespace StartupCheck
