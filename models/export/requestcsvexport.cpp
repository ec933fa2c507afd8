#include "requestcsvexport.h"

#include "core/timeutil.h"
#include "export/csvwriter.h"

#include <cstdio>
#include <filesystem>

namespace tl {

std::string RequestCsvExport::header()
{
    return CsvWriter::row({"id", "time", "provider", "model", "team", "feature", "agent", "user",
                           "task", "status", "request_id", "requests", "input_tokens",
                           "cached_input_tokens", "cache_write_tokens", "output_tokens",
                           "reasoning_tokens", "cost_usd", "computed_cost_usd",
                           "reported_cost_usd", "latency_ms"});
}

std::string RequestCsvExport::row(const RequestRow &r)
{
    auto opt = [](const std::optional<int64_t> &v) {
        return v ? nanoToDecimal(*v) : std::string();
    };
    const std::vector<std::string> cells = {
        std::to_string(r.id), formatTimestamp(r.tsMs), r.provider, r.model, r.team, r.feature,
        r.agent, r.user, r.task, r.status, r.requestId, std::to_string(r.requests),
        std::to_string(r.input), std::to_string(r.cached), std::to_string(r.cacheWrite),
        std::to_string(r.output), std::to_string(r.reasoning), nanoToDecimal(r.costNusd),
        opt(r.computedNusd), opt(r.reportedNusd),
        r.latencyMs ? std::to_string(*r.latencyMs) : std::string()};
    static const std::vector<bool> numeric = {true,  false, false, false, false, false, false,
                                              false, false, false, false, true,  true,  true,
                                              true,  true,  true,  true,  true,  true,  true};
    return CsvWriter::row(cells, numeric);
}

bool RequestCsvExport::write(Workspace &ws, const CallFilter &filter, RequestSort sort,
                             const std::string &search, const std::string &path,
                             const Progress &progress, std::string *error, int64_t *rows)
{
    const std::string tmp = path + ".part";
    FILE *f = std::fopen(tmp.c_str(), "wb");
    if (!f) {
        if (error)
            *error = path + ": cannot be written";
        return false;
    }
    std::string h = header();
    bool ok = std::fwrite(h.data(), 1, h.size(), f) == h.size();
    int64_t n = 0;
    RequestCursor cursor;
    while (ok) {
        RequestPage p = RequestQuery::page(ws, filter, sort, search, cursor, 5000);
        std::string chunk;
        for (const auto &r : p.rows)
            chunk += row(r);
        ok = std::fwrite(chunk.data(), 1, chunk.size(), f) == chunk.size();
        n += int64_t(p.rows.size());
        cursor = p.next;
        if (progress && !progress(n)) {
            std::fclose(f);
            std::remove(tmp.c_str());
            if (error)
                *error = "cancelled: " + path + " was not written";
            return false;
        }
        if (p.atEnd)
            break;
    }
    ok = std::fclose(f) == 0 && ok;
    std::error_code ec;
    if (ok)
        std::filesystem::rename(tmp, path, ec);
    if (!ok || ec) {
        std::remove(tmp.c_str());
        if (error)
            *error = path + ": cannot be written (disk full?)";
        return false;
    }
    if (rows)
        *rows = n;
    return true;
}

} // namespace tl
