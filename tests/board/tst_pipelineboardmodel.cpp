// PipelineBoardModel: stages from the `$stage` options, cards in the proxy's order, counts and
// per-currency totals, incremental moves, definitions changes, search and the pipeline filter
// of the board.

#include "itemmodels/opportunitysortfilterproxymodel.h"
#include "itemmodels/opportunitytablemodel.h"
#include "itemmodels/pipelineboardmodel.h"
#include "itemmodels/stagecolors.h"
#include "tabletesthelpers.h"
#include "teststrings.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <memory>

using TableTest::makeRecord;

namespace {

using TestStrings::strings;

const QString kStage = QStringLiteral("$stage");

/** Option id of the `$stage` option labelled `label` in `schema`. */
QString stageOption(const ObjectSchema &schema, const QString &label)
{
    for (const SelectOption &option : schema.field(kStage)->options()) {
        if (option.label == label)
            return option.id;
    }
    return {};
}

Record deal(const ObjectSchema &schema, const QString &id, const QString &name,
    const QString &stage, const TableTest::Fields &more = {})
{
    TableTest::Fields fields {{QStringLiteral("$name"), name}};
    if (!stage.isEmpty())
        fields.append({kStage, stage});
    fields.append(more);
    return makeRecord(schema, id, fields,
        {{QStringLiteral("$account"), {QStringLiteral("acc_north")}},
            {QStringLiteral("$owner"), {QStringLiteral("mem_ana")}}});
}

/** The board: table → proxy → board, with the tester attached before anything is filled. */
struct Board
{
    ObjectSchema schema = TableTest::opportunitySchema();
    OpportunityTableModel table;
    OpportunitySortFilterProxyModel proxy;
    PipelineBoardModel board;
    std::unique_ptr<QAbstractItemModelTester> tester;

    Board()
    {
        tester = std::make_unique<QAbstractItemModelTester>(
            &board, QAbstractItemModelTester::FailureReportingMode::Fatal);
        proxy.setSourceModel(&table);
        board.setSourceModel(&proxy);
        table.reload(schema, TableTest::names(), 0, [](qsizetype) { return Record(); });
    }

    QString option(const QString &label) const { return stageOption(schema, label); }

    /** "name,name" of the cards of the stage labelled `label`. */
    QString cards(const QString &label) const
    {
        const int s = board.stageRow(option(label));
        QStringList names;
        for (int i = 0; i < board.cardCount(s); ++i)
            names << board.index(i, 0, board.index(s, 0)).data().toString();
        return names.join(QLatin1Char(','));
    }

    QStringList labels() const
    {
        QStringList out;
        for (int s = 0; s < board.stageCount(); ++s)
            out << board.stageLabel(s);
        return out;
    }
};

} // namespace

class TestPipelineBoardModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void columnsFollowOptionsOrder()
    {
        Board b;
        QStringList expected;
        for (const SelectOption &option : b.schema.field(kStage)->options())
            expected << option.label;
        QCOMPARE(expected.size(), 6);
        QCOMPARE(b.labels(), expected);
        for (int s = 0; s < b.board.stageCount(); ++s) {
            QCOMPARE(b.board.stageId(s), b.schema.field(kStage)->options().at(s).id);
            // The palette in definition order, on stage rows and their cards alike.
            QCOMPARE(b.board.index(s, 0).data(PipelineBoardModel::StageColorRole).toUInt(),
                StageColors::rgbaAt(s));
            QCOMPARE(b.board.stageColor(s), StageColors::rgbaAt(s));
        }

        // "No stage" shows only while a deal has none (or an unknown option id).
        b.table.upsertRecords({deal(b.schema, QStringLiteral("opp_1"), QStringLiteral("One"),
            b.option(QStringLiteral("Proposal")))});
        QCOMPARE(b.board.stageCount(), 6);
        b.table.upsertRecords({deal(b.schema, QStringLiteral("opp_2"), QStringLiteral("Two"), {}),
            deal(b.schema, QStringLiteral("opp_3"), QStringLiteral("Three"),
                QStringLiteral("opt_stage_gone"))});
        QCOMPARE(b.board.stageCount(), 7);
        QCOMPARE(b.board.stageLabel(6), QStringLiteral("No stage"));
        QCOMPARE(b.board.stageId(6), QString());
        QCOMPARE(b.board.cardCount(6), 2);
        QCOMPARE(b.board.index(6, 0).data(PipelineBoardModel::StageColorRole).toUInt(),
            StageColors::noStageRgba());
        QCOMPARE(b.board.index(0, 0, b.board.index(6, 0))
                     .data(PipelineBoardModel::StageColorRole)
                     .toUInt(),
            StageColors::noStageRgba());
        b.table.upsertRecords({deal(b.schema, QStringLiteral("opp_2"), QStringLiteral("Two"),
                                   b.option(QStringLiteral("Discovery"))),
            deal(b.schema, QStringLiteral("opp_3"), QStringLiteral("Three"),
                b.option(QStringLiteral("Discovery")))});
        QCOMPARE(b.board.stageCount(), 6);
        QCOMPARE(b.cards(QStringLiteral("Discovery")), QStringLiteral("Two,Three"));
    }

    void cardRoles()
    {
        Board b;
        b.table.upsertRecords({deal(b.schema, QStringLiteral("opp_1"), QStringLiteral("Northwind"),
            b.option(QStringLiteral("Proposal")),
            {{QStringLiteral("$amount"), 48000},
                {QStringLiteral("closeDate"), QStringLiteral("2026-09-30T00:00:00.000Z")},
                {QStringLiteral("$lastInteractionAt"),
                    QStringLiteral("2026-11-20T13:05:00.000Z")}})});
        const QModelIndex card = b.board.indexForId(QStringLiteral("opp_1"));
        QVERIFY(card.isValid());
        QCOMPARE(card.parent().row(), b.board.stageRow(b.option(QStringLiteral("Proposal"))));
        QCOMPARE(card.data(PipelineBoardModel::IdRole).toString(), QStringLiteral("opp_1"));
        QCOMPARE(card.data(PipelineBoardModel::NameRole).toString(), QStringLiteral("Northwind"));
        QCOMPARE(card.data(PipelineBoardModel::AccountRole).toString(),
            QStringLiteral("Northwind Labs"));
        QCOMPARE(card.data(PipelineBoardModel::OwnerRole).toString(), QStringLiteral("Ana Ruiz"));
        const auto amount = card.data(PipelineBoardModel::AmountRole).value<FieldValue>();
        QCOMPARE(amount.toCents(), 4800000);
        QCOMPARE(amount.currencyCode(), QStringLiteral("USD"));
        QVERIFY(card.data(PipelineBoardModel::AmountTextRole)
                    .toString()
                    .contains(QStringLiteral("48")));
        // The close date is the first DATETIME the rep sets, not the read-only activity date.
        QCOMPARE(card.data(PipelineBoardModel::CloseDateRole).toDateTime(),
            QDateTime(QDate(2026, 9, 30), QTime(0, 0), Qt::UTC));
        QCOMPARE(card.data(PipelineBoardModel::SyncStateRole).toInt(),
            int(OpportunityRoles::SyncState::Synced));
        QVERIFY(card.data(Qt::ToolTipRole).isNull());
        QVERIFY(card.data(Qt::AccessibleTextRole)
                    .toString()
                    .startsWith(QStringLiteral("Northwind, Northwind Labs")));

        // A parked edit: the state and the reason come through.
        b.board.setStatusTextProvider([](const QString &id) {
            return id == QLatin1String("opp_1") ? QStringLiteral("Stage is not allowed")
                                                : QString();
        });
        QSignalSpy changed(&b.board, &QAbstractItemModel::dataChanged);
        b.table.setSyncState(QStringLiteral("opp_1"), OpportunityRoles::SyncState::Failed);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).value<QModelIndex>(), card);
        QCOMPARE(card.data(PipelineBoardModel::SyncStateRole).toInt(),
            int(OpportunityRoles::SyncState::Failed));
        QVERIFY(
            card.data(Qt::ToolTipRole).toString().contains(QStringLiteral("Stage is not allowed")));
        QVERIFY(b.board.flags(card).testFlag(Qt::ItemIsDragEnabled));
        QVERIFY(b.board.flags(card.parent()).testFlag(Qt::ItemIsDropEnabled));
        std::unique_ptr<QMimeData> mime(b.board.mimeData({card}));
        QCOMPARE(
            PipelineBoardModel::idsFromMimeData(mime.get()), QStringList {QStringLiteral("opp_1")});
    }

    void totalsPerCurrency()
    {
        Board b;
        const QString proposal = b.option(QStringLiteral("Proposal"));
        b.table.upsertRecords({deal(b.schema, QStringLiteral("opp_a"), QStringLiteral("A"),
                                   proposal, {{QStringLiteral("$amount"), 48000}}),
            deal(b.schema, QStringLiteral("opp_b"), QStringLiteral("B"), proposal,
                {{QStringLiteral("arrEur"), 12500.5}}),
            deal(b.schema, QStringLiteral("opp_c"), QStringLiteral("C"), proposal,
                {{QStringLiteral("$amount"), 100.25}}),
            deal(b.schema, QStringLiteral("opp_d"), QStringLiteral("D"), proposal)});
        const int s = b.board.stageRow(proposal);
        QCOMPARE(b.board.cardCount(s), 4);
        QCOMPARE(b.board.index(s, 0).data(PipelineBoardModel::CountRole).toInt(), 4);
        // Default: the first CURRENCY field only.
        QCOMPARE(b.board.totals(s), (CurrencyTotals {{QStringLiteral("USD"), 4810025}}));

        // Both currency fields: each sums into its own code, never together.
        b.board.setAmountFieldKeys({QStringLiteral("$amount"), QStringLiteral("arrEur")});
        const CurrencyTotals both {
            {QStringLiteral("USD"), 4810025}, {QStringLiteral("EUR"), 1250050}};
        QCOMPARE(b.board.totals(s), both);
        QCOMPARE(
            b.board.index(s, 0).data(PipelineBoardModel::TotalsRole).value<CurrencyTotals>(), both);
        // The card of B shows its EUR amount (the first non-null amount field).
        QCOMPARE(b.board.indexForId(QStringLiteral("opp_b"))
                     .data(PipelineBoardModel::AmountRole)
                     .value<FieldValue>()
                     .currencyCode(),
            QStringLiteral("EUR"));
        // An amount edit re-totals; a currency leaves when its last amount does.
        b.table.upsertRecords({deal(b.schema, QStringLiteral("opp_b"), QStringLiteral("B"),
            proposal, {{QStringLiteral("$amount"), 1}})});
        QCOMPARE(b.board.totals(s), (CurrencyTotals {{QStringLiteral("USD"), 4810125}}));
        b.table.removeRecords({QStringLiteral("opp_a"), QStringLiteral("opp_c")});
        QCOMPARE(b.board.cardCount(s), 2);
        QCOMPARE(b.board.totals(s), (CurrencyTotals {{QStringLiteral("USD"), 100}}));
    }

    void moveReTotalsBothStages()
    {
        Board b;
        const QString proposal = b.option(QStringLiteral("Proposal"));
        const QString negotiation = b.option(QStringLiteral("Negotiation"));
        QList<Record> records;
        for (int i = 0; i < 6; ++i) {
            records << deal(b.schema, QStringLiteral("opp_%1").arg(i), QStringLiteral("D%1").arg(i),
                i % 2 ? negotiation : proposal, {{QStringLiteral("$amount"), 1000 * (i + 1)}});
        }
        b.table.upsertRecords(records);
        QCOMPARE(b.cards(QStringLiteral("Proposal")), QStringLiteral("D0,D2,D4"));
        QCOMPARE(b.cards(QStringLiteral("Negotiation")), QStringLiteral("D1,D3,D5"));
        const int p = b.board.stageRow(proposal);
        const int n = b.board.stageRow(negotiation);
        QCOMPARE(b.board.totals(p), (CurrencyTotals {{QStringLiteral("USD"), 900000}}));
        QCOMPARE(b.board.totals(n), (CurrencyTotals {{QStringLiteral("USD"), 1200000}}));

        QSignalSpy moved(&b.board, &QAbstractItemModel::rowsMoved);
        QSignalSpy removed(&b.board, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&b.board, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&b.board, &QAbstractItemModel::modelReset);
        QSignalSpy layout(&b.board, &QAbstractItemModel::layoutChanged);
        QSignalSpy changed(&b.board, &QAbstractItemModel::dataChanged);
        // The optimistic local copy changes the table row; the board follows the table.
        b.table.upsertRecords({deal(b.schema, QStringLiteral("opp_2"), QStringLiteral("D2"),
            negotiation, {{QStringLiteral("$amount"), 3000}})});
        // Out of one column, into the other (views re-lay out only those two columns).
        QCOMPARE(moved.size(), 0);
        QCOMPARE(reset.size(), 0);
        QCOMPARE(layout.size(), 0);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.first().at(0).value<QModelIndex>().row(), p);
        QCOMPARE(removed.first().at(1).toInt(), 1);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.first().at(0).value<QModelIndex>().row(), n);
        QCOMPARE(inserted.first().at(1).toInt(), 1); // between D1 and D3: the proxy's order
        QCOMPARE(b.cards(QStringLiteral("Proposal")), QStringLiteral("D0,D4"));
        QCOMPARE(b.cards(QStringLiteral("Negotiation")), QStringLiteral("D1,D2,D3,D5"));
        QCOMPARE(b.board.totals(p), (CurrencyTotals {{QStringLiteral("USD"), 600000}}));
        QCOMPARE(b.board.totals(n), (CurrencyTotals {{QStringLiteral("USD"), 1500000}}));
        QCOMPARE(b.board.index(n, 0).data(PipelineBoardModel::CountRole).toInt(), 4);
        // Only the two stages were re-totalled.
        QSet<int> stagesChanged;
        for (const QList<QVariant> &args : std::as_const(changed)) {
            const auto index = args.at(0).value<QModelIndex>();
            if (!index.parent().isValid())
                stagesChanged.insert(index.row());
        }
        QCOMPARE(stagesChanged, (QSet<int> {p, n}));
        QCOMPARE(b.board.indexForId(QStringLiteral("opp_2")).parent().row(), n);
        QCOMPARE(b.board.indexForId(QStringLiteral("opp_2")).row(), 1);
    }

    void definitionsChangeColumns()
    {
        Board b;
        b.table.upsertRecords({deal(b.schema, QStringLiteral("opp_1"), QStringLiteral("One"),
                                   b.option(QStringLiteral("Proposal"))),
            deal(b.schema, QStringLiteral("opp_2"), QStringLiteral("Two"),
                b.option(QStringLiteral("Closed Lost")))});
        // Rename Proposal, drop Closed Lost, add Verbal before Closed Won.
        FieldDefinition stage = *b.schema.field(kStage);
        QList<SelectOption> options;
        for (SelectOption option : stage.options()) {
            if (option.label == QLatin1String("Closed Lost"))
                continue;
            if (option.label == QLatin1String("Proposal"))
                option.label = QStringLiteral("Quote sent");
            if (option.label == QLatin1String("Closed Won"))
                options.append(
                    {QStringLiteral("opt_stage_verbal"), QStringLiteral("Verbal"), {}, {}});
            options.append(option);
        }
        stage.setOptions(options);
        ObjectSchema changed = b.schema;
        changed.addField(stage);
        QSignalSpy reset(&b.board, &QAbstractItemModel::modelReset);
        const QList<Record> rows {deal(changed, QStringLiteral("opp_1"), QStringLiteral("One"),
                                      b.option(QStringLiteral("Proposal"))),
            deal(changed, QStringLiteral("opp_2"), QStringLiteral("Two"),
                b.option(QStringLiteral("Closed Lost")))};
        b.table.reload(
            changed, TableTest::names(), rows.size(), [&](qsizetype i) { return rows.at(i); });
        QCOMPARE(reset.size(), 1);
        QCOMPARE(b.labels(),
            (QStringList {QStringLiteral("Prospecting"), QStringLiteral("Discovery"),
                QStringLiteral("Quote sent"), QStringLiteral("Negotiation"),
                QStringLiteral("Verbal"), QStringLiteral("Closed Won"),
                QStringLiteral("No stage")}));
        QCOMPARE(b.board.cardCount(2), 1);
        // The deal whose option was removed waits under No stage.
        QCOMPARE(b.board.cardCount(6), 1);
        QCOMPARE(b.board.index(0, 0, b.board.index(6, 0)).data().toString(), QStringLiteral("Two"));
        // setSchema alone (no rows) gives the new columns and no No stage.
        b.table.setSchema(TableTest::opportunitySchema());
        QCOMPARE(b.board.stageCount(), 6);
        QCOMPARE(b.board.stageLabel(2), QStringLiteral("Proposal"));
    }

    void searchAndFiltersNarrowCards()
    {
        Board b;
        const QString proposal = b.option(QStringLiteral("Proposal"));
        b.table.upsertRecords({deal(b.schema, QStringLiteral("opp_1"),
                                   QStringLiteral("Northwind renewal"), proposal,
                                   {{QStringLiteral("$amount"), 10}}),
            deal(b.schema, QStringLiteral("opp_2"), QStringLiteral("Acme pilot"), proposal,
                {{QStringLiteral("$amount"), 20}}),
            deal(b.schema, QStringLiteral("opp_3"), QStringLiteral("Zeta expansion"), QString()),
            deal(b.schema, QStringLiteral("opp_4"), QStringLiteral("Renewal upsell"),
                b.option(QStringLiteral("Discovery")))});
        QCOMPARE(b.board.stageCount(), 7);
        QPersistentModelIndex kept = b.board.indexForId(QStringLiteral("opp_1"));
        QPersistentModelIndex gone = b.board.indexForId(QStringLiteral("opp_2"));
        b.proxy.setSearchText(QStringLiteral("renewal"));
        QCOMPARE(b.cards(QStringLiteral("Proposal")), QStringLiteral("Northwind renewal"));
        QCOMPARE(b.cards(QStringLiteral("Discovery")), QStringLiteral("Renewal upsell"));
        QCOMPARE(b.board.stageCount(), 6); // the stage-less deal is filtered out
        QCOMPARE(b.board.totals(b.board.stageRow(proposal)),
            (CurrencyTotals {{QStringLiteral("USD"), 1000}}));
        QVERIFY(kept.isValid());
        QCOMPARE(kept.data(PipelineBoardModel::IdRole).toString(), QStringLiteral("opp_1"));
        QVERIFY(!gone.isValid());
        b.proxy.setSearchText(QString());
        QCOMPARE(
            b.cards(QStringLiteral("Proposal")), QStringLiteral("Northwind renewal,Acme pilot"));
        QCOMPARE(b.board.stageCount(), 7);
        QCOMPARE(b.board.totals(b.board.stageRow(proposal)),
            (CurrencyTotals {{QStringLiteral("USD"), 3000}}));

        // Sorting the proxy orders the cards within each stage.
        b.proxy.sort(b.table.columnForKey(QStringLiteral("$name")), Qt::AscendingOrder);
        QCOMPARE(
            b.cards(QStringLiteral("Proposal")), QStringLiteral("Acme pilot,Northwind renewal"));
        // A new deal lands at its sorted place.
        b.table.upsertRecords(
            {deal(b.schema, QStringLiteral("opp_5"), QStringLiteral("Bravo"), proposal)});
        QCOMPARE(b.cards(QStringLiteral("Proposal")),
            QStringLiteral("Acme pilot,Bravo,Northwind renewal"));
    }

    void largeBatchesRegroup()
    {
        Board b;
        const QString discovery = b.option(QStringLiteral("Discovery"));
        QList<Record> records;
        QStringList ids;
        for (int i = 0; i < 600; ++i) {
            ids << QStringLiteral("opp_%1").arg(i);
            records << deal(b.schema, ids.last(), QStringLiteral("D%1").arg(i),
                i % 3 ? discovery : QString(), {{QStringLiteral("$amount"), 1}});
        }
        b.table.upsertRecords(records);
        const int d = b.board.stageRow(discovery);
        QCOMPARE(b.board.cardCount(d), 400);
        QCOMPARE(b.board.cardCount(b.board.stageRow(QString())), 200);
        QCOMPARE(b.board.totals(d), (CurrencyTotals {{QStringLiteral("USD"), 40000}}));
        b.table.removeRecords(ids.mid(0, 300));
        QCOMPARE(b.board.cardCount(d), 200);
        QCOMPARE(b.board.cardCount(b.board.stageRow(QString())), 100);
        QCOMPARE(
            b.board.index(0, 0, b.board.index(d, 0)).data().toString(), QStringLiteral("D301"));
        b.table.removeRecords(ids);
        QCOMPARE(b.board.stageCount(), 6);
        QCOMPARE(b.board.cardCount(d), 0);
        QVERIFY(b.board.totals(d).isEmpty());
    }

    void pipelineFilter()
    {
        ObjectSchema schema = TableTest::opportunitySchema();
        FieldDefinition pipeline(
            QStringLiteral("$pipeline"), FieldType::SingleSelect, QStringLiteral("Pipeline"));
        pipeline.setOptions({{QStringLiteral("pd_new"), QStringLiteral("New business"), {}, {}},
            {QStringLiteral("pd_renew"), QStringLiteral("Renewals"), {}, {}}});
        schema.addField(pipeline);
        FieldDefinition stage = *schema.field(kStage);
        QList<SelectOption> options = stage.options();
        options[0].parentId = QStringLiteral("pd_new"); // Prospecting: new business only
        options.append({QStringLiteral("opt_stage_renewal_due"), QStringLiteral("Renewal due"), {},
            QStringLiteral("pd_renew")});
        stage.setOptions(options);
        stage.setParentFieldKey(QStringLiteral("$pipeline"));
        schema.addField(stage);

        Board b;
        b.schema = schema;
        const QList<Record> rows {
            deal(schema, QStringLiteral("opp_1"), QStringLiteral("New"), options[0].id,
                {{QStringLiteral("$pipeline"), QStringLiteral("pd_new")}}),
            deal(schema, QStringLiteral("opp_2"), QStringLiteral("Renew"),
                QStringLiteral("opt_stage_renewal_due"),
                {{QStringLiteral("$pipeline"), QStringLiteral("pd_renew")}}),
            deal(schema, QStringLiteral("opp_3"), QStringLiteral("Both"), options[2].id,
                {{QStringLiteral("$pipeline"), QStringLiteral("pd_renew")}})};
        b.table.reload(
            schema, TableTest::names(), rows.size(), [&](qsizetype i) { return rows.at(i); });
        QCOMPARE(b.board.pipelineFieldKey(), QStringLiteral("$pipeline"));
        QCOMPARE(b.board.stageCount(), 7);
        b.board.setPipeline(QStringLiteral("pd_renew"));
        QCOMPARE(b.board.stageCount(), 6); // no Prospecting
        QCOMPARE(b.board.stageRow(options[0].id), -1);
        // A stage keeps the colour of its place among all the options, whichever pipeline shows.
        QCOMPARE(b.board.stageColor(b.board.stageRow(options[2].id)), StageColors::rgbaAt(2));
        QCOMPARE(b.board.stageColor(b.board.stageRow(QStringLiteral("opt_stage_renewal_due"))),
            StageColors::rgbaAt(6));
        QCOMPARE(b.cards(QStringLiteral("Renewal due")), QStringLiteral("Renew"));
        QCOMPARE(b.cards(QStringLiteral("Proposal")), QStringLiteral("Both"));
        QVERIFY(!b.board.indexForId(QStringLiteral("opp_1")).isValid());
        // A deal moving into the pipeline appears; out of it, disappears.
        b.table.upsertRecords({deal(schema, QStringLiteral("opp_1"), QStringLiteral("New"),
            options[2].id, {{QStringLiteral("$pipeline"), QStringLiteral("pd_renew")}})});
        QCOMPARE(b.cards(QStringLiteral("Proposal")), QStringLiteral("New,Both"));
        b.board.setPipeline(QString());
        QCOMPARE(b.board.stageCount(), 7);
    }

    void pipelinesComeFromTheStageOptionsNotTheRecords()
    {
        // The sandbox's two pipelines, whose stage labels repeat; the records carry no
        // `$pipeline` (the API does not store it).
        const ObjectSchema schema = ObjectSchema::fromDefinitionsJson(
            SandboxSchema::opportunityWithPipelines().definitionsJson());
        Board b;
        b.schema = schema;
        const QList<Record> rows {deal(schema, QStringLiteral("opp_1"), QStringLiteral("Acme new"),
                                      QStringLiteral("opt_stage_nb_lead")),
            deal(schema, QStringLiteral("opp_2"), QStringLiteral("Acme renewal"),
                QStringLiteral("opt_stage_rn_lead")),
            deal(schema, QStringLiteral("opp_3"), QStringLiteral("Zeta renewal"),
                QStringLiteral("opt_stage_rn_won")),
            deal(schema, QStringLiteral("opp_4"), QStringLiteral("Stageless"), QString())};
        b.table.reload(
            schema, TableTest::names(), rows.size(), [&](qsizetype i) { return rows.at(i); });
        // Every pipeline: nine stages, the repeated labels with their pipeline, then No stage.
        QCOMPARE(b.labels(),
            strings({"New Business / Lead", "Qualified", "New Business / Proposal",
                "New Business / Won", "New Business / Lost", "Renewals / Lead",
                "Renewals / Proposal", "Renewals / Won", "Renewals / Lost", "No stage"}));
        QCOMPARE(b.board.stagePipeline(0), QStringLiteral("pd_new_business"));
        QCOMPARE(b.board.stagePipeline(9), QString());

        b.board.setPipeline(QStringLiteral("pd_renewals"));
        QCOMPARE(b.labels(), strings({"Lead", "Proposal", "Won", "Lost", "No stage"}));
        const auto cardsOf = [&b](const QString &stageId) {
            const int s = b.board.stageRow(stageId);
            QStringList names;
            for (int i = 0; i < b.board.cardCount(s); ++i)
                names << b.board.index(i, 0, b.board.index(s, 0)).data().toString();
            return names.join(QLatin1Char(','));
        };
        QCOMPARE(cardsOf(QStringLiteral("opt_stage_rn_lead")), QStringLiteral("Acme renewal"));
        QCOMPARE(cardsOf(QStringLiteral("opt_stage_rn_won")), QStringLiteral("Zeta renewal"));
        QVERIFY(!b.board.indexForId(QStringLiteral("opp_1")).isValid());
        // A deal without a stage names no pipeline: it shows in each, never in none.
        QCOMPARE(cardsOf(QString()), QStringLiteral("Stageless"));
        // Colours keep the option's place among all stages.
        QCOMPARE(b.board.stageColor(b.board.stageRow(QStringLiteral("opt_stage_rn_won"))),
            StageColors::rgbaAt(7));

        // A move into this pipeline shows the card; out of it, hides it (incrementally).
        b.table.upsertRecords({deal(schema, QStringLiteral("opp_1"), QStringLiteral("Acme new"),
            QStringLiteral("opt_stage_rn_proposal"))});
        QCOMPARE(cardsOf(QStringLiteral("opt_stage_rn_proposal")), QStringLiteral("Acme new"));
        b.table.upsertRecords({deal(schema, QStringLiteral("opp_3"), QStringLiteral("Zeta renewal"),
            QStringLiteral("opt_stage_nb_qualified"))});
        QVERIFY(!b.board.indexForId(QStringLiteral("opp_3")).isValid());
        QCOMPARE(b.board.cardCount(b.board.stageRow(QStringLiteral("opt_stage_rn_won"))), 0);

        b.board.setPipeline(QStringLiteral("pd_new_business"));
        QCOMPARE(b.labels(), strings({"Lead", "Qualified", "Proposal", "Won", "Lost", "No stage"}));
        QCOMPARE(cardsOf(QStringLiteral("opt_stage_nb_qualified")), QStringLiteral("Zeta renewal"));
    }

    void recordPipelineIsOnlyAFallback()
    {
        // Records that do carry `$pipeline`, even a wrong one, do not override the stage's.
        const ObjectSchema schema = ObjectSchema::fromDefinitionsJson(
            SandboxSchema::opportunityWithPipelines().definitionsJson());
        Board b;
        const QList<Record> rows {deal(schema, QStringLiteral("opp_1"),
            QStringLiteral("Mislabelled"), QStringLiteral("opt_stage_rn_won"),
            {{QStringLiteral("$pipeline"), QStringLiteral("pd_new_business")}})};
        b.table.reload(
            schema, TableTest::names(), rows.size(), [&](qsizetype i) { return rows.at(i); });
        b.board.setPipeline(QStringLiteral("pd_new_business"));
        QVERIFY(!b.board.indexForId(QStringLiteral("opp_1")).isValid());
        b.board.setPipeline(QStringLiteral("pd_renewals"));
        QVERIFY(b.board.indexForId(QStringLiteral("opp_1")).isValid());
    }
};

QTEST_GUILESS_MAIN(TestPipelineBoardModel)
#include "tst_pipelineboardmodel.moc"
