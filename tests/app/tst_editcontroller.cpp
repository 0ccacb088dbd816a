// EditController end to end: a real WorkspaceSession (store, outbox, client,
// sync engine, table models) against the in-process sandbox, a MainWindow showing the session's
// deals and the EditController wiring the form, inline editing, the board, undo and the
// pending-changes dock into it. Every test drives the widgets and checks what was queued (outbox
// rows), what the sandbox received (its writes log) and what the server holds.

#include "domain/recordjson.h"
#include "editcontroller.h"
#include "mainwindow.h"
#include "workspacesession.h"

#include "board/pipelineboardview.h"
#include "domain/merge.h"
#include "editors/fieldeditor.h"
#include "form/dealform.h"
#include "itemmodels/opportunityroles.h"
#include "itemmodels/opportunitysortfilterproxymodel.h"
#include "itemmodels/opportunitytablemodel.h"
#include "store/outbox.h"
#include "sync/syncengine.h"
#include "syncui/conflictdialog.h"
#include "syncui/pendingchangespanel.h"

#include "synctesthelpers.h"

#include <QAction>
#include <QDockWidget>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QTableView>
#include <QtTest>
#include <QUndoStack>

using namespace SyncTest;

namespace {

const QString kName = QStringLiteral("$name");
const QString kStage = QStringLiteral("$stage");

QLineEdit *lineEditOf(QWidget *editor)
{
    if (!editor)
        return nullptr;
    if (auto *edit = qobject_cast<QLineEdit *>(editor))
        return edit;
    return editor->findChild<QLineEdit *>();
}

QJsonObject bodyOf(const OutboxRow &row)
{
    return QJsonDocument::fromJson(row.body).object();
}

QStringList fieldKeys(const QJsonObject &body)
{
    return body.value(QStringLiteral("fields")).toObject().keys();
}

QStringList relationshipKeys(const QJsonObject &body)
{
    return body.value(QStringLiteral("relationships")).toObject().keys();
}

} // namespace

class TestEditController : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Harness> m_h;
    std::unique_ptr<WorkspaceSession> m_session;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<EditController> m_controller;

    QModelIndex cell(const QString &id, const QString &key) const
    {
        OpportunityTableModel *table = m_session->tableModel();
        const QModelIndex source = table->index(table->rowForId(id), table->columnForKey(key));
        return m_session->proxyModel()->mapFromSource(source);
    }

    /** The ids of the deals as the table shows them. */
    QStringList shownIds() const
    {
        QStringList ids;
        const QAbstractItemModel *proxy = m_session->proxyModel();
        for (int row = 0; row < proxy->rowCount(); ++row)
            ids << proxy->index(row, 0).data(OpportunityRoles::IdRole).toString();
        return ids;
    }

    void selectDeal(const QString &id) const
    {
        m_window->dealsView()->setCurrentIndex(cell(id, kName));
    }

    DealForm *form() const { return m_window->findChild<DealForm *>(QStringLiteral("dealForm")); }

    QLineEdit *formNameEdit() const
    {
        FieldEditor *editor = form() ? form()->fieldEditor(kName) : nullptr;
        return editor ? lineEditOf(editor->focusTarget()) : nullptr;
    }

    QAction *action(const char *name) const
    {
        return m_window->findChild<QAction *>(QString::fromLatin1(name));
    }

    /** Types `suffix` at the end of the form's Name and returns the new name. */
    QString typeIntoFormName(const QString &suffix) const
    {
        QLineEdit *edit = formNameEdit();
        if (!edit)
            return QString();
        edit->setFocus();
        edit->end(false);
        QTest::keyClicks(edit, suffix);
        return edit->text();
    }

    void clickSave() const
    {
        auto *save = form()->findChild<QPushButton *>(QStringLiteral("save"));
        QVERIFY(save);
        QVERIFY(save->isEnabled());
        QTest::mouseClick(save, Qt::LeftButton);
    }

    QString serverValue(const QString &id, const QString &key) const
    {
        return RecordJson::fieldValue(m_h->serverRecord(id), key).toString();
    }

    /** The bodies of the API writes the sandbox received for deal `id`, oldest first. */
    QList<QJsonObject> writesFor(const QString &id) const
    {
        QList<QJsonObject> bodies;
        const QJsonArray writes = m_h->writes();
        for (const QJsonValue &value : writes) {
            const QJsonObject write = value.toObject();
            if (write.value(QStringLiteral("path")).toString().endsWith(QLatin1Char('/') + id))
                bodies << write.value(QStringLiteral("body")).toObject();
        }
        return bodies;
    }

    int allWrites() const { return int(m_h->writes().size()); }

    /** Nothing pending or in flight, nothing being sent. */
    bool waitSent(int timeoutMs = 30000) const
    {
        return waitFor(
            [this] {
                const Outbox::Counts counts = m_session->outbox().counts();
                return counts.pending == 0 && counts.inFlight == 0
                    && m_session->sync().rowsInFlight() == 0;
            },
            timeoutMs);
    }

    /** A colleague's update through the sandbox's admin route. */
    bool colleagueUpdate(const QString &id, const QJsonObject &body) const
    {
        QNetworkAccessManager nam;
        QNetworkRequest request(QUrl(
            m_h->baseUrl().toString() + QStringLiteral("/__sandbox/records/opportunities/") + id));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        QNetworkReply *reply = nam.post(request, compactJson(body));
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return status >= 200 && status < 300;
    }

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void selectingRowFillsFormAndSaveSendsOneKey();
    void undoBeforeAndAfterPush();
    void inlineEditQueuesUndoableEdit();
    void boardNextStageSendsStage();
    void workOfflineThenOnlineDeliversOnce();
    void conflictResolvedAllMineSendsMine();
    void refusedChangeMarksTheBlamedFieldWithTheReason();
    void switchingDealsQueuesUnsavedEdits();
    void newControllerOnSameWindow();
};

