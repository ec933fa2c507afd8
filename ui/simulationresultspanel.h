#pragma once

#include "engine.h"
#include "scenario.h"
#include "sensitivity.h"

#include <QWidget>

#include <set>

QT_BEGIN_NAMESPACE
class QChartView;
class QLabel;
class QTabWidget;
class QTableWidget;
QT_END_NAMESPACE

namespace tl {

class KpiTile;

// Baseline against scenario: headline tiles, cost per month by component,
// the tornado, the price curve and the batching curve. Only the tab in view
// is redrawn on a change; the others when they are next shown.
class SimulationResultsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit SimulationResultsPanel(QWidget *parent = nullptr);

    // Recomputes with the engine (GUI thread: well under a millisecond of
    // engine time at 900k cells) and repaints what is in view.
    void update(const sim::Engine &engine, const sim::Scenario &s);
    void clear(const QString &message);
    const sim::SimulationResult &result() const { return m_result; }
    const std::vector<sim::TornadoBar> &tornado() const { return m_tornado; }
    QTabWidget *tabs() const { return m_tabs; }
    KpiTile *tile(const QString &objectName) const;
    // Extra tabs (Monte Carlo, frontier, compare) owned by the view.
    void addTab(QWidget *page, const QString &title);

private:
    void refreshTab(int index);
    void fillTable();

    const sim::Engine *m_engine = nullptr;
    sim::Scenario m_scenario;
    sim::SimulationResult m_result;
    std::vector<sim::TornadoBar> m_tornado;
    double m_averageMonth = 0;
    std::set<int> m_stale;
    QList<KpiTile *> m_tiles;
    QTabWidget *m_tabs;
    QChartView *m_monthly;
    QTableWidget *m_table;
    QChartView *m_tornadoView;
    QChartView *m_priceView;
    QChartView *m_batchingView;
    QLabel *m_batchingNote;
};

} // namespace tl
