#include "exploreview.h"
#include "query/infraquery.h"

#include <QScrollBar>

#include "calldetailpanel.h"
#include "chartfactory.h"
#include "items/drilltreemodel.h"
#include "items/queryrunner.h"
#include "items/roles.h"
#include "query/coverage.h"
#include "query/overviewquery.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>

#include "items/drillsortproxy.h"
#include <QSplitter>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <unordered_map>

namespace tl {

namespace {

const QString kSeparator = QStringLiteral(" › ");
// Rows a column is sized from (see the header set-up below).
constexpr int kMeasuredRows = 100;

struct RootTotals
{
    Measures now, previous;
    bool hasPrevious = false;
    std::optional<int64_t> infra;
};

struct NodeSeries
{
    std::vector<int64_t> buckets, cost;
    TimeBucket bucket;
};

} // namespace

ExploreView::ExploreView(QWidget *parent)
    : View(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Levels"), this));
    m_levels = new QComboBox(this);
    m_levels->setObjectName(QStringLiteral("levels"));
    m_levels->setEditable(true);
    m_levels->setInsertPolicy(QComboBox::NoInsert);
    m_levels->setMinimumContentsLength(28);
    m_levels->setToolTip(tr("The drill-down order: any dimensions separated by ›, > or commas, "
                            "e.g. model › agent › user. A task level last lists its calls."));
    for (const char *preset :
         {"team › feature › agent › task", "model › agent › task", "provider › model › agent",
          "feature › agent › task", "user › agent › task", "agent › task", "model › agent › user"})
        m_levels->addItem(QString::fromUtf8(preset));
    top->addWidget(m_levels);
    top->addSpacing(12);
    m_crumbs = new QHBoxLayout;
    m_crumbs->setSpacing(0);
    top->addLayout(m_crumbs, 1);
    layout->addLayout(top);

    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->setObjectName(QStringLiteral("exploreSplit"));
    auto *left = new QSplitter(Qt::Vertical, m_split);
    left->setObjectName(QStringLiteral("exploreLeft"));
    m_chart = new QChartView(left);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(160);
    auto *treeBox = new QWidget(left);
    auto *treeLayout = new QVBoxLayout(treeBox);
    treeLayout->setContentsMargins(0, 0, 0, 0);
    m_message = new QLabel(treeBox);
    m_message->setWordWrap(true);
    m_message->hide();
    treeLayout->addWidget(m_message);
    m_tree = new QTreeView(treeBox);
    treeLayout->addWidget(m_tree, 1);
    m_model = new DrillTreeModel(this);
    m_proxy = new DrillSortProxy(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SortRole);
    m_tree->setModel(m_proxy);
    m_tree->setSortingEnabled(true);
    m_tree->sortByColumn(DrillTreeModel::Cost, Qt::DescendingOrder);
    m_tree->setAlternatingRowColors(true);
    m_tree->setUniformRowHeights(true);
    // Double-click (or Enter) drills into a row; the arrow expands it in place.
    m_tree->setExpandsOnDoubleClick(false);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Sized from the rows on screen and a few around them, not Qt's default
    // 1,000: a busy agent's 30,000 tasks spent 50 ms of every drill formatting
    // 13 columns of 1,000 rows. Rows come costliest first, so the widest
    // amounts are among those measured.
    m_tree->header()->setResizeContentsPrecision(kMeasuredRows);
    // Names get a fixed, user-resizable width (a stretched column shrinks
    // to nothing on a narrow window); numbers size to their contents.
    m_tree->header()->setSectionResizeMode(DrillTreeModel::Name, QHeaderView::Interactive);
    m_tree->header()->resizeSection(DrillTreeModel::Name,
                                    26 * fontMetrics().horizontalAdvance(QLatin1Char('n')));
    left->setStretchFactor(0, 1);
    left->setStretchFactor(1, 3);
    m_detail = new CallDetailPanel(m_split);
    m_detail->hide();
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 2);
    layout->addWidget(m_split, 1);

