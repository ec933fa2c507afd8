#include "clicontext.h"

#include "query/summaryquery.h"

#include <cstdio>

namespace tl::cli {

void printError(const QString &message)
{
    std::fprintf(stderr, "tokenledger: %s\n", message.toUtf8().constData());
}

void printError(const std::string &message)
{
    std::fprintf(stderr, "tokenledger: %s\n", message.c_str());
}

void printOut(const std::string &text)
{
    std::fwrite(text.data(), 1, text.size(), stdout);
}

std::string toStd(const QString &s)
{
    return s.toUtf8().toStdString();
}

std::string withThousands(int64_t v)
{
    std::string s = groupThousands(std::to_string(v < 0 ? -v : v));
    return v < 0 ? std::string("-").append(s) : s;
}

std::unique_ptr<Workspace> openWorkspace(const QCommandLineParser &parser, bool create)
{
    std::string error;
    auto ws = Workspace::open(
        toStd(parser.value(QStringLiteral("db"))),
        create ? Workspace::OpenMode::CreateIfMissing : Workspace::OpenMode::OpenExisting, &error);
    if (!ws)
        printError(error);
    return ws;
}

bool parseArgs(QCommandLineParser &parser, const QString &command, const QStringList &args,
               int &exitCode)
{
    parser.setApplicationDescription(QStringLiteral("tokenledger %1").arg(command));
    parser.addHelpOption();
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    QStringList full = args;
    full.prepend(QStringLiteral("tokenledger %1").arg(command));
    if (!parser.parse(full)) {
        printError(parser.errorText() +
                   QStringLiteral(" (see 'tokenledger %1 --help')").arg(command));
        exitCode = UsageError;
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(toStd(parser.helpText()));
        exitCode = Ok;
        return false;
    }
    return true;
}

} // namespace tl::cli
