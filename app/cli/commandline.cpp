#include "commandline.h"

#include "appinfo.h"
#include "domain/changeset.h"
#include "domain/objectschema.h"
#include "domain/record.h"
#include "edit/recordeditservice.h"
#include "export/valueparser.h"
#include "exporter.h"
#include "instancechannel.h"
#include "net/baseurlpolicy.h"
#include "net/capabilities.h"
#include "net/secretredactor.h"
#include "settings/appsettings.h"
#include "settings/secretstore.h"
#include "store/cacherecovery.h"
#include "store/localstore.h"
#include "store/outbox.h"
#include "store/workspacepaths.h"
#include "store/writerlock.h"
#include "sync/syncengine.h"
#include "workspacesession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <memory>

#ifdef Q_OS_UNIX
#include <csignal>
#include <QSocketNotifier>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace {

const QString kOpportunity = QStringLiteral("opportunity");
constexpr auto kApiKeyVariable = "LIGHTFIELD_API_KEY";

QString tr(const char *text)
{
    return QCoreApplication::translate("CommandLine", text);
}

void printOut(const QString &text)
{
    std::fputs(text.toUtf8().constData(), stdout);
    std::fflush(stdout);
}

void printErr(const QString &text)
{
    // Never the key: whatever a message quotes goes through the redactor.
    std::fputs(SecretRedactor::redact(text).toUtf8().constData(), stderr);
    std::fflush(stderr);
}

int fail(int code, const QString &message)
{
    printErr(QStringLiteral("lightfield-deals: %1\n").arg(message));
    return code;
}

QStringList commands()
{
    return {QStringLiteral("sync"), QStringLiteral("status"), QStringLiteral("edit"),
        QStringLiteral("create"), QStringLiteral("export"), QStringLiteral("recover")};
}

QString exitCodeHelp()
{
    return tr("Exit codes:\n"
              "  0  success\n"
              "  1  unexpected error\n"
              "  2  usage error: unknown command or option, missing or malformed argument\n"
              "  3  invalid input: unknown field, record or option label, or a value wrong for\n"
              "     the field's type; nothing was queued\n"
              "  4  the local cache cannot be opened or written, or holds no field definitions\n"
              "     yet (run 'sync' online once)\n"
              "  5  no API key (set LIGHTFIELD_API_KEY or sign in with the app), or the server\n"
              "     refused it, or (edit, create) the key signed in with may not make the\n"
              "     change (it lacks opportunities:update / :create); nothing was queued\n"
              "  6  sync incomplete: server unreachable, pull failed, or --timeout reached;\n"
              "     queued edits are kept and sent next time\n"
              "  7  sync finished, but some edits are parked, in conflict or are new deals that\n"
              "     may already exist on the server (see 'status')\n"
              "  8  busy: another Lightfield Deals process is using this workspace and did not\n"
              "     take the work over (edit, create and sync hand their work to a running\n"
              "     window or 'sync'; this code means none answered); nothing was queued\n"
              "     unless the message says the change may have been");
}

QString commandHelp(const QString &command)
{
    if (command == QLatin1String("sync"))
        return tr(
            "sync [--once] [--timeout S] [--interval S]\n"
            "Sends the queued edits (each with its own Idempotency-Key, so a retried or\n"
            "interrupted sync never applies an edit twice) and refreshes the local cache.\n"
            "With --once: exits when the queue is empty and one full pull has finished.\n"
            "Without: keeps syncing, pulling every --interval seconds, until SIGINT/SIGTERM,\n"
            "or until the app's window is opened on the workspace: then it finishes the\n"
            "sends on the wire and exits 0, and the window takes over.\n"
            "When the window (or another 'sync') already drives the workspace, it is asked\n"
            "to sync now instead; with --once this waits for its result.\n"
            "The API key comes from LIGHTFIELD_API_KEY, else from the OS keychain.");
    if (command == QLatin1String("status"))
        return tr("status\n"
                  "Prints the queue of the workspace: pending, parked and conflicting edits,\n"
                  "cached deals and the time of the last full sweep, as 'name: value' lines.\n"
                  "When the cache cannot be read, prints 'cache unreadable: REASON' instead of\n"
                  "any counts and exits with 4. A damaged cache that was moved aside with\n"
                  "edits still to recover is named as 'damaged cache: FILE' (see 'recover').\n"
                  "New deals held because the server may already have them (sent over a day\n"
                  "ago without an answer) are counted as 'may already exist: N'; answer them\n"
                  "in the app, which shows the candidates.\n"
                  "Needs no network and no key. Reads the cache without changing it, also\n"
                  "while the app or a 'sync' runs.");
    if (command == QLatin1String("recover"))
        return tr(
            "recover [--list] [--file PATH] [SEQ...]\n"
            "Gets queued edits out of a damaged cache. When the cache cannot be read at\n"
            "start-up it is moved aside as cache.sqlite.corrupt-TIME (never deleted) and an\n"
            "empty cache is started; the edits queued in the old file were not sent.\n"
            "Without SEQ (or with --list): lists the edits of the newest such file that was\n"
            "not recovered yet (or of --file PATH): number, deal, fields changed, when queued;\n"
            "rows that cannot be read are reported. The file is opened read-only.\n"
            "With SEQ...: queues those edits again in the current cache, each with its\n"
            "ORIGINAL Idempotency-Key (so an edit the server already applied is not applied\n"
            "twice); an edit whose key is already queued is skipped. 'all' picks every\n"
            "readable edit. Afterwards the damaged file is kept and marked as recovered\n"
            "(FILE.recovered beside it), so it is no longer offered; 'sync' sends the edits.\n"
            "Queueing needs the workspace to itself: while the window or a 'sync' holds it,\n"
            "recover SEQ... exits 8 and queues nothing (the window has File > Recover Edits\n"
            "from a Damaged Cache...). Listing works beside them.");
    if (command == QLatin1String("edit"))
        return tr(
            "edit ID KEY=VALUE...\n"
            "Queues an edit of the deal ID (a server id or the temporary id printed by\n"
            "'create'), exactly as the form does; works offline. KEY is a field or\n"
            "relationship key ($stage, dealSize) or its label. VALUE by the field's type:\n"
            "  numbers and amounts with a dot (1250.5); checkbox true/false; dates ISO 8601\n"
            "  (2026-09-30, 2026-09-30T17:00:00Z; no zone = UTC); select options by label\n"
            "  or id; a stage whose label several pipelines share as \"Pipeline / Stage\"\n"
            "  (\"Renewals / Won\") or by id; lists (multi-select, e-mail, phone, URL) joined\n"
            "  by ';' or a JSON array;\n"
            "  addresses and names as JSON objects; relationships as ids or names joined by\n"
            "  ';'. An empty VALUE clears the field. Prints the deal's id.\n"
            "While the app's window or a 'sync' drives the workspace, the edit is handed to\n"
            "it and queued there (the same checks and exit codes).");
    if (command == QLatin1String("create"))
        return tr("create KEY=VALUE...\n"
                  "Queues a new deal (values as for 'edit'; $name, $stage and $account are\n"
                  "required). Prints its temporary id, usable with 'edit' until it is synced.\n"
                  "Handed to a running window or 'sync' as 'edit' is.");
    return tr("export --format csv|json --output FILE [--type TYPE]\n"
              "Writes the cached records as the user sees them (queued edits applied).\n"
              "json: every cached record (all types, or --type) in the API's record shape plus\n"
              "'localState' (its queued edits); the raw export: values exactly as stored,\n"
              "nothing escaped. csv: one type (default opportunity), one column per field,\n"
              "plain machine-readable values; relationships as names plus a '.id' column.\n"
              "Safe CSV: a cell whose text starts with =, +, -, @, a tab or a carriage return\n"
              "gets a leading apostrophe (') so that a spreadsheet shows it as text instead of\n"
              "running it as a formula; numbers (NUMBER and CURRENCY fields, decided by the\n"
              "field's type) are never changed, so -1200.5 stays a number. Use json for exact\n"
              "values. FILE '-' writes to standard output. Reads the cache without changing\n"
              "it, also while the app or a 'sync' runs.");
}

