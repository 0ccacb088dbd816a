#include "board/dealcharts.h"

#include "domain/fielddefinition.h"
#include "domain/fieldvalue.h"
#include "domain/moneytext.h"
#include "itemmodels/opportunityroles.h"
#include "itemmodels/opportunitytablemodel.h"
#include "itemmodels/stagecolors.h"
#include "itemmodels/tablelookup.h"

#include <QAbstractItemModel>
#include <QAction>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QBuffer>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QFileDialog>
#include <QLocale>
#include <QMap>
#include <QMessageBox>
#include <QPainter>
#include <QPixmap>
#include <QSaveFile>
#include <QStackedBarSeries>
#include <QTimeZone>
#include <QToolBar>
#include <QVBoxLayout>

#ifdef LIGHTFIELD_HAVE_PRINTSUPPORT
#include <QPrintDialog>
#include <QPrinter>
#endif

#include <algorithm>
#include <cmath>

namespace {

constexpr int kCoalesceMs = 100;
/// Beyond this many months between the first and last close date, only months with deals.
constexpr int kContiguousMonths = 36;

/// The month a close date counts in: midnight UTC is a date (its UTC day), else local time.
QDate monthOf(const QDateTime &at)
{
    const QDateTime utc = at.toUTC();
    const QDate day = utc.time() == QTime(0, 0) ? utc.date() : at.toLocalTime().date();
    return QDate(day.year(), day.month(), 1);
}

int monthsBetween(const QDate &first, const QDate &last)
{
    return (last.year() - first.year()) * 12 + last.month() - first.month();
}

void clearChart(QChart *chart)
{
    chart->removeAllSeries();
    const QList<QAbstractAxis *> axes = chart->axes();
    for (QAbstractAxis *axis : axes) {
        chart->removeAxis(axis);
        delete axis;
    }
}

} // namespace

DealCharts::DealCharts(QWidget *parent)
    : QWidget(parent)
    , m_valueChart(new QChart)
    , m_closeChart(new QChart)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto *toolBar = new QToolBar(this);
    m_saveAction = toolBar->addAction(tr("Save Charts as &Image…"), this, &DealCharts::saveImage);
    m_saveAction->setObjectName(QStringLiteral("saveChartsImage"));
    m_printAction = toolBar->addAction(tr("&Print Charts…"), this, &DealCharts::print);
    m_printAction->setObjectName(QStringLiteral("printCharts"));
    m_printAction->setVisible(printingAvailable());
    layout->addWidget(toolBar);

    m_charts = new QWidget(this);
    auto *chartsLayout = new QVBoxLayout(m_charts);
    chartsLayout->setContentsMargins(0, 0, 0, 0);
    m_valueChart->setTitle(tr("Value by stage"));
    m_closeChart->setTitle(tr("Deals by expected close month"));
    for (QChart *chart : {m_valueChart, m_closeChart}) {
        chart->legend()->setAlignment(Qt::AlignBottom);
        chart->setAnimationOptions(QChart::NoAnimation);
    }
    // The views own their charts.
    m_valueView = new QChartView(m_valueChart, m_charts);
    m_valueView->setObjectName(QStringLiteral("valueByStageChart"));
    m_closeView = new QChartView(m_closeChart, m_charts);
    m_closeView->setObjectName(QStringLiteral("closeMonthChart"));
    for (QChartView *view : {m_valueView, m_closeView}) {
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumHeight(220);
        chartsLayout->addWidget(view);
    }
    layout->addWidget(m_charts, 1);

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(kCoalesceMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] {
        if (isVisible())
            refreshNow();
        else
            m_dirty = true;
    });
    refreshNow();
}

DealCharts::~DealCharts() = default;

