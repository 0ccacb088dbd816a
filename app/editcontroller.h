#pragma once

#include "domain/changeset.h"
#include "domain/merge.h"

#include <QAbstractItemView>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>

class DealCharts;
class DealForm;
class MainWindow;
class NameListModel;
class NewDealDialog;
class PendingChangesPanel;
class PipelineBoardModel;
class PipelineBoardPage;
class PipelineBoardView;
class QAction;
class QDockWidget;
class QUndoStack;
class QDialog;
class RecordEditService;
struct OutboxRow;
class WorkspaceSession;
class FieldEditorDelegate;

/**
 * Wires editing into an open workspace: the deal form in the detail pane,
 * the new-deal dialog, inline table editing, the pipeline board and charts, bulk edit, CSV
 * export, the pending-changes panel and the conflict dialog — every write through one
 * RecordEditService and one QUndoStack (Edit ▸ Undo / Redo).
 *
 * Composition only: the widgets and the service hold the behaviour and are tested on their own;
 * this class connects them. One per WorkspaceSession; it adds its actions to the window's menus
 * and removes its widgets when destroyed (before the session goes away).
 */
class EditController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EditController)

public:
    EditController(WorkspaceSession &session, MainWindow &window, QObject *parent = nullptr);
    ~EditController() override;

    QUndoStack *undoStack() const { return m_undo.get(); }
    RecordEditService &service() const { return *m_service; }
    DealForm *form() const;
    PipelineBoardView *board() const;
    DealCharts *charts() const;
    PendingChangesPanel *pendingPanel() const;

    /**
     * Shows `recordId` in the form (fetching a fresh copy when online). The keyboard stays
     * where the rep is unless `focusForm` (Enter, a double click: the rep asked for the form).
     */
    void openDeal(const QString &recordId, bool focusForm = false);
    /** Queues `changes` to `recordId` as one undoable step. */
    bool queueEdit(const QString &recordId, const ChangeSet &changes);
    /**
     * File ▸ Recover Edits from a Damaged Cache…: lists the newest quarantined cache that was
     * not recovered yet (CacheRecovery) in a RecoverEditsDialog (opened, not exec'd) and
     * re-queues the rows the rep ticks, with their original keys; the file is then marked
     * recovered and no longer offered.
     */
    void recoverEdits();
    /** True while a quarantined cache of this workspace still has edits to offer. */
    bool hasEditsToRecover() const;

private:
    void createWidgets();
    void createActions();
    /// Turns off what the session's key may not do (WorkspaceSession::capabilities()).
    void applyCapabilities();
    /// True (and the reason shown) when the key may not edit (or `create`) deals.
    bool refuseEdit(bool create);
    void wireSession();
    void refreshNames();
    void refreshForm();
    void updateFieldStates();
    void saveOpenForm();
    void fetchFresh(const QString &recordId);
    void newDeal();
    void moveToStage(const QString &recordId, const QString &stageOptionId);
    void bulkEdit();
    void exportView();
    void showPendingChanges();
    void resolveConflict(qint64 seq, const QList<Merge::FieldConflict> &conflicts = {});
    void answerMayExist(qint64 seq);
    void checkServerBeforeDiscard(
        const OutboxRow &row, QObject *context, std::function<void(const QString &)> done);
    void showMessage(const QString &message, int timeoutMs = 6000);

    WorkspaceSession &m_session;
    MainWindow &m_window;
    std::unique_ptr<RecordEditService> m_service;
    std::unique_ptr<QUndoStack> m_undo;
    std::unique_ptr<NameListModel> m_accounts;
    std::unique_ptr<NameListModel> m_members;
    std::unique_ptr<NameListModel> m_contacts;
    std::unique_ptr<PipelineBoardModel> m_boardModel;
    QPointer<DealForm> m_form;
    QPointer<PipelineBoardPage> m_boardPage;
    QPointer<PipelineBoardView> m_board; ///< on m_boardPage
    QPointer<DealCharts> m_charts;
    QPointer<PendingChangesPanel> m_pending;
    QPointer<QDockWidget> m_pendingDock;
    QPointer<NewDealDialog> m_newDealDialog;
    QPointer<FieldEditorDelegate> m_delegate;
    QList<QPointer<QAction>> m_actions;
    QString m_openId;
    QPointer<QObject> m_fetchContext;
    bool m_conflictDialogOpen = false;
    /// The table's edit triggers before a read-only key turned them off (put back on close).
    QAbstractItemView::EditTriggers m_tableTriggers = QAbstractItemView::NoEditTriggers;
    QPointer<QDialog> m_mayExistDialog;
};
