#include "anomaliesview.h"

#include "anomaly/anomalymarks.h"

#include "chartfactory.h"
#include "core/timeutil.h"
#include "displayformat.h"
#include "items/queryrunner.h"
#include "store/workspace.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

namespace tl {

namespace {

struct Loaded
{
    std::vector<Anomaly> anomalies;
    AnomalyMarks marks;
};

} // namespace

AnomaliesView::AnomaliesView(QWidget *parent)
    : View(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 4);
    auto *bar = new QHBoxLayout;
    m_granularity = new QComboBox(this);
    m_granularity->addItem(tr("Hourly"), 1);
    m_granularity->addItem(tr("Daily"), 24);
    m_sensitivity = new QDoubleSpinBox(this);
    m_sensitivity->setRange(2, 20);
    m_sensitivity->setValue(6);
    m_sensitivity->setSingleStep(0.5);
    m_sensitivity->setToolTip(tr("How unusual a burst must be (z-score of the calls); lower "
                                 "finds more"));
    m_floor = new QDoubleSpinBox(this);
    m_floor->setPrefix(QStringLiteral("$"));
    m_floor->setRange(0, 100000);
    m_floor->setValue(2);
    m_floor->setToolTip(tr("The smallest excess spend worth an alarm"));
    m_showMuted = new QCheckBox(tr("Show muted"), this);
    m_status = new QLabel(this);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelAnomalies"));
    m_cancel->hide();
    m_permille = std::make_shared<std::atomic<int>>(0);
    m_generation = std::make_shared<std::atomic<quint64>>(0);
    m_ticker = new QTimer(this);
    m_ticker->setInterval(100);
    connect(m_ticker, &QTimer::timeout, this, [this] {
        m_status->setText(tr("Looking for spikes… %1%").arg(m_permille->load() / 10));
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_generation->fetch_add(1); // the scan stops at its next progress tick
        m_ticker->stop();
        m_cancel->hide();
        m_status->setText(tr("Cancelled; change a setting or View → Refresh to look again."));
        m_settled = true;
        Q_EMIT settled();
    });
    bar->addWidget(new QLabel(tr("Granularity"), this));
    bar->addWidget(m_granularity);
    bar->addWidget(new QLabel(tr("Sensitivity"), this));
    bar->addWidget(m_sensitivity);
    bar->addWidget(new QLabel(tr("Minimum excess"), this));
    bar->addWidget(m_floor);
    bar->addWidget(m_showMuted);
    bar->addStretch(1);
    bar->addWidget(m_status);
    bar->addWidget(m_cancel);
    layout->addLayout(bar);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("anomaliesSplit"));
    m_table = new QTableWidget(0, 8, split);
    m_table->setObjectName(QStringLiteral("anomalies"));
    m_table->setHorizontalHeaderLabels({tr("Entity"), tr("Start (UTC)"), tr("Hours"),
                                        tr("Expected"), tr("Actual"), tr("Excess"), tr("Score"),
                                        tr("Cause")});
    m_table->horizontalHeader()->setSectionResizeMode(7, QHeaderView::Stretch);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    auto *detail = new QWidget(split);
    auto *dl = new QVBoxLayout(detail);
    dl->setContentsMargins(0, 0, 0, 0);
    m_cause = new QLabel(detail);
    m_cause->setWordWrap(true);
    m_cause->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *buttons = new QHBoxLayout;
    m_calls = new QPushButton(tr("Show its calls"), detail);
    m_ack = new QPushButton(tr("Acknowledge"), detail);
    m_mute = new QPushButton(tr("Mute this entity"), detail);
    buttons->addWidget(m_calls);
    buttons->addWidget(m_ack);
    buttons->addWidget(m_mute);
    buttons->addStretch(1);
    m_chart = new QChartView(detail);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(220);
    dl->addWidget(m_cause);
    dl->addLayout(buttons);
    dl->addWidget(m_chart, 1);
    split->addWidget(m_table);
    split->addWidget(detail);
    split->setSizes({300, 400});
    layout->addWidget(split, 1);

    connect(m_granularity, &QComboBox::currentIndexChanged, this, &AnomaliesView::reload);
    connect(m_sensitivity, &QDoubleSpinBox::editingFinished, this, &AnomaliesView::reload);
    connect(m_floor, &QDoubleSpinBox::editingFinished, this, &AnomaliesView::reload);
    connect(m_showMuted, &QCheckBox::toggled, this, &AnomaliesView::fill);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &AnomaliesView::selectionChanged);
    connect(m_calls, &QPushButton::clicked, this, &AnomaliesView::showCallsOfSelected);
    connect(m_ack, &QPushButton::clicked, this, &AnomaliesView::acknowledgeSelected);
    connect(m_mute, &QPushButton::clicked, this, &AnomaliesView::muteSelected);
    selectionChanged();
}

