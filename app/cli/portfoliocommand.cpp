#include "clicontext.h"

#include "jsonfile.h"

#include "decide/portfolio.h"

#include <cmath>
#include <cstdio>

namespace tl::cli {

void addOpportunityOptions(QCommandLineParser &p);
bool readOpportunityOptions(const QCommandLineParser &p, const char *command,
                            OpportunityOptions &o);
nlohmann::ordered_json periodJson(const DecisionInputs &in);

namespace {

std::string roiCell(const std::optional<double> &v)
{
    if (!v)
        return "n/a";
    return formatRoi(*v);
}

} // namespace

int runPortfolio(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Each agent's monthly cost, value and ROI on its real calls, how they hold up when "
        "prices rise, quality falls or volume halves, and a verdict: scale, optimize or "
        "retire."));
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file."), QStringLiteral("DB")});
    addFilterOptions(p);
    p.addOption({QStringLiteral("horizon"), QStringLiteral("Months to judge over (default 12)."),
                 QStringLiteral("MONTHS"), QStringLiteral("12")});
    p.addOption({QStringLiteral("min-roi"),
                 QStringLiteral("ROI an agent should earn, (value - cost) / cost (default 0.5)."),
                 QStringLiteral("X"), QStringLiteral("0.5")});
    addOpportunityOptions(p);
    p.addOption({QStringLiteral("format"), QStringLiteral("table (default) or json."),
                 QStringLiteral("F"), QStringLiteral("table")});
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("portfolio"), args, code))
        return code;
    if (!p.isSet(QStringLiteral("db"))) {
        printError(std::string("portfolio: --db DB is required"));
        return UsageError;
    }
    const std::string format = toStd(p.value(QStringLiteral("format")));
    if (format != "table" && format != "json") {
        printError("portfolio: --format expects table or json, not '" + format + "'");
        return UsageError;
    }
    PortfolioOptions po;
    bool okHorizon = false, okRoi = false;
    po.horizonMonths = p.value(QStringLiteral("horizon")).toInt(&okHorizon);
    po.minRoi = p.value(QStringLiteral("min-roi")).toDouble(&okRoi);
    if (!okHorizon || po.horizonMonths < 1 || po.horizonMonths > 120 || !okRoi ||
        !std::isfinite(po.minRoi)) {
        printError(std::string("portfolio: --horizon expects 1 to 120 months and --min-roi a "
                               "number"));
        return UsageError;
    }
    CallFilter filter;
    OpportunityOptions oo;
    if (!readFilter(p, "portfolio", filter) || !readOpportunityOptions(p, "portfolio", oo))
        return UsageError;
    oo.horizonMonths = po.horizonMonths;
    auto ws = openWorkspace(p, false);
    if (!ws)
        return InputError;
    const auto in = DecisionInputs::load(*ws, filter);
    for (const auto &n : in->notes)
        std::fprintf(stderr, "tokenledger: note: %s\n", n.c_str());
    const PortfolioResult r = Portfolio::build(*in, OpportunityFinder::find(*in, oo), po);
    if (format == "json") {
        nlohmann::ordered_json doc;
        doc["period"] = periodJson(*in);
        const nlohmann::ordered_json body = Portfolio::toJson(r, po); // items() needs it alive
        for (const auto &item : body.items())
            doc[item.key()] = item.value();
        printOut(sim::JsonFile::text(doc, 2) + "\n");
        return Ok;
    }
    std::string out = "Portfolio, " + in->spec.from + " to " + in->spec.to + ", over " +
                      std::to_string(po.horizonMonths) + " months (minimum ROI " +
                      roiCell(po.minRoi) + ")\n\n" + padTo("agent", 26, false) +
                      padTo("team", 14, false) + padTo("cost/month", 13) +
                      padTo("value/month", 13) + padTo("ROI", 8) + padTo("+20% prices", 12) +
                      padTo("-5 pts", 8) + padTo("optimized", 10) + "  verdict\n";
    int verdicts[3] = {0, 0, 0};
    for (const auto &a : r.agents) {
        out += padTo(a.agent, 26, false) + padTo(a.team, 14, false) +
               padTo(formatDollars(a.monthlyCostUsd), 13) +
               padTo(a.outcomesLogged ? formatDollars(a.monthlyValueUsd) : "n/a", 13) +
               padTo(roiCell(a.roi), 8) + padTo(roiCell(a.roiPricesUp20), 12) +
               padTo(roiCell(a.roiQualityDown5), 8) + padTo(roiCell(a.roiOptimized), 10) + "  " +
               (a.verdict.empty() ? "-" : a.verdict) + "\n";
        out += "    " + a.reason + "\n";
        verdicts[0] += a.verdict == "scale";
        verdicts[1] += a.verdict == "optimize";
        verdicts[2] += a.verdict == "retire";
    }
    out += "\n" + std::to_string(verdicts[0]) + " to scale, " + std::to_string(verdicts[1]) +
           " to optimize, " + std::to_string(verdicts[2]) + " to retire";
    const int none = int(r.agents.size()) - verdicts[0] - verdicts[1] - verdicts[2];
    if (none > 0)
        out += ", " + std::to_string(none) + " without outcomes (no verdict)";
    out += "\n\n" + padTo("team", 26, false) + padTo("agents", 8) + padTo("cost/month", 13) +
           padTo("value/month", 13) + padTo("ROI", 8) + "\n";
    for (const auto &g : r.teams)
        out += padTo(g.name, 26, false) + padTo(std::to_string(g.agents), 8) +
               padTo(formatDollars(g.monthlyCostUsd), 13) +
               padTo(formatDollars(g.monthlyValueUsd), 13) + padTo(roiCell(g.roi), 8) + "\n";
    printOut(out);
    return Ok;
}

} // namespace tl::cli
