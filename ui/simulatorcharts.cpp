#include "simulatorcharts.h"

#include "chartfactory.h"
#include "displayformat.h"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QHorizontalStackedBarSeries>
#include <QLineSeries>
#include <QScatterSeries>
#include <QStackedBarSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace tl {

namespace {

struct Component
{
    QString name;
    double (*get)(const sim::Outcome &);
};

const std::vector<Component> &components()
{
    static const std::vector<Component> c = {
        {QObject::tr("LLM"), [](const sim::Outcome &o) { return o.llmUsd; }},
        {QObject::tr("Cache"), [](const sim::Outcome &o) { return o.cacheUsd; }},
        {QObject::tr("Infrastructure"), [](const sim::Outcome &o) { return o.infraUsd; }},
        {QObject::tr("Human review"), [](const sim::Outcome &o) { return o.oversightUsd; }},
        {QObject::tr("Fixed"), [](const sim::Outcome &o) { return o.fixedUsd; }},
    };
    return c;
}

QValueAxis *moneyAxis(double maxUsd, double *scale)
{
    auto *axis = new QValueAxis;
    *scale = ChartFactory::moneyScale(maxUsd);
    ChartFactory::formatMoneyAxis(axis, *scale, maxUsd / *scale);
    return axis;
}

QChart *newChart(const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    return chart;
}

// Stacked bars of components for `outcomes` under `categories`.
QStackedBarSeries *componentBars(const std::vector<sim::Outcome> &outcomes, double scale,
                                 double *maxTotal)
{
    auto *series = new QStackedBarSeries;
    size_t colour = 0;
    for (const auto &c : components()) {
        bool any = false;
        for (const auto &o : outcomes)
            any = any || std::abs(c.get(o)) > 1e-9;
        if (!any) {
            ++colour;
            continue;
        }
        auto *set = new QBarSet(c.name);
        set->setColor(ChartFactory::seriesColor(colour++));
        set->setBorderColor(set->color());
        for (const auto &o : outcomes)
            *set << c.get(o) / scale;
        series->append(set);
    }
    for (const auto &o : outcomes)
        *maxTotal = std::max(*maxTotal, o.totalUsd());
    return series;
}

} // namespace

QChart *SimulatorCharts::monthly(const sim::SimulationResult &r)
{
    QChart *chart =
        newChart(QObject::tr("Cost per month: scenario by component, baseline as a line"));
    std::vector<sim::Outcome> months;
    double maxUsd = 0;
    for (const auto &m : r.monthly) {
        months.push_back(m.scenario);
        maxUsd = std::max(maxUsd, m.baseline.totalUsd());
    }
    for (const auto &m : months)
        maxUsd = std::max(maxUsd, m.totalUsd());
    double scale = 1;
    QValueAxis *y = moneyAxis(maxUsd, &scale);
    double unused = 0;
    QStackedBarSeries *bars = componentBars(months, scale, &unused);
    auto *x = new QBarCategoryAxis;
    for (const auto &m : r.monthly)
        x->append(QString::number(m.month));
    x->setTitleText(QObject::tr("Month of the horizon"));
    chart->addSeries(bars);
    auto *base = new QLineSeries;
    base->setName(QObject::tr("Baseline"));
    for (size_t i = 0; i < r.monthly.size(); ++i)
        base->append(double(i), r.monthly[i].baseline.totalUsd() / scale);
    QPen pen(QColor(0x33, 0x33, 0x33));
    pen.setWidthF(2.5);
    pen.setStyle(Qt::DashLine);
    base->setPen(pen);
    chart->addSeries(base);
    ChartFactory::attachAxes(chart, x, y);
    ChartFactory::style(chart);
    return chart;
}

