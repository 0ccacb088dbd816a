#pragma once

#include "editors/typedfieldeditor.h"

class QComboBox;
class QLabel;
class QLineEdit;

/**
 * ADDRESS: street, street 2, city, state, postal code and a country picker listing every
 * territory with an ISO 3166-1 alpha-2 code (names in the editor's locale; the value holds the
 * code, as Address expects). Latitude and longitude are not edited and are kept as set. Each
 * change of a part is one edit.
 */
class AddressEditor final : public TypedFieldEditor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AddressEditor)

public:
    explicit AddressEditor(const FieldDefinition &definition, QWidget *parent = nullptr);
    ~AddressEditor() override;

    QLineEdit *streetEdit() const { return m_street; }
    QLineEdit *street2Edit() const { return m_street2; }
    QLineEdit *cityEdit() const { return m_city; }
    QLineEdit *stateEdit() const { return m_state; }
    QLineEdit *postalCodeEdit() const { return m_postalCode; }
    QComboBox *countryCombo() const { return m_country; }

protected:
    void applyValue(const FieldValue &value) override;
    FieldValue currentValue() const override;
    void applyReadOnly(bool readOnly) override;

private:
    QLineEdit *addLine(const QString &objectName, const QString &placeholder);

    QLineEdit *m_street = nullptr;
    QLineEdit *m_street2 = nullptr;
    QLineEdit *m_city = nullptr;
    QLineEdit *m_state = nullptr;
    QLineEdit *m_postalCode = nullptr;
    QComboBox *m_country = nullptr;
    Address m_kept; ///< latitude / longitude of the value set
};

/** FULL_NAME: first and last name; each change is one edit. */
class FullNameEditor final : public TypedFieldEditor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FullNameEditor)

public:
    explicit FullNameEditor(const FieldDefinition &definition, QWidget *parent = nullptr);
    ~FullNameEditor() override;

    QLineEdit *firstNameEdit() const { return m_first; }
    QLineEdit *lastNameEdit() const { return m_last; }

protected:
    void applyValue(const FieldValue &value) override;
    FieldValue currentValue() const override;
    void applyReadOnly(bool readOnly) override;

private:
    QLineEdit *m_first = nullptr;
    QLineEdit *m_last = nullptr;
};

/**
 * SOCIAL_HANDLE: the rep types the handle ("ana", "@ana") or pastes a profile URL; the value is
 * the profile URL of the definition's handleService (as the API documents it: TWITTER →
 * https://x.com/<handle>, LINKEDIN → https://linkedin.com/in/<handle> (or /company/…),
 * FACEBOOK → https://facebook.com/<handle>, INSTAGRAM → https://instagram.com/<handle>), shown
 * under the edit. Without a service any http(s) URL is accepted.
 */
class SocialHandleEditor final : public TypedFieldEditor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SocialHandleEditor)

public:
    explicit SocialHandleEditor(const FieldDefinition &definition, QWidget *parent = nullptr);
    ~SocialHandleEditor() override;

    QLineEdit *lineEdit() const { return m_edit; }
    /** The profile URL shown under the edit. */
    QString profileUrlText() const;

    /**
     * The profile URL for `input` (a handle or a URL) on `service`; sets `error` when the input
     * is neither a handle nor a profile URL of that service.
     */
    static QString profileUrl(const QString &service, const QString &input, QString *error);
    /** The handle part of a profile URL of `service` ("https://x.com/ana" → "ana"), or `url`. */
    static QString handleOf(const QString &service, const QString &url);

protected:
    void applyValue(const FieldValue &value) override;
    FieldValue currentValue() const override;
    void applyReadOnly(bool readOnly) override;

private:
    void handleTextEdited();

    QLineEdit *m_edit = nullptr;
    QLabel *m_url = nullptr;
    QString m_profileUrl;
};
