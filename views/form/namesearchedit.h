#pragma once

#include <QLineEdit>
#include <QPointer>
#include <QStringList>

class NameFilterProxyModel;
#include "itemmodels/namelistmodel.h"
class QCompleter;
class QModelIndex;

/**
 * A line edit that searches a NameListModel as the rep types and offers the matches in a
 * completion popup. Matching is case- and accent-insensitive and finds the text
 * anywhere in the name (NameFilterProxyModel). The popup opens with nothing highlighted; Down,
 * Up, PageUp/PageDown move through it, Escape closes it. Picking a match (a click on a row,
 * Enter or Tab on the highlighted row, or Enter with none highlighted, which takes the first
 * match) emits chosen() once with that record's id; nothing else does. The text itself is left to
 * the owner (a picker shows the chosen name, the "add" edit of a HAS_MANY editor clears it).
 *
 * Searches only the model it is given: no network, so it works offline. The model is borrowed.
 */
class NameSearchEdit final : public QLineEdit
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NameSearchEdit)

public:
    explicit NameSearchEdit(QWidget *parent = nullptr);
    ~NameSearchEdit() override;

    /** The records to search (borrowed; may be nullptr: nothing matches). */
    void setNameModel(NameListModel *model);
    NameListModel *nameModel() const { return m_names; }
    /** Ids never offered (e.g. those already chosen). */
    void setExcludedIds(const QStringList &ids);

    /** The current matches, for the popup and for tests (rows of the name model). */
    NameFilterProxyModel *matches() const;
    QCompleter *popupCompleter() const { return m_completer; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    /** The rep picked the record `id`. */
    void chosen(const QString &id);

private:
    void handleTextEdited(const QString &text);
    void handleReturn();
    /** The record id of a row of the popup's model (QCompleter's proxy over matches()). */
    QString idOfPopupIndex(const QModelIndex &index) const;
    void choose(const QString &id);

    QPointer<NameListModel> m_names;
    NameFilterProxyModel *m_matches = nullptr;
    QCompleter *m_completer = nullptr;
    /** Typed since the last choice: Enter then picks the first match. */
    bool m_searching = false;
    /** eventFilter() sees the popup's keys (from the first search on). */
    bool m_watchingPopup = false;
};
