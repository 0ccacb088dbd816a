#include "sync/createcandidatemodel.h"
#include "domain/json.h"

#include "domain/fielddefinition.h"
#include "domain/fieldvalue.h"
#include "domain/moneytext.h"
#include "domain/record.h"
#include "net/errortext.h"
#include "net/lightfieldclient.h"
#include "net/listquery.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include <algorithm>
#include <memory>

namespace {

const QLatin1String kFields("fields");
const QLatin1String kRelationships("relationships");

QJsonValue plainValue(const QJsonObject &record, const QString &key)
{
    const QJsonValue value = record.value(kFields).toObject().value(key);
    return value.isObject() ? value.toObject().value(QLatin1String("value")) : value;
}

QStringList relationshipIds(const QJsonObject &record, const QString &key)
{
    const QJsonValue value = record.value(kRelationships).toObject().value(key);
    QStringList ids;
    const QJsonValue values
        = value.isObject() ? value.toObject().value(QLatin1String("values")) : value;
    if (values.isString())
        ids << values.toString();
    for (const QJsonValue &id : values.toArray()) {
        if (id.isString())
            ids << id.toString();
        else if (id.isObject())
            ids << id.toObject().value(QLatin1String("id")).toString();
    }
    // A create body: {"$account": {"replace": ["acc_…"]}} or {"replace": "acc_…"}.
    if (value.isObject() && value.toObject().contains(QLatin1String("replace"))) {
        const QJsonValue replaced = value.toObject().value(QLatin1String("replace"));
        if (replaced.isString())
            ids << replaced.toString();
        for (const QJsonValue &id : replaced.toArray())
            ids << id.toString();
    }
    ids.removeAll(QString());
    return ids;
}

} // namespace

CreateCandidateModel::CreateCandidateModel(
    const ObjectSchema &schema, AccountName accountName, QObject *parent)
    : QAbstractTableModel(parent)
    , m_schema(schema)
    , m_accountName(std::move(accountName))
{
}

CreateCandidateModel::~CreateCandidateModel() = default;

void CreateCandidateModel::load(LightfieldClient *client, const QJsonObject &createBody)
{
    const quint64 generation = ++m_generation;
    m_loading = true;
    const QString name = plainValue(createBody, QStringLiteral("$name")).toString();
    const QStringList accounts = relationshipIds(createBody, QStringLiteral("$account"));
    const QString account = accounts.isEmpty() ? QString() : accounts.first();
    if (!client || name.isEmpty()) {
        finish(false, tr("The new deal has no name to look for."), {}, QString());
        return;
    }
    // The first page of the search, at its largest: the rep scans it, nothing is matched.
    ListQuery query = ListQuery().atPage(0, ListQuery::kMaxLimit);
    query.filters.append({QStringLiteral("$name"), QStringLiteral("equal"), name});
    const QPointer<LightfieldClient> guard(client);
    client->listOpportunities(
        query, this, [this, guard, generation, account](const PageResult &result) {
            if (generation != m_generation)
                return;
            if (!result.ok()) {
                finish(false, ErrorText::userMessage(result.error()), {}, account);
                return;
            }
            const QList<Record> found = result.value().records;
            if (found.isEmpty() || !guard) {
                finish(bool(guard), QString(), {}, account);
                return;
            }
            // The index's copy may be old: each candidate is read again before it is shown.
            struct Pending
            {
                int remaining = 0;
                bool failed = false;
                QString error;
                QList<QJsonObject> records;
            };
            auto pending = std::make_shared<Pending>();
            pending->remaining = int(found.size());
            for (const Record &record : found) {
                guard->retrieveOpportunity(record.id(), this,
                    [this, generation, pending, account](const RecordResult &fetched) {
                        if (generation != m_generation)
                            return;
                        if (fetched.ok()) {
                            pending->records << fetched.value().toJson();
                        } else if (fetched.error().kind() != ErrorKind::NotFound
                            && !pending->failed) {
                            pending->failed = true;
                            pending->error = ErrorText::userMessage(fetched.error());
                        }
                        if (--pending->remaining == 0) {
                            if (pending->failed)
                                finish(false, pending->error, {}, account);
                            else
                                finish(true, QString(), pending->records, account);
                        }
                    });
            }
        });
}

