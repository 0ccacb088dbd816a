#pragma once

// The store's connection, for tests only. LocalStore keeps it private so that no class of the
// app runs SQL on the cache behind the store's back; a test may still need to look at a row
// the public methods do not show (a decode_error, a raw column), and an in-memory store
// cannot be opened a second time. LocalStore names this struct as a friend.

#include "store/localstore.h"

#include <QSqlDatabase>

struct LocalStoreTestAccess
{
    /** The store's own connection (same transaction state as the store). */
    static QSqlDatabase database(const LocalStore &store) { return store.database(); }
};
