#include "syncui/pendingchangespanel.h"

#include "itemmodels/outboxmodel.h"
#include "logging.h"
#include "store/outbox.h"
#include "syncui/discardsentdialog.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace {

bool askWithMessageBox(
    QWidget *parent, const QString &recordName, const QStringList &fieldLabels, bool isCreate)
{
    QMessageBox box(QMessageBox::Question, PendingChangesPanel::tr("Discard changes"),
        PendingChangesPanel::confirmationText(recordName, fieldLabels, isCreate),
        QMessageBox::NoButton, parent);
    box.setObjectName(QStringLiteral("discardConfirmation"));
    box.setInformativeText(PendingChangesPanel::tr("This cannot be undone."));
    QPushButton *discard
        = box.addButton(PendingChangesPanel::tr("&Discard"), QMessageBox::DestructiveRole);
    discard->setObjectName(QStringLiteral("confirmDiscardButton"));
    QPushButton *keep = box.addButton(PendingChangesPanel::tr("&Keep"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepButton"));
    // Keeping is the safe answer: Enter and Esc both keep.
    box.setDefaultButton(keep);
    box.setEscapeButton(keep);
    box.exec();
    return box.clickedButton() == discard;
}

} // namespace

PendingChangesPanel::PendingChangesPanel(Outbox &outbox, LocalStore &store, QWidget *parent)
    : QWidget(parent)
    , m_outbox(outbox)
    , m_model(new OutboxModel(outbox, store, this))
    , m_confirmation(askWithMessageBox)
{
    setObjectName(QStringLiteral("pendingChangesPanel"));
    setAccessibleName(tr("Pending changes"));
    buildUi();
    updateState();
}

PendingChangesPanel::~PendingChangesPanel() = default;

void PendingChangesPanel::buildUi()
{
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("outboxTable"));
    m_view->setAccessibleName(tr("Changes waiting to be sent"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setTabKeyNavigation(false);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(
        OutboxModel::LastErrorColumn, QHeaderView::Stretch);
    // "Stage: Proposal → Negotiation" names the fields already.
    m_view->setColumnHidden(OutboxModel::FieldsColumn, true);
    m_view->horizontalHeader()->setSectionResizeMode(
        OutboxModel::ChangesColumn, QHeaderView::Stretch);
    m_view->installEventFilter(this);

    m_emptyLabel = new QLabel(tr("Nothing waiting to be sent"), this);
    m_emptyLabel->setObjectName(QStringLiteral("emptyLabel"));
    m_emptyLabel->setAccessibleName(tr("Nothing waiting to be sent"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setEnabled(false); // drawn as a hint, not as content

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_emptyLabel);

    m_retryButton = new QPushButton(tr("&Retry now"), this);
    m_retryButton->setObjectName(QStringLiteral("retryButton"));
    m_retryButton->setAccessibleName(tr("Retry now"));
    m_retryButton->setToolTip(tr("Send the selected change again now"));
    m_discardButton = new QPushButton(tr("&Discard…"), this);
    m_discardButton->setObjectName(QStringLiteral("discardButton"));
    m_discardButton->setAccessibleName(tr("Discard"));
    m_discardButton->setToolTip(tr("Drop the selected change without sending it (Delete)"));
    m_resolveButton = new QPushButton(tr("Re&solve…"), this);
    m_resolveButton->setObjectName(QStringLiteral("resolveButton"));
    m_resolveButton->setAccessibleName(tr("Resolve conflict"));
    m_resolveButton->setToolTip(tr("Choose between your values and the server's"));

    m_checkButton = new QPushButton(tr("Chec&k…"), this);
    m_checkButton->setObjectName(QStringLiteral("checkButton"));
    m_checkButton->setAccessibleName(tr("Check whether the deal already exists"));
    m_checkButton->setToolTip(tr("See the deals on the server this new deal may already be"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_retryButton);
    buttons->addWidget(m_discardButton);
    buttons->addWidget(m_resolveButton);
    buttons->addWidget(m_checkButton);
    buttons->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_stack, 1);
    layout->addLayout(buttons);
    setTabOrder(m_view, m_retryButton);
    setTabOrder(m_retryButton, m_discardButton);
    setTabOrder(m_discardButton, m_resolveButton);
    setTabOrder(m_resolveButton, m_checkButton);

    connect(m_retryButton, &QPushButton::clicked, this, &PendingChangesPanel::retrySelected);
    connect(m_discardButton, &QPushButton::clicked, this, &PendingChangesPanel::discardSelected);
    connect(m_resolveButton, &QPushButton::clicked, this, &PendingChangesPanel::resolveSelected);
    connect(m_checkButton, &QPushButton::clicked, this, &PendingChangesPanel::checkSelected);
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex &index) {
        const int state = index.data(OutboxModel::StateRole).toInt();
        if (state == int(OutboxRow::State::Conflict))
            Q_EMIT resolveRequested(index.data(OutboxModel::SeqRole).toLongLong());
        else if (state == int(OutboxRow::State::MayExist))
            Q_EMIT mayExistRequested(index.data(OutboxModel::SeqRole).toLongLong());
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &PendingChangesPanel::updateState);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_model, signal, this, &PendingChangesPanel::updateState);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &PendingChangesPanel::updateState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &PendingChangesPanel::updateState);
}