QString AnomaliesView::key(const Anomaly &a, bool withStart)
{
    QString k = QString::fromLatin1(dimensionName(a.kind).data()) + QLatin1Char(':') +
                QString::fromStdString(a.entity);
    if (withStart)
        k += QLatin1Char('@') + QString::number(a.startMs);
    return k;
}

void AnomaliesView::setRunner(QueryRunner *runner)
{
    m_runner = runner;
    if (m_haveFilter)
        reload();
}

void AnomaliesView::setFilter(const ViewFilter &filter)
{
    m_filter = filter;
    m_haveFilter = true;
    reload();
}

void AnomaliesView::reload()
{
    if (!m_runner)
        return;
    m_settled = false;
    m_status->setText(tr("Looking for spikes…"));
    AnomalyRequest r;
    r.filter = m_filter.callFilter();
    r.bucketHours = m_granularity->currentData().toInt();
    r.options.bucketHours = r.bucketHours;
    r.options.sensitivity = m_sensitivity->value();
    r.options.minExcessUsd = m_floor->value();
    const quint64 generation = m_generation->fetch_add(1) + 1;
    m_permille->store(0);
    m_ticker->start();
    m_cancel->show();
    auto gen = m_generation;
    auto permille = m_permille;
    m_runner->run<Loaded>(
        QStringLiteral("anomalies"),
        [r, gen, generation, permille](Workspace &ws) {
            Loaded l;
            l.anomalies = AnomalyQuery::run(ws, r, [&](int64_t done, int64_t total) {
                if (total > 0)
                    permille->store(int(std::min<int64_t>(1000, done * 1000 / total)));
                return gen->load() == generation;
            });
            l.marks = AnomalyMarks::load(ws);
            return l;
        },
        [this, generation](Loaded &l) {
            if (m_generation->load() != generation)
                return; // cancelled, or a newer search answers
            m_ticker->stop();
            m_cancel->hide();
            m_anomalies = std::move(l.anomalies);
            m_marks = l.marks;
            fill();
            m_settled = true;
            Q_EMIT settled();
        },
        [this, generation](const QString &error) {
            if (m_generation->load() != generation)
                return;
            m_ticker->stop();
            m_cancel->hide();
            m_anomalies.clear();
            fill();
            m_status->setText(tr("not read"));
            m_cause->setText(failureText(error));
            m_settled = true;
            Q_EMIT settled();
        });
}

