#include "mainwindow.h"
#include "filedialogs.h"

#include "anomaliesview.h"
#include "budgetsview.h"
#include "decideview.h"
#include "displayformat.h"
#include "exploreview.h"
#include "export/requestcsvexport.h"
#include "export/tablecsvexport.h"
#include "filterbar.h"
#include "importdialog.h"
#include "items/queryrunner.h"
#include "items/requesttablemodel.h"
#include "livefollower.h"
#include "overviewview.h"
#include "pricesdialog.h"
#include "progressrunner.h"
#include "reportdialog.h"
#include "requestsview.h"
#include "scenariodocument.h"
#include "simulatorview.h"
#include "store/workspace.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QIcon>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QThread>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include <atomic>

namespace tl {

namespace {

constexpr int kMaxRecent = 8;
const QString kFilterKey = QStringLiteral("filter/last");

struct StatusCounts
{
    Measures totals;
    std::optional<std::pair<int64_t, int64_t>> bounds;
};

} // namespace

MainWindow::MainWindow(std::unique_ptr<Workspace> workspace, QWidget *parent)
    : QMainWindow(parent)
{
    setAcceptDrops(true);
    setWindowIcon(QIcon(QStringLiteral(":/tokenledger/tokenledger.svg")));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_filterBar = new FilterBar(central);
    layout->addWidget(m_filterBar);
    m_split = new QSplitter(Qt::Horizontal, central);
    m_split->setObjectName(QStringLiteral("mainSplit"));
    m_nav = new QListWidget(m_split);
    m_nav->setObjectName(QStringLiteral("navigation"));
    m_nav->setFrameShape(QFrame::NoFrame);
    m_nav->setStyleSheet(QStringLiteral("QListWidget#navigation::item { padding: 7px 12px; }"));
    m_nav->setMinimumWidth(96);
    m_nav->setMaximumWidth(220);
    m_stack = new QStackedWidget(m_split);
    m_overview = new OverviewView(m_stack);
    m_explore = new ExploreView(m_stack);
    m_requests = new RequestsView(m_stack);
    m_simulator = new SimulatorView(m_stack);
    m_budgets = new BudgetsView(m_stack);
    m_anomalies = new AnomaliesView(m_stack);
    m_decide = new DecideView(m_stack);
    m_views = {m_overview, m_explore, m_requests, m_simulator, m_budgets, m_anomalies, m_decide};
    // An opportunity opens as an unsaved scenario in the Simulator.
    connect(m_decide, &DecideView::scenarioRequested, this, [this](const sim::Scenario &s) {
        showView(QStringLiteral("simulator"));
        m_simulator->openUnsaved(s);
    });
    // An anomaly's calls: its entity and days, in Requests.
    // An anomaly's calls: its entity and window, in Requests, without
    // changing the shared period and filters.
    connect(m_anomalies, &AnomaliesView::callsRequested, this,
            [this](Dimension d, const QString &name, qint64 fromMs, qint64 toMs) {
                showView(QStringLiteral("requests"));
                m_requests->showCallsOf(d, name, fromMs, toMs);
            });
    // Opening a scenario shows its baseline period and names everywhere.
    connect(m_simulator, &SimulatorView::filterRequested, this,
            [this](const ViewFilter &f) { m_filterBar->setFilter(f); });
    connect(m_simulator, &SimulatorView::titleChanged, this, &MainWindow::updateWindowTitle);
    for (View *v : m_views) {
        m_stack->addWidget(v);
        m_nav->addItem(v->title());
        connect(v, &View::drillRequested, this, [this](Dimension d, const QString &name) {
            m_filterBar->restrictTo(d, name.toStdString());
            m_explore->drillTo(d); // at the entity, not at the Organisation
            showView(QStringLiteral("explore"));
        });
    }
    m_split->setStretchFactor(1, 1);
    m_split->setSizes({110, 1200});
    layout->addWidget(m_split, 1);
    setCentralWidget(central);

    m_statusPath = new QLabel(this);
    m_statusCalls = new QLabel(this);
    m_statusUnpriced = new QPushButton(this);
    m_statusUnpriced->setFlat(true);
    m_statusUnpriced->setToolTip(tr("Calls whose cost is unknown: no price in the catalog and none "
                                    "in the log. Click for the list by model."));
    m_statusUnpriced->hide();
    m_statusLive = new QLabel(this);
    m_statusLive->setToolTip(tr("Calls keep arriving (a collector, a folder watch, another "
                                "import): the views follow them, at most once a second."));
    m_statusLive->hide();
    m_live = new LiveFollower(this);
    connect(m_live, &LiveFollower::changed, this, &MainWindow::refreshLive);
    connect(m_live, &LiveFollower::statusChanged, this, [this](const QString &text) {
        m_statusLive->setText(text);
        m_statusLive->setVisible(!text.isEmpty());
    });
    statusBar()->addWidget(m_statusPath, 1);
    statusBar()->addPermanentWidget(m_statusLive);
    statusBar()->addPermanentWidget(m_statusCalls);
    statusBar()->addPermanentWidget(m_statusUnpriced);
    connect(m_statusUnpriced, &QPushButton::clicked, this, &MainWindow::showUnpricedByModel);

    buildMenus();

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1400, 900);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    for (QSplitter *s : findChildren<QSplitter *>())
        if (!s->objectName().isEmpty())
            s->restoreState(
                settings.value(QStringLiteral("splitter/") + s->objectName()).toByteArray());
    const QString levels = settings.value(QStringLiteral("explore/levels")).toString();
    if (!levels.isEmpty())
        m_explore->setHierarchy(levels);
    m_filterBar->setFilter(ViewFilter::fromVariant(settings.value(kFilterKey).toMap()));
    connect(m_filterBar, &FilterBar::filterChanged, this, &MainWindow::filterChanged);
    connect(m_nav, &QListWidget::currentRowChanged, this, &MainWindow::viewSelected);
    m_nav->setCurrentRow(std::clamp(settings.value(QStringLiteral("window/view"), 0).toInt(), 0,
                                    int(m_views.size()) - 1));
    setWorkspace(std::move(workspace));
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Workspace…"), QKeySequence::New, this, &MainWindow::newWorkspace);
    file->addAction(tr("&Open Workspace…"), QKeySequence::Open, this,
                    &MainWindow::openWorkspaceDialog);
    file->addAction(tr("&Connect to Server…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this,
                    &MainWindow::connectToServerDialog);
    m_recent = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    file->addAction(tr("&Import Logs…"), QKeySequence(Qt::CTRL | Qt::Key_I), this,
                    &MainWindow::importDialog);
    file->addAction(tr("Import &Folder…"), this, &MainWindow::importFolderDialog);
    file->addAction(tr("&Prices…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), this,
                    &MainWindow::openPrices);
    m_exportAction =
        file->addAction(tr("&Export Table as CSV…"), QKeySequence(Qt::CTRL | Qt::Key_E), this,
                        &MainWindow::exportDialog);
    file->addAction(tr("Export &Report…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this,
                    &MainWindow::openReport);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < m_views.size(); ++i)
        view->addAction(m_views[i]->title(), QKeySequence(Qt::CTRL | (Qt::Key_1 + i)), this,
                        [this, i] { m_nav->setCurrentRow(i); });
    view->addSeparator();
    view->addAction(tr("&Refresh"), QKeySequence::Refresh, this, &MainWindow::refreshAll);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recent->clear();
    const QStringList recent = QSettings().value(QStringLiteral("workspace/recent")).toStringList();
    for (const QString &p : recent)
        m_recent->addAction(QString::fromStdString(Workspace::shortName(p.toStdString())) +
                                QStringLiteral("  —  ") + p,
                            this, [this, p] {
                                if (isServerTarget(p.toStdString()))
                                    connectToServer(p);
                                else
                                    openWorkspacePath(p);
                            });
    m_recent->setEnabled(!recent.isEmpty());
}

View *MainWindow::currentView() const
{
    return qobject_cast<View *>(m_stack->currentWidget());
}

QStringList MainWindow::viewNames()
{
    return {QStringLiteral("overview"),  QStringLiteral("explore"), QStringLiteral("requests"),
            QStringLiteral("simulator"), QStringLiteral("budgets"), QStringLiteral("anomalies"),
            QStringLiteral("decide")};
}

bool MainWindow::openDocument(const QString &path, FileKind kind, bool confirm)
{
    const QString name = QFileInfo(path).fileName();
    switch (kind) {
    case FileKind::Scenario:
        showView(QStringLiteral("simulator"));
        return m_simulator->openScenario(path);
    case FileKind::Budgets: {
        if (confirm &&
            QMessageBox::question(this, tr("Import budgets"),
                                  tr("Import the budgets in %1 into %2? They replace its "
                                     "budgets (Edit → Undo brings them back).")
                                      .arg(name, m_workspaceName.isEmpty() ? tr("this workspace")
                                                                           : m_workspaceName)) !=
                QMessageBox::Yes)
            return false;
        showView(QStringLiteral("budgets"));
        QString error;
        if (!m_budgets->importFile(path, &error)) {
            if (confirm)
                QMessageBox::warning(this, tr("Cannot import the budgets"), error);
            return false;
        }
        return true;
    }
    case FileKind::Mapping:
        if (confirm)
            QMessageBox::information(
                this, tr("An attribution mapping"),
                tr("%1 maps your logs' fields to teams, features, agents and users. Use it when "
                   "importing: tokenledger import --mapping %2 FILE (also with watch and "
                   "collect).")
                    .arg(name, path));
        return true;
    case FileKind::Workspace:
    case FileKind::Unknown:
        break;
    }
    return false;
}

bool MainWindow::showView(const QString &name)
{
    const int i = viewNames().indexOf(name.toLower());
    if (i < 0)
        return false;
    m_nav->setCurrentRow(i);
    return true;
}

bool MainWindow::waitUntilSettled(int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        QApplication::processEvents(QEventLoop::AllEvents, 20);
        View *v = currentView();
        if (v && v->isSettled() && m_runner && m_runner->pending() == 0)
            return true;
        QThread::msleep(2);
    }
    return false;
}

void MainWindow::viewSelected(int row)
{
    if (row < 0 || row >= m_views.size())
        return;
    View *v = m_views[row];
    m_stack->setCurrentWidget(v);
    m_exportAction->setEnabled(v->exportModel() != nullptr);
    updateWindowTitle();
    if (m_stale.erase(v))
        v->setFilter(m_filterBar->filter());
}

void MainWindow::filterChanged(const ViewFilter &filter)
{
    // The view on screen reloads now; the others when they are next shown,
    // so the worker answers what the user looks at first.
    for (View *v : m_views) {
        if (v == currentView())
            v->setFilter(filter);
        else
            m_stale.insert(v);
    }
    refreshStatus();
}

void MainWindow::refreshAll()
{
    if (!m_runner)
        return;
    for (View *v : m_views)
        m_stale.insert(v);
    if (View *v = currentView()) {
        m_stale.erase(v);
        v->setFilter(m_filterBar->filter());
    }
    refreshStatus();
}

void MainWindow::refreshLive()
{
    if (!m_runner)
        return;
    View *current = currentView();
    for (View *v : m_views)
        if (v != current)
            m_stale.insert(v);
    // The Simulator's scenario is the user's work in progress: it is not
    // re-run under them; its baseline is read again when next shown.
    if (current == m_simulator)
        m_stale.insert(current);
    else if (current)
        current->refresh(m_filterBar->filter());
    refreshStatus();
}

QString MainWindow::statusLiveText() const
{
    return m_statusLive->isVisible() ? m_statusLive->text() : QString();
}

void MainWindow::setWorkspace(std::unique_ptr<Workspace> workspace)
{
    m_workspace = std::move(workspace);
    const QString path = QString::fromStdString(m_workspace->path());
    m_live->setRunner(nullptr);
    delete m_runner;
    m_runner = new QueryRunner(path, this);
    m_live->setRunner(m_runner);
    connect(m_runner, &QueryRunner::failed, this,
            [this](const QString &channel, const QString &msg) {
                statusBar()->showMessage(tr("A query failed (%1): %2").arg(channel, msg), 10000);
            });
    QSettings settings;
    settings.setValue(QStringLiteral("workspace/last"), path);
    QStringList recent = settings.value(QStringLiteral("workspace/recent")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(QStringLiteral("workspace/recent"), recent);
    rebuildRecentMenu();
    m_workspaceName = QString::fromStdString(Workspace::shortName(m_workspace->path()));
    updateWindowTitle();
    m_statusPath->setText(path);
    m_filterBar->setRunner(m_runner);
    for (View *v : m_views) {
        v->setRunner(m_runner);
        if (v == currentView())
            v->setFilter(m_filterBar->filter());
        else
            m_stale.insert(v); // queried when first shown
    }
    refreshStatus();
    Q_EMIT workspaceChanged();
}

void MainWindow::refreshStatus()
{
    if (!m_runner)
        return;
    const CallFilter f = m_filterBar->filter().callFilter();
    m_runner->run<StatusCounts>(
        QStringLiteral("status"),
        [f](Workspace &ws) {
            StatusCounts s;
            s.totals = SummaryQuery::run(ws, f, {}).totals;
            s.bounds = dataDayBounds(ws);
            return s;
        },
        [this](StatusCounts &s) {
            m_statusCalls->setText(
                tr("%1 calls in range").arg(DisplayFormat::count(s.totals[MRecords])));
            const int64_t unpriced = s.totals[MUnpricedRequests];
            m_statusUnpriced->setText(tr("⚠ %1 unpriced").arg(DisplayFormat::count(unpriced)));
            m_statusUnpriced->setVisible(unpriced > 0);
            if (s.bounds)
                m_filterBar->setDataBounds(s.bounds->first, s.bounds->second);
        },
        [this](const QString &) {
            m_statusCalls->setText(tr("calls in range unknown"));
            m_statusUnpriced->hide();
        });
}

QString MainWindow::statusCallsText() const
{
    return m_statusCalls->text();
}

void MainWindow::showUnpricedByModel()
{
    const CallFilter f = m_filterBar->filter().callFilter();
    m_runner->run<SummaryResult>(
        QStringLiteral("unpriced"),
        [f](Workspace &ws) { return SummaryQuery::run(ws, f, {*GroupKey::fromName("model")}); },
        [this](SummaryResult &r) {
            QString text = tr("<p>Calls with no cost known (no catalog price, none in the log), "
                              "by model:</p><table>");
            for (const auto &row : r.rows)
                if (row.m[MUnpricedRequests] > 0)
                    text +=
                        QStringLiteral("<tr><td>%1</td><td align=right>&nbsp;&nbsp;%2</td></tr>")
                            .arg(QString::fromStdString(row.keys[0]).toHtmlEscaped(),
                                 DisplayFormat::count(row.m[MUnpricedRequests]));
            text +=
                tr("</table><p>Add their prices in File → Prices…; the costs are recomputed.</p>");
            QMessageBox box(QMessageBox::Information, tr("Unpriced calls"), text, QMessageBox::Ok,
                            this);
            box.setTextFormat(Qt::RichText);
            box.exec();
        });
}

void MainWindow::newWorkspace()
{
    const QString path =
        FileDialogs::saveFile(this, tr("New Workspace"), QStringLiteral("costs.tlw"),
                              tr("tokenledger workspaces (*.tlw *.db *.sqlite)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!createWorkspace(path, &error))
        QMessageBox::warning(this, tr("Cannot create workspace"), error);
}

bool MainWindow::createWorkspace(const QString &path, QString *error)
{
    if (m_workspace && QFileInfo(path) == QFileInfo(QString::fromStdString(m_workspace->path()))) {
        *error = tr("%1 is the open workspace; choose another name.").arg(path);
        return false;
    }
    for (const QString &suffix :
         {QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal")}) {
        if (QFileInfo::exists(path + suffix) && !QFile::remove(path + suffix)) {
            *error = tr("%1 cannot be replaced.").arg(path + suffix);
            return false;
        }
    }
    std::string why;
    auto ws = Workspace::open(path.toStdString(), Workspace::OpenMode::CreateIfMissing, &why);
    if (!ws) {
        *error = QString::fromStdString(why);
        return false;
    }
    setWorkspace(std::move(ws));
    return true;
}

void MainWindow::openWorkspaceDialog()
{
    const QString path =
        FileDialogs::openFile(this, tr("Open Workspace"),
                              tr("tokenledger workspaces (*.tlw *.db *.sqlite);;All files (*)"));
    if (!path.isEmpty())
        openWorkspacePath(path);
}

bool MainWindow::openWorkspacePath(const QString &path)
{
    std::string error;
    auto ws = openWorkspaceWithProgress(this, path.toStdString(), false, &error);
    if (!ws) {
        QMessageBox::warning(this, tr("Cannot open workspace"), QString::fromStdString(error));
        return false;
    }
    setWorkspace(std::move(ws));
    return true;
}

void MainWindow::connectToServerDialog()
{
    // Servers only (recent files stay in Open Recent); never a password.
    QStringList servers;
    for (const QString &p : QSettings().value(QStringLiteral("workspace/recent")).toStringList())
        if (isServerTarget(p.toStdString()))
            servers << p;
    bool ok = false;
    const QString uri = QInputDialog::getItem(
        this, tr("Connect to Server"),
        tr("A team's ledger on PostgreSQL, as postgresql://USER@HOST:PORT/DATABASE.\n"
           "The password is asked for when the server wants one (or comes from ~/.pgpass or "
           "PGPASSWORD); it is never saved."),
        servers, 0, true, &ok);
    if (ok && !uri.trimmed().isEmpty())
        connectToServer(uri.trimmed());
}

bool MainWindow::connectToServer(const QString &uri)
{
    if (!isServerTarget(uri.toStdString())) {
        QMessageBox::warning(this, tr("Cannot connect"),
                             tr("%1 is not a server URI: it starts with postgresql://").arg(uri));
        return false;
    }
    std::string error;
    Workspace::Failure kind = Workspace::Failure::None;
    bool create = false;
    for (int attempt = 0; attempt < 5; ++attempt) {
        auto ws = openWorkspaceWithProgress(this, uri.toStdString(), create, &error, &kind);
        if (ws) {
            setWorkspace(std::move(ws));
            return true;
        }
        if (kind == Workspace::Failure::Password) {
            bool ok = false;
            const QString pw = QInputDialog::getText(
                this, tr("Password"),
                (attempt ? tr("The server refused that password.\n") : QString()) +
                    tr("Password for %1:").arg(uri),
                QLineEdit::Password, QString(), &ok);
            if (!ok)
                return false;
            Workspace::rememberServerPassword(uri.toStdString(), pw.toStdString());
            continue;
        }
        if (kind == Workspace::Failure::Missing && !create) {
            if (QMessageBox::question(
                    this, tr("No ledger yet"),
                    tr("%1 holds no tokenledger ledger yet. Create one there?").arg(uri)) !=
                QMessageBox::Yes)
                return false;
            create = true;
            continue;
        }
        break;
    }
    QMessageBox::warning(this, tr("Cannot connect"), QString::fromStdString(error));
    return false;
}

void MainWindow::importDialog()
{
    const QStringList files = FileDialogs::openFiles(
        this, tr("Import Logs"), tr("Cost logs (*.csv *.jsonl *.json *.ndjson);;All files (*)"));
    if (!files.isEmpty())
        importFiles(files);
}

void MainWindow::importFolderDialog()
{
    // Every log file under a folder: a coding agent's session history
    // (~/.claude/projects, ~/.codex/sessions) or a folder of exports.
    const QString dir = FileDialogs::folder(this, tr("Import Every Log in a Folder"));
    if (!dir.isEmpty())
        importFiles({dir});
}

void MainWindow::importFiles(const QStringList &files)
{
    auto *dialog = new ImportDialog(files, QString::fromStdString(m_workspace->path()), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ImportDialog::finished, this, [this](bool any) {
        if (any)
            refreshAll();
        Q_EMIT importFinished(any);
    });
    dialog->setObjectName(QStringLiteral("importDialog"));
    dialog->open();
    dialog->start();
}

void MainWindow::openPrices()
{
    PricesDialog dialog(m_workspace->catalog(), QString::fromStdString(m_workspace->path()), this);
    connect(&dialog, &PricesDialog::catalogApplied, this, [this] {
        // Our own connection caches the catalog: read it again.
        std::string error;
        if (auto ws =
                Workspace::open(m_workspace->path(), Workspace::OpenMode::OpenExisting, &error))
            m_workspace = std::move(ws);
        refreshAll();
    });
    dialog.exec();
}

bool MainWindow::exportCurrentTable(const QString &path, QString *error)
{
    View *v = currentView();
    if (v == m_requests) {
        // Every call under the filter, not just the rows scrolled into view:
        // written page by page on a worker with progress.
        const CallFilter f = m_requests->queryFilter();
        const auto sort = RequestSort(m_requests->sortCombo()->currentData().toInt());
        const std::string search = m_requests->searchEdit()->text().trimmed().toStdString();
        QProgressDialog progress(tr("Exporting calls…"), tr("Cancel"), 0, 0, this);
        progress.setWindowModality(Qt::WindowModal);
        progress.setMinimumDuration(500);
        std::atomic<bool> cancelled{false};
        std::atomic<int64_t> rows{0};
        bool ok = false;
        std::string why;
        const std::string db = m_workspace->path(), out = path.toStdString();
        runWithProgress(
            progress, cancelled,
            [&] {
                auto ws = Workspace::open(db, Workspace::OpenMode::OpenExisting, &why);
                if (ws)
                    ok = RequestCsvExport::write(
                        *ws, f, sort, search, out,
                        [&](int64_t n) {
                            rows = n;
                            return !cancelled.load();
                        },
                        &why);
            },
            [&] {
                progress.setLabelText(
                    tr("Exporting calls… %1 written").arg(DisplayFormat::count(rows.load())));
            });
        if (!ok && error)
            *error = QString::fromStdString(why);
        return ok;
    }
    QAbstractItemModel *model = v ? v->exportModel() : nullptr;
    if (!model) {
        if (error)
            *error = tr("This view has no table to export.");
        return false;
    }
    const QModelIndex parent = v == m_explore ? m_explore->exportParent() : QModelIndex();
    return TableCsvExport::write(*model, path, error, parent);
}

void MainWindow::exportDialog()
{
    View *v = currentView();
    const QString name = QStringLiteral("%1-%2.csv")
                             .arg(v->title().toLower(), QDate::currentDate().toString(Qt::ISODate));
    const QString path =
        FileDialogs::saveFile(this, tr("Export Table as CSV"), name, tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (exportCurrentTable(path, &error))
        statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
    else
        QMessageBox::warning(this, tr("Export failed"), error);
}

ReportDialog *MainWindow::openReport()
{
    auto *dialog = new ReportDialog(m_runner, m_filterBar->filter().callFilter(), this);
    dialog->setObjectName(QStringLiteral("reportDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList files;
    for (const QUrl &u : event->mimeData()->urls())
        if (u.isLocalFile() && QFileInfo(u.toLocalFile()).isFile())
            files << u.toLocalFile();
    if (files.isEmpty())
        return;
    event->acceptProposedAction();
    // A scenario, budgets or mapping file dropped on the window opens as a
    // double-click would; logs are imported.
    QStringList logs;
    for (const QString &f : files) {
        const FileKind kind = detectFileKind(f.toStdString());
        if (kind == FileKind::Scenario || kind == FileKind::Budgets || kind == FileKind::Mapping)
            openDocument(f, kind);
        else
            logs << f;
    }
    if (!logs.isEmpty())
        importFiles(logs);
}

void MainWindow::saveSettings()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/view"), m_nav->currentRow());
    for (QSplitter *s : findChildren<QSplitter *>())
        if (!s->objectName().isEmpty())
            settings.setValue(QStringLiteral("splitter/") + s->objectName(), s->saveState());
    settings.setValue(kFilterKey, m_filterBar->filter().toVariant());
    settings.setValue(QStringLiteral("explore/levels"), m_explore->hierarchyText());
}

void MainWindow::updateWindowTitle()
{
    // The scenario's name and unsaved state while the Simulator is in view.
    if (currentView() == m_simulator) {
        setWindowTitle(
            tr("%1 — %2 — tokenledger").arg(m_simulator->windowTitlePart(), m_workspaceName));
        setWindowModified(m_simulator->document()->isModified());
    } else {
        setWindowTitle(tr("%1 — tokenledger").arg(m_workspaceName));
        setWindowModified(false);
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_simulator->maybeSave()) {
        event->ignore();
        return;
    }
    saveSettings();
    event->accept();
}

} // namespace tl
