#include "itemmodels/textfold.h"

namespace TextFold {

namespace {

/** Latin letters that NFD leaves whole, mapped to their base letters (already lower-case). */
const char *specialLetter(char16_t c)
{
    switch (c) {
    case 0x00F8: // ø
    case 0x00D8:
        return "o";
    case 0x0142: // ł
    case 0x0141:
        return "l";
    case 0x0111: // đ
    case 0x0110:
    case 0x00F0: // ð
    case 0x00D0:
        return "d";
    case 0x0127: // ħ
    case 0x0126:
        return "h";
    case 0x0131: // ı
        return "i";
    case 0x00E6: // æ
    case 0x00C6:
        return "ae";
    case 0x0153: // œ
    case 0x0152:
        return "oe";
    case 0x00DF: // ß
    case 0x1E9E:
        return "ss";
    case 0x00FE: // þ
    case 0x00DE:
        return "th";
    default:
        return nullptr;
    }
}

bool isMark(QChar c)
{
    const QChar::Category category = c.category();
    return category == QChar::Mark_NonSpacing || category == QChar::Mark_SpacingCombining
        || category == QChar::Mark_Enclosing;
}

} // namespace

bool isAscii(QStringView text)
{
    for (const QChar c : text) {
        if (c.unicode() >= 0x80)
            return false;
    }
    return true;
}

QString fold(QStringView text)
{
    if (isAscii(text)) {
        QString out(text.size(), Qt::Uninitialized);
        QChar *data = out.data();
        for (qsizetype i = 0; i < text.size(); ++i) {
            const char16_t c = text[i].unicode();
            data[i] = QChar(c >= u'A' && c <= u'Z' ? char16_t(c + 32) : c);
        }
        return out;
    }
    const QString decomposed = text.toString().normalized(QString::NormalizationForm_D);
    QString out;
    out.reserve(decomposed.size());
    for (const QChar c : decomposed) {
        if (isMark(c))
            continue;
        if (const char *letter = specialLetter(c.unicode())) {
            out += QLatin1String(letter);
            continue;
        }
        out += c;
    }
    return out.toCaseFolded();
}

QByteArray foldUtf8(QStringView text)
{
    return fold(text).toUtf8();
}

} // namespace TextFold
