#include "editors/phonenumbers.h"

#include "editors/fieldeditor.h"

#include <QLocale>

#include <phonenumbers/phonenumberutil.h>

#include <string>

namespace PhoneNumbers {

QString defaultRegion()
{
    // QLocale() is the system locale unless the application chose another, which then wins.
    const QLocale::Territory territory = QLocale().territory();
    if (territory == QLocale::AnyTerritory)
        return {};
    const QString code = QLocale::territoryToCode(territory);
    if (code.size() == 2 && code != QLatin1String("ZZ"))
        return code;
    return {};
}

QString normalise(const QString &input, const QString &region, QString *error)
{
    using i18n::phonenumbers::PhoneNumber;
    using i18n::phonenumbers::PhoneNumberUtil;

    const auto fail = [&] {
        if (error)
            *error = FieldEditor::tr("“%1” is not a telephone number (e.g. +1 512 555 0100).")
                         .arg(input);
        return QString();
    };
    const QString trimmed = input.trimmed();
    if (trimmed.isEmpty())
        return fail();
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    const QString readIn = region.isEmpty() ? defaultRegion() : region;
    if (readIn.isEmpty() && !trimmed.startsWith(QLatin1Char('+'))) {
        // Guessing a country would store another country's number; the rep knows which it is.
        if (error)
            *error = FieldEditor::tr("Type “%1” with its country code (e.g. +47 61 23 45 67): "
                                     "the deal has no country to read it in.")
                         .arg(trimmed);
        return QString();
    }
    // "ZZ" (unknown region) reads only numbers written with "+".
    const std::string regionCode
        = (readIn.isEmpty() ? QStringLiteral("ZZ") : readIn.toUpper()).toStdString();
    if (util->Parse(trimmed.toStdString(), regionCode, &number)
        != PhoneNumberUtil::NO_PARSING_ERROR)
        return fail();
    // Possible (right length for the country) rather than valid: the bundled metadata lags new
    // number ranges, and the server normalises again on write.
    if (!util->IsPossibleNumber(number))
        return fail();
    std::string e164;
    util->Format(number, PhoneNumberUtil::E164, &e164);
    QString result = QString::fromStdString(e164);
    if (number.has_extension() && !number.extension().empty())
        result += QStringLiteral(";ext=") + QString::fromStdString(number.extension());
    if (error)
        error->clear();
    return result;
}

} // namespace PhoneNumbers
