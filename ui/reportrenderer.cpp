#include "reportrenderer.h"

#include "core/timeutil.h"

#include <QFontMetricsF>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace tl {

namespace {

constexpr qreal kMargin = 42; // points (~15 mm)
constexpr qreal kFooter = 24;
const QColor kAccent(0x00, 0x72, 0xB2);
const QColor kRule(0xBB, 0xBB, 0xBB);
const QColor kStripe(0xF2, 0xF4, 0xF7);

QFont font(qreal px, bool bold = false)
{
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPixelSize(std::max(1, int(std::lround(px))));
    f.setBold(bold);
    // No ligatures: "fi" must come out of the PDF as two letters, or a
    // reader's search and copy-paste of "figures" fails.
    f.setStyleStrategy(QFont::PreferNoShaping);
    return f;
}

QString q(const std::string &s)
{
    QString out = QString::fromStdString(s);
    // Bidirectional overrides, embeddings and isolates are invisible and
    // reorder what follows them: a name holding U+202E could make a figure
    // or another name read differently in the PDF a finance lead signs.
    // Right-to-left text itself (Arabic, Hebrew) needs none of them.
    out.removeIf([](QChar c) {
        const char16_t u = c.unicode();
        return (u >= 0x202A && u <= 0x202E) || (u >= 0x2066 && u <= 0x2069);
    });
    return out;
}

} // namespace

// Where pages go: a PDF writer or a list of images. In a dry run nothing
// is painted, only laid out (to learn the page of each section).
struct ReportRenderer::Sink
{
    virtual ~Sink() = default;
    virtual QPainter *painter() = 0; // nullptr in a dry run
    virtual void newPage() = 0;
};

namespace {

struct DrySink : ReportRenderer::Sink
{
    QPainter *painter() override { return nullptr; }
    void newPage() override {}
};

} // namespace

const std::vector<std::pair<std::string, QString>> &ReportRenderer::sections()
{
    static const std::vector<std::pair<std::string, QString>> s = {
        {"summary", QObject::tr("Executive summary")},
        {"kpis", QObject::tr("Headline figures")},
        {"trend", QObject::tr("Spend over time")},
        {"by_team", QObject::tr("Spend by team")},
        {"by_feature", QObject::tr("Spend by feature")},
        {"by_agent", QObject::tr("Spend by agent")},
        {"by_model", QObject::tr("Spend by model")},
        {"efficiency_by_feature", QObject::tr("Token efficiency by feature")},
        {"efficiency_by_agent", QObject::tr("Token efficiency by agent")},
        {"budgets", QObject::tr("Budgets")},
        {"anomalies", QObject::tr("Anomalies")},
        {"opportunities", QObject::tr("Opportunities")},
        {"portfolio", QObject::tr("Agent portfolio")},
        {"chargeback", QObject::tr("Chargeback")},
        {"scenarios", QObject::tr("Scenario comparison")},
        {"top_tasks", QObject::tr("Top tasks")},
        {"by_day", QObject::tr("Spend by day")}};
    return s;
}

ReportRenderer::ReportRenderer(const ReportData &data, std::set<std::string> sections)
    : m_data(data)
    , m_sections(std::move(sections))
{}

QSizeF ReportRenderer::pageSizePt(Paper paper)
{
    return paper == Paper::A4 ? QSizeF(595.28, 841.89) : QSizeF(612, 792);
}

// The running layout: a cursor down the page, page breaks, the footer.
struct ReportRenderer::Layout
{
    Sink &sink;
    QSizeF page;
    int pageNo = 1;
    int total = 0; // known in the second pass
    qreal y = kMargin;

    QPainter *p() { return sink.painter(); }
    qreal bottom() const { return page.height() - kMargin - kFooter; }
    qreal width() const { return page.width() - 2 * kMargin; }

