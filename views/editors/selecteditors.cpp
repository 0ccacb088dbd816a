#include "editors/selecteditors.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListView>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace {

constexpr int kIdRole = Qt::UserRole + 1;

} // namespace

SingleSelectEditor::SingleSelectEditor(const FieldDefinition &definition, QWidget *parent)
    : TypedFieldEditor(definition, parent)
    , m_combo(new QComboBox(content()))
    , m_chosen(FieldValue::null(FieldType::SingleSelect))
{
    auto *layout = new QHBoxLayout(content());
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_combo);
    // A required select has no empty choice: the rep cannot pick "None" for it. A record
    // without a value yet (a new deal) shows the placeholder instead (current index -1).
    if (definition.isRequired())
        m_combo->setPlaceholderText(tr("Choose %1…").arg(definition.label().toLower()));
    else
        m_combo->addItem(tr("None"), QString());
    const QList<SelectOption> options = definition.options();
    for (const SelectOption &option : options) {
        // "Renewals / Won" when another pipeline has a "Won" stage too.
        m_combo->addItem(definition.optionDisplayLabel(option), option.id);
        if (!option.description.isEmpty())
            m_combo->setItemData(m_combo->count() - 1, option.description, Qt::ToolTipRole);
    }
    setInput(m_combo);
    // activated() comes from the rep only (mouse or keyboard), never from setCurrentIndex().
    connect(m_combo, &QComboBox::activated, this, [this](int index) {
        const FieldValue chosen
            = FieldValue::fromText(FieldType::SingleSelect, m_combo->itemData(index).toString());
        if (chosen == m_chosen)
            return;
        m_chosen = chosen;
        userEdited();
        userCommitted();
    });
    applyReadOnly(isReadOnly());
}

SingleSelectEditor::~SingleSelectEditor() = default;

void SingleSelectEditor::applyValue(const FieldValue &value)
{
    const QString id = value.toText();
    int index = m_combo->findData(id);
    if (index < 0 && !id.isEmpty()) {
        // An option this schema does not list (deleted, or a newer schema): keep it visible.
        m_combo->addItem(tr("%1 (unknown option)").arg(id), id);
        index = m_combo->count() - 1;
    }
    m_combo->setCurrentIndex(index);
    m_chosen = FieldValue::fromText(FieldType::SingleSelect, id);
}

FieldValue SingleSelectEditor::currentValue() const
{
    return m_chosen;
}

void SingleSelectEditor::applyReadOnly(bool readOnly)
{
    m_combo->setEnabled(!readOnly);
}

MultiSelectEditor::MultiSelectEditor(const FieldDefinition &definition, QWidget *parent)
    : TypedFieldEditor(definition, parent)
    , m_filter(new QLineEdit(content()))
    , m_list(new QListView(content()))
    , m_options(new QStandardItemModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    m_filter->setPlaceholderText(tr("Filter options"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter %1").arg(definition.label()));
    m_filter->setObjectName(QStringLiteral("filter"));
    const QList<SelectOption> options = definition.options();
    for (const SelectOption &option : options) {
        auto *item = new QStandardItem(definition.optionDisplayLabel(option));
        item->setData(option.id, kIdRole);
        item->setCheckable(true);
        item->setEditable(false);
        if (!option.description.isEmpty())
            item->setToolTip(option.description);
        m_options->appendRow(item);
    }
    m_optionCount = m_options->rowCount();
    m_proxy->setSourceModel(m_options);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterRole(Qt::DisplayRole);
    m_list->setModel(m_proxy);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setUniformItemSizes(true);

    auto *layout = new QVBoxLayout(content());
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_filter);
    layout->addWidget(m_list);
    setInput(m_list);

    connect(
        m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    // Check state changes reach the model through the view's delegate (click or Space) or
    // applyValue(); the latter runs while applying, so userEdited() ignores it.
    connect(m_options, &QStandardItemModel::itemChanged, this,
        [this](QStandardItem *) { userEdited(); });
    applyReadOnly(isReadOnly());
}

MultiSelectEditor::~MultiSelectEditor() = default;

void MultiSelectEditor::applyValue(const FieldValue &value)
{
    // Drop extra entries left by a previous value, then add any unknown ids of this one.
    if (m_options->rowCount() > m_optionCount)
        m_options->removeRows(int(m_optionCount), m_options->rowCount() - int(m_optionCount));
    const QStringList ids = value.toStringList();
    for (int row = 0; row < m_options->rowCount(); ++row) {
        QStandardItem *item = m_options->item(row);
        item->setCheckState(
            ids.contains(item->data(kIdRole).toString()) ? Qt::Checked : Qt::Unchecked);
    }
    for (const QString &id : ids) {
        if (!definition().option(id)) {
            auto *item = new QStandardItem(tr("%1 (unknown option)").arg(id));
            item->setData(id, kIdRole);
            item->setCheckable(true);
            item->setEditable(false);
            item->setCheckState(Qt::Checked);
            m_options->appendRow(item);
        }
    }
}

FieldValue MultiSelectEditor::currentValue() const
{
    QStringList ids;
    for (int row = 0; row < m_options->rowCount(); ++row) {
        const QStandardItem *item = m_options->item(row);
        if (item->checkState() == Qt::Checked)
            ids.append(item->data(kIdRole).toString());
    }
    return FieldValue::fromStringList(FieldType::MultiSelect, ids);
}

void MultiSelectEditor::applyReadOnly(bool readOnly)
{
    {
        // Not user-checkable: neither clicks nor Space change it. (Blocked: this is no edit.)
        const QSignalBlocker blocker(m_options);
        for (int row = 0; row < m_options->rowCount(); ++row) {
            QStandardItem *item = m_options->item(row);
            item->setFlags(readOnly ? (item->flags() & ~Qt::ItemIsUserCheckable)
                                    : (item->flags() | Qt::ItemIsUserCheckable));
        }
    }
    m_list->viewport()->update();
}
