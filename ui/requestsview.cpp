#include "requestsview.h"

#include <QScrollBar>

#include "core/timeutil.h"

#include "calldetailpanel.h"
#include "displayformat.h"
#include "items/queryrunner.h"
#include "items/requesttablemodel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace tl {

RequestsView::RequestsView(QWidget *parent)
    : View(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    auto *top = new QHBoxLayout;
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("requestSearch"));
    m_search->setPlaceholderText(tr("Find a task id or request id…"));
    m_search->setClearButtonEnabled(true);
    m_sort = new QComboBox(this);
    m_sort->setObjectName(QStringLiteral("requestSort"));
    m_sort->addItem(tr("Newest first"), int(RequestSort::TimeDesc));
    m_sort->addItem(tr("Oldest first"), int(RequestSort::TimeAsc));
    m_sort->addItem(tr("Most expensive first"), int(RequestSort::CostDesc));
    m_sort->addItem(tr("Cheapest first"), int(RequestSort::CostAsc));
    m_count = new QLabel(this);
    top->addWidget(m_search, 1);
    top->addWidget(m_sort);
    top->addWidget(m_count);
    layout->addLayout(top);

    m_banner = new QWidget(this);
    auto *bannerLayout = new QHBoxLayout(m_banner);
    bannerLayout->setContentsMargins(0, 2, 0, 2);
    m_bannerText = new QLabel(m_banner);
    m_bannerText->setObjectName(QStringLiteral("focusBanner"));
    auto *all = new QPushButton(tr("Show all calls"), m_banner);
    all->setObjectName(QStringLiteral("clearFocus"));
    connect(all, &QPushButton::clicked, this, &RequestsView::clearFocus);
    bannerLayout->addWidget(m_bannerText, 1);
    bannerLayout->addWidget(all);
    m_banner->hide();
    layout->addWidget(m_banner);

    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->setObjectName(QStringLiteral("requestsSplit"));
    m_table = new QTableView(m_split);
    m_model = new RequestTableModel(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->horizontalHeader()->setSortIndicatorShown(true);
    m_table->horizontalHeader()->setSortIndicator(RequestTableModel::Time, Qt::DescendingOrder);
    const int w = m_table->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    const int widths[RequestTableModel::ColumnCount] = {20, 18, 22, 18, 11, 11, 11, 11,
                                                        8,  9,  12, 14, 14, 10, 8,  26};
    for (int c = 0; c < RequestTableModel::ColumnCount; ++c)
        m_table->setColumnWidth(c, widths[c] * w);
    m_detail = new CallDetailPanel(m_split);
    m_split->setStretchFactor(0, 5);
    m_split->setStretchFactor(1, 2);
    layout->addWidget(m_split, 1);

    auto *copy = new QAction(tr("Copy"), this);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_table->addAction(copy);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(copy, &QAction::triggered, this, &RequestsView::copySelection);

    connect(m_model, &RequestTableModel::pageNeeded, this, &RequestsView::fetchPage);
    connect(m_sort, &QComboBox::currentIndexChanged, this, [this] {
        const auto s = RequestSort(m_sort->currentData().toInt());
        const bool time = s == RequestSort::TimeDesc || s == RequestSort::TimeAsc;
        const bool desc = s == RequestSort::TimeDesc || s == RequestSort::CostDesc;
        m_table->horizontalHeader()->setSortIndicator(
            time ? RequestTableModel::Time : RequestTableModel::Cost,
            desc ? Qt::DescendingOrder : Qt::AscendingOrder);
        reload();
    });
    // Header clicks on time or cost re-sort in the store (the table holds a
    // window of the calls, not all of them, so a view-side sort would lie).
    connect(m_table->horizontalHeader(), &QHeaderView::sectionClicked, this, [this](int col) {
        if (col != RequestTableModel::Time && col != RequestTableModel::Cost)
            return;
        const auto cur = RequestSort(m_sort->currentData().toInt());
        RequestSort next;
        if (col == RequestTableModel::Time)
            next = cur == RequestSort::TimeDesc ? RequestSort::TimeAsc : RequestSort::TimeDesc;
        else
            next = cur == RequestSort::CostDesc ? RequestSort::CostAsc : RequestSort::CostDesc;
        m_sort->setCurrentIndex(m_sort->findData(int(next)));
    });
    auto *debounce = new QTimer(this);
    debounce->setSingleShot(true);
    debounce->setInterval(250);
    connect(m_search, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
    connect(debounce, &QTimer::timeout, this, &RequestsView::reload);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &cur) {
                if (const RequestRow *r = m_model->rowAt(cur.row()))
                    m_detail->showCall(r->id);
            });
}

void RequestsView::setRunner(QueryRunner *runner)
{
    m_runner = runner;
    m_detail->setRunner(runner);
}

void RequestsView::setFilter(const ViewFilter &filter)
{
    m_filter = filter;
    m_focus.reset(); // the user moved on: the whole filter again
    m_restore.reset();
    m_banner->hide();
    reload();
}

