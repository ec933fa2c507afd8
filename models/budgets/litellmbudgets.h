#pragma once

#include "budgets/budget.h"

#include <string>
#include <vector>

namespace tl {

// Budgets as the LiteLLM proxy enforces them, so that the gateway stops
// what the finance lead planned (tokenledger only sees calls after the
// fact). A hard budget becomes a max_budget that resets with the period
// (LiteLLM resets "1d" at midnight, "7d" on Monday, "30d" on the 1st: the
// calendar periods tokenledger uses); its scope decides where it goes:
//   organisation -> litellm_settings in config.yaml
//   team         -> POST /team/new   {team_alias}
//   user         -> POST /user/new   {user_id}
//   feature      -> POST /tag/new    {name}  (LiteLLM's tag budgets)
//   agent        -> POST /key/generate {key_alias} (a key per agent)
//   model        -> router_settings.provider_budget_config is per provider:
//                   a model scope is listed as not exported, with why.
// A budget that cannot be enforced there (alert-only, two dimensions, a
// quarter, a policy LiteLLM does not have) is listed with the reason.
struct LiteLlmBudgetExport
{
    std::string json;  // the document (see README, "Budgets at the gateway")
    std::string shell; // the same requests as curl commands
    int requests = 0, settings = 0, skipped = 0;
};

LiteLlmBudgetExport exportLiteLlmBudgets(const std::vector<Budget> &budgets);

} // namespace tl
