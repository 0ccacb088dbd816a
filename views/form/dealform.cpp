#include "form/dealform.h"

#include "editors/contactlisteditor.h"
#include "editors/fieldeditor.h"
#include "editors/fieldeditorfactory.h"
#include "form/formsupport.h"
#include "form/relationshipeditor.h"
#include "itemmodels/namelistmodel.h"
#include "logging.h"

#include <QApplication>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QStyle>
#include <QTextEdit>
#include <QTimer>
#include <QVBoxLayout>

namespace {

/** An error `param` ("fields.$amount") or a plain key → the key. */
QString keyOfParam(const QString &param)
{
    for (const QLatin1String prefix : {QLatin1String("fields."), QLatin1String("relationships.")}) {
        if (param.startsWith(prefix))
            return param.mid(prefix.size());
    }
    return param;
}

bool sameIds(const RelationshipDefinition &definition, QStringList a, QStringList b)
{
    if (definition.cardinality() != Cardinality::HasOne) {
        // ChangeSet ignores the order of HAS_MANY ids: so does the dirty check.
        a.sort();
        b.sort();
    }
    return a == b;
}

} // namespace

DealForm::DealForm(QWidget *parent)
    : QWidget(parent)
    , m_factory(&FieldEditorFactory::create)
{
    setObjectName(QStringLiteral("dealForm"));
    setAccessibleName(tr("Deal"));

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("title"));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    m_title->setFont(titleFont);

    m_link = new QLabel(this);
    m_link->setObjectName(QStringLiteral("openInLightfield"));
    m_link->setTextFormat(Qt::RichText);
    m_link->setOpenExternalLinks(true);
    m_link->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_link->setAccessibleName(tr("Open in Lightfield"));
    m_link->hide();

    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(QStringLiteral("fields"));
    m_scroll->setWidgetResizable(true);
    // The pane is narrow: fields wrap under their labels instead of scrolling sideways.
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->viewport()->installEventFilter(this);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->hide();

    m_revertButton = new QPushButton(tr("&Revert"), this);
    m_revertButton->setObjectName(QStringLiteral("revert"));
    m_revertButton->setToolTip(tr("Put every changed field back as it was"));
    m_saveButton = new QPushButton(tr("&Save"), this);
    m_saveButton->setObjectName(QStringLiteral("save"));
    m_saveButton->setDefault(true);
    connect(m_revertButton, &QPushButton::clicked, this, &DealForm::revert);
    connect(m_saveButton, &QPushButton::clicked, this, &DealForm::save);

    auto *header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_link, 0, Qt::AlignRight | Qt::AlignVCenter);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_revertButton);
    buttons->addWidget(m_saveButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_scroll, 1);
    layout->addLayout(buttons);

    rebuild();
    updateHeader();
    updateButtons();
}

DealForm::~DealForm() = default;

void DealForm::setEditorFactory(EditorFactory factory)
{
    m_factory = factory ? std::move(factory) : EditorFactory(&FieldEditorFactory::create);
}

void DealForm::setNameModel(const QString &objectType, NameListModel *names)
{
    m_names.insert(objectType, names);
    for (Row &r : m_rows) {
        if (r.relation && r.relation->definition().objectType() == objectType)
            r.relation->setNameModel(names);
    }
}

void DealForm::setSchema(const ObjectSchema &schema)
{
    if (schema == m_schema && !m_rows.empty())
        return;
    m_schema = schema;
    rebuild();
    if (m_base.isValid()) {
        for (Row &r : m_rows)
            fillRow(r);
    }
    updatePhoneRegion();
    updateButtons();
}