void setApplicationNames()
{
    // The same names as the GUI, so both find the same settings, keychain entry and cache.
    QCoreApplication::setApplicationName(QStringLiteral("lightfield-deals"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(AppInfo::kVersion));
    QCoreApplication::setOrganizationName(QString::fromLatin1(AppInfo::kOrganization));
    QCoreApplication::setOrganizationDomain(QString::fromLatin1(AppInfo::kOrganizationDomain));
}

struct Workspace
{
    QUrl baseUrl;
    QString identity;
    QString root;
    QString databasePath;
    /// What the workspace's key may do, as the app's last sign-in found (AppSettings).
    Capabilities capabilities;
};

#ifdef Q_OS_UNIX
int g_signalPipe[2] = {-1, -1};

void handleTerminationSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

/// SIGINT / SIGTERM end a continuous sync cleanly (the store is safe either way).
void installTerminationHandler(QObject *context, const std::function<void()> &onSignal)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, context);
    QObject::connect(notifier, &QSocketNotifier::activated, context, [onSignal] {
        char byte;
        [[maybe_unused]] const auto got = ::read(g_signalPipe[0], &byte, 1);
        onSignal();
    });
    struct sigaction action = {};
    action.sa_handler = handleTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}
#else
void installTerminationHandler(QObject *, const std::function<void()> &) { }
#endif

/// Opens the workspace's existing cache; nullptr (and the exit code in *code) when it cannot.
std::unique_ptr<LocalStore> openStore(
    const Workspace &workspace, int *code, const LocalStore::Options &options = {})
{
    if (!QFileInfo::exists(workspace.databasePath)) {
        *code = fail(CommandLine::StoreError,
            tr("No local cache for %1 yet; run 'lightfield-deals sync' online first.")
                .arg(workspace.baseUrl.toString()));
        return nullptr;
    }
    auto store = std::make_unique<LocalStore>(workspace.databasePath, options);
    const LocalStore::OpenResult opened = store->open();
    if (!opened.isOpen()) {
        *code = fail(CommandLine::StoreError,
            tr("The local cache could not be opened: %1").arg(opened.message));
        return nullptr;
    }
    if (opened.status == LocalStore::OpenStatus::Quarantined)
        printErr(QStringLiteral("lightfield-deals: %1\n").arg(opened.message));
    return store;
}

/// `status` and `export` only read: they never requeue, migrate or repair a cache that the
/// window or a `sync` may be writing at the same moment.
LocalStore::Options readOnlyOptions()
{
    LocalStore::Options options;
    options.readOnly = true;
    options.requeueInFlight = false;
    return options;
}

/// "the running Lightfield Deals window (pid N)" or "the running 'lightfield-deals sync' (pid N)".
QString holderText(const QJsonObject &reply)
{
    const qint64 pid = reply.value(QStringLiteral("pid")).toInteger();
    return reply.value(QStringLiteral("holder")).toString() == QLatin1String("window")
        ? tr("the running Lightfield Deals window (pid %1)").arg(pid)
        : tr("the running 'lightfield-deals sync' (pid %1)").arg(pid);
}

/// How long a command looks for the holder of a workspace (one starting up, or exiting).
constexpr int kFindHolderMs = 10'000;

int busy(qint64 pid)
{
    return fail(CommandLine::Busy,
        pid > 0 ? tr("Another Lightfield Deals process (pid %1) is using this workspace and "
                     "does not answer; try again when it has finished.")
                      .arg(pid)
                : tr("Another Lightfield Deals process is using this workspace and does not "
                     "answer; try again when it has finished."));
}

/**
 * Runs `local` while holding the workspace's lock, or hands `request` to the process that holds
 * it and reports its answer. Repeats both for a short time, so a holder starting up (lock
 * taken, not listening yet) or exiting (lock about to be free) is waited for. Busy when the
 * lock stays held and no one answers.
 */
int report(const CommandLine::WriteOutcome &outcome);

