#include "sandboxseed.h"

#include "sandboxstore.h"

#include <QHash>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QSet>

#include <array>
#include <cmath>

namespace {

constexpr qint64 kHourMs = 3'600'000;
constexpr qint64 kDayMs = 24 * kHourMs;
constexpr int kMemberCount = 8;

struct Person
{
    const char *first;
    const char *last;
};

struct Place
{
    const char *street;
    const char *city;
    const char *state; ///< nullptr → null
    const char *postalCode;
    const char *country;
    double latitude;
    double longitude;
    const char *phonePrefix; ///< E.164 country and area code
};

struct MemberSpec
{
    Person name;
    const char *email;
    const char *role;
    bool hasImage;
};

constexpr MemberSpec kMembers[kMemberCount] = {
    {{"Zoë", "Brontë"}, "zoe.bronte@sandbox.lightfield.example", "Admin", true},
    {{"José", "Núñez"}, "jose.nunez@sandbox.lightfield.example", "Account Executive", true},
    {{"太郎", "山田"}, "taro.yamada@sandbox.lightfield.example", "Account Executive", false},
    {{"Søren", "Kierkegaard"}, "soren.kierkegaard@sandbox.lightfield.example", "Sales Manager",
        true},
    {{"Ana", "Ruiz"}, "ana.ruiz@sandbox.lightfield.example", "Sales Development Rep", false},
    {{"Grace", "Hopper"}, "grace.hopper@sandbox.lightfield.example", "Account Executive", true},
    {{"Kwame", "Mensah"}, "kwame.mensah@sandbox.lightfield.example", "Solutions Engineer", false},
    {{"Priya", "Patel"}, "priya.patel@sandbox.lightfield.example", "Head of Sales", true},
};

constexpr const char *kCompanyFirst[] = {
    "Northwind",
    "Contoso",
    "Globex",
    "Initech",
    "Vandelay",
    "Blue Harbor",
    "Kestrel",
    "Lumen",
    "Aurora",
    "Bergström",
    "Brightline",
    "Cobalt",
    "Crescent",
    "Driftwood",
    "Evergreen",
    "Fjordline",
    "Granite",
    "Halcyon",
    "Ironbark",
    "Juniper",
    "Keystone",
    "Lakeshore",
    "Meridian",
    "Nimbus",
    "Oakridge",
    "Pinnacle",
    "Quarry",
    "Redwood",
    "Saffron",
    "Tidewater",
    "Umber",
    "Vantage",
    "Willow",
    "Yellowtail",
    "Zephyr",
    "Ålesund",
    "Montréal",
    "Sakura",
    "Mäkelä",
    "Œuvre",
    "Piñon",
    "São Bento",
    "Kraków",
    "Ísafold",
    "Hanami",
    "Solstice",
    "Terrapin",
    "Wolfram",
};

constexpr const char *kCompanySecond[] = {
    "Labs",
    "Systems",
    "Logistics",
    "Health",
    "Analytics",
    "Foods",
    "Energy",
    "Robotics",
    "Bank",
    "Studios",
    "Capital",
    "Networks",
    "Pharma",
    "Retail",
    "Mobility",
    "Software",
    "Freight",
    "Insurance",
    "Media",
    "Materials",
    "Biotech",
    "Airlines",
    "Hotels",
    "Dynamics",
    "Partners",
    "Works",
    "Telecom",
    "Security",
    "Foundry",
    "Outfitters",
};

constexpr const char *kLegalForms[]
    = {"Inc.", "GmbH", "Ltd", "AB", "S.A.", "K.K.", "Oy", "LLC", "SAS"};

/// A few accounts whose whole name is not Latin-script word salad.
constexpr const char *kSpecialCompanies[] = {
    "山田商事",
    "Ünal Tekstil A.Ş.",
    "Łódź Motors",
    "Société Générale des Eaux",
    "Café Olé",
    "Øresund Shipping",
    "北京数据科技",
    "Þórsmörk Outdoor",
};

constexpr Person kPeople[] = {
    {"José", "Núñez"},
    {"Zoë", "Brontë"},
    {"Søren", "Kierkegaard"},
    {"Ana", "Ruiz"},
    {"Björn", "Öberg"},
    {"Chloé", "Dubois"},
    {"Dmitri", "Ivanov"},
    {"Eun-ji", "Kim"},
    {"François", "Lefèvre"},
    {"Grace", "Hopper"},
    {"Hiroshi", "Tanaka"},
    {"Ingrid", "Svensson"},
    {"Jürgen", "Müller"},
    {"Kwame", "Mensah"},
    {"Léa", "Martin"},
    {"Mateo", "García"},
    {"Nadia", "Haddad"},
    {"Oluwaseun", "Adeyemi"},
    {"Priya", "Patel"},
    {"Raúl", "Fernández"},
    {"Siobhán", "O'Sullivan"},
    {"Tomás", "Álvarez"},
    {"Uma", "Chen"},
    {"Wei", "Nakamura"},
    {"Xavier", "Smith"},
    {"Yara", "Johansson"},
    {"Zainab", "Kowalski"},
    {"Aiko", "Rossi"},
    {"Ben", "Nguyen"},
    {"Carmen", "Schmidt"},
    {"David", "Dvořák"},
    {"Emma", "Şahin"},
    {"Fatima", "Costa"},
    {"Gabriel", "Yılmaz"},
    {"Hannah", "Eriksen"},
    {"Ivan", "van der Berg"},
    {"Julia", "Łukasik"},
    {"Kenji", "Okafor"},
    {"Liam", "Silva"},
    {"María", "Jensen"},
};

constexpr Person kCjkPeople[] = {
    {"太郎", "山田"},
    {"美咲", "佐藤"},
    {"伟", "王"},
    {"민준", "김"},
    {"秀英", "李"},
};

constexpr Place kPlaces[] = {
    {"Congress Ave", "Austin", "TX", "78701", "US", 30.27, -97.74, "1512"},
    {"Broadway", "New York", "NY", "10013", "US", 40.72, -74.0, "1212"},
    {"Market St", "San Francisco", "CA", "94105", "US", 37.79, -122.4, "1415"},
    {"Wacker Dr", "Chicago", "IL", "60606", "US", 41.88, -87.64, "1312"},
    {"Pike St", "Seattle", "WA", "98101", "US", 47.61, -122.34, "1206"},
    {"Boylston St", "Boston", "MA", "02116", "US", 42.35, -71.08, "1617"},
    {"King St W", "Toronto", "ON", "M5V 1J5", "CA", 43.65, -79.39, "1416"},
    {"Shoreditch High St", "London", nullptr, "E1 6PG", "GB", 51.52, -0.08, "4420"},
    {"Torstraße", "Berlin", nullptr, "10119", "DE", 52.53, 13.4, "4930"},
    {"Leopoldstraße", "München", "BY", "80802", "DE", 48.16, 11.59, "4989"},
    {"Rue de Rivoli", "Paris", nullptr, "75004", "FR", 48.86, 2.35, "331"},
    {"Drottninggatan", "Stockholm", nullptr, "111 51", "SE", 59.33, 18.06, "468"},
    {"Strøget", "København", nullptr, "1160", "DK", 55.68, 12.57, "45"},
    {"Bahnhofstrasse", "Zürich", "ZH", "8001", "CH", 47.37, 8.54, "4144"},
    {"Calle de Alcalá", "Madrid", nullptr, "28014", "ES", 40.42, -3.69, "3491"},
    {"Avenida Paulista", "São Paulo", "SP", "01310-100", "BR", -23.56, -46.66, "5511"},
    {"Paseo de la Reforma", "Ciudad de México", "CDMX", "06600", "MX", 19.43, -99.16, "5255"},
    {"Dogenzaka", "Tokyo", nullptr, "150-0043", "JP", 35.66, 139.7, "813"},
    {"Raffles Pl", "Singapore", nullptr, "048616", "SG", 1.28, 103.85, "65"},
    {"George St", "Sydney", "NSW", "2000", "AU", -33.87, 151.21, "612"},
    {"Grafton St", "Dublin", nullptr, "D02", "IE", 53.34, -6.26, "3531"},
    {"Herengracht", "Amsterdam", nullptr, "1015", "NL", 52.37, 4.89, "3120"},
    {"Nowy Świat", "Warszawa", nullptr, "00-029", "PL", 52.23, 21.02, "4822"},
};

constexpr const char *kTitles[] = {
    "CFO",
    "VP Engineering",
    "Head of Procurement",
    "Chief Revenue Officer",
    "IT Director",
    "Operations Manager",
    "Data Lead",
    "Finance Manager",
    "CTO",
    "Director of Sales Operations",
    "Head of Customer Success",
    "General Counsel",
};

struct DealKind
{
    const char *name;
    bool renewal;
};

constexpr DealKind kDealKinds[] = {
    {"Platform license", false},
    {"Renewal FY27", true},
    {"Expansion (EMEA)", false},
    {"Pilot", false},
    {"Enterprise upgrade", false},
    {"Data migration", false},
    {"Analytics add-on", false},
    {"Multi-year renewal", true},
    {"Seat expansion", false},
    {"Security review", false},
    {"Q3 upsell", false},
    {"Onboarding services", false},
    {"API access", false},
    {"Support plan renewal", true},
    {"Renewal FY26", true},
    {"Regional rollout", false},
};

constexpr const char *kEmojiKinds[]
    = {"🚀 Launch pilot", "Global rollout 🌍", "🔥 Urgent renewal", "Platform upgrade ✨"};

constexpr const char *kRisks[]
    = {"budget timing", "a competing internal build", "the security review",
        "procurement lead time", "legal redlines", "a reorg on the buyer's side"};

constexpr const char *kNextSteps[] = {
    "Send the revised proposal",
    "Book the security review",
    "Run the technical deep dive",
    "Confirm budget with finance",
    "Share the mutual action plan",
    "Schedule the exec sponsor call",
    "Collect redlines from legal",
    "Agree on the pilot success criteria",
};

// Weights in percent, in $stage option order.
constexpr int kStageWeights[] = {22, 20, 15, 10, 20, 13};
constexpr const char *kStageIds[] = {"opt_stage_prospecting", "opt_stage_discovery",
    "opt_stage_proposal", "opt_stage_negotiation", "opt_stage_closed_won", "opt_stage_closed_lost"};
constexpr int kStageProbability[] = {10, 20, 40, 60, 100, 0};
constexpr int kClosedWon = 4;
constexpr int kClosedLost = 5;

template<typename T, std::size_t N> constexpr int count(const T (&)[N])
{
    return int(N);
}

QString str(const char *utf8)
{
    return QString::fromUtf8(utf8);
}

/// Lower-case ASCII letters and digits only: "Søren Kierkegaard" → "sorenkierkegaard".
QString asciiFold(const QString &text)
{
    const QString decomposed = text.normalized(QString::NormalizationForm_KD).toLower();
    QString out;
    out.reserve(decomposed.size());
    for (const QChar c : decomposed) {
        if ((c >= QLatin1Char('a') && c <= QLatin1Char('z'))
            || (c >= QLatin1Char('0') && c <= QLatin1Char('9'))) {
            out += c;
            continue;
        }
        switch (c.unicode()) {
        case 0x00F8: // ø
            out += QLatin1Char('o');
            break;
        case 0x00E6: // æ
            out += QLatin1String("ae");
            break;
        case 0x00DF: // ß
            out += QLatin1String("ss");
            break;
        case 0x0142: // ł
            out += QLatin1Char('l');
            break;
        case 0x0153: // œ
            out += QLatin1String("oe");
            break;
        case 0x0131: // ı
            out += QLatin1Char('i');
            break;
        case 0x00FE: // þ
            out += QLatin1String("th");
            break;
        case 0x00F0: // ð
            out += QLatin1Char('d');
            break;
        default:
            break;
        }
    }
    return out;
}

} // namespace

