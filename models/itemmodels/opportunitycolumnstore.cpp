#include "itemmodels/opportunitycolumnstore.h"

#include "domain/json.h"
#include "domain/moneytext.h"
#include "itemmodels/celltext.h"
#include "itemmodels/textfold.h"

#include <QDateTime>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

using namespace OpportunityRoles;

namespace {

constexpr double kNull = std::numeric_limits<double>::quiet_NaN();
constexpr qint64 kDayMs = 86'400'000;
/** Bound of each per-column format cache (dates and amounts repeat a lot). */
constexpr qsizetype kFormatCacheLimit = 16'384;

enum class Storage
{
    TextOnly, ///< TEXT, SOCIAL_HANDLE: the display string is the value
    Number, ///< NUMBER, CURRENCY (cents), DATETIME (ms), CHECKBOX (0/1), SINGLE_SELECT (position)
    List, ///< MULTI_SELECT (ids), EMAIL / URL / TELEPHONE (values), relationships (ids)
    Value, ///< ADDRESS, FULL_NAME, unknown types: the FieldValue itself
    Markdown, ///< MARKDOWN: the full text (the display is its first line)
};

Storage storageFor(const OpportunityColumnStore::Column &column)
{
    if (column.kind == ColumnKind::Relationship)
        return Storage::List;
    switch (column.type) {
    case FieldType::Text:
    case FieldType::SocialHandle:
        return Storage::TextOnly;
    case FieldType::Number:
    case FieldType::Currency:
    case FieldType::DateTime:
    case FieldType::Checkbox:
    case FieldType::SingleSelect:
        return Storage::Number;
    case FieldType::MultiSelect:
    case FieldType::Email:
    case FieldType::Url:
    case FieldType::Telephone:
        return Storage::List;
    case FieldType::Markdown:
        return Storage::Markdown;
    default:
        return Storage::Value;
    }
}

bool isSearchable(const OpportunityColumnStore::Column &column)
{
    if (column.kind == ColumnKind::Relationship)
        return column.showsNames;
    switch (column.type) {
    case FieldType::Number:
    case FieldType::Currency:
    case FieldType::DateTime:
    case FieldType::Checkbox:
        return false;
    default:
        return true;
    }
}

} // namespace

struct OpportunityColumnStore::ColumnData
{
    explicit ColumnData(const Column &c)
        : spec(c)
        , storage(storageFor(c))
        , searchable(isSearchable(c))
        , hasText(storage == Storage::TextOnly || storage == Storage::Markdown
              || (storage == Storage::Value && c.type == FieldType::Unknown)
              || (storage == Storage::Number && c.type != FieldType::SingleSelect
                  && c.type != FieldType::Checkbox))
    {
        const QList<SelectOption> options = c.field.options();
        for (const SelectOption &option : options) {
            optionIndex.insert(option.id, int(optionIds.size()));
            optionIds.append(option.id);
            // "Renewals / Won" where a stage label repeats across pipelines.
            optionLabels.append(c.field.optionDisplayLabel(option));
        }
    }

    Column spec;
    Storage storage;
    bool searchable;
    /**
     * Whether `text` holds the display. Columns whose display is shared data — option labels,
     * names from the directory, list values — build it from that instead (100,000 rows × 24
     * bytes per column otherwise, too much for 100,000 deals in memory).
     */
    bool hasText;
    std::vector<QString> text; ///< display, when hasText
    std::vector<QString> full; ///< Storage::Markdown: the whole text
    std::vector<double> num; ///< Storage::Number, and counts of non-name relationships
    std::vector<qint32> day; ///< DATETIME: the Julian day shown
    std::vector<QStringList> list; ///< Storage::List
    std::vector<FieldValue> value; ///< Storage::Value
    /** Record id → a value the typed vectors cannot hold: raw values, unknown option ids. */
    QHash<QString, FieldValue> raw;
    QHash<qint64, std::pair<QString, qint32>> formatCache;
    QHash<QString, int> optionIndex; ///< select option id → position
    QStringList optionIds; ///< shared id strings, so cells do not each hold a copy
    QStringList optionLabels;
    mutable std::vector<quint32> rank; ///< text sort rank per row; empty = not computed

    /** Whether `num` holds this column's typed key (and sort key). */
    bool usesNum() const
    {
        return storage == Storage::Number
            || (spec.kind == ColumnKind::Relationship && !spec.showsNames);
    }
    bool usesDay() const
    {
        return spec.kind == ColumnKind::Field && spec.type == FieldType::DateTime;
    }

