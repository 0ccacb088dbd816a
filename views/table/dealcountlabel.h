#pragma once

#include <QLabel>
#include <QPointer>

class QAbstractItemModel;

/**
 * The deal count in the status bar: "60 deals", or "12 of 60 deals" while a quick search or a
 * column filter narrows the table (as a spreadsheet's "12 of 60 records found"). Follows the
 * table's model — an OpportunitySortFilterProxyModel and its source, or any model (then only
 * its row count) — through searches, filters, view changes and syncs.
 */
class DealCountLabel final : public QLabel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DealCountLabel)

public:
    explicit DealCountLabel(QWidget *parent = nullptr);
    ~DealCountLabel() override;

    /// The table's model (not owned); nullptr shows nothing.
    void setModel(QAbstractItemModel *model);
    /// The text for `shown` of `total` deals; `narrowed` when a search or filter is on.
    static QString countText(int shown, int total, bool narrowed);

private:
    void refresh();
    void watch(QAbstractItemModel *model);

    QPointer<QAbstractItemModel> m_model;
    QPointer<QAbstractItemModel> m_source;
};
