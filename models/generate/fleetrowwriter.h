#pragma once

#include "pricing/pricecatalog.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace tl {

// One generated call, ready to be written in any of the formats.
struct GeneratedCall
{
    int64_t tsMs = 0;
    std::string_view requestId, provider, model, status, agent, task, feature, user, team, outcome,
        value, promptHash;
    int64_t input = 0, output = 0, cached = 0, cacheWrite = 0, reasoning = 0, latencyMs = 0;
    bool batch = false;
};

// Writes generated calls as the tools that produce each format write them:
// our CSV and JSON Lines, OpenTelemetry OTLP/JSON lines (one document per
// call, GenAI attributes) and a LiteLLM /spend/logs array (with `spend`
// from the built-in catalog, as the proxy would have computed it).
class FleetRowWriter
{
public:
    static bool knownFormat(std::string_view format);
    explicit FleetRowWriter(std::string format);

    void begin(std::string &out) const;
    void write(const GeneratedCall &c, std::string &out);
    void end(std::string &out) const;

private:
    void csv(const GeneratedCall &c, std::string &out) const;
    void jsonl(const GeneratedCall &c, std::string &out) const;
    void otel(const GeneratedCall &c, std::string &out) const;
    void litellm(const GeneratedCall &c, std::string &out);

    std::string m_format;
    PriceCatalog m_catalog;
    bool m_first = true;
};

} // namespace tl