void TestEditController::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestEditController::init()
{
    m_h = std::make_unique<Harness>();
    QVERIFY(m_h->dir.isValid());
    QVERIFY(m_h->startServer({}, 12));

    WorkspaceSession::Settings settings;
    settings.baseUrl = m_h->baseUrl();
    settings.apiKey = kKey;
    settings.accountIdentity = QStringLiteral("rep@example.com");
    settings.dataRoot = m_h->dir.path();
    m_session = std::make_unique<WorkspaceSession>(settings);
    QSignalSpy synced(m_session.get(), &WorkspaceSession::syncFinished);
    QVERIFY2(m_session->open(), qPrintable(m_session->errorMessage()));
    QVERIFY(synced.wait(30000));
    QVERIFY2(synced.first().at(0).toBool(), qPrintable(synced.first().at(1).toString()));
    QTRY_COMPARE_WITH_TIMEOUT(m_session->tableModel()->rowCount(), 12, 10000);

    m_window = std::make_unique<MainWindow>();
    m_window->setDealsModel(m_session->proxyModel());
    m_controller = std::make_unique<EditController>(*m_session, *m_window);
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(m_session->proxyModel()->rowCount() >= 3);
    QVERIFY(m_session->outbox().rows().isEmpty());
    QCOMPARE(allWrites(), 0);
}

void TestEditController::cleanup()
{
    // The controller takes its widgets out of the window; the window outlives it, the session
    // outlives both (as in AppController).
    m_controller.reset();
    m_window.reset();
    m_session.reset();
    m_h.reset();
}

void TestEditController::selectingRowFillsFormAndSaveSendsOneKey()
{
    const QStringList ids = shownIds();
    const QString id = ids.at(0);
    selectDeal(ids.at(1));
    QVERIFY(form());
    QCOMPARE(form()->recordId(), ids.at(1));
    selectDeal(id);
    QCOMPARE(form()->recordId(), id);
    const QString oldName = serverValue(id, kName);
    QVERIFY(!oldName.isEmpty());
    QVERIFY(formNameEdit());
    QCOMPARE(formNameEdit()->text(), oldName);

    const QString newName = typeIntoFormName(QStringLiteral(" renewal"));
    QCOMPARE(newName, oldName + QStringLiteral(" renewal"));
    QVERIFY(form()->isModified());
    clickSave();
    QVERIFY(!form()->isModified());

    // Exactly one outbox row, with only the field that was typed into.
    const QList<OutboxRow> rows = m_session->outbox().rows();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().recordId, id);
    QCOMPARE(fieldKeys(bodyOf(rows.first())), QStringList {kName});
    QVERIFY(relationshipKeys(bodyOf(rows.first())).isEmpty());
    QCOMPARE(m_controller->undoStack()->count(), 1);

    QVERIFY(waitSent());
    const QList<QJsonObject> writes = writesFor(id);
    QCOMPARE(writes.size(), 1);
    QCOMPARE(allWrites(), 1);
    QCOMPARE(fieldKeys(writes.first()), QStringList {kName});
    QVERIFY(relationshipKeys(writes.first()).isEmpty());
    QCOMPARE(
        writes.first().value(QStringLiteral("fields")).toObject().value(kName).toString(), newName);
    QCOMPARE(serverValue(id, kName), newName);
    QVERIFY(m_session->outbox().rows().isEmpty());
    QTRY_COMPARE(cell(id, kName).data().toString(), newName);
}

