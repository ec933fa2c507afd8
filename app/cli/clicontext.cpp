#include "clicontext.h"
#include "import/attributionmapping.h"

#include "core/timeutil.h"
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

// Pads to a width in characters (UTF-8 aware: "−" and "→" count once).
std::string padTo(std::string s, size_t width, bool right)
{
    size_t chars = 0;
    for (unsigned char c : s)
        chars += (c & 0xC0) != 0x80;
    const std::string fill(width > chars ? width - chars : 0, ' ');
    return right ? fill + s : s + fill;
}

bool readMapping(const QCommandLineParser &p, std::shared_ptr<const AttributionMapping> &out)
{
    if (!p.isSet(QStringLiteral("mapping")))
        return true;
    std::string error;
    auto m = AttributionMapping::fromFile(toStd(p.value(QStringLiteral("mapping"))), &error);
    if (!m) {
        printError(error);
        return false;
    }
    out = std::make_shared<const AttributionMapping>(std::move(*m));
    return true;
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
    // A command's own description (collect, watch, alerts…) follows its name.
    const QString own = parser.applicationDescription();
    parser.setApplicationDescription(QStringLiteral("tokenledger %1").arg(command) +
                                     (own.isEmpty() ? QString() : QStringLiteral(": ") + own));
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
        // Qt names the executable's path; users type `tokenledger COMMAND`.
        QString help = parser.helpText();
        const QString usage = QStringLiteral("Usage: ");
        if (help.startsWith(usage)) {
            const qsizetype space = help.indexOf(QLatin1Char(' '), usage.size());
            if (space > 0)
                help = usage + QStringLiteral("tokenledger ") + command + help.mid(space);
        }
        printOut(toStd(help));
        exitCode = Ok;
        return false;
    }
    return true;
}

void addFilterOptions(QCommandLineParser &p)
{
    p.addOption({QStringLiteral("from"), QStringLiteral("First day, inclusive (YYYY-MM-DD, UTC)."),
                 QStringLiteral("DATE")});
    p.addOption({QStringLiteral("to"), QStringLiteral("Last day, inclusive (YYYY-MM-DD, UTC)."),
                 QStringLiteral("DATE")});
    p.addOption(
        {QStringLiteral("filter"),
         QStringLiteral("Keep only DIM=VALUE (repeatable; several values of one DIM: any)."),
         QStringLiteral("DIM=VALUE")});
}

bool readFilter(const QCommandLineParser &p, const std::string &command, CallFilter &filter)
{
    for (const char *name : {"from", "to"}) {
        if (!p.isSet(QString::fromLatin1(name)))
            continue;
        auto d = parseDate(toStd(p.value(QString::fromLatin1(name))));
        if (!d) {
            printError(command + ": --" + name + " expects YYYY-MM-DD");
            return false;
        }
        (std::string(name) == "from" ? filter.fromDay : filter.toDay) = *d;
    }
    for (const QString &f : p.values(QStringLiteral("filter"))) {
        const qsizetype eq = f.indexOf(QLatin1Char('='));
        auto dim = eq > 0 ? dimensionFromName(toStd(f.left(eq))) : std::nullopt;
        if (!dim || *dim == Dimension::Status || eq + 1 >= f.size()) {
            printError(command +
                       ": --filter expects DIM=VALUE with DIM one of provider, model, "
                       "team, feature, agent, user, task (got '" +
                       toStd(f) + "')");
            return false;
        }
        filter.include[*dim].push_back(toStd(f.mid(eq + 1)));
    }
    return true;
}

} // namespace tl::cli
