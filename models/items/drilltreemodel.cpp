#include "drilltreemodel.h"

#include "core/efficiency.h"
#include "core/timeutil.h"
#include "items/roles.h"

#include <QLocale>

#include <cmath>

namespace tl {

struct DrillTreeModel::Node
{
    Node *parent = nullptr;
    int row = 0;
    DrillPath path;
    QString name;
    Measures m, previous;
    std::optional<int64_t> infra;
    std::optional<int64_t> callId;
    int64_t restCount = 0;
    enum class State { NotLoaded, Loading, Loaded } state = State::NotLoaded;
    std::vector<std::unique_ptr<Node>> children;
};

DrillTreeModel::DrillTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{
    m_root->state = Node::State::Loaded;
}

DrillTreeModel::~DrillTreeModel() = default;

void DrillTreeModel::reset(std::vector<Dimension> levels, const Measures &total,
                           const Measures &previous, bool hasPrevious, std::optional<int64_t> infra)
{
    beginResetModel();
    ++m_generation;
    m_levels = std::move(levels);
    m_hasPrevious = hasPrevious;
    m_root = std::make_unique<Node>();
    m_root->state = Node::State::Loaded;
    auto org = std::make_unique<Node>();
    org->parent = m_root.get();
    org->name = tr("Organisation");
    org->m = total;
    org->previous = previous;
    org->infra = infra;
    m_hasInfra = infra.has_value();
    m_root->children.push_back(std::move(org));
    endResetModel();
}

void DrillTreeModel::clear()
{
    beginResetModel();
    ++m_generation;
    m_root = std::make_unique<Node>();
    m_root->state = Node::State::Loaded;
    endResetModel();
}

bool DrillTreeModel::isLeaf(const Node *n) const
{
    if (n->callId || n->restCount)
        return true;
    const size_t depth = n->path.size();
    if (depth < m_levels.size())
        return false;
    // Below the last level come the calls, when that level is the task.
    return m_levels.empty() || m_levels.back() != Dimension::Task || depth > m_levels.size();
}

std::optional<Dimension> DrillTreeModel::childLevel(const QModelIndex &index) const
{
    Node *n = nodeOf(index);
    if (!n || n == m_root.get() || n->callId || n->path.size() >= m_levels.size())
        return std::nullopt;
    return m_levels[n->path.size()];
}

bool DrillTreeModel::childrenAreCalls(const QModelIndex &index) const
{
    Node *n = nodeOf(index);
    return n && n != m_root.get() && !n->callId && !isLeaf(n) && n->path.size() == m_levels.size();
}

bool DrillTreeModel::isRest(const QModelIndex &index) const
{
    Node *n = nodeOf(index);
    return n && n->restCount > 0;
}

bool DrillTreeModel::childrenLoaded(const QModelIndex &index) const
{
    Node *n = nodeOf(index);
    return n && n->state == Node::State::Loaded;
}

void DrillTreeModel::reload(const DrillPath &path)
{
    Node *n = find(path);
    if (!n || n->state != Node::State::Loaded)
        return;
    if (!n->children.empty()) {
        beginRemoveRows(indexOfNode(n), 0, int(n->children.size()) - 1);
        n->children.clear();
        endRemoveRows();
    }
    n->state = Node::State::NotLoaded;
}

DrillTreeModel::Node *DrillTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

DrillTreeModel::Node *DrillTreeModel::find(const DrillPath &path) const
{
    if (m_root->children.empty())
        return nullptr;
    Node *n = m_root->children.front().get();
    for (size_t depth = 0; depth < path.size(); ++depth) {
        Node *next = nullptr;
        for (auto &c : n->children)
            if (!c->callId && c->path.size() == depth + 1 && c->path.back() == path[depth]) {
                next = c.get();
                break;
            }
        if (!next)
            return nullptr;
        n = next;
    }
    return n;
}

QModelIndex DrillTreeModel::indexOfNode(Node *n) const
{
    return n && n != m_root.get() ? createIndex(n->row, 0, n) : QModelIndex();
}

QModelIndex DrillTreeModel::indexOf(const DrillPath &path) const
{
    DrillPath p = path;
    while (!find(p) && !p.empty())
        p.pop_back();
    return indexOfNode(find(p));
}

void DrillTreeModel::setChildren(quint64 generation, const DrillPath &path,
                                 const std::vector<DrillRow> &rows)
{
    Node *n = find(path);
    if (generation != m_generation || !n || n->state == Node::State::Loaded)
        return;
    n->state = Node::State::Loaded;
    const Dimension level = m_levels[path.size()];
    if (rows.empty())
        return;
    beginInsertRows(indexOfNode(n), 0, int(rows.size()) - 1);
    for (const auto &r : rows) {
        auto c = std::make_unique<Node>();
        c->parent = n;
        c->row = int(n->children.size());
        c->path = path;
        c->restCount = r.restCount;
        if (r.restCount) {
            // Not a node of its own: its path is its parent's, so that it
            // is never found as a step, and its chart is the parent's.
            c->name = tr("… and %1 more %2s")
                          .arg(QLocale().toString(qlonglong(r.restCount)),
                               QString::fromUtf8(dimensionName(level)));
        } else {
            c->path.emplace_back(level, r.name);
            c->name = QString::fromStdString(r.name);
        }
        c->m = r.m;
        c->previous = r.previous;
        c->infra = r.infraNusd;
        n->children.push_back(std::move(c));
    }
    endInsertRows();
}

void DrillTreeModel::setCallChildren(quint64 generation, const DrillPath &path,
                                     const std::vector<RequestRow> &calls)
{
    Node *n = find(path);
    if (generation != m_generation || !n || n->state == Node::State::Loaded)
        return;
    n->state = Node::State::Loaded;
    if (calls.empty())
        return;
    beginInsertRows(indexOfNode(n), 0, int(calls.size()) - 1);
    for (const auto &r : calls) {
        auto c = std::make_unique<Node>();
        c->parent = n;
        c->row = int(n->children.size());
        c->path = path;
        c->callId = r.id;
        const QString ts = QString::fromStdString(formatTimestamp(r.tsMs));
        c->name = r.requestId.empty()
                      ? ts
                      : QStringLiteral("%1  %2").arg(ts, QString::fromStdString(r.requestId));
        c->m[MRecords] = 1;
        c->m[MRequests] = r.requests;
        c->m[MInputTokens] = r.input;
        c->m[MCachedInputTokens] = r.cached;
        c->m[MOutputTokens] = r.output;
        c->m[MCostNusd] = r.costNusd;
        n->children.push_back(std::move(c));
    }
    endInsertRows();
}

std::optional<bool> DrillTreeModel::amountLess(const QModelIndex &a, const QModelIndex &b,
                                               int column) const
{
    const Node *x = nodeOf(a), *y = nodeOf(b);
    if (!x || !y)
        return std::nullopt;
    const auto key = [column](const Node *n) -> std::optional<int64_t> {
        switch (column) {
        case Cost:
            return n->m[MCostNusd];
        case Infra:
            return n->infra ? *n->infra : -1; // as SortRole: no bill sorts below $0
        case Requests:
            return n->m[MRequests];
        case Input:
            return n->m[MInputTokens];
        case Cached:
            return n->m[MCachedInputTokens];
        case Output:
            return n->m[MOutputTokens];
        default:
            return std::nullopt;
        }
    };
    const auto kx = key(x), ky = key(y);
    if (!kx || !ky)
        return std::nullopt;
    return *kx < *ky;
}

DrillPath DrillTreeModel::pathOf(const QModelIndex &index) const
{
    Node *n = nodeOf(index);
    return n ? n->path : DrillPath{};
}

std::optional<int64_t> DrillTreeModel::callIdOf(const QModelIndex &index) const
{
    Node *n = nodeOf(index);
    return n ? n->callId : std::nullopt;
}

QModelIndex DrillTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    Node *p = nodeOf(parent);
    if (!p || row < 0 || row >= int(p->children.size()) || column < 0 || column >= ColumnCount)
        return {};
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex DrillTreeModel::parent(const QModelIndex &child) const
{
    Node *n = nodeOf(child);
    if (!child.isValid() || !n->parent || n->parent == m_root.get())
        return {};
    return createIndex(n->parent->row, 0, n->parent);
}

int DrillTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    Node *n = nodeOf(parent);
    return n ? int(n->children.size()) : 0;
}

int DrillTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool DrillTreeModel::hasChildren(const QModelIndex &parent) const
{
    Node *n = nodeOf(parent);
    if (!n)
        return false;
    if (n == m_root.get())
        return !n->children.empty();
    if (n->state == Node::State::Loaded)
        return !n->children.empty();
    return !isLeaf(n);
}

bool DrillTreeModel::canFetchMore(const QModelIndex &parent) const
{
    Node *n = nodeOf(parent);
    return n && n != m_root.get() && n->state == Node::State::NotLoaded && !isLeaf(n);
}

void DrillTreeModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    Node *n = nodeOf(parent);
    n->state = Node::State::Loading;
    Q_EMIT childrenNeeded(m_generation, n->path);
}

QVariant DrillTreeModel::data(const QModelIndex &index, int role) const
{
    Node *n = nodeOf(index);
    if (!index.isValid() || !n)
        return {};
    const Measures &m = n->m;
    const int64_t parentCost =
        n->parent && n->parent != m_root.get() ? n->parent->m[MCostNusd] : m[MCostNusd];
    const double share = parentCost > 0 ? double(m[MCostNusd]) / double(parentCost) : 0.0;
    const int64_t prevCost = n->previous[MCostNusd];
    const bool hasChange = m_hasPrevious && !n->callId && prevCost > 0;
    const double change = hasChange ? double(m[MCostNusd] - prevCost) / double(prevCost) : 0.0;
    const double avg = m[MRequests] > 0 ? double(m[MCostNusd]) / double(m[MRequests]) : 0.0;
    const int col = index.column();
    const bool unknown = costUnknown(m);
    QLocale loc;
    if (col >= TokensPerSuccess && !n->callId)
        return efficiencyData(col, role, Efficiency::of(m),
                              m_hasPrevious ? std::optional(Efficiency::of(n->previous))
                                            : std::nullopt);
    if (role == Qt::DisplayRole) {
        switch (col) {
        case Name:
            return n->state == Node::State::Loading ? tr("%1  (loading…)").arg(n->name) : n->name;
        case Cost:
            return unknown ? tr("unpriced") : QString::fromStdString(formatUsd(m[MCostNusd]));
        case Infra:
            return n->infra ? QString::fromStdString(formatUsd(*n->infra)) : QStringLiteral("—");
        case Share:
            return unknown ? QStringLiteral("—")
                           : loc.toString(share * 100.0, 'f', 1) + QLatin1Char('%');
        case Requests:
            return loc.toString(qlonglong(m[MRequests]));
        case Input:
            return loc.toString(qlonglong(m[MInputTokens]));
        case Cached:
            return loc.toString(qlonglong(m[MCachedInputTokens]));
        case Output:
            return loc.toString(qlonglong(m[MOutputTokens]));
        case AvgCost:
            return unknown ? QStringLiteral("—")
                           : QString::fromStdString(formatUsd(int64_t(avg + 0.5), 4));
        case Change:
            if (!hasChange)
                return m_hasPrevious && !n->callId && m[MCostNusd] > 0 ? tr("new")
                                                                       : QStringLiteral("—");
            return (change >= 0 ? QStringLiteral("+") : QString()) +
                   loc.toString(change * 100.0, 'f', 1) + QLatin1Char('%');
        }
    }
    if (role == SortRole || role == ExportRole) {
        switch (col) {
        case Name:
            return n->name;
        case Cost:
            if (role == ExportRole && unknown)
                return QString(); // an empty cell in the CSV, never 0
            return role == SortRole ? QVariant(qlonglong(m[MCostNusd]))
                                    : QVariant(double(m[MCostNusd]) / 1e9);
        case Infra:
            if (!n->infra)
                return role == SortRole ? QVariant(qlonglong(-1)) : QVariant(QString());
            return role == SortRole ? QVariant(qlonglong(*n->infra))
                                    : QVariant(double(*n->infra) / 1e9);
        case Share:
            return role == ExportRole && unknown ? QVariant(QString()) : QVariant(share);
        case Requests:
            return qlonglong(m[MRequests]);
        case Input:
            return qlonglong(m[MInputTokens]);
        case Cached:
            return qlonglong(m[MCachedInputTokens]);
        case Output:
            return qlonglong(m[MOutputTokens]);
        case AvgCost:
            return role == ExportRole && unknown ? QVariant(QString()) : QVariant(avg / 1e9);
        case Change:
            return hasChange ? QVariant(change) : QVariant(QString());
        }
    }
    if (role == IdRole && n->callId)
        return qlonglong(*n->callId);
    if (role == Qt::TextAlignmentRole && col != Name)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && col == Cost && m[MUnpricedRequests] > 0)
        return unknown ? tr("No price for these calls: add it in File → Prices…")
                       : tr("Without %1 unpriced calls, whose cost is unknown")
                             .arg(loc.toString(qlonglong(m[MUnpricedRequests])));
    if (role == Qt::ToolTipRole && col == Infra)
        return n->infra ? tr("Infrastructure cost from the imported cloud bills (FOCUS), by "
                             "their tags")
               : m_hasInfra || n->callId
                   ? tr("A cloud bill says nothing of single calls, tasks, models or users")
                   : tr("No cloud bill imported: import a FOCUS export (AWS, Azure, Google "
                        "Cloud) to see infrastructure cost here");
    if (role == Qt::ToolTipRole && col == Name && n->restCount)
        return tr("The %1 costliest are listed and the cheaper rest summed here. Double-click "
                  "(or Enter) to list every one")
            .arg(QLocale().toString(qlonglong(n->parent->children.size() - 1)));
    if (role == Qt::ToolTipRole && col == Name && !n->callId && !n->path.empty())
        return tr("%1: %2").arg(QString::fromUtf8(dimensionName(n->path.back().first)), n->name);
    return {};
}

