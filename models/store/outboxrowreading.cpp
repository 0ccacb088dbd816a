#include "store/outboxrowreading.h"

#include "store/outbox.h"

#include <QJsonDocument>

namespace OutboxRowReading {

QJsonObject body(const OutboxRow &row)
{
    return QJsonDocument::fromJson(row.body).object();
}

QStringList writtenKeys(const OutboxRow &row)
{
    const QJsonObject object = body(row);
    QStringList keys = object.value(QLatin1String("fields")).toObject().keys();
    keys += object.value(QLatin1String("relationships")).toObject().keys();
    return keys;
}

Refusal refusal(const OutboxRow &row)
{
    if (row.state != OutboxRow::State::Parked)
        return {};
    const ParkedError error = ParkedError::decode(row.lastError);
    return {error.fieldKey, error.message};
}

QStringList markedKeys(const OutboxRow &row)
{
    if (const Refusal refused = refusal(row); !refused.fieldKey.isEmpty())
        return {refused.fieldKey};
    return writtenKeys(row);
}

} // namespace OutboxRowReading
