#include "montecarlopanel.h"

#include "chartfactory.h"
#include "displayformat.h"
#include "leverspec.h"
#include "simulatorcharts.h"

#include <QApplication>
#include <QChartView>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace tl {

MonteCarloPanel::MonteCarloPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_ranges = new QTableWidget(0, 4, this);
    m_ranges->setObjectName(QStringLiteral("ranges"));
    m_ranges->setHorizontalHeaderLabels({tr("Lever with a range"), tr("Low"), tr("High"), {}});
    m_ranges->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_ranges->verticalHeader()->hide();
    m_ranges->setMaximumHeight(150);
    layout->addWidget(m_ranges);
    auto *addRow = new QHBoxLayout;
    m_addLever = new QComboBox(this);
    auto *add = new QPushButton(tr("Add range"), this);
    addRow->addWidget(m_addLever, 1);
    addRow->addWidget(add);
    layout->addLayout(addRow);
    connect(add, &QPushButton::clicked, this, [this] {
        const std::string path = m_addLever->currentData().toString().toStdString();
        const auto spec = sim::LeverRegistry::find(m_scenario.levers, path);
        if (!spec || m_scenario.ranges.count(path))
            return;
        auto ranges = m_scenario.ranges;
        ranges[path] = {spec->tornadoLow, spec->tornadoHigh};
        Q_EMIT rangesEdited(ranges, tr("Add a range"));
    });
    auto *row = new QHBoxLayout;
    m_samples = new QSpinBox(this);
    m_samples->setRange(100, 1'000'000);
    m_samples->setValue(10'000);
    m_samples->setSingleStep(1000);
    m_samples->setGroupSeparatorShown(true);
    m_seed = new QSpinBox(this);
    m_seed->setRange(0, 1'000'000'000);
    m_seed->setValue(1);
    m_run = new QPushButton(tr("Run"), this);
    m_run->setObjectName(QStringLiteral("runMonteCarlo"));
    m_stop = new QPushButton(tr("Cancel"), this);
    m_stop->setEnabled(false);
    m_progress = new QProgressBar(this);
    m_progress->setTextVisible(true);
    row->addWidget(new QLabel(tr("Samples"), this));
    row->addWidget(m_samples);
    row->addWidget(new QLabel(tr("Seed"), this));
    row->addWidget(m_seed);
    row->addWidget(m_run);
    row->addWidget(m_stop);
    row->addStretch(1);
    layout->addLayout(row);
    layout->addWidget(m_progress);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);
    m_chart = new QChartView(this);
    m_chart->setRenderHint(QPainter::Antialiasing);
    layout->addWidget(m_chart, 1);
    connect(m_run, &QPushButton::clicked, this, &MonteCarloPanel::start);
    connect(m_stop, &QPushButton::clicked, this, &MonteCarloPanel::cancel);
    m_summary->setText(tr("Give levers a range and run: each sample draws every ranged lever "
                          "uniformly from its range, the others stay as set."));
}

MonteCarloPanel::~MonteCarloPanel()
{
    cancel();
    join();
}

void MonteCarloPanel::setInput(std::shared_ptr<const sim::Engine> engine, const sim::Scenario &s)
{
    m_engine = std::move(engine);
    const bool rangesChanged = s.ranges != m_scenario.ranges || m_addLever->count() == 0 ||
                               !(s.levers.modelMix == m_scenario.levers.modelMix);
    m_scenario = s;
    if (rangesChanged)
        QTimer::singleShot(0, this, &MonteCarloPanel::showRanges); // not under a spin box's signal
    QStringList ranged;
    for (const auto &[path, range] : s.ranges)
        ranged << QStringLiteral("%1 %2…%3")
                      .arg(QString::fromStdString(path))
                      .arg(range.first)
                      .arg(range.second);
    if (!m_running)
        m_run->setEnabled(m_engine && !ranged.isEmpty());
    m_run->setToolTip(ranged.isEmpty() ? tr("The scenario gives no lever a range")
                                       : tr("Ranges: %1").arg(ranged.join(QStringLiteral(", "))));
}

