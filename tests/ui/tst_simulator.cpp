// The Simulator driven through its real widgets, offscreen, on a generated
// workspace: the baseline is what `summary` says, sliders and spin boxes
// change the scenario by the closed forms of simulation.md, every change is
// one undo step, files round-trip and bad ones are refused.
#include "testutil.h"

#include "comparepanel.h"
#include "core/timeutil.h"
#include "filterbar.h"
#include "frontierpanel.h"
#include "kpitile.h"
#include "levereditor.h"
#include "leverpanel.h"
#include "mainwindow.h"
#include "modelmixeditor.h"
#include "montecarlopanel.h"
#include "scenariodocument.h"
#include "scenariofile.h"
#include "simulationresultspanel.h"
#include "simulatorview.h"

#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QUndoStack>

using namespace tl;

namespace {

std::unique_ptr<Workspace> open(const std::string &path)
{
    return tltest::openExisting(path);
}

bool near(double a, double b, double tolerance = 1e-9)
{
    return std::abs(a - b) <= tolerance * std::max(1.0, std::abs(b));
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

} // namespace

class TestSimulator : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string m_path;
    std::unique_ptr<MainWindow> m_window;
    SimulatorView *m_sim = nullptr;

    const sim::SimulationResult &result() const { return m_sim->results()->result(); }
    LeverEditor *editor(const char *path) const
    {
        return m_sim->levers()->editor(QString::fromLatin1(path));
    }
    void settle() const
    {
        QVERIFY(m_window->waitUntilSettled());
        QApplication::processEvents(); // the coalesced recompute
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("tokenledger-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_simulator"));
        QSettings().clear();
        m_path = tltest::generatedWorkspace(m_dir);
        m_window = std::make_unique<MainWindow>(open(m_path));
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(m_window->showView(QStringLiteral("simulator")));
        m_sim = m_window->simulator();
        settle();
        QVERIFY(m_sim->engine());
    }

    void baselineIsTheStoresAndNeutralIsTheBaseline()
    {
        auto ws = open(m_path);
        const Measures t = SummaryQuery::run(*ws, {}, {}).totals;
        QVERIFY(near(result().baseline.llmUsd, double(t[MCostNusd]) * 1e-9));
        QCOMPARE(result().scenario.totalUsd(), result().baseline.totalUsd());
        const KpiTile *cost = m_sim->results()->tile(QStringLiteral("monthCost"));
        QVERIFY(cost->detail().contains(QStringLiteral("baseline ") + cost->value()));
        QVERIFY(m_window->windowTitle().contains(QStringLiteral("Untitled scenario")));
        QVERIFY(!m_window->isWindowModified());
    }

    void sliderDragIsOneUndoStep()
    {
        QUndoStack *undo = m_sim->document()->undoStack();
        const int before = undo->count();
        const double baseLlm = result().baseline.llmUsd;
        QSlider *slider = editor("response_cache.hit_rate")->slider();
        // A drag: the slider moves through many positions in a moment.
        slider->setSliderDown(true);
        for (int pos = 10; pos <= 300; pos += 10)
            slider->setValue(pos);
        slider->setSliderDown(false);
        QApplication::processEvents();
        QCOMPARE(undo->count(), before + 1);
        const double hit = *m_sim->document()->scenario().levers.cacheHitRate;
        QVERIFY(near(hit, 0.3));
        QVERIFY(near(result().scenario.llmUsd, baseLlm * (1 - hit)));
        QVERIFY(m_window->isWindowModified());
        QVERIFY(m_window->windowTitle().contains(QStringLiteral("[*]")) ||
                m_window->isWindowModified());
        undo->undo();
        QApplication::processEvents();
        QCOMPARE(*m_sim->document()->scenario().levers.cacheHitRate, 0.0);
        QCOMPARE(slider->value(), 0);
        QVERIFY(near(result().scenario.llmUsd, baseLlm));
        QVERIFY(!m_window->isWindowModified());
        undo->redo();
        QApplication::processEvents();
        QVERIFY(near(result().scenario.llmUsd, baseLlm * 0.7));
        undo->undo();
        QApplication::processEvents();
    }

    void spinBoxTypedValue()
    {
        QDoubleSpinBox *spin = editor("prices.change_pct")->spinBox();
        spin->setFocus();
        spin->selectAll();
        QTest::keyClicks(spin, QStringLiteral("10"));
        QTest::keyClick(spin, Qt::Key_Return);
        QApplication::processEvents();
        QCOMPARE(m_sim->document()->scenario().levers.priceChangePct, 10.0);
        QVERIFY(near(result().scenario.llmUsd, result().baseline.llmUsd * 1.1));
        QCOMPARE(editor("prices.change_pct")->slider()->value(),
                 editor("prices.change_pct")->slider()->maximum() * 60 / 150);
        // Reset to the baseline value: one more undoable step.
        editor("prices.change_pct")->resetButton()->click();
        QApplication::processEvents();
        QCOMPARE(m_sim->document()->scenario().levers.priceChangePct, 0.0);
        QVERIFY(near(result().scenario.llmUsd, result().baseline.llmUsd));
        m_sim->document()->undoStack()->undo();
        QApplication::processEvents();
        QCOMPARE(m_sim->document()->scenario().levers.priceChangePct, 10.0);
        m_sim->document()->undoStack()->undo();
        QApplication::processEvents();
        QCOMPARE(m_sim->document()->scenario().levers.priceChangePct, 0.0);
    }

    void addAMoveAndPickTheTarget()
    {
        ModelMixEditor *mix = m_sim->levers()->modelMix();
        m_sim->findChild<QPushButton *>(QStringLiteral("addMove"))->click();
        QApplication::processEvents();
        QCOMPARE(mix->moveCount(), 1);
        const sim::ModelMove move = m_sim->document()->scenario().levers.modelMix.front();
        QVERIFY(!move.from.empty() && !move.to.empty());
        QCOMPARE(move.share, 0.5);
        // Send everything to the cheapest-looking target the combo offers.
        QComboBox *to = mix->toCombo(0);
        QVERIFY(to);
        const int target = to->findText(QStringLiteral("gpt-4.1-nano"));
        QVERIFY(target >= 0);
        to->setCurrentIndex(target);
        // A dated name the width cuts is whole in the tooltip.
        QCOMPARE(mix->fromCombo(0)->toolTip(), QString::fromStdString(move.from));
        mix->shareEditor(0)->spinBox()->setValue(100);
        QApplication::processEvents();
        const auto &l = m_sim->document()->scenario().levers;
        QCOMPARE(l.modelMix.front().to, std::string("gpt-4.1-nano"));
        QCOMPARE(l.modelMix.front().share, 1.0);
        const auto &models = m_sim->engine()->workload().models();
        int from = -1, nano = -1;
        for (size_t i = 0; i < models.size(); ++i) {
            if (models[i].name == move.from)
                from = int(i);
            if (models[i].name == "gpt-4.1-nano")
                nano = int(i);
        }
        QVERIFY(from >= 0 && nano >= 0);
        QVERIFY(near(result().scenario.llmByModelUsd[size_t(from)], 0.0));
        QVERIFY(result().scenario.llmUsd < result().baseline.llmUsd);
        QVERIFY(m_sim->document()->undoStack()->count() >= 3);
        // A target the logs never saw: its success rate is unknown, not 0%.
        // (A new target rebuilds the move's rows: fetch the combo afresh.)
        to = mix->toCombo(0);
        QVERIFY(to);
        QStringList names;
        for (int i = 0; i < to->count(); ++i)
            names << to->itemText(i);
        const int unseenAt = to->findText(QStringLiteral("gpt-5-nano"));
        QVERIFY2(unseenAt >= 0, qPrintable(names.join(QLatin1Char(','))));
        to->setCurrentIndex(unseenAt);
        QApplication::processEvents();
        QCOMPARE(m_sim->document()->scenario().levers.modelMix.front().to,
                 std::string("gpt-5-nano"));
        LeverEditor *unseen = mix->qualityEditor("gpt-5-nano");
        QVERIFY(unseen);
        QCOMPARE(unseen->spinBox()->text(), QStringLiteral("unknown"));
        QVERIFY(unseen->spinBox()->toolTip().contains(QStringLiteral("model they come from")));
        LeverEditor *seen = mix->qualityEditor(move.from);
        QVERIFY(seen);
        QVERIFY(seen->spinBox()->text() != QStringLiteral("unknown"));
        m_sim->document()->undoStack()->undo();
        QApplication::processEvents();
        QCOMPARE(m_sim->document()->scenario().levers.modelMix.front().to,
                 std::string("gpt-4.1-nano"));
        // Scope the move to a team that does not exist: it moves nothing.
        auto *teams = m_sim->findChild<QLineEdit *>(QStringLiteral("moveTeams0"));
        QVERIFY(teams);
        teams->setText(QStringLiteral("nobody, "));
        Q_EMIT teams->editingFinished();
        QApplication::processEvents();
        QCOMPARE(m_sim->document()->scenario().levers.modelMix.front().scope.team,
                 std::vector<std::string>{"nobody"});
        QVERIFY(near(result().scenario.llmUsd, result().baseline.llmUsd));
        m_sim->document()->undoStack()->undo();
        QApplication::processEvents();
        QVERIFY(result().scenario.llmUsd < result().baseline.llmUsd);
    }

    void saveOpenRoundTripAndTitle()
    {
        const QString a = m_dir.filePath(QStringLiteral("a.json"));
        const QString b = m_dir.filePath(QStringLiteral("b.json"));
        m_sim->findChild<QLineEdit *>(QStringLiteral("scenarioName"))
            ->setText(QStringLiteral("Nano"));
        Q_EMIT m_sim->findChild<QLineEdit *>(QStringLiteral("scenarioName"))->editingFinished();
        QString error;
        QVERIFY2(m_sim->saveScenario(a, &error), qPrintable(error));
        QVERIFY(!m_window->isWindowModified());
        QVERIFY(m_window->windowTitle().startsWith(QStringLiteral("Nano")));
        const sim::Scenario saved = m_sim->document()->scenario();
        QVERIFY(m_sim->openScenario(a, &error));
        settle();
        QVERIFY(m_sim->document()->scenario().levers == saved.levers);
        QVERIFY(m_sim->saveScenario(b, &error));
        QCOMPARE(readAll(b), readAll(a));
        const double scenarioLlm = result().scenario.llmUsd;
        // Duplicate: same levers, a new unsaved document.
        m_sim->duplicateScenario();
        QApplication::processEvents();
        QVERIFY(m_sim->document()->filePath().isEmpty());
        QVERIFY(m_sim->document()->isModified());
        QVERIFY(m_sim->document()->displayName().startsWith(QStringLiteral("Copy of")));
        QVERIFY(near(result().scenario.llmUsd, scenarioLlm));
    }

    void badFilesAreRefusedAndChangeNothing()
    {
        const sim::Scenario before = m_sim->document()->scenario();
        const QString bad = m_dir.filePath(QStringLiteral("bad.json"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            R"({"format":"tokenledger-scenario","version":1,"levers":{"batching":{"window_s":"30s"}}})");
        f.close();
        QString error;
        QVERIFY(!m_sim->openScenario(bad, &error));
        QVERIFY2(error.contains(QStringLiteral("$.levers.batching.window_s: expected a number")),
                 qPrintable(error));
        QVERIFY(m_sim->document()->scenario() == before);
        const QString unknown = m_dir.filePath(QStringLiteral("unknown.json"));
        QFile u(unknown);
        QVERIFY(u.open(QIODevice::WriteOnly));
        u.write(
            R"({"format":"tokenledger-scenario","version":1,"levers":{"model_mix":[{"from":"gpt-4o-mini","to":"gpt-99","share":1}]}})");
        u.close();
        QVERIFY(!m_sim->openScenario(unknown, &error));
        QVERIFY2(
            error.contains(QStringLiteral("$.levers.model_mix[0].to: unknown model \"gpt-99\"")),
            qPrintable(error));
        QVERIFY(m_sim->document()->scenario() == before);
    }

    void openingRebasesAndFollowsItsPeriod()
    {
        // A scenario from another workspace, for two days of this one.
        const auto bounds = *dataDayBounds(*open(m_path));
        sim::Scenario s;
        s.name = "Elsewhere";
        s.baseline.from = formatDate(bounds.first + 2);
        s.baseline.to = formatDate(bounds.first + 3);
        s.baseline.workspace = "someone-elses-workspace";
        s.levers.priceChangePct = -10;
        const QString path = m_dir.filePath(QStringLiteral("elsewhere.json"));
        QCOMPARE(sim::ScenarioFile::save(path.toStdString(), s), std::string());
        QString error;
        QVERIFY2(m_sim->openScenario(path, &error), qPrintable(error));
        settle();
        QTRY_VERIFY(m_sim->notice().contains(QStringLiteral("re-based")));
        // The whole app now shows the scenario's period.
        const CallFilter f = m_window->filterBar()->filter().callFilter();
        QCOMPARE(*f.fromDay, bounds.first + 2);
        QCOMPARE(*f.toDay, bounds.first + 3);
        auto ws = open(m_path);
        const Measures t = SummaryQuery::run(*ws, f, {}).totals;
        QVERIFY(near(result().baseline.llmUsd, double(t[MCostNusd]) * 1e-9));
        QVERIFY(near(result().scenario.llmUsd, result().baseline.llmUsd * 0.9));
    }

    void compareMonteCarloAndFrontier()
    {
        QTabWidget *tabs = m_sim->results()->tabs();
        tabs->setCurrentWidget(m_sim->compare());
        m_sim->findChild<QPushButton *>(QStringLiteral("pinScenario"))->click();
        QApplication::processEvents();
        QCOMPARE(m_sim->compare()->table()->columnCount(), 3); // baseline, pinned, open
        QVERIFY(m_sim->addToComparison(m_dir.filePath(QStringLiteral("a.json"))));
        QCOMPARE(m_sim->compare()->table()->columnCount(), 4);

        tabs->setCurrentWidget(m_sim->monteCarlo());
        m_sim->document()->editRanges(
            {{"prices.change_pct", {-20, 20}}, {"response_cache.hit_rate", {0, 0.5}}},
            QStringLiteral("ranges"));
        QApplication::processEvents();
        QTRY_VERIFY(m_sim->monteCarlo()->runButton()->isEnabled());
        m_sim->monteCarlo()->runButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!m_sim->monteCarlo()->isRunning(), 60000);
        const auto &mc = m_sim->monteCarlo()->result();
        QCOMPARE(mc.samples, 10000);
        QVERIFY(mc.monthlyCostUsd.p10 < mc.monthlyCostUsd.p50);
        QVERIFY(mc.monthlyCostUsd.p50 < mc.monthlyCostUsd.p90);
        // Undo takes the ranges back out.
        m_sim->document()->undoStack()->undo();
        QApplication::processEvents();
        QVERIFY(m_sim->document()->scenario().ranges.empty());

        tabs->setCurrentWidget(m_sim->frontier());
        QApplication::processEvents();
        QTRY_VERIFY(!m_sim->frontier()->result().points.empty());
        const auto &points = m_sim->frontier()->result().points;
        for (size_t i = 1; i < points.size(); ++i)
            QVERIFY(points[i].monthlyCostUsd >= points[i - 1].monthlyCostUsd - 1e-9);
    }

    void cancellingTheBaselineKeepsTheLastOne()
    {
        const sim::Engine *before = m_sim->engine();
        ViewFilter f = m_window->filterBar()->filter();
        f.range = ViewFilter::Range::All;
        m_sim->setFilter(f); // what the filter bar does, without its debounce
        auto *cancel = m_sim->findChild<QPushButton *>(QStringLiteral("cancelBaseline"));
        QVERIFY(cancel->isVisible());
        cancel->click();
        QVERIFY(m_window->waitUntilSettled());
        QApplication::processEvents();
        QCOMPARE(m_sim->engine(), before); // the cancelled load is never shown
        QVERIFY(!cancel->isVisible());
        QVERIFY(m_sim->findChild<QLabel *>(QStringLiteral("recomputeTime"))
                    ->text()
                    .contains(QStringLiteral("cancelled")));
        // Loading again works.
        m_window->filterBar()->setFilter(ViewFilter{});
        settle();
        QVERIFY(m_sim->engine() != before);
    }

    void cleanupTestCase()
    {
        // Leave nothing to ask about on close.
        m_sim->document()->undoStack()->setClean();
        m_window.reset();
    }
};

QTEST_MAIN(TestSimulator)
#include "tst_simulator.moc"
