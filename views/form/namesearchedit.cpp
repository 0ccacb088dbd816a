#include "form/namesearchedit.h"

#include "form/namelistmodel.h"

#include <QAbstractItemView>
#include <QCompleter>

NameSearchEdit::NameSearchEdit(QWidget *parent)
    : QLineEdit(parent)
    , m_matches(new NameFilterProxyModel(this))
    , m_completer(new QCompleter(this))
{
    // The completer only shows the popup; NameFilterProxyModel does the (folded) matching, which
    // QCompleter's own prefix filter cannot do.
    m_completer->setModel(m_matches);
    m_completer->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setMaxVisibleItems(10);
    m_completer->setWidget(this);
    setClearButtonEnabled(true);

    connect(this, &QLineEdit::textEdited, this, &NameSearchEdit::handleTextEdited);
    connect(this, &QLineEdit::returnPressed, this, &NameSearchEdit::handleReturn);
    connect(m_completer, qOverload<const QModelIndex &>(&QCompleter::activated), this,
        [this](const QModelIndex &index) { choose(index); });
}

NameSearchEdit::~NameSearchEdit() = default;

void NameSearchEdit::setNameModel(NameListModel *model)
{
    m_names = model;
    // Attached on the first search: mapping thousands of accounts for every picker of every
    // opened deal would cost more than the rest of the form (bench_dealform).
    if (m_matches->sourceModel())
        m_matches->setSourceModel(model);
}

NameFilterProxyModel *NameSearchEdit::matches() const
{
    if (m_matches->sourceModel() != m_names.data())
        m_matches->setSourceModel(m_names);
    return m_matches;
}

void NameSearchEdit::setExcludedIds(const QStringList &ids)
{
    m_matches->setExcludedIds(ids);
}

void NameSearchEdit::handleTextEdited(const QString &text)
{
    m_searching = true;
    matches()->setSearchText(text);
    if (text.trimmed().isEmpty() || m_matches->rowCount() == 0) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->complete();
}

void NameSearchEdit::handleReturn()
{
    // The popup's own Enter arrives here too, after activated(): only a search still open counts.
    if (!m_searching || text().trimmed().isEmpty())
        return;
    const QModelIndex current
        = m_completer->popup()->isVisible() ? m_completer->popup()->currentIndex() : QModelIndex();
    if (current.isValid()) {
        choose(current);
        return;
    }
    if (m_matches->rowCount() > 0)
        choose(m_matches->index(0, 0));
}

void NameSearchEdit::choose(const QModelIndex &matchIndex)
{
    if (!matchIndex.isValid())
        return;
    const QString id = matchIndex.data(NameListModel::IdRole).toString();
    if (id.isEmpty())
        return;
    m_completer->popup()->hide();
    m_searching = false;
    m_matches->setSearchText({});
    Q_EMIT chosen(id);
}
