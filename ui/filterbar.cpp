#include "filterbar.h"

#include "dimensionpicker.h"

#include <QComboBox>
#include <QDateEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWidgetAction>

namespace tl {

namespace {

QDate dateOfDay(int64_t day)
{
    return QDate(1970, 1, 1).addDays(day);
}

int64_t dayOfDate(const QDate &d)
{
    return QDate(1970, 1, 1).daysTo(d);
}

QString capitalised(std::string_view s)
{
    QString q = QString::fromUtf8(s);
    if (!q.isEmpty())
        q[0] = q[0].toUpper();
    return q;
}

} // namespace

FilterBar::FilterBar(QWidget *parent)
    : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(8, 6, 8, 4);
    outer->setSpacing(4);
    auto *row = new QHBoxLayout;
    row->setSpacing(6);
    outer->addLayout(row);

    m_range = new QComboBox(this);
    m_range->setObjectName(QStringLiteral("rangeCombo"));
    for (int r = 0; r <= int(ViewFilter::Range::Custom); ++r)
        m_range->addItem(ViewFilter::rangeName(ViewFilter::Range(r)), r);
    m_from = new QDateEdit(this);
    m_to = new QDateEdit(this);
    for (QDateEdit *e : {m_from, m_to}) {
        e->setCalendarPopup(true);
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
        e->setTimeSpec(Qt::UTC);
    }
    m_granularity = new QComboBox(this);
    m_granularity->setObjectName(QStringLiteral("granularityCombo"));
    for (TimeBucket b : {TimeBucket::Hour, TimeBucket::Day, TimeBucket::Week, TimeBucket::Month})
        m_granularity->addItem(ViewFilter::granularityName(b), int(b));

    row->addWidget(new QLabel(tr("Period"), this));
    row->addWidget(m_range);
    row->addWidget(m_from);
    row->addWidget(new QLabel(QStringLiteral("–"), this));
    row->addWidget(m_to);
    row->addSpacing(8);
    row->addWidget(new QLabel(tr("by"), this));
    row->addWidget(m_granularity);
    row->addSpacing(12);
    for (Dimension d : kDimensions) {
        auto *b = new QToolButton(this);
        b->setText(capitalised(dimensionName(d)));
        b->setObjectName(QStringLiteral("filter-%1").arg(QString::fromUtf8(dimensionName(d))));
        b->setPopupMode(QToolButton::InstantPopup);
        b->setToolTip(tr("Show only some %1s").arg(QString::fromUtf8(dimensionName(d))));
        b->setMenu(new QMenu(b));
        m_buttons[d] = b;
        installPicker(d);
        row->addWidget(b);
    }
    row->addStretch(1);

    m_chipRow = new QWidget(this);
    m_chipLayout = new QHBoxLayout(m_chipRow);
    m_chipLayout->setContentsMargins(0, 0, 0, 0);
    m_chipLayout->setSpacing(4);
    outer->addWidget(m_chipRow);
    m_chipRow->hide();

    connect(m_range, &QComboBox::currentIndexChanged, this, [this] {
        if (m_syncing)
            return;
        m_filter.range = ViewFilter::Range(m_range->currentData().toInt());
        if (m_filter.range == ViewFilter::Range::Custom) {
            m_filter.customFrom = dayOfDate(m_from->date());
            m_filter.customTo = dayOfDate(m_to->date());
        }
        changed();
    });
    auto dateEdited = [this] {
        if (m_syncing)
            return;
        m_filter.range = ViewFilter::Range::Custom;
        m_filter.customFrom = dayOfDate(m_from->date());
        m_filter.customTo = std::max(m_filter.customFrom, dayOfDate(m_to->date()));
        changed();
    };
    connect(m_from, &QDateEdit::dateChanged, this, dateEdited);
    connect(m_to, &QDateEdit::dateChanged, this, dateEdited);
    connect(m_granularity, &QComboBox::currentIndexChanged, this, [this] {
        if (m_syncing)
            return;
        m_filter.granularity = TimeBucket(m_granularity->currentData().toInt());
        changed();
    });
    syncWidgets();
}

void FilterBar::setRunner(QueryRunner *runner)
{
    m_runner = runner;
    for (Dimension d : kDimensions)
        installPicker(d); // a picker reads names through one workspace's runner
    syncWidgets();
}