void DealForm::rebuild()
{
    const bool wasModified = m_modified;
    m_rows.clear();
    m_rowOfKey.clear();
    m_modified = false;
    m_orphanError.clear();

    // setWidget() deletes the previous content and every editor in it.
    m_content = new QWidget;
    m_content->setObjectName(QStringLiteral("fieldRows"));
    m_layout = new QFormLayout(m_content);
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_layout->setRowWrapPolicy(QFormLayout::DontWrapRows);
    m_rows.reserve(m_schema.fields().size() + m_schema.relationships().size());

    for (const FieldDefinition &definition : m_schema.fields()) {
        // `$pipeline` is a hint sent with a stage, not a field a rep edits: the stage editor
        // names each stage's pipeline where labels repeat ("Renewals / Won").
        if (definition.key() == QLatin1String("$pipeline") && !m_schema.pipelines().isEmpty())
            continue;
        Row r;
        r.key = definition.key();
        r.label = definition.label();
        r.field = m_factory(definition, m_content);
        if (!r.field) {
            // A factory that has no editor for the field: it is left out rather than crash.
            qCWarning(lcForms) << "No editor for field" << definition.key();
            continue;
        }
        r.field->setToolTip(definition.description());
        if (!m_base.isValid() || m_readOnly)
            r.field->setReadOnly(true);
        const int index = int(m_rows.size());
        connect(r.field, &FieldEditor::edited, this, [this, index] { handleEdited(index); });
        QWidget *editor = r.field;
        addRow(std::move(r), editor);
    }
    if (!m_schema.relationships().isEmpty() && !m_schema.fields().isEmpty()) {
        auto *related = new QLabel(tr("Related"), m_content);
        QFont font = related->font();
        font.setBold(true);
        related->setFont(font);
        m_layout->addRow(related);
    }
    for (const RelationshipDefinition &definition : m_schema.relationships()) {
        Row r;
        r.key = definition.key();
        r.label = definition.label();
        r.relation = RelationshipEditor::create(
            definition, m_names.value(definition.objectType()), m_content);
        r.relation->setToolTip(definition.description());
        if (!m_base.isValid() || m_readOnly)
            r.relation->setReadOnly(true);
        const int index = int(m_rows.size());
        connect(
            r.relation, &RelationshipEditor::edited, this, [this, index] { handleEdited(index); });
        QWidget *editor = r.relation;
        addRow(std::move(r), editor);
    }
    m_scroll->setWidget(m_content);
    updateRowWrap();

    if (wasModified)
        Q_EMIT modifiedChanged(false);
}

void DealForm::addRow(Row r, QWidget *editor)
{
    if (editor->objectName().isEmpty())
        editor->setObjectName(r.key);

    r.editor = editor;
    r.labelLayout = new QHBoxLayout;
    r.labelLayout->setContentsMargins(0, 0, 0, 0);
    r.labelLayout->setSpacing(4);
    r.labelLayout->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    r.labelWidget = new QLabel(r.label, m_content);
    r.labelWidget->setObjectName(QStringLiteral("label:") + r.key);
    r.labelLayout->addWidget(r.labelWidget);

    r.cellLayout = new QVBoxLayout;
    r.cellLayout->setContentsMargins(0, 0, 0, 0);
    r.cellLayout->setSpacing(2);
    r.cellLayout->addWidget(editor);

    QWidget *target = r.field ? r.field->focusTarget() : r.relation->focusTarget();
    FormSupport::labelEditor(r.labelWidget, target, r.label);

    m_rowOfKey.insert(r.key, int(m_rows.size()));
    const int formRow = m_layout->rowCount();
    m_layout->setLayout(formRow, QFormLayout::LabelRole, r.labelLayout);
    m_layout->setLayout(formRow, QFormLayout::FieldRole, r.cellLayout);
    m_rows.push_back(std::move(r));
    applyNamesNote(m_rows.back());
}

void DealForm::setReadOnly(bool readOnly)
{
    if (m_readOnly == readOnly)
        return;
    m_readOnly = readOnly;
    for (Row &r : m_rows)
        applyReadOnly(r);
    updateButtons();
}

void DealForm::setNamesNote(const QString &objectType, const QString &note)
{
    if (note.isEmpty())
        m_namesNotes.remove(objectType);
    else
        m_namesNotes.insert(objectType, note);
    for (Row &r : m_rows)
        applyNamesNote(r);
}

void DealForm::applyNamesNote(Row &r)
{
    if (!r.relation)
        return;
    const QString note = m_namesNotes.value(r.relation->definition().objectType());
    const QString name = QStringLiteral("namesNote:") + r.key;
    auto *label = m_content->findChild<QLabel *>(name);
    if (note.isEmpty()) {
        delete label;
        return;
    }
    if (!label) {
        label = new QLabel(m_content);
        label->setObjectName(name);
        label->setWordWrap(true);
        label->setTextFormat(Qt::PlainText);
        label->setForegroundRole(QPalette::PlaceholderText);
        r.cellLayout->addWidget(label);
    }
    label->setText(note);
    r.relation->setAccessibleDescription(note);
}

