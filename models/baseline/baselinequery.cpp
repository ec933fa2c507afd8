#include "baselinequery.h"
#include "query/dayfactsquery.h"
#include "query/infraquery.h"

#include "core/timeutil.h"
#include "query/filtersql.h"
#include "store/rollupgrains.h"
#include "store/schema.h"
#include "store/workspace.h"

#include <algorithm>
#include <random>
#include <unordered_map>

namespace tl {

namespace {

constexpr const char *kWorkspaceIdKey = "workspace_id";

// Dense indexes for the ids of one dimension, in order of first appearance.
struct Indexer
{
    Dimension kind;
    std::unordered_map<int64_t, uint32_t> index;
    std::vector<std::string> names;
    uint32_t of(Workspace &ws, int64_t id)
    {
        auto [it, added] = index.try_emplace(id, uint32_t(names.size()));
        if (added)
            names.push_back(id == 0 ? std::string(kNoneName) : ws.dims().nameOf(kind, id));
        return it->second;
    }
};

double perToken(int64_t ppt, int64_t fallback)
{
    return double(ppt >= 0 ? ppt : fallback) * 1e-12; // pico-dollars -> dollars
}

sim::ModelInfo priced(const PriceEntry &e, std::string name)
{
    sim::ModelInfo m;
    m.name = std::move(name);
    m.provider = e.provider;
    m.priced = e.inputPpt >= 0 && e.outputPpt >= 0;
    m.input = perToken(e.inputPpt, 0);
    m.output = perToken(e.outputPpt, 0);
    m.cachedInput = perToken(e.cachedInputPpt, e.inputPpt);
    m.cacheWrite = perToken(e.cacheWritePpt, e.inputPpt);
    m.cacheWrite1h = perToken(e.cacheWrite1hPrice(), e.inputPpt);
    m.batchInput = perToken(e.batchInputPpt, e.inputPpt);
    m.batchOutput = perToken(e.batchOutputPpt, e.outputPpt);
    return m;
}

} // namespace

std::string BaselineQuery::workspaceId(Workspace &ws)
{
    std::string id = ws.metaValue(kWorkspaceIdKey);
    if (!id.empty())
        return id;
    // Not written inside a caller's transaction: a server's reads are read
    // only, and a failed statement would end the caller's snapshot (the
    // report names the workspace before it opens one).
    if (ws.db().inTransaction())
        return ws.path();
    std::random_device rd;
    std::mt19937_64 rng((uint64_t(rd()) << 32) ^ rd());
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
    id = buf;
    try {
        ws.setMetaValue(kWorkspaceIdKey, id);
    } catch (const StoreError &) {
        return ws.path(); // read-only file: its path is the best name it has
    }
    return id;
}

CallFilter BaselineQuery::filterFor(Workspace &ws, const sim::BaselineSpec &spec,
                                    std::vector<std::string> *notes)
{
    CallFilter f;
    if (!spec.from.empty())
        f.fromDay = parseDate(spec.from);
    if (!spec.to.empty())
        f.toDay = parseDate(spec.to);
    const auto bounds = dataDayBounds(ws);
    if (!f.toDay)
        f.toDay = bounds ? bounds->second : dayOf(0);
    if (!f.fromDay) {
        f.fromDay = *f.toDay - 29;
        if (notes)
            notes->push_back("the scenario names no period; the last 30 days of data (" +
                             formatDate(*f.fromDay) + " to " + formatDate(*f.toDay) +
                             ") are its baseline");
    }
    for (const auto &[dim, names] : spec.filter)
        if (auto d = dimensionFromName(dim))
            f.include[*d] = names;
    if (notes && !spec.workspace.empty() && spec.workspace != workspaceId(ws))
        notes->push_back("made on another workspace (" + spec.workspace +
                         "); re-based on this workspace's calls from " + formatDate(*f.fromDay) +
                         " to " + formatDate(*f.toDay));
    return f;
}

std::optional<sim::Baseline> BaselineQuery::load(Workspace &ws, const CallFilter &filter,
                                                 const Progress &progress)
{
    sim::Baseline b;
    // The id first: naming a new workspace writes, which a read-only
    // snapshot would refuse.
    b.workspaceId = workspaceId(ws);
    // One snapshot for every statement below (an import landing meanwhile
    // is wholly in or out), and on a server the calls stream in chunks.
    Transaction snapshot(ws.db(), Transaction::Read);
    const auto bounds = dataDayBounds(ws);
    b.toDay = filter.toDay.value_or(bounds ? bounds->second : 0);
    b.fromDay = filter.fromDay.value_or(bounds ? bounds->first : b.toDay);
    // Days without any data would dilute every monthly figure: the period is
    // the part of it the workspace has data for.
    if (bounds && b.fromDay <= bounds->second && b.toDay >= bounds->first) {
        b.fromDay = std::max(b.fromDay, bounds->first);
        b.toDay = std::min(b.toDay, bounds->second);
    }

    Indexer agents{Dimension::Agent, {}, {}}, teams{Dimension::Team, {}, {}},
        features{Dimension::Feature, {}, {}};
    std::unordered_map<int64_t, uint32_t> modelOf; // model id -> index in b.models
    const auto modelIndex = [&](int64_t modelId, int64_t providerId) {
        auto [it, added] = modelOf.try_emplace(modelId, uint32_t(b.models.size()));
        if (added) {
            sim::ModelInfo m;
            m.name =
                modelId == 0 ? std::string(kNoneName) : ws.dims().nameOf(Dimension::Model, modelId);
            m.provider =
                providerId == 0 ? std::string() : ws.dims().nameOf(Dimension::Provider, providerId);
            b.models.push_back(std::move(m));
        }
        return it->second;
    };

    // Cells: rollup_day is keyed exactly by day x agent x team x feature x
    // model x provider; users live only in the calls table.
    const bool byUser = filter.include.count(Dimension::User) > 0;
    std::string cols;
    for (auto c : kMeasureColumns)
        cols += std::string(cols.empty() ? "" : ", ") + std::string(c);
    const FilterSql where = FilterSql::build(
        ws, filter, byUser ? FilterSql::Table::Calls : FilterSql::Table::RollupDay);
    const std::string keys = "day, agent_id, team_id, feature_id, model_id, provider_id";
    const std::string sql = byUser
                                ? "SELECT " + keys + ", " + Schema::measureAggregatesSql() +
                                      " FROM calls" + where.where + " GROUP BY " + keys
                                : "SELECT " + keys + ", " + cols + " FROM rollup_day" + where.where;
    Statement st(ws.db(), sql);
    for (size_t i = 0; i < where.binds.size(); ++i)
        st.bind(int(i + 1), where.binds[i]);
    int64_t records = 0;
    while (st.step()) {
        Measures m;
        for (int i = 0; i < MeasureCount; ++i)
            m[i] = st.columnInt(6 + i);
        sim::BaselineCell c;
        c.day = int32_t(st.columnInt(0));
        c.agent = agents.of(ws, st.columnInt(1));
        c.team = teams.of(ws, st.columnInt(2));
        c.feature = features.of(ws, st.columnInt(3));
        c.model = modelIndex(st.columnInt(4), st.columnInt(5));
        c.requests = double(m[MRequests]);
        c.inputTokens = double(m[MInputTokens]);
        c.cachedInputTokens = double(m[MCachedInputTokens]);
        c.cacheWriteTokens = double(m[MCacheWriteTokens]);
        c.cacheWrite1hTokens = double(m[MCacheWrite1hTokens]);
        c.toolNusd = m[MToolNusd];
        c.outputTokens = double(m[MOutputTokens]);
        c.costNusd = m[MCostNusd];
        c.successTasks = double(m[MSuccessTasks]);
        c.tasks = double(m[MSuccessTasks] + m[MFailureTasks]);
        c.valueUsd = double(m[MValueNusd]) * 1e-9;
        c.latencyMsSum = double(m[MLatencyMsSum]);
        c.latencyCount = double(m[MLatencyCount]);
        records += m[MRecords];
        b.cells.push_back(c);
    }
    b.agents = std::move(agents.names);
    b.teams = std::move(teams.names);
    b.features = std::move(features.names);

    // Prices in force at the end of the period: the logged models, then
    // every catalog model not logged, as a possible target.
    const int64_t atMs = (b.toDay + 1) * kMsPerDay - 1;
    const PriceCatalog &catalog = ws.catalog();
    for (size_t i = 0; i < b.models.size(); ++i) {
        sim::ModelInfo &m = b.models[i];
        if (const PriceEntry *e = catalog.priceAt(m.name, atMs)) {
            std::string provider = m.provider;
            m = priced(*e, m.name);
            if (!provider.empty())
                m.provider = provider;
        }
    }
    for (const PriceEntry &e : catalog.entries()) {
        if (b.modelIndex(e.model) >= 0)
            continue;
        if (const PriceEntry *now = catalog.priceAt(e.model, atMs))
            b.models.push_back(priced(*now, e.model));
    }
    b.observeModels();

    // Arrivals per agent and hour of day: from the agents' hours when the
    // filter names no user or task, else counted in the pass below.
    std::unordered_map<int64_t, std::array<double, 24>> arrivals;
    const std::vector<GroupKey> agentHours = {GroupKey{Dimension::Agent, TimeBucket::None},
                                              GroupKey{std::nullopt, TimeBucket::Hour}};
    const bool hoursFromRollup = SummaryQuery::fromRollups(filter, agentHours);
    if (hoursFromRollup) {
        const FilterSql w = FilterSql::build(ws, filter, FilterSql::Table::RollupHour);
        Statement st(ws.db(), std::string("SELECT agent_id, hour, requests FROM ") +
                                  kRollupAgentHour.table + w.where);
        for (size_t i = 0; i < w.binds.size(); ++i)
            st.bind(int(i + 1), w.binds[i]);
        while (st.step())
            arrivals[st.columnInt(0)][size_t(floorMod(st.columnInt(1), 24))] +=
                double(st.columnInt(2));
    }
    // The arrivals of a filter on users or tasks: one pass over its calls,
    // in table order when the period is most of the data (index order costs
    // a random row read per call: 20 s instead of ~5 s at 10M calls).
    int64_t done = 0;
    if (!hoursFromRollup) {
        const FilterSql callWhere = FilterSql::build(ws, filter, FilterSql::Table::Calls);
        const bool mostOfTheData =
            !bounds || (b.toDay - b.fromDay + 1) * 4 >= (bounds->second - bounds->first + 1);
        // (Inside the caller's read transaction: a server streams the rows.)
        Statement calls(ws.db(),
                        std::string("SELECT ts_ms, agent_id, requests FROM calls") +
                            (mostOfTheData ? ws.db().tableOrderHint() : "") + callWhere.where,
                        Statement::Scan);
        for (size_t i = 0; i < callWhere.binds.size(); ++i)
            calls.bind(int(i + 1), callWhere.binds[i]);
        while (calls.step()) {
            const int64_t ts = calls.columnInt(0);
            arrivals[calls.columnInt(1)][size_t(floorMod(floorDiv(ts, kMsPerHour), 24))] +=
                double(calls.columnInt(2));
            if (progress && (++done & 0xfff) == 0 && !progress(done, records))
                return std::nullopt;
        }
    }
    // Prompt repeats, kept by day and agent at import (DayFactsQuery).
    int64_t repeats = 0, hashed = 0;
    const auto facts = DayFactsQuery::byAgent(ws, filter, b.fromDay, b.toDay, [&](int64_t rows) {
        return !progress || progress(std::min(done + rows, records), records);
    });
    if (!facts)
        return std::nullopt;
    for (const auto &[agent, f] : *facts) {
        repeats += f.repeats;
        hashed += f.hashedCalls;
    }
    // Seconds of each hour of day over the days with calls (a gap of empty
    // days would dilute the rates).
    const double seconds = double(std::max<int64_t>(1, b.daysWithData())) * 86400.0 / 24;
    b.agentCallsPerSecond.assign(b.agents.size(), {});
    for (const auto &[agentId, counts] : arrivals) {
        auto it = agents.index.find(agentId);
        if (it == agents.index.end())
            continue;
        for (size_t h = 0; h < 24; ++h)
            b.agentCallsPerSecond[it->second][h] = counts[h] / seconds;
    }
    if (hashed > 0)
        b.promptRepeatRate = double(repeats) / double(hashed);
    if (progress && !progress(records, records))
        return std::nullopt;
    // What the agents' servers cost, from imported cloud bills: where the
    // Simulator's infrastructure levers start (per agent, so a scoped
    // baseline keeps its own).
    if (InfraQuery::hasAny(ws))
        if (const auto byAgent =
                InfraQuery::byGroups(ws,
                                     [&] {
                                         CallFilter f = filter;
                                         f.fromDay = b.fromDay;
                                         f.toDay = b.toDay;
                                         return f;
                                     }(),
                                     {GroupKey{Dimension::Agent, TimeBucket::None}})) {
            b.hasInfra = true;
            b.agentInfraNusd.assign(b.agents.size(), 0);
            for (const auto &[key, nusd] : *byAgent) {
                const std::string name =
                    key[0] ? ws.dims().nameOf(Dimension::Agent, key[0]) : std::string();
                const auto it = std::find(b.agents.begin(), b.agents.end(), name);
                if (key[0] && it != b.agents.end())
                    b.agentInfraNusd[size_t(it - b.agents.begin())] += nusd;
                else
                    b.otherInfraNusd += nusd;
            }
        }
    return b;
}

} // namespace tl
