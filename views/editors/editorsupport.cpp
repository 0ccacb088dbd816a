#include "editors/editorsupport.h"

#include "domain/socialhandle.h"

#include "editors/fieldeditor.h"

#include <QPalette>
#include <QRegularExpression>
#include <QUrl>

namespace EditorSupport {

void name(FieldEditor *editor, QWidget *input)
{
    const FieldDefinition &definition = editor->definition();
    editor->setObjectName(definition.key());
    editor->setAccessibleName(definition.label());
    if (!definition.description().isEmpty())
        editor->setToolTip(definition.description());
    if (input) {
        input->setAccessibleName(definition.label());
        if (!definition.description().isEmpty())
            input->setAccessibleDescription(definition.description());
    }
}

void showError(FieldEditor *editor, QWidget *input, const QString &message)
{
    if (!input)
        return;
    QPalette palette = input->palette();
    if (message.isEmpty()) {
        input->setPalette(QPalette());
        input->setToolTip(editor->definition().description());
        return;
    }
    palette.setColor(QPalette::Text, QColor(0xc0, 0x1c, 0x28));
    input->setPalette(palette);
    input->setToolTip(message);
}

std::optional<double> parseDecimal(const QString &text, const QLocale &locale)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    // No exponents, infinities or NaN: a rep types plain decimals.
    for (const QChar c : trimmed) {
        if (c.isLetter())
            return std::nullopt;
    }
    bool ok = false;
    double number = locale.toDouble(trimmed, &ok);
    const QString group = locale.groupSeparator();
    if (!ok && (group == QStringView(u"\u00a0") || group == QStringView(u"\u202f"))) {
        // Keyboards type a plain space where the locale groups with a no-break one.
        QString regrouped = trimmed;
        regrouped.replace(QLatin1Char(' '), group);
        number = locale.toDouble(regrouped, &ok);
    }
    if (!ok)
        number = QLocale::c().toDouble(trimmed, &ok);
    if (!ok || !qIsFinite(number))
        return std::nullopt;
    return number;
}

QString formatDecimal(double number, const QLocale &locale)
{
    QLocale grouped = locale;
    grouped.setNumberOptions(grouped.numberOptions() & ~QLocale::OmitGroupSeparator);
    return grouped.toString(number, 'f', QLocale::FloatingPointShortest);
}

QString formatCents(qint64 cents, const QLocale &locale)
{
    QLocale grouped = locale;
    grouped.setNumberOptions(grouped.numberOptions() & ~QLocale::OmitGroupSeparator);
    // On the magnitude, so the sign is written once, in the locale's own form.
    const quint64 magnitude = cents < 0 ? quint64(0) - quint64(cents) : quint64(cents);
    QString text = grouped.toString(magnitude / 100);
    if (magnitude % 100 != 0) {
        text += grouped.decimalPoint();
        text += grouped.toString(magnitude % 100).rightJustified(2, grouped.zeroDigit().at(0));
    }
    return cents < 0 ? grouped.negativeSign() + text : text;
}

QString emailError(const QString &text)
{
    // The common subset of RFC 5322 that mail systems accept: a dot-atom local part and a domain
    // of at least two labels (IDN domains are checked in their ASCII form).
    static const QRegularExpression local(
        QStringLiteral("^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$"));
    static const QRegularExpression domain(
        QStringLiteral("^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]([A-Za-z0-9-]{0,"
                       "61}[A-Za-z0-9])?$"));
    const qsizetype at = text.lastIndexOf(QLatin1Char('@'));
    if (at <= 0 || at == text.size() - 1)
        return FieldEditor::tr("“%1” is not an e-mail address (name@example.com).").arg(text);
    const QString localPart = text.left(at);
    const QString domainPart = QString::fromLatin1(QUrl::toAce(text.mid(at + 1)));
    if (localPart.size() > 64 || !local.match(localPart).hasMatch() || domainPart.isEmpty()
        || !domain.match(domainPart).hasMatch()) {
        return FieldEditor::tr("“%1” is not an e-mail address (name@example.com).").arg(text);
    }
    return {};
}

QString normaliseUrl(const QString &text, QString *error)
{
    return SocialHandle::normaliseUrl(text, error);
}

} // namespace EditorSupport
