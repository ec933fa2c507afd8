#include "attributionmapping.h"

#include "core/callrecord.h"
#include "ownedrecord.h"

#include "jsonfile.h"

#include <nlohmann/json.hpp>

namespace tl {

namespace {

struct FormatSources
{
    const char *format;
    std::vector<std::string_view> kinds;
};

const std::vector<FormatSources> &formats()
{
    static const std::vector<FormatSources> f = {
        {"otel", {"span", "resource"}},
        {"litellm", {"field", "metadata", "tag"}},
        {"langfuse", {"field", "metadata", "tag"}},
        {"api-responses", {"field"}},
        // Cloud bills: a key of the row's Tags object, or a column of the row.
        {"focus", {"tag", "field"}},
    };
    return f;
}

std::optional<AttributionMapping::Target> targetFromName(std::string_view n)
{
    using T = AttributionMapping::Target;
    if (n == "agent")
        return T::Agent;
    if (n == "task" || n == "task_id")
        return T::Task;
    if (n == "feature")
        return T::Feature;
    if (n == "user")
        return T::User;
    if (n == "team")
        return T::Team;
    return std::nullopt;
}

} // namespace

std::optional<AttributionMapping> AttributionMapping::fromJson(std::string_view text,
                                                               std::string *error)
{
    auto fail = [&](std::string why) -> std::optional<AttributionMapping> {
        if (error)
            *error = std::move(why);
        return std::nullopt;
    };
    std::string why;
    auto parsed = sim::JsonFile::parsePlain(text, &why);
    if (!parsed)
        return fail(why);
    nlohmann::json &doc = *parsed;
    if (!doc.is_object())
        return fail("$: expected an object");
    if (doc.value("format", std::string()) != kFormat)
        return fail("$.format: expected \"tokenledger-mapping\"");
    if (!doc.contains("version") || !doc["version"].is_number_integer() ||
        doc["version"].get<int>() > 1)
        return fail("$.version: this program reads mapping version 1");
    AttributionMapping m;
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        if (it.key() == "format" || it.key() == "version" || it.key() == "notes")
            continue;
        const std::string path = "$." + it.key();
        const FormatSources *fs = nullptr;
        for (const auto &f : formats())
            if (it.key() == f.format)
                fs = &f;
        if (!fs)
            return fail(
                path +
                ": unknown format (expected otel, litellm, langfuse, api-responses or focus)");
        if (!it.value().is_object())
            return fail(path + ": expected an object of target: [sources]");
        Rules rules;
        for (auto t = it.value().begin(); t != it.value().end(); ++t) {
            const std::string tpath = path + "." + t.key();
            auto target = targetFromName(t.key());
            if (!target)
                return fail(tpath +
                            ": unknown target (expected agent, task, feature, user or team)");
            if (!t.value().is_array())
                return fail(tpath + ": expected an array of sources");
            std::vector<Source> sources;
            for (size_t i = 0; i < t.value().size(); ++i) {
                const std::string spath = tpath + "[" + std::to_string(i) + "]";
                const auto &v = t.value()[i];
                const std::string s = v.is_string() ? v.get<std::string>() : std::string();
                const size_t colon = s.find(':');
                std::string expected;
                for (auto k : fs->kinds)
                    expected += (expected.empty() ? "\"" : ", \"") + std::string(k) + ":…\"";
                if (colon == std::string::npos || colon + 1 == s.size())
                    return fail(spath + ": expected one of " + expected);
                Source src{s.substr(0, colon), s.substr(colon + 1)};
                bool known = false;
                for (auto k : fs->kinds)
                    known |= src.kind == k;
                if (!known)
                    return fail(spath + ": '" + src.kind + "' is not a source of " + it.key() +
                                " (expected one of " + expected + ")");
                sources.push_back(std::move(src));
            }
            rules[*target] = std::move(sources);
        }
        m.m_formats[it.key()] = std::move(rules);
    }
    return m;
}

std::optional<AttributionMapping> AttributionMapping::fromFile(const std::string &path,
                                                               std::string *error)
{
    const auto text = sim::JsonFile::read(path, error);
    if (!text)
        return std::nullopt;
    std::string why;
    auto m = fromJson(*text, &why);
    if (!m && error)
        *error = path + ": " + why;
    return m;
}

const AttributionMapping::Rules *AttributionMapping::rulesFor(std::string_view format) const
{
    std::string base(format.substr(0, format.find('-')));
    if (format == "api-responses")
        base = "api-responses";
    auto it = m_formats.find(base);
    return it == m_formats.end() ? nullptr : &it->second;
}

void AttributionMapping::apply(const Rules &rules, const Resolver &resolve, CallRecord &r,
                               RecordArena &arena)
{
    for (const auto &[target, sources] : rules) {
        std::string_view value;
        for (const Source &s : sources) {
            value = resolve(s);
            if (!value.empty())
                break;
        }
        value = arena.keep(value);
        switch (target) {
        case Target::Agent:
            r.agent = value;
            break;
        case Target::Task:
            r.task = value;
            break;
        case Target::Feature:
            r.feature = value;
            break;
        case Target::User:
            r.user = value;
            break;
        case Target::Team:
            r.team = value;
            break;
        }
    }
}

} // namespace tl
