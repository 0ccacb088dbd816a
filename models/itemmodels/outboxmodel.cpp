#include "itemmodels/outboxmodel.h"
#include "domain/valuetext.h"

#include "itemmodels/namedirectory.h"
#include "store/localstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <limits>

namespace {

const QLatin1String kFields("fields");
const QLatin1String kRelationships("relationships");
const QLatin1String kConflictPrefix("conflict: ");

QString stateText(OutboxRow::State state)
{
    switch (state) {
    case OutboxRow::State::Pending:
        return OutboxModel::tr("Waiting");
    case OutboxRow::State::InFlight:
        return OutboxModel::tr("Sending");
    case OutboxRow::State::Parked:
        return OutboxModel::tr("Refused");
    case OutboxRow::State::Conflict:
        return OutboxModel::tr("Conflict");
    case OutboxRow::State::MayExist:
        return OutboxModel::tr("May already exist");
    }
    return {};
}

} // namespace

OutboxModel::OutboxModel(Outbox &outbox, LocalStore &store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_outbox(outbox)
    , m_store(store)
{
    bool ok = false;
    m_rows = readRows(&ok);
    rebuildIndex();
    connect(&m_outbox, &Outbox::changed, this, &OutboxModel::refresh);
}

OutboxModel::~OutboxModel() = default;

int OutboxModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int OutboxModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(ColumnCount);
}

QVariant OutboxModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return row.cells[index.column()];
    case Qt::ToolTipRole:
        if (index.column() == ChangesColumn)
            return row.changes.isEmpty() ? QVariant() : row.changes.join(QLatin1Char('\n'));
        if (index.column() == LastErrorColumn || index.column() == FieldsColumn
            || index.column() == RecordColumn) {
            return row.cells[index.column()].isEmpty() ? QVariant() : row.cells[index.column()];
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == AttemptsColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SeqRole:
        return row.row.seq;
    case StateRole:
        return int(row.row.state);
    case RecordIdRole:
        return row.row.recordId;
    case ObjectTypeRole:
        return row.row.objectType;
    default:
        return {};
    }
}

QVariant OutboxModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0
        || section >= ColumnCount) {
        return {};
    }
    switch (Column(section)) {
    case RecordColumn:
        return tr("Record");
    case OperationColumn:
        return tr("Change");
    case FieldsColumn:
        return tr("Fields");
    case ChangesColumn:
        return tr("Changes");
    case StateColumn:
        return tr("State");
    case AttemptsColumn:
        return tr("Attempts");
    case LastErrorColumn:
        return tr("Last error");
    case QueuedAtColumn:
        return tr("Queued at");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> OutboxModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SeqRole, "seq");
    names.insert(StateRole, "state");
    names.insert(RecordIdRole, "recordId");
    names.insert(ObjectTypeRole, "objectType");
    return names;
}

OutboxRow OutboxModel::outboxRow(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).row : OutboxRow();
}

int OutboxModel::rowOfSeq(qint64 seq) const
{
    return m_rowOfSeq.value(seq, -1);
}

QString OutboxModel::recordName(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).recordName : QString();
}

QStringList OutboxModel::fieldLabels(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).fieldLabels : QStringList();
}

QStringList OutboxModel::changeTexts(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).changes : QStringList();
}

QString OutboxModel::relatedNames(const QString &objectType, const QJsonValue &ids) const
{
    QStringList names;
    const QJsonArray list = ids.isArray() ? ids.toArray() : QJsonArray {ids};
    for (const QJsonValue &id : list) {
        const QString text = id.toString();
        if (text.isEmpty())
            continue;
        QString name;
        if (const std::optional<StoredRecord> stored = m_store.record(objectType, text))
            name = NameDirectory::nameOf(QJsonDocument::fromJson(stored->effectiveJson()).object());
        names << (name.isEmpty() ? text : name);
    }
    return names.join(QStringLiteral(", "));
}

QString OutboxModel::relatedText(
    const RelationshipDefinition *definition, const QJsonValue &value) const
{
    if (!definition)
        return ValueText::relationship(value);
    const QString type = definition->objectType();
    if (!value.isObject())
        return relatedNames(type, value);
    const QJsonObject operation = value.toObject();
    if (operation.contains(QLatin1String("add")))
        return tr("add %1").arg(relatedNames(type, operation.value(QLatin1String("add"))));
    if (operation.contains(QLatin1String("remove")))
        return tr("remove %1").arg(relatedNames(type, operation.value(QLatin1String("remove"))));
    return relatedNames(type, operation.value(QLatin1String("replace")));
}

void OutboxModel::setSchema(const ObjectSchema &schema)
{
    m_schemas.insert(schema.objectType(), schema);
    m_schemaSet.insert(schema.objectType(), true);
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).row.objectType != schema.objectType())
            continue;
        m_rows[i] = makeRow(m_rows.at(i).row);
        Q_EMIT dataChanged(
            index(i, FieldsColumn), index(i, LastErrorColumn), {Qt::DisplayRole, Qt::ToolTipRole});
    }
}

