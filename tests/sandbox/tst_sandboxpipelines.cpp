// The sandbox's pipelines (SandboxPipelines, --pipelines): the definitions, the seed, and the
// write rules of `$pipeline` and `$stage`, with the stricter server (--pipeline-moves-need-hint)
// and records that carry `$pipeline` when read (--pipeline-on-read).

#include "sandboxseed.h"
#include "sandboxstore.h"
#include "teststrings.h"

#include <QJsonArray>
#include <QStandardPaths>
#include <QtTest>

namespace {

using TestStrings::strings;

const QString kDeal = QStringLiteral("opportunity");
const QString kNewBusiness = QStringLiteral("pd_new_business");
const QString kRenewals = QStringLiteral("pd_renewals");

QJsonObject fields(const QJsonObject &body)
{
    return QJsonObject {{QStringLiteral("fields"), body}};
}

QString describe(const SandboxStore::Result &result)
{
    if (const auto *error = std::get_if<ApiError>(&result)) {
        return QStringLiteral("%1 %2 (%3): %4")
            .arg(error->status)
            .arg(error->code, error->param, error->message);
    }
    return QStringLiteral("success");
}

QJsonObject record(const SandboxStore::Result &result)
{
    const auto *value = std::get_if<QJsonObject>(&result);
    return value ? *value : QJsonObject();
}

ApiError error(const SandboxStore::Result &result)
{
    const auto *value = std::get_if<ApiError>(&result);
    return value ? *value : ApiError {0, {}, {}, {}, {}, {}};
}

QString stageOf(const QJsonObject &record)
{
    return record[QStringLiteral("fields")][QStringLiteral("$stage")][QStringLiteral("value")]
        .toString();
}

/** The stage option ids of `candidates` (an error's extra member), in order. */
QStringList candidateIds(const ApiError &e)
{
    QStringList ids;
    for (const QJsonValue &candidate : e.extra.value(QStringLiteral("candidates")).toArray())
        ids << candidate[QStringLiteral("stageOptionId")].toString();
    return ids;
}

struct Sandbox
{
    SandboxClock clock;
    SandboxStore store {&clock, 3};
    QString dealId; ///< a New Business deal at Lead

    explicit Sandbox(SandboxPipelines pipelines = {true, false, false})
    {
        store.setPipelines(pipelines);
        seedSandbox(store, {3, 6});
        const QString account = store.ids(QStringLiteral("account")).constFirst();
        const auto created = store.create(kDeal,
            QJsonObject {{QStringLiteral("fields"),
                             QJsonObject {{QStringLiteral("$name"), QStringLiteral("Test deal")},
                                 {QStringLiteral("$stage"), QStringLiteral("opt_stage_nb_lead")}}},
                {QStringLiteral("relationships"),
                    QJsonObject {{QStringLiteral("$account"), account}}}});
        dealId = record(created).value(QStringLiteral("id")).toString();
    }

    SandboxStore::Result update(const QJsonObject &changed)
    {
        return store.update(kDeal, dealId, fields(changed));
    }
};

} // namespace

