#include "sandboxstore.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QSet>

#include <algorithm>
#include <array>

namespace {

constexpr int kMaxPageSize = 25;
constexpr int kMaxRelationshipIds = 25;

const QString kOpportunity = QStringLiteral("opportunity");
const QString kAccount = QStringLiteral("account");
const QString kContact = QStringLiteral("contact");
const QString kMember = QStringLiteral("member");
const QString kList = QStringLiteral("list");

struct InverseLink
{
    QString oneType; ///< the side holding HAS_ONE
    QString oneKey;
    QString manyType; ///< the side holding HAS_MANY
    QString manyKey;
};

const QList<InverseLink> &inverseLinks()
{
    static const QList<InverseLink> links {
        {kOpportunity, QStringLiteral("$account"), kAccount, QStringLiteral("$opportunity")},
        {kContact, QStringLiteral("$account"), kAccount, QStringLiteral("$contact")},
    };
    return links;
}

QString quoted(const QString &text)
{
    return QLatin1Char('\'') + text + QLatin1Char('\'');
}

QString pluralOf(const QString &objectType)
{
    if (objectType == kOpportunity)
        return QStringLiteral("opportunities");
    return objectType + QLatin1Char('s');
}

QString httpLink(const QString &objectType, const QString &id)
{
    return QStringLiteral("https://crm.lightfield.app/crm/") + pluralOf(objectType)
        + QLatin1Char('/') + id;
}

qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2 ? 1 : 0;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<qint64>(doe) - 719468;
}

/// Timestamps are almost always in the stored form, so that one is parsed by hand: seeding
/// and loading 100,000 records should not pay for QDateTime's general parser.
std::optional<qint64> msFromIso(const QString &text)
{
    static constexpr std::array<int, 17> kDigitPositions {
        0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22};
    bool canonical = text.size() == 24 && text.at(4) == QLatin1Char('-')
        && text.at(7) == QLatin1Char('-') && text.at(10) == QLatin1Char('T')
        && text.at(13) == QLatin1Char(':') && text.at(16) == QLatin1Char(':')
        && text.at(19) == QLatin1Char('.') && text.at(23) == QLatin1Char('Z');
    for (int i = 0; canonical && i < int(kDigitPositions.size()); ++i)
        canonical = text.at(kDigitPositions[i]).isDigit();
    if (canonical) {
        const auto number = [&text](int from, int length) {
            int value = 0;
            for (int i = from; i < from + length; ++i)
                value = value * 10 + (text.at(i).unicode() - u'0');
            return value;
        };
        const int month = number(5, 2);
        const int day = number(8, 2);
        if (month >= 1 && month <= 12 && day >= 1 && day <= 31) {
            const qint64 days = daysFromCivil(number(0, 4), unsigned(month), unsigned(day));
            return ((days * 24 + number(11, 2)) * 60 + number(14, 2)) * 60'000
                + number(17, 2) * 1000LL + number(20, 3);
        }
    }
    const QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!parsed.isValid())
        return std::nullopt;
    return parsed.toMSecsSinceEpoch();
}

QJsonObject fieldValue(const QString &valueType, const QJsonValue &value)
{
    return {{QStringLiteral("valueType"), valueType}, {QStringLiteral("value"), value}};
}

QJsonObject relationshipValue(const SandboxRelationshipDef &def, const QStringList &ids)
{
    return {{QStringLiteral("cardinality"), def.cardinality},
        {QStringLiteral("objectType"), def.objectType},
        {QStringLiteral("values"), QJsonArray::fromStringList(ids)}};
}

QStringList relationshipIds(const QJsonObject &record, const QString &key)
{
    QStringList ids;
    const QJsonArray values
        = record.value(QStringLiteral("relationships"))[key][QStringLiteral("values")].toArray();
    ids.reserve(values.size());
    for (const QJsonValue &value : values)
        ids.append(value.toString());
    return ids;
}

/// A relationship value on create or inside an operation: one id or an array of ids.
bool parseIds(const QJsonValue &value, QStringList *ids)
{
    ids->clear();
    if (value.isString()) {
        ids->append(value.toString());
        return true;
    }
    if (!value.isArray())
        return false;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array) {
        if (!item.isString())
            return false;
        if (!ids->contains(item.toString()))
            ids->append(item.toString());
    }
    return true;
}

ApiError relationshipError(const QString &code, const QString &key, const QString &message)
{
    return ApiError::badRequest(code, message, QStringLiteral("relationships.") + key);
}

std::optional<ApiError> checkBodyShape(const QJsonObject &body)
{
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (it.key() != QLatin1String("fields") && it.key() != QLatin1String("relationships")) {
            return ApiError::badRequest(QStringLiteral("unknown_field"),
                QStringLiteral("Unrecognized top-level key %1; a body has "
                               "only 'fields' and 'relationships'.")
                    .arg(quoted(it.key())),
                it.key());
        }
        if (!it.value().isObject()) {
            return ApiError::badRequest(QStringLiteral("invalid_type"),
                QStringLiteral("%1 must be an object.").arg(quoted(it.key())), it.key());
        }
    }
    return std::nullopt;
}

using FieldWrites = QList<QPair<const SandboxFieldDef *, QJsonValue>>;

std::optional<ApiError> normalizeFields(const SandboxSchema &schema, const QJsonObject &fields,
    FieldWrites *writes, const SandboxWriteRules &rules)
{
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const SandboxFieldDef *def = schema.field(it.key());
        if (!def) {
            return ApiError::badRequest(QStringLiteral("unknown_field"),
                QStringLiteral("Unrecognized field %1 for '%2'.")
                    .arg(quoted(it.key()), pluralOf(schema.objectType)),
                QStringLiteral("fields.") + it.key());
        }
        if (def->readOnly) {
            return ApiError::badRequest(QStringLiteral("read_only_field"),
                QStringLiteral("Field %1 is read-only for '%2'.")
                    .arg(quoted(it.key()), pluralOf(schema.objectType)),
                QStringLiteral("fields.") + it.key());
        }
    }
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const SandboxFieldDef *def = schema.field(it.key());
        auto normalized = normalizeFieldWrite(*def, it.value(), rules);
        if (auto *error = std::get_if<ApiError>(&normalized))
            return *error;
        writes->append({def, std::get<QJsonValue>(normalized)});
    }
    return std::nullopt;
}

/// $opportunityStatus follows $stage on every write.
void deriveFields(const QString &objectType, QJsonObject &fields)
{
    if (objectType != kOpportunity)
        return;
    const QString stage
        = fields.value(QStringLiteral("$stage"))[QStringLiteral("value")].toString();
    QString status = QStringLiteral("opt_status_open");
    // "opt_stage_closed_won", and with pipelines "opt_stage_nb_won", "opt_stage_rn_won", …
    if (stage.endsWith(QLatin1String("_won")))
        status = QStringLiteral("opt_status_won");
    else if (stage.endsWith(QLatin1String("_lost")))
        status = QStringLiteral("opt_status_lost");
    fields.insert(
        QStringLiteral("$opportunityStatus"), fieldValue(QStringLiteral("SINGLE_SELECT"), status));
}

