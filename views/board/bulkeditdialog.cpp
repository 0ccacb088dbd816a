#include "board/bulkeditdialog.h"

#include "edit/recordeditservice.h"
#include "editors/fieldeditor.h"
#include "editors/fieldeditorfactory.h"
#include "sync/syncengine.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

BulkEditDialog::BulkEditDialog(const ObjectSchema &schema, const QStringList &recordIds,
    RecordEditService &service, SyncEngine *engine, const QHash<QString, QString> &names,
    QWidget *parent)
    : QDialog(parent)
    , m_schema(schema)
    , m_recordIds(recordIds)
    , m_names(names)
    , m_fields(BulkEdit::editableFields(schema))
    , m_bulk(service)
{
    m_recordIds.removeDuplicates();
    m_bulk.setEngine(engine);
    setWindowTitle(tr("Edit %n Deal(s)", nullptr, int(m_recordIds.size())));

    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Set one field to the same value on %n selected deal(s).", nullptr,
                                 int(m_recordIds.size())),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    m_fieldBox = new QComboBox(this);
    m_fieldBox->setObjectName(QStringLiteral("bulkField"));
    for (const FieldDefinition &field : std::as_const(m_fields))
        m_fieldBox->addItem(field.label(), field.key());
    form->addRow(tr("&Field:"), m_fieldBox);
    auto *editorHolder = new QWidget(this);
    m_editorArea = new QVBoxLayout(editorHolder);
    m_editorArea->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("&Value:"), editorHolder);
    layout->addLayout(form);

    m_hint = new QLabel(this);
    m_hint->setObjectName(QStringLiteral("bulkHint"));
    m_hint->setWordWrap(true);
    layout->addWidget(m_hint);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("bulkProgress"));
    m_progress->setRange(0, std::max(1, int(m_recordIds.size())));
    m_progress->setValue(0);
    m_progress->setVisible(false);
    layout->addWidget(m_progress);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("bulkStatus"));
    layout->addWidget(m_status);

    m_failures = new QTreeWidget(this);
    m_failures->setObjectName(QStringLiteral("bulkFailures"));
    m_failures->setHeaderLabels({tr("Deal"), tr("Problem")});
    m_failures->setRootIsDecorated(false);
    m_failures->header()->setStretchLastSection(true);
    m_failures->setVisible(false);
    layout->addWidget(m_failures, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Apply | QDialogButtonBox::Close, this);
    m_applyButton = buttons->button(QDialogButtonBox::Apply);
    m_applyButton->setObjectName(QStringLiteral("bulkApply"));
    m_applyButton->setDefault(true);
    layout->addWidget(buttons);

    connect(m_applyButton, &QPushButton::clicked, this, &BulkEditDialog::apply);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_fieldBox, &QComboBox::currentIndexChanged, this, &BulkEditDialog::showEditor);
    connect(&m_bulk, &BulkEdit::progressChanged, this, &BulkEditDialog::updateProgress);
    connect(&m_bulk, &BulkEdit::failed, this, &BulkEditDialog::addFailureRow);

    if (m_fields.isEmpty())
        m_hint->setText(tr("These deals have no field that can be set on several deals at once."));
    showEditor();
}

BulkEditDialog::~BulkEditDialog() = default;

FieldDefinition BulkEditDialog::currentField() const
{
    const int index = m_fieldBox->currentIndex();
    return index >= 0 && index < m_fields.size() ? m_fields.at(index) : FieldDefinition();
}

bool BulkEditDialog::setCurrentField(const QString &key)
{
    const int index = m_fieldBox->findData(key);
    if (index < 0)
        return false;
    m_fieldBox->setCurrentIndex(index);
    return true;
}

void BulkEditDialog::showEditor()
{
    if (m_editor) {
        m_editor->hide();
        m_editor->deleteLater();
        m_editor = nullptr;
    }
    const FieldDefinition field = currentField();
    if (field.isValid()) {
        m_editor = FieldEditorFactory::create(field, this);
        m_editor->setObjectName(field.key());
        m_editorArea->addWidget(m_editor);
        connect(m_editor, &FieldEditor::edited, this, &BulkEditDialog::updateState);
    }
    updateState();
}

void BulkEditDialog::updateState()
{
    const bool editable = !m_applied && m_editor && !m_recordIds.isEmpty();
    m_fieldBox->setEnabled(!m_applied);
    if (m_editor)
        m_editor->setEnabled(!m_applied);
    const bool acceptable = m_editor && m_editor->isAcceptable();
    m_applyButton->setEnabled(editable && acceptable);
    if (!m_applied && m_editor)
        m_hint->setText(acceptable ? QString() : m_editor->validationError());
}

void BulkEditDialog::apply()
{
    if (m_applied || !m_editor || !m_editor->isAcceptable())
        return;
    const FieldDefinition field = currentField();
    if (!m_bulk.apply(m_schema, m_recordIds, field, m_editor->value())) {
        m_hint->setText(m_bulk.lastError());
        return;
    }
    m_applied = true;
    m_hint->setText(tr("The changes are queued and are sent as the connection allows. You can "
                       "close this window; Pending changes lists them."));
    m_progress->setVisible(true);
    updateState();
    updateProgress();
}

void BulkEditDialog::updateProgress()
{
    if (!m_applied)
        return;
    const int settled = m_bulk.confirmed() + m_bulk.failedCount();
    m_progress->setRange(0, std::max(1, m_bulk.total()));
    m_progress->setValue(settled);
    QString status = tr("%1 of %2 queued · %3 confirmed")
                         .arg(m_bulk.queued())
                         .arg(m_bulk.total())
                         .arg(m_bulk.confirmed());
    if (m_bulk.failedCount() > 0)
        status += tr(" · %n failed", nullptr, m_bulk.failedCount());
    if (m_bulk.isFinished())
        status += tr(" — done");
    m_status->setText(status);
}

void BulkEditDialog::addFailureRow(const QString &recordId, const QString &message)
{
    const QString name = m_names.value(recordId);
    auto *item = new QTreeWidgetItem(m_failures, {name.isEmpty() ? recordId : name, message});
    item->setData(0, Qt::UserRole, recordId);
    item->setToolTip(1, message);
    m_failures->setVisible(true);
}
