#include "itemmodels/tablelookup.h"

#include "itemmodels/opportunitytablemodel.h"

#include <QAbstractProxyModel>

namespace TableLookup {

const OpportunityTableModel *tableUnder(const QAbstractItemModel *model)
{
    while (model) {
        if (const auto *table = qobject_cast<const OpportunityTableModel *>(model))
            return table;
        const auto *proxy = qobject_cast<const QAbstractProxyModel *>(model);
        model = proxy ? proxy->sourceModel() : nullptr;
    }
    return nullptr;
}

} // namespace TableLookup
