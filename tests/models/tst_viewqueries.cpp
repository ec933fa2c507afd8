// The queries and item models behind the desktop app's views, on a real
// generated workspace: drill-down sums, request paging, detail, exports,
// the price table, chart thinning and the query runner's stale-result rule.
#include "testutil.h"

#include "anomaly/anomalyquery.h"
#include "query/coverage.h"

#include "budgets/budgetevaluator.h"
#include "core/seriesthinning.h"
#include "core/timeutil.h"
#include "export/requestcsvexport.h"
#include "export/tablecsvexport.h"
#include "import/importer.h"
#include "import/recordpreparer.h"
#include "items/drillsortproxy.h"
#include "items/drilltreemodel.h"
#include "items/pricetablemodel.h"
#include "items/queryrunner.h"
#include "items/roles.h"
#include "query/drillquery.h"
#include "query/namequery.h"
#include "query/overviewquery.h"
#include "query/requestquery.h"

#include <QDate>
#include <QSignalSpy>
#include <QStandardItemModel>

#include <algorithm>
#include <map>
#include <set>

using namespace tl;

namespace {

// Team ops: agent bot, a $0.50 call every 10 minutes, and agent helper, a
// $0.20 call every 20 minutes, for three weeks, each call its own task and
// one of three users; then an hour of 54 extra calls of bot on the last day
// at 14:00 by user spiker. The agent, its team and its model spike.
std::string spikeWorkspace(const QTemporaryDir &dir)
{
    QByteArray csv = "ts,model,input_tokens,output_tokens,cost_usd,agent,team,user,task_id,"
                     "request_id\n";
    const int64_t start = 1'772'323'200'000; // 2026-03-01
    int id = 0;
    const auto call = [&](int64_t ms, const char *model, const char *cost, const char *agent,
                          const QByteArray &user) {
        ++id;
        csv += QByteArray::number(qlonglong(ms / 1000)) + ',' + model + ",1000,100," + cost + ',' +
               agent + ",ops," + user + ",t" + QByteArray::number(id) + ",r" +
               QByteArray::number(id) + "\n";
    };
    for (int64_t t = start; t < start + 21 * kMsPerDay; t += 600'000) {
        call(t, "gpt-4o", "0.5", "bot", "u" + QByteArray::number(id % 3));
        if ((t - start) % 1'200'000 == 0)
            call(t + 1000, "gpt-4o-mini", "0.2", "helper", "u" + QByteArray::number(id % 3));
    }
    const int64_t spike = start + 20 * kMsPerDay + 14 * kMsPerHour;
    for (int i = 0; i < 54; ++i)
        call(spike + i * 60'000, "gpt-4o", "0.5", "bot", "spiker");
    // The spike is on a Saturday: its expectation is the same hour of the
    // four weekend days before (Mar 15, 14, 8, 7). The last of them is
    // busier, so that a mean over fewer or other days shows.
    for (int i = 0; i < 2; ++i)
        call(spike - 14 * kMsPerDay + 30'000 + i * 60'000, "gpt-4o", "0.5", "bot", "u1");
    auto ws = tltest::openWorkspace(dir, QStringLiteral("spike.tlw"));
    const auto r =
        Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("spike.csv"), csv));
    if (!r.ok)
        qFatal("%s", r.error.c_str());
    return ws->path();
}

} // namespace

class TestViewQueries : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_path;
    std::unique_ptr<Workspace> m_ws;

