#include "chargeback.h"

#include "reportcells.h"

#include "query/infraquery.h"
#include "store/workspace.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace tl {

using namespace reportcells;

std::optional<ChargebackRule> ChargebackRule::parse(const std::string &by,
                                                    const std::vector<std::string> &shared,
                                                    const std::string &allocate, std::string *error)
{
    ChargebackRule r;
    const auto dim = dimensionFromName(by);
    if (!dim || *dim == Dimension::Task) {
        *error = "chargeback: '" + by +
                 "' is not a dimension to charge by (team, feature, agent, "
                 "user, model, ...)";
        return std::nullopt;
    }
    r.by = *dim;
    for (const std::string &s : shared) {
        const size_t eq = s.find('=');
        const auto d = eq == std::string::npos ? std::nullopt : dimensionFromName(s.substr(0, eq));
        if (!d || eq + 1 >= s.size()) {
            *error = "chargeback: shared cost '" + s + "' is not DIMENSION=NAME";
            return std::nullopt;
        }
        r.shared.emplace_back(*d, s.substr(eq + 1));
    }
    if (allocate.empty() || allocate == "proportional") {
        r.split = Split::Proportional;
    } else if (allocate == "even") {
        r.split = Split::Even;
    } else {
        r.split = Split::Fixed;
        double sum = 0;
        size_t at = 0;
        while (at <= allocate.size()) {
            const size_t comma = std::min(allocate.find(',', at), allocate.size());
            const std::string part = allocate.substr(at, comma - at);
            const size_t eq = part.rfind('=');
            char *end = nullptr;
            const double v =
                eq == std::string::npos ? -1 : std::strtod(part.c_str() + eq + 1, &end);
            if (eq == std::string::npos || eq == 0 || !end || *end != '\0' || !(v >= 0)) {
                *error = "chargeback: allocation '" + part +
                         "' is not NAME=SHARE (use proportional, even, or NAME=SHARE,...)";
                return std::nullopt;
            }
            r.fixedShares[part.substr(0, eq)] += v;
            sum += v;
            at = comma + 1;
        }
        // Percentages or fractions, as long as they add up.
        const double scale = std::abs(sum - 100) < 1e-6 ? 100 : 1;
        if (std::abs(sum / scale - 1) > 1e-6) {
            *error =
                "chargeback: fixed shares add up to " + std::to_string(sum) + ", not 1 (or 100)";
            return std::nullopt;
        }
        for (auto &[k, v] : r.fixedShares)
            v /= scale;
    }
    return r;
}

std::string ChargebackRule::describe() const
{
    std::string s = "Each " + std::string(dimensionName(by)) +
                    " pays for its own calls. Calls without a " + std::string(dimensionName(by));
    if (!shared.empty()) {
        s += " and shared costs (";
        for (size_t i = 0; i < shared.size(); ++i)
            s += (i ? ", " : "") + std::string(dimensionName(shared[i].first)) + " " +
                 shared[i].second;
        s += ")";
    }
    s += " are split ";
    switch (split) {
    case Split::Proportional:
        s += "in proportion to each one's own cost";
        break;
    case Split::Even:
        s += "evenly";
        break;
    case Split::Fixed: {
        s += "in fixed shares: ";
        bool first = true;
        for (const auto &[name, share] : fixedShares) {
            s += (first ? "" : ", ") + name + " " + percent(share);
            first = false;
        }
        break;
    }
    }
    return s + ".";
}

