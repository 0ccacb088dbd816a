#pragma once

#include "domain/fieldvalue.h"
#include "itemmodels/opportunityroles.h"
#include "itemmodels/stagecolors.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QMap>
#include <QMimeData>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QVarLengthArray>

#include <functional>
#include <vector>

class OpportunitySortFilterProxyModel;
class OpportunityTableModel;

/** Per-currency sums of a stage: ISO 4217 code → hundredths of the major unit. Never mixed. */
using CurrencyTotals = QMap<QString, qint64>;

/**
 * The pipeline board: the deals of the table grouped by stage.
 * No widgets; views/board/PipelineBoardView draws it.
 *
 * **Source.** An OpportunitySortFilterProxyModel over the OpportunityTableModel — the same rows,
 * quick search, column filters and order as the table. The board holds no copy of the deals'
 * values: a card is the record id plus its cached amounts; everything else is read from the
 * table's prepared cells when asked.
 *
 * **Tree.** Top level: one row per stage, the `$stage` options in the definition's order
 * (options of another pipeline left out when setPipeline() is set), then a "No stage" row only
 * while some shown deal has no stage or an unknown option id. Children: the stage's deals in
 * the proxy's order. One column.
 *
 * **Pipelines.** A deal's pipeline is its stage option's (SelectOption::pipelineId, from the
 * definitions): records need not carry `$pipeline`, and the API does not store it. With every
 * pipeline shown, a label that repeats across pipelines is shown with its pipeline
 * ("Renewals / Won"). A deal whose stage names no pipeline (none, an unknown or a shared
 * option) uses the record's own `$pipeline` when it has one, and else shows in every pipeline.
 *
 * **Totals** per stage: the number of cards and, per currency, the sum of the amount fields
 * (amountFieldKeys(); the first CURRENCY field by default). The API carries the currency in the
 * field definition, so each amount field contributes to its own code and two currencies are
 * never added together.
 *
 * **Updates are incremental.** Proxy rowsInserted / rowsAboutToBeRemoved / dataChanged move,
 * insert and remove single cards (a stage change removes the card from one stage and inserts
 * it in the other: O(log n) to find the spots plus O(size of the two stages) to shift, and only
 * those two stages are re-totalled).
 * A proxy layout change (search, filter, sort) or a batch of more than 256 rows re-groups every
 * card in one layoutChanged, keeping persistent indexes by record id. A reset of the proxy
 * (schema change, reload) rebuilds the stages in one model reset.
 *
 * GUI thread only. Not copyable.
 */
class PipelineBoardModel final : public QAbstractItemModel
{
    Q_OBJECT

public:
    /** Roles; stage rows and card rows answer different ones (see each). */
    enum Role
    {
        IdRole = OpportunityRoles::IdRole, ///< card: QString record id
        SyncStateRole = OpportunityRoles::SyncStateRole, ///< card: int OpportunityRoles::SyncState
        PendingRole = OpportunityRoles::PendingRole, ///< card: bool, edits wait in the outbox
        ConflictRole = OpportunityRoles::ConflictRole, ///< card: bool, an edit is in conflict
        StageIdRole = Qt::UserRole + 64, ///< both: QString option id ("" for No stage)
        IsStageRole, ///< both: bool, true for a stage row
        CountRole, ///< stage: int number of cards
        TotalsRole, ///< stage: CurrencyTotals
        StageColorRole, ///< both: uint 0xAARRGGBB, StageColors::rgbaAt(option position)
        NameRole, ///< card: QString deal name (also Qt::DisplayRole)
        AccountRole, ///< card: QString account name(s)
        OwnerRole, ///< card: QString owner name
        AmountRole, ///< card: FieldValue, the first non-null amount field (CURRENCY)
        AmountTextRole, ///< card: QString, that amount as the table shows it
        CloseDateRole, ///< card: QDateTime (UTC) of the close-date field
        CloseDateTextRole, ///< card: QString, that date as the table shows it
    };

    explicit PipelineBoardModel(QObject *parent = nullptr);
    ~PipelineBoardModel() override;

    /** Shows the rows of `proxy` (whose source is an OpportunityTableModel); nullptr clears. */
    void setSourceModel(OpportunitySortFilterProxyModel *proxy);
    OpportunitySortFilterProxyModel *sourceModel() const;

    /**
     * The CURRENCY fields whose amounts are totalled, in priority order (the card shows the
     * first non-null one). Empty (the default) means the schema's first CURRENCY field.
     */
    void setAmountFieldKeys(const QStringList &keys);
    QStringList amountFieldKeys() const { return m_amountKeys; }

