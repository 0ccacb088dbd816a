#include "editors/datetimeeditor.h"

#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QTimeZone>
#include <QToolButton>

namespace {

/** The minimum of the edit stands for "no date" (shown as the special value text). */
const QDateTime &nullSentinel()
{
    static const QDateTime sentinel(QDate(1900, 1, 1), QTime(0, 0), Qt::LocalTime);
    return sentinel;
}

/** The locale's short date and time, always with a four-digit year (QDateTimeEdit misreads "yy").
 */
QString displayFormat(const QLocale &locale)
{
    QString date = locale.dateFormat(QLocale::ShortFormat);
    if (!date.contains(QStringLiteral("yyyy")))
        date.replace(QStringLiteral("yy"), QStringLiteral("yyyy"));
    return date + QLatin1Char(' ') + locale.timeFormat(QLocale::ShortFormat);
}

} // namespace

DateTimeEditor::DateTimeEditor(const FieldDefinition &definition, QWidget *parent)
    : TypedFieldEditor(definition, parent)
    , m_edit(new QDateTimeEdit(content()))
    , m_zone(new QLabel(content()))
    , m_clear(new QToolButton(content()))
{
    m_edit->setTimeSpec(Qt::LocalTime);
    m_edit->setDisplayFormat(displayFormat(locale()));
    m_edit->setCalendarPopup(true);
    m_edit->setMinimumDateTime(nullSentinel());
    m_edit->setSpecialValueText(tr("No date"));
    m_edit->setDateTime(nullSentinel());

    m_zone->setText(timeZoneText());
    m_zone->setToolTip(tr("Times are shown in your time zone and saved in UTC."));
    m_clear->setText(tr("Clear"));
    m_clear->setToolTip(tr("Remove the date"));
    m_clear->setAutoRaise(true);
    m_clear->setFocusPolicy(Qt::ClickFocus);

    auto *layout = new QHBoxLayout(content());
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_zone);
    layout->addWidget(m_clear);
    setInput(m_edit);

    connect(m_edit, &QDateTimeEdit::dateTimeChanged, this, &DateTimeEditor::handleChanged);
    connect(m_clear, &QToolButton::clicked, this, &DateTimeEditor::handleClear);
    applyReadOnly(isReadOnly());
}

DateTimeEditor::~DateTimeEditor() = default;

QString DateTimeEditor::timeZoneText() const
{
    const QTimeZone zone = QTimeZone::systemTimeZone();
    const QDateTime now = QDateTime::currentDateTime();
    const QString abbreviation = zone.abbreviation(now);
    const QString id = QString::fromUtf8(zone.id());
    if (abbreviation.isEmpty() || abbreviation == id)
        return id;
    return QStringLiteral("%1 (%2)").arg(abbreviation, id);
}

void DateTimeEditor::applyValue(const FieldValue &value)
{
    const QDateTime utc = value.toDateTime();
    m_edit->setDateTime(utc.isValid() ? utc.toLocalTime() : nullSentinel());
    m_wasNull = !utc.isValid();
    m_clear->setEnabled(!isReadOnly() && utc.isValid());
}

FieldValue DateTimeEditor::currentValue() const
{
    if (isNullShown())
        return FieldValue::null(FieldType::DateTime);
    return FieldValue::fromDateTime(m_edit->dateTime().toUTC());
}

void DateTimeEditor::applyReadOnly(bool readOnly)
{
    m_edit->setReadOnly(readOnly);
    m_edit->setCalendarPopup(!readOnly);
    m_clear->setEnabled(!readOnly && !isNullShown());
}

void DateTimeEditor::handleChanged()
{
    if (isApplying() || isReadOnly())
        return;
    // The first step away from "No date" would land in 1900 or 1901: start from the current
    // hour instead (the calendar popup picks a real date and is left alone).
    if (m_wasNull && !isNullShown() && m_edit->dateTime().date().year() <= 1901) {
        QDateTime now = QDateTime::currentDateTime();
        now.setTime(QTime(now.time().hour(), 0));
        const QSignalBlocker blocker(m_edit);
        m_edit->setDateTime(now);
    }
    m_wasNull = isNullShown();
    m_clear->setEnabled(!m_wasNull);
    userEdited();
}

void DateTimeEditor::handleClear()
{
    if (isReadOnly() || isNullShown())
        return;
    {
        const QSignalBlocker blocker(m_edit);
        m_edit->setDateTime(nullSentinel());
    }
    m_wasNull = true;
    m_clear->setEnabled(false);
    userEdited();
    userCommitted();
}

bool DateTimeEditor::isNullShown() const
{
    return m_edit->dateTime() <= nullSentinel();
}
