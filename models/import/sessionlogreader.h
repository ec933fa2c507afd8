#pragma once

#include "linereader.h"
#include "recordreader.h"

#include <simdjson.h>

#include <memory>
#include <optional>
#include <string>

namespace tl {

// Coding agents' own session logs, the JSON Lines files they keep on disk:
// - Claude Code (~/.claude/projects/<project>/<session>.jsonl): one line per
//   message; an assistant message carries the Messages API `usage`. While it
//   streams, Claude Code writes the same message (message id + requestId)
//   several times: consecutive copies collapse into the last, whose usage is
//   final; a copy seen again later is a duplicate by its id. Sub-agents
//   (`isSidechain`, `agentId`) are agents of their own; `sessionId` is the
//   task; `cwd` and `gitBranch` are tags, the cwd's last part the feature.
// - Codex (~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl): `token_count`
//   events carry the session's cumulative usage; a call is the difference
//   from the previous event, its model the last `turn_context`'s.
class SessionLogReader : public RecordReader
{
public:
    enum class Kind { ClaudeCode, Codex };
    SessionLogReader(std::unique_ptr<ChunkReader> in, std::string fileName, Kind kind);

    Status next(CallRecord &out) override;
    std::string location() const override { return "line " + std::to_string(m_outLine); }
    int64_t line() const override { return m_outLine; }
    std::string_view rawText() const override { return m_raw; }
    const std::string &reason() const override { return m_reason; }
    int64_t bytesRead() const override { return m_in->bytesConsumed(); }
    int64_t bytesTotal() const override { return m_in->fileSize(); }

    static bool sniffClaudeCode(std::string_view head);
    static bool sniffCodex(std::string_view head);

    // A record whose text it owns: what a line produced, held until the
    // next line says whether it was final.
    struct Owned
    {
        CallRecord rec;
        std::string requestId, model, agent, task, feature, status, provider;
        int64_t line = 0;
        std::string raw;
        // Points rec's views at the strings (after a copy or a move).
        void bind();
    };

private:
    // Each fills `item` and returns Record, or returns Skipped / Rejected.
    Status claudeLine(const simdjson::dom::element &doc, Owned &item);
    Status codexLine(const simdjson::dom::element &doc, Owned &item);
    Status emit(Owned &&item, CallRecord &out);
    // The line's "timestamp" into r.tsMs, or false with reason() set.
    bool readTime(const std::optional<simdjson::dom::element> &doc, CallRecord &r);

    std::unique_ptr<ChunkReader> m_in;
    std::string m_fileName;
    Kind m_kind;
    LineReader m_lines;
    simdjson::dom::parser m_parser;
    std::optional<Owned> m_pending; // Claude Code: the last copy of a message so far
    Owned m_out;                    // what next() handed out last
    // Codex state across lines.
    std::string m_session, m_model, m_cwd, m_branch, m_codexProvider;
    int64_t m_prevInput = 0, m_prevCached = 0, m_prevOutput = 0, m_prevReasoning = 0,
            m_prevTotal = 0;
    int64_t m_outLine = 0;
    std::string_view m_raw;
    std::string m_reason;
};

} // namespace tl
