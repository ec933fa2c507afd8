#include "litellmdatabase.h"

#include "chunkreader.h"
#include "litellmreader.h"
#include "store/pgdb.h"
#include "store/workspace.h"

#include <chrono>
#include <set>

namespace tl {

namespace {

// A literal for SQL text (COPY takes no parameters): quotes doubled, under
// standard_conforming_strings (on since PostgreSQL 9.1).
std::string literal(const std::string &s)
{
    std::string out = "'";
    for (char c : s) {
        if (c == '\0')
            continue;
        if (c == '\'')
            out += '\'';
        out += c;
    }
    return out + "'";
}

// What the LiteLLM reader reads, in the table's own column names; the
// prompts and responses (messages, response, proxy_server_request) are
// never read. Newer columns are taken when the table has them.
const char *const kColumns[] = {"request_id",
                                "startTime",
                                "endTime",
                                "request_duration_ms",
                                "model",
                                "model_group",
                                "custom_llm_provider",
                                "prompt_tokens",
                                "completion_tokens",
                                "spend",
                                "user",
                                "end_user",
                                "team_id",
                                "session_id",
                                "status",
                                "agent_id",
                                "metadata",
                                "request_tags"};

} // namespace

LiteLlmDatabaseResult LiteLlmDatabase::importInto(Workspace &ws, const std::string &uri,
                                                  const ImportOptions &options, int64_t pageRows)
{
    const auto started = std::chrono::steady_clock::now();
    LiteLlmDatabaseResult res;
    if (!isServerTarget(uri)) {
        res.error = "--from-litellm " + uri +
                    ": expected the proxy's PostgreSQL database, postgresql://USER@HOST:PORT/DB";
        return res;
    }
    try {
        PgDb src(uri);
        res.source = src.describe();
        // Read-only on the source, whatever the role may do.
        src.exec("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
        src.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        std::set<std::string> present;
        {
            Statement cols(src, "SELECT column_name FROM information_schema.columns WHERE "
                                "table_schema = current_schema() AND table_name = "
                                "'LiteLLM_SpendLogs'");
            while (cols.step())
                present.insert(std::string(cols.columnText(0)));
        }
        if (present.empty()) {
            res.error =
                res.source + ": no LiteLLM_SpendLogs table (is this the LiteLLM proxy's database?)";
            return res;
        }
        for (const char *required :
             {"request_id", "startTime", "prompt_tokens", "completion_tokens"})
            if (!present.count(required)) {
                res.error = res.source + ": LiteLLM_SpendLogs has no \"" + required + "\" column";
                return res;
            }
        std::string select;
        for (const char *c : kColumns) {
            if (!present.count(c))
                continue;
            const std::string name = c;
            select += select.empty() ? "" : ", ";
            // Prisma keeps DateTime as timestamp(3) in UTC, without a zone: said so here.
            if (name == "startTime" || name == "endTime")
                select += "to_char(\"" + name + "\", 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS \"" +
                          name + "\"";
            else
                select += "\"" + name + "\"";
        }

        // Where the last run stopped, less the overlap.
        const std::string cursorKey = "litellm_cursor " + res.source;
        std::string afterTs = "-infinity", afterId;
        if (const std::string c = ws.metaValue(cursorKey); !c.empty()) {
            const size_t bar = c.find('|');
            Statement back(src, "SELECT to_char(?::timestamp - make_interval(secs => ?), "
                                "'YYYY-MM-DD HH24:MI:SS.US')");
            back.bind(1, c.substr(0, bar));
            back.bind(2, double(kOverlapMs) / 1000.0);
            if (back.step())
                afterTs = std::string(back.columnText(0));
        }
        ImportOptions opt = options;
        opt.format = "litellm-csv";
        const std::string label = "litellm " + res.source;
        for (;;) {
            const std::string where = "(\"startTime\", request_id) > (" + literal(afterTs) +
                                      "::timestamp, " + literal(afterId) + ")";
            const std::string page = "SELECT * FROM \"LiteLLM_SpendLogs\" WHERE " + where +
                                     " ORDER BY \"startTime\", request_id LIMIT " +
                                     std::to_string(pageRows);
            // The page's last key, at the column's own precision.
            Statement last(src, "SELECT to_char(\"startTime\", 'YYYY-MM-DD HH24:MI:SS.US'), "
                                "request_id, COUNT(*) OVER () FROM (" +
                                    page +
                                    ") p ORDER BY \"startTime\" DESC, request_id DESC LIMIT 1");
            if (!last.step())
                break;
            const std::string nextTs(last.columnText(0)), nextId(last.columnText(1));
            const int64_t rows = last.columnInt(2);
            last.reset();
            std::string csv;
            src.copyOut("SELECT " + select + " FROM (" + page +
                            ") p ORDER BY \"startTime\", request_id",
                        "FORMAT csv, HEADER", csv);
            auto in = std::make_unique<ChunkReader>();
            in->openText(std::move(csv));
            auto reader =
                std::make_unique<LiteLlmReader>(std::move(in), label, StructuredReader::Shape::Csv);
            FileImportResult r =
                Importer(ws).importReader(std::move(reader), label, opt.format, opt);
            if (!r.ok) {
                res.error = r.error;
                return res;
            }
            opt.sourceId = r.sourceId; // one sources row for the run
            ++res.pages;
            res.rows += rows;
            res.imported += r.imported;
            res.duplicates += r.duplicates;
            res.rejected += r.rejected;
            res.unpriced += r.unpriced;
            // After the page's commit: a crash in between re-reads the page, which dedupes.
            ws.setMetaValue(cursorKey, nextTs + "|" + nextId);
            res.upTo = nextTs;
            afterTs = nextTs;
            afterId = nextId;
            if (rows < pageRows)
                break;
        }
        src.exec("COMMIT");
        res.ok = true;
    } catch (const StoreError &e) {
        res.error = (res.source.empty() ? uri : res.source) + ": " + e.what();
    }
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return res;
}

} // namespace tl
