#pragma once

#include "structuredreader.h"

namespace tl {

// Langfuse observations: the public API's `{"data":[…]}` pages and the UI's
// JSON, JSON Lines and CSV exports (camelCase keys; in CSV the nested
// values are JSON cells). Only GENERATION and EMBEDDING observations are
// calls; spans and events are skipped. Token usage is read the way
// Langfuse itself sums it: every usageDetails key containing "input"
// (resp. "output"), so OpenAI-shaped and Anthropic-shaped usage both come
// out as the whole prompt, with the cached and cache-write parts beside.
class LangfuseReader : public StructuredReader
{
public:
    using StructuredReader::StructuredReader;
    static bool sniffJson(std::string_view head);
    static bool sniffJsonLines(std::string_view head);
    static bool sniffCsv(std::string_view head);

protected:
    Status map(const Row &row, CallRecord &out) override;
};

// The provider a model name implies (gpt-… → openai, claude-… → anthropic…),
// for sources that log no provider.
std::string_view providerForModel(std::string_view model);

} // namespace tl
