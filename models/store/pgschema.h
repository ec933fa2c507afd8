#pragma once

#include "pgdb.h"

#include <cstdint>
#include <string>

namespace tl {

// The ledger's schema on a PostgreSQL server: the same tables and columns
// as the SQLite workspace (so every query is the same text), with the
// server's types (BIGINT, BYTEA), calls partitioned by month, and the
// version and owner kept in meta (a server has no PRAGMA user_version).
class PgSchema
{
public:
    static constexpr int kCurrentVersion = 13; // the SQLite workspace's version it matches
    static constexpr const char *kApplication = "tokenledger";

    enum class State { Empty, Current, Older, Newer, Foreign };
    // What the connected database's current schema holds; *why says it for
    // Foreign and Newer.
    static State state(PgDb &db, std::string *why);
    // Creates or migrates, inside the caller's write transaction; returns
    // the state after it (Current, or why not in *why).
    static State prepare(PgDb &db, std::string *why);
    // The month partitions of calls that hold `day` (days since the epoch).
    static void ensurePartition(Database &db, int64_t day);
    // After rows were written with their ids (a copy): the id sequences
    // continue past them.
    static void syncSequences(Database &db);
    // year * 12 + month of `day`: which partition holds it.
    static int64_t monthOf(int64_t day);
};

} // namespace tl
