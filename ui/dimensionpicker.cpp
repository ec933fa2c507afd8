#include "dimensionpicker.h"

#include "items/queryrunner.h"
#include "query/namequery.h"

#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

namespace tl {

namespace {
constexpr int kMaxNames = 500;
}

DimensionPicker::DimensionPicker(Dimension dimension, QueryRunner *runner, QWidget *parent)
    : QWidget(parent)
    , m_dimension(dimension)
    , m_runner(runner)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(
        tr("Search %1s…").arg(QString::fromUtf8(dimensionName(dimension))));
    m_search->setClearButtonEnabled(true);
    m_list = new QListWidget(this);
    m_list->setMinimumSize(260, 280);
    layout->addWidget(m_search);
    layout->addWidget(m_list);
    connect(m_search, &QLineEdit::textChanged, this, &DimensionPicker::refresh);
    connect(m_list, &QListWidget::itemChanged, this, [this](QListWidgetItem *item) {
        const std::string name = item->text().toStdString();
        if (item->checkState() == Qt::Checked)
            m_selected.insert(name);
        else
            m_selected.erase(name);
        Q_EMIT selectionChanged(m_dimension, {m_selected.begin(), m_selected.end()});
    });
}

void DimensionPicker::setSelected(const std::vector<std::string> &names)
{
    m_selected = {names.begin(), names.end()};
    QSignalBlocker block(m_list);
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem *it = m_list->item(i);
        it->setCheckState(m_selected.count(it->text().toStdString()) ? Qt::Checked : Qt::Unchecked);
    }
}

void DimensionPicker::refresh()
{
    if (!m_runner)
        return;
    const std::string search = m_search->text().trimmed().toStdString();
    const Dimension d = m_dimension;
    m_runner->run<std::vector<std::string>>(
        QStringLiteral("names:%1").arg(int(d)),
        [d, search](Workspace &ws) { return NameQuery::names(ws, d, search, kMaxNames); },
        [this](std::vector<std::string> &names) { showNames(names); });
}

void DimensionPicker::showNames(const std::vector<std::string> &names)
{
    QSignalBlocker block(m_list);
    m_list->clear();
    // Ticked names stay on top even when the search would hide them.
    for (const auto &n : m_selected) {
        auto *it = new QListWidgetItem(QString::fromStdString(n), m_list);
        it->setCheckState(Qt::Checked);
    }
    for (const auto &n : names) {
        if (m_selected.count(n))
            continue;
        auto *it = new QListWidgetItem(QString::fromStdString(n), m_list);
        it->setCheckState(Qt::Unchecked);
    }
    if (int(names.size()) == kMaxNames) {
        auto *more = new QListWidgetItem(tr("… more: type to narrow"), m_list);
        more->setFlags(Qt::NoItemFlags);
    }
}

} // namespace tl
