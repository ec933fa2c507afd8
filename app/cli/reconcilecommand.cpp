#include "clicontext.h"

#include "jsonfile.h"

#include "export/csvwriter.h"
#include "query/billquery.h"
#include "query/summaryquery.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace tl::cli {

namespace {

// Bills against the computed cost by the line a bill prices apart, so a
// difference can be placed: a tier, search calls, unpriced calls, or a
// cost type the catalog does not price.
int reconcileByLine(Workspace &ws, const std::string &format)
{
    const std::vector<BillLineByKind> lines = BillQuery::byLine(ws);
    auto note = [](const BillLineByKind &l) -> std::string {
        if (l.line == "unpriced")
            return std::to_string(l.unpricedRequests) +
                   " requests with no catalog price: their cost is unknown here";
        if (l.line == "other")
            return "billed, but not a token or search charge the catalog prices";
        if (l.billedNusd == 0 && l.computedNusd != 0)
            return "computed, but the bill has no such line";
        return {};
    };
    auto usd = [](int64_t n) { return nlohmann::json::parse(nanoToDecimal(n)); };
    if (format == "json") {
        nlohmann::json doc = {{"bills", nlohmann::json::array()}};
        for (const BillLineByKind &l : lines) {
            const bool unknown = l.line == "unpriced";
            doc["bills"].push_back(
                {{"provider", l.provider},
                 {"line", l.line},
                 {"billed_usd", usd(l.billedNusd)},
                 {"computed_usd", unknown ? nlohmann::json() : usd(l.computedNusd)},
                 {"difference_usd",
                  unknown ? nlohmann::json() : usd(l.billedNusd - l.computedNusd)},
                 {"unpriced_requests", l.unpricedRequests},
                 {"note", note(l)}});
        }
        printOut(sim::JsonFile::text(doc, 2) + "\n");
        return Ok;
    }
    if (format == "csv") {
        std::string out = CsvWriter::row({"provider", "line", "billed_usd", "computed_usd",
                                          "difference_usd", "unpriced_requests", "note"});
        for (const BillLineByKind &l : lines) {
            const bool unknown = l.line == "unpriced";
            out += CsvWriter::row(
                {l.provider, l.line, nanoToDecimal(l.billedNusd),
                 unknown ? std::string() : nanoToDecimal(l.computedNusd),
                 unknown ? std::string() : nanoToDecimal(l.billedNusd - l.computedNusd),
                 std::to_string(l.unpricedRequests), note(l)},
                {false, false, true, true, true, true, false});
        }
        printOut(out);
        return Ok;
    }
    if (lines.empty()) {
        printOut("no provider cost report imported (import one: OpenAI costs, Anthropic cost "
                 "report)\n");
        return Ok;
    }
    std::string out = "Provider cost reports against the catalog's cost of the same provider's "
                      "calls on the billed days, by line\n";
    char buf[512];
    std::snprintf(buf, sizeof buf, "%-10s %-14s %14s %14s %14s  %s\n", "provider", "line", "billed",
                  "computed", "difference", "note");
    out += buf;
    for (const BillLineByKind &l : lines) {
        const bool unknown = l.line == "unpriced";
        std::snprintf(buf, sizeof buf, "%-10s %-14s %14s %14s %14s  %s\n", l.provider.c_str(),
                      l.line.c_str(), formatUsd(l.billedNusd, 4).c_str(),
                      unknown ? "unknown" : formatUsd(l.computedNusd, 4).c_str(),
                      unknown ? "" : formatUsd(l.billedNusd - l.computedNusd, 4).c_str(),
                      note(l).c_str());
        out += buf;
    }
    printOut(out);
    return Ok;
}

} // namespace

