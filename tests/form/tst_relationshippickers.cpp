// The relationship editors of the deal form: folded search over the local
// names, the HAS_ONE picker, HAS_MANY chips and the read-only list. Programmatic setIds() emits
// nothing; one user change emits edited() exactly once.

#include "form/namesearchedit.h"
#include "form/recordchipseditor.h"
#include "form/recordpicker.h"
#include "form/relatedrecordsview.h"
#include "form/relationshipeditor.h"
#include "itemmodels/namelistmodel.h"

#include <QAbstractItemModelTester>
#include <QAbstractItemView>
#include <QCompleter>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QToolButton>
#include <QtTest>

#include <memory>

namespace {

QList<NamedRecord> accounts()
{
    return {
        {QStringLiteral("acc_1"), QStringLiteral("São Paulo Imports")},
        {QStringLiteral("acc_2"), QStringLiteral("Northwind Labs")},
        {QStringLiteral("acc_3"), QStringLiteral("Ærø Shipping")},
        {QStringLiteral("acc_4"), QStringLiteral("north star")},
        {QStringLiteral("acc_5"), QString()},
    };
}

RelationshipDefinition accountDef()
{
    return {QStringLiteral("$account"), Cardinality::HasOne, QStringLiteral("account"),
        QStringLiteral("Account")};
}

RelationshipDefinition contactsDef()
{
    return {QStringLiteral("$champion"), Cardinality::HasMany, QStringLiteral("contact"),
        QStringLiteral("Champion")};
}

QStringList matchIds(const NameSearchEdit &edit)
{
    QStringList ids;
    for (int row = 0; row < edit.matches()->rowCount(); ++row)
        ids.append(edit.matches()->index(row, 0).data(NameListModel::IdRole).toString());
    return ids;
}

} // namespace

