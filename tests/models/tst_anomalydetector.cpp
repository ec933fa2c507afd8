// The spike detector on hand-made series whose answer is known.
#include "anomaly/anomalydetector.h"
#include "core/timeutil.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace tl;

namespace {

// Hourly spend with a daily rhythm (busy 9-18 UTC), quiet weekends and a
// little deterministic noise; $10 an hour at the daily peak. Calls: one per
// `perCall` dollars.
std::vector<double> rhythm(int64_t firstHour, int days, double scale = 10)
{
    std::vector<double> v;
    uint64_t x = 7;
    for (int64_t h = firstHour; h < firstHour + days * 24; ++h) {
        const int hod = int(h % 24);
        const int64_t day = floorDiv(h, 24);
        const bool weekend = int((day % 7 + 7 + 3) % 7) >= 5;
        const double daily = 0.3 + 0.7 * std::exp(-std::pow((hod - 13.5) / 4.0, 2));
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        const double noise = 0.9 + 0.2 * double(x >> 40) / double(1ULL << 24);
        v.push_back(scale * daily * (weekend ? 0.35 : 1.0) * noise);
    }
    return v;
}

const int64_t kStart = *parseDate("2026-09-07") * 24; // a Monday, hour 0

// Calls behind a spend series at `perCall` dollars a call (rounded: whole calls).
std::vector<double> callsOf(const std::vector<double> &cost, double perCall)
{
    std::vector<double> c;
    for (double v : cost)
        c.push_back(std::round(v / perCall));
    return c;
}

std::vector<DetectedAnomaly> detect(const DetectorOptions &o, int64_t first,
                                    const std::vector<double> &cost,
                                    const std::vector<double> &calls, int64_t from)
{
    return AnomalyDetector(o).detect(first, cost, calls, from);
}

} // namespace

