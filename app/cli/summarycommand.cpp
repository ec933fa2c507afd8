#include "clicontext.h"

#include "jsonfile.h"

#include "core/timeutil.h"
#include "export/csvwriter.h"
#include "query/coverage.h"
#include "query/infraquery.h"
#include "query/summaryquery.h"
#include "store/workspace.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace tl::cli {

namespace {

// Money in JSON is an exact decimal built from nano-dollars, not a double.
nlohmann::json money(int64_t nusd)
{
    return nlohmann::json::parse(nanoToDecimal(nusd));
}

nlohmann::json coverageJson(const Coverage &c)
{
    const auto day = [](const std::optional<int64_t> &d) {
        return d ? nlohmann::json(formatDate(*d)) : nlohmann::json();
    };
    nlohmann::json j;
    j["from"] = c.days() ? nlohmann::json(formatDate(c.fromDay)) : nlohmann::json();
    j["to"] = c.days() ? nlohmann::json(formatDate(c.toDay)) : nlohmann::json();
    j["days"] = c.days();
    j["first_day"] = day(c.firstDay);
    j["last_day"] = day(c.lastDay);
    j["days_with_data"] = c.daysWithData;
    j["complete"] = c.complete();
    return j;
}

nlohmann::json measuresJson(const Measures &m)
{
    return {{"records", m[MRecords]},
            {"requests", m[MRequests]},
            {"input_tokens", m[MInputTokens]},
            {"cached_input_tokens", m[MCachedInputTokens]},
            {"cache_write_tokens", m[MCacheWriteTokens]},
            {"output_tokens", m[MOutputTokens]},
            {"reasoning_tokens", m[MReasoningTokens]},
            {"cache_write_1h_tokens", m[MCacheWrite1hTokens]},
            {"web_search_calls", m[MWebSearchCalls]},
            {"file_search_calls", m[MFileSearchCalls]},
            // Search calls' catalog cost, a part of computed_cost_usd.
            {"search_cost_usd", money(m[MToolNusd])},
            // Unknown is null, not 0 (costUnknown).
            {"cost_usd", costUnknown(m) ? nlohmann::json() : money(m[MCostNusd])},
            {"computed_cost_usd", costUnknown(m) ? nlohmann::json() : money(m[MComputedNusd])},
            {"reported_cost_usd", money(m[MReportedNusd])},
            {"unpriced_requests", m[MUnpricedRequests]}};
}

std::string pad(const std::string &s, size_t width, bool right)
{
    // Width in characters, not bytes (names may be UTF-8).
    size_t chars = 0;
    for (unsigned char c : s)
        chars += (c & 0xC0) != 0x80;
    std::string fill(width > chars ? width - chars : 0, ' ');
    return right ? fill + s : s + fill;
}

std::string renderTable(const SummaryResult &r, const std::optional<InfraQuery::Column> &infra,
                        bool hasInfra)
{
    std::vector<std::string> header;
    for (const auto &g : r.groups)
        header.push_back(g.name());
    const size_t k = header.size();
    for (const char *h : {"requests", "input", "cached", "output", "cost", "unpriced"})
        header.push_back(h);
    // Infrastructure beside the LLM cost, once a bill has been imported.
    if (hasInfra)
        header.push_back("infra");
    auto cells = [&](const std::vector<std::string> &keys, const Measures &m,
                     std::optional<int64_t> infraNusd) {
        std::vector<std::string> c = keys;
        c.resize(k);
        c.push_back(withThousands(m[MRequests]));
        c.push_back(withThousands(m[MInputTokens]));
        c.push_back(withThousands(m[MCachedInputTokens]));
        c.push_back(withThousands(m[MOutputTokens]));
        c.push_back(costUnknown(m) ? std::string("unpriced") : formatUsd(m[MCostNusd]));
        c.push_back(withThousands(m[MUnpricedRequests]));
        if (hasInfra)
            c.push_back(infraNusd ? formatUsd(*infraNusd) : std::string("n/a"));
        return c;
    };
    std::vector<std::vector<std::string>> rows;
    for (size_t i = 0; i < r.rows.size(); ++i)
        rows.push_back(cells(r.rows[i].keys, r.rows[i].m,
                             infra ? std::optional(infra->rows[i]) : std::nullopt));
    std::vector<std::string> total = cells({k ? "TOTAL" : "total"}, r.totals,
                                           infra ? std::optional(infra->total) : std::nullopt);
    std::vector<size_t> w(header.size(), 0);
    for (const auto *row : {&header, &total})
        for (size_t i = 0; i < row->size(); ++i)
            w[i] = std::max(w[i], (*row)[i].size());
    for (const auto &row : rows)
        for (size_t i = 0; i < row.size(); ++i)
            w[i] = std::max(w[i], row[i].size());
    std::string out;
    auto line = [&](const std::vector<std::string> &row) {
        for (size_t i = 0; i < row.size(); ++i)
            out += (i ? "  " : "") + pad(row[i], w[i], i >= k);
        out += "\n";
    };
    line(header);
    for (const auto &row : rows)
        line(row);
    line(total);
    return out;
}

std::string renderCsv(const SummaryResult &r, const std::optional<InfraQuery::Column> &infra,
                      bool hasInfra)
{
    std::vector<std::string> header;
    for (const auto &g : r.groups)
        header.push_back(g.name());
    for (auto c :
         {"records", "requests", "input_tokens", "cached_input_tokens", "cache_write_tokens",
          "output_tokens", "reasoning_tokens", "cost_usd", "computed_cost_usd", "reported_cost_usd",
          "unpriced_requests", "cache_write_1h_tokens", "web_search_calls", "file_search_calls",
          "search_cost_usd"})
        header.push_back(c);
    if (hasInfra)
        header.push_back("infra_cost_usd");
    std::string out = CsvWriter::row(header);
    for (size_t i = 0; i < r.rows.size(); ++i) {
        const SummaryRow &row = r.rows[i];
        std::vector<std::string> c = row.keys;
        std::vector<bool> numeric(c.size(), false);
        const auto &m = row.m;
        for (int idx : {int(MRecords), int(MRequests), int(MInputTokens), int(MCachedInputTokens),
                        int(MCacheWriteTokens), int(MOutputTokens), int(MReasoningTokens)})
            c.push_back(std::to_string(m[idx]));
        for (int idx : {int(MCostNusd), int(MComputedNusd), int(MReportedNusd)})
            c.push_back(costUnknown(m) && idx != int(MReportedNusd) ? std::string()
                                                                    : nanoToDecimal(m[idx]));
        c.push_back(std::to_string(m[MUnpricedRequests]));
        for (int idx : {int(MCacheWrite1hTokens), int(MWebSearchCalls), int(MFileSearchCalls)})
            c.push_back(std::to_string(m[idx]));
        c.push_back(nanoToDecimal(m[MToolNusd]));
        if (hasInfra)
            c.push_back(infra ? nanoToDecimal(infra->rows[i]) : std::string());
        numeric.resize(c.size(), true);
        out += CsvWriter::row(c, numeric);
    }
    return out;
}

} // namespace

