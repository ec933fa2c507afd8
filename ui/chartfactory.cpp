#include "chartfactory.h"

#include "displayformat.h"

#include "core/seriesthinning.h"
#include "core/timeutil.h"

#include <QAbstractBarSeries>
#include <QApplication>
#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QHorizontalBarSeries>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPalette>
#include <QPieSeries>
#include <QPieSlice>
#include <QRegularExpression>
#include <QValueAxis>

#include <algorithm>

namespace tl {

namespace {

const QList<QColor> &seriesColors()
{
    // Distinguishable in light and dark palettes, and for the common
    // colour-vision deficiencies (Okabe-Ito order, grey last for "Other").
    static const QList<QColor> c = {QColor(0x00, 0x72, 0xB2), QColor(0xE6, 0x9F, 0x00),
                                    QColor(0x00, 0x9E, 0x73), QColor(0xCC, 0x79, 0xA7),
                                    QColor(0x56, 0xB4, 0xE9), QColor(0xD5, 0x5E, 0x00),
                                    QColor(0xF0, 0xE4, 0x42), QColor(0x99, 0x99, 0x99)};
    return c;
}

QColor colorFor(size_t i, bool isOther)
{
    return isOther ? seriesColors().back() : seriesColors()[int(i % 7)];
}

} // namespace

qint64 ChartFactory::bucketMs(int64_t v, TimeBucket b)
{
    return b == TimeBucket::Hour ? v * kMsPerHour : v * kMsPerDay;
}

QCategoryAxis *ChartFactory::bucketAxis(const std::vector<int64_t> &buckets, TimeBucket b,
                                        int plotWidthPx)
{
    auto *x = new QCategoryAxis;
    x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    x->setTitleText(QObject::tr("Time (UTC)"));
    if (buckets.empty())
        return x;
    const bool hourly = b == TimeBucket::Hour;
    // Labels at whole buckets, every `step` of them, as many as fit: an
    // even spread of instants between two ends gave "Feb 11 14:52" on an
    // hourly axis and nine "Jan 1" on a monthly one.
    const int labelPx = hourly ? 110 : b == TimeBucket::Month ? 80 : 70;
    const size_t fit = size_t(std::clamp(plotWidthPx / labelPx, 2, 14));
    const std::vector<int64_t> steps =
        hourly                 ? std::vector<int64_t>{1, 2, 3, 6, 12, 24, 48, 72, 168}
        : b == TimeBucket::Day ? std::vector<int64_t>{1, 2, 7, 14, 28}
                               : std::vector<int64_t>{1, 2, 3, 6, 12};
    const int64_t span = int64_t(buckets.size());
    int64_t step = steps.back();
    for (int64_t st : steps)
        if ((span + st - 1) / st <= int64_t(fit)) {
            step = st;
            break;
        }
    const auto label = [&](int64_t v) {
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(bucketMs(v, b), Qt::UTC);
        // Labels are keys of a QCategoryAxis: each must be unique, so an
        // hour carries its day.
        if (hourly)
            return t.toString(t.time().hour() == 0 ? QStringLiteral("MMM d")
                                                   : QStringLiteral("MMM d HH:00"));
        return t.toString(b == TimeBucket::Month ? QStringLiteral("MMM yyyy")
                                                 : QStringLiteral("MMM d"));
    };
    for (size_t i = 0; i < buckets.size(); ++i) {
        const int64_t v = buckets[i];
        // Hourly labels on round hours (00, 06, 12…), the others counted
        // from the first bucket; a week's step of days starts on Mondays.
        const bool on = hourly && step == 168 ? v % 24 == 0 && weekStartDay(v / 24) == v / 24
                        : hourly              ? v % step == 0
                        : b == TimeBucket::Day && step == 7 ? weekStartDay(v) == v
                                                            : int64_t(i) % step == 0;
        if (on)
            x->append(label(v), qreal(bucketMs(v, b)));
    }
    x->setStartValue(qreal(bucketMs(buckets.front(), b)));
    x->setRange(qreal(bucketMs(buckets.front(), b)), qreal(bucketMs(buckets.back(), b)));
    return x;
}

double ChartFactory::moneyScale(double maxUsd)
{
    return maxUsd >= 1e6 ? 1e6 : maxUsd >= 1e4 ? 1e3 : 1.0;
}

void ChartFactory::formatMoneyAxis(QValueAxis *axis, double scale, double maxScaled)
{
    axis->setMin(0);
    axis->setMax(maxScaled > 0 ? maxScaled * 1.05 : 1.0);
    axis->applyNiceNumbers();
    const bool small = maxScaled < 10;
    axis->setLabelFormat(
        scale == 1e6   ? (small ? QStringLiteral("$%.1fM") : QStringLiteral("$%.0fM"))
        : scale == 1e3 ? (small ? QStringLiteral("$%.1fk") : QStringLiteral("$%.0fk"))
                       : (small ? QStringLiteral("$%.2f") : QStringLiteral("$%.0f")));
    axis->setTitleText(QObject::tr("Spend (USD)"));
}

QColor ChartFactory::seriesColor(size_t i)
{
    return colorFor(i, false);
}

void ChartFactory::attachAxes(QChart *chart, QAbstractAxis *x, QAbstractAxis *y)
{
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries *s : chart->series()) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
}

