// Deal ▸ New Deal… done from the keyboard only: Ctrl+N, the name typed, the stage chosen with the
// arrow keys, account and owner picked from their popups with Down and Enter, Enter to create.
// The sandbox receives exactly one create naming those records.

#include "scenario.h"

#include "editors/fieldeditor.h"
#include "editors/selecteditors.h"
#include "form/namesearchedit.h"
#include "form/newdealdialog.h"
#include "form/recordpicker.h"
#include "itemmodels/namelistmodel.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QCompleter>
#include <QLineEdit>
#include <QPushButton>
#include <QtTest>

using Scenario::App;
using Scenario::waitFor;

namespace {

bool isInside(const QWidget *widget, const QWidget *container)
{
    return widget && container && (widget == container || container->isAncestorOf(widget));
}

/** The create requests the sandbox received for deals. */
QList<QJsonObject> dealCreates(const App &app)
{
    QList<QJsonObject> creates;
    const QList<QJsonObject> writes = app.writes();
    for (const QJsonObject &write : writes) {
        if (write.value(QStringLiteral("method")).toString() == QStringLiteral("POST")
            && write.value(QStringLiteral("path"))
                   .toString()
                   .endsWith(QStringLiteral("/opportunities")))
            creates << write.value(QStringLiteral("body")).toObject();
    }
    return creates;
}

/** A create body's relationship `key` (one id, or the first of an array). */
QString relationshipId(const QJsonObject &body, const QString &key)
{
    const QJsonValue value = body.value(QStringLiteral("relationships")).toObject().value(key);
    return value.isArray() ? value.toArray().first().toString() : value.toString();
}

} // namespace

class TestNewDeal : public QObject
{
    Q_OBJECT

private:
    App m_app;

    /** Tabs forward until the focus is inside `target` (at most 40 presses). */
    static bool tabTo(const QWidget *target)
    {
        for (int i = 0; i < 40; ++i) {
            if (isInside(QApplication::focusWidget(), target))
                return true;
            Scenario::key(Qt::Key_Tab);
        }
        return isInside(QApplication::focusWidget(), target);
    }

    /** Types `text` into the focused picker, then Down and Enter in its popup. */
    static void pickFirstMatch(RecordPicker *picker, const QString &text)
    {
        QVERIFY(tabTo(picker));
        QTest::keyClicks(QApplication::focusWidget(), text);
        QAbstractItemView *popup = picker->lineEdit()->popupCompleter()->popup();
        QTRY_VERIFY(popup->isVisible());
        Scenario::key(Qt::Key_Down);
        QVERIFY(popup->currentIndex().isValid());
        Scenario::key(Qt::Key_Return);
        QTRY_VERIFY(!popup->isVisible());
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_app.start()); }

    void createsOneDealFromTheKeyboard()
    {
        const QString cobalt
            = m_app.idOfName(QStringLiteral("account"), QStringLiteral("Cobalt Security"));
        const QString priya
            = m_app.idOfName(QStringLiteral("member"), QStringLiteral("Priya Patel"));
        QVERIFY(!cobalt.isEmpty());
        QVERIFY(!priya.isEmpty());
        const qsizetype createsBefore = dealCreates(m_app).size();

        Scenario::key(Qt::Key_N, Qt::ControlModifier);
        NewDealDialog *dialog = nullptr;
        QVERIFY(waitFor([&] {
            dialog = m_app.find<NewDealDialog>(QStringLiteral("newDealDialog"));
            return dialog && dialog->isVisible();
        }));
        QVERIFY(!dialog->saveButton()->isEnabled());

        // The first field has the focus: the name.
        FieldEditor *name = dialog->fieldEditor(QStringLiteral("$name"));
        QVERIFY(name);
        QTRY_VERIFY(isInside(QApplication::focusWidget(), name));
        const QString dealName = QStringLiteral("Cobalt Security keyboard expansion");
        QTest::keyClicks(QApplication::focusWidget(), dealName);

        // The stage: a required select, so no "None" to land on; Down picks the first stage,
        // Down again the second.
        auto *stage
            = qobject_cast<SingleSelectEditor *>(dialog->fieldEditor(QStringLiteral("$stage")));
        QVERIFY(stage);
        QVERIFY(tabTo(stage));
        QCOMPARE(stage->comboBox()->findText(QStringLiteral("None")), -1);
        QCOMPARE(stage->comboBox()->currentIndex(), -1);
        Scenario::key(Qt::Key_Down);
        Scenario::key(Qt::Key_Down);
        QCOMPARE(stage->comboBox()->currentIndex(), 1);
        const QString stageId = stage->comboBox()->currentData().toString();
        QVERIFY(stageId.startsWith(QStringLiteral("opt_")));

        auto *account
            = qobject_cast<RecordPicker *>(dialog->relationshipEditor(QStringLiteral("$account")));
        QVERIFY(account);
        pickFirstMatch(account, QStringLiteral("cob"));
        QCOMPARE(account->lineEdit()->text(), QStringLiteral("Cobalt Security"));

        auto *owner
            = qobject_cast<RecordPicker *>(dialog->relationshipEditor(QStringLiteral("$owner")));
        QVERIFY(owner);
        pickFirstMatch(owner, QStringLiteral("pri"));
        QCOMPARE(owner->lineEdit()->text(), QStringLiteral("Priya Patel"));

        QVERIFY2(dialog->saveButton()->isEnabled(), qPrintable(dialog->statusText()));
        // Enter in the (closed) picker is the dialog's default button.
        Scenario::key(Qt::Key_Return);
        QTRY_VERIFY(!m_app.find<NewDealDialog>(QStringLiteral("newDealDialog"))
            || !m_app.find<NewDealDialog>(QStringLiteral("newDealDialog"))->isVisible());

        QVERIFY(waitFor([&] { return dealCreates(m_app).size() == createsBefore + 1; }));
        QVERIFY(m_app.waitForIdle());
        const QList<QJsonObject> creates = dealCreates(m_app);
        QCOMPARE(creates.size(), createsBefore + 1);
        const QJsonObject body = creates.last();
        const QJsonObject fields = body.value(QStringLiteral("fields")).toObject();
        QCOMPARE(fields.value(QStringLiteral("$name")).toString(), dealName);
        QCOMPARE(fields.value(QStringLiteral("$stage")).toString(), stageId);
        QCOMPARE(relationshipId(body, QStringLiteral("$account")), cobalt);
        QCOMPARE(relationshipId(body, QStringLiteral("$owner")), priya);

        // The window shows the new deal, current in the table.
        QVERIFY(!m_app.dealIdByName(dealName).isEmpty());
        QTRY_VERIFY(m_app.rowOfName(dealName) >= 0);
        QTRY_COMPARE(m_app.currentName(), dealName);
        // …selected (one row), with the server's id by now, and in the pane.
        QCOMPARE(m_app.selectedRows(), QList<int> {m_app.rowOfName(dealName)});
        QTRY_COMPARE(m_app.currentId(), m_app.dealIdByName(dealName));
        auto *form = m_app.find<QWidget>(QStringLiteral("dealForm"));
        QVERIFY(form && form->isVisible());
        QCOMPARE(form->findChild<QLabel *>(QStringLiteral("title"))->text(), dealName);
    }
};

QTEST_MAIN(TestNewDeal)
#include "tst_newdeal.moc"
