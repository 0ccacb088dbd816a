#pragma once

#include <Qt>

/**
 * Roles and sync states of the deals table, declared once for the model, the
 * proxy and the views.
 *
 * Cell roles (OpportunityTableModel::data()):
 *  - Qt::DisplayRole: the value formatted per type and locale (prepared when the row arrived);
 *  - Qt::EditRole and RawValueRole: the typed value — a FieldValue for field columns, a
 *    QStringList of related ids for relationship columns;
 *  - SortRole: the typed sort key — double for NUMBER, qlonglong cents for CURRENCY, QDateTime
 *    (UTC) for DATETIME, bool for CHECKBOX, int option position for SINGLE_SELECT, int count for
 *    relationships to objects without names, else the folded (lower-case, accent-free) text;
 *    an invalid QVariant for an empty cell;
 *  - Qt::CheckStateRole: CHECKBOX columns only;
 *  - Qt::TextAlignmentRole: right-aligned for numbers, money and dates;
 *  - IdRole, SyncStateRole, PendingRole, ConflictRole: per row, in every column.
 * Header roles (headerData(section, Qt::Horizontal, role)): ColumnKeyRole, ColumnTypeRole,
 * ColumnKindRole, DefaultVisibleRole.
 */
namespace OpportunityRoles {

enum Role
{
    IdRole = Qt::UserRole, ///< QString: the record id ("opp_…" or a temporary "local_…")
    SortRole, ///< typed sort key (see above)
    SyncStateRole, ///< int: a SyncState
    RawValueRole, ///< FieldValue (fields) or QStringList of ids (relationships)
    PendingRole, ///< bool: edits of the row wait in the outbox (pending or in flight)
    ConflictRole, ///< bool: an edit of the row is in conflict
    SearchTextRole, ///< QString: the row's folded search text (what quick search matches)
    ColumnKeyRole, ///< header: QString field or relationship key ("$name", "$account")
    ColumnTypeRole, ///< header: int FieldType of a field column; -1 for a relationship
    ColumnKindRole, ///< header: int ColumnKind
    DefaultVisibleRole, ///< header: bool, shown by default (others live in the column chooser)
};

/** What a column shows. */
enum class ColumnKind
{
    Field = 0, ///< a field definition
    Relationship = 1, ///< a relationship definition, shown as names (or a count)
};

/** The outbox state of a row, worst first when several edits are queued. */
enum class SyncState
{
    Synced = 0, ///< nothing queued
    Pending = 1, ///< queued or in flight: drawn as a small dot
    Failed = 2, ///< parked after a permanent error: drawn as an error mark
    Conflict = 3, ///< waits for the user's choice: drawn as a warning mark
};

} // namespace OpportunityRoles
