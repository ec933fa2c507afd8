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
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
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

    m_runner->run<ReportData>(
        QStringLiteral("report"),
        [filter](Workspace &ws) { return ReportBuilder::build(ws, filter); },
        [this](ReportData &d) {
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
                self->m_status->setText(tr("%n page(s). Figures as of the workspace now.", nullptr,
                                           int(images->size())));
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
