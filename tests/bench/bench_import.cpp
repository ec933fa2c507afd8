// tl_bench: import, query and parse figures against the obvious alternative,
// measured in the same run on the same machine.
//
//   build/release/tests/bench/tl_bench [--rows N] [--dir DIR] [--keep]
//   build/release/tests/bench/tl_bench --db postgresql://USER@HOST:PORT/DB [--rows N]
//
// With --db, the team server instead: the import into PostgreSQL against
// `psql \copy` of the same CSV into an unindexed table of text columns (the
// raw floor), and summary against the same GROUP BY there. USER must be
// able to create databases (two are made: tl_bench_ours, tl_bench_plain).
//
// Import and summary run the real `tokenledger` binary as a child process,
// like the sqlite3 shell they are compared with; peak RSS comes from wait4().

#include "core/timeutil.h"
#include "generate/fleetgenerator.h"
#include "import/chunkreader.h"
#include "import/nativejsonlreader.h"
#include "store/pgdb.h"

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace {

struct ChildRun
{
    double seconds = 0;
    long maxRssKb = 0;
    int exitCode = -1;
};

ChildRun runChild(const std::vector<std::string> &argv, const std::string &stdoutPath = "/dev/null")
{
    std::fflush(stdout); // or the child would write our buffered lines again
    auto t0 = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid == 0) {
        std::FILE *out = std::freopen(stdoutPath.c_str(), "w", stdout);
        (void)out;
        std::vector<char *> args;
        for (const auto &a : argv)
            args.push_back(const_cast<char *>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    rusage ru{};
    wait4(pid, &status, 0, &ru);
    ChildRun r;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.maxRssKb = ru.ru_maxrss;
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

void removeDb(const std::string &p)
{
    for (const char *suffix : {"", "-wal", "-shm"})
        std::remove((p + suffix).c_str());
}

std::string generate(const std::string &dir, int64_t rows, const std::string &format)
{
    tl::FleetOptions o;
    o.format = format;
    o.agents = 300;
    o.days = 30;
    o.startDay = *tl::parseDate("2026-10-01");
    o.seed = 11;
    // The generator's volume is per weekday; weekends are quieter (~0.85 overall).
    o.callsPerDay = int64_t(double(rows) / 30.0 / 0.85);
    const std::string path = dir + "/fleet-" + std::to_string(rows) + "." + format;
    std::ifstream exists(path);
    if (!exists) {
        std::string error;
        tl::FleetStats st;
        if (!tl::FleetGenerator(o).write(path, &st, &error)) {
            std::fprintf(stderr, "generate: %s\n", error.c_str());
            std::exit(1);
        }
        std::printf("generated %s: %lld rows, %.0f MB\n", path.c_str(), (long long)st.records,
                    st.bytes / 1e6);
    }
    return path;
}

double jsonlParseRate(const std::string &path, bool simd, int64_t &records)
{
    auto t0 = std::chrono::steady_clock::now();
    records = 0;
    if (simd) {
        auto in = std::make_unique<tl::ChunkReader>();
        in->open(path, nullptr);
        tl::NativeJsonlReader reader(std::move(in), path);
        tl::CallRecord rec;
        while (reader.next(rec) == tl::RecordReader::Status::Record)
            ++records;
    } else {
        std::ifstream in(path);
        std::string line;
        int64_t tokens = 0;
        while (std::getline(in, line)) {
            auto j = nlohmann::json::parse(line);
            tokens += j["input_tokens"].get<int64_t>();
            ++records;
        }
        if (tokens < 0)
            std::puts("");
    }
    return double(records) /
           std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The fastest of `reps` whole-process runs of each command, side by side.
std::pair<double, double> bestOf(int reps, const std::vector<std::string> &ours,
                                 const std::vector<std::string> &theirs)
{
    double a = 1e9, b = 1e9;
    for (int i = 0; i < reps; ++i) {
        a = std::min(a, runChild(ours).seconds);
        b = std::min(b, runChild(theirs).seconds);
    }
    return {a, b};
}

// The team server's figures: ours against psql on the same server.
int serverBench(const std::string &admin, const std::string &dir, int64_t rows)
{
    const std::string bin = TL_BINARY;
    const std::string base = admin.substr(0, admin.rfind('/') + 1);
    const std::string ours = base + "tl_bench_ours", plain = base + "tl_bench_plain";
    try {
        tl::PgDb db(admin);
        for (const char *name : {"tl_bench_ours", "tl_bench_plain"}) {
            db.exec(std::string("DROP DATABASE IF EXISTS ") + name);
            db.exec(std::string("CREATE DATABASE ") + name);
        }
    } catch (const std::exception &e) {
        std::fprintf(stderr, "tl_bench: %s\n", e.what());
        return 1;
    }
    const std::string csv = generate(dir, rows, "csv");
    std::string header;
    {
        std::ifstream in(csv);
        std::getline(in, header);
    }
    std::string columns;
    for (size_t at = 0; at <= header.size();) {
        const size_t comma = std::min(header.find(',', at), header.size());
        columns += (columns.empty() ? "\"" : ", \"") + header.substr(at, comma - at) + "\" TEXT";
        at = comma + 1;
    }
    tl::PgDb(plain).exec("CREATE TABLE t(" + columns + ")");
    ChildRun importCsv = runChild({bin, "import", "--db", ours, csv});
    ChildRun psqlCopy = runChild(
        {"psql", plain, "-q", "-c", "\\copy t FROM '" + csv + "' WITH (FORMAT csv, HEADER true)"});
    ChildRun reimport = runChild({bin, "import", "--db", ours, csv});
    std::printf("\nimport of %lld calls into PostgreSQL over loopback (cost, dedupe, rollups, "
                "month partitions and indexes included)\n",
                (long long)rows);
    std::printf("  tokenledger import CSV    %7.2f s  %9.0f rows/s  peak RSS %5ld MB  (exit %d)\n",
                importCsv.seconds, rows / importCsv.seconds, importCsv.maxRssKb / 1024,
                importCsv.exitCode);
    std::printf("  psql \\copy (text table)   %7.2f s  %9.0f rows/s  (raw text, no cost, no "
                "dedupe, no index; exit %d)\n",
                psqlCopy.seconds, rows / psqlCopy.seconds, psqlCopy.exitCode);
    std::printf("  re-import (all duplicates)%7.2f s\n", reimport.seconds);
    std::printf("  ratio: %.2f of psql \\copy's rate (goal >= 0.5)\n",
                psqlCopy.seconds / importCsv.seconds);
    const int reps = 5;
    const auto [oursBest, plainBest] =
        bestOf(reps, {bin, "summary", "--db", ours, "--by", "agent,day", "--format", "csv"},
               {"psql", plain, "-q", "-c",
                "SELECT agent, substr(ts, 1, 10) AS day, COUNT(*), SUM(input_tokens::bigint), "
                "SUM(cached_input_tokens::bigint), SUM(output_tokens::bigint) FROM t GROUP BY "
                "agent, day"});
    std::printf("\nsummary --by agent,day on the server (best of %d, whole process)\n", reps);
    std::printf("  tokenledger summary       %7.3f s\n", oursBest);
    std::printf("  psql GROUP BY on the text table %7.3f s\n", plainBest);
    std::printf("  ratio: %.1fx faster\n", plainBest / oursBest);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int64_t rows = 1'000'000;
    std::string dir, server;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--rows" && i + 1 < argc)
            rows = std::stoll(argv[++i]);
        else if (a == "--dir" && i + 1 < argc)
            dir = argv[++i];
        else if (a == "--db" && i + 1 < argc)
            server = argv[++i];
    }
    QTemporaryDir tmp;
    if (dir.empty())
        dir = tmp.path().toStdString();
    QDir().mkpath(QString::fromStdString(dir));
    if (!server.empty())
        return serverBench(server, dir, rows);
    const std::string bin = TL_BINARY;
    std::printf("tl_bench: %lld rows, work dir %s\n", (long long)rows, dir.c_str());

    const std::string csv = generate(dir, rows, "csv");
    const std::string jsonl = generate(dir, rows, "jsonl");
    const std::string otel = generate(dir, rows, "otel");
    const std::string litellm = generate(dir, rows, "litellm");
    const std::string ours = dir + "/ours.db", oursJ = dir + "/ours-jsonl.db",
                      plain = dir + "/plain.db";

    removeDb(ours);
    ChildRun importCsv = runChild({bin, "import", "--db", ours, csv});
    removeDb(oursJ);
    ChildRun importJsonl = runChild({bin, "import", "--db", oursJ, jsonl});
    removeDb(plain);
    ChildRun sqliteImport =
        runChild({"sqlite3", "-cmd", ".import --csv " + csv + " t", plain, ".quit"});
    ChildRun reimport = runChild({bin, "import", "--db", ours, csv});
    const std::string oursOtel = dir + "/ours-otel.db", oursLite = dir + "/ours-litellm.db";
    removeDb(oursOtel);
    ChildRun importOtel = runChild({bin, "import", "--db", oursOtel, otel});
    removeDb(oursLite);
    ChildRun importLite = runChild({bin, "import", "--db", oursLite, litellm});

    std::printf("\nimport of %lld calls (cost, dedupe and rollups included)\n", (long long)rows);
    std::printf("  tokenledger import CSV    %7.2f s  %9.0f rows/s  peak RSS %5ld MB  (exit %d)\n",
                importCsv.seconds, rows / importCsv.seconds, importCsv.maxRssKb / 1024,
                importCsv.exitCode);
    std::printf("  tokenledger import JSONL  %7.2f s  %9.0f rows/s  peak RSS %5ld MB  (exit %d)\n",
                importJsonl.seconds, rows / importJsonl.seconds, importJsonl.maxRssKb / 1024,
                importJsonl.exitCode);
    std::printf(
        "  sqlite3 .import --csv     %7.2f s  %9.0f rows/s  (raw text, no cost, no dedupe)\n",
        sqliteImport.seconds, rows / sqliteImport.seconds);
    std::printf("  re-import (all duplicates)%7.2f s\n", reimport.seconds);
    std::printf("  ratio CSV  vs sqlite3 .import: %.2fx faster (goal >= 2x)\n",
                sqliteImport.seconds / importCsv.seconds);
    std::printf("  ratio JSONL vs our CSV       : %.2f of the CSV rate (goal >= 0.5)\n",
                importCsv.seconds / importJsonl.seconds);
    std::printf("  import OTel GenAI spans   %7.2f s  %9.0f rows/s  %.2f of the CSV rate (goal >= 0.5)\n",
                importOtel.seconds, rows / importOtel.seconds, importCsv.seconds / importOtel.seconds);
    std::printf("  import LiteLLM spend logs %7.2f s  %9.0f rows/s  %.2f of the CSV rate (goal >= 0.5)\n",
                importLite.seconds, rows / importLite.seconds, importCsv.seconds / importLite.seconds);

    // summary --by agent,day against the same GROUP BY in the sqlite3 shell on the plain table.
    const int reps = 5;
    const auto [oursBest, plainBest] =
        bestOf(reps, {bin, "summary", "--db", ours, "--by", "agent,day", "--format", "csv"},
               {"sqlite3", plain,
                "SELECT agent, substr(ts, 1, 10) AS day, COUNT(*), SUM(input_tokens), "
                "SUM(cached_input_tokens), SUM(output_tokens) FROM t GROUP BY agent, day"});
    std::printf("\nsummary --by agent,day (best of %d, whole process)\n", reps);
    std::printf("  tokenledger summary       %7.3f s\n", oursBest);
    std::printf("  sqlite3 GROUP BY on calls %7.3f s\n", plainBest);
    std::printf("  ratio: %.1fx faster (goal >= 20x)\n", plainBest / oursBest);

    int64_t n1 = 0, n2 = 0;
    const double simdRate = jsonlParseRate(jsonl, true, n1);
    const double nlohmannRate = jsonlParseRate(jsonl, false, n2);
    std::printf("\nJSONL parsing alone (%lld lines)\n", (long long)n1);
    std::printf("  simdjson On-Demand reader  %10.0f records/s\n", simdRate);
    std::printf("  nlohmann::json per line    %10.0f records/s\n", nlohmannRate);
    std::printf("  ratio: %.1fx\n", simdRate / nlohmannRate);
    return 0;
}
