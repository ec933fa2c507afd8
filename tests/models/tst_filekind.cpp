// What a double-clicked file is: by content first (a workspace's header and
// application_id, a JSON document's "format"), by extension when the content
// says nothing — and the desktop's MIME database, given
// packaging/tokenledger-mime.xml, agreeing with it.
#include "testutil.h"

#include "budgets/budgetfile.h"
#include "scenariofile.h"
#include "store/filekind.h"

#include <QMimeDatabase>
#include <QProcess>
#include <QtTest>

using namespace tl;

class TestFileKind : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QTemporaryDir m_share; // XDG data dir holding mime/packages/tokenledger.xml
    bool m_mime = false;

    std::string file(const char *name, const QByteArray &content)
    {
        return tltest::writeFile(m_dir, QString::fromLatin1(name), content);
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The package's MIME definitions, compiled as a desktop would.
        QDir().mkpath(m_share.filePath(QStringLiteral("mime/packages")));
        QVERIFY(QFile::copy(QStringLiteral(TL_PACKAGING "/tokenledger-mime.xml"),
                            m_share.filePath(QStringLiteral("mime/packages/tokenledger.xml"))));
        QProcess update;
        update.start(QStringLiteral("update-mime-database"),
                     {m_share.filePath(QStringLiteral("mime"))});
        m_mime = update.waitForFinished(60000) && update.exitCode() == 0;
        if (!m_mime)
            qWarning("update-mime-database is missing: the MIME half is skipped");
        // Before the first QMimeDatabase: our definitions alone. (Beside the
        // system's, Qt 6.4 lets the generic SQLite and JSON types win over
        // ours whatever the priorities; the extensions still decide there.)
        qputenv("XDG_DATA_DIRS", m_share.path().toLocal8Bit());
        qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("no-home")).toLocal8Bit());
    }

    void detect_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("mime");

        {
            auto ws = tltest::openWorkspace(m_dir, QStringLiteral("team.db"));
        }
        // With our definitions alone every row below is decided by content or
        // by our extensions; "" where they say nothing (another type's business).
        if (!tltest::serverRun()) {
            QTest::newRow("workspace named .db")
                << m_dir.filePath(QStringLiteral("team.db")) << int(FileKind::Workspace)
                << "application/x-tokenledger-workspace";
            QVERIFY(QFile::copy(m_dir.filePath(QStringLiteral("team.db")),
                                m_dir.filePath(QStringLiteral("team-ledger"))));
            QTest::newRow("workspace without an extension")
                << m_dir.filePath(QStringLiteral("team-ledger")) << int(FileKind::Workspace)
                << "application/x-tokenledger-workspace";
        }
        sim::Scenario s;
        s.name = "plan";
        QCOMPARE(
            sim::ScenarioFile::save(m_dir.filePath(QStringLiteral("plan.json")).toStdString(), s),
            std::string());
        QCOMPARE(sim::ScenarioFile::save(
                     m_dir.filePath(QStringLiteral("q3-plan.tlscenario")).toStdString(), s),
                 std::string());
        QTest::newRow("scenario named .json")
            << m_dir.filePath(QStringLiteral("plan.json")) << int(FileKind::Scenario)
            << "application/x-tokenledger-scenario";
        QVERIFY(QFile::copy(m_dir.filePath(QStringLiteral("plan.json")),
                            m_dir.filePath(QStringLiteral("plan-from-mail"))));
        QTest::newRow("scenario without an extension")
            << m_dir.filePath(QStringLiteral("plan-from-mail")) << int(FileKind::Scenario)
            << "application/x-tokenledger-scenario";
        QTest::newRow("scenario named .tlscenario")
            << m_dir.filePath(QStringLiteral("q3-plan.tlscenario")) << int(FileKind::Scenario)
            << "application/x-tokenledger-scenario";
        QCOMPARE(BudgetFile::save(m_dir.filePath(QStringLiteral("budgets.json")).toStdString(), {}),
                 std::string());
        QTest::newRow("budgets named .json")
            << m_dir.filePath(QStringLiteral("budgets.json")) << int(FileKind::Budgets)
            << "application/x-tokenledger-budgets";
        QVERIFY(QFile::copy(m_dir.filePath(QStringLiteral("budgets.json")),
                            m_dir.filePath(QStringLiteral("team.tlbudgets"))));
        QTest::newRow("budgets named .tlbudgets")
            << m_dir.filePath(QStringLiteral("team.tlbudgets")) << int(FileKind::Budgets)
            << "application/x-tokenledger-budgets";
        QVERIFY(QFile::copy(QStringLiteral(TL_FIXTURES "/mapping-example.json"),
                            m_dir.filePath(QStringLiteral("mapping"))));
        QTest::newRow("mapping without an extension (the example)")
            << m_dir.filePath(QStringLiteral("mapping")) << int(FileKind::Mapping)
            << "application/x-tokenledger-mapping";
        QTest::newRow("another tool's JSON")
            << QString::fromStdString(file("other.json", R"({"format": "focus", "rows": []})"))
            << int(FileKind::Unknown) << "";
        QTest::newRow("a log") << QString::fromStdString(
                                      file("calls.csv", "ts,model\n2026-10-01T00:00:00Z,gpt-4o\n"))
                               << int(FileKind::Unknown) << "";
        QTest::newRow("empty, by its extension")
            << QString::fromStdString(file("empty.tlbudgets", "")) << int(FileKind::Budgets)
            << "application/x-tokenledger-budgets";
        QByteArray sqlite(100, '\0');
        sqlite.replace(0, 16, QByteArray("SQLite format 3\0", 16));
        sqlite[68] = 'X'; // another application's id
        QTest::newRow("another application's SQLite")
            << QString::fromStdString(file("other.sqlite", sqlite)) << int(FileKind::Unknown) << "";
        QTest::newRow("missing") << m_dir.filePath(QStringLiteral("gone.tlw"))
                                 << int(FileKind::Workspace)
                                 << "application/x-tokenledger-workspace";
    }

    void detect()
    {
        QFETCH(QString, path);
        QFETCH(int, kind);
        QFETCH(QString, mime);
        QCOMPARE(int(detectFileKind(path.toStdString())), kind);
        if (!m_mime)
            return;
        const QString found = QMimeDatabase().mimeTypeForFile(path).name();
        if (mime.isEmpty())
            QVERIFY2(!found.startsWith(QLatin1String("application/x-tokenledger")),
                     qPrintable(found));
        else
            QCOMPARE(found, mime);
    }
};

QTEST_GUILESS_MAIN(TestFileKind)
#include "tst_filekind.moc"