    void appendEmpty()
    {
        if (hasText)
            text.emplace_back();
        if (storage == Storage::Markdown)
            full.emplace_back();
        if (usesNum())
            num.push_back(kNull);
        if (usesDay())
            day.push_back(0);
        if (storage == Storage::List)
            list.emplace_back();
        if (storage == Storage::Value)
            value.emplace_back();
    }

    void erase(std::size_t first, std::size_t last)
    {
        const auto cut = [first, last](auto &v) {
            if (!v.empty())
                v.erase(v.begin() + qsizetype(first), v.begin() + qsizetype(last) + 1);
        };
        cut(text);
        cut(full);
        cut(num);
        cut(day);
        cut(list);
        cut(value);
    }

    void reserve(std::size_t n)
    {
        if (hasText)
            text.reserve(n);
        if (storage == Storage::Markdown)
            full.reserve(n);
        if (usesNum())
            num.reserve(n);
        if (usesDay())
            day.reserve(n);
        if (storage == Storage::List)
            list.reserve(n);
        if (storage == Storage::Value)
            value.reserve(n);
    }

    void clear()
    {
        text.clear();
        full.clear();
        num.clear();
        day.clear();
        list.clear();
        value.clear();
        raw.clear();
        rank.clear();
    }

    const QString *cachedText(qint64 key, qint32 *shownDay) const
    {
        const auto it = formatCache.constFind(key);
        if (it == formatCache.constEnd())
            return nullptr;
        if (shownDay)
            *shownDay = it->second;
        return &it->first;
    }

    void cacheText(qint64 key, const QString &display, qint32 shownDay)
    {
        if (formatCache.size() >= kFormatCacheLimit)
            formatCache.clear();
        formatCache.insert(key, {display, shownDay});
    }
};

OpportunityColumnStore::OpportunityColumnStore() = default;

OpportunityColumnStore::~OpportunityColumnStore() = default;

void OpportunityColumnStore::setSchema(const ObjectSchema &schema)
{
    m_schema = schema;
    clearRows();
    buildColumns();
}

void OpportunityColumnStore::clearRows()
{
    m_ids.clear();
    m_search.clear();
    m_sync.clear();
    m_rowById.clear();
    m_idLists.clear();
    for (auto &column : m_data)
        column->clear();
}

void OpportunityColumnStore::buildColumns()
{
    m_locale = QLocale();
    m_columns.clear();
    m_data.clear();
    m_columnByKey.clear();

    const auto isNamed = [](const QString &objectType) {
        return objectType.compare(QLatin1String("account"), Qt::CaseInsensitive) == 0
            || objectType.compare(QLatin1String("member"), Qt::CaseInsensitive) == 0
            || objectType.compare(QLatin1String("contact"), Qt::CaseInsensitive) == 0;
    };
    const auto addField = [this](const FieldDefinition &definition, bool visible) {
        if (m_columnByKey.contains(definition.key()))
            return;
        Column column;
        column.kind = ColumnKind::Field;
        column.key = definition.key();
        column.label = definition.label();
        column.type = definition.type();
        column.field = definition;
        column.defaultVisible = visible;
        column.numericSort = storageFor(column) == Storage::Number;
        m_columnByKey.insert(column.key, int(m_columns.size()));
        m_columns.push_back(column);
    };
    const auto addRelationship
        = [this, &isNamed](const RelationshipDefinition &definition, bool visible) {
              if (m_columnByKey.contains(definition.key()))
                  return;
              Column column;
              column.kind = ColumnKind::Relationship;
              column.key = definition.key();
              column.label = definition.label();
              column.objectType = definition.objectType();
              column.showsNames = isNamed(column.objectType);
              column.numericSort = !column.showsNames;
              column.defaultVisible = visible;
              m_columnByKey.insert(column.key, int(m_columns.size()));
              m_columns.push_back(column);
          };

    const QList<FieldDefinition> &fields = m_schema.fields();
    const auto fieldsWhere = [&fields, &addField](const auto &predicate) {
        for (const FieldDefinition &definition : fields)
            if (predicate(definition))
                addField(definition, true);
    };
    // The default set: name, account, stage, status, money, dates, owner.
    if (const FieldDefinition *name = m_schema.field(QStringLiteral("$name")))
        addField(*name, true);
    else
        fieldsWhere([](const FieldDefinition &d) { return d.type() == FieldType::Text; });
    if (const RelationshipDefinition *account = m_schema.relationship(QStringLiteral("$account")))
        addRelationship(*account, true);
    if (const FieldDefinition *stage = m_schema.field(QStringLiteral("$stage")))
        addField(*stage, true);
    fieldsWhere([](const FieldDefinition &d) {
        return d.type() == FieldType::SingleSelect
            && d.key().contains(QLatin1String("status"), Qt::CaseInsensitive);
    });
    fieldsWhere([](const FieldDefinition &d) { return d.type() == FieldType::Currency; });
    fieldsWhere([](const FieldDefinition &d) { return d.type() == FieldType::DateTime; });
    if (const RelationshipDefinition *owner = m_schema.relationship(QStringLiteral("$owner")))
        addRelationship(*owner, true);
    // The column chooser's: everything else in schema order.
    for (const FieldDefinition &definition : fields)
        addField(definition, false);
    for (const RelationshipDefinition &definition : m_schema.relationships())
        addRelationship(definition, false);

    m_data.reserve(m_columns.size());
    for (const Column &column : m_columns)
        m_data.push_back(std::make_unique<ColumnData>(column));
}