class TestAnomalyDetector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rhythmIsNotAnAnomaly_data()
    {
        QTest::addColumn<double>("scale");
        QTest::addColumn<double>("perCall");
        QTest::newRow("$10/h, 5c calls") << 10.0 << 0.05;
        QTest::newRow("$100/h, 20c calls") << 100.0 << 0.2;
        QTest::newRow("$1/h, 1c calls") << 1.0 << 0.01;
        QTest::newRow("sparse: $1/h, 50c calls") << 1.0 << 0.5;
    }
    void rhythmIsNotAnAnomaly()
    {
        QFETCH(double, scale);
        QFETCH(double, perCall);
        const auto s = rhythm(kStart, 56, scale);
        const auto found = detect(DetectorOptions{}, kStart, s, callsOf(s, perCall), kStart);
        QVERIFY2(found.empty(), qPrintable(QString::number(found.size())));
    }

    void spikeFoundWhereItIs_data()
    {
        QTest::addColumn<int>("day");
        QTest::addColumn<int>("hour");
        QTest::addColumn<int>("length");
        QTest::addColumn<double>("factor");
        QTest::addColumn<bool>("volume"); // more calls, or the same calls costing more
        QTest::newRow("weekday afternoon, calls x6, 3 h") << 30 << 14 << 3 << 6.0 << true;
        QTest::newRow("night, calls x5, 2 h") << 22 << 3 << 2 << 5.0 << true;
        QTest::newRow("Saturday, calls x8, 5 h") << 33 << 11 << 5 << 8.0 << true;
        QTest::newRow("Monday morning, tokens x5, 8 h") << 35 << 8 << 8 << 5.0 << false;
        QTest::newRow("afternoon, tokens x7, 2 h") << 24 << 15 << 2 << 7.0 << false;
    }
    void spikeFoundWhereItIs()
    {
        QFETCH(int, day);
        QFETCH(int, hour);
        QFETCH(int, length);
        QFETCH(double, factor);
        QFETCH(bool, volume);
        auto s = rhythm(kStart, 56);
        auto calls = callsOf(s, 0.05);
        const size_t at = size_t(day * 24 + hour);
        double injected = 0;
        for (int i = 0; i < length; ++i) {
            injected += s[at + size_t(i)] * (factor - 1);
            s[at + size_t(i)] *= factor;
            if (volume)
                calls[at + size_t(i)] *= factor;
        }
        const auto found = detect(DetectorOptions{}, kStart, s, calls, kStart);
        QCOMPARE(found.size(), size_t(1));
        QCOMPARE(found[0].startBucket, kStart + int64_t(at));
        QCOMPARE(found[0].firstAlarmBucket, kStart + int64_t(at)); // known within its first hour
        QCOMPARE(found[0].endBucket, kStart + int64_t(at) + length);
        // The expectation is a mean of similar hours, not the exact pre-spike
        // value: the excess is within 15% of what was injected.
        QVERIFY2(std::abs(found[0].excessUsd() - injected) < 0.15 * injected,
                 qPrintable(QStringLiteral("%1 vs %2").arg(found[0].excessUsd()).arg(injected)));
        // What a chart draws is what was judged: the alarm's window crosses
        // its line; the same window a week earlier stays under it.
        const AnomalyDetector detector{DetectorOptions{}};
        const auto exp = detector.expectations(kStart, s, calls);
        const size_t alarm = size_t(found[0].firstAlarmBucket - kStart);
        const size_t from = alarm + 1 - size_t(found[0].windowBuckets);
        const auto sum = [&](size_t a, size_t b) {
            double x = 0;
            for (size_t k = a; k <= b; ++k)
                x += s[k];
            return x;
        };
        const auto line = detector.windowThresholdUsd(exp, calls, from, alarm);
        QVERIFY(line);
        QVERIFY2(sum(from, alarm) > *line,
                 qPrintable(QStringLiteral("%1 under %2").arg(sum(from, alarm)).arg(*line)));
        const auto before = detector.windowThresholdUsd(exp, calls, from - 7 * 24, alarm - 7 * 24);
        QVERIFY(before);
        QVERIFY(sum(from - 7 * 24, alarm - 7 * 24) < *before);
    }

    // The pooled dispersion is the median of the last week's squared
    // surprises over a chi-square's: kept in a sliding sorted window, it
    // must equal the median taken afresh at every bucket (ties included).
    void pooledDispersionIsTheWeeksMedian()
    {
        std::mt19937 rng(7);
        std::poisson_distribution<int> base(6), burst(40);
        std::vector<double> calls, cost;
        for (int h = 0; h < 24 * 40; ++h) {
            const int n = (h % 97 == 0) ? burst(rng) : (h % 5 == 0 ? 6 : base(rng)); // ties
            calls.push_back(n);
            cost.push_back(n * 0.01);
        }
        const AnomalyDetector detector{DetectorOptions{}};
        const auto exp = detector.expectations(kStart, cost, calls);
        const size_t week = 7 * 24;
        std::vector<double> ratios;
        int pooledSeen = 0;
        for (size_t i = 1; i < calls.size(); ++i) {
            const auto own = detector.expectation(kStart, cost, calls, i, 0);
            if (exp[i - 1].ok && exp[i - 1].calls > 0) {
                const double d = calls[i - 1] - exp[i - 1].calls;
                ratios.push_back(d * d / std::max(exp[i - 1].calls, 0.5));
                if (ratios.size() > week)
                    ratios.erase(ratios.begin());
            }
            double want = own.dispersion;
            if (own.ok && ratios.size() >= week / 2) {
                std::vector<double> w = ratios;
                std::nth_element(w.begin(), w.begin() + long(w.size() / 2), w.end());
                want = std::clamp(std::max(own.dispersion, w[w.size() / 2] / 0.455), 1.0, 20.0);
                ++pooledSeen;
            }
            QCOMPARE(exp[i].dispersion, want);
        }
        QVERIFY(pooledSeen > 24 * 20);
    }

    void oneExpensiveCallIsNotASpike()
    {
        // A quiet entity: a call every few hours; then one call costing 40×.
        auto s = rhythm(kStart, 56, 0.5);
        auto calls = callsOf(s, 0.25);
        const size_t at = size_t(30 * 24 + 3);
        s[at] += 10;
        calls[at] += 1;
        QVERIFY(detect(DetectorOptions{}, kStart, s, calls, kStart).empty());
    }

    void levelShiftAlarmsAtItsStart()
    {
        auto s = rhythm(kStart, 56);
        auto calls = callsOf(s, 0.05);
        const size_t at = size_t(30 * 24 + 9);
        for (size_t i = at; i < s.size(); ++i) {
            s[i] *= 3;
            calls[i] *= 3;
        }
        const auto found = detect(DetectorOptions{}, kStart, s, calls, kStart);
        QVERIFY(!found.empty());
        QCOMPARE(found.front().startBucket, kStart + int64_t(at));
        // ... and the new level becomes the baseline: no alarms in the last week.
        for (const auto &a : found)
            QVERIFY(a.startBucket < kStart + 49 * 24);
    }

    void newEntityWarmsUp()
    {
        // Launched on day 20, at a level no history knows.
        std::vector<double> s(20 * 24, 0.0);
        const auto live = rhythm(kStart + 20 * 24, 36, 50);
        s.insert(s.end(), live.begin(), live.end());
        QVERIFY(detect(DetectorOptions{}, kStart, s, callsOf(s, 0.1), kStart).empty());
    }

    void centsNeverAlarm()
    {
        auto s = rhythm(kStart, 56, 0.05); // five cents an hour at the peak
        auto calls = callsOf(s, 0.001);
        for (int i = 0; i < 4; ++i) {
            s[size_t(30 * 24 + 14 + i)] *= 10;
            calls[size_t(30 * 24 + 14 + i)] *= 10;
        }
        QVERIFY(detect(DetectorOptions{}, kStart, s, calls, kStart).empty());
        DetectorOptions fine;
        fine.minExcessUsd = 0.1; // a lower floor sees it
        QCOMPARE(detect(fine, kStart, s, calls, kStart).size(), size_t(1));
    }

    void reportFromSkipsEarlierAnomalies()
    {
        auto s = rhythm(kStart, 56);
        auto calls = callsOf(s, 0.05);
        for (size_t at : {size_t(20 * 24 + 14), size_t(40 * 24 + 14)}) {
            s[at] *= 8;
            calls[at] *= 8;
        }
        QCOMPARE(detect(DetectorOptions{}, kStart, s, calls, kStart).size(), size_t(2));
        const auto later = detect(DetectorOptions{}, kStart, s, calls, kStart + 30 * 24);
        QCOMPARE(later.size(), size_t(1));
        QCOMPARE(later[0].startBucket, kStart + 40 * 24 + 14);
    }

    void dailySeries()
    {
        const auto hourly = rhythm(kStart, 70);
        std::vector<double> daily(70, 0.0);
        for (size_t i = 0; i < hourly.size(); ++i)
            daily[i / 24] += hourly[i];
        auto calls = callsOf(daily, 0.05);
        daily[50] *= 4;
        calls[50] *= 4;
        DetectorOptions o;
        o.bucketHours = 24;
        o.minExcessUsd = 20;
        const auto found = detect(o, kStart / 24, daily, calls, kStart / 24);
        QCOMPARE(found.size(), size_t(1));
        QCOMPARE(found[0].startBucket, kStart / 24 + 50);
    }
};

QTEST_APPLESS_MAIN(TestAnomalyDetector)
#include "tst_anomalydetector.moc"
