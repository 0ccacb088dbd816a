// ValueParser (models/export): the KEY=VALUE text of `edit` and `create` as a typed value, in
// isolation. The command line around it is tested as a process in tst_cli.

#include "domain/fielddefinition.h"
#include "domain/json.h"
#include "export/valueparser.h"

#include <QStandardPaths>
#include <QTest>

namespace {

FieldDefinition definition(const char *key, FieldType type)
{
    FieldDefinition field(QLatin1String(key), type);
    field.setCurrency(QStringLiteral("USD"));
    return field;
}

} // namespace

class TestValueParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void numbersAndAmountsAreSentAsTyped_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("sent");
        const int number = int(FieldType::Number);
        const int currency = int(FieldType::Currency);
        QTest::newRow("number") << number << QStringLiteral("42.5") << QByteArray("42.5");
        QTest::newRow("negative amount")
            << currency << QStringLiteral("-1250.05") << QByteArray("-1250.05");
        QTest::newRow("16 digits a double keeps")
            << number << QStringLiteral("12345678901234.56") << QByteArray("12345678901234.56");
        QTest::newRow("amount whose cents pass 2^53")
            << currency << QStringLiteral("123456789012345.67") << QByteArray("123456789012345.67");
    }
    void numbersAndAmountsAreSentAsTyped()
    {
        QFETCH(int, type);
        QFETCH(QString, text);
        QFETCH(QByteArray, sent);
        const FieldDefinition field = definition("x", FieldType(type));
        QString error;
        const std::optional<FieldValue> value = ValueParser::parseField(field, text, &error);
        QVERIFY2(value.has_value(), qPrintable(error));
        QCOMPARE(Json::numberText(value->toJson(field).toDouble()).toLatin1(), sent);
    }

    // SOCIAL_HANDLE takes what the form takes and writes what the form writes (one
    // implementation, SocialHandle::profileUrl()): a handle or a profile URL of the service.
    void socialHandlesAreNormalisedAsInTheForm_data()
    {
        QTest::addColumn<QString>("service");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("written"); // empty: refused
        const auto row
            = [](const char *name, const char *service, const char *text, const char *written) {
                  QTest::newRow(name) << QString::fromLatin1(service) << QString::fromUtf8(text)
                                      << QString::fromLatin1(written);
              };
        row("twitter handle", "TWITTER", "ana", "https://x.com/ana");
        row("twitter @handle", "TWITTER", "@ana", "https://x.com/ana");
        row("twitter.com URL", "TWITTER", "https://twitter.com/ana", "https://x.com/ana");
        row("linkedin handle", "LINKEDIN", "ana-ruiz", "https://linkedin.com/in/ana-ruiz");
        row("linkedin company", "LINKEDIN", "company/northwind",
            "https://linkedin.com/company/northwind");
        row("linkedin www URL", "LINKEDIN", "https://www.linkedin.com/in/ana/",
            "https://linkedin.com/in/ana");
        row("another site's URL", "LINKEDIN", "https://example.com/ana", "");
        row("not a handle", "INSTAGRAM", "ana ruiz", "");
        row("no service: any web address", "", "example.com/ana", "https://example.com/ana");
        row("no service: not http", "", "ftp://example.com/ana", "");
    }
    void socialHandlesAreNormalisedAsInTheForm()
    {
        QFETCH(QString, service);
        QFETCH(QString, text);
        QFETCH(QString, written);
        FieldDefinition field = definition("buyerLinkedIn", FieldType::SocialHandle);
        field.setHandleService(service);
        QString error;
        const std::optional<FieldValue> value = ValueParser::parseField(field, text, &error);
        if (written.isEmpty()) {
            QVERIFY(!value.has_value());
            QVERIFY2(error.startsWith(QLatin1String("buyerLinkedIn: ")), qPrintable(error));
            return;
        }
        QVERIFY2(value.has_value(), qPrintable(error));
        QCOMPARE(value->toText(), written);
    }

    // Found by tests/fuzz/fuzz_valueparser: these were accepted and queued as another value —
    // the double a JSON body carries cannot tell them from a neighbour (999999999999999.99
    // arrives as 1e15, 90071992547409.91 as …409.9), and the year 10000 cannot be written.
    void valuesThatCannotBeSentAsTypedAreRefused_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("text");
        const int number = int(FieldType::Number);
        const int currency = int(FieldType::Currency);
        const int dateTime = int(FieldType::DateTime);
        QTest::newRow("number of 17 digits") << number << QStringLiteral("999999999999999.99");
        QTest::newRow("amount of 17 digits") << currency << QStringLiteral("999999999999999.99");
        QTest::newRow("amount sent as …409.9") << currency << QStringLiteral("90071992547409.91");
        QTest::newRow("year 10000 in UTC") << dateTime << QStringLiteral("9999-12-31T23:00-05:00");
        QTest::newRow("year 0 in UTC") << dateTime << QStringLiteral("0001-01-01T01:00+05:00");
    }
    void valuesThatCannotBeSentAsTypedAreRefused()
    {
        QFETCH(int, type);
        QFETCH(QString, text);
        const FieldDefinition field = definition("closeAmount", FieldType(type));
        QString error;
        QVERIFY(!ValueParser::parseField(field, text, &error).has_value());
        QVERIFY2(error.contains(QLatin1String("closeAmount")), qPrintable(error));
    }

    void datesAtTheEdgesOfTheRangeAreKept()
    {
        const FieldDefinition field = definition("closeDate", FieldType::DateTime);
        QString error;
        const std::optional<FieldValue> last
            = ValueParser::parseField(field, QStringLiteral("9999-12-31T23:59:59Z"), &error);
        QVERIFY2(last.has_value(), qPrintable(error));
        QCOMPARE(last->toDateTime().date(), QDate(9999, 12, 31));
        const std::optional<FieldValue> first
            = ValueParser::parseField(field, QStringLiteral("0001-01-01"), &error);
        QVERIFY2(first.has_value(), qPrintable(error));
    }

    void stagesOfSeveralPipelines_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("id"); ///< empty: refused
        QTest::addColumn<QString>("error"); ///< part of the refusal
        QTest::newRow("option id")
            << QStringLiteral("opt_rn_won") << QStringLiteral("opt_rn_won") << QString();
        QTest::newRow("pipeline / stage")
            << QStringLiteral("Renewals / Won") << QStringLiteral("opt_rn_won") << QString();
        QTest::newRow("any case, any spaces") << QStringLiteral("  new   business /  won ")
                                              << QStringLiteral("opt_nb_won") << QString();
        QTest::newRow("pipeline id / stage")
            << QStringLiteral("pd_rn / Lead") << QStringLiteral("opt_rn_lead") << QString();
        QTest::newRow("label of one pipeline only")
            << QStringLiteral("qualified") << QStringLiteral("opt_nb_qualified") << QString();
        QTest::newRow("label of two pipelines")
            << QStringLiteral("Won") << QString()
            << QStringLiteral("$stage \"Won\" is a stage of several pipelines: give one of \"New "
                              "Business / Won\" (opt_nb_won), \"Renewals / Won\" (opt_rn_won).");
        QTest::newRow("stage the pipeline lacks")
            << QStringLiteral("Renewals / Qualified") << QString()
            << QStringLiteral("(options: New Business / Lead, Qualified, New Business / Won, "
                              "Renewals / Lead, Renewals / Won)");
    }
    void stagesOfSeveralPipelines()
    {
        QFETCH(QString, text);
        QFETCH(QString, id);
        QFETCH(QString, error);
        FieldDefinition stage(
            QStringLiteral("$stage"), FieldType::SingleSelect, QStringLiteral("Stage"));
        const auto option = [](const char *optionId, const char *label, const char *pipeline,
                                const char *pipelineName) {
            SelectOption o;
            o.id = QLatin1String(optionId);
            o.label = QLatin1String(label);
            o.pipelineId = QLatin1String(pipeline);
            o.pipelineLabel = QLatin1String(pipelineName);
            return o;
        };
        stage.setOptions({option("opt_nb_lead", "Lead", "pd_nb", "New Business"),
            option("opt_nb_qualified", "Qualified", "pd_nb", "New Business"),
            option("opt_nb_won", "Won", "pd_nb", "New Business"),
            option("opt_rn_lead", "Lead", "pd_rn", "Renewals"),
            option("opt_rn_won", "Won", "pd_rn", "Renewals")});
        QString message;
        const std::optional<FieldValue> value = ValueParser::parseField(stage, text, &message);
        if (id.isEmpty()) {
            QVERIFY(!value);
            QVERIFY2(message.contains(error), qPrintable(message));
        } else {
            QVERIFY2(value, qPrintable(message));
            QCOMPARE(value->toText(), id);
        }
    }
};

QTEST_GUILESS_MAIN(TestValueParser)
#include "tst_valueparser.moc"
