// A rep whose admin gave them a key that may only read deals (opportunities:read). They sign in
// through the real sign-in dialog with the keyboard; the window says in one sentence that
// editing is off and why; typing into the form or a table cell, New Deal (Ctrl+N), a stage move
// on the board (a drag, Ctrl+Right) change nothing, and the sandbox receives no write. The
// next start opens from the cache read-only too, before any network answer.

#include "scenario.h"

#include "board/pipelineboardview.h"
#include "editors/fieldeditor.h"
#include "form/dealform.h"
#include "form/newdealdialog.h"
#include "itemmodels/pipelineboardmodel.h"
#include "signindialog.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QHash>
#include <QJsonArray>
#include <QLineEdit>
#include <QListView>
#include <QMimeData>
#include <QPointer>
#include <QPushButton>

#include <memory>

namespace {

const QString kReadKey = QStringLiteral("sk_lf_readonly_Rk7");
const QString kSentence
    = QStringLiteral("This key can only read deals, so editing is off. Sign in with a key that "
                     "has opportunities:update to edit.");

/// A keychain that works, in memory, shared by every app started in this process: the second
/// start finds the key the first one stored, as on a rep's machine.
QHash<QString, QString> &keychain()
{
    static QHash<QString, QString> entries;
    return entries;
}

class MemoryKeychain final : public SecretBackend
{
public:
    void read(const QString &service, const QString &name, Callback done) override
    {
        const QString id = service + QLatin1Char('/') + name;
        later(std::move(done),
            keychain().contains(id) ? Result {Status::Ok, keychain().value(id), {}}
                                    : Result {Status::NotFound, {}, {}});
    }
    void write(
        const QString &service, const QString &name, const QString &secret, Callback done) override
    {
        keychain().insert(service + QLatin1Char('/') + name, secret);
        later(std::move(done), {Status::Ok, {}, {}});
    }
    void remove(const QString &service, const QString &name, Callback done) override
    {
        keychain().remove(service + QLatin1Char('/') + name);
        later(std::move(done), {Status::Ok, {}, {}});
    }

private:
    static void later(Callback done, Result result)
    {
        QTimer::singleShot(0, qApp, [done = std::move(done), result] { done(result); });
    }
};

AppController::Options keychainOptions(const Scenario::App &app)
{
    AppController::Options options;
    options.dataRoot = app.dir.path();
    options.secretBackend = [] { return std::make_unique<MemoryKeychain>(); };
    return options;
}

using Scenario::describeWrites;

} // namespace

