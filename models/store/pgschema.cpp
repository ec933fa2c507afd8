#include "pgschema.h"

#include "core/measures.h"
#include "dayfactstable.h"
#include "rollupgrains.h"
#include "schema.h"

#include <ctime>

namespace tl {

namespace {

// v6 (as the SQLite workspace's): alerts and their delivery, watched files.
void createVersion6(PgDb &db)
{
    std::string alerts = Schema::kAlertsDdl;
    alerts.replace(alerts.find("%ID%"), 4, "BIGSERIAL PRIMARY KEY");
    db.exec(alerts);
    db.exec(Schema::kWatchedFilesDdl);
}

void createVersion7(PgDb &db)
{
    std::string ddl = Schema::kInfraCostsDdl;
    ddl.replace(ddl.find("%ID%"), 4, "BIGSERIAL PRIMARY KEY");
    db.exec(ddl);
}

// v8: calls in cost order (the Requests table sorted by cost), as the
// SQLite workspace's.
void createVersion8(PgDb &db)
{
    std::string cost = Schema::kCostIndexDdlV8;
    db.exec(cost.insert(13, "IF NOT EXISTS "));
}

// v9: the day's rollup key by hour (kRollupAgentHour), summed from the
// calls once, then kept by every import.
void createVersion9(PgDb &db)
{
    db.exec(Schema::rollupTableDdl(kRollupAgentHour, "BIGINT"));
    db.exec(Schema::fillRollupSql(kRollupAgentHour));
}

// v10: prompt repeats, retries and batch use by day and agent
// (DayFactsTable), counted from the calls once, then kept by every import.
void createVersion10(PgDb &db)
{
    db.exec(DayFactsTable::tableDdl("BIGINT"));
    db.exec(DayFactsTable::dirtyDdl("BIGINT"));
    DayFactsTable::markAllDirty(db);
}

// v11: each day's costliest tasks, counted with the facts (v10's too).
void createVersion11(PgDb &db)
{
    db.exec(DayFactsTable::tasksDdl("BIGINT"));
    DayFactsTable::markAllDirty(db);
    DayFactsTable::refresh(db);
}

// v12: a task's day (kRollupTaskDay), summed from the calls once.
void createVersion12(PgDb &db)
{
    db.exec(Schema::rollupTableDdl(kRollupTaskDay, "BIGINT"));
    db.exec(Schema::fillRollupSql(kRollupTaskDay));
}

// v13: the cost index carries the agent (see the SQLite migration).
void createVersion13(PgDb &db)
{
    db.exec("DROP INDEX IF EXISTS calls_cost");
    db.exec(Schema::kCostIndexDdl);
}

void create(PgDb &db)
{
    db.exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    db.exec("CREATE TABLE dims(id BIGINT PRIMARY KEY, kind BIGINT NOT NULL, name TEXT NOT NULL, "
            "UNIQUE(kind, name))");
    db.exec("CREATE TABLE hashed_names(id BIGINT PRIMARY KEY, kind BIGINT NOT NULL, name TEXT "
            "NOT NULL)");
    db.exec("CREATE TABLE sources(id BIGSERIAL PRIMARY KEY, path TEXT NOT NULL, format TEXT NOT "
            "NULL, imported_at_ms BIGINT NOT NULL, records BIGINT NOT NULL, duplicates BIGINT NOT "
            "NULL, rejected BIGINT NOT NULL)");
    // Partitioned by month of `day`: a month is dropped, vacuumed or moved
    // to another node (see README, "Past one server") as a unit. A
    // partitioned table takes no identity column before PostgreSQL 17, so
    // ids come from a plain sequence.
    db.exec("CREATE SEQUENCE calls_id_seq AS BIGINT");
    db.exec(
        "CREATE TABLE calls(id BIGINT NOT NULL DEFAULT nextval('calls_id_seq'), ts_ms BIGINT NOT "
        "NULL, day BIGINT NOT NULL, hour BIGINT NOT NULL, provider_id BIGINT NOT NULL, model_id "
        "BIGINT NOT NULL, team_id BIGINT NOT NULL, feature_id BIGINT NOT NULL, agent_id BIGINT "
        "NOT NULL, user_id BIGINT NOT NULL, task_id BIGINT NOT NULL, status_id BIGINT NOT NULL, "
        "requests BIGINT NOT NULL, input_tokens BIGINT NOT NULL, cached_input_tokens BIGINT NOT "
        "NULL, cache_write_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, "
        "reasoning_tokens BIGINT NOT NULL, computed_nusd BIGINT, reported_nusd BIGINT, latency_ms "
        "BIGINT, outcome BIGINT NOT NULL, value_nusd BIGINT, batch BIGINT NOT NULL, is_error "
        "BIGINT NOT NULL, request_id TEXT, prompt_hash TEXT, tags TEXT, source_id BIGINT NOT "
        "NULL, cache_write_1h_tokens BIGINT NOT NULL DEFAULT 0, web_search_calls BIGINT NOT NULL "
        "DEFAULT 0, file_search_calls BIGINT NOT NULL DEFAULT 0, service_tier BIGINT NOT NULL "
        "DEFAULT 0, long_context BIGINT, tool_nusd BIGINT) PARTITION BY RANGE (day)");
    db.exec("ALTER SEQUENCE calls_id_seq OWNED BY calls.id");
    // The call detail finds a call by id; the request-level views read an
    // agent's calls and calls in time order (as the SQLite indexes of v4).
    db.exec("CREATE INDEX calls_id ON calls(id)");
    db.exec("CREATE INDEX calls_agent_ts ON calls(agent_id, ts_ms)");
    db.exec("CREATE INDEX calls_ts ON calls(ts_ms)");
    db.exec(Schema::kCostIndexDdl);
    db.exec("CREATE TABLE dedupe_days(day BIGINT PRIMARY KEY, keys BYTEA NOT NULL)");
    for (const RollupGrain &g : kRollupGrains)
        db.exec(Schema::rollupTableDdl(g, "BIGINT"));
    db.exec("CREATE TABLE reported_costs(id BIGSERIAL PRIMARY KEY, source TEXT NOT NULL, "
            "bucket_start_ms BIGINT NOT NULL, day BIGINT NOT NULL, model TEXT, line_item TEXT, "
            "group_key TEXT, amount_nusd BIGINT NOT NULL, dedupe_key BIGINT NOT NULL UNIQUE)");
    createVersion6(db);
    createVersion7(db);
    createVersion10(db);
    createVersion11(db);
    Statement meta(db, "INSERT INTO meta(key, value) VALUES('application', ?), "
                       "('schema_version', ?)");
    meta.bind(1, PgSchema::kApplication);
    meta.bind(2, std::to_string(PgSchema::kCurrentVersion));
    meta.step();
}

std::string metaValue(PgDb &db, const char *key)
{
    Statement st(db, "SELECT value FROM meta WHERE key = ?");
    st.bind(1, key);
    return st.step() ? std::string(st.columnText(0)) : std::string();
}

} // namespace

PgSchema::State PgSchema::state(PgDb &db, std::string *why)
{
    // Only the schema we work in (search_path's first) counts: a database
    // can hold other programs' schemas beside ours.
    const int64_t tables = db.queryInt(
        "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()");
    if (tables == 0)
        return State::Empty;
    if (db.queryInt("SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = "
                    "current_schema() AND tablename = 'meta'") == 0) {
        *why = "its schema holds " + std::to_string(tables) + " tables and none is ours";
        return State::Foreign;
    }
    std::string app, version;
    try {
        app = metaValue(db, "application");
        version = metaValue(db, "schema_version");
    } catch (const StoreError &e) {
        *why = e.what();
        return State::Foreign;
    }
    if (app != kApplication) {
        *why = "its meta table is another program's";
        return State::Foreign;
    }
    const int v = std::atoi(version.c_str());
    if (v > kCurrentVersion) {
        *why = "written by a newer tokenledger (ledger schema v" + version +
               "; this program reads up to v" + std::to_string(kCurrentVersion) + ")";
        return State::Newer;
    }
    return v < kCurrentVersion ? State::Older : State::Current;
}

PgSchema::State PgSchema::prepare(PgDb &db, std::string *why)
{
    const State s = state(db, why);
    if (s == State::Empty) {
        create(db);
        return State::Current;
    }
    if (s == State::Older) {
        // v5 was the first server schema; each later version's step runs
        // here, in the caller's transaction (under the writers' lock).
        const int v = std::atoi(metaValue(db, "schema_version").c_str());
        if (v < 5) {
            *why = "an unknown older ledger schema (v" + std::to_string(v) + ")";
            return State::Foreign;
        }
        if (v < 6)
            createVersion6(db);
        if (v < 7)
            createVersion7(db);
        if (v < 8)
            createVersion8(db);
        if (v < 9)
            createVersion9(db);
        if (v < 10)
            createVersion10(db);
        if (v < 11)
            createVersion11(db);
        if (v < 12)
            createVersion12(db);
        if (v < 13)
            createVersion13(db);
        Statement set(db, "UPDATE meta SET value = ? WHERE key = 'schema_version'");
        set.bind(1, std::to_string(kCurrentVersion));
        set.step();
        return State::Current;
    }
    return s;
}

void PgSchema::syncSequences(Database &db)
{
    db.exec("SELECT setval('calls_id_seq', COALESCE((SELECT MAX(id) FROM calls), 0) + 1, false)");
    for (const char *t : {"sources", "reported_costs", "alerts", "infra_costs"})
        db.exec(std::string("SELECT setval(pg_get_serial_sequence('") + t + "', 'id'), " +
                "COALESCE((SELECT MAX(id) FROM " + t + "), 0) + 1, false)");
}

int64_t PgSchema::monthOf(int64_t day)
{
    const time_t t = time_t(day) * 86400;
    std::tm tm{};
    gmtime_r(&t, &tm);
    return int64_t(tm.tm_year) * 12 + tm.tm_mon;
}

void PgSchema::ensurePartition(Database &db, int64_t day)
{
    const time_t t = time_t(day) * 86400;
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::tm first{};
    first.tm_year = tm.tm_year;
    first.tm_mon = tm.tm_mon;
    first.tm_mday = 1;
    const int64_t from = int64_t(timegm(&first)) / 86400;
    first.tm_mon += 1;
    const int64_t to = int64_t(timegm(&first)) / 86400;
    char name[32];
    std::snprintf(name, sizeof name, "calls_%04d_%02d", tm.tm_year + 1900, tm.tm_mon + 1);
    // The name is built from two integers, never from a log's text.
    db.exec(std::string("CREATE TABLE IF NOT EXISTS ") + name +
            " PARTITION OF calls FOR VALUES FROM (" + std::to_string(from) + ") TO (" +
            std::to_string(to) + ")");
}

} // namespace tl
