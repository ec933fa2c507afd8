#pragma once

#include "linereader.h"
#include "ownedrecord.h"
#include "recordreader.h"

#include <simdjson.h>

#include <memory>

namespace tl {

// The most common home-grown log: one provider response body per line —
// OpenAI Chat Completions (`chat.completion`), OpenAI Responses
// (`response`) or Anthropic Messages (`message`) — either bare or wrapped
// as {"ts":…, "agent":…, "response": {…}} with our attribution fields.
// OpenAI counts cached tokens inside prompt/input tokens; Anthropic reports
// cache reads and writes beside input_tokens, so they are added to it.
class ApiResponseReader : public RecordReader
{
public:
    ApiResponseReader(std::unique_ptr<ChunkReader> in, std::string fileName);

    Status next(CallRecord &out) override;
    std::string location() const override { return "line " + std::to_string(m_lines.line()); }
    int64_t line() const override { return m_lines.line(); }
    std::string_view rawText() const override { return m_line; }
    const std::string &reason() const override { return m_reason; }
    int64_t bytesRead() const override { return m_in->bytesConsumed(); }
    int64_t bytesTotal() const override { return m_in->fileSize(); }

    static bool sniff(std::string_view head);

private:
    Status parse(CallRecord &out);

    std::unique_ptr<ChunkReader> m_in;
    LineReader m_lines;
    std::string m_fileName;
    simdjson::dom::parser m_parser;
    RecordArena m_arena;
    std::string_view m_line;
    std::string m_reason;
};

} // namespace tl
