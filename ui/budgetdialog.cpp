#include "budgetdialog.h"

#include "items/queryrunner.h"
#include "pricing/pricecatalog.h"
#include "query/namequery.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

namespace tl {

namespace {

// "(any)" is an empty scope entry: the budget does not narrow that dimension.
QString anyText()
{
    return QObject::tr("(any)");
}

QString alertsText(const std::vector<double> &alerts)
{
    QStringList parts;
    for (double a : alerts)
        parts << QString::number(a * 100, 'g', 4);
    return parts.join(QStringLiteral(", "));
}

} // namespace

BudgetDialog::BudgetDialog(const Budget &budget, std::vector<Budget> others,
                           const PriceCatalog *catalog, QueryRunner *runner, QWidget *parent)
    : QDialog(parent)
    , m_others(std::move(others))
    , m_catalog(catalog)
{
    setWindowTitle(budget.name.empty() ? tr("Add Budget") : tr("Edit Budget"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_name = new QLineEdit(QString::fromStdString(budget.name), this);
    m_name->setObjectName(QStringLiteral("name"));
    form->addRow(tr("&Name"), m_name);

    for (Dimension d : kBudgetScopeDimensions) {
        auto *box = new QComboBox(this);
        box->setObjectName(QStringLiteral("scope:%1").arg(QString::fromUtf8(dimensionName(d))));
        box->setEditable(true);
        box->setInsertPolicy(QComboBox::NoInsert);
        box->completer()->setCompletionMode(QCompleter::PopupCompletion);
        box->completer()->setFilterMode(Qt::MatchContains);
        box->addItem(anyText());
        const auto it = budget.scope.find(d);
        box->setCurrentText(it == budget.scope.end() ? anyText()
                                                     : QString::fromStdString(it->second));
        box->setToolTip(tr("Type or pick a name; (any) leaves the %1 open")
                            .arg(QString::fromUtf8(dimensionName(d))));
        m_scope[d] = box;
        QString label = QString::fromUtf8(dimensionName(d));
        label[0] = label[0].toUpper();
        form->addRow(label, box);
        // The names the workspace holds, read off the GUI thread.
        if (runner) {
            QPointer<QComboBox> guard(box);
            runner->run<std::vector<std::string>>(
                QStringLiteral("budgetdialog:%1").arg(QString::fromUtf8(dimensionName(d))),
                [d](Workspace &ws) { return NameQuery::names(ws, d, {}, 2000); },
                [guard](std::vector<std::string> &names) {
                    if (!guard)
                        return;
                    const QString keep = guard->currentText();
                    for (const auto &n : names)
                        guard->addItem(QString::fromStdString(n));
                    guard->setCurrentText(keep);
                });
        }
    }

    m_period = new QComboBox(this);
    m_period->setObjectName(QStringLiteral("period"));
    for (BudgetPeriod p :
         {BudgetPeriod::Day, BudgetPeriod::Week, BudgetPeriod::Month, BudgetPeriod::Quarter})
        m_period->addItem(QString::fromStdString(periodName(p)), int(p));
    m_period->setCurrentIndex(m_period->findData(int(budget.period)));
    form->addRow(tr("&Period (UTC)"), m_period);

    m_amount = new QDoubleSpinBox(this);
    m_amount->setObjectName(QStringLiteral("amount"));
    m_amount->setPrefix(QStringLiteral("$"));
    m_amount->setDecimals(2);
    m_amount->setRange(0, 1e9);
    m_amount->setGroupSeparatorShown(true);
    m_amount->setValue(double(budget.amountNusd) / 1e9);
    form->addRow(tr("&Amount per period"), m_amount);

    m_alerts = new QLineEdit(alertsText(budget.alerts), this);
    m_alerts->setObjectName(QStringLiteral("alerts"));
    m_alerts->setToolTip(tr("Percentages of the amount at which to alert, rising: 50, 80, 100"));
    form->addRow(tr("A&lerts at (%)"), m_alerts);

    m_hard = new QCheckBox(tr("Hard: act when the amount is spent"), this);
    m_hard->setObjectName(QStringLiteral("hard"));
    m_hard->setChecked(budget.hard);
    form->addRow(QString(), m_hard);

    m_policy = new QComboBox(this);
    m_policy->setObjectName(QStringLiteral("policy"));
    const std::pair<BreachPolicy, QString> policies[] = {
        {BreachPolicy::Alert, tr("alert only")},
        {BreachPolicy::Downgrade, tr("downgrade to a cheaper model")},
        {BreachPolicy::Cache, tr("serve repeats from cache")},
        {BreachPolicy::Reject, tr("reject calls")}};
    for (const auto &[p, text] : policies)
        m_policy->addItem(text, int(p));
    m_policy->setCurrentIndex(m_policy->findData(int(budget.onBreach)));
    form->addRow(tr("On &breach"), m_policy);

    m_downgrade = new QComboBox(this);
    m_downgrade->setObjectName(QStringLiteral("downgrade"));
    m_downgrade->setEditable(true);
    m_downgrade->setInsertPolicy(QComboBox::NoInsert);
    if (catalog) {
        QStringList models;
        for (const PriceEntry &e : catalog->entries())
            if (!models.contains(QString::fromStdString(e.model)))
                models << QString::fromStdString(e.model);
        models.sort();
        m_downgrade->addItems(models);
    }
    m_downgrade->setCurrentText(QString::fromStdString(budget.downgradeTo));
    form->addRow(tr("&Downgrade to"), m_downgrade);
    layout->addLayout(form);

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setWordWrap(true);
    QPalette warn = m_problem->palette();
    warn.setColor(QPalette::WindowText, QColor(0xC0, 0x39, 0x2B));
    m_problem->setPalette(warn);
    layout->addWidget(m_problem);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);

    connect(m_name, &QLineEdit::textChanged, this, &BudgetDialog::revalidate);
    connect(m_alerts, &QLineEdit::textChanged, this, &BudgetDialog::revalidate);
    connect(m_amount, &QDoubleSpinBox::valueChanged, this, &BudgetDialog::revalidate);
    connect(m_hard, &QCheckBox::toggled, this, &BudgetDialog::revalidate);
    connect(m_policy, &QComboBox::currentIndexChanged, this, &BudgetDialog::revalidate);
    connect(m_downgrade, &QComboBox::currentTextChanged, this, &BudgetDialog::revalidate);
    revalidate();
    m_name->setFocus();
    m_name->selectAll();
}

QComboBox *BudgetDialog::scopeBox(Dimension d) const
{
    const auto it = m_scope.find(d);
    return it == m_scope.end() ? nullptr : it->second;
}

std::vector<double> BudgetDialog::alerts(bool *ok) const
{
    std::vector<double> out;
    *ok = true;
    for (QString part : m_alerts->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        part = part.trimmed();
        part.remove(QLatin1Char('%'));
        bool good = false;
        const double v = part.toDouble(&good);
        if (!good) {
            *ok = false;
            return {};
        }
        out.push_back(v / 100.0);
    }
    return out;
}

Budget BudgetDialog::budget() const
{
    Budget b;
    b.name = m_name->text().trimmed().toStdString();
    for (const auto &[d, box] : m_scope) {
        const QString t = box->currentText().trimmed();
        if (!t.isEmpty() && t != anyText())
            b.scope[d] = t.toStdString();
    }
    b.period = BudgetPeriod(m_period->currentData().toInt());
    b.amountNusd = int64_t(std::llround(m_amount->value() * 1e9));
    bool ok = false;
    b.alerts = alerts(&ok);
    b.hard = m_hard->isChecked();
    b.onBreach = b.hard ? BreachPolicy(m_policy->currentData().toInt()) : BreachPolicy::Alert;
    if (b.onBreach == BreachPolicy::Downgrade)
        b.downgradeTo = m_downgrade->currentText().trimmed().toStdString();
    return b;
}

QString BudgetDialog::problem() const
{
    return m_problem->text();
}

void BudgetDialog::revalidate()
{
    m_policy->setEnabled(m_hard->isChecked());
    m_downgrade->setEnabled(m_hard->isChecked() &&
                            m_policy->currentData().toInt() == int(BreachPolicy::Downgrade));
    bool alertsOk = false;
    alerts(&alertsOk);
    const QString why = !alertsOk
                            ? tr("Alerts are percentages separated by commas: 50, 80, 100")
                            : QString::fromStdString(budgetProblem(budget(), m_others, m_catalog));
    QString text = why;
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    m_problem->setText(text);
    m_problem->setVisible(!text.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(text.isEmpty());
}

} // namespace tl