// Reported cost (what the gateway, tracer or provider said) against the
// catalog's price for the same calls, so a user can check one against the
// other before trusting either.
int runReconcile(const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file."), QStringLiteral("DB")});
    p.addOption({QStringLiteral("by"),
                 QStringLiteral("model (default), provider, day or line (bills only: tokens by "
                                "price set, search, other, unpriced)."),
                 QStringLiteral("DIM"), QStringLiteral("model")});
    p.addOption({QStringLiteral("format"), QStringLiteral("table (default), csv or json."),
                 QStringLiteral("F"), QStringLiteral("table")});
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("reconcile"), args, code))
        return code;
    const std::string by = toStd(p.value(QStringLiteral("by")));
    const std::string format = toStd(p.value(QStringLiteral("format")));
    if (!p.isSet(QStringLiteral("db")) ||
        (by != "model" && by != "provider" && by != "day" && by != "line") ||
        (format != "table" && format != "csv" && format != "json")) {
        printError(std::string("reconcile: usage: reconcile --db DB [--by model|provider|day|line] "
                               "[--format table|csv|json]"));
        return UsageError;
    }
    auto ws = openWorkspace(p, false);
    if (!ws)
        return InputError;
    if (by == "line")
        return reconcileByLine(*ws, format);
    SummaryResult r = SummaryQuery::run(*ws, {}, {*GroupKey::fromName(by)});
    struct Line
    {
        std::string key;
        int64_t reported, computed, records;
    };
    std::vector<Line> lines;
    for (const auto &row : r.rows)
        if (row.m[MReportedNusd] != 0 || row.m[MReportedComputedNusd] != 0)
            lines.push_back(
                {row.keys[0], row.m[MReportedNusd], row.m[MReportedComputedNusd], row.m[MRecords]});
    auto pct = [](const Line &l) {
        return l.computed ? 100.0 * double(l.reported - l.computed) / double(l.computed) : 0.0;
    };
    if (format == "json") {
        // "logs": costs the logs reported; "bills": providers' cost reports.
        nlohmann::json doc = {{"logs", nlohmann::json::array()},
                              {"bills", nlohmann::json::array()}};
        for (const BillLine &b : BillQuery::run(*ws, by))
            doc["bills"].push_back(
                {{"provider", b.provider},
                 {by, b.key},
                 {"billed_usd", nlohmann::json::parse(nanoToDecimal(b.billedNusd))},
                 {"computed_usd", nlohmann::json::parse(nanoToDecimal(b.computedNusd))},
                 {"difference_usd",
                  nlohmann::json::parse(nanoToDecimal(b.billedNusd - b.computedNusd))}});
        for (const auto &l : lines)
            doc["logs"].push_back(
                {{by, l.key},
                 {"reported_usd", nlohmann::json::parse(nanoToDecimal(l.reported))},
                 {"computed_usd", nlohmann::json::parse(nanoToDecimal(l.computed))},
                 {"difference_usd", nlohmann::json::parse(nanoToDecimal(l.reported - l.computed))},
                 {"difference_pct", pct(l)}});
        printOut(sim::JsonFile::text(doc, 2) + "\n");
        return Ok;
    }
    if (format == "csv") {
        std::string out = CsvWriter::row(
            {by, "reported_usd", "computed_usd", "difference_usd", "difference_pct"});
        for (const auto &l : lines) {
            char p2[32];
            std::snprintf(p2, sizeof p2, "%.2f", pct(l));
            out += CsvWriter::row({l.key, nanoToDecimal(l.reported), nanoToDecimal(l.computed),
                                   nanoToDecimal(l.reported - l.computed), p2},
                                  {false, true, true, true, true});
        }
        printOut(out);
        return Ok;
    }
    std::string out;
    char buf[256];
    if (BillQuery::hasBills(*ws)) {
        out += "Provider cost reports against the catalog's cost of the same provider's calls\n";
        std::snprintf(buf, sizeof buf, "%-10s %-30s %14s %14s %14s\n", "provider", by.c_str(),
                      "billed", "computed", "difference");
        out += buf;
        for (const BillLine &b : BillQuery::run(*ws, by)) {
            std::snprintf(buf, sizeof buf, "%-10s %-30s %14s %14s %14s\n", b.provider.c_str(),
                          b.key.c_str(), formatUsd(b.billedNusd, 4).c_str(),
                          formatUsd(b.computedNusd, 4).c_str(),
                          formatUsd(b.billedNusd - b.computedNusd, 4).c_str());
            out += buf;
        }
        out += "\n";
    }
    if (lines.empty()) {
        out += "no imported call carries a reported cost\n";
        printOut(out);
        return Ok;
    }
    std::snprintf(buf, sizeof buf, "%-32s %14s %14s %14s %8s\n", by.c_str(), "reported", "computed",
                  "difference", "diff %");
    out += buf;
    for (const auto &l : lines) {
        std::snprintf(buf, sizeof buf, "%-32s %14s %14s %14s %7.1f%%\n", l.key.c_str(),
                      formatUsd(l.reported, 4).c_str(), formatUsd(l.computed, 4).c_str(),
                      formatUsd(l.reported - l.computed, 4).c_str(), pct(l));
        out += buf;
    }
    out += "(computed: the catalog's price of the calls that carry a reported cost; a call with no "
           "catalog price "
           "counts 0 there)\n";
    printOut(out);
    return Ok;
}

} // namespace tl::cli
