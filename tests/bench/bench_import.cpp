// tl_bench: import, query and parse figures against the obvious alternative,
// measured in the same run on the same machine.
//
//   build/release/tests/bench/tl_bench [--rows N] [--dir DIR] [--duckdb DIR] [--csv-only]
//   build/release/tests/bench/tl_bench --db postgresql://USER@HOST:PORT/DB [--rows N]
//
// --duckdb names a folder where `npm install @duckdb/node-api` was run (a
// bench-only reference, never a dependency of the product or of CI): DuckDB
// then loads the same CSV and answers the same two questions, as whole
// node processes, beside ours. --csv-only skips the other formats (at 10M
// rows their files take ~20 GB).
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

std::string capture(const std::string &command)
{
    std::fflush(stdout);
    std::string out;
    if (std::FILE *p = popen(command.c_str(), "r")) {
        char buf[4096];
        size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
            out.append(buf, n);
        pclose(p);
    }
    return out;
}

std::vector<std::vector<std::string>> rowsOf(const std::string &text)
{
    std::vector<std::vector<std::string>> rows;
    size_t at = 0;
    while (at < text.size()) {
        const size_t nl = std::min(text.find('\n', at), text.size());
        std::vector<std::string> cells;
        for (size_t c = at; c <= nl;) {
            const size_t bar = std::min(text.find('|', c), nl);
            cells.push_back(text.substr(c, bar - c));
            c = bar + 1;
        }
        rows.push_back(std::move(cells));
        at = nl + 1;
    }
    return rows;
}

long long fileBytes(const std::string &path)
{
    std::ifstream f(path, std::ios::binary | std::ios::ate);
    return f ? (long long)f.tellg() : 0;
}

// What each table and index of the workspace costs a call (SQLite's dbstat,
// through the sqlite3 shell), and what each column of `calls` stores on
// average (its serial type's length, over a sample of one call in 64, plus
// its byte in the record header): what a smaller layout would have to drop.
void sizeBreakdown(const std::string &db, int64_t calls)
{
    const double n = double(calls);
    std::printf("\nworkspace size: %.1f bytes a call in all (%lld bytes)\n", fileBytes(db) / n,
                fileBytes(db));
    for (const auto &r :
         rowsOf(capture("sqlite3 " + db +
                        " \"SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC\"")))
        if (r.size() == 2 && std::stod(r[1]) / n >= 0.05)
            std::printf("  %-24s %6.1f bytes a call\n", r[0].c_str(), std::stod(r[1]) / n);
    std::string sql = "SELECT ";
    const auto columns =
        rowsOf(capture("sqlite3 " + db + " \"SELECT name FROM pragma_table_info('calls')\""));
    for (const auto &c : columns) {
        const std::string &x = c[0];
        if (x == "id")
            continue; // the rowid is the cell's key, not a column of the record
        sql += "AVG(CASE typeof(" + x + ") WHEN 'null' THEN 0 WHEN 'integer' THEN (CASE WHEN " + x +
               " IN (0, 1) THEN 0 WHEN " + x + " BETWEEN -128 AND 127 THEN 1 WHEN " + x +
               " BETWEEN -32768 AND 32767 THEN 2 WHEN " + x +
               " BETWEEN -8388608 AND 8388607 "
               "THEN 3 WHEN " +
               x + " BETWEEN -2147483648 AND 2147483647 THEN 4 WHEN " + x +
               " BETWEEN -140737488355328 AND 140737488355327 THEN 6 ELSE 8 END) ELSE "
               "length(CAST(" +
               x + " AS BLOB)) END), ";
    }
    sql.resize(sql.size() - 2);
    sql += " FROM calls WHERE id % 64 = 0";
    const auto avg = rowsOf(capture("sqlite3 " + db + " \"" + sql + "\""));
    if (avg.empty())
        return;
    std::printf("  calls' columns, stored bytes a call (+1 header byte each):\n   ");
    size_t i = 0, shown = 0;
    for (const auto &c : columns) {
        if (c[0] == "id" || i >= avg[0].size())
            continue;
        std::printf(" %s %.1f%s", c[0].c_str(), std::stod(avg[0][i++]),
                    ++shown % 6 == 0 ? "\n   " : ",");
    }
    std::printf("\n");
}

