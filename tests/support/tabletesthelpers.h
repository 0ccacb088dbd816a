#pragma once

// Helpers shared by the deals-table tests: the sandbox's opportunity schema, compact record
// builders and signal spies rendered as strings.

#include "domain/columnfilter.h"
#include "domain/objectschema.h"
#include "domain/record.h"
#include "itemmodels/namedirectory.h"
#include "modelspytext.h"

#include "sandboxschema.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QModelIndex>
#include <QSignalSpy>
#include <QStringList>
#include <QTest>
#include <QVariant>

#include <utility>

namespace TableTest {

inline ObjectSchema opportunitySchema()
{
    return ObjectSchema::fromDefinitionsJson(SandboxSchema::opportunity().definitionsJson());
}

using Fields = QList<std::pair<QString, QJsonValue>>;
using Relations = QList<std::pair<QString, QStringList>>;

/** A record in the read shape: each bare value wrapped as {valueType, value} per `schema`. */
inline Record makeRecord(const ObjectSchema &schema, const QString &id, const Fields &fields,
    const Relations &relationships = {})
{
    QJsonObject fieldJson;
    for (const auto &[key, value] : fields) {
        const FieldDefinition *definition = schema.field(key);
        const QString type = definition ? definition->valueTypeName() : QStringLiteral("GEO_POINT");
        fieldJson.insert(key,
            QJsonObject {{QStringLiteral("valueType"), type}, {QStringLiteral("value"), value}});
    }
    QJsonObject relationshipJson;
    for (const auto &[key, ids] : relationships) {
        const RelationshipDefinition *definition = schema.relationship(key);
        relationshipJson.insert(key,
            QJsonObject {{QStringLiteral("cardinality"), QStringLiteral("HAS_MANY")},
                {QStringLiteral("objectType"),
                    definition ? definition->objectType() : QStringLiteral("account")},
                {QStringLiteral("values"), QJsonArray::fromStringList(ids)}});
    }
    const QJsonObject json {{QStringLiteral("id"), id},
        {QStringLiteral("createdAt"), QStringLiteral("2026-01-01T00:00:00.000Z")},
        {QStringLiteral("updatedAt"), QStringLiteral("2026-01-02T00:00:00.000Z")},
        {QStringLiteral("fields"), fieldJson}, {QStringLiteral("relationships"), relationshipJson}};
    return Record::fromJson(json, schema);
}

inline NameDirectory names()
{
    NameDirectory directory;
    directory.insert(QStringLiteral("acc_north"), QStringLiteral("Northwind Labs"));
    directory.insert(QStringLiteral("acc_ale"), QStringLiteral("Ålesund Shipping"));
    directory.insert(QStringLiteral("acc_zeta"), QStringLiteral("Zeta KK"));
    directory.insert(QStringLiteral("mem_soren"), QStringLiteral("Søren Kierkegaard"));
    directory.insert(QStringLiteral("mem_ana"), QStringLiteral("Ana Ruiz"));
    directory.insert(QStringLiteral("con_jose"), QStringLiteral("José Núñez"));
    directory.insert(QStringLiteral("con_zoe"), QStringLiteral("Zoë Brontë"));
    return directory;
}

/**
 * The columns of a data-driven column-filter test: the column key, the operator (as int),
 * the value, negation and the ids expected to pass (sorted, space-separated).
 */
inline void addColumnFilterColumns()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("op");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<bool>("negate");
    QTest::addColumn<QString>("expected");
}

/** One row of a test set up by addColumnFilterColumns(). */
inline void addColumnFilterRow(const char *name, const char *key, ColumnFilter::Operator op,
    const QVariant &value, bool negate, const char *expected)
{
    QTest::newRow(name) << QString::fromUtf8(key) << int(op) << value << negate
                        << QString::fromUtf8(expected);
}

using ModelSpyText::changedRowsText;
using ModelSpyText::rowsText;

} // namespace TableTest