QChart *SimulatorCharts::tornado(const std::vector<sim::TornadoBar> &all, double base,
                                 size_t maxBars)
{
    QChart *chart = newChart(QObject::tr("Sensitivity: change of the average month's cost"));
    std::vector<sim::TornadoBar> bars(all.begin(),
                                      all.begin() + long(std::min(maxBars, all.size())));
    std::reverse(bars.begin(), bars.end()); // widest at the top
    double maxAbs = 0;
    for (const auto &b : bars)
        maxAbs =
            std::max({maxAbs, std::abs(b.atLow.costUsd - base), std::abs(b.atHigh.costUsd - base)});
    const double scale = ChartFactory::moneyScale(maxAbs);
    auto *low = new QBarSet(QObject::tr("at the low end"));
    auto *high = new QBarSet(QObject::tr("at the high end"));
    low->setColor(ChartFactory::seriesColor(0));
    high->setColor(ChartFactory::seriesColor(1));
    auto *axis = new QBarCategoryAxis;
    for (const auto &b : bars) {
        *low << (b.atLow.costUsd - base) / scale;
        *high << (b.atHigh.costUsd - base) / scale;
        const auto range = [&](double v) {
            return b.unit == "share" ? QString::number(v * 100, 'g', 3) + QStringLiteral("%")
                                     : QString::number(v, 'g', 4);
        };
        // A long lever name (a move between two dated models) is cut in
        // its middle, so that both ends and the range stay readable and the
        // label is not clipped at the chart's left edge.
        QString name = QString::fromStdString(b.label);
        if (name.size() > 36)
            name = name.left(17) + QStringLiteral("…") + name.right(18);
        axis->append(QStringLiteral("%1 (%2 … %3)").arg(name, range(b.low), range(b.high)));
    }
    axis->setTruncateLabels(false);
    auto *series = new QHorizontalStackedBarSeries;
    series->append(low);
    series->append(high);
    series->setBarWidth(0.7);
    chart->addSeries(series);
    auto *x = new QValueAxis;
    const double m = maxAbs / scale;
    x->setRange(-m * 1.1 - 1e-9, m * 1.1 + 1e-9);
    x->applyNiceNumbers();
    // Localized numbers (thousands separators) take only a precision: no
    // "+" flag, or Qt Charts prints no labels at all.
    x->setLabelFormat(scale == 1e6   ? QStringLiteral("$%.1fM")
                      : scale == 1e3 ? QStringLiteral("$%.1fk")
                                     : QStringLiteral("$%.0f"));
    x->setTitleText(QObject::tr("Change in USD per month"));
    chart->addAxis(axis, Qt::AlignLeft);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(axis);
    series->attachAxis(x);
    ChartFactory::style(chart);
    return chart;
}

namespace {
QChart *costAndSecondCurve(const std::vector<sim::CurvePoint> &points, const QString &title,
                           const QString &xTitle, const QString &secondName,
                           double (*second)(const sim::CurvePoint &), const QString &secondFormat)
{
    QChart *chart = newChart(title);
    double maxUsd = 0, maxSecond = 0, minSecond = 0;
    for (const auto &p : points) {
        maxUsd = std::max(maxUsd, p.costUsd);
        maxSecond = std::max(maxSecond, second(p));
        minSecond = std::min(minSecond, second(p));
    }
    double scale = 1;
    QValueAxis *y = moneyAxis(maxUsd, &scale);
    y->setTitleText(QObject::tr("Average month (USD)"));
    auto *cost = new QLineSeries;
    cost->setName(QObject::tr("Cost per month"));
    auto *other = new QLineSeries;
    other->setName(secondName);
    for (const auto &p : points) {
        cost->append(p.x, p.costUsd / scale);
        other->append(p.x, second(p));
    }
    QPen pen(ChartFactory::seriesColor(0));
    pen.setWidthF(2.5);
    cost->setPen(pen);
    QPen pen2(ChartFactory::seriesColor(1));
    pen2.setWidthF(2);
    other->setPen(pen2);
    chart->addSeries(cost);
    chart->addSeries(other);
    auto *x = new QValueAxis;
    x->setTitleText(xTitle);
    x->setLabelFormat(QStringLiteral("%g"));
    auto *y2 = new QValueAxis;
    y2->setRange(minSecond, maxSecond > minSecond ? maxSecond * 1.05 : minSecond + 1);
    y2->applyNiceNumbers();
    y2->setLabelFormat(secondFormat);
    y2->setTitleText(secondName);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    chart->addAxis(y2, Qt::AlignRight);
    cost->attachAxis(x);
    cost->attachAxis(y);
    other->attachAxis(x);
    other->attachAxis(y2);
    ChartFactory::style(chart);
    return chart;
}
} // namespace

QChart *SimulatorCharts::priceCurve(const std::vector<sim::CurvePoint> &points)
{
    return costAndSecondCurve(
        points, QObject::tr("Price sensitivity: every price moved by x%"),
        QObject::tr("Price change on top of the scenario (%)"), QObject::tr("ROI (%)"),
        [](const sim::CurvePoint &p) { return p.roi.value_or(0) * 100; }, QStringLiteral("%.0f%%"));
}

QChart *SimulatorCharts::batchingCurve(const std::vector<sim::CurvePoint> &points)
{
    return costAndSecondCurve(
        points, QObject::tr("Batching: cost against added wait (p95) as the window grows"),
        QObject::tr("Batching window (s)"), QObject::tr("Added wait, p95 (s)"),
        [](const sim::CurvePoint &p) { return p.waitP95S; }, QStringLiteral("%.0f s"));
}

