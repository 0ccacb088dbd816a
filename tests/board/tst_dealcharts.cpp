// DealCharts: value by stage with one bar set per currency (never summed
// across currencies), deals by close month stacked by stage in stable colours, coalesced
// updates from the view, and the PNG export. Runs on the offscreen platform.

#include "board/dealcharts.h"
#include "domain/columnfilter.h"
#include "itemmodels/opportunitysortfilterproxymodel.h"
#include "itemmodels/opportunitytablemodel.h"
#include "itemmodels/pipelineboardmodel.h"
#include "itemmodels/stagecolors.h"
#include "tabletesthelpers.h"

#include <QAbstractItemModelTester>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QFileInfo>
#include <QImage>
#include <QSignalSpy>
#include <QStackedBarSeries>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

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
    void stagePaletteIsDistinctInDefinitionOrder();
    void stagePaletteKeepsContrastOnLightAndDark();
    void axisTicksAreRoundSteps();
    void axisLabelsAreLocaleMoney();
    void valueAxisShowsMoneyLabels();

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
    // Proposal is the third option of the definition: the palette's third colour.
    QCOMPARE(sets.at(1)->color(), QColor::fromRgba(StageColors::rgbaAt(2)));
    QCOMPARE(sets.at(0)->color(), QColor::fromRgba(StageColors::rgbaAt(1)));
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

void TestDealCharts::stagePaletteIsDistinctInDefinitionOrder()
{
    const int n = StageColors::paletteSize();
    QVERIFY(n >= 6); // a typical pipeline has six stages: no colour repeats among them
    const auto hue
        = [](int position) { return QColor::fromRgba(StageColors::rgbaAt(position)).hue(); };
    const auto distance = [](int a, int b) {
        const int d = std::abs(a - b) % 360;
        return std::min(d, 360 - d);
    };
    for (int i = 0; i < n; ++i) {
        QVERIFY(hue(i) >= 0); // a colour, not a grey
        QCOMPARE(StageColors::rgbaAt(i) >> 24, 0xFFU); // opaque
        for (int j = i + 1; j < n; ++j) {
            QVERIFY2(distance(hue(i), hue(j)) >= 20,
                qPrintable(QStringLiteral("colours %1 and %2: hues %3 and %4")
                               .arg(i)
                               .arg(j)
                               .arg(hue(i))
                               .arg(hue(j))));
        }
        // Neighbouring stages (side by side on the board, stacked in a chart) are far apart.
        if (i + 1 < n)
            QVERIFY(distance(hue(i), hue(i + 1)) >= 80);
        // Deterministic: the same position always gives the same colour; it repeats after n.
        QCOMPARE(StageColors::rgbaAt(i), StageColors::rgbaAt(i));
        QCOMPARE(StageColors::rgbaAt(i + n), StageColors::rgbaAt(i));
    }
    // The two pairs a hash of the option ids made look alike are now clearly apart.
    QStringList ids;
    for (const SelectOption &option : m_schema.field(QStringLiteral("$stage"))->options())
        ids << option.id;
    QCOMPARE(ids.size(), 6);
    const auto stageHue = [&ids](const char *id) {
        return QColor::fromRgba(StageColors::rgba(ids, QString::fromLatin1(id))).hue();
    };
    QVERIFY(distance(stageHue("opt_stage_discovery"), stageHue("opt_stage_closed_lost")) >= 60);
    QVERIFY(distance(stageHue("opt_stage_proposal"), stageHue("opt_stage_closed_won")) >= 60);
    // By definition order, not by id: the position in the list decides.
    QCOMPARE(StageColors::rgba(ids, ids.at(3)), StageColors::rgbaAt(3));
    QStringList reordered = ids;
    reordered.move(3, 0);
    QCOMPARE(StageColors::rgba(reordered, ids.at(3)), StageColors::rgbaAt(0));
    // No stage and unknown options share the neutral grey.
    QCOMPARE(StageColors::rgba(ids, QString()), StageColors::noStageRgba());
    QCOMPARE(StageColors::rgba(ids, QStringLiteral("opt_stage_gone")), StageColors::noStageRgba());
    QCOMPARE(StageColors::rgbaAt(-1), StageColors::noStageRgba());
    QCOMPARE(QColor::fromRgba(StageColors::noStageRgba()).saturation(), 0);
}

