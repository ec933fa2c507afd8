#include "progressrunner.h"

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

} // namespace tl
