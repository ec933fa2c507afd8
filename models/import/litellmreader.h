#pragma once

#include "structuredreader.h"

namespace tl {

// LiteLLM proxy spend logs: the JSON array `/spend/logs` returns (or the
// `{"data":[…]}` page of `/spend/logs/v2`), and the CSV of the
// LiteLLM_SpendLogs table, whose `metadata` and `request_tags` cells hold
// JSON. `spend` is the reported cost; prompt_tokens follow OpenAI's
// convention (cache reads inside).
class LiteLlmReader : public StructuredReader
{
public:
    using StructuredReader::StructuredReader;
    static bool sniffJson(std::string_view head);
    static bool sniffCsv(std::string_view head);

protected:
    Status map(const Row &row, CallRecord &out) override;
};

} // namespace tl
