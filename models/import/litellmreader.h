#pragma once

#include "csvreader.h"
#include "jsonarraystream.h"
#include "ownedrecord.h"
#include "recordreader.h"

#include <simdjson.h>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace tl {

// LiteLLM proxy spend logs: the JSON array `/spend/logs` returns (or the
// `{"data":[…]}` page of `/spend/logs/v2`), and the CSV of the
// LiteLLM_SpendLogs table, whose `metadata` and `request_tags` cells hold
// JSON. `spend` is the reported cost; prompt_tokens follow OpenAI's
// convention (cache reads inside).
class LiteLlmReader : public RecordReader
{
public:
    enum class Shape { JsonArray, Csv };
    LiteLlmReader(std::unique_ptr<ChunkReader> in, std::string fileName, Shape shape);

    Status next(CallRecord &out) override;
    std::string location() const override { return m_location; }
    int64_t line() const override { return m_lineNo; }
    std::string_view rawText() const override { return m_raw; }
    const std::string &reason() const override { return m_reason; }
    int64_t bytesRead() const override { return m_in->bytesConsumed(); }
    int64_t bytesTotal() const override { return m_in->fileSize(); }

    static bool sniffJson(std::string_view head);
    static bool sniffCsv(std::string_view head);

    // The row, whichever shape it came in: top-level values as text or
    // numbers, and the parsed metadata object.
    struct Row
    {
        std::function<std::optional<std::string_view>(std::string_view key)> text;
        std::function<std::optional<double>(std::string_view key)> number;
        std::optional<simdjson::dom::element> metadata;
        std::optional<simdjson::dom::element> requestTags; // an array of strings
    };

private:
    Status map(const Row &row, CallRecord &out);
    Status nextJson(CallRecord &out);
    Status nextCsv(CallRecord &out);

    std::unique_ptr<ChunkReader> m_in;
    std::string m_fileName;
    Shape m_shape;
    JsonArrayStream m_array;
    CsvReader m_csv;
    std::vector<std::string> m_header;
    std::vector<std::string_view> m_fields;
    simdjson::dom::parser m_parser;
    simdjson::dom::parser m_metaParser;
    simdjson::dom::parser m_tagsParser;
    std::string m_metaCopy, m_tagsCopy;
    RecordArena m_arena;
    int64_t m_lineNo = 0;
    std::string_view m_raw;
    std::string m_location;
    std::string m_reason;
};

} // namespace tl
