#pragma once

#include "frontier.h"
#include "montecarlo.h"
#include "outcome.h"
#include "sensitivity.h"

#include <QString>
#include <QStringList>

#include <vector>

QT_BEGIN_NAMESPACE
class QChart;
QT_END_NAMESPACE

namespace tl {

// The Simulator's charts, in ChartFactory's style. They only draw what the
// engine computed.
class SimulatorCharts
{
public:
    // Scenario cost per month stacked by component, the baseline as a line.
    static QChart *monthly(const sim::SimulationResult &r);
    // Change of the average month's cost at each lever's low and high end.
    static QChart *tornado(const std::vector<sim::TornadoBar> &bars, double baseMonthlyUsd,
                           size_t maxBars = 12);
    static QChart *priceCurve(const std::vector<sim::CurvePoint> &points);
    static QChart *batchingCurve(const std::vector<sim::CurvePoint> &points);
    static QChart *frontier(const sim::FrontierResult &f);
    static QChart *histogram(const std::vector<double> &samples, const sim::Percentiles &p);
    // One stacked bar per scenario (average month by component).
    static QChart *compare(const QStringList &names, const std::vector<sim::Outcome> &months);
};

} // namespace tl