std::optional<qint64> parseCount(const QUrlQuery &query, const QString &name)
{
    const QString text = query.queryItemValue(name, QUrl::FullyDecoded);
    if (text.isEmpty() || text.size() > 12)
        return std::nullopt;
    for (const QChar c : text) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return std::nullopt;
    }
    return text.toLongLong();
}

} // namespace

SandboxStore::SandboxStore(const SandboxClock *clock, quint64 idSeed)
    : m_clock(clock)
    , m_idRandom(std::array<quint32, 2> {quint32(idSeed), quint32(idSeed >> 32)}.data(), 2)
{
    for (SandboxSchema schema : {SandboxSchema::opportunity(), SandboxSchema::account(),
             SandboxSchema::contact(), SandboxSchema::member(), SandboxSchema::list()}) {
        Table table;
        table.schema = schema;
        m_tables.insert(schema.objectType, table);
    }
}

void SandboxStore::addField(const QString &objectType, const SandboxFieldDef &def)
{
    QList<SandboxFieldDef> &fields = m_tables[objectType].schema.fields;
    for (SandboxFieldDef &existing : fields) {
        if (existing.key == def.key) {
            existing = def;
            return;
        }
    }
    fields.append(def);
}

void SandboxStore::setWriteRules(const SandboxWriteRules &rules)
{
    m_writeRules = rules;
    // --account-update: opportunity $account on update is accepted (and its definition says
    // so) or refused (and its definition says nothing, as the documented definitions do).
    for (SandboxRelationshipDef &def : m_tables[kOpportunity].schema.relationships) {
        if (def.key == QLatin1String("$account")) {
            def.createOnly = !rules.accountOnUpdate;
            def.advertisesCreateOnly = rules.accountOnUpdate;
        }
    }
}

QString SandboxStore::isoFromMs(qint64 ms)
{
    return sandboxIsoFromMs(ms);
}

bool SandboxStore::hasObjectType(const QString &objectType) const
{
    return m_tables.contains(objectType);
}

const SandboxSchema &SandboxStore::schema(const QString &objectType) const
{
    static const SandboxSchema empty;
    const auto it = m_tables.constFind(objectType);
    return it == m_tables.cend() ? empty : it->schema;
}

std::optional<ApiError> SandboxStore::checkWritableType(const QString &objectType) const
{
    if (!m_tables.contains(objectType)) {
        return ApiError::notFound(
            QStringLiteral("Unknown object type %1.").arg(quoted(objectType)));
    }
    if (objectType == kMember || objectType == kList) {
        return ApiError::badRequest(QStringLiteral("read_only_field"),
            QStringLiteral("'%1' are read-only in the sandbox.").arg(pluralOf(objectType)));
    }
    return std::nullopt;
}

bool SandboxStore::exists(const QString &objectType, const QString &id) const
{
    const auto table = m_tables.constFind(objectType);
    return table != m_tables.cend() && table->entries.contains(id);
}

const QJsonObject *SandboxStore::current(const QString &objectType, const QString &id) const
{
    const auto table = m_tables.constFind(objectType);
    if (table == m_tables.cend())
        return nullptr;
    const auto entry = table->entries.constFind(id);
    if (entry == table->entries.cend() || entry->versions.isEmpty())
        return nullptr;
    return &entry->versions.last().record;
}

SandboxStore::Result SandboxStore::create(const QString &objectType, const QJsonObject &requested)
{
    if (auto error = checkWritableType(objectType))
        return *error;
    QJsonObject body = requested;
    if (auto error = applyPipelineRules(objectType, nullptr, &body))
        return *error;
    Table &table = m_tables[objectType];
    const SandboxSchema &schema = table.schema;
    if (auto error = checkBodyShape(body))
        return *error;

    FieldWrites fieldWrites;
    if (auto error = normalizeFields(
            schema, body.value(QStringLiteral("fields")).toObject(), &fieldWrites, m_writeRules))
        return *error;

    const QJsonObject relationships = body.value(QStringLiteral("relationships")).toObject();
    for (auto it = relationships.begin(); it != relationships.end(); ++it) {
        const SandboxRelationshipDef *def = schema.relationship(it.key());
        if (!def) {
            return relationshipError(QStringLiteral("unknown_relationship"), it.key(),
                QStringLiteral("Unrecognized relationship %1 for '%2'.")
                    .arg(quoted(it.key()), pluralOf(objectType)));
        }
        if (def->readOnly) {
            return relationshipError(QStringLiteral("read_only_relationship"), it.key(),
                QStringLiteral("Relationship %1 is read-only for '%2'.")
                    .arg(quoted(it.key()), pluralOf(objectType)));
        }
    }
    QList<RelationshipChange> changes;
    qsizetype idCount = 0;
    for (auto it = relationships.begin(); it != relationships.end(); ++it) {
        const SandboxRelationshipDef *def = schema.relationship(it.key());
        RelationshipChange change {def, {}, {}};
        if (!parseIds(it.value(), &change.after)) {
            return relationshipError(QStringLiteral("invalid_type"), it.key(),
                QStringLiteral("Relationship %1 expects an id string or an "
                               "array of id strings.")
                    .arg(quoted(it.key())));
        }
        if (def->cardinality == QLatin1String("HAS_ONE") && change.after.size() > 1) {
            return relationshipError(QStringLiteral("invalid_type"), it.key(),
                QStringLiteral("Relationship %1 is HAS_ONE and takes one id, "
                               "got %2.")
                    .arg(quoted(it.key()))
                    .arg(change.after.size()));
        }
        for (const QString &id : std::as_const(change.after)) {
            if (!exists(def->objectType, id)) {
                return relationshipError(QStringLiteral("relationship_entity_missing"), it.key(),
                    QStringLiteral("No %1 with id %2 for relationship %3.")
                        .arg(def->objectType, quoted(id), quoted(it.key())));
            }
        }
        idCount += change.after.size();
        changes.append(change);
    }
    if (idCount > kMaxRelationshipIds) {
        return ApiError::unprocessable(QStringLiteral("relationship_write_limit_exceeded"),
            QStringLiteral("A request may reference at most %1 relationship ids; this one has %2.")
                .arg(kMaxRelationshipIds)
                .arg(idCount));
    }

    for (const SandboxFieldDef &def : schema.fields) {
        if (!def.required)
            continue;
        const bool given = std::any_of(fieldWrites.cbegin(), fieldWrites.cend(),
            [&def](const auto &write) { return write.first == &def; });
        if (!given) {
            return ApiError::badRequest(QStringLiteral("parameter_missing"),
                QStringLiteral("Field %1 is required to create %2.")
                    .arg(quoted(def.key), pluralOf(objectType)),
                QStringLiteral("fields.") + def.key);
        }
    }
    for (const SandboxRelationshipDef &def : schema.relationships) {
        if (!def.required)
            continue;
        const bool given = std::any_of(changes.cbegin(), changes.cend(),
            [&def](const auto &c) { return c.def == &def && !c.after.isEmpty(); });
        if (!given) {
            return relationshipError(QStringLiteral("parameter_missing"), def.key,
                QStringLiteral("Relationship %1 is required to create %2.")
                    .arg(quoted(def.key), pluralOf(objectType)));
        }
    }

    const qint64 writeMs = nextWriteTimeMs();
    const QString id = newId(objectType);
    const QString timestamp = isoFromMs(writeMs);
    QJsonObject fields;
    for (const SandboxFieldDef &def : schema.fields)
        fields.insert(def.key, fieldValue(def.valueType, QJsonValue()));
    for (const auto &[def, value] : std::as_const(fieldWrites))
        fields.insert(def->key, fieldValue(def->valueType, value));
    deriveFields(objectType, fields);
    QJsonObject relationshipValues;
    for (const SandboxRelationshipDef &def : schema.relationships)
        relationshipValues.insert(def.key, relationshipValue(def, {}));
    for (const RelationshipChange &change : std::as_const(changes))
        relationshipValues.insert(change.def->key, relationshipValue(*change.def, change.after));

    const QJsonObject record {
        {QStringLiteral("id"), id},
        {QStringLiteral("createdAt"), timestamp},
        {QStringLiteral("updatedAt"), timestamp},
        {QStringLiteral("httpLink"), httpLink(objectType, id)},
        {QStringLiteral("externalId"), QJsonValue()},
        {QStringLiteral("fields"), fields},
        {QStringLiteral("relationships"), relationshipValues},
    };
    commit(table, id, record, writeMs);
    for (const RelationshipChange &change : std::as_const(changes))
        syncInverse(objectType, id, change, writeMs);
    return *current(objectType, id);
}