    connect(m_model, &DrillTreeModel::childrenNeeded, this, &ExploreView::loadChildren);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ExploreView::selectionChanged);
    connect(m_tree, &QTreeView::activated, this, [this](const QModelIndex &i) {
        const QModelIndex s = m_proxy->mapToSource(i);
        if (m_model->isRest(s))
            listAll(m_model->pathOf(s));
        else if (m_model->hasChildren(s) && !m_model->callIdOf(s))
            focusPath(m_model->pathOf(s));
    });
    connect(m_levels, &QComboBox::activated, this,
            [this] { setHierarchy(m_levels->currentText()); });
    connect(m_levels->lineEdit(), &QLineEdit::returnPressed, this,
            [this] { setHierarchy(m_levels->currentText()); });
}

std::optional<std::vector<Dimension>> ExploreView::parseHierarchy(const QString &text,
                                                                  QString *error)
{
    QString t = text;
    t.replace(QStringLiteral("›"), QStringLiteral(","));
    t.replace(QLatin1Char('>'), QLatin1Char(','));
    std::vector<Dimension> out;
    for (const QString &part : t.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString name = part.trimmed().toLower();
        auto d = dimensionFromName(name.toStdString());
        if (!d || *d == Dimension::Status) {
            if (error)
                *error = tr("“%1” is not a dimension (team, feature, agent, task, model, "
                            "provider, user)")
                             .arg(part.trimmed());
            return std::nullopt;
        }
        if (std::find(out.begin(), out.end(), *d) != out.end()) {
            if (error)
                *error = tr("“%1” is listed twice").arg(name);
            return std::nullopt;
        }
        out.push_back(*d);
    }
    if (out.empty()) {
        if (error)
            *error = tr("name at least one level, e.g. team › agent");
        return std::nullopt;
    }
    return out;
}

QString ExploreView::hierarchyText() const
{
    auto levels = parseHierarchy(m_levels->currentText());
    if (!levels)
        levels = m_model->levels();
    QStringList parts;
    for (Dimension d : *levels)
        parts << QString::fromUtf8(dimensionName(d));
    return parts.join(kSeparator);
}

bool ExploreView::setHierarchy(const QString &text)
{
    QString error;
    auto levels = parseHierarchy(text, &error);
    if (!levels) {
        m_levels->setToolTip(error);
        m_levels->setStyleSheet(QStringLiteral("QComboBox { border: 1px solid #C0392B; }"));
        return false;
    }
    m_levels->setStyleSheet({});
    QStringList parts;
    for (Dimension d : *levels)
        parts << QString::fromUtf8(dimensionName(d));
    m_levels->setEditText(parts.join(kSeparator));
    m_focus.clear();
    m_listAll.clear();
    reload();
    return true;
}

void ExploreView::setRunner(QueryRunner *runner)
{
    m_runner = runner;
    m_detail->setRunner(runner);
}

void ExploreView::setFilter(const ViewFilter &filter)
{
    m_filter = filter;
    reload();
}

void ExploreView::refresh(const ViewFilter &filter)
{
    // The drill path survives a reload already (reload() keeps the focus);
    // the selected row below it and the scroll position are put back once
    // the new figures are in.
    const QModelIndex current = m_proxy->mapToSource(m_tree->currentIndex());
    const DrillPath selected = current.isValid() ? m_model->pathOf(current) : DrillPath();
    const int scroll = m_tree->verticalScrollBar()->value();
    auto once = std::make_shared<QMetaObject::Connection>();
    *once = connect(this, &View::settled, this, [this, once, selected, scroll] {
        disconnect(*once);
        const QModelIndex src = sourceIndex(selected);
        if (!selected.empty() && m_model->pathOf(src) == selected)
            m_tree->setCurrentIndex(m_proxy->mapFromSource(src));
        m_tree->verticalScrollBar()->setValue(scroll);
    });
    m_filter = filter;
    reload();
}

