#include "formats.h"

#include "apiresponsereader.h"
#include "chunkreader.h"
#include "heliconereader.h"
#include "langfusereader.h"
#include "openrouterreader.h"
#include "litellmreader.h"
#include "nativecsvreader.h"
#include "nativejsonlreader.h"
#include "otelreader.h"
#include "sessionlogreader.h"
#include "usagereportreader.h"

#include <algorithm>

namespace tl {

const std::vector<LogFormat> &logFormats()
{
    static const std::vector<LogFormat> formats = {
        {"otel",
         "OpenTelemetry OTLP/JSON traces with GenAI attributes (one document, or JSON Lines of "
         "them)",
         &OtelReader::sniff,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<OtelReader>(std::move(in), file);
         }},
        {"litellm-daily",
         "LiteLLM daily activity (/user/daily/activity, /team/daily/activity: per day and model)",
         &UsageReportReader::sniffLiteLlmDaily,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<UsageReportReader>(std::move(in), file,
                                                        UsageReportReader::Provider::LiteLlmDaily);
         }},
        {"openrouter-activity",
         "OpenRouter activity (/api/v1/activity: per day, model and endpoint)",
         &OpenRouterReader::sniffActivity,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<OpenRouterReader>(std::move(in), file,
                                                       StructuredReader::Shape::JsonArray,
                                                       OpenRouterReader::Kind::Activity);
         }},
        {"openrouter", "OpenRouter generation stats (/api/v1/generation): a JSON array",
         &OpenRouterReader::sniffGenerations,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<OpenRouterReader>(std::move(in), file,
                                                       StructuredReader::Shape::JsonArray,
                                                       OpenRouterReader::Kind::Generations);
         }},
        {"openrouter-jsonl", "OpenRouter generation stats, one response per line",
         &OpenRouterReader::sniffGenerationLines,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<OpenRouterReader>(std::move(in), file,
                                                       StructuredReader::Shape::JsonLines,
                                                       OpenRouterReader::Kind::Generations);
         }},
        {"helicone", "Helicone request rows: the export CLI's JSON (or an API page)",
         &HeliconeReader::sniffJson,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<HeliconeReader>(std::move(in), file,
                                                     StructuredReader::Shape::JsonArray);
         }},
        {"helicone-jsonl", "Helicone request rows: the export CLI's JSON Lines",
         &HeliconeReader::sniffJsonLines,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<HeliconeReader>(std::move(in), file,
                                                     StructuredReader::Shape::JsonLines);
         }},
        {"helicone-csv", "Helicone request rows: the export CLI's CSV", &HeliconeReader::sniffCsv,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<HeliconeReader>(std::move(in), file,
                                                     StructuredReader::Shape::Csv);
         }},
        {"claude-code",
         "Claude Code session logs (~/.claude/projects/…/*.jsonl; a folder is walked)",
         &SessionLogReader::sniffClaudeCode,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<SessionLogReader>(std::move(in), file,
                                                       SessionLogReader::Kind::ClaudeCode);
         }},
        {"codex", "Codex CLI session logs (~/.codex/sessions/…/rollout-*.jsonl)",
         &SessionLogReader::sniffCodex,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<SessionLogReader>(std::move(in), file,
                                                       SessionLogReader::Kind::Codex);
         }},
        {"litellm", "LiteLLM spend logs: the JSON of /spend/logs (or a {\"data\":[…]} page)",
         &LiteLlmReader::sniffJson,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<LiteLlmReader>(std::move(in), file,
                                                    StructuredReader::Shape::JsonArray);
         }},
        {"litellm-csv", "LiteLLM spend logs: a CSV of the LiteLLM_SpendLogs table",
         &LiteLlmReader::sniffCsv,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<LiteLlmReader>(std::move(in), file,
                                                    StructuredReader::Shape::Csv);
         }},
        {"openai-usage", "OpenAI organization usage API, completions (time buckets of aggregates)",
         &UsageReportReader::sniffOpenAi,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<UsageReportReader>(std::move(in), file,
                                                        UsageReportReader::Provider::OpenAi);
         }},
        {"anthropic-usage",
         "Anthropic Admin API messages usage report (time buckets of aggregates)",
         &UsageReportReader::sniffAnthropic,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<UsageReportReader>(std::move(in), file,
                                                        UsageReportReader::Provider::Anthropic);
         }},
        {"langfuse", "Langfuse observations: an API page ({\"data\":[…]}) or the UI's JSON export",
         &LangfuseReader::sniffJson,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<LangfuseReader>(std::move(in), file,
                                                     StructuredReader::Shape::JsonArray);
         }},
        {"langfuse-jsonl", "Langfuse observations: the UI's JSON Lines export",
         &LangfuseReader::sniffJsonLines,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<LangfuseReader>(std::move(in), file,
                                                     StructuredReader::Shape::JsonLines);
         }},
        {"langfuse-csv", "Langfuse observations: the UI's CSV export", &LangfuseReader::sniffCsv,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<LangfuseReader>(std::move(in), file,
                                                     StructuredReader::Shape::Csv);
         }},
        {"api-responses",
         "OpenAI or Anthropic response bodies, one per line, bare or wrapped with ts/agent/…",
         &ApiResponseReader::sniff,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<ApiResponseReader>(std::move(in), file);
         }},
        {"jsonl", "tokenledger JSON Lines (one call object per line)", &NativeJsonlReader::sniff,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<NativeJsonlReader>(std::move(in), file);
         }},
        {"csv", "tokenledger CSV (header row with ts, model, input_tokens, output_tokens)",
         &NativeCsvReader::sniff,
         [](std::unique_ptr<ChunkReader> in,
            const std::string &file) -> std::unique_ptr<RecordReader> {
             return std::make_unique<NativeCsvReader>(std::move(in), file);
         }},
    };
    return formats;
}

std::string logFormatNames()
{
    std::string s;
    for (const auto &f : logFormats())
        s += (s.empty() ? "" : ", ") + f.name;
    return s;
}

std::unique_ptr<RecordReader> openLogFile(const std::string &path, const std::string &format,
                                          std::string *detected, std::string *error)
{
    auto in = std::make_unique<ChunkReader>();
    if (!in->open(path, error))
        return nullptr;
    const auto &formats = logFormats();
    const LogFormat *chosen = nullptr;
    if (format.empty() || format == "auto") {
        std::string_view head(in->begin(), std::min<size_t>(in->available(), 64 * 1024));
        for (const auto &f : formats)
            if (f.sniff(head)) {
                chosen = &f;
                break;
            }
        if (!chosen) {
            if (error)
                *error = path + ": not a known log format (tried " + logFormatNames() + ")";
            return nullptr;
        }
    } else {
        auto it = std::find_if(formats.begin(), formats.end(),
                               [&](const LogFormat &f) { return f.name == format; });
        if (it == formats.end()) {
            if (error)
                *error = "unknown format '" + format + "' (known: auto, " + logFormatNames() + ")";
            return nullptr;
        }
        chosen = &*it;
    }
    if (detected)
        *detected = chosen->name;
    return chosen->open(std::move(in), path);
}

} // namespace tl
