#pragma once

#include "engine.h"
#include "scenario.h"

#include <QStringList>
#include <QWidget>

#include <vector>

QT_BEGIN_NAMESPACE
class QChartView;
class QTableWidget;
QT_END_NAMESPACE

namespace tl {

// Scenarios side by side on the current baseline: the open one, pinned
// copies of it and scenario files, as a table and stacked bars.
class ComparePanel : public QWidget
{
    Q_OBJECT
public:
    explicit ComparePanel(QWidget *parent = nullptr);
    void setInput(const sim::Engine *engine, const sim::Scenario &current);
    void addScenario(const QString &label, const sim::Scenario &s);
    void removeAt(int index);
    int count() const { return int(m_scenarios.size()); }
    QTableWidget *table() const { return m_table; }

Q_SIGNALS:
    void addFileRequested();
    void pinRequested();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void recompute();

    const sim::Engine *m_engine = nullptr;
    sim::Scenario m_current;
    std::vector<std::pair<QString, sim::Scenario>> m_scenarios;
    QTableWidget *m_table;
    QChartView *m_chart;
};

} // namespace tl
