#pragma once

#include "anomaly/anomalydetector.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tl {
class Workspace;
}

namespace tl::live {

// One alert as stored in the workspace's `alerts` table: raised once (its
// key is unique), then delivered and marked sent, so that neither a
// second evaluation nor a restart sends it again.
struct AlertRecord
{
    int64_t id = 0;
    std::string key;
    std::string kind; // budget_threshold, budget_forecast, anomaly
    int64_t createdMs = 0;
    int64_t dataTsMs = 0; // the data time it was raised at
    std::string payload;  // the JSON that is sent (text + structured fields)
    std::optional<int64_t> sentMs;
    int64_t attempts = 0;
    int64_t nextAttemptMs = 0;
    std::string lastError;
};

struct LiveAlertOptions
{
    // Anomaly windows shorter than the hourly detector's: a runaway agent
    // alarms within minutes. Each window is judged by the hourly
    // detector's rule, its expectation and its spend floor (minExcessUsd,
    // read as USD per hour) scaled to the window.
    std::vector<int> windowsMinutes = {5, 15};
    DetectorOptions detector;
    // An agent is told only when the calls since it first alarmed, this many
    // minutes (of data time) later, alarm on their own: a runaway goes on,
    // a task's burst of calls on an expensive model is over by then.
    // 0: at the first alarm.
    int confirmMinutes = 5;
    bool budgets = true;
    bool anomalies = true;
};

// Evaluates budgets (every threshold of every budget, and a forecast past
// the amount) and per-agent anomalies in short windows on the data as it
// lands, and keeps the alerts and their delivery state. Runs on one thread
// with its own Workspace.
class AlertEngine
{
public:
    AlertEngine(Workspace &ws, LiveAlertOptions options);

    // The alerts that became true as of data time `atMs` and were not
    // raised before: stored (pending delivery) and returned.
    std::vector<AlertRecord> evaluate(int64_t atMs, int64_t nowMs);
    // Pending alerts whose next attempt is due.
    std::vector<AlertRecord> due(int64_t nowMs);
    void markSent(int64_t id, int64_t nowMs);
    void markFailed(int64_t id, const std::string &error, int64_t nextAttemptMs);

    static std::vector<AlertRecord> list(Workspace &ws, int64_t limit);
    // The newest call's time (the live data time), or 0 when there is none.
    static int64_t latestCallMs(Workspace &ws);

private:
    struct Candidate
    {
        std::string key, kind;
        std::string payload;
    };
    void budgetCandidates(int64_t atMs, std::vector<Candidate> &out);
    void anomalyCandidates(int64_t atMs, std::vector<Candidate> &out);
    AnomalyDetector::Expectation hourExpectation(int64_t agentId, int64_t hour);
    bool known(const std::string &key);

    Workspace &m_ws;
    LiveAlertOptions m_options;
    // Per agent: the expectation of the hour in force (history changes
    // slowly: recomputed once an hour per agent, not per commit).
    std::map<int64_t, std::pair<int64_t, AnomalyDetector::Expectation>> m_expectations;
    // Per agent: when it first alarmed (not yet confirmed) and the length of
    // the window that did.
    std::map<int64_t, std::pair<int64_t, int64_t>> m_pending;
};

} // namespace tl::live
