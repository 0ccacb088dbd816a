// ObjectSchema::fromDefinitionsJson(): a definitions response body.
//
// Properties:
//  - toDefinitionsJson() read back gives an equal schema (what the cache stores must give the
//    schema the server sent), also through the compact text the cache keeps; and writing that
//    again gives the same JSON;
//  - keys are unique and non-empty, field() / indexOfField() / relationship() agree with the
//    lists, labels are never empty, an Unknown type is read-only and never writable;
//  - system fields come before custom ones, and the rules the API documents but does not send
//    (opportunity `$name` and `$stage` required, `$opportunityStatus` read-only, …) hold.

#include "domain/json.h"
#include "domain/objectschema.h"
#include "fuzzsupport.h"

#include <QJsonDocument>
#include <QSet>

namespace {

QString describe(const ObjectSchema &schema)
{
    return QString::fromUtf8(Json::compact(schema.toDefinitionsJson()));
}

void checkInvariants(const ObjectSchema &schema)
{
    QSet<QString> keys;
    bool customSeen = false;
    for (qsizetype i = 0; i < schema.fields().size(); ++i) {
        const FieldDefinition &definition = schema.fields().at(i);
        CHECK_MSG(!definition.key().isEmpty(), describe(schema));
        CHECK_MSG(!keys.contains(definition.key()), definition.key());
        keys.insert(definition.key());
        CHECK(schema.indexOfField(definition.key()) == i);
        CHECK(schema.field(definition.key()) == &schema.fields().at(i));
        CHECK(!definition.label().isEmpty());
        if (definition.type() == FieldType::Unknown)
            CHECK(definition.isReadOnly() && !definition.isWritable());
        if (definition.isSystem())
            CHECK_MSG(!customSeen, describe(schema));
        else
            customSeen = true;
    }
    CHECK(schema.fieldKeys().size() == schema.fields().size());

    QSet<QString> relationshipKeys;
    for (const RelationshipDefinition &definition : schema.relationships()) {
        CHECK(!definition.key().isEmpty());
        CHECK(!relationshipKeys.contains(definition.key()));
        relationshipKeys.insert(definition.key());
        CHECK(schema.relationship(definition.key()) == &definition);
        CHECK(!definition.label().isEmpty());
    }

    if (schema.objectType() == QLatin1String("opportunity")) {
        for (const char *key : {"$name", "$stage"}) {
            if (const FieldDefinition *definition = schema.field(QLatin1String(key)))
                CHECK(definition->isRequired());
        }
        if (const FieldDefinition *status = schema.field(QStringLiteral("$opportunityStatus")))
            CHECK(status->isReadOnly());
        if (const RelationshipDefinition *account = schema.relationship(QStringLiteral("$account")))
            CHECK(account->isRequired());
        for (const char *key : {"$task", "$note"}) {
            if (const RelationshipDefinition *definition = schema.relationship(QLatin1String(key)))
                CHECK(definition->isReadOnly());
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QJsonDocument document = QJsonDocument::fromJson(FuzzSupport::bytes(data, size));
    if (!document.isObject())
        return -1;
    const ObjectSchema schema = ObjectSchema::fromDefinitionsJson(document.object());
    checkInvariants(schema);

    const QJsonObject written = schema.toDefinitionsJson();
    const ObjectSchema again = ObjectSchema::fromDefinitionsJson(written);
    CHECK_MSG(again == schema,
        QStringLiteral("wrote %1\nread back %2").arg(describe(schema), describe(again)));
    CHECK(again.toDefinitionsJson() == written);

    // The cache keeps the compact text (Puller, LocalStore::putDefinitions()).
    const QByteArray stored = Json::compact(written);
    const ObjectSchema cached
        = ObjectSchema::fromDefinitionsJson(QJsonDocument::fromJson(stored).object());
    CHECK_MSG(cached == schema, QString::fromUtf8(stored));
    return 0;
}
