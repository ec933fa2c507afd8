#include "reportdialog.h"
#include "filedialogs.h"

#include "items/queryrunner.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDate>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QThread>
#include <QVBoxLayout>

namespace tl {

ReportDialog::ReportDialog(QueryRunner *runner, const CallFilter &filter, QWidget *parent)
    : QDialog(parent)
    , m_runner(runner)
{
    setWindowTitle(tr("Export Report"));
    resize(900, 820);
    auto *layout = new QHBoxLayout(this);
    auto *side = new QVBoxLayout;
    side->addWidget(new QLabel(tr("<b>Sections</b>"), this));
    for (const auto &[id, title] : ReportRenderer::sections()) {
        auto *box = new QCheckBox(title, this);
        box->setChecked(true);
        m_boxes[id] = box;
        side->addWidget(box);
        connect(box, &QCheckBox::toggled, this, &ReportDialog::renderPreview);
    }
    side->addSpacing(12);
    side->addWidget(new QLabel(tr("<b>Paper</b>"), this));
    m_paper = new QComboBox(this);
    m_paper->addItem(tr("A4"), int(ReportRenderer::Paper::A4));
    m_paper->addItem(tr("US Letter"), int(ReportRenderer::Paper::Letter));
    side->addWidget(m_paper);
    connect(m_paper, &QComboBox::currentIndexChanged, this, &ReportDialog::renderPreview);
    side->addSpacing(12);
    // The chargeback rule and the scenarios are read with the figures: a
    // change re-reads them (remembered for next month's report).
    QSettings settings;
    side->addWidget(new QLabel(tr("<b>Chargeback</b>"), this));
    auto *grid = new QGridLayout;
    m_chargeBy = new QComboBox(this);
    for (const char *d : {"team", "feature", "agent", "user", "model", "provider"})
        m_chargeBy->addItem(tr(d), QString::fromLatin1(d));
    m_chargeBy->setCurrentIndex(
        std::max(0, m_chargeBy->findData(settings.value(QStringLiteral("report/chargeBy"),
                                                        QStringLiteral("team")))));
    m_allocate = new QComboBox(this);
    m_allocate->setEditable(true);
    m_allocate->addItem(QStringLiteral("proportional"));
    m_allocate->addItem(QStringLiteral("even"));
    m_allocate->setCurrentText(
        settings.value(QStringLiteral("report/allocate"), QStringLiteral("proportional"))
            .toString());
    m_allocate->setToolTip(tr("How shared and unassigned cost is split: proportional to each "
                              "centre's own cost, even, or fixed shares such as "
                              "support=60,search=40."));
    m_shared = new QLineEdit(settings.value(QStringLiteral("report/shared")).toString(), this);
    m_shared->setPlaceholderText(tr("e.g. agent=router, team=platform"));
    m_shared->setToolTip(tr("Calls whose cost every cost centre shares."));
    grid->addWidget(new QLabel(tr("By"), this), 0, 0);
    grid->addWidget(m_chargeBy, 0, 1);
    grid->addWidget(new QLabel(tr("Split"), this), 1, 0);
    grid->addWidget(m_allocate, 1, 1);
    grid->addWidget(new QLabel(tr("Shared"), this), 2, 0);
    grid->addWidget(m_shared, 2, 1);
    side->addLayout(grid);
    side->addWidget(new QLabel(tr("<b>Scenarios</b>"), this));
    m_scenarios = new QListWidget(this);
    m_scenarios->setMaximumHeight(70);
    for (const QString &f : settings.value(QStringLiteral("report/scenarios")).toStringList())
        if (QFile::exists(f))
            m_scenarios->addItem(f);
    side->addWidget(m_scenarios);
    auto *scenarioButtons = new QHBoxLayout;
    auto *addScenario = new QPushButton(tr("Add…"), this);
    auto *removeScenario = new QPushButton(tr("Remove"), this);
    scenarioButtons->addWidget(addScenario);
    scenarioButtons->addWidget(removeScenario);
    side->addLayout(scenarioButtons);
    connect(m_chargeBy, &QComboBox::currentIndexChanged, this, &ReportDialog::reload);
    connect(m_allocate, &QComboBox::currentTextChanged, this, &ReportDialog::reload);
    connect(m_shared, &QLineEdit::editingFinished, this, &ReportDialog::reload);
    connect(addScenario, &QPushButton::clicked, this, [this] {
        const QStringList files = FileDialogs::openFiles(this, tr("Scenarios to Compare"),
                                                         tr("Scenarios (*.tlscenario *.json)"));
        if (files.isEmpty())
            return;
        m_scenarios->addItems(files);
        reload();
    });
    connect(removeScenario, &QPushButton::clicked, this, [this] {
        delete m_scenarios->currentItem();
        reload();
    });
    side->addSpacing(12);
    m_status = new QLabel(tr("Reading the figures…"), this);
    m_status->setWordWrap(true);
    side->addWidget(m_status);
    side->addStretch(1);
    m_savePdf = new QPushButton(tr("Save PDF…"), this);
    m_saveCsv = new QPushButton(tr("Save CSV Folder…"), this);
    auto *close = new QPushButton(tr("Close"), this);
    for (QPushButton *b : {m_savePdf, m_saveCsv}) {
        b->setEnabled(false);
        side->addWidget(b);
    }
    side->addWidget(close);
    layout->addLayout(side);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    m_pages = new QWidget(scroll);
    m_pagesLayout = new QVBoxLayout(m_pages);
    m_pagesLayout->setAlignment(Qt::AlignHCenter);
    scroll->setWidget(m_pages);
    scroll->setBackgroundRole(QPalette::Dark);
    layout->addWidget(scroll, 1);

    connect(close, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_savePdf, &QPushButton::clicked, this, [this] {
        const QString path =
            FileDialogs::saveFile(this, tr("Save Report"),
                                  QStringLiteral("tokenledger-report-%1.pdf")
                                      .arg(QDate::currentDate().toString(Qt::ISODate)),
                                  tr("PDF files (*.pdf)"));
        QString error;
        if (!path.isEmpty() && !savePdf(path, &error))
            QMessageBox::warning(this, tr("Report not saved"), error);
    });
    connect(m_saveCsv, &QPushButton::clicked, this, [this] {
        const QString dir = FileDialogs::folder(this, tr("Folder for the CSV Files"));
        QString error;
        if (!dir.isEmpty() && !saveCsv(dir, &error))
            QMessageBox::warning(this, tr("CSV files not saved"), error);
    });

    m_filter = filter;
    reload();
}

std::optional<ReportOptions> ReportDialog::options(QString *error) const
{
    ReportOptions o;
    std::vector<std::string> shared;
    for (const QString &s : m_shared->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        shared.push_back(s.trimmed().toStdString());
    std::string why;
    const auto rule =
        ChargebackRule::parse(m_chargeBy->currentData().toString().toStdString(), shared,
                              m_allocate->currentText().trimmed().toStdString(), &why);
    if (!rule) {
        *error = QString::fromStdString(why);
        return std::nullopt;
    }
    o.chargeback = *rule;
    for (int i = 0; i < m_scenarios->count(); ++i)
        o.scenarioFiles.push_back(m_scenarios->item(i)->text().toStdString());
    return o;
}

void ReportDialog::reload()
{
    QString error;
    const auto o = options(&error);
    if (!o) {
        // A rule half typed: say what is wrong and keep the last figures.
        m_status->setText(
            QStringLiteral("<span style='color:#c0392b'>%1</span>").arg(error.toHtmlEscaped()));
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("report/chargeBy"), m_chargeBy->currentData());
    settings.setValue(QStringLiteral("report/allocate"), m_allocate->currentText());
    settings.setValue(QStringLiteral("report/shared"), m_shared->text());
    QStringList files;
    for (const std::string &f : o->scenarioFiles)
        files << QString::fromStdString(f);
    settings.setValue(QStringLiteral("report/scenarios"), files);
    // Old pages must not be saved under the new choices.
    m_data.reset();
    m_savePdf->setEnabled(false);
    m_saveCsv->setEnabled(false);
    m_status->setText(tr("Reading the figures…"));
    m_runner->run<ReportData>(
        QStringLiteral("report"),
        [filter = m_filter, options = *o](Workspace &ws) {
            return ReportBuilder::build(ws, filter, options);
        },
        [this](ReportData &d) {
            m_errors.clear();
            for (const std::string &e : d.errors)
                m_errors << QString::fromStdString(e);
            m_data = std::make_shared<const ReportData>(std::move(d));
            m_savePdf->setEnabled(true);
            m_saveCsv->setEnabled(true);
            renderPreview();
        });
}

ReportDialog::~ReportDialog() = default;

std::set<std::string> ReportDialog::chosen() const
{
    std::set<std::string> s;
    for (const auto &[id, box] : m_boxes)
        if (box->isChecked())
            s.insert(id);
    return s;
}

ReportRenderer::Paper ReportDialog::paper() const
{
    return ReportRenderer::Paper(m_paper->currentData().toInt());
}

void ReportDialog::renderPreview()
{
    if (!m_data)
        return;
    m_status->setText(tr("Laying out the pages…"));
    const quint64 ticket = ++m_previewTicket;
    auto data = m_data;
    const auto sections = chosen();
    const auto pp = paper();
    QPointer<ReportDialog> self(this);
    // QPainter on QImage may run on any thread; the pages come back queued.
    QThread *worker = QThread::create([self, data, sections, pp, ticket] {
        ReportRenderer r(*data, sections);
        auto images = std::make_shared<std::vector<QImage>>(r.pageImages(pp, 640));
        if (!self)
            return;
        QMetaObject::invokeMethod(
            self.data(),
            [self, images, ticket] {
                if (!self || ticket != self->m_previewTicket)
                    return; // a newer choice of sections or paper is on its way
                QLayoutItem *item;
                while ((item = self->m_pagesLayout->takeAt(0)) != nullptr) {
                    delete item->widget();
                    delete item;
                }
                for (const QImage &img : *images) {
                    auto *label = new QLabel(self->m_pages);
                    label->setPixmap(QPixmap::fromImage(img));
                    label->setFrameShape(QFrame::Box);
                    self->m_pagesLayout->addWidget(label);
                }
                self->m_previewPages = int(images->size());
                QString status = tr("%n page(s). Figures as of the workspace now.", nullptr,
                                    int(images->size()));
                // A scenario that could not be compared is named, not dropped silently.
                for (const QString &e : self->m_errors)
                    status += QStringLiteral("<br><span style='color:#c0392b'>%1</span>")
                                  .arg(e.toHtmlEscaped());
                self->m_status->setText(status);
                Q_EMIT self->previewReady();
            },
            Qt::QueuedConnection);
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

bool ReportDialog::savePdf(const QString &path, QString *error, int *pages)
{
    if (!m_data) {
        *error = tr("The report is still being read.");
        return false;
    }
    ReportRenderer r(*m_data, chosen());
    return r.writePdf(path, paper(), error, pages);
}

bool ReportDialog::saveCsv(const QString &dir, QString *error)
{
    if (!m_data) {
        *error = tr("The report is still being read.");
        return false;
    }
    std::string why;
    if (!ReportBuilder::writeCsv(*m_data, dir.toStdString(), &why)) {
        *error = QString::fromStdString(why);
        return false;
    }
    return true;
}

} // namespace tl
