#include "core/timeutil.h"
#include "generate/fleetgenerator.h"
#include "import/importer.h"
#include "query/summaryquery.h"
#include "store/schema.h"
#include "store/workspace.h"
#include "testutil.h"

#include <QTest>

#include <map>

using namespace tl;

// Every grouping answers from a rollup yet adds up to the same totals as the
// calls table itself.
class TstSummaryQuery : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_ws;

private Q_SLOTS:
    void initTestCase()
    {
        FleetOptions o;
        o.agents = 12;
        o.days = 9;
        o.startDay = *parseDate("2026-03-01");
        o.callsPerDay = 3000;
        const std::string csv = m_dir.filePath(QStringLiteral("fleet.csv")).toStdString();
        std::string error;
        QVERIFY2(FleetGenerator(o).write(csv, nullptr, &error), error.c_str());
        m_ws = Workspace::open(tltest::workspaceTarget(m_dir, QStringLiteral("ws.db")),
                               Workspace::OpenMode::CreateIfMissing, &error);
        QVERIFY2(m_ws, error.c_str());
        FileImportResult r = Importer(*m_ws).importFile(csv);
        QVERIFY2(r.ok, r.error.c_str());
        QVERIFY(r.imported > 10000);
    }
    void groupings_data()
    {
        QTest::addColumn<QString>("by");
        QTest::addColumn<QString>("table");
        QTest::newRow("none") << ""
                              << "rollup_day";
        QTest::newRow("agent") << "agent"
                               << "rollup_day";
        QTest::newRow("team,feature,agent") << "team,feature,agent"
                                            << "rollup_day";
        QTest::newRow("model,day") << "model,day"
                                   << "rollup_day";
        QTest::newRow("provider,week") << "provider,week"
                                       << "rollup_day";
        QTest::newRow("team,month") << "team,month"
                                    << "rollup_day";
        QTest::newRow("model,hour") << "model,hour"
                                    << "rollup_hour";
        QTest::newRow("user") << "user"
                              << "rollup_user_day";
        QTest::newRow("user,day") << "user,day"
                                  << "rollup_user_day";
        QTest::newRow("user,team") << "user,team"
                                   << "calls";
        QTest::newRow("agent,hour") << "agent,hour"
                                    << "rollup_agent_hour";
        QTest::newRow("agent,model,team,feature,provider,hour")
            << "agent,model,team,feature,provider,hour"
            << "rollup_agent_hour"; // six keys: summed by SQL's GROUP BY, not the hash map
        QTest::newRow("task") << "task"
                              << "rollup_task_day";
        QTest::newRow("team,feature,agent,task,day") << "team,feature,agent,task,day"
                                                     << "rollup_task_day";
        QTest::newRow("task,model") << "task,model"
                                    << "calls";
        QTest::newRow("task,hour") << "task,hour"
                                   << "calls";
    }
    void groupings()
    {
        QFETCH(QString, by);
        QFETCH(QString, table);
        std::vector<GroupKey> groups;
        for (const QString &g : by.split(QLatin1Char(','), Qt::SkipEmptyParts))
            groups.push_back(*GroupKey::fromName(g.toStdString()));
        SummaryResult r = SummaryQuery::run(*m_ws, {}, groups);
        QCOMPARE(QString::fromStdString(r.table), table);
        Database &db = m_ws->db();
        QCOMPARE(r.totals[MRecords], db.queryInt("SELECT COUNT(*) FROM calls"));
        QCOMPARE(r.totals[MRequests], db.queryInt("SELECT SUM(requests) FROM calls"));
        QCOMPARE(r.totals[MInputTokens], db.queryInt("SELECT SUM(input_tokens) FROM calls"));
        QCOMPARE(r.totals[MCostNusd],
                 db.queryInt("SELECT SUM(COALESCE(reported_nusd, computed_nusd, 0)) FROM calls"));
        QCOMPARE(r.totals[MUnpricedRequests],
                 db.queryInt("SELECT COALESCE(SUM(requests), 0) FROM calls WHERE computed_nusd IS "
                             "NULL AND reported_nusd IS NULL"));
        Measures sum;
        for (const auto &row : r.rows) {
            sum += row.m;
            QCOMPARE(row.keys.size(), groups.size());
        }
        QCOMPARE(sum.v, r.totals.v);
        // Row by row, each group once and every measure the calls' own (a
        // window over all time reads the calls): a server sums by the stored
        // day or hour and the weeks, months or days of them are summed here.
        CallFilter window;
        window.windowMs = std::pair<int64_t, int64_t>{0, int64_t(1) << 62};
        const SummaryResult calls = SummaryQuery::run(*m_ws, window, groups);
        QCOMPARE(QString::fromStdString(calls.table), QStringLiteral("calls"));
        std::map<std::vector<int64_t>, Measures> expected;
        for (const auto &row : calls.rows)
            expected[row.keyValues] = row.m;
        QCOMPARE(r.rows.size(), expected.size());
        for (const auto &row : r.rows) {
            const auto it = expected.find(row.keyValues);
            QVERIFY2(it != expected.end(), row.keys.empty() ? "" : row.keys[0].c_str());
            QCOMPARE(row.m.v, it->second.v);
        }
    }
    // The drill into an agent's tasks reads rollup_task_day: every measure
    // of every task equals its calls' own, over part of the period.
    void tasksEqualTheirCalls()
    {
        Database &db = m_ws->db();
        const int64_t agent = db.queryInt("SELECT agent_id FROM calls GROUP BY agent_id ORDER BY "
                                          "COUNT(*) DESC, agent_id LIMIT 1");
        CallFilter f;
        f.include[Dimension::Agent] = {m_ws->dims().nameOf(Dimension::Agent, agent)};
        f.fromDay = *parseDate("2026-03-02");
        f.toDay = *parseDate("2026-03-06");
        const SummaryResult r = SummaryQuery::run(*m_ws, f, {*GroupKey::fromName("task")});
        QCOMPARE(r.table, std::string("rollup_task_day"));
        Statement st(db, "SELECT task_id, " + Schema::measureAggregatesSql() +
                             " FROM calls WHERE agent_id = ? AND day BETWEEN ? AND ? GROUP BY "
                             "task_id");
        st.bind(1, agent);
        st.bind(2, *f.fromDay);
        st.bind(3, *f.toDay);
        std::map<int64_t, Measures> want;
        while (st.step())
            for (int m = 0; m < MeasureCount; ++m)
                want[st.columnInt(0)][m] = st.columnInt(1 + m);
        QVERIFY(want.size() > 100);
        QCOMPARE(r.rows.size(), want.size());
        for (const SummaryRow &row : r.rows)
            QCOMPARE(row.m.v, want.at(row.keyValues[0]).v);
    }
    void dateRangeIsInclusive()
    {
        CallFilter f;
        f.fromDay = *parseDate("2026-03-03");
        f.toDay = *parseDate("2026-03-04");
        const int64_t expected =
            m_ws->db().queryInt("SELECT COUNT(*) FROM calls WHERE day BETWEEN " +
                                std::to_string(*f.fromDay) + " AND " + std::to_string(*f.toDay));
        QCOMPARE(SummaryQuery::run(*m_ws, f, {}).totals[MRecords], expected);
        QCOMPARE(SummaryQuery::run(*m_ws, f, {*GroupKey::fromName("hour")}).totals[MRecords],
                 expected);
        QCOMPARE(SummaryQuery::run(*m_ws, f, {*GroupKey::fromName("task")}).totals[MRecords],
                 expected);
        auto byDay = SummaryQuery::run(*m_ws, f, {*GroupKey::fromName("day")});
        QCOMPARE(int(byDay.rows.size()), 2);
        QCOMPARE(byDay.rows[0].keys[0], std::string("2026-03-03"));
    }
    void filterByName()
    {
        CallFilter f;
        f.include[Dimension::Team] = {"support"};
        auto r = SummaryQuery::run(*m_ws, f, {*GroupKey::fromName("team")});
        QVERIFY(r.rows.size() <= 1);
        for (const auto &row : r.rows)
            QCOMPARE(row.keys[0], std::string("support"));
        f.include[Dimension::Team] = {"no-such-team"};
        QCOMPARE(SummaryQuery::run(*m_ws, f, {}).totals[MRecords], 0);
    }
    void moneyFormatting()
    {
        QCOMPARE(formatUsd(1'234'567'890'123), std::string("$1,234.57"));
        QCOMPARE(formatUsd(4'999'999), std::string("$0.00"));
        QCOMPARE(formatUsd(5'000'000), std::string("$0.01"));
        QCOMPARE(formatUsd(-1'500'000'000), std::string("-$1.50"));
        QCOMPARE(nanoToDecimal(1'234'500'000'000), std::string("1234.5"));
        QCOMPARE(nanoToDecimal(750), std::string("0.00000075"));
        QCOMPARE(nanoToDecimal(-2'000'000'000), std::string("-2"));
    }
};

QTEST_GUILESS_MAIN(TstSummaryQuery)
#include "tst_summaryquery.moc"
