// The deal form's relationship pickers, driven with the keyboard and the mouse: what the popup
// highlights is what the form shows and what Save sends, and the popup's keys behave as in any
// completer popup.

#include "scenario.h"

#include "form/dealform.h"
#include "form/namesearchedit.h"
#include "form/recordpicker.h"
#include "itemmodels/namedirectory.h"
#include "itemmodels/namelistmodel.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QLineEdit>
#include <QtTest>

using Scenario::App;
using Scenario::waitFor;

namespace {

const QString kAccountKey = QStringLiteral("$account");
const QString kOwnerKey = QStringLiteral("$owner");

/** The relationship `key` of a write body, as the update sends it ({"replace": id}). */
QString replacedId(const QJsonObject &body, const QString &key)
{
    const QJsonValue op = body.value(QStringLiteral("relationships")).toObject().value(key);
    const QJsonValue replace = op.toObject().value(QStringLiteral("replace"));
    return replace.isArray() ? replace.toArray().first().toString() : replace.toString();
}

/** The related id `key` of a server record (read shape). */
QString relatedId(const QJsonObject &record, const QString &key)
{
    return record.value(QStringLiteral("relationships"))
        .toObject()
        .value(key)
        .toObject()
        .value(QStringLiteral("values"))
        .toArray()
        .first()
        .toString();
}

} // namespace

class TestPickers : public QObject
{
    Q_OBJECT

private:
    App m_app;

    RecordPicker *picker(const QString &key) const
    {
        DealForm *form = m_app.find<DealForm>(QStringLiteral("dealForm"));
        return form ? form->findChild<RecordPicker *>(key) : nullptr;
    }

    /** Opens the deal in view row `row` by clicking it; returns its id. */
    QString openRow(int row)
    {
        m_app.clickCell(row, 0);
        const QString name = m_app.cellText(row, QStringLiteral("Name"));
        const QString id = m_app.dealIdByName(name);
        DealForm *form = m_app.find<DealForm>(QStringLiteral("dealForm"));
        if (!form || !waitFor([form, id] { return form->recordId() == id; }, 5000))
            return QString();
        return id;
    }

    /** A deal whose account and owner are neither `accountId` nor `ownerId`. */
    int rowWithout(const QString &accountId, const QString &ownerId) const
    {
        for (int row = 0; row < m_app.table()->model()->rowCount(); ++row) {
            const QJsonObject deal
                = m_app.serverDeal(m_app.dealIdByName(m_app.cellText(row, QStringLiteral("Name"))));
            if (relatedId(deal, kAccountKey) != accountId && relatedId(deal, kOwnerKey) != ownerId)
                return row;
        }
        return -1;
    }

    /** Clicks into the picker's search and replaces its text with `search`, as typed. */
    void search(RecordPicker *p, const QString &text)
    {
        QLineEdit *edit = p->lineEdit();
        QTest::mouseClick(edit, Qt::LeftButton, {}, edit->rect().center());
        QTRY_VERIFY(edit->hasFocus());
        QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(edit, text);
        QTRY_VERIFY(p->lineEdit()->popupCompleter()->popup()->isVisible());
    }

    QAbstractItemView *popupOf(RecordPicker *p) const
    {
        return p->lineEdit()->popupCompleter()->popup();
    }

