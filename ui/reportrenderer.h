#pragma once

#include "report/reportdata.h"

#include <QImage>
#include <QString>

#include <functional>
#include <set>
#include <vector>

class QPainter;

namespace tl {

// Lays a ReportData out on pages and paints it with QPainter: to a PDF
// (QPdfWriter: vector charts, selectable text) or to images for the
// preview. Tables break across pages with their header repeated, a heading
// never ends a page, pages are numbered, and a report of more than one page
// opens with a table of contents.
class ReportRenderer
{
public:
    enum class Paper { A4, Letter };
    // Section ids: kpis, trend, by_team, by_feature, by_agent, by_model,
    // efficiency_by_feature, efficiency_by_agent, budgets, anomalies, opportunities,
    // portfolio, top_tasks, by_day.
    static const std::vector<std::pair<std::string, QString>> &sections();

    ReportRenderer(const ReportData &data, std::set<std::string> sections);

    bool writePdf(const QString &path, Paper paper, QString *error, int *pages = nullptr);
    std::vector<QImage> pageImages(Paper paper, int widthPx);
    static QSizeF pageSizePt(Paper paper);

    struct Sink; // where pages go (PDF, images, or nowhere in a dry run)

private:
    struct Layout;
    bool layOut(QSizeF size, std::vector<int> &sectionPages, int &total); // true: with contents
    int paint(Sink &sink, QSizeF page, bool withToc, std::vector<int> *sectionPages,
              const std::vector<int> &knownPages, int knownTotal);

    const ReportData &m_data;
    std::set<std::string> m_sections;
};

} // namespace tl
