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
    p.addOption(
        {QStringLiteral("sections"),
         QStringLiteral("Comma-separated: summary, kpis, trend, by_team, by_feature, by_agent, "
                        "by_model, efficiency_by_feature, efficiency_by_agent, budgets, "
                        "anomalies, opportunities, portfolio, chargeback, scenarios, "
                        "top_tasks, by_day "
                        "(default: all)."),
         QStringLiteral("LIST")});
    p.addOption({QStringLiteral("scenario"),
                 QStringLiteral("A scenario file to compare with its baseline, month by month "
                                "and over its horizon (repeatable)."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("chargeback-by"),
                 QStringLiteral("The cost centres of the chargeback: team (default), feature, "
                                "agent, user, model, ..."),
                 QStringLiteral("DIM"), QStringLiteral("team")});
    p.addOption({QStringLiteral("shared"),
                 QStringLiteral("Calls whose cost every cost centre shares, e.g. agent=router "
                                "(repeatable)."),
                 QStringLiteral("DIM=NAME")});
    p.addOption({QStringLiteral("allocate"),
                 QStringLiteral("How shared and unassigned cost is split: proportional (to each "
                                "centre's own cost; default), even, or fixed shares "
                                "NAME=SHARE,... adding up to 1 or 100."),
                 QStringLiteral("RULE"), QStringLiteral("proportional")});
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("report"), args, code))
        return code;
    const std::string paper = toStd(p.value(QStringLiteral("paper")));
    if (!p.isSet(QStringLiteral("db")) ||
        (!p.isSet(QStringLiteral("pdf")) && !p.isSet(QStringLiteral("csv-dir"))) ||
        (paper != "a4" && paper != "letter")) {
        printError(std::string("report: usage: report --db DB [--from DATE] [--to DATE] "
                               "[--filter DIM=VALUE ...] [--pdf OUT.pdf] [--csv-dir DIR] "
                               "[--paper a4|letter] [--sections LIST] [--scenario FILE ...] "
                               "[--chargeback-by DIM] [--shared DIM=NAME ...] [--allocate RULE] "
                               "(--pdf or --csv-dir required)"));
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
    ReportOptions options;
    std::vector<std::string> shared;
    for (const QString &s : p.values(QStringLiteral("shared")))
        shared.push_back(toStd(s));
    std::string why;
    const auto rule = ChargebackRule::parse(toStd(p.value(QStringLiteral("chargeback-by"))), shared,
                                            toStd(p.value(QStringLiteral("allocate"))), &why);
    if (!rule) {
        printError("report: " + why);
        return UsageError;
    }
    options.chargeback = *rule;
    for (const QString &s : p.values(QStringLiteral("scenario")))
        options.scenarioFiles.push_back(toStd(s));
    auto ws = openWorkspace(p, false);
    if (!ws)
        return InputError;
    const ReportData data = ReportBuilder::build(*ws, filter, options);
    // A scenario that cannot be compared fails the report before anything
    // is written: a pack missing the comparison asked for must not go out.
    for (const std::string &e : data.errors)
        printError(e);
    if (!data.errors.empty())
        return InputError;
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