// DuckDB's load of the same CSV and the same two questions, each a whole
// node process (as our binary and the sqlite3 shell are).
void duckdbReference(const std::string &duckdir, const std::string &dir, const std::string &csv,
                     int64_t rows, double ourImport, double ourAgentDay, double ourTeam,
                     const std::string &team, long long ourBytes)
{
    const std::string script = duckdir + "/tl_bench_duckdb.mjs";
    {
        std::ofstream out(script);
        out << "import { DuckDBInstance } from '@duckdb/node-api';\n"
               "const [mode, db, arg] = process.argv.slice(2);\n"
               "const c = await (await DuckDBInstance.create(db)).connect();\n"
               "if (mode === 'load') {\n"
               "  await c.run(`CREATE TABLE t AS SELECT * FROM read_csv('${arg}', header = "
               "true)`);\n"
               "  await c.run('CHECKPOINT');\n"
               "} else if (mode === 'agentday') {\n"
               "  await c.runAndReadAll(`SELECT agent, CAST(ts AS DATE) AS day, COUNT(*), "
               "SUM(input_tokens), SUM(cached_input_tokens), SUM(output_tokens) FROM t GROUP BY "
               "ALL`);\n"
               "} else {\n"
               "  await c.runAndReadAll(`SELECT COUNT(*), SUM(input_tokens) FROM t WHERE team = "
               "'${arg}'`);\n"
               "}\n";
    }
    const std::string db = dir + "/duck.duckdb";
    std::remove(db.c_str());
    std::remove((db + ".wal").c_str());
    const ChildRun load = runChild({"node", script, "load", db, csv});
    if (load.exitCode != 0) {
        std::printf("\nDuckDB: node %s failed (exit %d): is @duckdb/node-api installed there?\n",
                    script.c_str(), load.exitCode);
        return;
    }
    double agentDay = 1e9, teamTotal = 1e9;
    for (int i = 0; i < 5; ++i) {
        agentDay = std::min(agentDay, runChild({"node", script, "agentday", db}).seconds);
        teamTotal = std::min(teamTotal, runChild({"node", script, "team", db, team}).seconds);
    }
    const double n = double(rows);
    std::printf("\nagainst DuckDB (@duckdb/node-api, whole node processes; bench-only)\n");
    std::printf("  DuckDB load of the CSV    %7.2f s  %9.0f rows/s  file %.1f bytes a row\n",
                load.seconds, n / load.seconds, fileBytes(db) / n);
    std::printf("  tokenledger import        %7.2f s  %9.0f rows/s  file %.1f bytes a call\n",
                ourImport, n / ourImport, ourBytes / n);
    std::printf("  → import ratio: %.2fx DuckDB's rate (goal >= 1); size ratio %.1fx DuckDB's\n",
                load.seconds / ourImport, double(ourBytes) / double(fileBytes(db)));
    std::printf("  agent x day: DuckDB %.3f s, tokenledger summary %.3f s (%.1fx)\n", agentDay,
                ourAgentDay, agentDay / ourAgentDay);
    std::printf("  one team's total: DuckDB %.3f s, tokenledger summary %.3f s (%.1fx)\n",
                teamTotal, ourTeam, teamTotal / ourTeam);
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
    std::string dir, server, duckdir;
    bool csvOnly = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--rows" && i + 1 < argc)
            rows = std::stoll(argv[++i]);
        else if (a == "--dir" && i + 1 < argc)
            dir = argv[++i];
        else if (a == "--db" && i + 1 < argc)
            server = argv[++i];
        else if (a == "--duckdb" && i + 1 < argc)
            duckdir = argv[++i];
        else if (a == "--csv-only")
            csvOnly = true;
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
    const std::string jsonl = csvOnly ? csv : generate(dir, rows, "jsonl");
    const std::string otel = csvOnly ? csv : generate(dir, rows, "otel");
    const std::string litellm = csvOnly ? csv : generate(dir, rows, "litellm");
    const std::string ours = dir + "/ours.db", oursJ = dir + "/ours-jsonl.db",
                      plain = dir + "/plain.db";

    removeDb(ours);
    ChildRun importCsv = runChild({bin, "import", "--db", ours, csv});
    removeDb(oursJ);
    const ChildRun skipped{};
    const ChildRun importJsonl =
        csvOnly ? skipped : runChild({bin, "import", "--db", oursJ, jsonl});
    removeDb(plain);
    ChildRun sqliteImport =
        runChild({"sqlite3", "-cmd", ".import --csv " + csv + " t", plain, ".quit"});
    ChildRun reimport = runChild({bin, "import", "--db", ours, csv});
    const std::string oursOtel = dir + "/ours-otel.db", oursLite = dir + "/ours-litellm.db";
    removeDb(oursOtel);
    const ChildRun importOtel =
        csvOnly ? skipped : runChild({bin, "import", "--db", oursOtel, otel});
    removeDb(oursLite);
    const ChildRun importLite =
        csvOnly ? skipped : runChild({bin, "import", "--db", oursLite, litellm});

    std::printf("\nimport of %lld calls (cost, dedupe and rollups included)\n", (long long)rows);
    std::printf("  tokenledger import CSV    %7.2f s  %9.0f rows/s  peak RSS %5ld MB  (exit %d)\n",
                importCsv.seconds, rows / importCsv.seconds, importCsv.maxRssKb / 1024,
                importCsv.exitCode);
    if (!csvOnly)
        std::printf(
            "  tokenledger import JSONL  %7.2f s  %9.0f rows/s  peak RSS %5ld MB  (exit %d)\n",
            importJsonl.seconds, rows / importJsonl.seconds, importJsonl.maxRssKb / 1024,
            importJsonl.exitCode);
    std::printf(
        "  sqlite3 .import --csv     %7.2f s  %9.0f rows/s  (raw text, no cost, no dedupe)\n",
        sqliteImport.seconds, rows / sqliteImport.seconds);
    std::printf("  re-import (all duplicates)%7.2f s\n", reimport.seconds);
    std::printf("  ratio CSV  vs sqlite3 .import: %.2fx faster (goal >= 2x)\n",
                sqliteImport.seconds / importCsv.seconds);
    if (!csvOnly) {
        std::printf("  ratio JSONL vs our CSV       : %.2f of the CSV rate (goal >= 0.5)\n",
                    importCsv.seconds / importJsonl.seconds);
        std::printf("  import OTel GenAI spans   %7.2f s  %9.0f rows/s  %.2f of the CSV rate "
                    "(goal >= 0.5)\n",
                    importOtel.seconds, rows / importOtel.seconds,
                    importCsv.seconds / importOtel.seconds);
        std::printf("  import LiteLLM spend logs %7.2f s  %9.0f rows/s  %.2f of the CSV rate "
                    "(goal >= 0.5)\n",
                    importLite.seconds, rows / importLite.seconds,
                    importCsv.seconds / importLite.seconds);
    }

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

    sizeBreakdown(ours, rows);
    if (!duckdir.empty()) {
        const std::string team =
            rowsOf(capture("sqlite3 " + ours +
                           " \"SELECT name FROM dims WHERE kind = 3 ORDER BY id LIMIT 1\""))
                .at(0)
                .at(0);
        double teamBest = 1e9;
        for (int i = 0; i < reps; ++i)
            teamBest = std::min(teamBest, runChild({bin, "summary", "--db", ours, "--filter",
                                                    "team=" + team, "--format", "csv"})
                                              .seconds);
        duckdbReference(duckdir, dir, csv, rows, importCsv.seconds, oursBest, teamBest, team,
                        fileBytes(ours));
    }

    if (csvOnly)
        return 0;
    int64_t n1 = 0, n2 = 0;
    const double simdRate = jsonlParseRate(jsonl, true, n1);
    const double nlohmannRate = jsonlParseRate(jsonl, false, n2);
    std::printf("\nJSONL parsing alone (%lld lines)\n", (long long)n1);
    std::printf("  simdjson On-Demand reader  %10.0f records/s\n", simdRate);
    std::printf("  nlohmann::json per line    %10.0f records/s\n", nlohmannRate);
    std::printf("  ratio: %.1fx\n", simdRate / nlohmannRate);
    return 0;
}
