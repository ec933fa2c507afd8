#pragma once

#include "decide/cohortcompare.h"

#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>

QT_BEGIN_NAMESPACE
class QChartView;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
QT_END_NAMESPACE

namespace tl {

class QueryRunner;

// Two cohorts of real calls side by side (an A/B test, before and after):
// each arm's cost per task, success and cost per successful task with their
// 95% intervals, the verdict in words, and the task-cost distributions.
class CohortsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit CohortsPanel(QWidget *parent = nullptr);
    void setRunner(QueryRunner *runner);
    // The shared period (arms without their own period use it).
    void setBase(const CallFilter &base);

    // Compares what the two fields say; false (with the reason shown) when one does not parse.
    bool compare(const QString &a, const QString &b);
    const std::optional<CompareResult> &result() const { return m_result; }
    QString verdictText() const;
    QTableWidget *table() const { return m_table; }
    QChartView *chart() const { return m_chart; }
    bool isBusy() const { return m_busy; }

Q_SIGNALS:
    void finished();

private:
    void fill();

    QueryRunner *m_runner = nullptr;
    CallFilter m_base;
    std::optional<CompareResult> m_result;
    bool m_busy = false;
    QLineEdit *m_a;
    QLineEdit *m_b;
    QPushButton *m_go;
    QLabel *m_verdict;
    QTableWidget *m_table;
    QChartView *m_chart;
    std::shared_ptr<std::atomic<quint64>> m_generation;
};

} // namespace tl
