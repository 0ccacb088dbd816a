#include "editcontroller.h"
#include "domain/json.h"
#include "domain/recordjson.h"

#include "board/bulkeditdialog.h"
#include "board/dealcharts.h"
#include "board/headercolumns.h"
#include "board/pipelineboardpage.h"
#include "board/pipelineboardview.h"
#include "edit/createrecordcommand.h"
#include "edit/editrecordcommand.h"
#include "edit/recordeditservice.h"
#include "editors/fieldeditordelegate.h"
#include "export/viewexport.h"
#include "form/dealform.h"
#include "form/newdealdialog.h"
#include "itemmodels/namedirectory.h"
#include "itemmodels/namelistmodel.h"
#include "itemmodels/opportunityroles.h"
#include "itemmodels/opportunitysortfilterproxymodel.h"
#include "itemmodels/opportunitytableloader.h"
#include "itemmodels/opportunitytablemodel.h"
#include "itemmodels/pipelineboardmodel.h"
#include "logging.h"
#include "mainwindow.h"
#include "net/errortext.h"
#include "net/lightfieldclient.h"
#include "store/cacherecovery.h"
#include "store/localstore.h"
#include "store/outbox.h"
#include "store/outboxrowreading.h"
#include "sync/createcandidatemodel.h"
#include "sync/syncengine.h"
#include "syncui/conflictdialog.h"
#include "syncui/mayexistdialog.h"
#include "syncui/pendingchangespanel.h"
#include "syncui/recovereditsdialog.h"
#include "workspacesession.h"

#include <QAction>
#include <QDockWidget>
#include <QFileDialog>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonDocument>
#include <QMenu>
#include <QMessageBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QUndoStack>

#include <algorithm>

namespace {
const QString kOpportunity = QStringLiteral("opportunity");
const QString kStage = QStringLiteral("$stage");
} // namespace

