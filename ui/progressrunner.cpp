#include "progressrunner.h"

#include "store/workspace.h"

#include <QEventLoop>
#include <QProgressDialog>
#include <QThread>
#include <QTimer>

namespace tl {

void runWithProgress(QProgressDialog &dialog, std::atomic<bool> &cancelled,
                     const std::function<void()> &work, const std::function<void()> &tick)
{
    QThread *worker = QThread::create(work);
    QEventLoop loop;
    QTimer timer;
    QObject::connect(&timer, &QTimer::timeout, &dialog, tick);
    QObject::connect(&dialog, &QProgressDialog::canceled, &dialog, [&] { cancelled = true; });
    QObject::connect(worker, &QThread::finished, &loop, &QEventLoop::quit);
    timer.start(50);
    worker->start();
    loop.exec();
    worker->wait();
    delete worker;
}

std::unique_ptr<Workspace> openWorkspaceWithProgress(QWidget *parent, const std::string &path,
                                                     bool create, std::string *error,
                                                     Workspace::Failure *kind)
{
    QProgressDialog dialog(isServerTarget(path)
                               ? QObject::tr("Connecting to the server…")
                               : QObject::tr("Opening the workspace (upgrading its format if it "
                                             "is from an older tokenledger)…"),
                           QString(), 0, 0, parent);
    dialog.setWindowModality(Qt::ApplicationModal);
    dialog.setMinimumDuration(500);
    std::atomic<bool> cancelled{false};
    std::unique_ptr<Workspace> ws;
    // The connection is made on the worker and used on this thread after it
    // has finished: SQLite allows a connection to change threads when it is
    // not in use on two at once.
    runWithProgress(
        dialog, cancelled,
        [&] {
            ws = Workspace::open(path,
                                 create ? Workspace::OpenMode::CreateIfMissing
                                        : Workspace::OpenMode::OpenExisting,
                                 error, kind);
        },
        [] {});
    return ws;
}

} // namespace tl
