#include "import/csvreader.h"

#include <QTest>

using namespace tl;

class TstCsvReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void records_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QStringList>("records"); // fields joined with '|'
        QTest::addColumn<QList<int>>("lines");
        QTest::newRow("plain") << QByteArray("a,b\n1,2\n") << QStringList{"a|b", "1|2"}
                               << QList<int>{1, 2};
        QTest::newRow("crlf") << QByteArray("a,b\r\n1,2\r\n") << QStringList{"a|b", "1|2"}
                              << QList<int>{1, 2};
        QTest::newRow("no-final-newline")
            << QByteArray("a,b\n1,2") << QStringList{"a|b", "1|2"} << QList<int>{1, 2};
        QTest::newRow("bom") << QByteArray("\xEF\xBB\xBF"
                                           "a,b\n")
                             << QStringList{"a|b"} << QList<int>{1};
        QTest::newRow("quoted-comma")
            << QByteArray("\"x,y\",z\n") << QStringList{"x,y|z"} << QList<int>{1};
        QTest::newRow("doubled-quote")
            << QByteArray("\"say \"\"hi\"\"\",z\n") << QStringList{"say \"hi\"|z"} << QList<int>{1};
        QTest::newRow("embedded-newline")
            << QByteArray("\"line1\nline2\",z\nnext,1\n") << QStringList{"line1\nline2|z", "next|1"}
            << QList<int>{1, 3};
        QTest::newRow("embedded-crlf")
            << QByteArray("\"a\r\nb\",c\r\n") << QStringList{"a\r\nb|c"} << QList<int>{1};
        QTest::newRow("empty-fields") << QByteArray(",,\n") << QStringList{"||"} << QList<int>{1};
        QTest::newRow("trailing-empty-quoted")
            << QByteArray("\"a\",\n") << QStringList{"a|"} << QList<int>{1};
        QTest::newRow("utf8") << QByteArray("caf\xC3\xA9,\xE2\x82\xAC\n")
                              << QStringList{QString::fromUtf8("café|€")} << QList<int>{1};
    }
    void records()
    {
        QFETCH(QByteArray, input);
        QFETCH(QStringList, records);
        QFETCH(QList<int>, lines);
        ChunkReader in;
        in.openText(input.toStdString());
        CsvReader csv(in);
        std::vector<std::string_view> fields;
        QStringList got;
        QList<int> gotLines;
        while (csv.next(fields) == CsvReader::Result::Record) {
            QStringList parts;
            for (auto f : fields)
                parts << QString::fromUtf8(f.data(), qsizetype(f.size()));
            got << parts.join(QLatin1Char('|'));
            gotLines << int(csv.line());
        }
        QCOMPARE(got, records);
        QCOMPARE(gotLines, lines);
    }
    void malformed_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("error");
        QTest::newRow("unterminated") << QByteArray("\"abc,def\n") << "unterminated quoted field";
        QTest::newRow("junk-after-quote")
            << QByteArray("\"abc\"x,1\n") << "unexpected character after a closing quote";
        QTest::newRow("quote-in-bare-field")
            << QByteArray("ab\"c\",1\n") << "quote inside an unquoted field";
    }
    void malformed()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, error);
        ChunkReader in;
        in.openText(input.toStdString());
        CsvReader csv(in);
        std::vector<std::string_view> fields;
        QCOMPARE(csv.next(fields), CsvReader::Result::Malformed);
        QVERIFY2(QString::fromStdString(csv.error()).startsWith(error), csv.error().c_str());
    }
    void rawRecordKeepsQuotes()
    {
        ChunkReader in;
        in.openText("\"a\"\"b\",c\n");
        CsvReader csv(in);
        std::vector<std::string_view> fields;
        QCOMPARE(csv.next(fields), CsvReader::Result::Record);
        QCOMPARE(std::string(csv.rawRecord()), std::string("\"a\"\"b\",c"));
        QCOMPARE(std::string(fields[0]), std::string("a\"b"));
    }
};

QTEST_APPLESS_MAIN(TstCsvReader)
#include "tst_csvreader.moc"