    void footer()
    {
        if (!p())
            return;
        p()->setFont(font(8));
        p()->setPen(Qt::darkGray);
        const QRectF r(kMargin, page.height() - kMargin - 12, width(), 12);
        p()->drawText(r, Qt::AlignLeft | Qt::AlignVCenter, QObject::tr("tokenledger cost report"));
        p()->drawText(r, Qt::AlignRight | Qt::AlignVCenter,
                      total ? QObject::tr("Page %1 of %2").arg(pageNo).arg(total)
                            : QObject::tr("Page %1").arg(pageNo));
    }
    void breakPage()
    {
        footer();
        sink.newPage();
        ++pageNo;
        y = kMargin;
    }
    void ensure(qreal h)
    {
        if (y + h > bottom())
            breakPage();
    }
    void text(const QString &s, const QFont &f, const QColor &c = Qt::black, qreal gap = 4)
    {
        // A long note wraps onto as many lines as it needs.
        const QFontMetricsF fm(f);
        const qreal h = std::max(
            fm.height(), fm.boundingRect(QRectF(0, 0, width(), 1e6), Qt::TextWordWrap, s).height());
        ensure(h);
        if (p()) {
            p()->setFont(f);
            p()->setPen(c);
            p()->drawText(QRectF(kMargin, y, width(), h),
                          Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, s);
        }
        y += h + gap;
    }
};