void DealCharts::setModel(QAbstractItemModel *model)
{
    for (const QMetaObject::Connection &connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    m_model = model;
    if (model) {
        const auto schedule = [this] { scheduleRefresh(); };
        m_connections << connect(model, &QAbstractItemModel::dataChanged, this, schedule)
                      << connect(model, &QAbstractItemModel::rowsInserted, this, schedule)
                      << connect(model, &QAbstractItemModel::rowsRemoved, this, schedule)
                      << connect(model, &QAbstractItemModel::rowsMoved, this, schedule)
                      << connect(model, &QAbstractItemModel::columnsInserted, this, schedule)
                      << connect(model, &QAbstractItemModel::columnsRemoved, this, schedule)
                      << connect(model, &QAbstractItemModel::layoutChanged, this, schedule)
                      << connect(model, &QAbstractItemModel::modelReset, this, schedule);
    }
    scheduleRefresh();
}

void DealCharts::setValueFieldKeys(const QStringList &keys)
{
    m_valueFieldKeys = keys;
    scheduleRefresh();
}

void DealCharts::setCloseDateFieldKey(const QString &key)
{
    m_closeDateFieldKey = key;
    scheduleRefresh();
}

QStringList DealCharts::valueFieldKeys() const
{
    const OpportunityTableModel *table = TableLookup::tableUnder(m_model);
    if (!table)
        return {};
    QStringList keys;
    if (!m_valueFieldKeys.isEmpty()) {
        for (const QString &key : m_valueFieldKeys) {
            if (columnOf(key) >= 0)
                keys << key;
        }
        return keys;
    }
    for (const FieldDefinition &field : table->schema().fields()) {
        if (field.type() == FieldType::Currency && columnOf(field.key()) >= 0)
            return {field.key()};
    }
    return {};
}

QString DealCharts::closeDateFieldKey() const
{
    const OpportunityTableModel *table = TableLookup::tableUnder(m_model);
    if (!table)
        return {};
    const auto isDate = [table](const QString &key) {
        const FieldDefinition *field = table->schema().field(key);
        return field && field->type() == FieldType::DateTime;
    };
    if (!m_closeDateFieldKey.isEmpty())
        return isDate(m_closeDateFieldKey) && columnOf(m_closeDateFieldKey) >= 0
            ? m_closeDateFieldKey
            : QString();
    const QString preferred = QStringLiteral("closeDate");
    if (isDate(preferred) && columnOf(preferred) >= 0)
        return preferred;
    for (const FieldDefinition &field : table->schema().fields()) {
        if (field.type() == FieldType::DateTime && field.isWritable()
            && field.label().contains(QLatin1String("close"), Qt::CaseInsensitive)
            && columnOf(field.key()) >= 0)
            return field.key();
    }
    return {};
}

int DealCharts::columnOf(const QString &key) const
{
    if (!m_model)
        return -1;
    for (int column = 0; column < m_model->columnCount(); ++column) {
        if (m_model->headerData(column, Qt::Horizontal, OpportunityRoles::ColumnKeyRole).toString()
            == key)
            return column;
    }
    return -1;
}

void DealCharts::scheduleRefresh()
{
    if (!m_refreshTimer.isActive())
        m_refreshTimer.start();
}

void DealCharts::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        refreshNow();
}

