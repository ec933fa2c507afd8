#include "mainwindow.h"

#include "items/summarytablemodel.h"
#include "query/summaryquery.h"
#include "store/workspace.h"

#include <QAction>
#include <QCloseEvent>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>

namespace tl {

MainWindow::MainWindow(std::unique_ptr<Workspace> workspace, QWidget *parent)
    : QMainWindow(parent)
{
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_headline = new QLabel(central);
    m_headline->setTextFormat(Qt::RichText);
    m_headline->setObjectName(QStringLiteral("headline"));
    layout->addWidget(m_headline);
    m_table = new QTableView(central);
    m_model = new SummaryTableModel(this);
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_model);
    proxy->setSortRole(Qt::UserRole);
    m_table->setModel(proxy);
    m_table->setSortingEnabled(true);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    layout->addWidget(m_table, 1);
    setCentralWidget(central);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open Workspace…"), this, &MainWindow::openWorkspace);
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    m_statusPath = new QLabel(this);
    m_statusCalls = new QLabel(this);
    m_statusUnpriced = new QLabel(this);
    statusBar()->addWidget(m_statusPath, 1);
    statusBar()->addPermanentWidget(m_statusCalls);
    statusBar()->addPermanentWidget(m_statusUnpriced);

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1200, 760);
    setWorkspace(std::move(workspace));
}

MainWindow::~MainWindow() = default;

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    event->accept();
}

void MainWindow::openWorkspace()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open Workspace"), QString(),
                                     tr("tokenledger workspaces (*.db *.sqlite);;All files (*)"));
    if (path.isEmpty())
        return;
    std::string error;
    auto ws = Workspace::open(path.toStdString(), Workspace::OpenMode::OpenExisting, &error);
    if (!ws) {
        QMessageBox::warning(this, tr("Cannot open workspace"), QString::fromStdString(error));
        return;
    }
    setWorkspace(std::move(ws));
}

void MainWindow::setWorkspace(std::unique_ptr<Workspace> workspace)
{
    m_workspace = std::move(workspace);
    const QString path = QString::fromStdString(m_workspace->path());
    QSettings().setValue(QStringLiteral("workspace/last"), path);
    setWindowTitle(tr("%1 — tokenledger").arg(path.section(QLatin1Char('/'), -1)));
    m_statusPath->setText(path);
    refresh();
}

void MainWindow::refresh()
{
    std::vector<GroupKey> groups = {*GroupKey::fromName("team"), *GroupKey::fromName("agent")};
    SummaryResult r = SummaryQuery::run(*m_workspace, {}, groups);
    const Measures &t = r.totals;
    QLocale loc;
    m_headline->setText(
        tr("<span style='font-size:18pt; font-weight:600'>%1</span>&nbsp;&nbsp; spent on "
           "%2 requests · %3 input tokens (%4 cached) · %5 output tokens")
            .arg(QString::fromStdString(formatUsd(t[MCostNusd])))
            .arg(loc.toString(qlonglong(t[MRequests])))
            .arg(loc.toString(qlonglong(t[MInputTokens])))
            .arg(loc.toString(qlonglong(t[MCachedInputTokens])))
            .arg(loc.toString(qlonglong(t[MOutputTokens]))));
    m_model->setResult(std::move(r));
    m_table->sortByColumn(int(groups.size()) + 4, Qt::DescendingOrder);
    m_table->resizeColumnsToContents();
    // Names take the spare width; numbers keep to their contents.
    m_table->horizontalHeader()->setSectionResizeMode(int(groups.size()) - 1, QHeaderView::Stretch);
    m_statusCalls->setText(tr("%1 calls").arg(loc.toString(qlonglong(t[MRecords]))));
    m_statusUnpriced->setText(
        t[MUnpricedRequests]
            ? tr("⚠ %1 unpriced requests").arg(loc.toString(qlonglong(t[MUnpricedRequests])))
            : QString());
}

} // namespace tl
