#pragma once

#include "jsonarraystream.h"
#include "ownedrecord.h"
#include "recordreader.h"

#include <simdjson.h>

#include <memory>
#include <vector>

namespace tl {

// Provider usage reports: time buckets of aggregates, not calls.
// - OpenAI's organization usage API, completions endpoint: pages of
//   {"start_time","end_time","results":[{num_model_requests, input_tokens,
//   input_cached_tokens, output_tokens, model, project_id, …}]}; input_tokens
//   include cached and cache-write tokens.
// - Anthropic's Admin usage report (messages): {"starting_at","results":[
//   {uncached_input_tokens, cache_creation{ephemeral_5m…,1h…},
//   cache_read_input_tokens, output_tokens, model, workspace_id, …}]}; the
//   cache parts are beside the uncached input and are added to it.
// Each result becomes one record with `requests` = the bucket's request
// count (Anthropic reports none: 1). Its dedupe key is (source, bucket
// start, group keys), so an overlapping report window adds nothing again.
class UsageReportReader : public RecordReader
{
public:
    // LiteLlmDaily: the proxy's /user/daily/activity (and /team/…) report:
    // {"results":[{"date","metrics":{…},"breakdown":{"models":{name: {"metrics":
    // {spend, prompt_tokens, completion_tokens, cache_read_input_tokens,
    // cache_creation_input_tokens, api_requests, …}}}}}]}; one record per day
    // and model (older releases put the metrics straight under the model).
    enum class Provider { OpenAi, Anthropic, LiteLlmDaily };
    UsageReportReader(std::unique_ptr<ChunkReader> in, std::string fileName, Provider provider);

    Status next(CallRecord &out) override;
    std::string location() const override { return m_location; }
    int64_t line() const override { return m_array.line(); }
    std::string_view rawText() const override { return m_raw; }
    const std::string &reason() const override { return m_reason; }
    int64_t bytesRead() const override { return m_in->bytesConsumed(); }
    int64_t bytesTotal() const override { return m_in->fileSize(); }

    static bool sniffOpenAi(std::string_view head);
    static bool sniffAnthropic(std::string_view head);
    static bool sniffLiteLlmDaily(std::string_view head);

private:
    bool readBucket();
    void readLiteLlmDay(const simdjson::dom::element &day, const std::string &where);

    std::unique_ptr<ChunkReader> m_in;
    std::string m_fileName;
    Provider m_provider;
    JsonArrayStream m_array;
    simdjson::dom::parser m_parser;
    std::vector<PendingItem> m_items;
    size_t m_next = 0;
    RecordArena m_arena;
    bool m_fatal = false;
    std::string_view m_raw;
    std::string m_location;
    std::string m_reason;
};

} // namespace tl