void waitMs(int ms)
{
    QEventLoop wait;
    QTimer::singleShot(ms, &wait, &QEventLoop::quit);
    wait.exec();
}

int holdOrHandOver(WriterLock &lock, const QJsonObject &request, int replyTimeoutMs,
    bool repeatable, const std::function<int()> &local)
{
    const QString name = InstanceChannel::serverName(lock.folder());
    QDeadlineTimer deadline(kFindHolderMs);
    for (;;) {
        if (lock.tryLock())
            return local();
        bool connected = false;
        const std::optional<QJsonObject> reply
            = InstanceChannel::ask(name, request, replyTimeoutMs, &connected);
        if (reply) {
            printErr(tr("Handed to %1.\n").arg(holderText(*reply)));
            CommandLine::WriteOutcome outcome;
            outcome.code
                = reply->value(QStringLiteral("code"))
                      .toInt(reply->value(QStringLiteral("ok")).toBool() ? CommandLine::Ok
                                                                         : CommandLine::Failure);
            outcome.out = reply->value(QStringLiteral("out")).toString();
            outcome.err = reply->value(QStringLiteral("err")).toString();
            return report(outcome);
        }
        if (connected && !repeatable) {
            // The holder took the request and then ended or hung: it may have queued it.
            return fail(CommandLine::Busy,
                tr("The process that drives this workspace stopped answering; the change may "
                   "have been queued. See 'lightfield-deals status' before trying again."));
        }
        // An edit may be tried again: one that was queued already finds nothing left to change.
        if (deadline.hasExpired())
            return busy(lock.holderPid());
        waitMs(100);
    }
}

int runStatus(const Workspace &workspace)
{
    Outbox::Counts counts;
    int deals = 0;
    int undecodable = 0;
    QString lastSweep = QStringLiteral("never");
    // An unreadable cache is reported as such, never as an empty queue ("pending: 0").
    const auto unreadable = [](const QString &reason) {
        printOut(QStringLiteral("cache unreadable: %1\n").arg(reason));
        return fail(CommandLine::StoreError,
            tr("The local cache cannot be read; queued edits, if any, are still in it."));
    };
    if (QFileInfo::exists(workspace.databasePath)) {
        auto store = std::make_unique<LocalStore>(workspace.databasePath, readOnlyOptions());
        const LocalStore::OpenResult opened = store->open();
        if (!opened.isOpen())
            return unreadable(opened.message);
        if (opened.status == LocalStore::OpenStatus::Quarantined)
            printErr(QStringLiteral("lightfield-deals: %1\n").arg(opened.message));
        Outbox outbox(*store);
        counts = outbox.counts();
        if (!counts.readable)
            return unreadable(counts.error);
        deals = store->recordCount(kOpportunity);
        if (deals < 0)
            return unreadable(store->lastError());
        undecodable = store->undecodableCount(kOpportunity);
        const QString sweep = store->meta(StoreMeta::kLastFullSweepAt).value_or(QString());
        if (!sweep.isEmpty())
            lastSweep = sweep;
    }
    printOut(
        QStringLiteral("workspace: %1\n"
                       "cache: %2\n"
                       "deals cached: %3\n"
                       "pending: %4\n"
                       "parked: %5\n"
                       "conflicts: %6\n"
                       "last full sweep: %7\n")
            .arg(workspace.baseUrl.toString(), QDir::toNativeSeparators(workspace.databasePath))
            .arg(deals)
            .arg(counts.pending + counts.inFlight)
            .arg(counts.parked)
            .arg(counts.conflict)
            .arg(lastSweep));
    // Only when there are some: deals the server sent in a form this version cannot read.
    if (undecodable > 0)
        printOut(QStringLiteral("deals that could not be read: %1\n").arg(undecodable));
    // Only when there are some: new deals the server may already hold (sent once, over a day
    // ago); the rep answers them in the window, which shows the candidates.
    if (counts.mayExist > 0)
        printOut(QStringLiteral("may already exist: %1\n").arg(counts.mayExist));
    const QStringList damaged = CacheRecovery::quarantinedFiles(workspace.databasePath);
    for (const QString &file : damaged)
        printOut(QStringLiteral("damaged cache: %1\n").arg(QDir::toNativeSeparators(file)));
    return CommandLine::Ok;
}

QString describeItem(const CacheRecovery::Item &item)
{
    const QString name = item.dealName.isEmpty() ? item.row.recordId : item.dealName;
    const QString what = item.row.op == OutboxRow::Op::Create
        ? tr("new %1").arg(item.row.objectType)
        : item.row.objectType;
    return QStringLiteral("#%1\t%2\t%3\t%4\t%5\t%6\n")
        .arg(item.row.seq)
        .arg(what, name, item.changedKeys.join(QLatin1String(", ")),
            item.row.createdAt.toString(Qt::ISODate), item.row.idempotencyKey);
}

