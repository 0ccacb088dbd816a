#include "editors/numbereditor.h"

#include "editors/editorsupport.h"

#include <QHash>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

#include <cmath>

namespace {

/** Hundredths of `number` when it has at most two decimals, else nullopt. */
std::optional<qint64> toHundredths(double number)
{
    const double scaled = number * 100.0;
    const double rounded = std::round(scaled);
    // Allow the binary representation error of a two-decimal input (19.99 * 100 =
    // 1998.9999999999998), nothing more.
    if (std::abs(scaled - rounded) > 1e-6 * std::max(1.0, std::abs(scaled)))
        return std::nullopt;
    return qint64(rounded);
}

QHBoxLayout *lineLayout(QWidget *content)
{
    auto *layout = new QHBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    return layout;
}

} // namespace

NumberEditor::NumberEditor(const FieldDefinition &definition, QWidget *parent)
    : TypedFieldEditor(definition, parent)
    , m_edit(new QLineEdit(content()))
{
    lineLayout(content())->addWidget(m_edit);
    m_edit->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_edit->setInputMethodHints(Qt::ImhFormattedNumbersOnly);
    setInput(m_edit);
    connect(m_edit, &QLineEdit::textEdited, this, &NumberEditor::handleTextEdited);
    connect(m_edit, &QLineEdit::returnPressed, this, &NumberEditor::userCommitted);
    connect(m_edit, &QLineEdit::editingFinished, this, &NumberEditor::regroup);
    applyReadOnly(isReadOnly());
}

NumberEditor::~NumberEditor()
{
    // The line edit outlives this class (it is a child of the base widget) and reports losing
    // focus when it is destroyed: that must not reach a handler of a destroyed editor.
    m_edit->disconnect(this);
}

void NumberEditor::applyValue(const FieldValue &value)
{
    m_edit->setText(
        value.isNull() ? QString() : EditorSupport::formatDecimal(value.toDouble(), locale()));
}

FieldValue NumberEditor::currentValue() const
{
    const auto number = EditorSupport::parseDecimal(m_edit->text(), locale());
    return number ? FieldValue::fromNumber(*number) : FieldValue::null(FieldType::Number);
}

void NumberEditor::applyReadOnly(bool readOnly)
{
    m_edit->setReadOnly(readOnly);
}

void NumberEditor::regroup()
{
    if (m_edit->isReadOnly() || m_edit->text().trimmed().isEmpty() || !isAcceptable())
        return;
    const auto number = EditorSupport::parseDecimal(m_edit->text(), locale());
    if (!number)
        return;
    // Programmatic: setText() emits no textEdited(), so this is not an edit.
    const QString grouped = EditorSupport::formatDecimal(*number, locale());
    if (grouped != m_edit->text())
        m_edit->setText(grouped);
}

void NumberEditor::handleTextEdited()
{
    const QString text = m_edit->text().trimmed();
    QString error;
    if (!text.isEmpty()) {
        const auto number = EditorSupport::parseDecimal(text, locale());
        if (!number)
            error = tr("“%1” is not a number.").arg(text);
        else if (std::abs(*number) > EditorSupport::kMaxSafeInteger)
            error = tr("The number is too large.");
        else if (!toHundredths(*number))
            error = tr("Use at most two decimals.");
    }
    setError(error);
    userEdited();
}

CurrencyEditor::CurrencyEditor(const FieldDefinition &definition, QWidget *parent)
    : TypedFieldEditor(definition, parent)
    , m_edit(new QLineEdit(content()))
    , m_currency(new QLabel(content()))
{
    auto *layout = lineLayout(content());
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_currency);
    m_edit->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_edit->setInputMethodHints(Qt::ImhFormattedNumbersOnly);
    const QString code = definition.currency();
    const QString symbol = currencySymbol(code);
    m_currency->setText(
        symbol.isEmpty() || symbol == code ? code : QStringLiteral("%1 %2").arg(symbol, code));
    m_currency->setBuddy(m_edit);
    setInput(m_edit);
    connect(m_edit, &QLineEdit::textEdited, this, &CurrencyEditor::handleTextEdited);
    connect(m_edit, &QLineEdit::returnPressed, this, &CurrencyEditor::userCommitted);
    connect(m_edit, &QLineEdit::editingFinished, this, &CurrencyEditor::regroup);
    applyReadOnly(isReadOnly());
}

