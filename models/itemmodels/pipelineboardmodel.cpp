#include "itemmodels/pipelineboardmodel.h"

#include "itemmodels/opportunitysortfilterproxymodel.h"
#include "itemmodels/opportunitytablemodel.h"
#include "itemmodels/stagecolors.h"

#include <QDateTime>

#include <algorithm>

namespace {

// Cards are children of a stage row: internalId = stage row + 1; stage rows have 0.
constexpr quintptr kStageId = 0;
// Above this many rows in one proxy signal, re-group everything in one layout change instead
// of one signal per card.
constexpr int kBatchRows = 256;
// place(): the deal has no stage or an option id the definitions lack.
constexpr int kNoStage = -2;

const QString kStageKey = QStringLiteral("$stage");
const QString kPipelineKey = QStringLiteral("$pipeline");

} // namespace

PipelineBoardModel::PipelineBoardModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

PipelineBoardModel::~PipelineBoardModel() = default;

void PipelineBoardModel::setSourceModel(OpportunitySortFilterProxyModel *proxy)
{
    beginResetModel();
    for (const QMetaObject::Connection &connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    m_proxy = proxy;
    m_table = proxy ? proxy->tableModel() : nullptr;
    if (m_proxy && m_table)
        connectProxy();
    resolveColumns();
    buildStages();
    fillAll();
    endResetModel();
}

OpportunitySortFilterProxyModel *PipelineBoardModel::sourceModel() const
{
    return m_proxy;
}

void PipelineBoardModel::connectProxy()
{
    auto *p = m_proxy.data();
    m_connections << connect(
        p, &QAbstractItemModel::modelAboutToBeReset, this, &PipelineBoardModel::onAboutToBeReset);
    m_connections << connect(
        p, &QAbstractItemModel::modelReset, this, &PipelineBoardModel::onModelReset);
    m_connections << connect(
        p, &QAbstractItemModel::rowsInserted, this, &PipelineBoardModel::onRowsInserted);
    m_connections << connect(p, &QAbstractItemModel::rowsAboutToBeRemoved, this,
        &PipelineBoardModel::onRowsAboutToBeRemoved);
    m_connections << connect(
        p, &QAbstractItemModel::rowsRemoved, this, &PipelineBoardModel::onRowsRemoved);
    m_connections << connect(p, &QAbstractItemModel::dataChanged, this,
        [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
            onDataChanged(topLeft, bottomRight);
        });
    m_connections << connect(
        p, &QAbstractItemModel::layoutChanged, this, &PipelineBoardModel::onLayoutChanged);
    m_connections << connect(
        p, &QAbstractItemModel::rowsMoved, this, &PipelineBoardModel::onLayoutChanged);
}

void PipelineBoardModel::setAmountFieldKeys(const QStringList &keys)
{
    if (keys == m_amountKeys)
        return;
    beginResetModel();
    m_amountKeys = keys;
    resolveColumns();
    buildStages();
    fillAll();
    endResetModel();
}

void PipelineBoardModel::setPipeline(const QString &optionId)
{
    if (optionId == m_pipeline)
        return;
    beginResetModel();
    m_pipeline = optionId;
    buildStages();
    fillAll();
    endResetModel();
}

void PipelineBoardModel::setStatusTextProvider(
    std::function<QString(const QString &recordId)> provider)
{
    m_statusText = std::move(provider);
    // Only tooltips change; the cards that are not Synced are the ones that show one.
    for (int s = 0; s < stageCount(); ++s) {
        const int n = cardCount(s);
        if (n > 0)
            Q_EMIT dataChanged(
                index(0, 0, index(s, 0)), index(n - 1, 0, index(s, 0)), {Qt::ToolTipRole});
    }
}

// --- columns and stages -------------------------------------------------------------------

void PipelineBoardModel::resolveColumns()
{
    m_stageColumn = m_nameColumn = m_accountColumn = m_ownerColumn = m_closeColumn = -1;
    m_pipelineColumn = -1;
    m_pipelineKey.clear();
    m_amountColumns.clear();
    m_amountCodes.clear();
    if (!m_table)
        return;
    const OpportunityTableModel &t = *m_table;
    m_stageColumn = t.columnForKey(kStageKey);
    m_nameColumn = t.columnForKey(QStringLiteral("$name"));
    m_accountColumn = t.columnForKey(QStringLiteral("$account"));
    m_ownerColumn = t.columnForKey(QStringLiteral("$owner"));
    const int pipeline = t.columnForKey(kPipelineKey);
    if (pipeline >= 0 && t.columnAt(pipeline).type == FieldType::SingleSelect) {
        m_pipelineColumn = pipeline;
        m_pipelineKey = kPipelineKey;
    }
    const QList<FieldDefinition> &fields = t.schema().fields();
    if (m_amountKeys.isEmpty()) {
        for (const FieldDefinition &field : fields) {
            if (field.type() == FieldType::Currency) {
                m_amountColumns.push_back(t.columnForKey(field.key()));
                break;
            }
        }
    } else {
        for (const QString &key : std::as_const(m_amountKeys)) {
            const int column = t.columnForKey(key);
            if (column >= 0 && t.columnAt(column).type == FieldType::Currency)
                m_amountColumns.push_back(column);
        }
    }
    m_amountColumns.erase(
        std::remove(m_amountColumns.begin(), m_amountColumns.end(), -1), m_amountColumns.end());
    for (const int column : m_amountColumns)
        m_amountCodes.push_back(t.columnAt(column).field.currency());
    // The close date: the first DATETIME the rep sets (expected close), else the first one.
    int firstDate = -1;
    for (const FieldDefinition &field : fields) {
        if (field.type() != FieldType::DateTime)
            continue;
        if (firstDate < 0)
            firstDate = t.columnForKey(field.key());
        if (field.isWritable()) {
            m_closeColumn = t.columnForKey(field.key());
            break;
        }
    }
    if (m_closeColumn < 0)
        m_closeColumn = firstDate;
}

void PipelineBoardModel::buildStages()
{
    m_stages.clear();
    m_stageByOption.clear();
    m_stageOfCard.clear();
    m_stageByPosition.clear();
    m_pipelineOfPosition.clear();
    m_recordPipelines.clear();
    m_byPipeline = false;
    if (!m_table || m_stageColumn < 0)
        return;
    m_byPipeline = !m_pipeline.isEmpty() && !m_table->schema().pipelines().isEmpty();
    const bool byPipeline = m_byPipeline;
    if (m_pipelineColumn >= 0) {
        for (const SelectOption &option : m_table->columnAt(m_pipelineColumn).field.options())
            m_recordPipelines.push_back(option.id);
    }
    // The table's SortRole of a SINGLE_SELECT cell is the option's position in this list.
    const FieldDefinition &field = m_table->columnAt(m_stageColumn).field;
    const QList<SelectOption> options = field.options();
    m_stageByPosition.assign(std::size_t(options.size()), -1);
    for (qsizetype i = 0; i < options.size(); ++i) {
        const SelectOption &option = options.at(i);
        m_pipelineOfPosition.push_back(option.pipelineId);
        // A stage of no known pipeline is shared: it shows in every pipeline.
        if (byPipeline && !option.pipelineId.isEmpty() && option.pipelineId != m_pipeline)
            continue;
        Stage stage;
        stage.id = option.id;
        stage.pipelineId = option.pipelineId;
        // Every pipeline shown: "Renewals / Won" where a label repeats across pipelines.
        stage.label = byPipeline ? (option.label.isEmpty() ? option.id : option.label)
                                 : field.optionDisplayLabel(option);
        // The position among all options, not among the shown ones: a stage keeps its colour
        // whichever pipeline is shown, and matches the table's and the charts'.
        stage.color = StageColors::rgbaAt(int(i));
        m_stageByPosition[std::size_t(i)] = int(m_stages.size());
        m_stageByOption.insert(stage.id, int(m_stages.size()));
        m_stages.push_back(std::move(stage));
    }
}

/** Fills every card from the proxy, in its order (inside a reset or on new stages). */
void PipelineBoardModel::fillAll()
{
    if (!m_proxy || !m_table || m_stageColumn < 0)
        return;
    const int rows = m_proxy->rowCount();
    Stage noStage;
    for (int r = 0; r < rows; ++r) {
        Placement placement = place(r);
        if (placement.stage == -1)
            continue;
        Stage &stage
            = placement.stage == kNoStage ? noStage : m_stages[std::size_t(placement.stage)];
        addTotals(stage, placement.card, +1);
        m_stageOfCard.insert(placement.card.id,
            placement.stage == kNoStage ? int(m_stages.size()) : placement.stage);
        stage.cards.push_back(std::move(placement.card));
    }
    if (!noStage.cards.empty()) {
        noStage.label = tr("No stage");
        m_stages.push_back(std::move(noStage));
    }
}

int PipelineBoardModel::tableRowOf(int proxyRow) const
{
    return m_proxy->mapToSource(m_proxy->index(proxyRow, 0)).row();
}

int PipelineBoardModel::proxyRowOf(const QString &id) const
{
    const int row = m_table->rowForId(id);
    if (row < 0)
        return -1;
    return m_proxy->mapFromSource(m_table->index(row, 0)).row();
}

PipelineBoardModel::Placement PipelineBoardModel::place(int proxyRow) const
{
    // Reads the typed sort keys (option positions, cents): no string or FieldValue is built,
    // which keeps a re-group of 100,000 cards cheap.
    Placement placement;
    const int row = tableRowOf(proxyRow);
    if (row < 0)
        return placement;
    const OpportunityTableModel &t = *m_table;
    const auto key
        = [&](int column) { return t.data(t.index(row, column), OpportunityRoles::SortRole); };
    // The id even for a deal left out: a deal that leaves the pipeline shown is found by it.
    placement.card.id = t.idAt(row);
    const QVariant stage = key(m_stageColumn);
    const int position = stage.isValid() ? stage.toInt() : -1;
    if (m_byPipeline) {
        // The pipeline is the stage option's, from the definitions. Only a deal whose stage
        // names none (no stage, an unknown or shared option) falls back on a `$pipeline` the
        // record may carry; with neither, it shows in every pipeline rather than in none.
        QString pipeline = position >= 0 && std::size_t(position) < m_pipelineOfPosition.size()
            ? m_pipelineOfPosition[std::size_t(position)]
            : QString();
        if (pipeline.isEmpty() && m_pipelineColumn >= 0) {
            const QVariant own = key(m_pipelineColumn);
            const int at = own.isValid() ? own.toInt() : -1;
            if (at >= 0 && std::size_t(at) < m_recordPipelines.size())
                pipeline = m_recordPipelines[std::size_t(at)];
        }
        if (!pipeline.isEmpty() && pipeline != m_pipeline)
            return placement;
    }
    placement.stage = position >= 0 && std::size_t(position) < m_stageByPosition.size()
        ? m_stageByPosition[std::size_t(position)]
        : -1;
    if (placement.stage < 0)
        placement.stage = kNoStage; // no stage, an unknown option or another pipeline's
    for (std::size_t k = 0; k < m_amountColumns.size(); ++k) {
        const QVariant cents = key(m_amountColumns[k]);
        if (cents.isValid())
            placement.card.amounts.append({m_amountCodes[k], cents.toLongLong()});
    }
    return placement;
}

void PipelineBoardModel::addTotals(Stage &stage, const Card &card, int sign)
{
    for (const auto &[code, cents] : card.amounts) {
        stage.totals[code] += sign * cents;
        // A currency stays listed while some card contributes to it (even with a sum of 0).
        int &contributors = stage.contributors[code];
        contributors += sign;
        if (contributors <= 0) {
            stage.totals.remove(code);
            stage.contributors.remove(code);
        }
    }
}

// --- lookup --------------------------------------------------------------------------------

int PipelineBoardModel::stageRow(const QString &optionId) const
{
    if (optionId.isEmpty())
        return !m_stages.empty() && m_stages.back().id.isEmpty() ? stageCount() - 1 : -1;
    return m_stageByOption.value(optionId, -1);
}

QString PipelineBoardModel::stageId(int stageRow) const
{
    return stageRow >= 0 && stageRow < stageCount() ? m_stages[std::size_t(stageRow)].id
                                                    : QString();
}

QString PipelineBoardModel::stagePipeline(int stageRow) const
{
    return stageRow >= 0 && stageRow < stageCount() ? m_stages[std::size_t(stageRow)].pipelineId
                                                    : QString();
}

QString PipelineBoardModel::stageLabel(int stageRow) const
{
    return stageRow >= 0 && stageRow < stageCount() ? m_stages[std::size_t(stageRow)].label
                                                    : QString();
}

int PipelineBoardModel::cardCount(int stageRow) const
{
    return stageRow >= 0 && stageRow < stageCount()
        ? int(m_stages[std::size_t(stageRow)].cards.size())
        : 0;
}

CurrencyTotals PipelineBoardModel::totals(int stageRow) const
{
    return stageRow >= 0 && stageRow < stageCount() ? m_stages[std::size_t(stageRow)].totals
                                                    : CurrencyTotals();
}

QModelIndex PipelineBoardModel::indexForId(const QString &recordId) const
{
    const int s = m_stageOfCard.value(recordId, -1);
    if (s < 0)
        return {};
    const int position = findCard(s, recordId);
    return position < 0 ? QModelIndex() : createIndex(position, 0, quintptr(s) + 1);
}

quint32 PipelineBoardModel::stageColor(int stageRow) const
{
    return stageRow >= 0 && stageRow < stageCount() ? m_stages[std::size_t(stageRow)].color
                                                    : StageColors::noStageRgba();
}

/** Index in stage.cards before which a card at `proxyRow` goes (the cards are in proxy order). */
int PipelineBoardModel::positionFor(const Stage &stage, int proxyRow) const
{
    const auto it = std::lower_bound(stage.cards.begin(), stage.cards.end(), proxyRow,
        [this](const Card &card, int row) { return proxyRowOf(card.id) < row; });
    return int(it - stage.cards.begin());
}

int PipelineBoardModel::findCard(int stageRow, const QString &id) const
{
    const Stage &stage = m_stages[std::size_t(stageRow)];
    const int proxyRow = m_proxy ? proxyRowOf(id) : -1;
    if (proxyRow >= 0) {
        const int position = positionFor(stage, proxyRow);
        if (position < int(stage.cards.size()) && stage.cards[std::size_t(position)].id == id)
            return position;
    }
    // The order is out of step (the row already left the proxy): a linear scan of one stage.
    for (std::size_t i = 0; i < stage.cards.size(); ++i) {
        if (stage.cards[i].id == id)
            return int(i);
    }
    return -1;
}

// --- incremental updates -------------------------------------------------------------------

int PipelineBoardModel::ensureNoStage()
{
    const int existing = stageRow(QString());
    if (existing >= 0)
        return existing;
    const int row = stageCount();
    beginInsertRows({}, row, row);
    Stage noStage;
    noStage.label = tr("No stage");
    m_stages.push_back(std::move(noStage));
    endInsertRows();
    return row;
}

void PipelineBoardModel::dropEmptyNoStage()
{
    const int row = stageRow(QString());
    if (row < 0 || !m_stages.back().cards.empty())
        return;
    beginRemoveRows({}, row, row);
    m_stages.pop_back();
    endRemoveRows();
}

void PipelineBoardModel::emitStageChanged(int stageRow)
{
    const QModelIndex stage = index(stageRow, 0);
    Q_EMIT dataChanged(stage, stage, {CountRole, TotalsRole, Qt::AccessibleTextRole});
}

void PipelineBoardModel::insertCard(int stageRow, Card card, int proxyRow)
{
    Stage &stage = m_stages[std::size_t(stageRow)];
    const int position = positionFor(stage, proxyRow);
    beginInsertRows(index(stageRow, 0), position, position);
    addTotals(stage, card, +1);
    m_stageOfCard.insert(card.id, stageRow);
    stage.cards.insert(stage.cards.begin() + position, std::move(card));
    endInsertRows();
    emitStageChanged(stageRow);
}

void PipelineBoardModel::removeCard(int stageRow, int position)
{
    Stage &stage = m_stages[std::size_t(stageRow)];
    beginRemoveRows(index(stageRow, 0), position, position);
    const auto it = stage.cards.begin() + position;
    addTotals(stage, *it, -1);
    m_stageOfCard.remove(it->id);
    stage.cards.erase(it);
    endRemoveRows();
    emitStageChanged(stageRow);
}

void PipelineBoardModel::onAboutToBeReset()
{
    beginResetModel();
    m_stages.clear();
    m_stageByOption.clear();
    m_stageOfCard.clear();
}

void PipelineBoardModel::onModelReset()
{
    // The table's schema may have changed: new columns, renamed / added / removed options.
    resolveColumns();
    buildStages();
    fillAll();
    m_removingBatch = false;
    endResetModel();
}

void PipelineBoardModel::onRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid() || m_stageColumn < 0)
        return;
    if (last - first + 1 > kBatchRows) {
        regroup();
        return;
    }
    for (int r = first; r <= last; ++r) {
        Placement placement = place(r);
        if (placement.stage == -1)
            continue;
        const int s = placement.stage == kNoStage ? ensureNoStage() : placement.stage;
        insertCard(s, std::move(placement.card), r);
    }
}

