#include "clicontext.h"

#include "export/csvwriter.h"
#include "query/billquery.h"
#include "query/summaryquery.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace tl::cli {

// Reported cost (what the gateway, tracer or provider said) against the
// catalog's price for the same calls, so a user can check one against the
// other before trusting either.
int runReconcile(const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file."), QStringLiteral("DB")});
    p.addOption({QStringLiteral("by"), QStringLiteral("model (default), provider or day."),
                 QStringLiteral("DIM"), QStringLiteral("model")});
    p.addOption({QStringLiteral("format"), QStringLiteral("table (default), csv or json."),
                 QStringLiteral("F"), QStringLiteral("table")});
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("reconcile"), args, code))
        return code;
    const std::string by = toStd(p.value(QStringLiteral("by")));
    const std::string format = toStd(p.value(QStringLiteral("format")));
    if (!p.isSet(QStringLiteral("db")) || (by != "model" && by != "provider" && by != "day") ||
        (format != "table" && format != "csv" && format != "json")) {
        printError(std::string("reconcile: usage: reconcile --db DB [--by model|provider|day] "
                               "[--format table|csv|json]"));
        return UsageError;
    }
    auto ws = openWorkspace(p, false);
    if (!ws)
        return InputError;
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
        nlohmann::json doc = {{"logs", nlohmann::json::array()}, {"bills", nlohmann::json::array()}};
        for (const BillLine &b : BillQuery::run(*ws, by))
            doc["bills"].push_back({{"provider", b.provider},
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
        printOut(doc.dump(2) + "\n");
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