class SandboxSeeder
{
public:
    SandboxSeeder(SandboxStore &store, const SandboxSeedOptions &options)
        : m_store(store)
        , m_options(options)
        , m_random(
              std::array<quint32, 2> {quint32(options.seed), quint32(options.seed >> 32)}.data(), 2)
        // Dates hang off the start of the clock's UTC day, so a seed gives the same data all day.
        , m_anchorMs(store.m_clock->nowMs() / kDayMs * kDayMs)
    {
        for (const QString &type : {QStringLiteral("opportunity"), QStringLiteral("account"),
                 QStringLiteral("contact"), QStringLiteral("member"), QStringLiteral("list")}) {
            const SandboxSchema &schema = store.schema(type);
            Templates &templates = m_templates[type];
            for (const SandboxFieldDef &def : schema.fields) {
                const QJsonObject empty {{QStringLiteral("valueType"), def.valueType},
                    {QStringLiteral("value"), QJsonValue()}};
                templates.fields.insert(def.key, empty);
                templates.nullFields.insert(def.key, empty);
            }
            for (const SandboxRelationshipDef &def : schema.relationships) {
                const QJsonObject empty {{QStringLiteral("cardinality"), def.cardinality},
                    {QStringLiteral("objectType"), def.objectType},
                    {QStringLiteral("values"), QJsonArray()}};
                templates.relationships.insert(def.key, empty);
                templates.emptyRelationships.insert(def.key, empty);
            }
            templates.plural = type == QLatin1String("opportunity")
                ? QStringLiteral("opportunities")
                : type + QLatin1Char('s');
        }
        m_recordTemplate = {{QStringLiteral("id"), QString()},
            {QStringLiteral("createdAt"), QString()}, {QStringLiteral("updatedAt"), QString()},
            {QStringLiteral("httpLink"), QString()}, {QStringLiteral("externalId"), QJsonValue()},
            {QStringLiteral("fields"), QJsonObject()},
            {QStringLiteral("relationships"), QJsonObject()}};
    }

