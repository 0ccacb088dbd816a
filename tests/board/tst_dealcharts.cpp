// DealCharts (issue 8 item 3): value by stage with one bar set per currency (never summed
// across currencies), deals by close month stacked by stage in stable colours, coalesced
// updates from the view, and the PNG export. Runs on the offscreen platform.

#include "board/dealcharts.h"
#include "board/pipelineboardmodel.h"
#include "board/stagecolors.h"
#include "table/columnfilter.h"
#include "table/opportunitysortfilterproxymodel.h"
#include "table/opportunitytablemodel.h"
#include "tabletesthelpers.h"

#include <QAbstractItemModelTester>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QFileInfo>
#include <QImage>
#include <QSignalSpy>
#include <QStackedBarSeries>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using TableTest::makeRecord;

namespace {

QBarCategoryAxis *categoryAxis(QChart *chart)
{
    const QList<QAbstractAxis *> axes = chart->axes(Qt::Horizontal);
    return axes.isEmpty() ? nullptr : qobject_cast<QBarCategoryAxis *>(axes.first());
}

/// label → values of every bar set of the chart's only series.
QHash<QString, QList<double>> barValues(QChart *chart)
{
    QHash<QString, QList<double>> values;
    const QList<QAbstractSeries *> series = chart->series();
    if (series.size() != 1)
        return values;
    const auto *bars = qobject_cast<QAbstractBarSeries *>(series.first());
    if (!bars)
        return values;
    for (QBarSet *set : bars->barSets()) {
        QList<double> list;
        for (int i = 0; i < set->count(); ++i)
            list << set->at(i);
        values.insert(set->label(), list);
    }
    return values;
}

} // namespace

class TestDealCharts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void valueByStageHasOneSetPerCurrency();
    void defaultValueFieldIsTheFirstCurrencyField();
    void closeMonthsCountDealsStackedByStage();
    void followsTheViewsFilter();
    void updatesOnceAfterABurstOfChanges();
    void savesANonEmptyPng();
    void stageColoursAreStable();

private:
    Record deal(const QString &id, const char *stage, double usd, const QJsonValue &eur,
        const QJsonValue &close) const
    {
        TableTest::Fields fields {{QStringLiteral("$name"), id},
            {QStringLiteral("$stage"), QString::fromLatin1(stage)},
            {QStringLiteral("$amount"), usd}, {QStringLiteral("closeDate"), close}};
        if (!eur.isNull())
            fields.append({QStringLiteral("arrEur"), eur});
        return makeRecord(m_schema, id, fields);
    }
    QStringList stageLabels() const
    {
        QStringList labels;
        for (const SelectOption &option : m_schema.field(QStringLiteral("$stage"))->options())
            labels << option.label;
        return labels;
    }

    ObjectSchema m_schema;
    std::unique_ptr<OpportunityTableModel> m_model;
    std::unique_ptr<OpportunitySortFilterProxyModel> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_modelTester;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;
    std::unique_ptr<DealCharts> m_charts;
};

void TestDealCharts::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_schema = TableTest::opportunitySchema();
}