/// `recover [--list] [--file PATH] [SEQ…]`
int runRecover(
    const Workspace &workspace, bool listOnly, const QString &file, const QStringList &picks)
{
    QString source = file;
    if (source.isEmpty()) {
        const QStringList damaged = CacheRecovery::quarantinedFiles(workspace.databasePath);
        if (damaged.isEmpty()) {
            printErr(tr("No damaged cache to recover edits from (none was moved aside, or all "
                        "were recovered).\n"));
            return CommandLine::Ok;
        }
        source = damaged.constFirst();
    }
    const CacheRecovery::Listing listing = CacheRecovery::list(source);
    if (!listing.ok) {
        return fail(CommandLine::StoreError,
            tr("The damaged cache %1 cannot be read: %2")
                .arg(QDir::toNativeSeparators(source), listing.error));
    }
    QList<qint64> seqs;
    bool all = false;
    for (const QString &pick : picks) {
        if (pick == QLatin1String("all")) {
            all = true;
            continue;
        }
        bool ok = false;
        const qint64 seq = pick.startsWith(QLatin1Char('#')) ? pick.mid(1).toLongLong(&ok)
                                                             : pick.toLongLong(&ok);
        if (!ok || seq <= 0)
            return fail(CommandLine::Usage,
                tr("SEQ must be an edit number or 'all', not \"%1\".").arg(pick));
        seqs << seq;
    }
    if (listOnly || picks.isEmpty()) {
        printOut(tr("file: %1\n").arg(QDir::toNativeSeparators(source)));
        for (const CacheRecovery::Item &item : listing.items)
            printOut(describeItem(item));
        for (const QString &line : listing.unreadable)
            printOut(tr("unreadable: %1\n").arg(line));
        if (!listOnly && !listing.items.isEmpty())
            printErr(
                tr("Name the edits to queue again: lightfield-deals recover SEQ... (or all).\n"));
        return CommandLine::Ok;
    }
    if (all) {
        for (const CacheRecovery::Item &item : listing.items)
            seqs << item.row.seq;
    }
    // Queueing writes the workspace: only its one writer may. The window has the same command
    // (File ▸ Recover Edits from a Damaged Cache…); a running `sync` is stopped first.
    WriterLock lock(WriterLock::folderOf(workspace.databasePath));
    if (!lock.tryLock()) {
        const qint64 pid = lock.holderPid();
        return fail(CommandLine::Busy,
            tr("Another Lightfield Deals process (pid %1) is using this workspace; nothing was "
               "queued. In the window use File ▸ Recover Edits from a Damaged Cache…, or stop "
               "that process and run recover again.")
                .arg(pid));
    }
    int code = CommandLine::Ok;
    std::unique_ptr<LocalStore> store = openStore(workspace, &code);
    if (!store)
        return code;
    Outbox outbox(*store);
    const CacheRecovery::Outcome outcome = CacheRecovery::requeue(listing, seqs, *store, outbox);
    for (const qint64 seq : outcome.requeued)
        printOut(tr("requeued: #%1\n").arg(seq));
    for (const qint64 seq : outcome.skippedDuplicates)
        printOut(tr("skipped (already queued): #%1\n").arg(seq));
    for (const qint64 seq : outcome.missing)
        printOut(tr("not found: #%1\n").arg(seq));
    for (const QString &line : outcome.failed)
        printOut(tr("failed: %1\n").arg(line));
    for (const QString &line : listing.unreadable)
        printOut(tr("unreadable: %1\n").arg(line));
    if (!outcome.requeued.isEmpty() || !outcome.skippedDuplicates.isEmpty()) {
        QString error;
        if (!CacheRecovery::markRecovered(source, outcome, &error))
            printErr(tr("The damaged cache could not be marked as recovered: %1\n").arg(error));
    }
    if (!outcome.failed.isEmpty())
        return fail(CommandLine::StoreError, tr("Some edits could not be queued again."));
    if (!outcome.missing.isEmpty())
        return fail(
            CommandLine::InvalidInput, tr("Some edit numbers are not in the damaged cache."));
    printErr(QCoreApplication::translate("CommandLine",
        "Queued %n edit(s) again; 'sync' sends them.\n", nullptr, int(outcome.requeued.size())));
    return CommandLine::Ok;
}

/// A field or relationship by key, by key with a "$" added, or by label (case-insensitive).
struct KeyMatch
{
    const FieldDefinition *field = nullptr;
    const RelationshipDefinition *relationship = nullptr;
};

KeyMatch findKey(const ObjectSchema &schema, const QString &key)
{
    for (const QString &candidate : {key, QLatin1Char('$') + key}) {
        if (const FieldDefinition *field = schema.field(candidate))
            return {field, nullptr};
        if (const RelationshipDefinition *relationship = schema.relationship(candidate))
            return {nullptr, relationship};
    }
    for (const FieldDefinition &field : schema.fields()) {
        if (field.label().compare(key, Qt::CaseInsensitive) == 0)
            return {&field, nullptr};
    }
    for (const RelationshipDefinition &relationship : schema.relationships()) {
        if (relationship.label().compare(key, Qt::CaseInsensitive) == 0)
            return {nullptr, &relationship};
    }
    return {};
}

QString writableKeys(const ObjectSchema &schema)
{
    QStringList keys;
    for (const FieldDefinition &field : schema.fields()) {
        if (field.isWritable())
            keys << field.key();
    }
    for (const RelationshipDefinition &relationship : schema.relationships()) {
        if (!relationship.isReadOnly())
            keys << relationship.key();
    }
    return keys.join(QLatin1String(", "));
}