SandboxStore::Result SandboxStore::update(
    const QString &objectType, const QString &id, const QJsonObject &requested)
{
    if (auto error = checkWritableType(objectType))
        return *error;
    Table &table = m_tables[objectType];
    const SandboxSchema &schema = table.schema;
    const QJsonObject *existing = current(objectType, id);
    if (!existing) {
        return ApiError::notFound(QStringLiteral("No %1 with id %2.").arg(objectType, quoted(id)));
    }
    QJsonObject body = requested;
    if (auto error = applyPipelineRules(objectType, existing, &body))
        return *error;
    if (auto error = checkBodyShape(body))
        return *error;

    FieldWrites fieldWrites;
    if (auto error = normalizeFields(
            schema, body.value(QStringLiteral("fields")).toObject(), &fieldWrites, m_writeRules))
        return *error;

    const QJsonObject relationships = body.value(QStringLiteral("relationships")).toObject();
    for (auto it = relationships.begin(); it != relationships.end(); ++it) {
        const SandboxRelationshipDef *def = schema.relationship(it.key());
        if (!def) {
            return relationshipError(QStringLiteral("unknown_relationship"), it.key(),
                QStringLiteral("Unrecognized relationship %1 for '%2'.")
                    .arg(quoted(it.key()), pluralOf(objectType)));
        }
        if (def->readOnly || def->createOnly) {
            return relationshipError(QStringLiteral("read_only_relationship"), it.key(),
                def->readOnly ? QStringLiteral("Relationship %1 is read-only for '%2'.")
                                    .arg(quoted(it.key()), pluralOf(objectType))
                              : QStringLiteral("Relationship %1 can only be set when the record is "
                                               "created.")
                                    .arg(quoted(it.key())));
        }
    }
    QList<RelationshipChange> changes;
    qsizetype idCount = 0;
    for (auto it = relationships.begin(); it != relationships.end(); ++it) {
        const SandboxRelationshipDef *def = schema.relationship(it.key());
        const QJsonObject operation = it.value().toObject();
        const QString opName = operation.size() == 1 ? operation.begin().key() : QString();
        if (!it.value().isObject()
            || (opName != QLatin1String("add") && opName != QLatin1String("remove")
                && opName != QLatin1String("replace"))) {
            return relationshipError(QStringLiteral("invalid_type"), it.key(),
                QStringLiteral("Relationship %1 expects an object with exactly "
                               "one of add, remove or replace.")
                    .arg(quoted(it.key())));
        }
        const QJsonValue operand = operation.begin().value();
        QStringList ids;
        const bool clearing = opName == QLatin1String("replace") && operand.isNull();
        if (!clearing && !parseIds(operand, &ids)) {
            return relationshipError(QStringLiteral("invalid_type"), it.key(),
                QStringLiteral("%1 of relationship %2 expects an id string or "
                               "an array of id strings.")
                    .arg(opName, quoted(it.key())));
        }
        if (opName != QLatin1String("remove")) {
            for (const QString &target : std::as_const(ids)) {
                if (!exists(def->objectType, target)) {
                    return relationshipError(QStringLiteral("relationship_entity_missing"),
                        it.key(),
                        QStringLiteral("No %1 with id %2 for relationship %3.")
                            .arg(def->objectType, quoted(target), quoted(it.key())));
                }
            }
        }
        idCount += ids.size();

        RelationshipChange change {def, relationshipIds(*existing, def->key), {}};
        if (opName == QLatin1String("replace")) {
            change.after = ids;
        } else if (opName == QLatin1String("add")) {
            change.after = change.before;
            for (const QString &target : std::as_const(ids)) {
                if (!change.after.contains(target))
                    change.after.append(target);
            }
        } else {
            change.after = change.before;
            for (const QString &target : std::as_const(ids))
                change.after.removeAll(target);
        }
        if (def->cardinality == QLatin1String("HAS_ONE") && change.after.size() > 1) {
            return relationshipError(QStringLiteral("invalid_type"), it.key(),
                QStringLiteral("Relationship %1 is HAS_ONE and would hold %2 "
                               "ids; use replace to change it.")
                    .arg(quoted(it.key()))
                    .arg(change.after.size()));
        }
        changes.append(change);
    }
    if (idCount > kMaxRelationshipIds) {
        return ApiError::unprocessable(QStringLiteral("relationship_write_limit_exceeded"),
            QStringLiteral("A request may reference at most %1 relationship ids; this one has %2.")
                .arg(kMaxRelationshipIds)
                .arg(idCount));
    }
    for (const RelationshipChange &change : std::as_const(changes)) {
        if (change.def->required && change.after.isEmpty()) {
            return relationshipError(QStringLiteral("parameter_missing"), change.def->key,
                QStringLiteral("Relationship %1 is required and cannot be "
                               "emptied.")
                    .arg(quoted(change.def->key)));
        }
    }

    const qint64 writeMs = nextWriteTimeMs();
    QJsonObject record = *existing;
    QJsonObject fields = record.value(QStringLiteral("fields")).toObject();
    const QJsonObject written = body.value(QStringLiteral("fields")).toObject();
    for (const auto &[def, value] : std::as_const(fieldWrites)) {
        QJsonValue stored = value;
        if (def->valueType == QLatin1String("ADDRESS") && value.isObject()
            && m_writeRules.addressWrite == SandboxWriteRules::AddressWrite::Merge) {
            // --address-write merge: a member left out keeps its old value; null clears it.
            const QJsonObject sent = written.value(def->key).toObject();
            const QJsonObject old = fields.value(def->key)[QStringLiteral("value")].toObject();
            QJsonObject merged = value.toObject();
            bool empty = true;
            for (auto member = merged.begin(); member != merged.end(); ++member) {
                if (!sent.contains(member.key()))
                    *member = old.contains(member.key()) ? old.value(member.key()) : QJsonValue();
                if (!member->isNull() && !member->isUndefined())
                    empty = false;
            }
            stored = empty ? QJsonValue() : QJsonValue(merged);
        }
        fields.insert(def->key, fieldValue(def->valueType, stored));
    }
    deriveFields(objectType, fields);
    record.insert(QStringLiteral("fields"), fields);
    if (!changes.isEmpty()) {
        QJsonObject relationshipValues = record.value(QStringLiteral("relationships")).toObject();
        for (const RelationshipChange &change : std::as_const(changes))
            relationshipValues.insert(
                change.def->key, relationshipValue(*change.def, change.after));
        record.insert(QStringLiteral("relationships"), relationshipValues);
    }
    record.insert(QStringLiteral("updatedAt"), isoFromMs(writeMs));
    commit(table, id, record, writeMs);
    for (const RelationshipChange &change : std::as_const(changes)) {
        if (change.before != change.after)
            syncInverse(objectType, id, change, writeMs);
    }
    return *current(objectType, id);
}

