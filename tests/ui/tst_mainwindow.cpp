// The desktop app driven as a user drives it: real widgets, offscreen, on
// generated workspaces. Every figure a view shows is checked against the
// store (SummaryQuery is what `tokenledger summary` prints).
#include "testutil.h"

#include "budgets/budgetfile.h"
#include "budgets/budgetstore.h"
#include "budgetsview.h"
#include "calldetailpanel.h"
#include "chartfactory.h"
#include "cohortspanel.h"
#include "core/timeutil.h"
#include "decide/cohortcompare.h"
#include "decide/opportunityfinder.h"
#include "decideview.h"
#include "dimensionpicker.h"
#include "displayformat.h"
#include "exploreview.h"
#include "filterbar.h"
#include "import/importer.h"
#include "importdialog.h"
#include "items/drilltreemodel.h"
#include "items/pricetablemodel.h"
#include "items/queryrunner.h"
#include "items/requesttablemodel.h"
#include "items/roles.h"
#include "kpitile.h"
#include "livefollower.h"
#include "mainwindow.h"
#include "overviewview.h"
#include "pricesdialog.h"
#include "progressrunner.h"
#include "query/drillquery.h"
#include "query/requestquery.h"
#include "query/summaryquery.h"
#include "requestsview.h"
#include "scenariodocument.h"
#include "scenariofile.h"
#include "simulatorview.h"
#include "store/filekind.h"
#include "store/schema.h"
#include "theme.h"

#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QClipboard>
#include <QComboBox>
#include <QDateEdit>
#include <QFileDialog>
#include <QHorizontalBarSeries>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPieSeries>
#include <QPieSlice>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>

#include <set>

using namespace tl;

namespace {

// The filter bar set to the inclusive days [from, to] (YYYY-MM-DD).
void showPeriod(MainWindow &w, const char *from, const char *to)
{
    ViewFilter f = w.filterBar()->filter();
    f.range = ViewFilter::Range::Custom;
    f.customFrom = *parseDate(from);
    f.customTo = *parseDate(to);
    w.filterBar()->setFilter(f);
}

std::unique_ptr<Workspace> open(const std::string &path)
{
    return tltest::openExisting(path);
}

QString usd(int64_t nusd)
{
    return QString::fromStdString(formatUsd(nusd));
}

// The rows under a tree index, as (name, cost) from the model.
int64_t childCostSum(QAbstractItemModel *m, const QModelIndex &parent)
{
    int64_t sum = 0;
    for (int r = 0; r < m->rowCount(parent); ++r)
        sum += m->data(m->index(r, DrillTreeModel::Cost, parent), SortRole).toLongLong();
    return sum;
}

// The agent of most cost, the first of Explore's agents.
std::string busiestAgent(const std::string &path)
{
    return SummaryQuery::run(*open(path), {}, {GroupKey{Dimension::Agent, TimeBucket::None}})
        .rows.front()
        .keys[0];
}

// Shows Explore as agent › task, focused on the agent's tasks; false when
// the hierarchy was refused or the view did not settle.
bool showAgentTasks(MainWindow &w, const std::string &agent)
{
    w.resize(1400, 900);
    w.show();
    w.showView(QStringLiteral("explore"));
    if (!w.explore()->setHierarchy(QStringLiteral("agent › task")) || !w.waitUntilSettled())
        return false;
    w.explore()->focusPath({{Dimension::Agent, agent}});
    return w.waitUntilSettled();
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_path;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // settings go to a test folder
        QCoreApplication::setOrganizationName(QStringLiteral("tokenledger-tests"));
        // Each run its own settings: the file and server runs go side by side.
        QCoreApplication::setApplicationName(tltest::serverRun()
                                                 ? QStringLiteral("tst_mainwindow_pg")
                                                 : QStringLiteral("tst_mainwindow"));
        QSettings().clear();
        m_path = tltest::generatedWorkspace(m_dir);
    }

    void init() { QSettings().clear(); }

    void overviewShowsTheStoreTotals()
    {
        MainWindow w(open(m_path));
        w.resize(1400, 900);
        w.show();
        QVERIFY(w.waitUntilSettled());
        auto ws = open(m_path);
        const Measures t = SummaryQuery::run(*ws, {}, {}).totals;
        QCOMPARE(w.overview()->tile(QStringLiteral("spend"))->value(), usd(t[MCostNusd]));
        QCOMPARE(w.overview()->tile(QStringLiteral("requests"))->value(),
                 QLocale().toString(qlonglong(t[MRequests])));
        QTRY_VERIFY(w.statusCallsText().contains(QLocale().toString(qlonglong(t[MRecords]))));
        // Three charts, each with something drawn.
        QVERIFY(!w.overview()->spendChart()->chart()->series().isEmpty());
        QVERIFY(!w.overview()->agentChart()->chart()->series().isEmpty());
        QVERIFY(!w.overview()->modelChart()->chart()->series().isEmpty());
    }

    // Decide lists the opportunities the CLI finds for the same period, and
    // opens one in the Simulator as an unsaved scenario on its own baseline.
    void decideOpensAnOpportunityInTheSimulator()
    {
        MainWindow w(open(m_path));
        w.resize(1400, 900);
        w.show();
        QVERIFY(w.waitUntilSettled());
        QVERIFY(w.showView(QStringLiteral("decide")));
        QVERIFY(w.waitUntilSettled(120000));
        DecideView *d = w.decide();
        QVERIFY(!d->opportunities().empty());
        QCOMPARE(d->opportunityTable()->rowCount(), int(d->opportunities().size()));
        // The same workspace and filter, found directly: the same list.
        {
            auto ws = open(m_path);
            const auto in = DecisionInputs::load(*ws, w.filterBar()->filter().callFilter());
            const auto direct = OpportunityFinder::find(*in, {});
            QCOMPARE(direct.size(), d->opportunities().size());
            QCOMPARE(direct[0].monthlySavingUsd, d->opportunities()[0].monthlySavingUsd);
        }
        QVERIFY(!d->portfolio().agents.empty());
        QCOMPARE(d->portfolioTable()->rowCount(), int(d->portfolio().agents.size()));
        d->opportunityTable()->selectRow(1);
        const sim::Scenario chosen = d->opportunities()[1].scenario;
        d->openSelectedInSimulator();
        QCOMPARE(w.currentView(), static_cast<View *>(w.simulator()));
        QVERIFY(w.waitUntilSettled(120000));
        QCOMPARE(w.simulator()->document()->scenario().levers, chosen.levers);
        QVERIFY(w.simulator()->document()->isModified()); // never saved: closing asks
        // The app's filter follows the scenario's baseline (its scope).
        const auto &[dim, names] = *chosen.baseline.filter.begin();
        QCOMPARE(w.filterBar()->filter().include.at(*dimensionFromName(dim)), names);
    }

    // Two cohorts compared in the app give what CohortCompare gives; a
    // cohort that does not parse says why and shows no old figures.
    void decideComparesTwoCohorts()
    {
        MainWindow w(open(m_path));
        w.resize(1400, 900);
        w.show();
        QVERIFY(w.showView(QStringLiteral("decide")));
        QVERIFY(w.waitUntilSettled(120000));
        w.decide()->tabs()->setCurrentIndex(2);
        const QStringList teams = tltest::names(*open(m_path), "team");
        QVERIFY(teams.size() >= 2);
        CohortsPanel *c = w.decide()->cohorts();
        const QString a = QStringLiteral("team=") + teams[0],
                      b = QStringLiteral("team=") + teams[1];
        QVERIFY(c->compare(a, b));
        QTRY_VERIFY_WITH_TIMEOUT(!c->isBusy(), 60000);
        QVERIFY(c->result());
        std::string error;
        const auto direct = CohortCompare::run(*open(m_path), w.filterBar()->filter().callFilter(),
                                               *Cohort::parse(a.toStdString(), &error),
                                               *Cohort::parse(b.toStdString(), &error));
        QCOMPARE(c->result()->verdict, direct.verdict);
        QCOMPARE(c->table()->item(1, 1)->text(), DisplayFormat::count(direct.a.tasks));
        QVERIFY(!c->chart()->chart()->series().isEmpty());
        QVERIFY(!c->compare(QStringLiteral("colour=red"), b));
        QVERIFY(c->verdictText().contains(QStringLiteral("unknown dimension")));
    }

    // A double-clicked scenario opens in the Simulator, a budgets file is
    // imported, a mapping is explained; the window has its icon.
    void openDocumentsByKind()
    {
        // Its own copy: importing budgets must not change the other tests' workspace.
        QTemporaryDir dir;
        MainWindow w(open(tltest::privateCopy(m_path, dir, QStringLiteral("documents.tlw"))));
        w.resize(1400, 900);
        w.show();
        QVERIFY(w.waitUntilSettled());
        QVERIFY(!w.windowIcon().isNull());
        QVERIFY(!w.windowIcon().pixmap(64, 64).isNull()); // the SVG renders
        sim::Scenario s;
        s.name = "From a colleague";
        s.levers.priceChangePct = -10;
        const QString scenario = dir.filePath(QStringLiteral("q3-plan.tlscenario"));
        QCOMPARE(sim::ScenarioFile::save(scenario.toStdString(), s), std::string());
        QCOMPARE(detectFileKind(scenario.toStdString()), FileKind::Scenario);
        QVERIFY(w.openDocument(scenario, FileKind::Scenario, false));
        QCOMPARE(w.currentView(), static_cast<View *>(w.simulator()));
        QCOMPARE(w.simulator()->document()->filePath(), scenario);
        QCOMPARE(w.simulator()->document()->scenario().levers.priceChangePct, -10.0);
        Budget b;
        b.name = "Shared monthly";
        b.amountNusd = 5'000'000'000'000;
        const QString budgets = dir.filePath(QStringLiteral("team.tlbudgets"));
        QCOMPARE(BudgetFile::save(budgets.toStdString(), {b}), std::string());
        QVERIFY(w.openDocument(budgets, FileKind::Budgets, false));
        QCOMPARE(w.currentView(), static_cast<View *>(w.budgets()));
        QTRY_VERIFY_WITH_TIMEOUT(w.budgets()->budgets().size() == 1 &&
                                     w.budgets()->budgets()[0].name == "Shared monthly",
                                 20000);
        QVERIFY(w.openDocument(QStringLiteral(TL_FIXTURES "/mapping-example.json"),
                               FileKind::Mapping, false));
    }

