#pragma once

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tl {

struct CallRecord;
class RecordArena;

// Which source field fills agent, task, feature, user and team, per log
// format — every team tags differently. A JSON file:
//
//   {"format": "tokenledger-mapping", "version": 1,
//    "otel":     {"agent": ["resource:service.name"], "team": ["resource:k8s.namespace.name"]},
//    "litellm":  {"agent": ["tag:agent", "metadata:spend_logs_metadata.agent"]},
//    "langfuse": {"feature": ["field:traceName"]},
//    "focus":    {"agent": ["tag:app"], "team": ["tag:cost-center", "field:SubAccountName"]}}
//
// A target listed for a format replaces that format's default for it: the
// first source with a value wins. Sources: `span:ATTR` and `resource:ATTR`
// (otel); `field:KEY`, `metadata:DOTTED.PATH` and `tag:PREFIX` (a
// "PREFIX:value" entry of the record's tag list) for the structured formats;
// for a FOCUS bill, `tag:KEY` (a key of the row's Tags) and `field:COLUMN`.
class AttributionMapping
{
public:
    static constexpr const char *kFormat = "tokenledger-mapping";
    enum class Target { Agent, Task, Feature, User, Team };
    struct Source
    {
        std::string kind; // span, resource, field, metadata, tag
        std::string key;
    };
    using Rules = std::map<Target, std::vector<Source>>;
    // Returns the value of one source for the record at hand, or empty.
    using Resolver = std::function<std::string_view(const Source &)>;

    static std::optional<AttributionMapping> fromJson(std::string_view text, std::string *error);
    static std::optional<AttributionMapping> fromFile(const std::string &path, std::string *error);

    // Rules for a format name (litellm-csv uses "litellm", langfuse-jsonl "langfuse"…), or null.
    const Rules *rulesFor(std::string_view format) const;
    // Overwrites the record's targets that `rules` names, from `resolve`.
    static void apply(const Rules &rules, const Resolver &resolve, CallRecord &record,
                      RecordArena &arena);

private:
    std::map<std::string, Rules> m_formats;
};

} // namespace tl