QAbstractItemModel *ExploreView::exportModel()
{
    return m_proxy;
}

bool ExploreView::isSettled() const
{
    return m_rootLoaded && m_inflight.empty() && !m_drillTarget;
}

void ExploreView::reload()
{
    if (!m_runner)
        return;
    auto levels = parseHierarchy(m_levels->currentText());
    if (!levels)
        levels = parseHierarchy(m_levels->itemText(0));
    m_rootLoaded = false;
    m_inflight.clear();
    const CallFilter f = m_filter.callFilter();
    m_runner->run<RootTotals>(
        QStringLiteral("explore:root"),
        [f](Workspace &ws) {
            RootTotals t;
            t.now = SummaryQuery::run(ws, f, {}).totals;
            if (InfraQuery::hasAny(ws))
                t.infra = InfraQuery::totalNusd(ws, f);
            // The change column only against a period the data covers as
            // well as this one (the Overview's rule).
            const PeriodComparison c = PeriodComparison::of(ws, f);
            if (c.previous && c.comparable) {
                t.hasPrevious = true;
                t.previous = SummaryQuery::run(ws, *c.previous, {}).totals;
            }
            return t;
        },
        [this, levels = *levels](RootTotals &t) {
            m_message->hide();
            const DrillPath keepFocus = m_focus;
            m_model->reset(levels, t.now, t.previous, t.hasPrevious, t.infra);
            m_rootLoaded = true;
            m_detail->clear();
            m_detail->hide();
            // Keep the user's place across filter changes where it still exists.
            DrillPath focus;
            for (const auto &step : keepFocus)
                if (focus.size() < levels.size() && levels[focus.size()] == step.first)
                    focus.push_back(step);
            focusPath(focus);
        },
        [this](const QString &error) { showFailure(error); });
}

QModelIndex ExploreView::exportParent() const
{
    const QModelIndex root = m_tree->rootIndex();
    return root.isValid() ? root : m_proxy->index(0, 0);
}

QString ExploreView::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void ExploreView::showFailure(const QString &error)
{
    m_model->clear();
    m_inflight.clear();
    m_rootLoaded = true;
    m_detail->clear();
    m_detail->hide();
    ChartFactory::setChart(m_chart, new QChart);
    m_message->setText(failureText(error));
    m_message->show();
    Q_EMIT settled();
}

void ExploreView::drillTo(Dimension d)
{
    m_drillTarget = d;
    m_focus.clear(); // from the top, down the one branch the filter leaves
}

void ExploreView::continueDrill()
{
    if (!m_drillTarget)
        return;
    const Dimension target = *m_drillTarget;
    const auto &levels = m_model->levels();
    const auto stop = [this] {
        m_drillTarget.reset();
        if (isSettled())
            Q_EMIT settled();
    };
    if ((!m_focus.empty() && m_focus.back().first == target) ||
        std::find(levels.begin(), levels.end(), target) == levels.end())
        return stop(); // there, or not a level of this hierarchy
    const QModelIndex src = sourceIndex(m_focus);
    if (m_model->pathOf(src) != m_focus)
        return; // the focus node's rows are still coming
    if (m_model->canFetchMore(src))
        return m_model->fetchMore(src); // arrived() calls back
    if (!m_inflight.empty())
        return; // its rows are on their way; arrived() calls back
    // One row: the filter's entity (or its only parent) — go in. Several:
    // the user chooses, from here.
    if (m_model->rowCount(src) != 1)
        return stop();
    focusPath(m_model->pathOf(m_model->index(0, 0, src)));
}

void ExploreView::listAll(const DrillPath &path)
{
    m_listAll.insert(path);
    m_model->reload(path);
    const QModelIndex src = sourceIndex(path);
    if (m_model->pathOf(src) == path && m_model->canFetchMore(src))
        m_model->fetchMore(src);
}

