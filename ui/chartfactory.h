#pragma once

#include "query/overviewquery.h"

#include <QString>

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
class QValueAxis;
class QCategoryAxis;
class QAbstractAxis;
class QAreaSeries;
class QLineSeries;
class QColor;
QT_END_NAMESPACE

namespace tl {

// Builds the app's charts from query results, in one style that follows the
// system palette. Time series are thinned (seriesthinning.h) to about twice
// the plot's pixel width before they reach Qt Charts, which takes ~4 ms for
// 1k points but over a second for 1M.
class ChartFactory
{
public:
    static constexpr const char *kNameProperty = "tlName"; // on series and bar sets

    // Spend over time stacked by OverviewData::stackBy; one QAreaSeries per layer.
    static QChart *stackedSpend(const OverviewData &d, int plotWidthPx);
    // One series of a node's spend over time.
    static QChart *spendOverTime(const std::vector<int64_t> &buckets,
                                 const std::vector<int64_t> &costNusd, TimeBucket bucket,
                                 int plotWidthPx, const QString &title);
    // The most expensive names as bars, each labelled with its name, its
    // spend and (given `previous`) its change, readable without hovering.
    static QChart *topBars(const std::vector<std::pair<std::string, int64_t>> &costs,
                           const QString &title, size_t maxBars,
                           const std::map<std::string, int64_t> *previous = nullptr);
    // A model name without its dated-snapshot suffix (claude-x-20250929 ->
    // claude-x), for legends that would otherwise be cut; tooltips keep the full name.
    static QString shortModelName(const std::string &name);
    static QChart *donut(const std::vector<std::pair<std::string, int64_t>> &costs,
                         const QString &title, size_t maxSlices = 7);

    static void style(QChart *chart);
    // Adds x at the bottom and y on the left and attaches every series to both.
    static void attachAxes(QChart *chart, QAbstractAxis *x, QAbstractAxis *y);
    // A translucent band between two lines (an interval, an alarm band).
    static QAreaSeries *band(QLineSeries *upper, QLineSeries *lower, size_t colour, int alpha,
                             const QString &name);
    static QColor seriesColor(size_t i);                   // the app's palette, colour-blind safe
    static void setChart(QChartView *view, QChart *chart); // replaces and deletes the old one
    // Axis in USD with a unit that keeps labels short ($, $k, $M); returns
    // the divisor applied to the values.
    static double moneyScale(double maxUsd);
    static void formatMoneyAxis(QValueAxis *axis, double scale, double maxScaled);
    static qint64 bucketMs(int64_t bucketStart, TimeBucket bucket);
    // A time axis labelled at whole buckets (round hours, days, Mondays,
    // months), as many as fit in the plot's width.
    static QCategoryAxis *bucketAxis(const std::vector<int64_t> &buckets, TimeBucket bucket,
                                     int plotWidthPx);
};

} // namespace tl
