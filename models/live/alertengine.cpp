#include "alertengine.h"

#include "budgets/budgetevaluator.h"
#include "budgets/budgetstore.h"
#include "core/measures.h"
#include "core/timeutil.h"
#include "query/summaryquery.h"
#include "store/workspace.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tl::live {

namespace {

constexpr int64_t kMsPerMinute = 60'000;

// Dollars in the JSON to the micro-dollar: no float noise in what people read.
double micro(double usd)
{
    return std::round(usd * 1e6) / 1e6;
}

std::string percent(double share)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f%%", share * 100);
    return buf;
}

std::string ratio(double r)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "x%.1f", r);
    return buf;
}

std::string policyNote(const Budget &b)
{
    if (!b.hard)
        return {};
    switch (b.onBreach) {
    case BreachPolicy::Downgrade:
        return "hard budget: the gateway should downgrade calls to " + b.downgradeTo;
    case BreachPolicy::Cache:
        return "hard budget: the gateway should serve repeats from its cache";
    case BreachPolicy::Reject:
        return "hard budget: the gateway should reject further calls";
    case BreachPolicy::Alert:
        break;
    }
    return "hard budget: alert only";
}

} // namespace

AlertEngine::AlertEngine(Workspace &ws, LiveAlertOptions options)
    : m_ws(ws)
    , m_options(std::move(options))
{}

int64_t AlertEngine::latestCallMs(Workspace &ws)
{
    return ws.db().queryInt("SELECT COALESCE(MAX(ts_ms), 0) FROM calls");
}

bool AlertEngine::known(const std::string &key)
{
    Statement st(m_ws.db(), "SELECT 1 FROM alerts WHERE key = ?");
    st.bind(1, key);
    return st.step();
}

void AlertEngine::budgetCandidates(int64_t atMs, std::vector<Candidate> &out)
{
    const std::vector<Budget> budgets = BudgetStore::load(m_ws);
    if (budgets.empty())
        return;
    // Spent counts whole hours: judged as of the end of the newest call's
    // hour, so the calls of the hour in progress count at once (the app's
    // "as of" for data that stops, BudgetEvaluator::defaultAsOf, is the same).
    const int64_t asOf = (hourOf(atMs) + 1) * kMsPerHour;
    const std::vector<BudgetStatus> statuses = BudgetEvaluator::evaluate(m_ws, budgets, asOf);
    for (const BudgetStatus &s : statuses) {
        const Budget &b = s.budget;
        const std::string base = "budget|" + b.name + "|" + std::to_string(s.period.startMs) + "|";
        std::optional<BudgetReplay> replay; // only when a threshold is newly crossed
        auto payload = [&](const std::string &kind, double threshold, const std::string &text,
                           const BudgetReplay::Crossing *crossing) {
            nlohmann::json j = {
                {"text", text},
                {"kind", kind},
                {"workspace", Workspace::shortName(m_ws.path())},
                {"budget",
                 {{"name", b.name},
                  {"scope", b.scopeText()},
                  {"period", periodName(b.period)},
                  {"period_start", formatTimestamp(s.period.startMs)},
                  {"period_end", formatTimestamp(s.period.endMs)},
                  {"amount_usd", micro(s.amountUsd)},
                  {"hard", b.hard},
                  {"policy", policyName(b.onBreach)}}},
                {"threshold", threshold},
                {"spent_usd", micro(s.spentUsd)},
                {"forecast_usd", micro(s.forecastUsd)},
                {"forecast_interval_usd", {micro(s.forecastLowUsd), micro(s.forecastHighUsd)}},
                {"as_of", formatTimestamp(atMs)}};
            if (!policyNote(b).empty())
                j["policy_note"] = policyNote(b);
            if (crossing)
                j["call"] = {{"id", crossing->callId},
                             {"request_id", crossing->requestId},
                             {"ts", formatTimestamp(crossing->tsMs)},
                             {"cumulative_usd", micro(crossing->cumulativeUsd)}};
            return j.dump();
        };
        for (double t : b.alerts) {
            if (s.usedShare + 1e-12 < t)
                continue;
            char tk[32];
            std::snprintf(tk, sizeof tk, "%g", t);
            const std::string key = base + tk;
            if (known(key))
                continue;
            if (!replay)
                replay = BudgetReplay::run(m_ws, b, s.period);
            const BudgetReplay::Crossing *crossing = nullptr;
            for (const auto &c : replay->crossings)
                if (std::abs(c.threshold - t) < 1e-9)
                    crossing = &c;
            std::string text = "Budget \"" + b.name + "\" (" + b.scopeText() + ", " +
                               periodName(b.period) + ") passed " + percent(t) + ": " +
                               formatDollars(s.spentUsd) + " of " + formatDollars(s.amountUsd) +
                               " spent, forecast " + formatDollars(s.forecastUsd) + " by " +
                               formatDate(dayOf(s.period.endMs - 1));
            if (crossing)
                text += "; crossed at call " +
                        (crossing->requestId.empty() ? "#" + std::to_string(crossing->callId)
                                                     : crossing->requestId) +
                        " (" + formatTimestamp(crossing->tsMs) + ")";
            if (!policyNote(b).empty())
                text += "; " + policyNote(b);
            out.push_back(
                {key, "budget_threshold", payload("budget_threshold", t, text, crossing)});
        }
        if (!s.breachHappened && s.forecastUsd > s.amountUsd && s.amountUsd > 0) {
            const std::string key = base + "forecast";
            if (known(key))
                continue;
            std::string text = "Budget \"" + b.name + "\" (" + b.scopeText() +
                               ") is forecast to pass its amount: " + formatDollars(s.forecastUsd) +
                               " (80% interval " + formatDollars(s.forecastLowUsd) + " to " +
                               formatDollars(s.forecastHighUsd) + ") against " +
                               formatDollars(s.amountUsd) + ", " + formatDollars(s.spentUsd) +
                               " spent so far";
            if (s.breachAtMs)
                text += "; the amount is reached about " + formatTimestamp(*s.breachAtMs);
            if (!policyNote(b).empty())
                text += "; " + policyNote(b);
            out.push_back({key, "budget_forecast", payload("budget_forecast", 1.0, text, nullptr)});
        }
    }
}