void TestEditController::undoBeforeAndAfterPush()
{
    const QString id = shownIds().at(0);
    const QString oldName = serverValue(id, kName);
    QAction *undo = action("undoAction");
    QVERIFY(undo);
    QVERIFY(!undo->isEnabled());

    // Before the push (working offline): Undo takes the queued row back; nothing is ever sent.
    m_session->sync().setWorkOffline(true);
    selectDeal(id);
    const QString draft = typeIntoFormName(QStringLiteral(" draft"));
    clickSave();
    QCOMPARE(m_session->outbox().rows().size(), 1);
    QCOMPARE(cell(id, kName).data().toString(), draft);
    QVERIFY(undo->isEnabled());
    undo->trigger();
    QVERIFY(m_session->outbox().rows().isEmpty());
    QCOMPARE(form()->recordId(), id);
    QCOMPARE(formNameEdit()->text(), oldName);
    QVERIFY(!form()->isModified());
    QCOMPARE(cell(id, kName).data().toString(), oldName);

    QSignalSpy pulled(&m_session->sync(), &SyncEngine::pullFinished);
    m_session->sync().setWorkOffline(false); // back online: push, then pull
    QVERIFY(pulled.wait(30000));
    QVERIFY(waitSent());
    QCOMPARE(allWrites(), 0);
    QCOMPARE(serverValue(id, kName), oldName);

    // After the push: Undo sends the old value back.
    const QString newName = typeIntoFormName(QStringLiteral(" renewal"));
    clickSave();
    QVERIFY(waitSent());
    QCOMPARE(serverValue(id, kName), newName);
    QCOMPARE(m_controller->undoStack()->count(), 1);
    QVERIFY(undo->isEnabled());
    undo->trigger();
    QVERIFY(waitSent());
    QCOMPARE(serverValue(id, kName), oldName);
    const QList<QJsonObject> writes = writesFor(id);
    QCOMPARE(writes.size(), 2);
    QCOMPARE(allWrites(), 2);
    QCOMPARE(fieldKeys(writes.at(1)), QStringList {kName});
    QCOMPARE(
        writes.at(1).value(QStringLiteral("fields")).toObject().value(kName).toString(), oldName);
    QTRY_COMPARE(cell(id, kName).data().toString(), oldName);
    QCOMPARE(formNameEdit()->text(), oldName);
}

void TestEditController::inlineEditQueuesUndoableEdit()
{
    m_session->sync().setWorkOffline(true);
    const QString id = shownIds().at(1);
    const QString oldName = serverValue(id, kName);
    QTableView *view = m_window->dealsView();
    const QModelIndex index = cell(id, kName);
    QVERIFY(index.isValid());
    QVERIFY(!view->isColumnHidden(index.column()));
    view->setCurrentIndex(index);
    view->setFocus();
    QTest::keyClick(view, Qt::Key_F2);
    // The Name column edits in its frozen overlay, a child of the view.
    auto *editor = view->findChild<FieldEditor *>();
    QVERIFY(editor);
    QLineEdit *edit = lineEditOf(editor->focusTarget());
    QVERIFY(edit);
    QCOMPARE(edit->text(), oldName);
    edit->end(false); // the view selects the text when the editor opens
    QTest::keyClicks(edit, QStringLiteral(" inline"));
    QTest::keyClick(edit, Qt::Key_Return);
    const QString newName = oldName + QStringLiteral(" inline");

    QCOMPARE(m_controller->undoStack()->count(), 1);
    const QList<OutboxRow> rows = m_session->outbox().rows();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().recordId, id);
    QCOMPARE(fieldKeys(bodyOf(rows.first())), QStringList {kName});
    QCOMPARE(
        bodyOf(rows.first()).value(QStringLiteral("fields")).toObject().value(kName).toString(),
        newName);
    QTRY_COMPARE(view->findChild<FieldEditor *>(), nullptr);
    // The table shows the queued value, marked pending.
    QCOMPARE(cell(id, kName).data().toString(), newName);
    QTRY_VERIFY(cell(id, kName).data(OpportunityRoles::PendingRole).toBool());

    m_session->sync().setWorkOffline(false);
    QVERIFY(waitSent());
    const QList<QJsonObject> writes = writesFor(id);
    QCOMPARE(writes.size(), 1);
    QCOMPARE(fieldKeys(writes.first()), QStringList {kName});
    QCOMPARE(serverValue(id, kName), newName);
}

