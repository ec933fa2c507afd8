#include "frontierpanel.h"

#include "chartfactory.h"
#include "displayformat.h"
#include "simulatorcharts.h"

#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace tl {

FrontierPanel::FrontierPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    auto *row = new QHBoxLayout;
    m_dimension = new QComboBox(this);
    m_dimension->addItem(tr("Agent"), QStringLiteral("agent"));
    m_dimension->addItem(tr("Feature"), QStringLiteral("feature"));
    m_dimension->addItem(tr("Team"), QStringLiteral("team"));
    m_dimension->addItem(tr("Everything"), QStringLiteral("all"));
    m_name = new QComboBox(this);
    m_name->setObjectName(QStringLiteral("frontierName"));
    m_name->setMinimumContentsLength(24);
    row->addWidget(new QLabel(tr("Calls of"), this));
    row->addWidget(m_dimension);
    row->addWidget(m_name, 1);
    layout->addLayout(row);
    auto *split = new QSplitter(Qt::Vertical, this);
    m_chart = new QChartView(split);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_table = new QTableWidget(0, 3, split);
    m_table->setHorizontalHeaderLabels({tr("Success-rate target"), tr("Cost / month"), tr("Mix")});
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    split->addWidget(m_chart);
    split->addWidget(m_table);
    split->setSizes({430, 250});
    layout->addWidget(split, 1);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("frontierNote"));
    m_note->setWordWrap(true);
    m_note->hide();
    layout->addWidget(m_note);
    connect(m_dimension, &QComboBox::currentIndexChanged, this, [this] {
        fillNames();
        recompute();
    });
    connect(m_name, &QComboBox::currentIndexChanged, this, &FrontierPanel::recompute);
}

void FrontierPanel::setInput(const sim::Engine *engine, const sim::Scenario &s)
{
    const bool newEngine = engine != m_engine;
    m_engine = engine;
    m_scenario = s;
    if (newEngine)
        fillNames();
    recompute();
}

void FrontierPanel::fillNames()
{
    const QSignalBlocker block(m_name);
    const QString keep = m_name->currentText();
    m_name->clear();
    if (!m_engine)
        return;
    const auto &w = m_engine->workload();
    const QString dim = m_dimension->currentData().toString();
    // Most expensive first: where a cheaper mix matters most.
    std::vector<double> cost(dim == QLatin1String("agent")     ? w.agents().size()
                             : dim == QLatin1String("feature") ? w.features().size()
                             : dim == QLatin1String("team")    ? w.teams().size()
                                                               : 0,
                             0.0);
    for (const auto &g : w.groups()) {
        const uint32_t i = dim == QLatin1String("agent")     ? g.agent
                           : dim == QLatin1String("feature") ? g.feature
                                                             : g.team;
        if (i < cost.size())
            cost[i] += g.costUsd;
    }
    const auto &names = dim == QLatin1String("agent")     ? w.agents()
                        : dim == QLatin1String("feature") ? w.features()
                                                          : w.teams();
    std::vector<std::pair<double, size_t>> order;
    for (size_t i = 0; i < cost.size(); ++i)
        order.emplace_back(-cost[i], i);
    std::sort(order.begin(), order.end());
    for (const auto &[c, i] : order)
        m_name->addItem(QStringLiteral("%1 (%2 in the period)")
                            .arg(QString::fromStdString(names[i]), DisplayFormat::usd(-c)),
                        QString::fromStdString(names[i]));
    m_name->setEnabled(!cost.empty());
    const int again = m_name->findText(keep);
    if (again >= 0)
        m_name->setCurrentIndex(again);
}

QString FrontierPanel::borrowedNote()
{
    return tr("* No calls of this model with outcomes in this scope: its success rate is the "
              "model's over other agents' work, which may be easier or harder. Set it under "
              "Model mix to decide with your own figure.");
}

QString FrontierPanel::noteText() const
{
    return m_note->isHidden() ? QString() : m_note->text();
}

void FrontierPanel::recompute()
{
    if (!m_engine)
        return;
    sim::Scope scope;
    const QString dim = m_dimension->currentData().toString();
    const std::string name = m_name->currentData().toString().toStdString();
    if (dim == QLatin1String("agent"))
        scope.agent = {name};
    else if (dim == QLatin1String("feature"))
        scope.feature = {name};
    else if (dim == QLatin1String("team"))
        scope.team = {name};
    m_result = sim::Frontier::compute(*m_engine, m_scenario, scope, 11);
    ChartFactory::setChart(m_chart, SimulatorCharts::frontier(m_result));
    m_table->setRowCount(int(m_result.points.size()));
    for (int i = 0; i < int(m_result.points.size()); ++i) {
        const auto &p = m_result.points[size_t(i)];
        QStringList mix;
        for (const auto &[model, share] : p.mix) {
            const bool borrowed = std::any_of(
                m_result.models.begin(), m_result.models.end(), [&](const sim::FrontierModel &m) {
                    return m.model == model && m.source == sim::FrontierModel::Source::OtherScopes;
                });
            mix << QStringLiteral("%1 %2%3").arg(DisplayFormat::percent(share, 0),
                                                 QString::fromStdString(model),
                                                 borrowed ? QStringLiteral(" *") : QString());
        }
        const QString cells[] = {DisplayFormat::percent(p.targetSuccessRate),
                                 DisplayFormat::usd(p.monthlyCostUsd),
                                 mix.join(QStringLiteral(" + "))};
        for (int c = 0; c < 3; ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            if (p.borrowed) {
                item->setForeground(palette().color(QPalette::PlaceholderText));
                item->setToolTip(borrowedNote());
            }
            m_table->setItem(i, c, item);
        }
    }
    // Say it once under the table, where a reader looks for the catch.
    const bool anyBorrowed = std::any_of(
        m_result.models.begin(), m_result.models.end(), [](const sim::FrontierModel &m) {
            return m.source == sim::FrontierModel::Source::OtherScopes;
        });
    m_note->setText(anyBorrowed ? borrowedNote() : QString());
    m_note->setVisible(anyBorrowed);
}

} // namespace tl