    void run();

private:
    /// Every record is built by copying templates and replacing values: far fewer allocations
    /// than building each small object from scratch, and values that repeat (a stage, an owner,
    /// an account) are shared between records by QJsonObject's reference counting.
    struct Templates
    {
        QHash<QString, QJsonObject> fields; ///< key → {"valueType": T, "value": null}
        QHash<QString, QJsonObject> relationships; ///< key → {cardinality, objectType, []}
        QJsonObject nullFields;
        QJsonObject emptyRelationships;
        QString plural;
    };

    struct Account
    {
        QString id;
        QString name;
        QString shortName;
        QString domain;
        int place = 0;
        int owner = 0;
        QStringList contacts;
        QList<const Person *> contactNames;
        QStringList opportunities;
        bool won = false;
        // Values its opportunities share.
        QJsonObject accountRelationship;
        QHash<int, QJsonObject> dealNames; ///< by deal kind
        QHash<int, QJsonObject> champions; ///< by contact index
        QHash<int, QJsonObject> evaluators; ///< by count
        QJsonObject billingEmails[2];
        QJsonObject deliveryAddress;
    };

    static QJsonObject with(QJsonObject object, const QString &member, const QJsonValue &value)
    {
        object.insert(member, value);
        return object;
    }
    QJsonObject value(const Templates &templates, const QString &key, const QJsonValue &v) const
    {
        return with(templates.fields.value(key), QStringLiteral("value"), v);
    }
    void setField(QJsonObject &fields, const Templates &templates, const QString &key,
        const QJsonValue &v) const
    {
        fields.insert(key, value(templates, key, v));
    }
    static QJsonObject related(
        const Templates &templates, const QString &key, const QStringList &ids)
    {
        return with(templates.relationships.value(key), QStringLiteral("values"),
            QJsonArray::fromStringList(ids));
    }
    QJsonObject record(const Templates &templates, const QString &id, qint64 createdMs,
        qint64 updatedMs, const QJsonObject &fields, const QJsonObject &relationships) const
    {
        QJsonObject out = m_recordTemplate;
        out.insert(QStringLiteral("id"), id);
        out.insert(QStringLiteral("createdAt"), SandboxStore::isoFromMs(createdMs));
        out.insert(QStringLiteral("updatedAt"), SandboxStore::isoFromMs(updatedMs));
        out.insert(QStringLiteral("httpLink"),
            QStringLiteral("https://crm.lightfield.app/crm/") + templates.plural + QLatin1Char('/')
                + id);
        out.insert(QStringLiteral("fields"), fields);
        out.insert(QStringLiteral("relationships"), relationships);
        return out;
    }

