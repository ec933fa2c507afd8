#include "rejectsdialog.h"
#include "filedialogs.h"

#include "export/csvwriter.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QTableWidget>
#include <QVBoxLayout>

namespace tl {

RejectsDialog::RejectsDialog(std::vector<Rejection> rejections, QWidget *parent)
    : QDialog(parent)
    , m_rejections(std::move(rejections))
{
    setWindowTitle(tr("Rejected Rows"));
    resize(900, 480);
    auto *l = new QVBoxLayout(this);
    m_table = new QTableWidget(int(m_rejections.size()), 4, this);
    m_table->setHorizontalHeaderLabels(
        {tr("File"), tr("Where"), tr("Reason"), tr("Original text")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    for (int i = 0; i < int(m_rejections.size()); ++i) {
        const Rejection &r = m_rejections[size_t(i)];
        m_table->setItem(
            i, 0, new QTableWidgetItem(QFileInfo(QString::fromStdString(r.file)).fileName()));
        m_table->setItem(i, 1, new QTableWidgetItem(QString::fromStdString(r.location)));
        m_table->setItem(i, 2, new QTableWidgetItem(QString::fromStdString(r.reason)));
        m_table->setItem(i, 3, new QTableWidgetItem(QString::fromStdString(r.raw).simplified()));
    }
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setStretchLastSection(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *save = buttons->addButton(tr("Save as CSV…"), QDialogButtonBox::ActionRole);
    l->addWidget(m_table);
    l->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(save, &QPushButton::clicked, this, [this] {
        const QString path =
            FileDialogs::saveFile(this, tr("Save Rejected Rows"), QStringLiteral("rejected.csv"),
                                  tr("CSV files (*.csv)"));
        QString error;
        if (!path.isEmpty() && !saveTo(path, &error))
            QMessageBox::warning(this, tr("Cannot save"), error);
    });
}

bool RejectsDialog::saveTo(const QString &path, QString *error) const
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        *error = tr("%1: cannot be written: %2").arg(path, f.errorString());
        return false;
    }
    f.write(
        QByteArray::fromStdString(CsvWriter::row({"file", "line", "location", "reason", "raw"})));
    for (const auto &r : m_rejections)
        f.write(QByteArray::fromStdString(CsvWriter::row(
            {r.file, std::to_string(r.line), r.location, r.reason, r.raw}, {false, true})));
    if (!f.commit()) {
        *error = tr("%1: cannot be written: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

} // namespace tl