EditController::EditController(WorkspaceSession &session, MainWindow &window, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_window(window)
    , m_service(std::make_unique<RecordEditService>(session.store(), session.outbox()))
    , m_undo(std::make_unique<QUndoStack>())
    , m_accounts(std::make_unique<NameListModel>())
    , m_members(std::make_unique<NameListModel>())
    , m_contacts(std::make_unique<NameListModel>())
    , m_boardModel(std::make_unique<PipelineBoardModel>())
{
    createWidgets();
    createActions();
    wireSession();
    applyCapabilities();
    refreshNames();
    refreshForm();
}

void EditController::applyCapabilities()
{
    // What the key may not do is switched off where the rep would try it, with one sentence
    // in the window saying why; the entry points below refuse it as well (a shortcut, a drop).
    const Capabilities &can = m_session.capabilities();
    const bool edit = can.canEditDeals();
    m_window.setCapabilityNotice(can.editingNotice());
    if (m_form) {
        m_form->setReadOnly(!edit);
        for (const QString &type :
            {QStringLiteral("account"), QStringLiteral("member"), QStringLiteral("contact")})
            m_form->setNamesNote(type, can.namesNote(type));
    }
    m_tableTriggers = m_window.dealsView()->editTriggers();
    if (!edit)
        m_window.dealsView()->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (const QPointer<QAction> &action : std::as_const(m_actions)) {
        if (!action)
            continue;
        const QString name = action->objectName();
        if (name == QLatin1String("newDealAction"))
            action->setEnabled(can.canCreateDeals());
        else if (name == QLatin1String("saveDealAction") || name == QLatin1String("bulkEditAction")
            || name == QLatin1String("previousStageAction")
            || name == QLatin1String("nextStageAction"))
            action->setEnabled(edit);
    }
    if (m_board && !edit) {
        m_board->moveLeftAction()->setEnabled(false);
        m_board->moveRightAction()->setEnabled(false);
    }
}

bool EditController::refuseEdit(bool create)
{
    const QString refusal = m_session.capabilities().writeRefusal(create);
    if (refusal.isEmpty())
        return false;
    showMessage(m_session.capabilities().editingNotice(), 10'000);
    return true;
}

EditController::~EditController()
{
    // The widgets live in the window, which outlives the session: take them out now, before
    // the models and the store they point at go away.
    // Taking the pages out switches the window's tab: nothing of ours may answer that.
    disconnect(&m_window, nullptr, this, nullptr);
    m_window.setCapabilityNotice({});
    m_window.dealsView()->setEditTriggers(m_tableTriggers);
    for (const QPointer<QAction> &action : std::as_const(m_actions))
        delete action.data();
    if (m_delegate) {
        m_window.dealsView()->setItemDelegate(nullptr);
        delete m_delegate.data();
    }
    delete m_newDealDialog.data(); // it borrows the name models
    delete m_pendingDock.data();
    delete m_boardPage.data(); // with the board
    delete m_charts.data();
    delete m_form.data();
}

DealForm *EditController::form() const
{
    return m_form;
}

PipelineBoardView *EditController::board() const
{
    return m_board;
}

DealCharts *EditController::charts() const
{
    return m_charts;
}

PendingChangesPanel *EditController::pendingPanel() const
{
    return m_pending;
}

void EditController::createWidgets()
{
    m_form = new DealForm();
    m_form->setObjectName(QStringLiteral("dealForm"));
    m_form->setNameModel(QStringLiteral("account"), m_accounts.get());
    m_form->setNameModel(QStringLiteral("member"), m_members.get());
    m_form->setNameModel(QStringLiteral("contact"), m_contacts.get());
    m_window.setDetailWidget(m_form);
    connect(m_form, &DealForm::saveRequested, this,
        [this](const QString &recordId, const ChangeSet &changes) {
            if (queueEdit(recordId, changes))
                m_form->markSaved();
        });

    // Inline editing: the same editors in the table; a commit becomes an undoable edit.
    m_delegate = new FieldEditorDelegate(m_window.dealsView());
    m_window.dealsView()->setItemDelegate(m_delegate);
    connect(m_delegate, &FieldEditorDelegate::valueCommitted, this,
        [this](const QString &recordId, const QString &key, const FieldValue &value) {
            const ObjectSchema &schema = m_session.tableModel()->schema();
            const FieldDefinition *definition = schema.field(key);
            if (!definition)
                return;
            ChangeSet changes;
            if (!changes.setValue(*definition, value)) {
                showMessage(tr("%1 can't be changed here.").arg(definition->label()));
                return;
            }
            queueEdit(recordId, changes);
        });
    connect(m_delegate, &FieldEditorDelegate::inputRejected, this,
        [this](const QString &, const QString &message) { showMessage(message); });

    // The board follows the table's rows only while it is shown: regrouping 100,000 cards on
    // every search keystroke would slow the table down (docs/benchmarks.md, board).
    // A card whose move the server refused says why (the parked row's reason).
    m_boardModel->setStatusTextProvider([this](const QString &recordId) {
        for (const OutboxRow &row : m_session.outbox().rowsFor(kOpportunity, recordId)) {
            if (row.state == OutboxRow::State::Parked)
                return OutboxRowReading::refusal(row).message;
            if (row.state == OutboxRow::State::Conflict)
                return tr("Changed on the server too: resolve it in Pending Changes.");
        }
        return QString();
    });
    m_boardPage = new PipelineBoardPage(*m_boardModel);
    m_board = m_boardPage->board();
    m_window.addWorkspacePage(m_boardPage, tr("Board"));
    m_boardPage->setSchema(m_session.tableModel()->schema());
    connect(m_board, &PipelineBoardView::moveRequested, this, &EditController::moveToStage);
    // One current deal for the table, the board and the pane: a card picked on the board is
    // selected in the table too (so the table shows it when the rep switches back) and shown in
    // the pane; the keyboard stays on the board until Enter / a double click hands it to the
    // form.
    connect(m_board, &PipelineBoardView::currentDealChanged, this, [this](const QString &id) {
        if (id.isEmpty())
            return;
        if (id != m_window.currentDealId())
            m_window.selectDeal(id);
        openDeal(id, false);
    });
    connect(m_board, &PipelineBoardView::dealActivated, this, [this](const QString &id) {
        openDeal(id, false);
        if (m_form && m_openId == id)
            m_form->focusFirstEditable();
    });
    connect(&m_window, &MainWindow::workspacePageChanged, this, [this](QWidget *page) {
        const bool shown = m_boardPage && page == m_boardPage;
        if (shown != (m_boardModel->sourceModel() != nullptr))
            m_boardModel->setSourceModel(shown ? m_session.proxyModel() : nullptr);
        // The pane follows the page's own selection: the open deal stays open on the board when
        // it has a card there, else the board's card (or nothing) is shown.
        if (shown) {
            if (m_openId.isEmpty() || !m_board->selectId(m_openId))
                openDeal(m_board->currentId(), false);
        } else if (page == m_window.dealsView()->parentWidget()) {
            openDeal(m_window.currentDealId());
        }
    });

    m_charts = new DealCharts();
    m_charts->setObjectName(QStringLiteral("dealCharts"));
    m_charts->setModel(m_session.proxyModel());
    m_window.addWorkspacePage(m_charts, tr("Charts"));

    m_pending = new PendingChangesPanel(m_session.outbox(), m_session.store());
    m_pending->setObjectName(QStringLiteral("pendingChanges"));
    m_pendingDock = new QDockWidget(tr("Pending Changes"), &m_window);
    m_pendingDock->setObjectName(QStringLiteral("pendingChangesDock"));
    m_pendingDock->setWidget(m_pending);
    m_window.addDockWidget(Qt::BottomDockWidgetArea, m_pendingDock);
    m_pendingDock->hide();
    connect(m_pending, &PendingChangesPanel::resolveRequested, this,
        [this](qint64 seq) { resolveConflict(seq); });
    connect(m_pending, &PendingChangesPanel::mayExistRequested, this,
        [this](qint64 seq) { answerMayExist(seq); });
    m_pending->setServerCheck(
        [this](const OutboxRow &row, QObject *context, std::function<void(const QString &)> done) {
            checkServerBeforeDiscard(row, context, std::move(done));
        });
}

void EditController::createActions()
{
    const auto track = [this](QAction *action, const char *name) {
        action->setObjectName(QString::fromLatin1(name));
        m_actions.append(action);
        return action;
    };

    QMenu *edit = m_window.menu(MainWindow::Menu::Edit);
    QAction *first = edit->actions().value(0);
    QAction *undo = track(m_undo->createUndoAction(&m_window, tr("&Undo")), "undoAction");
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = track(m_undo->createRedoAction(&m_window, tr("&Redo")), "redoAction");
    // Ctrl+Shift+Z everywhere, plus the platform's own (Ctrl+Y on Windows).
    QList<QKeySequence> redoKeys {QKeySequence(QStringLiteral("Ctrl+Shift+Z"))};
    for (const QKeySequence &key : QKeySequence::keyBindings(QKeySequence::Redo)) {
        if (!redoKeys.contains(key))
            redoKeys << key;
    }
    redo->setShortcuts(redoKeys);
    edit->insertAction(first, undo);
    edit->insertAction(first, redo);
    m_actions.append(edit->insertSeparator(first));

    QMenu *deal = m_window.menu(MainWindow::Menu::Deal);
    QAction *dealFirst = deal->actions().value(0);
    QAction *newDeal = track(new QAction(tr("&New Deal…"), &m_window), "newDealAction");
    newDeal->setShortcut(QKeySequence::New);
    connect(newDeal, &QAction::triggered, this, &EditController::newDeal);
    QAction *save = track(new QAction(tr("&Save Deal"), &m_window), "saveDealAction");
    save->setShortcut(QKeySequence::Save);
    connect(save, &QAction::triggered, this, [this] {
        if (m_form && m_form->isModified())
            m_form->save();
    });
    deal->insertAction(dealFirst, newDeal);
    deal->insertAction(dealFirst, save);
    m_actions.append(deal->insertSeparator(dealFirst));

    m_actions.append(deal->addSeparator());
    // Ctrl+[ / Ctrl+]: no text editor or item view uses them, so they work wherever focus is.
    const auto moveAction = [&](const QString &text, const char *key, const char *name, int step) {
        QAction *action = track(new QAction(text, &m_window), name);
        action->setShortcut(QKeySequence(QString::fromLatin1(key)));
        connect(action, &QAction::triggered, this, [this, step] {
            const bool onBoard = m_boardPage && m_window.currentWorkspacePage() == m_boardPage;
            const QString id = onBoard ? m_board->currentId() : m_openId;
            const ObjectSchema &schema = m_session.tableModel()->schema();
            const FieldDefinition *stage = schema.field(kStage);
            const std::optional<Record> record
                = id.isEmpty() ? std::nullopt : m_service->currentRecord(schema, id);
            if (!stage || !record)
                return;
            // The next stage within the deal's pipeline (the options of the others left out).
            const QString pipeline = schema.stagePipeline(record->value(kStage).toText());
            QList<SelectOption> options;
            for (const SelectOption &option : stage->options()) {
                if (pipeline.isEmpty() || option.pipelineId.isEmpty()
                    || option.pipelineId == pipeline)
                    options.append(option);
            }
            const QString current = record->value(kStage).toText();
            const auto at = std::find_if(options.cbegin(), options.cend(),
                [&current](const SelectOption &o) { return o.id == current; });
            const qsizetype target = (at - options.cbegin()) + step;
            if (at == options.cend() || target < 0 || target >= options.size())
                return;
            moveToStage(id, options.at(target).id);
        });
        deal->addAction(action);
    };
    moveAction(tr("Move to &Previous Stage"), "Ctrl+[", "previousStageAction", -1);
    moveAction(tr("Move to Ne&xt Stage"), "Ctrl+]", "nextStageAction", +1);
    QAction *bulk = track(new QAction(tr("&Bulk Edit…"), &m_window), "bulkEditAction");
    bulk->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+E")));
    connect(bulk, &QAction::triggered, this, &EditController::bulkEdit);
    deal->addAction(bulk);
    m_window.dealsView()->addAction(bulk);

    QMenu *file = m_window.menu(MainWindow::Menu::File);
    QAction *fileFirst = file->actions().value(0);
    QAction *exportCsv
        = track(new QAction(tr("&Export View as CSV…"), &m_window), "exportCsvAction");
    exportCsv->setShortcut(QKeySequence(QStringLiteral("Ctrl+E")));
    connect(exportCsv, &QAction::triggered, this, &EditController::exportView);
    file->insertAction(fileFirst, exportCsv);
    file->insertAction(fileFirst, m_charts->saveImageAction());
    if (DealCharts::printingAvailable())
        file->insertAction(fileFirst, m_charts->printAction());
    m_actions.append(file->insertSeparator(fileFirst));

    QMenu *sync = m_window.menu(MainWindow::Menu::Sync);
    m_actions.append(sync->addSeparator());
    QAction *pending = m_pendingDock->toggleViewAction();
    pending->setText(tr("&Pending Changes"));
    pending->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+P")));
    pending->setObjectName(QStringLiteral("pendingChangesAction"));
    sync->addAction(pending);
    connect(
        &m_window, &MainWindow::pendingChangesRequested, this, &EditController::showPendingChanges);

    connect(m_service.get(), &RecordEditService::undoFailed, this,
        [this](const QString &message) { showMessage(message, 10'000); });

    connect(&m_window, &MainWindow::recoverEditsRequested, this, &EditController::recoverEdits);
    m_window.setRecoverEditsAvailable(hasEditsToRecover());
}

bool EditController::hasEditsToRecover() const
{
    return !CacheRecovery::quarantinedFiles(m_session.store().path()).isEmpty();
}

void EditController::recoverEdits()
{
    const QStringList files = CacheRecovery::quarantinedFiles(m_session.store().path());
    if (files.isEmpty()) {
        showMessage(tr("No damaged cache has edits left to recover."));
        m_window.setRecoverEditsAvailable(false);
        return;
    }
    const CacheRecovery::Listing listing = CacheRecovery::list(files.constFirst());
    if (!listing.ok) {
        QMessageBox::warning(&m_window, tr("Recover Edits"),
            tr("The damaged cache cannot be read: %1").arg(listing.error));
        return;
    }
    auto *dialog = new RecoverEditsDialog(listing, &m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const CacheRecovery::Listing &picked = dialog->listing();
        const CacheRecovery::Outcome outcome = CacheRecovery::requeue(
            picked, dialog->checkedSeqs(), m_session.store(), m_session.outbox());
        QStringList ids;
        for (const CacheRecovery::Item &item : picked.items) {
            if (outcome.requeued.contains(item.row.seq) && item.row.objectType == kOpportunity)
                ids << item.row.recordId;
        }
        if (OpportunityTableModel *table = m_session.tableModel(); table && !ids.isEmpty())
            OpportunityTableLoader::refresh(m_session.store(), *table, ids, &m_session.outbox());
        QString error;
        if ((!outcome.requeued.isEmpty() || !outcome.skippedDuplicates.isEmpty())
            && !CacheRecovery::markRecovered(picked.file, outcome, &error)) {
            qCWarning(lcApp) << "damaged cache not marked as recovered:" << error;
        }
        m_window.setRecoverEditsAvailable(hasEditsToRecover());
        QString message = tr("Recovered %n edit(s); they will be sent with the next sync.", nullptr,
            int(outcome.requeued.size()));
        if (!outcome.skippedDuplicates.isEmpty())
            message += QLatin1Char(' ')
                + tr("%n were already queued and skipped.", nullptr,
                    int(outcome.skippedDuplicates.size()));
        if (!outcome.failed.isEmpty()) {
            QMessageBox::warning(&m_window, tr("Recover Edits"),
                tr("Some edits could not be queued again: %1")
                    .arg(outcome.failed.join(QLatin1String("; "))));
        }
        showMessage(message, 10'000);
    });
    dialog->open();
}

void EditController::wireSession()
{
    OpportunityTableModel *table = m_session.tableModel();
    connect(m_service.get(), &RecordEditService::recordChanged, this,
        [this, table](const QString &objectType, const QString &recordId) {
            if (objectType != kOpportunity)
                return;
            OpportunityTableLoader::refresh(
                m_session.store(), *table, {recordId}, &m_session.outbox());
            if (recordId == m_openId)
                refreshForm();
        });
    // A discarded change leaves the row as the server has it; a discarded new deal leaves.
    connect(&m_session.outbox(), &Outbox::recordDiscarded, this,
        [this, table](const QString &objectType, const QString &recordId) {
            if (objectType != kOpportunity)
                return;
            OpportunityTableLoader::refresh(
                m_session.store(), *table, {recordId}, &m_session.outbox());
            if (recordId == m_openId)
                refreshForm();
        });
    // Parked and conflict rows change the markers; a create's temporary id becomes the
    // server's (the form follows it).
    connect(&m_session.outbox(), &Outbox::changed, this, [this, table] {
        table->setSyncStates(OpportunityTableLoader::syncStates(m_session.outbox()));
        updateFieldStates();
    });
    connect(&m_session.outbox(), &Outbox::temporaryIdReplaced, this,
        [this, table](const QString &temporaryId, const QString &serverId) {
            // Before the table swaps the rows, so the new deal stays the selected one and
            // the form keeps it open.
            m_window.replaceDealId(temporaryId, serverId);
            const bool open = m_openId == temporaryId;
            if (open)
                m_openId = serverId;
            OpportunityTableLoader::refresh(
                m_session.store(), *table, {temporaryId, serverId}, &m_session.outbox());
            if (open)
                refreshForm();
        });
    connect(&m_session.sync(), &SyncEngine::rowSucceeded, this,
        [this](qint64, const QString &recordId) {
            if (recordId == m_openId || m_service->resolvedId(m_openId) == recordId)
                refreshForm();
        });
    connect(&m_session.sync(), &SyncEngine::recordsStored, this,
        [this](const QString &objectType, const QStringList &ids) {
            if (objectType == kOpportunity && ids.contains(m_openId))
                refreshForm();
        });
    connect(&m_session.sync(), &SyncEngine::rowParked, this,
        [this](qint64, const QString &recordId, const QString &fieldKey, const QString &message) {
            if (recordId == m_openId && m_form && !fieldKey.isEmpty())
                m_form->showFieldError(fieldKey, message);
            showMessage(tr("A change was refused by the server: %1").arg(message), 10'000);
        });
    connect(&m_session.sync(), &SyncEngine::rowMayExist, this, [this](qint64 seq, const QString &) {
        // A notice, not a dialog: the rep answers from Pending Changes when ready.
        showPendingChanges();
        m_pending->selectSeq(seq);
        showMessage(tr("A new deal sent over a day ago may already exist on the server: choose "
                       "what to do in Pending Changes (Check…)."),
            20'000);
    });
    connect(&m_session.sync(), &SyncEngine::conflictDetected, this,
        [this](qint64 seq, const QString &, const QList<Merge::FieldConflict> &) {
            // No dialog pops up mid-work: the panel shows the row, the rep resolves it
            // when ready (Resolve…, or the conflict mark on the row).
            showPendingChanges();
            m_pending->selectSeq(seq);
            showMessage(tr("A deal was changed on the server too: choose what to keep in "
                           "Pending Changes."),
                15'000);
        });
    connect(&m_session, &WorkspaceSession::syncFinished, this, [this] { refreshNames(); });
    connect(&m_window, &MainWindow::currentDealChanged, this, [this](const QModelIndex &index) {
        // Behind the board the table's current row may change (a refresh, a filter): the pane
        // keeps showing the board's card.
        if (m_boardPage && m_window.currentWorkspacePage() == m_boardPage)
            return;
        openDeal(index.isValid() ? index.data(OpportunityRoles::IdRole).toString() : QString());
    });
    connect(&m_window, &MainWindow::detailFocusRequested, this, [this] {
        if (m_form && !m_openId.isEmpty())
            m_form->focusFirstEditable();
    });
    // A definitions refresh rebuilds the table's columns: the form and the pipelines follow.
    connect(table, &QAbstractItemModel::modelReset, this, [this] {
        if (m_boardPage)
            m_boardPage->setSchema(m_session.tableModel()->schema());
        if (m_form && !(m_form->schema() == m_session.tableModel()->schema()))
            refreshForm();
    });
}

void EditController::refreshNames()
{
    m_accounts->setRecords(NameListModel::fromStore(m_session.store(), QStringLiteral("account")));
    m_members->setRecords(NameListModel::fromStore(m_session.store(), QStringLiteral("member")));
    m_contacts->setRecords(NameListModel::fromStore(m_session.store(), QStringLiteral("contact")));
}

void EditController::openDeal(const QString &recordId, bool focusForm)
{
    if (recordId == m_openId)
        return;
    saveOpenForm();
    m_openId = recordId;
    refreshForm();
    // Focus stays where the rep is (the table, the board): browsing with the arrow keys must
    // not land in the form. Enter, a double click or a click moves there.
    if (m_form && !recordId.isEmpty() && focusForm)
        m_form->focusFirstEditable();
    fetchFresh(recordId);
}

void EditController::saveOpenForm()
{
    // Moving to another deal keeps what the rep typed: valid edits are queued (one undoable
    // step), never dropped silently.
    if (!m_form || !m_form->isModified())
        return;
    if (m_form->canSave()) {
        const QString name = m_form->baseRecord().value(QStringLiteral("$name")).toText();
        m_form->save();
        showMessage(tr("Saved your changes to %1 (%2 to undo).")
                        .arg(name.isEmpty() ? tr("the deal") : name,
                            QKeySequence(QKeySequence::Undo).toString(QKeySequence::NativeText)));
        return;
    }
    showMessage(
        tr("Your changes to the previous deal were not saved: %1").arg(m_form->statusText()),
        15'000);
}

void EditController::refreshForm()
{
    if (!m_form)
        return;
    const ObjectSchema &schema = m_session.tableModel()->schema();
    if (!(m_form->schema() == schema))
        m_form->setSchema(schema);
    const QString id = m_service->resolvedId(m_openId);
    const std::optional<Record> record
        = id.isEmpty() || schema.isEmpty() ? std::nullopt : m_service->currentRecord(schema, id);
    m_window.setDetailWidgetShown(record.has_value());
    if (!record) {
        m_form->clearRecord();
        return;
    }
    // setRecord() of another deal clears the form's markers: mark that one's queued fields after
    // it; for the same deal, before (setRecord() may add its own "changed elsewhere" marks).
    const bool sameRecord = m_form->recordId() == record->id();
    if (sameRecord)
        updateFieldStates();
    m_form->setRecord(*record);
    if (!sameRecord)
        updateFieldStates();
}

void EditController::updateFieldStates()
{
    if (!m_form || m_openId.isEmpty())
        return;
    m_form->clearFieldStates();
    const QString id = m_service->resolvedId(m_openId);
    for (const OutboxRow &row : m_session.outbox().rowsFor(kOpportunity, id)) {
        DealForm::FieldState state = DealForm::FieldState::Pending;
        QString message = tr("Waiting to be sent");
        if (row.state == OutboxRow::State::Conflict) {
            state = DealForm::FieldState::Conflict;
            message = tr("Changed on the server too: resolve it in Pending Changes");
        } else if (row.state == OutboxRow::State::Parked) {
            state = DealForm::FieldState::Error;
            message = OutboxRowReading::refusal(row).message;
        }
        for (const QString &key : OutboxRowReading::markedKeys(row))
            m_form->setFieldState(key, state, message);
    }
}

void EditController::fetchFresh(const QString &recordId)
{
    // Opening a deal shows the cached copy at once; when online, a fresh copy follows
    // from the server. Cached edits stay on top (LocalStore rebuilds the local copy).
    delete m_fetchContext.data();
    if (recordId.isEmpty() || Outbox::isTemporaryId(recordId) || !m_session.sync().isOnline())
        return;
    m_fetchContext = new QObject(this);
    m_session.client().retrieveOpportunity(
        recordId, m_fetchContext, [this, recordId](const RecordResult &result) {
            if (!result.ok()) {
                qCInfo(lcApp) << "fresh copy of the open deal not fetched:"
                              << result.error().code();
                return;
            }
            const QByteArray json = Json::compact(result.value().toJson());
            if (m_session.store().upsertServerRecord(kOpportunity, json)
                == LocalStore::Upsert::Updated) {
                OpportunityTableLoader::refresh(
                    m_session.store(), *m_session.tableModel(), {recordId}, &m_session.outbox());
                if (recordId == m_openId)
                    refreshForm();
            }
        });
}

bool EditController::queueEdit(const QString &recordId, const ChangeSet &changes)
{
    if (changes.isEmpty())
        return true;
    if (refuseEdit(false))
        return false;
    const ObjectSchema &schema = m_session.tableModel()->schema();
    const RecordEditService::Result result
        = m_service->update(schema, m_service->resolvedId(recordId), changes);
    if (!result.ok) {
        QMessageBox::warning(&m_window, tr("Change not saved"), result.error);
        return false;
    }
    if (!result.applied.isEmpty())
        m_undo->push(new EditRecordCommand(*m_service, schema, result));
    return true;
}

void EditController::newDeal()
{
    if (refuseEdit(true))
        return;
    const ObjectSchema &schema = m_session.tableModel()->schema();
    if (schema.isEmpty()) {
        showMessage(tr("The deal fields are not known yet: sync once, then try again."));
        return;
    }
    if (m_newDealDialog) {
        m_newDealDialog->raise();
        m_newDealDialog->activateWindow();
        return;
    }
    // open(), not exec(): window-modal without a nested event loop, so nothing waits on the
    // dialog (a sync finishing, a sign-out); it deletes itself when closed.
    auto *dialog = new NewDealDialog(&m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_newDealDialog = dialog;
    dialog->setNameModel(QStringLiteral("account"), m_accounts.get());
    dialog->setNameModel(QStringLiteral("member"), m_members.get());
    dialog->setNameModel(QStringLiteral("contact"), m_contacts.get());
    dialog->setSchema(schema);
    connect(dialog, &NewDealDialog::createRequested, this, [this](const ChangeSet &c) {
        const ObjectSchema &schema = m_session.tableModel()->schema();
        const RecordEditService::Result result = m_service->create(schema, c);
        if (!result.ok) {
            QMessageBox::warning(&m_window, tr("Deal not created"), result.error);
            return;
        }
        m_undo->push(new CreateRecordCommand(*m_service, schema, c, result));
        // The new deal is the selected one, in the table and in the pane.
        m_window.selectDeal(result.recordId);
        showMessage(m_session.sync().isOnline()
                ? tr("Deal created.")
                : tr("Deal created offline: it is sent when you are back online."));
    });
    dialog->open();
}

void EditController::moveToStage(const QString &recordId, const QString &stageOptionId)
{
    if (refuseEdit(false))
        return;
    const FieldDefinition *stage = m_session.tableModel()->schema().field(kStage);
    if (!stage || !stage->isWritable())
        return;
    ChangeSet changes;
    if (changes.setValue(*stage, FieldValue::fromText(FieldType::SingleSelect, stageOptionId)))
        queueEdit(recordId, changes);
}

void EditController::bulkEdit()
{
    if (refuseEdit(false))
        return;
    const bool onBoard = m_boardPage && m_window.currentWorkspacePage() == m_boardPage;
    const QStringList ids
        = onBoard ? QStringList {m_board->currentId()} : m_window.selectedDealIds();
    if (ids.isEmpty() || ids.first().isEmpty()) {
        showMessage(tr("Select the deals to change first."));
        return;
    }
    OpportunityTableModel *table = m_session.tableModel();
    QHash<QString, QString> names;
    for (const QString &id : ids)
        names.insert(id, table->index(table->rowForId(id), 0).data().toString());
    BulkEditDialog dialog(table->schema(), ids, *m_service, &m_session.sync(), names, &m_window);
    dialog.exec();
}

void EditController::exportView()
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getSaveFileName(&m_window, tr("Export View as CSV"),
        folder + QStringLiteral("/deals.csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    const QStringList choices {tr("As shown (formatted)"), tr("Raw values")};
    bool chosen = false;
    const QString choice = QInputDialog::getItem(
        &m_window, tr("Export View as CSV"), tr("Values:"), choices, 0, false, &chosen);
    if (!chosen)
        return;
    ViewExport::Options options;
    options.values
        = choice == choices.at(1) ? ViewExport::Values::Raw : ViewExport::Values::Formatted;
    options.columns
        = HeaderColumns::visibleInVisualOrder(*m_window.dealsView()->horizontalHeader());
    const ViewExport::Result result = ViewExport::save(*m_session.proxyModel(), options, path);
    if (!result.ok) {
        QMessageBox::warning(&m_window, tr("Export failed"), result.error);
        return;
    }
    showMessage(tr("Exported %n deal(s) to %1.", nullptr, result.rows).arg(path));
}

void EditController::showPendingChanges()
{
    m_pendingDock->show();
    m_pendingDock->raise();
    m_pending->setFocus(Qt::ShortcutFocusReason);
}

void EditController::resolveConflict(qint64 seq, const QList<Merge::FieldConflict> &conflicts)
{
    if (m_conflictDialogOpen) {
        showPendingChanges();
        m_pending->selectSeq(seq);
        return;
    }
    ConflictDialog *dialog = ConflictDialog::forRow(m_session.tableModel()->schema(),
        m_session.outbox(), m_session.store(), seq, conflicts, &m_window);
    if (!dialog) {
        showMessage(tr("That change is no longer in conflict."));
        return;
    }
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_conflictDialogOpen = true;
    connect(dialog, &QDialog::finished, this, [this, dialog](int code) {
        m_conflictDialogOpen = false;
        if (code != QDialog::Accepted)
            return;
        if (!dialog->apply(m_session.outbox())) {
            QMessageBox::warning(
                &m_window, tr("Conflict not resolved"), m_session.outbox().lastError());
            return;
        }
        showMessage(tr("Your choice is queued and will be sent."));
    });
    dialog->open();
}

void EditController::answerMayExist(qint64 seq)
{
    const std::optional<OutboxRow> row = m_session.outbox().row(seq);
    if (!row || row->state != OutboxRow::State::MayExist) {
        showMessage(tr("That new deal no longer waits for an answer."));
        return;
    }
    if (m_mayExistDialog) {
        m_mayExistDialog->raise();
        m_mayExistDialog->activateWindow();
        return;
    }
    const QJsonObject body = OutboxRowReading::body(*row);
    const QString name = RecordJson::fieldValue(body, QStringLiteral("$name")).toString();
    LocalStore &store = m_session.store();
    auto *candidates = new CreateCandidateModel(
        m_session.tableModel()->schema(), [&store](const QString &accountId) {
            const std::optional<StoredRecord> account
                = store.record(QStringLiteral("account"), accountId);
            return account
                ? NameDirectory::nameOf(QJsonDocument::fromJson(account->effectiveJson()).object())
                : QString();
        });
    auto *dialog = new MayExistDialog(*row, name, candidates, &m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (m_session.sync().isOnline())
        candidates->load(&m_session.client(), body);
    else
        dialog->setOffline();
    m_mayExistDialog = dialog;
    connect(dialog, &QDialog::finished, this, [this, dialog](int code) {
        if (code != QDialog::Accepted)
            return;
        if (!dialog->apply(m_session.outbox(), m_session.now())) {
            QMessageBox::warning(
                &m_window, tr("The new deal was not changed"), m_session.outbox().lastError());
            return;
        }
        switch (dialog->answer()) {
        case MayExistDialog::Answer::Adopt:
            showMessage(tr("The new deal is the one on the server now; your later changes go "
                           "to it."));
            break;
        case MayExistDialog::Answer::CreateAnyway:
            showMessage(tr("The new deal will be created once more."));
            break;
        case MayExistDialog::Answer::Discard:
            showMessage(tr("The new deal was discarded."));
            break;
        case MayExistDialog::Answer::None:
            break;
        }
    });
    dialog->open();
}

void EditController::checkServerBeforeDiscard(
    const OutboxRow &row, QObject *context, std::function<void(const QString &)> done)
{
    const QJsonObject body = OutboxRowReading::body(row);
    if (row.op == OutboxRow::Op::Create) {
        // A new record has no server id to read: the deals of its name are what may be it.
        auto *candidates = new CreateCandidateModel(m_session.tableModel()->schema(), {}, context);
        const QString name = RecordJson::fieldValue(body, QStringLiteral("$name")).toString();
        connect(candidates, &CreateCandidateModel::finished, context,
            [candidates, name, body, done](bool ok, const QString &error) {
                int alike = 0;
                for (int i = 0; i < candidates->rowCount(); ++i) {
                    if (Merge::recordShows(
                            QJsonDocument::fromJson(candidates->recordJson(i)).object(), body,
                            true))
                        ++alike;
                }
                if (!ok)
                    done(tr("The server could not be checked: %1").arg(error));
                else if (candidates->rowCount() == 0)
                    done(tr("No deal named “%1” is on the server: discarding loses it.").arg(name));
                else if (alike > 0)
                    done(tr("A deal named “%1” with these values is on the server: it may be "
                            "this one.")
                             .arg(name));
                else
                    done(tr("%n deal(s) named “%1” on the server, with other values.", nullptr,
                        candidates->rowCount())
                             .arg(name));
                candidates->deleteLater();
            });
        candidates->load(&m_session.client(), body);
        return;
    }
    m_session.client().retrieveOpportunity(
        row.recordId, context, [done, body](const RecordResult &result) {
            if (!result.ok()) {
                done(tr("The server could not be checked: %1")
                         .arg(ErrorText::userMessage(result.error())));
                return;
            }
            if (Merge::recordShows(result.value().toJson(), body, false))
                done(tr("The server already shows this change: discarding it here loses "
                        "nothing."));
            else
                done(tr("The server does not show this change: discarding it loses it."));
        });
}

void EditController::showMessage(const QString &message, int timeoutMs)
{
    m_window.statusBar()->showMessage(message, timeoutMs);
}
