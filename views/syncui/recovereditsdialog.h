#pragma once

#include "store/cacherecovery.h"

#include <QDialog>
#include <QList>

class QDialogButtonBox;
class QLabel;
class QPushButton;
class QStandardItemModel;
class QTreeView;

/**
 * "Recover Edits from a Damaged Cache" (File menu, and the notice shown when a cache was moved
 * aside): the queued edits CacheRecovery::list() read from a quarantined cache, one row each —
 * deal, fields changed, when queued — with a check box per row for the rep to tick (none is
 * ticked at first: the rep decides what goes to the server again). Rows that could not be read
 * are listed below the table. "Recover" is enabled once a row is ticked; the dialog itself
 * writes nothing: its owner re-queues checkedSeqs() (CacheRecovery::requeue()).
 *
 * Keyboard: the list has the focus; arrows move, Space ticks, Enter recovers, Esc cancels.
 * Object names: "recoverEditsList", "recoverButton", "unreadableLabel".
 */
class RecoverEditsDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit RecoverEditsDialog(const CacheRecovery::Listing &listing, QWidget *parent = nullptr);
    ~RecoverEditsDialog() override;

    /** Seqs (in the damaged cache) of the ticked rows, in list order. */
    QList<qint64> checkedSeqs() const;
    const CacheRecovery::Listing &listing() const { return m_listing; }

private:
    void updateButton();

    CacheRecovery::Listing m_listing;
    QStandardItemModel *m_model = nullptr;
    QTreeView *m_view = nullptr;
    QPushButton *m_recover = nullptr;

    Q_DISABLE_COPY_MOVE(RecoverEditsDialog)
};
