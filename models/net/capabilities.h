#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

/**
 * What an API key lets the app do, as a plain value: read deals, change them, create them,
 * read the names of accounts, members and contacts, read lists.
 *
 * **Where it comes from** (source()):
 *  - Scopes: `GET /v1/auth/validate` listed the key's scopes (fromScopes()); an empty list
 *    means full access, as the API documents.
 *  - Probed: the server did not say (no validate route, or an answer without scopes), so each
 *    read was tried once (`limit=1`) and a 403 means "not allowed" (fromProbes()). Writes
 *    cannot be tried without writing, so they are assumed allowed: a write the server refuses
 *    is parked with the server's reason, as any refused write is.
 *  - Assumed: never checked (a workspace signed in before capabilities were kept): everything
 *    allowed until the next sign-in says otherwise.
 *
 * The window, the sync engine and the command line read it: no update scope means editing is
 * off; no create scope means New Deal is off; a type the key cannot read is not synced (its
 * ids are shown instead of names); no lists:read means no lists. Stored per workspace in
 * AppSettings (toJson()), never with the key.
 */
class Capabilities final
{
public:
    enum class Source : quint8
    {
        Assumed,
        Scopes,
        Probed,
    };

    /** The object types the app reads, as the API names them in scopes (plural). */
    static QStringList readTypes();

    /** Everything allowed, Source::Assumed. */
    Capabilities() = default;
    /** From the scopes `GET /v1/auth/validate` reported; empty = full access. */
    static Capabilities fromScopes(const QStringList &scopes);
    /**
     * From probing reads: `unreadable` are the plural types ("members", "lists") whose probe
     * was refused with 403. Writes are assumed allowed.
     */
    static Capabilities fromProbes(const QStringList &unreadable);

    Source source() const { return m_source; }
    /** The scopes as reported (Source::Scopes; empty = full access), else empty. */
    QStringList scopes() const { return m_scopes; }
    bool isFullAccess() const { return m_source == Source::Scopes && m_scopes.isEmpty(); }

    /** `opportunities:read` (always true once a key signed in: it is never refused for less). */
    bool canReadDeals() const { return has(QStringLiteral("opportunities:read")); }
    /** `opportunities:update`: edit in the form, the table, on the board, in bulk, undo. */
    bool canEditDeals() const { return has(QStringLiteral("opportunities:update")); }
    /** `opportunities:create`: New Deal. */
    bool canCreateDeals() const { return has(QStringLiteral("opportunities:create")); }
    /** Neither edit nor create. */
    bool isReadOnly() const { return !canEditDeals() && !canCreateDeals(); }
    /** `<plural>:read` for "opportunities", "accounts", "members", "contacts", "lists". */
    bool canRead(const QString &pluralType) const
    {
        return has(pluralType + QStringLiteral(":read"));
    }
    /** canRead() by the singular record type the store uses ("member", "account", …). */
    bool canReadObjectType(const QString &objectType) const;

    /**
     * One sentence for the main window when editing is limited, naming the scope that is
     * missing; empty when the key may edit and create.
     */
    QString editingNotice() const;
    /** Why `edit` (recordId set) or `create` cannot run with this key; empty when it can. */
    QString writeRefusal(bool create) const;
    /** A note for a picker whose names cannot be read (e.g. members); empty when they can. */
    QString namesNote(const QString &objectType) const;

    QJsonObject toJson() const;
    /** nullopt for anything toJson() did not write. */
    static std::optional<Capabilities> fromJson(const QJsonObject &json);

    friend bool operator==(const Capabilities &, const Capabilities &) = default;

private:
    bool has(const QString &scope) const;

    Source m_source = Source::Assumed;
    QStringList m_scopes; ///< Source::Scopes: as reported
    QStringList m_unreadable; ///< Source::Probed: plural types refused with 403
};
