#include "budgetsview.h"

#include "budgets/budgetexpand.h"
#include "filedialogs.h"
#include "store/filekind.h"

#include "budgetdialog.h"
#include "budgets/budgetfile.h"
#include "budgets/budgetstore.h"
#include "chartfactory.h"
#include "core/timeutil.h"
#include "displayformat.h"
#include "items/queryrunner.h"
#include "store/workspace.h"

#include <QAction>
#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QMessageBox>
#include <QSignalBlocker>
#include <QSplitter>
#include <QToolButton>
#include <QTreeWidget>
#include <QUndoCommand>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

namespace tl {

namespace {

enum Column { Name, Scope, Period, Amount, Spent, Used, Forecast, Breach, State, ColumnCount };

class SetBudgets : public QUndoCommand
{
public:
    SetBudgets(BudgetsView *view, std::vector<Budget> before, std::vector<Budget> after,
               const QString &text)
        : QUndoCommand(text)
        , m_view(view)
        , m_before(std::move(before))
        , m_after(std::move(after))
    {}
    void undo() override { m_view->apply(m_before); }
    void redo() override { m_view->apply(m_after); }

private:
    BudgetsView *m_view;
    std::vector<Budget> m_before, m_after;
};

struct Loaded
{
    PriceCatalog catalog;
    std::vector<Budget> budgets;
    std::vector<BudgetPool> pools;
    std::vector<BudgetStatus> statuses;
    int64_t atMs = 0;
};

QColor stateColor(BudgetStatus::State s)
{
    switch (s) {
    case BudgetStatus::State::Ok:
        return QColor(0x00, 0x9E, 0x73);
    case BudgetStatus::State::Watch:
        return QColor(0xE6, 0x9F, 0x00);
    case BudgetStatus::State::AtRisk:
        return QColor(0xD5, 0x5E, 0x00);
    case BudgetStatus::State::Breached:
        return QColor(0xC0, 0x1C, 0x28);
    }
    return {};
}

} // namespace

BudgetsView::BudgetsView(QWidget *parent)
    : View(parent)
    , m_undo(new QUndoStack(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 4);
    auto *bar = new QHBoxLayout;
    const auto button = [&](const QString &text, auto slot) {
        auto *a = new QAction(text, this);
        connect(a, &QAction::triggered, this, slot);
        auto *b = new QToolButton(this);
        b->setDefaultAction(a);
        bar->addWidget(b);
        return a;
    };
    button(tr("Add budget"), [this] { addBudget(); });
    button(tr("Edit…"), [this] { editSelected(); });
    button(tr("Remove"), [this] { removeSelected(); });
    button(tr("Import…"), [this] {
        const QString p = FileDialogs::openFile(this, tr("Import Budgets"),
                                                tr("Budgets (*.tlbudgets *.json);;All files (*)"));
        QString error;
        if (!p.isEmpty() && !importFile(p, &error))
            QMessageBox::warning(this, tr("Cannot import the budgets"), error);
    });
    button(tr("Export…"), [this] {
        const QString p =
            FileDialogs::saveFile(this, tr("Export Budgets"),
                                  QStringLiteral("budgets") + QLatin1String(kBudgetsExtension),
                                  tr("Budgets (*.tlbudgets *.json)"));
        QString error;
        if (!p.isEmpty() && !exportFile(p, &error))
            QMessageBox::warning(this, tr("Cannot export the budgets"), error);
    });
    for (QAction *a :
         {m_undo->createUndoAction(this, tr("Undo")), m_undo->createRedoAction(this, tr("Redo"))}) {
        a->setShortcut(a->text().startsWith(tr("Undo")) ? QKeySequence::Undo : QKeySequence::Redo);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
        auto *b = new QToolButton(this);
        b->setDefaultAction(a);
        b->setMaximumWidth(200);
        bar->addWidget(b);
    }
    bar->addStretch(1);
    m_asOf = new QLabel(this);
    bar->addWidget(m_asOf);
    layout->addLayout(bar);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("budgetsSplit"));
    m_tree = new QTreeWidget(split);
    m_tree->setObjectName(QStringLiteral("budgets"));
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels({tr("Budget"), tr("Scope"), tr("Period"), tr("Amount"), tr("Spent"),
                             tr("Used"), tr("Forecast (80% interval)"), tr("Breach"), tr("State")});
    // Double-click edits a name or an amount in place, anything else in the dialog.
    m_tree->setEditTriggers(QAbstractItemView::EditKeyPressed);
    m_tree->setUniformRowHeights(true);
    m_tree->setToolTip(
        tr("Double-click a name or an amount to change it, anything else to edit the budget"));
    auto *detail = new QWidget(split);
    auto *dl = new QHBoxLayout(detail);
    dl->setContentsMargins(0, 0, 0, 0);
    m_chart = new QChartView(detail);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(220);
    m_replay = new QLabel(detail);
    m_replay->setWordWrap(true);
    m_replay->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_replay->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_replay->setMinimumWidth(260);
    m_replay->setMaximumWidth(420);
    // Replay this period so far, or a finished one.
    m_replayPeriod = new QComboBox(detail);
    m_replayPeriod->setObjectName(QStringLiteral("replayPeriod"));
    m_replayPeriod->addItem(tr("Replay this period"), 0);
    m_replayPeriod->addItem(tr("Replay the previous period"), 1);
    m_replayPeriod->addItem(tr("Replay two periods ago"), 2);
    auto *side = new QVBoxLayout;
    side->addWidget(m_replayPeriod);
    side->addWidget(m_replay, 1);
    dl->addWidget(m_chart, 1);
    dl->addLayout(side);
    connect(m_replayPeriod, &QComboBox::currentIndexChanged, this, &BudgetsView::selectionChanged);
    split->addWidget(m_tree);
    split->addWidget(detail);
    split->setSizes({260, 420});
    layout->addWidget(split, 1);
    connect(m_tree, &QTreeWidget::itemSelectionChanged, this, &BudgetsView::selectionChanged);
    connect(m_tree, &QTreeWidget::itemChanged, this, &BudgetsView::itemEdited);
    connect(m_tree, &QTreeWidget::itemDoubleClicked, this,
            [this](QTreeWidgetItem *item, int column) {
                if (column == Name || column == Amount)
                    m_tree->editItem(item, column);
                else if (const int i = budgetIndexOf(item); i >= 0)
                    openBudgetDialog(i);
            });
}

