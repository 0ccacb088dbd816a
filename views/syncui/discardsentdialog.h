#pragma once

#include <QDialog>
#include <QString>

#include <functional>

class QLabel;
class QPushButton;

/**
 * The question before discarding an outbox row that was sent before (attempts > 0): the
 * server may already have applied it, and discarding it then does not take it back.
 *
 * Answers: **Check the server first** (runs the check given to the constructor — the app reads
 * the record again and tells whether it already shows the change; the dialog stays open and
 * shows the verdict), **Discard** (accept()) and **Cancel** (reject(); the default, also Esc
 * and Enter). Without a check (empty function) the check button is hidden.
 *
 * objectNames: "discardSentDialog", "questionLabel", "checkResultLabel", "checkServerButton",
 * "confirmDiscardButton", "cancelButton". Opened with open(): window-modal, not blocking.
 */
class DiscardSentDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiscardSentDialog)

public:
    /** Calls `done` once with the verdict for the user (an error is a verdict too). */
    using Check = std::function<void(QObject *context, std::function<void(const QString &)> done)>;

    DiscardSentDialog(const QString &question, Check check, QWidget *parent = nullptr);
    ~DiscardSentDialog() override;

    /** The question for a row of `recordName` (`isCreate`: a new record). */
    static QString questionText(const QString &recordName, bool isCreate);

    /** True while the check runs. */
    bool isChecking() const { return m_checking; }

private:
    void runCheck();

    Check m_check;
    bool m_checking = false;
    QLabel *m_resultLabel = nullptr;
    QPushButton *m_checkButton = nullptr;
};
