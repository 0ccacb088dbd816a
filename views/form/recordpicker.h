#pragma once

#include "form/relationshipeditor.h"

#include <QPointer>

class NameSearchEdit;

/**
 * A HAS_ONE relationship editor: the account of a deal, its owner. A line edit
 * that shows the related record's name; typing searches the NameListModel (case- and
 * accent-insensitive) and a match picked from the popup, or the first match on Enter, becomes
 * the related record. Clearing the text removes it. Leaving the edit with text that names no
 * record restores the current name.
 *
 * Signals: edited() once when the related id changes through the rep; never for setIds() or
 * setNameModel().
 */
class RecordPicker final : public RelationshipEditor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecordPicker)

public:
    explicit RecordPicker(const RelationshipDefinition &definition, QWidget *parent = nullptr);
    ~RecordPicker() override;

    QStringList ids() const override;
    void setIds(const QStringList &ids) override;
    void setNameModel(NameListModel *names) override;
    QString validationError() const override;
    void setReadOnly(bool readOnly) override;
    bool isReadOnly() const override;
    QWidget *focusTarget() override;

    /** The search edit (for tests and the form's buddy labels). */
    NameSearchEdit *lineEdit() const { return m_edit; }
    /** The related id, or empty. */
    QString currentId() const { return m_id; }

private:
    void handleTextEdited(const QString &text);
    void handleChosen(const QString &id);
    void showCurrent();

    NameSearchEdit *m_edit = nullptr;
    QPointer<NameListModel> m_names;
    QString m_id;
    /** The name shown for m_id (what the text must equal to be acceptable). */
    QString m_shownName;
};
