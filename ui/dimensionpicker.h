#pragma once

#include "core/dimension.h"

#include <QWidget>

#include <set>
#include <string>

class QLineEdit;
class QListWidget;

namespace tl {

class QueryRunner;

// The drop-down of one dimension's filter: type to search the names the
// workspace holds, tick the ones to keep. Names come from the query runner
// (never the GUI thread).
class DimensionPicker : public QWidget
{
    Q_OBJECT
public:
    DimensionPicker(Dimension dimension, QueryRunner *runner, QWidget *parent = nullptr);

    void setSelected(const std::vector<std::string> &names);
    void refresh(); // re-reads the names for the current search text
    QLineEdit *searchEdit() const { return m_search; }
    QListWidget *list() const { return m_list; }

Q_SIGNALS:
    void selectionChanged(tl::Dimension dimension, const std::vector<std::string> &names);

private:
    void showNames(const std::vector<std::string> &names);

    Dimension m_dimension;
    QueryRunner *m_runner;
    QLineEdit *m_search;
    QListWidget *m_list;
    std::set<std::string> m_selected;
};

} // namespace tl
