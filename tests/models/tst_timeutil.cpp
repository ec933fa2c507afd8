#include "core/timeutil.h"

#include <QTest>

using namespace tl;

class TstTimeUtil : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<qlonglong>("ms");
        const qlonglong base = 1764288000000LL; // 2025-11-28T00:00:00Z
        QTest::newRow("utc-z") << "2025-11-28T00:00:00Z" << true << base;
        QTest::newRow("lowercase-z") << "2025-11-28t00:00:00z" << true << base;
        QTest::newRow("millis") << "2025-11-28T00:00:00.250Z" << true << base + 250;
        QTest::newRow("micros-truncated") << "2025-11-28T00:00:00.123456Z" << true << base + 123;
        QTest::newRow("offset-colon") << "2025-11-28T02:00:00+02:00" << true << base;
        QTest::newRow("offset-compact") << "2025-11-27T19:00:00-0500" << true << base;
        QTest::newRow("space-separator") << "2025-11-28 00:00:00Z" << true << base;
        QTest::newRow("no-seconds") << "2025-11-28T00:00Z" << true << base;
        QTest::newRow("epoch-seconds") << "1764288000" << true << base;
        QTest::newRow("epoch-fraction") << "1764288000.5" << true << base + 500;
        QTest::newRow("epoch-millis") << "1764288000000" << true << base;
        QTest::newRow("leap-day") << "2024-02-29T12:00:00Z" << true << 1709208000000LL;
        QTest::newRow("no-zone") << "2025-11-28T00:00:00" << false << 0LL;
        QTest::newRow("date-only") << "2025-11-28" << false << 0LL;
        QTest::newRow("bad-month") << "2025-13-01T00:00:00Z" << false << 0LL;
        QTest::newRow("feb-30") << "2025-02-30T00:00:00Z" << false << 0LL;
        QTest::newRow("hour-25") << "2025-11-28T25:00:00Z" << false << 0LL;
        QTest::newRow("garbage") << "yesterday" << false << 0LL;
        QTest::newRow("trailing") << "2025-11-28T00:00:00Zjunk" << false << 0LL;
        QTest::newRow("empty") << "" << false << 0LL;
    }
    void parse()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(qlonglong, ms);
        std::string why;
        auto r = parseTimestamp(text.toStdString(), &why);
        QCOMPARE(r.has_value(), ok);
        if (ok)
            QCOMPARE(qlonglong(*r), ms);
        else
            QVERIFY(!why.empty());
    }
    void calendar()
    {
        for (int64_t d = -800; d < 200000; d += 37) {
            int y;
            unsigned m, dd;
            civilFromDays(d, y, m, dd);
            QCOMPARE(daysFromCivil(y, m, dd), d);
        }
        QCOMPARE(formatDate(*parseDate("2026-11-28")), std::string("2026-11-28"));
        QCOMPARE(formatTimestamp(1764288000250LL), std::string("2025-11-28T00:00:00.250Z"));
        QCOMPARE(weekStartDay(*parseDate("2026-11-28")),
                 *parseDate("2026-11-23")); // Saturday -> Monday
        QCOMPARE(monthStartDay(*parseDate("2026-02-28")), *parseDate("2026-02-01"));
        QCOMPARE(dayOf(-1), int64_t(-1));
    }
};

QTEST_APPLESS_MAIN(TstTimeUtil)
#include "tst_timeutil.moc"