    bool chance(int percent) { return int(m_random.bounded(100)) < percent; }
    int pick(int n) { return int(m_random.bounded(n)); }
    qint64 between(qint64 low, qint64 high)
    {
        return low + qint64(m_random.bounded(double(high - low)));
    }

    /// createdAt within the last ~13 months, updatedAt after it and at least an hour before the
    /// anchor, so that no index lag hides seeded records.
    std::pair<qint64, qint64> timestamps()
    {
        const qint64 latest = m_anchorMs - kHourMs;
        const qint64 created = latest - between(kDayMs, 400 * kDayMs);
        return {created, between(created, latest)};
    }

    static QJsonObject fullName(const Person &person)
    {
        return {{QStringLiteral("firstName"), str(person.first)},
            {QStringLiteral("lastName"), str(person.last)}};
    }
    const Person *randomPerson()
    {
        if (chance(6))
            return &kCjkPeople[pick(count(kCjkPeople))];
        return &kPeople[pick(count(kPeople))];
    }
    /// E.164, 11 digits: US numbers use the 555 exchange.
    QString phone(const Place &place)
    {
        QString number = QLatin1Char('+') + str(place.phonePrefix);
        if (number.startsWith(QLatin1String("+1")))
            number += QLatin1String("555");
        while (number.size() < 12)
            number += QLatin1Char(char('0' + pick(10)));
        if (chance(15))
            number += QStringLiteral(";ext=") + QString::number(10 + pick(490));
        return number;
    }
    QJsonObject address(const Place &place)
    {
        return {{QStringLiteral("street"),
                    QString::number(1 + pick(400)) + QLatin1Char(' ') + str(place.street)},
            {QStringLiteral("street2"),
                chance(20) ? QJsonValue(QStringLiteral("Floor %1").arg(2 + pick(30)))
                           : QJsonValue()},
            {QStringLiteral("city"), str(place.city)},
            {QStringLiteral("state"), place.state ? QJsonValue(str(place.state)) : QJsonValue()},
            {QStringLiteral("postalCode"), str(place.postalCode)},
            {QStringLiteral("country"), str(place.country)},
            {QStringLiteral("latitude"), place.latitude},
            {QStringLiteral("longitude"), place.longitude}};
    }
    /// The same value object for every record holding the same value; make() runs once per key.
    template<typename Key, typename Make>
    QJsonObject shared(QHash<Key, QJsonObject> &cache, const Key &cacheKey,
        const Templates &templates, const QString &field, Make make)
    {
        auto it = cache.find(cacheKey);
        if (it == cache.end())
            it = cache.insert(cacheKey, value(templates, field, make()));
        return *it;
    }

    QString uniqueCompanyName();
    void seedMembers();
    void planAccounts();
    void seedOpportunities();
    void seedAccountsAndContacts();
    void seedLists();

    SandboxStore &m_store;
    SandboxSeedOptions m_options;
    QRandomGenerator m_random;
    qint64 m_anchorMs;
    QHash<QString, Templates> m_templates;
    QJsonObject m_recordTemplate;
    QSet<QString> m_usedNames;

    QStringList m_memberIds;
    QList<QJsonObject> m_memberRelationships;
    QList<Account> m_accounts;
    QStringList m_q4Focus;
    QStringList m_strategic;
    QStringList m_renewals;
};

QString SandboxSeeder::uniqueCompanyName()
{
    if (chance(4)) {
        const QString special = str(kSpecialCompanies[pick(count(kSpecialCompanies))]);
        if (!m_usedNames.contains(special)) {
            m_usedNames.insert(special);
            return special;
        }
    }
    const QString first = str(kCompanyFirst[pick(count(kCompanyFirst))]);
    const QString base
        = first + QLatin1Char(' ') + str(kCompanySecond[pick(count(kCompanySecond))]);
    QString name = base;
    if (chance(40) || m_usedNames.contains(name))
        name = base + QLatin1Char(' ') + str(kLegalForms[pick(count(kLegalForms))]);
    for (int n = 2; m_usedNames.contains(name); ++n)
        name = base + QLatin1Char(' ') + QString::number(n);
    m_usedNames.insert(name);
    return name;
}

void SandboxSeeder::seedMembers()
{
    const Templates &templates = m_templates[QStringLiteral("member")];
    const Templates &opportunity = m_templates[QStringLiteral("opportunity")];
    for (const MemberSpec &spec : kMembers) {
        const QString id = m_store.newId(QStringLiteral("member"));
        QJsonObject fields = templates.nullFields;
        setField(fields, templates, QStringLiteral("$email"), str(spec.email));
        setField(fields, templates, QStringLiteral("$name"), fullName(spec.name));
        setField(fields, templates, QStringLiteral("$profileImage"),
            spec.hasImage ? QJsonValue(
                QStringLiteral("https://avatars.lightfield.example/") + id + QStringLiteral(".png"))
                          : QJsonValue());
        setField(fields, templates, QStringLiteral("$role"), str(spec.role));
        const qint64 created = m_anchorMs - (500 + pick(200)) * kDayMs;
        QJsonObject member
            = record(templates, id, created, created + pick(100) * kDayMs, fields, QJsonObject());
        member.remove(QStringLiteral("externalId"));
        m_store.insertRecord(QStringLiteral("member"), member);
        m_memberIds.append(id);
        m_memberRelationships.append(related(opportunity, QStringLiteral("$owner"), {id}));
    }
}

