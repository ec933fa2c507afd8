#pragma once

#include "ownedrecord.h"
#include "recordreader.h"

#include <string>
#include <vector>

namespace tl {

// An OTLP/protobuf ExportTraceServiceRequest (what OpenTelemetry SDKs and the
// Collector POST to /v1/traces by default), decoded with OTLP's field
// numbers and mapped by the same rule as OTLP/JSON files (otel::mapSpan).
// The whole body is decoded before the first record: a malformed message is
// Fatal and hands out nothing.
class OtlpProtoReader : public RecordReader
{
public:
    explicit OtlpProtoReader(std::string body);

    Status next(CallRecord &out) override;
    std::string location() const override { return m_location; }
    int64_t line() const override { return 0; }
    std::string_view rawText() const override { return {}; }
    const std::string &reason() const override { return m_reason; }
    int64_t bytesRead() const override { return m_decoded ? int64_t(m_body.size()) : 0; }
    int64_t bytesTotal() const override { return int64_t(m_body.size()); }

    // Checks a body without mapping it: on failure, what and where.
    static bool validate(std::string_view body, std::string *error);
    // How many spans a well-formed body holds (the receiver's partial-success count).
    static int64_t countSpans(std::string_view body);

private:
    bool decode();

    std::string m_body;
    bool m_decoded = false;
    bool m_fatal = false;
    std::vector<PendingItem> m_items;
    size_t m_next = 0;
    RecordArena m_arena;
    std::string m_location;
    std::string m_reason;
};

} // namespace tl
