#include "net/listquery.h"

#include <QUrl>

QByteArray ListQuery::toQueryString() const
{
    QByteArray query = "limit=" + QByteArray::number(qBound(1, limit, kMaxLimit))
        + "&offset=" + QByteArray::number(qMax(0, offset));
    for (const Filter &filter : filters) {
        QString name = filter.key;
        if (!filter.op.isEmpty())
            name += QLatin1Char('[') + filter.op + QLatin1Char(']');
        query += '&' + QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(filter.value);
    }
    return query;
}
