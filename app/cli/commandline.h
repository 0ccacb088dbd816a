#pragma once

#include <QString>
#include <QStringList>

class LocalStore;
class Outbox;

/**
 * The command line of `lightfield-deals`: `sync`, `status`, `edit`,
 * `create` and `export`, run without any widget (QCoreApplication), for scripts and tests.
 * Edits go through the Outbox exactly as the form's do, so they work offline.
 *
 * main() calls isCommand() before it creates the application object and, when it is true,
 * returns run(). Exit codes are the ExitCode values, documented in every command's --help.
 */
namespace CommandLine {

enum ExitCode : int
{
    Ok = 0,
    Failure = 1, ///< unexpected error
    Usage = 2, ///< unknown command or option, missing or malformed argument
    InvalidInput = 3, ///< unknown field or record, a value wrong for its type: nothing queued
    StoreError = 4, ///< the local cache cannot be opened or written, or has no definitions yet
    AuthRequired = 5, ///< no API key, or the server refused it
    Incomplete = 6, ///< sync: server unreachable, pull failed or timed out; edits may remain
    NeedsAttention = 7, ///< sync finished, but edits are parked or in conflict
    Busy = 8, ///< another process holds the workspace and did not take the work over
};

/** What an `edit` / `create` printed and its exit code (run here or by the holder). */
struct WriteOutcome
{
    int code = Ok;
    QString out; ///< standard output (the deal's id)
    QString err; ///< standard error (what was queued, or why not)
    QString recordId; ///< the deal queued (empty when nothing was)
    qint64 seq = 0; ///< its outbox row (0 when nothing was queued)
};

/**
 * `edit ID KEY=VALUE…` (recordId set) or `create KEY=VALUE…` on an open store, through the
 * same path as the form (RecordEditService: the row and the local copy in one transaction).
 * The command runs it when it holds the workspace, the holder when it was handed over.
 */
WriteOutcome queueWrite(
    LocalStore &store, Outbox &outbox, const QString &recordId, const QStringList &assignments);

/** True when argv[1] names a command (sync, status, edit, create, export). */
bool isCommand(int argc, char *argv[]);

/** Runs the command in argv[1]; returns its exit code. Creates the QCoreApplication. */
int run(int argc, char *argv[]);

/** One paragraph for the GUI's --help: the commands and where their help is. */
QString summary();

} // namespace CommandLine
