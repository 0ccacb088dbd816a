#pragma once

#include "editors/typedfieldeditor.h"

class QComboBox;
class QLineEdit;
class QListView;
class QSortFilterProxyModel;
class QStandardItemModel;

/**
 * SINGLE_SELECT: a combo box with the definition's options in the server's order (descriptions
 * as tooltips), after a "None" entry unless the field is required (then an empty value shows a
 * placeholder and no empty choice is offered). The value is the option id. Choosing an entry (click
 * or keyboard) is one edit and a commit; an id that is not among the options is kept and shown as
 * such, never dropped.
 */
class SingleSelectEditor final : public TypedFieldEditor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SingleSelectEditor)

public:
    explicit SingleSelectEditor(const FieldDefinition &definition, QWidget *parent = nullptr);
    ~SingleSelectEditor() override;

    QComboBox *comboBox() const { return m_combo; }

protected:
    void applyValue(const FieldValue &value) override;
    FieldValue currentValue() const override;
    void applyReadOnly(bool readOnly) override;

private:
    QComboBox *m_combo = nullptr;
    FieldValue m_chosen;
};

/**
 * MULTI_SELECT: a filter line edit over a list of checkable options (QListView over a small
 * QStandardItemModel, filtered by a QSortFilterProxyModel). Checking or unchecking an option is
 * one edit. The value lists the checked ids in the definition's option order; ids that are not
 * among the options are kept (shown as extra entries).
 */
class MultiSelectEditor final : public TypedFieldEditor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MultiSelectEditor)

public:
    explicit MultiSelectEditor(const FieldDefinition &definition, QWidget *parent = nullptr);
    ~MultiSelectEditor() override;

    QLineEdit *filterEdit() const { return m_filter; }
    QListView *listView() const { return m_list; }
    /** The option rows as shown (after filtering). */
    QSortFilterProxyModel *filteredOptions() const { return m_proxy; }

protected:
    void applyValue(const FieldValue &value) override;
    FieldValue currentValue() const override;
    void applyReadOnly(bool readOnly) override;

private:
    QLineEdit *m_filter = nullptr;
    QListView *m_list = nullptr;
    QStandardItemModel *m_options = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    qsizetype m_optionCount = 0;
};
