// PendingChangesPanel: the outbox as a table with Retry now, Discard… (after a
// confirmation naming the deal and fields) and Resolve…, and its empty state.

#include "syncuitesthelpers.h"

#include "itemmodels/outboxmodel.h"
#include "sync/syncengine.h"
#include "syncui/pendingchangespanel.h"

#include <QApplication>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTimer>

using namespace SyncUiTest;

namespace {

struct ConfirmationCall
{
    QString recordName;
    QStringList fieldLabels;
    bool isCreate = false;
};

} // namespace

class TestPendingChangesPanel final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Fixture> f;
    std::unique_ptr<PendingChangesPanel> panel;

    QPushButton *button(const char *name) const
    {
        return panel->findChild<QPushButton *>(QString::fromLatin1(name));
    }

    OutboxRow::State stateOf(qint64 seq) const
    {
        const auto row = f->outbox->row(seq);
        return row ? row->state : OutboxRow::State::Pending;
    }

    OutboxRow parkedRow()
    {
        const auto row
            = f->edit(QStringLiteral("opp_1"), QJsonObject {{QStringLiteral("$amount"), 5}});
        if (!row || !f->outbox->markInFlight(row->seq)
            || !f->outbox->park(row->seq,
                ParkedError {422, QStringLiteral("$amount"), QStringLiteral("Too big.")}
                    .encode())) {
            return {};
        }
        return *f->outbox->row(row->seq);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void init()
    {
        f = std::make_unique<Fixture>();
        QVERIFY(f->dir.isValid());
        QVERIFY(f->open());
        QVERIFY(f->seed(QStringLiteral("opp_1"), QStringLiteral("Acme renewal")));
        QVERIFY(f->seed(QStringLiteral("opp_2"), QStringLiteral("Globex pilot")));
        panel = std::make_unique<PendingChangesPanel>(*f->outbox, *f->store);
        panel->resize(800, 300);
        panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
    }

    void cleanup()
    {
        panel.reset();
        f.reset();
    }

    void emptyStateGivesWayToTheRows()
    {
        auto *empty = panel->findChild<QLabel *>(QStringLiteral("emptyLabel"));
        QVERIFY(empty);
        QCOMPARE(empty->text(), QStringLiteral("Nothing waiting to be sent"));
        QVERIFY(empty->isVisible());
        QVERIFY(!panel->view()->isVisible());
        QVERIFY(!button("retryButton")->isEnabled());
        QVERIFY(!button("discardButton")->isEnabled());
        QVERIFY(!button("resolveButton")->isEnabled());

        const auto row
            = f->edit(QStringLiteral("opp_1"), QJsonObject {{QStringLiteral("$amount"), 5}});
        QVERIFY(row);
        QVERIFY(panel->view()->isVisible());
        QVERIFY(!empty->isVisible());
        QCOMPARE(panel->view()->model()->rowCount(), 1);
        QCOMPARE(panel->view()->model()->index(0, OutboxModel::RecordColumn).data().toString(),
            QStringLiteral("Acme renewal"));

        QVERIFY(f->outbox->discard(row->seq));
        QVERIFY(empty->isVisible());
    }

    void controlsHaveAccessibleNames()
    {
        for (const char *name : {"retryButton", "discardButton", "resolveButton"})
            QVERIFY2(!button(name)->accessibleName().isEmpty(), name);
        QVERIFY(!panel->view()->accessibleName().isEmpty());
        QVERIFY(
            !panel->findChild<QLabel *>(QStringLiteral("emptyLabel"))->accessibleName().isEmpty());
        QCOMPARE(panel->view()->selectionBehavior(), QAbstractItemView::SelectRows);
    }

    void discardAsksFirstAndNamesTheDealAndFields()
    {
        const auto a = f->edit(QStringLiteral("opp_1"),
            QJsonObject {{QStringLiteral("$amount"), 5},
                {QStringLiteral("$name"), QStringLiteral("Acme 2027")}});
        const auto b = f->edit(QStringLiteral("opp_2"),
            QJsonObject {{QStringLiteral("nextSteps"), QStringLiteral("x")}});
        QVERIFY(a && b);
        QList<ConfirmationCall> calls;
        bool answer = false;
        panel->setConfirmation(
            [&](QWidget *, const QString &name, const QStringList &labels, bool isCreate) {
                calls.append({name, labels, isCreate});
                return answer;
            });
        QVERIFY(panel->selectSeq(a->seq));
        QVERIFY(button("discardButton")->isEnabled());
        QTest::mouseClick(button("discardButton"), Qt::LeftButton);
        QCOMPARE(calls.size(), 1);
        QCOMPARE(calls.at(0).recordName, QStringLiteral("Acme 2027"));
        QCOMPARE(calls.at(0).fieldLabels,
            QStringList({QStringLiteral("Name"), QStringLiteral("Amount")}));
        QVERIFY(!calls.at(0).isCreate);
        QVERIFY(f->outbox->row(a->seq)); // "Keep": nothing dropped

        answer = true;
        QTest::mouseClick(button("discardButton"), Qt::LeftButton);
        QCOMPARE(calls.size(), 2);
        QVERIFY(!f->outbox->row(a->seq));
        QVERIFY(f->outbox->row(b->seq));
        QCOMPARE(panel->model()->rowCount(), 1);
        // The local copy went back to the server's.
        QVERIFY(!f->store->record(kDeal, QStringLiteral("opp_1"))->hasLocalChanges());

        // The Delete key in the table does the same.
        QVERIFY(panel->selectSeq(b->seq));
        panel->view()->setFocus();
        QTest::keyClick(panel->view(), Qt::Key_Delete);
        QCOMPARE(calls.size(), 3);
        QCOMPARE(calls.at(2).recordName, QStringLiteral("Globex pilot"));
        QVERIFY(!f->outbox->row(b->seq));
        QCOMPARE(PendingChangesPanel::confirmationText(
                     calls.at(0).recordName, calls.at(0).fieldLabels, false),
            QStringLiteral(
                "Discard your changes to Name, Amount of “Acme 2027”? They will not be sent to "
                "Lightfield."));
    }

    void theDefaultConfirmationIsAMessageBox()
    {
        const auto a
            = f->edit(QStringLiteral("opp_1"), QJsonObject {{QStringLiteral("$amount"), 5}});
        QVERIFY(a);
        QVERIFY(panel->selectSeq(a->seq));
        // Answer the modal box from inside its own event loop: first "Keep", then "Discard".
        QString seenText;
        const auto answerWith = [&](const char *buttonName) {
            auto *timer = new QTimer(panel.get());
            timer->setInterval(10);
            connect(timer, &QTimer::timeout, panel.get(), [&seenText, timer, buttonName] {
                auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
                if (!box || !box->isVisible())
                    return;
                timer->stop();
                timer->deleteLater();
                seenText = box->text();
                auto *choice = box->findChild<QPushButton *>(QString::fromLatin1(buttonName));
                QVERIFY(choice);
                choice->click();
            });
            timer->start();
        };
        answerWith("keepButton");
        QTest::mouseClick(button("discardButton"), Qt::LeftButton);
        QCOMPARE(seenText,
            QStringLiteral(
                "Discard your changes to Amount of “Acme renewal”? They will not be sent "
                "to Lightfield."));
        QVERIFY(f->outbox->row(a->seq));
        seenText.clear();
        answerWith("confirmDiscardButton");
        QTest::mouseClick(button("discardButton"), Qt::LeftButton);
        QVERIFY(!seenText.isEmpty());
        QVERIFY(!f->outbox->row(a->seq));
    }

    void retryResumesAParkedRow()
    {
        const OutboxRow parked = parkedRow();
        QVERIFY(parked.seq > 0);
        QCOMPARE(parked.state, OutboxRow::State::Parked);
        QVERIFY(panel->selectSeq(parked.seq));
        QCOMPARE(panel->model()->index(0, OutboxModel::StateColumn).data().toString(),
            QStringLiteral("Refused"));
        QVERIFY(button("retryButton")->isEnabled());
        QVERIFY(!button("resolveButton")->isEnabled());
        QTest::mouseClick(button("retryButton"), Qt::LeftButton);
        QCOMPARE(stateOf(parked.seq), OutboxRow::State::Pending);
        QCOMPARE(f->outbox->row(parked.seq)->idempotencyKey, parked.idempotencyKey);
        QCOMPARE(panel->model()->index(0, OutboxModel::StateColumn).data().toString(),
            QStringLiteral("Waiting"));
        QCOMPARE(panel->selectedSeq(), parked.seq); // updated in place: still selected
    }

    void retryOnAWaitingRowMakesItDueNow()
    {
        const auto row
            = f->edit(QStringLiteral("opp_1"), QJsonObject {{QStringLiteral("$amount"), 5}});
        QVERIFY(row);
        QVERIFY(f->outbox->markInFlight(row->seq));
        const QDateTime later = QDateTime::currentDateTimeUtc().addSecs(3600);
        QVERIFY(f->outbox->markRetry(row->seq, later, QStringLiteral("503")));
        QVERIFY(f->outbox->nextReady(QDateTime::currentDateTimeUtc()).isEmpty());
        QVERIFY(panel->selectSeq(row->seq));
        QTest::mouseClick(button("retryButton"), Qt::LeftButton);
        QCOMPARE(f->outbox->nextReady(QDateTime::currentDateTimeUtc()).size(), 1);
    }

    void aRowBeingSentCannotBeRetriedOrDiscarded()
    {
        const auto row
            = f->edit(QStringLiteral("opp_1"), QJsonObject {{QStringLiteral("$amount"), 5}});
        QVERIFY(row);
        QVERIFY(f->outbox->markInFlight(row->seq));
        QVERIFY(panel->selectSeq(row->seq));
        QVERIFY(!button("retryButton")->isEnabled());
        QVERIFY(!button("discardButton")->isEnabled());
        panel->setConfirmation(
            [](QWidget *, const QString &, const QStringList &, bool) { return true; });
        panel->discardSelected();
        QVERIFY(f->outbox->row(row->seq));
    }

    void resolveIsOfferedForConflictRows()
    {
        const auto row
            = f->edit(QStringLiteral("opp_1"), QJsonObject {{QStringLiteral("$amount"), 5}});
        const auto other
            = f->edit(QStringLiteral("opp_2"), QJsonObject {{QStringLiteral("$amount"), 6}});
        QVERIFY(row && other);
        QVERIFY(f->outbox->markInFlight(row->seq));
        QVERIFY(f->outbox->markConflict(row->seq, QStringLiteral("conflict: $amount")));
        QSignalSpy resolve(panel.get(), &PendingChangesPanel::resolveRequested);
        QVERIFY(panel->selectSeq(other->seq));
        QVERIFY(!button("resolveButton")->isEnabled());
        QVERIFY(panel->selectSeq(row->seq));
        QVERIFY(button("resolveButton")->isEnabled());
        QTest::mouseClick(button("resolveButton"), Qt::LeftButton);
        QCOMPARE(resolve.size(), 1);
        QCOMPARE(resolve.at(0).at(0).toLongLong(), row->seq);
        // Enter on the row (the view's "activated") asks too.
        panel->view()->setFocus();
        QTest::keyClick(panel->view(), Qt::Key_Return);
        QCOMPARE(resolve.size(), 2);
        // Retry on a conflict row resumes it as it was.
        QTest::mouseClick(button("retryButton"), Qt::LeftButton);
        QCOMPARE(stateOf(row->seq), OutboxRow::State::Pending);
        QVERIFY(!button("resolveButton")->isEnabled());
    }
};

QTEST_MAIN(TestPendingChangesPanel)
#include "tst_pendingchangespanel.moc"