std::optional<QJsonObject> SandboxStore::retrieve(
    const QString &objectType, const QString &id) const
{
    if (const QJsonObject *record = current(objectType, id))
        return *record;
    return std::nullopt;
}

SandboxStore::Result SandboxStore::list(
    const QString &objectType, const QUrlQuery &query, qint64 indexLagMs) const
{
    const auto table = m_tables.constFind(objectType);
    if (table == m_tables.cend()) {
        return ApiError::notFound(
            QStringLiteral("Unknown object type %1.").arg(quoted(objectType)));
    }
    return page(*table, servedOrder(*table), query, indexLagMs, true);
}

std::optional<SandboxStore::ListOrder> SandboxStore::listOrderFromName(const QString &name)
{
    if (name == QLatin1String("oldest"))
        return ListOrder::Oldest;
    if (name == QLatin1String("newest"))
        return ListOrder::Newest;
    if (name == QLatin1String("shuffled-stable"))
        return ListOrder::ShuffledStable;
    return std::nullopt;
}

QString SandboxStore::listOrderName(ListOrder order)
{
    switch (order) {
    case ListOrder::Newest:
        return QStringLiteral("newest");
    case ListOrder::ShuffledStable:
        return QStringLiteral("shuffled-stable");
    case ListOrder::Oldest:
        break;
    }
    return QStringLiteral("oldest");
}

bool SandboxStore::placeAtHead(const QString &objectType, const QString &id)
{
    if (!current(objectType, id))
        return false;
    Table &table = m_tables[objectType];
    table.head.removeAll(id);
    table.head.prepend(id);
    return true;
}

QStringList SandboxStore::servedIds(const QString &objectType) const
{
    const auto table = m_tables.constFind(objectType);
    return table == m_tables.cend() ? QStringList() : servedOrder(*table);
}

QStringList SandboxStore::servedOrder(const Table &table) const
{
    QStringList ids = table.order;
    switch (m_listOrder) {
    case ListOrder::Oldest:
        break;
    case ListOrder::Newest:
        std::reverse(ids.begin(), ids.end());
        break;
    case ListOrder::ShuffledStable: {
        // The position of a record depends on its id alone: inserting or deleting one moves
        // only the records after it.
        QHash<QString, QByteArray> keys;
        keys.reserve(ids.size());
        for (const QString &id : std::as_const(ids))
            keys.insert(id, QCryptographicHash::hash(id.toUtf8(), QCryptographicHash::Md5));
        std::sort(ids.begin(), ids.end(),
            [&keys](const QString &a, const QString &b) { return keys.value(a) < keys.value(b); });
        break;
    }
    }
    if (table.head.isEmpty())
        return ids;
    QStringList served;
    served.reserve(ids.size());
    QSet<QString> first;
    for (const QString &id : table.head) {
        if (table.entries.contains(id)) {
            served << id;
            first.insert(id);
        }
    }
    for (const QString &id : std::as_const(ids)) {
        if (!first.contains(id))
            served << id;
    }
    return served;
}

SandboxStore::Result SandboxStore::listOpportunitiesInList(
    const QString &listId, const QUrlQuery &query, qint64 indexLagMs) const
{
    const QJsonObject *list = current(kList, listId);
    if (!list)
        return ApiError::notFound(QStringLiteral("No list with id %1.").arg(quoted(listId)));
    const QString listType = list->value(QStringLiteral(
        "fields"))[QStringLiteral("$objectType")][QStringLiteral("value")]
                                 .toString();
    if (listType != kOpportunity) {
        return ApiError::badRequest(QStringLiteral("invalid_type"),
            QStringLiteral("List %1 holds %2, not opportunities.")
                .arg(quoted(listId), pluralOf(listType)));
    }
    return page(*m_tables.constFind(kOpportunity), m_listMembers.value(listId), query, indexLagMs);
}

