// ViewExport: "export what is on screen" of the deals view as CSV — the view's
// rows and the caller's columns in order (HeaderColumns reads them from a real header, so this
// runs on the offscreen platform), RFC 4180 quoting, formatted vs raw values, the BOM option and
// the atomic save.

#include "board/headercolumns.h"
#include "domain/columnfilter.h"
#include "export/plainvalues.h"
#include "export/viewexport.h"
#include "itemmodels/opportunityroles.h"
#include "itemmodels/opportunitysortfilterproxymodel.h"
#include "itemmodels/opportunitytablemodel.h"
#include "tabletesthelpers.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QFile>
#include <QHeaderView>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace OpportunityRoles;
using TableTest::makeRecord;

namespace {

/// A strict RFC 4180 reader: rows of fields; CRLF line ends; quoted fields may hold anything.
QList<QStringList> parseCsv(const QString &text, bool *ok)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    bool fieldWasQuoted = false;
    *ok = true;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                    field += QLatin1Char('"');
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
            continue;
        }
        if (c == QLatin1Char('"')) {
            if (!field.isEmpty() || fieldWasQuoted)
                *ok = false; // a quote inside an unquoted field
            quoted = true;
            fieldWasQuoted = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
            fieldWasQuoted = false;
        } else if (c == QLatin1Char('\r')) {
            if (i + 1 >= text.size() || text.at(i + 1) != QLatin1Char('\n'))
                *ok = false; // a bare CR
            row << field;
            rows << row;
            row.clear();
            field.clear();
            fieldWasQuoted = false;
            ++i;
        } else if (c == QLatin1Char('\n')) {
            *ok = false; // a bare LF outside quotes
        } else {
            field += c;
        }
    }
    if (quoted || !field.isEmpty() || !row.isEmpty())
        *ok = false; // unterminated last line
    return rows;
}

QList<QStringList> exportRows(const QAbstractItemModel &view, const ViewExport::Options &options,
    ViewExport::Result *result = nullptr)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    const ViewExport::Result written = ViewExport::write(view, options, buffer);
    if (result)
        *result = written;
    bool ok = false;
    const QList<QStringList> rows = parseCsv(QString::fromUtf8(buffer.data()), &ok);
    if (!ok)
        qWarning("not RFC 4180: %s", buffer.data().constData());
    return ok ? rows : QList<QStringList>();
}

} // namespace

class TestViewExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void rowsAndColumnsAreTheViews();
    void columnsAsATableViewShowsThem();
    void everyRowOfTheViewNotOnlyVisibleOnes();
    void quotesCommasQuotesAndLineBreaks();
    void formattedIsWhatTheTableShows();
    void rawIsMachineReadable();
    void byteOrderMarkIsOptional();
    void saveWritesAtomicallyAndReportsErrors();
    void unknownColumnIsAnError();
    void formulaCellsAreNeutralisedButNumbersAreNot();

private:
    int column(const QString &key) const { return m_model->columnForKey(key); }

    ObjectSchema m_schema;
    std::unique_ptr<OpportunityTableModel> m_model;
    std::unique_ptr<OpportunitySortFilterProxyModel> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_modelTester;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;
};

void TestViewExport::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_schema = TableTest::opportunitySchema();
}