void TestDealCharts::init()
{
    m_model = std::make_unique<OpportunityTableModel>();
    m_proxy = std::make_unique<OpportunitySortFilterProxyModel>();
    m_modelTester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    m_proxy->setSourceModel(m_model.get());
    m_proxyTester = std::make_unique<QAbstractItemModelTester>(
        m_proxy.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    m_model->setSchema(m_schema);
    const QString sep = QStringLiteral("2026-09-30T00:00:00.000Z");
    const QString oct = QStringLiteral("2026-10-12T00:00:00.000Z");
    const QString dec = QStringLiteral("2026-12-01T00:00:00.000Z");
    m_model->upsertRecords({
        deal(QStringLiteral("opp_1"), "opt_stage_proposal", 48000.5, 1000, sep),
        deal(QStringLiteral("opp_2"), "opt_stage_proposal", 1500, QJsonValue(), oct),
        deal(QStringLiteral("opp_3"), "opt_stage_discovery", 250.25, 300.5, oct),
        deal(QStringLiteral("opp_4"), "opt_stage_negotiation", 10000, QJsonValue(), dec),
        deal(QStringLiteral("opp_5"), "opt_stage_discovery", 700, QJsonValue(), QJsonValue()),
    });
    m_charts = std::make_unique<DealCharts>();
    m_charts->setModel(m_proxy.get());
    m_charts->refreshNow();
}

void TestDealCharts::cleanup()
{
    m_charts.reset();
    m_proxyTester.reset();
    m_modelTester.reset();
    m_proxy.reset();
    m_model.reset();
}

void TestDealCharts::valueByStageHasOneSetPerCurrency()
{
    m_charts->setValueFieldKeys({QStringLiteral("$amount"), QStringLiteral("arrEur")});
    m_charts->refreshNow();
    QChart *chart = m_charts->valueChart();
    QCOMPARE(chart->series().size(), 1);
    QVERIFY(qobject_cast<QBarSeries *>(chart->series().first()));
    // Categories: every stage in the definition's option order.
    QBarCategoryAxis *axis = categoryAxis(chart);
    QVERIFY(axis);
    QCOMPARE(axis->categories(), stageLabels());

    const QHash<QString, QList<double>> values = barValues(chart);
    QCOMPARE(values.size(), 2); // USD and EUR, never added together
    const QStringList labels = stageLabels();
    const auto at = [&labels](const QList<double> &list, const char *stage) {
        return list.value(labels.indexOf(QString::fromLatin1(stage)), -1);
    };
    const QList<double> usd = values.value(QStringLiteral("USD"));
    const QList<double> eur = values.value(QStringLiteral("EUR"));
    QCOMPARE(usd.size(), labels.size());
    QCOMPARE(eur.size(), labels.size());
    QCOMPARE(at(usd, "Proposal"), 49500.5);
    QCOMPARE(at(usd, "Discovery"), 950.25);
    QCOMPARE(at(usd, "Negotiation"), 10000.0);
    QCOMPARE(at(usd, "Prospecting"), 0.0);
    QCOMPARE(at(eur, "Proposal"), 1000.0);
    QCOMPARE(at(eur, "Discovery"), 300.5);
    QCOMPARE(at(eur, "Negotiation"), 0.0);

    // The summary holds exact hundredths.
    const DealCharts::Summary &summary = m_charts->summary();
    QCOMPARE(summary.currencies, (QStringList {QStringLiteral("USD"), QStringLiteral("EUR")}));
    QCOMPARE(summary.valueCents.value(QStringLiteral("USD"))
                 .value(labels.indexOf(QStringLiteral("Proposal"))),
        qint64(4950050));
    QCOMPARE(summary.deals, 5);
}

void TestDealCharts::defaultValueFieldIsTheFirstCurrencyField()
{
    QCOMPARE(m_charts->valueFieldKeys(), QStringList {QStringLiteral("$amount")});
    QCOMPARE(m_charts->closeDateFieldKey(), QStringLiteral("closeDate"));
    const QHash<QString, QList<double>> values = barValues(m_charts->valueChart());
    QCOMPARE(values.keys(), QStringList {QStringLiteral("USD")});
}

void TestDealCharts::closeMonthsCountDealsStackedByStage()
{
    const DealCharts::Summary &summary = m_charts->summary();
    // September to December 2026, contiguous (November has none), then the deal without a date.
    QCOMPARE(summary.months.size(), 5);
    QCOMPARE(summary.months.first(), QDate(2026, 9, 1));
    QCOMPARE(summary.months.at(3), QDate(2026, 12, 1));
    QVERIFY(!summary.months.last().isValid());
    QCOMPARE(summary.dealsPerMonth, (QList<int> {1, 2, 0, 1, 1}));

    QChart *chart = m_charts->closeChart();
    QCOMPARE(chart->series().size(), 1);
    auto *stacked = qobject_cast<QStackedBarSeries *>(chart->series().first());
    QVERIFY(stacked);
    QCOMPARE(categoryAxis(chart)->categories(), summary.monthLabels);
    QCOMPARE(summary.monthLabels.last(), QStringLiteral("No close date"));
    // One set per stage with deals, in stage order, in the stage's colour; stacked heights are
    // the month counts.
    const QList<QBarSet *> sets = stacked->barSets();
    QCOMPARE(sets.size(), 3);
    QCOMPARE(sets.at(0)->label(), QStringLiteral("Discovery"));
    QCOMPARE(sets.at(1)->label(), QStringLiteral("Proposal"));
    QCOMPARE(sets.at(2)->label(), QStringLiteral("Negotiation"));
    QCOMPARE(sets.at(1)->color(),
        QColor::fromRgba(StageColors::rgba(QStringLiteral("opt_stage_proposal"))));
    for (qsizetype month = 0; month < summary.months.size(); ++month) {
        double height = 0;
        for (QBarSet *set : sets)
            height += set->at(int(month));
        QCOMPARE(height, double(summary.dealsPerMonth.at(month)));
    }
}

void TestDealCharts::followsTheViewsFilter()
{
    m_proxy->setColumnFilter(
        ColumnFilter(QStringLiteral("closeDate"), ColumnFilter::Operator::IsNotEmpty));
    m_charts->refreshNow();
    QCOMPARE(m_charts->summary().deals, 4);
    QVERIFY(m_charts->summary().months.last().isValid()); // no "No close date" any more
    const QList<double> usd = barValues(m_charts->valueChart()).value(QStringLiteral("USD"));
    QCOMPARE(usd.value(stageLabels().indexOf(QStringLiteral("Discovery"))), 250.25);
}

void TestDealCharts::updatesOnceAfterABurstOfChanges()
{
    m_charts->resize(900, 640);
    m_charts->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_charts.get()));
    QSignalSpy refreshed(m_charts.get(), &DealCharts::refreshed);
    // Five changes in a row (data changes and an insert): one rebuild.
    for (int i = 0; i < 4; ++i) {
        m_model->upsertRecords({deal(QStringLiteral("opp_2"), "opt_stage_proposal", 2000 + i,
            QJsonValue(), QStringLiteral("2026-10-12T00:00:00.000Z"))});
    }
    m_model->upsertRecords({deal(QStringLiteral("opp_6"), "opt_stage_negotiation", 5, QJsonValue(),
        QStringLiteral("2027-02-15T10:00:00.000Z"))});
    QVERIFY(m_charts->isRefreshPending());
    QCOMPARE(refreshed.size(), 0); // not per signal
    QVERIFY(refreshed.wait(5000));
    QCOMPARE(refreshed.size(), 1);
    const QList<double> usd = barValues(m_charts->valueChart()).value(QStringLiteral("USD"));
    const QStringList labels = stageLabels();
    QCOMPARE(usd.value(labels.indexOf(QStringLiteral("Proposal"))), 48000.5 + 2003);
    QCOMPARE(usd.value(labels.indexOf(QStringLiteral("Negotiation"))), 10005.0);
    QCOMPARE(m_charts->summary().deals, 6);
    QCOMPARE(m_charts->summary().months.at(5), QDate(2027, 2, 1));
    QVERIFY(!m_charts->isRefreshPending());
}

