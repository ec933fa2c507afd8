// Detection quality of the anomaly detector, measured against the fleet
// generator's truth file: fleets with injected spikes (recall, precision,
// detection delay) and fleets without (false alarms per 100 agents a month).
//   tl_bench_anomalies [--fleets 3] [--agents 100] [--days 45] [--calls-per-day 40000]
//                      [--sensitivity 6] [--min-excess 2]
// Agent-level hourly detection; a detection matches a spike of the same
// agent when their hours overlap. Delay = end of the first alarming hour −
// the spike's start (an hourly alarm can sound only when its hour closes).
#include "anomaly/anomalyquery.h"
#include "core/timeutil.h"
#include "generate/fleetgenerator.h"
#include "import/importer.h"
#include "store/sqlitedb.h"
#include "store/workspace.h"

#include <nlohmann/json.hpp>

#include <QCoreApplication>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

using namespace tl;

namespace {

struct Truth
{
    std::string agent;
    int64_t startMs, endMs;
    double factor;
    double excessUsd = 0; // what the spike added: spend in its window × (1 − 1/factor)
};

struct Tally
{
    int spikes = 0, found = 0, detections = 0, matching = 0, falseAlarms = 0;
    int material = 0, materialFound = 0; // spikes adding more than twice the floor
    std::vector<double> delaysH;
    double agentMonths = 0;
};

bool runFleet(const FleetOptions &o, const DetectorOptions &d, Tally &t)
{
    QTemporaryDir dir;
    const std::string csv = dir.filePath(QStringLiteral("fleet.csv")).toStdString();
    std::string error;
    if (!FleetGenerator(o).write(csv, nullptr, &error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return false;
    }
    auto ws = Workspace::open(dir.filePath(QStringLiteral("ws.db")).toStdString(),
                              Workspace::OpenMode::CreateIfMissing, &error);
    if (!ws || !Importer(*ws).importFile(csv).ok)
        return false;
    std::vector<Truth> truth;
    std::ifstream in(csv + ".truth.json");
    const auto doc = nlohmann::json::parse(in);
    for (const auto &s : doc["spikes"])
        truth.push_back({s["agent"].get<std::string>(),
                         *parseTimestamp(s["start"].get<std::string>()),
                         *parseTimestamp(s["end"].get<std::string>()), s["factor"].get<double>()});
    for (Truth &s : truth) {
        Statement st(ws->db(), "SELECT SUM(COALESCE(reported_nusd, computed_nusd, 0)) FROM calls "
                               "WHERE agent_id = ? AND ts_ms >= ? AND ts_ms < ?");
        st.bind(1, ws->dims().find(Dimension::Agent, s.agent));
        st.bind(2, s.startMs);
        st.bind(3, s.endMs);
        st.step();
        s.excessUsd = double(st.columnInt(0)) * 1e-9 * (1 - 1 / s.factor);
    }
    AnomalyRequest r;
    r.kinds = {Dimension::Agent};
    r.options = d;
    // Report from the eighth day: the first week is the detector's warm-up.
    r.filter.fromDay = o.startDay + 7;
    r.filter.toDay = o.startDay + o.days - 1;
    const auto found = AnomalyQuery::run(*ws, r);
    t.spikes += int(truth.size());
    t.detections += int(found.size());
    t.agentMonths += double(o.agents) * (o.days - 7) / 30.4375;
    std::vector<bool> matched(truth.size(), false);
    for (const auto &a : found) {
        bool match = false;
        for (size_t i = 0; i < truth.size(); ++i) {
            const Truth &s = truth[i];
            if (s.agent != a.entity || a.endMs <= s.startMs || a.startMs >= s.endMs)
                continue;
            match = true;
            if (!matched[i]) {
                matched[i] = true;
                t.delaysH.push_back(double(a.detectedMs - s.startMs) / kMsPerHour);
                if (std::getenv("TL_BENCH_DEBUG"))
                    std::printf("delay %s: %.0f h\n", s.agent.c_str(), t.delaysH.back());
            }
        }
        if (match)
            ++t.matching;
        else
            ++t.falseAlarms;
        if (!match && std::getenv("TL_BENCH_DEBUG"))
            std::printf("false alarm %s %s..%s expected %.2f actual %.2f z %.1f: %s\n",
                        a.entity.c_str(), formatTimestamp(a.startMs).c_str(),
                        formatTimestamp(a.endMs).substr(11, 5).c_str(), a.expectedUsd, a.actualUsd,
                        a.score, a.cause.c_str());
    }
    t.found += int(std::count(matched.begin(), matched.end(), true));
    for (size_t i = 0; i < truth.size(); ++i)
        if (truth[i].excessUsd >= 2 * d.minExcessUsd) {
            ++t.material;
            t.materialFound += matched[i] ? 1 : 0;
        }
    if (std::getenv("TL_BENCH_DEBUG")) {
        for (size_t i = 0; i < truth.size(); ++i) {
            const Truth &s = truth[i];
            const int64_t id = ws->dims().find(Dimension::Agent, s.agent);
            const int64_t b0 = s.startMs / kMsPerHour;
            const auto pts = AnomalyQuery::series(*ws, Dimension::Agent, id, b0 - 3,
                                                  s.endMs / kMsPerHour + 2, r);
            std::printf("%s %s %s excess $%.2f:", matched[i] ? "found" : "MISSED", s.agent.c_str(),
                        formatTimestamp(s.startMs).c_str(), s.excessUsd);
            for (const auto &p : pts)
                std::printf(" %.2f(%.2f..%.2f)", p.costUsd, p.expectedUsd, p.thresholdUsd);
            std::printf("\n");
        }
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int fleets = 3;
    FleetOptions o;
    o.agents = 100;
    o.days = 45;
    o.callsPerDay = 40000;
    o.startDay = *parseDate("2026-08-03");
    DetectorOptions d;
    for (int i = 1; i + 1 < argc; i += 2) {
        const double v = std::atof(argv[i + 1]);
        if (!std::strcmp(argv[i], "--fleets"))
            fleets = int(v);
        else if (!std::strcmp(argv[i], "--agents"))
            o.agents = int(v);
        else if (!std::strcmp(argv[i], "--days"))
            o.days = int(v);
        else if (!std::strcmp(argv[i], "--calls-per-day"))
            o.callsPerDay = int64_t(v);
        else if (!std::strcmp(argv[i], "--sensitivity"))
            d.sensitivity = v;
        else if (!std::strcmp(argv[i], "--min-excess"))
            d.minExcessUsd = v;
    }
    std::printf("tl_bench_anomalies: %d fleets each with and without spikes, %d agents, %d days, "
                "%lld calls/day; sensitivity %.1f, floor $%.2f/h\n",
                fleets, o.agents, o.days, (long long)o.callsPerDay, d.sensitivity, d.minExcessUsd);
    Tally spiky, quiet;
    for (int f = 0; f < fleets; ++f) {
        FleetOptions with = o;
        with.seed = uint64_t(100 + f);
        with.spikes = std::max(3, o.agents * o.days / 300);
        FleetOptions without = o;
        without.seed = uint64_t(200 + f);
        without.spikes = 0;
        if (!runFleet(with, d, spiky) || !runFleet(without, d, quiet))
            return 1;
        std::fflush(stdout);
    }
    std::sort(spiky.delaysH.begin(), spiky.delaysH.end());
    const double recall = spiky.spikes ? double(spiky.found) / spiky.spikes : 0;
    const double precision = spiky.detections ? double(spiky.matching) / spiky.detections : 1;
    const double median = spiky.delaysH.empty() ? 0 : spiky.delaysH[spiky.delaysH.size() / 2];
    std::printf("fleets with spikes: %d spikes, %d found -> recall %.3f\n", spiky.spikes,
                spiky.found, recall);
    std::printf("  of them %d add more than twice the spend floor: %d found -> recall %.3f "
                "(goal >= 0.95)\n",
                spiky.material, spiky.materialFound,
                spiky.material ? double(spiky.materialFound) / spiky.material : 0.0);
    std::printf("  %d detections, %d on a spike -> precision %.3f (goal >= 0.90)\n",
                spiky.detections, spiky.matching, precision);
    std::printf("  detection delay: median %.1f h, max %.1f h (goal: median <= 1 h)\n", median,
                spiky.delaysH.empty() ? 0 : spiky.delaysH.back());
    std::printf("fleets without spikes: %d alarms over %.0f agent-months -> %.2f per 100 agents "
                "a month (goal <= 1)\n",
                quiet.falseAlarms, quiet.agentMonths, quiet.falseAlarms * 100 / quiet.agentMonths);
    return 0;
}