QModelIndex ExploreView::sourceIndex(const DrillPath &path) const
{
    return m_model->indexOf(path);
}

void ExploreView::focusPath(const DrillPath &path)
{
    m_focus = path;
    // Load each step's children until the focus node exists (nodes deeper
    // than the loaded part are found once their parent's rows arrive).
    QModelIndex src = sourceIndex(path);
    if (m_model->pathOf(src) != path && m_model->childrenLoaded(src) && src.isValid()) {
        // The step is not among the rows: among the summed rest of a long
        // list (list them all, then come back), or gone under this filter
        // (stop at the deepest place that still exists).
        const int rows = m_model->rowCount(src);
        const DrillPath found = m_model->pathOf(src);
        if (rows > 0 && m_model->isRest(m_model->index(rows - 1, 0, src)) &&
            !m_listAll.contains(found)) {
            rebuildCrumbs();
            return listAll(found); // loadChildren() calls back when the rows arrive
        }
        m_focus = found;
    }
    if (m_model->pathOf(src) != m_focus) {
        if (m_model->canFetchMore(src))
            m_model->fetchMore(src);
        rebuildCrumbs();
        return; // loadChildren() calls back when the rows arrive
    }
    if (m_focus.empty()) {
        // The Organisation row stays visible above its teams.
        m_tree->setRootIndex({});
        m_tree->expand(m_proxy->mapFromSource(src));
    } else {
        m_tree->setRootIndex(m_proxy->mapFromSource(src));
    }
    if (m_model->canFetchMore(src))
        m_model->fetchMore(src);
    m_tree->setCurrentIndex(m_proxy->mapFromSource(src));
    rebuildCrumbs();
    selectionChanged();
    if (m_drillTarget)
        continueDrill();
    else if (isSettled())
        Q_EMIT settled();
}

void ExploreView::loadChildren(quint64 generation, const DrillPath &path)
{
    const CallFilter filter = m_filter.callFilter();
    const QModelIndex src = sourceIndex(path);
    const QString channel = QStringLiteral("explore:%1:%2").arg(generation).arg(path.size());
    QString key = channel;
    for (const auto &[d, n] : path)
        key += QLatin1Char('/') + QString::fromStdString(n);
    m_inflight.insert(key);
    auto arrived = [this, path, key] {
        if (m_inflight.erase(key) == 0)
            return; // asked for before a reload: the reloaded rows settle the view
        if (!m_focus.empty() && path.size() < m_focus.size() &&
            std::equal(path.begin(), path.end(), m_focus.begin()))
            focusPath(m_focus); // the next step of a focus set before its rows existed
        else if (m_drillTarget)
            continueDrill(); // waits until nothing is in flight
        else if (isSettled())
            Q_EMIT settled();
    };
    if (m_model->childrenAreCalls(src)) {
        m_runner->run<RequestPage>(
            key,
            [filter, path](Workspace &ws) {
                return RequestQuery::page(ws, DrillQuery::narrow(filter, path),
                                          RequestSort::TimeAsc, {}, {}, 2000);
            },
            [this, generation, path, arrived](RequestPage &p) {
                m_model->setCallChildren(generation, path, p.rows);
                arrived();
            },
            [this](const QString &error) { showFailure(error); });
        return;
    }
    const auto next = m_model->childLevel(src);
    if (!next) {
        m_inflight.erase(key);
        return;
    }
    const Dimension level = *next;
    const size_t limit = m_listAll.contains(path) ? SIZE_MAX : DrillQuery::kShownRows;
    m_runner->run<std::vector<DrillRow>>(
        key,
        [filter, path, level, limit](Workspace &ws) {
            return DrillQuery::children(ws, filter, path, level, limit);
        },
        [this, generation, path, arrived](std::vector<DrillRow> &rows) {
            m_model->setChildren(generation, path, rows);
            if (path.empty())
                m_tree->expand(m_proxy->mapFromSource(sourceIndex(path)));
            arrived();
        },
        [this](const QString &error) { showFailure(error); });
}

