#pragma once

#include "viewfilter.h"

#include <QMainWindow>

#include "store/filekind.h"

#include <memory>
#include <set>

class QLabel;
class QListWidget;
class QMenu;
class QPushButton;
class QSplitter;
class QStackedWidget;

namespace tl {

class ExploreView;
class LiveFollower;
class FilterBar;
class OverviewView;
class QueryRunner;
class RequestsView;
class SimulatorView;
class BudgetsView;
class AnomaliesView;
class DecideView;
class View;
class Workspace;

// The application window: the filter bar on top, the views (Overview,
// Explore, Requests, Simulator, Budgets, Anomalies) chosen from the list on the left, the File menu
// (workspaces, imports, prices, CSV export), drag-and-drop import, and a
// status bar with the calls in range and unpriced calls. Everything it
// shows is queried through a QueryRunner, off the GUI thread.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(std::unique_ptr<Workspace> workspace, QWidget *parent = nullptr);
    ~MainWindow() override;

    void setWorkspace(std::unique_ptr<Workspace> workspace);
    QueryRunner *runner() const { return m_runner; }
    FilterBar *filterBar() const { return m_filterBar; }
    OverviewView *overview() const { return m_overview; }
    ExploreView *explore() const { return m_explore; }
    RequestsView *requests() const { return m_requests; }
    SimulatorView *simulator() const { return m_simulator; }
    BudgetsView *budgets() const { return m_budgets; }
    AnomaliesView *anomalies() const { return m_anomalies; }
    DecideView *decide() const { return m_decide; }
    View *currentView() const;
    // "overview", "explore", "requests", "simulator", "budgets", "anomalies"; false
    // for an unknown name.
    bool showView(const QString &name);
    // A file given to `tokenledger open` that is not a workspace: a scenario
    // opens in the Simulator, a budgets file is offered for import (imported
    // without asking when `confirm` is false), a mapping says how to use it.
    // False when it could not be opened (the reason was shown).
    bool openDocument(const QString &path, FileKind kind, bool confirm = true);
    static QStringList viewNames();
    // Waits (processing events) until the current view shows the current
    // filter's results, at most timeoutMs; for tests, shots and benchmarks.
    bool waitUntilSettled(int timeoutMs = 30000);

    // File menu actions, callable directly (tests drive these).
    void importFiles(const QStringList &files); // files and folders (walked)
    // File → New Workspace after the file dialog: replaces `path` (when it
    // can) with an empty workspace and shows it.
    bool createWorkspace(const QString &path, QString *error);
    // File → Connect to Server… after its dialog: connects to a libpq URI,
    // asking for a password when the server wants one (kept in memory
    // only) and offering to create the ledger in an empty database.
    bool connectToServer(const QString &uri);
    void openPrices();
    class ReportDialog *openReport(); // File → Export Report…
    bool exportCurrentTable(const QString &path, QString *error);
    QString statusCallsText() const;
    QString statusLiveText() const;
    LiveFollower *liveFollower() const { return m_live; }

Q_SIGNALS:
    void workspaceChanged();
    void importFinished(bool anyImported);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void buildMenus();
    void newWorkspace();
    void openWorkspaceDialog();
    void connectToServerDialog();
    bool openWorkspacePath(const QString &path);
    void importDialog();
    void importFolderDialog();
    void exportDialog();
    void rebuildRecentMenu();
    void filterChanged(const ViewFilter &filter);
    void viewSelected(int row);
    void refreshAll();
    void refreshLive(); // the calls changed underneath: keep the user's place
    void refreshStatus();
    void showUnpricedByModel();
    void saveSettings();
    void updateWindowTitle();

    std::unique_ptr<Workspace> m_workspace;
    QueryRunner *m_runner = nullptr;
    FilterBar *m_filterBar;
    QListWidget *m_nav;
    QStackedWidget *m_stack;
    QSplitter *m_split;
    OverviewView *m_overview;
    ExploreView *m_explore;
    RequestsView *m_requests;
    SimulatorView *m_simulator;
    BudgetsView *m_budgets;
    AnomaliesView *m_anomalies;
    DecideView *m_decide;
    QString m_workspaceName;
    QList<View *> m_views;
    std::set<View *> m_stale; // views to reload when next shown
    LiveFollower *m_live = nullptr;
    QLabel *m_statusLive = nullptr;
    QMenu *m_recent = nullptr;
    QAction *m_exportAction = nullptr;
    QLabel *m_statusPath;
    QLabel *m_statusCalls;
    QPushButton *m_statusUnpriced;
};

} // namespace tl
