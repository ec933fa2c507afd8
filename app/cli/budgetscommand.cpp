#include "clicontext.h"

#include "jsonfile.h"

#include "budgets/budgetevaluator.h"
#include "budgets/budgetexpand.h"
#include "budgets/budgetfile.h"
#include "budgets/budgetstore.h"
#include "budgets/litellmbudgets.h"
#include "core/timeutil.h"
#include "query/summaryquery.h"

#include <nlohmann/json.hpp>

#include <QDateTime>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace tl::cli {

namespace {

std::string pct(double share)
{
    char b[32];
    std::snprintf(b, sizeof b, "%.1f%%", share * 100);
    return b;
}

nlohmann::ordered_json statusJson(const BudgetStatus &s, const std::vector<BudgetStatus> &all)
{
    nlohmann::ordered_json j;
    j["name"] = s.budget.name;
    j["scope"] = s.budget.scopeText();
    j["period"] = periodName(s.budget.period);
    j["period_start"] = formatTimestamp(s.period.startMs);
    j["period_end"] = formatTimestamp(s.period.endMs);
    j["at"] = formatTimestamp(s.atMs);
    j["amount_usd"] = s.amountUsd;
    j["spent_usd"] = s.spentUsd;
    j["used"] = s.usedShare;
    j["forecast_usd"] = s.forecastUsd;
    j["forecast_low_usd"] = s.forecastLowUsd;
    j["forecast_high_usd"] = s.forecastHighUsd;
    j["breach_at"] = s.breachAtMs ? nlohmann::ordered_json(formatTimestamp(*s.breachAtMs))
                                  : nlohmann::ordered_json();
    j["breach_forecast"] = s.breachAtMs && !s.breachHappened; // still ahead
    j["state"] = BudgetStatus::stateName(s.state);
    j["hard"] = s.budget.hard;
    j["on_breach"] = policyName(s.budget.onBreach);
    j["parent"] = s.parent >= 0 ? nlohmann::ordered_json(all[size_t(s.parent)].budget.name)
                                : nlohmann::ordered_json();
    j["children_exceed_amount"] = s.childrenExceedAmount;
    // The period's adjustments (already in amount_usd), and where it came from.
    nlohmann::ordered_json adjustments = nlohmann::ordered_json::array();
    for (const auto &a : s.budget.adjustments)
        if (a.atMs >= s.period.startMs && a.atMs < s.period.endMs)
            adjustments.push_back({{"at", formatTimestamp(a.atMs)},
                                   {"amount_usd", double(a.amountNusd) / 1e9},
                                   {"reason", a.reason},
                                   {"by", a.by}});
    j["adjustments"] = adjustments;
    if (!s.budget.pool.empty())
        j["pool"] = s.budget.pool;
    return j;
}

std::string table(const std::vector<BudgetStatus> &all)
{
    std::string out;
    char line[512];
    std::snprintf(line, sizeof line, "%-28s %-26s %-8s %14s %14s %7s %14s  %-22s %s\n", "budget",
                  "scope", "period", "amount", "spent", "used", "forecast", "breach", "state");
    out += line;
    for (const auto &s : all) {
        const std::string breach = !s.breachAtMs ? std::string("-")
                                                 : (s.breachHappened ? "at " : "fcst ") +
                                                       formatTimestamp(*s.breachAtMs).substr(0, 16);
        std::string state = BudgetStatus::stateName(s.state);
        if (s.budget.hard)
            state += " (hard)";
        if (s.childrenExceedAmount)
            state += "; children exceed it";
        std::snprintf(line, sizeof line, "%-28s %-26s %-8s %14s %14s %7s %14s  %-22s %s\n",
                      s.budget.name.c_str(), s.budget.scopeText().c_str(),
                      periodName(s.budget.period).c_str(), formatDollars(s.amountUsd).c_str(),
                      formatDollars(s.spentUsd).c_str(), pct(s.usedShare).c_str(),
                      formatDollars(s.forecastUsd).c_str(), breach.c_str(), state.c_str());
        out += line;
    }
    return out;
}

// --at: an ISO time, or a date (its end); unset (-1): as the app does,
// BudgetEvaluator::defaultAsOf.
bool readAt(const QCommandLineParser &p, int64_t &atMs)
{
    if (!p.isSet(QStringLiteral("at"))) {
        atMs = -1;
        return true;
    }
    const std::string v = toStd(p.value(QStringLiteral("at")));
    if (auto d = parseDate(v); d && v.size() == 10) {
        atMs = (*d + 1) * kMsPerDay - 1;
        return true;
    }
    std::string why;
    if (auto t = parseTimestamp(v, &why)) {
        atMs = *t;
        return true;
    }
    printError("budgets: --at expects YYYY-MM-DD or an ISO time with a zone: " + why);
    return false;
}

// budgets adjust: a credit or correction to the period the time falls in,
// kept in the budget's history.
int adjust(const QCommandLineParser &p, Workspace &ws, std::vector<Budget> budgets)
{
    const std::string name = toStd(p.value(QStringLiteral("budget")));
    const std::string reason = toStd(p.value(QStringLiteral("reason"))).c_str();
    bool okAmount = false;
    const double usd = p.value(QStringLiteral("amount")).toDouble(&okAmount);
    if (name.empty() || !okAmount || !std::isfinite(usd) || std::abs(usd) > 1e9 || usd == 0 ||
        reason.empty()) {
        printError(std::string("budgets adjust: --budget NAME, --amount USD (not 0) and --reason "
                               "TEXT are required"));
        return UsageError;
    }
    auto it = std::find_if(budgets.begin(), budgets.end(),
                           [&](const Budget &b) { return b.name == name; });
    if (it == budgets.end()) {
        printError("budgets adjust: no budget named \"" + name + "\"");
        return InputError;
    }
    int64_t atMs = 0;
    if (!readAt(p, atMs))
        return UsageError;
    if (atMs < 0)
        atMs = BudgetEvaluator::defaultAsOf(ws, QDateTime::currentMSecsSinceEpoch()) - 1;
    BudgetAdjustment a;
    a.atMs = atMs;
    a.amountNusd = int64_t(std::llround(usd * 1e9));
    a.reason = reason;
    a.by = p.isSet(QStringLiteral("by")) ? toStd(p.value(QStringLiteral("by")))
                                         : toStd(qEnvironmentVariable("USER"));
    const PeriodBounds period = periodAt(it->period, a.atMs);
    if (it->amountIn(period) + a.amountNusd <= 0) {
        printError("budgets adjust: that would leave \"" + name + "\" no amount in the period " +
                   formatTimestamp(period.startMs).substr(0, 10));
        return InputError;
    }
    it->adjustments.push_back(a);
    try {
        BudgetStore::save(ws, budgets);
    } catch (const std::exception &e) {
        printError(std::string(e.what()));
        return InputError;
    }
    printOut("\"" + name + "\": " + (usd > 0 ? "+" : "-") + formatDollars(std::abs(usd)) +
             " for the period from " + formatTimestamp(period.startMs).substr(0, 10) + " (now " +
             formatUsd(it->amountIn(period)) + "), " + reason +
             (a.by.empty() ? "" : ", by " + a.by) + "\n");
    return Ok;
}

// budgets allocate: a pool shared by ROI; --apply makes it the pool's budgets.
int allocate(const QCommandLineParser &p, Workspace &ws, const std::vector<Budget> &budgets)
{
    const std::string name = toStd(p.value(QStringLiteral("pool")));
    const std::vector<BudgetPool> pools = BudgetStore::loadPools(ws);
    const auto pool = std::find_if(pools.begin(), pools.end(),
                                   [&](const BudgetPool &x) { return x.name == name; });
    if (pool == pools.end()) {
        std::string known;
        for (const auto &x : pools)
            known += (known.empty() ? "" : ", ") + x.name;
        printError("budgets allocate: no pool named \"" + name + "\" (" +
                   (known.empty() ? std::string("the workspace has none; a budgets file's "
                                                "\"pools\" adds them")
                                  : "pools: " + known) +
                   ")");
        return InputError;
    }
    const PoolAllocation a = allocatePool(ws, *pool);
    if (!a.error.empty()) {
        printError("budgets allocate: " + name + ": " + a.error);
        return InputError;
    }
    const bool json = p.value(QStringLiteral("format")) == QLatin1String("json");
    if (json) {
        nlohmann::ordered_json doc;
        doc["pool"] = a.pool.name;
        doc["period"] = periodName(a.pool.period);
        doc["amount_usd"] = double(a.pool.amountNusd) / 1e9;
        doc["basis"] = a.basis;
        doc["shares"] = nlohmann::ordered_json::array();
        for (const auto &s : a.shares)
            doc["shares"].push_back(
                {{"agent", s.agent},
                 {"roi", s.roi ? nlohmann::ordered_json(*s.roi) : nlohmann::ordered_json()},
                 {"need_usd", double(s.needNusd) / 1e9},
                 {"allocated_usd", double(s.allocatedNusd) / 1e9},
                 {"why", s.why}});
        doc["unallocated_usd"] = double(a.unallocatedNusd) / 1e9;
        doc["applied"] = p.isSet(QStringLiteral("apply"));
        printOut(sim::JsonFile::text(doc, 2) + "\n");
    } else {
        std::string out = "Pool \"" + a.pool.name + "\": " + formatUsd(a.pool.amountNusd) + " a " +
                          periodName(a.pool.period) + ", from " + formatUsd(a.pool.minNusd) +
                          " to " +
                          (a.pool.maxNusd ? formatUsd(a.pool.maxNusd) : std::string("all")) +
                          " per agent, by " + a.basis + "\n\n" + padTo("agent", 30, false) +
                          padTo("ROI", 9) + padTo("need", 14) + padTo("allocated", 14) + "  why\n";
        for (const auto &s : a.shares) {
            out += padTo(s.agent, 30, false) + padTo(s.roi ? formatRoi(*s.roi) : "n/a", 9) +
                   padTo(formatUsd(s.needNusd), 14) + padTo(formatUsd(s.allocatedNusd), 14) + "  " +
                   s.why + "\n";
        }
        out += "\nunallocated: " + formatUsd(a.unallocatedNusd) + "\n";
        printOut(out);
    }
    if (p.isSet(QStringLiteral("apply"))) {
        try {
            BudgetStore::save(ws, applyAllocation(budgets, a));
        } catch (const std::exception &e) {
            printError(std::string(e.what()));
            return InputError;
        }
        if (!json)
            printOut("applied: the pool's budgets are now these amounts\n");
    }
    return Ok;
}

} // namespace

