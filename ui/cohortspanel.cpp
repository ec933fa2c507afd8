#include "cohortspanel.h"

#include "chartfactory.h"
#include "displayformat.h"
#include "items/queryrunner.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTableWidget>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace tl {

namespace {

QString perTask(double usd)
{
    return DisplayFormat::usd(usd, 4);
}

QString withInterval(const QString &value, const QString &lo, const QString &hi)
{
    return QStringLiteral("%1  (%2 – %3)").arg(value, lo, hi);
}

// Log-spaced bins over both arms' task costs: costs span orders of
// magnitude, and equal-width bins would put nearly every task in the first.
QChart *distributions(const ArmResult &a, const ArmResult &b)
{
    auto *chart = new QChart;
    std::vector<double> all;
    for (const ArmResult *arm : {&a, &b})
        for (double c : arm->taskCostsUsd)
            if (c > 0)
                all.push_back(c);
    if (all.empty()) {
        chart->setTitle(QObject::tr("No priced tasks to draw"));
        ChartFactory::style(chart);
        return chart;
    }
    std::sort(all.begin(), all.end());
    // From the 1st to the 99th percentile: a few outliers must not squeeze the rest.
    const double lo = std::max(all[size_t(double(all.size() - 1) * 0.01)], 1e-9);
    const double hi = std::max(all[size_t(double(all.size() - 1) * 0.99)], lo * 1.01);
    constexpr int kBins = 12;
    const double step = std::log(hi / lo) / kBins;
    const auto binOf = [&](double c) {
        if (c <= lo)
            return 0;
        return std::min(kBins - 1, int(std::log(c / lo) / step));
    };
    auto *series = new QBarSeries;
    double top = 0;
    for (const auto &[arm, name] :
         {std::pair{&a, QObject::tr("A")}, std::pair{&b, QObject::tr("B")}}) {
        std::vector<double> counts(kBins, 0);
        for (double c : arm->taskCostsUsd)
            counts[size_t(binOf(c))] += 1;
        auto *set = new QBarSet(name);
        set->setColor(ChartFactory::seriesColor(name == QObject::tr("A") ? 0 : 1));
        for (double n : counts) {
            const double share =
                arm->taskCostsUsd.empty() ? 0 : n / double(arm->taskCostsUsd.size());
            set->append(share * 100);
            top = std::max(top, share * 100);
        }
        series->append(set);
    }
    chart->addSeries(series);
    QStringList labels;
    for (int i = 0; i < kBins; ++i)
        labels << DisplayFormat::usd(lo * std::exp(step * (i + 0.5)), 4);
    auto *x = new QBarCategoryAxis;
    x->append(labels);
    x->setTitleText(QObject::tr("cost of a task (USD, log bins; middle of each)"));
    auto *y = new QValueAxis;
    const double ceiling = std::max(5.0, std::ceil(top / 5) * 5);
    y->setRange(0, ceiling);
    y->setTickCount(int(ceiling / 5) <= 10 ? int(ceiling / 5) + 1 : int(ceiling / 10) + 1);
    y->setLabelFormat(QStringLiteral("%.0f%%"));
    y->setTitleText(QObject::tr("share of the arm's tasks"));
    ChartFactory::attachAxes(chart, x, y);
    chart->setTitle(QObject::tr("How much each task cost"));
    ChartFactory::style(chart);
    return chart;
}

} // namespace

CohortsPanel::CohortsPanel(QWidget *parent)
    : QWidget(parent)
    , m_a(new QLineEdit(this))
    , m_b(new QLineEdit(this))
    , m_go(new QPushButton(tr("Compare"), this))
    , m_verdict(new QLabel(this))
    , m_table(new QTableWidget(0, 3, this))
    , m_chart(new QChartView(this))
    , m_generation(std::make_shared<std::atomic<quint64>>(0))
{
    const QString help = tr("DIM=VALUE[,DIM=VALUE], tag:KEY=VALUE or "
                            "period:YYYY-MM-DD..YYYY-MM-DD, joined by commas");
    m_a->setPlaceholderText(tr("e.g. model=gpt-4.1"));
    m_b->setPlaceholderText(tr("e.g. model=gpt-4.1-mini or period:2026-10-15..2026-10-31"));
    m_a->setToolTip(help);
    m_b->setToolTip(help);
    QSettings settings;
    m_a->setText(settings.value(QStringLiteral("compare/a")).toString());
    m_b->setText(settings.value(QStringLiteral("compare/b")).toString());
    auto *form = new QFormLayout;
    form->addRow(tr("Arm A"), m_a);
    form->addRow(tr("Arm B"), m_b);
    auto *top = new QHBoxLayout;
    top->addLayout(form, 1);
    top->addWidget(m_go, 0, Qt::AlignBottom);
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_table->setHorizontalHeaderLabels({QString(), tr("A"), tr("B")});
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(220);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_verdict);
    layout->addWidget(m_table, 2);
    layout->addWidget(m_chart, 3);
    connect(m_go, &QPushButton::clicked, this, [this] { compare(m_a->text(), m_b->text()); });
    connect(m_a, &QLineEdit::returnPressed, m_go, &QPushButton::click);
    connect(m_b, &QLineEdit::returnPressed, m_go, &QPushButton::click);
    m_verdict->setText(tr("Pick two cohorts of calls — two models, two prompt versions by tag, "
                          "or two periods — and Compare."));
}

