#include "clicontext.h"

#include "query/summaryquery.h"
#include "report/reportdata.h"
#include "reportrenderer.h"

#include <QGuiApplication>

#include <cstdio>

namespace tl::cli {

// `tokenledger report`: the PDF and/or CSV folder of a period and filter,
// without a display (offscreen), for scheduled reports.
int runReport(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tokenledger"));
    const QStringList args = QCoreApplication::arguments().mid(2);
    QCommandLineParser p;
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file."), QStringLiteral("DB")});
    addFilterOptions(p);
    p.addOption(
        {QStringLiteral("pdf"), QStringLiteral("PDF to write."), QStringLiteral("OUT.pdf")});
    p.addOption({QStringLiteral("csv-dir"), QStringLiteral("Folder for the CSV files."),
                 QStringLiteral("DIR")});
    p.addOption({QStringLiteral("paper"), QStringLiteral("a4 (default) or letter."),
                 QStringLiteral("SIZE"), QStringLiteral("a4")});
    p.addOption({QStringLiteral("sections"),
                 QStringLiteral("Comma-separated: summary, kpis, trend, by_team, by_feature, by_agent, "
                                "by_model, efficiency_by_feature, efficiency_by_agent, budgets, "
                                "anomalies, opportunities, portfolio, top_tasks, by_day "
                                "(default: all)."),
                 QStringLiteral("LIST")});
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("report"), args, code))
        return code;
    const std::string paper = toStd(p.value(QStringLiteral("paper")));
    if (!p.isSet(QStringLiteral("db")) ||
        (!p.isSet(QStringLiteral("pdf")) && !p.isSet(QStringLiteral("csv-dir"))) ||
        (paper != "a4" && paper != "letter")) {
        printError(
            std::string("report: usage: report --db DB [--from DATE] [--to DATE] "
                        "[--filter DIM=VALUE ...] [--pdf OUT.pdf] [--csv-dir DIR] "
                        "[--paper a4|letter] [--sections LIST] (--pdf or --csv-dir required)"));
        return UsageError;
    }
    std::set<std::string> sections;
    for (const auto &s : ReportRenderer::sections())
        sections.insert(s.first);
    if (p.isSet(QStringLiteral("sections"))) {
        sections.clear();
        for (const QString &s :
             p.value(QStringLiteral("sections")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            bool known = false;
            for (const auto &k : ReportRenderer::sections())
                known |= k.first == toStd(s.trimmed());
            if (!known) {
                printError("report: unknown section '" + toStd(s) + "'");
                return UsageError;
            }
            sections.insert(toStd(s.trimmed()));
        }
    }
    CallFilter filter;
    if (!readFilter(p, "report", filter))
        return UsageError;
    auto ws = openWorkspace(p, false);
    if (!ws)
        return InputError;
    const ReportData data = ReportBuilder::build(*ws, filter);
    if (p.isSet(QStringLiteral("csv-dir"))) {
        std::string error;
        if (!ReportBuilder::writeCsv(data, toStd(p.value(QStringLiteral("csv-dir"))), &error)) {
            printError(error);
            return InputError;
        }
        printOut("wrote " + std::to_string(data.tables.size()) + " CSV files to " +
                 toStd(p.value(QStringLiteral("csv-dir"))) + "\n");
    }
    if (p.isSet(QStringLiteral("pdf"))) {
        ReportRenderer renderer(data, sections);
        QString error;
        int pages = 0;
        if (!renderer.writePdf(p.value(QStringLiteral("pdf")),
                               paper == "a4" ? ReportRenderer::Paper::A4
                                             : ReportRenderer::Paper::Letter,
                               &error, &pages)) {
            printError(error);
            return InputError;
        }
        printOut("wrote " + toStd(p.value(QStringLiteral("pdf"))) + " (" + std::to_string(pages) +
                 " pages)\n");
    }
    return Ok;
}

} // namespace tl::cli
