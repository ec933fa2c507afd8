#pragma once

#include "structuredreader.h"

namespace tl {

// Helicone request rows, as its export CLI (`npx @helicone/export`) writes
// them as JSON, JSON Lines or CSV, and as its request query API returns them.
// Tokens: `prompt_tokens` is the whole prompt with the cache parts
// (`prompt_cache_read_tokens`, `prompt_cache_write_tokens`) inside, except
// for Anthropic, whose counts Helicone keeps as Anthropic reports them (the
// cache parts beside). Custom properties (`Helicone-Property-*` headers, in
// `request_properties`) give agent, task (the session id), feature and
// team; the others are kept as tags.
class HeliconeReader : public StructuredReader
{
public:
    using StructuredReader::StructuredReader;
    static bool sniffJson(std::string_view head);
    static bool sniffJsonLines(std::string_view head);
    static bool sniffCsv(std::string_view head);

protected:
    Status map(const Row &row, CallRecord &out) override;
};

} // namespace tl
