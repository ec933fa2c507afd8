// `collect`, `watch` and `alerts` as users run them: the real binary on a
// real port, real HTTP clients (raw sockets, and the OpenTelemetry
// JavaScript SDK's exporters), a real webhook endpoint in this process,
// kill -9 and SIGTERM.
#include "otlpencode.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

namespace {

using tltest::otlp::fixture;

// The fixture with every response id and span id made unique by `tag`.
QByteArray taggedFixture(int tag)
{
    QByteArray json = fixture("genai-traces.json");
    json.replace("chatcmpl-", "chatcmpl-" + QByteArray::number(tag) + "-");
    json.replace("\"spanId\": \"",
                 "\"spanId\": \"" + QByteArray::number(tag).rightJustified(4, '0'));
    return json;
}

struct HttpResult
{
    int status = 0;
    QByteArray head, body;
};

// One request on its own connection, answered in full (or status 0).
HttpResult httpPost(quint16 port, const QByteArray &body, const QByteArray &contentType,
                    const QList<QByteArray> &extraHeaders = {}, int timeoutMs = 30000)
{
    QTcpSocket s;
    s.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!s.waitForConnected(5000))
        return {};
    QByteArray req = "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType +
                     "\r\nContent-Length: " + QByteArray::number(body.size()) +
                     "\r\nConnection: close\r\n";
    for (const QByteArray &h : extraHeaders)
        req += h + "\r\n";
    req += "\r\n" + body;
    s.write(req);
    QByteArray got;
    while (s.state() == QAbstractSocket::ConnectedState && s.waitForReadyRead(timeoutMs))
        got += s.readAll();
    got += s.readAll();
    HttpResult r;
    const int end = int(got.indexOf("\r\n\r\n"));
    if (end < 0)
        return r;
    r.head = got.left(end);
    r.body = got.mid(end + 4);
    r.status = got.mid(9, 3).toInt();
    return r;
}

// A webhook endpoint: records each POSTed body; answers 500 to the first
// `failFirst` requests, 200 after.
class Webhook : public QObject
{
public:
    explicit Webhook(int failFirst = 0)
        : m_failFirst(failFirst)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                auto buffer = std::make_shared<QByteArray>();
                connect(s, &QTcpSocket::readyRead, this, [this, s, buffer] {
                    *buffer += s->readAll();
                    const int end = int(buffer->indexOf("\r\n\r\n"));
                    if (end < 0)
                        return;
                    const QRegularExpression len(QStringLiteral("Content-Length: *(\\d+)"),
                                                 QRegularExpression::CaseInsensitiveOption);
                    const auto m = len.match(QString::fromLatin1(buffer->left(end)));
                    const int n = m.hasMatch() ? m.captured(1).toInt() : 0;
                    if (buffer->size() < end + 4 + n)
                        return;
                    ++requests;
                    const bool fail = requests <= m_failFirst;
                    if (!fail) {
                        bodies << buffer->mid(end + 4, n);
                        heads << buffer->left(end);
                    }
                    s->write(fail ? "HTTP/1.1 500 Oops\r\nContent-Length: 0\r\nConnection: "
                                    "close\r\n\r\n"
                                  : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: "
                                    "close\r\n\r\nok");
                    s->disconnectFromHost();
                    buffer->clear();
                });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    QString url() const
    {
        return QStringLiteral("http://127.0.0.1:%1/hook").arg(m_server.serverPort());
    }
    int requests = 0;
    QList<QByteArray> bodies, heads;

private:
    QTcpServer m_server;
    int m_failFirst;
};

} // namespace

