#pragma once

#include "query/drillquery.h"
#include "view.h"

#include <optional>
#include <set>

QT_BEGIN_NAMESPACE
class QChartView;
class QComboBox;
class QLabel;
class QHBoxLayout;
class QSortFilterProxyModel;
class QSplitter;
class QTreeView;
QT_END_NAMESPACE

namespace tl {

class CallDetailPanel;
class DrillTreeModel;

// The drill-down: a tree from the organisation through the levels of a
// configurable hierarchy (team › feature › agent › task by default) to the
// single calls, a breadcrumb of where you are, the spend over time of the
// selected node, and the selected call's details.
class ExploreView : public View
{
    Q_OBJECT
public:
    explicit ExploreView(QWidget *parent = nullptr);

    QString title() const override { return tr("Explore"); }
    void setRunner(QueryRunner *runner) override;
    void setFilter(const ViewFilter &filter) override;
    void refresh(const ViewFilter &filter) override;
    QAbstractItemModel *exportModel() override;
    bool isSettled() const override;

    // "team › feature › agent › task"; false (and unchanged) when not valid.
    bool setHierarchy(const QString &text);
    static std::optional<std::vector<Dimension>> parseHierarchy(const QString &text,
                                                                QString *error = nullptr);
    QString hierarchyText() const;

    DrillTreeModel *model() const { return m_model; }
    QTreeView *tree() const { return m_tree; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    CallDetailPanel *detail() const { return m_detail; }
    QChartView *chart() const { return m_chart; }
    QStringList breadcrumb() const;
    // Makes the node at `path` the focus (its children are the rows), as a
    // double-click does; the crumbs follow.
    void focusPath(const DrillPath &path);
    DrillPath focusedPath() const { return m_focus; }

    QString message() const; // a failure shown in place of the tree, or empty
    // The rows Export CSV writes are this index's children: the focused
    // node's, and at the top the Organisation's (its teams), not the one
    // Organisation row.
    QModelIndex exportParent() const;
    // After the next load, goes down from the Organisation while one row is
    // left at each level, to the level of `d`: a chart's bar or slice opens
    // Explore at that entity, not at the top.
    void drillTo(Dimension d);
    // Lists every child of the node at `path`, not only the costliest
    // (DrillQuery::kShownRows), as activating its "… and N more" row does.
    void listAll(const DrillPath &path);

private:
    void reload();
    void showFailure(const QString &error);
    void continueDrill();
    void loadChildren(quint64 generation, const DrillPath &path);
    void rebuildCrumbs();
    void selectionChanged();
    void loadChart(const DrillPath &path, const QString &title);
    QModelIndex sourceIndex(const DrillPath &path) const;

    QueryRunner *m_runner = nullptr;
    ViewFilter m_filter;
    DrillTreeModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QComboBox *m_levels;
    QHBoxLayout *m_crumbs;
    QChartView *m_chart;
    QLabel *m_message;
    std::optional<Dimension> m_drillTarget;
    QTreeView *m_tree;
    CallDetailPanel *m_detail;
    QSplitter *m_split;
    DrillPath m_focus;
    std::set<DrillPath> m_listAll; // nodes whose children are all listed
    // The children queries on their way, by channel. A set, not a count:
    // a reload forgets them, and rows asked for before it that still
    // arrive must not count against the reloaded ones (a count went below
    // zero there, and the view never settled).
    std::set<QString> m_inflight;
    bool m_rootLoaded = false;
};

} // namespace tl
