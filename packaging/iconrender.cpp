// Build-time helper: renders the application icon (resources/tokenledger.svg)
// to the PNG sizes of the hicolor theme, so the SVG is the one source.
// Usage: tl_iconrender ICON.svg OUTDIR SIZE...  (writes OUTDIR/SIZExSIZE/apps/tokenledger.png)
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>

#include <cstdio>

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    if (argc < 4) {
        std::fprintf(stderr, "usage: tl_iconrender ICON.svg OUTDIR SIZE...\n");
        return 1;
    }
    QSvgRenderer svg(QString::fromLocal8Bit(argv[1]));
    if (!svg.isValid()) {
        std::fprintf(stderr, "tl_iconrender: %s is not a valid SVG\n", argv[1]);
        return 1;
    }
    for (int i = 3; i < argc; ++i) {
        const int size = QByteArray(argv[i]).toInt();
        if (size <= 0 || size > 1024) {
            std::fprintf(stderr, "tl_iconrender: %s is not a size\n", argv[i]);
            return 1;
        }
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter p(&image);
        p.setRenderHint(QPainter::Antialiasing);
        svg.render(&p);
        p.end();
        const QString dir =
            QStringLiteral("%1/%2x%2/apps").arg(QString::fromLocal8Bit(argv[2])).arg(size);
        if (!QDir().mkpath(dir) || !image.save(dir + QStringLiteral("/tokenledger.png"))) {
            std::fprintf(stderr, "tl_iconrender: cannot write into %s\n", qPrintable(dir));
            return 1;
        }
    }
    return 0;
}