QAreaSeries *ChartFactory::band(QLineSeries *upper, QLineSeries *lower, size_t colour, int alpha,
                                const QString &name)
{
    auto *area = new QAreaSeries(upper, lower);
    area->setName(name);
    QColor shade = seriesColor(colour);
    shade.setAlpha(alpha);
    area->setColor(shade);
    area->setBorderColor(shade);
    return area;
}

void ChartFactory::style(QChart *chart)
{
    const QPalette pal = QApplication::palette();
    const bool dark = pal.color(QPalette::Window).lightness() < 128;
    const QChart::ChartTheme theme = dark ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    if (chart->theme() != theme) {
        // setTheme() recolours every series with the theme's own colours:
        // keep the ones we chose (one colour per model in every chart).
        struct Kept
        {
            QObject *item;
            QBrush brush;
            QPen pen;
        };
        std::vector<Kept> kept;
        for (QAbstractSeries *series : chart->series()) {
            if (auto *area = qobject_cast<QAreaSeries *>(series))
                kept.push_back({area, area->brush(), area->pen()});
            else if (auto *line = qobject_cast<QLineSeries *>(series))
                kept.push_back({line, QBrush(), line->pen()});
            else if (auto *pie = qobject_cast<QPieSeries *>(series))
                for (QPieSlice *slice : pie->slices())
                    kept.push_back({slice, slice->brush(), slice->pen()});
            else if (auto *bars = qobject_cast<QAbstractBarSeries *>(series))
                for (QBarSet *set : bars->barSets())
                    kept.push_back({set, set->brush(), set->pen()});
        }
        chart->setTheme(theme);
        for (const Kept &k : kept) {
            if (auto *area = qobject_cast<QAreaSeries *>(k.item)) {
                area->setBrush(k.brush);
                area->setPen(k.pen);
            } else if (auto *line = qobject_cast<QLineSeries *>(k.item)) {
                line->setPen(k.pen);
            } else if (auto *slice = qobject_cast<QPieSlice *>(k.item)) {
                slice->setBrush(k.brush);
                slice->setPen(k.pen);
            } else if (auto *set = qobject_cast<QBarSet *>(k.item)) {
                set->setBrush(k.brush);
                set->setPen(k.pen);
            }
        }
    }
    chart->setBackgroundBrush(pal.color(QPalette::Base));
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setAnimationOptions(QChart::NoAnimation);
    // Axis numbers through QLocale ("$1,500", not "$1500") where Qt Charts
    // can: its localized formats take "%.Nf"-like specifiers only, and an
    // axis with any other ("%d", "%+.0f", "%g", a "%%") would print no
    // labels at all.
    static const QRegularExpression localizable(QStringLiteral("^[^%]*%\\.\\d+[defgiEG][^%]*$"));
    bool localize = true;
    for (QAbstractAxis *a : chart->axes())
        if (auto *v = qobject_cast<QValueAxis *>(a))
            localize = localize && localizable.match(v->labelFormat()).hasMatch();
    chart->setLocalizeNumbers(localize);
    QFont title = QApplication::font();
    title.setBold(true);
    chart->setTitleFont(title);
    chart->setTitleBrush(pal.color(QPalette::WindowText));
    chart->legend()->setLabelColor(pal.color(QPalette::WindowText));
    for (QAbstractAxis *a : chart->axes()) {
        a->setLabelsBrush(pal.color(QPalette::WindowText));
        a->setTitleBrush(pal.color(QPalette::WindowText));
        QFont f = QApplication::font();
        f.setPointSizeF(f.pointSizeF() * 0.9);
        a->setLabelsFont(f);
        a->setTitleFont(f);
    }
}