QList<int> OpportunityColumnStore::defaultColumns() const
{
    QList<int> columns;
    for (std::size_t i = 0; i < m_columns.size(); ++i)
        if (m_columns[i].defaultVisible)
            columns.append(int(i));
    return columns;
}

void OpportunityColumnStore::reserveColumns(std::size_t rows)
{
    m_ids.reserve(rows);
    m_search.reserve(rows);
    m_sync.reserve(rows);
    for (auto &column : m_data)
        column->reserve(rows);
}

void OpportunityColumnStore::reserve(std::size_t rows)
{
    reserveColumns(rows);
    m_rowById.reserve(qsizetype(rows));
}

void OpportunityColumnStore::load(qsizetype count, const std::function<Record(qsizetype)> &recordAt,
    const QHash<QString, SyncState> &syncStates)
{
    reserve(std::size_t(std::max<qsizetype>(count, 0)));
    for (qsizetype i = 0; i < count; ++i) {
        const Record record = recordAt(i);
        if (!record.isValid())
            continue;
        const int existing = rowForId(record.id());
        if (existing >= 0) {
            writeRow(std::size_t(existing), record);
            continue;
        }
        appendRow(record, syncStates.value(record.id(), SyncState::Synced));
    }
}

std::vector<int> OpportunityColumnStore::updateRows(
    const QList<Record> &records, QList<Record> *fresh)
{
    std::vector<int> changed;
    QHash<QString, qsizetype> freshIndex;
    for (const Record &record : records) {
        if (!record.isValid())
            continue;
        const int row = rowForId(record.id());
        if (row >= 0) {
            if (writeRow(std::size_t(row), record))
                changed.push_back(row);
            continue;
        }
        const auto it = freshIndex.constFind(record.id());
        if (it != freshIndex.constEnd()) {
            (*fresh)[*it] = record;
        } else {
            freshIndex.insert(record.id(), fresh->size());
            fresh->append(record);
        }
    }
    std::sort(changed.begin(), changed.end());
    changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
    return changed;
}

void OpportunityColumnStore::appendRows(
    const QList<Record> &records, const QHash<QString, SyncState> &syncStates)
{
    const auto reserved = m_ids.size() + std::size_t(records.size());
    if (reserved > m_ids.capacity()) {
        // Grow geometrically: a load appends thousands of chunks.
        reserveColumns(std::max(reserved, m_ids.capacity() * 3 / 2));
    }
    for (const Record &record : records)
        appendRow(record,
            syncStates.isEmpty() ? SyncState::Synced
                                 : syncStates.value(record.id(), SyncState::Synced));
}

void OpportunityColumnStore::appendRow(const Record &record, SyncState state)
{
    const std::size_t row = m_ids.size();
    m_ids.push_back(record.id());
    m_search.emplace_back();
    m_sync.push_back(quint8(state));
    for (auto &column : m_data)
        column->appendEmpty();
    m_rowById.insert(record.id(), int(row));
    writeRow(row, record);
}

