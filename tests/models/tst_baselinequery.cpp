// The simulator's input as the store extracts it: the same money as
// `summary`, arrival rates that add up to the calls, catalog prices, and the
// neutral scenario landing exactly on the baseline.
#include "baseline/baselinequery.h"
#include "core/timeutil.h"
#include "engine.h"
#include "store/workspace.h"
#include "testutil.h"

#include <QtTest>

using namespace tl;

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
        const std::string stray = tltest::writeFile(
            dir, QStringLiteral("stray.csv"),
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