namespace {

/// WCAG relative luminance of an sRGB colour.
double luminance(const QColor &color)
{
    const auto channel
        = [](double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

void TestDealCharts::stagePaletteKeepsContrastOnLightAndDark()
{
    // Light: white bases and the usual light window grey; dark: the usual dark bases.
    const QList<QColor> backgrounds {QColor(Qt::white), QColor(0xef, 0xef, 0xef),
        QColor(0x35, 0x35, 0x35), QColor(0x2a, 0x2a, 0x2a), QColor(0x1e, 0x1e, 0x1e)};
    for (int i = -1; i < StageColors::paletteSize(); ++i) {
        const QColor colour = QColor::fromRgba(StageColors::rgbaAt(i));
        // A stripe or a bar in it stands out (3:1, as WCAG asks of graphics) on either palette.
        for (const QColor &background : backgrounds) {
            QVERIFY2(contrast(colour, background) >= 3.0,
                qPrintable(QStringLiteral("%1 on %2: %3")
                               .arg(colour.name(), background.name())
                               .arg(contrast(colour, background))));
        }
        // Text on it (a label on a bar) has a colour that reads (4.5:1).
        QVERIFY(std::max(contrast(colour, Qt::black), contrast(colour, Qt::white)) >= 4.5);
    }
}

void TestDealCharts::axisTicksAreRoundSteps()
{
    QCOMPARE(DealCharts::axisTicks(15'000'000, false),
        (QList<double> {0, 5'000'000, 10'000'000, 15'000'000}));
    QCOMPARE(DealCharts::axisTicks(49'500.5, false),
        (QList<double> {0, 10'000, 20'000, 30'000, 40'000, 50'000}));
    QCOMPARE(DealCharts::axisTicks(12, false), (QList<double> {0, 2.5, 5, 7.5, 10, 12.5}));
    // Counts: whole steps only.
    QCOMPARE(DealCharts::axisTicks(7, true), (QList<double> {0, 2, 4, 6, 8}));
    QCOMPARE(DealCharts::axisTicks(12, true), (QList<double> {0, 5, 10, 15}));
    QCOMPARE(DealCharts::axisTicks(1, true), (QList<double> {0, 1}));
    QCOMPARE(DealCharts::axisTicks(0, true), (QList<double> {0, 1}));
}

void TestDealCharts::axisLabelsAreLocaleMoney()
{
    const QLocale us(QLocale::English, QLocale::UnitedStates);
    const QLocale de(QLocale::German, QLocale::Germany);
    const QString nbsp(QChar(0x00A0));
    // One currency: as the table shows money (the locale's own with its symbol, else the code).
    QCOMPARE(DealCharts::axisLabel(15'000'000, QStringLiteral("USD"), us),
        QStringLiteral("$15,000,000"));
    QCOMPARE(DealCharts::axisLabel(15'000'000, QStringLiteral("EUR"), us),
        QStringLiteral("15,000,000") + nbsp + QStringLiteral("EUR"));
    QCOMPARE(DealCharts::axisLabel(2.5, QStringLiteral("USD"), us), QStringLiteral("$2.50"));
    QVERIFY(DealCharts::axisLabel(15'000'000, QStringLiteral("EUR"), de)
                .startsWith(QStringLiteral("15.000.000")));
    QVERIFY(DealCharts::axisLabel(15'000'000, QStringLiteral("EUR"), de).contains(QChar(0x20AC)));
    // Several currencies (or counts): the grouped number alone.
    QCOMPARE(DealCharts::axisLabel(15'000'000, QString(), us), QStringLiteral("15,000,000"));
    QCOMPARE(DealCharts::axisLabel(15'000'000, QString(), de), QStringLiteral("15.000.000"));
    QCOMPARE(DealCharts::axisLabel(0, QString(), us), QStringLiteral("0"));
}

void TestDealCharts::valueAxisShowsMoneyLabels()
{
    const QLocale previous;
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    const auto restore = qScopeGuard([&previous] { QLocale::setDefault(previous); });
    const auto leftLabels = [](QChart *chart) {
        const QList<QAbstractAxis *> axes = chart->axes(Qt::Vertical);
        auto *axis = axes.isEmpty() ? nullptr : qobject_cast<QCategoryAxis *>(axes.first());
        return axis ? axis->categoriesLabels() : QStringList();
    };

    // One currency (USD, up to 49,500.50): "$0" … "$50,000".
    m_charts->refreshNow();
    QCOMPARE(leftLabels(m_charts->valueChart()),
        (QStringList {QStringLiteral("$0"), QStringLiteral("$10,000"), QStringLiteral("$20,000"),
            QStringLiteral("$30,000"), QStringLiteral("$40,000"), QStringLiteral("$50,000")}));
    // Two currencies: plain numbers, the legend names each currency.
    m_charts->setValueFieldKeys({QStringLiteral("$amount"), QStringLiteral("arrEur")});
    m_charts->refreshNow();
    QCOMPARE(leftLabels(m_charts->valueChart()).last(), QStringLiteral("50,000"));
    // The month chart counts deals (at most 2 a month).
    QCOMPARE(leftLabels(m_charts->closeChart()),
        (QStringList {QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2")}));
}

QTEST_MAIN(TestDealCharts)
#include "tst_dealcharts.moc"