void DealForm::applyReadOnly(Row &r)
{
    const bool readOnly = !m_base.isValid() || m_readOnly;
    if (r.field) {
        const bool fieldReadOnly = readOnly || !r.field->definition().isWritable();
        if (r.field->isReadOnly() != fieldReadOnly)
            r.field->setReadOnly(fieldReadOnly);
    } else {
        // Create-only relationships (`$createdBy`; `$account` unless the definition allows
        // changing it) are shown read-only on an existing deal.
        const bool relationReadOnly = readOnly || !r.relation->definition().isUpdatable();
        if (r.relation->isReadOnly() != relationReadOnly)
            r.relation->setReadOnly(relationReadOnly);
    }
}

void DealForm::setRecord(const Record &record)
{
    const bool sameRecord = m_base.isValid() && record.isValid() && record.id() == m_base.id();
    const Record previous = m_base;
    m_base = record;

    for (Row &r : m_rows) {
        if (sameRecord && r.dirty) {
            // The rep's value stays; the server's becomes the base it is compared with.
            bool serverChanged = false;
            if (r.field) {
                const FieldValue newBase = record.value(r.key);
                serverChanged = !(previous.value(r.key) == newBase);
                r.base = newBase;
            } else {
                const QStringList newBase = record.relatedIds(r.key);
                serverChanged
                    = !sameIds(r.relation->definition(), previous.relatedIds(r.key), newBase);
                r.baseIds = newBase;
            }
            const bool stillDirty = computeDirty(r);
            if (stillDirty && serverChanged) {
                setFieldState(r.key, FieldState::Conflict,
                    tr("Changed elsewhere while you were editing; Save keeps your value."));
            }
            setDirty(r, stillDirty);
            continue;
        }
        fillRow(r);
        setDirty(r, false);
        if (!sameRecord) {
            r.errorMessage.clear();
            r.state = FieldState::None;
            r.stateMessage.clear();
            updateStateIcon(r);
            showMessage(r);
        }
    }
    if (!sameRecord)
        m_orphanError.clear();
    updatePhoneRegion();
    updateHeader();
    updateButtons();

    // Focus moves into the form only when the rep is already in it (or it is its own window):
    // opening a deal from the table must not take the keyboard away from the table.
    if (!sameRecord && isVisible()) {
        const QWidget *focus = QApplication::focusWidget();
        if (window() == this || (focus && isAncestorOf(focus)))
            focusFirstEditable();
    }
}

void DealForm::clearRecord()
{
    setRecord(Record());
}

void DealForm::fillRow(Row &r)
{
    if (r.field) {
        r.base = m_base.value(r.key);
        r.field->setValue(r.base);
    } else {
        r.baseIds = m_base.relatedIds(r.key);
        r.relation->setIds(r.baseIds);
    }
    applyReadOnly(r);
}

void DealForm::handleEdited(int index)
{
    if (index < 0 || index >= int(m_rows.size()))
        return;
    Row &r = m_rows[size_t(index)];
    // A server error on this field is answered by the rep's new value.
    if (r.state == FieldState::Error)
        setFieldState(r.key, FieldState::None);
    r.errorMessage.clear();
    m_orphanError.clear();
    setDirty(r, computeDirty(r));
    showMessage(r);
    if (r.field && r.field->definition().type() == FieldType::Address)
        updatePhoneRegion();
    updateButtons();
}

void DealForm::updatePhoneRegion()
{
    // Numbers typed without "+" are read in the deal's country: that of its first address that
    // has one, as the form shows it now (the rep may just have changed it). Without one the
    // editors fall back to the locale's territory.
    QString region;
    for (const Row &r : m_rows) {
        if (r.field && r.field->definition().type() == FieldType::Address) {
            region = r.field->value().toAddress().country.trimmed().toUpper();
            if (region.size() == 2)
                break;
            region.clear();
        }
    }
    for (const Row &r : m_rows) {
        if (auto *contacts = qobject_cast<ContactListEditor *>(r.field);
            contacts && contacts->definition().type() == FieldType::Telephone)
            contacts->setPhoneRegion(region);
    }
}

