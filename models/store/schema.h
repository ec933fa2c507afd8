#pragma once

#include "core/measures.h"
#include "sqlitedb.h"

#include <string>

namespace tl {

struct RollupGrain;

// The SQLite workspace file's schema and its forward migrations (a
// server's is PgSchema: the same tables and columns). A workspace is
// recognised by PRAGMA application_id; PRAGMA user_version is its schema
// version. Each migration step runs inside the caller's transaction.
class Schema
{
public:
    static constexpr int kApplicationId = 0x546B4C67; // "TkLg"
    static constexpr int kCurrentVersion = 13;
    // v6's tables, the same text on both engines but for the id column
    // ("INTEGER PRIMARY KEY" in SQLite, "BIGSERIAL PRIMARY KEY" on a server).
    static constexpr const char *kAlertsDdl =
        "CREATE TABLE alerts(id %ID%, key TEXT NOT NULL UNIQUE, kind TEXT NOT "
        "NULL, created_at_ms BIGINT NOT NULL, data_ts_ms BIGINT NOT NULL, payload TEXT NOT NULL, "
        "sent_at_ms BIGINT, attempts BIGINT NOT NULL DEFAULT 0, next_attempt_ms BIGINT NOT NULL "
        "DEFAULT 0, last_error TEXT)";
    // v7: infrastructure cost from cloud bills (FOCUS), per day, apart
    // from calls; team/feature/agent are dims ids (0: untagged).
    static constexpr const char *kInfraCostsDdl =
        "CREATE TABLE infra_costs(id %ID%, day BIGINT NOT NULL, provider TEXT NOT NULL, service "
        "TEXT NOT NULL, resource TEXT NOT NULL, description TEXT NOT NULL, team_id BIGINT NOT "
        "NULL, feature_id BIGINT NOT NULL, agent_id BIGINT NOT NULL, cost_nusd BIGINT NOT NULL, "
        "source TEXT NOT NULL, dedupe_key BIGINT NOT NULL UNIQUE)";
    static constexpr const char *kWatchedFilesDdl =
        "CREATE TABLE watched_files(path TEXT NOT NULL, size BIGINT NOT NULL, mtime_ms BIGINT "
        "NOT NULL, state TEXT NOT NULL, at_ms BIGINT NOT NULL, message TEXT, PRIMARY KEY(path, "
        "size, mtime_ms))";

    // Brings `db` from its current version up to `target` (tests pass an
    // older target to build files as an earlier release wrote them).
    static void migrate(SqliteDb &db, int target = kCurrentVersion);
    static int version(SqliteDb &db);
    // The request-level indexes of v4. A bulk import drops them and builds
    // them again before its commit (see Importer): building an index from
    // sorted rows cost far less than keeping it current row by row.
    // The request-level indexes (see migrateTo4, migrateTo8 and
    // migrateTo13); v8-v12's cost index, which v13 replaces.
    static const char *const kCostIndexDdl;
    static const char *const kCostIndexDdlV8;
    static void createCallIndexes(Database &db);
    static void dropCallIndexes(Database &db);
    static int applicationId(SqliteDb &db);
    // An object in the file's schema that tokenledger did not create (a
    // trigger, a view, another table or index, an expression in a table):
    // "trigger t1" — or empty. A workspace from elsewhere is refused with it.
    static std::string foreignObject(SqliteDb &db);
    static bool isEmptyFile(SqliteDb &db);

    // ", records TYPE NOT NULL DEFAULT 0, …": every measure column of a
    // rollup, for either engine's DDL (INTEGER here, BIGINT on a server).
    static std::string measureColumnsDdl(const char *type);
    // Shared column lists, so the importer and the rebuild agree with the DDL.
    static const char *rollupDimColumns();
    // SELECT expressions over calls that produce kMeasureColumns, in order
    // (the first `count` of them).
    static std::string measureAggregatesSql(int count = MeasureCount);
    // A rollup grain's table (its keys of `type`, every measure, its keys as
    // the primary key), and the statement that sums it from the calls: for
    // both engines, a new ledger, an upgrade and a rebuild.
    static std::string rollupTableDdl(const RollupGrain &g, const char *type);
    static std::string fillRollupSql(const RollupGrain &g);
    // Runs it; on SQLite with the GROUP BY's sort in temporary files, not
    // memory (summing a task's days of 10M calls in memory peaked at 900 MB).
    static void fillRollup(Database &db, const RollupGrain &g);
};

} // namespace tl