bool OpportunityColumnStore::writeRow(std::size_t row, const Record &record)
{
    bool changed = false;
    for (auto &column : m_data) {
        ColumnData &c = *column;
        // Snapshot what the cell holds, to tell a real change from a repeated page.
        const QString oldText = c.hasText ? c.text[row] : QString();
        const QString oldFull = c.storage == Storage::Markdown ? c.full[row] : QString();
        const double oldNum = c.usesNum() ? c.num[row] : 0;
        const QStringList oldList = c.storage == Storage::List ? c.list[row] : QStringList();
        const FieldValue oldValue = c.storage == Storage::Value ? c.value[row] : FieldValue();
        const bool oldRaw = hasRaw(row, c);
        writeCell(c, row, record);
        const double newNum = c.usesNum() ? c.num[row] : 0;
        const bool sameNum = oldNum == newNum || (std::isnan(oldNum) && std::isnan(newNum));
        const bool newRaw = hasRaw(row, c);
        if ((c.hasText && oldText != c.text[row]) || !sameNum || oldRaw != newRaw || newRaw
            || (c.storage == Storage::Markdown && oldFull != c.full[row])
            || (c.storage == Storage::List && oldList != c.list[row])
            || (c.storage == Storage::Value && !(oldValue == c.value[row]))) {
            changed = true;
            c.rank.clear();
        }
    }
    const QByteArray oldSearch = m_search[row];
    rebuildSearch(row);
    return changed || oldSearch != m_search[row];
}

void OpportunityColumnStore::writeCell(ColumnData &c, std::size_t row, const Record &record)
{
    const Column &spec = c.spec;
    if (spec.kind == ColumnKind::Relationship) {
        c.list[row] = sharedIds(record.relatedIds(spec.key));
        if (c.usesNum())
            c.num[row] = c.list[row].isEmpty() ? kNull : double(c.list[row].size());
        return;
    }
    const QString &id = m_ids[row];
    if (!c.raw.isEmpty())
        c.raw.remove(id);
    const FieldValue value = record.value(spec.key);
    if (c.usesNum())
        c.num[row] = kNull;
    if (c.usesDay())
        c.day[row] = 0;
    if (c.storage == Storage::List)
        c.list[row] = QStringList();
    if (c.storage == Storage::Value)
        c.value[row] = value;
    if (c.storage == Storage::Markdown)
        c.full[row] = QString();
    if (value.isRaw()) {
        // Shown as read, never sorted as a number or written back (FieldValue docs).
        c.raw.insert(id, value);
        if (c.hasText)
            c.text[row] = Json::valueText(value.rawJson());
        return;
    }
    QString text;
    if (!value.isNull() || spec.type == FieldType::Unknown) {
        switch (spec.type) {
        case FieldType::Text:
        case FieldType::SocialHandle:
            text = value.toText();
            break;
        case FieldType::Number: {
            const double number = value.toDouble();
            c.num[row] = number;
            qint64 bits = 0;
            std::memcpy(&bits, &number, sizeof bits);
            if (const QString *cached = c.cachedText(bits, nullptr)) {
                text = *cached;
            } else {
                text = m_locale.toString(number, 'f', QLocale::FloatingPointShortest);
                c.cacheText(bits, text, 0);
            }
            break;
        }
        case FieldType::Currency: {
            const qint64 cents = value.toCents();
            c.num[row] = double(cents);
            if (const QString *cached = c.cachedText(cents, nullptr)) {
                text = *cached;
            } else {
                const QString code
                    = value.currencyCode().isEmpty() ? spec.field.currency() : value.currencyCode();
                text = MoneyText::format(m_locale, cents, code);
                c.cacheText(cents, text, 0);
            }
            break;
        }
        case FieldType::DateTime: {
            const qint64 ms = value.toDateTime().toMSecsSinceEpoch();
            c.num[row] = double(ms);
            qint32 shownDay = 0;
            if (const QString *cached = c.cachedText(ms, &shownDay)) {
                text = *cached;
            } else {
                const QDateTime utc = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
                if (ms % kDayMs == 0) {
                    // A date without a time (a close date): the day as stored, in any time zone.
                    shownDay = qint32(utc.date().toJulianDay());
                    text = m_locale.toString(utc.date(), QLocale::ShortFormat);
                } else {
                    const QDateTime local = utc.toLocalTime();
                    shownDay = qint32(local.date().toJulianDay());
                    text = m_locale.toString(local, QLocale::ShortFormat);
                }
                c.cacheText(ms, text, shownDay);
            }
            c.day[row] = shownDay;
            break;
        }
        case FieldType::Checkbox:
            c.num[row] = value.toBool() ? 1 : 0;
            break;
        case FieldType::SingleSelect: {
            const QString optionId = value.toText();
            const int position = c.optionIndex.value(optionId, -1);
            c.num[row] = position;
            if (position < 0)
                c.raw.insert(id, value); // an option the definitions do not know: shown as its id
            break;
        }
        case FieldType::MultiSelect: {
            QStringList ids = value.toStringList();
            for (QString &optionId : ids) {
                const int position = c.optionIndex.value(optionId, -1);
                if (position >= 0)
                    optionId = c.optionIds.at(position);
            }
            c.list[row] = sharedIds(ids);
            break;
        }
        case FieldType::Email:
        case FieldType::Url:
        case FieldType::Telephone:
            c.list[row] = value.toStringList();
            break;
        case FieldType::Markdown: {
            const QString markdown = value.toText();
            c.full[row] = markdown;
            const QString first = CellText::markdownFirstLine(markdown);
            text = first == markdown ? markdown : first;
            break;
        }
        case FieldType::Address:
        case FieldType::FullName:
            break; // shown from the stored value (cellText())
        case FieldType::Unknown:
            text = value.isRaw() ? Json::valueText(value.rawJson()) : QString();
            break;
        }
    }
    if (c.hasText)
        c.text[row] = text;
}