    void filterPickerAndChips()
    {
        MainWindow w(open(m_path));
        w.show();
        QVERIFY(w.waitUntilSettled());
        FilterBar *bar = w.filterBar();
        DimensionPicker *picker = bar->picker(Dimension::Team);
        picker->refresh();
        QTRY_VERIFY(picker->list()->count() > 1);
        // Type to search: only matching names remain.
        const QString first = picker->list()->item(0)->text();
        QTest::keyClicks(picker->searchEdit(), first);
        QTRY_COMPARE(picker->list()->count(), 1);
        picker->list()->item(0)->setCheckState(Qt::Checked);
        QCOMPARE(bar->filter().include.at(Dimension::Team),
                 std::vector<std::string>{first.toStdString()});
        QCOMPARE(bar->chips().size(), 1);
        QVERIFY(bar->chips().front()->text().contains(first));
        QVERIFY(w.waitUntilSettled());
        auto ws = open(m_path);
        CallFilter f;
        f.include[Dimension::Team] = {first.toStdString()};
        QCOMPARE(w.overview()->tile(QStringLiteral("spend"))->value(),
                 usd(SummaryQuery::run(*ws, f, {}).totals[MCostNusd]));
        // Every view follows: Explore shows the same organisation total.
        w.showView(QStringLiteral("explore"));
        QVERIFY(w.waitUntilSettled());
        QCOMPARE(w.explore()
                     ->model()
                     ->data(w.explore()->model()->index(0, DrillTreeModel::Cost), SortRole)
                     .toLongLong(),
                 SummaryQuery::run(*ws, f, {}).totals[MCostNusd]);
        // Removing the chip removes the filter.
        QTest::mouseClick(bar->chips().front(), Qt::LeftButton);
        QVERIFY(bar->filter().include.empty());
        QTRY_COMPARE(bar->chips().size(), 0);
    }

    void periodPresetsAndGranularity()
    {
        MainWindow w(open(m_path));
        w.show();
        QVERIFY(w.waitUntilSettled());
        FilterBar *bar = w.filterBar();
        bar->rangeCombo()->setCurrentIndex(
            bar->rangeCombo()->findData(int(ViewFilter::Range::Last7)));
        QCOMPARE(bar->filter().range, ViewFilter::Range::Last7);
        const auto [from, to] = bar->filter().days(todayUtc());
        QCOMPARE(*to - *from, int64_t(6));
        // Editing a date makes the range custom.
        bar->fromEdit()->setDate(QDate(2025, 11, 10));
        QCOMPARE(bar->filter().range, ViewFilter::Range::Custom);
        bar->toEdit()->setDate(QDate(2025, 11, 16));
        bar->granularityCombo()->setCurrentIndex(
            bar->granularityCombo()->findData(int(TimeBucket::Hour)));
        QVERIFY(w.waitUntilSettled());
        const OverviewData &d = w.overview()->data();
        QCOMPARE(d.bucket, TimeBucket::Hour);
        QCOMPARE(d.buckets.size(), size_t(7 * 24));
        auto ws = open(m_path);
        const CallFilter f = bar->filter().callFilter();
        QCOMPARE(*f.fromDay, *parseDate("2025-11-10"));
        QCOMPARE(w.overview()->tile(QStringLiteral("spend"))->value(),
                 usd(SummaryQuery::run(*ws, f, {}).totals[MCostNusd]));
        QVERIFY(d.hasPrevious); // a custom week compares with the week before
        QCOMPARE(d.previous[MCostNusd],
                 SummaryQuery::run(*ws, *f.previousPeriod(), {}).totals[MCostNusd]);
    }

    void drillFromOrganisationToOneRequest()
    {
        MainWindow w(open(m_path));
        w.resize(1400, 900);
        w.show();
        w.showView(QStringLiteral("explore"));
        QVERIFY(w.waitUntilSettled());
        ExploreView *e = w.explore();
        QSortFilterProxyModel *m = e->proxy();
        auto ws = open(m_path);
        const Measures total = SummaryQuery::run(*ws, {}, {}).totals;
        QModelIndex node = m->index(0, 0);
        QCOMPARE(m->data(m->index(0, DrillTreeModel::Cost), SortRole).toLongLong(),
                 total[MCostNusd]);
        QCOMPARE(e->breadcrumb(), QStringList{QStringLiteral("Organisation")});
        // Organisation → team → feature → agent → task: double-click the most
        // expensive row each time; the children always add up to the parent.
        QStringList crumbs = {QStringLiteral("Organisation")};
        for (int depth = 0; depth < 4; ++depth) {
            const QModelIndex parent = depth == 0 ? node : e->tree()->rootIndex();
            QTRY_VERIFY(m->rowCount(parent) > 0);
            const int64_t parentCost =
                m->data(parent.siblingAtColumn(DrillTreeModel::Cost), SortRole).toLongLong();
            QCOMPARE(childCostSum(m, parent), parentCost);
            const QModelIndex top = m->index(0, 0, parent); // sorted by cost, descending
            const DrillPath path = e->model()->pathOf(m->mapToSource(top));
            // The same node through the store: the same cost.
            QCOMPARE(m->data(top.siblingAtColumn(DrillTreeModel::Cost), SortRole).toLongLong(),
                     SummaryQuery::run(*ws, DrillQuery::narrow({}, path), {}).totals[MCostNusd]);
            crumbs << top.data().toString();
            e->tree()->scrollTo(top);
            QApplication::processEvents();
            QVERIFY(e->tree()->visualRect(top).isValid());

            // Qt 6's QTest::mouseDClick needs the press of a first click before it.
            const QPoint at = e->tree()->visualRect(top).center();
            QTest::mouseClick(e->tree()->viewport(), Qt::LeftButton, {}, at);
            QTest::mouseDClick(e->tree()->viewport(), Qt::LeftButton, {}, at);
            QVERIFY(w.waitUntilSettled());
            QCOMPARE(e->focusedPath(), path);
            QCOMPARE(e->breadcrumb(), crumbs);
        }
        // In the task: its calls. Clicking one shows its details.
        const QModelIndex task = e->tree()->rootIndex();
        QTRY_VERIFY(m->rowCount(task) > 0);
        QCOMPARE(childCostSum(m, task),
                 m->data(task.siblingAtColumn(DrillTreeModel::Cost), SortRole).toLongLong());
        const QModelIndex call = m->index(0, 0, task);
        QTest::mouseClick(e->tree()->viewport(), Qt::LeftButton, {},
                          e->tree()->visualRect(call).center());
        const qlonglong id = m->data(call, IdRole).toLongLong();
        QVERIFY(id > 0);
        QVERIFY(w.waitUntilSettled());
        QTRY_COMPARE(e->detail()->callId(), std::optional<int64_t>(id));
        QTRY_VERIFY(e->detail()->text().contains(QStringLiteral("Calls of task")));
        const auto detail = RequestQuery::detail(*ws, id);
        QVERIFY(e->detail()->text().contains(QString::fromStdString(detail->row.requestId)));
        QVERIFY(e->detail()->text().contains(QString::fromStdString(detail->price->model)));
        // The breadcrumb jumps back to any level.
        QList<QToolButton *> buttons = e->findChildren<QToolButton *>(QStringLiteral("crumb"));
        QToolButton *teamCrumb = nullptr;
        for (QToolButton *b : buttons)
            if (b->isVisible() && b->text() == crumbs[1])
                teamCrumb = b;
        QVERIFY(teamCrumb);
        QTest::mouseClick(teamCrumb, Qt::LeftButton);
        QVERIFY(w.waitUntilSettled());
        QCOMPARE(e->focusedPath().size(), size_t(1));
        QCOMPARE(e->breadcrumb(), (QStringList{crumbs[0], crumbs[1]}));
    }

