#include "domain/moneytext.h"

namespace MoneyText {

QString format(const QLocale &locale, qint64 cents, const QString &currencyCode)
{
    const int precision = cents % 100 == 0 ? 0 : 2;
    const double amount = double(cents) / 100.0;
    if (!currencyCode.isEmpty()
        && locale.currencySymbol(QLocale::CurrencyIsoCode) == currencyCode) {
        return locale.toCurrencyString(amount, locale.currencySymbol(), precision);
    }
    const QString number = locale.toString(amount, 'f', precision);
    return currencyCode.isEmpty() ? number : number + QChar(0x00A0) + currencyCode;
}

} // namespace MoneyText
