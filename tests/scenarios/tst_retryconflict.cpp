// An edit whose first send failed, retried hours later after a colleague changed the same
// field: the retry first reads the deal again, so the window shows a conflict instead of
// writing the rep's value over the colleague's. The server keeps the colleague's name until the
// rep opens the conflict from Pending Changes with the keyboard and keeps their own.

#include "scenario.h"

#include "itemmodels/outboxmodel.h"
#include "syncui/conflictdialog.h"
#include "syncui/pendingchangespanel.h"

#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTableView>
#include <QtTest>

#include <memory>

using Scenario::App;
using Scenario::waitFor;

namespace {

const QString kName = QStringLiteral("$name");
const qint64 kThreeHoursMs = 3LL * 60 * 60 * 1000;

/** The writes the sandbox applied to one deal. */
int appliedWritesTo(const App &app, const QString &recordId)
{
    int applied = 0;
    const QList<QJsonObject> writes = app.writes();
    for (const QJsonObject &write : writes) {
        if (write.value(QStringLiteral("path")).toString().endsWith(QLatin1Char('/') + recordId)
            && write.value(QStringLiteral("applied")).toBool())
            ++applied;
    }
    return applied;
}

int writesTo(const App &app, const QString &recordId)
{
    return int(app.writesTo(recordId).size());
}

} // namespace

class TestRetryConflict : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<App> m_app;
    Scenario::MovableClock m_clock;

    QString countsText() const { return m_app->find<QLabel>(QStringLiteral("syncCounts"))->text(); }

private Q_SLOTS:
    void init()
    {
        m_clock = Scenario::MovableClock();
        m_app = std::make_unique<App>();
        QVERIFY(m_app->start(m_clock.options(30)));
    }
    void cleanup() { m_app.reset(); }

    void retryAfterAColleaguesChangeIsAConflict()
    {
        // The server reads fine but fails every write, as a flaky proxy would.
        SandboxFaults &faults = m_app->server->config().faults;
        faults.writesOnly = true;
        faults.rate500 = 1.0;

        // The rep renames the deal in row 2 in its form and saves (Enter, End, text, Ctrl+S).
        m_app->clickCell(2);
        const QString id = m_app->currentId();
        const QString before = m_app->currentName();
        const QString mine = before + QStringLiteral(" (rep)");
        m_app->press(Qt::Key_Return);
        m_app->press(Qt::Key_End);
        m_app->type(QStringLiteral(" (rep)"));
        m_app->press(Qt::Key_S, Qt::ControlModifier);
        m_app->press(Qt::Key_Escape);
        QVERIFY(m_app->rowOfName(mine) >= 0);

        // Its first send is answered 500: nothing applied, the edit waits in the queue.
        QVERIFY(waitFor([&] { return writesTo(*m_app, id) >= 1; }, 20000));
        QCOMPARE(appliedWritesTo(*m_app, id), 0);
        QTRY_VERIFY(countsText().startsWith(QStringLiteral("1 pending")));

        // Hours later a colleague renames the same deal; then the server works again.
        const QString theirs = QStringLiteral("Renamed by a colleague");
        QVERIFY(m_app->colleagueEdit(id, kName, theirs));
        m_clock.moveTo(kThreeHoursMs);
        faults = SandboxFaults();

        // The retry reads the deal first: a conflict, never an overwrite.
        QTRY_VERIFY_WITH_TIMEOUT(countsText().contains(QStringLiteral("1 conflict")), 30000);
        QVERIFY(m_app->waitForIdle());
        QCOMPARE(appliedWritesTo(*m_app, id), 0);
        QCOMPARE(m_app->serverField(id, kName).toString(), theirs);

        // Pending Changes opens by itself (no dialog pops up mid-work) and lists it as a
        // conflict; the rep clicks the row and presses Enter to open the dialog.
        auto *panel = m_app->find<PendingChangesPanel>(QStringLiteral("pendingChanges"));
        QVERIFY(panel);
        QTRY_VERIFY(panel->isVisible());
        QTableView *view = panel->view();
        QTRY_COMPARE(view->model()->rowCount(), 1);
        QCOMPARE(view->model()->index(0, OutboxModel::StateColumn).data().toString(),
            OutboxModel::tr("Conflict"));
        Scenario::shot(m_app->window(), QStringLiteral("retryconflict-window"));
        m_app->window()->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_app->window()));
        const QRect cell = view->visualRect(view->model()->index(0, OutboxModel::StateColumn));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
        QTRY_VERIFY(view->hasFocus());
        QTest::keyClick(view, Qt::Key_Return);
        ConflictDialog *dialog = nullptr;
        QVERIFY(waitFor([&] {
            dialog = m_app->find<ConflictDialog>(QStringLiteral("conflictDialog"));
            return dialog && dialog->isVisible();
        }));
        // The dialog shows both names; still nothing was written.
        auto *mineButton = dialog->findChild<QAbstractButton *>(QStringLiteral("mine:") + kName);
        auto *theirsButton
            = dialog->findChild<QAbstractButton *>(QStringLiteral("theirs:") + kName);
        QVERIFY(mineButton && theirsButton);
        QVERIFY2(mineButton->text().contains(mine), qPrintable(mineButton->text()));
        QVERIFY2(theirsButton->text().contains(theirs), qPrintable(theirsButton->text()));
        QCOMPARE(appliedWritesTo(*m_app, id), 0);
        // Both values can be read without scrolling (once the dialog has laid itself out).
        auto *scroll = dialog->findChild<QScrollArea *>(QStringLiteral("conflictScroll"));
        QVERIFY(scroll);
        const auto readable = [scroll](const QWidget *button) {
            const QRect shown(button->mapTo(scroll->viewport(), QPoint()), button->size());
            return scroll->viewport()->rect().contains(shown);
        };
        QTRY_VERIFY(readable(mineButton) && readable(theirsButton));
        Scenario::shot(dialog, QStringLiteral("retryconflict-dialog"));

        // The rep keeps their own (Alt+M: All mine) and applies (Alt+A).
        // A window manager activates a new dialog; the offscreen platform leaves that to us.
        dialog->activateWindow();
        QTRY_VERIFY(dialog->isActiveWindow());
        // (A mnemonic clicks after the button's short press animation.)
        QTest::keyClick(dialog, Qt::Key_M, Qt::AltModifier);
        QTRY_VERIFY(mineButton->isChecked());
        QTest::keyClick(dialog, Qt::Key_A, Qt::AltModifier);
        QTRY_VERIFY(!m_app->find<ConflictDialog>(QStringLiteral("conflictDialog"))
            || !m_app->find<ConflictDialog>(QStringLiteral("conflictDialog"))->isVisible());

        // Now, and only now, the rep's name goes out: once.
        QTRY_VERIFY_WITH_TIMEOUT(countsText().startsWith(QStringLiteral("0 pending")), 30000);
        QVERIFY(m_app->waitForIdle());
        QCOMPARE(appliedWritesTo(*m_app, id), 1);
        QCOMPARE(m_app->serverField(id, kName).toString(), mine);
        QTRY_VERIFY(m_app->rowOfName(mine) >= 0);
        QCOMPARE(m_app->rowOfName(theirs), -1);
    }
};

QTEST_MAIN(TestRetryConflict)
#include "tst_retryconflict.moc"