QString SandboxStore::insertRecord(const QString &objectType, QJsonObject record)
{
    const auto table = m_tables.find(objectType);
    if (table == m_tables.end())
        return {};
    QString id = record.value(QStringLiteral("id")).toString();
    if (id.isEmpty()) {
        id = newId(objectType);
        record.insert(QStringLiteral("id"), id);
    }
    const qint64 now = m_clock->nowMs();
    QString createdAt = record.value(QStringLiteral("createdAt")).toString();
    if (createdAt.isEmpty()) {
        createdAt = isoFromMs(now);
        record.insert(QStringLiteral("createdAt"), createdAt);
    }
    QString writtenAt = createdAt;
    if (objectType != kList) {
        const QString updatedAt = record.value(QStringLiteral("updatedAt")).toString();
        if (updatedAt.isEmpty())
            record.insert(QStringLiteral("updatedAt"), createdAt);
        else
            writtenAt = updatedAt;
    }
    if (!record.contains(QStringLiteral("httpLink")))
        record.insert(QStringLiteral("httpLink"), httpLink(objectType, id));
    if (objectType == kList) {
        QStringList members;
        const QJsonObject relationships = record.value(QStringLiteral("relationships")).toObject();
        for (auto it = relationships.begin(); it != relationships.end(); ++it) {
            const QJsonValue entry = it.value();
            const QJsonValue values = entry.isArray() ? entry : entry[QStringLiteral("values")];
            QStringList ids;
            if (parseIds(values, &ids))
                members += ids;
        }
        record.remove(QStringLiteral("relationships"));
        m_listMembers.insert(id, members);
    }
    decoratePipeline(objectType, record);
    // Not nextWriteTimeMs(): a bulk seed must not push the write clock into the future.
    const qint64 writtenAtMs = msFromIso(writtenAt).value_or(now);
    m_lastWriteMs = std::max(m_lastWriteMs, writtenAtMs);
    Entry &entry = table->entries[id];
    if (entry.versions.isEmpty())
        table->order.append(id);
    entry.versions = {Version {writtenAtMs, record}};
    return id;
}

QString SandboxStore::newId(const QString &objectType)
{
    static constexpr char kAlphabet[]
        = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const auto table = m_tables.constFind(objectType);
    if (table == m_tables.cend())
        return {};
    QString id;
    do {
        id = table->schema.idPrefix;
        id.reserve(id.size() + 12);
        for (int i = 0; i < 12; ++i)
            id += QLatin1Char(kAlphabet[m_idRandom.bounded(62u)]);
    } while (table->entries.contains(id));
    return id;
}

bool SandboxStore::remove(const QString &objectType, const QString &id)
{
    const QJsonObject *existing = current(objectType, id);
    if (!existing)
        return false;
    Table &table = m_tables[objectType];
    const qint64 writeMs = nextWriteTimeMs();
    QList<RelationshipChange> changes;
    for (const SandboxRelationshipDef &def : std::as_const(table.schema.relationships))
        changes.append(RelationshipChange {&def, relationshipIds(*existing, def.key), {}});
    for (const RelationshipChange &change : std::as_const(changes))
        syncInverse(objectType, id, change, writeMs);
    table.entries.remove(id);
    table.order.removeAll(id);
    table.head.removeAll(id);
    for (QStringList &members : m_listMembers)
        members.removeAll(id);
    return true;
}

int SandboxStore::count(const QString &objectType) const
{
    const auto table = m_tables.constFind(objectType);
    return table == m_tables.cend() ? 0 : int(table->order.size());
}

QStringList SandboxStore::ids(const QString &objectType) const
{
    const auto table = m_tables.constFind(objectType);
    return table == m_tables.cend() ? QStringList() : table->order;
}

QJsonObject SandboxStore::toJson() const
{
    QJsonObject objects;
    for (auto table = m_tables.cbegin(); table != m_tables.cend(); ++table) {
        QJsonArray records;
        for (const QString &id : table->order) {
            QJsonObject record = table->entries.value(id).versions.last().record;
            if (table.key() == kList) {
                const QString memberType
                    = record
                          .value(QStringLiteral(
                              "fields"))[QStringLiteral("$objectType")][QStringLiteral("value")]
                          .toString();
                record.insert(QStringLiteral("relationships"),
                    QJsonObject {{QLatin1Char('$') + pluralOf(memberType),
                        QJsonObject {{QStringLiteral("cardinality"), QStringLiteral("HAS_MANY")},
                            {QStringLiteral("objectType"), memberType},
                            {QStringLiteral("values"),
                                QJsonArray::fromStringList(m_listMembers.value(id))}}}});
            }
            records.append(record);
        }
        objects.insert(table.key(), records);
    }
    return {
        {QStringLiteral("format"), QStringLiteral("lightfield-sandbox")},
        {QStringLiteral("version"), 1},
        {QStringLiteral("lastWriteMs"), double(m_lastWriteMs)},
        {QStringLiteral("objects"), objects},
    };
}

bool SandboxStore::loadJson(const QJsonObject &snapshot, QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (snapshot.value(QStringLiteral("format")).toString() != QLatin1String("lightfield-sandbox"))
        return fail(
            QStringLiteral("Not a sandbox snapshot: 'format' is not 'lightfield-sandbox'."));
    if (snapshot.value(QStringLiteral("version")).toInt() != 1)
        return fail(QStringLiteral("Unsupported snapshot version; expected 1."));
    if (!snapshot.value(QStringLiteral("objects")).isObject())
        return fail(QStringLiteral("The snapshot has no 'objects' object."));
    const QJsonObject objects = snapshot.value(QStringLiteral("objects")).toObject();
    for (auto it = objects.begin(); it != objects.end(); ++it) {
        if (!m_tables.contains(it.key()))
            return fail(
                QStringLiteral("Unknown object type %1 in the snapshot.").arg(quoted(it.key())));
        if (!it.value().isArray())
            return fail(QStringLiteral("objects.%1 is not an array.").arg(it.key()));
    }

    const QHash<QString, Table> oldTables = m_tables;
    const QHash<QString, QStringList> oldMembers = m_listMembers;
    const qint64 oldLastWriteMs = m_lastWriteMs;
    const auto restore = [&] {
        m_tables = oldTables;
        m_listMembers = oldMembers;
        m_lastWriteMs = oldLastWriteMs;
    };
    for (Table &table : m_tables) {
        table.entries.clear();
        table.order.clear();
        table.head.clear();
    }
    m_listMembers.clear();
    m_lastWriteMs = 0;

    for (auto it = objects.begin(); it != objects.end(); ++it) {
        const QString &objectType = it.key();
        const SandboxSchema &schema = m_tables[objectType].schema;
        const QJsonArray records = it.value().toArray();
        for (qsizetype i = 0; i < records.size(); ++i) {
            const QString where = QStringLiteral("objects.%1[%2]").arg(objectType).arg(i);
            QJsonObject record = records.at(i).toObject();
            const QString id = record.value(QStringLiteral("id")).toString();
            QString problem;
            if (!records.at(i).isObject())
                problem = QStringLiteral("is not an object");
            else if (!id.startsWith(schema.idPrefix) || id.size() <= schema.idPrefix.size())
                problem = QStringLiteral("has no id starting with '%1'").arg(schema.idPrefix);
            else if (exists(objectType, id))
                problem = QStringLiteral("repeats the id %1").arg(quoted(id));
            else if (!msFromIso(record.value(QStringLiteral("createdAt")).toString()))
                problem = QStringLiteral("has no valid createdAt");
            else if (!record.value(QStringLiteral("fields")).isObject())
                problem = QStringLiteral("has no 'fields' object");
            else if (record.contains(QStringLiteral("relationships"))
                && !record.value(QStringLiteral("relationships")).isObject())
                problem = QStringLiteral("has a 'relationships' member that is not an object");
            if (!problem.isEmpty()) {
                restore();
                return fail(where + QLatin1Char(' ') + problem + QLatin1Char('.'));
            }
            // Fields or relationships added to the schema since the snapshot read as unset.
            QJsonObject fields = record.value(QStringLiteral("fields")).toObject();
            for (const SandboxFieldDef &def : schema.fields) {
                if (!fields.contains(def.key))
                    fields.insert(def.key, fieldValue(def.valueType, QJsonValue()));
            }
            record.insert(QStringLiteral("fields"), fields);
            if (objectType != kList) {
                QJsonObject relationships
                    = record.value(QStringLiteral("relationships")).toObject();
                for (const SandboxRelationshipDef &def : schema.relationships) {
                    if (!relationships.contains(def.key))
                        relationships.insert(def.key, relationshipValue(def, {}));
                }
                record.insert(QStringLiteral("relationships"), relationships);
            }
            insertRecord(objectType, record);
        }
    }
    const qint64 savedLastWriteMs
        = qint64(snapshot.value(QStringLiteral("lastWriteMs")).toDouble());
    m_lastWriteMs = std::max({m_lastWriteMs, savedLastWriteMs, oldLastWriteMs});
    return true;
}