CurrencyEditor::~CurrencyEditor()
{
    // The line edit outlives this class (it is a child of the base widget) and reports losing
    // focus when it is destroyed: that must not reach a handler of a destroyed editor.
    m_edit->disconnect(this);
}

QString CurrencyEditor::currencyText() const
{
    return m_currency->text();
}

QString CurrencyEditor::currencySymbol(const QString &isoCode)
{
    static QHash<QString, QString> symbols;
    if (isoCode.isEmpty())
        return {};
    const auto found = symbols.constFind(isoCode);
    if (found != symbols.constEnd())
        return *found;
    // Prefer the locale of the code's own territory (USD → en_US "$", not en_CA "US$").
    QString symbol;
    const QList<QLocale> locales
        = QLocale::matchingLocales(QLocale::AnyLanguage, QLocale::AnyScript, QLocale::AnyTerritory);
    for (const QLocale &locale : locales) {
        if (locale.currencySymbol(QLocale::CurrencyIsoCode) != isoCode)
            continue;
        const QString candidate = locale.currencySymbol(QLocale::CurrencySymbol);
        if (symbol.isEmpty())
            symbol = candidate;
        if (QLocale::territoryToCode(locale.territory()) == isoCode.left(2)
            && locale.language() == QLocale::English) {
            symbol = candidate;
            break;
        }
    }
    symbols.insert(isoCode, symbol);
    return symbol;
}

void CurrencyEditor::applyValue(const FieldValue &value)
{
    m_cents = value.toCents();
    if (value.isNull()) {
        m_edit->setText({});
        return;
    }
    m_edit->setText(EditorSupport::formatCents(m_cents, locale()));
}

void CurrencyEditor::regroup()
{
    if (m_edit->isReadOnly() || m_edit->text().trimmed().isEmpty() || !isAcceptable())
        return;
    // Programmatic: setText() emits no textEdited(), so this is not an edit.
    const QString grouped = EditorSupport::formatCents(m_cents, locale());
    if (grouped != m_edit->text())
        m_edit->setText(grouped);
}

FieldValue CurrencyEditor::currentValue() const
{
    if (m_edit->text().trimmed().isEmpty())
        return FieldValue::null(FieldType::Currency);
    return FieldValue::fromCents(m_cents, definition().currency());
}

void CurrencyEditor::applyReadOnly(bool readOnly)
{
    m_edit->setReadOnly(readOnly);
}

void CurrencyEditor::handleTextEdited()
{
    QString text = m_edit->text().trimmed();
    // A rep may paste "$1,200.50" or "1200 USD": the symbol and the code are not part of the
    // amount.
    const QString code = definition().currency();
    const QString symbol = currencySymbol(code);
    if (!code.isEmpty())
        text.remove(code, Qt::CaseInsensitive);
    if (!symbol.isEmpty())
        text.remove(symbol);
    text = text.trimmed();
    QString error;
    if (!text.isEmpty()) {
        const auto amount = EditorSupport::parseDecimal(text, locale());
        const auto cents = amount ? toHundredths(*amount) : std::nullopt;
        if (!amount)
            error = tr("“%1” is not an amount.").arg(m_edit->text().trimmed());
        else if (!cents)
            error = tr("Use at most two decimals.");
        else if (std::abs(double(*cents)) > EditorSupport::kMaxSafeInteger)
            error = tr("The amount is too large.");
        else
            m_cents = *cents;
    }
    setError(error);
    userEdited();
}