void TestEditController::boardNextStageSendsStage()
{
    const FieldDefinition *stage = m_session->tableModel()->schema().field(kStage);
    QVERIFY(stage);
    const auto options = stage->options();
    QVERIFY(options.size() >= 4);
    // A deal in one of the first stages, so that there is a next one that is still open.
    QString id;
    int from = -1;
    const QStringList ids = shownIds();
    for (const QString &candidate : ids) {
        const QString current = serverValue(candidate, kStage);
        for (int i = 0; i < 3; ++i) {
            if (options.at(i).id == current)
                from = i;
        }
        if (from >= 0) {
            id = candidate;
            break;
        }
    }
    QVERIFY2(!id.isEmpty(), "no deal in an early stage");
    const QString next = options.at(from + 1).id;

    selectDeal(id);
    QAction *nextStage = action("nextStageAction");
    QVERIFY(nextStage);
    nextStage->trigger();
    QCOMPARE(m_controller->undoStack()->count(), 1);
    QVERIFY(waitSent());
    QList<QJsonObject> writes = writesFor(id);
    QCOMPARE(writes.size(), 1);
    QCOMPARE(fieldKeys(writes.first()), QStringList {kStage});
    QVERIFY(relationshipKeys(writes.first()).isEmpty());
    QCOMPARE(
        writes.first().value(QStringLiteral("fields")).toObject().value(kStage).toString(), next);
    QCOMPARE(serverValue(id, kStage), next);

    // A move on the board itself (a drop, or the keyboard on a card) goes the same way.
    PipelineBoardView *board = m_controller->board();
    QVERIFY(board);
    // The board follows the table only while it is shown (a hidden board costs nothing).
    QVERIFY(!board->selectId(id));
    m_window->showWorkspacePage(board);
    QVERIFY(board->selectId(id));
    Q_EMIT board->moveRequested(id, options.at(from).id);
    QCOMPARE(m_controller->undoStack()->count(), 2);
    QVERIFY(waitSent());
    writes = writesFor(id);
    QCOMPARE(writes.size(), 2);
    QCOMPARE(fieldKeys(writes.at(1)), QStringList {kStage});
    QCOMPARE(serverValue(id, kStage), options.at(from).id);
    QCOMPARE(allWrites(), 2);
}

void TestEditController::workOfflineThenOnlineDeliversOnce()
{
    m_session->sync().setWorkOffline(true);
    QVERIFY(!m_session->sync().isOnline());
    const QString id = shownIds().at(2);
    selectDeal(id);
    QVERIFY(!cell(id, kName).data(OpportunityRoles::PendingRole).toBool());
    const QString newName = typeIntoFormName(QStringLiteral(" offline"));
    clickSave();
    QCOMPARE(m_session->outbox().counts().pending, 1);
    QTRY_VERIFY(cell(id, kName).data(OpportunityRoles::PendingRole).toBool());
    QCOMPARE(cell(id, kName).data().toString(), newName);
    QVERIFY(form()->fieldState(kName) == DealForm::FieldState::Pending);
    // Opening another deal and coming back shows the queued field as pending again.
    selectDeal(shownIds().at(0) == id ? shownIds().at(1) : shownIds().at(0));
    QVERIFY(form()->recordId() != id);
    QVERIFY(form()->fieldState(kName) == DealForm::FieldState::None);
    selectDeal(id);
    QCOMPARE(form()->recordId(), id);
    QVERIFY(form()->fieldState(kName) == DealForm::FieldState::Pending);
    QCOMPARE(allWrites(), 0);

    m_session->sync().setWorkOffline(false);
    QVERIFY(waitSent());
    QTRY_VERIFY(!cell(id, kName).data(OpportunityRoles::PendingRole).toBool());
    QCOMPARE(serverValue(id, kName), newName);
    QCOMPARE(writesFor(id).size(), 1);

    // Another sync sends nothing again.
    QSignalSpy pulled(&m_session->sync(), &SyncEngine::pullFinished);
    m_session->syncNow();
    QVERIFY(pulled.wait(30000));
    QVERIFY(waitSent());
    QCOMPARE(allWrites(), 1);
    QCOMPARE(cell(id, kName).data().toString(), newName);
}