void SandboxSeeder::planAccounts()
{
    const Templates &opportunity = m_templates[QStringLiteral("opportunity")];
    const int accountCount = std::max(20, m_options.opportunities / 5);
    m_accounts.reserve(accountCount);
    for (int i = 0; i < accountCount; ++i) {
        Account account;
        account.id = m_store.newId(QStringLiteral("account"));
        account.name = uniqueCompanyName();
        QString shortName = account.name;
        for (const char *form : kLegalForms) {
            const QString suffix = QLatin1Char(' ') + str(form);
            if (shortName.endsWith(suffix))
                shortName.chop(suffix.size());
        }
        account.shortName = shortName;
        QString folded = asciiFold(account.name);
        if (folded.size() < 3)
            folded = QStringLiteral("account") + QString::number(i + 1);
        account.domain = folded + QStringLiteral(".example");
        account.place = pick(count(kPlaces));
        account.owner = pick(kMemberCount);
        const int contactCount = 2 + pick(2);
        for (int c = 0; c < contactCount; ++c) {
            account.contacts.append(m_store.newId(QStringLiteral("contact")));
            account.contactNames.append(randomPerson());
        }
        account.accountRelationship
            = related(opportunity, QStringLiteral("$account"), {account.id});
        m_accounts.append(account);
    }
}

