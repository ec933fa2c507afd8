#pragma once

#include "linereader.h"
#include "ownedrecord.h"
#include "recordreader.h"

#include <simdjson.h>

#include <array>
#include <memory>
#include <vector>

namespace tl {

// OpenTelemetry traces in OTLP/JSON (resourceSpans -> scopeSpans -> spans)
// with the GenAI semantic conventions, current and deprecated attribute
// names. A file is one JSON document or JSON Lines of documents (what the
// Collector's file exporter writes). Spans without GenAI token usage (HTTP,
// database, tool and agent spans) are skipped, not rejected.
class OtelReader : public RecordReader
{
public:
    OtelReader(std::unique_ptr<ChunkReader> in, std::string fileName);

    Status next(CallRecord &out) override;
    std::string location() const override
    {
        return m_location.empty() ? m_where + spanPath(m_currentPath) : m_location;
    }
    int64_t line() const override { return m_lineNo; }
    std::string_view rawText() const override { return m_raw; }
    const std::string &reason() const override { return m_reason; }
    int64_t bytesRead() const override { return m_in->bytesConsumed(); }
    int64_t bytesTotal() const override { return m_in->fileSize(); }

    static bool sniff(std::string_view head);

private:
    bool readDocument(); // false at the end of input or on a fatal error
    static std::string spanPath(const std::array<size_t, 3> &p);
    bool parseDocument(std::string_view json, size_t capacity);

    std::unique_ptr<ChunkReader> m_in;
    LineReader m_lines;
    std::string m_fileName;
    simdjson::ondemand::parser m_parser;
    std::string m_whole; // a single (pretty-printed) document, read whole
    bool m_wholeMode = false;
    bool m_done = false;
    int64_t m_documents = 0;
    bool m_fatal = false;
    std::vector<PendingItem> m_items;
    size_t m_nextItem = 0;
    RecordArena m_arena;
    int64_t m_lineNo = 0;
    std::string_view m_raw;
    std::string m_location;
    std::string m_where; // "line N: " of the current document
    std::array<size_t, 3> m_currentPath{};
    std::string m_reason;
};

} // namespace tl
