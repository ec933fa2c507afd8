// Live collection, measured in one run on this machine:
//  1. throughput: spans per second that `tokenledger collect` commits, over
//     OTLP/HTTP protobuf and JSON (4 clients, 512 spans a request: the SDK
//     batch processor's default), against `import --format otel` of the
//     same spans from a file;
//  2. latency: POST to acknowledged (= committed, visible to `summary`),
//     one span at a time on an idle collector;
//  3. time to detection: a generated fleet replayed in 5-minute steps
//     through the live alerts (5 and 15-minute windows), against the
//     generator's truth file; and false alarms on the same fleet without spikes.
//   tl_bench_live [--spans 200000] [--throughput 1] [--detection 1] [--windows 5,15]
//                 [--agents 20] [--days 28] [--calls-per-day 20000] [--spikes N]
#include "../otlpencode.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "budgets/budgetstore.h"
#include "core/timeutil.h"
#include "generate/fleetgenerator.h"
#include "import/chunkreader.h"
#include "import/importer.h"
#include "import/nativecsvreader.h"
#include "live/alertengine.h"
#include "query/summaryquery.h"
#include "store/workspace.h"

#include <nlohmann/json.hpp>

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

using namespace tl;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t)
{
    return std::chrono::duration<double>(Clock::now() - t).count();
}

int argInt(int argc, char **argv, const char *name, int fallback)
{
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0)
            return std::atoi(argv[i + 1]);
    return fallback;
}

// A keep-alive HTTP/1.1 client on a blocking socket: the least work per request.
class Client
{
public:
    explicit Client(int port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(uint16_t(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0)
            std::perror("connect");
    }
    ~Client() { ::close(m_fd); }
    int post(const std::string &type, const std::string &body)
    {
        std::string req = "POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: " + type +
                          "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        size_t sent = 0;
        while (sent < req.size()) {
            const ssize_t n = ::send(m_fd, req.data() + sent, req.size() - sent, 0);
            if (n <= 0)
                return 0;
            sent += size_t(n);
        }
        std::string got;
        char buf[4096];
        for (;;) {
            const size_t end = got.find("\r\n\r\n");
            if (end != std::string::npos) {
                const size_t cl = got.find("Content-Length: ");
                const size_t len = cl < end ? std::stoul(got.substr(cl + 16)) : 0;
                if (got.size() >= end + 4 + len)
                    return std::atoi(got.c_str() + 9);
            }
            const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0)
                return 0;
            got.append(buf, size_t(n));
        }
    }

private:
    int m_fd = -1;
};

struct Collector
{
    QProcess p;
    int port = 0;
    bool start(const QString &db, const QStringList &extra = {})
    {
        p.start(QStringLiteral(TL_BINARY),
                QStringList{QStringLiteral("collect"), QStringLiteral("--db"), db,
                            QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")} +
                    extra);
        const QRegularExpression re(QStringLiteral("127.0.0.1:(\\d+)/"));
        QByteArray out;
        for (int i = 0; i < 100 && !port; ++i) {
            p.waitForReadyRead(100);
            out += p.readAllStandardOutput();
            const auto m = re.match(QString::fromUtf8(out));
            if (m.hasMatch())
                port = m.captured(1).toInt();
        }
        return port != 0;
    }
    ~Collector()
    {
        p.terminate();
        p.waitForFinished(30000);
    }
};

// The OTLP/JSON file as requests of `perRequest` spans each (one resource per span in the
// generator's output: regrouped here into requests).
std::vector<QByteArray> jsonRequests(const std::string &file, int perRequest)
{
    std::vector<QByteArray> out;
    std::ifstream in(file);
    std::string line;
    QJsonArray batch;
    auto flush = [&] {
        if (batch.isEmpty())
            return;
        out.push_back(QJsonDocument(QJsonObject{{QStringLiteral("resourceSpans"), batch}})
                          .toJson(QJsonDocument::Compact));
        batch = QJsonArray();
    };
    int spans = 0;
    while (std::getline(in, line)) {
        const QJsonObject doc = QJsonDocument::fromJson(QByteArray::fromStdString(line)).object();
        for (const QJsonValue &rs : doc[QStringLiteral("resourceSpans")].toArray()) {
            batch.append(rs);
            for (const QJsonValue &ss : rs[QStringLiteral("scopeSpans")].toArray())
                spans += int(ss[QStringLiteral("spans")].toArray().size());
            if (spans >= perRequest) {
                flush();
                spans = 0;
            }
        }
    }
    flush();
    return out;
}

double sendAll(int port, const std::vector<std::string> &bodies, const std::string &type,
               int clients, int &failures)
{
    std::atomic<size_t> next{0};
    std::atomic<int> failed{0};
    const auto t = Clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&] {
            Client client(port);
            for (size_t i; (i = next++) < bodies.size();) {
                int status = client.post(type, bodies[i]);
                while (status == 503) { // behind: the exporter's retry
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                    status = client.post(type, bodies[i]);
                }
                if (status != 200)
                    ++failed;
            }
        });
    for (auto &th : threads)
        th.join();
    failures = failed;
    return since(t);
}