void SandboxSeeder::seedOpportunities()
{
    const QString type = QStringLiteral("opportunity");
    const Templates &templates = m_templates[type];

    QList<QJsonObject> stageValues;
    for (const char *stage : kStageIds)
        stageValues.append(value(templates, QStringLiteral("$stage"), str(stage)));
    const QString statusKey = QStringLiteral("$opportunityStatus");
    const QJsonObject statusOpen = value(templates, statusKey, QStringLiteral("opt_status_open"));
    const QJsonObject statusWon = value(templates, statusKey, QStringLiteral("opt_status_won"));
    const QJsonObject statusLost = value(templates, statusKey, QStringLiteral("opt_status_lost"));
    const QJsonObject strategicTrue = value(templates, QStringLiteral("isStrategic"), true);
    const QJsonObject strategicFalse = value(templates, QStringLiteral("isStrategic"), false);
    QList<QJsonObject> forecastValues;
    for (const char *id : {"opt_forecast_pipeline", "opt_forecast_best_case", "opt_forecast_commit",
             "opt_forecast_omitted"})
        forecastValues.append(value(templates, QStringLiteral("forecastCategory"), str(id)));
    const QStringList competitors {QStringLiteral("opt_competitors_salesforce"),
        QStringLiteral("opt_competitors_hubspot"), QStringLiteral("opt_competitors_pipedrive"),
        QStringLiteral("opt_competitors_attio"), QStringLiteral("opt_competitors_in_house")};
    QHash<int, QJsonObject> probabilities;
    QHash<qint64, QJsonObject> closeDays;
    QHash<int, QJsonObject> competitorSets;
    QHash<int, QJsonObject> nextStepPairs;
    QHash<const Person *, QJsonObject> buyers;

    const double logLow = std::log(1000.0);
    const double logHigh = std::log(2'000'000.0);
    for (int i = 0; i < m_options.opportunities; ++i) {
        Account &account = m_accounts[pick(int(m_accounts.size()))];
        const Place &place = kPlaces[account.place];
        const QString id = m_store.newId(type);
        account.opportunities.append(id);

        int stage = 0;
        for (int roll = pick(100); roll >= kStageWeights[stage]; ++stage)
            roll -= kStageWeights[stage];
        const bool closed = stage >= kClosedWon;
        account.won = account.won || stage == kClosedWon;

        const bool emoji = chance(3);
        const int kindIndex = emoji ? pick(count(kEmojiKinds)) : pick(count(kDealKinds));
        const QString kindName
            = emoji ? str(kEmojiKinds[kindIndex]) : str(kDealKinds[kindIndex].name);

        QJsonObject fields = templates.nullFields;
        fields.insert(QStringLiteral("$name"),
            shared(account.dealNames, emoji ? 100 + kindIndex : kindIndex, templates,
                QStringLiteral("$name"),
                [&] { return account.shortName + QStringLiteral(" – ") + kindName; }));
        fields.insert(QStringLiteral("$stage"), stageValues.at(stage));
        fields.insert(statusKey,
            stage == kClosedWon        ? statusWon
                : stage == kClosedLost ? statusLost
                                       : statusOpen);

        if (stage != 0 || chance(85)) {
            double amount = std::exp(logLow + m_random.generateDouble() * (logHigh - logLow));
            const int rounding = pick(100);
            if (rounding < 15) {
                amount = std::round(amount * 100) / 100;
            } else if (rounding < 40) {
                amount = std::round(amount);
            } else {
                const double step = amount >= 10'000 ? 1000 : 100;
                amount = std::round(amount / step) * step;
            }
            amount = std::clamp(amount, 1000.0, 2'000'000.0);
            setField(fields, templates, QStringLiteral("$amount"), amount);
            if (chance(30))
                setField(
                    fields, templates, QStringLiteral("arrEur"), std::round(amount * 92) / 100);
        }

        const qint64 closeMs = closed ? m_anchorMs - between(0, 270 * kDayMs)
                                      : m_anchorMs + between(-30 * kDayMs, 270 * kDayMs);
        if (stage != 0 || chance(70)) {
            const qint64 closeDay = closeMs / kDayMs * kDayMs;
            fields.insert(QStringLiteral("closeDate"),
                shared(closeDays, closeDay, templates, QStringLiteral("closeDate"),
                    [closeDay] { return SandboxStore::isoFromMs(closeDay); }));
        }

        const auto [created, updated] = timestamps();
        if (chance(75)) {
            const qint64 interaction
                = std::max(created, m_anchorMs - between(kHourMs, 90 * kDayMs));
            setField(fields, templates, QStringLiteral("$lastInteractionAt"),
                SandboxStore::isoFromMs(interaction / 60'000 * 60'000));
        }

        const int contactCount = int(account.contacts.size());
        const int championIndex = chance(60) ? pick(contactCount) : -1;
        if (chance(40)) {
            QString summary = QStringLiteral("**%1** is evaluating us for %2.")
                                  .arg(account.name, kindName.toLower());
            if (championIndex >= 0) {
                summary += QStringLiteral(" %1 is the champion.")
                               .arg(str(account.contactNames.at(championIndex)->first));
            }
            // One draw per statement: argument evaluation order is unspecified.
            const QString risk = str(kRisks[pick(count(kRisks))]);
            const QString next = str(kNextSteps[pick(count(kNextSteps))]).toLower();
            summary += QStringLiteral(" The main risk is %1.\n\n- Last touch: %2\n- Next: %3")
                           .arg(risk,
                               closed ? QStringLiteral("signature call")
                                      : QStringLiteral("discovery follow-up"),
                               next);
            setField(fields, templates, QStringLiteral("$summary"), summary);
        }
        if (!closed && chance(60)) {
            const int first = pick(count(kNextSteps));
            const int second = pick(count(kNextSteps));
            fields.insert(QStringLiteral("nextSteps"),
                shared(nextStepPairs, first * 100 + second, templates, QStringLiteral("nextSteps"),
                    [first, second] {
                        return QStringLiteral("- [ ] %1\n- [ ] %2")
                            .arg(str(kNextSteps[first]), str(kNextSteps[second]));
                    }));
        }
        if (closed || chance(90)) {
            const int probability = closed
                ? kStageProbability[stage]
                : std::clamp(kStageProbability[stage] + pick(11) - 5, 0, 100);
            fields.insert(QStringLiteral("probability"),
                shared(probabilities, probability, templates, QStringLiteral("probability"),
                    [probability] { return probability; }));
        }
        bool strategic = false;
        if (chance(80)) {
            strategic = chance(18);
            fields.insert(
                QStringLiteral("isStrategic"), strategic ? strategicTrue : strategicFalse);
        }
        if (chance(60)) {
            const int first = pick(int(competitors.size()));
            const int second = chance(35) ? (first + 1 + pick(3)) % int(competitors.size()) : -1;
            fields.insert(QStringLiteral("competitors"),
                shared(competitorSets, first * 10 + second, templates,
                    QStringLiteral("competitors"), [&] {
                        QJsonArray chosen {competitors.at(first)};
                        if (second >= 0)
                            chosen.append(competitors.at(second));
                        return chosen;
                    }));
        }
        if (chance(90)) {
            int category = 0;
            if (stage == kClosedLost)
                category = 3;
            else if (stage == kClosedWon)
                category = 2;
            else if (stage == 3)
                category = chance(60) ? 2 : 1;
            else if (stage == 2)
                category = chance(50) ? 1 : 0;
            fields.insert(QStringLiteral("forecastCategory"), forecastValues.at(category));
        }
        if (chance(60)) {
            const int variant = chance(25) ? 1 : 0;
            QJsonObject &emails = account.billingEmails[variant];
            if (emails.isEmpty()) {
                QJsonArray list {QStringLiteral("billing@") + account.domain};
                if (variant == 1)
                    list.append(QStringLiteral("ap@") + account.domain);
                emails = value(templates, QStringLiteral("billingEmail"), list);
            }
            fields.insert(QStringLiteral("billingEmail"), emails);
        }
        if (chance(30)) {
            setField(fields, templates, QStringLiteral("dealRoom"),
                QStringLiteral("https://rooms.lightfield.example/r/") + id.mid(4, 8));
        }
        if (chance(50)) {
            QJsonArray phones {phone(place)};
            if (chance(20))
                phones.append(phone(place));
            setField(fields, templates, QStringLiteral("buyerPhones"), phones);
        }
        if (chance(30)) {
            if (account.deliveryAddress.isEmpty()) {
                account.deliveryAddress
                    = value(templates, QStringLiteral("deliveryAddress"), address(place));
            }
            fields.insert(QStringLiteral("deliveryAddress"), account.deliveryAddress);
        }
        const Person *buyer
            = chance(70) ? account.contactNames.at(pick(contactCount)) : randomPerson();
        if (chance(50)) {
            fields.insert(QStringLiteral("economicBuyer"),
                shared(buyers, buyer, templates, QStringLiteral("economicBuyer"),
                    [buyer] { return fullName(*buyer); }));
        }
        if (chance(40)) {
            QString handle
                = asciiFold(str(buyer->first)) + QLatin1Char('-') + asciiFold(str(buyer->last));
            if (handle.size() < 4)
                handle = QStringLiteral("buyer");
            setField(fields, templates, QStringLiteral("buyerLinkedIn"),
                QStringLiteral("https://linkedin.com/in/") + handle + QLatin1Char('-')
                    + id.mid(4, 4).toLower());
        }

        QJsonObject relationships = templates.emptyRelationships;
        relationships.insert(QStringLiteral("$account"), account.accountRelationship);
        if (chance(95))
            relationships.insert(QStringLiteral("$owner"), m_memberRelationships.at(account.owner));
        // $createdBy has the same shape as $owner, so the member's object serves both.
        relationships.insert(QStringLiteral("$createdBy"),
            m_memberRelationships.at(chance(70) ? account.owner : pick(kMemberCount)));
        if (championIndex >= 0) {
            auto it = account.champions.find(championIndex);
            if (it == account.champions.end()) {
                it = account.champions.insert(championIndex,
                    related(templates, QStringLiteral("$champion"),
                        {account.contacts.at(championIndex)}));
            }
            relationships.insert(QStringLiteral("$champion"), *it);
        }
        const int evaluators = pick(3);
        if (evaluators > 0) {
            auto it = account.evaluators.find(evaluators);
            if (it == account.evaluators.end()) {
                it = account.evaluators.insert(evaluators,
                    related(templates, QStringLiteral("$evaluator"),
                        account.contacts.mid(0, evaluators)));
            }
            relationships.insert(QStringLiteral("$evaluator"), *it);
        }

        m_store.insertRecord(type, record(templates, id, created, updated, fields, relationships));

        if (!closed && closeMs - m_anchorMs < 90 * kDayMs && m_q4Focus.size() < 40)
            m_q4Focus.append(id);
        if (strategic && m_strategic.size() < 60)
            m_strategic.append(id);
        if (!emoji && kDealKinds[kindIndex].renewal && m_renewals.size() < 50)
            m_renewals.append(id);
    }
}