/// `edit ID KEY=VALUE…` (recordId set) or `create KEY=VALUE…` on an open store: what the
/// command prints and returns, so that the holder of the workspace can run it for a handed-over
/// command too.
CommandLine::WriteOutcome queueWriteOn(
    LocalStore &storeRef, Outbox &outbox, const QString &recordId, const QStringList &assignments)
{
    LocalStore *const store = &storeRef;
    CommandLine::WriteOutcome outcome;
    const auto fail = [&outcome](int code, const QString &message) {
        outcome.code = code;
        outcome.err += QStringLiteral("lightfield-deals: %1\n").arg(message);
        return outcome;
    };
    const auto printErr = [&outcome](const QString &text) { outcome.err += text; };
    const auto printOut = [&outcome](const QString &text) { outcome.out += text; };
    const bool create = recordId.isEmpty();
    if (assignments.isEmpty())
        return fail(CommandLine::Usage, tr("Nothing to change: give at least one KEY=VALUE."));
    const std::optional<StoredDefinitions> definitions = store->definitions(kOpportunity);
    if (!definitions) {
        return fail(CommandLine::StoreError,
            tr("No field definitions are cached yet; run 'lightfield-deals sync' online first."));
    }
    const ObjectSchema schema
        = ObjectSchema::fromDefinitionsJson(QJsonDocument::fromJson(definitions->json).object());

    QHash<QString, FieldValue> values;
    QHash<QString, QStringList> relationships;
    for (const QString &assignment : assignments) {
        const qsizetype equals = assignment.indexOf(QLatin1Char('='));
        if (equals <= 0)
            return fail(CommandLine::Usage, tr("Expected KEY=VALUE, got \"%1\".").arg(assignment));
        const QString key = assignment.left(equals).trimmed();
        const QString text = assignment.mid(equals + 1);
        const KeyMatch match = findKey(schema, key);
        QString error;
        if (match.field) {
            if (!match.field->isWritable()) {
                return fail(CommandLine::InvalidInput,
                    tr("%1 is read-only and cannot be changed.").arg(match.field->key()));
            }
            if (values.contains(match.field->key()))
                return fail(CommandLine::Usage, tr("%1 is given twice.").arg(match.field->key()));
            const std::optional<FieldValue> value
                = ValueParser::parseField(*match.field, text, &error);
            if (!value)
                return fail(CommandLine::InvalidInput, error);
            values.insert(match.field->key(), *value);
        } else if (match.relationship) {
            const RelationshipDefinition &definition = *match.relationship;
            if (definition.isReadOnly()) {
                return fail(CommandLine::InvalidInput,
                    tr("%1 is read-only and cannot be changed.").arg(definition.key()));
            }
            if (!create && definition.isCreateOnly()) {
                return fail(CommandLine::InvalidInput,
                    tr("%1 can only be set when a deal is created ('create'); it can't be "
                       "changed on an existing deal.")
                        .arg(definition.key()));
            }
            if (relationships.contains(definition.key()))
                return fail(CommandLine::Usage, tr("%1 is given twice.").arg(definition.key()));
            const std::optional<QStringList> ids = ValueParser::parseRelationship(
                definition, text, store->records(definition.objectType()), &error);
            if (!ids)
                return fail(CommandLine::InvalidInput, error);
            if (definition.cardinality() == Cardinality::HasOne && ids->size() > 1) {
                return fail(CommandLine::InvalidInput,
                    tr("%1 links one %2, not %3.")
                        .arg(definition.key(), definition.objectType())
                        .arg(ids->size()));
            }
            relationships.insert(definition.key(), *ids);
        } else {
            return fail(CommandLine::InvalidInput,
                tr("Deals have no field \"%1\". Writable: %2.").arg(key, writableKeys(schema)));
        }
    }

    if (create) {
        QStringList missing;
        for (const FieldDefinition &field : schema.fields()) {
            if (field.isRequired() && values.value(field.key()).isNull())
                missing << field.key();
        }
        for (const RelationshipDefinition &relationship : schema.relationships()) {
            if (relationship.isRequired() && relationships.value(relationship.key()).isEmpty())
                missing << relationship.key();
        }
        if (!missing.isEmpty()) {
            return fail(CommandLine::InvalidInput,
                tr("A new deal needs %1.").arg(missing.join(QLatin1String(", "))));
        }
        const ChangeSet changes = ChangeSet::forCreate(schema, values, relationships);
        if (!changes.rejectedKeys().isEmpty()) {
            return fail(CommandLine::InvalidInput,
                tr("These values cannot be written: %1.")
                    .arg(changes.rejectedKeys().join(QLatin1String(", "))));
        }
        RecordEditService service(*store, outbox);
        const RecordEditService::Result created = service.create(schema, changes);
        if (!created.ok) {
            return fail(CommandLine::StoreError,
                tr("The new deal could not be queued: %1").arg(created.error));
        }
        const QString temporaryId = created.recordId;
        outcome.recordId = temporaryId;
        outcome.seq = created.seq;
        printErr(tr("Queued the new deal as edit #%1; 'sync' sends it.\n").arg(created.seq));
        printOut(temporaryId + QLatin1Char('\n'));
        return outcome;
    }

    const std::optional<StoredRecord> stored = store->record(kOpportunity, recordId);
    if (!stored || stored->deleted) {
        return fail(CommandLine::InvalidInput,
            tr("No cached deal has the id \"%1\" (run 'sync' to refresh the cache).")
                .arg(recordId));
    }
    const Record base
        = Record::fromJson(QJsonDocument::fromJson(stored->effectiveJson()).object(), schema);
    const ChangeSet changes = ChangeSet::fromEdits(schema, base, values, relationships);
    if (!changes.rejectedKeys().isEmpty()) {
        return fail(CommandLine::InvalidInput,
            tr("These values cannot be written: %1.")
                .arg(changes.rejectedKeys().join(QLatin1String(", "))));
    }
    if (changes.isEmpty()) {
        printErr(tr("Nothing queued: the deal already has these values.\n"));
        printOut(recordId + QLatin1Char('\n'));
        return outcome;
    }
    // The same path as the app's form: the row and the local copy in one transaction.
    RecordEditService service(*store, outbox);
    const RecordEditService::Result queued = service.update(schema, recordId, changes);
    if (!queued.ok) {
        return fail(
            CommandLine::StoreError, tr("The edit could not be queued: %1").arg(queued.error));
    }
    if (queued.seq == 0) {
        // The edit put an unsent change back to its original value: nothing is left to send.
        printErr(tr("Nothing left to send: the queued change was taken back.\n"));
        printOut(recordId + QLatin1Char('\n'));
        return outcome;
    }
    outcome.recordId = recordId;
    outcome.seq = queued.seq;
    printErr(tr("Queued as edit #%1; 'sync' sends it.\n").arg(queued.seq));
    printOut(recordId + QLatin1Char('\n'));
    return outcome;
}

/// Prints what a write printed (or the holder answered) and returns its exit code.
int report(const CommandLine::WriteOutcome &outcome)
{
    if (!outcome.err.isEmpty())
        printErr(outcome.err);
    if (!outcome.out.isEmpty())
        printOut(outcome.out);
    return outcome.code;
}

