#include "calldetailpanel.h"

#include "core/timeutil.h"
#include "displayformat.h"
#include "items/queryrunner.h"

#include <QTextBrowser>
#include <QVBoxLayout>

namespace tl {

namespace {

QString esc(const std::string &s)
{
    return QString::fromStdString(s).toHtmlEscaped();
}

QString row(const QString &k, const QString &v)
{
    return QStringLiteral("<tr><td style='padding-right:12px'>%1</td><td>%2</td></tr>").arg(k, v);
}

QString price(int64_t ppt)
{
    return ppt == kNoPrice ? QObject::tr("(falls back)")
                           : QStringLiteral("$%1").arg(pptToPerMtok(ppt), 0, 'g', 6);
}

QString outcomeName(int o)
{
    switch (o) {
    case 1:
        return QObject::tr("success");
    case 2:
        return QObject::tr("failure");
    case 3:
        return QObject::tr("empty");
    default:
        return QObject::tr("—");
    }
}

} // namespace

CallDetailPanel::CallDetailPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *l = new QVBoxLayout(this);
    l->setContentsMargins(0, 0, 0, 0);
    m_browser = new QTextBrowser(this);
    m_browser->setOpenLinks(false);
    l->addWidget(m_browser);
    setMinimumWidth(300);
    clear();
}

void CallDetailPanel::clear()
{
    m_id.reset();
    // An empty pane says what fills it.
    m_browser->setHtml(tr("<p style='color:gray'>Select a call to see every field, the price "
                          "entry that priced it and the other calls of its task.</p>"));
}

void CallDetailPanel::showCall(int64_t id)
{
    m_id = id;
    if (!m_runner)
        return;
    m_browser->setHtml(tr("<p>Loading call %1…</p>").arg(id));
    m_runner->run<std::optional<CallDetail>>(
        QStringLiteral("detail"), [id](Workspace &ws) { return RequestQuery::detail(ws, id); },
        [this](std::optional<CallDetail> &d) {
            if (d)
                showDetail(*d);
            else
                m_browser->setHtml(tr("<p>This call is no longer in the workspace.</p>"));
            Q_EMIT loaded();
        });
}

