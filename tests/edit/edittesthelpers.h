#pragma once

// Shared by the edit tests: a SyncTest::Harness against the sandbox, pulled once so
// that the store holds the deals and their definitions, and a RecordEditService over it.

#include "domain/recordjson.h"
#include "synctesthelpers.h"

#include "domain/objectschema.h"
#include "edit/recordeditservice.h"

#include <functional>

namespace EditTest {

using namespace SyncTest;

struct Fixture
{
    Harness h;
    ObjectSchema schema;
    std::unique_ptr<RecordEditService> service;

    /** Runs on the seeded sandbox before the client first talks to it (e.g. a schema change). */
    std::function<void(SandboxServer &)> prepare;

    /** Sandbox with `deals` deals, store pulled; the engine stays online unless `offline`. */
    bool start(bool offline, int deals = 12, SandboxConfig config = {})
    {
        if (!h.dir.isValid() || !h.startServer(std::move(config), deals))
            return false;
        if (prepare)
            prepare(*h.server);
        if (!h.open(false))
            return false;
        QSignalSpy pulled(h.engine.get(), &SyncEngine::pullFinished);
        h.engine->start();
        if (!pulled.wait(30000) || !pulled.first().at(0).toBool())
            return false;
        const std::optional<StoredDefinitions> definitions = h.store->definitions(kDeal);
        if (!definitions)
            return false;
        schema = ObjectSchema::fromDefinitionsJson(parseObject(definitions->json));
        service = std::make_unique<RecordEditService>(*h.store, *h.outbox);
        if (offline)
            h.engine->setWorkOffline(true);
        return !schema.isEmpty();
    }

    const FieldDefinition &field(const QString &key) const { return *schema.field(key); }
    const RelationshipDefinition &relationship(const QString &key) const
    {
        return *schema.relationship(key);
    }

    /** The id of the select option labelled `label` (options are never hard-coded). */
    QString optionId(const QString &key, const QString &label) const
    {
        for (const SelectOption &option : field(key).options()) {
            if (option.label == label)
                return option.id;
        }
        return QString();
    }

    Record current(const QString &id) const
    {
        return service->currentRecord(schema, id).value_or(Record());
    }

    /** A one-field ChangeSet. */
    ChangeSet set(const QString &key, const FieldValue &value) const
    {
        ChangeSet changes;
        changes.setValue(field(key), value);
        return changes;
    }

    /** The changes of a valid new deal named `name`. */
    ChangeSet newDeal(const QString &name) const
    {
        const QString account
            = RecordJson::relatedIds(h.serverRecord(h.dealIds().at(0)), QStringLiteral("$account"))
                  .value(0);
        return ChangeSet::forCreate(schema,
            {{QStringLiteral("$name"), FieldValue::fromText(FieldType::Text, name)},
                {QStringLiteral("$stage"),
                    FieldValue::fromText(FieldType::SingleSelect,
                        optionId(QStringLiteral("$stage"), QStringLiteral("Discovery")))},
                {QStringLiteral("$amount"), FieldValue::fromCents(1500000)}},
            {{QStringLiteral("$account"), {account}}});
    }

    /** A sandbox contact id not in `exclude` (relationship edits need real ids). */
    QString contactOtherThan(const QStringList &exclude) const
    {
        for (const QString &id : h.server->store().ids(QStringLiteral("contact"))) {
            if (!exclude.contains(id))
                return id;
        }
        return QString();
    }

    /** Server deals whose $name is `name`. */
    QStringList serverDealsNamed(const QString &name) const
    {
        QStringList ids;
        for (const QString &id : h.dealIds()) {
            if (RecordJson::fieldValue(h.serverRecord(id), QStringLiteral("$name")).toString()
                == name)
                ids << id;
        }
        return ids;
    }

    /** The API writes the sandbox received (POST bodies), oldest first. */
    QList<QJsonObject> writeBodies()
    {
        QList<QJsonObject> bodies;
        const QJsonArray writes = h.writes();
        for (const QJsonValue &write : writes)
            bodies << write.toObject().value(QStringLiteral("body")).toObject();
        return bodies;
    }

    /** Goes online and waits until the queue is drained and a pull after it has finished. */
    bool syncNow()
    {
        h.engine->setWorkOffline(false);
        return h.waitIdle() && h.pullOnce() && h.waitIdle();
    }
};

} // namespace EditTest
