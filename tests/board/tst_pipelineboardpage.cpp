// The Board page: the pipeline selector is there only for a schema with pipelines, lists them
// after "All pipelines", filters the board by the one chosen, keeps it across a definitions
// refresh that still has it, and goes back to every pipeline when it is gone.

#include "board/pipelineboardpage.h"
#include "board/pipelineboardview.h"
#include "domain/fielddefinition.h"
#include "domain/objectschema.h"
#include "itemmodels/pipelineboardmodel.h"

#include <QComboBox>
#include <QTest>

namespace {

ObjectSchema schemaWithPipelines(const QList<SelectOption> &pipelines)
{
    ObjectSchema schema;
    schema.addField(
        FieldDefinition(QStringLiteral("$name"), FieldType::Text, QStringLiteral("Name")));
    FieldDefinition pipeline(
        QStringLiteral("$pipeline"), FieldType::SingleSelect, QStringLiteral("Pipeline"));
    pipeline.setOptions(pipelines);
    schema.addField(pipeline);
    return schema;
}

const SelectOption kNew {QStringLiteral("pd_new"), QStringLiteral("New business"), {}, {}};
const SelectOption kRenew {QStringLiteral("pd_renew"), QStringLiteral("Renewals"), {}, {}};

} // namespace

class TestPipelineBoardPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theSelectorFollowsTheSchemasPipelines()
    {
        PipelineBoardModel model;
        PipelineBoardPage page(model);
        page.show();
        auto *selector = page.findChild<QComboBox *>(QStringLiteral("pipelineSelector"));
        QVERIFY(selector);
        QCOMPARE(
            page.board(), page.findChild<PipelineBoardView *>(QStringLiteral("pipelineBoard")));
        QCOMPARE(page.focusProxy(), page.board());
        QVERIFY(!selector->isVisible()); // no schema yet: no pipelines

        page.setSchema(schemaWithPipelines({kNew, kRenew}));
        QVERIFY(selector->isVisible());
        QCOMPARE(selector->count(), 3);
        QCOMPARE(selector->itemText(0), QStringLiteral("All pipelines"));
        QCOMPARE(selector->itemText(2), QStringLiteral("Renewals"));
        QCOMPARE(selector->currentIndex(), 0);

        // The rep picks Renewals with the keyboard: the board shows that pipeline.
        selector->setFocus();
        QTest::keyClick(selector, Qt::Key_Down);
        QTest::keyClick(selector, Qt::Key_Down);
        QCOMPARE(model.pipeline(), QStringLiteral("pd_renew"));

        // A definitions refresh that keeps it keeps it chosen.
        page.setSchema(schemaWithPipelines({kRenew, kNew}));
        QCOMPARE(selector->currentText(), QStringLiteral("Renewals"));
        QCOMPARE(model.pipeline(), QStringLiteral("pd_renew"));

        // Once it is gone, every pipeline shows again.
        page.setSchema(schemaWithPipelines({kNew}));
        QCOMPARE(selector->currentIndex(), 0);
        QVERIFY(model.pipeline().isEmpty());

        // A schema without pipelines hides the selector.
        ObjectSchema plain;
        plain.addField(
            FieldDefinition(QStringLiteral("$name"), FieldType::Text, QStringLiteral("Name")));
        page.setSchema(plain);
        QVERIFY(!selector->isVisible());
    }
};

QTEST_MAIN(TestPipelineBoardPage)
#include "tst_pipelineboardpage.moc"