class TestSandboxPipelines : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void definitionsNameEachStagesPipeline()
    {
        Sandbox sandbox;
        const QJsonObject definitions = sandbox.store.schema(kDeal).definitionsJson();
        const QJsonObject pipeline
            = definitions[QStringLiteral("fieldDefinitions")][QStringLiteral("$pipeline")]
                  .toObject();
        QCOMPARE(pipeline.value(QStringLiteral("valueType")).toString(),
            QStringLiteral("SINGLE_SELECT"));
        const QJsonArray pipelines
            = pipeline[QStringLiteral("typeConfiguration")][QStringLiteral("options")].toArray();
        QCOMPARE(pipelines.size(), 2);
        QCOMPARE(pipelines.at(1)[QStringLiteral("label")].toString(), QStringLiteral("Renewals"));
        const QJsonObject stage = definitions[QStringLiteral("fieldDefinitions")][QStringLiteral(
            "$stage")][QStringLiteral("typeConfiguration")]
                                      .toObject();
        QCOMPARE(
            stage.value(QStringLiteral("parentFieldKey")).toString(), QStringLiteral("$pipeline"));
        QStringList labels;
        for (const QJsonValue &option : stage.value(QStringLiteral("options")).toArray()) {
            labels << option[QStringLiteral("parentId")].toString() + QLatin1Char(':')
                    + option[QStringLiteral("label")].toString();
        }
        QCOMPARE(labels,
            strings(
                {"pd_new_business:Lead", "pd_new_business:Qualified", "pd_new_business:Proposal",
                    "pd_new_business:Won", "pd_new_business:Lost", "pd_renewals:Lead",
                    "pd_renewals:Proposal", "pd_renewals:Won", "pd_renewals:Lost"}));
        // The default sandbox has no pipelines at all.
        SandboxClock clock;
        SandboxStore plain(&clock, 1);
        QVERIFY(!plain.schema(kDeal).field(QStringLiteral("$pipeline")));
    }

    void seededDealsAreInBothPipelinesAndCarryNoPipeline()
    {
        Sandbox sandbox;
        int renewals = 0;
        int newBusiness = 0;
        for (const QString &id : sandbox.store.ids(kDeal)) {
            const QJsonObject deal = *sandbox.store.retrieve(kDeal, id);
            QVERIFY2(
                !deal[QStringLiteral("fields")].toObject().contains(QStringLiteral("$pipeline")),
                qPrintable(id));
            const QString stage = stageOf(deal);
            renewals += stage.startsWith(QLatin1String("opt_stage_rn_"));
            newBusiness += stage.startsWith(QLatin1String("opt_stage_nb_"));
        }
        QCOMPARE(renewals + newBusiness, sandbox.store.count(kDeal));
        QVERIFY(renewals >= 2);
        QVERIFY(newBusiness >= 2);
    }

    void pipelineWithoutStageIsRejected()
    {
        Sandbox sandbox;
        const auto result = sandbox.update({{QStringLiteral("$pipeline"), kRenewals}});
        QCOMPARE(error(result).status, 400);
        QCOMPARE(error(result).code, QStringLiteral("parameter_missing"));
        QCOMPARE(error(result).param, QStringLiteral("fields.$stage"));
        // Not even a null hint goes alone; and nothing changed.
        QCOMPARE(error(sandbox.update({{QStringLiteral("$pipeline"), QJsonValue()}})).status, 400);
        QCOMPARE(stageOf(*sandbox.store.retrieve(kDeal, sandbox.dealId)),
            QStringLiteral("opt_stage_nb_lead"));
    }

    void stageIdMovesTheDealAcrossPipelines()
    {
        // As documented: the option id names its pipeline, the hint is optional.
        Sandbox sandbox;
        const auto moved
            = sandbox.update({{QStringLiteral("$stage"), QStringLiteral("opt_stage_rn_won")}});
        QVERIFY2(std::holds_alternative<QJsonObject>(moved), qPrintable(describe(moved)));
        QCOMPARE(stageOf(record(moved)), QStringLiteral("opt_stage_rn_won"));
        QCOMPARE(record(moved)[QStringLiteral("fields")][QStringLiteral("$opportunityStatus")]
                              [QStringLiteral("value")]
                                  .toString(),
            QStringLiteral("opt_status_won"));
        QVERIFY(!record(moved)[QStringLiteral("fields")].toObject().contains(
            QStringLiteral("$pipeline")));
        // With a matching hint (by id or by name) too.
        const auto back
            = sandbox.update({{QStringLiteral("$stage"), QStringLiteral("opt_stage_nb_proposal")},
                {QStringLiteral("$pipeline"), QStringLiteral("new business")}});
        QVERIFY2(std::holds_alternative<QJsonObject>(back), qPrintable(describe(back)));
        QCOMPARE(stageOf(record(back)), QStringLiteral("opt_stage_nb_proposal"));
    }

    void hintThatDoesNotOwnTheStageIsRejected()
    {
        Sandbox sandbox;
        const auto result
            = sandbox.update({{QStringLiteral("$stage"), QStringLiteral("opt_stage_nb_won")},
                {QStringLiteral("$pipeline"), kRenewals}});
        const ApiError e = error(result);
        QCOMPARE(e.status, 422);
        QCOMPARE(e.code, QStringLiteral("stage_unresolved_in_pipeline"));
        QCOMPARE(e.extra.value(QStringLiteral("pipelineId")).toString(), kRenewals);
        QCOMPARE(candidateIds(e), strings({"opt_stage_nb_won", "opt_stage_rn_won"}));
        const auto unknown
            = sandbox.update({{QStringLiteral("$stage"), QStringLiteral("opt_stage_nb_won")},
                {QStringLiteral("$pipeline"), QStringLiteral("pd_nope")}});
        QCOMPARE(error(unknown).status, 422);
        QCOMPARE(error(unknown).code, QStringLiteral("unknown_pipeline"));
        QCOMPARE(
            error(unknown).extra.value(QStringLiteral("activePipelineIds")).toArray().size(), 2);
        QCOMPARE(stageOf(*sandbox.store.retrieve(kDeal, sandbox.dealId)),
            QStringLiteral("opt_stage_nb_lead"));
    }

    void labelsResolveOnlyWhenTheyNameOneStage()
    {
        Sandbox sandbox;
        const auto ambiguous = sandbox.update({{QStringLiteral("$stage"), QStringLiteral("won")}});
        QCOMPARE(error(ambiguous).status, 422);
        QCOMPARE(error(ambiguous).code, QStringLiteral("ambiguous_stage_label"));
        QCOMPARE(candidateIds(error(ambiguous)), strings({"opt_stage_nb_won", "opt_stage_rn_won"}));
        const QJsonObject candidate
            = error(ambiguous).extra.value(QStringLiteral("candidates")).toArray().at(1).toObject();
        QCOMPARE(
            candidate.value(QStringLiteral("pipelineName")).toString(), QStringLiteral("Renewals"));
        const auto hinted = sandbox.update({{QStringLiteral("$stage"), QStringLiteral("Won")},
            {QStringLiteral("$pipeline"), kRenewals}});
        QCOMPARE(stageOf(record(hinted)), QStringLiteral("opt_stage_rn_won"));
        const auto unique
            = sandbox.update({{QStringLiteral("$stage"), QStringLiteral("qualified")}});
        QCOMPARE(stageOf(record(unique)), QStringLiteral("opt_stage_nb_qualified"));
        const auto missing
            = sandbox.update({{QStringLiteral("$stage"), QStringLiteral("Qualified")},
                {QStringLiteral("$pipeline"), kRenewals}});
        QCOMPARE(error(missing).code, QStringLiteral("stage_unresolved_in_pipeline"));
    }

    void strictServerWantsTheHintForAMoveAcrossPipelines()
    {
        Sandbox sandbox({true, false, true});
        const auto refused
            = sandbox.update({{QStringLiteral("$stage"), QStringLiteral("opt_stage_rn_lead")}});
        QCOMPARE(error(refused).status, 422);
        QCOMPARE(error(refused).code, QStringLiteral("stage_unresolved_in_pipeline"));
        QCOMPARE(error(refused).extra.value(QStringLiteral("pipelineId")).toString(), kNewBusiness);
        const auto within = sandbox.update(
            {{QStringLiteral("$stage"), QStringLiteral("opt_stage_nb_qualified")}});
        QVERIFY2(std::holds_alternative<QJsonObject>(within), qPrintable(describe(within)));
        const auto hinted
            = sandbox.update({{QStringLiteral("$stage"), QStringLiteral("opt_stage_rn_lead")},
                {QStringLiteral("$pipeline"), kRenewals}});
        QVERIFY2(std::holds_alternative<QJsonObject>(hinted), qPrintable(describe(hinted)));
        QCOMPARE(stageOf(record(hinted)), QStringLiteral("opt_stage_rn_lead"));
    }

    void pipelineOnReadFollowsTheStage()
    {
        Sandbox sandbox({true, true, false});
        const auto pipelineOf = [&sandbox](const QString &id) {
            return (*sandbox.store.retrieve(kDeal,
                id))[QStringLiteral("fields")][QStringLiteral("$pipeline")][QStringLiteral("value")]
                .toString();
        };
        QCOMPARE(pipelineOf(sandbox.dealId), kNewBusiness);
        sandbox.update({{QStringLiteral("$stage"), QStringLiteral("opt_stage_rn_proposal")}});
        QCOMPARE(pipelineOf(sandbox.dealId), kRenewals);
        for (const QString &id : sandbox.store.ids(kDeal)) {
            const QString stage = stageOf(*sandbox.store.retrieve(kDeal, id));
            QCOMPARE(pipelineOf(id),
                stage.startsWith(QLatin1String("opt_stage_rn_")) ? kRenewals : kNewBusiness);
        }
    }
};

QTEST_GUILESS_MAIN(TestSandboxPipelines)
#include "tst_sandboxpipelines.moc"
