#pragma once

#include "attributionmapping.h"
#include "ownedrecord.h"

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace tl::otel {

// One OTLP span as both encodings carry it (OTLP/JSON files and requests,
// OTLP/protobuf requests): what the GenAI mapping reads, decoded once by
// each encoding's parser. Text is a view into the parser's buffer.
struct AnyValue
{
    enum Kind { None, String, Int, Double, Bool } kind = None;
    std::string_view s;
    int64_t i = 0;
    double d = 0;
};

// A span has a dozen or two attributes: a flat list beats a hash map.
using Attributes = std::vector<std::pair<std::string_view, AnyValue>>;

struct SpanData
{
    std::string_view traceId, spanId, name; // ids as lowercase hex
    std::array<size_t, 3> path{};           // resourceSpans, scopeSpans, spans indexes
    int64_t startNs = -1, endNs = -1;
    int64_t statusCode = 0;
    Attributes attrs;
};

// The one mapping from a span with GenAI attributes (current and deprecated
// names) to a call: `import --format otel` and `collect` both use it.
// Fills `item` as a Record, a Skipped span (no token usage: a tool, agent,
// HTTP or database span) or a Rejected one with its reason.
void mapSpan(const SpanData &s, const Attributes &resource, const AttributionMapping::Rules *rules,
             RecordArena &arena, PendingItem &item);

} // namespace tl::otel
