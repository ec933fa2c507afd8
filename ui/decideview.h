#pragma once

#include "decide/opportunityfinder.h"
#include "decide/portfolio.h"
#include "view.h"

#include <atomic>
#include <memory>

QT_BEGIN_NAMESPACE
class QChartView;
class QLabel;
class QPushButton;
class QTableWidget;
class QTabWidget;
class QTimer;
QT_END_NAMESPACE

namespace tl {

class CohortsPanel;

// What to do about the filter's spend: the opportunities found in its calls
// (each with its evidence, opened in the Simulator as a scenario) and the
// agent portfolio with its verdicts. Both come from one read of the period.
class DecideView : public View
{
    Q_OBJECT
public:
    explicit DecideView(QWidget *parent = nullptr);

    QString title() const override { return tr("Decide"); }
    void setRunner(QueryRunner *runner) override;
    void setFilter(const ViewFilter &filter) override;
    bool isSettled() const override { return m_settled; }
    QAbstractItemModel *exportModel() override;

    const std::vector<Opportunity> &opportunities() const { return m_opportunities; }
    const PortfolioResult &portfolio() const { return m_portfolio; }
    QTableWidget *opportunityTable() const { return m_table; }
    QTableWidget *portfolioTable() const { return m_agents; }
    QTabWidget *tabs() const { return m_tabs; }
    CohortsPanel *cohorts() const { return m_cohorts; }
    QChartView *portfolioChart() const { return m_chart; }
    void openSelectedInSimulator();

Q_SIGNALS:
    void scenarioRequested(const tl::sim::Scenario &scenario);

private:
    void reload();
    void fill();
    void selectionChanged();
    void drawPortfolio();

    QueryRunner *m_runner = nullptr;
    ViewFilter m_filter;
    bool m_haveFilter = false;
    bool m_settled = false;
    std::vector<Opportunity> m_opportunities;
    PortfolioResult m_portfolio;
    QTabWidget *m_tabs;
    QLabel *m_status;
    QTableWidget *m_table;
    QLabel *m_detail;
    QPushButton *m_open;
    QTableWidget *m_agents;
    QLabel *m_portfolioStatus;
    QChartView *m_chart;
    CohortsPanel *m_cohorts;
    QPushButton *m_cancel;
    QTimer *m_ticker;
    std::shared_ptr<std::atomic<int>> m_permille;
    std::shared_ptr<std::atomic<quint64>> m_generation;
};

} // namespace tl
