#include "overviewview.h"

#include "chartfactory.h"
#include "core/timeutil.h"
#include "displayformat.h"
#include "items/queryrunner.h"
#include "kpitile.h"

#include <QAreaSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QPieSeries>
#include <QPieSlice>
#include <QSplitter>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>

#include <map>
#include <tuple>

namespace tl {

namespace {

QChartView *makeChartView(QWidget *parent)
{
    auto *v = new QChartView(parent);
    v->setRenderHint(QPainter::Antialiasing);
    v->setMinimumHeight(180);
    return v;
}

} // namespace

OverviewView::OverviewView(QWidget *parent)
    : View(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    auto *tiles = new QGridLayout;
    tiles->setSpacing(8);
    const std::pair<const char *, QString> names[] = {{"spend", tr("Spend")},
                                                      {"infra", tr("Infrastructure")},
                                                      {"requests", tr("Requests")},
                                                      {"tokens", tr("Tokens")},
                                                      {"avgCost", tr("Avg cost / request")},
                                                      {"costPerTask", tr("Cost / successful task")},
                                                      {"cacheShare", tr("Input served from cache")},
                                                      {"unpriced", tr("Unpriced calls")}};
    int i = 0;
    for (const auto &[obj, caption] : names) {
        auto *t = new KpiTile(caption, this);
        t->setObjectName(QString::fromLatin1(obj));
        tiles->addWidget(t, 0, i++);
        m_tiles << t;
    }
    layout->addLayout(tiles);

    m_stackBy = new QComboBox(this);
    m_stackBy->setObjectName(QStringLiteral("stackBy"));
    for (Dimension d : {Dimension::Model, Dimension::Team, Dimension::Feature, Dimension::Agent,
                        Dimension::Provider})
        m_stackBy->addItem(tr("Stack by %1").arg(QString::fromUtf8(dimensionName(d))), int(d));

    m_coverage = new QLabel(this);
    m_coverage->setObjectName(QStringLiteral("coverage"));
    m_coverage->hide();
    layout->addWidget(m_coverage);

    m_empty = new QLabel(this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->hide();
    layout->addWidget(m_empty);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("overviewSplit"));
    m_spend = makeChartView(split);
    // The stacking choice sits in the chart's corner rather than on a row
    // of its own: at 1024×640 every line of height counts.
    m_stackBy->setParent(m_spend);
    m_stackBy->move(6, 6);
    auto *lower = new QSplitter(Qt::Horizontal, split);
    lower->setObjectName(QStringLiteral("overviewLower"));
    m_teams = makeChartView(lower);
    m_agents = makeChartView(lower);
    m_models = makeChartView(lower);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);

    connect(m_stackBy, &QComboBox::currentIndexChanged, this, &OverviewView::reload);
    m_resizeTimer = new QTimer(this);
    m_resizeTimer->setSingleShot(true);
    m_resizeTimer->setInterval(80);
    connect(m_resizeTimer, &QTimer::timeout, this, [this] { rebuildCharts(true); });
}

KpiTile *OverviewView::tile(const QString &objectName) const
{
    for (KpiTile *t : m_tiles)
        if (t->objectName() == objectName)
            return t;
    return nullptr;
}

QString OverviewView::message() const
{
    return m_empty->isHidden() ? QString() : m_empty->text();
}

QString OverviewView::coverageText() const
{
    return m_coverage->isHidden() ? QString() : m_coverage->text();
}

void OverviewView::setRunner(QueryRunner *runner)
{
    m_runner = runner;
}

void OverviewView::setFilter(const ViewFilter &filter)
{
    m_filter = filter;
    reload();
}

void OverviewView::reload()
{
    if (!m_runner)
        return;
    m_settled = false;
    const CallFilter f = m_filter.callFilter();
    const TimeBucket bucket = m_filter.granularity;
    const Dimension stack = Dimension(m_stackBy->currentData().toInt());
    // As many layers as the legend beside the chart can list.
    const size_t layers = size_t(std::clamp((m_spend->height() - 40) / 22, 4, 8));
    m_runner->run<OverviewData>(
        QStringLiteral("overview"),
        [f, bucket, stack, layers](Workspace &ws) {
            return OverviewQuery::run(ws, f, bucket, stack, layers);
        },
        [this](OverviewData &d) { show(d); }, [this](const QString &error) { showFailure(error); });
}

