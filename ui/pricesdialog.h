#pragma once

#include "pricing/pricecatalog.h"

#include <QDialog>

class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace tl {

class PriceTableModel;

// The price catalog as an editable table: add, remove, edit any price or
// effective date, import/export the catalog JSON (ours or LiteLLM's), and
// Apply, which stores the catalog and recomputes every call's cost with
// progress on a worker thread (cancel leaves the workspace as it was).
class PricesDialog : public QDialog
{
    Q_OBJECT
public:
    PricesDialog(const PriceCatalog &catalog, const QString &workspacePath,
                 QWidget *parent = nullptr);

    PriceTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    bool importFile(const QString &path, QString *error);
    bool exportFile(const QString &path, QString *error) const;
    // Stores the table as the workspace's catalog and recomputes costs;
    // false with the reason when invalid, cancelled or failed.
    bool apply(QString *error);

Q_SIGNALS:
    void catalogApplied();

private:
    QString m_path;
    PriceTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QLineEdit *m_search;
    QPushButton *m_apply;
};

} // namespace tl
