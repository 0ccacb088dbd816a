#include "form/formsupport.h"

#include <QLabel>
#include <QPainter>
#include <QPalette>
#include <QPixmap>

namespace FormSupport {

QLabel *makeDirtyMark(const QString &key, QWidget *parent)
{
    auto *mark = new QLabel(QStringLiteral("●"), parent);
    mark->setObjectName(QStringLiteral("dirty:") + key);
    mark->setToolTip(QObject::tr("Changed, not saved yet"));
    mark->setAccessibleName(QObject::tr("Changed"));
    mark->setForegroundRole(QPalette::Highlight);
    mark->hide();
    return mark;
}

void labelEditor(QLabel *label, QWidget *editor, const QString &text)
{
    if (!editor)
        return;
    label->setBuddy(editor);
    if (editor->accessibleName().isEmpty())
        editor->setAccessibleName(text);
}

QLabel *makeMessageLabel(const QString &key, QWidget *parent)
{
    auto *message = new QLabel(parent);
    message->setObjectName(QStringLiteral("message:") + key);
    message->setWordWrap(true);
    message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette palette = message->palette();
    palette.setColor(QPalette::WindowText, QColor(0xc0, 0x1c, 0x28));
    message->setPalette(palette);
    message->hide();
    return message;
}

QIcon pendingIcon(const QPalette &palette)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(palette.color(QPalette::Highlight));
    painter.drawEllipse(QRectF(4, 4, 8, 8));
    painter.end();
    return QIcon(pixmap);
}

} // namespace FormSupport
