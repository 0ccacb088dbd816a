#pragma once

#include "editors/typedfieldeditor.h"

#include <QList>

class QLineEdit;
class QToolButton;
class QVBoxLayout;

/**
 * EMAIL, URL and TELEPHONE: one line edit, or (definition.hasMultipleValues()) a list of line
 * edits with Add and Remove buttons. Every non-empty entry is validated and normalised: e-mail
 * syntax; http/https web addresses ("example.com" → "https://example.com"); telephone numbers
 * to E.164 with libphonenumber, read in phoneRegion() (else the locale's territory) when typed
 * without "+"; with neither, only numbers with "+" are accepted.
 * The value is the list of normalised entries (empty entries are skipped); the first invalid
 * entry sets validationError(). When an entry loses focus its text is replaced by the
 * normalised form.
 */
class ContactListEditor final : public TypedFieldEditor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactListEditor)

public:
    explicit ContactListEditor(const FieldDefinition &definition, QWidget *parent = nullptr);
    ~ContactListEditor() override;

    /** The entry line edits, in order (one for a single-valued field). */
    QList<QLineEdit *> lineEdits() const;
    /** The Add button (nullptr for a single-valued field). */
    QToolButton *addButton() const { return m_add; }
    /** The Remove button of entry `row` (nullptr for a single-valued field). */
    QToolButton *removeButton(int row) const;

    /**
     * The ISO 3166-1 alpha-2 region for numbers typed without "+" (the deal's country); empty
     * means PhoneNumbers::defaultRegion(). Entries already typed are read again in it.
     */
    void setPhoneRegion(const QString &region);
    QString phoneRegion() const { return m_region; }

    /** `text` normalised for `type`; sets `error` when it is not acceptable. */
    static QString normalise(
        FieldType type, const QString &text, const QString &phoneRegion, QString *error);

protected:
    void applyValue(const FieldValue &value) override;
    FieldValue currentValue() const override;
    void applyReadOnly(bool readOnly) override;

private:
    struct Row
    {
        QWidget *widget = nullptr;
        QLineEdit *edit = nullptr;
        QToolButton *remove = nullptr;
    };

    Row &addRow(const QString &text);
    void removeRow(QWidget *rowWidget);
    void revalidate();
    void handleEditingFinished(QLineEdit *edit);
    QStringList entries(QString *error) const;

    QList<Row> m_rows;
    QVBoxLayout *m_rowLayout = nullptr;
    QToolButton *m_add = nullptr;
    QString m_region;
    bool m_multiple = false;
    bool m_readOnly = false;
};
