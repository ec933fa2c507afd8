#include "fleetgenerator.h"

#include "core/timeutil.h"
#include "fleetrowwriter.h"

#include "core/builtinresources.h"

#include <QFile>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <vector>

namespace tl {

namespace {

// Our own generator and distributions: std:: distributions differ between
// standard libraries, and the fleet must be the same everywhere for a seed.
class Rng
{
public:
    explicit Rng(uint64_t seed)
        : m_s(seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull)
    {}
    uint64_t next()
    {
        uint64_t z = (m_s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }
    int64_t below(int64_t n) { return int64_t(uniform() * double(n)); }
    double normal()
    {
        double u1 = std::max(uniform(), 1e-300), u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    double lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }
    int64_t poisson(double lambda)
    {
        if (lambda <= 0)
            return 0;
        if (lambda > 30)
            return std::max<int64_t>(0, std::llround(lambda + std::sqrt(lambda) * normal()));
        double l = std::exp(-lambda), p = 1.0;
        int64_t k = 0;
        do {
            ++k;
            p *= uniform();
        } while (p > l);
        return k - 1;
    }

private:
    uint64_t m_s;
};

struct Mix
{
    std::vector<std::pair<std::string, double>> models;
};

struct Agent
{
    std::string name, team, feature;
    const Mix *mix = nullptr;
    double share = 1; // of fleet volume
    double inputMedian = 2000;
    double outputMedian = 300;
    double steps = 3;      // calls per task
    double cacheShare = 0; // of input served from provider cache
    double success = 0.9;
    double valuePerTask = 0.5;
    double batchShare = 0;
    int promptPool = 200;
    std::vector<int> users;
};

struct Spike
{
    int agent;
    int64_t startHour, endHour; // [start, end)
    std::string kind;           // volume | tokens
    double factor;
};

struct Call
{
    int64_t ts;
    int agent;
    uint64_t id;
    const std::string *model;
    int64_t input, output, cached, cacheWrite, reasoning, latency;
    const char *status;
    const char *outcome;
    double value;
    uint64_t task;
    uint64_t prompt;
    int user;
    bool batch;
};

std::string providerOf(const nlohmann::json &providers, const std::string &model)
{
    for (auto it = providers.begin(); it != providers.end(); ++it)
        if (model.rfind(it.key(), 0) == 0)
            return it.value().get<std::string>();
    return "other";
}

const char *hex16(uint64_t v, char *buf)
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 15; i >= 0; --i) {
        buf[i] = digits[v & 0xF];
        v >>= 4;
    }
    buf[16] = 0;
    return buf;
}

} // namespace

FleetGenerator::FleetGenerator(FleetOptions options)
    : m_opt(std::move(options))
{}

