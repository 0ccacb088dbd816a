#pragma once

#include "form/relationshipeditor.h"

#include <QPointer>

class QLabel;

/**
 * A read-only relationship: a deal's tasks and notes. Shows the related
 * records' names when the NameListModel knows them (at most five, then "and N more"), otherwise
 * their number. Never emits edited().
 */
class RelatedRecordsView final : public RelationshipEditor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelatedRecordsView)

public:
    explicit RelatedRecordsView(
        const RelationshipDefinition &definition, QWidget *parent = nullptr);
    ~RelatedRecordsView() override;

    QStringList ids() const override { return m_ids; }
    void setIds(const QStringList &ids) override;
    void setNameModel(NameListModel *names) override;
    void setReadOnly(bool) override { }
    bool isReadOnly() const override { return true; }

    /** The text shown. */
    QString text() const;

private:
    void refresh();

    QLabel *m_label = nullptr;
    QPointer<NameListModel> m_names;
    QStringList m_ids;
};
