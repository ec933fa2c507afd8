#include "summarytablemodel.h"

#include <QLocale>

namespace tl {

SummaryTableModel::SummaryTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void SummaryTableModel::setResult(SummaryResult result)
{
    beginResetModel();
    m_result = std::move(result);
    endResetModel();
}

int SummaryTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_result.rows.size());
}

int SummaryTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_result.groups.size()) + ColumnCount;
}

QVariant SummaryTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const SummaryRow &row = m_result.rows[size_t(index.row())];
    const int k = int(m_result.groups.size());
    if (index.column() < k) {
        if (role == Qt::DisplayRole || role == Qt::UserRole)
            return QString::fromStdString(row.keys[size_t(index.column())]);
        return {};
    }
    const int col = index.column() - k;
    if (role == Qt::TextAlignmentRole)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    const Measures &m = row.m;
    const int64_t total = m_result.totals[MCostNusd];
    if (role == Qt::UserRole) {
        switch (col) {
        case Requests:
            return qlonglong(m[MRequests]);
        case Input:
            return qlonglong(m[MInputTokens]);
        case Cached:
            return qlonglong(m[MCachedInputTokens]);
        case Output:
            return qlonglong(m[MOutputTokens]);
        case Cost:
            return qlonglong(m[MCostNusd]);
        case Share:
            return total ? double(m[MCostNusd]) / double(total) : 0.0;
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    QLocale loc;
    switch (col) {
    case Requests:
        return loc.toString(qlonglong(m[MRequests]));
    case Input:
        return loc.toString(qlonglong(m[MInputTokens]));
    case Cached:
        return loc.toString(qlonglong(m[MCachedInputTokens]));
    case Output:
        return loc.toString(qlonglong(m[MOutputTokens]));
    case Cost:
        return QString::fromStdString(formatUsd(m[MCostNusd]));
    case Share:
        return total ? loc.toString(100.0 * double(m[MCostNusd]) / double(total), 'f', 1) +
                           QLatin1Char('%')
                     : QString();
    }
    return {};
}

QVariant SummaryTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    const int k = int(m_result.groups.size());
    if (section < k) {
        QString name = QString::fromStdString(m_result.groups[size_t(section)].name());
        return name.isEmpty() ? name : name.left(1).toUpper() + name.mid(1);
    }
    switch (section - k) {
    case Requests:
        return tr("Requests");
    case Input:
        return tr("Input tokens");
    case Cached:
        return tr("Cached input");
    case Output:
        return tr("Output tokens");
    case Cost:
        return tr("Cost (USD)");
    case Share:
        return tr("Share");
    }
    return {};
}

} // namespace tl
