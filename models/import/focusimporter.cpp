#include "focusimporter.h"

#include "attributionmapping.h"
#include "chunkreader.h"
#include "csvreader.h"

#include "core/timeutil.h"
#include "store/dedupeindex.h"
#include "store/dimensionidassigner.h"
#include "store/workspace.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <unordered_map>

namespace tl {

namespace {

const char *const kRequired[] = {"ChargePeriodStart", "ChargePeriodEnd", "EffectiveCost",
                                 "ProviderName"};

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// "12.3456789012" (or "-0.5", "1e-3") in nano-dollars: exact for plain
// decimals up to nine places, rounded beyond.
std::optional<int64_t> decimalNanos(std::string_view s)
{
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    if (s.empty())
        return std::nullopt;
    const bool negative = s.front() == '-';
    std::string_view d = negative || s.front() == '+' ? s.substr(1) : s;
    if (d.find_first_of("eE") != std::string_view::npos) {
        char *end = nullptr;
        const std::string text(s);
        const double v = std::strtod(text.c_str(), &end);
        if (!end || *end || !std::isfinite(v) || std::fabs(v) > 9e9)
            return std::nullopt;
        return int64_t(std::llround(v * 1e9));
    }
    const size_t dot = d.find('.');
    const std::string_view whole = d.substr(0, dot);
    std::string_view frac = dot == std::string_view::npos ? std::string_view() : d.substr(dot + 1);
    if ((whole.empty() && frac.empty()) || whole.size() > 10)
        return std::nullopt;
    int64_t v = 0;
    for (char c : whole) {
        if (!std::isdigit(static_cast<unsigned char>(c)))
            return std::nullopt;
        v = v * 10 + (c - '0');
    }
    int64_t f = 0;
    int places = 0;
    bool roundUp = false;
    for (char c : frac) {
        if (!std::isdigit(static_cast<unsigned char>(c)))
            return std::nullopt;
        if (places < 9) {
            f = f * 10 + (c - '0');
            ++places;
        } else if (places == 9) {
            roundUp = c >= '5';
            ++places;
        }
    }
    for (; places < 9; ++places)
        f *= 10;
    const int64_t n = v * 1'000'000'000 + f + (roundUp ? 1 : 0);
    return negative ? -n : n;
}

// FOCUS times are UTC: "2024-10-01T00:00:00Z" as the specification writes
// them, but exports also give "…00:00:00.000Z", "2024-10-01 00:00:00 UTC"
// (BigQuery), or no zone at all; a bare date is its midnight.
std::optional<int64_t> focusTime(std::string_view text, std::string *why)
{
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    std::string t(text);
    if (t.size() > 4 && t.compare(t.size() - 4, 4, " UTC") == 0)
        t = t.substr(0, t.size() - 4) + "Z";
    if (t.size() == 10)
        t += "T00:00:00Z";
    if (auto v = parseTimestamp(t, nullptr))
        return v;
    return parseTimestamp(t + "Z", why);
}

} // namespace

bool FocusImporter::sniff(std::string_view head)
{
    const std::string_view firstLine = head.substr(0, head.find('\n'));
    const std::string h = lower(firstLine);
    for (const char *c : {"chargeperiodstart", "effectivecost", "billedcost", "providername"})
        if (h.find(c) == std::string::npos)
            return false;
    return true;
}

bool FocusImporter::isFocusFile(const std::string &path)
{
    ChunkReader in;
    if (!in.open(path, nullptr))
        return false;
    return sniff(std::string_view(in.begin(), std::min<size_t>(in.available(), 64 * 1024)));
}

FocusImportResult
FocusImporter::importFile(const std::string &path,
                          const std::function<void(int64_t, const std::string &)> &onReject,
                          bool strict)
{
    FocusImportResult res;
    ChunkReader in;
    if (!in.open(path, &res.error))
        return res;
    CsvReader csv(in);
    std::vector<std::string_view> fields;
    if (csv.next(fields) != CsvReader::Result::Record) {
        res.error = path + ": line 1: expected the FOCUS header row";
        return res;
    }
    std::map<std::string, size_t> column; // lower-case name -> index
    std::vector<std::string> names;
    for (size_t i = 0; i < fields.size(); ++i) {
        column[lower(fields[i])] = i;
        names.emplace_back(fields[i]);
    }
    for (const char *c : kRequired)
        if (!column.count(lower(c))) {
            res.error = path + ": line 1: no " + c +
                        " column (a FOCUS dataset has ChargePeriodStart, ChargePeriodEnd, "
                        "EffectiveCost and ProviderName)";
            return res;
        }
    const auto at = [&](const char *name) -> std::string_view {
        const auto it = column.find(lower(name));
        return it == column.end() || it->second >= fields.size() ? std::string_view()
                                                                 : fields[it->second];
    };
    // Which tags and columns name the agent, the team and the feature.
    AttributionMapping::Rules rules = {
        {AttributionMapping::Target::Agent, {{"tag", "agent"}, {"tag", "user:agent"}}},
        {AttributionMapping::Target::Team, {{"tag", "team"}, {"tag", "user:team"}}},
        {AttributionMapping::Target::Feature, {{"tag", "feature"}, {"tag", "user:feature"}}}};
    if (m_mapping)
        if (const auto *mine = m_mapping->rulesFor("focus"))
            for (const auto &[target, sources] : *mine)
                rules[target] = sources;

    Database &db = m_ws.db();
    try {
        Transaction tx(db);
        // Names new to the workspace get their ids here, under the write lock.
        DimensionIdAssigner ids = DimensionIdAssigner::fromDatabase(db);
        std::vector<NewName> fresh;
        Statement find(db, "SELECT cost_nusd FROM infra_costs WHERE dedupe_key = ?");
        Statement insert(db, "INSERT INTO infra_costs(day, provider, service, resource, "
                             "description, team_id, feature_id, agent_id, cost_nusd, source, "
                             "dedupe_key) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        Statement update(db, "UPDATE infra_costs SET cost_nusd = ?, team_id = ?, feature_id = ?, "
                             "agent_id = ?, source = ? WHERE dedupe_key = ?");
        std::unordered_map<uint64_t, int> occurrences;
        for (;;) {
            const CsvReader::Result r = csv.next(fields);
            if (r == CsvReader::Result::End)
                break;
            const int64_t line = csv.line();
            const auto reject = [&](const std::string &why) {
                ++res.rejected;
                if (onReject)
                    onReject(line, why);
            };
            if (r != CsvReader::Result::Record) {
                reject(csv.error());
                continue;
            }
            if (fields.size() == 1 && fields[0].empty())
                continue; // a blank line
            if (fields.size() != names.size()) {
                reject("expected " + std::to_string(names.size()) + " fields, found " +
                       std::to_string(fields.size()) + csv.spanNote());
                continue;
            }
            std::string why;
            const auto start = focusTime(at("ChargePeriodStart"), &why);
            const auto end = focusTime(at("ChargePeriodEnd"), &why);
            if (!start || !end || *end <= *start) {
                reject("ChargePeriodStart/ChargePeriodEnd: expected an ISO 8601 period, start "
                       "before end (" +
                       std::string(at("ChargePeriodStart")) + " .. " +
                       std::string(at("ChargePeriodEnd")) + ")");
                continue;
            }
            if (*end - *start > 366 * kMsPerDay) {
                reject("ChargePeriodStart/ChargePeriodEnd: a charge period over a year");
                continue;
            }
            const auto cost = decimalNanos(at("EffectiveCost"));
            if (!cost) {
                reject("EffectiveCost: expected a decimal number, found '" +
                       std::string(at("EffectiveCost")) + "'");
                continue;
            }
            const std::string provider(at("ProviderName"));
            if (provider.empty()) {
                reject("ProviderName: empty");
                continue;
            }
            nlohmann::json tags = nlohmann::json::object();
            if (const std::string_view t = at("Tags"); !t.empty()) {
                tags = nlohmann::json::parse(t.begin(), t.end(), nullptr, false);
                if (!tags.is_object()) {
                    reject("Tags: expected a JSON object, found '" + std::string(t.substr(0, 60)) +
                           "'");
                    continue;
                }
            }
            const auto resolve = [&](const AttributionMapping::Source &s) -> std::string {
                if (s.kind == "tag") {
                    const auto it = tags.find(s.key);
                    if (it == tags.end() || it->is_null())
                        return {};
                    return it->is_string() ? it->get<std::string>() : it->dump();
                }
                return std::string(at(s.key.c_str()));
            };
            std::map<AttributionMapping::Target, std::string> who;
            for (const auto &[target, sources] : rules)
                for (const auto &s : sources)
                    if (std::string v = resolve(s); !v.empty()) {
                        who[target] = std::move(v);
                        break;
                    }
            const auto idOf = [&](AttributionMapping::Target t, Dimension d) -> int64_t {
                const auto it = who.find(t);
                return it == who.end() ? 0 : ids.idFor(d, it->second, fresh);
            };
            const int64_t agent = idOf(AttributionMapping::Target::Agent, Dimension::Agent);
            const int64_t team = idOf(AttributionMapping::Target::Team, Dimension::Team);
            const int64_t feature = idOf(AttributionMapping::Target::Feature, Dimension::Feature);
            for (const NewName &n : fresh)
                m_ws.dims().adopt(n);
            fresh.clear();

            // The row's identity, and how many rows before it in this file
            // had the same one (a bill may list a charge twice).
            KeyHasher identity;
            identity.add(*start);
            identity.add(*end);
            for (const char *c :
                 {"BillingAccountId", "SubAccountId", "ProviderName", "ServiceName", "ResourceId",
                  "SkuId", "SkuPriceId", "ChargeCategory", "ChargeClass", "ChargeDescription",
                  "PricingUnit", "Tags", "x_ResourceName", "RegionId"})
                identity.add(at(c));
            const int occurrence = occurrences[identity.value()]++;
            const std::string service(at("ServiceName"));
            const std::string resource(at("ResourceId").empty() ? at("ResourceName")
                                                                : at("ResourceId"));
            const std::string description(at("ChargeDescription"));

            // Spread over the days of the period by hours, to the nano-dollar.
            const int64_t firstDay = dayOf(*start), lastDay = dayOf(*end - 1);
            const long double span = (long double)(*end - *start);
            int64_t given = 0;
            for (int64_t day = firstDay; day <= lastDay; ++day) {
                const int64_t from = std::max(*start, day * kMsPerDay);
                const int64_t to = std::min(*end, (day + 1) * kMsPerDay);
                const int64_t amount = day == lastDay
                                           ? *cost - given
                                           : int64_t(std::llround((long double)*cost *
                                                                  (long double)(to - from) / span));
                given += amount;
                KeyHasher key;
                key.add(int64_t(identity.value() >> 1));
                key.add(int64_t(occurrence));
                key.add(day);
                const int64_t dedupe = int64_t(key.value() >> 1);
                find.bind(1, dedupe);
                const bool exists = find.step();
                const int64_t before = exists ? find.columnInt(0) : 0;
                find.reset();
                if (!exists) {
                    insert.bind(1, day);
                    insert.bind(2, provider);
                    insert.bind(3, service);
                    insert.bind(4, resource);
                    insert.bind(5, description);
                    insert.bind(6, team);
                    insert.bind(7, feature);
                    insert.bind(8, agent);
                    insert.bind(9, amount);
                    insert.bind(10, path);
                    insert.bind(11, dedupe);
                    insert.step();
                    insert.reset();
                    ++res.added;
                } else if (before != amount) {
                    update.bind(1, amount);
                    update.bind(2, team);
                    update.bind(3, feature);
                    update.bind(4, agent);
                    update.bind(5, path);
                    update.bind(6, dedupe);
                    update.step();
                    update.reset();
                    ++res.restated;
                } else {
                    ++res.unchanged;
                }
            }
            ++res.rows;
            (agent || team || feature ? res.attributedNusd : res.unattributedNusd) += *cost;
        }
        if (strict && res.rejected) {
            m_ws.dims().invalidate();
            const int64_t rejected = res.rejected;
            res = FocusImportResult{};
            res.rejected = rejected;
            res.error = path + ": " + std::to_string(rejected) +
                        " rows rejected; with --strict nothing from this file was kept";
            return res; // the Transaction rolls back
        }
        m_ws.dims().flush();
        tx.commit();
        res.ok = true;
    } catch (const StoreError &e) {
        m_ws.dims().invalidate();
        res = FocusImportResult{};
        res.error = path + ": " + e.what() + "; nothing from this file was kept";
    }
    return res;
}

} // namespace tl
