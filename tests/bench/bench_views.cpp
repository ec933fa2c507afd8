// tl_bench_views: the desktop app's responsiveness on a big workspace.
//
//   build/release/tests/bench/tl_bench_views [--calls N] [--dir DIR] [--reps R] [--db URI]
//
// --db names the workspace instead (a PostgreSQL server's ledger, filled
// with the generated fleet when it holds no calls yet).
// On a generated fleet of N calls (default 10M; kept in DIR between runs):
// - opening the workspace to a painted Overview;
// - for each kind of view change (period, granularity, filter, stacking,
//   drill step, requests page/sort/search): time from the change to the
//   view's model being filled (median and worst of R repetitions), next to
//   the same figures computed straight from the calls table, the obvious
//   way, for scale;
// - the longest GUI event-loop stall while the import dialog imports 1M
//   calls (a 1 ms timer records the gaps);
// - peak RSS of the process.
// Offscreen; not part of the test suite (timings are noisy here).

#include "core/timeutil.h"
#include "exploreview.h"
#include "filterbar.h"
#include "generate/fleetgenerator.h"
#include "import/importer.h"
#include "importdialog.h"
#include "items/drilltreemodel.h"
#include "items/queryrunner.h"
#include "levereditor.h"
#include "leverpanel.h"
#include "mainwindow.h"
#include "overviewview.h"
#include "query/summaryquery.h"
#include "requestsview.h"
#include "simulatorview.h"
#include "store/workspace.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QSettings>
#include <QSlider>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTimer>
#include <QTreeView>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace tl;

