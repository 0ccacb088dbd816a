// BulkEditDialog: the field list, the field's own editor, Apply through
// BulkEdit, then progress and the failure list — against the in-process sandbox.

#include "board/bulkeditdialog.h"
#include "edit/recordeditservice.h"
#include "editors/fieldeditor.h"

#include "synctesthelpers.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QTreeWidget>

using namespace SyncTest;

class TestBulkEditDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void appliesTheEditorsValueAndShowsProgressAndFailures();
};

void TestBulkEditDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestBulkEditDialog::appliesTheEditorsValueAndShowsProgressAndFailures()
{
    Harness h;
    QVERIFY(h.startServer({}, 12));
    QVERIFY(h.open());
    QVERIFY(h.pullOnce());
    const ObjectSchema schema
        = ObjectSchema::fromDefinitionsJson(parseObject(h.store->definitions(kDeal)->json));
    const QString nowhere = QStringLiteral("opp_nowhere000000000000000");
    const QStringList ids = h.dealIds().mid(0, 5) << nowhere;
    RecordEditService service(*h.store, *h.outbox);
    BulkEditDialog dialog(
        schema, ids, service, h.engine.get(), {{nowhere, QStringLiteral("Vanished deal")}});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));

    auto *fieldBox = dialog.findChild<QComboBox *>(QStringLiteral("bulkField"));
    auto *apply = dialog.findChild<QPushButton *>(QStringLiteral("bulkApply"));
    auto *status = dialog.findChild<QLabel *>(QStringLiteral("bulkStatus"));
    auto *progress = dialog.findChild<QProgressBar *>(QStringLiteral("bulkProgress"));
    auto *failures = dialog.findChild<QTreeWidget *>(QStringLiteral("bulkFailures"));
    QVERIFY(fieldBox && apply && status && progress && failures);
    QCOMPARE(fieldBox->findData(QStringLiteral("$name")), -1);
    QCOMPARE(fieldBox->findData(QStringLiteral("$opportunityStatus")), -1);

    // The chosen field's own editor; the rep types a value.
    QVERIFY(dialog.setCurrentField(QStringLiteral("probability")));
    QVERIFY(dialog.editor());
    QCOMPARE(dialog.editor()->definition().key(), QStringLiteral("probability"));
    auto *line = dialog.editor()->findChild<QLineEdit *>();
    QVERIFY(line);
    line->setFocus();
    QTest::keyClicks(line, QStringLiteral("42"));
    QTRY_VERIFY(dialog.editor()->value() == FieldValue::fromNumber(42));
    QVERIFY(apply->isEnabled());

    QSignalSpy finished(&dialog.bulkEdit(), &BulkEdit::finished);
    QTest::mouseClick(apply, Qt::LeftButton);
    QVERIFY(!apply->isEnabled());
    QVERIFY(!fieldBox->isEnabled());
    QCOMPARE(dialog.bulkEdit().queued(), 5);
    // The deal missing from the local copy is listed at once, by name.
    QCOMPARE(failures->topLevelItemCount(), 1);
    QCOMPARE(failures->topLevelItem(0)->text(0), QStringLiteral("Vanished deal"));
    QVERIFY(!failures->topLevelItem(0)->text(1).isEmpty());
    QVERIFY(status->text().contains(QStringLiteral("5 of 6 queued")));

    QVERIFY(finished.wait(30000));
    QCOMPARE(progress->value(), 6);
    QCOMPARE(progress->maximum(), 6);
    QVERIFY2(status->text().contains(QStringLiteral("5 confirmed")), qPrintable(status->text()));
    for (const QString &id : ids.mid(0, 5)) {
        QCOMPARE(h.serverRecord(id)
                     .value(QStringLiteral("fields"))
                     .toObject()
                     .value(QStringLiteral("probability"))
                     .toObject()
                     .value(QStringLiteral("value")),
            QJsonValue(42));
    }
}

QTEST_MAIN(TestBulkEditDialog)
#include "tst_bulkeditdialog.moc"