class TstCollect : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

    struct Run
    {
        int code;
        QByteArray out, err;
    };
    Run run(const QStringList &args)
    {
        QProcess p;
        p.setWorkingDirectory(m_dir.path());
        p.start(QStringLiteral(TL_BINARY), args);
        if (!p.waitForFinished(120000))
            qFatal("tokenledger %s did not finish", qPrintable(args.join(QLatin1Char(' '))));
        return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
    }
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QJsonObject totals(const QString &db)
    {
        Run r = run({QStringLiteral("summary"), QStringLiteral("--db"), db,
                     QStringLiteral("--format"), QStringLiteral("json")});
        if (r.code != 0)
            qFatal("summary failed: %s", r.err.constData());
        return QJsonDocument::fromJson(r.out).object().value(QStringLiteral("totals")).toObject();
    }

    // A running collector; killed when the test ends, whatever happened.
    struct Collector
    {
        std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
        quint16 port = 0;
        QByteArray out;
        ~Collector()
        {
            if (process->state() != QProcess::NotRunning) {
                process->kill();
                process->waitForFinished(5000);
            }
        }
        // Reads what it printed so far (stdout).
        QByteArray output()
        {
            out += process->readAllStandardOutput();
            return out;
        }
    };
    std::unique_ptr<Collector> startCollector(const QString &db, const QStringList &extra = {})
    {
        auto c = std::make_unique<Collector>();
        c->process->setWorkingDirectory(m_dir.path());
        c->process->start(QStringLiteral(TL_BINARY),
                          QStringList{QStringLiteral("collect"), QStringLiteral("--db"), db,
                                      QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")} +
                              extra);
        const QRegularExpression listening(QStringLiteral("listening on http://127.0.0.1:(\\d+)/"));
        for (int i = 0; i < 100 && c->port == 0; ++i) {
            c->process->waitForReadyRead(100);
            const auto m = listening.match(QString::fromUtf8(c->output()));
            if (m.hasMatch())
                c->port = quint16(m.captured(1).toUInt());
            if (c->process->state() == QProcess::NotRunning)
                break;
        }
        if (c->port == 0)
            qWarning("collector did not start: %s", c->process->readAllStandardError().constData());
        return c;
    }

private Q_SLOTS:
    // Each live command says what it does, under the name users type.
    void helpNamesTheCommand()
    {
        for (const char *command : {"collect", "watch", "alerts"}) {
            const Run r = run({QLatin1String(command), QStringLiteral("--help")});
            QCOMPARE(r.code, 0);
            QVERIFY2(r.out.startsWith("Usage: tokenledger " + QByteArray(command) + " [options]"),
                     r.out.constData());
            QVERIFY2(r.out.contains("tokenledger " + QByteArray(command) + ": "),
                     r.out.constData());
        }
    }

    void protobufAndJsonOverHttp()
    {
        const QString db = path(QStringLiteral("http.db"));
        auto c = startCollector(db);
        QVERIFY(c->port);
        const QByteArray proto = tltest::otlp::fromJson(fixture("genai-traces.json"));
        HttpResult r = httpPost(c->port, proto, "application/x-protobuf");
        QCOMPARE(r.status, 200);
        QVERIFY(r.head.contains("Content-Type: application/x-protobuf"));
        QCOMPARE(r.body, QByteArray()); // a full success: an empty ExportTraceServiceResponse
        const QJsonObject t = totals(db);
        QCOMPARE(t.value(QStringLiteral("requests")).toInteger(), 3);
        // The fixture's three calls cost $0.510495 (tst_otelimport).
        QVERIFY(std::abs(t.value(QStringLiteral("cost_usd")).toDouble() - 0.510495) < 1e-9);

        // The same spans as JSON are duplicates; a bad one is named in a partial success.
        QByteArray bad = fixture("genai-traces.json");
        bad.replace("\"intValue\": \"180\"", "\"intValue\": \"oops\"");
        r = httpPost(c->port, bad, "application/json");
        QCOMPARE(r.status, 200);
        const QJsonObject partial = QJsonDocument::fromJson(r.body)
                                        .object()
                                        .value(QStringLiteral("partialSuccess"))
                                        .toObject();
        QCOMPARE(partial.value(QStringLiteral("rejectedSpans")).toString(), QStringLiteral("1"));
        QVERIFY2(partial.value(QStringLiteral("errorMessage"))
                     .toString()
                     .contains(QLatin1String("spans[0]")),
                 r.body.constData());
        QCOMPARE(totals(db).value(QStringLiteral("requests")).toInteger(), 3);

        // Refusals as the specification says.
        QCOMPARE(httpPost(c->port, "not protobuf at all", "application/x-protobuf").status, 400);
        QCOMPARE(httpPost(c->port, proto, "text/plain").status, 415);
        QCOMPARE(httpPost(c->port, QByteArray(17 << 20, 'x'), "application/x-protobuf").status,
                 413);
    }

    // The OpenTelemetry JavaScript SDK's own exporters, protobuf and JSON,
    // gzip-compressed, as an instrumented agent sends them.
    void theOpenTelemetrySdkExports()
    {
        const QString js = QStringLiteral(TL_SOURCE "/tests/app/otel-js");
        if (!QFile::exists(js + QStringLiteral("/node_modules/@opentelemetry/sdk-trace-base"))) {
            if (qEnvironmentVariableIsSet("CI"))
                QFAIL("the OpenTelemetry JavaScript SDK is not installed (packaging/bootstrap.sh)");
            QSKIP("the OpenTelemetry JavaScript SDK is not installed: run packaging/bootstrap.sh");
        }
        const QString db = path(QStringLiteral("sdk.db"));
        auto c = startCollector(db);
        QVERIFY(c->port);
        for (const char *encoding : {"proto", "json"}) {
            QProcess node;
            node.start(QStringLiteral("node"),
                       {js + QStringLiteral("/send.mjs"),
                        QStringLiteral("http://127.0.0.1:%1").arg(c->port), QLatin1String(encoding),
                        QStringLiteral("40"), QLatin1String(encoding)});
            QVERIFY(node.waitForFinished(60000));
            QVERIFY2(node.exitCode() == 0, node.readAllStandardError().constData());
            QVERIFY(node.readAllStandardOutput().contains("\"code\":0"));
        }
        Run r = run({QStringLiteral("summary"), QStringLiteral("--db"), db, QStringLiteral("--by"),
                     QStringLiteral("agent"), QStringLiteral("--format"), QStringLiteral("json")});
        const QJsonArray rows =
            QJsonDocument::fromJson(r.out).object().value(QStringLiteral("rows")).toArray();
        QCOMPARE(rows.size(), 2);
        for (const QJsonValue &row : rows) {
            QCOMPARE(row[QStringLiteral("requests")].toInteger(), 40);
            QCOMPARE(row[QStringLiteral("input_tokens")].toInteger(), 40'000);
            // 40 x (1,000 x $2.50 + 100 x $10) per million tokens of gpt-4o
            QVERIFY(std::abs(row[QStringLiteral("cost_usd")].toDouble() - 0.14) < 1e-9);
        }
    }

    // Every span that got a 200 is in the workspace after a kill -9, even
    // with a request in flight at the kill.
    void acknowledgedSpansSurviveKill9()
    {
        const QString db = path(QStringLiteral("kill.db"));
        auto c = startCollector(db);
        QVERIFY(c->port);
        int acknowledged = 0;
        for (int i = 0; i < 12; ++i)
            acknowledged += httpPost(c->port, taggedFixture(i), "application/json").status == 200;
        QCOMPARE(acknowledged, 12);
        // One more on the wire, then SIGKILL.
        QTcpSocket s;
        s.connectToHost(QStringLiteral("127.0.0.1"), c->port);
        QVERIFY(s.waitForConnected(5000));
        const QByteArray body = taggedFixture(99);
        s.write("POST /v1/traces HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: " +
                QByteArray::number(body.size()) + "\r\n\r\n" + body);
        s.waitForBytesWritten(1000);
        ::kill(pid_t(c->process->processId()), SIGKILL);
        QVERIFY(c->process->waitForFinished(5000));
        const qint64 calls = totals(db).value(QStringLiteral("requests")).toInteger();
        QVERIFY2(calls == 36 || calls == 39, QByteArray::number(calls).constData());
        // And the workspace is whole: a new collector goes on from there.
        auto again = startCollector(db);
        QVERIFY(again->port);
        QCOMPARE(httpPost(again->port, taggedFixture(100), "application/json").status, 200);
        QCOMPARE(totals(db).value(QStringLiteral("requests")).toInteger(), calls + 3);
    }

    void sigtermCommitsAndExitsZero()
    {
        const QString db = path(QStringLiteral("term.db"));
        auto c = startCollector(db);
        QVERIFY(c->port);
        QCOMPARE(httpPost(c->port, taggedFixture(1), "application/json").status, 200);
        ::kill(pid_t(c->process->processId()), SIGTERM);
        QVERIFY(c->process->waitForFinished(10000));
        QCOMPARE(c->process->exitStatus(), QProcess::NormalExit);
        QCOMPARE(c->process->exitCode(), 0);
        QVERIFY2(c->output().contains("6 spans accepted (3 new calls)"), c->out.constData());
    }

    void tokenRequiredBeyondLoopback()
    {
        const QString db = path(QStringLiteral("token.db"));
        Run r = run({QStringLiteral("collect"), QStringLiteral("--db"), db,
                     QStringLiteral("--listen"), QStringLiteral("0.0.0.0:0")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("--token-file"), r.err.constData());
        QFile shortToken(path(QStringLiteral("short.token")));
        QVERIFY(shortToken.open(QIODevice::WriteOnly));
        shortToken.write("abc\n");
        shortToken.close();
        r = run({QStringLiteral("collect"), QStringLiteral("--db"), db, QStringLiteral("--listen"),
                 QStringLiteral("0.0.0.0:0"), QStringLiteral("--token-file"),
                 shortToken.fileName()});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("at least 16"), r.err.constData());

        QFile token(path(QStringLiteral("collector.token")));
        QVERIFY(token.open(QIODevice::WriteOnly));
        token.write("0123456789abcdef-secret\n");
        token.close();
        auto c = startCollector(db, {QStringLiteral("--token-file"), token.fileName()});
        QVERIFY(c->port);
        const QByteArray body = taggedFixture(1);
        QCOMPARE(httpPost(c->port, body, "application/json").status, 401);
        QCOMPARE(
            httpPost(c->port, body, "application/json", {"Authorization: Bearer wrong"}).status,
            401);
        QCOMPARE(httpPost(c->port, body, "application/json",
                          {"Authorization: Bearer 0123456789abcdef-secret"})
                     .status,
                 200);
    }

    // A budget's thresholds are posted once each (retried while the webhook
    // fails) and piped to a command; a restart does not send them again.
    void budgetAlertsPostedOnce()
    {
        const QString db = path(QStringLiteral("alerts.db"));
        QFile budgets(path(QStringLiteral("budgets.json")));
        QVERIFY(budgets.open(QIODevice::WriteOnly));
        budgets.write(R"({"format": "tokenledger-budgets", "version": 1, "budgets": [
            {"name": "Support", "period": "month",
             "amount_usd": 0.5, "alerts": [0.5, 1.0], "hard": true, "on_breach": "reject"}]})");
        budgets.close();
        QCOMPARE(run({QStringLiteral("init"), QStringLiteral("--db"), db}).code, 0);
        Run b = run({QStringLiteral("budgets"), QStringLiteral("import"), budgets.fileName(),
                     QStringLiteral("--db"), db});
        QVERIFY2(b.code == 0, b.err.constData());

        Webhook hook(1); // the first delivery fails: the alert is retried
        const QString piped = path(QStringLiteral("piped.jsonl"));
        auto c = startCollector(db, {QStringLiteral("--notify"), hook.url(),
                                     QStringLiteral("--notify-command"),
                                     QStringLiteral("cat >> '%1'").arg(piped)});
        QVERIFY(c->port);
        // The fixture's calls cost $0.51: past 50% and 100% of $0.50.
        QCOMPARE(httpPost(c->port, fixture("genai-traces.json"), "application/json").status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(hook.bodies.size(), 2, 30000);
        QCOMPARE(hook.requests, 3);
        QStringList thresholds;
        for (const QByteArray &body : hook.bodies) {
            const QJsonObject j = QJsonDocument::fromJson(body).object();
            QCOMPARE(j.value(QStringLiteral("kind")).toString(),
                     QStringLiteral("budget_threshold"));
            QVERIFY(j.value(QStringLiteral("text")).toString().contains(QLatin1String("Support")));
            QVERIFY(j.value(QStringLiteral("policy_note"))
                        .toString()
                        .contains(QLatin1String("reject")));
            QVERIFY(!j.value(QStringLiteral("call"))
                         .toObject()
                         .value(QStringLiteral("request_id"))
                         .toString()
                         .isEmpty());
            thresholds << QString::number(j.value(QStringLiteral("threshold")).toDouble());
        }
        thresholds.sort();
        QCOMPARE(thresholds, (QStringList{QStringLiteral("0.5"), QStringLiteral("1")}));
        QTRY_VERIFY_WITH_TIMEOUT(QFile(piped).size() > 0, 10000);

        Run listed = run({QStringLiteral("alerts"), QStringLiteral("--db"), db,
                          QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(listed.code, 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const QJsonArray a = QJsonDocument::fromJson(
                                         run({QStringLiteral("alerts"), QStringLiteral("--db"), db,
                                              QStringLiteral("--format"), QStringLiteral("json")})
                                             .out)
                                         .object()
                                         .value(QStringLiteral("alerts"))
                                         .toArray();
                return a.size() == 2 && !a[0].toObject().value(QStringLiteral("sent")).isNull() &&
                       !a[1].toObject().value(QStringLiteral("sent")).isNull();
            }(),
            10000);

        // A restart with more spend: nothing is sent again.
        ::kill(pid_t(c->process->processId()), SIGTERM);
        QVERIFY(c->process->waitForFinished(10000));
        auto again = startCollector(db, {QStringLiteral("--notify"), hook.url()});
        QVERIFY(again->port);
        QCOMPARE(httpPost(again->port, taggedFixture(5), "application/json").status, 200);
        QTest::qWait(3000);
        QCOMPARE(hook.bodies.size(), 2);
        Run text = run({QStringLiteral("alerts"), QStringLiteral("--db"), db});
        QVERIFY2(text.out.contains("budget_threshold  sent "), text.out.constData());
    }

    // The budgets LiteLLM should enforce, as the file says and as its
    // script sends them to a proxy (here, an endpoint in this process).
    void budgetsForTheGateway()
    {
        const QString db = path(QStringLiteral("gateway.db"));
        QCOMPARE(run({QStringLiteral("init"), QStringLiteral("--db"), db}).code, 0);
        QCOMPARE(run({QStringLiteral("budgets"), QStringLiteral("import"),
                      QStringLiteral(TL_SOURCE "/resources/demo-budgets.json"),
                      QStringLiteral("--db"), db})
                     .code,
                 0);
        const QString out = path(QStringLiteral("gateway.json"));
        Run r = run({QStringLiteral("budgets"), QStringLiteral("export-litellm"), out,
                     QStringLiteral("--db"), db});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.out.contains("2 LiteLLM budget requests"), r.out.constData());
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonArray requests = QJsonDocument::fromJson(f.readAll())
                                        .object()
                                        .value(QStringLiteral("requests"))
                                        .toArray();
        QCOMPARE(requests.size(), 2);

        Webhook proxy;
        QProcess sh;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LITELLM_URL"), proxy.url().chopped(5)); // without /hook
        env.insert(QStringLiteral("LITELLM_MASTER_KEY"), QStringLiteral("sk-test-master"));
        sh.setProcessEnvironment(env);
        sh.start(QStringLiteral("sh"), {path(QStringLiteral("gateway.sh"))});
        QTRY_COMPARE_WITH_TIMEOUT(sh.state(), QProcess::NotRunning, 30000);
        QVERIFY2(sh.exitCode() == 0, sh.readAllStandardError().constData());
        QCOMPARE(proxy.bodies.size(), 2);
        for (int i = 0; i < 2; ++i) {
            QVERIFY(proxy.heads[i].startsWith("POST /team/new HTTP/1.1"));
            QVERIFY(proxy.heads[i].contains("Authorization: Bearer sk-test-master"));
            QCOMPARE(QJsonDocument::fromJson(proxy.bodies[i]).object(),
                     requests[i].toObject().value(QStringLiteral("body")).toObject());
        }
    }

    // watch: once each, complete files only, a bad file set aside and
    // never retried, remembered across runs.
    void watchImportsEachFileOnce()
    {
        const QString db = path(QStringLiteral("watch.db"));
        QDir(m_dir.path()).mkdir(QStringLiteral("drop"));
        const QString drop = path(QStringLiteral("drop"));
        QVERIFY(QFile::copy(QStringLiteral(TL_FIXTURES "/otel/genai-traces.json"),
                            drop + QStringLiteral("/traces.json")));
        QFile bad(drop + QStringLiteral("/notes.csv"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("this is not a log\n");
        bad.close();
        QFile partial(drop + QStringLiteral("/next.csv.part"));
        QVERIFY(partial.open(QIODevice::WriteOnly));
        partial.write("ts,model,input_tokens,output_tokens\n2026-01-02T00:00:00Z,gpt-4o,1000,10\n");
        partial.close();
        const QStringList once = {
            QStringLiteral("watch"),    QStringLiteral("--db"), db,  QStringLiteral("--once"),
            QStringLiteral("--settle"), QStringLiteral("0"),    drop};
        Run r = run(once);
        QCOMPARE(r.code, 2); // the bad file
        QVERIFY2(r.out.contains("traces.json: otel, 3 imported"), r.out.constData());
        QVERIFY2(r.err.contains("notes.csv") && r.err.contains("set aside"), r.err.constData());
        QCOMPARE(totals(db).value(QStringLiteral("requests")).toInteger(), 3);
        // Again: nothing new, the bad file not retried.
        r = run(once);
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QByteArray());
        QCOMPARE(r.err, QByteArray());
        // The writer renames its file into place: imported now.
        QVERIFY(QFile::rename(partial.fileName(), drop + QStringLiteral("/next.csv")));
        r = run(once);
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("next.csv: csv, 1 imported"), r.out.constData());
        QCOMPARE(totals(db).value(QStringLiteral("requests")).toInteger(), 4);
    }
};

QTEST_GUILESS_MAIN(TstCollect)
#include "tst_collect.moc"