    void saveWithCtrlS() { Scenario::key(Qt::Key_S, Qt::ControlModifier); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_app.start()); }

    void keyboardPickWritesTheHighlightedAccount()
    {
        const QString cobalt
            = m_app.idOfName(QStringLiteral("account"), QStringLiteral("Cobalt Security"));
        const QString priya
            = m_app.idOfName(QStringLiteral("member"), QStringLiteral("Priya Patel"));
        QVERIFY(!cobalt.isEmpty());
        QVERIFY(!priya.isEmpty());
        const int row = rowWithout(cobalt, priya);
        QVERIFY(row >= 0);
        const QString dealId = openRow(row);
        QVERIFY(!dealId.isEmpty());
        const qsizetype before = m_app.writesTo(dealId).size();

        RecordPicker *account = picker(kAccountKey);
        QVERIFY(account);
        search(account, QStringLiteral("cob"));
        QAbstractItemView *popup = popupOf(account);
        QCOMPARE(popup->model()->rowCount(), 1);
        QCOMPARE(popup->model()->index(0, 0).data().toString(), QStringLiteral("Cobalt Security"));
        // Nothing highlighted yet; Down highlights the first match.
        QVERIFY(!popup->currentIndex().isValid());
        Scenario::key(Qt::Key_Down);
        QCOMPARE(popup->currentIndex().data().toString(), QStringLiteral("Cobalt Security"));
        Scenario::key(Qt::Key_Return);
        QTRY_VERIFY(!popup->isVisible());
        QCOMPARE(account->lineEdit()->text(), QStringLiteral("Cobalt Security"));
        QCOMPARE(account->currentId(), cobalt);

        RecordPicker *owner = picker(kOwnerKey);
        QVERIFY(owner);
        search(owner, QStringLiteral("pri"));
        QCOMPARE(
            popupOf(owner)->model()->index(0, 0).data().toString(), QStringLiteral("Priya Patel"));
        Scenario::key(Qt::Key_Down);
        Scenario::key(Qt::Key_Enter);
        QTRY_VERIFY(!popupOf(owner)->isVisible());
        QCOMPARE(owner->lineEdit()->text(), QStringLiteral("Priya Patel"));
        QCOMPARE(owner->currentId(), priya);

        saveWithCtrlS();
        QVERIFY(waitFor([&] { return m_app.writesTo(dealId).size() == before + 1; }));
        QVERIFY(m_app.waitForIdle());
        const QList<QJsonObject> bodies = m_app.writesTo(dealId);
        QCOMPARE(bodies.size(), before + 1);
        QCOMPARE(replacedId(bodies.last(), kAccountKey), cobalt);
        QCOMPARE(replacedId(bodies.last(), kOwnerKey), priya);
        QCOMPARE(relatedId(m_app.serverDeal(dealId), kAccountKey), cobalt);
        QCOMPARE(relatedId(m_app.serverDeal(dealId), kOwnerKey), priya);
        QCOMPARE(account->lineEdit()->text(), QStringLiteral("Cobalt Security"));
        QCOMPARE(owner->lineEdit()->text(), QStringLiteral("Priya Patel"));
    }

    void popupKeysBehaveAsInACompleter()
    {
        const int row = rowWithout({}, {});
        QVERIFY(!openRow(row + 1).isEmpty());
        RecordPicker *account = picker(kAccountKey);
        QVERIFY(account);
        const QString shown = account->lineEdit()->text();
        // "a" matches many accounts: enough to page.
        search(account, QStringLiteral("a"));
        QAbstractItemView *popup = popupOf(account);
        const int count = popup->model()->rowCount();
        QVERIFY(count > 3);

        Scenario::key(Qt::Key_Down);
        QCOMPARE(popup->currentIndex().row(), 0);
        Scenario::key(Qt::Key_Down);
        QCOMPARE(popup->currentIndex().row(), 1);
        Scenario::key(Qt::Key_Up);
        QCOMPARE(popup->currentIndex().row(), 0);
        Scenario::key(Qt::Key_PageDown);
        QVERIFY(popup->currentIndex().row() > 1);
        // The typed text stays while moving through the list.
        QCOMPARE(account->lineEdit()->text(), QStringLiteral("a"));

        // Escape closes the popup and picks nothing; leaving puts the current name back.
        Scenario::key(Qt::Key_Escape);
        QTRY_VERIFY(!popup->isVisible());
        QCOMPARE(account->currentId(),
            relatedId(
                m_app.serverDeal(m_app.find<DealForm>(QStringLiteral("dealForm"))->recordId()),
                kAccountKey));

        // Tab on a highlighted row picks it and moves on, like Enter.
        QTest::keyClick(account->lineEdit(), Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(account->lineEdit(), QStringLiteral("a"));
        QTRY_VERIFY(popup->isVisible());
        Scenario::key(Qt::Key_Down);
        Scenario::key(Qt::Key_Down);
        Scenario::key(Qt::Key_Down);
        const QString third = popup->currentIndex().data().toString();
        Scenario::key(Qt::Key_Tab);
        QTRY_VERIFY(!popup->isVisible());
        QCOMPARE(account->lineEdit()->text(), third);
        QVERIFY(!account->lineEdit()->hasFocus());
        QVERIFY(third != shown);

        // Up on a fresh popup highlights the last match.
        search(account, QStringLiteral("a"));
        Scenario::key(Qt::Key_Up);
        QCOMPARE(popup->currentIndex().row(), popup->model()->rowCount() - 1);
        Scenario::key(Qt::Key_Escape);
        QTRY_VERIFY(!popup->isVisible());

        // Revert leaves the deal as it was.
        QTest::mouseClick(m_app.find<QWidget>(QStringLiteral("revert")), Qt::LeftButton);
        QTRY_COMPARE(account->lineEdit()->text(), shown);
    }

    void mouseClickOnAPopupRowPicksIt()
    {
        // "c" matches several accounts; the click goes to one well below the first row.
        const QString target = QStringLiteral("Granite Logistics");
        const QString targetId = m_app.idOfName(QStringLiteral("account"), target);
        const QString dealId = openRow(rowWithout(targetId, {}));
        QVERIFY(!dealId.isEmpty());
        const qsizetype before = m_app.writesTo(dealId).size();
        RecordPicker *account = picker(kAccountKey);
        search(account, QStringLiteral("c"));
        QAbstractItemView *popup = popupOf(account);
        int targetRow = -1;
        for (int r = 0; r < popup->model()->rowCount(); ++r) {
            if (popup->model()->index(r, 0).data().toString() == target)
                targetRow = r;
        }
        QVERIFY2(targetRow > 1, qPrintable(QString::number(targetRow)));
        const QModelIndex index = popup->model()->index(targetRow, 0);
        popup->scrollTo(index);
        QTest::mouseClick(popup->viewport(), Qt::LeftButton, {}, popup->visualRect(index).center());
        QTRY_VERIFY(!popup->isVisible());
        QCOMPARE(account->lineEdit()->text(), target);
        QCOMPARE(account->currentId(), targetId);
        saveWithCtrlS();
        QVERIFY(waitFor([&] { return m_app.writesTo(dealId).size() == before + 1; }));
        QVERIFY(m_app.waitForIdle());
        QCOMPARE(m_app.writesTo(dealId).size(), before + 1);
        QCOMPARE(replacedId(m_app.writesTo(dealId).last(), kAccountKey), targetId);
        QCOMPARE(relatedId(m_app.serverDeal(dealId), kAccountKey), targetId);
    }
};

QTEST_MAIN(TestPickers)
#include "tst_pickers.moc"
