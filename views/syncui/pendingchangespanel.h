#pragma once

#include <QString>
#include <QStringList>
#include <QWidget>

#include <functional>

class LocalStore;
class Outbox;
struct OutboxRow;
class OutboxModel;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;

/**
 * The pending-changes panel: a table of the outbox (OutboxModel) with the
 * user's answers to it.
 *
 * **Buttons** act on the selected row:
 *  - **Retry now**: a parked or conflict row is resumed (Outbox::resume(): same body and key);
 *    for a waiting row, every waiting row's backoff is reset (Outbox::resetBackoff()).
 *    Disabled for a row being sent.
 *  - **Discard…**: asks first (the confirmation names the record and the fields; see
 *    setConfirmation()), then Outbox::discard(). The Delete key does the same. A row that was
 *    sent before (attempts > 0) may already be applied on the server: it asks with a
 *    DiscardSentDialog instead, whose "Check the server first" runs setServerCheck()'s check.
 *  - **Check…**: "may already exist" rows only (a new deal past its key's retention); emits
 *    mayExistRequested() for the app to open a MayExistDialog. Double-click or Enter on such
 *    a row does the same. Retry now is disabled for them: the dialog has "Create it anyway".
 *  - **Resolve…**: conflict rows only; emits resolveRequested() for the app to open a
 *    ConflictDialog. Double-click or Enter on a conflict row does the same.
 * With no rows, the table gives way to "Nothing waiting to be sent".
 *
 * **Keyboard and accessibility.** The table takes focus first; buttons have mnemonics; every
 * control has an accessible name; objectNames ("outboxTable", "retryButton", "discardButton",
 * "resolveButton", "checkButton", "emptyLabel") are stable for tests.
 *
 * **Ownership.** Borrows the outbox and the store (which must outlive it); owns its model.
 */
class PendingChangesPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PendingChangesPanel)

public:
    /**
     * Asks the user to confirm a discard; true = discard. `recordName` and `fieldLabels`
     * name what would be lost. The default shows a QMessageBox.
     */
    using Confirmation = std::function<bool(
        QWidget *parent, const QString &recordName, const QStringList &fieldLabels, bool isCreate)>;

    PendingChangesPanel(Outbox &outbox, LocalStore &store, QWidget *parent = nullptr);
    ~PendingChangesPanel() override;

    OutboxModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

    /**
     * Checks the server for a sent row before a discard: calls `done` once with a verdict for
     * the user. `context` is the asking dialog: calls made for it must use it as their
     * context, so that closing the dialog abandons them.
     */
    using ServerCheck = std::function<void(
        const OutboxRow &row, QObject *context, std::function<void(const QString &)> done)>;
    /** The check behind "Check the server first"; none: the button is hidden. */
    void setServerCheck(ServerCheck check);

    /** Replaces the discard confirmation (tests; an app-wide "don't ask again"). */
    void setConfirmation(Confirmation confirmation);
    /** The question the default confirmation asks. */
    static QString confirmationText(
        const QString &recordName, const QStringList &fieldLabels, bool isCreate);

    /** The outbox row selected, or 0. */
    qint64 selectedSeq() const;
    /** Selects the row of outbox row `seq`; false when it is not shown. */
    bool selectSeq(qint64 seq);

public Q_SLOTS:
    /** Same as clicking Retry now. */
    void retrySelected();
    /** Same as clicking Discard… (asks first). */
    void discardSelected();
    /** Same as clicking Resolve…. */
    void resolveSelected();
    /** Same as clicking Check…. */
    void checkSelected();

Q_SIGNALS:
    /** The user wants to resolve the conflict of outbox row `seq`. */
    void resolveRequested(qint64 seq);
    /** The user wants to answer "may already exist" for outbox row `seq` (a create). */
    void mayExistRequested(qint64 seq);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildUi();
    void updateState();
    int selectedRow() const;

    Outbox &m_outbox;
    OutboxModel *m_model = nullptr;
    Confirmation m_confirmation;
    ServerCheck m_serverCheck;

    QStackedWidget *m_stack = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QPushButton *m_retryButton = nullptr;
    QPushButton *m_discardButton = nullptr;
    QPushButton *m_resolveButton = nullptr;
    QPushButton *m_checkButton = nullptr;
};