int ReportRenderer::paint(Sink &sink, QSizeF page, bool withToc, std::vector<int> *sectionPages,
                          const std::vector<int> &knownPages, int knownTotal)
{
    Layout L{sink, page};
    L.total = knownTotal;
    const ReportData &d = m_data;

    // Title block.
    L.text(QObject::tr("LLM spend report"), font(20, true), kAccent, 6);
    L.text(QObject::tr("Workspace: %1").arg(q(d.workspace)), font(10));
    L.text(QObject::tr("Period: %1").arg(q(d.period)), font(10));
    L.text(QObject::tr("Filter: %1").arg(q(d.filter)), font(10));
    L.text(QObject::tr("Generated: %1").arg(q(d.generatedAt)), font(10), Qt::darkGray, 14);

    std::vector<std::pair<std::string, QString>> chosen;
    for (const auto &s : sections())
        if (m_sections.count(s.first) && (s.first == "trend" || d.table(s.first)))
            chosen.push_back(s);

    if (withToc) {
        L.text(QObject::tr("Contents"), font(13, true), Qt::black, 4);
        for (size_t i = 0; i < chosen.size(); ++i) {
            const QFont f = font(10);
            const qreal h = QFontMetricsF(f).height() + 3;
            if (L.p()) {
                L.p()->setFont(f);
                L.p()->setPen(Qt::black);
                const QRectF r(kMargin + 8, L.y, L.width() - 8, h);
                L.p()->drawText(r, Qt::AlignLeft | Qt::AlignVCenter,
                                QStringLiteral("%1.  %2").arg(i + 1).arg(chosen[i].second));
                const int pg = i < knownPages.size() ? knownPages[i] : 0;
                L.p()->drawText(r, Qt::AlignRight | Qt::AlignVCenter,
                                pg ? QString::number(pg) : QString());
            }
            L.y += h;
        }
        L.y += 12;
    }

    auto heading = [&](size_t index, const QString &title, qreal keepWith) {
        const QFont f = font(13, true);
        const qreal h = QFontMetricsF(f).height();
        // A heading never ends a page: it moves with what follows it.
        L.ensure(h + 6 + keepWith);
        if (sectionPages)
            sectionPages->push_back(L.pageNo);
        L.text(QStringLiteral("%1. %2").arg(index + 1).arg(title), f, kAccent, 6);
    };

    auto table = [&](const ReportTable &t) {
        const size_t cols = t.headers.size();
        std::vector<qreal> w(cols, 0);
        bool wrapHeader = false;
        // Every column's natural width at a font size. A header may wrap
        // onto two lines ("Output / tokens"): figures set a column's width,
        // so the name column keeps room for whole model names.
        const auto measure = [&](qreal px) {
            const QFontMetricsF fm(font(px)), hm(font(px, true));
            wrapHeader = false;
            for (size_t c = 0; c < cols; ++c) {
                const QString header = q(t.headers[c]);
                qreal widestWord = 0;
                // "Cost (USD)" stays on one line: a unit goes with its word.
                static const QRegularExpression breaks(QStringLiteral("\\s+(?!\\()"));
                for (const QString &word : header.split(breaks))
                    widestWord = std::max(widestWord, hm.horizontalAdvance(word));
                w[c] = widestWord + 9;
                for (const auto &row : t.display)
                    w[c] = std::max(w[c], fm.horizontalAdvance(q(row[c])) + 9);
                if (hm.horizontalAdvance(header) + 9 > w[c])
                    wrapHeader = true;
            }
            qreal sum = 0;
            for (qreal x : w)
                sum += x;
            return sum;
        };
        // A table wider than the page (long Bedrock or Azure model names)
        // is set a little smaller, down to 7 px, before any name is elided.
        // One with text columns besides the name shrinks less and wraps them.
        bool hasTextColumns = false;
        for (size_t c = 1; c < cols; ++c)
            hasTextColumns |= !t.numeric[c];
        qreal px = 8.5;
        if (const qreal need = measure(px); need > L.width())
            px = std::max(hasTextColumns ? 7.5 : 7.0, px * L.width() / need);
        measure(px);
        const QFont body = font(px), head = font(px, true);
        const QFontMetricsF fm(body), hm(head);
        const qreal lineH = fm.height();
        qreal headH = wrapHeader ? 2 * hm.height() + 5 : lineH + 5;
        // Numbers keep their width. When everything fits, the first (name)
        // column takes the rest; when it does not, the text columns share
        // what the numbers leave in proportion to their natural widths and
        // wrap onto more lines (a budget's breach, an anomaly's cause),
        // since eliding words or clipping figures would lose what they say.
        qreal numbers = 0, texts = 0;
        for (size_t c = 0; c < cols; ++c)
            (t.numeric[c] && c ? numbers : texts) += w[c];
        const bool wrapCells = numbers + texts > L.width();
        if (!wrapCells) {
            w[0] += L.width() - numbers - texts;
        } else {
            const qreal room = std::max<qreal>(L.width() - numbers, L.width() * 0.4);
            // As a browser lays out a table: each text column gets at least
            // its longest word, and the room left is shared in proportion to
            // how much more each would take on one line.
            qreal minSum = 0, extraSum = 0;
            std::vector<qreal> minW(cols, 0);
            for (size_t c = 0; c < cols; ++c) {
                if (t.numeric[c] && c)
                    continue;
                qreal widest = 0;
                for (const auto &row : t.display)
                    for (const QString &word : q(row[c]).split(QLatin1Char(' ')))
                        widest = std::max(widest, fm.horizontalAdvance(word) + 9);
                minW[c] = std::min(w[c], widest);
                minSum += minW[c];
                extraSum += w[c] - minW[c];
            }
            for (size_t c = 0; c < cols; ++c) {
                if (t.numeric[c] && c)
                    continue;
                w[c] = minSum >= room
                           ? minW[c] * room / minSum
                           : minW[c] +
                                 (extraSum > 0 ? (w[c] - minW[c]) * (room - minSum) / extraSum : 0);
            }
            if (numbers + room > L.width())
                for (size_t c = 1; c < cols; ++c)
                    if (t.numeric[c])
                        w[c] *= (L.width() - room) / numbers;
        }
        if (wrapCells) // a narrowed column's header may need a third line
            for (size_t c = 0; c < cols; ++c) {
                const QRectF need =
                    hm.boundingRect(QRectF(0, 0, w[c] - 6, 1e6), Qt::TextWordWrap, q(t.headers[c]));
                headH = std::max(headH, std::min(need.height(), 3 * hm.height()) + 5);
            }
        constexpr int kMaxLines = 6;
        const auto rowHeight = [&](size_t r) {
            int lines = 1;
            if (wrapCells)
                for (size_t c = 0; c < cols; ++c) {
                    if (t.numeric[c] && c)
                        continue;
                    const QRectF need = fm.boundingRect(QRectF(0, 0, w[c] - 6, 1e6),
                                                        Qt::TextWordWrap, q(t.display[r][c]));
                    lines = std::max(lines, int(std::ceil(need.height() / lineH - 0.01)));
                }
            return std::min(lines, kMaxLines) * lineH + 5;
        };
        auto drawHeader = [&] {
            if (L.p()) {
                L.p()->setFont(head);
                L.p()->setPen(Qt::black);
                qreal x = kMargin;
                for (size_t c = 0; c < cols; ++c) {
                    const QRectF r(x + 3, L.y, w[c] - 6, headH);
                    L.p()->drawText(r,
                                    (t.numeric[c] ? Qt::AlignRight : Qt::AlignLeft) |
                                        Qt::AlignBottom | Qt::TextWordWrap,
                                    q(t.headers[c]));
                    x += w[c];
                }
                L.p()->setPen(QPen(kRule, 0.8));
                L.p()->drawLine(QPointF(kMargin, L.y + headH),
                                QPointF(kMargin + L.width(), L.y + headH));
            }
            L.y += headH + 1;
        };
        drawHeader();
        for (size_t r = 0; r < t.display.size(); ++r) {
            const qreal rowH = rowHeight(r);
            if (L.y + rowH > L.bottom()) {
                L.breakPage();
                drawHeader(); // the header again on every page of the table
            }
            if (L.p()) {
                if (r % 2)
                    L.p()->fillRect(QRectF(kMargin, L.y, L.width(), rowH), kStripe);
                L.p()->setFont(body);
                L.p()->setPen(Qt::black);
                qreal x = kMargin;
                for (size_t c = 0; c < cols; ++c) {
                    const bool wraps = wrapCells && (!t.numeric[c] || !c);
                    // A wrapped row reads from its top line, figures included.
                    const QRectF cell = wrapCells ? QRectF(x + 3, L.y + 2.5, w[c] - 6, rowH - 2.5)
                                                  : QRectF(x + 3, L.y, w[c] - 6, rowH);
                    const QString s =
                        wraps ? q(t.display[r][c])
                              : fm.elidedText(q(t.display[r][c]), Qt::ElideRight, cell.width());
                    L.p()->save();
                    L.p()->setClipRect(cell);
                    L.p()->drawText(cell,
                                    (t.numeric[c] ? Qt::AlignRight : Qt::AlignLeft) |
                                        (wrapCells ? Qt::AlignTop : Qt::AlignVCenter) |
                                        (wraps ? Qt::TextWordWrap : 0),
                                    s);
                    L.p()->restore();
                    x += w[c];
                }
            }
            L.y += rowH;
        }
        if (t.display.empty())
            L.text(t.emptyText.empty() ? QObject::tr("No calls in this period.")
                                       : QString::fromStdString(t.emptyText),
                   font(9), Qt::darkGray);
        L.y += 14;
    };

    auto trend = [&] {
        const qreal h = 190;
        L.ensure(h);
        const QRectF area(kMargin, L.y, L.width(), h - 10);
        if (L.p()) {
            QPainter &p = *L.p();
            int64_t maxCost = 1;
            for (int64_t c : d.dailyCost)
                maxCost = std::max(maxCost, c);
            // A "nice" top for the axis: 1, 2 or 5 × 10^n dollars.
            const double maxUsd = double(maxCost) / 1e9;
            const double mag = std::pow(10.0, std::floor(std::log10(maxUsd)));
            double top = mag;
            int steps = 5; // gridlines at round amounts: 1 -> 0.2s, 2 -> 0.5s, 5 -> 1s
            for (double m : {1.0, 2.0, 5.0, 10.0})
                if (m * mag >= maxUsd) {
                    top = m * mag;
                    steps = m == 2.0 ? 4 : 5;
                    break;
                }
            const QFont f = font(7.5);
            const QFontMetricsF fm(f);
            const qreal labelW = fm.horizontalAdvance(QStringLiteral("$000,000")) + 6;
            const QRectF plot(area.left() + labelW, area.top() + 4, area.width() - labelW - 4,
                              area.height() - 2 * fm.height() - 8);
            p.setFont(f);
            for (int i = 0; i <= steps; ++i) {
                const qreal yy = plot.bottom() - plot.height() * i / steps;
                p.setPen(QPen(kRule, 0.5));
                p.drawLine(QPointF(plot.left(), yy), QPointF(plot.right(), yy));
                p.setPen(Qt::darkGray);
                const int64_t v = int64_t(std::llround(top * i / steps * 1e9));
                p.drawText(QRectF(area.left(), yy - fm.height() / 2, labelW - 4, fm.height()),
                           Qt::AlignRight | Qt::AlignVCenter, q(formatUsd(v, top < 10 ? 2 : 0)));
            }
            const size_t n = d.dailyCost.size();
            const qreal slot = n ? plot.width() / qreal(n) : plot.width();
            for (size_t i = 0; i < n; ++i) {
                const qreal bh = plot.height() * (double(d.dailyCost[i]) / 1e9) / top;
                p.fillRect(QRectF(plot.left() + slot * i + slot * 0.15, plot.bottom() - bh,
                                  slot * 0.7, bh),
                           kAccent);
            }
            // Date labels, at most one per ~60 pt.
            p.setPen(Qt::darkGray);
            const size_t every =
                std::max<size_t>(1, size_t(std::ceil(60.0 / std::max<qreal>(slot, 1))));
            for (size_t i = 0; i < n; i += every)
                p.drawText(QRectF(plot.left() + slot * i - 30 + slot / 2, plot.bottom() + 2, 60,
                                  fm.height()),
                           Qt::AlignHCenter | Qt::AlignTop, q(formatDate(d.days[i]).substr(5)));
            p.drawText(
                QRectF(plot.left(), plot.bottom() + fm.height() + 4, plot.width(), fm.height()),
                Qt::AlignHCenter, QObject::tr("Day (UTC, month-day) · spend in USD per day"));
        }
        L.y += h + 8;
    };

    for (size_t i = 0; i < chosen.size(); ++i) {
        const auto &[id, title] = chosen[i];
        if (id == "trend") {
            heading(i, title, 190);
            trend();
            continue;
        }
        const ReportTable *t = d.table(id);
        heading(i, id == "top_tasks" || id == "chargeback" ? q(t->title) : title, 3 * 16);
        if (id == "kpis" && !d.comparisonNote.empty())
            L.text(q(d.comparisonNote), font(9), Qt::darkGray, 4);
        if (!t->note.empty())
            L.text(q(t->note), font(9), Qt::darkGray, 4);
        table(*t);
    }
    L.footer();
    return L.pageNo;
}