void BudgetsView::setRunner(QueryRunner *runner)
{
    m_runner = runner;
    m_undo->clear();
    reload();
}

void BudgetsView::setFilter(const ViewFilter &filter)
{
    m_filter = filter;
    // Budgets have their own scopes and periods; a filter change only refreshes.
    reload();
}

void BudgetsView::reload()
{
    if (!m_runner)
        return;
    m_settled = false;
    m_runner->run<Loaded>(
        QStringLiteral("budgets"),
        [](Workspace &ws) {
            Loaded l;
            l.budgets = BudgetStore::load(ws);
            l.pools = BudgetStore::loadPools(ws);
            l.catalog = ws.catalog();
            l.atMs = BudgetEvaluator::defaultAsOf(ws, QDateTime::currentMSecsSinceEpoch());
            l.statuses = BudgetEvaluator::evaluate(ws, l.budgets, l.atMs);
            return l;
        },
        [this](Loaded &l) {
            m_budgets = std::move(l.budgets);
            m_pools = std::move(l.pools);
            m_statuses = std::move(l.statuses);
            m_catalog = std::move(l.catalog);
            m_asOf->setText(tr("As of %1 UTC").arg(DisplayFormat::time(l.atMs).left(16)));
            fill();
            m_settled = true;
            Q_EMIT settled();
        },
        [this](const QString &error) {
            // Never an empty list for budgets that could not be read: the
            // failure is said, and nothing here edits what was not loaded.
            m_statuses.clear();
            m_budgets.clear();
            fill();
            m_asOf->clear();
            m_replay->setText(failureText(error));
            m_settled = true;
            Q_EMIT settled();
        });
}