class TestRelationshipPickers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void nameModelSortsFoldsAndFindsById()
    {
        NameListModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setRecords(accounts());
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("acc_5")); // no name: the id
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("Ærø Shipping"));
        QCOMPARE(model.index(1, 0).data(NameListModel::FoldedNameRole).toString(),
            QStringLiteral("aero shipping"));
        QCOMPARE(model.nameOf(QStringLiteral("acc_2")), QStringLiteral("Northwind Labs"));
        QCOMPARE(model.displayName(QStringLiteral("acc_404")), QStringLiteral("acc_404"));
        QVERIFY(model.nameOf(QStringLiteral("acc_404")).isNull());
        QCOMPARE(model.index(model.rowOfId(QStringLiteral("acc_4")), 0).data().toString(),
            QStringLiteral("north star"));
    }

    void searchIsCaseAndAccentInsensitive_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("plain") << QStringLiteral("north") // sorted by name: "north star" first
                               << QStringList {QStringLiteral("acc_4"), QStringLiteral("acc_2")};
        QTest::newRow("upper") << QStringLiteral("NORTHWIND")
                               << QStringList {QStringLiteral("acc_2")};
        QTest::newRow("no accents")
            << QStringLiteral("sao paulo") << QStringList {QStringLiteral("acc_1")};
        QTest::newRow("accents typed")
            << QStringLiteral("SÃO") << QStringList {QStringLiteral("acc_1")};
        QTest::newRow("ligature") << QStringLiteral("aero")
                                  << QStringList {QStringLiteral("acc_3")};
        QTest::newRow("inside a word")
            << QStringLiteral("wind") << QStringList {QStringLiteral("acc_2")};
        QTest::newRow("nothing") << QStringLiteral("zeta") << QStringList {};
    }

    void searchIsCaseAndAccentInsensitive()
    {
        QFETCH(QString, typed);
        QFETCH(QStringList, expected);
        NameListModel model;
        model.setRecords(accounts());
        NameSearchEdit edit;
        edit.setNameModel(&model);
        QAbstractItemModelTester tester(
            edit.matches(), QAbstractItemModelTester::FailureReportingMode::Fatal);
        QTest::keyClicks(&edit, typed);
        QCOMPARE(matchIds(edit), expected);
    }

    void pickerSetIdsEmitsNothing()
    {
        NameListModel model;
        model.setRecords(accounts());
        RecordPicker picker(accountDef());
        QSignalSpy edited(&picker, &RelationshipEditor::edited);
        picker.setNameModel(&model);
        picker.setIds({QStringLiteral("acc_2")});
        QCOMPARE(picker.lineEdit()->text(), QStringLiteral("Northwind Labs"));
        QCOMPARE(picker.ids(), QStringList {QStringLiteral("acc_2")});
        picker.setIds({});
        QVERIFY(picker.lineEdit()->text().isEmpty());
        QCOMPARE(edited.count(), 0);
    }

    void pickerChoosingEmitsEditedOnce()
    {
        NameListModel model;
        model.setRecords(accounts());
        RecordPicker picker(accountDef());
        picker.setNameModel(&model);
        picker.setIds({QStringLiteral("acc_2")});
        picker.show();
        QVERIFY(QTest::qWaitForWindowExposed(&picker));
        QSignalSpy edited(&picker, &RelationshipEditor::edited);

        picker.lineEdit()->selectAll();
        QTest::keyClicks(picker.lineEdit(), QStringLiteral("sao"));
        QCOMPARE(edited.count(), 0); // typing alone changes nothing
        QVERIFY(!picker.isAcceptable()); // "sao" names no record yet
        QTest::keyClick(picker.lineEdit(), Qt::Key_Return);
        QCOMPARE(edited.count(), 1);
        QCOMPARE(picker.ids(), QStringList {QStringLiteral("acc_1")});
        QCOMPARE(picker.lineEdit()->text(), QStringLiteral("São Paulo Imports"));
        QVERIFY(picker.isAcceptable());

        // Picking the same record again is no change.
        picker.lineEdit()->selectAll();
        QTest::keyClicks(picker.lineEdit(), QStringLiteral("paulo"));
        QTest::keyClick(picker.lineEdit(), Qt::Key_Return);
        QCOMPARE(edited.count(), 1);
    }

    void destroyingAFocusedPickerWithUnfinishedTextReachesNoHandler()
    {
        // The search field reports finishing its edit when it loses focus while the picker is
        // destroyed; the picker's handler must no longer be connected by then. The sanitizer leg
        // of scripts/test (UBSan's vptr check) fails here when it is; in the plain leg the
        // checks below prove the setup reaches that path.
        NameListModel model;
        model.setRecords(accounts());
        auto picker = std::make_unique<RecordPicker>(accountDef());
        picker->setNameModel(&model);
        picker->setIds({QStringLiteral("acc_2")});
        picker->show();
        QVERIFY(QTest::qWaitForWindowExposed(picker.get()));
        picker->activateWindow();
        picker->lineEdit()->setFocus();
        QTRY_VERIFY(picker->lineEdit()->hasFocus());
        picker->lineEdit()->selectAll();
        QTest::keyClicks(picker->lineEdit(), QStringLiteral("no such account"));
        QVERIFY(!picker->isAcceptable());

        QPointer<QLineEdit> edit = picker->lineEdit();
        QSignalSpy finished(edit.data(), &QLineEdit::editingFinished);
        picker.reset();
        QVERIFY(edit.isNull());
        QCOMPARE(finished.count(), 1); // the field did report it, to nobody
    }

    void pickerPopupActivationChooses()
    {
        NameListModel model;
        model.setRecords(accounts());
        RecordPicker picker(accountDef());
        picker.setNameModel(&model);
        picker.show();
        QVERIFY(QTest::qWaitForWindowExposed(&picker));
        QSignalSpy edited(&picker, &RelationshipEditor::edited);
        QTest::keyClicks(picker.lineEdit(), QStringLiteral("north"));
        QCompleter *completer = picker.lineEdit()->popupCompleter();
        QVERIFY(completer->popup()->isVisible());
        QCOMPARE(completer->completionCount(), 2);
        // The second match, as a click in the popup picks it: QCompleter names the row of its
        // own completion model.
        Q_EMIT completer->activated(completer->completionModel()->index(1, 0));
        QCOMPARE(edited.count(), 1);
        QCOMPARE(picker.ids(), QStringList {QStringLiteral("acc_2")});
        QCOMPARE(picker.lineEdit()->text(), QStringLiteral("Northwind Labs"));
        QVERIFY(!completer->popup()->isVisible());
    }

    void pickerKeyboardPicksTheHighlightedRow()
    {
        NameListModel model;
        model.setRecords(accounts());
        RecordPicker picker(accountDef());
        picker.setNameModel(&model);
        picker.show();
        QVERIFY(QTest::qWaitForWindowExposed(&picker));
        QSignalSpy edited(&picker, &RelationshipEditor::edited);
        QSignalSpy chosen(picker.lineEdit(), &NameSearchEdit::chosen);
        QTest::keyClicks(picker.lineEdit(), QStringLiteral("north"));
        QAbstractItemView *popup = picker.lineEdit()->popupCompleter()->popup();
        QVERIFY(popup->isVisible());
        QVERIFY(!popup->currentIndex().isValid()); // nothing highlighted before Down
        // Keys go to the popup while it is open, as the window system delivers them.
        QTest::keyClick(popup, Qt::Key_Down);
        QTest::keyClick(popup, Qt::Key_Down);
        QCOMPARE(popup->currentIndex().data().toString(), QStringLiteral("Northwind Labs"));
        QTest::keyClick(popup, Qt::Key_Return);
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.first().first().toString(), QStringLiteral("acc_2"));
        QCOMPARE(edited.count(), 1);
        QCOMPARE(picker.ids(), QStringList {QStringLiteral("acc_2")});
        QCOMPARE(picker.lineEdit()->text(), QStringLiteral("Northwind Labs"));
        QVERIFY(!popup->isVisible());
    }

    void pickerClearingRemovesOnce()
    {
        NameListModel model;
        model.setRecords(accounts());
        RecordPicker picker(accountDef());
        picker.setNameModel(&model);
        picker.setIds({QStringLiteral("acc_3")});
        QSignalSpy edited(&picker, &RelationshipEditor::edited);
        picker.lineEdit()->selectAll();
        QTest::keyClick(picker.lineEdit(), Qt::Key_Backspace);
        QCOMPARE(edited.count(), 1);
        QVERIFY(picker.ids().isEmpty());
    }

    void pickerRestoresNameWhenLeftUnresolved()
    {
        NameListModel model;
        model.setRecords(accounts());
        RecordPicker picker(accountDef());
        picker.setNameModel(&model);
        picker.setIds({QStringLiteral("acc_2")});
        QSignalSpy edited(&picker, &RelationshipEditor::edited);
        picker.lineEdit()->selectAll();
        QTest::keyClicks(picker.lineEdit(), QStringLiteral("zzz"));
        QVERIFY(!picker.isAcceptable());
        QVERIFY(picker.validationError().contains(QStringLiteral("Account")));
        Q_EMIT picker.lineEdit()->editingFinished();
        QCOMPARE(picker.lineEdit()->text(), QStringLiteral("Northwind Labs"));
        QVERIFY(picker.isAcceptable());
        QCOMPARE(edited.count(), 0);
        QCOMPARE(picker.ids(), QStringList {QStringLiteral("acc_2")});
    }

    void pickerShowsUnknownIdsAndUpdatesNames()
    {
        NameListModel model;
        RecordPicker picker(accountDef());
        picker.setNameModel(&model);
        picker.setIds({QStringLiteral("acc_2")});
        QCOMPARE(picker.lineEdit()->text(), QStringLiteral("acc_2"));
        model.setRecords(accounts());
        picker.setNameModel(&model);
        QCOMPARE(picker.lineEdit()->text(), QStringLiteral("Northwind Labs"));
    }

    void chipsSetIdsEmitsNothing()
    {
        NameListModel model;
        model.setRecords(accounts());
        RecordChipsEditor chips(contactsDef());
        QSignalSpy edited(&chips, &RelationshipEditor::edited);
        chips.setNameModel(&model);
        chips.setIds({QStringLiteral("acc_1"), QStringLiteral("acc_2"), QStringLiteral("acc_1")});
        QCOMPARE(chips.ids(), (QStringList {QStringLiteral("acc_1"), QStringLiteral("acc_2")}));
        QVERIFY(chips.findChild<QToolButton *>(QStringLiteral("remove:acc_2")));
        QCOMPARE(edited.count(), 0);
    }

    void chipsAddAndRemoveEmitOncePerChange()
    {
        NameListModel model;
        model.setRecords(accounts());
        RecordChipsEditor chips(contactsDef());
        chips.setNameModel(&model);
        chips.setIds({QStringLiteral("acc_1")});
        chips.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chips));
        QSignalSpy edited(&chips, &RelationshipEditor::edited);

        // Already chosen records are not offered again.
        QTest::keyClicks(chips.addEdit(), QStringLiteral("s"));
        QVERIFY(!matchIds(*chips.addEdit()).contains(QStringLiteral("acc_1")));
        chips.addEdit()->clear();

        QTest::keyClicks(chips.addEdit(), QStringLiteral("NORTHW"));
        QTest::keyClick(chips.addEdit(), Qt::Key_Enter);
        QCOMPARE(edited.count(), 1);
        QCOMPARE(chips.ids(), (QStringList {QStringLiteral("acc_1"), QStringLiteral("acc_2")}));
        QVERIFY(chips.addEdit()->text().isEmpty());
        QTRY_VERIFY(chips.findChild<QToolButton *>(QStringLiteral("remove:acc_2")));

        auto *remove = chips.findChild<QToolButton *>(QStringLiteral("remove:acc_1"));
        QVERIFY(remove);
        QCOMPARE(remove->accessibleName(), QStringLiteral("Remove São Paulo Imports"));
        QTest::mouseClick(remove, Qt::LeftButton);
        QCOMPARE(edited.count(), 2);
        QCOMPARE(chips.ids(), QStringList {QStringLiteral("acc_2")});
        QTRY_VERIFY(!chips.findChild<QToolButton *>(QStringLiteral("remove:acc_1")));
    }

    void readOnlyChipsOfferNothing()
    {
        RecordChipsEditor chips(contactsDef());
        chips.setIds({QStringLiteral("con_1")});
        chips.setReadOnly(true);
        QTRY_VERIFY(!chips.findChild<QToolButton *>(QStringLiteral("remove:con_1")));
        QVERIFY(chips.addEdit()->isHidden());
        QSignalSpy edited(&chips, &RelationshipEditor::edited);
        chips.removeByUser(QStringLiteral("con_1"));
        QCOMPARE(edited.count(), 0);
        QCOMPARE(chips.ids(), QStringList {QStringLiteral("con_1")});
    }

    void readOnlyListShowsNamesOrCount()
    {
        NameListModel tasks;
        tasks.setRecords({{QStringLiteral("tsk_1"), QStringLiteral("Call back")},
            {QStringLiteral("tsk_2"), QStringLiteral("Send quote")}});
        RelationshipDefinition def(QStringLiteral("$task"), Cardinality::HasMany,
            QStringLiteral("task"), QStringLiteral("Tasks"));
        def.setReadOnly(true);
        RelationshipEditor *editor = RelationshipEditor::create(def, &tasks);
        std::unique_ptr<RelationshipEditor> owner(editor);
        auto *view = qobject_cast<RelatedRecordsView *>(editor);
        QVERIFY(view);
        QSignalSpy edited(view, &RelationshipEditor::edited);
        view->setIds({QStringLiteral("tsk_1"), QStringLiteral("tsk_2")});
        QCOMPARE(view->text(), QStringLiteral("Call back, Send quote"));
        view->setIds({QStringLiteral("tsk_1"), QStringLiteral("tsk_9"), QStringLiteral("tsk_8")});
        QCOMPARE(view->text(), QStringLiteral("3 linked"));
        view->setIds({});
        QCOMPARE(view->text(), QStringLiteral("None"));
        QCOMPARE(edited.count(), 0);
    }

    void factoryPicksByCardinality()
    {
        std::unique_ptr<RelationshipEditor> one(RelationshipEditor::create(accountDef(), nullptr));
        QVERIFY(qobject_cast<RecordPicker *>(one.get()));
        QCOMPARE(one->objectName(), QStringLiteral("$account"));
        std::unique_ptr<RelationshipEditor> many(
            RelationshipEditor::create(contactsDef(), nullptr));
        QVERIFY(qobject_cast<RecordChipsEditor *>(many.get()));
    }
};

QTEST_MAIN(TestRelationshipPickers)
#include "tst_relationshippickers.moc"
