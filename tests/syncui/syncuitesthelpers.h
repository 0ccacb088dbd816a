#pragma once

// Helpers shared by the sync UI tests: a small deal schema stored as
// definitions, server copies in the read shape, update bodies, and signal spies as strings.

#include "domain/fielddefinition.h"
#include "domain/merge.h"
#include "domain/objectschema.h"
#include "domain/recordjson.h"
#include "domain/relationshipdefinition.h"
#include "modelspytext.h"
#include "store/localstore.h"
#include "store/outbox.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QModelIndex>
#include <QSignalSpy>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace SyncUiTest {

inline const QString kDeal = QStringLiteral("opportunity");
inline const QDateTime kNow = QDateTime::fromMSecsSinceEpoch(1'776'000'000'000, Qt::UTC);

inline QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

/** Name (TEXT), Stage (SINGLE_SELECT), Amount (CURRENCY USD), Next steps; Owner (member). */
inline ObjectSchema dealSchema()
{
    ObjectSchema schema(kDeal);
    schema.addField(
        FieldDefinition(QStringLiteral("$name"), FieldType::Text, QStringLiteral("Name")));
    FieldDefinition stage(
        QStringLiteral("$stage"), FieldType::SingleSelect, QStringLiteral("Stage"));
    stage.setOptions({{QStringLiteral("opt_disc"), QStringLiteral("Discovery"), {}, {}},
        {QStringLiteral("opt_prop"), QStringLiteral("Proposal"), {}, {}}});
    schema.addField(stage);
    FieldDefinition amount(
        QStringLiteral("$amount"), FieldType::Currency, QStringLiteral("Amount"));
    amount.setCurrency(QStringLiteral("USD"));
    schema.addField(amount);
    schema.addField(FieldDefinition(
        QStringLiteral("nextSteps"), FieldType::Markdown, QStringLiteral("Next steps")));
    schema.addRelationship(RelationshipDefinition(QStringLiteral("$owner"), Cardinality::HasOne,
        QStringLiteral("member"), QStringLiteral("Owner")));
    return schema;
}

/** A deal in the read shape. */
inline QJsonObject dealJson(const QString &id, const QString &name, double amount = 100,
    const QString &updatedAt = QStringLiteral("2026-04-20T10:00:00.000Z"))
{
    auto pair = [](const char *type, const QJsonValue &value) {
        return QJsonObject {{QStringLiteral("valueType"), QString::fromLatin1(type)},
            {QStringLiteral("value"), value}};
    };
    return QJsonObject {{QStringLiteral("id"), id}, {QStringLiteral("updatedAt"), updatedAt},
        {QStringLiteral("fields"),
            QJsonObject {{QStringLiteral("$name"), pair("TEXT", name)},
                {QStringLiteral("$amount"), pair("CURRENCY", amount)},
                {QStringLiteral("nextSteps"), pair("MARKDOWN", QStringLiteral("old"))}}},
        {QStringLiteral("relationships"), QJsonObject {}}};
}

/** An update body of bare field values. */
inline QByteArray fieldsBody(const QJsonObject &fields)
{
    return compact(QJsonObject {{QStringLiteral("fields"), fields}});
}

/** A store in a temporary folder with the deal schema stored as definitions, and its outbox. */
struct Fixture
{
    QTemporaryDir dir;
    std::unique_ptr<LocalStore> store;
    std::unique_ptr<Outbox> outbox;

    bool open()
    {
        store = std::make_unique<LocalStore>(dir.filePath(QStringLiteral("cache.sqlite")));
        if (!store->open().isOpen())
            return false;
        outbox = std::make_unique<Outbox>(*store);
        return store->putDefinitions(kDeal, compact(dealSchema().toDefinitionsJson()), kNow);
    }

    bool seed(const QString &id, const QString &name, double amount = 100)
    {
        return store->upsertServerRecord(kDeal, compact(dealJson(id, name, amount)))
            != LocalStore::Upsert::Error;
    }

    /** Queues an update of `fields` (bare values) with the cached values as base. */
    std::optional<OutboxRow> edit(const QString &id, const QJsonObject &fields)
    {
        QJsonObject base;
        const std::optional<StoredRecord> stored = store->record(kDeal, id);
        const QJsonObject record
            = stored ? QJsonDocument::fromJson(stored->effectiveJson()).object() : QJsonObject();
        for (auto it = fields.begin(); it != fields.end(); ++it)
            base.insert(it.key(), RecordJson::fieldValue(record, it.key()));
        return outbox->enqueueUpdate(
            kDeal, id, fieldsBody(fields), stored ? stored->updatedAt : QString(), base, {}, kNow);
    }
};

using ModelSpyText::changedRowsText;
using ModelSpyText::rowsText;

} // namespace SyncUiTest
