#include "editors/compositeeditors.h"

#include "domain/socialhandle.h"
#include "editors/editorsupport.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QVBoxLayout>

#include <algorithm>

namespace {

/** (name in `locale`, alpha-2 code) of every territory that has a two-letter code. */
QList<std::pair<QString, QString>> territories()
{
    static const QRegularExpression alpha2(QStringLiteral("^[A-Z]{2}$"));
    QList<std::pair<QString, QString>> result;
    for (int t = 1; t <= int(QLocale::LastTerritory); ++t) {
        const auto territory = QLocale::Territory(t);
        const QString code = QLocale::territoryToCode(territory);
        if (!alpha2.match(code).hasMatch() || code == QLatin1String("ZZ"))
            continue;
        const bool seen = std::any_of(result.cbegin(), result.cend(),
            [&code](const auto &entry) { return entry.second == code; });
        if (!seen)
            result.append({QLocale::territoryToString(territory), code});
    }
    std::sort(result.begin(), result.end(), [](const auto &a, const auto &b) {
        return QString::localeAwareCompare(a.first, b.first) < 0;
    });
    return result;
}

/// A zero-width space: a place where a line may break, invisible where it does not.
constexpr QChar kBreakAfterSlash(0x200B);

QString breakableUrl(QString url)
{
    return url.replace(QLatin1Char('/'), QStringLiteral("/") + kBreakAfterSlash);
}

} // namespace

AddressEditor::AddressEditor(const FieldDefinition &definition, QWidget *parent)
    : TypedFieldEditor(definition, parent)
{
    auto *layout = new QVBoxLayout(content());
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_street = addLine(QStringLiteral("street"), tr("Street"));
    m_street2 = addLine(QStringLiteral("street2"), tr("Street (line 2)"));
    m_city = addLine(QStringLiteral("city"), tr("City"));
    m_state = addLine(QStringLiteral("state"), tr("State / region"));
    m_postalCode = addLine(QStringLiteral("postalCode"), tr("Postal code"));
    m_country = new QComboBox(content());
    m_country->setObjectName(QStringLiteral("country"));
    m_country->setAccessibleName(tr("%1: country").arg(definition.label()));
    m_country->addItem(tr("No country"), QString());
    for (const auto &[name, code] : territories())
        m_country->addItem(QStringLiteral("%1 (%2)").arg(name, code), code);
    // A narrow pane: the city gets a line of its own and the country list is as wide as the
    // field, not as its longest name, so nothing is cut off ("Postal code") at 300 px.
    m_country->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_country->setMinimumContentsLength(10);
    layout->addWidget(m_street);
    layout->addWidget(m_street2);
    layout->addWidget(m_city);
    auto *regionLine = new QHBoxLayout;
    regionLine->setSpacing(2);
    regionLine->addWidget(m_state, 3);
    regionLine->addWidget(m_postalCode, 2);
    layout->addLayout(regionLine);
    layout->addWidget(m_country);
    setInput(m_street);
    m_street->setAccessibleName(tr("%1: street").arg(definition.label()));

    for (QLineEdit *edit : {m_street, m_street2, m_city, m_state, m_postalCode})
        connect(edit, &QLineEdit::textEdited, this, &AddressEditor::userEdited);
    connect(m_country, &QComboBox::activated, this, &AddressEditor::userEdited);
    applyReadOnly(isReadOnly());
}

AddressEditor::~AddressEditor() = default;

QLineEdit *AddressEditor::addLine(const QString &objectName, const QString &placeholder)
{
    auto *edit = new QLineEdit(content());
    edit->setObjectName(objectName);
    edit->setPlaceholderText(placeholder);
    edit->setAccessibleName(QStringLiteral("%1: %2").arg(definition().label(), placeholder));
    connect(edit, &QLineEdit::returnPressed, this, &AddressEditor::userCommitted);
    return edit;
}

void AddressEditor::applyValue(const FieldValue &value)
{
    const Address address = value.toAddress();
    m_kept = address;
    m_street->setText(address.street);
    m_street2->setText(address.street2);
    m_city->setText(address.city);
    m_state->setText(address.state);
    m_postalCode->setText(address.postalCode);
    const QString code = address.country.toUpper();
    int index = m_country->findData(code);
    if (index < 0) {
        // Not an alpha-2 code this build knows: keep it as read rather than lose it.
        m_country->addItem(address.country, address.country);
        index = m_country->count() - 1;
    }
    m_country->setCurrentIndex(index);
}

