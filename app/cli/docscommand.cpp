#include "clicontext.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>

#include <cstdio>
#include <map>
#include <optional>

// `tokenledger docs --man FILE --bash-completion FILE`: the manual page and
// the bash completion, written from what the binary itself answers to
// `--help` and `COMMAND --help` — the option tables the commands parse with —
// so neither can drift from the program. The build runs it; a command
// without a working --help fails the build.
namespace tl::cli {

namespace {

struct OptionDoc
{
    QStringList names; // "--db", "-h"
    QString value;     // "DB"
    QString text;
};

struct CommandDoc
{
    QString name; // "budgets adjust"
    QString usage;
    QString description;
    std::vector<OptionDoc> options;
    std::vector<std::pair<QString, QString>> arguments;
};

std::optional<QString> helpOf(const QStringList &command, QString *error)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    p.setProcessEnvironment(env);
    p.start(QCoreApplication::applicationFilePath(),
            command + QStringList{QStringLiteral("--help")});
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error = QStringLiteral("'tokenledger %1 --help' did not answer (exit %2): %3")
                     .arg(command.join(QLatin1Char(' ')))
                     .arg(p.exitCode())
                     .arg(QString::fromUtf8(p.readAllStandardError()).trimmed());
        return std::nullopt;
    }
    return QString::fromUtf8(p.readAllStandardOutput());
}

// Commands and subcommands from the top-level usage: "tokenledger budgets
// import FILE|export FILE|list --db DB" gives budgets import, export, list.
std::vector<QStringList> commandsOf(const QString &usage)
{
    std::vector<QStringList> out;
    const QRegularExpression line(QStringLiteral("tokenledger (\\[?)([a-z][a-z-]*)(.*)$"));
    const QRegularExpression word(QStringLiteral("^[a-z][a-z-]*$"));
    for (const QString &l : usage.split(QLatin1Char('\n'))) {
        const auto m = line.match(l);
        if (!m.hasMatch())
            continue;
        const QString command = m.captured(2);
        QString rest = m.captured(3).trimmed();
        const qsizetype cut = rest.indexOf(QRegularExpression(QStringLiteral("(^| )[-\\[(]")));
        if (cut >= 0)
            rest = rest.left(cut);
        QStringList subs;
        for (const QString &piece : rest.split(QLatin1Char('|'), Qt::SkipEmptyParts)) {
            const QString first = piece.trimmed().section(QLatin1Char(' '), 0, 0);
            if (word.match(first).hasMatch() && first != QLatin1String("open"))
                subs << first;
        }
        if (subs.isEmpty())
            subs << QString();
        for (const QString &sub : subs) {
            QStringList c{command};
            if (!sub.isEmpty())
                c << sub;
            if (std::find(out.begin(), out.end(), c) == out.end())
                out.push_back(c);
        }
    }
    return out;
}

CommandDoc parseHelp(const QString &name, const QString &help)
{
    CommandDoc d;
    d.name = name;
    enum { Head, Options, Arguments } section = Head;
    for (const QString &l : help.split(QLatin1Char('\n'))) {
        if (l.startsWith(QLatin1String("Usage: "))) {
            d.usage = l.mid(7).trimmed();
            continue;
        }
        if (l == QLatin1String("Options:")) {
            section = Options;
            continue;
        }
        if (l == QLatin1String("Arguments:")) {
            section = Arguments;
            continue;
        }
        if (l.trimmed().isEmpty())
            continue;
        if (section == Head) {
            QString text = l.trimmed();
            const QString prefix = QStringLiteral("tokenledger %1:").arg(name);
            if (text.startsWith(prefix))
                text = text.mid(prefix.size()).trimmed();
            else if (text == QStringLiteral("tokenledger %1").arg(name))
                continue;
            d.description += (d.description.isEmpty() ? QString() : QStringLiteral(" ")) + text;
            continue;
        }
        // "  -h, --help   Text" starts an entry; deeper indentation continues it.
        const bool continuation = l.startsWith(QLatin1String("    "));
        if (continuation) {
            if (section == Options && !d.options.empty())
                d.options.back().text += QLatin1Char(' ') + l.trimmed();
            else if (section == Arguments && !d.arguments.empty())
                d.arguments.back().second += QLatin1Char(' ') + l.trimmed();
            continue;
        }
        const QString entry = l.trimmed();
        const qsizetype gap = entry.indexOf(QStringLiteral("  "));
        const QString head = gap > 0 ? entry.left(gap) : entry;
        const QString text = gap > 0 ? entry.mid(gap).trimmed() : QString();
        if (section == Arguments) {
            d.arguments.emplace_back(head, text);
            continue;
        }
        OptionDoc o;
        o.text = text;
        for (QString n : head.split(QStringLiteral(", "))) {
            const qsizetype lt = n.indexOf(QLatin1String(" <"));
            if (lt > 0) {
                o.value = n.mid(lt + 2).chopped(1);
                n = n.left(lt);
            }
            o.names << n;
        }
        d.options.push_back(o);
    }
    return d;
}

