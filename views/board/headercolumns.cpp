#include "board/headercolumns.h"

#include <QHeaderView>

namespace HeaderColumns {

QList<int> visibleInVisualOrder(const QHeaderView &header)
{
    QList<int> columns;
    for (int visual = 0; visual < header.count(); ++visual) {
        const int logical = header.logicalIndex(visual);
        if (logical >= 0 && !header.isSectionHidden(logical))
            columns << logical;
    }
    return columns;
}

} // namespace HeaderColumns
