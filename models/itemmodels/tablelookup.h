#pragma once

class OpportunityTableModel;
class QAbstractItemModel;

/**
 * Finds the deals table under a view's model: `model` itself when it is an
 * OpportunityTableModel, else the first one down its chain of QAbstractProxyModel sources
 * (the sort / filter proxy, a column-hiding proxy…), or nullptr. Column keys, definitions
 * (stage options, currencies) and relationship names are read from it; cells are still read
 * through the view so its rows, order and filters apply.
 */
namespace TableLookup {

const OpportunityTableModel *tableUnder(const QAbstractItemModel *model);

} // namespace TableLookup
