#include "form/relatedrecordsview.h"

#include "itemmodels/namelistmodel.h"

#include <QHBoxLayout>
#include <QLabel>

namespace {
constexpr int kMaxNames = 5;
}

RelatedRecordsView::RelatedRecordsView(const RelationshipDefinition &definition, QWidget *parent)
    : RelationshipEditor(definition, parent)
    , m_label(new QLabel(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    m_label->setObjectName(QStringLiteral("related"));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_label->setAccessibleName(definition.label());
    refresh();
}

RelatedRecordsView::~RelatedRecordsView() = default;

void RelatedRecordsView::setIds(const QStringList &ids)
{
    m_ids = ids;
    refresh();
}

void RelatedRecordsView::setNameModel(NameListModel *names)
{
    m_names = names;
    refresh();
}

QString RelatedRecordsView::text() const
{
    return m_label->text();
}

void RelatedRecordsView::refresh()
{
    QStringList names;
    if (m_names) {
        for (const QString &id : std::as_const(m_ids)) {
            const QString name = m_names->nameOf(id);
            if (!name.isEmpty())
                names.append(name);
        }
    }
    QString text;
    if (m_ids.isEmpty()) {
        text = tr("None");
    } else if (names.size() == m_ids.size()) {
        const qsizetype more = names.size() - kMaxNames;
        text = names.mid(0, kMaxNames).join(QStringLiteral(", "));
        if (more > 0)
            text += QLatin1Char(' ') + tr("and %n more", nullptr, int(more));
    } else {
        text = tr("%n linked", nullptr, int(m_ids.size()));
    }
    m_label->setText(text);
}
