// ConflictDialog end to end against the in-process sandbox: a queued edit, a
// colleague's change of the same fields through the sandbox admin route, the push that finds
// the conflict, the user's choices in the dialog, and what the sandbox receives afterwards.

#include "domain/recordjson.h"
#include "domain/valuetext.h"
#include "synctesthelpers.h"

#include "syncui/conflictdialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QStandardPaths>

using namespace SyncTest;

class TestConflictDialog final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Harness> h;
    ObjectSchema schema;

    void startPulled()
    {
        h = std::make_unique<Harness>();
        QVERIFY(h->dir.isValid());
        QVERIFY(h->startServer({}, 12));
        QVERIFY(h->open(false));
        QSignalSpy pulled(h->engine.get(), &SyncEngine::pullFinished);
        h->engine->start();
        QVERIFY(pulled.wait(30000));
        QVERIFY(pulled.first().at(0).toBool());
        const std::optional<StoredDefinitions> definitions = h->store->definitions(kDeal);
        QVERIFY(definitions);
        schema = ObjectSchema::fromDefinitionsJson(parseObject(definitions->json));
        QVERIFY(schema.field(QStringLiteral("$amount")));
    }

    /** A colleague's edit through POST /__sandbox/records/opportunities/{id}. */
    int colleagueEdit(const QString &id, const QJsonObject &fields)
    {
        QNetworkAccessManager nam;
        QNetworkRequest request(QUrl(
            h->baseUrl().toString() + QStringLiteral("/__sandbox/records/opportunities/") + id));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        QNetworkReply *reply
            = nam.post(request, compactJson(QJsonObject {{QStringLiteral("fields"), fields}}));
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return status;
    }

    /** Queues my edit offline, lets a colleague change the same fields, pushes: the conflict. */
    void makeConflict(const QString &id, const QJsonObject &mine, const QJsonObject &theirs,
        qint64 *seq, QList<Merge::FieldConflict> *conflicts)
    {
        h->engine->setWorkOffline(true);
        for (auto it = mine.begin(); it != mine.end(); ++it)
            QVERIFY(h->edit(id, it.key(), it.value()));
        QCOMPARE(h->outbox->rows().size(), 1); // merged into one unsent row
        QCOMPARE(colleagueEdit(id, theirs), 200);
        QSignalSpy detected(h->engine.get(), &SyncEngine::conflictDetected);
        h->engine->setWorkOffline(false);
        QVERIFY(detected.wait(10000));
        QVERIFY(waitFor([this] { return h->engine->rowsInFlight() == 0; }, 10000));
        *seq = detected.first().at(0).toLongLong();
        QCOMPARE(detected.first().at(1).toString(), id);
        *conflicts = detected.first().at(2).value<QList<Merge::FieldConflict>>();
        QCOMPARE(h->outbox->row(*seq)->state, OutboxRow::State::Conflict);
    }

    template<typename T> T *child(QWidget *parent, const QString &name)
    {
        return parent->findChild<T *>(name);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void cleanup() { h.reset(); }

    void mineForOneFieldTheirsForTheOtherEndToEnd()
    {
        startPulled();
        const QString id = h->dealIds().at(3);
        const QString before
            = RecordJson::fieldValue(h->serverRecord(id), QStringLiteral("$name")).toString();
        qint64 seq = 0;
        QList<Merge::FieldConflict> conflicts;
        makeConflict(id,
            QJsonObject {{QStringLiteral("$name"), QStringLiteral("Mine name")},
                {QStringLiteral("$amount"), 12345}},
            QJsonObject {{QStringLiteral("$name"), QStringLiteral("Their name")},
                {QStringLiteral("$amount"), 999}},
            &seq, &conflicts);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(conflicts.size(), 2);
        const int writesBefore = int(h->writes().size());

        std::unique_ptr<ConflictDialog> dialog(
            ConflictDialog::forRow(schema, *h->outbox, *h->store, seq, conflicts));
        QVERIFY(dialog);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog.get()));
        QCOMPARE(dialog->keys(), QStringList({QStringLiteral("$amount"), QStringLiteral("$name")}));

        // Side by side, written for people: the amount as money, the names as they are.
        const FieldDefinition *amount = schema.field(QStringLiteral("$amount"));
        auto *mineAmount = child<QRadioButton>(dialog.get(), QStringLiteral("mine:$amount"));
        auto *theirsAmount = child<QRadioButton>(dialog.get(), QStringLiteral("theirs:$amount"));
        auto *mineName = child<QRadioButton>(dialog.get(), QStringLiteral("mine:$name"));
        auto *theirsName = child<QRadioButton>(dialog.get(), QStringLiteral("theirs:$name"));
        QVERIFY(mineAmount && theirsAmount && mineName && theirsName);
        QCOMPARE(mineAmount->text(), QStringLiteral("$12,345"));
        QCOMPARE(theirsAmount->text(), ValueText::field(amount, 999));
        QCOMPARE(theirsAmount->text(), QStringLiteral("$999"));
        QCOMPARE(mineName->text(), QStringLiteral("Mine name"));
        QCOMPARE(theirsName->text(), QStringLiteral("Their name"));
        QCOMPARE(child<QLabel>(dialog.get(), QStringLiteral("base:$name"))->text(), before);
        QCOMPARE(
            child<QLabel>(dialog.get(), QStringLiteral("label:$amount"))->text(), amount->label());
        QVERIFY(!mineName->accessibleName().isEmpty());

        auto *apply = child<QPushButton>(dialog.get(), QStringLiteral("applyButton"));
        QVERIFY(apply);
        QVERIFY(!apply->isEnabled()); // nothing chosen yet
        QTest::mouseClick(mineName, Qt::LeftButton);
        QVERIFY(!apply->isEnabled());
        QTest::mouseClick(theirsAmount, Qt::LeftButton);
        QVERIFY(apply->isEnabled());
        QSignalSpy accepted(dialog.get(), &QDialog::accepted);
        QTest::mouseClick(apply, Qt::LeftButton);
        QCOMPARE(accepted.size(), 1);
        const ConflictResolution expected
            = ConflictResolution::resolve(parseObject(dialog->row().body), dialog->row().baseValues,
                parseObject(h->store->record(kDeal, id)->json),
                {{QStringLiteral("$name"), ConflictResolution::Choice::Mine},
                    {QStringLiteral("$amount"), ConflictResolution::Choice::Theirs}});
        QCOMPARE(dialog->result().bodyJson(), expected.bodyJson());
        QCOMPARE(dialog->result().baseValues(), expected.baseValues());
        QCOMPARE(dialog->result().baseValues(),
            (QJsonObject {{QStringLiteral("$name"), QStringLiteral("Their name")}}));
        QCOMPARE(dialog->result().bodyJson(), QByteArray(R"({"fields":{"$name":"Mine name"}})"));

        QVERIFY(dialog->apply(*h->outbox));
        QVERIFY(h->waitIdle());
        QCOMPARE(h->outbox->counts().total(), 0);
        const QJsonArray writes = h->writes();
        QCOMPARE(int(writes.size()), writesBefore + 1);
        const QJsonObject write = writes.last().toObject();
        QCOMPARE(write.value(QStringLiteral("body")).toObject(),
            (QJsonObject {{QStringLiteral("fields"),
                QJsonObject {{QStringLiteral("$name"), QStringLiteral("Mine name")}}}}));
        QCOMPARE(write.value(QStringLiteral("status")).toInt(), 200);
        const QJsonObject server = h->serverRecord(id);
        QCOMPARE(RecordJson::fieldValue(server, QStringLiteral("$name")).toString(),
            QStringLiteral("Mine name"));
        QCOMPARE(RecordJson::fieldValue(server, QStringLiteral("$amount")).toDouble(), 999.0);
        QCOMPARE(differingFields(h->localRecord(id), server), QStringList());
    }

    void allTheirsDiscardsTheRowWithoutAWrite()
    {
        startPulled();
        const QString id = h->dealIds().at(5);
        qint64 seq = 0;
        QList<Merge::FieldConflict> conflicts;
        makeConflict(id, QJsonObject {{QStringLiteral("$name"), QStringLiteral("Mine")}},
            QJsonObject {{QStringLiteral("$name"), QStringLiteral("Theirs")}}, &seq, &conflicts);
        if (QTest::currentTestFailed())
            return;
        const int writesBefore = int(h->writes().size());
        // No conflicts handed in: the dialog finds them against the stored server copy.
        std::unique_ptr<ConflictDialog> dialog(
            ConflictDialog::forRow(schema, *h->outbox, *h->store, seq));
        QVERIFY(dialog);
        dialog->show();
        QCOMPARE(dialog->keys(), QStringList {QStringLiteral("$name")});
        QTest::mouseClick(
            child<QPushButton>(dialog.get(), QStringLiteral("allTheirsButton")), Qt::LeftButton);
        QVERIFY(child<QRadioButton>(dialog.get(), QStringLiteral("theirs:$name"))->isChecked());
        QVERIFY(dialog->result().isDiscard());
        QTest::mouseClick(
            child<QPushButton>(dialog.get(), QStringLiteral("applyButton")), Qt::LeftButton);
        QCOMPARE(dialog->QDialog::result(), int(QDialog::Accepted));
        QVERIFY(dialog->apply(*h->outbox));
        QVERIFY(!h->outbox->row(seq));
        QVERIFY(h->waitIdle());
        QCOMPARE(int(h->writes().size()), writesBefore);
        QCOMPARE(RecordJson::fieldValue(h->localRecord(id), QStringLiteral("$name")).toString(),
            QStringLiteral("Theirs"));
        QVERIFY(!h->store->record(kDeal, id)->hasLocalChanges());
    }

    void allMineByKeyboardSendsEveryField()
    {
        startPulled();
        const QString id = h->dealIds().at(7);
        qint64 seq = 0;
        QList<Merge::FieldConflict> conflicts;
        makeConflict(id,
            QJsonObject {{QStringLiteral("$name"), QStringLiteral("Mine")},
                {QStringLiteral("nextSteps"), QStringLiteral("Mine too")}},
            QJsonObject {{QStringLiteral("$name"), QStringLiteral("Theirs")},
                {QStringLiteral("nextSteps"), QStringLiteral("Theirs too")}},
            &seq, &conflicts);
        if (QTest::currentTestFailed())
            return;
        std::unique_ptr<ConflictDialog> dialog(
            ConflictDialog::forRow(schema, *h->outbox, *h->store, seq, conflicts));
        QVERIFY(dialog);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog.get()));
        dialog->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(dialog.get()));
        // Alt+M is "All mine", Alt+A is Apply (mnemonics click after a short animation).
        QSignalSpy accepted(dialog.get(), &QDialog::accepted);
        QTest::keyClick(dialog.get(), Qt::Key_M, Qt::AltModifier);
        QTRY_VERIFY(dialog->isComplete());
        QTest::keyClick(dialog.get(), Qt::Key_A, Qt::AltModifier);
        QTRY_COMPARE(accepted.size(), 1);
        QVERIFY(dialog->apply(*h->outbox));
        QVERIFY(h->waitIdle());
        const QJsonObject server = h->serverRecord(id);
        QCOMPARE(RecordJson::fieldValue(server, QStringLiteral("$name")).toString(),
            QStringLiteral("Mine"));
        QCOMPARE(RecordJson::fieldValue(server, QStringLiteral("nextSteps")).toString(),
            QStringLiteral("Mine too"));
    }

    void saysWhenTheServerCopyChanged()
    {
        startPulled();
        const QString id = h->dealIds().at(5);
        qint64 seq = 0;
        QList<Merge::FieldConflict> conflicts;
        makeConflict(id, QJsonObject {{QStringLiteral("$name"), QStringLiteral("Mine")}},
            QJsonObject {{QStringLiteral("$name"), QStringLiteral("Theirs")}}, &seq, &conflicts);
        if (QTest::currentTestFailed())
            return;
        // The colleague's write is the server copy's updatedAt (the read shape names no author).
        const QDateTime changed = QDateTime::fromString(
            h->serverRecord(id).value(QStringLiteral("updatedAt")).toString(), Qt::ISODateWithMs);
        QVERIFY(changed.isValid());
        std::unique_ptr<ConflictDialog> dialog(
            ConflictDialog::forRow(schema, *h->outbox, *h->store, seq, conflicts));
        QVERIFY(dialog);
        auto *label = child<QLabel>(dialog.get(), QStringLiteral("serverChangeLabel"));
        QVERIFY(label);
        const QLocale locale;
        const QString time = changed.toLocalTime().date() == QDate::currentDate()
            ? locale.toString(changed.toLocalTime().time(), QLocale::ShortFormat)
            : locale.toString(changed.toLocalTime(), QLocale::ShortFormat);
        QCOMPARE(label->text(),
            QStringLiteral("Changed on the server at %1 (by a colleague).").arg(time));
    }

    void serverChangeTextForTodayAnotherDayAndNoTime()
    {
        const QDateTime now = QDateTime(QDate(2026, 5, 4), QTime(16, 30)).toLocalTime();
        const QDateTime today = QDateTime(QDate(2026, 5, 4), QTime(14, 2));
        const QDateTime earlier = QDateTime(QDate(2026, 4, 30), QTime(9, 15));
        const auto record = [](const QDateTime &when) {
            return QJsonObject {
                {QStringLiteral("updatedAt"), when.toUTC().toString(Qt::ISODateWithMs)}};
        };
        // Today: the time alone ("2:02 PM" in en_US).
        const QString at = QLocale().toString(QTime(14, 2), QLocale::ShortFormat);
        QVERIFY(at.startsWith(QStringLiteral("2:02")));
        QCOMPARE(ConflictDialog::serverChangeText(record(today), now),
            QStringLiteral("Changed on the server at %1 (by a colleague).").arg(at));
        QCOMPARE(ConflictDialog::serverChangeText(record(earlier), now),
            QStringLiteral("Changed on the server at %1 (by a colleague).")
                .arg(QLocale().toString(earlier, QLocale::ShortFormat)));
        QCOMPARE(ConflictDialog::serverChangeText(QJsonObject {}, now),
            QStringLiteral("Changed on the server (by a colleague)."));
    }

    void aRowNotInConflictGetsNoDialog()
    {
        startPulled();
        const QString id = h->dealIds().at(1);
        h->engine->setWorkOffline(true);
        const auto row = h->edit(id, QStringLiteral("$name"), QStringLiteral("Plain"));
        QVERIFY(row);
        QVERIFY(!ConflictDialog::forRow(schema, *h->outbox, *h->store, row->seq));
        QVERIFY(!ConflictDialog::forRow(schema, *h->outbox, *h->store, 4242));
    }
};

QTEST_MAIN(TestConflictDialog)
#include "tst_conflictdialog.moc"
