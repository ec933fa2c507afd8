#include "livefollower.h"

#include "displayformat.h"
#include "items/queryrunner.h"

#include <QDateTime>

namespace tl {

namespace {
constexpr qint64 kMinuteMs = 60'000;
constexpr qint64 kLiveForMs = 5 * kMinuteMs;
} // namespace

LiveFollower::LiveFollower(QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &LiveFollower::poll);
}

void LiveFollower::setRunner(QueryRunner *runner)
{
    m_runner = runner;
    m_known = false;
    m_asking = false;
    m_samples.clear();
    m_lastChangeMs = 0;
    if (!m_status.isEmpty()) {
        m_status.clear();
        Q_EMIT statusChanged(m_status);
    }
    if (runner) {
        // The first reading is the baseline: asked before the views' first
        // queries (the runner answers in order), so that no commit between
        // them goes unnoticed.
        poll();
        m_timer.start();
    } else
        m_timer.stop();
}

void LiveFollower::poll()
{
    if (!m_runner || m_asking)
        return; // one question at a time: a slow server is not asked twice
    m_asking = true;
    QueryRunner *runner = m_runner;
    runner->run<live::LiveToken>(
        QStringLiteral("live"), [](Workspace &ws) { return live::liveToken(ws); },
        [this, runner](live::LiveToken &t) {
            if (runner != m_runner)
                return;
            m_asking = false;
            arrived(t);
        },
        [this, runner](const QString &) {
            if (runner == m_runner)
                m_asking = false; // the views say what failed; asked again next second
        });
}

int64_t LiveFollower::callsLastMinute() const
{
    if (m_samples.size() < 2)
        return 0;
    return m_samples.back().second - m_samples.front().second;
}

void LiveFollower::arrived(const live::LiveToken &t)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_samples.emplace_back(now, t.records);
    while (m_samples.size() > 2 && m_samples[1].first <= now - kMinuteMs)
        m_samples.pop_front();
    const bool change = m_known && !(t == m_last);
    m_known = true;
    m_last = t;
    if (change)
        m_lastChangeMs = now;
    QString status;
    if (m_lastChangeMs && now - m_lastChangeMs < kLiveForMs)
        status =
            tr("live: %1 calls in the last minute").arg(DisplayFormat::count(callsLastMinute()));
    if (status != m_status) {
        m_status = status;
        Q_EMIT statusChanged(m_status);
    }
    if (change)
        Q_EMIT changed();
}

} // namespace tl