void AnomaliesView::fill()
{
    {
        // m_anomalies is new by now: selection signals while the old rows go
        // would index it with the old rows' positions.
        const QSignalBlocker quiet(m_table);
        m_table->setRowCount(0);
        m_rows.clear();
    }
    int hidden = 0;
    for (size_t i = 0; i < m_anomalies.size(); ++i) {
        const Anomaly &a = m_anomalies[i];
        if (!m_showMuted->isChecked() && m_marks.muted.count(key(a, false).toStdString())) {
            ++hidden;
            continue;
        }
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        m_rows.push_back(i);
        const bool acked = m_marks.acknowledged.count(key(a, true).toStdString()) > 0;
        const QString cells[] = {
            QStringLiteral("%1 %2").arg(QString::fromLatin1(dimensionName(a.kind).data()),
                                        QString::fromStdString(a.entity)),
            DisplayFormat::time(a.startMs).left(16),
            QString::number((a.endMs - a.startMs) / kMsPerHour),
            DisplayFormat::usd(a.expectedUsd),
            DisplayFormat::usd(a.actualUsd),
            DisplayFormat::usd(a.excessUsd()),
            QString::number(a.score, 'f', 1),
            (acked ? tr("[acknowledged] ") : QString()) + QString::fromStdString(a.cause)};
        for (int c = 0; c < 8; ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            if (c >= 2 && c <= 6)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (acked)
                item->setForeground(palette().color(QPalette::PlaceholderText));
            m_table->setItem(row, c, item);
        }
    }
    m_table->resizeColumnsToContents();
    m_status->setText(tr("%n anomalies", nullptr, int(m_rows.size())) +
                      (hidden ? tr(" (%1 of muted entities hidden)").arg(hidden) : QString()));
    if (!m_rows.empty())
        m_table->selectRow(0);
    selectionChanged();
}

void AnomaliesView::selectionChanged()
{
    const int row = m_table->currentRow();
    const bool any = row >= 0 && size_t(row) < m_rows.size();
    m_calls->setEnabled(any);
    m_ack->setEnabled(any);
    m_mute->setEnabled(any);
    if (!any) {
        m_cause->setText(m_anomalies.empty() ? tr("No spikes in this period.") : QString());
        ChartFactory::setChart(m_chart, new QChart);
        return;
    }
    if (m_rows[size_t(row)] >= m_anomalies.size())
        return;
    const Anomaly a = m_anomalies[m_rows[size_t(row)]];
    QString detail = QString::fromStdString(a.cause);
    const auto list = [](const std::vector<CauseShare> &v) {
        QStringList out;
        for (const auto &c : v)
            if (c.excessUsd() > 0)
                out << QStringLiteral("%1 %2").arg(QString::fromStdString(c.name),
                                                   DisplayFormat::usd(c.excessUsd()));
        return out.mid(0, 3).join(QStringLiteral(", "));
    };
    detail += tr("\nMore calls: %1 · costlier calls: %2 · top users: %3 · top tasks: %4")
                  .arg(DisplayFormat::usd(a.volumeEffectUsd),
                       DisplayFormat::usd(a.intensityEffectUsd), list(a.byUser), list(a.byTask));
    m_cause->setText(detail);
    if (!m_runner)
        return;
    AnomalyRequest r;
    r.bucketHours = a.bucketHours;
    r.options.bucketHours = a.bucketHours;
    r.options.sensitivity = m_sensitivity->value();
    r.options.minExcessUsd = m_floor->value();
    const int64_t bucketMs = int64_t(a.bucketHours) * kMsPerHour;
    const int64_t around = a.bucketHours == 1 ? 48 : 14;
    const int64_t from = a.startMs / bucketMs - around, to = a.endMs / bucketMs + around;
    m_runner->run<std::vector<AnomalyQuery::SeriesPoint>>(
        QStringLiteral("anomalies:series"),
        [a, r, from, to](Workspace &ws) {
            return AnomalyQuery::series(ws, a.kind, a.entityId, from, to, r, a.windowBuckets);
        },
        [this, a, bucketMs](std::vector<AnomalyQuery::SeriesPoint> &points) {
            ChartFactory::setChart(m_chart, seriesChart(a, bucketMs, points));
        });
}

