#include "store/dedupeindex.h"

#include <QTest>

#include <map>

using namespace tl;

// The index against an in-memory day store, with a small memory bound so
// that days are evicted and read back.
class TstDedupeIndex : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void survivesEviction()
    {
        std::map<int64_t, std::vector<uint64_t>> days;
        int loads = 0, stores = 0;
        DedupeIndex index(
            [&](int64_t day) {
                ++loads;
                return days[day];
            },
            [&](int64_t day, std::vector<uint64_t> keys) {
                ++stores;
                QVERIFY(std::is_sorted(keys.begin(), keys.end()));
                days[day] = std::move(keys);
            },
            500);
        for (int64_t day = 0; day < 20; ++day)
            for (uint64_t k = 1; k <= 300; ++k)
                QVERIFY(index.insert(day, k * 7919 + uint64_t(day)));
        QVERIFY(stores > 0);                 // days were written back and dropped
        QVERIFY(index.loadedKeys() <= 1500); // memory stayed bounded
        // Every key of every day is still known, wherever it lives now.
        for (int64_t day = 0; day < 20; ++day)
            for (uint64_t k = 1; k <= 300; k += 37)
                QVERIFY(!index.insert(day, k * 7919 + uint64_t(day)));
        QVERIFY(index.insert(3, 1)); // a new key is new
        index.flush();
        size_t total = 0;
        for (const auto &[day, keys] : days)
            total += keys.size();
        QCOMPARE(total, size_t(20 * 300 + 1));
        QVERIFY(loads >= 20);
    }
    void sameKeyOtherDay()
    {
        std::map<int64_t, std::vector<uint64_t>> days;
        DedupeIndex index([&](int64_t d) { return days[d]; },
                          [&](int64_t d, std::vector<uint64_t> k) { days[d] = std::move(k); });
        QVERIFY(index.insert(1, 42));
        QVERIFY(!index.insert(1, 42));
        QVERIFY(index.insert(2, 42)); // keys are per UTC day
    }

    // A request id is one call on its day and the days either side of it,
    // whichever was seen first, including after the neighbours were stored
    // and evicted.
    void requestIdAcrossMidnight()
    {
        std::map<int64_t, std::vector<uint64_t>> days;
        DedupeIndex index([&](int64_t d) { return days[d]; },
                          [&](int64_t d, std::vector<uint64_t> k) { days[d] = std::move(k); },
                          /*maxLoadedKeys*/ 4);
        QVERIFY(index.insertNear(10, 7));
        QVERIFY(!index.insertNear(11, 7)); // the next day: the same call
        QVERIFY(!index.insertNear(9, 7));  // the day before: the same call
        QVERIFY(index.insertNear(13, 7));  // three days on: another call
        // Push day 10 out of memory, then meet its key again from day 11.
        for (uint64_t k = 100; k < 120; ++k)
            QVERIFY(index.insertNear(30 + int64_t(k), k));
        QVERIFY(!index.insertNear(11, 7));
        index.flush();
        QCOMPARE(days[10], std::vector<uint64_t>{7});
        QVERIFY(days[11].empty());
    }

    // A day of more calls than the memory bound (3.3M a day at 100M calls
    // a month against 1M keys): the days a record reads stay loaded, so
    // each day is read once and written back once, not once per record.
    void dayLargerThanTheBound_data()
    {
        QTest::addColumn<bool>("near");
        QTest::newRow("content keys") << false;
        QTest::newRow("request ids (the days either side too)") << true;
    }
    void dayLargerThanTheBound()
    {
        QFETCH(bool, near);
        std::map<int64_t, std::vector<uint64_t>> days;
        int loads = 0, stores = 0;
        DedupeIndex index(
            [&](int64_t d) {
                ++loads;
                return days[d];
            },
            [&](int64_t d, std::vector<uint64_t> k) {
                ++stores;
                days[d] = std::move(k);
            },
            /*maxLoadedKeys*/ 100);
        for (int64_t day = 0; day < 4; ++day)
            for (uint64_t k = 1; k <= 1000; ++k)
                QVERIFY(near ? index.insertNear(day, k * 31 + uint64_t(day) * 100'003)
                             : index.insert(day, k * 31 + uint64_t(day) * 100'003));
        QVERIFY2(loads <= 4 + 3, qPrintable(QString::number(loads)));
        QVERIFY2(stores <= 4, qPrintable(QString::number(stores)));
        QVERIFY(
            !(near ? index.insertNear(3, 31 + 3 * 100'003) : index.insert(3, 31 + 3 * 100'003)));
        index.flush();
        size_t total = 0;
        for (const auto &[day, keys] : days)
            total += keys.size();
        QCOMPARE(total, size_t(4000));
    }
};

QTEST_APPLESS_MAIN(TstDedupeIndex)
#include "tst_dedupeindex.moc"