namespace {

double ms(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

bool makeFleet(const std::string &csv, int64_t calls, int agents, int64_t startDay)
{
    FleetOptions o;
    o.agents = agents;
    o.days = 30;
    o.startDay = startDay;
    // The generator's callsPerDay is a weekday figure; weekends are quieter.
    o.callsPerDay = calls * 115 / 100 / 30;
    FleetStats stats;
    std::string error;
    if (!FleetGenerator(o).write(csv, &stats, &error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return false;
    }
    std::printf("  generated %lld calls (%d agents, 30 days)\n", (long long)stats.records, agents);
    return true;
}

struct Timing
{
    std::vector<double> ms;
    double median() const
    {
        auto v = ms;
        std::sort(v.begin(), v.end());
        return v.empty() ? 0 : v[v.size() / 2];
    }
    double worst() const { return ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end()); }
};

struct ChangeTime
{
    double filled = 0; // the view's models filled and its charts built
    double idle = 0;   // and everything else the change set off (status bar, paint)
};

// Applies `change`, then waits for the current view to show its results.
ChangeTime timeChange(MainWindow &w, const std::function<void()> &change)
{
    QElapsedTimer t;
    t.start();
    double settledAt = -1;
    auto c = QObject::connect(w.currentView(), &View::settled, [&] {
        if (settledAt < 0)
            settledAt = ms(t);
    });
    change();
    const double changed = ms(t);
    w.waitUntilSettled(120000);
    QObject::disconnect(c);
    if (qEnvironmentVariableIsSet("TL_BENCH_DEBUG"))
        std::fprintf(stderr, "change() %.1f ms, view settled %.1f ms, idle %.1f ms\n", changed,
                     settledAt, ms(t));
    // A change that needs no query (a drill step into rows already loaded)
    // never re-announces settled: its time is the change itself.
    return ChangeTime{settledAt < 0 ? changed : settledAt, ms(t)};
}

double naiveFromCalls(Workspace &ws, const std::string &sql)
{
    QElapsedTimer t;
    t.start();
    Statement st(ws.db(), sql);
    while (st.step()) {
    }
    return ms(t);
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("tokenledger-bench"));
    QSettings().clear();
    int64_t calls = 10'000'000;
    QString dir = QDir::tempPath() + QStringLiteral("/tl-bench-views");
    int reps = 5;
    std::string target;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QStringLiteral("--calls"))
            calls = args[++i].toLongLong();
        else if (args[i] == QStringLiteral("--dir"))
            dir = args[++i];
        else if (args[i] == QStringLiteral("--reps"))
            reps = args[++i].toInt();
        else if (args[i] == QStringLiteral("--db"))
            target = args[++i].toStdString();
    }
    QDir().mkpath(dir);
    const int64_t startDay = *parseDate("2026-10-01");
    const std::string db = !target.empty()
                               ? target
                               : (dir + QStringLiteral("/fleet-%1.tlw").arg(calls)).toStdString();
    std::printf("tl_bench_views: %lld calls, %d repetitions, workspace %s\n", (long long)calls,
                reps, db.c_str());
    bool filled = QFile::exists(QString::fromStdString(db));
    if (isServerTarget(db)) {
        std::string error;
        auto ws = Workspace::open(db, Workspace::OpenMode::CreateIfMissing, &error);
        filled = ws && ws->db().queryInt("SELECT COUNT(*) FROM calls") > 0;
    }
    if (!filled) {
        const std::string csv =
            (dir + QStringLiteral("/fleet-%1.csv").arg(calls)).toStdString(); // beside, for a server too
        if (!makeFleet(csv, calls, 300, startDay))
            return 1;
        std::string error;
        auto ws = Workspace::open(db, Workspace::OpenMode::CreateIfMissing, &error);
        QElapsedTimer t;
        t.start();
        const auto r = Importer(*ws).importFile(csv);
        std::printf("  imported %lld calls in %.1f s\n", (long long)r.imported, ms(t) / 1000);
        std::fflush(stdout);
        QFile::remove(QString::fromStdString(csv));
        QFile::remove(QString::fromStdString(csv + ".truth.json"));
    }

    // Open to a painted overview.
    QElapsedTimer t;
    t.start();
    std::string error;
    auto ws = Workspace::open(db, Workspace::OpenMode::OpenExisting, &error);
    if (!ws) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    MainWindow w(std::move(ws));
    w.resize(1400, 900);
    w.show();
    w.waitUntilSettled(120000);
    QPixmap painted = w.grab(); // paints every widget of the window once
    const double openMs = ms(t);
    std::printf("\nopen a %lld-call workspace to a painted overview: %.0f ms (goal <= 1500)\n",
                (long long)calls, openMs);

    FilterBar *bar = w.filterBar();
    auto setGranularity = [&](TimeBucket b) {
        bar->granularityCombo()->setCurrentIndex(bar->granularityCombo()->findData(int(b)));
    };
    auto custom = [&](int64_t from, int64_t to) {
        ViewFilter f = bar->filter();
        f.range = ViewFilter::Range::Custom;
        f.customFrom = from;
        f.customTo = to;
        bar->setFilter(f);
    };
    auto topName = [&](Dimension d) {
        auto cw = Workspace::open(db, Workspace::OpenMode::OpenExisting, &error);
        return SummaryQuery::run(*cw, {}, {GroupKey{d, TimeBucket::None}}).rows.front().keys[0];
    };
    const std::string team = topName(Dimension::Team), agent = topName(Dimension::Agent);

    struct Case
    {
        const char *view;
        const char *name;
        std::function<void()> change;
        std::function<void()> undo;
        std::function<void()> setup = {};
        std::function<void()> teardown = {};
    };
    const int64_t last = startDay + 29;
    std::vector<Case> cases = {
        {"overview", "period: whole month -> one week", [&] { custom(last - 6, last); },
         [&] { custom(startDay, last); }},
        {"overview", "granularity: day -> hour", [&] { setGranularity(TimeBucket::Hour); },
         [&] { setGranularity(TimeBucket::Day); }},
        {"overview", "granularity: day -> week", [&] { setGranularity(TimeBucket::Week); },
         [&] { setGranularity(TimeBucket::Day); }},
        {"overview", "filter: one team", [&] { bar->restrictTo(Dimension::Team, team); },
         [&] {
             ViewFilter f = bar->filter();
             f.include.clear();
             bar->setFilter(f);
         }},
        {"overview", "stack by agent", [&] { w.overview()->stackCombo()->setCurrentIndex(3); },
         [&] { w.overview()->stackCombo()->setCurrentIndex(0); }},
        {"explore", "period change (tree reloads)", [&] { custom(last - 6, last); },
         [&] { custom(startDay, last); }},
        {"explore", "drill: organisation -> top team",
         [&] {
             ExploreView *e = w.explore();
             const QModelIndex team = e->proxy()->index(0, 0, e->proxy()->index(0, 0));
             e->focusPath(e->model()->pathOf(e->proxy()->mapToSource(team)));
         },
         [&] { w.explore()->focusPath({}); }},
        {"explore", "drill: top agent -> its tasks",
         [&] {
             w.explore()->focusPath({{Dimension::Agent, agent}});
         },
         [&] { w.explore()->focusPath({}); },
         [&] { w.explore()->setHierarchy(QStringLiteral("agent › task")); },
         [&] { w.explore()->setHierarchy(QStringLiteral("team › feature › agent › task")); }},
        {"requests", "period change (first page)", [&] { custom(last - 6, last); },
         [&] { custom(startDay, last); }},
        {"requests", "filter: one agent (first page)",
         [&] { bar->restrictTo(Dimension::Agent, agent); },
         [&] {
             ViewFilter f = bar->filter();
             f.include.clear();
             bar->setFilter(f);
         }},
        {"requests", "sort by cost, one agent",
         [&] { w.requests()->sortCombo()->setCurrentIndex(2); },
         [&] { w.requests()->sortCombo()->setCurrentIndex(0); },
         [&] { bar->restrictTo(Dimension::Agent, agent); },
         [&] {
             ViewFilter f = bar->filter();
             f.include.clear();
             bar->setFilter(f);
         }},
        {"requests", "sort by cost, whole month",
         [&] { w.requests()->sortCombo()->setCurrentIndex(2); },
         [&] { w.requests()->sortCombo()->setCurrentIndex(0); }},
    };
    std::printf("\ntime from a change to the view filled (median, worst) and to the app idle "
                "(median), ms\n%-9s %-34s %10s %10s %10s\n",
                "view", "change", "filled", "worst", "idle");
    QString current;
    for (const Case &c : cases) {
        if (current != QString::fromLatin1(c.view)) {
            current = QString::fromLatin1(c.view);
            w.showView(current);
            w.waitUntilSettled(120000);
        }
        if (c.setup) {
            c.setup();
            w.waitUntilSettled(120000);
        }
        Timing filled, idle;
        const int n = QByteArray(c.name).contains("whole month") ? 1 : reps;
        for (int i = 0; i < n; ++i) {
            const ChangeTime ct = timeChange(w, c.change);
            filled.ms.push_back(ct.filled);
            idle.ms.push_back(ct.idle);
            timeChange(w, c.undo);
        }
        std::printf("%-9s %-34s %10.1f %10.1f %10.1f\n", c.view, c.name, filled.median(),
                    filled.worst(), idle.median());
        if (qEnvironmentVariableIsSet("TL_BENCH_DEBUG")) {
            rusage now{};
            getrusage(RUSAGE_SELF, &now);
            std::fprintf(stderr, "  peak RSS so far %ld MB\n", now.ru_maxrss / 1024);
        }
        if (c.teardown) {
            c.teardown();
            w.waitUntilSettled(120000);
        }
    }
    {
        // Simulator: the baseline of the whole period (rollups plus one
        // time-ordered pass over the calls), then slider steps.
        w.filterBar()->setFilter(ViewFilter{});
        w.waitUntilSettled(120000);
        QElapsedTimer s;
        s.start();
        w.showView(QStringLiteral("simulator"));
        w.waitUntilSettled(600000);
        QApplication::processEvents();
        std::printf(
            "\nSimulator baseline load, whole workspace: %.0f ms (%zu cells -> %zu groups)\n",
            ms(s), w.simulator()->engine()->workload().cellCount(),
            w.simulator()->engine()->workload().groups().size());
        QSlider *slider =
            w.simulator()->levers()->editor(QStringLiteral("response_cache.hit_rate"))->slider();
        std::vector<double> steps;
        for (int i = 1; i <= 40; ++i) {
            s.restart();
            slider->setValue(i * 10);
            QApplication::processEvents(); // the coalesced recompute and repaint
            steps.push_back(ms(s));
        }
        std::sort(steps.begin(), steps.end());
        std::printf("  slider step (recompute + KPI tiles + visible chart): median %.1f ms, max "
                    "%.1f ms\n",
                    steps[steps.size() / 2], steps.back());
        std::fflush(stdout);
    }
    {
        rusage views{};
        getrusage(RUSAGE_SELF, &views);
        std::printf("\npeak RSS after opening and every view change above: %ld MB (goal <= 400)\n",
                    views.ru_maxrss / 1024);
    }
    {
        auto cw = Workspace::open(db, Workspace::OpenMode::OpenExisting, &error);
        std::printf("\nthe obvious way, from the calls table (one run each):\n");
        std::printf("  agent x day over the month          %8.0f ms\n",
                    naiveFromCalls(
                        *cw, "SELECT day, agent_id, SUM(COALESCE(reported_nusd, computed_nusd, 0)) "
                             "FROM calls GROUP BY 1, 2"));
        std::printf(
            "  one team's total                    %8.0f ms\n",
            naiveFromCalls(*cw, "SELECT SUM(COALESCE(reported_nusd, computed_nusd, 0)) FROM calls "
                                "WHERE team_id = 1"));
        std::printf(
            "  requests page 1 by time, no index   %8.0f ms\n",
            naiveFromCalls(*cw, std::string("SELECT * FROM calls") + cw->db().tableOrderHint() +
                                    " ORDER BY ts_ms DESC LIMIT 500"));
    }

    // Event-loop stall while the import dialog imports 1M calls.
    {
        const QString idir = dir + QStringLiteral("/import");
        QDir(idir).removeRecursively();
        QDir().mkpath(idir);
        const std::string csv = (idir + QStringLiteral("/1m.csv")).toStdString();
        makeFleet(csv, 1'000'000, 100, startDay);
        const std::string target = (idir + QStringLiteral("/target.tlw")).toStdString();
        Workspace::open(target, Workspace::OpenMode::CreateIfMissing, &error);
        QElapsedTimer gap;
        double worst = 0;
        int64_t ticks = 0;
        QTimer probe;
        probe.setInterval(1);
        QObject::connect(&probe, &QTimer::timeout, [&] {
            if (gap.isValid())
                worst = std::max(worst, ms(gap));
            ++ticks;
            gap.restart();
        });
        ImportDialog dialog({QString::fromStdString(csv)}, QString::fromStdString(target));
        dialog.show();
        bool done = false;
        QObject::connect(&dialog, &ImportDialog::finished, [&] { done = true; });
        QElapsedTimer total;
        total.start();
        gap.start();
        probe.start();
        dialog.start();
        while (!done)
            QApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        probe.stop();
        std::printf("\nimport 1M calls through the dialog: %.1f s, %lld event-loop ticks, longest "
                    "GUI stall %.1f ms (goal <= 50)\n",
                    ms(total) / 1000, (long long)ticks, worst);
        QDir(idir).removeRecursively();
    }
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("peak RSS at the end: %ld MB (with the plain-SQL comparisons' sorters, generating "
                "and importing 1M calls, and the fleet when this run created it)\n",
                ru.ru_maxrss / 1024);
    return 0;
}
