#pragma once

#include "query/drillquery.h"
#include "query/requestquery.h"

#include <QAbstractItemModel>

#include <memory>
#include <optional>
#include <vector>

namespace tl {

struct Efficiency;

// The Explore tree: Organisation, then one level per dimension of the
// hierarchy (team → feature → agent → task by default), then the single
// calls of a task. Children are loaded on demand: fetchMore() asks for them
// with childrenNeeded() and whoever runs the query (off the GUI thread)
// answers with setChildren(). The model itself never touches the store.
class DrillTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column {
        Name,
        Cost,
        Infra, // infrastructure cost from imported cloud bills, beside the LLM cost
        Share,
        Requests,
        Input,
        Cached,
        Output,
        AvgCost,
        Change,
        TokensPerSuccess, // token efficiency (core/efficiency.h), each against the previous period
        CallsPerTask,
        RetriesPerTask,
        CachedShare,
        ColumnCount
    };

    explicit DrillTreeModel(QObject *parent = nullptr);
    ~DrillTreeModel() override;

    // Starts over with a hierarchy and the organisation's totals. A task
    // level, when last, gets the task's calls as its children.
    // `infra`: the organisation's infrastructure cost (nullopt: no bill
    // imported, or the filter names what a bill does not carry).
    void reset(std::vector<Dimension> levels, const Measures &total, const Measures &previous,
               bool hasPrevious, std::optional<int64_t> infra = std::nullopt);
    // No rows at all: nothing is known (the query failed).
    void clear();
    const std::vector<Dimension> &levels() const { return m_levels; }
    quint64 generation() const { return m_generation; }

    void setChildren(quint64 generation, const DrillPath &path, const std::vector<DrillRow> &rows);
    void setCallChildren(quint64 generation, const DrillPath &path,
                         const std::vector<RequestRow> &calls);

    DrillPath pathOf(const QModelIndex &index) const;
    QModelIndex indexOf(const DrillPath &path) const; // deepest loaded node on the path
    std::optional<int64_t> callIdOf(const QModelIndex &index) const;
    // The dimension of the index's children, or nullopt for calls/leaves.
    std::optional<Dimension> childLevel(const QModelIndex &index) const;
    bool childrenAreCalls(const QModelIndex &index) const;
    // The last row of a long list: the cheaper children summed, unnamed
    // (DrillRow::restCount). Activating it lists them all (reload()).
    bool isRest(const QModelIndex &index) const;
    // Whether the node's children have arrived (none may have).
    bool childrenLoaded(const QModelIndex &index) const;
    // Drops the node's children so that they are asked for again.
    void reload(const DrillPath &path);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    // The SortRole order of two rows in an amount column (cost, infra,
    // requests, tokens), read from the rows without a QVariant each: a drill
    // into a busy agent sorts ~30,000 tasks (nullopt: another column).
    std::optional<bool> amountLess(const QModelIndex &a, const QModelIndex &b, int column) const;

Q_SIGNALS:
    // Load the children of the node at `path` (its depth = path.size()).
    void childrenNeeded(quint64 generation, const tl::DrillPath &path);

private:
    struct Node;
    QVariant efficiencyData(int col, int role, const Efficiency &now,
                            const std::optional<Efficiency> &before) const;
    Node *nodeOf(const QModelIndex &index) const;
    Node *find(const DrillPath &path) const;
    QModelIndex indexOfNode(Node *n) const;
    bool isLeaf(const Node *n) const;

    std::unique_ptr<Node> m_root; // invisible; its one child is Organisation
    std::vector<Dimension> m_levels;
    bool m_hasPrevious = false;
    bool m_hasInfra = false; // a bill is imported: the column says n/a, not —
    quint64 m_generation = 0;
};

} // namespace tl
