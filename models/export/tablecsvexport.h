#pragma once

#include <QModelIndex>
#include <QString>

class QAbstractItemModel;

namespace tl {

// Writes any of our table models as RFC 4180 CSV: the header row, then
// every row's ExportRole value (numbers plain, text formula-escaped; the
// DisplayRole text where a model gives no export value). The rows are the
// children of `parent` (a tree's current level); rows a lazy model can
// fetch synchronously are fetched first.
class TableCsvExport
{
public:
    static QByteArray toCsv(QAbstractItemModel &model, const QModelIndex &parent = {});
    static bool write(QAbstractItemModel &model, const QString &path, QString *error,
                      const QModelIndex &parent = {});
};

} // namespace tl
