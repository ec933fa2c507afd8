#include "simulationresultspanel.h"

#include "chartfactory.h"
#include "displayformat.h"
#include "kpitile.h"
#include "simulatorcharts.h"

#include <QChartView>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace tl {

namespace {

enum Tab { MonthlyTab, SensitivityTab, PricesTab, BatchingTab };

QChartView *chartView(QWidget *parent)
{
    auto *v = new QChartView(parent);
    v->setRenderHint(QPainter::Antialiasing);
    v->setMinimumHeight(220);
    return v;
}

QString change(double baseline, double scenario, bool money)
{
    const double d = scenario - baseline;
    QString s = money ? (d < 0 ? QStringLiteral("−") : QStringLiteral("+")) +
                            DisplayFormat::usd(std::abs(d))
                      : (d < 0 ? QStringLiteral("−") : QStringLiteral("+")) +
                            DisplayFormat::count(std::llround(std::abs(d)));
    if (std::abs(baseline) > 1e-12)
        s += QStringLiteral(" (%1)").arg(DisplayFormat::signedPercent(d / std::abs(baseline)));
    return s;
}

QString roiText(const std::optional<double> &r)
{
    return r ? DisplayFormat::percent(*r, 0) : QObject::tr("n/a");
}

const QColor kBetter(0x00, 0x9E, 0x73);
const QColor kWorse(0xD5, 0x5E, 0x00);

} // namespace