void throughput(int spansWanted)
{
    QTemporaryDir dir;
    FleetOptions o;
    o.format = "otel";
    // One day: live spans all land on today, whose dedupe keys every commit reads and writes.
    o.agents = 40;
    o.days = 1;
    o.callsPerDay = spansWanted;
    o.startDay = 20'400;
    const std::string otel = dir.filePath(QStringLiteral("fleet.otel.jsonl")).toStdString();
    FleetStats stats;
    std::string error;
    if (!FleetGenerator(o).write(otel, &stats, &error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return;
    }
    const auto json = jsonRequests(otel, 512);
    std::vector<std::string> jsonBodies, protoBodies;
    for (const QByteArray &j : json) {
        jsonBodies.push_back(j.toStdString());
        protoBodies.push_back(tltest::otlp::fromJson(j).toStdString());
    }
    std::printf("fleet: %lld spans in %zu requests of <= 512 spans\n", (long long)stats.records,
                json.size());

    // The same spans from a file, as `import --format otel` reads them.
    auto ws = Workspace::open(dir.filePath(QStringLiteral("file.db")).toStdString(),
                              Workspace::OpenMode::CreateIfMissing, &error);
    const auto t = Clock::now();
    const auto r = Importer(*ws).importFile(otel);
    const double fileSeconds = since(t);
    const double fileRate = double(r.imported) / fileSeconds;
    std::printf("import --format otel (file):   %8.0f spans/s  (%.2f s)\n", fileRate, fileSeconds);

    for (const auto &[name, type, bodies] :
         {std::tuple{"protobuf", "application/x-protobuf", &protoBodies},
          std::tuple{"json", "application/json", &jsonBodies}}) {
        Collector c;
        const QString db = dir.filePath(QString::fromLatin1(name) + QStringLiteral(".db"));
        if (!c.start(db)) {
            std::fprintf(stderr, "collect did not start\n");
            return;
        }
        int failures = 0;
        const double s = sendAll(c.port, *bodies, type, 4, failures);
        auto check = Workspace::open(db.toStdString(), Workspace::OpenMode::OpenExisting, &error);
        const int64_t stored = SummaryQuery::run(*check, {}, {}).totals[MRecords];
        std::printf("collect, OTLP/HTTP %-8s:      %8.0f spans/s  (%.2f s, %lld stored, %d failed; "
                    "%.2fx the file import)\n",
                    name, double(stored) / s, s, (long long)stored, failures,
                    (double(stored) / s) / fileRate);
    }
}

void latency()
{
    QTemporaryDir dir;
    Collector c;
    const QString db = dir.filePath(QStringLiteral("latency.db"));
    if (!c.start(db))
        return;
    QFile f(QStringLiteral(TL_FIXTURES "/otel/genai-traces.json"));
    f.open(QIODevice::ReadOnly);
    const QByteArray fixture = f.readAll();
    Client client(c.port);
    std::string error;
    std::vector<double> ms;
    for (int i = 0; i < 200; ++i) {
        QByteArray body = fixture;
        body.replace("chatcmpl-", "chatcmpl-" + QByteArray::number(i) + "-");
        body.replace("\"spanId\": \"",
                     "\"spanId\": \"" + QByteArray::number(i).rightJustified(4, '0'));
        const auto t = Clock::now();
        if (client.post("application/json", body.toStdString()) != 200)
            return;
        ms.push_back(since(t) * 1000);
    }
    // Acknowledged means committed: a new reader sees every call at once.
    auto check = Workspace::open(db.toStdString(), Workspace::OpenMode::OpenExisting, &error);
    const int64_t stored = SummaryQuery::run(*check, {}, {}).totals[MRecords];
    std::sort(ms.begin(), ms.end());
    std::printf("POST to committed (idle collector, 200 requests of 6 spans): median %.1f ms, "
                "p95 %.1f ms, max %.1f ms; %lld calls visible after the last answer (600 "
                "expected)\n",
                ms[ms.size() / 2], ms[ms.size() * 95 / 100], ms.back(), (long long)stored);
}

live::LiveAlertOptions g_options;
int g_spikes = 0;

// From the acknowledgement of the request whose spans pass a budget to the
// webhook's receipt of the alert, five times.
void alertLatency()
{
    std::vector<double> ms;
    for (int run = 0; run < 5; ++run) {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("alerts.db"));
        std::string error;
        {
            auto ws =
                Workspace::open(db.toStdString(), Workspace::OpenMode::CreateIfMissing, &error);
            Budget b;
            b.name = "org";
            b.amountNusd = 500'000'000; // the fixture's calls cost $0.51
            b.alerts = {1.0};
            BudgetStore::save(*ws, {b});
        }
        const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(listener, reinterpret_cast<sockaddr *>(&a), sizeof a);
        socklen_t len = sizeof a;
        ::getsockname(listener, reinterpret_cast<sockaddr *>(&a), &len);
        ::listen(listener, 4);
        std::atomic<bool> got{false};
        Clock::time_point received;
        std::thread hook([&] {
            const int c = ::accept(listener, nullptr, nullptr);
            std::string req;
            char buf[4096];
            while (req.find("}") == std::string::npos) {
                const ssize_t n = ::recv(c, buf, sizeof buf, 0);
                if (n <= 0)
                    break;
                req.append(buf, size_t(n));
            }
            received = Clock::now();
            got = true;
            const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            ::send(c, ok, sizeof ok - 1, 0);
            ::close(c);
        });
        Collector c;
        if (!c.start(db, {QStringLiteral("--notify"),
                          QStringLiteral("http://127.0.0.1:%1/hook").arg(ntohs(a.sin_port))}))
            return;
        QFile f(QStringLiteral(TL_FIXTURES "/otel/genai-traces.json"));
        f.open(QIODevice::ReadOnly);
        Client client(c.port);
        if (client.post("application/json", f.readAll().toStdString()) != 200)
            return;
        const auto acked = Clock::now();
        for (int i = 0; i < 600 && !got; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (got)
            ms.push_back(std::chrono::duration<double, std::milli>(received - acked).count());
        else
            ::shutdown(listener, SHUT_RDWR);
        hook.join();
        ::close(listener);
    }
    std::sort(ms.begin(), ms.end());
    std::printf("budget alert, acknowledged to the webhook's receipt: %zu of 5 delivered; median "
                "%.0f ms, max %.0f ms\n",
                ms.size(), ms.empty() ? 0.0 : ms[ms.size() / 2], ms.empty() ? 0.0 : ms.back());
}

struct Spike
{
    std::string agent, kind;
    int64_t startMs, endMs;
    double factor;
    double excessPerHourUsd = 0; // what the spike added, per hour of it
};

// Replays a fleet in 5-minute steps; returns (agent, data time) of each anomaly alert.
std::vector<std::pair<std::string, int64_t>> replay(const FleetOptions &o, int warmDays,
                                                    std::vector<Spike> *truth, double *seconds)
{
    QTemporaryDir dir;
    const std::string csv = dir.filePath(QStringLiteral("fleet.csv")).toStdString();
    std::string error;
    FleetGenerator(o).write(csv, nullptr, &error);
    if (truth) {
        std::ifstream t(csv + ".truth.json");
        const auto j = nlohmann::json::parse(t);
        for (const auto &s : j["spikes"])
            truth->push_back({s["agent"], s["kind"], *parseTimestamp(s["start"].get<std::string>()),
                              *parseTimestamp(s["end"].get<std::string>()), s["factor"]});
    }
    std::ifstream in(csv);
    std::string header;
    std::getline(in, header);
    auto ws = Workspace::open(dir.filePath(QStringLiteral("ws.db")).toStdString(),
                              Workspace::OpenMode::CreateIfMissing, &error);
    const int64_t replayFrom = (o.startDay + warmDays) * kMsPerDay;
    const int64_t step = 5 * 60'000;
    std::string chunk;
    int64_t chunkEnd = 0;
    std::vector<std::pair<std::string, int64_t>> alerts;
    live::AlertEngine engine(*ws, g_options);
    const auto t = Clock::now();
    auto commit = [&](int64_t at) {
        auto in = std::make_unique<ChunkReader>();
        in->openText(header + "\n" + chunk);
        chunk.clear();
        Importer(*ws).importReader(std::make_unique<NativeCsvReader>(std::move(in), "replay"),
                                   "replay", "csv");
        if (at <= replayFrom)
            return;
        for (const auto &a : engine.evaluate(at, at))
            if (a.kind == "anomaly") {
                const auto j = nlohmann::json::parse(a.payload);
                alerts.emplace_back(j["entity"], at);
                if (std::getenv("TL_BENCH_VERBOSE"))
                    std::printf("    %s %s\n", formatTimestamp(at).c_str(),
                                j["text"].get<std::string>().c_str());
            }
    };
    std::string line;
    while (std::getline(in, line)) {
        const int64_t ts = *parseTimestamp(line.substr(0, line.find(',')));
        if (chunkEnd == 0)
            chunkEnd = ts < replayFrom ? replayFrom : (ts / step + 1) * step;
        while (ts >= chunkEnd) {
            commit(chunkEnd);
            chunkEnd += step;
        }
        chunk += line + "\n";
    }
    commit(chunkEnd);
    *seconds = since(t);
    if (truth)
        for (Spike &s : *truth) {
            CallFilter f;
            f.include[Dimension::Agent] = {s.agent};
            f.fromDay = dayOf(s.startMs);
            f.toDay = dayOf(s.endMs - 1);
            f.windowMs = std::make_pair(s.startMs, s.endMs);
            const double spent = double(SummaryQuery::run(*ws, f, {}).totals[MCostNusd]) / 1e9;
            s.excessPerHourUsd =
                spent * (1 - 1 / s.factor) / (double(s.endMs - s.startMs) / double(kMsPerHour));
        }
    return alerts;
}

void detection(int agents, int days, int callsPerDay)
{
    FleetOptions o;
    o.agents = agents;
    o.days = days;
    o.callsPerDay = callsPerDay;
    o.startDay = 20'400;
    const int warm = days / 2;
    o.spikes = g_spikes > 0 ? g_spikes : std::max(4, agents * days / 100);
    std::vector<Spike> truth;
    double seconds = 0;
    const auto alerts = replay(o, warm, &truth, &seconds);
    const int64_t replayFrom = (o.startDay + warm) * kMsPerDay;
    int judged = 0, found = 0, matched = 0, material = 0, materialFound = 0;
    std::vector<double> delays;
    for (const Spike &s : truth) {
        if (s.startMs < replayFrom)
            continue;
        ++judged;
        bool hit = false;
        for (const auto &[agent, at] : alerts)
            if (agent == s.agent && at >= s.startMs && at <= s.endMs + kMsPerHour) {
                ++found;
                hit = true;
                delays.push_back(double(at - s.startMs) / 60'000.0);
                break;
            }
        // Material: adding more than twice the floor's $2 an hour.
        const bool isMaterial = s.excessPerHourUsd > 2 * g_options.detector.minExcessUsd;
        material += isMaterial;
        materialFound += isMaterial && hit;
        std::printf("  spike %-22s %-6s x%.1f %s (%lld h, +$%.2f/h): %s\n", s.agent.c_str(),
                    s.kind.c_str(), s.factor, formatTimestamp(s.startMs).c_str(),
                    (long long)((s.endMs - s.startMs) / kMsPerHour), s.excessPerHourUsd,
                    hit ? "alerted" : "missed");
    }
    for (const auto &[agent, at] : alerts)
        for (const Spike &s : truth)
            if (agent == s.agent && at >= s.startMs && at <= s.endMs + 2 * kMsPerHour) {
                ++matched;
                break;
            }
    std::sort(delays.begin(), delays.end());
    std::printf("detection (%d agents, %d days replayed in 5-minute steps, %.0f s): %d of %d "
                "spikes alerted (%d of %d adding over $4/h); minutes from a spike's start to its "
                "alert: median %.0f, max %.0f; %zu alerts, %zu outside any spike\n",
                agents, days - warm, seconds, found, judged, materialFound, material,
                delays.empty() ? 0.0 : delays[delays.size() / 2],
                delays.empty() ? 0.0 : delays.back(), alerts.size(),
                alerts.size() - size_t(matched));
    o.spikes = 0;
    const auto quiet = replay(o, warm, nullptr, &seconds);
    std::printf("false alarms on the same fleet without spikes: %zu in %d agent-days\n",
                quiet.size(), agents * (days - warm));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // a line at a time: a long run shows as it goes
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--windows") == 0) {
            g_options.windowsMinutes.clear();
            std::stringstream list(argv[i + 1]);
            for (std::string w; std::getline(list, w, ',');)
                g_options.windowsMinutes.push_back(std::stoi(w));
        }
    g_spikes = argInt(argc, argv, "--spikes", 0);
    if (argInt(argc, argv, "--throughput", 1)) {
        throughput(argInt(argc, argv, "--spans", 200'000));
        latency();
        alertLatency();
    }
    if (argInt(argc, argv, "--detection", 1))
        detection(argInt(argc, argv, "--agents", 20), argInt(argc, argv, "--days", 28),
                  argInt(argc, argv, "--calls-per-day", 20'000));
    return 0;
}
