#pragma once

#include "viewfilter.h"

#include <QWidget>

class QAbstractItemModel;

namespace tl {

class QueryRunner;

// A page of the main window. Every view follows the shared filter and
// queries through the runner, never on the GUI thread.
class View : public QWidget
{
    Q_OBJECT
public:
    using QWidget::QWidget;

    virtual QString title() const = 0;
    // The runner of the open workspace; nothing is queried until setFilter().
    virtual void setRunner(QueryRunner *runner) = 0;
    // Shows the filter's results (queried off the GUI thread).
    virtual void setFilter(const ViewFilter &filter) = 0;
    // The same filter's results again because the data changed underneath
    // (a live workspace): the user's place — drill path, selection,
    // scroll — is kept where it still exists. By default, a reload.
    virtual void refresh(const ViewFilter &filter) { setFilter(filter); }
    // The table File → Export CSV writes, or nullptr.
    virtual QAbstractItemModel *exportModel() { return nullptr; }
    // True once the last filter's results are shown (tests and benchmarks).
    virtual bool isSettled() const = 0;

    // What a view shows in place of its figures when a query failed: the
    // old figures must not stay under the new filter's labels.
    static QString failureText(const QString &error)
    {
        return tr("The workspace could not be read: %1. View → Refresh (F5) tries again.")
            .arg(error);
    }

Q_SIGNALS:
    // A chart or list asks to narrow the shared filter and go to Explore.
    void drillRequested(tl::Dimension dimension, const QString &name);
    void settled();
};

} // namespace tl
