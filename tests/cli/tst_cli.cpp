// The command line of lightfield-deals, run as a real process against the
// lightfield-sandbox process: status, offline edit/create, sync, export, refused input.

#include "clitesthelpers.h"
#include "settings/appsettings.h"
#include "teststrings.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace CliTest;

using TestStrings::strings;

class TestCli : public QObject
{
    Q_OBJECT

private:
    /// A fresh home and data dir, synced once against m_sandbox.
    struct Workspace
    {
        std::unique_ptr<QTemporaryDir> dir;
        QProcessEnvironment env;
        QStringList options;
        QString dataDir() const { return dir->path() + QStringLiteral("/lf"); }
    };

    Workspace newWorkspace(const QUrl &baseUrl)
    {
        Workspace workspace;
        workspace.dir = std::make_unique<QTemporaryDir>();
        workspace.env = environment(workspace.dir->path());
        workspace.options = QStringList {QStringLiteral("--data-dir"), workspace.dataDir(),
            QStringLiteral("--base-url"), baseUrl.toString()};
        return workspace;
    }

    Result app(const Workspace &workspace, QStringList arguments)
    {
        arguments << workspace.options;
        return runApp(arguments, workspace.env);
    }

    QString firstDealId()
    {
        const QJsonObject page
            = m_sandbox.get(QStringLiteral("/v1/opportunities?limit=1")).object();
        return page.value(QLatin1String("data"))
            .toArray()
            .at(0)
            .toObject()
            .value(QLatin1String("id"))
            .toString();
    }

