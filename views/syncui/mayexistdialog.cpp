#include "syncui/mayexistdialog.h"

#include "logging.h"
#include "sync/createcandidatemodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

MayExistDialog::MayExistDialog(const OutboxRow &row, const QString &dealName,
    CreateCandidateModel *candidates, QWidget *parent)
    : QDialog(parent)
    , m_row(row)
    , m_dealName(dealName)
    , m_candidates(candidates)
{
    setObjectName(QStringLiteral("mayExistDialog"));
    setWindowTitle(tr("Does this deal already exist?"));
    setWindowModality(Qt::WindowModal);
    m_candidates->setParent(this);
    buildUi();
    connect(m_candidates, &CreateCandidateModel::finished, this, &MayExistDialog::loaded);
    if (m_candidates->isLoading())
        m_statusLabel->setText(tr("Looking for deals named “%1” on the server…").arg(m_dealName));
    else
        loaded(true, QString());
    updateButtons();
}

MayExistDialog::~MayExistDialog() = default;

QString MayExistDialog::introText(const QString &dealName)
{
    return tr("The new deal “%1” was sent over a day ago, but no answer came back, and the server "
              "no longer remembers the request. The deal may already be on the server, or a "
              "colleague may have made one like it. Is it one of these?")
        .arg(dealName);
}

void MayExistDialog::buildUi()
{
    auto *intro = new QLabel(introText(m_dealName), this);
    intro->setObjectName(QStringLiteral("introLabel"));
    intro->setWordWrap(true);

    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("statusLabel"));
    m_statusLabel->setWordWrap(true);

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("candidatesTable"));
    m_view->setAccessibleName(tr("Deals on the server with this name"));
    m_view->setModel(m_candidates);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setTabKeyNavigation(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(
        CreateCandidateModel::NameColumn, QHeaderView::Stretch);

    m_adoptButton = new QPushButton(tr("It is &this one"), this);
    m_adoptButton->setObjectName(QStringLiteral("adoptButton"));
    m_adoptButton->setToolTip(
        tr("Use the selected deal: your later changes to the new deal go to it"));
    m_createButton = new QPushButton(tr("&Create it anyway"), this);
    m_createButton->setObjectName(QStringLiteral("createAnywayButton"));
    m_createButton->setToolTip(tr("Send the new deal once more, as a deal of its own"));
    m_discardButton = new QPushButton(tr("&Discard…"), this);
    m_discardButton->setObjectName(QStringLiteral("discardButton"));
    m_discardButton->setToolTip(tr("Drop the new deal and the changes made to it since"));
    m_laterButton = new QPushButton(tr("&Later"), this);
    m_laterButton->setObjectName(QStringLiteral("laterButton"));
    m_laterButton->setToolTip(tr("Decide later: nothing is sent meanwhile"));
    // Enter must never pick an answer the rep did not point at.
    for (QPushButton *button : {m_adoptButton, m_createButton, m_discardButton, m_laterButton})
        button->setAutoDefault(false);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_adoptButton);
    buttons->addWidget(m_createButton);
    buttons->addWidget(m_discardButton);
    buttons->addStretch(1);
    buttons->addWidget(m_laterButton);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_statusLabel);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    resize(720, 360);

    connect(m_adoptButton, &QPushButton::clicked, this, &MayExistDialog::adoptSelected);
    connect(m_createButton, &QPushButton::clicked, this, [this] {
        m_answer = Answer::CreateAnyway;
        accept();
    });
    connect(m_discardButton, &QPushButton::clicked, this, &MayExistDialog::askDiscard);
    connect(m_laterButton, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_view, &QTableView::activated, this, [this] {
        if (m_canAdopt)
            adoptSelected();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &MayExistDialog::updateButtons);
    connect(m_candidates, &QAbstractItemModel::modelReset, this, &MayExistDialog::updateButtons);
}

void MayExistDialog::setOffline()
{
    m_canAdopt = false;
    m_statusLabel->setText(tr("The deals on the server cannot be loaded: you are offline. You can "
                              "create the deal anyway, discard it, or decide later."));
    m_view->setEnabled(false);
    updateButtons();
}

void MayExistDialog::loaded(bool ok, const QString &error)
{
    m_canAdopt = ok;
    if (!ok) {
        m_statusLabel->setText(error.isEmpty()
                ? tr("The deals on the server cannot be loaded now.")
                : tr("The deals on the server cannot be loaded: %1").arg(error));
        m_view->setEnabled(false);
    } else if (m_candidates->rowCount() == 0) {
        m_statusLabel->setText(tr("No deal named “%1” is on the server.").arg(m_dealName));
    } else {
        m_statusLabel->setText(
            tr("%n deal(s) named “%1” on the server:", nullptr, m_candidates->rowCount())
                .arg(m_dealName));
        m_view->setEnabled(true);
        m_view->selectionModel()->setCurrentIndex(m_candidates->index(0, 0),
            QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_view->setFocus(Qt::OtherFocusReason);
    }
    updateButtons();
}

int MayExistDialog::selectedRow() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void MayExistDialog::updateButtons()
{
    m_adoptButton->setEnabled(m_canAdopt && selectedRow() >= 0);
}

void MayExistDialog::adoptSelected()
{
    const int row = selectedRow();
    if (!m_canAdopt || row < 0)
        return;
    m_adopted = m_candidates->recordJson(row);
    m_answer = Answer::Adopt;
    accept();
}

void MayExistDialog::askDiscard()
{
    if (m_confirmation)
        return;
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Discard the new deal"),
        tr("Discard the new deal “%1” and the changes made to it since? It was sent before: "
           "the server may already have it, and it would stay there.")
            .arg(m_dealName),
        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("discardConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *discard = box->addButton(tr("&Discard"), QMessageBox::DestructiveRole);
    discard->setObjectName(QStringLiteral("confirmDiscardButton"));
    QPushButton *keep = box->addButton(tr("&Keep"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepButton"));
    box->setDefaultButton(keep);
    box->setEscapeButton(keep);
    connect(box, &QMessageBox::buttonClicked, this, [this, discard](QAbstractButton *clicked) {
        if (clicked != discard)
            return;
        m_answer = Answer::Discard;
        accept();
    });
    m_confirmation = box;
    box->open();
}

bool MayExistDialog::apply(Outbox &outbox, const QDateTime &now) const
{
    switch (m_answer) {
    case Answer::None:
        return true;
    case Answer::Adopt:
        return outbox.adopt(m_row.seq, m_adopted);
    case Answer::CreateAnyway:
        return outbox.createAnyway(m_row.seq, now);
    case Answer::Discard:
        return outbox.discard(m_row.seq);
    }
    return false;
}