int runWrite(const Workspace &workspace, const QString &recordId, const QStringList &assignments)
{
    if (assignments.isEmpty())
        return fail(CommandLine::Usage, tr("Nothing to change: give at least one KEY=VALUE."));
    // Queued offline, a write the key may not make would only be refused (403) when sent.
    if (const QString refusal = workspace.capabilities.writeRefusal(recordId.isEmpty());
        !refusal.isEmpty())
        return fail(CommandLine::AuthRequired, refusal);
    int code = CommandLine::Ok;
    if (!QFileInfo::exists(workspace.databasePath)) {
        openStore(workspace, &code); // reports the missing cache
        return code;
    }
    WriterLock lock(WriterLock::folderOf(workspace.databasePath));
    QJsonObject request {
        {QStringLiteral("op"),
            recordId.isEmpty() ? QStringLiteral("create") : QStringLiteral("edit")},
        {QStringLiteral("assignments"), QJsonArray::fromStringList(assignments)}};
    if (!recordId.isEmpty())
        request.insert(QStringLiteral("id"), recordId);
    return holdOrHandOver(lock, request, 60'000, !recordId.isEmpty(), [&]() -> int {
        int openCode = CommandLine::Ok;
        std::unique_ptr<LocalStore> store = openStore(workspace, &openCode);
        if (!store)
            return openCode;
        Outbox outbox(*store);
        return report(queueWriteOn(*store, outbox, recordId, assignments));
    });
}

int runExport(
    const Workspace &workspace, const QString &format, const QString &output, const QString &type)
{
    if (format != QLatin1String("csv") && format != QLatin1String("json"))
        return fail(CommandLine::Usage, tr("--format takes csv or json."));
    if (output.isEmpty())
        return fail(CommandLine::Usage, tr("--output FILE is required ('-' for standard output)."));
    if (!type.isEmpty() && !Exporter::objectTypes().contains(type)) {
        return fail(CommandLine::Usage,
            tr("--type takes one of: %1.").arg(Exporter::objectTypes().join(QLatin1String(", "))));
    }
    int code = CommandLine::Ok;
    std::unique_ptr<LocalStore> store = openStore(workspace, &code, readOnlyOptions());
    if (!store)
        return code;
    Outbox outbox(*store);

    QFile standardOutput;
    QSaveFile file(output);
    QIODevice *device = nullptr;
    if (output == QLatin1String("-")) {
        if (!standardOutput.open(stdout, QIODevice::WriteOnly))
            return fail(CommandLine::Failure, tr("Cannot write to standard output."));
        device = &standardOutput;
    } else {
        if (!file.open(QIODevice::WriteOnly))
            return fail(
                CommandLine::Failure, tr("Cannot write %1: %2").arg(output, file.errorString()));
        device = &file;
    }
    QString error;
    int count = 0;
    const bool ok = format == QLatin1String("json")
        ? Exporter::writeJson(*store, outbox, workspace.baseUrl,
            type.isEmpty() ? Exporter::objectTypes() : QStringList {type}, *device, &error, &count)
        : Exporter::writeCsv(
            *store, outbox, type.isEmpty() ? kOpportunity : type, *device, &error, &count);
    if (!ok)
        return fail(CommandLine::Failure, tr("The export failed: %1").arg(error));
    if (device == &file && !file.commit())
        return fail(
            CommandLine::Failure, tr("Cannot write %1: %2").arg(output, file.errorString()));
    printErr(tr("Exported %1 records.\n").arg(count));
    return CommandLine::Ok;
}

