#pragma once

#include <QIcon>
#include <QString>

class QLabel;
class QPalette;
class QWidget;

/** Small pieces the deal form and the new-deal dialog share (not a public API). */
namespace FormSupport {

/** The "changed" marker shown next to a dirty field's label; hidden at first. */
QLabel *makeDirtyMark(const QString &key, QWidget *parent);

/**
 * Ties a field's label to its editor: the label is the editor's buddy (mnemonics, screen
 * readers) and, unless the editor named itself, gives the editor its accessible name.
 */
void labelEditor(QLabel *label, QWidget *editor, const QString &text);

/** A message line under a field (validation or server error); hidden at first. */
QLabel *makeMessageLabel(const QString &key, QWidget *parent);

/** The small dot of a pending field, in the palette's highlight colour. */
QIcon pendingIcon(const QPalette &palette);

} // namespace FormSupport
