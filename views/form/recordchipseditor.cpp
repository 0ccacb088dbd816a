#include "form/recordchipseditor.h"

#include "form/namesearchedit.h"
#include "itemmodels/namelistmodel.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLayout>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

/** Lays chips out left to right, wrapping to the next line (Qt's flow layout example, trimmed). */
class FlowLayout final : public QLayout
{
public:
    explicit FlowLayout(QWidget *parent)
        : QLayout(parent)
    {
        setContentsMargins(0, 0, 0, 0);
    }
    ~FlowLayout() override
    {
        while (QLayoutItem *item = takeAt(0))
            delete item;
    }
    Q_DISABLE_COPY_MOVE(FlowLayout)

    void addItem(QLayoutItem *item) override { m_items.append(item); }
    int count() const override { return int(m_items.size()); }
    QLayoutItem *itemAt(int index) const override { return m_items.value(index); }
    QLayoutItem *takeAt(int index) override
    {
        return index >= 0 && index < m_items.size() ? m_items.takeAt(index) : nullptr;
    }
    Qt::Orientations expandingDirections() const override { return {}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return arrange(QRect(0, 0, width, 0), false); }
    void setGeometry(const QRect &rect) override
    {
        QLayout::setGeometry(rect);
        arrange(rect, true);
    }
    QSize sizeHint() const override { return minimumSize(); }
    QSize minimumSize() const override
    {
        QSize size;
        for (const QLayoutItem *item : m_items)
            size = size.expandedTo(item->minimumSize());
        return size;
    }

private:
    int arrange(const QRect &rect, bool apply) const
    {
        const int gap = 4;
        int x = rect.x();
        int y = rect.y();
        int lineHeight = 0;
        for (QLayoutItem *item : m_items) {
            if (item->isEmpty())
                continue;
            const QSize hint = item->sizeHint();
            if (x + hint.width() > rect.right() + 1 && lineHeight > 0) {
                x = rect.x();
                y += lineHeight + gap;
                lineHeight = 0;
            }
            if (apply)
                item->setGeometry(QRect(QPoint(x, y), hint));
            x += hint.width() + gap;
            lineHeight = qMax(lineHeight, hint.height());
        }
        return y + lineHeight - rect.y();
    }

    QList<QLayoutItem *> m_items;
};

} // namespace

RecordChipsEditor::RecordChipsEditor(const RelationshipDefinition &definition, QWidget *parent)
    : RelationshipEditor(definition, parent)
    , m_addEdit(new NameSearchEdit(this))
    , m_chipArea(new QWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    new FlowLayout(m_chipArea);
    m_chipArea->setObjectName(QStringLiteral("chips"));
    layout->addWidget(m_chipArea);
    layout->addWidget(m_addEdit);

    m_addEdit->setObjectName(QStringLiteral("add"));
    m_addEdit->setPlaceholderText(tr("Add %1…").arg(definition.label().toLower()));
    m_addEdit->setAccessibleName(tr("Add %1").arg(definition.label()));
    setFocusProxy(m_addEdit);
    connect(m_addEdit, &NameSearchEdit::chosen, this, &RecordChipsEditor::handleChosen);
    rebuildChips();
}

RecordChipsEditor::~RecordChipsEditor() = default;

void RecordChipsEditor::setIds(const QStringList &ids)
{
    QStringList unique;
    for (const QString &id : ids) {
        if (!id.isEmpty() && !unique.contains(id))
            unique.append(id);
    }
    m_ids = unique;
    rebuildChips();
}

void RecordChipsEditor::setNameModel(NameListModel *names)
{
    m_names = names;
    m_addEdit->setNameModel(names);
    rebuildChips();
}

void RecordChipsEditor::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    m_addEdit->setVisible(!readOnly);
    rebuildChips();
}

QWidget *RecordChipsEditor::focusTarget()
{
    return m_readOnly ? static_cast<QWidget *>(this) : m_addEdit;
}

void RecordChipsEditor::removeByUser(const QString &id)
{
    if (m_readOnly || !m_ids.removeOne(id))
        return;
    rebuildChips();
    m_addEdit->setFocus(Qt::OtherFocusReason);
    Q_EMIT edited();
}

void RecordChipsEditor::handleChosen(const QString &id)
{
    m_addEdit->clear();
    if (m_readOnly || m_ids.contains(id))
        return;
    m_ids.append(id);
    rebuildChips();
    Q_EMIT edited();
}

void RecordChipsEditor::rebuildChips()
{
    QLayout *flow = m_chipArea->layout();
    while (QLayoutItem *item = flow->takeAt(0)) {
        if (QWidget *chip = item->widget()) {
            chip->hide();
            // deleteLater: the click being handled may come from a button of this chip.
            chip->deleteLater();
        }
        delete item;
    }
    for (const QString &id : std::as_const(m_ids)) {
        const QString name = m_names ? m_names->displayName(id) : id;
        auto *chip = new QFrame(m_chipArea);
        chip->setObjectName(QStringLiteral("chip:") + id);
        chip->setFrameShape(QFrame::StyledPanel);
        chip->setToolTip(id);
        auto *chipLayout = new QHBoxLayout(chip);
        chipLayout->setContentsMargins(6, 1, 1, 1);
        chipLayout->setSpacing(2);
        auto *label = new QLabel(name, chip);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        chipLayout->addWidget(label);
        if (!m_readOnly) {
            auto *remove = new QToolButton(chip);
            remove->setObjectName(QStringLiteral("remove:") + id);
            remove->setAutoRaise(true);
            remove->setText(QStringLiteral("✕"));
            remove->setAccessibleName(tr("Remove %1").arg(name));
            remove->setToolTip(tr("Remove %1").arg(name));
            chipLayout->addWidget(remove);
            connect(remove, &QToolButton::clicked, this, [this, id] { removeByUser(id); });
        }
        flow->addWidget(chip);
    }
    m_chipArea->setVisible(!m_ids.isEmpty());
    m_addEdit->setExcludedIds(m_ids);
}
