#pragma once

#include <QString>
#include <QUrl>

/**
 * Where the client sends requests, and which addresses it refuses.
 *
 * The base URL is, in order of precedence:
 *  1. the environment variable `LIGHTFIELD_BASE_URL` (the Go SDK's convention; for
 *     development, the sandbox and support sessions);
 *  2. the value saved in the settings (e.g. a regional endpoint);
 *  3. `https://api.lightfield.app`.
 *
 * Only `https` is accepted, with one exception: plain `http` to a loopback host (`localhost`,
 * 127.0.0.0/8, `::1`), which is how the sandbox runs (W3C Secure Contexts' "potentially
 * trustworthy" origins). The URL must have a host, and no user info, query or fragment; a path
 * is kept as a prefix (request paths, which start with `/v1/`, are appended to it) and a
 * trailing `/` is dropped. Pure functions, no state.
 */
class BaseUrlPolicy final
{
public:
    BaseUrlPolicy() = delete;

    /** `https://api.lightfield.app`. */
    static QUrl defaultUrl();

    /** The environment variable that overrides everything: `LIGHTFIELD_BASE_URL`. */
    static constexpr char kEnvironmentVariable[] = "LIGHTFIELD_BASE_URL";

    struct Resolved
    {
        QUrl url; ///< normalised; empty when refused
        QString error; ///< why it was refused, for the user; empty when accepted
        QString source; ///< "environment", "settings" or "default"
        bool isValid() const { return error.isEmpty() && url.isValid(); }
    };

    /**
     * Picks the base URL from the environment, then `fromSettings` (empty = unset), then the
     * default, and checks it. A refused URL is *not* replaced by the next source: the user
     * asked for it and must see why it is refused.
     */
    static Resolved resolve(const QString &fromSettings);

    /** Checks and normalises one candidate. */
    static Resolved check(const QString &candidate, const QString &source);

    /** True for `localhost` (and `*.localhost`), 127.0.0.0/8 and `::1`. */
    static bool isLoopbackHost(const QString &host);
};