    /** Key of the pipeline field ("$pipeline") when the schema has one, else empty. */
    QString pipelineFieldKey() const { return m_pipelineKey; }
    /**
     * Shows only the stages and deals of this pipeline (`pd_…`; see Pipelines above). Empty
     * shows every deal. Ignored while the schema has no pipelines (ObjectSchema::pipelines()).
     */
    void setPipeline(const QString &optionId);
    QString pipeline() const { return m_pipeline; }

    /**
     * Text shown as a card's tooltip while it is not Synced (e.g. the outbox row's last error
     * for a parked edit). The app passes a lookup over the outbox; empty by default.
     */
    void setStatusTextProvider(std::function<QString(const QString &recordId)> provider);

    // --- lookup ---

    /** Number of stage rows (including No stage when shown). */
    int stageCount() const { return int(m_stages.size()); }
    /** Row of the stage with this option id ("" = No stage), or -1. */
    int stageRow(const QString &optionId) const;
    QString stageId(int stageRow) const;
    QString stageLabel(int stageRow) const;
    /** The pipeline of the stage row's option; empty for No stage and shared stages. */
    QString stagePipeline(int stageRow) const;
    int cardCount(int stageRow) const;
    CurrencyTotals totals(int stageRow) const;
    /** Index of the card of `recordId`, or an invalid index when it is not shown. */
    QModelIndex indexForId(const QString &recordId) const;
    /** StageColors::rgbaAt() of the stage's position among all `$stage` options. */
    quint32 stageColor(int stageRow) const;

    // --- QAbstractItemModel ---

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;
    Qt::DropActions supportedDragActions() const override { return Qt::MoveAction; }
    Qt::DropActions supportedDropActions() const override { return Qt::MoveAction; }
    /** kMimeType: the record ids of the dragged cards, one per line (UTF-8). */
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    /** The record ids a drag of this board carries, or empty. */
    static QStringList idsFromMimeData(const QMimeData *data);
    static constexpr const char *kMimeType = "application/x-lightfield-deal-ids";

private:
    struct Card
    {
        QString id;
        QVarLengthArray<std::pair<QString, qint64>, 2> amounts; ///< (code, cents), non-null ones
    };
    struct Stage
    {
        QString id; ///< option id; empty for No stage
        QString label;
        QString pipelineId; ///< the option's pipeline, or empty
        /// StageColors::rgbaAt() of the option's definition position; grey for No stage
        quint32 color = StageColors::noStageRgba();
        std::vector<Card> cards;
        CurrencyTotals totals;
        QMap<QString, int> contributors; ///< code → cards with an amount in that code
    };
    /** Where a proxy row belongs: its stage row (-1: left out by the pipeline) and amounts. */
    struct Placement
    {
        int stage = -1;
        Card card;
    };

    void connectProxy();
    void resolveColumns();
    void buildStages();
    void fillAll();
    Placement place(int proxyRow) const;
    int tableRowOf(int proxyRow) const;
    int proxyRowOf(const QString &id) const;
    int positionFor(const Stage &stage, int proxyRow) const;
    int findCard(int stageRow, const QString &id) const;
    int ensureNoStage();
    void dropEmptyNoStage();
    void addTotals(Stage &stage, const Card &card, int sign);
    void emitStageChanged(int stageRow);
    void insertCard(int stageRow, Card card, int proxyRow);
    void removeCard(int stageRow, int position);
    void regroup();

    void onAboutToBeReset();
    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void onRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last);
    void onRowsRemoved(const QModelIndex &parent, int first, int last);
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight);
    void onLayoutChanged();
    void onModelReset();

    QPointer<OpportunitySortFilterProxyModel> m_proxy;
    QPointer<OpportunityTableModel> m_table;
    QList<QMetaObject::Connection> m_connections;
    QStringList m_amountKeys;
    QString m_pipeline;
    QString m_pipelineKey;
    std::function<QString(const QString &)> m_statusText;

    // Table columns, resolved on every reset of the source.
    int m_stageColumn = -1;
    int m_nameColumn = -1;
    int m_accountColumn = -1;
    int m_ownerColumn = -1;
    int m_closeColumn = -1;
    int m_pipelineColumn = -1;
    std::vector<int> m_amountColumns;
    std::vector<QString> m_amountCodes; ///< currency of each amount column
    std::vector<int> m_stageByPosition; ///< `$stage` option position → stage row, or -1
    std::vector<QString> m_pipelineOfPosition; ///< `$stage` option position → its pipeline
    std::vector<QString> m_recordPipelines; ///< `$pipeline` option position → its id
    bool m_byPipeline = false; ///< pipeline() is set and the schema has pipelines

    std::vector<Stage> m_stages;
    QHash<QString, int> m_stageByOption; ///< option id → stage row (real stages only)
    QHash<QString, int> m_stageOfCard; ///< record id → stage row
    bool m_removingBatch = false; ///< a large removal: regroup once the rows are gone

    Q_DISABLE_COPY_MOVE(PipelineBoardModel)
};
