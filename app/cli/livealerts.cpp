#include "livealerts.h"

#include "clicontext.h"
#include "live/alertengine.h"
#include "live/spancollector.h"
#include "store/workspace.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <optional>
#include <set>

namespace tl::cli {

namespace {

int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct AlertConfig
{
    std::string target;
    std::vector<QUrl> urls;
    QString command;
    live::LiveAlertOptions options;
};

// Lives on the alerts thread: evaluates, stores, delivers, retries.
class AlertWorker : public QObject
{
public:
    explicit AlertWorker(AlertConfig c)
        : m_config(std::move(c))
    {}

    void begin()
    {
        std::string error;
        m_ws = Workspace::open(m_config.target, Workspace::OpenMode::OpenExisting, &error);
        if (!m_ws) {
            printError("alerts: " + error + " (alerts are not evaluated)");
            return;
        }
        m_engine = std::make_unique<live::AlertEngine>(*m_ws, m_config.options);
        m_net = new QNetworkAccessManager(this);
        m_timer = new QTimer(this);
        m_timer->setInterval(1000);
        connect(m_timer, &QTimer::timeout, this, &AlertWorker::tick);
        m_timer->start();
        m_dirty = true; // a start on a workspace with data judges it once
        tick();
    }

    void wake() { m_dirty = true; }

    // Before the thread stops: one more evaluation and a bounded wait for deliveries.
    void finish()
    {
        if (!m_engine)
            return;
        m_dirty = true;
        tick();
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (m_inFlight > 0 && std::chrono::steady_clock::now() < deadline)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 100);
        m_timer->stop();
        m_engine.reset();
        m_ws.reset();
    }

private:
    void tick()
    {
        if (!m_engine)
            return;
        const int64_t now = nowMs();
        try {
            // Judged on every commit, at most once a second, and every ten
            // seconds regardless (a forecast moves with the clock too).
            if (m_dirty || now - m_lastEvaluation >= 10'000) {
                m_dirty = false;
                m_lastEvaluation = now;
                const int64_t at = live::AlertEngine::latestCallMs(*m_ws);
                if (at > 0)
                    for (const live::AlertRecord &a : m_engine->evaluate(at, now))
                        announce(a);
            }
            for (const live::AlertRecord &a : m_engine->due(now))
                deliver(a);
        } catch (const std::exception &e) {
            printError(std::string("alerts: ") + e.what() + " (tried again in a second)");
        }
    }

    void announce(const live::AlertRecord &a)
    {
        const auto text = QJsonDocument::fromJson(QByteArray::fromStdString(a.payload))
                              .object()
                              .value(QStringLiteral("text"))
                              .toString();
        printOut("alert: " + toStd(text) + "\n");
        std::fflush(stdout);
    }

    void deliver(const live::AlertRecord &a)
    {
        if (m_busy.count(a.id))
            return;
        const int destinations = int(m_config.urls.size()) + (m_config.command.isEmpty() ? 0 : 1);
        if (destinations == 0) {
            m_engine->markSent(a.id, nowMs()); // printed and stored: nowhere else to send it
            return;
        }
        m_busy.insert(a.id);
        auto state = std::make_shared<Delivery>();
        state->alert = a;
        state->pending = destinations;
        const QByteArray body = QByteArray::fromStdString(a.payload);
        int index = 0;
        for (const QUrl &url : m_config.urls) {
            const int dest = index++;
            if (m_delivered.count({a.id, dest})) {
                done(state, dest, {});
                continue;
            }
            QNetworkRequest req(url);
            req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
            req.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("tokenledger"));
            req.setTransferTimeout(10'000);
            ++m_inFlight;
            QNetworkReply *reply = m_net->post(req, body);
            connect(reply, &QNetworkReply::finished, this, [this, reply, state, dest, url] {
                --m_inFlight;
                reply->deleteLater();
                const int status =
                    reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                QString error;
                if (reply->error() != QNetworkReply::NoError || status < 200 || status >= 300)
                    error = url.toDisplayString(QUrl::RemoveUserInfo) + QStringLiteral(": ") +
                            (status ? QStringLiteral("HTTP %1").arg(status) : reply->errorString());
                done(state, dest, error);
            });
        }
        if (!m_config.command.isEmpty()) {
            const int dest = index;
            if (m_delivered.count({a.id, dest})) {
                done(state, dest, {});
            } else {
                auto *p = new QProcess(this);
                ++m_inFlight;
                connect(p, &QProcess::finished, this,
                        [this, p, state, dest](int code, QProcess::ExitStatus st) {
                            --m_inFlight;
                            p->deleteLater();
                            done(state, dest,
                                 st == QProcess::NormalExit && code == 0
                                     ? QString()
                                     : QStringLiteral("--notify-command exited with %1").arg(code));
                        });
                connect(p, &QProcess::errorOccurred, this,
                        [this, p, state, dest](QProcess::ProcessError e) {
                            if (e != QProcess::FailedToStart)
                                return;
                            --m_inFlight;
                            p->deleteLater();
                            done(state, dest, QStringLiteral("--notify-command could not start"));
                        });
                p->start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), m_config.command});
                p->write(body);
                p->closeWriteChannel();
            }
        }
    }

    struct Delivery
    {
        live::AlertRecord alert;
        int pending = 0;
        QString firstError;
    };

    void done(const std::shared_ptr<Delivery> &d, int dest, const QString &error)
    {
        if (error.isEmpty())
            m_delivered.insert({d->alert.id, dest});
        else if (d->firstError.isEmpty())
            d->firstError = error;
        if (--d->pending > 0)
            return;
        m_busy.erase(d->alert.id);
        if (!m_engine)
            return;
        try {
            if (d->firstError.isEmpty()) {
                m_engine->markSent(d->alert.id, nowMs());
            } else {
                // Backoff: 2 s, 4 s, 8 s … up to 5 minutes between attempts.
                const int64_t wait =
                    std::min<int64_t>(300'000, 2000LL << std::min<int64_t>(d->alert.attempts, 8));
                m_engine->markFailed(d->alert.id, toStd(d->firstError), nowMs() + wait);
                printError("alert not delivered: " + toStd(d->firstError) + "; retrying in " +
                           std::to_string(wait / 1000) + " s");
            }
        } catch (const std::exception &e) {
            printError(std::string("alerts: ") + e.what());
        }
    }

    AlertConfig m_config;
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<live::AlertEngine> m_engine;
    QNetworkAccessManager *m_net = nullptr;
    QTimer *m_timer = nullptr;
    bool m_dirty = false;
    int64_t m_lastEvaluation = 0;
    int m_inFlight = 0;
    std::set<int64_t> m_busy;
    std::set<std::pair<int64_t, int>> m_delivered; // (alert, destination) done this run
};