qint64 SandboxStore::nextWriteTimeMs()
{
    m_lastWriteMs = std::max(m_clock->nowMs(), m_lastWriteMs + 1);
    return m_lastWriteMs;
}

void SandboxStore::pruneVersions(Entry &entry) const
{
    const qint64 horizon = m_clock->nowMs() - m_maxLagMs;
    for (qsizetype i = entry.versions.size() - 1; i > 0; --i) {
        if (entry.versions.at(i).writtenAtMs <= horizon) {
            entry.versions.remove(0, i);
            return;
        }
    }
}

const QJsonObject *SandboxStore::listedVersion(const Entry &entry, qint64 cutoffMs) const
{
    for (qsizetype i = entry.versions.size() - 1; i >= 0; --i) {
        if (entry.versions.at(i).writtenAtMs <= cutoffMs)
            return &entry.versions.at(i).record;
    }
    return nullptr;
}

SandboxStore::Result SandboxStore::page(const Table &table, const QStringList &ids,
    const QUrlQuery &query, qint64 indexLagMs, bool everyIdExists) const
{
    qint64 limit = kMaxPageSize;
    if (query.hasQueryItem(QStringLiteral("limit"))) {
        const std::optional<qint64> parsed = parseCount(query, QStringLiteral("limit"));
        if (!parsed || *parsed < 1 || *parsed > kMaxPageSize) {
            return ApiError::badRequest(QStringLiteral("invalid_type"),
                QStringLiteral("'limit' must be an integer from 1 to %1, got %2.")
                    .arg(kMaxPageSize)
                    .arg(quoted(query.queryItemValue(QStringLiteral("limit"), QUrl::FullyDecoded))),
                QStringLiteral("limit"));
        }
        limit = *parsed;
    }
    qint64 offset = 0;
    if (query.hasQueryItem(QStringLiteral("offset"))) {
        const std::optional<qint64> parsed = parseCount(query, QStringLiteral("offset"));
        if (!parsed) {
            return ApiError::badRequest(QStringLiteral("invalid_type"),
                QStringLiteral("'offset' must be an integer of 0 or more, got %1.")
                    .arg(
                        quoted(query.queryItemValue(QStringLiteral("offset"), QUrl::FullyDecoded))),
                QStringLiteral("offset"));
        }
        offset = *parsed;
    }
    // A search index may refuse to skip that many matches; the client must narrow the query.
    const bool pastCap = m_maxOffset >= 0 && offset > m_maxOffset;
    if (pastCap && !m_maxOffsetEmpty) {
        return ApiError::badRequest(QStringLiteral("offset_too_large"),
            QStringLiteral("'offset' may be at most %1, got %2; narrow the query with filters.")
                .arg(m_maxOffset)
                .arg(offset),
            QStringLiteral("offset"));
    }
    auto parsedFilters = parseFilters(table.schema, query);
    if (auto *error = std::get_if<ApiError>(&parsedFilters))
        return *error;
    QList<SandboxFilter> filters = std::get<QList<SandboxFilter>>(parsedFilters);
    // Dates in the stored form compare as strings; converting the filter value once here spares
    // matchesFilters() a parse per record.
    for (SandboxFilter &filter : filters) {
        const SandboxFieldDef *def = table.schema.field(filter.key);
        if (!def || def->valueType != QLatin1String("DATETIME"))
            continue;
        SandboxFieldDef lenient = *def;
        lenient.required = false;
        for (const QString &candidate : {filter.value, filter.value + QStringLiteral("Z"),
                 filter.value + QStringLiteral("T00:00:00Z")}) {
            const auto normalized = normalizeFieldWrite(lenient, QJsonValue(candidate));
            if (const auto *value = std::get_if<QJsonValue>(&normalized)) {
                filter.value = value->toString();
                break;
            }
        }
    }

    const qint64 cutoffMs = m_clock->nowMs() - indexLagMs;
    QJsonArray data;
    qint64 totalCount = 0;
    if (everyIdExists && filters.isEmpty() && indexLagMs <= 0) {
        // Every record listed as it is now: no need to look at the rows outside the page.
        totalCount = ids.size();
        for (qint64 i = offset; !pastCap && i < totalCount && data.size() < limit; ++i)
            data.append(table.entries.value(ids.at(i)).versions.last().record);
        return QJsonObject {
            {QStringLiteral("object"), QStringLiteral("list")},
            {QStringLiteral("totalCount"), totalCount},
            {QStringLiteral("data"), data},
        };
    }
    for (const QString &id : ids) {
        const auto entry = table.entries.constFind(id);
        if (entry == table.entries.cend() || entry->versions.isEmpty())
            continue;
        const QJsonObject *record
            = indexLagMs > 0 ? listedVersion(*entry, cutoffMs) : &entry->versions.last().record;
        if (!record || !matchesFilters(table.schema, *record, filters))
            continue;
        if (!pastCap && totalCount >= offset && data.size() < limit)
            data.append(*record);
        ++totalCount;
    }
    return QJsonObject {
        {QStringLiteral("object"), QStringLiteral("list")},
        {QStringLiteral("totalCount"), totalCount},
        {QStringLiteral("data"), data},
    };
}

void SandboxStore::commit(
    Table &table, const QString &id, const QJsonObject &written, qint64 writeMs)
{
    QJsonObject record = written;
    decoratePipeline(table.schema.objectType, record);
    Entry &entry = table.entries[id];
    if (entry.versions.isEmpty())
        table.order.append(id);
    entry.versions.append(Version {writeMs, record});
    pruneVersions(entry);
}

