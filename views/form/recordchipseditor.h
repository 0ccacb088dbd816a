#pragma once

#include "form/relationshipeditor.h"

#include <QPointer>

class NameSearchEdit;
class QLabel;

/**
 * A HAS_MANY relationship editor: the contacts of a deal as removable chips
 * (name + a remove button, named "Remove <name>" for screen readers) followed by an "Add…" search
 * edit over the NameListModel that offers only records not yet chosen.
 *
 * Signals: edited() once per chip added or removed by the rep; never for setIds() or
 * setNameModel(). Ids keep their order; an added id goes last.
 */
class RecordChipsEditor final : public RelationshipEditor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecordChipsEditor)

public:
    explicit RecordChipsEditor(const RelationshipDefinition &definition, QWidget *parent = nullptr);
    ~RecordChipsEditor() override;

    QStringList ids() const override { return m_ids; }
    void setIds(const QStringList &ids) override;
    void setNameModel(NameListModel *names) override;
    void setReadOnly(bool readOnly) override;
    bool isReadOnly() const override { return m_readOnly; }
    QWidget *focusTarget() override;

    /** The "Add…" search edit. */
    NameSearchEdit *addEdit() const { return m_addEdit; }
    /** Removes `id` as if the rep clicked its chip's remove button (emits edited()). */
    void removeByUser(const QString &id);

private:
    void handleChosen(const QString &id);
    void rebuildChips();

    NameSearchEdit *m_addEdit = nullptr;
    QWidget *m_chipArea = nullptr;
    QPointer<NameListModel> m_names;
    QStringList m_ids;
    bool m_readOnly = false;
};
