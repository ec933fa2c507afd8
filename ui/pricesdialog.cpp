#include "pricesdialog.h"
#include "filedialogs.h"

#include "items/pricetablemodel.h"
#include "items/roles.h"
#include "progressrunner.h"
#include "store/workspace.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSaveFile>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include <atomic>

namespace tl {

PricesDialog::PricesDialog(const PriceCatalog &catalog, const QString &workspacePath,
                           QWidget *parent)
    : QDialog(parent)
    , m_path(workspacePath)
{
    setWindowTitle(tr("Prices"));
    resize(1100, 560);
    auto *l = new QVBoxLayout(this);
    auto *info = new QLabel(
        tr("Prices in USD per million tokens. An empty cached, cache-write or batch price falls "
           "back to the input/output price; an empty 1-hour write price is 2× input for an "
           "Anthropic model (shown in brackets), else the cache-write price. Long-context and "
           "service tiers and search prices come from the catalog file (Import…). Apply stores "
           "the catalog and recomputes the cost of every stored call."),
        this);
    info->setWordWrap(true);
    l->addWidget(info);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Filter models…"));
    m_search->setClearButtonEnabled(true);
    l->addWidget(m_search);
    m_model = new PriceTableModel(this);
    m_model->setCatalog(catalog);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(PriceTableModel::Model, Qt::AscendingOrder);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->resizeColumnsToContents();
    l->addWidget(m_table, 1);
    connect(m_search, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);

    auto *buttons = new QDialogButtonBox(this);
    QPushButton *add = buttons->addButton(tr("Add"), QDialogButtonBox::ActionRole);
    QPushButton *remove = buttons->addButton(tr("Remove"), QDialogButtonBox::ActionRole);
    QPushButton *imp = buttons->addButton(tr("Import…"), QDialogButtonBox::ActionRole);
    QPushButton *exp = buttons->addButton(tr("Export…"), QDialogButtonBox::ActionRole);
    m_apply = buttons->addButton(tr("Apply and Recompute"), QDialogButtonBox::ApplyRole);
    m_apply->setEnabled(false);
    buttons->addButton(QDialogButtonBox::Close);
    l->addWidget(buttons);
    connect(m_model, &PriceTableModel::modifiedChanged, m_apply, &QPushButton::setEnabled);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(add, &QPushButton::clicked, this, [this] {
        m_search->clear();
        m_model->insertRows(m_model->rowCount(), 1);
        const QModelIndex i =
            m_proxy->mapFromSource(m_model->index(m_model->rowCount() - 1, PriceTableModel::Model));
        m_table->scrollTo(i);
        m_table->edit(i);
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        QList<int> rows;
        for (const QModelIndex &i : m_table->selectionModel()->selectedRows())
            rows << m_proxy->mapToSource(i).row();
        if (rows.isEmpty() && m_table->currentIndex().isValid())
            rows << m_proxy->mapToSource(m_table->currentIndex()).row();
        std::sort(rows.rbegin(), rows.rend());
        for (int r : rows)
            m_model->removeRows(r, 1);
    });
    connect(imp, &QPushButton::clicked, this, [this] {
        const QString p = FileDialogs::openFile(this, tr("Import Price Catalog"),
                                                tr("JSON files (*.json);;All files (*)"));
        QString error;
        if (!p.isEmpty() && !importFile(p, &error))
            QMessageBox::warning(this, tr("Cannot import prices"), error);
    });
    connect(exp, &QPushButton::clicked, this, [this] {
        const QString p =
            FileDialogs::saveFile(this, tr("Export Price Catalog"), QStringLiteral("prices.json"),
                                  tr("JSON files (*.json)"));
        QString error;
        if (!p.isEmpty() && !exportFile(p, &error))
            QMessageBox::warning(this, tr("Cannot export prices"), error);
    });
    connect(m_apply, &QPushButton::clicked, this, [this] {
        QString error;
        if (!apply(&error))
            QMessageBox::warning(this, tr("Prices not applied"), error);
    });
}

bool PricesDialog::importFile(const QString &path, QString *error)
{
    std::string why;
    auto c = PriceCatalog::fromFile(path.toStdString(), &why);
    if (!c) {
        *error = QString::fromStdString(why);
        return false;
    }
    m_model->setCatalog(*c, true); // imported, not yet applied
    m_table->resizeColumnsToContents();
    return true;
}

bool PricesDialog::exportFile(const QString &path, QString *error) const
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        *error = tr("%1: cannot be written: %2").arg(path, f.errorString());
        return false;
    }
    f.write(QByteArray::fromStdString(m_model->catalog().toJson()));
    if (!f.commit()) {
        *error = tr("%1: cannot be written: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

bool PricesDialog::apply(QString *error)
{
    const QString invalid = m_model->validate();
    if (!invalid.isEmpty()) {
        *error = invalid;
        return false;
    }
    const PriceCatalog catalog = m_model->catalog();
    QProgressDialog progress(tr("Recomputing the cost of every call…"), tr("Cancel"), 0, 1000,
                             this);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(300);
    std::atomic<bool> cancelled{false};
    std::atomic<int> permille{0};
    bool ok = false;
    std::string why;
    const std::string path = m_path.toStdString();
    runWithProgress(
        progress, cancelled,
        [&] {
            auto ws = Workspace::open(path, Workspace::OpenMode::OpenExisting, &why);
            if (ws)
                ok = ws->replaceCatalog(
                    catalog,
                    [&](int64_t done, int64_t total) {
                        permille = total > 0 ? int(1000 * done / total) : 0;
                        return !cancelled.load();
                    },
                    &why);
        },
        [&] { progress.setValue(permille.load()); });
    progress.close();
    if (!ok) {
        *error = cancelled ? tr("Cancelled: the catalog and costs were left as they were.")
                           : QString::fromStdString(why);
        return false;
    }
    m_model->setCatalog(catalog);
    Q_EMIT catalogApplied();
    return true;
}

} // namespace tl