int runSummary(const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file."), QStringLiteral("DB")});
    addFilterOptions(p);
    p.addOption(
        {QStringLiteral("by"),
         QStringLiteral("Group by DIM[,DIM...]: provider, model, team, feature, agent, user, task, "
                        "hour, day, week, month."),
         QStringLiteral("DIMS")});
    p.addOption({QStringLiteral("granularity"),
                 QStringLiteral("Add a time column: hour, day, week or month."),
                 QStringLiteral("G")});
    p.addOption({QStringLiteral("format"), QStringLiteral("table (default), csv or json."),
                 QStringLiteral("F"), QStringLiteral("table")});
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("summary"), args, code))
        return code;
    if (!p.isSet(QStringLiteral("db"))) {
        printError(std::string("summary: --db DB is required"));
        return UsageError;
    }
    CallFilter filter;
    if (!readFilter(p, "summary", filter))
        return UsageError;
    std::vector<GroupKey> groups;
    if (p.isSet(QStringLiteral("granularity"))) {
        const std::string g = toStd(p.value(QStringLiteral("granularity")));
        auto key = GroupKey::fromName(g);
        if (!key || key->time == TimeBucket::None) {
            printError("summary: --granularity expects hour, day, week or month, not '" + g + "'");
            return UsageError;
        }
        groups.push_back(*key);
    }
    if (p.isSet(QStringLiteral("by"))) {
        for (const QString &part :
             p.value(QStringLiteral("by")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            auto key = GroupKey::fromName(toStd(part.trimmed()));
            if (!key) {
                printError("summary: unknown dimension '" + toStd(part) +
                           "' in --by (expected provider, model, "
                           "team, feature, agent, user, task, hour, day, week or month)");
                return UsageError;
            }
            if (std::none_of(groups.begin(), groups.end(),
                             [&](const GroupKey &g) { return g.name() == key->name(); }))
                groups.push_back(*key);
        }
    }
    const std::string format = toStd(p.value(QStringLiteral("format")));
    if (format != "table" && format != "csv" && format != "json") {
        printError("summary: --format expects table, csv or json, not '" + format + "'");
        return UsageError;
    }
    auto ws = openWorkspace(p, false);
    if (!ws)
        return InputError;
    SummaryResult r = SummaryQuery::run(*ws, filter, groups);
    const bool hasInfra = InfraQuery::hasAny(*ws);
    const std::optional<InfraQuery::Column> infra = InfraQuery::attach(*ws, filter, r);
    const Coverage coverage = Coverage::of(*ws, filter);
    // A period the data only partly covers says so (on stderr: the table
    // and CSV stay what scripts parse).
    if (format != "json") {
        if (const std::string note = coverageNote(coverage); !note.empty())
            printError("note: " + note);
    }
    if (format == "table") {
        printOut(renderTable(r, infra, hasInfra));
        if (hasInfra && !infra)
            printError(std::string("note: infrastructure cost is by day, team, feature and "
                                   "agent only: n/a under this filter or grouping"));
    } else if (format == "csv") {
        printOut(renderCsv(r, infra, hasInfra));
    } else {
        nlohmann::json doc;
        doc["from"] =
            filter.fromDay ? nlohmann::json(formatDate(*filter.fromDay)) : nlohmann::json();
        doc["to"] = filter.toDay ? nlohmann::json(formatDate(*filter.toDay)) : nlohmann::json();
        doc["by"] = nlohmann::json::array();
        for (const auto &g : groups)
            doc["by"].push_back(g.name());
        doc["coverage"] = coverageJson(coverage);
        doc["totals"] = measuresJson(r.totals);
        // Infrastructure cost from imported cloud bills: null when none was
        // imported or the filter names what a bill does not carry (a model).
        doc["totals"]["infra_cost_usd"] =
            infra ? nlohmann::json(money(infra->total)) : nlohmann::json();
        doc["rows"] = nlohmann::json::array();
        for (size_t i = 0; i < r.rows.size(); ++i) {
            const SummaryRow &row = r.rows[i];
            nlohmann::json j = measuresJson(row.m);
            j["infra_cost_usd"] = infra ? nlohmann::json(money(infra->rows[i])) : nlohmann::json();
            for (size_t i = 0; i < groups.size(); ++i)
                j[groups[i].name()] = row.keys[i];
            doc["rows"].push_back(std::move(j));
        }
        printOut(sim::JsonFile::text(doc, 2) + "\n");
    }
    return Ok;
}

} // namespace tl::cli
