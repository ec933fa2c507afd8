#pragma once

#include "query/overviewquery.h"
#include "view.h"

QT_BEGIN_NAMESPACE
class QChartView;
class QComboBox;
class QLabel;
class QTimer;
QT_END_NAMESPACE

namespace tl {

class KpiTile;

// The dashboard: KPI tiles for the period against the previous one, spend
// over time stacked by model (or team, feature, agent), the top agents and
// the model mix. Clicking a series, bar or slice drills into Explore.
class OverviewView : public View
{
    Q_OBJECT
public:
    explicit OverviewView(QWidget *parent = nullptr);

    QString title() const override { return tr("Overview"); }
    void setRunner(QueryRunner *runner) override;
    void setFilter(const ViewFilter &filter) override;
    bool isSettled() const override { return m_settled; }

    const OverviewData &data() const { return m_data; }
    QString message() const;      // the empty or failure text, when shown
    QString coverageText() const; // "This period: data from …", or empty
    KpiTile *tile(const QString &objectName) const;
    QChartView *spendChart() const { return m_spend; }
    QChartView *agentChart() const { return m_agents; }
    QChartView *teamChart() const { return m_teams; }
    // "gpt-4o · 2026-11-03 · $212.40": the layer's spend in the bucket at x
    // (the spend chart's tooltip).
    QString spendTipAt(int layer, const QString &name, double xMs) const;
    QChartView *modelChart() const { return m_models; }
    QComboBox *stackCombo() const { return m_stackBy; }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void reload();
    void show(const OverviewData &d);
    void showFailure(const QString &error);
    // `all` after a resize or a failure; after new data, only the charts
    // whose figures changed (a granularity or stacking change leaves the
    // top teams, agents and the model mix as they were: 5 ms of 17).
    void rebuildCharts(bool all);
    void connectSpendClicks();
    void connectBarClicks(QChartView *view, Dimension dimension,
                          const std::vector<std::pair<std::string, int64_t>> &ranked);
    void connectModelClicks();

    QueryRunner *m_runner = nullptr;
    ViewFilter m_filter;
    OverviewData m_data;
    bool m_settled = false;
    QList<KpiTile *> m_tiles;
    QComboBox *m_stackBy;
    QChartView *m_spend;
    QChartView *m_teams;
    QChartView *m_agents;
    QChartView *m_models;
    QLabel *m_empty;
    QLabel *m_coverage; // how much of the period the data covers, when not all
    QTimer *m_resizeTimer;
    int m_chartWidth = 0;
    // What a ranked chart was last built from.
    struct Shown
    {
        std::vector<std::pair<std::string, int64_t>> costs;
        std::map<std::string, int64_t> previous;
        bool compared = false; // the changes printed beside the names
        size_t count = 0;      // never 0 once built (3 bars or slices at least)
        bool operator==(const Shown &) const = default;
    };
    Shown m_teamsShown, m_agentsShown, m_modelsShown;
};

} // namespace tl
