#include "form/namesearchedit.h"

#include "itemmodels/namelistmodel.h"

#include <QAbstractItemView>
#include <QAbstractProxyModel>
#include <QCompleter>
#include <QItemSelectionModel>
#include <QKeyEvent>

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
    // What is left for activated(): a click on a row.
    connect(m_completer, qOverload<const QModelIndex &>(&QCompleter::activated), this,
        [this](const QModelIndex &index) { choose(idOfPopupIndex(index)); });
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
    if (!m_watchingPopup) {
        // The popup's Enter and Tab are handled here (eventFilter()), before QCompleter's own
        // filter, which popup() installs when it makes the list; the filter installed last runs
        // first. Left to QCompleter, Enter reaches the edit (returnPressed) and then activates
        // the index it read before, whose row no longer means the same record once a pick has
        // reset the search. Made on the first search: a form holds many pickers.
        m_completer->popup()->installEventFilter(this);
        m_watchingPopup = true;
    }
    m_completer->complete();
    // Nothing is highlighted until the rep moves into the list, as in any completer popup:
    // Down then highlights the first match, Up the last, and Enter alone takes the first match.
    m_completer->popup()->selectionModel()->clear();
}

bool NameSearchEdit::eventFilter(QObject *watched, QEvent *event)
{
    if (m_watchingPopup && watched == m_completer->popup() && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const QModelIndex highlighted = m_completer->popup()->currentIndex();
        switch (key->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
            if (highlighted.isValid()) {
                choose(idOfPopupIndex(highlighted));
                return true;
            }
            break; // QCompleter hands it to the edit: handleReturn() takes the first match
        case Qt::Key_Tab:
        case Qt::Key_Backtab:
            // Like a spreadsheet's autocomplete: Tab keeps the highlighted row, then moves on.
            if (highlighted.isValid() && !(key->modifiers() & Qt::ControlModifier))
                choose(idOfPopupIndex(highlighted));
            break;
        default:
            break;
        }
    }
    return QLineEdit::eventFilter(watched, event);
}

void NameSearchEdit::handleReturn()
{
    // Only a search still open counts: Enter on a picked name changes nothing. A highlighted
    // row never gets here (eventFilter() takes that Enter); Enter alone takes the first match.
    if (!m_searching || text().trimmed().isEmpty())
        return;
    if (m_matches->rowCount() > 0)
        choose(m_matches->index(0, 0).data(NameListModel::IdRole).toString());
}

QString NameSearchEdit::idOfPopupIndex(const QModelIndex &index) const
{
    // The popup shows QCompleter's completion model, a proxy over m_matches: its rows are
    // mapped back before reading, never taken as rows of m_matches.
    QModelIndex match = index;
    if (index.model() == m_completer->completionModel()) {
        const auto *completion = qobject_cast<const QAbstractProxyModel *>(index.model());
        match = completion ? completion->mapToSource(index) : QModelIndex();
    }
    if (!match.isValid() || match.model() != m_matches)
        return {};
    return match.data(NameListModel::IdRole).toString();
}

void NameSearchEdit::choose(const QString &id)
{
    if (id.isEmpty())
        return;
    m_completer->popup()->hide();
    m_searching = false;
    m_matches->setSearchText({});
    Q_EMIT chosen(id);
}
