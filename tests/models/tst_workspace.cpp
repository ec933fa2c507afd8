#include "import/importer.h"
#include "query/summaryquery.h"
#include "store/schema.h"
#include "store/workspace.h"
#include "testutil.h"

#include "query/requestquery.h"

#include <QTest>

#include <map>

using namespace tl;

namespace {

// A workspace holding `csv`, taken back to schema `version` by `undo` (the
// statements that remove what later versions added); empty on failure.
std::string olderWorkspace(const QTemporaryDir &dir, const QByteArray &csv,
                           std::initializer_list<const char *> undo, int version)
{
    const std::string path = dir.filePath(QStringLiteral("v%1.tlw").arg(version)).toStdString();
    {
        auto ws = Workspace::open(path, Workspace::OpenMode::CreateIfMissing, nullptr);
        if (!ws ||
            !Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("old.csv"), csv)).ok)
            return {};
    }
    SqliteDb db(path);
    for (const char *sql : undo)
        db.exec(sql);
    db.exec("PRAGMA user_version = " + std::to_string(version));
    return path;
}

} // namespace

class TstWorkspace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createsVersionedWal()
    {
        QTemporaryDir dir;
        std::string error;
        const std::string path = dir.filePath(QStringLiteral("new.db")).toStdString();
        auto ws = Workspace::open(path, Workspace::OpenMode::CreateIfMissing, &error);
        QVERIFY2(ws, error.c_str());
        QCOMPARE(Schema::applicationId(tltest::sqlite(*ws)), Schema::kApplicationId);
        QCOMPARE(Schema::version(tltest::sqlite(*ws)), Schema::kCurrentVersion);
        QCOMPARE(std::string(Statement(ws->db(), "PRAGMA journal_mode").step() ? "wal" : ""),
                 std::string("wal"));
        QVERIFY(!ws->catalog().isEmpty()); // starts from the built-in catalog
        QCOMPARE(ws->db().queryInt("PRAGMA page_size"), 16384);
    }
    void missingFile()
    {
        QTemporaryDir dir;
        std::string error;
        QVERIFY(!Workspace::open(dir.filePath(QStringLiteral("none.db")).toStdString(),
                                 Workspace::OpenMode::OpenExisting, &error));
        QVERIFY(QString::fromStdString(error).contains(QStringLiteral("no such workspace")));
    }
    void refusesOtherFiles_data()
    {
        QTest::addColumn<QByteArray>("kind");
        QTest::addColumn<QString>("error");
        QTest::newRow("text-file") << QByteArray("text") << "not a tokenledger workspace";
        QTest::newRow("other-sqlite")
            << QByteArray("sqlite")
            << "not a tokenledger workspace (an SQLite database of another program)";
        QTest::newRow("newer-schema") << QByteArray("newer") << "written by a newer tokenledger";
    }
    void refusesOtherFiles()
    {
        QFETCH(QByteArray, kind);
        QFETCH(QString, error);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("x.db")).toStdString();
        if (kind == "text") {
            tltest::writeFile(dir, QStringLiteral("x.db"),
                              QByteArray("just some notes, not a database\n").repeated(200));
        } else {
            SqliteDb db(path);
            db.exec("CREATE TABLE t(a); INSERT INTO t VALUES(1)");
            if (kind == "newer") {
                db.exec("PRAGMA application_id = " + std::to_string(Schema::kApplicationId));
                db.exec("PRAGMA user_version = " + std::to_string(Schema::kCurrentVersion + 1));
            }
        }
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray before = f.readAll();
        f.close();
        std::string why;
        QVERIFY(!Workspace::open(path, Workspace::OpenMode::CreateIfMissing, &why));
        QVERIFY2(QString::fromStdString(why).contains(error), why.c_str());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before); // changed nothing
        QVERIFY(!QFile::exists(QString::fromStdString(path + "-wal")));
    }
    void migratesFromVersion1()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("old.db")).toStdString();
        {
            // A workspace as the v1 program wrote it, with data.
            SqliteDb db(path);
            Transaction tx(db);
            Schema::migrate(db, 1);
            tx.commit();
        }
        {
            SqliteDb db(path);
            QCOMPARE(Schema::version(db), 1);
            db.exec("INSERT INTO dims(id, kind, name) VALUES(1, 2, 'gpt-4o')");
            db.exec("INSERT INTO hashed_names(id, kind, name) VALUES(77, 6, 'alice')");
            db.exec("INSERT INTO calls(ts_ms, day, hour, provider_id, model_id, team_id, "
                    "feature_id, agent_id, user_id, "
                    "task_id, status_id, requests, input_tokens, cached_input_tokens, "
                    "cache_write_tokens, output_tokens, "
                    "reasoning_tokens, computed_nusd, reported_nusd, latency_ms, outcome, "
                    "value_nusd, batch, is_error, "
                    "source_id) VALUES(0, 0, 0, 0, 1, 0, 0, 0, 77, 0, 0, 2, 100, 0, 0, 10, 0, "
                    "5000, NULL, 10, 1, NULL, "
                    "0, 0, 1)");
        }
        std::string error;
        auto ws = Workspace::open(path, Workspace::OpenMode::OpenExisting, &error);
        QVERIFY2(ws, error.c_str());
        QCOMPARE(Schema::version(tltest::sqlite(*ws)), Schema::kCurrentVersion);
        QCOMPARE(ws->db().queryInt("SELECT COUNT(*) FROM reported_costs"), 0); // v3 table exists
        // v2's per-user rollup is backfilled from the calls that were there
        auto r = SummaryQuery::run(*ws, {}, {*GroupKey::fromName("user")});
        QCOMPARE(r.table, std::string("rollup_user_day"));
        QCOMPARE(int(r.rows.size()), 1);
        QCOMPARE(r.rows[0].keys[0], std::string("alice"));
        QCOMPARE(r.rows[0].m[MRequests], 2);
        QCOMPARE(r.rows[0].m[MCostNusd], 5000);
    }
    // A v4 workspace (before 1-hour writes, search calls and tiers) gains
    // the columns and measures, keeps its figures, and takes the new fields.
    void migratesFromVersion4()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("v4.tlw")).toStdString();
        {
            auto ws = Workspace::open(path, Workspace::OpenMode::CreateIfMissing, nullptr);
            QVERIFY(ws);
            Importer(*ws).importFile(
                tltest::writeFile(dir, QStringLiteral("old.csv"),
                                  "ts,model,input_tokens,output_tokens,cache_write_tokens\n"
                                  "2026-09-01T10:00:00Z,claude-sonnet-4-20250514,3100,100,3000\n"));
        }
        {
            // Back to the v4 layout exactly: v5's columns and v6's tables removed.
            SqliteDb db(path);
            db.exec("DROP TABLE alerts");
            db.exec("DROP TABLE watched_files");
            for (const char *c : {"cache_write_1h_tokens", "web_search_calls", "file_search_calls",
                                  "service_tier", "long_context", "tool_nusd"})
                db.exec(std::string("ALTER TABLE calls DROP COLUMN ") + c);
            for (const char *t : {"rollup_hour", "rollup_day", "rollup_user_day"})
                for (int m = MCacheWrite1hTokens; m < MeasureCount; ++m)
                    db.exec(std::string("ALTER TABLE ") + t + " DROP COLUMN " +
                            std::string(kMeasureColumns[size_t(m)]));
            db.exec("PRAGMA user_version = 4");
        }
        std::string error;
        auto ws = Workspace::open(path, Workspace::OpenMode::OpenExisting, &error);
        QVERIFY2(ws, error.c_str());
        QCOMPARE(Schema::version(tltest::sqlite(*ws)), Schema::kCurrentVersion);
        QCOMPARE(tltest::sqlite(*ws).queryInt("SELECT COUNT(*) FROM alerts"), int64_t(0));
        // 100 x 3 + 3000 x 3.75 + 100 x 15 = 13,050 u$, as before
        QCOMPARE(SummaryQuery::run(*ws, {}, {}).totals[MCostNusd], int64_t(13'050'000));
        const auto r = Importer(*ws).importFile(tltest::writeFile(
            dir, QStringLiteral("new.csv"),
            "ts,model,input_tokens,output_tokens,cache_write_tokens,cache_write_1h_tokens,"
            "web_search_calls\n"
            "2026-09-01T11:00:00Z,claude-sonnet-4-20250514,3100,100,3000,2000,3\n"));
        QVERIFY2(r.ok, r.error.c_str());
        const Measures t = SummaryQuery::run(*ws, {}, {}).totals;
        // + 100 x 3 + 1000 x 3.75 + 2000 x 6 + 100 x 15 + 3 x $0.01 = 47,550 u$
        QCOMPARE(t[MCostNusd], int64_t(13'050'000 + 47'550'000));
        QCOMPARE(t[MCacheWrite1hTokens], int64_t(2000));
        QCOMPARE(t[MWebSearchCalls], int64_t(3));
        QCOMPARE(t[MToolNusd], int64_t(30'000'000));
    }

    // A v7 workspace gains the cost order (v8's index) and the agents'
    // hours (v9's rollup, summed from its calls), and later imports add to
    // that rollup: hourly figures by agent equal the calls' own sums.
    void migratesFromVersion7()
    {
        QTemporaryDir dir;
        const char *header = "ts,agent,model,input_tokens,output_tokens,cost_usd\n";
        const std::string path = olderWorkspace(
            dir,
            QByteArray(header) + "2026-09-01T10:00:00Z,triage,gpt-4o,100,10,0.5\n"
                                 "2026-09-01T10:30:00Z,triage,gpt-4o,100,10,0.25\n"
                                 "2026-09-01T10:40:00Z,writer,gpt-4o,100,10,2\n"
                                 "2026-09-01T11:00:00Z,triage,gpt-4o,100,10,1\n",
            {"DROP TABLE rollup_agent_hour", "DROP INDEX calls_cost", "DROP TABLE agent_day_facts",
             "DROP TABLE facts_dirty", "DROP TABLE agent_day_tasks", "DROP TABLE rollup_task_day"},
            7);
        QVERIFY(!path.empty());
        std::string error;
        auto ws = Workspace::open(path, Workspace::OpenMode::OpenExisting, &error);
        QVERIFY2(ws, error.c_str());
        QCOMPARE(Schema::version(tltest::sqlite(*ws)), Schema::kCurrentVersion);
        QCOMPARE(ws->db().queryInt("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'calls_cost'"),
                 int64_t(1));
        // v10's facts are counted from the calls on the way: both agents' day.
        QCOMPARE(ws->db().queryInt("SELECT COUNT(*) FROM agent_day_facts"), int64_t(2));
        QCOMPARE(ws->db().queryInt("SELECT COUNT(*) FROM facts_dirty"), int64_t(0));
        QCOMPARE(ws->db().queryInt("SELECT COUNT(*) FROM agent_day_tasks"), int64_t(0)); // no tasks
        const auto hourly = [&] {
            const auto r = SummaryQuery::run(
                *ws, {}, {*GroupKey::fromName("agent"), *GroupKey::fromName("hour")});
            std::map<std::pair<std::string, std::string>, int64_t> cost;
            for (const auto &row : r.rows)
                cost[{row.keys[0], row.keys[1]}] = row.m[MCostNusd];
            return std::make_pair(r.table, cost);
        };
        auto [table, cost] = hourly();
        QCOMPARE(table, std::string("rollup_agent_hour"));
        QCOMPARE(int(cost.size()), 3);
        const auto at = [&](const char *agent, const char *hour) {
            return cost[std::make_pair(std::string(agent), std::string(hour))];
        };
        QCOMPARE(at("triage", "2026-09-01T10:00Z"), int64_t(750'000'000));
        QCOMPARE(at("writer", "2026-09-01T10:00Z"), int64_t(2'000'000'000));
        QCOMPARE(at("triage", "2026-09-01T11:00Z"), int64_t(1'000'000'000));
        const auto r = Importer(*ws).importFile(tltest::writeFile(
            dir, QStringLiteral("new.csv"),
            QByteArray(header) + "2026-09-01T10:59:59Z,triage,gpt-4o,100,10,0.125\n"));
        QVERIFY2(r.ok, r.error.c_str());
        std::tie(table, cost) = hourly();
        QCOMPARE(at("triage", "2026-09-01T10:00Z"), int64_t(875'000'000));
    }

    // A v12 workspace's cost index is made again with the agent in it
    // (v13), which a foreign-object check must not refuse on the way; an
    // agent's calls then page in cost order through it, and a later import
    // keeps it.
    void migratesFromVersion12()
    {
        QTemporaryDir dir;
        QByteArray csv = "ts,agent,model,input_tokens,output_tokens,cost_usd\n";
        for (int i = 0; i < 40; ++i)
            csv += "2026-09-01T10:" + QByteArray::number(10 + i) + ":00Z," +
                   (i % 3 ? "triage" : "writer") + ",gpt-4o,100,10," +
                   QByteArray::number((i * 7) % 40 + 1) + "\n";
        const std::string oldIndex = Schema::kCostIndexDdlV8;
        const std::string path =
            olderWorkspace(dir, csv, {"DROP INDEX calls_cost", oldIndex.c_str()}, 12);
        QVERIFY(!path.empty());
        std::string error;
        auto ws = Workspace::open(path, Workspace::OpenMode::OpenExisting, &error);
        QVERIFY2(ws, error.c_str());
        QCOMPARE(Schema::version(tltest::sqlite(*ws)), Schema::kCurrentVersion);
        const auto indexSql = [&] {
            Statement st(ws->db(), "SELECT sql FROM sqlite_schema WHERE name = 'calls_cost'");
            return st.step() ? std::string(st.columnText(0)) : std::string();
        };
        QCOMPARE(indexSql(), std::string(Schema::kCostIndexDdl));
        CallFilter f;
        f.include[Dimension::Agent] = {"triage"};
        const auto costs = [&] {
            std::vector<int64_t> out;
            RequestCursor after;
            for (;;) {
                const RequestPage p =
                    RequestQuery::page(*ws, f, RequestSort::CostDesc, {}, after, 7);
                for (const auto &row : p.rows)
                    out.push_back(row.costNusd);
                if (p.atEnd)
                    return out;
                after = p.next;
            }
        };
        std::vector<int64_t> got = costs();
        QCOMPARE(got.size(), size_t(26));
        QVERIFY(std::is_sorted(got.rbegin(), got.rend()));
        const auto r = Importer(*ws).importFile(
            tltest::writeFile(dir, QStringLiteral("new.csv"),
                              "ts,agent,model,input_tokens,output_tokens,cost_usd\n"
                              "2026-09-02T10:00:00Z,triage,gpt-4o,100,10,99\n"));
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(indexSql(), std::string(Schema::kCostIndexDdl));
        got = costs();
        QCOMPARE(got.size(), size_t(27));
        QCOMPARE(got.front(), int64_t(99'000'000'000));
    }

    // A v11 workspace gains a task's days (v12's rollup, summed from its
    // calls), and a later import adds to a task it already holds.
    void migratesFromVersion11()
    {
        QTemporaryDir dir;
        const char *header = "ts,agent,task_id,model,input_tokens,output_tokens,cost_usd\n";
        const std::string path = olderWorkspace(
            dir,
            QByteArray(header) + "2026-09-01T10:00:00Z,triage,t1,gpt-4o,100,10,0.5\n"
                                 "2026-09-01T10:30:00Z,triage,t1,gpt-4o,100,10,0.25\n"
                                 "2026-09-01T10:40:00Z,triage,t2,gpt-4o,100,10,2\n"
                                 "2026-09-02T11:00:00Z,triage,t1,gpt-4o,100,10,1\n",
            {"DROP TABLE rollup_task_day"}, 11);
        QVERIFY(!path.empty());
        std::string error;
        auto ws = Workspace::open(path, Workspace::OpenMode::OpenExisting, &error);
        QVERIFY2(ws, error.c_str());
        QCOMPARE(Schema::version(tltest::sqlite(*ws)), Schema::kCurrentVersion);
        const auto tasks = [&] {
            CallFilter f;
            f.include[Dimension::Agent] = {"triage"};
            const auto r = SummaryQuery::run(*ws, f, {*GroupKey::fromName("task")});
            std::map<std::string, std::pair<int64_t, int64_t>> out; // cost, input tokens
            for (const auto &row : r.rows)
                out[row.keys[0]] = {row.m[MCostNusd], row.m[MInputTokens]};
            return std::make_pair(r.table, out);
        };
        auto [table, byTask] = tasks();
        QCOMPARE(table, std::string("rollup_task_day"));
        QCOMPARE(int(byTask.size()), 2);
        QCOMPARE(byTask["t1"], std::make_pair(int64_t(1'750'000'000), int64_t(300)));
        QCOMPARE(byTask["t2"], std::make_pair(int64_t(2'000'000'000), int64_t(100)));
        const auto r = Importer(*ws).importFile(tltest::writeFile(
            dir, QStringLiteral("new.csv"),
            QByteArray(header) + "2026-09-01T10:59:59Z,triage,t1,gpt-4o,100,10,0.125\n"));
        QVERIFY2(r.ok, r.error.c_str());
        std::tie(table, byTask) = tasks();
        QCOMPARE(byTask["t1"], std::make_pair(int64_t(1'875'000'000), int64_t(400)));
        QCOMPARE(ws->db().queryInt("SELECT COUNT(*) FROM rollup_task_day"), int64_t(3));
    }
};

QTEST_GUILESS_MAIN(TstWorkspace)
#include "tst_workspace.moc"
