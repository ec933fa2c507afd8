#include "decideview.h"

#include "chartfactory.h"
#include "cohortspanel.h"
#include "displayformat.h"
#include "items/queryrunner.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPushButton>
#include <QScatterSeries>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>

#include <cmath>

namespace tl {

namespace {

struct Loaded
{
    std::vector<Opportunity> opportunities;
    PortfolioResult portfolio;
    QStringList notes;
};

QTableWidgetItem *item(const QString &text, bool right = false)
{
    auto *i = new QTableWidgetItem(text);
    i->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    if (right)
        i->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return i;
}

// Sorts by the number behind a formatted cell.
QTableWidgetItem *number(const QString &text, double value)
{
    auto *i = item(text, true);
    i->setData(Qt::UserRole, value);
    return i;
}

QString roiText(const std::optional<double> &v)
{
    return v ? QString::fromStdString(formatRoi(*v)) : QObject::tr("n/a");
}

QString kindName(const std::string &kind)
{
    if (kind == "model_switch")
        return QObject::tr("Cheaper model");
    if (kind == "response_cache")
        return QObject::tr("Response cache");
    if (kind == "prompt_cache")
        return QObject::tr("Prompt cache");
    if (kind == "batching")
        return QObject::tr("Batch prices");
    if (kind == "prompt_size")
        return QObject::tr("Shorter prompts");
    if (kind == "retries")
        return QObject::tr("Fewer retries");
    return QString::fromStdString(kind);
}

class NumberItem : public QTableWidgetItem
{
public:
    using QTableWidgetItem::QTableWidgetItem;
    bool operator<(const QTableWidgetItem &o) const override
    {
        const QVariant a = data(Qt::UserRole), b = o.data(Qt::UserRole);
        if (a.isValid() && b.isValid())
            return a.toDouble() < b.toDouble();
        return QTableWidgetItem::operator<(o);
    }
};

QTableWidgetItem *sortable(const QString &text, std::optional<double> value)
{
    auto *i = new NumberItem(text);
    i->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    i->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    // Unknown sorts below every number.
    i->setData(Qt::UserRole, value.value_or(-1e300));
    return i;
}

} // namespace

DecideView::DecideView(QWidget *parent)
    : View(parent)
    , m_tabs(new QTabWidget(this))
    , m_status(new QLabel(this))
    , m_table(new QTableWidget(0, 5, this))
    , m_detail(new QLabel(this))
    , m_open(new QPushButton(tr("Open in Simulator"), this))
    , m_agents(new QTableWidget(0, 9, this))
    , m_portfolioStatus(new QLabel(this))
    , m_chart(new QChartView(this))
    , m_cohorts(new CohortsPanel(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_ticker(new QTimer(this))
    , m_permille(std::make_shared<std::atomic<int>>(0))
    , m_generation(std::make_shared<std::atomic<quint64>>(0))
{
    auto *top = new QHBoxLayout;
    top->addWidget(m_status, 1);
    top->addWidget(m_cancel);
    m_cancel->hide();

    m_table->setHorizontalHeaderLabels(
        {tr("Saving / month"), tr("What"), tr("Where"), tr("Of its cost"), tr("Success")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_detail->setWordWrap(true);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_open->setEnabled(false);
    m_open->setToolTip(tr("Opens the opportunity's scenario in the Simulator, on its own "
                          "baseline, to adjust and save"));
    auto *detail = new QWidget(this);
    auto *dl = new QVBoxLayout(detail);
    dl->addWidget(m_detail, 1);
    dl->addWidget(m_open, 0, Qt::AlignLeft);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    m_tabs->addTab(split, tr("Opportunities"));

    m_agents->setHorizontalHeaderLabels(
        {tr("Agent"), tr("Team"), tr("Cost / month"), tr("Value / month"), tr("ROI"),
         tr("Prices +20%"), tr("Quality -5 pts"), tr("With opportunities"), tr("Verdict")});
    m_agents->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_agents->verticalHeader()->hide();
    m_agents->setSortingEnabled(true);
    m_agents->setWordWrap(false);
    auto *portfolio = new QWidget(this);
    auto *pl = new QVBoxLayout(portfolio);
    auto *psplit = new QSplitter(Qt::Horizontal, portfolio);
    psplit->addWidget(m_agents);
    psplit->addWidget(m_chart);
    psplit->setStretchFactor(0, 3);
    psplit->setStretchFactor(1, 2);
    m_chart->setRenderHint(QPainter::Antialiasing);
    pl->addWidget(psplit, 1);
    m_portfolioStatus->setWordWrap(true);
    pl->addWidget(m_portfolioStatus);
    m_tabs->addTab(portfolio, tr("Portfolio"));
    m_tabs->addTab(m_cohorts, tr("Compare"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_tabs, 1);

    connect(m_table, &QTableWidget::itemSelectionChanged, this, &DecideView::selectionChanged);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this] { openSelectedInSimulator(); });
    connect(m_open, &QPushButton::clicked, this, &DecideView::openSelectedInSimulator);
    m_ticker->setInterval(200);
    connect(m_ticker, &QTimer::timeout, this, [this] {
        m_status->setText(tr("Reading the period's calls… %1%").arg(m_permille->load() / 10));
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_generation->fetch_add(1);
        m_ticker->stop();
        m_cancel->hide();
        m_status->setText(tr("Cancelled. View → Refresh (F5) looks again."));
        m_settled = true;
        Q_EMIT settled();
    });
}

void DecideView::setRunner(QueryRunner *runner)
{
    m_runner = runner;
    m_cohorts->setRunner(runner);
    m_opportunities.clear();
    m_portfolio = {};
    fill();
    if (m_haveFilter)
        reload();
}

void DecideView::setFilter(const ViewFilter &filter)
{
    m_filter = filter;
    m_haveFilter = true;
    m_cohorts->setBase(filter.callFilter());
    reload();
}

QAbstractItemModel *DecideView::exportModel()
{
    return m_tabs->currentIndex() == 0 ? m_table->model() : m_agents->model();
}

void DecideView::reload()
{
    if (!m_runner)
        return;
    m_settled = false;
    // The old list must not stand under the new filter while this one loads.
    m_opportunities.clear();
    m_portfolio = {};
    fill();
    m_status->setText(tr("Reading the period's calls…"));
    const CallFilter filter = m_filter.callFilter();
    const quint64 generation = m_generation->fetch_add(1) + 1;
    m_permille->store(0);
    m_ticker->start();
    m_cancel->show();
    auto gen = m_generation;
    auto permille = m_permille;
    const std::string created = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
    m_runner->run<Loaded>(
        QStringLiteral("decide"),
        [filter, gen, generation, permille, created](Workspace &ws) {
            Loaded l;
            const auto in = DecisionInputs::load(ws, filter, [&](int64_t done, int64_t total) {
                if (total > 0)
                    permille->store(int(std::min<int64_t>(1000, done * 1000 / total)));
                return gen->load() == generation;
            });
            if (!in)
                return l;
            OpportunityOptions o;
            o.created = created;
            l.opportunities = OpportunityFinder::find(*in, o);
            l.portfolio = Portfolio::build(*in, l.opportunities, {});
            for (const auto &n : in->notes)
                l.notes << QString::fromStdString(n);
            return l;
        },
        [this, generation](Loaded &l) {
            if (m_generation->load() != generation)
                return;
            m_ticker->stop();
            m_cancel->hide();
            m_opportunities = std::move(l.opportunities);
            m_portfolio = std::move(l.portfolio);
            fill();
            m_status->setText(
                m_opportunities.empty()
                    ? tr("No opportunity in this period: no cheaper model matches a current "
                         "one's success, no repeated prompts, no batchable agent, no grown "
                         "prompts, no costly retries.")
                    : tr("%n opportunities, largest first. Each saving is against today's "
                         "spend; several act on the same calls, so they do not add up.",
                         nullptr, int(m_opportunities.size())));
            m_settled = true;
            Q_EMIT settled();
        },
        [this, generation](const QString &error) {
            if (m_generation->load() != generation)
                return;
            m_ticker->stop();
            m_cancel->hide();
            m_opportunities.clear();
            m_portfolio = {};
            fill();
            m_status->setText(failureText(error));
            m_settled = true;
            Q_EMIT settled();
        });
}

void DecideView::fill()
{
    {
        const QSignalBlocker quiet(m_table);
        m_table->setRowCount(int(m_opportunities.size()));
        for (int r = 0; r < int(m_opportunities.size()); ++r) {
            const Opportunity &o = m_opportunities[size_t(r)];
            m_table->setItem(r, 0,
                             number(DisplayFormat::usd(o.monthlySavingUsd), o.monthlySavingUsd));
            m_table->setItem(r, 1, item(kindName(o.kind)));
            m_table->setItem(r, 2, item(QString::fromStdString(o.dimension + " " + o.name)));
            m_table->setItem(
                r, 3,
                item(o.monthlyCostUsd > 0
                         ? DisplayFormat::percent(o.monthlySavingUsd / o.monthlyCostUsd, 0)
                         : QString(),
                     true));
            m_table->setItem(r, 4,
                             item(o.successChange
                                      ? QString::fromStdString(formatPoints(*o.successChange))
                                      : tr("n/a"),
                                  true));
            m_table->item(r, 0)->setToolTip(QString::fromStdString(o.summary));
            m_table->item(r, 2)->setToolTip(QString::fromStdString(o.summary));
        }
        m_table->resizeColumnsToContents();
        m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    }
    if (!m_opportunities.empty())
        m_table->selectRow(0);
    selectionChanged();

    m_agents->setSortingEnabled(false);
    m_agents->setRowCount(int(m_portfolio.agents.size()));
    int verdicts[4] = {0, 0, 0, 0};
    for (int r = 0; r < int(m_portfolio.agents.size()); ++r) {
        const PortfolioAgent &a = m_portfolio.agents[size_t(r)];
        m_agents->setItem(r, 0, item(QString::fromStdString(a.agent)));
        m_agents->setItem(r, 1, item(QString::fromStdString(a.team)));
        m_agents->setItem(r, 2, sortable(DisplayFormat::usd(a.monthlyCostUsd), a.monthlyCostUsd));
        m_agents->setItem(
            r, 3,
            sortable(a.outcomesLogged ? DisplayFormat::usd(a.monthlyValueUsd) : tr("n/a"),
                     a.outcomesLogged ? std::optional(a.monthlyValueUsd) : std::nullopt));
        m_agents->setItem(r, 4, sortable(roiText(a.roi), a.roi));
        m_agents->setItem(r, 5, sortable(roiText(a.roiPricesUp20), a.roiPricesUp20));
        m_agents->setItem(r, 6, sortable(roiText(a.roiQualityDown5), a.roiQualityDown5));
        m_agents->setItem(r, 7, sortable(roiText(a.roiOptimized), a.roiOptimized));
        auto *v = item(a.verdict.empty() ? tr("no verdict") : QString::fromStdString(a.verdict));
        v->setToolTip(QString::fromStdString(a.reason));
        m_agents->setItem(r, 8, v);
        for (int c = 0; c < 8; ++c)
            m_agents->item(r, c)->setToolTip(QString::fromStdString(a.reason));
        verdicts[a.verdict == "scale"      ? 0
                 : a.verdict == "optimize" ? 1
                 : a.verdict == "retire"   ? 2
                                           : 3]++;
    }
    m_agents->setSortingEnabled(true);
    m_agents->sortItems(2, Qt::DescendingOrder); // the costliest first, until the user sorts
    m_agents->resizeColumnsToContents();
    drawPortfolio();
    m_portfolioStatus->setText(
        m_portfolio.agents.empty()
            ? QString()
            : tr("%1 to scale, %2 to optimize, %3 to retire, %4 without outcomes (no verdict). "
                 "ROI is (value - cost) / cost over 12 months; the minimum is 0.50. Hover a row "
                 "for its reason.")
                  .arg(verdicts[0])
                  .arg(verdicts[1])
                  .arg(verdicts[2])
                  .arg(verdicts[3]));
}

// ROI against cost, both on log axes: costs span cents to thousands a month
// and ROI + 1 (value per dollar) from near zero to hundreds. One series per
// verdict; the minimum ROI is the dashed line.
void DecideView::drawPortfolio()
{
    auto *chart = new QChart;
    const PortfolioOptions options;
    double minCost = 1e300, maxCost = 0, minRatio = 1e300, maxRatio = 0;
    const std::pair<const char *, QString> verdicts[] = {
        {"scale", tr("scale")}, {"optimize", tr("optimize")}, {"retire", tr("retire")}};
    for (size_t v = 0; v < 3; ++v) {
        auto *series = new QScatterSeries;
        series->setName(verdicts[v].second);
        series->setMarkerSize(9);
        series->setColor(ChartFactory::seriesColor(v == 0 ? 2 : v == 1 ? 1 : 3));
        std::vector<std::string> names;
        for (const auto &a : m_portfolio.agents) {
            if (a.verdict != verdicts[v].first || !a.roi || a.monthlyCostUsd <= 0)
                continue;
            const double ratio = std::max(1e-3, *a.roi + 1);
            series->append(a.monthlyCostUsd, ratio);
            names.push_back(a.agent + ": " + a.reason);
            minCost = std::min(minCost, a.monthlyCostUsd);
            maxCost = std::max(maxCost, a.monthlyCostUsd);
            minRatio = std::min(minRatio, ratio);
            maxRatio = std::max(maxRatio, ratio);
        }
        connect(series, &QScatterSeries::hovered, this,
                [this, series, names](const QPointF &p, bool on) {
                    if (!on) {
                        QToolTip::hideText();
                        return;
                    }
                    const auto points = series->points();
                    for (int i = 0; i < points.size() && i < int(names.size()); ++i)
                        if (points[i] == p) {
                            QToolTip::showText(QCursor::pos(),
                                               QString::fromStdString(names[size_t(i)]), m_chart);
                            break;
                        }
                });
        chart->addSeries(series);
    }
    if (maxCost <= 0) {
        chart->setTitle(tr("No agent with outcomes to place"));
        ChartFactory::style(chart);
        ChartFactory::setChart(m_chart, chart);
        return;
    }
    minRatio = std::min(minRatio, options.minRoi + 1);
    maxRatio = std::max(maxRatio, options.minRoi + 1);
    auto *threshold = new QLineSeries;
    threshold->setName(tr("min. ROI %1").arg(options.minRoi, 0, 'f', 2));
    QPen pen(ChartFactory::seriesColor(5));
    pen.setStyle(Qt::DashLine);
    threshold->setPen(pen);
    threshold->append(minCost / 1.5, options.minRoi + 1);
    threshold->append(maxCost * 1.5, options.minRoi + 1);
    chart->addSeries(threshold);
    auto *x = new QLogValueAxis;
    x->setBase(10);
    x->setRange(minCost / 1.5, maxCost * 1.5);
    x->setLabelFormat(QStringLiteral("$%.0f"));
    x->setTitleText(tr("cost per month"));
    auto *y = new QLogValueAxis;
    y->setBase(10);
    y->setRange(minRatio / 1.5, maxRatio * 1.5);
    y->setLabelFormat(QStringLiteral("%.1f"));
    y->setTitleText(tr("value per $ of cost (ROI + 1)"));
    ChartFactory::attachAxes(chart, x, y);
    chart->setTitle(tr("Agents: return against cost"));
    ChartFactory::style(chart);
    chart->legend()->setAlignment(Qt::AlignBottom);
    ChartFactory::setChart(m_chart, chart);
}

void DecideView::selectionChanged()
{
    const auto rows = m_table->selectionModel()->selectedRows();
    const int r = rows.isEmpty() ? -1 : rows.first().row();
    m_open->setEnabled(r >= 0);
    if (r < 0 || r >= int(m_opportunities.size())) {
        m_detail->clear();
        return;
    }
    const Opportunity &o = m_opportunities[size_t(r)];
    QString evidence;
    for (const auto &[key, value] : o.evidence.items()) {
        QString v =
            QString::fromStdString(value.is_string() ? value.get<std::string>() : value.dump());
        evidence +=
            QStringLiteral("<br><i>%1</i>: %2")
                .arg(QString::fromStdString(key).replace(QLatin1Char('_'), QLatin1Char(' ')),
                     v.toHtmlEscaped());
    }
    m_detail->setText(QStringLiteral("<b>%1</b><br>%2%3")
                          .arg(kindName(o.kind).toHtmlEscaped(),
                               QString::fromStdString(o.summary).toHtmlEscaped(), evidence));
}

void DecideView::openSelectedInSimulator()
{
    const auto rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty() || rows.first().row() >= int(m_opportunities.size()))
        return;
    Q_EMIT scenarioRequested(m_opportunities[size_t(rows.first().row())].scenario);
}

} // namespace tl
