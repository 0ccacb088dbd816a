#include "form/newdealdialog.h"

#include "editors/fieldeditor.h"
#include "editors/fieldeditorfactory.h"
#include "form/formsupport.h"
#include "form/relationshipeditor.h"
#include "itemmodels/namelistmodel.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QTimer>
#include <QVBoxLayout>

NewDealDialog::NewDealDialog(QWidget *parent)
    : QDialog(parent)
    , m_factory(&FieldEditorFactory::create)
{
    setObjectName(QStringLiteral("newDealDialog"));
    setWindowTitle(tr("New deal"));

    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(QStringLiteral("fields"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_saveButton = m_buttons->button(QDialogButtonBox::Save);
    m_saveButton->setObjectName(QStringLiteral("save"));
    m_saveButton->setText(tr("&Create deal"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &NewDealDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_scroll, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
    resize(480, 560);

    rebuild();
}

NewDealDialog::~NewDealDialog() = default;

void NewDealDialog::setEditorFactory(EditorFactory factory)
{
    m_factory = factory ? std::move(factory) : EditorFactory(&FieldEditorFactory::create);
}

void NewDealDialog::setNameModel(const QString &objectType, NameListModel *names)
{
    m_names.insert(objectType, names);
    for (Row &r : m_rows) {
        if (r.relation && r.relation->definition().objectType() == objectType) {
            const QStringList ids = r.relation->ids();
            r.relation->setNameModel(names);
            r.relation->setIds(ids);
        }
    }
}

void NewDealDialog::setSchema(const ObjectSchema &schema)
{
    m_schema = schema;
    rebuild();
}

void NewDealDialog::rebuild()
{
    m_rows.clear();
    m_rowOfKey.clear();
    auto *content = new QWidget;
    content->setObjectName(QStringLiteral("fieldRows"));
    auto *form = new QFormLayout(content);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    const auto addRow = [this, content, form](Row r, QWidget *editor, QWidget *focusTarget) {
        editor->setObjectName(r.key);
        auto *label = new QLabel(r.required ? r.label + QStringLiteral(" *") : r.label, content);
        label->setObjectName(QStringLiteral("label:") + r.key);
        FormSupport::labelEditor(label, focusTarget, r.label);
        if (r.required && focusTarget)
            focusTarget->setAccessibleDescription(tr("Required"));
        m_rowOfKey.insert(r.key, int(m_rows.size()));
        form->addRow(label, editor);
        m_rows.push_back(std::move(r));
    };

    for (const FieldDefinition &definition : m_schema.fields()) {
        if (!definition.isWritable())
            continue;
        Row r;
        r.key = definition.key();
        r.label = definition.label();
        r.required = definition.isRequired();
        r.field = m_factory(definition, content);
        if (!r.field)
            continue;
        r.field->setToolTip(definition.description());
        r.field->setValue(FieldValue::null(definition.type()));
        connect(r.field, &FieldEditor::edited, this, &NewDealDialog::updateButtons);
        FieldEditor *editor = r.field;
        addRow(std::move(r), editor, editor->focusTarget());
    }
    for (const RelationshipDefinition &definition : m_schema.relationships()) {
        if (definition.isReadOnly())
            continue;
        Row r;
        r.key = definition.key();
        r.label = definition.label();
        r.required = definition.isRequired();
        r.relation = RelationshipEditor::create(
            definition, m_names.value(definition.objectType()), content);
        r.relation->setToolTip(definition.description());
        connect(r.relation, &RelationshipEditor::edited, this, &NewDealDialog::updateButtons);
        RelationshipEditor *editor = r.relation;
        addRow(std::move(r), editor, editor->focusTarget());
    }
    m_scroll->setWidget(content);
    updateButtons();
}

void NewDealDialog::setInitialValue(const QString &key, const FieldValue &value)
{
    if (const Row *r = row(key); r && r->field) {
        r->field->setValue(value);
        updateButtons();
    }
}

void NewDealDialog::setInitialIds(const QString &key, const QStringList &ids)
{
    if (const Row *r = row(key); r && r->relation) {
        r->relation->setIds(ids);
        updateButtons();
    }
}

bool NewDealDialog::isSet(const Row &r) const
{
    if (r.relation)
        return !r.relation->ids().isEmpty();
    const FieldValue value = r.field->value();
    if (value.isNull())
        return false;
    // A name of blanks is no name.
    return !isTextType(value.type()) || !value.toText().trimmed().isEmpty();
}

bool NewDealDialog::isAcceptable(const Row &r) const
{
    return r.field ? r.field->isAcceptable() : r.relation->isAcceptable();
}

QStringList NewDealDialog::missingRequired() const
{
    QStringList missing;
    for (const Row &r : m_rows) {
        if (r.required && !isSet(r))
            missing.append(r.label);
    }
    return missing;
}

bool NewDealDialog::canCreate() const
{
    if (m_rows.empty() || !missingRequired().isEmpty())
        return false;
    for (const Row &r : m_rows) {
        if (!isAcceptable(r))
            return false;
    }
    return true;
}

ChangeSet NewDealDialog::createChanges() const
{
    QHash<QString, FieldValue> values;
    QHash<QString, QStringList> relationships;
    for (const Row &r : m_rows) {
        if (!isAcceptable(r) || !isSet(r))
            continue;
        if (r.field)
            values.insert(r.key, r.field->value());
        else
            relationships.insert(r.key, r.relation->ids());
    }
    return ChangeSet::forCreate(m_schema, values, relationships);
}

void NewDealDialog::save()
{
    if (!canCreate()) {
        updateButtons();
        return;
    }
    Q_EMIT createRequested(createChanges());
    accept();
}

void NewDealDialog::updateButtons()
{
    QStringList unreadable;
    for (const Row &r : m_rows) {
        if (!isAcceptable(r))
            unreadable.append(r.label);
    }
    const QStringList missing = missingRequired();
    QStringList lines;
    if (!missing.isEmpty())
        lines.append(tr("Still needed: %1.").arg(missing.join(QStringLiteral(", "))));
    if (!unreadable.isEmpty())
        lines.append(tr("Fix %1.").arg(unreadable.join(QStringLiteral(", "))));
    const QString status = lines.join(QLatin1Char(' '));
    m_status->setText(status);
    m_status->setVisible(!status.isEmpty());
    m_saveButton->setEnabled(canCreate());
    m_saveButton->setToolTip(status);
}

QString NewDealDialog::statusText() const
{
    return m_status->text();
}

FieldEditor *NewDealDialog::fieldEditor(const QString &key) const
{
    const Row *r = row(key);
    return r ? r->field : nullptr;
}

RelationshipEditor *NewDealDialog::relationshipEditor(const QString &key) const
{
    const Row *r = row(key);
    return r ? r->relation : nullptr;
}

const NewDealDialog::Row *NewDealDialog::row(const QString &key) const
{
    const int index = m_rowOfKey.value(key, -1);
    return index < 0 ? nullptr : &m_rows[size_t(index)];
}

void NewDealDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    QTimer::singleShot(0, this, [this] {
        for (const Row &r : m_rows) {
            QWidget *target = r.field ? r.field->focusTarget() : r.relation->focusTarget();
            if (target) {
                target->setFocus(Qt::OtherFocusReason);
                return;
            }
        }
    });
}