DealCharts::Summary DealCharts::compute() const
{
    Summary summary;
    const OpportunityTableModel *table = TableLookup::tableUnder(m_model);
    if (!m_model || !table)
        return summary;
    const ObjectSchema &schema = table->schema();

    const int stageColumn = columnOf(QStringLiteral("$stage"));
    const FieldDefinition *stageField = schema.field(QStringLiteral("$stage"));
    QHash<QString, int> stageIndex;
    const auto addStage = [&](const QString &id, const QString &label, int colorPosition) {
        stageIndex.insert(id, int(summary.stageIds.size()));
        summary.stageIds << id;
        summary.stageLabels << label;
        summary.stageColorPositions << colorPosition;
    };
    if (stageField) {
        const QList<SelectOption> options = stageField->options();
        for (qsizetype i = 0; i < options.size(); ++i)
            addStage(options.at(i).id, options.at(i).label, int(i));
    }

    struct ValueColumn
    {
        int column = -1;
        FieldDefinition field;
    };
    QList<ValueColumn> valueColumns;
    for (const QString &key : valueFieldKeys()) {
        const FieldDefinition *field = schema.field(key);
        if (field && (field->type() == FieldType::Currency || field->type() == FieldType::Number))
            valueColumns.append({columnOf(key), *field});
    }
    const int closeColumn = columnOf(closeDateFieldKey());

    // Per stage index, per currency: hundredths. Per month: deals, also per stage id.
    QHash<QString, QHash<int, qint64>> cents;
    QMap<QDate, int> perMonth;
    QHash<QString, QMap<QDate, int>> perStageMonth;
    int withoutDate = 0;

    const int rows = m_model->rowCount();
    summary.deals = rows;
    for (int row = 0; row < rows; ++row) {
        QString stageId;
        if (stageColumn >= 0) {
            const FieldValue stage = m_model->index(row, stageColumn)
                                         .data(OpportunityRoles::RawValueRole)
                                         .value<FieldValue>();
            if (!stage.isNull() && !stage.isRaw())
                stageId = stage.toText();
        }
        if (!stageIndex.contains(stageId)) {
            addStage(stageId,
                stageId.isEmpty() ? tr("No stage")
                                  : (stageField ? stageField->optionLabel(stageId) : stageId),
                -1);
        }
        const int stage = stageIndex.value(stageId);

        for (const ValueColumn &value : std::as_const(valueColumns)) {
            const FieldValue amount = m_model->index(row, value.column)
                                          .data(OpportunityRoles::RawValueRole)
                                          .value<FieldValue>();
            if (amount.isNull() || amount.isRaw())
                continue;
            QString currency;
            qint64 hundredths = 0;
            if (amount.type() == FieldType::Currency) {
                currency = amount.currencyCode().isEmpty() ? value.field.currency()
                                                           : amount.currencyCode();
                hundredths = amount.toCents();
            } else if (amount.type() == FieldType::Number) {
                currency = value.field.label();
                hundredths = std::llround(amount.toDouble() * 100.0);
                if (!summary.numberSets.contains(currency))
                    summary.numberSets << currency;
            } else {
                continue;
            }
            if (!summary.currencies.contains(currency))
                summary.currencies << currency;
            cents[currency][stage] += hundredths;
        }

        QDate month;
        if (closeColumn >= 0) {
            const FieldValue close = m_model->index(row, closeColumn)
                                         .data(OpportunityRoles::RawValueRole)
                                         .value<FieldValue>();
            if (!close.isNull() && !close.isRaw() && close.type() == FieldType::DateTime)
                month = monthOf(close.toDateTime());
        }
        if (month.isValid())
            ++perMonth[month];
        else
            ++withoutDate;
        ++perStageMonth[stageId][month];
    }

    for (const QString &currency : std::as_const(summary.currencies)) {
        QList<qint64> values(summary.stageIds.size(), 0);
        const QHash<int, qint64> &byStage = cents[currency];
        for (auto it = byStage.begin(); it != byStage.end(); ++it)
            values[it.key()] = it.value();
        summary.valueCents.insert(currency, values);
    }

    if (!perMonth.isEmpty()) {
        const QDate first = perMonth.firstKey();
        const QDate last = perMonth.lastKey();
        if (monthsBetween(first, last) <= kContiguousMonths) {
            for (QDate month = first; month <= last; month = month.addMonths(1))
                summary.months << month;
        } else {
            summary.months = perMonth.keys();
        }
    }
    if (withoutDate > 0 || (rows > 0 && closeColumn < 0))
        summary.months << QDate();
    const QLocale locale;
    for (const QDate &month : std::as_const(summary.months)) {
        summary.monthLabels << (month.isValid() ? locale.toString(month, QStringLiteral("MMM yy"))
                                                : tr("No close date"));
        summary.dealsPerMonth << (month.isValid() ? perMonth.value(month) : withoutDate);
    }
    for (const QString &stageId : std::as_const(summary.stageIds)) {
        const auto it = perStageMonth.constFind(stageId);
        if (it == perStageMonth.constEnd())
            continue;
        QList<int> counts;
        counts.reserve(summary.months.size());
        for (const QDate &month : std::as_const(summary.months))
            counts << it->value(month);
        summary.stageDealsPerMonth.insert(stageId, counts);
    }
    return summary;
}