QChart *SimulatorCharts::frontier(const sim::FrontierResult &f)
{
    QChart *chart = newChart(QObject::tr("Cheapest model mix for each success-rate target"));
    double maxUsd = 0;
    for (const auto &m : f.models)
        maxUsd = std::max(maxUsd, m.monthlyCostUsd);
    double scale = 1;
    QValueAxis *y = moneyAxis(maxUsd, &scale);
    y->setTitleText(QObject::tr("Cost per month (USD)"));
    auto *x = new QValueAxis;
    x->setTitleText(QObject::tr("Success rate (%)"));
    x->setLabelFormat(QStringLiteral("%.0f%%"));
    auto *line = new QLineSeries;
    line->setName(QObject::tr("Cheapest mix"));
    QPen pen(ChartFactory::seriesColor(0));
    pen.setWidthF(2.5);
    line->setPen(pen);
    double qMin = 100, qMax = 0;
    for (const auto &p : f.points)
        line->append(p.targetSuccessRate * 100, p.monthlyCostUsd / scale);
    chart->addSeries(line);
    size_t colour = 1;
    for (const auto &m : f.models) {
        auto *dot = new QScatterSeries;
        dot->setName(ChartFactory::shortModelName(m.model));
        dot->setMarkerSize(11);
        dot->setColor(ChartFactory::seriesColor(colour++));
        dot->append(m.successRate * 100, m.monthlyCostUsd / scale);
        qMin = std::min(qMin, m.successRate * 100);
        qMax = std::max(qMax, m.successRate * 100);
        chart->addSeries(dot);
    }
    x->setRange(std::floor(qMin - 1), std::ceil(qMax + 1));
    ChartFactory::attachAxes(chart, x, y);
    chart->legend()->setAlignment(Qt::AlignRight);
    ChartFactory::style(chart);
    return chart;
}

QChart *SimulatorCharts::histogram(const std::vector<double> &samples, const sim::Percentiles &p)
{
    QChart *chart =
        newChart(QObject::tr("Average month's cost over the samples: P10 %1, P50 %2, P90 %3")
                     .arg(DisplayFormat::usd(p.p10, 0), DisplayFormat::usd(p.p50, 0),
                          DisplayFormat::usd(p.p90, 0)));
    chart->legend()->hide();
    if (samples.empty())
        return chart;
    const auto [lo, hi] = std::minmax_element(samples.begin(), samples.end());
    const int bins = 40;
    const double width = std::max(1e-9, (*hi - *lo) / bins);
    std::vector<int> counts(bins, 0);
    for (double v : samples)
        ++counts[size_t(std::min(bins - 1, int((v - *lo) / width)))];
    double scale = 1;
    QValueAxis *x = moneyAxis(*hi, &scale);
    x->setRange(*lo / scale, *hi / scale);
    x->applyNiceNumbers();
    x->setTitleText(QObject::tr("Average month (USD)"));
    // A step outline filled down to zero: a histogram on a real money axis.
    auto *upper = new QLineSeries;
    auto *lower = new QLineSeries;
    int most = 0;
    for (int i = 0; i < bins; ++i) {
        const double a = (*lo + width * i) / scale, b = (*lo + width * (i + 1)) / scale;
        upper->append(a, counts[size_t(i)]);
        upper->append(b, counts[size_t(i)]);
        lower->append(a, 0);
        lower->append(b, 0);
        most = std::max(most, counts[size_t(i)]);
    }
    auto *area = new QAreaSeries(upper, lower);
    area->setColor(ChartFactory::seriesColor(0));
    area->setBorderColor(ChartFactory::seriesColor(0).darker(130));
    chart->addSeries(area);
    for (double v : {p.p10, p.p50, p.p90}) {
        auto *mark = new QLineSeries;
        QPen pen(ChartFactory::seriesColor(5));
        pen.setWidthF(2);
        pen.setStyle(Qt::DashLine);
        mark->setPen(pen);
        mark->append(v / scale, 0);
        mark->append(v / scale, most * 1.05);
        chart->addSeries(mark);
    }
    auto *y = new QValueAxis;
    y->setTitleText(QObject::tr("samples"));
    y->setLabelFormat(QStringLiteral("%d"));
    y->setRange(0, most * 1.1);
    y->applyNiceNumbers();
    ChartFactory::attachAxes(chart, x, y);
    ChartFactory::style(chart);
    return chart;
}

QChart *SimulatorCharts::compare(const QStringList &names, const std::vector<sim::Outcome> &months)
{
    QChart *chart = newChart(QObject::tr("Average month by component"));
    double maxUsd = 0;
    for (const auto &o : months)
        maxUsd = std::max(maxUsd, o.totalUsd());
    double scale = 1;
    QValueAxis *y = moneyAxis(maxUsd, &scale);
    double unused = 0;
    QStackedBarSeries *bars = componentBars(months, scale, &unused);
    bars->setBarWidth(0.5);
    auto *x = new QBarCategoryAxis;
    x->append(names);
    x->setTruncateLabels(false);
    chart->addSeries(bars);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    bars->attachAxis(x);
    bars->attachAxis(y);
    ChartFactory::style(chart);
    return chart;
}

} // namespace tl
