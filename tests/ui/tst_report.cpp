// Reports: the figures in the PDF's text (pdftotext) and in the CSV files
// equal the store's (what `tokenledger summary` prints) for the same period
// and filter; pages, sections, repeated table headers, paper sizes; the
// command line and the Export Report dialog.
#include "anomaly/anomalyquery.h"
#include "budgets/budgetevaluator.h"
#include "budgets/budgetstore.h"
#include "decide/portfolio.h"
#include "testutil.h"

#include "baseline/baselinequery.h"
#include "core/timeutil.h"
#include "engine.h"
#include "import/focusimporter.h"
#include "items/queryrunner.h"
#include "mainwindow.h"
#include "report/chargeback.h"
#include "report/reportdata.h"
#include "reportdialog.h"
#include "reportrenderer.h"
#include "scenariofile.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>

#include <atomic>
#include <cmath>
#include <thread>

using namespace tl;

namespace {

QString run(const QString &program, const QStringList &args, int *exitCode = nullptr)
{
    QProcess p;
    p.start(program, args);
    p.waitForFinished(120000);
    if (exitCode)
        *exitCode = p.exitCode();
    return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
}

QString pdfText(const QString &pdf, int page = 0)
{
    QStringList args = {QStringLiteral("-layout")};
    if (page)
        args << QStringLiteral("-f") << QString::number(page) << QStringLiteral("-l")
             << QString::number(page);
    args << pdf << QStringLiteral("-");
    return run(QStringLiteral("pdftotext"), args);
}

int pdfPages(const QString &pdf, QString *size = nullptr)
{
    const QString info = run(QStringLiteral("pdfinfo"), {pdf});
    int pages = -1;
    for (const QString &line : info.split(QLatin1Char('\n'))) {
        if (line.startsWith(QStringLiteral("Page size:")) && size)
            *size = line.mid(10).simplified();
        if (line.startsWith(QStringLiteral("Pages:")))
            pages = line.mid(6).trimmed().toInt();
    }
    return pages;
}

using tltest::nanos;
using tltest::readCsv;

} // namespace