QStringList OpportunityColumnStore::sharedIds(const QStringList &ids)
{
    // Related ids repeat across thousands of deals (one account, eight owners): keep one list
    // per single id and one string per id instead of a copy in every cell.
    if (ids.isEmpty())
        return {};
    if (ids.size() == 1) {
        auto it = m_idLists.constFind(ids.first());
        if (it == m_idLists.constEnd())
            it = m_idLists.insert(ids.first(), ids);
        return *it;
    }
    QStringList shared;
    shared.reserve(ids.size());
    for (const QString &id : ids) {
        const auto it = m_idLists.constFind(id);
        shared.append(it != m_idLists.constEnd() ? it->first() : id);
    }
    return shared;
}

QString OpportunityColumnStore::cellText(std::size_t row, const ColumnData &c) const
{
    if (c.hasText)
        return c.text[row];
    if (!c.raw.isEmpty()) {
        const auto it = c.raw.constFind(m_ids[row]);
        if (it != c.raw.constEnd())
            return it->isRaw() ? Json::valueText(it->rawJson()) : it->toText();
    }
    const QStringList empty;
    const QStringList &ids = c.storage == Storage::List ? c.list[row] : empty;
    if (c.spec.kind == ColumnKind::Relationship) {
        if (ids.isEmpty())
            return {};
        if (!c.spec.showsNames)
            return m_locale.toString(qsizetype(ids.size())); // tasks, notes: how many
        if (ids.size() == 1) {
            const QString name = m_names.name(ids.first());
            return name.isNull() ? ids.first() : name;
        }
        QStringList names;
        names.reserve(ids.size());
        for (const QString &id : ids) {
            const QString name = m_names.name(id);
            names.append(name.isNull() ? id : name);
        }
        return CellText::joined(names);
    }
    switch (c.spec.type) {
    case FieldType::Address:
        return c.value[row].toAddress().displayText();
    case FieldType::FullName:
        return c.value[row].toFullName().displayName();
    case FieldType::SingleSelect: {
        const double position = c.num[row];
        return std::isnan(position) || position < 0 ? QString()
                                                    : c.optionLabels.at(qsizetype(position));
    }
    case FieldType::MultiSelect: {
        QStringList labels;
        labels.reserve(ids.size());
        for (const QString &optionId : ids) {
            const int position = c.optionIndex.value(optionId, -1);
            labels.append(position >= 0 ? c.optionLabels.at(position) : optionId);
        }
        return CellText::joined(labels);
    }
    case FieldType::Email:
    case FieldType::Url:
    case FieldType::Telephone:
        return CellText::joined(ids);
    default:
        return {};
    }
}

QString OpportunityColumnStore::shownNames(std::size_t row, const ColumnData &c) const
{
    // A record id means nothing to a rep: until its name is known (the first sync brings
    // deals and the accounts, members and contacts they point to in parallel) a neutral
    // placeholder stands in for it.
    if (c.hasText || c.storage != Storage::List || (hasRaw(row, c)))
        return cellText(row, c);
    const QStringList &ids = c.list[row];
    QStringList names;
    names.reserve(ids.size());
    for (const QString &id : ids) {
        const QString name = m_names.name(id);
        names.append(name.isNull() ? QStringLiteral("…") : name);
    }
    return CellText::joined(names);
}

