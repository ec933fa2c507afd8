#pragma once

#include <QMainWindow>

#include <memory>

class QLabel;
class QTableView;

namespace tl {

class Workspace;
class SummaryTableModel;

// The application window. For now: the workspace's headline figures and
// spend by team and agent; the dashboard, drill-down and requests views of
// the desktop-app issue grow from here.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(std::unique_ptr<Workspace> workspace, QWidget *parent = nullptr);
    ~MainWindow() override;

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void openWorkspace();
    void setWorkspace(std::unique_ptr<Workspace> workspace);
    void refresh();

    std::unique_ptr<Workspace> m_workspace;
    QLabel *m_headline = nullptr;
    QTableView *m_table = nullptr;
    SummaryTableModel *m_model = nullptr;
    QLabel *m_statusPath = nullptr;
    QLabel *m_statusCalls = nullptr;
    QLabel *m_statusUnpriced = nullptr;
};

} // namespace tl
