#pragma once

#include "query/requestquery.h"

#include <QWidget>

class QTextBrowser;

namespace tl {

class QueryRunner;

// Everything about one call: its fields, the price entry that priced it,
// computed against reported cost, and the other calls of its task.
class CallDetailPanel : public QWidget
{
    Q_OBJECT
public:
    explicit CallDetailPanel(QWidget *parent = nullptr);
    void setRunner(QueryRunner *runner) { m_runner = runner; }
    void showCall(int64_t id); // loads off the GUI thread
    void showDetail(const CallDetail &d);
    void clear();
    QString text() const; // plain text of what is shown (tests)
    std::optional<int64_t> callId() const { return m_id; }

Q_SIGNALS:
    void loaded();

private:
    QueryRunner *m_runner = nullptr;
    QTextBrowser *m_browser;
    std::optional<int64_t> m_id;
};

} // namespace tl