void OverviewView::showFailure(const QString &error)
{
    m_data = OverviewData{};
    for (KpiTile *t : m_tiles)
        t->setValue(QStringLiteral("—"), tr("not read"));
    m_coverage->hide();
    m_empty->setText(failureText(error));
    m_empty->show();
    rebuildCharts(true);
    m_settled = true;
    Q_EMIT settled();
}

void OverviewView::show(const OverviewData &d)
{
    m_data = d;
    const Measures &t = d.totals;
    const Measures &p = d.previous;
    // A change only against a previous period the data covers as well as
    // this one; otherwise the one wording, and why in the tooltip.
    const bool comparable = d.hasPrevious && d.comparison.comparable;
    auto change = [&](int m) -> std::pair<QString, QColor> {
        if (!comparable || p[m] == 0)
            return {DisplayFormat::noComparison(), {}};
        const double c = double(t[m] - p[m]) / double(p[m]);
        return {DisplayFormat::change(t[m], p[m]), c > 0.005    ? QColor(0xC0, 0x39, 0x2B)
                                                   : c < -0.005 ? QColor(0x1E, 0x84, 0x49)
                                                                : QColor()};
    };
    auto [sc, scColor] = change(MCostNusd);
    // Every call unpriced (a filter on a model the catalog lacks): unknown.
    const bool unknown = costUnknown(t);
    if (unknown)
        tile(QStringLiteral("spend"))->setValue(tr("unpriced"), tr("no price for these calls"));
    else
        tile(QStringLiteral("spend"))->setValue(DisplayFormat::money(t[MCostNusd]), sc, scColor);
    // Cloud bills beside the LLM spend: what the agents' servers cost.
    KpiTile *infra = tile(QStringLiteral("infra"));
    if (!d.hasInfra) {
        infra->setValue(QStringLiteral("—"), tr("no cloud bill imported"));
        infra->setToolTip(tr("Import a FOCUS export from AWS, Azure or Google Cloud (File → "
                             "Import Logs…) to see the infrastructure the agents run on."));
    } else if (!d.infraNusd) {
        infra->setValue(tr("n/a"), tr("a bill has no models or users"));
        infra->setToolTip(tr("Cloud bills carry day, team, feature and agent: under a filter on "
                             "anything else their share is unknown."));
    } else {
        infra->setValue(
            DisplayFormat::money(*d.infraNusd),
            unknown ? tr("LLM cost unknown")
                    : tr("LLM + infra %1").arg(DisplayFormat::money(t[MCostNusd] + *d.infraNusd)));
        infra->setToolTip(tr("Infrastructure cost from the imported cloud bills (FOCUS "
                             "EffectiveCost), by the resources' tags."));
    }
    auto [rc, rcColor] = change(MRequests);
    tile(QStringLiteral("requests"))->setValue(DisplayFormat::count(t[MRequests]), rc);
    const QString why = QString::fromStdString(d.comparison.whyNotComparable());
    for (const char *name : {"spend", "requests"})
        tile(QLatin1String(name))->setToolTip(why);
    const QString note = QString::fromStdString(coverageNote(d.comparison.current));
    m_coverage->setText(note.isEmpty() ? QString() : tr("This period: %1.").arg(note));
    m_coverage->setVisible(!note.isEmpty() && t[MRecords] > 0);
    tile(QStringLiteral("tokens"))
        ->setValue(DisplayFormat::compact(t[MInputTokens] + t[MOutputTokens]),
                   tr("in %1 · out %2")
                       .arg(DisplayFormat::compact(t[MInputTokens]),
                            DisplayFormat::compact(t[MOutputTokens])));
    tile(QStringLiteral("avgCost"))
        ->setValue(t[MRequests] && !unknown ? DisplayFormat::money(t[MCostNusd] / t[MRequests], 4)
                                            : QStringLiteral("—"));
    tile(QStringLiteral("costPerTask"))
        ->setValue(t[MSuccessTasks] ? DisplayFormat::money(t[MCostNusd] / t[MSuccessTasks])
                                    : QStringLiteral("—"),
                   t[MSuccessTasks]
                       ? tr("%1 tasks succeeded").arg(DisplayFormat::compact(t[MSuccessTasks]))
                       : tr("no outcomes logged"));
    tile(QStringLiteral("cacheShare"))
        ->setValue(t[MInputTokens] ? DisplayFormat::percent(double(t[MCachedInputTokens]) /
                                                            double(t[MInputTokens]))
                                   : QStringLiteral("—"),
                   tr("%1 of %2 input tokens")
                       .arg(DisplayFormat::compact(t[MCachedInputTokens]),
                            DisplayFormat::compact(t[MInputTokens])));
    tile(QStringLiteral("unpriced"))
        ->setValue(DisplayFormat::count(t[MUnpricedRequests]),
                   t[MUnpricedRequests] ? tr("see File → Prices…") : tr("every call priced"),
                   t[MUnpricedRequests] ? QColor(0xC0, 0x39, 0x2B) : QColor());
    const bool empty = t[MRecords] == 0;
    if (d.workspaceEmpty)
        m_empty->setText(tr("This workspace has no calls yet. Import logs with File → Import Logs… "
                            "(Ctrl+I), or drop log files on the window."));
    else
        m_empty->setText(tr("No calls in this period and filter (the data runs from %1 to %2). "
                            "Choose another period or clear a filter.")
                             .arg(QString::fromStdString(formatDate(d.dataFirstDay)),
                                  QString::fromStdString(formatDate(d.dataLastDay))));
    m_empty->setVisible(empty);
    rebuildCharts(false);
    m_settled = true;
    Q_EMIT settled();
}

