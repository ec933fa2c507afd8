#pragma once

#include "chargebackrule.h"
#include "query/summaryquery.h"

#include <string>
#include <vector>

namespace tl {

// One table of a report: what the PDF prints (display cells: separators,
// $, %) and what the CSV holds (plain cells: no separators, `.` decimal,
// exact dollars), row for row.
struct ReportTable
{
    std::string id;    // file name of its CSV: by_team -> by_team.csv
    std::string title; // "Spend by team"
    std::vector<std::string> headers;
    std::vector<bool> numeric; // per column: right-aligned, not formula-escaped
    std::vector<std::vector<std::string>> display;
    std::vector<std::vector<std::string>> plain;
    std::string emptyText; // what an empty table says ("" : "No calls in this period.")
    std::string note;      // printed under the heading: how the figures were made
};

// What a report adds beyond the period and filter.
struct ReportOptions
{
    std::vector<std::string> scenarioFiles; // compared against their baselines
    ChargebackRule chargeback;              // default: by team, proportional
};

// Everything a report shows for a period and filter, read once from the
// store. The PDF and the CSV folder are two renderings of this.
struct ReportData
{
    std::string workspace;
    std::string period;      // "2026-10-01 – 2026-10-31 (UTC)"
    std::string filter;      // "team = support; model = gpt-4o" or "none"
    std::string generatedAt; // ISO 8601 UTC
    int64_t fromDay = 0, toDay = -1;
    Measures totals, previous;
    bool hasPrevious = false;        // the period before has calls
    bool comparable = false;         // ... and both are covered enough for a change
    std::string comparisonNote;      // why no change is given, when it is not
    std::vector<int64_t> days;       // every day of the period
    std::vector<int64_t> dailyCost;  // nano-dollars per day
    std::vector<std::string> errors; // "FILE: why" for an option that could not be used
    std::vector<ReportTable>
        tables; // summary, kpis, by_day, by_team, by_feature, by_agent, by_model, top_tasks

    const ReportTable *table(const std::string &id) const;
};

class ReportBuilder
{
public:
    static constexpr size_t kTopTasks = 25;
    // The filter's unset ends default to the data's first and last day.
    static ReportData build(Workspace &ws, const CallFilter &filter,
                            const ReportOptions &options = {});
    // Writes one CSV per table into `dir` (created if missing); false with
    // the reason when a file cannot be written.
    static bool writeCsv(const ReportData &data, const std::string &dir, std::string *error);
};

} // namespace tl
