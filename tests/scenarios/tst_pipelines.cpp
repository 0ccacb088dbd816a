// A rep works two pipelines whose stage labels repeat (New Business and Renewals, both with
// Lead, Proposal, Won and Lost): chooses Renewals above the board from the keyboard, moves a deal
// one stage on with Ctrl+Right (only `$stage` is sent), then moves it into New Business from the
// form's stage editor, where the repeated labels name their pipeline (`$stage` and `$pipeline`
// are sent). The sandbox is the strict one: a move across pipelines without `$pipeline` would be
// refused.

#include "scenario.h"
#include "teststrings.h"

#include "board/pipelineboardview.h"
#include "editors/selecteditors.h"
#include "form/dealform.h"
#include "itemmodels/pipelineboardmodel.h"

#include <QAction>
#include <QComboBox>
#include <QListView>

namespace {

using TestStrings::strings;

const QString kStage = QStringLiteral("$stage");
const QString kRenewals = QStringLiteral("pd_renewals");
const QString kNewBusiness = QStringLiteral("pd_new_business");

bool inside(const QWidget *widget, const QWidget *ancestor)
{
    return Scenario::within(widget, ancestor);
}

/** The labels of the board's columns, in order. */
QStringList columnLabels(const PipelineBoardModel *model)
{
    QStringList labels;
    for (int s = 0; s < model->stageCount(); ++s)
        labels << model->stageLabel(s);
    return labels;
}

} // namespace

class TestPipelinesScenario final : public QObject
{
    Q_OBJECT

private:
    Scenario::App m_app;
    PipelineBoardView *m_board = nullptr;
    QComboBox *m_chooser = nullptr;

    PipelineBoardModel *model() const { return m_board->model(); }

    /** Alt+P (the chooser's label), then Up / Down until the chooser shows `pipeline`. */
    bool choosePipeline(const QString &pipeline)
    {
        Scenario::key(Qt::Key_P, Qt::AltModifier);
        if (QApplication::focusWidget() != m_chooser)
            return false;
        const int target = m_chooser->findData(pipeline);
        for (int i = 0; i < 8 && m_chooser->currentIndex() != target; ++i)
            Scenario::key(m_chooser->currentIndex() < target ? Qt::Key_Down : Qt::Key_Up);
        return m_chooser->currentIndex() == target && model()->pipeline() == pipeline;
    }

    /** Tabs forward until the focus is inside `target` (at most 40 presses). */
    static bool tabTo(const QWidget *target)
    {
        for (int i = 0; i < 40; ++i) {
            if (inside(QApplication::focusWidget(), target))
                return true;
            Scenario::key(Qt::Key_Tab);
        }
        return inside(QApplication::focusWidget(), target);
    }

private Q_SLOTS:
    void initTestCase()
    {
        Scenario::App::Options options;
        options.opportunities = 12;
        options.size = QSize(1024, 700);
        options.config.pipelines = {true, false, true};
        QVERIFY(m_app.start(options));
        Scenario::key(Qt::Key_2, Qt::ControlModifier | Qt::AltModifier);
        m_board = m_app.find<PipelineBoardView>(QStringLiteral("pipelineBoard"));
        m_chooser = m_app.find<QComboBox>(QStringLiteral("pipelineSelector"));
        QVERIFY(m_board && m_chooser);
        QTRY_VERIFY(m_board->isVisible() && m_chooser->isVisible());
    }

    void everyPipelineNamesTheRepeatedStages()
    {
        QCOMPARE(m_chooser->currentText(), QStringLiteral("All pipelines"));
        QCOMPARE(m_chooser->count(), 3);
        QTRY_COMPARE(m_board->columnCount(), 9);
        QCOMPARE(columnLabels(model()),
            strings({"New Business / Lead", "Qualified", "New Business / Proposal",
                "New Business / Won", "New Business / Lost", "Renewals / Lead",
                "Renewals / Proposal", "Renewals / Won", "Renewals / Lost"}));
        QVERIFY(m_board->columnHeaderText(5).startsWith(QLatin1String("Renewals / Lead")));
        Scenario::shot(m_app.window(), QStringLiteral("board-pipelines-all"));
    }