void SandboxSeeder::seedAccountsAndContacts()
{
    const QString accountType = QStringLiteral("account");
    const QString contactType = QStringLiteral("contact");
    const Templates &accountTemplates = m_templates[accountType];
    const Templates &contactTemplates = m_templates[contactType];
    const QStringList industries {QStringLiteral("opt_industry_software"),
        QStringLiteral("opt_industry_financial_services"),
        QStringLiteral("opt_industry_healthcare"), QStringLiteral("opt_industry_manufacturing"),
        QStringLiteral("opt_industry_retail"), QStringLiteral("opt_industry_logistics"),
        QStringLiteral("opt_industry_energy"), QStringLiteral("opt_industry_media"),
        QStringLiteral("opt_industry_public_sector")};
    const QStringList headcounts {QStringLiteral("opt_headcount_1_10"),
        QStringLiteral("opt_headcount_11_50"), QStringLiteral("opt_headcount_51_200"),
        QStringLiteral("opt_headcount_201_1000"), QStringLiteral("opt_headcount_1001_5000"),
        QStringLiteral("opt_headcount_5000")};
    QList<QJsonObject> accountOwners;
    QList<QJsonObject> contactOwners;
    for (const QString &member : std::as_const(m_memberIds)) {
        accountOwners.append(related(accountTemplates, QStringLiteral("$owner"), {member}));
        contactOwners.append(related(contactTemplates, QStringLiteral("$owner"), {member}));
    }
    QHash<int, QJsonObject> headcountValues;
    QHash<int, QJsonObject> titles;
    QHash<const Person *, QJsonObject> contactNames;
    QHash<const Person *, QString> foldedNames;
    for (qsizetype i = 0; i < m_accounts.size(); ++i) {
        const Account &account = m_accounts.at(i);
        const Place &place = kPlaces[account.place];
        const QString slug = account.domain.chopped(8);
        const auto [created, updated] = timestamps();

        QJsonObject fields = accountTemplates.nullFields;
        setField(fields, accountTemplates, QStringLiteral("$name"), account.name);
        if (chance(85)) {
            setField(fields, accountTemplates, QStringLiteral("$website"),
                QJsonArray {QStringLiteral("https://www.") + account.domain});
        }
        if (chance(80)) {
            QJsonArray chosen {industries.at(pick(int(industries.size())))};
            if (chance(25)) {
                const QString second = industries.at(pick(int(industries.size())));
                if (!chosen.contains(second))
                    chosen.append(second);
            }
            setField(fields, accountTemplates, QStringLiteral("$industry"), chosen);
        }
        if (chance(85)) {
            const int headcount = pick(int(headcounts.size()));
            fields.insert(QStringLiteral("$headcount"),
                shared(headcountValues, headcount, accountTemplates, QStringLiteral("$headcount"),
                    [&] { return headcounts.at(headcount); }));
        }
        if (chance(75)) {
            // Same shape as the deals' delivery address, so that object serves both.
            fields.insert(QStringLiteral("$primaryAddress"),
                account.deliveryAddress.isEmpty()
                    ? value(accountTemplates, QStringLiteral("$primaryAddress"), address(place))
                    : account.deliveryAddress);
        }
        if (chance(80)) {
            setField(fields, accountTemplates, QStringLiteral("$linkedIn"),
                QStringLiteral("https://linkedin.com/company/") + slug);
        }
        if (chance(40)) {
            setField(fields, accountTemplates, QStringLiteral("twitter"),
                QStringLiteral("https://x.com/") + slug.left(15));
        }
        if (chance(50)) {
            setField(fields, accountTemplates, QStringLiteral("$howTheyMakeMoney"),
                QStringLiteral("%1 sells subscriptions to mid-market customers in %2.\n\n"
                               "- Revenue: recurring licences plus services\n"
                               "- Buyers: operations and finance teams")
                    .arg(account.name, str(place.city)));
        }
        QString status = QStringLiteral("opt_accountstatus_prospect");
        if (account.won)
            status = QStringLiteral("opt_accountstatus_customer");
        else if (chance(8))
            status = QStringLiteral("opt_accountstatus_churned");
        setField(fields, accountTemplates, QStringLiteral("$accountStatus"), status);

        QJsonObject relationships = accountTemplates.emptyRelationships;
        relationships.insert(QStringLiteral("$owner"), accountOwners.at(account.owner));
        relationships.insert(QStringLiteral("$contact"),
            related(accountTemplates, QStringLiteral("$contact"), account.contacts));
        relationships.insert(QStringLiteral("$opportunity"),
            related(accountTemplates, QStringLiteral("$opportunity"), account.opportunities));
        m_store.insertRecord(accountType,
            record(accountTemplates, account.id, created, updated, fields, relationships));

        const QJsonObject accountRelationship
            = related(contactTemplates, QStringLiteral("$account"), {account.id});
        for (qsizetype c = 0; c < account.contacts.size(); ++c) {
            const Person &person = *account.contactNames.at(c);
            const auto [contactCreated, contactUpdated] = timestamps();
            QJsonObject contactFields = contactTemplates.nullFields;
            contactFields.insert(QStringLiteral("$name"),
                shared(contactNames, &person, contactTemplates, QStringLiteral("$name"),
                    [&person] { return fullName(person); }));
            auto folded = foldedNames.find(&person);
            if (folded == foldedNames.end()) {
                folded = foldedNames.insert(&person,
                    asciiFold(str(person.first)) + QLatin1Char('.') + asciiFold(str(person.last)));
            }
            QString local = *folded;
            if (local.size() < 4)
                local = QStringLiteral("contact") + QString::number(c + 1);
            if (chance(90)) {
                setField(contactFields, contactTemplates, QStringLiteral("$email"),
                    QJsonArray {local + QLatin1Char('@') + account.domain});
            }
            if (chance(60)) {
                setField(contactFields, contactTemplates, QStringLiteral("$phone"),
                    QJsonArray {phone(place)});
            }
            if (chance(85)) {
                const int title = pick(count(kTitles));
                contactFields.insert(QStringLiteral("$title"),
                    shared(titles, title, contactTemplates, QStringLiteral("$title"),
                        [title] { return str(kTitles[title]); }));
            }
            if (chance(50)) {
                setField(contactFields, contactTemplates, QStringLiteral("$linkedIn"),
                    QStringLiteral("https://linkedin.com/in/")
                        + QString(local).replace(QLatin1Char('.'), QLatin1Char('-')));
            }
            QJsonObject contactRelationships = contactTemplates.emptyRelationships;
            contactRelationships.insert(QStringLiteral("$account"), accountRelationship);
            contactRelationships.insert(QStringLiteral("$owner"), contactOwners.at(account.owner));
            m_store.insertRecord(contactType,
                record(contactTemplates, account.contacts.at(c), contactCreated, contactUpdated,
                    contactFields, contactRelationships));
        }
    }
}

