#pragma once

#include <QCommandLineParser>

#include <memory>
#include <string>

namespace tl::live {
struct CommitInfo;
}

namespace tl::cli {

// --notify URL..., --notify-command CMD and the live anomaly windows, shared
// by `collect` and `watch`.
void addAlertOptions(QCommandLineParser &parser);

// Evaluates budgets and anomalies after data lands and delivers new alerts,
// on a thread of its own with its own connection to the workspace (the
// writer never waits for a webhook).
class LiveAlerts
{
public:
    virtual ~LiveAlerts() = default;
    // Thread-safe: new data was committed.
    virtual void afterCommit(const live::CommitInfo &info) = 0;
    // A last evaluation and delivery attempt (a few seconds at most), then stop.
    virtual void finish() = 0;
};

// false with *error set when an alert option is wrong (checked before anything starts).
bool checkAlertOptions(const QCommandLineParser &parser, std::string *error);
// nullptr with *error set on a bad option; alerts are always evaluated and
// stored (and printed), delivered where --notify options say.
std::unique_ptr<LiveAlerts> makeLiveAlerts(const QCommandLineParser &parser,
                                           const std::string &target, std::string *error);

} // namespace tl::cli
