#pragma once

#include "drilltreemodel.h"

#include <QSortFilterProxyModel>

namespace tl {

// The Explore tree's sorting: amount columns compared straight from the
// rows (DrillTreeModel::amountLess), the rest by SortRole. Sorting a busy
// agent's ~30,000 tasks through QVariants took most of a drill's GUI time.
// The summed rest of a long list stays last in either order.
class DrillSortProxy : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override
    {
        if (const auto *m = qobject_cast<const DrillTreeModel *>(sourceModel())) {
            if (m->isRest(left) || m->isRest(right))
                return m->isRest(left) == (sortOrder() == Qt::DescendingOrder);
            if (const auto less = m->amountLess(left, right, left.column()))
                return *less;
        }
        return QSortFilterProxyModel::lessThan(left, right);
    }
};

} // namespace tl