bool DealForm::computeDirty(const Row &r) const
{
    if (!isAcceptable(r))
        return true;
    if (r.field)
        return !(r.field->value() == r.base);
    return !sameIds(r.relation->definition(), r.relation->ids(), r.baseIds);
}

bool DealForm::isAcceptable(const Row &r) const
{
    return r.field ? r.field->isAcceptable() : r.relation->isAcceptable();
}

QString DealForm::validationError(const Row &r) const
{
    return r.field ? r.field->validationError() : r.relation->validationError();
}

QWidget *DealForm::focusTargetOf(const Row &r) const
{
    return r.field ? r.field->focusTarget() : r.relation->focusTarget();
}

bool DealForm::isEditable(const Row &r) const
{
    return r.field ? !r.field->isReadOnly() : !r.relation->isReadOnly();
}

void DealForm::setDirty(Row &r, bool dirty)
{
    if (r.dirty == dirty)
        return;
    r.dirty = dirty;
    if (!r.dirtyMark) {
        r.dirtyMark = FormSupport::makeDirtyMark(r.key, m_content);
        r.labelLayout->addWidget(r.dirtyMark);
    }
    r.dirtyMark->setVisible(dirty);
    QFont font = r.labelWidget->font();
    font.setItalic(dirty);
    r.labelWidget->setFont(font);
    Q_EMIT dirtyChanged(r.key, dirty);
}

void DealForm::showMessage(Row &r)
{
    QString text = r.errorMessage;
    if (text.isEmpty() && r.dirty && !isAcceptable(r))
        text = validationError(r);
    if (text.isEmpty()) {
        if (r.message)
            r.message->hide();
        return;
    }
    if (!r.message) {
        r.message = FormSupport::makeMessageLabel(r.key, m_content);
        r.cellLayout->addWidget(r.message);
    }
    r.message->setText(text);
    r.message->show();
    if (QWidget *target = focusTargetOf(r))
        target->setAccessibleDescription(text);
}

bool DealForm::isModified() const
{
    return m_modified;
}

QStringList DealForm::dirtyKeys() const
{
    QStringList keys;
    for (const Row &r : m_rows) {
        if (r.dirty)
            keys.append(r.key);
    }
    return keys;
}

bool DealForm::isDirty(const QString &key) const
{
    const Row *r = row(key);
    return r && r->dirty;
}

bool DealForm::canSave() const
{
    bool any = false;
    for (const Row &r : m_rows) {
        if (!r.dirty)
            continue;
        if (!isAcceptable(r))
            return false;
        any = true;
    }
    return any && m_base.isValid();
}

ChangeSet DealForm::changeSet() const
{
    QHash<QString, FieldValue> values;
    QHash<QString, QStringList> relationships;
    for (const Row &r : m_rows) {
        if (!r.dirty || !isAcceptable(r))
            continue;
        if (r.field)
            values.insert(r.key, r.field->value());
        else
            relationships.insert(r.key, r.relation->ids());
    }
    return ChangeSet::fromEdits(m_schema, m_base, values, relationships);
}

void DealForm::save()
{
    if (!canSave()) {
        updateButtons();
        return;
    }
    const ChangeSet changes = changeSet();
    if (!changes.rejectedKeys().isEmpty())
        qCWarning(lcForms) << "Form edits left out of the save:" << changes.rejectedKeys();
    Q_EMIT saveRequested(m_base.id(), changes);
}

void DealForm::revert()
{
    for (Row &r : m_rows) {
        if (!r.dirty)
            continue;
        if (r.field)
            r.field->setValue(r.base);
        else
            r.relation->setIds(r.baseIds);
        setDirty(r, false);
        showMessage(r);
    }
    updateButtons();
}

void DealForm::markSaved()
{
    for (Row &r : m_rows) {
        if (!r.dirty || !isAcceptable(r))
            continue;
        if (r.field) {
            r.base = r.field->value();
            m_base.setValue(r.key, r.base);
        } else {
            r.baseIds = r.relation->ids();
            Relationship relationship = m_base.relationship(r.key);
            relationship.ids = r.baseIds;
            relationship.cardinality = r.relation->definition().cardinality();
            relationship.objectType = r.relation->definition().objectType();
            m_base.setRelationship(r.key, relationship);
        }
        setDirty(r, false);
        clearTypingHistory(r.editor);
    }
    updateButtons();
}