// What the detector judged: the window's spend (one bucket, or the two or
// three summed when a quiet entity's alarm took that many) against its
// expectation and the line above which it alarms. The band lies between
// the two lines, not down to $0, and an anomaly's spend crosses its line.
QChart *AnomaliesView::seriesChart(const Anomaly &a, int64_t bucketMs,
                                   const std::vector<AnomalyQuery::SeriesPoint> &points) const
{
    auto *chart = new QChart;
    const QString unit = a.bucketHours == 1 ? tr("hour") : tr("day");
    const QString per = a.windowBuckets == 1
                            ? unit
                            : tr("%1 %2s (the alarm's window)").arg(a.windowBuckets).arg(unit);
    chart->setTitle(tr("%1 %2: spend per %3 against its alarm line")
                        .arg(QString::fromLatin1(dimensionName(a.kind).data()),
                             QString::fromStdString(a.entity), per));
    auto *actual = new QLineSeries;
    actual->setName(tr("spend"));
    auto *expected = new QLineSeries;
    expected->setName(tr("expected"));
    auto *threshold = new QLineSeries;
    threshold->setName(tr("alarm above"));
    auto *upper = new QLineSeries, *lower = new QLineSeries;
    double top = 0;
    for (const auto &p : points) {
        // A window's point at the end of its last bucket: where it was judged.
        const double x = double((p.bucket + 1) * bucketMs);
        actual->append(x, p.costUsd);
        expected->append(x, p.expectedUsd);
        if (p.judged) {
            threshold->append(x, p.thresholdUsd);
            upper->append(x, p.thresholdUsd);
            lower->append(x, p.expectedUsd);
        }
        top = std::max({top, p.costUsd, p.judged ? p.thresholdUsd : 0.0});
    }
    auto *band = ChartFactory::band(upper, lower, 0, 40, tr("normal range"));
    QPen pen(ChartFactory::seriesColor(5));
    pen.setWidthF(2);
    actual->setPen(pen);
    QPen dashed(ChartFactory::seriesColor(0));
    dashed.setStyle(Qt::DashLine);
    expected->setPen(dashed);
    QPen alarm(QColor(0xC0, 0x1C, 0x28));
    alarm.setWidthF(1.2);
    threshold->setPen(alarm);
    for (QAbstractSeries *s :
         std::initializer_list<QAbstractSeries *>{band, expected, threshold, actual})
        chart->addSeries(s);
    std::vector<int64_t> ends; // the x of each point: the end of its window
    for (const auto &p : points)
        ends.push_back(p.bucket + 1);
    auto *x = ChartFactory::bucketAxis(
        ends, a.bucketHours == 1 ? TimeBucket::Hour : TimeBucket::Day, m_chart->width() - 120);
    auto *y = new QValueAxis;
    ChartFactory::formatMoneyAxis(y, 1.0, top);
    ChartFactory::attachAxes(chart, x, y);
    chart->legend()->setAlignment(Qt::AlignBottom);
    ChartFactory::style(chart);
    return chart;
}

void AnomaliesView::saveMarks()
{
    if (!m_runner)
        return;
    m_runner->run<int>(
        QStringLiteral("anomalies:marks"),
        [marks = m_marks](Workspace &ws) {
            marks.save(ws);
            return 0;
        },
        [](int &) {});
}

void AnomaliesView::muteSelected()
{
    const int row = m_table->currentRow();
    if (row < 0 || size_t(row) >= m_rows.size())
        return;
    m_marks.muted.insert(key(m_anomalies[m_rows[size_t(row)]], false).toStdString());
    saveMarks();
    fill();
}

void AnomaliesView::acknowledgeSelected()
{
    const int row = m_table->currentRow();
    if (row < 0 || size_t(row) >= m_rows.size())
        return;
    m_marks.acknowledged.insert(key(m_anomalies[m_rows[size_t(row)]], true).toStdString());
    saveMarks();
    fill();
    m_table->selectRow(row);
}

void AnomaliesView::showCallsOfSelected()
{
    const int row = m_table->currentRow();
    if (row < 0 || size_t(row) >= m_rows.size())
        return;
    const Anomaly &a = m_anomalies[m_rows[size_t(row)]];
    Q_EMIT callsRequested(a.kind, QString::fromStdString(a.entity), a.startMs, a.endMs);
}

} // namespace tl
