// `tokenledger collect`: an OTLP/HTTP receiver. This file only moves bytes
// between sockets and the models' OtlpEndpoint (the protocol's rules) and
// SpanCollector (commit before acknowledge).
#include "clicontext.h"
#include "import/attributionmapping.h"
#include "live/httprequest.h"
#include "live/otlpendpoint.h"
#include "live/spancollector.h"
#include "livealerts.h"

#include <QCoreApplication>
#include <QFile>
#include <QHostAddress>
#include <QPointer>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <csignal>
#include <memory>
#include <unistd.h>

namespace tl::cli {

namespace {

using live::HttpAnswer;
using live::HttpRequest;
using live::HttpRequestParser;
using live::OtlpEndpoint;
using live::OtlpSubmission;
using live::SpanCollector;

int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char c = 1;
    // Only async-signal-safe calls here: the event loop does the rest.
    [[maybe_unused]] ssize_t n = ::write(g_signalPipe[1], &c, 1);
}

// One client connection: requests are answered in order, one at a time
// (pipelined requests wait in the parser's buffer).
class Connection : public QObject
{
public:
    Connection(QTcpSocket *socket, const OtlpEndpoint &endpoint, SpanCollector &collector,
               size_t maxBody)
        : QObject(socket)
        , m_socket(socket)
        , m_endpoint(endpoint)
        , m_collector(collector)
        , m_parser(maxBody)
    {
        connect(socket, &QTcpSocket::readyRead, this, &Connection::onReadable);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }

private:
    void onReadable()
    {
        const QByteArray bytes = m_socket->readAll();
        m_parser.feed(std::string_view(bytes.constData(), size_t(bytes.size())));
        handleNext();
    }

    void handleNext()
    {
        while (!m_busy) {
            HttpRequest req;
            const auto state = m_parser.next(req);
            if (state == HttpRequestParser::State::NeedMore)
                return;
            if (state == HttpRequestParser::State::Error) {
                // The stream cannot be trusted past a framing error: answer and close.
                const HttpAnswer a = OtlpEndpoint::failure(
                    OtlpSubmission::Encoding::Protobuf, m_parser.errorStatus(), m_parser.error());
                send(a, false);
                return;
            }
            m_keepAlive = req.keepAlive;
            auto result = m_endpoint.accept(req);
            if (auto *answer = std::get_if<HttpAnswer>(&result)) {
                send(*answer, m_keepAlive);
                continue;
            }
            OtlpSubmission s = std::get<OtlpSubmission>(std::move(result));
            const auto encoding = s.encoding;
            m_busy = true;
            QPointer<Connection> self(this);
            const bool queued =
                m_collector.submit(std::move(s), [self, encoding](const live::CollectOutcome &o) {
                    // On the writer thread: hand the answer to this connection's thread.
                    QMetaObject::invokeMethod(
                        qApp,
                        [self, encoding, o] {
                            if (!self)
                                return; // the client left; its spans are committed anyway
                            self->m_busy = false;
                            if (o.committed)
                                self->send(OtlpEndpoint::success(encoding, o.rejected, o.message),
                                           self->m_keepAlive);
                            else
                                self->send(OtlpEndpoint::failure(encoding, 503, o.message, 5),
                                           self->m_keepAlive);
                            self->handleNext();
                        },
                        Qt::QueuedConnection);
                });
            if (!queued) {
                m_busy = false;
                send(OtlpEndpoint::failure(encoding, 503,
                                           "the receiver is behind (its queue is full); retry "
                                           "later",
                                           2),
                     m_keepAlive);
            }
        }
    }

    void send(const HttpAnswer &a, bool keepAlive)
    {
        const std::string bytes =
            live::httpResponse(a.status, a.contentType, a.body, a.headers, keepAlive);
        m_socket->write(bytes.data(), qint64(bytes.size()));
        if (!keepAlive) {
            m_busy = true; // nothing more from this connection
            m_socket->disconnectFromHost();
        }
    }

    QTcpSocket *m_socket;
    const OtlpEndpoint &m_endpoint;
    SpanCollector &m_collector;
    HttpRequestParser m_parser;
    bool m_busy = false;
    bool m_keepAlive = true;
};

bool isLoopback(const QHostAddress &a)
{
    return a.isLoopback();
}

} // namespace

