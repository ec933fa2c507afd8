#include "storecopy.h"

#include "pgdb.h"
#include "pgschema.h"

#include <chrono>
#include <set>
#include <vector>

namespace tl {

namespace {

struct TableCopy
{
    const char *table;
    const char *columns;
    const char *order;
    int blobColumn = -1; // read and written as bytes
    int dayColumn = -1;  // calls: which month partitions a server needs
};

// Every table but the rollups (rebuilt) and meta (copied key by key).
const TableCopy kTables[] = {
    {"dims", "id, kind, name", "id"},
    {"hashed_names", "id, kind, name", "id"},
    {"sources", "id, path, format, imported_at_ms, records, duplicates, rejected", "id"},
    {"calls",
     "id, ts_ms, day, hour, provider_id, model_id, team_id, feature_id, agent_id, user_id, "
     "task_id, status_id, requests, input_tokens, cached_input_tokens, cache_write_tokens, "
     "output_tokens, reasoning_tokens, computed_nusd, reported_nusd, latency_ms, outcome, "
     "value_nusd, batch, is_error, request_id, prompt_hash, tags, source_id, "
     "cache_write_1h_tokens, web_search_calls, file_search_calls, service_tier, long_context, "
     "tool_nusd",
     "id", -1, 2},
    {"dedupe_days", "day, keys", "day", 1},
    {"reported_costs",
     "id, source, bucket_start_ms, day, model, line_item, group_key, amount_nusd, dedupe_key",
     "id"},
    // A copy keeps which alerts went out (a collector on the copy does not resend them).
    {"alerts",
     "id, key, kind, created_at_ms, data_ts_ms, payload, sent_at_ms, attempts, "
     "next_attempt_ms, last_error",
     "id"},
    {"watched_files", "path, size, mtime_ms, state, at_ms, message", "path, size, mtime_ms"},
    {"infra_costs",
     "id, day, provider, service, resource, description, team_id, feature_id, agent_id, "
     "cost_nusd, source, dedupe_key",
     "id"},
};

// Meta keys that describe the store itself, not its content.
const std::set<std::string> kOwnMeta = {"integrity_checked_on", "application", "schema_version"};

int columnCount(const char *columns)
{
    int n = 1;
    for (const char *c = columns; *c; ++c)
        n += *c == ',';
    return n;
}

// Rows from `src` to a server: COPY text, 64k rows a stream.
void copyToServer(Statement &src, Database &to, const TableCopy &t, int width,
                  const std::function<bool()> &tick)
{
    auto &db = static_cast<PgDb &>(to);
    std::string rows;
    std::set<int64_t> months;
    int n = 0;
    auto flush = [&] {
        if (!rows.empty())
            db.copyIn(t.table, t.columns, rows);
        rows.clear();
        n = 0;
    };
    static const char *kHex = "0123456789abcdef";
    while (src.step()) {
        if (t.dayColumn >= 0) {
            const int64_t day = src.columnInt(t.dayColumn);
            if (months.insert(PgSchema::monthOf(day)).second) {
                flush(); // the partition before the rows that need it
                PgSchema::ensurePartition(to, day);
            }
        }
        for (int c = 0; c < width; ++c) {
            if (c)
                rows += '\t';
            if (src.columnIsNull(c)) {
                rows += "\\N";
            } else if (c == t.blobColumn) {
                rows += "\\\\x";
                for (unsigned char b : src.columnBlob(c)) {
                    rows += kHex[b >> 4];
                    rows += kHex[b & 15];
                }
            } else {
                PgDb::copyEscape(rows, src.columnText(c));
            }
        }
        rows += '\n';
        if (++n == 65536) {
            flush();
            if (!tick())
                throw StoreError(StoreError::Kind::Other, 0, "cancelled");
        }
    }
    flush();
}

// Rows from `src` to a file: one prepared INSERT, values as read (SQLite's
// INTEGER affinity stores a server's integer text as an integer).
void copyToFile(Statement &src, Database &to, const TableCopy &t, int width,
                const std::function<bool()> &tick)
{
    std::string params;
    for (int c = 0; c < width; ++c)
        params += c ? ", ?" : "?";
    Statement ins(to, std::string("INSERT INTO ") + t.table + "(" + t.columns + ") VALUES(" +
                          params + ")");
    int n = 0;
    while (src.step()) {
        for (int c = 0; c < width; ++c) {
            if (src.columnIsNull(c)) {
                ins.bindNull(c + 1);
            } else if (c == t.blobColumn) {
                const auto b = src.columnBlob(c);
                ins.bindBlob(c + 1, b.data(), int(b.size()));
            } else {
                ins.bind(c + 1, src.columnText(c));
            }
        }
        ins.step();
        ins.reset();
        if (++n % 65536 == 0 && !tick())
            throw StoreError(StoreError::Kind::Other, 0, "cancelled");
    }
}

} // namespace

StoreCopy::Result StoreCopy::run(Workspace &from, Workspace &to,
                                 const std::function<bool(int64_t, int64_t)> &progress)
{
    const auto started = std::chrono::steady_clock::now();
    Result res;
    try {
        Database &src = from.db();
        Database &dst = to.db();
        // One snapshot of the source: an import landing meanwhile is either
        // wholly in the copy or wholly not.
        Transaction read(src, Transaction::Read);
        Transaction write(dst);
        if (const int64_t there = dst.queryInt("SELECT COUNT(*) FROM calls"); there > 0) {
            res.error = to.path() + " already holds " + std::to_string(there) +
                        " calls; copy needs an empty workspace (nothing was written)";
            return res;
        }
        int64_t total = 0;
        for (const TableCopy &t : kTables)
            total += src.queryInt(std::string("SELECT COUNT(*) FROM ") + t.table);
        int64_t done = 0;
        // Whatever the new workspace held (the built-in catalog) gives way.
        for (const TableCopy &t : kTables)
            dst.exec(std::string("DELETE FROM ") + t.table);
        for (const TableCopy &t : kTables) {
            const int width = columnCount(t.columns);
            Statement sel(src,
                          std::string("SELECT ") + t.columns + " FROM " + t.table + " ORDER BY " +
                              t.order,
                          Statement::Scan);
            auto tick = [&] {
                done += 65536;
                return !progress || progress(std::min(done, total), total);
            };
            if (dst.engine() == Engine::Postgres)
                copyToServer(sel, dst, t, width, tick);
            else
                copyToFile(sel, dst, t, width, tick);
        }
        Statement meta(src, "SELECT key, value FROM meta ORDER BY key");
        Statement put(dst, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO "
                           "UPDATE SET value = excluded.value");
        while (meta.step()) {
            const std::string key(meta.columnText(0));
            if (kOwnMeta.count(key))
                continue;
            put.bind(1, key);
            put.bind(2, meta.columnText(1));
            put.step();
            put.reset();
        }
        if (dst.engine() == Engine::Postgres)
            PgSchema::syncSequences(dst);
        to.rebuildRollups();
        res.calls = dst.queryInt("SELECT COUNT(*) FROM calls");
        res.names = dst.queryInt("SELECT COUNT(*) FROM dims") +
                    dst.queryInt("SELECT COUNT(*) FROM hashed_names");
        write.commit();
        read.commit();
        to.dims().invalidate();
        std::string why;
        if (!to.reloadCatalog(&why)) {
            res.error = why;
            return res;
        }
        res.ok = true;
    } catch (const StoreError &e) {
        res.error = std::string(e.what()) == "cancelled"
                        ? "copy cancelled; nothing was written to " + to.path()
                        : std::string(e.what()) + "; nothing was written to " + to.path();
    }
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return res;
}

} // namespace tl
