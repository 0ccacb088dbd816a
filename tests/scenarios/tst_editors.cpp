// Typed editors in the deal form as a rep uses them: an amount shows its digits grouped in the
// rep's locale, and an amount typed over it with the keyboard is saved exactly as typed.

#include "scenario.h"

#include "editors/compositeeditors.h"
#include "editors/fieldeditor.h"
#include "form/namesearchedit.h"
#include "form/recordpicker.h"

#include <QJsonObject>
#include <QLineEdit>
#include <QLocale>

#include <cmath>

using namespace Scenario;

namespace {

const QString kAmount = QStringLiteral("$amount");
const QString kAccount = QStringLiteral("$account");
const QString kLinkedIn = QStringLiteral("buyerLinkedIn");

} // namespace

class TestEditors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // The grouping is the locale's: pin one so the expected text is known.
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void amountIsGroupedAndSavedAsTyped()
    {
        App app;
        QVERIFY(app.start());

        // A deal of at least 1,000, with cents when the seed has one.
        int row = -1;
        qint64 cents = 0;
        for (int r = 0; r < app.table()->model()->rowCount(); ++r) {
            const QString name = app.cellText(r, QStringLiteral("Name"));
            const QString id = app.dealIdByName(name);
            if (id.isEmpty())
                continue;
            const QJsonValue amount = app.serverField(id, kAmount);
            if (!amount.isDouble() || amount.toDouble() < 1000)
                continue;
            const qint64 c = std::llround(amount.toDouble() * 100);
            if (row < 0 || (cents % 100 == 0 && c % 100 != 0)) {
                row = r;
                cents = c;
            }
        }
        QVERIFY2(row >= 0, "no deal of 1,000 or more in the seed");

        app.clickCell(row);
        const QString id = app.currentId();
        QVERIFY(!id.isEmpty());
        auto *editor = app.find<FieldEditor>(kAmount);
        QVERIFY(editor);
        auto *edit = qobject_cast<QLineEdit *>(editor->focusTarget());
        QVERIFY(edit);
        const QLocale us(QLocale::English, QLocale::UnitedStates);
        QString expected = us.toString(cents / 100);
        if (cents % 100 != 0)
            expected += QStringLiteral(".%1").arg(cents % 100, 2, 10, QLatin1Char('0'));
        QVERIFY(expected.contains(QLatin1Char(',')));
        QTRY_COMPARE(edit->text(), expected);

        // The rep types a new amount over it, with a group separator, and saves.
        QTest::mouseClick(edit, Qt::LeftButton);
        QTRY_COMPARE(App::focus(), edit);
        QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(edit, QStringLiteral("23,456.78"));
        app.press(Qt::Key_S, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(app.serverField(id, kAmount).toDouble(), 23456.78, 20000);
        QVERIFY(app.waitForIdle());
        const QList<QJsonObject> bodies = app.writesTo(id);
        QCOMPARE(bodies.size(), 1);
        const QJsonObject fields = bodies.constFirst().value(QStringLiteral("fields")).toObject();
        QCOMPARE(fields.keys(), QStringList {kAmount});
        QCOMPARE(fields.value(kAmount).toDouble(), 23456.78);
        QCOMPARE(edit->text(), QStringLiteral("23,456.78"));
    }

    // `$account` on an existing deal is editable only where the workspace's definition allows
    // it; a handle typed into a SOCIAL_HANDLE editor is saved as the service's profile URL.
    void accountEditableOnlyWhereAllowed_data()
    {
        QTest::addColumn<bool>("allowed");
        QTest::newRow("allowed") << true;
        QTest::newRow("refused") << false;
    }
    void accountEditableOnlyWhereAllowed()
    {
        QFETCH(bool, allowed);
        App app;
        App::Options options;
        options.opportunities = 12;
        options.config.writeRules.accountOnUpdate = allowed;
        QVERIFY(app.start(options));
        app.clickCell(1);
        const QString id = app.currentId();
        QVERIFY(!id.isEmpty());
        auto *account = app.find<RecordPicker>(kAccount);
        QVERIFY(account);
        QTRY_VERIFY(!account->lineEdit()->text().isEmpty());
        const QString shown = account->lineEdit()->text();
        QCOMPARE(account->isReadOnly(), !allowed);

        // The rep clicks into the account and types: only an editable picker takes it.
        QTest::mouseClick(account->lineEdit(), Qt::LeftButton);
        QTest::keyClick(account->lineEdit(), Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(account->lineEdit(), QStringLiteral("zz"));
        QCOMPARE(account->lineEdit()->text() == shown, !allowed);
        if (allowed)
            QTest::keyClick(account->lineEdit(), Qt::Key_Escape);

        // A handle typed into the LinkedIn field goes out as its profile URL.
        auto *linkedIn = app.find<SocialHandleEditor>(kLinkedIn);
        QVERIFY(linkedIn);
        QTest::mouseClick(linkedIn->lineEdit(), Qt::LeftButton);
        QTRY_COMPARE(App::focus(), linkedIn->lineEdit());
        QTest::keyClick(linkedIn->lineEdit(), Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(linkedIn->lineEdit(), QStringLiteral("@ana-ruiz"));
        QCOMPARE(linkedIn->profileUrlText(), QStringLiteral("https://linkedin.com/in/ana-ruiz"));
        app.press(Qt::Key_S, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(app.serverField(id, kLinkedIn).toString(),
            QStringLiteral("https://linkedin.com/in/ana-ruiz"), 20000);
        QVERIFY(app.waitForIdle());
        const QList<QJsonObject> bodies = app.writesTo(id);
        QCOMPARE(bodies.size(), 1);
        QVERIFY(!bodies.constFirst().contains(QStringLiteral("relationships")));
        QCOMPARE(bodies.constFirst().value(QStringLiteral("fields")).toObject().keys(),
            QStringList {kLinkedIn});
    }
};

QTEST_MAIN(TestEditors)
#include "tst_editors.moc"