void TestViewExport::init()
{
    m_model = std::make_unique<OpportunityTableModel>();
    m_proxy = std::make_unique<OpportunitySortFilterProxyModel>();
    m_modelTester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    m_proxy->setSourceModel(m_model.get());
    m_proxyTester = std::make_unique<QAbstractItemModelTester>(
        m_proxy.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);

    m_model->setSchema(m_schema);
    m_model->setNameDirectory(TableTest::names());
    const auto deal = [this](const char *id, const QString &name, double amount, const char *stage,
                          const QJsonValue &close, const TableTest::Fields &more = {}) {
        TableTest::Fields fields {{QStringLiteral("$name"), name},
            {QStringLiteral("$amount"), amount},
            {QStringLiteral("$stage"), QString::fromLatin1(stage)},
            {QStringLiteral("closeDate"), close}};
        fields += more;
        return makeRecord(m_schema, QString::fromLatin1(id), fields,
            {{QStringLiteral("$account"), {QStringLiteral("acc_north")}}});
    };
    m_model->upsertRecords({
        deal("opp_a", QStringLiteral("Acme, Inc. pilot"), 48000.5, "opt_stage_proposal",
            QStringLiteral("2026-09-30T00:00:00.000Z"),
            {{QStringLiteral("probability"), 12.5}, {QStringLiteral("isStrategic"), true},
                {QStringLiteral("competitors"),
                    QJsonArray {QStringLiteral("opt_competitors_salesforce"),
                        QStringLiteral("opt_competitors_hubspot")}}}),
        deal("opp_b", QStringLiteral("The \"Big\" one"), 1200, "opt_stage_discovery",
            QStringLiteral("2026-10-12T00:00:00.000Z"), {{QStringLiteral("isStrategic"), false}}),
        deal("opp_c", QStringLiteral("Two\nlines"), 99.99, "opt_stage_prospecting", QJsonValue()),
        deal("opp_d", QStringLiteral(" edge spaces "), 5, "opt_stage_proposal",
            QStringLiteral("2027-01-05T00:00:00.000Z")),
        deal("opp_e", QStringLiteral("Ålesund – expansion"), 3200000, "opt_stage_discovery",
            QStringLiteral("2026-11-02T00:00:00.000Z")),
    });
    QCOMPARE(m_model->rowCount(), 5);
}

void TestViewExport::cleanup()
{
    m_proxyTester.reset();
    m_modelTester.reset();
    m_proxy.reset();
    m_model.reset();
}

void TestViewExport::rowsAndColumnsAreTheViews()
{
    // A filter (close date set: drops opp_c), a sort (amount, descending), and three visible
    // columns in a visual order that is not the logical one.
    m_proxy->setColumnFilter(
        ColumnFilter(QStringLiteral("closeDate"), ColumnFilter::Operator::IsNotEmpty));
    m_proxy->sort(column(QStringLiteral("$amount")), Qt::DescendingOrder);
    QCOMPARE(m_proxy->rowCount(), 4);
    const QList<int> columns {column(QStringLiteral("$amount")), column(QStringLiteral("$name")),
        column(QStringLiteral("$stage"))};
    QVERIFY(columns.at(0) > columns.at(1)); // reordered against the model's order

    ViewExport::Result result;
    const QList<QStringList> rows = exportRows(*m_proxy, {columns}, &result);
    QVERIFY(result.ok);
    QCOMPARE(result.rows, m_proxy->rowCount());
    QCOMPARE(result.columns, 3);
    QCOMPARE(rows.size(), m_proxy->rowCount() + 1);
    QCOMPARE(rows.at(0),
        (QStringList {QStringLiteral("Amount"), QStringLiteral("Name"), QStringLiteral("Stage")}));
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        QCOMPARE(rows.at(row + 1).size(), 3);
        for (int i = 0; i < columns.size(); ++i) {
            QCOMPARE(rows.at(row + 1).at(i),
                m_proxy->index(row, columns.at(i)).data(Qt::DisplayRole).toString());
        }
    }
    // Sorted by amount, descending; the filtered-out deal is absent.
    QCOMPARE(rows.at(1).at(1), QStringLiteral("Ålesund – expansion"));
    QCOMPARE(rows.at(4).at(1), QStringLiteral(" edge spaces "));
    for (const QStringList &row : rows)
        QVERIFY(row.at(1) != QStringLiteral("Two\nlines"));

    // No columns given: every column of the view, in order.
    const QList<QStringList> all = exportRows(*m_proxy, {});
    QCOMPARE(all.size(), m_proxy->rowCount() + 1);
    QCOMPARE(all.at(0).size(), m_proxy->columnCount());
}

