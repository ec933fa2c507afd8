#include "litellmbudgets.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace tl {

namespace {

std::string duration(BudgetPeriod p)
{
    switch (p) {
    case BudgetPeriod::Day:
        return "1d";
    case BudgetPeriod::Week:
        return "7d";
    case BudgetPeriod::Month:
        return "30d";
    case BudgetPeriod::Quarter:
        return {};
    }
    return {};
}

// Shell single quotes around JSON.
std::string quoted(const std::string &s)
{
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

} // namespace

LiteLlmBudgetExport exportLiteLlmBudgets(const std::vector<Budget> &budgets)
{
    LiteLlmBudgetExport out;
    nlohmann::ordered_json doc;
    doc["format"] = "tokenledger-litellm-budgets";
    doc["version"] = 1;
    doc["note"] = "Hard budgets as LiteLLM proxy budgets: send each request to the proxy with "
                  "the master key (or run the shell script), and put litellm_settings in "
                  "config.yaml. LiteLLM rejects calls past max_budget.";
    doc["litellm_settings"] = nlohmann::ordered_json::object();
    doc["requests"] = nlohmann::ordered_json::array();
    doc["not_exported"] = nlohmann::ordered_json::array();
    std::string shell =
        "#!/bin/sh\n# tokenledger budgets as LiteLLM proxy budgets.\n"
        "# LITELLM_URL (e.g. http://localhost:4000) and LITELLM_MASTER_KEY must be set.\n"
        "set -eu\n";
    auto skip = [&](const Budget &b, const std::string &why) {
        doc["not_exported"].push_back(
            {{"budget", b.name}, {"scope", b.scopeText()}, {"reason", why}});
        ++out.skipped;
    };
    for (const Budget &b : budgets) {
        const double usd = std::round(double(b.amountNusd) / 1e3) / 1e6; // to the micro-dollar
        if (!b.hard) {
            skip(b, "alert-only (not hard): tokenledger's alerts watch it; the gateway need not "
                    "stop calls");
            continue;
        }
        const std::string every = duration(b.period);
        if (every.empty()) {
            skip(b, "a quarter has no LiteLLM budget_duration that resets on the calendar "
                    "(1d, 7d and 30d do)");
            continue;
        }
        if (b.scope.size() > 1) {
            skip(b, "LiteLLM budgets one team, user, tag or key each; this scope names " +
                        std::to_string(b.scope.size()) + " dimensions");
            continue;
        }
        std::string policy;
        if (b.onBreach == BreachPolicy::Downgrade)
            policy = "LiteLLM rejects past max_budget; it does not downgrade to " + b.downgradeTo +
                     " (a fallback model in the router is the nearest)";
        else if (b.onBreach == BreachPolicy::Cache)
            policy = "LiteLLM rejects past max_budget; serving from cache is the proxy's cache "
                     "setting, not a budget";
        if (b.scope.empty()) {
            doc["litellm_settings"]["max_budget"] = usd;
            doc["litellm_settings"]["budget_duration"] = every;
            doc["litellm_settings"]["_budget"] = b.name;
            if (!policy.empty())
                doc["litellm_settings"]["_note"] = policy;
            ++out.settings;
            continue;
        }
        const auto &[dim, name] = *b.scope.begin();
        std::string path;
        nlohmann::ordered_json body;
        switch (dim) {
        case Dimension::Team:
            path = "/team/new";
            body["team_alias"] = name;
            break;
        case Dimension::User:
            path = "/user/new";
            body["user_id"] = name;
            break;
        case Dimension::Feature:
            path = "/tag/new";
            body["name"] = name;
            break;
        case Dimension::Agent:
            path = "/key/generate";
            body["key_alias"] = name;
            break;
        default:
            skip(b, "LiteLLM budgets providers, not single models "
                    "(router_settings.provider_budget_config)");
            continue;
        }
        body["max_budget"] = usd;
        body["budget_duration"] = every;
        nlohmann::ordered_json request = {
            {"budget", b.name}, {"method", "POST"}, {"path", path}, {"body", body}};
        if (!policy.empty())
            request["note"] = policy;
        shell += "# " + b.name + (policy.empty() ? "" : " (" + policy + ")") + "\n";
        shell += "curl -fsS -X POST \"$LITELLM_URL" + path +
                 "\" -H \"Authorization: Bearer $LITELLM_MASTER_KEY\" -H 'Content-Type: "
                 "application/json' -d " +
                 quoted(body.dump()) + "\n";
        doc["requests"].push_back(std::move(request));
        ++out.requests;
    }
    if (out.settings)
        shell += "# config.yaml, litellm_settings: max_budget: " +
                 doc["litellm_settings"]["max_budget"].dump() + ", budget_duration: " +
                 doc["litellm_settings"]["budget_duration"].get<std::string>() + "\n";
    out.json = doc.dump(2) + "\n";
    out.shell = shell;
    return out;
}

} // namespace tl
