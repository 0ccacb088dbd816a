#pragma once

#include <QList>

class QHeaderView;

/**
 * The columns a table shows, as "export what is on screen" (ViewExport::Options::columns) needs
 * them: the logical indexes of the header's sections that are not hidden, in visual order (as
 * the rep arranged them by dragging). GUI thread.
 */
namespace HeaderColumns {

QList<int> visibleInVisualOrder(const QHeaderView &header);

} // namespace HeaderColumns