SimulationResultsPanel::SimulationResultsPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *tiles = new QGridLayout;
    const std::pair<const char *, QString> tileNames[] = {
        {"monthCost", tr("Cost / month")},
        {"monthLlm", tr("LLM / month")},
        {"roi", tr("ROI")},
        {"successes", tr("Successful tasks / month")},
        {"horizon", tr("Over the horizon")},
        {"latency", tr("Mean latency")}};
    int i = 0;
    for (const auto &[name, caption] : tileNames) {
        auto *t = new KpiTile(caption, this);
        t->setObjectName(QString::fromLatin1(name));
        // Long details clip instead of widening the window.
        t->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        t->setMinimumWidth(140);
        tiles->addWidget(t, i / 3, i % 3);
        m_tiles << t;
        ++i;
    }
    layout->addLayout(tiles);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("resultTabs"));
    m_tabs->setUsesScrollButtons(true);
    layout->addWidget(m_tabs, 1);

    auto *monthly = new QSplitter(Qt::Vertical, m_tabs);
    m_monthly = chartView(monthly);
    m_table = new QTableWidget(monthly);
    m_table->setObjectName(QStringLiteral("components"));
    m_table->setColumnCount(3);
    m_table->setHorizontalHeaderLabels(
        {tr("Baseline (period)"), tr("Scenario (period)"), tr("Change")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setDefaultSectionSize(22);
    monthly->addWidget(m_monthly);
    monthly->addWidget(m_table);
    monthly->setStretchFactor(0, 3);
    monthly->setStretchFactor(1, 2);
    m_tabs->addTab(monthly, tr("Cost by month"));
    m_tornadoView = chartView(m_tabs);
    m_tabs->addTab(m_tornadoView, tr("Sensitivity"));
    m_priceView = chartView(m_tabs);
    m_tabs->addTab(m_priceView, tr("Price curve"));
    auto *batching = new QWidget(m_tabs);
    auto *bl = new QVBoxLayout(batching);
    m_batchingView = chartView(batching);
    m_batchingNote = new QLabel(batching);
    m_batchingNote->setWordWrap(true);
    bl->addWidget(m_batchingView, 1);
    bl->addWidget(m_batchingNote);
    m_tabs->addTab(batching, tr("Batching"));
    connect(m_tabs, &QTabWidget::currentChanged, this, &SimulationResultsPanel::refreshTab);
}

void SimulationResultsPanel::addTab(QWidget *page, const QString &title)
{
    m_tabs->addTab(page, title);
}

KpiTile *SimulationResultsPanel::tile(const QString &objectName) const
{
    for (KpiTile *t : m_tiles)
        if (t->objectName() == objectName)
            return t;
    return nullptr;
}

void SimulationResultsPanel::clear(const QString &message)
{
    m_engine = nullptr;
    for (KpiTile *t : m_tiles)
        t->setValue(QStringLiteral("—"), message);
}

void SimulationResultsPanel::update(const sim::Engine &engine, const sim::Scenario &s)
{
    m_engine = &engine;
    m_scenario = s;
    m_result = engine.run(s);
    const sim::SimulationResult &r = m_result;
    const sim::Outcome &b = r.monthly.front().baseline;
    const sim::Outcome &sc = r.monthly.front().scenario;
    const auto colour = [](double baseline, double scenario, bool lowerIsBetter) {
        if (std::abs(scenario - baseline) < 1e-9)
            return QColor();
        return (scenario < baseline) == lowerIsBetter ? kBetter : kWorse;
    };
    tile(QStringLiteral("monthCost"))
        ->setValue(
            DisplayFormat::usd(sc.totalUsd()),
            tr("baseline %1 · %2")
                .arg(DisplayFormat::usd(b.totalUsd()), change(b.totalUsd(), sc.totalUsd(), true)),
            colour(b.totalUsd(), sc.totalUsd(), true));
    tile(QStringLiteral("monthLlm"))
        ->setValue(DisplayFormat::usd(sc.llmUsd),
                   tr("baseline %1").arg(DisplayFormat::usd(b.llmUsd)),
                   colour(b.llmUsd, sc.llmUsd, true));
    tile(QStringLiteral("roi"))
        ->setValue(roiText(sc.roi()), tr("baseline %1").arg(roiText(b.roi())),
                   colour(b.roi().value_or(0), sc.roi().value_or(0), false));
    tile(QStringLiteral("successes"))
        ->setValue(DisplayFormat::count(std::llround(sc.successfulTasks)),
                   change(b.successfulTasks, sc.successfulTasks, false),
                   colour(b.successfulTasks, sc.successfulTasks, false));
    const double saved = r.horizonBaselineCostUsd - r.horizonScenarioCostUsd;
    QString horizon = saved >= 0 ? tr("saves %1").arg(DisplayFormat::usd(saved))
                                 : tr("costs %1 more").arg(DisplayFormat::usd(-saved));
    if (s.levers.investmentUsd > 0)
        horizon +=
            r.paybackMonth ? tr(" · payback month %1").arg(*r.paybackMonth) : tr(" · no payback");
    tile(QStringLiteral("horizon"))->setCaption(tr("Over %1 months").arg(r.monthly.size()));
    tile(QStringLiteral("horizon"))
        ->setValue(DisplayFormat::usd(r.horizonScenarioCostUsd), horizon,
                   saved >= 0 ? kBetter : kWorse);
    QString latency = tr("baseline %1").arg(DisplayFormat::millis(b.meanLatencyMs));
    if (sc.batchedShare > 0)
        latency += tr(" · batch wait p95 %1 s").arg(sc.batchWaitP95S, 0, 'f', 1);
    tile(QStringLiteral("latency"))
        ->setValue(DisplayFormat::millis(sc.meanLatencyMs), latency,
                   colour(b.meanLatencyMs, sc.meanLatencyMs, true));

    m_tornado.clear();
    m_stale = {MonthlyTab, SensitivityTab, PricesTab, BatchingTab};
    refreshTab(m_tabs->currentIndex());
}

void SimulationResultsPanel::refreshTab(int index)
{
    if (!m_engine || !m_stale.count(index))
        return;
    m_stale.erase(index);
    switch (index) {
    case MonthlyTab:
        ChartFactory::setChart(m_monthly, SimulatorCharts::monthly(m_result));
        fillTable();
        break;
    case SensitivityTab:
        m_tornado = sim::Sensitivity::tornado(*m_engine, m_scenario);
        ChartFactory::setChart(
            m_tornadoView,
            SimulatorCharts::tornado(
                m_tornado,
                sim::Sensitivity::averageMonth(*m_engine, m_scenario, m_scenario.levers).costUsd));
        break;
    case PricesTab:
        ChartFactory::setChart(
            m_priceView,
            SimulatorCharts::priceCurve(sim::Sensitivity::priceCurve(*m_engine, m_scenario)));
        break;
    case BatchingTab: {
        ChartFactory::setChart(
            m_batchingView,
            SimulatorCharts::batchingCurve(sim::Sensitivity::batchingCurve(*m_engine, m_scenario)));
        const sim::Outcome &o = m_result.scenario;
        m_batchingNote->setText(
            m_scenario.levers.batchEligibleShare > 0
                ? tr("With %1 of calls eligible and a %2 s window, %3 of all calls are batched; "
                     "they wait %4 s on average, %5 s at the 95th percentile. The curve assumes "
                     "the scenario's eligible share.")
                      .arg(DisplayFormat::percent(m_scenario.levers.batchEligibleShare, 0))
                      .arg(m_scenario.levers.batchWindowS, 0, 'f', 1)
                      .arg(DisplayFormat::percent(o.batchedShare))
                      .arg(o.batchWaitMeanS, 0, 'f', 1)
                      .arg(o.batchWaitP95S, 0, 'f', 1)
                : tr("No call is batch-eligible in this scenario; the curve shows every call "
                     "eligible, from each agent's observed arrival rate by hour of day."));
        break;
    }
    default:
        break;
    }
}

void SimulationResultsPanel::fillTable()
{
    const sim::SimulationResult &r = m_result;
    const sim::Outcome &b = r.baseline, &s = r.scenario;
    struct Row
    {
        QString label;
        double baseline, scenario;
        bool money;
    };
    std::vector<Row> rows;
    const auto &models = m_engine->workload().models();
    std::vector<std::pair<double, size_t>> order;
    for (size_t i = 0; i < models.size(); ++i)
        if (std::abs(b.llmByModelUsd[i]) > 1e-9 || std::abs(s.llmByModelUsd[i]) > 1e-9)
            order.emplace_back(-std::max(b.llmByModelUsd[i], s.llmByModelUsd[i]), i);
    std::sort(order.begin(), order.end());
    for (const auto &[cost, i] : order)
        rows.push_back({tr("LLM · %1").arg(QString::fromStdString(models[i].name)),
                        b.llmByModelUsd[i], s.llmByModelUsd[i], true});
    rows.push_back({tr("LLM"), b.llmUsd, s.llmUsd, true});
    rows.push_back({tr("  saved by batching"), b.batchingSavingsUsd, s.batchingSavingsUsd, true});
    rows.push_back(
        {tr("  saved by the response cache"), b.cacheSavingsUsd, s.cacheSavingsUsd, true});
    rows.push_back({tr("Cache"), b.cacheUsd, s.cacheUsd, true});
    rows.push_back({tr("Infrastructure"), b.infraUsd, s.infraUsd, true});
    rows.push_back({tr("Human review"), b.oversightUsd, s.oversightUsd, true});
    rows.push_back({tr("Fixed"), b.fixedUsd, s.fixedUsd, true});
    rows.push_back({tr("Total cost"), b.totalUsd(), s.totalUsd(), true});
    rows.push_back({tr("LLM calls"), b.requests, s.requests, false});
    rows.push_back({tr("Successful tasks"), b.successfulTasks, s.successfulTasks, false});
    rows.push_back({tr("Value"), b.valueUsd, s.valueUsd, true});
    m_table->setRowCount(int(rows.size()) + 1);
    QStringList labels;
    for (size_t i = 0; i < rows.size(); ++i) {
        const Row &row = rows[i];
        labels << row.label;
        const auto show = [&](double v) {
            return row.money ? DisplayFormat::usd(v) : DisplayFormat::count(std::llround(v));
        };
        const QString cells[] = {show(row.baseline), show(row.scenario),
                                 change(row.baseline, row.scenario, row.money)};
        for (int c = 0; c < 3; ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (row.label == tr("Total cost")) {
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
            }
            m_table->setItem(int(i), c, item);
        }
    }
    labels << tr("ROI");
    const int last = int(rows.size());
    m_table->setItem(last, 0, new QTableWidgetItem(roiText(b.roi())));
    m_table->setItem(last, 1, new QTableWidgetItem(roiText(s.roi())));
    m_table->setItem(last, 2, new QTableWidgetItem(QString()));
    for (int c = 0; c < 2; ++c)
        m_table->item(last, c)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_table->setVerticalHeaderLabels(labels);
}

} // namespace tl