int runCollect(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Receives OpenTelemetry GenAI spans over OTLP/HTTP (POST /v1/traces, protobuf or JSON, "
        "gzip or not) and writes them to the workspace as they arrive; each request is "
        "acknowledged only once its spans are committed. SIGTERM or Ctrl+C commits what was "
        "accepted and exits 0."));
    p.addOption({QStringLiteral("db"), QStringLiteral("The workspace (created when missing)."),
                 QStringLiteral("DB")});
    p.addOption({QStringLiteral("listen"),
                 QStringLiteral("Address and port (default 127.0.0.1:4318; port 0 picks a free "
                                "one). Beyond loopback, --token-file is required."),
                 QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:4318")});
    p.addOption({QStringLiteral("token-file"),
                 QStringLiteral("A file holding the bearer token clients must send "
                                "(Authorization: Bearer TOKEN)."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("mapping"),
                 QStringLiteral("Attribution mapping file (as for import)."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("max-body"),
                 QStringLiteral("Largest request body in MiB, compressed or not (default 16)."),
                 QStringLiteral("MIB"), QStringLiteral("16")});
    addAlertOptions(p);
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("collect"), args, code))
        return code;
    if (!p.isSet(QStringLiteral("db"))) {
        printError(std::string("collect: --db DB is required"));
        return UsageError;
    }
    const QString listen = p.value(QStringLiteral("listen"));
    const int colon = int(listen.lastIndexOf(QLatin1Char(':')));
    bool portOk = false;
    const int port = colon > 0 ? listen.mid(colon + 1).toInt(&portOk) : -1;
    QString hostText = colon > 0 ? listen.left(colon) : QString();
    if (hostText.startsWith(QLatin1Char('[')) && hostText.endsWith(QLatin1Char(']')))
        hostText = hostText.mid(1, hostText.size() - 2);
    QHostAddress host(hostText == QLatin1String("localhost") ? QStringLiteral("127.0.0.1")
                                                             : hostText);
    if (!portOk || port < 0 || port > 65535 || host.isNull()) {
        printError("collect: --listen " + toStd(listen) +
                   ": expected HOST:PORT with an IP address, e.g. 127.0.0.1:4318");
        return UsageError;
    }
    OtlpEndpoint::Options eo;
    bool mibOk = false;
    const int mib = p.value(QStringLiteral("max-body")).toInt(&mibOk);
    if (!mibOk || mib < 1 || mib > 1024) {
        printError(std::string("collect: --max-body: expected 1 to 1024 (MiB)"));
        return UsageError;
    }
    eo.maxBody = size_t(mib) << 20;
    if (p.isSet(QStringLiteral("token-file"))) {
        QFile f(p.value(QStringLiteral("token-file")));
        if (!f.open(QIODevice::ReadOnly)) {
            printError("collect: " + toStd(f.fileName()) + ": cannot be read");
            return InputError;
        }
        eo.token = toStd(QString::fromUtf8(f.readAll()).trimmed());
        if (eo.token.size() < 16) {
            printError("collect: " + toStd(f.fileName()) +
                       ": the token must be at least 16 characters");
            return InputError;
        }
    } else if (!isLoopback(host)) {
        // Spans carry prompts' metadata and spend: nobody else may write them unasked.
        printError("collect: listening on " + toStd(listen) +
                   " (beyond this machine) needs --token-file; without one, use 127.0.0.1");
        return UsageError;
    }
    std::string error;
    SpanCollector::Options co;
    co.target = toStd(p.value(QStringLiteral("db")));
    if (!readMapping(p, co.mapping))
        return InputError;
    if (!checkAlertOptions(p, &error)) {
        printError("collect: " + error);
        return UsageError;
    }
    QTcpServer server;
    if (!server.listen(host, quint16(port))) {
        printError("collect: cannot listen on " + toStd(listen) + ": " +
                   toStd(server.errorString()));
        return InputError;
    }
    const std::string bound = toStd(host.toString()) + ":" + std::to_string(server.serverPort());
    co.label = "otlp " + bound;
    // Set once the collector has created the workspace the alerts read;
    // commits happen only once the event loop runs, after that.
    std::unique_ptr<LiveAlerts> alerts;
    co.afterCommit = [&alerts](const live::CommitInfo &info) {
        if (alerts)
            alerts->afterCommit(info);
    };
    SpanCollector collector(co);
    if (!collector.start(&error)) {
        printError(error);
        return InputError;
    }
    alerts = makeLiveAlerts(p, co.target, &error);
    const OtlpEndpoint endpoint(eo);
    QObject::connect(&server, &QTcpServer::newConnection, [&] {
        while (QTcpSocket *s = server.nextPendingConnection())
            new Connection(s, endpoint, collector, eo.maxBody);
    });

    if (::pipe(g_signalPipe) != 0) {
        printError(std::string("collect: cannot set up signal handling"));
        return InputError;
    }
    QSocketNotifier signals(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&signals, &QSocketNotifier::activated, [&] {
        char c;
        [[maybe_unused]] ssize_t n = ::read(g_signalPipe[0], &c, 1);
        QCoreApplication::quit();
    });
    std::signal(SIGTERM, onSignal);
    std::signal(SIGINT, onSignal);

    printOut("collect: listening on http://" + bound + "/v1/traces (OTLP/HTTP, protobuf or JSON)" +
             (eo.token.empty() ? "" : ", bearer token required") + "; writing to " +
             Workspace::shortName(co.target) + "\n");
    std::fflush(stdout);
    QCoreApplication::exec();

    // Stop taking requests, commit what was accepted, answer those clients.
    server.close();
    collector.stop();
    QCoreApplication::processEvents(); // the answers queued by the last commit
    for (QTcpSocket *s : server.findChildren<QTcpSocket *>())
        if (s->state() == QAbstractSocket::ConnectedState)
            s->waitForBytesWritten(1000);
    if (alerts)
        alerts->finish();
    printOut("collect: stopped; " + withThousands(collector.committedSpans()) +
             " spans accepted (" + withThousands(collector.importedCalls()) +
             " new calls) this run\n");
    return Ok;
}

} // namespace tl::cli
