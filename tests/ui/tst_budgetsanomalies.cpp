// The Budgets and Anomalies views through their widgets, offscreen.
#include "testutil.h"

#include "anomaliesview.h"
#include "budgetdialog.h"
#include "budgets/budgetstore.h"
#include "budgetsview.h"
#include "core/timeutil.h"
#include "filterbar.h"
#include "items/requesttablemodel.h"
#include "mainwindow.h"
#include "requestsview.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTreeWidget>
#include <QUndoStack>

using namespace tl;

namespace {

std::unique_ptr<Workspace> open(const std::string &path)
{
    return tltest::openExisting(path);
}

// One agent, a $0.50 call every 10 minutes for three weeks, and an hour of
// 54 extra calls on the last day at 14:00.
std::string spikeWorkspace(const QTemporaryDir &dir)
{
    QByteArray csv = "ts,model,input_tokens,output_tokens,cost_usd,agent,team,request_id\n";
    const int64_t start = 1'772'323'200'000; // 2026-03-01
    int id = 0;
    for (int64_t t = start; t < start + 21 * kMsPerDay; t += 600'000)
        csv += QByteArray::number(qlonglong(t / 1000)) + ",gpt-4o,1000,100,0.5,bot,ops,a" +
               QByteArray::number(++id) + "\n";
    const int64_t spike = start + 20 * kMsPerDay + 14 * kMsPerHour;
    for (int i = 0; i < 54; ++i)
        csv += QByteArray::number(qlonglong((spike + i * 60'000) / 1000)) +
               ",gpt-4o,1000,100,0.5,bot,ops,s" + QByteArray::number(i) + "\n";
    auto ws = tltest::openWorkspace(dir, QStringLiteral("spike.db"));
    if (!Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("spike.csv"), csv)).ok)
        qFatal("import failed");
    Budget b;
    b.name = "Ops";
    b.scope[Dimension::Team] = "ops";
    b.amountNusd = 3000'000'000'000; // $3,000 a month
    b.alerts = {0.5, 0.8, 1.0};
    BudgetStore::save(*ws, {b});
    return ws->path();
}

} // namespace

class TestBudgetsAnomalies : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string m_path;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("tokenledger-tests"));
        // Each run its own settings: the file and server runs go side by side.
        QCoreApplication::setApplicationName(tltest::serverRun()
                                                 ? QStringLiteral("tst_budgetsanomalies_pg")
                                                 : QStringLiteral("tst_budgetsanomalies"));
        QSettings().clear();
        m_path = spikeWorkspace(m_dir);
    }

    void budgetsTreeEditAndUndo()
    {
        MainWindow w(open(m_path));
        w.resize(1400, 900);
        w.show();
        QVERIFY(w.showView(QStringLiteral("budgets")));
        QVERIFY(w.waitUntilSettled());
        BudgetsView *v = w.budgets();
        QCOMPARE(v->tree()->topLevelItemCount(), 1);
        // As of the end of the data (March 21): the month's spend so far,
        // the same "as of" and forecast `budgets list` gives.
        const BudgetStatus &s = v->statuses().front();
        {
            auto ws = open(m_path);
            const int64_t at =
                BudgetEvaluator::defaultAsOf(*ws, QDateTime::currentMSecsSinceEpoch());
            QCOMPARE(s.atMs, at);
            QCOMPARE(at, int64_t(1'772'323'200'000) + 21 * kMsPerDay); // the end of 23:00 on Mar 21
            const auto cli = BudgetEvaluator::evaluate(*ws, BudgetStore::load(*ws), at);
            QCOMPARE(cli.front().forecastUsd, s.forecastUsd);
        }
        QVERIFY(std::abs(s.spentUsd - (21 * 144 + 54) * 0.5) < 1e-6);
        QVERIFY(v->tree()->topLevelItem(0)->text(4).contains(QStringLiteral("1,539.00")));
        QTRY_VERIFY(v->replayText().contains(QStringLiteral("50% reached")));
        // $1,500 is crossed by the 3,000th call: 2,964 before March 21 14:00,
        // then the spike's s0..s31 with the regular calls of 14:00, :10, :20
        // and :30 among them -> s31, at 14:31.
        // (The call's number is its row id: looked up, as the import may
        // store a file's calls in another order, by agent.)
        const qint64 s31 =
            open(m_path)->db().queryInt("SELECT id FROM calls WHERE request_id = 's31'");
        QVERIFY2(
            v->replayText().contains(
                QStringLiteral("2026-03-21 14:31:00 by call %1 «s31» ($1,500.00 spent)").arg(s31)),
            qPrintable(v->replayText()));
        // A finished period: February has no calls.
        v->replayPeriodCombo()->setCurrentIndex(1);
        QTRY_VERIFY(v->replayText().contains(QStringLiteral("2026-02-01 – 2026-02-28")));
        QVERIFY(v->replayText().contains(QStringLiteral("No alert threshold was crossed")));
        v->replayPeriodCombo()->setCurrentIndex(0);
        QTRY_VERIFY(v->replayText().contains(QStringLiteral("50% reached")));
        // Edit the amount in place: one undoable step, stored in the workspace.
        v->tree()->topLevelItem(0)->setText(3, QStringLiteral("$1,000"));
        QVERIFY(w.waitUntilSettled());
        QCOMPARE(v->undoStack()->count(), 1);
        QCOMPARE(BudgetStore::load(*open(m_path)).front().amountNusd, int64_t(1000'000'000'000));
        QCOMPARE(v->statuses().front().state, BudgetStatus::State::Breached);
        // A breach that happened is dated, not listed as a forecast.
        QVERIFY2(v->tree()->topLevelItem(0)->text(7).startsWith(QStringLiteral("at 2026-03-")),
                 qPrintable(v->tree()->topLevelItem(0)->text(7)));
        v->undoStack()->undo();
        QVERIFY(w.waitUntilSettled());
        QCOMPARE(BudgetStore::load(*open(m_path)).front().amountNusd, int64_t(3000'000'000'000));
        // Not a number: refused, nothing changes.
        v->tree()->topLevelItem(0)->setText(3, QStringLiteral("lots"));
        QVERIFY(w.waitUntilSettled());
        QCOMPARE(v->undoStack()->count(), 1);
        QVERIFY(v->tree()->topLevelItem(0)->text(3).contains(QStringLiteral("3,000")));
        BudgetDialog *d = v->addBudget();
        d->amountBox()->setValue(1000);
        QVERIFY(d->problem().isEmpty());
        d->buttons()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(w.waitUntilSettled());
        QCOMPARE(BudgetStore::load(*open(m_path)).size(), size_t(2));
        v->undoStack()->undo();
        QVERIFY(w.waitUntilSettled());
        QCOMPARE(BudgetStore::load(*open(m_path)).size(), size_t(1));
    }

    // A team's budget made in the app: the dialog starts on the filter's
    // team, refuses what the file would refuse, and every edit is one undo step.
    // Stored budgets that cannot be read: the view says so, never "no
    // budgets" (they once vanished, and `budgets check` passed).
    void unreadableBudgetsAreSaidSo()
    {
        QTemporaryDir dir;
        QVERIFY(QFile::copy(QString::fromStdString(m_path), dir.filePath(QStringLiteral("b.db"))));
        const std::string copy = dir.filePath(QStringLiteral("b.db")).toStdString();
        open(copy)->setMetaValue("budgets", "{\"format\":\"tokenledger-budgets\",\"version\":1,"
                                            "\"budgets\":[{\"name\":7}]}");
        MainWindow w(open(copy));
        w.resize(1200, 800);
        w.show();
        QVERIFY(w.showView(QStringLiteral("budgets")));
        QVERIFY(w.waitUntilSettled());
        QVERIFY2(w.budgets()->replayText().contains(QStringLiteral("budgets cannot be read")),
                 qPrintable(w.budgets()->replayText()));
        QCOMPARE(w.budgets()->tree()->topLevelItemCount(), 0);
        QVERIFY(w.budgets()->budgets().empty());
    }

    void budgetDialogAddsAndEditsATeamBudget()
    {
        QTemporaryDir dir;
        const QString copy =
            QString::fromStdString(tltest::privateCopy(m_path, dir, QStringLiteral("dialog.db")));
        MainWindow w(open(copy.toStdString()));
        w.show();
        ViewFilter f = w.filterBar()->filter();
        f.include[Dimension::Team] = {"ops"};
        w.filterBar()->setFilter(f);
        QVERIFY(w.showView(QStringLiteral("budgets")));
        QVERIFY(w.waitUntilSettled());
        BudgetsView *v = w.budgets();
        QPushButton *ok = nullptr;

        BudgetDialog *d = v->addBudget();
        ok = d->buttons()->button(QDialogButtonBox::Ok);
        QCOMPARE(d->scopeBox(Dimension::Team)->currentText(), QStringLiteral("ops"));
        QVERIFY(!ok->isEnabled()); // no amount yet
        QVERIFY(d->problem().contains(QStringLiteral("amount"), Qt::CaseInsensitive));
        d->amountBox()->setValue(2500);
        QVERIFY(ok->isEnabled());
        d->nameEdit()->setText(QStringLiteral("Ops")); // taken
        QVERIFY(!ok->isEnabled());
        QVERIFY(d->problem().contains(QStringLiteral("another budget"), Qt::CaseInsensitive));
        d->nameEdit()->setText(QStringLiteral("Ops weekly"));
        d->alertsEdit()->setText(QStringLiteral("80, 50"));
        QVERIFY(d->problem().contains(QStringLiteral("rise"), Qt::CaseInsensitive));
        d->alertsEdit()->setText(QStringLiteral("50, 90"));
        d->periodBox()->setCurrentIndex(d->periodBox()->findData(int(BudgetPeriod::Week)));
        d->hardBox()->setChecked(true);
        d->policyBox()->setCurrentIndex(d->policyBox()->findData(int(BreachPolicy::Downgrade)));
        d->downgradeBox()->setCurrentText(QString());
        QVERIFY(d->problem().contains(QStringLiteral("model"), Qt::CaseInsensitive));
        d->downgradeBox()->setCurrentText(QStringLiteral("no-such-model"));
        QVERIFY(d->problem().contains(QStringLiteral("no price"), Qt::CaseInsensitive));
        d->downgradeBox()->setCurrentText(QStringLiteral("gpt-4o-mini"));
        QVERIFY2(ok->isEnabled(), qPrintable(d->problem()));
        ok->click();
        QVERIFY(w.waitUntilSettled());
        auto stored = BudgetStore::load(*open(copy.toStdString()));
        QCOMPARE(stored.size(), size_t(2));
        const Budget &made = stored.back();
        QCOMPARE(made.name, std::string("Ops weekly"));
        QCOMPARE(made.scope.at(Dimension::Team), std::string("ops"));
        QCOMPARE(made.scope.size(), size_t(1));
        QCOMPARE(made.period, BudgetPeriod::Week);
        QCOMPARE(made.amountNusd, int64_t(2500'000'000'000));
        QCOMPARE(made.alerts, (std::vector<double>{0.5, 0.9}));
        QVERIFY(made.hard);
        QCOMPARE(made.onBreach, BreachPolicy::Downgrade);
        QCOMPARE(made.downgradeTo, std::string("gpt-4o-mini"));
        // Weekly, so beside the monthly Ops budget (parents share the period).
        QCOMPARE(v->tree()->topLevelItemCount(), 2);

        // Edit it: period back to month, scope opened to any team.
        const auto found = v->tree()->findItems(QStringLiteral("Ops weekly"),
                                                Qt::MatchExactly | Qt::MatchRecursive);
        QCOMPARE(found.size(), 1);
        v->tree()->setCurrentItem(found.front());
        v->editSelected();
        d = v->findChild<BudgetDialog *>(QStringLiteral("budgetDialog"));
        QVERIFY(d);
        QCOMPARE(d->nameEdit()->text(), QStringLiteral("Ops weekly")); // its own name is fine
        d->periodBox()->setCurrentIndex(d->periodBox()->findData(int(BudgetPeriod::Month)));
        d->scopeBox(Dimension::Team)->setCurrentText(QStringLiteral("(any)"));
        d->buttons()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(w.waitUntilSettled());
        stored = BudgetStore::load(*open(copy.toStdString()));
        QCOMPARE(stored.back().period, BudgetPeriod::Month);
        QVERIFY(stored.back().scope.empty());
        QCOMPARE(v->undoStack()->count(), 2);
        v->undoStack()->undo();
        QVERIFY(w.waitUntilSettled());
        stored = BudgetStore::load(*open(copy.toStdString()));
        QCOMPARE(stored.back().period, BudgetPeriod::Week);
        v->undoStack()->undo();
        QVERIFY(w.waitUntilSettled());
        QCOMPARE(BudgetStore::load(*open(copy.toStdString())).size(), size_t(1));
    }

    // Remove each budget in each position of the file, through the view, down
    // to none: the tree is rebuilt while the selection moves (a crash once
    // when the removed budget was the last in file order).
    void removeEveryBudgetInEveryPosition_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("position");
        for (int count = 1; count <= 4; ++count)
            for (int position = 0; position < count; ++position)
                QTest::addRow("%d budgets, remove #%d", count, position) << count << position;
    }

    void removeEveryBudgetInEveryPosition()
    {
        QFETCH(int, count);
        QFETCH(int, position);
        QTemporaryDir dir;
        const QString copy =
            QString::fromStdString(tltest::privateCopy(m_path, dir, QStringLiteral("budgets.db")));
        std::vector<Budget> budgets;
        for (int i = 0; i < count; ++i) {
            Budget b;
            b.name = "B" + std::to_string(i);
            // Mixed scopes, so that tree order (parents first) differs from file order.
            if (i % 2)
                b.scope[Dimension::Team] = "ops";
            b.amountNusd = int64_t(1000 + i) * 1'000'000'000;
            budgets.push_back(b);
        }
        BudgetStore::save(*open(copy.toStdString()), budgets);

        MainWindow w(open(copy.toStdString()));
        w.show();
        QVERIFY(w.showView(QStringLiteral("budgets")));
        QVERIFY(w.waitUntilSettled());
        BudgetsView *v = w.budgets();
        QCOMPARE(int(v->statuses().size()), count);
        const auto select = [&](const std::string &name) {
            const auto found = v->tree()->findItems(QString::fromStdString(name),
                                                    Qt::MatchExactly | Qt::MatchRecursive);
            QVERIFY(!found.isEmpty());
            v->tree()->setCurrentItem(found.front());
        };
        select(budgets[size_t(position)].name);
        v->removeSelected();
        QVERIFY(w.waitUntilSettled());
        QCOMPARE(int(BudgetStore::load(*open(copy.toStdString())).size()), count - 1);
        QCOMPARE(int(v->statuses().size()), count - 1);
        // Then the rest, each time the one now last in file order.
        while (!v->budgets().empty()) {
            select(v->budgets().back().name);
            v->removeSelected();
            QVERIFY(w.waitUntilSettled());
        }
        QCOMPARE(v->tree()->topLevelItemCount(), 0);
        QVERIFY(v->replayText().contains(QStringLiteral("No budgets yet")));
        QVERIFY(BudgetStore::load(*open(copy.toStdString())).empty());
        // Undo brings the last one back, in the view and in the file.
        v->undoStack()->undo();
        QVERIFY(w.waitUntilSettled());
        QCOMPARE(int(BudgetStore::load(*open(copy.toStdString())).size()), 1);
        QCOMPARE(v->tree()->topLevelItemCount(), 1);
    }

    void anomaliesListMuteAndCalls()
    {
        auto w = std::make_unique<MainWindow>(open(m_path));
        w->resize(1400, 900);
        w->show();
        QVERIFY(w->showView(QStringLiteral("anomalies")));
        QVERIFY(w->waitUntilSettled());
        AnomaliesView *v = w->anomalies();
        // The agent, its team and its model all spiked in the same hour.
        QVERIFY(v->table()->rowCount() >= 1);
        QCOMPARE(v->table()->item(0, 1)->text(), QStringLiteral("2026-03-21 14:00"));
        QVERIFY(v->table()->item(0, 7)->text().contains(QStringLiteral("calls ×10.0")));
        const int before = v->table()->rowCount();
        // Show its calls: Requests shows the spike's own calls, oldest first,
        // and the shared period and filters stay as the user set them (they
        // were silently replaced once, and a cost sort buried the spike).
        v->table()->selectRow(0);
        const Anomaly first = v->anomalies().front();
        const ViewFilter shared = w->filterBar()->filter();
        w->requests()->sortCombo()->setCurrentIndex(
            w->requests()->sortCombo()->findData(int(RequestSort::CostDesc)));
        v->showCallsOfSelected();
        QVERIFY(w->waitUntilSettled());
        QCOMPARE(w->currentView(), static_cast<View *>(w->requests()));
        QVERIFY(w->filterBar()->filter() == shared);
        QVERIFY(w->requests()->hasFocus());
        QVERIFY(w->requests()->focusText().contains(QString::fromStdString(first.entity)));
        QCOMPARE(RequestSort(w->requests()->sortCombo()->currentData().toInt()),
                 RequestSort::TimeAsc);
        // Exactly the calls of the window: 54 spike calls and 6 regular ones
        // in 14:00-15:00 (the anomaly's hour).
        RequestTableModel *calls = w->requests()->model();
        while (calls->canFetchMore({})) {
            calls->fetchMore({});
            QVERIFY(w->waitUntilSettled());
        }
        const int64_t expected =
            SummaryQuery::run(*open(m_path), w->requests()->queryFilter(), {}).totals[MRecords];
        QCOMPARE(int64_t(calls->rowCount()), expected);
        QCOMPARE(expected, int64_t((first.endMs - first.startMs) / kMsPerHour * 6 + 54));
        QVERIFY(calls->rowAt(0)->tsMs >= first.startMs);
        QVERIFY(calls->rowAt(calls->rowCount() - 1)->tsMs < first.endMs);
        // "Show all calls" returns to the shared filter.
        w->requests()->findChild<QPushButton *>(QStringLiteral("clearFocus"))->click();
        QVERIFY(w->waitUntilSettled());
        QVERIFY(!w->requests()->hasFocus());
        QVERIFY(int64_t(calls->rowCount()) > expected);
        // Mute its entity: hidden now and in the next session.
        w->filterBar()->setFilter(ViewFilter{});
        w->showView(QStringLiteral("anomalies"));
        QVERIFY(w->waitUntilSettled());
        v->table()->selectRow(0);
        v->muteSelected();
        QCOMPARE(v->table()->rowCount(), before - 1);
        QVERIFY(w->waitUntilSettled());
        w.reset();
        MainWindow again(open(m_path));
        again.show();
        again.showView(QStringLiteral("anomalies"));
        QVERIFY(again.waitUntilSettled());
        QCOMPARE(again.anomalies()->table()->rowCount(), before - 1);
    }
};

QTEST_MAIN(TestBudgetsAnomalies)
#include "tst_budgetsanomalies.moc"
