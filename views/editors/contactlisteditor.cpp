#include "editors/contactlisteditor.h"

#include "editors/editorsupport.h"
#include "editors/phonenumbers.h"

#include <QHBoxLayout>
#include <QLineEdit>
#include <QToolButton>
#include <QVBoxLayout>

ContactListEditor::ContactListEditor(const FieldDefinition &definition, QWidget *parent)
    : TypedFieldEditor(definition, parent)
    , m_rowLayout(new QVBoxLayout)
    , m_multiple(definition.hasMultipleValues())
{
    m_rowLayout->setContentsMargins(0, 0, 0, 0);
    m_rowLayout->setSpacing(2);
    auto *layout = new QVBoxLayout(content());
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(m_rowLayout);
    if (m_multiple) {
        m_add = new QToolButton(content());
        m_add->setText(tr("Add"));
        m_add->setObjectName(QStringLiteral("add"));
        m_add->setAccessibleName(tr("Add to %1").arg(definition.label()));
        m_add->setAutoRaise(true);
        layout->addWidget(m_add, 0, Qt::AlignLeft);
        // Adding an empty entry changes no value: no edit until the rep types in it.
        connect(m_add, &QToolButton::clicked, this, [this] {
            Row &row = addRow({});
            row.edit->setFocus();
        });
    }
    addRow({});
    setInput(m_rows.first().edit);
    applyReadOnly(isReadOnly());
}

ContactListEditor::~ContactListEditor()
{
    // The entries outlive this class (children of the base widget) and report losing focus when
    // they are destroyed: that must not reach a handler of a destroyed editor.
    for (const Row &row : std::as_const(m_rows))
        row.edit->disconnect(this);
}

QList<QLineEdit *> ContactListEditor::lineEdits() const
{
    QList<QLineEdit *> edits;
    for (const Row &row : m_rows)
        edits.append(row.edit);
    return edits;
}

QToolButton *ContactListEditor::removeButton(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).remove : nullptr;
}

void ContactListEditor::setPhoneRegion(const QString &region)
{
    if (m_region == region)
        return;
    m_region = region;
    // A number typed without "+" and not yet left reads differently now; no edit by the rep.
    if (definition().type() == FieldType::Telephone)
        revalidate();
}

QString ContactListEditor::normalise(
    FieldType type, const QString &text, const QString &phoneRegion, QString *error)
{
    const QString trimmed = text.trimmed();
    switch (type) {
    case FieldType::Email: {
        const QString message = EditorSupport::emailError(trimmed);
        if (error)
            *error = message;
        return message.isEmpty() ? trimmed : QString();
    }
    case FieldType::Url:
        return EditorSupport::normaliseUrl(trimmed, error);
    case FieldType::Telephone:
        return PhoneNumbers::normalise(trimmed, phoneRegion, error);
    default:
        if (error)
            error->clear();
        return trimmed;
    }
}

void ContactListEditor::applyValue(const FieldValue &value)
{
    QStringList values = value.toStringList();
    if (values.isEmpty())
        values.append(QString());
    if (!m_multiple && values.size() > 1) {
        // A single-valued field that somehow holds several: show them all rather than drop any.
        m_multiple = true;
    }
    while (m_rows.size() > values.size())
        removeRow(m_rows.last().widget);
    while (m_rows.size() < values.size())
        addRow({});
    for (qsizetype i = 0; i < values.size(); ++i)
        m_rows[i].edit->setText(values.at(i));
}

FieldValue ContactListEditor::currentValue() const
{
    return FieldValue::fromStringList(definition().type(), entries(nullptr));
}

void ContactListEditor::applyReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    for (const Row &row : std::as_const(m_rows)) {
        row.edit->setReadOnly(readOnly);
        if (row.remove)
            row.remove->setVisible(!readOnly);
    }
    if (m_add)
        m_add->setVisible(!readOnly);
}

ContactListEditor::Row &ContactListEditor::addRow(const QString &text)
{
    Row row;
    row.widget = new QWidget(content());
    auto *layout = new QHBoxLayout(row.widget);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    row.edit = new QLineEdit(text, row.widget);
    row.edit->setAccessibleName(definition().label());
    row.edit->setReadOnly(m_readOnly);
    switch (definition().type()) {
    case FieldType::Email:
        row.edit->setInputMethodHints(Qt::ImhEmailCharactersOnly);
        row.edit->setPlaceholderText(tr("name@example.com"));
        break;
    case FieldType::Url:
        row.edit->setInputMethodHints(Qt::ImhUrlCharactersOnly);
        row.edit->setPlaceholderText(tr("https://example.com"));
        break;
    case FieldType::Telephone:
        row.edit->setInputMethodHints(Qt::ImhDialableCharactersOnly);
        row.edit->setPlaceholderText(tr("+1 512 555 0100"));
        break;
    default:
        break;
    }
    layout->addWidget(row.edit, 1);
    if (m_add) {
        row.remove = new QToolButton(row.widget);
        row.remove->setText(tr("Remove"));
        row.remove->setAccessibleName(tr("Remove from %1").arg(definition().label()));
        row.remove->setAutoRaise(true);
        row.remove->setVisible(!m_readOnly);
        layout->addWidget(row.remove);
        QWidget *rowWidget = row.widget;
        connect(row.remove, &QToolButton::clicked, this, [this, rowWidget] {
            if (m_readOnly)
                return;
            const bool hadText
                = std::any_of(m_rows.cbegin(), m_rows.cend(), [rowWidget](const Row &r) {
                      return r.widget == rowWidget && !r.edit->text().trimmed().isEmpty();
                  });
            removeRow(rowWidget);
            if (m_rows.isEmpty()) {
                addRow({});
                setInput(m_rows.first().edit);
            }
            revalidate();
            if (hadText)
                userEdited();
        });
    }
    QLineEdit *edit = row.edit;
    connect(edit, &QLineEdit::textEdited, this, [this] {
        revalidate();
        userEdited();
    });
    connect(edit, &QLineEdit::returnPressed, this, &ContactListEditor::userCommitted);
    connect(edit, &QLineEdit::editingFinished, this, [this, edit] { handleEditingFinished(edit); });
    m_rowLayout->addWidget(row.widget);
    m_rows.append(row);
    return m_rows.last();
}

void ContactListEditor::removeRow(QWidget *rowWidget)
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).widget != rowWidget)
            continue;
        const bool wasInput = m_rows.at(i).edit == input();
        m_rows.removeAt(i);
        rowWidget->hide();
        rowWidget->deleteLater();
        if (wasInput && !m_rows.isEmpty())
            setInput(m_rows.first().edit);
        return;
    }
}

void ContactListEditor::revalidate()
{
    QString error;
    entries(&error);
    setError(error);
}

void ContactListEditor::handleEditingFinished(QLineEdit *edit)
{
    if (m_readOnly || edit->text().trimmed().isEmpty())
        return;
    QString error;
    const QString normalised = normalise(definition().type(), edit->text(), m_region, &error);
    // Programmatic: setText() emits no textEdited(), so this is not an edit.
    if (error.isEmpty() && normalised != edit->text())
        edit->setText(normalised);
}

QStringList ContactListEditor::entries(QString *error) const
{
    QStringList values;
    if (error)
        error->clear();
    for (const Row &row : m_rows) {
        if (row.edit->text().trimmed().isEmpty())
            continue;
        QString message;
        const QString normalised
            = normalise(definition().type(), row.edit->text(), m_region, &message);
        if (!message.isEmpty()) {
            if (error && error->isEmpty())
                *error = message;
            continue;
        }
        values.append(normalised);
    }
    return values;
}
