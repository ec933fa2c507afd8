#include "guilauncher.h"

#include "budgetsview.h"
#include "cohortspanel.h"
#include "decideview.h"
#include "demoworkspace.h"
#include "exploreview.h"
#include "items/drilltreemodel.h"
#include "mainwindow.h"
#include "montecarlopanel.h"
#include "simulationresultspanel.h"
#include "simulatorview.h"
#include "theme.h"

#include "cli/clicontext.h"
#include "progressrunner.h"
#include "reportdialog.h"
#include "requestsview.h"
#include "store/filekind.h"
#include "store/workspace.h"
#include <QTabWidget>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>

#include <QApplication>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QIcon>
#include <QInputDialog>
#include <QMessageBox>
#include <QSettings>

#include <QCommandLineParser>
#include <QProgressDialog>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTreeView>

#include <atomic>

#include <cstdio>

namespace tl::app {

namespace {

// The first start builds the demo workspace on a worker thread behind a
// progress dialog with Cancel, so the window never freezes.
std::string createDemoWithProgress(std::string *error)
{
    if (QFile::exists(QString::fromStdString(demoWorkspacePath())))
        return demoWorkspacePath();
    QProgressDialog dialog(
        QObject::tr("Creating a demo workspace: a generated fleet of 40 agents over 30 days…"),
        QObject::tr("Cancel"), 0, 1000);
    dialog.setWindowTitle(QStringLiteral("tokenledger"));
    dialog.setMinimumDuration(0);
    dialog.setWindowModality(Qt::ApplicationModal);
    std::atomic<bool> cancelled{false};
    std::atomic<int> permille{0};
    std::string path, why;
    runWithProgress(
        dialog, cancelled,
        [&] {
            path = ensureDemoWorkspace(&why, [&](double f) {
                permille = int(f * 1000);
                return !cancelled.load();
            });
        },
        [&] { dialog.setValue(permille.load()); });
    if (path.empty() && error)
        *error = cancelled ? std::string("cancelled: no demo workspace was created") : why;
    return path;
}

void describeApplication()
{
    QApplication::setApplicationName(QStringLiteral("tokenledger"));
    QApplication::setOrganizationName(QStringLiteral("tokenledger"));
    QApplication::setApplicationVersion(QStringLiteral(TOKENLEDGER_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.tokenledger.tokenledger"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/tokenledger/tokenledger.svg")));
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
    p.addOption({QStringLiteral("view"),
                 QStringLiteral("View to show: overview, explore, requests, simulator, budgets, "
                                "anomalies or decide."),
                 QStringLiteral("VIEW"), QStringLiteral("overview")});
    p.addOption({QStringLiteral("scenario"), QStringLiteral("Simulator: scenario file to open."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("dark"), QStringLiteral("Render on a dark palette.")});
    p.addOption({QStringLiteral("tab"),
                 QStringLiteral("Simulator: result tab (0 = cost by month … 6 = compare); Decide: "
                                "0 opportunities, 1 portfolio, 2 compare."),
                 QStringLiteral("N"), QStringLiteral("0")});
    p.addOption({QStringLiteral("dialog"),
                 QStringLiteral("Render a dialog over the view instead of the window: report."),
                 QStringLiteral("NAME")});
    p.addOption({QStringLiteral("compare"),
                 QStringLiteral("Decide: the two cohorts to compare, A|B (e.g. "
                                "\"model=gpt-4.1|model=gpt-4.1-mini\")."),
                 QStringLiteral("A|B")});
    p.setApplicationDescription(QStringLiteral(
        "Renders a view of the app on a workspace to a PNG, offscreen (for documentation and "
        "checks)."));
    int code = 0;
    if (!cli::parseArgs(p, QStringLiteral("shot"), QApplication::arguments().mid(2), code))
        return code;
    if (!p.isSet(QStringLiteral("db")) || !p.isSet(QStringLiteral("out"))) {
        std::fprintf(stderr,
                     "tokenledger: shot: usage: shot --db DB --out FILE.png [--size WxH] "
                     "[--view overview|explore|requests|simulator|budgets|anomalies|decide] "
                     "[--scenario FILE] [--tab N] [--compare A|B] [--dialog report] [--dark]\n");
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
    const QString view = p.value(QStringLiteral("view"));
    if (!MainWindow::viewNames().contains(view)) {
        std::fprintf(stderr, "tokenledger: shot: --view must be one of: %s\n",
                     qPrintable(MainWindow::viewNames().join(QStringLiteral(", "))));
        return 1;
    }
    // A shot shows the defaults, not whatever the user's session left
    // behind, and leaves the user's settings alone.
    QApplication::setApplicationName(QStringLiteral("tokenledger-shot"));
    QSettings().clear();
    if (p.isSet(QStringLiteral("dark"))) {
        QApplication::setStyle(QStringLiteral("Fusion")); // takes the palette whole
        QApplication::setPalette(Theme::dark());
    }
    MainWindow window(std::move(ws));
    window.resize(w, h);
    window.showView(view);
    window.show();
    if (!window.waitUntilSettled()) {
        std::fprintf(stderr, "tokenledger: shot: the view did not finish loading in 30 s\n");
        return 2;
    }
    // Show something below the top level: the most expensive team, its
    // first row selected; in Requests, the newest call's details.
    if (view == QStringLiteral("explore")) {
        ExploreView *e = window.explore();
        const QModelIndex org = e->proxy()->index(0, 0);
        const QModelIndex team = e->proxy()->index(0, 0, org);
        if (team.isValid()) {
            e->focusPath(e->model()->pathOf(e->proxy()->mapToSource(team)));
            window.waitUntilSettled();
            const QModelIndex first = e->proxy()->index(0, 0, e->tree()->rootIndex());
            if (first.isValid())
                e->tree()->setCurrentIndex(first);
            window.waitUntilSettled();
        }
    } else if (view == QStringLiteral("decide")) {
        window.decide()->tabs()->setCurrentIndex(p.value(QStringLiteral("tab")).toInt());
        window.waitUntilSettled();
        if (p.isSet(QStringLiteral("compare"))) {
            const QStringList arms = p.value(QStringLiteral("compare")).split(QLatin1Char('|'));
            CohortsPanel *c = window.decide()->cohorts();
            if (arms.size() != 2 || !c->compare(arms[0], arms[1])) {
                std::fprintf(stderr, "tokenledger: shot: --compare: %s\n",
                             qPrintable(c->verdictText()));
                return 2;
            }
            while (c->isBusy())
                QApplication::processEvents(QEventLoop::AllEvents, 20);
            window.waitUntilSettled();
        }
    } else if (view == QStringLiteral("requests")) {
        window.requests()->table()->selectRow(0);
        window.waitUntilSettled();
    } else if (view == QStringLiteral("budgets")) {
        // The first budget in trouble, with its replay.
        QTreeWidget *tree = window.budgets()->tree();
        for (QTreeWidgetItemIterator it(tree); *it; ++it)
            if ((*it)->text(8).startsWith(QStringLiteral("breached"))) {
                tree->setCurrentItem(*it);
                break;
            }
        window.waitUntilSettled();
    } else if (view == QStringLiteral("simulator")) {
        SimulatorView *sim = window.simulator();
        if (p.isSet(QStringLiteral("scenario"))) {
            QString why;
            if (!sim->openScenario(p.value(QStringLiteral("scenario")), &why)) {
                std::fprintf(stderr, "tokenledger: shot: %s\n", qPrintable(why));
                return 2;
            }
            window.waitUntilSettled();
        }
        const int tab = p.value(QStringLiteral("tab")).toInt();
        sim->results()->tabs()->setCurrentIndex(tab);
        if (sim->results()->tabs()->currentWidget() == sim->monteCarlo()) {
            sim->monteCarlo()->start();
            while (sim->monteCarlo()->isRunning())
                QApplication::processEvents(QEventLoop::AllEvents, 20);
        }
        window.waitUntilSettled();
    }
    QWidget *target = &window;
    if (p.value(QStringLiteral("dialog")) == QStringLiteral("report")) {
        ReportDialog *d = window.openReport();
        while (!d->isReady())
            QApplication::processEvents(QEventLoop::AllEvents, 20);
        target = d;
    } else if (p.isSet(QStringLiteral("dialog"))) {
        std::fprintf(stderr, "tokenledger: shot: --dialog must be: report\n");
        return 1;
    }
    QApplication::processEvents();
    if (!target->grab().save(p.value(QStringLiteral("out")))) {
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

    QStringList args = QApplication::arguments();
    if (args.size() == 2 && args.at(1) != QLatin1String("open"))
        args.insert(1, QStringLiteral("open")); // `tokenledger FILE`, as a file manager runs it
    if (args.size() >= 3 && args.at(1) == QLatin1String("open") &&
        (args.at(2) == QLatin1String("--help") || args.at(2) == QLatin1String("-h"))) {
        std::printf(
            "Usage: tokenledger open [FILE]\n"
            "tokenledger open: The desktop app on FILE, recognised by its content: a workspace "
            "(.tlw, or a server URI) opens; a scenario (.tlscenario) opens in the Simulator on "
            "the last workspace, or one you pick; a budgets file (.tlbudgets) is offered for "
            "import into it; a mapping (.tlmapping) says how to use it. Without FILE: the last "
            "workspace, or a generated demo the first time.\n\n"
            "Arguments:\n"
            "  FILE  A workspace, scenario, budgets or mapping file.\n");
        return 0;
    }
    std::string path, error;
    // A scenario, budgets or mapping file opens on a workspace of its own.
    QString document;
    FileKind documentKind = FileKind::Unknown;
    const auto lastWorkspace = [&]() -> std::string {
        const QString last = QSettings().value(QStringLiteral("workspace/last")).toString();
        return !last.isEmpty() && (QFile::exists(last) || isServerTarget(last.toStdString()))
                   ? last.toStdString()
                   : std::string();
    };
    if (args.size() >= 3 && args.at(1) == QLatin1String("open")) {
        const QString given = args.at(2);
        const FileKind kind = isServerTarget(given.toStdString())
                                  ? FileKind::Workspace
                                  : detectFileKind(given.toStdString());
        if (kind == FileKind::Scenario || kind == FileKind::Budgets || kind == FileKind::Mapping) {
            document = given;
            documentKind = kind;
            path = lastWorkspace();
            if (path.empty()) {
                const QString chosen = QFileDialog::getOpenFileName(
                    nullptr,
                    QObject::tr("Open a workspace for %1").arg(QFileInfo(given).fileName()),
                    QString(), QObject::tr("tokenledger workspaces (*.tlw *.db *.sqlite)"));
                if (chosen.isEmpty())
                    return 0;
                path = chosen.toStdString();
            }
        } else {
            path = given.toStdString();
        }
    } else if (args.size() == 2 && args.at(1) == QLatin1String("open")) {
        std::fprintf(stderr, "tokenledger: open: a file is required (tokenledger open FILE)\n");
        return 1;
    } else {
        path = lastWorkspace();
        if (path.empty())
            path = createDemoWithProgress(&error);
    }
    std::unique_ptr<Workspace> ws;
    Workspace::Failure kind = Workspace::Failure::None;
    for (int attempt = 0; !path.empty() && attempt < 4; ++attempt) {
        ws = openWorkspaceWithProgress(nullptr, path, false, &error, &kind);
        if (ws || kind != Workspace::Failure::Password)
            break;
        // A server that wants a password: asked for, kept in memory only.
        bool ok = false;
        const QString pw =
            QInputDialog::getText(nullptr, QStringLiteral("tokenledger"),
                                  QObject::tr("Password for %1:").arg(QString::fromStdString(path)),
                                  QLineEdit::Password, QString(), &ok);
        if (!ok)
            break;
        Workspace::rememberServerPassword(path, pw.toStdString());
    }
    if (!ws && isServerTarget(path) && args.size() < 3) {
        // The last server cannot be reached now: the demo rather than nothing.
        QMessageBox::warning(nullptr, QStringLiteral("tokenledger"),
                             QObject::tr("Could not reconnect to the last server: %1\nOpening "
                                         "the demo workspace instead.")
                                 .arg(QString::fromStdString(error)));
        path = createDemoWithProgress(&error);
        if (!path.empty())
            ws = openWorkspaceWithProgress(nullptr, path, false, &error);
    }
    if (!ws) {
        std::fprintf(stderr, "tokenledger: %s\n", error.c_str());
        QMessageBox::critical(nullptr, QStringLiteral("tokenledger"),
                              QString::fromStdString(error));
        return 2;
    }
    MainWindow window(std::move(ws));
    window.show();
    if (!document.isEmpty())
        window.openDocument(document, documentKind);
    return app.exec();
}

} // namespace tl::app
