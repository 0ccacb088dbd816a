// Opening a deal in the form (target: "Open a deal with 100 field
// definitions → form shown ≤ 50 ms").
//
// Builds a schema of --fields field definitions (default 100) cycling through the 14 value types
// (every seventh read-only, select fields with 8 options) plus the opportunity relationships, and
// a record with a value in every field. Each run times, on a fresh DealForm:
//   setSchema() (editors built) + setRecord() (values filled) + show() + the first paint
//   (QWidget::repaint() on the shown window, then the pending events),
// and reports the median and p95 of --runs runs (default 50, after 3 warm-up runs), plus the
// median of each part; then another deal shown in a form kept open (setRecord + paint), and the
// editor factory alone for comparison. Runs on the offscreen platform unless QT_QPA_PLATFORM says
// otherwise.
//
//   cmake -S . -B build/rel -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
//   -DLIGHTFIELD_BUILD_BENCHMARKS=ON cmake --build build/rel --target bench_dealform &&
//   build/rel/tests/bench/bench_dealform

#include "domain/objectschema.h"
#include "domain/record.h"
#include "editors/fieldeditorfactory.h"
#include "form/dealform.h"
#include "itemmodels/namelistmodel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <memory>
#include <vector>

namespace {

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto index = size_t(p * double(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

double msSince(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

/**
 * CPU time of this thread in ms: on a shared, busy machine the wall time also counts the waits
 * for a core, this does not.
 */
double threadCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

QList<SelectOption> options(int field)
{
    QList<SelectOption> list;
    for (int i = 0; i < 8; ++i) {
        SelectOption option;
        option.id = QStringLiteral("opt_%1_%2").arg(field).arg(i);
        option.label = QStringLiteral("Option %1").arg(i + 1);
        list.append(option);
    }
    return list;
}

FieldValue sampleValue(const FieldDefinition &definition, int n)
{
    const QString text = QStringLiteral("Value %1").arg(n);
    switch (definition.type()) {
    case FieldType::Text:
    case FieldType::Markdown:
        return FieldValue::fromText(definition.type(), text);
    case FieldType::SocialHandle:
        return FieldValue::fromText(
            definition.type(), QStringLiteral("https://www.linkedin.com/in/someone%1").arg(n));
    case FieldType::SingleSelect:
        return FieldValue::fromText(definition.type(), definition.options().at(n % 8).id);
    case FieldType::MultiSelect:
        return FieldValue::fromStringList(
            definition.type(), {definition.options().at(0).id, definition.options().at(3).id});
    case FieldType::Number:
        return FieldValue::fromNumber(n * 1.5);
    case FieldType::Checkbox:
        return FieldValue::fromBool(n % 2 == 0);
    case FieldType::Currency:
        return FieldValue::fromCents(qint64(n) * 123456, definition.currency());
    case FieldType::DateTime:
        return FieldValue::fromDateTime(
            QDateTime(QDate(2026, 1, 1).addDays(n), QTime(9, 30), Qt::UTC));
    case FieldType::Email:
        return FieldValue::fromStringList(
            definition.type(), {QStringLiteral("buyer%1@example.com").arg(n)});
    case FieldType::Telephone:
        return FieldValue::fromStringList(
            definition.type(), {QStringLiteral("+1415555%1").arg(n, 4, 10, QLatin1Char('0'))});
    case FieldType::Url:
        return FieldValue::fromStringList(
            definition.type(), {QStringLiteral("https://example.com/%1").arg(n)});
    case FieldType::Address: {
        Address address;
        address.street = QStringLiteral("%1 Market St").arg(n);
        address.city = QStringLiteral("San Francisco");
        address.country = QStringLiteral("US");
        return FieldValue::fromAddress(address);
    }
    case FieldType::FullName: {
        FullName name;
        name.firstName = QStringLiteral("Ana");
        name.lastName = QStringLiteral("Ruiz %1").arg(n);
        return FieldValue::fromFullName(name);
    }
    case FieldType::Unknown:
        break;
    }
    return {};
}

ObjectSchema bigSchema(int fieldCount)
{
    ObjectSchema schema(QStringLiteral("opportunity"));
    const QList<FieldType> types = knownFieldTypes();
    for (int i = 0; i < fieldCount; ++i) {
        const FieldType type = types.at(i % types.size());
        const QString key = i == 0 ? QStringLiteral("$name") : QStringLiteral("field%1").arg(i);
        // The first one is the deal's name (the form's header shows it).
        FieldDefinition definition(key, i == 0 ? FieldType::Text : type,
            i == 0 ? QStringLiteral("Name")
                   : QStringLiteral("Field %1 (%2)").arg(i).arg(fieldTypeName(type)));
        if (type == FieldType::SingleSelect || type == FieldType::MultiSelect)
            definition.setOptions(options(i));
        if (type == FieldType::Currency)
            definition.setCurrency(QStringLiteral("USD"));
        if (type == FieldType::SocialHandle)
            definition.setHandleService(QStringLiteral("LINKEDIN"));
        if (i % 7 == 6)
            definition.setReadOnly(true);
        schema.addField(definition);
    }
    schema.addRelationship({QStringLiteral("$account"), Cardinality::HasOne,
        QStringLiteral("account"), QStringLiteral("Account")});
    schema.addRelationship({QStringLiteral("$owner"), Cardinality::HasOne, QStringLiteral("member"),
        QStringLiteral("Owner")});
    schema.addRelationship({QStringLiteral("$champion"), Cardinality::HasMany,
        QStringLiteral("contact"), QStringLiteral("Champion")});
    RelationshipDefinition tasks(QStringLiteral("$task"), Cardinality::HasMany,
        QStringLiteral("task"), QStringLiteral("Tasks"));
    tasks.setReadOnly(true);
    schema.addRelationship(tasks);
    return schema;
}

Record bigRecord(const ObjectSchema &schema)
{
    Record record(QStringLiteral("opp_bench"));
    record.setHttpLink(QStringLiteral("https://app.lightfield.app/deals/opp_bench"));
    int n = 0;
    for (const FieldDefinition &definition : schema.fields())
        record.setValue(definition.key(), sampleValue(definition, ++n));
    record.setRelationship(QStringLiteral("$account"),
        {Cardinality::HasOne, QStringLiteral("account"), {QStringLiteral("acc_7")}});
    record.setRelationship(QStringLiteral("$owner"),
        {Cardinality::HasOne, QStringLiteral("member"), {QStringLiteral("mem_2")}});
    record.setRelationship(QStringLiteral("$champion"),
        {Cardinality::HasMany, QStringLiteral("contact"),
            {QStringLiteral("con_1"), QStringLiteral("con_2"), QStringLiteral("con_3")}});
    record.setRelationship(QStringLiteral("$task"),
        {Cardinality::HasMany, QStringLiteral("task"), {QStringLiteral("tsk_1")}});
    return record;
}

QList<NamedRecord> names(const QString &prefix, int count)
{
    QList<NamedRecord> out;
    for (int i = 0; i < count; ++i)
        out.append({prefix + QString::number(i), QStringLiteral("Name %1 %2").arg(prefix).arg(i)});
    return out;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Times opening a deal in the form."));
    parser.addHelpOption();
    const QCommandLineOption fieldsOption(QStringLiteral("fields"),
        QStringLiteral("Field definitions (default 100)."), QStringLiteral("n"),
        QStringLiteral("100"));
    const QCommandLineOption runsOption(QStringLiteral("runs"),
        QStringLiteral("Timed runs (default 50)."), QStringLiteral("n"), QStringLiteral("50"));
    parser.addOptions({fieldsOption, runsOption});
    parser.process(app);
    const int fieldCount = qMax(1, parser.value(fieldsOption).toInt());
    const int runs = qMax(1, parser.value(runsOption).toInt());

    const ObjectSchema schema = bigSchema(fieldCount);
    const Record record = bigRecord(schema);
    NameListModel accounts;
    accounts.setRecords(names(QStringLiteral("acc_"), 2000));
    NameListModel members;
    members.setRecords(names(QStringLiteral("mem_"), 50));
    NameListModel contacts;
    contacts.setRecords(names(QStringLiteral("con_"), 5000));

    std::vector<double> total;
    std::vector<double> build;
    std::vector<double> fill;
    std::vector<double> paint;
    std::vector<double> cpu;
    const int warmup = 3;
    for (int run = 0; run < warmup + runs; ++run) {
        QElapsedTimer timer;
        const double cpuStart = threadCpuMs();
        timer.start();
        auto form = std::make_unique<DealForm>();
        form->resize(480, 900);
        form->setNameModel(QStringLiteral("account"), &accounts);
        form->setNameModel(QStringLiteral("member"), &members);
        form->setNameModel(QStringLiteral("contact"), &contacts);
        form->setSchema(schema);
        const double built = msSince(timer);
        form->setRecord(record);
        const double filled = msSince(timer);
        form->show();
        form->repaint();
        QApplication::processEvents();
        const double shown = msSince(timer);
        const double cpuUsed = threadCpuMs() - cpuStart;
        if (run >= warmup) {
            total.push_back(shown);
            cpu.push_back(cpuUsed);
            build.push_back(built);
            fill.push_back(filled - built);
            paint.push_back(shown - filled);
        }
        form.reset();
        QApplication::processEvents(); // deleteLater()s of the editors, outside the timing
    }

    // The form kept open (what the main window does): another deal into the shown form.
    std::vector<double> reuse;
    {
        DealForm form;
        form.resize(480, 900);
        form.setNameModel(QStringLiteral("account"), &accounts);
        form.setNameModel(QStringLiteral("member"), &members);
        form.setNameModel(QStringLiteral("contact"), &contacts);
        form.setSchema(schema);
        form.show();
        QApplication::processEvents();
        for (int run = 0; run < warmup + runs; ++run) {
            Record other = record;
            other.setId(QStringLiteral("opp_bench_%1").arg(run));
            QElapsedTimer timer;
            timer.start();
            form.setRecord(other);
            form.repaint();
            QApplication::processEvents();
            if (run >= warmup)
                reuse.push_back(msSince(timer));
        }
    }

    // For comparison: the editors alone, made by the factory into a plain widget (not shown).
    std::vector<double> factoryOnly;
    for (int run = 0; run < warmup + runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        auto parent = std::make_unique<QWidget>();
        for (const FieldDefinition &definition : schema.fields())
            FieldEditorFactory::create(definition, parent.get());
        if (run >= warmup)
            factoryOnly.push_back(msSince(timer));
        parent.reset();
        QApplication::processEvents();
    }

    std::printf("open a deal, %d field definitions + %lld relationships, %d runs:\n", fieldCount,
        qlonglong(schema.relationships().size()), runs);
    std::printf("  total (build + fill + show/paint): median %.2f ms, p95 %.2f ms "
                "(target <= 50 ms)\n",
        percentile(total, 0.5), percentile(total, 0.95));
    std::printf("  same, CPU time of the GUI thread: median %.2f ms, p95 %.2f ms\n",
        percentile(cpu, 0.5), percentile(cpu, 0.95));
    std::printf("  setSchema (editors built): median %.2f ms\n", percentile(build, 0.5));
    std::printf("  setRecord (values filled): median %.2f ms\n", percentile(fill, 0.5));
    std::printf("  show + first paint:        median %.2f ms\n", percentile(paint, 0.5));
    std::printf("  another deal into the open form (setRecord + paint): median %.2f ms, "
                "p95 %.2f ms\n",
        percentile(reuse, 0.5), percentile(reuse, 0.95));
    std::printf("  (FieldEditorFactory::create alone for the same fields: median %.2f ms)\n",
        percentile(factoryOnly, 0.5));
    return 0;
}
