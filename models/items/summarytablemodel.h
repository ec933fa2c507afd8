#pragma once

#include "query/summaryquery.h"

#include <QAbstractTableModel>

namespace tl {

// A summary result as a table: group keys, then requests, tokens and cost.
// Cost cells carry the exact nano-dollars under Qt::UserRole for sorting.
class SummaryTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    explicit SummaryTableModel(QObject *parent = nullptr);

    void setResult(SummaryResult result);
    const SummaryResult &result() const { return m_result; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    enum Column { Requests, Input, Cached, Output, Cost, Share, ColumnCount };
    SummaryResult m_result;
};

} // namespace tl
