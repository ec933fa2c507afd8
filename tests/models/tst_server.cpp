// The team server: what only a PostgreSQL store has — several importers at
// once, roles, connections that fail or drop — on the throwaway cluster
// (tests/pg/cluster.sh). The store- and query-level suites run on it too
// (tests/CMakeLists.txt); this one holds the server's own cases.
#include "testutil.h"

#include "query/summaryquery.h"
#include "store/dayfactstable.h"
#include "store/pgschema.h"
#include "store/schema.h"
#include "store/storecopy.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <atomic>
#include <map>
#include <thread>
#include <unordered_map>

using namespace tl;

namespace {

std::string withUser(const std::string &uri, const std::string &user)
{
    // postgresql://tl_admin@host:port/db -> postgresql://USER@host:port/db
    const size_t at = uri.find('@');
    return "postgresql://" + user + uri.substr(at);
}

std::string lines(const QByteArray &csv, double from, double to)
{
    const QList<QByteArray> all = csv.split('\n');
    QByteArray out = all.first() + '\n';
    const qsizetype rows = all.size() - 2; // header, and the empty last
    for (qsizetype i = 1 + qsizetype(from * double(rows)); i <= qsizetype(to * double(rows)); ++i)
        out += all[i] + '\n';
    return out.toStdString();
}

struct Run
{
    int code;
    QByteArray out, err;
};

Run cli(const QStringList &args, const QByteArray &password = {})
{
    QProcess p;
    if (!password.isEmpty()) {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PGPASSWORD"), QString::fromLatin1(password));
        p.setProcessEnvironment(env);
    }
    p.start(QStringLiteral(TL_BINARY), args);
    if (!p.waitForFinished(240000))
        qFatal("tokenledger did not finish");
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

class TstServer : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string m_admin;
    QByteArray m_fleet; // a generated fleet's CSV

    std::string fleetFile(const char *name, double from, double to)
    {
        return tltest::writeFile(m_dir, QString::fromLatin1(name),
                                 QByteArray::fromStdString(lines(m_fleet, from, to)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_admin = tltest::serverAdminUri();
        FleetOptions o;
        o.agents = 10;
        o.days = 40; // two month partitions at least
        o.startDay = 20'400;
        // Over 65,536 calls: a server's scans (copy, recompute, the
        // simulator's baseline) come in cursor chunks of that size.
        o.callsPerDay = 2000;
        const std::string csv = m_dir.filePath(QStringLiteral("fleet.csv")).toStdString();
        std::string error;
        QVERIFY2(FleetGenerator(o).write(csv, nullptr, &error), error.c_str());
        QFile f(QString::fromStdString(csv));
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_fleet = f.readAll();
        // A read-only role, as a team grants one: it signs in with a password.
        PgDb admin(m_admin);
        admin.exec("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
                   "'tl_reader') THEN CREATE ROLE tl_reader LOGIN PASSWORD 'secret-r'; END "
                   "IF; END $$");
        admin.exec("GRANT pg_read_all_data TO tl_reader");
    }

    // The issue's promise: two importers at once into one server give
    // exactly the totals of one after the other, even when their files
    // overlap (no lost rollup update, no call counted twice).
    void concurrentImportsEqualSequential()
    {
        const std::string a = fleetFile("a.csv", 0.0, 0.6);
        const std::string b = fleetFile("b.csv", 0.4, 1.0);
        const std::string seqUri = tltest::newServerDatabase();
        {
            std::string error;
            auto ws = Workspace::open(seqUri, Workspace::OpenMode::CreateIfMissing, &error);
            QVERIFY2(ws, error.c_str());
            QVERIFY(Importer(*ws).importFile(a).ok);
            QVERIFY(Importer(*ws).importFile(b).ok);
        }
        const std::string parUri = tltest::newServerDatabase();
        std::atomic<int> ok{0};
        std::atomic<int> waited{0};
        auto importer = [&](const std::string &file) {
            std::string error;
            auto ws = Workspace::open(parUri, Workspace::OpenMode::CreateIfMissing, &error);
            if (!ws)
                return;
            ImportOptions opt;
            opt.onWait = [&] {
                ++waited;
                return true;
            };
            ok += Importer(*ws).importFile(file, opt).ok;
        };
        std::thread t1(importer, a), t2(importer, b);
        t1.join();
        t2.join();
        QCOMPARE(ok.load(), 2);
        auto seq = tltest::openExisting(seqUri);
        auto par = tltest::openExisting(parUri);
        for (const char *by : {"agent", "model", "team", "user"}) {
            const auto s = SummaryQuery::run(*seq, {}, {*GroupKey::fromName(by)});
            const auto p = SummaryQuery::run(*par, {}, {*GroupKey::fromName(by)});
            QCOMPARE(p.totals.v, s.totals.v);
            QCOMPARE(p.rows.size(), s.rows.size());
            for (size_t i = 0; i < s.rows.size(); ++i)
                QCOMPARE(p.rows[i].m.v, s.rows[i].m.v);
        }
        QCOMPARE(par->db().queryInt("SELECT COUNT(*) FROM calls"),
                 seq->db().queryInt("SELECT COUNT(*) FROM calls"));
        // and the calls are each there once: the overlap counted once
        QCOMPARE(par->db().queryInt("SELECT COUNT(*) FROM calls"),
                 int64_t(m_fleet.count('\n') - 1));
        QVERIFY(par->db().queryInt("SELECT COUNT(*) FROM pg_tables WHERE tablename LIKE "
                                   "'calls_%'") >= 2);
    }

    // A read-only role uses every reading command; its import exits 2
    // with the server's reason and changes nothing.
    void readOnlyRole()
    {
        const std::string uri = tltest::newServerDatabase();
        QVERIFY(cli({QStringLiteral("import"), QStringLiteral("--db"), q(uri),
                     q(fleetFile("ro.csv", 0.0, 0.5))})
                    .code == 0);
        const std::string reader = withUser(uri, "tl_reader");
        const QByteArray before = tltest::contentDigest(uri);
        for (const QStringList &args :
             {QStringList{QStringLiteral("summary"), QStringLiteral("--by"),
                          QStringLiteral("agent")},
              QStringList{QStringLiteral("anomalies")},
              QStringList{QStringLiteral("budgets"), QStringLiteral("list")},
              QStringList{QStringLiteral("reconcile")},
              QStringList{QStringLiteral("budgets"), QStringLiteral("check")},
              QStringList{QStringLiteral("simulate"), QStringLiteral("--scenario"),
                          QStringLiteral(TL_RESOURCES "/demo-scenario.json")},
              QStringList{QStringLiteral("report"), QStringLiteral("--csv-dir"),
                          m_dir.filePath(QStringLiteral("ro-report"))}}) {
            const Run r = cli(args + QStringList{QStringLiteral("--db"), q(reader)}, "secret-r");
            QVERIFY2(r.code == 0,
                     (args.join(QLatin1Char(' ')).toUtf8() + ": " + r.err).constData());
        }
        const Run imp = cli({QStringLiteral("import"), QStringLiteral("--db"), q(reader),
                             q(fleetFile("ro2.csv", 0.5, 1.0))},
                            "secret-r");
        QCOMPARE(imp.code, 2);
        QVERIFY2(imp.err.contains("permission denied"), imp.err.constData());
        QVERIFY2(imp.err.contains("tl_reader@127.0.0.1"), imp.err.constData());
        QCOMPARE(tltest::contentDigest(uri), before);
    }

    // A LiteLLM proxy's own database, read straight (no export step):
    // incrementally, read-only (a role that may only read its table), a
    // second run adds nothing, a row the proxy commits late (earlier than
    // the last one read, within the overlap) still arrives, and the calls
    // equal what a CSV export of the same table imports.
    void importsStraightFromLiteLlmsDatabase()
    {
        const std::string litellm = tltest::newServerDatabase();
        {
            PgDb db(litellm);
            QFile schema(QStringLiteral(TL_FIXTURES "/litellm/spendlogs-table.sql"));
            QVERIFY(schema.open(QIODevice::ReadOnly));
            for (const QByteArray &stmt : schema.readAll().split(';'))
                if (stmt.contains("CREATE")) // the table and its indexes; not the trailing blank
                    db.exec(stmt.toStdString());
            db.exec("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
                    "'litellm_ro') THEN CREATE ROLE litellm_ro LOGIN PASSWORD 'secret-l'; END "
                    "IF; END $$");
            db.exec("GRANT SELECT ON \"LiteLLM_SpendLogs\" TO litellm_ro");
            db.exec("GRANT USAGE ON SCHEMA public TO litellm_ro");
            // 30 calls a minute apart, the first day of November.
            db.exec(R"(INSERT INTO "LiteLLM_SpendLogs"(request_id, call_type, spend, prompt_tokens,
                completion_tokens, "startTime", "endTime", model, custom_llm_provider, metadata,
                request_tags, team_id, status)
                SELECT 'chatcmpl-' || i, 'acompletion', 0.0035, 1000, 100,
                       TIMESTAMP '2026-11-01 09:00:00.250' + i * INTERVAL '1 minute',
                       TIMESTAMP '2026-11-01 09:00:01.750' + i * INTERVAL '1 minute',
                       'gpt-4o', 'openai',
                       jsonb_build_object('user_api_key_team_alias', 'support',
                           'spend_logs_metadata', jsonb_build_object('agent', 'triage-' || (i % 3))),
                       '["prod"]', 'team-1', CASE WHEN i % 10 = 0 THEN 'failure' ELSE 'success' END
                FROM generate_series(0, 29) i)");
        }
        const std::string source = withUser(litellm, "litellm_ro");
        const QString ws = m_dir.filePath(QStringLiteral("from-litellm.db"));
        const QStringList args = {QStringLiteral("import"), QStringLiteral("--db"), ws,
                                  QStringLiteral("--from-litellm"), q(source)};
        Run r = cli(args, "secret-l");
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.out.contains("30 rows read, 30 imported, 0 duplicates, 0 rejected"),
                 r.out.constData());
        r = cli(args, "secret-l");
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.out.contains(", 0 imported"), r.out.constData()); // the overlap only
        {
            // Committed late: five minutes before the newest row read.
            PgDb db(litellm);
            db.exec(R"(INSERT INTO "LiteLLM_SpendLogs"(request_id, call_type, spend, prompt_tokens,
                completion_tokens, "startTime", "endTime", model, metadata)
                VALUES ('late-1', 'acompletion', 0.02, 5000, 500, '2026-11-01 09:24:00',
                        '2026-11-01 09:24:03', 'gpt-4o', '{}'))");
        }
        r = cli(args, "secret-l");
        QVERIFY2(r.out.contains(", 1 imported"), r.out.constData());
        Run sum =
            cli({QStringLiteral("summary"), QStringLiteral("--db"), ws, QStringLiteral("--by"),
                 QStringLiteral("agent"), QStringLiteral("--format"), QStringLiteral("csv")});
        QVERIFY2(sum.out.contains("triage-0,10,"), sum.out.constData());

