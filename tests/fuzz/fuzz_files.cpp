// The JSON files a user is given by someone else: scenarios, budgets,
// attribution mappings and price catalogs. Each parser gets the same bytes;
// anything it accepts must also save and load again.
#include "budgets/budgetfile.h"
#include "import/attributionmapping.h"
#include "pricing/pricecatalog.h"
#include "scenariofile.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    const tl::sim::ScenarioLoad s = tl::sim::ScenarioFile::parse(text);
    if (s.scenario)
        (void)tl::sim::ScenarioFile::parse(tl::sim::ScenarioFile::serialize(*s.scenario));
    const tl::BudgetLoad b = tl::BudgetFile::parse(text);
    if (b.ok)
        (void)tl::BudgetFile::parse(tl::BudgetFile::serialize(b.budgets));
    std::string error;
    (void)tl::AttributionMapping::fromJson(text, &error);
    if (auto c = tl::PriceCatalog::fromJson(text, &error))
        (void)tl::PriceCatalog::fromJson(c->toJson(), &error);
    return 0;
}