void ChartFactory::setChart(QChartView *view, QChart *chart)
{
    QChart *old = view->chart();
    view->setChart(chart);
    delete old;
}

QChart *ChartFactory::stackedSpend(const OverviewData &d, int plotWidthPx)
{
    auto *chart = new QChart;
    chart->setTitle(
        QObject::tr("Spend over time by %1").arg(QString::fromUtf8(dimensionName(d.stackBy))));
    const size_t n = d.buckets.size();
    std::vector<double> total(n, 0.0);
    for (const auto &layer : d.stackCost)
        for (size_t i = 0; i < n; ++i)
            total[i] += double(layer[i]) / 1e9;
    const double maxUsd = n ? *std::max_element(total.begin(), total.end()) : 0.0;
    const double scale = moneyScale(maxUsd);
    const std::vector<size_t> keep = thinIndexes(total, size_t(std::max(plotWidthPx, 100)) * 2 / 3);
    auto *x = bucketAxis(d.buckets, d.bucket, plotWidthPx);
    auto *y = new QValueAxis;
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    std::vector<double> below(n, 0.0);
    for (size_t l = 0; l < d.stackNames.size(); ++l) {
        auto *lower = new QLineSeries(chart);
        auto *upper = new QLineSeries(chart);
        QList<QPointF> lo, up;
        lo.reserve(qsizetype(keep.size()));
        up.reserve(qsizetype(keep.size()));
        std::vector<double> above(n);
        for (size_t i = 0; i < n; ++i)
            above[i] = below[i] + double(d.stackCost[l][i]) / 1e9 / scale;
        for (size_t i : keep) {
            const qreal t = qreal(bucketMs(d.buckets[i], d.bucket));
            lo.append(QPointF(t, below[i]));
            up.append(QPointF(t, above[i]));
        }
        lower->replace(lo);
        upper->replace(up);
        below = std::move(above);
        auto *area = new QAreaSeries(upper, lower);
        const bool other = d.stackNames[l] == OverviewQuery::kOther;
        area->setName(d.stackBy == Dimension::Model ? shortModelName(d.stackNames[l])
                                                    : QString::fromStdString(d.stackNames[l]));
        area->setProperty(kNameProperty,
                          other ? QString() : QString::fromStdString(d.stackNames[l]));
        const QColor c = colorFor(l, other);
        area->setColor(c);
        area->setBorderColor(c.darker(115));
        chart->addSeries(area);
        area->attachAxis(x);
        area->attachAxis(y);
    }
    formatMoneyAxis(y, scale, maxUsd / scale);
    chart->legend()->setAlignment(Qt::AlignRight);
    style(chart);
    return chart;
}

QChart *ChartFactory::spendOverTime(const std::vector<int64_t> &buckets,
                                    const std::vector<int64_t> &costNusd, TimeBucket bucket,
                                    int plotWidthPx, const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    std::vector<double> usd(costNusd.size());
    for (size_t i = 0; i < usd.size(); ++i)
        usd[i] = double(costNusd[i]) / 1e9;
    const double maxUsd = usd.empty() ? 0.0 : *std::max_element(usd.begin(), usd.end());
    const double scale = moneyScale(maxUsd);
    auto *upper = new QLineSeries(chart);
    auto *lower = new QLineSeries(chart);
    QList<QPointF> up, lo;
    for (size_t i : thinIndexes(usd, size_t(std::max(plotWidthPx, 100)) * 2 / 3)) {
        const qreal t = qreal(bucketMs(buckets[i], bucket));
        up.append(QPointF(t, usd[i] / scale));
        lo.append(QPointF(t, 0));
    }
    upper->replace(up);
    lower->replace(lo);
    auto *area = new QAreaSeries(upper, lower);
    area->setName(QObject::tr("Spend"));
    QColor c = seriesColors().front();
    area->setBorderColor(c);
    c.setAlpha(110);
    area->setColor(c);
    auto *x = bucketAxis(buckets, bucket, plotWidthPx);
    auto *y = new QValueAxis;
    chart->addSeries(area);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    area->attachAxis(x);
    area->attachAxis(y);
    formatMoneyAxis(y, scale, maxUsd / scale);
    y->setTitleVisible(false); // a short chart: the $ labels say it
    chart->legend()->hide();
    style(chart);
    return chart;
}