int runBudgets(const QStringList &args)
{
    const QString sub = args.value(0);
    QCommandLineParser p;
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file."), QStringLiteral("DB")});
    p.addOption(
        {QStringLiteral("at"),
         QStringLiteral("As of this time (default: now, or the end of the data when it is older)."),
         QStringLiteral("TIME")});
    p.addOption({QStringLiteral("format"), QStringLiteral("table (default) or json."),
                 QStringLiteral("F"), QStringLiteral("table")});
    p.addOption({QStringLiteral("budget"), QStringLiteral("adjust: the budget's name."),
                 QStringLiteral("NAME")});
    p.addOption({QStringLiteral("amount"),
                 QStringLiteral("adjust: dollars added to the period's amount (negative lowers "
                                "it)."),
                 QStringLiteral("USD")});
    p.addOption({QStringLiteral("reason"), QStringLiteral("adjust: why (required)."),
                 QStringLiteral("TEXT")});
    p.addOption({QStringLiteral("by"), QStringLiteral("adjust: who (default: $USER)."),
                 QStringLiteral("WHO")});
    p.addOption({QStringLiteral("pool"), QStringLiteral("allocate: the pool's name."),
                 QStringLiteral("NAME")});
    p.addOption({QStringLiteral("apply"),
                 QStringLiteral("allocate: replace the pool's budgets with this allocation.")});
    static const std::map<QString, QString> kWhat = {
        {QStringLiteral("import"),
         QStringLiteral("Replaces the workspace's budgets (and pools) with a budgets file; "
                        "\"each\" lines become one budget per member.")},
        {QStringLiteral("export"), QStringLiteral("Writes the workspace's budgets and pools.")},
        {QStringLiteral("export-litellm"),
         QStringLiteral("Writes the hard budgets as LiteLLM budget requests (FILE and a curl "
                        "script).")},
        {QStringLiteral("list"), QStringLiteral("Every budget's spent, forecast and state.")},
        {QStringLiteral("check"),
         QStringLiteral("Exits 3 when a hard budget is breached or forecast to breach.")},
        {QStringLiteral("adjust"),
         QStringLiteral("A credit or correction to one period of a budget, kept in its "
                        "history.")},
        {QStringLiteral("allocate"),
         QStringLiteral("Shares a pool among its agents by ROI, between its minimum and "
                        "maximum; --apply makes the shares their budgets.")}};
    if (const auto it = kWhat.find(sub); it != kWhat.end())
        p.setApplicationDescription(it->second);
    if (sub == QLatin1String("import") || sub == QLatin1String("export") ||
        sub == QLatin1String("export-litellm"))
        p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Budgets file."));
    int code = Ok;
    const QStringList known = {QStringLiteral("import"),         QStringLiteral("export"),
                               QStringLiteral("export-litellm"), QStringLiteral("list"),
                               QStringLiteral("check"),          QStringLiteral("adjust"),
                               QStringLiteral("allocate")};
    if (!known.contains(sub)) {
        printError(std::string("budgets: expected import FILE, export FILE, export-litellm "
                               "FILE, list, check, adjust or allocate"));
        return UsageError;
    }
    if (!parseArgs(p, QStringLiteral("budgets ") + sub, args.mid(1), code))
        return code;
    if (!p.isSet(QStringLiteral("db"))) {
        printError("budgets " + toStd(sub) + ": --db DB is required");
        return UsageError;
    }
    const bool needsFile = sub == QLatin1String("import") || sub == QLatin1String("export") ||
                           sub == QLatin1String("export-litellm");
    if (needsFile && p.positionalArguments().size() != 1) {
        printError("budgets " + toStd(sub) + ": one FILE is required");
        return UsageError;
    }
    auto ws = openWorkspace(p, false);
    if (!ws)
        return InputError;
    if (sub == QLatin1String("import")) {
        const std::string path = toStd(p.positionalArguments().front());
        const BudgetLoad l = BudgetFile::load(path, &ws->catalog());
        if (!l.ok) {
            printError(l.error);
            return InputError;
        }
        for (const auto &w : l.warnings)
            std::fprintf(stderr, "tokenledger: note: %s: %s\n", path.c_str(), w.c_str());
        std::vector<std::string> notes;
        const std::vector<Budget> budgets = expandEach(*ws, l.budgets, &notes);
        for (const auto &n : notes)
            std::fprintf(stderr, "tokenledger: note: %s: %s\n", path.c_str(), n.c_str());
        try {
            BudgetStore::save(*ws, budgets, &l.pools);
        } catch (const std::exception &e) {
            printError(path + ": " + e.what());
            return InputError;
        }
        printOut(std::to_string(budgets.size()) + " budgets" +
                 (l.pools.empty() ? "" : " and " + std::to_string(l.pools.size()) + " pools") +
                 " imported from " + path + " (replacing the workspace's)\n");
        return Ok;
    }
    std::vector<Budget> budgets;
    try {
        budgets = BudgetStore::load(*ws);
    } catch (const std::exception &e) {
        printError(std::string(e.what()));
        return InputError;
    }
    if (sub == QLatin1String("adjust"))
        return adjust(p, *ws, budgets);
    if (sub == QLatin1String("allocate"))
        return allocate(p, *ws, budgets);
    if (sub == QLatin1String("export")) {
        const std::string path = toStd(p.positionalArguments().front());
        const std::string error = BudgetFile::save(path, budgets, BudgetStore::loadPools(*ws));
        if (!error.empty()) {
            printError(error);
            return InputError;
        }
        printOut(std::to_string(budgets.size()) + " budgets written to " + path + "\n");
        return Ok;
    }
    if (sub == QLatin1String("export-litellm")) {
        // FILE.json, and FILE.sh beside it with the same requests as curl commands.
        const std::string path = toStd(p.positionalArguments().front());
        const LiteLlmBudgetExport e = exportLiteLlmBudgets(budgets);
        std::string script = path;
        if (script.size() > 5 && script.compare(script.size() - 5, 5, ".json") == 0)
            script.resize(script.size() - 5);
        script += ".sh";
        for (const auto &[file, text] : {std::pair{path, e.json}, std::pair{script, e.shell}}) {
            std::FILE *f = std::fopen(file.c_str(), "wb");
            if (!f || std::fwrite(text.data(), 1, text.size(), f) != text.size() ||
                std::fclose(f) != 0) {
                printError(file + ": cannot be written");
                return InputError;
            }
        }
        printOut(std::to_string(e.requests) + " LiteLLM budget requests" +
                 (e.settings ? " and the proxy-wide budget (litellm_settings)" : "") +
                 " written to " + path + " and " + script + "; " + std::to_string(e.skipped) +
                 " budgets not exported (the file says why)\n");
        return Ok;
    }
    int64_t atMs = 0;
    if (!readAt(p, atMs))
        return UsageError;
    const std::string format = toStd(p.value(QStringLiteral("format")));
    if (format != "table" && format != "json") {
        printError("budgets: --format expects table or json, not '" + format + "'");
        return UsageError;
    }
    if (atMs < 0)
        atMs = BudgetEvaluator::defaultAsOf(*ws, QDateTime::currentMSecsSinceEpoch());
    const auto statuses = BudgetEvaluator::evaluate(*ws, budgets, atMs);
    bool breach = false;
    for (const auto &s : statuses)
        breach = breach || s.breachesHard();
    if (format == "json") {
        nlohmann::ordered_json doc;
        doc["at"] = formatTimestamp(atMs);
        doc["budgets"] = nlohmann::ordered_json::array();
        for (const auto &s : statuses)
            doc["budgets"].push_back(statusJson(s, statuses));
        if (sub == QLatin1String("check"))
            doc["hard_breach"] = breach;
        printOut(sim::JsonFile::text(doc, 2) + "\n");
    } else {
        printOut(table(statuses));
        if (sub == QLatin1String("check"))
            printOut(breach ? "a hard budget is breached or forecast to breach this period\n"
                            : "no hard budget is breached or forecast to breach\n");
    }
    // check: 3 tells cron and CI that a hard budget is (or will be) over.
    return sub == QLatin1String("check") && breach ? BudgetBreach : Ok;
}

} // namespace tl::cli