QString roff(QString s)
{
    s.replace(QLatin1Char('\\'), QStringLiteral("\\e"));
    s.replace(QLatin1Char('-'), QStringLiteral("\\-"));
    if (s.startsWith(QLatin1Char('.')) || s.startsWith(QLatin1Char('\'')))
        s.prepend(QStringLiteral("\\&"));
    return s;
}

QString manPage(const QString &usage, const std::vector<CommandDoc> &docs)
{
    QString out;
    out += QStringLiteral(".\\\" Written by `tokenledger docs` from the program's own --help; do "
                          "not edit.\n");
    out += QStringLiteral(".TH TOKENLEDGER 1 \"\" \"tokenledger %1\" \"User Commands\"\n")
               .arg(QStringLiteral(TOKENLEDGER_VERSION));
    out += QStringLiteral(".SH NAME\ntokenledger \\- LLM cost ledger: where the money went, "
                          "and what to change\n.SH SYNOPSIS\n.nf\n");
    // The top-level usage as it is printed, its 7-column indent dropped.
    for (const QString &l : usage.split(QLatin1Char('\n')))
        if (!l.trimmed().isEmpty())
            out += roff(l.startsWith(QLatin1String("usage: ")) ||
                                l.startsWith(QLatin1String("       "))
                            ? l.mid(7)
                            : l) +
                   QLatin1Char('\n');
    out += QStringLiteral(
        ".fi\n.SH DESCRIPTION\ntokenledger loads the cost logs of LLM\\-powered agents into a "
        "workspace \\(em an SQLite file, or a team's PostgreSQL server given as "
        "\\fBpostgresql://USER@HOST:PORT/DATABASE\\fR \\(em and answers where the money went, "
        "what it would cost if something changed, and what to do. Without a command, or with "
        "\\fBopen\\fR, it starts the desktop application; the commands below run headless.\n"
        ".SH COMMANDS\n");
    for (const CommandDoc &d : docs) {
        out += QStringLiteral(".SS \"tokenledger %1\"\n").arg(d.name);
        if (!d.description.isEmpty())
            out += roff(d.description) + QLatin1Char('\n');
        for (const OptionDoc &o : d.options) {
            out += QStringLiteral(".TP\n");
            QStringList names;
            for (const QString &n : o.names)
                names << QStringLiteral("\\fB%1\\fR").arg(roff(n));
            out +=
                names.join(QStringLiteral(", ")) +
                (o.value.isEmpty() ? QString() : QStringLiteral(" \\fI%1\\fR").arg(roff(o.value))) +
                QLatin1Char('\n') + roff(o.text) + QLatin1Char('\n');
        }
        for (const auto &[arg, text] : d.arguments)
            out += QStringLiteral(".TP\n\\fI%1\\fR\n%2\n").arg(roff(arg), roff(text));
    }
    out += QStringLiteral(
        ".SH EXIT STATUS\n.TP\n0\nDone.\n.TP\n1\nA usage error: a missing or malformed "
        "option.\n.TP\n2\nAn input error: a file, workspace or server that cannot be read, with "
        "the reason.\n.TP\n3\n\\fBbudgets check\\fR: a hard budget is breached or forecast to "
        "breach.\n.SH FILES\n.TP\n\\fI*.tlw\\fR\nA workspace.\n.TP\n\\fI*.tlscenario\\fR, "
        "\\fI*.tlbudgets\\fR, \\fI*.tlmapping\\fR\nScenario, budgets and attribution mapping "
        "files (JSON), recognised by their \\fBformat\\fR as well.\n.SH SEE ALSO\nThe README "
        "of the sources, and \\fBtokenledger COMMAND \\-\\-help\\fR.\n");
    return out;
}

