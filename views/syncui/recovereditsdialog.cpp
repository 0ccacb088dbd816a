#include "syncui/recovereditsdialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace {

constexpr int kSeqRole = Qt::UserRole + 1;

} // namespace

RecoverEditsDialog::RecoverEditsDialog(const CacheRecovery::Listing &listing, QWidget *parent)
    : QDialog(parent)
    , m_listing(listing)
{
    setObjectName(QStringLiteral("recoverEditsDialog"));
    setWindowTitle(tr("Recover Edits from a Damaged Cache"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(
        tr("These edits were waiting to be sent when the offline cache was found damaged and "
           "moved aside (%1). Tick the ones to send again; each keeps its original key, so an "
           "edit the server already has is not applied twice.")
            .arg(QDir::toNativeSeparators(listing.file)),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_model = new QStandardItemModel(0, 3, this);
    m_model->setHorizontalHeaderLabels({tr("Deal"), tr("Changes"), tr("Queued")});
    const QLocale locale;
    for (const CacheRecovery::Item &item : listing.items) {
        QString name = item.dealName.isEmpty() ? item.row.recordId : item.dealName;
        if (item.row.op == OutboxRow::Op::Create)
            name = tr("%1 (new)").arg(name);
        auto *deal = new QStandardItem(name);
        deal->setCheckable(true);
        deal->setCheckState(Qt::Unchecked);
        deal->setEditable(false);
        deal->setData(item.row.seq, kSeqRole);
        auto *changes = new QStandardItem(item.changedKeys.join(QLatin1String(", ")));
        changes->setEditable(false);
        auto *queued = new QStandardItem(
            locale.toString(item.row.createdAt.toLocalTime(), QLocale::ShortFormat));
        queued->setEditable(false);
        m_model->appendRow({deal, changes, queued});
    }
    m_view = new QTreeView(this);
    m_view->setObjectName(QStringLiteral("recoverEditsList"));
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setModel(m_model);
    m_view->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    if (m_model->rowCount() > 0)
        m_view->setCurrentIndex(m_model->index(0, 0));
    layout->addWidget(m_view, 1);

    auto *unreadable = new QLabel(this);
    unreadable->setObjectName(QStringLiteral("unreadableLabel"));
    unreadable->setWordWrap(true);
    unreadable->setText(listing.unreadable.isEmpty()
            ? QString()
            : tr("Could not be read: %1").arg(listing.unreadable.join(QLatin1String("; "))));
    unreadable->setVisible(!listing.unreadable.isEmpty());
    layout->addWidget(unreadable);
    if (listing.items.isEmpty()) {
        intro->setText(tr("No queued edit could be read from the damaged cache %1.")
                           .arg(QDir::toNativeSeparators(listing.file)));
    }

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_recover = buttons->addButton(tr("&Recover"), QDialogButtonBox::AcceptRole);
    m_recover->setObjectName(QStringLiteral("recoverButton"));
    m_recover->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(m_model, &QStandardItemModel::itemChanged, this, &RecoverEditsDialog::updateButton);
    updateButton();
    m_view->setFocus(Qt::OtherFocusReason);
    resize(640, 360);
}

RecoverEditsDialog::~RecoverEditsDialog() = default;

QList<qint64> RecoverEditsDialog::checkedSeqs() const
{
    QList<qint64> seqs;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QStandardItem *item = m_model->item(row, 0);
        if (item->checkState() == Qt::Checked)
            seqs << item->data(kSeqRole).toLongLong();
    }
    return seqs;
}

void RecoverEditsDialog::updateButton()
{
    m_recover->setEnabled(!checkedSeqs().isEmpty());
}
