#include "table/dealcountlabel.h"

#include "itemmodels/opportunitysortfilterproxymodel.h"

#include <QLocale>

DealCountLabel::DealCountLabel(QWidget *parent)
    : QLabel(parent)
{
    setObjectName(QStringLiteral("dealCount"));
    setAccessibleName(tr("Number of deals shown"));
}

DealCountLabel::~DealCountLabel() = default;

void DealCountLabel::watch(QAbstractItemModel *model)
{
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved}) {
        connect(model, signal, this, &DealCountLabel::refresh);
    }
    connect(model, &QAbstractItemModel::modelReset, this, &DealCountLabel::refresh);
    connect(model, &QAbstractItemModel::layoutChanged, this, &DealCountLabel::refresh);
}

void DealCountLabel::setModel(QAbstractItemModel *model)
{
    for (QAbstractItemModel *old : {m_model.data(), m_source.data()}) {
        if (old)
            disconnect(old, nullptr, this, nullptr);
    }
    m_model = model;
    m_source = nullptr;
    if (model) {
        watch(model);
        if (auto *proxy = qobject_cast<OpportunitySortFilterProxyModel *>(model)) {
            connect(proxy, &OpportunitySortFilterProxyModel::searchTextChanged, this,
                &DealCountLabel::refresh);
            connect(proxy, &OpportunitySortFilterProxyModel::columnFiltersChanged, this,
                &DealCountLabel::refresh);
            connect(proxy, &QAbstractProxyModel::sourceModelChanged, this,
                [this] { setModel(m_model); });
            m_source = proxy->sourceModel();
            if (m_source)
                watch(m_source);
        }
    }
    refresh();
}

QString DealCountLabel::countText(int shown, int total, bool narrowed)
{
    const QLocale locale;
    if (narrowed)
        return tr("%1 of %2 deals").arg(locale.toString(shown), locale.toString(total));
    return total == 1 ? tr("1 deal") : tr("%1 deals").arg(locale.toString(total));
}

void DealCountLabel::refresh()
{
    if (!m_model) {
        clear();
        return;
    }
    const int shown = m_model->rowCount();
    int total = shown;
    bool narrowed = false;
    if (const auto *proxy = qobject_cast<const OpportunitySortFilterProxyModel *>(m_model.data());
        proxy && m_source) {
        total = m_source->rowCount();
        narrowed = !proxy->searchText().trimmed().isEmpty() || !proxy->columnFilters().isEmpty();
    }
    setText(countText(shown, total, narrowed));
}