void BudgetsView::fill()
{
    m_filling = true;
    const QString keep = m_tree->currentItem() ? m_tree->currentItem()->text(Name) : QString();
    // clear() moves the selection item by item: its signals would reach
    // selectionChanged() with indexes into the old, longer list.
    const QSignalBlocker quiet(m_tree);
    m_tree->clear();
    std::vector<QTreeWidgetItem *> items(m_statuses.size(), nullptr);
    // Parents before children: fewer scope keys first.
    std::vector<size_t> order(m_statuses.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return m_statuses[a].budget.scope.size() < m_statuses[b].budget.scope.size();
    });
    QTreeWidgetItem *select = nullptr;
    for (size_t i : order) {
        const BudgetStatus &s = m_statuses[i];
        QTreeWidgetItem *parent = s.parent >= 0 ? items[size_t(s.parent)] : nullptr;
        auto *item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_tree);
        items[i] = item;
        item->setData(Name, Qt::UserRole, int(i));
        item->setFlags(item->flags() | Qt::ItemIsEditable);
        item->setText(Name, QString::fromStdString(s.budget.name));
        item->setText(Scope, QString::fromStdString(s.budget.scopeText()));
        item->setText(
            Period,
            QString::fromStdString(periodName(s.budget.period)) +
                (s.budget.hard
                     ? tr(", hard (%1)").arg(QString::fromStdString(policyName(s.budget.onBreach)))
                     : QString()));
        item->setText(Amount, DisplayFormat::usd(s.amountUsd));
        item->setText(Spent, DisplayFormat::usd(s.spentUsd));
        item->setText(Used, DisplayFormat::percent(s.usedShare));
        item->setText(Forecast, QStringLiteral("%1 (%2 – %3)")
                                    .arg(DisplayFormat::usd(s.forecastUsd, 0),
                                         DisplayFormat::usd(s.forecastLowUsd, 0),
                                         DisplayFormat::usd(s.forecastHighUsd, 0)));
        // A breach that happened says when; one still ahead is a forecast.
        item->setText(Breach,
                      !s.breachAtMs ? QStringLiteral("—")
                      : s.breachHappened
                          ? tr("at %1").arg(DisplayFormat::time(*s.breachAtMs).left(16))
                          : tr("forecast %1").arg(DisplayFormat::time(*s.breachAtMs).left(16)));
        item->setText(State, QString::fromStdString(BudgetStatus::stateName(s.state)) +
                                 (s.childrenExceedAmount ? tr("; children exceed it") : QString()));
        item->setForeground(State, stateColor(s.state));
        QFont bold = item->font(State);
        bold.setBold(true);
        item->setFont(State, bold);
        for (int c = Amount; c <= Used; ++c)
            item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
        if (item->text(Name) == keep || !select)
            select = item;
    }
    m_tree->expandAll();
    for (int c = 0; c < ColumnCount; ++c)
        m_tree->resizeColumnToContents(c);
    if (select)
        m_tree->setCurrentItem(select);
    m_filling = false;
    selectionChanged();
}

QString BudgetsView::replayText() const
{
    return m_replay->text();
}

const BudgetStatus *BudgetsView::statusOf(const QTreeWidgetItem *item) const
{
    if (!item)
        return nullptr;
    const int i = item->data(Name, Qt::UserRole).toInt();
    return i >= 0 && size_t(i) < m_statuses.size() ? &m_statuses[size_t(i)] : nullptr;
}

