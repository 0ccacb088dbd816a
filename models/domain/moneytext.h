#pragma once

#include <QLocale>
#include <QString>

/**
 * Money for people, the one rule shared by the table, the board, the charts and the conflict
 * dialog: the locale's own currency with its symbol, any other with its ISO code after the
 * amount (a no-break space between); whole amounts without decimals, others with two — never
 * rounded away. An empty code gives the bare number.
 */
namespace MoneyText {
QString format(const QLocale &locale, qint64 cents, const QString &currencyCode);
} // namespace MoneyText
