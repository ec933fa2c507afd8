#include "queryrunner.h"

#include "store/workspace.h"

#include <QMetaObject>
#include <QPointer>

namespace tl {

QueryRunner::QueryRunner(QString workspacePath, QObject *parent)
    : QObject(parent)
    , m_path(std::move(workspacePath))
{
    m_thread = std::thread([this] { loop(); });
}

QueryRunner::~QueryRunner()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_queue.clear();
    }
    m_wake.notify_all();
    m_thread.join();
}

void QueryRunner::submit(const QString &channel, Job job, Done done, Fail fail)
{
    const quint64 ticket = ++m_nextTicket;
    m_latest[channel] = ticket;
    int dropped = 0;
    {
        std::lock_guard lock(m_mutex);
        for (auto it = m_queue.begin(); it != m_queue.end();) {
            if (it->channel == channel) {
                it = m_queue.erase(it);
                ++dropped;
            } else {
                ++it;
            }
        }
        m_queue.push_back(Task{channel, ticket, std::move(job), std::move(done), std::move(fail)});
    }
    m_wake.notify_one();
    const bool wasIdle = m_pending == 0;
    m_pending += 1 - dropped;
    if (wasIdle)
        Q_EMIT busyChanged(true);
}

void QueryRunner::loop()
{
    std::unique_ptr<Workspace> ws;
    for (;;) {
        Task task;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
            if (m_stop)
                return;
            task = std::move(m_queue.front());
            m_queue.pop_front();
        }
        std::shared_ptr<void> result;
        QString error;
        try {
            if (!ws) {
                std::string why;
                ws = Workspace::open(m_path.toStdString(), Workspace::OpenMode::OpenExisting, &why);
                if (!ws)
                    throw std::runtime_error(why);
            }
            result = task.job(*ws);
        } catch (const std::exception &e) {
            error = QString::fromUtf8(e.what());
            // The next job opens the workspace again: a connection that saw
            // an error (a file replaced under it, an I/O error) is not reused.
            ws.reset();
        }
        // Queued to the GUI thread; dropped by Qt if this runner is gone.
        QMetaObject::invokeMethod(
            this,
            [this, channel = task.channel, ticket = task.ticket, result = std::move(result), error,
             done = std::move(task.done), fail = std::move(task.fail)]() mutable {
                deliver(channel, ticket, std::move(result), error, done, fail);
            },
            Qt::QueuedConnection);
    }
}

void QueryRunner::deliver(const QString &channel, quint64 ticket, std::shared_ptr<void> result,
                          const QString &error, const Done &done, const Fail &fail)
{
    if (--m_pending == 0)
        Q_EMIT busyChanged(false);
    if (m_latest[channel] != ticket)
        return; // a newer job on this channel was submitted since
    if (!error.isEmpty()) {
        Q_EMIT failed(channel, error);
        if (fail)
            fail(error);
        return;
    }
    done(result);
}

} // namespace tl
