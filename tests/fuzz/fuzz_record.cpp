// Record::fromJson() and FieldValue::fromJson() with a schema: a record in the read shape.
//
// Properties:
//  - Record::fromJson(record.toJson(), schema) gives an equal record (the documented round
//    trip), also through the compact text the cache stores;
//  - every value that is not raw, written in the write shape of its definition
//    (FieldValue::toJson(definition)) and read again, is the same value — directly and through
//    the JSON text that is sent (Json::compact), so the wire's number formatting counts;
//  - writing it again gives the same JSON (the bytes of a queued edit are stable);
//  - a value read for a definition has the definition's type or is raw; raw values are never
//    written (toJson() is undefined).
// Every value found in the input is also read as each of the 14 types, so one input exercises
// every decoder.

#include "domain/fieldtype.h"
#include "domain/fieldvalue.h"
#include "domain/json.h"
#include "domain/record.h"
#include "fuzzsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

QJsonValue throughText(const QJsonValue &value)
{
    // What is sent and stored is text: a value must survive Json::compact() and a parse.
    const QByteArray text = Json::compact(QJsonObject {{QStringLiteral("v"), value}});
    return QJsonDocument::fromJson(text).object().value(QLatin1String("v"));
}

void checkValue(const FieldValue &value, const FieldDefinition &definition)
{
    const QString context
        = QStringLiteral("field %1 (%2): %3")
              .arg(definition.key(), fieldTypeName(definition.type()), value.debugString());
    CHECK_MSG(!value.debugString().isEmpty(), context);
    if (value.isRaw()) {
        CHECK_MSG(value.toJson(definition).isUndefined(), context);
        CHECK_MSG(!value.rawJson().isUndefined(), context);
        return;
    }
    CHECK_MSG(value.isNull() || value.type() == definition.type(), context);
    if (value.type() == FieldType::Currency && !value.isNull())
        CHECK_MSG(value.currencyCode() == definition.currency(), context);

    const QJsonValue written = value.toJson(definition);
    CHECK_MSG(!written.isUndefined(), context);
    const FieldValue again = FieldValue::fromJson(definition, written);
    CHECK_MSG(again == value,
        context
            + QStringLiteral(" wrote %1, read back %2")
                  .arg(FuzzSupport::jsonText(written), again.debugString()));
    CHECK_MSG(again.toJson(definition) == written, context);

    const QJsonValue sent = throughText(written);
    const FieldValue received = FieldValue::fromJson(definition, sent);
    CHECK_MSG(received == value,
        context
            + QStringLiteral(" sent %1, read back %2")
                  .arg(FuzzSupport::jsonText(sent), received.debugString()));
}

void checkRecord(const Record &record, const ObjectSchema *schema)
{
    const QJsonObject json = record.toJson();
    const Record again = schema ? Record::fromJson(json, *schema) : Record::fromJson(json);
    CHECK_MSG(again == record, QString::fromUtf8(Json::compact(json)));
    const QJsonObject stored = QJsonDocument::fromJson(Json::compact(json)).object();
    const Record reread = schema ? Record::fromJson(stored, *schema) : Record::fromJson(stored);
    CHECK_MSG(reread == record, QString::fromUtf8(Json::compact(json)));
    CHECK(record.isValid() == !record.id().isEmpty());

    for (auto it = record.fields().constBegin(); it != record.fields().constEnd(); ++it) {
        const FieldDefinition *definition = schema ? schema->field(it.key()) : nullptr;
        if (definition) {
            checkValue(it.value(), *definition);
        } else if (!it.value().isRaw() && it.value().type() != FieldType::Unknown) {
            // No definition: the value was read by its own valueType.
            FieldDefinition bare(it.key(), it.value().type());
            bare.setMultipleValues(true);
            checkValue(it.value(), bare);
        }
    }
}

// The `value` of each field entry (or the bare entry), as the decoders see it.
QList<QJsonValue> valuesIn(const QJsonObject &json)
{
    QList<QJsonValue> values;
    const QJsonObject fields = json.value(QLatin1String("fields")).toObject();
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) {
        const QJsonValue entry = it.value();
        if (entry.isObject() && entry.toObject().contains(QLatin1String("value")))
            values.append(entry.toObject().value(QLatin1String("value")));
        else
            values.append(entry);
    }
    return values;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QJsonDocument document = QJsonDocument::fromJson(FuzzSupport::bytes(data, size));
    if (!document.isObject())
        return -1; // not a record: not worth keeping in the corpus
    const QJsonObject json = document.object();
    const ObjectSchema &schema = FuzzSupport::schema();

    checkRecord(Record::fromJson(json, schema), &schema);
    checkRecord(Record::fromJson(json), nullptr);

    // Each value found, read as each of the 14 types (single- or multi-valued in turn).
    const QList<QJsonValue> values = valuesIn(json);
    for (qsizetype i = 0; i < values.size(); ++i) {
        for (const FieldType type : knownFieldTypes()) {
            const FieldValue typed = FieldValue::fromJson(type, values.at(i));
            CHECK(typed.isRaw() || typed.isNull() || typed.type() == type);
            FieldDefinition bare(QStringLiteral("bare"), type);
            bare.setMultipleValues(i % 2 == 1);
            checkValue(typed, bare);
        }
    }
    return 0;
}
