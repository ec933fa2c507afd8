#pragma once

#include "engine.h"
#include "montecarlo.h"
#include "scenario.h"

#include <QWidget>

#include <atomic>
#include <map>
#include <memory>
#include <thread>

QT_BEGIN_NAMESPACE
class QChartView;
class QComboBox;
class QTableWidget;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
QT_END_NAMESPACE

namespace tl {

// Monte Carlo over the scenario's ranges, on a worker thread with progress
// and Cancel; the histogram and P10/P50/P90 when it is done.
class MonteCarloPanel : public QWidget
{
    Q_OBJECT
public:
    explicit MonteCarloPanel(QWidget *parent = nullptr);
    ~MonteCarloPanel() override;

    void setInput(std::shared_ptr<const sim::Engine> engine, const sim::Scenario &s);
    void start();
    void cancel();
    bool isRunning() const { return m_running; }
    const sim::MonteCarloResult &result() const { return m_result; }
    QPushButton *runButton() const { return m_run; }

Q_SIGNALS:
    void finished();
    void rangesEdited(const std::map<std::string, std::pair<double, double>> &ranges,
                      const QString &text);

private:
    void join();
    void showRanges();
    void done(const sim::MonteCarloResult &r, bool cancelled);

    std::shared_ptr<const sim::Engine> m_engine;
    sim::Scenario m_scenario;
    sim::MonteCarloResult m_result;
    std::thread m_thread;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::shared_ptr<std::atomic<int>> m_done;
    bool m_running = false;
    QTableWidget *m_ranges;
    QComboBox *m_addLever;
    QSpinBox *m_samples;
    QSpinBox *m_seed;
    QPushButton *m_run;
    QPushButton *m_stop;
    QProgressBar *m_progress;
    QLabel *m_summary;
    QChartView *m_chart;
};

} // namespace tl
