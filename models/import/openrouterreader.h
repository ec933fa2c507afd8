#pragma once

#include "structuredreader.h"

namespace tl {

// OpenRouter:
// - Generations: what `GET /api/v1/generation?id=…` returns for each call,
//   collected one per line (`{"data": {…}}` or the bare object) or as an
//   array. Tokens are the provider's own counts (`native_tokens_*`) where
//   present, OpenRouter's normalised ones (`tokens_*`) otherwise; the cost
//   is `total_cost`, what OpenRouter charged.
// - Activity: `GET /api/v1/activity` (`{"data":[{date, model,
//   model_permaslug, endpoint_id, provider_name, usage, byok_usage_inference,
//   requests, prompt_tokens, completion_tokens, reasoning_tokens}]}`), one
//   aggregated record per day, model and endpoint; its cost is the credits
//   used plus the BYOK inference the provider billed directly.
class OpenRouterReader : public StructuredReader
{
public:
    enum class Kind { Generations, Activity };
    OpenRouterReader(std::unique_ptr<ChunkReader> in, std::string fileName, Shape shape, Kind kind)
        : StructuredReader(std::move(in), std::move(fileName), shape)
        , m_kind(kind)
    {}
    static bool sniffGenerations(std::string_view head);
    static bool sniffGenerationLines(std::string_view head);
    static bool sniffActivity(std::string_view head);

protected:
    Status map(const Row &row, CallRecord &out) override;

private:
    Status mapGeneration(const Element &g, CallRecord &out);
    Status mapActivity(const Element &a, CallRecord &out);
    Kind m_kind;
};

} // namespace tl
