// A day offline: the rep switches to Work Offline from the keyboard, edits three deals in three
// ways (the form, a cell in place, a stage move), quits and starts the app again, while a
// colleague changes one of the same deals on the server. Back online, each edit reaches the
// server exactly once, the colleague's change is kept, and the window shows nothing pending.

#include "scenario.h"

#include "form/dealform.h"

#include <QAction>

using namespace Scenario;

namespace {
const QString kName = QStringLiteral("$name");
const QString kStage = QStringLiteral("$stage");
const QString kAmount = QStringLiteral("$amount");
} // namespace

class TestOfflineDay : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<App> m_app;

    QAction *workOffline() const
    {
        return m_app->find<QAction>(QStringLiteral("workOfflineAction"));
    }

    QString countsText() const { return m_app->find<QLabel>(QStringLiteral("syncCounts"))->text(); }

private Q_SLOTS:
    void init()
    {
        m_app = std::make_unique<App>();
        QVERIFY(m_app->start());
    }
    void cleanup() { m_app.reset(); }

    void aDayOffline()
    {
        // Sync ▸ Work Offline, from the keyboard.
        m_app->table()->setFocus();
        m_app->menuKey(Qt::Key_S, Qt::Key_O);
        QTRY_VERIFY(workOffline()->isChecked());

        // 1. The form: a new name for the deal in row 0.
        m_app->clickCell(0);
        const QString formId = m_app->currentId();
        const QString formName = m_app->currentName();
        m_app->press(Qt::Key_Return);
        m_app->press(Qt::Key_End);
        m_app->type(QStringLiteral(" (offline)"));
        m_app->press(Qt::Key_S, Qt::ControlModifier);
        m_app->press(Qt::Key_Escape);

        // 2. In place: the name of the deal in row 4.
        m_app->clickCell(4);
        const QString cellId = m_app->currentId();
        m_app->press(Qt::Key_F2);
        QVERIFY(m_app->isEditingInline());
        m_app->press(Qt::Key_A, Qt::ControlModifier);
        m_app->type(QStringLiteral("Renamed on the train"));
        m_app->press(Qt::Key_Return);

        // 3. A stage move of the deal in row 8 (Ctrl+[ or Ctrl+], whichever it can take).
        m_app->clickCell(8);
        const QString stageId = m_app->currentId();
        const QString stageBefore = m_app->serverField(stageId, kStage).toString();
        m_app->press(Qt::Key_BracketRight, Qt::ControlModifier);
        if (m_app->find<QLabel>(QStringLiteral("syncCounts"))
                ->text()
                .startsWith(QStringLiteral("2 ")))
            m_app->press(Qt::Key_BracketLeft, Qt::ControlModifier);
        QTRY_VERIFY(countsText().startsWith(QStringLiteral("3 pending")));
        QVERIFY(m_app->rowOfName(formName + QStringLiteral(" (offline)")) >= 0);
        QVERIFY(m_app->rowOfName(QStringLiteral("Renamed on the train")) >= 0);

        // Nothing left the machine.
        QVERIFY(m_app->waitForIdle());
        QCOMPARE(m_app->writes().size(), 0);

        // A colleague changes the first deal's amount meanwhile.
        QVERIFY(m_app->colleagueEdit(formId, kAmount, 123456));

        // The rep closes the laptop: the app quits and starts again, still offline.
        QVERIFY(m_app->restart());
        QTRY_VERIFY_WITH_TIMEOUT(m_app->table()->model()->rowCount() > 0, 20000);
        QVERIFY(workOffline()->isChecked());
        QTRY_VERIFY(countsText().startsWith(QStringLiteral("3 pending")));
        QVERIFY(m_app->rowOfName(QStringLiteral("Renamed on the train")) >= 0);
        QCOMPARE(m_app->writes().size(), 0);

        // Back online: every edit arrives exactly once.
        m_app->table()->setFocus();
        m_app->menuKey(Qt::Key_S, Qt::Key_O);
        QTRY_VERIFY(!workOffline()->isChecked());
        QTRY_VERIFY_WITH_TIMEOUT(countsText().startsWith(QStringLiteral("0 pending")), 30000);
        QVERIFY(m_app->waitForIdle());
        QCOMPARE(m_app->writesTo(formId).size(), 1);
        QCOMPARE(m_app->writesTo(cellId).size(), 1);
        QCOMPARE(m_app->writesTo(stageId).size(), 1);
        QCOMPARE(m_app->writes().size(), 3);
        QCOMPARE(
            m_app->serverField(formId, kName).toString(), formName + QStringLiteral(" (offline)"));
        // The colleague's amount is still there: only the name was sent.
        QCOMPARE(m_app->serverField(formId, kAmount).toDouble(), 123456.0);
        QCOMPARE(
            m_app->writesTo(formId).constFirst().value(QStringLiteral("fields")).toObject().keys(),
            QStringList {kName});
        QCOMPARE(
            m_app->serverField(cellId, kName).toString(), QStringLiteral("Renamed on the train"));
        QVERIFY(m_app->serverField(stageId, kStage).toString() != stageBefore);
    }
};

QTEST_MAIN(TestOfflineDay)
#include "tst_offlineday.moc"
