#include "sandboxserver.h"

#include "sandboxschema.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLocale>
#include <QSaveFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

#include <cmath>
#include <limits>

// ---------------------------------------------------------------------------------------------
// Internal types
// ---------------------------------------------------------------------------------------------

struct SandboxServer::Response
{
    enum class Mode
    {
        Normal,
        Hang, ///< never answer
        Drop, ///< close the connection without a response
        Truncate, ///< announce the full length, send half, close
    };

    int status = 200;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    Mode mode = Mode::Normal;
    /// Set on a write with an Idempotency-Key: the entry stays "in flight" until sent.
    QString idempotencyScope;

    static Response json(int status, const QJsonObject &object)
    {
        Response response;
        response.status = status;
        response.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
        return response;
    }
    static Response error(const ApiError &error) { return json(error.status, error.toJson()); }
};

struct SandboxServer::IdempotencyEntry
{
    bool inFlight = true;
    qint64 createdAtMs = 0;
    QByteArray requestHash;
    int status = 0;
    QByteArray body;
};

/// A token bucket of `limit` tokens refilled at `limit` tokens per second.
class SandboxServer::TokenBucket
{
public:
    TokenBucket(int limit, qint64 nowMs)
        : m_limit(limit)
        , m_tokens(limit)
        , m_lastMs(nowMs)
    {
    }

    int limit() const { return m_limit; }

    bool take(qint64 nowMs)
    {
        refill(nowMs);
        if (m_tokens < 1.0)
            return false;
        m_tokens -= 1.0;
        return true;
    }

    int remaining(qint64 nowMs)
    {
        refill(nowMs);
        return int(std::floor(m_tokens));
    }

    /// Unix seconds at which the bucket is full again.
    qint64 resetEpochSeconds(qint64 nowMs)
    {
        refill(nowMs);
        const double msToFull = (m_limit - m_tokens) * 1000.0 / m_limit;
        return qint64(std::ceil((double(nowMs) + msToFull) / 1000.0));
    }

    /// Whole seconds until one token is available, at least 1.
    int retryAfterSeconds(qint64 nowMs)
    {
        refill(nowMs);
        const double seconds = (1.0 - m_tokens) / m_limit;
        return qMax(1, int(std::ceil(seconds)));
    }

private:
    void refill(qint64 nowMs)
    {
        if (nowMs > m_lastMs) {
            m_tokens = qMin(double(m_limit), m_tokens + (nowMs - m_lastMs) * m_limit / 1000.0);
            m_lastMs = nowMs;
        }
    }

    int m_limit;
    double m_tokens;
    qint64 m_lastMs;
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

namespace {

constexpr qsizetype kMaxIdempotencyKeyLength = 255;
constexpr int kWriteLogSize = 1000;

enum class Category
{
    Read,
    Write,
    Search,
};

QString categoryName(Category category)
{
    switch (category) {
    case Category::Read:
        return QStringLiteral("read");
    case Category::Write:
        return QStringLiteral("write");
    case Category::Search:
        return QStringLiteral("search");
    }
    return {};
}

enum class Action
{
    Validate,
    List,
    Create,
    Definitions,
    Retrieve,
    Update,
    ListOpportunities,
};

/// What a /v1 path and method resolve to.
struct Route
{
    bool found = false;
    Action action = Action::List;
    QString objectType; ///< "opportunity", ... (empty for auth)
    QString plural; ///< "opportunities", ...
    QString id;
    QString templ; ///< "GET /v1/opportunities/{id}", for the counters
    Category category = Category::Read;
    QStringList scopes; ///< every one of these is needed
};

QString singularOf(const QString &plural)
{
    static const QHash<QString, QString> map {
        {QStringLiteral("opportunities"), QStringLiteral("opportunity")},
        {QStringLiteral("accounts"), QStringLiteral("account")},
        {QStringLiteral("contacts"), QStringLiteral("contact")},
        {QStringLiteral("members"), QStringLiteral("member")},
        {QStringLiteral("lists"), QStringLiteral("list")},
    };
    return map.value(plural);
}

bool isWritable(const QString &objectType)
{
    return objectType == QLatin1String("opportunity") || objectType == QLatin1String("account")
        || objectType == QLatin1String("contact");
}

Route resolveRoute(
    QHttpServerRequest::Method method, const QString &path, SandboxConfig::AuthValidate validate)
{
    Route route;
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.size() < 2 || parts.at(0) != QLatin1String("v1"))
        return route;
    const bool get = method == QHttpServerRequest::Method::Get;
    const bool post = method == QHttpServerRequest::Method::Post;

    if (parts.size() == 3 && parts.at(1) == QLatin1String("auth")
        && parts.at(2) == QLatin1String("validate") && get) {
        if (validate == SandboxConfig::AuthValidate::Absent)
            return route; // not found, exactly as an unknown route
        route = {true, Action::Validate, {}, {}, {}, QStringLiteral("GET /v1/auth/validate"),
            Category::Read, {}};
        return route;
    }

    const QString plural = parts.at(1);
    const QString type = singularOf(plural);
    if (type.isEmpty())
        return route;
    route.objectType = type;
    route.plural = plural;
    const QString base = QStringLiteral("/v1/") + plural;
    const QString read = plural + QStringLiteral(":read");

