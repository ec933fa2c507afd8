#pragma once

#include "query/requestquery.h"
#include "view.h"

#include <optional>

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
class QLineEdit;
class QSplitter;
class QTableView;
QT_END_NAMESPACE

namespace tl {

class CallDetailPanel;
class RequestTableModel;

// Every call under the filter, newest first (or oldest, or by cost), paged
// in as the table scrolls; search by task or request id; copy rows; the
// selected call's details beside the table.
class RequestsView : public View
{
    Q_OBJECT
public:
    explicit RequestsView(QWidget *parent = nullptr);

    QString title() const override { return tr("Requests"); }
    void setRunner(QueryRunner *runner) override;
    void setFilter(const ViewFilter &filter) override;
    void refresh(const ViewFilter &filter) override;
    QAbstractItemModel *exportModel() override;
    QString countText() const; // "N calls", "loading…" or what went wrong
    bool isSettled() const override;

    RequestTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QLineEdit *searchEdit() const { return m_search; }
    QComboBox *sortCombo() const { return m_sort; }
    CallDetailPanel *detail() const { return m_detail; }
    void copySelection();

    // Shows one entity's calls in [fromMs, toMs) (an anomaly's), oldest
    // first, without touching the shared filter; a banner says so and
    // "Show all calls" returns. A change of the shared filter ends it too.
    void showCallsOf(Dimension d, const QString &name, qint64 fromMs, qint64 toMs);
    void clearFocus();
    bool hasFocus() const { return m_focus.has_value(); }
    QString focusText() const;
    // The filter the table and its export use: the shared one, narrowed by
    // a focus when there is one.
    CallFilter queryFilter() const;

private:
    void reload();
    void fetchPage(quint64 generation, const RequestCursor &after);

    QueryRunner *m_runner = nullptr;
    ViewFilter m_filter;
    RequestTableModel *m_model;
    QLineEdit *m_search;
    QComboBox *m_sort;
    QLabel *m_count;
    QTableView *m_table;
    CallDetailPanel *m_detail;
    QSplitter *m_split;
    bool m_firstPage = false;
    // After a live refresh's first page: the row and scroll to put back.
    std::optional<std::pair<int, int>> m_restore;
    struct Focus
    {
        Dimension dimension;
        std::string name;
        int64_t fromMs, toMs;
    };
    std::optional<Focus> m_focus;
    QWidget *m_banner;
    QLabel *m_bannerText;
};

} // namespace tl
