#pragma once

#include <QDate>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QWidget>

class QAbstractItemModel;
class QAction;
class QCategoryAxis;
class QLocale;
class QChart;
class QChartView;

/**
 * The Charts tab: two Qt Charts over the current view of the deals table —
 * the sort / filter proxy, so search and column filters apply.
 *
 * **Value by stage** (a grouped bar chart): one bar set per currency, one category per stage in
 * the order of the `$stage` definition's options (plus "No stage" when some deal has none).
 * Each bar is the sum of the value fields (valueFieldKeys(); by default the first CURRENCY field
 * of the schema, as the board totals) over the deals of that stage, in that currency. Amounts of
 * different currencies are never added: each currency is its own set (legend: its ISO code).
 * A NUMBER value field has no currency and is a set named by its label. The value axis is
 * labelled like the cells of a spreadsheet's currency column: "$15,000,000" in the locale's
 * format when the chart has one currency, "15,000,000" when it has several (axisLabel()).
 *
 * **Deals by expected close month** (a stacked bar chart): one category per month from the
 * earliest to the latest close date in the view (only the months with deals when that span is
 * over three years), then "No close date" when some deal has none; one bar set per stage in
 * its colour (StageColors, by its place among the options), so a month's bar height is its
 * number of deals. The close date is closeDateFieldKey(): by default `closeDate`, else the first
 * writable DATETIME field whose label contains "close". A date at exactly midnight UTC is a date
 * (its UTC day), other instants count in local time, as the table shows them.
 *
 * **Updates** are coalesced: any change of the model (rows, data, layout, reset) starts a
 * single-shot 100 ms timer (not restarted by later signals), and the charts are rebuilt once
 * when it fires; while the widget is hidden nothing is computed, and a pending change is drawn
 * when it is shown. refreshed() follows each rebuild.
 *
 * **Output:** savePng() writes both charts as one PNG (QWidget::grab() of the chart views,
 * written through QSaveFile); print() opens a QPrintDialog when Qt PrintSupport was found at
 * build time (printingAvailable()), else the Print action is hidden.
 *
 * Borrows the model (QPointer). GUI thread.
 */
class DealCharts final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DealCharts)

public:
    /** What the charts show, as computed by the last refresh. */
    struct Summary
    {
        QStringList stageIds; ///< categories of the value chart; "" is "No stage"
        QStringList stageLabels;
        /// StageColors position of each stage (index as stageIds): its place among the `$stage`
        /// options, -1 for No stage and unknown options
        QList<int> stageColorPositions;
        QStringList currencies; ///< bar sets of the value chart, in order of first appearance
        QStringList numberSets; ///< those of the sets that sum a NUMBER field (no currency)
        /** currency → hundredths per stage (index as stageIds). */
        QHash<QString, QList<qint64>> valueCents;
        QList<QDate> months; ///< first day of each month; an invalid date is "No close date"
        QStringList monthLabels;
        QList<int> dealsPerMonth; ///< index as months
        /** stage id → deals per month (index as months), for the stages that have deals. */
        QHash<QString, QList<int>> stageDealsPerMonth;
        int deals = 0; ///< rows in the view
    };

    explicit DealCharts(QWidget *parent = nullptr);
    ~DealCharts() override;

    /** The view to chart (usually the sort / filter proxy over the deals table). */
    void setModel(QAbstractItemModel *model);
    QAbstractItemModel *model() const { return m_model; }

    /** The fields summed per stage; empty: the first CURRENCY field of the schema. */
    void setValueFieldKeys(const QStringList &keys);
    /** The value fields in use (keys present in the view). */
    QStringList valueFieldKeys() const;
    /** The close-date field; empty: see the class comment. */
    void setCloseDateFieldKey(const QString &key);
    /** The close-date field in use, or empty when the view has none. */
    QString closeDateFieldKey() const;

    const Summary &summary() const { return m_summary; }
    QChart *valueChart() const { return m_valueChart; }
    QChart *closeChart() const { return m_closeChart; }

    /** True while a change waits for the coalescing timer (or for the widget to be shown). */
    bool isRefreshPending() const { return m_refreshTimer.isActive() || m_dirty; }
    /** Rebuilds both charts now (also when hidden). */
    void refreshNow();

    /** Writes both charts as a PNG image; false with *error (for the user). */
    bool savePng(const QString &filePath, QString *error);
    /** True when this build can print (Qt PrintSupport was found). */
    static bool printingAvailable();

    /**
     * The values of a value axis from 0 to `maximum`: about five steps of 1, 2, 2.5 or 5 times a
     * power of ten (whole numbers when `whole`, for counts), the last at or above `maximum`.
     */
    static QList<double> axisTicks(double maximum, bool whole);
    /**
     * A value axis label in `locale`: money as the table shows it ("$15,000,000",
     * "15,000,000 EUR") when the chart has one currency, else the plain grouped number.
     */
    static QString axisLabel(double value, const QString &currencyCode, const QLocale &locale);

    QAction *saveImageAction() const { return m_saveAction; }
    QAction *printAction() const { return m_printAction; }

public Q_SLOTS:
    /** Asks for a file name, then savePng(); errors in a message box. */
    void saveImage();
    /** The print dialog, then both charts on one page (no-op without PrintSupport). */
    void print();

Q_SIGNALS:
    /** The charts were rebuilt from the model. */
    void refreshed();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void scheduleRefresh();
    int columnOf(const QString &key) const;
    Summary compute() const;
    void rebuildValueChart();
    void rebuildCloseChart();
    QPixmap grabCharts();
    static QCategoryAxis *valueAxis(
        const QList<double> &ticks, const QString &currencyCode, const QLocale &locale);

    QPointer<QAbstractItemModel> m_model;
    QList<QMetaObject::Connection> m_connections;
    QStringList m_valueFieldKeys;
    QString m_closeDateFieldKey;
    Summary m_summary;
    QChart *m_valueChart = nullptr;
    QChart *m_closeChart = nullptr;
    QChartView *m_valueView = nullptr;
    QChartView *m_closeView = nullptr;
    QWidget *m_charts = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_printAction = nullptr;
    QTimer m_refreshTimer;
    bool m_dirty = false;
};
