#include "domain/socialhandle.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("SocialHandle", text);
}

struct Service
{
    QString canonicalPrefix; ///< "https://x.com/"
    QStringList hosts; ///< accepted hosts, without "www."
};

std::optional<Service> serviceFor(const QString &name)
{
    const QString upper = name.toUpper();
    if (upper == QLatin1String("TWITTER"))
        return Service {QStringLiteral("https://x.com/"),
            {QStringLiteral("x.com"), QStringLiteral("twitter.com"),
                QStringLiteral("mobile.twitter.com")}};
    if (upper == QLatin1String("LINKEDIN"))
        return Service {
            QStringLiteral("https://linkedin.com/in/"), {QStringLiteral("linkedin.com")}};
    if (upper == QLatin1String("FACEBOOK"))
        return Service {QStringLiteral("https://facebook.com/"),
            {QStringLiteral("facebook.com"), QStringLiteral("m.facebook.com"),
                QStringLiteral("fb.com")}};
    if (upper == QLatin1String("INSTAGRAM"))
        return Service {
            QStringLiteral("https://instagram.com/"), {QStringLiteral("instagram.com")}};
    return std::nullopt;
}

bool isHandle(const QString &text)
{
    static const QRegularExpression handle(QStringLiteral("^[\\p{L}\\p{N}_.\\-]{1,100}$"));
    return handle.match(text).hasMatch();
}

/** The handle in a profile `url` of `service` ("company/x" for LinkedIn companies), or empty. */
QString handleFromUrl(const QString &serviceName, const Service &service, const QUrl &url)
{
    QString host = url.host().toLower();
    if (host.startsWith(QLatin1String("www.")))
        host = host.mid(4);
    if (!service.hosts.contains(host))
        return {};
    QStringList parts = url.path().split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (serviceName.toUpper() == QLatin1String("LINKEDIN")) {
        if (parts.size() < 2 || !isHandle(parts.at(1))
            || (parts.at(0) != QLatin1String("in") && parts.at(0) != QLatin1String("company")))
            return {};
        return parts.at(0) == QLatin1String("in") ? parts.at(1)
                                                  : QStringLiteral("company/") + parts.at(1);
    }
    if (parts.isEmpty())
        return {};
    QString handle = parts.at(0);
    if (handle.startsWith(QLatin1Char('@')))
        handle = handle.mid(1);
    return isHandle(handle) ? handle : QString();
}

QString urlForHandle(const QString &serviceName, const Service &service, const QString &handle)
{
    if (serviceName.toUpper() == QLatin1String("LINKEDIN")
        && handle.startsWith(QLatin1String("company/")))
        return QStringLiteral("https://linkedin.com/") + handle;
    return service.canonicalPrefix + handle;
}

} // namespace

namespace SocialHandle {

QString normaliseUrl(const QString &text, QString *error)
{
    const QString trimmed = text.trimmed();
    QString withScheme = trimmed;
    static const QRegularExpression scheme(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*:"));
    if (!scheme.match(trimmed).hasMatch())
        withScheme = QStringLiteral("https://") + trimmed;
    const QUrl url(withScheme, QUrl::StrictMode);
    const QString urlScheme = url.scheme().toLower();
    if (url.isValid() && urlScheme != QLatin1String("http") && urlScheme != QLatin1String("https")
        && !url.scheme().isEmpty()) {
        if (error)
            *error = tr("Only http and https addresses are allowed.");
        return {};
    }
    const QString host = url.host();
    const bool hostOk = !host.isEmpty()
        && (host.contains(QLatin1Char('.')) || host == QLatin1String("localhost"))
        && !host.startsWith(QLatin1Char('.')) && !host.endsWith(QLatin1Char('.'));
    if (!url.isValid() || !hostOk || trimmed.contains(QLatin1Char(' '))) {
        if (error)
            *error = tr("“%1” is not a web address (https://example.com).").arg(text);
        return {};
    }
    if (error)
        error->clear();
    return url.toString(QUrl::FullyEncoded);
}

QString profileUrl(const QString &serviceName, const QString &input, QString *error)
{
    QString text = input.trimmed();
    const auto service = serviceFor(serviceName);
    if (error)
        error->clear();
    const bool looksLikeUrl = text.contains(QLatin1Char('/')) || text.contains(QLatin1Char(':'));
    if (!service)
        return normaliseUrl(text, error);
    if (looksLikeUrl
        && !(serviceName.toUpper() == QLatin1String("LINKEDIN")
            && text.startsWith(QLatin1String("company/")))) {
        QString urlError;
        const QString normalised = normaliseUrl(text, &urlError);
        const QString handle = normalised.isEmpty()
            ? QString()
            : handleFromUrl(serviceName, *service, QUrl(normalised));
        if (handle.isEmpty()) {
            if (error)
                *error = tr("“%1” is not a profile address of %2 (%3…).")
                             .arg(text, serviceName.at(0) + serviceName.mid(1).toLower(),
                                 service->canonicalPrefix);
            return {};
        }
        return urlForHandle(serviceName, *service, handle);
    }
    if (text.startsWith(QLatin1Char('@')))
        text = text.mid(1);
    const QString bare = text.startsWith(QLatin1String("company/")) ? text.mid(8) : text;
    if (!isHandle(bare)) {
        if (error)
            *error
                = tr("“%1” is not a handle (letters, digits, “_”, “.”, “-”).").arg(input.trimmed());
        return {};
    }
    return urlForHandle(serviceName, *service, text);
}

bool isKnownService(const QString &service)
{
    return serviceFor(service).has_value();
}

QString handleOf(const QString &serviceName, const QString &url)
{
    const auto service = serviceFor(serviceName);
    if (!service)
        return url;
    const QString handle = handleFromUrl(serviceName, *service, QUrl(url));
    return handle.isEmpty() ? url : handle;
}

} // namespace SocialHandle