void PipelineBoardModel::onRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid() || m_stageColumn < 0)
        return;
    if (last - first + 1 > kBatchRows) {
        m_removingBatch = true; // regrouped in onRowsRemoved, once the proxy has no such rows
        return;
    }
    for (int r = last; r >= first; --r) {
        const QString id = m_table->idAt(tableRowOf(r));
        const int s = m_stageOfCard.value(id, -1);
        if (s < 0)
            continue;
        const int position = findCard(s, id);
        if (position >= 0)
            removeCard(s, position);
    }
    dropEmptyNoStage();
}

void PipelineBoardModel::onRowsRemoved(const QModelIndex &parent, int, int)
{
    if (parent.isValid() || !m_removingBatch)
        return;
    m_removingBatch = false;
    regroup();
}

void PipelineBoardModel::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight)
{
    if (!topLeft.isValid() || topLeft.parent().isValid() || m_stageColumn < 0)
        return;
    const int first = topLeft.row();
    const int last = bottomRight.row();
    const bool many = last - first + 1 > kBatchRows;
    for (int r = first; r <= last; ++r) {
        Placement placement = place(r);
        const QString &id = placement.card.id;
        if (id.isEmpty())
            continue;
        const int from = m_stageOfCard.value(id, -1);
        if (from < 0) {
            if (placement.stage != -1) {
                const int s = placement.stage == kNoStage ? ensureNoStage() : placement.stage;
                insertCard(s, std::move(placement.card), r);
            }
            continue;
        }
        const int position = findCard(from, id);
        if (position < 0)
            continue;
        if (placement.stage == -1) {
            removeCard(from, position);
            dropEmptyNoStage();
            continue;
        }
        const bool toNoStage = placement.stage == kNoStage;
        const int to = toNoStage ? ensureNoStage() : placement.stage;
        Stage &source = m_stages[std::size_t(from)];
        if (to == from) {
            Card &card = source.cards[std::size_t(position)];
            if (card.amounts != placement.card.amounts) {
                addTotals(source, card, -1);
                card.amounts = std::move(placement.card.amounts);
                addTotals(source, card, +1);
                emitStageChanged(from);
            }
            if (!many) {
                const QModelIndex changed = index(position, 0, index(from, 0));
                Q_EMIT dataChanged(changed, changed);
            }
            continue;
        }
        // The deal changed stage: out of one stage, into the other, both re-totalled. A removal
        // plus an insertion rather than beginMoveRows(): item views re-lay out every column on
        // rowsMoved, but only the two affected columns on a removal / insertion.
        removeCard(from, position);
        insertCard(to, std::move(placement.card), r);
        dropEmptyNoStage();
    }
    if (many) {
        for (int s = 0; s < stageCount(); ++s) {
            const int n = cardCount(s);
            if (n > 0)
                Q_EMIT dataChanged(index(0, 0, index(s, 0)), index(n - 1, 0, index(s, 0)));
        }
    }
}