namespace {

struct PdfSink : ReportRenderer::Sink
{
    QPdfWriter &writer;
    QPainter m_painter;
    explicit PdfSink(QPdfWriter &w)
        : writer(w)
    {
        if (m_painter.begin(&writer)) {
            const qreal scale = writer.resolution() / 72.0; // we lay out in points
            m_painter.scale(scale, scale);
        }
    }
    QPainter *painter() override { return &m_painter; }
    void newPage() override { writer.newPage(); }
};

struct ImageSink : ReportRenderer::Sink
{
    std::vector<QImage> images;
    QPainter painterObj;
    QSizeF page;
    int width;
    ImageSink(QSizeF p, int w)
        : page(p)
        , width(w)
    {
        start();
    }
    void start()
    {
        const qreal s = width / page.width();
        images.emplace_back(QSize(width, int(page.height() * s)), QImage::Format_RGB32);
        images.back().fill(Qt::white);
        painterObj.begin(&images.back());
        painterObj.setRenderHint(QPainter::Antialiasing);
        painterObj.setRenderHint(QPainter::TextAntialiasing);
        painterObj.scale(s, s);
    }
    QPainter *painter() override { return &painterObj; }
    void newPage() override
    {
        painterObj.end();
        start();
    }
    void finish() { painterObj.end(); }
};

} // namespace

