#include "scenariosection.h"

#include "reportcells.h"

#include "baseline/baselinequery.h"
#include "core/timeutil.h"
#include "engine.h"
#include "scenariofile.h"

#include <cmath>
#include <filesystem>

namespace tl {

using namespace reportcells;

namespace {

int64_t nusd(double usd)
{
    return int64_t(std::llround(usd * 1e9));
}

std::string roiText(const std::optional<double> &roi)
{
    return roi ? percent(*roi) : "";
}

std::string roiPlain(const std::optional<double> &roi)
{
    return roi ? plainRatio(*roi) : "";
}

} // namespace

ReportTable scenarioComparison(Workspace &ws, const std::vector<std::string> &files,
                               std::vector<std::string> *errors)
{
    ReportTable t;
    t.id = "scenarios";
    t.title = "Scenario comparison";
    t.emptyText = "No scenario compared: add one with report --scenario FILE or in the Export "
                  "Report dialog.";
    t.headers = {"Scenario",      "Baseline", "Month",    "Baseline cost",
                 "Scenario cost", "Change",   "Change %", "Scenario ROI"};
    t.numeric = {false, false, false, true, true, true, true, true};
    for (const std::string &file : files) {
        const sim::ScenarioLoad loaded = sim::ScenarioFile::load(file);
        if (!loaded.scenario) {
            errors->push_back(loaded.error);
            continue;
        }
        const sim::Scenario &s = *loaded.scenario;
        std::vector<std::string> notes;
        const CallFilter f = BaselineQuery::filterFor(ws, s.baseline, &notes);
        const auto baseline = BaselineQuery::load(ws, f);
        const auto problems = sim::ScenarioFile::validate(s, *baseline);
        if (!problems.empty()) {
            for (const auto &p : problems)
                errors->push_back(file + ": " + p);
            continue;
        }
        const sim::SimulationResult r = sim::Engine(*baseline).run(s);
        std::string base = formatDate(*f.fromDay) + " to " + formatDate(*f.toDay);
        for (const auto &[dim, names] : s.baseline.filter) {
            base += "; " + dim + " =";
            for (size_t i = 0; i < names.size(); ++i)
                base += (i ? ", " : " ") + names[i];
        }
        const std::string name =
            s.name.empty() ? std::filesystem::path(file).stem().string() : s.name;
        const auto add = [&](const std::string &month, double b, double sc,
                             const std::optional<double> &roi, bool first) {
            const int64_t bn = nusd(b), sn = nusd(sc);
            const double share = bn ? double(sn - bn) / double(bn) : 0;
            t.display.push_back({first ? name : "", first ? base : "", month, money(bn), money(sn),
                                 signedMoney(sn - bn), bn ? signedPercent(share) : "",
                                 roiText(roi)});
            t.plain.push_back({name, base, month, nanoToDecimal(bn), nanoToDecimal(sn),
                               nanoToDecimal(sn - bn), bn ? plainRatio(share) : "", roiPlain(roi)});
        };
        bool first = true;
        for (const sim::MonthPoint &m : r.monthly) {
            add(std::to_string(m.month), m.baseline.totalUsd(), m.scenario.totalUsd(),
                m.scenario.roi(), first);
            first = false;
        }
        add("horizon (" + std::to_string(r.monthly.size()) + " months)", r.horizonBaselineCostUsd,
            r.horizonScenarioCostUsd, r.horizonScenarioRoi, first);
    }
    return t;
}

} // namespace tl
