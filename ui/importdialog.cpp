#include "importdialog.h"
#include "import/focusimporter.h"

#include "displayformat.h"
#include "import/importpaths.h"
#include "rejectsdialog.h"
#include "store/workspace.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace tl {

ImportDialog::ImportDialog(const QStringList &files, const QString &workspacePath, QWidget *parent)
    : QDialog(parent)
    , m_files(files)
    , m_path(workspacePath)
{
    setWindowTitle(tr("Import Logs"));
    resize(760, 420);
    auto *l = new QVBoxLayout(this);
    m_status = new QLabel(tr("Starting…"), this);
    m_status->setWordWrap(true);
    m_bar = new QProgressBar(this);
    m_bar->setRange(0, 1000);
    m_table = new QTableWidget(0, 7, this);
    m_table->setHorizontalHeaderLabels({tr("File"), tr("Format"), tr("Imported"), tr("Duplicates"),
                                        tr("Rejected"), tr("Unpriced"), tr("Result")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->hide();
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_rejects = new QPushButton(tr("Show Rejected Rows…"), this);
    m_rejects->hide();
    m_buttons = new QDialogButtonBox(this);
    m_buttons->addButton(m_rejects, QDialogButtonBox::ActionRole);
    m_buttons->addButton(m_cancel, QDialogButtonBox::RejectRole);
    l->addWidget(m_status);
    l->addWidget(m_bar);
    l->addWidget(m_table, 1);
    l->addWidget(m_buttons);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_finished)
            accept();
        else
            cancel();
    });
    connect(m_rejects, &QPushButton::clicked, this, &ImportDialog::showRejects);
}

ImportDialog::~ImportDialog()
{
    m_cancelRequested = true;
    if (m_thread.joinable())
        m_thread.join();
}

void ImportDialog::start()
{
    if (m_thread.joinable())
        return;
    std::vector<std::string> given;
    for (const QString &f : m_files)
        given.push_back(f.toStdString());
    const std::string path = m_path.toStdString();
    m_thread = std::thread([this, given, path] {
        // A folder (~/.claude/projects, ~/.codex/sessions) is walked for its
        // log files here, off the GUI thread: a user's history can be large.
        std::vector<std::string> emptyFolders;
        const std::vector<std::string> files = expandImportPaths(given, &emptyFolders);
        for (const std::string &folder : emptyFolders) {
            FileImportResult r;
            r.file = folder;
            r.error = folder + ": no log files (.jsonl, .json, .csv) in this folder";
            m_results.push_back(std::move(r));
        }
        std::string why;
        auto ws = Workspace::open(path, Workspace::OpenMode::OpenExisting, &why);
        if (!ws) {
            m_openError = why;
            m_workerDone = true;
            return;
        }
        Importer importer(*ws);
        for (size_t i = 0; i < files.size(); ++i) {
            ImportOptions o;
            o.fileIndex = int(i);
            o.fileCount = int(files.size());
            o.progress = [this](const ImportProgress &p) {
                std::lock_guard lock(m_mutex);
                m_progress = p;
                m_waiting = false;
                return !m_cancelRequested.load();
            };
            o.onWait = [this] {
                m_waiting = true;
                return !m_cancelRequested.load();
            };
            FileImportResult r;
            if (m_cancelRequested) {
                r.file = files[i];
                r.cancelled = true;
                r.error = files[i] + ": skipped (import cancelled)";
            } else if (FocusImporter::isFocusFile(files[i])) {
                // A cloud bill: infrastructure cost, kept apart from calls.
                const FocusImportResult f = FocusImporter(*ws).importFile(files[i]);
                r.file = files[i];
                r.format = "focus (infrastructure)";
                r.ok = f.ok;
                r.error = f.error;
                r.imported = f.added + f.restated;
                r.duplicates = f.unchanged;
                r.rejected = f.rejected;
            } else {
                r = importer.importFile(files[i], o);
            }
            m_results.push_back(std::move(r));
        }
        m_workerDone = true;
    });
    auto *timer = new QTimer(this);
    timer->setInterval(100);
    connect(timer, &QTimer::timeout, this, &ImportDialog::poll);
    timer->start();
}