void MonteCarloPanel::showRanges()
{
    m_addLever->clear();
    for (const auto &spec : sim::LeverRegistry::forScenario(m_scenario.levers))
        if (!m_scenario.ranges.count(spec.path))
            m_addLever->addItem(QString::fromStdString(spec.group + " · " + spec.label),
                                QString::fromStdString(spec.path));
    m_ranges->setRowCount(int(m_scenario.ranges.size()));
    int row = 0;
    for (const auto &[path, range] : m_scenario.ranges) {
        const auto spec = sim::LeverRegistry::find(m_scenario.levers, path);
        auto *name = new QTableWidgetItem(
            QString::fromStdString(spec ? spec->label + " (" + path + ")" : path));
        name->setFlags(Qt::ItemIsEnabled);
        m_ranges->setItem(row, 0, name);
        for (int end = 0; end < 2; ++end) {
            auto *spin = new QDoubleSpinBox(m_ranges);
            spin->setDecimals(4);
            spin->setKeyboardTracking(false);
            spin->setRange(spec ? spec->min : -1e12, spec ? spec->max : 1e12);
            spin->setValue(end == 0 ? range.first : range.second);
            m_ranges->setCellWidget(row, 1 + end, spin);
            connect(spin, &QDoubleSpinBox::valueChanged, this, [this, path, end](double v) {
                auto ranges = m_scenario.ranges;
                auto &r = ranges[path];
                (end == 0 ? r.first : r.second) = v;
                if (r.first > r.second)
                    std::swap(r.first, r.second);
                Q_EMIT rangesEdited(ranges, tr("Range of %1").arg(QString::fromStdString(path)));
            });
        }
        auto *remove = new QToolButton(m_ranges);
        remove->setText(QStringLiteral("✕"));
        remove->setAutoRaise(true);
        m_ranges->setCellWidget(row, 3, remove);
        connect(remove, &QToolButton::clicked, this, [this, path] {
            auto ranges = m_scenario.ranges;
            ranges.erase(path);
            Q_EMIT rangesEdited(ranges, tr("Remove a range"));
        });
        ++row;
    }
}

void MonteCarloPanel::join()
{
    if (m_thread.joinable())
        m_thread.join();
}

void MonteCarloPanel::start()
{
    if (m_running || !m_engine || m_scenario.ranges.empty())
        return;
    join();
    m_running = true;
    m_run->setEnabled(false);
    m_stop->setEnabled(true);
    const int samples = m_samples->value();
    m_progress->setRange(0, samples);
    m_progress->setValue(0);
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_done = std::make_shared<std::atomic<int>>(0);
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, [this, timer, done = m_done] {
        if (!m_running) {
            timer->deleteLater();
            return;
        }
        m_progress->setValue(done->load());
    });
    timer->start(50);
    QPointer<MonteCarloPanel> self(this);
    m_thread = std::thread([self, engine = m_engine, scenario = m_scenario, samples,
                            seed = uint64_t(m_seed->value()), cancel = m_cancel, done = m_done] {
        const sim::MonteCarloResult r =
            sim::MonteCarlo::run(*engine, scenario, samples, seed, [&](int n) {
                done->store(n);
                return !cancel->load();
            });
        const bool cancelled = cancel->load();
        QMetaObject::invokeMethod(
            qApp,
            [self, r, cancelled] {
                if (self)
                    self->done(r, cancelled);
            },
            Qt::QueuedConnection);
    });
}

void MonteCarloPanel::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void MonteCarloPanel::done(const sim::MonteCarloResult &r, bool cancelled)
{
    join();
    m_running = false;
    m_stop->setEnabled(false);
    m_run->setEnabled(m_engine && !m_scenario.ranges.empty());
    m_progress->setValue(r.samples);
    if (cancelled) {
        m_summary->setText(tr("Cancelled after %1 samples.").arg(DisplayFormat::count(r.samples)));
        Q_EMIT finished();
        return;
    }
    m_result = r;
    m_summary->setText(
        tr("%1 samples, seed %2. Average month's cost: P10 %3, P50 %4, P90 %5. ROI: P10 %6, "
           "P50 %7, P90 %8.")
            .arg(DisplayFormat::count(r.samples))
            .arg(r.seed)
            .arg(DisplayFormat::usd(r.monthlyCostUsd.p10), DisplayFormat::usd(r.monthlyCostUsd.p50),
                 DisplayFormat::usd(r.monthlyCostUsd.p90))
            .arg(DisplayFormat::percent(r.roi.p10, 0), DisplayFormat::percent(r.roi.p50, 0),
                 DisplayFormat::percent(r.roi.p90, 0)));
    ChartFactory::setChart(m_chart, SimulatorCharts::histogram(r.costSamples, r.monthlyCostUsd));
    Q_EMIT finished();
}

} // namespace tl