/// LIGHTFIELD_API_KEY, else the keychain entry the app signed in with; empty when none.
QString readApiKey(const Workspace &workspace)
{
    const QString fromEnvironment = qEnvironmentVariable(kApiKeyVariable).trimmed();
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    SecretStore secrets;
    const QString entry = SecretStore::entryName(workspace.baseUrl, workspace.identity);
    QString key;
    QEventLoop loop;
    QObject::connect(&secrets, &SecretStore::keyRead, &loop,
        [&key, &loop, entry](const QString &readEntry, const QString &readKey) {
            if (readEntry != entry)
                return;
            key = readKey;
            loop.quit();
        });
    QTimer::singleShot(20'000, &loop, &QEventLoop::quit);
    secrets.readKey(entry);
    loop.exec();
    return key;
}

int runSync(const Workspace &workspace, bool once, int timeoutSeconds, int intervalSeconds)
{
    const QString apiKey = readApiKey(workspace);
    if (apiKey.isEmpty()) {
        return fail(CommandLine::AuthRequired,
            tr("No API key: sign in with the app once, or set the environment variable "
               "LIGHTFIELD_API_KEY."));
    }
    SecretRedactor::addSecret(apiKey);
    // The window (or another sync) may drive the workspace: then it is asked to sync now.
    std::unique_ptr<WorkspaceSession> opened;
    const QString channel
        = InstanceChannel::serverName(WriterLock::folderOf(workspace.databasePath));
    const QDeadlineTimer findHolder(kFindHolderMs);
    for (;;) {
        WorkspaceSession::Settings settings {workspace.baseUrl, apiKey, workspace.identity,
            workspace.root, false, QStringLiteral("sync")};
        settings.capabilities = workspace.capabilities;
        opened = std::make_unique<WorkspaceSession>(std::move(settings));
        if (opened->open())
            break;
        if (!opened->isBusy())
            return fail(CommandLine::StoreError, opened->errorMessage());
        const qint64 pid = opened->holderPid();
        opened.reset();
        bool connected = false;
        const int replyTimeoutMs
            = once ? (timeoutSeconds > 0 ? timeoutSeconds * 1000 : 86'400'000) : 30'000;
        const std::optional<QJsonObject> reply = InstanceChannel::ask(channel,
            QJsonObject {
                {QStringLiteral("op"), QStringLiteral("sync")}, {QStringLiteral("wait"), once}},
            replyTimeoutMs, &connected);
        if (reply) {
            printErr(tr("Handed to %1, which syncs this workspace.\n").arg(holderText(*reply)));
            CommandLine::WriteOutcome outcome;
            outcome.code = reply->value(QStringLiteral("code")).toInt(CommandLine::Failure);
            outcome.out = reply->value(QStringLiteral("out")).toString();
            outcome.err = reply->value(QStringLiteral("err")).toString();
            return report(outcome);
        }
        if (connected) {
            if (once)
                return fail(CommandLine::Incomplete,
                    tr("Timed out after %1 s waiting for the process that drives this "
                       "workspace; queued edits are kept.")
                        .arg(timeoutSeconds));
            return busy(pid);
        }
        if (findHolder.hasExpired())
            return busy(pid);
        waitMs(100);
    }
    WorkspaceSession &session = *opened;
    if (!session.openNotice().isEmpty())
        printErr(QStringLiteral("lightfield-deals: %1\n").arg(session.openNotice()));

    SyncEngine &engine = session.sync();
    Outbox &outbox = session.outbox();
    QEventLoop loop;
    int result = -1;
    QString message;
    bool pullDone = false;
    bool pullOk = true;
    QString pullError;
    int sent = 0;
    bool reportedOffline = false;

    const auto finish = [&](int code, const QString &why) {
        if (result >= 0)
            return;
        result = code;
        message = why;
        loop.quit();
    };
    const auto check = [&] {
        const SyncEngine::OnlineState state = engine.onlineState();
        if (state == SyncEngine::OnlineState::Unauthorized) {
            finish(CommandLine::AuthRequired, tr("The server refused the API key."));
            return;
        }
        if (state == SyncEngine::OnlineState::Offline) {
            if (once) {
                finish(CommandLine::Incomplete,
                    tr("The server at %1 does not answer; queued edits are kept.")
                        .arg(workspace.baseUrl.toString()));
                return;
            }
            if (!reportedOffline)
                printErr(tr("Offline: the server does not answer; retrying.\n"));
            reportedOffline = true;
            return;
        }
        reportedOffline = false;
        if (!once || !pullDone)
            return;
        const Outbox::Counts counts = outbox.counts();
        if (!counts.readable) {
            finish(CommandLine::StoreError, tr("cache unreadable: %1").arg(counts.error));
            return;
        }
        if (counts.pending + counts.inFlight > 0 || engine.rowsInFlight() > 0)
            return;
        if (!pullOk)
            finish(CommandLine::Incomplete, tr("The refresh failed: %1").arg(pullError));
        else if (counts.parked + counts.conflict + counts.mayExist > 0)
            finish(CommandLine::NeedsAttention,
                tr("Some edits were not accepted; see 'lightfield-deals status'."));
        else
            finish(CommandLine::Ok, QString());
    };

    QObject::connect(&engine, &SyncEngine::pullFinished, &loop, [&](bool ok, const QString &error) {
        pullDone = true;
        pullOk = ok;
        pullError = error;
        if (!once) {
            printErr(ok ? tr("Refreshed the cache.\n") : tr("The refresh failed: %1\n").arg(error));
        }
        check();
    });
    QObject::connect(&engine, &SyncEngine::rowSucceeded, &loop, [&sent] { ++sent; });
    QObject::connect(&engine, &SyncEngine::rowParked, &loop,
        [](qint64 seq, const QString &recordId, const QString &, const QString &why) {
            printErr(tr("Edit #%1 of %2 was not accepted: %3\n").arg(seq).arg(recordId, why));
        });
    QObject::connect(
        &engine, &SyncEngine::conflictDetected, &loop, [](qint64 seq, const QString &recordId) {
            printErr(tr("Edit #%1 of %2 conflicts with a change made on the server.\n")
                         .arg(seq)
                         .arg(recordId));
        });
    QObject::connect(
        &engine, &SyncEngine::rowMayExist, &loop, [](qint64 seq, const QString &recordId) {
            printErr(tr("New deal #%1 (%2) may already exist on the server; it is held until "
                        "you answer it in the app.\n")
                         .arg(seq)
                         .arg(recordId));
        });
    QObject::connect(&engine, &SyncEngine::drained, &loop, check);
    QObject::connect(&engine, &SyncEngine::onlineStateChanged, &loop, check);
    QObject::connect(&engine, &SyncEngine::authenticationRequired, &loop, check);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, check);
    poll.start(250);
    QTimer deadline;
    deadline.setSingleShot(true);
    if (once && timeoutSeconds > 0) {
        QObject::connect(&deadline, &QTimer::timeout, &loop, [&] {
            finish(CommandLine::Incomplete,
                tr("Timed out after %1 s; queued edits are kept.").arg(timeoutSeconds));
        });
        deadline.start(timeoutSeconds * 1000);
    }
    // A window opened on this workspace takes over: finish what is on the wire, then exit.
    bool yielded = false;
    QObject::connect(&session, &WorkspaceSession::yieldRequested, &loop, [&] {
        yielded = true;
        printErr(tr("The app's window opened this workspace; handing it over.\n"));
        finish(CommandLine::Ok, QString());
    });
    QTimer interval;
    if (!once) {
        installTerminationHandler(&loop, [&finish] { finish(CommandLine::Ok, QString()); });
        QObject::connect(&interval, &QTimer::timeout, &engine, &SyncEngine::pull);
        interval.start(intervalSeconds * 1000);
    }
    check();
    if (result < 0)
        loop.exec();
    if (result < 0)
        result = CommandLine::Ok;
    if (yielded || !once) {
        // Send nothing new, and let the requests on the wire answer (bounded): the next holder
        // would resend them anyway (same Idempotency-Key), but an answered row needs no resend.
        engine.setWorkOffline(true);
        const QDeadlineTimer drain(15'000);
        while (engine.rowsInFlight() > 0 && !drain.hasExpired())
            waitMs(50);
    }

    const Outbox::Counts counts = outbox.counts();
    printOut(QStringLiteral("sent: %1\npending: %2\nparked: %3\nconflicts: %4\n")
                 .arg(sent)
                 .arg(counts.pending + counts.inFlight)
                 .arg(counts.parked)
                 .arg(counts.conflict));
    if (counts.mayExist > 0)
        printOut(QStringLiteral("may already exist: %1\n").arg(counts.mayExist));
    if (!message.isEmpty())
        printErr(QStringLiteral("lightfield-deals: %1\n").arg(message));
    return result;
}

} // namespace