AnomalyDetector::Expectation AlertEngine::hourExpectation(int64_t agentId, int64_t hour)
{
    auto it = m_expectations.find(agentId);
    if (it != m_expectations.end() && it->second.first == hour)
        return it->second.second;
    // The agent's hourly series over the detector's history, then the
    // current hour (empty): its expectation comes from earlier days only.
    const int64_t first = hour - int64_t(m_options.detector.historyDays) * 24;
    std::vector<double> cost(size_t(hour - first + 1), 0.0), calls(cost.size(), 0.0);
    Statement st(m_ws.db(), std::string("SELECT hour, COUNT(*), SUM(") + kCallCostSql +
                                ") FROM calls WHERE agent_id = ? AND ts_ms >= ? AND ts_ms < ? "
                                "GROUP BY hour");
    st.bind(1, agentId);
    st.bind(2, first * kMsPerHour);
    st.bind(3, hour * kMsPerHour);
    while (st.step()) {
        const int64_t h = st.columnInt(0);
        if (h < first || h >= hour)
            continue;
        calls[size_t(h - first)] = double(st.columnInt(1));
        cost[size_t(h - first)] = double(st.columnInt(2)) / 1e9;
    }
    AnomalyDetector detector(m_options.detector);
    const auto exp = detector.expectations(first, cost, calls);
    const AnomalyDetector::Expectation e =
        exp.empty() ? AnomalyDetector::Expectation{} : exp.back();
    m_expectations[agentId] = {hour, e};
    return e;
}