void DealForm::clearTypingHistory(QWidget *editor)
{
    // Once saved, the typing is one step of the window's undo stack: Ctrl+Z in the field must
    // undo that step, not replay the keystrokes one by one against a value already queued.
    if (!editor)
        return;
    const QList<QLineEdit *> lines = editor->findChildren<QLineEdit *>();
    for (QLineEdit *line : lines) {
        if (!line->isUndoAvailable() && !line->isRedoAvailable())
            continue;
        const int cursor = line->cursorPosition();
        const QSignalBlocker blocker(line);
        line->setText(line->text()); // QLineEdit::setText clears the undo history
        line->setCursorPosition(cursor);
    }
    const QList<QPlainTextEdit *> plains = editor->findChildren<QPlainTextEdit *>();
    for (QPlainTextEdit *plain : plains)
        plain->document()->clearUndoRedoStacks();
    const QList<QTextEdit *> texts = editor->findChildren<QTextEdit *>();
    for (QTextEdit *text : texts)
        text->document()->clearUndoRedoStacks();
}

void DealForm::focusFirstEditable()
{
    for (const Row &r : m_rows) {
        if (!isEditable(r))
            continue;
        if (QWidget *target = focusTargetOf(r)) {
            target->setFocus(Qt::OtherFocusReason);
            m_scroll->ensureWidgetVisible(target);
        }
        return;
    }
}

bool DealForm::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_scroll->viewport() && event->type() == QEvent::Resize)
        updateRowWrap();
    return QWidget::eventFilter(watched, event);
}

void DealForm::updateRowWrap()
{
    // One column that never scrolls sideways: labels beside their fields while both fit, above
    // them once the pane is narrower (as a phone's contact form does).
    if (!m_layout)
        return;
    int labels = 0;
    int fields = 0;
    for (const Row &r : m_rows) {
        labels = qMax(labels, r.labelLayout->minimumSize().width());
        fields = qMax(fields, r.cellLayout->minimumSize().width());
    }
    const QMargins margins = m_layout->contentsMargins();
    // Side by side only while a field keeps a comfortable width, not just its minimum.
    constexpr int kComfortableField = 220;
    const int sideBySide = margins.left() + labels + qMax(0, m_layout->horizontalSpacing())
        + qMax(fields, kComfortableField) + margins.right();
    const auto policy = sideBySide <= m_scroll->viewport()->width() ? QFormLayout::DontWrapRows
                                                                    : QFormLayout::WrapAllRows;
    if (m_layout->rowWrapPolicy() != policy)
        m_layout->setRowWrapPolicy(policy);
}

void DealForm::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (window() == this && m_base.isValid()) {
        // After the window is active, or the focus would be lost to activation.
        QTimer::singleShot(0, this, [this] {
            const QWidget *focus = QApplication::focusWidget();
            if (!focus || !isAncestorOf(focus) || qobject_cast<const QPushButton *>(focus))
                focusFirstEditable();
        });
    }
}

void DealForm::setFieldState(const QString &key, FieldState state, const QString &message)
{
    Row *r = row(keyOfParam(key));
    if (!r)
        return;
    r->state = state;
    r->stateMessage = state == FieldState::None ? QString() : message;
    if (state != FieldState::Error)
        r->errorMessage.clear();
    updateStateIcon(*r);
    showMessage(*r);
}

DealForm::FieldState DealForm::fieldState(const QString &key) const
{
    const Row *r = row(keyOfParam(key));
    return r ? r->state : FieldState::None;
}

QString DealForm::fieldStateMessage(const QString &key) const
{
    const Row *r = row(keyOfParam(key));
    return r ? r->stateMessage : QString();
}

void DealForm::clearFieldStates()
{
    for (Row &r : m_rows) {
        if (r.state == FieldState::None && r.errorMessage.isEmpty())
            continue;
        r.state = FieldState::None;
        r.stateMessage.clear();
        r.errorMessage.clear();
        updateStateIcon(r);
        showMessage(r);
    }
}