// One efficiency cell: the figure, and its change against the previous
// period in brackets ("2,310 (+12%)"); sorted and exported by the figure.
QVariant DrillTreeModel::efficiencyData(int col, int role, const Efficiency &now,
                                        const std::optional<Efficiency> &before) const
{
    const auto pick = [col](const Efficiency &e) {
        switch (col) {
        case TokensPerSuccess:
            return e.tokensPerSuccess;
        case CallsPerTask:
            return e.callsPerTask;
        case RetriesPerTask:
            return e.retriesPerTask;
        default:
            return e.cachedShare;
        }
    };
    const std::optional<double> v = pick(now);
    if (role == Qt::TextAlignmentRole)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == SortRole)
        return v ? QVariant(*v) : QVariant(-1.0);
    if (role == ExportRole)
        return v ? QVariant(*v) : QVariant(QString());
    if (role == Qt::ToolTipRole)
        return col == CachedShare ? tr("Cached input tokens / input tokens")
                                  : tr("A task is a call that logged an outcome; without "
                                       "outcomes this is unknown (—)");
    if (role != Qt::DisplayRole)
        return {};
    if (!v)
        return QStringLiteral("—");
    QLocale loc;
    QString text = col == CachedShare        ? loc.toString(*v * 100, 'f', 1) + QLatin1Char('%')
                   : col == TokensPerSuccess ? loc.toString(qlonglong(std::llround(*v)))
                                             : loc.toString(*v, 'f', 2);
    const std::optional<double> p = before ? pick(*before) : std::nullopt;
    if (p && *p > 0) {
        const double change = (*v - *p) / *p;
        text += QStringLiteral(" (%1%2%)")
                    .arg(change >= 0 ? QStringLiteral("+") : QString(),
                         loc.toString(change * 100, 'f', 0));
    }
    return text;
}

QVariant DrillTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 ||
        section >= ColumnCount)
        return {};
    static const char *names[ColumnCount] = {QT_TR_NOOP("Name"),
                                             QT_TR_NOOP("Cost (USD)"),
                                             QT_TR_NOOP("Infra (USD)"),
                                             QT_TR_NOOP("Share of parent"),
                                             QT_TR_NOOP("Requests"),
                                             QT_TR_NOOP("Input tokens"),
                                             QT_TR_NOOP("Cached tokens"),
                                             QT_TR_NOOP("Output tokens"),
                                             QT_TR_NOOP("Avg cost / request"),
                                             QT_TR_NOOP("Change vs previous"),
                                             QT_TR_NOOP("Tokens / success"),
                                             QT_TR_NOOP("Calls / task"),
                                             QT_TR_NOOP("Failed / task"),
                                             QT_TR_NOOP("Cached input")};
    return tr(names[section]);
}

} // namespace tl