QStringList ExploreView::breadcrumb() const
{
    QStringList out;
    for (int i = 0; i < m_crumbs->count(); ++i)
        if (auto *b = qobject_cast<QToolButton *>(m_crumbs->itemAt(i)->widget()))
            out << b->text();
    return out;
}

void ExploreView::rebuildCrumbs()
{
    QLayoutItem *item;
    while ((item = m_crumbs->takeAt(0)) != nullptr) {
        if (item->widget()) {
            item->widget()->hide(); // deleteLater() runs only in the top event loop
            item->widget()->deleteLater();
        }
        delete item;
    }
    for (size_t depth = 0; depth <= m_focus.size(); ++depth) {
        if (depth) {
            auto *sep = new QLabel(kSeparator, this);
            m_crumbs->addWidget(sep);
        }
        auto *b = new QToolButton(this);
        b->setObjectName(QStringLiteral("crumb"));
        b->setAutoRaise(true);
        b->setText(depth == 0 ? tr("Organisation")
                              : QString::fromStdString(m_focus[depth - 1].second));
        if (depth)
            b->setToolTip(QString::fromUtf8(dimensionName(m_focus[depth - 1].first)));
        if (depth == m_focus.size()) {
            QFont f = b->font();
            f.setBold(true);
            b->setFont(f);
        }
        const DrillPath target(m_focus.begin(), m_focus.begin() + long(depth));
        connect(b, &QToolButton::clicked, this, [this, target] { focusPath(target); });
        m_crumbs->addWidget(b);
    }
    m_crumbs->addStretch(1);
}

void ExploreView::selectionChanged()
{
    const QModelIndex src = m_proxy->mapToSource(m_tree->currentIndex());
    if (auto id = m_model->callIdOf(src)) {
        m_detail->show();
        m_detail->showCall(*id);
        return;
    }
    m_detail->hide();
    const DrillPath path = src.isValid() ? m_model->pathOf(src) : m_focus;
    QStringList names;
    for (const auto &[d, n] : path)
        names << QString::fromStdString(n);
    loadChart(path, names.isEmpty() ? tr("Organisation: spend over time")
                                    : tr("%1: spend over time").arg(names.join(kSeparator)));
}

void ExploreView::loadChart(const DrillPath &path, const QString &title)
{
    const CallFilter f = DrillQuery::narrow(m_filter.callFilter(), path);
    const TimeBucket bucket = m_filter.granularity;
    m_runner->run<NodeSeries>(
        QStringLiteral("explore:chart"),
        [f, bucket](Workspace &ws) {
            NodeSeries s;
            s.bucket = bucket;
            CallFilter g = f;
            if (!g.fromDay || !g.toDay) {
                auto b = dataDayBounds(ws);
                if (!b)
                    return s;
                g.fromDay = g.fromDay.value_or(b->first);
                g.toDay = g.toDay.value_or(b->second);
            }
            s.buckets = OverviewQuery::bucketStarts(*g.fromDay, *g.toDay, bucket);
            s.cost.assign(s.buckets.size(), 0);
            SummaryResult r = SummaryQuery::run(ws, g, {GroupKey{std::nullopt, bucket}});
            std::unordered_map<int64_t, size_t> at;
            for (size_t i = 0; i < s.buckets.size(); ++i)
                at[s.buckets[i]] = i;
            for (const auto &row : r.rows)
                if (auto it = at.find(row.keyValues[0]); it != at.end())
                    s.cost[it->second] += row.m[MCostNusd];
            return s;
        },
        [this, title](NodeSeries &s) {
            ChartFactory::setChart(
                m_chart, ChartFactory::spendOverTime(s.buckets, s.cost, s.bucket,
                                                     std::max(200, m_chart->width() - 100), title));
        });
}

} // namespace tl
