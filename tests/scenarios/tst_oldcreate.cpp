// A new deal made while the server failed writes, and still not sent a day later: the server has
// forgotten the request's key, and a colleague has made a deal of the same name. The app neither
// resends it nor takes the colleague's deal on a guess: Pending Changes says "May already
// exist", the rep opens the candidates with the keyboard and says "It is this one" — no POST
// reaches the server. Then: discarding a change that was sent (its answer lost) warns that the
// server may already have it, and "Check the server first" says whether it does.

#include "scenario.h"

#include "editors/fieldeditor.h"
#include "editors/selecteditors.h"
#include "form/namesearchedit.h"
#include "form/newdealdialog.h"
#include "form/recordpicker.h"
#include "itemmodels/namelistmodel.h"
#include "itemmodels/outboxmodel.h"
#include "syncui/discardsentdialog.h"
#include "syncui/mayexistdialog.h"
#include "syncui/pendingchangespanel.h"

#include <QAbstractItemView>
#include <QAction>
#include <QComboBox>
#include <QCompleter>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QtTest>

#include <memory>

using Scenario::App;
using Scenario::waitFor;

namespace {

const qint64 kMoreThanADayMs = 25LL * 60 * 60 * 1000;

QList<QJsonObject> dealPosts(const App &app)
{
    QList<QJsonObject> posts;
    const QList<QJsonObject> writes = app.writes();
    for (const QJsonObject &write : writes) {
        if (write.value(QStringLiteral("method")).toString() == QStringLiteral("POST")
            && write.value(QStringLiteral("path"))
                   .toString()
                   .endsWith(QStringLiteral("/opportunities")))
            posts << write;
    }
    return posts;
}

QString shownText(const QAbstractItemModel *model, int row)
{
    QString text;
    for (int c = 0; c < model->columnCount(); ++c)
        text += model->index(row, c).data().toString() + QLatin1Char('|');
    return text;
}

} // namespace

class TestOldCreate : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<App> m_app;
    Scenario::MovableClock m_clock;

    void startApp()
    {
        m_clock = Scenario::MovableClock();
        m_app = std::make_unique<App>();
        QVERIFY(m_app->start(m_clock.options(30)));
    }

    /** Deal ▸ New Deal… from the keyboard: the name typed, the first stage, Enter. */
    void newDeal(const QString &name)
    {
        Scenario::key(Qt::Key_N, Qt::ControlModifier);
        NewDealDialog *dialog = nullptr;
        QVERIFY(waitFor([&] {
            dialog = m_app->find<NewDealDialog>(QStringLiteral("newDealDialog"));
            return dialog && dialog->isVisible();
        }));
        FieldEditor *nameEditor = dialog->fieldEditor(QStringLiteral("$name"));
        QVERIFY(nameEditor);
        QTRY_VERIFY(Scenario::within(QApplication::focusWidget(), nameEditor));
        QTest::keyClicks(QApplication::focusWidget(), name);
        auto *stage
            = qobject_cast<SingleSelectEditor *>(dialog->fieldEditor(QStringLiteral("$stage")));
        QVERIFY(stage);
        for (int i = 0; i < 40 && !Scenario::within(QApplication::focusWidget(), stage); ++i)
            Scenario::key(Qt::Key_Tab);
        QVERIFY(Scenario::within(QApplication::focusWidget(), stage));
        Scenario::key(Qt::Key_Down);
        // The account: typed into its picker, the first match taken with Down and Enter.
        auto *account
            = qobject_cast<RecordPicker *>(dialog->relationshipEditor(QStringLiteral("$account")));
        QVERIFY(account);
        for (int i = 0; i < 40 && !Scenario::within(QApplication::focusWidget(), account); ++i)
            Scenario::key(Qt::Key_Tab);
        QVERIFY(Scenario::within(QApplication::focusWidget(), account));
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("cob"));
        QAbstractItemView *popup = account->lineEdit()->popupCompleter()->popup();
        QTRY_VERIFY(popup->isVisible());
        Scenario::key(Qt::Key_Down);
        Scenario::key(Qt::Key_Return);
        QTRY_VERIFY(!popup->isVisible());
        QVERIFY2(dialog->saveButton()->isEnabled(), qPrintable(dialog->statusText()));
        Scenario::key(Qt::Key_Return);
        QTRY_VERIFY(!m_app->find<NewDealDialog>(QStringLiteral("newDealDialog"))
            || !m_app->find<NewDealDialog>(QStringLiteral("newDealDialog"))->isVisible());
    }

    PendingChangesPanel *openPendingChanges()
    {
        QTest::keyClick(m_app->window(), Qt::Key_P, Qt::ControlModifier | Qt::ShiftModifier);
        auto *panel = m_app->find<PendingChangesPanel>(QStringLiteral("pendingChanges"));
        if (!panel || !waitFor([panel] { return panel->isVisible(); }))
            return nullptr;
        return panel;
    }

    /** The panel's single row was sent at least once and waits for another attempt. */
    static bool sentAndWaiting(const PendingChangesPanel *panel)
    {
        const QAbstractItemModel *model = panel->view()->model();
        return model->rowCount() == 1
            && model->index(0, OutboxModel::AttemptsColumn).data().toInt() >= 1
            && model->index(0, OutboxModel::StateColumn).data().toString()
            == OutboxModel::tr("Waiting");
    }

    /** Clicks the panel's row, so that the keyboard works on it. */
    void focusRow(PendingChangesPanel *panel)
    {
        // A click on the window activates it (the offscreen platform leaves the closed
        // New Deal dialog's activation behind).
        m_app->window()->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_app->window()));
        QTableView *view = panel->view();
        const QRect cell = view->visualRect(view->model()->index(0, OutboxModel::StateColumn));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
        QTRY_VERIFY(view->hasFocus());
        QTRY_COMPARE(panel->selectedSeq() != 0, true);
    }