ChargebackResult ChargebackResult::compute(Workspace &ws, const CallFilter &period,
                                           const ChargebackRule &rule)
{
    std::vector<Dimension> dims = {rule.by};
    for (const auto &[d, name] : rule.shared)
        if (std::find(dims.begin(), dims.end(), d) == dims.end())
            dims.push_back(d);
    std::vector<GroupKey> keys;
    for (Dimension d : dims)
        keys.push_back(GroupKey{d, TimeBucket::None});
    const SummaryResult rows = SummaryQuery::run(ws, period, keys);

    ChargebackResult r;
    std::map<std::string, int64_t> direct, directInfra;
    for (const auto &row : rows.rows) {
        const int64_t cost = row.m[MCostNusd];
        r.totalNusd += cost;
        r.unpricedCalls += row.m[MUnpricedRequests];
        bool isShared = false;
        for (const auto &[d, name] : rule.shared) {
            const size_t i = size_t(std::find(dims.begin(), dims.end(), d) - dims.begin());
            isShared |= row.keys[i] == name;
        }
        if (isShared)
            r.sharedNusd += cost;
        else if (row.keys[0] == kNoneName)
            r.unassignedNusd += cost;
        else
            direct[row.keys[0]] += cost;
    }
    // Infrastructure from cloud bills: tagged with a centre, its own; tagged
    // with a shared name, shared; untagged (or `by` a dimension bills do not
    // carry: a model), unattributed — into the pool either way.
    if (InfraQuery::hasAny(ws)) {
        std::vector<GroupKey> infraKeys;
        std::vector<Dimension> infraDims;
        for (Dimension d : dims)
            if (InfraQuery::answers({}, {GroupKey{d, TimeBucket::None}})) {
                infraKeys.push_back(GroupKey{d, TimeBucket::None});
                infraDims.push_back(d);
            }
        if (const auto by = InfraQuery::byGroups(ws, period, infraKeys)) {
            r.infraIncluded = true;
            const bool byCarried = !infraDims.empty() && infraDims.front() == rule.by;
            for (const auto &[key, cost] : *by) {
                r.totalNusd += cost;
                bool isShared = false;
                for (const auto &[d, name] : rule.shared) {
                    const auto at = std::find(infraDims.begin(), infraDims.end(), d);
                    if (at != infraDims.end()) {
                        const int64_t id = key[size_t(at - infraDims.begin())];
                        isShared |= id && ws.dims().nameOf(d, id) == name;
                    }
                }
                if (isShared)
                    r.sharedNusd += cost;
                else if (!byCarried || key[0] == 0)
                    r.unattributedInfraNusd += cost;
                else
                    directInfra[ws.dims().nameOf(rule.by, key[0])] += cost;
            }
        } else {
            r.infraExcluded = true;
        }
    }
    // The weights of the split, over the centres that exist (and, for fixed
    // shares, the ones named).
    std::map<std::string, double> weight;
    switch (rule.split) {
    case ChargebackRule::Split::Proportional:
        for (const auto &[c, v] : direct)
            weight[c] += double(v);
        for (const auto &[c, v] : directInfra)
            weight[c] += double(v);
        break;
    case ChargebackRule::Split::Even:
        for (const auto &[c, v] : direct)
            weight[c] = 1;
        for (const auto &[c, v] : directInfra)
            weight[c] = 1;
        break;
    case ChargebackRule::Split::Fixed:
        weight = rule.fixedShares;
        break;
    }
    double sum = 0;
    for (const auto &[c, w] : weight)
        sum += w;
    if (sum <= 0 && rule.split == ChargebackRule::Split::Proportional) {
        for (auto &[c, w] : weight) // every centre's own cost is zero: evenly
            w = 1, sum += 1;
    }
    const int64_t pool = r.unassignedNusd + r.sharedNusd + r.unattributedInfraNusd;
    std::map<std::string, int64_t> allocated;
    if (sum > 0) {
        // Largest remainders: floors first, then one nano-dollar each to the
        // largest fractions (names break ties) until the pool is spent.
        struct Part
        {
            std::string name;
            double fraction;
        };
        std::vector<Part> parts;
        int64_t given = 0;
        for (const auto &[c, w] : weight) {
            const long double exact = (long double)pool * (long double)(w / sum);
            const int64_t floor = int64_t(std::floor(exact));
            allocated[c] = floor;
            given += floor;
            parts.push_back({c, double(exact - (long double)floor)});
        }
        std::stable_sort(parts.begin(), parts.end(),
                         [](const Part &a, const Part &b) { return a.fraction > b.fraction; });
        for (size_t i = 0; given < pool && !parts.empty(); i = (i + 1) % parts.size(), ++given)
            allocated[parts[i].name] += 1;
    }
    std::map<std::string, ChargebackLine> lines;
    for (const auto &[c, v] : direct)
        lines[c].directNusd = v;
    for (const auto &[c, v] : directInfra)
        lines[c].directInfraNusd = v;
    for (const auto &[c, v] : allocated)
        lines[c].allocatedNusd = v;
    for (auto &[c, l] : lines) {
        l.centre = c;
        r.lines.push_back(l);
    }
    if (sum <= 0 && pool != 0) {
        ChargebackLine none;
        none.centre = "(not allocated: no " + std::string(dimensionName(rule.by)) + " to charge)";
        none.allocatedNusd = pool;
        r.lines.push_back(none);
    }
    std::stable_sort(r.lines.begin(), r.lines.end(),
                     [](const ChargebackLine &a, const ChargebackLine &b) {
                         return a.totalNusd() > b.totalNusd();
                     });
    return r;
}

