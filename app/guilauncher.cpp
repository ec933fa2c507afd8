#include "guilauncher.h"

#include "demoworkspace.h"
#include "mainwindow.h"
#include "store/workspace.h"

#include <QApplication>
#include <QFile>
#include <QMessageBox>
#include <QSettings>

#include <cstdio>

namespace tl::app {

int runGui(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tokenledger"));
    QApplication::setOrganizationName(QStringLiteral("tokenledger"));
    QApplication::setApplicationVersion(QStringLiteral(TOKENLEDGER_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("tokenledger"));

    const QStringList args = QApplication::arguments();
    std::string path, error;
    if (args.size() >= 3 && args.at(1) == QStringLiteral("open")) {
        path = args.at(2).toStdString();
    } else if (args.size() == 2 && args.at(1) == QStringLiteral("open")) {
        std::fprintf(stderr, "tokenledger: open: a workspace file is required (tokenledger open DB)\n");
        return 1;
    } else {
        const QString last = QSettings().value(QStringLiteral("workspace/last")).toString();
        path = !last.isEmpty() && QFile::exists(last) ? last.toStdString() : ensureDemoWorkspace(&error);
    }
    std::unique_ptr<Workspace> ws;
    if (!path.empty())
        ws = Workspace::open(path, Workspace::OpenMode::OpenExisting, &error);
    if (!ws) {
        std::fprintf(stderr, "tokenledger: %s\n", error.c_str());
        QMessageBox::critical(nullptr, QStringLiteral("tokenledger"), QString::fromStdString(error));
        return 2;
    }
    MainWindow window(std::move(ws));
    window.show();
    return app.exec();
}

} // namespace tl::app