void BudgetsView::selectionChanged()
{
    if (m_filling)
        return;
    const BudgetStatus *current = statusOf(m_tree->currentItem());
    if (!current) {
        ChartFactory::setChart(m_chart, new QChart);
        m_replay->setText(m_statuses.empty() ? tr("No budgets yet: Add budget, or Import a "
                                                  "budgets file.")
                                             : QString());
        return;
    }
    const BudgetStatus s = *current;
    // Burn-down: spent so far, the forecast and its band, the amount.
    auto *chart = new QChart;
    chart->setTitle(tr("%1: %2 period")
                        .arg(QString::fromStdString(s.budget.name),
                             QString::fromStdString(periodName(s.budget.period))));
    auto *spent = new QLineSeries;
    spent->setName(tr("spent"));
    auto *forecast = new QLineSeries;
    forecast->setName(tr("forecast"));
    auto *hi = new QLineSeries, *lo = new QLineSeries;
    auto *amount = new QLineSeries;
    amount->setName(tr("amount"));
    const qint64 start = s.period.startMs;
    double top = s.amountUsd;
    for (size_t h = 0; h < s.cumulativeUsd.size(); ++h)
        spent->append(double(start + qint64(h + 1) * kMsPerHour), s.cumulativeUsd[h]);
    const qint64 now = start + qint64(s.cumulativeUsd.size()) * kMsPerHour;
    forecast->append(double(now), s.spentUsd);
    hi->append(double(now), s.spentUsd);
    lo->append(double(now), s.spentUsd);
    for (size_t h = 0; h < s.forecastPathUsd.size(); ++h) {
        const double x = double(now + qint64(h + 1) * kMsPerHour);
        forecast->append(x, s.forecastPathUsd[h]);
        hi->append(x, s.forecastHighPathUsd[h]);
        lo->append(x, s.forecastLowPathUsd[h]);
        top = std::max(top, s.forecastHighPathUsd[h]);
    }
    amount->append(double(start), s.amountUsd);
    amount->append(double(s.period.endMs), s.amountUsd);
    auto *band = ChartFactory::band(hi, lo, 1, 60, tr("80% interval"));
    QPen spentPen(ChartFactory::seriesColor(0));
    spentPen.setWidthF(2.5);
    spent->setPen(spentPen);
    QPen forecastPen(ChartFactory::seriesColor(1));
    forecastPen.setWidthF(2);
    forecastPen.setStyle(Qt::DashLine);
    forecast->setPen(forecastPen);
    QPen amountPen(stateColor(BudgetStatus::State::Breached));
    amountPen.setWidthF(1.5);
    amount->setPen(amountPen);
    for (QAbstractSeries *series :
         std::initializer_list<QAbstractSeries *>{band, spent, forecast, amount})
        chart->addSeries(series);
    auto *x = new QDateTimeAxis;
    x->setFormat(QStringLiteral("MMM d"));
    x->setRange(QDateTime::fromMSecsSinceEpoch(start, Qt::UTC),
                QDateTime::fromMSecsSinceEpoch(s.period.endMs, Qt::UTC));
    auto *y = new QValueAxis;
    ChartFactory::formatMoneyAxis(y, 1.0, top);
    ChartFactory::attachAxes(chart, x, y);
    chart->legend()->setAlignment(Qt::AlignBottom);
    ChartFactory::style(chart);
    ChartFactory::setChart(m_chart, chart);

    // Replay of the period so far, call by call, off the GUI thread.
    if (!m_runner)
        return;
    m_replay->setText(tr("Replaying the period's calls…"));
    const Budget b = s.budget;
    PeriodBounds period = s.period;
    for (int back = m_replayPeriod->currentData().toInt(); back > 0; --back)
        period = previousPeriod(b.period, period);
    m_runner->run<BudgetReplay>(
        QStringLiteral("budgets:replay"),
        [b, period](Workspace &ws) { return BudgetReplay::run(ws, b, period); },
        [this](BudgetReplay &r) {
            QString text = tr("<b>Replay of %1 – %2</b><br>")
                               .arg(DisplayFormat::time(r.period.startMs).left(10),
                                    DisplayFormat::time(r.period.endMs - 1).left(10));
            for (const auto &a : r.adjustments)
                text += tr("Adjusted %1 on %2%3: %4<br>")
                            .arg((a.amountNusd > 0 ? QStringLiteral("+") : QStringLiteral("−")) +
                                     DisplayFormat::money(std::abs(a.amountNusd)),
                                 DisplayFormat::time(a.atMs).left(16),
                                 a.by.empty() ? QString()
                                              : tr(" by %1").arg(QString::fromStdString(a.by)),
                                 QString::fromStdString(a.reason).toHtmlEscaped());
            if (r.crossings.empty())
                text += tr("No alert threshold was crossed.<br>");
            for (const auto &c : r.crossings)
                text +=
                    tr("%1 reached at %2 by call %3%4 (%5 spent)<br>")
                        .arg(DisplayFormat::percent(c.threshold, 0), DisplayFormat::time(c.tsMs))
                        .arg(c.callId)
                        .arg(c.requestId.empty()
                                 ? QString()
                                 : QStringLiteral(" «%1»").arg(QString::fromStdString(c.requestId)))
                        .arg(DisplayFormat::usd(c.cumulativeUsd));
            if (r.callsAfterBreach > 0) {
                text += tr("<br>%1 calls after the amount was spent.<br>")
                            .arg(DisplayFormat::count(r.callsAfterBreach));
                if (!r.budget.hard)
                    text += tr("A soft budget only alerts.");
                else if (r.budget.onBreach == BreachPolicy::Alert)
                    text += tr("Its policy is to alert only.");
                else
                    text += tr("Under its policy (%1): %2 downgraded, %3 served from cache, %4 "
                               "rejected; the period would have cost %5 instead of %6.")
                                .arg(QString::fromStdString(policyName(r.budget.onBreach)))
                                .arg(r.downgraded)
                                .arg(r.servedFromCache)
                                .arg(r.rejected)
                                .arg(DisplayFormat::usd(r.underPolicyUsd),
                                     DisplayFormat::usd(r.actualUsd));
            }
            m_replay->setText(text);
        });
}

int BudgetsView::budgetIndexOf(const QTreeWidgetItem *item) const
{
    // By name (unique in a workspace): after an edit m_budgets is ahead of
    // the tree until the store answers, so positions may differ.
    const BudgetStatus *s = statusOf(item);
    if (!s)
        return -1;
    for (size_t i = 0; i < m_budgets.size(); ++i)
        if (m_budgets[i].name == s->budget.name)
            return int(i);
    return -1;
}