FieldValue AddressEditor::currentValue() const
{
    Address address;
    address.street = m_street->text().trimmed();
    address.street2 = m_street2->text().trimmed();
    address.city = m_city->text().trimmed();
    address.state = m_state->text().trimmed();
    address.postalCode = m_postalCode->text().trimmed();
    address.country = m_country->currentData().toString();
    address.latitude = m_kept.latitude;
    address.longitude = m_kept.longitude;
    return FieldValue::fromAddress(address);
}

void AddressEditor::applyReadOnly(bool readOnly)
{
    for (QLineEdit *edit : {m_street, m_street2, m_city, m_state, m_postalCode})
        edit->setReadOnly(readOnly);
    m_country->setEnabled(!readOnly);
}

FullNameEditor::FullNameEditor(const FieldDefinition &definition, QWidget *parent)
    : TypedFieldEditor(definition, parent)
    , m_first(new QLineEdit(content()))
    , m_last(new QLineEdit(content()))
{
    auto *layout = new QHBoxLayout(content());
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_first);
    layout->addWidget(m_last);
    m_first->setObjectName(QStringLiteral("firstName"));
    m_last->setObjectName(QStringLiteral("lastName"));
    m_first->setPlaceholderText(tr("First name"));
    m_last->setPlaceholderText(tr("Last name"));
    setInput(m_first);
    m_first->setAccessibleName(tr("%1: first name").arg(definition.label()));
    m_last->setAccessibleName(tr("%1: last name").arg(definition.label()));
    for (QLineEdit *edit : {m_first, m_last}) {
        connect(edit, &QLineEdit::textEdited, this, &FullNameEditor::userEdited);
        connect(edit, &QLineEdit::returnPressed, this, &FullNameEditor::userCommitted);
    }
    applyReadOnly(isReadOnly());
}

FullNameEditor::~FullNameEditor() = default;

void FullNameEditor::applyValue(const FieldValue &value)
{
    const FullName name = value.toFullName();
    m_first->setText(name.firstName);
    m_last->setText(name.lastName);
}

FieldValue FullNameEditor::currentValue() const
{
    return FieldValue::fromFullName({m_first->text().trimmed(), m_last->text().trimmed()});
}

void FullNameEditor::applyReadOnly(bool readOnly)
{
    m_first->setReadOnly(readOnly);
    m_last->setReadOnly(readOnly);
}

SocialHandleEditor::SocialHandleEditor(const FieldDefinition &definition, QWidget *parent)
    : TypedFieldEditor(definition, parent)
    , m_edit(new QLineEdit(content()))
    , m_url(new QLabel(content()))
{
    auto *layout = new QVBoxLayout(content());
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_edit);
    layout->addWidget(m_url);
    m_url->setObjectName(QStringLiteral("profileUrl"));
    m_url->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_url->setTextFormat(Qt::PlainText);
    // A long profile URL wraps after its slashes instead of widening the form past its pane.
    m_url->setWordWrap(true);
    m_edit->setPlaceholderText(SocialHandle::isKnownService(definition.handleService())
            ? tr("handle or profile URL")
            : tr("profile URL"));
    setInput(m_edit);
    connect(m_edit, &QLineEdit::textEdited, this, &SocialHandleEditor::handleTextEdited);
    connect(m_edit, &QLineEdit::returnPressed, this, &SocialHandleEditor::userCommitted);
    applyReadOnly(isReadOnly());
}

SocialHandleEditor::~SocialHandleEditor() = default;

QString SocialHandleEditor::profileUrlText() const
{
    return m_url->text().remove(kBreakAfterSlash);
}

QString SocialHandleEditor::profileUrl(
    const QString &serviceName, const QString &input, QString *error)
{
    return SocialHandle::profileUrl(serviceName, input, error);
}

QString SocialHandleEditor::handleOf(const QString &serviceName, const QString &url)
{
    return SocialHandle::handleOf(serviceName, url);
}

void SocialHandleEditor::applyValue(const FieldValue &value)
{
    m_profileUrl = value.toText();
    m_edit->setText(handleOf(definition().handleService(), m_profileUrl));
    m_url->setText(breakableUrl(m_profileUrl));
}

FieldValue SocialHandleEditor::currentValue() const
{
    return FieldValue::fromText(FieldType::SocialHandle, m_profileUrl);
}

void SocialHandleEditor::applyReadOnly(bool readOnly)
{
    m_edit->setReadOnly(readOnly);
}

void SocialHandleEditor::handleTextEdited()
{
    QString error;
    const QString text = m_edit->text().trimmed();
    if (text.isEmpty()) {
        m_profileUrl.clear();
    } else {
        const QString url = profileUrl(definition().handleService(), text, &error);
        if (error.isEmpty())
            m_profileUrl = url;
    }
    m_url->setText(error.isEmpty() ? breakableUrl(m_profileUrl) : QString());
    setError(error);
    userEdited();
}