void DealCharts::refreshNow()
{
    m_refreshTimer.stop();
    m_dirty = false;
    m_summary = compute();
    rebuildValueChart();
    rebuildCloseChart();
    Q_EMIT refreshed();
}

void DealCharts::rebuildValueChart()
{
    clearChart(m_valueChart);
    if (m_summary.currencies.isEmpty()) {
        m_valueChart->setTitle(m_summary.deals == 0 ? tr("Value by stage — no deals in this view")
                                                    : tr("Value by stage — no amounts"));
        return;
    }
    m_valueChart->setTitle(tr("Value by stage"));
    auto *series = new QBarSeries;
    for (const QString &currency : std::as_const(m_summary.currencies)) {
        auto *set = new QBarSet(currency);
        const QList<qint64> values = m_summary.valueCents.value(currency);
        for (const qint64 cents : values)
            set->append(double(cents) / 100.0);
        series->append(set);
    }
    m_valueChart->addSeries(series);
    auto *stages = new QBarCategoryAxis;
    stages->append(m_summary.stageLabels);
    m_valueChart->addAxis(stages, Qt::AlignBottom);
    series->attachAxis(stages);
    double most = 0;
    for (const QList<qint64> &values : std::as_const(m_summary.valueCents)) {
        for (const qint64 cents : values)
            most = std::max(most, double(cents) / 100.0);
    }
    // One currency: its amounts as the table shows them ("$15,000,000"); several: plain numbers
    // (each set names its currency in the legend).
    const QString code = m_summary.currencies.size() == 1
            && !m_summary.numberSets.contains(m_summary.currencies.first())
        ? m_summary.currencies.first()
        : QString();
    QCategoryAxis *amounts = valueAxis(axisTicks(most, false), code, QLocale());
    m_valueChart->addAxis(amounts, Qt::AlignLeft);
    series->attachAxis(amounts);
}

void DealCharts::rebuildCloseChart()
{
    clearChart(m_closeChart);
    if (m_summary.deals == 0) {
        m_closeChart->setTitle(tr("Deals by expected close month — no deals in this view"));
        return;
    }
    m_closeChart->setTitle(tr("Deals by expected close month"));
    auto *series = new QStackedBarSeries;
    for (qsizetype i = 0; i < m_summary.stageIds.size(); ++i) {
        const QString &stageId = m_summary.stageIds.at(i);
        const auto it = m_summary.stageDealsPerMonth.constFind(stageId);
        if (it == m_summary.stageDealsPerMonth.constEnd())
            continue;
        auto *set = new QBarSet(m_summary.stageLabels.at(i));
        set->setColor(QColor::fromRgba(StageColors::rgbaAt(m_summary.stageColorPositions.at(i))));
        for (const int count : *it)
            set->append(count);
        series->append(set);
    }
    m_closeChart->addSeries(series);
    auto *months = new QBarCategoryAxis;
    months->append(m_summary.monthLabels);
    // A year or more of months does not fit side by side: turn the labels, never elide them.
    if (m_summary.monthLabels.size() > 8)
        months->setLabelsAngle(-90);
    m_closeChart->addAxis(months, Qt::AlignBottom);
    series->attachAxis(months);
    const int most = m_summary.dealsPerMonth.isEmpty()
        ? 1
        : *std::max_element(m_summary.dealsPerMonth.cbegin(), m_summary.dealsPerMonth.cend());
    QCategoryAxis *counts = valueAxis(axisTicks(most, true), QString(), QLocale());
    m_closeChart->addAxis(counts, Qt::AlignLeft);
    series->attachAxis(counts);
}