void OverviewView::rebuildCharts(bool all)
{
    m_chartWidth = m_spend->width();
    const int w = std::max(200, m_chartWidth - 120);
    // Antialiased filled areas of hundreds of points took ~200 ms a paint
    // here (8 layers × 720 hours); without, a few ms. Short series keep it.
    m_spend->setRenderHint(QPainter::Antialiasing, m_data.buckets.size() <= 120);
    ChartFactory::setChart(m_spend, ChartFactory::stackedSpend(m_data, w));
    connectSpendClicks();
    // A bar per ~20 px keeps every agent's name on its bar.
    const size_t bars = size_t(std::clamp((m_agents->height() - 70) / 20, 3, 10));
    // Spend and change beside every name, when the periods compare.
    const bool compare = m_data.hasPrevious && m_data.comparison.comparable;
    const auto ranked = [&](QChartView *view, Shown &shown, const QString &title,
                            Dimension dimension,
                            const std::vector<std::pair<std::string, int64_t>> &costs,
                            const std::map<std::string, int64_t> &previous) {
        const Shown now{costs, compare ? previous : std::map<std::string, int64_t>{}, compare,
                        bars};
        if (!all && now == shown)
            return;
        ChartFactory::setChart(
            view, ChartFactory::topBars(costs, title, bars, compare ? &previous : nullptr));
        connectBarClicks(view, dimension, costs);
        shown = now;
    };
    ranked(m_teams, m_teamsShown, tr("Top teams by spend"), Dimension::Team, m_data.topTeams,
           m_data.previousByTeam);
    ranked(m_agents, m_agentsShown, tr("Top agents by spend"), Dimension::Agent, m_data.topAgents,
           m_data.previousByAgent);
    m_stackBy->raise();
    const size_t slices = size_t(std::clamp((m_models->height() - 50) / 22, 3, 7));
    const Shown models{m_data.modelMix, {}, false, slices};
    if (all || models != m_modelsShown) {
        ChartFactory::setChart(m_models,
                               ChartFactory::donut(m_data.modelMix, tr("Model mix"), slices));
        connectModelClicks();
        m_modelsShown = models;
    }
}

void OverviewView::connectSpendClicks()
{
    const Dimension stack = m_data.stackBy;
    for (QAbstractSeries *s : m_spend->chart()->series()) {
        auto *area = qobject_cast<QAreaSeries *>(s);
        const QString name = area->property(ChartFactory::kNameProperty).toString();
        if (name.isEmpty())
            continue;
        connect(area, &QAreaSeries::clicked, this,
                [this, stack, name] { Q_EMIT drillRequested(stack, name); });
        // Series, time and dollars under the pointer (the area is the layer
        // whose bucket the pointer is over).
        const int layer =
            int(std::find(m_data.stackNames.begin(), m_data.stackNames.end(), name.toStdString()) -
                m_data.stackNames.begin());
        connect(area, &QAreaSeries::hovered, this,
                [this, area, name, layer](const QPointF &point, bool on) {
                    area->setOpacity(on ? 0.8 : 1.0);
                    if (!on)
                        return QToolTip::hideText();
                    QToolTip::showText(QCursor::pos(), spendTipAt(layer, name, point.x()));
                });
    }
}