const ObjectSchema &OutboxModel::schemaFor(const QString &objectType)
{
    auto it = m_schemas.find(objectType);
    if (it == m_schemas.end()) {
        // Read once per type: the stored definitions change only with a pull, and labels are
        // refreshed by setSchema() then.
        ObjectSchema schema(objectType);
        if (const std::optional<StoredDefinitions> stored = m_store.definitions(objectType))
            schema
                = ObjectSchema::fromDefinitionsJson(QJsonDocument::fromJson(stored->json).object());
        it = m_schemas.insert(objectType, schema);
    }
    return *it;
}

QString OutboxModel::keyLabel(const QString &key, const ObjectSchema &schema)
{
    if (const FieldDefinition *field = schema.field(key))
        return field->label();
    if (const RelationshipDefinition *relationship = schema.relationship(key))
        return relationship->label();
    return key;
}

QString OutboxModel::errorSentence(const OutboxRow &row, const ObjectSchema &schema)
{
    const QString &error = row.lastError;
    switch (row.state) {
    case OutboxRow::State::Parked: {
        const ParkedError parked = ParkedError::decode(error);
        const QString message = parked.message.trimmed();
        if (!parked.fieldKey.isEmpty()) {
            const QString label = keyLabel(parked.fieldKey, schema);
            return message.isEmpty() ? tr("The server refused “%1”.").arg(label)
                                     : tr("The server refused “%1”: %2").arg(label, message);
        }
        if (parked.httpStatus > 0) {
            return message.isEmpty()
                ? tr("The server refused the change (HTTP %1).").arg(parked.httpStatus)
                : tr("The server refused the change: %1").arg(message);
        }
        return message.isEmpty() ? tr("The change cannot be sent.")
                                 : tr("The change cannot be sent: %1").arg(message);
    }
    case OutboxRow::State::Conflict: {
        if (!error.startsWith(kConflictPrefix))
            return tr("Someone else changed the same fields.");
        QStringList labels;
        const QStringList keys
            = error.mid(kConflictPrefix.size()).split(QStringLiteral(", "), Qt::SkipEmptyParts);
        for (const QString &key : keys)
            labels << keyLabel(key, schema);
        return tr("Someone else changed %1 too.").arg(labels.join(QStringLiteral(", ")));
    }
    case OutboxRow::State::MayExist:
        // The server forgot the request's key: only the rep can tell a colleague's deal of
        // the same name from ours.
        return tr("Sent over a day ago without an answer: the deal may already exist. "
                  "Open “Check…” to choose.");
    case OutboxRow::State::Pending:
    case OutboxRow::State::InFlight:
        break;
    }
    return error.isEmpty() ? QString() : tr("The last attempt failed (%1).").arg(error);
}

OutboxModel::Row OutboxModel::makeRow(const OutboxRow &outboxRow)
{
    Row row;
    row.row = outboxRow;
    const ObjectSchema &schema = schemaFor(outboxRow.objectType);

    row.recordName = outboxRow.recordId;
    if (const std::optional<StoredRecord> stored
        = m_store.record(outboxRow.objectType, outboxRow.recordId)) {
        const QJsonObject record = QJsonDocument::fromJson(stored->effectiveJson()).object();
        const QJsonValue name = record.value(kFields).toObject().value(QLatin1String("$name"));
        const QString text = name.isObject()
            ? name.toObject().value(QLatin1String("value")).toString()
            : name.toString();
        if (!text.trimmed().isEmpty())
            row.recordName = text.trimmed();
    }

    // Labels in the form's order: fields as the schema lists them, then relationships.
    const QJsonObject body = QJsonDocument::fromJson(outboxRow.body).object();
    QStringList fieldKeys = body.value(kFields).toObject().keys();
    std::stable_sort(
        fieldKeys.begin(), fieldKeys.end(), [&schema](const QString &a, const QString &b) {
            const qsizetype ia = schema.indexOfField(a);
            const qsizetype ib = schema.indexOfField(b);
            return (ia < 0 ? std::numeric_limits<qsizetype>::max() : ia)
                < (ib < 0 ? std::numeric_limits<qsizetype>::max() : ib);
        });
    // "Label: before → after"; a create (or a key without a recorded base) shows the value.
    const auto change
        = [&](const QString &key, const QString &before, const QString &after, bool hasBase) {
              const QString empty = tr("(empty)");
              const QString now = after.isEmpty() ? empty : after;
              row.changes << (hasBase
                      ? tr("%1: %2 → %3")
                            .arg(keyLabel(key, schema), before.isEmpty() ? empty : before, now)
                      : tr("%1: %2").arg(keyLabel(key, schema), now));
          };
    const QJsonObject fields = body.value(kFields).toObject();
    for (const QString &key : std::as_const(fieldKeys)) {
        row.fieldLabels << keyLabel(key, schema);
        const FieldDefinition *definition = schema.field(key);
        const bool hasBase = outboxRow.baseValues.contains(key);
        change(key, ValueText::field(definition, outboxRow.baseValues.value(key)),
            ValueText::field(definition, fields.value(key)), hasBase);
    }
    const QJsonObject relationships = body.value(kRelationships).toObject();
    for (auto it = relationships.begin(); it != relationships.end(); ++it) {
        row.fieldLabels << keyLabel(it.key(), schema);
        const RelationshipDefinition *definition = schema.relationship(it.key());
        const bool hasBase = outboxRow.baseValues.contains(it.key());
        const QJsonValue base = outboxRow.baseValues.value(it.key());
        // An add or a remove says what it does; the list before it adds nothing.
        const bool operation
            = it.value().isObject() && !it.value().toObject().contains(QLatin1String("replace"));
        change(it.key(), hasBase ? relatedText(definition, base) : QString(),
            relatedText(definition, it.value()), hasBase && !operation);
    }

    row.cells[RecordColumn] = row.recordName;
    row.cells[OperationColumn]
        = outboxRow.op == OutboxRow::Op::Create ? tr("Create") : tr("Update");
    row.cells[FieldsColumn] = row.fieldLabels.join(QStringLiteral(", "));
    row.cells[ChangesColumn] = row.changes.join(QStringLiteral("; "));
    row.cells[StateColumn] = stateText(outboxRow.state);
    row.cells[AttemptsColumn] = m_locale.toString(outboxRow.attempts);
    row.cells[LastErrorColumn] = errorSentence(outboxRow, schema);
    row.cells[QueuedAtColumn] = outboxRow.createdAt.isValid()
        ? m_locale.toString(outboxRow.createdAt.toLocalTime(), QLocale::ShortFormat)
        : QString();
    return row;
}