bool FleetGenerator::write(const std::string &path, FleetStats *stats, std::string *error,
                           const std::function<bool(double)> &progress)
{
    auto fail = [&](const std::string &why) {
        if (error)
            *error = why;
        return false;
    };
    if (m_opt.agents < 1 || m_opt.days < 1 || m_opt.callsPerDay < 1)
        return fail("--agents, --days and --calls-per-day must be at least 1");
    if (!FleetRowWriter::knownFormat(m_opt.format))
        return fail("unknown --format '" + m_opt.format +
                    "' (expected csv, jsonl, otel or litellm)");

    ensureBuiltinResources();
    QFile res(QStringLiteral(":/tokenledger/demo-fleet.json"));
    if (!res.open(QIODevice::ReadOnly))
        return fail("built-in demo fleet settings are missing");
    const QByteArray settingsBytes = res.readAll();
    const auto cfg = nlohmann::json::parse(settingsBytes.constData(),
                                           settingsBytes.constData() + settingsBytes.size());

    Rng rng(m_opt.seed);
    std::vector<Mix> mixes;
    for (const auto &m : cfg["model_mixes"]) {
        Mix mix;
        for (const auto &pair : m["models"])
            mix.models.emplace_back(pair[0].get<std::string>(), pair[1].get<double>());
        mixes.push_back(std::move(mix));
    }
    std::vector<std::string> modelNames;
    std::vector<std::string> providers;
    for (const auto &mix : mixes)
        for (const auto &[name, w] : mix.models)
            if (std::find(modelNames.begin(), modelNames.end(), name) == modelNames.end()) {
                modelNames.push_back(name);
                providers.push_back(providerOf(cfg["providers"], name));
            }
    // Stable addresses: calls point at these strings.
    for (auto &mix : mixes)
        for (auto &[name, w] : mix.models)
            name = *std::find(modelNames.begin(), modelNames.end(), name);

    const int userCount = cfg["users"].get<int>();
    const auto &teams = cfg["teams"];
    double teamWeightSum = 0;
    for (const auto &t : teams)
        teamWeightSum += t["weight"].get<double>();

    std::vector<Agent> agents(size_t(m_opt.agents));
    std::vector<int> perFeatureCount(64, 0);
    double shareSum = 0;
    for (int a = 0; a < m_opt.agents; ++a) {
        Agent &ag = agents[size_t(a)];
        double pick = rng.uniform() * teamWeightSum;
        size_t ti = 0;
        for (; ti + 1 < teams.size(); ++ti) {
            pick -= teams[ti]["weight"].get<double>();
            if (pick < 0)
                break;
        }
        const auto &team = teams[ti];
        ag.team = team["name"].get<std::string>();
        const auto &features = team["features"];
        size_t fi = size_t(rng.below(int64_t(features.size())));
        ag.feature = features[fi].get<std::string>();
        int n = ++perFeatureCount[(ti * 8 + fi) % perFeatureCount.size()];
        ag.name = ag.feature + "-" + std::to_string(n);
        // The last mix (self-hosted, partly unpriced) is rare on purpose.
        size_t mi =
            rng.uniform() < 0.04 ? mixes.size() - 1 : size_t(rng.below(int64_t(mixes.size() - 1)));
        ag.mix = &mixes[mi];
        ag.share = rng.lognormal(1.0, 0.8);
        shareSum += ag.share;
        ag.inputMedian = rng.lognormal(1800, 0.7);
        ag.outputMedian = rng.lognormal(280, 0.6);
        ag.steps = 1 + rng.uniform() * 5;
        ag.cacheShare = rng.uniform() * 0.6;
        ag.success = 0.7 + rng.uniform() * 0.28;
        ag.valuePerTask = rng.lognormal(0.6, 1.0);
        ag.batchShare = (ag.feature == "eval-runs" || ag.feature == "spend-reports") ? 0.8 : 0.0;
        ag.promptPool = int(20 + rng.below(2000));
        int nUsers = int(3 + rng.below(40));
        for (int u = 0; u < nUsers; ++u)
            ag.users.push_back(int(rng.below(userCount)));
    }
    for (auto &ag : agents)
        ag.share /= shareSum;

    std::vector<Spike> spikes;
    const int spikeCount = m_opt.spikes >= 0
                               ? m_opt.spikes
                               : std::max(1, int(std::lround(m_opt.agents * m_opt.days / 300.0)));
    const int64_t firstHour = m_opt.startDay * 24;
    const int64_t hours = int64_t(m_opt.days) * 24;
    for (int s = 0; s < spikeCount; ++s) {
        Spike sp;
        sp.agent = int(rng.below(m_opt.agents));
        // Leave a week of history before the first spike, so a detector has a baseline.
        int64_t earliest = std::min<int64_t>(hours - 1, 7 * 24);
        sp.startHour = firstHour + earliest + rng.below(std::max<int64_t>(1, hours - earliest - 8));
        sp.endHour = sp.startHour + 2 + rng.below(7);
        sp.kind = rng.uniform() < 0.5 ? "volume" : "tokens";
        sp.factor = 5 + rng.uniform() * 5;
        spikes.push_back(sp);
    }

    std::vector<double> hourly, weekday;
    for (const auto &w : cfg["hourly_weight"])
        hourly.push_back(w.get<double>());
    for (const auto &w : cfg["weekday_weight"])
        weekday.push_back(w.get<double>());
    double hourlySum = 0;
    for (double w : hourly)
        hourlySum += w;

    std::unique_ptr<std::FILE, int (*)(std::FILE *)> out(std::fopen(path.c_str(), "wb"),
                                                         &std::fclose);
    if (!out)
        return fail(path + ": cannot be written");
    FleetRowWriter rows(m_opt.format);
    std::string buf;
    buf.reserve(1 << 22);
    rows.begin(buf);

    FleetStats st;
    uint64_t callCounter = 0, taskCounter = 0;
    std::vector<Call> calls;
    char h1[17], h2[17];
    for (int64_t hIdx = 0; hIdx < hours; ++hIdx) {
        const int64_t hour = firstHour + hIdx;
        const int64_t day = floorDiv(hour, 24);
        const int hod = int(hour - day * 24);
        const int dow = int((day % 7 + 7 + 3) % 7); // 0 = Monday
        const double rhythm = hourly[size_t(hod)] / hourlySum * weekday[size_t(dow)];
        calls.clear();
        for (int a = 0; a < m_opt.agents; ++a) {
            const Agent &ag = agents[size_t(a)];
            double volume = 1, tokens = 1;
            for (const auto &sp : spikes)
                if (sp.agent == a && hour >= sp.startHour && hour < sp.endHour)
                    (sp.kind == "volume" ? volume : tokens) *= sp.factor;
            const double expectedCalls = double(m_opt.callsPerDay) * ag.share * rhythm * volume;
            const int64_t tasks = rng.poisson(expectedCalls / ag.steps);
            for (int64_t t = 0; t < tasks; ++t) {
                const uint64_t task = ++taskCounter;
                int64_t ts = hour * kMsPerHour + rng.below(kMsPerHour);
                const int64_t steps = 1 + rng.poisson(ag.steps - 1);
                const int user = ag.users[size_t(rng.below(int64_t(ag.users.size())))];
                // Zipf-like: a few prompts recur often, so exact-match caching has something to
                // hit.
                const uint64_t prompt =
                    uint64_t(a) << 32 | uint64_t(std::pow(rng.uniform(), 3.0) * ag.promptPool);
                const bool batch = rng.uniform() < ag.batchShare;
                for (int64_t s = 0; s < steps; ++s) {
                    double pick = rng.uniform();
                    const std::string *model = &ag.mix->models.back().first;
                    for (const auto &[name, w] : ag.mix->models) {
                        pick -= w;
                        if (pick < 0) {
                            model = &name;
                            break;
                        }
                    }
                    Call c{};
                    c.agent = a;
                    c.model = model;
                    c.input = std::max<int64_t>(
                        20, std::llround(rng.lognormal(ag.inputMedian, 0.5) * tokens));
                    c.output =
                        std::max<int64_t>(1, std::llround(rng.lognormal(ag.outputMedian, 0.6)));
                    if (model->rfind("o4", 0) == 0 || model->rfind("gpt-5", 0) == 0)
                        c.reasoning = std::llround(double(c.output) * (0.3 + rng.uniform() * 0.5));
                    const bool anthropic = model->rfind("claude", 0) == 0;
                    if (s > 0 || rng.uniform() < 0.5) {
                        c.cached =
                            std::llround(double(c.input) * ag.cacheShare * rng.uniform() * 1.6);
                        c.cached = std::min(c.cached, c.input);
                    }
                    if (anthropic && s == 0 && c.cached == 0)
                        c.cacheWrite = std::llround(double(c.input) * ag.cacheShare);
                    c.latency = 250 + c.output * (8 + rng.below(20)) + rng.below(400);
                    c.ts = ts;
                    c.task = task;
                    c.prompt = prompt + uint64_t(s);
                    c.user = user;
                    c.batch = batch;
                    c.status = "ok";
                    c.outcome = "";
                    c.id = ++callCounter;
                    if (rng.uniform() < 0.02) {
                        // A failed attempt, then its retry a little later.
                        Call failed = c;
                        failed.status = rng.uniform() < 0.5 ? "error" : "timeout";
                        failed.output = 0;
                        failed.reasoning = 0;
                        failed.latency = failed.status[0] == 't' ? 30000 : 400;
                        calls.push_back(failed);
                        c.id = ++callCounter;
                        c.ts += failed.latency + 500;
                        c.status = "retry";
                    }
                    if (s == steps - 1) {
                        const bool ok = rng.uniform() < ag.success;
                        c.outcome = ok ? "success" : (rng.uniform() < 0.3 ? "empty" : "failure");
                        c.value = ok ? ag.valuePerTask : 0;
                    }
                    calls.push_back(c);
                    ts = c.ts + c.latency + rng.below(3000);
                }
            }
        }
        std::sort(calls.begin(), calls.end(), [](const Call &x, const Call &y) {
            return x.ts != y.ts ? x.ts < y.ts : x.id < y.id;
        });
        for (const Call &c : calls) {
            const Agent &ag = agents[size_t(c.agent)];
            const size_t mi = size_t(std::find(modelNames.begin(), modelNames.end(), *c.model) -
                                     modelNames.begin());
            const std::string ts = formatTimestamp(c.ts);
            const std::string reqId =
                std::string("req_") + hex16(m_opt.seed * 0x100000001b3ull + c.id, h1);
            const std::string taskId = "T" + std::to_string(c.task);
            const std::string user = "user-" + std::to_string(c.user);
            const std::string prompt = hex16(c.prompt * 0x9E3779B97F4A7C15ull ^ m_opt.seed, h2);
            char value[32] = "";
            if (c.outcome[0] == 's')
                std::snprintf(value, sizeof value, "%.4f", c.value);
            GeneratedCall g;
            g.tsMs = c.ts;
            g.requestId = reqId;
            g.provider = providers[mi];
            g.model = *c.model;
            g.input = c.input;
            g.output = c.output;
            g.cached = c.cached;
            g.cacheWrite = c.cacheWrite;
            g.reasoning = c.reasoning;
            g.latencyMs = c.latency;
            g.status = c.status;
            g.agent = ag.name;
            g.task = taskId;
            g.feature = ag.feature;
            g.user = user;
            g.team = ag.team;
            g.outcome = c.outcome;
            g.value = value;
            g.promptHash = prompt;
            g.batch = c.batch;
            rows.write(g, buf);
            ++st.records;
        }
        if (hIdx + 1 == hours)
            rows.end(buf);
        if (buf.size() > (1u << 21) || hIdx + 1 == hours) {
            if (std::fwrite(buf.data(), 1, buf.size(), out.get()) != buf.size())
                return fail(path + ": write failed (disk full?)");
            st.bytes += int64_t(buf.size());
            buf.clear();
        }
        if (progress && hIdx % 24 == 23 && !progress(double(hIdx + 1) / double(hours)))
            return fail("cancelled");
    }
    if (std::fflush(out.get()) != 0)
        return fail(path + ": write failed (disk full?)");

    nlohmann::json truth = {{"format", "tokenledger-truth"},
                            {"version", 1},
                            {"seed", m_opt.seed},
                            {"spikes", nlohmann::json::array()}};
    for (const auto &sp : spikes) {
        const Agent &ag = agents[size_t(sp.agent)];
        truth["spikes"].push_back({{"agent", ag.name},
                                   {"team", ag.team},
                                   {"feature", ag.feature},
                                   {"start", formatTimestamp(sp.startHour * kMsPerHour)},
                                   {"end", formatTimestamp(sp.endHour * kMsPerHour)},
                                   {"kind", sp.kind},
                                   {"factor", std::round(sp.factor * 100) / 100}});
    }
    std::ofstream truthFile(path + ".truth.json");
    truthFile << truth.dump(2) << "\n";
    if (!truthFile)
        return fail(path + ".truth.json: cannot be written");
    st.spikes = int(spikes.size());
    if (stats)
        *stats = st;
    return true;
}

} // namespace tl