    // A busy agent's tasks: the costliest listed and the rest summed in a
    // last row that stays last however the list is sorted; Enter on it lists
    // them all. A task among the rest can still be the focus.
    void longListsEndInTheirSummedRest()
    {
        auto ws = open(m_path);
        const std::string agent = busiestAgent(m_path);
        CallFilter f;
        f.include[Dimension::Agent] = {agent};
        const SummaryResult tasks =
            SummaryQuery::run(*ws, f, {GroupKey{Dimension::Task, TimeBucket::None}});
        const int all = int(tasks.rows.size());
        const int shown = int(DrillQuery::kShownRows);
        QVERIFY2(all > shown + 10, qPrintable(QString::number(all)));

        MainWindow w(open(m_path));
        QVERIFY(showAgentTasks(w, agent));
        ExploreView *e = w.explore();
        QSortFilterProxyModel *m = e->proxy();
        // Sorting changes the proxy's indexes: the root is asked for anew.
        const auto root = [&] { return e->tree()->rootIndex(); };
        QCOMPARE(m->rowCount(root()), shown + 1);
        const auto last = [&] { return m->index(m->rowCount(root()) - 1, 0, root()); };
        QVERIFY(e->model()->isRest(m->mapToSource(last())));
        QCOMPARE(last().data().toString(),
                 QStringLiteral("… and %1 more tasks").arg(QLocale().toString(all - shown)));
        QCOMPARE(childCostSum(m, root()), tasks.totals[MCostNusd]);
        e->tree()->sortByColumn(DrillTreeModel::Cost, Qt::AscendingOrder);
        QVERIFY(e->model()->isRest(m->mapToSource(last())));
        QVERIFY(!e->model()->isRest(m->mapToSource(m->index(0, 0, root()))));
        e->tree()->sortByColumn(DrillTreeModel::Name, Qt::DescendingOrder);
        QVERIFY(e->model()->isRest(m->mapToSource(last())));
        e->tree()->sortByColumn(DrillTreeModel::Cost, Qt::DescendingOrder);

        e->tree()->setCurrentIndex(last());
        QTest::keyClick(e->tree(), Qt::Key_Return);
        QVERIFY(w.waitUntilSettled());
        QTRY_COMPARE(m->rowCount(root()), all);
        QVERIFY(!e->model()->isRest(m->mapToSource(last())));
        QCOMPARE(childCostSum(m, root()), tasks.totals[MCostNusd]);
        QCOMPARE(e->focusedPath(), (DrillPath{{Dimension::Agent, agent}}));

        // The cheapest task, asked for by path in a new window: listed, found.
        MainWindow w2(open(m_path));
        w2.show();
        w2.showView(QStringLiteral("explore"));
        QVERIFY(w2.explore()->setHierarchy(QStringLiteral("agent › task")));
        QVERIFY(w2.waitUntilSettled());
        const DrillPath cheapest = {{Dimension::Agent, agent},
                                    {Dimension::Task, tasks.rows.back().keys[0]}};
        w2.explore()->focusPath(cheapest);
        QVERIFY(w2.waitUntilSettled());
        QCOMPARE(w2.explore()->focusedPath(), cheapest);
    }

    // The summed rest follows the rule of any row: calls without a price in
    // it are said (their cost is unknown), never counted as $0 unsaid.
    void theRestSaysItsUnpricedCalls()
    {
        QTemporaryDir dir;
        const std::string path = tltest::generatedWorkspace(dir);
        const std::string agent = busiestAgent(path);
        // Twelve tasks of the busiest agent on a model no catalog prices:
        // cost unknown, so last by cost, so in the rest.
        QFile csv(dir.filePath(QStringLiteral("unpriced.csv")));
        QVERIFY(csv.open(QIODevice::WriteOnly));
        csv.write("ts,request_id,provider,model,input_tokens,output_tokens,agent,task_id\n");
        for (int i = 0; i < 12; ++i)
            csv.write(QStringLiteral("2025-11-10T08:%1:00Z,req-unpriced-%1,acme,acme-private-7,"
                                     "1000,200,%2,unpriced-task-%1\n")
                          .arg(i, 2, 10, QLatin1Char('0'))
                          .arg(QString::fromStdString(agent))
                          .toUtf8());
        csv.close();
        {
            auto ws = open(path);
            const auto r = Importer(*ws).importFile(csv.fileName().toStdString());
            QVERIFY2(r.ok && r.imported == 12, r.error.c_str());
        }

        MainWindow w(open(path));
        QVERIFY(showAgentTasks(w, agent));
        ExploreView *e = w.explore();
        QSortFilterProxyModel *m = e->proxy();
        const QModelIndex root = e->tree()->rootIndex();
        QCOMPARE(m->rowCount(root), int(DrillQuery::kShownRows) + 1);
        const QModelIndex rest = m->index(m->rowCount(root) - 1, DrillTreeModel::Cost, root);
        QVERIFY(e->model()->isRest(m->mapToSource(rest)));
        QVERIFY(rest.data().toString().startsWith(QLatin1Char('$'))); // the priced rest's sum
        QCOMPARE(rest.data(Qt::ToolTipRole).toString(),
                 QStringLiteral("Without 12 unpriced calls, whose cost is unknown"));
        // A named row without unpriced calls says nothing of them.
        QVERIFY(m->index(0, DrillTreeModel::Cost, root).data(Qt::ToolTipRole).isNull());
    }

    void hierarchyIsConfigurable()
    {
        MainWindow w(open(m_path));
        w.show();
        w.showView(QStringLiteral("explore"));
        QVERIFY(w.waitUntilSettled());
        ExploreView *e = w.explore();
        QVERIFY(!e->setHierarchy(QStringLiteral("model › nonsense")));
        QVERIFY(!e->setHierarchy(QStringLiteral("agent, agent")));
        QVERIFY(e->setHierarchy(QStringLiteral("model > agent > user")));
        QVERIFY(w.waitUntilSettled());
        QCOMPARE(e->hierarchyText(), QStringLiteral("model › agent › user"));
        auto ws = open(m_path);
        const SummaryResult byModel =
            SummaryQuery::run(*ws, {}, {GroupKey{Dimension::Model, TimeBucket::None}});
        const QModelIndex org = e->proxy()->index(0, 0);
        QTRY_COMPARE(e->proxy()->rowCount(org), int(byModel.rows.size()));
        QCOMPARE(e->proxy()->index(0, 0, org).data().toString(),
                 QString::fromStdString(byModel.rows[0].keys[0]));
    }

    void chartClickOpensExploreFiltered()
    {
        MainWindow w(open(m_path));
        w.resize(1400, 900);
        w.show();
        QVERIFY(w.waitUntilSettled());
        auto *bars = qobject_cast<QHorizontalBarSeries *>(
            w.overview()->agentChart()->chart()->series().front());
        QBarSet *set = bars->barSets().front();
        const QStringList names = set->property("tlName").toStringList();
        const int top = int(names.size()) - 1; // the most expensive is drawn on top
        Q_EMIT set->clicked(top);
        QCOMPARE(w.currentView(), static_cast<View *>(w.explore()));
        QCOMPARE(w.filterBar()->filter().include.at(Dimension::Agent),
                 std::vector<std::string>{names[top].toStdString()});
        QCOMPARE(names[top].toStdString(), w.overview()->data().topAgents.front().first);
        QVERIFY(w.waitUntilSettled());
        auto ws = open(m_path);
        CallFilter f;
        f.include[Dimension::Agent] = {names[top].toStdString()};
        QCOMPARE(w.explore()
                     ->proxy()
                     ->data(w.explore()->proxy()->index(0, DrillTreeModel::Cost), SortRole)
                     .toLongLong(),
                 SummaryQuery::run(*ws, f, {}).totals[MCostNusd]);
        // Explore opens at the agent (team › feature › agent), not at the
        // Organisation: the breadcrumb ends with its name.
        QVERIFY2(w.explore()->breadcrumb().last() == names[top],
                 qPrintable(w.explore()->breadcrumb().join(QStringLiteral(" > "))));
        // A team bar opens at the team, with its spend and change beside it.
        w.filterBar()->setFilter(ViewFilter{});
        QVERIFY(w.showView(QStringLiteral("overview")));
        QVERIFY(w.waitUntilSettled());
        auto *teamBars = qobject_cast<QHorizontalBarSeries *>(
            w.overview()->teamChart()->chart()->series().front());
        QBarSet *teams = teamBars->barSets().front();
        const QStringList teamNames = teams->property("tlName").toStringList();
        const QString topTeam = teamNames.last();
        auto *axis = qobject_cast<QBarCategoryAxis *>(
            w.overview()->teamChart()->chart()->axes(Qt::Vertical).front());
        QVERIFY(axis);
        QVERIFY2(axis->categories().last().startsWith(topTeam + QStringLiteral("   $")),
                 qPrintable(axis->categories().last()));
        Q_EMIT teams->clicked(int(teamNames.size()) - 1);
        QVERIFY(w.waitUntilSettled());
        QCOMPARE(w.explore()->breadcrumb().last(), topTeam);
        // The spend chart's tooltip names the layer, the day and its dollars.
        const OverviewData &d = w.overview()->data();
        const QString tip = w.overview()->spendTipAt(0, QString::fromStdString(d.stackNames[0]),
                                                     double(d.buckets[1] * kMsPerDay));
        QVERIFY2(tip.contains(QString::fromStdString(formatDate(d.buckets[1]))) &&
                     tip.contains(DisplayFormat::money(d.stackCost[0][1])),
                 qPrintable(tip));
    }

