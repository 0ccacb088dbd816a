#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>

/**
 * Display names of the records a deal points to — accounts, members and contacts — by id, as
 * mirrored in LocalStore. The table shows relationships through it ("Northwind Labs",
 * "Ana Ruiz") and quick search matches those names.
 *
 * A plain, copyable value type (implicitly shared QHash); names are shared QStrings, so every
 * cell showing the same account shares one string. Ids are unique across object types (their
 * prefixes differ: `acc_`, `mem_`, `con_`), so one map holds them all.
 */
class NameDirectory final
{
public:
    NameDirectory() = default;

    /** Sets the name of `id` (an empty name removes it). */
    void insert(const QString &id, const QString &name);
    /** Removes `id`. */
    void remove(const QString &id) { m_names.remove(id); }
    /** The name of `id`, or a null string when unknown. */
    QString name(const QString &id) const { return m_names.value(id); }
    bool contains(const QString &id) const { return m_names.contains(id); }
    qsizetype size() const { return m_names.size(); }
    bool isEmpty() const { return m_names.isEmpty(); }
    void clear() { m_names.clear(); }

    /**
     * The display name of a record in the read shape: its `$name` field,
     * as TEXT (accounts) or FULL_NAME (members, contacts: "First Last"); for a member without a
     * name, its `$email`. Empty when there is none.
     */
    static QString nameOf(const QJsonObject &record);

    friend bool operator==(const NameDirectory &, const NameDirectory &) = default;

private:
    QHash<QString, QString> m_names;
};