void SandboxStore::setRelationshipValues(const QString &objectType, const QString &id,
    const QString &key, const QStringList &values, qint64 writeMs)
{
    const QJsonObject *existing = current(objectType, id);
    Table &table = m_tables[objectType];
    const SandboxRelationshipDef *def = table.schema.relationship(key);
    if (!existing || !def)
        return;
    QJsonObject record = *existing;
    QJsonObject relationships = record.value(QStringLiteral("relationships")).toObject();
    relationships.insert(key, relationshipValue(*def, values));
    record.insert(QStringLiteral("relationships"), relationships);
    record.insert(QStringLiteral("updatedAt"), isoFromMs(writeMs));
    commit(table, id, record, writeMs);
}

void SandboxStore::syncInverse(
    const QString &objectType, const QString &id, const RelationshipChange &change, qint64 writeMs)
{
    const QString &key = change.def->key;
    for (const InverseLink &link : inverseLinks()) {
        if (objectType == link.oneType && key == link.oneKey) {
            for (const QString &before : change.before) {
                if (change.after.contains(before))
                    continue;
                if (const QJsonObject *other = current(link.manyType, before)) {
                    QStringList values = relationshipIds(*other, link.manyKey);
                    values.removeAll(id);
                    setRelationshipValues(link.manyType, before, link.manyKey, values, writeMs);
                }
            }
            for (const QString &after : change.after) {
                if (change.before.contains(after))
                    continue;
                if (const QJsonObject *other = current(link.manyType, after)) {
                    QStringList values = relationshipIds(*other, link.manyKey);
                    if (!values.contains(id))
                        values.append(id);
                    setRelationshipValues(link.manyType, after, link.manyKey, values, writeMs);
                }
            }
        } else if (objectType == link.manyType && key == link.manyKey) {
            for (const QString &before : change.before) {
                if (change.after.contains(before))
                    continue;
                const QJsonObject *other = current(link.oneType, before);
                if (other && relationshipIds(*other, link.oneKey) == QStringList {id})
                    setRelationshipValues(link.oneType, before, link.oneKey, {}, writeMs);
            }
            for (const QString &after : change.after) {
                if (change.before.contains(after))
                    continue;
                const QJsonObject *other = current(link.oneType, after);
                if (!other)
                    continue;
                const QStringList previous = relationshipIds(*other, link.oneKey);
                if (previous == QStringList {id})
                    continue;
                setRelationshipValues(link.oneType, after, link.oneKey, {id}, writeMs);
                // HAS_ONE on the other side: the previous holder loses it.
                for (const QString &previousOwner : previous) {
                    if (const QJsonObject *owner = current(link.manyType, previousOwner)) {
                        QStringList values = relationshipIds(*owner, link.manyKey);
                        values.removeAll(after);
                        setRelationshipValues(
                            link.manyType, previousOwner, link.manyKey, values, writeMs);
                    }
                }
            }
        }
    }
}

// --- pipelines (SandboxPipelines) -----------------------------------------------------------

namespace {

const QString kStageKey = QStringLiteral("$stage");
const QString kPipelineKey = QStringLiteral("$pipeline");

struct StageOption
{
    QString id;
    QString label;
    QString pipelineId;
};

QList<StageOption> stageOptions(const SandboxSchema &schema)
{
    QList<StageOption> out;
    if (const SandboxFieldDef *def = schema.field(kStageKey)) {
        const QJsonArray options
            = def->typeConfiguration.value(QStringLiteral("options")).toArray();
        for (const QJsonValue &option : options) {
            out.append({option[QStringLiteral("id")].toString(),
                option[QStringLiteral("label")].toString(),
                option[QStringLiteral("parentId")].toString()});
        }
    }
    return out;
}

QList<std::pair<QString, QString>> pipelineOptions(const SandboxSchema &schema)
{
    QList<std::pair<QString, QString>> out; // id, name
    if (const SandboxFieldDef *def = schema.field(kPipelineKey)) {
        const QJsonArray options
            = def->typeConfiguration.value(QStringLiteral("options")).toArray();
        for (const QJsonValue &option : options)
            out.append({option[QStringLiteral("id")].toString(),
                option[QStringLiteral("label")].toString()});
    }
    return out;
}

QString collapsed(const QString &text)
{
    return text.simplified().toCaseFolded();
}

QJsonArray candidatesJson(
    const QList<StageOption> &stages, const QList<std::pair<QString, QString>> &pipelines)
{
    QJsonArray out;
    for (const StageOption &stage : stages) {
        QString name;
        for (const auto &[id, pipelineName] : pipelines) {
            if (id == stage.pipelineId)
                name = pipelineName;
        }
        out.append(QJsonObject {{QStringLiteral("stageOptionId"), stage.id},
            {QStringLiteral("stageLabel"), stage.label},
            {QStringLiteral("pipelineId"), stage.pipelineId},
            {QStringLiteral("pipelineName"), name}});
    }
    return out;
}

} // namespace

void SandboxStore::setPipelines(const SandboxPipelines &pipelines)
{
    m_pipelines = pipelines;
    m_tables[kOpportunity].schema = pipelines.enabled ? SandboxSchema::opportunityWithPipelines()
                                                      : SandboxSchema::opportunity();
}