    // A granularity change rebuilds the spend chart only: the top teams,
    // agents and the model mix are the same figures, kept as they were,
    // and a kept bar still drills once per click (not once per rebuild).
    // A filter that changes them rebuilds them.
    void unchangedChartsAreKeptAndDrillOnce()
    {
        MainWindow w(open(m_path));
        w.resize(1400, 900);
        w.show();
        QVERIFY(w.waitUntilSettled());
        OverviewView *o = w.overview();
        QChart *spend = o->spendChart()->chart(), *teams = o->teamChart()->chart(),
               *agents = o->agentChart()->chart(), *models = o->modelChart()->chart();
        const size_t days = o->data().buckets.size();
        FilterBar *bar = w.filterBar();
        bar->granularityCombo()->setCurrentIndex(
            bar->granularityCombo()->findData(int(TimeBucket::Hour)));
        QVERIFY(w.waitUntilSettled());
        QCOMPARE(o->data().bucket, TimeBucket::Hour);
        QVERIFY(o->data().buckets.size() > days);
        QVERIFY(o->spendChart()->chart() != spend);
        QCOMPARE(o->teamChart()->chart(), teams);
        QCOMPARE(o->agentChart()->chart(), agents);
        QCOMPARE(o->modelChart()->chart(), models);
        const auto teamSet = [&] {
            return qobject_cast<QHorizontalBarSeries *>(o->teamChart()->chart()->series().front())
                ->barSets()
                .front();
        };
        QSignalSpy drills(o, &View::drillRequested);
        const QStringList names = teamSet()->property("tlName").toStringList();
        QVERIFY(names.size() >= 2);
        Q_EMIT teamSet()->clicked(int(names.size()) - 1);
        QCOMPARE(drills.count(), 1);
        QCOMPARE(drills.front().at(1).toString(), names.last());
        // Another team: the ranked charts are its own now.
        QVERIFY(w.showView(QStringLiteral("overview")));
        bar->restrictTo(Dimension::Team, names.front().toStdString());
        QVERIFY(w.waitUntilSettled());
        QCOMPARE(teamSet()->property("tlName").toStringList(), QStringList{names.front()});
        QCOMPARE(o->data().topTeams.size(), size_t(1));
        std::set<std::string> teamAgents;
        for (const auto &[name, cost] : o->data().topAgents)
            teamAgents.insert(name);
        for (const QString &agent :
             qobject_cast<QHorizontalBarSeries *>(o->agentChart()->chart()->series().front())
                 ->barSets()
                 .front()
                 ->property("tlName")
                 .toStringList())
            QVERIFY2(teamAgents.count(agent.toStdString()), qPrintable(agent));
        Q_EMIT teamSet()->clicked(0);
        QCOMPARE(drills.count(), 2);
        QCOMPARE(drills.back().at(1).toString(), names.front());
    }