class ThreadedAlerts : public LiveAlerts
{
public:
    explicit ThreadedAlerts(AlertConfig c)
    {
        m_worker = new AlertWorker(std::move(c));
        m_worker->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
        m_thread.start();
        QMetaObject::invokeMethod(
            m_worker, [w = m_worker] { w->begin(); }, Qt::QueuedConnection);
    }
    ~ThreadedAlerts() override { finish(); }

    void afterCommit(const live::CommitInfo &) override
    {
        QMetaObject::invokeMethod(
            m_worker, [w = m_worker] { w->wake(); }, Qt::QueuedConnection);
    }

    void finish() override
    {
        if (m_finished.exchange(true))
            return;
        QMetaObject::invokeMethod(
            m_worker, [w = m_worker] { w->finish(); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

private:
    QThread m_thread;
    AlertWorker *m_worker;
    std::atomic<bool> m_finished{false};
};

} // namespace

void addAlertOptions(QCommandLineParser &p)
{
    p.addOption({QStringLiteral("notify"),
                 QStringLiteral("POST each new alert as JSON (Slack-compatible \"text\" plus "
                                "structured fields) to URL; repeatable."),
                 QStringLiteral("URL")});
    p.addOption({QStringLiteral("notify-command"),
                 QStringLiteral("Run CMD (with /bin/sh) for each new alert, its JSON on stdin "
                                "(e.g. a sendmail pipe)."),
                 QStringLiteral("CMD")});
    p.addOption({QStringLiteral("alert-windows"),
                 QStringLiteral("Anomaly windows in minutes (default 5,15)."),
                 QStringLiteral("MINUTES"), QStringLiteral("5,15")});
    p.addOption({QStringLiteral("sensitivity"),
                 QStringLiteral("z-score of an agent's calls in a window to alarm at (default 6)."),
                 QStringLiteral("Z"), QStringLiteral("6")});
    p.addOption({QStringLiteral("min-excess"),
                 QStringLiteral("Smallest excess spend that alarms, in USD per hour of the "
                                "window (default 2: $0.17 over 5 minutes)."),
                 QStringLiteral("USD"), QStringLiteral("2")});
}

namespace {

std::optional<AlertConfig> parseAlertOptions(const QCommandLineParser &p, const std::string &target,
                                             std::string *error)
{
    AlertConfig c;
    c.target = target;
    for (const QString &u : p.values(QStringLiteral("notify"))) {
        QUrl url(u, QUrl::StrictMode);
        if (!url.isValid() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
            *error = "--notify " + toStd(u) + ": expected an http:// or https:// URL";
            return std::nullopt;
        }
        c.urls.push_back(url);
    }
    c.command = p.value(QStringLiteral("notify-command"));
    c.options.windowsMinutes.clear();
    for (const QString &w : p.value(QStringLiteral("alert-windows")).split(QLatin1Char(','))) {
        bool ok = false;
        const int m = w.trimmed().toInt(&ok);
        if (!ok || m < 1 || m > 60) {
            *error = "--alert-windows: expected minutes from 1 to 60, comma-separated";
            return std::nullopt;
        }
        c.options.windowsMinutes.push_back(m);
    }
    bool ok = false;
    c.options.detector.sensitivity = p.value(QStringLiteral("sensitivity")).toDouble(&ok);
    if (!ok || c.options.detector.sensitivity <= 0) {
        *error = "--sensitivity: expected a positive number";
        return std::nullopt;
    }
    c.options.detector.minExcessUsd = p.value(QStringLiteral("min-excess")).toDouble(&ok);
    if (!ok || c.options.detector.minExcessUsd < 0) {
        *error = "--min-excess: expected a non-negative amount in USD";
        return std::nullopt;
    }
    return c;
}

} // namespace

bool checkAlertOptions(const QCommandLineParser &p, std::string *error)
{
    return parseAlertOptions(p, {}, error).has_value();
}

std::unique_ptr<LiveAlerts> makeLiveAlerts(const QCommandLineParser &p, const std::string &target,
                                           std::string *error)
{
    auto c = parseAlertOptions(p, target, error);
    if (!c)
        return nullptr;
    return std::make_unique<ThreadedAlerts>(std::move(*c));
}

} // namespace tl::cli
