#pragma once

#include "domain/merge.h"
#include "domain/objectschema.h"
#include "store/outbox.h"
#include "sync/conflictresolution.h"

#include <QDateTime>
#include <QDialog>
#include <QHash>
#include <QJsonObject>
#include <QList>

class LocalStore;
class QButtonGroup;
class QDialogButtonBox;
class QLabel;
class QPushButton;
class QRadioButton;

/**
 * The conflict dialog: for an outbox row in conflict, every key both sides
 * changed differently, side by side — label | before | mine | theirs — with values written for
 * people (ValueText::field(): option labels, money with its currency, dates in the
 * locale), a Mine / Theirs choice per key and "All mine" / "All theirs".
 *
 * **Conflicts** are those passed in (SyncEngine::conflictDetected()) plus any the dialog finds
 * by merging the row again against `theirs` (Merge::threeWay()), so that every key that
 * result() needs a choice for is shown. Apply is enabled once every key has a choice.
 *
 * **Result.** result() is the ConflictResolution for the choices made (the update body with the
 * keys where Mine was chosen, the new base values and `updatedAt` — the server's); apply() (or
 * ConflictResolution::apply()) queues it: Outbox::resolveConflict() when keys are left,
 * Outbox::discard() when every key took theirs. The dialog itself writes nothing.
 *
 * Above the choices, "Changed on the server at 14:02 (by a colleague)" from the server copy's
 * `updatedAt` (serverChangeText()): the read shape names no last modifier, so the dialog cannot
 * say who.
 *
 * Each choice button's objectName is "mine:<key>" / "theirs:<key>"; the bulk buttons are
 * "allMineButton" and "allTheirsButton", the accept button "applyButton".
 */
class ConflictDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConflictDialog)

public:
    using Choice = ConflictResolution::Choice;

    /**
     * `row` is the conflicting outbox row, `theirs` the server's copy of the record (read shape;
     * LocalStore::record()'s json after SyncEngine stored it), `conflicts` those reported by
     * SyncEngine::conflictDetected() (empty: computed here).
     */
    ConflictDialog(const ObjectSchema &schema, const OutboxRow &row, const QJsonObject &theirs,
        const QList<Merge::FieldConflict> &conflicts = {}, QWidget *parent = nullptr);
    ~ConflictDialog() override;

    /**
     * A dialog for outbox row `seq`, with the server copy read from `store`; nullptr when the
     * row is gone or not in conflict.
     */
    static ConflictDialog *forRow(const ObjectSchema &schema, Outbox &outbox, LocalStore &store,
        qint64 seq, const QList<Merge::FieldConflict> &conflicts = {}, QWidget *parent = nullptr);

    /** Queues `resolution` for outbox row `seq` (ConflictResolution::apply()). */
    static bool applyResult(Outbox &outbox, qint64 seq, const ConflictResolution &resolution);

    /** The conflicts shown, in display order. */
    QList<Merge::FieldConflict> conflicts() const { return m_conflicts; }
    /** The keys shown. */
    QStringList keys() const;

    /** Sets the choice for one key (as clicking its radio button). */
    void setChoice(const QString &key, Choice choice);
    /** Sets every key's choice (as "All mine" / "All theirs"). */
    void setAllChoices(Choice choice);
    /** The choices made so far (keys without a choice are absent). */
    QHash<QString, Choice> choices() const;
    /** True once every key shown has a choice. */
    bool isComplete() const;

    /**
     * The resolution for the current choices. Hides QDialog::result(): call
     * QDialog::result() for the Accepted / Rejected code.
     */
    ConflictResolution result() const;
    /** Queues result() for the dialog's row: applyResult(outbox, row().seq, result()). */
    bool apply(Outbox &outbox) const;

    OutboxRow row() const { return m_row; }

    /**
     * Who changed the server copy and when, for people: its `updatedAt` in the local time —
     * the time alone when that is on `now`'s date, else date and time.
     */
    static QString serverChangeText(
        const QJsonObject &theirs, const QDateTime &now = QDateTime::currentDateTime());

private:
    struct Line
    {
        QString key;
        QRadioButton *mine = nullptr;
        QRadioButton *theirs = nullptr;
        QButtonGroup *group = nullptr;
    };

    void buildUi();
    QString labelOf(const Merge::FieldConflict &conflict) const;
    QString textOf(const Merge::FieldConflict &conflict, const QJsonValue &value) const;
    void updateButtons();

    ObjectSchema m_schema;
    OutboxRow m_row;
    QJsonObject m_body;
    QJsonObject m_theirs;
    QList<Merge::FieldConflict> m_conflicts;
    QStringList m_othersSent; ///< keys sent as they are (only we changed them)
    QList<Line> m_lines;
    QPushButton *m_allMine = nullptr;
    QPushButton *m_allTheirs = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_applyButton = nullptr;
    QLabel *m_summary = nullptr;
};