void TestDealCharts::savesANonEmptyPng()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("charts.png"));
    QString error;
    QVERIFY2(m_charts->savePng(path, &error), qPrintable(error));
    QVERIFY(QFileInfo(path).size() > 0);
    QImage image;
    QVERIFY(image.load(path, "PNG"));
    QVERIFY(image.width() > 100 && image.height() > 100);
    // Drawn, not blank: more than one colour.
    const QRgb first = image.pixel(0, 0);
    bool varied = false;
    for (int y = 0; y < image.height() && !varied; y += 7) {
        for (int x = 0; x < image.width() && !varied; x += 7)
            varied = image.pixel(x, y) != first;
    }
    QVERIFY(varied);

    const QString bad = dir.filePath(QStringLiteral("missing/folder/charts.png"));
    QVERIFY(!m_charts->savePng(bad, &error));
    QVERIFY2(error.contains(bad), qPrintable(error));
    QVERIFY(m_charts->saveImageAction());
    QCOMPARE(m_charts->printAction()->isVisible(), DealCharts::printingAvailable());
}

void TestDealCharts::stageColoursAreStable()
{
    const QString id = QStringLiteral("opt_stage_proposal");
    QCOMPARE(StageColors::hue(id), PipelineBoardModel::stageHue(id));
    QCOMPARE(StageColors::hue(QString()), -1);
    QCOMPARE(StageColors::rgba(id), StageColors::rgbaForHue(StageColors::hue(id)));
    QCOMPARE(StageColors::rgba(id) >> 24, 0xFFU); // opaque
    // The fixed saturation and value of stage colours.
    QCOMPARE(QColor::fromRgba(StageColors::rgbaForHue(0)), QColor(204, 92, 92));
    QCOMPARE(QColor::fromRgba(StageColors::rgbaForHue(120)), QColor(92, 204, 92));
    QVERIFY(StageColors::rgba(QStringLiteral("opt_stage_discovery")) != StageColors::rgba(id));
}

QTEST_MAIN(TestDealCharts)
#include "tst_dealcharts.moc"
