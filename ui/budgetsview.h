#pragma once

#include "budgets/budgetevaluator.h"
#include "pricing/pricecatalog.h"
#include "view.h"

QT_BEGIN_NAMESPACE
class QChartView;
class QComboBox;
class QLabel;
class QTreeWidget;
class QTreeWidgetItem;
class QUndoStack;
QT_END_NAMESPACE

namespace tl {

// The budget tree (parents by scope) with spent, % used, forecast to the
// period's end with its 80% interval, projected breach and state; the
// selected budget's burn-down with the forecast band, and its replay: the
// call at which each alert fired and what its breach policy would have done.
// Names and amounts edit in place; every edit is an undoable step and is
// stored in the workspace.
class BudgetsView : public View
{
    Q_OBJECT
public:
    explicit BudgetsView(QWidget *parent = nullptr);

    QString title() const override { return tr("Budgets"); }
    void setRunner(QueryRunner *runner) override;
    void setFilter(const ViewFilter &filter) override;
    bool isSettled() const override { return m_settled; }

    const std::vector<BudgetStatus> &statuses() const { return m_statuses; }
    const std::vector<Budget> &budgets() const { return m_budgets; }
    QTreeWidget *tree() const { return m_tree; }
    QUndoStack *undoStack() const { return m_undo; }
    QString replayText() const;
    QComboBox *replayPeriodCombo() const { return m_replayPeriod; }
    // Replaces the budgets (undoable) and stores them.
    void setBudgets(const std::vector<Budget> &after, const QString &text);
    bool importFile(const QString &path, QString *error);
    bool exportFile(const QString &path, QString *error);
    // Add (index -1) or edit a budget in the dialog; OK applies it as one
    // undo step. Returns the open dialog.
    class BudgetDialog *openBudgetDialog(int index);
    BudgetDialog *addBudget() { return openBudgetDialog(-1); }
    void editSelected();
    void removeSelected();
    void apply(const std::vector<Budget> &budgets); // used by the undo commands

private:
    void reload();
    void fill();
    void selectionChanged();
    // The status an item of the tree shows; nullptr when the list has changed under it.
    const BudgetStatus *statusOf(const QTreeWidgetItem *item) const;
    // The item's budget in m_budgets, or -1.
    int budgetIndexOf(const QTreeWidgetItem *item) const;
    void itemEdited(QTreeWidgetItem *item, int column);

    QueryRunner *m_runner = nullptr;
    bool m_settled = false;
    bool m_filling = false;
    std::vector<Budget> m_budgets;
    std::vector<BudgetPool> m_pools; // kept as they are: exported with the budgets
    std::vector<BudgetStatus> m_statuses;
    PriceCatalog m_catalog; // the workspace's, for the downgrade model
    ViewFilter m_filter;    // a new budget starts on its single names
    QUndoStack *m_undo;
    QLabel *m_asOf;
    QTreeWidget *m_tree;
    QChartView *m_chart;
    QLabel *m_replay;
    QComboBox *m_replayPeriod;
};

} // namespace tl