void ImportDialog::cancel()
{
    m_cancelRequested = true;
    m_cancel->setEnabled(false);
    m_status->setText(tr("Cancelling: rolling back the current file…"));
}

void ImportDialog::reject()
{
    if (isRunning()) {
        cancel();
        return;
    }
    QDialog::reject();
}

void ImportDialog::poll()
{
    if (m_workerDone) {
        if (!m_finished)
            done();
        return;
    }
    ImportProgress p;
    {
        std::lock_guard lock(m_mutex);
        p = m_progress;
    }
    if (m_cancelRequested)
        return;
    if (m_waiting) {
        m_status->setText(tr("Waiting for another import into this workspace to finish… "
                             "(Cancel stops waiting; nothing is written until this file's turn)"));
        Q_EMIT progressed();
        return;
    }
    const double fileShare = p.bytesTotal > 0 ? double(p.bytesRead) / double(p.bytesTotal) : 0.0;
    m_bar->setValue(int(1000.0 * (p.fileIndex + fileShare) / std::max(1, p.fileCount)));
    const double rate = p.seconds > 0 ? double(p.records) / p.seconds : 0.0;
    m_status->setText(tr("File %1 of %2: %3\n%4 rows read · %5 rows/s")
                          .arg(p.fileIndex + 1)
                          .arg(std::max(1, p.fileCount))
                          .arg(QFileInfo(QString::fromStdString(p.file)).fileName(),
                               DisplayFormat::count(p.records),
                               DisplayFormat::count(int64_t(rate))));
    Q_EMIT progressed();
}

void ImportDialog::done()
{
    m_finished = true;
    m_thread.join();
    m_bar->setValue(1000);
    m_cancel->setEnabled(true);
    m_cancel->setText(tr("Close"));
    bool any = false;
    int64_t imported = 0, rejected = 0;
    int failedFiles = 0;
    m_table->setRowCount(int(m_results.size()));
    for (int i = 0; i < int(m_results.size()); ++i) {
        const FileImportResult &r = m_results[size_t(i)];
        any |= r.ok && r.imported > 0;
        imported += r.imported;
        rejected += r.rejected;
        failedFiles += !r.ok && !r.cancelled;
        const QString result = r.ok          ? tr("imported")
                               : r.cancelled ? tr("cancelled: rolled back, nothing kept")
                                             : QString::fromStdString(r.error);
        const QStringList cells = {QFileInfo(QString::fromStdString(r.file)).fileName(),
                                   QString::fromStdString(r.format),
                                   DisplayFormat::count(r.imported),
                                   DisplayFormat::count(r.duplicates),
                                   DisplayFormat::count(r.rejected),
                                   DisplayFormat::count(r.unpriced),
                                   result};
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            if (c >= 2 && c <= 5)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (c == 0)
                item->setToolTip(QString::fromStdString(r.file));
            if (c == 6 && !r.ok) {
                item->setForeground(QColor(0xC0, 0x39, 0x2B));
                item->setToolTip(cells[c]);
            }
            m_table->setItem(i, c, item);
        }
    }
    m_table->resizeColumnsToContents();
    m_table->show();
    if (!m_openError.empty())
        m_status->setText(QString::fromStdString(m_openError));
    else if (m_cancelRequested)
        m_status->setText(tr("Import cancelled. The file being read was rolled back; files "
                             "already finished were kept."));
    else if (failedFiles > 0)
        // Said first: a refused file is easy to miss in a long table.
        m_status->setText(tr("Done: %1 calls imported, %2 rows rejected; %3 of %4 not imported "
                             "(the last column says why).")
                              .arg(DisplayFormat::count(imported), DisplayFormat::count(rejected))
                              .arg(failedFiles)
                              .arg(m_results.size()));
    else
        m_status->setText(tr("Done: %1 calls imported, %2 rows rejected.")
                              .arg(DisplayFormat::count(imported), DisplayFormat::count(rejected)));
    m_rejects->setVisible(rejected > 0);
    Q_EMIT finished(any);
}

void ImportDialog::showRejects()
{
    std::vector<Rejection> all;
    for (const auto &r : m_results)
        all.insert(all.end(), r.rejections.begin(), r.rejections.end());
    RejectsDialog d(all, this);
    d.exec();
}

} // namespace tl
