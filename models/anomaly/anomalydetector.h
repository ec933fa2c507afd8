#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tl {

// Cost spikes in one entity's series (an agent, feature, team, user or
// model), hourly or daily, from its spend and its calls per bucket.
//
// The expectation of a bucket comes from the same hour of day (daily series:
// any day) on earlier days of the same kind — weekdays against weekdays,
// weekends against weekends — over the last `historyDays`: the expected
// calls λ (a mean with the top tenth trimmed, so an earlier spike cannot
// raise it), their dispersion D (variance / mean: calls come in bursts of a
// task's steps), and the usual cost per call. A bucket, or the three
// buckets ending with it, alarms when
//  - more calls came than chance allows: (n − λ) / √(D(λ + 1)) ≥ sensitivity, or
//  - at least five calls each cost, on average, `minCostRatio` × the usual;
// and the excess spend passes the floor and `minRatio` × the expectation.
// Calls are what separates a burst of work from one expensive call: a
// single costly call in a quiet hour never alarms.
struct DetectorOptions
{
    int bucketHours = 1;     // 1 = hourly, 24 = daily
    double sensitivity = 6;  // z-score of the call count to alarm at
    double minExcessUsd = 2; // spend floor per alarm window: cents never alarm
    double minRatio = 2;     // spend must be at least this × its expectation
    double minCostRatio = 3; // cost-per-call route: × the usual cost per call
    int historyDays = 28;    // how far back the expectation looks
    int warmupDays = 7;      // a new entity is not judged before this much history
};

struct DetectedAnomaly
{
    int64_t startBucket = 0;      // bucket numbers: hours (or days) since the epoch
    int64_t endBucket = 0;        // exclusive
    int64_t firstAlarmBucket = 0; // the bucket at whose end it was first known
    double actualUsd = 0;         // over the anomaly's buckets
    double expectedUsd = 0;
    double excessUsd() const { return actualUsd - expectedUsd; }
    double score = 0;      // the largest z-score among its alarms
    int windowBuckets = 1; // the length of the window that first alarmed (1-3)
};

class AnomalyDetector
{
public:
    explicit AnomalyDetector(DetectorOptions o)
        : m_opt(o)
    {}
    const DetectorOptions &options() const { return m_opt; }

    // `costUsd[i]` and `calls[i]` belong to bucket `firstBucket + i`.
    // Anomalies that start before `reportFrom` are not returned (their
    // buckets still count as history). Alarming buckets with at most one
    // quiet bucket between them form one anomaly.
    std::vector<DetectedAnomaly> detect(int64_t firstBucket, const std::vector<double> &costUsd,
                                        const std::vector<double> &calls, int64_t reportFrom) const;

    struct Expectation
    {
        double calls = 0;      // λ
        double dispersion = 1; // D
        double costUsd = 0;    // λ × usual cost per call
        double costPerCallUsd = 0;
        double historyCalls = 0; // calls in the slots compared against
        bool ok = false;         // false while the entity warms up
    };
    Expectation expectation(int64_t firstBucket, const std::vector<double> &costUsd,
                            const std::vector<double> &calls, size_t i, size_t firstActive) const;
    // Every bucket's expectation as detect() judges it: the slot's own
    // figures, then the dispersion pooled over the entity's last week.
    std::vector<Expectation> expectations(int64_t firstBucket, const std::vector<double> &costUsd,
                                          const std::vector<double> &calls) const;
    // The spend above which the window of buckets [from, i] alarms, given
    // its calls: what detect() compares the window's spend with (charts draw
    // this line, so an anomaly visibly crosses it). nullopt while the
    // entity warms up.
    std::optional<double> windowThresholdUsd(const std::vector<Expectation> &exp,
                                             const std::vector<double> &calls, size_t from,
                                             size_t i) const;

private:
    DetectorOptions m_opt;
};

} // namespace tl
