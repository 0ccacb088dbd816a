// A rep's cache was damaged after edits were queued: the app moves it aside and says so, and
// the rep gets the edits back with File ▸ Recover Edits from a Damaged Cache…, all from the
// keyboard; the server receives them under their original Idempotency-Keys.

#include "scenario.h"

#include "storetesthelpers.h"

#include "store/localstore.h"
#include "store/outbox.h"
#include "syncui/recovereditsdialog.h"

#include <QMessageBox>
#include <QPushButton>
#include <QTreeView>

class TestRecover : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void repRecoversQueuedEditsFromADamagedCache()
    {
        Scenario::App app;
        Scenario::App::Options options;
        options.opportunities = 12;
        QVERIFY(app.start(options));
        const QString firstName = app.cellText(0, QStringLiteral("Name"));
        const QString secondName = app.cellText(1, QStringLiteral("Name"));
        const QString first = app.dealIdByName(firstName);
        const QString second = app.dealIdByName(secondName);
        QVERIFY(!first.isEmpty() && !second.isEmpty() && first != second);
        const QString path = app.cachePath();
        QVERIFY(!path.isEmpty());

        // The app is closed; two edits are queued in its cache (as if the rep had made them
        // offline), then the file is damaged.
        QStringList keys;
        {
            app.controller.reset();
            LocalStore store(path);
            QVERIFY(store.open().status == LocalStore::OpenStatus::Opened);
            Outbox outbox(store);
            for (const auto &[id, name] : {std::pair {first, QStringLiteral("Recovered Alpha")},
                     std::pair {second, QStringLiteral("Recovered Beta")}}) {
                const std::optional<StoredRecord> record = store.record(Scenario::kDeal, id);
                QVERIFY(record);
                const QByteArray body = QJsonDocument(
                    QJsonObject {{QStringLiteral("fields"),
                        QJsonObject {{QStringLiteral("$name"),
                            name}}}}).toJson(QJsonDocument::Compact);
                const std::optional<OutboxRow> row = outbox.enqueueUpdate(Scenario::kDeal, id, body,
                    record->updatedAt,
                    QJsonObject {{QStringLiteral("$name"), id == first ? firstName : secondName}});
                QVERIFY(row);
                keys << row->idempotencyKey;
            }
        }
        QVERIFY(StoreTest::damageIndex(path, QStringLiteral("records_sweep")));

        QVERIFY(app.reopen());
        // The window announces it, and offers the recovery.
        QMessageBox *notice = nullptr;
        QVERIFY(Scenario::waitFor(
            [&] {
                notice = app.find<QMessageBox>(QStringLiteral("openNotice"));
                return notice && notice->isVisible();
            },
            10000));
        QVERIFY2(notice->text().contains(QLatin1String("moved")), qPrintable(notice->text()));
        QVERIFY(notice->findChild<QPushButton *>(QStringLiteral("recoverEditsButton")));
        QPointer<QMessageBox> watched(notice);
        QTest::keyClick(notice, Qt::Key_Escape);
        QTRY_VERIFY(watched.isNull() || !watched->isVisible());
        // Nothing of the damaged cache is in the new one yet.
        QCOMPARE(app.rowOfName(QStringLiteral("Recovered Alpha")), -1);

        // File ▸ Recover Edits from a Damaged Cache… by its menu keys.
        app.window()->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(app.window()));
        QAction *recover = app.find<QAction>(QStringLiteral("recoverEditsAction"));
        QVERIFY(recover && recover->isEnabled());
        QMenu *file = app.window()->menu(MainWindow::Menu::File);
        QTest::keyClick(app.window(), Qt::Key_F, Qt::AltModifier);
        QTRY_VERIFY(file->isVisible());
        QTest::keyClick(file, Qt::Key_R);
        RecoverEditsDialog *dialog = nullptr;
        QVERIFY(Scenario::waitFor(
            [&] {
                dialog = app.window()->findChild<RecoverEditsDialog *>();
                return dialog && dialog->isVisible();
            },
            10000));
        auto *list = dialog->findChild<QTreeView *>(QStringLiteral("recoverEditsList"));
        QVERIFY(list);
        QCOMPARE(list->model()->rowCount(), 2);
        QCOMPARE(list->model()->index(0, 0).data().toString(), firstName);
        QCOMPARE(list->model()->index(0, 1).data().toString(), QStringLiteral("$name"));
        QVERIFY(!list->model()->index(0, 2).data().toString().isEmpty());
        auto *button = dialog->findChild<QPushButton *>(QStringLiteral("recoverButton"));
        QVERIFY(!button->isEnabled()); // nothing ticked yet
        QTRY_COMPARE(QApplication::focusWidget(), list);

        // Tick both rows with Space, confirm with Enter.
        QTest::keyClick(list, Qt::Key_Space);
        QTest::keyClick(list, Qt::Key_Down);
        QTest::keyClick(list, Qt::Key_Space);
        QCOMPARE(dialog->checkedSeqs().size(), 2);
        QVERIFY(button->isEnabled());
        QPointer<RecoverEditsDialog> open(dialog);
        QTest::keyClick(list, Qt::Key_Return);
        QTRY_VERIFY(open.isNull());

        // The edits show in the table and reach the server with their original keys.
        QTRY_VERIFY(app.rowOfName(QStringLiteral("Recovered Alpha")) >= 0);
        QTRY_VERIFY(app.rowOfName(QStringLiteral("Recovered Beta")) >= 0);
        QVERIFY(Scenario::waitFor(
            [&] {
                QStringList sent;
                for (const QJsonObject &write : app.writes())
                    sent << write.value(QStringLiteral("idempotencyKey")).toString();
                return sent.contains(keys.at(0)) && sent.contains(keys.at(1));
            },
            20000));
        QTRY_COMPARE(fieldValue(app.serverDeal(first), QStringLiteral("$name")),
            QJsonValue(QStringLiteral("Recovered Alpha")));
        QTRY_VERIFY(app.statusText().contains(QLatin1String("Recovered 2")));
        // The damaged file is kept, and no longer offered.
        QVERIFY(!recover->isEnabled());
    }

private:
    static QJsonValue fieldValue(const QJsonObject &record, const QString &key)
    {
        const QJsonValue value = record.value(QLatin1String("fields")).toObject().value(key);
        return value.isObject() ? value.toObject().value(QLatin1String("value")) : value;
    }
};

QTEST_MAIN(TestRecover)
#include "tst_recover.moc"
