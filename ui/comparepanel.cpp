#include "comparepanel.h"

#include "chartfactory.h"
#include "displayformat.h"
#include "scenariofile.h"
#include "simulatorcharts.h"

#include <QChartView>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace tl {

namespace {
// The mean month over the horizon, component by component.
sim::Outcome averageMonth(const sim::SimulationResult &r, bool scenario)
{
    sim::Outcome a;
    const double n = double(std::max<size_t>(1, r.monthly.size()));
    for (const auto &m : r.monthly) {
        const sim::Outcome &o = scenario ? m.scenario : m.baseline;
        a.llmUsd += o.llmUsd / n;
        a.cacheUsd += o.cacheUsd / n;
        a.infraUsd += o.infraUsd / n;
        a.oversightUsd += o.oversightUsd / n;
        a.fixedUsd += o.fixedUsd / n;
        a.successfulTasks += o.successfulTasks / n;
        a.valueUsd += o.valueUsd / n;
        a.meanLatencyMs += o.meanLatencyMs / n;
    }
    return a;
}
} // namespace

ComparePanel::ComparePanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    auto *buttons = new QHBoxLayout;
    auto *pin = new QPushButton(tr("Pin the open scenario"), this);
    pin->setObjectName(QStringLiteral("pinScenario"));
    pin->setToolTip(tr("Keep a copy of the scenario as it is now, to compare with later changes"));
    auto *add = new QPushButton(tr("Add scenario file…"), this);
    auto *remove = new QPushButton(tr("Remove column"), this);
    buttons->addWidget(pin);
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    auto *split = new QSplitter(Qt::Vertical, this);
    m_table = new QTableWidget(split);
    m_table->setObjectName(QStringLiteral("compareTable"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_chart = new QChartView(split);
    m_chart->setRenderHint(QPainter::Antialiasing);
    split->addWidget(m_table);
    split->addWidget(m_chart);
    split->setSizes({330, 420});
    layout->addWidget(split, 1);
    connect(pin, &QPushButton::clicked, this, &ComparePanel::pinRequested);
    connect(add, &QPushButton::clicked, this, &ComparePanel::addFileRequested);
    connect(remove, &QPushButton::clicked, this, [this] {
        const int column = m_table->currentColumn();
        // Columns: baseline, the pinned/added ones, the open scenario.
        if (column >= 1 && column <= int(m_scenarios.size()))
            removeAt(column - 1);
    });
}

void ComparePanel::setInput(const sim::Engine *engine, const sim::Scenario &current)
{
    m_engine = engine;
    m_current = current;
    if (isVisible())
        recompute();
}

void ComparePanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    recompute();
}

void ComparePanel::addScenario(const QString &label, const sim::Scenario &s)
{
    m_scenarios.emplace_back(label, s);
    recompute();
}

void ComparePanel::removeAt(int index)
{
    if (index < 0 || index >= int(m_scenarios.size()))
        return;
    m_scenarios.erase(m_scenarios.begin() + index);
    recompute();
}

void ComparePanel::recompute()
{
    if (!m_engine)
        return;
    QStringList names{tr("Baseline")};
    std::vector<sim::SimulationResult> results;
    for (const auto &[label, s] : m_scenarios) {
        names << label;
        results.push_back(m_engine->run(s));
    }
    names << tr("%1 (open)").arg(QString::fromStdString(m_current.name));
    results.push_back(m_engine->run(m_current));
    std::vector<sim::Outcome> months{averageMonth(results.back(), false)};
    for (const auto &r : results)
        months.push_back(averageMonth(r, true));

    const QStringList rows = {tr("Cost / month"),
                              tr("LLM / month"),
                              tr("Infrastructure"),
                              tr("Other"),
                              tr("Successful tasks / month"),
                              tr("Value / month"),
                              tr("ROI"),
                              tr("Cost over the horizon"),
                              tr("Payback month"),
                              tr("Mean latency")};
    m_table->setColumnCount(int(names.size()));
    m_table->setRowCount(int(rows.size()));
    m_table->setHorizontalHeaderLabels(names);
    m_table->setVerticalHeaderLabels(rows);
    for (int c = 0; c < int(months.size()); ++c) {
        const sim::Outcome &o = months[size_t(c)];
        const sim::SimulationResult *r = c == 0 ? &results.back() : &results[size_t(c - 1)];
        const auto roi = o.roi();
        const QString cells[] = {
            DisplayFormat::usd(o.totalUsd()),
            DisplayFormat::usd(o.llmUsd),
            DisplayFormat::usd(o.infraUsd),
            DisplayFormat::usd(o.otherUsd()),
            DisplayFormat::count(std::llround(o.successfulTasks)),
            DisplayFormat::usd(o.valueUsd),
            roi ? DisplayFormat::percent(*roi, 0) : tr("n/a"),
            DisplayFormat::usd(c == 0 ? r->horizonBaselineCostUsd : r->horizonScenarioCostUsd),
            c == 0 ? QStringLiteral("—")
                   : (r->paybackMonth ? QString::number(*r->paybackMonth) : tr("none")),
            DisplayFormat::millis(o.meanLatencyMs)};
        for (int i = 0; i < int(rows.size()); ++i) {
            auto *item = new QTableWidgetItem(cells[i]);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(i, c, item);
        }
    }
    ChartFactory::setChart(m_chart, SimulatorCharts::compare(names, months));
}

} // namespace tl