private Q_SLOTS:
    void cleanup() { m_app.reset(); }

    void oldNewDealIsAdoptedWithoutASecondPost()
    {
        startApp();
        const QString name = QStringLiteral("Harbor expansion FY27");
        PendingChangesPanel *panel = openPendingChanges();
        QVERIFY(panel);

        // The server fails every request while the rep makes the deal: sent once, failed.
        m_app->server->config().faults.rate500 = 1.0;
        newDeal(name);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(waitFor([&] { return sentAndWaiting(panel); }, 20000));
        QVERIFY(!dealPosts(*m_app).isEmpty());

        // A day later: the server works again, has forgotten the key, and a colleague has made
        // a deal of the same name (with an amount of their own).
        const QJsonObject schemaStage
            = m_app->serverDeal(m_app->server->store().ids(Scenario::kDeal).first());
        const QString account
            = m_app->idOfName(QStringLiteral("account"), QStringLiteral("Cobalt Security"));
        QVERIFY(!account.isEmpty());
        const QJsonObject colleague {
            {QStringLiteral("relationships"), QJsonObject {{QStringLiteral("$account"), account}}},
            {QStringLiteral("fields"),
                QJsonObject {{QStringLiteral("$name"), name}, {QStringLiteral("$amount"), 77000},
                    {QStringLiteral("$stage"),
                        schemaStage.value(QStringLiteral("fields"))
                            .toObject()
                            .value(QStringLiteral("$stage"))
                            .toObject()
                            .value(QStringLiteral("value"))}}}};
        const auto made = m_app->server->store().create(Scenario::kDeal, colleague);
        QVERIFY(std::holds_alternative<QJsonObject>(made));
        const QString colleagueId
            = std::get<QJsonObject>(made).value(QStringLiteral("id")).toString();
        const int dealsBefore = m_app->server->store().count(Scenario::kDeal);
        m_app->server->config().faults.rate500 = 0;
        const qsizetype postsBefore = dealPosts(*m_app).size();
        m_clock.moveTo(kMoreThanADayMs);

        // Pending Changes says so; nothing is sent.
        QTRY_VERIFY_WITH_TIMEOUT(panel->view()->model()->rowCount() == 1
                && panel->view()->model()->index(0, OutboxModel::StateColumn).data().toString()
                    == QStringLiteral("May already exist"),
            20000);
        QVERIFY2(shownText(panel->view()->model(), 0).contains(QStringLiteral("may already exist")),
            qPrintable(shownText(panel->view()->model(), 0)));
        QVERIFY(m_app->statusText().contains(QStringLiteral("may already exist")));
        QVERIFY(m_app->waitForIdle());
        QCOMPARE(dealPosts(*m_app).size(), postsBefore);
        QCOMPARE(m_app->server->store().count(Scenario::kDeal), dealsBefore);
        auto *check = panel->findChild<QPushButton *>(QStringLiteral("checkButton"));
        QVERIFY(check);

        // The rep opens the candidates from the keyboard: the row, then Enter.
        focusRow(panel);
        QVERIFY(check->isEnabled());
        QTest::keyClick(panel->view(), Qt::Key_Return);
        MayExistDialog *dialog = nullptr;
        QVERIFY(waitFor([&] {
            dialog = m_app->find<MayExistDialog>(QStringLiteral("mayExistDialog"));
            return dialog && dialog->isVisible();
        }));
        auto *candidates = dialog->findChild<QTableView *>(QStringLiteral("candidatesTable"));
        QVERIFY(candidates);
        auto *status = dialog->findChild<QLabel *>(QStringLiteral("statusLabel"));
        QVERIFY2(waitFor([&] { return candidates->model()->rowCount() == 1; }),
            qPrintable(status->text()));
        const QString row = shownText(candidates->model(), 0);
        QVERIFY2(row.contains(name) && row.contains(QStringLiteral("77")), qPrintable(row));
        QVERIFY2(status->text().contains(QStringLiteral("1 deal")), qPrintable(status->text()));
        Scenario::shot(dialog, QStringLiteral("oldcreate-candidates"));
        QTRY_VERIFY(candidates->hasFocus());
        QVERIFY(dialog->findChild<QPushButton *>(QStringLiteral("adoptButton"))->isEnabled());
        // Enter on the candidate: "It is this one".
        QTest::keyClick(candidates, Qt::Key_Return);
        QTRY_VERIFY(!m_app->find<MayExistDialog>(QStringLiteral("mayExistDialog")));

        QTRY_COMPARE(panel->view()->model()->rowCount(), 0);
        QVERIFY(m_app->waitForIdle());
        QCOMPARE(dealPosts(*m_app).size(), postsBefore);
        QCOMPARE(m_app->server->store().count(Scenario::kDeal), dealsBefore);
        // The table shows the colleague's deal once, under its server id.
        QTRY_VERIFY(m_app->rowOfName(name) >= 0);
        int shown = 0;
        for (int r = 0; r < m_app->table()->model()->rowCount(); ++r) {
            if (m_app->cellText(r, QStringLiteral("Name")) == name) {
                ++shown;
                QCOMPARE(
                    m_app->table()->model()->index(r, 0).data(OpportunityRoles::IdRole).toString(),
                    colleagueId);
            }
        }
        QCOMPARE(shown, 1);
    }

    void discardingASentChangeWarnsAndChecksTheServer()
    {
        startApp();
        const QString name = QStringLiteral("Lakeside pilot");
        PendingChangesPanel *panel = openPendingChanges();
        QVERIFY(panel);

        // Sent while the server failed: no answer, so the server may or may not have it.
        m_app->server->config().faults.rate500 = 1.0;
        newDeal(name);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(waitFor([&] { return sentAndWaiting(panel); }, 30000),
            qPrintable(shownText(panel->view()->model(), 0)));
        // The rep stops sending (Work Offline) before deciding; the server is well again.
        QVERIFY(m_app->chooseMenuItem(QStringLiteral("workOfflineAction")));
        QTRY_VERIFY(m_app->find<QAction>(QStringLiteral("workOfflineAction"))->isChecked());
        m_app->server->config().faults.rate500 = 0;
        const int dealsBefore = m_app->server->store().count(Scenario::kDeal);
        const qsizetype writesBefore = m_app->writes().size();

        focusRow(panel);
        QTest::keyClick(panel->view(), Qt::Key_Delete);
        DiscardSentDialog *dialog = nullptr;
        QVERIFY(waitFor([&] {
            dialog = m_app->find<DiscardSentDialog>(QStringLiteral("discardSentDialog"));
            return dialog && dialog->isVisible();
        }));
        const QString question
            = dialog->findChild<QLabel *>(QStringLiteral("questionLabel"))->text();
        QVERIFY2(question.contains(QStringLiteral("already sent"))
                && question.contains(QStringLiteral("may have")),
            qPrintable(question));
        // Enter keeps the change: Cancel is the default.
        auto *cancel = dialog->findChild<QPushButton *>(QStringLiteral("cancelButton"));
        QVERIFY(cancel->isDefault());

        Scenario::shot(dialog, QStringLiteral("oldcreate-discard"));
        auto *checkServer = dialog->findChild<QPushButton *>(QStringLiteral("checkServerButton"));
        QVERIFY(checkServer && checkServer->isVisible());
        QTest::mouseClick(checkServer, Qt::LeftButton);
        auto *verdict = dialog->findChild<QLabel *>(QStringLiteral("checkResultLabel"));
        QTRY_VERIFY_WITH_TIMEOUT(
            verdict->text().contains(
                QStringLiteral("No deal named “%1” is on the server").arg(name)),
            20000);
        QVERIFY(dialog->isVisible());

        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("confirmDiscardButton")),
            Qt::LeftButton);
        QTRY_COMPARE(panel->view()->model()->rowCount(), 0);
        // Nothing was sent for it, and the local deal is gone from the table.
        QCOMPARE(m_app->server->store().count(Scenario::kDeal), dealsBefore);
        QCOMPARE(m_app->writes().size(), writesBefore);
        QTRY_COMPARE(m_app->rowOfName(name), -1);
    }
};

QTEST_MAIN(TestOldCreate)
#include "tst_oldcreate.moc"