void DealForm::showFieldError(const QString &key, const QString &message)
{
    Row *r = row(keyOfParam(key));
    if (!r) {
        m_orphanError = message;
        updateButtons();
        return;
    }
    setFieldState(r->key, FieldState::Error, message);
    r->errorMessage = message;
    showMessage(*r);
    if (QWidget *target = focusTargetOf(*r)) {
        target->setFocus(Qt::OtherFocusReason);
        // Again once the message has been laid out, which moves the rows below it.
        m_scroll->ensureWidgetVisible(r->editor);
        QTimer::singleShot(0, this, [this, editor = QPointer<QWidget>(r->editor)] {
            if (editor)
                m_scroll->ensureWidgetVisible(editor);
        });
    }
}

void DealForm::updateStateIcon(Row &r)
{
    if (r.state == FieldState::None) {
        if (r.stateIcon)
            r.stateIcon->hide();
        return;
    }
    if (!r.stateIcon) {
        r.stateIcon = new QLabel(m_content);
        r.stateIcon->setObjectName(QStringLiteral("state:") + r.key);
        r.labelLayout->insertWidget(0, r.stateIcon);
    }
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    QIcon icon;
    QString name;
    switch (r.state) {
    case FieldState::Pending:
        icon = FormSupport::pendingIcon(palette());
        name = tr("Pending");
        break;
    case FieldState::Conflict:
        icon = style()->standardIcon(QStyle::SP_MessageBoxWarning, nullptr, this);
        name = tr("Conflict");
        break;
    case FieldState::Error:
        icon = style()->standardIcon(QStyle::SP_MessageBoxCritical, nullptr, this);
        name = tr("Error");
        break;
    case FieldState::None:
        break;
    }
    r.stateIcon->setPixmap(icon.pixmap(size, size));
    r.stateIcon->setToolTip(r.stateMessage.isEmpty() ? name : r.stateMessage);
    r.stateIcon->setAccessibleName(name);
    r.stateIcon->setAccessibleDescription(r.stateMessage);
    r.stateIcon->show();
}

void DealForm::updateHeader()
{
    if (!m_base.isValid()) {
        m_title->setText(tr("No deal selected"));
        m_link->hide();
        return;
    }
    const FieldValue name = m_base.value(QStringLiteral("$name"));
    const QString text
        = name.type() == FieldType::FullName ? name.toFullName().displayName() : name.toText();
    m_title->setText(text.isEmpty() ? tr("(no name)") : text);
    m_title->setAccessibleName(tr("Deal name"));
    const QString link = m_base.httpLink();
    if (link.isEmpty()) {
        m_link->hide();
    } else {
        m_link->setText(QStringLiteral("<a href=\"%1\">%2</a>")
                            .arg(link.toHtmlEscaped(), tr("Open in Lightfield").toHtmlEscaped()));
        m_link->setToolTip(link);
        m_link->show();
    }
}

void DealForm::updateButtons()
{
    bool modified = false;
    QStringList blocked;
    for (const Row &r : m_rows) {
        if (!r.dirty)
            continue;
        modified = true;
        if (!isAcceptable(r))
            blocked.append(r.label);
    }
    m_saveButton->setEnabled(canSave());
    m_revertButton->setEnabled(modified);

    QString status;
    if (!m_orphanError.isEmpty())
        status = m_orphanError;
    else if (!blocked.isEmpty())
        status = tr("Fix %1 to save.").arg(blocked.join(QStringLiteral(", ")));
    m_status->setText(status);
    m_status->setVisible(!status.isEmpty());
    m_saveButton->setToolTip(blocked.isEmpty() ? QString() : status);

    if (modified != m_modified) {
        m_modified = modified;
        Q_EMIT modifiedChanged(modified);
    }
}

QString DealForm::statusText() const
{
    return m_status->text();
}

FieldEditor *DealForm::fieldEditor(const QString &key) const
{
    const Row *r = row(key);
    return r ? r->field : nullptr;
}

RelationshipEditor *DealForm::relationshipEditor(const QString &key) const
{
    const Row *r = row(key);
    return r ? r->relation : nullptr;
}

DealForm::Row *DealForm::row(const QString &key)
{
    const int index = m_rowOfKey.value(key, -1);
    return index < 0 ? nullptr : &m_rows[size_t(index)];
}

const DealForm::Row *DealForm::row(const QString &key) const
{
    const int index = m_rowOfKey.value(key, -1);
    return index < 0 ? nullptr : &m_rows[size_t(index)];
}