QString ChartFactory::shortModelName(const std::string &name)
{
    static const QRegularExpression dated(QStringLiteral("-(20\\d{6}|20\\d\\d-\\d\\d-\\d\\d)$"));
    QString s = QString::fromStdString(name);
    s.remove(dated);
    return s;
}

QChart *ChartFactory::topBars(const std::vector<std::pair<std::string, int64_t>> &all,
                              const QString &title, size_t maxBars,
                              const std::map<std::string, int64_t> *previous)
{
    const std::vector<std::pair<std::string, int64_t>> costs(
        all.begin(), all.begin() + long(std::min(all.size(), maxBars)));
    auto *chart = new QChart;
    chart->setTitle(title);
    auto *set = new QBarSet(QObject::tr("Spend"));
    set->setColor(seriesColors().front());
    QStringList names, labels;
    double maxUsd = 0;
    // Horizontal bars draw the first category at the bottom: reverse, so
    // the most expensive is on top.
    for (auto it = costs.rbegin(); it != costs.rend(); ++it) {
        names << QString::fromStdString(it->first);
        QString label = QStringLiteral("%1   %2").arg(QString::fromStdString(it->first),
                                                      DisplayFormat::money(it->second, 0));
        if (previous) {
            const auto p = previous->find(it->first);
            label += QStringLiteral("  ") +
                     (p == previous->end() || p->second == 0
                          ? QObject::tr("new")
                          : DisplayFormat::signedPercent(double(it->second - p->second) /
                                                         double(p->second)));
        }
        labels << label;
        maxUsd = std::max(maxUsd, double(it->second) / 1e9);
    }
    const double scale = moneyScale(maxUsd);
    for (auto it = costs.rbegin(); it != costs.rend(); ++it)
        set->append(double(it->second) / 1e9 / scale);
    set->setProperty(kNameProperty, names);
    auto *series = new QHorizontalBarSeries(chart);
    series->append(set);
    series->setBarWidth(0.7);
    chart->addSeries(series);
    auto *cats = new QBarCategoryAxis;
    cats->append(labels);
    cats->setTruncateLabels(false); // agent names are the point of this chart
    auto *values = new QValueAxis;
    chart->addAxis(cats, Qt::AlignLeft);
    chart->addAxis(values, Qt::AlignBottom);
    series->attachAxis(cats);
    series->attachAxis(values);
    formatMoneyAxis(values, scale, maxUsd / scale);
    values->setTickCount(5);
    chart->legend()->hide();
    style(chart);
    return chart;
}

QChart *ChartFactory::donut(const std::vector<std::pair<std::string, int64_t>> &costs,
                            const QString &title, size_t maxSlices)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    auto *series = new QPieSeries(chart);
    series->setHoleSize(0.5);
    series->setPieSize(0.75);
    int64_t total = 0;
    for (const auto &c : costs)
        total += c.second;
    int64_t other = 0;
    for (size_t i = 0; i < costs.size(); ++i) {
        if (i + 1 >= maxSlices && costs.size() > maxSlices) {
            other += costs[i].second;
            continue;
        }
        auto *s = series->append(shortModelName(costs[i].first), double(costs[i].second));
        s->setProperty(kNameProperty, QString::fromStdString(costs[i].first));
        s->setColor(colorFor(i, false));
    }
    if (other > 0) {
        auto *s = series->append(QString::fromUtf8(OverviewQuery::kOther), double(other));
        s->setColor(colorFor(0, true));
    }
    QLocale loc;
    for (QPieSlice *s : series->slices()) {
        const double share = total > 0 ? s->value() / double(total) : 0.0;
        // The legend names every slice with its share; labels on the ring
        // would collide on small slices, so they show on hover only.
        s->setLabel(QStringLiteral("%1%  %2").arg(loc.toString(share * 100, 'f', 1), s->label()));
        s->setLabelVisible(false);
        s->setBorderColor(QApplication::palette().color(QPalette::Base));
    }
    chart->addSeries(series);
    chart->legend()->setAlignment(Qt::AlignRight);
    chart->legend()->setShowToolTips(true);
    QFont small = QApplication::font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    chart->legend()->setFont(small);
    style(chart);
    return chart;
}

} // namespace tl
