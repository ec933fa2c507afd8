#pragma once

#include "anomaly/anomalydetector.h"
#include "core/dimension.h"
#include "query/summaryquery.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace tl {

class Workspace;

// What an anomaly's excess came from, one contributor (a model, a user, a
// task, or an agent on a model) at a time.
struct CauseShare
{
    std::string name;
    double actualUsd = 0;
    double expectedUsd = 0;
    double excessUsd() const { return actualUsd - expectedUsd; }
    double share = 0; // of the anomaly's excess
};

// Each contributor's part of the change from `expected` to `actual` (the
// totals of both maps), the largest in the change's direction first: an
// anomaly's cause, and the drivers of a report period's change.
std::vector<CauseShare> rankCauses(const std::map<std::string, double> &actual,
                                   const std::map<std::string, double> &expected, size_t top);
// The same of maps that hold only the contributors that can rank (see
// causeCandidates), `change` being the change over all of them. Ties rank
// by name.
std::vector<CauseShare> rankCauses(const std::map<std::string, double> &actual,
                                   const std::map<std::string, double> &expected, size_t top,
                                   double change);

struct Anomaly
{
    Dimension kind = Dimension::Agent;
    std::string entity;
    int64_t entityId = 0;
    int64_t startMs = 0;
    int64_t endMs = 0;      // exclusive
    int64_t detectedMs = 0; // the end of the bucket that first alarmed
    int bucketHours = 1;
    int windowBuckets = 1; // the alarm's window: 1-3 buckets summed
    double expectedUsd = 0;
    double actualUsd = 0;
    double excessUsd() const { return actualUsd - expectedUsd; }
    double score = 0;
    // Cause, against the same hours of recent comparable days.
    double callsRatio = 0;         // calls in the anomaly / expected calls
    double tokensPerCallRatio = 0; // tokens per call / expected
    double volumeEffectUsd = 0;    // excess from more calls at the usual cost per call
    double intensityEffectUsd = 0; // excess from a different cost per call
    std::vector<CauseShare> byAgentModel;
    std::vector<CauseShare> byUser;
    std::vector<CauseShare> byTask;
    std::string cause; // one line: "+$412: 83% from agent triage on gpt-4o; calls ×6.1, …"
};

struct AnomalyRequest
{
    CallFilter filter;   // the period to report (and names to keep)
    int bucketHours = 1; // 1 or 24
    std::vector<Dimension> kinds = {Dimension::Agent, Dimension::Feature, Dimension::Team,
                                    Dimension::Model};
    DetectorOptions options;
};

// Builds each entity's spend series from the calls (the report period plus
// the history the detector needs), runs the detector, and explains each
// anomaly from the calls of its window against the same hours of the last
// four comparable days. Sorted by excess, largest first.
class AnomalyQuery
{
public:
    using Progress = std::function<bool(int64_t done, int64_t total)>;
    // Empty with *cancelled set when the progress callback returns false.
    static std::vector<Anomaly> run(Workspace &ws, const AnomalyRequest &r,
                                    const Progress &progress = {}, bool *cancelled = nullptr);

    // One entity's series over [fromBucket, toBucket) with the detector's
    // expectation per bucket (for the chart's baseline band).
    // What the detector judged at each bucket, over windows of
    // `windowBuckets` ending there (the anomaly's own window length): the
    // window's spend, its expectation and the spend above which it alarms.
    struct SeriesPoint
    {
        int64_t bucket = 0;
        double costUsd = 0;      // the window's spend
        double expectedUsd = 0;  // the window's expectation
        double thresholdUsd = 0; // alarm above (valid when judged)
        bool judged = false;     // false while the entity warms up
    };
    static std::vector<SeriesPoint> series(Workspace &ws, Dimension kind, int64_t entityId,
                                           int64_t fromBucket, int64_t toBucket,
                                           const AnomalyRequest &r, int windowBuckets = 1);
};

} // namespace tl
