#pragma once

#include "budgets/budget.h"

#include <QDialog>

#include <map>
#include <vector>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;

namespace tl {

class PriceCatalog;
class QueryRunner;

// Add or edit one budget: name, scope (a name per dimension, typed or
// picked from the workspace's names like the filter bar's pickers), period,
// amount, alert thresholds, hard or soft, the breach policy and the model
// to downgrade to. OK stays disabled, with the reason shown, until the
// budget is valid.
class BudgetDialog : public QDialog
{
    Q_OBJECT
public:
    // `others`: the other budgets (names must differ); `catalog` checks
    // the downgrade model; names for the scope boxes come from `runner`.
    BudgetDialog(const Budget &budget, std::vector<Budget> others, const PriceCatalog *catalog,
                 QueryRunner *runner, QWidget *parent = nullptr);

    Budget budget() const;
    QString problem() const; // "" when OK is enabled

    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *scopeBox(Dimension d) const;
    QComboBox *periodBox() const { return m_period; }
    QDoubleSpinBox *amountBox() const { return m_amount; }
    QLineEdit *alertsEdit() const { return m_alerts; }
    QCheckBox *hardBox() const { return m_hard; }
    QComboBox *policyBox() const { return m_policy; }
    QComboBox *downgradeBox() const { return m_downgrade; }
    QDialogButtonBox *buttons() const { return m_buttons; }

private:
    void revalidate();
    std::vector<double> alerts(bool *ok) const;

    std::vector<Budget> m_others;
    const PriceCatalog *m_catalog;
    QLineEdit *m_name;
    std::map<Dimension, QComboBox *> m_scope;
    QComboBox *m_period;
    QDoubleSpinBox *m_amount;
    QLineEdit *m_alerts;
    QCheckBox *m_hard;
    QComboBox *m_policy;
    QComboBox *m_downgrade;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace tl
