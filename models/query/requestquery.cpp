#include "requestquery.h"

#include "store/callusage.h"

#include "query/filtersql.h"
#include "query/namecache.h"
#include "store/workspace.h"

#include <unordered_map>

namespace tl {

namespace {

constexpr const char *kColumns =
    "id, ts_ms, provider_id, model_id, team_id, feature_id, agent_id, user_id, task_id, "
    "status_id, request_id, requests, input_tokens, cached_input_tokens, cache_write_tokens, "
    "output_tokens, reasoning_tokens, computed_nusd, reported_nusd, latency_ms, outcome, batch, "
    "is_error, COALESCE(reported_nusd, computed_nusd, 0) AS cost";

// withHashed: the user's and task's names too (else the caller fills them).
RequestRow readRow(const Statement &st, NameCache &names, bool withHashed = true)
{
    RequestRow r;
    r.id = st.columnInt(0);
    r.tsMs = st.columnInt(1);
    r.provider = names.name(Dimension::Provider, st.columnInt(2));
    r.model = names.name(Dimension::Model, st.columnInt(3));
    r.team = names.name(Dimension::Team, st.columnInt(4));
    r.feature = names.name(Dimension::Feature, st.columnInt(5));
    r.agent = names.name(Dimension::Agent, st.columnInt(6));
    if (withHashed) {
        r.user = names.name(Dimension::User, st.columnInt(7));
        r.task = names.name(Dimension::Task, st.columnInt(8));
    }
    r.status = names.name(Dimension::Status, st.columnInt(9));
    r.requestId = std::string(st.columnText(10));
    r.requests = st.columnInt(11);
    r.input = st.columnInt(12);
    r.cached = st.columnInt(13);
    r.cacheWrite = st.columnInt(14);
    r.output = st.columnInt(15);
    r.reasoning = st.columnInt(16);
    if (!st.columnIsNull(17))
        r.computedNusd = st.columnInt(17);
    if (!st.columnIsNull(18))
        r.reportedNusd = st.columnInt(18);
    if (!st.columnIsNull(19))
        r.latencyMs = st.columnInt(19);
    r.outcome = int(st.columnInt(20));
    r.batch = st.columnInt(21) != 0;
    r.isError = st.columnInt(22) != 0;
    r.costNusd = st.columnInt(23);
    return r;
}

// Whether a page in cost order should walk calls_cost (reading calls in
// cost order until the page is full of the filter's calls) rather than
// read every call of the filter and sort them. The rollups say how many
// calls the filter holds (n) of the period's (all): the walk reads about
// limit * all / n index entries, the sort reads n calls when an agent
// narrows them (an agent's calls lie together, see CallInserter) and every
// call of the period otherwise. A row read through the index costs ~5 read
// in order; an index entry ~1/3 (105k in 6 ms, a sorted agent's 1.2M rows
// 220 ms). The index carries the agent (v13): under an agent alone the walk
// reads the page's rows only, under anything else a row per entry.
bool costOrderPays(Workspace &ws, const CallFilter &filter, int limit)
{
    if (filter.windowMs || !SummaryQuery::fromRollups(filter, {}))
        return false; // a user or task filter, or a window: few calls, sorted
    CallFilter period;
    period.fromDay = filter.fromDay;
    period.toDay = filter.toDay;
    const double all = double(SummaryQuery::run(ws, period, {}).totals[MRecords]);
    const double n = double(SummaryQuery::run(ws, filter, {}).totals[MRecords]);
    if (n < 1)
        return false;
    const double entries = double(limit) * all / n;
    const bool agentAlone = filter.include.size() == 1 && filter.include.count(Dimension::Agent);
    const double walk = agentAlone ? entries / 3 + 5.0 * limit : 5.0 * entries;
    const double sorted = filter.include.count(Dimension::Agent) ? n : all;
    return walk < sorted;
}

} // namespace

RequestPage RequestQuery::page(Workspace &ws, const CallFilter &filter, RequestSort sort,
                               const std::string &search, const RequestCursor &after, int limit)
{
    FilterSql f = FilterSql::build(ws, filter, FilterSql::Table::Calls);
    const bool byTime = sort == RequestSort::TimeDesc || sort == RequestSort::TimeAsc;
    const bool desc = sort == RequestSort::TimeDesc || sort == RequestSort::CostDesc;
    // The expression, not its alias: PostgreSQL reads no alias in WHERE.
    const std::string key = byTime ? "ts_ms" : kCallCostSql;
    if (after.valid) {
        const std::string cmp = desc ? "<" : ">";
        // Ties on the key page on by id. Spelt as a bound and a tie-break,
        // not the row value (key, id) < (?, ?): SQLite seeks an index on
        // the bound, but scanned the whole index for the row value (9.9 s
        // for a page of the cost order at 10M calls).
        f.add(key + " " + cmp + "= ? AND (" + key + " " + cmp + " ? OR id " + cmp + " ?)");
        f.binds.push_back(after.key);
        f.binds.push_back(after.key);
        f.binds.push_back(after.id);
    }
    if (!search.empty()) {
        // A task id is looked up by its hash (no name scan), a request id by
        // text: the last parameter, bound after the integers.
        f.add("(task_id = ? OR request_id = ?)");
        f.binds.push_back(DimensionDictionary::hashedId(Dimension::Task, search));
    }
    const std::string dir = desc ? " DESC" : " ASC";
    const bool walkCost = !byTime && search.empty() && costOrderPays(ws, filter, limit);
    std::string sql = std::string("SELECT ") + kColumns + " FROM calls" +
                      (walkCost ? ws.db().indexHint("calls_cost") : std::string()) + f.where +
                      " ORDER BY " + key + dir + ", id" + dir + " LIMIT " + std::to_string(limit);
    Statement st(ws.db(), sql);
    for (size_t b = 0; b < f.binds.size(); ++b)
        st.bind(int(b + 1), f.binds[b]);
    if (!search.empty())
        st.bind(int(f.binds.size() + 1), std::string_view(search));
    NameCache names(ws);
    RequestPage p;
    // Ids first, names after: a page's users and tasks resolve together.
    std::vector<int64_t> users, tasks;
    while (st.step()) {
        p.rows.push_back(readRow(st, names, false));
        users.push_back(st.columnInt(7));
        tasks.push_back(st.columnInt(8));
    }
    names.prefetch(Dimension::User, users);
    names.prefetch(Dimension::Task, tasks);
    for (size_t i = 0; i < p.rows.size(); ++i) {
        p.rows[i].user = names.name(Dimension::User, users[i]);
        p.rows[i].task = names.name(Dimension::Task, tasks[i]);
    }
    p.atEnd = int(p.rows.size()) < limit;
    if (!p.rows.empty()) {
        const RequestRow &last = p.rows.back();
        p.next = RequestCursor{true, byTime ? last.tsMs : last.costNusd, last.id};
    }
    return p;
}

std::optional<CallDetail> RequestQuery::detail(Workspace &ws, int64_t id)
{
    Statement st(ws.db(), std::string("SELECT ") + kColumns +
                              ", prompt_hash, tags, agent_id, task_id, source_id, " +
                              kUsageColumns + " FROM calls WHERE id = ?");
    st.bind(1, id);
    if (!st.step())
        return std::nullopt;
    NameCache names(ws);
    CallDetail d;
    d.row = readRow(st, names);
    d.promptHash = std::string(st.columnText(24));
    d.tags = std::string(st.columnText(25));
    const int64_t agentId = st.columnInt(26), taskId = st.columnInt(27),
                  sourceId = st.columnInt(28);
    d.usage = usageAt(st, 29);
    if (const PriceEntry *e = ws.catalog().priceAt(d.row.model, d.row.tsMs)) {
        d.price = *e;
        d.parts = costParts(*e, d.usage);
    }
    Statement src(ws.db(), "SELECT path, format FROM sources WHERE id = ?");
    src.bind(1, sourceId);
    if (src.step()) {
        d.sourcePath = std::string(src.columnText(0));
        d.sourceFormat = std::string(src.columnText(1));
    }
    if (taskId != 0) {
        // calls_agent_ts narrows to the agent; the task is a filter on that.
        Statement t(ws.db(), std::string("SELECT ") + kColumns +
                                 " FROM calls WHERE agent_id = ? AND task_id = ? ORDER BY "
                                 "ts_ms, id LIMIT 500");
        t.bind(1, agentId);
        t.bind(2, taskId);
        while (t.step())
            d.taskCalls.push_back(readRow(t, names));
    }
    return d;
}

} // namespace tl
