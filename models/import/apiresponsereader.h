#pragma once

#include "structuredreader.h"

namespace tl {

// The most common home-grown log: one provider response body per line —
// OpenAI Chat Completions (`chat.completion`), OpenAI Responses
// (`response`) or Anthropic Messages (`message`) — either bare or wrapped
// as {"ts":…, "agent":…, "response": {…}} with our attribution fields.
// OpenAI counts cached tokens inside prompt/input tokens; Anthropic reports
// cache reads and writes beside input_tokens, so they are added to it.
class ApiResponseReader : public StructuredReader
{
public:
    ApiResponseReader(std::unique_ptr<ChunkReader> in, std::string fileName)
        : StructuredReader(std::move(in), std::move(fileName), Shape::JsonLines)
    {}
    static bool sniff(std::string_view head);

protected:
    Status map(const Row &row, CallRecord &out) override;
};

} // namespace tl