    // A kept chart is not a stale one: an import of the week before leaves
    // this week's spend as it was but makes the weeks comparable, and the
    // team bars then print each team's change.
    void keptChartsFollowAnImportOfTheWeekBefore()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir, QStringLiteral("weeks.tlw"));
        const auto week = [&](const char *from, int day0, int calls) {
            QByteArray csv = "ts,request_id,model,input_tokens,output_tokens,agent,team\n";
            for (int i = 0; i < calls; ++i)
                csv += "2026-01-" + QByteArray::number(day0 + i % 7).rightJustified(2, '0') +
                       "T10:00:" + QByteArray::number(10 + i % 40) + "Z," + from +
                       QByteArray::number(i) + ",gpt-4o,1000,100,a" + QByteArray::number(i % 3) +
                       ",team-" + QByteArray::number(i % 2) + "\n";
            return tltest::writeFile(dir, QString::fromLatin1(from) + QStringLiteral(".csv"), csv);
        };
        QVERIFY(Importer(*ws).importFile(week("this", 12, 140)).ok);
        const std::string path = ws->path();
        ws.reset();
        MainWindow w(open(path));
        w.resize(1400, 900);
        w.show();
        QVERIFY(w.waitUntilSettled());
        showPeriod(w, "2026-01-12", "2026-01-18");
        QVERIFY(w.waitUntilSettled());
        const auto labels = [&] {
            return qobject_cast<QBarCategoryAxis *>(
                       w.overview()->teamChart()->chart()->axes(Qt::Vertical).front())
                ->categories();
        };
        const QStringList before = labels();
        QCOMPARE(before.size(), 2);
        for (const QString &l : before)
            QVERIFY2(!l.contains(QLatin1Char('%')) && !l.endsWith(QStringLiteral("new")),
                     qPrintable(l));
        const auto spend = w.overview()->data().topTeams;
        QSignalSpy finished(&w, &MainWindow::importFinished);
        w.importFiles({QString::fromStdString(week("last", 5, 70))});
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QVERIFY(finished.first().at(0).toBool());
        for (ImportDialog *d : w.findChildren<ImportDialog *>())
            d->accept();
        QVERIFY(w.waitUntilSettled());
        QTRY_VERIFY(w.overview()->data().comparison.comparable);
        QCOMPARE(w.overview()->data().topTeams, spend); // this week's spend as it was
        QTRY_VERIFY2(labels().front().contains(QLatin1Char('%')), qPrintable(labels().front()));
        // Half the calls a week before, at the same price: each team +100%.
        for (const QString &l : labels())
            QVERIFY2(l.endsWith(QStringLiteral("100.0%")), qPrintable(l));
    }

    void requestsPageSearchAndCopy()
    {
        MainWindow w(open(m_path));
        w.resize(1400, 900);
        w.show();
        w.showView(QStringLiteral("requests"));
        QVERIFY(w.waitUntilSettled());
        RequestsView *r = w.requests();
        RequestTableModel *m = r->model();
        QCOMPARE(m->rowCount(), RequestTableModel::kPageSize);
        // Scrolling to the end pages the next calls in.
        r->table()->verticalScrollBar()->setValue(r->table()->verticalScrollBar()->maximum());
        QTRY_VERIFY(m->rowCount() >= 2 * RequestTableModel::kPageSize);
        QVERIFY(m->rowAt(0)->tsMs >= m->rowAt(m->rowCount() - 1)->tsMs); // newest first
        // Copy two rows: a header and two tab-separated lines.
        r->table()->selectRow(0);
        r->table()->selectionModel()->select(m->index(1, 0), QItemSelectionModel::Select |
                                                                 QItemSelectionModel::Rows);
        r->copySelection();
        const QStringList lines =
            QApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[0].startsWith(QStringLiteral("Time (UTC)\tAgent")));
        QVERIFY(lines[1].contains(QString::fromStdString(m->rowAt(0)->requestId)));
        // Search by task id.
        const std::string task = m->rowAt(0)->task;
        QSignalSpy settled(r, &View::settled);
        QTest::keyClicks(r->searchEdit(), QString::fromStdString(task));
        QTRY_VERIFY(settled.count() > 0); // after the typing pause
        QVERIFY(w.waitUntilSettled());
        QVERIFY(m->rowCount() > 0);
        for (int i = 0; i < m->rowCount(); ++i)
            QCOMPARE(m->rowAt(i)->task, task);
        // Sort by cost: the most expensive call first.
        r->sortCombo()->setCurrentIndex(r->sortCombo()->findData(int(RequestSort::CostDesc)));
        QVERIFY(w.waitUntilSettled());
        for (int i = 1; i < m->rowCount(); ++i)
            QVERIFY(m->rowAt(i - 1)->costNusd >= m->rowAt(i)->costNusd);
    }

    // A cloud bill imported through the dialog: the Overview's
    // Infrastructure tile and Explore's column show it beside the LLM cost,
    // by the bill's tags; before any bill both say none was imported.
    void infrastructureBesideTheLlmCost()
    {
        QTemporaryDir dir;
        const std::string path = tltest::privateCopy(m_path, dir, QStringLiteral("infra.tlw"));
        MainWindow w(open(path));
        w.resize(1400, 900);
        w.show();
        QVERIFY(w.waitUntilSettled());
        KpiTile *tile = w.overview()->tile(QStringLiteral("infra"));
        QCOMPARE(tile->value(), QStringLiteral("—"));
        QSignalSpy finished(&w, &MainWindow::importFinished);
        w.importFiles({QStringLiteral(TL_FIXTURES "/focus/azure-focus-1.2.csv")});
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QVERIFY(finished.first().at(0).toBool());
        auto *dialog = w.findChild<ImportDialog *>(QStringLiteral("importDialog"));
        QCOMPARE(dialog->summaryTable()->item(0, 1)->text(),
                 QStringLiteral("focus (infrastructure)"));
        QCOMPARE(dialog->summaryTable()->item(0, 2)->text(), QStringLiteral("3"));
        dialog->accept();
        // The bill is of October 2026; the generated calls of November 2025.
        showPeriod(w, "2026-10-01", "2026-10-31");
        QVERIFY(w.waitUntilSettled());
        QTRY_COMPARE(tile->value(), usd(96'000'000'000));
        QVERIFY(w.showView(QStringLiteral("explore")));
        QVERIFY(w.waitUntilSettled());
        DrillTreeModel *m = w.explore()->model();
        const QModelIndex org = m->index(0, DrillTreeModel::Infra);
        QCOMPARE(m->data(org, SortRole).toLongLong(), qlonglong(96'000'000'000));
        // The team the bill's tags name, as a row of its own (no calls in October).
        QTRY_VERIFY(m->rowCount(m->index(0, 0)) > 0);
        bool found = false;
        for (int r = 0; r < m->rowCount(m->index(0, 0)); ++r) {
            const QModelIndex name = m->index(r, DrillTreeModel::Name, m->index(0, 0));
            if (m->data(name, Qt::DisplayRole).toString() == QStringLiteral("platform")) {
                found = true;
                QCOMPARE(
                    m->data(name.siblingAtColumn(DrillTreeModel::Infra), SortRole).toLongLong(),
                    qlonglong(96'000'000'000));
            }
        }
        QVERIFY(found);
        // A model filter: a bill cannot say.
        QVERIFY(w.showView(QStringLiteral("overview")));
        ViewFilter f = w.filterBar()->filter();
        f.include[Dimension::Model] = {"gpt-4o"};
        w.filterBar()->setFilter(f);
        QVERIFY(w.waitUntilSettled());
        QTRY_COMPARE(tile->value(), QStringLiteral("n/a"));
    }

    void importThroughTheDialogWithCancel()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir, QStringLiteral("import.tlw"));
        const std::string path = ws->path();
        ws.reset();
        // A file big enough to be cancelled while it is read.
        FleetOptions o;
        o.agents = 30;
        o.days = 20;
        o.callsPerDay = 15000;
        o.startDay = 20'400;
        const QString big = dir.filePath(QStringLiteral("big.csv"));
        std::string error;
        QVERIFY(FleetGenerator(o).write(big.toStdString(), nullptr, &error));
        const QByteArray before = tltest::contentDigest(path);

        MainWindow w(open(path));
        w.show();
        QVERIFY(w.waitUntilSettled());
        QSignalSpy finished(&w, &MainWindow::importFinished);
        w.importFiles({big});
        auto *dialog = w.findChild<ImportDialog *>(QStringLiteral("importDialog"));
        QVERIFY(dialog);
        QSignalSpy progressed(dialog, &ImportDialog::progressed);
        QTRY_VERIFY(progressed.count() > 0);
        QVERIFY(dialog->statusLabel()->text().contains(QStringLiteral("File 1 of 1")));
        QVERIFY(dialog->statusLabel()->text().contains(QStringLiteral("rows/s")));
        QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(finished.first().at(0).toBool(), false);
        QVERIFY(dialog->results().front().cancelled);
        QVERIFY(dialog->statusLabel()->text().contains(QStringLiteral("rolled back")));
        QVERIFY(dialog->summaryTable()->item(0, 6)->text().contains(QStringLiteral("rolled back")));
        QCOMPARE(tltest::contentDigest(path), before);
        dialog->accept();

        // A small file with one bad row imports, and the reject is listed.
        const QString small = dir.filePath(QStringLiteral("small.csv"));
        QFile f(small);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("ts,request_id,model,input_tokens,output_tokens,agent\n"
                "2025-11-10T10:00:00Z,r1,gpt-4o-mini,1000,100,triage\n"
                "2025-11-10T10:00:01Z,r2,gpt-4o-mini,many,100,triage\n");
        f.close();
        w.importFiles({small});
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
        QCOMPARE(finished.last().at(0).toBool(), true);
        dialog = nullptr;
        for (ImportDialog *d : w.findChildren<ImportDialog *>())
            if (d->isVisible())
                dialog = d;
        QVERIFY(dialog);
        QCOMPARE(dialog->results().front().imported, int64_t(1));
        QCOMPARE(dialog->results().front().rejected, int64_t(1));
        QVERIFY(dialog->rejectsButton()->isVisible());
        QCOMPARE(dialog->results().front().rejections.front().line, int64_t(3));
        QTRY_VERIFY(w.statusCallsText().startsWith(QStringLiteral("1 calls")));
        dialog->accept();
    }

    // File → New Workspace on every view (a SIGSEGV once), then back to an
    // existing one; a stray old file and its WAL at the new path are replaced.
    void newWorkspaceFromEveryView_data()
    {
        QTest::addColumn<QString>("view");
        for (const QString &v : MainWindow::viewNames())
            QTest::newRow(qPrintable(v)) << v;
    }

    void newWorkspaceFromEveryView()
    {
        QFETCH(QString, view);
        QTemporaryDir dir;
        const QString fresh = dir.filePath(QStringLiteral("fresh.tlw"));
        // Stray old data where the new workspace goes.
        QVERIFY(QFile::copy(QString::fromStdString(m_path), fresh));
        {
            QFile wal(fresh + QStringLiteral("-wal"));
            QVERIFY(wal.open(QIODevice::WriteOnly));
            wal.write("stale");
        }
        // The open workspace has budgets: the new one has none (the Budgets
        // tree is rebuilt shorter under its selection).
        const QString withBudgets = dir.filePath(QStringLiteral("budgets.tlw"));
        QVERIFY(QFile::copy(QString::fromStdString(m_path), withBudgets));
        {
            Budget a, b;
            a.name = "All";
            a.amountNusd = 5000'000'000'000;
            b.name = "Some team";
            b.scope[Dimension::Team] = "support";
            b.amountNusd = 1000'000'000'000;
            BudgetStore::save(*open(withBudgets.toStdString()), {a, b});
        }
        MainWindow w(open(withBudgets.toStdString()));
        w.resize(1400, 900);
        w.show();
        QVERIFY(w.showView(view));
        QVERIFY(w.waitUntilSettled());
        QString error;
        QVERIFY2(w.createWorkspace(fresh, &error), qPrintable(error));
        QVERIFY(w.waitUntilSettled());
        QTRY_VERIFY(w.statusCallsText().startsWith(QStringLiteral("0 calls")));
        QCOMPARE(SummaryQuery::run(*open(fresh.toStdString()), {}, {}).totals[MRecords],
                 int64_t(0));
        // Every view on the empty workspace, then the old one again.
        for (const QString &v : MainWindow::viewNames()) {
            QVERIFY(w.showView(v));
            QVERIFY2(w.waitUntilSettled(), qPrintable(v));
        }
        // Empty states say what to do, not "widen the period".
        QVERIFY2(w.overview()->message().contains(QStringLiteral("no calls yet")),
                 qPrintable(w.overview()->message()));
        QVERIFY(!w.overview()->message().contains(QStringLiteral("period")));
        const auto *baseline = w.simulator()->findChild<QLabel *>(QStringLiteral("baselineLabel"));
        QVERIFY(baseline);
        QVERIFY2(baseline->text().contains(QStringLiteral("import logs")),
                 qPrintable(baseline->text()));
        QVERIFY(!w.createWorkspace(fresh, &error)); // the open one is not replaced
        QVERIFY(error.contains(QStringLiteral("open workspace")));
        w.setWorkspace(open(m_path));
        QVERIFY(w.showView(QStringLiteral("overview")));
        QVERIFY(w.waitUntilSettled());
        QVERIFY(!w.statusCallsText().startsWith(QStringLiteral("0 calls")));
    }

    // The same through the menu and the real file dialog, as a user does it.
    void newWorkspaceThroughTheMenu()
    {
        QTemporaryDir dir;
        const QString fresh = dir.filePath(QStringLiteral("menu.tlw"));
        MainWindow w(open(m_path));
        w.resize(1400, 900);
        w.show();
        QVERIFY(w.waitUntilSettled());
        QAction *action = nullptr;
        for (QAction *a : w.findChildren<QAction *>())
            if (a->text().contains(QStringLiteral("New Workspace")))
                action = a;
        QVERIFY(action);
        bool answered = false;
        QTimer::singleShot(200, &w, [&] {
            auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            // Starts in the user's documents folder, never in "/".
            QCOMPARE_NE(dialog->directory().absolutePath(), QStringLiteral("/"));
            auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
            QVERIFY(name);
            name->setText(fresh); // typed, as a user does
            answered = true;
            QMetaObject::invokeMethod(dialog, "accept");
        });
        action->trigger();
        QVERIFY(answered);
        QVERIFY(w.waitUntilSettled());
        QTRY_VERIFY(w.statusCallsText().startsWith(QStringLiteral("0 calls")));
        QVERIFY(QFileInfo::exists(fresh));
        for (const QString &v : MainWindow::viewNames()) {
            QVERIFY(w.showView(v));
            QVERIFY2(w.waitUntilSettled(), qPrintable(v));
        }
    }

    // The user keeps working while a big file imports: every view queries
    // meanwhile, and every query answers (old totals or new, never an error).
    void importWhileTheViewsQuery()
    {
        QTemporaryDir dir;
        const QString copy =
            QString::fromStdString(tltest::privateCopy(m_path, dir, QStringLiteral("busy.tlw")));
        FleetOptions o;
        o.agents = 20;
        o.days = 20;
        o.callsPerDay = 20000;
        o.startDay = 20'500;
        const QString big = dir.filePath(QStringLiteral("more.csv"));
        std::string error;
        QVERIFY(FleetGenerator(o).write(big.toStdString(), nullptr, &error));
        const int64_t before =
            SummaryQuery::run(*open(copy.toStdString()), {}, {}).totals[MRecords];

        MainWindow w(open(copy.toStdString()));
        w.resize(1400, 900);
        w.show();
        QVERIFY(w.waitUntilSettled());
        QSignalSpy failures(w.runner(), &QueryRunner::failed);
        QSignalSpy finished(&w, &MainWindow::importFinished);
        w.importFiles({big});
        int rounds = 0;
        while (finished.isEmpty() && rounds < 2000) {
            for (const QString &v : MainWindow::viewNames()) {
                QVERIFY(w.showView(v));
                QVERIFY2(w.waitUntilSettled(60000), qPrintable(v));
                QVERIFY2(
                    failures.isEmpty(),
                    qPrintable(failures.isEmpty() ? QString() : failures.first().at(1).toString()));
            }
            w.filterBar()->setFilter([&] {
                ViewFilter f = w.filterBar()->filter();
                f.granularity = rounds % 2 ? TimeBucket::Hour : TimeBucket::Day;
                return f;
            }());
            ++rounds;
        }
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 120000);
        QCOMPARE(finished.first().at(0).toBool(), true);
        QVERIFY(rounds >= 1);
        const int64_t after = SummaryQuery::run(*open(copy.toStdString()), {}, {}).totals[MRecords];
        QVERIFY(after > before);
        // The views show the new totals once the import is done.
        QVERIFY(w.showView(QStringLiteral("overview")));
        QVERIFY(w.waitUntilSettled());
        QTRY_VERIFY(w.statusCallsText().startsWith(QLocale().toString(qlonglong(after))));
        QVERIFY(failures.isEmpty());
    }

    // View → Refresh, as its shortcut's action does it.
    static void refresh(MainWindow &w)
    {
        for (QAction *a : w.findChildren<QAction *>())
            if (a->shortcut() == QKeySequence(QKeySequence::Refresh))
                a->trigger();
    }

    // An import that ends (or View → Refresh) while Explore's rows are on
    // their way: the rows asked for before the reload still arrive, and the
    // view must settle on the reloaded figures — not wait for ever on rows
    // it counted twice (the CI run of a597239 hung here for 60 s).
    void exploreSettlesWhenReloadedWhileRowsLoad()
    {
        MainWindow w(open(m_path));
        w.resize(1400, 900);
        w.show();
        QVERIFY(w.showView(QStringLiteral("explore")));
        QVERIFY(w.waitUntilSettled());
        ExploreView *e = w.explore();
        QSortFilterProxyModel *m = e->proxy();
        QTRY_VERIFY(m->rowCount(m->index(0, 0)) > 1);
        const DrillPath teamPath =
            e->model()->pathOf(m->mapToSource(m->index(1, 0, m->index(0, 0))));
        // The team's rows are queued, then the reload's totals behind them:
        // the runner answers in that order.
        e->focusPath(teamPath);
        QVERIFY(w.runner()->pending() > 0);
        refresh(w);
        QVERIFY(w.waitUntilSettled(20000));
        QCOMPARE(e->focusedPath(), teamPath);
        QVERIFY(m->rowCount(e->tree()->rootIndex()) > 0);
        // And again, one level deeper, twice in a row.
        const DrillPath featurePath =
            e->model()->pathOf(m->mapToSource(m->index(0, 0, e->tree()->rootIndex())));
        e->focusPath(featurePath);
        refresh(w);
        refresh(w);
        QVERIFY(w.waitUntilSettled(20000));
        QCOMPARE(e->focusedPath(), featurePath);
        QVERIFY(m->rowCount(e->tree()->rootIndex()) > 0);
    }

    // Calls land while the app is open (a collector, a watch, a colleague's
    // import through another connection): the views follow within a second
    // or so, the user's drill path and selected row stay where they were,
    // and the status bar says the workspace is live.
    void followsALiveWorkspace()
    {
        QTemporaryDir dir;
        const std::string copy = tltest::privateCopy(m_path, dir, QStringLiteral("live.tlw"));
        MainWindow w(open(copy));
        w.resize(1400, 900);
        w.show();
        w.liveFollower()->setInterval(100);
        w.showView(QStringLiteral("explore"));
        QVERIFY(w.waitUntilSettled());
        ExploreView *e = w.explore();
        QSortFilterProxyModel *m = e->proxy();
        QTRY_VERIFY(m->rowCount(m->index(0, 0)) > 0);
        // Into the first team, and select its second feature.
        const QModelIndex team = m->index(0, 0, m->index(0, 0));
        const DrillPath teamPath = e->model()->pathOf(m->mapToSource(team));
        e->focusPath(teamPath);
        QVERIFY(w.waitUntilSettled());
        QTRY_VERIFY(m->rowCount(e->tree()->rootIndex()) > 1);
        const QModelIndex feature = m->index(1, 0, e->tree()->rootIndex());
        const DrillPath featurePath = e->model()->pathOf(m->mapToSource(feature));
        e->tree()->setCurrentIndex(feature);
        const int64_t before = SummaryQuery::run(*open(copy), {}, {}).totals[MRecords];
        QVERIFY(w.liveFollower()->watching());
        QVERIFY(w.statusLiveText().isEmpty()); // nothing arrives: not live

        // 50 calls for that team and feature, written by another connection.
        std::string csv = "ts,request_id,model,input_tokens,output_tokens,agent,team,feature\n";
        const auto bounds = dataDayBounds(*open(copy));
        for (int i = 0; i < 50; ++i)
            csv += formatTimestamp(bounds->second * kMsPerDay + i * 1000) + ",live-" +
                   std::to_string(i) + ",gpt-4o,1000,100,live-agent," + teamPath[0].second + "," +
                   featurePath[1].second + "\n";
        {
            auto other = open(copy);
            QVERIFY(Importer(*other)
                        .importFile(tltest::writeFile(dir, QStringLiteral("live.csv"),
                                                      QByteArray::fromStdString(csv)))
                        .ok);
        }
        QTRY_VERIFY_WITH_TIMEOUT(w.statusLiveText().startsWith(QLatin1String("live: 50 calls")),
                                 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            w.statusCallsText().startsWith(QLocale().toString(qlonglong(before + 50))), 10000);
        QVERIFY(w.waitUntilSettled());
        // The same place: the team's children, the same feature selected,
        // with the new calls in its figures.
        QCOMPARE(e->focusedPath(), teamPath);
        const QModelIndex current = m->mapToSource(e->tree()->currentIndex());
        QCOMPARE(e->model()->pathOf(current), featurePath);
        auto ws = open(copy);
        QCOMPARE(
            e->model()->data(current.siblingAtColumn(DrillTreeModel::Cost), SortRole).toLongLong(),
            SummaryQuery::run(*ws, DrillQuery::narrow({}, featurePath), {}).totals[MCostNusd]);
    }

    // A query that fails must not leave the previous figures on screen
    // under the new filter's labels: each view says what went wrong, and
    // Refresh brings the figures back once the file is readable again.
    void failedQueriesShowTheErrorNotOldFigures()
    {
        QTemporaryDir dir;
        const QString copy = dir.filePath(QStringLiteral("fragile.tlw"));
        QVERIFY(QFile::copy(QString::fromStdString(m_path), copy));
        MainWindow w(open(copy.toStdString()));
        w.resize(1400, 900);
        w.show();
        QVERIFY(w.waitUntilSettled());
        const QString spend = w.overview()->tile(QStringLiteral("spend"))->value();
        QVERIFY(spend.startsWith(QLatin1Char('$')));
        // The file is replaced by something that is not a database.
        QFile original(copy);
        QVERIFY(original.open(QIODevice::ReadOnly));
        const QByteArray good = original.readAll();
        original.close();
        const auto overwrite = [&](const QByteArray &bytes) {
            QFile f(copy);
            QVERIFY(f.open(QIODevice::ReadWrite));
            f.write(bytes);
            f.close();
        };
        overwrite(QByteArray(good.size(), 'x'));
        QFile::remove(copy + QStringLiteral("-wal"));
        QFile::remove(copy + QStringLiteral("-shm"));
        ViewFilter f = w.filterBar()->filter();
        f.granularity = TimeBucket::Hour;
        w.filterBar()->setFilter(f);
        QVERIFY(w.waitUntilSettled());
        QCOMPARE(w.overview()->tile(QStringLiteral("spend"))->value(), QStringLiteral("—"));
        QVERIFY2(w.overview()->message().contains(QStringLiteral("could not be read")),
                 qPrintable(w.overview()->message()));
        QVERIFY(w.showView(QStringLiteral("explore")));
        QVERIFY(w.waitUntilSettled());
        QVERIFY(w.explore()->message().contains(QStringLiteral("could not be read")));
        QCOMPARE(w.explore()->tree()->model()->rowCount(), 0);
        QVERIFY(w.showView(QStringLiteral("requests")));
        QVERIFY(w.waitUntilSettled());
        QVERIFY(w.requests()->countText().contains(QStringLiteral("could not be read")));
        QCOMPARE(w.requests()->exportModel()->rowCount(), 0);
        QVERIFY(w.showView(QStringLiteral("budgets")));
        QVERIFY(w.waitUntilSettled());
        QVERIFY(w.showView(QStringLiteral("anomalies")));
        QVERIFY(w.waitUntilSettled());
        // Readable again: Refresh shows the figures.
        overwrite(good);
        QVERIFY(w.showView(QStringLiteral("overview")));
        refresh(w);
        QVERIFY(w.waitUntilSettled());
        QCOMPARE(w.overview()->tile(QStringLiteral("spend"))->value(), spend);
        QVERIFY(w.overview()->message().isEmpty());
    }

    // Time axes label whole buckets: round hours, Mondays, months; never an
    // odd minute or the same label twice.
    void timeAxisLabelsWholeBuckets_data()
    {
        QTest::addColumn<int>("bucket");
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("width");
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<int>("labels");
        // From 05:00: every 12 hours is 12:00, 00:00, … six of them.
        QTest::newRow("3 days hourly") << int(TimeBucket::Hour) << 72 << 1000
                                       << QStringLiteral("^\\w{3} \\d{1,2}( 12:00)?$") << 6;
        QTest::newRow("30 days hourly")
            << int(TimeBucket::Hour) << 720 << 1000 << QStringLiteral("^\\w{3} \\d{1,2}$") << 5;
        QTest::newRow("45 days daily")
            << int(TimeBucket::Day) << 45 << 1100 << QStringLiteral("^\\w{3} \\d{1,2}$") << 7;
        QTest::newRow("14 months")
            << int(TimeBucket::Month) << 14 << 900 << QStringLiteral("^\\w{3} \\d{4}$") << 7;
    }
    void timeAxisLabelsWholeBuckets()
    {
        QFETCH(int, bucket);
        QFETCH(int, count);
        QFETCH(int, width);
        QFETCH(QString, pattern);
        QFETCH(int, labels);
        const auto b = TimeBucket(bucket);
        std::vector<int64_t> buckets;
        int64_t v = b == TimeBucket::Hour ? 20'400 * 24 + 5 : 20'400; // 05:00 on a Saturday
        for (int i = 0; i < count; ++i) {
            buckets.push_back(v);
            v = b == TimeBucket::Month ? monthStartDay(monthStartDay(v) + 40) : v + 1;
        }
        if (b == TimeBucket::Month)
            buckets.front() = monthStartDay(buckets.front());
        std::unique_ptr<QCategoryAxis> axis(ChartFactory::bucketAxis(buckets, b, width));
        const QStringList shown = axis->categoriesLabels();
        QCOMPARE(int(shown.size()), labels); // every label kept (keys must be unique)
        const QRegularExpression re(pattern);
        for (const QString &l : shown) {
            QVERIFY2(re.match(l).hasMatch(), qPrintable(l));
            const qint64 at = qint64(axis->endValue(l));
            QVERIFY(at % (b == TimeBucket::Hour ? kMsPerHour : kMsPerDay) == 0);
        }
    }

    // On a dark palette of our own every chart follows it and keeps the
    // colours of the light one (the donut once turned one shade of green);
    // a filter on an unpriced model reads "unpriced", never $0.00.
    void darkPaletteAndUnpricedSpend()
    {
        const QPalette light = QApplication::palette();
        QApplication::setPalette(Theme::dark());
        {
            MainWindow w(open(m_path));
            w.resize(1400, 900);
            w.show();
            QVERIFY(w.waitUntilSettled());
            QChart *donut = w.overview()->modelChart()->chart();
            QCOMPARE(donut->backgroundBrush().color(), Theme::dark().color(QPalette::Base));
            const auto *pie = qobject_cast<QPieSeries *>(donut->series().front());
            QVERIFY(pie);
            for (int i = 0; i < std::min<int>(3, int(pie->count())); ++i)
                QCOMPARE(pie->slices().at(i)->color(), ChartFactory::seriesColor(size_t(i)));
            const auto *teams = qobject_cast<QHorizontalBarSeries *>(
                w.overview()->teamChart()->chart()->series().front());
            QCOMPARE(teams->barSets().front()->color(), ChartFactory::seriesColor(0));
            for (const QString &v : MainWindow::viewNames()) {
                QVERIFY(w.showView(v));
                QVERIFY2(w.waitUntilSettled(), qPrintable(v));
                QVERIFY(!w.grab().isNull());
            }
        }
        QApplication::setPalette(light);

        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir, QStringLiteral("unpriced.tlw"));
        QVERIFY(Importer(*ws)
                    .importFile(tltest::writeFile(dir, QStringLiteral("u.csv"),
                                                  "ts,model,input_tokens,output_tokens,agent\n"
                                                  "2025-11-10T10:00:00Z,house-7b,1000,100,a\n"))
                    .ok);
        const std::string path = ws->path();
        ws.reset();
        MainWindow w(open(path));
        w.show();
        QVERIFY(w.waitUntilSettled());
        QCOMPARE(w.overview()->tile(QStringLiteral("spend"))->value(), QStringLiteral("unpriced"));
        QCOMPARE(w.overview()->tile(QStringLiteral("avgCost"))->value(), QStringLiteral("—"));
    }

    void csvExportEscapesFormulas()
    {
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("evil.csv"));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            "ts,request_id,model,input_tokens,output_tokens,agent,team\n"
            "2025-11-10T10:00:00Z,r1,gpt-4o-mini,1000,100,triage,\"=HYPERLINK(\"\"http://x\"\")\"\n"
            "2025-11-10T10:00:01Z,r2,gpt-4o-mini,1000,100,triage,\"ops, eu\"\n");
        f.close();
        auto ws = tltest::openWorkspace(dir, QStringLiteral("evil.tlw"));
        QVERIFY(Importer(*ws).importFile(csv.toStdString()).ok);
        const std::string path = ws->path();
        ws.reset();
        MainWindow w(open(path));
        w.show();
        w.showView(QStringLiteral("explore"));
        QVERIFY(w.waitUntilSettled());
        w.explore()->focusPath({});
        QVERIFY(w.waitUntilSettled());
        // The organisation is focused: its teams are the table (it wrote the
        // one Organisation row once).
        QVERIFY(!w.explore()->tree()->rootIndex().isValid());
        const QString out = dir.filePath(QStringLiteral("teams.csv"));
        QString error;
        QVERIFY2(w.exportCurrentTable(out, &error), qPrintable(error));
        QFile o(out);
        QVERIFY(o.open(QIODevice::ReadOnly));
        const QByteArray text = o.readAll();
        QVERIFY(text.startsWith("Name,Cost (USD),Infra (USD),Share of parent,Requests"));
        QCOMPARE(text.count('\n'), 3); // the header and the two teams
        QVERIFY(!text.contains("Organisation"));
        QVERIFY(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\","));
        QVERIFY(text.contains("\"ops, eu\","));
        QVERIFY(text.contains(",1000,")); // numbers plain, no separators
        QVERIFY(!text.contains("—"));
        QVERIFY(!text.contains("1,000"));
        // Requests export: every call under the filter.
        w.showView(QStringLiteral("requests"));
        QVERIFY(w.waitUntilSettled());
        const QString calls = dir.filePath(QStringLiteral("calls.csv"));
        QVERIFY2(w.exportCurrentTable(calls, &error), qPrintable(error));
        QFile c(calls);
        QVERIFY(c.open(QIODevice::ReadOnly));
        const QByteArray ctext = c.readAll();
        QCOMPARE(ctext.count('\n'), 3);
        QVERIFY(ctext.contains("'=HYPERLINK"));
    }

    void settingsRestoredOnRestart()
    {
        {
            MainWindow w(open(m_path));
            w.show();
            QVERIFY(w.waitUntilSettled());
            ViewFilter f;
            f.range = ViewFilter::Range::Custom;
            f.customFrom = *parseDate("2025-11-10");
            f.customTo = *parseDate("2025-11-17");
            f.granularity = TimeBucket::Week;
            f.include[Dimension::Model] = {"gpt-4o-mini"};
            w.filterBar()->setFilter(f);
            w.showView(QStringLiteral("explore"));
            QVERIFY(w.explore()->setHierarchy(QStringLiteral("model › agent")));
            w.resize(1111, 777);
            w.close();
        }
        MainWindow w(open(m_path));
        QCOMPARE(w.filterBar()->filter().range, ViewFilter::Range::Custom);
        QCOMPARE(w.filterBar()->filter().customFrom, *parseDate("2025-11-10"));
        QCOMPARE(w.filterBar()->filter().granularity, TimeBucket::Week);
        QCOMPARE(w.filterBar()->filter().include.at(Dimension::Model),
                 std::vector<std::string>{"gpt-4o-mini"});
        QCOMPARE(w.currentView(), static_cast<View *>(w.explore()));
        QCOMPARE(w.explore()->hierarchyText(), QStringLiteral("model › agent"));
        QCOMPARE(w.size(), QSize(1111, 777));
        QCOMPARE(QSettings().value(QStringLiteral("workspace/last")).toString(),
                 QString::fromStdString(m_path));
    }

    void olderWorkspaceUpgradesBehindProgress()
    {
        QTemporaryDir dir;
        QFile::copy(QString::fromStdString(m_path), dir.filePath(QStringLiteral("v3.tlw")));
        const std::string path = dir.filePath(QStringLiteral("v3.tlw")).toStdString();
        {
            SqliteDb db(path);
            Schema::dropCallIndexes(db);
            db.exec("PRAGMA user_version = 3");
        }
        std::string error;
        auto ws = openWorkspaceWithProgress(nullptr, path, false, &error);
        QVERIFY2(ws, error.c_str());
        QCOMPARE(Schema::version(tltest::sqlite(*ws)), Schema::kCurrentVersion);
        QCOMPARE(ws->db().queryInt("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND "
                                   "name IN ('calls_agent_ts', 'calls_ts')"),
                 int64_t(2));
        // Used on this thread after being opened on a worker.
        QVERIFY(SummaryQuery::run(*ws, {}, {}).totals[MRecords] > 0);
        QVERIFY(!openWorkspaceWithProgress(
            nullptr, dir.filePath(QStringLiteral("none.tlw")).toStdString(), false, &error));
        QVERIFY(error.find("none.tlw") != std::string::npos);
    }

    // File → Import Folder… on a coding agent's history: the folder is
    // walked off the GUI thread, each session file imported and reported.
    void importAFolderOfSessionLogs()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("agents.tlw")).toStdString();
        tltest::openWorkspace(dir, QStringLiteral("agents.tlw"));
        MainWindow w(open(path));
        w.show();
        QVERIFY(w.waitUntilSettled());
        QSignalSpy finished(&w, &MainWindow::importFinished);
        w.importFiles({QStringLiteral(TL_FIXTURES "/session-logs"), dir.path()});
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(finished.first().at(0).toBool(), true);
        ImportDialog *dialog = w.findChild<ImportDialog *>(QStringLiteral("importDialog"));
        QVERIFY(dialog);
        // The temporary folder holds only the workspace: said so, not silently skipped.
        QCOMPARE(int(dialog->results().size()), 3);
        QVERIFY(QString::fromStdString(dialog->results().front().error).contains("no log files"));
        QVERIFY2(dialog->statusLabel()->text().contains(QStringLiteral("1 of 3 not imported")),
                 qPrintable(dialog->statusLabel()->text()));
        QCOMPARE(dialog->results().at(1).format, std::string("claude-code"));
        QCOMPARE(dialog->results().at(2).format, std::string("codex"));
        QTRY_VERIFY(w.statusCallsText().startsWith(QStringLiteral("4 calls")));
        if (const QString shots = qEnvironmentVariable("TL_SHOT_DIR"); !shots.isEmpty())
            dialog->grab().save(shots + QStringLiteral("/import-folder.png"));
        dialog->accept();
    }
    // A call's detail says what its bill line says: 1-hour writes, search
    // calls, the price set, and the search charge apart from the tokens.
    void callDetailShowsTheBillsParts()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir, QStringLiteral("parts.tlw"));
        QVERIFY(Importer(*ws).importFile(TL_FIXTURES "/pricing/anthropic-messages.jsonl").ok);
        CallDetailPanel panel;
        panel.resize(700, 900);
        auto idOf = [&](const char *requestId) {
            Statement st(ws->db(), "SELECT id FROM calls WHERE request_id = ?");
            st.bindStatic(1, requestId);
            return st.step() ? st.columnInt(0) : -1;
        };
        panel.showDetail(*RequestQuery::detail(*ws, idOf("msg_01A1")));
        QString t = panel.text();
        QVERIFY2(t.contains(QStringLiteral("5 minutes 1,000 · 1 hour 2,000")), qPrintable(t));
        QVERIFY2(t.contains(QStringLiteral("standard prices: tokens $0.017550")), qPrintable(t));
        panel.showDetail(*RequestQuery::detail(*ws, idOf("msg_01A2")));
        t = panel.text();
        QVERIFY2(t.contains(QStringLiteral("web 3 · file 0")), qPrintable(t));
        QVERIFY2(t.contains(QStringLiteral("Search charges")), qPrintable(t));
        QVERIFY2(t.contains(QStringLiteral("$0.030000")), qPrintable(t));
        panel.showDetail(*RequestQuery::detail(*ws, idOf("msg_01A3")));
        t = panel.text();
        QVERIFY2(t.contains(QStringLiteral("long context prices: tokens $0.442500")),
                 qPrintable(t));
        QVERIFY2(t.contains(QStringLiteral("prompts over 200,000 tokens")), qPrintable(t));
        // To look at it: TL_SHOT_DIR=/tmp/shots tst_mainwindow callDetailShowsTheBillsParts
        if (const QString shots = qEnvironmentVariable("TL_SHOT_DIR"); !shots.isEmpty()) {
            panel.showDetail(*RequestQuery::detail(*ws, idOf("msg_01A1")));
            panel.grab().save(shots + QStringLiteral("/call-detail-parts.png"));
            CallDetailPanel dark;
            dark.setPalette(Theme::dark());
            dark.resize(700, 900);
            dark.showDetail(*RequestQuery::detail(*ws, idOf("msg_01A2")));
            dark.grab().save(shots + QStringLiteral("/call-detail-parts-dark.png"));
        }
    }
    // On the team server (the PostgreSQL run of this suite): File → Connect
    // to Server… with a role that signs in with a password — asked for,
    // refused once, given — then the views answer from the server, the
    // title names it, and nothing remembers the password.
    void connectToServerWithAPassword()
    {
        if (!tltest::serverRun())
            QSKIP("the PostgreSQL run of this suite connects to the test server");
        {
            PgDb admin(tltest::serverAdminUri());
            admin.exec("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
                       "'tl_pw') THEN CREATE ROLE tl_pw LOGIN PASSWORD 'pw-gui'; END IF; END $$");
            admin.exec("GRANT pg_read_all_data TO tl_pw");
        }
        const std::string uri = "postgresql://tl_pw" + m_path.substr(m_path.find('@'));
        MainWindow w(open(m_path));
        w.resize(1400, 900);
        w.show();
        QVERIFY(w.waitUntilSettled());
        QStringList answers = {QStringLiteral("wrong"), QStringLiteral("pw-gui")};
        int asked = 0;
        QTimer answer;
        connect(&answer, &QTimer::timeout, [&] {
            if (auto *d = qobject_cast<QInputDialog *>(QApplication::activeModalWidget())) {
                ++asked;
                QVERIFY(d->textEchoMode() == QLineEdit::Password);
                d->setTextValue(answers.isEmpty() ? QString() : answers.takeFirst());
                d->accept();
            }
        });
        answer.start(20);
        QVERIFY(w.connectToServer(QString::fromStdString(uri)));
        answer.stop();
        QCOMPARE(asked, 2);
        QVERIFY2(w.windowTitle().contains(QStringLiteral(" on 127.0.0.1:")),
                 qPrintable(w.windowTitle()));
        QVERIFY(w.waitUntilSettled());
        auto ws = open(m_path);
        QCOMPARE(w.overview()->tile(QStringLiteral("spend"))->value(),
                 usd(SummaryQuery::run(*ws, {}, {}).totals[MCostNusd]));
        // Remembered as a recent server, without its password.
        QSettings settings;
        QVERIFY(settings.value(QStringLiteral("workspace/recent"))
                    .toStringList()
                    .contains(QString::fromStdString(uri)));
        settings.sync();
        QFile file(settings.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("pw-gui"));

        // An empty database: the app offers to create the ledger there.
        const std::string fresh = tltest::newServerDatabase();
        QTimer yes;
        connect(&yes, &QTimer::timeout, [&] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget()))
                box->button(QMessageBox::Yes)->click();
        });
        yes.start(20);
        QVERIFY(w.connectToServer(QString::fromStdString(fresh)));
        yes.stop();
        QVERIFY(w.waitUntilSettled());
        QCOMPARE(w.overview()->tile(QStringLiteral("spend"))->value(), usd(0));
    }

    void pricesDialogRecomputes()
    {
        QTemporaryDir dir;
        const std::string path = tltest::privateCopy(m_path, dir, QStringLiteral("copy.tlw"));
        auto ws = open(path);
        CallFilter mini;
        mini.include[Dimension::Model] = {"gpt-4o-mini"};
        const Measures before = SummaryQuery::run(*ws, mini, {}).totals;
        QVERIFY(before[MComputedNusd] > 0);
        PricesDialog d(ws->catalog(), QString::fromStdString(path));
        PriceTableModel *m = d.model();
        int row = -1;
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->data(m->index(r, PriceTableModel::Model), Qt::DisplayRole).toString() ==
                QStringLiteral("gpt-4o-mini"))
                row = r;
        QVERIFY(row >= 0);
        // The bill's cases are in the table: a 1-hour write price (Anthropic's 2x rule shown in
        // brackets where the catalog has none), and the tiers and search prices.
        for (int r = 0; r < m->rowCount(); ++r) {
            const QString model =
                m->data(m->index(r, PriceTableModel::Model), Qt::DisplayRole).toString();
            if (model == QStringLiteral("claude-sonnet-4-20250514")) {
                QCOMPARE(
                    m->data(m->index(r, PriceTableModel::CacheWrite1h), Qt::DisplayRole).toString(),
                    QStringLiteral("6"));
                QVERIFY(m->data(m->index(r, PriceTableModel::Tiers), Qt::DisplayRole)
                            .toString()
                            .contains(QStringLiteral(">200k 6/22.5")));
                QVERIFY(!(m->flags(m->index(r, PriceTableModel::Tiers)) & Qt::ItemIsEditable));
                // Cleared, Anthropic's default shows, not an empty "no price".
                QVERIFY(m->setData(m->index(r, PriceTableModel::CacheWrite1h), QString(),
                                   Qt::EditRole));
                QCOMPARE(
                    m->data(m->index(r, PriceTableModel::CacheWrite1h), Qt::DisplayRole).toString(),
                    QStringLiteral("(6)"));
                QVERIFY(m->data(m->index(r, PriceTableModel::CacheWrite1h), Qt::ToolTipRole)
                            .toString()
                            .contains(QStringLiteral("2×")));
                QVERIFY(m->setData(m->index(r, PriceTableModel::CacheWrite1h), QStringLiteral("6"),
                                   Qt::EditRole));
            }
        }
        if (const QString shots = qEnvironmentVariable("TL_SHOT_DIR"); !shots.isEmpty()) {
            d.resize(1500, 600);
            d.show();
            d.grab().save(shots + QStringLiteral("/prices-dialog.png"));
        }
        // Every price of the model doubled: its computed cost doubles (±1 n$ per call of rounding).
        for (int c = PriceTableModel::Input; c <= PriceTableModel::BatchOutput; ++c) {
            const QString v = m->data(m->index(row, c), Qt::EditRole).toString();
            if (!v.isEmpty())
                QVERIFY(m->setData(m->index(row, c), QString::number(v.toDouble() * 2, 'g', 12),
                                   Qt::EditRole));
        }
        QSignalSpy applied(&d, &PricesDialog::catalogApplied);
        QString error;
        QVERIFY2(d.apply(&error), qPrintable(error));
        QCOMPARE(applied.count(), 1);
        ws = open(path);
        const Measures after = SummaryQuery::run(*ws, mini, {}).totals;
        QVERIFY(std::llabs(after[MComputedNusd] - 2 * before[MComputedNusd]) <= before[MRecords]);
        // Export and import the catalog JSON round-trip.
        const QString json = dir.filePath(QStringLiteral("prices.json"));
        QVERIFY(d.exportFile(json, &error));
        QVERIFY(d.importFile(json, &error));
        QVERIFY(m->isModified());
        QVERIFY(!d.importFile(dir.filePath(QStringLiteral("missing.json")), &error));
        QVERIFY(error.contains(QStringLiteral("missing.json")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
