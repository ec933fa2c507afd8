#pragma once

#include "priceentry.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tl {

// The price list: entries per model with effective dates, and the rules to
// find the entry that applies to a logged model name at a call's time.
class PriceCatalog
{
public:
    // Parses our catalog format ({"format":"tokenledger-prices",...} or the
    // reference table's {"models":[...]}) or LiteLLM's
    // model_prices_and_context_window.json, detected by content.
    static std::optional<PriceCatalog> fromJson(std::string_view text, std::string *error);
    static std::optional<PriceCatalog> fromFile(const std::string &path, std::string *error);
    // The catalog built into the program (resources/prices.json).
    static PriceCatalog builtIn();

    std::string toJson() const;

    const std::vector<PriceEntry> &entries() const { return m_entries; }
    bool isEmpty() const { return m_entries.empty(); }
    void addEntry(PriceEntry e);

    // The entry in force at tsMs for a model as logged: exact name or alias,
    // then without a "provider/" prefix, then without a dated-snapshot suffix
    // (gpt-4o-2024-08-06 -> gpt-4o, claude-x-20250929 -> claude-x).
    // nullptr when no entry exists or none was in force yet.
    const PriceEntry *priceAt(std::string_view model, int64_t tsMs) const;
    // Every entry a logged model resolves to, oldest effective date first.
    std::vector<const PriceEntry *> entriesFor(std::string_view model) const;
    // The entry of `sorted` (as entriesFor returns) in force at tsMs.
    static const PriceEntry *entryAt(const std::vector<const PriceEntry *> &sorted, int64_t tsMs);
    // The catalog name a logged model resolves to, or empty.
    std::string resolve(std::string_view model) const;

private:
    void reindex();
    const std::vector<size_t> *lookup(std::string_view name) const;
    const std::vector<size_t> *findIndexes(std::string_view model) const;

    std::vector<PriceEntry> m_entries;
    // name or alias -> entry indexes sorted by effective date
    std::unordered_map<std::string, std::vector<size_t>> m_index;
};

} // namespace tl