class TestReport : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_path;
    CallFilter m_filter;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("tokenledger-tests"));
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            QFAIL("pdftotext (poppler-utils) is needed: packaging/bootstrap.sh installs it");
        m_path = tltest::generatedWorkspace(m_dir, 40, 21, 3000);
        m_filter.fromDay = *parseDate("2025-11-15");
        m_filter.toDay = *parseDate("2025-11-28");
    }

    void csvEqualsTheStore()
    {
        auto ws = tltest::openWorkspace(m_dir, QStringLiteral("fleet.tlw"));
        const ReportData d = ReportBuilder::build(*ws, m_filter);
        const QString dir = m_dir.filePath(QStringLiteral("csv"));
        std::string error;
        QVERIFY2(ReportBuilder::writeCsv(d, dir.toStdString(), &error), error.c_str());
        for (const char *id :
             {"kpis", "by_day", "by_team", "by_feature", "by_agent", "by_model", "top_tasks"})
            QVERIFY2(QFile::exists(dir + QStringLiteral("/%1.csv").arg(QString::fromLatin1(id))),
                     id);
        const SummaryResult byTeam =
            SummaryQuery::run(*ws, m_filter, {GroupKey{Dimension::Team, TimeBucket::None}});
        const QList<QStringList> teams = readCsv(dir + QStringLiteral("/by_team.csv"));
        QCOMPARE(teams.size(), int(byTeam.rows.size()) + 1);
        QCOMPARE(teams[0][1], QStringLiteral("Cost (USD)"));
        for (int i = 0; i < int(byTeam.rows.size()); ++i) {
            QCOMPARE(teams[i + 1][0].toStdString(), byTeam.rows[size_t(i)].keys[0]);
            QCOMPARE(teams[i + 1][1].toStdString(),
                     nanoToDecimal(byTeam.rows[size_t(i)].m[MCostNusd]));
            QCOMPARE(teams[i + 1][3].toLongLong(), byTeam.rows[size_t(i)].m[MRequests]);
            QVERIFY(!teams[i + 1][3].contains(QLatin1Char(','))); // plain numbers
        }
        // Every day of the period, summing to the total.
        const QList<QStringList> days = readCsv(dir + QStringLiteral("/by_day.csv"));
        QCOMPARE(days.size(), 14 + 1);
        QCOMPARE(days[1][0], QStringLiteral("2025-11-15"));
        int64_t sum = 0;
        for (int i = 1; i < days.size(); ++i) {
            const QStringList parts = days[i][1].split(QLatin1Char('.'));
            sum +=
                parts[0].toLongLong() * 1'000'000'000 +
                (parts.size() > 1 ? parts[1].leftJustified(9, QLatin1Char('0')).toLongLong() : 0);
        }
        QCOMPARE(sum, byTeam.totals[MCostNusd]);
        // Top tasks: the most expensive (task, agent) pairs, as summary --by task,agent ranks them.
        const SummaryResult byTask =
            SummaryQuery::run(*ws, m_filter,
                              {GroupKey{Dimension::Task, TimeBucket::None},
                               GroupKey{Dimension::Agent, TimeBucket::None}});
        const QList<QStringList> tasks = readCsv(dir + QStringLiteral("/top_tasks.csv"));
        QCOMPARE(tasks.size(),
                 int(std::min<size_t>(ReportBuilder::kTopTasks, byTask.rows.size())) + 1);
        for (int i = 1; i < tasks.size(); ++i) {
            QCOMPARE(tasks[i][3].toStdString(),
                     nanoToDecimal(byTask.rows[size_t(i - 1)].m[MCostNusd]));
            QCOMPARE(tasks[i][2].toLongLong(), byTask.rows[size_t(i - 1)].m[MRecords]);
        }
        const QList<QStringList> kpis = readCsv(dir + QStringLiteral("/kpis.csv"));
        QCOMPARE(kpis[1][0], QStringLiteral("Spend (USD)"));
        QCOMPARE(kpis[1][1].toStdString(), nanoToDecimal(byTeam.totals[MCostNusd]));
        CallFilter prev = *m_filter.previousPeriod();
        QCOMPARE(kpis[1][2].toStdString(),
                 nanoToDecimal(SummaryQuery::run(*ws, prev, {}).totals[MCostNusd]));
    }

    // Imports land while reports are built (another connection, as a
    // colleague's import or the live collector): each report is one
    // snapshot, so its tables by day, team and agent add up to its own
    // headline requests, whichever imports it includes.
    void importsLandingWhileReportsAreBuilt()
    {
        QTemporaryDir dir;
        const std::string path = tltest::privateCopy(m_path, dir, QStringLiteral("busy.tlw"));
        auto ws = tltest::openExisting(path);
        const auto bounds = dataDayBounds(*ws);
        QVERIFY(bounds);
        std::atomic<bool> stop{false};
        std::atomic<int> landed{0};
        std::string writerError; // read after the join, or once writerFailed says so
        std::atomic<bool> writerFailed{false}, writerDone{false};
        std::thread writer([&] {
            const struct Done
            {
                std::atomic<bool> &done;
                ~Done() { done = true; }
            } markDone{writerDone};
            auto w = tltest::openExisting(path);
            for (int batch = 0; !stop && batch < 200; ++batch) {
                QByteArray csv = "ts,request_id,model,input_tokens,output_tokens,agent,team\n";
                // 300 calls over the period's days, new ids each batch.
                for (int i = 0; i < 300; ++i) {
                    const int64_t day = bounds->first + i % (bounds->second - bounds->first + 1);
                    csv += QByteArray::fromStdString(formatDate(day)) +
                           "T12:" + QByteArray::number(10 + i % 50) + ":00Z,late-" +
                           QByteArray::number(batch) + "-" + QByteArray::number(i) +
                           ",gpt-4o,1000,100,late-agent-" + QByteArray::number(i % 7) + ",late\n";
                }
                const auto r = Importer(*w).importFile(
                    tltest::writeFile(dir, QStringLiteral("late-%1.csv").arg(batch), csv));
                if (!r.ok) {
                    writerError = r.error;
                    writerFailed = true;
                    return;
                }
                ++landed;
            }
        });
        const auto requestsOf = [](const ReportTable &t) {
            const size_t col = size_t(std::find(t.headers.begin(), t.headers.end(), "Requests") -
                                      t.headers.begin());
            int64_t sum = 0;
            for (const auto &row : t.plain)
                sum += std::stoll(row.at(col));
            return sum;
        };
        // Eight reports, and on until one has seen an import land: an import
        // that recounts the period's days (0.3-0.4 s on a server) can take
        // longer than eight reports (50-130 ms each).
        int reports = 0, sawLanding = 0;
        for (; (reports < 8 || (sawLanding == 0 && !writerDone)) && !writerFailed; ++reports) {
            const int before = landed;
            const ReportData d = ReportBuilder::build(*ws, {});
            if (landed != before)
                ++sawLanding;
            const int64_t requests = d.totals[MRequests];
            for (const char *id : {"by_day", "by_team", "by_agent"}) {
                QVERIFY(d.table(id));
                QCOMPARE(requestsOf(*d.table(id)), requests);
            }
            const ReportTable *kpis = d.table("kpis");
            QVERIFY(kpis);
            QCOMPARE(kpis->plain.at(1).at(1), std::to_string(requests)); // "Requests"
        }
        stop = true;
        writer.join();
        QVERIFY2(writerError.empty(), writerError.c_str());
        // The imports did land meanwhile (the check above is not idle).
        QVERIFY(landed > 0);
        QVERIFY2(
            sawLanding > 0,
            qPrintable(QStringLiteral("%1 reports, %2 imports").arg(reports).arg(landed.load())));
        QVERIFY(SummaryQuery::run(*ws, {}, {}).totals[MRequests] >
                ReportBuilder::build(*tltest::openExisting(m_path), {}).totals[MRequests]);
    }

    // Budgets, anomalies, opportunities and the portfolio: each CSV equals
    // what the commands give for the period, and an empty section says so
    // in one line in the PDF instead of vanishing.
    void decisionSections()
    {
        QTemporaryDir dir;
        auto ws = tltest::openExisting(tltest::privateCopy(m_path, dir, QStringLiteral("d.tlw")));
        const ReportData none = ReportBuilder::build(*ws, m_filter);
        QVERIFY(none.table("budgets") && none.table("budgets")->display.empty());
        ReportRenderer plain(none, {"budgets"});
        const QString pdf = dir.filePath(QStringLiteral("none.pdf"));
        QString why;
        QVERIFY2(plain.writePdf(pdf, ReportRenderer::Paper::A4, &why), qPrintable(why));
        QVERIFY(pdfText(pdf).contains(QStringLiteral("No budgets in this workspace.")));

        Budget b;
        b.name = "Org";
        b.period = BudgetPeriod::Month;
        b.amountNusd = 1'000'000'000'000;
        // A small budget spent early in the month, raised once: its breach
        // names the call that crossed the raised amount.
        Budget tight;
        tight.name = "Tight";
        tight.period = BudgetPeriod::Month;
        tight.amountNusd = 1'000'000'000;
        tight.alerts = {0.5};
        tight.adjustments.push_back(
            {(*m_filter.fromDay) * kMsPerDay, 500'000'000, "launch week", "cfo"});
        BudgetStore::save(*ws, {b, tight});
        const ReportData d = ReportBuilder::build(*ws, m_filter);
        const std::string csv = dir.filePath(QStringLiteral("csv")).toStdString();
        std::string error;
        QVERIFY2(ReportBuilder::writeCsv(d, csv, &error), error.c_str());
        // Budgets as of the period's end, as `budgets list --at` gives them.
        const auto status = BudgetEvaluator::evaluate(
            *ws, {b}, BudgetEvaluator::defaultAsOf(*ws, (*m_filter.toDay + 1) * kMsPerDay));
        const QList<QStringList> budgets = readCsv(QString::fromStdString(csv) + "/budgets.csv");
        QCOMPARE(budgets.size(), 3);
        QCOMPARE(budgets[1][5].toStdString(),
                 nanoToDecimal(int64_t(std::llround(status[0].spentUsd * 1e9))));
        QCOMPARE(budgets[1][4], QString()); // no adjustment
        const auto tightStatus = BudgetEvaluator::evaluate(
            *ws, {tight}, BudgetEvaluator::defaultAsOf(*ws, (*m_filter.toDay + 1) * kMsPerDay));
        const BudgetReplay replay = BudgetReplay::run(*ws, tight, tightStatus[0].period);
        QVERIFY(replay.breach);
        QVERIFY(replay.breach->cumulativeUsd >= 1.5);
        QCOMPARE(budgets[2][3], QStringLiteral("1.5")); // the raised amount
        QCOMPARE(budgets[2][4], QStringLiteral("0.5"));
        QCOMPARE(budgets[2][9], QStringLiteral("breached"));
        QVERIFY2(budgets[2][10].endsWith(
                     QString::fromStdString(replay.breach->requestId.empty()
                                                ? "call #" + std::to_string(replay.breach->callId)
                                                : replay.breach->requestId)),
                 qPrintable(budgets[2][10]));
        // The range brackets the forecast.
        const QStringList range = budgets[1][8].split(QStringLiteral(".."));
        QCOMPARE(range.size(), 2);
        QVERIFY(range[0].toDouble() <= budgets[1][7].toDouble() + 1e-9);
        QVERIFY(range[1].toDouble() >= budgets[1][7].toDouble() - 1e-9);
        // Opportunities and the portfolio, as the finder and the portfolio give them.
        const auto in = DecisionInputs::load(*ws, m_filter);
        const auto ops = OpportunityFinder::find(*in, {});
        const QList<QStringList> opCsv =
            readCsv(QString::fromStdString(csv) + "/opportunities.csv");
        QCOMPARE(opCsv.size(), int(ops.size()) + 1);
        if (!ops.empty()) {
            QCOMPARE(opCsv[1][0].toStdString(), ops[0].kind);
            QVERIFY(std::abs(opCsv[1][3].toDouble() - ops[0].monthlySavingUsd) < 1e-6);
        }
        const QList<QStringList> agents = readCsv(QString::fromStdString(csv) + "/portfolio.csv");
        QCOMPARE(agents.size(), int(Portfolio::build(*in, ops, {}).agents.size()) + 1);
        const QList<QStringList> anomalies =
            readCsv(QString::fromStdString(csv) + "/anomalies.csv");
        AnomalyRequest r;
        r.filter = m_filter;
        // Row by row (on a server the report finds them on a second
        // connection at its snapshot).
        const std::vector<Anomaly> found = AnomalyQuery::run(*ws, r);
        QCOMPARE(anomalies.size(), int(found.size()) + 1);
        for (size_t i = 0; i < found.size(); ++i) {
            const QStringList &row = anomalies[int(i) + 1];
            QCOMPARE(row[0].toStdString(),
                     std::string(dimensionName(found[i].kind)) + " " + found[i].entity);
            QVERIFY(std::abs(row[5].toDouble() - found[i].excessUsd()) < 1e-6);
        }
        // The PDF's sections carry the same rows.
        ReportRenderer all(d, {"budgets", "anomalies", "opportunities", "portfolio"});
        const QString full = dir.filePath(QStringLiteral("full.pdf"));
        QVERIFY2(all.writePdf(full, ReportRenderer::Paper::A4, &why), qPrintable(why));
        const QString text = pdfText(full);
        for (const char *title : {"Budgets", "Anomalies", "Opportunities", "Agent portfolio"})
            QVERIFY2(text.contains(QString::fromLatin1(title)), title);
        QVERIFY(text.contains(QString::fromStdString(budgets[1][0].toStdString())));
        QVERIFY(text.contains(QStringLiteral("+$0.50")));
        QVERIFY(text.contains(QString::fromStdString(
            replay.breach->requestId.empty() ? "call #" + std::to_string(replay.breach->callId)
                                             : replay.breach->requestId)));
        if (agents.size() > 1)
            QVERIFY(text.contains(agents[1][0]));
    }

    // The executive summary against the store: spent, the change only when
    // both periods are covered, the forecast only for a period the data has
    // not reached the end of, drivers that add up to what each pair changed,
    // and the opportunities table's three first rows.
    void executiveSummary_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<bool>("change");
        QTest::addColumn<bool>("forecast");
        QTest::newRow("a covered week after a covered week") << "2025-11-22"
                                                             << "2025-11-28" << true << false;
        QTest::newRow("a period the data has not reached the end of")
            << "2025-11-22"
            << "2025-11-30" << false << true;
        QTest::newRow("the first week: nothing before it") << "2025-11-08"
                                                           << "2025-11-14" << false << false;
    }
    void executiveSummary()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(bool, change);
        QFETCH(bool, forecast);
        auto ws = tltest::openWorkspace(m_dir, QStringLiteral("fleet.tlw"));
        CallFilter f;
        f.fromDay = *parseDate(from.toStdString());
        f.toDay = *parseDate(to.toStdString());
        const ReportData d = ReportBuilder::build(*ws, f);
        QCOMPARE(d.tables.front().id, std::string("summary"));
        const ReportTable &t = d.tables.front();
        const auto row = [&](const std::string &item) -> const std::vector<std::string> * {
            for (const auto &r : t.plain)
                if (r[0].rfind(item, 0) == 0)
                    return &r;
            return nullptr;
        };
        const Measures now = SummaryQuery::run(*ws, f, {}).totals;
        QVERIFY(row("Spent"));
        QCOMPARE((*row("Spent"))[1], nanoToDecimal(now[MCostNusd]));
        const Measures before = SummaryQuery::run(*ws, *f.previousPeriod(), {}).totals;
        QVERIFY(row("Change"));
        if (change) {
            const double expected =
                double(now[MCostNusd] - before[MCostNusd]) / double(before[MCostNusd]);
            QVERIFY(std::abs(std::stod((*row("Change"))[1]) - expected) < 1e-6);
            // Each driver is one agent-and-model pair's change, in the
            // direction of the whole change, largest first.
            double last = 0;
            for (int i = 1; i <= 3; ++i) {
                const auto *r = row("Driver " + std::to_string(i));
                QVERIFY(r);
                const double delta = std::stod((*r)[1]);
                QVERIFY(expected >= 0 ? delta >= 0 || i > 1 : delta <= 0 || i > 1);
                if (i > 1)
                    QVERIFY(expected >= 0 ? delta <= last + 1e-9 : delta >= last - 1e-9);
                last = delta;
                QVERIFY((*r)[2].find(" on ") != std::string::npos);
            }
        } else {
            QCOMPARE((*row("Change"))[1], std::string());
            QVERIFY((*row("Change"))[2].rfind("No change is given", 0) == 0);
            QVERIFY(row("Drivers"));
        }
        const auto *fc = row("Forecast to " + to.toStdString());
        QVERIFY(fc);
        if (forecast) {
            const double value = std::stod((*fc)[1]);
            QVERIFY(value >= double(now[MCostNusd]) * 1e-9 - 1e-9);
            QVERIFY((*fc)[2].find("80% range") != std::string::npos);
        } else {
            QCOMPARE((*fc)[1], std::string());
        }
        const ReportTable *ops = d.table("opportunities");
        for (size_t i = 0; i < 3; ++i) {
            const auto *r = row("Opportunity " + std::to_string(i + 1));
            QCOMPARE(bool(r), i < ops->plain.size());
            if (r)
                QCOMPARE((*r)[1], ops->plain[i][3]);
        }
    }

    // Every rule charges exactly the period's total: each centre its own
    // calls, the pool (unassigned + shared) split to the nano-dollar.
    void chargebackSumsExactly_data()
    {
        QTest::addColumn<QString>("by");
        QTest::addColumn<QStringList>("shared");
        QTest::addColumn<QString>("allocate");
        QTest::newRow("by team, proportional") << "team" << QStringList() << "proportional";
        QTest::newRow("by team, a shared agent, even")
            << "team" << QStringList{QStringLiteral("agent=answer-synthesis-1")} << "even";
        QTest::newRow("by feature, a shared team, proportional")
            << "feature" << QStringList{QStringLiteral("team=support")} << "proportional";
        QTest::newRow("by user: many calls without one") << "user" << QStringList() << "even";
        QTest::newRow("by model, fixed percentages")
            << "model" << QStringList{QStringLiteral("model=gpt-4o-mini")}
            << "gpt-4o=60,claude-sonnet-4-5-20250929=40";
    }
    void chargebackSumsExactly()
    {
        QFETCH(QString, by);
        QFETCH(QStringList, shared);
        QFETCH(QString, allocate);
        auto ws = tltest::openWorkspace(m_dir, QStringLiteral("fleet.tlw"));
        std::vector<std::string> sharedList;
        for (const QString &s : shared)
            sharedList.push_back(s.toStdString());
        std::string error;
        const auto rule =
            ChargebackRule::parse(by.toStdString(), sharedList, allocate.toStdString(), &error);
        QVERIFY2(rule, error.c_str());
        ReportOptions o;
        o.chargeback = *rule;
        const ReportData d = ReportBuilder::build(*ws, m_filter, o);
        const ReportTable *t = d.table("chargeback");
        QVERIFY(t && !t->plain.empty());
        QCOMPARE(t->plain.back()[0], std::string("Total"));
        int64_t charged = 0, own = 0, allocated = 0;
        for (size_t i = 0; i + 1 < t->plain.size(); ++i) {
            charged += nanos(t->plain[i][4]);
            own += nanos(t->plain[i][1]);
            allocated += nanos(t->plain[i][3]);
            QCOMPARE(nanos(t->plain[i][1]) + nanos(t->plain[i][2]) + nanos(t->plain[i][3]),
                     nanos(t->plain[i][4]));
        }
        QCOMPARE(charged, d.totals[MCostNusd]);
        QCOMPARE(nanos(t->plain.back()[4]), d.totals[MCostNusd]);
        // Each centre's own calls are its summary row minus what is shared.
        const ChargebackResult r = ChargebackResult::compute(*ws, m_filter, *rule);
        QCOMPARE(allocated, r.unassignedNusd + r.sharedNusd);
        if (shared.isEmpty()) {
            const auto dim = *dimensionFromName(by.toStdString());
            std::map<std::string, int64_t> summary;
            for (const auto &row :
                 SummaryQuery::run(*ws, m_filter, {GroupKey{dim, TimeBucket::None}}).rows)
                summary[row.keys[0]] = row.m[MCostNusd];
            for (size_t i = 0; i + 1 < t->plain.size(); ++i)
                QCOMPARE(nanos(t->plain[i][1]), summary[t->plain[i][0]]);
            QCOMPARE(r.unassignedNusd, summary[kNoneName]);
        }
        if (allocate.contains(QLatin1Char('='))) {
            // Fixed shares: the pool splits 60/40 to the nano-dollar.
            const int64_t pool = r.unassignedNusd + r.sharedNusd;
            for (const auto &l : r.lines)
                if (l.centre == "gpt-4o")
                    QVERIFY(std::llabs(l.allocatedNusd - pool * 6 / 10) <= 1);
        }
        QVERIFY(!t->note.empty());
    }

    // Cloud bills in the chargeback: a team's tagged servers are its own,
    // untagged ones are pooled, and the total is LLM plus infrastructure to
    // the nano-dollar; charging by model pools them all; a model filter
    // leaves them out and says so.
    void chargebackWithInfrastructure()
    {
        QTemporaryDir dir;
        auto ws = tltest::openExisting(tltest::privateCopy(m_path, dir, QStringLiteral("i.tlw")));
        const std::string bill = tltest::writeFile(
            dir, QStringLiteral("bill.csv"),
            "BilledCost,ChargePeriodStart,ChargePeriodEnd,EffectiveCost,ProviderName,"
            "ServiceName,ResourceId,Tags\n"
            "50,2025-11-20T00:00:00Z,2025-11-21T00:00:00Z,50,AWS,EC2,i-1,"
            "\"{\"\"team\"\":\"\"support\"\"}\"\n"
            "30.000000001,2025-11-21T00:00:00Z,2025-11-22T00:00:00Z,30.000000001,AWS,EKS,c,{}\n");
        QVERIFY(FocusImporter(*ws).importFile(bill).ok);
        const int64_t llm = SummaryQuery::run(*ws, m_filter, {}).totals[MCostNusd];
        const int64_t infra = 80'000'000'001;
        std::string why;
        const auto byTeam = ChargebackRule::parse("team", {}, "proportional", &why);
        const ChargebackResult r = ChargebackResult::compute(*ws, m_filter, *byTeam);
        QVERIFY(r.infraIncluded);
        QCOMPARE(r.totalNusd, llm + infra);
        QCOMPARE(r.unattributedInfraNusd, int64_t(30'000'000'001));
        int64_t sum = 0, own = 0;
        for (const auto &l : r.lines) {
            sum += l.totalNusd();
            own += l.directInfraNusd;
            if (l.centre == "support")
                QCOMPARE(l.directInfraNusd, int64_t(50'000'000'000));
        }
        QCOMPARE(sum, llm + infra);
        QCOMPARE(own, int64_t(50'000'000'000));
        const auto byModel = ChargebackRule::parse("model", {}, "even", &why);
        const ChargebackResult m = ChargebackResult::compute(*ws, m_filter, *byModel);
        QCOMPARE(m.unattributedInfraNusd, infra);
        sum = 0;
        for (const auto &l : m.lines)
            sum += l.totalNusd();
        QCOMPARE(sum, llm + infra);
        CallFilter oneModel = m_filter;
        oneModel.include[Dimension::Model] = {"gpt-4o-mini"};
        const ChargebackResult f = ChargebackResult::compute(*ws, oneModel, *byTeam);
        QVERIFY(f.infraExcluded && !f.infraIncluded);
        QCOMPARE(f.totalNusd, SummaryQuery::run(*ws, oneModel, {}).totals[MCostNusd]);
        const ReportTable t = chargebackTable(*ws, oneModel, *byTeam);
        QVERIFY(t.note.find("Infrastructure is not in it") != std::string::npos);
    }

    void chargebackRulesRejected_data()
    {
        QTest::addColumn<QString>("by");
        QTest::addColumn<QString>("shared");
        QTest::addColumn<QString>("allocate");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown dimension") << "department"
                                           << ""
                                           << "even"
                                           << "not a dimension";
        QTest::newRow("shared without =") << "team"
                                          << "router"
                                          << "even"
                                          << "not DIMENSION=NAME";
        QTest::newRow("shares not adding up") << "team"
                                              << ""
                                              << "a=50,b=30"
                                              << "add up to 80";
        QTest::newRow("a share without a name") << "team"
                                                << ""
                                                << "=1"
                                                << "not NAME=SHARE";
        QTest::newRow("a rule that does not exist") << "team"
                                                    << ""
                                                    << "by-headcount"
                                                    << "not NAME=SHARE";
    }
    void chargebackRulesRejected()
    {
        QFETCH(QString, by);
        QFETCH(QString, shared);
        QFETCH(QString, allocate);
        QFETCH(QString, error);
        std::string why;
        std::vector<std::string> list;
        if (!shared.isEmpty())
            list.push_back(shared.toStdString());
        QVERIFY(!ChargebackRule::parse(by.toStdString(), list, allocate.toStdString(), &why));
        QVERIFY2(QString::fromStdString(why).contains(error), why.c_str());
    }

    // Each scenario's rows are what the engine gives on the baseline
    // `simulate` loads; a file that cannot be used is an error, not a gap.
    void scenarioComparison()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(m_dir, QStringLiteral("fleet.tlw"));
        const auto in = DecisionInputs::load(*ws, m_filter);
        const auto ops = OpportunityFinder::find(*in, {});
        QVERIFY(ops.size() >= 2);
        std::vector<std::string> files;
        for (size_t i = 0; i < 2; ++i) {
            files.push_back(dir.filePath(QStringLiteral("s%1.tlscenario").arg(i)).toStdString());
            QVERIFY(sim::ScenarioFile::save(files.back(), ops[i].scenario).empty());
        }
        ReportOptions o;
        o.scenarioFiles = files;
        const ReportData d = ReportBuilder::build(*ws, m_filter, o);
        QVERIFY(d.errors.empty());
        const ReportTable *t = d.table("scenarios");
        for (size_t i = 0; i < 2; ++i) {
            std::vector<std::string> notes;
            const CallFilter f = BaselineQuery::filterFor(*ws, ops[i].scenario.baseline, &notes);
            const auto baseline = BaselineQuery::load(*ws, f);
            const sim::SimulationResult r = sim::Engine(*baseline).run(ops[i].scenario);
            std::vector<const std::vector<std::string> *> rows;
            for (const auto &row : t->plain)
                if (row[0] == ops[i].scenario.name)
                    rows.push_back(&row);
            QCOMPARE(rows.size(), r.monthly.size() + 1);
            for (size_t m = 0; m < r.monthly.size(); ++m) {
                QVERIFY(std::abs(std::stod((*rows[m])[3]) - r.monthly[m].baseline.totalUsd()) <
                        1e-6);
                QVERIFY(std::abs(std::stod((*rows[m])[4]) - r.monthly[m].scenario.totalUsd()) <
                        1e-6);
            }
            QVERIFY(std::abs(std::stod((*rows.back())[4]) - r.horizonScenarioCostUsd) < 1e-6);
        }
        // The PDF's sections carry the CSVs' figures: the summary's spend, the
        // chargeback's total, each scenario's horizon.
        ReportRenderer pdfOf(d, {"summary", "chargeback", "scenarios"});
        const QString pdf = dir.filePath(QStringLiteral("finance.pdf"));
        QString why;
        QVERIFY2(pdfOf.writePdf(pdf, ReportRenderer::Paper::A4, &why), qPrintable(why));
        const QString text = pdfText(pdf);
        for (const char *title : {"Executive summary", "Chargeback by team", "Scenario comparison"})
            QVERIFY2(text.contains(QString::fromLatin1(title)), title);
        QVERIFY(text.contains(QString::fromStdString(d.table("summary")->display[0][1])));
        QVERIFY(text.contains(QString::fromStdString(d.table("chargeback")->display.back()[4])));
        for (const auto &row : t->display)
            if (row[2].rfind("horizon", 0) == 0)
                QVERIFY2(text.contains(QString::fromStdString(row[4])), row[4].c_str());
        // No scenario: the section says so; a missing file: an error naming it.
        QVERIFY(ReportBuilder::build(*ws, m_filter).table("scenarios")->plain.empty());
        o.scenarioFiles = {dir.filePath(QStringLiteral("missing.tlscenario")).toStdString()};
        const ReportData bad = ReportBuilder::build(*ws, m_filter, o);
        QCOMPARE(bad.errors.size(), size_t(1));
        QVERIFY2(bad.errors[0].find("missing.tlscenario") != std::string::npos,
                 bad.errors[0].c_str());
    }

    void pdfFiguresEqualTheStore_data()
    {
        QTest::addColumn<QString>("paper");
        QTest::addColumn<QString>("size");
        QTest::newRow("A4") << "a4"
                            << "595 x 842 pts (A4)";
        QTest::newRow("Letter") << "letter"
                                << "612 x 792 pts (letter)";
    }
    void pdfFiguresEqualTheStore()
    {
        QFETCH(QString, paper);
        QFETCH(QString, size);
        auto ws = tltest::openWorkspace(m_dir, QStringLiteral("fleet.tlw"));
        const ReportData d = ReportBuilder::build(*ws, m_filter);
        std::set<std::string> all;
        for (const auto &s : ReportRenderer::sections())
            all.insert(s.first);
        ReportRenderer r(d, all);
        const QString pdf = m_dir.filePath(QStringLiteral("report-%1.pdf").arg(paper));
        QString error;
        int pages = 0;
        QVERIFY2(r.writePdf(pdf,
                            paper == QStringLiteral("a4") ? ReportRenderer::Paper::A4
                                                          : ReportRenderer::Paper::Letter,
                            &error, &pages),
                 qPrintable(error));
        QString pageSize;
        QCOMPARE(pdfPages(pdf, &pageSize), pages);
        QVERIFY(pages >= 3);
        QCOMPARE(pageSize, size);
        const QString text = pdfText(pdf);
        const Measures t = SummaryQuery::run(*ws, m_filter, {}).totals;
        QVERIFY(text.contains(QString::fromStdString(formatUsd(t[MCostNusd]))));
        QVERIFY(
            text.contains(QString::fromStdString(groupThousands(std::to_string(t[MRequests])))));
        for (const auto &row :
             SummaryQuery::run(*ws, m_filter, {GroupKey{Dimension::Model, TimeBucket::None}}).rows)
            QVERIFY2(text.contains(QString::fromStdString(formatUsd(row.m[MCostNusd]))),
                     row.keys[0].c_str());
        for (const auto &s : ReportRenderer::sections())
            QVERIFY2(text.contains(s.second) || s.first == "top_tasks", qPrintable(s.second));
        QVERIFY(text.contains(QStringLiteral("Contents")));
        QVERIFY(text.contains(QStringLiteral("Page 1 of %1").arg(pages)));
        QVERIFY(text.contains(QStringLiteral("2025-11-15 to 2025-11-28")));
        // The by-day table runs onto a page of its own: its header repeats there.
        const QString last = pdfText(pdf, pages);
        QVERIFY(last.contains(QStringLiteral("Day")) &&
                last.contains(QStringLiteral("Cost (USD)")));
    }

    void smallReportIsOnePageWithoutContents()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const std::string csv =
            tltest::writeFile(dir, QStringLiteral("c.csv"),
                              "ts,model,input_tokens,output_tokens,agent,team\n"
                              "2026-01-05T10:00:00Z,gpt-4o-mini,1000,100,a,t\n");
        QVERIFY(Importer(*ws).importFile(csv).ok);
        const ReportData d = ReportBuilder::build(*ws, {});
        ReportRenderer r(d, {"kpis", "by_team"});
        const QString pdf = dir.filePath(QStringLiteral("small.pdf"));
        QString error;
        int pages = 0;
        QVERIFY(r.writePdf(pdf, ReportRenderer::Paper::A4, &error, &pages));
        QCOMPARE(pages, 1);
        const QString text = pdfText(pdf);
        QVERIFY(!text.contains(QStringLiteral("Contents")));
        QVERIFY(text.contains(QStringLiteral("Spend by team")));
        QVERIFY(!text.contains(QStringLiteral("Spend by model"))); // not chosen
        QVERIFY(text.contains(
            QString::fromStdString(formatUsd(SummaryQuery::run(*ws, {}, {}).totals[MCostNusd]))));
    }

    // An unpriced model is unpriced in every table, never $0.00 / 0.0%; a
    // long model name is printed whole; a task of many keeps a share.
    void unpricedLongNamesAndSmallShares()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        QByteArray csv =
            "ts,model,input_tokens,output_tokens,agent,team,task_id\n"
            "2026-01-05T10:00:00Z,house-model-without-a-price,1000,100,a,t,x\n"
            "2026-01-05T10:00:01Z,anthropic.claude-3-5-sonnet-20241022-v2:0,1000,100,a,t,y\n";
        for (int i = 0; i < 3000; ++i)
            csv +=
                "2026-01-05T11:00:00Z,gpt-4o,100000,1000,b,t,bulk-" + QByteArray::number(i) + "\n";
        QVERIFY(Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("c.csv"), csv)).ok);
        const ReportData d = ReportBuilder::build(*ws, {});
        const ReportTable *models = d.table("by_model");
        QVERIFY(models);
        QCOMPARE(models->headers.back(), std::string("Unpriced calls"));
        bool sawUnpriced = false;
        for (size_t r = 0; r < models->display.size(); ++r) {
            if (models->display[r][0] != "house-model-without-a-price")
                continue;
            sawUnpriced = true;
            QCOMPARE(models->display[r][1], std::string("unpriced"));
            QCOMPARE(models->display[r][2], std::string()); // no share of a known total
            QCOMPARE(models->display[r].back(), std::string("1"));
            QCOMPARE(models->plain[r][1], std::string()); // empty in the CSV, not 0
        }
        QVERIFY(sawUnpriced);
        for (const auto &row : d.table("top_tasks")->display)
            QVERIFY2(row[4] != "0.0%", row[0].c_str());

        ReportRenderer renderer(d, {"by_model", "top_tasks"});
        const QString pdf = dir.filePath(QStringLiteral("names.pdf"));
        QString error;
        QVERIFY(renderer.writePdf(pdf, ReportRenderer::Paper::A4, &error));
        const QString text = pdfText(pdf);
        QVERIFY2(text.contains(QStringLiteral("house-model-without-a-price")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("unpriced")));
        QVERIFY(!text.contains(QStringLiteral("…")));
    }

    // A task's cost counts its priced calls: a task of unpriced calls only
    // reads "unpriced" (no share, empty in the CSV), never $0.00; a task
    // with some unpriced calls keeps its priced cost and says how many are
    // not in it. Both engines; the PDF prints the column.
    void topTasksSayWhatIsUnpriced()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const QByteArray csv = "ts,model,input_tokens,output_tokens,agent,task_id\n"
                               "2026-01-05T10:00:00Z,gpt-4o,1000000,0,a,priced\n"
                               "2026-01-05T10:00:01Z,gpt-4o,1000000,0,a,mixed\n"
                               "2026-01-05T10:00:02Z,house-model,1000,100,a,mixed\n"
                               "2026-01-05T10:00:03Z,house-model,1000,100,b,dark\n"
                               "2026-01-06T10:00:03Z,house-model,1000,100,b,dark\n"
                               "2026-01-06T10:00:04Z,gpt-4o,1000000,0,c,clean\n";
        QVERIFY(Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("u.csv"), csv)).ok);
        const ReportData d = ReportBuilder::build(*ws, {});
        const ReportTable *tasks = d.table("top_tasks");
        QVERIFY(tasks);
        QCOMPARE(tasks->headers.back(), std::string("Unpriced calls"));
        std::map<std::string, size_t> row;
        for (size_t r = 0; r < tasks->display.size(); ++r)
            row[tasks->display[r][0]] = r;
        QCOMPARE(row.size(), size_t(4));
        // An agent without unpriced calls is not looked into, and says so.
        QCOMPARE(tasks->display[row.at("clean")][3], tasks->display[row.at("priced")][3]);
        QCOMPARE(tasks->display[row.at("clean")][5], std::string());
        const auto &dark = tasks->display[row.at("dark")];
        QCOMPARE(dark[2], std::string("2"));
        QCOMPARE(dark[3], std::string("unpriced"));
        QCOMPARE(dark[4], std::string());
        QCOMPARE(dark[5], std::string("2"));
        QCOMPARE(tasks->plain[row.at("dark")][3], std::string()); // not 0 in the CSV
        const auto &mixed = tasks->display[row.at("mixed")];
        QCOMPARE(mixed[3], tasks->display[row.at("priced")][3]); // the priced call's cost
        QVERIFY(mixed[3] != "unpriced");
        QCOMPARE(mixed[5], std::string("1"));
        QCOMPARE(tasks->display[row.at("priced")][5], std::string());
        QCOMPARE(tasks->plain[row.at("priced")][5], std::string("0"));

        ReportRenderer renderer(d, {"top_tasks"});
        const QString pdf = dir.filePath(QStringLiteral("tasks.pdf"));
        QString error;
        QVERIFY2(renderer.writePdf(pdf, ReportRenderer::Paper::A4, &error), qPrintable(error));
        const QString text = pdfText(pdf);
        // The header wraps ("Unpriced" over "calls").
        QVERIFY2(text.contains(QStringLiteral("Unpriced")) &&
                     text.contains(QStringLiteral("unpriced")),
                 qPrintable(text));
        QVERIFY(!text.contains(QStringLiteral("$0.00")));
    }

    // Names as users have them: Arabic, emoji, quotes. A right-to-left
    // override cannot reorder what the PDF says; the CSV keeps the name whole.
    void hostileNamesInThePdf()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const QByteArray spoof = "team-\xE2\x80\xAE"
                                 "gnissecorp"; // U+202E then reversed text
        QByteArray csv = "ts,model,input_tokens,output_tokens,agent,team\n";
        csv += "2026-01-05T10:00:00Z,gpt-4o-mini,1000,100,\"say "
               "\"\"hi\"\"\",\xD8\xB9\xD8\xB1\xD8\xA8\n";
        csv += "2026-01-05T10:00:01Z,gpt-4o-mini,1000,100,rocket \xF0\x9F\x9A\x80," + spoof + "\n";
        QVERIFY(Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("n.csv"), csv)).ok);
        const ReportData d = ReportBuilder::build(*ws, {});
        ReportRenderer r(d, {"by_team", "by_agent"});
        const QString pdf = dir.filePath(QStringLiteral("n.pdf"));
        QString error;
        QVERIFY2(r.writePdf(pdf, ReportRenderer::Paper::A4, &error), qPrintable(error));
        const QString text = pdfText(pdf);
        QVERIFY2(text.contains(QStringLiteral("team-gnissecorp")),
                 qPrintable(text)); // as stored, in order
        QVERIFY(!text.contains(QChar(0x202E)));
        QVERIFY2(text.contains(QStringLiteral("say \"hi\"")), qPrintable(text));
        QVERIFY2(text.contains(QString::fromUtf8("\xD8\xB9\xD8\xB1\xD8\xA8")), qPrintable(text));
    }

    // Calls a century apart (the widest the import accepts) once laid out
    // every day between them: the by-day table lists the days with calls.
    void aCenturyIsNotThousandsOfPages()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        QVERIFY(Importer(*ws)
                    .importFile(tltest::writeFile(
                        dir, QStringLiteral("w.csv"),
                        "ts,model,input_tokens,output_tokens\n2000-01-01T00:00:00Z,gpt-4o,10,1\n"
                        "2026-01-05T10:00:00Z,gpt-4o,10,1\n2099-12-30T10:00:00Z,gpt-4o,10,1\n"))
                    .ok);
        const ReportData d = ReportBuilder::build(*ws, {});
        QCOMPARE(d.table("by_day")->display.size(), size_t(3));
        QVERIFY(d.table("by_day")->title.find("days with calls only") != std::string::npos);
        ReportRenderer r(d, {"kpis", "trend", "by_day"});
        const QString pdf = dir.filePath(QStringLiteral("century.pdf"));
        QString error;
        int pages = 0;
        QVERIFY2(r.writePdf(pdf, ReportRenderer::Paper::A4, &error, &pages), qPrintable(error));
        QVERIFY2(pages <= 3, qPrintable(QString::number(pages)));
    }

    void commandLine()
    {
        const QString out = m_dir.filePath(QStringLiteral("cli"));
        QDir().mkpath(out);
        int code = -1;
        const QString db = QString::fromStdString(m_path);
        QString msg = run(
            QStringLiteral(TL_BINARY),
            {QStringLiteral("report"), QStringLiteral("--db"), db, QStringLiteral("--from"),
             QStringLiteral("2025-11-15"), QStringLiteral("--to"), QStringLiteral("2025-11-28"),
             QStringLiteral("--filter"), QStringLiteral("model=gpt-4o-mini"),
             QStringLiteral("--pdf"), out + QStringLiteral("/r.pdf"), QStringLiteral("--csv-dir"),
             out + QStringLiteral("/csv"), QStringLiteral("--paper"), QStringLiteral("letter")},
            &code);
        QCOMPARE(code, 0);
        QVERIFY(msg.contains(QStringLiteral("pages")));
        // The same figure from `summary` with the same period and filter.
        const QString summary =
            run(QStringLiteral(TL_BINARY),
                {QStringLiteral("summary"), QStringLiteral("--db"), db, QStringLiteral("--from"),
                 QStringLiteral("2025-11-15"), QStringLiteral("--to"), QStringLiteral("2025-11-28"),
                 QStringLiteral("--filter"), QStringLiteral("model=gpt-4o-mini"),
                 QStringLiteral("--format"), QStringLiteral("json")});
        const auto doc = QJsonDocument::fromJson(summary.toUtf8());
        const double cost = doc[QStringLiteral("totals")][QStringLiteral("cost_usd")].toDouble();
        QVERIFY(cost > 0);
        const QList<QStringList> kpis = readCsv(out + QStringLiteral("/csv/kpis.csv"));
        QVERIFY(std::fabs(kpis[1][1].toDouble() - cost) < 1e-6);
        QVERIFY(pdfText(out + QStringLiteral("/r.pdf"))
                    .contains(QStringLiteral("model = gpt-4o-mini")));
        const QList<QStringList> models = readCsv(out + QStringLiteral("/csv/by_model.csv"));
        QCOMPARE(models.size(), 2);
        QCOMPARE(models[1][0], QStringLiteral("gpt-4o-mini"));
        // Usage errors.
        run(QStringLiteral(TL_BINARY), {QStringLiteral("report"), QStringLiteral("--db"), db},
            &code);
        QCOMPARE(code, 1);
        msg = run(QStringLiteral(TL_BINARY),
                  {QStringLiteral("report"), QStringLiteral("--db"), db, QStringLiteral("--pdf"),
                   out + QStringLiteral("/x.pdf"), QStringLiteral("--sections"),
                   QStringLiteral("kpis,nope")},
                  &code);
        QCOMPARE(code, 1);
        QVERIFY(msg.contains(QStringLiteral("unknown section 'nope'")));
        msg = run(QStringLiteral(TL_BINARY),
                  {QStringLiteral("summary"), QStringLiteral("--db"), db,
                   QStringLiteral("--filter"), QStringLiteral("colour=red")},
                  &code);
        QCOMPARE(code, 1);
        QVERIFY(msg.contains(QStringLiteral("--filter expects DIM=VALUE")));
        // A chargeback rule that does not add up is a usage error; a scenario
        // that cannot be read fails the report before anything is written.
        msg = run(QStringLiteral(TL_BINARY),
                  {QStringLiteral("report"), QStringLiteral("--db"), db, QStringLiteral("--pdf"),
                   out + QStringLiteral("/y.pdf"), QStringLiteral("--allocate"),
                   QStringLiteral("support=50,search=20")},
                  &code);
        QCOMPARE(code, 1);
        QVERIFY2(msg.contains(QStringLiteral("add up to 70")), qPrintable(msg));
        msg = run(QStringLiteral(TL_BINARY),
                  {QStringLiteral("report"), QStringLiteral("--db"), db, QStringLiteral("--pdf"),
                   out + QStringLiteral("/z.pdf"), QStringLiteral("--csv-dir"),
                   out + QStringLiteral("/z"), QStringLiteral("--scenario"),
                   out + QStringLiteral("/none.tlscenario")},
                  &code);
        QVERIFY(code != 0);
        QVERIFY2(msg.contains(QStringLiteral("none.tlscenario")), qPrintable(msg));
        QVERIFY(!QFile::exists(out + QStringLiteral("/z.pdf")));
        QVERIFY(!QFile::exists(out + QStringLiteral("/z/kpis.csv")));
        // The chargeback through the binary: by feature, evenly, summing to the total.
        msg = run(QStringLiteral(TL_BINARY),
                  {QStringLiteral("report"), QStringLiteral("--db"), db, QStringLiteral("--from"),
                   QStringLiteral("2025-11-15"), QStringLiteral("--to"),
                   QStringLiteral("2025-11-28"), QStringLiteral("--csv-dir"),
                   out + QStringLiteral("/cb"), QStringLiteral("--chargeback-by"),
                   QStringLiteral("feature"), QStringLiteral("--allocate"), QStringLiteral("even")},
                  &code);
        QCOMPARE(code, 0);
        const QList<QStringList> cb = readCsv(out + QStringLiteral("/cb/chargeback.csv"));
        QCOMPARE(cb[0][0], QStringLiteral("Feature"));
        QCOMPARE(cb.last()[0], QStringLiteral("Total"));
        const QList<QStringList> all = readCsv(out + QStringLiteral("/cb/kpis.csv"));
        QCOMPARE(nanos(cb.last()[4].toStdString()), nanos(all[1][1].toStdString()));
    }

    void exportReportDialog()
    {
        std::string error;
        MainWindow w(Workspace::open(m_path, Workspace::OpenMode::OpenExisting, &error));
        w.show();
        QVERIFY(w.waitUntilSettled());
        ReportDialog *d = w.openReport();
        QSignalSpy ready(d, &ReportDialog::previewReady);
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() > 0, 30000);
        const int all = d->previewPages();
        QVERIFY(all >= 3);
        // Fewer sections, fewer pages; the preview follows.
        d->sectionBox("by_day")->setChecked(false);
        d->sectionBox("by_agent")->setChecked(false);
        // The first re-layout is superseded by the second: one answer.
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() >= 2, 30000);
        QTRY_VERIFY(d->previewPages() < all);
        const QString pdf = m_dir.filePath(QStringLiteral("dialog.pdf"));
        QString why;
        int pages = 0;
        QVERIFY2(d->savePdf(pdf, &why, &pages), qPrintable(why));
        QCOMPARE(pages, d->previewPages());
        QVERIFY(!pdfText(pdf).contains(QStringLiteral("Spend by agent")));
        QVERIFY(d->saveCsv(m_dir.filePath(QStringLiteral("dialog-csv")), &why));
        QVERIFY(QFile::exists(m_dir.filePath(QStringLiteral("dialog-csv/by_agent.csv"))));
        // Charge by feature: the figures are read again, the old ones cannot
        // be saved meanwhile, and the CSV follows; the choice is remembered.
        const int before = int(ready.count());
        d->chargeByCombo()->setCurrentIndex(
            d->chargeByCombo()->findData(QStringLiteral("feature")));
        QVERIFY(!d->saveCsv(m_dir.filePath(QStringLiteral("stale")), &why));
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() > before, 30000);
        QVERIFY(d->saveCsv(m_dir.filePath(QStringLiteral("dialog-feature")), &why));
        QCOMPARE(readCsv(m_dir.filePath(QStringLiteral("dialog-feature/chargeback.csv")))[0][0],
                 QStringLiteral("Feature"));
        // Shares that do not add up: the reason shows, nothing is re-read.
        d->allocateCombo()->setCurrentText(QStringLiteral("a=10"));
        QVERIFY(d->findChild<QLabel *>() != nullptr);
        bool shown = false;
        for (QLabel *l : d->findChildren<QLabel *>())
            shown |= l->text().contains(QStringLiteral("add up to 10"));
        QVERIFY(shown);
        QVERIFY(d->saveCsv(m_dir.filePath(QStringLiteral("dialog-still")), &why));
        d->allocateCombo()->setCurrentText(QStringLiteral("even"));
        d->accept();
        ReportDialog *again = w.openReport();
        QCOMPARE(again->chargeByCombo()->currentData().toString(), QStringLiteral("feature"));
        QCOMPARE(again->allocateCombo()->currentText(), QStringLiteral("even"));
        again->chargeByCombo()->setCurrentIndex(0); // leave the settings as found
        again->allocateCombo()->setCurrentText(QStringLiteral("proportional"));
        again->accept();
    }
};

QTEST_MAIN(TestReport)
#include "tst_report.moc"
