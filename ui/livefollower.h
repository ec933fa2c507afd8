#pragma once

#include "live/livestatus.h"

#include <QObject>
#include <QTimer>

#include <deque>
#include <utility>

namespace tl {

class QueryRunner;

// Follows a workspace that others write to (a collector, a watch, a
// colleague's import): asks once a second, off the GUI thread, whether the
// calls changed, and says so at most once a second; counts the calls that
// landed in the last minute for the status bar.
class LiveFollower : public QObject
{
    Q_OBJECT
public:
    explicit LiveFollower(QObject *parent = nullptr);
    // A new workspace (or none): forgets what it saw.
    void setRunner(QueryRunner *runner);
    // Ask now (tests; the timer asks every intervalMs).
    void poll();
    void setInterval(int ms) { m_timer.setInterval(ms); }
    // True once the first reading (the baseline) is in.
    bool watching() const { return m_known; }
    // Calls stored in the last minute, as the status bar shows them.
    int64_t callsLastMinute() const;

Q_SIGNALS:
    void changed();
    // "live: 1,234 calls in the last minute", or empty when nothing landed
    // in the last five minutes.
    void statusChanged(const QString &text);

private:
    void arrived(const live::LiveToken &t);

    QueryRunner *m_runner = nullptr;
    QTimer m_timer;
    bool m_asking = false;
    bool m_known = false;
    live::LiveToken m_last;
    qint64 m_lastChangeMs = 0;
    std::deque<std::pair<qint64, int64_t>> m_samples; // (when, calls stored)
    QString m_status;
};

} // namespace tl