void BudgetsView::itemEdited(QTreeWidgetItem *item, int column)
{
    if (m_filling)
        return;
    const int found = budgetIndexOf(item);
    if (found < 0)
        return;
    const size_t i = size_t(found);
    std::vector<Budget> after = m_budgets;
    if (column == Name) {
        const QString name = item->text(Name).trimmed();
        if (name.isEmpty()) {
            fill();
            return;
        }
        after[i].name = name.toStdString();
        setBudgets(after, tr("Rename budget"));
    } else if (column == Amount) {
        QString t = item->text(Amount);
        t.remove(QLatin1Char('$')).remove(QLatin1Char(',')).remove(QLatin1Char(' '));
        bool ok = false;
        const double usd = t.toDouble(&ok);
        if (!ok || usd <= 0) {
            fill(); // not an amount: show the old one again
            return;
        }
        after[i].amountNusd = int64_t(std::llround(usd * 1e9));
        setBudgets(after, tr("Change amount of %1").arg(QString::fromStdString(after[i].name)));
    } else {
        fill();
    }
}

void BudgetsView::setBudgets(const std::vector<Budget> &after, const QString &text)
{
    if (after == m_budgets)
        return;
    m_undo->push(new SetBudgets(this, m_budgets, after, text));
}

void BudgetsView::apply(const std::vector<Budget> &budgets)
{
    m_budgets = budgets;
    if (!m_runner)
        return;
    m_settled = false;
    m_runner->run<int>(
        QStringLiteral("budgets:save"),
        [budgets](Workspace &ws) {
            // A file's "each" lines become one budget per member here, where
            // the workspace knows the members.
            BudgetStore::save(ws, expandEach(ws, budgets, nullptr));
            return 0;
        },
        [this](int &) { reload(); });
}

bool BudgetsView::importFile(const QString &path, QString *error)
{
    // The catalog check needs the workspace; the runner's copy answers.
    const BudgetLoad l = BudgetFile::load(path.toStdString());
    if (!l.ok) {
        *error = QString::fromStdString(l.error);
        return false;
    }
    setBudgets(l.budgets, tr("Import budgets"));
    return true;
}

bool BudgetsView::exportFile(const QString &path, QString *error)
{
    const std::string e = BudgetFile::save(path.toStdString(), m_budgets, m_pools);
    if (!e.empty()) {
        *error = QString::fromStdString(e);
        return false;
    }
    return true;
}

BudgetDialog *BudgetsView::openBudgetDialog(int index)
{
    Budget b;
    std::vector<Budget> others = m_budgets;
    if (index >= 0 && size_t(index) < m_budgets.size()) {
        b = m_budgets[size_t(index)];
        others.erase(others.begin() + index);
    } else {
        index = -1;
        int n = 1;
        b.name = "New budget";
        const auto taken = [&](const std::string &x) {
            return std::any_of(others.begin(), others.end(),
                               [&](const Budget &o) { return o.name == x; });
        };
        while (taken(b.name))
            b.name = "New budget " + std::to_string(++n);
        // The filter's single names are the likely scope: a team's budget
        // is made while looking at that team.
        for (Dimension d : kBudgetScopeDimensions) {
            const auto it = m_filter.include.find(d);
            if (it != m_filter.include.end() && it->second.size() == 1)
                b.scope[d] = it->second.front();
        }
        b.amountNusd = 0; // the user says how much
    }
    auto *dialog = new BudgetDialog(b, others, &m_catalog, m_runner, this);
    dialog->setObjectName(QStringLiteral("budgetDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const std::string original = index >= 0 ? b.name : std::string();
    connect(dialog, &QDialog::accepted, this, [this, dialog, original] {
        const Budget edited = dialog->budget();
        std::vector<Budget> after = m_budgets;
        // By name: the list may have been reloaded while the dialog was open.
        const auto it = std::find_if(after.begin(), after.end(),
                                     [&](const Budget &o) { return o.name == original; });
        if (!original.empty() && it != after.end()) {
            *it = edited;
            setBudgets(after, tr("Edit %1").arg(QString::fromStdString(edited.name)));
        } else {
            after.push_back(edited);
            setBudgets(after, tr("Add %1").arg(QString::fromStdString(edited.name)));
        }
    });
    dialog->open();
    return dialog;
}

void BudgetsView::editSelected()
{
    const int i = budgetIndexOf(m_tree->currentItem());
    if (i >= 0)
        openBudgetDialog(i);
}

void BudgetsView::removeSelected()
{
    const int i = budgetIndexOf(m_tree->currentItem());
    if (i < 0)
        return;
    std::vector<Budget> after = m_budgets;
    const QString name = QString::fromStdString(after[i].name);
    after.erase(after.begin() + i);
    setBudgets(after, tr("Remove %1").arg(name));
}

} // namespace tl