QList<OutboxModel::Row> OutboxModel::readRows(bool *ok)
{
    QList<Row> rows;
    const QList<OutboxRow> outboxRows = m_outbox.rows(ok);
    m_readError = *ok ? QString() : m_outbox.lastError();
    if (!*ok)
        return rows;
    rows.reserve(outboxRows.size());
    for (const OutboxRow &row : outboxRows)
        rows.append(makeRow(row));
    return rows;
}

void OutboxModel::rebuildIndex()
{
    m_rowOfSeq.clear();
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowOfSeq.insert(m_rows.at(i).row.seq, i);
}

void OutboxModel::reload()
{
    m_schemas.removeIf([this](const auto &it) { return !m_schemaSet.value(it.key()); });
    m_locale = QLocale();
    bool ok = false;
    QList<Row> rows = readRows(&ok);
    if (!ok)
        return; // keep what is shown (see readError())
    beginResetModel();
    m_rows = std::move(rows);
    rebuildIndex();
    endResetModel();
}

void OutboxModel::refresh()
{
    // Both lists are in seq order (Outbox::rows()), and a seq is never reused: removals,
    // insertions and changes can be found with one walk each.
    bool ok = false;
    QList<Row> fresh = readRows(&ok);
    if (!ok)
        return; // keep what is shown (see readError())
    QSet<qint64> freshSeqs;
    for (const Row &row : std::as_const(fresh))
        freshSeqs.insert(row.row.seq);

    // 1. Removed rows, each contiguous run in one signal, from the back so indices hold.
    for (int last = int(m_rows.size()) - 1; last >= 0;) {
        if (freshSeqs.contains(m_rows.at(last).row.seq)) {
            --last;
            continue;
        }
        int first = last;
        while (first > 0 && !freshSeqs.contains(m_rows.at(first - 1).row.seq))
            --first;
        beginRemoveRows({}, first, last);
        m_rows.remove(first, last - first + 1);
        endRemoveRows();
        last = first - 1;
    }
    rebuildIndex();

    // 2. New rows at their seq position, each contiguous run in one signal; 3. changed cells.
    QList<int> changed;
    int at = 0;
    for (int i = 0; i < fresh.size();) {
        if (at < m_rows.size() && m_rows.at(at).row.seq == fresh.at(i).row.seq) {
            Row &current = m_rows[at];
            const Row &next = fresh.at(i);
            const bool same = std::equal(std::begin(current.cells), std::end(current.cells),
                                  std::begin(next.cells))
                && current.row.state == next.row.state && current.row.recordId == next.row.recordId;
            current = next;
            if (!same)
                changed << at;
            ++at;
            ++i;
            continue;
        }
        int end = i;
        while (end < fresh.size()
            && (at >= m_rows.size() || fresh.at(end).row.seq != m_rows.at(at).row.seq)) {
            ++end;
        }
        beginInsertRows({}, at, at + (end - i) - 1);
        for (int k = i; k < end; ++k)
            m_rows.insert(at + (k - i), fresh.at(k));
        endInsertRows();
        at += end - i;
        i = end;
    }
    rebuildIndex();

    if (changed.isEmpty())
        return;
    if (changed.size() * 2 > m_rows.size()) {
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
        return;
    }
    for (int row : std::as_const(changed))
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}
