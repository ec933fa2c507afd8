#include "tablecsvexport.h"

#include "export/csvwriter.h"
#include "items/roles.h"

#include <QAbstractItemModel>
#include <QSaveFile>

namespace tl {

QByteArray TableCsvExport::toCsv(QAbstractItemModel &model, const QModelIndex &parent)
{
    while (model.canFetchMore(parent)) {
        const int before = model.rowCount(parent);
        model.fetchMore(parent);
        if (model.rowCount(parent) == before)
            break; // the rows come later, off this thread: export what is here
    }
    QByteArray out;
    std::vector<std::string> cells;
    for (int c = 0; c < model.columnCount(); ++c)
        cells.push_back(model.headerData(c, Qt::Horizontal).toString().toStdString());
    out += QByteArray::fromStdString(CsvWriter::row(cells));
    std::vector<bool> numeric(size_t(model.columnCount()));
    for (int r = 0; r < model.rowCount(parent); ++r) {
        cells.clear();
        for (int c = 0; c < model.columnCount(); ++c) {
            const QModelIndex i = model.index(r, c, parent);
            QVariant v = model.data(i, ExportRole);
            if (!v.isValid())
                v = model.data(i, Qt::DisplayRole);
            const bool isText = v.typeId() == QMetaType::QString || !v.isValid();
            numeric[size_t(c)] = !isText;
            cells.push_back(v.toString().toStdString());
        }
        out += QByteArray::fromStdString(CsvWriter::row(cells, numeric));
    }
    return out;
}

bool TableCsvExport::write(QAbstractItemModel &model, const QString &path, QString *error,
                           const QModelIndex &parent)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("%1: cannot be written: %2").arg(path, f.errorString());
        return false;
    }
    f.write(toCsv(model, parent));
    if (!f.commit()) {
        if (error)
            *error = QStringLiteral("%1: cannot be written: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

} // namespace tl
