#pragma once

#include "report/reportdata.h"
#include "reportrenderer.h"

#include <QDialog>

#include <map>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QVBoxLayout;

namespace tl {

class QueryRunner;

// File → Export Report…: pick the sections and the paper, look at the pages,
// then save the PDF or the folder of CSV files. The figures are read off
// the GUI thread (the runner) and the preview pages are painted off it too.
class ReportDialog : public QDialog
{
    Q_OBJECT
public:
    ReportDialog(QueryRunner *runner, const CallFilter &filter, QWidget *parent = nullptr);
    ~ReportDialog() override;

    bool isReady() const { return m_data != nullptr && m_previewPages > 0; }
    int previewPages() const { return m_previewPages; }
    QCheckBox *sectionBox(const std::string &id) const { return m_boxes.at(id); }
    QComboBox *paperCombo() const { return m_paper; }
    QComboBox *chargeByCombo() const { return m_chargeBy; }
    QComboBox *allocateCombo() const { return m_allocate; }
    QLineEdit *sharedEdit() const { return m_shared; }
    QListWidget *scenarioList() const { return m_scenarios; }
    // Re-reads the figures with the chosen chargeback rule and scenarios.
    void reload();
    bool savePdf(const QString &path, QString *error, int *pages = nullptr);
    bool saveCsv(const QString &dir, QString *error);

Q_SIGNALS:
    void previewReady();

private:
    std::set<std::string> chosen() const;
    std::optional<ReportOptions> options(QString *error) const;
    ReportRenderer::Paper paper() const;
    void renderPreview();

    QueryRunner *m_runner;
    std::shared_ptr<const ReportData> m_data;
    std::map<std::string, QCheckBox *> m_boxes;
    QComboBox *m_paper;
    QComboBox *m_chargeBy;
    QComboBox *m_allocate;
    QLineEdit *m_shared;
    QListWidget *m_scenarios;
    CallFilter m_filter;
    QStringList m_errors;
    QLabel *m_status;
    QWidget *m_pages;
    QVBoxLayout *m_pagesLayout;
    QPushButton *m_savePdf;
    QPushButton *m_saveCsv;
    int m_previewPages = 0;
    quint64 m_previewTicket = 0;
};

} // namespace tl
