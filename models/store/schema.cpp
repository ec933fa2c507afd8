#include "schema.h"

#include "core/measures.h"
#include "dayfactstable.h"
#include "rollupgrains.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>
#include <string>

namespace tl {

std::string Schema::measureColumnsDdl(const char *type)
{
    std::string s;
    for (auto c : kMeasureColumns)
        s += ", " + std::string(c) + " " + type + " NOT NULL DEFAULT 0";
    return s;
}

namespace {

std::string measureColumnsDdl()
{
    return Schema::measureColumnsDdl("INTEGER");
}

void createVersion1(SqliteDb &db)
{
    const std::string m = measureColumnsDdl();
    db.exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    // Dictionaries of names (see DimensionDictionary): 0 is "(none)" and never stored.
    db.exec("CREATE TABLE dims(id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, name TEXT NOT NULL, "
            "UNIQUE(kind, name))");
    db.exec("CREATE TABLE hashed_names(id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, name TEXT "
            "NOT NULL)");
    db.exec(
        "CREATE TABLE sources(id INTEGER PRIMARY KEY, path TEXT NOT NULL, format TEXT NOT NULL, "
        "imported_at_ms INTEGER NOT NULL, records INTEGER NOT NULL, duplicates INTEGER NOT NULL, "
        "rejected INTEGER NOT NULL)");
    // No UNIQUE index: one for dedupe cost 4-7x per inserted row (see
    // DedupeIndex). Every aggregate is answered from the rollups below; the
    // two indexes of v4 serve request-level reads.
    db.exec(
        "CREATE TABLE calls(id INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL, day INTEGER NOT NULL, "
        "hour INTEGER NOT NULL, provider_id INTEGER NOT NULL, model_id INTEGER NOT NULL, "
        "team_id INTEGER NOT NULL, feature_id INTEGER NOT NULL, agent_id INTEGER NOT NULL, "
        "user_id INTEGER NOT NULL, task_id INTEGER NOT NULL, status_id INTEGER NOT NULL, "
        "requests INTEGER NOT NULL, input_tokens INTEGER NOT NULL, cached_input_tokens INTEGER NOT "
        "NULL, "
        "cache_write_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, "
        "reasoning_tokens INTEGER NOT NULL, computed_nusd INTEGER, reported_nusd INTEGER, "
        "latency_ms INTEGER, outcome INTEGER NOT NULL, value_nusd INTEGER, batch INTEGER NOT NULL, "
        "is_error INTEGER NOT NULL, request_id TEXT, prompt_hash TEXT, tags TEXT, "
        "source_id INTEGER NOT NULL)");
    // Dedupe keys, one sorted array of 64-bit keys per UTC day (see DedupeIndex).
    db.exec("CREATE TABLE dedupe_days(day INTEGER PRIMARY KEY, keys BLOB NOT NULL)");
    const std::string dims = "provider_id INTEGER NOT NULL, model_id INTEGER NOT NULL, "
                             "team_id INTEGER NOT NULL, feature_id INTEGER NOT NULL, "
                             "agent_id INTEGER NOT NULL";
    const std::string pk = "agent_id, model_id, team_id, feature_id, provider_id";
    db.exec("CREATE TABLE rollup_hour(hour INTEGER NOT NULL, provider_id INTEGER NOT NULL, "
            "model_id INTEGER NOT NULL, team_id INTEGER NOT NULL, feature_id INTEGER NOT NULL" +
            m + ", PRIMARY KEY(hour, feature_id, model_id, team_id, provider_id)) WITHOUT ROWID");
    db.exec("CREATE TABLE rollup_day(day INTEGER NOT NULL, " + dims + m + ", PRIMARY KEY(day, " +
            pk + ")) WITHOUT ROWID");
}

// v2: per-user rollup. Keying the main rollups on user made them 40% of the
// calls table and no faster, so users get a rollup of their own.
void migrateTo2(SqliteDb &db)
{
    const std::string m = measureColumnsDdl();
    // Keyed on (day, user) alone: with team and model as well it held a row
    // per 1.5 calls on the demo fleet, which is no rollup at all.
    db.exec("CREATE TABLE rollup_user_day(day INTEGER NOT NULL, user_id INTEGER NOT NULL" + m +
            ", PRIMARY KEY(day, user_id)) WITHOUT ROWID");
}

// Filled once every migration has run: the aggregates read calls columns
// that later versions add.
void fillUserDayRollup(SqliteDb &db, int measures)
{
    std::string cols;
    for (int i = 0; i < measures; ++i)
        cols += ", " + std::string(kMeasureColumns[size_t(i)]);
    db.exec("INSERT INTO rollup_user_day(day, user_id" + cols + ") SELECT day, user_id, " +
            Schema::measureAggregatesSql(measures) + " FROM calls GROUP BY day, user_id");
}

// v3: amounts from providers' cost reports (OpenAI costs, Anthropic cost
// report), kept apart from calls: they are bills to check the calls
// against, not calls, and adding them to the totals would count twice.
void migrateTo3(SqliteDb &db)
{
    db.exec("CREATE TABLE reported_costs(id INTEGER PRIMARY KEY, source TEXT NOT NULL, "
            "bucket_start_ms INTEGER NOT NULL, day INTEGER NOT NULL, model TEXT, line_item TEXT, "
            "group_key TEXT, amount_nusd INTEGER NOT NULL, dedupe_key INTEGER NOT NULL UNIQUE)");
}

// v4: the two indexes the desktop app's request-level views need: an
// agent's calls in a period (drill-down to tasks and requests, a task's
// other calls) and calls in time order (the Requests table pages on it).
// Rollups answer everything above the task; these answer the rest without
// reading the whole table.
void migrateTo4(SqliteDb &db)
{
    Schema::createCallIndexes(db);
}

bool hasColumn(SqliteDb &db, const std::string &table, std::string_view column)
{
    Statement st(db, "SELECT 1 FROM pragma_table_info('" + table + "') WHERE name = ?");
    st.bindStatic(1, column);
    return st.step();
}

// v5: what a bill prices apart: 1-hour cache writes (2x input at Anthropic
// against 1.25x for 5-minute ones), web and file search calls (per call,
// not per token), the service tier and a reported long-context tier. Calls
// gain the columns and rollups the measures (a table created after v5's
// measures existed has them already: only missing ones are added).
void migrateTo5(SqliteDb &db)
{
    for (const char *col : {"cache_write_1h_tokens INTEGER NOT NULL DEFAULT 0",
                            "web_search_calls INTEGER NOT NULL DEFAULT 0",
                            "file_search_calls INTEGER NOT NULL DEFAULT 0",
                            // 0 standard, 1 priority, 2 flex (ServiceTier)
                            "service_tier INTEGER NOT NULL DEFAULT 0",
                            // NULL: by the catalog's threshold; 0/1 as the source reported it
                            "long_context INTEGER",
                            // the search calls' part of computed_nusd; NULL when none
                            "tool_nusd INTEGER"})
        if (const std::string def = col; !hasColumn(db, "calls", def.substr(0, def.find(' '))))
            db.exec("ALTER TABLE calls ADD COLUMN " + def);
    for (const char *table : {"rollup_hour", "rollup_day", "rollup_user_day"})
        for (int m = MCacheWrite1hTokens; m < MeasureCount; ++m)
            if (!hasColumn(db, table, kMeasureColumns[size_t(m)]))
                db.exec(std::string("ALTER TABLE ") + table + " ADD COLUMN " +
                        std::string(kMeasureColumns[size_t(m)]) + " INTEGER NOT NULL DEFAULT 0");
}

// v6: live collection. Alerts raised (budgets and anomalies, as data
// lands) with their delivery state, so that a restart never resends one;
// and the files `watch` has seen, so that a restart never re-imports or
// retries one.
void migrateTo6(SqliteDb &db)
{
    // IF NOT EXISTS: a file that an older release marked older than it is
    // (a restored backup's user_version) may hold them already.
    auto ifMissing = [](std::string ddl) {
        return ddl.replace(0, 13, "CREATE TABLE IF NOT EXISTS ");
    };
    std::string alerts = Schema::kAlertsDdl;
    alerts.replace(alerts.find("%ID%"), 4, "INTEGER PRIMARY KEY");
    db.exec(ifMissing(alerts));
    db.exec(ifMissing(Schema::kWatchedFilesDdl));
}

// v7: infrastructure cost read from cloud bills in FOCUS (AWS, Azure,
// Google Cloud), kept apart from calls like the providers' cost reports.
void migrateTo7(SqliteDb &db)
{
    std::string ddl = Schema::kInfraCostsDdl;
    ddl.replace(ddl.find("%ID%"), 4, "INTEGER PRIMARY KEY");
    db.exec(ddl.replace(0, 13, "CREATE TABLE IF NOT EXISTS "));
}

// v8: calls in cost order, for the Requests table sorted by cost: without
// it a page of the month's costliest calls sorted every call of the period
// (1.4 s at 10M calls); with it the page walks the index (see RequestQuery).
void migrateTo8(SqliteDb &db)
{
    db.exec("CREATE INDEX IF NOT EXISTS calls_agent_ts ON calls(agent_id, ts_ms)");
    db.exec("CREATE INDEX IF NOT EXISTS calls_ts ON calls(ts_ms)");
    db.exec(std::string(Schema::kCostIndexDdlV8).insert(13, "IF NOT EXISTS "));
}

// v9: the day's rollup key by hour (kRollupAgentHour), summed from the
// calls once (a few seconds at 10M calls), then kept by every import.
void migrateTo9(SqliteDb &db)
{
    const RollupGrain &g = kRollupAgentHour;
    db.exec(Schema::rollupTableDdl(g, "INTEGER").insert(13, "IF NOT EXISTS ") + " WITHOUT ROWID");
    db.exec(std::string("DELETE FROM ") + g.table);
    Schema::fillRollup(db, g);
}

// v10: what the Simulator's baseline and the decision layer read from
// single calls (prompt repeats, retries, batch use), by day and agent
// (DayFactsTable), counted from the calls once, then kept by every import.
void migrateTo10(SqliteDb &db)
{
    db.exec(DayFactsTable::tableDdl("INTEGER").insert(13, "IF NOT EXISTS ") + " WITHOUT ROWID");
    db.exec(DayFactsTable::dirtyDdl("INTEGER").insert(13, "IF NOT EXISTS "));
    db.exec(std::string("DELETE FROM ") + DayFactsTable::kTable);
    DayFactsTable::markAllDirty(db);
}

// v11: each day's costliest tasks (DayFactsTable::kTasksTable), counted
// with the facts: every day is recounted once (see migrate()).
void migrateTo11(SqliteDb &db)
{
    db.exec(DayFactsTable::tasksDdl("INTEGER").insert(13, "IF NOT EXISTS ") + " WITHOUT ROWID");
    db.exec(std::string("DELETE FROM ") + DayFactsTable::kTasksTable);
    DayFactsTable::markAllDirty(db);
}

// v12: a task's day (kRollupTaskDay), summed from the calls once (20 s at
// 10M calls), then kept by every import.
void migrateTo12(SqliteDb &db)
{
    const RollupGrain &g = kRollupTaskDay;
    db.exec(Schema::rollupTableDdl(g, "INTEGER").insert(13, "IF NOT EXISTS ") + " WITHOUT ROWID");
    db.exec(std::string("DELETE FROM ") + g.table);
    Schema::fillRollup(db, g);
}

// v13: the cost index carries the agent, so that a page of one agent's
// costliest calls skips the other agents' in the index instead of reading
// their rows (see RequestQuery): the busiest agent of a 30-agent fleet at
// 10M calls, a tenth of the calls but few of the costliest, read 105k rows
// for a page of 500 (0.3 s) and now 500 (6 ms); 2 bytes a call more.
void migrateTo13(SqliteDb &db)
{
    db.exec("DROP INDEX IF EXISTS calls_cost");
    // Sorted in temporary files, as the import's index builds (in memory
    // this upgrade of a 10M-call file peaked at 592 MB).
    db.exec("PRAGMA temp_store = FILE");
    try {
        db.exec(Schema::kCostIndexDdl);
    } catch (...) {
        db.exec("PRAGMA temp_store = MEMORY");
        throw;
    }
    db.exec("PRAGMA temp_store = MEMORY");
}

} // namespace

const char *const Schema::kCostIndexDdl =
    "CREATE INDEX calls_cost ON calls(COALESCE(reported_nusd, computed_nusd, 0), agent_id)";
const char *const Schema::kCostIndexDdlV8 =
    "CREATE INDEX calls_cost ON calls(COALESCE(reported_nusd, computed_nusd, 0))";

void Schema::createCallIndexes(Database &db)
{
    db.exec("CREATE INDEX IF NOT EXISTS calls_agent_ts ON calls(agent_id, ts_ms)");
    db.exec("CREATE INDEX IF NOT EXISTS calls_ts ON calls(ts_ms)");
    std::string cost = kCostIndexDdl;
    db.exec(cost.insert(13, "IF NOT EXISTS "));
}

void Schema::dropCallIndexes(Database &db)
{
    db.exec("DROP INDEX IF EXISTS calls_agent_ts");
    db.exec("DROP INDEX IF EXISTS calls_ts");
    db.exec("DROP INDEX IF EXISTS calls_cost");
}

std::string Schema::measureAggregatesSql(int count)
{
    // One expression per kMeasureColumns entry, in order; measuresOf() is
    // the per-record twin.
    static constexpr std::array<const char *, MeasureCount> kAggregates = {
        "COUNT(*)",
        "SUM(requests)",
        "SUM(input_tokens)",
        "SUM(cached_input_tokens)",
        "SUM(cache_write_tokens)",
        "SUM(output_tokens)",
        "SUM(reasoning_tokens)",
        "SUM(COALESCE(reported_nusd, computed_nusd, 0))",
        "SUM(COALESCE(computed_nusd, 0))",
        "SUM(COALESCE(reported_nusd, 0))",
        "SUM(CASE WHEN reported_nusd IS NOT NULL THEN COALESCE(computed_nusd, 0) ELSE 0 END)",
        "SUM(CASE WHEN reported_nusd IS NULL AND computed_nusd IS NULL THEN requests ELSE 0 END)",
        "SUM(CASE WHEN is_error <> 0 THEN requests ELSE 0 END)",
        "SUM(CASE WHEN outcome = 1 THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN outcome IN (2, 3) THEN 1 ELSE 0 END)",
        "SUM(COALESCE(value_nusd, 0))",
        "SUM(COALESCE(latency_ms, 0))",
        "COUNT(latency_ms)",
        "SUM(cache_write_1h_tokens)",
        "SUM(web_search_calls)",
        "SUM(file_search_calls)",
        "SUM(COALESCE(tool_nusd, 0))"};
    std::string sql;
    for (int i = 0; i < count && i < MeasureCount; ++i)
        sql += (i ? ", " : "") + std::string(kAggregates[size_t(i)]);
    return sql;
}

std::string Schema::rollupTableDdl(const RollupGrain &g, const char *type)
{
    std::string keys;
    for (std::string_view k = g.keys; !k.empty();) {
        const size_t comma = std::min(k.find(','), k.size());
        keys.append(k.substr(0, comma)).append(" ").append(type).append(" NOT NULL, ");
        k = comma < k.size() ? k.substr(comma + 2) : std::string_view();
    }
    keys.resize(keys.size() - 2);
    return std::string("CREATE TABLE ") + g.table + "(" + keys + measureColumnsDdl(type) +
           ", PRIMARY KEY(" + g.keys + "))";
}

std::string Schema::fillRollupSql(const RollupGrain &g)
{
    std::string cols;
    for (auto c : kMeasureColumns)
        cols.append(", ").append(c);
    return std::string("INSERT INTO ") + g.table + "(" + g.keys + cols + ") SELECT " + g.keys +
           ", " + measureAggregatesSql() + " FROM calls GROUP BY " + g.keys + " ORDER BY " +
           g.keys; // a server's heap keeps the order rows arrive in (see RollupWriter)
}

void Schema::fillRollup(Database &db, const RollupGrain &g)
{
    if (db.engine() != Engine::Sqlite) {
        db.exec(fillRollupSql(g));
        return;
    }
    db.exec("PRAGMA temp_store = FILE");
    try {
        db.exec(fillRollupSql(g));
    } catch (...) {
        db.exec("PRAGMA temp_store = MEMORY");
        throw;
    }
    db.exec("PRAGMA temp_store = MEMORY");
}

const char *Schema::rollupDimColumns()
{
    return "provider_id, model_id, team_id, feature_id, agent_id";
}

int Schema::version(SqliteDb &db)
{
    return int(db.queryInt("PRAGMA user_version"));
}

std::string Schema::foreignObject(SqliteDb &db)
{
    static const char *const kTables[] = {"meta",
                                          "dims",
                                          "hashed_names",
                                          "sources",
                                          "calls",
                                          "dedupe_days",
                                          "rollup_hour",
                                          "rollup_day",
                                          "rollup_user_day",
                                          "reported_costs",
                                          "alerts",
                                          "watched_files",
                                          "infra_costs",
                                          "rollup_agent_hour",
                                          "agent_day_facts",
                                          "facts_dirty",
                                          "agent_day_tasks",
                                          "rollup_task_day"};
    static const std::pair<const char *, const char *> kIndexes[] = {
        {"calls_agent_ts", "CREATE INDEX calls_agent_ts ON calls(agent_id, ts_ms)"},
        {"calls_ts", "CREATE INDEX calls_ts ON calls(ts_ms)"},
        {"calls_cost", Schema::kCostIndexDdl},
        {"calls_cost", Schema::kCostIndexDdlV8}}; // until the migration to v13
    auto upper = [](std::string s) {
        for (char &c : s)
            c = char(std::toupper(static_cast<unsigned char>(c)));
        return s;
    };
    Statement st(db, "SELECT type, name, COALESCE(sql, '') FROM sqlite_schema");
    while (st.step()) {
        const std::string type(st.columnText(0)), name(st.columnText(1)), sql(st.columnText(2));
        const std::string what = type + " " + name;
        if (type == "table") {
            if (std::find_if(std::begin(kTables), std::end(kTables),
                             [&](const char *t) { return name == t; }) == std::end(kTables))
                return what;
            // Our tables hold plain columns: an expression (a generated
            // column, a CHECK, a DEFAULT (…)) is code someone added.
            const std::string u = upper(sql);
            for (const char *word : {"GENERATED", " AS (", " AS(", "CHECK", "DEFAULT (", "DEFAULT(",
                                     "REFERENCES", "COLLATE"})
                if (u.find(word) != std::string::npos)
                    return what + " (an expression in its definition)";
        } else if (type == "index") {
            if (name.rfind("sqlite_autoindex_", 0) == 0 && sql.empty())
                continue; // the index of a UNIQUE or PRIMARY KEY constraint
            bool ours = false;
            for (const auto &[n, s] : kIndexes)
                ours |= name == n && sql == s;
            if (!ours)
                return what;
        } else {
            return what; // triggers and views: we create none
        }
    }
    return {};
}

int Schema::applicationId(SqliteDb &db)
{
    return int(db.queryInt("PRAGMA application_id"));
}

bool Schema::isEmptyFile(SqliteDb &db)
{
    return db.queryInt("SELECT COUNT(*) FROM sqlite_schema") == 0;
}

void Schema::migrate(SqliteDb &db, int target)
{
    int v = version(db);
    if (v == 0) {
        db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
        createVersion1(db);
        v = 1;
    }
    bool fillUserDay = false;
    if (v < 2 && target >= 2) {
        migrateTo2(db);
        fillUserDay = true;
        v = 2;
    }
    if (v < 3 && target >= 3) {
        migrateTo3(db);
        v = 3;
    }
    if (v < 4 && target >= 4) {
        migrateTo4(db);
        v = 4;
    }
    if (v < 5 && target >= 5) {
        migrateTo5(db);
        v = 5;
    }
    if (v < 6 && target >= 6) {
        migrateTo6(db);
        v = 6;
    }
    if (v < 7 && target >= 7) {
        migrateTo7(db);
        v = 7;
    }
    if (v < 8 && target >= 8) {
        migrateTo8(db);
        v = 8;
    }
    if (v < 9 && target >= 9) {
        migrateTo9(db);
        v = 9;
    }
    // v10 and v11 mark every day; one recount fills both of their tables.
    bool recount = false;
    if (v < 10 && target >= 10) {
        migrateTo10(db);
        recount = true;
        v = 10;
    }
    if (v < 11 && target >= 11) {
        migrateTo11(db);
        recount = true;
        v = 11;
    }
    if (v < 12 && target >= 12) {
        migrateTo12(db);
        v = 12;
    }
    if (v < 13 && target >= 13) {
        migrateTo13(db);
        v = 13;
    }
    if (recount && v >= 11)
        DayFactsTable::refresh(db);
    if (fillUserDay)
        fillUserDayRollup(db, v >= 5 ? int(MeasureCount) : int(MCacheWrite1hTokens));
    db.exec("PRAGMA user_version = " + std::to_string(v));
}

} // namespace tl