    Sandbox m_sandbox;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sandbox.start({QStringLiteral("--seed"), QStringLiteral("5"),
                     QStringLiteral("--opportunities"), QStringLiteral("12")}),
            "the sandbox did not start");
    }

    void helpDocumentsCommandsAndExitCodes()
    {
        QTemporaryDir home;
        const Result help
            = runApp({QStringLiteral("sync"), QStringLiteral("--help")}, environment(home.path()));
        QCOMPARE(help.code, 0);
        const QString text = QString::fromUtf8(help.out);
        QVERIFY2(text.contains(QLatin1String("Exit codes")), help.out.constData());
        QVERIFY(text.contains(QLatin1String("--once")));
        QVERIFY(text.contains(QLatin1String("  7  sync finished")));
        const Result unknown = runApp(
            {QStringLiteral("status"), QStringLiteral("--bogus")}, environment(home.path()));
        QCOMPARE(unknown.code, 2);
        QVERIFY(unknown.err.contains("bogus"));
    }

    void statusOnEmptyDataDir()
    {
        Workspace workspace = newWorkspace(QUrl(QStringLiteral("http://127.0.0.1:9")));
        const Result status = app(workspace, {QStringLiteral("status")});
        QCOMPARE(status.code, 0);
        QCOMPARE(statusValue(status, QStringLiteral("pending")), QStringLiteral("0"));
        QCOMPARE(statusValue(status, QStringLiteral("parked")), QStringLiteral("0"));
        QCOMPARE(statusValue(status, QStringLiteral("conflicts")), QStringLiteral("0"));
        QCOMPARE(statusValue(status, QStringLiteral("last full sweep")), QStringLiteral("never"));
        QVERIFY2(!QDir(workspace.dataDir()).exists(), "status must not create a cache");
        // Nothing cached yet: an edit cannot be checked against definitions.
        const Result edit = app(
            workspace, {QStringLiteral("edit"), QStringLiteral("opp_x"), QStringLiteral("a=b")});
        QCOMPARE(edit.code, 4);
        QVERIFY(edit.err.contains("sync"));
    }

    void offlineEditsAreQueuedAndSyncDrainsThem()
    {
        QTemporaryDir sandboxDir;
        const QString dataFile = sandboxDir.path() + QStringLiteral("/sandbox.json");
        const QStringList sandboxArgs {QStringLiteral("--seed"), QStringLiteral("9"),
            QStringLiteral("--opportunities"), QStringLiteral("6"), QStringLiteral("--data-file"),
            dataFile};
        auto sandbox = std::make_unique<Sandbox>();
        QVERIFY(sandbox->start(sandboxArgs));
        const quint16 port = sandbox->port();
        Workspace workspace = newWorkspace(sandbox->url());
        Result sync = app(workspace, {QStringLiteral("sync"), QStringLiteral("--once")});
        QVERIFY2(sync.code == 0, sync.err.constData());
        const QJsonObject first = sandbox->get(QStringLiteral("/v1/opportunities?limit=1"))
                                      .object()
                                      .value(QLatin1String("data"))
                                      .toArray()
                                      .at(0)
                                      .toObject();
        const QString dealId = first.value(QLatin1String("id")).toString();
        const QString accountId = firstRelatedId(first, QStringLiteral("$account"));
        const bool wasProposal = fieldValue(first, QStringLiteral("$stage")).toString()
            == QLatin1String("opt_stage_proposal");
        const QString stage
            = wasProposal ? QStringLiteral("negotiation") : QStringLiteral("proposal");

        // The server goes away: the port is closed.
        sandbox->stop();
        Result edit = app(workspace,
            {QStringLiteral("edit"), dealId, QStringLiteral("$stage=") + stage,
                QStringLiteral("probability=42.5"), QStringLiteral("closeDate=2026-12-01")});
        QVERIFY2(edit.code == 0, edit.err.constData());
        QCOMPARE(edit.out.trimmed(), dealId.toUtf8());
        Result create = app(workspace,
            {QStringLiteral("create"), QStringLiteral("$name=Offline created deal"),
                QStringLiteral("Stage=Discovery"), QStringLiteral("$account=") + accountId});
        QVERIFY2(create.code == 0, create.err.constData());
        QVERIFY(create.out.startsWith("local_"));
        Result status = app(workspace, {QStringLiteral("status")});
        QCOMPARE(statusValue(status, QStringLiteral("pending")), QStringLiteral("2"));

        // Offline sync: exit 6, the queue is kept.
        sync = app(workspace, {QStringLiteral("sync"), QStringLiteral("--once")});
        QCOMPARE(sync.code, 6);
        status = app(workspace, {QStringLiteral("status")});
        QCOMPARE(statusValue(status, QStringLiteral("pending")), QStringLiteral("2"));

        // Back online on the same address: everything goes, once.
        sandbox = std::make_unique<Sandbox>();
        QVERIFY(sandbox->start(sandboxArgs, port));
        sync = app(workspace, {QStringLiteral("sync"), QStringLiteral("--once")});
        QVERIFY2(sync.code == 0, sync.err.constData());
        status = app(workspace, {QStringLiteral("status")});
        QCOMPARE(statusValue(status, QStringLiteral("pending")), QStringLiteral("0"));
        QVERIFY(statusValue(status, QStringLiteral("last full sweep")) != QLatin1String("never"));

        const QJsonObject record
            = sandbox->get(QStringLiteral("/v1/opportunities/") + dealId).object();
        QCOMPARE(fieldValue(record, QStringLiteral("$stage")).toString(),
            QStringLiteral("opt_stage_") + stage);
        QCOMPARE(fieldValue(record, QStringLiteral("probability")).toDouble(), 42.5);
        QVERIFY(fieldValue(record, QStringLiteral("closeDate"))
                    .toString()
                    .startsWith(QLatin1String("2026-12-01T00:00:00")));
        int created = 0;
        const QJsonArray all = sandbox->opportunities();
        for (const QJsonValue &value : all) {
            if (fieldValue(value.toObject(), QStringLiteral("$name")).toString()
                == QLatin1String("Offline created deal"))
                ++created;
        }
        QCOMPARE(created, 1);
        const QJsonObject stats = sandbox->get(QStringLiteral("/__sandbox/stats")).object();
        const QJsonObject applied
            = stats.value(QLatin1String("appliedByIdempotencyKey")).toObject();
        QCOMPARE(applied.size(), 2);
        for (auto it = applied.begin(); it != applied.end(); ++it)
            QCOMPARE(it.value().toInt(), 1);
    }

    void statusCountsDealsThatCouldNotBeRead()
    {
        Sandbox sandbox;
        QVERIFY2(sandbox.start({QStringLiteral("--seed"), QStringLiteral("5"),
                     QStringLiteral("--opportunities"), QStringLiteral("60")}),
            "the sandbox did not start");
        const QJsonArray deals = sandbox.get(QStringLiteral("/v1/opportunities?limit=25"))
                                     .object()
                                     .value(QLatin1String("data"))
                                     .toArray();
        const QString unreadable = deals.at(2).toObject().value(QLatin1String("id")).toString();
        QVERIFY(!unreadable.isEmpty());
        const QJsonObject faults
            = sandbox
                  .post(QStringLiteral("/__sandbox/faults"),
                      QJsonObject {{QStringLiteral("undecodableIds"), QJsonArray {unreadable}}})
                  .object();
        QCOMPARE(faults.value(QLatin1String("undecodableIds")).toArray().size(), 1);
        Workspace workspace = newWorkspace(sandbox.url());
        const Result sync = app(workspace, {QStringLiteral("sync"), QStringLiteral("--once")});
        QVERIFY2(sync.code == 0, sync.err.constData());
        const Result status = app(workspace, {QStringLiteral("status")});
        QCOMPARE(statusValue(status, QStringLiteral("deals cached")), QStringLiteral("59"));
        QCOMPARE(statusValue(status, QStringLiteral("deals that could not be read")),
            QStringLiteral("1"));
        QVERIFY(statusValue(status, QStringLiteral("last full sweep")) != QLatin1String("never"));
    }

    void exportWritesJsonAndCsv()
    {
        Workspace workspace = newWorkspace(m_sandbox.url());
        const Result sync = app(workspace, {QStringLiteral("sync"), QStringLiteral("--once")});
        QVERIFY2(sync.code == 0, sync.err.constData());
        const QString dealId = firstDealId();
        const Result edit = app(workspace,
            {QStringLiteral("edit"), dealId, QStringLiteral("$stage=Closed Won"),
                QStringLiteral("probability=42.5"), QStringLiteral("$amount=1250.5"),
                QStringLiteral("closeDate=2026-12-01T17:30:00+02:00"),
                QStringLiteral("competitors=HubSpot; attio"), QStringLiteral("isStrategic=true"),
                QStringLiteral("economicBuyer={\"firstName\":\"Ana\",\"lastName\":\"Ruiz\"}")});
        QVERIFY2(edit.code == 0, edit.err.constData());

        const QString jsonPath = workspace.dir->path() + QStringLiteral("/export.json");
        Result exported = app(workspace,
            {QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("json"),
                QStringLiteral("--output"), jsonPath});
        QVERIFY2(exported.code == 0, exported.err.constData());
        QFile jsonFile(jsonPath);
        QVERIFY(jsonFile.open(QIODevice::ReadOnly));
        const QJsonObject root = QJsonDocument::fromJson(jsonFile.readAll()).object();
        const QJsonObject types = root.value(QLatin1String("objectTypes")).toObject();
        const QJsonArray deals = types.value(QLatin1String("opportunity")).toArray();
        QCOMPARE(deals.size(), 12);
        QVERIFY(types.value(QLatin1String("account")).toArray().size() > 0);
        int pendingRecords = 0;
        for (const QJsonValue &value : deals) {
            const QJsonObject deal = value.toObject();
            QVERIFY(deal.contains(QLatin1String("fields")));
            QVERIFY(deal.contains(QLatin1String("relationships")));
            const QJsonObject local = deal.value(QLatin1String("localState")).toObject();
            if (deal.value(QLatin1String("id")).toString() != dealId) {
                QCOMPARE(local.value(QLatin1String("state")).toString(), QStringLiteral("synced"));
                continue;
            }
            ++pendingRecords;
            QCOMPARE(local.value(QLatin1String("state")).toString(), QStringLiteral("pending"));
            const QJsonArray edits = local.value(QLatin1String("edits")).toArray();
            QCOMPARE(edits.size(), 1);
            QVERIFY(!edits.at(0)
                         .toObject()
                         .value(QLatin1String("idempotencyKey"))
                         .toString()
                         .isEmpty());
            QCOMPARE(fieldValue(deal, QStringLiteral("$stage")).toString(),
                QStringLiteral("opt_stage_closed_won"));
            QCOMPARE(fieldValue(deal, QStringLiteral("probability")).toDouble(), 42.5);
        }
        QCOMPARE(pendingRecords, 1);

        const QString csvPath = workspace.dir->path() + QStringLiteral("/export.csv");
        exported = app(workspace,
            {QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("csv"),
                QStringLiteral("--output"), csvPath});
        QVERIFY2(exported.code == 0, exported.err.constData());
        QFile csvFile(csvPath);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        const QByteArray csvBytes = csvFile.readAll();
        QVERIFY(csvBytes.contains("\r\n"));
        const QList<QStringList> rows = parseCsv(QString::fromUtf8(csvBytes));
        QCOMPARE(rows.size(), 13);
        const QStringList header = rows.constFirst();
        QCOMPARE(header.constFirst(), QStringLiteral("id"));
        for (const char *column :
            {"$name", "$stage", "$amount", "probability", "closeDate", "competitors", "isStrategic",
                "economicBuyer", "$account", "$account.id", "localState"}) {
            QVERIFY2(header.contains(QLatin1String(column)), column);
        }
        const auto cell = [&header](const QStringList &row, const char *column) {
            return row.value(header.indexOf(QLatin1String(column)));
        };
        bool found = false;
        for (const QStringList &row : rows.mid(1)) {
            QCOMPARE(row.size(), header.size());
            if (row.constFirst() != dealId)
                continue;
            found = true;
            QCOMPARE(cell(row, "$stage"), QStringLiteral("Closed Won"));
            QCOMPARE(cell(row, "probability"), QStringLiteral("42.5"));
            QCOMPARE(cell(row, "$amount"), QStringLiteral("1250.5"));
            QCOMPARE(cell(row, "closeDate"), QStringLiteral("2026-12-01T15:30:00Z"));
            QCOMPARE(cell(row, "competitors"), QStringLiteral("HubSpot; Attio"));
            QCOMPARE(cell(row, "isStrategic"), QStringLiteral("true"));
            QCOMPARE(cell(row, "economicBuyer"),
                QStringLiteral("{\"firstName\":\"Ana\",\"lastName\":\"Ruiz\"}"));
            QCOMPARE(cell(row, "localState"), QStringLiteral("pending"));
            QVERIFY(cell(row, "$account.id").startsWith(QLatin1String("acc_")));
            QVERIFY(!cell(row, "$account").isEmpty());
            QVERIFY(cell(row, "$account") != cell(row, "$account.id"));
        }
        QVERIFY(found);
    }

    void stagesAreTakenByIdOrPipelineAndStageNeverByAnAmbiguousLabel()
    {
        Sandbox sandbox;
        QVERIFY(sandbox.start(
            {QStringLiteral("--seed"), QStringLiteral("5"), QStringLiteral("--opportunities"),
                QStringLiteral("3"), QStringLiteral("--pipelines")}));
        Workspace workspace = newWorkspace(sandbox.url());
        Result sync = app(workspace, {QStringLiteral("sync"), QStringLiteral("--once")});
        QVERIFY2(sync.code == 0, sync.err.constData());
        QString dealId;
        for (const QJsonValue &deal : sandbox.opportunities()) {
            if (fieldValue(deal.toObject(), QStringLiteral("$stage"))
                    .toString()
                    .startsWith(QLatin1String("opt_stage_nb_"))) {
                dealId = deal[QStringLiteral("id")].toString();
            }
        }
        QVERIFY(!dealId.isEmpty());

        // "Won" is a stage of both pipelines: refused like any bad value, with every choice.
        const Result ambiguous
            = app(workspace, {QStringLiteral("edit"), dealId, QStringLiteral("$stage=won")});
        QCOMPARE(ambiguous.code, 3);
        QVERIFY(ambiguous.out.isEmpty());
        const QString error = QString::fromUtf8(ambiguous.err);
        QVERIFY2(error.contains(QLatin1String("several pipelines")), ambiguous.err.constData());
        QVERIFY2(error.contains(QLatin1String("\"New Business / Won\" (opt_stage_nb_won)")),
            ambiguous.err.constData());
        QVERIFY2(error.contains(QLatin1String("\"Renewals / Won\" (opt_stage_rn_won)")),
            ambiguous.err.constData());
        Result status = app(workspace, {QStringLiteral("status")});
        QCOMPARE(statusValue(status, QStringLiteral("pending")), QStringLiteral("0"));

        // "Pipeline / Stage" (any case) and the option id both name one stage; a label of one
        // pipeline only needs no pipeline.
        const Result qualified = app(
            workspace, {QStringLiteral("edit"), dealId, QStringLiteral("$stage=renewals / won")});
        QVERIFY2(qualified.code == 0, qualified.err.constData());
        sync = app(workspace, {QStringLiteral("sync"), QStringLiteral("--once")});
        QVERIFY2(sync.code == 0, sync.err.constData());
        QCOMPARE(fieldValue(sandbox.get(QStringLiteral("/v1/opportunities/") + dealId).object(),
                     QStringLiteral("$stage"))
                     .toString(),
            QStringLiteral("opt_stage_rn_won"));
        const Result unique
            = app(workspace, {QStringLiteral("edit"), dealId, QStringLiteral("Stage=Qualified")});
        QVERIFY2(unique.code == 0, unique.err.constData());
        sync = app(workspace, {QStringLiteral("sync"), QStringLiteral("--once")});
        QVERIFY2(sync.code == 0, sync.err.constData());
        QCOMPARE(fieldValue(sandbox.get(QStringLiteral("/v1/opportunities/") + dealId).object(),
                     QStringLiteral("$stage"))
                     .toString(),
            QStringLiteral("opt_stage_nb_qualified"));
        // What the server received: the move into Renewals with its pipeline, the way back too
        // (each crossed pipelines), and never `$pipeline` alone.
        QStringList bodies;
        for (const QJsonValue &write : sandbox.get(QStringLiteral("/__sandbox/writes"))
                                           .object()[QStringLiteral("writes")]
                                           .toArray()) {
            bodies << QString::fromUtf8(QJsonDocument(write[QStringLiteral("body")].toObject())
                                            .toJson(QJsonDocument::Compact));
        }
        QCOMPARE(bodies,
            strings({R"({"fields":{"$pipeline":"pd_renewals","$stage":"opt_stage_rn_won"}})",
                R"({"fields":{"$pipeline":"pd_new_business","$stage":"opt_stage_nb_qualified"}})"}));
        // `$pipeline` is not a field the command line edits.
        const Result pipeline = app(
            workspace, {QStringLiteral("edit"), dealId, QStringLiteral("$pipeline=pd_renewals")});
        QCOMPARE(pipeline.code, 3);
        QVERIFY2(pipeline.err.contains("read-only"), pipeline.err.constData());
    }

    void badInputIsRefused_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        const QString deal = QStringLiteral("{deal}");
        QTest::newRow("unknown field")
            << QStringList {QStringLiteral("edit"), deal, QStringLiteral("bogus=1")} << 3
            << QStringLiteral("no field \"bogus\"");
        QTest::newRow("bad number")
            << QStringList {QStringLiteral("edit"), deal, QStringLiteral("probability=12,5")} << 3
            << QStringLiteral("probability takes a number");
        QTest::newRow("three decimals")
            << QStringList {QStringLiteral("edit"), deal, QStringLiteral("$amount=1.234")} << 3
            << QStringLiteral("$amount takes an amount");
        QTest::newRow("unknown option")
            << QStringList {QStringLiteral("edit"), deal, QStringLiteral("$stage=Won-ish")} << 3
            << QStringLiteral("has no option \"Won-ish\"");
        QTest::newRow("unknown multi option") << QStringList {QStringLiteral("edit"), deal,
            QStringLiteral("competitors=HubSpot; Nobody")}
                                              << 3 << QStringLiteral("no option \"Nobody\"");
        QTest::newRow("bad date") << QStringList {QStringLiteral("edit"), deal,
            QStringLiteral("closeDate=2026-02-30")}
                                  << 3 << QStringLiteral("ISO 8601");
        QTest::newRow("bad checkbox")
            << QStringList {QStringLiteral("edit"), deal, QStringLiteral("isStrategic=maybe")} << 3
            << QStringLiteral("true or false");
        QTest::newRow("bad address")
            << QStringList {QStringLiteral("edit"), deal, QStringLiteral("deliveryAddress=Austin")}
            << 3 << QStringLiteral("JSON object");
        QTest::newRow("bad address member") << QStringList {QStringLiteral("edit"), deal,
            QStringLiteral("deliveryAddress={\"town\":\"Austin\"}")}
                                            << 3 << QStringLiteral("no member \"town\"");
        QTest::newRow("read-only")
            << QStringList {QStringLiteral("edit"), deal, QStringLiteral("$summary=x")} << 3
            << QStringLiteral("read-only");
        QTest::newRow("unknown deal") << QStringList {QStringLiteral("edit"),
            QStringLiteral("opp_nope"), QStringLiteral("probability=1")}
                                      << 3 << QStringLiteral("opp_nope");
        QTest::newRow("unknown account")
            << QStringList {QStringLiteral("edit"), deal, QStringLiteral("$account=No Such Co")}
            << 3 << QStringLiteral("No Such Co");
        QTest::newRow("create-only on update")
            << QStringList {QStringLiteral("edit"), deal, QStringLiteral("$createdBy=x")} << 3
            << QStringLiteral("$createdBy can only be set when a deal is created");
        QTest::newRow("social handle of another site")
            << QStringList {QStringLiteral("edit"), deal,
                   QStringLiteral("buyerLinkedIn=https://example.com/ana")}
            << 3 << QStringLiteral("not a profile address");
        QTest::newRow("create missing required") << QStringList {QStringLiteral("create"),
            QStringLiteral("$name=x")} << 3 << QStringLiteral("$stage");
        QTest::newRow("no equals")
            << QStringList {QStringLiteral("edit"), deal, QStringLiteral("probability")} << 2
            << QStringLiteral("KEY=VALUE");
        QTest::newRow("edit without id")
            << QStringList {QStringLiteral("edit"), QStringLiteral("probability=1")} << 2
            << QStringLiteral("Usage");
        QTest::newRow("export bad format") << QStringList {QStringLiteral("export"),
            QStringLiteral("--format"), QStringLiteral("xml"), QStringLiteral("--output"),
            QStringLiteral("-")} << 2 << QStringLiteral("csv or json");
    }

    void badInputIsRefused()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, code);
        QFETCH(QString, message);
        if (!m_synced) {
            m_refusing = newWorkspace(m_sandbox.url());
            const Result sync = app(m_refusing, {QStringLiteral("sync"), QStringLiteral("--once")});
            QVERIFY2(sync.code == 0, sync.err.constData());
            m_synced = true;
        }
        arguments.replaceInStrings(QStringLiteral("{deal}"), firstDealId());
        const Result result = app(m_refusing, arguments);
        QVERIFY2(result.code == code, result.err.constData());
        QVERIFY2(QString::fromUtf8(result.err).contains(message), result.err.constData());
        QVERIFY(result.out.isEmpty());
        const Result status = app(m_refusing, {QStringLiteral("status")});
        QCOMPARE(statusValue(status, QStringLiteral("pending")), QStringLiteral("0"));
    }

    void aReadOnlyKeyQueuesNoWrite()
    {
        // The app's last sign-in found a key that may only read deals (kept in the settings,
        // as AppController does): edit and create say so and queue nothing.
        Workspace workspace = newWorkspace(m_sandbox.url());
        const Result sync = app(workspace, {QStringLiteral("sync"), QStringLiteral("--once")});
        QVERIFY2(sync.code == 0, sync.err.constData());
        {
            AppSettings settings(
                workspace.dir->path() + QStringLiteral("/config/Lightfield/lightfield-deals.conf"));
            settings.setCapabilities(m_sandbox.url(), QString(),
                Capabilities::fromScopes({QStringLiteral("opportunities:read")}));
        }
        const Result edit = app(
            workspace, {QStringLiteral("edit"), firstDealId(), QStringLiteral("probability=12")});
        QCOMPARE(edit.code, 5);
        QVERIFY2(edit.err.contains("opportunities:update"), edit.err.constData());
        const Result create
            = app(workspace, {QStringLiteral("create"), QStringLiteral("$name=Nope")});
        QCOMPARE(create.code, 5);
        QVERIFY2(create.err.contains("opportunities:create"), create.err.constData());
        const Result status = app(workspace, {QStringLiteral("status")});
        QCOMPARE(statusValue(status, QStringLiteral("pending")), QStringLiteral("0"));
    }

private:
    Workspace m_refusing;
    bool m_synced = false;
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