    if (parts.size() == 2) {
        if (get) {
            route.found = true;
            route.action = Action::List;
            route.templ = QStringLiteral("GET ") + base;
            route.category = Category::Search;
            route.scopes = {read};
        } else if (post && isWritable(type)) {
            route.found = true;
            route.action = Action::Create;
            route.templ = QStringLiteral("POST ") + base;
            route.category = Category::Write;
            route.scopes = {plural + QStringLiteral(":create")};
        }
        return route;
    }
    if (parts.size() == 3) {
        route.id = parts.at(2);
        if (get && route.id == QLatin1String("definitions")) {
            if (type == QLatin1String("opportunity") || type == QLatin1String("account")
                || type == QLatin1String("contact")) {
                route.found = true;
                route.action = Action::Definitions;
                route.templ = QStringLiteral("GET ") + base + QStringLiteral("/definitions");
                route.category = Category::Read;
                route.scopes = {read};
            }
            return route;
        }
        if (get) {
            route.found = true;
            route.action = Action::Retrieve;
            route.templ = QStringLiteral("GET ") + base + QStringLiteral("/{id}");
            route.category = Category::Read;
            route.scopes = {read};
        } else if (post && isWritable(type)) {
            route.found = true;
            route.action = Action::Update;
            route.templ = QStringLiteral("POST ") + base + QStringLiteral("/{id}");
            route.category = Category::Write;
            route.scopes = {plural + QStringLiteral(":update")};
        }
        return route;
    }
    if (parts.size() == 4 && type == QLatin1String("list")
        && parts.at(3) == QLatin1String("opportunities") && get) {
        route.found = true;
        route.action = Action::ListOpportunities;
        route.id = parts.at(2);
        route.templ = QStringLiteral("GET /v1/lists/{id}/opportunities");
        route.category = Category::Search;
        route.scopes = {QStringLiteral("lists:read"), QStringLiteral("opportunities:read")};
    }
    return route;
}

QByteArray headerValue(const QHttpServerRequest &request, QByteArrayView name)
{
    const auto headers = request.headers();
    for (const auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return header.second;
    }
    return {};
}

bool hasHeader(const QHttpServerRequest &request, QByteArrayView name)
{
    const auto headers = request.headers();
    return std::any_of(headers.cbegin(), headers.cend(), [name](const auto &header) {
        return header.first.compare(name, Qt::CaseInsensitive) == 0;
    });
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

ApiError simpleError(int status, const char *type, const QString &message, const QString &code = {},
    const QString &param = {})
{
    return {status, QString::fromLatin1(type), message, code, param, {}};
}

/// A 429 or a 409 idempotency conflict in the envelope SandboxConfig::errorEnvelope asks for.
QJsonObject envelopeOf(const ApiError &error, SandboxConfig::ErrorEnvelope envelope)
{
    if (envelope == SandboxConfig::ErrorEnvelope::Wrapped)
        return error.toJson();
    // The rate-limit and idempotency pages show the body unwrapped, the conflict by its own
    // type.
    const QString type
        = error.code == QLatin1String("idempotency_conflict") ? error.code : error.type;
    return QJsonObject {{QStringLiteral("type"), type}, {QStringLiteral("message"), error.message}};
}

QString methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return QStringLiteral("GET");
    case QHttpServerRequest::Method::Post:
        return QStringLiteral("POST");
    case QHttpServerRequest::Method::Put:
        return QStringLiteral("PUT");
    case QHttpServerRequest::Method::Delete:
        return QStringLiteral("DELETE");
    case QHttpServerRequest::Method::Patch:
        return QStringLiteral("PATCH");
    case QHttpServerRequest::Method::Head:
        return QStringLiteral("HEAD");
    case QHttpServerRequest::Method::Options:
        return QStringLiteral("OPTIONS");
    default:
        return QStringLiteral("OTHER");
    }
}

/// Parses a JSON object body; on failure returns the documented 400.
std::variant<QJsonObject, ApiError> parseObjectBody(const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return ApiError::badRequest(QStringLiteral("invalid_json"),
            QStringLiteral("The request body is not valid JSON: %1 at "
                           "offset %2.")
                .arg(parseError.errorString())
                .arg(parseError.offset));
    if (!document.isObject())
        return ApiError::badRequest(QStringLiteral("invalid_type"),
            QStringLiteral("The request body must be a JSON object."));
    return document.object();
}

