#include "editors/datetimeeditor.h"

#include <QCalendarWidget>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QTimeZone>
#include <QToolButton>
#include <QVBoxLayout>

#include <functional>

namespace {

/** The minimum of the edit stands for "no date" (shown as the special value text). */
const QDateTime &nullSentinel()
{
    static const QDateTime sentinel(QDate(1900, 1, 1), QTime(0, 0), Qt::LocalTime);
    return sentinel;
}

/** The locale's short date (and time), always with a four-digit year (QDateTimeEdit misreads
 * "yy"). */
QString displayFormat(const QLocale &locale, bool dateOnly)
{
    QString date = locale.dateFormat(QLocale::ShortFormat);
    if (!date.contains(QStringLiteral("yyyy")))
        date.replace(QStringLiteral("yy"), QStringLiteral("yyyy"));
    if (dateOnly)
        return date;
    return date + QLatin1Char(' ') + locale.timeFormat(QLocale::ShortFormat);
}

/** An empty field is a date when its key or label says so and names no time. */
bool namesADate(const FieldDefinition &definition)
{
    const QString key = definition.key();
    const QString label = definition.label();
    if (key.endsWith(QLatin1String("At"))
        || label.contains(QLatin1String("time"), Qt::CaseInsensitive))
        return false;
    return key.contains(QLatin1String("date"), Qt::CaseInsensitive)
        || label.contains(QLatin1String("date"), Qt::CaseInsensitive);
}

/**
 * A QDateTimeEdit whose minimum stands for "no date" (the special value text). QDateTimeEdit
 * treats that placeholder as a real date: its calendar opens in January 1900, Tab walks sections
 * the placeholder does not show (and never leaves), and typed digits edit 1900. Here the
 * calendar opens at today, Tab leaves, and the first editing key asks the owner to start from
 * today before it is applied.
 */
class NullableDateTimeEdit final : public QDateTimeEdit
{
public:
    explicit NullableDateTimeEdit(QWidget *parent)
        : QDateTimeEdit(parent)
    {
    }
    Q_DISABLE_COPY_MOVE(NullableDateTimeEdit)

    std::function<void()> startEditing;

protected:
    bool focusNextPrevChild(bool next) override
    {
        if (isPlaceholder())
            return QWidget::focusNextPrevChild(next);
        return QDateTimeEdit::focusNextPrevChild(next);
    }

    void keyPressEvent(QKeyEvent *event) override
    {
        if (isPlaceholder() && !isReadOnly() && startEditing) {
            const int key = event->key();
            const bool step = key == Qt::Key_Up || key == Qt::Key_Down || key == Qt::Key_PageUp
                || key == Qt::Key_PageDown;
            const bool digit = !event->text().isEmpty() && event->text().at(0).isDigit();
            if (step || digit) {
                // "No date" shows no sections: typing starts in the first one, as in an empty
                // date field.
                startEditing();
                setSelectedSection(sectionAt(0));
                if (step) { // the step itself lands on today
                    event->accept();
                    return;
                }
            }
        }
        QDateTimeEdit::keyPressEvent(event);
        showTodayIfPlaceholder();
    }

    void mousePressEvent(QMouseEvent *event) override
    {
        QDateTimeEdit::mousePressEvent(event);
        showTodayIfPlaceholder();
    }

private:
    bool isPlaceholder() const { return dateTime() <= minimumDateTime(); }

    /** The calendar the edit just opened shows this month, not the placeholder's. */
    void showTodayIfPlaceholder()
    {
        if (!isPlaceholder() || !calendarPopup())
            return;
        QCalendarWidget *calendar = calendarWidget();
        if (calendar && calendar->isVisible()) {
            const QDate today = QDate::currentDate();
            calendar->setCurrentPage(today.year(), today.month());
        }
    }
};

} // namespace

DateTimeEditor::DateTimeEditor(const FieldDefinition &definition, QWidget *parent)
    : TypedFieldEditor(definition, parent)
    , m_edit(new NullableDateTimeEdit(content()))
    , m_zone(new QLabel(content()))
    , m_clear(new QToolButton(content()))
    , m_dateOnly(namesADate(definition))
{
    static_cast<NullableDateTimeEdit *>(m_edit)->startEditing = [this] { startFromToday(); };
    m_edit->setTimeSpec(Qt::LocalTime);
    m_edit->setDisplayFormat(displayFormat(locale(), m_dateOnly));
    m_zone->setVisible(!m_dateOnly);
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

    // The zone goes under the date, not beside it, so the editor fits a narrow pane.
    auto *layout = new QVBoxLayout(content());
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto *row = new QHBoxLayout;
    row->setSpacing(4);
    row->addWidget(m_edit, 1);
    row->addWidget(m_clear);
    layout->addLayout(row);
    layout->addWidget(m_zone);
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

void DateTimeEditor::setDateOnly(bool dateOnly)
{
    if (dateOnly == m_dateOnly)
        return;
    m_dateOnly = dateOnly;
    m_edit->setDisplayFormat(displayFormat(locale(), dateOnly));
    m_zone->setVisible(!dateOnly);
}

void DateTimeEditor::applyValue(const FieldValue &value)
{
    const QDateTime utc = value.toDateTime().toUTC();
    if (utc.isValid())
        setDateOnly(utc.time() == QTime(0, 0));
    else
        setDateOnly(namesADate(definition()));
    if (!utc.isValid())
        m_edit->setDateTime(nullSentinel());
    else if (m_dateOnly) // the UTC day, whatever the rep's zone
        m_edit->setDateTime(QDateTime(utc.date(), QTime(0, 0), Qt::LocalTime));
    else
        m_edit->setDateTime(utc.toLocalTime());
    m_wasNull = !utc.isValid();
    m_clear->setEnabled(!isReadOnly() && utc.isValid());
}

FieldValue DateTimeEditor::currentValue() const
{
    if (isNullShown())
        return FieldValue::null(FieldType::DateTime);
    if (m_dateOnly)
        return FieldValue::fromDateTime(QDateTime(m_edit->date(), QTime(0, 0), QTimeZone::utc()));
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
        now.setTime(m_dateOnly ? QTime(0, 0) : QTime(now.time().hour(), 0));
        const QSignalBlocker blocker(m_edit);
        m_edit->setDateTime(now);
    }
    m_wasNull = isNullShown();
    m_clear->setEnabled(!m_wasNull);
    userEdited();
}

void DateTimeEditor::startFromToday()
{
    if (isReadOnly() || !isNullShown())
        return;
    QDateTime now = QDateTime::currentDateTime();
    now.setTime(m_dateOnly ? QTime(0, 0) : QTime(now.time().hour(), 0));
    m_edit->setDateTime(now); // through handleChanged(): the rep's edit
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