void FilterBar::installPicker(Dimension d)
{
    QMenu *menu = m_buttons[d]->menu();
    menu->clear(); // deletes the old picker with its action
    auto *picker = new DimensionPicker(d, m_runner, menu);
    auto *action = new QWidgetAction(menu);
    action->setDefaultWidget(picker);
    menu->addAction(action);
    disconnect(menu, &QMenu::aboutToShow, nullptr, nullptr);
    connect(menu, &QMenu::aboutToShow, picker, [picker] {
        picker->refresh();
        picker->searchEdit()->setFocus();
    });
    connect(picker, &DimensionPicker::selectionChanged, this,
            [this](Dimension dim, const std::vector<std::string> &names) {
                if (names.empty())
                    m_filter.include.erase(dim);
                else
                    m_filter.include[dim] = names;
                changed();
            });
    m_pickers[d] = picker;
}

DimensionPicker *FilterBar::picker(Dimension d) const
{
    auto it = m_pickers.find(d);
    return it == m_pickers.end() ? nullptr : it->second;
}

QList<QToolButton *> FilterBar::chips() const
{
    return m_chipRow->findChildren<QToolButton *>(QStringLiteral("chip"));
}

void FilterBar::setFilter(const ViewFilter &filter)
{
    m_filter = filter;
    changed();
}

void FilterBar::restrictTo(Dimension d, const std::string &name)
{
    m_filter.include[d] = {name};
    changed();
}

void FilterBar::setDataBounds(int64_t firstDay, int64_t lastDay)
{
    m_syncing = true;
    for (QDateEdit *e : {m_from, m_to})
        e->setDateRange(dateOfDay(firstDay - 366), dateOfDay(lastDay + 366));
    if (m_filter.range == ViewFilter::Range::All) {
        m_from->setDate(dateOfDay(firstDay));
        m_to->setDate(dateOfDay(lastDay));
    }
    m_syncing = false;
}

void FilterBar::changed()
{
    syncWidgets();
    Q_EMIT filterChanged(m_filter);
}

void FilterBar::syncWidgets()
{
    m_syncing = true;
    m_range->setCurrentIndex(m_range->findData(int(m_filter.range)));
    auto [from, to] = m_filter.days(todayUtc());
    if (from)
        m_from->setDate(dateOfDay(*from));
    if (to)
        m_to->setDate(dateOfDay(*to));
    m_granularity->setCurrentIndex(m_granularity->findData(int(m_filter.granularity)));
    for (auto &[d, b] : m_buttons) {
        auto it = m_filter.include.find(d);
        const int n = it == m_filter.include.end() ? 0 : int(it->second.size());
        const QString base = capitalised(dimensionName(d));
        b->setText(n ? QStringLiteral("%1 (%2)").arg(base).arg(n) : base);
        if (DimensionPicker *p = m_pickers[d])
            p->setSelected(n ? it->second : std::vector<std::string>{});
    }
    m_syncing = false;
    rebuildChips();
}

void FilterBar::rebuildChips()
{
    for (QToolButton *c : chips()) {
        c->hide(); // deleteLater() runs only in the top event loop
        c->setObjectName(QString());
        c->deleteLater();
    }
    QLayoutItem *item;
    while ((item = m_chipLayout->takeAt(0)) != nullptr) {
        if (item->widget() && !item->widget()->objectName().isEmpty()) {
            item->widget()->hide();
            item->widget()->deleteLater();
        }
        delete item;
    }
    for (const auto &[d, names] : m_filter.include) {
        for (const auto &n : names) {
            auto *chip = new QToolButton(m_chipRow);
            chip->setObjectName(QStringLiteral("chip"));
            chip->setText(QStringLiteral("%1: %2  ✕")
                              .arg(QString::fromUtf8(dimensionName(d)), QString::fromStdString(n)));
            chip->setToolTip(tr("Remove this filter"));
            chip->setAutoRaise(false);
            chip->setStyleSheet(QStringLiteral(
                "QToolButton#chip { border: 1px solid palette(mid); border-radius: 10px; "
                "padding: 2px 8px; background: palette(alternate-base); }"));
            connect(chip, &QToolButton::clicked, this, [this, d = d, n = n] {
                auto &v = m_filter.include[d];
                v.erase(std::remove(v.begin(), v.end(), n), v.end());
                if (v.empty())
                    m_filter.include.erase(d);
                changed();
            });
            m_chipLayout->addWidget(chip);
        }
    }
    if (!m_filter.include.empty()) {
        auto *clear = new QToolButton(m_chipRow);
        clear->setText(tr("Clear filters"));
        clear->setObjectName(QStringLiteral("clearFilters"));
        clear->setAutoRaise(true);
        connect(clear, &QToolButton::clicked, this, [this] {
            m_filter.include.clear();
            changed();
        });
        m_chipLayout->addWidget(clear);
    }
    m_chipLayout->addStretch(1);
    m_chipRow->setVisible(!m_filter.include.empty());
}

} // namespace tl