void PipelineBoardModel::onLayoutChanged()
{
    if (m_stageColumn >= 0)
        regroup();
}

/**
 * Re-groups every card in one layout change (after a search / filter / sort of the proxy or a
 * large batch); the stage rows stay, persistent card indexes follow their record id.
 */
void PipelineBoardModel::regroup()
{
    std::vector<Stage> stages;
    stages.reserve(m_stages.size());
    for (const Stage &old : m_stages) {
        if (old.id.isEmpty())
            continue;
        Stage stage;
        stage.id = old.id;
        stage.label = old.label;
        stage.pipelineId = old.pipelineId;
        stage.color = old.color;
        stages.push_back(std::move(stage));
    }
    std::swap(stages, m_stages); // fillAll() works on m_stages; `stages` keeps the old cards
    QHash<QString, int> oldStageOfCard;
    oldStageOfCard.swap(m_stageOfCard);
    fillAll();
    std::vector<Stage> fresh;
    std::swap(fresh, m_stages);
    std::swap(stages, m_stages);
    m_stageOfCard.swap(oldStageOfCard);
    // Now m_stages / m_stageOfCard are the old grouping, `fresh` / oldStageOfCard the new one.

    const bool hadNoStage = stageRow(QString()) >= 0;
    const bool needsNoStage = fresh.size() > m_stages.size() - (hadNoStage ? 1 : 0);
    if (needsNoStage && !hadNoStage)
        ensureNoStage();

    Q_EMIT layoutAboutToBeChanged();
    const QModelIndexList persistent = persistentIndexList();
    QStringList ids; // of the persistent card indexes (a selection, a current card: a few)
    ids.reserve(persistent.size());
    for (const QModelIndex &from : persistent) {
        ids.append(from.internalId() == kStageId
                ? QString()
                : m_stages[std::size_t(from.internalId() - 1)].cards[std::size_t(from.row())].id);
    }
    if (hadNoStage && !needsNoStage) {
        Stage empty;
        empty.label = tr("No stage");
        fresh.push_back(std::move(empty)); // removed just below, after the layout change
    }
    m_stages = std::move(fresh);
    m_stageOfCard = std::move(oldStageOfCard);
    QModelIndexList to;
    to.reserve(persistent.size());
    for (qsizetype i = 0; i < persistent.size(); ++i)
        to.append(ids.at(i).isEmpty() ? persistent.at(i) : indexForId(ids.at(i)));
    changePersistentIndexList(persistent, to);
    Q_EMIT layoutChanged();
    dropEmptyNoStage();
    for (int s = 0; s < stageCount(); ++s)
        emitStageChanged(s);
}