private Q_SLOTS:
    void initTestCase()
    {
        m_path = tltest::generatedWorkspace(m_dir);
        std::string error;
        m_ws = Workspace::open(m_path, Workspace::OpenMode::OpenExisting, &error);
        QVERIFY2(m_ws, error.c_str());
    }

    void thinning_data()
    {
        QTest::addColumn<int>("points");
        QTest::addColumn<int>("buckets");
        QTest::addColumn<int>("spikeAt");
        QTest::newRow("short series kept whole") << 50 << 100 << 10;
        QTest::newRow("1M points to 1000 buckets") << 1'000'000 << 1000 << 777'777;
        QTest::newRow("spike in the last bucket") << 10'000 << 30 << 9'998;
        QTest::newRow("spike at the start") << 10'000 << 30 << 0;
    }
    void thinning()
    {
        QFETCH(int, points);
        QFETCH(int, buckets);
        QFETCH(int, spikeAt);
        std::vector<double> y(static_cast<size_t>(points));
        for (int i = 0; i < points; ++i)
            y[size_t(i)] = 10.0 + (i % 7);
        y[size_t(spikeAt)] = 1e6;
        y[size_t(points / 2)] = -5.0; // a dip survives too
        const auto keep = thinIndexes(y, size_t(buckets));
        QVERIFY(keep.size() <= size_t(std::max(points, 3 * buckets + 1)));
        if (points > 3 * buckets)
            QVERIFY(keep.size() <= size_t(3 * buckets + 1));
        QVERIFY(std::is_sorted(keep.begin(), keep.end()));
        QVERIFY(std::adjacent_find(keep.begin(), keep.end()) == keep.end());
        QCOMPARE(keep.front(), size_t(0));
        QCOMPARE(keep.back(), size_t(points - 1));
        QVERIFY(std::find(keep.begin(), keep.end(), size_t(spikeAt)) != keep.end());
        QVERIFY(std::find(keep.begin(), keep.end(), size_t(points / 2)) != keep.end());
    }

    void overviewMatchesSummary()
    {
        CallFilter f;
        auto bounds = dataDayBounds(*m_ws);
        QVERIFY(bounds);
        f.fromDay = bounds->first + 7;
        f.toDay = bounds->second;
        for (TimeBucket b :
             {TimeBucket::Hour, TimeBucket::Day, TimeBucket::Week, TimeBucket::Month}) {
            const OverviewData o = OverviewQuery::run(*m_ws, f, b, Dimension::Model, 4);
            const Measures t = SummaryQuery::run(*m_ws, f, {}).totals;
            QCOMPARE(o.totals[MCostNusd], t[MCostNusd]);
            QVERIFY(o.hasPrevious);
            CallFilter prev = *f.previousPeriod();
            QCOMPARE(o.previous[MCostNusd], SummaryQuery::run(*m_ws, prev, {}).totals[MCostNusd]);
            // The stacked layers (4 at most, the last "Other") add up to the total.
            QVERIFY(o.stackNames.size() <= 4);
            QCOMPARE(o.stackNames.back(), std::string(OverviewQuery::kOther));
            int64_t sum = 0;
            for (const auto &layer : o.stackCost)
                for (int64_t c : layer)
                    sum += c;
            QCOMPARE(sum, t[MCostNusd]);
            // Each named layer, bucket by bucket, is its model's spend there
            // (a server sums an hour's rows itself; a file here).
            const SummaryResult byBucket = SummaryQuery::run(
                *m_ws, f, {GroupKey{Dimension::Model, TimeBucket::None}, GroupKey{{}, b}});
            std::map<std::pair<std::string, int64_t>, int64_t> spend;
            for (const SummaryRow &r : byBucket.rows)
                spend[{r.keys[0], r.keyValues[1]}] += r.m[MCostNusd];
            for (size_t l = 0; l + 1 < o.stackNames.size(); ++l)
                for (size_t i = 0; i < o.buckets.size(); ++i)
                    QCOMPARE(o.stackCost[l][i], (spend[{o.stackNames[l], o.buckets[i]}]));
            int64_t mix = 0;
            for (const auto &m : o.modelMix)
                mix += m.second;
            QCOMPARE(mix, t[MCostNusd]);
            QVERIFY(o.topAgents.size() <= 10);
            QVERIFY(std::is_sorted(o.topAgents.begin(), o.topAgents.end(),
                                   [](auto &a, auto &b) { return a.second > b.second; }));
        }
    }

    // How much of a period the data covers (the fleet has calls on every
    // day from 20400 to 20413), and when two periods may be compared.
    void coverage_data()
    {
        QTest::addColumn<qint64>("from");
        QTest::addColumn<qint64>("to");
        QTest::addColumn<qint64>("daysWithData");
        QTest::addColumn<qint64>("first"); // -1: none
        QTest::addColumn<qint64>("last");
        QTest::addColumn<bool>("comparable");
        QTest::addColumn<QString>("why");
        QTest::newRow("second week against the first")
            << qint64(20407) << qint64(20413) << qint64(7) << qint64(20407) << qint64(20413) << true
            << "";
        QTest::newRow("previous period 4 of 10 days")
            << qint64(20404) << qint64(20413) << qint64(10) << qint64(20404) << qint64(20413)
            << false << "previous period: data on 4 of 10 days";
        QTest::newRow("data ends halfway")
            << qint64(20407) << qint64(20420) << qint64(7) << qint64(20407) << qint64(20413)
            << false << "previous period: data on 7 of 14 days";
        QTest::newRow("before any data")
            << qint64(20380) << qint64(20389) << qint64(0) << qint64(-1) << qint64(-1) << false
            << "previous period: no data";
        QTest::newRow("one day") << qint64(20410) << qint64(20410) << qint64(1) << qint64(20410)
                                 << qint64(20410) << true << "";
    }
    void coverage()
    {
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        QFETCH(qint64, daysWithData);
        QFETCH(qint64, first);
        QFETCH(qint64, last);
        QFETCH(bool, comparable);
        QFETCH(QString, why);
        CallFilter f;
        f.fromDay = from;
        f.toDay = to;
        // Coverage is the workspace's, whatever names the filter keeps.
        f.include[Dimension::Team] = {"no-such-team"};
        const PeriodComparison c = PeriodComparison::of(*m_ws, f);
        QCOMPARE(c.current.days(), to - from + 1);
        QCOMPARE(c.current.daysWithData, daysWithData);
        QCOMPARE(c.current.firstDay.value_or(-1), first);
        QCOMPARE(c.current.lastDay.value_or(-1), last);
        QCOMPARE(c.comparable, comparable);
        QCOMPARE(QString::fromStdString(c.whyNotComparable()), why);
        if (first >= 0)
            QCOMPARE(c.current.lastHour.value_or(-1) / 24, last);
    }

    void coverageNotes()
    {
        QCOMPARE(coverageNote(Coverage::of(*m_ws, 20400, 20413)), std::string());
        QCOMPARE(coverageNote(Coverage::of(*m_ws, 20390, 20413)),
                 std::string("data from 2025-11-08 (14 of 24 days)"));
        QCOMPARE(coverageNote(Coverage::of(*m_ws, 20410, 20420)),
                 std::string("data to 2025-11-21 (4 of 11 days)"));
        QCOMPARE(coverageNote(Coverage::of(*m_ws, 20500, 20501)),
                 std::string("no data in this period"));
        // All data: its own bounds, complete.
        const Coverage all = Coverage::of(*m_ws, CallFilter{});
        QCOMPARE(all.fromDay, int64_t(20400));
        QCOMPARE(all.toDay, int64_t(20413));
        QVERIFY(all.complete());
    }

    // The Overview's series end with the data: hours after the last call
    // (the rest of today, days not imported yet) are not drawn as $0.
    void overviewSeriesEndWithTheData()
    {
        CallFilter f;
        f.fromDay = 20410;
        f.toDay = 20420;
        for (TimeBucket b : {TimeBucket::Hour, TimeBucket::Day}) {
            const OverviewData o = OverviewQuery::run(*m_ws, f, b, Dimension::Model);
            QVERIFY(!o.buckets.empty());
            const int64_t lastBucket =
                b == TimeBucket::Hour ? *o.comparison.current.lastHour : 20413;
            QCOMPARE(o.buckets.back(), lastBucket);
            for (const auto &series : o.stackCost)
                QCOMPARE(series.size(), o.buckets.size());
            int64_t sum = 0;
            for (const auto &series : o.stackCost)
                for (int64_t c : series)
                    sum += c;
            QCOMPARE(sum, o.totals[MCostNusd]); // nothing cut that had spend
            QVERIFY(!o.comparison.comparable);
        }
    }

    void drillLevelsAddUp()
    {
        // Organisation → team → feature → agent → task: at every node the
        // children's costs and requests add up to the node, exactly.
        const CallFilter f;
        const Measures org = SummaryQuery::run(*m_ws, f, {}).totals;
        const std::vector<Dimension> levels = {Dimension::Team, Dimension::Feature,
                                               Dimension::Agent, Dimension::Task};
        DrillPath path;
        Measures parent = org;
        for (Dimension level : levels) {
            const auto rows = DrillQuery::children(*m_ws, f, path, level);
            QVERIFY(!rows.empty());
            int64_t cost = 0, requests = 0;
            for (const auto &r : rows) {
                cost += r.m[MCostNusd];
                requests += r.m[MRequests];
            }
            QCOMPARE(cost, parent[MCostNusd]);
            QCOMPARE(requests, parent[MRequests]);
            path.emplace_back(level, rows.front().name);
            parent = rows.front().m;
        }
        // The task's calls are its requests, and cost what the task costs.
        const RequestPage calls = RequestQuery::page(*m_ws, DrillQuery::narrow(f, path),
                                                     RequestSort::TimeAsc, {}, {}, 1000);
        QVERIFY(calls.atEnd);
        int64_t cost = 0;
        for (const auto &c : calls.rows)
            cost += c.costNusd;
        QCOMPARE(cost, parent[MCostNusd]);
        QCOMPARE(int64_t(calls.rows.size()), parent[MRecords]);
    }

    void drillPreviousPeriod()
    {
        auto bounds = dataDayBounds(*m_ws);
        CallFilter f;
        f.fromDay = bounds->second - 6;
        f.toDay = bounds->second;
        const auto rows = DrillQuery::children(*m_ws, f, {}, Dimension::Team);
        const auto prev = SummaryQuery::run(*m_ws, *f.previousPeriod(),
                                            {GroupKey{Dimension::Team, TimeBucket::None}});
        int64_t prevSum = 0;
        for (const auto &r : rows)
            prevSum += r.previous[MCostNusd];
        QCOMPARE(prevSum, prev.totals[MCostNusd]);
    }

    // A long list names its costliest rows only; the last row sums the
    // rest (all less those shown, both periods), so the level still adds
    // up, and the named rows are the full list's first ones.
    void drillSumsTheRestOfALongList()
    {
        auto bounds = dataDayBounds(*m_ws);
        CallFilter f;
        f.fromDay = bounds->second - 6;
        f.toDay = bounds->second;
        const DrillPath agent = {
            {Dimension::Agent, DrillQuery::children(*m_ws, f, {}, Dimension::Agent)[0].name}};
        const auto all = DrillQuery::children(*m_ws, f, agent, Dimension::Task);
        QVERIFY(all.size() > 20);
        QVERIFY(all.back().restCount == 0);
        const auto capped = DrillQuery::children(*m_ws, f, agent, Dimension::Task, 10);
        QCOMPARE(capped.size(), size_t(11));
        QCOMPARE(capped.back().restCount, int64_t(all.size() - 10));
        QVERIFY(capped.back().name.empty());
        Measures now, before, named;
        for (const auto &r : all) {
            now += r.m;
            before += r.previous;
        }
        Measures cappedNow, cappedBefore;
        for (size_t i = 0; i < capped.size(); ++i) {
            cappedNow += capped[i].m;
            cappedBefore += capped[i].previous;
            if (i < 10) {
                QCOMPARE(capped[i].name, all[i].name);
                QCOMPARE(capped[i].m.v, all[i].m.v);
            }
        }
        QCOMPARE(cappedNow.v, now.v);
        QCOMPARE(cappedBefore.v, before.v);
        QVERIFY(capped.back().m[MCostNusd] <= capped[9].m[MCostNusd] * capped.back().restCount);
        // Exactly the limit: no rest row.
        QCOMPARE(DrillQuery::children(*m_ws, f, agent, Dimension::Task, all.size()).size(),
                 all.size());
    }

    // SummaryQuery::costs ranks the Explore drill's long lists: each id's
    // cost and calls are sums()'s, for more ids than its table starts with
    // (the fleet's tasks, thousands), and under filters and a period.
    void costsAreTheSums_data()
    {
        QTest::addColumn<int>("dimension");
        QTest::addColumn<int>("filter"); // 0 none, 1 the top agent, 2 the last week, 3 a team
        for (Dimension d : {Dimension::Task, Dimension::User, Dimension::Agent, Dimension::Model})
            for (int filter : {0, 1, 2, 3})
                QTest::addRow("%s, filter %d", std::string(dimensionName(d)).c_str(), filter)
                    << int(d) << filter;
    }
    void costsAreTheSums()
    {
        QFETCH(int, dimension);
        QFETCH(int, filter);
        const Dimension d = Dimension(dimension);
        CallFilter f;
        if (filter == 1)
            f.include[Dimension::Agent] = {
                DrillQuery::children(*m_ws, {}, {}, Dimension::Agent)[0].name};
        if (filter == 2) {
            f.fromDay = dataDayBounds(*m_ws)->second - 6;
            f.toDay = dataDayBounds(*m_ws)->second;
        }
        if (filter == 3)
            f.include[Dimension::Team] = {
                DrillQuery::children(*m_ws, {}, {}, Dimension::Team)[0].name};
        std::map<int64_t, std::pair<int64_t, int64_t>> want;
        for (const auto &[key, m] :
             SummaryQuery::sums(*m_ws, f, {GroupKey{d, TimeBucket::None}}).rows)
            want[key[0]] = {m[MCostNusd], m[MRecords]};
        std::map<int64_t, std::pair<int64_t, int64_t>> got;
        for (const auto &c : SummaryQuery::costs(*m_ws, f, d))
            QVERIFY(got.emplace(c.id, std::make_pair(c.costNusd, c.records)).second);
        QVERIFY(!want.empty());
        QCOMPARE(got, want);
        if (d == Dimension::Task && filter == 0)
            QVERIFY2(got.size() > 1024, std::to_string(got.size()).c_str());
    }

    // A capped list is ranked by cost alone and only the rows shown are read
    // whole (DrillQuery's rankedChildren); it must show what the whole list
    // shows. Tasks with calls in both weeks (some of them in the rest, whose
    // previous figures the rest row carries), tasks with calls only the week
    // before (no child: left out of the rest too), equal costs (the name
    // breaks the tie), another agent on the same tasks, and a team on the
    // path. (Users under an agent are summed from the calls, in one read.)
    void cappedDrillShowsWhatTheWholeListShows_data()
    {
        QTest::addColumn<int>("next");
        QTest::addColumn<int>("path"); // 0 the whole fleet, 1 agent a, 2 team ops and agent a
        QTest::addColumn<int>("limit");
        const char *paths[] = {"", " of agent a", " of agent a in team ops"};
        for (int next : {int(Dimension::Task), int(Dimension::User)})
            for (int path : {0, 1, 2})
                for (int limit : {1, 3, 7, 9, 10, 11, 40})
                    QTest::addRow("%s%s, %d shown",
                                  next == int(Dimension::Task) ? "tasks" : "users", paths[path],
                                  limit)
                        << next << path << limit;
    }
    void cappedDrillShowsWhatTheWholeListShows()
    {
        QFETCH(int, next);
        QFETCH(int, path);
        QFETCH(int, limit);
        QTemporaryDir dir;
        QByteArray csv = "ts,model,input_tokens,output_tokens,cost_usd,agent,team,user,task_id\n";
        const int64_t week = *parseDate("2026-05-11"); // a Monday
        for (int i = 0; i < 40; ++i) {
            // i % 4: 0 this week only, 1 both weeks, 2 the week before only,
            // 3 this week at the cost of task i - 3 (a tie).
            const int cents = (i % 4 == 3 ? (i - 3) * 37 % 23 : i * 37 % 23) + 1;
            const auto add = [&](int64_t day, const char *agent, int n) {
                for (int c = 0; c < n; ++c)
                    csv += QByteArray::number(qlonglong(day * 86400 + 3600 * (c + 1))) +
                           ",gpt-4o," + QByteArray::number(100 + i) + ",10,0." +
                           QByteArray::number(cents).rightJustified(2, '0') + ',' + agent +
                           ",ops,u" + QByteArray::number(i % 13) + ",T" + QByteArray::number(i) +
                           "\n";
            };
            if (i % 4 != 2)
                add(week + i % 7, "a", 1 + i % 3);
            if (i % 4 == 1 || i % 4 == 2)
                add(week - 7 + i % 5, "a", 2);
            add(week + 1, "b", 1); // another agent, the same tasks
        }
        auto ws = tltest::openWorkspace(dir, QStringLiteral("ranked.tlw"));
        const auto r =
            Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("ranked.csv"), csv));
        QVERIFY2(r.ok, r.error.c_str());
        CallFilter f;
        f.fromDay = week;
        f.toDay = week + 6;
        DrillPath steps;
        if (path == 2)
            steps.emplace_back(Dimension::Team, "ops");
        if (path > 0)
            steps.emplace_back(Dimension::Agent, "a");
        const auto all = DrillQuery::children(*ws, f, steps, Dimension(next));
        QCOMPARE(all.size(), size_t(next == int(Dimension::User) ? 13 : path ? 30 : 40));
        QVERIFY(std::any_of(all.begin(), all.end(),
                            [](const DrillRow &row) { return row.previous[MRecords] > 0; }));
        const auto capped = DrillQuery::children(*ws, f, steps, Dimension(next), size_t(limit));
        const size_t shown = std::min(size_t(limit), all.size());
        QCOMPARE(capped.size(), shown + (shown < all.size() ? 1 : 0));
        // The same costs in the same order, each row as the whole list has
        // it; among equal costs at the cut either may be listed.
        std::map<std::string, const DrillRow *> byName;
        Measures now, before;
        for (const auto &row : all) {
            byName[row.name] = &row;
            now += row.m;
            before += row.previous;
        }
        std::set<std::string> listed;
        for (size_t i = 0; i < shown; ++i) {
            QCOMPARE(capped[i].m[MCostNusd], all[i].m[MCostNusd]);
            QVERIFY(listed.insert(capped[i].name).second);
            QVERIFY2(byName.count(capped[i].name), capped[i].name.c_str());
            QCOMPARE(capped[i].m.v, byName[capped[i].name]->m.v);
            QCOMPARE(capped[i].previous.v, byName[capped[i].name]->previous.v);
            QCOMPARE(capped[i].restCount, int64_t(0));
            for (int m = 0; m < MeasureCount; ++m) {
                now[m] -= capped[i].m[m];
                before[m] -= capped[i].previous[m];
            }
        }
        if (shown == all.size())
            return;
        QCOMPARE(capped.back().restCount, int64_t(all.size() - shown));
        QCOMPARE(capped.back().m.v, now.v);
        QCOMPARE(capped.back().previous.v, before.v);
    }

    // A task or a user in the filter: anomalies read the calls, daily and
    // hourly (rollup_day and rollup_agent_hour carry neither; asking the
    // task rollup whether it could answer sent a task filter to rollup_day).
    void anomaliesUnderATaskFilter()
    {
        const std::string agent = DrillQuery::children(*m_ws, {}, {}, Dimension::Agent)[0].name;
        const std::string task =
            DrillQuery::children(*m_ws, {}, {{Dimension::Agent, agent}}, Dimension::Task)[0].name;
        for (int hours : {24, 1}) {
            AnomalyRequest r;
            r.bucketHours = hours;
            r.filter.include[Dimension::Task] = {task};
            QVERIFY_THROWS_NO_EXCEPTION(AnomalyQuery::run(*m_ws, r));
            r.filter.include.clear();
            r.filter.include[Dimension::User] = {
                DrillQuery::children(*m_ws, {}, {}, Dimension::User)[0].name};
            QVERIFY_THROWS_NO_EXCEPTION(AnomalyQuery::run(*m_ws, r));
        }
    }

    // Anomalies take one snapshot for their series and their causes; asked
    // inside a read the caller holds (a report's, an alert check's), they
    // join it: the same anomalies, and the caller's read stays open.
    void anomaliesJoinTheCallersRead()
    {
        QTemporaryDir dir;
        auto ws = tltest::openExisting(spikeWorkspace(dir));
        AnomalyRequest r;
        const std::vector<Anomaly> alone = AnomalyQuery::run(*ws, r);
        QVERIFY(!alone.empty());
        QVERIFY(!ws->db().inTransaction());
        Transaction read(ws->db(), Transaction::Read);
        const std::vector<Anomaly> joined = AnomalyQuery::run(*ws, r);
        QVERIFY(ws->db().inTransaction());
        QCOMPARE(joined.size(), alone.size());
        for (size_t i = 0; i < alone.size(); ++i) {
            QCOMPARE(joined[i].entity, alone[i].entity);
            QCOMPARE(joined[i].startMs, alone[i].startMs);
            QCOMPARE(joined[i].cause, alone[i].cause);
        }
        QVERIFY(ws->db().queryInt("SELECT COUNT(*) FROM meta") > 0); // still readable
        read.commit();
        QVERIFY(!ws->db().inTransaction());
    }

    // An anomaly's causes are its window's calls: each listed user's, task's
    // and agent × model's spend is what the calls of the entity's window say
    // (a team's or a model's window is read agent by agent, for the agents
    // its hours name), its expected spend the mean of the same hours on the
    // last four days of the same kind (weekday or weekend), and a list
    // shorter than five is the whole window.
    void anomalyCausesAreTheWindowsCalls()
    {
        QTemporaryDir dir;
        auto ws = tltest::openExisting(spikeWorkspace(dir));
        const std::vector<Anomaly> found = AnomalyQuery::run(*ws, AnomalyRequest{});
        QVERIFY(std::any_of(found.begin(), found.end(),
                            [](const Anomaly &a) { return a.kind == Dimension::Team; }));
        // Each of bot's tasks in the hour rose by $0.50, a tie of 60: the first
        // five by name.
        const Anomaly &team = *std::find_if(
            found.begin(), found.end(), [](const Anomaly &a) { return a.kind == Dimension::Team; });
        CallFilter hour;
        hour.include[Dimension::Team] = {"ops"};
        hour.windowMs = std::make_pair(team.startMs, team.endMs);
        std::vector<std::string> tied;
        for (const SummaryRow &row :
             SummaryQuery::run(*ws, hour, {GroupKey{Dimension::Task, TimeBucket::None}}).rows)
            if (row.m[MCostNusd] == 500'000'000)
                tied.push_back(row.keys[0]);
        std::sort(tied.begin(), tied.end());
        QCOMPARE(tied.size(), size_t(60));
        QCOMPARE(team.byTask.size(), size_t(5));
        for (size_t i = 0; i < team.byTask.size(); ++i) {
            QVERIFY(std::abs(team.byTask[i].excessUsd() - 0.5) < 1e-9);
            QCOMPARE(team.byTask[i].name, tied[i]);
        }
        QCOMPARE(team.byUser.front().name, std::string("spiker"));
        for (const Anomaly &a : found) {
            CallFilter f;
            f.include[a.kind] = {a.entity};
            f.windowMs = std::make_pair(a.startMs, a.endMs);
            // The expectation: the same hours on the last four days of the
            // same kind (weekday or weekend) before it.
            std::vector<int64_t> back;
            const QDate epoch(1970, 1, 1);
            const int64_t day = floorDiv(a.startMs, kMsPerDay);
            const auto weekend = [&](int64_t d) { return epoch.addDays(d).dayOfWeek() >= 6; };
            for (int64_t d = 1; back.size() < 4; ++d)
                if (weekend(day - d) == weekend(day))
                    back.push_back(d);
            const auto check = [&](const std::vector<CauseShare> &causes,
                                   const std::vector<GroupKey> &keys) {
                const auto spend = [&](const CallFilter &in) {
                    std::map<std::string, int64_t> nusd;
                    for (const SummaryRow &row : SummaryQuery::run(*ws, in, keys).rows)
                        nusd[keys.size() == 2 ? row.keys[0] + " on " + row.keys[1] : row.keys[0]] +=
                            row.m[MCostNusd];
                    return nusd;
                };
                const SummaryResult s = SummaryQuery::run(*ws, f, keys);
                std::map<std::string, int64_t> nusd = spend(f), usual;
                for (int64_t d : back) {
                    CallFilter before = f;
                    before.windowMs =
                        std::make_pair(a.startMs - d * kMsPerDay, a.endMs - d * kMsPerDay);
                    for (const auto &[name, cost] : spend(before))
                        usual[name] += cost;
                }
                QVERIFY(!causes.empty());
                double listed = 0;
                for (const CauseShare &c : causes) {
                    QVERIFY2(std::abs(c.actualUsd - double(nusd[c.name]) * 1e-9) < 1e-6,
                             qPrintable(QString::fromStdString(a.entity + ": " + c.name)));
                    QVERIFY2(std::abs(c.expectedUsd - double(usual[c.name]) * 1e-9 / 4) < 1e-6,
                             qPrintable(QString::fromStdString(a.entity + ", usual: " + c.name)));
                    listed += c.actualUsd;
                }
                if (causes.size() < 5)
                    QVERIFY(std::abs(listed - double(s.totals[MCostNusd]) * 1e-9) < 1e-6);
            };
            check(a.byUser, {GroupKey{Dimension::User, TimeBucket::None}});
            check(a.byTask, {GroupKey{Dimension::Task, TimeBucket::None}});
            check(a.byAgentModel, {GroupKey{Dimension::Agent, TimeBucket::None},
                                   GroupKey{Dimension::Model, TimeBucket::None}});
        }
    }

    // A connection reads every agent's, model's and team's name at its first
    // look-up; an agent another connection imports later is still named.
    void namesAddedByAnotherConnectionAreFound()
    {
        QTemporaryDir dir;
        const std::string path = tltest::generatedWorkspace(dir, 3, 2, 40);
        auto reader = tltest::openExisting(path);
        const auto before = DrillQuery::children(*reader, {}, {}, Dimension::Agent);
        QVERIFY(!before.empty());
        {
            auto writer = tltest::openExisting(path);
            const std::string csv = tltest::writeFile(
                dir, QStringLiteral("later.csv"),
                "ts,request_id,provider,model,input_tokens,output_tokens,agent\n"
                "2025-11-09T10:00:00Z,later-1,openai,gpt-4o,1000,100,agent-added-later\n");
            const auto r = Importer(*writer).importFile(csv);
            QVERIFY2(r.ok && r.imported == 1, r.error.c_str());
        }
        const auto after = DrillQuery::children(*reader, {}, {}, Dimension::Agent);
        QCOMPARE(after.size(), before.size() + 1);
        QVERIFY(std::any_of(after.begin(), after.end(),
                            [](const auto &c) { return c.name == "agent-added-later"; }));
    }

    void requestPagingCoversEveryCallOnce_data()
    {
        QTest::addColumn<int>("sort");
        QTest::addColumn<QString>("scope");
        // Cost order walks calls_cost for the whole fleet and a team (the
        // page fills long before the filter's calls are read) and sorts an
        // agent's calls (few, and stored together): both must page alike.
        for (const char *scope : {"team", "fleet", "agent"}) {
            QTest::addRow("newest first, %s", scope) << int(RequestSort::TimeDesc) << scope;
            QTest::addRow("oldest first, %s", scope) << int(RequestSort::TimeAsc) << scope;
            QTest::addRow("most expensive first, %s", scope) << int(RequestSort::CostDesc) << scope;
            QTest::addRow("cheapest first, %s", scope) << int(RequestSort::CostAsc) << scope;
        }
    }
    void requestPagingCoversEveryCallOnce()
    {
        QFETCH(int, sort);
        QFETCH(QString, scope);
        CallFilter f;
        if (scope == QStringLiteral("team"))
            f.include[Dimension::Team] = {
                DrillQuery::children(*m_ws, {}, {}, Dimension::Team).front().name};
        if (scope == QStringLiteral("agent"))
            f.include[Dimension::Agent] = {
                DrillQuery::children(*m_ws, {}, {}, Dimension::Agent)[1].name};
        const Measures t = SummaryQuery::run(*m_ws, f, {}).totals;
        std::set<int64_t> seen;
        RequestCursor cursor;
        int64_t cost = 0;
        RequestRow prev;
        bool first = true;
        const auto s = RequestSort(sort);
        for (;;) {
            RequestPage p = RequestQuery::page(*m_ws, f, s, {}, cursor, 997);
            for (const auto &r : p.rows) {
                QVERIFY(seen.insert(r.id).second);
                cost += r.costNusd;
                if (!first) {
                    // Strictly in (key, id) order: ties on the key by id,
                    // across pages too (the keyset's tie-break).
                    const bool time = s == RequestSort::TimeDesc || s == RequestSort::TimeAsc;
                    const auto key = [&](const RequestRow &x) {
                        return std::make_pair(time ? x.tsMs : x.costNusd, x.id);
                    };
                    if (s == RequestSort::TimeDesc || s == RequestSort::CostDesc)
                        QVERIFY(key(r) < key(prev));
                    else
                        QVERIFY(key(r) > key(prev));
                }
                prev = r;
                first = false;
            }
            cursor = p.next;
            if (p.atEnd)
                break;
        }
        QCOMPARE(int64_t(seen.size()), t[MRecords]);
        QCOMPARE(cost, t[MCostNusd]);
    }

    void requestRowsNameTheirUserAndTask()
    {
        // A page's users and tasks are named in one read: each row its own.
        const RequestPage p = RequestQuery::page(*m_ws, {}, RequestSort::TimeDesc, {}, {}, 300);
        QCOMPARE(int(p.rows.size()), 300);
        Statement st(m_ws->db(), "SELECT COALESCE(u.name, '(none)'), COALESCE(t.name, '(none)') "
                                 "FROM calls c LEFT JOIN hashed_names u ON u.id = c.user_id "
                                 "LEFT JOIN hashed_names t ON t.id = c.task_id WHERE c.id = ?");
        std::set<std::string> tasks;
        for (const RequestRow &r : p.rows) {
            st.bind(1, r.id);
            QVERIFY(st.step());
            QCOMPARE(r.user, std::string(st.columnText(0)));
            QCOMPARE(r.task, std::string(st.columnText(1)));
            st.reset();
            tasks.insert(r.task);
        }
        QVERIFY(tasks.size() > 64); // past the few that are looked up one by one
    }

    void callsLieTogetherByAgent()
    {
        // The import stores each batch of a file's calls by agent, then
        // time: an agent's calls of a batch lie together, so a drill into
        // one agent reads about a page a batch. Within a batch, in id
        // order, an agent's run ends only where the next agent's begins,
        // and time goes back only there: at most one step back per agent
        // a batch.
        const int64_t calls = m_ws->db().queryInt("SELECT COUNT(*) FROM calls");
        const int64_t agents = m_ws->db().queryInt("SELECT COUNT(DISTINCT agent_id) FROM calls");
        QVERIFY(agents > 1);
        // (A batch also ends where the parser asks for a new day's dedupe keys.)
        const int64_t days = m_ws->db().queryInt("SELECT COUNT(DISTINCT day) FROM calls");
        const int64_t batches = calls / int64_t(RecordPreparer::kBatchItems) + days + 1;
        const int64_t agentSteps = m_ws->db().queryInt(
            "SELECT COUNT(*) FROM calls a JOIN calls b ON b.id = a.id + 1 WHERE b.agent_id <> "
            "a.agent_id");
        QVERIFY2(agentSteps <= agents * batches, qPrintable(QString::number(agentSteps)));
        // Stored in file (time) order, consecutive calls would change agent
        // nearly every time.
        QVERIFY(agentSteps * 10 < calls);
        QCOMPARE(m_ws->db().queryInt(
                     "SELECT COUNT(*) FROM calls a JOIN calls b ON b.id = a.id + 1 WHERE "
                     "b.agent_id = a.agent_id AND b.ts_ms < a.ts_ms"),
                 int64_t(0));
    }

    void namesInBulk()
    {
        // A task drill resolves its names in one statement: the same names,
        // (none) for 0, an empty name for an id that has none.
        std::vector<int64_t> ids;
        Statement st(m_ws->db(),
                     "SELECT DISTINCT task_id FROM calls ORDER BY task_id DESC LIMIT 300");
        while (st.step())
            ids.push_back(st.columnInt(0));
        QVERIFY(ids.size() > 64);
        ids.push_back(ids.front()); // twice
        ids.push_back(12345);       // no such name
        const auto names = m_ws->dims().namesOf(Dimension::Task, ids);
        QCOMPARE(names.size(), ids.size() - 1);
        for (int64_t id : ids)
            QCOMPARE(names.at(id),
                     id == 12345 ? std::string() : m_ws->dims().nameOf(Dimension::Task, id));
        QVERIFY(!names.at(ids.front()).empty());
    }

    void requestSearchAndDetail()
    {
        const RequestPage newest = RequestQuery::page(*m_ws, {}, RequestSort::TimeDesc, {}, {}, 1);
        QCOMPARE(newest.rows.size(), size_t(1));
        const RequestRow &r = newest.rows.front();
        // By task id: every call of the task, and only those.
        const RequestPage byTask =
            RequestQuery::page(*m_ws, {}, RequestSort::TimeAsc, r.task, {}, 500);
        QVERIFY(!byTask.rows.empty());
        for (const auto &c : byTask.rows)
            QCOMPARE(c.task, r.task);
        // By request id: that call.
        const RequestPage byRequest =
            RequestQuery::page(*m_ws, {}, RequestSort::TimeAsc, r.requestId, {}, 500);
        QCOMPARE(byRequest.rows.size(), size_t(1));
        QCOMPARE(byRequest.rows.front().id, r.id);
        QVERIFY(RequestQuery::page(*m_ws, {}, RequestSort::TimeAsc, "no-such-id", {}, 500)
                    .rows.empty());

        auto d = RequestQuery::detail(*m_ws, r.id);
        QVERIFY(d);
        QCOMPARE(d->row.requestId, r.requestId);
        QVERIFY(d->price);
        QCOMPARE(d->sourceFormat, std::string("csv"));
        QVERIFY(!d->taskCalls.empty());
        bool self = false;
        for (const auto &c : d->taskCalls) {
            QCOMPARE(c.task, r.task);
            QCOMPARE(c.agent, r.agent);
            self |= c.id == r.id;
        }
        QVERIFY(self);
        QCOMPARE(byTask.rows.size(), d->taskCalls.size());
        QVERIFY(!RequestQuery::detail(*m_ws, -5));
    }

    void names()
    {
        const auto teams = NameQuery::names(*m_ws, Dimension::Team, {}, 100);
        QVERIFY(!teams.empty());
        QVERIFY(std::is_sorted(teams.begin(), teams.end()));
        const std::string part = teams.front().substr(1, 3);
        for (const auto &n : NameQuery::names(*m_ws, Dimension::Team, part, 100))
            QVERIFY(n.find(part) != std::string::npos);
        QCOMPARE(NameQuery::names(*m_ws, Dimension::User, {}, 5).size(), size_t(5));
    }

    void noneNameFiltersIdZero()
    {
        // "(none)" in a filter means "the field was empty" (id 0), as shown.
        CallFilter f;
        f.include[Dimension::User] = {kNoneName};
        const Measures none = SummaryQuery::run(*m_ws, f, {}).totals;
        SummaryResult byUser =
            SummaryQuery::run(*m_ws, {}, {GroupKey{Dimension::User, TimeBucket::None}});
        int64_t expected = 0;
        for (const auto &r : byUser.rows)
            if (r.keyValues[0] == 0)
                expected = r.m[MRecords];
        QCOMPARE(none[MRecords], expected);
    }

    void drillTreeModel()
    {
        DrillTreeModel model;
        QSignalSpy need(&model, &DrillTreeModel::childrenNeeded);
        Measures total;
        total[MCostNusd] = 300;
        total[MRequests] = 3;
        model.reset({Dimension::Team, Dimension::Task}, total, {}, false);
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex org = model.index(0, 0);
        QVERIFY(model.hasChildren(org));
        QVERIFY(model.canFetchMore(org));
        model.fetchMore(org);
        QCOMPARE(need.count(), 1);
        QVERIFY(!model.canFetchMore(org)); // loading
        DrillRow a{"a", {}, {}}, b{"b", {}, {}};
        a.m[MCostNusd] = 200;
        b.m[MCostNusd] = 100;
        // A stale generation is ignored.
        model.setChildren(model.generation() - 1, {}, {a, b});
        QCOMPARE(model.rowCount(org), 0);
        model.setChildren(model.generation(), {}, {a, b});
        QCOMPARE(model.rowCount(org), 2);
        const QModelIndex ia = model.index(0, DrillTreeModel::Share, org);
        QCOMPARE(model.data(ia, SortRole).toDouble(), 200.0 / 300.0);
        QCOMPARE(model.data(model.index(0, DrillTreeModel::Cost, org), ExportRole).toDouble(),
                 200e-9);
        QCOMPARE(model.pathOf(model.index(1, 0, org)), (DrillPath{{Dimension::Team, "b"}}));
        QCOMPARE(model.childLevel(model.index(0, 0, org)),
                 std::optional<Dimension>(Dimension::Task));
        QVERIFY(!model.childrenAreCalls(model.index(0, 0, org)));
        // Below the task (the last level) come calls.
        model.fetchMore(model.index(0, 0, org));
        model.setChildren(model.generation(), {{Dimension::Team, "a"}}, {DrillRow{"T1", a.m, {}}});
        const QModelIndex task = model.index(0, 0, model.index(0, 0, org));
        QVERIFY(model.childrenAreCalls(task));
        model.fetchMore(task);
        RequestRow call;
        call.id = 42;
        call.costNusd = 200;
        model.setCallChildren(model.generation(), model.pathOf(task), {call});
        QCOMPARE(model.callIdOf(model.index(0, 0, task)), std::optional<int64_t>(42));
        QVERIFY(!model.hasChildren(model.index(0, 0, task)));
        QCOMPARE(model.indexOf(model.pathOf(task)), task);
        // A team whose every call is unpriced reads "unpriced" with no share,
        // and exports an empty cost, never $0.
        DrillRow c{"c", {}, {}};
        c.m[MRequests] = 4;
        c.m[MUnpricedRequests] = 4;
        model.reset({Dimension::Team}, total, {}, false);
        model.fetchMore(model.index(0, 0));
        model.setChildren(model.generation(), {}, {a, c});
        const QModelIndex top = model.index(0, 0);
        const QModelIndex unpriced = model.index(1, DrillTreeModel::Cost, top);
        QCOMPARE(model.data(unpriced, Qt::DisplayRole).toString(), QStringLiteral("unpriced"));
        QCOMPARE(model.data(model.index(1, DrillTreeModel::Share, top), Qt::DisplayRole).toString(),
                 QStringLiteral("—"));
        QCOMPARE(model.data(unpriced, ExportRole).toString(), QString());
        QVERIFY(model.data(model.index(0, DrillTreeModel::Cost, top), Qt::DisplayRole)
                    .toString()
                    .startsWith(QLatin1Char('$')));
    }

    void hourlySpendByScope_data()
    {
        QTest::addColumn<QString>("dimension"); // empty: the organisation
        for (const char *d : {"", "team", "model", "agent", "provider", "user"})
            QTest::newRow(*d ? d : "organisation") << QString::fromLatin1(d);
    }
    void hourlySpendByScope()
    {
        // A budget's hours come from rollup_hour, rollup_agent_hour or the
        // calls by its scope: each hour as the calls add up.
        QFETCH(QString, dimension);
        CallFilter scope;
        std::string where = " WHERE 1 = 1";
        if (!dimension.isEmpty()) {
            const Dimension d = *dimensionFromName(dimension.toStdString());
            const std::string name = DrillQuery::children(*m_ws, {}, {}, d).front().name;
            scope.include[d] = {name};
            where = " WHERE " + std::string(dimensionColumn(d)) + " = " +
                    std::to_string(m_ws->dims().find(d, name));
        }
        const auto bounds = *dataDayBounds(*m_ws);
        const int64_t from = (bounds.first + 2) * kMsPerDay, to = (bounds.first + 5) * kMsPerDay;
        const std::vector<double> hours = BudgetEvaluator::hourlySpend(*m_ws, scope, from, to);
        QCOMPARE(int64_t(hours.size()), (to - from) / kMsPerHour);
        std::vector<double> want(hours.size(), 0.0);
        Statement st(m_ws->db(),
                     "SELECT ts_ms, COALESCE(reported_nusd, computed_nusd, 0) FROM calls" + where +
                         " AND ts_ms >= ? AND ts_ms < ?");
        st.bind(1, from);
        st.bind(2, to);
        while (st.step())
            want[size_t((st.columnInt(0) - from) / kMsPerHour)] += double(st.columnInt(1)) * 1e-9;
        double total = 0;
        for (size_t h = 0; h < hours.size(); ++h) {
            QVERIFY2(std::abs(hours[h] - want[h]) < 1e-9, qPrintable(QString::number(h)));
            total += want[h];
        }
        QVERIFY(total > 0);
    }

    void drillSortMatchesSortRole_data()
    {
        QTest::addColumn<int>("column");
        for (int c :
             {int(DrillTreeModel::Name), int(DrillTreeModel::Cost), int(DrillTreeModel::Infra),
              int(DrillTreeModel::Share), int(DrillTreeModel::Requests), int(DrillTreeModel::Input),
              int(DrillTreeModel::Cached), int(DrillTreeModel::Output),
              int(DrillTreeModel::AvgCost)})
            QTest::addRow("column %d", c) << c;
    }
    void drillSortMatchesSortRole()
    {
        // The tree's proxy compares amounts straight from the rows: in both
        // orders it must sort as SortRole says (the rows of a real drill,
        // with ties, an unknown infra cost and an unpriced row).
        QFETCH(int, column);
        DrillTreeModel model;
        const Measures total = SummaryQuery::run(*m_ws, {}, {}).totals;
        model.reset({Dimension::Agent}, total, {}, false);
        model.fetchMore(model.index(0, 0));
        auto rows = DrillQuery::children(*m_ws, {}, {}, Dimension::Agent);
        rows.push_back(DrillRow{"tie", rows.front().m, {}, {}});
        rows.back().infraNusd = 5;
        DrillRow unpriced{"unpriced", {}, {}, {}};
        unpriced.m[MRequests] = 3;
        unpriced.m[MUnpricedRequests] = 3;
        rows.push_back(unpriced);
        model.setChildren(model.generation(), {}, rows);
        DrillSortProxy proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(SortRole);
        for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            proxy.sort(column, order);
            const QModelIndex top = proxy.index(0, 0);
            QCOMPARE(proxy.rowCount(top), int(rows.size()));
            for (int r = 1; r < proxy.rowCount(top); ++r) {
                const QVariant prev = proxy.index(r - 1, column, top).data(SortRole);
                const QVariant cur = proxy.index(r, column, top).data(SortRole);
                const bool outOfOrder = order == Qt::AscendingOrder
                                            ? QVariant::compare(cur, prev) < 0
                                            : QVariant::compare(cur, prev) > 0;
                QVERIFY2(!outOfOrder, qPrintable(QStringLiteral("row %1").arg(r)));
            }
        }
    }

    void tableCsvEscapesFormulas()
    {
        QStandardItemModel m(2, 2);
        m.setHorizontalHeaderLabels({QStringLiteral("name"), QStringLiteral("cost")});
        m.setItem(0, 0, new QStandardItem(QStringLiteral("=HYPERLINK(\"x\")")));
        m.setItem(1, 0, new QStandardItem(QStringLiteral("plain, with comma")));
        auto *neg = new QStandardItem(QStringLiteral("-1.5"));
        neg->setData(-1.5, ExportRole); // a number: written as is
        m.setItem(0, 1, neg);
        auto *txt = new QStandardItem(QStringLiteral("@SUM(A1)"));
        m.setItem(1, 1, txt);
        const QByteArray csv = TableCsvExport::toCsv(m);
        QCOMPARE(csv, QByteArray("name,cost\r\n\"'=HYPERLINK(\"\"x\"\")\",-1.5\r\n"
                                 "\"plain, with comma\",'@SUM(A1)\r\n"));
    }

    void requestCsvExport()
    {
        CallFilter f;
        f.include[Dimension::Agent] = {
            DrillQuery::children(*m_ws, {}, {}, Dimension::Agent).back().name};
        const std::string out = m_dir.filePath(QStringLiteral("calls.csv")).toStdString();
        std::string error;
        int64_t rows = 0;
        QVERIFY2(
            RequestCsvExport::write(*m_ws, f, RequestSort::TimeAsc, {}, out, {}, &error, &rows),
            error.c_str());
        const Measures t = SummaryQuery::run(*m_ws, f, {}).totals;
        QCOMPARE(rows, t[MRecords]);
        QFile file(QString::fromStdString(out));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(int64_t(lines.size()) - 2, rows); // header, rows, empty tail
        QVERIFY(lines[0].startsWith("id,time,provider,model"));
        // A cancelled export leaves no file behind.
        const std::string cancelled = m_dir.filePath(QStringLiteral("never.csv")).toStdString();
        QVERIFY(!RequestCsvExport::write(
            *m_ws, {}, RequestSort::TimeAsc, {}, cancelled, [](int64_t) { return false; }, &error));
        QVERIFY(!QFile::exists(QString::fromStdString(cancelled)));
        QVERIFY(!QFile::exists(QString::fromStdString(cancelled + ".part")));
    }

    void priceTableEdits_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("input price") << int(PriceTableModel::Input) << "2.5" << true;
        QTest::newRow("tiny price") << int(PriceTableModel::CachedInput) << "0.01875" << true;
        QTest::newRow("negative") << int(PriceTableModel::Output) << "-1" << false;
        QTest::newRow("not a number") << int(PriceTableModel::Output) << "abc" << false;
        QTest::newRow("date") << int(PriceTableModel::EffectiveFrom) << "2026-01-15" << true;
        QTest::newRow("bad date") << int(PriceTableModel::EffectiveFrom) << "2026-13-01" << false;
        QTest::newRow("empty model") << int(PriceTableModel::Model) << "" << false;
        QTest::newRow("aliases") << int(PriceTableModel::Aliases) << "a, b" << true;
    }
    void priceTableEdits()
    {
        QFETCH(int, column);
        QFETCH(QString, text);
        QFETCH(bool, accepted);
        PriceTableModel m;
        m.setCatalog(PriceCatalog::builtIn());
        QVERIFY(!m.isModified());
        const QModelIndex i = m.index(0, column);
        QCOMPARE(m.setData(i, text, Qt::EditRole), accepted);
        QCOMPARE(m.isModified(), accepted);
        if (accepted)
            QCOMPARE(m.data(i, Qt::DisplayRole).toString(), text);
        // The table round-trips into a catalog.
        const PriceCatalog c = m.catalog();
        QCOMPARE(c.entries().size(), PriceCatalog::builtIn().entries().size());
        if (accepted && column == PriceTableModel::Input)
            QCOMPARE(c.entries()[0].inputPpt, int64_t(2'500'000));
        if (accepted && column == PriceTableModel::CachedInput)
            QCOMPARE(c.entries()[0].cachedInputPpt, int64_t(18'750));
    }

    void priceTableValidation()
    {
        PriceTableModel m;
        m.setCatalog(PriceCatalog::builtIn());
        QVERIFY(m.validate().isEmpty());
        QVERIFY(m.insertRows(0, 1));
        QVERIFY(m.validate().contains(QStringLiteral("Row 1")));
        QVERIFY(m.setData(m.index(0, PriceTableModel::Model), QStringLiteral("my-model"),
                          Qt::EditRole));
        QVERIFY(m.validate().contains(QStringLiteral("my-model")));
        QVERIFY(m.setData(m.index(0, PriceTableModel::Input), QStringLiteral("1"), Qt::EditRole));
        QVERIFY(m.setData(m.index(0, PriceTableModel::Output), QStringLiteral("2"), Qt::EditRole));
        QVERIFY(m.validate().isEmpty());
        QVERIFY(m.catalog().priceAt("my-model", 0));
        QVERIFY(m.removeRows(0, 1));
        QVERIFY(!m.catalog().priceAt("my-model", 0));
    }

    void runnerDropsStaleResults()
    {
        QueryRunner runner(QString::fromStdString(m_path));
        std::vector<int> delivered;
        // The first job blocks the worker long enough for the next two to
        // queue on one channel: only the last of them runs and answers.
        std::atomic<bool> release{false};
        runner.run<int>(
            QStringLiteral("a"),
            [&](Workspace &) {
                while (!release)
                    QThread::msleep(1);
                return 1;
            },
            [&](int &v) { delivered.push_back(v); });
        runner.run<int>(
            QStringLiteral("b"), [](Workspace &) { return 2; },
            [&](int &v) { delivered.push_back(v); });
        runner.run<int>(
            QStringLiteral("b"),
            [](Workspace &ws) {
                return int(SummaryQuery::run(ws, {}, {}).totals[MRecords] > 0) + 2;
            },
            [&](int &v) { delivered.push_back(v); });
        // A newer job on "a" makes the running one's answer stale.
        runner.run<int>(
            QStringLiteral("a"), [](Workspace &) { return 4; },
            [&](int &v) { delivered.push_back(v); });
        release = true;
        QTRY_COMPARE(runner.pending(), 0);
        QCOMPARE(delivered, (std::vector<int>{3, 4}));
        // Errors arrive as failed(), with the channel.
        QSignalSpy failed(&runner, &QueryRunner::failed);
        runner.run<int>(
            QStringLiteral("c"),
            [](Workspace &ws) {
                Statement st(ws.db(), "SELECT * FROM no_such_table");
                return 0;
            },
            [&](int &) { QFAIL("a failed job has no result"); });
        QTRY_COMPARE(failed.count(), 1);
        QCOMPARE(failed.first().at(0).toString(), QStringLiteral("c"));
    }
};

QTEST_GUILESS_MAIN(TestViewQueries)
#include "tst_viewqueries.moc"