        // The same table exported as CSV (as psql \copy writes it) imports the same calls.
        std::string csv;
        PgDb(litellm).copyOut("SELECT request_id, to_char(\"startTime\", "
                              "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS \"startTime\", "
                              "to_char(\"endTime\", 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS "
                              "\"endTime\", model, custom_llm_provider, prompt_tokens, "
                              "completion_tokens, spend, team_id, status, metadata, request_tags "
                              "FROM \"LiteLLM_SpendLogs\"",
                              "FORMAT csv, HEADER", csv);
        const QString exported = m_dir.filePath(QStringLiteral("exported.db"));
        Run viaFile = cli({QStringLiteral("import"), QStringLiteral("--db"), exported,
                           q(tltest::writeFile(m_dir, QStringLiteral("spendlogs.csv"),
                                               QByteArray::fromStdString(csv)))});
        QVERIFY2(viaFile.code == 0, viaFile.err.constData());
        Run sum2 = cli({QStringLiteral("summary"), QStringLiteral("--db"), exported,
                        QStringLiteral("--by"), QStringLiteral("agent"), QStringLiteral("--format"),
                        QStringLiteral("csv")});
        QCOMPARE(sum2.out, sum.out);

        // Not LiteLLM's database: said so, nothing written.
        r = cli({QStringLiteral("import"), QStringLiteral("--db"), ws,
                 QStringLiteral("--from-litellm"), q(m_admin)});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("no LiteLLM_SpendLogs table"), r.err.constData());
    }

    // Every way a connection goes wrong: one line naming the server and
    // the reason, exit 2, nothing written.
    void badConnections_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QByteArray>("password");
        QTest::addColumn<QString>("expected");
        const std::string base = m_admin.substr(0, m_admin.rfind('/') + 1);
        QTest::newRow("password in the URI") << q(withUser(base, "tl_admin:hunter2") + "postgres")
                                             << QByteArray() << "~/.pgpass or PGPASSWORD";
        QTest::newRow("missing database")
            << q(base + "no_such_db") << QByteArray() << "does not exist";
        QTest::newRow("unknown role")
            << q(withUser(base, "nobody_here") + "postgres") << QByteArray() << "nobody_here";
        QTest::newRow("no password") << q(withUser(base, "tl_reader") + "postgres") << QByteArray()
                                     << "no password supplied";
        QTest::newRow("wrong password")
            << q(withUser(base, "tl_reader") + "postgres") << QByteArray("hunter2")
            << "password authentication failed";
        QTest::newRow("unreachable server")
            << "postgresql://tl_admin@127.0.0.1:1/postgres" << QByteArray() << "cannot connect";
    }
    void badConnections()
    {
        QFETCH(QString, uri);
        QFETCH(QByteArray, password);
        QFETCH(QString, expected);
        const Run r = cli({QStringLiteral("summary"), QStringLiteral("--db"), uri}, password);
        QCOMPARE(r.code, 2);
        QVERIFY2(QString::fromUtf8(r.err).contains(expected), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(!r.err.contains("hunter2"), r.err.constData());
    }

    void notALedger()
    {
        const std::string uri = tltest::newServerDatabase();
        {
            PgDb db(uri);
            db.exec("CREATE TABLE invoices(id BIGINT PRIMARY KEY)");
        }
        const QByteArray before = tltest::contentDigest(uri);
        const Run r = cli({QStringLiteral("import"), QStringLiteral("--db"), q(uri),
                           q(fleetFile("x.csv", 0.0, 0.1))});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("not a tokenledger ledger"), r.err.constData());
        QCOMPARE(tltest::contentDigest(uri), before);
    }

    void newerSchemaRefused()
    {
        const std::string uri = tltest::newServerDatabase();
        QCOMPARE(cli({QStringLiteral("init"), QStringLiteral("--db"), q(uri)}).code, 0);
        {
            PgDb db(uri);
            db.exec("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
        }
        const Run r = cli({QStringLiteral("summary"), QStringLiteral("--db"), q(uri)});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("newer tokenledger") && r.err.contains("v99"), r.err.constData());
    }

    // A v8 ledger (before the agents' hours) is brought up to date by the
    // first writer: the rollup is summed from its calls, and agent x hour
    // figures read from it equal the calls' own.
    void olderSchemaUpgraded()
    {
        const std::string uri = tltest::newServerDatabase();
        QCOMPARE(cli({QStringLiteral("import"), QStringLiteral("--db"), q(uri),
                      q(fleetFile("old.csv", 0.0, 0.3))})
                     .code,
                 0);
        {
            PgDb db(uri);
            db.exec("DROP TABLE rollup_agent_hour");
            db.exec("DROP TABLE agent_day_facts");
            db.exec("DROP TABLE facts_dirty");
            db.exec("DROP TABLE agent_day_tasks");
            db.exec("DROP TABLE rollup_task_day");
            db.exec("DROP INDEX calls_cost"); // v8's, without the agent
            db.exec(Schema::kCostIndexDdlV8);
            db.exec("UPDATE meta SET value = '8' WHERE key = 'schema_version'");
        }
        QCOMPARE(cli({QStringLiteral("import"), QStringLiteral("--db"), q(uri),
                      q(fleetFile("new.csv", 0.2, 0.5))})
                     .code,
                 0);
        std::string error;
        auto ws = Workspace::open(uri, Workspace::OpenMode::OpenExisting, &error);
        QVERIFY2(ws, error.c_str());
        QCOMPARE(ws->db().queryInt("SELECT value::bigint FROM meta WHERE key = 'schema_version'"),
                 int64_t(PgSchema::kCurrentVersion));
        // v13's cost index carries the agent.
        QCOMPARE(ws->db().queryInt("SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'calls_cost' "
                                   "AND indexdef LIKE '%, agent_id)'"),
                 int64_t(1));
        const std::vector<GroupKey> by = {*GroupKey::fromName("agent"),
                                          *GroupKey::fromName("hour")};
        const SummaryResult fromRollup = SummaryQuery::run(*ws, {}, by);
        QCOMPARE(fromRollup.table, std::string("rollup_agent_hour"));
        Statement st(ws->db(), "SELECT agent_id, hour, SUM(COALESCE(reported_nusd, "
                               "computed_nusd, 0)), COUNT(*) FROM calls GROUP BY 1, 2");
        std::map<std::pair<int64_t, int64_t>, std::pair<int64_t, int64_t>> fromCalls;
        while (st.step())
            fromCalls[{st.columnInt(0), st.columnInt(1)}] = {st.columnInt(2), st.columnInt(3)};
        QCOMPARE(fromRollup.rows.size(), fromCalls.size());
        for (const SummaryRow &row : fromRollup.rows) {
            const auto want = fromCalls.at({row.keyValues[0], row.keyValues[1]});
            QCOMPARE(row.m[MCostNusd], want.first);
            QCOMPARE(row.m[MRecords], want.second);
        }
        // v12's task days, summed on the way and added to by the second
        // import, equal the calls' own.
        const SummaryResult byTask =
            SummaryQuery::run(*ws, {}, {*GroupKey::fromName("agent"), *GroupKey::fromName("task")});
        QCOMPARE(byTask.table, std::string("rollup_task_day"));
        Statement tasks(ws->db(),
                        "SELECT agent_id, task_id, SUM(COALESCE(reported_nusd, "
                        "computed_nusd, 0)), SUM(output_tokens) FROM calls GROUP BY 1, 2");
        std::map<std::pair<int64_t, int64_t>, std::pair<int64_t, int64_t>> taskCalls;
        while (tasks.step())
            taskCalls[{tasks.columnInt(0), tasks.columnInt(1)}] = {tasks.columnInt(2),
                                                                   tasks.columnInt(3)};
        QCOMPARE(byTask.rows.size(), taskCalls.size());
        for (const SummaryRow &row : byTask.rows) {
            const auto want = taskCalls.at({row.keyValues[0], row.keyValues[1]});
            QCOMPARE(row.m[MCostNusd], want.first);
            QCOMPARE(row.m[MOutputTokens], want.second);
        }
        // v10's facts, counted on the way, equal a count of the calls.
        QCOMPARE(ws->db().queryInt("SELECT COUNT(*) FROM facts_dirty"), int64_t(0));
        const auto bounds = *dataDayBounds(*ws);
        const auto stored = DayFactsTable::byAgent(ws->db(), bounds.first, bounds.second, {});
        std::unordered_map<int64_t, DayFacts> counted;
        for (const auto &[key, f] :
             DayFactsTable::countFromCalls(ws->db(), bounds.first, bounds.second, {}))
            counted[key.agent] += f;
        QVERIFY(!stored.empty());
        QVERIFY(stored == counted);
    }

    // A file that grows the calls by a tenth or more leaves the server with
    // statistics of them (the planner otherwise guessed a few hundred rows
    // for an agent's 166k and sorted them all for a page of 500).
    void bigImportLeavesStatistics()
    {
        const std::string uri = tltest::newServerDatabase();
        QCOMPARE(cli({QStringLiteral("import"), QStringLiteral("--db"), q(uri),
                      q(fleetFile("stats.csv", 0.0, 0.5))})
                     .code,
                 0);
        PgDb db(uri);
        const int64_t calls = db.queryInt("SELECT COUNT(*) FROM calls");
        QVERIFY(calls > 10'000);
        const int64_t estimated = db.queryInt(
            "SELECT SUM(GREATEST(c.reltuples, 0))::bigint FROM pg_inherits i JOIN pg_class c ON "
            "c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'calls'");
        QVERIFY2(std::abs(estimated - calls) * 10 < calls,
                 qPrintable(QStringLiteral("%1 estimated, %2 stored").arg(estimated).arg(calls)));
    }

    void emptyDatabaseNamesTheFirstStep()
    {
        const std::string uri = tltest::newServerDatabase();
        const Run r = cli({QStringLiteral("summary"), QStringLiteral("--db"), q(uri)});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("tokenledger init"), r.err.constData());
        PgDb db(uri);
        QCOMPARE(db.queryInt("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"), 0);
    }

    // Work split over two connections reads one snapshot (the report finds
    // its anomalies on a second one): a reader opened at a connection's
    // open read sees what that read sees, not an import that commits after
    // it; with no read open there is nothing to share.
    void aReaderReadsTheSnapshotItWasOpenedAt()
    {
        const std::string uri = tltest::newServerDatabase();
        std::string error;
        auto ws = Workspace::open(uri, Workspace::OpenMode::CreateIfMissing, &error);
        QVERIFY2(ws, error.c_str());
        QVERIFY(Importer(*ws).importFile(fleetFile("early.csv", 0.0, 0.1)).ok);
        QVERIFY(!ws->openReader());
        const std::string calls = "SELECT COUNT(*) FROM calls";
        const int64_t before = ws->db().queryInt(calls);
        const Measures totalsBefore = SummaryQuery::run(*ws, {}, {}).totals;
        QCOMPARE(totalsBefore[MRecords], before);
        const int64_t agentId = ws->db().queryInt("SELECT MIN(agent_id) FROM calls");
        const std::string agentName = ws->dims().nameOf(Dimension::Agent, agentId);
        QVERIFY(!agentName.empty());
        std::shared_ptr<Workspace> reader;
        {
            Transaction read(ws->db(), Transaction::Read);
            QCOMPARE(ws->db().queryInt(calls), before);
            reader = ws->openReader();
            QVERIFY(reader);
            // The same month's days (no new partition to wait for the reads).
            auto other = tltest::openExisting(uri);
            QVERIFY(Importer(*other).importFile(fleetFile("later.csv", 0.1, 0.2)).ok);
            QVERIFY(other->db().queryInt(calls) > before);
            QCOMPARE(ws->db().queryInt(calls), before);
            read.commit();
        }
        // Still the snapshot after the sharer's read ended, on another thread
        // as the report uses it: the calls, the rollups, the names.
        int64_t seen = -1;
        Measures totals;
        std::string agent;
        std::thread t([&] {
            seen = reader->db().queryInt(calls);
            totals = SummaryQuery::run(*reader, {}, {}).totals;
            agent = reader->dims().nameOf(Dimension::Agent, agentId);
        });
        t.join();
        QCOMPARE(seen, before);
        QCOMPARE(totals.v, totalsBefore.v);
        QCOMPARE(agent, agentName);
        reader.reset();
        QVERIFY(ws->db().queryInt(calls) > before);
    }

    // A server that revokes pg_export_snapshot from ordinary roles (as
    // managed services do): a role that may not share its snapshot still
    // reads in its transaction (no reader, no aborted statement), and its
    // report, built on one connection, is the owner's built on two.
    void aRoleThatMayNotShareItsSnapshotStillReports()
    {
        const std::string uri = tltest::newServerDatabase();
        QVERIFY(cli({QStringLiteral("import"), QStringLiteral("--db"), q(uri),
                     q(fleetFile("nosnap.csv", 0.0, 1.0))})
                    .code == 0);
        const QString ownerDir = m_dir.filePath(QStringLiteral("nosnap-owner"));
        const QString readerDir = m_dir.filePath(QStringLiteral("nosnap-reader"));
        const Run owner = cli({QStringLiteral("report"), QStringLiteral("--csv-dir"), ownerDir,
                               QStringLiteral("--db"), q(uri)});
        QVERIFY2(owner.code == 0, owner.err.constData());
        {
            PgDb admin(uri);
            admin.exec("REVOKE EXECUTE ON FUNCTION pg_catalog.pg_export_snapshot() FROM PUBLIC");
        }
        const std::string reader = withUser(uri, "tl_reader");
        qputenv("PGPASSWORD", "secret-r");
        {
            std::string error;
            auto ws = Workspace::open(reader, Workspace::OpenMode::OpenExisting, &error);
            QVERIFY2(ws, error.c_str());
            QCOMPARE(ws->db().queryInt("SELECT has_function_privilege("
                                       "'pg_catalog.pg_export_snapshot()', 'EXECUTE')::int"),
                     int64_t(0));
            Transaction read(ws->db(), Transaction::Read);
            QVERIFY(!ws->openReader());
            QCOMPARE(ws->db().queryInt("SELECT COUNT(*) FROM calls"),
                     int64_t(m_fleet.count('\n') - 1));
            read.commit();
        }
        qunsetenv("PGPASSWORD");
        const Run r = cli({QStringLiteral("report"), QStringLiteral("--csv-dir"), readerDir,
                           QStringLiteral("--db"), q(reader)},
                          "secret-r");
        QVERIFY2(r.code == 0, r.err.constData());
        const QStringList files = QDir(ownerDir).entryList(QDir::Files, QDir::Name);
        QVERIFY(files.contains(QStringLiteral("anomalies.csv")));
        QCOMPARE(QDir(readerDir).entryList(QDir::Files, QDir::Name), files);
        for (const QString &name : files) {
            QFile a(ownerDir + QLatin1Char('/') + name), b(readerDir + QLatin1Char('/') + name);
            QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
            QVERIFY2(a.readAll() == b.readAll(), qPrintable(name));
        }
    }

    // Statements done with are deallocated in batches (a round trip each
    // was a third of a one-shot statement's): a long session's connection
    // holds a bounded number of prepared statements, not one per statement.
    void preparedStatementsStayBounded()
    {
        PgDb db(tltest::newServerDatabase());
        const auto held = [&] {
            return db.queryInt("SELECT COUNT(*) FROM pg_prepared_statements");
        };
        int64_t most = 0;
        for (int i = 0; i < 500; ++i) {
            Statement st(db, "SELECT ? + 1");
            st.bind(1, int64_t(i));
            QVERIFY(st.step());
            QCOMPARE(st.columnInt(0), int64_t(i + 1));
            most = std::max(most, held());
        }
        QVERIFY2(most <= 40, qPrintable(QString::number(most)));
        QVERIFY(most >= 2); // batched: some were held between batches
    }

    // The server ends the importing session half-way: the transaction is
    // gone, and so is every row of the file.
    void droppedConnectionRollsBack()
    {
        const std::string uri = tltest::newServerDatabase();
        const std::string dbName = uri.substr(uri.rfind('/') + 1);
        std::string error;
        auto ws = Workspace::open(uri, Workspace::OpenMode::CreateIfMissing, &error);
        QVERIFY2(ws, error.c_str());
        QVERIFY(Importer(*ws).importFile(fleetFile("base.csv", 0.0, 0.1)).ok);
        const QByteArray before = tltest::contentDigest(uri);
        std::atomic<bool> killed{false};
        std::thread killer([&] {
            PgDb admin(m_admin);
            for (int i = 0; i < 600 && !killed; ++i) {
                Statement st(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE datname = ? AND xact_start IS NOT NULL AND pid <> "
                                    "pg_backend_pid()");
                st.bind(1, dbName);
                killed = st.step();
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        });
        ImportOptions opt;
        // Slowed down, so that the end comes half-way through the file.
        opt.progress = [](const ImportProgress &) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            return true;
        };
        const FileImportResult r = Importer(*ws).importFile(fleetFile("big.csv", 0.1, 1.0), opt);
        killer.join();
        QVERIFY(killed);
        QVERIFY(!r.ok);
        QVERIFY2(QString::fromStdString(r.error).contains(QStringLiteral("127.0.0.1")),
                 r.error.c_str());
        QVERIFY2(QString::fromStdString(r.error).contains(QStringLiteral("nothing from this file")),
                 r.error.c_str());
        ws.reset();
        QCOMPARE(tltest::contentDigest(uri), before);
    }

    // `copy` both ways: every total identical to the nano-dollar.
    void copyBothWays()
    {
        QTemporaryDir dir;
        const std::string file = dir.filePath(QStringLiteral("src.db")).toStdString();
        QCOMPARE(cli({QStringLiteral("import"), QStringLiteral("--db"), q(file),
                      q(fleetFile("c.csv", 0.0, 1.0))})
                     .code,
                 0);
        const std::string uri = tltest::newServerDatabase();
        const Run there = cli({QStringLiteral("copy"), QStringLiteral("--from"), q(file),
                               QStringLiteral("--to"), q(uri)});
        QVERIFY2(there.code == 0, there.err.constData());
        const std::string back = dir.filePath(QStringLiteral("back.db")).toStdString();
        const Run again = cli({QStringLiteral("copy"), QStringLiteral("--from"), q(uri),
                               QStringLiteral("--to"), q(back)});
        QVERIFY2(again.code == 0, again.err.constData());
        for (const char *by : {"agent,day", "model,hour", "user", "task"}) {
            QByteArray outs[3];
            int i = 0;
            for (const std::string &db : {file, uri, back})
                outs[i++] = cli({QStringLiteral("summary"), QStringLiteral("--db"), q(db),
                                 QStringLiteral("--by"), QString::fromLatin1(by),
                                 QStringLiteral("--format"), QStringLiteral("csv")})
                                .out;
            QVERIFY(outs[0].size() > 100);
            QCOMPARE(outs[1], outs[0]);
            QCOMPARE(outs[2], outs[0]);
        }
        // New prices on both: the server's staged recompute (by COPY and
        // UPDATE … FROM, over cursor chunks) prices every call as the file's does.
        const QString catalog = dir.filePath(QStringLiteral("prices.json"));
        QCOMPARE(cli({QStringLiteral("prices"), QStringLiteral("export"), catalog,
                      QStringLiteral("--db"), q(file)})
                     .code,
                 0);
        {
            QFile f(catalog);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QJsonObject doc = QJsonDocument::fromJson(f.readAll()).object();
            QJsonArray models = doc.value(QStringLiteral("models")).toArray();
            for (qsizetype i = 0; i < models.size(); ++i) {
                QJsonObject m = models[i].toObject();
                m[QStringLiteral("output_per_mtok")] =
                    m.value(QStringLiteral("output_per_mtok")).toDouble() * 3;
                models[i] = m;
            }
            doc[QStringLiteral("models")] = models;
            f.close();
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(QJsonDocument(doc).toJson());
        }
        const QByteArray before3 =
            cli({QStringLiteral("summary"), QStringLiteral("--db"), q(file)}).out;
        for (const std::string &db : {file, uri})
            QCOMPARE(cli({QStringLiteral("prices"), QStringLiteral("import"), catalog,
                          QStringLiteral("--db"), q(db)})
                         .code,
                     0);
        const QStringList byTask = {QStringLiteral("summary"), QStringLiteral("--by"),
                                    QStringLiteral("task"),    QStringLiteral("--format"),
                                    QStringLiteral("csv"),     QStringLiteral("--db")};
        const QByteArray fileTasks = cli(byTask + QStringList{q(file)}).out;
        QCOMPARE(cli(byTask + QStringList{q(uri)}).out, fileTasks);
        QVERIFY(cli({QStringLiteral("summary"), QStringLiteral("--db"), q(file)}).out != before3);

        // a copy into a ledger that holds calls is refused, and writes nothing
        const QByteArray before = tltest::contentDigest(uri);
        const Run refused = cli({QStringLiteral("copy"), QStringLiteral("--from"), q(file),
                                 QStringLiteral("--to"), q(uri)});
        QCOMPARE(refused.code, 2);
        QVERIFY2(refused.err.contains("already holds"), refused.err.constData());
        QCOMPARE(tltest::contentDigest(uri), before);
        // the copy's new calls continue the ids (the sequences followed)
        QCOMPARE(cli({QStringLiteral("import"), QStringLiteral("--db"), q(uri),
                      q(tltest::writeFile(dir, QStringLiteral("one.csv"),
                                          "ts,model,input_tokens,output_tokens,request_id\n"
                                          "2025-11-20T10:00:00Z,gpt-4o,10,10,after-copy\n"))})
                     .code,
                 0);
        PgDb db(uri);
        QCOMPARE(db.queryInt("SELECT COUNT(DISTINCT id) - COUNT(*) FROM calls"), 0);
    }
};

QTEST_GUILESS_MAIN(TstServer)
#include "tst_server.moc"