class TestReadOnly final : public QObject
{
    Q_OBJECT

private:
    /** Signs in with `key` through the dialog, by keyboard, and waits for every deal. */
    static bool signIn(Scenario::App &app, const QString &key)
    {
        SignInDialog *dialog = nullptr;
        if (!Scenario::waitFor([&] {
                dialog = app.window()->findChild<SignInDialog *>();
                return dialog && dialog->isVisible();
            })) {
            qWarning("no sign-in dialog");
            return false;
        }
        if (!QTest::qWaitForWindowExposed(dialog))
            return false;
        auto *keyEdit = dialog->findChild<QLineEdit *>(QStringLiteral("apiKeyEdit"));
        auto *urlEdit = dialog->findChild<QLineEdit *>(QStringLiteral("baseUrlEdit"));
        if (!Scenario::waitFor([keyEdit] { return QApplication::focusWidget() == keyEdit; })) {
            qWarning("the key field has no focus");
            return false;
        }
        QTest::keyClicks(keyEdit, key);
        QTest::keyClick(dialog, Qt::Key_V, Qt::AltModifier); // Advanced
        if (!Scenario::waitFor([urlEdit] { return urlEdit->isVisible(); }))
            return false;
        QTest::keyClick(dialog, Qt::Key_A, Qt::AltModifier); // Server address
        if (!Scenario::waitFor([urlEdit] { return QApplication::focusWidget() == urlEdit; })) {
            qWarning("the address field has no focus");
            return false;
        }
        QTest::keyClicks(urlEdit, app.baseUrl().toString());
        const QPointer<SignInDialog> closing(dialog);
        QTest::keyClick(urlEdit, Qt::Key_Return);
        if (!Scenario::waitFor([&] { return !closing || !closing->isVisible(); }, 10000)) {
            qWarning("still open: %s",
                qPrintable(dialog->findChild<QLabel *>(QStringLiteral("resultLabel"))->text()));
            return false;
        }
        const int expected = int(app.server->store().ids(Scenario::kDeal).size());
        if (!Scenario::waitFor(
                [&] {
                    return app.table()->model() && app.table()->model()->rowCount() == expected;
                },
                30000)
            || !app.waitForIdle())
            return false;
        // Back in the window, as after any dialog: its shortcuts are live again.
        app.window()->activateWindow();
        return QTest::qWaitForWindowActive(app.window());
    }

private Q_SLOTS:
    void readOnlyKeyEditsNothing()
    {
        keychain().clear();
        Scenario::App app;
        Scenario::App::Options options;
        options.opportunities = 20;
        options.config.apiKeys
            = {{Scenario::kKey, {}}, {kReadKey, {QStringLiteral("opportunities:read")}}};
        QVERIFY(app.startSandbox(options));
        QVERIFY(app.startApp(keychainOptions(app), options.size, false));
        QVERIFY(signIn(app, kReadKey));

        // One sentence says why editing is off.
        auto *notice = app.find<QLabel>(QStringLiteral("capabilityNotice"));
        QVERIFY(notice);
        QTRY_VERIFY(notice->isVisible());
        QCOMPARE(notice->text(), kSentence);
        Scenario::shot(app.window(), QStringLiteral("readonly-window"));

        // The table: a key pressed on a cell opens no editor.
        app.clickCell(0, 1);
        QTRY_VERIFY(!app.currentId().isEmpty());
        const QString id = app.currentId();
        QTest::keyClick(app.table(), Qt::Key_X);
        QTest::keyClick(app.table(), Qt::Key_F2);
        QVERIFY(!app.isEditingInline());

        // The form: the deal is shown, but typing into its name changes nothing.
        auto *form = app.find<DealForm>(QStringLiteral("dealForm"));
        QVERIFY(form);
        QTRY_COMPARE(form->recordId(), id);
        FieldEditor *nameEditor = form->fieldEditor(QStringLiteral("$name"));
        QVERIFY(nameEditor);
        auto *nameEdit = qobject_cast<QLineEdit *>(nameEditor->focusTarget());
        QVERIFY(nameEdit);
        const QString before = nameEdit->text();
        QTest::mouseClick(nameEdit, Qt::LeftButton);
        QTest::keyClick(nameEdit, Qt::Key_End);
        QTest::keyClicks(nameEdit, QStringLiteral(" renamed"));
        QCOMPARE(nameEdit->text(), before);
        QVERIFY(!form->isModified());
        QVERIFY(!form->saveButton()->isEnabled());
        app.press(Qt::Key_S, Qt::ControlModifier);

        // New Deal (Ctrl+N) opens nothing; the action is off.
        auto *newDeal = app.find<QAction>(QStringLiteral("newDealAction"));
        QVERIFY(newDeal && !newDeal->isEnabled());
        app.clickCell(0, 1);
        app.press(Qt::Key_N, Qt::ControlModifier);
        QTest::qWait(200);
        auto *dialog = app.find<NewDealDialog>(QStringLiteral("newDealDialog"));
        QVERIFY(!dialog || !dialog->isVisible());

        // The board: a card dragged to the next stage, and Ctrl+Right, move nothing.
        QTest::keyClick(app.window(), Qt::Key_2, Qt::ControlModifier | Qt::AltModifier);
        auto *board = app.find<PipelineBoardView>(QStringLiteral("pipelineBoard"));
        QVERIFY(board);
        QVERIFY2(Scenario::waitFor([board] {
            return board->isVisible() && board->columnCount() >= 2
                && board->columnView(0)->viewport()->width() > 100;
        }),
            "the board did not show");
        PipelineBoardModel *model = board->model();
        int column = -1;
        for (int c = 0; c + 1 < board->columnCount() && column < 0; ++c) {
            if (model->cardCount(c) > 0)
                column = c;
        }
        QVERIFY2(column >= 0, "no card on the board");
        const QString card = model->index(0, 0, model->index(column, 0))
                                 .data(PipelineBoardModel::IdRole)
                                 .toString();
        QListView *from = board->columnView(column);
        QListView *to = board->columnView(column + 1);
        const QPoint start = from->visualRect(model->indexForId(card)).center();
        const QPoint end = to->viewport()->rect().center();
        QTest::mousePress(from->viewport(), Qt::LeftButton, {}, start);
        const QPoint away = start + QPoint(QApplication::startDragDistance() + 10, 5);
        QTest::mouseMove(from->viewport(), start + QPoint(0, 5));
        QTest::mouseMove(from->viewport(), away);
        QTest::mouseRelease(from->viewport(), Qt::LeftButton, {}, away);
        // The offscreen platform ends a QDrag at once: the drop over the next column is
        // delivered here as a window system would (as tst_board does).
        const std::unique_ptr<QMimeData> mime(model->mimeData({model->indexForId(card)}));
        QVERIFY(mime);
        QDragEnterEvent enter(end, Qt::MoveAction, mime.get(), Qt::LeftButton, {});
        QApplication::sendEvent(to->viewport(), &enter);
        QDragMoveEvent move(end, Qt::MoveAction, mime.get(), Qt::LeftButton, {});
        QApplication::sendEvent(to->viewport(), &move);
        QDropEvent drop(QPointF(end), Qt::MoveAction, mime.get(), Qt::LeftButton, {});
        QApplication::sendEvent(to->viewport(), &drop);
        QTest::qWait(200);
        QCOMPARE(model->indexForId(card).parent().row(), column);
        // Why, in the status bar.
        QVERIFY2(app.statusText().contains(kSentence), qPrintable(app.statusText()));
        QTest::mouseClick(from->viewport(), Qt::LeftButton, {},
            from->visualRect(model->indexForId(card)).center());
        QTRY_COMPARE(board->currentId(), card);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Right, Qt::ControlModifier);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_BracketRight, Qt::ControlModifier);
        QTest::qWait(200);
        QCOMPARE(model->indexForId(card).parent().row(), column);

        // Undo has nothing to undo; bulk edit is off.
        QVERIFY(!app.find<QAction>(QStringLiteral("undoAction"))->isEnabled());
        QVERIFY(!app.find<QAction>(QStringLiteral("bulkEditAction"))->isEnabled());

        // The sandbox received no write at all.
        QVERIFY(app.waitForIdle());
        QVERIFY2(app.writes().isEmpty(), qPrintable(describeWrites(app.writes())));
        QCOMPARE(app.server->stats().value(QStringLiteral("writesApplied")).toInt(), 0);

        // The next start: the key from the keychain, the limits from the settings — read-only
        // before any answer from the server (which is unreachable now).
        app.server->resetStats();
        app.server->suspendListening();
        app.controller.reset();
        QVERIFY(app.startApp(keychainOptions(app), options.size, false));
        const int expected = int(app.server->store().ids(Scenario::kDeal).size());
        QVERIFY(Scenario::waitFor(
            [&] { return app.table()->model() && app.table()->model()->rowCount() == expected; },
            30000));
        notice = app.find<QLabel>(QStringLiteral("capabilityNotice"));
        QTRY_VERIFY(notice->isVisible());
        QCOMPARE(notice->text(), kSentence);
        QVERIFY(!app.find<QAction>(QStringLiteral("newDealAction"))->isEnabled());
        QVERIFY(app.server->resumeListening());
        QVERIFY(app.waitForIdle());
        QVERIFY(app.writes().isEmpty());
    }

    void withoutMembersReadOwnersShowAsIdsWithANote()
    {
        // A key that may edit deals but not read members or contacts: it signs in and edits;
        // members and contacts are not synced (no 403 on every pull), the owner shows as its id
        // with a note saying why.
        keychain().clear();
        const QString key = QStringLiteral("sk_lf_nonames_Nn4");
        Scenario::App app;
        Scenario::App::Options options;
        options.opportunities = 10;
        options.config.apiKeys = {{key,
            {QStringLiteral("opportunities:read"), QStringLiteral("opportunities:update"),
                QStringLiteral("opportunities:create"), QStringLiteral("accounts:read"),
                QStringLiteral("lists:read")}}};
        QVERIFY(app.startSandbox(options));
        QVERIFY(app.startApp(keychainOptions(app), options.size, false));
        QVERIFY(signIn(app, key));
        QVERIFY(!app.find<QLabel>(QStringLiteral("capabilityNotice"))->isVisible());
        QVERIFY2(!app.statusText().contains(QStringLiteral("Sync failed")),
            qPrintable(app.statusText()));
        const QJsonObject requests
            = app.server->stats().value(QStringLiteral("requests")).toObject();
        QVERIFY(!requests.contains(QStringLiteral("GET /v1/members")));
        QVERIFY(!requests.contains(QStringLiteral("GET /v1/contacts")));

        // A deal that has an owner.
        const auto ownerOf = [&app](const QString &id) {
            return app.serverDeal(id)
                .value(QStringLiteral("relationships"))
                .toObject()
                .value(QStringLiteral("$owner"))
                .toObject()
                .value(QStringLiteral("values"))
                .toArray()
                .at(0)
                .toString();
        };
        QString ownerId;
        QAbstractItemModel *model = app.table()->model();
        for (int row = 0; row < model->rowCount() && ownerId.isEmpty(); ++row) {
            const QString id = model->index(row, 0).data(OpportunityRoles::IdRole).toString();
            ownerId = ownerOf(id);
            if (!ownerId.isEmpty())
                app.clickCell(row, 1);
        }
        QVERIFY2(!ownerId.isEmpty(), "no seeded deal has an owner");
        auto *form = app.find<DealForm>(QStringLiteral("dealForm"));
        QTRY_VERIFY(!form->recordId().isEmpty());
        QCOMPARE(ownerOf(form->recordId()), ownerId);
        auto *ownerEdit
            = form->findChild<QWidget *>(QStringLiteral("$owner"))->findChild<QLineEdit *>();
        QVERIFY(ownerEdit);
        QCOMPARE(ownerEdit->text(), ownerId);
        auto *note = form->findChild<QLabel *>(QStringLiteral("namesNote:$owner"));
        QVERIFY(note && note->isVisible());
        QVERIFY2(note->text().contains(QStringLiteral("members:read")), qPrintable(note->text()));
        // The account picker has names: no note there.
        QVERIFY(!form->findChild<QLabel *>(QStringLiteral("namesNote:$account")));
    }

    void fullKeyShowsNoNotice()
    {
        keychain().clear();
        Scenario::App app;
        Scenario::App::Options options;
        options.opportunities = 10;
        QVERIFY(app.startSandbox(options));
        QVERIFY(app.startApp(keychainOptions(app), options.size, false));
        QVERIFY(signIn(app, Scenario::kKey));
        auto *notice = app.find<QLabel>(QStringLiteral("capabilityNotice"));
        QVERIFY(notice);
        QVERIFY(!notice->isVisible());
        QVERIFY(app.find<QAction>(QStringLiteral("newDealAction"))->isEnabled());
        // The same shortcut that does nothing for a read-only key opens New Deal here.
        app.clickCell(0, 1);
        app.press(Qt::Key_N, Qt::ControlModifier);
        QTRY_VERIFY(app.find<NewDealDialog>(QStringLiteral("newDealDialog"))
            && app.find<NewDealDialog>(QStringLiteral("newDealDialog"))->isVisible());
        QTest::keyClick(app.find<NewDealDialog>(QStringLiteral("newDealDialog")), Qt::Key_Escape);
    }
};

QTEST_MAIN(TestReadOnly)
#include "tst_readonly.moc"