void TestEditController::conflictResolvedAllMineSendsMine()
{
    const QString id = shownIds().at(0);
    m_session->sync().setWorkOffline(true);
    selectDeal(id);
    const QString mine = typeIntoFormName(QStringLiteral(" (mine)"));
    clickSave();
    const QList<OutboxRow> queued = m_session->outbox().rows();
    QCOMPARE(queued.size(), 1);
    const qint64 seq = queued.first().seq;

    const QString theirs = QStringLiteral("Renamed by a colleague");
    QVERIFY(colleagueUpdate(
        id, QJsonObject {{QStringLiteral("fields"), QJsonObject {{kName, theirs}}}}));
    QCOMPARE(serverValue(id, kName), theirs);

    auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("pendingChangesDock"));
    QVERIFY(dock);
    QVERIFY(!dock->isVisible());
    PendingChangesPanel *panel = m_controller->pendingPanel();
    QVERIFY(panel);

    m_session->sync().setWorkOffline(false);
    QTRY_VERIFY_WITH_TIMEOUT(m_session->outbox().counts().conflict == 1, 30000);
    QTRY_VERIFY(dock->isVisible());
    QCOMPARE(panel->selectedSeq(), seq);
    QCOMPARE(serverValue(id, kName), theirs); // mine has not overwritten theirs
    // The open form marks the field as in conflict.
    QCOMPARE(form()->recordId(), id);
    QTRY_VERIFY(form()->fieldState(kName) == DealForm::FieldState::Conflict);

    QSignalSpy resolve(panel, &PendingChangesPanel::resolveRequested);
    auto *resolveButton = panel->findChild<QPushButton *>(QStringLiteral("resolveButton"));
    QVERIFY(resolveButton);
    QVERIFY(resolveButton->isEnabled());
    QTest::mouseClick(resolveButton, Qt::LeftButton);
    QCOMPARE(resolve.count(), 1);
    QCOMPARE(resolve.first().at(0).toLongLong(), seq);

    ConflictDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<ConflictDialog *>()) != nullptr);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(dialog->keys(), QStringList {kName});
    auto *allMine = dialog->findChild<QPushButton *>(QStringLiteral("allMineButton"));
    auto *apply = dialog->findChild<QPushButton *>(QStringLiteral("applyButton"));
    QVERIFY(allMine);
    QVERIFY(apply);
    QTest::mouseClick(allMine, Qt::LeftButton);
    QVERIFY(apply->isEnabled());
    QTest::mouseClick(apply, Qt::LeftButton);

    QVERIFY(waitSent());
    QCOMPARE(m_session->outbox().counts().conflict, 0);
    QCOMPARE(serverValue(id, kName), mine);
    const QList<QJsonObject> writes = writesFor(id);
    QVERIFY(!writes.isEmpty());
    QCOMPARE(fieldKeys(writes.last()), QStringList {kName});
    QCOMPARE(
        writes.last().value(QStringLiteral("fields")).toObject().value(kName).toString(), mine);
    QVERIFY(m_session->outbox().rows().isEmpty());
    QTRY_COMPARE(cell(id, kName).data().toString(), mine);
    QTRY_VERIFY(form()->fieldState(kName) == DealForm::FieldState::None);
    QCOMPARE(formNameEdit()->text(), mine);
}

