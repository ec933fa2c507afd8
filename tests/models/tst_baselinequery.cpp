// The simulator's input as the store extracts it: the same money as
// `summary`, arrival rates that add up to the calls, catalog prices, and the
// neutral scenario landing exactly on the baseline.
#include "baseline/baselinequery.h"
#include "core/timeutil.h"
#include "engine.h"
#include "import/importer.h"
#include "query/dayfactsquery.h"
#include "query/summaryquery.h"
#include "store/dayfactstable.h"
#include "store/workspace.h"
#include "testutil.h"

#include <QtTest>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

using namespace tl;

namespace {

std::unordered_map<int64_t, DayFacts> factsByAgent(Workspace &ws, const CallFilter &f, int64_t from,
                                                   int64_t to)
{
    auto facts = DayFactsQuery::byAgent(ws, f, from, to);
    if (!facts)
        qFatal("no facts");
    return *facts;
}

} // namespace

class TestBaselineQuery : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_ws;

private Q_SLOTS:
    void initTestCase()
    {
        const std::string path = tltest::generatedWorkspace(m_dir, 10, 10, 1500);
        std::string error;
        m_ws = Workspace::open(path, Workspace::OpenMode::OpenExisting, &error);
        QVERIFY2(m_ws, error.c_str());
    }

    void matchesSummary_data()
    {
        QTest::addColumn<QString>("dimension");
        QTest::addColumn<int>("fromOffset");
        QTest::newRow("everything") << QString() << 0;
        QTest::newRow("one team, later days") << QStringLiteral("team") << 3;
        QTest::newRow("one user (calls table)") << QStringLiteral("user") << 0;
        QTest::newRow("one agent") << QStringLiteral("agent") << 5;
    }

    void matchesSummary()
    {
        QFETCH(QString, dimension);
        QFETCH(int, fromOffset);
        const auto bounds = *dataDayBounds(*m_ws);
        CallFilter f;
        f.fromDay = bounds.first + fromOffset;
        f.toDay = bounds.second;
        if (!dimension.isEmpty()) {
            const auto dim = *dimensionFromName(dimension.toStdString());
            const auto names = tltest::names(*m_ws, dimension.toLatin1().constData());
            f.include[dim] = {names.first().toStdString()};
        }
        const Measures want = SummaryQuery::run(*m_ws, f, {}).totals;
        const auto b = BaselineQuery::load(*m_ws, f);
        QVERIFY(b);
        QVERIFY(!b->cells.empty());
        QCOMPARE(b->costNusd(), want[MCostNusd]); // exact nano-dollars
        double requests = 0, arrivals = 0, input = 0;
        for (const auto &c : b->cells) {
            requests += c.requests;
            input += c.inputTokens;
        }
        QCOMPARE(int64_t(requests), want[MRequests]);
        QCOMPARE(int64_t(input), want[MInputTokens]);
        // Rates are per day with data (a gap of empty days would dilute them).
        const double secondsPerHourOfDay = double(b->daysWithData()) * 3600;
        for (const auto &agent : b->agentCallsPerSecond)
            for (double rate : agent)
                arrivals += rate * secondsPerHourOfDay;
        QVERIFY(std::abs(arrivals - requests) < 1e-6 * requests);
        // Each agent's hours of day as the summary has them (a server sums
        // the hours by hour of day itself, a file in the client).
        const SummaryResult byHour =
            SummaryQuery::run(*m_ws, f,
                              {GroupKey{Dimension::Agent, TimeBucket::None},
                               GroupKey{std::nullopt, TimeBucket::Hour}});
        std::map<std::pair<std::string, int64_t>, double> perHourOfDay;
        for (const SummaryRow &row : byHour.rows)
            perHourOfDay[{row.keys[0], floorMod(row.keyValues[1], 24)}] += double(row.m[MRequests]);
        size_t agentsSeen = 0;
        for (size_t a = 0; a < b->agents.size() && a < b->agentCallsPerSecond.size(); ++a) {
            for (int64_t h = 0; h < 24; ++h) {
                const double got = b->agentCallsPerSecond[a][size_t(h)] * secondsPerHourOfDay;
                const double want = perHourOfDay[{b->agents[a], h}];
                QVERIFY2(std::abs(got - want) < 1e-6 * std::max(want, 1.0),
                         qPrintable(QStringLiteral("%1 at %2h: %3 calls, the summary's %4")
                                        .arg(QString::fromStdString(b->agents[a]))
                                        .arg(h)
                                        .arg(got)
                                        .arg(want)));
            }
            ++agentsSeen;
        }
        QVERIFY(agentsSeen > 0);
        QVERIFY(b->promptRepeatRate);
        QVERIFY(*b->promptRepeatRate > 0 && *b->promptRepeatRate < 1);

        // The neutral scenario: baseline LLM cost is summary's, and the
        // scenario is the baseline.
        const sim::Engine e(*b);
        const auto r = e.run(sim::Scenario{});
        QVERIFY(std::abs(r.baseline.llmUsd - double(want[MCostNusd]) * 1e-9) < 1e-6);
        QCOMPARE(r.scenario.totalUsd(), r.baseline.totalUsd());
    }

    void modelsCarryCatalogPricesAndQuality()
    {
        const auto b = BaselineQuery::load(*m_ws, CallFilter{});
        QVERIFY(b);
        // gpt-4o-mini is in the built-in catalog: $0.15 / $0.60 per Mtok.
        const int i = b->modelIndex("gpt-4o-mini");
        QVERIFY(i >= 0);
        const auto &m = b->models[size_t(i)];
        QVERIFY(m.priced);
        QVERIFY(std::abs(m.input * 1e6 - 0.15) < 1e-9);
        QVERIFY(std::abs(m.output * 1e6 - 0.60) < 1e-9);
        QVERIFY(std::abs(m.batchInput * 1e6 - 0.075) < 1e-9);
        // Logged models have an observed success rate; catalog-only ones not.
        int withQuality = 0;
        for (const auto &c : b->cells)
            if (b->models[c.model].observedQuality)
                ++withQuality;
        QCOMPARE(withQuality, int(b->cells.size()));
        QVERIFY(b->models.size() > 20); // the whole catalog is routable
    }

    void filterForScenarios()
    {
        sim::BaselineSpec spec;
        std::vector<std::string> notes;
        CallFilter f = BaselineQuery::filterFor(*m_ws, spec, &notes);
        const auto bounds = *dataDayBounds(*m_ws);
        QCOMPARE(*f.toDay, bounds.second);
        QCOMPARE(*f.fromDay, bounds.second - 29);
        QCOMPARE(notes.size(), size_t(1));
        QVERIFY(notes[0].find("last 30 days") != std::string::npos);

        spec.from = "2025-11-09";
        spec.to = "2025-11-12";
        spec.filter["team"] = {"support"};
        spec.workspace = BaselineQuery::workspaceId(*m_ws);
        notes.clear();
        f = BaselineQuery::filterFor(*m_ws, spec, &notes);
        QVERIFY(notes.empty());
        QCOMPARE(*f.fromDay, *parseDate("2025-11-09"));
        QCOMPARE(f.include.at(Dimension::Team), std::vector<std::string>{"support"});
        // The id is stable across opens.
        QCOMPARE(BaselineQuery::workspaceId(*m_ws), spec.workspace);

        spec.workspace = "someone-elses";
        f = BaselineQuery::filterFor(*m_ws, spec, &notes);
        QCOMPARE(notes.size(), size_t(1));
        QVERIFY(notes[0].find("re-based on this workspace") != std::string::npos);
    }

    void repeatRateAndArrivalsByHand()
    {
        // Prompt A at 10:00, again at 11:00 (a repeat), again 30 h later (too
        // late for the 24 h TTL); B once; one call without a hash.
        QTemporaryDir dir;
        const std::string csv =
            tltest::writeFile(dir, QStringLiteral("calls.csv"),
                              "ts,model,input_tokens,output_tokens,agent,prompt_hash\n"
                              "2026-03-02T10:00:00Z,gpt-4o-mini,100,10,a,A\n"
                              "2026-03-02T11:00:00Z,gpt-4o-mini,100,10,a,A\n"
                              "2026-03-03T17:00:00Z,gpt-4o-mini,100,10,b,A\n"
                              "2026-03-02T10:30:00Z,gpt-4o-mini,100,10,b,B\n"
                              "2026-03-03T10:30:00Z,gpt-4o-mini,100,10,b,\n");
        auto ws = tltest::openWorkspace(dir);
        QVERIFY(Importer(*ws).importFile(csv).ok);
        const auto b = BaselineQuery::load(*ws, CallFilter{});
        QVERIFY(b);
        QCOMPARE(b->days(), 2.0);
        QVERIFY(b->promptRepeatRate);
        QCOMPARE(*b->promptRepeatRate, 0.25); // 1 repeat among 4 hashed calls
        // Agent a: two calls at 10h and 11h over two days of 3,600 s each hour.
        const int a = b->agents[0] == "a" ? 0 : 1;
        QCOMPARE(b->agentCallsPerSecond[size_t(a)][10], 1.0 / (2 * 3600));
        QCOMPARE(b->agentCallsPerSecond[size_t(a)][11], 1.0 / (2 * 3600));
        QCOMPARE(b->agentCallsPerSecond[size_t(a)][12], 0.0);
    }

    void periodIsClampedToTheData()
    {
        // Ten days before the data began add no empty days to the baseline:
        // they would dilute every monthly figure.
        const auto bounds = *dataDayBounds(*m_ws);
        CallFilter f;
        f.fromDay = bounds.first - 10;
        f.toDay = bounds.second + 3;
        const auto b = BaselineQuery::load(*m_ws, f);
        QVERIFY(b);
        QCOMPARE(b->fromDay, bounds.first);
        QCOMPARE(b->toDay, bounds.second);
        QCOMPARE(b->costNusd(), SummaryQuery::run(*m_ws, f, {}).totals[MCostNusd]);
    }

    // Three stray calls months before the rest: the month is computed from
    // the days that carry data, not from the calendar span (a month of
    // ~$5,430 read $734 before), and the gap is known.
    void strayOldCallsDoNotDiluteTheMonth()
    {
        QTemporaryDir dir;
        const std::string fleet = tltest::generatedWorkspace(dir, 10, 30, 1500, 20'600);
        auto ws = tltest::openExisting(fleet);
        const CallFilter all;
        const auto clean = BaselineQuery::load(*ws, all);
        const sim::Engine before(*clean);
        const sim::Scenario neutral;
        const double month = before.run(neutral).monthly.front().baseline.llmUsd;
        QVERIFY(month > 0);
        const std::string stray =
            tltest::writeFile(dir, QStringLiteral("stray.csv"),
                              "ts,model,input_tokens,output_tokens,agent,request_id\n"
                              "2025-12-01T10:00:00Z,gpt-4o-mini,100,10,old,s1\n"
                              "2025-12-02T10:00:00Z,gpt-4o-mini,100,10,old,s2\n"
                              "2026-01-15T10:00:00Z,gpt-4o-mini,100,10,old,s3\n");
        QVERIFY(Importer(*ws).importFile(stray).ok);
        const auto b = BaselineQuery::load(*ws, all);
        QCOMPARE(b->daysWithData(), int64_t(33));
        QVERIFY(b->days() > 200); // the span, first stray call to the last day
        const sim::Engine after(*b);
        QCOMPARE(after.workload().days(), 33.0);
        QCOMPARE(after.workload().daysWithoutData(), int64_t(b->days()) - 33);
        const double strayMonth = after.run(neutral).monthly.front().baseline.llmUsd;
        // 3 tiny calls added, over 33 days instead of 30: within 10%, not 7x off.
        QVERIFY2(std::abs(strayMonth - month * 30.0 / 33.0) < 0.01 * month,
                 qPrintable(QStringLiteral("%1 vs %2").arg(strayMonth).arg(month)));
        // Arrival rates rest on the same days.
        double perSecond = 0;
        for (const auto &hours : b->agentCallsPerSecond)
            for (double r : hours)
                perSecond += r * 3600;
        double calls = 0;
        for (const auto &c : b->cells)
            calls += c.requests;
        QVERIFY(std::abs(perSecond * 33 - calls) < 1e-6 * calls);
    }

    // The facts the import keeps (agent_day_facts) equal a count of the
    // calls by the same rule, day by day: a recount that carries one day's
    // answers to the next, or reads the day before, must not drift.
    void dayFactsEqualACountOfTheCalls()
    {
        const auto bounds = *dataDayBounds(*m_ws);
        DayFacts all;
        for (int64_t day = bounds.first; day <= bounds.second; ++day) {
            std::map<FactKey, DayFacts> stored;
            Statement st(m_ws->db(), "SELECT agent_id, team_id, feature_id, hashed_calls, repeats, "
                                     "batch_requests, success_calls, success_input_tokens, tasks, "
                                     "calls_in_tasks, tasks_over_five_calls, retried_failures, "
                                     "retried_failure_nusd FROM agent_day_facts WHERE day = ?");
            st.bind(1, day);
            while (st.step()) {
                std::array<int64_t, 10> v{};
                for (size_t i = 0; i < v.size(); ++i)
                    v[i] = st.columnInt(int(i + 3));
                stored[{day, st.columnInt(0), st.columnInt(1), st.columnInt(2)}] = dayFactsFrom(v);
            }
            const auto counted = DayFactsTable::countFromCalls(m_ws->db(), day, day, {});
            QCOMPARE(stored.size(), counted.size());
            for (const auto &[key, f] : counted) {
                QVERIFY2(stored.count(key) && stored.at(key) == f,
                         qPrintable(QStringLiteral("day %1 agent %2").arg(day).arg(key.agent)));
                all += f;
            }
        }
        // The generated fleet has every kind of fact to get wrong.
        QVERIFY(all.repeats > 0 && all.repeats < all.hashedCalls);
        QVERIFY(all.retriedFailures > 0 && all.retriedFailureNusd > 0);
        QVERIFY(all.tasks > 0 && all.callsInTasks > all.tasks);
        QVERIFY(all.successCalls > 0); // (it sends no batches: the by-hand test has them)
        QCOMPARE(m_ws->db().queryInt("SELECT COUNT(*) FROM facts_dirty"), int64_t(0));
        // A filter the table has no key for (a model) counts its own calls:
        // the fleet's facts are the sum of its models'. A team's, read from
        // the table, equal a count of its calls.
        CallFilter period;
        period.fromDay = bounds.first;
        period.toDay = bounds.second;
        DayFacts fleet;
        for (const auto &[agent, facts] : factsByAgent(*m_ws, period, bounds.first, bounds.second))
            fleet += facts;
        QCOMPARE(fleet, all);
        DayFacts byModels;
        for (const QString &model : tltest::names(*m_ws, "model")) {
            CallFilter f = period;
            f.include[Dimension::Model] = {model.toStdString()};
            QVERIFY(!DayFactsQuery::fromTable(f));
            for (const auto &[agent, facts] : factsByAgent(*m_ws, f, bounds.first, bounds.second))
                byModels += facts;
        }
        // Every call has one model: the calls' own counts add up exactly.
        QCOMPARE(byModels.hashedCalls, fleet.hashedCalls);
        QCOMPARE(byModels.successCalls, fleet.successCalls);
        QVERIFY(byModels.repeats > 0);
        for (const QString &team : tltest::names(*m_ws, "team")) {
            CallFilter f = period;
            f.include[Dimension::Team] = {team.toStdString()};
            QVERIFY(DayFactsQuery::fromTable(f));
            const auto table = factsByAgent(*m_ws, f, bounds.first, bounds.second);
            std::unordered_map<int64_t, DayFacts> counted;
            for (const auto &[key, facts] : DayFactsTable::countFromCalls(
                     m_ws->db(), bounds.first, bounds.second,
                     " AND team_id = " +
                         std::to_string(m_ws->dims().find(Dimension::Team, team.toStdString()))))
                counted[key.agent] += facts;
            QVERIFY(!table.empty());
            QVERIFY(table == counted);
        }
    }

    // Repeats, retries and batch use by hand, with the later day's file
    // imported first: the earlier file's import recounts the day after it,
    // whose first call repeats an answer of the evening before.
    void dayFactsByHandInEitherOrder()
    {
        QTemporaryDir dir;
        const QByteArray header =
            "ts,model,input_tokens,output_tokens,cost_usd,agent,task_id,status,outcome,batch,"
            "prompt_hash\n";
        const QByteArray earlyRows =
            "2026-03-02T20:00:00Z,gpt-4o-mini,100,10,0.01,a,t1,ok,success,0,P\n"
            "2026-03-02T20:30:00Z,gpt-4o-mini,100,10,0.01,a,t1,error,,0,P\n"
            "2026-03-02T21:00:00Z,gpt-4o-mini,100,10,0.01,b,t9,ok,success,0,P\n";
        const QByteArray lateRows =
            "2026-03-03T09:00:00Z,gpt-4o-mini,200,10,0.01,a,t2,ok,success,0,P\n"
            "2026-03-03T09:05:00Z,gpt-4o-mini,100,10,0.02,a,t2,error,,0,Q\n"
            "2026-03-03T09:06:00Z,gpt-4o-mini,300,10,0.01,a,t2,ok,success,0,Q\n"
            "2026-03-03T10:00:00Z,gpt-4o-mini,100,10,0.01,a,t3,ok,,1,R\n"
            "2026-03-03T10:00:00Z,gpt-4o-mini,101,10,0.01,a,t3,ok,,1,R\n";
        const std::string early =
            tltest::writeFile(dir, QStringLiteral("early.csv"), header + earlyRows);
        const std::string late =
            tltest::writeFile(dir, QStringLiteral("late.csv"), header + lateRows);
        auto ws = tltest::openWorkspace(dir);
        const int64_t day1 = *parseDate("2026-03-02"), day2 = day1 + 1;
        const auto facts = [&](int64_t day, const char *agent) {
            const auto all = factsByAgent(*ws, CallFilter{}, day, day);
            const auto it = all.find(ws->dims().find(Dimension::Agent, agent));
            return it == all.end() ? DayFacts{} : it->second;
        };
        QVERIFY(Importer(*ws).importFile(late).ok);
        QCOMPARE(facts(day2, "a").repeats, int64_t(0)); // nothing before it yet
        QVERIFY(Importer(*ws).importFile(early).ok);

        DayFacts a1 = facts(day1, "a");
        QCOMPARE(a1.hashedCalls, int64_t(2));
        QCOMPARE(a1.repeats, int64_t(1)); // the failed retry asked what 20:00 answered
        QCOMPARE(a1.successCalls, int64_t(1));
        QCOMPARE(a1.successInputTokens, int64_t(100));
        QCOMPARE(a1.tasks, int64_t(1));
        QCOMPARE(a1.callsInTasks, int64_t(2));
        QCOMPARE(a1.retriedFailures, int64_t(0)); // the task's last call failed: not retried
        const DayFacts b1 = facts(day1, "b");
        QCOMPARE(b1.hashedCalls, int64_t(1));
        QCOMPARE(b1.repeats, int64_t(0)); // another agent's answer is not its own
        const DayFacts a2 = facts(day2, "a");
        QCOMPARE(a2.hashedCalls, int64_t(5));
        // P repeats the evening before; Q's first ask failed, so its second
        // is no repeat; the two R of one millisecond do not answer each other.
        QCOMPARE(a2.repeats, int64_t(1));
        QCOMPARE(a2.batchRequests, int64_t(2));
        QCOMPARE(a2.successCalls, int64_t(2));
        QCOMPARE(a2.successInputTokens, int64_t(500));
        QCOMPARE(a2.tasks, int64_t(2));
        QCOMPARE(a2.callsInTasks, int64_t(5));
        QCOMPARE(a2.retriedFailures, int64_t(1));
        QCOMPARE(a2.retriedFailureNusd, int64_t(20'000'000)); // the failed Q, $0.02

        // The same files in the other order, and in one import, agree.
        QTemporaryDir other;
        auto ws2 = tltest::openWorkspace(other);
        const std::string both =
            tltest::writeFile(other, QStringLiteral("both.csv"), header + lateRows + earlyRows);
        QVERIFY(Importer(*ws2).importFile(both).ok);
        for (int64_t day : {day1, day2}) {
            const auto x = factsByAgent(*ws, CallFilter{}, day, day);
            const auto y = factsByAgent(*ws2, CallFilter{}, day, day);
            QCOMPARE(x.size(), y.size());
            for (const auto &[id, f] : x)
                QVERIFY(y.at(ws2->dims().find(Dimension::Agent,
                                              ws->dims().nameOf(Dimension::Agent, id))) == f);
        }
    }

    // What an import counts as its calls stream past (DayFactsStream)
    // equals a recount of every day from the store, whatever the files'
    // order; and only what the stream cannot decide is recounted. Each day
    // has two agents' thirty tasks, prompts repeated, failures retried, and
    // a cheap task at 23:50 that goes on at 00:05: below each day's 25
    // costliest, it is kept only because it has calls the day before or
    // after.
    void streamedFactsEqualARecount_data()
    {
        QTest::addColumn<QString>("files"); // each file's days, in the file's order
        QTest::addColumn<int>("jitter");    // a day's 23:50 call: 1 after the next day's 00:05,
                                            // 2 after its noon (an hour late: recounted)
        QTest::addColumn<bool>("salted");   // files differ: an overlap adds calls
        QTest::addColumn<int>("recounted"); // by the last file's import
        QTest::newRow("in time order") << "1,2,3,4" << 0 << false << 0;
        QTest::newRow("across midnight out of order") << "1,2,3,4" << 1 << false << 0;
        QTest::newRow("a call hours late") << "1,2,3,4" << 2 << false << 6; // days 0-5
        QTest::newRow("a day without calls") << "1,2,4,5" << 0 << false << 0;
        QTest::newRow("after days held") << "1,2;3,4" << 1 << false << 1;  // day 2's tasks
        QTest::newRow("before days held") << "3,4;1,2" << 0 << false << 2; // days 2, 3
        QTest::newRow("a day before days held") << "4,5;1,2" << 0 << false << 0;
        QTest::newRow("a re-export overlapping a day") << "1,2;2,3,4" << 0 << false << 1;
        // A first day that held calls and the day before are recounted;
        // day 3 looks back on all of day 2's calls, stored and new.
        QTest::newRow("new calls on a day held") << "1,2;2,3,4" << 0 << true << 2;
        QTest::newRow("a log rotated during a day held") << "1,2;2+,3,4" << 0 << true << 2;
        QTest::newRow("… crossing midnight out of order") << "1,2;2+,3,4" << 1 << true << 2;
        QTest::newRow("a file of one day held") << "1,2,3;2+" << 0 << true << 3;
        // A later day that held calls: days 0-3 and 1-5 recounted.
        QTest::newRow("then a day held") << "2,3;1,2" << 0 << true << 4;
        QTest::newRow("a new day, then a day held") << "3;2,3,4" << 0 << true << 5;
        QTest::newRow("out of order by days") << "3,4,1,2" << 0 << false << 6;
        QTest::newRow("over a day held") << "3;1,2,4,5" << 0 << false << 7;
    }

    void streamedFactsEqualARecount()
    {
        QFETCH(QString, files);
        QFETCH(int, jitter);
        QFETCH(bool, salted);
        QFETCH(int, recounted);
        const QByteArray header = "ts,model,input_tokens,output_tokens,cost_usd,agent,team,task_id,"
                                  "status,outcome,prompt_hash\n";
        const auto row = [](int day, const char *time, int input, const QString &cost,
                            const char *agent, const QString &task, bool failed,
                            const QString &prompt) {
            return QStringLiteral("2026-03-%1T%2Z,gpt-4o-mini,%3,10,%4,%5,team-%5,%6,%7,%8,%9\n")
                .arg(day, 2, 10, QLatin1Char('0'))
                .arg(QLatin1String(time))
                .arg(input)
                .arg(cost)
                .arg(QLatin1String(agent))
                .arg(task)
                .arg(QLatin1String(failed ? "error" : "ok"))
                .arg(QLatin1String(failed ? "" : "success"))
                .arg(prompt)
                .toLatin1();
        };
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        FileImportResult last;
        std::set<int> held;
        int salt = 0;
        for (const QString &file : files.split(QLatin1Char(';'))) {
            QByteArray csv = header, lateCall;
            int previous = -1;
            for (QString d : file.split(QLatin1Char(','))) {
                // "2+": the afternoon only (a log rotated at noon).
                const bool afternoon = d.endsWith(QLatin1Char('+'));
                if (afternoon)
                    d.chop(1);
                const int day = d.toInt();
                const int input = 100 + salt;
                const QByteArray first =
                    row(day, "00:05:00", input, QStringLiteral("1.50"), "a",
                        QStringLiteral("n%1").arg(day - 1), false, QStringLiteral("P"));
                // The day before's last call, logged after this day's first.
                // An hour late or more: after this day's noon calls.
                QByteArray lateAfterNoon;
                if (jitter == 2 && previous == day - 1 && !afternoon)
                    std::swap(lateAfterNoon, lateCall);
                csv += afternoon             ? lateCall
                       : previous == day - 1 ? first + lateCall
                                             : lateCall + first;
                lateCall.clear();
                held.insert(day);
                // Agent b answers prompt Q at 20:00 each day, and at 00:30 on odd
                // days; on even days it asks it again at 10:00: a repeat of the
                // day before's last answer only (its first is 33.5 hours before).
                const auto q = [&](const char *time, char which) {
                    return row(day, time, input, QStringLiteral("2.00"), "b",
                               QStringLiteral("q%1%2").arg(day).arg(QLatin1Char(which)), false,
                               QStringLiteral("Q"));
                };
                if (!afternoon)
                    csv += day % 2 ? q("00:30:00", 'a') : q("10:00:00", 'b');
                for (const char *agent : {"a", "b"})
                    for (int i = afternoon ? 15 : 0; i < 30; ++i) {
                        const QString task =
                            QStringLiteral("k%1%2-%3").arg(day).arg(QLatin1String(agent)).arg(i);
                        const QString time =
                            QStringLiteral("12:%1:00").arg(i, 2, 10, QLatin1Char('0'));
                        const QString prompt = QStringLiteral("P%1").arg(i % 4);
                        const QString cost = QStringLiteral("1.%1").arg(i, 2, 10, QLatin1Char('0'));
                        if (i % 7 == 0)
                            csv +=
                                row(day,
                                    qPrintable(
                                        QStringLiteral("11:%1:00").arg(i, 2, 10, QLatin1Char('0'))),
                                    input, cost, agent, task, true, prompt);
                        csv += row(day, qPrintable(time), input, cost, agent, task, false, prompt);
                    }
                csv += lateAfterNoon + q("20:00:00", 'c');
                const QByteArray night =
                    row(day, "23:50:00", input, QStringLiteral("0.10"), "a",
                        QStringLiteral("n%1").arg(day), true, QStringLiteral("P"));
                if (jitter > 0)
                    lateCall = night;
                else
                    csv += night;
                previous = day;
            }
            csv += lateCall;
            last = Importer(*ws).importFile(
                tltest::writeFile(dir, QStringLiteral("f%1.csv").arg(salt), csv));
            QVERIFY2(last.ok, last.error.c_str());
            salt += salted ? 1 : 0;
        }
        QCOMPARE(last.factDaysRecounted, int64_t(recounted));
        QCOMPARE(ws->db().queryInt("SELECT COUNT(*) FROM facts_dirty"), int64_t(0));
        const auto rows = [&](const char *sql) {
            QStringList out;
            Statement st(ws->db(), sql);
            while (st.step()) {
                QStringList cells;
                for (int i = 0; i < st.columnCount(); ++i)
                    cells << QString::number(st.columnInt(i));
                out << cells.join(QLatin1Char(' '));
            }
            return out;
        };
        const char *factsSql = "SELECT * FROM agent_day_facts ORDER BY day, agent_id, team_id, "
                               "feature_id";
        const char *tasksSql = "SELECT * FROM agent_day_tasks ORDER BY day, task_id";
        const QStringList facts = rows(factsSql), tasks = rows(tasksSql);
        {
            Transaction tx(ws->db());
            ws->db().exec("DELETE FROM agent_day_facts");
            ws->db().exec("DELETE FROM agent_day_tasks");
            DayFactsTable::markAllDirty(ws->db());
            DayFactsTable::refresh(ws->db());
            tx.commit();
        }
        QCOMPARE(facts, rows(factsSql));
        QCOMPARE(tasks, rows(tasksSql));
        // A cheap night task is kept on its first day when the next day
        // has calls (the stream must hand it that day's tasks), and the
        // facts have repeats and retries to get wrong.
        const int64_t nights = std::count_if(held.begin(), held.end(),
                                             [&](int day) { return held.count(day + 1) > 0; });
        QCOMPARE(ws->db().queryInt("SELECT COUNT(*) FROM agent_day_tasks WHERE cost_nusd = "
                                   "100000000 * calls"),
                 nights);
        QVERIFY(ws->db().queryInt("SELECT SUM(repeats) FROM agent_day_facts") > 0);
        QVERIFY(ws->db().queryInt("SELECT SUM(retried_failures) FROM agent_day_facts") > 0);
    }

    // A cancel after the stream has written some days' facts (inside the
    // import's transaction) leaves the workspace exactly as it was.
    void cancelAfterStreamedDaysRollsBack()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const QByteArray header = "ts,model,input_tokens,output_tokens,agent,task_id,prompt_hash\n";
        QVERIFY(Importer(*ws)
                    .importFile(tltest::writeFile(
                        dir, QStringLiteral("base.csv"),
                        header + "2026-02-20T10:00:00Z,gpt-4o-mini,100,10,a,t0,P\n"))
                    .ok);
        const QByteArray before = tltest::contentDigest(ws->path());
        QByteArray csv = header;
        for (int i = 0; i < 40'000; ++i) // ten days from March 1st, 4,000 calls each
            csv += QStringLiteral("2026-03-%1T%2:%3:%4Z,gpt-4o-mini,100,10,a%5,t%6,P%7\n")
                       .arg(1 + i / 4000, 2, 10, QLatin1Char('0'))
                       .arg(i % 4000 / 200, 2, 10, QLatin1Char('0'))
                       .arg(i % 200 / 4, 2, 10, QLatin1Char('0'))
                       .arg(i % 4 * 10, 2, 10, QLatin1Char('0'))
                       .arg(i % 5)
                       .arg(i / 3)
                       .arg(i % 50)
                       .toLatin1();
        int64_t daysWritten = 0;
        ImportOptions opt;
        opt.progress = [&](const ImportProgress &p) {
            if (p.records < 24'000)
                return true;
            daysWritten = ws->db().queryInt("SELECT COUNT(DISTINCT day) FROM agent_day_facts");
            return false;
        };
        const auto r =
            Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("m.csv"), csv), opt);
        QVERIFY(r.cancelled);
        QVERIFY2(daysWritten >= 3, qPrintable(QString::number(daysWritten))); // base + streamed
        QCOMPARE(tltest::contentDigest(ws->path()), before);
    }

    // The report's top tasks from the kept ones: a task that runs past
    // midnight is summed over both days even when its first day's part is
    // too cheap to be among that day's 25 costliest (and the first day is
    // recounted when the second day's file lands).
    void topTasksAcrossMidnight()
    {
        QTemporaryDir dir;
        const QByteArray header = "ts,model,input_tokens,output_tokens,cost_usd,agent,task_id\n";
        QByteArray day1 = header;
        for (int i = 1; i <= 30; ++i)
            day1 += QStringLiteral("2026-03-02T12:00:%1Z,gpt-4o-mini,100,10,1.00,a,k%2\n")
                        .arg(i, 2, 10, QLatin1Char('0'))
                        .arg(i)
                        .toLatin1();
        day1 += "2026-03-02T23:50:00Z,gpt-4o-mini,100,10,0.10,a,x\n";
        const QByteArray day2 = header + "2026-03-03T00:10:00Z,gpt-4o-mini,100,10,1.50,a,x\n"
                                         "2026-03-03T09:00:00Z,gpt-4o-mini,100,10,0.50,a,y\n";
        auto ws = tltest::openWorkspace(dir);
        QVERIFY(Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("1.csv"), day1)).ok);
        QVERIFY(Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("2.csv"), day2)).ok);
        CallFilter f;
        f.fromDay = *parseDate("2026-03-02");
        f.toDay = *f.fromDay + 1;
        const auto kept = DayFactsQuery::topTasks(*ws, f, 25);
        QVERIFY(kept);
        QCOMPARE(kept->size(), size_t(25));
        const int64_t x = ws->dims().find(Dimension::Task, "x");
        QCOMPARE(kept->front().task, x);
        QCOMPARE(kept->front().calls, int64_t(2));
        QCOMPARE(kept->front().nusd, int64_t(1'600'000'000));
        // Then the 24 costliest of the thirty $1 tasks, by task id: as the calls rank them.
        Statement st(ws->db(), "SELECT task_id, COUNT(*), SUM(COALESCE(reported_nusd, "
                               "computed_nusd, 0)) FROM calls GROUP BY task_id, agent_id "
                               "ORDER BY 3 DESC, 1 LIMIT 25");
        for (const auto &t : *kept) {
            QVERIFY(st.step());
            QCOMPARE(t.task, st.columnInt(0));
            QCOMPARE(t.calls, st.columnInt(1));
            QCOMPARE(t.nusd, st.columnInt(2));
        }
        // A filter the table has no key for, or a day waiting for its
        // recount, leaves it to the calls.
        CallFilter byModel = f;
        byModel.include[Dimension::Model] = {"gpt-4o-mini"};
        QVERIFY(!DayFactsQuery::topTasks(*ws, byModel, 25));
        ImportOptions defer;
        defer.deferFacts = true;
        QVERIFY(Importer(*ws)
                    .importFile(tltest::writeFile(dir, QStringLiteral("3.csv"),
                                                  header + "2026-03-03T10:00:00Z,gpt-4o-mini,"
                                                           "100,10,9,a,z\n"),
                                defer)
                    .ok);
        QVERIFY(!DayFactsQuery::topTasks(*ws, f, 25));
    }

    // A writer that defers the recount (the live collector) leaves its days
    // marked; readers count them from the calls, so nothing reads stale.
    void deferredFactsAreCountedFromTheCalls()
    {
        QTemporaryDir dir;
        const std::string fleet = tltest::generatedWorkspace(dir, 4, 3, 400, 20'600);
        auto ws = tltest::openExisting(fleet);
        const auto bounds = *dataDayBounds(*ws);
        const auto sum = [&] {
            DayFacts all;
            for (const auto &[agent, f] :
                 factsByAgent(*ws, CallFilter{}, bounds.first, bounds.second + 1))
                all += f;
            return all;
        };
        const DayFacts before = sum();
        const std::string more =
            tltest::writeFile(dir, QStringLiteral("more.csv"),
                              "ts,model,input_tokens,output_tokens,agent,prompt_hash,request_id\n"
                              "2026-05-01T10:00:00Z,gpt-4o-mini,100,10,late-agent,Z,m1\n"
                              "2026-05-01T10:05:00Z,gpt-4o-mini,100,10,late-agent,Z,m2\n");
        ImportOptions opt;
        opt.deferFacts = true;
        const auto r = Importer(*ws).importFile(more, opt);
        QVERIFY2(r.ok, r.error.c_str());
        QVERIFY(ws->db().queryInt("SELECT COUNT(*) FROM facts_dirty") > 0);
        const int64_t day = *parseDate("2026-05-01");
        const auto pending = factsByAgent(*ws, CallFilter{}, day, day);
        QCOMPARE(pending.size(), size_t(1));
        QCOMPARE(pending.begin()->second.repeats, int64_t(1));
        {
            Transaction tx(ws->db());
            QVERIFY(DayFactsTable::refresh(ws->db()) > 0);
            tx.commit();
        }
        QCOMPARE(ws->db().queryInt("SELECT COUNT(*) FROM facts_dirty"), int64_t(0));
        QVERIFY(factsByAgent(*ws, CallFilter{}, day, day) == pending);
        QVERIFY(sum() == before); // the fleet's own days are untouched
    }

    // A filter the facts have no key for counts the calls, and a Cancel
    // stops it there.
    void cancelStopsCountingTheCalls()
    {
        CallFilter f; // every model: all the calls, through the calls table
        for (const QString &m : tltest::names(*m_ws, "model"))
            f.include[Dimension::Model].push_back(m.toStdString());
        int asked = 0;
        const auto bounds = *dataDayBounds(*m_ws);
        QVERIFY(!DayFactsQuery::byAgent(*m_ws, f, bounds.first, bounds.second, [&](int64_t) {
            ++asked;
            return false;
        }));
        QCOMPARE(asked, 1);
        QVERIFY(!BaselineQuery::load(*m_ws, f, [](int64_t, int64_t) { return false; }));
        QVERIFY(BaselineQuery::load(*m_ws, f, [](int64_t, int64_t) { return true; }));
    }

    void cancelStopsTheScan()
    {
        int calls = 0;
        const auto b = BaselineQuery::load(*m_ws, CallFilter{}, [&](int64_t, int64_t) {
            ++calls;
            return false;
        });
        QVERIFY(!b);
        QCOMPARE(calls, 1);
    }
};

QTEST_GUILESS_MAIN(TestBaselineQuery)
#include "tst_baselinequery.moc"