ReportTable chargebackTable(Workspace &ws, const CallFilter &period, const ChargebackRule &rule)
{
    ReportTable t;
    t.id = "chargeback";
    std::string by(dimensionName(rule.by));
    t.title = "Chargeback by " + by;
    t.emptyText = "No spend to charge in this period.";
    by[0] = char(std::toupper(by[0]));
    const ChargebackResult r = ChargebackResult::compute(ws, period, rule);
    t.headers = {by, "Own calls", "Own infrastructure", "Allocated", "Charged", "Share"};
    t.numeric = {false, true, true, true, true, true};
    t.note = rule.describe() + " Pooled: " + money(r.unassignedNusd) + " without a " +
             std::string(dimensionName(rule.by)) +
             (rule.shared.empty() ? "" : ", " + money(r.sharedNusd) + " shared") +
             (r.infraIncluded
                  ? ", " + money(r.unattributedInfraNusd) + " of infrastructure not tagged with one"
                  : "") +
             ".";
    if (r.infraExcluded)
        t.note += " Infrastructure is not in it: the filter names what cloud bills do not "
                  "carry.";
    else if (!r.infraIncluded)
        t.note += " No cloud bill is imported: LLM spend only.";
    if (r.unpricedCalls)
        t.note += " " + count(r.unpricedCalls) +
                  " unpriced calls are in no line (their cost is "
                  "unknown).";
    if (r.totalNusd == 0 && r.lines.empty())
        return t;
    for (const ChargebackLine &l : r.lines) {
        const double share = r.totalNusd ? double(l.totalNusd()) / double(r.totalNusd) : 0;
        t.display.push_back({l.centre, money(l.directNusd), money(l.directInfraNusd),
                             money(l.allocatedNusd), money(l.totalNusd()), percent(share)});
        t.plain.push_back({l.centre, nanoToDecimal(l.directNusd), nanoToDecimal(l.directInfraNusd),
                           nanoToDecimal(l.allocatedNusd), nanoToDecimal(l.totalNusd()),
                           plainRatio(share)});
    }
    int64_t direct = 0, infra = 0, allocated = 0;
    for (const ChargebackLine &l : r.lines)
        direct += l.directNusd, infra += l.directInfraNusd, allocated += l.allocatedNusd;
    const int64_t all = direct + infra + allocated;
    t.display.push_back({"Total", money(direct), money(infra), money(allocated), money(all),
                         percent(r.totalNusd ? 1.0 : 0.0)});
    t.plain.push_back({"Total", nanoToDecimal(direct), nanoToDecimal(infra),
                       nanoToDecimal(allocated), nanoToDecimal(all),
                       plainRatio(r.totalNusd ? 1.0 : 0.0)});
    return t;
}

} // namespace tl
