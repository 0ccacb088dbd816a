#pragma once

#include <QString>

class LocalStore;

/**
 * The cache schema, step by step. `PRAGMA user_version` holds the version;
 * `migrateTo1()` … `migrateToN()` are chained by switch fallthrough. Each step runs in its own
 * transaction together with its `user_version` bump, and **rolls back and stops** at the
 * first failed statement: a failed step leaves the file exactly at the previous version.
 *
 * Version history (never renumber, never edit a released step — add one):
 *  1. meta, definitions, records (+ indexes)
 *  2. outbox (+ indexes)
 *
 * Runs on the store's thread, on its connection; statements go through LocalStore::exec(),
 * so LocalStore::setFailAfter() reaches them.
 */
namespace Migrations {

/** The version this build writes. */
inline constexpr int kLatestVersion = 3;

/**
 * Migrates from `fromVersion` to `toVersion` (≤ kLatestVersion). On failure returns false,
 * with `error` naming the step and the statement's error; the file stays at the last step that
 * committed. `fromVersion` > kLatestVersion is refused (a newer app wrote the file).
 */
bool migrate(LocalStore &store, int fromVersion, int toVersion, QString *error);

} // namespace Migrations