void PendingChangesPanel::setServerCheck(ServerCheck check)
{
    m_serverCheck = std::move(check);
}

void PendingChangesPanel::setConfirmation(Confirmation confirmation)
{
    m_confirmation = confirmation ? std::move(confirmation) : Confirmation(askWithMessageBox);
}

QString PendingChangesPanel::confirmationText(
    const QString &recordName, const QStringList &fieldLabels, bool isCreate)
{
    if (isCreate)
        return tr("Discard the new record “%1”? It will not be created in Lightfield.")
            .arg(recordName);
    if (fieldLabels.isEmpty())
        return tr("Discard your changes to “%1”? They will not be sent to Lightfield.")
            .arg(recordName);
    return tr("Discard your changes to %1 of “%2”? They will not be sent to Lightfield.")
        .arg(fieldLabels.join(QStringLiteral(", ")), recordName);
}

int PendingChangesPanel::selectedRow() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

qint64 PendingChangesPanel::selectedSeq() const
{
    const int row = selectedRow();
    return row < 0 ? 0 : m_model->outboxRow(row).seq;
}

bool PendingChangesPanel::selectSeq(qint64 seq)
{
    const int row = m_model->rowOfSeq(seq);
    if (row < 0)
        return false;
    m_view->selectionModel()->setCurrentIndex(
        m_model->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    return true;
}

void PendingChangesPanel::updateState()
{
    const bool empty = m_model->rowCount() == 0;
    m_stack->setCurrentWidget(empty ? static_cast<QWidget *>(m_emptyLabel) : m_view);
    const int row = selectedRow();
    const bool selected = row >= 0;
    const OutboxRow::State state
        = selected ? m_model->outboxRow(row).state : OutboxRow::State::Pending;
    m_retryButton->setEnabled(
        selected && state != OutboxRow::State::InFlight && state != OutboxRow::State::MayExist);
    m_discardButton->setEnabled(selected && state != OutboxRow::State::InFlight);
    m_resolveButton->setEnabled(selected && state == OutboxRow::State::Conflict);
    m_checkButton->setEnabled(selected && state == OutboxRow::State::MayExist);
}

void PendingChangesPanel::retrySelected()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    const OutboxRow outboxRow = m_model->outboxRow(row);
    bool ok = true;
    switch (outboxRow.state) {
    case OutboxRow::State::Parked:
    case OutboxRow::State::Conflict:
        ok = m_outbox.resume(outboxRow.seq);
        break;
    case OutboxRow::State::Pending:
        ok = m_outbox.resetBackoff();
        break;
    case OutboxRow::State::InFlight:
    case OutboxRow::State::MayExist: // resending needs the rep's "Create it anyway"
        return;
    }
    if (!ok)
        qCWarning(lcOutbox) << "retry of row" << outboxRow.seq << "failed:" << m_outbox.lastError();
}

void PendingChangesPanel::discardSelected()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    const OutboxRow outboxRow = m_model->outboxRow(row);
    if (outboxRow.state == OutboxRow::State::InFlight)
        return;
    const bool isCreate = outboxRow.op == OutboxRow::Op::Create;
    if (outboxRow.attempts > 0) {
        // Sent before: the server may have applied it although no answer came back.
        DiscardSentDialog::Check check;
        if (m_serverCheck) {
            check = [serverCheck = m_serverCheck, outboxRow](
                        QObject *context, std::function<void(const QString &)> done) {
                serverCheck(outboxRow, context, std::move(done));
            };
        }
        auto *dialog = new DiscardSentDialog(
            DiscardSentDialog::questionText(m_model->recordName(row), isCreate), check, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        const qint64 seq = outboxRow.seq;
        connect(dialog, &QDialog::accepted, this, [this, seq] {
            if (!m_outbox.discard(seq))
                qCWarning(lcOutbox) << "discard of row" << seq << "failed:" << m_outbox.lastError();
        });
        dialog->open();
        return;
    }
    if (!m_confirmation(this, m_model->recordName(row), m_model->fieldLabels(row), isCreate))
        return;
    if (!m_outbox.discard(outboxRow.seq)) {
        qCWarning(lcOutbox) << "discard of row" << outboxRow.seq
                            << "failed:" << m_outbox.lastError();
    }
}

void PendingChangesPanel::resolveSelected()
{
    const int row = selectedRow();
    if (row >= 0 && m_model->outboxRow(row).state == OutboxRow::State::Conflict)
        Q_EMIT resolveRequested(m_model->outboxRow(row).seq);
}

void PendingChangesPanel::checkSelected()
{
    const int row = selectedRow();
    if (row >= 0 && m_model->outboxRow(row).state == OutboxRow::State::MayExist)
        Q_EMIT mayExistRequested(m_model->outboxRow(row).seq);
}

bool PendingChangesPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Delete && key->modifiers() == Qt::NoModifier) {
            discardSelected();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}