void TestViewExport::columnsAsATableViewShowsThem()
{
    // The rep hid every column but four, hid one more, and dragged Stage to the front.
    QTableView table;
    table.setModel(m_proxy.get());
    QHeaderView *header = table.horizontalHeader();
    const QStringList shown {QStringLiteral("$name"), QStringLiteral("$account"),
        QStringLiteral("$stage"), QStringLiteral("$amount")};
    for (int c = 0; c < m_proxy->columnCount(); ++c) {
        const QString key = m_proxy->headerData(c, Qt::Horizontal, ColumnKeyRole).toString();
        header->setSectionHidden(c, !shown.contains(key));
    }
    header->setSectionHidden(column(QStringLiteral("$account")), true);
    header->moveSection(header->visualIndex(column(QStringLiteral("$stage"))), 0);
    m_proxy->setSearchText(QStringLiteral("proposal"));
    QCOMPARE(m_proxy->rowCount(), 2);

    const QList<int> columns = HeaderColumns::visibleInVisualOrder(*header);
    QCOMPARE(columns,
        (QList<int> {column(QStringLiteral("$stage")), column(QStringLiteral("$name")),
            column(QStringLiteral("$amount"))}));
    ViewExport::Result result;
    const QList<QStringList> rows = exportRows(*m_proxy, {columns}, &result);
    QCOMPARE(result.rows, m_proxy->rowCount());
    QCOMPARE(result.columns, 3);
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.at(0),
        (QStringList {QStringLiteral("Stage"), QStringLiteral("Name"), QStringLiteral("Amount")}));
    for (int row = 1; row < rows.size(); ++row)
        QCOMPARE(rows.at(row).at(0), QStringLiteral("Proposal"));
}

void TestViewExport::everyRowOfTheViewNotOnlyVisibleOnes()
{
    QList<Record> more;
    for (int i = 0; i < 500; ++i) {
        more << makeRecord(m_schema, QStringLiteral("opp_bulk%1").arg(i),
            {{QStringLiteral("$name"), QStringLiteral("Bulk %1").arg(i)},
                {QStringLiteral("$stage"), QStringLiteral("opt_stage_discovery")}});
    }
    m_model->upsertRecords(more);
    m_proxy->setSearchText(QStringLiteral("bulk"));
    QCOMPARE(m_proxy->rowCount(), 500);
    ViewExport::Result result;
    const QList<QStringList> rows
        = exportRows(*m_proxy, {{column(QStringLiteral("$name"))}}, &result);
    QCOMPARE(result.rows, 500);
    QCOMPARE(rows.size(), 501);
}

void TestViewExport::quotesCommasQuotesAndLineBreaks()
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    const ViewExport::Result result
        = ViewExport::write(*m_model, {{column(QStringLiteral("$name"))}}, buffer);
    QVERIFY(result.ok);
    const QByteArray csv = buffer.data();
    QVERIFY2(csv.contains("\r\n\"Acme, Inc. pilot\"\r\n"), csv.constData());
    QVERIFY2(csv.contains("\r\n\"The \"\"Big\"\" one\"\r\n"), csv.constData());
    QVERIFY2(csv.contains("\r\n\"Two\nlines\"\r\n"), csv.constData());
    QVERIFY2(csv.contains("\r\n\" edge spaces \"\r\n"), csv.constData());
    QVERIFY2(csv.contains("\r\nÅlesund – expansion\r\n"), csv.constData()); // not quoted
    QVERIFY(csv.startsWith("Name\r\n"));

    bool ok = false;
    const QList<QStringList> rows = parseCsv(QString::fromUtf8(csv), &ok);
    QVERIFY(ok);
    QCOMPARE(rows.size(), 6);
    for (int row = 0; row < m_model->rowCount(); ++row) {
        QCOMPARE(rows.at(row + 1).at(0),
            m_model->index(row, column(QStringLiteral("$name"))).data().toString());
    }

    QCOMPARE(PlainValues::csvField(QStringLiteral("plain")), QStringLiteral("plain"));
    QCOMPARE(PlainValues::csvField(QStringLiteral("a\rb")), QStringLiteral("\"a\rb\""));
    QCOMPARE(PlainValues::csvField(QString()), QString());
}