QString completion(const std::vector<CommandDoc> &docs)
{
    std::map<QString, QStringList> subs; // command -> subcommands
    std::map<QString, QStringList> opts; // "budgets import" -> options
    QStringList commands;
    for (const CommandDoc &d : docs) {
        const QString command = d.name.section(QLatin1Char(' '), 0, 0);
        const QString sub = d.name.section(QLatin1Char(' '), 1, 1);
        if (!commands.contains(command))
            commands << command;
        if (!sub.isEmpty())
            subs[command] << sub;
        QStringList o;
        for (const OptionDoc &x : d.options)
            for (const QString &n : x.names) {
                o << n;
                if (n.size() == 2 && n != QLatin1String("-h"))
                    o << QLatin1Char('-') + n; // a one-letter option: -a and --a alike
            }
        opts[d.name] = o;
    }
    QString out =
        QStringLiteral(
            "# bash completion for tokenledger: written by `tokenledger docs` from the program's "
            "own --help; do not edit.\n_tokenledger()\n{\n"
            "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" cmd=\"${COMP_WORDS[1]}\" "
            "sub=\"${COMP_WORDS[2]}\" opts=\"\"\n"
            "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
            "        COMPREPLY=($(compgen -W \"%1 --help --version\" -- \"$cur\"))\n"
            "        return\n    fi\n    case \"$cmd\" in\n")
            .arg(commands.join(QLatin1Char(' ')));
    for (const QString &command : commands) {
        out += QStringLiteral("    %1)\n").arg(command);
        if (subs.count(command)) {
            out += QStringLiteral("        if [ \"$COMP_CWORD\" -eq 2 ]; then\n"
                                  "            COMPREPLY=($(compgen -W \"%1\" -- \"$cur\"))\n"
                                  "            return\n        fi\n        case \"$sub\" in\n")
                       .arg(subs[command].join(QLatin1Char(' ')));
            for (const QString &sub : subs[command])
                out += QStringLiteral("        %1) opts=\"%2\" ;;\n")
                           .arg(sub, opts[command + QLatin1Char(' ') + sub].join(QLatin1Char(' ')));
            out += QStringLiteral("        esac\n        ;;\n");
        } else {
            out += QStringLiteral("        opts=\"%1\"\n        ;;\n")
                       .arg(opts[command].join(QLatin1Char(' ')));
        }
    }
    out += QStringLiteral(
        "    esac\n"
        "    if [[ \"$cur\" == -* ]]; then\n"
        "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
        "    else\n"
        "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
        "    fi\n}\ncomplete -o filenames -o bashdefault -F _tokenledger tokenledger\n");
    return out;
}

bool write(const QString &path, const QString &text)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(text.toUtf8()) < 0) {
        printError(QStringLiteral("docs: %1 cannot be written").arg(path));
        return false;
    }
    return true;
}

} // namespace

int runDocs(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Writes the manual page and the bash completion from the program's own options (the "
        "build runs it)."));
    p.addOption({QStringLiteral("man"), QStringLiteral("Manual page (roff) to write."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("bash-completion"),
                 QStringLiteral("Bash completion script to write."), QStringLiteral("FILE")});
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("docs"), args, code))
        return code;
    QString error;
    const auto usage = helpOf({}, &error);
    if (!usage) {
        printError(QStringLiteral("docs: ") + error);
        return InputError;
    }
    std::vector<CommandDoc> docs;
    for (const QStringList &command : commandsOf(*usage)) {
        const auto help = helpOf(command, &error);
        if (!help) {
            printError(QStringLiteral("docs: ") + error);
            return InputError;
        }
        docs.push_back(parseHelp(command.join(QLatin1Char(' ')), *help));
    }
    if (p.isSet(QStringLiteral("man")) &&
        !write(p.value(QStringLiteral("man")), manPage(*usage, docs)))
        return InputError;
    if (p.isSet(QStringLiteral("bash-completion")) &&
        !write(p.value(QStringLiteral("bash-completion")), completion(docs)))
        return InputError;
    printOut(std::to_string(docs.size()) + " commands documented\n");
    return Ok;
}

} // namespace tl::cli