void TestEditController::refusedChangeMarksTheBlamedFieldWithTheReason()
{
    // A change the server refused names the field it blamed and its reason, in the form and on
    // the deal's card.
    m_session->sync().setWorkOffline(true);
    const QString id = shownIds().at(1);
    selectDeal(id);
    typeIntoFormName(QStringLiteral(" refused"));
    clickSave();
    const QList<OutboxRow> queued = m_session->outbox().rows();
    QCOMPARE(queued.size(), 1);
    QVERIFY(form()->fieldState(kName) == DealForm::FieldState::Pending);
    const QString reason = QStringLiteral("Names must be shorter.");
    QVERIFY(m_session->outbox().park(queued.first().seq, QStringLiteral("422|$name|") + reason));
    QTRY_VERIFY(form()->fieldState(kName) == DealForm::FieldState::Error);
    QCOMPARE(form()->fieldStateMessage(kName), reason);

    m_window->showWorkspacePage(m_controller->board());
    const PipelineBoardModel *board = m_controller->board()->model();
    QTRY_VERIFY(board->indexForId(id).isValid());
    const QString tip = board->indexForId(id).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.endsWith(reason), qPrintable(tip));
    QCOMPARE(allWrites(), 0);
}

void TestEditController::switchingDealsQueuesUnsavedEdits()
{
    m_session->sync().setWorkOffline(true);
    const QStringList ids = shownIds();
    const QString first = ids.at(0);
    const QString second = ids.at(1);
    selectDeal(first);
    const QString typed = typeIntoFormName(QStringLiteral(" unsaved"));
    QVERIFY(form()->isModified());
    QVERIFY(m_session->outbox().rows().isEmpty());

    selectDeal(second);
    QCOMPARE(form()->recordId(), second);
    QVERIFY(!form()->isModified());
    const QList<OutboxRow> rows = m_session->outbox().rows();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().recordId, first);
    QCOMPARE(fieldKeys(bodyOf(rows.first())), QStringList {kName});
    QCOMPARE(
        bodyOf(rows.first()).value(QStringLiteral("fields")).toObject().value(kName).toString(),
        typed);
    QCOMPARE(m_controller->undoStack()->count(), 1);
    QCOMPARE(cell(first, kName).data().toString(), typed);

    m_session->sync().setWorkOffline(false);
    QVERIFY(waitSent());
    QCOMPARE(serverValue(first, kName), typed);
    QCOMPARE(writesFor(first).size(), 1);
    QCOMPARE(allWrites(), 1);
}

void TestEditController::newControllerOnSameWindow()
{
    // AppController keeps the window across sessions (sign out, sign in): the next session's
    // controller adds its pages and actions again, and nothing of the first one is left.
    QPointer<PipelineBoardView> oldBoard = m_controller->board();
    m_controller.reset();
    QVERIFY(oldBoard.isNull());
    QCOMPARE(m_window->findChildren<QAction *>(QStringLiteral("showBoardAction")).size(), 0);
    QCOMPARE(m_window->findChildren<DealForm *>().size(), 0);
    m_controller = std::make_unique<EditController>(*m_session, *m_window);

    QCOMPARE(m_window->findChildren<QAction *>(QStringLiteral("showBoardAction")).size(), 1);
    QCOMPARE(m_window->findChildren<QAction *>(QStringLiteral("showChartsAction")).size(), 1);
    QCOMPARE(m_window->findChildren<QAction *>(QStringLiteral("showTableAction")).size(), 1);
    QCOMPARE(m_window->findChildren<QAction *>(QStringLiteral("undoAction")).size(), 1);
    QCOMPARE(m_window->findChildren<DealForm *>().size(), 1);
    m_window->findChild<QAction *>(QStringLiteral("showBoardAction"))->trigger();
    QVERIFY(m_window->currentWorkspacePage()->isAncestorOf(m_controller->board()));
    QCOMPARE(m_window->findChildren<PipelineBoardView *>().size(), 1);
    m_window->findChild<QAction *>(QStringLiteral("showTableAction"))->trigger();

    // And the new controller edits: select, type, save, sent once.
    const QString id = shownIds().at(0);
    selectDeal(id);
    QCOMPARE(form()->recordId(), id);
    const QString newName = typeIntoFormName(QStringLiteral(" again"));
    clickSave();
    QCOMPARE(m_controller->undoStack()->count(), 1);
    QVERIFY(waitSent());
    QCOMPARE(writesFor(id).size(), 1);
    QCOMPARE(serverValue(id, kName), newName);
}

QTEST_MAIN(TestEditController)
#include "tst_editcontroller.moc"
