#pragma once

#include "anomaly/anomalymarks.h"
#include "anomaly/anomalyquery.h"
#include "view.h"

#include <atomic>
#include <memory>
#include <set>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QChartView;
class QComboBox;
class QDoubleSpinBox;
class QChart;
class QLabel;
class QPushButton;
class QTableWidget;
class QTimer;
QT_END_NAMESPACE

namespace tl {

// Cost spikes of the filter's period, largest excess first, each with its
// cause; the selected one's spend against its expectation band; buttons to
// see its calls, acknowledge it, or mute its entity (kept in the workspace).
class AnomaliesView : public View
{
    Q_OBJECT
public:
    explicit AnomaliesView(QWidget *parent = nullptr);

    QString title() const override { return tr("Anomalies"); }
    void setRunner(QueryRunner *runner) override;
    void setFilter(const ViewFilter &filter) override;
    bool isSettled() const override { return m_settled; }

    const std::vector<Anomaly> &anomalies() const { return m_anomalies; }
    QTableWidget *table() const { return m_table; }
    QChartView *chart() const { return m_chart; }
    void muteSelected();
    void acknowledgeSelected();
    void showCallsOfSelected();

Q_SIGNALS:
    // Show the calls of an entity over some days (the Requests view).
    void callsRequested(tl::Dimension dimension, const QString &name, qint64 fromMs, qint64 toMs);

private:
    void reload();
    void fill();
    void selectionChanged();
    void saveMarks();
    static QString key(const Anomaly &a, bool withStart);
    QChart *seriesChart(const Anomaly &a, int64_t bucketMs,
                        const std::vector<AnomalyQuery::SeriesPoint> &points) const;

    QueryRunner *m_runner = nullptr;
    ViewFilter m_filter;
    bool m_haveFilter = false;
    bool m_settled = false;
    std::vector<Anomaly> m_anomalies;
    std::vector<size_t> m_rows; // table row -> anomaly index
    AnomalyMarks m_marks;
    QComboBox *m_granularity;
    QDoubleSpinBox *m_sensitivity;
    QDoubleSpinBox *m_floor;
    QCheckBox *m_showMuted;
    QLabel *m_status;
    QTableWidget *m_table;
    QChartView *m_chart;
    QLabel *m_cause;
    QPushButton *m_calls, *m_ack, *m_mute;
    QPushButton *m_cancel;
    QTimer *m_ticker;
    std::shared_ptr<std::atomic<int>> m_permille;
    std::shared_ptr<std::atomic<quint64>> m_generation;
};

} // namespace tl