std::optional<ApiError> SandboxStore::applyPipelineRules(
    const QString &objectType, const QJsonObject *existing, QJsonObject *body) const
{
    if (!m_pipelines.enabled || objectType != kOpportunity)
        return std::nullopt;
    const QJsonValue fieldsValue = body->value(QStringLiteral("fields"));
    if (!fieldsValue.isObject())
        return std::nullopt; // the shape checks that follow say what is wrong
    QJsonObject fields = fieldsValue.toObject();
    const SandboxSchema &schema = this->schema(kOpportunity);
    const QList<std::pair<QString, QString>> pipelines = pipelineOptions(schema);
    const bool hasStage = fields.contains(kStageKey);
    if (fields.contains(kPipelineKey) && !hasStage) {
        return ApiError::badRequest(QStringLiteral("parameter_missing"),
            QStringLiteral("'$pipeline' is a hint for '$stage' and is rejected without one."),
            QStringLiteral("fields.$stage"));
    }
    if (!hasStage)
        return std::nullopt;

    QString hint;
    const QJsonValue hintValue = fields.value(kPipelineKey);
    if (!hintValue.isUndefined() && !hintValue.isNull()) {
        if (!hintValue.isString()) {
            return ApiError::badRequest(QStringLiteral("invalid_type"),
                QStringLiteral("'$pipeline' expects a pipeline id or name."),
                QStringLiteral("fields.$pipeline"));
        }
        for (const auto &[id, name] : pipelines) {
            if (id == hintValue.toString() || collapsed(name) == collapsed(hintValue.toString()))
                hint = id;
        }
        if (hint.isEmpty()) {
            ApiError error = ApiError::unprocessable(QStringLiteral("unknown_pipeline"),
                QStringLiteral("%1 is not an active pipeline of opportunities.")
                    .arg(quoted(hintValue.toString())),
                QStringLiteral("fields.$pipeline"));
            QJsonArray active;
            for (const auto &pipeline : pipelines)
                active.append(pipeline.first);
            error.extra.insert(QStringLiteral("activePipelineIds"), active);
            return error;
        }
    }
    fields.remove(kPipelineKey);
    body->insert(QStringLiteral("fields"), fields);

    const QJsonValue stageValue = fields.value(kStageKey);
    if (!stageValue.isString())
        return std::nullopt; // null or a wrong type: the field checks answer
    const QList<StageOption> stages = stageOptions(schema);
    const QString text = stageValue.toString();
    std::optional<StageOption> chosen;
    QList<StageOption> sameLabel;
    for (const StageOption &stage : stages) {
        if (stage.id == text)
            chosen = stage;
    }
    const QString wantedLabel = collapsed(chosen ? chosen->label : text);
    for (const StageOption &stage : stages) {
        if (collapsed(stage.label) == wantedLabel)
            sameLabel.append(stage);
    }
    const auto unresolved = [&](const QString &pipelineId, const QString &message) {
        ApiError error = ApiError::unprocessable(QStringLiteral("stage_unresolved_in_pipeline"),
            message, QStringLiteral("fields.$stage"));
        error.extra.insert(QStringLiteral("pipelineId"), pipelineId);
        error.extra.insert(QStringLiteral("candidates"), candidatesJson(sameLabel, pipelines));
        error.extra.insert(QStringLiteral("truncated"), false);
        return error;
    };
    if (chosen) {
        if (!hint.isEmpty() && chosen->pipelineId != hint) {
            return unresolved(hint,
                QStringLiteral("Stage %1 is not a stage of pipeline %2.")
                    .arg(quoted(text), quoted(hint)));
        }
    } else {
        QList<StageOption> matches;
        for (const StageOption &stage : std::as_const(sameLabel)) {
            if (hint.isEmpty() || stage.pipelineId == hint)
                matches.append(stage);
        }
        if (matches.isEmpty()) {
            if (hint.isEmpty() || sameLabel.isEmpty())
                return std::nullopt; // not a stage at all: the field checks answer
            return unresolved(hint,
                QStringLiteral("Pipeline %1 has no stage %2.").arg(quoted(hint), quoted(text)));
        }
        if (matches.size() > 1) {
            ApiError error = ApiError::unprocessable(QStringLiteral("ambiguous_stage_label"),
                QStringLiteral("Stage %1 exists in several pipelines; send its option id or "
                               "'$pipeline'.")
                    .arg(quoted(text)),
                QStringLiteral("fields.$stage"));
            error.extra.insert(QStringLiteral("candidates"), candidatesJson(matches, pipelines));
            error.extra.insert(QStringLiteral("truncated"), false);
            return error;
        }
        chosen = matches.constFirst();
    }
    if (m_pipelines.movesNeedHint && existing && hint.isEmpty()) {
        const QString currentStage
            = existing->value(QStringLiteral("fields"))[kStageKey][QStringLiteral("value")]
                  .toString();
        QString currentPipeline;
        for (const StageOption &stage : stages) {
            if (stage.id == currentStage)
                currentPipeline = stage.pipelineId;
        }
        if (!currentPipeline.isEmpty() && currentPipeline != chosen->pipelineId) {
            return unresolved(currentPipeline,
                QStringLiteral("Stage %1 is in another pipeline than the deal; send '$pipeline' "
                               "to move it there.")
                    .arg(quoted(text)));
        }
    }
    fields.insert(kStageKey, chosen->id);
    body->insert(QStringLiteral("fields"), fields);
    return std::nullopt;
}

void SandboxStore::decoratePipeline(const QString &objectType, QJsonObject &record) const
{
    if (!m_pipelines.enabled || objectType != kOpportunity)
        return;
    QJsonObject fields = record.value(QStringLiteral("fields")).toObject();
    if (!m_pipelines.onRead) {
        if (!fields.contains(kPipelineKey))
            return;
        fields.remove(kPipelineKey);
    } else {
        const QString stage = fields.value(kStageKey)[QStringLiteral("value")].toString();
        QString pipeline;
        for (const StageOption &option : stageOptions(schema(kOpportunity))) {
            if (option.id == stage)
                pipeline = option.pipelineId;
        }
        fields.insert(kPipelineKey,
            QJsonObject {{QStringLiteral("valueType"), QStringLiteral("SINGLE_SELECT")},
                {QStringLiteral("value"),
                    pipeline.isEmpty() ? QJsonValue() : QJsonValue(pipeline)}});
    }
    record.insert(QStringLiteral("fields"), fields);
}

void SandboxStore::assignSeedPipelines()
{
    if (!m_pipelines.enabled)
        return;
    static const QHash<QString, std::pair<QString, QString>> kNearest {
        {QStringLiteral("opt_stage_prospecting"),
            {QStringLiteral("opt_stage_nb_lead"), QStringLiteral("opt_stage_rn_lead")}},
        {QStringLiteral("opt_stage_discovery"),
            {QStringLiteral("opt_stage_nb_qualified"), QStringLiteral("opt_stage_rn_lead")}},
        {QStringLiteral("opt_stage_proposal"),
            {QStringLiteral("opt_stage_nb_proposal"), QStringLiteral("opt_stage_rn_proposal")}},
        {QStringLiteral("opt_stage_negotiation"),
            {QStringLiteral("opt_stage_nb_proposal"), QStringLiteral("opt_stage_rn_proposal")}},
        {QStringLiteral("opt_stage_closed_won"),
            {QStringLiteral("opt_stage_nb_won"), QStringLiteral("opt_stage_rn_won")}},
        {QStringLiteral("opt_stage_closed_lost"),
            {QStringLiteral("opt_stage_nb_lost"), QStringLiteral("opt_stage_rn_lost")}},
    };
    Table &table = m_tables[kOpportunity];
    for (qsizetype i = 0; i < table.order.size(); ++i) {
        Entry &entry = table.entries[table.order.at(i)];
        for (Version &version : entry.versions) {
            QJsonObject fields = version.record.value(QStringLiteral("fields")).toObject();
            QJsonObject stage = fields.value(kStageKey).toObject();
            const auto nearest
                = kNearest.constFind(stage.value(QStringLiteral("value")).toString());
            if (nearest == kNearest.cend())
                continue;
            stage.insert(QStringLiteral("value"), i % 3 == 2 ? nearest->second : nearest->first);
            fields.insert(kStageKey, stage);
            version.record.insert(QStringLiteral("fields"), fields);
            decoratePipeline(kOpportunity, version.record);
        }
    }
}