    void renewalsMoveWithinThenIntoNewBusiness()
    {
        QVERIFY(choosePipeline(kRenewals));
        QTRY_COMPARE(m_board->columnCount(), 4);
        QCOMPARE(columnLabels(model()), strings({"Lead", "Proposal", "Won", "Lost"}));
        // Every card shown is a Renewals deal on the server.
        int cards = 0;
        for (int s = 0; s < model()->stageCount(); ++s) {
            for (int i = 0; i < model()->cardCount(s); ++i) {
                const QString id = model()
                                       ->index(i, 0, model()->index(s, 0))
                                       .data(PipelineBoardModel::IdRole)
                                       .toString();
                QVERIFY(m_app.serverField(id, kStage)
                            .toString()
                            .startsWith(QLatin1String("opt_stage_rn_")));
                ++cards;
            }
        }
        QVERIFY(cards >= 2);
        Scenario::shot(m_app.window(), QStringLiteral("board-pipelines-renewals"));

        // A card of a column with a neighbour on its right.
        int column = -1;
        for (int s = 0; s < 3 && column < 0; ++s) {
            if (model()->cardCount(s) > 0)
                column = s;
        }
        QVERIFY(column >= 0);
        const QString id = model()
                               ->index(0, 0, model()->index(column, 0))
                               .data(PipelineBoardModel::IdRole)
                               .toString();
        QListView *list = m_board->columnView(column);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
            list->visualRect(model()->indexForId(id)).center());
        QTRY_COMPARE(m_board->currentId(), id);
        QTRY_VERIFY2(inside(QApplication::focusWidget(), m_board),
            QApplication::focusWidget() ? QApplication::focusWidget()->metaObject()->className()
                                        : "no focus");

        // Ctrl+Right: the next stage of Renewals; only `$stage` goes to the server.
        const QString next = model()->stageId(column + 1);
        QVERIFY(m_board->moveRightAction()->isEnabled()); // for the card just clicked
        Scenario::key(Qt::Key_Right, Qt::ControlModifier);
        QTRY_COMPARE(m_app.writesTo(id).size(), 1);
        QCOMPARE(m_app.writesTo(id).at(0),
            QJsonObject({{QStringLiteral("fields"), QJsonObject({{kStage, next}})}}));
        QTRY_COMPARE(m_app.serverField(id, kStage).toString(), next);
        QTRY_COMPARE(model()->indexForId(id).parent().row(), column + 1);

        // Enter opens the deal in the form; its stage editor tells the Leads apart.
        Scenario::key(Qt::Key_Return);
        auto *form = m_app.find<DealForm>(QStringLiteral("dealForm"));
        QVERIFY(form);
        QTRY_COMPARE(form->recordId(), id);
        auto *stage = qobject_cast<SingleSelectEditor *>(form->fieldEditor(kStage));
        QVERIFY(stage);
        QVERIFY(!form->fieldEditor(QStringLiteral("$pipeline"))); // a hint, not a field
        QComboBox *combo = stage->comboBox();
        QCOMPARE(combo->itemText(combo->findData(QStringLiteral("opt_stage_rn_lead"))),
            QStringLiteral("Renewals / Lead"));
        QCOMPARE(combo->itemText(combo->findData(QStringLiteral("opt_stage_nb_qualified"))),
            QStringLiteral("Qualified"));
        QCOMPARE(combo->currentData().toString(), next);
        QVERIFY(tabTo(stage));
        // Home: "New Business / Lead", Down: "Qualified"; Ctrl+S saves.
        Scenario::key(Qt::Key_Home);
        Scenario::key(Qt::Key_Down);
        QCOMPARE(combo->currentData().toString(), QStringLiteral("opt_stage_nb_qualified"));
        QCOMPARE(combo->currentText(), QStringLiteral("Qualified"));
        Scenario::key(Qt::Key_S, Qt::ControlModifier);
        QTRY_COMPARE(m_app.writesTo(id).size(), 2);
        QCOMPARE(m_app.writesTo(id).at(1),
            QJsonObject({{QStringLiteral("fields"),
                QJsonObject({{kStage, QStringLiteral("opt_stage_nb_qualified")},
                    {QStringLiteral("$pipeline"), kNewBusiness}})}}));
        QTRY_COMPARE(
            m_app.serverField(id, kStage).toString(), QStringLiteral("opt_stage_nb_qualified"));
        // The server keeps no `$pipeline`, and the Renewals board lets the deal go.
        QVERIFY(!m_app.serverDeal(id)[QStringLiteral("fields")].toObject().contains(
            QStringLiteral("$pipeline")));
        QTRY_VERIFY(!model()->indexForId(id).isValid());

        // New Business shows it under Qualified.
        QVERIFY(choosePipeline(kNewBusiness));
        QTRY_COMPARE(m_board->columnCount(), 5);
        QTRY_VERIFY(model()->indexForId(id).isValid());
        QCOMPARE(model()->stageLabel(model()->indexForId(id).parent().row()),
            QStringLiteral("Qualified"));
        // Nothing was refused on the way.
        for (const QJsonObject &write : m_app.writes())
            QCOMPARE(write.value(QStringLiteral("status")).toInt(), 200);
    }
};

QTEST_MAIN(TestPipelinesScenario)
#include "tst_pipelines.moc"
