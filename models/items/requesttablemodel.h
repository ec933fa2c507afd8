#pragma once

#include "query/requestquery.h"

#include <QAbstractTableModel>

#include <vector>

namespace tl {

// The Requests table: calls a page at a time. canFetchMore()/fetchMore()
// ask for the next page with pageNeeded(); whoever runs the query off the
// GUI thread answers with appendPage(). 10M calls cost what the scrolled
// part costs.
class RequestTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Time,
        Agent,
        Task,
        Model,
        Cost,
        Input,
        Cached,
        Output,
        Requests,
        Latency,
        Team,
        Feature,
        User,
        Provider,
        Status,
        RequestId,
        ColumnCount
    };
    static constexpr int kPageSize = 500;

    explicit RequestTableModel(QObject *parent = nullptr);

    void reset(); // drops the rows; the next fetchMore() starts over
    quint64 generation() const { return m_generation; }
    void appendPage(quint64 generation, const RequestPage &page);
    // The page could not be read: no rows (older ones would belong to the
    // previous filter's query only when none came yet) and no more fetching.
    void pageFailed(quint64 generation);
    bool atEnd() const { return m_atEnd; }
    bool isLoading() const { return m_loading; }
    const RequestRow *rowAt(int row) const;
    // Tab-separated text of some rows, with a header line (for the clipboard).
    QString rowsAsText(const std::vector<int> &rows) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

Q_SIGNALS:
    void pageNeeded(quint64 generation, const tl::RequestCursor &after);

private:
    QVariant display(const RequestRow &r, int column) const;
    std::vector<RequestRow> m_rows;
    RequestCursor m_cursor;
    bool m_atEnd = false;
    bool m_loading = false;
    quint64 m_generation = 0;
};

} // namespace tl