void OverviewView::connectBarClicks(QChartView *view, Dimension dimension,
                                    const std::vector<std::pair<std::string, int64_t>> &ranked)
{
    for (QAbstractSeries *s : view->chart()->series()) {
        auto *bars = qobject_cast<QHorizontalBarSeries *>(s);
        for (QBarSet *set : bars->barSets()) {
            const QStringList names = set->property(ChartFactory::kNameProperty).toStringList();
            const Dimension d = dimension;
            connect(set, &QBarSet::clicked, this, [this, names, d](int index) {
                if (index >= 0 && index < names.size())
                    Q_EMIT drillRequested(d, names[index]);
            });
            std::map<QString, int64_t> cost;
            for (const auto &[name, c] : ranked)
                cost[QString::fromStdString(name)] = c;
            connect(set, &QBarSet::hovered, this, [names, cost](bool on, int index) {
                if (!on || index < 0 || index >= names.size())
                    return QToolTip::hideText();
                const auto it = cost.find(names[index]);
                QToolTip::showText(QCursor::pos(),
                                   tr("%1: %2 — click to open it in Explore")
                                       .arg(names[index], DisplayFormat::money(
                                                              it == cost.end() ? 0 : it->second)));
            });
        }
    }
}

void OverviewView::connectModelClicks()
{
    for (QAbstractSeries *s : m_models->chart()->series()) {
        auto *pie = qobject_cast<QPieSeries *>(s);
        for (QPieSlice *slice : pie->slices()) {
            const QString name = slice->property(ChartFactory::kNameProperty).toString();
            connect(slice, &QPieSlice::hovered, slice, [slice](bool on) {
                slice->setExploded(on);
                QToolTip::showText(QCursor::pos(), on ? slice->label() : QString());
            });
            if (name.isEmpty())
                continue;
            connect(slice, &QPieSlice::clicked, this,
                    [this, name] { Q_EMIT drillRequested(Dimension::Model, name); });
        }
    }
}

QString OverviewView::spendTipAt(int layer, const QString &name, double xMs) const
{
    if (layer < 0 || size_t(layer) >= m_data.stackCost.size() || m_data.buckets.empty())
        return name;
    const bool hourly = m_data.bucket == TimeBucket::Hour;
    const auto startMs = [&](int64_t b) { return b * (hourly ? kMsPerHour : kMsPerDay); };
    size_t at = 0;
    for (size_t i = 0; i < m_data.buckets.size(); ++i)
        if (double(startMs(m_data.buckets[i])) <= xMs + (hourly ? kMsPerHour : kMsPerDay) / 2.0)
            at = i;
    const int64_t start = startMs(m_data.buckets[at]);
    const QString when = hourly ? DisplayFormat::time(start).left(16)
                         : m_data.bucket == TimeBucket::Week
                             ? tr("week of %1").arg(DisplayFormat::time(start).left(10))
                         : m_data.bucket == TimeBucket::Month ? DisplayFormat::time(start).left(7)
                                                              : DisplayFormat::time(start).left(10);
    return tr("%1 · %2 · %3")
        .arg(name, when, DisplayFormat::money(m_data.stackCost[size_t(layer)][at]));
}

void OverviewView::resizeEvent(QResizeEvent *event)
{
    View::resizeEvent(event);
    // The tiles reflow: one row when wide, two when narrow.
    auto *grid =
        qobject_cast<QGridLayout *>(static_cast<QVBoxLayout *>(layout())->itemAt(0)->layout());
    const int perRow = width() >= 1100 ? 8 : 4; // eight tiles: one row or two of four
    for (int i = 0; i < m_tiles.size(); ++i) {
        grid->removeWidget(m_tiles[i]);
        grid->addWidget(m_tiles[i], i / perRow, i % perRow);
    }
    // Thinning depends on the plot's width, not its height: a filter chip
    // row appearing (a height change) must not rebuild every chart.
    if (m_settled && std::abs(m_spend->width() - m_chartWidth) > 40)
        m_resizeTimer->start();
}

} // namespace tl