void AlertEngine::anomalyCandidates(int64_t atMs, std::vector<Candidate> &out)
{
    if (m_options.windowsMinutes.empty())
        return;
    const int longest =
        *std::max_element(m_options.windowsMinutes.begin(), m_options.windowsMinutes.end());
    const int64_t reach = int64_t(longest) * kMsPerMinute;
    struct Call
    {
        int64_t agent, ts, cost, model;
    };
    std::vector<Call> recent;
    {
        Statement st(m_ws.db(), std::string("SELECT agent_id, ts_ms, ") + kCallCostSql +
                                    ", model_id FROM calls WHERE ts_ms > ? AND ts_ms <= ?");
        st.bind(1, atMs - reach);
        st.bind(2, atMs);
        while (st.step())
            recent.push_back({st.columnInt(0), st.columnInt(1), st.columnInt(2), st.columnInt(3)});
    }
    std::map<int64_t, std::vector<const Call *>> byAgent;
    for (const Call &c : recent)
        byAgent[c.agent].push_back(&c);
    const DetectorOptions &o = m_options.detector;
    const int64_t hour = hourOf(atMs);
    const int64_t confirmMs = int64_t(m_options.confirmMinutes) * kMsPerMinute;
    // Agents quiet since they first alarmed: a burst, not a runaway.
    for (auto it = m_pending.begin(); it != m_pending.end();)
        it = !byAgent.count(it->first) &&
                     atMs - it->second.first >= std::max(confirmMs, it->second.second)
                 ? m_pending.erase(it)
                 : std::next(it);

    // The window (fromMs, atMs] judged by the hourly detector's rule, its
    // expectation and its spend floor (USD per hour) scaled to the window.
    struct Verdict
    {
        bool alarm = false, volume = false;
        double n = 0, actual = 0, expected = 0, lambda = 0, z = 0;
        std::map<int64_t, double> byModel;
    };
    auto judge = [&](const std::vector<const Call *> &calls, const AnomalyDetector::Expectation &e,
                     int64_t fromMs) {
        Verdict v;
        for (const Call *c : calls)
            if (c->ts > fromMs) {
                ++v.n;
                v.actual += double(c->cost) / 1e9;
                v.byModel[c->model] += double(c->cost) / 1e9;
            }
        const double scale = double(atMs - fromMs) / double(kMsPerHour);
        v.lambda = e.calls * scale;
        v.expected = e.costUsd * scale;
        v.z = (v.n - v.lambda) / std::sqrt(std::max(1.0, e.dispersion) * (v.lambda + 1));
        v.volume = v.z >= o.sensitivity;
        const bool intensity =
            v.n >= 5 && e.costPerCallUsd > 0 && v.actual / v.n >= o.minCostRatio * e.costPerCallUsd;
        // The floor is a rate: the hourly detector's $2 over an hour is
        // $0.17 over five minutes, so a runaway alarms before its hour is out.
        v.alarm = (v.volume || intensity) && v.actual - v.expected >= o.minExcessUsd * scale &&
                  v.actual >= o.minRatio * v.expected;
        return v;
    };

    for (const auto &[agent, calls] : byAgent) {
        const AnomalyDetector::Expectation e = hourExpectation(agent, hour);
        if (!e.ok)
            continue; // warming up: a new agent is not judged
        int64_t fromMs = 0;
        Verdict v;
        auto pending = m_pending.find(agent);
        if (pending == m_pending.end()) {
            for (int w : m_options.windowsMinutes) {
                v = judge(calls, e, atMs - int64_t(w) * kMsPerMinute);
                if (v.alarm) {
                    fromMs = atMs - int64_t(w) * kMsPerMinute;
                    break;
                }
            }
            if (!v.alarm)
                continue;
            m_pending[agent] = {atMs, atMs - fromMs};
            if (confirmMs > 0)
                continue; // told if the calls after now alarm as well
        } else {
            const auto [first, window] = pending->second;
            if (atMs - first < confirmMs)
                continue;
            // Confirmed only by calls after the first alarm: a runaway goes
            // on, a task's burst on an expensive model is over by then. The
            // calls since get as long as the window that first alarmed
            // (a 15-minute alarm is not judged on 5 minutes of calls).
            fromMs = std::max(first, atMs - reach);
            v = judge(calls, e, fromMs);
            if (!v.alarm) {
                if (atMs - first >= std::max(confirmMs, window))
                    m_pending.erase(pending);
                continue;
            }
        }
        // One alert per agent per hour of data: a runaway that goes on is
        // told again the next hour, not every commit.
        const std::string key =
            "anomaly|agent|" + std::to_string(agent) + "|" + std::to_string(hour);
        if (known(key))
            continue;
        const int minutes = int((atMs - fromMs + kMsPerMinute / 2) / kMsPerMinute);
        const std::string name = m_ws.dims().nameOf(Dimension::Agent, agent);
        auto top = std::max_element(v.byModel.begin(), v.byModel.end(),
                                    [](auto &a, auto &b) { return a.second < b.second; });
        const std::string model = m_ws.dims().nameOf(Dimension::Model, top->first);
        std::string cause =
            v.volume ? "calls " + ratio(v.lambda > 0 ? v.n / v.lambda : v.n) + " (" +
                           std::to_string(int64_t(v.n)) + " against " + ratio(v.lambda).substr(1) +
                           " usual for this hour)"
                     : "cost per call " + ratio(v.actual / v.n / e.costPerCallUsd) + " the usual";
        cause += "; " + percent(top->second / std::max(v.actual, 1e-12)) + " of it on " + model;
        const std::string text = "Agent " + name + " spent " + formatDollars(v.actual) +
                                 " in the last " + std::to_string(minutes) + " minutes against " +
                                 formatDollars(v.expected) +
                                 " usual for this hour of the day: " + cause;
        nlohmann::json j = {{"text", text},
                            {"kind", "anomaly"},
                            {"workspace", Workspace::shortName(m_ws.path())},
                            {"entity_kind", "agent"},
                            {"entity", name},
                            {"window_minutes", minutes},
                            {"window_start", formatTimestamp(fromMs)},
                            {"window_end", formatTimestamp(atMs)},
                            {"actual_usd", micro(v.actual)},
                            {"expected_usd", micro(v.expected)},
                            {"calls", int64_t(v.n)},
                            {"expected_calls", std::round(v.lambda * 100) / 100},
                            {"score", std::round(v.z * 100) / 100},
                            {"cause", cause},
                            {"as_of", formatTimestamp(atMs)}};
        out.push_back({key, "anomaly", j.dump()});
    }
}

