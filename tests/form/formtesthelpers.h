#pragma once

// Shared by the form tests: the sandbox's opportunity schema, a deal record, a NUMBER editor
// whose validity the test controls, and a way to type into any editor.

#include "domain/objectschema.h"
#include "domain/record.h"
#include "editors/fieldeditor.h"

#include "sandboxschema.h"

#include <QLineEdit>
#include <QTest>

namespace FormTest {

inline ObjectSchema opportunitySchema()
{
    return ObjectSchema::fromDefinitionsJson(SandboxSchema::opportunity().definitionsJson());
}

/** A deal with a name, a stage, notes, an account, an owner and two tasks. */
inline Record deal(const QString &id = QStringLiteral("opp_1"))
{
    const ObjectSchema schema = opportunitySchema();
    Record record(id);
    record.setHttpLink(QStringLiteral("https://app.lightfield.app/deals/") + id);
    record.setValue(QStringLiteral("$name"),
        FieldValue::fromText(FieldType::Text, QStringLiteral("Northwind")));
    const FieldDefinition *stage = schema.field(QStringLiteral("$stage"));
    if (stage && !stage->options().isEmpty())
        record.setValue(QStringLiteral("$stage"),
            FieldValue::fromText(FieldType::SingleSelect, stage->options().first().id));
    record.setValue(QStringLiteral("nextSteps"),
        FieldValue::fromText(FieldType::Markdown, QStringLiteral("Send the quote")));
    record.setValue(QStringLiteral("probability"), FieldValue::fromNumber(40));
    record.setRelationship(QStringLiteral("$account"),
        {Cardinality::HasOne, QStringLiteral("account"), {QStringLiteral("acc_1")}});
    record.setRelationship(QStringLiteral("$owner"),
        {Cardinality::HasOne, QStringLiteral("member"), {QStringLiteral("mem_1")}});
    record.setRelationship(QStringLiteral("$task"),
        {Cardinality::HasMany, QStringLiteral("task"),
            {QStringLiteral("tsk_1"), QStringLiteral("tsk_2")}});
    return record;
}

/** The line edit an editor types into (its focus target or the first one inside it). */
inline QLineEdit *lineEditOf(QWidget *editor)
{
    if (!editor)
        return nullptr;
    if (auto *edit = qobject_cast<QLineEdit *>(editor))
        return edit;
    return editor->findChild<QLineEdit *>();
}

/**
 * NUMBER for tests: a QLineEdit; text that is not a number is not acceptable and value() keeps
 * the last number. Emits edited() on textEdited, like the real editors.
 */
class TestNumberEditor final : public FieldEditor
{
public:
    explicit TestNumberEditor(const FieldDefinition &definition, QWidget *parent = nullptr)
        : FieldEditor(definition, parent)
        , m_edit(new QLineEdit(this))
    {
        connect(m_edit, &QLineEdit::textEdited, this, [this](const QString &text) {
            bool ok = false;
            const double number = text.toDouble(&ok);
            m_acceptable = ok || text.isEmpty();
            if (ok)
                m_value = FieldValue::fromNumber(number);
            else if (text.isEmpty())
                m_value = FieldValue::null(FieldType::Number);
            Q_EMIT edited();
        });
    }
    FieldValue value() const override { return m_value; }
    void setValue(const FieldValue &value) override
    {
        m_value = value;
        m_acceptable = true;
        m_edit->setText(value.isNull() ? QString() : QString::number(value.toDouble()));
    }
    QString validationError() const override
    {
        return m_acceptable ? QString() : QStringLiteral("Type a number.");
    }
    void setReadOnly(bool readOnly) override { m_edit->setReadOnly(readOnly); }
    bool isReadOnly() const override { return m_edit->isReadOnly(); }
    QWidget *focusTarget() override { return m_edit; }
    QLineEdit *lineEdit() const { return m_edit; }

private:
    QLineEdit *m_edit;
    FieldValue m_value;
    bool m_acceptable = true;
};

} // namespace FormTest