QList<double> DealCharts::axisTicks(double maximum, bool whole)
{
    // Five or so steps of 1, 2, 2.5 or 5 times a power of ten (whole counts skip 2.5), from 0
    // to the first step at or above the maximum, as a spreadsheet chart's automatic axis.
    constexpr int kSteps = 5;
    const double top = maximum > 0 ? maximum : 1.0;
    const double raw = top / kSteps;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = 10.0 * magnitude;
    for (const double factor : {1.0, 2.0, 2.5, 5.0}) {
        if ((whole && factor == 2.5) || factor * magnitude < raw * (1.0 - 1e-9))
            continue;
        step = factor * magnitude;
        break;
    }
    if (whole)
        step = std::max(1.0, std::round(step));
    const int steps = std::max(1, int(std::ceil(top / step - 1e-9)));
    QList<double> ticks;
    ticks.reserve(steps + 1);
    for (int i = 0; i <= steps; ++i)
        ticks << i * step;
    return ticks;
}

QString DealCharts::axisLabel(double value, const QString &currencyCode, const QLocale &locale)
{
    return MoneyText::format(locale, std::llround(value * 100.0), currencyCode);
}

QCategoryAxis *DealCharts::valueAxis(
    const QList<double> &ticks, const QString &currencyCode, const QLocale &locale)
{
    // QValueAxis formats its labels with printf ("15000000"): a category axis with a label on
    // each tick value shows them in the locale's own digits, separators and currency.
    auto *axis = new QCategoryAxis;
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    axis->setRange(ticks.first(), ticks.last());
    axis->setStartValue(ticks.first());
    for (const double tick : ticks)
        axis->append(axisLabel(tick, currencyCode, locale), tick);
    return axis;
}

QPixmap DealCharts::grabCharts()
{
    // A widget never shown (the Charts tab not opened yet) may still have its default size.
    if (!isVisible() && (width() < 400 || height() < 300)) {
        resize(size().expandedTo(QSize(900, 640)));
        if (layout())
            layout()->activate();
    }
    if (m_dirty || m_refreshTimer.isActive())
        refreshNow();
    return m_charts->grab();
}

bool DealCharts::savePng(const QString &filePath, QString *error)
{
    const QPixmap pixmap = grabCharts();
    QSaveFile file(filePath);
    const auto fail = [&](const QString &reason) {
        if (error)
            *error = tr("Could not save the charts to %1: %2").arg(filePath, reason);
        return false;
    };
    if (pixmap.isNull())
        return fail(tr("the charts could not be drawn."));
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());
    if (!pixmap.save(&file, "PNG")) {
        file.cancelWriting();
        return fail(tr("the PNG image could not be written."));
    }
    if (!file.commit())
        return fail(file.errorString());
    return true;
}

bool DealCharts::printingAvailable()
{
#ifdef LIGHTFIELD_HAVE_PRINTSUPPORT
    return true;
#else
    return false;
#endif
}

void DealCharts::saveImage()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save Charts as Image"), tr("deal-charts.png"), tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!savePng(path, &error))
        QMessageBox::warning(this, tr("Save Charts as Image"), error);
}

void DealCharts::print()
{
#ifdef LIGHTFIELD_HAVE_PRINTSUPPORT
    QPrinter printer(QPrinter::HighResolution);
    printer.setDocName(tr("Deal charts"));
    QPrintDialog dialog(&printer, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    grabCharts(); // brings a hidden widget's layout and data up to date
    QPainter painter(&printer);
    const QRect page = painter.viewport();
    QSize size = m_charts->size();
    size.scale(page.size(), Qt::KeepAspectRatio);
    painter.setViewport(page.x(), page.y(), size.width(), size.height());
    painter.setWindow(m_charts->rect());
    m_charts->render(&painter);
#endif
}
