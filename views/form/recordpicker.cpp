#include "form/recordpicker.h"

#include "form/namesearchedit.h"
#include "itemmodels/namelistmodel.h"

#include <QHBoxLayout>

RecordPicker::RecordPicker(const RelationshipDefinition &definition, QWidget *parent)
    : RelationshipEditor(definition, parent)
    , m_edit(new NameSearchEdit(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit);
    m_edit->setObjectName(QStringLiteral("search"));
    m_edit->setAccessibleName(definition.label());
    m_edit->setPlaceholderText(tr("Search %1…").arg(definition.label().toLower()));
    setFocusProxy(m_edit);

    connect(m_edit, &QLineEdit::textEdited, this, &RecordPicker::handleTextEdited);
    connect(m_edit, &NameSearchEdit::chosen, this, &RecordPicker::handleChosen);
    connect(m_edit, &QLineEdit::editingFinished, this, [this] {
        // Text that names no record is not kept: the picker shows what it holds.
        if (!isAcceptable())
            showCurrent();
    });
}

RecordPicker::~RecordPicker()
{
    // The search field outlives this class (a child of the base widget) and reports finishing
    // its edit when it loses focus while being destroyed: that must not reach the handler of a
    // destroyed picker, which would read its members after their destructors ran.
    m_edit->disconnect(this);
}

QStringList RecordPicker::ids() const
{
    return m_id.isEmpty() ? QStringList() : QStringList {m_id};
}

void RecordPicker::setIds(const QStringList &ids)
{
    m_id = ids.value(0);
    showCurrent();
}

void RecordPicker::setNameModel(NameListModel *names)
{
    m_names = names;
    m_edit->setNameModel(names);
    showCurrent();
}

QString RecordPicker::validationError() const
{
    const QString text = m_edit->text().trimmed();
    if (text.isEmpty() || text == m_shownName)
        return {};
    return tr("Pick a record from the list for %1.").arg(definition().label());
}

void RecordPicker::setReadOnly(bool readOnly)
{
    m_edit->setReadOnly(readOnly);
    m_edit->setClearButtonEnabled(!readOnly);
}

bool RecordPicker::isReadOnly() const
{
    return m_edit->isReadOnly();
}

QWidget *RecordPicker::focusTarget()
{
    return m_edit;
}

void RecordPicker::handleTextEdited(const QString &text)
{
    if (!text.trimmed().isEmpty() || m_id.isEmpty())
        return;
    m_id.clear();
    showCurrent();
    Q_EMIT edited();
}

void RecordPicker::handleChosen(const QString &id)
{
    const bool changed = id != m_id;
    m_id = id;
    showCurrent();
    if (changed)
        Q_EMIT edited();
}

void RecordPicker::showCurrent()
{
    QString name;
    if (!m_id.isEmpty())
        name = m_names ? m_names->displayName(m_id) : m_id;
    m_shownName = name;
    m_edit->setText(name);
    m_edit->setToolTip(m_id);
}