void OpportunityColumnStore::rebuildSearch(std::size_t row)
{
    // Folded piece by piece (folding works per character, so this equals folding the whole
    // text): ASCII pieces — most of them — skip Unicode normalisation and go straight to bytes.
    QByteArray folded;
    folded.reserve(256);
    const auto add = [&folded](const QString &piece) {
        const qsizetype start = folded.size();
        folded.resize(start + piece.size());
        char *out = folded.data() + start;
        bool ascii = true;
        for (qsizetype i = 0; i < piece.size(); ++i) {
            const char16_t c = piece[i].unicode();
            if (c >= 0x80) {
                ascii = false;
                break;
            }
            out[i] = char(c >= u'A' && c <= u'Z' ? c + 32 : c);
        }
        if (!ascii) {
            folded.truncate(start);
            folded += TextFold::foldUtf8(piece);
        }
        folded += '\n';
    };
    for (const auto &column : m_data) {
        const ColumnData &c = *column;
        if (!c.searchable)
            continue;
        if (c.spec.kind == ColumnKind::Relationship) {
            // Names only: an id is nothing a rep would type.
            for (const QString &id : c.list[row]) {
                const QString name = m_names.name(id);
                if (!name.isEmpty())
                    add(name);
            }
            continue;
        }
        const QString shown = c.storage == Storage::Markdown && !c.full[row].isEmpty()
            ? c.full[row]
            : cellText(row, c);
        if (!shown.isEmpty())
            add(shown);
    }
    // Keep only what is used.
    folded.squeeze();
    m_search[row] = folded;
}

bool OpportunityColumnStore::hasRaw(std::size_t row, const ColumnData &c) const
{
    return !c.raw.isEmpty() && c.raw.contains(m_ids[row]);
}