std::vector<AlertRecord> AlertEngine::evaluate(int64_t atMs, int64_t nowMs)
{
    std::vector<Candidate> found;
    {
        // One snapshot for everything judged together.
        Transaction read(m_ws.db(), Transaction::Read);
        if (m_options.budgets)
            budgetCandidates(atMs, found);
        if (m_options.anomalies)
            anomalyCandidates(atMs, found);
    }
    std::vector<AlertRecord> raised;
    if (found.empty())
        return raised;
    Transaction tx(m_ws.db());
    Statement insert(m_ws.db(),
                     "INSERT INTO alerts(key, kind, created_at_ms, data_ts_ms, payload) VALUES(?, "
                     "?, ?, ?, ?) ON CONFLICT(key) DO NOTHING RETURNING id");
    for (Candidate &c : found) {
        insert.bind(1, c.key);
        insert.bind(2, c.kind);
        insert.bind(3, nowMs);
        insert.bind(4, atMs);
        insert.bind(5, c.payload);
        if (insert.step()) { // not raised meanwhile by another collector
            AlertRecord r;
            r.id = insert.columnInt(0);
            r.key = std::move(c.key);
            r.kind = std::move(c.kind);
            r.createdMs = nowMs;
            r.dataTsMs = atMs;
            r.payload = std::move(c.payload);
            raised.push_back(std::move(r));
            while (insert.step()) {
            }
        }
        insert.reset();
    }
    tx.commit();
    return raised;
}

namespace {

std::vector<AlertRecord> readAlerts(Statement &st)
{
    std::vector<AlertRecord> out;
    while (st.step()) {
        AlertRecord r;
        r.id = st.columnInt(0);
        r.key = std::string(st.columnText(1));
        r.kind = std::string(st.columnText(2));
        r.createdMs = st.columnInt(3);
        r.dataTsMs = st.columnInt(4);
        r.payload = std::string(st.columnText(5));
        if (!st.columnIsNull(6))
            r.sentMs = st.columnInt(6);
        r.attempts = st.columnInt(7);
        r.nextAttemptMs = st.columnInt(8);
        if (!st.columnIsNull(9))
            r.lastError = std::string(st.columnText(9));
        out.push_back(std::move(r));
    }
    return out;
}

constexpr const char *kAlertColumns = "SELECT id, key, kind, created_at_ms, data_ts_ms, payload, "
                                      "sent_at_ms, attempts, next_attempt_ms, last_error FROM "
                                      "alerts ";

} // namespace

std::vector<AlertRecord> AlertEngine::due(int64_t nowMs)
{
    Statement st(m_ws.db(), std::string(kAlertColumns) +
                                "WHERE sent_at_ms IS NULL AND next_attempt_ms <= ? ORDER BY id");
    st.bind(1, nowMs);
    return readAlerts(st);
}

void AlertEngine::markSent(int64_t id, int64_t nowMs)
{
    Transaction tx(m_ws.db());
    Statement st(m_ws.db(), "UPDATE alerts SET sent_at_ms = ?, attempts = attempts + 1, "
                            "last_error = NULL WHERE id = ?");
    st.bind(1, nowMs);
    st.bind(2, id);
    st.step();
    tx.commit();
}

void AlertEngine::markFailed(int64_t id, const std::string &error, int64_t nextAttemptMs)
{
    Transaction tx(m_ws.db());
    Statement st(m_ws.db(), "UPDATE alerts SET attempts = attempts + 1, next_attempt_ms = ?, "
                            "last_error = ? WHERE id = ?");
    st.bind(1, nextAttemptMs);
    st.bind(2, error);
    st.bind(3, id);
    st.step();
    tx.commit();
}

std::vector<AlertRecord> AlertEngine::list(Workspace &ws, int64_t limit)
{
    Statement st(ws.db(), std::string(kAlertColumns) + "ORDER BY id DESC LIMIT ?");
    st.bind(1, limit);
    return readAlerts(st);
}

} // namespace tl::live
