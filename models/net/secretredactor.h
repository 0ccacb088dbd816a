#pragma once

#include <QString>
#include <QtGlobal>

/**
 * Keeps the API key out of every log line (CWE-532).
 *
 * install() puts a Qt message handler in front of the one already installed (or Qt's
 * default): every message, of every category and level, passes through redact() before it is
 * forwarded. The client never logs the key in the first place; this is the safety net for
 * anything else that might (a qDebug() of a QNetworkRequest, a third-party library).
 *
 * redact() replaces:
 *  - the value of an `Authorization` or `X-Api-Key` header and of an `api_key` / `api-key` /
 *    `apikey` parameter, in `Name: …`, `"Name": "…"`, `("Name", "…")` or `name=…` form,
 *    case-insensitively, by `[redacted]`;
 *  - `Bearer <token>` anywhere by `Bearer [redacted]`;
 *  - anything shaped like a Lightfield key, `sk_lf_` followed by letters, digits, `_` or `-`,
 *    by `sk_lf_[redacted]`;
 *  - every secret registered with addSecret() (a key that does not have the usual shape).
 *
 * Process-wide (message handlers are), and thread-safe: the handler may run on any thread.
 * install() is idempotent; uninstall() restores the previous handler (tests use it).
 */
class SecretRedactor final
{
public:
    SecretRedactor() = delete;

    static void install();
    static void uninstall();
    static bool isInstalled();

    /** Also redacts this exact string (ignored when shorter than 8 characters). */
    static void addSecret(const QString &secret);
    static void clearSecrets();

    /** The text with every secret replaced (see the class comment). */
    static QString redact(const QString &text);
};
