// The `$pipeline` hint on the wire: a stage move into another pipeline is sent with `$pipeline`,
// a move within one with `$stage` alone, against the strict sandbox (a move across pipelines
// without the hint is refused there) and with records that do or do not carry `$pipeline`.

#include "synctesthelpers.h"

#include <QStandardPaths>

using namespace SyncTest;

class TestPipelineHint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void stageMovesCarryTheHintOnlyAcrossPipelines_data()
    {
        QTest::addColumn<bool>("onRead");
        QTest::newRow("records without $pipeline") << false;
        QTest::newRow("records with $pipeline") << true;
    }

    void stageMovesCarryTheHintOnlyAcrossPipelines()
    {
        QFETCH(bool, onRead);
        Harness h;
        SandboxConfig config;
        config.pipelines = {true, onRead, true};
        QVERIFY(h.startServer(config, 6));
        QVERIFY(h.open());
        QVERIFY(h.pullOnce());
        // A New Business deal.
        QString id;
        for (const QString &candidate : h.dealIds()) {
            if (RecordJson::fieldValue(h.serverRecord(candidate), QStringLiteral("$stage"))
                    .toString()
                    .startsWith(QLatin1String("opt_stage_nb_"))) {
                id = candidate;
                break;
            }
        }
        QVERIFY(!id.isEmpty());

        // Within New Business, then into Renewals, then within Renewals: one row each, sent
        // one after the other.
        const QStringList stages {QStringLiteral("opt_stage_nb_proposal"),
            QStringLiteral("opt_stage_rn_lead"), QStringLiteral("opt_stage_rn_won")};
        for (const QString &stage : stages) {
            QVERIFY(h.edit(id, QStringLiteral("$stage"), stage));
            QVERIFY(h.waitIdle());
            QCOMPARE(
                RecordJson::fieldValue(h.serverRecord(id), QStringLiteral("$stage")).toString(),
                stage);
        }
        QCOMPARE(h.outbox->rows().size(), 0);
        QList<QJsonObject> bodies;
        for (const QJsonValue &write : h.writes()) {
            if (write[QStringLiteral("path")].toString().endsWith(id))
                bodies << write[QStringLiteral("body")][QStringLiteral("fields")].toObject();
        }
        QCOMPARE(bodies.size(), 3);
        QCOMPARE(bodies.at(0),
            QJsonObject({{QStringLiteral("$stage"), QStringLiteral("opt_stage_nb_proposal")}}));
        QCOMPARE(bodies.at(1),
            QJsonObject({{QStringLiteral("$stage"), QStringLiteral("opt_stage_rn_lead")},
                {QStringLiteral("$pipeline"), QStringLiteral("pd_renewals")}}));
        QCOMPARE(bodies.at(2),
            QJsonObject({{QStringLiteral("$stage"), QStringLiteral("opt_stage_rn_won")}}));
        // The local copy follows the server's, whether or not it carries `$pipeline`.
        QCOMPARE(RecordJson::fieldValue(h.localRecord(id), QStringLiteral("$stage")).toString(),
            QStringLiteral("opt_stage_rn_won"));
    }
};

QTEST_GUILESS_MAIN(TestPipelineHint)
#include "tst_pipelinehint.moc"
