#pragma once

#include "import/importer.h"

#include <QDialog>

class QTableWidget;

namespace tl {

// The rows an import refused: file, line or JSON path, the reason, and the
// original text; saveable as CSV to fix and re-import.
class RejectsDialog : public QDialog
{
    Q_OBJECT
public:
    RejectsDialog(std::vector<Rejection> rejections, QWidget *parent = nullptr);
    bool saveTo(const QString &path, QString *error) const;
    QTableWidget *table() const { return m_table; }

private:
    std::vector<Rejection> m_rejections;
    QTableWidget *m_table;
};

} // namespace tl