// A dry pass learns each section's page and the page count; a report that
// fits one page is laid out again without the table of contents.
bool ReportRenderer::layOut(QSizeF size, std::vector<int> &sectionPages, int &total)
{
    DrySink dry;
    total = paint(dry, size, true, &sectionPages, {}, 0);
    if (total > 1)
        return true;
    sectionPages.clear();
    total = paint(dry, size, false, &sectionPages, {}, 0);
    return false;
}

bool ReportRenderer::writePdf(const QString &path, Paper paper, QString *error, int *pages)
{
    const QSizeF size = pageSizePt(paper);
    std::vector<int> sectionPages;
    int total = 0;
    const bool toc = layOut(size, sectionPages, total);
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(paper == Paper::A4 ? QPageSize::A4 : QPageSize::Letter));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    writer.setResolution(300);
    writer.setTitle(QStringLiteral("LLM spend report: %1").arg(q(m_data.period)));
    writer.setCreator(QStringLiteral("tokenledger"));
    {
        PdfSink sink(writer);
        if (!sink.m_painter.isActive()) {
            if (error)
                *error = QStringLiteral("%1: cannot be written").arg(path);
            return false;
        }
        paint(sink, size, toc, nullptr, sectionPages, total);
        sink.m_painter.end();
    }
    if (pages)
        *pages = total;
    return true;
}

std::vector<QImage> ReportRenderer::pageImages(Paper paper, int widthPx)
{
    const QSizeF size = pageSizePt(paper);
    std::vector<int> sectionPages;
    int total = 0;
    const bool toc = layOut(size, sectionPages, total);
    ImageSink sink(size, widthPx);
    paint(sink, size, toc, nullptr, sectionPages, total);
    sink.finish();
    return std::move(sink.images);
}

} // namespace tl
