#pragma once

#include <QFrame>

class QLabel;

namespace tl {

// One headline figure of the Overview: a caption, the value, and a line of
// context (change vs the previous period, a breakdown).
class KpiTile : public QFrame
{
    Q_OBJECT
public:
    KpiTile(const QString &caption, QWidget *parent = nullptr);
    void setValue(const QString &value, const QString &detail = {}, const QColor &detailColor = {});
    QString value() const;
    void setCaption(const QString &caption);
    QString detail() const;

private:
    QLabel *m_caption;
    QLabel *m_value;
    QLabel *m_detail;
};

} // namespace tl
