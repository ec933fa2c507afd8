#include "requesttablemodel.h"

#include "core/timeutil.h"
#include "items/roles.h"

#include <QLocale>

namespace tl {

RequestTableModel::RequestTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void RequestTableModel::reset()
{
    beginResetModel();
    ++m_generation;
    m_rows.clear();
    m_cursor = {};
    m_atEnd = false;
    m_loading = false;
    endResetModel();
}

void RequestTableModel::appendPage(quint64 generation, const RequestPage &page)
{
    if (generation != m_generation)
        return;
    m_loading = false;
    m_atEnd = page.atEnd;
    if (page.rows.empty())
        return;
    m_cursor = page.next;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page.rows.size()) - 1);
    m_rows.insert(m_rows.end(), page.rows.begin(), page.rows.end());
    endInsertRows();
}

void RequestTableModel::pageFailed(quint64 generation)
{
    if (generation != m_generation)
        return;
    m_loading = false;
    m_atEnd = true;
    if (m_rows.empty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

const RequestRow *RequestTableModel::rowAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[size_t(row)] : nullptr;
}

int RequestTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RequestTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool RequestTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd && !m_loading;
}

void RequestTableModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_loading = true;
    Q_EMIT pageNeeded(m_generation, m_cursor);
}

QVariant RequestTableModel::display(const RequestRow &r, int column) const
{
    QLocale loc;
    switch (column) {
    case Time: {
        // To the second, without T and Z (the header says UTC); exports keep ISO 8601.
        QString t = QString::fromStdString(formatTimestamp(r.tsMs)).left(19);
        t[10] = QLatin1Char(' ');
        return t;
    }
    case Agent:
        return QString::fromStdString(r.agent);
    case Task:
        return QString::fromStdString(r.task);
    case Model:
        return QString::fromStdString(r.model);
    case Cost:
        return !r.computedNusd && !r.reportedNusd
                   ? tr("unpriced")
                   : QString::fromStdString(formatUsd(r.costNusd, 4));
    case Input:
        return loc.toString(qlonglong(r.input));
    case Cached:
        return loc.toString(qlonglong(r.cached));
    case Output:
        return loc.toString(qlonglong(r.output));
    case Requests:
        return loc.toString(qlonglong(r.requests));
    case Latency:
        return r.latencyMs ? tr("%1 ms").arg(loc.toString(qlonglong(*r.latencyMs))) : QString();
    case Team:
        return QString::fromStdString(r.team);
    case Feature:
        return QString::fromStdString(r.feature);
    case User:
        return QString::fromStdString(r.user);
    case Provider:
        return QString::fromStdString(r.provider);
    case Status:
        return QString::fromStdString(r.status);
    case RequestId:
        return QString::fromStdString(r.requestId);
    }
    return {};
}

QVariant RequestTableModel::data(const QModelIndex &index, int role) const
{
    const RequestRow *r = rowAt(index.row());
    if (!r || !index.isValid())
        return {};
    const int col = index.column();
    if (role == Qt::DisplayRole)
        return display(*r, col);
    if (role == IdRole)
        return qlonglong(r->id);
    if (role == SortRole || role == ExportRole) {
        switch (col) {
        case Time:
            return role == SortRole ? QVariant(qlonglong(r->tsMs))
                                    : QVariant(QString::fromStdString(formatTimestamp(r->tsMs)));
        case Cost:
            return role == SortRole ? QVariant(qlonglong(r->costNusd))
                                    : QVariant(double(r->costNusd) / 1e9);
        case Input:
            return qlonglong(r->input);
        case Cached:
            return qlonglong(r->cached);
        case Output:
            return qlonglong(r->output);
        case Requests:
            return qlonglong(r->requests);
        case Latency:
            return r->latencyMs ? QVariant(qlonglong(*r->latencyMs)) : QVariant(QString());
        default:
            return display(*r, col);
        }
    }
    if (role == Qt::TextAlignmentRole && (col == Cost || col == Input || col == Cached ||
                                          col == Output || col == Requests || col == Latency))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant RequestTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *names[ColumnCount] = {
        "Time (UTC)",    "Agent",         "Task",     "Model",     "Cost (USD)", "Input tokens",
        "Cached tokens", "Output tokens", "Requests", "Latency",   "Team",       "Feature",
        "User",          "Provider",      "Status",   "Request id"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

QString RequestTableModel::rowsAsText(const std::vector<int> &rows) const
{
    QStringList lines;
    QStringList header;
    for (int c = 0; c < ColumnCount; ++c)
        header << headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
    lines << header.join(QLatin1Char('\t'));
    for (int row : rows) {
        QStringList cells;
        for (int c = 0; c < ColumnCount; ++c)
            cells << data(index(row, c), ExportRole).toString();
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace tl