void RequestsView::refresh(const ViewFilter &filter)
{
    // New calls landed: the same filter, focus (an anomaly's calls) and
    // search again, with the selected row and the scroll position kept.
    m_filter = filter;
    const QModelIndex current = m_table->currentIndex();
    m_restore = std::make_pair(current.isValid() ? current.row() : -1,
                               m_table->verticalScrollBar()->value());
    reload();
}

CallFilter RequestsView::queryFilter() const
{
    CallFilter f = m_filter.callFilter();
    if (m_focus) {
        f.include[m_focus->dimension] = {m_focus->name};
        f.fromDay = floorDiv(m_focus->fromMs, kMsPerDay);
        f.toDay = floorDiv(m_focus->toMs - 1, kMsPerDay);
        f.windowMs = std::make_pair(m_focus->fromMs, m_focus->toMs);
    }
    return f;
}

void RequestsView::showCallsOf(Dimension d, const QString &name, qint64 fromMs, qint64 toMs)
{
    m_focus = Focus{d, name.toStdString(), fromMs, toMs};
    m_bannerText->setText(tr("Showing the calls of %1 %2 from %3 to %4 UTC, oldest first "
                             "(the period and filters above are unchanged).")
                              .arg(QString::fromUtf8(dimensionName(d)), name,
                                   DisplayFormat::time(fromMs).left(16),
                                   DisplayFormat::time(toMs).left(16)));
    m_banner->show();
    {
        // Oldest first: the spike's calls in the order they came, not
        // buried under a cost sort.
        const QSignalBlocker quiet(m_sort);
        m_sort->setCurrentIndex(m_sort->findData(int(RequestSort::TimeAsc)));
        m_table->horizontalHeader()->setSortIndicator(RequestTableModel::Time, Qt::AscendingOrder);
    }
    m_search->clear();
    reload();
}

void RequestsView::clearFocus()
{
    if (!m_focus)
        return;
    m_focus.reset();
    m_banner->hide();
    reload();
}

QString RequestsView::focusText() const
{
    return m_focus ? m_bannerText->text() : QString();
}

QAbstractItemModel *RequestsView::exportModel()
{
    return m_model;
}

QString RequestsView::countText() const
{
    return m_count->text();
}

bool RequestsView::isSettled() const
{
    return m_firstPage && !m_model->isLoading();
}

void RequestsView::reload()
{
    if (!m_runner)
        return;
    m_firstPage = false;
    m_detail->clear();
    m_model->reset();
    m_count->setText(tr("loading…"));
    // The count comes from the rollups; a search counts what it finds.
    const CallFilter f = queryFilter();
    if (m_search->text().trimmed().isEmpty()) {
        m_runner->run<int64_t>(
            QStringLiteral("requests:count"),
            [f](Workspace &ws) { return SummaryQuery::run(ws, f, {}).totals[MRecords]; },
            [this](int64_t &n) { m_count->setText(tr("%1 calls").arg(DisplayFormat::count(n))); },
            [this](const QString &error) { m_count->setText(failureText(error)); });
    }
    if (m_model->canFetchMore({}))
        m_model->fetchMore({});
}

void RequestsView::fetchPage(quint64 generation, const RequestCursor &after)
{
    const CallFilter f = queryFilter();
    const auto sort = RequestSort(m_sort->currentData().toInt());
    const std::string search = m_search->text().trimmed().toStdString();
    m_runner->run<RequestPage>(
        QStringLiteral("requests:page"),
        [f, sort, search, after](Workspace &ws) {
            return RequestQuery::page(ws, f, sort, search, after, RequestTableModel::kPageSize);
        },
        [this, generation, search](RequestPage &p) {
            m_model->appendPage(generation, p);
            if (!search.empty() && m_model->atEnd())
                m_count->setText(
                    tr("%1 calls found").arg(DisplayFormat::count(m_model->rowCount())));
            if (!m_firstPage) {
                m_firstPage = true;
                if (m_restore) {
                    const auto [row, scroll] = *m_restore;
                    m_restore.reset();
                    if (row >= 0 && row < m_model->rowCount())
                        m_table->setCurrentIndex(m_model->index(row, 0));
                    m_table->verticalScrollBar()->setValue(scroll);
                }
                Q_EMIT settled();
            }
        },
        [this, generation](const QString &error) {
            m_model->pageFailed(generation);
            m_count->setText(failureText(error));
            m_firstPage = true;
            Q_EMIT settled();
        });
}

void RequestsView::copySelection()
{
    std::vector<int> rows;
    for (const QModelIndex &i : m_table->selectionModel()->selectedRows())
        rows.push_back(i.row());
    std::sort(rows.begin(), rows.end());
    if (!rows.empty())
        QApplication::clipboard()->setText(m_model->rowsAsText(rows));
}

} // namespace tl