void TestViewExport::formattedIsWhatTheTableShows()
{
    const QList<int> columns {column(QStringLiteral("$amount")),
        column(QStringLiteral("closeDate")), column(QStringLiteral("competitors")),
        column(QStringLiteral("$account")), column(QStringLiteral("isStrategic")),
        column(QStringLiteral("probability"))};
    for (const int c : columns)
        QVERIFY(c >= 0);
    const QList<QStringList> rows = exportRows(*m_model, {columns});
    QCOMPARE(rows.size(), 6);
    const int a = m_model->rowForId(QStringLiteral("opp_a"));
    const QStringList cells = rows.at(a + 1);
    for (int i = 0; i < columns.size(); ++i) {
        if (i == 4)
            continue; // a check box has no display text
        QCOMPARE(cells.at(i), m_model->index(a, columns.at(i)).data().toString());
    }
    QVERIFY(cells.at(0).contains(QStringLiteral("48"))); // locale-formatted money
    QCOMPARE(cells.at(3), QStringLiteral("Northwind Labs"));
    QCOMPARE(cells.at(4), QStringLiteral("Yes"));
    const int b = m_model->rowForId(QStringLiteral("opp_b"));
    QCOMPARE(rows.at(b + 1).at(4), QStringLiteral("No"));
}

void TestViewExport::rawIsMachineReadable()
{
    const QList<int> columns {column(QStringLiteral("$amount")),
        column(QStringLiteral("closeDate")), column(QStringLiteral("competitors")),
        column(QStringLiteral("$account")), column(QStringLiteral("isStrategic")),
        column(QStringLiteral("probability")), column(QStringLiteral("$stage")),
        column(QStringLiteral("arrEur"))};
    ViewExport::Options options {columns, ViewExport::Values::Raw};
    const QList<QStringList> rows = exportRows(*m_model, options);
    QCOMPARE(rows.size(), 6);
    // Money: the plain amount, its code in the header (not twice when the label has it).
    QCOMPARE(rows.at(0),
        (QStringList {QStringLiteral("Amount (USD)"), QStringLiteral("Close date"),
            QStringLiteral("Competitors"), QStringLiteral("Account"), QStringLiteral("Strategic"),
            QStringLiteral("Probability (%)"), QStringLiteral("Stage"),
            QStringLiteral("ARR (EUR)")}));
    const int a = m_model->rowForId(QStringLiteral("opp_a"));
    QCOMPARE(rows.at(a + 1),
        (QStringList {QStringLiteral("48000.5"), QStringLiteral("2026-09-30T00:00:00Z"),
            QStringLiteral("Salesforce; HubSpot"), QStringLiteral("Northwind Labs"),
            QStringLiteral("true"), QStringLiteral("12.5"), QStringLiteral("Proposal"),
            QString()}));
    const int c = m_model->rowForId(QStringLiteral("opp_c"));
    QCOMPARE(rows.at(c + 1).at(0), QStringLiteral("99.99"));
    QCOMPARE(rows.at(c + 1).at(1), QString()); // no close date: empty
    const int e = m_model->rowForId(QStringLiteral("opp_e"));
    QCOMPARE(rows.at(e + 1).at(0), QStringLiteral("3200000"));
    QCOMPARE(ViewExport::cellText(*m_model, e, columns.at(0), ViewExport::Values::Formatted),
        m_model->index(e, columns.at(0)).data().toString());
}

void TestViewExport::byteOrderMarkIsOptional()
{
    const QList<int> columns {column(QStringLiteral("$name"))};
    for (const bool bom : {false, true}) {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QVERIFY(
            ViewExport::write(*m_model, {columns, ViewExport::Values::Formatted, bom}, buffer).ok);
        QCOMPARE(buffer.data().startsWith("\xEF\xBB\xBF"
                                          "Name\r\n"),
            bom);
        QCOMPARE(buffer.data().startsWith("Name\r\n"), !bom);
        QVERIFY(buffer.data().contains(QStringLiteral("Ålesund").toUtf8()));
    }
}

