#include "sessionlogreader.h"

#include "core/timeutil.h"
#include "nativefields.h"
#include "structuredreader.h"

#include <algorithm>

namespace tl {

using namespace simdjson;
using Element = StructuredReader::Element;

namespace {

Element at(const Element &e, std::initializer_list<const char *> path)
{
    return StructuredReader::at(e, path);
}

std::string_view str(const Element &e)
{
    return StructuredReader::str(e);
}

// A count that must be a non-negative integer when present (0 when absent).
bool count(const Element &e, int64_t &out)
{
    out = 0;
    if (!e || e->is_null())
        return true;
    if (e->is_int64() && int64_t(e->get_int64()) >= 0) {
        out = int64_t(e->get_int64());
        return true;
    }
    if (e->is_uint64() && e->get_uint64() <= uint64_t(INT64_MAX)) {
        out = int64_t(e->get_uint64());
        return true;
    }
    return false;
}

std::string_view lastPathPart(std::string_view path)
{
    while (!path.empty() && (path.back() == '/' || path.back() == '\\'))
        path.remove_suffix(1);
    const size_t slash = path.find_last_of("/\\");
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

} // namespace

void SessionLogReader::Owned::bind()
{
    rec.requestId = requestId;
    rec.model = model;
    rec.agent = agent;
    rec.task = task;
    rec.feature = feature;
    rec.status = status;
    rec.provider = provider;
}

SessionLogReader::SessionLogReader(std::unique_ptr<ChunkReader> in, std::string fileName,
                                   Kind kind)
    : m_in(std::move(in))
    , m_fileName(std::move(fileName))
    , m_kind(kind)
    , m_lines(*m_in)
{}

bool SessionLogReader::sniffClaudeCode(std::string_view head)
{
    return head.find("\"sessionId\"") != std::string_view::npos &&
           (head.find("\"parentUuid\"") != std::string_view::npos ||
            head.find("\"isSidechain\"") != std::string_view::npos);
}

bool SessionLogReader::sniffCodex(std::string_view head)
{
    for (std::string_view marker : {"\"type\":\"session_meta\"", "\"type\": \"session_meta\"",
                                    "\"type\":\"turn_context\"", "\"type\":\"token_count\""})
        if (head.find(marker) != std::string_view::npos && head.find("\"payload\"") != head.npos)
            return true;
    return false;
}

RecordReader::Status SessionLogReader::emit(Owned &&item, CallRecord &out)
{
    m_out = std::move(item);
    m_out.bind();
    out = m_out.rec;
    m_outLine = m_out.line;
    m_raw = m_out.raw;
    return Status::Record;
}

RecordReader::Status SessionLogReader::next(CallRecord &out)
{
    for (;;) {
        std::string_view text;
        const auto r = m_lines.next(text);
        if (r == LineReader::Result::End) {
            if (m_pending) {
                Owned last = std::move(*m_pending);
                m_pending.reset();
                return emit(std::move(last), out);
            }
            return Status::End;
        }
        m_outLine = m_lines.line();
        m_raw = text;
        if (r == LineReader::Result::TooLong) {
            m_reason = "line longer than the 64 MiB limit";
            return Status::Fatal;
        }
        if (text.find_first_not_of(" \t") == std::string_view::npos)
            continue;
        dom::element doc;
        if (auto err = m_parser.parse(text.data(), text.size(), false).get(doc)) {
            // The line being written when a session was interrupted.
            m_reason = std::string("invalid JSON: ") + error_message(err);
            return Status::Rejected;
        }
        Owned item;
        item.line = m_lines.line();
        const Status s = m_kind == Kind::ClaudeCode ? claudeLine(doc, item) : codexLine(doc, item);
        if (s != Status::Record)
            return s;
        item.raw = std::string(text);
        if (m_kind == Kind::Codex)
            return emit(std::move(item), out);
        // Claude Code: a streamed message is rewritten line after line; the
        // last copy holds the final usage.
        if (m_pending && m_pending->requestId == item.requestId) {
            *m_pending = std::move(item);
            continue;
        }
        if (m_pending) {
            Owned done = std::move(*m_pending);
            m_pending = std::move(item);
            return emit(std::move(done), out);
        }
        m_pending = std::move(item);
    }
}

bool SessionLogReader::readTime(const Element &doc, CallRecord &r)
{
    std::string why;
    const auto ts = parseTimestamp(str(at(doc, {"timestamp"})), &why);
    if (!ts) {
        m_reason = "timestamp: " + why;
        return false;
    }
    r.tsMs = *ts;
    return true;
}

RecordReader::Status SessionLogReader::claudeLine(const dom::element &d, Owned &item)
{
    const Element doc = d;
    if (str(at(doc, {"type"})) != "assistant") {
        m_reason = "not an assistant message";
        return Status::Skipped; // user turns, summaries, system lines
    }
    const Element message = at(doc, {"message"});
    const Element usage = at(message, {"usage"});
    const std::string_view model = str(at(message, {"model"}));
    if (!usage || model == "<synthetic>") {
        m_reason = "no usage (a message Claude Code wrote itself)";
        return Status::Skipped;
    }
    CallRecord &r = item.rec;
    int64_t uncached = 0, reads = 0, writes = 0, w5m = 0, w1h = 0;
    struct Field
    {
        std::initializer_list<const char *> path;
        const char *name;
        int64_t *target;
    };
    for (const Field &f :
         {Field{{"input_tokens"}, "input_tokens", &uncached},
          Field{{"cache_read_input_tokens"}, "cache_read_input_tokens", &reads},
          Field{{"cache_creation_input_tokens"}, "cache_creation_input_tokens", &writes},
          Field{{"cache_creation", "ephemeral_5m_input_tokens"},
                "cache_creation.ephemeral_5m_input_tokens", &w5m},
          Field{{"cache_creation", "ephemeral_1h_input_tokens"},
                "cache_creation.ephemeral_1h_input_tokens", &w1h},
          Field{{"output_tokens"}, "output_tokens", &r.outputTokens},
          Field{{"server_tool_use", "web_search_requests"}, "server_tool_use.web_search_requests",
                &r.webSearchCalls}}) {
        if (!count(StructuredReader::at(usage, f.path), *f.target)) {
            m_reason = std::string("$.message.usage.") + f.name + ": expected a non-negative integer";
            return Status::Rejected;
        }
    }
    writes = std::max(writes, w5m + w1h);
    r.inputTokens = uncached + reads + writes; // Anthropic: input_tokens is the uncached part
    r.cachedInputTokens = reads;
    r.cacheWriteTokens = writes;
    r.cacheWrite1hTokens = w1h;
    applyServiceTier(str(at(usage, {"service_tier"})), r);

    if (!readTime(doc, r))
        return Status::Rejected;
    const std::string_view messageId = str(at(message, {"id"}));
    const std::string_view requestId = str(at(doc, {"requestId"}));
    item.requestId = std::string(messageId);
    if (!requestId.empty())
        item.requestId += ":" + std::string(requestId);
    item.model = std::string(model);
    item.provider = "anthropic";
    const Element sidechain = at(doc, {"isSidechain"});
    const std::string_view agentId = str(at(doc, {"agentId"}));
    const bool sub = sidechain && sidechain->is_bool() && bool(sidechain->get_bool());
    item.agent = sub ? "claude-code/" + std::string(agentId.empty() ? "subagent" : agentId)
                     : std::string("claude-code");
    item.task = std::string(str(at(doc, {"sessionId"})));
    const std::string_view cwd = str(at(doc, {"cwd"}));
    item.feature = std::string(lastPathPart(cwd));
    if (const Element e = at(doc, {"isApiErrorMessage"}); e && e->is_bool() && bool(e->get_bool()))
        item.status = "error";
    // Older Claude Code releases wrote their own estimate beside the usage.
    if (const Element cost = at(doc, {"costUSD"}); cost && cost->is_number()) {
        r.hasReportedCost = true;
        r.reportedNusd = usdToNano(double(cost->get_double()));
    }
    for (const auto &[key, tag] : {std::pair{"cwd", "cwd"}, std::pair{"gitBranch", "git_branch"},
                                   std::pair{"version", "claude_code_version"}}) {
        const std::string_view v = str(at(doc, {key}));
        if (!v.empty())
            appendTag(r.tagsJson, tag, v);
    }
    finishTags(r.tagsJson);
    return Status::Record;
}

RecordReader::Status SessionLogReader::codexLine(const dom::element &d, Owned &item)
{
    const Element doc = d;
    const std::string_view type = str(at(doc, {"type"}));
    const Element payload = at(doc, {"payload"});
    if (type == "session_meta") {
        m_session = std::string(str(at(payload, {"id"})));
        m_cwd = std::string(str(at(payload, {"cwd"})));
        m_branch = std::string(str(at(payload, {"git", "branch"})));
        m_codexProvider = std::string(str(at(payload, {"model_provider"})));
        m_reason = "session header";
        return Status::Skipped;
    }
    if (type == "turn_context") {
        if (const std::string_view m = str(at(payload, {"model"})); !m.empty())
            m_model = std::string(m);
        if (const std::string_view c = str(at(payload, {"cwd"})); !c.empty())
            m_cwd = std::string(c);
        m_reason = "turn context";
        return Status::Skipped;
    }
    const Element total = at(payload, {"info", "total_token_usage"});
    if (type != "event_msg" || str(at(payload, {"type"})) != "token_count" || !total) {
        m_reason = "not a token count";
        return Status::Skipped;
    }
    int64_t in = 0, cached = 0, out = 0, reasoning = 0, all = 0;
    if (!count(at(total, {"input_tokens"}), in) ||
        !count(at(total, {"cached_input_tokens"}), cached) ||
        !count(at(total, {"output_tokens"}), out) ||
        !count(at(total, {"reasoning_output_tokens"}), reasoning) ||
        !count(at(total, {"total_tokens"}), all)) {
        m_reason = "$.payload.info.total_token_usage: expected non-negative integer counts";
        return Status::Rejected;
    }
    if (all <= m_prevTotal) {
        // The same running total again (Codex repeats it), or a restart.
        if (all < m_prevTotal)
            m_prevInput = m_prevCached = m_prevOutput = m_prevReasoning = m_prevTotal = 0;
        if (all <= m_prevTotal) {
            m_reason = "no new usage since the last token count";
            return Status::Skipped;
        }
    }
    CallRecord &r = item.rec;
    r.inputTokens = std::max<int64_t>(in - m_prevInput, 0);
    r.cachedInputTokens = std::clamp<int64_t>(cached - m_prevCached, 0, r.inputTokens);
    r.outputTokens = std::max<int64_t>(out - m_prevOutput, 0);
    // Reasoning is a part of output in OpenAI's usage.
    r.reasoningTokens = std::clamp<int64_t>(reasoning - m_prevReasoning, 0, r.outputTokens);
    std::tie(m_prevInput, m_prevCached, m_prevOutput, m_prevReasoning, m_prevTotal) =
        std::tuple{in, cached, out, reasoning, all};
    if (!readTime(doc, r))
        return Status::Rejected;
    item.model = m_model.empty() ? std::string(kUnknownModel) : m_model;
    item.provider = m_codexProvider.empty() ? std::string("openai") : m_codexProvider;
    item.agent = "codex";
    item.task = m_session;
    item.feature = std::string(lastPathPart(m_cwd));
    // The running total is unique within a session: a re-import finds it.
    item.requestId = "codex:" + m_session + ":" + std::to_string(all);
    if (!m_cwd.empty())
        appendTag(r.tagsJson, "cwd", m_cwd);
    if (!m_branch.empty())
        appendTag(r.tagsJson, "git_branch", m_branch);
    finishTags(r.tagsJson);
    return Status::Record;
}

} // namespace tl