namespace CommandLine {

WriteOutcome queueWrite(
    LocalStore &store, Outbox &outbox, const QString &recordId, const QStringList &assignments)
{
    return queueWriteOn(store, outbox, recordId, assignments);
}

bool isCommand(int argc, char *argv[])
{
    return argc > 1 && commands().contains(QString::fromLocal8Bit(argv[1]));
}

QString summary()
{
    return tr("Commands (no window; for scripts): sync [--once], status, edit ID KEY=VALUE..., "
              "create KEY=VALUE..., export --format csv|json --output FILE, "
              "recover [--list] [--file PATH] [SEQ...]. "
              "See 'lightfield-deals COMMAND --help' for each, with its exit codes.");
}

int run(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    setApplicationNames();
    const QStringList arguments = QCoreApplication::arguments();
    const QString command = arguments.value(1);

    QCommandLineParser parser;
    parser.setApplicationDescription(commandHelp(command) + QLatin1String("\n\n") + exitCodeHelp());
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption baseUrlOption(QStringLiteral("base-url"),
        tr("The API's base URL (default: LIGHTFIELD_BASE_URL, the app's setting, or "
           "https://api.lightfield.app). http only to loopback."),
        QStringLiteral("url"));
    const QCommandLineOption dataDirOption(QStringLiteral("data-dir"),
        tr("The folder holding the workspaces' caches (default: the app's data folder)."),
        QStringLiteral("dir"));
    const QCommandLineOption verboseOption(
        QStringLiteral("verbose"), tr("Log progress (never keys or field values) to stderr."));
    parser.addOptions({baseUrlOption, dataDirOption, verboseOption});
    const QCommandLineOption onceOption(
        QStringLiteral("once"), tr("Send the queue, refresh once, then exit."));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout"),
        tr("With --once: give up after this many seconds (default 600; 0 = never)."),
        QStringLiteral("seconds"), QStringLiteral("600"));
    const QCommandLineOption intervalOption(QStringLiteral("interval"),
        tr("Without --once: refresh every this many seconds (default 300)."),
        QStringLiteral("seconds"), QStringLiteral("300"));
    const QCommandLineOption formatOption(
        QStringLiteral("format"), tr("csv or json."), QStringLiteral("format"));
    const QCommandLineOption outputOption(QStringLiteral("output"),
        tr("The file to write ('-': standard output)."), QStringLiteral("file"));
    const QCommandLineOption typeOption(QStringLiteral("type"),
        tr("opportunity, account, contact or member (json default: all; csv: opportunity)."),
        QStringLiteral("type"));
    if (command == QLatin1String("sync"))
        parser.addOptions({onceOption, timeoutOption, intervalOption});
    if (command == QLatin1String("export"))
        parser.addOptions({formatOption, outputOption, typeOption});
    const QCommandLineOption listOption(
        QStringLiteral("list"), tr("Only list the edits of the damaged cache."));
    const QCommandLineOption fileOption(QStringLiteral("file"),
        tr("The damaged cache to read (default: the newest one not recovered yet)."),
        QStringLiteral("path"));
    if (command == QLatin1String("recover"))
        parser.addOptions({listOption, fileOption});
    parser.addPositionalArgument(command, tr("The command."));

    if (!parser.parse(arguments)) {
        return fail(
            Usage, tr("%1\nSee 'lightfield-deals %2 --help'.").arg(parser.errorText(), command));
    }
    if (parser.isSet(helpOption)) {
        printOut(parser.helpText());
        return Ok;
    }
    if (!parser.isSet(verboseOption)) {
        QLoggingCategory::setFilterRules(
            QStringLiteral("lightfield.*.info=false\nlightfield.*.debug=false"));
    }

    AppSettings settings;
    const BaseUrlPolicy::Resolved base = parser.isSet(baseUrlOption)
        ? BaseUrlPolicy::check(parser.value(baseUrlOption), QStringLiteral("command line"))
        : BaseUrlPolicy::resolve(settings.baseUrl());
    if (!base.isValid())
        return fail(Usage, base.error);
    Workspace workspace;
    workspace.baseUrl = base.url;
    workspace.identity = settings.lastWorkspaceId();
    workspace.root = parser.isSet(dataDirOption)
        ? QDir(parser.value(dataDirOption)).absolutePath()
        : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    workspace.databasePath
        = WorkspacePaths::databasePath(workspace.baseUrl, workspace.identity, workspace.root);
    workspace.capabilities = settings.capabilities(workspace.baseUrl, workspace.identity);

    const QStringList positional = parser.positionalArguments().mid(1);
    const auto noArguments = [&positional, &command]() -> int {
        if (positional.isEmpty())
            return Ok;
        return fail(
            Usage, tr("'%1' takes no argument \"%2\".").arg(command, positional.constFirst()));
    };
    if (command == QLatin1String("status")) {
        if (const int code = noArguments(); code != Ok)
            return code;
        return runStatus(workspace);
    }
    if (command == QLatin1String("edit")) {
        if (positional.isEmpty() || positional.constFirst().contains(QLatin1Char('=')))
            return fail(Usage, tr("Usage: lightfield-deals edit ID KEY=VALUE..."));
        return runWrite(workspace, positional.constFirst(), positional.mid(1));
    }
    if (command == QLatin1String("create"))
        return runWrite(workspace, QString(), positional);
    if (command == QLatin1String("recover")) {
        return runRecover(
            workspace, parser.isSet(listOption), parser.value(fileOption), positional);
    }
    if (command == QLatin1String("export")) {
        if (const int code = noArguments(); code != Ok)
            return code;
        return runExport(workspace, parser.value(formatOption), parser.value(outputOption),
            parser.value(typeOption));
    }
    // sync
    if (const int code = noArguments(); code != Ok)
        return code;
    bool timeoutOk = false;
    bool intervalOk = false;
    const int timeoutSeconds = parser.value(timeoutOption).toInt(&timeoutOk);
    const int intervalSeconds = parser.value(intervalOption).toInt(&intervalOk);
    if (!timeoutOk || timeoutSeconds < 0 || timeoutSeconds > 86'400)
        return fail(Usage, tr("--timeout takes a number of seconds from 0 to 86400."));
    if (!intervalOk || intervalSeconds < 1 || intervalSeconds > 86'400)
        return fail(Usage, tr("--interval takes a number of seconds from 1 to 86400."));
    return runSync(workspace, parser.isSet(onceOption), timeoutSeconds, intervalSeconds);
}

} // namespace CommandLine
