#include "net/lightfieldcall.h"

#include <QNetworkReply>

LightfieldCall::LightfieldCall(
    QByteArray method, QString path, RateCategory category, QObject *parent)
    : QObject(parent)
    , m_method(std::move(method))
    , m_path(std::move(path))
    , m_category(category)
{
}

LightfieldCall::~LightfieldCall()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void LightfieldCall::abandon()
{
    if (m_abandoned || m_finished)
        return;
    m_abandoned = true;
    if (m_reply) {
        // Disconnect first: abort() emits finished() synchronously.
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    deleteLater();
}