std::vector<int> OpportunityColumnStore::rowsOf(const QStringList &ids) const
{
    std::vector<int> rows;
    for (const QString &id : ids) {
        const int row = rowForId(id);
        if (row >= 0)
            rows.push_back(row);
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    return rows;
}

void OpportunityColumnStore::removeRows(int first, int last)
{
    for (int row = first; row <= last; ++row) {
        m_rowById.remove(m_ids[std::size_t(row)]);
        for (auto &column : m_data) {
            if (!column->raw.isEmpty())
                column->raw.remove(m_ids[std::size_t(row)]);
        }
    }
    const auto cut = [first, last](auto &v) { v.erase(v.begin() + first, v.begin() + last + 1); };
    cut(m_ids);
    cut(m_search);
    cut(m_sync);
    for (auto &column : m_data) {
        column->erase(std::size_t(first), std::size_t(last));
        column->rank.clear();
    }
    reindexFrom(std::size_t(first));
}

void OpportunityColumnStore::reindexFrom(std::size_t row)
{
    for (std::size_t i = row; i < m_ids.size(); ++i)
        m_rowById.insert(m_ids[i], int(i));
}

bool OpportunityColumnStore::setSyncState(int row, SyncState state)
{
    if (m_sync[std::size_t(row)] == quint8(state))
        return false;
    m_sync[std::size_t(row)] = quint8(state);
    return true;
}

std::vector<int> OpportunityColumnStore::setSyncStates(const QHash<QString, SyncState> &states)
{
    std::vector<int> changed;
    for (std::size_t row = 0; row < m_ids.size(); ++row) {
        const auto state = quint8(states.value(m_ids[row], SyncState::Synced));
        if (m_sync[row] != state) {
            m_sync[row] = state;
            changed.push_back(int(row));
        }
    }
    return changed;
}

std::vector<int> OpportunityColumnStore::setNames(const NameDirectory &names)
{
    const NameDirectory old = m_names;
    m_names = names;
    return refreshNameCells(
        [&old, this](const QString &id) { return old.name(id) != m_names.name(id); });
}

std::vector<int> OpportunityColumnStore::updateNames(const QHash<QString, QString> &names)
{
    QSet<QString> changedIds;
    for (auto it = names.cbegin(); it != names.cend(); ++it) {
        const QString old = m_names.name(it.key());
        if (old == it.value() || (old.isEmpty() && it.value().isEmpty()))
            continue;
        m_names.insert(it.key(), it.value());
        changedIds.insert(it.key());
    }
    if (changedIds.isEmpty())
        return {};
    return refreshNameCells([&changedIds](const QString &id) { return changedIds.contains(id); });
}

std::vector<int> OpportunityColumnStore::refreshNameCells(
    const std::function<bool(const QString &)> &nameChanged)
{
    std::vector<ColumnData *> nameColumns;
    for (auto &column : m_data) {
        if (column->spec.kind == ColumnKind::Relationship && column->spec.showsNames)
            nameColumns.push_back(column.get());
    }
    std::vector<int> changed;
    for (std::size_t row = 0; row < m_ids.size(); ++row) {
        bool rowChanged = false;
        for (ColumnData *c : nameColumns) {
            for (const QString &id : c->list[row]) {
                if (nameChanged(id)) {
                    rowChanged = true;
                    c->rank.clear();
                    break;
                }
            }
        }
        if (rowChanged) {
            rebuildSearch(row);
            changed.push_back(int(row));
        }
    }
    return changed;
}

bool OpportunityColumnStore::cellEmpty(std::size_t row, const ColumnData &c) const
{
    if (c.usesNum())
        return std::isnan(c.num[row]);
    if (c.hasText)
        return c.text[row].isEmpty();
    if (c.storage == Storage::List)
        return c.list[row].isEmpty() && (c.raw.isEmpty() || !c.raw.contains(m_ids[row]));
    if (c.storage == Storage::Value)
        return c.value[row].isNull();
    return true;
}

void OpportunityColumnStore::ensureRank(const ColumnData &c) const
{
    if (c.rank.size() == m_ids.size())
        return;
    // Rank the distinct texts once (names and labels repeat: 20,000 accounts over 100,000
    // deals), folded, then give each row its text's rank: every later comparison is two
    // integer reads, which keeps a sort of 100,000 rows well below 150 ms.
    const std::size_t n = m_ids.size();
    QHash<QString, quint32> slotOf;
    std::vector<QString> distinct;
    std::vector<quint32> rowSlot(n);
    for (std::size_t i = 0; i < n; ++i) {
        const QString text = cellText(i, c);
        auto it = slotOf.constFind(text);
        if (it == slotOf.constEnd()) {
            it = slotOf.insert(text, quint32(distinct.size()));
            distinct.push_back(text);
        }
        rowSlot[i] = *it;
    }
    std::vector<QString> keys(distinct.size());
    for (std::size_t k = 0; k < distinct.size(); ++k)
        keys[k] = TextFold::fold(distinct[k]);
    std::vector<quint32> order(distinct.size());
    std::iota(order.begin(), order.end(), 0U);
    std::sort(order.begin(), order.end(), [&keys, &distinct](quint32 a, quint32 b) {
        const int byKey = QStringView(keys[a]).compare(QStringView(keys[b]));
        if (byKey != 0)
            return byKey < 0;
        return QStringView(distinct[a]).compare(QStringView(distinct[b])) < 0;
    });
    std::vector<quint32> rankOfSlot(distinct.size());
    for (std::size_t k = 0; k < order.size(); ++k)
        rankOfSlot[order[k]] = quint32(k);
    c.rank.resize(n);
    for (std::size_t i = 0; i < n; ++i)
        c.rank[i] = rankOfSlot[rowSlot[i]];
}

bool OpportunityColumnStore::lessThan(int column, int rowA, int rowB, Qt::SortOrder order) const
{
    const ColumnData &c = data(column);
    const auto a = std::size_t(rowA);
    const auto b = std::size_t(rowB);
    if (c.usesNum()) {
        const double x = c.num[a];
        const double y = c.num[b];
        const bool xEmpty = std::isnan(x);
        const bool yEmpty = std::isnan(y);
        if (xEmpty || yEmpty)
            return xEmpty != yEmpty && (order == Qt::AscendingOrder ? yEmpty : xEmpty);
        return x < y;
    }
    const bool xEmpty = cellEmpty(a, c);
    const bool yEmpty = cellEmpty(b, c);
    if (xEmpty || yEmpty)
        return xEmpty != yEmpty && (order == Qt::AscendingOrder ? yEmpty : xEmpty);
    ensureRank(c);
    return c.rank[a] < c.rank[b];
}

QString OpportunityColumnStore::text(int row, int column) const
{
    return cellText(std::size_t(row), data(column));
}

QString OpportunityColumnStore::displayText(int row, int column) const
{
    const ColumnData &c = data(column);
    if (c.spec.kind == ColumnKind::Relationship && c.spec.showsNames)
        return shownNames(std::size_t(row), c);
    return cellText(std::size_t(row), c);
}

bool OpportunityColumnStore::isEmpty(int row, int column) const
{
    return cellEmpty(std::size_t(row), data(column));
}

QVariant OpportunityColumnStore::rawValue(int row, int column) const
{
    const ColumnData &c = data(column);
    const auto r = std::size_t(row);
    if (!c.raw.isEmpty()) {
        const auto it = c.raw.constFind(m_ids[r]);
        if (it != c.raw.constEnd())
            return QVariant::fromValue(*it);
    }
    if (c.spec.kind == ColumnKind::Relationship)
        return c.list[r];
    const FieldType type = c.spec.type;
    FieldValue value = FieldValue::null(type);
    const double key = c.usesNum() ? c.num[r] : 0;
    const bool hasNumber = c.usesNum() && !std::isnan(key);
    switch (type) {
    case FieldType::Text:
    case FieldType::SocialHandle:
        value = FieldValue::fromText(type, c.text[r]);
        break;
    case FieldType::Number:
        if (hasNumber)
            value = FieldValue::fromNumber(key);
        break;
    case FieldType::Currency:
        if (hasNumber)
            value = FieldValue::fromCents(qint64(key), c.spec.field.currency());
        break;
    case FieldType::DateTime:
        if (hasNumber)
            value = FieldValue::fromDateTime(QDateTime::fromMSecsSinceEpoch(qint64(key), Qt::UTC));
        break;
    case FieldType::Checkbox:
        if (hasNumber)
            value = FieldValue::fromBool(key == 1);
        break;
    case FieldType::SingleSelect:
        if (hasNumber)
            value = FieldValue::fromText(
                type, key >= 0 ? c.optionIds.at(qsizetype(key)) : cellText(r, c));
        break;
    case FieldType::MultiSelect:
    case FieldType::Email:
    case FieldType::Url:
    case FieldType::Telephone:
        value = FieldValue::fromStringList(type, c.list[r]);
        break;
    case FieldType::Markdown:
        value = FieldValue::fromText(type, c.full[r]);
        break;
    default:
        value = c.value[r];
        break;
    }
    return QVariant::fromValue(value);
}

QVariant OpportunityColumnStore::sortValue(int row, int column) const
{
    const ColumnData &c = data(column);
    const auto r = std::size_t(row);
    if (cellEmpty(r, c))
        return {};
    if (c.spec.kind == ColumnKind::Relationship)
        return c.spec.showsNames ? QVariant(TextFold::fold(cellText(r, c)))
                                 : QVariant(int(c.num[r]));
    const double key = c.usesNum() ? c.num[r] : 0;
    switch (c.spec.type) {
    case FieldType::Number:
        return key;
    case FieldType::Currency:
        return qlonglong(key);
    case FieldType::DateTime:
        return QDateTime::fromMSecsSinceEpoch(qint64(key), Qt::UTC);
    case FieldType::Checkbox:
        return key == 1;
    case FieldType::SingleSelect:
        return int(key);
    default:
        return TextFold::fold(cellText(r, c));
    }
}

double OpportunityColumnStore::number(int row, int column) const
{
    const ColumnData &c = data(column);
    return c.usesNum() ? c.num[std::size_t(row)] : kNull;
}

qint32 OpportunityColumnStore::shownDay(int row, int column) const
{
    const ColumnData &c = data(column);
    return c.usesDay() ? c.day[std::size_t(row)] : 0;
}

const QStringList &OpportunityColumnStore::list(int row, int column) const
{
    static const QStringList none;
    const ColumnData &c = data(column);
    return c.storage == Storage::List ? c.list[std::size_t(row)] : none;
}

bool OpportunityColumnStore::holdsList(int column) const
{
    return data(column).storage == Storage::List;
}

const QString &OpportunityColumnStore::markdown(int row, int column) const
{
    static const QString none;
    const ColumnData &c = data(column);
    return c.storage == Storage::Markdown ? c.full[std::size_t(row)] : none;
}

int OpportunityColumnStore::optionPosition(int column, const QString &optionId) const
{
    return data(column).optionIndex.value(optionId, -1);
}

const QStringList &OpportunityColumnStore::optionIds(int column) const
{
    return data(column).optionIds;
}

const QStringList &OpportunityColumnStore::optionLabels(int column) const
{
    return data(column).optionLabels;
}
