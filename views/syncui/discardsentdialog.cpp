#include "syncui/discardsentdialog.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

DiscardSentDialog::DiscardSentDialog(const QString &question, Check check, QWidget *parent)
    : QDialog(parent)
    , m_check(std::move(check))
{
    setObjectName(QStringLiteral("discardSentDialog"));
    setWindowTitle(tr("Discard a change that was sent"));
    setWindowModality(Qt::WindowModal);

    auto *questionLabel = new QLabel(question, this);
    questionLabel->setObjectName(QStringLiteral("questionLabel"));
    questionLabel->setWordWrap(true);
    m_resultLabel = new QLabel(this);
    m_resultLabel->setObjectName(QStringLiteral("checkResultLabel"));
    m_resultLabel->setWordWrap(true);
    m_resultLabel->hide();

    m_checkButton = new QPushButton(tr("&Check the server first"), this);
    m_checkButton->setObjectName(QStringLiteral("checkServerButton"));
    m_checkButton->setToolTip(tr("Read the record from the server and say whether it already "
                                 "shows this change"));
    m_checkButton->setAutoDefault(false);
    m_checkButton->setVisible(bool(m_check));
    auto *discard = new QPushButton(tr("&Discard"), this);
    discard->setObjectName(QStringLiteral("confirmDiscardButton"));
    discard->setAutoDefault(false);
    auto *cancel = new QPushButton(tr("Cancel"), this);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    // Keeping the change is the safe answer: Enter and Esc both cancel.
    cancel->setDefault(true);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_checkButton);
    buttons->addStretch(1);
    buttons->addWidget(discard);
    buttons->addWidget(cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(questionLabel);
    layout->addWidget(m_resultLabel);
    layout->addLayout(buttons);

    connect(m_checkButton, &QPushButton::clicked, this, &DiscardSentDialog::runCheck);
    connect(discard, &QPushButton::clicked, this, &QDialog::accept);
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
}

DiscardSentDialog::~DiscardSentDialog() = default;

QString DiscardSentDialog::questionText(const QString &recordName, bool isCreate)
{
    if (isCreate)
        return tr("The new record “%1” was already sent to Lightfield, and the server may have "
                  "created it although no answer came back. Discarding it here does not remove "
                  "it there.")
            .arg(recordName);
    return tr("Your changes to “%1” were already sent to Lightfield, and the server may have "
              "applied them although no answer came back. Discarding them here does not take "
              "them back there.")
        .arg(recordName);
}

void DiscardSentDialog::runCheck()
{
    if (m_checking || !m_check)
        return;
    m_checking = true;
    m_checkButton->setEnabled(false);
    m_resultLabel->setText(tr("Checking the server…"));
    m_resultLabel->show();
    m_check(this, [this](const QString &verdict) {
        m_checking = false;
        m_checkButton->setEnabled(true);
        m_resultLabel->setText(verdict);
    });
}
