#pragma once

#include <QObject>
#include <QString>

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace tl {

class Workspace;

// Runs the views' queries on one worker thread with its own connection to
// the workspace (SQLite connections belong to one thread), and hands each
// result back on the GUI thread.
//
// Jobs are submitted on a named channel ("overview", "explore:children"…).
// A newer job on a channel drops the older one if it has not started, and
// an older result that arrives late is discarded: a stale result never
// overwrites a newer one, and a slider or filter drag never queues work.
class QueryRunner : public QObject
{
    Q_OBJECT
public:
    explicit QueryRunner(QString workspacePath, QObject *parent = nullptr);
    ~QueryRunner() override;

    using Job = std::function<std::shared_ptr<void>(Workspace &)>;
    using Done = std::function<void(const std::shared_ptr<void> &)>;
    // Called instead of Done when the job threw: a view must then stop
    // showing the figures of its previous query (they are under the new
    // filter's labels by now) and say what went wrong.
    using Fail = std::function<void(const QString &message)>;

    void submit(const QString &channel, Job job, Done done, Fail fail = {});

    template <class T>
    void run(const QString &channel, std::function<T(Workspace &)> job,
             std::function<void(T &)> done, Fail fail = {})
    {
        submit(
            channel,
            [job = std::move(job)](Workspace &ws) -> std::shared_ptr<void> {
                return std::make_shared<T>(job(ws));
            },
            [done = std::move(done)](const std::shared_ptr<void> &p) {
                done(*static_cast<T *>(p.get()));
            },
            std::move(fail));
    }

    // Jobs submitted and not yet delivered (or discarded).
    int pending() const { return m_pending; }

Q_SIGNALS:
    void failed(const QString &channel, const QString &message);
    void busyChanged(bool busy);

private:
    struct Task
    {
        QString channel;
        quint64 ticket;
        Job job;
        Done done;
        Fail fail;
    };
    void loop();
    void deliver(const QString &channel, quint64 ticket, std::shared_ptr<void> result,
                 const QString &error, const Done &done, const Fail &fail);

    QString m_path;
    std::map<QString, quint64> m_latest; // GUI thread only
    quint64 m_nextTicket = 0;
    int m_pending = 0;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Task> m_queue;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace tl
