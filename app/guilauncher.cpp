#include "guilauncher.h"

#include "demoworkspace.h"
#include "mainwindow.h"
#include "store/workspace.h"

#include <QApplication>
#include <QFile>
#include <QMessageBox>
#include <QSettings>

#include <QCommandLineParser>

#include <cstdio>

namespace tl::app {

namespace {

void describeApplication()
{
    QApplication::setApplicationName(QStringLiteral("tokenledger"));
    QApplication::setOrganizationName(QStringLiteral("tokenledger"));
    QApplication::setApplicationVersion(QStringLiteral(TOKENLEDGER_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("tokenledger"));
}

} // namespace

int runShot(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    describeApplication();
    QCommandLineParser p;
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file."), QStringLiteral("DB")});
    p.addOption({QStringLiteral("out"), QStringLiteral("PNG to write."), QStringLiteral("FILE")});
    p.addOption({QStringLiteral("size"), QStringLiteral("Window size (default 1400x900)."),
                 QStringLiteral("WxH"), QStringLiteral("1400x900")});
    p.addOption({QStringLiteral("view"), QStringLiteral("View to show (overview)."),
                 QStringLiteral("VIEW"), QStringLiteral("overview")});
    QStringList args = QApplication::arguments();
    args.removeAt(1);
    if (!p.parse(args) || !p.isSet(QStringLiteral("db")) || !p.isSet(QStringLiteral("out"))) {
        std::fprintf(stderr,
                     "tokenledger: shot: usage: shot --db DB --out FILE.png [--size WxH]\n");
        return 1;
    }
    const QStringList size = p.value(QStringLiteral("size")).split(QLatin1Char('x'));
    const int w = size.value(0).toInt(), h = size.value(1).toInt();
    if (size.size() != 2 || w < 200 || h < 200) {
        std::fprintf(stderr, "tokenledger: shot: --size expects WxH, e.g. 1400x900\n");
        return 1;
    }
    std::string error;
    auto ws = Workspace::open(p.value(QStringLiteral("db")).toStdString(),
                              Workspace::OpenMode::OpenExisting, &error);
    if (!ws) {
        std::fprintf(stderr, "tokenledger: %s\n", error.c_str());
        return 2;
    }
    MainWindow window(std::move(ws));
    window.resize(w, h);
    window.show();
    QApplication::processEvents();
    if (!window.grab().save(p.value(QStringLiteral("out")))) {
        std::fprintf(stderr, "tokenledger: %s: cannot be written\n",
                     qPrintable(p.value(QStringLiteral("out"))));
        return 2;
    }
    return 0;
}

int runGui(int argc, char **argv)
{
    QApplication app(argc, argv);
    describeApplication();

    const QStringList args = QApplication::arguments();
    std::string path, error;
    if (args.size() >= 3 && args.at(1) == QStringLiteral("open")) {
        path = args.at(2).toStdString();
    } else if (args.size() == 2 && args.at(1) == QStringLiteral("open")) {
        std::fprintf(stderr,
                     "tokenledger: open: a workspace file is required (tokenledger open DB)\n");
        return 1;
    } else {
        const QString last = QSettings().value(QStringLiteral("workspace/last")).toString();
        path = !last.isEmpty() && QFile::exists(last) ? last.toStdString()
                                                      : ensureDemoWorkspace(&error);
    }
    std::unique_ptr<Workspace> ws;
    if (!path.empty())
        ws = Workspace::open(path, Workspace::OpenMode::OpenExisting, &error);
    if (!ws) {
        std::fprintf(stderr, "tokenledger: %s\n", error.c_str());
        QMessageBox::critical(nullptr, QStringLiteral("tokenledger"),
                              QString::fromStdString(error));
        return 2;
    }
    MainWindow window(std::move(ws));
    window.show();
    return app.exec();
}

} // namespace tl::app