void TestViewExport::saveWritesAtomicallyAndReportsErrors()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("deals.csv"));
    const ViewExport::Options options {{column(QStringLiteral("$name"))}};
    const ViewExport::Result saved = ViewExport::save(*m_proxy, options, path);
    QVERIFY2(saved.ok, qPrintable(saved.error));
    QCOMPARE(saved.rows, 5);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QBuffer expected;
    expected.open(QIODevice::WriteOnly);
    QVERIFY(ViewExport::write(*m_proxy, options, expected).ok);
    QCOMPARE(file.readAll(), expected.data());

    const QString missing = dir.filePath(QStringLiteral("no/such/folder/deals.csv"));
    const ViewExport::Result failed = ViewExport::save(*m_proxy, options, missing);
    QVERIFY(!failed.ok);
    QVERIFY2(failed.error.contains(missing), qPrintable(failed.error));
    QVERIFY(!QFile::exists(missing));
}

void TestViewExport::unknownColumnIsAnError()
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    const ViewExport::Result result
        = ViewExport::write(*m_model, {{0, m_model->columnCount()}}, buffer);
    QVERIFY(!result.ok);
    QVERIFY(!result.error.isEmpty());
    QVERIFY(buffer.data().isEmpty());
}

QTEST_MAIN(TestViewExport)
#include "tst_viewexport.moc"

// A colleague's "=HYPERLINK(…)" must not run when the rep opens the file in a spreadsheet;
// a negative amount is a number by its field's type and keeps its sign.
void TestViewExport::formulaCellsAreNeutralisedButNumbersAreNot()
{
    const auto deal = [this](const char *id, const QString &name, double amount) {
        return makeRecord(m_schema, QString::fromLatin1(id),
            {{QStringLiteral("$name"), name}, {QStringLiteral("$amount"), amount},
                {QStringLiteral("$stage"), QStringLiteral("opt_stage_proposal")}},
            {{QStringLiteral("$account"), {QStringLiteral("acc_north")}}});
    };
    m_model->upsertRecords({deal(
                                "opp_f", QStringLiteral("=HYPERLINK(\"http://x\",\"y\")"), -1200.5),
        deal("opp_g", QStringLiteral("+1 call"), 7), deal("opp_h", QStringLiteral("@mention"), 8),
        deal("opp_i", QStringLiteral("\tindented"), 9), deal("opp_j", QStringLiteral("-dash"), 10),
        deal("opp_k", QStringLiteral("\rreturn"), 11)});
    const QList<int> columns {column(QStringLiteral("$name")), column(QStringLiteral("$amount"))};
    for (const ViewExport::Values values :
        {ViewExport::Values::Formatted, ViewExport::Values::Raw}) {
        const QList<QStringList> rows = exportRows(*m_model, {columns, values});
        QCOMPARE(rows.size(), m_model->rowCount() + 1);
        const auto row = [this, &rows](const char *id) {
            return rows.at(m_model->rowForId(QString::fromLatin1(id)) + 1);
        };
        QCOMPARE(row("opp_f").at(0), QStringLiteral("'=HYPERLINK(\"http://x\",\"y\")"));
        QCOMPARE(row("opp_g").at(0), QStringLiteral("'+1 call"));
        QCOMPARE(row("opp_h").at(0), QStringLiteral("'@mention"));
        QCOMPARE(row("opp_i").at(0), QStringLiteral("'\tindented"));
        QCOMPARE(row("opp_j").at(0), QStringLiteral("'-dash"));
        QCOMPARE(row("opp_k").at(0), QStringLiteral("'\rreturn"));
        QCOMPARE(row("opp_a").at(0), QStringLiteral("Acme, Inc. pilot")); // untouched
        const int f = m_model->rowForId(QStringLiteral("opp_f"));
        if (values == ViewExport::Values::Raw)
            QCOMPARE(row("opp_f").at(1), QStringLiteral("-1200.5"));
        else
            QCOMPARE(row("opp_f").at(1), m_model->index(f, columns.at(1)).data().toString());
        QVERIFY(!row("opp_f").at(1).startsWith(QLatin1Char('\'')));
    }
    QCOMPARE(PlainValues::neutralised(QStringLiteral("=1")), QStringLiteral("'=1"));
    QCOMPARE(PlainValues::neutralised(QStringLiteral("a=1")), QStringLiteral("a=1"));
    QCOMPARE(PlainValues::neutralised(QString()), QString());
}