// --- QAbstractItemModel --------------------------------------------------------------------

QModelIndex PipelineBoardModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column != 0 || row < 0)
        return {};
    if (!parent.isValid())
        return row < stageCount() ? createIndex(row, 0, kStageId) : QModelIndex();
    if (parent.internalId() != kStageId || parent.row() >= stageCount())
        return {};
    return row < cardCount(parent.row()) ? createIndex(row, 0, quintptr(parent.row()) + 1)
                                         : QModelIndex();
}

QModelIndex PipelineBoardModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kStageId)
        return {};
    return createIndex(int(child.internalId() - 1), 0, kStageId);
}

int PipelineBoardModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return stageCount();
    if (parent.column() != 0 || parent.internalId() != kStageId)
        return 0;
    return cardCount(parent.row());
}

int PipelineBoardModel::columnCount(const QModelIndex &parent) const
{
    return !parent.isValid() || parent.internalId() == kStageId ? 1 : 0;
}

bool PipelineBoardModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

Qt::ItemFlags PipelineBoardModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return Qt::NoItemFlags;
    if (index.internalId() == kStageId)
        return Qt::ItemIsEnabled | Qt::ItemIsDropEnabled;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled
        | Qt::ItemNeverHasChildren;
}

QVariant PipelineBoardModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == kStageId) {
        const Stage &stage = m_stages[std::size_t(index.row())];
        switch (role) {
        case Qt::DisplayRole:
            return stage.label;
        case Qt::AccessibleTextRole:
            return tr("%1, %n deal(s)", nullptr, int(stage.cards.size())).arg(stage.label);
        case StageIdRole:
            return stage.id;
        case IsStageRole:
            return true;
        case CountRole:
            return int(stage.cards.size());
        case TotalsRole:
            return QVariant::fromValue(stage.totals);
        case StageColorRole:
            return stage.color;
        default:
            return {};
        }
    }
    const auto s = std::size_t(index.internalId() - 1);
    const Stage &stage = m_stages[s];
    const Card &card = stage.cards[std::size_t(index.row())];
    switch (role) {
    case IdRole:
        return card.id;
    case StageIdRole:
        return stage.id;
    case IsStageRole:
        return false;
    case StageColorRole:
        return stage.color;
    default:
        break;
    }
    if (!m_table)
        return {};
    const OpportunityTableModel &t = *m_table;
    const int row = t.rowForId(card.id);
    if (row < 0)
        return {};
    const auto cell = [&](int column, int cellRole) {
        return column < 0 ? QVariant() : t.data(t.index(row, column), cellRole);
    };
    const auto amountColumn = [&]() {
        for (const int column : m_amountColumns) {
            if (!cell(column, OpportunityRoles::RawValueRole).value<FieldValue>().isNull())
                return column;
        }
        return m_amountColumns.empty() ? -1 : m_amountColumns.front();
    };
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return cell(m_nameColumn, Qt::DisplayRole);
    case AccountRole:
        return cell(m_accountColumn, Qt::DisplayRole);
    case OwnerRole:
        return cell(m_ownerColumn, Qt::DisplayRole);
    case AmountRole:
        return cell(amountColumn(), OpportunityRoles::RawValueRole);
    case AmountTextRole:
        return cell(amountColumn(), Qt::DisplayRole);
    case CloseDateRole:
        return cell(m_closeColumn, OpportunityRoles::RawValueRole).value<FieldValue>().toDateTime();
    case CloseDateTextRole:
        return cell(m_closeColumn, Qt::DisplayRole);
    case SyncStateRole:
    case PendingRole:
    case ConflictRole:
        return t.data(t.index(row, 0), role);
    case Qt::ToolTipRole: {
        const auto state = OpportunityRoles::SyncState(t.syncStateAt(row));
        QString text;
        switch (state) {
        case OpportunityRoles::SyncState::Synced:
            return {};
        case OpportunityRoles::SyncState::Pending:
            text = tr("Changes wait to be sent");
            break;
        case OpportunityRoles::SyncState::Failed:
            text = tr("The server rejected a change");
            break;
        case OpportunityRoles::SyncState::Conflict:
            text = tr("A change is in conflict with a colleague's edit");
            break;
        }
        const QString detail = m_statusText ? m_statusText(card.id) : QString();
        return detail.isEmpty() ? text : tr("%1: %2").arg(text, detail);
    }
    case Qt::AccessibleTextRole: {
        QStringList parts {cell(m_nameColumn, Qt::DisplayRole).toString()};
        for (const QVariant &part : {cell(m_accountColumn, Qt::DisplayRole),
                 cell(amountColumn(), Qt::DisplayRole), cell(m_closeColumn, Qt::DisplayRole)}) {
            if (!part.toString().isEmpty())
                parts.append(part.toString());
        }
        const auto state = OpportunityRoles::SyncState(t.syncStateAt(row));
        if (state == OpportunityRoles::SyncState::Pending)
            parts.append(tr("not sent yet"));
        else if (state == OpportunityRoles::SyncState::Failed)
            parts.append(tr("rejected by the server"));
        else if (state == OpportunityRoles::SyncState::Conflict)
            parts.append(tr("in conflict"));
        return parts.join(QStringLiteral(", "));
    }
    default:
        return {};
    }
}