/// Puts a field of an unknown value type into the first record of a response body.
QByteArray injectUnknownValueType(const QByteArray &body)
{
    QJsonObject object = QJsonDocument::fromJson(body).object();
    const QJsonObject strange {{QStringLiteral("valueType"), QStringLiteral("HOLOGRAM")},
        {QStringLiteral("value"),
            QJsonObject {
                {QStringLiteral("beam"), 42}, {QStringLiteral("colour"), QStringLiteral("teal")}}}};
    auto inject = [&strange](QJsonObject record) {
        QJsonObject fields = record.value(QStringLiteral("fields")).toObject();
        fields.insert(QStringLiteral("hologram"), strange);
        record.insert(QStringLiteral("fields"), fields);
        return record;
    };
    if (object.value(QStringLiteral("object")) == QLatin1String("list")) {
        QJsonArray data = object.value(QStringLiteral("data")).toArray();
        if (!data.isEmpty()) {
            data.replace(0, inject(data.at(0).toObject()));
            object.insert(QStringLiteral("data"), data);
        }
    } else if (object.contains(QStringLiteral("fields"))) {
        object = inject(object);
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

/// The page faults: undecodable and id-less rows in place, and pages that are never short.
QJsonObject applyPageFaults(QJsonObject page, const QUrlQuery &query, const SandboxFaults &faults)
{
    QJsonArray data = page.value(QStringLiteral("data")).toArray();
    for (qsizetype i = 0; i < data.size(); ++i) {
        QJsonObject row = data.at(i).toObject();
        const QString id = row.value(QStringLiteral("id")).toString();
        if (faults.undecodableIds.contains(id)) {
            row.insert(QStringLiteral("fields"), QStringLiteral("<unreadable>"));
            data.replace(i, row);
        } else if (faults.idlessIds.contains(id)) {
            row.insert(QStringLiteral("id"), QJsonValue::Null);
            data.replace(i, row);
        }
    }
    if (faults.endlessPages) {
        const int limit = query.hasQueryItem(QStringLiteral("limit"))
            ? query.queryItemValue(QStringLiteral("limit")).toInt()
            : 25;
        const int offset = query.queryItemValue(QStringLiteral("offset")).toInt();
        QJsonObject model = data.isEmpty()
            ? QJsonObject {{QStringLiteral("id"), QStringLiteral("rec")},
                {QStringLiteral("fields"), QJsonObject()}}
            : data.at(0).toObject();
        const QString base = model.value(QStringLiteral("id")).toString();
        while (data.size() < limit) {
            model.insert(QStringLiteral("id"),
                QStringLiteral("%1_endless_%2").arg(base).arg(offset + data.size()));
            data.append(model);
        }
        page.insert(QStringLiteral("totalCount"), offset + limit + 1);
    }
    page.insert(QStringLiteral("data"), data);
    return page;
}

bool readRate(const QJsonObject &json, const char *key, double *target, QString *error)
{
    const QString name = QString::fromLatin1(key);
    if (!json.contains(name))
        return true;
    const QJsonValue value = json.value(name);
    if (!value.isDouble() || value.toDouble() < 0.0 || value.toDouble() > 1.0) {
        *error = QStringLiteral("'%1' must be a number from 0 to 1.").arg(name);
        return false;
    }
    *target = value.toDouble();
    return true;
}

bool readNonNegativeInt(
    const QJsonObject &json, const char *key, qint64 *target, QString *error, qint64 minimum = 0)
{
    const QString name = QString::fromLatin1(key);
    if (!json.contains(name))
        return true;
    const QJsonValue value = json.value(name);
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < minimum || number != std::floor(number)) {
        *error = QStringLiteral("'%1' must be a whole number ≥ %2.").arg(name).arg(minimum);
        return false;
    }
    *target = qint64(number);
    return true;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// SandboxFaults
// ---------------------------------------------------------------------------------------------

QJsonObject SandboxFaults::toJson() const
{
    return {
        {QStringLiteral("seed"), qint64(seed)},
        {QStringLiteral("latencyMs"), latencyMs},
        {QStringLiteral("jitterMs"), jitterMs},
        {QStringLiteral("rate500"), rate500},
        {QStringLiteral("rate503"), rate503},
        {QStringLiteral("rate408"), rate408},
        {QStringLiteral("rate429"), rate429},
        {QStringLiteral("rateDropAfterWrite"), rateDropAfterWrite},
        {QStringLiteral("rateHang"), rateHang},
        {QStringLiteral("rateTruncate"), rateTruncate},
        {QStringLiteral("rateMalformed"), rateMalformed},
        {QStringLiteral("rateUnknownValueType"), rateUnknownValueType},
        {QStringLiteral("retryAfterAsDate"), retryAfterAsDate},
        {QStringLiteral("retryAfterValue"), retryAfterValue},
        {QStringLiteral("retryAfterMsValue"), retryAfterMsValue},
        {QStringLiteral("undecodableIds"), QJsonArray::fromStringList(undecodableIds)},
        {QStringLiteral("idlessIds"), QJsonArray::fromStringList(idlessIds)},
        {QStringLiteral("endlessPages"), endlessPages},
        {QStringLiteral("oversizeBodyBytes"), oversizeBodyBytes},
        {QStringLiteral("writesOnly"), writesOnly},
        {QStringLiteral("malformedListPages"), malformedListPages},
    };
}

bool SandboxFaults::updateFromJson(const QJsonObject &json, QString *error)
{
    static const QStringList known {
        QStringLiteral("seed"),
        QStringLiteral("latencyMs"),
        QStringLiteral("jitterMs"),
        QStringLiteral("rate500"),
        QStringLiteral("rate503"),
        QStringLiteral("rate408"),
        QStringLiteral("rate429"),
        QStringLiteral("rateDropAfterWrite"),
        QStringLiteral("rateHang"),
        QStringLiteral("rateTruncate"),
        QStringLiteral("rateMalformed"),
        QStringLiteral("rateUnknownValueType"),
        QStringLiteral("retryAfterAsDate"),
        QStringLiteral("retryAfterValue"),
        QStringLiteral("retryAfterMsValue"),
        QStringLiteral("undecodableIds"),
        QStringLiteral("idlessIds"),
        QStringLiteral("endlessPages"),
        QStringLiteral("oversizeBodyBytes"),
        QStringLiteral("writesOnly"),
        QStringLiteral("malformedListPages"),
    };
    for (auto it = json.constBegin(); it != json.constEnd(); ++it) {
        if (!known.contains(it.key())) {
            *error = QStringLiteral("Unknown fault switch '%1'.").arg(it.key());
            return false;
        }
    }
    SandboxFaults next = *this;
    qint64 seedValue = next.seed;
    qint64 latency = next.latencyMs;
    qint64 jitter = next.jitterMs;
    if (!readNonNegativeInt(json, "seed", &seedValue, error)
        || !readNonNegativeInt(json, "latencyMs", &latency, error)
        || !readNonNegativeInt(json, "jitterMs", &jitter, error)
        || !readRate(json, "rate500", &next.rate500, error)
        || !readRate(json, "rate503", &next.rate503, error)
        || !readRate(json, "rate408", &next.rate408, error)
        || !readRate(json, "rate429", &next.rate429, error)
        || !readRate(json, "rateDropAfterWrite", &next.rateDropAfterWrite, error)
        || !readRate(json, "rateHang", &next.rateHang, error)
        || !readRate(json, "rateTruncate", &next.rateTruncate, error)
        || !readRate(json, "rateMalformed", &next.rateMalformed, error)
        || !readRate(json, "rateUnknownValueType", &next.rateUnknownValueType, error))
        return false;
    if (json.contains(QStringLiteral("retryAfterAsDate"))) {
        if (!json.value(QStringLiteral("retryAfterAsDate")).isBool()) {
            *error = QStringLiteral("'retryAfterAsDate' must be true or false.");
            return false;
        }
        next.retryAfterAsDate = json.value(QStringLiteral("retryAfterAsDate")).toBool();
    }
    if (json.contains(QStringLiteral("endlessPages"))) {
        if (!json.value(QStringLiteral("endlessPages")).isBool()) {
            *error = QStringLiteral("'endlessPages' must be true or false.");
            return false;
        }
        next.endlessPages = json.value(QStringLiteral("endlessPages")).toBool();
    }
    for (const char *key : {"retryAfterValue", "retryAfterMsValue"}) {
        const QString name = QString::fromLatin1(key);
        if (!json.contains(name))
            continue;
        if (!json.value(name).isString()) {
            *error = QStringLiteral("'%1' must be a string.").arg(name);
            return false;
        }
        (name == QLatin1String("retryAfterValue") ? next.retryAfterValue : next.retryAfterMsValue)
            = json.value(name).toString();
    }
    for (const char *key : {"undecodableIds", "idlessIds"}) {
        const QString name = QString::fromLatin1(key);
        if (!json.contains(name))
            continue;
        const QJsonValue ids = json.value(name);
        QStringList list;
        bool valid = ids.isArray();
        for (const QJsonValue &id : ids.toArray()) {
            valid = valid && id.isString();
            list << id.toString();
        }
        if (!valid) {
            *error = QStringLiteral("'%1' must be an array of strings.").arg(name);
            return false;
        }
        (name == QLatin1String("idlessIds") ? next.idlessIds : next.undecodableIds) = list;
    }
    qint64 oversize = next.oversizeBodyBytes;
    if (!readNonNegativeInt(json, "oversizeBodyBytes", &oversize, error))
        return false;
    if (oversize > 256 * 1024 * 1024) {
        *error = QStringLiteral("'oversizeBodyBytes' must be at most 268435456.");
        return false;
    }
    next.oversizeBodyBytes = int(oversize);
    qint64 malformedPages = next.malformedListPages;
    if (!readNonNegativeInt(json, "malformedListPages", &malformedPages, error))
        return false;
    next.malformedListPages = int(qMin<qint64>(malformedPages, 1000000));
    if (json.contains(QStringLiteral("writesOnly"))) {
        if (!json.value(QStringLiteral("writesOnly")).isBool()) {
            *error = QStringLiteral("'writesOnly' must be true or false.");
            return false;
        }
        next.writesOnly = json.value(QStringLiteral("writesOnly")).toBool();
    }
    next.seed = quint32(seedValue);
    next.latencyMs = int(latency);
    next.jitterMs = int(jitter);
    *this = next;
    return true;
}

// ---------------------------------------------------------------------------------------------
// SandboxServer
// ---------------------------------------------------------------------------------------------

SandboxServer::SandboxServer(SandboxConfig config, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_config(std::move(config))
    , m_store(std::make_unique<SandboxStore>(&m_clock, m_config.faults.seed))
    , m_faultRandom(m_config.faults.seed)
{
    m_store->setVersionHorizonMs(m_config.indexLagMs);
    if (m_config.pipelines.enabled)
        m_store->setPipelines(m_config.pipelines);
    m_store->setWriteRules(m_config.writeRules);
    applyListSettings();
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(200);
    connect(&m_saveTimer, &QTimer::timeout, this, [this] {
        QString error;
        if (!saveDataFile(&error))
            qWarning("sandbox: %s", qPrintable(error));
    });
}

SandboxServer::~SandboxServer()
{
    if (m_saveTimer.isActive()) {
        QString error;
        if (!saveDataFile(&error))
            qWarning("sandbox: %s", qPrintable(error));
    }
    for (const QPointer<QTcpSocket> &socket : std::as_const(m_hungSockets)) {
        if (socket)
            socket->abort();
    }
}

bool SandboxServer::loadDataFile(QString *error)
{
    if (m_config.dataFile.isEmpty() || !QFile::exists(m_config.dataFile))
        return true;
    QFile file(m_config.dataFile);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("Cannot read %1: %2").arg(m_config.dataFile, file.errorString());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = QStringLiteral("%1 is not a sandbox data file (%2).")
                     .arg(m_config.dataFile, parseError.errorString());
        return false;
    }
    QString loadError;
    if (!m_store->loadJson(document.object(), &loadError)) {
        *error = QStringLiteral("%1: %2").arg(m_config.dataFile, loadError);
        return false;
    }
    return true;
}

bool SandboxServer::saveDataFile(QString *error) const
{
    if (m_config.dataFile.isEmpty())
        return true;
    QSaveFile file(m_config.dataFile);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("Cannot write %1: %2").arg(m_config.dataFile, file.errorString());
        return false;
    }
    file.write(QJsonDocument(m_store->toJson()).toJson(QJsonDocument::Compact));
    if (!file.commit()) {
        *error = QStringLiteral("Cannot write %1: %2").arg(m_config.dataFile, file.errorString());
        return false;
    }
    return true;
}

quint16 SandboxServer::listenLoopback(quint16 port)
{
    return listen(QHostAddress::LocalHost, port);
}

void SandboxServer::suspendListening()
{
    for (QTcpServer *server : servers()) {
        if (!server->isListening())
            continue;
        m_suspendedPorts.insert(server, server->serverPort());
        server->close();
        // The accepted connections are the listener's children (QTcpServer makes them so):
        // a client with a kept-alive connection must lose it too, as on a real network loss.
        const QList<QTcpSocket *> sockets = server->findChildren<QTcpSocket *>();
        for (QTcpSocket *socket : sockets)
            socket->abort();
    }
    for (const QPointer<QTcpSocket> &socket : std::as_const(m_hungSockets)) {
        if (socket)
            socket->abort();
    }
    m_hungSockets.clear();
}

bool SandboxServer::resumeListening()
{
    bool ok = true;
    for (auto it = m_suspendedPorts.begin(); it != m_suspendedPorts.end();) {
        QTcpServer *server = it.key();
        if (server->listen(QHostAddress::LocalHost, it.value())) {
            it = m_suspendedPorts.erase(it);
        } else {
            qWarning("sandbox: cannot listen on port %u again: %s", unsigned(it.value()),
                qPrintable(server->errorString()));
            ok = false;
            ++it;
        }
    }
    return ok;
}

bool SandboxServer::isListeningSuspended() const
{
    return !m_suspendedPorts.isEmpty();
}

void SandboxServer::forgetExpiredIdempotencyKeys(qint64 nowMs)
{
    // A key is only looked at again when the same key comes back, so without this sweep every
    // key ever seen would stay in memory; a long run would grow without bound. Once a second
    // is often enough and keeps the walk over the table off the hot path.
    if (nowMs - m_lastIdempotencySweepMs < 1000)
        return;
    m_lastIdempotencySweepMs = nowMs;
    for (auto it = m_idempotency.begin(); it != m_idempotency.end();) {
        if (!(*it)->inFlight && nowMs - (*it)->createdAtMs >= m_config.idempotencyRetentionMs)
            it = m_idempotency.erase(it);
        else
            ++it;
    }
}

int SandboxServer::requestCount(const QString &route) const
{
    int count = 0;
    for (const int n : m_requestsByRoute.value(route))
        count += n;
    return count;
}

QJsonObject SandboxServer::stats() const
{
    QJsonObject requests;
    for (auto route = m_requestsByRoute.cbegin(); route != m_requestsByRoute.cend(); ++route) {
        QJsonObject byStatus;
        for (auto status = route->cbegin(); status != route->cend(); ++status)
            byStatus.insert(QString::number(status.key()), status.value());
        requests.insert(route.key(), byStatus);
    }
    QJsonObject faults;
    for (auto it = m_faultCounts.cbegin(); it != m_faultCounts.cend(); ++it)
        faults.insert(it.key(), it.value());
    QJsonObject byKey;
    for (auto it = m_appliedByKey.cbegin(); it != m_appliedByKey.cend(); ++it)
        byKey.insert(it.key(), it.value());
    return {
        {QStringLiteral("requests"), requests},
        {QStringLiteral("writesApplied"), m_writesApplied},
        {QStringLiteral("idempotentReplays"), m_idempotentReplays},
        {QStringLiteral("idempotencyConflicts"), m_idempotencyConflicts},
        {QStringLiteral("idempotencyMismatches"), m_idempotencyMismatches},
        {QStringLiteral("idempotencyKeysHeld"), int(m_idempotency.size())},
        {QStringLiteral("rateLimited"), m_rateLimited},
        {QStringLiteral("colleagueWrites"), m_colleagueWrites},
        {QStringLiteral("faults"), faults},
        {QStringLiteral("appliedByIdempotencyKey"), byKey},
    };
}

void SandboxServer::resetStats()
{
    m_requestsByRoute.clear();
    m_writesApplied = 0;
    m_idempotentReplays = 0;
    m_idempotencyConflicts = 0;
    m_idempotencyMismatches = 0;
    m_rateLimited = 0;
    m_colleagueWrites = 0;
    m_faultCounts.clear();
    m_appliedByKey.clear();
    m_writeLog.clear();
}

bool SandboxServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QString path = request.url().path();
    if (path.startsWith(QLatin1String("/__sandbox/"))) {
        writeResponse(socket, dispatchAdmin(request));
        return true;
    }
    Response response = dispatchApi(request, path);
    int delayMs = m_config.faults.latencyMs;
    if (m_config.faults.jitterMs > 0)
        delayMs += int(m_faultRandom.bounded(m_config.faults.jitterMs + 1));
    send(socket, response, delayMs);
    return true;
}

void SandboxServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    writeResponse(socket,
        Response::error(
            ApiError::notFound(QStringLiteral("No route for %1.").arg(request.url().path()))));
}

SandboxServer::Response SandboxServer::dispatchApi(
    const QHttpServerRequest &request, const QString &path)
{
    const qint64 now = m_clock.nowMs();
    // config() is public, so a test may change the lag on a running server: keep the store's
    // version horizon in step before anything is written or listed.
    m_store->setVersionHorizonMs(m_config.indexLagMs);
    applyListSettings();
    const Route route = resolveRoute(request.method(), path, m_config.authValidate);
    const QString counterKey
        = route.found ? route.templ : methodName(request.method()) + QStringLiteral(" unmatched");
    Response response;
    QString idempotencyScope;
    bool replayed = false;
    bool applied = false;
    bool isWrite = false;
    QJsonObject parsedBody;

    // The bucket of a category, rebuilt when its configured limit changed at run time.
    auto bucketFor = [this, now](Category category) -> TokenBucket & {
        const int limit = category == Category::Read ? m_config.rateLimitRead
            : category == Category::Write            ? m_config.rateLimitWrite
                                                     : m_config.rateLimitSearch;
        auto &bucket = m_buckets[categoryName(category)];
        if (!bucket || bucket->limit() != limit)
            bucket = std::make_shared<TokenBucket>(limit, now);
        return *bucket;
    };

    auto finish = [&](Response r) -> Response {
        // Every /v1 response carries the rate-limit headers of its category and a request id.
        TokenBucket &bucket = bucketFor(route.found ? route.category : Category::Read);
        r.headers.append({"X-RateLimit-Limit", QByteArray::number(bucket.limit())});
        r.headers.append({"X-RateLimit-Remaining", QByteArray::number(bucket.remaining(now))});
        r.headers.append({"X-RateLimit-Reset", QByteArray::number(bucket.resetEpochSeconds(now))});
        r.headers.append({"X-Request-Id", "req_" + QByteArray::number(++m_requestCounter, 16)});
        m_requestsByRoute[counterKey][r.status] += 1;
        if (isWrite) {
            QJsonObject entry {
                {QStringLiteral("method"), methodName(request.method())},
                {QStringLiteral("path"), path},
                {QStringLiteral("idempotencyKey"),
                    hasHeader(request, "Idempotency-Key")
                        ? QJsonValue(QString::fromUtf8(headerValue(request, "Idempotency-Key")))
                        : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("body"), parsedBody},
                {QStringLiteral("rawBody"), QString::fromUtf8(request.body())},
                {QStringLiteral("status"), r.status},
                {QStringLiteral("applied"), applied},
                {QStringLiteral("replayed"), replayed},
                {QStringLiteral("receivedAtMs"), now},
            };
            m_writeLog.append(entry);
            if (m_writeLog.size() > kWriteLogSize)
                m_writeLog.removeFirst();
        }
        return r;
    };

    if (!route.found)
        return finish(Response::error(ApiError::notFound(
            QStringLiteral("No route for %1 %2.").arg(methodName(request.method()), path))));
    isWrite = route.category == Category::Write;

    // Authentication: a Bearer key the sandbox knows. The key itself is never echoed.
    const QByteArray authorization = headerValue(request, "Authorization");
    const QString key = authorization.startsWith("Bearer ")
        ? QString::fromUtf8(authorization.mid(7)).trimmed()
        : QString();
    if (key.isEmpty() || !m_config.apiKeys.contains(key))
        return finish(Response::error(simpleError(401, "unauthorized",
            QStringLiteral("Missing or invalid API key. Send 'Authorization: Bearer <key>'."))));

    const QByteArray version = headerValue(request, "Lightfield-Version");
    if (version != m_config.versionHeader.toUtf8())
        return finish(Response::error(ApiError::badRequest(QStringLiteral("version_header"),
            version.isEmpty()
                ? QStringLiteral("The Lightfield-Version header is required (use %1).")
                      .arg(m_config.versionHeader)
                : QStringLiteral("Unsupported Lightfield-Version '%1' (use %2).")
                      .arg(QString::fromUtf8(version), m_config.versionHeader),
            QStringLiteral("Lightfield-Version"))));

    const QStringList granted = m_config.apiKeys.value(key);
    if (!granted.isEmpty()) {
        for (const QString &scope : route.scopes) {
            if (!granted.contains(scope))
                return finish(Response::error(simpleError(403, "forbidden",
                    QStringLiteral("This API key lacks the '%1' scope.").arg(scope))));
        }
    }

    if (TokenBucket &bucket = bucketFor(route.category); !bucket.take(now)) {
        ++m_rateLimited;
        Response limited = Response::json(429,
            envelopeOf(simpleError(429, "too_many_requests",
                           QStringLiteral("Rate limit of %1 %2 requests per second exceeded.")
                               .arg(bucket.limit())
                               .arg(categoryName(route.category))),
                m_config.errorEnvelope));
        limited.headers.append({"Retry-After", QByteArray::number(bucket.retryAfterSeconds(now))});
        return finish(limited);
    }

    // Faults that fail the request before it runs: a write is not applied.
    const SandboxFaults &faults = m_config.faults;
    // One second from now, as seconds or as an HTTP date (RFC 9110 §10.2.3), per the switch.
    auto injectedRetryAfter = [&faults](qint64 nowMs) {
        if (!faults.retryAfterValue.isEmpty())
            return faults.retryAfterValue.toLatin1();
        if (!faults.retryAfterAsDate)
            return QByteArrayLiteral("1");
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(nowMs + 1000, Qt::UTC);
        return QLocale::c()
            .toString(at, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"))
            .toLatin1();
    };
    // A request the switches leave alone draws nothing, so that it never meets a fault.
    const double draw = faults.writesOnly && !isWrite ? std::numeric_limits<double>::infinity()
                                                      : m_faultRandom.generateDouble();
    double threshold = 0;
    auto hit = [&draw, &threshold](double rate) {
        if (rate <= 0)
            return false;
        threshold += rate;
        return draw < threshold;
    };
    if (hit(faults.rate500)) {
        ++m_faultCounts[QStringLiteral("500")];
        return finish(Response::error(
            simpleError(500, "internal_server_error", QStringLiteral("Injected server error."))));
    }
    if (hit(faults.rate503)) {
        ++m_faultCounts[QStringLiteral("503")];
        Response unavailable = Response::error(simpleError(
            503, "service_unavailable", QStringLiteral("Injected: temporarily unavailable.")));
        unavailable.headers.append({QByteArrayLiteral("Retry-After"), injectedRetryAfter(now)});
        if (!faults.retryAfterMsValue.isEmpty())
            unavailable.headers.append(
                {QByteArrayLiteral("Retry-After-Ms"), faults.retryAfterMsValue.toLatin1()});
        return finish(unavailable);
    }
    if (hit(faults.rate408)) {
        ++m_faultCounts[QStringLiteral("408")];
        return finish(Response::error(
            simpleError(408, "request_timeout", QStringLiteral("Injected request timeout."))));
    }
    if (hit(faults.rate429)) {
        ++m_faultCounts[QStringLiteral("429")];
        Response limited = Response::json(429,
            envelopeOf(simpleError(429, "too_many_requests",
                           QStringLiteral("Injected: rate limit exceeded.")),
                m_config.errorEnvelope));
        limited.headers.append({QByteArrayLiteral("Retry-After"), injectedRetryAfter(now)});
        if (!faults.retryAfterMsValue.isEmpty())
            limited.headers.append(
                {QByteArrayLiteral("Retry-After-Ms"), faults.retryAfterMsValue.toLatin1()});
        return finish(limited);
    }
    if (hit(faults.rateHang)) {
        ++m_faultCounts[QStringLiteral("hang")];
        Response hang;
        hang.mode = Response::Mode::Hang;
        m_requestsByRoute[counterKey][0] += 1; // status 0: never answered
        return hang;
    }
    enum class BodyFault
    {
        None,
        Truncate,
        Malformed,
        UnknownValueType,
    };
    BodyFault bodyFault = BodyFault::None;
    if (hit(faults.rateTruncate))
        bodyFault = BodyFault::Truncate;
    else if (hit(faults.rateMalformed))
        bodyFault = BodyFault::Malformed;
    else if (hit(faults.rateUnknownValueType))
        bodyFault = BodyFault::UnknownValueType;
    const bool dropAfterWrite = isWrite && faults.rateDropAfterWrite > 0
        && m_faultRandom.generateDouble() < faults.rateDropAfterWrite;

    // Bodies: JSON objects only.
    if (request.method() == QHttpServerRequest::Method::Post) {
        const QByteArray contentType = headerValue(request, "Content-Type").trimmed().toLower();
        if (!contentType.startsWith("application/json"))
            return finish(Response::error(simpleError(415, "unsupported_media_type",
                QStringLiteral("Send the body as JSON with 'Content-Type: application/json'."))));
        auto parsed = parseObjectBody(request.body());
        if (auto *error = std::get_if<ApiError>(&parsed))
            return finish(Response::error(*error));
        parsedBody = std::get<QJsonObject>(parsed);
    }

    // Idempotency: scoped per operation and entity type.
    std::shared_ptr<IdempotencyEntry> idempotency;
    const QByteArray requestHash
        = QCryptographicHash::hash(request.body(), QCryptographicHash::Sha256);
    QString idempotencyKey;
    if (isWrite && hasHeader(request, "Idempotency-Key")) {
        idempotencyKey = QString::fromUtf8(headerValue(request, "Idempotency-Key"));
        if (idempotencyKey.size() > kMaxIdempotencyKeyLength)
            return finish(
                Response::error(ApiError::badRequest(QStringLiteral("idempotency_key_too_long"),
                    QStringLiteral("Idempotency-Key must be at most %1 characters.")
                        .arg(kMaxIdempotencyKeyLength),
                    QStringLiteral("Idempotency-Key"))));
        idempotencyScope = route.templ + QLatin1Char(' ') + idempotencyKey;
        auto existing = m_idempotency.value(idempotencyScope);
        if (existing && now - existing->createdAtMs >= m_config.idempotencyRetentionMs) {
            m_idempotency.remove(idempotencyScope);
            existing.reset();
        }
        if (existing) {
            if (existing->inFlight) {
                ++m_idempotencyConflicts;
                return finish(Response::json(409,
                    envelopeOf(simpleError(409, "conflict",
                                   QStringLiteral("A request with this Idempotency-Key is still "
                                                  "in progress; retry later with the same key."),
                                   QStringLiteral("idempotency_conflict"),
                                   QStringLiteral("Idempotency-Key")),
                        m_config.errorEnvelope)));
            }
            ++m_idempotentReplays;
            if (existing->requestHash != requestHash)
                ++m_idempotencyMismatches;
            replayed = true;
            Response replay;
            replay.status = existing->status;
            replay.body = existing->body;
            if (bodyFault == BodyFault::Truncate)
                replay.mode = Response::Mode::Truncate;
            return finish(replay);
        }
        forgetExpiredIdempotencyKeys(now);
        idempotency = std::make_shared<IdempotencyEntry>();
        idempotency->createdAtMs = now;
        idempotency->requestHash = requestHash;
        m_idempotency.insert(idempotencyScope, idempotency);
    }

    // The operation itself.
    SandboxStore::Result result;
    switch (route.action) {
    case Action::Validate:
        if (m_config.authValidate == SandboxConfig::AuthValidate::Html) {
            Response page;
            page.body = "<!doctype html><html><head><title>Lightfield</title></head>"
                        "<body><div id=\"app\"></div></body></html>";
            page.headers.append(
                {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/html; charset=utf-8")});
            return finish(page);
        }
        if (m_config.authValidate == SandboxConfig::AuthValidate::Malformed) {
            result = QJsonObject {{QStringLiteral("ok"), true},
                {QStringLiteral("tokenType"), QStringLiteral("api_key")}};
            break;
        }
        result = QJsonObject {
            {QStringLiteral("active"), true},
            {QStringLiteral("scopes"), QJsonArray::fromStringList(granted)},
            {QStringLiteral("subjectType"), QStringLiteral("user")},
            {QStringLiteral("tokenType"), QStringLiteral("api_key")},
        };
        break;
    case Action::List:
        result = m_store->list(route.objectType, request.query(), m_config.indexLagMs);
        break;
    case Action::ListOpportunities:
        result = m_store->listOpportunitiesInList(route.id, request.query(), m_config.indexLagMs);
        break;
    case Action::Definitions:
        result = m_store->schema(route.objectType).definitionsJson();
        break;
    case Action::Retrieve: {
        const auto record = m_store->retrieve(route.objectType, route.id);
        if (record)
            result = *record;
        else
            result = ApiError::notFound(
                QStringLiteral("No %1 with id '%2'.").arg(route.objectType, route.id));
        break;
    }
    case Action::Create:
        result = m_store->create(route.objectType, parsedBody);
        break;
    case Action::Update:
        result = m_store->update(route.objectType, route.id, parsedBody);
        break;
    }

    if (auto *error = std::get_if<ApiError>(&result)) {
        // Errors are not cached: a corrected retry with the same key runs again.
        if (idempotency)
            m_idempotency.remove(idempotencyScope);
        return finish(Response::error(*error));
    }
    QJsonObject resultObject = std::get<QJsonObject>(result);
    if (route.action == Action::List || route.action == Action::ListOpportunities)
        resultObject = applyPageFaults(resultObject, QUrlQuery(request.query()), faults);
    if (route.action == Action::List && m_listPageHook)
        m_listPageHook(route.objectType, QUrlQuery(request.query()));
    if ((route.action == Action::List || route.action == Action::ListOpportunities)
        && m_config.faults.malformedListPages > 0) {
        --m_config.faults.malformedListPages;
        bodyFault = BodyFault::Malformed;
    }
    if (faults.oversizeBodyBytes > 0) {
        ++m_faultCounts[QStringLiteral("oversize")];
        resultObject.insert(
            QStringLiteral("padding"), QString(faults.oversizeBodyBytes, QLatin1Char('x')));
    }
    response = Response::json(200, resultObject);
    if (isWrite) {
        applied = true;
        ++m_writesApplied;
        if (!idempotencyKey.isEmpty())
            m_appliedByKey[idempotencyKey] += 1;
        scheduleSave();
    }
    if (idempotency) {
        idempotency->status = response.status;
        idempotency->body = response.body;
        // Still "in flight" until send() has written the response (latency faults).
    }

    if (dropAfterWrite) {
        ++m_faultCounts[QStringLiteral("dropAfterWrite")];
        response.mode = Response::Mode::Drop;
    } else if (bodyFault == BodyFault::Truncate) {
        ++m_faultCounts[QStringLiteral("truncate")];
        response.mode = Response::Mode::Truncate;
    } else if (bodyFault == BodyFault::Malformed) {
        ++m_faultCounts[QStringLiteral("malformed")];
        response.body = response.body.left(response.body.size() / 2) + "<<not json>>";
    } else if (bodyFault == BodyFault::UnknownValueType) {
        ++m_faultCounts[QStringLiteral("unknownValueType")];
        response.body = injectUnknownValueType(response.body);
    }
    if (idempotency)
        response.idempotencyScope = idempotencyScope;
    return finish(response);
}

void SandboxServer::applyListSettings()
{
    m_store->setListOrder(m_config.listOrder);
    m_store->setMaxOffset(m_config.maxOffset, m_config.maxOffsetAnswersEmpty);
}

void SandboxServer::send(QTcpSocket *socket, const Response &response, int delayMs)
{
    auto deliver = [this, socket = QPointer<QTcpSocket>(socket), response] {
        if (!response.idempotencyScope.isEmpty()) {
            if (auto entry = m_idempotency.value(response.idempotencyScope))
                entry->inFlight = false;
        }
        if (socket)
            writeResponse(socket, response);
    };
    if (response.mode == Response::Mode::Hang) {
        m_hungSockets.append(QPointer<QTcpSocket>(socket));
        m_hungSockets.removeAll(QPointer<QTcpSocket>());
        return;
    }
    if (delayMs > 0)
        QTimer::singleShot(delayMs, this, deliver);
    else
        deliver();
}

void SandboxServer::writeResponse(QTcpSocket *socket, const Response &response)
{
    if (response.mode == Response::Mode::Drop) {
        socket->abort();
        return;
    }
    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' '
        + reasonPhrase(response.status) + "\r\n";
    const bool typed = std::any_of(response.headers.cbegin(), response.headers.cend(),
        [](const auto &header) { return header.first == "Content-Type"; });
    if (!typed)
        head += "Content-Type: application/json\r\n";
    head += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    for (const auto &header : response.headers)
        head += header.first + ": " + header.second + "\r\n";
    if (response.mode == Response::Mode::Truncate)
        head += "Connection: close\r\n";
    head += "\r\n";
    socket->write(head);
    if (response.mode == Response::Mode::Truncate) {
        socket->write(response.body.left(response.body.size() / 2));
        socket->flush();
        socket->disconnectFromHost();
        return;
    }
    socket->write(response.body);
}

void SandboxServer::scheduleSave()
{
    if (!m_config.dataFile.isEmpty())
        m_saveTimer.start();
}

SandboxServer::Response SandboxServer::dispatchAdmin(const QHttpServerRequest &request)
{
    const QString path = request.url().path();
    const bool get = request.method() == QHttpServerRequest::Method::Get;
    const bool post = request.method() == QHttpServerRequest::Method::Post;
    QJsonObject body;
    if (post && !request.body().isEmpty()) {
        auto parsed = parseObjectBody(request.body());
        if (auto *error = std::get_if<ApiError>(&parsed))
            return Response::error(*error);
        body = std::get<QJsonObject>(parsed);
    }
    auto badRequest = [](const QString &message) {
        return Response::error(
            ApiError::badRequest(QStringLiteral("invalid_configuration"), message));
    };

    if (path == QLatin1String("/__sandbox/stats") && get)
        return Response::json(200, stats());
    if (path == QLatin1String("/__sandbox/stats/reset") && post) {
        resetStats();
        return Response::json(200, stats());
    }
    if (path == QLatin1String("/__sandbox/faults")) {
        if (post) {
            QString error;
            const quint32 oldSeed = m_config.faults.seed;
            if (!m_config.faults.updateFromJson(body, &error))
                return badRequest(error);
            if (body.contains(QStringLiteral("seed")) || oldSeed != m_config.faults.seed)
                m_faultRandom.seed(m_config.faults.seed);
        } else if (!get) {
            return Response::error(ApiError::notFound(QStringLiteral("Use GET or POST.")));
        }
        return Response::json(200, m_config.faults.toJson());
    }
    if (path == QLatin1String("/__sandbox/config")) {
        if (post) {
            static const QStringList known {
                QStringLiteral("indexLagMs"),
                QStringLiteral("rateLimitRead"),
                QStringLiteral("rateLimitWrite"),
                QStringLiteral("rateLimitSearch"),
                QStringLiteral("idempotencyRetentionMs"),
                QStringLiteral("listOrder"),
                QStringLiteral("maxOffset"),
                QStringLiteral("maxOffsetAnswer"),
            };
            for (auto it = body.constBegin(); it != body.constEnd(); ++it) {
                if (!known.contains(it.key()))
                    return badRequest(QStringLiteral("Unknown setting '%1'.").arg(it.key()));
            }
            // List order and offset cap: checked whole before anything changes.
            SandboxStore::ListOrder order = m_config.listOrder;
            if (body.contains(QStringLiteral("listOrder"))) {
                const auto parsed = SandboxStore::listOrderFromName(
                    body.value(QStringLiteral("listOrder")).toString());
                if (!parsed)
                    return badRequest(QStringLiteral(
                        "'listOrder' must be \"oldest\", \"newest\" or \"shuffled-stable\"."));
                order = *parsed;
            }
            qint64 maxOffset = m_config.maxOffset;
            if (body.contains(QStringLiteral("maxOffset"))) {
                const QJsonValue value = body.value(QStringLiteral("maxOffset"));
                if (!value.isDouble() || value.toDouble() != std::floor(value.toDouble())
                    || value.toDouble() < -1 || value.toDouble() > 1e12)
                    return badRequest(
                        QStringLiteral("'maxOffset' must be an integer ≥ 0, or -1 for no cap."));
                maxOffset = qint64(value.toDouble());
            }
            bool answerEmpty = m_config.maxOffsetAnswersEmpty;
            if (body.contains(QStringLiteral("maxOffsetAnswer"))) {
                const QString answer = body.value(QStringLiteral("maxOffsetAnswer")).toString();
                if (answer != QLatin1String("error") && answer != QLatin1String("empty"))
                    return badRequest(
                        QStringLiteral("'maxOffsetAnswer' must be \"error\" or \"empty\"."));
                answerEmpty = answer == QLatin1String("empty");
            }
            qint64 lag = m_config.indexLagMs;
            qint64 read = m_config.rateLimitRead;
            qint64 write = m_config.rateLimitWrite;
            qint64 search = m_config.rateLimitSearch;
            qint64 retention = m_config.idempotencyRetentionMs;
            QString error;
            if (!readNonNegativeInt(body, "indexLagMs", &lag, &error)
                || !readNonNegativeInt(body, "rateLimitRead", &read, &error, 1)
                || !readNonNegativeInt(body, "rateLimitWrite", &write, &error, 1)
                || !readNonNegativeInt(body, "rateLimitSearch", &search, &error, 1)
                || !readNonNegativeInt(body, "idempotencyRetentionMs", &retention, &error))
                return badRequest(error);
            m_config.indexLagMs = lag;
            m_config.rateLimitRead = int(read);
            m_config.rateLimitWrite = int(write);
            m_config.rateLimitSearch = int(search);
            m_config.idempotencyRetentionMs = retention;
            m_config.listOrder = order;
            m_config.maxOffset = maxOffset;
            m_config.maxOffsetAnswersEmpty = answerEmpty;
            m_store->setVersionHorizonMs(lag);
            applyListSettings();
        } else if (!get) {
            return Response::error(ApiError::notFound(QStringLiteral("Use GET or POST.")));
        }
        return Response::json(200,
            {
                {QStringLiteral("indexLagMs"), m_config.indexLagMs},
                {QStringLiteral("rateLimitRead"), m_config.rateLimitRead},
                {QStringLiteral("rateLimitWrite"), m_config.rateLimitWrite},
                {QStringLiteral("rateLimitSearch"), m_config.rateLimitSearch},
                {QStringLiteral("idempotencyRetentionMs"), m_config.idempotencyRetentionMs},
                {QStringLiteral("listOrder"), SandboxStore::listOrderName(m_config.listOrder)},
                {QStringLiteral("maxOffset"), m_config.maxOffset},
                {QStringLiteral("maxOffsetAnswer"),
                    m_config.maxOffsetAnswersEmpty ? QStringLiteral("empty")
                                                   : QStringLiteral("error")},
            });
    }
    if (path == QLatin1String("/__sandbox/clock") && post) {
        qint64 advance = 0;
        const QJsonValue value = body.value(QStringLiteral("advanceMs"));
        if (!value.isDouble() || value.toDouble() < 0)
            return badRequest(QStringLiteral("'advanceMs' must be a number ≥ 0."));
        advance = qint64(value.toDouble());
        m_clock.advance(advance);
        return Response::json(200,
            {{QStringLiteral("offsetMs"), m_clock.offsetMs()},
                {QStringLiteral("nowMs"), m_clock.nowMs()}});
    }
    if (path == QLatin1String("/__sandbox/writes") && get) {
        QJsonArray writes;
        for (const QJsonObject &entry : std::as_const(m_writeLog))
            writes.append(entry);
        return Response::json(200, {{QStringLiteral("writes"), writes}});
    }
    // A colleague creates a record (optionally listed first) or deletes one, during a sweep.
    if (path.startsWith(QLatin1String("/__sandbox/records/")) && path.count(QLatin1Char('/')) == 3
        && post) {
        const QString type = singularOf(path.section(QLatin1Char('/'), 3, 3));
        if (type.isEmpty() || !isWritable(type))
            return Response::error(ApiError::notFound(
                QStringLiteral("Use /__sandbox/records/{opportunities|accounts|contacts}.")));
        const QString at = QUrlQuery(request.url()).queryItemValue(QStringLiteral("at"));
        if (!at.isEmpty() && at != QLatin1String("head"))
            return badRequest(QStringLiteral("'at' must be \"head\" or absent."));
        auto result = m_store->create(type, body);
        if (auto *error = std::get_if<ApiError>(&result))
            return Response::error(*error);
        const QJsonObject record = std::get<QJsonObject>(result);
        if (at == QLatin1String("head"))
            m_store->placeAtHead(type, record.value(QStringLiteral("id")).toString());
        ++m_colleagueWrites;
        scheduleSave();
        return Response::json(200, record);
    }
    if (path.startsWith(QLatin1String("/__sandbox/records/"))
        && request.method() == QHttpServerRequest::Method::Delete) {
        const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        const QString type = parts.size() == 4 ? singularOf(parts.at(2)) : QString();
        if (type.isEmpty() || !isWritable(type))
            return Response::error(ApiError::notFound(
                QStringLiteral("Use /__sandbox/records/{opportunities|accounts|contacts}/{id}.")));
        if (!m_store->remove(type, parts.at(3)))
            return Response::error(
                ApiError::notFound(QStringLiteral("No %1 with id '%2'.").arg(type, parts.at(3))));
        ++m_colleagueWrites;
        scheduleSave();
        return Response::json(200, {{QStringLiteral("deleted"), parts.at(3)}});
    }
    if (path.startsWith(QLatin1String("/__sandbox/records/")) && post) {
        const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        const QString type = parts.size() == 4 ? singularOf(parts.at(2)) : QString();
        if (type.isEmpty() || !isWritable(type))
            return Response::error(ApiError::notFound(
                QStringLiteral("Use /__sandbox/records/{opportunities|accounts|contacts}/{id}.")));
        auto result = m_store->update(type, parts.at(3), body);
        if (auto *error = std::get_if<ApiError>(&result))
            return Response::error(*error);
        ++m_colleagueWrites;
        scheduleSave();
        return Response::json(200, std::get<QJsonObject>(result));
    }
    return Response::error(ApiError::notFound(
        QStringLiteral("No sandbox admin route %1 %2.").arg(methodName(request.method()), path)));
}