void CohortsPanel::setRunner(QueryRunner *runner)
{
    m_runner = runner;
    m_generation->fetch_add(1);
    m_result.reset();
    m_busy = false;
    fill();
}

void CohortsPanel::setBase(const CallFilter &base)
{
    if (m_base.fromDay == base.fromDay && m_base.toDay == base.toDay &&
        m_base.include == base.include)
        return;
    m_base = base;
    // Figures of another period must not stay under this one's labels.
    if (m_result && !m_busy)
        compare(m_a->text(), m_b->text());
}

bool CohortsPanel::compare(const QString &aText, const QString &bText)
{
    m_a->setText(aText);
    m_b->setText(bText);
    std::string error;
    const auto a = Cohort::parse(aText.trimmed().toStdString(), &error);
    if (!a) {
        m_verdict->setText(tr("Arm A: %1").arg(QString::fromStdString(error)));
        return false;
    }
    const auto b = Cohort::parse(bText.trimmed().toStdString(), &error);
    if (!b) {
        m_verdict->setText(tr("Arm B: %1").arg(QString::fromStdString(error)));
        return false;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("compare/a"), aText);
    settings.setValue(QStringLiteral("compare/b"), bText);
    if (!m_runner)
        return false;
    m_busy = true;
    m_result.reset();
    fill();
    m_verdict->setText(tr("Comparing…"));
    const quint64 generation = m_generation->fetch_add(1) + 1;
    const CallFilter base = m_base;
    m_runner->run<CompareResult>(
        QStringLiteral("compare"),
        [base, a = *a, b = *b](Workspace &ws) { return CohortCompare::run(ws, base, a, b); },
        [this, generation](CompareResult &r) {
            if (m_generation->load() != generation)
                return;
            m_busy = false;
            m_result = std::move(r);
            fill();
            Q_EMIT finished();
        },
        [this, generation](const QString &error) {
            if (m_generation->load() != generation)
                return;
            m_busy = false;
            m_result.reset();
            fill();
            m_verdict->setText(tr("The workspace could not be read: %1").arg(error));
            Q_EMIT finished();
        });
    return true;
}

QString CohortsPanel::verdictText() const
{
    return m_verdict->text();
}

void CohortsPanel::fill()
{
    if (!m_result) {
        m_table->setRowCount(0);
        ChartFactory::setChart(m_chart, new QChart);
        return;
    }
    const CompareResult &r = *m_result;
    m_verdict->setText(QString::fromStdString(r.verdict));
    struct Row
    {
        QString label;
        QString a, b;
    };
    const auto rate = [](const ArmResult &x) {
        return x.successRate ? withInterval(DisplayFormat::percent(*x.successRate),
                                            DisplayFormat::percent(x.successRateCi.lo),
                                            DisplayFormat::percent(x.successRateCi.hi))
                             : tr("no outcomes");
    };
    const auto cps = [](const ArmResult &x) {
        return x.costPerSuccessUsd
                   ? withInterval(perTask(*x.costPerSuccessUsd), perTask(x.costPerSuccessCi.lo),
                                  perTask(x.costPerSuccessCi.hi))
                   : tr("n/a");
    };
    const std::vector<Row> rows = {
        {tr("Calls"), DisplayFormat::count(r.a.calls), DisplayFormat::count(r.b.calls)},
        {tr("Tasks"), DisplayFormat::count(r.a.tasks), DisplayFormat::count(r.b.tasks)},
        {tr("Cost"), DisplayFormat::usd(r.a.costUsd), DisplayFormat::usd(r.b.costUsd)},
        {tr("Cost per task"),
         withInterval(perTask(r.a.costPerTaskUsd), perTask(r.a.costPerTaskCi.lo),
                      perTask(r.a.costPerTaskCi.hi)),
         withInterval(perTask(r.b.costPerTaskUsd), perTask(r.b.costPerTaskCi.lo),
                      perTask(r.b.costPerTaskCi.hi))},
        {tr("Success rate"), rate(r.a), rate(r.b)},
        {tr("Cost per successful task"), cps(r.a), cps(r.b)},
        {tr("Calls without a price"), DisplayFormat::count(r.a.unpricedCalls),
         DisplayFormat::count(r.b.unpricedCalls)},
    };
    m_table->setRowCount(int(rows.size()));
    for (int i = 0; i < int(rows.size()); ++i) {
        m_table->setItem(i, 0, new QTableWidgetItem(rows[size_t(i)].label));
        for (int c = 1; c <= 2; ++c) {
            auto *item = new QTableWidgetItem(c == 1 ? rows[size_t(i)].a : rows[size_t(i)].b);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(i, c, item);
        }
    }
    m_table->setToolTip(tr("95% intervals in brackets: a bootstrap over tasks (%1 resamples, "
                           "seed %2) for costs, Wilson for success rates")
                            .arg(r.resamples)
                            .arg(r.seed));
    ChartFactory::setChart(m_chart, distributions(r.a, r.b));
}

} // namespace tl
