#include "itemmodels/celltext.h"

#include <QLatin1String>
#include <QStringView>

namespace CellText {

QString joined(const QStringList &values)
{
    // One value is by far the common case: share its string instead of copying it.
    if (values.size() == 1)
        return values.first();
    return values.join(QStringLiteral(", "));
}

QString markdownFirstLine(const QString &markdown)
{
    qsizetype start = 0;
    while (start <= markdown.size()) {
        qsizetype end = markdown.indexOf(QLatin1Char('\n'), start);
        if (end < 0)
            end = markdown.size();
        QStringView line = QStringView(markdown).mid(start, end - start).trimmed();
        start = end + 1;
        if (line.isEmpty())
            continue;
        // Block markers: headings, quotes, bullets, task boxes, numbered items.
        bool stripped = true;
        while (stripped && !line.isEmpty()) {
            stripped = false;
            for (const QLatin1String marker : {QLatin1String("- [ ] "), QLatin1String("- [x] "),
                     QLatin1String("- [X] "), QLatin1String("> "), QLatin1String("- "),
                     QLatin1String("* "), QLatin1String("+ ")}) {
                if (line.startsWith(marker)) {
                    line = line.mid(marker.size()).trimmed();
                    stripped = true;
                    break;
                }
            }
            if (!stripped && line.startsWith(QLatin1Char('#'))) {
                qsizetype level = 0;
                while (level < line.size() && line[level] == QLatin1Char('#'))
                    ++level;
                if (level < line.size() && line[level] == QLatin1Char(' ')) {
                    line = line.mid(level).trimmed();
                    stripped = true;
                }
            }
            if (!stripped) {
                qsizetype digits = 0;
                while (digits < line.size() && line[digits].isDigit())
                    ++digits;
                if (digits > 0 && digits + 1 < line.size() && line[digits] == QLatin1Char('.')
                    && line[digits + 1] == QLatin1Char(' ')) {
                    line = line.mid(digits + 2).trimmed();
                    stripped = true;
                }
            }
        }
        QString text = line.toString();
        text.remove(QLatin1String("**"));
        text.remove(QLatin1String("__"));
        text.remove(QLatin1Char('`'));
        text = text.trimmed();
        if (!text.isEmpty())
            return text;
    }
    return {};
}

} // namespace CellText