void CreateCandidateModel::finish(
    bool ok, const QString &error, QList<QJsonObject> records, const QString &preferredAccount)
{
    // Deals of the create's own account first, then the newest first.
    std::stable_sort(records.begin(), records.end(),
        [&preferredAccount](const QJsonObject &a, const QJsonObject &b) {
            const bool aOurs = !preferredAccount.isEmpty()
                && relationshipIds(a, QStringLiteral("$account")).contains(preferredAccount);
            const bool bOurs = !preferredAccount.isEmpty()
                && relationshipIds(b, QStringLiteral("$account")).contains(preferredAccount);
            if (aOurs != bOurs)
                return aOurs;
            return a.value(QLatin1String("createdAt")).toString()
                > b.value(QLatin1String("createdAt")).toString();
        });
    beginResetModel();
    m_rows.clear();
    for (const QJsonObject &record : std::as_const(records))
        m_rows << makeRow(record);
    m_loading = false;
    endResetModel();
    Q_EMIT finished(ok, error);
}

CreateCandidateModel::Row CreateCandidateModel::makeRow(const QJsonObject &record) const
{
    Row row;
    row.id = record.value(QLatin1String("id")).toString();
    row.record = record;
    const QLocale locale;
    row.cells.resize(ColumnCount);
    row.cells[NameColumn] = plainValue(record, QStringLiteral("$name")).toString();

    QStringList accountNames;
    for (const QString &id : relationshipIds(record, QStringLiteral("$account"))) {
        const QString accountName = m_accountName ? m_accountName(id) : QString();
        accountNames << (accountName.isEmpty() ? id : accountName);
    }
    row.cells[AccountColumn] = accountNames.join(QStringLiteral(", "));

    const QJsonValue amount = plainValue(record, QStringLiteral("$amount"));
    if (amount.isDouble()) {
        const FieldDefinition *definition = m_schema.field(QStringLiteral("$amount"));
        const QString currency = definition ? definition->currency() : QString();
        // The one money rule of the app (the table shows the deal the same way).
        row.cells[AmountColumn]
            = MoneyText::format(locale, qRound64(amount.toDouble() * 100), currency);
    }

    const QString stageId = plainValue(record, QStringLiteral("$stage")).toString();
    QString stage = stageId;
    if (const FieldDefinition *definition = m_schema.field(QStringLiteral("$stage"))) {
        if (const std::optional<SelectOption> option = definition->option(stageId))
            stage = option->label;
    }
    row.cells[StageColumn] = stage;

    QDateTime created
        = QDateTime::fromString(record.value(QLatin1String("createdAt")).toString(), Qt::ISODate);
    if (created.isValid())
        row.cells[CreatedColumn] = locale.toString(created.toLocalTime(), QLocale::ShortFormat);
    return row;
}

QByteArray CreateCandidateModel::recordJson(int row) const
{
    return row >= 0 && row < m_rows.size() ? Json::compact(m_rows.at(row).record) : QByteArray();
}

QString CreateCandidateModel::recordId(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).id : QString();
}

int CreateCandidateModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CreateCandidateModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(ColumnCount);
}

QVariant CreateCandidateModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return row.cells.value(index.column());
    case IdRole:
        return row.id;
    case RecordJsonRole:
        return recordJson(index.row());
    default:
        return {};
    }
}

QVariant CreateCandidateModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Name");
    case AccountColumn:
        return tr("Account");
    case AmountColumn:
        return tr("Amount");
    case StageColumn:
        return tr("Stage");
    case CreatedColumn:
        return tr("Created");
    default:
        return {};
    }
}

QHash<int, QByteArray> CreateCandidateModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(IdRole, "recordId");
    names.insert(RecordJsonRole, "recordJson");
    return names;
}