void CallDetailPanel::showDetail(const CallDetail &d)
{
    const RequestRow &r = d.row;
    m_id = r.id;
    QString h = QStringLiteral("<h3>Call %1</h3><table>").arg(r.id);
    h += row(tr("Time (UTC)"), QString::fromStdString(formatTimestamp(r.tsMs))
                                   .replace(QLatin1Char('T'), QLatin1Char(' ')));
    h += row(tr("Request id"), esc(r.requestId.empty() ? std::string("—") : r.requestId));
    h += row(tr("Provider / model"), esc(r.provider) + QStringLiteral(" / ") + esc(r.model));
    h += row(tr("Team › feature › agent"), esc(r.team) + QStringLiteral(" › ") + esc(r.feature) +
                                               QStringLiteral(" › ") + esc(r.agent));
    h += row(tr("Task"), esc(r.task));
    h += row(tr("User"), esc(r.user));
    h +=
        row(tr("Status / outcome"), esc(r.status) + QStringLiteral(" / ") + outcomeName(r.outcome) +
                                        (r.isError ? tr(" (error)") : QString()));
    h += row(tr("Requests"), DisplayFormat::count(r.requests));
    h += row(tr("Input tokens"),
             tr("%1 (cached %2, cache write %3)")
                 .arg(DisplayFormat::count(r.input), DisplayFormat::count(r.cached),
                      DisplayFormat::count(r.cacheWrite)));
    if (d.usage.cacheWrite1h > 0)
        h += row(tr("Cache writes by TTL"),
                 tr("5 minutes %1 · 1 hour %2")
                     .arg(DisplayFormat::count(r.cacheWrite - d.usage.cacheWrite1h),
                          DisplayFormat::count(d.usage.cacheWrite1h)));
    if (d.usage.webSearches > 0 || d.usage.fileSearches > 0)
        h += row(tr("Search calls"), tr("web %1 · file %2")
                                         .arg(DisplayFormat::count(d.usage.webSearches),
                                              DisplayFormat::count(d.usage.fileSearches)));
    if (d.usage.tier != ServiceTier::Standard)
        h += row(tr("Service tier"),
                 d.usage.tier == ServiceTier::Priority ? tr("priority") : tr("flex"));
    h += row(tr("Output tokens"),
             tr("%1 (reasoning %2)")
                 .arg(DisplayFormat::count(r.output), DisplayFormat::count(r.reasoning)));
    h += row(tr("Batch"), r.batch ? tr("yes") : tr("no"));
    h += row(tr("Latency"), r.latencyMs ? DisplayFormat::millis(double(*r.latencyMs)) : tr("—"));
    h += row(tr("Prompt hash"), esc(d.promptHash.empty() ? std::string("—") : d.promptHash));
    if (!d.tags.empty())
        h += row(tr("Other fields"), QStringLiteral("<code>%1</code>").arg(esc(d.tags)));
    h += row(tr("Source"),
             esc(d.sourcePath) + QStringLiteral(" (") + esc(d.sourceFormat) + QStringLiteral(")"));
    h += QStringLiteral("</table><h4>%1</h4><table>").arg(tr("Cost"));
    h += row(tr("Computed from the catalog"),
             r.computedNusd ? DisplayFormat::money(*r.computedNusd, 6) : tr("no price"));
    h += row(tr("Reported in the log"),
             r.reportedNusd ? DisplayFormat::money(*r.reportedNusd, 6) : tr("not logged"));
    if (r.computedNusd && r.reportedNusd)
        h += row(tr("Reported − computed"),
                 DisplayFormat::money(*r.reportedNusd - *r.computedNusd, 6));
    h += row(tr("Counted as"), DisplayFormat::money(r.costNusd, 6));
    if (d.parts) {
        // The lines a bill shows for this call: which price set, and the
        // search charges apart from the tokens.
        h += row(tr("Priced at"),
                 QString::fromLatin1(priceLineName(d.parts->line)) +
                     tr(" prices: tokens %1").arg(DisplayFormat::money(d.parts->tokensNusd, 6)));
        if (d.parts->toolsNusd)
            h += row(tr("Search charges"), DisplayFormat::money(d.parts->toolsNusd, 6));
    }
    if (d.price) {
        const PriceEntry &e = *d.price;
        h += row(tr("Price entry"),
                 esc(e.provider + " / " + e.model) +
                     (e.hasEffectiveFrom()
                          ? tr(", effective %1")
                                .arg(QString::fromStdString(formatDate(dayOf(e.effectiveFromMs))))
                          : QString()));
        bool defaulted = false;
        const int64_t oneHour = e.cacheWrite1hPrice(&defaulted);
        h += row(tr("Per million tokens"),
                 tr("input %1 · output %2 · cached %3 · cache write %4 (1 hour %5%6) · batch in "
                    "%7 / out %8")
                     .arg(price(e.inputPpt), price(e.outputPpt), price(e.cachedInputPpt),
                          price(e.cacheWritePpt), price(oneHour),
                          defaulted ? tr(", 2× input by default") : QString(),
                          price(e.batchInputPpt), price(e.batchOutputPpt)));
        if (e.longContext.present())
            h += row(tr("Long context"),
                     tr("prompts over %1 tokens: input %2 · output %3")
                         .arg(DisplayFormat::count(e.longContextThreshold),
                              price(e.longContext.inputPpt), price(e.longContext.outputPpt)));
    } else {
        h += row(tr("Price entry"), tr("none in the catalog for this model at this time"));
    }
    h += QStringLiteral("</table>");
    if (!d.taskCalls.empty()) {
        h += QStringLiteral("<h4>%1</h4><table cellspacing=0 cellpadding=2>")
                 .arg(tr("Calls of task %1 (%2)").arg(esc(r.task)).arg(d.taskCalls.size()));
        h +=
            QStringLiteral("<tr><th align=left>%1</th><th align=left>%2</th><th align=right>%3</th>"
                           "<th align=right>%4</th><th align=right>%5</th></tr>")
                .arg(tr("Time (UTC)"), tr("Model"), tr("Input"), tr("Output"), tr("Cost"));
        int64_t sum = 0;
        for (const auto &c : d.taskCalls) {
            sum += c.costNusd;
            const bool self = c.id == r.id;
            h += QStringLiteral(
                     "<tr%6><td>%1</td><td>%2</td><td align=right>%3</td><td align=right>%4</td>"
                     "<td align=right>%5</td></tr>")
                     .arg(DisplayFormat::time(c.tsMs).mid(5), esc(c.model),
                          DisplayFormat::count(c.input), DisplayFormat::count(c.output),
                          DisplayFormat::money(c.costNusd, 4),
                          self ? QStringLiteral(" style='font-weight:bold'") : QString());
        }
        h += QStringLiteral(
                 "<tr><td colspan=4><b>%1</b></td><td align=right><b>%2</b></td></tr></table>")
                 .arg(tr("Task total"), DisplayFormat::money(sum, 4));
    }
    m_browser->setHtml(h);
}

QString CallDetailPanel::text() const
{
    return m_browser->toPlainText();
}

} // namespace tl
