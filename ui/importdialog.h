#pragma once

#include "import/importer.h"

#include <QDialog>

#include <atomic>
#include <mutex>
#include <thread>

class QDialogButtonBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace tl {

// Imports log files on a worker thread (its own connection) behind a
// progress bar: rows, rows/s, file n of m, and Cancel, which rolls the
// current file back and skips the rest. Ends with a per-file summary and
// the rejected rows, viewable and saveable.
class ImportDialog : public QDialog
{
    Q_OBJECT
public:
    ImportDialog(const QStringList &files, const QString &workspacePath, QWidget *parent = nullptr);
    ~ImportDialog() override;

    void start();
    bool isRunning() const { return m_thread.joinable() && !m_finished; }
    void cancel();
    const std::vector<FileImportResult> &results() const { return m_results; }
    QTableWidget *summaryTable() const { return m_table; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *rejectsButton() const { return m_rejects; }
    QLabel *statusLabel() const { return m_status; }

Q_SIGNALS:
    void finished(bool anyImported);
    void progressed(); // after each progress repaint (tests)

protected:
    void reject() override; // Esc and the close button cancel first

private:
    void poll();
    void done();
    void showRejects();

    QStringList m_files;
    QString m_path;
    QLabel *m_status;
    QProgressBar *m_bar;
    QTableWidget *m_table;
    QPushButton *m_cancel;
    QPushButton *m_rejects;
    QDialogButtonBox *m_buttons;

    std::thread m_thread;
    std::atomic<bool> m_cancelRequested{false};
    std::atomic<bool> m_workerDone{false};
    std::atomic<bool> m_waiting{false}; // another writer holds the workspace
    bool m_finished = false;
    std::mutex m_mutex;
    ImportProgress m_progress;               // guarded by m_mutex
    std::vector<FileImportResult> m_results; // the worker's until it is done
    std::string m_openError;
};

} // namespace tl
