#include "kpitile.h"

#include <QLabel>
#include <QVBoxLayout>

namespace tl {

KpiTile::KpiTile(const QString &caption, QWidget *parent)
    : QFrame(parent)
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    auto *l = new QVBoxLayout(this);
    l->setContentsMargins(8, 4, 8, 4);
    l->setSpacing(1);
    m_caption = new QLabel(caption, this);
    m_caption->setForegroundRole(QPalette::PlaceholderText);
    m_value = new QLabel(this);
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_value->setFont(big);
    m_value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail = new QLabel(this);
    // Wraps rather than widening the tile: seven tiles share one row.
    m_detail->setWordWrap(true);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_detail->setFont(small);
    l->addWidget(m_caption);
    l->addWidget(m_value);
    l->addWidget(m_detail);
    l->addStretch(1);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void KpiTile::setValue(const QString &value, const QString &detail, const QColor &detailColor)
{
    m_value->setText(value);
    m_detail->setText(detail);
    m_detail->setToolTip(detail);
    QPalette p = m_detail->palette();
    p.setColor(QPalette::WindowText,
               detailColor.isValid() ? detailColor : palette().color(QPalette::WindowText));
    m_detail->setPalette(p);
}

QString KpiTile::value() const
{
    return m_value->text();
}

QString KpiTile::detail() const
{
    return m_detail->text();
}

} // namespace tl

namespace tl {

void KpiTile::setCaption(const QString &caption)
{
    m_caption->setText(caption);
}

} // namespace tl