void SandboxSeeder::seedLists()
{
    const QString type = QStringLiteral("list");
    const Templates &templates = m_templates[type];
    const auto addList = [&](const QString &name, const QString &objectType,
                             const QStringList &members, int ageDays) {
        QJsonObject fields = templates.nullFields;
        setField(fields, templates, QStringLiteral("$name"), name);
        setField(fields, templates, QStringLiteral("$objectType"), objectType);
        const QString plural = m_templates[objectType].plural;
        const QString id = m_store.newId(type);
        m_store.insertRecord(type,
            {{QStringLiteral("id"), id},
                {QStringLiteral("createdAt"),
                    SandboxStore::isoFromMs(m_anchorMs - ageDays * kDayMs + 9 * kHourMs)},
                {QStringLiteral("httpLink"),
                    QStringLiteral("https://crm.lightfield.app/crm/lists/") + id},
                {QStringLiteral("fields"), fields},
                // Membership, which the store keeps beside the list's read shape.
                {QStringLiteral("relationships"),
                    QJsonObject {{QLatin1Char('$') + plural,
                        QJsonObject {{QStringLiteral("cardinality"), QStringLiteral("HAS_MANY")},
                            {QStringLiteral("objectType"), objectType},
                            {QStringLiteral("values"), QJsonArray::fromStringList(members)}}}}}});
    };
    addList(QStringLiteral("Q4 focus"), QStringLiteral("opportunity"), m_q4Focus, 40);
    addList(QStringLiteral("Strategic accounts"), QStringLiteral("opportunity"), m_strategic, 120);
    addList(QStringLiteral("Renewals"), QStringLiteral("opportunity"), m_renewals, 75);
    QStringList targets;
    for (const Account &account : std::as_const(m_accounts)) {
        if (!account.won && targets.size() < 15)
            targets.append(account.id);
    }
    addList(QStringLiteral("Target accounts"), QStringLiteral("account"), targets, 200);
}

void SandboxSeeder::run()
{
    seedMembers();
    planAccounts();
    seedOpportunities();
    seedAccountsAndContacts();
    seedLists();
}

void seedSandbox(SandboxStore &store, const SandboxSeedOptions &options)
{
    SandboxSeeder(store, options).run();
    store.assignSeedPipelines();
}