QHash<int, QByteArray> PipelineBoardModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(IdRole, "recordId");
    names.insert(SyncStateRole, "syncState");
    names.insert(PendingRole, "pending");
    names.insert(ConflictRole, "conflict");
    names.insert(StageIdRole, "stageId");
    names.insert(IsStageRole, "isStage");
    names.insert(CountRole, "count");
    names.insert(TotalsRole, "totals");
    names.insert(StageColorRole, "stageColor");
    names.insert(NameRole, "name");
    names.insert(AccountRole, "account");
    names.insert(OwnerRole, "owner");
    names.insert(AmountRole, "amount");
    names.insert(AmountTextRole, "amountText");
    names.insert(CloseDateRole, "closeDate");
    names.insert(CloseDateTextRole, "closeDateText");
    return names;
}

QStringList PipelineBoardModel::mimeTypes() const
{
    return {QString::fromLatin1(kMimeType)};
}

QMimeData *PipelineBoardModel::mimeData(const QModelIndexList &indexes) const
{
    QStringList ids;
    for (const QModelIndex &index : indexes) {
        if (index.isValid() && checkIndex(index) && index.internalId() != kStageId)
            ids.append(data(index, IdRole).toString());
    }
    if (ids.isEmpty())
        return nullptr;
    auto *mime = new QMimeData;
    mime->setData(QString::fromLatin1(kMimeType), ids.join(QLatin1Char('\n')).toUtf8());
    return mime;
}

QStringList PipelineBoardModel::idsFromMimeData(const QMimeData *data)
{
    if (!data || !data->hasFormat(QString::fromLatin1(kMimeType)))
        return {};
    return QString::fromUtf8(data->data(QString::fromLatin1(kMimeType)))
        .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}
