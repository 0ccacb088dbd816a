#pragma once

#include "store/outbox.h"

#include <QDialog>
#include <QPointer>

class CreateCandidateModel;
class QLabel;
class QMessageBox;
class QPushButton;
class QTableView;

/**
 * Asks the rep about a new deal set aside as "may already exist" (Outbox MayExist: it was sent
 * over a day ago, no answer came back, and the server has forgotten the request's key): is one
 * of the deals on the server it?
 *
 * Shows the candidates of a CreateCandidateModel (a list search for the deal's name, each
 * deal then read again) — name, account, amount, stage, created — and three answers:
 *  - **It is this one** (the selected candidate): answer() Adopt, adoptedRecord() its record.
 *  - **Create it anyway**: answer() CreateAnyway (sent once under a new key).
 *  - **Discard…**: asks first (the deal and the changes queued after it are lost, and the server
 *    may already have it), then answer() Discard.
 *  - **Later** (Esc): closes, nothing changes.
 * While the candidates load, and when they cannot be loaded (setOffline(), or a failed load),
 * "It is this one" is disabled and the dialog says why. apply() carries the answer out
 * (Outbox::adopt() / createAnyway() / discard()); the dialog itself writes nothing.
 *
 * Keyboard: the candidate table has focus first; Enter on a candidate = It is this one.
 * objectNames: "candidatesTable", "statusLabel", "adoptButton", "createAnywayButton",
 * "discardButton", "laterButton"; the discard question "discardConfirmation" with
 * "confirmDiscardButton" / "keepButton".
 *
 * **Ownership.** Owns the model (reparented). Opened with open(): window-modal, not blocking.
 */
class MayExistDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MayExistDialog)

public:
    enum class Answer
    {
        None,
        Adopt,
        CreateAnyway,
        Discard,
    };

    /** `row` is the MayExist create; `dealName` its `$name`; `candidates` is loaded by the caller.
     */
    MayExistDialog(const OutboxRow &row, const QString &dealName, CreateCandidateModel *candidates,
        QWidget *parent = nullptr);
    ~MayExistDialog() override;

    /** No connection: candidates cannot be loaded; only create anyway / discard / later. */
    void setOffline();

    qint64 seq() const { return m_row.seq; }
    Answer answer() const { return m_answer; }
    /** The candidate chosen with It is this one (read shape), or empty. */
    QByteArray adoptedRecord() const { return m_adopted; }
    CreateCandidateModel *candidates() const { return m_candidates; }

    /**
     * Carries out answer() on `outbox`; true when done (or nothing to do). `now` is the sync
     * clock's (a create sent anyway starts its key's retention then).
     */
    bool apply(Outbox &outbox, const QDateTime &now = {}) const;

    static QString introText(const QString &dealName);

private:
    void buildUi();
    void updateButtons();
    void loaded(bool ok, const QString &error);
    void adoptSelected();
    void askDiscard();
    int selectedRow() const;

    OutboxRow m_row;
    QString m_dealName;
    CreateCandidateModel *m_candidates = nullptr;
    Answer m_answer = Answer::None;
    QByteArray m_adopted;
    bool m_canAdopt = false;

    QLabel *m_statusLabel = nullptr;
    QTableView *m_view = nullptr;
    QPushButton *m_adoptButton = nullptr;
    QPushButton *m_createButton = nullptr;
    QPushButton *m_discardButton = nullptr;
    QPushButton *m_laterButton = nullptr;
    QPointer<QMessageBox> m_confirmation;
};
